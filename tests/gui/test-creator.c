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

#include <gtk/gtk.h>

#include "engine-fixture.h"
#include "vmd-creator-assistant.h"
#include "vmd-creator-private.h"
#include "vmd-domain-config-metadata.h"
#include "vmd-install-watcher.h"
#include "vmd-quick-boot.h"

enum { PAGE_SOURCE, PAGE_OS, PAGE_RESOURCES, PAGE_STORAGE, PAGE_FINISH, PAGE_PROGRESS };

/* ============================================================== helpers */

static GtkWidget *
child (GtkWidget *a, const char *name)
{
  GObject *o = gtk_widget_get_template_child (a, VMD_TYPE_CREATOR_ASSISTANT, name);

  CHECK (o != NULL, "the assistant has no “%s”", name);
  return GTK_WIDGET (o);
}

static void
shot (GtkWidget *window, const char *file)
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
static GtkWidget *
button (GtkWidget *a, const char *label)
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
  GtkWidget *b = button (w->a, w->label);

  return b != NULL && gtk_widget_is_sensitive (b) == w->sensitive;
}

static void
wait_button (GtkWidget *a, const char *label, gboolean sensitive, guint ms, const char *when)
{
  ButtonWait w = { a, label, sensitive };

  if (!spin_until (button_is, &w, ms))
    FAIL ("%s: the %s button is %s, not %s (page %d)", when, label,
          button (a, label) == NULL ? "missing"
          : gtk_widget_is_sensitive (button (a, label)) ? "sensitive" : "insensitive",
          sensitive ? "sensitive" : "insensitive",
          gtk_assistant_get_current_page (GTK_ASSISTANT (a)));
}

/* Presses @label once it is sensitive; checks the page changed to @to. */
static void
press (GtkWidget *a, const char *label, int to)
{
  g_autofree char *when = g_strdup_printf ("pressing %s on page %d", label,
                                           gtk_assistant_get_current_page (GTK_ASSISTANT (a)));

  wait_button (a, label, TRUE, 60000, when);
  gtk_button_clicked (GTK_BUTTON (button (a, label)));
  spin_for (50);
  if (to >= 0)
    CHECK (gtk_assistant_get_current_page (GTK_ASSISTANT (a)) == to, "%s: now on page %d, not %d",
           when, gtk_assistant_get_current_page (GTK_ASSISTANT (a)), to);
}

static void
type (GtkWidget *a, const char *entry, const char *text)
{
  gtk_entry_set_text (GTK_ENTRY (child (a, entry)), text);
}

typedef struct {
  GtkWidget  *label;
  const char *needle;
} LabelWait;

static gboolean
label_has (gpointer data)
{
  LabelWait *w = data;

  return gtk_widget_get_visible (w->label) &&
         strstr (gtk_label_get_text (GTK_LABEL (w->label)), w->needle) != NULL;
}

static void
wait_label (GtkWidget *a, const char *label, const char *needle, guint ms)
{
  LabelWait w = { child (a, label), needle };

  if (!spin_until (label_has, &w, ms))
    FAIL ("“%s” does not say “%s” (it says “%s”%s)", label, needle,
          gtk_label_get_text (GTK_LABEL (w.label)), gtk_widget_get_visible (w.label) ? "" : ", hidden");
}

static void
domain_created_cb (GtkWidget *a, VmdDomain *d, VmdDomain **out)
{
  *out = g_object_ref (d);
}

static GtkWidget *
open_assistant (Fixture *f, VmdDomain **created)
{
  GtkWidget *a = vmd_creator_assistant_new (NULL, f->conn);

  g_object_ref_sink (a);
  g_signal_connect (a, "domain-created", G_CALLBACK (domain_created_cb), created);
  gtk_widget_show (a);
  spin_for (200);
  return a;
}

static gboolean
ptr_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static gboolean
kvm_known (gpointer data)
{
  return strstr (gtk_label_get_text (GTK_LABEL (data)), "Checking") == NULL;
}

