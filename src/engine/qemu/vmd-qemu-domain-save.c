/* vmd-qemu-domain-save.c: saving a running VM's state to a file and
 * restoring it
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The file starts with a header vmdesk writes itself — a magic line, the
 * VM's UUID and its definition — padded to 4 KiB, followed by QEMU's
 * migration stream, which QEMU writes to a file descriptor it is handed
 * (no shell, no "exec:" URI). Restoring reads the header, starts QEMU with
 * "-incoming defer" and hands it the same file, positioned past the header.
 */
#define G_LOG_DOMAIN "vmdesk-engine"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "vmd-qemu-domain-private.h"

#define SAVE_MAGIC "VMDESK-SAVE 1\n"
#define SAVE_ALIGN 4096

/* ------------------------------------------------------------- header */

gboolean
_vmd_qemu_save_read_header (int       fd,
                            char    **uuid,
                            char    **xml,
                            gint64   *data_offset,
                            GError  **error)
{
  char head[256];
  ssize_t n = pread (fd, head, sizeof head - 1, 0);
  g_auto (GStrv) lines = NULL;
  guint64 xml_len = 0;
  const char *body;
  gsize header_len;
  g_autofree char *text = NULL;

  if (n < (ssize_t) strlen (SAVE_MAGIC) || memcmp (head, SAVE_MAGIC, strlen (SAVE_MAGIC)) != 0)
    {
      g_set_error_literal (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                           _("This file is not a virtual machine state saved by vmdesk."));
      return FALSE;
    }
  head[n] = '\0';
  body = strstr (head, "\n\n");
  if (body == NULL)
    {
      g_set_error_literal (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                           _("The saved state is damaged: its header is incomplete."));
      return FALSE;
    }
  header_len = body + 2 - head;
  lines = g_strsplit (head, "\n", 4);
  if (g_strv_length (lines) < 3 || !g_str_has_prefix (lines[1], "uuid ") ||
      !g_str_has_prefix (lines[2], "xml ") ||
      !g_ascii_string_to_unsigned (lines[2] + 4, 10, 1, 16 * 1024 * 1024, &xml_len, NULL))
    {
      g_set_error_literal (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                           _("The saved state is damaged: its header cannot be read."));
      return FALSE;
    }

  text = g_malloc (xml_len + 1);
  if (pread (fd, text, xml_len, header_len) != (ssize_t) xml_len)
    {
      g_set_error_literal (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                           _("The saved state is damaged: it is shorter than its header says."));
      return FALSE;
    }
  text[xml_len] = '\0';

  *uuid = g_strdup (lines[1] + 5);
  *xml = g_steal_pointer (&text);
  *data_offset = (gint64) ((header_len + xml_len + SAVE_ALIGN - 1) / SAVE_ALIGN * SAVE_ALIGN);
  return TRUE;
}

/* --------------------------------------------------------------- save */

typedef struct {
  char    *path;
  char    *header;      /* magic, uuid, xml, padding */
  gsize    header_len;
  int      fd;
  gboolean was_running;
  guint    poll_source;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_free (data->path);
  g_free (data->header);
  if (data->fd >= 0)
    close (data->fd);
  g_clear_handle_id (&data->poll_source, g_source_remove);
  g_free (data);
}

static void
create_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SaveData *data = task_data;

  data->fd = g_open (data->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (data->fd < 0)
    {
      int saved = errno;
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("The file %s could not be created: %s"), data->path,
                               g_strerror (saved));
      return;
    }
  if (write (data->fd, data->header, data->header_len) != (ssize_t) data->header_len)
    {
      int saved = errno;
      g_unlink (data->path);
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("The file %s could not be written: %s"), data->path,
                               g_strerror (saved));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
unlink_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_unlink (task_data);
  g_task_return_boolean (task, TRUE);
}

/* Fails @task with @error, resuming the VM and removing the partial file. */
static void
save_failed (GTask *task, GError *error)
{
  VmdQemuDomain *self = g_task_get_source_object (task);
  SaveData *data = g_task_get_task_data (task);
  g_autoptr (GTask) cleanup = g_task_new (self, NULL, NULL, NULL);

  self->saving = FALSE;
  if (data->was_running && self->qmp != NULL)
    vmd_qmp_client_execute_async (self->qmp, "cont", NULL, NULL, NULL, NULL);
  g_task_set_task_data (cleanup, g_strdup (data->path), g_free);
  g_task_run_in_thread (cleanup, unlink_thread);
  g_task_return_error (task, error);
}

