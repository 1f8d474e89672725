/* bench-engine.c: what the embedded engine costs on real QEMU
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Usage: bench-engine [N | --runs N] [--list-runs N] [--domains N] [--guests N]
 *                     [--guest-memory MIB] [--hold-seconds N]
 *                     [--only start|list|memory] [--keep] [--strict]
 *                     [--no-profile]
 *
 * 1. start: `vmdesk-cli start NAME`, from its launch to (a) the CLI
 *    returning (QMP connected and `cont` done) and (b) the guest's marker
 *    VMDESK-GUEST-READY on the serial socket, beside the same argv
 *    (`vmdesk-cli qemu-argv NAME`) run with qemu-system-x86_64 directly.
 *    Goal: the engine adds under 10 % to the direct time to the marker.
 * 2. list: `vmdesk-cli list --all` with 1,000 definitions (virt-manager
 *    style XML written straight into DATA/domains). Goal: under 50 ms.
 * 3. memory: 20 test guests running; bench-engine-hold opens the engine on
 *    them, runs a stats pass a second for 10 s and reports its own
 *    memory and CPU; the QEMUs' RSS is shown beside it.
 *
 * Everything lives in a fresh temporary folder (removed at the end unless
 * --keep). Every QEMU started is stopped by its PID: engine VMs with
 * `vmdesk-cli destroy` (then SIGKILL if still there), direct ones with
 * SIGTERM/SIGKILL; a signal (Ctrl+C, meson's timeout) or a failure kills
 * them all too. Missed goals are reported, not failed: the exit status is
 * non-zero only when something could not be measured (--strict: also when
 * a goal is missed).
 *
 * Environment (meson sets these; the defaults are this build's):
 *   VMDESK_CLI          the vmdesk-cli to measure
 *   VMD_BENCH_HOLD      bench-engine-hold
 *   VMD_GUEST_BUILDER   tests/guest/build-guest
 *   VMD_GUEST_DIR       where the test guest is built (cached)
 */
#define _GNU_SOURCE  /* nftw */
#define G_LOG_DOMAIN "vmdesk-bench"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define MARKER "VMDESK-GUEST-READY"
#define BOOT_TIMEOUT_S 60
#define ALL_BOOT_TIMEOUT_S 600
#define GOAL_START_OVERHEAD 0.10
#define GOAL_LIST_MS 50.0

/* ------------------------------------------------------------ options */

static int opt_runs = 5;
static int opt_list_runs = 10;
static int opt_domains = 1000;
static int opt_guests = 20;
static int opt_guest_memory = 128;
static int opt_hold_seconds = 10;
static char **opt_only;
static gboolean opt_keep;
static gboolean opt_strict;
static gboolean opt_no_profile;

static const GOptionEntry entries[] = {
  { "runs", 'n', 0, G_OPTION_ARG_INT, &opt_runs, "Start runs of each kind (5)", "N" },
  { "list-runs", 0, 0, G_OPTION_ARG_INT, &opt_list_runs, "Runs of list --all (10)", "N" },
  { "domains", 0, 0, G_OPTION_ARG_INT, &opt_domains, "Definitions for list (1000)", "N" },
  { "guests", 0, 0, G_OPTION_ARG_INT, &opt_guests, "Running guests for memory (20)", "N" },
  { "guest-memory", 0, 0, G_OPTION_ARG_INT, &opt_guest_memory, "MiB per guest (128)", "MIB" },
  { "hold-seconds", 0, 0, G_OPTION_ARG_INT, &opt_hold_seconds,
    "Seconds of stats passes in the memory part (10)", "N" },
  { "only", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_only,
    "Run only this part: start, list or memory (repeatable)", "PART" },
  { "keep", 0, 0, G_OPTION_ARG_NONE, &opt_keep, "Keep the work folder", NULL },
  { "strict", 0, 0, G_OPTION_ARG_NONE, &opt_strict, "Exit 1 when a goal is missed", NULL },
  { "no-profile", 0, 0, G_OPTION_ARG_NONE, &opt_no_profile,
    "Do not profile list --all with perf when it misses its goal", NULL },
  { NULL }
};

static const char *cli_path;
static const char *hold_path;
static const char *builder_path;
static const char *guest_dir;
static char *work_dir;

/* ------------------------------------------------- QEMUs we are owed */

/* Every QEMU this program started, so that a signal or a failure can
 * still stop them. Plain array: the signal handler reads it. */
#define MAX_PIDS 1024
static volatile pid_t qemu_pids[MAX_PIDS];

static void
own_pid (pid_t pid)
{
  for (int i = 0; i < MAX_PIDS; i++)
    if (qemu_pids[i] == 0)
      {
        qemu_pids[i] = pid;
        return;
      }
  g_error ("too many QEMU processes");
}

static void
disown_pid (pid_t pid)
{
  for (int i = 0; i < MAX_PIDS; i++)
    if (qemu_pids[i] == pid)
      qemu_pids[i] = 0;
}

static void
on_fatal_signal (int sig)
{
  for (int i = 0; i < MAX_PIDS; i++)
    if (qemu_pids[i] > 0)
      kill (qemu_pids[i], SIGKILL);
  signal (sig, SIG_DFL);
  raise (sig);
}

/* Gone, or a zombie nobody reaped yet. */
static gboolean
pid_gone (pid_t pid)
{
  char path[64], buf[512];
  ssize_t len;
  int fd;
  char *paren;

  if (kill (pid, 0) != 0 && errno == ESRCH)
    return TRUE;
  g_snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return TRUE;
  len = read (fd, buf, sizeof buf - 1);
  close (fd);
  if (len <= 0)
    return TRUE;
  buf[len] = '\0';
  paren = strrchr (buf, ')');
  return paren != NULL && paren[1] == ' ' && (paren[2] == 'Z' || paren[2] == 'X');
}

static gboolean
wait_gone (pid_t pid, int timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!pid_gone (pid))
    {
      /* Our own children need reaping to be gone. */
      waitpid (pid, NULL, WNOHANG);
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_usleep (2000);
    }
  waitpid (pid, NULL, WNOHANG);
  return TRUE;
}

/* SIGTERM, then SIGKILL after a grace period. */
static void
kill_qemu (pid_t pid)
{
  if (pid <= 0)
    return;
  if (!pid_gone (pid))
    {
      kill (pid, SIGTERM);
      if (!wait_gone (pid, 5000))
        {
          g_printerr ("bench-engine: QEMU %d ignored SIGTERM; killing it\n", (int) pid);
          kill (pid, SIGKILL);
          wait_gone (pid, 5000);
        }
    }
  disown_pid (pid);
}

static void
kill_all_owned (void)
{
  for (int i = 0; i < MAX_PIDS; i++)
    if (qemu_pids[i] > 0)
      kill_qemu (qemu_pids[i]);
}

/* ------------------------------------------------------------ helpers */

static gint64
now_us (void)
{
  return g_get_monotonic_time ();
}

typedef struct {
  double *v;
  guint   n;
} Series;

