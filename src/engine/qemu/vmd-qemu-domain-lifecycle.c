/* vmd-qemu-domain-lifecycle.c: starting and stopping a VM's QEMU
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Start: check the definition and its files, build the argv, spawn QEMU
 * with -daemonize (its parent exits once QEMU is ready, or fails with its
 * reason on stderr, which goes to the VM's log), connect to its monitor,
 * then let the CPUs run. QEMU always starts with -S, so nothing of the
 * guest runs before the engine is attached.
 */
#define G_LOG_DOMAIN "vmdesk-engine"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "vmd-device-types.h"
#include "vmd-qemu-argv.h"
#include "vmd-qemu-domain-private.h"
#include "vmd-qemu-helpers.h"

/* How long a forced off waits for SIGTERM before SIGKILL. */
#define DESTROY_GRACE_MS 5000

/* What QEMU's command line cannot say: a NIC's link state, the VNC
 * password (kept out of the argv, which anyone can read), the balloon's
 * statistics period. */
typedef struct {
  char     *command;
  JsonNode *arguments;
  char     *what;      /* for the error message */
} SetupCommand;

typedef struct {
  VmdStartFlags  flags;
  char          *name;
  char          *runtime_dir;
  char          *log_path;
  char          *qemu_log_path;
  char          *nvram_path;
  char          *nvram_template;
  GPtrArray     *files;        /* disk images that must exist */
  VmdQemuHelperPlan *helpers;  /* swtpm, virtiofsd */
  GArray        *old_helpers;  /* helpers of the last run, to be gone first */
  GPtrArray     *setup;        /* SetupCommand: QMP before the CPUs run */
  guint          setup_next;
  gboolean       display_attached;  /* VMD_START_ATTACH_DISPLAY done */
  guint          hold_timeout;      /* the CPUs wait for the display's handshake */
  GStrv          argv;
  char          *log_header;   /* what this start wrote to the log first */
  gint64         log_offset;   /* where this start's messages begin */
  int            log_fd;
  int            incoming_fd;  /* a saved state to restore, positioned at its data */
  guint          poll_source;
} StartData;

static void
start_data_free (StartData *data)
{
  g_free (data->name);
  g_free (data->runtime_dir);
  g_free (data->log_path);
  g_free (data->qemu_log_path);
  g_free (data->nvram_path);
  g_free (data->nvram_template);
  g_clear_pointer (&data->files, g_ptr_array_unref);
  g_clear_pointer (&data->helpers, vmd_qemu_helper_plan_free);
  g_clear_pointer (&data->old_helpers, g_array_unref);
  g_clear_pointer (&data->setup, g_ptr_array_unref);
  g_strfreev (data->argv);
  g_free (data->log_header);
  if (data->log_fd >= 0)
    close (data->log_fd);
  if (data->incoming_fd >= 0)
    close (data->incoming_fd);
  g_clear_handle_id (&data->poll_source, g_source_remove);
  g_clear_handle_id (&data->hold_timeout, g_source_remove);
  g_free (data);
}

static gboolean
copy_file (const char *from, const char *to, GError **error)
{
  g_autoptr (GFile) src = g_file_new_for_path (from);
  g_autoptr (GFile) dst = g_file_new_for_path (to);

  return g_file_copy (src, dst, G_FILE_COPY_NONE, NULL, NULL, NULL, error);
}

