/* vmd-device-video.h: a video adapter
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_VIDEO (vmd_device_video_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceVideo, vmd_device_video, VMD, DEVICE_VIDEO, VmdDevice)

VmdDeviceVideo *vmd_device_video_new          (void);

char           *vmd_device_video_get_model    (VmdDeviceVideo *self);
void            vmd_device_video_set_model    (VmdDeviceVideo *self,
                                               const char     *model);
guint           vmd_device_video_get_vram     (VmdDeviceVideo *self);
void            vmd_device_video_set_vram     (VmdDeviceVideo *self,
                                               guint           kib);
guint           vmd_device_video_get_heads    (VmdDeviceVideo *self);
void            vmd_device_video_set_heads    (VmdDeviceVideo *self,
                                               guint           heads);
gboolean        vmd_device_video_get_accel3d  (VmdDeviceVideo *self);
void            vmd_device_video_set_accel3d  (VmdDeviceVideo *self,
                                               gboolean        accel3d);
gboolean        vmd_device_video_get_primary  (VmdDeviceVideo *self);
void            vmd_device_video_set_primary  (VmdDeviceVideo *self,
                                               gboolean        primary);

G_END_DECLS
