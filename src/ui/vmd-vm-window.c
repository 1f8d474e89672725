/* vmd-vm-window.c: the window of one virtual machine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Three pages: the console (graphical or serial, chosen in the View menu;
 * "off" with a Run button while the VM does not run), details and
 * snapshots. The consoles follow the domain's state: they connect when it
 * runs, close when it stops, and reconnect when it runs again. Lifecycle
 * and key actions are in vmd-vm-window-actions.c.
 */
#define G_LOG_DOMAIN "vmdesk-ui"

#include <glib/gi18n.h>

#include "vmd-console-serial.h"
#include "vmd-console-spice.h"
#include "vmd-console-vnc.h"
#include "vmd-details-view.h"
#include "vmd-quick-boot.h"
#include "vmd-model.h"
#include "vmd-vm-window-private.h"

#define RECONNECT_DELAY_MS 1000
#define RECONNECT_TRIES    5

G_DEFINE_FINAL_TYPE (VmdVmWindow, vmd_vm_window, GTK_TYPE_APPLICATION_WINDOW)

/* ------------------------------------------------------------ the page */

static const char *
console_id (VmdConsole *console)
{
  return g_object_get_data (G_OBJECT (console), "vmd-console-id");
}

VmdConsole *
vmd_vm_window_get_console (VmdVmWindow *self, const char *id)
{
  for (guint i = 0; i < self->consoles->len; i++)
    {
      VmdConsole *console = g_ptr_array_index (self->consoles, i);
      if (id == NULL ? vmd_console_is_graphical (console) : g_strcmp0 (console_id (console), id) == 0)
        return console;
    }
  return NULL;
}

static gboolean
domain_active (VmdVmWindow *self)
{
  VmdDomainState state = vmd_domain_get_state (self->domain);

  return state == VMD_DOMAIN_STATE_RUNNING || state == VMD_DOMAIN_STATE_PAUSED ||
         state == VMD_DOMAIN_STATE_SHUTTING_DOWN;
}

void
_vmd_vm_window_update_scaling (VmdVmWindow *self)
{
  gboolean scaled = self->scaling == VMD_CONSOLE_SCALING_ALWAYS ||
                    (self->scaling == VMD_CONSOLE_SCALING_FULLSCREEN && self->fullscreen);

  for (guint i = 0; i < self->consoles->len; i++)
    vmd_console_set_scaled (g_ptr_array_index (self->consoles, i), scaled);
}

/* How long the grab hint shows over the console before it fades, so it
 * does not hide the guest's own picture for long. */
#define STATUS_HINT_MS 4000

static gboolean
status_hide_cb (gpointer user_data)
{
  VmdVmWindow *self = user_data;

  self->status_hide_id = 0;
  gtk_revealer_set_reveal_child (self->status_revealer, FALSE);
  return G_SOURCE_REMOVE;
}

/* The grab hint shows over the console for a moment when a grab starts;
 * vmd_vm_window_get_status() tells it for as long as the grab lasts. */
static void
update_status (VmdVmWindow *self)
{
  VmdConsole *current = self->current;
  gboolean grabbed = current != NULL && vmd_console_get_grabbed (current) &&
                     g_str_equal (gtk_stack_get_visible_child_name (self->console_stack),
                                  console_id (current));

  if (grabbed)
    {
      g_autofree char *text = NULL;

      /* Translators: %s is the keys, e.g. "Ctrl+Alt" */
      text = g_strdup_printf (_("Press %s to release the keyboard and mouse."),
                              _vmd_vm_window_grab_keys_label (self));
      if (g_strcmp0 (gtk_label_get_text (self->status_label), text) == 0)
        return;
      gtk_label_set_text (self->status_label, text);
      gtk_revealer_set_reveal_child (self->status_revealer, TRUE);
      g_clear_handle_id (&self->status_hide_id, g_source_remove);
      self->status_hide_id = g_timeout_add (STATUS_HINT_MS, status_hide_cb, self);
    }
  else if (*gtk_label_get_text (self->status_label) != '\0')
    {
      /* Only on a change: setting the revealer, even to what it is,
       * animates it, a redraw of its part of the console at every frame. */
      g_clear_handle_id (&self->status_hide_id, g_source_remove);
      gtk_label_set_text (self->status_label, "");
      gtk_revealer_set_reveal_child (self->status_revealer, FALSE);
    }
}

