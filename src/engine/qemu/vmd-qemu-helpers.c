/* vmd-qemu-helpers.c: swtpm and virtiofsd, started before QEMU
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * An emulated TPM is an swtpm process that QEMU talks to over a unix
 * socket; a virtiofs shared folder is a virtiofsd process serving
 * vhost-user on another. Both are started before QEMU, in the VM's 0700
 * runtime folder, and end by themselves once QEMU disconnects (swtpm with
 * --terminate, virtiofsd when its only client goes). Each leaves a pidfile
 * there so that the engine can make sure they are gone, also after the
 * application was restarted. Programs run from an argv, never a shell.
 *
 * VMDESK_SWTPM and VMDESK_VIRTIOFSD name other binaries (tests; a
 * nonexistent path makes the program missing).
 */
#define G_LOG_DOMAIN "vmdesk-engine"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "vmd-connection.h"
#include "vmd-device-filesystem.h"
#include "vmd-device-private.h"
#include "vmd-device-tpm.h"
#include "vmd-qemu-argv.h"
#include "vmd-qemu-helpers.h"

/* How long a helper may take to create its socket. */
#define HELPER_READY_MS 10000

typedef struct {
  char     *id;        /* the device ID: "fs0" */
  char     *source;    /* the folder shared */
  char     *socket;    /* RUNTIME/virtiofs-ID.sock */
  char     *pidfile;   /* RUNTIME/virtiofs-ID.pid */
  char     *log;       /* DATA/logs/UUID-virtiofs-ID.log */
  gboolean  readonly;
} VirtiofsPlan;

struct _VmdQemuHelperPlan
{
  char      *runtime_dir;
  char      *log_dir;
  /* swtpm, when the VM has an emulated TPM */
  gboolean   swtpm;
  char      *swtpm_version;
  char      *swtpm_state_dir;
  char      *swtpm_socket;
  char      *swtpm_pidfile;
  char      *swtpm_log;
  GPtrArray *virtiofs;   /* VirtiofsPlan */
};

static void
virtiofs_plan_free (VirtiofsPlan *fs)
{
  g_free (fs->id);
  g_free (fs->source);
  g_free (fs->socket);
  g_free (fs->pidfile);
  g_free (fs->log);
  g_free (fs);
}

void
vmd_qemu_helper_plan_free (VmdQemuHelperPlan *plan)
{
  if (plan == NULL)
    return;
  g_free (plan->runtime_dir);
  g_free (plan->log_dir);
  g_free (plan->swtpm_version);
  g_free (plan->swtpm_state_dir);
  g_free (plan->swtpm_socket);
  g_free (plan->swtpm_pidfile);
  g_free (plan->swtpm_log);
  g_clear_pointer (&plan->virtiofs, g_ptr_array_unref);
  g_free (plan);
}

/**
 * vmd_qemu_helper_plan_new:
 * @runtime_dir: the VM's runtime folder (RUNTIME/UUID)
 * @data_dir: the engine's data folder: TPM state in tpm/UUID, logs in logs
 *
 * Returns: (transfer full): the helpers @config needs, perhaps none
 */
