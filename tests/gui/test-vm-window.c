/* test-vm-window.c: the VM window on the real test guest, under Xvfb
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Boots the guest of tests/guest (TCG) on the embedded engine, opens a
 * VmdVmWindow on it and checks what a user sees: the VNC console's
 * pixels, Ctrl+Alt+Del from the Send Key action rebooting the guest, the
 * serial console's terminal, a snapshot made through the page's action
 * appearing in the tree, and the "off" page after a shutdown.
 *
 * The case runs in a child process; the parent kills, by PID, every
 * process whose command line names the case's folder (QEMU runs
 * detached) whether the child passed, failed or crashed.
 *
 * Environment (tests/gui/meson.build): VMD_GUEST_DIR, VMD_GUEST_BUILDER,
 * VMD_SHOT_DIR (where the screenshots go). Skips (77) without DISPLAY.
 */
#define G_LOG_DOMAIN "test-vm-window"

#include <glib/gstdio.h>
#include <signal.h>
#include <spice-client-gtk.h>
#include <vncdisplay.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gui-fixture.h"
#include "vmd-console-serial.h"
#include "vmd-console-spice.h"
#include "vmd-console-vnc.h"
#include "vmd-qemu-connection.h"
#include "vmd-qemu-domain.h"
#include "vmd-snapshot-dialog.h"
#include "vmd-vm-window.h"

#define MARKER "VMDESK-GUEST-READY"


static gint64 start_us;

static void
note (const char *text)
{
  printf ("# %6.2f s  %s\n", (g_get_monotonic_time () - start_us) / 1e6, text);
  fflush (stdout);
}

/* Waiting, results and processes: tests/engine/engine-fixture.h. */

/* ------------------------------------------------------------ processes */

/* Kills, by PID, every process whose command line mentions @needle. */
static guint
kill_processes_mentioning (const char *needle)
{
  g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
  g_autoptr (GArray) pids = g_array_new (FALSE, FALSE, sizeof (GPid));
  const char *name;

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *cmdline = NULL;
      guint64 pid;
      gsize len;

      if (!g_ascii_string_to_unsigned (name, 10, 1, G_MAXINT, &pid, NULL) ||
          (GPid) pid == getpid ())
        continue;
      path = g_strdup_printf ("/proc/%s/cmdline", name);
      if (!g_file_get_contents (path, &cmdline, &len, NULL) || len == 0)
        continue;
      for (gsize i = 0; i < len; i += strlen (cmdline + i) + 1)
        if (strstr (cmdline + i, needle) != NULL)
          {
            GPid p = (GPid) pid;
            g_array_append_val (pids, p);
            break;
          }
    }
  for (guint i = 0; i < pids->len; i++)
    kill (g_array_index (pids, GPid, i), SIGKILL);
  for (guint i = 0; i < pids->len; i++)
    for (guint tries = 0; tries < 500 && !pid_gone (g_array_index (pids, GPid, i)); tries++)
      g_usleep (10000);
  return pids->len;
}

static void
run_or_fail (const char *const *argv, const char *what)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, &error))
    FAIL ("%s could not run: %s", what, error->message);
  if (!g_spawn_check_wait_status (status, &error))
    FAIL ("%s failed: %s\n%s", what, error->message, err);
}

/* ---------------------------------------------------------- screenshots */

/* Distinct colours, counted on a grid of samples. */
static guint
count_colours (GdkPixbuf *pixbuf)
{
  g_autoptr (GHashTable) colours = g_hash_table_new (NULL, NULL);
  int w = gdk_pixbuf_get_width (pixbuf), h = gdk_pixbuf_get_height (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf), n = gdk_pixbuf_get_n_channels (pixbuf);
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);

  for (int y = 0; y < h; y += 2)
    for (int x = 0; x < w; x += 2)
      {
        const guint8 *p = pixels + y * stride + x * n;
        guint rgb = p[0] << 16 | p[1] << 8 | p[2];
        g_hash_table_add (colours, GUINT_TO_POINTER (rgb + 1));
      }
  return g_hash_table_size (colours);
}

/* ---------------------------------------------------------- conditions */

static gboolean
console_grabbed (gpointer data)
{
  return vmd_console_get_grabbed (data);
}

static gboolean
console_released (gpointer data)
{
  return !vmd_console_get_grabbed (data);
}

