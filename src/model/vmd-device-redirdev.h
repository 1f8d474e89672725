/* vmd-device-redirdev.h: a USB redirection channel (SPICE)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_REDIRDEV (vmd_device_redirdev_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceRedirdev, vmd_device_redirdev, VMD, DEVICE_REDIRDEV, VmdDevice)

VmdDeviceRedirdev *vmd_device_redirdev_new               (void);

char              *vmd_device_redirdev_get_bus           (VmdDeviceRedirdev *self);
void               vmd_device_redirdev_set_bus           (VmdDeviceRedirdev *self,
                                                          const char        *bus);
char              *vmd_device_redirdev_get_redirdev_type (VmdDeviceRedirdev *self);
void               vmd_device_redirdev_set_redirdev_type (VmdDeviceRedirdev *self,
                                                          const char        *type);

G_END_DECLS
