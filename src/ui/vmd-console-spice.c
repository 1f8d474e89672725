/* vmd-console-spice.c: a SPICE console (spice-gtk) over sockets from the engine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * SPICE uses one connection per channel (main, display, inputs, cursor…).
 * With no port to dial, the session starts on one socket from the engine
 * and every further channel asks for its own through "open-fd": each gets
 * a new socket from vmd_domain_open_display_async(). spice-gtk owns the
 * descriptors it is given, so it gets duplicates; the engine's GSockets
 * stay here until the session ends.
 *
 * Clipboard: spice-gtk shares it both ways or not at all ("auto-clipboard"
 * of SpiceGtkSession). Each direction is cut here, on the main channel,
 * ahead of SpiceGtkSession's own handlers: guest to host by swallowing the
 * agent's grab (the host clipboard is never claimed), host to guest by
 * refusing the agent's requests for the host's data (the guest gets an
 * empty clipboard; it still hears that the host has one).
 */
#define G_LOG_DOMAIN "vmdesk-ui"

#include <glib/gi18n.h>
#include <spice-client-gtk.h>
#include <unistd.h>

#include "vmd-console-spice.h"

struct _VmdConsoleSpice
{
  VmdConsole    parent_instance;

  SpiceSession *session;
  SpiceDisplay *display;
  GPtrArray    *sockets;
  GCancellable *cancellable;
  gboolean      scaled;
  gboolean      has_primary;  /* the display has a canvas to read */
  gboolean      has_usbredir;
  gboolean      resize_guest;
  gboolean      host_to_guest;
  gboolean      guest_to_host;
};

G_DEFINE_FINAL_TYPE (VmdConsoleSpice, vmd_console_spice, VMD_TYPE_CONSOLE)

typedef struct {
  VmdConsoleSpice *self;
  SpiceChannel    *channel;  /* NULL: the session's first socket */
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_object_unref (data->self);
  g_clear_object (&data->channel);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenData, open_data_free)

static void session_teardown (VmdConsoleSpice *self);

static void
display_keyboard_grab (SpiceDisplay *display, gboolean grabbed, VmdConsoleSpice *self)
{
  vmd_console_set_grabbed (VMD_CONSOLE (self), grabbed);
}

static void
channel_event (SpiceChannel *channel, SpiceChannelEvent event, VmdConsoleSpice *self)
{
  switch (event)
    {
    case SPICE_CHANNEL_OPENED:
      if (SPICE_IS_DISPLAY_CHANNEL (channel))
        {
          vmd_console_set_connected (VMD_CONSOLE (self));
          /* A start holding the CPUs for the display lets them run now. */
          vmd_domain_display_connected (vmd_console_get_domain (VMD_CONSOLE (self)));
        }
      break;
    case SPICE_CHANNEL_CLOSED:
    case SPICE_CHANNEL_ERROR_CONNECT:
    case SPICE_CHANNEL_ERROR_TLS:
    case SPICE_CHANNEL_ERROR_LINK:
    case SPICE_CHANNEL_ERROR_AUTH:
    case SPICE_CHANNEL_ERROR_IO:
      if (SPICE_IS_MAIN_CHANNEL (channel))
        {
          session_teardown (self);
          vmd_console_set_disconnected (VMD_CONSOLE (self),
                                        event == SPICE_CHANNEL_CLOSED
                                          ? NULL
                                          : _("The SPICE connection to the virtual machine failed."));
        }
      break;
    default:
      break;
    }
}

static void open_socket (VmdConsoleSpice *self, SpiceChannel *channel);

/* spice_display_get_pixbuf() is critical before the guest's first
 * surface arrives and after it goes: follow the display channel. */
static void
primary_create (SpiceChannel *channel, int format, int width, int height, int stride, int shmid,
                gpointer data, VmdConsoleSpice *self)
{
  self->has_primary = TRUE;
}

static void
primary_destroy (SpiceChannel *channel, VmdConsoleSpice *self)
{
  self->has_primary = FALSE;
}

static void
channel_open_fd (SpiceChannel *channel, int with_tls, VmdConsoleSpice *self)
{
  open_socket (self, channel);
}

static gboolean
clipboard_grab (SpiceMainChannel *main, guint selection, gpointer types, guint ntypes,
                VmdConsoleSpice *self)
{
  if (!self->guest_to_host)
    g_signal_stop_emission_by_name (main, "main-clipboard-selection-grab");
  return FALSE;
}

static gboolean
clipboard_request (SpiceMainChannel *main, guint selection, guint type, VmdConsoleSpice *self)
{
  if (!self->host_to_guest)
    g_signal_stop_emission_by_name (main, "main-clipboard-selection-request");
  return FALSE;
}

static void
apply_clipboard (VmdConsoleSpice *self)
{
  if (self->session != NULL)
    g_object_set (spice_gtk_session_get (self->session), "auto-clipboard",
                  self->host_to_guest || self->guest_to_host, NULL);
}

