/* test-qemu-index.c: listing VMs from the index of definitions
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A connection opened with VMD_QEMU_LOAD_SUMMARY (vmdesk-cli list) reads
 * names, UUIDs and titles from DATA/domains/index.json and parses only the
 * definitions that changed. These tests define VMs through the API in a
 * temporary data folder, then change, delete, break and duplicate files
 * behind the engine's back and check that a summary open still shows what
 * a full open shows. The running case plays QEMU with a process of this
 * test (its command line names the VM's UUID) and a monitor socket served
 * by a thread; no QEMU is needed.
 */
#include <errno.h>
#include <fcntl.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmd-connection.h"
#include "vmd-model.h"
#include "vmd-qemu-connection.h"
#include "vmd-qemu-domain.h"

#define ENGINE_DOMAIN "vmdesk-engine"
/* The index does not remember a file changed within its timestamp tick
 * (TICK_US of vmd-qemu-index.c) before the scan; SETTLE_US is well past
 * it, so that what was written before counts as settled. */
#define TICK_US   (20 * 1000)
#define SETTLE_US (60 * 1000)

typedef struct {
  char *dir;
  char *data;
  char *run;
  char *domains;
  char *index;
} Fixture;

/* ------------------------------------------------------------ helpers */

static void
store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (*slot == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return *slot;
}

static VmdConnection *
open_connection (Fixture *f, VmdQemuLoadMode mode)
{
  g_autoptr (VmdQemuConnection) connection = vmd_qemu_connection_new (f->data, f->run);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  vmd_qemu_connection_set_load_mode (connection, mode);
  g_assert_cmpint (vmd_qemu_connection_get_load_mode (connection), ==, mode);
  vmd_connection_open_async (VMD_CONNECTION (connection), NULL, store_result, &result);
  g_assert_true (vmd_connection_open_finish (VMD_CONNECTION (connection), wait_for (&result),
                                             &error));
  g_assert_no_error (error);
  return VMD_CONNECTION (g_steal_pointer (&connection));
}

static VmdConnection *
open_summary (Fixture *f)
{
  return open_connection (f, VMD_QEMU_LOAD_SUMMARY);
}

static VmdConnection *
open_full (Fixture *f)
{
  return open_connection (f, VMD_QEMU_LOAD_FULL);
}

/* Defines NAME (with TITLE, if any) and returns its UUID. */
static char *
define_vm (VmdConnection *connection, const char *name, const char *title)
{
  g_autoptr (VmdDomainConfig) config = vmd_domain_config_new (name);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdDomain) domain = NULL;

  if (title != NULL)
    vmd_domain_config_set_title (config, title);
  vmd_connection_define_async (connection, config, NULL, store_result, &result);
  domain = vmd_connection_define_finish (connection, wait_for (&result), &error);
  g_assert_no_error (error);
  return g_strdup (vmd_domain_get_uuid (domain));
}

static char *
definition_path (Fixture *f, const char *uuid)
{
  g_autofree char *file = g_strconcat (uuid, ".xml", NULL);

  return g_build_filename (f->domains, file, NULL);
}

static char *
read_text (const char *path)
{
  g_autoptr (GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
write_text (const char *path, const char *text)
{
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* Replaces @old by @new in @path, by writing the file in place (same
 * inode) rather than replacing it. */
static void
edit_in_place (const char *path, const char *old, const char *new)
{
  g_autofree char *text = read_text (path);
  g_autoptr (GString) edited = g_string_new (text);
  int fd;

  g_assert_nonnull (strstr (text, old));
  g_string_replace (edited, old, new, 1);
  fd = open (path, O_WRONLY | O_TRUNC);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, edited->str, edited->len), ==, (gssize) edited->len);
  g_assert_no_errno (close (fd));
}

static void
edit_replacing (const char *path, const char *old, const char *new)
{
  g_autofree char *text = read_text (path);
  g_autoptr (GString) edited = g_string_new (text);

  g_assert_nonnull (strstr (text, old));
  g_string_replace (edited, old, new, 1);
  write_text (path, edited->str);
}

static char *
title_of (VmdDomain *domain)
{
  return vmd_domain_get_title (domain);
}

/* The entries of index.json by file name; asserts it is a valid index. */
static GHashTable *
read_index (Fixture *f)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  GHashTable *entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) json_object_unref);
  JsonObject *root;
  JsonArray *list;

  json_parser_load_from_file (parser, f->index, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, 1);
  list = json_object_get_array_member (root, "definitions");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *entry = json_array_get_object_element (list, i);

      g_hash_table_insert (entries, g_strdup (json_object_get_string_member (entry, "file")),
                           json_object_ref (entry));
    }
  return entries;
}

