/* vmd-details-view.h: the VM window's Details page: the hardware list,
 * an editor per row, Apply/Revert, Add Hardware, XML views
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vmd-connection.h"
#include "vmd-domain.h"

G_BEGIN_DECLS

#define VMD_TYPE_DETAILS_VIEW (vmd_details_view_get_type ())
G_DECLARE_FINAL_TYPE (VmdDetailsView, vmd_details_view, VMD, DETAILS_VIEW, GtkBox)

GtkWidget       *vmd_details_view_new            (VmdDomain       *domain);
/* For a VM not defined yet (the New VM assistant's "Customize
 * configuration before install"): Apply stores the pages into @config
 * and emits "config-applied" (VmdDomainConfig *config: the definition
 * the view now holds; @config itself, or a new object when the XML tab
 * replaced the whole document). No engine calls. */
GtkWidget       *vmd_details_view_new_for_config (VmdConnection   *connection,
                                                  VmdDomainConfig *config);

/* The working copy of the definition the pages edit. */
VmdDomainConfig *vmd_details_view_get_config     (VmdDetailsView  *self);
/* Rows: "overview", "os", "cpus", "memory", "boot", "performance", and
 * "device:KIND:N" (the Nth device of that kind, from 0, e.g.
 * "device:disk:0"). FALSE if there is no such row. */
gboolean         vmd_details_view_select         (VmdDetailsView  *self,
                                                  const char      *row);
const char      *vmd_details_view_get_selected   (VmdDetailsView  *self);
/* The editor page of @row, or NULL. */
GtkWidget       *vmd_details_view_get_page       (VmdDetailsView  *self,
                                                  const char      *row);
/* Tabs: "details", "xml", "qemu". */
void             vmd_details_view_show_tab       (VmdDetailsView  *self,
                                                  const char      *tab);
gboolean         vmd_details_view_has_changes    (VmdDetailsView  *self);
gboolean         vmd_details_view_is_busy        (VmdDetailsView  *self);
/* The error of the last Apply, Add or Remove, or NULL. */
const char      *vmd_details_view_get_error      (VmdDetailsView  *self);
/* Whether the restart notice shows. */
gboolean         vmd_details_view_needs_restart  (VmdDetailsView  *self);

G_END_DECLS
