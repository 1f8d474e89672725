/* test-devices.c: the device editors and Add Hardware, under Xvfb, on the
 * real engine and the real test guest (TCG)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Without a guest: the sidebar labels (vmd_device_describe()) and the
 * inline validation (a disk image that does not exist, a MAC address
 * another NIC has). With the engine (tests/engine/engine-fixture.c: each
 * case in a child process, everything it started killed by PID after):
 * a disk added through Add Hardware's widgets with a new image, saved and
 * found in the definition; a CD-ROM medium inserted and ejected on the
 * running guest through the editor's apply_live (tray events, query-block);
 * a NIC from Add Hardware hot-added (QOM) and its link taken down and up
 * (the guest's carrier); a MAC another VM of the connection has.
 *
 * Environment (tests/gui/meson.build): VMD_GUEST_DIR, VMD_GUEST_BUILDER,
 * VMDESK_CLI, VMD_SHOT_DIR (where the screenshots go).
 */
#define G_LOG_DOMAIN "test-devices"

#include "gui-fixture.h"
#include "vmd-add-hardware-dialog.h"
#include "vmd-device-editor.h"
#include "vmd-image.h"
#include "vmd-qemu-argv.h"

/* --------------------------------------------------------- widgets */

static const char *
accessible_name (GtkWidget *widget)
{
  return atk_object_get_name (gtk_widget_get_accessible (widget));
}

static gboolean
visible_with_text (gpointer data)
{
  GtkWidget *label = data;

  return gtk_widget_get_visible (label) && gtk_label_get_text (GTK_LABEL (label))[0] != '\0';
}

static gboolean
is_sensitive (gpointer data)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (data));
}

static gboolean
is_insensitive (gpointer data)
{
  return !gtk_widget_get_sensitive (GTK_WIDGET (data));
}

typedef struct {
  GtkLabel   *label;
  const char *needle;
} LabelWait;

static gboolean
label_has (gpointer data)
{
  LabelWait *w = data;

  return strstr (gtk_label_get_text (w->label), w->needle) != NULL;
}

static void
wait_label (GtkWidget *label, const char *needle, guint timeout_ms, const char *when)
{
  LabelWait w = { GTK_LABEL (label), needle };

  if (!spin_until (label_has, &w, timeout_ms))
    FAIL ("%s: the label “%s” says “%s”, not “%s”, after %u ms", when,
          gtk_widget_get_name (label), gtk_label_get_text (GTK_LABEL (label)), needle,
          timeout_ms);
}

static void
on_response (GtkDialog *dialog, int response, gpointer data)
{
  *(int *) data = response;
}

static gboolean
responded (gpointer data)
{
  return *(int *) data != GTK_RESPONSE_NONE;
}

/* Finish, and the dialog's answer once it made what the device needs. */
static VmdDevice *
finish_dialog (GtkWidget *dialog)
{
  GtkWidget *finish = find_named (dialog, "Finish");
  int response = GTK_RESPONSE_NONE;
  VmdDevice *device;

  if (!spin_until (is_sensitive, finish, 10000))
    FAIL ("Finish stays insensitive: %s",
          gtk_label_get_text (GTK_LABEL (find_named (dialog, "Add Hardware message"))));
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), &response);
  gtk_button_clicked (GTK_BUTTON (finish));
  if (!spin_until (responded, &response, 60000))
    FAIL ("the dialog did not answer within 60 s of Finish");
  CHECK (response == GTK_RESPONSE_ACCEPT, "the dialog answered %d, not ACCEPT", response);
  device = vmd_add_hardware_dialog_get_device (VMD_ADD_HARDWARE_DIALOG (dialog));
  CHECK (device != NULL, "the dialog accepted without a device");
  return g_object_ref (device);
}

static VmdDevice *
find_disk (VmdDomainConfig *config, const char *device_kind)
{
  g_autoptr (GPtrArray) disks = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_DISK);

  for (guint i = 0; i < disks->len; i++)
    {
      g_autofree char *kind = vmd_device_disk_get_device (g_ptr_array_index (disks, i));
      if (g_strcmp0 (kind, device_kind) == 0)
        return g_object_ref (g_ptr_array_index (disks, i));
    }
  FAIL ("the definition has no %s", device_kind);
  return NULL;
}

static VmdDevice *
find_nic (VmdDomainConfig *config, const char *mac)
{
  g_autoptr (GPtrArray) nics = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_INTERFACE);

  for (guint i = 0; i < nics->len; i++)
    {
      g_autofree char *other = vmd_device_interface_get_mac (g_ptr_array_index (nics, i));
      if (g_strcmp0 (other, mac) == 0)
        return g_object_ref (g_ptr_array_index (nics, i));
    }
  FAIL ("the definition has no NIC with MAC %s", mac);
  return NULL;
}

/* The editor of @device in @window, shown. */
static VmdDeviceEditor *
show_editor (GtkWidget *window, VmdDomainConfig *config, VmdDevice *device, VmdDomain *d)
{
  VmdDeviceEditor *editor = vmd_device_editor_new (config, device, d);

  gtk_container_add (GTK_CONTAINER (window), GTK_WIDGET (editor));
  gtk_widget_show_all (window);
  return editor;
}

