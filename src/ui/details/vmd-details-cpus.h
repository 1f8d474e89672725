/* vmd-details-cpus.h: the CPUs page: count, model, topology
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-details-page.h"

G_BEGIN_DECLS

#define VMD_TYPE_DETAILS_CPUS (vmd_details_cpus_get_type ())
G_DECLARE_FINAL_TYPE (VmdDetailsCpus, vmd_details_cpus, VMD, DETAILS_CPUS, VmdDetailsPage)

/* @qemu_binary: whose -cpu help lists the models (NULL: from PATH) */
VmdDetailsPage *vmd_details_cpus_new (VmdDomain *domain, const char *qemu_binary);

G_END_DECLS
