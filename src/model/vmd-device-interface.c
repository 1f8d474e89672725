/* vmd-device-interface.c: a network interface
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include "vmd-device-interface.h"
#include "vmd-device-private.h"

struct _VmdDeviceInterface
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceInterface, vmd_device_interface, VMD_TYPE_DEVICE)

static void
vmd_device_interface_class_init (VmdDeviceInterfaceClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "interface";
}

static void
vmd_device_interface_init (VmdDeviceInterface *self)
{
}

VmdDeviceInterface *
vmd_device_interface_new (void)
{
  return g_object_new (VMD_TYPE_DEVICE_INTERFACE, NULL);
}