/* Everything that touches the disk before QEMU runs, off the main loop. */
static void
prepare_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  StartData *data = task_data;
  g_autofree char *log_dir = g_path_get_dirname (data->log_path);
  g_autofree char *header = NULL;
  g_autofree char *cmdline = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d %H:%M:%S");
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = NULL;
  const char *name;

  for (guint i = 0; i < data->files->len; i++)
    {
      const char *path = g_ptr_array_index (data->files, i);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                                   _("The disk image %s does not exist."), path);
          return;
        }
    }

  if (data->nvram_path != NULL && !g_file_test (data->nvram_path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *nvram_dir = g_path_get_dirname (data->nvram_path);

      if (data->nvram_template == NULL || !g_file_test (data->nvram_template, G_FILE_TEST_EXISTS))
        {
          g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                                   _("The UEFI variables template %s does not exist; install the “ovmf” package."),
                                   data->nvram_template ? data->nvram_template : "OVMF_VARS");
          return;
        }
      if (g_mkdir_with_parents (nvram_dir, 0700) != 0 ||
          !copy_file (data->nvram_template, data->nvram_path, &error))
        {
          g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                                   _("The UEFI variables of this virtual machine could not be created: %s"),
                                   error ? error->message : g_strerror (errno));
          return;
        }
    }

  if (g_mkdir_with_parents (data->runtime_dir, 0700) != 0 || g_chmod (data->runtime_dir, 0700) != 0 ||
      g_mkdir_with_parents (log_dir, 0700) != 0)
    {
      int saved = errno;
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                               _("The runtime folder %s could not be created: %s"),
                               data->runtime_dir, g_strerror (saved));
      return;
    }
  /* Helpers of an earlier run hold the TPM state's lock: they go first. */
  {
    g_autoptr (GArray) stale = vmd_qemu_helpers_find (data->runtime_dir);

    if (data->old_helpers != NULL)
      g_array_append_vals (stale, data->old_helpers->data, data->old_helpers->len);
    vmd_qemu_helpers_stop_sync (stale, 3000);
  }
  /* Stale sockets of an earlier run would make QEMU fail to listen. */
  dir = g_dir_open (data->runtime_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (data->runtime_dir, name, NULL);
      g_unlink (path);
    }

  /* QEMU's own log is of one run: the last run's words must not pass
   * for this one's. */
  g_unlink (data->qemu_log_path);
  data->log_fd = g_open (data->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (data->log_fd < 0)
    {
      int saved = errno;
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                               _("The log %s could not be opened: %s"), data->log_path,
                               g_strerror (saved));
      return;
    }
  cmdline = vmd_qemu_argv_to_string ((const char *const *) data->argv);
  header = g_strdup_printf ("%s: starting up\n%s\n", stamp, cmdline);
  data->log_offset = lseek (data->log_fd, 0, SEEK_END) + strlen (header);
  if (write (data->log_fd, header, strlen (header)) < 0)
    g_debug ("could not write the log header: %s", g_strerror (errno));
  data->log_header = g_steal_pointer (&header);

  if (!vmd_qemu_helper_plan_start (data->helpers, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* The helpers this start ran, when QEMU did not come up. */
static void
stop_helpers (StartData *data)
{
  g_autoptr (GArray) pids = vmd_qemu_helpers_find (data->runtime_dir);

  vmd_qemu_helpers_terminate (pids);
}

/* What QEMU wrote to the log since this start's @header at @offset. QEMU
 * truncates its -D log once it has daemonized (and from then on writes its
 * stderr there): when the header is no longer where it was written, all the
 * file holds is QEMU's. */
static char *
read_log_since (const char *path, gint64 offset, const char *header)
{
  gsize header_len = header ? strlen (header) : 0;
  g_autofree char *head = NULL;
  g_autofree char *text = NULL;

  /* This start's header must still be where it was written; if not,
   * show the end of the log rather than guess. */
  if (offset >= (gint64) header_len && header_len > 0)
    head = _vmd_qemu_read_log (path, offset - header_len, header_len);
  if (head != NULL && strcmp (head, header) == 0)
    text = _vmd_qemu_read_log (path, offset, 16384);
  else
    text = _vmd_qemu_read_log (path, -1, 16384);
  return g_strstrip (text ? g_steal_pointer (&text) : g_strdup (""));
}

static void
cont_done_restored (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  VmdQemuDomain *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result,
                                                              &error);

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  vmd_domain_set_state (VMD_DOMAIN (self), VMD_DOMAIN_STATE_RUNNING, VMD_STATE_REASON_RESTORED);
  g_task_return_boolean (task, TRUE);
}

static void
cont_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  VmdQemuDomain *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result,
                                                              &error);

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  vmd_domain_set_state (VMD_DOMAIN (self), VMD_DOMAIN_STATE_RUNNING, VMD_STATE_REASON_BOOTED);
  g_task_return_boolean (task, TRUE);
}

/* ---------------------------------------------------- restoring a state */

static void restore_poll (GTask *task);

