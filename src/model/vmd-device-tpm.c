/* vmd-device-tpm.c: a TPM
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include "vmd-device-tpm.h"
#include "vmd-device-private.h"

struct _VmdDeviceTpm
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceTpm, vmd_device_tpm, VMD_TYPE_DEVICE)

static void
vmd_device_tpm_class_init (VmdDeviceTpmClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "tpm";
}

static void
vmd_device_tpm_init (VmdDeviceTpm *self)
{
}

VmdDeviceTpm *
vmd_device_tpm_new (void)
{
  return g_object_new (VMD_TYPE_DEVICE_TPM, NULL);
}
