/* vmd-kvm-probe.c: does KVM really run guests on this computer?
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * /dev/kvm being there and openable is not enough: some hypervisors (e.g.
 * a nested, software "kvm-pvm") accept every ioctl and then stop the first
 * real guest with "KVM internal error … emulation failure", leaving QEMU
 * alive with the VM in the QMP state "internal-error". So the probe runs a
 * guest:
 *
 *   1. open /dev/kvm read-write (ENOENT → missing, EACCES → no access);
 *   2. start QEMU with -accel kvm and a 64 KiB firmware of our own (below)
 *      that does what every firmware and kernel does first: x87 in real
 *      mode, the switch to protected mode, x87 and SSE there. When all of it
 *      gave the right results it writes to an isa-debug-exit port and QEMU
 *      exits with status 99: KVM works, usually within milliseconds;
 *   3. meanwhile poll QMP query-status every 100 ms: "internal-error" →
 *      broken; still "running" after 2 s → works as well;
 *   4. QEMU exiting early with its own complaint ("Could not access KVM
 *      kernel module: …") → missing, no access, or unknown with its words.
 *
 * SeaBIOS is not a good probe: on the machine this was written on it runs
 * for minutes under the broken KVM (it never touches the FPU), while OVMF
 * and Linux fail; our firmware fails there at its first x87 instruction.
 *
 * The QEMU process is killed with SIGKILL and reaped, and its temporary
 * folder removed, on every path (including cancellation) before the result
 * is delivered.
 *
 * What a guest run found (works or broken) is cached in
 * CACHE_DIR/kvm-probe.ini, keyed by the kernel release, QEMU's path and
 * mtime, and /dev/kvm's device number. The other results take milliseconds
 * to find and may change with things the key cannot see (a group
 * membership, a module load), so they are never cached; the device check
 * runs every time, even when a cached result is then used.
 *
 * Environment: VMDESK_QEMU names the QEMU binary (default
 * qemu-system-x86_64 from PATH). VMDESK_KVM_DEVICE replaces /dev/kvm in
 * step 1 only, for tests (QEMU itself always opens /dev/kvm).
 */
#define G_LOG_DOMAIN "vmdesk-engine"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "vmd-kvm-probe.h"

/* Bump when the probe changes in a way that makes cached results stale. */
#define PROBE_VERSION     1
#define POLL_INTERVAL_MS  100
#define RUN_TIME_US       (2 * G_USEC_PER_SEC)   /* running this long: works */
#define GIVE_UP_MS        4000
#define CONNECT_RETRY_MS  20
#define GUEST_DONE_STATUS 99                     /* isa-debug-exit: (0x31 << 1) | 1 */
#define ROM_SIZE          0x10000
#define CACHE_GROUP       "kvm-probe"

/* The probe firmware, mapped at 0xF0000 (and below 4 GiB); the CPU starts
 * at its last 16 bytes. Assembled with GNU as (.code16, then .code32). */
