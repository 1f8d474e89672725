/* vmd-tags-dialog.c: edits the user's tags of a virtual machine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One entry, the tags separated by commas; the caller saves them on
 * "response" GTK_RESPONSE_ACCEPT.
 */
#define G_LOG_DOMAIN "vmdesk-ui"

#include <glib/gi18n.h>

#include "vmd-tags-dialog.h"

struct _VmdTagsDialog
{
  GtkDialog  parent_instance;

  GtkLabel  *intro_label;
  GtkEntry  *tags_entry;

  VmdDomain *domain;
};

G_DEFINE_FINAL_TYPE (VmdTagsDialog, vmd_tags_dialog, GTK_TYPE_DIALOG)

/**
 * vmd_tags_dialog_parse:
 *
 * Returns: (transfer full): the comma-separated tags of @text, trimmed,
 *   without blanks
 */
GStrv
vmd_tags_dialog_parse (const char *text)
{
  g_auto (GStrv) parts = g_strsplit (text ? text : "", ",", -1);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

static void
vmd_tags_dialog_dispose (GObject *object)
{
  VmdTagsDialog *self = VMD_TAGS_DIALOG (object);

  g_clear_object (&self->domain);
  G_OBJECT_CLASS (vmd_tags_dialog_parent_class)->dispose (object);
}

static void
vmd_tags_dialog_class_init (VmdTagsDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_tags_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               VMD_RESOURCE_PREFIX "/ui/vmd-tags-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdTagsDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, VmdTagsDialog, tags_entry);
}

static void
vmd_tags_dialog_init (VmdTagsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

VmdTagsDialog *
vmd_tags_dialog_new (GtkWindow *parent, VmdDomain *domain)
{
  VmdTagsDialog *self = g_object_new (VMD_TYPE_TAGS_DIALOG,
                                      "transient-for", parent,
                                      "use-header-bar", FALSE,
                                      NULL);
  const char *name = vmd_domain_get_name (domain);
  g_autofree char *title = g_strdup_printf (_("Tags of “%s”"), name);
  g_autofree char *intro = g_strdup_printf (_("Group “%s” with other virtual machines under "
                                              "tags, separated by commas."), name);
  g_auto (GStrv) tags = vmd_domain_config_get_tags (vmd_domain_get_config (domain));
  g_autofree char *text = g_strjoinv (", ", tags);

  self->domain = g_object_ref (domain);
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_label_set_text (self->intro_label, intro);
  gtk_entry_set_text (self->tags_entry, text);
  return self;
}

VmdDomain *
vmd_tags_dialog_get_domain (VmdTagsDialog *self)
{
  g_return_val_if_fail (VMD_IS_TAGS_DIALOG (self), NULL);
  return self->domain;
}

GStrv
vmd_tags_dialog_get_tags (VmdTagsDialog *self)
{
  g_return_val_if_fail (VMD_IS_TAGS_DIALOG (self), NULL);
  return vmd_tags_dialog_parse (gtk_entry_get_text (self->tags_entry));
}
