/* test-creator-more.c: the New VM assistant's network install, the install
 * watcher when another program started the VM, Quick boot, foreign images,
 * device choices per OS and unattended installation (see test-creator.c)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "test-creator"

#include "test-creator.h"
#include "gui-fixture.h"
#include "vmd-vm-window.h"

/* ========================================================= network case */

typedef struct {
  char *root;
} Server;

static gboolean
serve_cb (GThreadedSocketService *service, GSocketConnection *conn, GObject *source,
          gpointer user_data)
{
  Server *srv = user_data;
  g_autoptr (GDataInputStream) in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (conn)));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, NULL);
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  g_autofree char *head = NULL;
  gsize len = 0;
  char method[8], target[512];

  if (line == NULL || sscanf (line, "%7s %511s", method, target) != 2)
    return TRUE;
  for (;;)
    {
      g_autofree char *h = g_data_input_stream_read_line (in, NULL, NULL, NULL);
      if (h == NULL || *g_strchomp (h) == '\0')
        break;
    }
  if (strstr (target, "/stall/") != NULL)
    {
      /* A server that answers the headers, then nothing for a long while. */
      const char *head_only = "HTTP/1.0 200 OK\r\nContent-Length: 100000000\r\n\r\n";
      g_output_stream_write_all (out, head_only, strlen (head_only), NULL, NULL, NULL);
      g_usleep (20 * G_USEC_PER_SEC);
      return TRUE;
    }
  path = g_build_filename (srv->root, target, NULL);
  if (strstr (target, "..") == NULL && g_file_get_contents (path, &data, &len, NULL))
    head = g_strdup_printf ("HTTP/1.0 200 OK\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n\r\n", len);
  else
    head = g_strdup ("HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n");
  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
  if (data != NULL && g_str_equal (method, "GET"))
    g_output_stream_write_all (out, data, len, NULL, NULL, NULL);
  return TRUE;
}

static gboolean
file_gone (gpointer data)
{
  return !g_file_test (data, G_FILE_TEST_EXISTS);
}

static gboolean
widget_gone (gpointer data)
{
  return !gtk_widget_get_visible (data);
}