/* store(), live_support(), apply_live() as the Details view does them. */
static VmdLiveSupport
apply (VmdDeviceEditor *editor, VmdDomain *d, VmdDevice *before, const char *what)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  VmdLiveSupport live;

  if (!vmd_device_editor_store (editor, &error))
    FAIL ("%s: store() refused: %s", what, error->message);
  live = vmd_device_editor_live_support (editor, before);
  CHECK (live != VMD_LIVE_NONE, "%s: live_support() says none of it can be done live", what);
  vmd_device_editor_apply_live_async (editor, d, before, NULL, store_result, &result);
  if (!vmd_device_editor_apply_live_finish (editor, await_result (&result, OP_TIMEOUT, what),
                                            &error))
    FAIL ("%s: apply_live failed: %s", what, error->message);
  return live;
}

/* ===================================================== without a guest */

#define DESCRIBE_XML                                                           \
  "<domain type='qemu'><name>describe</name><memory>131072</memory>"          \
  "<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>"             \
  "<disk type='file' device='disk'><source file='/a.qcow2'/><target dev='vda' bus='virtio'/></disk>" \
  "<disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/></disk>" \
  "<disk type='file' device='disk'><source file='/b.qcow2'/><target dev='vdb' bus='virtio'/></disk>" \
  "<interface type='user'><mac address='52:54:00:3f:12:0a'/><model type='virtio'/></interface>" \
  "<interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/></interface>" \
  "<graphics type='vnc'/><video><model type='virtio'/></video>"                \
  "<input type='tablet' bus='usb'/><serial type='pty'><target port='0'/></serial>" \
  "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>" \
  "<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>"        \
  "<hostdev mode='subsystem' type='usb'><source><vendor id='0x046d'/><product id='0xc52b'/></source></hostdev>" \
  "</devices></domain>"

static void
expect_label (VmdDomainConfig *config, VmdDevice *device, const char *label, const char *icon)
{
  const char *icon_name = NULL;
  g_autofree char *text = vmd_device_describe (config, device, &icon_name);

  g_assert_cmpstr (text, ==, label);
  g_assert_cmpstr (icon_name, ==, icon);
}

static void
test_describe (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdDomainConfig) config = vmd_domain_config_new_from_xml (DESCRIBE_XML, -1, &error);
  g_autoptr (GPtrArray) disks = NULL;
  g_autoptr (GPtrArray) nics = NULL;
  g_autoptr (VmdDeviceDisk) extra = vmd_device_disk_new ();
  const char *kinds[][3] = {
    { "graphics", "Display VNC", "video-display" },
    { "video", "Video VIRTIO", "video-display" },
    { "input", "USB Tablet", "input-tablet" },
    { "serial", "Serial 1", "utilities-terminal" },
    { "channel", "Channel (QEMU guest agent)", "utilities-terminal" },
    { "tpm", "TPM v2.0", "security-high" },
    { "hostdev", "USB 046d:c52b", "media-removable" },
  };

  g_assert_no_error (error);
  disks = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_DISK);
  expect_label (config, g_ptr_array_index (disks, 0), "VirtIO Disk 1", "drive-harddisk");
  expect_label (config, g_ptr_array_index (disks, 1), "SATA CDROM 1", "media-optical");
  expect_label (config, g_ptr_array_index (disks, 2), "VirtIO Disk 2", "drive-harddisk");
  /* A new disk, not yet in the definition, comes after the others. */
  vmd_device_disk_set_device (extra, "disk");
  vmd_device_disk_set_target_bus (extra, "virtio");
  expect_label (config, VMD_DEVICE (extra), "VirtIO Disk 3", "drive-harddisk");

  nics = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_INTERFACE);
  expect_label (config, g_ptr_array_index (nics, 0), "NIC :3f:12:0a", "network-wired");
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr (GPtrArray) all = vmd_domain_config_get_devices_of_kind (config, kinds[i][0]);
      g_assert_cmpuint (all->len, ==, 1);
      expect_label (config, g_ptr_array_index (all, 0), kinds[i][1], kinds[i][2]);
    }
}

