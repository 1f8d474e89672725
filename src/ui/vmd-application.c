/* vmd-application.c: the vmdesk application
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One instance per session: a second `vmdesk --show-domain-console NAME`
 * hands its command line to the running one (G_APPLICATION_HANDLES_COMMAND_LINE).
 * Requests that name virtual machines wait until the embedded engine is
 * open; the manager window shows at once.
 */
#define G_LOG_DOMAIN "vmdesk-ui"

#include <glib/gi18n.h>

#include "vmd-application.h"
#include "vmd-manager-window.h"
#include "vmd-qemu-connection.h"
#include "vmd-install-watcher.h"
#include "vmd-windows-module.h"

#define EMBEDDED_URI "vmdesk:///session"

struct _VmdApplication
{
  GtkApplication  parent_instance;

  VmdConnection  *connection;   /* the embedded engine, opened at startup */
  gboolean        opening;      /* still opening */
  char           *open_error;   /* why it could not be opened */
  GPtrArray      *pending;      /* GApplicationCommandLine waiting for the connection */
  GHashTable     *vm_windows;   /* VmdDomain → VmdVmWindow (not owned) */
  GtkWidget      *host_window;  /* the host overview, while open */
  GtkWidget      *preferences;  /* the Preferences dialog, once opened */
};