static void
series_add (Series *s, double value)
{
  s->v = g_renew (double, s->v, s->n + 1);
  s->v[s->n++] = value;
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
series_median (const Series *s)
{
  g_autofree double *sorted = g_memdup2 (s->v, s->n * sizeof (double));

  if (s->n == 0)
    return 0;
  qsort (sorted, s->n, sizeof (double), compare_double);
  return s->n % 2 ? sorted[s->n / 2] : (sorted[s->n / 2 - 1] + sorted[s->n / 2]) / 2;
}

static double
series_min (const Series *s)
{
  double m = s->n ? s->v[0] : 0;

  for (guint i = 1; i < s->n; i++)
    m = MIN (m, s->v[i]);
  return m;
}

static double
series_max (const Series *s)
{
  double m = s->n ? s->v[0] : 0;

  for (guint i = 1; i < s->n; i++)
    m = MAX (m, s->v[i]);
  return m;
}

static double
series_sum (const Series *s)
{
  double sum = 0;

  for (guint i = 0; i < s->n; i++)
    sum += s->v[i];
  return sum;
}

static void
print_series (const char *what, const Series *s, const char *unit, double scale)
{
  printf ("  %-46s median %8.1f %s   (min %.1f, max %.1f, n=%u)\n", what,
          series_median (s) * scale, unit, series_min (s) * scale, series_max (s) * scale, s->n);
}

static gboolean
part_wanted (const char *part)
{
  return opt_only == NULL || g_strv_contains ((const char *const *) opt_only, part);
}

static char *
read_text (const char *path)
{
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strdup ("");
  return g_strstrip (text);
}

/* The machine's load, since TCG timings depend on it. */
static char *
loadavg (void)
{
  g_autofree char *text = read_text ("/proc/loadavg");
  g_auto (GStrv) fields = g_strsplit (text, " ", 4);

  if (g_strv_length (fields) < 3)
    return g_strdup ("?");
  return g_strdup_printf ("%s %s %s", fields[0], fields[1], fields[2]);
}

/* Spawns @argv with stdout and stderr into files (or /dev/null). */
static pid_t
spawn (const char *const *argv, const char *out_path, const char *err_path)
{
  posix_spawn_file_actions_t actions;
  pid_t pid;
  int ret;

  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_addopen (&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen (&actions, 1, out_path ? out_path : "/dev/null",
                                    O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen (&actions, 2, err_path ? err_path : "/dev/null",
                                    O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ret = posix_spawn (&pid, argv[0], &actions, NULL, (char *const *) argv, environ);
  posix_spawn_file_actions_destroy (&actions);
  if (ret != 0)
    {
      g_printerr ("bench-engine: %s could not be run: %s\n", argv[0], g_strerror (ret));
      return -1;
    }
  return pid;
}

/* The CPU time (user + system) of the last child waited for, in ms. */
static double last_child_cpu_ms;
static long last_child_maxrss_kib;

static int
wait_exit (pid_t pid)
{
  struct rusage usage = { 0 };
  int status;

  while (wait4 (pid, &status, 0, &usage) < 0)
    if (errno != EINTR)
      return -1;
  last_child_cpu_ms = usage.ru_utime.tv_sec * 1e3 + usage.ru_utime.tv_usec / 1e3 +
                      usage.ru_stime.tv_sec * 1e3 + usage.ru_stime.tv_usec / 1e3;
  last_child_maxrss_kib = usage.ru_maxrss;
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

/* Runs vmdesk-cli with the data and runtime folders of @base. On failure
 * prints its stderr and returns FALSE; *out gets its stdout. */
static gboolean
cli (const char *base, char **out, gint64 *elapsed_us, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out_path = g_build_filename (work_dir, "cli.out", NULL);
  g_autofree char *err_path = g_build_filename (work_dir, "cli.err", NULL);
  va_list args;
  const char *arg;
  gint64 t0, t1;
  pid_t pid;
  int status;

  g_ptr_array_add (argv, g_strdup (cli_path));
  g_ptr_array_add (argv, g_strdup_printf ("--data-dir=%s/data", base));
  g_ptr_array_add (argv, g_strdup_printf ("--runtime-dir=%s/run", base));
  va_start (args, elapsed_us);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  t0 = now_us ();
  pid = spawn ((const char *const *) argv->pdata, out_path, err_path);
  if (pid < 0)
    return FALSE;
  status = wait_exit (pid);
  t1 = now_us ();
  if (elapsed_us)
    *elapsed_us = t1 - t0;
  if (out)
    *out = read_text (out_path);
  if (status != 0)
    {
      g_autofree char *err = read_text (err_path);
      g_printerr ("bench-engine: vmdesk-cli %s failed (exit %d): %s\n",
                  (const char *) argv->pdata[3], status, err);
      return FALSE;
    }
  return TRUE;
}

static int
connect_unix (const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd;

  if (strlen (path) >= sizeof addr.sun_path)
    {
      g_printerr ("bench-engine: socket path too long: %s\n", path);
      return -1;
    }
  strcpy (addr.sun_path, path);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

/* Connects as soon as the socket is there; gives up at @deadline or when
 * @child (if > 0, our child) has exited. */
static int
connect_when_there (const char *path, gint64 deadline, pid_t child)
{
  for (;;)
    {
      int fd = connect_unix (path);

      if (fd >= 0)
        return fd;
      if (child > 0 && waitpid (child, NULL, WNOHANG) == child)
        return -1;
      if (now_us () > deadline)
        return -1;
      g_usleep (200);
    }
}

/* A guest's serial port, read until its marker. */
typedef struct {
  int      fd;
  GString *tail;
  gint64   found_us;   /* 0 until the marker came */
  gboolean closed;
} Serial;

static void
serial_init (Serial *s, int fd)
{
  s->fd = fd;
  s->tail = g_string_new (NULL);
  s->found_us = 0;
  s->closed = FALSE;
}

static void
serial_clear (Serial *s)
{
  if (s->fd >= 0)
    close (s->fd);
  s->fd = -1;
  if (s->tail)
    g_string_free (s->tail, TRUE);
  s->tail = NULL;
}

static void
serial_read (Serial *s)
{
  char buf[4096];
  ssize_t len = read (s->fd, buf, sizeof buf);

  if (len <= 0)
    {
      if (len == 0 || (errno != EINTR && errno != EAGAIN))
        s->closed = TRUE;
      return;
    }
  g_string_append_len (s->tail, buf, len);
  if (s->found_us == 0 && strstr (s->tail->str, MARKER) != NULL)
    s->found_us = now_us ();
  /* Keep enough to find a marker split over two reads, and to show. */
  if (s->tail->len > 8192)
    g_string_erase (s->tail, 0, s->tail->len - 2048);
}

/* Reads every serial port until each has its marker, or @deadline. */
static gboolean
serial_wait_all (Serial *serials, guint n, gint64 deadline)
{
  g_autofree struct pollfd *fds = g_new0 (struct pollfd, n);

  for (;;)
    {
      guint waiting = 0;
      gint64 left_ms;

      for (guint i = 0; i < n; i++)
        {
          fds[i].fd = (serials[i].found_us == 0 && !serials[i].closed) ? serials[i].fd : -1;
          fds[i].events = POLLIN;
          fds[i].revents = 0;
          if (fds[i].fd >= 0)
            waiting++;
        }
      if (waiting == 0)
        break;
      left_ms = (deadline - now_us ()) / 1000;
      if (left_ms <= 0)
        break;
      if (poll (fds, n, (int) MIN (left_ms, 1000)) < 0 && errno != EINTR)
        break;
      for (guint i = 0; i < n; i++)
        if (fds[i].revents & (POLLIN | POLLHUP | POLLERR))
          serial_read (&serials[i]);
    }
  for (guint i = 0; i < n; i++)
    if (serials[i].found_us == 0)
      return FALSE;
  return TRUE;
}

static void
print_serial_tail (const char *who, const Serial *s)
{
  const char *text = s->tail ? s->tail->str : "";
  gsize len = strlen (text);

  g_printerr ("bench-engine: %s: no %s on the serial port%s; it ends with:\n%s\n", who, MARKER,
              s->closed ? " (it closed)" : "", len > 600 ? text + len - 600 : text);
}

/* Reads from @fd until @needle, or @deadline. */
static gboolean
read_until (int fd, const char *needle, gint64 deadline)
{
  g_autoptr (GString) got = g_string_new (NULL);
  char buf[4096];

  while (strstr (got->str, needle) == NULL)
    {
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      gint64 left_ms = (deadline - now_us ()) / 1000;
      ssize_t len;

      if (left_ms <= 0 || poll (&pfd, 1, (int) left_ms) <= 0)
        return FALSE;
      len = read (fd, buf, sizeof buf);
      if (len <= 0)
        return FALSE;
      g_string_append_len (got, buf, len);
    }
  return TRUE;
}

static int
remove_entry (const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
  remove (path);
  return 0;
}

static void
remove_tree (const char *path)
{
  nftw (path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static gboolean
write_file (const char *path, const char *text)
{
  g_autoptr (GError) error = NULL;

  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error))
    {
      g_printerr ("bench-engine: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

/* ---------------------------------------------------- the test guest */

static char *
guest_xml (const char *name, int memory_mib)
{
  return g_strdup_printf (
    "<domain type='qemu'>\n"
    "  <name>%s</name>\n"
    "  <memory unit='MiB'>%d</memory>\n"
    "  <vcpu>1</vcpu>\n"
    "  <os>\n"
    "    <type arch='x86_64' machine='pc'>hvm</type>\n"
    "    <kernel>%s/vmlinuz</kernel>\n"
    "    <initrd>%s/initrd.img</initrd>\n"
    "    <cmdline>console=ttyS0</cmdline>\n"
    "  </os>\n"
    "  <features><acpi/></features>\n"
    "  <devices>\n"
    "    <serial type='pty'><target port='0'/></serial>\n"
    "    <graphics type='vnc'/>\n"
    "    <video><model type='vga'/></video>\n"
    "  </devices>\n"
    "</domain>\n",
    name, memory_mib, guest_dir, guest_dir);
}

static gboolean
build_guest (void)
{
  const char *argv[] = { builder_path, guest_dir, NULL };
  g_autofree char *err_path = g_build_filename (work_dir, "build-guest.log", NULL);
  gint64 t0 = now_us ();
  pid_t pid = spawn (argv, err_path, err_path);

  if (pid < 0 || wait_exit (pid) != 0)
    {
      g_autofree char *log = read_text (err_path);
      g_printerr ("bench-engine: the test guest could not be built:\n%s\n", log);
      return FALSE;
    }
  printf ("test guest: %s (ready in %.1f s)\n\n", guest_dir, (now_us () - t0) / 1e6);
  return TRUE;
}

/* Defines @name in @base; returns its UUID. */
static char *
define_guest (const char *base, const char *name, int memory_mib)
{
  g_autofree char *xml = guest_xml (name, memory_mib);
  g_autofree char *file = g_strdup_printf ("%s/%s.xml", base, name);
  g_autofree char *out = NULL;
  g_autofree char *uuid = NULL;
  g_auto (GStrv) lines = NULL;

  if (!write_file (file, xml) || !cli (base, NULL, NULL, "define", file, NULL))
    return NULL;
  if (!cli (base, &out, NULL, "dominfo", name, NULL))
    return NULL;
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "UUID:"))
      uuid = g_strstrip (g_strdup (lines[i] + 5));
  if (uuid == NULL)
    g_printerr ("bench-engine: dominfo %s shows no UUID\n", name);
  return g_steal_pointer (&uuid);
}

/* An engine VM: started with the CLI, found by its pidfile. */
typedef struct {
  char   *name;
  char   *uuid;
  pid_t   pid;
  Serial  serial;
} EngineVm;

static gboolean
engine_start (const char *base, EngineVm *vm, gint64 *cli_us)
{
  g_autofree char *pidfile = g_strdup_printf ("%s/run/%s/qemu.pid", base, vm->uuid);
  g_autofree char *sock = g_strdup_printf ("%s/run/%s/chardev-serial0.sock", base, vm->uuid);
  g_autofree char *pidtext = NULL;
  int fd;

  vm->pid = 0;
  serial_init (&vm->serial, -1);
  if (!cli (base, NULL, cli_us, "start", vm->name, NULL))
    return FALSE;
  pidtext = read_text (pidfile);
  vm->pid = (pid_t) g_ascii_strtoll (pidtext, NULL, 10);
  if (vm->pid <= 0)
    {
      g_printerr ("bench-engine: %s started but %s holds no PID\n", vm->name, pidfile);
      return FALSE;
    }
  own_pid (vm->pid);
  fd = connect_when_there (sock, now_us () + 2 * G_USEC_PER_SEC, 0);
  if (fd < 0)
    {
      g_printerr ("bench-engine: %s: its serial socket %s did not answer: %s\n", vm->name, sock,
                  g_strerror (errno));
      return FALSE;
    }
  vm->serial.fd = fd;
  return TRUE;
}

static gboolean
engine_stop (const char *base, EngineVm *vm)
{
  gboolean ok = TRUE;

  serial_clear (&vm->serial);
  if (vm->pid <= 0)
    return TRUE;
  if (!cli (base, NULL, NULL, "destroy", vm->name, NULL))
    ok = FALSE;
  if (!wait_gone (vm->pid, 10000))
    {
      g_printerr ("bench-engine: QEMU %d of %s is still there after destroy\n", (int) vm->pid,
                  vm->name);
      ok = FALSE;
    }
  kill_qemu (vm->pid);   /* disowns it; kills it only if destroy did not */
  vm->pid = 0;
  return ok;
}

/* ------------------------------------------------------ 1. start time */

typedef struct {
  Series engine_cli, engine_serial, direct_qmp, direct_serial;
} StartFigures;

static gboolean
start_engine_once (const char *base, EngineVm *vm, StartFigures *fig, gboolean count)
{
  gint64 t0 = now_us (), cli_us;
  double cli_cpu_ms;
  gboolean ok;

  ok = engine_start (base, vm, &cli_us);
  cli_cpu_ms = last_child_cpu_ms;
  ok = ok && serial_wait_all (&vm->serial, 1, now_us () + BOOT_TIMEOUT_S * G_USEC_PER_SEC);
  if (!ok && vm->serial.tail != NULL && vm->serial.fd >= 0)
    print_serial_tail ("engine run", &vm->serial);
  if (ok && count)
    {
      series_add (&fig->engine_cli, cli_us / 1e3);
      series_add (&fig->engine_serial, (vm->serial.found_us - t0) / 1e3);
    }
  if (ok)
    printf ("    engine: CLI returned %7.1f ms, marker %7.1f ms   (CLI CPU %.1f ms)%s\n",
            cli_us / 1e3, (vm->serial.found_us - t0) / 1e3, cli_cpu_ms,
            count ? "" : "  (warm-up)");
  return engine_stop (base, vm) && ok;
}

/* The argv of `vmdesk-cli qemu-argv`, with the VM's runtime folder moved
 * to @direct_dir. */
static GStrv
direct_argv (const char *text, const char *engine_dir, const char *direct_dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) joined = g_string_new (text);
  g_auto (GStrv) argv = NULL;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  g_string_replace (joined, "\\\n", " ", 0);
  if (!g_shell_parse_argv (joined->str, NULL, &argv, &error))
    {
      g_printerr ("bench-engine: the output of qemu-argv could not be parsed: %s\n",
                  error->message);
      return NULL;
    }
  for (guint i = 0; argv[i] != NULL; i++)
    {
      g_autoptr (GString) arg = g_string_new (argv[i]);

      /* Only what the engine adds to start detached; qemu-argv has none
       * of these today, but the direct run must stay in the foreground. */
      if (g_str_equal (argv[i], "-daemonize") || g_str_equal (argv[i], "-S"))
        continue;
      if (g_str_equal (argv[i], "-pidfile") && argv[i + 1] != NULL)
        {
          i++;
          continue;
        }
      g_string_replace (arg, engine_dir, direct_dir, 0);
      g_strv_builder_add (builder, arg->str);
    }
  return g_strv_builder_end (builder);
}

static gboolean
start_direct_once (const char *const *argv, const char *direct_dir, StartFigures *fig,
                   gboolean count)
{
  g_autofree char *qmp_path = g_build_filename (direct_dir, "qmp.sock", NULL);
  g_autofree char *serial_path = g_build_filename (direct_dir, "chardev-serial0.sock", NULL);
  g_autofree char *log_path = g_build_filename (direct_dir, "qemu.log", NULL);
  static const char caps[] = "{\"execute\":\"qmp_capabilities\"}\n";
  Serial serial;
  gint64 t0, t_qmp = 0, deadline;
  gboolean ok = FALSE;
  int qmp = -1;
  pid_t pid;

  serial_init (&serial, -1);
  g_unlink (qmp_path);
  g_unlink (serial_path);

  t0 = now_us ();
  deadline = t0 + BOOT_TIMEOUT_S * G_USEC_PER_SEC;
  pid = spawn (argv, log_path, log_path);
  if (pid < 0)
    return FALSE;
  own_pid (pid);

  qmp = connect_when_there (qmp_path, deadline, pid);
  if (qmp < 0 || !read_until (qmp, "\"QMP\"", deadline) ||
      write (qmp, caps, strlen (caps)) != (ssize_t) strlen (caps) ||
      !read_until (qmp, "\"return\"", deadline))
    {
      g_autofree char *log = read_text (log_path);
      g_printerr ("bench-engine: direct QEMU did not answer on %s:\n%s\n", qmp_path, log);
      goto out;
    }
  t_qmp = now_us ();
  serial.fd = connect_when_there (serial_path, deadline, pid);
  if (serial.fd < 0)
    {
      g_printerr ("bench-engine: direct QEMU's serial socket %s did not answer\n", serial_path);
      goto out;
    }
  if (!serial_wait_all (&serial, 1, deadline))
    {
      print_serial_tail ("direct run", &serial);
      goto out;
    }
  ok = TRUE;
  if (count)
    {
      series_add (&fig->direct_qmp, (t_qmp - t0) / 1e3);
      series_add (&fig->direct_serial, (serial.found_us - t0) / 1e3);
    }
  printf ("    direct: QMP answered %7.1f ms, marker %7.1f ms%s\n", (t_qmp - t0) / 1e3,
          (serial.found_us - t0) / 1e3, count ? "" : "  (warm-up)");

out:
  if (qmp >= 0)
    close (qmp);
  serial_clear (&serial);
  kill_qemu (pid);
  return ok;
}

static gboolean
bench_start (gboolean *goal_met, double *overhead_pct, StartFigures *fig)
{
  g_autofree char *base = g_build_filename (work_dir, "s", NULL);
  g_autofree char *direct_dir = g_build_filename (base, "direct", NULL);
  g_autofree char *engine_dir = NULL;
  g_autofree char *argv_text = NULL;
  g_auto (GStrv) argv = NULL;
  EngineVm vm = { .name = (char *) "bench-start" };
  gboolean ok = TRUE;
  double e, d;

  printf ("== 1. start: vmdesk-cli start vs. the same argv run directly "
          "(%d runs + 1 warm-up each, alternating) ==\n", opt_runs);
  g_mkdir_with_parents (direct_dir, 0700);
  vm.uuid = define_guest (base, vm.name, 128);
  if (vm.uuid == NULL || !cli (base, &argv_text, NULL, "qemu-argv", vm.name, NULL))
    return FALSE;
  engine_dir = g_strdup_printf ("%s/run/%s", base, vm.uuid);
  argv = direct_argv (argv_text, engine_dir, direct_dir);
  if (argv == NULL)
    return FALSE;

  for (int i = -1; i < opt_runs && ok; i++)
    {
      gboolean count = i >= 0;
      gboolean engine_first = (i + 1) % 2 == 0;

      printf ("  run %d%s\n", i + 1, count ? "" : " (warm-up, not counted)");
      if (engine_first)
        ok = start_engine_once (base, &vm, fig, count) &&
             start_direct_once ((const char *const *) argv, direct_dir, fig, count);
      else
        ok = start_direct_once ((const char *const *) argv, direct_dir, fig, count) &&
             start_engine_once (base, &vm, fig, count);
    }
  g_free (vm.uuid);
  if (!ok)
    return FALSE;

  e = series_median (&fig->engine_serial);
  d = series_median (&fig->direct_serial);
  *overhead_pct = 100.0 * (e - d) / d;
  *goal_met = *overhead_pct < GOAL_START_OVERHEAD * 100;
  printf ("\n");
  print_series ("engine: launch -> CLI returned (QMP ready, cont)", &fig->engine_cli, "ms", 1);
  print_series ("engine: launch -> first serial line (marker)", &fig->engine_serial, "ms", 1);
  print_series ("direct: launch -> QMP answering", &fig->direct_qmp, "ms", 1);
  print_series ("direct: launch -> first serial line (marker)", &fig->direct_serial, "ms", 1);
  printf ("  overhead to the marker: %+.1f ms = %+.1f %% of direct\n", e - d, *overhead_pct);
  printf ("  (less noisy: CLI returned - direct QMP answering = %+.1f ms = %+.1f %% of direct"
          " time to the marker)\n",
          series_median (&fig->engine_cli) - series_median (&fig->direct_qmp),
          100.0 * (series_median (&fig->engine_cli) - series_median (&fig->direct_qmp)) / d);
  printf ("  GOAL engine overhead < 10 %% of direct time to first serial line: %s (%+.1f %%)\n\n",
          *goal_met ? "MET" : "MISSED", *overhead_pct);
  return TRUE;
}

/* ---------------------------------------------------- 2. list --all */

/* A definition like virt-manager 4 writes for a Debian 12 guest on q35. */
static char *
listing_xml (guint i)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf (
    "<domain type=\"kvm\">\n"
    "  <name>vm-%04u</name>\n"
    "  <uuid>%s</uuid>\n"
    "  <title>Bench VM %u</title>\n"
    "  <metadata>\n"
    "    <libosinfo:libosinfo xmlns:libosinfo=\"http://libosinfo.org/xmlns/libvirt/domain/1.0\">\n"
    "      <libosinfo:os id=\"http://debian.org/debian/12\"/>\n"
    "    </libosinfo:libosinfo>\n"
    "  </metadata>\n"
    "  <memory unit=\"KiB\">2097152</memory>\n"
    "  <currentMemory unit=\"KiB\">2097152</currentMemory>\n"
    "  <vcpu placement=\"static\">2</vcpu>\n"
    "  <os>\n"
    "    <type arch=\"x86_64\" machine=\"pc-q35-7.2\">hvm</type>\n"
    "    <boot dev=\"hd\"/>\n"
    "  </os>\n"
    "  <features>\n"
    "    <acpi/>\n"
    "    <apic/>\n"
    "    <vmport state=\"off\"/>\n"
    "  </features>\n"
    "  <cpu mode=\"host-passthrough\" check=\"none\" migratable=\"on\"/>\n"
    "  <clock offset=\"utc\">\n"
    "    <timer name=\"rtc\" tickpolicy=\"catchup\"/>\n"
    "    <timer name=\"pit\" tickpolicy=\"delay\"/>\n"
    "    <timer name=\"hpet\" present=\"no\"/>\n"
    "  </clock>\n"
    "  <on_poweroff>destroy</on_poweroff>\n"
    "  <on_reboot>restart</on_reboot>\n"
    "  <on_crash>destroy</on_crash>\n"
    "  <pm>\n"
    "    <suspend-to-mem enabled=\"no\"/>\n"
    "    <suspend-to-disk enabled=\"no\"/>\n"
    "  </pm>\n"
    "  <devices>\n"
    "    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
    "    <disk type=\"file\" device=\"disk\">\n"
    "      <driver name=\"qemu\" type=\"qcow2\" discard=\"unmap\"/>\n"
    "      <source file=\"/var/lib/libvirt/images/vm-%04u.qcow2\"/>\n"
    "      <target dev=\"vda\" bus=\"virtio\"/>\n"
    "      <address type=\"pci\" domain=\"0x0000\" bus=\"0x04\" slot=\"0x00\" function=\"0x0\"/>\n"
    "    </disk>\n"
    "    <disk type=\"file\" device=\"cdrom\">\n"
    "      <driver name=\"qemu\" type=\"raw\"/>\n"
    "      <target dev=\"sda\" bus=\"sata\"/>\n"
    "      <readonly/>\n"
    "      <address type=\"drive\" controller=\"0\" bus=\"0\" target=\"0\" unit=\"0\"/>\n"
    "    </disk>\n"
    "    <controller type=\"usb\" index=\"0\" model=\"qemu-xhci\" ports=\"15\">\n"
    "      <address type=\"pci\" domain=\"0x0000\" bus=\"0x02\" slot=\"0x00\" function=\"0x0\"/>\n"
    "    </controller>\n"
    "    <controller type=\"pci\" index=\"0\" model=\"pcie-root\"/>\n"
    "    <controller type=\"pci\" index=\"1\" model=\"pcie-root-port\">\n"
    "      <model name=\"pcie-root-port\"/>\n"
    "      <target chassis=\"1\" port=\"0x10\"/>\n"
    "      <address type=\"pci\" domain=\"0x0000\" bus=\"0x00\" slot=\"0x02\" function=\"0x0\" multifunction=\"on\"/>\n"
    "    </controller>\n"
    "    <controller type=\"pci\" index=\"2\" model=\"pcie-root-port\">\n"
    "      <model name=\"pcie-root-port\"/>\n"
    "      <target chassis=\"2\" port=\"0x11\"/>\n"
    "      <address type=\"pci\" domain=\"0x0000\" bus=\"0x00\" slot=\"0x02\" function=\"0x1\"/>\n"
    "    </controller>\n"
    "    <controller type=\"pci\" index=\"3\" model=\"pcie-root-port\">\n"
    "      <model name=\"pcie-root-port\"/>\n"
    "      <target chassis=\"3\" port=\"0x12\"/>\n"
    "      <address type=\"pci\" domain=\"0x0000\" bus=\"0x00\" slot=\"0x02\" function=\"0x2\"/>\n"
    "    </controller>\n"
    "    <controller type=\"pci\" index=\"4\" model=\"pcie-root-port\">\n"
    "      <model name=\"pcie-root-port\"/>\n"
    "      <target chassis=\"4\" port=\"0x13\"/>\n"
    "      <address type=\"pci\" domain=\"0x0000\" bus=\"0x00\" slot=\"0x02\" function=\"0x3\"/>\n"
    "    </controller>\n"
    "    <controller type=\"pci\" index=\"5\" model=\"pcie-root-port\">\n"
    "      <model name=\"pcie-root-port\"/>\n"
    "      <target chassis=\"5\" port=\"0x14\"/>\n"
    "      <address type=\"pci\" domain=\"0x0000\" bus=\"0x00\" slot=\"0x02\" function=\"0x4\"/>\n"
    "    </controller>\n"
    "    <controller type=\"pci\" index=\"6\" model=\"pcie-root-port\">\n"
    "      <model name=\"pcie-root-port\"/>\n"
    "      <target chassis=\"6\" port=\"0x15\"/>\n"
    "      <address type=\"pci\" domain=\"0x0000\" bus=\"0x00\" slot=\"0x02\" function=\"0x5\"/>\n"
    "    </controller>\n"
    "    <controller type=\"sata\" index=\"0\">\n"
    "      <address type=\"pci\" domain=\"0x0000\" bus=\"0x00\" slot=\"0x1f\" function=\"0x2\"/>\n"
    "    </controller>\n"
    "    <controller type=\"virtio-serial\" index=\"0\">\n"
    "      <address type=\"pci\" domain=\"0x0000\" bus=\"0x03\" slot=\"0x00\" function=\"0x0\"/>\n"
    "    </controller>\n"
    "    <interface type=\"network\">\n"
    "      <mac address=\"52:54:00:%02x:%02x:%02x\"/>\n"
    "      <source network=\"default\"/>\n"
    "      <model type=\"virtio\"/>\n"
    "      <address type=\"pci\" domain=\"0x0000\" bus=\"0x01\" slot=\"0x00\" function=\"0x0\"/>\n"
    "    </interface>\n"
    "    <serial type=\"pty\">\n"
    "      <target type=\"isa-serial\" port=\"0\">\n"
    "        <model name=\"isa-serial\"/>\n"
    "      </target>\n"
    "    </serial>\n"
    "    <console type=\"pty\">\n"
    "      <target type=\"serial\" port=\"0\"/>\n"
    "    </console>\n"
    "    <channel type=\"unix\">\n"
    "      <target type=\"virtio\" name=\"org.qemu.guest_agent.0\"/>\n"
    "      <address type=\"virtio-serial\" controller=\"0\" bus=\"0\" port=\"1\"/>\n"
    "    </channel>\n"
    "    <channel type=\"spicevmc\">\n"
    "      <target type=\"virtio\" name=\"com.redhat.spice.0\"/>\n"
    "      <address type=\"virtio-serial\" controller=\"0\" bus=\"0\" port=\"2\"/>\n"
    "    </channel>\n"
    "    <input type=\"tablet\" bus=\"usb\">\n"
    "      <address type=\"usb\" bus=\"0\" port=\"1\"/>\n"
    "    </input>\n"
    "    <input type=\"mouse\" bus=\"ps2\"/>\n"
    "    <input type=\"keyboard\" bus=\"ps2\"/>\n"
    "    <graphics type=\"spice\" autoport=\"yes\">\n"
    "      <listen type=\"address\"/>\n"
    "      <image compression=\"off\"/>\n"
    "    </graphics>\n"
    "    <sound model=\"ich9\">\n"
    "      <address type=\"pci\" domain=\"0x0000\" bus=\"0x00\" slot=\"0x1b\" function=\"0x0\"/>\n"
    "    </sound>\n"
    "    <audio id=\"1\" type=\"spice\"/>\n"
    "    <video>\n"
    "      <model type=\"virtio\" heads=\"1\" primary=\"yes\"/>\n"
    "      <address type=\"pci\" domain=\"0x0000\" bus=\"0x00\" slot=\"0x01\" function=\"0x0\"/>\n"
    "    </video>\n"
    "    <redirdev bus=\"usb\" type=\"spicevmc\">\n"
    "      <address type=\"usb\" bus=\"0\" port=\"2\"/>\n"
    "    </redirdev>\n"
    "    <redirdev bus=\"usb\" type=\"spicevmc\">\n"
    "      <address type=\"usb\" bus=\"0\" port=\"3\"/>\n"
    "    </redirdev>\n"
    "    <memballoon model=\"virtio\">\n"
    "      <address type=\"pci\" domain=\"0x0000\" bus=\"0x05\" slot=\"0x00\" function=\"0x0\"/>\n"
    "    </memballoon>\n"
    "    <rng model=\"virtio\">\n"
    "      <backend model=\"random\">/dev/urandom</backend>\n"
    "      <address type=\"pci\" domain=\"0x0000\" bus=\"0x06\" slot=\"0x00\" function=\"0x0\"/>\n"
    "    </rng>\n"
    "  </devices>\n"
    "</domain>\n",
    i, uuid, i, i, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff);
}

static void
profile_list (const char *base)
{
  g_autofree char *perf = g_find_program_in_path ("perf");
  g_autofree char *data = g_build_filename (work_dir, "perf-list.data", NULL);
  g_autofree char *data_arg = g_strdup_printf ("--data-dir=%s/data", base);
  g_autofree char *run_arg = g_strdup_printf ("--runtime-dir=%s/run", base);
  g_autofree char *report = g_build_filename (work_dir, "perf-report.txt", NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  pid_t pid;

  if (perf == NULL)
    {
      printf ("  (perf is not installed: no profile)\n");
      return;
    }
  {
    const char *argv[] = { perf, "record", "-q", "-F", "5000", "--call-graph", "dwarf,16384",
                           "-o", data, "--", cli_path, data_arg, run_arg, "list", "--all", NULL };
    pid = spawn (argv, NULL, NULL);
    if (pid < 0 || wait_exit (pid) != 0)
      {
        printf ("  (perf record failed: is perf_event_paranoid too strict?)\n");
        return;
      }
  }
  {
    const char *argv[] = { perf, "report", "-i", data, "--stdio", "--children", "--sort", "symbol",
                           "-g", "none", "--percent-limit", "5", NULL };
    pid = spawn (argv, report, NULL);
    if (pid < 0 || wait_exit (pid) != 0)
      {
        printf ("  (perf report failed)\n");
        return;
      }
  }
  text = read_text (report);
  lines = g_strsplit (text, "\n", -1);
  printf ("  where the time goes: perf, one list --all, time with callees (>= 5 %%):\n");
  printf ("    %-9s %-9s %s\n", "total", "self", "function");
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) cols = NULL;
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));

      /* Headers, frames perf could not name, and perf's own cost. */
      if (line[0] == '#' || line[0] == '\0' || strstr (line, "] 0x0") != NULL ||
          strstr (line, "perf_") != NULL)
        continue;
      cols = g_strsplit_set (line, " \t", -1);
      {
        g_autoptr (GStrvBuilder) words = g_strv_builder_new ();
        g_auto (GStrv) w = NULL;

        for (guint c = 0; cols[c] != NULL; c++)
          if (*cols[c] != '\0' && !g_str_equal (cols[c], "-"))
            g_strv_builder_add (words, cols[c]);
        w = g_strv_builder_end (words);
        if (g_strv_length (w) >= 4)
          printf ("    %-9s %-9s %s %s\n", w[0], w[1], w[2], w[3]);
      }
    }
  printf ("    (perf data: %s; kept with --keep)\n", data);
}

static gboolean
bench_list (gboolean *goal_met, Series *runs, Series *cpu, double *generate_ms)
{
  g_autofree char *base = g_build_filename (work_dir, "l", NULL);
  g_autofree char *domains = g_build_filename (base, "data", "domains", NULL);
  g_autofree char *out = NULL;
  g_autofree char *sample = listing_xml (1);
  g_auto (GStrv) lines = NULL;
  long maxrss = 0;
  gint64 t0;
  guint listed = 0;

  printf ("== 2. list: vmdesk-cli list --all with %d definitions (%d runs + 1 warm-up) ==\n",
          opt_domains, opt_list_runs);
  g_mkdir_with_parents (domains, 0700);
  g_mkdir_with_parents (base, 0700);
  t0 = now_us ();
  for (int i = 0; i < opt_domains; i++)
    {
      g_autofree char *xml = listing_xml ((guint) i + 1);
      g_autofree char *uuid = g_strndup (strstr (xml, "<uuid>") + 6, 36);
      g_autofree char *file = g_strdup_printf ("%s/%s.xml", domains, uuid);

      if (!write_file (file, xml))
        return FALSE;
    }
  *generate_ms = (now_us () - t0) / 1e3;
  printf ("  wrote %d definitions of %zu bytes each into %s in %.0f ms\n", opt_domains,
          strlen (sample), domains, *generate_ms);

  if (!cli (base, &out, NULL, "list", "--all", NULL))
    return FALSE;
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], " vm-") != NULL)
      listed++;
  if (listed != (guint) opt_domains)
    {
      g_printerr ("bench-engine: list --all showed %u of %d VMs\n", listed, opt_domains);
      return FALSE;
    }

  for (int i = 0; i < opt_list_runs; i++)
    {
      gint64 us;

      if (!cli (base, NULL, &us, "list", "--all", NULL))
        return FALSE;
      series_add (runs, us / 1e3);
      series_add (cpu, last_child_cpu_ms);
      maxrss = MAX (maxrss, last_child_maxrss_kib);
    }
  printf ("  runs (ms):");
  for (guint i = 0; i < runs->n; i++)
    printf (" %.1f", runs->v[i]);
  printf ("\n");
  print_series ("list --all wall time", runs, "ms", 1);
  print_series ("list --all CPU time (user + system)", cpu, "ms", 1);
  printf ("  list --all peak RSS: %.1f MiB (%.1f KiB per definition)\n", maxrss / 1024.0,
          (double) maxrss / opt_domains);
  *goal_met = series_median (runs) < GOAL_LIST_MS;
  printf ("  GOAL list --all with %d VMs under %.0f ms: %s (median %.1f ms)\n", opt_domains,
          GOAL_LIST_MS, *goal_met ? "MET" : "MISSED", series_median (runs));
  if (!*goal_met && !opt_no_profile)
    profile_list (base);
  printf ("\n");
  return TRUE;
}