static void
test_validation (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdDomainConfig) config = vmd_domain_config_new_from_xml (DESCRIBE_XML, -1, &error);
  g_autoptr (GPtrArray) disks = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_DISK);
  g_autoptr (GPtrArray) nics = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_INTERFACE);
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  GtkWidget *dialog;
  VmdDeviceEditor *editor;
  GtkWidget *message;

  g_assert_no_error (error);

  /* A disk whose image is not there. */
  editor = show_editor (window, config, g_ptr_array_index (disks, 0), NULL);
  g_assert_cmpstr (accessible_name (find_named (editor, "Source")), ==, "Source");
  gtk_entry_set_text (GTK_ENTRY (find_named (editor, "Source")), "/nonexistent/vmdesk/gone.qcow2");
  message = find_named (editor, "Source error");
  g_assert_cmpstr (accessible_name (message), ==, "Source error");
  if (!spin_until (visible_with_text, message, 5000))
    FAIL ("no inline message for a disk image that does not exist");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)), "does not exist"));
  g_assert_false (vmd_device_editor_store (editor, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "/nonexistent/vmdesk/gone.qcow2"));
  g_clear_error (&error);
  /* An image that is there takes the message away. */
  {
    g_autofree char *image = NULL;
    int fd = g_file_open_tmp ("vmd-devices-XXXXXX.img", &image, &error);

    g_assert_no_error (error);
    g_assert_cmpint (ftruncate (fd, 1 << 20), ==, 0);
    close (fd);
    gtk_entry_set_text (GTK_ENTRY (find_named (editor, "Source")), image);
    wait_label (find_named (editor, "Size"), "allocated", 20000, "an image that is there");
    g_assert_false (gtk_widget_get_visible (message));
    g_assert_true (vmd_device_editor_store (editor, &error));
    g_unlink (image);
  }
  gtk_widget_destroy (GTK_WIDGET (editor));

  /* A MAC address the other NIC has. */
  editor = show_editor (window, config, g_ptr_array_index (nics, 1), NULL);
  gtk_entry_set_text (GTK_ENTRY (find_named (editor, "MAC address")), "52:54:00:3f:12:0a");
  message = find_named (editor, "MAC address error");
  g_assert_true (visible_with_text (message));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)), "Another network card"));
  g_assert_false (vmd_device_editor_store (editor, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  gtk_entry_set_text (GTK_ENTRY (find_named (editor, "MAC address")), "52:54:00:3f:12");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)), "not a MAC address"));
  gtk_button_clicked (GTK_BUTTON (find_named (editor, "Regenerate")));
  g_assert_false (gtk_widget_get_visible (message));
  g_assert_true (vmd_device_editor_store (editor, &error));
  gtk_widget_destroy (window);

  /* Add Hardware keeps Finish insensitive, with the reason shown. */
  dialog = vmd_add_hardware_dialog_new (NULL, config, NULL);
  gtk_widget_show (dialog);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find_named (dialog, "Use an existing file")), TRUE);
  gtk_entry_set_text (GTK_ENTRY (find_named (dialog, "Source")), "/nonexistent/vmdesk/gone.qcow2");
  if (!spin_until (is_insensitive, find_named (dialog, "Finish"), 5000))
    FAIL ("Finish is sensitive for a disk image that does not exist");
  message = find_named (dialog, "Add Hardware message");
  if (!spin_until (visible_with_text, message, 5000))
    FAIL ("Add Hardware does not say why Finish is insensitive");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)), "does not exist"));
  vmd_add_hardware_dialog_select (VMD_ADD_HARDWARE_DIALOG (dialog), "interface");
  g_assert_true (gtk_widget_get_sensitive (find_named (dialog, "Finish")));
  /* (The second NIC got a new address above; the first keeps its own.) */
  gtk_entry_set_text (GTK_ENTRY (find_named (dialog, "MAC address")), "52:54:00:3f:12:0a");
  g_assert_false (gtk_widget_get_sensitive (find_named (dialog, "Finish")));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)), "Another network card"));
  gtk_widget_destroy (dialog);
}

/* Every device of every corpus definition: an editor opened and stored
 * without edits leaves the device as it was, and does not refuse it. */
static void
test_roundtrip (void)
{
  const char *corpus = g_getenv ("VMD_CORPUS_DIR");
  const char *folders[] = { "libvirt-qemuxml2argv", "virt-manager/xmlparse",
                            "virt-manager/cli-compare" };
  g_autoptr (GString) failures = g_string_new (NULL);
  guint configs = 0, devices = 0, refused = 0, changed = 0;

  if (corpus == NULL)
    {
      g_test_skip ("VMD_CORPUS_DIR is not set");
      return;
    }
  for (guint k = 0; k < G_N_ELEMENTS (folders); k++)
    {
      g_autofree char *path = g_build_filename (corpus, folders[k], NULL);
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *file = g_build_filename (path, name, NULL);
          g_autoptr (VmdDomainConfig) config = NULL;
          g_autoptr (GPtrArray) all = NULL;

          if (!g_str_has_suffix (name, ".xml") ||
              (k == 0 && !g_str_has_suffix (name, ".x86_64-latest.xml")))
            continue;
          config = vmd_domain_config_new_from_file (file, NULL);
          if (config == NULL)
            continue;
          configs++;
          all = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE);
          for (guint i = 0; i < all->len; i++)
            {
              VmdDevice *device = g_ptr_array_index (all, i);
              g_autofree char *before = vmd_device_to_xml (device);
              g_autofree char *after = NULL;
              g_autoptr (GError) error = NULL;
              VmdDeviceEditor *editor = vmd_device_editor_new (config, device, NULL);

              g_object_ref_sink (editor);
              devices++;
              if (!vmd_device_editor_store (editor, &error))
                {
                  if (refused++ < 15)
                    g_string_append_printf (failures, "%s: refused %s: %s\n", name, before,
                                            error->message);
                }
              else
                {
                  after = vmd_device_to_xml (device);
                  if (g_strcmp0 (before, after) != 0 && changed++ < 15)
                    g_string_append_printf (failures, "%s: changed\n%s\ninto\n%s\n", name, before,
                                            after);
                }
              gtk_widget_destroy (GTK_WIDGET (editor));
              g_object_unref (editor);
            }
        }
    }
  printf ("# %u definitions, %u devices: %u refused, %u changed\n", configs, devices, refused,
          changed);
  if (refused > 0 || changed > 0)
    FAIL ("editors stored without edits refused %u and changed %u of %u devices:\n%s", refused,
          changed, devices, failures->str);
  g_assert_cmpuint (devices, >, 1000);
}

/* Every device type of Add Hardware, with its defaults: Finish is
 * sensitive unless the type needs a choice, and the device, added, makes
 * a definition that validates and that the embedded engine can start
 * (its QEMU command line builds). */
