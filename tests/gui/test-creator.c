/* test-creator.c: the New VM assistant and Quick boot on the real engine,
 * under Xvfb
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each case drives a real VmdCreatorAssistant on a private embedded
 * engine (tests/engine/engine-fixture.c) with the test guest of
 * tests/guest: it fills the pages as a user would, presses the
 * assistant's own Next/Apply/Cancel buttons (checking that Next is
 * insensitive while a page is wrong), and then watches the VM it made
 * through the guest's serial markers:
 *
 *   install-iso   installer.iso boots, writes the empty virtio disk and
 *                 powers off; the install watcher ejects the media and
 *                 restores the boot order; the next start boots the disk
 *   import        an existing qcow2 boots
 *   kernel        direct kernel boot boots the test kernel
 *   network       a kernel/initrd tree served on 127.0.0.1 by this test
 *   bad-input     missing/unreadable ISO, a non-ISO, a non-image disk, a
 *                 disk larger than the free space, a name in use; Cancel
 *                 leaves no VM and no image behind
 *   detect-debian the Debian-netinst-layout ISO is Debian 11 (osinfo-db)
 *                 and its recommended resources show on the next page
 *   quick-boot    a disk image runs at once, and is discarded on shutdown
 *
 * and, in the 'slow' suite (-p /creator/debian-installer-slow), the real Debian installer
 * booted under TCG to its graphical language chooser (a screenshot).
 *
 * Screenshots of each page go to VMD_SHOT_DIR.
 */
#define G_LOG_DOMAIN "test-creator"

#include "test-creator.h"

/* ============================================================== helpers */

GtkWidget *
ct_child (GtkWidget *a, const char *name)
{
  GObject *o = gtk_widget_get_template_child (a, VMD_TYPE_CREATOR_ASSISTANT, name);

  CHECK (o != NULL, "the assistant has no “%s”", name);
  return GTK_WIDGET (o);
}

void
ct_shot (GtkWidget *window, const char *file)
{
  const char *dir = g_getenv ("VMD_SHOT_DIR") ? g_getenv ("VMD_SHOT_DIR") : ".";
  g_autofree char *path = g_build_filename (dir, file, NULL);
  GdkWindow *w = gtk_widget_get_window (window);
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  g_autoptr (GError) error = NULL;

  spin_for (400);
  pixbuf = gdk_pixbuf_get_from_window (w, 0, 0, gdk_window_get_width (w), gdk_window_get_height (w));
  if (pixbuf == NULL || !gdk_pixbuf_save (pixbuf, path, "png", &error, NULL))
    FAIL ("the screenshot %s could not be saved: %s", path, error ? error->message : "no pixels");
  printf ("# screenshot: %s\n", path);
}

typedef struct {
  const char *label;
  GtkWidget  *found;
} ButtonSearch;

static void
find_button_cb (GtkWidget *w, gpointer data)
{
  ButtonSearch *s = data;

  if (s->found != NULL)
    return;
  if (GTK_IS_BUTTON (w) && gtk_widget_get_visible (w) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (w)), s->label) == 0)
    {
      s->found = w;
      return;
    }
  if (GTK_IS_CONTAINER (w))
    gtk_container_forall (GTK_CONTAINER (w), find_button_cb, s);
}

/* The assistant's own button, as the user sees it: "_Next", "_Apply"… */
GtkWidget *
ct_button (GtkWidget *a, const char *label)
{
  ButtonSearch s = { label, NULL };

  gtk_container_forall (GTK_CONTAINER (a), find_button_cb, &s);
  return s.found;
}

typedef struct {
  GtkWidget  *a;
  const char *label;
  gboolean    sensitive;
} ButtonWait;

static gboolean
button_is (gpointer data)
{
  ButtonWait *w = data;
  GtkWidget *b = ct_button (w->a, w->label);

  return b != NULL && gtk_widget_is_sensitive (b) == w->sensitive;
}