void
case_network (Fixture *f)
{
  VmdDomain *created = NULL;
  g_autoptr (GtkWidget) a = NULL;
  g_autoptr (GSocketService) service = g_threaded_socket_service_new (4);
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) want = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) got = NULL;
  g_autoptr (GError) error = NULL;
  Server srv = { g_build_filename (f->tmp, "tree", NULL) };
  g_autofree char *pxe = g_build_filename (srv.root, "images", "pxeboot", NULL);
  g_autofree char *url = NULL;
  g_autofree char *downloaded = NULL;
  Serial *s;

  g_mkdir_with_parents (pxe, 0755);
  {
    g_autofree char *k = NULL, *i = NULL;
    g_autofree char *kp = g_build_filename (guest_dir, "vmlinuz", NULL);
    g_autofree char *ip = g_build_filename (guest_dir, "initrd.img", NULL);
    g_autofree char *kd = g_build_filename (pxe, "vmlinuz", NULL);
    g_autofree char *id = g_build_filename (pxe, "initrd.img", NULL);
    g_autofree char *ti = g_build_filename (srv.root, ".treeinfo", NULL);
    gsize kl, il;

    CHECK (g_file_get_contents (kp, &k, &kl, NULL) && g_file_get_contents (ip, &i, &il, NULL),
           "the test guest's kernel cannot be read");
    CHECK (g_file_set_contents (kd, k, kl, NULL) && g_file_set_contents (id, i, il, NULL), "copy");
    write_file (ti, "[general]\nfamily = vmdesk test tree\nversion = 1\narch = x86_64\n"
                    "[images-x86_64]\nkernel = images/pxeboot/vmlinuz\ninitrd = images/pxeboot/initrd.img\n",
                0644);
    /* A tree whose kernel never finishes downloading. */
    g_free (ti);
    ti = g_build_filename (srv.root, "slow", NULL);
    g_mkdir_with_parents (ti, 0755);
    g_free (ti);
    ti = g_build_filename (srv.root, "slow", ".treeinfo", NULL);
    write_file (ti, "[general]\nfamily = vmdesk test tree\nversion = 1\narch = x86_64\n"
                    "[images-x86_64]\nkernel = stall/vmlinuz\ninitrd = stall/initrd.img\n", 0644);
  }
  CHECK (g_socket_listener_add_address (G_SOCKET_LISTENER (service), want, G_SOCKET_TYPE_STREAM,
                                        G_SOCKET_PROTOCOL_TCP, NULL, &got, &error),
         "cannot listen on 127.0.0.1: %s", error ? error->message : "");
  g_signal_connect (service, "run", G_CALLBACK (serve_cb), &srv);
  g_socket_service_start (service);
  url = g_strdup_printf ("http://127.0.0.1:%u/", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (got)));
  step (f, "serving the tree at %s", url);

  step (f, "Cancel while the installer's kernel downloads");
  {
    g_autoptr (GtkWidget) b = ct_open_assistant (f, &created);
    g_autofree char *slow = g_strconcat (url, "slow/", NULL);
    g_autofree char *images = ct_images_dir (f);

    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ct_child (b, "radio_url")), TRUE);
    ct_type (b, "url_entry", slow);
    ct_wait_label (b, "source_status_label", "install tree was found", 60000);
    ct_press (b, "_Next", PAGE_OS);
    ct_press (b, "_Next", PAGE_RESOURCES);
    ct_press (b, "_Next", PAGE_STORAGE);
    ct_press (b, "_Next", PAGE_FINISH);
    CHECK (spin_until (ct_kvm_known, ct_child (b, "accel_label"), 120000), "the KVM probe did not answer");
    ct_type (b, "name_entry", "cancelled");
    ct_press (b, "_Apply", PAGE_PROGRESS);
    {
      LabelWait w = { ct_child (b, "progress_label"), "Downloading" };
      CHECK (spin_until (ct_label_has, &w, 10000), "no download shown: “%s”",
             gtk_label_get_text (GTK_LABEL (w.label)));
    }
    spin_for (500);
    ct_shot (b, "creator-downloading.png");
    ct_wait_button (b, "_Cancel", TRUE, 2000, "while downloading");
    ct_press (b, "_Cancel", -1);
    CHECK (spin_until (widget_gone, b, 10000), "the assistant stays after Cancel");
    spin_for (500);
    CHECK (vmd_connection_lookup_domain (f->conn, "cancelled") == NULL, "Cancel left a VM");
    CHECK (ct_count_files (images) == 0, "Cancel left %u files in %s", ct_count_files (images), images);
    CHECK (created == NULL, "Cancel created a VM");
  }

  a = ct_open_assistant (f, &created);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ct_child (a, "radio_url")), TRUE);
  ct_type (a, "url_entry", url);
  ct_type (a, "url_args_entry", "console=ttyS0");
  ct_wait_label (a, "source_status_label", "install tree was found", 60000);
  ct_shot (a, "creator-network-source.png");
  ct_press (a, "_Next", PAGE_OS);
  ct_press (a, "_Next", PAGE_RESOURCES);
  ct_set_memory (a, 128, 1);
  ct_press (a, "_Next", PAGE_STORAGE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ct_child (a, "radio_disk_none")), TRUE);
  ct_press (a, "_Next", PAGE_FINISH);
  CHECK (ct_finish (f, a, &created, "netinst", NULL) != NULL, "no VM");
  remember_pid (f, vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (created)));
  s = serial_open (f, created);
  serial_wait (s, "VMDESK-GUEST-READY kernel", BOOT_TIMEOUT, "booting the downloaded kernel");
  downloaded = vmd_domain_config_get_kernel (vmd_domain_get_config (created));
  CHECK (downloaded != NULL && g_file_test (downloaded, G_FILE_TEST_EXISTS) &&
         g_str_has_prefix (downloaded, ct_images_dir (f)),
         "the VM does not boot a kernel downloaded into the image folder (%s)", downloaded);
  serial_wait (s, PROMPT, CMD_TIMEOUT, "network install");
  serial_write (s, "poweroff -f\n");
  wait_state (created, VMD_DOMAIN_STATE_SHUTOFF, -1, 30000, "after poweroff");
  {
    KeyGone k = { created, VMD_INSTALL_KEY_STATE };
    g_autofree char *kernel = NULL;

    CHECK (spin_until (ct_key_gone, &k, 10000), "the install marker stayed after the shutdown");
    kernel = vmd_domain_config_get_kernel (vmd_domain_get_config (created));
    CHECK (kernel == NULL, "the installer's kernel %s is still booted after the install", kernel);
    CHECK (spin_until (file_gone, downloaded, 10000), "the downloaded kernel %s stays after the install",
           downloaded);
  }
  g_socket_service_stop (service);
  g_object_unref (created);
  gtk_widget_destroy (a);
  g_free (srv.root);
}

