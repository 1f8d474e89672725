/* vmd-device-tpm.h: a TPM
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_TPM (vmd_device_tpm_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceTpm, vmd_device_tpm, VMD, DEVICE_TPM, VmdDevice)

VmdDeviceTpm *vmd_device_tpm_new (void);

G_END_DECLS