static void
restore_status (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  VmdQemuDomain *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result,
                                                              &error);
  const char *status;

  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  status = json_object_get_string_member_with_default (json_node_get_object (reply), "status", "");
  if (g_str_equal (status, "inmigrate"))
    {
      restore_poll (task);
      return;
    }
  if (!g_str_equal (status, "paused") && !g_str_equal (status, "prelaunch") &&
      !g_str_equal (status, "postmigrate"))
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("The saved state of “%s” could not be restored (QEMU is “%s”)."),
                               data->name, status);
      return;
    }
  if (data->flags & VMD_START_PAUSED)
    {
      vmd_domain_set_state (VMD_DOMAIN (self), VMD_DOMAIN_STATE_PAUSED, VMD_STATE_REASON_RESTORED);
      g_task_return_boolean (task, TRUE);
      return;
    }
  vmd_domain_set_state (VMD_DOMAIN (self), VMD_DOMAIN_STATE_PAUSED, VMD_STATE_REASON_RESTORED);
  vmd_qmp_client_execute_async (self->qmp, "cont", NULL, g_task_get_cancellable (task),
                                cont_done_restored, g_object_ref (task));
}

static gboolean
restore_poll_cb (gpointer user_data)
{
  GTask *task = user_data;
  VmdQemuDomain *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);

  data->poll_source = 0;
  if (self->qmp == NULL)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("QEMU stopped while restoring “%s”."), data->name);
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  vmd_qmp_client_execute_async (self->qmp, "query-status", NULL, g_task_get_cancellable (task),
                                restore_status, task);
  return G_SOURCE_REMOVE;
}

static void
restore_poll (GTask *task)
{
  StartData *data = g_task_get_task_data (task);

  data->poll_source = g_timeout_add (50, restore_poll_cb, g_object_ref (task));
}

static void
incoming_started (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result,
                                                              &error);

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  restore_poll (task);
}

static void
incoming_fd_passed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  VmdQemuDomain *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result,
                                                              &error);
  g_autoptr (JsonNode) args = NULL;

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  close (data->incoming_fd);
  data->incoming_fd = -1;
  args = json_from_string ("{\"uri\": \"fd:vmdesk-restore\"}", NULL);
  vmd_qmp_client_execute_async (self->qmp, "migrate-incoming", args,
                                g_task_get_cancellable (task), incoming_started,
                                g_object_ref (task));
}

static void
restore_state (GTask *task)
{
  VmdQemuDomain *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);
  g_autoptr (JsonNode) args = json_from_string ("{\"fdname\": \"vmdesk-restore\"}", NULL);

  vmd_qmp_client_execute_with_fd_async (self->qmp, "getfd", args, data->incoming_fd,
                                        g_task_get_cancellable (task), incoming_fd_passed,
                                        g_object_ref (task));
}

static void
restore_failed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  /* Completes the start task with the restore's error once QEMU is gone. */
  g_autoptr (GTask) task = user_data;
  GError *error = g_object_steal_data (G_OBJECT (task), "vmd-restore-error");

  g_task_return_error (task, error);
}

static void
restore_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  VmdQemuDomain *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* A QEMU that could not take the state is of no use: stop it. */
  g_prefix_error (&error, _("The saved state of “%s” could not be restored: "), data->name);
  g_object_set_data (G_OBJECT (task), "vmd-restore-error", g_steal_pointer (&error));
  vmd_domain_destroy_async (VMD_DOMAIN (self), NULL, restore_failed, g_object_ref (task));
}

static void run_setup (GTask *task);
static void resume_after_setup (GTask *task);
static void early_display_done (GObject *source, GAsyncResult *result, gpointer user_data);
static void release_hold (GTask *task);
static void hold_for_display (GTask *task);

static void
monitor_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  VmdQemuDomain *self = VMD_QEMU_DOMAIN (source);
  StartData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* QEMU runs but we cannot talk to it: do not leave it behind. */
      if (self->pid > 0)
        kill (self->pid, SIGKILL);
      self->pid = 0;
      vmd_domain_set_state (VMD_DOMAIN (self), VMD_DOMAIN_STATE_SHUTOFF, VMD_STATE_REASON_FAILED);
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                               _("QEMU started “%s” but its monitor did not answer: %s"),
                               data->name, error->message);
      stop_helpers (data);
      return;
    }

  data->setup_next = 0;
  run_setup (g_steal_pointer (&task));
}

