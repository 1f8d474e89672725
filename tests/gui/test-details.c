/* test-details.c: the Details view on the real engine and test guest,
 * under Xvfb
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each case defines the test guest (TCG) on a private embedded engine
 * (tests/engine/engine-fixture.c, which runs the case in a child and
 * kills by PID whatever it left running), opens a Details view on it in a
 * window and works its widgets as a user would: spin buttons, the XML
 * editor's text, Apply, Revert, Remove with its confirmation. What is
 * checked is what a user would notice: the saved definition (the
 * domain's and the file's), the QEMU command line of the next start (and
 * of a real start), the messages shown.
 *
 * Environment (tests/gui/meson.build): VMD_GUEST_DIR, VMD_GUEST_BUILDER,
 * VMDESK_CLI, VMD_SHOT_DIR (where the screenshots go). Skips without
 * DISPLAY.
 */
#define G_LOG_DOMAIN "test-details"
#define _GNU_SOURCE

#include <gtk/gtk.h>
#include <gtksourceview/gtksource.h>

#include "gui-fixture.h"
#include "vmd-add-hardware-dialog.h"
#include "vmd-details-view.h"
#include "vmd-qemu-command-line.h"
#include "vmd-vm-window.h"

#define APPLY_TIMEOUT 30000

/* ------------------------------------------------------------- widgets */

/* An open dialog named @name (a toplevel other than @except). */
static GtkWidget *
find_dialog (const char *name)
{
  g_autoptr (GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l; l = l->next)
    if (GTK_IS_DIALOG (l->data) && gtk_widget_get_visible (l->data) &&
        g_strcmp0 (gtk_widget_get_name (l->data), name) == 0)
      return l->data;
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog (data) != NULL;
}

static GtkWidget *
wait_dialog (const char *name)
{
  CHECK (spin_until (dialog_shown, (gpointer) name, 5000), "the dialog “%s” did not appear",
         name);
  return find_dialog (name);
}

static gboolean
not_busy (gpointer data)
{
  return !vmd_details_view_is_busy (data);
}

static void
click (GtkWidget *view, const char *name)
{
  GtkWidget *button = find_named (view, name);

  CHECK (gtk_widget_is_sensitive (button), "“%s” is not sensitive", name);
  gtk_button_clicked (GTK_BUTTON (button));
  spin_for (50);
  CHECK (spin_until (not_busy, view, APPLY_TIMEOUT), "the view is still busy after “%s”", name);
}

static void
set_spin (GtkWidget *view, const char *name, double value)
{
  GtkSpinButton *spin = GTK_SPIN_BUTTON (find_named (view, name));
  g_autofree char *text = g_strdup_printf ("%g", value);

  /* As typed: the text, then the update a focus change makes. */
  gtk_entry_set_text (GTK_ENTRY (spin), text);
  gtk_spin_button_update (spin);
  CHECK (gtk_spin_button_get_value (spin) == value, "“%s” shows %g, not %g", name,
         gtk_spin_button_get_value (spin), value);
}

static void
select_row (GtkWidget *view, const char *row)
{
  CHECK (vmd_details_view_select (VMD_DETAILS_VIEW (view), row), "no row “%s”", row);
  spin_for (50);
}