#define EVERY_KIND_XML                                                         \
  "<domain type='qemu'><name>every-kind</name><memory>131072</memory>"        \
  "<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>"             \
  "<graphics type='spice'/><video><model type='virtio'/></video>"               \
  "</devices></domain>"

static void
test_every_kind (void)
{
  /* The types that need the user's choice before Finish. */
  const char *need_choice[] = { "usb-host", "pci-host", "filesystem" };
  const char *kinds[] = { "disk", "cdrom", "interface", "input", "graphics", "video", "sound",
                          "serial", "console", "channel", "usb-host", "pci-host", "controller",
                          "redirdev", "rng", "watchdog", "tpm", "filesystem" };
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdDomainConfig) base = vmd_domain_config_new_from_xml (EVERY_KIND_XML, -1, &error);
  g_autofree char *run = g_dir_make_tmp ("vmd-devices-XXXXXX", &error);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr (VmdDomainConfig) config = vmd_domain_config_copy (base);
      GtkWidget *dialog = vmd_add_hardware_dialog_new (NULL, config, NULL);
      GtkWidget *finish = find_named (dialog, "Finish");
      gboolean choice = FALSE;
      VmdDevice *device;
      g_auto (GStrv) argv = NULL;
      g_autofree char *swtpm = g_build_filename (run, "swtpm.sock", NULL);
      /* (The engine starts swtpm and names its socket.) */
      VmdQemuArgvOptions options = { .runtime_dir = run, .swtpm_socket = swtpm };

      for (guint j = 0; j < G_N_ELEMENTS (need_choice); j++)
        choice |= g_str_equal (kinds[i], need_choice[j]);
      gtk_widget_show (dialog);
      vmd_add_hardware_dialog_select (VMD_ADD_HARDWARE_DIALOG (dialog), kinds[i]);
      if (g_str_equal (kinds[i], "disk"))
        {
          /* An existing image rather than a new one, for this test. */
          gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find_named (dialog, "Use an existing file")),
                                        TRUE);
          gtk_entry_set_text (GTK_ENTRY (find_named (dialog, "Source")), "/dev/null");
          spin_until (is_sensitive, finish, 5000);
        }
      spin_for (50);
      if (choice)
        {
          CHECK (!gtk_widget_get_sensitive (finish), "%s: Finish is sensitive before a choice",
                 kinds[i]);
          CHECK (visible_with_text (find_named (dialog, "Add Hardware message")),
                 "%s: no word on what to choose", kinds[i]);
          if (g_str_equal (kinds[i], "usb-host"))
            {
              /* (This machine may have no USB bus at all.) */
              gtk_widget_destroy (dialog);
              continue;
            }
          if (g_str_equal (kinds[i], "pci-host"))
            {
              GtkComboBox *combo = GTK_COMBO_BOX (find_named (dialog, "PCI device"));
              GtkTreeModel *model = gtk_combo_box_get_model (combo);
              gint64 t = g_get_monotonic_time ();

              while (gtk_tree_model_iter_n_children (model, NULL) == 0 &&
                     g_get_monotonic_time () - t < 5 * G_USEC_PER_SEC)
                spin_for (50);
              CHECK (gtk_tree_model_iter_n_children (model, NULL) > 0,
                     "pci-host: the host's PCI devices are not listed");
              gtk_combo_box_set_active (combo, 0);
            }
          else
            {
              gtk_entry_set_text (GTK_ENTRY (find_named (dialog, "Host folder")), "/tmp");
              gtk_entry_set_text (GTK_ENTRY (find_named (dialog, "Mount tag")), "share");
            }
          CHECK (gtk_widget_get_sensitive (finish), "%s: Finish stays insensitive after a choice: %s",
                 kinds[i], gtk_label_get_text (GTK_LABEL (find_named (dialog, "Add Hardware message"))));
        }
      CHECK (gtk_widget_get_sensitive (finish), "%s: Finish is insensitive: %s", kinds[i],
             gtk_label_get_text (GTK_LABEL (find_named (dialog, "Add Hardware message"))));
      device = vmd_add_hardware_dialog_get_device (VMD_ADD_HARDWARE_DIALOG (dialog));
      vmd_domain_config_add_device (config, g_object_ref (device));
      if (!vmd_domain_config_validate (config, &error))
        FAIL ("%s: the definition does not validate: %s", kinds[i], error->message);
      argv = vmd_qemu_argv_build (config, &options, &error);
      if (argv == NULL)
        {
          g_autofree char *xml = vmd_device_to_xml (device);
          FAIL ("%s: the embedded engine cannot run %s: %s", kinds[i], xml, error->message);
        }
      gtk_widget_destroy (dialog);
    }
  g_rmdir (run);
}

/* What a screen reader sees of Add Hardware, through AT-SPI (pyatspi in
 * Debian's python3, as tests/gui/test-manager.py uses it). */
static const char atspi_script[] =
  "import sys, pyatspi\n"
  "pid = int(sys.argv[1])\n"
  "seen = set()\n"
  "def walk(a, depth):\n"
  "    if a is None or depth > 60: return\n"
  "    try:\n"
  "        seen.add('%s|%s' % (a.getRoleName(), a.name))\n"
  "        for c in a: walk(c, depth + 1)\n"
  "    except Exception: pass\n"
  "for app in pyatspi.Registry.getDesktop(0):\n"
  "    try:\n"
  "        if app is not None and app.get_process_id() == pid: walk(app, 0)\n"
  "    except Exception: pass\n"
  "print('\\n'.join(sorted(seen)))\n";

