/* vmd-device-chardev.c: a character device: serial port, console, channel or parallel port
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include "vmd-device-chardev.h"
#include "vmd-device-private.h"

struct _VmdDeviceChardev
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceChardev, vmd_device_chardev, VMD_TYPE_DEVICE)

static void
vmd_device_chardev_class_init (VmdDeviceChardevClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "serial";
}

static void
vmd_device_chardev_init (VmdDeviceChardev *self)
{
}

VmdDeviceChardev *
vmd_device_chardev_new (void)
{
  return g_object_new (VMD_TYPE_DEVICE_CHARDEV, NULL);
}
