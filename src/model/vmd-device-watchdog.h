/* vmd-device-watchdog.h: a watchdog
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_WATCHDOG (vmd_device_watchdog_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceWatchdog, vmd_device_watchdog, VMD, DEVICE_WATCHDOG, VmdDevice)

VmdDeviceWatchdog *vmd_device_watchdog_new        (void);

char              *vmd_device_watchdog_get_model  (VmdDeviceWatchdog *self);
void               vmd_device_watchdog_set_model  (VmdDeviceWatchdog *self,
                                                   const char        *model);
char              *vmd_device_watchdog_get_action (VmdDeviceWatchdog *self);
void               vmd_device_watchdog_set_action (VmdDeviceWatchdog *self,
                                                   const char        *action);

G_END_DECLS
