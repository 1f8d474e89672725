/* engine-fixture.c: what the real-QEMU tests share: a private engine per
 * case, the test guest, its serial console, and a guardian that kills
 * whatever a case left running
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#define G_LOG_DOMAIN "test-engine"

#include "engine-fixture.h"

const char *guest_dir;
const char *guest_builder;
const char *cli_path;

/* ================================================================ helpers */

/* Prints a timed progress line as a TAP comment. */
void
step (Fixture *f, const char *fmt, ...)
{
  gint64 now = g_get_monotonic_time ();
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, fmt);
  text = g_strdup_vprintf (fmt, args);
  va_end (args);
  /* Every line a TAP comment: a message may quote a command line or a log. */
  {
    g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

    printf ("# %-10s %6.2f s (+%5.2f s)  %s\n", f->name, (now - f->start_us) / 1e6,
            (now - f->step_us) / 1e6, lines[0]);
    for (guint i = 1; lines[i] != NULL; i++)
      printf ("#   %s\n", lines[i]);
  }
  fflush (stdout);
  f->step_us = now;
}

gboolean
flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @cond holds or @timeout_ms pass; @cond is
 * checked after every event and at least every 20 ms, so it may also poll
 * things no event tells about (a process going away). */
gboolean
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

void
spin_for (guint ms)
{
  gboolean expired = FALSE;

  g_timeout_add (ms, flag_cb, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
}

void
store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

GAsyncResult *
await_result (GAsyncResult **slot, guint timeout_s, const char *what)
{
  if (!spin_until (result_ready, slot, timeout_s * 1000))
    FAIL ("%s did not finish within %u s", what, timeout_s);
  return *slot;
}

/* The outcome of an operation started with store_result and @slot. */
GError *
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
const char *
state_name (VmdDomainState state)
{
  return vmd_domain_state_to_string (state);
}

char *
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

gboolean
state_reached (gpointer data)
{
  StateWait *w = data;

  return vmd_domain_get_state (w->domain) == w->state &&
         (w->reason < 0 || (int) vmd_domain_get_state_reason (w->domain) == w->reason);
}

/* Waits for @d to be in @state (and @reason unless -1). */
void
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
gboolean
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

gboolean
pid_gone_cb (gpointer data)
{
  return pid_gone (GPOINTER_TO_INT (data));
}

void
wait_pid_gone (GPid pid, guint timeout_ms, const char *when)
{
  if (!spin_until (pid_gone_cb, GINT_TO_POINTER (pid), timeout_ms))
    FAIL ("%s: the QEMU process %d is still there after %.1f s", when, pid,
          timeout_ms / 1000.0);
}

/* Live processes (not this one) whose command line mentions @needle. */
GArray *
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
char *
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
void
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

void
remember_pid (Fixture *f, GPid pid)
{
  for (guint i = 0; i < f->pids->len; i++)
    if (g_array_index (f->pids, GPid, i) == pid)
      return;
  if (pid > 0)
    g_array_append_val (f->pids, pid);
}

/* The QEMU PID of a running @d, remembered for the teardown. */
GPid
qemu_pid (Fixture *f, VmdDomain *d)
{
  GPid pid = vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (d));

  CHECK (pid > 0, "“%s” is %s but has no QEMU PID", vmd_domain_get_name (d),
         state_name (vmd_domain_get_state (d)));
  remember_pid (f, pid);
  return pid;
}

/* Deletes @path and everything below it, without following links. */
void
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
guint
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

void
write_file (const char *path, const char *text, int mode)
{
  g_autoptr (GError) error = NULL;

  if (!g_file_set_contents (path, text, -1, &error))
    FAIL ("could not write %s: %s", path, error->message);
  g_chmod (path, mode);
}

char *
read_file (const char *path)
{
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return text;
}

int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* The sorted names in @dir, joined by spaces. */
char *
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
int
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
int
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

void serial_read_next (Serial *s);

void
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

void
serial_read_next (Serial *s)
{
  s->reading = TRUE;
  g_input_stream_read_async (g_io_stream_get_input_stream (s->stream), s->buf, sizeof s->buf,
                             G_PRIORITY_DEFAULT, s->cancel, serial_read_done, s);
}

gboolean
not_reading (gpointer data)
{
  return !((Serial *) data)->reading;
}

void
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

void
serial_close (Fixture *f, Serial *s)
{
  g_ptr_array_remove (f->serials, s);
}