static char *
xml_text (GtkWidget *view)
{
  GtkTextView *text = GTK_TEXT_VIEW (find_named (view, "xml-view"));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (text);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
set_xml_text (GtkWidget *view, const char *xml)
{
  GtkTextView *text = GTK_TEXT_VIEW (find_named (view, "xml-view"));

  /* As the user's typing would: through the buffer the editor shows. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (text), xml, -1);
}

static GtkWidget *
open_view (Fixture *f, VmdDomain *d, GtkWidget **window)
{
  GtkWidget *view = vmd_details_view_new (d);

  *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  gtk_window_set_default_size (GTK_WINDOW (*window), 1000, 700);
  gtk_window_set_title (GTK_WINDOW (*window), vmd_domain_get_name (d));
  gtk_container_add (GTK_CONTAINER (*window), view);
  gtk_widget_show (*window);
  spin_for (300);
  return view;
}

/* --------------------------------------------------------------- checks */

static char *
next_command_line (Fixture *f, VmdDomain *d)
{
  g_autoptr (GError) error = NULL;
  char *text = vmd_qemu_connection_get_command_line (VMD_QEMU_CONNECTION (f->conn),
                                                     vmd_domain_get_config (d), &error);

  CHECK (text != NULL, "no command line for “%s”: %s", vmd_domain_get_name (d),
         error ? error->message : "?");
  return text;
}

/* The running QEMU's own argv, as one string. */
static char *
running_command_line (Fixture *f, VmdDomain *d)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/cmdline", qemu_pid (f, d));
  char *text = NULL;
  gsize len = 0;

  CHECK (g_file_get_contents (path, &text, &len, NULL), "%s cannot be read", path);
  for (gsize i = 0; i + 1 < len; i++)
    if (text[i] == '\0')
      text[i] = ' ';
  return text;
}

static GtkWidget *
find_add_hardware (void)
{
  g_autoptr (GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l; l = l->next)
    if (VMD_IS_ADD_HARDWARE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
add_hardware_shown (gpointer data)
{
  return find_add_hardware () != NULL;
}

static void
expect_no_error (GtkWidget *view, const char *what)
{
  const char *error = vmd_details_view_get_error (VMD_DETAILS_VIEW (view));

  CHECK (error == NULL, "%s failed: %s", what, error);
}

/* Apply, and the view applied it without an error. */
static void
apply_ok (GtkWidget *view)
{
  click (view, "apply-button");
  expect_no_error (view, "Apply");
}

/* Add Hardware ▸ RNG, accepted, and the view done applying it. */
static void
add_rng (GtkWidget *view)
{
  GtkWidget *dialog;

  gtk_button_clicked (GTK_BUTTON (find_named (view, "add-hardware-button")));
  CHECK (spin_until (add_hardware_shown, NULL, 5000), "Add Hardware did not open");
  dialog = find_add_hardware ();
  vmd_add_hardware_dialog_select (VMD_ADD_HARDWARE_DIALOG (dialog), "rng");
  spin_for (200);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  spin_for (100);
  CHECK (spin_until (not_busy, view, APPLY_TIMEOUT), "adding did not finish");
  expect_no_error (view, "Add");
}

/* Remove on the selected device, confirmed, and the view done removing it. */
static void
remove_selected (GtkWidget *view)
{
  GtkWidget *dialog;

  gtk_button_clicked (GTK_BUTTON (find_named (view, "remove-device-button")));
  dialog = wait_dialog ("remove-device-dialog");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  spin_for (100);
  CHECK (spin_until (not_busy, view, APPLY_TIMEOUT), "removing did not finish");
  expect_no_error (view, "Remove");
}

/* Runs @command in the guest's shell until its output has @answer, up
 * to @tries times, half a second apart. */
static gboolean
guest_says (Serial *s, const char *command, const char *answer, guint tries)
{
  g_autofree char *line = g_strconcat (command, "\n", NULL);

  for (guint i = 0; i < tries; i++)
    {
      gsize start = s->text->len;

      serial_write (s, line);
      serial_wait (s, command, CMD_TIMEOUT, command);
      serial_wait (s, PROMPT, CMD_TIMEOUT, command);
      if (memmem (s->text->str + start, s->text->len - start, answer, strlen (answer)) != NULL)
        return TRUE;
      spin_for (500);
    }
  return FALSE;
}

/* virtio-rng, legacy or modern, among the guest's PCI devices (short:
 * the guest's terminal wraps at 80 columns) */
#define RNG_COUNT "echo R-$(cat /sys/bus/pci/devices/*/device|grep -cE '1005|1044')-E"

/* --------------------------------------------------------------- cases */

/* vCPUs and memory changed through the widgets of a shut-off VM reach
 * the definition and the next start's command line. */
static void
case_cpus_memory (Fixture *f)
{
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "details-a", NULL);
  GtkWidget *window = NULL;
  GtkWidget *view = open_view (f, d, &window);
  g_autofree char *file = NULL;
  g_autofree char *argv = NULL;
  g_autofree char *running = NULL;
  GtkWidget *apply = find_named (view, "apply-button");
  Serial *s;

  step (f, "the Overview page");
  select_row (view, "overview");
  CHECK (!gtk_widget_is_sensitive (apply), "Apply is sensitive before any change");
  CHECK (g_str_equal (gtk_entry_get_text (GTK_ENTRY (find_named (view, "name-entry"))),
                      "details-a"), "the name field does not show the VM's name");
  save_window (window, "details-overview.png");

  step (f, "2 vCPUs");
  select_row (view, "cpus");
  set_spin (view, "vcpus-spin", 2);
  CHECK (vmd_details_view_has_changes (VMD_DETAILS_VIEW (view)), "no change after an edit");
  CHECK (gtk_widget_is_sensitive (apply), "Apply is not sensitive after an edit");
  apply_ok (view);
  CHECK (vmd_domain_config_get_vcpus (vmd_domain_get_config (d)) == 2,
         "the definition has %u vCPUs", vmd_domain_config_get_vcpus (vmd_domain_get_config (d)));
  CHECK (!gtk_widget_is_sensitive (apply), "Apply stays sensitive after applying");

  step (f, "192 MiB, 160 MiB now");
  select_row (view, "memory");
  CHECK (g_str_equal (vmd_details_view_get_selected (VMD_DETAILS_VIEW (view)), "memory"),
         "the Memory page is not shown (%s is)",
         vmd_details_view_get_selected (VMD_DETAILS_VIEW (view)));
  set_spin (view, "max-memory-spin", 192);
  set_spin (view, "current-memory-spin", 160);
  apply_ok (view);
  CHECK (vmd_domain_config_get_memory (vmd_domain_get_config (d)) == 192 * 1024,
         "the definition has %" G_GUINT64_FORMAT " KiB",
         vmd_domain_config_get_memory (vmd_domain_get_config (d)));
  CHECK (vmd_domain_config_get_current_memory (vmd_domain_get_config (d)) == 160 * 1024,
         "the definition's current memory is %" G_GUINT64_FORMAT " KiB",
         vmd_domain_config_get_current_memory (vmd_domain_get_config (d)));

  step (f, "the definition file and the next command line");
  file = definition_file (f, d);
  CHECK (strstr (file, ">2</vcpu>") != NULL, "the file has no 2 vCPUs:\n%s", file);
  CHECK (strstr (file, "<memory unit='KiB'>196608</memory>") != NULL ||
         strstr (file, "<memory unit='MiB'>192</memory>") != NULL,
         "the file has no 192 MiB:\n%s", file);
  argv = next_command_line (f, d);
  CHECK (strstr (argv, "-smp 2") != NULL || strstr (argv, "-smp cpus=2") != NULL ||
         strstr (argv, "-smp 2,") != NULL, "the command line has no 2 CPUs: %s", argv);
  CHECK (strstr (argv, "-m 192") != NULL || strstr (argv, "size=192M") != NULL ||
         strstr (argv, "-m size=196608k") != NULL, "the command line has no 192 MiB: %s", argv);

  step (f, "the QEMU Command Line tab shows it");
  vmd_details_view_show_tab (VMD_DETAILS_VIEW (view), "qemu");
  spin_for (100);
  {
    GtkTextBuffer *buffer =
      gtk_text_view_get_buffer (GTK_TEXT_VIEW (find_named (view, "qemu-command-line")));
    g_autofree char *shown = NULL;
    GtkTextIter start, end;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    shown = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    CHECK (g_str_equal (shown, argv), "the tab shows %s, not %s", shown, argv);
    gtk_button_clicked (GTK_BUTTON (find_named (view, "copy-command-line-button")));
    {
      GtkClipboard *clipboard = gtk_widget_get_clipboard (view, GDK_SELECTION_CLIPBOARD);
      g_autofree char *copied = gtk_clipboard_wait_for_text (clipboard);

      CHECK (g_strcmp0 (copied, argv) == 0, "Copy put “%s” on the clipboard", copied);
    }
  }
  vmd_details_view_show_tab (VMD_DETAILS_VIEW (view), "details");

  step (f, "a real start has them");
  s = boot (f, d, "VMDESK-GUEST-READY kernel");
  running = running_command_line (f, d);
  CHECK (strstr (running, "-smp 2") != NULL || strstr (running, "cpus=2") != NULL,
         "QEMU runs without 2 CPUs: %s", running);
  CHECK (strstr (running, "-m 192") != NULL || strstr (running, "size=192M") != NULL ||
         strstr (running, "196608k") != NULL, "QEMU runs without 192 MiB: %s", running);
  CHECK (guest_says (s, "echo C-$(grep -c ^processor /proc/cpuinfo)-E", "C-2-E", 1),
         "the guest does not see 2 CPUs");

  step (f, "the current memory of the running VM changes at once");
  spin_for (200);
  select_row (view, "memory");
  set_spin (view, "current-memory-spin", 150);
  apply_ok (view);
  CHECK (vmd_domain_config_get_current_memory (vmd_domain_get_config (d)) == 150 * 1024,
         "the definition's current memory is %" G_GUINT64_FORMAT " KiB",
         vmd_domain_config_get_current_memory (vmd_domain_get_config (d)));
  CHECK (!vmd_details_view_needs_restart (VMD_DETAILS_VIEW (view)) &&
         !gtk_widget_get_visible (find_named (view, "restart-notice")),
         "the balloon change is said to wait for the next boot");

  step (f, "1 vCPU on the running VM waits for the next boot, and says so");
  select_row (view, "cpus");
  set_spin (view, "vcpus-spin", 1);
  apply_ok (view);
  CHECK (vmd_domain_config_get_vcpus (vmd_domain_get_config (d)) == 1,
         "the definition has %u vCPUs", vmd_domain_config_get_vcpus (vmd_domain_get_config (d)));
  CHECK (vmd_details_view_needs_restart (VMD_DETAILS_VIEW (view)) &&
         gtk_widget_get_visible (find_named (view, "restart-notice")),
         "no notice that the change waits for the next boot");
  CHECK (g_str_equal (gtk_label_get_text (GTK_LABEL (find_named (view, "restart-notice"))),
                      "These changes take effect after the VM is shut down."),
         "the notice says “%s”",
         gtk_label_get_text (GTK_LABEL (find_named (view, "restart-notice"))));
  step (f, "Add Hardware on the running VM plugs the device in");
  {
    g_autoptr (GPtrArray) rngs = NULL;

    add_rng (view);
    CHECK (vmd_domain_get_state (d) == VMD_DOMAIN_STATE_RUNNING, "the VM is %s after adding",
           state_name (vmd_domain_get_state (d)));
    rngs = vmd_domain_config_get_devices_of_kind (vmd_domain_get_config (d), "rng");
    CHECK (rngs->len == 1, "the definition has %u RNGs", rngs->len);
    CHECK (guest_says (s, RNG_COUNT, "R-1-E", 20), "the guest does not see the new RNG");
  }

  step (f, "Remove on the running VM unplugs it");
  {
    g_autoptr (GPtrArray) rngs = NULL;

    select_row (view, "device:rng:0");
    remove_selected (view);
    rngs = vmd_domain_config_get_devices_of_kind (vmd_domain_get_config (d), "rng");
    CHECK (rngs->len == 0, "the definition still has %u RNGs", rngs->len);
    CHECK (guest_says (s, RNG_COUNT, "R-0-E", 20), "the guest still sees the RNG");
  }

  DOM_OK (d, destroy);
  spin_for (200);
  CHECK (!gtk_widget_get_visible (find_named (view, "restart-notice")),
         "the notice stays once the VM is off");
  gtk_widget_destroy (window);
}

/* A broken XML edit is refused with its line; the definition stays. */
static void
case_xml (Fixture *f)
{
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "details-x", NULL);
  GtkWidget *window = NULL;
  GtkWidget *view = open_view (f, d, &window);
  g_autofree char *before = vmd_domain_config_to_xml (vmd_domain_get_config (d));
  g_autofree char *file_before = definition_file (f, d);
  g_autofree char *file_after = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *after = NULL;
  g_autoptr (GString) broken = NULL;
  const char *error;

  step (f, "the XML tab shows the definition");
  select_row (view, "overview");
  vmd_details_view_show_tab (VMD_DETAILS_VIEW (view), "xml");
  spin_for (100);
  shown = xml_text (view);
  CHECK (g_str_equal (shown, before), "the XML tab shows\n%s\nnot\n%s", shown, before);
  save_window (window, "details-xml.png");

  step (f, "an element left open");
  broken = g_string_new (shown);
  CHECK (g_string_replace (broken, "</name>", "", 1) == 1, "no </name> in the XML");
  CHECK (strstr (shown, "<name>") - shown < 80, "<name> is not near the top");
  set_xml_text (view, broken->str);
  CHECK (vmd_details_view_has_changes (VMD_DETAILS_VIEW (view)), "the XML edit is no change");
  click (view, "apply-button");
  error = vmd_details_view_get_error (VMD_DETAILS_VIEW (view));
  CHECK (error != NULL, "the broken XML was accepted");
  CHECK (strstr (error, "line ") != NULL, "the error names no line: %s", error);
  CHECK (gtk_widget_get_visible (find_named (view, "details-error")),
         "the error is not shown");
  printf ("# refused: %s\n", error);
  {
    GtkTextBuffer *buffer =
      gtk_text_view_get_buffer (GTK_TEXT_VIEW (find_named (view, "xml-view")));
    GtkTextIter cursor;
    int named = atoi (strstr (error, "line ") + 5);

    gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
    CHECK (gtk_text_iter_get_line (&cursor) + 1 == named,
           "the cursor is on line %d, not on line %d the error names",
           gtk_text_iter_get_line (&cursor) + 1, named);
  }
  after = vmd_domain_config_to_xml (vmd_domain_get_config (d));
  CHECK (g_str_equal (after, before), "the definition changed:\n%s", after);
  file_after = definition_file (f, d);
  CHECK (g_str_equal (file_after, file_before), "the definition file changed:\n%s", file_after);
  CHECK (vmd_details_view_has_changes (VMD_DETAILS_VIEW (view)),
         "the user's edit is gone after the refusal");

  step (f, "well-formed but not a definition libvirt accepts");
  {
    g_autoptr (GString) invalid = g_string_new (shown);
    g_autofree char *now = NULL;

    g_string_replace (invalid, "<vcpu", "<vcpu bogus='1'", 1);
    set_xml_text (view, invalid->str);
    click (view, "apply-button");
    error = vmd_details_view_get_error (VMD_DETAILS_VIEW (view));
    CHECK (error != NULL, "an attribute outside the schema was accepted");
    printf ("# refused: %s\n", error);
    now = vmd_domain_config_to_xml (vmd_domain_get_config (d));
    CHECK (g_str_equal (now, before), "the definition changed:\n%s", now);
  }

  step (f, "a good edit is saved");
  {
    g_autoptr (GString) good = g_string_new (shown);
    g_autofree char *title = NULL;

    g_string_replace (good, "</name>", "</name>\n  <title>Edited in XML</title>", 1);
    set_xml_text (view, good->str);
    apply_ok (view);
    title = vmd_domain_config_get_title (vmd_domain_get_config (d));
    CHECK (g_strcmp0 (title, "Edited in XML") == 0, "the title is %s", title);
  }

  step (f, "a device's own XML");
  select_row (view, "device:video:0");
  vmd_details_view_show_tab (VMD_DETAILS_VIEW (view), "xml");
  spin_for (100);
  {
    g_autofree char *device_xml = xml_text (view);
    g_autoptr (GString) edited = g_string_new (device_xml);
    g_autofree char *now = NULL;

    CHECK (g_str_has_prefix (device_xml, "<video>"), "the XML tab shows %s for the video",
           device_xml);
    CHECK (g_string_replace (edited, "type='vga'", "type='cirrus'", 1) == 1,
           "no VGA model in %s", device_xml);
    set_xml_text (view, edited->str);
    apply_ok (view);
    now = vmd_domain_config_to_xml (vmd_domain_get_config (d));
    CHECK (strstr (now, "<model type='cirrus'/>") != NULL && strstr (now, "'vga'") == NULL,
           "the video is not Cirrus now:\n%s", now);
  }
  select_row (view, "overview");

  step (f, "a new name on the Overview page renames the VM");
  vmd_details_view_show_tab (VMD_DETAILS_VIEW (view), "details");
  gtk_entry_set_text (GTK_ENTRY (find_named (view, "name-entry")), "");
  CHECK (gtk_widget_get_visible (find_named (view, "name-message")), "no message for no name");
  gtk_entry_set_text (GTK_ENTRY (find_named (view, "name-entry")), "details-renamed");
  CHECK (!gtk_widget_get_visible (find_named (view, "name-message")), "the message stays");
  apply_ok (view);
  CHECK (g_str_equal (vmd_domain_get_name (d), "details-renamed"), "the VM is called %s",
         vmd_domain_get_name (d));
  CHECK (vmd_connection_lookup_domain (f->conn, "details-x") == NULL,
         "the old name still finds the VM");
  gtk_widget_destroy (window);
}

static gboolean
models_listed (gpointer data)
{
  GtkTreeModel *model = gtk_combo_box_get_model (data);

  /* The three fixed choices, then QEMU's list. */
  return gtk_tree_model_iter_n_children (model, NULL) > 10;
}

/* Revert puts the fields back; the topology must multiply out. */
static void
case_revert_topology (Fixture *f)
{
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "details-r", NULL);
  GtkWidget *window = NULL;
  GtkWidget *view = open_view (f, d, &window);
  GtkLabel *message;
  g_autofree char *before = vmd_domain_config_to_xml (vmd_domain_get_config (d));
  g_autofree char *after = NULL;

  step (f, "more memory than the computer has");
  select_row (view, "memory");
  {
    long pages = sysconf (_SC_PHYS_PAGES), size = sysconf (_SC_PAGESIZE);
    double host_mib = (double) pages * size / (1024 * 1024);
    GtkLabel *memory_message = GTK_LABEL (find_named (view, "memory-message"));

    set_spin (view, "max-memory-spin", (guint64) host_mib + 1024);
    CHECK (gtk_widget_get_visible (GTK_WIDGET (memory_message)) &&
           strstr (gtk_label_get_text (memory_message), "larger than this computer") != NULL,
           "no message for more memory than the host has: “%s”",
           gtk_label_get_text (memory_message));
    printf ("# memory: %s\n", gtk_label_get_text (memory_message));
    save_window (window, "details-memory.png");
    click (view, "apply-button");
    CHECK (vmd_details_view_get_error (VMD_DETAILS_VIEW (view)) != NULL,
           "more memory than the host has was applied");
    CHECK (vmd_domain_config_get_memory (vmd_domain_get_config (d)) == 128 * 1024,
           "the definition's memory changed");
  }

  step (f, "Revert");
  set_spin (view, "max-memory-spin", 300);
  CHECK (gtk_widget_is_sensitive (find_named (view, "revert-button")),
         "Revert is not sensitive after an edit");
  click (view, "revert-button");
  CHECK (gtk_spin_button_get_value (GTK_SPIN_BUTTON (find_named (view, "max-memory-spin"))) ==
         128, "Revert left %g MiB",
         gtk_spin_button_get_value (GTK_SPIN_BUTTON (find_named (view, "max-memory-spin"))));
  CHECK (!vmd_details_view_has_changes (VMD_DETAILS_VIEW (view)), "changes left after Revert");
  CHECK (!gtk_widget_is_sensitive (find_named (view, "apply-button")),
         "Apply is sensitive after Revert");

  step (f, "a topology that does not multiply out");
  select_row (view, "cpus");
  set_spin (view, "vcpus-spin", 4);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find_named (view, "topology-check")), TRUE);
  set_spin (view, "sockets-spin", 1);
  set_spin (view, "cores-spin", 3);
  set_spin (view, "threads-spin", 1);
  message = GTK_LABEL (find_named (view, "topology-message"));
  CHECK (gtk_widget_get_visible (GTK_WIDGET (message)), "no topology message");
  CHECK (strstr (gtk_label_get_text (message), "make 3 vCPUs, not 4") != NULL,
         "the topology message says “%s”", gtk_label_get_text (message));
  printf ("# topology: %s\n", gtk_label_get_text (message));
  save_window (window, "details-cpus.png");
  click (view, "apply-button");
  CHECK (vmd_details_view_get_error (VMD_DETAILS_VIEW (view)) != NULL,
         "a topology of 3 for 4 vCPUs was applied");
  after = vmd_domain_config_to_xml (vmd_domain_get_config (d));
  CHECK (g_str_equal (after, before), "the definition changed:\n%s", after);

  step (f, "2 cores × 2 threads make 4");
  set_spin (view, "cores-spin", 2);
  set_spin (view, "threads-spin", 2);
  CHECK (!gtk_widget_get_visible (GTK_WIDGET (message)), "the topology message stays: %s",
         gtk_label_get_text (message));
  apply_ok (view);
  {
    guint s = 0, c = 0, t = 0;

    CHECK (vmd_domain_config_get_cpu_topology (vmd_domain_get_config (d), &s, &c, &t) &&
           s == 1 && c == 2 && t == 2, "the definition's topology is %u/%u/%u", s, c, t);
  }

  step (f, "a CPU model from QEMU's list");
  {
    GtkComboBox *combo = GTK_COMBO_BOX (find_named (view, "cpu-model-combo"));
    g_autofree char *argv = NULL;
    g_autofree char *model = NULL;

    CHECK (spin_until (models_listed, combo, 60000), "QEMU's CPU models are not listed");
    CHECK (gtk_combo_box_set_active_id (combo, "model:Nehalem"), "Nehalem is not listed");
    apply_ok (view);
    model = vmd_domain_config_get_cpu_model (vmd_domain_get_config (d));
    CHECK (g_strcmp0 (model, "Nehalem") == 0, "the definition's CPU model is %s", model);
    argv = next_command_line (f, d);
    CHECK (strstr (argv, "-cpu Nehalem") != NULL, "the command line has no Nehalem: %s", argv);
  }

  step (f, "leaving a changed page asks first");
  set_spin (view, "vcpus-spin", 2);
  set_spin (view, "cores-spin", 1);
  vmd_details_view_select (VMD_DETAILS_VIEW (view), "memory");
  {
    GtkWidget *dialog = wait_dialog ("unapplied-changes-dialog");

    CHECK (g_str_equal (vmd_details_view_get_selected (VMD_DETAILS_VIEW (view)), "cpus"),
           "the view left the changed page before the answer");
    gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  }
  CHECK (spin_until (not_busy, view, APPLY_TIMEOUT), "applying on leaving did not finish");
  spin_for (100);
  CHECK (vmd_domain_config_get_vcpus (vmd_domain_get_config (d)) == 2,
         "the answer Apply did not apply (%u vCPUs)",
         vmd_domain_config_get_vcpus (vmd_domain_get_config (d)));
  CHECK (g_str_equal (vmd_details_view_get_selected (VMD_DETAILS_VIEW (view)), "memory"),
         "the view did not go on to Memory after applying");

  step (f, "the XML tab too asks first; Cancel stays");
  set_spin (view, "max-memory-spin", 512);
  vmd_details_view_show_tab (VMD_DETAILS_VIEW (view), "xml");
  gtk_dialog_response (GTK_DIALOG (wait_dialog ("unapplied-changes-dialog")),
                       GTK_RESPONSE_CANCEL);
  spin_for (100);
  CHECK (g_str_equal (gtk_stack_get_visible_child_name (GTK_STACK (find_named (view, "tabs"))),
                      "details"), "the view left the Details tab after Cancel");
  CHECK (vmd_details_view_has_changes (VMD_DETAILS_VIEW (view)), "Cancel lost the edit");

  step (f, "Discard forgets the edit and goes on");
  set_spin (view, "max-memory-spin", 512);
  vmd_details_view_select (VMD_DETAILS_VIEW (view), "boot");
  gtk_dialog_response (GTK_DIALOG (wait_dialog ("unapplied-changes-dialog")),
                       GTK_RESPONSE_REJECT);
  spin_for (100);
  CHECK (g_str_equal (vmd_details_view_get_selected (VMD_DETAILS_VIEW (view)), "boot"),
         "the view did not go on to Boot Options after Discard");
  CHECK (!vmd_details_view_has_changes (VMD_DETAILS_VIEW (view)), "changes left after Discard");
  CHECK (vmd_domain_config_get_memory (vmd_domain_get_config (d)) == 128 * 1024,
         "Discard saved the memory");
  CHECK (gtk_spin_button_get_value (GTK_SPIN_BUTTON (find_named (view, "max-memory-spin"))) ==
         128, "the Memory page still shows the discarded %g MiB",
         gtk_spin_button_get_value (GTK_SPIN_BUTTON (find_named (view, "max-memory-spin"))));
  gtk_widget_destroy (window);
}

