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

#define DEV(self) VMD_DEVICE (self)

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

/**
 * vmd_device_filesystem_new:
 *
 * A virtiofs share, still without its folders. libvirt also wants the
 * machine's memory shared (`<memoryBacking><access mode='shared'/>`)
 * before it starts a virtiofs share.
 *
 * Returns: a detached `<filesystem type='mount' accessmode='passthrough'>`
 *   with `<driver type='virtiofs'/>`
 */
VmdDeviceFilesystem *
vmd_device_filesystem_new (void)
{
  VmdDeviceFilesystem *self = g_object_new (VMD_TYPE_DEVICE_FILESYSTEM, NULL);

  vmd_device_filesystem_set_filesystem_type (self, "mount");
  vmd_device_filesystem_set_access_mode (self, "passthrough");
  vmd_device_filesystem_set_driver_type (self, "virtiofs");
  return self;
}

char *
vmd_device_filesystem_get_filesystem_type (VmdDeviceFilesystem *self)
{
  return _vmd_device_get_attr (DEV (self), NULL, "type");
}

/**
 * vmd_device_filesystem_set_filesystem_type:
 * @type: (nullable): mount (a host folder, the default), file, block, ram, …
 */
void
vmd_device_filesystem_set_filesystem_type (VmdDeviceFilesystem *self, const char *type)
{
  _vmd_device_set_attr (DEV (self), NULL, "type", type);
}

char *
vmd_device_filesystem_get_access_mode (VmdDeviceFilesystem *self)
{
  return _vmd_device_get_attr (DEV (self), NULL, "accessmode");
}

/**
 * vmd_device_filesystem_set_access_mode:
 * @mode: (nullable): passthrough (the only one virtiofs takes), mapped or
 *   squash
 */
void
vmd_device_filesystem_set_access_mode (VmdDeviceFilesystem *self, const char *mode)
{
  _vmd_device_set_attr (DEV (self), NULL, "accessmode", mode);
}

char *
vmd_device_filesystem_get_driver_type (VmdDeviceFilesystem *self)
{
  return _vmd_device_get_attr (DEV (self), "driver", "type");
}

/**
 * vmd_device_filesystem_set_driver_type:
 * @type: (nullable): virtiofs, or path or handle for 9p; %NULL for 9p
 *   with libvirt's default driver
 */
void
vmd_device_filesystem_set_driver_type (VmdDeviceFilesystem *self, const char *type)
{
  _vmd_device_set_attr (DEV (self), "driver", "type", type);
}

char *
vmd_device_filesystem_get_source_dir (VmdDeviceFilesystem *self)
{
  return _vmd_device_get_attr (DEV (self), "source", "dir");
}

/**
 * vmd_device_filesystem_set_source_dir:
 * @dir: (nullable): the host folder to share
 */
void
vmd_device_filesystem_set_source_dir (VmdDeviceFilesystem *self, const char *dir)
{
  _vmd_device_set_attr (DEV (self), "source", "dir", dir);
}

char *
vmd_device_filesystem_get_target_dir (VmdDeviceFilesystem *self)
{
  return _vmd_device_get_attr (DEV (self), "target", "dir");
}

/**
 * vmd_device_filesystem_set_target_dir:
 * @dir: (nullable): the tag the guest mounts the share by
 */
void
vmd_device_filesystem_set_target_dir (VmdDeviceFilesystem *self, const char *dir)
{
  _vmd_device_set_attr (DEV (self), "target", "dir", dir);
}

gboolean
vmd_device_filesystem_get_readonly (VmdDeviceFilesystem *self)
{
  return _vmd_device_has (DEV (self), "readonly");
}

void
vmd_device_filesystem_set_readonly (VmdDeviceFilesystem *self, gboolean readonly)
{
  _vmd_device_set_present (DEV (self), "readonly", readonly);
}