Serial *
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

const char *
serial_find (Serial *s, const char *needle)
{
  return memmem (s->text->str + s->mark, s->text->len - s->mark, needle, strlen (needle));
}

gboolean
serial_has (gpointer data)
{
  SerialWait *w = data;

  return serial_find (w->serial, w->needle) != NULL || w->serial->closed;
}

/* The end of what the guest wrote, printable, for failure messages. */
char *
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
void
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

void
serial_write (Serial *s, const char *text)
{
  g_autoptr (GError) error = NULL;

  if (!g_output_stream_write_all (g_io_stream_get_output_stream (s->stream), text, strlen (text),
                                  NULL, NULL, &error))
    FAIL ("could not write “%s” to the serial port: %s", text, error->message);
}

/* Types @command; waits for @expect (unless NULL) and the next prompt. */
void
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

VmdConnection *
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

VmdDomainConfig *
parse_xml (const char *xml)
{
  g_autoptr (GError) error = NULL;
  VmdDomainConfig *config = vmd_domain_config_new_from_xml (xml, -1, &error);

  if (config == NULL)
    FAIL ("the test's XML does not load: %s\n%s", error->message, xml);
  return config;
}

/* Defines @xml on @conn; the domain (a new reference), or NULL and @error. */
VmdDomain *
define_xml_full (VmdConnection *conn, const char *xml, GError **error)
{
  g_autoptr (VmdDomainConfig) config = parse_xml (xml);
  g_autoptr (GAsyncResult) result = NULL;

  vmd_connection_define_async (conn, config, NULL, store_result, &result);
  return vmd_connection_define_finish (conn, await_result (&result, OP_TIMEOUT, "define"), error);
}

VmdDomain *
define_xml (VmdConnection *conn, const char *xml)
{
  g_autoptr (GError) error = NULL;
  VmdDomain *d = define_xml_full (conn, xml, &error);

  if (d == NULL)
    FAIL ("defining failed: %s", error->message);
  return d;
}

char *
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
VmdDomain *
define_guest (Fixture *f, VmdConnection *conn, const char *name, const char *extra)
{
  GuestSpec spec = { .name = name, .kernel = TRUE, .disk = f->disk, .extra = extra };
  g_autofree char *xml = guest_xml (&spec);

  return define_xml (conn, xml);
}

/* Starts @d, opens its serial port and waits for the guest's shell. */
Serial *
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

VmdStats *
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

VmdSnapshot *
find_snapshot (VmdDomain *d, const char *name)
{
  g_autoptr (GPtrArray) list = vmd_domain_list_snapshots (d);

  for (guint i = 0; i < list->len; i++)
    if (g_strcmp0 (vmd_snapshot_get_name (g_ptr_array_index (list, i)), name) == 0)
      return g_object_ref (g_ptr_array_index (list, i));
  return NULL;
}

char *
disk_source (VmdDomain *d)
{
  g_autoptr (GPtrArray) disks = vmd_domain_config_get_devices (vmd_domain_get_config (d),
                                                               VMD_TYPE_DEVICE_DISK);

  CHECK (disks->len == 1, "“%s” has %u disks, not 1", vmd_domain_get_name (d), disks->len);
  return vmd_device_disk_get_source (g_ptr_array_index (disks, 0));
}

char *
nic_mac (VmdDomain *d)
{
  g_autoptr (GPtrArray) nics = vmd_domain_config_get_devices (vmd_domain_get_config (d),
                                                              VMD_TYPE_DEVICE_INTERFACE);

  CHECK (nics->len == 1, "“%s” has %u network interfaces, not 1", vmd_domain_get_name (d),
         nics->len);
  return vmd_device_interface_get_mac (g_ptr_array_index (nics, 0));
}

char *
pidfile_of (Fixture *f, VmdDomain *d)
{
  return g_build_filename (f->run, vmd_domain_get_uuid (d), "qemu.pid", NULL);
}

/* ============================================================== fixture */

void
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

void
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

/* ============================================================== harness */

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
  const EngineCase *c = data;
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

/* Runs @cases, each in a child process watched by this one; the caller
 * has called g_test_init (). */
int
engine_test_main (int argc, char *argv[], const char *prefix, const EngineCase *cases,
                  guint n_cases)
{
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

  for (guint i = 0; i < n_cases; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s", prefix, cases[i].name);
      g_test_add_data_func (path, &cases[i], run_case);
    }
  return g_test_run ();
}
