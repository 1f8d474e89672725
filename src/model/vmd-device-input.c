/* vmd-device-input.c: an input device (tablet, keyboard, mouse)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include "vmd-device-input.h"
#include "vmd-device-private.h"

struct _VmdDeviceInput
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceInput, vmd_device_input, VMD_TYPE_DEVICE)

static void
vmd_device_input_class_init (VmdDeviceInputClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "input";
}

static void
vmd_device_input_init (VmdDeviceInput *self)
{
}

VmdDeviceInput *
vmd_device_input_new (void)
{
  return g_object_new (VMD_TYPE_DEVICE_INPUT, NULL);
}
