/* vmd-qemu-domain.c: a virtual machine of the embedded engine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The QEMU process is not our child: it runs detached so VMs outlive the
 * app. What it does comes over QMP as events; when QMP closes, QEMU is gone,
 * and what we saw before (a SHUTDOWN event, our own force-off) tells whether
 * the VM shut down or crashed. This file holds the object, attaching to a
 * running QEMU and the event handling; the operations are in
 * vmd-qemu-domain-lifecycle.c and friends.
 */
#define G_LOG_DOMAIN "vmdesk-engine"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "vmd-qemu-domain-private.h"
#include "vmd-qemu-helpers.h"

G_DEFINE_FINAL_TYPE (VmdQemuDomain, vmd_qemu_domain, VMD_TYPE_DOMAIN)

/* QEMU serves one client per monitor, so several are opened: the first
 * client to come takes qmp.sock, a second (the CLI while the app runs)
 * the next free one. */
static const char *const monitor_sockets[] = {
  "qmp.sock", "qmp-2.sock", "qmp-3.sock", "qmp-4.sock", NULL
};

static void
vmd_qemu_domain_dispose (GObject *object)
{
  VmdQemuDomain *self = VMD_QEMU_DOMAIN (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->kill_source, g_source_remove);
  _vmd_qemu_domain_drop_early_display (self);
  if (self->qmp != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->qmp, self);
      g_clear_object (&self->qmp);
    }
  g_clear_pointer (&self->waiters, g_ptr_array_unref);

  G_OBJECT_CLASS (vmd_qemu_domain_parent_class)->dispose (object);
}

static void
vmd_qemu_domain_finalize (GObject *object)
{
  VmdQemuDomain *self = VMD_QEMU_DOMAIN (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->snapshots, g_ptr_array_unref);
  g_clear_pointer (&self->old_helpers, g_array_unref);
  g_free (self->definition_path);
  g_free (self->runtime_dir);
  g_free (self->log_path);
  g_free (self->qemu_log_path);

  G_OBJECT_CLASS (vmd_qemu_domain_parent_class)->finalize (object);
}

/* ------------------------------------------------------------ helpers */

VmdQemuConnection *
_vmd_qemu_domain_get_connection (VmdQemuDomain *self)
{
  return VMD_QEMU_CONNECTION (vmd_domain_get_connection (VMD_DOMAIN (self)));
}

gboolean
_vmd_qemu_domain_check_running (VmdQemuDomain *self, GError **error)
{
  if (self->qmp != NULL && vmd_domain_is_active (VMD_DOMAIN (self)))
    return TRUE;
  g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_INVALID_STATE,
               _("The virtual machine “%s” is not running."),
               vmd_domain_get_name (VMD_DOMAIN (self)));
  return FALSE;
}

/* A file of this VM in the engine's data folder, e.g. ("nvram", "_VARS.fd"). */
char *
_vmd_qemu_domain_data_path (VmdQemuDomain *self, const char *kind, const char *suffix)
{
  VmdQemuConnection *connection = _vmd_qemu_domain_get_connection (self);
  g_autofree char *file = g_strconcat (vmd_domain_get_uuid (VMD_DOMAIN (self)), suffix, NULL);

  return g_build_filename (vmd_qemu_connection_get_data_dir (connection), kind, file, NULL);
}

static void
qmp_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result,
                                                              &error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Runs one QMP command for @task and completes it with its outcome. */
