/* vmd-device-memballoon.c: the memory balloon
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include "vmd-device-memballoon.h"
#include "vmd-device-private.h"

struct _VmdDeviceMemballoon
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceMemballoon, vmd_device_memballoon, VMD_TYPE_DEVICE)

#define DEV(self) VMD_DEVICE (self)

static void
vmd_device_memballoon_class_init (VmdDeviceMemballoonClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "memballoon";
}

static void
vmd_device_memballoon_init (VmdDeviceMemballoon *self)
{
}

/**
 * vmd_device_memballoon_new:
 *
 * Returns: a detached `<memballoon model='virtio'/>`
 */
VmdDeviceMemballoon *
vmd_device_memballoon_new (void)
{
  VmdDeviceMemballoon *self = g_object_new (VMD_TYPE_DEVICE_MEMBALLOON, NULL);

  vmd_device_memballoon_set_model (self, "virtio");
  return self;
}

char *
vmd_device_memballoon_get_model (VmdDeviceMemballoon *self)
{
  return _vmd_device_get_attr (DEV (self), NULL, "model");
}

/**
 * vmd_device_memballoon_set_model:
 * @model: (nullable): virtio, or none for no balloon (libvirt adds a
 *   virtio one when the element is missing)
 */
void
vmd_device_memballoon_set_model (VmdDeviceMemballoon *self, const char *model)
{
  _vmd_device_set_attr (DEV (self), NULL, "model", model);
}

/**
 * vmd_device_memballoon_get_autodeflate:
 *
 * Returns: whether the guest may take memory back from the balloon when
 *   it runs out
 */
gboolean
vmd_device_memballoon_get_autodeflate (VmdDeviceMemballoon *self)
{
  return _vmd_device_get_bool (DEV (self), NULL, "autodeflate", FALSE);
}

void
vmd_device_memballoon_set_autodeflate (VmdDeviceMemballoon *self, gboolean autodeflate)
{
  /* An on/off attribute, where _vmd_device_set_bool() writes yes/no. */
  _vmd_device_set_attr (DEV (self), NULL, "autodeflate", autodeflate ? "on" : "off");
}

/**
 * vmd_device_memballoon_get_stats_period:
 *
 * Returns: how often, in seconds, the guest reports its memory use, or 0
 *   when it does not
 */
guint
vmd_device_memballoon_get_stats_period (VmdDeviceMemballoon *self)
{
  return (guint) _vmd_device_get_uint (DEV (self), "stats", "period", 0);
}

/**
 * vmd_device_memballoon_set_stats_period:
 * @seconds: the period, or 0 to remove `<stats>`
 */
void
vmd_device_memballoon_set_stats_period (VmdDeviceMemballoon *self, guint seconds)
{
  if (seconds == 0)
    {
      _vmd_device_set_present (DEV (self), "stats", FALSE);
      return;
    }
  _vmd_device_set_uint (DEV (self), "stats", "period", seconds);
}
