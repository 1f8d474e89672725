/* vmd-name-dialog.c: asks for a new virtual machine name, to rename or
 * clone one
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The name is checked as it is typed; the reason it cannot be used is shown
 * under the entry and the accept button stays insensitive until it can.
 * The dialog only asks: its owner acts on the "response" signal.
 */
#define G_LOG_DOMAIN "vmdesk-ui"

#include <glib/gi18n.h>
#include <string.h>

#include "vmd-connection.h"
#include "vmd-device-types.h"
#include "vmd-name-dialog.h"

struct _VmdNameDialog
{
  GtkDialog parent_instance;

  GtkLabel          *intro_label;
  GtkEntry          *name_entry;
  GtkLabel          *error_label;
  GtkWidget         *clone_box;
  GtkGrid           *disks_grid;
  GtkButton         *accept_button;
  GPtrArray         *disk_sources;   /* the images a clone copies, in grid order */
  GPtrArray         *disk_modes;     /* GtkComboBoxText, same order */

  VmdDomain         *domain;
  VmdNameDialogMode  mode;
};

G_DEFINE_FINAL_TYPE (VmdNameDialog, vmd_name_dialog, GTK_TYPE_DIALOG)

/**
 * vmd_name_dialog_validate:
 *
 * Returns: (nullable): why @name cannot be used, as a sentence; %NULL when
 *   it can
 */
char *
vmd_name_dialog_validate (VmdDomain *domain, VmdNameDialogMode mode, const char *name)
{
  VmdConnection *connection = vmd_domain_get_connection (domain);
  VmdDomain *other;

  if (name == NULL || *name == '\0')
    return g_strdup (_("Enter a name."));
  if (g_str_has_prefix (name, ".") || strchr (name, '/') != NULL)
    return g_strdup (_("A name cannot contain “/” or start with a dot."));
  if (g_utf8_strlen (name, -1) > 200)
    return g_strdup (_("The name is too long: use at most 200 characters."));
  for (const char *p = name; *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return g_strdup (_("A name cannot contain control characters."));
  if (mode == VMD_NAME_DIALOG_RENAME && g_strcmp0 (name, vmd_domain_get_name (domain)) == 0)
    return g_strdup (_("Enter a name different from the current one."));
  other = connection != NULL ? vmd_connection_lookup_domain (connection, name) : NULL;
  if (other != NULL && g_strcmp0 (vmd_domain_get_name (other), name) == 0)
    return g_strdup_printf (_("Another virtual machine is already called “%s”."), name);
  return NULL;
}

static void
name_changed_cb (VmdNameDialog *self)
{
  g_autofree char *problem = vmd_name_dialog_validate (self->domain, self->mode,
                                                       gtk_entry_get_text (self->name_entry));

  gtk_label_set_text (self->error_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), problem != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->accept_button), problem == NULL);
}

static void
vmd_name_dialog_dispose (GObject *object)
{
  VmdNameDialog *self = VMD_NAME_DIALOG (object);

  g_clear_object (&self->domain);
  g_clear_pointer (&self->disk_sources, g_ptr_array_unref);
  g_clear_pointer (&self->disk_modes, g_ptr_array_unref);
  G_OBJECT_CLASS (vmd_name_dialog_parent_class)->dispose (object);
}

static void
vmd_name_dialog_class_init (VmdNameDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_name_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               VMD_RESOURCE_PREFIX "/ui/vmd-name-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdNameDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, VmdNameDialog, name_entry);
  gtk_widget_class_bind_template_child (widget_class, VmdNameDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, VmdNameDialog, clone_box);
  gtk_widget_class_bind_template_child (widget_class, VmdNameDialog, disks_grid);
  gtk_widget_class_bind_template_child (widget_class, VmdNameDialog, accept_button);
  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);
}

static void
vmd_name_dialog_init (VmdNameDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->disk_sources = g_ptr_array_new_with_free_func (g_free);
  self->disk_modes = g_ptr_array_new ();
}

/* A row per disk image the clone gets: its target and file, and how to
 * clone it. CD-ROMs, read-only and shareable disks are shared, as
 * virt-manager does. */
