/* vmd-vm-window-actions.c: the VM window's actions (win.*)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Lifecycle (run, pause, reboot, shutdown, reset, destroy, save), keys
 * sent through the engine (so they work with any console), fullscreen,
 * scaling, the console choice and screenshots; for SPICE, USB
 * redirection and the clipboard per direction; the guest's resolution
 * following the window. Each is enabled by the domain's state and the
 * console; failures show in the window's error bar. Force Off and Force
 * Reset ask first unless confirm-force-off is off.
 */
#define G_LOG_DOMAIN "vmdesk-ui"

#include <glib/gi18n.h>

#include "vmd-console-spice.h"
#include "vmd-console-vnc.h"
#include "vmd-vm-window-private.h"

typedef enum {
  OP_START,
  OP_SUSPEND,
  OP_RESUME,
  OP_REBOOT,
  OP_SHUTDOWN,
  OP_RESET,
  OP_DESTROY,
  OP_SAVE,
  OP_SEND_KEYS,
} Op;

static void
set_enabled (VmdVmWindow *self, const char *name, gboolean enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

void
_vmd_vm_window_update_actions (VmdVmWindow *self)
{
  VmdDomainState state = self->domain ? vmd_domain_get_state (self->domain)
                                      : VMD_DOMAIN_STATE_SHUTOFF;
  gboolean off = self->domain != NULL && (state == VMD_DOMAIN_STATE_SHUTOFF ||
                                          state == VMD_DOMAIN_STATE_CRASHED);
  gboolean running = state == VMD_DOMAIN_STATE_RUNNING;
  gboolean paused = state == VMD_DOMAIN_STATE_PAUSED;
  gboolean active = running || paused || state == VMD_DOMAIN_STATE_SHUTTING_DOWN;
  GAction *pause = g_action_map_lookup_action (G_ACTION_MAP (self), "pause");
  GAction *fullscreen = g_action_map_lookup_action (G_ACTION_MAP (self), "fullscreen");
  GAction *console = g_action_map_lookup_action (G_ACTION_MAP (self), "console");
  const char *current = self->current ? g_object_get_data (G_OBJECT (self->current),
                                                           "vmd-console-id") : "";

  set_enabled (self, "run", off);
  set_enabled (self, "pause", running || paused);
  g_simple_action_set_state (G_SIMPLE_ACTION (pause), g_variant_new_boolean (paused));
  set_enabled (self, "reboot", running);
  set_enabled (self, "shutdown", running);
  set_enabled (self, "reset", active);
  set_enabled (self, "destroy", active);
  set_enabled (self, "save", running || paused);
  set_enabled (self, "send-key", running);
  set_enabled (self, "screenshot", self->current != NULL &&
                                   vmd_console_is_graphical (self->current) &&
                                   vmd_console_is_connected (self->current));
  set_enabled (self, "console", self->consoles != NULL && self->consoles->len > 0);
  {
    VmdConsole *graphics = vmd_vm_window_get_console (self, "graphics");
    gboolean spice = graphics != NULL && VMD_IS_CONSOLE_SPICE (graphics);
    gboolean connected = graphics != NULL && vmd_console_is_connected (graphics);
    gboolean usb = spice && connected &&
                   vmd_console_spice_has_usbredir (VMD_CONSOLE_SPICE (graphics));

    set_enabled (self, "usb-devices", usb);
    gtk_widget_set_tooltip_text (self->usb_button,
                                 usb ? _("Redirect USB devices of this computer to the virtual machine")
                                 : !spice ? _("USB redirection needs a SPICE display.")
                                 : !connected ? _("USB redirection is available while the SPICE display is connected.")
                                 : _("The virtual machine has no USB redirection channel (<redirdev type='spicevmc'>)."));
    set_enabled (self, "clipboard-to-guest", spice);
    set_enabled (self, "clipboard-to-host", spice);
    set_enabled (self, "resize-guest", graphics != NULL);
  }
  g_simple_action_set_state (G_SIMPLE_ACTION (console), g_variant_new_string (current));
  g_simple_action_set_state (G_SIMPLE_ACTION (fullscreen),
                             g_variant_new_boolean (self->fullscreen));
}

/* ----------------------------------------------------------- lifecycle */

typedef struct {
  VmdVmWindow *self;
  Op           op;
  char        *path;
} OpData;

static void
op_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  OpData *data = user_data;
  VmdDomain *domain = VMD_DOMAIN (source);
  g_autoptr (GError) error = NULL;
  const char *name = vmd_domain_get_name (domain);
  g_autofree char *message = NULL;
  gboolean ok = FALSE;

  switch (data->op)
    {
    case OP_START: ok = vmd_domain_start_finish (domain, result, &error); break;
    case OP_SUSPEND: ok = vmd_domain_suspend_finish (domain, result, &error); break;
    case OP_RESUME: ok = vmd_domain_resume_finish (domain, result, &error); break;
    case OP_REBOOT: ok = vmd_domain_reboot_finish (domain, result, &error); break;
    case OP_SHUTDOWN: ok = vmd_domain_shutdown_finish (domain, result, &error); break;
    case OP_RESET: ok = vmd_domain_reset_finish (domain, result, &error); break;
    case OP_DESTROY: ok = vmd_domain_destroy_finish (domain, result, &error); break;
    case OP_SAVE: ok = vmd_domain_save_finish (domain, result, &error); break;
    case OP_SEND_KEYS: ok = vmd_domain_send_keys_finish (domain, result, &error); break;
    }

  if (!ok && data->self->domain != NULL)
    {
      switch (data->op)
        {
        case OP_START:
          message = g_strdup_printf (_("“%s” could not be started: %s"), name, error->message);
          break;
        case OP_SUSPEND:
          message = g_strdup_printf (_("“%s” could not be paused: %s"), name, error->message);
          break;
        case OP_RESUME:
          message = g_strdup_printf (_("“%s” could not be resumed: %s"), name, error->message);
          break;
        case OP_REBOOT:
          message = g_strdup_printf (_("“%s” could not be rebooted: %s"), name, error->message);
          break;
        case OP_SHUTDOWN:
          message = g_strdup_printf (_("“%s” could not be shut down: %s"), name, error->message);
          break;
        case OP_RESET:
          message = g_strdup_printf (_("“%s” could not be reset: %s"), name, error->message);
          break;
        case OP_DESTROY:
          message = g_strdup_printf (_("“%s” could not be forced off: %s"), name, error->message);
          break;
        case OP_SAVE:
          message = g_strdup_printf (_("“%s” could not be saved to %s: %s"), name, data->path,
                                     error->message);
          break;
        case OP_SEND_KEYS:
          message = g_strdup_printf (_("The keys could not be sent to “%s”: %s"), name,
                                     error->message);
          break;
        }
      _vmd_vm_window_show_error (data->self, message);
    }
  if (data->self->domain != NULL)
    _vmd_vm_window_update_actions (data->self);
  g_object_unref (data->self);
  g_free (data->path);
  g_free (data);
}

