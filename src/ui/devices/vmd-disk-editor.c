/* vmd-disk-editor.c: disks, CD-ROM and floppy drives
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The image's sizes come from qemu-img in a thread (vmd_image_query_*),
 * and whether the chosen file exists from an async query, so typing a
 * path never blocks. A CD-ROM's or floppy's medium changes live on a
 * running VM; the rest waits for the next start.
 */
#define G_LOG_DOMAIN "vmdesk-devices"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

#include "vmd-device-editor-private.h"
#include "vmd-image.h"
#include "vmd-qemu-connection.h"

typedef enum {
  SOURCE_UNKNOWN,   /* being checked, or nothing to check */
  SOURCE_OK,
  SOURCE_MISSING,
} SourceState;

typedef struct
{
  VmdDeviceEditor  parent_instance;

  GtkEntry        *source_entry;
  GtkWidget       *browse_button;
  GtkWidget       *eject_button;
  GtkLabel        *source_message;
  GtkLabel        *size_value;
  GtkToggleButton *new_image_radio;
  GtkToggleButton *existing_radio;
  GtkSpinButton   *new_size_spin;
  GtkWidget       *new_image_box;
  GtkComboBoxText *device_combo;
  GtkComboBoxText *bus_combo;
  GtkComboBoxText *cache_combo;
  GtkComboBoxText *io_combo;
  GtkComboBoxText *discard_combo;
  GtkToggleButton *readonly_check;
  GtkToggleButton *shareable_check;
  GtkEntry        *serial_entry;
  GtkWidget       *resize_label;
  GtkWidget       *resize_box;
  GtkSpinButton   *resize_spin;
  GtkWidget       *resize_button;
  GtkLabel        *resize_message;

  char            *images_dir;    /* set when a new image is offered */
  SourceState      source_state;
  char            *format;        /* what qemu-img said, for the checked path */
  guint64          virtual_size;
  GCancellable    *check_cancel;
  guint            check_source;
  gboolean         disposed;
} VmdDiskEditor;

typedef VmdDeviceEditorClass VmdDiskEditorClass;

G_DEFINE_TYPE (VmdDiskEditor, _vmd_disk_editor, VMD_TYPE_DEVICE_EDITOR)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdDiskEditor, g_object_unref)

#define DISK(self) VMD_DEVICE_DISK (vmd_device_editor_get_device (VMD_DEVICE_EDITOR (self)))

#define GIB (G_GUINT64_CONSTANT (1) << 30)

static gboolean
is_removable (VmdDiskEditor *self)
{
  g_autofree char *device = _vmd_combo_get (self->device_combo);

  return g_strcmp0 (device, "cdrom") == 0 || g_strcmp0 (device, "floppy") == 0;
}

static gboolean
wants_new_image (VmdDiskEditor *self)
{
  return self->images_dir != NULL && !is_removable (self) &&
         gtk_toggle_button_get_active (self->new_image_radio);
}

static gboolean
domain_active (VmdDiskEditor *self)
{
  VmdDomain *domain = vmd_device_editor_get_domain (VMD_DEVICE_EDITOR (self));

  return domain != NULL && vmd_domain_is_active (domain);
}

static gboolean source_is_path (VmdDiskEditor *self);

/* ------------------------------------------------------ source check */

static void
show_sizes (VmdDiskEditor *self, VmdImageInfo *info)
{
  g_autofree char *virt = NULL;
  g_autofree char *actual = NULL;
  g_autofree char *text = NULL;

  if (info == NULL)
    {
      gtk_label_set_text (self->size_value, _("Unknown"));
      return;
    }
  virt = g_format_size_full (info->virtual_size, G_FORMAT_SIZE_IEC_UNITS);
  actual = g_format_size_full (info->actual_size, G_FORMAT_SIZE_IEC_UNITS);
  /* Translators: the sizes of a disk image: "20.0 GiB (1.2 GiB allocated), qcow2". */
  text = g_strdup_printf (_("%s (%s allocated), %s"), virt, actual, info->format);
  gtk_label_set_text (self->size_value, text);
}

