/* vmd-console-spice.h: a SPICE console (spice-gtk) over sockets from the engine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-console.h"

G_BEGIN_DECLS

#define VMD_TYPE_CONSOLE_SPICE (vmd_console_spice_get_type ())
G_DECLARE_FINAL_TYPE (VmdConsoleSpice, vmd_console_spice, VMD, CONSOLE_SPICE, VmdConsole)

VmdConsole   *vmd_console_spice_new           (VmdDomain       *domain);
gboolean      vmd_console_spice_has_usbredir  (VmdConsoleSpice *self);
gpointer      vmd_console_spice_get_session   (VmdConsoleSpice *self);
GtkWidget    *vmd_console_spice_new_usb_widget (VmdConsoleSpice *self);
void          vmd_console_spice_set_clipboard (VmdConsoleSpice *self,
                                               gboolean         host_to_guest,
                                               gboolean         guest_to_host);

void          vmd_console_spice_set_grab_keys (VmdConsoleSpice *self,
                                               const guint     *keysyms,
                                               guint            n);

G_END_DECLS