/* Moves the real pointer to (@x, @y) on the screen, then checks that the
 * VNC console @vnc has taken the keyboard or given it back as @grabbed
 * says, that the window's status says so, and that the console kept its
 * @width x @height. */
static void
move_pointer (VmdVmWindow *window,
              VmdConsole  *vnc,
              int          x,
              int          y,
              gboolean     grabbed,
              int          width,
              int          height)
{
  GtkWidget *display = GTK_WIDGET (vmd_console_vnc_get_display (VMD_CONSOLE_VNC (vnc)));
  GdkDevice *pointer = gdk_seat_get_pointer (
    gdk_display_get_default_seat (gtk_widget_get_display (display)));

  gdk_device_warp (pointer, gtk_widget_get_screen (display), x, y);
  if (!spin_until (grabbed ? console_grabbed : console_released, vnc, 5000))
    FAIL (grabbed ? "the console did not take the keyboard"
                  : "the console did not give the keyboard back");
  g_assert_cmpstr (vmd_vm_window_get_status (window), ==,
                   grabbed ? "Press Ctrl+Alt to release the keyboard and mouse." : "");
  spin_for (300);
  g_assert_cmpint (gtk_widget_get_allocated_width (display), ==, width);
  g_assert_cmpint (gtk_widget_get_allocated_height (display), ==, height);
}

typedef struct {
  VmdVmWindow *window;
  guint        colours;
} ConsoleWait;

static gboolean
console_shows_frame (gpointer data)
{
  ConsoleWait *w = data;
  VmdConsole *console = vmd_vm_window_get_console (w->window, "graphics");
  g_autoptr (GdkPixbuf) pixbuf = NULL;

  if (console == NULL || g_strcmp0 (vmd_vm_window_get_console_page (w->window), "graphics") != 0)
    return FALSE;
  pixbuf = vmd_console_get_pixbuf (console);
  w->colours = pixbuf ? count_colours (pixbuf) : 0;
  return w->colours >= 4;
}

static gboolean
terminal_has_marker (gpointer data)
{
  g_autofree char *text = vte_terminal_get_text (data, NULL, NULL, NULL);

  return text != NULL && strstr (text, MARKER) != NULL;
}

static gboolean
counter_positive (gpointer data)
{
  return *(guint *) data > 0;
}

static void
count_resets (VmdDomain *domain, const char *name, const char *detail, guint *resets)
{
  if (g_strcmp0 (name, "reset") == 0)
    (*resets)++;
}

static gboolean
dialog_found (gpointer data)
{
  GList *toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l; l = l->next)
    if (VMD_IS_SNAPSHOT_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      *(gpointer *) data = l->data;
  g_list_free (toplevels);
  return *(gpointer *) data != NULL;
}

typedef struct {
  VmdSnapshotsView *view;
  const char       *name;
} SnapWait;

static gboolean
find_row (GtkTreeModel *model, GtkTreeIter *parent, const char *name)
{
  GtkTreeIter iter;

  if (!gtk_tree_model_iter_children (model, &iter, parent))
    return FALSE;
  do
    {
      g_autofree char *row = NULL;

      gtk_tree_model_get (model, &iter, VMD_SNAPSHOTS_COLUMN_NAME, &row, -1);
      if (g_strcmp0 (row, name) == 0 || find_row (model, &iter, name))
        return TRUE;
    }
  while (gtk_tree_model_iter_next (model, &iter));
  return FALSE;
}

static gboolean
snapshot_listed (gpointer data)
{
  SnapWait *w = data;

  return !vmd_snapshots_view_is_busy (w->view) &&
         (vmd_snapshots_view_get_error (w->view) != NULL ||
          find_row (vmd_snapshots_view_get_model (w->view), NULL, w->name));
}

static gboolean
window_off (gpointer data)
{
  VmdVmWindow *window = data;

  return vmd_domain_get_state (vmd_vm_window_get_domain (window)) == VMD_DOMAIN_STATE_SHUTOFF &&
         g_strcmp0 (vmd_vm_window_get_console_page (window), "off") == 0;
}

/* ---------------------------------------------------------------- case */