static void
update_resize (VmdDiskEditor *self)
{
  gboolean can = !is_removable (self) && self->source_state == SOURCE_OK &&
                 self->virtual_size > 0 && !wants_new_image (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->resize_spin), can && !domain_active (self));
  gtk_widget_set_sensitive (self->resize_button, can && !domain_active (self) &&
                            gtk_spin_button_get_value (self->resize_spin) * GIB >
                            self->virtual_size + 0.5);
  if (can && domain_active (self))
    _vmd_message_set (self->resize_message,
                      _("The image can only be resized while the virtual machine is shut off."));
  else if (can)
    _vmd_message_set (self->resize_message,
                      _("Growing the image does not grow the partitions in it; the guest has to do that. Images are never shrunk."));
  else
    _vmd_message_set (self->resize_message, NULL);
}

static void
image_queried (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdDiskEditor) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdImageInfo) info = vmd_image_query_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->disposed)
    return;
  g_clear_pointer (&self->format, g_free);
  self->virtual_size = 0;
  if (info == NULL)
    {
      g_debug ("qemu-img info failed: %s", error->message);
      show_sizes (self, NULL);
    }
  else
    {
      self->format = g_strdup (info->format);
      self->virtual_size = info->virtual_size;
      show_sizes (self, info);
      _vmd_editor_set_loading (VMD_DEVICE_EDITOR (self), TRUE);
      gtk_spin_button_set_range (self->resize_spin, (double) info->virtual_size / GIB, 65536);
      gtk_spin_button_set_value (self->resize_spin, (double) info->virtual_size / GIB);
      _vmd_editor_set_loading (VMD_DEVICE_EDITOR (self), FALSE);
    }
  update_resize (self);
}

static void
source_found (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdDiskEditor) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFileInfo) info = g_file_query_info_finish (G_FILE (source), result, &error);
  g_autofree char *path = g_file_get_path (G_FILE (source));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->disposed)
    return;
  if (info == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The file %s does not exist."), path);

      self->source_state = SOURCE_MISSING;
      _vmd_message_set (self->source_message, text);
      show_sizes (self, NULL);
      update_resize (self);
      /* The dialog's Finish follows the message. */
      _vmd_editor_emit_changed (VMD_DEVICE_EDITOR (self));
      return;
    }
  self->source_state = SOURCE_OK;
  _vmd_message_set (self->source_message, NULL);
  _vmd_editor_emit_changed (VMD_DEVICE_EDITOR (self));
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_autofree char *text = g_strdup_printf (_("%s is a folder, not a disk image."), path);

      self->source_state = SOURCE_MISSING;
      _vmd_message_set (self->source_message, text);
      return;
    }
  vmd_image_query_async (path, self->check_cancel, image_queried, g_object_ref (self));
}

static void
check_source_now (VmdDiskEditor *self)
{
  g_autofree char *path = NULL;
  g_autoptr (GFile) file = NULL;

  if (self->disposed)
    return;
  path = _vmd_entry_get (self->source_entry);
  g_clear_handle_id (&self->check_source, g_source_remove);
  if (self->check_cancel != NULL)
    g_cancellable_cancel (self->check_cancel);
  g_clear_object (&self->check_cancel);
  self->source_state = SOURCE_UNKNOWN;
  self->virtual_size = 0;
  _vmd_message_set (self->source_message, NULL);
  if (path == NULL || wants_new_image (self))
    {
      gtk_label_set_text (self->size_value, wants_new_image (self) ? _("A new image")
                                                                   : _("No image"));
      update_resize (self);
      return;
    }
  if (!source_is_path (self))
    {
      gtk_label_set_text (self->size_value, _("Unknown"));
      update_resize (self);
      return;
    }
  if (!g_path_is_absolute (path))
    {
      self->source_state = SOURCE_MISSING;
      _vmd_message_set (self->source_message, _("Give the image's full path, starting with /."));
      update_resize (self);
      return;
    }
  gtk_label_set_text (self->size_value, _("Reading the image…"));
  self->check_cancel = g_cancellable_new ();
  file = g_file_new_for_path (path);
  g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                           G_PRIORITY_DEFAULT, self->check_cancel, source_found,
                           g_object_ref (self));
}

static gboolean
check_source_cb (gpointer user_data)
{
  VmdDiskEditor *self = user_data;

  self->check_source = 0;
  check_source_now (self);
  return G_SOURCE_REMOVE;
}