void
_vmd_qemu_domain_qmp_async (VmdQemuDomain *self,
                            const char    *command,
                            JsonNode      *arguments,
                            GTask         *task)
{
  g_autoptr (GError) error = NULL;

  if (!_vmd_qemu_domain_check_running (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  vmd_qmp_client_execute_async (self->qmp, command, arguments, g_task_get_cancellable (task),
                                qmp_done, g_object_ref (task));
}

/* Completes @task once QEMU is gone. */
void
_vmd_qemu_domain_wait_gone (VmdQemuDomain *self, GTask *task)
{
  if (self->qmp == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_ptr_array_add (self->waiters, g_object_ref (task));
}

static gboolean
process_alive (GPid pid)
{
  g_autofree char *path = NULL;
  g_autofree char *stat = NULL;
  const char *state;

  if (pid <= 0 || (kill (pid, 0) != 0 && errno != EPERM))
    return FALSE;
  /* A detached QEMU that exited stays a zombie until init reaps it. */
  path = g_strdup_printf ("/proc/%d/stat", pid);
  if (g_file_get_contents (path, &stat, NULL, NULL) && (state = strrchr (stat, ')')) != NULL &&
      state[1] == ' ' && state[2] == 'Z')
    return FALSE;
  return TRUE;
}

static void
clean_runtime_dir (VmdQemuDomain *self)
{
  g_autoptr (GDir) dir = g_dir_open (self->runtime_dir, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (self->runtime_dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (self->runtime_dir);
}

/* ------------------------------------------------------------- events */

/* Sets the state from QEMU's answer to query-status. */
static void
apply_status (VmdQemuDomain *self, JsonNode *reply)
{
  JsonObject *status;
  const char *value;

  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    return;
  status = json_node_get_object (reply);
  value = json_object_get_string_member_with_default (status, "status", "");

  if (g_str_equal (value, "running"))
    vmd_domain_set_state (VMD_DOMAIN (self), VMD_DOMAIN_STATE_RUNNING,
                          vmd_domain_get_state (VMD_DOMAIN (self)) == VMD_DOMAIN_STATE_PAUSED
                          ? VMD_STATE_REASON_UNPAUSED : VMD_STATE_REASON_BOOTED);
  else if (g_str_equal (value, "internal-error"))
    {
      vmd_domain_set_error_message (VMD_DOMAIN (self),
                                    _("KVM could not run this guest: the hypervisor stopped it with an internal error. Run it with software emulation (TCG) instead."));
      vmd_domain_set_state (VMD_DOMAIN (self), VMD_DOMAIN_STATE_PAUSED,
                            VMD_STATE_REASON_INTERNAL_ERROR);
    }
  else if (g_str_equal (value, "io-error"))
    vmd_domain_set_state (VMD_DOMAIN (self), VMD_DOMAIN_STATE_PAUSED, VMD_STATE_REASON_IO_ERROR);
  else if (g_str_equal (value, "shutdown"))
    vmd_domain_set_state (VMD_DOMAIN (self), VMD_DOMAIN_STATE_SHUTTING_DOWN,
                          VMD_STATE_REASON_SHUTDOWN);
  else if (g_str_equal (value, "inmigrate"))
    vmd_domain_set_state (VMD_DOMAIN (self), VMD_DOMAIN_STATE_PAUSED, VMD_STATE_REASON_RESTORED);
  else
    vmd_domain_set_state (VMD_DOMAIN (self), VMD_DOMAIN_STATE_PAUSED, VMD_STATE_REASON_USER);
}

static void
refresh_status_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdQemuDomain) self = user_data;
  g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result,
                                                              NULL);

  apply_status (self, reply);
}

static void
refresh_status (VmdQemuDomain *self)
{
  if (self->qmp == NULL)
    return;
  vmd_qmp_client_execute_async (self->qmp, "query-status", NULL, self->cancellable,
                                refresh_status_done, g_object_ref (self));
}

static void
on_qmp_event (VmdQmpClient *qmp,
              const char   *name,
              JsonObject   *data,
              gint64        timestamp,
              gpointer      user_data)
{
  VmdQemuDomain *self = user_data;
  VmdDomain *domain = VMD_DOMAIN (self);

  if (g_str_equal (name, "SHUTDOWN"))
    {
      self->shutdown_seen = TRUE;
      self->shutdown_by_guest = data && json_object_get_boolean_member_with_default (data, "guest",
                                                                                     FALSE);
      vmd_domain_set_state (domain, VMD_DOMAIN_STATE_SHUTTING_DOWN, VMD_STATE_REASON_SHUTDOWN);
    }
  else if (g_str_equal (name, "STOP"))
    {
      /* Paused by whom? query-status tells internal and I/O errors apart. */
      refresh_status (self);
    }
  else if (g_str_equal (name, "RESUME"))
    {
      vmd_domain_set_state (domain, VMD_DOMAIN_STATE_RUNNING,
                            vmd_domain_get_state (domain) == VMD_DOMAIN_STATE_PAUSED
                            ? VMD_STATE_REASON_UNPAUSED : VMD_STATE_REASON_BOOTED);
    }
  else if (g_str_equal (name, "RESET"))
    {
      vmd_domain_emit_event (domain, "reset", NULL);
    }
  else if (g_str_equal (name, "POWERDOWN"))
    {
      vmd_domain_emit_event (domain, "powerdown", NULL);
    }
  else if (g_str_equal (name, "DEVICE_TRAY_MOVED") && data != NULL)
    {
      const char *id = json_object_get_string_member_with_default (data, "id", NULL);
      gboolean open = json_object_get_boolean_member_with_default (data, "tray-open", FALSE);
      g_autofree char *detail = g_strdup_printf ("%s %s", id ? id : "",
                                                 open ? "open" : "closed");
      vmd_domain_emit_event (domain, "tray-moved", detail);
    }
  else if (g_str_equal (name, "BALLOON_CHANGE") && data != NULL)
    {
      g_autofree char *detail = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 json_object_get_int_member_with_default (data, "actual", 0));
      vmd_domain_emit_event (domain, "balloon-changed", detail);
    }
  else if (g_str_equal (name, "GUEST_PANICKED"))
    {
      vmd_domain_emit_event (domain, "guest-panicked", NULL);
    }
  else if (g_str_equal (name, "BLOCK_IO_ERROR"))
    {
      refresh_status (self);
    }
}

static void restart_after_reboot (VmdQemuDomain *self);

static void
on_qmp_disconnected (VmdQmpClient *qmp, const GError *reason, gpointer user_data)
{
  VmdQemuDomain *self = user_data;
  VmdDomain *domain = VMD_DOMAIN (self);
  g_autoptr (GPtrArray) waiters = NULL;
  gboolean rebooting = self->rebooting;

  g_signal_handlers_disconnect_by_data (qmp, self);
  g_clear_object (&self->qmp);
  g_clear_handle_id (&self->kill_source, g_source_remove);
  _vmd_qemu_domain_drop_early_display (self);

  if (self->saving)
    {
      vmd_domain_set_state (domain, VMD_DOMAIN_STATE_SHUTOFF, VMD_STATE_REASON_SAVED);
    }
  else if (self->destroying || (self->shutdown_seen && !self->shutdown_by_guest))
    {
      vmd_domain_set_state (domain, VMD_DOMAIN_STATE_SHUTOFF, VMD_STATE_REASON_DESTROYED);
    }
  else if (self->shutdown_seen)
    {
      vmd_domain_set_state (domain, VMD_DOMAIN_STATE_SHUTOFF, VMD_STATE_REASON_SHUTDOWN);
    }
  else
    {
      g_autofree char *tail = vmd_domain_get_log_tail (domain, 2048);
      g_autofree char *message = NULL;

      if (tail != NULL && *tail != '\0')
        message = g_strdup_printf (_("The QEMU process of “%s” ended unexpectedly. Its log ends with:\n%s"),
                                   vmd_domain_get_name (domain), tail);
      else
        message = g_strdup_printf (_("The QEMU process of “%s” ended unexpectedly."),
                                   vmd_domain_get_name (domain));
      vmd_domain_set_error_message (domain, message);
      vmd_domain_set_state (domain, VMD_DOMAIN_STATE_CRASHED, VMD_STATE_REASON_CRASHED);
      rebooting = FALSE;
    }

  /* swtpm and virtiofsd end when QEMU lets go of them; make sure. The
   * next start waits for them: swtpm holds the TPM state's lock. */
  g_clear_pointer (&self->old_helpers, g_array_unref);
  self->old_helpers = vmd_qemu_helpers_find (self->runtime_dir);
  vmd_qemu_helpers_terminate (self->old_helpers);

  /* The process may linger a moment after its monitor closed. */
  if (!process_alive (self->pid))
    clean_runtime_dir (self);
  self->pid = 0;
  self->shutdown_seen = self->shutdown_by_guest = FALSE;
  self->destroying = self->rebooting = self->saving = FALSE;

  waiters = g_steal_pointer (&self->waiters);
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    g_task_return_boolean (g_ptr_array_index (waiters, i), TRUE);

  if (rebooting)
    restart_after_reboot (self);
}

static void
reboot_started (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (!vmd_domain_start_finish (VMD_DOMAIN (source), result, &error))
    {
      vmd_domain_set_error_message (VMD_DOMAIN (source), error->message);
      g_warning ("%s did not come back after rebooting: %s",
                 vmd_domain_get_name (VMD_DOMAIN (source)), error->message);
    }
}

static void
restart_after_reboot (VmdQemuDomain *self)
{
  vmd_domain_start_async (VMD_DOMAIN (self), VMD_START_NONE, NULL, reboot_started, NULL);
}

/* Listens to @qmp; with @refresh, asks QEMU what state it is in (when
 * attaching to a QEMU started elsewhere). */
void
_vmd_qemu_domain_attach_qmp (VmdQemuDomain *self, VmdQmpClient *qmp, gboolean refresh)
{
  g_set_object (&self->qmp, qmp);
  g_signal_connect (qmp, "event", G_CALLBACK (on_qmp_event), self);
  g_signal_connect (qmp, "disconnected", G_CALLBACK (on_qmp_disconnected), self);
  if (refresh)
    refresh_status (self);
}

/* ------------------------------------------------------------- attach */

/* All monitors are tried at once; the first to greet wins, so a program
 * holding qmp.sock costs the next one nothing. */
typedef struct {
  GCancellable *cancel_all;
  guint         pending;
  guint         timeout;
  gboolean      done;
  gboolean      refresh;
  GError       *last_error;
} AttachData;

static void
attach_data_free (AttachData *data)
{
  g_clear_handle_id (&data->timeout, g_source_remove);
  g_clear_object (&data->cancel_all);
  g_clear_error (&data->last_error);
  g_free (data);
}

static gboolean
attach_timed_out (gpointer user_data)
{
  AttachData *data = user_data;

  data->timeout = 0;
  g_cancellable_cancel (data->cancel_all);
  return G_SOURCE_REMOVE;
}

static void
attach_status_known (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  VmdQemuDomain *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result,
                                                              &error);

  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  apply_status (self, reply);
  g_task_return_boolean (task, TRUE);
}

