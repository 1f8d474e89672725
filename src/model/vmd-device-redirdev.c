/* vmd-device-redirdev.c: a USB redirection channel (SPICE)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include "vmd-device-redirdev.h"
#include "vmd-device-private.h"

struct _VmdDeviceRedirdev
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceRedirdev, vmd_device_redirdev, VMD_TYPE_DEVICE)

#define DEV(self) VMD_DEVICE (self)

static void
vmd_device_redirdev_class_init (VmdDeviceRedirdevClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "redirdev";
}

static void
vmd_device_redirdev_init (VmdDeviceRedirdev *self)
{
}

/**
 * vmd_device_redirdev_new:
 *
 * Returns: a detached `<redirdev bus='usb' type='spicevmc'/>`: one slot
 *   through which a SPICE client can plug a USB device of its own machine
 *   into the guest
 */
VmdDeviceRedirdev *
vmd_device_redirdev_new (void)
{
  VmdDeviceRedirdev *self = g_object_new (VMD_TYPE_DEVICE_REDIRDEV, NULL);

  vmd_device_redirdev_set_bus (self, "usb");
  vmd_device_redirdev_set_redirdev_type (self, "spicevmc");
  return self;
}

char *
vmd_device_redirdev_get_bus (VmdDeviceRedirdev *self)
{
  return _vmd_device_get_attr (DEV (self), NULL, "bus");
}

void
vmd_device_redirdev_set_bus (VmdDeviceRedirdev *self, const char *bus)
{
  _vmd_device_set_attr (DEV (self), NULL, "bus", bus);
}

char *
vmd_device_redirdev_get_redirdev_type (VmdDeviceRedirdev *self)
{
  return _vmd_device_get_attr (DEV (self), NULL, "type");
}

/**
 * vmd_device_redirdev_set_redirdev_type:
 * @type: (nullable): spicevmc, or tcp for a usbredir server
 */
void
vmd_device_redirdev_set_redirdev_type (VmdDeviceRedirdev *self, const char *type)
{
  _vmd_device_set_attr (DEV (self), NULL, "type", type);
}
