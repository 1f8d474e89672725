/* vmd-hostdev-editor.c: a USB or PCI device of the host given to the guest
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The host's devices are read from sysfs in a thread; the one the
 * definition names stays choosable even when it is not plugged in.
 */
#define G_LOG_DOMAIN "vmdesk-devices"

#include <glib/gi18n.h>
#include <stdio.h>

#include "vmd-device-editor-private.h"
#include "vmd-host-devices.h"

typedef struct
{
  VmdDeviceEditor  parent_instance;

  GtkComboBoxText *device_combo;
  GtkLabel        *device_message;
  GCancellable    *cancel;
  gboolean         pci;
} VmdHostdevEditor;

typedef VmdDeviceEditorClass VmdHostdevEditorClass;

G_DEFINE_TYPE (VmdHostdevEditor, _vmd_hostdev_editor, VMD_TYPE_DEVICE_EDITOR)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdHostdevEditor, g_object_unref)

#define HOSTDEV(self) VMD_DEVICE_HOSTDEV (vmd_device_editor_get_device (VMD_DEVICE_EDITOR (self)))

/* The combo's ids: "usb:VVVV:PPPP" or "pci:DDDD:BB:SS.F". */
static char *
current_id (VmdHostdevEditor *self)
{
  VmdDeviceHostdev *hostdev = HOSTDEV (self);
  guint a, b, c, d;

  if (self->pci && vmd_device_hostdev_get_pci_address (hostdev, &a, &b, &c, &d))
    return g_strdup_printf ("pci:%04x:%02x:%02x.%x", a, b, c, d);
  if (!self->pci && vmd_device_hostdev_get_usb_ids (hostdev, &a, &b))
    return g_strdup_printf ("usb:%04x:%04x", a, b);
  return NULL;
}

static void
devices_listed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdHostdevEditor) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) devices = vmd_host_devices_list_finish (result, &error);
  g_autofree char *current = NULL;

  if (devices == NULL || g_cancellable_is_cancelled (self->cancel))
    return;
  current = current_id (self);
  _vmd_editor_set_loading (VMD_DEVICE_EDITOR (self), TRUE);
  gtk_combo_box_text_remove_all (self->device_combo);
  for (guint i = 0; i < devices->len; i++)
    {
      VmdHostDevice *device = g_ptr_array_index (devices, i);
      g_autofree char *label = vmd_host_device_describe (device);
      g_autofree char *id = NULL;

      if (self->pci)
        id = g_strdup_printf ("pci:%04x:%02x:%02x.%x", device->pci_domain, device->pci_bus,
                              device->pci_slot, device->pci_function);
      else
        id = g_strdup_printf ("usb:%04x:%04x", device->vendor, device->product);
      gtk_combo_box_text_append (self->device_combo, id, label);
    }
  if (current != NULL)
    _vmd_combo_set (self->device_combo, current);
  _vmd_editor_set_loading (VMD_DEVICE_EDITOR (self), FALSE);
  if (devices->len == 0 && current == NULL)
    _vmd_message_set (self->device_message,
                      self->pci ? _("The host has no PCI devices vmdesk can see.")
                                : _("No USB device is plugged into the host."));
}

static void
vmd_hostdev_editor_load (VmdDeviceEditor *editor)
{
  VmdHostdevEditor *self = (VmdHostdevEditor *) editor;
  g_autofree char *current = current_id (self);

  if (current != NULL)
    _vmd_combo_set (self->device_combo, current);
}

static gboolean
vmd_hostdev_editor_store (VmdDeviceEditor *editor, GError **error)
{
  VmdHostdevEditor *self = (VmdHostdevEditor *) editor;
  VmdDeviceHostdev *hostdev = HOSTDEV (self);
  g_autofree char *id = _vmd_combo_get (self->device_combo);
  g_autofree char *current = current_id (self);
  guint a, b, c, d;

  if (!_vmd_editor_is_new (editor) && !_vmd_field_changed (self->device_combo))
    return TRUE;
  if (id == NULL)
    return _vmd_editor_fail (self->device_message, error, _("Choose one of the host's devices."));
  _vmd_message_set (self->device_message, NULL);
  if (g_strcmp0 (id, current) == 0)
    return TRUE;
  vmd_device_hostdev_set_mode (hostdev, "subsystem");
  vmd_device_hostdev_set_managed (hostdev, TRUE);
  if (self->pci && sscanf (id, "pci:%x:%x:%x.%x", &a, &b, &c, &d) == 4)
    {
      vmd_device_hostdev_set_hostdev_type (hostdev, "pci");
      vmd_device_hostdev_set_pci_address (hostdev, a, b, c, d);
    }
  else if (!self->pci && sscanf (id, "usb:%x:%x", &a, &b) == 2)
    {
      vmd_device_hostdev_set_hostdev_type (hostdev, "usb");
      vmd_device_hostdev_set_usb_ids (hostdev, a, b);
    }
  return TRUE;
}

static void
vmd_hostdev_editor_constructed (GObject *object)
{
  VmdHostdevEditor *self = (VmdHostdevEditor *) object;
  VmdDeviceEditor *editor = VMD_DEVICE_EDITOR (object);
  g_autofree char *type = NULL;

  G_OBJECT_CLASS (_vmd_hostdev_editor_parent_class)->constructed (object);

  type = vmd_device_hostdev_get_hostdev_type (HOSTDEV (self));
  self->pci = g_strcmp0 (type, "pci") == 0;
  self->device_combo = _vmd_editor_add_combo (editor, self->pci ? _("PCI device")
                                                                : _("USB device"), NULL);
  self->device_message = _vmd_editor_add_message (editor, "Host device error");
  self->cancel = g_cancellable_new ();
  vmd_device_editor_load (editor);
  vmd_host_devices_list_async (self->pci ? VMD_HOST_DEVICE_PCI : VMD_HOST_DEVICE_USB,
                               self->cancel, devices_listed, g_object_ref (self));
}

static void
vmd_hostdev_editor_dispose (GObject *object)
{
  VmdHostdevEditor *self = (VmdHostdevEditor *) object;

  if (self->cancel != NULL)
    g_cancellable_cancel (self->cancel);
  g_clear_object (&self->cancel);
  G_OBJECT_CLASS (_vmd_hostdev_editor_parent_class)->dispose (object);
}

static void
_vmd_hostdev_editor_class_init (VmdHostdevEditorClass *klass)
{
  G_OBJECT_CLASS (klass)->constructed = vmd_hostdev_editor_constructed;
  G_OBJECT_CLASS (klass)->dispose = vmd_hostdev_editor_dispose;
  klass->load = vmd_hostdev_editor_load;
  klass->store = vmd_hostdev_editor_store;
}

static void
_vmd_hostdev_editor_init (VmdHostdevEditor *self)
{
}