static void
run_op (VmdVmWindow *self, Op op, gconstpointer arg)
{
  OpData *data = g_new0 (OpData, 1);
  VmdDomain *domain = self->domain;

  data->self = g_object_ref (self);
  data->op = op;
  _vmd_vm_window_show_error (self, NULL);
  switch (op)
    {
    case OP_START:
      /* The window shows the console: attach it before the CPUs run. */
      vmd_domain_start_async (domain, VMD_START_ATTACH_DISPLAY, NULL, op_done, data);
      break;
    case OP_SUSPEND: vmd_domain_suspend_async (domain, NULL, op_done, data); break;
    case OP_RESUME: vmd_domain_resume_async (domain, NULL, op_done, data); break;
    case OP_REBOOT: vmd_domain_reboot_async (domain, NULL, op_done, data); break;
    case OP_SHUTDOWN: vmd_domain_shutdown_async (domain, NULL, op_done, data); break;
    case OP_RESET: vmd_domain_reset_async (domain, NULL, op_done, data); break;
    case OP_DESTROY: vmd_domain_destroy_async (domain, NULL, op_done, data); break;
    case OP_SAVE:
      data->path = g_strdup (arg);
      vmd_domain_save_async (domain, data->path, NULL, op_done, data);
      break;
    case OP_SEND_KEYS:
      vmd_domain_send_keys_async (domain, arg, NULL, op_done, data);
      break;
    }
}

static void
run_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  run_op (user_data, OP_START, NULL);
}

static void
pause_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  run_op (user_data, g_variant_get_boolean (value) ? OP_SUSPEND : OP_RESUME, NULL);
}

static void
reboot_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  run_op (user_data, OP_REBOOT, NULL);
}

static void
shutdown_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  run_op (user_data, OP_SHUTDOWN, NULL);
}

static void
force_response (GtkDialog *dialog, int response, VmdVmWindow *self)
{
  Op op = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "vmd-op"));

  gtk_widget_destroy (GTK_WIDGET (dialog));
  if (response == GTK_RESPONSE_ACCEPT && self->domain != NULL)
    run_op (self, op, NULL);
}

