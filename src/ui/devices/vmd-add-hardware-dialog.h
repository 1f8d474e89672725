/* vmd-add-hardware-dialog.h: Add Hardware: every device type, each with
 * the same editor its Details page uses
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Modal to its parent. On GTK_RESPONSE_ACCEPT the caller takes the new
 * device with vmd_add_hardware_dialog_get_device() (not yet added to
 * @config; the dialog only reads @config for defaults such as free
 * target names and MACs in use), adds it to its working copy, and, on a
 * running VM, hot-adds it with vmd_domain_attach_device_async().
 */
#pragma once

#include <gtk/gtk.h>

#include "vmd-device-editor.h"
#include "vmd-domain.h"
#include "vmd-model.h"

G_BEGIN_DECLS

#define VMD_TYPE_ADD_HARDWARE_DIALOG (vmd_add_hardware_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VmdAddHardwareDialog, vmd_add_hardware_dialog, VMD, ADD_HARDWARE_DIALOG, GtkDialog)

GtkWidget *vmd_add_hardware_dialog_new        (GtkWindow            *parent,
                                               VmdDomainConfig      *config,
                                               VmdDomain            *domain);
/* @kind: preselect a device type ("disk", "interface", ...), or NULL */
void       vmd_add_hardware_dialog_select     (VmdAddHardwareDialog *self,
                                               const char           *kind);
VmdDevice *vmd_add_hardware_dialog_get_device (VmdAddHardwareDialog *self);
/* The editor of the selected device type (for tests and AT). */
VmdDeviceEditor *vmd_add_hardware_dialog_get_editor (VmdAddHardwareDialog *self);

G_END_DECLS