static void
gone_after_save (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;

  g_task_return_boolean (task, TRUE);
}

static void save_poll (GTask *task);

static void
migrate_status (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  VmdQemuDomain *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result,
                                                              &error);
  JsonObject *info;
  const char *status;

  if (reply == NULL)
    {
      save_failed (task, g_steal_pointer (&error));
      return;
    }
  info = json_node_get_object (reply);
  status = json_object_get_string_member_with_default (info, "status", "");
  if (g_str_equal (status, "completed"))
    {
      g_autoptr (GTask) wait = g_task_new (self, NULL, gone_after_save, g_object_ref (task));

      /* The state is on disk: QEMU can go. */
      self->saving = TRUE;
      vmd_qmp_client_execute_async (self->qmp, "quit", NULL, NULL, NULL, NULL);
      _vmd_qemu_domain_wait_gone (self, wait);
      return;
    }
  if (g_str_equal (status, "failed") || g_str_equal (status, "cancelled"))
    {
      save_failed (task, g_error_new (VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                                      _("QEMU could not save the state: %s"),
                                      json_object_get_string_member_with_default (info, "error-desc",
                                                                                  status)));
      return;
    }
  save_poll (task);
}

static gboolean
save_poll_cb (gpointer user_data)
{
  GTask *task = user_data;
  VmdQemuDomain *self = g_task_get_source_object (task);
  SaveData *data = g_task_get_task_data (task);

  data->poll_source = 0;
  if (self->qmp == NULL)
    {
      save_failed (task, g_error_new_literal (VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                                              _("QEMU stopped while saving the state.")));
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  vmd_qmp_client_execute_async (self->qmp, "query-migrate", NULL, NULL, migrate_status, task);
  return G_SOURCE_REMOVE;
}

static void
save_poll (GTask *task)
{
  SaveData *data = g_task_get_task_data (task);

  data->poll_source = g_timeout_add (50, save_poll_cb, g_object_ref (task));
}

static void
migrate_started (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result,
                                                              &error);

  if (error != NULL)
    save_failed (task, g_steal_pointer (&error));
  else
    save_poll (task);
}

static void
save_fd_passed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  SaveData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result,
                                                              &error);
  g_autoptr (JsonNode) args = NULL;

  if (error != NULL)
    {
      save_failed (task, g_steal_pointer (&error));
      return;
    }
  close (data->fd);
  data->fd = -1;
  args = json_from_string ("{\"uri\": \"fd:vmdesk-save\"}", NULL);
  vmd_qmp_client_execute_async (VMD_QMP_CLIENT (source), "migrate", args, NULL, migrate_started,
                                g_object_ref (task));
}

static void
save_stopped (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  SaveData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result,
                                                              &error);
  g_autoptr (JsonNode) args = json_from_string ("{\"fdname\": \"vmdesk-save\"}", NULL);

  if (error != NULL)
    {
      save_failed (task, g_steal_pointer (&error));
      return;
    }
  vmd_qmp_client_execute_with_fd_async (VMD_QMP_CLIENT (source), "getfd", args, data->fd, NULL,
                                        save_fd_passed, g_object_ref (task));
}

static void
save_file_created (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  VmdQemuDomain *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!_vmd_qemu_domain_check_running (self, &error))
    {
      save_failed (task, g_steal_pointer (&error));
      return;
    }
  /* Stopped first, so the saved state is the state at this moment. */
  vmd_qmp_client_execute_async (self->qmp, "stop", NULL, NULL, save_stopped, g_object_ref (task));
}