void
ct_wait_button (GtkWidget *a, const char *label, gboolean sensitive, guint ms, const char *when)
{
  ButtonWait w = { a, label, sensitive };

  if (!spin_until (button_is, &w, ms))
    FAIL ("%s: the %s button is %s, not %s (page %d)", when, label,
          ct_button (a, label) == NULL ? "missing"
          : gtk_widget_is_sensitive (ct_button (a, label)) ? "sensitive" : "insensitive",
          sensitive ? "sensitive" : "insensitive",
          gtk_assistant_get_current_page (GTK_ASSISTANT (a)));
}

/* Presses @label once it is sensitive; checks the page changed to @to. */
void
ct_press (GtkWidget *a, const char *label, int to)
{
  g_autofree char *when = g_strdup_printf ("pressing %s on page %d", label,
                                           gtk_assistant_get_current_page (GTK_ASSISTANT (a)));

  ct_wait_button (a, label, TRUE, 60000, when);
  gtk_button_clicked (GTK_BUTTON (ct_button (a, label)));
  spin_for (50);
  if (to >= 0)
    CHECK (gtk_assistant_get_current_page (GTK_ASSISTANT (a)) == to, "%s: now on page %d, not %d",
           when, gtk_assistant_get_current_page (GTK_ASSISTANT (a)), to);
}

void
ct_type (GtkWidget *a, const char *entry, const char *text)
{
  gtk_entry_set_text (GTK_ENTRY (ct_child (a, entry)), text);
}


gboolean
ct_label_has (gpointer data)
{
  LabelWait *w = data;

  return gtk_widget_get_visible (w->label) &&
         strstr (gtk_label_get_text (GTK_LABEL (w->label)), w->needle) != NULL;
}

void
ct_wait_label (GtkWidget *a, const char *label, const char *needle, guint ms)
{
  LabelWait w = { ct_child (a, label), needle };

  if (!spin_until (ct_label_has, &w, ms))
    FAIL ("“%s” does not say “%s” (it says “%s”%s)", label, needle,
          gtk_label_get_text (GTK_LABEL (w.label)), gtk_widget_get_visible (w.label) ? "" : ", hidden");
}

static void
domain_created_cb (GtkWidget *a, VmdDomain *d, VmdDomain **out)
{
  *out = g_object_ref (d);
}

GtkWidget *
ct_open_assistant (Fixture *f, VmdDomain **created)
{
  GtkWidget *a = vmd_creator_assistant_new (NULL, f->conn);

  g_object_ref_sink (a);
  g_signal_connect (a, "domain-created", G_CALLBACK (domain_created_cb), created);
  gtk_widget_show (a);
  spin_for (200);
  return a;
}

gboolean
ct_ptr_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

gboolean
ct_kvm_known (gpointer data)
{
  return strstr (gtk_label_get_text (GTK_LABEL (data)), "Checking") == NULL;
}

/* On the finish page: a name, TCG (this machine's KVM cannot run guests),
 * Apply; returns the VM once the assistant says it was made. */
VmdDomain *
ct_finish (Fixture *f, GtkWidget *a, VmdDomain **created, const char *name, const char *shot_file)
{
  CHECK (spin_until (ct_kvm_known, ct_child (a, "accel_label"), 120000), "the KVM probe did not answer");
  ct_type (a, "name_entry", name);
  CHECK (gtk_combo_box_set_active_id (GTK_COMBO_BOX (ct_child (a, "accel_combo")), "qemu"),
         "no TCG choice");
  if (shot_file != NULL)
    ct_shot (a, shot_file);
  ct_press (a, "_Apply", -1);
  CHECK (spin_until (ct_ptr_set, created, 120000),
         "the assistant did not create the VM (its page says “%s”)",
         gtk_label_get_text (GTK_LABEL (ct_child (a, "finish_error_label"))));
  return *created;
}

void
ct_set_memory (GtkWidget *a, int mib, int cpus)
{
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ct_child (a, "memory_spin")), mib);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ct_child (a, "cpus_spin")), cpus);
}

char *
ct_images_dir (Fixture *f)
{
  return g_strdup (vmd_qemu_connection_get_images_dir (VMD_QEMU_CONNECTION (f->conn)));
}