static void
channel_new (SpiceSession *session, SpiceChannel *channel, VmdConsoleSpice *self)
{
  int id = 0;

  g_object_get (channel, "channel-id", &id, NULL);
  g_signal_connect_object (channel, "open-fd", G_CALLBACK (channel_open_fd), self, 0);
  g_signal_connect_object (channel, "channel-event", G_CALLBACK (channel_event), self, 0);

  /* The main channel comes first, before SpiceGtkSession exists (the
   * display creates it): these handlers run before its own. */
  if (SPICE_IS_MAIN_CHANNEL (channel))
    {
      g_signal_connect_object (channel, "main-clipboard-selection-grab",
                               G_CALLBACK (clipboard_grab), self, 0);
      g_signal_connect_object (channel, "main-clipboard-selection-request",
                               G_CALLBACK (clipboard_request), self, 0);
    }
  /* The server lists every channel at once, before the display channel
   * opens: "connected" comes after this. */
  if (SPICE_IS_USBREDIR_CHANNEL (channel))
    self->has_usbredir = TRUE;

  if (SPICE_IS_DISPLAY_CHANNEL (channel) && id == 0 && self->display == NULL)
    {
      AtkObject *accessible;

      self->display = spice_display_new (session, id);
      g_object_set (self->display, "scaling", self->scaled, "resize-guest", self->resize_guest,
                    NULL);
      vmd_console_paint_black_below (GTK_WIDGET (self->display));
      accessible = gtk_widget_get_accessible (GTK_WIDGET (self->display));
      atk_object_set_name (accessible, _("Graphical console"));
      g_signal_connect_object (self->display, "keyboard-grab", G_CALLBACK (display_keyboard_grab),
                               self, 0);
      g_signal_connect_object (channel, "display-primary-create", G_CALLBACK (primary_create),
                               self, G_CONNECT_AFTER);
      g_signal_connect_object (channel, "display-primary-destroy", G_CALLBACK (primary_destroy),
                               self, 0);
      apply_clipboard (self);
      gtk_widget_show (GTK_WIDGET (self->display));
      gtk_container_add (GTK_CONTAINER (self), GTK_WIDGET (self->display));
    }
}

static void
socket_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (OpenData) data = user_data;
  VmdConsoleSpice *self = data->self;
  g_autoptr (GError) error = NULL;
  g_autofree char *protocol = NULL;
  g_autoptr (GSocket) socket = vmd_domain_open_display_finish (VMD_DOMAIN (source), result,
                                                               &protocol, &error);
  int fd;

  if (self->session == NULL)
    return;  /* closed meanwhile */
  if (socket == NULL || g_strcmp0 (protocol, "spice") != 0)
    {
      g_autofree char *message =
        socket == NULL ? g_strdup (error->message)
                       : g_strdup_printf (_("The virtual machine’s display speaks %s, not SPICE."),
                                          protocol);
      session_teardown (self);
      vmd_console_set_disconnected (VMD_CONSOLE (self), message);
      return;
    }

  fd = dup (g_socket_get_fd (socket));
  g_ptr_array_add (self->sockets, g_steal_pointer (&socket));
  if (fd < 0 || !(data->channel != NULL ? spice_channel_open_fd (data->channel, fd)
                                        : spice_session_open_fd (self->session, fd)))
    {
      if (fd >= 0)
        close (fd);
      session_teardown (self);
      vmd_console_set_disconnected (VMD_CONSOLE (self),
                                    _("The SPICE display could not use the engine’s connection."));
    }
}

static void
open_socket (VmdConsoleSpice *self, SpiceChannel *channel)
{
  OpenData *data = g_new0 (OpenData, 1);

  data->self = g_object_ref (self);
  data->channel = channel ? g_object_ref (channel) : NULL;
  vmd_domain_open_display_async (vmd_console_get_domain (VMD_CONSOLE (self)), self->cancellable,
                                 socket_opened, data);
}

static void
session_teardown (VmdConsoleSpice *self)
{
  if (self->sockets == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->display != NULL)
    gtk_widget_destroy (GTK_WIDGET (self->display));
  self->display = NULL;
  self->has_primary = FALSE;
  self->has_usbredir = FALSE;
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      spice_session_disconnect (self->session);
    }
  g_clear_object (&self->session);
  for (guint i = 0; i < self->sockets->len; i++)
    g_socket_close (g_ptr_array_index (self->sockets, i), NULL);
  g_ptr_array_set_size (self->sockets, 0);
}

static void
vmd_console_spice_open (VmdConsole *console)
{
  VmdConsoleSpice *self = VMD_CONSOLE_SPICE (console);

  vmd_console_set_connecting (console);
  self->cancellable = g_cancellable_new ();
  self->session = spice_session_new ();
  g_object_set (self->session, "enable-usbredir", TRUE, "enable-audio", FALSE, NULL);
  g_signal_connect (self->session, "channel-new", G_CALLBACK (channel_new), self);
  open_socket (self, NULL);
}

