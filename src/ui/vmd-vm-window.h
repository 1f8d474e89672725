/* vmd-vm-window.h: the window of one virtual machine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vmd-application.h"
#include "vmd-console.h"
#include "vmd-domain.h"
#include "vmd-snapshots-view.h"

G_BEGIN_DECLS

#define VMD_TYPE_VM_WINDOW (vmd_vm_window_get_type ())
G_DECLARE_FINAL_TYPE (VmdVmWindow, vmd_vm_window, VMD, VM_WINDOW, GtkApplicationWindow)

VmdVmWindow      *vmd_vm_window_new                (VmdApplication *app,
                                                    VmdDomain      *domain);
VmdDomain        *vmd_vm_window_get_domain         (VmdVmWindow    *self);
VmdConsole       *vmd_vm_window_get_console        (VmdVmWindow    *self,
                                                    const char     *id);
const char       *vmd_vm_window_get_console_page   (VmdVmWindow    *self);
const char       *vmd_vm_window_get_status         (VmdVmWindow    *self);
const char       *vmd_vm_window_get_error          (VmdVmWindow    *self);
VmdSnapshotsView *vmd_vm_window_get_snapshots_view (VmdVmWindow    *self);
void              vmd_vm_window_show_page          (VmdVmWindow    *self,
                                                    const char     *page);

G_END_DECLS
