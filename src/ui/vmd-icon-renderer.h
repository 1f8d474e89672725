/* vmd-icon-renderer.h: an icon cell that keeps what it drew
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VMD_TYPE_ICON_RENDERER (vmd_icon_renderer_get_type ())
G_DECLARE_FINAL_TYPE (VmdIconRenderer, vmd_icon_renderer, VMD, ICON_RENDERER, GtkCellRendererPixbuf)

gboolean vmd_cell_outside_clip (cairo_t *cr, const GdkRectangle *cell_area);

G_END_DECLS
