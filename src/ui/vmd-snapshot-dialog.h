/* vmd-snapshot-dialog.h: asks for a new snapshot's name and description
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VMD_TYPE_SNAPSHOT_DIALOG (vmd_snapshot_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VmdSnapshotDialog, vmd_snapshot_dialog, VMD, SNAPSHOT_DIALOG, GtkDialog)

VmdSnapshotDialog *vmd_snapshot_dialog_new             (GtkWindow         *parent,
                                                        const char        *suggested_name);
const char        *vmd_snapshot_dialog_get_name        (VmdSnapshotDialog *self);
void               vmd_snapshot_dialog_set_name        (VmdSnapshotDialog *self,
                                                        const char        *name);
char              *vmd_snapshot_dialog_get_description (VmdSnapshotDialog *self);
void               vmd_snapshot_dialog_set_description (VmdSnapshotDialog *self,
                                                        const char        *description);

G_END_DECLS
