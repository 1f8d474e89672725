/* vmd-device-rng.h: a random number generator
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_RNG (vmd_device_rng_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceRng, vmd_device_rng, VMD, DEVICE_RNG, VmdDevice)

VmdDeviceRng *vmd_device_rng_new               (void);

char         *vmd_device_rng_get_model         (VmdDeviceRng *self);
void          vmd_device_rng_set_model         (VmdDeviceRng *self,
                                                const char   *model);
char         *vmd_device_rng_get_backend_model (VmdDeviceRng *self);
void          vmd_device_rng_set_backend_model (VmdDeviceRng *self,
                                                const char   *model);
char         *vmd_device_rng_get_source_path   (VmdDeviceRng *self);
void          vmd_device_rng_set_source_path   (VmdDeviceRng *self,
                                                const char   *path);
guint         vmd_device_rng_get_rate_bytes    (VmdDeviceRng *self);
guint         vmd_device_rng_get_rate_period   (VmdDeviceRng *self);
void          vmd_device_rng_set_rate          (VmdDeviceRng *self,
                                                guint         bytes,
                                                guint         period);

G_END_DECLS