/* Shows the off page, the connecting page or the chosen console. */
void
_vmd_vm_window_update_console_page (VmdVmWindow *self)
{
  const char *name = vmd_domain_get_name (self->domain);
  VmdConsole *current = self->current;

  if (!domain_active (self))
    {
      g_autofree char *text = NULL;
      const char *detail = NULL;

      switch (vmd_domain_get_state (self->domain))
        {
        case VMD_DOMAIN_STATE_CRASHED:
          text = g_strdup_printf (_("“%s” stopped unexpectedly."), name);
          detail = vmd_domain_get_error_message (self->domain);
          break;
        default:
          if (vmd_domain_get_state_reason (self->domain) == VMD_STATE_REASON_FAILED)
            {
              text = g_strdup_printf (_("“%s” could not start."), name);
              detail = vmd_domain_get_error_message (self->domain);
            }
          else
            text = g_strdup_printf (_("“%s” is shut off."), name);
          break;
        }
      gtk_label_set_text (self->off_label, text);
      gtk_label_set_text (self->off_detail, detail ? detail : "");
      gtk_widget_set_visible (GTK_WIDGET (self->off_detail), detail != NULL);
      gtk_stack_set_visible_child_name (self->console_stack, "off");
      gtk_spinner_stop (self->connecting_spinner);
    }
  else if (current == NULL)
    {
      gtk_label_set_text (self->connecting_label,
                          _("This virtual machine has neither a graphical display nor a serial console."));
      gtk_stack_set_visible_child_name (self->console_stack, "connecting");
      gtk_spinner_stop (self->connecting_spinner);
    }
  else if (vmd_console_is_connected (current))
    {
      gtk_stack_set_visible_child_name (self->console_stack, console_id (current));
      gtk_spinner_stop (self->connecting_spinner);
    }
  else
    {
      const char *error = vmd_console_get_error (current);
      g_autofree char *text = NULL;

      if (vmd_console_is_connecting (current) || error == NULL)
        {
          text = g_strdup_printf (_("Connecting to the %s…"), vmd_console_get_title (current));
          gtk_spinner_start (self->connecting_spinner);
        }
      else
        {
          text = g_strdup_printf (_("The console could not be connected: %s"), error);
          gtk_spinner_stop (self->connecting_spinner);
        }
      gtk_label_set_text (self->connecting_label, text);
      gtk_stack_set_visible_child_name (self->console_stack, "connecting");
    }
  update_status (self);
  _vmd_vm_window_update_actions (self);
}

/* ------------------------------------------------------------- consoles */

static gboolean
reconnect_cb (gpointer data)
{
  VmdVmWindow *self = data;

  self->reconnect_id = 0;
  if (domain_active (self))
    for (guint i = 0; i < self->consoles->len; i++)
      vmd_console_open (g_ptr_array_index (self->consoles, i));
  _vmd_vm_window_update_console_page (self);
  return G_SOURCE_REMOVE;
}

static void
console_connected (VmdConsole *console, VmdVmWindow *self)
{
  self->reconnect_tries = 0;
  _vmd_vm_window_update_scaling (self);
  _vmd_vm_window_apply_console_options (self);
  _vmd_vm_window_update_console_page (self);
}

static void
console_disconnected (VmdConsole *console, const char *error, VmdVmWindow *self)
{
  if (error != NULL)
    g_debug ("console %s of “%s” closed: %s", console_id (console),
             vmd_domain_get_name (self->domain), error);
  /* The VM still runs (a QEMU hiccup, a reset that closed the socket):
   * try again shortly. Otherwise state-changed reopens it. */
  if (domain_active (self) && self->reconnect_id == 0 &&
      self->reconnect_tries < RECONNECT_TRIES)
    {
      self->reconnect_tries++;
      self->reconnect_id = g_timeout_add (RECONNECT_DELAY_MS, reconnect_cb, self);
    }
  _vmd_vm_window_update_console_page (self);
}

static void
console_grabbed (VmdConsole *console, GParamSpec *pspec, VmdVmWindow *self)
{
  update_status (self);
}

static void
add_console (VmdVmWindow *self, VmdConsole *console, const char *id)
{
  g_autoptr (GMenuItem) item = g_menu_item_new (vmd_console_get_title (console), NULL);

  g_object_set_data_full (G_OBJECT (console), "vmd-console-id", g_strdup (id), g_free);
  g_signal_connect (console, "connected", G_CALLBACK (console_connected), self);
  g_signal_connect (console, "disconnected", G_CALLBACK (console_disconnected), self);
  g_signal_connect (console, "notify::grabbed", G_CALLBACK (console_grabbed), self);
  g_ptr_array_add (self->consoles, g_object_ref (console));
  gtk_widget_show (GTK_WIDGET (console));
  gtk_stack_add_named (self->console_stack, GTK_WIDGET (console), id);
  g_menu_item_set_action_and_target (item, "win.console", "s", id);
  g_menu_append_item (self->consoles_section, item);
}