/* ------------------------------------------------------- 3. memory */

typedef struct {
  GHashTable *values;   /* key -> value text */
  GPtrArray  *qemu_rss; /* "uuid kib" */
} HoldReport;

static gboolean
run_hold (const char *base, int expect, HoldReport *report)
{
  g_autofree char *data_arg = g_strdup_printf ("--data-dir=%s/data", base);
  g_autofree char *run_arg = g_strdup_printf ("--runtime-dir=%s/run", base);
  g_autofree char *seconds_arg = g_strdup_printf ("--seconds=%d", opt_hold_seconds);
  g_autofree char *expect_arg = g_strdup_printf ("--expect=%d", expect);
  g_autofree char *out_path = g_build_filename (work_dir, "hold.out", NULL);
  g_autofree char *err_path = g_build_filename (work_dir, "hold.err", NULL);
  const char *argv[] = { hold_path, data_arg, run_arg, seconds_arg, expect_arg, NULL };
  g_autofree char *out = NULL;
  g_auto (GStrv) lines = NULL;
  pid_t pid = spawn (argv, out_path, err_path);

  if (pid < 0)
    return FALSE;
  if (wait_exit (pid) != 0)
    {
      g_autofree char *err = read_text (err_path);
      g_printerr ("bench-engine: bench-engine-hold failed: %s\n", err);
      return FALSE;
    }
  out = read_text (out_path);
  report->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  report->qemu_rss = g_ptr_array_new_with_free_func (g_free);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *space = strchr (lines[i], ' ');

      if (space != NULL && g_str_has_prefix (lines[i], "qemu_rss_kib "))
        g_ptr_array_add (report->qemu_rss, g_strdup (space + 1));
      else if (space != NULL)
        g_hash_table_insert (report->values, g_strndup (lines[i], space - lines[i]),
                             g_strdup (space + 1));
    }
  return TRUE;
}