static const guint8 probe_code[] = {
  /* 0x00 .code16 */
  0xfa,                                     /* cli */
  0xfc,                                     /* cld */
  0xdb, 0xe3,                               /* fninit */
  0xd9, 0xe8,                               /* fld1 */
  0xdd, 0xd8,                               /* fstp %st(0) */
  0x31, 0xc0,                               /* xor %ax,%ax */
  0x8e, 0xd8,                               /* mov %ax,%ds */
  0x2e, 0x66, 0x0f, 0x01, 0x16, 0xa0, 0x00, /* lgdtl %cs:0xa0 */
  0x0f, 0x20, 0xc0,                         /* mov %cr0,%eax */
  0x66, 0x83, 0xc8, 0x01,                   /* or $0x1,%eax (PE) */
  0x0f, 0x22, 0xc0,                         /* mov %eax,%cr0 */
  0x66, 0xea, 0x25, 0x00, 0x0f, 0x00, 0x08, 0x00, /* ljmpl $0x8,$0xf0025 */
  /* 0x25 .code32 */
  0x66, 0xb8, 0x10, 0x00,                   /* mov $0x10,%ax */
  0x8e, 0xd8,                               /* mov %eax,%ds */
  0x8e, 0xc0,                               /* mov %eax,%es */
  0x8e, 0xd0,                               /* mov %eax,%ss */
  0xbc, 0x00, 0x70, 0x00, 0x00,             /* mov $0x7000,%esp */
  0x0f, 0x20, 0xc0,                         /* mov %cr0,%eax */
  0x83, 0xe0, 0xfb,                         /* and $~0x4,%eax (EM off) */
  0x83, 0xc8, 0x22,                         /* or $0x22,%eax (MP, NE) */
  0x0f, 0x22, 0xc0,                         /* mov %eax,%cr0 */
  0x0f, 0x20, 0xe0,                         /* mov %cr4,%eax */
  0x0d, 0x00, 0x06, 0x00, 0x00,             /* or $0x600,%eax (OSFXSR, OSXMMEXCPT) */
  0x0f, 0x22, 0xe0,                         /* mov %eax,%cr4 */
  0xdb, 0xe3,                               /* fninit */
  0xd9, 0xe8,                               /* fld1 */
  0xd8, 0xc0,                               /* fadd %st(0),%st */
  0xdb, 0x1d, 0x00, 0x60, 0x00, 0x00,       /* fistpl 0x6000 */
  0x83, 0x3d, 0x00, 0x60, 0x00, 0x00, 0x02, /* cmpl $0x2,0x6000 */
  0x75, 0x23,                               /* jne hang */
  0x0f, 0x57, 0xc0,                         /* xorps %xmm0,%xmm0 */
  0xc7, 0x05, 0x10, 0x60, 0x00, 0x00,
  0x00, 0x00, 0x80, 0x3f,                   /* movl $0x3f800000 (1.0f),0x6010 */
  0x0f, 0x58, 0x05, 0x10, 0x60, 0x00, 0x00, /* addps 0x6010,%xmm0 */
  0x66, 0x0f, 0x7e, 0xc0,                   /* movd %xmm0,%eax */
  0x3d, 0x00, 0x00, 0x80, 0x3f,             /* cmp $0x3f800000,%eax */
  0x75, 0x04,                               /* jne hang */
  0xb0, 0x31,                               /* mov $0x31,%al */
  0xe6, 0xf4,                               /* out %al,$0xf4 (isa-debug-exit) */
  /* 0x83 hang: */
  0xf4,                                     /* hlt */
  0xeb, 0xfd,                               /* jmp hang */
  0x00, 0x00,                               /* pad to 0x88 */
  /* 0x88 GDT: null, flat 4 GiB code (0x08), flat 4 GiB data (0x10) */
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0xff, 0xff, 0x00, 0x00, 0x00, 0x9b, 0xcf, 0x00,
  0xff, 0xff, 0x00, 0x00, 0x00, 0x93, 0xcf, 0x00,
  /* 0xa0 GDTR: limit 0x17, base 0xf0088 */
  0x17, 0x00, 0x88, 0x00, 0x0f, 0x00,
};

/* The offsets above (lgdtl's 0xa0, the GDTR's 0xf0088) depend on this. */
G_STATIC_ASSERT (sizeof probe_code == 0xa6);

/* At 0xFFF0: ljmp $0xf000,$0x0000 */
static const guint8 reset_vector[] = { 0xea, 0x00, 0x00, 0x00, 0xf0 };

static gint last_pid;

typedef enum {
  STEP_GREETING,
  STEP_CAPABILITIES,
  STEP_STATUS,
} QmpStep;

typedef struct {
  /* what the caller asked */
  char               *qemu_arg;
  char               *cache_dir;
  char               *device;
  gboolean            force;

  /* found before QEMU runs, in a worker thread */
  char               *qemu;
  char               *kernel;
  gint64              qemu_mtime;
  guint64             device_rdev;
  char               *tmpdir;
  char               *socket_path;
  char               *rom_path;
  gboolean            from_cache;

  /* the outcome */
  gboolean            decided;
  gboolean            cancelled;
  gboolean            completing;
  VmdKvmStatus        status;
  char               *message;

  /* the running probe, on the main context */
  GCancellable       *cancellable;     /* the caller's */
  GCancellable       *io_cancellable;  /* ours: stops QMP I/O once decided */
  GSubprocess        *proc;
  gboolean            exited;
  char               *qemu_stderr;
  GSocketConnection  *connection;
  GDataInputStream   *input;
  char               *pending_write;
  QmpStep             step;
  gint64              start_time;
  GSource            *timer;           /* connect retry, or the next poll */
  GSource            *deadline;
  GSource            *cancel_source;
} Probe;

static void
probe_free (Probe *p)
{
  g_free (p->qemu_arg);
  g_free (p->cache_dir);
  g_free (p->device);
  g_free (p->qemu);
  g_free (p->kernel);
  g_free (p->tmpdir);
  g_free (p->socket_path);
  g_free (p->rom_path);
  g_free (p->message);
  g_clear_object (&p->cancellable);
  g_clear_object (&p->io_cancellable);
  g_clear_object (&p->proc);
  g_free (p->qemu_stderr);
  g_clear_object (&p->connection);
  g_clear_object (&p->input);
  g_free (p->pending_write);
  g_free (p);
}

