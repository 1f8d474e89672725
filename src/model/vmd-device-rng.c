/* vmd-device-rng.c: a random number generator
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include "vmd-device-rng.h"
#include "vmd-device-private.h"

struct _VmdDeviceRng
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceRng, vmd_device_rng, VMD_TYPE_DEVICE)

static void
vmd_device_rng_class_init (VmdDeviceRngClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "rng";
}

static void
vmd_device_rng_init (VmdDeviceRng *self)
{
}

VmdDeviceRng *
vmd_device_rng_new (void)
{
  return g_object_new (VMD_TYPE_DEVICE_RNG, NULL);
}
