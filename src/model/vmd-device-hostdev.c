/* vmd-device-hostdev.c: a host device passed through (USB or PCI)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include "vmd-device-hostdev.h"
#include "vmd-device-private.h"

struct _VmdDeviceHostdev
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceHostdev, vmd_device_hostdev, VMD_TYPE_DEVICE)

static void
vmd_device_hostdev_class_init (VmdDeviceHostdevClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "hostdev";
}

static void
vmd_device_hostdev_init (VmdDeviceHostdev *self)
{
}

VmdDeviceHostdev *
vmd_device_hostdev_new (void)
{
  return g_object_new (VMD_TYPE_DEVICE_HOSTDEV, NULL);
}
