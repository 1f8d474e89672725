/* vmd-preferences-dialog.c: the application's settings, live
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every control is bound to its GSettings key (g_settings_bind), so a
 * change applies at once, both ways: what another window or `gsettings
 * set` changes shows here too. The list columns are one string-array key
 * (list-columns), kept in step by hand. Each control is named after its
 * key (gtk_widget_get_name), which tests use to find it.
 */
#define G_LOG_DOMAIN "vmdesk-perf"

#include <glib/gi18n.h>

#include "vmd-perf-settings.h"
#include "vmd-preferences-dialog.h"

struct _VmdPreferencesDialog
{
  GtkDialog        parent_instance;

  GSettings       *settings;
  GtkWidget       *column_checks[5];
  gboolean         updating_columns;
  GtkFileChooserNative *chooser;
  GtkEntry        *image_folder;
};

G_DEFINE_FINAL_TYPE (VmdPreferencesDialog, vmd_preferences_dialog, GTK_TYPE_DIALOG)

typedef struct {
  const char *id;
  const char *label;
} Choice;

/* The list's optional columns, as vmd-manager-window.c names them. */
static const Choice list_columns[] = {
  { "cpu", N_("Guest CPU") },
  { "host-cpu", N_("Host CPU") },
  { "memory", N_("Memory") },
  { "disk", N_("Disk I/O") },
  { "network", N_("Network I/O") },
};

/* ------------------------------------------------------------- layout */

static GtkGrid *
new_page (GtkNotebook *notebook, const char *title)
{
  GtkWidget *grid = gtk_grid_new ();

  g_object_set (grid, "row-spacing", 8, "column-spacing", 12, "margin", 18, NULL);
  gtk_notebook_append_page (notebook, grid, gtk_label_new (title));
  return GTK_GRID (grid);
}

static void
add_heading (GtkGrid *grid, int *row, const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_style_context_add_class (gtk_widget_get_style_context (label), "heading");
  {
    PangoAttrList *attrs = pango_attr_list_new ();
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
    gtk_label_set_attributes (GTK_LABEL (label), attrs);
    pango_attr_list_unref (attrs);
  }
  if (*row > 0)
    gtk_widget_set_margin_top (label, 12);
  gtk_grid_attach (grid, label, 0, (*row)++, 2, 1);
}

static void
add_row (GtkGrid *grid, int *row, const char *text, GtkWidget *widget)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_widget_set_halign (widget, GTK_ALIGN_START);
  gtk_grid_attach (grid, label, 0, *row, 1, 1);
  gtk_grid_attach (grid, widget, 1, (*row)++, 1, 1);
}

static void
add_wide (GtkGrid *grid, int *row, GtkWidget *widget)
{
  gtk_widget_set_margin_start (widget, 12);
  gtk_grid_attach (grid, widget, 0, (*row)++, 2, 1);
}

static void
add_note (GtkGrid *grid, int *row, const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
  gtk_style_context_add_class (gtk_widget_get_style_context (label), "dim-label");
  add_wide (grid, row, label);
}

/* ----------------------------------------------------------- controls */

static GtkWidget *
bound_check (VmdPreferencesDialog *self, const char *key, const char *text)
{
  GtkWidget *check = gtk_check_button_new_with_mnemonic (text);

  gtk_widget_set_name (check, key);
  if (self->settings != NULL)
    g_settings_bind (self->settings, key, check, "active", G_SETTINGS_BIND_DEFAULT);
  return check;
}

static GtkWidget *
bound_combo (VmdPreferencesDialog *self, const char *key, const Choice *choices, guint n)
{
  GtkWidget *combo = gtk_combo_box_text_new ();

  gtk_widget_set_name (combo, key);
  for (guint i = 0; i < n; i++)
    gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (combo), choices[i].id, _(choices[i].label));
  if (self->settings != NULL)
    g_settings_bind (self->settings, key, combo, "active-id", G_SETTINGS_BIND_DEFAULT);
  return combo;
}

/* list-columns: an empty list means the default (guest CPU only), and
 * ["none"] no column at all. */
static void
columns_changed_cb (VmdPreferencesDialog *self)
{
  g_auto (GStrv) keys = g_settings_get_strv (self->settings, "list-columns");

  self->updating_columns = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (list_columns); i++)
    {
      gboolean on = keys[0] == NULL ? g_str_equal (list_columns[i].id, "cpu")
                                    : g_strv_contains ((const char *const *) keys,
                                                       list_columns[i].id);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->column_checks[i]), on);
    }
  self->updating_columns = FALSE;
}

static void
column_toggled_cb (VmdPreferencesDialog *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) keys = NULL;
  gboolean any = FALSE;

  if (self->updating_columns || self->settings == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (list_columns); i++)
    if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->column_checks[i])))
      {
        g_strv_builder_add (builder, list_columns[i].id);
        any = TRUE;
      }
  if (!any)
    g_strv_builder_add (builder, "none");
  keys = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "list-columns", (const char *const *) keys);
}

