/* vmd-image.c: disk images, created, inspected, grown and copied with qemu-img
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every operation runs in a worker thread that spawns qemu-img (Debian's
 * qemu-utils; env VMDESK_QEMU_IMG names another one) with an argv and waits
 * for it; a cancelled operation kills qemu-img and waits for it to be gone.
 *
 * Nothing half-written is ever left under the name the user chose: new
 * images are written to a hidden temporary name next to the destination
 * (".NAME.XXXXXX.part"), synced, and renamed over a name that must not
 * exist (renameat2 with RENAME_NOREPLACE); on failure or cancellation the
 * temporary file is removed.
 *
 * Paths are made absolute before they reach qemu-img, so a name starting
 * with "-" is never read as an option and a name like "nbd:x" never as a
 * protocol.
 */
#define _GNU_SOURCE
#define G_LOG_DOMAIN "vmdesk-engine"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmd-engine-types.h"
#include "vmd-image.h"
#include "vmd-size.h"

/* ---- VmdImageInfo ---------------------------------------------------- */

VmdImageInfo *
vmd_image_info_copy (const VmdImageInfo *info)
{
  VmdImageInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_new0 (VmdImageInfo, 1);
  copy->format = g_strdup (info->format);
  copy->virtual_size = info->virtual_size;
  copy->actual_size = info->actual_size;
  copy->backing_file = g_strdup (info->backing_file);
  copy->encrypted = info->encrypted;
  return copy;
}

void
vmd_image_info_free (VmdImageInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->format);
  g_free (info->backing_file);
  g_free (info);
}

G_DEFINE_BOXED_TYPE (VmdImageInfo, vmd_image_info, vmd_image_info_copy, vmd_image_info_free)

/* GBytes of a pipe as text; empty output has no data pointer at all. */
static char *
bytes_to_text (GBytes *bytes)
{
  gsize size = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;

  return g_utf8_make_valid (data != NULL ? data : "", size);
}

/* ---- running qemu-img ------------------------------------------------ */

typedef struct {
  char    *path;
  char    *source;
  char    *format;
  char    *backing_file;
  guint64  size;
} ImageOp;

static void
image_op_free (ImageOp *op)
{
  g_free (op->path);
  g_free (op->source);
  g_free (op->format);
  g_free (op->backing_file);
  g_free (op);
}

static char *
find_qemu_img (GError **error)
{
  const char *env = g_getenv ("VMDESK_QEMU_IMG");
  const char *name = env != NULL && *env != '\0' ? env : "qemu-img";
  char *path;

  if (strchr (name, '/') != NULL)
    path = g_file_test (name, G_FILE_TEST_IS_EXECUTABLE) ? g_strdup (name) : NULL;
  else
    path = g_find_program_in_path (name);

  if (path == NULL)
    g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                 _("The program %s was not found; install the “qemu-utils” package."), name);
  return path;
}

/* qemu-img's stderr as one line: "qemu-img: " prefixes dropped, lines
 * joined, so it reads as the end of a sentence. */
static char *
clean_stderr (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (g_str_has_prefix (line, "qemu-img: "))
        line += strlen ("qemu-img: ");
      if (*line == '\0')
        continue;
      if (out->len > 0)
        g_string_append (out, "; ");
      g_string_append (out, line);
    }
  return g_string_free (out, FALSE);
}

/* Runs qemu-img with args (without the program). On failure of qemu-img
 * itself, *tool_failed is set and the error's message is qemu-img's own
 * words, for the caller to put into a sentence; its code is
 * VMD_ENGINE_ERROR_IN_USE when another process holds the image's lock. */