static void
monitor_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  VmdQemuDomain *self = g_task_get_source_object (task);
  AttachData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdQmpClient) qmp = vmd_qmp_client_connect_finish (result, &error);

  data->pending--;
  if (qmp != NULL && data->done)
    {
      vmd_qmp_client_close (qmp);  /* another monitor answered first */
      return;
    }
  if (qmp != NULL)
    {
      data->done = TRUE;
      g_cancellable_cancel (data->cancel_all);
      _vmd_qemu_domain_attach_qmp (self, qmp, FALSE);
      if (data->refresh)
        {
          /* Attached once the state is known: whoever waits for the
           * attach (a connection opening) must not see "shut off". */
          vmd_qmp_client_execute_async (qmp, "query-status", NULL, g_task_get_cancellable (task),
                                        attach_status_known, g_object_ref (task));
          return;
        }
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (error != NULL && data->last_error == NULL &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    data->last_error = g_steal_pointer (&error);
  if (data->pending == 0 && !data->done)
    {
      data->done = TRUE;
      if (g_task_return_error_if_cancelled (task))
        return;
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("The monitor of “%s” did not answer: %s"),
                               vmd_domain_get_name (VMD_DOMAIN (self)),
                               data->last_error ? data->last_error->message
                                                : _("every monitor is in use by other programs"));
    }
}

