/* vmd-add-hardware-dialog.c: Add Hardware: the device types on the left,
 * the editor of a new device of the chosen type on the right
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each new device starts with defaults from the definition (free target
 * names, a fresh MAC address). Every edit stores the editor into the new
 * device, so Finish is sensitive exactly when the device is valid, and
 * the reason shows under the editor when it is not. Finish on a disk with
 * "create a new image" makes the image first (qemu-img, in a thread) and
 * answers GTK_RESPONSE_ACCEPT once it exists.
 */
#define G_LOG_DOMAIN "vmdesk-devices"

#include <glib/gi18n.h>
#include <string.h>

#include "vmd-add-hardware-dialog.h"
#include "vmd-device-editor-private.h"
#include "vmd-qemu-connection.h"

struct _VmdAddHardwareDialog
{
  GtkDialog        parent_instance;

  GtkListBox      *kind_list;
  GtkLabel        *title_label;
  GtkBox          *editor_box;
  GtkLabel        *message_label;
  GtkWidget       *finish_button;
  GtkWidget       *cancel_button;

  VmdDomainConfig *config;
  VmdDomain       *domain;
  VmdDeviceEditor *editor;
  VmdDevice       *device;
  GCancellable    *cancel;
  gboolean         ready;      /* the next ACCEPT goes through */
  gboolean         busy;
};

G_DEFINE_FINAL_TYPE (VmdAddHardwareDialog, vmd_add_hardware_dialog, GTK_TYPE_DIALOG)

typedef struct {
  const char *id;
  const char *label;
  const char *icon;
} Kind;

static const Kind kinds[] = {
  { "disk", N_("Storage"), "drive-harddisk" },
  { "cdrom", N_("CD-ROM Drive"), "media-optical" },
  { "interface", N_("Network"), "network-wired" },
  { "input", N_("Input"), "input-tablet" },
  { "graphics", N_("Graphics"), "video-display" },
  { "video", N_("Video"), "video-display" },
  { "sound", N_("Sound"), "audio-card" },
  { "serial", N_("Serial Port"), "utilities-terminal" },
  { "console", N_("Console"), "utilities-terminal" },
  { "channel", N_("Channel"), "utilities-terminal" },
  { "usb-host", N_("USB Host Device"), "media-removable" },
  { "pci-host", N_("PCI Host Device"), "computer" },
  { "controller", N_("USB Controller"), "drive-multidisk" },
  { "redirdev", N_("USB Redirection"), "media-removable" },
  { "rng", N_("Random Number Generator"), "system-run" },
  { "watchdog", N_("Watchdog"), "dialog-warning" },
  { "tpm", N_("TPM"), "security-high" },
  { "filesystem", N_("Shared Folder"), "folder" },
};

/* ------------------------------------------------- new devices */

static gboolean
is_q35 (VmdDomainConfig *config)
{
  g_autofree char *machine = vmd_domain_config_get_machine (config);

  return machine != NULL && strstr (machine, "q35") != NULL;
}

static gint
next_chardev_port (VmdDomainConfig *config, const char *kind)
{
  g_autoptr (GPtrArray) all = vmd_domain_config_get_devices_of_kind (config, kind);
  gint port = 0;

  for (guint i = 0; i < all->len; i++)
    port = MAX (port, vmd_device_chardev_get_target_port (g_ptr_array_index (all, i)) + 1);
  return port;
}

static guint
next_controller_index (VmdDomainConfig *config, const char *type)
{
  g_autoptr (GPtrArray) all = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_CONTROLLER);
  guint index = 0;

  for (guint i = 0; i < all->len; i++)
    {
      VmdDeviceController *ctl = g_ptr_array_index (all, i);
      g_autofree char *other = vmd_device_controller_get_controller_type (ctl);

      if (g_strcmp0 (other, type) == 0)
        index = MAX (index, vmd_device_controller_get_index (ctl) + 1);
    }
  return index;
}

static void
fill_defaults (VmdDevice *device, VmdDomainConfig *config)
{
  VmdDeviceClass *klass = VMD_DEVICE_GET_CLASS (device);

  if (klass->fill_defaults != NULL)
    klass->fill_defaults (device, config);
}

