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

#define DEV(self) VMD_DEVICE (self)

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

/**
 * vmd_device_sound_new:
 *
 * Returns: a detached Intel HDA sound card (ich9), as virt-manager adds to
 *   a q35 machine.
 */
VmdDeviceSound *
vmd_device_sound_new (void)
{
  VmdDeviceSound *self = g_object_new (VMD_TYPE_DEVICE_SOUND, NULL);

  vmd_device_sound_set_model (self, "ich9");
  return self;
}

char *
vmd_device_sound_get_model (VmdDeviceSound *self)
{
  return _vmd_device_get_attr (DEV (self), NULL, "model");
}

/**
 * vmd_device_sound_set_model:
 * @model: ich9, ich6, ac97, usb, virtio, …; libvirt requires one
 */
void
vmd_device_sound_set_model (VmdDeviceSound *self, const char *model)
{
  g_return_if_fail (model != NULL);
  _vmd_device_set_attr (DEV (self), NULL, "model", model);
}