const char *
vmd_kvm_status_to_string (VmdKvmStatus status)
{
  switch (status)
    {
    case VMD_KVM_WORKS:
      return "works";
    case VMD_KVM_MISSING:
      return "missing";
    case VMD_KVM_NO_ACCESS:
      return "no-access";
    case VMD_KVM_BROKEN:
      return "broken";
    case VMD_KVM_UNKNOWN:
    default:
      return "unknown";
    }
}

/**
 * vmd_kvm_status_to_domain_type:
 *
 * Returns: the libvirt domain type a new virtual machine should get: "kvm"
 *   when KVM works, else "qemu" (TCG, software emulation)
 */
const char *
vmd_kvm_status_to_domain_type (VmdKvmStatus status)
{
  return status == VMD_KVM_WORKS ? "kvm" : "qemu";
}

GPid
vmd_kvm_probe_get_last_pid (void)
{
  return (GPid) g_atomic_int_get (&last_pid);
}

static char *
works_message (void)
{
  return g_strdup (_("KVM works: a test guest ran with hardware virtualization."));
}

static char *
broken_message (void)
{
  return g_strdup (_("KVM is present but cannot run guests on this computer (it stopped a test guest with an internal error); virtual machines will use software emulation (TCG)."));
}

/* ---- before QEMU runs: the device, QEMU's binary, the cache ---------- */

static void
set_outcome (Probe *p, VmdKvmStatus status, char *message)
{
  p->decided = TRUE;
  p->status = status;
  p->message = message;
}

static char *
find_qemu (const char *name)
{
  if (strchr (name, '/') != NULL)
    return g_file_test (name, G_FILE_TEST_IS_EXECUTABLE) ? g_canonicalize_filename (name, NULL)
                                                         : NULL;
  return g_find_program_in_path (name);
}

static gboolean
read_cache (Probe *p)
{
  g_autofree char *path = g_build_filename (p->cache_dir, "kvm-probe.ini", NULL);
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autofree char *status = NULL;
  g_autofree char *kernel = NULL;
  g_autofree char *qemu = NULL;
  g_autofree char *device = NULL;

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, NULL))
    return FALSE;

  status = g_key_file_get_string (kf, CACHE_GROUP, "status", NULL);
  kernel = g_key_file_get_string (kf, CACHE_GROUP, "kernel", NULL);
  qemu = g_key_file_get_string (kf, CACHE_GROUP, "qemu", NULL);
  device = g_key_file_get_string (kf, CACHE_GROUP, "device", NULL);

  if (g_key_file_get_integer (kf, CACHE_GROUP, "version", NULL) != PROBE_VERSION ||
      g_strcmp0 (kernel, p->kernel) != 0 || g_strcmp0 (qemu, p->qemu) != 0 ||
      g_key_file_get_int64 (kf, CACHE_GROUP, "qemu-mtime", NULL) != p->qemu_mtime ||
      g_strcmp0 (device, p->device) != 0 ||
      g_key_file_get_uint64 (kf, CACHE_GROUP, "device-rdev", NULL) != p->device_rdev)
    {
      g_debug ("KVM probe cache %s is for another kernel, QEMU or device", path);
      return FALSE;
    }

  /* The message is written again in the current language. */
  if (g_strcmp0 (status, vmd_kvm_status_to_string (VMD_KVM_WORKS)) == 0)
    set_outcome (p, VMD_KVM_WORKS, works_message ());
  else if (g_strcmp0 (status, vmd_kvm_status_to_string (VMD_KVM_BROKEN)) == 0)
    set_outcome (p, VMD_KVM_BROKEN, broken_message ());
  else
    return FALSE;

  g_debug ("KVM probe: cached result %s from %s", status, path);
  p->from_cache = TRUE;
  return TRUE;
}