static guint
count_serials (VmdDomain *d)
{
  g_autoptr (GPtrArray) serials =
    vmd_domain_config_get_devices_of_kind (vmd_domain_get_config (d), "serial");
  return serials->len;
}

/* Remove asks first; Cancel keeps the device, Remove removes it. */
static void
case_remove (Fixture *f)
{
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "details-d", NULL);
  GtkWidget *window = NULL;
  GtkWidget *view = open_view (f, d, &window);
  GtkWidget *dialog;

  CHECK (count_serials (d) == 1, "the guest has %u serial ports", count_serials (d));
  select_row (view, "device:serial:0");
  CHECK (!gtk_widget_is_sensitive (find_named (view, "apply-button")), "Apply is sensitive");
  save_window (window, "details-serial.png");

  step (f, "Remove, then Cancel");
  gtk_button_clicked (GTK_BUTTON (find_named (view, "remove-device-button")));
  dialog = wait_dialog ("remove-device-dialog");
  printf ("# asked: %s\n", gtk_window_get_title (GTK_WINDOW (dialog)) ?: "");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  spin_for (300);
  CHECK (find_dialog ("remove-device-dialog") == NULL, "the dialog stays after Cancel");
  CHECK (count_serials (d) == 1, "Cancel removed the serial port");
  CHECK (vmd_details_view_get_page (VMD_DETAILS_VIEW (view), "device:serial:0") != NULL,
         "the serial port's row went after Cancel");

  step (f, "Remove, then Remove");
  remove_selected (view);
  CHECK (count_serials (d) == 0, "the serial port is still in the definition");
  CHECK (vmd_details_view_get_page (VMD_DETAILS_VIEW (view), "device:serial:0") == NULL,
         "the serial port still has a row");
  {
    g_autofree char *file = definition_file (f, d);
    CHECK (strstr (file, "<serial") == NULL, "the definition file still has it:\n%s", file);
  }

  step (f, "Remove without the question (Preferences: confirm-remove-device off)");
  {
    g_autoptr (GSettings) settings = g_settings_new (VMD_APP_ID);
    g_autoptr (GPtrArray) videos = NULL;

    g_settings_set_boolean (settings, "confirm-remove-device", FALSE);
    select_row (view, "device:video:0");
    gtk_button_clicked (GTK_BUTTON (find_named (view, "remove-device-button")));
    CHECK (find_dialog ("remove-device-dialog") == NULL, "it asked although told not to");
    spin_for (1000);
    videos = vmd_domain_config_get_devices (vmd_domain_get_config (d), VMD_TYPE_DEVICE_VIDEO);
    CHECK (videos->len == 0, "the video device is still there");
    g_settings_reset (settings, "confirm-remove-device");
  }
  gtk_widget_destroy (window);
}

