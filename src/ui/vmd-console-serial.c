/* vmd-console-serial.c: a serial port or text console in a terminal (VTE)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The engine gives a GIOStream to the character device; what the guest
 * writes is read asynchronously and fed to the terminal, what the user
 * types ("commit") is queued and written asynchronously, in order.
 */
#define G_LOG_DOMAIN "vmdesk-ui"

#include <glib/gi18n.h>

#include "vmd-console-serial.h"

struct _VmdConsoleSerial
{
  VmdConsole    parent_instance;

  VteTerminal  *terminal;
  char         *device;
  GIOStream    *stream;
  GCancellable *cancellable;
  GByteArray   *pending;   /* typed, not yet written */
  gboolean      writing;
  guint8        buffer[4096];
};

G_DEFINE_FINAL_TYPE (VmdConsoleSerial, vmd_console_serial, VMD_TYPE_CONSOLE)

static void read_next (VmdConsoleSerial *self);
static void write_next (VmdConsoleSerial *self);

static void
end_stream (VmdConsoleSerial *self, const char *error)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->stream != NULL)
    g_io_stream_close (self->stream, NULL, NULL);
  g_clear_object (&self->stream);
  g_byte_array_set_size (self->pending, 0);
  self->writing = FALSE;
  vmd_console_set_disconnected (VMD_CONSOLE (self), error);
}

static void
read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdConsoleSerial) self = user_data;
  g_autoptr (GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->stream == NULL ||
      g_io_stream_get_input_stream (self->stream) != G_INPUT_STREAM (source))
    return;
  if (n <= 0)
    {
      end_stream (self, error ? error->message : NULL);
      return;
    }
  vte_terminal_feed (self->terminal, (const char *) self->buffer, n);
  read_next (self);
}

static void
read_next (VmdConsoleSerial *self)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (self->stream), self->buffer,
                             sizeof self->buffer, G_PRIORITY_DEFAULT, self->cancellable,
                             read_done, g_object_ref (self));
}

typedef struct {
  VmdConsoleSerial *self;
  GBytes           *bytes;   /* in flight: pending may grow meanwhile */
} WriteData;

static void
write_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  WriteData *data = user_data;
  g_autoptr (VmdConsoleSerial) self = data->self;
  g_autoptr (GError) error = NULL;

  g_bytes_unref (data->bytes);
  g_free (data);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("serial write: %s", error->message);
      return;
    }
  if (self->stream == NULL || !self->writing)
    return;
  self->writing = FALSE;
  write_next (self);
}

static void
write_next (VmdConsoleSerial *self)
{
  WriteData *data;

  if (self->writing || self->stream == NULL || self->pending->len == 0)
    return;
  data = g_new0 (WriteData, 1);
  data->self = g_object_ref (self);
  data->bytes = g_bytes_new (self->pending->data, self->pending->len);
  g_byte_array_set_size (self->pending, 0);
  self->writing = TRUE;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (self->stream),
                                   g_bytes_get_data (data->bytes, NULL),
                                   g_bytes_get_size (data->bytes), G_PRIORITY_DEFAULT,
                                   self->cancellable, write_done, data);
}

static void
terminal_commit (VteTerminal *terminal, const char *text, guint size, VmdConsoleSerial *self)
{
  if (self->stream == NULL)
    return;
  g_byte_array_append (self->pending, (const guint8 *) text, size);
  write_next (self);
}

static void
serial_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdConsoleSerial) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GIOStream) stream = vmd_domain_open_serial_finish (VMD_DOMAIN (source), result,
                                                                &error);

  if (self->terminal == NULL || !vmd_console_is_connecting (VMD_CONSOLE (self)))
    return;  /* closed meanwhile */
  if (stream == NULL)
    {
      g_clear_object (&self->cancellable);
      vmd_console_set_disconnected (VMD_CONSOLE (self), error->message);
      return;
    }
  self->stream = g_steal_pointer (&stream);
  vmd_console_set_connected (VMD_CONSOLE (self));
  read_next (self);
}

static void
vmd_console_serial_open (VmdConsole *console)
{
  VmdConsoleSerial *self = VMD_CONSOLE_SERIAL (console);

  vmd_console_set_connecting (console);
  self->cancellable = g_cancellable_new ();
  vmd_domain_open_serial_async (vmd_console_get_domain (console), self->device,
                                self->cancellable, serial_opened, g_object_ref (self));
}

static void
vmd_console_serial_close (VmdConsole *console)
{
  VmdConsoleSerial *self = VMD_CONSOLE_SERIAL (console);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->stream != NULL)
    g_io_stream_close (self->stream, NULL, NULL);
  g_clear_object (&self->stream);
  if (self->pending != NULL)
    g_byte_array_set_size (self->pending, 0);
  self->writing = FALSE;
}

static void
vmd_console_serial_dispose (GObject *object)
{
  VmdConsoleSerial *self = VMD_CONSOLE_SERIAL (object);

  vmd_console_close (VMD_CONSOLE (self));
  if (self->terminal != NULL)
    g_signal_handlers_disconnect_by_data (self->terminal, self);
  self->terminal = NULL;
  G_OBJECT_CLASS (vmd_console_serial_parent_class)->dispose (object);
}

static void
vmd_console_serial_finalize (GObject *object)
{
  VmdConsoleSerial *self = VMD_CONSOLE_SERIAL (object);

  g_free (self->device);
  g_byte_array_unref (self->pending);
  G_OBJECT_CLASS (vmd_console_serial_parent_class)->finalize (object);
}

static void
vmd_console_serial_class_init (VmdConsoleSerialClass *klass)
{
  VmdConsoleClass *console_class = VMD_CONSOLE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_console_serial_dispose;
  G_OBJECT_CLASS (klass)->finalize = vmd_console_serial_finalize;
  console_class->open = vmd_console_serial_open;
  console_class->close = vmd_console_serial_close;
}

static void
vmd_console_serial_init (VmdConsoleSerial *self)
{
  GtkWidget *scrolled = gtk_scrolled_window_new (NULL, NULL);

  self->pending = g_byte_array_new ();
  self->terminal = VTE_TERMINAL (vte_terminal_new ());
  vte_terminal_set_scrollback_lines (self->terminal, 10000);
  g_signal_connect (self->terminal, "commit", G_CALLBACK (terminal_commit), self);
  gtk_container_add (GTK_CONTAINER (scrolled), GTK_WIDGET (self->terminal));
  gtk_widget_show_all (scrolled);
  gtk_container_add (GTK_CONTAINER (self), scrolled);
}

/**
 * vmd_console_serial_new:
 * @device: the alias of the serial port or console, as the engine names it
 * @title: what menus call it
 */
VmdConsole *
vmd_console_serial_new (VmdDomain *domain, const char *device, const char *title)
{
  VmdConsoleSerial *self = g_object_new (VMD_TYPE_CONSOLE_SERIAL, "domain", domain,
                                         "graphical", FALSE, "title", title, NULL);

  self->device = g_strdup (device);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->terminal)), title);
  return VMD_CONSOLE (self);
}

const char *
vmd_console_serial_get_device (VmdConsoleSerial *self)
{
  return self->device;
}

/**
 * vmd_console_serial_get_terminal:
 *
 * Returns: (transfer none): the terminal
 */
VteTerminal *
vmd_console_serial_get_terminal (VmdConsoleSerial *self)
{
  return self->terminal;
}