/* One console per graphical display (the first VNC or SPICE one) and per
 * serial port and text console, named as the engine names them. */
static void
build_consoles (VmdVmWindow *self)
{
  VmdDomainConfig *config = vmd_domain_get_config (self->domain);
  g_autoptr (GPtrArray) graphics = vmd_domain_config_get_devices (config,
                                                                  VMD_TYPE_DEVICE_GRAPHICS);
  const char *const kinds[] = { "serial", "console" };

  for (guint i = 0; i < graphics->len; i++)
    {
      g_autofree char *type = vmd_device_graphics_get_graphics_type (g_ptr_array_index (graphics,
                                                                                        i));
      VmdConsole *console = NULL;

      if (g_strcmp0 (type, "vnc") == 0)
        console = vmd_console_vnc_new (self->domain);
      else if (g_strcmp0 (type, "spice") == 0)
        console = vmd_console_spice_new (self->domain);
      if (console != NULL)
        {
          add_console (self, console, "graphics");
          break;
        }
    }

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr (GPtrArray) devices = vmd_domain_config_get_devices_of_kind (config, kinds[k]);

      for (guint i = 0; i < devices->len; i++)
        {
          g_autofree char *alias = vmd_device_get_alias (g_ptr_array_index (devices, i));
          g_autofree char *fallback = g_strdup_printf ("%s%u", kinds[k], i);
          g_autofree char *title =
            k == 0 ? g_strdup_printf (_("Serial Port %u"), i + 1)
                   : g_strdup_printf (_("Text Console %u"), i + 1);
          const char *id = alias ? alias : fallback;

          if (vmd_vm_window_get_console (self, id) == NULL)
            add_console (self, vmd_console_serial_new (self->domain, id, title), id);
        }
    }

  if (self->consoles->len > 0)
    self->current = g_ptr_array_index (self->consoles, 0);
}

void
_vmd_vm_window_select_console (VmdVmWindow *self, const char *id)
{
  VmdConsole *console = vmd_vm_window_get_console (self, id);

  if (console == NULL)
    return;
  self->current = console;
  gtk_stack_set_visible_child_name (self->pages, "console");
  _vmd_vm_window_update_console_page (self);
  if (vmd_console_is_connected (console))
    gtk_widget_grab_focus (gtk_bin_get_child (GTK_BIN (console)));
}

/* ---------------------------------------------------------------- state */

static void
state_changed (VmdDomain *domain, int state, int reason, VmdVmWindow *self)
{
  gtk_header_bar_set_subtitle (self->header, vmd_domain_state_to_string (state));
  if (domain_active (self))
    {
      self->reconnect_tries = 0;
      for (guint i = 0; i < self->consoles->len; i++)
        vmd_console_open (g_ptr_array_index (self->consoles, i));
    }
  else
    {
      g_clear_handle_id (&self->reconnect_id, g_source_remove);
      for (guint i = 0; i < self->consoles->len; i++)
        vmd_console_close (g_ptr_array_index (self->consoles, i));
    }
  _vmd_vm_window_update_console_page (self);
}

/* The engine attached the display before the guest's CPUs run: connect
 * the graphical console now, so that it is ready for the first picture. */
static void
domain_event (VmdDomain *domain, const char *name, const char *detail, VmdVmWindow *self)
{
  if (g_strcmp0 (name, "display-ready") != 0)
    return;
  for (guint i = 0; i < self->consoles->len; i++)
    if (vmd_console_is_graphical (g_ptr_array_index (self->consoles, i)))
      vmd_console_open (g_ptr_array_index (self->consoles, i));
}

void
_vmd_vm_window_show_error (VmdVmWindow *self, const char *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_bar), message != NULL);
  gtk_info_bar_set_revealed (self->error_bar, message != NULL);
}

static void
error_bar_response (VmdVmWindow *self)
{
  _vmd_vm_window_show_error (self, NULL);
}

static gboolean
window_state_event (GtkWidget *widget, GdkEventWindowState *event)
{
  VmdVmWindow *self = VMD_VM_WINDOW (widget);
  gboolean fullscreen = (event->new_window_state & GDK_WINDOW_STATE_FULLSCREEN) != 0;

  if (fullscreen != self->fullscreen)
    {
      self->fullscreen = fullscreen;
      gtk_widget_set_visible (GTK_WIDGET (self->unfullscreen_button), fullscreen);
      _vmd_vm_window_update_scaling (self);
      _vmd_vm_window_update_actions (self);
    }
  return GDK_EVENT_PROPAGATE;
}