/* The app was not running when the VM started (vmdesk-cli started it):
 * a watcher made later, on another connection, still marks the install
 * booted and ejects the media after the installer's poweroff. */
void
case_watcher_not_starter (Fixture *f)
{
  g_autofree char *iso = g_build_filename (guest_dir, "installer.iso", NULL);
  g_autofree char *disk = g_build_filename (f->tmp, "target.qcow2", NULL);
  g_autoptr (VmdCreatorChoices) c = g_new0 (VmdCreatorChoices, 1);
  g_autoptr (VmdDomainConfig) config = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdDomain) d = NULL;
  g_autofree char *err = NULL;
  g_autofree char *xml = NULL;
  VmdConnection *later;
  VmdDomain *seen;
  Serial *s;

  {
    const char *argv[] = { "qemu-img", "create", "-q", "-f", "qcow2", disk, "80M", NULL };
    CHECK (run_program (argv, NULL, &err, "qemu-img create") == 0, "qemu-img: %s", err);
  }
  c->source = VMD_CREATOR_SOURCE_ISO;
  c->name = g_strdup ("cli-started");
  c->domain_type = g_strdup ("qemu");
  c->os = vmd_os_info_new_generic ();
  c->memory_mib = 128;
  c->cpus = 1;
  c->iso = g_strdup (iso);
  c->disk = g_strdup (disk);
  c->disk_format = g_strdup ("qcow2");
  config = vmd_creator_build_config (c, &error);
  CHECK (config != NULL, "the definition was not built: %s", error ? error->message : "");
  xml = vmd_domain_config_to_xml (config);
  d = define_xml (f->conn, xml);

  step (f, "vmdesk-cli starts it");
  CHECK (run_cli (f, NULL, &err, "start", "cli-started", NULL) == 0, "vmdesk-cli start: %s", err);
  step (f, "the app starts later: another connection, its watcher");
  later = open_connection (f);
  vmd_install_watcher_ensure (later);
  seen = vmd_connection_lookup_domain (later, "cli-started");
  CHECK (seen != NULL && vmd_domain_get_state (seen) == VMD_DOMAIN_STATE_RUNNING,
         "the later connection does not see the running VM");
  remember_pid (f, vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (seen)));
  s = serial_open (f, seen);
  serial_wait (s, "VMDESK-INSTALL-DONE", BOOT_TIMEOUT, "installing");
  wait_state (seen, VMD_DOMAIN_STATE_SHUTOFF, -1, 30000, "after the installer");
  {
    KeyGone k = { seen, VMD_INSTALL_KEY_STATE };
    CHECK (spin_until (ct_key_gone, &k, 10000), "the install marker stayed after the shutdown");
  }
  {
    g_autoptr (GPtrArray) disks = vmd_domain_config_get_devices (vmd_domain_get_config (seen),
                                                                 VMD_TYPE_DEVICE_DISK);
    for (guint i = 0; i < disks->len; i++)
      {
        g_autofree char *device = vmd_device_disk_get_device (g_ptr_array_index (disks, i));
        g_autofree char *source = vmd_device_disk_get_source (g_ptr_array_index (disks, i));
        if (g_str_equal (device, "cdrom"))
          CHECK (source == NULL, "the CD-ROM still holds %s", source);
      }
  }
  step (f, "the next start boots the disk");
  DOM_OK (seen, start, VMD_START_NONE);
  remember_pid (f, vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (seen)));
  s = serial_open (f, seen);
  serial_wait (s, "VMDESK-GUEST-READY disk", BOOT_TIMEOUT, "booting the installed disk");
}

