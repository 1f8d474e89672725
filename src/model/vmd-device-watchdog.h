/* vmd-device-watchdog.h: a watchdog
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_WATCHDOG (vmd_device_watchdog_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceWatchdog, vmd_device_watchdog, VMD, DEVICE_WATCHDOG, VmdDevice)

VmdDeviceWatchdog *vmd_device_watchdog_new (void);

G_END_DECLS