static void
source_changed (VmdDiskEditor *self)
{
  g_clear_handle_id (&self->check_source, g_source_remove);
  self->source_state = SOURCE_UNKNOWN;
  /* Let typing settle before asking the disk. */
  self->check_source = g_timeout_add (_vmd_editor_is_loading (VMD_DEVICE_EDITOR (self)) ? 0 : 250,
                                      check_source_cb, self);
}

/* ------------------------------------------------------------ actions */

static void
browse_response (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  g_autoptr (VmdDiskEditor) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (chooser));

      if (self->images_dir != NULL)
        gtk_toggle_button_set_active (self->existing_radio, TRUE);
      _vmd_entry_set (self->source_entry, path);
    }
  g_object_unref (chooser);
}

static void
browse_clicked (VmdDiskEditor *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autofree char *current = _vmd_entry_get (self->source_entry);

  chooser = gtk_file_chooser_native_new (is_removable (self) ? _("Choose a Medium")
                                                             : _("Choose a Disk Image"),
                                         GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), NULL);
  if (current != NULL && g_path_is_absolute (current))
    gtk_file_chooser_set_filename (GTK_FILE_CHOOSER (chooser), current);
  g_signal_connect (chooser, "response", G_CALLBACK (browse_response), g_object_ref (self));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
eject_clicked (VmdDiskEditor *self)
{
  _vmd_entry_set (self->source_entry, NULL);
}

static void
resized (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdDiskEditor) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!vmd_image_resize_finish (result, &error) && !self->disposed)
    {
      _vmd_message_set (self->resize_message, error->message);
      gtk_widget_set_sensitive (self->resize_button, TRUE);
      return;
    }
  check_source_now (self);
}

static void
resize_clicked (VmdDiskEditor *self)
{
  g_autofree char *path = _vmd_entry_get (self->source_entry);
  guint64 bytes = (guint64) (gtk_spin_button_get_value (self->resize_spin) * GIB);

  if (path == NULL || bytes <= self->virtual_size || domain_active (self))
    return;
  gtk_widget_set_sensitive (self->resize_button, FALSE);
  _vmd_message_set (self->resize_message, _("Resizing the image…"));
  vmd_image_resize_async (path, bytes, NULL, resized, g_object_ref (self));
}

/* Volumes of a pool, network disks: their source is not a path. */
static gboolean
source_is_path (VmdDiskEditor *self)
{
  g_autofree char *type = vmd_device_disk_get_disk_type (DISK (self));

  return type == NULL || g_str_equal (type, "file") || g_str_equal (type, "block");
}

static void
update_mode (VmdDiskEditor *self)
{
  gboolean removable = is_removable (self);
  gboolean create = wants_new_image (self) || !source_is_path (self);

  gtk_widget_set_visible (self->eject_button, removable);
  gtk_widget_set_visible (self->new_image_box, self->images_dir != NULL && !removable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->new_size_spin), wants_new_image (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->source_entry), !create);
  gtk_widget_set_sensitive (self->browse_button, !create);
  gtk_widget_set_sensitive (GTK_WIDGET (self->shareable_check), !removable);
  /* A medium is not grown. */
  gtk_widget_set_visible (self->resize_label, !removable);
  gtk_widget_set_visible (self->resize_box, !removable);
  update_resize (self);
}

static void
device_changed (VmdDiskEditor *self)
{
  g_autofree char *device = _vmd_combo_get (self->device_combo);
  g_autofree char *bus = _vmd_combo_get (self->bus_combo);

  if (_vmd_editor_is_loading (VMD_DEVICE_EDITOR (self)))
    {
      update_mode (self);
      return;
    }
  /* Steer to buses the new kind of drive can use. */
  if (g_strcmp0 (device, "floppy") == 0)
    _vmd_combo_set (self->bus_combo, "fdc");
  else if (g_strcmp0 (bus, "fdc") == 0 || (g_strcmp0 (device, "cdrom") == 0 &&
                                            g_strcmp0 (bus, "virtio") == 0))
    _vmd_combo_set (self->bus_combo, g_strcmp0 (device, "cdrom") == 0 ? "sata" : "virtio");
  if (g_strcmp0 (device, "disk") != 0)
    gtk_toggle_button_set_active (self->readonly_check, TRUE);
  update_mode (self);
  source_changed (self);
}