static void
setup_failed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  /* Completes the start task with the setup's error once QEMU is gone. */
  g_autoptr (GTask) task = user_data;
  GError *error = g_object_steal_data (G_OBJECT (task), "vmd-setup-error");

  vmd_domain_set_error_message (VMD_DOMAIN (g_task_get_source_object (task)), error->message);
  g_task_return_error (task, error);
}

static void
setup_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  VmdQemuDomain *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);
  SetupCommand *cmd = g_ptr_array_index (data->setup, data->setup_next - 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result,
                                                              &error);
  GError *failure;

  if (error == NULL)
    {
      run_setup (g_steal_pointer (&task));
      return;
    }
  /* A VM without what its definition asks for (a NIC meant to be
   * unplugged, a VNC port meant to need a password) must not run. */
  failure = g_error_new (VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                         _("“%s” could not be started. %s: %s"), data->name, cmd->what,
                         error->message);
  g_object_set_data (G_OBJECT (task), "vmd-setup-error", failure);
  vmd_domain_destroy_async (VMD_DOMAIN (self), NULL, setup_failed, g_steal_pointer (&task));
}

/* Takes @task. */
static void
run_setup (GTask *task)
{
  VmdQemuDomain *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);

  if (data->setup != NULL && data->setup_next < data->setup->len)
    {
      SetupCommand *cmd = g_ptr_array_index (data->setup, data->setup_next++);

      if (self->qmp == NULL)
        {
          g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                                   _("QEMU stopped while starting “%s”."), data->name);
          g_object_unref (task);
          return;
        }
      vmd_qmp_client_execute_async (self->qmp, cmd->command, cmd->arguments,
                                    g_task_get_cancellable (task), setup_done, task);
      return;
    }
  resume_after_setup (task);
}

/* Takes @task. */
static void
resume_after_setup (GTask *task_in)
{
  g_autoptr (GTask) task = task_in;
  VmdQemuDomain *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);

  if (data->incoming_fd >= 0)
    {
      g_autoptr (GTask) restore = g_task_new (self, g_task_get_cancellable (task), restore_done,
                                              g_object_ref (task));
      g_task_set_task_data (restore, data, NULL);
      restore_state (restore);
      return;
    }
  if (data->flags & VMD_START_PAUSED)
    {
      vmd_domain_set_state (VMD_DOMAIN (self), VMD_DOMAIN_STATE_PAUSED, VMD_STATE_REASON_USER);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if ((data->flags & VMD_START_ATTACH_DISPLAY) && !data->display_attached)
    {
      data->display_attached = TRUE;
      _vmd_qemu_domain_attach_early_display_async (self, g_task_get_cancellable (task),
                                                   early_display_done, g_object_ref (task));
      return;
    }
  vmd_qmp_client_execute_async (self->qmp, "cont", NULL, g_task_get_cancellable (task),
                                cont_done, g_object_ref (task));
}

/* How long the CPUs may wait for the early display's handshake: long
 * enough for a console that takes the display at once, short enough that a
 * VM nobody watches does not notice. */
#define DISPLAY_HANDSHAKE_MS 300

/* Takes @task: the CPUs start now, whether or not the handshake is done. */
static void
release_hold (GTask *task)
{
  VmdQemuDomain *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);

  g_clear_handle_id (&data->hold_timeout, g_source_remove);
  if (self->held_start == task)
    self->held_start = NULL;
  if (self->qmp == NULL)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                               _("QEMU stopped while starting “%s”."), data->name);
      g_object_unref (task);
      return;
    }
  resume_after_setup (task);
}

static gboolean
hold_timeout_cb (gpointer user_data)
{
  StartData *data = g_task_get_task_data (user_data);

  data->hold_timeout = 0;
  release_hold (user_data);
  return G_SOURCE_REMOVE;
}

/* Takes @task. A handshake while the guest's CPUs already run is slow:
 * QEMU's main loop then competes with a busy vCPU for the BQL and the
 * machine's cores, and gtk-vnc's round trips took 40-60 ms where they take
 * a few with the CPUs stopped. So the CPUs wait until whoever took the
 * display says its handshake is done (vmd_domain_display_connected()), or
 * DISPLAY_HANDSHAKE_MS at most. QEMU's VNC_INITIALIZED event cannot tell:
 * QEMU sends no VNC events for a client on a socket pair. */
