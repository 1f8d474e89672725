/* vmd-device-memballoon.h: the memory balloon
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_MEMBALLOON (vmd_device_memballoon_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceMemballoon, vmd_device_memballoon, VMD, DEVICE_MEMBALLOON, VmdDevice)

VmdDeviceMemballoon *vmd_device_memballoon_new              (void);

char                *vmd_device_memballoon_get_model        (VmdDeviceMemballoon *self);
void                 vmd_device_memballoon_set_model        (VmdDeviceMemballoon *self,
                                                             const char          *model);
gboolean             vmd_device_memballoon_get_autodeflate  (VmdDeviceMemballoon *self);
void                 vmd_device_memballoon_set_autodeflate  (VmdDeviceMemballoon *self,
                                                             gboolean             autodeflate);
guint                vmd_device_memballoon_get_stats_period (VmdDeviceMemballoon *self);
void                 vmd_device_memballoon_set_stats_period (VmdDeviceMemballoon *self,
                                                             guint                seconds);

G_END_DECLS
