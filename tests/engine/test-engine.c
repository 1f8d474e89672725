/* test-engine.c: the embedded engine driving real QEMU with the test guest
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every case boots the tiny guest of tests/guest under TCG (type='qemu')
 * and checks what a user would notice: states and their reasons, what the
 * guest prints on its serial port, the display, files on disk, processes.
 *
 * Each case runs in a child process of its own (g_test_trap_subprocess).
 * The parent made the case's temporary folder before, and after the child
 * ends — passed, failed an assertion, crashed or timed out — it kills every
 * process whose command line mentions that folder (QEMU runs detached, so
 * it would outlive a failed test) and deletes the folder. The child cleans
 * up after itself too, by PID, when it gets that far.
 *
 * Environment (set by tests/engine/meson.build):
 *   VMD_GUEST_DIR       where the guest is built (cached)
 *   VMD_GUEST_BUILDER   tests/guest/build-guest
 *   VMDESK_CLI          the built vmdesk-cli
 *   VMDESK_TEST_KVM     "works" where KVM really runs guests
 */
#define _GNU_SOURCE
#define G_LOG_DOMAIN "test-engine"

#include <errno.h>
#include <fcntl.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmd-connection.h"
#include "vmd-device-types.h"
#include "vmd-domain.h"
#include "vmd-model.h"
#include "vmd-qemu-connection.h"
#include "vmd-qemu-domain.h"
#include "vmd-stats.h"

#define PROMPT       "vmdesk# "
#define BOOT_TIMEOUT 90000   /* ms from start to the guest's marker (2-3 s when idle) */
#define CMD_TIMEOUT  20000   /* ms for a serial command to answer */
#define OP_TIMEOUT   60      /* s for one engine operation */

static const char *guest_dir;
static const char *guest_builder;
static const char *cli_path;

/* ================================================================ helpers */

#define FAIL(...)                                                              \
  G_STMT_START {                                                               \
    char *_fail_msg = g_strdup_printf (__VA_ARGS__);                           \
    g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC,          \
                         _fail_msg);                                           \
    g_free (_fail_msg);                                                        \
  } G_STMT_END

#define CHECK(cond, ...)                                                       \
  G_STMT_START { if (!(cond)) FAIL (__VA_ARGS__); } G_STMT_END

typedef struct {
  GIOStream    *stream;
  GString      *text;
  gsize         mark;      /* searches start here */
  gboolean      reading;
  gboolean      closed;
  GCancellable *cancel;
  int           log_fd;    /* a copy for the parent to show on failure */
  char          buf[4096];
} Serial;

typedef struct {
  const char *name;
  char       *tmp;        /* /tmp/vmdt-XXXXXX: everything of this case */
  char       *data;       /* TMP/d: definitions, logs, snapshots metadata */
  char       *run;        /* TMP/r: runtime sockets and pidfiles */
  char       *disk;       /* TMP/disk.qcow2: an overlay of the guest's disk */
  VmdConnection *conn;    /* connection A */
  GPtrArray  *conns;      /* every connection opened, A included */
  GArray     *pids;       /* every QEMU PID seen */
  GPtrArray  *serials;
  guint       serial_count;
  gint64      start_us;
  gint64      step_us;
} Fixture;

/* Prints a timed progress line as a TAP comment. */
static void
step (Fixture *f, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
step (Fixture *f, const char *fmt, ...)
{
  gint64 now = g_get_monotonic_time ();
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, fmt);
  text = g_strdup_vprintf (fmt, args);
  va_end (args);
  printf ("# %-10s %6.2f s (+%5.2f s)  %s\n", f->name, (now - f->start_us) / 1e6,
          (now - f->step_us) / 1e6, text);
  fflush (stdout);
  f->step_us = now;
}

static gboolean
flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until @cond holds or @timeout_ms pass; @cond is
 * checked after every event and at least every 20 ms, so it may also poll
 * things no event tells about (a process going away). */
static gboolean
spin_until (Condition cond, gpointer data, guint timeout_ms)
{
  gboolean expired = FALSE;
  guint id, tick;

  if (cond (data))
    return TRUE;
  id = g_timeout_add (timeout_ms, flag_cb, &expired);
  tick = g_timeout_add (20, tick_cb, NULL);
  while (!cond (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  g_source_remove (tick);
  return cond (data);
}

static void
spin_for (guint ms)
{
  gboolean expired = FALSE;

  g_timeout_add (ms, flag_cb, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
}

static void
store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static GAsyncResult *
await_result (GAsyncResult **slot, guint timeout_s, const char *what)
{
  if (!spin_until (result_ready, slot, timeout_s * 1000))
    FAIL ("%s did not finish within %u s", what, timeout_s);
  return *slot;
}

typedef gboolean (*DomainFinish) (VmdDomain *, GAsyncResult *, GError **);

/* The outcome of an operation started with store_result and @slot. */
static GError *
domain_finish (VmdDomain *d, DomainFinish finish, GAsyncResult **slot, const char *what)
{
  g_autofree char *label = g_strdup_printf ("%s of “%s”", what, vmd_domain_get_name (d));
  GError *error = NULL;
  gboolean ok = finish (d, await_result (slot, OP_TIMEOUT, label), &error);

  g_clear_object (slot);
  if (ok && error != NULL)
    FAIL ("%s succeeded but set an error: %s", label, error->message);
  if (!ok && error == NULL)
    FAIL ("%s failed without saying why", label);
  return error;
}

/* DOM_CALL (d, start, VMD_START_NONE) runs vmd_domain_start_async() and
 * returns its error, or NULL. */
#define DOM_CALL(d, op, ...)                                                   \
  ({                                                                           \
    GAsyncResult *_slot = NULL;                                                \
    vmd_domain_##op##_async ((d), ##__VA_ARGS__, NULL, store_result, &_slot);  \
    domain_finish ((d), vmd_domain_##op##_finish, &_slot, #op);                \
  })

#define DOM_OK(d, op, ...)                                                     \
  G_STMT_START {                                                               \
    GError *_err = DOM_CALL (d, op, ##__VA_ARGS__);                            \
    if (_err != NULL)                                                          \
      FAIL ("%s of “%s” failed: %s", #op, vmd_domain_get_name (d),             \
            _err->message);                                                    \
  } G_STMT_END

static const char *
state_name (VmdDomainState state)
{
  return vmd_domain_state_to_string (state);
}

static char *
describe_state (VmdDomain *d)
{
  const char *message = vmd_domain_get_error_message (d);

  return g_strdup_printf ("%s (%s)%s%s", state_name (vmd_domain_get_state (d)),
                          vmd_state_reason_to_string (vmd_domain_get_state_reason (d)),
                          message ? "; error message: " : "", message ? message : "");
}

typedef struct {
  VmdDomain     *domain;
  VmdDomainState state;
  int            reason;   /* -1: any */
} StateWait;

static gboolean
state_reached (gpointer data)
{
  StateWait *w = data;

  return vmd_domain_get_state (w->domain) == w->state &&
         (w->reason < 0 || (int) vmd_domain_get_state_reason (w->domain) == w->reason);
}

/* Waits for @d to be in @state (and @reason unless -1). */
static void
wait_state (VmdDomain *d, VmdDomainState state, int reason, guint timeout_ms, const char *when)
{
  StateWait w = { d, state, reason };

  if (!spin_until (state_reached, &w, timeout_ms))
    {
      g_autofree char *now = describe_state (d);
      FAIL ("%s: “%s” should be %s%s%s%s within %.1f s, but it is %s", when,
            vmd_domain_get_name (d), state_name (state), reason >= 0 ? " (" : "",
            reason >= 0 ? vmd_state_reason_to_string (reason) : "", reason >= 0 ? ")" : "",
            timeout_ms / 1000.0, now);
    }
}

/* ------------------------------------------------------------ processes */

/* No such process, or only a zombie waiting for its reaper. */
static gboolean
pid_gone (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *text = NULL;
  const char *end;

  if (pid <= 0 || !g_file_get_contents (path, &text, NULL, NULL))
    return TRUE;
  end = strrchr (text, ')');
  return end != NULL && end[1] == ' ' && end[2] == 'Z';
}

static gboolean
pid_gone_cb (gpointer data)
{
  return pid_gone (GPOINTER_TO_INT (data));
}

static void
wait_pid_gone (GPid pid, guint timeout_ms, const char *when)
{
  if (!spin_until (pid_gone_cb, GINT_TO_POINTER (pid), timeout_ms))
    FAIL ("%s: the QEMU process %d is still there after %.1f s", when, pid,
          timeout_ms / 1000.0);
}

/* Live processes (not this one) whose command line mentions @needle. */
static GArray *
processes_mentioning (const char *needle)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (GPid));
  g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *cmdline = NULL;
      guint64 pid;
      gsize len;

      if (!g_ascii_string_to_unsigned (name, 10, 1, G_MAXINT, &pid, NULL) ||
          (GPid) pid == getpid ())
        continue;
      path = g_strdup_printf ("/proc/%s/cmdline", name);
      if (!g_file_get_contents (path, &cmdline, &len, NULL) || len == 0)
        continue;
      for (gsize i = 0; i < len; i += strlen (cmdline + i) + 1)
        if (strstr (cmdline + i, needle) != NULL)
          {
            if (!pid_gone ((GPid) pid))
              {
                GPid p = (GPid) pid;
                g_array_append_val (pids, p);
              }
            break;
          }
    }
  return pids;
}

/* The command line of @pid, cut at @max bytes (0: whole). */
static char *
command_of (GPid pid, gsize max)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/cmdline", pid);
  g_autofree char *cmdline = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &cmdline, &len, NULL))
    return g_strdup ("?");
  for (gsize i = 0; i + 1 < len; i++)
    if (cmdline[i] == '\0')
      cmdline[i] = ' ';
  if (max > 0 && len > max)
    cmdline[max] = '\0';
  return g_steal_pointer (&cmdline);
}

/* Asserts that no process but @allowed (0: none) runs with this case's
 * folder on its command line. */
static void
assert_no_stray_qemu (Fixture *f, GPid allowed, const char *when)
{
  g_autoptr (GArray) pids = processes_mentioning (f->tmp);

  for (guint i = 0; i < pids->len; i++)
    {
      GPid pid = g_array_index (pids, GPid, i);
      if (pid != allowed)
        {
          g_autofree char *cmd = command_of (pid, 300);
          FAIL ("%s: a stray process %d is running: %s", when, pid, cmd);
        }
    }
}

static void
remember_pid (Fixture *f, GPid pid)
{
  for (guint i = 0; i < f->pids->len; i++)
    if (g_array_index (f->pids, GPid, i) == pid)
      return;
  if (pid > 0)
    g_array_append_val (f->pids, pid);
}

/* The QEMU PID of a running @d, remembered for the teardown. */
static GPid
qemu_pid (Fixture *f, VmdDomain *d)
{
  GPid pid = vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (d));

  CHECK (pid > 0, "“%s” is %s but has no QEMU PID", vmd_domain_get_name (d),
         state_name (vmd_domain_get_state (d)));
  remember_pid (f, pid);
  return pid;
}

/* Deletes @path and everything below it, without following links. */
static void
remove_tree (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* Kills whatever runs from @dir and waits until it is gone. */
static guint
kill_everything_in (const char *dir)
{
  g_autoptr (GArray) pids = processes_mentioning (dir);

  for (guint i = 0; i < pids->len; i++)
    kill (g_array_index (pids, GPid, i), SIGKILL);
  for (guint i = 0; i < pids->len; i++)
    for (guint tries = 0; tries < 500 && !pid_gone (g_array_index (pids, GPid, i)); tries++)
      g_usleep (10000);
  return pids->len;
}

/* --------------------------------------------------------------- files */

static void
write_file (const char *path, const char *text, int mode)
{
  g_autoptr (GError) error = NULL;

  if (!g_file_set_contents (path, text, -1, &error))
    FAIL ("could not write %s: %s", path, error->message);
  g_chmod (path, mode);
}

static char *
read_file (const char *path)
{
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return text;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* The sorted names in @dir, joined by spaces. */
static char *
list_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* Runs a program to completion; its exit status, with its output. */
static int
run_program (const char *const *argv, char **out, char **err, const char *what)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autofree char *out_text = NULL;
  g_autofree char *err_text = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                     G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  if (process == NULL)
    FAIL ("%s could not be run: %s", what, error->message);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, store_result, &result);
  if (!g_subprocess_communicate_utf8_finish (process, await_result (&result, 120, what),
                                             &out_text, &err_text, &error))
    FAIL ("%s: %s", what, error->message);
  if (out)
    *out = g_steal_pointer (&out_text);
  if (err)
    *err = g_steal_pointer (&err_text);
  if (!g_subprocess_get_if_exited (process))
    return -1;
  return g_subprocess_get_exit_status (process);
}