VmdQemuHelperPlan *
vmd_qemu_helper_plan_new (VmdDomainConfig *config,
                          const char      *runtime_dir,
                          const char      *data_dir,
                          const char      *uuid)
{
  VmdQemuHelperPlan *plan = g_new0 (VmdQemuHelperPlan, 1);
  g_autoptr (GPtrArray) tpms = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_TPM);
  g_autoptr (GPtrArray) filesystems = vmd_domain_config_get_devices (config,
                                                                     VMD_TYPE_DEVICE_FILESYSTEM);
  g_autofree char *log_prefix = NULL;

  plan->runtime_dir = g_strdup (runtime_dir);
  plan->log_dir = g_build_filename (data_dir, "logs", NULL);
  log_prefix = g_build_filename (plan->log_dir, uuid, NULL);
  plan->virtiofs = g_ptr_array_new_with_free_func ((GDestroyNotify) virtiofs_plan_free);

  for (guint i = 0; i < tpms->len && !plan->swtpm; i++)
    {
      VmdDeviceTpm *tpm = g_ptr_array_index (tpms, i);
      g_autofree char *backend = vmd_device_tpm_get_backend_type (tpm);

      if (g_strcmp0 (backend, "emulator") != 0)
        continue;
      plan->swtpm = TRUE;
      plan->swtpm_version = vmd_device_tpm_get_backend_version (tpm);
      plan->swtpm_state_dir = g_build_filename (data_dir, "tpm", uuid, NULL);
      plan->swtpm_socket = g_build_filename (runtime_dir, "swtpm.sock", NULL);
      plan->swtpm_pidfile = g_build_filename (runtime_dir, "swtpm.pid", NULL);
      plan->swtpm_log = g_strconcat (log_prefix, "-swtpm.log", NULL);
    }

  for (guint i = 0; i < filesystems->len; i++)
    {
      VmdDeviceFilesystem *f = g_ptr_array_index (filesystems, i);
      g_autofree char *driver = vmd_device_filesystem_get_driver_type (f);
      g_autofree char *socket = _vmd_device_get_attr (VMD_DEVICE (f), "source", "socket");
      g_autofree char *name = NULL;
      VirtiofsPlan *fs;

      /* With <source socket='…'/> someone else runs virtiofsd. */
      if (g_strcmp0 (driver, "virtiofs") != 0 || socket != NULL)
        continue;
      fs = g_new0 (VirtiofsPlan, 1);
      fs->id = vmd_qemu_argv_device_id (VMD_DEVICE (f));
      if (fs->id == NULL)
        fs->id = g_strdup_printf ("fs%u", i);
      fs->source = vmd_device_filesystem_get_source_dir (f);
      fs->readonly = vmd_device_filesystem_get_readonly (f);
      name = g_strdup_printf ("virtiofs-%s.sock", fs->id);
      fs->socket = g_build_filename (runtime_dir, name, NULL);
      g_free (name);
      name = g_strdup_printf ("virtiofs-%s.pid", fs->id);
      fs->pidfile = g_build_filename (runtime_dir, name, NULL);
      fs->log = g_strdup_printf ("%s-virtiofs-%s.log", log_prefix, fs->id);
      g_ptr_array_add (plan->virtiofs, fs);
    }
  return plan;
}

const char *
vmd_qemu_helper_plan_swtpm_socket (VmdQemuHelperPlan *plan)
{
  return plan->swtpm ? plan->swtpm_socket : NULL;
}

/* -------------------------------------------------------------- programs */

/* @env_name overrides; else the first of @candidates that is executable
 * (a bare name is looked up in PATH). */
static char *
find_program (const char *env_name, const char *const *candidates)
{
  const char *override = g_getenv (env_name);

  if (override != NULL && *override != '\0')
    {
      if (strchr (override, '/') == NULL)
        return g_find_program_in_path (override);
      return g_file_test (override, G_FILE_TEST_IS_EXECUTABLE) ? g_strdup (override) : NULL;
    }
  for (guint i = 0; candidates[i] != NULL; i++)
    {
      if (strchr (candidates[i], '/') == NULL)
        {
          char *path = g_find_program_in_path (candidates[i]);
          if (path != NULL)
            return path;
        }
      else if (g_file_test (candidates[i], G_FILE_TEST_IS_EXECUTABLE))
        return g_strdup (candidates[i]);
    }
  return NULL;
}

static const char *
helper_name_for_pidfile (const char *name)
{
  if (g_str_equal (name, "swtpm.pid"))
    return "swtpm";
  if (g_str_has_prefix (name, "virtiofs-") && g_str_has_suffix (name, ".pid"))
    return "virtiofsd";
  return NULL;
}

/* Alive, not a zombie, and running @comm_prefix (so a recycled PID of
 * someone else's process is left alone). */
static gboolean
helper_alive (GPid pid, const char *comm_prefix)
{
  g_autofree char *path = NULL;
  g_autofree char *stat = NULL;
  const char *open, *close_paren;

  if (pid <= 0 || (kill (pid, 0) != 0 && errno != EPERM))
    return FALSE;
  path = g_strdup_printf ("/proc/%d/stat", pid);
  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return FALSE;
  open = strchr (stat, '(');
  close_paren = strrchr (stat, ')');
  if (open == NULL || close_paren == NULL || close_paren < open)
    return FALSE;
  if (close_paren[1] == ' ' && close_paren[2] == 'Z')
    return FALSE;
  if (comm_prefix != NULL &&
      strncmp (open + 1, comm_prefix, MIN (strlen (comm_prefix), (gsize) (close_paren - open - 1))) != 0)
    return FALSE;
  return TRUE;
}

