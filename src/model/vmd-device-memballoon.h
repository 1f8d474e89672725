/* vmd-device-memballoon.h: the memory balloon
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_MEMBALLOON (vmd_device_memballoon_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceMemballoon, vmd_device_memballoon, VMD, DEVICE_MEMBALLOON, VmdDevice)

VmdDeviceMemballoon *vmd_device_memballoon_new (void);

G_END_DECLS
