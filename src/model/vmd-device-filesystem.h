/* vmd-device-filesystem.h: a shared host folder (virtiofs, 9p)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_FILESYSTEM (vmd_device_filesystem_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceFilesystem, vmd_device_filesystem, VMD, DEVICE_FILESYSTEM, VmdDevice)

VmdDeviceFilesystem *vmd_device_filesystem_new                 (void);

char                *vmd_device_filesystem_get_filesystem_type (VmdDeviceFilesystem *self);
void                 vmd_device_filesystem_set_filesystem_type (VmdDeviceFilesystem *self,
                                                                const char          *type);
char                *vmd_device_filesystem_get_access_mode     (VmdDeviceFilesystem *self);
void                 vmd_device_filesystem_set_access_mode     (VmdDeviceFilesystem *self,
                                                                const char          *mode);
char                *vmd_device_filesystem_get_driver_type     (VmdDeviceFilesystem *self);
void                 vmd_device_filesystem_set_driver_type     (VmdDeviceFilesystem *self,
                                                                const char          *type);
char                *vmd_device_filesystem_get_source_dir      (VmdDeviceFilesystem *self);
void                 vmd_device_filesystem_set_source_dir      (VmdDeviceFilesystem *self,
                                                                const char          *dir);
char                *vmd_device_filesystem_get_target_dir      (VmdDeviceFilesystem *self);
void                 vmd_device_filesystem_set_target_dir      (VmdDeviceFilesystem *self,
                                                                const char          *dir);
gboolean             vmd_device_filesystem_get_readonly        (VmdDeviceFilesystem *self);
void                 vmd_device_filesystem_set_readonly        (VmdDeviceFilesystem *self,
                                                                gboolean             readonly);

G_END_DECLS
