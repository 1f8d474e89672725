/* vmd-details-os.h: the OS page: which operating system the guest runs,
 * from libosinfo's database, recorded as virt-install does
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-details-page.h"

G_BEGIN_DECLS

#define VMD_TYPE_DETAILS_OS (vmd_details_os_get_type ())
G_DECLARE_FINAL_TYPE (VmdDetailsOs, vmd_details_os, VMD, DETAILS_OS, VmdDetailsPage)

VmdDetailsPage *vmd_details_os_new (VmdDomain *domain);

G_END_DECLS