static double
hold_value (const HoldReport *report, const char *key)
{
  const char *text = g_hash_table_lookup (report->values, key);

  return text ? g_ascii_strtod (text, NULL) : -1;
}

static void
print_hold (const char *title, const HoldReport *r)
{
  printf ("  %s\n", title);
  printf ("    opened (attached to %.0f running of %.0f) in %.1f ms\n",
          hold_value (r, "running"), hold_value (r, "domains"), hold_value (r, "open_ms"));
  printf ("    VmRSS %.1f MiB   VmHWM %.1f MiB   PSS %.1f MiB   threads %.0f\n",
          hold_value (r, "vmrss_kib") / 1024, hold_value (r, "vmhwm_kib") / 1024,
          hold_value (r, "pss_kib") / 1024, hold_value (r, "threads"));
  printf ("    CPU: %.0f ms to open, %.0f ms for %.0f stats passes over %d s (%.2f %% of one CPU);"
          " pass median %.2f ms, max %.2f ms\n",
          hold_value (r, "cpu_open_ms"), hold_value (r, "cpu_hold_ms"), hold_value (r, "passes"),
          opt_hold_seconds, hold_value (r, "cpu_hold_ms") / (opt_hold_seconds * 10.0),
          hold_value (r, "pass_ms_median"), hold_value (r, "pass_ms_max"));
}

