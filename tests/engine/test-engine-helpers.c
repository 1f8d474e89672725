/* test-engine-helpers.c: swtpm, virtiofsd and the QMP set-up before the
 * CPUs run, on real QEMU with the test guest
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The harness is that of test-engine.c (a child process per case, a
 * temporary folder whose processes the parent kills afterwards): see
 * there. Environment as for test-engine (tests/engine/meson.build).
 */
#define _GNU_SOURCE
#define G_LOG_DOMAIN "test-engine-helpers"

#include "engine-fixture.h"

/* ---------------------------------------------------------- this file's */

/* The PID in RUNTIME/UUID/@file, 0 when there is none. */
static GPid
runtime_pid (Fixture *f, VmdDomain *d, const char *file)
{
  g_autofree char *path = g_build_filename (f->run, vmd_domain_get_uuid (d), file, NULL);
  g_autofree char *text = read_file (path);
  guint64 pid = 0;

  if (text != NULL)
    g_ascii_string_to_unsigned (g_strstrip (text), 10, 1, G_MAXINT, &pid, NULL);
  return (GPid) pid;
}

/* The program name of @pid, "" when it is gone. */
static char *
comm_of (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/comm", pid);
  g_autofree char *text = read_file (path);

  return g_strdup (text ? g_strstrip (text) : "");
}

/* A helper that must run: alive, named @comm, from this case's folder. */
static GPid
assert_helper_running (Fixture *f, VmdDomain *d, const char *pidfile, const char *comm)
{
  GPid pid = runtime_pid (f, d, pidfile);
  g_autofree char *name = NULL;
  g_autofree char *cmd = NULL;

  CHECK (pid > 0, "“%s” runs but %s/%s/%s holds no PID", vmd_domain_get_name (d), f->run,
         vmd_domain_get_uuid (d), pidfile);
  remember_pid (f, pid);
  name = comm_of (pid);
  CHECK (!pid_gone (pid) && g_str_has_prefix (name, comm),
         "the %s of “%s” (PID %d from %s) is not running (it is “%s”)", comm,
         vmd_domain_get_name (d), pid, pidfile, name);
  cmd = command_of (pid, 0);
  CHECK (strstr (cmd, f->tmp) != NULL, "the %s %d does not work in this case's folder: %s", comm,
         pid, cmd);
  return pid;
}

static void
wait_helper_gone (GPid pid, const char *what)
{
  if (!spin_until (pid_gone_cb, GINT_TO_POINTER (pid), 5000))
    {
      g_autofree char *cmd = command_of (pid, 300);
      FAIL ("%s: the process %d is still there after 5 s: %s", what, pid, cmd);
    }
}

static void
assert_mode (const char *path, guint mode)
{
  GStatBuf st;

  CHECK (g_stat (path, &st) == 0, "%s does not exist", path);
  CHECK ((st.st_mode & 0777) == mode, "%s has the mode %03o, not %03o", path, st.st_mode & 0777,
         mode);
}

/* ================================================================ cases */

#define TPM_XML "<tpm model='tpm-tis'><backend type='emulator' version='2.0'/></tpm>"

/* 1. An emulated TPM: swtpm runs beside QEMU, QEMU has the TPM, destroy
 *    takes swtpm along, and the state folder stays for the next start. */