/* On the finish page: a name, TCG (this machine's KVM cannot run guests),
 * Apply; returns the VM once the assistant says it was made. */
static VmdDomain *
finish (Fixture *f, GtkWidget *a, VmdDomain **created, const char *name, const char *shot_file)
{
  CHECK (spin_until (kvm_known, child (a, "accel_label"), 120000), "the KVM probe did not answer");
  type (a, "name_entry", name);
  CHECK (gtk_combo_box_set_active_id (GTK_COMBO_BOX (child (a, "accel_combo")), "qemu"),
         "no TCG choice");
  if (shot_file != NULL)
    shot (a, shot_file);
  press (a, "_Apply", -1);
  CHECK (spin_until (ptr_set, created, 120000),
         "the assistant did not create the VM (its page says “%s”)",
         gtk_label_get_text (GTK_LABEL (child (a, "finish_error_label"))));
  return *created;
}

static void
set_memory (GtkWidget *a, int mib, int cpus)
{
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (a, "memory_spin")), mib);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (a, "cpus_spin")), cpus);
}

static char *
images_dir (Fixture *f)
{
  return g_strdup (vmd_qemu_connection_get_images_dir (VMD_QEMU_CONNECTION (f->conn)));
}

typedef struct {
  VmdDomain  *d;
  const char *key;
} KeyGone;

static gboolean
key_gone (gpointer data)
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
  g_autoptr (GtkWidget) a = open_assistant (f, &created);
  g_autofree char *iso = g_build_filename (guest_dir, "installer.iso", NULL);
  g_autoptr (GPtrArray) disks = NULL;
  g_auto (GStrv) boot = NULL;
  g_autofree char *disk = NULL;
  Serial *s;

  step (f, "page 1: the installer ISO");
  wait_button (a, "_Next", FALSE, 1000, "with no ISO chosen");
  type (a, "iso_entry", iso);
  wait_label (a, "source_status_label", "not recognised", 30000);
  shot (a, "creator-1-source.png");
  press (a, "_Next", PAGE_OS);
  CHECK (strstr (gtk_label_get_text (GTK_LABEL (child (a, "os_name_label"))), "Generic") != NULL,
         "the OS page shows “%s”", gtk_label_get_text (GTK_LABEL (child (a, "os_name_label"))));
  shot (a, "creator-2-os.png");
  press (a, "_Next", PAGE_RESOURCES);
  set_memory (a, 128, 1);
  shot (a, "creator-3-resources.png");
  press (a, "_Next", PAGE_STORAGE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (a, "disk_size_spin")), 0.1);
  wait_label (a, "disk_free_label", "free in", 10000);
  shot (a, "creator-4-storage.png");
  press (a, "_Next", PAGE_FINISH);
  CHECK (finish (f, a, &created, "installed", "creator-5-finish.png") != NULL, "no VM");
  remember_pid (f, vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (created)));

  step (f, "the installer runs");
  s = serial_open (f, created);
  serial_wait (s, "VMDESK-INSTALL-DONE", BOOT_TIMEOUT, "installing");
  wait_state (created, VMD_DOMAIN_STATE_SHUTOFF, -1, 30000, "after the installer");
  {
    KeyGone k = { created, VMD_INSTALL_KEY_STATE };
    CHECK (spin_until (key_gone, &k, 10000), "the install marker stayed after the shutdown");
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
  CHECK (disk != NULL && g_str_has_prefix (disk, images_dir (f)), "the disk %s is not in the image folder", disk);

  step (f, "the next start boots the installed disk");
  DOM_OK (created, start, VMD_START_NONE);
  remember_pid (f, vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (created)));
  s = serial_open (f, created);
  serial_wait (s, "VMDESK-GUEST-READY disk", BOOT_TIMEOUT, "booting the installed disk");
  g_object_unref (created);
  created = NULL;

  step (f, "the next assistant lists the ISO as recently used");
  {
    g_autoptr (GtkWidget) again = open_assistant (f, &created);
    g_autoptr (GList) rows = gtk_container_get_children (GTK_CONTAINER (child (again, "recent_list")));
    GtkWidget *mine = NULL;

    CHECK (rows != NULL && gtk_widget_get_visible (child (again, "recent_list")),
           "no recently used ISO is listed");
    /* Newest first: the ISO just installed from. */
    mine = rows->data;
    CHECK (g_strcmp0 (g_object_get_data (G_OBJECT (mine), "path"), iso) == 0,
           "the newest recently used ISO is %s, not %s",
           (const char *) g_object_get_data (G_OBJECT (mine), "path"), iso);
    g_signal_emit_by_name (mine, "activate");
    CHECK (g_str_equal (gtk_entry_get_text (GTK_ENTRY (child (again, "iso_entry"))), iso),
           "choosing the recent ISO sets “%s”", gtk_entry_get_text (GTK_ENTRY (child (again, "iso_entry"))));
    gtk_widget_destroy (again);
  }
}