/* vmdesk-cli on this case's folders; main loop keeps running meanwhile. */
static int
run_cli (Fixture *f, char **out, char **err, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *what = NULL;
  g_autofree char *joined = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) cli_path);
  g_ptr_array_add (argv, (char *) "--data-dir");
  g_ptr_array_add (argv, f->data);
  g_ptr_array_add (argv, (char *) "--runtime-dir");
  g_ptr_array_add (argv, f->run);
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  joined = g_strjoinv (" ", (char **) argv->pdata + 5);
  what = g_strdup_printf ("vmdesk-cli %s", joined);
  return run_program ((const char *const *) argv->pdata, out, err, what);
}

/* --------------------------------------------------------------- serial */

static void serial_read_next (Serial *s);

static void
serial_read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Serial *s = user_data;
  g_autoptr (GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  s->reading = FALSE;
  if (n <= 0)
    {
      s->closed = TRUE;
      return;
    }
  g_string_append_len (s->text, s->buf, n);
  if (s->log_fd >= 0 && write (s->log_fd, s->buf, n) < 0)
    g_debug ("serial log: %s", g_strerror (errno));
  serial_read_next (s);
}

static void
serial_read_next (Serial *s)
{
  s->reading = TRUE;
  g_input_stream_read_async (g_io_stream_get_input_stream (s->stream), s->buf, sizeof s->buf,
                             G_PRIORITY_DEFAULT, s->cancel, serial_read_done, s);
}

static gboolean
not_reading (gpointer data)
{
  return !((Serial *) data)->reading;
}

static void
serial_free (Serial *s)
{
  g_cancellable_cancel (s->cancel);
  spin_until (not_reading, s, 5000);
  if (s->reading)
    return;  /* leak rather than let a late callback write freed memory */
  g_io_stream_close (s->stream, NULL, NULL);
  g_object_unref (s->stream);
  g_object_unref (s->cancel);
  g_string_free (s->text, TRUE);
  if (s->log_fd >= 0)
    close (s->log_fd);
  g_free (s);
}

static void
serial_close (Fixture *f, Serial *s)
{
  g_ptr_array_remove (f->serials, s);
}

static Serial *
serial_open (Fixture *f, VmdDomain *d)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autofree char *log = g_strdup_printf ("%s/serial-%u-%s.log", f->tmp, ++f->serial_count,
                                          vmd_domain_get_name (d));
  GIOStream *stream;
  Serial *s;

  vmd_domain_open_serial_async (d, NULL, NULL, store_result, &result);
  stream = vmd_domain_open_serial_finish (d, await_result (&result, 10, "opening the serial port"),
                                          &error);
  if (stream == NULL)
    FAIL ("the serial port of “%s” could not be opened: %s", vmd_domain_get_name (d),
          error->message);
  s = g_new0 (Serial, 1);
  s->stream = stream;
  s->text = g_string_new (NULL);
  s->cancel = g_cancellable_new ();
  s->log_fd = g_open (log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  g_ptr_array_add (f->serials, s);
  serial_read_next (s);
  return s;
}

typedef struct {
  Serial     *serial;
  const char *needle;
} SerialWait;

static const char *
serial_find (Serial *s, const char *needle)
{
  return memmem (s->text->str + s->mark, s->text->len - s->mark, needle, strlen (needle));
}

static gboolean
serial_has (gpointer data)
{
  SerialWait *w = data;

  return serial_find (w->serial, w->needle) != NULL || w->serial->closed;
}

/* The end of what the guest wrote, printable, for failure messages. */
static char *
serial_tail (Serial *s)
{
  gsize from = s->text->len > 400 ? s->text->len - 400 : 0;
  GString *out = g_string_new (NULL);

  for (gsize i = from; i < s->text->len; i++)
    {
      guchar c = s->text->str[i];
      if (c == '\n' || (c >= 0x20 && c < 0x7f))
        g_string_append_c (out, c);
      else if (c != '\r')
        g_string_append_printf (out, "\\x%02x", c);
    }
  return g_string_free (out, FALSE);
}

/* Waits for @needle after the mark, and moves the mark past it. */
static void
serial_wait (Serial *s, const char *needle, guint timeout_ms, const char *when)
{
  SerialWait w = { s, needle };
  const char *found;

  spin_until (serial_has, &w, timeout_ms);
  found = serial_find (s, needle);
  if (found == NULL)
    {
      g_autofree char *tail = serial_tail (s);
      FAIL ("%s: the guest did not print “%s” within %.1f s%s; its serial port ends with:\n%s",
            when, needle, timeout_ms / 1000.0, s->closed ? " (the port closed)" : "", tail);
    }
  s->mark = (found - s->text->str) + strlen (needle);
}

static void
serial_write (Serial *s, const char *text)
{
  g_autoptr (GError) error = NULL;

  if (!g_output_stream_write_all (g_io_stream_get_output_stream (s->stream), text, strlen (text),
                                  NULL, NULL, &error))
    FAIL ("could not write “%s” to the serial port: %s", text, error->message);
}

/* Types @command; waits for @expect (unless NULL) and the next prompt. */
static void
serial_cmd (Serial *s, const char *command, const char *expect, guint timeout_ms)
{
  g_autofree char *line = g_strconcat (command, "\n", NULL);
  g_autofree char *when = g_strdup_printf ("after “%s”", command);

  serial_write (s, line);
  /* Past the echo of the command line itself. */
  serial_wait (s, command, CMD_TIMEOUT, when);
  if (expect != NULL)
    serial_wait (s, expect, timeout_ms, when);
  serial_wait (s, PROMPT, timeout_ms, when);
}

/* ------------------------------------------------------------ the engine */

static VmdConnection *
open_connection (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  VmdConnection *conn = VMD_CONNECTION (vmd_qemu_connection_new (f->data, f->run));

  vmd_connection_open_async (conn, NULL, store_result, &result);
  if (!vmd_connection_open_finish (conn, await_result (&result, 30, "opening a connection"),
                                   &error))
    FAIL ("the connection could not be opened: %s", error->message);
  g_ptr_array_add (f->conns, conn);
  return conn;
}

static VmdDomainConfig *
parse_xml (const char *xml)
{
  g_autoptr (GError) error = NULL;
  VmdDomainConfig *config = vmd_domain_config_new_from_xml (xml, -1, &error);

  if (config == NULL)
    FAIL ("the test's XML does not load: %s\n%s", error->message, xml);
  return config;
}

/* Defines @xml on @conn; the domain (a new reference), or NULL and @error. */
static VmdDomain *
define_xml_full (VmdConnection *conn, const char *xml, GError **error)
{
  g_autoptr (VmdDomainConfig) config = parse_xml (xml);
  g_autoptr (GAsyncResult) result = NULL;

  vmd_connection_define_async (conn, config, NULL, store_result, &result);
  return vmd_connection_define_finish (conn, await_result (&result, OP_TIMEOUT, "define"), error);
}

static VmdDomain *
define_xml (VmdConnection *conn, const char *xml)
{
  g_autoptr (GError) error = NULL;
  VmdDomain *d = define_xml_full (conn, xml, &error);

  if (d == NULL)
    FAIL ("defining failed: %s", error->message);
  return d;
}

typedef struct {
  const char *name;
  const char *type;        /* "qemu" or "kvm" */
  const char *memory;      /* e.g. "<memory unit='MiB'>128</memory>" */
  gboolean    kernel;      /* direct kernel boot */
  const char *disk;        /* image path, or NULL for none */
  const char *bus;         /* disk bus */
  const char *extra;       /* more <devices> */
  const char *os;          /* more <os> */
  const char *machine;     /* "pc" unless set */
} GuestSpec;

static char *
guest_xml (const GuestSpec *spec)
{
  g_autofree char *os = NULL;
  g_autofree char *disk = NULL;

  if (spec->kernel)
    os = g_strdup_printf ("<kernel>%s/vmlinuz</kernel><initrd>%s/initrd.img</initrd>"
                          "<cmdline>console=ttyS0 console=tty0</cmdline>",
                          guest_dir, guest_dir);
  if (spec->disk)
    disk = g_strdup_printf ("<disk type='file' device='disk'>"
                            "<driver name='qemu' type='qcow2'/>"
                            "<source file='%s'/><target dev='vda' bus='%s'/></disk>",
                            spec->disk, spec->bus ? spec->bus : "virtio");
  return g_strdup_printf (
    "<domain type='%s'>\n"
    "  <name>%s</name>\n"
    "  %s\n"
    "  <vcpu>1</vcpu>\n"
    "  <os><type arch='x86_64' machine='%s'>hvm</type>%s%s</os>\n"
    "  <features><acpi/></features>\n"
    "  <devices>\n"
    "    %s\n"
    "    <serial type='pty'><target port='0'/></serial>\n"
    "    <graphics type='vnc'/>\n"
    "    <video><model type='vga'/></video>\n"
    "    %s\n"
    "  </devices>\n"
    "</domain>\n",
    spec->type ? spec->type : "qemu", spec->name,
    spec->memory ? spec->memory : "<memory unit='MiB'>128</memory>",
    spec->machine ? spec->machine : "pc", os ? os : "",
    spec->os ? spec->os : "",
    disk ? disk : "", spec->extra ? spec->extra : "");
}

/* The usual test guest: TCG, direct kernel boot, the case's overlay. */
static VmdDomain *
define_guest (Fixture *f, VmdConnection *conn, const char *name, const char *extra)
{
  GuestSpec spec = { .name = name, .kernel = TRUE, .disk = f->disk, .extra = extra };
  g_autofree char *xml = guest_xml (&spec);

  return define_xml (conn, xml);
}

/* Starts @d, opens its serial port and waits for the guest's shell. */
static Serial *
boot (Fixture *f, VmdDomain *d, const char *marker)
{
  g_autofree char *when = g_strdup_printf ("booting “%s”", vmd_domain_get_name (d));
  Serial *s;

  DOM_OK (d, start, VMD_START_NONE);
  CHECK (vmd_domain_get_state (d) == VMD_DOMAIN_STATE_RUNNING,
         "“%s” is %s right after starting", vmd_domain_get_name (d),
         state_name (vmd_domain_get_state (d)));
  qemu_pid (f, d);
  /* The guest needs a second or two to reach userspace: the port is open
   * well before its marker. */
  s = serial_open (f, d);
  serial_wait (s, marker, BOOT_TIMEOUT, when);
  serial_wait (s, PROMPT, CMD_TIMEOUT, when);
  return s;
}

static VmdStats *
sample (Fixture *f, VmdDomain *d)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GPtrArray) all = NULL;

  vmd_connection_collect_stats_async (f->conn, NULL, store_result, &result);
  all = vmd_connection_collect_stats_finish (f->conn, await_result (&result, 10, "stats"),
                                             &error);
  if (all == NULL)
    FAIL ("collecting stats failed: %s", error->message);
  for (guint i = 0; i < all->len; i++)
    {
      VmdStats *stats = g_ptr_array_index (all, i);
      if (g_strcmp0 (stats->uuid, vmd_domain_get_uuid (d)) == 0)
        return vmd_stats_copy (stats);
    }
  FAIL ("the stats have no sample of the running “%s” (%u samples)", vmd_domain_get_name (d),
        all->len);
  return NULL;
}

static VmdSnapshot *
find_snapshot (VmdDomain *d, const char *name)
{
  g_autoptr (GPtrArray) list = vmd_domain_list_snapshots (d);

  for (guint i = 0; i < list->len; i++)
    if (g_strcmp0 (vmd_snapshot_get_name (g_ptr_array_index (list, i)), name) == 0)
      return g_object_ref (g_ptr_array_index (list, i));
  return NULL;
}

static char *
disk_source (VmdDomain *d)
{
  g_autoptr (GPtrArray) disks = vmd_domain_config_get_devices (vmd_domain_get_config (d),
                                                               VMD_TYPE_DEVICE_DISK);

  CHECK (disks->len == 1, "“%s” has %u disks, not 1", vmd_domain_get_name (d), disks->len);
  return vmd_device_disk_get_source (g_ptr_array_index (disks, 0));
}

static char *
nic_mac (VmdDomain *d)
{
  g_autoptr (GPtrArray) nics = vmd_domain_config_get_devices (vmd_domain_get_config (d),
                                                              VMD_TYPE_DEVICE_INTERFACE);

  CHECK (nics->len == 1, "“%s” has %u network interfaces, not 1", vmd_domain_get_name (d),
         nics->len);
  return vmd_device_interface_get_mac (g_ptr_array_index (nics, 0));
}

static char *
pidfile_of (Fixture *f, VmdDomain *d)
{
  return g_build_filename (f->run, vmd_domain_get_uuid (d), "qemu.pid", NULL);
}

/* ============================================================== fixture */