static gboolean
model_has_rows (gpointer data)
{
  GtkTreeModel *model = gtk_tree_view_get_model (data);
  GtkTreeIter iter;

  return gtk_tree_model_get_iter_first (model, &iter);
}

/* The OS from libosinfo's list, the boot menu, order and kernel
 * arguments reach the definition and the command line. */
static void
case_os_boot (Fixture *f)
{
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "details-o", NULL);
  GtkWidget *window = NULL;
  GtkWidget *view = open_view (f, d, &window);
  GtkTreeView *tree;
  GtkTreeModel *model;
  GtkTreeIter iter;
  g_autofree char *os = NULL;
  g_autofree char *file = NULL;
  g_autofree char *argv = NULL;
  gboolean found = FALSE;

  step (f, "Debian 11 from the searchable list");
  select_row (view, "os");
  tree = GTK_TREE_VIEW (find_named (view, "os-list"));
  CHECK (spin_until (model_has_rows, tree, 60000), "the OS list stays empty");
  gtk_entry_set_text (GTK_ENTRY (find_named (view, "os-search-entry")), "debian 11");
  /* The search entry waits a moment before it says so. */
  spin_for (600);
  model = gtk_tree_view_get_model (tree);
  CHECK (gtk_tree_model_get_iter_first (model, &iter), "nothing matches “debian 11”");
  do
    {
      g_autofree char *id = NULL;

      gtk_tree_model_get (model, &iter, 0, &id, -1);
      if (g_strcmp0 (id, "http://debian.org/debian/11") == 0)
        {
          gtk_tree_selection_select_iter (gtk_tree_view_get_selection (tree), &iter);
          found = TRUE;
        }
      else
        {
          g_autofree char *name = NULL;

          gtk_tree_model_get (model, &iter, 1, &name, -1);
          CHECK (strstr (name, "11") != NULL || strstr (id, "11") != NULL,
                 "“%s” matches “debian 11”", name);
        }
    }
  while (gtk_tree_model_iter_next (model, &iter));
  CHECK (found, "Debian 11 is not in the filtered list");
  save_window (window, "details-os.png");
  CHECK (g_str_equal (gtk_label_get_text (GTK_LABEL (find_named (view, "os-current-label"))),
                      "Debian 11"), "the page says the OS is “%s”",
         gtk_label_get_text (GTK_LABEL (find_named (view, "os-current-label"))));
  apply_ok (view);
  os = vmd_domain_config_get_os_id (vmd_domain_get_config (d));
  CHECK (g_strcmp0 (os, "http://debian.org/debian/11") == 0, "the definition's OS is %s", os);

  step (f, "boot menu, the disk first, kernel arguments");
  select_row (view, "boot");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find_named (view, "boot-menu-check")), TRUE);
  {
    GtkListBox *list = GTK_LIST_BOX (find_named (view, "boot-order-list"));
    GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, 0);
    GtkToggleButton *check = g_object_get_data (G_OBJECT (row), "check");

    CHECK (check != NULL, "the boot list's row has no check box");
    gtk_toggle_button_set_active (check, TRUE);
  }
  gtk_entry_set_text (GTK_ENTRY (find_named (view, "cmdline-entry")),
                      "console=ttyS0 console=tty0 quiet");
  save_window (window, "details-boot.png");
  apply_ok (view);
  file = definition_file (f, d);
  CHECK (strstr (file, "<bootmenu enable='yes'/>") != NULL, "no boot menu in:\n%s", file);
  CHECK (strstr (file, "<boot order='1'/>") != NULL, "the disk has no boot order:\n%s", file);
  CHECK (strstr (file, "quiet</cmdline>") != NULL, "no kernel arguments in:\n%s", file);
  CHECK (strstr (file, "http://debian.org/debian/11") != NULL, "the OS is gone:\n%s", file);
  argv = next_command_line (f, d);
  CHECK (strstr (argv, "quiet") != NULL, "the command line has no “quiet”: %s", argv);
  CHECK (strstr (argv, "menu=on") != NULL, "the command line has no boot menu: %s", argv);
  CHECK (strstr (argv, "\"bootindex\":1") != NULL || strstr (argv, "bootindex=1") != NULL,
         "the command line has no boot index: %s",
         argv);
  gtk_widget_destroy (window);
}

