/* vmd-console-vnc.c: a VNC console (gtk-vnc) over a socket from the engine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * No port is opened: the engine hands over one end of a socket pair whose
 * other end QEMU took with add_client. gtk-vnc wraps the descriptor it is
 * given in a GSocket of its own and closes it, so it gets a duplicate and
 * the engine's GSocket stays ours, alive until the connection ends.
 */
#define G_LOG_DOMAIN "vmdesk-ui"

#include <errno.h>
#include <glib/gi18n.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vncdisplay.h>

#include "vmd-console-vnc.h"

struct _VmdConsoleVnc
{
  VmdConsole    parent_instance;

  VncDisplay   *display;
  GSocket      *socket;
  GCancellable *cancellable;
  gulong        state_handler;
  gboolean      initialized;   /* the handshake is done */
  guint         boot_kick_id;  /* keeps QEMU's refresh prompt while the guest boots */
  gint64        boot_kick_end;
  guint         kick_interval; /* of boot_kick_id, in ms */
  gint64        handshake_time;
};

G_DEFINE_FINAL_TYPE (VmdConsoleVnc, vmd_console_vnc, VMD_TYPE_CONSOLE)

static void domain_state_changed (VmdDomain *domain, int state, int reason, VmdConsoleVnc *self);

static void
release_socket (VmdConsoleVnc *self)
{
  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);
}

static void
display_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdConsoleVnc) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *protocol = NULL;
  g_autoptr (GSocket) socket = vmd_domain_open_display_finish (VMD_DOMAIN (source), result,
                                                               &protocol, &error);
  int fd;

  /* Closed meanwhile, or disposed. */
  if (self->display == NULL || !vmd_console_is_connecting (VMD_CONSOLE (self)))
    return;
  g_clear_object (&self->cancellable);
  if (socket == NULL)
    {
      vmd_console_set_disconnected (VMD_CONSOLE (self), error->message);
      return;
    }
  if (g_strcmp0 (protocol, "vnc") != 0)
    {
      g_autofree char *message =
        g_strdup_printf (_("The virtual machine’s display speaks %s, not VNC."), protocol);
      vmd_console_set_disconnected (VMD_CONSOLE (self), message);
      return;
    }

  fd = dup (g_socket_get_fd (socket));
  if (fd < 0)
    {
      g_autofree char *message = g_strdup_printf (_("The display could not be opened: %s"),
                                                  g_strerror (errno));
      vmd_console_set_disconnected (VMD_CONSOLE (self), message);
      return;
    }
  self->socket = g_steal_pointer (&socket);
  /* The first picture can come before the console page shows (the engine
   * holds the guest's CPUs for the handshake): gtk-vnc needs a window for
   * its size by then. */
  gtk_widget_realize (GTK_WIDGET (self->display));
  if (!vnc_display_open_fd (self->display, fd))
    {
      close (fd);
      release_socket (self);
      vmd_console_set_disconnected (VMD_CONSOLE (self),
                                    _("The VNC display could not use the engine’s connection."));
    }
}

static void
vmd_console_vnc_open (VmdConsole *console)
{
  VmdConsoleVnc *self = VMD_CONSOLE_VNC (console);

  vmd_console_set_connecting (console);
  if (self->state_handler == 0)
    self->state_handler = g_signal_connect_object (vmd_console_get_domain (console),
                                                   "state-changed",
                                                   G_CALLBACK (domain_state_changed), self, 0);
  self->cancellable = g_cancellable_new ();
  vmd_domain_open_display_async (vmd_console_get_domain (console), self->cancellable,
                                 display_opened, g_object_ref (self));
}

static void
vmd_console_vnc_close (VmdConsole *console)
{
  VmdConsoleVnc *self = VMD_CONSOLE_VNC (console);

  self->initialized = FALSE;
  g_clear_handle_id (&self->boot_kick_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->display != NULL && vnc_display_is_open (self->display))
    vnc_display_close (self->display);
  release_socket (self);
}

static GdkPixbuf *
vmd_console_vnc_get_pixbuf (VmdConsole *console)
{
  VmdConsoleVnc *self = VMD_CONSOLE_VNC (console);

  return vnc_display_get_pixbuf (self->display);
}

static void
vmd_console_vnc_set_scaled (VmdConsole *console, gboolean scaled)
{
  VmdConsoleVnc *self = VMD_CONSOLE_VNC (console);

  vnc_display_set_scaling (self->display, scaled);
}

/* QEMU's VNC server takes the desktop-size request and passes it to a
 * display adapter that can change mode from outside (virtio-gpu, the
 * standard VGA with EDID); others ignore it. */
static gboolean
vmd_console_vnc_set_resize_guest (VmdConsole *console, gboolean resize)
{
  VmdConsoleVnc *self = VMD_CONSOLE_VNC (console);

  vnc_display_set_allow_resize (self->display, resize);
  return TRUE;
}