static void
case_import (Fixture *f)
{
  VmdDomain *created = NULL;
  g_autoptr (GtkWidget) a = open_assistant (f, &created);
  Serial *s;

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (a, "radio_import")), TRUE);
  type (a, "import_entry", f->disk);
  wait_label (a, "source_status_label", "qcow2", 30000);
  shot (a, "creator-import-source.png");
  press (a, "_Next", PAGE_OS);
  press (a, "_Next", PAGE_RESOURCES);
  set_memory (a, 128, 1);
  /* The imported disk is the storage: the storage page is skipped. */
  press (a, "_Next", PAGE_FINISH);
  CHECK (finish (f, a, &created, "imported", "creator-import-finish.png") != NULL, "no VM");
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
  g_autoptr (GtkWidget) a = open_assistant (f, &created);
  g_autofree char *kernel = g_build_filename (guest_dir, "vmlinuz", NULL);
  g_autofree char *initrd = g_build_filename (guest_dir, "initrd.img", NULL);
  Serial *s;

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (a, "radio_kernel")), TRUE);
  type (a, "kernel_entry", "/nonexistent/vmlinuz");
  wait_label (a, "source_status_label", "cannot be read", 10000);
  wait_button (a, "_Next", FALSE, 1000, "with a missing kernel");
  type (a, "kernel_entry", kernel);
  type (a, "initrd_entry", initrd);
  type (a, "kernel_args_entry", "console=ttyS0");
  shot (a, "creator-kernel-source.png");
  press (a, "_Next", PAGE_OS);
  press (a, "_Next", PAGE_RESOURCES);
  set_memory (a, 128, 1);
  press (a, "_Next", PAGE_STORAGE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (a, "radio_disk_none")), TRUE);
  press (a, "_Next", PAGE_FINISH);

  step (f, "Customize configuration before install: the Details view, then Cancel");
  CHECK (gtk_widget_is_sensitive (child (a, "customize_check")), "Customize cannot be chosen");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (a, "customize_check")), TRUE);
  CHECK (spin_until (kvm_known, child (a, "accel_label"), 120000), "the KVM probe did not answer");
  type (a, "name_entry", "direct");
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (child (a, "accel_combo")), "qemu");
  press (a, "_Apply", -1);
  {
    GtkWidget *w = g_object_get_data (G_OBJECT (a), "customize-window");

    CHECK (w != NULL && gtk_widget_get_visible (w), "no customize window");
    shot (w, "creator-customize.png");
    CHECK (button (w, "_Cancel Installation") != NULL, "no Cancel Installation button");
    gtk_button_clicked (GTK_BUTTON (button (w, "_Cancel Installation")));
    spin_for (200);
    CHECK (gtk_assistant_get_current_page (GTK_ASSISTANT (a)) == PAGE_FINISH,
           "cancelling the customizing did not go back to the last page");
    CHECK (vmd_connection_lookup_domain (f->conn, "direct") == NULL, "a VM was made anyway");
  }
  step (f, "again, and Begin Installation");
  press (a, "_Apply", -1);
  {
    GtkWidget *w = g_object_get_data (G_OBJECT (a), "customize-window");

    CHECK (w != NULL, "no customize window the second time");
    gtk_button_clicked (GTK_BUTTON (button (w, "_Begin Installation")));
  }
  CHECK (spin_until (ptr_set, &created, 120000), "Begin Installation did not create the VM");
  remember_pid (f, vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (created)));
  s = serial_open (f, created);
  serial_wait (s, "VMDESK-GUEST-READY kernel", BOOT_TIMEOUT, "direct kernel boot");
  g_object_unref (created);
  gtk_widget_destroy (a);
}