/* Force Off and Force Reset lose what the guest has not written. */
static void
confirm_force (VmdVmWindow *self, Op op)
{
  const char *name = vmd_domain_get_name (self->domain);
  g_autofree char *primary = NULL;
  GtkWidget *dialog, *button;

  if (self->settings != NULL && !g_settings_get_boolean (self->settings, "confirm-force-off"))
    {
      run_op (self, op, NULL);
      return;
    }
  primary = op == OP_DESTROY ? g_strdup_printf (_("Force “%s” off?"), name)
                             : g_strdup_printf (_("Force “%s” to reset?"), name);
  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_WARNING, GTK_BUTTONS_NONE, "%s", primary);
  gtk_message_dialog_format_secondary_text (
    GTK_MESSAGE_DIALOG (dialog), "%s",
    op == OP_DESTROY
      ? _("This is like pulling the power cord: whatever the guest has not saved is lost.")
      : _("This is like pressing the reset button: whatever the guest has not saved is lost."));
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  button = gtk_dialog_add_button (GTK_DIALOG (dialog),
                                  op == OP_DESTROY ? _("_Force Off") : _("Force Rese_t"),
                                  GTK_RESPONSE_ACCEPT);
  gtk_style_context_add_class (gtk_widget_get_style_context (button), "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  gtk_window_set_title (GTK_WINDOW (dialog), primary);
  g_object_set_data (G_OBJECT (dialog), "vmd-op", GINT_TO_POINTER (op));
  g_signal_connect_object (dialog, "response", G_CALLBACK (force_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
reset_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  confirm_force (user_data, OP_RESET);
}

static void
destroy_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  confirm_force (user_data, OP_DESTROY);
}

/* "ctrl+alt+delete" → { "ctrl", "alt", "delete" }, pressed together */
static void
send_key_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  g_auto (GStrv) keys = g_strsplit (g_variant_get_string (parameter, NULL), "+", -1);

  run_op (user_data, OP_SEND_KEYS, keys);
}

/* ----------------------------------------------------- save, screenshot */

static void
save_response (GtkNativeDialog *native, int response, VmdVmWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->domain != NULL)
    {
      g_autofree char *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (native));
      if (path != NULL)
        run_op (self, OP_SAVE, path);
    }
  g_clear_object (&self->native);
}

static void
save_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  VmdVmWindow *self = user_data;
  g_autofree char *title = g_strdup_printf (_("Save the State of “%s”"),
                                            vmd_domain_get_name (self->domain));
  g_autofree char *suggested = g_strdup_printf ("%s.vmsave", vmd_domain_get_name (self->domain));

  g_clear_object (&self->native);
  self->native = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                              GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                              _("_Cancel"));
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (self->native), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->native), suggested);
  g_signal_connect (self->native, "response", G_CALLBACK (save_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->native));
}

static void
write_png_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GdkPixbuf *pixbuf = GDK_PIXBUF (source);
  GError *error = NULL;

  if (gdk_pixbuf_save (pixbuf, task_data, "png", &error, NULL))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
png_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdVmWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) && self->domain != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The screenshot could not be saved: %s"),
                                                  error->message);
      _vmd_vm_window_show_error (self, message);
    }
}

static void
screenshot_response (GtkNativeDialog *native, int response, VmdVmWindow *self)
{
  GdkPixbuf *pixbuf = g_object_get_data (G_OBJECT (native), "pixbuf");

  if (response == GTK_RESPONSE_ACCEPT && pixbuf != NULL)
    {
      g_autoptr (GTask) task = g_task_new (pixbuf, NULL, png_written, g_object_ref (self));
      g_task_set_task_data (task, gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (native)),
                            g_free);
      g_task_run_in_thread (task, write_png_thread);
    }
  g_clear_object (&self->native);
}

/* The picture is taken now; the chooser only asks where it goes. */
static void
screenshot_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  VmdVmWindow *self = user_data;
  g_autoptr (GdkPixbuf) pixbuf = self->current ? vmd_console_get_pixbuf (self->current) : NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d %H-%M-%S");
  g_autofree char *suggested = g_strdup_printf ("%s %s.png", vmd_domain_get_name (self->domain),
                                                stamp);
  GtkFileFilter *filter;

  if (pixbuf == NULL)
    {
      _vmd_vm_window_show_error (self, _("The console shows nothing to take a screenshot of."));
      return;
    }
  g_clear_object (&self->native);
  self->native = gtk_file_chooser_native_new (_("Save Screenshot"), GTK_WINDOW (self),
                                              GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                              _("_Cancel"));
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("PNG images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->native), filter);
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (self->native), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->native), suggested);
  g_object_set_data_full (G_OBJECT (self->native), "pixbuf", g_steal_pointer (&pixbuf),
                          g_object_unref);
  g_signal_connect (self->native, "response", G_CALLBACK (screenshot_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->native));
}