static void
case_tpm (Fixture *f)
{
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "vm-tpm", TPM_XML);
  g_autofree char *state = g_build_filename (f->data, "tpm", vmd_domain_get_uuid (d), NULL);
  g_autofree char *reply = NULL;
  GPid swtpm, swtpm2, qemu;

  DOM_OK (d, start, VMD_START_NONE);
  qemu = qemu_pid (f, d);
  swtpm = assert_helper_running (f, d, "swtpm.pid", "swtpm");
  assert_mode (state, 0700);
  step (f, "started; swtpm %d runs, its state in %s", swtpm, state);

  reply = qmp_on_second_monitor (f, d, "query-tpm", NULL);
  CHECK (strstr (reply, "\"emulator\"") != NULL && strstr (reply, "tpm-tis") != NULL,
         "query-tpm does not list the emulated TPM: %s", reply);
  step (f, "query-tpm: %s", reply);

  DOM_OK (d, destroy);
  wait_helper_gone (swtpm, "after forcing the VM off");
  CHECK (g_file_test (state, G_FILE_TEST_IS_DIR), "the TPM state %s went with the VM", state);
  step (f, "forced off; swtpm is gone, the state folder stays");

  wait_pid_gone (qemu, 5000, "after forcing the VM off");
  DOM_OK (d, start, VMD_START_NONE);
  qemu = qemu_pid (f, d);
  swtpm2 = assert_helper_running (f, d, "swtpm.pid", "swtpm");
  CHECK (swtpm2 != swtpm, "the second start reuses the swtpm PID %d", swtpm);
  step (f, "started again on the same state; swtpm %d", swtpm2);

  DOM_OK (d, destroy);
  wait_helper_gone (swtpm2, "after the second forced off");
  wait_pid_gone (qemu, 5000, "after the second forced off");
  assert_no_stray_qemu (f, 0, "at the end");
  step (f, "forced off again; nothing of the VM runs");
}

/* 2. swtpm not available: a clear error, nothing left running. */
static void
case_tpm_missing (Fixture *f)
{
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "vm-notpm", TPM_XML);
  g_autoptr (GError) error = NULL;

  g_setenv ("VMDESK_SWTPM", "/nonexistent/swtpm", TRUE);
  error = DOM_CALL (d, start, VMD_START_NONE);
  g_unsetenv ("VMDESK_SWTPM");
  CHECK (error != NULL, "“%s” started without swtpm", vmd_domain_get_name (d));
  CHECK (strstr (error->message, "swtpm is not installed") != NULL &&
         strstr (error->message, "“swtpm” package") != NULL,
         "the error does not say that swtpm is missing: %s", error->message);
  CHECK (vmd_domain_get_state (d) == VMD_DOMAIN_STATE_SHUTOFF, "after the failed start it is %s",
         state_name (vmd_domain_get_state (d)));
  spin_for (200);
  assert_no_stray_qemu (f, 0, "after the failed start");
  step (f, "refused: %s", error->message);
}

/* 3. A virtiofs shared folder: virtiofsd serves it while the VM runs. */
static void
case_virtiofs (Fixture *f)
{
  g_autofree char *share = g_build_filename (f->tmp, "share", NULL);
  g_autofree char *file = g_build_filename (share, "hello.txt", NULL);
  g_autofree char *missing = g_build_filename (f->tmp, "no-such-folder", NULL);
  g_autofree char *fs_xml = NULL;
  g_autofree char *bad_xml = NULL;
  g_autoptr (VmdDomain) d = NULL;
  g_autoptr (VmdDomain) bad = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *socket = NULL;
  GPid virtiofsd, qemu;

  if (g_access ("/usr/lib/qemu/virtiofsd", X_OK) != 0 &&
      g_access ("/usr/libexec/virtiofsd", X_OK) != 0)
    {
      g_test_skip ("virtiofsd is not installed");
      return;
    }
  g_mkdir (share, 0700);
  write_file (file, "shared\n", 0600);
  fs_xml = g_strdup_printf ("<filesystem type='mount' accessmode='passthrough'>"
                            "<driver type='virtiofs'/><source dir='%s'/>"
                            "<target dir='share'/></filesystem>", share);
  d = define_guest (f, f->conn, "vm-fs", fs_xml);

  DOM_OK (d, start, VMD_START_NONE);
  qemu = qemu_pid (f, d);
  virtiofsd = assert_helper_running (f, d, "virtiofs-fs0.pid", "virtiofsd");
  socket = g_build_filename (f->run, vmd_domain_get_uuid (d), "virtiofs-fs0.sock", NULL);
  CHECK (g_file_test (socket, G_FILE_TEST_EXISTS), "%s is not there", socket);
  step (f, "started; virtiofsd %d serves %s", virtiofsd, share);

  DOM_OK (d, destroy);
  wait_helper_gone (virtiofsd, "after forcing the VM off");
  wait_pid_gone (qemu, 5000, "after forcing the VM off");
  assert_no_stray_qemu (f, 0, "after forcing the VM off");
  step (f, "forced off; virtiofsd is gone");

  /* A folder that is not there: said before anything runs. */
  bad_xml = g_strdup_printf ("<filesystem type='mount' accessmode='passthrough'>"
                             "<driver type='virtiofs'/><source dir='%s'/>"
                             "<target dir='share'/></filesystem>", missing);
  bad = define_guest (f, f->conn, "vm-fs-missing", bad_xml);
  error = DOM_CALL (bad, start, VMD_START_NONE);
  CHECK (error != NULL && strstr (error->message, missing) != NULL &&
         strstr (error->message, "does not exist") != NULL,
         "starting with a missing shared folder: %s", error ? error->message : "it started");
  assert_no_stray_qemu (f, 0, "after the refused start");
  step (f, "a missing folder is refused: %s", error->message);
}