static gboolean
run_qemu_img (const char *const *args,
              char              **stdout_text,
              gboolean           *tool_failed,
              GCancellable       *cancellable,
              GError            **error)
{
  g_autofree char *program = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GBytes) err = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *err_text = NULL;
  g_autofree char *message = NULL;
  int status;

  *tool_failed = FALSE;

  program = find_qemu_img (error);
  if (program == NULL)
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  g_ptr_array_add (argv, program);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  if (g_getenv ("G_MESSAGES_DEBUG") != NULL)
    {
      g_autofree char *cmdline = g_strjoinv (" ", (char **) argv->pdata);
      g_debug ("running %s", cmdline);
    }

  proc = g_subprocess_newv ((const char *const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &local_error);
  if (proc == NULL)
    {
      g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                   _("The program %s could not be started: %s"), program, local_error->message);
      return FALSE;
    }

  if (!g_subprocess_communicate (proc, NULL, cancellable, &out, &err, &local_error))
    {
      /* Cancelled (or the pipes failed): make sure qemu-img is gone before
       * the caller removes the file it was writing. */
      g_subprocess_force_exit (proc);
      g_subprocess_wait (proc, NULL, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  status = g_subprocess_get_status (proc);
  if (g_subprocess_get_if_exited (proc) && g_subprocess_get_exit_status (proc) == 0)
    {
      if (stdout_text != NULL)
        *stdout_text = bytes_to_text (out);
      return TRUE;
    }

  err_text = bytes_to_text (err);
  message = clean_stderr (err_text);
  if (*message == '\0')
    {
      g_free (message);
      if (g_subprocess_get_if_signaled (proc))
        message = g_strdup_printf (_("qemu-img was stopped by signal %d."),
                                   g_subprocess_get_term_sig (proc));
      else
        message = g_strdup_printf (_("qemu-img stopped with exit status %d."),
                                   g_subprocess_get_exit_status (proc));
    }
  g_debug ("qemu-img failed (wait status %d): %s", status, message);

  *tool_failed = TRUE;
  g_set_error_literal (error, VMD_ENGINE_ERROR,
                       strstr (message, "Failed to get") != NULL && strstr (message, "lock") != NULL
                         ? VMD_ENGINE_ERROR_IN_USE
                         : VMD_ENGINE_ERROR_FAILED,
                       message);
  return FALSE;
}

static VmdImageInfo *
parse_info (const char *json, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local_error = NULL;
  JsonNode *root = NULL;
  JsonObject *obj = NULL;
  VmdImageInfo *info;

  if (json_parser_load_from_data (parser, json, -1, &local_error))
    root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    obj = json_node_get_object (root);
  if (obj == NULL || !json_object_has_member (obj, "format"))
    {
      g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                   _("qemu-img described the image in a way vmdesk does not understand: %s"),
                   local_error ? local_error->message : json);
      return NULL;
    }

  info = g_new0 (VmdImageInfo, 1);
  info->format = g_strdup (json_object_get_string_member_with_default (obj, "format", "raw"));
  info->virtual_size =
    (guint64) MAX (0, json_object_get_int_member_with_default (obj, "virtual-size", 0));
  info->actual_size =
    (guint64) MAX (0, json_object_get_int_member_with_default (obj, "actual-size", 0));
  info->backing_file =
    g_strdup (json_object_get_string_member_with_default (obj, "backing-filename", NULL));
  info->encrypted = json_object_get_boolean_member_with_default (obj, "encrypted", FALSE);
  return info;
}

/* ---- checks before writing ------------------------------------------- */

static gboolean
check_image_exists (const char *path, GError **error)
{
  GStatBuf st;

  if (g_stat (path, &st) == 0)
    return TRUE;
  if (errno == ENOENT || errno == ENOTDIR)
    g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_NOT_FOUND,
                 _("The disk image %s does not exist."), path);
  else
    g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                 _("The disk image %s cannot be read: %s."), path, g_strerror (errno));
  return FALSE;
}

