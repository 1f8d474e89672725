/* vmd-application.c: the vmdesk application
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-ui"

#include <glib/gi18n.h>

#include "vmd-application.h"
#include "vmd-manager-window.h"
#include "vmd-qemu-connection.h"

struct _VmdApplication
{
  GtkApplication  parent_instance;

  VmdConnection  *connection;  /* the embedded engine, opened at startup */
};

G_DEFINE_FINAL_TYPE (VmdApplication, vmd_application, GTK_TYPE_APPLICATION)

static void
vmd_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (vmd_manager_window_new (VMD_APPLICATION (app)));
  gtk_window_present (window);
}

static void
quit_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  const char *authors[] = { _("The vmdesk developers"), NULL };

  gtk_show_about_dialog (gtk_application_get_active_window (app),
                         "program-name", "vmdesk",
                         "logo-icon-name", VMD_APP_ID,
                         "version", VMD_VERSION,
                         "comments", _("Run and manage virtual machines."),
                         "license-type", GTK_LICENSE_GPL_2_0,
                         "authors", authors,
                         NULL);
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_activated },
  { .name = "about", .activate = about_activated },
};

static void
connection_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdApplication) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!vmd_connection_open_finish (VMD_CONNECTION (source), result, &error))
    g_warning ("The embedded engine could not be opened: %s", error->message);
}

static void
vmd_application_startup (GApplication *app)
{
  VmdApplication *self = VMD_APPLICATION (app);

  static const char *const quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (vmd_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_window_set_default_icon_name (VMD_APP_ID);

  self->connection = VMD_CONNECTION (vmd_qemu_connection_new (NULL, NULL));
  vmd_connection_open_async (self->connection, NULL, connection_opened, g_object_ref (self));
}

static void
vmd_application_dispose (GObject *object)
{
  VmdApplication *self = VMD_APPLICATION (object);

  g_clear_object (&self->connection);
  G_OBJECT_CLASS (vmd_application_parent_class)->dispose (object);
}

static void
vmd_application_class_init (VmdApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_application_dispose;
  app_class->startup = vmd_application_startup;
  app_class->activate = vmd_application_activate;
}

static void
vmd_application_init (VmdApplication *self)
{
}

/**
 * vmd_application_get_connection:
 *
 * Returns: (transfer none): the embedded engine's connection; it may still
 *   be opening (see vmd_connection_is_open())
 */
VmdConnection *
vmd_application_get_connection (VmdApplication *self)
{
  return self->connection;
}

VmdApplication *
vmd_application_new (void)
{
  return g_object_new (VMD_TYPE_APPLICATION,
                       "application-id", VMD_APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       NULL);
}