static guint
count_files (const char *dir)
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
  g_autoptr (GtkWidget) a = open_assistant (f, &created);
  g_autofree char *text = g_build_filename (f->tmp, "notes.txt", NULL);
  g_autofree char *secret = g_build_filename (f->tmp, "secret.iso", NULL);
  g_autofree char *iso = g_build_filename (guest_dir, "installer.iso", NULL);
  g_autofree char *images = images_dir (f);
  g_autoptr (VmdDomain) taken = define_guest (f, f->conn, "taken", NULL);
  guint images_before = count_files (images);

  write_file (text, "This is not an image.\n", 0644);
  write_file (secret, "x", 0000);

  step (f, "a missing ISO");
  type (a, "iso_entry", "/nonexistent/install.iso");
  wait_label (a, "source_status_label", "cannot be read", 10000);
  wait_button (a, "_Next", FALSE, 500, "with a missing ISO");
  shot (a, "creator-bad-iso.png");
  if (getuid () != 0)
    {
      step (f, "an unreadable ISO");
      type (a, "iso_entry", secret);
      wait_label (a, "source_status_label", "cannot be read", 10000);
      wait_button (a, "_Next", FALSE, 500, "with an unreadable ISO");
    }
  step (f, "a text file as ISO");
  type (a, "iso_entry", text);
  wait_label (a, "source_status_label", "not a bootable", 10000);
  wait_button (a, "_Next", FALSE, 500, "with a text file as ISO");

  step (f, "a text file as disk image");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (a, "radio_import")), TRUE);
  type (a, "import_entry", text);
  wait_label (a, "source_status_label", "not a disk image", 20000);
  wait_button (a, "_Next", FALSE, 500, "with a text file as disk image");
  shot (a, "creator-bad-disk.png");

  step (f, "fixed: the installer ISO");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (a, "radio_iso")), TRUE);
  type (a, "iso_entry", iso);
  press (a, "_Next", PAGE_OS);
  press (a, "_Next", PAGE_RESOURCES);
  press (a, "_Next", PAGE_STORAGE);

  step (f, "a disk larger than the free space");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (a, "disk_size_spin")), 65536);
  wait_label (a, "storage_error_label", "does not fit", 10000);
  wait_button (a, "_Next", FALSE, 500, "with a 64 TiB disk");
  shot (a, "creator-bad-size.png");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (a, "disk_size_spin")), 1);
  press (a, "_Next", PAGE_FINISH);

  step (f, "a name in use");
  CHECK (spin_until (kvm_known, child (a, "accel_label"), 120000), "the KVM probe did not answer");
  type (a, "name_entry", "taken");
  wait_label (a, "name_error_label", "already exists", 5000);
  wait_button (a, "_Apply", FALSE, 500, "with a name in use");
  shot (a, "creator-bad-name.png");
  type (a, "name_entry", "free-name");
  wait_button (a, "_Apply", TRUE, 5000, "with a free name");

  step (f, "Cancel leaves nothing behind");
  press (a, "_Cancel", -1);
  spin_for (300);
  CHECK (!gtk_widget_get_visible (a), "the assistant is still shown after Cancel");
  {
    g_autoptr (GPtrArray) all = vmd_connection_list_domains (f->conn);
    CHECK (all->len == 1, "%u VMs after Cancel, not 1", all->len);
  }
  CHECK (count_files (images) == images_before, "Cancel left files in %s", images);
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
  g_autoptr (GtkWidget) a = open_assistant (f, &created);
  g_autofree char *iso_dir = g_strdup (g_getenv ("VMD_DEBIAN_ISO_DIR"));
  g_autofree char *iso = g_build_filename (iso_dir, "debian-netinst.iso", NULL);
  const char *hint;

  type (a, "iso_entry", iso);
  wait_label (a, "source_status_label", "Detected: Debian 11", 60000);
  shot (a, "creator-debian-source.png");
  press (a, "_Next", PAGE_OS);
  CHECK (g_str_equal (gtk_label_get_text (GTK_LABEL (child (a, "os_name_label"))), "Debian 11"),
         "the OS page shows “%s”", gtk_label_get_text (GTK_LABEL (child (a, "os_name_label"))));
  shot (a, "creator-debian-os.png");

  /* Overriding the detection with the searchable list, then back. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (a, "os_auto_check")), FALSE);
  CHECK (spin_until (list_filled, child (a, "os_list"), 60000), "the OS list stays empty");
  gtk_entry_set_text (GTK_ENTRY (child (a, "os_search_entry")), "Fedora 36");
  spin_for (500);
  {
    GtkListBoxRow *row = first_visible_row (child (a, "os_list"));
    CHECK (row != NULL, "searching “Fedora 36” finds nothing");
    gtk_list_box_select_row (GTK_LIST_BOX (child (a, "os_list")), row);
  }
  CHECK (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (child (a, "os_name_label"))), "Fedora"),
         "choosing from the list shows “%s”", gtk_label_get_text (GTK_LABEL (child (a, "os_name_label"))));
  shot (a, "creator-os-override.png");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (a, "os_auto_check")), TRUE);
  CHECK (g_str_equal (gtk_label_get_text (GTK_LABEL (child (a, "os_name_label"))), "Debian 11"),
         "back to detection shows “%s”", gtk_label_get_text (GTK_LABEL (child (a, "os_name_label"))));
  press (a, "_Next", PAGE_RESOURCES);
  /* osinfo-db: Debian 11 recommends 1 GiB of memory and 20 GiB of disk. */
  hint = gtk_label_get_text (GTK_LABEL (child (a, "resources_hint_label")));
  CHECK (strstr (hint, "Recommended for Debian 11: 1.0") != NULL && strstr (hint, "GiB of memory") != NULL,
         "the hint says “%s”", hint);
  CHECK (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (child (a, "memory_spin"))) == 1024,
         "memory is %d MiB, not the recommended 1024",
         gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (child (a, "memory_spin"))));
  shot (a, "creator-debian-resources.png");
  press (a, "_Next", PAGE_STORAGE);
  CHECK (gtk_spin_button_get_value (GTK_SPIN_BUTTON (child (a, "disk_size_spin"))) == 20,
         "the disk is %.1f GiB, not the recommended 20",
         gtk_spin_button_get_value (GTK_SPIN_BUTTON (child (a, "disk_size_spin"))));
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
  g_autoptr (GtkWidget) a = open_assistant (f, &created);
  g_autofree char *iso = g_build_filename (g_getenv ("VMD_DEBIAN_ISO_DIR"), "debian-netinst.iso", NULL);
  const char *dir = g_getenv ("VMD_SHOT_DIR") ? g_getenv ("VMD_SHOT_DIR") : ".";
  g_autofree char *png = g_build_filename (dir, "creator-debian-installer.png", NULL);
  gint64 deadline = g_get_monotonic_time () + 400 * G_USEC_PER_SEC;
  guint colours = 0;

  type (a, "iso_entry", iso);
  wait_label (a, "source_status_label", "Detected: Debian 11", 60000);
  press (a, "_Next", PAGE_OS);
  press (a, "_Next", PAGE_RESOURCES);
  press (a, "_Next", PAGE_STORAGE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (a, "disk_size_spin")), 2);
  press (a, "_Next", PAGE_FINISH);
  CHECK (finish (f, a, &created, "debian11", NULL) != NULL, "no VM");
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
widget_gone (gpointer data)
{
  return !gtk_widget_get_visible (data);
}