static void
test_atspi (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdDomainConfig) config = vmd_domain_config_new_from_xml (DESCRIBE_XML, -1, &error);
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  const char *argv[] = { "/usr/bin/python3", "-c", atspi_script, pid, NULL };
  const char *expected[] = { "push button|Finish", "push button|Cancel", "list box|Device types",
                             "list item|Storage", "list item|Network", "text|Source",
                             "spin button|New image size in GiB", "combo box|Bus",
                             "combo box|Cache mode", "radio button|Use an existing file",
                             "check box|Read-only", "text|Serial number" };
  g_autoptr (GSubprocess) python = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autofree char *out = NULL;
  GtkWidget *dialog;

  g_assert_no_error (error);
  if (!g_file_test (argv[0], G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("no /usr/bin/python3");
      return;
    }
  dialog = vmd_add_hardware_dialog_new (NULL, config, NULL);
  gtk_widget_show (dialog);
  spin_for (500);
  python = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                              &error);
  g_assert_no_error (error);
  /* The main loop runs meanwhile: it answers AT-SPI's questions. */
  g_subprocess_communicate_utf8_async (python, NULL, NULL, store_result, &result);
  g_subprocess_communicate_utf8_finish (python, await_result (&result, 60, "pyatspi"), &out, NULL,
                                        &error);
  g_assert_no_error (error);
  if (strstr (out, "ModuleNotFoundError") != NULL)
    {
      g_test_skip ("pyatspi is not installed");
      gtk_widget_destroy (dialog);
      return;
    }
  {
    g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
    printf ("# AT-SPI shows %u role|name pairs in Add Hardware\n", g_strv_length (lines));
  }
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    if (strstr (out, expected[i]) == NULL)
      FAIL ("AT-SPI does not show “%s” in Add Hardware; it shows:\n%s", expected[i], out);
  gtk_widget_destroy (dialog);
}

/* ========================================================= with a guest */

/* Add Hardware ▸ Storage ▸ a new 1 GiB image; saved; in the definition. */
static void
case_add_disk (Fixture *f)
{
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "vm-add-disk", NULL);
  g_autoptr (VmdDomainConfig) config = vmd_domain_config_copy (vmd_domain_get_config (d));
  g_autoptr (VmdDevice) device = NULL;
  g_autoptr (VmdDevice) vda = NULL;
  g_autoptr (VmdImageInfo) info = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *source = NULL;
  g_autofree char *target = NULL;
  g_autofree char *images = g_build_filename (f->data, "images", NULL);
  g_autofree char *definition = NULL;
  GtkWidget *dialog, *window;
  VmdDeviceEditor *editor;

  dialog = vmd_add_hardware_dialog_new (NULL, config, d);
  gtk_widget_show (dialog);
  g_assert_cmpstr (accessible_name (find_named (dialog, "disk")), ==, "Storage");
  CHECK (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find_named (dialog, "Create a new image"))),
         "Add Hardware ▸ Storage does not offer a new image first");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_named (dialog, "New image size")), 1);
  save_window (dialog, "devices-add-hardware.png");
  device = finish_dialog (dialog);
  gtk_widget_destroy (dialog);

  source = vmd_device_disk_get_source (VMD_DEVICE_DISK (device));
  target = vmd_device_disk_get_target_dev (VMD_DEVICE_DISK (device));
  step (f, "Add Hardware made %s for %s", source, target);
  CHECK (source != NULL && g_str_has_prefix (source, images),
         "the new image %s is not in the engine's image folder %s", source, images);
  CHECK (g_strcmp0 (target, "vdb") == 0, "the new disk's target is %s, not vdb", target);
  vmd_image_query_async (source, NULL, store_result, &result);
  info = vmd_image_query_finish (await_result (&result, 30, "qemu-img info"), &error);
  CHECK (info != NULL, "qemu-img info on the new image failed: %s", error ? error->message : "");
  CHECK (g_strcmp0 (info->format, "qcow2") == 0 && info->virtual_size == 1 << 30,
         "the new image is %s of %" G_GUINT64_FORMAT " bytes, not qcow2 of 1 GiB", info->format,
         info->virtual_size);

  vmd_domain_config_add_device (config, g_object_ref (device));
  DOM_OK (d, set_config, config);
  definition = read_file (vmd_qemu_domain_get_definition_path (VMD_QEMU_DOMAIN (d)));
  CHECK (strstr (definition, source) != NULL && strstr (definition, "dev='vdb'") != NULL,
         "the saved definition does not have the new disk:\n%s", definition);
  step (f, "the saved definition has %s as vdb", source);

  /* The disk editor of vda, in a window, with its sizes from qemu-img. */
  window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  gtk_window_set_title (GTK_WINDOW (window), "VirtIO Disk 1");
  gtk_window_set_default_size (GTK_WINDOW (window), 560, -1);
  vda = find_disk (config, "disk");
  editor = show_editor (window, config, vda, d);
  wait_label (find_named (editor, "Size"), "allocated", 20000, "the disk editor");
  CHECK (strstr (gtk_label_get_text (GTK_LABEL (find_named (editor, "Size"))), "qcow2") != NULL,
         "the size does not name the format: %s",
         gtk_label_get_text (GTK_LABEL (find_named (editor, "Size"))));
  CHECK (gtk_widget_get_sensitive (find_named (editor, "Resize to")),
         "the image cannot be grown while the VM is shut off");
  save_window (window, "devices-disk-editor.png");
  gtk_widget_destroy (window);

  /* Growing the new image through its editor. */
  window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  editor = show_editor (window, config, device, d);
  {
    g_autofree char *one = g_format_size_full (1 << 30, G_FORMAT_SIZE_IEC_UNITS);
    wait_label (find_named (editor, "Size"), one, 20000, "the new disk's editor");
  }
  CHECK (!gtk_widget_get_sensitive (find_named (editor, "Grow Image")),
         "Grow Image is sensitive before a larger size is chosen");
  CHECK (visible_with_text (find_named (editor, "Resize message")), "no warning about growing");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_named (editor, "Resize to")), 2);
  CHECK (gtk_widget_get_sensitive (find_named (editor, "Grow Image")), "Grow Image stays insensitive");
  gtk_button_clicked (GTK_BUTTON (find_named (editor, "Grow Image")));
  {
    g_autofree char *two = g_format_size_full (G_GUINT64_CONSTANT (2) << 30, G_FORMAT_SIZE_IEC_UNITS);
    wait_label (find_named (editor, "Size"), two, 30000, "growing the image");
  }
  {
    g_autoptr (VmdImageInfo) grown = NULL;

    g_clear_object (&result);
    vmd_image_query_async (source, NULL, store_result, &result);
    grown = vmd_image_query_finish (await_result (&result, 30, "qemu-img info"), &error);
    CHECK (grown != NULL && grown->virtual_size == G_GUINT64_CONSTANT (2) << 30,
           "qemu-img says the grown image has %" G_GUINT64_FORMAT " bytes",
           grown ? grown->virtual_size : 0);
  }
  step (f, "grown to 2 GiB through the editor");
  gtk_widget_destroy (window);
}

