/* vmd-device-video.c: a video adapter
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include "vmd-device-video.h"
#include "vmd-device-private.h"

struct _VmdDeviceVideo
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceVideo, vmd_device_video, VMD_TYPE_DEVICE)

static void
vmd_device_video_class_init (VmdDeviceVideoClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "video";
}

static void
vmd_device_video_init (VmdDeviceVideo *self)
{
}

VmdDeviceVideo *
vmd_device_video_new (void)
{
  return g_object_new (VMD_TYPE_DEVICE_VIDEO, NULL);
}