static const char vm_window_xml[] =
  "<domain type='qemu'>\n"
  "  <name>vmw-guest</name>\n"
  "  <memory unit='MiB'>128</memory>\n"
  "  <vcpu>1</vcpu>\n"
  "  <os><type arch='x86_64' machine='pc'>hvm</type>"
  "<kernel>%s/vmlinuz</kernel><initrd>%s/initrd.img</initrd>"
  "<cmdline>console=ttyS0 console=tty0</cmdline></os>\n"
  "  <features><acpi/></features>\n"
  "  <devices>\n"
  "    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
  "<source file='%s'/><target dev='vda' bus='virtio'/></disk>\n"
  "    <serial type='pty'><target port='0'/></serial>\n"
  "%s"
  "  </devices>\n"
  "</domain>\n";

static const char vnc_devices[] =
  "    <graphics type='vnc'/>\n"
  "    <video><model type='vga'/></video>\n";

/* SPICE with QXL, the agent's channel (the guest has no agent: the
 * channel is there, nobody answers) and a USB redirection channel. */
static const char spice_devices[] =
  "    <graphics type='spice'/>\n"
  "    <video><model type='qxl'/></video>\n"
  "    <controller type='usb' model='piix3-uhci'/>\n"
  "    <channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>\n"
  "    <redirdev bus='usb' type='spicevmc'/>\n";

/* Builds the guest's disk in @tmp, opens the engine on folders below
 * @tmp and defines the guest with @devices. */