/* ---------------------------------------------------------------- class */

static void
vmd_vm_window_dispose (GObject *object)
{
  VmdVmWindow *self = VMD_VM_WINDOW (object);

  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  g_clear_handle_id (&self->status_hide_id, g_source_remove);
  if (self->usb_dialog != NULL)
    gtk_widget_destroy (self->usb_dialog);
  if (self->consoles != NULL)
    {
      for (guint i = 0; i < self->consoles->len; i++)
        {
          VmdConsole *console = g_ptr_array_index (self->consoles, i);
          g_signal_handlers_disconnect_by_data (console, self);
          vmd_console_close (console);
        }
      g_clear_pointer (&self->consoles, g_ptr_array_unref);
    }
  self->current = NULL;
  if (self->domain != NULL)
    g_signal_handlers_disconnect_by_data (self->domain, self);
  g_clear_object (&self->domain);
  g_clear_object (&self->native);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (vmd_vm_window_parent_class)->dispose (object);
}

static void
vmd_vm_window_finalize (GObject *object)
{
  g_free (VMD_VM_WINDOW (object)->error);
  G_OBJECT_CLASS (vmd_vm_window_parent_class)->finalize (object);
}

static void
vmd_vm_window_class_init (VmdVmWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_vm_window_dispose;
  G_OBJECT_CLASS (klass)->finalize = vmd_vm_window_finalize;

  g_type_ensure (VMD_TYPE_SNAPSHOTS_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               VMD_RESOURCE_PREFIX "/ui/vmd-vm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdVmWindow, header);
  gtk_widget_class_bind_template_child (widget_class, VmdVmWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, VmdVmWindow, console_stack);
  gtk_widget_class_bind_template_child (widget_class, VmdVmWindow, off_label);
  gtk_widget_class_bind_template_child (widget_class, VmdVmWindow, off_detail);
  gtk_widget_class_bind_template_child (widget_class, VmdVmWindow, connecting_label);
  gtk_widget_class_bind_template_child (widget_class, VmdVmWindow, connecting_spinner);
  gtk_widget_class_bind_template_child (widget_class, VmdVmWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, VmdVmWindow, status_revealer);
  gtk_widget_class_bind_template_child (widget_class, VmdVmWindow, error_bar);
  gtk_widget_class_bind_template_child (widget_class, VmdVmWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, VmdVmWindow, snapshots_view);
  gtk_widget_class_bind_template_child (widget_class, VmdVmWindow, unfullscreen_button);
  gtk_widget_class_bind_template_child (widget_class, VmdVmWindow, consoles_section);
  gtk_widget_class_bind_template_child (widget_class, VmdVmWindow, function_keys_section);
  gtk_widget_class_bind_template_child (widget_class, VmdVmWindow, usb_button);
  gtk_widget_class_bind_template_callback (widget_class, error_bar_response);
  gtk_widget_class_bind_template_callback (widget_class, window_state_event);
}

static void
vmd_vm_window_init (VmdVmWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Missing when run from the build folder without GSETTINGS_SCHEMA_DIR:
   * the window then uses the defaults. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, VMD_APP_ID, TRUE);
  if (schema != NULL && g_settings_schema_has_key (schema, "clipboard-host-to-guest"))
    self->settings = g_settings_new (VMD_APP_ID);
  self->consoles = g_ptr_array_new_with_free_func (g_object_unref);
  self->scaling = self->settings != NULL
                    ? (VmdConsoleScaling) g_settings_get_enum (self->settings, "console-scaling")
                    : VMD_CONSOLE_SCALING_ALWAYS;
  _vmd_vm_window_init_actions (self);
}

static void
kept_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtkWidget) bar = user_data;
  g_autoptr (GError) error = NULL;

  if (vmd_quick_boot_keep_finish (VMD_DOMAIN (source), result, &error))
    gtk_widget_destroy (bar);
  else
    {
      GtkWidget *window = gtk_widget_get_toplevel (bar);

      if (VMD_IS_VM_WINDOW (window))
        _vmd_vm_window_show_error (VMD_VM_WINDOW (window), error->message);
      gtk_widget_set_sensitive (bar, TRUE);
    }
}