static gint64
proc_kib (pid_t pid, const char *file, const char *key)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/%s", (int) pid, file);
  g_autofree char *text = NULL;
  g_autofree char *needle = g_strdup_printf ("\n%s:", key);
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  line = strstr (text, needle);
  return line ? g_ascii_strtoll (line + strlen (needle), NULL, 10) : -1;
}

typedef struct {
  HoldReport idle, busy;
  Series     qemu_rss_mib, qemu_pss_mib;
  double     start_all_s, ready_all_s;
} MemoryFigures;

static gboolean
bench_memory (MemoryFigures *fig)
{
  g_autofree char *base = g_build_filename (work_dir, "m", NULL);
  g_autofree EngineVm *vms = g_new0 (EngineVm, opt_guests);
  g_autofree Serial *serials = g_new0 (Serial, opt_guests);
  gboolean ok = TRUE;
  int started = 0;
  gint64 t0;

  printf ("== 3. memory: the engine with %d running guests (%d MiB, TCG, direct kernel boot) ==\n",
          opt_guests, opt_guest_memory);
  g_mkdir_with_parents (base, 0700);
  for (int i = 0; i < opt_guests && ok; i++)
    {
      vms[i].name = g_strdup_printf ("bench-mem-%02d", i + 1);
      vms[i].uuid = define_guest (base, vms[i].name, opt_guest_memory);
      ok = vms[i].uuid != NULL;
    }
  if (ok)
    {
      ok = run_hold (base, 0, &fig->idle);
      if (ok)
        print_hold ("engine with the definitions and no VM running (baseline):", &fig->idle);
    }

  t0 = now_us ();
  for (int i = 0; i < opt_guests && ok; i++)
    {
      ok = engine_start (base, &vms[i], NULL);
      started = i + 1;
    }
  fig->start_all_s = (now_us () - t0) / 1e6;
  if (ok)
    {
      printf ("  started %d guests with vmdesk-cli start in %.1f s; waiting for their markers\n",
              opt_guests, fig->start_all_s);
      for (int i = 0; i < opt_guests; i++)
        serials[i] = vms[i].serial;
      ok = serial_wait_all (serials, opt_guests, t0 + ALL_BOOT_TIMEOUT_S * G_USEC_PER_SEC);
      for (int i = 0; i < opt_guests; i++)
        {
          if (serials[i].found_us == 0)
            print_serial_tail (vms[i].name, &serials[i]);
          vms[i].serial = serials[i];
        }
      fig->ready_all_s = (now_us () - t0) / 1e6;
      if (ok)
        printf ("  all %d guests printed %s %.1f s after the first start\n", opt_guests, MARKER,
                fig->ready_all_s);
    }

  if (ok)
    ok = run_hold (base, opt_guests, &fig->busy);
  if (ok)
    {
      for (int i = 0; i < opt_guests; i++)
        {
          series_add (&fig->qemu_rss_mib, proc_kib (vms[i].pid, "status", "VmRSS") / 1024.0);
          series_add (&fig->qemu_pss_mib, proc_kib (vms[i].pid, "smaps_rollup", "Pss") / 1024.0);
        }
      print_hold ("engine holding the running guests:", &fig->busy);
      print_series ("QEMU RSS per guest", &fig->qemu_rss_mib, "MiB", 1);
      print_series ("QEMU PSS per guest", &fig->qemu_pss_mib, "MiB", 1);
      printf ("  engine PSS is %.2f %% of the %d QEMUs' PSS (%.0f MiB)\n",
              100.0 * hold_value (&fig->busy, "pss_kib") / 1024 / series_sum (&fig->qemu_pss_mib),
              opt_guests, series_sum (&fig->qemu_pss_mib));
    }

  for (int i = 0; i < started; i++)
    if (!engine_stop (base, &vms[i]))
      ok = FALSE;
  for (int i = 0; i < opt_guests; i++)
    {
      g_free (vms[i].name);
      g_free (vms[i].uuid);
    }
  printf ("  destroyed the %d guests\n\n", started);
  return ok;
}

