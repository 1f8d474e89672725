/* vmd-device-chardev.h: a character device: serial port, console, channel or parallel port
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_CHARDEV (vmd_device_chardev_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceChardev, vmd_device_chardev, VMD, DEVICE_CHARDEV, VmdDevice)

VmdDeviceChardev *vmd_device_chardev_new (void);

G_END_DECLS