static GPid
read_pidfile (const char *path)
{
  g_autofree char *text = NULL;
  guint64 pid = 0;

  if (g_file_get_contents (path, &text, NULL, NULL))
    g_ascii_string_to_unsigned (g_strstrip (text), 10, 1, G_MAXINT, &pid, NULL);
  return (GPid) pid;
}

GArray *
vmd_qemu_helpers_find (const char *runtime_dir)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (GPid));
  g_autoptr (GDir) dir = g_dir_open (runtime_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      const char *comm = helper_name_for_pidfile (name);
      g_autofree char *path = NULL;
      GPid pid;

      if (comm == NULL)
        continue;
      path = g_build_filename (runtime_dir, name, NULL);
      pid = read_pidfile (path);
      if (helper_alive (pid, comm))
        g_array_append_val (pids, pid);
    }
  return pids;
}

/* Only the helpers' names: what a pid of ours may be running. */
static gboolean
any_helper_alive (GPid pid)
{
  return helper_alive (pid, "swtpm") || helper_alive (pid, "virtiofsd");
}

static gboolean
kill_remaining (gpointer user_data)
{
  GArray *pids = user_data;

  for (guint i = 0; i < pids->len; i++)
    {
      GPid pid = g_array_index (pids, GPid, i);
      if (any_helper_alive (pid))
        {
          g_debug ("helper %d still there after SIGTERM, sending SIGKILL", pid);
          kill (pid, SIGKILL);
        }
    }
  return G_SOURCE_REMOVE;
}

void
vmd_qemu_helpers_terminate (GArray *pids)
{
  GArray *copy;

  if (pids == NULL || pids->len == 0)
    return;
  copy = g_array_sized_new (FALSE, FALSE, sizeof (GPid), pids->len);
  for (guint i = 0; i < pids->len; i++)
    {
      GPid pid = g_array_index (pids, GPid, i);
      if (any_helper_alive (pid))
        {
          kill (pid, SIGTERM);
          g_array_append_val (copy, pid);
        }
    }
  if (copy->len == 0)
    {
      g_array_unref (copy);
      return;
    }
  g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, 2, kill_remaining, copy,
                              (GDestroyNotify) g_array_unref);
}

void
vmd_qemu_helpers_stop_sync (GArray *pids, guint timeout_ms)
{
  gint64 deadline, now;
  gboolean killed = FALSE;

  if (pids == NULL || pids->len == 0)
    return;
  for (guint i = 0; i < pids->len; i++)
    {
      GPid pid = g_array_index (pids, GPid, i);
      if (any_helper_alive (pid))
        kill (pid, SIGTERM);
    }
  deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  for (;;)
    {
      gboolean any = FALSE;

      for (guint i = 0; i < pids->len; i++)
        any = any || any_helper_alive (g_array_index (pids, GPid, i));
      if (!any)
        return;
      now = g_get_monotonic_time ();
      if (now >= deadline)
        {
          if (killed)
            return;
          killed = TRUE;
          for (guint i = 0; i < pids->len; i++)
            {
              GPid pid = g_array_index (pids, GPid, i);
              if (any_helper_alive (pid))
                kill (pid, SIGKILL);
            }
          deadline = now + 1000 * 1000;
        }
      g_usleep (10 * 1000);
    }
}

/* --------------------------------------------------------------- starting */

static int
open_log (const char *path, GError **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                   _("The log %s could not be opened: %s"), path, g_strerror (saved));
    }
  return fd;
}

/* The last lines of a helper's log, for an error message. */
static char *
log_tail (const char *path)
{
  g_autofree char *text = NULL;
  gsize len;
  const char *start;

  if (!g_file_get_contents (path, &text, &len, NULL))
    return g_strdup ("");
  start = len > 1024 ? text + len - 1024 : text;
  return g_strstrip (g_strdup (start));
}

static void
child_setsid (gpointer user_data)
{
  /* Not in the application's session: a Ctrl-C in its terminal must not
   * take the VM's helpers away. */
  setsid ();
}

/* Waits until @socket exists (and @pidfile holds a PID, if given) or
 * @process (if given) ended. */
static gboolean
wait_ready (GSubprocess *process, const char *socket, const char *pidfile)
{
  gint64 deadline = g_get_monotonic_time () + HELPER_READY_MS * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      if (g_file_test (socket, G_FILE_TEST_EXISTS) &&
          (pidfile == NULL || read_pidfile (pidfile) > 0))
        return TRUE;
      if (process != NULL && g_subprocess_get_identifier (process) == NULL)
        return FALSE;
      g_usleep (10 * 1000);
    }
  return FALSE;
}