static gboolean
check_destination (const char *path, GError **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  GStatBuf st;

  if (g_stat (folder, &st) != 0 || !S_ISDIR (st.st_mode))
    {
      g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_NOT_FOUND,
                   _("The folder %s does not exist."), folder);
      return FALSE;
    }
  /* lstat: a dangling symlink is a name that is taken, too. */
  if (g_lstat (path, &st) == 0)
    {
      g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_EXISTS,
                   _("The disk image %s exists already."), path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_free_space (const char *path, guint64 needed, GCancellable *cancellable, GError **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr (GFile) file = g_file_new_for_path (folder);
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (GError) local_error = NULL;
  guint64 free_bytes;

  info = g_file_query_filesystem_info (file, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, cancellable,
                                       &local_error);
  if (info == NULL || !g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE))
    {
      /* Not knowing is no reason to refuse; qemu-img will say if it fails. */
      g_debug ("free space of %s unknown: %s", folder,
               local_error ? local_error->message : "no attribute");
      return TRUE;
    }
  free_bytes = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
  if (free_bytes >= needed)
    return TRUE;

  {
    g_autofree char *need_text = vmd_size_format ((needed + 1023) / 1024);
    g_autofree char *free_text = vmd_size_format (free_bytes / 1024);

    g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                 _("There is not enough free space in %s for a %s image (%s free)."),
                 folder, need_text, free_text);
  }
  return FALSE;
}

static gboolean
check_format_name (const char *format, GError **error)
{
  if (format != NULL && *format != '\0' && format[0] != '-')
    {
      const char *p;

      for (p = format; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
          break;
      if (*p == '\0')
        return TRUE;
    }
  g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
               _("The disk image format “%s” is not known."), format ? format : "");
  return FALSE;
}

/* ---- the temporary file ---------------------------------------------- */

static char *
make_temp_file (const char *destination, GError **error)
{
  g_autofree char *folder = g_path_get_dirname (destination);
  g_autofree char *base = g_path_get_basename (destination);
  g_autofree char *tmpl = g_strdup_printf ("%s/.%s.XXXXXX.part", folder, base);
  int fd;

  fd = g_mkstemp_full (tmpl, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                   _("A new file cannot be created in %s: %s."), folder, g_strerror (saved));
      return NULL;
    }
  close (fd);
  return g_steal_pointer (&tmpl);
}

static void
sync_path (const char *path, int flags)
{
  int fd = open (path, flags | O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    return;
  if (fsync (fd) != 0)
    g_debug ("fsync %s: %s", path, g_strerror (errno));
  close (fd);
}

/* Gives the finished image its name, never replacing a file that appeared
 * there in the meantime. Removes tmp on failure. */
static gboolean
commit_temp_file (const char *tmp, const char *destination, GError **error)
{
  g_autofree char *folder = g_path_get_dirname (destination);
  int saved;

  sync_path (tmp, 0);

  if (renameat2 (AT_FDCWD, tmp, AT_FDCWD, destination, RENAME_NOREPLACE) == 0)
    goto done;
  saved = errno;
  if (saved == EINVAL || saved == ENOSYS)
    {
      /* The file system cannot refuse to replace; check, then rename. */
      if (g_file_test (destination, G_FILE_TEST_EXISTS))
        saved = EEXIST;
      else if (g_rename (tmp, destination) == 0)
        goto done;
      else
        saved = errno;
    }

  g_unlink (tmp);
  if (saved == EEXIST)
    g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_EXISTS,
                 _("The disk image %s exists already."), destination);
  else
    g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                 _("The disk image %s cannot be saved: %s."), destination, g_strerror (saved));
  return FALSE;

done:
  sync_path (folder, O_DIRECTORY);
  return TRUE;
}

/* ---- query ----------------------------------------------------------- */

static VmdImageInfo *
query_sync (const char *path, GCancellable *cancellable, GError **error)
{
  const char *args[] = { "info", "--output=json", "-U", path, NULL };
  g_autofree char *json = NULL;
  g_autoptr (GError) local_error = NULL;
  gboolean tool_failed;

  if (!check_image_exists (path, error))
    return NULL;
  if (!run_qemu_img (args, &json, &tool_failed, cancellable, &local_error))
    {
      if (tool_failed)
        g_set_error (error, VMD_ENGINE_ERROR, local_error->code,
                     _("The disk image %s cannot be read: %s"), path, local_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return parse_info (json, error);
}

static void
query_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ImageOp *op = task_data;
  GError *error = NULL;
  VmdImageInfo *info = query_sync (op->path, cancellable, &error);

  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, info, (GDestroyNotify) vmd_image_info_free);
}

/* ---- create ---------------------------------------------------------- */