static void
vmd_console_spice_close (VmdConsole *console)
{
  session_teardown (VMD_CONSOLE_SPICE (console));
}

static GdkPixbuf *
vmd_console_spice_get_pixbuf (VmdConsole *console)
{
  VmdConsoleSpice *self = VMD_CONSOLE_SPICE (console);
  gboolean ready = FALSE;

  /* "ready": the guest marked the surface shown and the widget knows
   * the monitor's area; before that the pixbuf would be empty. */
  if (self->display == NULL || !self->has_primary)
    return NULL;
  g_object_get (self->display, "ready", &ready, NULL);
  return ready ? spice_display_get_pixbuf (self->display) : NULL;
}

static void
vmd_console_spice_set_scaled (VmdConsole *console, gboolean scaled)
{
  VmdConsoleSpice *self = VMD_CONSOLE_SPICE (console);

  self->scaled = scaled;
  if (self->display != NULL)
    g_object_set (self->display, "scaling", scaled, NULL);
}

/* The guest follows only with its agent running (spice-vdagent asks
 * the guest's display server for the new mode). */
static gboolean
vmd_console_spice_set_resize_guest (VmdConsole *console, gboolean resize)
{
  VmdConsoleSpice *self = VMD_CONSOLE_SPICE (console);

  self->resize_guest = resize;
  if (self->display != NULL)
    g_object_set (self->display, "resize-guest", resize, NULL);
  return TRUE;
}

static void
vmd_console_spice_dispose (GObject *object)
{
  VmdConsoleSpice *self = VMD_CONSOLE_SPICE (object);

  if (self->sockets != NULL)
    {
      vmd_console_close (VMD_CONSOLE (self));
      session_teardown (self);
      g_clear_pointer (&self->sockets, g_ptr_array_unref);
    }
  G_OBJECT_CLASS (vmd_console_spice_parent_class)->dispose (object);
}

static void
vmd_console_spice_class_init (VmdConsoleSpiceClass *klass)
{
  VmdConsoleClass *console_class = VMD_CONSOLE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_console_spice_dispose;
  console_class->open = vmd_console_spice_open;
  console_class->close = vmd_console_spice_close;
  console_class->get_pixbuf = vmd_console_spice_get_pixbuf;
  console_class->set_scaled = vmd_console_spice_set_scaled;
  console_class->set_resize_guest = vmd_console_spice_set_resize_guest;
}

static void
vmd_console_spice_init (VmdConsoleSpice *self)
{
  self->sockets = g_ptr_array_new_with_free_func (g_object_unref);
  self->scaled = TRUE;
  self->host_to_guest = TRUE;
  self->guest_to_host = TRUE;
}

VmdConsole *
vmd_console_spice_new (VmdDomain *domain)
{
  return g_object_new (VMD_TYPE_CONSOLE_SPICE, "domain", domain, "graphical", TRUE,
                       "title", _("Graphical Console"), NULL);
}

/* Whether the session has a USB redirection channel: the guest has a
 * <redirdev type='spicevmc'>. Known once the console is connected. */
gboolean
vmd_console_spice_has_usbredir (VmdConsoleSpice *self)
{
  g_return_val_if_fail (VMD_IS_CONSOLE_SPICE (self), FALSE);

  return self->session != NULL && self->has_usbredir;
}

/* The SpiceSession while connected, else NULL (for tests). */
gpointer
vmd_console_spice_get_session (VmdConsoleSpice *self)
{
  g_return_val_if_fail (VMD_IS_CONSOLE_SPICE (self), NULL);

  return self->session;
}

/* spice-gtk's list of the host's USB devices, each a check button that
 * redirects it to the guest. NULL without a session. */
GtkWidget *
vmd_console_spice_new_usb_widget (VmdConsoleSpice *self)
{
  g_return_val_if_fail (VMD_IS_CONSOLE_SPICE (self), NULL);

  if (self->session == NULL)
    return NULL;
  return spice_usb_device_widget_new (self->session, NULL);
}

void
vmd_console_spice_set_clipboard (VmdConsoleSpice *self,
                                 gboolean         host_to_guest,
                                 gboolean         guest_to_host)
{
  g_return_if_fail (VMD_IS_CONSOLE_SPICE (self));

  self->host_to_guest = host_to_guest;
  self->guest_to_host = guest_to_host;
  apply_clipboard (self);
}

/* @keysyms: the keys that release a grab, e.g. Control_L and Alt_L. */
void
vmd_console_spice_set_grab_keys (VmdConsoleSpice *self, const guint *keysyms, guint n)
{
  SpiceGrabSequence *sequence;

  g_return_if_fail (VMD_IS_CONSOLE_SPICE (self));
  if (self->display == NULL || n == 0)
    return;
  sequence = spice_grab_sequence_new (n, (guint *) keysyms);
  spice_display_set_grab_keys (self->display, sequence);
  spice_grab_sequence_free (sequence);
}