static void
fixture_setup (Fixture *f, const char *name, const char *tmp)
{
  g_autofree char *err = NULL;
  int status;

  memset (f, 0, sizeof *f);
  f->name = name;
  f->start_us = f->step_us = g_get_monotonic_time ();
  f->tmp = g_strdup (tmp);
  f->data = g_build_filename (tmp, "d", NULL);
  f->run = g_build_filename (tmp, "r", NULL);
  f->disk = g_build_filename (tmp, "disk.qcow2", NULL);
  f->conns = g_ptr_array_new ();
  f->pids = g_array_new (FALSE, FALSE, sizeof (GPid));
  f->serials = g_ptr_array_new_with_free_func ((GDestroyNotify) serial_free);

  {
    g_autofree char *backing = g_build_filename (guest_dir, "disk.qcow2", NULL);
    const char *argv[] = { "qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b",
                           backing, f->disk, NULL };
    status = run_program (argv, NULL, &err, "qemu-img create");
    CHECK (status == 0, "qemu-img could not make the overlay %s: %s", f->disk, err);
  }
  f->conn = open_connection (f);
}

static void
fixture_teardown (Fixture *f)
{
  g_autoptr (GArray) found = NULL;

  /* Serial ports first: their reads hold the streams. */
  g_clear_pointer (&f->serials, g_ptr_array_unref);

  /* Every QEMU by PID: those the engine told us and those in pidfiles. */
  for (guint c = 0; c < f->conns->len; c++)
    {
      g_autoptr (GPtrArray) domains = vmd_connection_list_domains (g_ptr_array_index (f->conns, c));
      for (guint i = 0; i < domains->len; i++)
        {
          VmdDomain *d = g_ptr_array_index (domains, i);
          g_autofree char *pidfile = pidfile_of (f, d);
          g_autofree char *text = read_file (pidfile);
          guint64 pid;

          remember_pid (f, vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (d)));
          if (text != NULL && g_ascii_string_to_unsigned (g_strstrip (text), 10, 1, G_MAXINT,
                                                          &pid, NULL))
            remember_pid (f, (GPid) pid);
        }
    }
  for (guint i = 0; i < f->pids->len; i++)
    {
      GPid pid = g_array_index (f->pids, GPid, i);
      g_autofree char *cmd = command_of (pid, 0);

      /* Only ours: a PID may have been reused since. */
      if (!pid_gone (pid) && strstr (cmd, f->tmp) != NULL)
        kill (pid, SIGKILL);
    }
  for (guint i = 0; i < f->pids->len; i++)
    {
      GPid pid = g_array_index (f->pids, GPid, i);
      if (!spin_until (pid_gone_cb, GINT_TO_POINTER (pid), 5000))
        g_printerr ("QEMU %d did not go away\n", pid);
    }
  /* Anything else from this case's folder (a CLI-started QEMU). */
  if (kill_everything_in (f->tmp) > 0)
    g_printerr ("the teardown had to kill processes it did not know\n");

  /* Let the connections see their monitors close, then drop them. */
  spin_for (100);
  for (guint c = 0; c < f->conns->len; c++)
    g_object_unref (g_ptr_array_index (f->conns, c));
  g_ptr_array_unref (f->conns);
  spin_for (50);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  remove_tree (f->tmp);
  g_array_unref (f->pids);
  g_free (f->tmp);
  g_free (f->data);
  g_free (f->run);
  g_free (f->disk);
  (void) found;
}

/* ================================================================ cases */

/* 1. define, start, screenshot, pause, ACPI power off, start, force off. */
static void
case_lifecycle (Fixture *f)
{
  g_autoptr (VmdDomain) d = NULL;
  g_autoptr (GPtrArray) listed = NULL;
  g_autoptr (GdkPixbuf) shot = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) colours = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autofree char *png = g_build_filename (f->tmp, "shot.png", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64 t;
  Serial *s;
  GPid pid;
  int status;

  d = define_guest (f, f->conn, "vm-life", NULL);
  listed = vmd_connection_list_domains (f->conn);
  CHECK (listed->len == 1 && listed->pdata[0] == d, "the defined VM is not listed");
  CHECK (vmd_domain_get_state (d) == VMD_DOMAIN_STATE_SHUTOFF, "a new VM is %s",
         state_name (vmd_domain_get_state (d)));
  status = run_cli (f, &out, &err, "list", "--all", "--json", NULL);
  CHECK (status == 0 && strstr (out, "\"vm-life\"") && strstr (out, "\"shut off\""),
         "vmdesk-cli list --all --json (exit %d) does not show vm-life shut off:\n%s%s", status,
         out, err);
  step (f, "defined; listed shut off by the API and vmdesk-cli list");

  s = boot (f, d, "VMDESK-GUEST-READY kernel");
  pid = qemu_pid (f, d);
  step (f, "started; the guest's marker is on the serial port");

  DOM_OK (d, screenshot, png);
  shot = gdk_pixbuf_new_from_file (png, &error);
  CHECK (shot != NULL, "the screenshot %s does not load: %s", png, error->message);
  {
    int w = gdk_pixbuf_get_width (shot), h = gdk_pixbuf_get_height (shot);
    int stride = gdk_pixbuf_get_rowstride (shot), n = gdk_pixbuf_get_n_channels (shot);
    const guchar *px = gdk_pixbuf_read_pixels (shot);

    for (int y = 0; y < h; y++)
      for (int x = 0; x < w; x++)
        {
          const guchar *p = px + y * stride + x * n;
          g_hash_table_add (colours, GUINT_TO_POINTER (p[0] << 16 | p[1] << 8 | p[2]));
        }
    CHECK (w >= 320 && h >= 200, "the screenshot is only %dx%d", w, h);
    CHECK (g_hash_table_size (colours) >= 4,
           "the screenshot (%dx%d) looks blank: %u distinct colours", w, h,
           g_hash_table_size (colours));
    step (f, "screenshot %dx%d PNG with %u distinct colours", w, h,
          g_hash_table_size (colours));
  }

  DOM_OK (d, suspend);
  wait_state (d, VMD_DOMAIN_STATE_PAUSED, VMD_STATE_REASON_USER, 5000, "after suspend");
  serial_write (s, "echo paused-ping\n");
  spin_for (1000);
  CHECK (serial_find (s, "paused-ping") == NULL, "the paused guest still answers on its serial port");
  DOM_OK (d, resume);
  wait_state (d, VMD_DOMAIN_STATE_RUNNING, -1, 5000, "after resume");
  serial_wait (s, "paused-ping", CMD_TIMEOUT, "after resume");
  serial_wait (s, PROMPT, CMD_TIMEOUT, "after resume");
  step (f, "paused (the guest was silent), resumed (it answered)");

  t = g_get_monotonic_time ();
  DOM_OK (d, shutdown);
  wait_state (d, VMD_DOMAIN_STATE_SHUTOFF, VMD_STATE_REASON_SHUTDOWN, 10000, "after ACPI shutdown");
  wait_pid_gone (pid, 5000, "after ACPI shutdown");
  step (f, "ACPI power button: shut off (%s) after %.2f s, QEMU gone",
        vmd_state_reason_to_string (vmd_domain_get_state_reason (d)),
        (g_get_monotonic_time () - t) / 1e6);
  serial_close (f, s);

  DOM_OK (d, start, VMD_START_NONE);
  wait_state (d, VMD_DOMAIN_STATE_RUNNING, -1, 5000, "after starting again");
  pid = qemu_pid (f, d);
  step (f, "started again");
  DOM_OK (d, destroy);
  wait_state (d, VMD_DOMAIN_STATE_SHUTOFF, VMD_STATE_REASON_DESTROYED, 5000, "after destroy");
  wait_pid_gone (pid, 5000, "after destroy");
  assert_no_stray_qemu (f, 0, "after destroy");
  step (f, "forced off: shut off (Forced off), QEMU gone");
}

/* 2. QEMU killed under the VM: crashed, with a message. */
static void
case_crash (Fixture *f)
{
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "vm-crash", NULL);
  GPid pid;

  DOM_OK (d, start, VMD_START_NONE);
  pid = qemu_pid (f, d);
  spin_for (300);
  CHECK (kill (pid, SIGKILL) == 0, "could not kill QEMU %d: %s", pid, g_strerror (errno));
  wait_state (d, VMD_DOMAIN_STATE_CRASHED, VMD_STATE_REASON_CRASHED, 5000, "after kill -9");
  CHECK (vmd_domain_get_error_message (d) != NULL, "a crashed VM has no error message");
  wait_pid_gone (pid, 5000, "after kill -9");
  step (f, "kill -9: %s; message: %s", state_name (vmd_domain_get_state (d)),
        vmd_domain_get_error_message (d));

  /* A crashed VM can be started again. */
  DOM_OK (d, start, VMD_START_NONE);
  wait_state (d, VMD_DOMAIN_STATE_RUNNING, -1, 5000, "starting after the crash");
  CHECK (vmd_domain_get_error_message (d) == NULL, "the old error message stays after a start: %s",
         vmd_domain_get_error_message (d));
  pid = qemu_pid (f, d);
  DOM_OK (d, destroy);
  wait_pid_gone (pid, 5000, "after destroy");
  step (f, "started again after the crash and forced off");
}

/* 3. snapshots: live with RAM, revert, parents, delete, offline. */
static void
case_snapshots (Fixture *f)
{
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "vm-snap", NULL);
  g_autoptr (VmdSnapshot) s1 = NULL;
  g_autoptr (VmdSnapshot) s2 = NULL;
  g_autoptr (VmdSnapshot) s3 = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64 before, after, created, t;
  Serial *s;
  GPid pid;

  s = boot (f, d, "VMDESK-GUEST-READY kernel");
  pid = qemu_pid (f, d);
  step (f, "booted");

  t = g_get_monotonic_time ();
  before = g_get_real_time () / G_USEC_PER_SEC;
  DOM_OK (d, snapshot_create, "s1", "first");
  after = g_get_real_time () / G_USEC_PER_SEC;
  t = g_get_monotonic_time () - t;
  s1 = find_snapshot (d, "s1");
  CHECK (s1 != NULL, "s1 is not listed after creating it");
  CHECK (g_strcmp0 (vmd_snapshot_get_description (s1), "first") == 0,
         "s1's description is “%s”", vmd_snapshot_get_description (s1));
  CHECK (vmd_snapshot_get_state (s1) == VMD_DOMAIN_STATE_RUNNING, "s1's state is %s",
         state_name (vmd_snapshot_get_state (s1)));
  CHECK (vmd_snapshot_get_created (s1) != NULL, "s1 has no creation time");
  created = g_date_time_to_unix (vmd_snapshot_get_created (s1));
  CHECK (created >= before - 1 && created <= after + 1,
         "s1 was made at %" G_GINT64_FORMAT ", not between %" G_GINT64_FORMAT " and %"
         G_GINT64_FORMAT, created, before, after);
  CHECK (vmd_snapshot_get_parent (s1) == NULL, "the first snapshot has a parent: %s",
         vmd_snapshot_get_parent (s1));
  wait_state (d, VMD_DOMAIN_STATE_RUNNING, -1, 5000, "after a live snapshot");
  step (f, "snapshot s1 (with RAM) while running took %.2f s", t / 1e6);

  serial_cmd (s, "echo snapmark > /tmp/m", NULL, CMD_TIMEOUT);
  serial_cmd (s, "cat /tmp/m", "snapmark", CMD_TIMEOUT);
  step (f, "wrote /tmp/m in the guest after s1");

  DOM_OK (d, snapshot_revert, "s1");
  wait_state (d, VMD_DOMAIN_STATE_RUNNING, -1, 5000, "after reverting to s1");
  CHECK (vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (d)) == pid,
         "reverting a running VM to a running snapshot restarted QEMU");
  serial_cmd (s, "ls /tmp/m", "No such file", CMD_TIMEOUT);
  step (f, "reverted to s1: running, /tmp/m is gone");

  DOM_OK (d, snapshot_create, "s2", NULL);
  s2 = find_snapshot (d, "s2");
  CHECK (s2 != NULL, "s2 is not listed");
  CHECK (g_strcmp0 (vmd_snapshot_get_parent (s2), "s1") == 0, "s2's parent is “%s”, not s1",
         vmd_snapshot_get_parent (s2));
  CHECK (vmd_snapshot_is_current (s2), "the newest snapshot s2 is not the current one");
  g_clear_object (&s2);
  DOM_OK (d, snapshot_delete, "s1");
  s2 = find_snapshot (d, "s2");
  CHECK (find_snapshot (d, "s1") == NULL, "s1 is still listed after deleting it");
  CHECK (vmd_snapshot_get_parent (s2) == NULL, "s2's parent is still “%s” after deleting s1",
         vmd_snapshot_get_parent (s2));
  wait_state (d, VMD_DOMAIN_STATE_RUNNING, -1, 5000, "after deleting s1");
  step (f, "s2's parent was s1; after deleting s1 it has none");

  DOM_OK (d, destroy);
  wait_pid_gone (pid, 5000, "after destroy");
  serial_close (f, s);
  DOM_OK (d, snapshot_create, "s3", "offline");
  s3 = find_snapshot (d, "s3");
  CHECK (s3 != NULL && vmd_snapshot_get_state (s3) == VMD_DOMAIN_STATE_SHUTOFF,
         "the offline snapshot s3 is missing or not shut off");
  DOM_OK (d, snapshot_revert, "s3");
  CHECK (vmd_domain_get_state (d) == VMD_DOMAIN_STATE_SHUTOFF,
         "reverting to a shut-off snapshot left the VM %s", state_name (vmd_domain_get_state (d)));
  assert_no_stray_qemu (f, 0, "after reverting to an offline snapshot");
  DOM_OK (d, snapshot_delete, "s3");
  list = vmd_domain_list_snapshots (d);
  CHECK (list->len == 1, "%u snapshots are listed at the end, not 1 (s2)", list->len);
  {
    const char *argv[] = { "qemu-img", "snapshot", "-l", "-U", f->disk, NULL };
    int status = run_program (argv, &out, &err, "qemu-img snapshot -l");
    CHECK (status == 0 && strstr (out, " s2 ") != NULL && strstr (out, " s1 ") == NULL &&
           strstr (out, " s3 ") == NULL,
           "the image's own snapshot list is not just s2:\n%s%s", out, err);
  }
  step (f, "offline snapshot s3 (shut off) made, reverted, deleted; the image holds only s2");
}