/* --------------------------------------------------------- load/store */

static void
vmd_disk_editor_load (VmdDeviceEditor *editor)
{
  VmdDiskEditor *self = (VmdDiskEditor *) editor;
  VmdDeviceDisk *disk = DISK (self);
  g_autofree char *device = vmd_device_disk_get_device (disk);
  g_autofree char *bus = vmd_device_disk_get_target_bus (disk);
  g_autofree char *cache = vmd_device_disk_get_cache (disk);
  g_autofree char *io = vmd_device_disk_get_io (disk);
  g_autofree char *discard = vmd_device_disk_get_discard (disk);
  g_autofree char *source = vmd_device_disk_get_source (disk);
  g_autofree char *serial = vmd_device_disk_get_serial (disk);

  _vmd_combo_set (self->device_combo, device ? device : "disk");
  _vmd_combo_set (self->bus_combo, bus ? bus : "virtio");
  _vmd_combo_set (self->cache_combo, cache);
  _vmd_combo_set (self->io_combo, io);
  _vmd_combo_set (self->discard_combo, discard);
  _vmd_entry_set (self->source_entry, source);
  _vmd_entry_set (self->serial_entry, serial);
  gtk_toggle_button_set_active (self->readonly_check, vmd_device_disk_get_readonly (disk));
  gtk_toggle_button_set_active (self->shareable_check, vmd_device_disk_get_shareable (disk));
  update_mode (self);
  source_changed (self);
}

static const char *
format_for (VmdDiskEditor *self, const char *path)
{
  if (self->format != NULL && self->source_state == SOURCE_OK)
    return self->format;
  return g_str_has_suffix (path, ".qcow2") ? "qcow2" : "raw";
}

