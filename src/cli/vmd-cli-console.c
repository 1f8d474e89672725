/* vmd-cli-console.c: an interactive serial console in the terminal
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The terminal goes raw, keys go to the guest and its output to the
 * screen, until Ctrl+] — as with virsh console.
 */
#define G_LOG_DOMAIN "vmdesk-cli"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>

#include "vmd-cli-private.h"

#define ESCAPE_CHAR 0x1d  /* Ctrl+] */

typedef struct {
  GIOStream *stream;
  GMainLoop *loop;
  guint      watch;
  char       buffer[4096];
  int        status;
} Console;

static void read_guest (Console *console);

static void
guest_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Console *console = user_data;
  g_autoptr (GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n <= 0)
    {
      if (n < 0)
        g_printerr ("\r\n%s\r\n", error->message);
      else
        g_printerr ("\r\n%s\r\n", _("The console was closed by the virtual machine."));
      g_main_loop_quit (console->loop);
      return;
    }
  if (write (STDOUT_FILENO, console->buffer, n) < 0)
    console->status = 1;
  read_guest (console);
}

static void
read_guest (Console *console)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (console->stream), console->buffer,
                             sizeof console->buffer, G_PRIORITY_DEFAULT, NULL, guest_read,
                             console);
}

static gboolean
stdin_ready (int fd, GIOCondition condition, gpointer user_data)
{
  Console *console = user_data;
  char keys[256];
  ssize_t n = read (fd, keys, sizeof keys);
  GOutputStream *out = g_io_stream_get_output_stream (console->stream);

  if (n <= 0)
    {
      console->watch = 0;
      g_main_loop_quit (console->loop);
      return G_SOURCE_REMOVE;
    }
  for (ssize_t i = 0; i < n; i++)
    if (keys[i] == ESCAPE_CHAR)
      {
        if (i > 0)
          g_output_stream_write_all (out, keys, i, NULL, NULL, NULL);
        console->watch = 0;
        g_main_loop_quit (console->loop);
        return G_SOURCE_REMOVE;
      }
  /* Keys are few and the socket is local: a short blocking write is fine
   * in this single-purpose loop. */
  g_output_stream_write_all (out, keys, n, NULL, NULL, NULL);
  return G_SOURCE_CONTINUE;
}

int
cli_console (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  VmdDomain *domain = cli_lookup (ctx, argv[0], &error);
  struct termios saved, raw;
  gboolean is_tty = isatty (STDIN_FILENO);
  Console console = { 0 };

  if (domain == NULL)
    return cli_fail (error);

  vmd_domain_open_serial_async (domain, argc > 1 ? argv[1] : NULL, NULL, cli_store_result,
                                &result);
  console.stream = vmd_domain_open_serial_finish (domain, cli_wait (&result), &error);
  if (console.stream == NULL)
    return cli_fail (error);

  g_printerr (_("Connected to the console of “%s”. Press Ctrl+] to leave.\n"),
              vmd_domain_get_name (domain));

  if (is_tty)
    {
      tcgetattr (STDIN_FILENO, &saved);
      raw = saved;
      cfmakeraw (&raw);
      tcsetattr (STDIN_FILENO, TCSANOW, &raw);
    }

  console.loop = g_main_loop_new (NULL, FALSE);
  console.watch = g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, stdin_ready,
                                 &console);
  read_guest (&console);
  g_main_loop_run (console.loop);

  g_clear_handle_id (&console.watch, g_source_remove);
  if (is_tty)
    tcsetattr (STDIN_FILENO, TCSANOW, &saved);
  g_io_stream_close (console.stream, NULL, NULL);
  g_clear_object (&console.stream);
  g_main_loop_unref (console.loop);
  g_printerr ("\n");
  return console.status;
}