static gboolean
start_swtpm (VmdQemuHelperPlan *plan, const char *swtpm, GError **error)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) local = NULL;
  g_autofree char *tpmstate = NULL;
  g_autofree char *ctrl = NULL;
  g_autofree char *log = NULL;
  g_autofree char *pid = NULL;
  g_autofree char *tail = NULL;
  gboolean tpm2 = plan->swtpm_version == NULL || !g_str_equal (plan->swtpm_version, "1.2");
  GPtrArray *argv;
  int log_fd;

  if (g_mkdir_with_parents (plan->swtpm_state_dir, 0700) != 0 ||
      g_chmod (plan->swtpm_state_dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                   _("The TPM state folder %s could not be created: %s"),
                   plan->swtpm_state_dir, g_strerror (saved));
      return FALSE;
    }
  log_fd = open_log (plan->swtpm_log, error);
  if (log_fd < 0)
    return FALSE;

  /* swtpm's options are keyval lists: a ',' in a path would split it. */
  if (strchr (plan->swtpm_state_dir, ',') || strchr (plan->swtpm_socket, ',') ||
      strchr (plan->swtpm_log, ',') || strchr (plan->swtpm_pidfile, ','))
    {
      close (log_fd);
      g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                   _("The emulated TPM cannot keep its state in %s: swtpm does not accept a “,” in a path."),
                   plan->swtpm_state_dir);
      return FALSE;
    }
  tpmstate = g_strdup_printf ("dir=%s,mode=0600", plan->swtpm_state_dir);
  ctrl = g_strdup_printf ("type=unixio,path=%s,mode=0600", plan->swtpm_socket);
  log = g_strdup_printf ("file=%s", plan->swtpm_log);
  pid = g_strdup_printf ("file=%s", plan->swtpm_pidfile);

  argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) swtpm);
  g_ptr_array_add (argv, (char *) "socket");
  if (tpm2)
    g_ptr_array_add (argv, (char *) "--tpm2");
  g_ptr_array_add (argv, (char *) "--tpmstate");
  g_ptr_array_add (argv, tpmstate);
  g_ptr_array_add (argv, (char *) "--ctrl");
  g_ptr_array_add (argv, ctrl);
  g_ptr_array_add (argv, (char *) "--log");
  g_ptr_array_add (argv, log);
  g_ptr_array_add (argv, (char *) "--pid");
  g_ptr_array_add (argv, pid);
  g_ptr_array_add (argv, (char *) "--daemon");
  g_ptr_array_add (argv, (char *) "--terminate");
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_INHERIT);
  g_subprocess_launcher_take_stdout_fd (launcher, dup (log_fd));
  g_subprocess_launcher_take_stderr_fd (launcher, log_fd);
  g_subprocess_launcher_set_child_setup (launcher, child_setsid, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &local);
  g_ptr_array_unref (argv);
  if (process == NULL)
    {
      g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                   _("swtpm could not be run: %s"), local->message);
      return FALSE;
    }
  /* The parent exits once the daemon is on its way. */
  if (!g_subprocess_wait_check (process, NULL, &local))
    {
      tail = log_tail (plan->swtpm_log);
      g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                   _("The emulated TPM (swtpm) could not be started: %s"),
                   *tail ? tail : local->message);
      return FALSE;
    }
  if (!wait_ready (NULL, plan->swtpm_socket, plan->swtpm_pidfile))
    {
      tail = log_tail (plan->swtpm_log);
      g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                   _("The emulated TPM (swtpm) did not create its socket %s. %s"),
                   plan->swtpm_socket, tail);
      return FALSE;
    }
  return TRUE;
}

