/* vmd-sparkline-renderer.h: a tiny line graph of a VM's recent samples
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vmd-stats-history.h"

G_BEGIN_DECLS

#define VMD_TYPE_SPARKLINE_RENDERER (vmd_sparkline_renderer_get_type ())

G_DECLARE_FINAL_TYPE (VmdSparklineRenderer, vmd_sparkline_renderer, VMD, SPARKLINE_RENDERER,
                      GtkCellRenderer)

GtkCellRenderer *vmd_sparkline_renderer_new (VmdStatsSeries series);

char            *vmd_sparkline_format_value (VmdStatsSeries series,
                                             double         scale,
                                             double         value);

guint            vmd_sparkline_signature    (const VmdStatsHistory *history,
                                             VmdStatsSeries         series,
                                             double                 scale);

gboolean         vmd_sparkline_value_changed (const VmdStatsHistory *history,
                                              VmdStatsSeries         series,
                                              double                 scale);

gboolean         vmd_sparkline_renderer_get_line_area (VmdSparklineRenderer *self,
                                                       GtkWidget            *widget,
                                                       const GdkRectangle   *background,
                                                       GdkRectangle         *line);
void             vmd_sparkline_renderer_set_history   (VmdSparklineRenderer *self,
                                                       VmdStatsHistory      *history);

G_END_DECLS
