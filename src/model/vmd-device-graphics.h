/* vmd-device-graphics.h: a graphical display (VNC, SPICE, …)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_GRAPHICS (vmd_device_graphics_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceGraphics, vmd_device_graphics, VMD, DEVICE_GRAPHICS, VmdDevice)

VmdDeviceGraphics *vmd_device_graphics_new (void);

G_END_DECLS