/* A kept Quick boot VM stays after its shutdown. */
void
case_quick_boot_keep (Fixture *f)
{
  g_autofree char *iso = g_build_filename (guest_dir, "installer.iso", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (iso);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdDomain) d = NULL;
  g_autofree char *name = NULL;
  Serial *s;

  vmd_quick_boot_async (f->conn, file, NULL, store_result, &result);
  d = vmd_quick_boot_finish (f->conn, await_result (&result, 120, "quick boot"), &error);
  CHECK (d != NULL, "Quick boot failed: %s", error ? error->message : "?");
  remember_pid (f, vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (d)));
  name = g_strdup (vmd_domain_get_name (d));
  s = serial_open (f, d);
  /* No disk to install onto: the installer says so and stays up. */
  serial_wait (s, "VMDESK-GUEST-READY cdrom", BOOT_TIMEOUT, "quick boot of the ISO");
  /* Its window says it is throwaway, with a Keep button. */
  {
    VmdVmWindow *window;
    GtkWidget *bar;

    CHECK (vmd_quick_boot_is_throwaway (d), "the Quick boot VM is not marked as throwaway");
    window = vmd_vm_window_new (NULL, d);
    gtk_widget_show (GTK_WIDGET (window));
    bar = find_named (window, "quick-boot-bar");
    CHECK (gtk_widget_get_visible (bar), "the VM window's Keep bar is hidden");
    g_object_ref (bar);
    gtk_info_bar_response (GTK_INFO_BAR (bar), GTK_RESPONSE_ACCEPT);
    for (guint i = 0; i < 300 && vmd_quick_boot_is_throwaway (d); i++)
      spin_for (100);
    spin_for (300);  /* the bar goes once the kept definition is saved */
    CHECK (gtk_widget_get_parent (bar) == NULL, "the Keep bar stays after Keep");
    g_object_unref (bar);
    gtk_widget_destroy (GTK_WIDGET (window));
  }
  CHECK (!vmd_quick_boot_is_throwaway (d), "a kept VM is still marked as throwaway");
  serial_wait (s, PROMPT, CMD_TIMEOUT, "quick boot");
  serial_write (s, "poweroff -f\n");
  wait_state (d, VMD_DOMAIN_STATE_SHUTOFF, -1, 30000, "after poweroff");
  spin_for (2000);
  CHECK (vmd_connection_lookup_domain (f->conn, name) != NULL, "the kept VM was discarded");
}

/* A foreign image (VMDK) is converted to qcow2 after asking, and boots. */
void
case_import_vmdk (Fixture *f)
{
  VmdDomain *created = NULL;
  g_autoptr (GtkWidget) a = NULL;
  g_autofree char *vmdk = g_build_filename (f->tmp, "appliance.vmdk", NULL);
  g_autofree char *err = NULL;
  g_autofree char *src = NULL;
  Serial *s;

  {
    const char *argv[] = { "qemu-img", "convert", "-q", "-O", "vmdk", f->disk, vmdk, NULL };
    CHECK (run_program (argv, NULL, &err, "qemu-img convert") == 0, "qemu-img: %s", err);
  }
  a = ct_open_assistant (f, &created);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ct_child (a, "radio_import")), TRUE);
  ct_type (a, "import_entry", vmdk);
  ct_wait_label (a, "source_status_label", "vmdk image", 30000);
  CHECK (gtk_widget_get_visible (ct_child (a, "import_convert_check")) &&
         gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (ct_child (a, "import_convert_check"))),
         "converting the VMDK image is not offered");
  ct_shot (a, "creator-import-vmdk.png");
  ct_press (a, "_Next", PAGE_OS);
  ct_press (a, "_Next", PAGE_RESOURCES);
  ct_set_memory (a, 128, 1);
  ct_press (a, "_Next", PAGE_FINISH);
  CHECK (ct_finish (f, a, &created, "converted", NULL) != NULL, "no VM");
  remember_pid (f, vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (created)));
  src = disk_source (created);
  CHECK (g_str_has_suffix (src, ".qcow2") && g_str_has_prefix (src, ct_images_dir (f)),
         "the VM runs on %s, not a qcow2 copy in the image folder", src);
  s = serial_open (f, created);
  serial_wait (s, "VMDESK-GUEST-READY disk", BOOT_TIMEOUT, "booting the converted disk");
  g_object_unref (created);
}

