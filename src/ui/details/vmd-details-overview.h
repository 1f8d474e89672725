/* vmd-details-overview.h: the Overview page: name, title, description,
 * identity, state, engine, machine type and firmware
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-details-page.h"

G_BEGIN_DECLS

#define VMD_TYPE_DETAILS_OVERVIEW (vmd_details_overview_get_type ())
G_DECLARE_FINAL_TYPE (VmdDetailsOverview, vmd_details_overview, VMD, DETAILS_OVERVIEW, VmdDetailsPage)

VmdDetailsPage *vmd_details_overview_new (VmdDomain *domain, VmdConnection *connection);

G_END_DECLS