static void
hold_for_display (GTask *task)
{
  VmdQemuDomain *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);

  self->held_start = task;
  data->hold_timeout = g_timeout_add (DISPLAY_HANDSHAKE_MS, hold_timeout_cb, task);
}

void
_vmd_qemu_domain_display_connected (VmdDomain *domain)
{
  VmdQemuDomain *self = VMD_QEMU_DOMAIN (domain);

  if (self->held_start != NULL)
    release_hold (self->held_start);
}

/* The early display is a nicety: without it the console attaches later. */
static void
early_display_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  g_autoptr (GError) error = NULL;

  if (!_vmd_qemu_domain_attach_early_display_finish (VMD_QEMU_DOMAIN (source), result, &error))
    g_debug ("No display attached before the CPUs ran: %s", error->message);
  else if (VMD_QEMU_DOMAIN (source)->qmp != NULL)
    {
      /* A window can take the display now and finish the handshake while
       * QEMU is still idle, before the guest's first picture. */
      vmd_domain_emit_event (VMD_DOMAIN (source), "display-ready", NULL);
      hold_for_display (task);
      return;
    }
  release_hold (task);
}

static GPid
read_pid (const char *runtime_dir)
{
  g_autofree char *path = g_build_filename (runtime_dir, "qemu.pid", NULL);
  g_autofree char *text = NULL;
  guint64 pid = 0;

  if (g_file_get_contents (path, &text, NULL, NULL))
    g_ascii_string_to_unsigned (g_strstrip (text), 10, 1, G_MAXINT, &pid, NULL);
  return (GPid) pid;
}

static void
qemu_parent_exited (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  VmdQemuDomain *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (!g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &error))
    {
      g_autofree char *early = read_log_since (data->log_path, data->log_offset,
                                               data->log_header);
      g_autofree char *late = NULL;
      g_autofree char *log = NULL;

      /* Some errors come after QEMU opened its -D log. */
      late = _vmd_qemu_read_log (data->qemu_log_path, -1, 16384);
      log = g_strstrip (g_strconcat (early, *early && late && *late ? "\n" : "",
                                     late ? late : "", NULL));
      vmd_domain_set_error_message (VMD_DOMAIN (self), log);
      vmd_domain_set_state (VMD_DOMAIN (self), VMD_DOMAIN_STATE_SHUTOFF, VMD_STATE_REASON_FAILED);
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                               _("QEMU could not start “%s”: %s"), data->name,
                               *log ? log : error->message);
      stop_helpers (data);
      return;
    }

  self->pid = read_pid (data->runtime_dir);
  self->shutdown_seen = self->shutdown_by_guest = FALSE;
  self->destroying = self->rebooting = self->saving = FALSE;
  _vmd_qemu_domain_connect_monitor (self, FALSE, g_task_get_cancellable (task), monitor_ready,
                                    g_object_ref (task));
}

static void
prepared (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  StartData *data = g_task_get_task_data (task);
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      stop_helpers (data);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_take_stdout_fd (launcher, dup (data->log_fd));
  g_subprocess_launcher_take_stderr_fd (launcher, dup (data->log_fd));
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) data->argv, &error);
  if (process == NULL)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                               _("QEMU could not be run: %s"), error->message);
      stop_helpers (data);
      return;
    }
  g_subprocess_wait_check_async (process, g_task_get_cancellable (task), qemu_parent_exited,
                                 g_object_ref (task));
}

/* The disk images a start needs, so a missing one is named plainly. */
static GPtrArray *
required_files (VmdDomainConfig *config)
{
  g_autoptr (GPtrArray) disks = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_DISK);
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < disks->len; i++)
    {
      VmdDeviceDisk *disk = g_ptr_array_index (disks, i);
      g_autofree char *type = vmd_device_disk_get_disk_type (disk);
      char *source = vmd_device_disk_get_source (disk);

      if (source != NULL && (g_strcmp0 (type, "file") == 0 || g_strcmp0 (type, "block") == 0))
        g_ptr_array_add (files, source);
      else
        g_free (source);
    }
  {
    g_autofree char *kernel = vmd_domain_config_get_kernel (config);
    g_autofree char *initrd = vmd_domain_config_get_initrd (config);
    if (kernel != NULL)
      g_ptr_array_add (files, g_steal_pointer (&kernel));
    if (initrd != NULL)
      g_ptr_array_add (files, g_steal_pointer (&initrd));
  }
  return files;
}

