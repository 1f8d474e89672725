/* vmd-details-view.h: the VM window's Details page: the hardware list,
 * an editor per row, Apply/Revert, Add Hardware, XML views
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vmd-domain.h"

G_BEGIN_DECLS

#define VMD_TYPE_DETAILS_VIEW (vmd_details_view_get_type ())
G_DECLARE_FINAL_TYPE (VmdDetailsView, vmd_details_view, VMD, DETAILS_VIEW, GtkBox)

GtkWidget *vmd_details_view_new (VmdDomain *domain);

G_END_DECLS