static gboolean
vmd_disk_editor_store (VmdDeviceEditor *editor, GError **error)
{
  VmdDiskEditor *self = (VmdDiskEditor *) editor;
  VmdDeviceDisk *disk = DISK (self);
  gboolean all = _vmd_editor_is_new (editor);
  g_autofree char *device = _vmd_combo_get (self->device_combo);
  g_autofree char *bus = _vmd_combo_get (self->bus_combo);
  g_autofree char *old_source = vmd_device_disk_get_source (disk);
  g_autofree char *source = _vmd_entry_get (self->source_entry);
  g_autofree char *serial = _vmd_entry_get (self->serial_entry);
  gboolean removable = is_removable (self);
  gboolean source_changed = all || _vmd_field_changed (self->source_entry) ||
                            _vmd_field_changed (self->device_combo);

  if (!wants_new_image (self) && source_changed)
    {
      if (source == NULL && !removable)
        return _vmd_editor_fail (self->source_message, error,
                                 _("Choose the disk image of this disk."));
      if (source != NULL && !g_path_is_absolute (source))
        return _vmd_editor_fail (self->source_message, error,
                                 _("Give the image's full path, starting with /."));
      if (source != NULL && self->source_state == SOURCE_MISSING)
        return _vmd_editor_fail (self->source_message, error,
                                 gtk_label_get_text (self->source_message));
    }
  if (all || _vmd_field_changed (self->device_combo) || _vmd_field_changed (self->bus_combo))
    {
      if (g_strcmp0 (device, "floppy") == 0 && g_strcmp0 (bus, "fdc") != 0)
        return _vmd_editor_fail (NULL, error, _("A floppy drive needs the floppy controller bus."));
      if (g_strcmp0 (device, "floppy") != 0 && g_strcmp0 (bus, "fdc") == 0)
        return _vmd_editor_fail (NULL, error, _("Only a floppy drive can use the floppy controller bus."));
      if (g_strcmp0 (device, "cdrom") == 0 && g_strcmp0 (bus, "virtio") == 0)
        return _vmd_editor_fail (NULL, error, _("A CD-ROM drive cannot use the VirtIO bus; choose SATA, SCSI, IDE or USB."));
    }
  if (serial != NULL && _vmd_field_changed (self->serial_entry) &&
      strpbrk (serial, " \t/\\'\"") != NULL)
    return _vmd_editor_fail (NULL, error, _("The serial number may not contain spaces, slashes or quotes."));

  if (_vmd_field_changed (self->device_combo))
    vmd_device_disk_set_device (disk, device);
  if (_vmd_field_changed (self->bus_combo))
    {
      VmdDomainConfig *config = vmd_device_editor_get_config (editor);
      VmdDeviceClass *klass = VMD_DEVICE_GET_CLASS (disk);

      /* The target's name follows the bus: vda, sda, hda, fda. */
      vmd_device_disk_set_target_dev (disk, NULL);
      vmd_device_disk_set_target_bus (disk, bus);
      vmd_device_clear_address (VMD_DEVICE (disk));
      if (klass->fill_defaults != NULL)
        klass->fill_defaults (VMD_DEVICE (disk), config);
    }
  if (!wants_new_image (self) && source_changed && g_strcmp0 (source, old_source) != 0)
    {
      if (vmd_device_disk_get_disk_type (disk) == NULL)
        vmd_device_disk_set_disk_type (disk, "file");
      vmd_device_disk_set_source (disk, source);
      if (source != NULL)
        {
          vmd_device_disk_set_driver_name (disk, "qemu");
          vmd_device_disk_set_format (disk, format_for (self, source));
        }
    }
  if (_vmd_field_changed (self->cache_combo))
    {
      g_autofree char *cache = _vmd_combo_get (self->cache_combo);
      vmd_device_disk_set_cache (disk, cache);
    }
  if (_vmd_field_changed (self->io_combo))
    {
      g_autofree char *io = _vmd_combo_get (self->io_combo);
      vmd_device_disk_set_io (disk, io);
    }
  if (_vmd_field_changed (self->discard_combo))
    {
      g_autofree char *discard = _vmd_combo_get (self->discard_combo);
      vmd_device_disk_set_discard (disk, discard);
    }
  if (_vmd_field_changed (self->readonly_check))
    vmd_device_disk_set_readonly (disk, gtk_toggle_button_get_active (self->readonly_check));
  if (_vmd_field_changed (self->shareable_check) || (removable && _vmd_field_changed (self->device_combo)))
    vmd_device_disk_set_shareable (disk, !removable &&
                                   gtk_toggle_button_get_active (self->shareable_check));
  if (_vmd_field_changed (self->serial_entry))
    vmd_device_disk_set_serial (disk, serial);
  _vmd_message_set (self->source_message, NULL);
  if (self->source_state == SOURCE_MISSING)
    check_source_now (self);
  return TRUE;
}

/* ---------------------------------------------------------- live */

static void
strip_medium (VmdDevice *copy)
{
  vmd_device_disk_set_source (VMD_DEVICE_DISK (copy), NULL);
  vmd_device_disk_set_format (VMD_DEVICE_DISK (copy), NULL);
  /* The running VM has a <driver name='qemu'/> whether a medium is in or not. */
  vmd_device_disk_set_driver_name (VMD_DEVICE_DISK (copy), NULL);
}

static gboolean
medium_differs (VmdDevice *before, VmdDevice *after)
{
  g_autofree char *a = vmd_device_disk_get_source (VMD_DEVICE_DISK (before));
  g_autofree char *b = vmd_device_disk_get_source (VMD_DEVICE_DISK (after));

  return g_strcmp0 (a, b) != 0;
}

static VmdLiveSupport
vmd_disk_editor_live_support (VmdDeviceEditor *editor, VmdDevice *before)
{
  VmdDevice *after = vmd_device_editor_get_device (editor);

  if (_vmd_devices_equal (before, after))
    return VMD_LIVE_ALL;
  if (!VMD_IS_DEVICE_DISK (before) || !vmd_device_disk_is_removable (VMD_DEVICE_DISK (before)) ||
      !vmd_device_disk_is_removable (VMD_DEVICE_DISK (after)))
    return VMD_LIVE_NONE;
  if (_vmd_devices_equal_except (before, after, strip_medium))
    return VMD_LIVE_ALL;
  return medium_differs (before, after) ? VMD_LIVE_PARTIAL : VMD_LIVE_NONE;
}

