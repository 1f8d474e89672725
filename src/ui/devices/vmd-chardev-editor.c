/* vmd-chardev-editor.c: serial ports, consoles, parallel ports and channels
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-devices"

#include <glib/gi18n.h>

#include "vmd-device-editor-private.h"

typedef struct
{
  VmdDeviceEditor  parent_instance;

  GtkComboBoxText *channel_combo;   /* channels only */
  GtkComboBoxText *type_combo;
  GtkEntry        *path_entry;
  GtkLabel        *path_message;
  GtkComboBoxText *target_combo;    /* consoles only */
} VmdChardevEditor;

typedef VmdDeviceEditorClass VmdChardevEditorClass;

G_DEFINE_TYPE (VmdChardevEditor, _vmd_chardev_editor, VMD_TYPE_DEVICE_EDITOR)

#define CHARDEV(self) VMD_DEVICE_CHARDEV (vmd_device_editor_get_device (VMD_DEVICE_EDITOR (self)))

static const char *const type_choices[] = {
  "pty", N_("Pseudo terminal (vmdesk's serial console)"),
  "unix", N_("Unix socket"),
  "file", N_("File"),
  "null", N_("Nothing"),
  NULL,
};

static const char *const channel_choices[] = {
  "org.qemu.guest_agent.0", N_("QEMU guest agent"),
  "com.redhat.spice.0", N_("SPICE agent"),
  NULL,
};

static const char *const console_choices[] = {
  "serial", N_("Serial port"),
  "virtio", N_("VirtIO console"),
  NULL,
};

static gboolean
is_channel (VmdChardevEditor *self)
{
  return g_strcmp0 (vmd_device_get_kind (VMD_DEVICE (CHARDEV (self))), "channel") == 0;
}

static void
fields_changed (VmdChardevEditor *self)
{
  g_autofree char *type = _vmd_combo_get (self->type_combo);
  g_autofree char *channel = self->channel_combo ? _vmd_combo_get (self->channel_combo) : NULL;
  gboolean spice = g_strcmp0 (channel, "com.redhat.spice.0") == 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->type_combo), !spice);
  gtk_widget_set_sensitive (GTK_WIDGET (self->path_entry), !spice &&
                            (g_strcmp0 (type, "unix") == 0 || g_strcmp0 (type, "file") == 0));
}

static void
vmd_chardev_editor_load (VmdDeviceEditor *editor)
{
  VmdChardevEditor *self = (VmdChardevEditor *) editor;
  VmdDeviceChardev *chardev = CHARDEV (self);
  g_autofree char *type = vmd_device_chardev_get_chardev_type (chardev);
  g_autofree char *path = vmd_device_chardev_get_source_path (chardev);
  g_autofree char *target_type = vmd_device_chardev_get_target_type (chardev);
  g_autofree char *name = vmd_device_chardev_get_target_name (chardev);

  if (g_strcmp0 (type, "spicevmc") != 0)
    _vmd_combo_set (self->type_combo, type ? type : "pty");
  else
    _vmd_combo_set (self->type_combo, "unix");
  _vmd_entry_set (self->path_entry, path);
  if (self->channel_combo != NULL)
    _vmd_combo_set (self->channel_combo, name ? name : "org.qemu.guest_agent.0");
  if (self->target_combo != NULL)
    _vmd_combo_set (self->target_combo, target_type ? target_type : "serial");
  fields_changed (self);
}

static gboolean
vmd_chardev_editor_store (VmdDeviceEditor *editor, GError **error)
{
  VmdChardevEditor *self = (VmdChardevEditor *) editor;
  VmdDeviceChardev *chardev = CHARDEV (self);
  g_autofree char *type = _vmd_combo_get (self->type_combo);
  g_autofree char *path = _vmd_entry_get (self->path_entry);
  g_autofree char *channel = self->channel_combo ? _vmd_combo_get (self->channel_combo) : NULL;

  if (!_vmd_editor_is_new (editor) && !_vmd_editor_any_changed (editor))
    return TRUE;

  if (g_strcmp0 (channel, "com.redhat.spice.0") == 0)
    {
      vmd_device_chardev_set_chardev_type (chardev, "spicevmc");
      vmd_device_chardev_set_source_path (chardev, NULL);
      vmd_device_chardev_set_target_type (chardev, "virtio");
      vmd_device_chardev_set_target_name (chardev, channel);
      return TRUE;
    }
  if (g_strcmp0 (type, "file") == 0 && path == NULL)
    return _vmd_editor_fail (self->path_message, error, _("Give the file to write the output to."));
  if (path != NULL && !g_path_is_absolute (path))
    return _vmd_editor_fail (self->path_message, error, _("Give the full path, starting with /."));
  _vmd_message_set (self->path_message, NULL);

  vmd_device_chardev_set_chardev_type (chardev, type);
  if (g_strcmp0 (type, "unix") == 0 || g_strcmp0 (type, "file") == 0)
    {
      vmd_device_chardev_set_source_path (chardev, path);
      if (g_strcmp0 (type, "unix") == 0 && path != NULL)
        vmd_device_chardev_set_source_mode (chardev, "bind");
    }
  else
    vmd_device_chardev_set_source_path (chardev, NULL);
  if (self->target_combo != NULL)
    {
      g_autofree char *target = _vmd_combo_get (self->target_combo);
      vmd_device_chardev_set_target_type (chardev, target);
    }
  if (channel != NULL)
    {
      vmd_device_chardev_set_target_type (chardev, "virtio");
      vmd_device_chardev_set_target_name (chardev, channel);
    }
  return TRUE;
}

static void
vmd_chardev_editor_constructed (GObject *object)
{
  VmdChardevEditor *self = (VmdChardevEditor *) object;
  VmdDeviceEditor *editor = VMD_DEVICE_EDITOR (object);
  const char *kind;

  G_OBJECT_CLASS (_vmd_chardev_editor_parent_class)->constructed (object);

  kind = vmd_device_get_kind (VMD_DEVICE (CHARDEV (self)));
  if (is_channel (self))
    {
      self->channel_combo = _vmd_editor_add_combo (editor, _("Channel"), channel_choices);
      g_signal_connect_object (self->channel_combo, "changed", G_CALLBACK (fields_changed), self,
                               G_CONNECT_SWAPPED);
    }
  self->type_combo = _vmd_editor_add_combo (editor, _("Connected to"), type_choices);
  g_signal_connect_object (self->type_combo, "changed", G_CALLBACK (fields_changed), self,
                           G_CONNECT_SWAPPED);
  self->path_entry = _vmd_editor_add_entry (editor, _("Path"));
  gtk_entry_set_placeholder_text (self->path_entry,
                                  _("Empty: a socket in the virtual machine's private folder"));
  self->path_message = _vmd_editor_add_message (editor, "Path error");
  if (g_strcmp0 (kind, "console") == 0)
    self->target_combo = _vmd_editor_add_combo (editor, _("Device type"), console_choices);
  vmd_device_editor_load (editor);
}

static void
_vmd_chardev_editor_class_init (VmdChardevEditorClass *klass)
{
  G_OBJECT_CLASS (klass)->constructed = vmd_chardev_editor_constructed;
  klass->load = vmd_chardev_editor_load;
  klass->store = vmd_chardev_editor_store;
}

static void
_vmd_chardev_editor_init (VmdChardevEditor *self)
{
}
