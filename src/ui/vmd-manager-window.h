/* vmd-manager-window.h: the main window, listing virtual machines
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vmd-application.h"

G_BEGIN_DECLS

#define VMD_TYPE_MANAGER_WINDOW (vmd_manager_window_get_type ())
G_DECLARE_FINAL_TYPE (VmdManagerWindow, vmd_manager_window, VMD, MANAGER_WINDOW,
                      GtkApplicationWindow)

VmdManagerWindow *vmd_manager_window_new (VmdApplication *app);

G_END_DECLS
