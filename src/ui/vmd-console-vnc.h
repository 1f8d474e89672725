/* vmd-console-vnc.h: a VNC console (gtk-vnc) over a socket from the engine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-console.h"

G_BEGIN_DECLS

#define VMD_TYPE_CONSOLE_VNC (vmd_console_vnc_get_type ())
G_DECLARE_FINAL_TYPE (VmdConsoleVnc, vmd_console_vnc, VMD, CONSOLE_VNC, VmdConsole)

VmdConsole *vmd_console_vnc_new         (VmdDomain     *domain);
GtkWidget  *vmd_console_vnc_get_display (VmdConsoleVnc *self);

void        vmd_console_vnc_set_grab_keys (VmdConsoleVnc *self,
                                           const guint   *keysyms,
                                           guint          n);

G_END_DECLS
