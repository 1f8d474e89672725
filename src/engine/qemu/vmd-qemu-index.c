/* vmd-qemu-index.c: what each definition file holds, without parsing it
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Listing VMs needs a name, a UUID and a title per definition, yet parsing
 * every DATA/domains/UUID.xml into a tree costs far more than that (about
 * 0.2 ms each). DATA/domains/index.json keeps those three per file, with
 * the file's mtime, ctime, size and inode when it was read:
 *
 *   { "version": 1,
 *     "definitions": [ { "file": "UUID.xml", "mtime": µs, "ctime": µs,
 *                        "size": bytes, "inode": n, "name": "…",
 *                        "uuid": "…", "title": "…" or null }, … ] }
 *
 * It is only a cache, kept by whoever lists: every *.xml is stat()ed, an
 * entry is used while all four still match, and any other file is parsed
 * and its entry written back. So definitions edited by hand, by another
 * program or by an older vmdesk show up as they are, a deleted file
 * disappears, and an index that is missing, unreadable or garbage is
 * simply rebuilt. Writers never touch it.
 *
 * The stat is taken before the file is read, so whatever changes the file
 * afterwards leaves a stat that no longer matches. The one case a stat
 * cannot tell is a rewrite in place, of the same size, within the same
 * timestamp tick as the previous change (writes by replacing the file,
 * as vmdesk and most editors do, get a new inode): a file changed within a
 * tick before the scan began is read but not remembered.
 */
#define G_LOG_DOMAIN "vmdesk-engine"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>

#include "vmd-qemu-index.h"

#define INDEX_FILE    "index.json"
#define INDEX_VERSION 1
/* Timestamps of local filesystems come from a clock that ticks every 1 to
 * 10 ms; some filesystems (FAT, ext3) keep whole seconds, or two. */
#define TICK_US        (20 * 1000)
#define COARSE_TICK_US (2 * G_USEC_PER_SEC)

void
_vmd_qemu_index_entry_free (VmdQemuIndexEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->file);
  g_free (entry->name);
  g_free (entry->uuid);
  g_free (entry->title);
  g_free (entry);
}

static gint64
timespec_us (const struct timespec *ts)
{
  return (gint64) ts->tv_sec * G_USEC_PER_SEC + ts->tv_nsec / 1000;
}

static void
set_stat (VmdQemuIndexEntry *entry, const struct stat *st)
{
  entry->mtime_us = timespec_us (&st->st_mtim);
  entry->ctime_us = timespec_us (&st->st_ctim);
  entry->size = (gint64) st->st_size;
  entry->inode = (guint64) st->st_ino;
}

/* Could the file have changed since @st without its stat showing it? */
static gboolean
changed_recently (const struct stat *st, gint64 scan_start_us)
{
  gint64 tick = st->st_mtim.tv_nsec == 0 && st->st_ctim.tv_nsec == 0 ? COARSE_TICK_US : TICK_US;

  return timespec_us (&st->st_mtim) > scan_start_us - tick ||
         timespec_us (&st->st_ctim) > scan_start_us - tick;
}

static gboolean
same_stat (const VmdQemuIndexEntry *entry, const struct stat *st)
{
  return entry->mtime_us == timespec_us (&st->st_mtim) &&
         entry->ctime_us == timespec_us (&st->st_ctim) &&
         entry->size == (gint64) st->st_size &&
         entry->inode == (guint64) st->st_ino;
}

/* ------------------------------------------------------------- reading */

static gboolean
get_int (JsonObject *object, const char *member, gint64 *value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

/* Could the model have read @text from a document? (Only characters
 * XML 1.0 allows.) */
static gboolean
xml_text_ok (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF)
        return FALSE;
    }
  return TRUE;
}

/* A string member, absent or null for NULL. */
static gboolean
get_string (JsonObject *object, const char *member, char **value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (json_node_get_value_type (node) != G_TYPE_STRING ||
      !xml_text_ok (json_node_get_string (node)))
    return FALSE;
  *value = json_node_dup_string (node);
  return TRUE;
}

