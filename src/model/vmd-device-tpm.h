/* vmd-device-tpm.h: a TPM
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_TPM (vmd_device_tpm_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceTpm, vmd_device_tpm, VMD, DEVICE_TPM, VmdDevice)

VmdDeviceTpm *vmd_device_tpm_new                 (void);

char         *vmd_device_tpm_get_model           (VmdDeviceTpm *self);
void          vmd_device_tpm_set_model           (VmdDeviceTpm *self,
                                                  const char   *model);
char         *vmd_device_tpm_get_backend_type    (VmdDeviceTpm *self);
void          vmd_device_tpm_set_backend_type    (VmdDeviceTpm *self,
                                                  const char   *type);
char         *vmd_device_tpm_get_backend_version (VmdDeviceTpm *self);
void          vmd_device_tpm_set_backend_version (VmdDeviceTpm *self,
                                                  const char   *version);
char         *vmd_device_tpm_get_device_path     (VmdDeviceTpm *self);
void          vmd_device_tpm_set_device_path     (VmdDeviceTpm *self,
                                                  const char   *path);

G_END_DECLS
