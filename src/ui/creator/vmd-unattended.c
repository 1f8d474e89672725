/* vmd-unattended.c: unattended installation with libosinfo's install
 * scripts (like GNOME Boxes' express install)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * For an OS whose script is injected into the initrd (Debian's preseed):
 * the installer's kernel and initrd are read out of the ISO (ISO 9660 with
 * Rock Ridge names), the script libosinfo generates for the user's choices
 * is appended to the initrd as a second gzip'd cpio archive (the kernel
 * unpacks concatenated archives), and the VM boots that kernel directly
 * with the script's command line, the ISO still in its CD-ROM drive.
 * Everything runs in a worker thread.
 */
#define G_LOG_DOMAIN "vmd-creator"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <osinfo/osinfo.h>
#include <string.h>

#include "vmd-unattended.h"

#define SECTOR 2048

/* ------------------------------------------------------------- ISO 9660 */

static gboolean
read_at (GInputStream *in, goffset offset, guchar *buf, gsize len, GCancellable *cancellable,
         GError **error)
{
  gsize got = 0;

  if (!g_seekable_seek (G_SEEKABLE (in), offset, G_SEEK_SET, cancellable, error))
    return FALSE;
  if (!g_input_stream_read_all (in, buf, len, &got, cancellable, error))
    return FALSE;
  if (got != len)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The ISO image is cut short."));
      return FALSE;
    }
  return TRUE;
}

/* A directory record's name: its Rock Ridge NM entry, else the ISO 9660
 * name without ";1" and a trailing dot; lowercase. */
static char *
record_name (const guchar *r)
{
  guint len = r[0], name_len = r[32];
  guint su = 33 + name_len + (name_len % 2 == 0 ? 1 : 0);
  g_autofree char *plain = g_strndup ((const char *) r + 33, name_len);
  char *semi;

  while (su + 4 <= len)
    {
      guint entry = r[su + 2];

      if (entry < 4 || su + entry > len)
        break;
      if (r[su] == 'N' && r[su + 1] == 'M' && entry > 5)
        return g_ascii_strdown ((const char *) r + su + 5, entry - 5);
      su += entry;
    }
  if ((semi = strchr (plain, ';')) != NULL)
    *semi = '\0';
  if (*plain != '\0' && plain[strlen (plain) - 1] == '.')
    plain[strlen (plain) - 1] = '\0';
  return g_ascii_strdown (plain, -1);
}

/* Finds @path ("install.amd/vmlinuz") in the ISO: its extent and size. */
static gboolean
iso_find (GInputStream *in, const char *path, guint32 *extent, guint32 *size,
          GCancellable *cancellable, GError **error)
{
  guchar pvd[SECTOR];
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);
  guint32 dir_extent, dir_size;

  if (!read_at (in, 16 * SECTOR, pvd, SECTOR, cancellable, error))
    return FALSE;
  if (pvd[0] != 1 || memcmp (pvd + 1, "CD001", 5) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("This is not an ISO 9660 image."));
      return FALSE;
    }
  dir_extent = GUINT32_FROM_LE (*(guint32 *) (pvd + 156 + 2));
  dir_size = GUINT32_FROM_LE (*(guint32 *) (pvd + 156 + 10));

  for (guint p = 0; parts[p] != NULL; p++)
    {
      g_autofree guchar *dir = NULL;
      gboolean found = FALSE;

      if (*parts[p] == '\0')
        continue;
      if (dir_size > 16 * 1024 * 1024)
        break;
      dir = g_malloc (dir_size);
      if (!read_at (in, (goffset) dir_extent * SECTOR, dir, dir_size, cancellable, error))
        return FALSE;
      for (guint off = 0; off < dir_size && !found;)
        {
          const guchar *r = dir + off;
          g_autofree char *name = NULL;

          if (r[0] == 0)
            {
              off = (off / SECTOR + 1) * SECTOR;  /* records do not cross sectors */
              continue;
            }
          if (off + r[0] > dir_size || r[0] < 34)
            break;
          name = record_name (r);
          if (r[32] > 1 || r[33] > 1)  /* not "." or ".." */
            if (g_ascii_strcasecmp (name, parts[p]) == 0)
              {
                dir_extent = GUINT32_FROM_LE (*(guint32 *) (r + 2));
                dir_size = GUINT32_FROM_LE (*(guint32 *) (r + 10));
                found = TRUE;
              }
          off += r[0];
        }
      if (!found)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("The ISO image has no %s."), path);
          return FALSE;
        }
    }
  *extent = dir_extent;
  *size = dir_size;
  return TRUE;
}