gboolean
ct_key_gone (gpointer data)
{
  KeyGone *k = data;
  g_autofree char *v = vmd_domain_config_get_vmdesk_value (vmd_domain_get_config (k->d), k->key);

  return v == NULL;
}

/* ================================================================ cases */

static void
case_install_iso (Fixture *f)
{
  VmdDomain *created = NULL;
  g_autoptr (GtkWidget) a = ct_open_assistant (f, &created);
  g_autofree char *iso = g_build_filename (guest_dir, "installer.iso", NULL);
  g_autoptr (GPtrArray) disks = NULL;
  g_auto (GStrv) boot = NULL;
  g_autofree char *disk = NULL;
  Serial *s;

  step (f, "page 1: the installer ISO");
  ct_wait_button (a, "_Next", FALSE, 1000, "with no ISO chosen");
  ct_type (a, "iso_entry", iso);
  ct_wait_label (a, "source_status_label", "not recognised", 30000);
  ct_shot (a, "creator-1-source.png");
  ct_press (a, "_Next", PAGE_OS);
  CHECK (strstr (gtk_label_get_text (GTK_LABEL (ct_child (a, "os_name_label"))), "Generic") != NULL,
         "the OS page shows “%s”", gtk_label_get_text (GTK_LABEL (ct_child (a, "os_name_label"))));
  ct_shot (a, "creator-2-os.png");
  ct_press (a, "_Next", PAGE_RESOURCES);
  ct_set_memory (a, 128, 1);
  ct_shot (a, "creator-3-resources.png");
  ct_press (a, "_Next", PAGE_STORAGE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ct_child (a, "disk_size_spin")), 0.1);
  ct_wait_label (a, "disk_free_label", "free in", 10000);
  ct_shot (a, "creator-4-storage.png");
  ct_press (a, "_Next", PAGE_FINISH);
  CHECK (ct_finish (f, a, &created, "installed", "creator-5-finish.png") != NULL, "no VM");
  remember_pid (f, vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (created)));

  step (f, "the installer runs");
  s = serial_open (f, created);
  serial_wait (s, "VMDESK-INSTALL-DONE", BOOT_TIMEOUT, "installing");
  wait_state (created, VMD_DOMAIN_STATE_SHUTOFF, -1, 30000, "after the installer");
  {
    KeyGone k = { created, VMD_INSTALL_KEY_STATE };
    CHECK (spin_until (ct_key_gone, &k, 10000), "the install marker stayed after the shutdown");
  }
  step (f, "the media is ejected, the boot order is the disk");
  disks = vmd_domain_config_get_devices (vmd_domain_get_config (created), VMD_TYPE_DEVICE_DISK);
  for (guint i = 0; i < disks->len; i++)
    {
      g_autofree char *device = vmd_device_disk_get_device (g_ptr_array_index (disks, i));
      g_autofree char *source = vmd_device_disk_get_source (g_ptr_array_index (disks, i));

      if (g_str_equal (device, "cdrom"))
        CHECK (source == NULL, "the CD-ROM still holds %s", source);
      else
        disk = g_steal_pointer (&source);
    }
  boot = vmd_domain_config_get_boot_devices (vmd_domain_get_config (created));
  CHECK (boot != NULL && g_strv_length (boot) == 1 && g_str_equal (boot[0], "hd"),
         "the boot order is not the disk alone");
  CHECK (disk != NULL && g_str_has_prefix (disk, ct_images_dir (f)), "the disk %s is not in the image folder", disk);

  step (f, "the next start boots the installed disk");
  DOM_OK (created, start, VMD_START_NONE);
  remember_pid (f, vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (created)));
  s = serial_open (f, created);
  serial_wait (s, "VMDESK-GUEST-READY disk", BOOT_TIMEOUT, "booting the installed disk");
  g_object_unref (created);
  created = NULL;

  step (f, "the next assistant lists the ISO as recently used");
  {
    g_autoptr (GtkWidget) again = ct_open_assistant (f, &created);
    g_autoptr (GList) rows = gtk_container_get_children (GTK_CONTAINER (ct_child (again, "recent_list")));
    GtkWidget *mine = NULL;

    CHECK (rows != NULL && gtk_widget_get_visible (ct_child (again, "recent_list")),
           "no recently used ISO is listed");
    /* Newest first: the ISO just installed from. */
    mine = rows->data;
    CHECK (g_strcmp0 (g_object_get_data (G_OBJECT (mine), "path"), iso) == 0,
           "the newest recently used ISO is %s, not %s",
           (const char *) g_object_get_data (G_OBJECT (mine), "path"), iso);
    g_signal_emit_by_name (mine, "activate");
    CHECK (g_str_equal (gtk_entry_get_text (GTK_ENTRY (ct_child (again, "iso_entry"))), iso),
           "choosing the recent ISO sets “%s”", gtk_entry_get_text (GTK_ENTRY (ct_child (again, "iso_entry"))));
    gtk_widget_destroy (again);
  }
}