static VmdDomain *
define_vm (const char *tmp, const char *devices, VmdQemuConnection **conn_out)
{
  const char *guest_dir = g_getenv ("VMD_GUEST_DIR");
  const char *builder = g_getenv ("VMD_GUEST_BUILDER");
  g_autofree char *xdg_data = g_build_filename (tmp, "x", NULL);
  g_autofree char *data = g_build_filename (xdg_data, "vmdesk", NULL);
  g_autofree char *run = g_build_filename (tmp, "r", NULL);
  g_autofree char *disk = g_build_filename (tmp, "disk.qcow2", NULL);
  g_autofree char *backing = NULL;
  g_autofree char *xml = NULL;
  g_autoptr (VmdQemuConnection) conn = NULL;
  g_autoptr (VmdDomainConfig) config = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  VmdDomain *domain;

  g_assert_nonnull (guest_dir);
  g_assert_nonnull (builder);
  g_mkdir_with_parents (data, 0700);
  g_mkdir_with_parents (run, 0700);
  g_setenv ("XDG_DATA_HOME", xdg_data, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", run, TRUE);

  note ("building the test guest (cached)");
  {
    const char *argv[] = { builder, guest_dir, NULL };
    run_or_fail (argv, "build-guest");
  }
  backing = g_build_filename (guest_dir, "disk.qcow2", NULL);
  {
    const char *argv[] = { "qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b",
                           backing, disk, NULL };
    run_or_fail (argv, "qemu-img create");
  }

  conn = vmd_qemu_connection_new (data, run);
  vmd_connection_open_async (VMD_CONNECTION (conn), NULL, store_result, &result);
  if (!vmd_connection_open_finish (VMD_CONNECTION (conn), await_result (&result, 30, "open"),
                                   &error))
    FAIL ("the connection could not be opened: %s", error->message);
  g_clear_object (&result);

  xml = g_strdup_printf (vm_window_xml, guest_dir, guest_dir, disk, devices);
  config = vmd_domain_config_new_from_xml (xml, -1, &error);
  g_assert_no_error (error);
  vmd_connection_define_async (VMD_CONNECTION (conn), config, NULL, store_result, &result);
  domain = vmd_connection_define_finish (VMD_CONNECTION (conn),
                                         await_result (&result, 30, "define"), &error);
  g_assert_no_error (error);
  *conn_out = g_steal_pointer (&conn);
  return domain;
}

static void
run_case (const char *tmp)
{
  g_autoptr (VmdQemuConnection) conn = NULL;
  g_autoptr (VmdDomain) domain = define_vm (tmp, vnc_devices, &conn);
  VmdVmWindow *window;
  VmdConsole *serial;
  VteTerminal *terminal;
  VmdSnapshotsView *view;
  GtkDialog *dialog = NULL;
  guint resets = 0;
  GPid pid;

  /* The window comes first: it shows the off page, and Run starts it. */
  window = vmd_vm_window_new (NULL, domain);
  gtk_widget_show (GTK_WIDGET (window));
  spin_for (300);
  g_assert_cmpstr (vmd_vm_window_get_console_page (window), ==, "off");
  save_window (GTK_WIDGET (window), "vm-window-0-off-before.png");

  note ("starting the guest through win.run");
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);

  {
    ConsoleWait w = { window, 0 };
    if (!spin_until (console_shows_frame, &w, 120000))
      FAIL ("the VNC console shows no frame with colours within 120 s: page “%s”, %u colours, "
            "domain %s, window error: %s",
            vmd_vm_window_get_console_page (window), w.colours,
            vmd_domain_state_to_string (vmd_domain_get_state (domain)),
            vmd_vm_window_get_error (window));
    pid = vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (domain));
    printf ("# QEMU PID %d; the VNC console shows %u colours\n", pid, w.colours);
  }
  /* USB redirection and the clipboard switches are SPICE's; the guest
   * can follow the window's size with VNC too. */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "usb-devices"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "clipboard-to-guest"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "clipboard-to-host"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "resize-guest"));

  /* The grab keys chosen in Preferences reach the open console. */
  {
    g_autoptr (GSettings) settings = g_settings_new (VMD_APP_ID);
    VmdConsole *vnc = vmd_vm_window_get_console (window, NULL);
    VncGrabSequence *keys;

    g_assert_true (VMD_IS_CONSOLE_VNC (vnc));
    keys = vnc_display_get_grab_keys (VNC_DISPLAY (vmd_console_vnc_get_display (
      VMD_CONSOLE_VNC (vnc))));
    g_assert_cmpuint (keys->nkeysyms, ==, 2);
    g_assert_cmpuint (keys->keysyms[0], ==, GDK_KEY_Control_L);
    g_settings_set_string (settings, "console-grab-keys", "Control_R");
    keys = vnc_display_get_grab_keys (VNC_DISPLAY (vmd_console_vnc_get_display (
      VMD_CONSOLE_VNC (vnc))));
    g_assert_cmpuint (keys->nkeysyms, ==, 1);
    g_assert_cmpuint (keys->keysyms[0], ==, GDK_KEY_Control_R);
    g_settings_reset (settings, "console-grab-keys");
    note ("the grab keys follow Preferences (Ctrl+Alt, then Right Ctrl)");
  }

  /* A grab says how to release it, over the console: the console keeps its
   * size (a line beside it resized, and so rescaled, the guest's picture at
   * every grab and release). The pointer leaving the console gives the
   * keyboard back; entering it takes the keyboard (the pointer may have
   * rested over it). */
  {
    VmdConsole *vnc = vmd_vm_window_get_console (window, NULL);
    GtkWidget *display = GTK_WIDGET (vmd_console_vnc_get_display (VMD_CONSOLE_VNC (vnc)));
    int width = gtk_widget_get_allocated_width (display);
    int height = gtk_widget_get_allocated_height (display);
    int x, y;

    gdk_window_get_origin (gtk_widget_get_window (display), &x, &y);
    move_pointer (window, vnc, 0, 0, FALSE, width, height);
    move_pointer (window, vnc, x + width / 2, y + height / 2, TRUE, width, height);
    save_window (GTK_WIDGET (window), "vm-window-1-grabbed.png");
    move_pointer (window, vnc, 0, 0, FALSE, width, height);
    printf ("# a grab shows its hint over the console, which stays %dx%d\n", width, height);
  }

  /* VTE only processes what it is fed while it is on screen: show the
   * serial console, as a user picking it from the View menu would. */
  serial = vmd_vm_window_get_console (window, "serial0");
  g_assert_nonnull (serial);
  terminal = vmd_console_serial_get_terminal (VMD_CONSOLE_SERIAL (serial));
  g_action_group_activate_action (G_ACTION_GROUP (window), "console",
                                  g_variant_new_string ("serial0"));
  note ("waiting for the marker in the serial console's terminal");
  if (!spin_until (terminal_has_marker, terminal, 120000))
    {
      g_autofree char *text = vte_terminal_get_text (terminal, NULL, NULL, NULL);
      FAIL ("the serial terminal did not show %s within 120 s (console %s, error: %s); it "
            "shows:\n%s", MARKER,
            vmd_console_is_connected (serial) ? "connected"
            : vmd_console_is_connecting (serial) ? "connecting" : "closed",
            vmd_console_get_error (serial), text);
    }
  g_assert_cmpstr (vmd_vm_window_get_console_page (window), ==, "serial0");
  save_window (GTK_WIDGET (window), "vm-window-1-serial.png");

  /* Ctrl+Alt+Del: init is a shell script that never turns the kernel's
   * ctrl-alt-del handling off, so the kernel restarts at once: QEMU
   * reports a RESET and the guest boots and prints its marker again. */
  note ("sending Ctrl+Alt+Del through win.send-key");
  g_signal_connect (domain, "event", G_CALLBACK (count_resets), &resets);
  vte_terminal_reset (terminal, TRUE, TRUE);
  spin_for (300);
  g_assert_false (terminal_has_marker (terminal));
  g_action_group_activate_action (G_ACTION_GROUP (window), "send-key",
                                  g_variant_new_string ("ctrl+alt+delete"));
  if (!spin_until (counter_positive, &resets, 60000))
    FAIL ("the guest did not reset within 60 s of Ctrl+Alt+Del (window error: %s)",
          vmd_vm_window_get_error (window));
  g_assert_cmpint (vmd_domain_get_state (domain), ==, VMD_DOMAIN_STATE_RUNNING);
  g_assert_cmpint (vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (domain)), ==, pid);
  if (!spin_until (terminal_has_marker, terminal, 120000))
    FAIL ("after Ctrl+Alt+Del the guest did not print %s again within 120 s", MARKER);
  note ("the guest rebooted: RESET event and the marker again");

  /* Back to the graphical console: the banner of the second boot. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "console",
                                  g_variant_new_string ("graphics"));
  {
    ConsoleWait w = { window, 0 };
    if (!spin_until (console_shows_frame, &w, 30000))
      FAIL ("back on the graphical console, it shows no frame (page “%s”)",
            vmd_vm_window_get_console_page (window));
    save_window (GTK_WIDGET (window), "vm-window-2-console.png");
  }

  /* A snapshot through the page's action and its dialog. */
  view = vmd_vm_window_get_snapshots_view (window);
  vmd_vm_window_show_page (window, "snapshots");
  g_action_group_activate_action (gtk_widget_get_action_group (GTK_WIDGET (view), "snapshots"),
                                  "create", NULL);
  if (!spin_until (dialog_found, &dialog, 5000))
    FAIL ("snapshots.create showed no dialog");
  vmd_snapshot_dialog_set_name (VMD_SNAPSHOT_DIALOG (dialog), "booted");
  vmd_snapshot_dialog_set_description (VMD_SNAPSHOT_DIALOG (dialog),
                                       "The guest at its shell prompt");
  note ("creating the snapshot “booted”");
  gtk_dialog_response (dialog, GTK_RESPONSE_OK);
  {
    SnapWait w = { view, "booted" };
    if (!spin_until (snapshot_listed, &w, 180000))
      FAIL ("the snapshot “booted” is not in the tree within 180 s");
    if (vmd_snapshots_view_get_error (view) != NULL)
      FAIL ("creating the snapshot failed: %s", vmd_snapshots_view_get_error (view));
  }
  save_window (GTK_WIDGET (window), "vm-window-3-snapshots.png");

  /* Shut down: ACPI, the guest powers off, the console page says so. */
  vmd_vm_window_show_page (window, "console");
  note ("shutting down through win.shutdown");
  g_action_group_activate_action (G_ACTION_GROUP (window), "shutdown", NULL);
  if (!spin_until (window_off, window, 60000))
    FAIL ("after win.shutdown the window does not show the off page within 60 s: state %s, "
          "page “%s”", vmd_domain_state_to_string (vmd_domain_get_state (domain)),
          vmd_vm_window_get_console_page (window));
  save_window (GTK_WIDGET (window), "vm-window-4-off.png");
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "send-key"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "run"));

  gtk_widget_destroy (GTK_WIDGET (window));
  spin_for (100);
  if (!pid_gone (pid))
    kill (pid, SIGKILL);
}