/* Connects to the QMP monitor of a QEMU that is already running. */
void
_vmd_qemu_domain_connect_monitor (VmdQemuDomain       *self,
                                  gboolean             refresh,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  AttachData *data = g_new0 (AttachData, 1);

  g_task_set_source_tag (task, _vmd_qemu_domain_connect_monitor);
  data->refresh = refresh;
  data->cancel_all = g_cancellable_new ();
  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (g_cancellable_cancel),
                           g_object_ref (data->cancel_all), g_object_unref);
  g_task_set_task_data (task, data, (GDestroyNotify) attach_data_free);
  data->timeout = g_timeout_add_seconds (10, attach_timed_out, data);

  for (guint i = 0; monitor_sockets[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (self->runtime_dir, monitor_sockets[i], NULL);

      data->pending++;
      vmd_qmp_client_connect_async (path, data->cancel_all, monitor_connected,
                                    g_object_ref (task));
    }
}

static GPid
read_pidfile (VmdQemuDomain *self)
{
  g_autofree char *path = g_build_filename (self->runtime_dir, "qemu.pid", NULL);
  g_autofree char *text = NULL;
  guint64 pid;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  if (!g_ascii_string_to_unsigned (g_strstrip (text), 10, 1, G_MAXINT, &pid, NULL))
    return 0;
  return (GPid) pid;
}