static gboolean
os_list_done (gpointer data)
{
  return *(GPtrArray **) data != NULL;
}

static void
os_list_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GPtrArray **) user_data = vmd_osinfo_list_finish (result, NULL);
}

static VmdDomainConfig *
config_for (GPtrArray *oses, const char *short_id)
{
  g_autoptr (VmdCreatorChoices) c = g_new0 (VmdCreatorChoices, 1);
  g_autoptr (GError) error = NULL;
  VmdDomainConfig *config;

  for (guint i = 0; i < oses->len; i++)
    {
      VmdOsInfo *os = g_ptr_array_index (oses, i);
      if (g_strcmp0 (os->short_id, short_id) == 0)
        c->os = vmd_os_info_copy (os);
    }
  CHECK (c->os != NULL, "libosinfo does not know %s", short_id);
  c->source = VMD_CREATOR_SOURCE_ISO;
  c->name = g_strdup (short_id);
  c->domain_type = g_strdup ("qemu");
  c->memory_mib = c->os->ram >> 20;
  c->cpus = c->os->n_cpus;
  c->iso = g_strdup ("/tmp/x.iso");
  c->disk = g_strdup ("/tmp/x.qcow2");
  c->disk_format = g_strdup ("qcow2");
  c->uefi = c->os->needs_uefi;
  c->tpm = c->os->needs_tpm;
  config = vmd_creator_build_config (c, &error);
  CHECK (config != NULL, "no definition for %s: %s", short_id, error ? error->message : "");
  return config;
}

static char *
first_of (VmdDomainConfig *config, GType type, char *(*get) (gpointer))
{
  g_autoptr (GPtrArray) devices = vmd_domain_config_get_devices (config, type);

  return devices->len > 0 ? get (g_ptr_array_index (devices, 0)) : NULL;
}

/* Device choices follow the OS (libosinfo): virtio for Debian 11, SATA,
 * e1000e, UEFI and a TPM for Windows 11. */