static void
case_import (Fixture *f)
{
  VmdDomain *created = NULL;
  g_autoptr (GtkWidget) a = ct_open_assistant (f, &created);
  Serial *s;

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ct_child (a, "radio_import")), TRUE);
  ct_type (a, "import_entry", f->disk);
  ct_wait_label (a, "source_status_label", "qcow2", 30000);
  ct_shot (a, "creator-import-source.png");
  ct_press (a, "_Next", PAGE_OS);
  ct_press (a, "_Next", PAGE_RESOURCES);
  ct_set_memory (a, 128, 1);
  /* The imported disk is the storage: the storage page is skipped. */
  ct_press (a, "_Next", PAGE_FINISH);
  CHECK (ct_finish (f, a, &created, "imported", "creator-import-finish.png") != NULL, "no VM");
  remember_pid (f, vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (created)));
  s = serial_open (f, created);
  serial_wait (s, "VMDESK-GUEST-READY disk", BOOT_TIMEOUT, "booting the imported disk");
  {
    g_autofree char *src = disk_source (created);
    CHECK (g_str_equal (src, f->disk), "the VM uses %s, not the imported %s", src, f->disk);
  }
  g_object_unref (created);
  gtk_widget_destroy (a);
}

static void
case_kernel (Fixture *f)
{
  VmdDomain *created = NULL;
  g_autoptr (GtkWidget) a = ct_open_assistant (f, &created);
  g_autofree char *kernel = g_build_filename (guest_dir, "vmlinuz", NULL);
  g_autofree char *initrd = g_build_filename (guest_dir, "initrd.img", NULL);
  Serial *s;

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ct_child (a, "radio_kernel")), TRUE);
  ct_type (a, "kernel_entry", "/nonexistent/vmlinuz");
  ct_wait_label (a, "source_status_label", "cannot be read", 10000);
  ct_wait_button (a, "_Next", FALSE, 1000, "with a missing kernel");
  ct_type (a, "kernel_entry", kernel);
  ct_type (a, "initrd_entry", initrd);
  ct_type (a, "kernel_args_entry", "console=ttyS0");
  ct_shot (a, "creator-kernel-source.png");
  ct_press (a, "_Next", PAGE_OS);
  ct_press (a, "_Next", PAGE_RESOURCES);
  ct_set_memory (a, 128, 1);
  ct_press (a, "_Next", PAGE_STORAGE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ct_child (a, "radio_disk_none")), TRUE);
  ct_press (a, "_Next", PAGE_FINISH);

  step (f, "Customize configuration before install: the Details view, then Cancel");
  CHECK (gtk_widget_is_sensitive (ct_child (a, "customize_check")), "Customize cannot be chosen");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ct_child (a, "customize_check")), TRUE);
  CHECK (spin_until (ct_kvm_known, ct_child (a, "accel_label"), 120000), "the KVM probe did not answer");
  ct_type (a, "name_entry", "direct");
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (ct_child (a, "accel_combo")), "qemu");
  ct_press (a, "_Apply", -1);
  {
    GtkWidget *w = g_object_get_data (G_OBJECT (a), "customize-window");

    CHECK (w != NULL && gtk_widget_get_visible (w), "no customize window");
    ct_shot (w, "creator-customize.png");
    CHECK (ct_button (w, "_Cancel Installation") != NULL, "no Cancel Installation button");
    gtk_button_clicked (GTK_BUTTON (ct_button (w, "_Cancel Installation")));
    spin_for (200);
    CHECK (gtk_assistant_get_current_page (GTK_ASSISTANT (a)) == PAGE_FINISH,
           "cancelling the customizing did not go back to the last page");
    CHECK (vmd_connection_lookup_domain (f->conn, "direct") == NULL, "a VM was made anyway");
  }
  step (f, "again, and Begin Installation");
  ct_press (a, "_Apply", -1);
  {
    GtkWidget *w = g_object_get_data (G_OBJECT (a), "customize-window");

    CHECK (w != NULL, "no customize window the second time");
    gtk_button_clicked (GTK_BUTTON (ct_button (w, "_Begin Installation")));
  }
  CHECK (spin_until (ct_ptr_set, &created, 120000), "Begin Installation did not create the VM");
  remember_pid (f, vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (created)));
  s = serial_open (f, created);
  serial_wait (s, "VMDESK-GUEST-READY kernel", BOOT_TIMEOUT, "direct kernel boot");
  g_object_unref (created);
  gtk_widget_destroy (a);
}