/* ------------------------------------------- before the CPUs first run */

static void
setup_command_free (SetupCommand *cmd)
{
  g_free (cmd->command);
  g_clear_pointer (&cmd->arguments, json_node_unref);
  g_free (cmd->what);
  g_free (cmd);
}

static void
add_setup (GPtrArray *setup, const char *command, JsonBuilder *builder, char *what)
{
  SetupCommand *cmd = g_new0 (SetupCommand, 1);

  cmd->command = g_strdup (command);
  cmd->arguments = json_builder_get_root (builder);
  cmd->what = what;
  g_ptr_array_add (setup, cmd);
}

/* Whether the argv asked QEMU for VNC password authentication. */
static gboolean
argv_has_vnc_password (const char *const *argv)
{
  for (guint i = 0; argv[i] != NULL && argv[i + 1] != NULL; i++)
    if (g_str_equal (argv[i], "-vnc") && strstr (argv[i + 1], ",password=on") != NULL)
      return TRUE;
  return FALSE;
}

static GPtrArray *
setup_commands (VmdDomainConfig *config, const char *const *argv)
{
  GPtrArray *setup = g_ptr_array_new_with_free_func ((GDestroyNotify) setup_command_free);
  g_autoptr (GPtrArray) nics = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_INTERFACE);
  g_autoptr (GPtrArray) graphics = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_GRAPHICS);
  g_autoptr (GPtrArray) balloons = vmd_domain_config_get_devices (config,
                                                                  VMD_TYPE_DEVICE_MEMBALLOON);

  for (guint i = 0; i < nics->len; i++)
    {
      VmdDeviceInterface *nic = g_ptr_array_index (nics, i);
      g_autofree char *id = NULL;
      g_autoptr (JsonBuilder) b = NULL;

      if (vmd_device_interface_get_link_up (nic))
        continue;
      id = vmd_qemu_argv_device_id (VMD_DEVICE (nic));
      if (id == NULL)
        continue;
      b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, id);
      json_builder_set_member_name (b, "up");
      json_builder_add_boolean_value (b, FALSE);
      json_builder_end_object (b);
      add_setup (setup, "set_link", b,
                 g_strdup_printf (_("The link of the network card %s could not be set down"), id));
    }

  if (argv_has_vnc_password (argv))
    for (guint i = 0; i < graphics->len; i++)
      {
        VmdDeviceGraphics *g = g_ptr_array_index (graphics, i);
        g_autofree char *type = vmd_device_graphics_get_graphics_type (g);
        g_autofree char *password = vmd_device_graphics_get_password (g);
        g_autoptr (JsonBuilder) b = NULL;

        if (g_strcmp0 (type, "vnc") != 0 || password == NULL)
          continue;
        b = json_builder_new ();
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "protocol");
        json_builder_add_string_value (b, "vnc");
        json_builder_set_member_name (b, "password");
        json_builder_add_string_value (b, password);
        json_builder_end_object (b);
        add_setup (setup, "set_password", b, g_strdup (_("The VNC password could not be set")));
        break;
      }

  for (guint i = 0; i < balloons->len; i++)
    {
      VmdDeviceMemballoon *m = g_ptr_array_index (balloons, i);
      g_autofree char *model = vmd_device_memballoon_get_model (m);
      guint period = vmd_device_memballoon_get_stats_period (m);
      g_autoptr (JsonBuilder) b = NULL;

      if (period == 0 || g_strcmp0 (model, "none") == 0)
        continue;
      b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, "/machine/peripheral/balloon0");
      json_builder_set_member_name (b, "property");
      json_builder_add_string_value (b, "guest-stats-polling-interval");
      json_builder_set_member_name (b, "value");
      json_builder_add_int_value (b, period);
      json_builder_end_object (b);
      add_setup (setup, "qom-set", b,
                 g_strdup (_("The memory balloon's statistics period could not be set")));
      break;
    }
  return setup;
}

/* The extra monitors let a second program talk to the VM while the first
 * keeps qmp.sock. */
