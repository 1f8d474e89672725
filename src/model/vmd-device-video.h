/* vmd-device-video.h: a video adapter
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_VIDEO (vmd_device_video_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceVideo, vmd_device_video, VMD, DEVICE_VIDEO, VmdDevice)

VmdDeviceVideo *vmd_device_video_new (void);

G_END_DECLS