static void
add_disk_rows (VmdNameDialog *self)
{
  g_autoptr (GPtrArray) disks = vmd_domain_config_get_devices (vmd_domain_get_config (self->domain),
                                                               VMD_TYPE_DEVICE_DISK);

  for (guint i = 0; i < disks->len; i++)
    {
      VmdDeviceDisk *disk = g_ptr_array_index (disks, i);
      g_autofree char *device = vmd_device_disk_get_device (disk);
      g_autofree char *type = vmd_device_disk_get_disk_type (disk);
      g_autofree char *source = vmd_device_disk_get_source (disk);
      g_autofree char *target = vmd_device_disk_get_target_dev (disk);
      g_autofree char *base = NULL;
      g_autofree char *text = NULL;
      g_autofree char *a11y = NULL;
      GtkWidget *label, *combo;
      guint row = self->disk_sources->len;

      if (source == NULL || g_strcmp0 (type, "file") != 0 || g_strcmp0 (device, "disk") != 0 ||
          vmd_device_disk_get_readonly (disk) || vmd_device_disk_get_shareable (disk))
        continue;
      base = g_path_get_basename (source);
      /* Translators: a disk in the Clone dialog: its target and image file */
      text = g_strdup_printf (_("%s (%s)"), target ? target : "?", base);
      label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_set_tooltip_text (label, source);
      combo = gtk_combo_box_text_new ();
      gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (combo), "copy", _("Full copy"));
      gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (combo), "overlay", _("qcow2 overlay"));
      gtk_combo_box_set_active_id (GTK_COMBO_BOX (combo), "copy");
      /* Translators: accessible name of a disk's clone mode, e.g. "Clone vda as" */
      a11y = g_strdup_printf (_("Clone %s as"), target ? target : base);
      atk_object_set_name (gtk_widget_get_accessible (combo), a11y);
      gtk_grid_attach (self->disks_grid, label, 0, row, 1, 1);
      gtk_grid_attach (self->disks_grid, combo, 1, row, 1, 1);
      g_ptr_array_add (self->disk_sources, g_steal_pointer (&source));
      g_ptr_array_add (self->disk_modes, combo);
    }
  gtk_widget_show_all (GTK_WIDGET (self->disks_grid));
  gtk_widget_set_visible (self->clone_box, self->disk_sources->len > 0);
}

VmdNameDialog *
vmd_name_dialog_new (GtkWindow *parent, VmdDomain *domain, VmdNameDialogMode mode)
{
  VmdNameDialog *self = g_object_new (VMD_TYPE_NAME_DIALOG,
                                      "transient-for", parent,
                                      "use-header-bar", FALSE,
                                      NULL);
  const char *name = vmd_domain_get_name (domain);
  g_autofree char *intro = NULL;
  g_autofree char *title = NULL;
  g_autofree char *suggestion = NULL;

  self->domain = g_object_ref (domain);
  self->mode = mode;
  if (mode == VMD_NAME_DIALOG_RENAME)
    {
      title = g_strdup_printf (_("Rename “%s”"), name);
      intro = g_strdup_printf (_("Enter the new name of “%s”."), name);
      suggestion = g_strdup (name);
      gtk_button_set_label (self->accept_button, _("_Rename"));
      gtk_widget_hide (self->clone_box);
    }
  else
    {
      VmdConnection *connection = vmd_domain_get_connection (domain);

      title = g_strdup_printf (_("Clone “%s”"), name);
      intro = g_strdup_printf (_("Make a new virtual machine with the hardware and disks of "
                                 "“%s”."), name);
      for (guint i = 1; suggestion == NULL || vmd_connection_lookup_domain (connection,
                                                                            suggestion); i++)
        {
          g_free (suggestion);
          suggestion = i == 1 ? g_strdup_printf ("%s-clone", name)
                              : g_strdup_printf ("%s-clone%u", name, i);
        }
      gtk_button_set_label (self->accept_button, _("C_lone"));
      add_disk_rows (self);
    }
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_label_set_text (self->intro_label, intro);
  gtk_entry_set_text (self->name_entry, suggestion);
  gtk_editable_select_region (GTK_EDITABLE (self->name_entry), 0, -1);
  name_changed_cb (self);
  return self;
}

VmdDomain *
vmd_name_dialog_get_domain (VmdNameDialog *self)
{
  return self->domain;
}

VmdNameDialogMode
vmd_name_dialog_get_mode (VmdNameDialog *self)
{
  return self->mode;
}

const char *
vmd_name_dialog_get_name (VmdNameDialog *self)
{
  return gtk_entry_get_text (self->name_entry);
}

/**
 * vmd_name_dialog_get_overlays:
 *
 * Returns: (transfer full): the images (source paths) the clone gets as
 *   qcow2 overlays; the others are copied
 */
GStrv
vmd_name_dialog_get_overlays (VmdNameDialog *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->disk_modes->len; i++)
    if (g_strcmp0 (gtk_combo_box_get_active_id (g_ptr_array_index (self->disk_modes, i)),
                   "overlay") == 0)
      g_strv_builder_add (builder, g_ptr_array_index (self->disk_sources, i));
  return g_strv_builder_end (builder);
}

/* For tests: set how the disk of @source is cloned ("copy" or "overlay"). */
gboolean
vmd_name_dialog_set_disk_mode (VmdNameDialog *self, const char *source, const char *mode)
{
  guint i;

  if (!g_ptr_array_find_with_equal_func (self->disk_sources, source, g_str_equal, &i))
    return FALSE;
  return gtk_combo_box_set_active_id (g_ptr_array_index (self->disk_modes, i), mode);
}