/* 4. save to a file and restore. */
static void
case_save (Fixture *f)
{
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "vm-save", NULL);
  g_autoptr (VmdDomain) restored = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autofree char *path = g_build_filename (f->tmp, "vm.save", NULL);
  g_autofree char *pidfile = NULL;
  GStatBuf st;
  Serial *s;
  GPid pid;
  gint64 t;

  s = boot (f, d, "VMDESK-GUEST-READY kernel");
  pid = qemu_pid (f, d);
  serial_cmd (s, "echo saved-state > /tmp/s", NULL, CMD_TIMEOUT);
  step (f, "booted; wrote /tmp/s in the guest");

  t = g_get_monotonic_time ();
  DOM_OK (d, save, path);
  wait_state (d, VMD_DOMAIN_STATE_SHUTOFF, VMD_STATE_REASON_SAVED, 5000, "after save");
  wait_pid_gone (pid, 5000, "after save");
  CHECK (g_stat (path, &st) == 0 && st.st_size > 1024 * 1024,
         "the saved state %s is missing or tiny", path);
  serial_close (f, s);
  step (f, "saved in %.2f s: shut off (Saved), QEMU gone, file of %.1f MiB",
        (g_get_monotonic_time () - t) / 1e6, st.st_size / 1048576.0);

  t = g_get_monotonic_time ();
  vmd_connection_restore_async (f->conn, path, VMD_START_NONE, NULL, store_result, &result);
  restored = vmd_connection_restore_finish (f->conn, await_result (&result, OP_TIMEOUT, "restore"),
                                            &error);
  CHECK (restored != NULL, "restoring failed: %s", error ? error->message : "?");
  CHECK (restored == d, "restoring made another domain object than the saved VM's");
  wait_state (d, VMD_DOMAIN_STATE_RUNNING, VMD_STATE_REASON_RESTORED, 5000, "after restore");
  pid = qemu_pid (f, d);
  step (f, "restored in %.2f s: running (Restored)", (g_get_monotonic_time () - t) / 1e6);

  s = serial_open (f, d);
  serial_cmd (s, "cat /tmp/s", "saved-state", CMD_TIMEOUT);
  step (f, "the guest still has /tmp/s");
  DOM_OK (d, destroy);
  wait_pid_gone (pid, 5000, "after destroy");
  pidfile = pidfile_of (f, d);
  CHECK (!g_file_test (pidfile, G_FILE_TEST_EXISTS), "the pidfile stays after the VM is off");
}

/* 5. another program and another connection on the same VM. */
static void
case_reattach (Fixture *f)
{
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "vm-two", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  VmdConnection *b;
  VmdDomain *db;
  GPid pid;
  int status;

  DOM_OK (d, start, VMD_START_NONE);
  pid = qemu_pid (f, d);
  step (f, "started with connection A");

  status = run_cli (f, &out, &err, "domstate", "vm-two", NULL);
  CHECK (status == 0 && g_str_has_prefix (out, "running\n"),
         "vmdesk-cli domstate (exit %d) says “%s” for a running VM%s%s", status, g_strstrip (out),
         *err ? "; stderr: " : "", err);
  step (f, "vmdesk-cli domstate: running");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "suspend", "vm-two", NULL);
  CHECK (status == 0, "vmdesk-cli suspend failed (exit %d): %s%s", status, out, err);
  wait_state (d, VMD_DOMAIN_STATE_PAUSED, VMD_STATE_REASON_USER, 5000,
              "connection A after vmdesk-cli suspend");
  step (f, "vmdesk-cli suspend: connection A sees it paused");

  DOM_OK (d, resume);
  wait_state (d, VMD_DOMAIN_STATE_RUNNING, -1, 5000, "connection A after resuming");

  /* Connection B, opened while the VM runs, must see it running at once:
   * the open waits for the state, not only for the monitor. */
  b = open_connection (f);
  db = vmd_connection_lookup_domain (b, "vm-two");
  CHECK (db != NULL && db != d, "connection B does not know vm-two");
  CHECK (vmd_domain_get_state (db) == VMD_DOMAIN_STATE_RUNNING,
         "connection B, opened while the VM runs, says it is %s",
         state_name (vmd_domain_get_state (db)));
  CHECK (vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (db)) == pid,
         "connection B found PID %d, not %d", vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (db)), pid);
  step (f, "A resumed it; connection B attached and sees it running");

  DOM_OK (db, destroy);
  wait_state (db, VMD_DOMAIN_STATE_SHUTOFF, VMD_STATE_REASON_DESTROYED, 5000,
              "connection B after its destroy");
  wait_state (d, VMD_DOMAIN_STATE_SHUTOFF, -1, 5000, "connection A after B's destroy");
  wait_pid_gone (pid, 5000, "after B's destroy");
  step (f, "connection B forced it off; A: %s (%s)", state_name (vmd_domain_get_state (d)),
        vmd_state_reason_to_string (vmd_domain_get_state_reason (d)));
  CHECK (vmd_domain_get_state_reason (d) == VMD_STATE_REASON_DESTROYED,
         "connection A says %s, not forced off", vmd_state_reason_to_string (vmd_domain_get_state_reason (d)));
}

/* 6. the display over a passed file descriptor. */
static void
case_display (Fixture *f)
{
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "vm-vnc", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GSocket) socket = NULL;
  g_autofree char *protocol = NULL;
  char greeting[13] = { 0 };
  gssize got = 0;
  GPid pid;

  DOM_OK (d, start, VMD_START_NONE);
  pid = qemu_pid (f, d);
  vmd_domain_open_display_async (d, NULL, store_result, &result);
  socket = vmd_domain_open_display_finish (d, await_result (&result, 10, "opening the display"),
                                           &protocol, &error);
  CHECK (socket != NULL, "the display could not be opened: %s", error->message);
  CHECK (g_strcmp0 (protocol, "vnc") == 0, "the display's protocol is “%s”", protocol);
  g_socket_set_blocking (socket, TRUE);
  g_socket_set_timeout (socket, 10);
  while (got < 12)
    {
      gssize n = g_socket_receive (socket, greeting + got, 12 - got, NULL, &error);
      CHECK (n > 0, "reading the VNC greeting: %s", n == 0 ? "end of stream" : error->message);
      got += n;
    }
  CHECK (strcmp (greeting, "RFB 003.008\n") == 0, "the display greets with “%s”", greeting);
  step (f, "display socket (%s) greets with RFB 003.008", protocol);
  g_socket_close (socket, NULL);
  DOM_OK (d, destroy);
  wait_pid_gone (pid, 5000, "after destroy");
}

/* Time every thread of @pid spent running and waiting to run, in ns. */
static gboolean
sched_times (GPid pid, gint64 *run_ns, gint64 *wait_ns)
{
  g_autofree char *dir = g_strdup_printf ("/proc/%d/task", pid);
  g_autoptr (GDir) tasks = g_dir_open (dir, 0, NULL);
  const char *tid;

  *run_ns = *wait_ns = 0;
  if (tasks == NULL)
    return FALSE;
  while ((tid = g_dir_read_name (tasks)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, tid, "schedstat", NULL);
      g_autofree char *text = NULL;
      guint64 run = 0, wait = 0;

      if (g_file_get_contents (path, &text, NULL, NULL) &&
          sscanf (text, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &run, &wait) == 2)
        {
          *run_ns += (gint64) run;
          *wait_ns += (gint64) wait;
        }
    }
  return TRUE;
}

/* 7. CPU and disk statistics. */
static void
case_stats (Fixture *f)
{
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "vm-stats", NULL);
  g_autoptr (VmdStats) a = NULL;
  g_autoptr (VmdStats) b = NULL;
  g_autoptr (VmdStats) c = NULL;
  double cpu, run, demand;
  Serial *s;
  GPid pid;

  s = boot (f, d, "VMDESK-GUEST-READY kernel");
  pid = qemu_pid (f, d);
  serial_cmd (s, "cpuburn", "VMDESK-CPUBURN-STARTED", CMD_TIMEOUT);
  spin_for (300);
  /* A busy host (other builds on these two CPUs) can keep QEMU from
   * running: then the stats must still agree with the kernel, and the
   * kernel must show QEMU wanted the CPU (ran or waited to run). */
  for (guint attempt = 1;; attempt++)
    {
      gint64 run0, wait0, run1, wait1, t0, t1;

      g_clear_pointer (&a, vmd_stats_free);
      g_clear_pointer (&b, vmd_stats_free);
      CHECK (sched_times (pid, &run0, &wait0), "no scheduler statistics for QEMU %d", pid);
      t0 = g_get_monotonic_time ();
      a = sample (f, d);
      spin_for (1000);
      b = sample (f, d);
      CHECK (sched_times (pid, &run1, &wait1), "no scheduler statistics for QEMU %d", pid);
      t1 = g_get_monotonic_time ();
      cpu = vmd_stats_cpu_percent (a, b);
      run = (run1 - run0) / 10.0 / (t1 - t0);
      demand = (run1 - run0 + wait1 - wait0) / 10.0 / (t1 - t0);
      if (cpu > 50.0)
        break;
      {
        g_autofree char *load = read_file ("/proc/loadavg");
        step (f, "attempt %u: the stats say %.0f %% CPU; the kernel: QEMU ran %.0f %%, ran or "
              "waited %.0f %% (load %s)", attempt, cpu, run, demand, load ? g_strstrip (load) : "?");
      }
      if (attempt == 4)
        {
          CHECK (demand > 80.0, "the guest burns CPU but the stats say %.1f %% and QEMU ran or "
                 "waited to run only %.0f %% of the time", cpu, demand);
          CHECK (ABS (cpu - run) < 20.0, "the stats say %.1f %% CPU but the kernel says QEMU ran "
                 "%.1f %% of the time", cpu, run);
          break;
        }
    }
  CHECK (b->vcpus == 1, "the stats say %u vCPUs", b->vcpus);
  CHECK (b->rss_kib > 0, "the stats have no host memory: %" G_GINT64_FORMAT, b->rss_kib);
  step (f, "cpuburn: %.0f %% CPU over %.2f s, RSS %" G_GINT64_FORMAT " KiB, memory %"
        G_GINT64_FORMAT " KiB", cpu, (b->timestamp_us - a->timestamp_us) / 1e6, b->rss_kib,
        b->memory_kib);
  serial_cmd (s, "cpuburn stop", "VMDESK-CPUBURN-STOPPED", CMD_TIMEOUT);

  serial_cmd (s, "diskwrite 4", "VMDESK-DISKWRITE-DONE", 20000);
  c = sample (f, d);
  CHECK (c->disk_write_bytes >= b->disk_write_bytes + 4 * 1024 * 1024,
         "the disk written grew from %" G_GINT64_FORMAT " to only %" G_GINT64_FORMAT
         " bytes after writing 4 MiB", b->disk_write_bytes, c->disk_write_bytes);
  step (f, "diskwrite 4: written bytes %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT,
        b->disk_write_bytes, c->disk_write_bytes);
  DOM_OK (d, destroy);
  wait_pid_gone (pid, 5000, "after destroy");
}