void
_vmd_qemu_domain_save_async (VmdDomain           *domain,
                             const char          *path,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  VmdQemuDomain *self = VMD_QEMU_DOMAIN (domain);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GTask) create = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *xml = NULL;
  GString *header;
  SaveData *data;

  g_task_set_source_tag (task, _vmd_qemu_domain_save_async);

  if (!_vmd_qemu_domain_check_running (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  xml = vmd_domain_config_to_xml (vmd_domain_get_config (domain));
  header = g_string_new (SAVE_MAGIC);
  g_string_append_printf (header, "uuid %s\nxml %zu\n\n", vmd_domain_get_uuid (domain),
                          strlen (xml));
  g_string_append (header, xml);
  while (header->len % SAVE_ALIGN != 0)
    g_string_append_c (header, '\0');

  data = g_new0 (SaveData, 1);
  data->fd = -1;
  data->path = g_canonicalize_filename (path, NULL);
  data->header_len = header->len;
  data->header = g_string_free (header, FALSE);
  data->was_running = vmd_domain_get_state (domain) == VMD_DOMAIN_STATE_RUNNING;
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);

  create = g_task_new (self, cancellable, save_file_created, g_object_ref (task));
  g_task_set_task_data (create, data, NULL);
  g_task_run_in_thread (create, create_thread);
}

/* ------------------------------------------------------------ restore */

typedef struct {
  char         *path;
  char         *uuid;
  char         *xml;
  gint64        offset;
  int           fd;
} RestoreData;

static void
restore_data_free (RestoreData *data)
{
  g_free (data->path);
  g_free (data->uuid);
  g_free (data->xml);
  if (data->fd >= 0)
    close (data->fd);
  g_free (data);
}

static void
open_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  RestoreData *data = task_data;
  g_autoptr (GError) error = NULL;

  data->fd = g_open (data->path, O_RDONLY | O_CLOEXEC, 0);
  if (data->fd < 0)
    {
      int saved = errno;
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("The saved state %s could not be opened: %s"), data->path,
                               g_strerror (saved));
      return;
    }
  if (!_vmd_qemu_save_read_header (data->fd, &data->uuid, &data->xml, &data->offset, &error) ||
      lseek (data->fd, data->offset, SEEK_SET) != data->offset)
    {
      g_task_return_error (task, error ? g_steal_pointer (&error)
                                       : g_error_new_literal (VMD_ENGINE_ERROR,
                                                              VMD_ENGINE_ERROR_FAILED,
                                                              _("The saved state is damaged.")));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* Opens @path and reads its header in a worker; the result's task data is
 * a RestoreData. */
void
_vmd_qemu_save_open_async (gpointer             source,
                           const char          *path,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (source, cancellable, callback, user_data);
  RestoreData *data = g_new0 (RestoreData, 1);

  data->fd = -1;
  data->path = g_canonicalize_filename (path, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) restore_data_free);
  g_task_run_in_thread (task, open_thread);
}

/* Takes the opened file of @result: its descriptor, UUID and definition. */
gboolean
_vmd_qemu_save_open_finish (GAsyncResult  *result,
                            int           *fd,
                            char         **uuid,
                            char         **xml,
                            GError       **error)
{
  RestoreData *data = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  *fd = data->fd;
  data->fd = -1;
  *uuid = g_steal_pointer (&data->uuid);
  if (xml != NULL)
    *xml = g_steal_pointer (&data->xml);
  return TRUE;
}

static void
restored (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
restore_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  VmdQemuDomain *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autofree char *uuid = NULL;
  int fd = -1;

  if (!_vmd_qemu_save_open_finish (result, &fd, &uuid, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_ascii_strcasecmp (uuid, vmd_domain_get_uuid (VMD_DOMAIN (self))) != 0)
    {
      close (fd);
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("This saved state belongs to another virtual machine."));
      return;
    }
  _vmd_qemu_domain_start_full (self, GPOINTER_TO_UINT (g_task_get_task_data (task)), fd,
                               g_task_get_cancellable (task), restored, g_object_ref (task));
}

void
_vmd_qemu_domain_restore_async (VmdDomain           *domain,
                                const char          *path,
                                VmdStartFlags        flags,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (domain, cancellable, callback, user_data);

  g_task_set_source_tag (task, _vmd_qemu_domain_restore_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (flags), NULL);
  if (vmd_domain_is_active (domain))
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_INVALID_STATE,
                               _("The virtual machine “%s” is already running."),
                               vmd_domain_get_name (domain));
      return;
    }
  _vmd_qemu_save_open_async (domain, path, cancellable, restore_opened, g_object_ref (task));
}