/* QEMU's VNC server sends updates on a refresh timer whose interval grows
 * by 50 ms for every tick that has nothing to send (up to 3 s), as every
 * tick of the handshake and of a booting guest's still screen does; any
 * client message but the first four types (pixel format, encodings, update
 * request) sets it back to 30 ms. So for a moment after the handshake, and
 * for the first two seconds after the guest's CPUs start, a key release
 * for no key every 30 ms, which QEMU drops before the guest sees it, keeps
 * the refresh at its quickest: the guest's first pictures (its firmware's
 * banner) show without QEMU's back-off. */
static gboolean
kick_refresh (VmdConsoleVnc *self)
{
  VncConnection *connection = vnc_display_get_connection (self->display);

  /* Only as QEMU's extended key event: keycode 0 is no key there, while
   * the plain one would look keysym 0 up in the keymap and log a warning. */
  if (connection == NULL || !vnc_connection_get_ext_key_event (connection))
    return FALSE;
  vnc_connection_key_event (connection, FALSE, 0, 0);
  return TRUE;
}

#define BOOT_KICK_INTERVAL_MS 30
#define BOOT_KICK_MS          2000  /* after the guest's CPUs start */
#define FIRST_KICK_MS         300   /* after the handshake, for the first picture */
/* QEMU says it takes extended key events in answer to the encodings gtk-vnc
 * sends after the handshake, a moment later. Until then the first kick is
 * tried this often, for at most EXT_KEY_WAIT_MS: the first picture waits
 * for it. */
#define EXT_KEY_POLL_MS       2
#define EXT_KEY_WAIT_MS       100

static gboolean boot_kick_cb (gpointer user_data);

static void
schedule_kick (VmdConsoleVnc *self, gboolean sent)
{
  guint interval = BOOT_KICK_INTERVAL_MS;

  if (!sent && g_get_monotonic_time () < self->handshake_time + EXT_KEY_WAIT_MS * 1000)
    interval = EXT_KEY_POLL_MS;
  if (self->boot_kick_id != 0 && interval == self->kick_interval)
    return;
  g_clear_handle_id (&self->boot_kick_id, g_source_remove);
  self->kick_interval = interval;
  self->boot_kick_id = g_timeout_add (interval, boot_kick_cb, self);
}

static gboolean
boot_kick_cb (gpointer user_data)
{
  VmdConsoleVnc *self = user_data;
  guint id = self->boot_kick_id;

  if (!self->initialized || g_get_monotonic_time () > self->boot_kick_end)
    {
      self->boot_kick_id = 0;
      return G_SOURCE_REMOVE;
    }
  schedule_kick (self, kick_refresh (self));
  /* Rescheduled at another interval: this source is done. */
  return self->boot_kick_id == id ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* Kicks now and every BOOT_KICK_INTERVAL_MS for @ms. */
static void
kick_for (VmdConsoleVnc *self, guint ms)
{
  self->boot_kick_end = MAX (self->boot_kick_end, g_get_monotonic_time () + (gint64) ms * 1000);
  schedule_kick (self, kick_refresh (self));
}

static void
domain_state_changed (VmdDomain *domain, int state, int reason, VmdConsoleVnc *self)
{
  if (state == VMD_DOMAIN_STATE_RUNNING && self->initialized)
    kick_for (self, BOOT_KICK_MS);
}

static void
vnc_initialized (VncDisplay *display, VmdConsoleVnc *self)
{
  self->initialized = TRUE;
  self->handshake_time = g_get_monotonic_time ();
  self->boot_kick_end = 0;
  kick_for (self, FIRST_KICK_MS);
  vmd_domain_display_connected (vmd_console_get_domain (VMD_CONSOLE (self)));
  vmd_console_set_connected (VMD_CONSOLE (self));
}

static void
vnc_error (VncDisplay *display, const char *message, VmdConsoleVnc *self)
{
  g_debug ("VNC error: %s", message);
}

static void
vnc_disconnected (VncDisplay *display, VmdConsoleVnc *self)
{
  self->initialized = FALSE;
  g_clear_handle_id (&self->boot_kick_id, g_source_remove);
  release_socket (self);
  vmd_console_set_disconnected (VMD_CONSOLE (self), NULL);
}

static void
vnc_keyboard_grab (VncDisplay *display, VmdConsoleVnc *self)
{
  vmd_console_set_grabbed (VMD_CONSOLE (self), TRUE);
}

static void
vnc_keyboard_ungrab (VncDisplay *display, VmdConsoleVnc *self)
{
  vmd_console_set_grabbed (VMD_CONSOLE (self), FALSE);
}

static void
vmd_console_vnc_dispose (GObject *object)
{
  VmdConsoleVnc *self = VMD_CONSOLE_VNC (object);

  if (self->display != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->display, self);
      vmd_console_vnc_close (VMD_CONSOLE (self));
      self->display = NULL;
    }
  G_OBJECT_CLASS (vmd_console_vnc_parent_class)->dispose (object);
}