/* Asserts that @summary lists the same VMs as @full, by name, UUID, title
 * and state, in the same order. */
static void
assert_same_listing (VmdConnection *summary, VmdConnection *full)
{
  g_autoptr (GPtrArray) a = vmd_connection_list_domains (summary);
  g_autoptr (GPtrArray) b = vmd_connection_list_domains (full);

  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      VmdDomain *da = g_ptr_array_index (a, i), *db = g_ptr_array_index (b, i);
      g_autofree char *ta = title_of (da);
      g_autofree char *tb = title_of (db);

      g_assert_cmpstr (vmd_domain_get_name (da), ==, vmd_domain_get_name (db));
      g_assert_cmpstr (vmd_domain_get_uuid (da), ==, vmd_domain_get_uuid (db));
      g_assert_cmpstr (ta, ==, tb);
      g_assert_cmpint (vmd_domain_get_state (da), ==, vmd_domain_get_state (db));
      g_assert_cmpint (vmd_domain_get_autostart (da), ==, vmd_domain_get_autostart (db));
    }
}

static void
assert_same_as_full (Fixture *f, VmdConnection *summary)
{
  g_autoptr (VmdConnection) full = open_full (f);

  assert_same_listing (summary, full);
}

/* ------------------------------------------------------------ fixture */

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("vmd-index-XXXXXX", &error);
  g_assert_no_error (error);
  f->data = g_build_filename (f->dir, "data", NULL);
  f->run = g_build_filename (f->dir, "run", NULL);
  f->domains = g_build_filename (f->data, "domains", NULL);
  f->index = g_build_filename (f->domains, "index.json", NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->data);
  g_free (f->run);
  g_free (f->domains);
  g_free (f->index);
}

/* Three VMs defined through the API; their UUIDs in *@uuids (name order). */
static void
define_three (Fixture *f, char *uuids[3])
{
  g_autoptr (VmdConnection) connection = open_full (f);

  uuids[0] = define_vm (connection, "alpha", "Alpha VM");
  uuids[1] = define_vm (connection, "beta", NULL);
  uuids[2] = define_vm (connection, "gamma", "Gamma <&> \"quoted\" 'é' \t tab");
  g_usleep (SETTLE_US);
}

static void
free_three (char *uuids[3])
{
  for (int i = 0; i < 3; i++)
    g_free (uuids[i]);
}

/* ------------------------------------------------------------ tests */

static void
test_empty (Fixture *f, gconstpointer data)
{
  g_autoptr (VmdConnection) summary = open_summary (f);
  g_autoptr (GPtrArray) domains = vmd_connection_list_domains (summary);

  g_assert_cmpuint (domains->len, ==, 0);
  g_assert_true (vmd_connection_is_open (summary));
  /* Nothing to remember: no index written. */
  g_assert_false (g_file_test (f->index, G_FILE_TEST_EXISTS));
}