/* Add Hardware's new device joins the definition and gets its row. */
static void
case_add_hardware (Fixture *f)
{
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "details-h", NULL);
  GtkWidget *window = NULL;
  GtkWidget *view = open_view (f, d, &window);
  g_autoptr (GPtrArray) rngs = NULL;
  g_autofree char *file = NULL;

  step (f, "Add Hardware, a random number generator");
  add_rng (view);
  CHECK (find_add_hardware () == NULL, "the dialog stays open");
  rngs = vmd_domain_config_get_devices_of_kind (vmd_domain_get_config (d), "rng");
  CHECK (rngs->len == 1, "the definition has %u RNGs", rngs->len);
  file = definition_file (f, d);
  CHECK (strstr (file, "<rng") != NULL, "the definition file has no RNG:\n%s", file);
  CHECK (g_strcmp0 (vmd_details_view_get_selected (VMD_DETAILS_VIEW (view)),
                    "device:rng:0") == 0, "the new device's row is not selected (%s is)",
         vmd_details_view_get_selected (VMD_DETAILS_VIEW (view)));
  gtk_widget_destroy (window);
}

/* The VM window's Details page is the view. */
static void
case_vm_window (Fixture *f)
{
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "details-w", NULL);
  VmdVmWindow *window = vmd_vm_window_new (NULL, d);
  GtkWidget *view;

  gtk_widget_show (GTK_WIDGET (window));
  vmd_vm_window_show_page (window, "details");
  spin_for (300);
  view = find_named (GTK_WIDGET (window), "hardware-list");
  while (view != NULL && !VMD_IS_DETAILS_VIEW (view))
    view = gtk_widget_get_parent (view);
  CHECK (view != NULL, "the window's hardware list is not in a Details view");
  CHECK (gtk_widget_is_drawable (view), "the Details view is not shown on its page");
  CHECK (vmd_details_view_get_page (VMD_DETAILS_VIEW (view), "device:disk:0") != NULL,
         "the Details view has no row for the disk");
  save_window (GTK_WIDGET (window), "details-in-vm-window.png");

  /* Changed while the console is shown: the view is made again when its
   * page shows, with the new title. */
  vmd_vm_window_show_page (window, "console");
  spin_for (200);
  {
    g_autoptr (VmdDomainConfig) config = vmd_domain_config_copy (vmd_domain_get_config (d));
    g_autoptr (GError) error = NULL;
    g_autoptr (GAsyncResult) result = NULL;

    vmd_domain_config_set_title (config, "Renamed elsewhere");
    vmd_domain_set_config_async (d, config, NULL, store_result, &result);
    CHECK (vmd_domain_set_config_finish (d, await_result (&result, 30, "set_config"), &error),
           "saving the title failed: %s", error ? error->message : "");
  }
  vmd_vm_window_show_page (window, "details");
  vmd_details_view_select (VMD_DETAILS_VIEW (view), "overview");
  spin_for (300);
  CHECK (g_strcmp0 (gtk_entry_get_text (GTK_ENTRY (find_named (view, "title-entry"))),
                    "Renamed elsewhere") == 0,
         "the Details view shows the title “%s”",
         gtk_entry_get_text (GTK_ENTRY (find_named (view, "title-entry"))));
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* A CD-ROM's new medium through its editor reaches the running VM at
 * once: no restart notice. */
