/* vmd-creator-customize.c: "Customize configuration before install": the
 * Details view on the VM not defined yet, with a Begin Installation button
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmd-creator"

#include <glib/gi18n.h>

#include "vmd-creator-private.h"
#include "vmd-details-view.h"

typedef struct {
  VmdCreatorAssistant *self;
  GtkWidget           *window;
  GtkWidget           *view;
  GtkWidget           *notice;
  gboolean             began;
} Customize;

static void
customize_free (Customize *c)
{
  g_object_unref (c->self);
  g_free (c);
}

static void
config_applied_cb (GtkWidget *view, VmdDomainConfig *config, Customize *c)
{
  g_set_object (&c->self->custom_config, config);
}

static void
begin_cb (GtkButton *button, Customize *c)
{
  VmdDetailsView *view = VMD_DETAILS_VIEW (c->view);

  if (vmd_details_view_has_changes (view))
    {
      gtk_label_set_text (GTK_LABEL (c->notice),
                          _("Apply or revert your changes before the installation begins."));
      gtk_widget_show (c->notice);
      return;
    }
  if (c->self->custom_config == NULL)
    c->self->custom_config = g_object_ref (vmd_details_view_get_config (view));
  {
    /* Destroying the window frees @c. */
    g_autoptr (VmdCreatorAssistant) self = g_object_ref (c->self);

    c->began = TRUE;
    gtk_widget_destroy (c->window);
    vmd_creator_begin (self);
  }
}

static void
window_destroyed_cb (GtkWidget *window, Customize *c)
{
  g_object_set_data (G_OBJECT (c->self), "customize-window", NULL);
  if (!c->began)
    vmd_creator_customize_cancelled (c->self);
  customize_free (c);
}

/* Shows the Details view on @config; "Begin Installation" goes on with
 * Finish using what the view holds; closing the window goes back. */
void
vmd_creator_customize (VmdCreatorAssistant *self, VmdDomainConfig *config)
{
  Customize *c = g_new0 (Customize, 1);
  g_autofree char *name = vmd_domain_config_get_name (config);
  g_autofree char *title = g_strdup_printf (_("Customize “%s” Before Installing"), name);
  GtkWidget *box, *bar, *begin, *cancel;

  c->self = g_object_ref (self);
  g_clear_object (&self->custom_config);
  c->window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  gtk_window_set_title (GTK_WINDOW (c->window), title);
  gtk_window_set_transient_for (GTK_WINDOW (c->window), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (c->window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (c->window), 900, 600);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  c->view = vmd_details_view_new_for_config (self->connection, config);
  gtk_widget_set_vexpand (c->view, TRUE);
  g_signal_connect (c->view, "config-applied", G_CALLBACK (config_applied_cb), c);
  gtk_container_add (GTK_CONTAINER (box), c->view);
  c->notice = gtk_label_new (NULL);
  gtk_widget_set_no_show_all (c->notice, TRUE);
  gtk_container_add (GTK_CONTAINER (box), c->notice);
  bar = gtk_action_bar_new ();
  begin = gtk_button_new_with_mnemonic (_("_Begin Installation"));
  gtk_style_context_add_class (gtk_widget_get_style_context (begin), "suggested-action");
  cancel = gtk_button_new_with_mnemonic (_("_Cancel Installation"));
  gtk_action_bar_pack_end (GTK_ACTION_BAR (bar), begin);
  gtk_action_bar_pack_start (GTK_ACTION_BAR (bar), cancel);
  gtk_container_add (GTK_CONTAINER (box), bar);
  gtk_container_add (GTK_CONTAINER (c->window), box);
  g_signal_connect (begin, "clicked", G_CALLBACK (begin_cb), c);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_widget_destroy), c->window);
  g_signal_connect (c->window, "destroy", G_CALLBACK (window_destroyed_cb), c);
  g_object_set_data (G_OBJECT (self), "customize-window", c->window);
  gtk_widget_show_all (c->window);
}