guint
ct_count_files (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
case_bad_input (Fixture *f)
{
  VmdDomain *created = NULL;
  g_autoptr (GtkWidget) a = ct_open_assistant (f, &created);
  g_autofree char *text = g_build_filename (f->tmp, "notes.txt", NULL);
  g_autofree char *secret = g_build_filename (f->tmp, "secret.iso", NULL);
  g_autofree char *iso = g_build_filename (guest_dir, "installer.iso", NULL);
  g_autofree char *images = ct_images_dir (f);
  g_autoptr (VmdDomain) taken = define_guest (f, f->conn, "taken", NULL);
  guint images_before = ct_count_files (images);

  write_file (text, "This is not an image.\n", 0644);
  write_file (secret, "x", 0000);

  step (f, "a missing ISO");
  ct_type (a, "iso_entry", "/nonexistent/install.iso");
  ct_wait_label (a, "source_status_label", "cannot be read", 10000);
  ct_wait_button (a, "_Next", FALSE, 500, "with a missing ISO");
  ct_shot (a, "creator-bad-iso.png");
  if (getuid () != 0)
    {
      step (f, "an unreadable ISO");
      ct_type (a, "iso_entry", secret);
      ct_wait_label (a, "source_status_label", "cannot be read", 10000);
      ct_wait_button (a, "_Next", FALSE, 500, "with an unreadable ISO");
    }
  step (f, "a text file as ISO");
  ct_type (a, "iso_entry", text);
  ct_wait_label (a, "source_status_label", "not a bootable", 10000);
  ct_wait_button (a, "_Next", FALSE, 500, "with a text file as ISO");

  step (f, "a text file as disk image");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ct_child (a, "radio_import")), TRUE);
  ct_type (a, "import_entry", text);
  ct_wait_label (a, "source_status_label", "not a disk image", 20000);
  ct_wait_button (a, "_Next", FALSE, 500, "with a text file as disk image");
  ct_shot (a, "creator-bad-disk.png");

  step (f, "fixed: the installer ISO");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ct_child (a, "radio_iso")), TRUE);
  ct_type (a, "iso_entry", iso);
  ct_press (a, "_Next", PAGE_OS);
  ct_press (a, "_Next", PAGE_RESOURCES);
  ct_press (a, "_Next", PAGE_STORAGE);

  step (f, "a disk larger than the free space");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ct_child (a, "disk_size_spin")), 65536);
  ct_wait_label (a, "storage_error_label", "does not fit", 10000);
  ct_wait_button (a, "_Next", FALSE, 500, "with a 64 TiB disk");
  ct_shot (a, "creator-bad-size.png");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ct_child (a, "disk_size_spin")), 1);
  ct_press (a, "_Next", PAGE_FINISH);

  step (f, "a name in use");
  CHECK (spin_until (ct_kvm_known, ct_child (a, "accel_label"), 120000), "the KVM probe did not answer");
  ct_type (a, "name_entry", "taken");
  ct_wait_label (a, "name_error_label", "already exists", 5000);
  ct_wait_button (a, "_Apply", FALSE, 500, "with a name in use");
  ct_shot (a, "creator-bad-name.png");
  ct_type (a, "name_entry", "free-name");
  ct_wait_button (a, "_Apply", TRUE, 5000, "with a free name");

  step (f, "Cancel leaves nothing behind");
  ct_press (a, "_Cancel", -1);
  spin_for (300);
  CHECK (!gtk_widget_get_visible (a), "the assistant is still shown after Cancel");
  {
    g_autoptr (GPtrArray) all = vmd_connection_list_domains (f->conn);
    CHECK (all->len == 1, "%u VMs after Cancel, not 1", all->len);
  }
  CHECK (ct_count_files (images) == images_before, "Cancel left files in %s", images);
  CHECK (created == NULL, "Cancel created a VM");
}