/* The CD-ROM editor on a running guest: a medium in, then out. */
static void
case_cdrom_live (Fixture *f)
{
  const char *cdrom = "<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/>"
                      "<readonly/></disk>";
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "vm-cdrom", cdrom);
  g_autofree char *iso = g_build_filename (guest_dir, "installer.iso", NULL);
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (VmdDomainConfig) config = NULL;
  g_autoptr (VmdDevice) before = NULL;
  g_autoptr (VmdDevice) drive = NULL;
  g_autofree char *blocks = NULL;
  g_autofree char *list = NULL;
  EventWait w = { events, "tray-moved" };
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  VmdDeviceEditor *editor;
  VmdLiveSupport live;
  Serial *s;

  gtk_window_set_default_size (GTK_WINDOW (window), 640, -1);
  g_signal_connect (d, "event", G_CALLBACK (on_event), events);
  s = boot (f, d, "VMDESK-GUEST-READY");

  config = vmd_domain_config_copy (vmd_domain_get_config (d));
  drive = find_disk (config, "cdrom");
  before = find_disk (vmd_domain_get_config (d), "cdrom");
  editor = show_editor (window, config, drive, d);
  CHECK (gtk_widget_get_visible (find_named (editor, "Eject")), "the CD-ROM editor has no Eject");
  CHECK (!gtk_widget_is_visible (find_named (editor, "Grow Image")), "a CD-ROM offers to grow its medium");
  {
    g_autoptr (VmdDevice) vda = find_disk (config, "disk");
    GtkWidget *w2 = gtk_window_new (GTK_WINDOW_TOPLEVEL);
    VmdDeviceEditor *disk_editor = show_editor (w2, config, vda, d);

    wait_label (find_named (disk_editor, "Size"), "allocated", 20000, "vda's editor");
    CHECK (!gtk_widget_get_sensitive (find_named (disk_editor, "Resize to")),
           "the image of a running VM can be resized");
    wait_label (find_named (disk_editor, "Resize message"), "shut off", 1000, "vda's editor");
    gtk_widget_destroy (w2);
  }

  gtk_entry_set_text (GTK_ENTRY (find_named (editor, "Source")), iso);
  wait_label (find_named (editor, "Size"), "allocated", 20000, "choosing installer.iso");
  live = apply (editor, d, before, "inserting installer.iso");
  spin_until (event_seen, &w, 5000);
  list = join_events (events);
  CHECK (event_seen (&w), "inserting emitted no tray-moved event; events: %s", list);
  blocks = qmp_on_second_monitor (f, d, "query-block", NULL);
  CHECK (strstr (blocks, iso) != NULL, "query-block does not show %s:\n%s", iso, blocks);
  step (f, "inserted (live support %d); events: %s; query-block has the ISO", live, list);
  save_window (window, "devices-cdrom-editor.png");

  g_ptr_array_set_size (events, 0);
  g_clear_object (&before);
  before = find_disk (vmd_domain_get_config (d), "cdrom");
  gtk_button_clicked (GTK_BUTTON (find_named (editor, "Eject")));
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (find_named (editor, "Source"))), ==, "");
  apply (editor, d, before, "ejecting");
  w.needle = "open";
  spin_until (event_seen, &w, 5000);
  g_free (list);
  list = join_events (events);
  CHECK (event_seen (&w), "ejecting emitted no tray-moved open event; events: %s", list);
  g_free (blocks);
  blocks = qmp_on_second_monitor (f, d, "query-block", NULL);
  CHECK (strstr (blocks, iso) == NULL, "query-block still shows %s:\n%s", iso, blocks);
  step (f, "ejected; events: %s; query-block has no medium", list);

  gtk_widget_destroy (window);
  serial_close (f, s);
  DOM_OK (d, destroy);
}

