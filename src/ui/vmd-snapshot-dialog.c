/* vmd-snapshot-dialog.c: asks for a new snapshot's name and description
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-ui"

#include <glib/gi18n.h>
#include <string.h>

#include "vmd-snapshot-dialog.h"

struct _VmdSnapshotDialog
{
  GtkDialog    parent_instance;

  GtkEntry    *name_entry;
  GtkTextView *description_view;
  GtkWidget   *create_button;
};

G_DEFINE_FINAL_TYPE (VmdSnapshotDialog, vmd_snapshot_dialog, GTK_TYPE_DIALOG)

static void
name_changed (VmdSnapshotDialog *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_entry_get_text (self->name_entry)));

  /* The name becomes a file name and a QEMU job id: no slashes. */
  gtk_widget_set_sensitive (self->create_button, name[0] != '\0' && strchr (name, '/') == NULL);
}

static void
vmd_snapshot_dialog_class_init (VmdSnapshotDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               VMD_RESOURCE_PREFIX "/ui/vmd-snapshot-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdSnapshotDialog, name_entry);
  gtk_widget_class_bind_template_child (widget_class, VmdSnapshotDialog, description_view);
  gtk_widget_class_bind_template_child (widget_class, VmdSnapshotDialog, create_button);
  gtk_widget_class_bind_template_callback (widget_class, name_changed);
}

static void
vmd_snapshot_dialog_init (VmdSnapshotDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_dialog_set_default_response (GTK_DIALOG (self), GTK_RESPONSE_OK);
  name_changed (self);
}

VmdSnapshotDialog *
vmd_snapshot_dialog_new (GtkWindow *parent, const char *suggested_name)
{
  VmdSnapshotDialog *self = g_object_new (VMD_TYPE_SNAPSHOT_DIALOG, "transient-for", parent,
                                          "use-header-bar", FALSE, NULL);

  vmd_snapshot_dialog_set_name (self, suggested_name);
  return self;
}

const char *
vmd_snapshot_dialog_get_name (VmdSnapshotDialog *self)
{
  return gtk_entry_get_text (self->name_entry);
}

void
vmd_snapshot_dialog_set_name (VmdSnapshotDialog *self, const char *name)
{
  gtk_entry_set_text (self->name_entry, name ? name : "");
}

char *
vmd_snapshot_dialog_get_description (VmdSnapshotDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->description_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
vmd_snapshot_dialog_set_description (VmdSnapshotDialog *self, const char *description)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->description_view),
                            description ? description : "", -1);
}
