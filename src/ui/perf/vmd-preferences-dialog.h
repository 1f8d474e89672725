/* vmd-preferences-dialog.h: the application's settings, live
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VMD_TYPE_PREFERENCES_DIALOG (vmd_preferences_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VmdPreferencesDialog, vmd_preferences_dialog, VMD, PREFERENCES_DIALOG,
                      GtkDialog)

GtkWidget *vmd_preferences_dialog_new (GtkWindow *parent);

G_END_DECLS