static GStrv
add_monitors (GStrv argv, const char *runtime_dir)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_addv (builder, (const char **) argv);
  for (guint i = 2; i <= 4; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/qmp-%u.sock", runtime_dir, i);
      g_autofree char *escaped = NULL;
      g_auto (GStrv) parts = g_strsplit (path, ",", -1);
      g_autofree char *chardev = NULL;
      g_autofree char *mon = NULL;

      escaped = g_strjoinv (",,", parts);
      chardev = g_strdup_printf ("socket,id=charmonitor%u,path=%s,server=on,wait=off", i, escaped);
      mon = g_strdup_printf ("chardev=charmonitor%u,id=monitor%u,mode=control", i, i);
      g_strv_builder_add_many (builder, "-chardev", chardev, "-mon", mon, NULL);
    }
  g_strfreev (argv);
  return g_strv_builder_end (builder);
}

void
_vmd_qemu_domain_start_async (VmdDomain           *domain,
                              VmdStartFlags        flags,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  _vmd_qemu_domain_start_full (VMD_QEMU_DOMAIN (domain), flags, -1, cancellable, callback,
                               user_data);
}

/**
 * _vmd_qemu_domain_start_full:
 * @incoming_fd: a saved state to restore (taken), positioned where the
 *   migration stream starts, or -1 to boot
 */
void
_vmd_qemu_domain_start_full (VmdQemuDomain       *self,
                             VmdStartFlags        flags,
                             int                  incoming_fd,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  VmdDomain *domain = VMD_DOMAIN (self);
  VmdDomainConfig *config = vmd_domain_get_config (domain);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GTask) prepare = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *qemu = NULL;
  g_autofree char *pidfile = NULL;
  VmdQemuArgvOptions options = { 0 };
  StartData *data;

  g_task_set_source_tag (task, _vmd_qemu_domain_start_async);

  if (vmd_domain_is_active (domain) || self->qmp != NULL)
    {
      if (incoming_fd >= 0)
        close (incoming_fd);
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_INVALID_STATE,
                               _("The virtual machine “%s” is already running."),
                               vmd_domain_get_name (domain));
      return;
    }
  if (!vmd_domain_config_validate (config, &error))
    {
      if (incoming_fd >= 0)
        close (incoming_fd);
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_INVALID_CONFIG, "%s",
                               error->message);
      return;
    }
  qemu = vmd_qemu_connection_get_qemu_binary (_vmd_qemu_domain_get_connection (self));
  if (qemu == NULL)
    {
      if (incoming_fd >= 0)
        close (incoming_fd);
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                               _("QEMU is not installed: qemu-system-x86_64 was not found. Install the “qemu-system-x86” package."));
      return;
    }

  data = g_new0 (StartData, 1);
  data->log_fd = -1;
  data->incoming_fd = incoming_fd;
  data->flags = flags;
  data->name = g_strdup (vmd_domain_get_name (domain));
  data->runtime_dir = g_strdup (self->runtime_dir);
  data->log_path = g_strdup (self->log_path);
  data->qemu_log_path = g_strdup (self->qemu_log_path);
  data->files = required_files (config);
  if (vmd_domain_config_get_firmware (config) == VMD_FIRMWARE_UEFI)
    {
      g_autofree char *template = vmd_domain_config_get_nvram_template (config);

      data->nvram_path = vmd_domain_config_get_nvram (config);
      /* <nvram template='…'/> names no file of its own: ours, then. */
      if (data->nvram_path != NULL && *g_strstrip (data->nvram_path) == '\0')
        g_clear_pointer (&data->nvram_path, g_free);
      if (data->nvram_path == NULL)
        data->nvram_path = _vmd_qemu_domain_data_path (self, "nvram", "_VARS.fd");
      /* The vars that go with the firmware the argv picks. */
      data->nvram_template = template ? g_steal_pointer (&template)
                                      : vmd_qemu_argv_nvram_template (config);
    }
  data->helpers = vmd_qemu_helper_plan_new (
    config, self->runtime_dir,
    vmd_qemu_connection_get_data_dir (_vmd_qemu_domain_get_connection (self)),
    vmd_domain_get_uuid (domain));
  if (self->old_helpers != NULL)
    data->old_helpers = g_array_ref (self->old_helpers);
  g_task_set_task_data (task, data, (GDestroyNotify) start_data_free);

  pidfile = g_build_filename (self->runtime_dir, "qemu.pid", NULL);
  options.runtime_dir = self->runtime_dir;
  options.qemu_binary = qemu;
  options.nvram_path = data->nvram_path;
  options.swtpm_socket = vmd_qemu_helper_plan_swtpm_socket (data->helpers);
  options.start_paused = TRUE;
  options.incoming_defer = incoming_fd >= 0;
  options.daemonize = TRUE;
  options.pidfile = pidfile;
  /* QEMU truncates its -D log once running: give it a file of its own,
   * so the engine's log keeps every start. */
  options.logfile = self->qemu_log_path;
  data->argv = vmd_qemu_argv_build (config, &options, &error);
  if (data->argv == NULL)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_UNSUPPORTED, "%s",
                               error->message);
      return;
    }
  data->argv = add_monitors (data->argv, self->runtime_dir);
  data->setup = setup_commands (config, (const char *const *) data->argv);

  vmd_domain_set_error_message (domain, NULL);
  prepare = g_task_new (self, cancellable, prepared, g_object_ref (task));
  g_task_set_task_data (prepare, data, NULL);
  g_task_run_in_thread (prepare, prepare_thread);
}