static void
test_summary (Fixture *f, gconstpointer data)
{
  char *uuids[3];
  g_autoptr (VmdConnection) summary = NULL;
  g_autoptr (GPtrArray) domains = NULL;
  g_autoptr (GHashTable) index = NULL;
  g_autofree char *text = NULL;
  g_autoptr (GString) forged = NULL;
  static const char *const names[] = { "alpha", "beta", "gamma" };
  static const char *const titles[] = { "Alpha VM", NULL, "Gamma <&> \"quoted\" 'é' \t tab" };

  define_three (f, uuids);
  g_assert_false (g_file_test (f->index, G_FILE_TEST_EXISTS));  /* writers never touch it */

  summary = open_summary (f);
  domains = vmd_connection_list_domains (summary);
  g_assert_cmpuint (domains->len, ==, 3);
  for (int i = 0; i < 3; i++)
    {
      VmdDomain *domain = vmd_connection_lookup_domain (summary, names[i]);
      g_autofree char *title = NULL;

      g_assert_nonnull (domain);
      title = title_of (domain);
      g_assert_cmpstr (vmd_domain_get_uuid (domain), ==, uuids[i]);
      g_assert_cmpstr (title, ==, titles[i]);
      g_assert_cmpint (vmd_domain_get_state (domain), ==, VMD_DOMAIN_STATE_SHUTOFF);
      g_assert_false (vmd_domain_is_active (domain));
      g_assert_false (vmd_domain_get_autostart (domain));
    }
  assert_same_as_full (f, summary);

  /* The open wrote the index: one entry per definition. */
  index = read_index (f);
  g_assert_cmpuint (g_hash_table_size (index), ==, 3);
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *file = g_strconcat (uuids[i], ".xml", NULL);
      JsonObject *entry = g_hash_table_lookup (index, file);

      g_assert_nonnull (entry);
      g_assert_cmpstr (json_object_get_string_member (entry, "name"), ==, names[i]);
      g_assert_cmpstr (json_object_get_string_member (entry, "uuid"), ==, uuids[i]);
    }
  g_clear_object (&summary);

  /* Proof that the next open reads the index rather than the files: a
   * forged title (the definitions untouched) is what it shows. */
  text = read_text (f->index);
  forged = g_string_new (text);
  g_assert_cmpuint (g_string_replace (forged, "\"Alpha VM\"", "\"From the index\"", 0), ==, 1);
  write_text (f->index, forged->str);
  summary = open_summary (f);
  {
    g_autofree char *title = title_of (vmd_connection_lookup_domain (summary, "alpha"));
    g_assert_cmpstr (title, ==, "From the index");
  }
  g_clear_object (&summary);
  write_text (f->index, text);

  free_three (uuids);
}

