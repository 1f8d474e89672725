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

VmdDeviceRedirdev *
vmd_device_redirdev_new (void)
{
  return g_object_new (VMD_TYPE_DEVICE_REDIRDEV, NULL);
}
