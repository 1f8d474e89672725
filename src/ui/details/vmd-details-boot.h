/* vmd-details-boot.h: the Boot Options page: autostart, boot menu, boot
 * device order, direct kernel boot
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-details-page.h"

G_BEGIN_DECLS

#define VMD_TYPE_DETAILS_BOOT (vmd_details_boot_get_type ())
G_DECLARE_FINAL_TYPE (VmdDetailsBoot, vmd_details_boot, VMD, DETAILS_BOOT, VmdDetailsPage)

VmdDetailsPage *vmd_details_boot_new (VmdDomain *domain);

G_END_DECLS