/* 8. full and linked clones. */
static void
case_clone (Fixture *f)
{
  const char *nic = "<interface type='user'><mac address='52:54:00:12:34:56'/>"
                    "<model type='virtio'/></interface>";
  g_autoptr (VmdDomain) src = define_guest (f, f->conn, "vm-src", nic);
  g_autoptr (VmdDomain) full = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autofree char *src_disk = disk_source (src);
  g_autofree char *src_mac = nic_mac (src);
  g_autofree char *full_disk = NULL;
  g_autofree char *full_mac = NULL;
  g_autofree char *linked_disk = NULL;
  g_autofree char *linked_mac = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *domains_dir = g_build_filename (f->data, "domains", NULL);
  g_autofree char *files = NULL;
  g_autofree char *expected = NULL;
  VmdConnection *b;
  VmdDomain *linked, *bsrc;
  Serial *s;
  GPid pid;
  int status;

  vmd_connection_clone_async (f->conn, src, "vm-full", FALSE, NULL, store_result, &result);
  full = vmd_connection_clone_finish (f->conn, await_result (&result, OP_TIMEOUT, "full clone"),
                                      &error);
  CHECK (full != NULL, "the full clone failed: %s", error->message);
  full_disk = disk_source (full);
  full_mac = nic_mac (full);
  CHECK (g_ascii_strcasecmp (vmd_domain_get_uuid (full), vmd_domain_get_uuid (src)) != 0,
         "the full clone has the source's UUID");
  CHECK (g_ascii_strcasecmp (full_mac, src_mac) != 0, "the full clone has the source's MAC %s",
         src_mac);
  CHECK (g_strcmp0 (full_disk, src_disk) != 0 && g_file_test (full_disk, G_FILE_TEST_EXISTS),
         "the full clone's disk %s is the source's or missing", full_disk);
  step (f, "full clone: %s, MAC %s, disk %s", vmd_domain_get_uuid (full), full_mac, full_disk);

  status = run_cli (f, &out, &err, "clone", "vm-src", "vm-linked", "--linked", NULL);
  CHECK (status == 0, "vmdesk-cli clone --linked failed (exit %d): %s%s", status, out, err);
  step (f, "vmdesk-cli clone --linked");

  /* A fresh connection reads all three definitions from disk. */
  b = open_connection (f);
  linked = vmd_connection_lookup_domain (b, "vm-linked");
  bsrc = vmd_connection_lookup_domain (b, "vm-src");
  CHECK (linked != NULL && bsrc != NULL && vmd_connection_lookup_domain (b, "vm-full") != NULL,
         "a new connection does not see the source and both clones");
  linked_disk = disk_source (linked);
  linked_mac = nic_mac (linked);
  CHECK (g_ascii_strcasecmp (vmd_domain_get_uuid (linked), vmd_domain_get_uuid (src)) != 0 &&
         g_ascii_strcasecmp (vmd_domain_get_uuid (linked), vmd_domain_get_uuid (full)) != 0,
         "the linked clone shares a UUID");
  CHECK (g_ascii_strcasecmp (linked_mac, src_mac) != 0 &&
         g_ascii_strcasecmp (linked_mac, full_mac) != 0, "the linked clone shares a MAC: %s",
         linked_mac);
  CHECK (g_strcmp0 (linked_disk, src_disk) != 0 && g_strcmp0 (linked_disk, full_disk) != 0 &&
         g_file_test (linked_disk, G_FILE_TEST_EXISTS),
         "the linked clone's disk %s is not a new file", linked_disk);
  {
    const char *argv[] = { "qemu-img", "info", "-U", "--output=json", linked_disk, NULL };
    g_autofree char *info = NULL;
    status = run_program (argv, &info, NULL, "qemu-img info");
    CHECK (status == 0 && strstr (info, src_disk) != NULL,
           "the linked clone's image is not an overlay of %s:\n%s", src_disk, info);
  }
  step (f, "linked clone: %s, MAC %s, overlay %s", vmd_domain_get_uuid (linked), linked_mac,
        linked_disk);

  s = boot (f, linked, "VMDESK-GUEST-READY kernel");
  pid = qemu_pid (f, linked);
  step (f, "the linked clone boots to its marker");
  serial_close (f, s);
  DOM_OK (linked, destroy);
  wait_pid_gone (pid, 5000, "after destroy");

  DOM_OK (linked, undefine, TRUE);
  DOM_OK (full, undefine, TRUE);
  CHECK (!g_file_test (linked_disk, G_FILE_TEST_EXISTS), "the linked clone's image stays");
  CHECK (!g_file_test (full_disk, G_FILE_TEST_EXISTS), "the full clone's image stays");
  CHECK (g_file_test (src_disk, G_FILE_TEST_EXISTS), "the source's image was deleted");
  CHECK (vmd_connection_lookup_domain (b, "vm-linked") == NULL &&
         vmd_connection_lookup_domain (f->conn, "vm-full") == NULL,
         "deleted clones are still listed");
  files = list_dir (domains_dir);
  expected = g_strdup_printf ("%s.xml", vmd_domain_get_uuid (src));
  CHECK (g_strcmp0 (files, expected) == 0, "the definitions left are “%s”, not “%s”", files,
         expected);
  step (f, "both clones deleted with their images; the source and its image remain");
}

/* Asserts the data folder holds exactly the definitions of @uuids, each
 * loading, and @keep's file unchanged. */
static void
check_definitions (Fixture *f, GPtrArray *uuids, const char *keep_path, const char *keep_text,
                   const char *when)
{
  g_autofree char *domains_dir = g_build_filename (f->data, "domains", NULL);
  g_autofree char *files = list_dir (domains_dir);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *expected = NULL;
  g_autofree char *now = read_file (keep_path);

  for (guint i = 0; i < uuids->len; i++)
    g_ptr_array_add (names, g_strdup_printf ("%s.xml", (char *) g_ptr_array_index (uuids, i)));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  expected = g_strjoinv (" ", (char **) names->pdata);
  CHECK (g_strcmp0 (files, expected) == 0, "%s: the definitions folder holds “%s”, not “%s”",
         when, files, expected);
  CHECK (g_strcmp0 (now, keep_text) == 0, "%s: the existing definition %s changed", when,
         keep_path);
}

static void
expect_error (GError *error, int code, const char *words, const char *when)
{
  CHECK (error != NULL, "%s: no error", when);
  CHECK (error->domain == VMD_ENGINE_ERROR && (code < 0 || error->code == code),
         "%s: the error is %s/%d, expected engine error %d: %s", when,
         g_quark_to_string (error->domain), error->code, code, error->message);
  CHECK (strstr (error->message, words) != NULL, "%s: the message “%s” does not say “%s”", when,
         error->message, words);
}