static void
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
    g_autoptr (GtkWidget) b = open_assistant (f, &created);
    g_autofree char *slow = g_strconcat (url, "slow/", NULL);
    g_autofree char *images = images_dir (f);

    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (b, "radio_url")), TRUE);
    type (b, "url_entry", slow);
    wait_label (b, "source_status_label", "install tree was found", 60000);
    press (b, "_Next", PAGE_OS);
    press (b, "_Next", PAGE_RESOURCES);
    press (b, "_Next", PAGE_STORAGE);
    press (b, "_Next", PAGE_FINISH);
    CHECK (spin_until (kvm_known, child (b, "accel_label"), 120000), "the KVM probe did not answer");
    type (b, "name_entry", "cancelled");
    press (b, "_Apply", PAGE_PROGRESS);
    {
      LabelWait w = { child (b, "progress_label"), "Downloading" };
      CHECK (spin_until (label_has, &w, 10000), "no download shown: “%s”",
             gtk_label_get_text (GTK_LABEL (w.label)));
    }
    spin_for (500);
    shot (b, "creator-downloading.png");
    wait_button (b, "_Cancel", TRUE, 2000, "while downloading");
    press (b, "_Cancel", -1);
    CHECK (spin_until (widget_gone, b, 10000), "the assistant stays after Cancel");
    spin_for (500);
    CHECK (vmd_connection_lookup_domain (f->conn, "cancelled") == NULL, "Cancel left a VM");
    CHECK (count_files (images) == 0, "Cancel left %u files in %s", count_files (images), images);
    CHECK (created == NULL, "Cancel created a VM");
  }

  a = open_assistant (f, &created);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (a, "radio_url")), TRUE);
  type (a, "url_entry", url);
  type (a, "url_args_entry", "console=ttyS0");
  wait_label (a, "source_status_label", "install tree was found", 60000);
  shot (a, "creator-network-source.png");
  press (a, "_Next", PAGE_OS);
  press (a, "_Next", PAGE_RESOURCES);
  set_memory (a, 128, 1);
  press (a, "_Next", PAGE_STORAGE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (a, "radio_disk_none")), TRUE);
  press (a, "_Next", PAGE_FINISH);
  CHECK (finish (f, a, &created, "netinst", NULL) != NULL, "no VM");
  remember_pid (f, vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (created)));
  s = serial_open (f, created);
  serial_wait (s, "VMDESK-GUEST-READY kernel", BOOT_TIMEOUT, "booting the downloaded kernel");
  serial_wait (s, PROMPT, CMD_TIMEOUT, "network install");
  serial_write (s, "poweroff -f\n");
  wait_state (created, VMD_DOMAIN_STATE_SHUTOFF, -1, 30000, "after poweroff");
  {
    KeyGone k = { created, VMD_INSTALL_KEY_STATE };
    g_autofree char *kernel = NULL;

    CHECK (spin_until (key_gone, &k, 10000), "the install marker stayed after the shutdown");
    kernel = vmd_domain_config_get_kernel (vmd_domain_get_config (created));
    CHECK (kernel == NULL, "the installer's kernel %s is still booted after the install", kernel);
  }
  g_socket_service_stop (service);
  g_object_unref (created);
  gtk_widget_destroy (a);
  g_free (srv.root);
}

