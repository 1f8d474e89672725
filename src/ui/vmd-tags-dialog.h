/* vmd-tags-dialog.h: edits the user's tags of a virtual machine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vmd-domain.h"

G_BEGIN_DECLS

#define VMD_TYPE_TAGS_DIALOG (vmd_tags_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VmdTagsDialog, vmd_tags_dialog, VMD, TAGS_DIALOG, GtkDialog)

VmdTagsDialog *vmd_tags_dialog_new        (GtkWindow     *parent,
                                           VmdDomain     *domain);
VmdDomain     *vmd_tags_dialog_get_domain (VmdTagsDialog *self);
GStrv          vmd_tags_dialog_get_tags   (VmdTagsDialog *self);
GStrv          vmd_tags_dialog_parse      (const char    *text);

G_END_DECLS