/* 9. bad input: clear errors, nothing left behind, nothing lost. */
static void
case_bad_input (Fixture *f)
{
  g_autoptr (VmdDomain) good = define_guest (f, f->conn, "vm-good", NULL);
  g_autoptr (GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *good_path = g_strdup (vmd_qemu_domain_get_definition_path (VMD_QEMU_DOMAIN (good)));
  g_autofree char *good_text = read_file (good_path);
  g_autofree char *bad_file = g_build_filename (f->tmp, "bad.xml", NULL);
  g_autofree char *missing = g_build_filename (f->tmp, "missing.qcow2", NULL);
  g_autofree char *script = g_build_filename (f->tmp, "fake-qemu", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  GError *error = NULL;
  int status;

  CHECK (good_text != NULL, "the definition %s was not written", good_path);
  g_ptr_array_add (uuids, g_strdup (vmd_domain_get_uuid (good)));

  /* Malformed XML, from the shell. */
  write_file (bad_file, "<domain type='qemu'><name>broken</name><devices>", 0600);
  status = run_cli (f, &out, &err, "define", bad_file, NULL);
  CHECK (status != 0 && strstr (err, "not well-formed") != NULL,
         "vmdesk-cli define of malformed XML: exit %d, stderr “%s”", status, err);
  check_definitions (f, uuids, good_path, good_text, "after malformed XML");
  step (f, "malformed XML: %s", g_strstrip (err));

  /* The same name again, with another UUID. */
  {
    GuestSpec spec = { .name = "vm-good", .kernel = TRUE, .disk = f->disk };
    g_autofree char *xml = guest_xml (&spec);
    VmdDomain *d = define_xml_full (f->conn, xml, &error);
    CHECK (d == NULL, "a second “vm-good” was defined");
    expect_error (error, VMD_ENGINE_ERROR_EXISTS, "already exists", "a duplicate name");
    step (f, "duplicate name: %s", error->message);
    g_clear_error (&error);
    check_definitions (f, uuids, good_path, good_text, "after a duplicate name");
  }

  /* An unknown disk bus, and a name with a slash. */
  {
    GuestSpec spec = { .name = "vm-bus", .kernel = TRUE, .disk = f->disk, .bus = "foo" };
    g_autofree char *xml = guest_xml (&spec);
    VmdDomain *d = define_xml_full (f->conn, xml, &error);
    CHECK (d == NULL, "a VM with the disk bus “foo” was defined");
    expect_error (error, VMD_ENGINE_ERROR_INVALID_CONFIG, "foo", "an unknown disk bus");
    step (f, "unknown disk bus: %s", error->message);
    g_clear_error (&error);
  }
  {
    GuestSpec spec = { .name = "vm/slash", .kernel = TRUE, .disk = f->disk };
    g_autofree char *xml = guest_xml (&spec);
    VmdDomain *d = define_xml_full (f->conn, xml, &error);
    CHECK (d == NULL, "a VM named “vm/slash” was defined");
    expect_error (error, VMD_ENGINE_ERROR_INVALID_CONFIG, "/", "a name with '/'");
    step (f, "name with '/': %s", error->message);
    g_clear_error (&error);
  }
  check_definitions (f, uuids, good_path, good_text, "after invalid definitions");

  /* A missing disk image. */
  {
    GuestSpec spec = { .name = "vm-nodisk", .kernel = TRUE, .disk = missing };
    g_autofree char *xml = guest_xml (&spec);
    g_autoptr (VmdDomain) d = define_xml (f->conn, xml);
    g_ptr_array_add (uuids, g_strdup (vmd_domain_get_uuid (d)));
    error = DOM_CALL (d, start, VMD_START_NONE);
    expect_error (error, VMD_ENGINE_ERROR_START_FAILED, "does not exist", "a missing disk");
    CHECK (strstr (error->message, missing) != NULL, "the message “%s” does not name %s",
           error->message, missing);
    CHECK (vmd_domain_get_state (d) == VMD_DOMAIN_STATE_SHUTOFF, "a VM whose disk is missing is %s",
           state_name (vmd_domain_get_state (d)));
    step (f, "missing disk: %s", error->message);
    g_clear_error (&error);
    assert_no_stray_qemu (f, 0, "after a missing disk");
  }

  /* 64 TiB of memory: QEMU itself refuses. */
  {
    GuestSpec spec = { .name = "vm-huge", .kernel = TRUE, .disk = f->disk,
                       .memory = "<memory unit='TiB'>64</memory>" };
    g_autofree char *xml = guest_xml (&spec);
    g_autoptr (VmdDomain) d = define_xml (f->conn, xml);
    g_ptr_array_add (uuids, g_strdup (vmd_domain_get_uuid (d)));
    error = DOM_CALL (d, start, VMD_START_NONE);
    expect_error (error, VMD_ENGINE_ERROR_START_FAILED, "qemu-system-x86_64:", "64 TiB of memory");
    CHECK (strstr (error->message, "memory") != NULL, "QEMU's words about memory are missing: %s",
           error->message);
    CHECK (vmd_domain_get_state (d) == VMD_DOMAIN_STATE_SHUTOFF, "the 64 TiB VM is %s",
           state_name (vmd_domain_get_state (d)));
    step (f, "64 TiB: %s", error->message);
    g_clear_error (&error);
    spin_for (200);
    assert_no_stray_qemu (f, 0, "after QEMU refused 64 TiB");
  }

  /* A QEMU that fails at once. */
  write_file (script, "#!/bin/sh\necho 'qemu-system-x86_64: -foo: invalid option' >&2\nexit 1\n",
              0700);
  g_setenv ("VMDESK_QEMU", script, TRUE);
  error = DOM_CALL (good, start, VMD_START_NONE);
  g_unsetenv ("VMDESK_QEMU");
  expect_error (error, VMD_ENGINE_ERROR_START_FAILED, "invalid option", "a QEMU that exits at once");
  CHECK (vmd_domain_get_state (good) == VMD_DOMAIN_STATE_SHUTOFF,
         "after QEMU failed the VM is %s", state_name (vmd_domain_get_state (good)));
  step (f, "QEMU exiting at once: %s", error->message);
  g_clear_error (&error);
  assert_no_stray_qemu (f, 0, "after a failing QEMU");

  /* Deleting a running VM. */
  {
    GPid pid;

    DOM_OK (good, start, VMD_START_NONE);
    pid = qemu_pid (f, good);
    error = DOM_CALL (good, undefine, TRUE);
    expect_error (error, VMD_ENGINE_ERROR_INVALID_STATE, "Shut down", "deleting a running VM");
    step (f, "undefine while running: %s", error->message);
    g_clear_error (&error);
    CHECK (vmd_connection_lookup_domain (f->conn, "vm-good") == good,
           "the running VM left the list");
    CHECK (g_file_test (f->disk, G_FILE_TEST_EXISTS), "the running VM's disk was deleted");
    check_definitions (f, uuids, good_path, good_text, "after refusing to delete a running VM");
    assert_no_stray_qemu (f, pid, "while the good VM runs");
    DOM_OK (good, destroy);
    wait_pid_gone (pid, 5000, "after destroy");
  }
  check_definitions (f, uuids, good_path, good_text, "at the end");
  assert_no_stray_qemu (f, 0, "at the end");
}

/* 10. KVM that cannot run guests: paused with a clear message, then TCG.
 *
 * The firmware is OVMF, as virt-manager writes it (a pflash loader and a
 * variables template, no file of its own yet). Not SeaBIOS: under this
 * machine's broken KVM (kvm-pvm) SeaBIOS runs on for minutes — it never
 * touches the FPU — while OVMF fails within a second (see also
 * src/engine/vmd-kvm-probe.c). */
#define OVMF_CODE "/usr/share/OVMF/OVMF_CODE_4M.fd"
#define OVMF_VARS "/usr/share/OVMF/OVMF_VARS_4M.fd"

static void
case_kvm (Fixture *f)
{
  GuestSpec spec = { .name = "vm-kvm", .type = "kvm", .kernel = FALSE,
                     .os = "<loader readonly='yes' type='pflash'>" OVMF_CODE "</loader>"
                           "<nvram template='" OVMF_VARS "'/>" };
  g_autofree char *xml = guest_xml (&spec);
  g_autoptr (VmdDomain) d = NULL;
  g_autoptr (VmdDomainConfig) tcg = NULL;
  g_autofree char *type = NULL;
  gboolean works = g_strcmp0 (g_getenv ("VMDESK_TEST_KVM"), "works") == 0;
  gint64 t;
  GPid pid;

  if (!g_file_test ("/dev/kvm", G_FILE_TEST_EXISTS))
    {
      printf ("# kvm: skipped: no /dev/kvm\n");
      return;
    }
  if (!g_file_test (OVMF_CODE, G_FILE_TEST_EXISTS) || !g_file_test (OVMF_VARS, G_FILE_TEST_EXISTS))
    {
      printf ("# kvm: skipped: OVMF (the ovmf package) is not installed\n");
      return;
    }
  d = define_xml (f->conn, xml);
  t = g_get_monotonic_time ();
  DOM_OK (d, start, VMD_START_NONE);
  pid = qemu_pid (f, d);
  if (works)
    {
      spin_for (5000);
      CHECK (vmd_domain_get_state (d) == VMD_DOMAIN_STATE_RUNNING,
             "with VMDESK_TEST_KVM=works the KVM guest should run, but it is %s",
             state_name (vmd_domain_get_state (d)));
      step (f, "KVM runs the guest (VMDESK_TEST_KVM=works)");
      DOM_OK (d, destroy);
      wait_pid_gone (pid, 5000, "after destroy");
      return;
    }
  wait_state (d, VMD_DOMAIN_STATE_PAUSED, VMD_STATE_REASON_INTERNAL_ERROR, 8000,
              "OVMF under this machine's KVM");
  CHECK (vmd_domain_get_error_message (d) != NULL &&
         strstr (vmd_domain_get_error_message (d), "KVM") != NULL,
         "the KVM failure's message does not mention KVM: %s", vmd_domain_get_error_message (d));
  CHECK (!pid_gone (pid), "QEMU should stay alive with the VM stopped");
  step (f, "KVM stopped the guest after %.2f s: paused (%s): %s",
        (g_get_monotonic_time () - t) / 1e6,
        vmd_state_reason_to_string (vmd_domain_get_state_reason (d)),
        vmd_domain_get_error_message (d));

  tcg = vmd_domain_config_copy (vmd_domain_get_config (d));
  vmd_domain_config_set_domain_type (tcg, "qemu");
  DOM_OK (d, set_config, tcg);
  type = vmd_domain_config_get_domain_type (vmd_domain_get_config (d));
  CHECK (g_strcmp0 (type, "qemu") == 0, "the definition's type is still “%s”", type);
  DOM_OK (d, destroy);
  wait_pid_gone (pid, 5000, "after destroy");
  DOM_OK (d, start, VMD_START_NONE);
  pid = qemu_pid (f, d);
  spin_for (3000);
  CHECK (vmd_domain_get_state (d) == VMD_DOMAIN_STATE_RUNNING,
         "under TCG the guest should run, but it is %s", state_name (vmd_domain_get_state (d)));
  CHECK (vmd_domain_get_error_message (d) == NULL, "the KVM message stays under TCG: %s",
         vmd_domain_get_error_message (d));
  {
    g_autofree char *cmd = command_of (pid, 0);
    CHECK (strstr (cmd, " -accel tcg ") != NULL, "QEMU does not run with TCG: %s", cmd);
  }
  step (f, "switched to TCG: running for 3 s");
  DOM_OK (d, destroy);
  wait_pid_gone (pid, 5000, "after destroy");
}

/* ------------------------------------------------ devices, media, keys */

/* The output of @command on the guest's shell: what it printed between the
 * echo of the command line and the next prompt. */
static char *
serial_capture (Serial *s, const char *command)
{
  g_autofree char *line = g_strconcat (command, "\n", NULL);
  g_autofree char *when = g_strdup_printf ("after “%s”", command);
  gsize from;
  const char *end;

  serial_write (s, line);
  serial_wait (s, command, CMD_TIMEOUT, when);
  from = s->mark;
  serial_wait (s, PROMPT, CMD_TIMEOUT, when);
  end = s->text->str + s->mark - strlen (PROMPT);
  {
    GString *out = g_string_new (NULL);
    for (const char *p = s->text->str + from; p < end; p++)
      if (*p == '\n' || (*p >= 0x20 && *p < 0x7f))
        g_string_append_c (out, *p);
    /* the shell's ESC[6n before its prompt */
    if (out->len >= 3 && g_str_has_suffix (out->str, "[6n"))
      g_string_truncate (out, out->len - 3);
    return g_strstrip (g_string_free (out, FALSE));
  }
}

typedef struct {
  Serial     *serial;
  const char *command;
  const char *needle;
  gboolean    present;
  char       *last;
} GuestPoll;

/* Runs @command every 300 ms until its output does (or does not) contain
 * @needle; FALSE when @timeout_ms pass first. */
static gboolean
guest_poll (GuestPoll *p, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * (gint64) 1000;

  for (;;)
    {
      g_free (p->last);
      p->last = serial_capture (p->serial, p->command);
      if ((strstr (p->last, p->needle) != NULL) == p->present)
        return TRUE;
      if (g_get_monotonic_time () > end)
        return FALSE;
      spin_for (300);
    }
}

static void
guest_expect (Serial *s, const char *command, const char *needle, gboolean present,
              guint timeout_ms, const char *when)
{
  GuestPoll p = { s, command, needle, present, NULL };
  gboolean ok = guest_poll (&p, timeout_ms);

  if (!ok)
    {
      g_autofree char *dmesg = serial_capture (s, "dmesg | tail -n 15");
      g_autofree char *last = p.last;
      FAIL ("%s: after %.1f s the guest's “%s” %s “%s”:\n%s\n-- dmesg | tail:\n%s", when,
            timeout_ms / 1000.0, command, present ? "still does not show" : "still shows",
            needle, last, dmesg);
    }
  g_free (p.last);
}

static VmdDevice *
parse_device (const char *xml)
{
  g_autoptr (GError) error = NULL;
  VmdDevice *device = vmd_device_new_from_xml (xml, -1, &error);

  if (device == NULL)
    FAIL ("the test's device XML does not load: %s\n%s", error->message, xml);
  return device;
}

/* The device of @d's definition whose XML contains @needle, or NULL. */
static VmdDevice *
find_device (VmdDomain *d, GType type, const char *needle)
{
  g_autoptr (GPtrArray) list = vmd_domain_config_get_devices (vmd_domain_get_config (d), type);

  for (guint i = 0; i < list->len; i++)
    {
      g_autofree char *xml = vmd_device_to_xml (g_ptr_array_index (list, i));
      if (strstr (xml, needle) != NULL)
        return g_object_ref (g_ptr_array_index (list, i));
    }
  return NULL;
}

static char *
definition_file (Fixture *f, VmdDomain *d)
{
  g_autofree char *path = g_strdup_printf ("%s/domains/%s.xml", f->data, vmd_domain_get_uuid (d));
  char *text = read_file (path);

  CHECK (text != NULL, "the definition %s cannot be read", path);
  return text;
}

/* The <address …/> line of @device's XML, for progress lines. */
static char *
address_of (VmdDevice *device)
{
  g_autofree char *xml = vmd_device_to_xml (device);
  const char *a = strstr (xml, "<address");
  const char *e = a ? strstr (a, "/>") : NULL;

  return a && e ? g_strndup (a, e + 2 - a) : g_strdup ("(no address)");
}

static void
make_image (const char *path, const char *size)
{
  const char *argv[] = { "qemu-img", "create", "-q", "-f", "qcow2", path, size, NULL };
  g_autofree char *err = NULL;
  int status = run_program (argv, NULL, &err, "qemu-img create");

  CHECK (status == 0, "qemu-img could not make %s: %s", path, err);
}

#define HP_MAC "52:54:00:aa:bb:c1"

static void
hotplug_on (Fixture *f, const char *machine)
{
  g_autofree char *name = g_strdup_printf ("vm-hp-%s", machine);
  g_autofree char *image = g_strdup_printf ("%s/extra-%s.qcow2", f->tmp, machine);
  g_autofree char *disk_xml = NULL;
  const char *nic_xml = "<interface type='user'><mac address='" HP_MAC "'/>"
                        "<model type='virtio'/></interface>";
  GuestSpec spec = { .name = name, .kernel = TRUE, .disk = f->disk, .machine = machine };
  g_autofree char *xml = guest_xml (&spec);
  g_autoptr (VmdDomain) d = define_xml (f->conn, xml);
  g_autoptr (VmdDevice) new_disk = NULL;
  g_autoptr (VmdDevice) new_nic = NULL;
  g_autoptr (VmdDevice) disk = NULL;
  g_autoptr (VmdDevice) nic = NULL;
  g_autoptr (VmdDevice) stranger = NULL;
  g_autofree char *def = NULL;
  g_autofree char *blocks = NULL;
  g_autofree char *disk_addr = NULL;
  g_autofree char *nic_addr = NULL;
  GError *error;
  gint64 t;
  Serial *s;
  GPid pid;

  make_image (image, "32M");
  disk_xml = g_strdup_printf ("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                              "<source file='%s'/><target dev='vdb' bus='virtio'/></disk>", image);
  s = boot (f, d, "VMDESK-GUEST-READY kernel");
  pid = qemu_pid (f, d);
  blocks = serial_capture (s, "ls /sys/block");
  CHECK (strstr (blocks, "vda") && !strstr (blocks, "vdb"), "before: /sys/block is “%s”", blocks);
  step (f, "%s booted; /sys/block: %s", machine, blocks);

  new_disk = parse_device (disk_xml);
  new_nic = parse_device (nic_xml);
  t = g_get_monotonic_time ();
  error = DOM_CALL (d, attach_device, new_disk);
  if (error != NULL && g_str_equal (machine, "q35") &&
      strstr (error->message, "which no PCI controller provides") != NULL)
    {
      /* Known engine bug (reported): hotplug's assign_pci_address puts the
       * device on a spare pcie-root-port that only the argv builder makes,
       * never the definition, so the definition with the device fails
       * validation in vmd-qemu-argv-pci.c. The parent reports TODO. */
      g_autofree char *marker = g_build_filename (f->tmp, "known-bug", NULL);
      g_autofree char *text = g_strdup_printf ("hot-plug on q35: %s", error->message);
      write_file (marker, text, 0600);
      FAIL ("KNOWN BUG: attaching vdb on q35 failed: %s", error->message);
    }
  if (error != NULL)
    FAIL ("attaching vdb on %s failed: %s", machine, error->message);
  DOM_OK (d, attach_device, new_nic);
  step (f, "%s: attached vdb and a NIC (%.2f s)", machine, (g_get_monotonic_time () - t) / 1e6);
  guest_expect (s, "ls /sys/block", "vdb", TRUE, 10000, "after attaching vdb");
  guest_expect (s, "cat /sys/class/net/*/address", HP_MAC, TRUE, 10000, "after attaching the NIC");
  step (f, "%s: the guest sees vdb and %s", machine, HP_MAC);

  disk = find_device (d, VMD_TYPE_DEVICE_DISK, "vdb");
  nic = find_device (d, VMD_TYPE_DEVICE_INTERFACE, HP_MAC);
  CHECK (disk != NULL && nic != NULL, "the definition lacks the disk (%p) or the NIC (%p)",
         (void *) disk, (void *) nic);
  /* On pc the slot the device got is kept in the definition, as libvirt
   * does; q35's spare root ports are the engine's own, so there the next
   * boot places the devices itself. */
  if (g_str_equal (machine, "pc"))
    {
      g_autofree char *dt = vmd_device_get_address_type (disk);
      g_autofree char *nt = vmd_device_get_address_type (nic);
      CHECK (g_strcmp0 (dt, "pci") == 0 && g_strcmp0 (nt, "pci") == 0,
             "the new devices' addresses are %s and %s, not PCI", dt, nt);
    }
  disk_addr = address_of (disk);
  nic_addr = address_of (nic);
  def = definition_file (f, d);
  CHECK (strstr (def, image) && strstr (def, HP_MAC), "the definition file lacks them:\n%s", def);
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int status = run_cli (f, &out, &err, "dumpxml", name, NULL);
    CHECK (status == 0 && strstr (out, "vdb") && strstr (out, HP_MAC),
           "vmdesk-cli dumpxml does not show them (exit %d): %s%s", status, out, err);
  }
  step (f, "%s: the definition has vdb at %s and the NIC at %s", machine, disk_addr, nic_addr);

  /* A device the VM does not have. */
  stranger = parse_device ("<disk type='file' device='disk'><source file='/nonexistent.img'/>"
                           "<target dev='vdz' bus='virtio'/></disk>");
  error = DOM_CALL (d, detach_device, stranger);
  expect_error (error, VMD_ENGINE_ERROR_NOT_FOUND, "not part", "detaching a device the VM lacks");
  step (f, "%s: detaching a device it lacks: %s", machine, error->message);
  g_clear_error (&error);

  t = g_get_monotonic_time ();
  error = DOM_CALL (d, detach_device, disk);
  if (error != NULL)
    {
      g_autofree char *dmesg = serial_capture (s, "dmesg | tail -n 20");
      g_autofree char *slots = serial_capture (s, "ls /sys/bus/pci/slots");
      FAIL ("%s: detaching vdb failed after %.1f s: %s\n-- /sys/bus/pci/slots:\n%s\n"
            "-- dmesg | tail:\n%s", machine, (g_get_monotonic_time () - t) / 1e6,
            error->message, slots, dmesg);
    }
  step (f, "%s: detached vdb (%.2f s)", machine, (g_get_monotonic_time () - t) / 1e6);
  /* Detaching replaced the definition: its device objects are new. */
  g_clear_object (&nic);
  nic = find_device (d, VMD_TYPE_DEVICE_INTERFACE, HP_MAC);
  CHECK (nic != NULL, "after detaching vdb the definition lost the NIC");
  t = g_get_monotonic_time ();
  DOM_OK (d, detach_device, nic);
  step (f, "%s: detached the NIC (%.2f s)", machine, (g_get_monotonic_time () - t) / 1e6);
  guest_expect (s, "ls /sys/block", "vdb", FALSE, 10000, "after detaching vdb");
  guest_expect (s, "cat /sys/class/net/*/address", HP_MAC, FALSE, 10000, "after detaching the NIC");
  g_clear_object (&disk);
  g_clear_object (&nic);
  CHECK (find_device (d, VMD_TYPE_DEVICE_DISK, "vdb") == NULL &&
         find_device (d, VMD_TYPE_DEVICE_INTERFACE, HP_MAC) == NULL,
         "the definition still has the detached devices");
  g_free (def);
  def = definition_file (f, d);
  CHECK (!strstr (def, image) && !strstr (def, HP_MAC), "the definition file keeps them:\n%s", def);
  CHECK (vmd_domain_get_state (d) == VMD_DOMAIN_STATE_RUNNING, "the VM is %s",
         state_name (vmd_domain_get_state (d)));
  step (f, "%s: the guest and the definition no longer have them", machine);

  serial_close (f, s);
  DOM_OK (d, destroy);
  wait_pid_gone (pid, 5000, "after destroy");

  /* Shut off: only the definition changes. */
  {
    g_autofree char *file = g_build_filename (f->tmp, "disk.xml", NULL);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int status;
    VmdConnection *b;
    VmdDomain *bd;

    write_file (file, disk_xml, 0600);
    status = run_cli (f, &out, &err, "attach-device", name, file, NULL);
    CHECK (status == 0, "vmdesk-cli attach-device on the shut-off VM failed (exit %d): %s%s",
           status, out, err);
    assert_no_stray_qemu (f, 0, "after attaching to a shut-off VM");
    b = open_connection (f);
    bd = vmd_connection_lookup_domain (b, name);
    CHECK (bd != NULL && vmd_domain_get_state (bd) == VMD_DOMAIN_STATE_SHUTOFF,
           "after attach-device the VM is not listed shut off");
    disk = find_device (bd, VMD_TYPE_DEVICE_DISK, "vdb");
    CHECK (disk != NULL, "the definition lacks the disk attached while shut off");
    step (f, "%s: shut off, vmdesk-cli attach-device only edits the definition", machine);
    g_clear_object (&disk);

    write_file (file, "<interface type='user'><mac address='52:54:00:00:00:99'/>"
                      "<model type='virtio'/></interface>", 0600);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    status = run_cli (f, &out, &err, "detach-device", name, file, NULL);
    CHECK (status != 0 && (strstr (err, "52:54:00:00:00:99") || strstr (err, "no device") ||
                           strstr (err, "not")),
           "vmdesk-cli detach-device of a NIC the VM lacks: exit %d, “%s%s”", status, out, err);
    g_strstrip (err);
    step (f, "%s: vmdesk-cli detach-device of a NIC it lacks: exit %d: %s", machine, status, err);
  }
}

/* 11. hot-plug on pc. */
static void
case_hotplug_pc (Fixture *f)
{
  hotplug_on (f, "pc");
}

/* 11b. hot-plug on q35 (pcie-root-ports). */
static void
case_hotplug_q35 (Fixture *f)
{
  hotplug_on (f, "q35");
}

typedef struct {
  GPtrArray *events;   /* "name detail" */
} EventLog;

static void
on_event (VmdDomain *d, const char *name, const char *detail, gpointer user_data)
{
  g_ptr_array_add (user_data, g_strdup_printf ("%s %s", name, detail ? detail : ""));
}

typedef struct {
  GPtrArray  *events;
  const char *needle;
} EventWait;

static gboolean
event_seen (gpointer data)
{
  EventWait *w = data;

  for (guint i = 0; i < w->events->len; i++)
    if (strstr (g_ptr_array_index (w->events, i), w->needle))
      return TRUE;
  return FALSE;
}

static char *
join_events (GPtrArray *events)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < events->len; i++)
    g_string_append_printf (s, "%s[%s]", i ? ", " : "", (char *) g_ptr_array_index (events, i));
  return g_string_free (s, FALSE);
}