/* A new device of kind @id with sensible defaults for @config. */
static VmdDevice *
new_device (VmdAddHardwareDialog *self, const char *id)
{
  VmdDomainConfig *config = self->config;

  if (g_str_equal (id, "disk") || g_str_equal (id, "cdrom"))
    {
      VmdDeviceDisk *disk = vmd_device_disk_new ();
      gboolean cdrom = g_str_equal (id, "cdrom");

      vmd_device_disk_set_disk_type (disk, "file");
      vmd_device_disk_set_device (disk, cdrom ? "cdrom" : "disk");
      vmd_device_disk_set_driver_name (disk, "qemu");
      if (!cdrom)
        vmd_device_disk_set_format (disk, "qcow2");
      else
        vmd_device_disk_set_readonly (disk, TRUE);
      fill_defaults (VMD_DEVICE (disk), config);
      return VMD_DEVICE (disk);
    }
  if (g_str_equal (id, "interface"))
    {
      VmdDeviceInterface *nic = vmd_device_interface_new ();

      vmd_device_interface_set_interface_type (nic, "user");
      fill_defaults (VMD_DEVICE (nic), config);
      vmd_device_interface_set_model (nic, "virtio");
      return VMD_DEVICE (nic);
    }
  if (g_str_equal (id, "input"))
    {
      VmdDeviceInput *input = vmd_device_input_new ();

      vmd_device_input_set_input_type (input, "tablet");
      vmd_device_input_set_bus (input, "usb");
      return VMD_DEVICE (input);
    }
  if (g_str_equal (id, "graphics"))
    {
      VmdDeviceGraphics *graphics = vmd_device_graphics_new ();
      g_autoptr (GPtrArray) others = vmd_domain_config_get_devices (config,
                                                                   VMD_TYPE_DEVICE_GRAPHICS);
      gboolean has_spice = FALSE;

      for (guint i = 0; i < others->len; i++)
        {
          g_autofree char *type = vmd_device_graphics_get_graphics_type (g_ptr_array_index (others, i));
          has_spice |= g_strcmp0 (type, "spice") == 0;
        }
      /* One of each at most; reachable only through vmdesk, no port. */
      vmd_device_graphics_set_graphics_type (graphics, has_spice ? "vnc" : "spice");
      vmd_device_graphics_set_listen_type (graphics, "none");
      return VMD_DEVICE (graphics);
    }
  if (g_str_equal (id, "video"))
    {
      VmdDeviceVideo *video = vmd_device_video_new ();

      vmd_device_video_set_model (video, "virtio");
      return VMD_DEVICE (video);
    }
  if (g_str_equal (id, "sound"))
    {
      VmdDeviceSound *sound = vmd_device_sound_new ();

      vmd_device_sound_set_model (sound, "ich9");
      return VMD_DEVICE (sound);
    }
  if (g_str_equal (id, "serial") || g_str_equal (id, "console"))
    {
      VmdDeviceChardev *chardev = vmd_device_chardev_new (id);

      vmd_device_chardev_set_chardev_type (chardev, "pty");
      if (g_str_equal (id, "console"))
        vmd_device_chardev_set_target_type (chardev, "virtio");
      vmd_device_chardev_set_target_port (chardev, next_chardev_port (config, id));
      return VMD_DEVICE (chardev);
    }
  if (g_str_equal (id, "channel"))
    return VMD_DEVICE (vmd_device_chardev_new_guest_agent ());
  if (g_str_equal (id, "usb-host") || g_str_equal (id, "pci-host"))
    {
      VmdDeviceHostdev *hostdev = vmd_device_hostdev_new ();

      vmd_device_hostdev_set_mode (hostdev, "subsystem");
      vmd_device_hostdev_set_hostdev_type (hostdev, g_str_equal (id, "usb-host") ? "usb" : "pci");
      vmd_device_hostdev_set_managed (hostdev, TRUE);
      return VMD_DEVICE (hostdev);
    }
  if (g_str_equal (id, "controller"))
    {
      VmdDeviceController *ctl = vmd_device_controller_new_for_type ("usb", "qemu-xhci");

      vmd_device_controller_set_index (ctl, next_controller_index (config, "usb"));
      return VMD_DEVICE (ctl);
    }
  if (g_str_equal (id, "redirdev"))
    {
      VmdDeviceRedirdev *redir = vmd_device_redirdev_new ();

      vmd_device_redirdev_set_bus (redir, "usb");
      vmd_device_redirdev_set_redirdev_type (redir, "spicevmc");
      return VMD_DEVICE (redir);
    }
  if (g_str_equal (id, "rng"))
    {
      VmdDeviceRng *rng = vmd_device_rng_new ();

      vmd_device_rng_set_model (rng, "virtio");
      vmd_device_rng_set_backend_model (rng, "random");
      vmd_device_rng_set_source_path (rng, "/dev/urandom");
      return VMD_DEVICE (rng);
    }
  if (g_str_equal (id, "watchdog"))
    {
      VmdDeviceWatchdog *watchdog = vmd_device_watchdog_new ();

      vmd_device_watchdog_set_model (watchdog, is_q35 (config) ? "itco" : "i6300esb");
      vmd_device_watchdog_set_action (watchdog, "reset");
      return VMD_DEVICE (watchdog);
    }
  if (g_str_equal (id, "tpm"))
    {
      VmdDeviceTpm *tpm = vmd_device_tpm_new ();

      vmd_device_tpm_set_model (tpm, "tpm-crb");
      vmd_device_tpm_set_backend_type (tpm, "emulator");
      vmd_device_tpm_set_backend_version (tpm, "2.0");
      return VMD_DEVICE (tpm);
    }
  if (g_str_equal (id, "filesystem"))
    {
      VmdDeviceFilesystem *fs = vmd_device_filesystem_new ();

      vmd_device_filesystem_set_filesystem_type (fs, "mount");
      vmd_device_filesystem_set_access_mode (fs, "passthrough");
      vmd_device_filesystem_set_driver_type (fs, "virtiofs");
      return VMD_DEVICE (fs);
    }
  g_return_val_if_reached (NULL);
}

