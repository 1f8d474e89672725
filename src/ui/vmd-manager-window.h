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

VmdManagerWindow *vmd_manager_window_new              (VmdApplication   *app);
void              vmd_manager_window_connection_ready (VmdManagerWindow *self);
void              vmd_manager_window_show_message     (VmdManagerWindow *self,
                                                       GtkMessageType    type,
                                                       const char       *message,
                                                       const char       *details);
void              vmd_manager_window_select_domain    (VmdManagerWindow *self,
                                                       VmdDomain        *domain);

G_END_DECLS
