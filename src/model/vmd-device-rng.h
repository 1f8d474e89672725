/* vmd-device-rng.h: a random number generator
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_RNG (vmd_device_rng_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceRng, vmd_device_rng, VMD, DEVICE_RNG, VmdDevice)

VmdDeviceRng *vmd_device_rng_new (void);

G_END_DECLS