static VmdQemuIndexEntry *
entry_from_json (JsonNode *node)
{
  g_autoptr (VmdQemuIndexEntry) entry = g_new0 (VmdQemuIndexEntry, 1);
  JsonObject *object;
  gint64 inode;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  if (!get_string (object, "file", &entry->file) || entry->file == NULL ||
      !get_int (object, "mtime", &entry->mtime_us) ||
      !get_int (object, "ctime", &entry->ctime_us) ||
      !get_int (object, "size", &entry->size) ||
      !get_int (object, "inode", &inode) ||
      !get_string (object, "name", &entry->name) ||
      !get_string (object, "uuid", &entry->uuid) ||
      !get_string (object, "title", &entry->title))
    return NULL;
  entry->inode = (guint64) inode;
  entry->remember = TRUE;
  return g_steal_pointer (&entry);
}

/* The entries of the index at @path by file name; NULL when there is none
 * or it cannot be used, with *@unusable set if it is there but not usable. */
static GHashTable *
load_index (const char *path, gboolean *unusable)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) entries = NULL;
  g_autofree char *text = NULL;
  gsize len;
  JsonObject *root;
  JsonArray *list;
  JsonNode *version;

  *unusable = FALSE;
  if (!g_file_get_contents (path, &text, &len, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_debug ("The index %s cannot be read: %s", path, error->message);
          *unusable = TRUE;
        }
      return NULL;
    }

  *unusable = TRUE;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, (gssize) len, &error))
    {
      g_debug ("The index %s is not JSON, it will be rebuilt: %s", path, error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      (root = json_node_get_object (json_parser_get_root (parser))) == NULL ||
      (version = json_object_get_member (root, "version")) == NULL ||
      json_node_get_value_type (version) != G_TYPE_INT64 ||
      json_node_get_int (version) != INDEX_VERSION ||
      !json_object_has_member (root, "definitions") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "definitions")))
    {
      g_debug ("The index %s is not one this version writes; it will be rebuilt.", path);
      return NULL;
    }

  list = json_object_get_array_member (root, "definitions");
  entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                   (GDestroyNotify) _vmd_qemu_index_entry_free);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      VmdQemuIndexEntry *entry = entry_from_json (json_array_get_element (list, i));

      if (entry == NULL)
        {
          g_debug ("The index %s has a bad entry; it will be rebuilt.", path);
          return NULL;
        }
      /* The key is the entry's own string: replacing frees the old pair. */
      g_hash_table_replace (entries, entry->file, entry);
    }
  *unusable = FALSE;
  return g_steal_pointer (&entries);
}

/* ------------------------------------------------------------- writing */

