/* vmd-device-memballoon.c: the memory balloon
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include "vmd-device-memballoon.h"
#include "vmd-device-private.h"

struct _VmdDeviceMemballoon
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceMemballoon, vmd_device_memballoon, VMD_TYPE_DEVICE)

static void
vmd_device_memballoon_class_init (VmdDeviceMemballoonClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "memballoon";
}

static void
vmd_device_memballoon_init (VmdDeviceMemballoon *self)
{
}

VmdDeviceMemballoon *
vmd_device_memballoon_new (void)
{
  return g_object_new (VMD_TYPE_DEVICE_MEMBALLOON, NULL);
}