/* ----------------------------------------------------------- stopping */

static void
qmp_command (VmdDomain           *domain,
             const char          *command,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (domain, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  _vmd_qemu_domain_qmp_async (VMD_QEMU_DOMAIN (domain), command, NULL, task);
}

void
_vmd_qemu_domain_shutdown_async (VmdDomain           *domain,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  qmp_command (domain, "system_powerdown", _vmd_qemu_domain_shutdown_async, cancellable,
               callback, user_data);
}

void
_vmd_qemu_domain_reboot_async (VmdDomain           *domain,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  VmdQemuDomain *self = VMD_QEMU_DOMAIN (domain);

  /* Like libvirt: ask the guest to power off, and start it again when it
   * has; the guest shuts down cleanly either way. */
  if (self->qmp != NULL)
    self->rebooting = TRUE;
  qmp_command (domain, "system_powerdown", _vmd_qemu_domain_reboot_async, cancellable, callback,
               user_data);
}

void
_vmd_qemu_domain_reset_async (VmdDomain           *domain,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  qmp_command (domain, "system_reset", _vmd_qemu_domain_reset_async, cancellable, callback,
               user_data);
}

void
_vmd_qemu_domain_suspend_async (VmdDomain           *domain,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  qmp_command (domain, "stop", _vmd_qemu_domain_suspend_async, cancellable, callback, user_data);
}

void
_vmd_qemu_domain_resume_async (VmdDomain           *domain,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  qmp_command (domain, "cont", _vmd_qemu_domain_resume_async, cancellable, callback, user_data);
}

static gboolean
kill_hard (gpointer user_data)
{
  VmdQemuDomain *self = user_data;

  self->kill_source = 0;
  if (self->pid > 0)
    {
      g_debug ("%s: still there after SIGTERM, sending SIGKILL",
               vmd_domain_get_name (VMD_DOMAIN (self)));
      kill (self->pid, SIGKILL);
    }
  return G_SOURCE_REMOVE;
}

void
_vmd_qemu_domain_destroy_async (VmdDomain           *domain,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  VmdQemuDomain *self = VMD_QEMU_DOMAIN (domain);
  g_autoptr (GTask) task = g_task_new (domain, cancellable, callback, user_data);

  g_task_set_source_tag (task, _vmd_qemu_domain_destroy_async);

  if (self->pid <= 0 || self->qmp == NULL)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_INVALID_STATE,
                               _("The virtual machine “%s” is not running."),
                               vmd_domain_get_name (domain));
      return;
    }

  self->destroying = TRUE;
  self->rebooting = FALSE;
  if (kill (self->pid, SIGTERM) != 0 && errno != ESRCH)
    {
      int saved = errno;
      self->destroying = FALSE;
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("The virtual machine “%s” could not be forced off: %s"),
                               vmd_domain_get_name (domain), g_strerror (saved));
      return;
    }
  if (self->kill_source == 0)
    self->kill_source = g_timeout_add (DESTROY_GRACE_MS, kill_hard, self);
  _vmd_qemu_domain_wait_gone (self, task);
}