/* 4. Set before the CPUs run: <link state='down'/> (the guest sees no
 *    carrier on that NIC only), the VNC password of a VNC server on an
 *    address, the balloon's statistics period. */
static void
case_link_down (Fixture *f)
{
  const char *nics = "<interface type='user'><mac address='52:54:00:00:00:01'/>"
                     "<model type='virtio'/><link state='down'/></interface>"
                     "<interface type='user'><mac address='52:54:00:00:00:02'/>"
                     "<model type='virtio'/></interface>"
                     "<memballoon model='virtio'><stats period='7'/></memballoon>";
  GuestSpec spec = { .name = "vm-link", .kernel = TRUE, .disk = f->disk, .extra = nics };
  g_autofree char *xml = guest_xml (&spec);
  g_autofree char *xml2 = NULL;
  g_autofree char *reply = NULL;
  g_autoptr (VmdDomain) d = NULL;
  Serial *s;

  {
    g_auto (GStrv) parts = g_strsplit (xml, "<graphics type='vnc'/>", 2);
    CHECK (parts[1] != NULL, "the guest XML has no <graphics type='vnc'/>");
    xml2 = g_strjoin ("<graphics type='vnc' autoport='yes' listen='127.0.0.1' passwd='s3cret'/>",
                      parts[0], parts[1], NULL);
  }
  d = define_xml (f->conn, xml2);
  s = boot (f, d, "VMDESK-GUEST-READY kernel");
  step (f, "booted");

  reply = qmp_on_second_monitor (f, d, "query-vnc", NULL);
  CHECK (strstr (reply, "\"auth\":\"vnc\"") != NULL && strstr (reply, "127.0.0.1") != NULL,
         "the VNC server does not ask for a password: %s", reply);
  g_free (reply);
  reply = qmp_on_second_monitor (f, d, "qom-get",
                                 "{\"path\":\"/machine/peripheral/balloon0\","
                                 "\"property\":\"guest-stats-polling-interval\"}");
  CHECK (g_str_equal (reply, "7"), "the balloon's statistics period is %s, not 7", reply);
  step (f, "VNC on 127.0.0.1 with a password; balloon stats every 7 s");
  /* Short lines: the guest's terminal wraps the echo at 80 columns. */
  serial_cmd (s, "ifconfig eth0 up; ifconfig eth1 up", NULL, CMD_TIMEOUT);
  serial_cmd (s, "cd /sys/class/net", NULL, CMD_TIMEOUT);
  serial_cmd (s, "for n in e*;do echo C$(cat $n/address)=$(cat $n/carrier);done",
              "C52:54:00:00:00:02=1", CMD_TIMEOUT);
  CHECK (strstr (s->text->str, "C52:54:00:00:00:01=0") != NULL,
         "the NIC with <link state='down'/> has a carrier; the guest says:\n%s",
         serial_tail (s));
  step (f, "the guest sees the first NIC down, the second up");
  DOM_OK (d, destroy);
}

/* ============================================================== harness */

static const EngineCase cases[] = {
  { "tpm", case_tpm, 60 },
  { "tpm-missing", case_tpm_missing, 30 },
  { "virtiofs", case_virtiofs, 60 },
  { "link-down", case_link_down, 90 },
};

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  return engine_test_main (argc, argv, "/engine", cases, G_N_ELEMENTS (cases));
}