static void
write_cache (Probe *p)
{
  g_autofree char *path = g_build_filename (p->cache_dir, "kvm-probe.ini", NULL);
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) error = NULL;

  g_key_file_set_integer (kf, CACHE_GROUP, "version", PROBE_VERSION);
  g_key_file_set_string (kf, CACHE_GROUP, "status", vmd_kvm_status_to_string (p->status));
  g_key_file_set_string (kf, CACHE_GROUP, "message", p->message);
  g_key_file_set_string (kf, CACHE_GROUP, "kernel", p->kernel);
  g_key_file_set_string (kf, CACHE_GROUP, "qemu", p->qemu);
  g_key_file_set_int64 (kf, CACHE_GROUP, "qemu-mtime", p->qemu_mtime);
  g_key_file_set_string (kf, CACHE_GROUP, "device", p->device);
  g_key_file_set_uint64 (kf, CACHE_GROUP, "device-rdev", p->device_rdev);

  /* g_key_file_save_to_file writes a temporary file and renames it. */
  if (g_mkdir_with_parents (p->cache_dir, 0700) != 0 ||
      !g_key_file_save_to_file (kf, path, &error))
    g_debug ("KVM probe result not cached in %s: %s", path,
             error ? error->message : g_strerror (errno));
}

static gboolean
make_probe_dir (Probe *p, GError **error)
{
  g_autofree guint8 *rom = g_malloc0 (ROM_SIZE);

  p->tmpdir = g_dir_make_tmp ("vmdesk-kvm-probe-XXXXXX", error);
  if (p->tmpdir == NULL)
    return FALSE;
  /* A unix socket's path has room for 107 bytes. */
  if (strlen (p->tmpdir) > 90)
    {
      g_rmdir (p->tmpdir);
      g_free (p->tmpdir);
      p->tmpdir = g_strdup ("/tmp/vmdesk-kvm-probe-XXXXXX");
      if (g_mkdtemp (p->tmpdir) == NULL)
        {
          int saved = errno;
          g_clear_pointer (&p->tmpdir, g_free);
          g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved),
                               g_strerror (saved));
          return FALSE;
        }
    }
  p->socket_path = g_build_filename (p->tmpdir, "qmp.sock", NULL);
  p->rom_path = g_build_filename (p->tmpdir, "probe.rom", NULL);

  memcpy (rom, probe_code, sizeof probe_code);
  memcpy (rom + ROM_SIZE - 16, reset_vector, sizeof reset_vector);
  return g_file_set_contents (p->rom_path, (const char *) rom, ROM_SIZE, error);
}

static void
remove_probe_dir (Probe *p)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  if (p->tmpdir == NULL)
    return;
  dir = g_dir_open (p->tmpdir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (p->tmpdir, name, NULL);
      g_unlink (path);
    }
  if (g_rmdir (p->tmpdir) != 0)
    g_warning ("The temporary folder %s could not be removed: %s", p->tmpdir,
               g_strerror (errno));
}

static void
preflight_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Probe *p = task_data;
  const char *qemu_name = p->qemu_arg;
  g_autoptr (GError) error = NULL;
  struct utsname uts;
  struct stat st;
  int fd;

  fd = open (p->device, O_RDWR | O_CLOEXEC);
  if (fd < 0)
    {
      int saved = errno;

      if (saved == ENOENT || saved == ENXIO || saved == ENODEV || saved == ENOTDIR)
        set_outcome (p, VMD_KVM_MISSING,
                     g_strdup_printf (_("KVM is not available: %s is missing. Enable virtualization (VT-x or AMD-V) in the firmware settings and load the kvm module."),
                                      p->device));
      else if (saved == EACCES || saved == EPERM)
        set_outcome (p, VMD_KVM_NO_ACCESS,
                     g_strdup_printf (_("KVM is not available: you are not allowed to use %s; add yourself to the kvm group."),
                                      p->device));
      else
        set_outcome (p, VMD_KVM_UNKNOWN,
                     g_strdup_printf (_("Whether KVM works could not be found out: %s cannot be opened: %s."),
                                      p->device, g_strerror (saved)));
      g_task_return_boolean (task, TRUE);
      return;
    }
  p->device_rdev = fstat (fd, &st) == 0 ? (guint64) st.st_rdev : 0;
  close (fd);

  if (qemu_name == NULL || *qemu_name == '\0')
    qemu_name = g_getenv ("VMDESK_QEMU");
  if (qemu_name == NULL || *qemu_name == '\0')
    qemu_name = "qemu-system-x86_64";
  p->qemu = find_qemu (qemu_name);
  if (p->qemu == NULL || stat (p->qemu, &st) != 0)
    {
      set_outcome (p, VMD_KVM_UNKNOWN,
                   g_strdup_printf (_("Whether KVM works could not be found out: QEMU (%s) is not installed."),
                                    qemu_name));
      g_task_return_boolean (task, TRUE);
      return;
    }
  p->qemu_mtime = (gint64) st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000;
  p->kernel = g_strdup (uname (&uts) == 0 ? uts.release : "");

  if (!p->force && p->cache_dir != NULL && read_cache (p))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (!make_probe_dir (p, &error))
    set_outcome (p, VMD_KVM_UNKNOWN,
                 g_strdup_printf (_("Whether KVM works could not be found out: a temporary folder could not be made: %s"),
                                  error->message));
  g_task_return_boolean (task, TRUE);
}