G_DEFINE_FINAL_TYPE (VmdApplication, vmd_application, GTK_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "show-domain-console", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Show the console of a virtual machine"), N_("NAME") },
  { "show-domain-editor", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Show the details of a virtual machine"), N_("NAME") },
  { "show-domain-performance", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Show the performance of a virtual machine"), N_("NAME") },
  { "show-domain-creator", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the New Virtual Machine assistant"), NULL },
  { "show-host-summary", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the summary of the host"), NULL },
  { "connect", 'c', 0, G_OPTION_ARG_STRING, NULL,
    N_("Connect to a hypervisor (vmdesk:///session is this computer’s)"), N_("URI") },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, N_("[FILE.iso…]") },
  { NULL }
};

static const VmdWindowsModule *windows_module (VmdApplication *self);

static VmdManagerWindow *
get_manager_window (VmdApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (VMD_IS_MANAGER_WINDOW (l->data))
      return l->data;
  return NULL;
}

static VmdManagerWindow *
present_manager_window (VmdApplication *self)
{
  VmdManagerWindow *window = get_manager_window (self);

  if (window == NULL)
    {
      window = vmd_manager_window_new (self);
      if (self->open_error != NULL)
        vmd_manager_window_show_message (window, GTK_MESSAGE_ERROR,
                                         _("The virtual machines on this computer cannot be "
                                           "shown."),
                                         self->open_error);
    }
  gtk_window_present (GTK_WINDOW (window));
  /* The map request goes to the X server now, not after what the main
   * loop runs next (the engine's opening, the list): the window shows
   * that much sooner. */
  gdk_display_flush (gtk_widget_get_display (GTK_WIDGET (window)));
  return window;
}

static void
vmd_application_activate (GApplication *app)
{
  present_manager_window (VMD_APPLICATION (app));
}

static void
vm_window_destroyed (VmdApplication *self, GtkWidget *window)
{
  GHashTableIter it;
  gpointer value;

  if (self->vm_windows == NULL)
    return;
  g_hash_table_iter_init (&it, self->vm_windows);
  while (g_hash_table_iter_next (&it, NULL, &value))
    if (value == window)
      g_hash_table_iter_remove (&it);
}

/**
 * vmd_application_show_domain_page:
 * @page: (nullable): "console", "details", "performance" or "snapshots";
 *   %NULL leaves an open window on its page (a new one shows the console)
 *
 * Presents the window of @domain, opening it the first time; a domain has
 * at most one window.
 */
void
vmd_application_show_domain_page (VmdApplication *self, VmdDomain *domain, const char *page)
{
  GtkWindow *window;
  const VmdWindowsModule *module;

  g_return_if_fail (VMD_IS_APPLICATION (self));
  g_return_if_fail (VMD_IS_DOMAIN (domain));

  module = windows_module (self);
  if (module == NULL)
    return;
  window = g_hash_table_lookup (self->vm_windows, domain);
  if (window == NULL)
    {
      window = module->vm_window_new (self, domain);
      g_hash_table_insert (self->vm_windows, g_object_ref (domain), window);
      g_signal_connect_object (window, "destroy", G_CALLBACK (vm_window_destroyed), self,
                               G_CONNECT_SWAPPED);
    }
  if (page != NULL)
    module->vm_window_show_page (window, page);
  gtk_window_present (window);
}

void
vmd_application_show_domain (VmdApplication *self, VmdDomain *domain)
{
  vmd_application_show_domain_page (self, domain, NULL);
}

static void
show_domain_by_name (VmdApplication *self, const char *name, const char *page)
{
  VmdDomain *domain = NULL;

  if (self->connection != NULL && vmd_connection_is_open (self->connection))
    domain = vmd_connection_lookup_domain (self->connection, name);
  if (domain == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("There is no virtual machine called “%s” on this computer."), name);

      vmd_manager_window_show_message (present_manager_window (self), GTK_MESSAGE_ERROR,
                                       message, self->open_error);
      return;
    }
  vmd_application_show_domain_page (self, domain, page);
}

typedef struct {
  VmdApplication *self;
  char           *name;
} QuickBoot;

static void
quick_booted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  QuickBoot *data = user_data;
  const VmdWindowsModule *module = vmd_windows_module_get (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdDomain) domain = module->quick_boot_finish (VMD_CONNECTION (source), result,
                                                            &error);

  if (domain != NULL)
    vmd_application_show_domain_page (data->self, domain, "console");
  else
    {
      g_autofree char *message = g_strdup_printf (_("“%s” could not be started."), data->name);

      vmd_manager_window_show_message (present_manager_window (data->self), GTK_MESSAGE_ERROR,
                                       message, error->message);
    }
  g_application_release (G_APPLICATION (data->self));
  g_object_unref (data->self);
  g_free (data->name);
  g_free (data);
}

/* `vmdesk FILE.iso` or a file dropped on the window: Quick boot, a
 * throwaway VM with the detected defaults, shown at once. */
void
vmd_application_quick_boot (VmdApplication *self, GFile *file)
{
  const VmdWindowsModule *module = windows_module (self);
  QuickBoot *data;

  if (module == NULL || module->quick_boot_async == NULL || self->connection == NULL ||
      !vmd_connection_is_open (self->connection))
    return;
  data = g_new0 (QuickBoot, 1);
  data->self = g_object_ref (self);
  data->name = g_file_get_parse_name (file);
  /* Keep running until the VM's window is up (a remote launch exits). */
  g_application_hold (G_APPLICATION (self));
  module->quick_boot_async (self->connection, file, NULL, quick_booted, data);
}

static void
show_files (VmdApplication *self, GFile **files, int n_files)
{
  present_manager_window (self);
  for (int i = 0; i < n_files; i++)
    vmd_application_quick_boot (self, files[i]);
}

static void
vmd_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  show_files (VMD_APPLICATION (app), files, n_files);
}

/* Acts on a command line once the connection is open (or failed to). */
static void
handle_command_line (VmdApplication *self, GApplicationCommandLine *cmdline)
{
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  static const struct { const char *option; const char *page; } show_options[] = {
    { "show-domain-console", "console" },
    { "show-domain-editor", "details" },
    { "show-domain-performance", "performance" },
  };
  g_autofree char *uri = NULL;
  g_autofree const char **remaining = NULL;
  VmdManagerWindow *window = present_manager_window (self);

  if (g_variant_dict_lookup (options, "connect", "s", &uri) && g_strcmp0 (uri, EMBEDDED_URI) != 0)
    {
      g_autofree char *message =
        g_strdup_printf (_("vmdesk cannot connect to “%s” yet: connections other than this "
                           "computer’s own need libvirt, which arrives in a later version."),
                         uri);

      vmd_manager_window_show_message (window, GTK_MESSAGE_ERROR, message, NULL);
    }

  /* The console, details and performance views are pages of the VM
   * window. */
  for (guint i = 0; i < G_N_ELEMENTS (show_options); i++)
    {
      g_autofree char *name = NULL;

      if (g_variant_dict_lookup (options, show_options[i].option, "s", &name))
        show_domain_by_name (self, name, show_options[i].page);
    }
  if (g_variant_dict_contains (options, "show-host-summary"))
    vmd_application_show_host (self);
  if (g_variant_dict_contains (options, "show-domain-creator"))
    vmd_application_show_creator (self);

  if (g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &remaining) &&
      remaining != NULL && remaining[0] != NULL)
    {
      g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; remaining[i] != NULL; i++)
        g_ptr_array_add (files, g_application_command_line_create_file_for_arg (cmdline,
                                                                                remaining[i]));
      show_files (self, (GFile **) files->pdata, files->len);
    }
}

