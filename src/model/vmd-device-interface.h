/* vmd-device-interface.h: a network interface
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_INTERFACE (vmd_device_interface_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceInterface, vmd_device_interface, VMD, DEVICE_INTERFACE, VmdDevice)

VmdDeviceInterface *vmd_device_interface_new (void);

G_END_DECLS