static void
test_refresh (Fixture *f, gconstpointer data)
{
  char *uuids[3];
  g_autofree char *alpha = NULL;
  g_autofree char *beta = NULL;
  g_autofree char *gamma = NULL;
  g_autofree char *beta_file = NULL;
  g_autoptr (VmdConnection) summary = NULL;
  g_autoptr (GHashTable) index = NULL;
  g_autofree char *title = NULL;

  define_three (f, uuids);
  alpha = definition_path (f, uuids[0]);
  beta = definition_path (f, uuids[1]);
  gamma = definition_path (f, uuids[2]);
  beta_file = g_strconcat (uuids[1], ".xml", NULL);
  g_clear_object (&summary);
  summary = open_summary (f);  /* builds the index */
  g_clear_object (&summary);
  g_assert_true (g_file_test (f->index, G_FILE_TEST_EXISTS));

  /* Edited by hand, replacing the file: a new title and size. */
  edit_replacing (alpha, "<title>Alpha VM</title>", "<title>Alpha, edited by hand</title>");
  summary = open_summary (f);
  title = title_of (vmd_connection_lookup_domain (summary, "alpha"));
  g_assert_cmpstr (title, ==, "Alpha, edited by hand");
  assert_same_as_full (f, summary);
  g_clear_object (&summary);
  g_clear_pointer (&title, g_free);

  /* Written in place (same inode) with the same size: the times tell. */
  g_usleep (SETTLE_US);
  edit_in_place (alpha, "<title>Alpha, edited by hand</title>",
                 "<title>Alpha, EDITED by hand</title>");
  summary = open_summary (f);
  title = title_of (vmd_connection_lookup_domain (summary, "alpha"));
  g_assert_cmpstr (title, ==, "Alpha, EDITED by hand");
  g_clear_object (&summary);
  g_clear_pointer (&title, g_free);

  /* Renamed by hand, once it has settled: the index follows. */
  edit_replacing (gamma, "<name>gamma</name>", "<name>delta</name>");
  g_usleep (SETTLE_US);
  summary = open_summary (f);
  g_assert_null (vmd_connection_lookup_domain (summary, "gamma"));
  g_assert_nonnull (vmd_connection_lookup_domain (summary, "delta"));
  g_clear_object (&summary);
  index = read_index (f);
  {
    g_autofree char *file = g_strconcat (uuids[2], ".xml", NULL);
    g_assert_cmpstr (json_object_get_string_member (g_hash_table_lookup (index, file), "name"),
                     ==, "delta");
  }
  g_clear_pointer (&index, g_hash_table_unref);

  /* Deleted by hand: gone from the list and from the index. */
  g_assert_no_errno (g_unlink (beta));
  summary = open_summary (f);
  g_assert_null (vmd_connection_lookup_domain (summary, "beta"));
  g_assert_null (vmd_connection_lookup_domain (summary, uuids[1]));
  index = read_index (f);
  g_assert_cmpuint (g_hash_table_size (index), ==, 2);
  g_assert_false (g_hash_table_contains (index, beta_file));
  assert_same_as_full (f, summary);
  g_clear_object (&summary);
  g_clear_pointer (&index, g_hash_table_unref);

  /* Copied in by hand (another program's definition): listed. */
  {
    g_autofree char *copy = read_text (alpha);
    g_autoptr (GString) other = g_string_new (copy);
    g_autofree char *path = NULL;

    g_string_replace (other, uuids[0], "0c3b1f6e-2a54-4e0e-9d1c-5f2a7c3e9b10", 0);
    g_string_replace (other, "<name>alpha</name>", "<name>imported</name>", 0);
    path = definition_path (f, "0c3b1f6e-2a54-4e0e-9d1c-5f2a7c3e9b10");
    write_text (path, other->str);
    summary = open_summary (f);
    g_assert_nonnull (vmd_connection_lookup_domain (summary, "imported"));
    g_assert_nonnull (vmd_connection_lookup_domain (summary,
                                                    "0C3B1F6E-2A54-4E0E-9D1C-5F2A7C3E9B10"));
    assert_same_as_full (f, summary);
    g_clear_object (&summary);
  }

  free_three (uuids);
}

/* A definition changed just before the scan is read but not remembered: it
 * could change again within the same timestamp tick. */
static void
test_fresh (Fixture *f, gconstpointer data)
{
  char *uuids[3];
  g_autofree char *alpha = NULL;
  g_autofree char *alpha_file = NULL;
  g_autoptr (GHashTable) index = NULL;
  g_autofree char *title = NULL;
  struct stat st;
  gint64 changed_us, scanned_us;

  define_three (f, uuids);
  alpha = definition_path (f, uuids[0]);
  alpha_file = g_strconcat (uuids[0], ".xml", NULL);
  {
    g_autoptr (VmdConnection) summary = open_summary (f);
  }

  edit_replacing (alpha, "<title>Alpha VM</title>", "<title>Alpha, just now</title>");
  g_assert_no_errno (stat (alpha, &st));
  changed_us = (gint64) st.st_ctim.tv_sec * G_USEC_PER_SEC + st.st_ctim.tv_nsec / 1000;
  {
    g_autoptr (VmdConnection) summary = open_summary (f);

    scanned_us = g_get_real_time ();
    title = title_of (vmd_connection_lookup_domain (summary, "alpha"));
    g_assert_cmpstr (title, ==, "Alpha, just now");
    g_clear_pointer (&title, g_free);
  }
  index = read_index (f);
  /* Only provable when the whole open fitted within the tick. */
  if (scanned_us - changed_us < TICK_US)
    g_assert_false (g_hash_table_contains (index, alpha_file));
  else
    g_test_message ("The open took too long to check that a fresh file is not remembered.");
  g_assert_cmpuint (g_hash_table_size (index), >=, 2);
  g_clear_pointer (&index, g_hash_table_unref);

  g_usleep (SETTLE_US);
  {
    g_autoptr (VmdConnection) summary = open_summary (f);

    title = title_of (vmd_connection_lookup_domain (summary, "alpha"));
    g_assert_cmpstr (title, ==, "Alpha, just now");
  }
  index = read_index (f);
  g_assert_cmpstr (json_object_get_string_member (g_hash_table_lookup (index, alpha_file),
                                                  "title"), ==, "Alpha, just now");
  free_three (uuids);
}