static void
case_cdrom_live (Fixture *f)
{
  g_autoptr (VmdDomain) d = define_guest (
    f, f->conn, "details-c",
    "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
    "<target dev='hdc' bus='ide'/><readonly/></disk>");
  g_autofree char *iso = g_build_filename (f->tmp, "media.iso", NULL);
  g_autofree char *zeros = g_strnfill (64 * 1024, ' ');
  GtkWidget *window = NULL;
  GtkWidget *view = open_view (f, d, &window);
  GtkWidget *entry;
  g_autofree char *file = NULL;

  write_file (iso, zeros, 0644);
  boot (f, d, "VMDESK-GUEST-READY kernel");
  spin_for (200);

  step (f, "a medium for the empty CD-ROM of the running VM");
  select_row (view, "device:disk:1");
  entry = find_named (view, "Source");
  /* As a user would: into the field, then typing. */
  gtk_widget_grab_focus (entry);
  gtk_entry_set_text (GTK_ENTRY (entry), iso);
  spin_for (300);
  CHECK (vmd_details_view_has_changes (VMD_DETAILS_VIEW (view)),
         "typing a medium is no change");
  apply_ok (view);
  CHECK (!vmd_details_view_needs_restart (VMD_DETAILS_VIEW (view)),
         "the new medium is said to wait for the next boot");
  file = definition_file (f, d);
  CHECK (strstr (file, iso) != NULL, "the definition file has no medium:\n%s", file);
  CHECK (vmd_domain_get_state (d) == VMD_DOMAIN_STATE_RUNNING, "the VM is %s",
         state_name (vmd_domain_get_state (d)));
  DOM_OK (d, destroy);
  gtk_widget_destroy (window);
}