/* --------------------------------------------------------------- main */

static char *
default_path (const char *env, const char *fallback)
{
  const char *value = g_getenv (env);

  return g_strdup (value && *value ? value : fallback);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GOptionContext) context = g_option_context_new ("[N] — time and weigh the embedded engine on real QEMU");
  g_autoptr (GError) error = NULL;
  g_autofree char *cli_owned = default_path ("VMDESK_CLI", VMD_BENCH_CLI);
  g_autofree char *hold_owned = default_path ("VMD_BENCH_HOLD", VMD_BENCH_HOLD_PATH);
  g_autofree char *builder_owned = default_path ("VMD_GUEST_BUILDER", VMD_BENCH_GUEST_BUILDER);
  g_autofree char *guest_owned = default_path ("VMD_GUEST_DIR", VMD_BENCH_GUEST_DIR);
  StartFigures start = { 0 };
  Series list_runs = { 0 }, list_cpu = { 0 };
  MemoryFigures memory = { 0 };
  gboolean start_ok = FALSE, list_ok = FALSE, memory_ok = FALSE;
  gboolean start_goal = FALSE, list_goal = FALSE;
  double overhead = 0, generate_ms = 0;
  gint64 positional_runs = 0;
  gboolean failed = FALSE;
  const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGABRT, SIGBUS };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-engine: %s\n", error->message);
      return 2;
    }
  /* bench-engine N, like bench-model ROUNDS */
  if (argc > 1 && !g_ascii_string_to_signed (argv[1], 10, 1, 1000, &positional_runs, NULL))
    {
      g_printerr ("bench-engine: \"%s\" is not a number of runs\n", argv[1]);
      return 2;
    }
  if (argc > 1)
    opt_runs = (int) positional_runs;
  if (opt_runs < 1 || opt_list_runs < 1 || opt_domains < 1 || opt_guests < 1 ||
      opt_guest_memory < 96)
    {
      g_printerr ("bench-engine: counts must be positive and the guest memory >= 96 MiB\n");
      return 2;
    }
  cli_path = cli_owned;
  hold_path = hold_owned;
  builder_path = builder_owned;
  guest_dir = guest_owned;

  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    signal (signals[i], on_fatal_signal);
  setvbuf (stdout, NULL, _IOLBF, 0);

  work_dir = g_dir_make_tmp ("vmdesk-bench-XXXXXX", &error);
  if (work_dir == NULL)
    {
      g_printerr ("bench-engine: %s\n", error->message);
      return 1;
    }
  {
    g_autofree char *load = loadavg ();
    printf ("vmdesk-cli: %s\nwork folder: %s\nload average at the start: %s (%ld CPUs)\n",
            cli_path, work_dir, load, sysconf (_SC_NPROCESSORS_ONLN));
  }
  if (!build_guest ())
    {
      failed = TRUE;
      goto out;
    }

  if (part_wanted ("start"))
    {
      start_ok = bench_start (&start_goal, &overhead, &start);
      failed |= !start_ok;
      kill_all_owned ();
    }
  if (part_wanted ("list"))
    {
      list_ok = bench_list (&list_goal, &list_runs, &list_cpu, &generate_ms);
      failed |= !list_ok;
    }
  if (part_wanted ("memory"))
    {
      memory_ok = bench_memory (&memory);
      failed |= !memory_ok;
      kill_all_owned ();
    }

  {
    g_autofree char *load = loadavg ();
    printf ("== summary ==   (load average now: %s; other jobs on the machine skew TCG times)\n",
            load);
  }
  printf ("  %-52s %12s %12s %12s  %s\n", "figure", "median", "min", "max", "goal");
  if (start_ok)
    {
      printf ("  %-52s %9.1f ms %9.1f ms %9.1f ms\n", "engine start -> QMP ready (CLI returned)",
              series_median (&start.engine_cli), series_min (&start.engine_cli),
              series_max (&start.engine_cli));
      printf ("  %-52s %9.1f ms %9.1f ms %9.1f ms\n", "engine start -> first serial line",
              series_median (&start.engine_serial), series_min (&start.engine_serial),
              series_max (&start.engine_serial));
      printf ("  %-52s %9.1f ms %9.1f ms %9.1f ms\n", "direct QEMU -> QMP answering",
              series_median (&start.direct_qmp), series_min (&start.direct_qmp),
              series_max (&start.direct_qmp));
      printf ("  %-52s %9.1f ms %9.1f ms %9.1f ms\n", "direct QEMU -> first serial line",
              series_median (&start.direct_serial), series_min (&start.direct_serial),
              series_max (&start.direct_serial));
      printf ("  %-52s %+10.1f %%  %27s  < 10 %%: %s\n", "engine overhead to first serial line",
              overhead, "", start_goal ? "MET" : "MISSED");
    }
  else if (part_wanted ("start"))
    printf ("  start: NOT MEASURED (see the errors above)\n");
  if (list_ok)
    {
      g_autofree char *what = g_strdup_printf ("list --all, %d VMs", opt_domains);
      printf ("  %-52s %9.1f ms %9.1f ms %9.1f ms  < 50 ms: %s\n", what,
              series_median (&list_runs), series_min (&list_runs), series_max (&list_runs),
              list_goal ? "MET" : "MISSED");
      printf ("  %-52s %9.1f ms %9.1f ms %9.1f ms\n", "  its CPU time (user + system)",
              series_median (&list_cpu), series_min (&list_cpu), series_max (&list_cpu));
    }
  else if (part_wanted ("list"))
    printf ("  list: NOT MEASURED (see the errors above)\n");
  if (memory_ok)
    {
      printf ("  %-52s %9s %9s %9s\n", "engine memory (bench-engine-hold)", "VmRSS", "VmHWM",
              "PSS");
      printf ("  %-52s %5.1f MiB %5.1f MiB %5.1f MiB\n", "  no guest running (baseline)",
              hold_value (&memory.idle, "vmrss_kib") / 1024,
              hold_value (&memory.idle, "vmhwm_kib") / 1024,
              hold_value (&memory.idle, "pss_kib") / 1024);
      {
        g_autofree char *what = g_strdup_printf ("  %d guests running, %d stats passes", opt_guests,
                                                 opt_hold_seconds);
        printf ("  %-52s %5.1f MiB %5.1f MiB %5.1f MiB\n", what,
                hold_value (&memory.busy, "vmrss_kib") / 1024,
                hold_value (&memory.busy, "vmhwm_kib") / 1024,
                hold_value (&memory.busy, "pss_kib") / 1024);
      }
      printf ("  %-52s %.0f ms to open, %.0f ms in %d s of stats passes\n",
              "engine CPU with the guests", hold_value (&memory.busy, "cpu_open_ms"),
              hold_value (&memory.busy, "cpu_hold_ms"), opt_hold_seconds);
      printf ("  %-52s median %.1f MiB (min %.1f, max %.1f; total %.0f MiB)\n",
              "QEMU RSS per guest", series_median (&memory.qemu_rss_mib),
              series_min (&memory.qemu_rss_mib), series_max (&memory.qemu_rss_mib),
              series_sum (&memory.qemu_rss_mib));
      printf ("  %-52s %.1f s to start all, %.1f s until all printed the marker\n",
              "starting the guests", memory.start_all_s, memory.ready_all_s);
    }
  else if (part_wanted ("memory"))
    printf ("  memory: NOT MEASURED (see the errors above)\n");

out:
  kill_all_owned ();
  if (opt_keep)
    printf ("work folder kept: %s\n", work_dir);
  else
    remove_tree (work_dir);
  g_free (work_dir);
  if (failed)
    return 1;
  if (opt_strict && ((start_ok && !start_goal) || (list_ok && !list_goal)))
    return 1;
  return 0;
}