static void
guest_carrier (Serial *s, const char *expect)
{
  serial_cmd (s, "echo CARRIER=$(cat /sys/class/net/eth0/carrier)", expect, CMD_TIMEOUT);
}

/* Add Hardware ▸ Network hot-added; the NIC editor takes its link down and up. */
static void
case_nic_live (Fixture *f)
{
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "vm-nic", NULL);
  g_autoptr (VmdDomainConfig) config = NULL;
  g_autoptr (VmdDevice) device = NULL;
  g_autoptr (VmdDevice) nic = NULL;
  g_autoptr (VmdDevice) before = NULL;
  g_autofree char *mac = NULL;
  g_autofree char *id = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *args = NULL;
  g_autofree char *definition = NULL;
  GtkWidget *dialog, *window;
  VmdDeviceEditor *editor;
  Serial *s;

  s = boot (f, d, "VMDESK-GUEST-READY");
  config = vmd_domain_config_copy (vmd_domain_get_config (d));
  dialog = vmd_add_hardware_dialog_new (NULL, config, d);
  gtk_widget_show (dialog);
  vmd_add_hardware_dialog_select (VMD_ADD_HARDWARE_DIALOG (dialog), "interface");
  mac = g_strdup (gtk_entry_get_text (GTK_ENTRY (find_named (dialog, "MAC address"))));
  CHECK (strlen (mac) == 17, "Add Hardware ▸ Network offers no MAC address: “%s”", mac);
  device = finish_dialog (dialog);
  gtk_widget_destroy (dialog);

  DOM_OK (d, attach_device, device);
  nic = find_nic (vmd_domain_get_config (d), mac);
  id = vmd_qemu_argv_device_id (nic);
  reply = qmp_on_second_monitor (f, d, "qom-list", "{\"path\":\"/machine/peripheral\"}");
  CHECK (strstr (reply, id) != NULL, "QOM has no %s after the hot-add:\n%s", id, reply);
  g_free (reply);
  args = g_strdup_printf ("{\"path\":\"/machine/peripheral/%s\",\"property\":\"mac\"}", id);
  reply = qmp_on_second_monitor (f, d, "qom-get", args);
  CHECK (strstr (reply, mac) != NULL, "%s has the MAC %s, not %s", id, reply, mac);
  step (f, "hot-added %s with MAC %s", id, mac);

  /* The guest sees it (ACPI PCI hot-plug), then the link goes down and up. */
  /* (Short lines: the guest's terminal wraps at 80 columns.) */
  serial_cmd (s, "while [ ! -e /sys/class/net/eth0 ]; do sleep 1; done", NULL, 45000);
  serial_cmd (s, "ip link set eth0 up; echo NICS=$(ls /sys/class/net)", "NICS=eth0", CMD_TIMEOUT);
  spin_for (500);
  guest_carrier (s, "CARRIER=1");

  window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  g_clear_object (&config);
  config = vmd_domain_config_copy (vmd_domain_get_config (d));
  g_clear_object (&nic);
  nic = find_nic (config, mac);
  before = find_nic (vmd_domain_get_config (d), mac);
  editor = show_editor (window, config, nic, d);
  CHECK (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find_named (editor, "Link is up"))),
         "the NIC editor shows the link down");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find_named (editor, "Link is up")), FALSE);
  CHECK (apply (editor, d, before, "link down") == VMD_LIVE_ALL,
         "a link change alone is not all live");
  guest_carrier (s, "CARRIER=0");
  definition = read_file (vmd_qemu_domain_get_definition_path (VMD_QEMU_DOMAIN (d)));
  CHECK (strstr (definition, "state='down'") != NULL,
         "the definition does not keep the link down:\n%s", definition);
  step (f, "link down: the guest's carrier is 0, the definition has <link state='down'/>");

  g_clear_object (&before);
  before = find_nic (vmd_domain_get_config (d), mac);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find_named (editor, "Link is up")), TRUE);
  apply (editor, d, before, "link up");
  guest_carrier (s, "CARRIER=1");
  step (f, "link up: the guest's carrier is 1");

  gtk_widget_destroy (window);
  serial_close (f, s);
  DOM_OK (d, destroy);
}

/* A stand-in for qemu-ga in the busybox guest: it answers guest-sync and
 * guest-network-get-interfaces on the agent's port with what the guest's
 * kernel says of eth0 (its MAC and IPv4 address). */
static const char agent_script[] =
  "cat > /agent.sh <<'EOF'\n"
  "while true; do\n"
  "P=$(ls /dev/vport*p1 | head -n 1)\n"
  "exec 3<>$P\n"
  "while read -r l <&3; do\n"
  "case \"$l\" in\n"
  "*guest-sync*) i=${l##*:}; i=${i%%\\}*}; echo \"{\\\"return\\\": $i}\" >&3;;\n"
  "*interfaces*) a=$(ip -4 -o addr show eth0 | awk '{print $4}')\n"
  "m=$(cat /sys/class/net/eth0/address)\n"
  "echo \"{\\\"return\\\":[{\\\"name\\\":\\\"eth0\\\",\\\"hardware-address\\\":\\\"$m\\\","
  "\\\"ip-addresses\\\":[{\\\"ip-address-type\\\":\\\"ipv4\\\",\\\"ip-address\\\":\\\"${a%/*}\\\","
  "\\\"prefix\\\":${a#*/}}]}]}\" >&3;;\n"
  "esac\n"
  "done\n"
  "exec 3<&-\n"
  "sleep 0.2\n"
  "done\n"
  "EOF\n";

