/* vmd-details-memory.h: the Memory page: maximum and current allocation
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-details-page.h"

G_BEGIN_DECLS

#define VMD_TYPE_DETAILS_MEMORY (vmd_details_memory_get_type ())
G_DECLARE_FINAL_TYPE (VmdDetailsMemory, vmd_details_memory, VMD, DETAILS_MEMORY, VmdDetailsPage)

VmdDetailsPage *vmd_details_memory_new (VmdDomain *domain);
/* The host's physical memory in MiB. */
guint64         vmd_details_host_memory_mib (void);

G_END_DECLS