/* Is @pid the QEMU of this VM, and not a recycled PID? */
static gboolean
process_is_ours (VmdQemuDomain *self, GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/cmdline", pid);
  g_autofree char *cmdline = NULL;
  gsize len;
  const char *uuid = vmd_domain_get_uuid (VMD_DOMAIN (self));

  if (!g_file_get_contents (path, &cmdline, &len, NULL))
    return FALSE;
  for (gsize i = 0; i < len; i += strlen (cmdline + i) + 1)
    if (g_ascii_strcasecmp (cmdline + i, uuid) == 0)
      return TRUE;
  return FALSE;
}

static void
attach_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * vmd_qemu_domain_attach_async:
 *
 * Finds this VM's QEMU if it runs (started by an earlier run of the app, or
 * by another program) and connects to it.
 */
void
vmd_qemu_domain_attach_async (VmdQemuDomain       *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  GPid pid;

  g_task_set_source_tag (task, vmd_qemu_domain_attach_async);

  if (self->qmp != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  pid = read_pidfile (self);
  if (pid == 0 || !process_alive (pid) || !process_is_ours (self, pid))
    {
      clean_runtime_dir (self);
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_NOT_FOUND,
                               _("The virtual machine “%s” is not running."),
                               vmd_domain_get_name (VMD_DOMAIN (self)));
      return;
    }

  self->pid = pid;
  _vmd_qemu_domain_connect_monitor (self, TRUE, cancellable, attach_connected,
                                    g_object_ref (task));
}

