/* vmd-performance-page.h: a VM's CPU, memory, disk and network graphs
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vmd-domain.h"

G_BEGIN_DECLS

#define VMD_TYPE_PERFORMANCE_PAGE (vmd_performance_page_get_type ())
G_DECLARE_FINAL_TYPE (VmdPerformancePage, vmd_performance_page, VMD, PERFORMANCE_PAGE, GtkBox)

GtkWidget *vmd_performance_page_new (VmdDomain *domain);

G_END_DECLS