static void
folder_chosen_cb (VmdPreferencesDialog *self, int response)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (self->chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        gtk_entry_set_text (self->image_folder, path);
    }
  g_clear_object (&self->chooser);
}

static void
choose_folder_cb (VmdPreferencesDialog *self)
{
  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Folder for New Disk Images"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, NULL, NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (folder_chosen_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* -------------------------------------------------------------- pages */

static void
build_general (VmdPreferencesDialog *self, GtkNotebook *notebook)
{
  GtkGrid *grid = new_page (notebook, _("General"));
  GtkWidget *spin, *box;
  int row = 0;

  add_heading (grid, &row, _("Statistics"));
  spin = gtk_spin_button_new_with_range (1, 60, 1);
  gtk_widget_set_name (spin, "stats-interval");
  if (self->settings != NULL)
    g_settings_bind (self->settings, "stats-interval", spin, "value", G_SETTINGS_BIND_DEFAULT);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_container_add (GTK_CONTAINER (box), spin);
  gtk_container_add (GTK_CONTAINER (box), gtk_label_new (_("seconds")));
  add_row (grid, &row, _("_Collect every"), box);
  gtk_label_set_mnemonic_widget (GTK_LABEL (gtk_grid_get_child_at (grid, 0, row - 1)), spin);
  add_note (grid, &row, _("Statistics are collected only for what a window shows: the list’s "
                          "columns below and open Performance pages."));

  add_heading (grid, &row, _("Columns of the Virtual Machine List"));
  for (guint i = 0; i < G_N_ELEMENTS (list_columns); i++)
    {
      g_autofree char *name = g_strconcat ("list-column-", list_columns[i].id, NULL);

      self->column_checks[i] = gtk_check_button_new_with_label (_(list_columns[i].label));
      gtk_widget_set_name (self->column_checks[i], name);
      g_signal_connect_object (self->column_checks[i], "toggled", G_CALLBACK (column_toggled_cb),
                               self, G_CONNECT_SWAPPED);
      add_wide (grid, &row, self->column_checks[i]);
    }
  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed::list-columns",
                               G_CALLBACK (columns_changed_cb), self, G_CONNECT_SWAPPED);
      columns_changed_cb (self);
    }

  add_heading (grid, &row, _("Closing"));
  add_note (grid, &row, _("Virtual machines keep running when the last vmdesk window is closed: "
                          "the embedded engine runs each one as its own QEMU process, which "
                          "vmdesk finds again at its next start. Shut them down from the list "
                          "to stop them."));
}

static void
build_consoles (VmdPreferencesDialog *self, GtkNotebook *notebook)
{
  static const Choice scaling[] = {
    { "always", N_("Always") },
    { "fullscreen", N_("Only in full screen") },
    { "never", N_("Never") },
  };
  static const Choice grab[] = {
    { "Control_L+Alt_L", N_("Left Ctrl+Alt") },
    { "Control_L+Alt_L+Shift_L", N_("Left Ctrl+Alt+Shift") },
    { "Control_R", N_("Right Ctrl") },
  };
  GtkGrid *grid = new_page (notebook, _("Consoles"));
  int row = 0;

  add_heading (grid, &row, _("Graphical Console"));
  add_row (grid, &row, _("_Scale to the window"),
           bound_combo (self, "console-scaling", scaling, G_N_ELEMENTS (scaling)));
  add_row (grid, &row, _("_Release keyboard and pointer with"),
           bound_combo (self, "console-grab-keys", grab, G_N_ELEMENTS (grab)));
  add_wide (grid, &row, bound_check (self, "console-resize-guest",
                                     _("_Resize the guest with its window")));
  add_heading (grid, &row, _("Clipboard (SPICE with the guest agent)"));
  add_wide (grid, &row, bound_check (self, "clipboard-host-to-guest",
                                     _("Let virtual machines _paste what was copied here")));
  add_wide (grid, &row, bound_check (self, "clipboard-guest-to-host",
                                     _("Let this computer paste what was copied in _virtual "
                                       "machines")));
  add_note (grid, &row, _("Each virtual machine window starts with these choices; its View menu "
                          "changes them for that window only."));
}