/* The app was not running when the VM started (vmdesk-cli started it):
 * a watcher made later, on another connection, still marks the install
 * booted and ejects the media after the installer's poweroff. */
static void
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
    CHECK (spin_until (key_gone, &k, 10000), "the install marker stayed after the shutdown");
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
static void
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
  {
    g_autoptr (GAsyncResult) kept = NULL;
    vmd_quick_boot_keep_async (d, NULL, store_result, &kept);
    CHECK (vmd_quick_boot_keep_finish (d, await_result (&kept, 30, "keep"), &error),
           "Keep failed: %s", error ? error->message : "");
  }
  CHECK (!vmd_quick_boot_is_throwaway (d), "a kept VM is still marked as throwaway");
  serial_wait (s, PROMPT, CMD_TIMEOUT, "quick boot");
  serial_write (s, "poweroff -f\n");
  wait_state (d, VMD_DOMAIN_STATE_SHUTOFF, -1, 30000, "after poweroff");
  spin_for (2000);
  CHECK (vmd_connection_lookup_domain (f->conn, name) != NULL, "the kept VM was discarded");
}

/* A foreign image (VMDK) is converted to qcow2 after asking, and boots. */
static void
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
  a = open_assistant (f, &created);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (a, "radio_import")), TRUE);
  type (a, "import_entry", vmdk);
  wait_label (a, "source_status_label", "vmdk image", 30000);
  CHECK (gtk_widget_get_visible (child (a, "import_convert_check")) &&
         gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (child (a, "import_convert_check"))),
         "converting the VMDK image is not offered");
  shot (a, "creator-import-vmdk.png");
  press (a, "_Next", PAGE_OS);
  press (a, "_Next", PAGE_RESOURCES);
  set_memory (a, 128, 1);
  press (a, "_Next", PAGE_FINISH);
  CHECK (finish (f, a, &created, "converted", NULL) != NULL, "no VM");
  remember_pid (f, vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (created)));
  src = disk_source (created);
  CHECK (g_str_has_suffix (src, ".qcow2") && g_str_has_prefix (src, images_dir (f)),
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
static void
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
}

