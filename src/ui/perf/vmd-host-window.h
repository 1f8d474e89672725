/* vmd-host-window.h: the connection's host overview
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vmd-connection.h"

G_BEGIN_DECLS

#define VMD_TYPE_HOST_WINDOW (vmd_host_window_get_type ())
G_DECLARE_FINAL_TYPE (VmdHostWindow, vmd_host_window, VMD, HOST_WINDOW, GtkWindow)

GtkWidget *vmd_host_window_new (GtkApplication *app,
                                VmdConnection  *connection);

G_END_DECLS