static void
applied_cb (GtkWidget *view, VmdDomainConfig *config, gpointer user_data)
{
  *(VmdDomainConfig **) user_data = config;
}

/* A VM not defined yet: Apply updates the caller's definition only. */
static void
case_standalone (Fixture *f)
{
  g_autofree char *xml = NULL;
  g_autoptr (VmdDomainConfig) config = NULL;
  g_autoptr (GPtrArray) before = vmd_connection_list_domains (f->conn);
  g_autoptr (GPtrArray) after = NULL;
  VmdDomainConfig *applied = NULL;
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  GtkWidget *view;
  GuestSpec spec = { .name = "details-new", .kernel = TRUE, .disk = f->disk };

  xml = guest_xml (&spec);
  config = parse_xml (xml);
  view = vmd_details_view_new_for_config (f->conn, config);
  g_signal_connect (view, "config-applied", G_CALLBACK (applied_cb), &applied);
  gtk_container_add (GTK_CONTAINER (window), view);
  /* As the New VM assistant's window shows it. */
  gtk_widget_show_all (window);
  spin_for (200);
  CHECK (!gtk_widget_get_visible (find_named (view, "restart-notice")) &&
         !gtk_widget_get_visible (find_named (view, "details-error")) &&
         !gtk_widget_get_visible (find_named (view, "autostart-check")),
         "gtk_widget_show_all () shows what should stay hidden");

  select_row (view, "memory");
  set_spin (view, "max-memory-spin", 256);
  set_spin (view, "current-memory-spin", 256);
  apply_ok (view);
  CHECK (applied == config, "config-applied was not emitted with the caller's definition");
  CHECK (vmd_domain_config_get_memory (config) == 256 * 1024,
         "the definition has %" G_GUINT64_FORMAT " KiB", vmd_domain_config_get_memory (config));
  after = vmd_connection_list_domains (f->conn);
  CHECK (after->len == before->len, "Apply defined a VM");
  gtk_widget_destroy (window);
}

static const EngineCase cases[] = {
  { "cpus-memory", case_cpus_memory, 240 },
  { "xml", case_xml, 120 },
  { "revert-topology", case_revert_topology, 120 },
  { "remove", case_remove, 120 },
  { "os-boot", case_os_boot, 180 },
  { "add-hardware", case_add_hardware, 120 },
  { "vm-window", case_vm_window, 120 },
  { "cdrom-live", case_cdrom_live, 180 },
  { "standalone", case_standalone, 120 },
};

int
main (int argc, char *argv[])
{
  if (g_getenv ("DISPLAY") == NULL || g_getenv ("DISPLAY")[0] == '\0')
    {
      printf ("1..0 # SKIP no DISPLAY\n");
      return 0;
    }
  g_test_init (&argc, &argv, NULL);
  gtk_init (&argc, &argv);
  return engine_test_main (argc, argv, "/details", cases, G_N_ELEMENTS (cases));
}
