/* vmd-name-dialog.h: asks for a new virtual machine name, to rename or
 * clone one
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vmd-domain.h"

G_BEGIN_DECLS

typedef enum {
  VMD_NAME_DIALOG_RENAME,
  VMD_NAME_DIALOG_CLONE,
} VmdNameDialogMode;

#define VMD_TYPE_NAME_DIALOG (vmd_name_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VmdNameDialog, vmd_name_dialog, VMD, NAME_DIALOG, GtkDialog)

VmdNameDialog     *vmd_name_dialog_new        (GtkWindow         *parent,
                                               VmdDomain         *domain,
                                               VmdNameDialogMode  mode);
VmdDomain         *vmd_name_dialog_get_domain (VmdNameDialog     *self);
VmdNameDialogMode  vmd_name_dialog_get_mode   (VmdNameDialog     *self);
const char        *vmd_name_dialog_get_name   (VmdNameDialog     *self);
GStrv              vmd_name_dialog_get_overlays (VmdNameDialog   *self);
gboolean           vmd_name_dialog_set_disk_mode (VmdNameDialog  *self,
                                                  const char     *source,
                                                  const char     *mode);
char              *vmd_name_dialog_validate   (VmdDomain         *domain,
                                               VmdNameDialogMode  mode,
                                               const char        *name);

G_END_DECLS
