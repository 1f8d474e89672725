/* vmd-preferences-dialog.c: the application's settings, live
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A template (vmd-preferences-dialog.ui). Every control is bound to its
 * GSettings key (g_settings_bind), so a change applies at once, both
 * ways: what another window or `gsettings set` changes shows here too.
 * The list columns are one string-array key (list-columns), kept in step
 * by hand. Each control is named after its key (gtk_widget_get_name),
 * which tests use to find it.
 */
#define G_LOG_DOMAIN "vmdesk-perf"

#include <glib/gi18n.h>

#include "vmd-perf-resources.h"
#include "vmd-perf-settings.h"
#include "vmd-preferences-dialog.h"

struct _VmdPreferencesDialog
{
  GtkDialog             parent_instance;

  GSettings            *settings;
  gboolean              updating_columns;
  GtkFileChooserNative *chooser;

  GtkInfoBar           *no_schema_bar;
  GtkSpinButton        *stats_interval;
  GtkWidget            *column_checks[5];
  GtkComboBoxText      *console_scaling;
  GtkComboBoxText      *console_grab_keys;
  GtkCheckButton       *console_resize_guest;
  GtkCheckButton       *clipboard_host_to_guest;
  GtkCheckButton       *clipboard_guest_to_host;
  GtkComboBoxText      *new_vm_storage_format;
  GtkComboBoxText      *new_vm_firmware;
  GtkComboBoxText      *new_vm_cpu_mode;
  GtkComboBoxText      *new_vm_graphics;
  GtkEntry             *image_folder;
  GtkCheckButton       *confirm_force_off;
  GtkCheckButton       *confirm_delete;
  GtkCheckButton       *confirm_remove_device;
  GtkCheckButton       *confirm_pause;
};

G_DEFINE_FINAL_TYPE (VmdPreferencesDialog, vmd_preferences_dialog, GTK_TYPE_DIALOG)

/* The list's optional columns, as vmd-manager-window.c names them, in the
 * order of column_checks[]. */
static const char *const list_columns[] = { "cpu", "host-cpu", "memory", "disk", "network" };

/* list-columns: an empty list means the default (guest CPU only), and
 * ["none"] no column at all. */
static void
columns_changed_cb (VmdPreferencesDialog *self)
{
  g_auto (GStrv) keys = g_settings_get_strv (self->settings, "list-columns");

  self->updating_columns = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (list_columns); i++)
    {
      gboolean on = keys[0] == NULL ? g_str_equal (list_columns[i], "cpu")
                                    : g_strv_contains ((const char *const *) keys,
                                                       list_columns[i]);
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
        g_strv_builder_add (builder, list_columns[i]);
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
bind (VmdPreferencesDialog *self, gpointer widget, const char *property)
{
  g_settings_bind (self->settings, gtk_widget_get_name (GTK_WIDGET (widget)), widget, property,
                   G_SETTINGS_BIND_DEFAULT);
}

static void
vmd_preferences_dialog_class_init (VmdPreferencesDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_preferences_dialog_dispose;
  GTK_DIALOG_CLASS (klass)->response = vmd_preferences_dialog_response;

  vmd_perf_ensure_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vmdesk/Vmdesk/perf/vmd-preferences-dialog.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, VmdPreferencesDialog, name)
  CHILD (no_schema_bar);
  CHILD (stats_interval);
  CHILD (console_scaling);
  CHILD (console_grab_keys);
  CHILD (console_resize_guest);
  CHILD (clipboard_host_to_guest);
  CHILD (clipboard_guest_to_host);
  CHILD (new_vm_storage_format);
  CHILD (new_vm_firmware);
  CHILD (new_vm_cpu_mode);
  CHILD (new_vm_graphics);
  CHILD (image_folder);
  CHILD (confirm_force_off);
  CHILD (confirm_delete);
  CHILD (confirm_remove_device);
  CHILD (confirm_pause);
#undef CHILD
  gtk_widget_class_bind_template_child_full (widget_class, "column_cpu", FALSE,
                                             G_STRUCT_OFFSET (VmdPreferencesDialog,
                                                              column_checks[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "column_host_cpu", FALSE,
                                             G_STRUCT_OFFSET (VmdPreferencesDialog,
                                                              column_checks[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "column_memory", FALSE,
                                             G_STRUCT_OFFSET (VmdPreferencesDialog,
                                                              column_checks[2]));
  gtk_widget_class_bind_template_child_full (widget_class, "column_disk", FALSE,
                                             G_STRUCT_OFFSET (VmdPreferencesDialog,
                                                              column_checks[3]));
  gtk_widget_class_bind_template_child_full (widget_class, "column_network", FALSE,
                                             G_STRUCT_OFFSET (VmdPreferencesDialog,
                                                              column_checks[4]));
  gtk_widget_class_bind_template_callback (widget_class, column_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, choose_folder_cb);
}

static void
vmd_preferences_dialog_init (VmdPreferencesDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = vmd_perf_settings_new ();
  if (self->settings == NULL)
    {
      gtk_widget_show (GTK_WIDGET (self->no_schema_bar));
      return;
    }
  bind (self, self->stats_interval, "value");
  bind (self, self->console_scaling, "active-id");
  bind (self, self->console_grab_keys, "active-id");
  bind (self, self->console_resize_guest, "active");
  bind (self, self->clipboard_host_to_guest, "active");
  bind (self, self->clipboard_guest_to_host, "active");
  bind (self, self->new_vm_storage_format, "active-id");
  bind (self, self->new_vm_firmware, "active-id");
  bind (self, self->new_vm_cpu_mode, "active-id");
  bind (self, self->new_vm_graphics, "active-id");
  bind (self, self->image_folder, "text");
  bind (self, self->confirm_force_off, "active");
  bind (self, self->confirm_delete, "active");
  bind (self, self->confirm_remove_device, "active");
  bind (self, self->confirm_pause, "active");
  g_signal_connect_object (self->settings, "changed::list-columns",
                           G_CALLBACK (columns_changed_cb), self, G_CONNECT_SWAPPED);
  columns_changed_cb (self);
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
