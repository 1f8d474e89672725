/* vmd-device-sound.h: a sound device
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_SOUND (vmd_device_sound_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceSound, vmd_device_sound, VMD, DEVICE_SOUND, VmdDevice)

VmdDeviceSound *vmd_device_sound_new       (void);

char           *vmd_device_sound_get_model (VmdDeviceSound *self);
void            vmd_device_sound_set_model (VmdDeviceSound *self,
                                            const char     *model);

G_END_DECLS