static gboolean
list_filled (gpointer data)
{
  g_autoptr (GList) rows = gtk_container_get_children (GTK_CONTAINER (data));
  return g_list_length (rows) > 100;
}

static GtkListBoxRow *
first_visible_row (GtkWidget *list)
{
  g_autoptr (GList) rows = gtk_container_get_children (GTK_CONTAINER (list));

  for (GList *l = rows; l; l = l->next)
    if (gtk_widget_get_child_visible (l->data) && gtk_widget_get_mapped (l->data))
      return l->data;
  return NULL;
}

static void
case_detect_debian (Fixture *f)
{
  VmdDomain *created = NULL;
  g_autoptr (GtkWidget) a = ct_open_assistant (f, &created);
  g_autofree char *iso_dir = g_strdup (g_getenv ("VMD_DEBIAN_ISO_DIR"));
  g_autofree char *iso = g_build_filename (iso_dir, "debian-netinst.iso", NULL);
  const char *hint;

  ct_type (a, "iso_entry", iso);
  ct_wait_label (a, "source_status_label", "Detected: Debian 11", 60000);
  ct_shot (a, "creator-debian-source.png");
  ct_press (a, "_Next", PAGE_OS);
  CHECK (g_str_equal (gtk_label_get_text (GTK_LABEL (ct_child (a, "os_name_label"))), "Debian 11"),
         "the OS page shows “%s”", gtk_label_get_text (GTK_LABEL (ct_child (a, "os_name_label"))));
  ct_shot (a, "creator-debian-os.png");

  /* Overriding the detection with the searchable list, then back. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ct_child (a, "os_auto_check")), FALSE);
  CHECK (spin_until (list_filled, ct_child (a, "os_list"), 60000), "the OS list stays empty");
  gtk_entry_set_text (GTK_ENTRY (ct_child (a, "os_search_entry")), "Fedora 36");
  spin_for (500);
  {
    GtkListBoxRow *row = first_visible_row (ct_child (a, "os_list"));
    CHECK (row != NULL, "searching “Fedora 36” finds nothing");
    gtk_list_box_select_row (GTK_LIST_BOX (ct_child (a, "os_list")), row);
  }
  CHECK (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (ct_child (a, "os_name_label"))), "Fedora"),
         "choosing from the list shows “%s”", gtk_label_get_text (GTK_LABEL (ct_child (a, "os_name_label"))));
  ct_shot (a, "creator-os-override.png");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ct_child (a, "os_auto_check")), TRUE);
  CHECK (g_str_equal (gtk_label_get_text (GTK_LABEL (ct_child (a, "os_name_label"))), "Debian 11"),
         "back to detection shows “%s”", gtk_label_get_text (GTK_LABEL (ct_child (a, "os_name_label"))));
  ct_press (a, "_Next", PAGE_RESOURCES);
  /* osinfo-db: Debian 11 recommends 1 GiB of memory and 20 GiB of disk. */
  hint = gtk_label_get_text (GTK_LABEL (ct_child (a, "resources_hint_label")));
  CHECK (strstr (hint, "Recommended for Debian 11: 1.0") != NULL && strstr (hint, "GiB of memory") != NULL,
         "the hint says “%s”", hint);
  CHECK (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (ct_child (a, "memory_spin"))) == 1024,
         "memory is %d MiB, not the recommended 1024",
         gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (ct_child (a, "memory_spin"))));
  ct_shot (a, "creator-debian-resources.png");
  ct_press (a, "_Next", PAGE_STORAGE);
  CHECK (gtk_spin_button_get_value (GTK_SPIN_BUTTON (ct_child (a, "disk_size_spin"))) == 20,
         "the disk is %.1f GiB, not the recommended 20",
         gtk_spin_button_get_value (GTK_SPIN_BUTTON (ct_child (a, "disk_size_spin"))));
  gtk_widget_destroy (a);
}

