/* vmd-device-hostdev.h: a host device passed through (USB or PCI)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_HOSTDEV (vmd_device_hostdev_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceHostdev, vmd_device_hostdev, VMD, DEVICE_HOSTDEV, VmdDevice)

VmdDeviceHostdev *vmd_device_hostdev_new (void);

G_END_DECLS