/* Unattended installation of the Debian-layout ISO: libosinfo's preseed,
 * generated for the user's name and password, appended to the installer's
 * initrd read from the ISO; the VM boots that kernel with the ISO inside. */
static void
case_unattended (Fixture *f)
{
  VmdDomain *created = NULL;
  g_autoptr (GtkWidget) a = open_assistant (f, &created);
  g_autofree char *iso = g_build_filename (g_getenv ("VMD_DEBIAN_ISO_DIR"), "debian-netinst.iso", NULL);
  const char *di = "/usr/lib/debian-installer/images/12/amd64/gtk/debian-installer/amd64";
  g_autofree char *di_kernel = g_build_filename (di, "linux", NULL);
  g_autofree char *di_initrd = g_build_filename (di, "initrd.gz", NULL);
  g_autofree char *kernel = NULL, *initrd = NULL, *media = NULL, *cdrom = NULL;
  g_autofree char *k1 = NULL, *k2 = NULL, *i1 = NULL, *i2 = NULL;
  gsize k1n, k2n, i1n, i2n;

  type (a, "iso_entry", iso);
  wait_label (a, "source_status_label", "Detected: Debian 11", 60000);
  press (a, "_Next", PAGE_OS);
  CHECK (gtk_widget_is_sensitive (child (a, "unattended_check")),
         "unattended installation is not offered for Debian 11");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (a, "unattended_check")), TRUE);
  type (a, "unattended_login_entry", "tester");
  wait_button (a, "_Next", FALSE, 2000, "without a password");
  type (a, "unattended_password_entry", "s3cret");
  wait_button (a, "_Next", TRUE, 2000, "with a password");
  shot (a, "creator-unattended.png");
  press (a, "_Next", PAGE_RESOURCES);
  press (a, "_Next", PAGE_STORAGE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (a, "disk_size_spin")), 2);
  press (a, "_Next", PAGE_FINISH);
  step (f, "Finish");
  CHECK (finish (f, a, &created, "express", NULL) != NULL, "no VM");
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
