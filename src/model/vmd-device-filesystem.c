/* vmd-device-filesystem.c: a shared host folder (virtiofs, 9p)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include "vmd-device-filesystem.h"
#include "vmd-device-private.h"

struct _VmdDeviceFilesystem
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceFilesystem, vmd_device_filesystem, VMD_TYPE_DEVICE)

static void
vmd_device_filesystem_class_init (VmdDeviceFilesystemClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "filesystem";
}

static void
vmd_device_filesystem_init (VmdDeviceFilesystem *self)
{
}

VmdDeviceFilesystem *
vmd_device_filesystem_new (void)
{
  return g_object_new (VMD_TYPE_DEVICE_FILESYSTEM, NULL);
}