static int
vmd_application_command_line (GApplication *app, GApplicationCommandLine *cmdline)
{
  VmdApplication *self = VMD_APPLICATION (app);

  present_manager_window (self);
  if (self->opening)
    g_ptr_array_add (self->pending, g_object_ref (cmdline));
  else
    handle_command_line (self, cmdline);
  return 0;
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

/* The window module, or NULL with the reason shown in the manager. */
static const VmdWindowsModule *
windows_module (VmdApplication *self)
{
  g_autoptr (GError) error = NULL;
  const VmdWindowsModule *module = vmd_windows_module_get (&error);

  if (module == NULL)
    vmd_manager_window_show_message (present_manager_window (self), GTK_MESSAGE_ERROR,
                                     _("The window cannot be opened."), error->message);
  return module;
}

static void
domain_created_cb (VmdApplication *self, VmdDomain *domain)
{
  vmd_application_show_domain (self, domain);
}

/**
 * vmd_application_show_creator:
 *
 * Opens the New Virtual Machine assistant.
 */
void
vmd_application_show_creator (VmdApplication *self)
{
  const VmdWindowsModule *module = windows_module (self);
  VmdManagerWindow *parent = present_manager_window (self);
  GtkWidget *assistant;

  if (module == NULL || self->connection == NULL || !vmd_connection_is_open (self->connection))
    return;
  if (module->creator_new == NULL)
    {
      vmd_manager_window_show_message (parent, GTK_MESSAGE_ERROR,
                                       _("This build of vmdesk has no New Virtual Machine "
                                         "assistant."), NULL);
      return;
    }
  assistant = module->creator_new (GTK_WINDOW (parent), self->connection);
  g_signal_connect_object (assistant, "domain-created", G_CALLBACK (domain_created_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (assistant));
}

/**
 * vmd_application_show_host:
 *
 * Presents the connection's host overview.
 */
void
vmd_application_show_host (VmdApplication *self)
{
  const VmdWindowsModule *module = windows_module (self);

  if (module == NULL || self->connection == NULL || !vmd_connection_is_open (self->connection))
    return;
  if (self->host_window == NULL && module->host_window_new != NULL)
    {
      self->host_window = module->host_window_new (GTK_APPLICATION (self), self->connection);
      g_object_add_weak_pointer (G_OBJECT (self->host_window), (gpointer *) &self->host_window);
    }
  if (self->host_window != NULL)
    gtk_window_present (GTK_WINDOW (self->host_window));
}

static void
new_vm_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  vmd_application_show_creator (VMD_APPLICATION (user_data));
}

static void
host_details_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  vmd_application_show_host (VMD_APPLICATION (user_data));
}

/* One Preferences window, hidden rather than destroyed when closed
 * (destroying a GtkNotebook under the accessibility bus's eyes makes GTK
 * complain about tab labels of pages already gone). */
static void
preferences_response_cb (GtkDialog *dialog, int response)
{
  g_signal_stop_emission_by_name (dialog, "response");
  gtk_widget_hide (GTK_WIDGET (dialog));
}

static void
preferences_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  VmdApplication *self = VMD_APPLICATION (user_data);
  const VmdWindowsModule *module = windows_module (self);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (module == NULL || module->preferences_new == NULL)
    return;
  if (self->preferences == NULL)
    {
      self->preferences = module->preferences_new (parent);
      g_object_add_weak_pointer (G_OBJECT (self->preferences), (gpointer *) &self->preferences);
      g_signal_connect (self->preferences, "response", G_CALLBACK (preferences_response_cb), NULL);
    }
  gtk_window_present (GTK_WINDOW (self->preferences));
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_activated },
  { .name = "about", .activate = about_activated },
  { .name = "new-vm", .activate = new_vm_activated },
  { .name = "host-details", .activate = host_details_activated },
  { .name = "preferences", .activate = preferences_activated },
};