static char *
images_dir (VmdAddHardwareDialog *self)
{
  VmdConnection *conn = self->domain ? vmd_domain_get_connection (self->domain) : NULL;

  if (conn != NULL && VMD_IS_QEMU_CONNECTION (conn))
    return g_strdup (vmd_qemu_connection_get_images_dir (VMD_QEMU_CONNECTION (conn)));
  /* The embedded engine's default data folder. */
  return g_build_filename (g_get_user_data_dir (), "vmdesk", "images", NULL);
}

/* ------------------------------------------------ validation */

static void
validate (VmdAddHardwareDialog *self)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = self->editor != NULL && vmd_device_editor_store (self->editor, &error);

  gtk_label_set_text (self->message_label, error ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), error != NULL);
  gtk_widget_set_sensitive (self->finish_button, ok && !self->busy);
}

static void
kind_selected (VmdAddHardwareDialog *self, GtkListBoxRow *row)
{
  const Kind *kind;

  if (row == NULL || self->busy)
    return;
  kind = &kinds[gtk_list_box_row_get_index (row)];

  if (self->editor != NULL)
    gtk_widget_destroy (GTK_WIDGET (self->editor));
  self->editor = NULL;
  g_clear_object (&self->device);

  self->device = new_device (self, kind->id);
  self->editor = vmd_device_editor_new (self->config, self->device, self->domain);
  {
    g_autofree char *name = g_strdup_printf ("editor-%s", kind->id);
    gtk_widget_set_name (GTK_WIDGET (self->editor), name);
  }
  if (_vmd_is_disk_editor (self->editor) && g_str_equal (kind->id, "disk"))
    {
      g_autofree char *dir = images_dir (self);
      _vmd_disk_editor_offer_new_image (self->editor, dir);
    }
  g_signal_connect_object (self->editor, "changed", G_CALLBACK (validate), self,
                           G_CONNECT_SWAPPED);
  gtk_label_set_text (self->title_label, _(kind->label));
  gtk_box_pack_start (self->editor_box, GTK_WIDGET (self->editor), TRUE, TRUE, 0);
  gtk_widget_show (GTK_WIDGET (self->editor));
  validate (self);
}

/* ------------------------------------------------ finishing */

static void
set_busy (VmdAddHardwareDialog *self, gboolean busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->kind_list), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->editor_box), !busy);
  gtk_widget_set_sensitive (self->finish_button, !busy);
}

static void
prepared (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdAddHardwareDialog) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!_vmd_disk_editor_prepare_finish (VMD_DEVICE_EDITOR (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      gtk_label_set_text (self->message_label, error->message);
      gtk_widget_show (GTK_WIDGET (self->message_label));
      return;
    }
  set_busy (self, FALSE);
  self->ready = TRUE;
  gtk_dialog_response (GTK_DIALOG (self), GTK_RESPONSE_ACCEPT);
}

static void
on_response (VmdAddHardwareDialog *self, int response)
{
  g_autoptr (GError) error = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    {
      if (self->busy)
        g_cancellable_cancel (self->cancel);
      return;
    }
  if (self->ready)
    {
      self->ready = FALSE;
      return;
    }
  /* Not yet: check, then make what the device needs. */
  g_signal_stop_emission_by_name (self, "response");
  if (self->busy || self->editor == NULL || !vmd_device_editor_store (self->editor, &error))
    {
      if (error != NULL)
        {
          gtk_label_set_text (self->message_label, error->message);
          gtk_widget_show (GTK_WIDGET (self->message_label));
        }
      return;
    }
  if (_vmd_is_disk_editor (self->editor))
    {
      set_busy (self, TRUE);
      gtk_label_set_text (self->message_label, "");
      _vmd_disk_editor_prepare_async (self->editor, self->cancel, prepared, g_object_ref (self));
      return;
    }
  self->ready = TRUE;
  gtk_dialog_response (GTK_DIALOG (self), GTK_RESPONSE_ACCEPT);
}

/* ------------------------------------------------------- set up */

