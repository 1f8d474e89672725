/* vmd-device-input.c: an input device (tablet, keyboard, mouse)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include "vmd-device-input.h"
#include "vmd-device-private.h"

struct _VmdDeviceInput
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceInput, vmd_device_input, VMD_TYPE_DEVICE)

#define DEV(self) VMD_DEVICE (self)

static void
vmd_device_input_class_init (VmdDeviceInputClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "input";
}

static void
vmd_device_input_init (VmdDeviceInput *self)
{
}

/**
 * vmd_device_input_new:
 *
 * Returns: a detached USB tablet, which keeps the guest's pointer where
 *   the viewer's is.
 */
VmdDeviceInput *
vmd_device_input_new (void)
{
  VmdDeviceInput *self = g_object_new (VMD_TYPE_DEVICE_INPUT, NULL);

  vmd_device_input_set_input_type (self, "tablet");
  vmd_device_input_set_bus (self, "usb");
  return self;
}

char *
vmd_device_input_get_input_type (VmdDeviceInput *self)
{
  return _vmd_device_get_attr (DEV (self), NULL, "type");
}

/**
 * vmd_device_input_set_input_type:
 * @type: tablet, mouse, keyboard, evdev, passthrough; libvirt requires one
 */
void
vmd_device_input_set_input_type (VmdDeviceInput *self, const char *type)
{
  g_return_if_fail (type != NULL);
  _vmd_device_set_attr (DEV (self), NULL, "type", type);
}

char *
vmd_device_input_get_bus (VmdDeviceInput *self)
{
  return _vmd_device_get_attr (DEV (self), NULL, "bus");
}

/**
 * vmd_device_input_set_bus:
 * @bus: (nullable): usb, ps2, virtio, …; %NULL for the machine's default
 */
void
vmd_device_input_set_bus (VmdDeviceInput *self, const char *bus)
{
  _vmd_device_set_attr (DEV (self), NULL, "bus", bus);
}