static void
test_corrupt_index (Fixture *f, gconstpointer data)
{
  static const char *const garbage[] = {
    "\x01\x02 this is not JSON {{{",
    "",
    "[]",
    "{\"version\": 2, \"definitions\": []}",
    "{\"version\": 1, \"definitions\": [{\"file\": 5}]}",
    "{\"version\": 1, \"definitions\": {\"file\": \"x.xml\"}}",
    /* No document can hold a control character: a stand-in could not be made. */
    NULL,
  };
  char *uuids[3];
  g_autofree char *good = NULL;

  define_three (f, uuids);
  {
    g_autoptr (VmdConnection) summary = open_summary (f);
  }
  good = read_text (f->index);

  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    {
      g_autoptr (VmdConnection) summary = NULL;
      g_autoptr (GHashTable) index = NULL;
      g_autofree char *bad = NULL;

      if (garbage[i] != NULL)
        bad = g_strdup (garbage[i]);
      else
        {
          g_autoptr (GString) text = g_string_new (good);
          g_assert_cmpuint (g_string_replace (text, "\"alpha\"", "\"al\\u0001pha\"", 0), ==, 1);
          bad = g_string_free (g_steal_pointer (&text), FALSE);
        }
      write_text (f->index, bad);
      summary = open_summary (f);
      g_assert_nonnull (vmd_connection_lookup_domain (summary, "alpha"));
      g_assert_nonnull (vmd_connection_lookup_domain (summary, "beta"));
      g_assert_nonnull (vmd_connection_lookup_domain (summary, "gamma"));
      assert_same_as_full (f, summary);
      /* Rewritten, whole. */
      index = read_index (f);
      g_assert_cmpuint (g_hash_table_size (index), ==, 3);
    }

  /* Gone: rebuilt too. */
  g_assert_no_errno (g_unlink (f->index));
  {
    g_autoptr (VmdConnection) summary = open_summary (f);
    g_autoptr (GHashTable) index = read_index (f);
    g_assert_cmpuint (g_hash_table_size (index), ==, 3);
  }
  free_three (uuids);
}