/* ---- the end: always through here ------------------------------------ */

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
cleanup_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Probe *p = task_data;

  remove_probe_dir (p);
  if (!p->from_cache && !p->cancelled && p->cache_dir != NULL &&
      (p->status == VMD_KVM_WORKS || p->status == VMD_KVM_BROKEN))
    write_cache (p);
  g_task_return_boolean (task, TRUE);
}

static void
cleanup_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Probe *p = g_task_get_task_data (task);

  if (p->cancelled)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("Checking whether KVM works was cancelled."));
  else
    g_task_return_boolean (task, TRUE);
}

/* Delivers the result once it is known and no QEMU process is left. */
static void
maybe_complete (GTask *task)
{
  Probe *p = g_task_get_task_data (task);
  g_autoptr (GTask) cleanup = NULL;

  if (!p->decided || p->completing)
    return;
  if (p->proc != NULL && !p->exited)
    return;

  p->completing = TRUE;
  clear_source (&p->timer);
  clear_source (&p->deadline);
  clear_source (&p->cancel_source);
  /* The QMP connection stays until the task is freed: a read may still be
   * pending on it, finishing as cancelled. */

  g_debug ("KVM probe: %s (%s)%s", vmd_kvm_status_to_string (p->status), p->message,
           p->from_cache ? ", cached" : "");

  cleanup = g_task_new (NULL, NULL, cleanup_done, g_object_ref (task));
  g_task_set_task_data (cleanup, p, NULL);
  g_task_run_in_thread (cleanup, cleanup_thread);
}

/* Settles the outcome (the first one wins) and stops the probe guest. */
static void
decide (GTask *task, VmdKvmStatus status, char *message)
{
  Probe *p = g_task_get_task_data (task);

  if (p->decided)
    {
      g_free (message);
      return;
    }
  set_outcome (p, status, message);
  g_cancellable_cancel (p->io_cancellable);
  if (p->proc != NULL && !p->exited)
    g_subprocess_send_signal (p->proc, SIGKILL);
  maybe_complete (task);
}

/* GBytes of a pipe as text; empty output has no data pointer at all. */
static char *
bytes_to_text (GBytes *bytes)
{
  gsize size = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;

  return g_utf8_make_valid (data != NULL ? data : "", size);
}

/* ---- QEMU exiting ---------------------------------------------------- */

/* QEMU's complaint, without its warnings about CPU features, on one line. */
static char *
qemu_words (const char *text, const char *qemu)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *base = g_path_get_basename (qemu);
  g_autofree char *prefix = g_strconcat (base, ": ", NULL);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);

      if (g_str_has_prefix (line, prefix))
        line += strlen (prefix);
      if (*line == '\0' || g_str_has_prefix (line, "warning:"))
        continue;
      if (out->len > 0)
        g_string_append (out, "; ");
      g_string_append (out, line);
    }
  return g_string_free (out, FALSE);
}

static void
judge_exit (GTask *task)
{
  Probe *p = g_task_get_task_data (task);
  g_autofree char *words = qemu_words (p->qemu_stderr, p->qemu);
  gboolean about_kvm = strstr (words, "KVM") != NULL || strstr (words, "kvm") != NULL;

  if (g_subprocess_get_if_exited (p->proc) &&
      g_subprocess_get_exit_status (p->proc) == GUEST_DONE_STATUS)
    decide (task, VMD_KVM_WORKS, works_message ());
  else if (strstr (words, "KVM internal error") != NULL)
    decide (task, VMD_KVM_BROKEN, broken_message ());
  else if (about_kvm && strstr (words, "Permission denied") != NULL)
    decide (task, VMD_KVM_NO_ACCESS,
            g_strdup_printf (_("KVM is not available: you are not allowed to use /dev/kvm; add yourself to the kvm group. QEMU said: %s"),
                             words));
  else if (about_kvm && (strstr (words, "No such file or directory") != NULL ||
                         strstr (words, "No such device") != NULL))
    decide (task, VMD_KVM_MISSING,
            g_strdup_printf (_("KVM is not available: /dev/kvm is missing. Enable virtualization (VT-x or AMD-V) in the firmware settings and load the kvm module. QEMU said: %s"),
                             words));
  else if (*words != '\0')
    decide (task, VMD_KVM_UNKNOWN,
            g_strdup_printf (_("Whether KVM works could not be found out: QEMU stopped with this message: %s"),
                             words));
  else if (g_subprocess_get_if_signaled (p->proc))
    decide (task, VMD_KVM_UNKNOWN,
            g_strdup_printf (_("Whether KVM works could not be found out: QEMU was stopped by signal %d."),
                             g_subprocess_get_term_sig (p->proc)));
  else
    decide (task, VMD_KVM_UNKNOWN,
            g_strdup_printf (_("Whether KVM works could not be found out: QEMU stopped with exit status %d and no message."),
                             g_subprocess_get_exit_status (p->proc)));
}