/* The NIC editor shows the address the guest agent reports. */
static void
case_guest_address (Fixture *f)
{
  const char *devices = "<interface type='user'><mac address='52:54:00:12:34:56'/>"
                        "<model type='virtio'/></interface>"
                        "<channel type='unix'><target type='virtio' "
                        "name='org.qemu.guest_agent.0'/></channel>";
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "vm-agent", devices);
  g_autoptr (VmdDomainConfig) config = NULL;
  g_autoptr (VmdDevice) nic = NULL;
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  VmdDeviceEditor *editor;
  GtkWidget *ip;
  Serial *s;

  s = boot (f, d, "VMDESK-GUEST-READY");
  config = vmd_domain_config_copy (vmd_domain_get_config (d));
  nic = find_nic (config, "52:54:00:12:34:56");

  /* No agent in the guest yet: unknown, and the tooltip says why. */
  editor = show_editor (window, config, nic, d);
  ip = find_named (editor, "IP address");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (ip)), ==, "Unknown");
  {
    gint64 t = g_get_monotonic_time ();

    while (gtk_widget_get_tooltip_text (ip) == NULL && g_get_monotonic_time () - t < 15 * G_USEC_PER_SEC)
      spin_for (100);
  }
  CHECK (gtk_widget_get_tooltip_text (ip) != NULL &&
         strstr (gtk_widget_get_tooltip_text (ip), "agent") != NULL,
         "without an agent the IP address has no explanation: %s",
         gtk_widget_get_tooltip_text (ip));
  step (f, "no agent: %s (%s)", gtk_label_get_text (GTK_LABEL (ip)), gtk_widget_get_tooltip_text (ip));
  gtk_widget_destroy (GTK_WIDGET (editor));

  serial_cmd (s, "ip addr add 10.0.2.15/24 dev eth0; ip link set eth0 up", NULL, CMD_TIMEOUT);
  serial_write (s, agent_script);
  serial_cmd (s, "sh /agent.sh & echo AGENT=$(ls /dev/vport*p1)", "AGENT=/dev/vport", CMD_TIMEOUT);

  editor = show_editor (window, config, nic, d);
  wait_label (find_named (editor, "IP address"), "10.0.2.15/24", 15000, "the agent answering");
  step (f, "the NIC editor shows %s", gtk_label_get_text (GTK_LABEL (find_named (editor, "IP address"))));

  gtk_widget_destroy (window);
  serial_close (f, s);
  DOM_OK (d, destroy);
}

/* A MAC address another VM of the connection has. */
static void
case_mac_other_vm (Fixture *f)
{
  const char *nic = "<interface type='user'><mac address='52:54:00:aa:bb:cc'/>"
                    "<model type='virtio'/></interface>";
  g_autoptr (VmdDomain) other = define_guest (f, f->conn, "vm-other", nic);
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "vm-mine", NULL);
  g_autoptr (VmdDomainConfig) config = vmd_domain_config_copy (vmd_domain_get_config (d));
  g_autoptr (GError) error = NULL;
  GtkWidget *dialog, *message;

  dialog = vmd_add_hardware_dialog_new (NULL, config, d);
  gtk_widget_show (dialog);
  vmd_add_hardware_dialog_select (VMD_ADD_HARDWARE_DIALOG (dialog), "interface");
  gtk_entry_set_text (GTK_ENTRY (find_named (dialog, "MAC address")), "52:54:00:AA:BB:CC");
  message = find_named (dialog, "MAC address error");
  CHECK (visible_with_text (message), "no inline message for a MAC address vm-other has");
  CHECK (strstr (gtk_label_get_text (GTK_LABEL (message)), "vm-other") != NULL,
         "the message does not name vm-other: %s", gtk_label_get_text (GTK_LABEL (message)));
  CHECK (!gtk_widget_get_sensitive (find_named (dialog, "Finish")), "Finish is sensitive");
  step (f, "inline: %s", gtk_label_get_text (GTK_LABEL (message)));
  save_window (dialog, "devices-add-hardware-nic.png");
  gtk_widget_destroy (dialog);
}

static const EngineCase cases[] = {
  { "add-disk", case_add_disk, 180 },
  { "cdrom-live", case_cdrom_live, 240 },
  { "nic-live", case_nic_live, 300 },
  { "mac-other-vm", case_mac_other_vm, 120 },
  { "guest-address", case_guest_address, 240 },
};

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check (&argc, &argv))
    {
      printf ("1..0 # SKIP no display\n");
      return 0;
    }
  g_test_add_func ("/devices/describe", test_describe);
  g_test_add_func ("/devices/inline-validation", test_validation);
  g_test_add_func ("/devices/store-unchanged", test_roundtrip);
  g_test_add_func ("/devices/every-kind", test_every_kind);
  g_test_add_func ("/devices/atspi", test_atspi);
  return engine_test_main (argc, argv, "/devices", cases, G_N_ELEMENTS (cases));
}
