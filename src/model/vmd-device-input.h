/* vmd-device-input.h: an input device (tablet, keyboard, mouse)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_INPUT (vmd_device_input_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceInput, vmd_device_input, VMD, DEVICE_INPUT, VmdDevice)

VmdDeviceInput *vmd_device_input_new            (void);

char           *vmd_device_input_get_input_type (VmdDeviceInput *self);
void            vmd_device_input_set_input_type (VmdDeviceInput *self,
                                                 const char     *type);
char           *vmd_device_input_get_bus        (VmdDeviceInput *self);
void            vmd_device_input_set_bus        (VmdDeviceInput *self,
                                                 const char     *bus);

G_END_DECLS
