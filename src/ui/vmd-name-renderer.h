/* vmd-name-renderer.h: a text cell that keeps its laid-out markup
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VMD_TYPE_NAME_RENDERER (vmd_name_renderer_get_type ())
G_DECLARE_FINAL_TYPE (VmdNameRenderer, vmd_name_renderer, VMD, NAME_RENDERER, GtkCellRendererText)

G_END_DECLS
