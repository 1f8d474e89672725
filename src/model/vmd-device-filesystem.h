/* vmd-device-filesystem.h: a shared host folder (virtiofs, 9p)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_FILESYSTEM (vmd_device_filesystem_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceFilesystem, vmd_device_filesystem, VMD, DEVICE_FILESYSTEM, VmdDevice)

VmdDeviceFilesystem *vmd_device_filesystem_new (void);

G_END_DECLS
