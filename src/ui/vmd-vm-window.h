/* vmd-vm-window.h: the window of one virtual machine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vmd-application.h"
#include "vmd-domain.h"

G_BEGIN_DECLS

#define VMD_TYPE_VM_WINDOW (vmd_vm_window_get_type ())
G_DECLARE_FINAL_TYPE (VmdVmWindow, vmd_vm_window, VMD, VM_WINDOW, GtkApplicationWindow)

VmdVmWindow *vmd_vm_window_new        (VmdApplication *app,
                                       VmdDomain      *domain);
VmdDomain   *vmd_vm_window_get_domain (VmdVmWindow    *self);

G_END_DECLS