static void
on_waited (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Probe *p = g_task_get_task_data (task);

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  p->exited = TRUE;
  judge_exit (task);
  maybe_complete (task);
}

static void
on_exited (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Probe *p = g_task_get_task_data (task);
  g_autoptr (GBytes) err = NULL;
  g_autoptr (GError) error = NULL;

  if (!g_subprocess_communicate_finish (G_SUBPROCESS (source), result, NULL, &err, &error))
    {
      /* Reading its stderr failed; it may still run. */
      g_debug ("KVM probe: reading QEMU's messages failed: %s", error->message);
      p->qemu_stderr = g_strdup ("");
      g_subprocess_send_signal (p->proc, SIGKILL);
      g_subprocess_wait_async (p->proc, NULL, on_waited, g_steal_pointer (&task));
      return;
    }
  p->qemu_stderr = bytes_to_text (err);
  g_debug ("KVM probe: QEMU ended: %s", p->qemu_stderr);
  p->exited = TRUE;
  if (!p->decided)
    judge_exit (task);
  maybe_complete (task);
}

/* ---- QMP ------------------------------------------------------------- */

static void read_reply (GTask *task);
static void try_connect (GTask *task);

static GSource *
add_timeout (GTask *task, guint ms, GSourceFunc func)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, g_object_ref (task), g_object_unref);
  g_source_attach (source, g_task_get_context (task));
  return source;
}

static void
on_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Probe *p = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  g_clear_pointer (&p->pending_write, g_free);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      /* The monitor closed: QEMU is exiting, and on_exited will judge. */
      g_debug ("KVM probe: QMP write failed: %s", error->message);
      return;
    }
  read_reply (task);
}

static void
send_command (GTask *task, const char *command)
{
  Probe *p = g_task_get_task_data (task);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (p->connection));

  p->pending_write = g_strdup_printf ("{\"execute\": \"%s\"}\n", command);
  g_output_stream_write_all_async (out, p->pending_write, strlen (p->pending_write),
                                   G_PRIORITY_DEFAULT, p->io_cancellable, on_written,
                                   g_object_ref (task));
}

static gboolean
on_poll (gpointer user_data)
{
  GTask *task = user_data;
  Probe *p = g_task_get_task_data (task);

  g_clear_pointer (&p->timer, g_source_unref);
  send_command (task, "query-status");
  return G_SOURCE_REMOVE;
}

static void
handle_status (GTask *task, const char *status)
{
  Probe *p = g_task_get_task_data (task);
  gint64 elapsed = g_get_monotonic_time () - p->start_time;

  g_debug ("KVM probe: guest %s after %" G_GINT64_FORMAT " ms", status, elapsed / 1000);

  if (g_strcmp0 (status, "internal-error") == 0)
    decide (task, VMD_KVM_BROKEN, broken_message ());
  else if (elapsed >= RUN_TIME_US && g_strcmp0 (status, "running") == 0)
    decide (task, VMD_KVM_WORKS, works_message ());
  else if (elapsed >= RUN_TIME_US)
    decide (task, VMD_KVM_UNKNOWN,
            g_strdup_printf (_("Whether KVM works could not be found out: the test guest is in the state “%s”."),
                             status));
  else
    p->timer = add_timeout (task, POLL_INTERVAL_MS, on_poll);
}