typedef struct {
  GType       type;
  GtkWidget  *found;
} DialogWait;

static gboolean
toplevel_found (gpointer data)
{
  DialogWait *w = data;
  GList *toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, w->type) && gtk_widget_get_visible (l->data) &&
        gtk_window_get_transient_for (l->data) != NULL)
      w->found = l->data;
  g_list_free (toplevels);
  return w->found != NULL;
}

static gboolean
action_state (VmdVmWindow *window, const char *name)
{
  g_autoptr (GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (window), name);

  return g_variant_get_boolean (state);
}

static void
find_named_menu_button (GtkWidget *widget, gpointer data)
{
  GtkWidget **found = data;

  if (*found != NULL)
    return;
  if (GTK_IS_MENU_BUTTON (widget) &&
      g_strcmp0 (atk_object_get_name (gtk_widget_get_accessible (widget)), "View") == 0)
    *found = widget;
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_named_menu_button, data);
}

/* SPICE: the window's console speaks SPICE over sockets the engine
 * passes in (one per channel), and shows the guest's frame. */
static void
run_spice_case (const char *tmp)
{
  g_autoptr (VmdQemuConnection) conn = NULL;
  g_autoptr (VmdDomain) domain = define_vm (tmp, spice_devices, &conn);
  VmdVmWindow *window;
  VmdConsole *console;
  GPid pid;

  window = vmd_vm_window_new (NULL, domain);
  gtk_widget_show (GTK_WIDGET (window));
  spin_for (300);
  note ("starting the SPICE guest through win.run");
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  {
    ConsoleWait w = { window, 0 };
    if (!spin_until (console_shows_frame, &w, 120000))
      FAIL ("the SPICE console shows no frame with colours within 120 s: page “%s”, %u colours, "
            "domain %s, window error: %s, console error: %s",
            vmd_vm_window_get_console_page (window), w.colours,
            vmd_domain_state_to_string (vmd_domain_get_state (domain)),
            vmd_vm_window_get_error (window),
            vmd_vm_window_get_console (window, "graphics")
              ? vmd_console_get_error (vmd_vm_window_get_console (window, "graphics"))
              : "no console");
    pid = vmd_qemu_domain_get_pid (VMD_QEMU_DOMAIN (domain));
    printf ("# QEMU PID %d; the SPICE console shows %u colours\n", pid, w.colours);
  }
  console = vmd_vm_window_get_console (window, "graphics");
  g_assert_true (VMD_IS_CONSOLE_SPICE (console));
  g_assert_true (vmd_console_is_connected (console));
  save_window (GTK_WIDGET (window), "vm-window-spice-1-console.png");

  /* The View menu with its SPICE section, as a user sees it. */
  {
    GtkWidget *view = NULL;

    find_named_menu_button (GTK_WIDGET (window), &view);
    g_assert_nonnull (view);
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view), TRUE);
    save_window (GTK_WIDGET (window), "vm-window-spice-1-menu.png");
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view), FALSE);
  }

  /* The guest has a <redirdev type='spicevmc'>: the USB dialog opens
   * with spice-gtk's device list. */
  g_assert_true (vmd_console_spice_has_usbredir (VMD_CONSOLE_SPICE (console)));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "usb-devices"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "usb-devices", NULL);
  {
    DialogWait w = { GTK_TYPE_DIALOG, NULL };
    if (!spin_until (toplevel_found, &w, 5000))
      FAIL ("win.usb-devices showed no dialog");
    g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (w.found)), ==, "USB Devices");
    save_window (w.found, "vm-window-spice-2-usb.png");
    gtk_dialog_response (GTK_DIALOG (w.found), GTK_RESPONSE_CLOSE);
    spin_for (100);
  }

  /* Clipboard per direction, defaults from GSettings (both on). */
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "clipboard-to-guest"));
  g_assert_true (action_state (window, "clipboard-to-guest"));
  g_assert_true (action_state (window, "clipboard-to-host"));
  g_action_group_change_action_state (G_ACTION_GROUP (window), "clipboard-to-host",
                                      g_variant_new_boolean (FALSE));
  g_assert_false (action_state (window, "clipboard-to-host"));
  g_assert_true (action_state (window, "clipboard-to-guest"));
  {
    /* The guest has no agent: play its clipboard grab on the main
     * channel. Off, the host clipboard stays as it is; on, spice-gtk
     * claims it for the guest. */
    SpiceSession *session = vmd_console_spice_get_session (VMD_CONSOLE_SPICE (console));
    GtkClipboard *clipboard = gtk_clipboard_get (GDK_SELECTION_CLIPBOARD);
    GObject *gtk_session = G_OBJECT (spice_gtk_session_get (session));
    GList *channels = spice_session_get_channels (session);
    SpiceChannel *main_channel = NULL;
    guint32 types[] = { 1 /* VD_AGENT_CLIPBOARD_UTF8_TEXT */ };
    gboolean handled = FALSE;

    for (GList *l = channels; l; l = l->next)
      if (SPICE_IS_MAIN_CHANNEL (l->data))
        main_channel = l->data;
    g_list_free (channels);
    g_assert_nonnull (main_channel);
    g_signal_emit_by_name (main_channel, "main-clipboard-selection-grab", 0u, types, 1u,
                           &handled);
    spin_for (100);
    g_assert_true (gtk_clipboard_get_owner (clipboard) != gtk_session);
    g_action_group_change_action_state (G_ACTION_GROUP (window), "clipboard-to-host",
                                        g_variant_new_boolean (TRUE));
    g_signal_emit_by_name (main_channel, "main-clipboard-selection-grab", 0u, types, 1u,
                           &handled);
    spin_for (100);
    g_assert_true (gtk_clipboard_get_owner (clipboard) == gtk_session);
    printf ("# guest-to-host clipboard: blocked when off, claimed by spice-gtk when on\n");
  }

  /* The guest follows the window only with its agent; the toggle works. */
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "resize-guest"));
  g_action_group_change_action_state (G_ACTION_GROUP (window), "resize-guest",
                                      g_variant_new_boolean (TRUE));
  g_assert_true (action_state (window, "resize-guest"));

  /* Force Off asks first (confirm-force-off defaults to true). */
  note ("forcing the SPICE guest off, confirmed");
  g_action_group_activate_action (G_ACTION_GROUP (window), "destroy", NULL);
  {
    DialogWait w = { GTK_TYPE_MESSAGE_DIALOG, NULL };
    if (!spin_until (toplevel_found, &w, 5000))
      FAIL ("win.destroy asked nothing");
    g_assert_cmpint (vmd_domain_get_state (domain), ==, VMD_DOMAIN_STATE_RUNNING);
    save_window (w.found, "vm-window-spice-3-confirm.png");
    gtk_dialog_response (GTK_DIALOG (w.found), GTK_RESPONSE_ACCEPT);
  }
  if (!spin_until (window_off, window, 60000))
    FAIL ("after win.destroy the window does not show the off page within 60 s: state %s, "
          "page “%s”", vmd_domain_state_to_string (vmd_domain_get_state (domain)),
          vmd_vm_window_get_console_page (window));
  save_window (GTK_WIDGET (window), "vm-window-spice-4-off.png");

  gtk_widget_destroy (GTK_WIDGET (window));
  spin_for (100);
  if (!pid_gone (pid))
    kill (pid, SIGKILL);
}