static void
media_on (Fixture *f, const char *machine, const char *target, const char *bus)
{
  g_autofree char *name = g_strdup_printf ("vm-cd-%s", machine);
  g_autofree char *cdrom = g_strdup_printf ("<disk type='file' device='cdrom'>"
                                            "<target dev='%s' bus='%s'/><readonly/></disk>",
                                            target, bus);
  g_autofree char *iso = g_build_filename (guest_dir, "installer.iso", NULL);
  GuestSpec spec = { .name = name, .kernel = TRUE, .disk = f->disk, .machine = machine,
                     .extra = cdrom };
  g_autofree char *xml = guest_xml (&spec);
  g_autoptr (VmdDomain) d = define_xml (f->conn, xml);
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (VmdDevice) drive = NULL;
  g_autofree char *blocks = NULL;
  g_autofree char *src = NULL;
  g_autofree char *list = NULL;
  EventWait w = { events, "tray-moved" };
  GError *error;
  Serial *s;
  GPid pid;

  g_signal_connect (d, "event", G_CALLBACK (on_event), events);
  s = boot (f, d, "VMDESK-GUEST-READY kernel");
  pid = qemu_pid (f, d);
  blocks = serial_capture (s, "ls /sys/block");
  step (f, "%s booted with an empty %s/%s; /sys/block: %s", machine, bus, target, blocks);

  DOM_OK (d, change_media, target, iso);
  spin_until (event_seen, &w, 3000);
  list = join_events (events);
  step (f, "%s: inserted installer.iso; events within 3 s: %s", machine, list);
  drive = find_device (d, VMD_TYPE_DEVICE_DISK, target);
  src = drive ? vmd_device_disk_get_source (VMD_DEVICE_DISK (drive)) : NULL;
  CHECK (g_strcmp0 (src, iso) == 0, "the definition's %s source is %s, not %s", target, src, iso);
  g_clear_object (&drive);

  if (strstr (blocks, "sr0"))
    {
      guest_expect (s, "dd if=/dev/sr0 bs=2048 count=1 2>/dev/null | wc -c", "2048", TRUE, 10000,
                    "reading the inserted medium");
      step (f, "%s: the guest reads 2048 bytes from /dev/sr0", machine);
    }
  else
    {
      g_autofree char *why = serial_capture (s, "ls /sys/bus/pci/drivers");
      g_autofree char *ata = serial_capture (s, "dmesg | grep -i -e ata -e sr0 | tail -n 3");
      step (f, "%s: NOT CHECKED in the guest: it has no CD-ROM block device (no ATA/SATA or sr "
               "driver in the test guest's kernel+initrd); PCI drivers: %s; dmesg about ata/sr0: %s",
            machine, why, ata);
    }

  g_ptr_array_set_size (events, 0);
  DOM_OK (d, change_media, target, NULL);
  w.needle = "open";
  spin_until (event_seen, &w, 3000);
  g_free (list);
  list = join_events (events);
  CHECK (event_seen (&w), "%s: ejecting emitted no tray-moved open event; events: %s", machine,
         list);
  drive = find_device (d, VMD_TYPE_DEVICE_DISK, target);
  g_free (src);
  src = drive ? vmd_device_disk_get_source (VMD_DEVICE_DISK (drive)) : NULL;
  CHECK (drive != NULL && src == NULL, "after eject the definition's %s source is %s", target,
         src);
  {
    g_autofree char *def = definition_file (f, d);
    CHECK (!strstr (def, "installer.iso"), "the definition file keeps the ISO:\n%s", def);
  }
  step (f, "%s: ejected; events: %s; the definition has no source", machine, list);

  error = DOM_CALL (d, change_media, "vda", iso);
  expect_error (error, VMD_ENGINE_ERROR_UNSUPPORTED, "vda", "changing the medium of a disk");
  step (f, "%s: change-media on vda: %s", machine, error->message);
  g_clear_error (&error);

  serial_close (f, s);
  DOM_OK (d, destroy);
  wait_pid_gone (pid, 5000, "after destroy");
}

/* 12. removable media on pc (IDE) and q35 (SATA). */
static void
case_media (Fixture *f)
{
  media_on (f, "pc", "hdc", "ide");
  media_on (f, "q35", "sda", "sata");
}

/* 13. keys reach the guest's keyboard. */
static void
case_keys (Fixture *f)
{
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "vm-keys", NULL);
  g_autofree char *devices = NULL;
  g_autofree char *cmd = NULL;
  const char *kbd, *ev;
  const char *a[] = { "a", NULL };
  const char *bad[] = { "ctrl", "nosuchkey", NULL };
  char event[16] = "";
  GError *error;
  Serial *s;
  GPid pid;
  gint64 t;

  s = boot (f, d, "VMDESK-GUEST-READY kernel");
  pid = qemu_pid (f, d);
  devices = serial_capture (s, "cat /proc/bus/input/devices");
  kbd = strstr (devices, "keyboard");
  ev = kbd ? strstr (kbd, "Handlers=") : NULL;
  ev = ev ? strstr (ev, "event") : NULL;
  CHECK (ev != NULL, "the guest has no keyboard event device:\n%s", devices);
  for (guint i = 0; i < sizeof event - 1 && g_ascii_isalnum (ev[i]); i++)
    event[i] = ev[i];
  step (f, "the guest's keyboard is /dev/input/%s", event);

  cmd = g_strdup_printf ("hexdump -C /dev/input/%s &", event);
  serial_cmd (s, cmd, NULL, CMD_TIMEOUT);
  spin_for (300);
  t = g_get_monotonic_time ();
  DOM_OK (d, send_keys, a);
  /* struct input_event on x86_64: 16 bytes of time, then type, code,
   * value: EV_KEY (1), KEY_A (30), pressed (1) and released (0). */
  serial_wait (s, "01 00 1e 00 01 00 00 00", 10000, "after sending “a”");
  serial_wait (s, "01 00 1e 00 00 00 00 00", 10000, "after sending “a”");
  step (f, "“a” pressed and released in the guest (%.2f s)", (g_get_monotonic_time () - t) / 1e6);
  serial_cmd (s, "kill %1", NULL, CMD_TIMEOUT);

  error = DOM_CALL (d, send_keys, bad);
  expect_error (error, VMD_ENGINE_ERROR_FAILED, "no key named “nosuchkey”",
                "sending an unknown key");
  step (f, "an unknown key: %s", error->message);
  g_clear_error (&error);

  serial_close (f, s);
  DOM_OK (d, destroy);
  wait_pid_gone (pid, 5000, "after destroy");
}