static gboolean
domain_gone (gpointer data)
{
  Fixture *f = ((gpointer *) data)[0];
  const char *name = ((gpointer *) data)[1];
  VmdDomain *d = vmd_connection_lookup_domain (f->conn, name);

  return d == NULL;
}

static void
case_quick_boot (Fixture *f)
{
  g_autoptr (GFile) file = g_file_new_for_path (f->disk);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdDomain) d = NULL;
  g_autofree char *overlay = NULL;
  g_autofree char *name = NULL;
  Serial *s;

  step (f, "Quick boot of the disk image");
  vmd_quick_boot_async (f->conn, file, NULL, store_result, &result);
  d = vmd_quick_boot_finish (f->conn, await_result (&result, 120, "quick boot"), &error);
  CHECK (d != NULL, "Quick boot failed: %s", error ? error->message : "?");
  remember_pid (f, vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (d)));
  step (f, "running; waiting for the guest");
  CHECK (vmd_quick_boot_is_throwaway (d), "the Quick boot VM is not marked as throwaway");
  overlay = disk_source (d);
  CHECK (!g_str_equal (overlay, f->disk), "Quick boot runs on the image itself");
  s = serial_open (f, d);
  serial_wait (s, "VMDESK-GUEST-READY disk", BOOT_TIMEOUT, "quick boot of the disk");
  serial_wait (s, PROMPT, CMD_TIMEOUT, "quick boot");
  step (f, "powering off");
  serial_write (s, "poweroff -f\n");
  name = g_strdup (vmd_domain_get_name (d));
  {
    gpointer args[] = { f, name };
    CHECK (spin_until (domain_gone, args, 60000), "the Quick boot VM was not discarded on shutdown");
  }
  CHECK (!g_file_test (overlay, G_FILE_TEST_EXISTS), "the overlay %s was left behind", overlay);
  CHECK (g_file_test (f->disk, G_FILE_TEST_EXISTS), "the booted image itself is gone");
}

/* ----------------------------------------------------------- slow case */