static void
add_string (JsonBuilder *builder, const char *member, const char *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_int (JsonBuilder *builder, const char *member, gint64 value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

static void
save_index (const char *path, GPtrArray *entries)
{
  g_autoptr (JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  gsize len;

  json_builder_begin_object (builder);
  add_int (builder, "version", INDEX_VERSION);
  json_builder_set_member_name (builder, "definitions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < entries->len; i++)
    {
      VmdQemuIndexEntry *entry = g_ptr_array_index (entries, i);

      if (!entry->remember)
        continue;
      json_builder_begin_object (builder);
      add_string (builder, "file", entry->file);
      add_int (builder, "mtime", entry->mtime_us);
      add_int (builder, "ctime", entry->ctime_us);
      add_int (builder, "size", entry->size);
      add_int (builder, "inode", (gint64) entry->inode);
      add_string (builder, "name", entry->name);
      add_string (builder, "uuid", entry->uuid);
      add_string (builder, "title", entry->title);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);

  /* A cache: when it cannot be written (a read-only folder), the next
   * listing reads the definitions again, that is all. */
  if (!g_file_set_contents_full (path, text, (gssize) len, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &error))
    g_debug ("The index %s was not written: %s", path, error->message);
}

/* ---------------------------------------------------------------- scan */

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Parses the definition @name for its entry; @st is the file before. */
static VmdQemuIndexEntry *
read_definition (const char *path, const char *name, const struct stat *st, GError **error)
{
  g_autoptr (VmdDomainConfig) config = vmd_domain_config_new_from_file (path, error);
  VmdQemuIndexEntry *entry;

  if (config == NULL)
    return NULL;
  entry = g_new0 (VmdQemuIndexEntry, 1);
  entry->file = g_strdup (name);
  entry->name = vmd_domain_config_get_name (config);
  entry->uuid = vmd_domain_config_get_uuid (config);
  entry->title = vmd_domain_config_get_title (config);
  set_stat (entry, st);
  return entry;
}

/**
 * _vmd_qemu_index_scan:
 * @domains_dir: DATA/domains
 *
 * Every definition in @domains_dir by name, UUID and title, from the index
 * where it is up to date and from the file where not; the index is
 * rewritten when anything changed. Files that do not load are skipped
 * with a warning, as a full open skips them.
 *
 * Returns: (transfer full) (element-type VmdQemuIndexEntry): the
 *   definitions in the order of their file names, or %NULL when the folder
 *   cannot be read
 */
GPtrArray *
_vmd_qemu_index_scan (const char *domains_dir, GError **error)
{
  g_autofree char *index_path = g_build_filename (domains_dir, INDEX_FILE, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GHashTable) cached = NULL;
  g_autoptr (GDir) dir = NULL;
  gint64 scan_start = g_get_real_time ();
  gboolean changed;
  const char *name;

  dir = g_dir_open (domains_dir, 0, error);
  if (dir == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".xml"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);

  cached = load_index (index_path, &changed);
  entries = g_ptr_array_new_full (names->len, (GDestroyNotify) _vmd_qemu_index_entry_free);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (domains_dir, file, NULL);
      g_autoptr (GError) local_error = NULL;
      VmdQemuIndexEntry *entry = NULL;
      gpointer key, value;
      struct stat st;

      if (stat (path, &st) != 0)
        {
          int saved = errno;
          g_warning ("Skipping the definition %s: %s", path, g_strerror (saved));
          continue;
        }

      if (cached != NULL && g_hash_table_lookup_extended (cached, file, &key, &value))
        {
          g_hash_table_steal (cached, key);
          if (same_stat (value, &st))
            {
              g_ptr_array_add (entries, value);
              continue;
            }
          _vmd_qemu_index_entry_free (value);  /* changed since: read it again */
          changed = TRUE;
        }

      entry = read_definition (path, file, &st, &local_error);
      if (entry == NULL)
        {
          /* One broken file must not hide every other VM. */
          g_warning ("Skipping the definition %s: %s", path, local_error->message);
          continue;
        }
      /* The index reads back file names of text only. */
      entry->remember = !changed_recently (&st, scan_start) && xml_text_ok (file);
      changed |= entry->remember;
      g_ptr_array_add (entries, entry);
    }

  /* Entries left over are of files deleted since. */
  if (cached != NULL && g_hash_table_size (cached) > 0)
    changed = TRUE;
  if (changed)
    save_index (index_path, entries);
  return g_steal_pointer (&entries);
}

/* ---------------------------------------------------------------- config */

static void
append_element (GString *xml, const char *element, const char *text)
{
  if (text == NULL)
    return;
  g_string_append_printf (xml, "<%s>", element);
  for (const char *p = text; *p != '\0'; p++)
    switch (*p)
      {
      case '&': g_string_append (xml, "&amp;"); break;
      case '<': g_string_append (xml, "&lt;"); break;
      case '>': g_string_append (xml, "&gt;"); break;
      case '\r': g_string_append (xml, "&#13;"); break;  /* a bare one would read as \n */
      default: g_string_append_c (xml, *p);
      }
  g_string_append_printf (xml, "</%s>", element);
}

/**
 * _vmd_qemu_index_entry_to_config:
 *
 * A stand-in definition with only the name, UUID and title of @entry: it
 * is not a definition that can run, be saved or be edited (it does not
 * even validate). For listing only.
 *
 * Returns: (transfer full) (nullable): the stand-in; %NULL, with @error
 *   set, only if the entry holds what no document could (the index is
 *   checked for that as it is read)
 */
VmdDomainConfig *
_vmd_qemu_index_entry_to_config (VmdQemuIndexEntry *entry, GError **error)
{
  g_autoptr (GString) xml = g_string_sized_new (256);

  g_string_append (xml, "<domain>");
  append_element (xml, "name", entry->name);
  append_element (xml, "uuid", entry->uuid);
  append_element (xml, "title", entry->title);
  g_string_append (xml, "</domain>");
  return vmd_domain_config_new_from_xml (xml->str, (gssize) xml->len, error);
}