void
case_os_defaults (Fixture *f)
{
  g_autoptr (GPtrArray) oses = NULL;
  g_autoptr (VmdDomainConfig) debian = NULL;
  g_autoptr (VmdDomainConfig) win11 = NULL;
  g_autofree char *bus = NULL, *nic = NULL, *video = NULL, *machine = NULL;

  vmd_osinfo_list_async (NULL, os_list_cb, &oses);
  CHECK (spin_until (os_list_done, &oses, 60000) && oses != NULL && oses->len > 100,
         "the OS list did not load");
  debian = config_for (oses, "debian11");
  bus = first_of (debian, VMD_TYPE_DEVICE_DISK, (gpointer) vmd_device_disk_get_target_bus);
  nic = first_of (debian, VMD_TYPE_DEVICE_INTERFACE, (gpointer) vmd_device_interface_get_model);
  video = first_of (debian, VMD_TYPE_DEVICE_VIDEO, (gpointer) vmd_device_video_get_model);
  machine = vmd_domain_config_get_machine (debian);
  CHECK (g_str_equal (bus, "virtio") && g_str_equal (nic, "virtio") && g_str_equal (video, "virtio") &&
         g_str_has_prefix (machine, "q35"),
         "Debian 11 gets disk bus %s, NIC %s, video %s, machine %s", bus, nic, video, machine);
  CHECK (vmd_domain_config_get_firmware (debian) == VMD_FIRMWARE_BIOS, "Debian 11 gets UEFI");
  g_clear_pointer (&bus, g_free);
  g_clear_pointer (&nic, g_free);
  win11 = config_for (oses, "win11");
  bus = first_of (win11, VMD_TYPE_DEVICE_DISK, (gpointer) vmd_device_disk_get_target_bus);
  nic = first_of (win11, VMD_TYPE_DEVICE_INTERFACE, (gpointer) vmd_device_interface_get_model);
  CHECK (g_str_equal (bus, "sata") && g_str_equal (nic, "e1000e"),
         "Windows 11 gets disk bus %s and NIC %s", bus, nic);
  CHECK (vmd_domain_config_get_firmware (win11) == VMD_FIRMWARE_UEFI, "Windows 11 does not get UEFI");
  {
    g_autoptr (GPtrArray) tpms = vmd_domain_config_get_devices (win11, VMD_TYPE_DEVICE_TPM);
    CHECK (tpms->len == 1, "Windows 11 gets %u TPMs, not 1", tpms->len);
  }
  {
    g_autoptr (GPtrArray) chans = vmd_domain_config_get_devices (win11, VMD_TYPE_DEVICE_CHARDEV);
    g_autoptr (GPtrArray) inputs = vmd_domain_config_get_devices (win11, VMD_TYPE_DEVICE_INPUT);
    g_autofree char *tablet = inputs->len ? vmd_device_input_get_input_type (g_ptr_array_index (inputs, 0)) : NULL;
    CHECK (chans->len >= 3, "only %u serial ports and channels (serial, guest agent, SPICE agent)", chans->len);
    CHECK (g_strcmp0 (tablet, "tablet") == 0, "no tablet for the pointer");
  }
  /* Preferences' new-VM defaults: VNC instead of SPICE, another image folder. */
  {
    g_autoptr (GSettings) settings = g_settings_new (VMD_APP_ID);
    g_autoptr (VmdDomainConfig) vnc = NULL;
    g_autoptr (GPtrArray) graphics = NULL;
    g_autofree char *type = NULL;
    g_autofree char *dir = NULL;

    g_settings_set_string (settings, "new-vm-graphics", "vnc");
    g_settings_set_string (settings, "new-vm-image-folder", "/srv/vm-images");
    vnc = config_for (oses, "debian11");
    graphics = vmd_domain_config_get_devices (vnc, VMD_TYPE_DEVICE_GRAPHICS);
    type = graphics->len ? vmd_device_graphics_get_graphics_type (g_ptr_array_index (graphics, 0))
                         : NULL;
    CHECK (g_strcmp0 (type, "vnc") == 0, "Preferences say VNC, the new VM has %s", type);
    dir = vmd_creator_images_dir (f->conn);
    CHECK (g_str_equal (dir, "/srv/vm-images"), "new images go to %s", dir);
    g_settings_reset (settings, "new-vm-graphics");
    g_settings_reset (settings, "new-vm-image-folder");
  }
}

/* Unattended installation of the Debian-layout ISO: libosinfo's preseed,
 * generated for the user's name and password, appended to the installer's
 * initrd read from the ISO; the VM boots that kernel with the ISO inside. */