static void
on_line (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Probe *p = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = NULL;
  g_autofree char *line = NULL;
  JsonNode *root;
  JsonObject *obj;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                    &error);
  if (line == NULL)
    {
      /* Closed or cancelled: on_exited or decide() takes it from here. */
      g_debug ("KVM probe: QMP closed: %s", error ? error->message : "end of stream");
      return;
    }
  if (p->decided)
    return;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, line, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      decide (task, VMD_KVM_UNKNOWN,
              g_strdup_printf (_("Whether KVM works could not be found out: QEMU’s monitor sent something that is not QMP: %s"),
                               line));
      return;
    }
  obj = json_node_get_object (root);

  if (json_object_has_member (obj, "QMP") && p->step == STEP_GREETING)
    {
      p->step = STEP_CAPABILITIES;
      send_command (task, "qmp_capabilities");
    }
  else if (json_object_has_member (obj, "error"))
    {
      JsonObject *err = json_object_get_object_member (obj, "error");
      const char *desc = err ? json_object_get_string_member_with_default (err, "desc", "") : "";

      decide (task, VMD_KVM_UNKNOWN,
              g_strdup_printf (_("Whether KVM works could not be found out: QEMU’s monitor answered with an error: %s"),
                               desc));
    }
  else if (json_object_has_member (obj, "return") && p->step == STEP_CAPABILITIES)
    {
      p->step = STEP_STATUS;
      send_command (task, "query-status");
    }
  else if (json_object_has_member (obj, "return") && p->step == STEP_STATUS)
    {
      JsonObject *ret = json_object_get_object_member (obj, "return");

      handle_status (task, ret ? json_object_get_string_member_with_default (ret, "status", "")
                               : "");
    }
  else
    read_reply (task);  /* an event */
}

static void
read_reply (GTask *task)
{
  Probe *p = g_task_get_task_data (task);

  g_data_input_stream_read_line_async (p->input, G_PRIORITY_DEFAULT, p->io_cancellable, on_line,
                                       g_object_ref (task));
}

static gboolean
on_retry_connect (gpointer user_data)
{
  GTask *task = user_data;
  Probe *p = g_task_get_task_data (task);

  g_clear_pointer (&p->timer, g_source_unref);
  try_connect (task);
  return G_SOURCE_REMOVE;
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Probe *p = g_task_get_task_data (task);
  g_autoptr (GSocketConnection) connection = NULL;
  g_autoptr (GError) error = NULL;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (p->decided || p->exited)
    return;
  if (connection == NULL)
    {
      /* QEMU has not made its socket yet. */
      p->timer = add_timeout (task, CONNECT_RETRY_MS, on_retry_connect);
      return;
    }
  p->connection = g_steal_pointer (&connection);
  p->input = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (p->connection)));
  g_data_input_stream_set_newline_type (p->input, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  p->step = STEP_GREETING;
  read_reply (task);
}

static void
try_connect (GTask *task)
{
  Probe *p = g_task_get_task_data (task);
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketAddress) address = g_unix_socket_address_new (p->socket_path);

  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (address), p->io_cancellable,
                                 on_connected, g_object_ref (task));
}

/* ---- starting QEMU --------------------------------------------------- */

static gboolean
on_deadline (gpointer user_data)
{
  GTask *task = user_data;
  Probe *p = g_task_get_task_data (task);

  g_clear_pointer (&p->deadline, g_source_unref);
  decide (task, VMD_KVM_UNKNOWN,
          g_strdup_printf (_("Whether KVM works could not be found out: QEMU did not run the test guest within %d seconds."),
                           GIVE_UP_MS / 1000));
  return G_SOURCE_REMOVE;
}

static gboolean
on_cancelled (GCancellable *cancellable, gpointer user_data)
{
  GTask *task = user_data;
  Probe *p = g_task_get_task_data (task);

  g_clear_pointer (&p->cancel_source, g_source_unref);
  p->cancelled = TRUE;
  decide (task, VMD_KVM_UNKNOWN, g_strdup (_("Checking whether KVM works was cancelled.")));
  return G_SOURCE_REMOVE;
}

/* QEMU reads "," in an option value as the start of the next option. */
static char *
escape_commas (const char *text)
{
  g_auto (GStrv) parts = g_strsplit (text, ",", -1);

  return g_strjoinv (",,", parts);
}