static GtkWidget *
kind_row (const Kind *kind)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *image = gtk_image_new_from_icon_name (kind->icon, GTK_ICON_SIZE_LARGE_TOOLBAR);
  GtkWidget *label = gtk_label_new (_(kind->label));

  /* Some themes have no 24 px size of these icons and give a large one. */
  gtk_image_set_pixel_size (GTK_IMAGE (image), 24);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  g_object_set (box, "margin", 6, NULL);
  gtk_box_pack_start (GTK_BOX (box), image, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), label, TRUE, TRUE, 0);
  gtk_container_add (GTK_CONTAINER (row), box);
  gtk_widget_set_name (row, kind->id);
  atk_object_set_name (gtk_widget_get_accessible (row), _(kind->label));
  gtk_widget_show_all (row);
  return row;
}

static void
vmd_add_hardware_dialog_dispose (GObject *object)
{
  VmdAddHardwareDialog *self = VMD_ADD_HARDWARE_DIALOG (object);

  if (self->cancel != NULL)
    g_cancellable_cancel (self->cancel);
  g_clear_object (&self->cancel);
  g_clear_object (&self->device);
  g_clear_object (&self->config);
  g_clear_object (&self->domain);
  self->editor = NULL;
  G_OBJECT_CLASS (vmd_add_hardware_dialog_parent_class)->dispose (object);
}

static void
vmd_add_hardware_dialog_class_init (VmdAddHardwareDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  _vmd_devices_ensure_resources ();

  object_class->dispose = vmd_add_hardware_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               VMD_RESOURCE_PREFIX "/ui/devices/vmd-add-hardware-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdAddHardwareDialog, kind_list);
  gtk_widget_class_bind_template_child (widget_class, VmdAddHardwareDialog, title_label);
  gtk_widget_class_bind_template_child (widget_class, VmdAddHardwareDialog, editor_box);
  gtk_widget_class_bind_template_child (widget_class, VmdAddHardwareDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, VmdAddHardwareDialog, finish_button);
  gtk_widget_class_bind_template_child (widget_class, VmdAddHardwareDialog, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, kind_selected);
}

static void
vmd_add_hardware_dialog_init (VmdAddHardwareDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancel = g_cancellable_new ();
  gtk_widget_set_name (self->finish_button, "Finish");
  gtk_widget_set_name (self->cancel_button, "Cancel");
  gtk_widget_set_name (GTK_WIDGET (self->message_label), "Add Hardware message");
  gtk_widget_set_name (GTK_WIDGET (self->kind_list), "Device types");
  g_signal_connect (self, "response", G_CALLBACK (on_response), NULL);
}

/**
 * vmd_add_hardware_dialog_new:
 * @config: the working copy the device will join (read for defaults only)
 * @domain: (nullable): the VM, for its connection's image folder and the
 *   MAC addresses of its other VMs
 */
GtkWidget *
vmd_add_hardware_dialog_new (GtkWindow *parent, VmdDomainConfig *config, VmdDomain *domain)
{
  VmdAddHardwareDialog *self;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (config), NULL);

  self = g_object_new (VMD_TYPE_ADD_HARDWARE_DIALOG, "transient-for", parent,
                       "use-header-bar", FALSE, NULL);
  self->config = g_object_ref (config);
  self->domain = domain ? g_object_ref (domain) : NULL;
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    gtk_container_add (GTK_CONTAINER (self->kind_list), kind_row (&kinds[i]));
  vmd_add_hardware_dialog_select (self, "disk");
  return GTK_WIDGET (self);
}

void
vmd_add_hardware_dialog_select (VmdAddHardwareDialog *self, const char *kind)
{
  g_return_if_fail (VMD_IS_ADD_HARDWARE_DIALOG (self));

  if (kind == NULL)
    kind = "disk";
  if (g_str_equal (kind, "hostdev"))
    kind = "usb-host";
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i].id, kind))
      {
        gtk_list_box_select_row (self->kind_list, gtk_list_box_get_row_at_index (self->kind_list, i));
        return;
      }
  g_warning ("Add Hardware has no device type “%s”", kind);
}

/**
 * vmd_add_hardware_dialog_get_device:
 *
 * Returns: (transfer none) (nullable): the new device, once the dialog
 *   answered %GTK_RESPONSE_ACCEPT; take a reference to keep it
 */
VmdDevice *
vmd_add_hardware_dialog_get_device (VmdAddHardwareDialog *self)
{
  g_return_val_if_fail (VMD_IS_ADD_HARDWARE_DIALOG (self), NULL);
  return self->device;
}

/* The editor of the selected type, for tests. */
VmdDeviceEditor *
vmd_add_hardware_dialog_get_editor (VmdAddHardwareDialog *self)
{
  g_return_val_if_fail (VMD_IS_ADD_HARDWARE_DIALOG (self), NULL);
  return self->editor;
}