void
case_unattended (Fixture *f)
{
  VmdDomain *created = NULL;
  g_autoptr (GtkWidget) a = ct_open_assistant (f, &created);
  g_autofree char *iso = g_build_filename (g_getenv ("VMD_DEBIAN_ISO_DIR"), "debian-netinst.iso", NULL);
  const char *di = "/usr/lib/debian-installer/images/12/amd64/gtk/debian-installer/amd64";
  g_autofree char *di_kernel = g_build_filename (di, "linux", NULL);
  g_autofree char *di_initrd = g_build_filename (di, "initrd.gz", NULL);
  g_autofree char *kernel = NULL, *initrd = NULL, *media = NULL, *cdrom = NULL;
  g_autofree char *k1 = NULL, *k2 = NULL, *i1 = NULL, *i2 = NULL;
  gsize k1n, k2n, i1n, i2n;

  ct_type (a, "iso_entry", iso);
  ct_wait_label (a, "source_status_label", "Detected: Debian 11", 60000);
  ct_press (a, "_Next", PAGE_OS);
  CHECK (gtk_widget_is_sensitive (ct_child (a, "unattended_check")),
         "unattended installation is not offered for Debian 11");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ct_child (a, "unattended_check")), TRUE);
  ct_type (a, "unattended_login_entry", "tester");
  ct_wait_button (a, "_Next", FALSE, 2000, "without a password");
  ct_type (a, "unattended_password_entry", "s3cret");
  ct_wait_button (a, "_Next", TRUE, 2000, "with a password");
  ct_shot (a, "creator-unattended.png");
  ct_press (a, "_Next", PAGE_RESOURCES);
  ct_press (a, "_Next", PAGE_STORAGE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ct_child (a, "disk_size_spin")), 2);
  ct_press (a, "_Next", PAGE_FINISH);
  step (f, "Finish");
  CHECK (ct_finish (f, a, &created, "express", NULL) != NULL, "no VM");
  step (f, "created; forcing it off");
  remember_pid (f, vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (created)));
  /* The files, not the (slow) installation. */
  DOM_OK (created, destroy);
  step (f, "the files");

  kernel = vmd_domain_config_get_kernel (vmd_domain_get_config (created));
  initrd = vmd_domain_config_get_initrd (vmd_domain_get_config (created));
  media = vmd_domain_config_get_vmdesk_value (vmd_domain_get_config (created), VMD_INSTALL_KEY_MEDIA);
  CHECK (kernel != NULL && initrd != NULL, "the VM does not boot the installer's kernel");
  CHECK (g_str_has_prefix (media, "kernel "), "the install media are “%s”", media);
  {
    g_autoptr (GPtrArray) disks = vmd_domain_config_get_devices (vmd_domain_get_config (created), VMD_TYPE_DEVICE_DISK);
    for (guint i = 0; i < disks->len; i++)
      {
        g_autofree char *device = vmd_device_disk_get_device (g_ptr_array_index (disks, i));
        if (g_str_equal (device, "cdrom"))
          cdrom = vmd_device_disk_get_source (g_ptr_array_index (disks, i));
      }
    CHECK (g_strcmp0 (cdrom, iso) == 0, "the ISO is not in the CD-ROM drive (%s)", cdrom);
  }
  CHECK (g_file_get_contents (kernel, &k1, &k1n, NULL) && g_file_get_contents (di_kernel, &k2, &k2n, NULL) &&
         k1n == k2n && memcmp (k1, k2, k1n) == 0, "the kernel is not the ISO's install.amd/vmlinuz");
  CHECK (g_file_get_contents (initrd, &i1, &i1n, NULL) && g_file_get_contents (di_initrd, &i2, &i2n, NULL) &&
         i1n > i2n && memcmp (i1, i2, i2n) == 0, "the initrd does not start with the ISO's initrd.gz");
  {
    g_autoptr (GInputStream) mem = g_memory_input_stream_new_from_data (i1 + i2n, i1n - i2n, NULL);
    g_autoptr (GZlibDecompressor) z = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
    g_autoptr (GInputStream) in = g_converter_input_stream_new (mem, G_CONVERTER (z));
    char buf[65536];
    gsize got = 0;
    g_autofree char *text = NULL;

    CHECK (g_input_stream_read_all (in, buf, sizeof buf - 1, &got, NULL, NULL) && got > 0,
           "nothing appended to the initrd is gzip'd");
    buf[got] = '\0';
    for (gsize i = 0; i < got; i++)
      if (buf[i] == '\0')
        buf[i] = '\n';
    CHECK (strstr (buf, "preseed.cfg") != NULL, "the appended archive has no preseed.cfg");
    CHECK (strstr (buf, "passwd/username tester") != NULL,
           "the preseed does not create the user “tester”");
    CHECK (strstr (buf, "/dev/vda") != NULL, "the preseed does not install onto the virtio disk");
  }
  g_object_unref (created);
}