static void
test_broken_definition (Fixture *f, gconstpointer data)
{
  char *uuids[3];
  g_autofree char *broken = g_build_filename (f->domains, "broken.xml", NULL);
  g_autofree char *beta = NULL;

  define_three (f, uuids);
  write_text (broken, "<domain><name>broken</name><uuid>");
  beta = definition_path (f, uuids[1]);
  edit_replacing (beta, "</domain>", "");  /* truncated by hand */
  g_usleep (SETTLE_US);

  for (int round = 0; round < 2; round++)
    {
      g_autoptr (VmdConnection) summary = NULL;
      g_autoptr (GPtrArray) domains = NULL;
      g_autoptr (GHashTable) index = NULL;

      /* Broken files are read (and reported) every time, like a full open
       * does, and never remembered. (Which comes first depends on beta's
       * UUID.) */
      g_test_expect_message (ENGINE_DOMAIN, G_LOG_LEVEL_WARNING, "Skipping the definition *");
      g_test_expect_message (ENGINE_DOMAIN, G_LOG_LEVEL_WARNING, "Skipping the definition *");
      summary = open_summary (f);
      g_test_assert_expected_messages ();

      domains = vmd_connection_list_domains (summary);
      g_assert_cmpuint (domains->len, ==, 2);
      g_assert_nonnull (vmd_connection_lookup_domain (summary, "alpha"));
      g_assert_nonnull (vmd_connection_lookup_domain (summary, "gamma"));
      g_assert_null (vmd_connection_lookup_domain (summary, "beta"));
      g_assert_null (vmd_connection_lookup_domain (summary, "broken"));
      index = read_index (f);
      g_assert_cmpuint (g_hash_table_size (index), ==, 2);
    }

  /* A full open skips the same ones. */
  g_test_expect_message (ENGINE_DOMAIN, G_LOG_LEVEL_WARNING, "Skipping the definition *");
  g_test_expect_message (ENGINE_DOMAIN, G_LOG_LEVEL_WARNING, "Skipping the definition *");
  {
    g_autoptr (VmdConnection) full = open_full (f);
    g_autoptr (GPtrArray) domains = vmd_connection_list_domains (full);
    g_assert_cmpuint (domains->len, ==, 2);
  }
  g_test_assert_expected_messages ();
  free_three (uuids);
}

static void
test_duplicate_uuid (Fixture *f, gconstpointer data)
{
  char *uuids[3];
  g_autofree char *alpha = NULL;
  g_autofree char *text = NULL;
  g_autoptr (GString) copy = NULL;
  /* Sorts after the UUID-named file, so the original is kept. */
  g_autofree char *twin = g_build_filename (f->domains, "zz-copy.xml", NULL);

  define_three (f, uuids);
  alpha = definition_path (f, uuids[0]);
  text = read_text (alpha);
  copy = g_string_new (text);
  g_string_replace (copy, "<name>alpha</name>", "<name>alpha-copy</name>", 0);
  write_text (twin, copy->str);
  g_usleep (SETTLE_US);

  for (int mode = 0; mode < 2; mode++)
    {
      g_autoptr (VmdConnection) connection = NULL;
      g_autoptr (GPtrArray) domains = NULL;

      g_test_expect_message (ENGINE_DOMAIN, G_LOG_LEVEL_WARNING,
                             "Skipping the definition *zz-copy.xml*same UUID*");
      connection = open_connection (f, mode == 0 ? VMD_QEMU_LOAD_SUMMARY : VMD_QEMU_LOAD_FULL);
      g_test_assert_expected_messages ();
      domains = vmd_connection_list_domains (connection);
      g_assert_cmpuint (domains->len, ==, 3);
      g_assert_nonnull (vmd_connection_lookup_domain (connection, "alpha"));
      g_assert_null (vmd_connection_lookup_domain (connection, "alpha-copy"));
      g_assert_cmpstr (vmd_qemu_domain_get_definition_path (
                         VMD_QEMU_DOMAIN (vmd_connection_lookup_domain (connection, uuids[0]))),
                       ==, alpha);
    }
  free_three (uuids);
}

/* A partial domain is a stand-in: nothing may save it over the real
 * definition. */