/* Runs @data (a case) in a child process; kills by PID what it left. */
static void
test_in_child (gconstpointer data)
{
  void (*run) (const char *tmp) = data;
  g_autofree char *tmp = NULL;

  if (g_test_subprocess ())
    {
      start_us = g_get_monotonic_time ();
      run (g_getenv ("VMW_TMP"));
      return;
    }

  /* Short: the QMP and chardev sockets live below it. */
  tmp = g_dir_make_tmp ("vmw-XXXXXX", NULL);
  g_assert_nonnull (tmp);
  g_setenv ("VMW_TMP", tmp, TRUE);
  g_test_trap_subprocess (NULL, 600 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (kill_processes_mentioning (tmp) > 0)
    printf ("# killed what was left running from %s\n", tmp);
  remove_tree (tmp);
  g_test_trap_assert_passed ();
}

int
main (int argc, char **argv)
{
  if (g_getenv ("DISPLAY") == NULL || g_getenv ("DISPLAY")[0] == '\0')
    {
      printf ("1..0 # SKIP no DISPLAY\n");
      return 77;
    }
  g_test_init (&argc, &argv, NULL);
  gtk_init (&argc, &argv);
  g_test_add_data_func ("/vm-window/guest", run_case, test_in_child);
  g_test_add_data_func ("/vm-window/spice", run_spice_case, test_in_child);
  return g_test_run ();
}