static gboolean
iso_extract (GInputStream *in, const char *path, GOutputStream *out, GCancellable *cancellable,
             GError **error)
{
  guint32 extent, size;
  g_autofree guchar *buf = g_malloc (1 << 20);

  if (!iso_find (in, path, &extent, &size, cancellable, error))
    return FALSE;
  for (guint32 done = 0; done < size;)
    {
      gsize chunk = MIN ((gsize) (size - done), (gsize) 1 << 20);

      if (!read_at (in, (goffset) extent * SECTOR + done, buf, chunk, cancellable, error) ||
          !g_output_stream_write_all (out, buf, chunk, NULL, cancellable, error))
        return FALSE;
      done += chunk;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ cpio */

static void
cpio_entry (GByteArray *a, const char *name, guint mode, const guint8 *data, gsize len)
{
  g_autofree char *head = g_strdup_printf ("070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
                                           0u, mode, 0u, 0u, 1u, 0u, (guint) len, 0u, 0u, 0u, 0u,
                                           (guint) strlen (name) + 1, 0u);
  static const guint8 zeros[4] = { 0 };

  g_byte_array_append (a, (const guint8 *) head, 110);
  g_byte_array_append (a, (const guint8 *) name, strlen (name) + 1);
  g_byte_array_append (a, zeros, (4 - a->len % 4) % 4);
  if (len > 0)
    g_byte_array_append (a, data, len);
  g_byte_array_append (a, zeros, (4 - a->len % 4) % 4);
}

/* A gzip'd newc archive holding /@name. */
static GBytes *
cpio_gz (const char *name, GBytes *contents, GError **error)
{
  g_autoptr (GByteArray) a = g_byte_array_new ();
  g_autoptr (GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
  g_autoptr (GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr (GOutputStream) gz = g_converter_output_stream_new (mem, G_CONVERTER (z));
  gsize len;
  const guint8 *data = g_bytes_get_data (contents, &len);

  cpio_entry (a, name, 0100644, data, len);
  cpio_entry (a, "TRAILER!!!", 0, NULL, 0);
  if (!g_output_stream_write_all (gz, a->data, a->len, NULL, NULL, error) ||
      !g_output_stream_close (gz, NULL, error))
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
}

/* ---------------------------------------------------------------- thread */

typedef struct {
  char             *iso;
  char             *dir;
  char             *name;
  VmdUnattendedUser user;
  char             *kernel;
  char             *initrd;
  char             *cmdline;
} Job;

static void
job_free (Job *j)
{
  g_free (j->iso);
  g_free (j->dir);
  g_free (j->name);
  g_free (j->user.login);
  g_free (j->user.password);
  g_free (j->user.timezone);
  g_free (j->user.target_disk);
  g_free (j->kernel);
  g_free (j->initrd);
  g_free (j->cmdline);
  g_free (j);
}

static OsinfoInstallScript *
pick_script (OsinfoOs *os)
{
  g_autoptr (OsinfoInstallScriptList) scripts = osinfo_os_get_install_script_list (os);
  OsinfoInstallScript *pick = NULL;

  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (scripts)); i++)
    {
      OsinfoInstallScript *s = OSINFO_INSTALL_SCRIPT (osinfo_list_get_nth (OSINFO_LIST (scripts), i));

      if (!(osinfo_install_script_get_injection_methods (s) & OSINFO_INSTALL_SCRIPT_INJECTION_METHOD_INITRD))
        continue;
      /* The desktop one, as a desktop user expects; else any. */
      if (pick == NULL || g_strcmp0 (osinfo_install_script_get_profile (s), "desktop") == 0)
        pick = s;
    }
  return pick ? g_object_ref (pick) : NULL;
}

static gboolean
prepare_locked (Job *j, OsinfoDb *db, GCancellable *cancellable, GError **error)
{
  g_autoptr (OsinfoMedia) media = NULL;
  g_autoptr (OsinfoOs) os = NULL;
  g_autoptr (OsinfoInstallScript) script = NULL;
  g_autoptr (OsinfoInstallConfig) config = NULL;
  g_autoptr (GFile) iso = g_file_new_for_path (j->iso);
  g_autoptr (GFileInputStream) in = NULL;
  g_autoptr (GFile) dir = g_file_new_for_path (j->dir);
  g_autoptr (GFile) script_file = NULL;
  g_autoptr (GBytes) script_bytes = NULL;
  g_autoptr (GBytes) cpio = NULL;
  g_autofree char *base = NULL;
  const char *expected;

  media = osinfo_media_create_from_location (j->iso, cancellable, error);
  if (media == NULL)
    return FALSE;
  if (!osinfo_db_identify_media (db, media) ||
      (os = osinfo_media_get_os (media)) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The operating system on %s was not recognised, so it cannot be installed unattended."), j->iso);
      return FALSE;
    }
  script = pick_script (os);
  if (script == NULL || osinfo_media_get_kernel_path (media) == NULL ||
      osinfo_media_get_initrd_path (media) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s cannot be installed unattended by vmdesk yet."),
                   osinfo_product_get_name (OSINFO_PRODUCT (os)));
      return FALSE;
    }
  osinfo_install_script_set_preferred_injection_method (script, OSINFO_INSTALL_SCRIPT_INJECTION_METHOD_INITRD);

  config = osinfo_install_config_new ("http://vmdesk.org/install-config");
  osinfo_install_config_set_user_login (config, j->user.login);
  osinfo_install_config_set_user_realname (config, j->user.login);
  osinfo_install_config_set_user_password (config, j->user.password);
  osinfo_install_config_set_admin_password (config, j->user.password);
  osinfo_install_config_set_l10n_timezone (config, j->user.timezone ? j->user.timezone : "UTC");
  osinfo_install_config_set_l10n_language (config, "en_US");
  osinfo_install_config_set_l10n_keyboard (config, "us");
  osinfo_install_config_set_hostname (config, j->name);
  if (j->user.target_disk != NULL)
    osinfo_install_config_set_target_disk (config, j->user.target_disk);

  script_file = osinfo_install_script_generate_output_for_media (script, media, config, dir,
                                                                 cancellable, error);
  if (script_file == NULL)
    return FALSE;
  script_bytes = g_file_load_bytes (script_file, cancellable, NULL, error);
  g_file_delete (script_file, NULL, NULL);
  if (script_bytes == NULL)
    return FALSE;
  expected = osinfo_install_script_get_expected_filename (script);
  cpio = cpio_gz (expected ? expected : "preseed.cfg", script_bytes, error);
  if (cpio == NULL)
    return FALSE;
  j->cmdline = osinfo_install_script_generate_command_line_for_media (script, media, config);

  in = g_file_read (iso, cancellable, error);
  if (in == NULL)
    return FALSE;
  base = g_build_filename (j->dir, j->name, NULL);
  j->kernel = g_strconcat (base, "-unattended-vmlinuz", NULL);
  j->initrd = g_strconcat (base, "-unattended-initrd", NULL);
  {
    g_autoptr (GFile) kf = g_file_new_for_path (j->kernel);
    g_autoptr (GFile) inf = g_file_new_for_path (j->initrd);
    g_autoptr (GFileOutputStream) ko = g_file_replace (kf, NULL, FALSE, G_FILE_CREATE_PRIVATE, cancellable, error);
    g_autoptr (GFileOutputStream) io = NULL;

    if (ko == NULL || !iso_extract (G_INPUT_STREAM (in), osinfo_media_get_kernel_path (media),
                                    G_OUTPUT_STREAM (ko), cancellable, error) ||
        !g_output_stream_close (G_OUTPUT_STREAM (ko), cancellable, error))
      return FALSE;
    io = g_file_replace (inf, NULL, FALSE, G_FILE_CREATE_PRIVATE, cancellable, error);
    if (io == NULL || !iso_extract (G_INPUT_STREAM (in), osinfo_media_get_initrd_path (media),
                                    G_OUTPUT_STREAM (io), cancellable, error) ||
        !g_output_stream_write_all (G_OUTPUT_STREAM (io), g_bytes_get_data (cpio, NULL),
                                    g_bytes_get_size (cpio), NULL, cancellable, error) ||
        !g_output_stream_close (G_OUTPUT_STREAM (io), cancellable, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
prepare (Job *j, GCancellable *cancellable, GError **error)
{
  OsinfoDb *db = _vmd_osinfo_lock_db (error);
  gboolean ok;

  if (db == NULL)
    return FALSE;
  ok = prepare_locked (j, db, cancellable, error);
  _vmd_osinfo_unlock_db ();
  return ok;
}

static void
prepare_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *j = task_data;
  GError *error = NULL;

  if (!prepare (j, cancellable, &error))
    {
      if (j->kernel != NULL)
        g_unlink (j->kernel);
      if (j->initrd != NULL)
        g_unlink (j->initrd);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
vmd_unattended_prepare_async (const char              *iso,
                              const char              *dir,
                              const char              *name,
                              const VmdUnattendedUser *user,
                              GCancellable            *cancellable,
                              GAsyncReadyCallback      callback,
                              gpointer                 user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Job *j = g_new0 (Job, 1);

  j->iso = g_strdup (iso);
  j->dir = g_strdup (dir);
  j->name = g_strdup (name);
  j->user.login = g_strdup (user->login);
  j->user.password = g_strdup (user->password);
  j->user.timezone = g_strdup (user->timezone);
  j->user.target_disk = g_strdup (user->target_disk);
  g_task_set_source_tag (task, vmd_unattended_prepare_async);
  g_task_set_task_data (task, j, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, prepare_thread);
}

gboolean
vmd_unattended_prepare_finish (GAsyncResult *result, char **kernel, char **initrd, char **cmdline,
                               GError **error)
{
  Job *j = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  *kernel = g_strdup (j->kernel);
  *initrd = g_strdup (j->initrd);
  *cmdline = g_strdup (j->cmdline);
  return TRUE;
}