static void
create_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ImageOp *op = task_data;
  g_autoptr (GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (VmdImageInfo) backing = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = NULL;
  gboolean tool_failed;

  if (g_strcmp0 (op->format, "qcow2") != 0 && g_strcmp0 (op->format, "raw") != 0)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("New disk images can be qcow2 or raw, not “%s”."),
                               op->format ? op->format : "");
      return;
    }
  if (op->backing_file != NULL && g_strcmp0 (op->format, "qcow2") != 0)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("Only a qcow2 image can be based on a backing image."));
      return;
    }
  if (op->size == 0 && op->backing_file == NULL)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("A new disk image needs a size larger than zero."));
      return;
    }
  if (!check_destination (op->path, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (op->backing_file != NULL)
    {
      backing = query_sync (op->backing_file, cancellable, &error);
      if (backing == NULL)
        {
          if (g_error_matches (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_NOT_FOUND))
            g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_NOT_FOUND,
                                     _("The backing image %s does not exist."), op->backing_file);
          else
            g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  /* A raw image is sparse now, but the guest may fill it. */
  if (g_strcmp0 (op->format, "raw") == 0 &&
      !check_free_space (op->path, op->size, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  tmp = make_temp_file (op->path, &error);
  if (tmp == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_ptr_array_add (args, g_strdup ("create"));
  g_ptr_array_add (args, g_strdup ("-q"));
  g_ptr_array_add (args, g_strdup ("-f"));
  g_ptr_array_add (args, g_strdup (op->format));
  if (backing != NULL)
    {
      g_ptr_array_add (args, g_strdup ("-b"));
      g_ptr_array_add (args, g_strdup (op->backing_file));
      g_ptr_array_add (args, g_strdup ("-F"));
      g_ptr_array_add (args, g_strdup (backing->format));
    }
  g_ptr_array_add (args, g_strdup (tmp));
  if (op->size > 0)
    g_ptr_array_add (args, g_strdup_printf ("%" G_GUINT64_FORMAT, op->size));
  g_ptr_array_add (args, NULL);

  if (!run_qemu_img ((const char *const *) args->pdata, NULL, &tool_failed, cancellable, &error))
    {
      g_unlink (tmp);
      if (tool_failed)
        g_task_return_new_error (task, VMD_ENGINE_ERROR, error->code,
                                 _("The disk image %s could not be created: %s"), op->path,
                                 error->message);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!commit_temp_file (tmp, op->path, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* ---- resize ---------------------------------------------------------- */

static void
resize_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ImageOp *op = task_data;
  g_autoptr (VmdImageInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *size_arg = NULL;
  gboolean tool_failed;

  info = query_sync (op->path, cancellable, &error);
  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (op->size < info->virtual_size)
    {
      g_autofree char *current = vmd_size_format ((info->virtual_size + 1023) / 1024);

      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("Disk images can only grow: %s is %s, and shrinking it would destroy data."),
                               op->path, current);
      return;
    }
  if (op->size == info->virtual_size)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (g_strcmp0 (info->format, "raw") == 0 &&
      !check_free_space (op->path, op->size - info->virtual_size, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  size_arg = g_strdup_printf ("%" G_GUINT64_FORMAT, op->size);
  {
    const char *args[] = { "resize", "-q", "-f", info->format, op->path, size_arg, NULL };

    if (!run_qemu_img (args, NULL, &tool_failed, cancellable, &error))
      {
        if (tool_failed)
          g_task_return_new_error (task, VMD_ENGINE_ERROR, error->code,
                                   _("The disk image %s could not be resized: %s"), op->path,
                                   error->message);
        else
          g_task_return_error (task, g_steal_pointer (&error));
        return;
      }
  }
  g_task_return_boolean (task, TRUE);
}

/* ---- convert and copy ------------------------------------------------ */

/* Writes source into destination through a temporary file. source_format
 * NULL lets qemu-img recognise it. */
static void
convert_common (GTask        *task,
                const char   *source,
                const char   *source_format,
                guint64       needed,
                const char   *destination,
                const char   *destination_format,
                gboolean      is_copy,
                GCancellable *cancellable)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = NULL;
  gboolean tool_failed;

  if (!check_free_space (destination, needed, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  tmp = make_temp_file (destination, &error);
  if (tmp == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_ptr_array_add (args, (gpointer) "convert");
  g_ptr_array_add (args, (gpointer) "-q");
  if (source_format != NULL)
    {
      g_ptr_array_add (args, (gpointer) "-f");
      g_ptr_array_add (args, (gpointer) source_format);
    }
  g_ptr_array_add (args, (gpointer) "-O");
  g_ptr_array_add (args, (gpointer) destination_format);
  g_ptr_array_add (args, (gpointer) source);
  g_ptr_array_add (args, tmp);
  g_ptr_array_add (args, NULL);

  if (!run_qemu_img ((const char *const *) args->pdata, NULL, &tool_failed, cancellable, &error))
    {
      g_unlink (tmp);
      if (tool_failed && is_copy)
        g_task_return_new_error (task, VMD_ENGINE_ERROR, error->code,
                                 _("The disk image %s could not be copied to %s: %s"), source,
                                 destination, error->message);
      else if (tool_failed)
        g_task_return_new_error (task, VMD_ENGINE_ERROR, error->code,
                                 _("The disk image %s could not be converted into %s: %s"), source,
                                 destination, error->message);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, &error) ||
      !commit_temp_file (tmp, destination, &error))
    {
      g_unlink (tmp);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
convert_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ImageOp *op = task_data;
  g_autoptr (GError) error = NULL;
  GStatBuf st;

  if (!check_format_name (op->format, &error) || !check_image_exists (op->source, &error) ||
      !check_destination (op->path, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* What the source takes on disk is a fair guess of what the copy will. */
  if (g_stat (op->source, &st) != 0)
    st.st_blocks = 0;
  convert_common (task, op->source, NULL, (guint64) st.st_blocks * 512, op->path, op->format,
                  FALSE, cancellable);
}

static void
copy_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ImageOp *op = task_data;
  g_autoptr (VmdImageInfo) info = NULL;
  g_autoptr (GError) error = NULL;

  if (!check_image_exists (op->source, &error) || !check_destination (op->path, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  info = query_sync (op->source, cancellable, &error);
  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  convert_common (task, op->source, info->format, info->actual_size, op->path, info->format,
                  TRUE, cancellable);
}

/* ---- public API ------------------------------------------------------ */

static char *
absolute_path (const char *path, const char *relative_to)
{
  return path != NULL ? g_canonicalize_filename (path, relative_to) : NULL;
}

static void
run_op (ImageOp             *op,
        GTaskThreadFunc      func,
        gpointer             source_tag,
        GCancellable        *cancellable,
        GAsyncReadyCallback  callback,
        gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) image_op_free);
  /* A finished image is reported as finished even if the cancellation
   * came too late to stop it. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, func);
}

/**
 * vmd_image_create_async:
 * @path: the new image; it must not exist, its folder must
 * @format: "qcow2" or "raw"
 * @size_bytes: the virtual size; 0 with a @backing_file means its size
 * @backing_file: (nullable): makes a qcow2 overlay of this image, whose
 *   format is recognised; a relative name is relative to @path's folder
 *
 * Creates an empty disk image (sparse for raw, after checking that the
 * folder has room for all of it).
 */
void
vmd_image_create_async (const char          *path,
                        const char          *format,
                        guint64              size_bytes,
                        const char          *backing_file,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  ImageOp *op;

  g_return_if_fail (path != NULL);
  g_return_if_fail (format != NULL);

  op = g_new0 (ImageOp, 1);
  op->path = absolute_path (path, NULL);
  op->format = g_strdup (format);
  op->size = size_bytes;
  if (backing_file != NULL)
    {
      g_autofree char *folder = g_path_get_dirname (op->path);
      op->backing_file = absolute_path (backing_file, folder);
    }
  run_op (op, create_thread, vmd_image_create_async, cancellable, callback, user_data);
}

gboolean
vmd_image_create_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, vmd_image_create_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * vmd_image_query_async:
 *
 * Reads an image's format and sizes with `qemu-img info -U`, which works
 * while a running virtual machine has the image open.
 */
void
vmd_image_query_async (const char          *path,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  ImageOp *op;

  g_return_if_fail (path != NULL);

  op = g_new0 (ImageOp, 1);
  op->path = absolute_path (path, NULL);
  run_op (op, query_thread, vmd_image_query_async, cancellable, callback, user_data);
}

/**
 * vmd_image_query_finish:
 *
 * Returns: (transfer full): the image's description, or %NULL with @error set
 */
VmdImageInfo *
vmd_image_query_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, vmd_image_query_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * vmd_image_resize_async:
 *
 * Grows an image to @new_size_bytes; a smaller size is refused, the same
 * size does nothing.
 */
void
vmd_image_resize_async (const char          *path,
                        guint64              new_size_bytes,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  ImageOp *op;

  g_return_if_fail (path != NULL);

  op = g_new0 (ImageOp, 1);
  op->path = absolute_path (path, NULL);
  op->size = new_size_bytes;
  run_op (op, resize_thread, vmd_image_resize_async, cancellable, callback, user_data);
}

gboolean
vmd_image_resize_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, vmd_image_resize_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * vmd_image_convert_async:
 * @destination_format: e.g. "qcow2"
 *
 * Writes a copy of @source, in whatever format qemu-img recognises (vmdk,
 * vdi, …), as a new image in @destination_format.
 */
void
vmd_image_convert_async (const char          *source,
                         const char          *destination,
                         const char          *destination_format,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  ImageOp *op;

  g_return_if_fail (source != NULL);
  g_return_if_fail (destination != NULL);
  g_return_if_fail (destination_format != NULL);

  op = g_new0 (ImageOp, 1);
  op->source = absolute_path (source, NULL);
  op->path = absolute_path (destination, NULL);
  op->format = g_strdup (destination_format);
  run_op (op, convert_thread, vmd_image_convert_async, cancellable, callback, user_data);
}

gboolean
vmd_image_convert_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, vmd_image_convert_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * vmd_image_copy_async:
 *
 * Writes a full copy of @source in its own format, for a clone: the copy
 * has no backing image (the backing chain is read into it), so it stands
 * on its own. The source must not be in use by a running virtual machine.
 */
void
vmd_image_copy_async (const char          *source,
                      const char          *destination,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  ImageOp *op;

  g_return_if_fail (source != NULL);
  g_return_if_fail (destination != NULL);

  op = g_new0 (ImageOp, 1);
  op->source = absolute_path (source, NULL);
  op->path = absolute_path (destination, NULL);
  run_op (op, copy_thread, vmd_image_copy_async, cancellable, callback, user_data);
}

gboolean
vmd_image_copy_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, vmd_image_copy_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * vmd_image_read_backing_file:
 *
 * Reads the backing file a qcow2 image names in its header (no qemu-img:
 * cheap enough for a thread to do for every image of every VM). A
 * relative name is made absolute against the image's folder, as QEMU
 * reads it. Does file I/O: call it from a thread.
 *
 * Returns: (nullable): the backing file, or %NULL for an image that is
 *   not qcow2, has none, or cannot be read
 */
char *
vmd_image_read_backing_file (const char *path)
{
  guint8 header[20];
  guint64 offset;
  guint32 size;
  g_autofree char *name = NULL;
  g_autofree char *dir = NULL;
  int fd;
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);

  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  ok = pread (fd, header, sizeof header, 0) == (gssize) sizeof header &&
       memcmp (header, "QFI\xfb", 4) == 0;
  if (ok)
    {
      offset = GUINT64_FROM_BE (*(guint64 *) (header + 8));
      size = GUINT32_FROM_BE (*(guint32 *) (header + 16));
      ok = offset > 0 && size > 0 && size <= 1023;  /* QEMU's own limit */
    }
  if (ok)
    {
      name = g_malloc0 (size + 1);
      ok = pread (fd, name, size, (off_t) offset) == (gssize) size;
    }
  close (fd);
  if (!ok || memchr (name, '\0', size) != NULL)
    return NULL;
  if (g_path_is_absolute (name) || strstr (name, "://") != NULL)
    return g_steal_pointer (&name);
  dir = g_path_get_dirname (path);
  return g_build_filename (dir, name, NULL);
}