/* ------------------------------------------------------- view settings */

static void
fullscreen_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  VmdVmWindow *self = user_data;

  if (g_variant_get_boolean (value))
    gtk_window_fullscreen (GTK_WINDOW (self));
  else
    gtk_window_unfullscreen (GTK_WINDOW (self));
}

static void
scaling_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  VmdVmWindow *self = user_data;
  const char *mode = g_variant_get_string (value, NULL);

  if (g_str_equal (mode, "always"))
    self->scaling = VMD_CONSOLE_SCALING_ALWAYS;
  else if (g_str_equal (mode, "fullscreen"))
    self->scaling = VMD_CONSOLE_SCALING_FULLSCREEN;
  else if (g_str_equal (mode, "never"))
    self->scaling = VMD_CONSOLE_SCALING_NEVER;
  else
    return;
  g_simple_action_set_state (action, value);
  _vmd_vm_window_update_scaling (self);
}

static void
console_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  _vmd_vm_window_select_console (user_data, g_variant_get_string (value, NULL));
}

/* ------------------------------------------------- SPICE, guest size */

static void
usb_dialog_response (GtkDialog *dialog, int response, VmdVmWindow *self)
{
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
usb_dialog_destroyed (GtkWidget *dialog, VmdVmWindow *self)
{
  self->usb_dialog = NULL;
}

static void
usb_devices_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  VmdVmWindow *self = user_data;
  VmdConsole *graphics = vmd_vm_window_get_console (self, "graphics");
  GtkWidget *widget, *area;

  if (self->usb_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->usb_dialog));
      return;
    }
  if (graphics == NULL || !VMD_IS_CONSOLE_SPICE (graphics))
    return;
  widget = vmd_console_spice_new_usb_widget (VMD_CONSOLE_SPICE (graphics));
  if (widget == NULL)
    return;
  self->usb_dialog = g_object_new (GTK_TYPE_DIALOG, "transient-for", self,
                                   "destroy-with-parent", TRUE, "use-header-bar", TRUE,
                                   "title", _("USB Devices"), "resizable", FALSE, NULL);
  atk_object_set_name (gtk_widget_get_accessible (widget), _("USB devices to redirect"));
  g_object_set (widget, "margin", 12, NULL);
  gtk_widget_show (widget);
  area = gtk_dialog_get_content_area (GTK_DIALOG (self->usb_dialog));
  gtk_container_add (GTK_CONTAINER (area), widget);
  g_signal_connect_object (self->usb_dialog, "response", G_CALLBACK (usb_dialog_response),
                           self, 0);
  g_signal_connect_object (self->usb_dialog, "destroy", G_CALLBACK (usb_dialog_destroyed),
                           self, 0);
  gtk_window_present (GTK_WINDOW (self->usb_dialog));
}

/* The window's choices, pushed to the consoles (again after each
 * connection: a new SPICE session starts from spice-gtk's defaults). */
/* The Preferences' grab keys ("Control_L+Alt_L") as keysyms; at most 4. */
static guint
grab_keys (VmdVmWindow *self, guint keysyms[4])
{
  g_autofree char *spec = self->settings != NULL
                            ? g_settings_get_string (self->settings, "console-grab-keys")
                            : g_strdup ("Control_L+Alt_L");
  g_auto (GStrv) names = g_strsplit (spec, "+", 4);
  guint n = 0;

  for (guint i = 0; names[i] != NULL && n < 4; i++)
    {
      guint keyval = gdk_keyval_from_name (names[i]);

      if (keyval != GDK_KEY_VoidSymbol && keyval != 0)
        keysyms[n++] = keyval;
    }
  return n;
}

/**
 * _vmd_vm_window_grab_keys_label:
 *
 * Returns: the release keys as the status line names them
 */
const char *
_vmd_vm_window_grab_keys_label (VmdVmWindow *self)
{
  g_autofree char *spec = self->settings != NULL
                            ? g_settings_get_string (self->settings, "console-grab-keys")
                            : NULL;

  if (g_strcmp0 (spec, "Control_L+Alt_L+Shift_L") == 0)
    return C_("grab keys", "Ctrl+Alt+Shift");
  if (g_strcmp0 (spec, "Control_R") == 0)
    return C_("grab keys", "Right Ctrl");
  return C_("grab keys", "Ctrl+Alt");
}