static gboolean
start_virtiofsd (VmdQemuHelperPlan *plan, VirtiofsPlan *fs, const char *virtiofsd,
                 GError **error)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) local = NULL;
  g_autofree char *socket_arg = g_strdup_printf ("--socket-path=%s", fs->socket);
  g_autofree char *source_arg = NULL;
  g_autofree char *tail = NULL;
  g_autofree char *pid_text = NULL;
  const char *argv[8];
  guint n = 0;
  int log_fd;

  /* -o takes a comma-separated list. */
  if (strchr (fs->source, ',') != NULL)
    {
      g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                   _("The folder %s cannot be shared with virtiofs: virtiofsd does not accept a “,” in a path."),
                   fs->source);
      return FALSE;
    }
  source_arg = g_strdup_printf ("source=%s", fs->source);
  log_fd = open_log (fs->log, error);
  if (log_fd < 0)
    return FALSE;

  argv[n++] = virtiofsd;
  argv[n++] = socket_arg;
  argv[n++] = "-o";
  argv[n++] = source_arg;
  /* The C virtiofsd of QEMU 7.2 has no read-only option; the Rust one
   * (Debian 13) has --readonly. A read-only share is refused below. */
  argv[n++] = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_INHERIT);
  g_subprocess_launcher_take_stdout_fd (launcher, dup (log_fd));
  g_subprocess_launcher_take_stderr_fd (launcher, log_fd);
  g_subprocess_launcher_set_child_setup (launcher, child_setsid, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, argv, &local);
  if (process == NULL)
    {
      g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                   _("virtiofsd could not be run: %s"), local->message);
      return FALSE;
    }
  pid_text = g_strdup_printf ("%s\n", g_subprocess_get_identifier (process));
  if (!g_file_set_contents_full (fs->pidfile, pid_text, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0600, &local))
    {
      g_subprocess_force_exit (process);
      g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                   _("The pidfile of virtiofsd could not be written: %s"), local->message);
      return FALSE;
    }
  if (!wait_ready (process, fs->socket, NULL))
    {
      if (g_subprocess_get_identifier (process) != NULL)
        g_subprocess_force_exit (process);
      tail = log_tail (fs->log);
      g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                   _("virtiofsd could not share the folder %s: %s"), fs->source,
                   *tail ? tail : _("it did not create its socket"));
      return FALSE;
    }
  /* Not waited for here: GLib reaps it when it ends. */
  return TRUE;
}

gboolean
vmd_qemu_helper_plan_start (VmdQemuHelperPlan *plan, GError **error)
{
  static const char *const swtpm_candidates[] = { "swtpm", NULL };
  static const char *const virtiofsd_candidates[] = {
    "/usr/libexec/virtiofsd", "/usr/lib/qemu/virtiofsd", "virtiofsd", NULL
  };
  g_autofree char *swtpm = NULL;
  g_autofree char *virtiofsd = NULL;
  g_autoptr (GArray) started = NULL;

  /* Everything that can be checked first, so nothing runs in vain. */
  if (plan->swtpm)
    {
      swtpm = find_program ("VMDESK_SWTPM", swtpm_candidates);
      if (swtpm == NULL)
        {
          g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                       _("This virtual machine has an emulated TPM, but swtpm is not installed; install the “swtpm” package."));
          return FALSE;
        }
    }
  for (guint i = 0; i < plan->virtiofs->len; i++)
    {
      VirtiofsPlan *fs = g_ptr_array_index (plan->virtiofs, i);

      if (fs->source == NULL || *fs->source == '\0')
        {
          g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_INVALID_CONFIG,
                       _("The shared folder %s names no folder on the host."), fs->id);
          return FALSE;
        }
      if (!g_file_test (fs->source, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                       _("The shared folder %s does not exist."), fs->source);
          return FALSE;
        }
      if (fs->readonly)
        {
          g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_UNSUPPORTED,
                       _("The folder %s cannot be shared read-only with virtiofs on this host; share it with the “path” driver (9p) instead."),
                       fs->source);
          return FALSE;
        }
      if (virtiofsd == NULL)
        {
          virtiofsd = find_program ("VMDESK_VIRTIOFSD", virtiofsd_candidates);
          if (virtiofsd == NULL)
            {
              g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                           _("This virtual machine shares a folder with virtiofs, but virtiofsd is not installed; install the “virtiofsd” package."));
              return FALSE;
            }
        }
    }
  if (!plan->swtpm && plan->virtiofs->len == 0)
    return TRUE;
  if (g_mkdir_with_parents (plan->log_dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_START_FAILED,
                   _("The log folder %s could not be created: %s"), plan->log_dir,
                   g_strerror (saved));
      return FALSE;
    }

  if (plan->swtpm && !start_swtpm (plan, swtpm, error))
    goto failed;
  for (guint i = 0; i < plan->virtiofs->len; i++)
    if (!start_virtiofsd (plan, g_ptr_array_index (plan->virtiofs, i), virtiofsd, error))
      goto failed;
  return TRUE;

failed:
  started = vmd_qemu_helpers_find (plan->runtime_dir);
  vmd_qemu_helpers_stop_sync (started, 2000);
  return FALSE;
}