static void
vmd_disk_editor_apply_live_async (VmdDeviceEditor     *editor,
                                  VmdDomain           *domain,
                                  VmdDevice           *before,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  VmdDevice *after = vmd_device_editor_get_device (editor);
  g_autoptr (GTask) task = g_task_new (editor, cancellable, callback, user_data);
  g_autofree char *target = vmd_device_disk_get_target_dev (VMD_DEVICE_DISK (before));
  g_autofree char *source = vmd_device_disk_get_source (VMD_DEVICE_DISK (after));

  g_task_set_source_tag (task, vmd_disk_editor_apply_live_async);
  if (!vmd_device_disk_is_removable (VMD_DEVICE_DISK (before)) || !medium_differs (before, after))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_task_set_task_data (task, (gpointer) vmd_domain_change_media_finish, NULL);
  vmd_domain_change_media_async (domain, target, source, cancellable,
                                 _vmd_editor_domain_call_done, g_object_ref (task));
}

/* ------------------------------------------------- a new image */

typedef struct {
  char    *dir;
  char    *stem;
  guint64  bytes;
  char    *path;    /* chosen in the thread */
} CreateData;

static void
create_data_free (CreateData *data)
{
  g_free (data->dir);
  g_free (data->stem);
  g_free (data->path);
  g_free (data);
}

static void
image_created (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CreateData *data = g_task_get_task_data (task);
  VmdDiskEditor *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  VmdDeviceDisk *disk = DISK (self);

  if (!vmd_image_create_finish (result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  vmd_device_disk_set_source (disk, data->path);
  vmd_device_disk_set_driver_name (disk, "qemu");
  vmd_device_disk_set_format (disk, "qcow2");
  g_task_return_boolean (task, TRUE);
}

/* In a thread: the folder, and a file name no other file has. */
static void
pick_name_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  CreateData *data = task_data;

  if (g_mkdir_with_parents (data->dir, 0755) != 0)
    {
      int saved = errno;
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("The folder %s could not be made: %s"), data->dir,
                               g_strerror (saved));
      return;
    }
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *name = i == 0 ? g_strdup_printf ("%s.qcow2", data->stem)
                                     : g_strdup_printf ("%s-%u.qcow2", data->stem, i);
      g_autofree char *path = g_build_filename (data->dir, name, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_task_return_pointer (task, g_steal_pointer (&path), g_free);
          return;
        }
    }
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_EXISTS,
                           _("There is no free name for a new image in %s."), data->dir);
}

static void
name_picked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CreateData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  data->path = g_task_propagate_pointer (G_TASK (result), &error);
  if (data->path == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  vmd_image_create_async (data->path, "qcow2", data->bytes, NULL, g_task_get_cancellable (task),
                          image_created, g_object_ref (task));
}

void
_vmd_disk_editor_prepare_async (VmdDeviceEditor     *editor,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  VmdDiskEditor *self = (VmdDiskEditor *) editor;
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GTask) pick = NULL;
  g_autofree char *name = vmd_domain_config_get_name (vmd_device_editor_get_config (editor));
  g_autofree char *target = vmd_device_disk_get_target_dev (DISK (self));
  CreateData *data;

  g_task_set_source_tag (task, _vmd_disk_editor_prepare_async);
  if (!wants_new_image (self))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  data = g_new0 (CreateData, 1);
  data->dir = g_strdup (self->images_dir);
  data->stem = g_strdup_printf ("%s-%s", name ? name : "disk", target ? target : "disk");
  g_strdelimit (data->stem, "/", '_');
  data->bytes = (guint64) gtk_spin_button_get_value (self->new_size_spin) * GIB;
  g_task_set_task_data (task, data, (GDestroyNotify) create_data_free);

  pick = g_task_new (self, cancellable, name_picked, g_object_ref (task));
  g_task_set_task_data (pick, data, NULL);
  g_task_run_in_thread (pick, pick_name_thread);
}

gboolean
_vmd_disk_editor_prepare_finish (VmdDeviceEditor *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
_vmd_is_disk_editor (VmdDeviceEditor *self)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (self, _vmd_disk_editor_get_type ());
}