static void
test_read_only (Fixture *f, gconstpointer data)
{
  char *uuids[3];
  g_autofree char *alpha = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr (VmdConnection) summary = NULL;
  g_autoptr (GError) error = NULL;
  VmdDomain *domain;

  define_three (f, uuids);
  alpha = definition_path (f, uuids[0]);
  before = read_text (alpha);
  summary = open_summary (f);
  domain = vmd_connection_lookup_domain (summary, "alpha");

  {
    g_autoptr (GAsyncResult) result = NULL;
    vmd_domain_rename_async (domain, "renamed", NULL, store_result, &result);
    g_assert_false (vmd_domain_rename_finish (domain, wait_for (&result), &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (VmdDomainConfig) config = vmd_domain_config_new ("alpha");

    /* Even a complete definition of the same VM is refused. */
    vmd_domain_config_set_uuid (config, uuids[0]);
    vmd_domain_set_config_async (domain, config, NULL, store_result, &result);
    g_assert_false (vmd_domain_set_config_finish (domain, wait_for (&result), &error));
    g_assert_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_UNSUPPORTED);
    g_clear_error (&error);
  }
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (VmdDomainConfig) config = vmd_domain_config_new ("new-one");
    g_autoptr (VmdDomain) defined = NULL;

    vmd_connection_define_async (summary, config, NULL, store_result, &result);
    defined = vmd_connection_define_finish (summary, wait_for (&result), &error);
    g_assert_null (defined);
    g_assert_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_UNSUPPORTED);
    g_clear_error (&error);
  }
  g_clear_object (&summary);

  after = read_text (alpha);
  g_assert_cmpstr (after, ==, before);
  {
    g_autoptr (VmdConnection) full = open_full (f);
    g_autoptr (GPtrArray) domains = vmd_connection_list_domains (full);
    g_assert_cmpuint (domains->len, ==, 3);
  }
  free_three (uuids);
}

/* ------------------------------------------------- a running VM, faked */

static const char greeting[] =
  "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, "
  "\"package\": \"fake\"}, \"capabilities\": []}}\r\n";

