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

#include "engine-fixture.h"
#include "vmd-stats-sampler.h"

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

static void
note_display_ready (VmdDomain *d, const char *name, const char *detail, gpointer user_data)
{
  if (g_strcmp0 (name, "display-ready") == 0)
    *(gboolean *) user_data = TRUE;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
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

  /* Started for a window that shows the display at once: the client is
   * attached before the CPUs run and handed out without a QMP round
   * trip; the next one is a new client. */
  DOM_OK (d, start, VMD_START_ATTACH_DISPLAY);
  pid = qemu_pid (f, d);
  for (int round = 0; round < 2; round++)
    {
      g_autoptr (GSocket) early = NULL;
      char text[13] = { 0 };

      g_clear_object (&result);
      vmd_domain_open_display_async (d, NULL, store_result, &result);
      early = vmd_domain_open_display_finish (d, await_result (&result, 10, "opening the display"),
                                              NULL, &error);
      CHECK (early != NULL, "the display could not be opened: %s", error->message);
      g_socket_set_blocking (early, TRUE);
      g_socket_set_timeout (early, 10);
      got = 0;
      while (got < 12)
        {
          gssize n = g_socket_receive (early, text + got, 12 - got, NULL, &error);
          CHECK (n > 0, "reading the VNC greeting: %s", n == 0 ? "end of stream" : error->message);
          got += n;
        }
      CHECK (strcmp (text, "RFB 003.008\n") == 0, "the display greets with “%s”", text);
    }
  step (f, "started with the display attached: the early client and a later one both greet");
  DOM_OK (d, destroy);
  wait_pid_gone (pid, 5000, "after destroy");

  /* The CPUs wait for the display's handshake (up to a limit, which the
   * start above, with nobody connecting, ran into), so that the handshake
   * does not compete with the guest; the console says when it is done. */
  {
    g_autoptr (GAsyncResult) started = NULL;
    g_autoptr (GSocket) early = NULL;
    gboolean ready = FALSE;
    gulong handler = g_signal_connect (d, "event", G_CALLBACK (note_display_ready), &ready);

    gint64 ready_at;

    vmd_domain_start_async (d, VMD_START_ATTACH_DISPLAY, NULL, store_result, &started);
    CHECK (spin_until (flag_is_set, &ready, OP_TIMEOUT * 1000), "no “display-ready” event");
    ready_at = g_get_monotonic_time ();
    g_signal_handler_disconnect (d, handler);
    pid = qemu_pid (f, d);
    g_clear_object (&result);
    vmd_domain_open_display_async (d, NULL, store_result, &result);
    early = vmd_domain_open_display_finish (d, await_result (&result, 10, "opening the display"),
                                            NULL, &error);
    CHECK (early != NULL, "the display could not be opened: %s", error->message);
    spin_for (100);
    /* The engine waits 300 ms at most; a machine too busy to come back
     * within 250 ms cannot tell waiting from not waiting. */
    if (g_get_monotonic_time () - ready_at < 250 * 1000)
      {
        CHECK (started == NULL,
               "the start finished, the CPUs running, before the display's handshake");
        CHECK (vmd_domain_get_state (d) != VMD_DOMAIN_STATE_RUNNING,
               "the VM runs before the display's handshake");
      }
    else
      step (f, "too slow to check that the CPUs wait (%" G_GINT64_FORMAT " ms)",
            (g_get_monotonic_time () - ready_at) / 1000);
    vmd_domain_display_connected (d);
    CHECK (vmd_domain_start_finish (d, await_result (&started, 5, "the start after the handshake"),
                                    &error),
           "the start failed after the handshake: %s", error->message);
    CHECK (vmd_domain_get_state (d) == VMD_DOMAIN_STATE_RUNNING,
           "after the handshake the VM is %s", state_name (vmd_domain_get_state (d)));
    step (f, "with the display attached, the CPUs waited for its handshake and ran once told");
    g_socket_close (early, NULL);
    DOM_OK (d, destroy);
    wait_pid_gone (pid, 5000, "after destroy");
  }
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

static gboolean
passes_reached (gpointer data)
{
  gpointer *args = data;

  return vmd_stats_sampler_get_pass_count (args[0]) >= GPOINTER_TO_UINT (args[1]);
}

static void
wait_passes (VmdStatsSampler *sampler, guint count, const char *when)
{
  guint64 target = vmd_stats_sampler_get_pass_count (sampler) + count;
  gpointer args[2] = { sampler, GUINT_TO_POINTER ((guint) target) };

  if (!spin_until (passes_reached, args, 20000))
    FAIL ("the stats sampler ran no %u passes %s", count, when);
}

/* The sampler reads only what its subscriptions want, and nothing at all
 * without one. */
static void
check_sampler (Fixture *f, VmdDomain *d, const VmdStats *before)
{
  VmdStatsSampler *sampler = vmd_connection_get_stats_sampler (f->conn);
  const char *uuid = vmd_domain_get_uuid (d);
  const VmdStats *latest;
  guint all, one;
  guint64 count;

  CHECK (vmd_stats_sampler_get_pass_count (sampler) == 0, "the sampler ran without a subscription");
  vmd_stats_sampler_set_interval (sampler, 200);
  all = vmd_stats_sampler_subscribe (sampler, NULL, VMD_STATS_FIELD_CPU);
  wait_passes (sampler, 2, "for the CPU of every VM");
  latest = vmd_stats_sampler_get_latest (sampler, uuid);
  CHECK (latest != NULL && vmd_stats_sampler_get_previous (sampler, uuid) != NULL,
         "the sampler has no two samples of the running VM");
  CHECK (latest->cpu_time_ns > 0, "the CPU-only pass has no CPU time");
  CHECK (latest->disk_write_bytes == -1 && latest->rss_kib == -1 && latest->memory_kib == -1,
         "the CPU-only pass read more: disk %" G_GINT64_FORMAT ", RSS %" G_GINT64_FORMAT,
         latest->disk_write_bytes, latest->rss_kib);

  one = vmd_stats_sampler_subscribe (sampler, uuid, VMD_STATS_FIELD_DISK | VMD_STATS_FIELD_MEMORY);
  wait_passes (sampler, 2, "for the disk of one VM");
  latest = vmd_stats_sampler_get_latest (sampler, uuid);
  CHECK (latest->cpu_time_ns > 0 && latest->rss_kib > 0 &&
         latest->disk_write_bytes >= before->disk_write_bytes,
         "the merged sample lacks a field: CPU %" G_GINT64_FORMAT ", RSS %" G_GINT64_FORMAT
         ", written %" G_GINT64_FORMAT " (at least %" G_GINT64_FORMAT ")",
         latest->cpu_time_ns, latest->rss_kib, latest->disk_write_bytes,
         before->disk_write_bytes);

  vmd_stats_sampler_unsubscribe (sampler, all);
  vmd_stats_sampler_unsubscribe (sampler, one);
  spin_for (300);  /* a pass under way may still finish */
  count = vmd_stats_sampler_get_pass_count (sampler);
  spin_for (800);
  CHECK (vmd_stats_sampler_get_pass_count (sampler) == count,
         "the sampler kept running without a subscription (%" G_GUINT64_FORMAT " -> %"
         G_GUINT64_FORMAT " passes)", count, vmd_stats_sampler_get_pass_count (sampler));
  step (f, "sampler: CPU-only passes read no disk or memory; a one-VM disk subscription merged in; "
        "no pass without a subscription");
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
  check_sampler (f, d, c);
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

static const EngineCase cases[] = {
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

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  return engine_test_main (argc, argv, "/engine", cases, G_N_ELEMENTS (cases));
}