static void
connection_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdApplication) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) pending = g_steal_pointer (&self->pending);
  VmdManagerWindow *window;

  self->opening = FALSE;
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  if (!vmd_connection_open_finish (VMD_CONNECTION (source), result, &error))
    {
      g_warning ("The embedded engine could not be opened: %s", error->message);
      self->open_error = g_strdup (error->message);
    }

  /* After an installation's first shutdown, eject the media and restore
   * the boot order; discard Quick boot VMs: whoever started them. */
  if (self->open_error == NULL)
    vmd_install_watcher_ensure (self->connection);

  window = get_manager_window (self);
  if (window != NULL && self->open_error == NULL)
    vmd_manager_window_connection_ready (window);
  else if (window != NULL)
    vmd_manager_window_show_message (window, GTK_MESSAGE_ERROR,
                                     _("The virtual machines on this computer cannot be shown."),
                                     self->open_error);

  for (guint i = 0; i < pending->len; i++)
    handle_command_line (self, g_ptr_array_index (pending, i));
  g_application_release (G_APPLICATION (self));
}

/* The windows' icon is set once the first window has shown: loading it
 * (an SVG, so librsvg too) would otherwise delay that window's map. */
static gboolean
set_default_icon_cb (gpointer user_data)
{
  g_autoptr (GList) windows = gtk_window_list_toplevels ();

  gtk_window_set_default_icon_name (VMD_APP_ID);
  /* GTK gives the new default only to windows that had one before. */
  for (GList *l = windows; l != NULL; l = l->next)
    if (gtk_window_get_window_type (l->data) == GTK_WINDOW_TOPLEVEL &&
        gtk_window_get_icon (l->data) == NULL && gtk_window_get_icon_name (l->data) == NULL)
      gtk_window_set_icon_name (l->data, VMD_APP_ID);
  return G_SOURCE_REMOVE;
}

static void
vmd_application_startup (GApplication *app)
{
  VmdApplication *self = VMD_APPLICATION (app);

  static const char *const quit_accels[] = { "<Control>q", NULL };
  static const char *const open_accels[] = { "<Control>o", NULL };
  static const char *const search_accels[] = { "<Control>f", NULL };
  static const char *const new_accels[] = { "<Control>n", NULL };

  G_APPLICATION_CLASS (vmd_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.open", open_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.search", search_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.new-vm", new_accels);
  g_idle_add (set_default_icon_cb, NULL);

  /* Held until open, so that a command line waiting for it is answered. */
  g_application_hold (app);
  self->opening = TRUE;
  self->connection = VMD_CONNECTION (vmd_qemu_connection_new (NULL, NULL));
  vmd_connection_open_async (self->connection, NULL, connection_opened, g_object_ref (self));
}

static void
vmd_application_dispose (GObject *object)
{
  VmdApplication *self = VMD_APPLICATION (object);

  g_clear_pointer (&self->vm_windows, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_object (&self->connection);
  G_OBJECT_CLASS (vmd_application_parent_class)->dispose (object);
}

static void
vmd_application_finalize (GObject *object)
{
  VmdApplication *self = VMD_APPLICATION (object);

  g_free (self->open_error);
  G_OBJECT_CLASS (vmd_application_parent_class)->finalize (object);
}

static void
vmd_application_class_init (VmdApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_application_dispose;
  G_OBJECT_CLASS (klass)->finalize = vmd_application_finalize;
  app_class->startup = vmd_application_startup;
  app_class->activate = vmd_application_activate;
  app_class->open = vmd_application_open;
  app_class->command_line = vmd_application_command_line;
}

static void
vmd_application_init (VmdApplication *self)
{
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  self->vm_windows = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Run and manage virtual machines."));
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
                       "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_HANDLES_COMMAND_LINE,
                       NULL);
}