static void
start_qemu (GTask *task)
{
  Probe *p = g_task_get_task_data (task);
  g_autofree char *socket_arg = NULL;
  g_autofree char *qmp_arg = NULL;
  g_autoptr (GError) error = NULL;
  const char *pid_text;

  socket_arg = escape_commas (p->socket_path);
  qmp_arg = g_strdup_printf ("unix:%s,server=on,wait=off", socket_arg);
  {
    const char *argv[] = {
      p->qemu,
      "-name", "vmdesk-kvm-probe",
      "-accel", "kvm",
      "-machine", "pc",
      "-m", "16",
      "-nodefaults",
      "-no-user-config",
      "-display", "none",
      "-bios", p->rom_path,
      "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
      "-qmp", qmp_arg,
      NULL
    };

    p->proc = g_subprocess_newv (argv,
                                 G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                 &error);
  }
  if (p->proc == NULL)
    {
      decide (task, VMD_KVM_UNKNOWN,
              g_strdup_printf (_("Whether KVM works could not be found out: QEMU (%s) could not be started: %s"),
                               p->qemu, error->message));
      return;
    }

  pid_text = g_subprocess_get_identifier (p->proc);
  g_atomic_int_set (&last_pid, pid_text != NULL ? atoi (pid_text) : 0);
  g_debug ("KVM probe: QEMU %s started", pid_text ? pid_text : "?");

  p->start_time = g_get_monotonic_time ();
  g_subprocess_communicate_async (p->proc, NULL, NULL, on_exited, g_object_ref (task));
  p->deadline = add_timeout (task, GIVE_UP_MS, on_deadline);
  try_connect (task);
}

static void
preflight_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Probe *p = g_task_get_task_data (task);

  if (g_cancellable_is_cancelled (p->cancellable))
    {
      p->cancelled = TRUE;
      decide (task, VMD_KVM_UNKNOWN, g_strdup (_("Checking whether KVM works was cancelled.")));
      return;
    }
  if (p->decided)
    {
      maybe_complete (task);
      return;
    }

  if (p->cancellable != NULL)
    {
      p->cancel_source = g_cancellable_source_new (p->cancellable);
      g_source_set_callback (p->cancel_source, G_SOURCE_FUNC (on_cancelled),
                             g_object_ref (task), g_object_unref);
      g_source_attach (p->cancel_source, g_task_get_context (task));
    }
  start_qemu (task);
}

/* ---- public API ------------------------------------------------------ */

/**
 * vmd_kvm_probe_async:
 * @qemu_binary: (nullable): the QEMU to try; %NULL for env VMDESK_QEMU or
 *   qemu-system-x86_64 from PATH
 * @cache_dir: (nullable): where to keep the result; %NULL for
 *   $XDG_CACHE_HOME/vmdesk
 * @force: run the test guest even if a cached result fits
 *
 * Finds out whether KVM can run guests here (see the top of this file).
 * Takes a few milliseconds with a cached result, usually well under a
 * second without, and at most about 4 seconds.
 */
void
vmd_kvm_probe_async (const char          *qemu_binary,
                     const char          *cache_dir,
                     gboolean             force,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr (GTask) preflight = NULL;
  const char *device = g_getenv ("VMDESK_KVM_DEVICE");
  Probe *p = g_new0 (Probe, 1);

  g_task_set_source_tag (task, vmd_kvm_probe_async);
  p->qemu_arg = g_strdup (qemu_binary);
  p->cache_dir = cache_dir != NULL ? g_strdup (cache_dir)
                                   : g_build_filename (g_get_user_cache_dir (), "vmdesk", NULL);
  p->device = g_strdup (device != NULL && *device != '\0' ? device : "/dev/kvm");
  p->force = force;
  p->status = VMD_KVM_UNKNOWN;
  p->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  p->io_cancellable = g_cancellable_new ();
  g_task_set_task_data (task, p, (GDestroyNotify) probe_free);

  /* The device check and the cache are disk work: not on this thread. */
  preflight = g_task_new (NULL, NULL, preflight_done, g_object_ref (task));
  g_task_set_task_data (preflight, p, NULL);
  g_task_run_in_thread (preflight, preflight_thread);
}

/**
 * vmd_kvm_probe_finish:
 * @message: (out) (optional) (transfer full): a sentence for the user
 *   saying what was found and what to do
 *
 * Returns: what was found; %VMD_KVM_UNKNOWN with @error set only when the
 *   probe was cancelled (every other failure is a result with a message)
 */
VmdKvmStatus
vmd_kvm_probe_finish (GAsyncResult *result, char **message, GError **error)
{
  Probe *p;

  g_return_val_if_fail (g_task_is_valid (result, NULL), VMD_KVM_UNKNOWN);
  g_return_val_if_fail (g_async_result_is_tagged (result, vmd_kvm_probe_async), VMD_KVM_UNKNOWN);

  if (message != NULL)
    *message = NULL;
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return VMD_KVM_UNKNOWN;

  p = g_task_get_task_data (G_TASK (result));
  if (message != NULL)
    *message = g_strdup (p->message);
  return p->status;
}