static void
keep_response (GtkInfoBar *bar, int response, VmdVmWindow *self)
{
  if (response != GTK_RESPONSE_ACCEPT)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (bar), FALSE);
  vmd_quick_boot_keep_async (self->domain, NULL, kept_cb, g_object_ref (bar));
}

/* A Quick boot VM is discarded when it shuts down: say so, with a way
 * to keep it. */
static void
add_keep_bar (VmdVmWindow *self)
{
  GtkWidget *bar, *label, *box;

  if (!vmd_quick_boot_is_throwaway (self->domain))
    return;
  bar = gtk_info_bar_new_with_buttons (_("_Keep"), GTK_RESPONSE_ACCEPT, NULL);
  gtk_widget_set_name (bar, "quick-boot-bar");
  gtk_info_bar_set_message_type (GTK_INFO_BAR (bar), GTK_MESSAGE_INFO);
  label = gtk_label_new (_("This virtual machine was started with Quick boot: it is deleted "
                           "when it shuts down, unless you keep it."));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_container_add (GTK_CONTAINER (gtk_info_bar_get_content_area (GTK_INFO_BAR (bar))), label);
  g_signal_connect_object (bar, "response", G_CALLBACK (keep_response), self, 0);
  box = gtk_widget_get_parent (GTK_WIDGET (self->error_bar));
  gtk_box_pack_start (GTK_BOX (box), bar, FALSE, FALSE, 0);
  gtk_box_reorder_child (GTK_BOX (box), bar, 0);
  gtk_widget_show_all (bar);
}

/* The window is named after the VM, as virt-manager's, and follows a
 * rename from the Details page. */
static void
update_title (VmdVmWindow *self)
{
  gtk_window_set_title (GTK_WINDOW (self), vmd_domain_get_name (self->domain));
  gtk_header_bar_set_title (self->header, vmd_domain_get_name (self->domain));
}

VmdVmWindow *
vmd_vm_window_new (VmdApplication *app, VmdDomain *domain)
{
  VmdVmWindow *self = g_object_new (VMD_TYPE_VM_WINDOW, "application", app, NULL);
  GtkWidget *details;

  self->domain = g_object_ref (domain);
  update_title (self);
  g_signal_connect_object (domain, "config-changed", G_CALLBACK (update_title), self,
                           G_CONNECT_SWAPPED);
  add_keep_bar (self);
  vmd_snapshots_view_set_domain (self->snapshots_view, domain);
  details = vmd_details_view_new (domain);
  gtk_widget_set_hexpand (details, TRUE);
  gtk_widget_show (details);
  gtk_container_add (GTK_CONTAINER (gtk_stack_get_child_by_name (self->pages, "details")),
                     details);
  build_consoles (self);
  g_signal_connect (domain, "state-changed", G_CALLBACK (state_changed), self);
  g_signal_connect_object (domain, "event", G_CALLBACK (domain_event), self, 0);
  state_changed (domain, vmd_domain_get_state (domain), vmd_domain_get_state_reason (domain),
                 self);
  _vmd_vm_window_update_scaling (self);
  return self;
}

VmdDomain *
vmd_vm_window_get_domain (VmdVmWindow *self)
{
  return self->domain;
}

/* The console page's visible child: "off", "connecting", or a console's
 * id ("graphics", "serial0", …). */
const char *
vmd_vm_window_get_console_page (VmdVmWindow *self)
{
  return gtk_stack_get_visible_child_name (self->console_stack);
}

/* The status line, such as how to release a grabbed keyboard; "" if none. */
const char *
vmd_vm_window_get_status (VmdVmWindow *self)
{
  return gtk_label_get_text (self->status_label);
}

/* The error the window shows about the last operation, or NULL. */
const char *
vmd_vm_window_get_error (VmdVmWindow *self)
{
  return self->error;
}

VmdSnapshotsView *
vmd_vm_window_get_snapshots_view (VmdVmWindow *self)
{
  return self->snapshots_view;
}

/* @page: "console", "details", "performance" (the Details view's
 * Performance row) or "snapshots" */
void
vmd_vm_window_show_page (VmdVmWindow *self, const char *page)
{
  if (g_strcmp0 (page, "performance") == 0)
    {
      GtkWidget *box = gtk_stack_get_child_by_name (self->pages, "details");
      g_autoptr (GList) children = gtk_container_get_children (GTK_CONTAINER (box));

      for (GList *l = children; l != NULL; l = l->next)
        if (VMD_IS_DETAILS_VIEW (l->data))
          vmd_details_view_select (l->data, "performance");
      page = "details";
    }
  gtk_stack_set_visible_child_name (self->pages, page);
}