void
_vmd_disk_editor_offer_new_image (VmdDeviceEditor *editor, const char *images_dir)
{
  VmdDiskEditor *self = (VmdDiskEditor *) editor;
  g_autofree char *label = g_strdup_printf (_("Create a new image in %s"), images_dir);


  g_free (self->images_dir);
  self->images_dir = g_strdup (images_dir);
  gtk_button_set_label (GTK_BUTTON (self->new_image_radio), label);
  gtk_toggle_button_set_active (self->new_image_radio, TRUE);
  update_mode (self);
  source_changed (self);
}

/* ------------------------------------------------------------ set up */

static void
mode_toggled (VmdDiskEditor *self)
{
  update_mode (self);
  source_changed (self);
}

static void
vmd_disk_editor_constructed (GObject *object)
{
  VmdDiskEditor *self = (VmdDiskEditor *) object;
  VmdDeviceEditor *editor = VMD_DEVICE_EDITOR (object);
  GtkWidget *fields[] = {
    GTK_WIDGET (self->new_image_radio), GTK_WIDGET (self->new_size_spin),
    GTK_WIDGET (self->source_entry), GTK_WIDGET (self->device_combo),
    GTK_WIDGET (self->bus_combo), GTK_WIDGET (self->cache_combo), GTK_WIDGET (self->io_combo),
    GTK_WIDGET (self->discard_combo), GTK_WIDGET (self->serial_entry),
    GTK_WIDGET (self->readonly_check), GTK_WIDGET (self->shareable_check),
  };

  G_OBJECT_CLASS (_vmd_disk_editor_parent_class)->constructed (object);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    _vmd_editor_watch (editor, fields[i]);
  vmd_device_editor_load (editor);
}

static void
vmd_disk_editor_dispose (GObject *object)
{
  VmdDiskEditor *self = (VmdDiskEditor *) object;

  self->disposed = TRUE;
  if (self->check_cancel != NULL)
    g_cancellable_cancel (self->check_cancel);
  g_clear_object (&self->check_cancel);
  g_clear_handle_id (&self->check_source, g_source_remove);
  G_OBJECT_CLASS (_vmd_disk_editor_parent_class)->dispose (object);
}

static void
vmd_disk_editor_finalize (GObject *object)
{
  VmdDiskEditor *self = (VmdDiskEditor *) object;

  g_free (self->images_dir);
  g_free (self->format);
  G_OBJECT_CLASS (_vmd_disk_editor_parent_class)->finalize (object);
}

static void
_vmd_disk_editor_class_init (VmdDiskEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = vmd_disk_editor_constructed;
  object_class->dispose = vmd_disk_editor_dispose;
  object_class->finalize = vmd_disk_editor_finalize;

  _vmd_devices_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               VMD_RESOURCE_PREFIX "/ui/devices/vmd-disk-editor.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdDiskEditor, name)
  BIND (new_image_box);
  BIND (new_image_radio);
  BIND (existing_radio);
  BIND (new_size_spin);
  BIND (source_entry);
  BIND (browse_button);
  BIND (eject_button);
  BIND (source_message);
  BIND (size_value);
  BIND (device_combo);
  BIND (bus_combo);
  BIND (cache_combo);
  BIND (io_combo);
  BIND (discard_combo);
  BIND (serial_entry);
  BIND (readonly_check);
  BIND (shareable_check);
  BIND (resize_label);
  BIND (resize_box);
  BIND (resize_spin);
  BIND (resize_button);
  BIND (resize_message);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, mode_toggled);
  gtk_widget_class_bind_template_callback (widget_class, source_changed);
  gtk_widget_class_bind_template_callback (widget_class, browse_clicked);
  gtk_widget_class_bind_template_callback (widget_class, eject_clicked);
  gtk_widget_class_bind_template_callback (widget_class, device_changed);
  gtk_widget_class_bind_template_callback (widget_class, update_resize);
  gtk_widget_class_bind_template_callback (widget_class, resize_clicked);
  klass->load = vmd_disk_editor_load;
  klass->store = vmd_disk_editor_store;
  klass->live_support = vmd_disk_editor_live_support;
  klass->apply_live_async = vmd_disk_editor_apply_live_async;
}

static void
_vmd_disk_editor_init (VmdDiskEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