static void
vmd_console_vnc_class_init (VmdConsoleVncClass *klass)
{
  VmdConsoleClass *console_class = VMD_CONSOLE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_console_vnc_dispose;
  console_class->open = vmd_console_vnc_open;
  console_class->close = vmd_console_vnc_close;
  console_class->get_pixbuf = vmd_console_vnc_get_pixbuf;
  console_class->set_scaled = vmd_console_vnc_set_scaled;
  console_class->set_resize_guest = vmd_console_vnc_set_resize_guest;
}

/* gtk-vnc prepares GnuTLS the first time a connection of the process gets
 * past the version handshake, TLS or not: Diffie-Hellman parameters are
 * generated then, 6-40 ms of CPU on the main loop, in the middle of the
 * first console's handshake. So once a VNC console exists, a connection
 * to a server of our own that speaks the version and then refuses (no
 * security type) does that while nobody waits. */
static void
prepared (VncConnection *connection, gpointer user_data)
{
  close (GPOINTER_TO_INT (user_data));
  g_object_unref (connection);
}

static gboolean
prepare_gtk_vnc (gpointer user_data)
{
  static const char refusal[] = "RFB 003.008\n"   /* version */
                                "\0"              /* no security type, because: */
                                "\0\0\0\011"   /* 9 bytes */
                                "preparing";
  VncConnection *connection;
  int fds[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    return G_SOURCE_REMOVE;
  if (write (fds[1], refusal, sizeof refusal - 1) != sizeof refusal - 1)
    {
      close (fds[0]);
      close (fds[1]);
      return G_SOURCE_REMOVE;
    }
  connection = vnc_connection_new ();
  g_signal_connect (connection, "vnc-disconnected", G_CALLBACK (prepared),
                    GINT_TO_POINTER (fds[1]));
  if (!vnc_connection_open_fd (connection, fds[0]))
    {
      close (fds[0]);
      prepared (connection, GINT_TO_POINTER (fds[1]));
    }
  return G_SOURCE_REMOVE;
}

static void
vmd_console_vnc_init (VmdConsoleVnc *self)
{
  static gsize prepare_once = 0;
  AtkObject *accessible;

  self->display = VNC_DISPLAY (vnc_display_new ());
  vnc_display_set_keep_aspect_ratio (self->display, TRUE);
  vnc_display_set_pointer_grab (self->display, TRUE);
  vnc_display_set_keyboard_grab (self->display, TRUE);
  accessible = gtk_widget_get_accessible (GTK_WIDGET (self->display));
  atk_object_set_name (accessible, _("Graphical console"));
  vmd_console_paint_black_below (GTK_WIDGET (self->display));
  g_signal_connect (self->display, "vnc-initialized", G_CALLBACK (vnc_initialized), self);
  g_signal_connect (self->display, "vnc-error", G_CALLBACK (vnc_error), self);
  g_signal_connect (self->display, "vnc-disconnected", G_CALLBACK (vnc_disconnected), self);
  g_signal_connect (self->display, "vnc-keyboard-grab", G_CALLBACK (vnc_keyboard_grab), self);
  g_signal_connect (self->display, "vnc-keyboard-ungrab", G_CALLBACK (vnc_keyboard_ungrab),
                    self);
  gtk_widget_show (GTK_WIDGET (self->display));
  gtk_container_add (GTK_CONTAINER (self), GTK_WIDGET (self->display));
  /* Soon after the window shows, before Run is likely to be pressed. */
  if (g_once_init_enter (&prepare_once))
    {
      g_timeout_add (150, prepare_gtk_vnc, NULL);
      g_once_init_leave (&prepare_once, 1);
    }
}

VmdConsole *
vmd_console_vnc_new (VmdDomain *domain)
{
  return g_object_new (VMD_TYPE_CONSOLE_VNC, "domain", domain, "graphical", TRUE,
                       "title", _("Graphical Console"), NULL);
}

/**
 * vmd_console_vnc_get_display:
 *
 * Returns: (transfer none): the VncDisplay
 */
GtkWidget *
vmd_console_vnc_get_display (VmdConsoleVnc *self)
{
  return GTK_WIDGET (self->display);
}

/* @keysyms: the keys that release a grab, e.g. Control_L and Alt_L. */
void
vmd_console_vnc_set_grab_keys (VmdConsoleVnc *self, const guint *keysyms, guint n)
{
  VncGrabSequence *sequence;

  g_return_if_fail (VMD_IS_CONSOLE_VNC (self));
  if (self->display == NULL || n == 0)
    return;
  sequence = vnc_grab_sequence_new (n, (guint *) keysyms);
  vnc_display_set_grab_keys (self->display, sequence);
  vnc_grab_sequence_free (sequence);
}