/* The first complete JSON object in @buf, taken out of it. */
static char *
take_object (GString *buf)
{
  gboolean in_string = FALSE, escaped = FALSE;
  int depth = 0;

  for (gsize i = 0; i < buf->len; i++)
    {
      char c = buf->str[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{')
        depth++;
      else if (c == '}' && --depth == 0)
        {
          char *object = g_strndup (buf->str, i + 1);
          g_string_erase (buf, 0, i + 1);
          return object;
        }
    }
  return NULL;
}

static gboolean
send_text (GSocket *socket, const char *text)
{
  gsize len = strlen (text), off = 0;

  while (off < len)
    {
      gssize n = g_socket_send (socket, text + off, len - off, NULL, NULL);
      if (n <= 0)
        return FALSE;
      off += n;
    }
  return TRUE;
}

/* A monitor of a running guest: greets, and answers query-status with
 * "running" and anything else with {}, until the client goes. */
static gpointer
fake_monitor (gpointer data)
{
  GSocket *listener = data;
  g_autoptr (GSocket) conn = g_socket_accept (listener, NULL, NULL);
  g_autoptr (GString) input = g_string_new (NULL);

  if (conn == NULL)
    return NULL;
  g_socket_set_timeout (conn, 30);
  if (!send_text (conn, greeting))
    return NULL;
  for (;;)
    {
      char chunk[4096];
      gssize n = g_socket_receive (conn, chunk, sizeof chunk, NULL, NULL);
      char *text;

      if (n <= 0)
        break;
      g_string_append_len (input, chunk, n);
      while ((text = take_object (input)) != NULL)
        {
          g_autoptr (JsonNode) node = json_from_string (text, NULL);
          JsonObject *cmd;
          const char *execute, *id;
          g_autofree char *reply = NULL;

          g_free (text);
          g_assert_true (node != NULL && JSON_NODE_HOLDS_OBJECT (node));
          cmd = json_node_get_object (node);
          execute = json_object_get_string_member_with_default (cmd, "execute", "");
          id = json_object_get_string_member_with_default (cmd, "id", "");
          reply = g_strdup_printf ("{\"return\": %s, \"id\": \"%s\"}\r\n",
                                   g_str_equal (execute, "query-status")
                                   ? "{\"status\": \"running\", \"running\": true}" : "{}",
                                   id);
          if (!send_text (conn, reply))
            return NULL;
        }
    }
  return NULL;
}

static char *self_exe;

static void
test_running (Fixture *f, gconstpointer data)
{
  char *uuids[3];
  g_autofree char *vm_run = NULL;
  g_autofree char *stale_run = NULL;
  g_autofree char *pidfile = NULL;
  g_autofree char *pid_text = NULL;
  g_autofree char *socket_path = NULL;
  g_autofree char *stale_pidfile = NULL;
  g_autoptr (GSocket) listener = NULL;
  g_autoptr (GSocketAddress) address = NULL;
  g_autoptr (GError) error = NULL;
  GThread *monitor;
  GPid pid;
  int status;

  define_three (f, uuids);

  /* alpha "runs": a process whose command line names its UUID, with a
   * pidfile and a monitor in its runtime folder. */
  {
    char *argv[] = { self_exe, "--fake-qemu", uuids[0], NULL };
    g_spawn_async (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error);
    g_assert_no_error (error);
  }
  vm_run = g_build_filename (f->run, uuids[0], NULL);
  g_assert_no_errno (g_mkdir_with_parents (vm_run, 0700));
  pidfile = g_build_filename (vm_run, "qemu.pid", NULL);
  pid_text = g_strdup_printf ("%d\n", pid);
  write_text (pidfile, pid_text);
  socket_path = g_build_filename (vm_run, "qmp.sock", NULL);
  listener = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT,
                           &error);
  g_assert_no_error (error);
  address = g_unix_socket_address_new (socket_path);
  g_assert_true (g_socket_bind (listener, address, TRUE, &error));
  g_assert_true (g_socket_listen (listener, &error));
  g_socket_set_timeout (listener, 30);
  monitor = g_thread_new ("fake-monitor", fake_monitor, listener);

  /* beta left a runtime folder behind, without a pidfile: cleaned. */
  stale_run = g_build_filename (f->run, uuids[1], NULL);
  g_assert_no_errno (g_mkdir_with_parents (stale_run, 0700));
  stale_pidfile = g_build_filename (stale_run, "qemu.pid", NULL);

  {
    g_autoptr (VmdConnection) summary = open_summary (f);
    VmdDomain *alpha = vmd_connection_lookup_domain (summary, "alpha");
    VmdDomain *beta = vmd_connection_lookup_domain (summary, "beta");

    g_assert_cmpint (vmd_domain_get_state (alpha), ==, VMD_DOMAIN_STATE_RUNNING);
    g_assert_true (vmd_domain_is_active (alpha));
    g_assert_cmpint (vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (alpha)), ==, pid);
    g_assert_cmpint (vmd_domain_get_state (beta), ==, VMD_DOMAIN_STATE_SHUTOFF);
    g_assert_cmpint (vmd_domain_get_state (vmd_connection_lookup_domain (summary, "gamma")), ==,
                     VMD_DOMAIN_STATE_SHUTOFF);
    g_assert_false (g_file_test (stale_run, G_FILE_TEST_EXISTS));
  }
  /* The monitor ends when the connection lets go of it. */
  g_thread_join (monitor);

  g_assert_no_errno (kill (pid, SIGKILL));
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  free_three (uuids);
}

int
main (int argc, char *argv[])
{
  /* The stand-in QEMU of test_running. */
  if (argc == 3 && g_str_equal (argv[1], "--fake-qemu"))
    {
      g_usleep (60 * G_USEC_PER_SEC);
      return 0;
    }
  self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_assert_nonnull (self_exe);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/qemu-index/empty", test_empty);
  ADD ("/qemu-index/summary", test_summary);
  ADD ("/qemu-index/refresh", test_refresh);
  ADD ("/qemu-index/fresh", test_fresh);
  ADD ("/qemu-index/corrupt-index", test_corrupt_index);
  ADD ("/qemu-index/broken-definition", test_broken_definition);
  ADD ("/qemu-index/duplicate-uuid", test_duplicate_uuid);
  ADD ("/qemu-index/read-only", test_read_only);
  ADD ("/qemu-index/running", test_running);
#undef ADD

  {
    int ret = g_test_run ();
    g_free (self_exe);
    return ret;
  }
}
