/* vmd-device-sound.c: a sound device
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include "vmd-device-sound.h"
#include "vmd-device-private.h"

struct _VmdDeviceSound
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceSound, vmd_device_sound, VMD_TYPE_DEVICE)

static void
vmd_device_sound_class_init (VmdDeviceSoundClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "sound";
}

static void
vmd_device_sound_init (VmdDeviceSound *self)
{
}

VmdDeviceSound *
vmd_device_sound_new (void)
{
  return g_object_new (VMD_TYPE_DEVICE_SOUND, NULL);
}