static void
build_new_vm (VmdPreferencesDialog *self, GtkNotebook *notebook)
{
  static const Choice formats[] = {
    { "qcow2", N_("QCOW2 (grows as needed, snapshots)") },
    { "raw", N_("Raw (fastest, full size at once)") },
  };
  static const Choice firmware[] = {
    { "auto", N_("Automatic (what the operating system needs)") },
    { "bios", N_("BIOS") },
    { "efi", N_("UEFI") },
  };
  static const Choice cpu[] = {
    { "default", N_("QEMU’s default (works without KVM)") },
    { "host-passthrough", N_("This computer’s processor (needs KVM)") },
    { "host-model", N_("A model like this computer’s processor") },
  };
  static const Choice graphics[] = {
    { "spice", N_("SPICE") },
    { "vnc", N_("VNC") },
  };
  GtkGrid *grid = new_page (notebook, _("New Virtual Machines"));
  GtkWidget *box, *entry, *button;
  int row = 0;

  add_heading (grid, &row, _("Defaults for New Virtual Machines"));
  add_row (grid, &row, _("_Disk image format"),
           bound_combo (self, "new-vm-storage-format", formats, G_N_ELEMENTS (formats)));
  add_row (grid, &row, _("_Firmware"),
           bound_combo (self, "new-vm-firmware", firmware, G_N_ELEMENTS (firmware)));
  add_row (grid, &row, _("_Processor"),
           bound_combo (self, "new-vm-cpu-mode", cpu, G_N_ELEMENTS (cpu)));
  add_row (grid, &row, _("_Graphical console"),
           bound_combo (self, "new-vm-graphics", graphics, G_N_ELEMENTS (graphics)));

  entry = gtk_entry_new ();
  self->image_folder = GTK_ENTRY (entry);
  gtk_widget_set_name (entry, "new-vm-image-folder");
  gtk_entry_set_width_chars (GTK_ENTRY (entry), 30);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("The engine’s images folder"));
  if (self->settings != NULL)
    g_settings_bind (self->settings, "new-vm-image-folder", entry, "text",
                     G_SETTINGS_BIND_DEFAULT);
  button = gtk_button_new_with_mnemonic (_("C_hoose…"));
  g_signal_connect_object (button, "clicked", G_CALLBACK (choose_folder_cb), self,
                           G_CONNECT_SWAPPED);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_container_add (GTK_CONTAINER (box), entry);
  gtk_container_add (GTK_CONTAINER (box), button);
  add_row (grid, &row, _("_Image folder"), box);
  gtk_label_set_mnemonic_widget (GTK_LABEL (gtk_grid_get_child_at (grid, 0, row - 1)), entry);
}

static void
build_confirmations (VmdPreferencesDialog *self, GtkNotebook *notebook)
{
  GtkGrid *grid = new_page (notebook, _("Confirmations"));
  int row = 0;

  add_heading (grid, &row, _("Ask Before"));
  add_wide (grid, &row, bound_check (self, "confirm-force-off",
                                     _("_Forcing a virtual machine off or resetting it")));
  add_wide (grid, &row, bound_check (self, "confirm-delete",
                                     _("_Deleting a virtual machine")));
  add_wide (grid, &row, bound_check (self, "confirm-remove-device",
                                     _("_Removing a device")));
  add_wide (grid, &row, bound_check (self, "confirm-pause",
                                     _("_Pausing a virtual machine")));
}

/* ------------------------------------------------------------- object */

static void
vmd_preferences_dialog_response (GtkDialog *dialog, int response)
{
  if (response == GTK_RESPONSE_CLOSE || response == GTK_RESPONSE_DELETE_EVENT)
    gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
vmd_preferences_dialog_dispose (GObject *object)
{
  VmdPreferencesDialog *self = VMD_PREFERENCES_DIALOG (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (vmd_preferences_dialog_parent_class)->dispose (object);
}

static void
vmd_preferences_dialog_class_init (VmdPreferencesDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vmd_preferences_dialog_dispose;
  GTK_DIALOG_CLASS (klass)->response = vmd_preferences_dialog_response;
}

static void
vmd_preferences_dialog_init (VmdPreferencesDialog *self)
{
  GtkWidget *content = gtk_dialog_get_content_area (GTK_DIALOG (self));
  GtkWidget *notebook = gtk_notebook_new ();

  self->settings = vmd_perf_settings_new ();
  gtk_window_set_title (GTK_WINDOW (self), _("Preferences"));
  gtk_window_set_default_size (GTK_WINDOW (self), 560, -1);
  gtk_dialog_add_button (GTK_DIALOG (self), _("_Close"), GTK_RESPONSE_CLOSE);

  if (self->settings == NULL)
    {
      GtkWidget *bar = gtk_info_bar_new ();

      gtk_info_bar_set_message_type (GTK_INFO_BAR (bar), GTK_MESSAGE_WARNING);
      gtk_container_add (GTK_CONTAINER (gtk_info_bar_get_content_area (GTK_INFO_BAR (bar))),
                         gtk_label_new (_("The settings schema of vmdesk is not installed: "
                                          "changes here are not kept.")));
      gtk_container_add (GTK_CONTAINER (content), bar);
    }

  gtk_container_add (GTK_CONTAINER (content), notebook);
  build_general (self, GTK_NOTEBOOK (notebook));
  build_consoles (self, GTK_NOTEBOOK (notebook));
  build_new_vm (self, GTK_NOTEBOOK (notebook));
  build_confirmations (self, GTK_NOTEBOOK (notebook));
  gtk_widget_show_all (content);
}

GtkWidget *
vmd_preferences_dialog_new (GtkWindow *parent)
{
  return g_object_new (VMD_TYPE_PREFERENCES_DIALOG,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       "use-header-bar", FALSE,
                       NULL);
}