void
_vmd_vm_window_apply_console_options (VmdVmWindow *self)
{
  guint keysyms[4];
  guint n_keysyms = grab_keys (self, keysyms);

  for (guint i = 0; self->consoles != NULL && i < self->consoles->len; i++)
    {
      VmdConsole *console = g_ptr_array_index (self->consoles, i);

      if (!vmd_console_is_graphical (console))
        continue;
      if (VMD_IS_CONSOLE_VNC (console))
        vmd_console_vnc_set_grab_keys (VMD_CONSOLE_VNC (console), keysyms, n_keysyms);
      else if (VMD_IS_CONSOLE_SPICE (console))
        vmd_console_spice_set_grab_keys (VMD_CONSOLE_SPICE (console), keysyms, n_keysyms);
      vmd_console_set_resize_guest (console, self->resize_guest);
      if (VMD_IS_CONSOLE_SPICE (console))
        vmd_console_spice_set_clipboard (VMD_CONSOLE_SPICE (console), self->clipboard_to_guest,
                                         self->clipboard_to_host);
    }
}

static void
toggle_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  VmdVmWindow *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));
  gboolean on = g_variant_get_boolean (value);

  if (g_str_equal (name, "clipboard-to-guest"))
    self->clipboard_to_guest = on;
  else if (g_str_equal (name, "clipboard-to-host"))
    self->clipboard_to_host = on;
  else
    self->resize_guest = on;
  g_simple_action_set_state (action, value);
  _vmd_vm_window_apply_console_options (self);
}

static const GActionEntry win_actions[] = {
  { .name = "run", .activate = run_activated },
  { .name = "pause", .state = "false", .change_state = pause_changed },
  { .name = "reboot", .activate = reboot_activated },
  { .name = "shutdown", .activate = shutdown_activated },
  { .name = "reset", .activate = reset_activated },
  { .name = "destroy", .activate = destroy_activated },
  { .name = "save", .activate = save_activated },
  { .name = "send-key", .parameter_type = "s", .activate = send_key_activated },
  { .name = "screenshot", .activate = screenshot_activated },
  { .name = "fullscreen", .state = "false", .change_state = fullscreen_changed },
  { .name = "scaling", .parameter_type = "s", .state = "'always'", .change_state = scaling_changed },
  { .name = "console", .parameter_type = "s", .state = "''", .change_state = console_changed },
  { .name = "usb-devices", .activate = usb_devices_activated },
  { .name = "clipboard-to-guest", .state = "true", .change_state = toggle_changed },
  { .name = "clipboard-to-host", .state = "true", .change_state = toggle_changed },
  { .name = "resize-guest", .state = "false", .change_state = toggle_changed },
};

void
_vmd_vm_window_init_actions (VmdVmWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions),
                                   self);
  if (self->settings != NULL)
    {
      self->clipboard_to_guest = g_settings_get_boolean (self->settings, "clipboard-host-to-guest");
      self->clipboard_to_host = g_settings_get_boolean (self->settings, "clipboard-guest-to-host");
      self->resize_guest = g_settings_get_boolean (self->settings, "console-resize-guest");
      /* Changed in Preferences: the open consoles take it at once. */
      g_signal_connect_object (self->settings, "changed::console-grab-keys",
                               G_CALLBACK (_vmd_vm_window_apply_console_options), self,
                               G_CONNECT_SWAPPED);
    }
  else
    self->clipboard_to_guest = self->clipboard_to_host = TRUE;
  g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                          "clipboard-to-guest")),
                             g_variant_new_boolean (self->clipboard_to_guest));
  g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                          "clipboard-to-host")),
                             g_variant_new_boolean (self->clipboard_to_host));
  g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                          "resize-guest")),
                             g_variant_new_boolean (self->resize_guest));
  {
    static const char *const scalings[] = { "always", "fullscreen", "never" };

    g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                            "scaling")),
                               g_variant_new_string (scalings[CLAMP (self->scaling, 0, 2)]));
  }

  /* Ctrl+Alt+F1 … F12 switch virtual terminals in most guests. */
  for (guint i = 1; i <= 12; i++)
    {
      g_autofree char *label = g_strdup_printf (_("Ctrl+Alt+F%u"), i);
      g_autofree char *target = g_strdup_printf ("ctrl+alt+f%u", i);
      g_autoptr (GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target (item, "win.send-key", "s", target);
      g_menu_append_item (self->function_keys_section, item);
    }
  _vmd_vm_window_update_actions (self);
}