gboolean
vmd_qemu_domain_attach_finish (VmdQemuDomain *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------- class */

/**
 * _vmd_qemu_read_log:
 * @offset: where to start, or -1 for the last @max_bytes
 *
 * At most @max_bytes of a log, whatever size it has grown to: logs are read
 * where the main loop waits, so never whole.
 */
char *
_vmd_qemu_read_log (const char *path, gint64 offset, gsize max_bytes)
{
  g_autofree char *buf = NULL;
  struct stat st;
  ssize_t n;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    return NULL;
  if (fstat (fd, &st) != 0)
    {
      close (fd);
      return NULL;
    }
  if (offset < 0)
    offset = st.st_size > (off_t) max_bytes ? st.st_size - (off_t) max_bytes : 0;
  buf = g_malloc (max_bytes + 1);
  n = pread (fd, buf, max_bytes, offset);
  close (fd);
  if (n < 0)
    return NULL;
  buf[n] = '\0';
  return g_steal_pointer (&buf);
}

/* The engine's log of starts and QEMU's early words, then what QEMU said
 * while it ran (its -D log), the end of both. */
static char *
vmd_qemu_domain_get_log_tail (VmdDomain *domain, gsize max_bytes)
{
  VmdQemuDomain *self = VMD_QEMU_DOMAIN (domain);
  g_autofree char *text = NULL;
  g_autofree char *engine_log = NULL;
  g_autofree char *qemu_log = NULL;
  gsize len;
  const char *start;

  engine_log = _vmd_qemu_read_log (self->log_path, -1, max_bytes);
  qemu_log = _vmd_qemu_read_log (self->qemu_log_path, -1, max_bytes);
  if (engine_log == NULL && qemu_log == NULL)
    return NULL;
  text = g_strconcat (engine_log ? engine_log : "", qemu_log ? qemu_log : "", NULL);
  len = strlen (text);
  start = len > max_bytes ? text + len - max_bytes : text;
  /* Whole lines only. */
  if (start != text)
    {
      const char *nl = strchr (start, '\n');
      if (nl != NULL)
        start = nl + 1;
    }
  return g_strstrip (g_strdup (start));
}

static void
vmd_qemu_domain_class_init (VmdQemuDomainClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  VmdDomainClass *domain_class = VMD_DOMAIN_CLASS (klass);

  object_class->dispose = vmd_qemu_domain_dispose;
  object_class->finalize = vmd_qemu_domain_finalize;

  domain_class->start_async = _vmd_qemu_domain_start_async;
  domain_class->shutdown_async = _vmd_qemu_domain_shutdown_async;
  domain_class->reboot_async = _vmd_qemu_domain_reboot_async;
  domain_class->reset_async = _vmd_qemu_domain_reset_async;
  domain_class->destroy_async = _vmd_qemu_domain_destroy_async;
  domain_class->suspend_async = _vmd_qemu_domain_suspend_async;
  domain_class->resume_async = _vmd_qemu_domain_resume_async;
  domain_class->set_config_async = _vmd_qemu_domain_set_config_async;
  domain_class->rename_async = _vmd_qemu_domain_rename_async;
  domain_class->undefine_async = _vmd_qemu_domain_undefine_async;
  domain_class->get_autostart = _vmd_qemu_domain_get_autostart;
  domain_class->set_autostart = _vmd_qemu_domain_set_autostart;
  domain_class->open_display_async = _vmd_qemu_domain_open_display_async;
  domain_class->display_connected = _vmd_qemu_domain_display_connected;
  domain_class->open_serial_async = _vmd_qemu_domain_open_serial_async;
  domain_class->screenshot_async = _vmd_qemu_domain_screenshot_async;
  domain_class->send_keys_async = _vmd_qemu_domain_send_keys_async;
  domain_class->set_memory_async = _vmd_qemu_domain_set_memory_async;
  domain_class->change_media_async = _vmd_qemu_domain_change_media_async;
  domain_class->attach_device_async = _vmd_qemu_domain_attach_device_async;
  domain_class->detach_device_async = _vmd_qemu_domain_detach_device_async;
  domain_class->set_link_async = _vmd_qemu_domain_set_link_async;
  domain_class->get_guest_interfaces_async = _vmd_qemu_domain_get_guest_interfaces_async;
  domain_class->save_async = _vmd_qemu_domain_save_async;
  domain_class->restore_async = _vmd_qemu_domain_restore_async;
  domain_class->list_snapshots = _vmd_qemu_domain_list_snapshots;
  domain_class->snapshot_create_async = _vmd_qemu_domain_snapshot_create_async;
  domain_class->snapshot_revert_async = _vmd_qemu_domain_snapshot_revert_async;
  domain_class->snapshot_delete_async = _vmd_qemu_domain_snapshot_delete_async;
  domain_class->get_log_tail = vmd_qemu_domain_get_log_tail;
}

static void
vmd_qemu_domain_init (VmdQemuDomain *self)
{
  self->cancellable = g_cancellable_new ();
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->snapshots = g_ptr_array_new_with_free_func (g_object_unref);
}

VmdQemuDomain *
vmd_qemu_domain_new (VmdQemuConnection *connection,
                     VmdDomainConfig   *config,
                     const char        *definition_path)
{
  VmdQemuDomain *self = g_object_new (VMD_TYPE_QEMU_DOMAIN,
                                      "connection", connection,
                                      "config", config,
                                      NULL);
  g_autofree char *log_file = NULL;

  self->definition_path = g_strdup (definition_path);
  self->runtime_dir = g_build_filename (vmd_qemu_connection_get_runtime_dir (connection),
                                        vmd_domain_get_uuid (VMD_DOMAIN (self)), NULL);
  log_file = g_strconcat (vmd_domain_get_uuid (VMD_DOMAIN (self)), ".log", NULL);
  self->log_path = g_build_filename (vmd_qemu_connection_get_data_dir (connection), "logs",
                                     log_file, NULL);
  {
    g_autofree char *qemu_file = g_strconcat (vmd_domain_get_uuid (VMD_DOMAIN (self)), "-qemu.log",
                                              NULL);
    self->qemu_log_path = g_build_filename (vmd_qemu_connection_get_data_dir (connection), "logs",
                                            qemu_file, NULL);
  }
  return self;
}

const char *
vmd_qemu_domain_get_definition_path (VmdQemuDomain *self)
{
  return self->definition_path;
}

char *
vmd_qemu_domain_get_runtime_dir (VmdQemuDomain *self)
{
  return g_strdup (self->runtime_dir);
}

GPid
vmd_qemu_domain_get_pid (VmdQemuDomain *self)
{
  return self->pid;
}