static void
case_debian_installer (Fixture *f)
{
  VmdDomain *created = NULL;
  g_autoptr (GtkWidget) a = ct_open_assistant (f, &created);
  g_autofree char *iso = g_build_filename (g_getenv ("VMD_DEBIAN_ISO_DIR"), "debian-netinst.iso", NULL);
  const char *dir = g_getenv ("VMD_SHOT_DIR") ? g_getenv ("VMD_SHOT_DIR") : ".";
  g_autofree char *png = g_build_filename (dir, "creator-debian-installer.png", NULL);
  gint64 deadline = g_get_monotonic_time () + 400 * G_USEC_PER_SEC;
  guint colours = 0;

  ct_type (a, "iso_entry", iso);
  ct_wait_label (a, "source_status_label", "Detected: Debian 11", 60000);
  ct_press (a, "_Next", PAGE_OS);
  ct_press (a, "_Next", PAGE_RESOURCES);
  ct_press (a, "_Next", PAGE_STORAGE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ct_child (a, "disk_size_spin")), 2);
  ct_press (a, "_Next", PAGE_FINISH);
  CHECK (ct_finish (f, a, &created, "debian11", NULL) != NULL, "no VM");
  remember_pid (f, vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (created)));
  step (f, "booting the Debian installer under TCG");
  /* The language chooser is a full-colour GTK screen; the boot screens
   * before it (SeaBIOS, isolinux, the kernel's text) have a few colours. */
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr (GdkPixbuf) pixbuf = NULL;

      spin_for (10000);
      CHECK (vmd_domain_get_state (created) == VMD_DOMAIN_STATE_RUNNING, "the installer VM is %s",
             state_name (vmd_domain_get_state (created)));
      DOM_OK (created, screenshot, png);
      pixbuf = gdk_pixbuf_new_from_file (png, NULL);
      if (pixbuf == NULL)
        continue;
      {
        g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
        int w = gdk_pixbuf_get_width (pixbuf), h = gdk_pixbuf_get_height (pixbuf);
        int stride = gdk_pixbuf_get_rowstride (pixbuf), n = gdk_pixbuf_get_n_channels (pixbuf);
        const guint8 *px = gdk_pixbuf_read_pixels (pixbuf);

        for (int y = 0; y < h; y += 2)
          for (int x = 0; x < w; x += 2)
            {
              const guint8 *p = px + y * stride + x * n;
              g_hash_table_add (seen, GUINT_TO_POINTER ((p[0] << 16 | p[1] << 8 | p[2]) + 1));
            }
        colours = g_hash_table_size (seen);
        step (f, "screen %dx%d, %u colours", w, h, colours);
        if (w >= 800 && colours > 200)
          break;
      }
    }
  CHECK (colours > 200, "the installer's graphical screen did not appear (%u colours)", colours);
  /* Let it finish drawing, then the screenshot for people. */
  spin_for (15000);
  DOM_OK (created, screenshot, png);
  printf ("# screenshot: %s\n", png);
  g_object_unref (created);
  gtk_widget_destroy (a);
}

static const EngineCase cases[] = {
  { "bad-input", case_bad_input, 240 },
  { "install-iso", case_install_iso, 300 },
  { "import", case_import, 240 },
  { "import-vmdk", case_import_vmdk, 240 },
  { "os-defaults", case_os_defaults, 120 },
  { "kernel", case_kernel, 240 },
  { "network", case_network, 240 },
  { "detect-debian", case_detect_debian, 180 },
  { "unattended", case_unattended, 240 },
  { "quick-boot", case_quick_boot, 400 },
  { "quick-boot-keep", case_quick_boot_keep, 400 },
  { "watcher-not-starter", case_watcher_not_starter, 300 },
  /* The 'slow' suite's: meson runs it alone with -p, the others with -s. */
  { "debian-installer-slow", case_debian_installer, 600 },
};

int
main (int argc, char *argv[])
{
  if (g_getenv ("DISPLAY") == NULL || g_getenv ("DISPLAY")[0] == '\0')
    {
      printf ("1..0 # SKIP no DISPLAY\n");
      return 77;
    }
  g_test_init (&argc, &argv, NULL);
  gtk_init (&argc, &argv);
  if (!g_test_subprocess () && g_getenv ("VMD_DEBIAN_ISO_BUILDER") != NULL)
    {
      /* The Debian-netinst-layout ISO (cached): detection and the slow case. */
      const char *builder[] = { g_getenv ("VMD_DEBIAN_ISO_BUILDER"), g_getenv ("VMD_DEBIAN_ISO_DIR"), NULL };
      g_autofree char *err = NULL;

      if (run_program (builder, NULL, &err, "build-debian-iso") != 0)
        {
          printf ("Bail out! the Debian-layout ISO could not be built: %s\n", err);
          return 1;
        }
    }
  return engine_test_main (argc, argv, "/creator", cases, G_N_ELEMENTS (cases));
}