/* 14. the balloon. */
static void
case_balloon (Fixture *f)
{
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "vm-balloon",
                                          "<memballoon model='virtio'/>");
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (VmdStats) before = NULL;
  g_autoptr (VmdStats) after = NULL;
  g_autofree char *drivers = NULL;
  g_autofree char *list = NULL;
  EventWait w = { events, "balloon-changed" };
  GError *error;
  Serial *s;
  GPid pid;

  error = DOM_CALL (d, set_memory, 96 * 1024);
  CHECK (error != NULL, "setting the memory of a shut-off VM succeeded");
  step (f, "shut off: set_memory says: %s", error->message);
  g_clear_error (&error);

  g_signal_connect (d, "event", G_CALLBACK (on_event), events);
  s = boot (f, d, "VMDESK-GUEST-READY kernel");
  pid = qemu_pid (f, d);
  drivers = serial_capture (s, "ls /sys/bus/virtio/drivers");
  before = sample (f, d);
  step (f, "booted, balloon actual %" G_GINT64_FORMAT " KiB; guest virtio drivers: %s",
        before->memory_kib, drivers);
  CHECK (before->memory_kib == 128 * 1024, "the balloon starts at %" G_GINT64_FORMAT " KiB",
         before->memory_kib);

  DOM_OK (d, set_memory, 96 * 1024);
  spin_until (event_seen, &w, strstr (drivers, "balloon") ? 10000 : 2000);
  after = sample (f, d);
  list = join_events (events);
  if (strstr (drivers, "balloon"))
    CHECK (after->memory_kib == 96 * 1024, "the balloon is at %" G_GINT64_FORMAT " KiB",
           after->memory_kib);
  step (f, "set 96 MiB: ok; actual now %" G_GINT64_FORMAT " KiB; events: %s%s", after->memory_kib,
        list, strstr (drivers, "balloon") ? "" :
        " (the guest has no virtio_balloon driver, so nothing inflates)");

  error = DOM_CALL (d, set_memory, 0);
  expect_error (error, -1, "more than 0", "setting 0");
  step (f, "0: %s", error->message);
  g_clear_error (&error);
  error = DOM_CALL (d, set_memory, 129 * 1024);
  expect_error (error, -1, "maximum", "setting more than the maximum");
  step (f, "129 MiB: %s", error->message);
  g_clear_error (&error);

  serial_close (f, s);
  DOM_OK (d, destroy);
  wait_pid_gone (pid, 5000, "after destroy");
}

/* 15. rename and undefine. */
static void
case_rename (Fixture *f)
{
  g_autoptr (VmdDomain) a = define_guest (f, f->conn, "vm-a", NULL);
  g_autoptr (VmdDomain) b = define_guest (f, f->conn, "vm-b", NULL);
  g_autofree char *def = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  VmdConnection *c2;
  GError *error;
  Serial *s;
  GPid pid;
  int status;

  DOM_OK (a, rename, "vm-r");
  CHECK (g_strcmp0 (vmd_domain_get_name (a), "vm-r") == 0, "the domain is named %s",
         vmd_domain_get_name (a));
  CHECK (vmd_connection_lookup_domain (f->conn, "vm-r") == a &&
         vmd_connection_lookup_domain (f->conn, "vm-a") == NULL, "the lookup is not by the new name");
  def = definition_file (f, a);
  CHECK (strstr (def, "<name>vm-r</name>") && !strstr (def, "vm-a"), "the definition file:\n%s",
         def);
  status = run_cli (f, &out, &err, "list", "--all", NULL);
  CHECK (status == 0 && strstr (out, "vm-r") && !strstr (out, "vm-a"),
         "vmdesk-cli list --all (exit %d): %s%s", status, out, err);
  c2 = open_connection (f);
  CHECK (vmd_connection_lookup_domain (c2, "vm-r") != NULL &&
         vmd_connection_lookup_domain (c2, "vm-a") == NULL, "a new connection does not see vm-r only");
  {
    g_autoptr (VmdDomain) again = define_guest (f, f->conn, "vm-a", NULL);
    DOM_OK (again, undefine, FALSE);
  }
  step (f, "renamed vm-a to vm-r: listed, file updated, vm-a free again");

  error = DOM_CALL (a, rename, "vm-b");
  expect_error (error, -1, "already exists", "renaming to an existing name");
  CHECK (g_strcmp0 (vmd_domain_get_name (a), "vm-r") == 0, "the failed rename changed the name");
  step (f, "rename to vm-b: %s", error->message);
  g_clear_error (&error);

  s = boot (f, b, "VMDESK-GUEST-READY kernel");
  pid = qemu_pid (f, b);
  error = DOM_CALL (b, rename, "vm-c");
  expect_error (error, -1, "Shut down", "renaming a running VM");
  step (f, "rename while running: %s", error->message);
  g_clear_error (&error);
  serial_close (f, s);
  DOM_OK (b, destroy);
  wait_pid_gone (pid, 5000, "after destroy");

  DOM_OK (a, undefine, TRUE);
  CHECK (g_file_test (f->disk, G_FILE_TEST_EXISTS),
         "undefine --remove-storage deleted %s, which vm-b uses too", f->disk);
  CHECK (vmd_connection_lookup_domain (f->conn, "vm-r") == NULL, "vm-r is still listed");
  s = boot (f, b, "VMDESK-GUEST-READY kernel");
  pid = qemu_pid (f, b);
  serial_close (f, s);
  DOM_OK (b, destroy);
  wait_pid_gone (pid, 5000, "after destroy");
  step (f, "undefine vm-r with storage kept the shared image; vm-b still boots");

  DOM_OK (b, undefine, FALSE);
  CHECK (g_file_test (f->disk, G_FILE_TEST_EXISTS), "undefine without storage deleted the image");
  step (f, "undefine vm-b without storage: the image stays");
}

static guint
count_of (const char *text, const char *needle)
{
  guint n = 0;

  for (const char *p = text; p && (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

/* 16. the log. */
static void
case_log (Fixture *f)
{
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "vm-log", NULL);
  g_autofree char *tail = NULL;
  g_autofree char *cmd = NULL;
  g_autofree char *logs = g_build_filename (f->data, "logs", NULL);
  g_autofree char *files = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  Serial *s;
  GPid pid;

  for (guint round = 1; round <= 2; round++)
    {
      s = boot (f, d, "VMDESK-GUEST-READY kernel");
      pid = qemu_pid (f, d);
      serial_close (f, s);
      DOM_OK (d, destroy);
      wait_pid_gone (pid, 5000, "after destroy");
      step (f, "start %u and destroy", round);
    }
  /* The engine keeps its log of starts in UUID.log and QEMU's own words
   * of the last run in UUID-qemu.log. */
  files = list_dir (logs);
  {
    g_autofree char *file = g_strconcat (vmd_domain_get_uuid (d), ".log", NULL);
    path = g_build_filename (logs, file, NULL);
  }
  text = read_file (path);
  tail = vmd_domain_get_log_tail (d, 16384);
  CHECK (tail != NULL && *tail != '\0', "the log tail is empty (log files: %s)", files);
  step (f, "log %s: %zu bytes, %u headers; tail %zu bytes, %u headers", files,
        text ? strlen (text) : 0, count_of (text, ": starting up\n"), strlen (tail),
        count_of (tail, ": starting up\n"));
  if (count_of (text, ": starting up\n") == 0)
    {
      /* Known engine bug (reported, vmd-qemu-domain-lifecycle.c): QEMU's
       * -D truncates the log once it has daemonized, so the engine's
       * header of every start is gone. The parent reports TODO. */
      g_autofree char *marker = g_build_filename (f->tmp, "known-bug", NULL);
      g_autofree char *bug = g_strdup_printf ("the QEMU log lost the start headers (QEMU -D "
                                              "truncates it after daemonizing): %s", text);
      write_file (marker, bug, 0600);
    }
  CHECK (count_of (text, ": starting up\n") == 2,
         "the log %s has %u start headers, not 2:\n%s", path, count_of (text, ": starting up\n"),
         text);
  /* The last header is followed by the last start's command line. */
  cmd = command_of (pid, 0);
  {
    const char *last = g_strrstr (tail, ": starting up\n");
    CHECK (last != NULL, "the tail has no start header:\n%s", tail);
    CHECK (strstr (last, "qemu-system-x86_64") != NULL,
           "the last header is not followed by the command line:\n%s", last);
  }
}

/* ============================================================== harness */

typedef struct {
  const char *name;
  void      (*run) (Fixture *f);
  guint       timeout_s;
} Case;

static const Case cases[] = {
  { "lifecycle", case_lifecycle, 150 },
  { "crash", case_crash, 60 },
  { "snapshots", case_snapshots, 150 },
  { "save", case_save, 150 },
  { "reattach", case_reattach, 90 },
  { "display", case_display, 60 },
  { "stats", case_stats, 150 },
  { "clone", case_clone, 150 },
  { "bad-input", case_bad_input, 90 },
  { "kvm", case_kvm, 60 },
  { "hotplug-pc", case_hotplug_pc, 120 },
  { "hotplug-q35", case_hotplug_q35, 120 },
  { "media", case_media, 120 },
  { "keys", case_keys, 60 },
  { "balloon", case_balloon, 60 },
  { "rename", case_rename, 90 },
  { "log", case_log, 60 },
};

/* Shows the end of every log the case left, for a failure's report. */
static void
dump_logs (const char *dir, const char *label)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *text = NULL;
      gsize len;

      if (!g_str_has_suffix (name, ".log") || !g_file_get_contents (path, &text, &len, NULL))
        continue;
      printf ("# --- %s %s (last 1500 bytes):\n", label, name);
      {
        g_auto (GStrv) lines = g_strsplit (len > 1500 ? text + len - 1500 : text, "\n", -1);
        for (guint i = 0; lines[i]; i++)
          {
            g_strdelimit (lines[i], "\r\033", '.');
            printf ("#   %s\n", lines[i]);
          }
      }
    }
}

static void
run_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *logs = NULL;
  guint killed;

  if (g_test_subprocess ())
    {
      Fixture f;

      fixture_setup (&f, c->name, g_getenv ("VMDT_DIR"));
      c->run (&f);
      fixture_teardown (&f);
      return;
    }

  /* The guardian: the folder is made here so it is known whatever
   * becomes of the child. */
  tmp = g_dir_make_tmp ("vmdt-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("VMDT_DIR", tmp, TRUE);
  g_test_trap_subprocess (NULL, (guint64) c->timeout_s * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("VMDT_DIR");

  killed = kill_everything_in (tmp);
  {
    g_autofree char *marker = g_build_filename (tmp, "known-bug", NULL);
    g_autofree char *bug = read_file (marker);

    if (!g_test_trap_has_passed () && bug != NULL)
      {
        remove_tree (tmp);
        g_autofree char *msg = g_strdup_printf ("known engine bug: %s", bug);
        g_test_incomplete (msg);
        return;
      }
  }
  if (!g_test_trap_has_passed ())
    {
      printf ("# %s failed; its folder was %s\n", c->name, tmp);
      logs = g_build_filename (tmp, "d", "logs", NULL);
      dump_logs (logs, "QEMU log");
      dump_logs (tmp, "serial");
    }
  if (killed > 0)
    printf ("# %s: %u processes were left running and are killed now\n", c->name, killed);
  fflush (stdout);
  remove_tree (tmp);
  /* Not g_test_trap_assert_passed (): that would end the other cases too. */
  if (!g_test_trap_has_passed ())
    g_test_fail_printf ("the case %s failed (its messages are above)", c->name);
  else if (killed > 0)
    g_test_fail_printf ("the case %s left %u processes running", c->name, killed);
}

static gboolean
build_guest (void)
{
  const char *argv[] = { guest_builder, guest_dir, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  gint64 t = g_get_monotonic_time ();
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                     &status, &error))
    {
      g_printerr ("%s could not be run: %s\n", guest_builder, error->message);
      return FALSE;
    }
  if (!g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("building the test guest failed (%s):\n%s%s\n", error->message, out, err);
      return FALSE;
    }
  printf ("# test guest ready in %s (%.2f s)\n", guest_dir, (g_get_monotonic_time () - t) / 1e6);
  return TRUE;
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  guest_dir = g_getenv ("VMD_GUEST_DIR");
  guest_builder = g_getenv ("VMD_GUEST_BUILDER");
  cli_path = g_getenv ("VMDESK_CLI");

  if (guest_dir == NULL || guest_builder == NULL || cli_path == NULL)
    {
      g_printerr ("Set VMD_GUEST_DIR, VMD_GUEST_BUILDER and VMDESK_CLI (meson test does).\n");
      return 1;
    }
  if (!g_test_subprocess ())
    {
      g_autofree char *qemu = g_find_program_in_path ("qemu-system-x86_64");
      g_autofree char *img = g_find_program_in_path ("qemu-img");

      if (qemu == NULL || img == NULL)
        {
          printf ("1..0 # SKIP qemu-system-x86_64 or qemu-img is not installed\n");
          return 0;
        }
      if (!build_guest ())
        return 1;
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/engine/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], run_case);
    }
  return g_test_run ();
}
