/* test-kvm-probe.c: the KVM probe, on this machine's real KVM and with fakes
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * VMDESK_EXPECT_KVM=works|broken|missing|no-access says what the real probe
 * must find here; without it, works or broken is accepted where /dev/kvm
 * exists and missing where it does not. The fake-QEMU cases point the
 * probe's device check at /dev/null (VMDESK_KVM_DEVICE), which anyone may
 * open, so that they reach the QEMU step on any machine.
 */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmd-kvm-probe.h"

/* Everything the probe makes in TMPDIR goes here; it must end up empty. */
static char *private_tmp;
static char *work_dir;

typedef struct {
  VmdKvmStatus  status;
  char         *message;
  GError       *error;
  gint64        elapsed_us;
} ProbeResult;

static void
probe_result_clear (ProbeResult *r)
{
  g_clear_pointer (&r->message, g_free);
  g_clear_error (&r->error);
}

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static ProbeResult
probe (const char *qemu, const char *cache_dir, gboolean force, GCancellable *cancellable)
{
  g_autoptr (GAsyncResult) result = NULL;
  ProbeResult r = { 0 };
  gint64 start = g_get_monotonic_time ();

  vmd_kvm_probe_async (qemu, cache_dir, force, cancellable, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  r.status = vmd_kvm_probe_finish (result, &r.message, &r.error);
  r.elapsed_us = g_get_monotonic_time () - start;
  g_test_message ("probe: %s in %" G_GINT64_FORMAT " ms: %s%s",
                  vmd_kvm_status_to_string (r.status), r.elapsed_us / 1000,
                  r.message ? r.message : "", r.error ? r.error->message : "");
  return r;
}

static void
rm_rf (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        rm_rf (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* No process is left whose command line names our private TMPDIR (the
 * probe's socket and firmware live there), and the given one is gone. */
static void
assert_no_probe_process (GPid pid)
{
  g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  if (pid > 0)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%d", pid);
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    }

  g_assert_nonnull (proc);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *cmdline = NULL;
      gsize len;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_build_filename ("/proc", name, "cmdline", NULL);
      if (!g_file_get_contents (path, &cmdline, &len, NULL) || len == 0)
        continue;
      for (gsize i = 0; i + 1 < len; i++)
        if (cmdline[i] == '\0')
          cmdline[i] = ' ';
      if (strstr (cmdline, private_tmp) != NULL)
        g_error ("process %s is left over: %s", name, cmdline);
    }
}

static void
assert_tmp_empty (void)
{
  g_autoptr (GDir) dir = g_dir_open (private_tmp, 0, NULL);

  g_assert_nonnull (dir);
  g_assert_null (g_dir_read_name (dir));
}

static char *
make_cache_dir (const char *name)
{
  return g_build_filename (work_dir, name, NULL);
}

static char *
write_fake_qemu (const char *name, const char *body)
{
  g_autofree char *path = g_build_filename (work_dir, name, NULL);
  g_autofree char *script = g_strdup_printf ("#!/bin/sh\n%s\n", body);

  g_assert_true (g_file_set_contents (path, script, -1, NULL));
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  return g_steal_pointer (&path);
}

/* ---- the real probe -------------------------------------------------- */

static void
test_real_probe (void)
{
  g_autofree char *cache_dir = make_cache_dir ("cache-real");
  g_autofree char *cache_file = g_build_filename (cache_dir, "kvm-probe.ini", NULL);
  const char *expect = g_getenv ("VMDESK_EXPECT_KVM");
  gboolean have_kvm = g_file_test ("/dev/kvm", G_FILE_TEST_EXISTS);
  g_autofree char *qemu = g_find_program_in_path ("qemu-system-x86_64");
  ProbeResult r, cached;
  GPid pid;

  if (qemu == NULL)
    {
      g_test_skip ("qemu-system-x86_64 is not installed");
      return;
    }

  r = probe (NULL, cache_dir, TRUE, NULL);
  g_assert_no_error (r.error);
  g_assert_nonnull (r.message);
  g_assert_cmpint (r.elapsed_us, <, 5 * G_USEC_PER_SEC);
  g_test_message ("KVM on this machine: %s (%.0f ms): %s", vmd_kvm_status_to_string (r.status),
                  r.elapsed_us / 1000.0, r.message);

  if (expect != NULL && *expect != '\0')
    g_assert_cmpstr (vmd_kvm_status_to_string (r.status), ==, expect);
  else if (have_kvm)
    g_assert_true (r.status == VMD_KVM_WORKS || r.status == VMD_KVM_BROKEN ||
                   r.status == VMD_KVM_NO_ACCESS);
  else
    g_assert_cmpint (r.status, ==, VMD_KVM_MISSING);

  if (r.status == VMD_KVM_BROKEN)
    {
      g_assert_cmpstr (r.message, ==,
                       "KVM is present but cannot run guests on this computer (it stopped a test guest with an internal error); virtual machines will use software emulation (TCG).");
      g_assert_cmpstr (vmd_kvm_status_to_domain_type (r.status), ==, "qemu");
    }
  if (r.status == VMD_KVM_WORKS)
    g_assert_cmpstr (vmd_kvm_status_to_domain_type (r.status), ==, "kvm");

  pid = vmd_kvm_probe_get_last_pid ();
  if (r.status == VMD_KVM_WORKS || r.status == VMD_KVM_BROKEN)
    {
      g_assert_cmpint (pid, >, 0);
      g_assert_true (g_file_test (cache_file, G_FILE_TEST_EXISTS));
    }
  assert_no_probe_process (pid);
  assert_tmp_empty ();

  /* The second time comes from the cache, without starting QEMU. */
  cached = probe (NULL, cache_dir, FALSE, NULL);
  g_assert_no_error (cached.error);
  g_assert_cmpint (cached.status, ==, r.status);
  g_assert_cmpstr (cached.message, ==, r.message);
  if (r.status == VMD_KVM_WORKS || r.status == VMD_KVM_BROKEN)
    {
      g_assert_cmpint (cached.elapsed_us, <, 50 * 1000);
      g_assert_cmpint (vmd_kvm_probe_get_last_pid (), ==, pid);
    }

  probe_result_clear (&r);
  probe_result_clear (&cached);
}

/* A cache written for another kernel is not believed. */
static void
test_cache_key (void)
{
  g_autofree char *cache_dir = make_cache_dir ("cache-key");
  g_autofree char *cache_file = g_build_filename (cache_dir, "kvm-probe.ini", NULL);
  g_autofree char *qemu = g_find_program_in_path ("qemu-system-x86_64");
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) error = NULL;
  ProbeResult r, again;
  VmdKvmStatus other;
  GPid pid;

  if (qemu == NULL || !g_file_test ("/dev/kvm", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("needs qemu-system-x86_64 and /dev/kvm");
      return;
    }

  r = probe (NULL, cache_dir, TRUE, NULL);
  g_assert_no_error (r.error);
  if (r.status != VMD_KVM_WORKS && r.status != VMD_KVM_BROKEN)
    {
      g_test_skip ("no guest ran, so nothing was cached");
      probe_result_clear (&r);
      return;
    }

  /* Claim the opposite, for another kernel. */
  other = r.status == VMD_KVM_WORKS ? VMD_KVM_BROKEN : VMD_KVM_WORKS;
  g_assert_true (g_key_file_load_from_file (kf, cache_file, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  g_key_file_set_string (kf, "kvm-probe", "status", vmd_kvm_status_to_string (other));
  g_key_file_set_string (kf, "kvm-probe", "kernel", "0.0.0-another-kernel");
  g_assert_true (g_key_file_save_to_file (kf, cache_file, &error));
  g_assert_no_error (error);

  pid = vmd_kvm_probe_get_last_pid ();
  again = probe (NULL, cache_dir, FALSE, NULL);
  g_assert_no_error (again.error);
  g_assert_cmpint (again.status, ==, r.status);
  g_assert_cmpint (vmd_kvm_probe_get_last_pid (), !=, pid);
  assert_no_probe_process (vmd_kvm_probe_get_last_pid ());

  /* With the right kernel, the cached claim is used as it is. */
  g_assert_true (g_key_file_load_from_file (kf, cache_file, G_KEY_FILE_NONE, &error));
  g_key_file_set_string (kf, "kvm-probe", "status", vmd_kvm_status_to_string (other));
  g_assert_true (g_key_file_save_to_file (kf, cache_file, &error));
  probe_result_clear (&again);
  again = probe (NULL, cache_dir, FALSE, NULL);
  g_assert_cmpint (again.status, ==, other);

  probe_result_clear (&r);
  probe_result_clear (&again);
  assert_tmp_empty ();
}

/* ---- the guest's side, with TCG standing in for a KVM that works ----- */

/* A QEMU that runs the probe with TCG instead of KVM: the firmware's
 * checks pass and it reports success through isa-debug-exit. */
static void
test_tcg_stand_in_works (void)
{
  g_autofree char *real = g_find_program_in_path ("qemu-system-x86_64");
  g_autofree char *cache_dir = make_cache_dir ("cache-tcg");
  g_autofree char *cache_file = g_build_filename (cache_dir, "kvm-probe.ini", NULL);
  g_autofree char *body = NULL;
  g_autofree char *qemu = NULL;
  ProbeResult r;

  if (real == NULL)
    {
      g_test_skip ("qemu-system-x86_64 is not installed");
      return;
    }
  body = g_strdup_printf ("for a; do shift; [ \"$a\" = kvm ] && a=tcg; set -- \"$@\" \"$a\"; done\n"
                          "exec '%s' \"$@\"", real);
  qemu = write_fake_qemu ("qemu-tcg", body);

  g_setenv ("VMDESK_KVM_DEVICE", "/dev/null", TRUE);
  r = probe (qemu, cache_dir, TRUE, NULL);
  g_unsetenv ("VMDESK_KVM_DEVICE");

  g_assert_no_error (r.error);
  g_assert_cmpint (r.status, ==, VMD_KVM_WORKS);
  g_assert_cmpstr (r.message, ==, "KVM works: a test guest ran with hardware virtualization.");
  /* The guest said so itself: no waiting for two seconds of running. */
  g_assert_cmpint (r.elapsed_us, <, 1500 * 1000);
  g_assert_true (g_file_test (cache_file, G_FILE_TEST_EXISTS));
  assert_no_probe_process (vmd_kvm_probe_get_last_pid ());
  assert_tmp_empty ();
  probe_result_clear (&r);
}

/* Without our firmware (SeaBIOS, which finds nothing to boot), the guest
 * never reports; still running after two seconds counts as working. */
static void
test_tcg_stand_in_keeps_running (void)
{
  g_autofree char *real = g_find_program_in_path ("qemu-system-x86_64");
  g_autofree char *cache_dir = make_cache_dir ("cache-tcg2");
  g_autofree char *body = NULL;
  g_autofree char *qemu = NULL;
  ProbeResult r;
  GPid pid;

  if (real == NULL)
    {
      g_test_skip ("qemu-system-x86_64 is not installed");
      return;
    }
  body = g_strdup_printf ("skip=\n"
                          "for a; do shift\n"
                          "  if [ -n \"$skip\" ]; then skip=; continue; fi\n"
                          "  if [ \"$a\" = -bios ]; then skip=1; continue; fi\n"
                          "  [ \"$a\" = kvm ] && a=tcg\n"
                          "  set -- \"$@\" \"$a\"\n"
                          "done\n"
                          "exec '%s' \"$@\"", real);
  qemu = write_fake_qemu ("qemu-tcg-seabios", body);

  g_setenv ("VMDESK_KVM_DEVICE", "/dev/null", TRUE);
  r = probe (qemu, cache_dir, TRUE, NULL);
  g_unsetenv ("VMDESK_KVM_DEVICE");

  g_assert_no_error (r.error);
  g_assert_cmpint (r.status, ==, VMD_KVM_WORKS);
  g_assert_cmpint (r.elapsed_us, >=, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (r.elapsed_us, <, 4 * G_USEC_PER_SEC);
  pid = vmd_kvm_probe_get_last_pid ();
  g_assert_cmpint (pid, >, 0);
  assert_no_probe_process (pid);
  assert_tmp_empty ();
  probe_result_clear (&r);
}

/* ---- fakes ----------------------------------------------------------- */

static void
test_fake_no_access (void)
{
  g_autofree char *cache_dir = make_cache_dir ("cache-fake");
  g_autofree char *cache_file = g_build_filename (cache_dir, "kvm-probe.ini", NULL);
  g_autofree char *qemu =
    write_fake_qemu ("qemu-no-access",
                     "echo 'Could not access KVM kernel module: Permission denied' >&2\n"
                     "echo 'qemu-system-x86_64: -accel kvm: failed to initialize kvm: Permission denied' >&2\n"
                     "exit 1");
  ProbeResult r;

  g_setenv ("VMDESK_KVM_DEVICE", "/dev/null", TRUE);
  r = probe (qemu, cache_dir, TRUE, NULL);
  g_unsetenv ("VMDESK_KVM_DEVICE");

  g_assert_no_error (r.error);
  g_assert_cmpint (r.status, ==, VMD_KVM_NO_ACCESS);
  g_assert_true (g_str_has_prefix (r.message,
                                   "KVM is not available: you are not allowed to use /dev/kvm; add yourself to the kvm group."));
  g_assert_nonnull (strstr (r.message, "Could not access KVM kernel module: Permission denied"));
  g_assert_cmpstr (vmd_kvm_status_to_domain_type (r.status), ==, "qemu");
  /* Not cached: it can change without anything in the key changing. */
  g_assert_false (g_file_test (cache_file, G_FILE_TEST_EXISTS));
  assert_no_probe_process (vmd_kvm_probe_get_last_pid ());
  assert_tmp_empty ();
  probe_result_clear (&r);
}

static void
test_fake_missing_module (void)
{
  g_autofree char *qemu =
    write_fake_qemu ("qemu-no-module",
                     "echo 'Could not access KVM kernel module: No such file or directory' >&2\n"
                     "echo 'qemu-system-x86_64: -accel kvm: failed to initialize kvm: No such file or directory' >&2\n"
                     "exit 1");
  g_autofree char *cache_dir = make_cache_dir ("cache-fake");
  ProbeResult r;

  g_setenv ("VMDESK_KVM_DEVICE", "/dev/null", TRUE);
  r = probe (qemu, cache_dir, TRUE, NULL);
  g_unsetenv ("VMDESK_KVM_DEVICE");

  g_assert_cmpint (r.status, ==, VMD_KVM_MISSING);
  g_assert_true (g_str_has_prefix (r.message, "KVM is not available: /dev/kvm is missing."));
  probe_result_clear (&r);
  assert_tmp_empty ();
}

static void
test_fake_other_failure (void)
{
  g_autofree char *silent = write_fake_qemu ("qemu-silent", "exit 3");
  g_autofree char *talks =
    write_fake_qemu ("qemu-talks", "echo \"${0##*/}: something else went wrong\" >&2\nexit 1");
  g_autofree char *cache_dir = make_cache_dir ("cache-fake");
  ProbeResult r;

  g_setenv ("VMDESK_KVM_DEVICE", "/dev/null", TRUE);
  r = probe (silent, cache_dir, TRUE, NULL);
  g_assert_cmpint (r.status, ==, VMD_KVM_UNKNOWN);
  g_assert_cmpstr (r.message, ==,
                   "Whether KVM works could not be found out: QEMU stopped with exit status 3 and no message.");
  probe_result_clear (&r);

  r = probe (talks, cache_dir, TRUE, NULL);
  g_assert_cmpint (r.status, ==, VMD_KVM_UNKNOWN);
  g_assert_cmpstr (r.message, ==,
                   "Whether KVM works could not be found out: QEMU stopped with this message: something else went wrong");
  probe_result_clear (&r);

  r = probe ("/nonexistent/qemu-system-x86_64", cache_dir, TRUE, NULL);
  g_assert_cmpint (r.status, ==, VMD_KVM_UNKNOWN);
  g_assert_cmpstr (r.message, ==,
                   "Whether KVM works could not be found out: QEMU (/nonexistent/qemu-system-x86_64) is not installed.");
  probe_result_clear (&r);
  g_unsetenv ("VMDESK_KVM_DEVICE");
  assert_tmp_empty ();
}

static void
test_device_missing (void)
{
  g_autofree char *cache_dir = make_cache_dir ("cache-fake");
  g_autofree char *qemu = write_fake_qemu ("qemu-never-run", "touch \"$0.ran\"\nexit 1");
  g_autofree char *ran = g_strconcat (qemu, ".ran", NULL);
  ProbeResult r;

  g_setenv ("VMDESK_KVM_DEVICE", "/nonexistent/kvm", TRUE);
  r = probe (qemu, cache_dir, FALSE, NULL);
  g_unsetenv ("VMDESK_KVM_DEVICE");

  g_assert_no_error (r.error);
  g_assert_cmpint (r.status, ==, VMD_KVM_MISSING);
  g_assert_cmpstr (r.message, ==,
                   "KVM is not available: /nonexistent/kvm is missing. Enable virtualization (VT-x or AMD-V) in the firmware settings and load the kvm module.");
  g_assert_false (g_file_test (ran, G_FILE_TEST_EXISTS));
  g_assert_cmpint (r.elapsed_us, <, G_USEC_PER_SEC);
  probe_result_clear (&r);
}

static gboolean
cancel_later (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

/* A QEMU that never answers: cancelled, it is killed and reaped. */
static void
test_cancel_kills (void)
{
  g_autofree char *qemu = write_fake_qemu ("qemu-hangs", "exec sleep 60");
  g_autofree char *cache_dir = make_cache_dir ("cache-fake");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  ProbeResult r;
  GPid pid;

  g_setenv ("VMDESK_KVM_DEVICE", "/dev/null", TRUE);
  g_timeout_add (300, cancel_later, cancellable);
  r = probe (qemu, cache_dir, TRUE, cancellable);
  g_unsetenv ("VMDESK_KVM_DEVICE");

  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (r.status, ==, VMD_KVM_UNKNOWN);
  g_assert_null (r.message);
  g_assert_cmpint (r.elapsed_us, <, 2 * G_USEC_PER_SEC);
  pid = vmd_kvm_probe_get_last_pid ();
  g_assert_cmpint (pid, >, 0);
  assert_no_probe_process (pid);
  assert_tmp_empty ();
  probe_result_clear (&r);

  /* Cancelled before it starts. */
  g_setenv ("VMDESK_KVM_DEVICE", "/dev/null", TRUE);
  r = probe (qemu, cache_dir, TRUE, cancellable);
  g_unsetenv ("VMDESK_KVM_DEVICE");
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_tmp_empty ();
  probe_result_clear (&r);
}

/* A QEMU that never answers and is not cancelled: the probe gives up. */
static void
test_timeout_kills (void)
{
  g_autofree char *qemu = write_fake_qemu ("qemu-hangs", "exec sleep 60");
  g_autofree char *cache_dir = make_cache_dir ("cache-fake");
  ProbeResult r;

  g_setenv ("VMDESK_KVM_DEVICE", "/dev/null", TRUE);
  r = probe (qemu, cache_dir, TRUE, NULL);
  g_unsetenv ("VMDESK_KVM_DEVICE");

  g_assert_no_error (r.error);
  g_assert_cmpint (r.status, ==, VMD_KVM_UNKNOWN);
  g_assert_cmpstr (r.message, ==,
                   "Whether KVM works could not be found out: QEMU did not run the test guest within 4 seconds.");
  g_assert_cmpint (r.elapsed_us, <, 6 * G_USEC_PER_SEC);
  assert_no_probe_process (vmd_kvm_probe_get_last_pid ());
  assert_tmp_empty ();
  probe_result_clear (&r);
}

static void
test_domain_type (void)
{
  g_assert_cmpstr (vmd_kvm_status_to_domain_type (VMD_KVM_WORKS), ==, "kvm");
  g_assert_cmpstr (vmd_kvm_status_to_domain_type (VMD_KVM_BROKEN), ==, "qemu");
  g_assert_cmpstr (vmd_kvm_status_to_domain_type (VMD_KVM_MISSING), ==, "qemu");
  g_assert_cmpstr (vmd_kvm_status_to_domain_type (VMD_KVM_NO_ACCESS), ==, "qemu");
  g_assert_cmpstr (vmd_kvm_status_to_domain_type (VMD_KVM_UNKNOWN), ==, "qemu");
}

int
main (int argc, char **argv)
{
  const char *tmp = g_getenv ("TMPDIR");
  int ret;

  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_unsetenv ("VMDESK_QEMU");
  g_unsetenv ("VMDESK_KVM_DEVICE");

  /* Before anything asks GLib for the temporary folder: the probe's goes
   * into ours, so that leftovers can be seen. */
  work_dir = g_build_filename (tmp != NULL && *tmp != '\0' ? tmp : "/tmp",
                               "vmdesk-test-kvm-probe-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (work_dir));
  private_tmp = g_build_filename (work_dir, "tmp", NULL);
  g_assert_cmpint (g_mkdir (private_tmp, 0700), ==, 0);
  g_setenv ("TMPDIR", private_tmp, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kvm-probe/real", test_real_probe);
  g_test_add_func ("/kvm-probe/cache-key", test_cache_key);
  g_test_add_func ("/kvm-probe/tcg-stand-in-works", test_tcg_stand_in_works);
  g_test_add_func ("/kvm-probe/tcg-stand-in-keeps-running", test_tcg_stand_in_keeps_running);
  g_test_add_func ("/kvm-probe/fake-no-access", test_fake_no_access);
  g_test_add_func ("/kvm-probe/fake-missing-module", test_fake_missing_module);
  g_test_add_func ("/kvm-probe/fake-other-failure", test_fake_other_failure);
  g_test_add_func ("/kvm-probe/device-missing", test_device_missing);
  g_test_add_func ("/kvm-probe/cancel-kills", test_cancel_kills);
  g_test_add_func ("/kvm-probe/timeout-kills", test_timeout_kills);
  g_test_add_func ("/kvm-probe/domain-type", test_domain_type);

  ret = g_test_run ();

  rm_rf (work_dir);
  g_free (work_dir);
  g_free (private_tmp);
  return ret;
}
