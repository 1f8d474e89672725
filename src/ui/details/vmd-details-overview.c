/* vmd-details-overview.c: the Overview page of the Details view
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The name is stored into the working copy like any field; the view
 * renames the VM (vmd_domain_rename_async) when it differs. Machine type
 * and firmware can change only while the VM is shut off: a different
 * chipset or firmware can keep the installed guest from booting, which
 * the page says.
 */
#define G_LOG_DOMAIN "vmdesk-details"

#include <glib/gi18n.h>
#include <string.h>

#include "vmd-connection.h"
#include "vmd-details-overview.h"
#include "vmd-kvm-probe.h"

struct _VmdDetailsOverview
{
  VmdDetailsPage  parent_instance;

  GtkEntry       *name_entry;
  GtkLabel       *name_message;
  GtkEntry       *title_entry;
  GtkTextView    *description_view;
  GtkLabel       *uuid_label;
  GtkLabel       *state_label;
  GtkLabel       *engine_label;
  GtkLabel       *accel_label;
  GtkComboBoxText *machine_combo;
  GtkLabel       *chipset_label;
  GtkComboBoxText *firmware_combo;
  GtkCheckButton *secure_boot_check;
  GtkLabel       *machine_warning;

  VmdConnection  *connection;
  GCancellable   *cancellable;
  char           *domain_type;
  VmdKvmStatus    kvm;
  char           *kvm_message;
  gboolean        kvm_known;
};

G_DEFINE_FINAL_TYPE (VmdDetailsOverview, vmd_details_overview, VMD_TYPE_DETAILS_PAGE)

static const char *
chipset_of (const char *machine)
{
  if (machine == NULL || *machine == '\0')
    return _("Unknown");
  if (g_str_has_prefix (machine, "q35") || g_str_has_prefix (machine, "pc-q35"))
    return _("Q35");
  if (g_str_has_prefix (machine, "pc") || g_str_has_prefix (machine, "pc-i440fx"))
    return _("i440FX");
  if (g_str_has_prefix (machine, "microvm"))
    return _("microvm");
  return machine;
}

static void
update_accel (VmdDetailsOverview *self)
{
  g_autofree char *text = NULL;

  if (g_strcmp0 (self->domain_type, "kvm") != 0)
    text = g_strdup (_("Software emulation (TCG)"));
  else if (!self->kvm_known)
    text = g_strdup (_("KVM (checking whether KVM works…)"));
  else if (self->kvm == VMD_KVM_WORKS)
    text = g_strdup (_("KVM"));
  else
    text = g_strdup_printf (_("KVM, which does not work on this computer: %s"),
                            vmd_kvm_status_to_string (self->kvm));
  gtk_label_set_text (self->accel_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->accel_label), self->kvm_message);
}

static void
kvm_probed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  VmdKvmStatus status = vmd_kvm_probe_finish (result, &message, &error);
  g_autoptr (VmdDetailsOverview) self = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  self->kvm = status;
  self->kvm_known = TRUE;
  g_free (self->kvm_message);
  self->kvm_message = error != NULL ? g_strdup (error->message) : g_steal_pointer (&message);
  update_accel (self);
}

/* @name: trimmed */
static gboolean
name_is_valid (const char *name, const char **message)
{
  if (*name == '\0')
    {
      *message = _("Enter a name for the virtual machine.");
      return FALSE;
    }
  if (strchr (name, '/') != NULL)
    {
      *message = _("A name cannot contain “/”.");
      return FALSE;
    }
  return TRUE;
}

static void
name_changed_cb (VmdDetailsOverview *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_entry_get_text (self->name_entry)));
  const char *message = NULL;

  name_is_valid (name, &message);
  vmd_details_page_set_message (self->name_message, message);
}

static void
machine_changed_cb (VmdDetailsOverview *self)
{
  g_autofree char *text = gtk_combo_box_text_get_active_text (self->machine_combo);

  gtk_label_set_text (self->chipset_label, chipset_of (text));
}

static void
firmware_changed_cb (VmdDetailsOverview *self)
{
  gboolean uefi = g_strcmp0 (gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->firmware_combo)),
                             "uefi") == 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->secure_boot_check),
                            uefi && !vmd_details_page_is_active (VMD_DETAILS_PAGE (self)));
}

static void
overview_state_changed (VmdDetailsPage *page)
{
  VmdDetailsOverview *self = VMD_DETAILS_OVERVIEW (page);
  VmdDomain *domain = vmd_details_page_get_domain (page);
  gboolean off = !vmd_details_page_is_active (page);

  if (domain != NULL)
    {
      VmdDomainState state = vmd_domain_get_state (domain);
      VmdStateReason reason = vmd_domain_get_state_reason (domain);
      g_autofree char *text = NULL;

      if (reason == VMD_STATE_REASON_UNKNOWN)
        text = g_strdup (vmd_domain_state_to_string (state));
      else
        /* TRANSLATORS: a VM's state and why, e.g. "Shut off (Forced off)" */
        text = g_strdup_printf (_("%s (%s)"), vmd_domain_state_to_string (state),
                                vmd_state_reason_to_string (reason));
      gtk_label_set_text (self->state_label, text);
    }
  else
    {
      gtk_label_set_text (self->state_label, _("Not created yet"));
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->machine_combo), off);
  gtk_widget_set_sensitive (GTK_WIDGET (self->firmware_combo), off);
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_entry), off);
  firmware_changed_cb (self);
  gtk_label_set_text (self->machine_warning,
                      off ? _("Changing the machine type or the firmware can keep the installed operating system from starting.")
                          : _("The name, the machine type and the firmware can change only while the virtual machine is shut off."));
}

static void
overview_load (VmdDetailsPage *page, VmdDomainConfig *config)
{
  VmdDetailsOverview *self = VMD_DETAILS_OVERVIEW (page);
  g_autofree char *name = vmd_domain_config_get_name (config);
  g_autofree char *title = vmd_domain_config_get_title (config);
  g_autofree char *description = vmd_domain_config_get_description (config);
  g_autofree char *uuid = vmd_domain_config_get_uuid (config);
  g_autofree char *machine = vmd_domain_config_get_machine (config);
  g_autofree char *engine = NULL;
  GtkWidget *entry = gtk_bin_get_child (GTK_BIN (self->machine_combo));

  gtk_entry_set_text (self->name_entry, name ? name : "");
  gtk_entry_set_text (self->title_entry, title ? title : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->description_view),
                            description ? description : "", -1);
  gtk_label_set_text (self->uuid_label, uuid ? uuid : _("Not assigned yet"));
  if (self->connection != NULL)
    engine = vmd_connection_get_description (self->connection);
  gtk_label_set_text (self->engine_label, engine ? engine : _("Not connected"));
  gtk_entry_set_text (GTK_ENTRY (entry), machine ? machine : "");
  gtk_label_set_text (self->chipset_label, chipset_of (machine));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->firmware_combo),
                               vmd_domain_config_get_firmware (config) == VMD_FIRMWARE_UEFI
                                 ? "uefi" : "bios");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->secure_boot_check),
                                vmd_domain_config_get_secure_boot (config));
  g_free (self->domain_type);
  self->domain_type = vmd_domain_config_get_domain_type (config);
  update_accel (self);
  vmd_details_page_set_message (self->name_message, NULL);
}

static gboolean
overview_store (VmdDetailsPage *page, VmdDomainConfig *config, GError **error)
{
  VmdDetailsOverview *self = VMD_DETAILS_OVERVIEW (page);
  g_autofree char *name = g_strstrip (g_strdup (gtk_entry_get_text (self->name_entry)));
  g_autofree char *machine = gtk_combo_box_text_get_active_text (self->machine_combo);
  g_autofree char *old_machine = vmd_domain_config_get_machine (config);
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->description_view);
  GtkTextIter start, end;
  const char *message = NULL;
  gboolean uefi;

  if (!name_is_valid (name, &message))
    {
      vmd_details_page_set_message (self->name_message, message);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, message);
      return FALSE;
    }
  vmd_domain_config_set_name (config, name);
  title = g_strstrip (g_strdup (gtk_entry_get_text (self->title_entry)));
  vmd_domain_config_set_title (config, title);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  description = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  vmd_domain_config_set_description (config, description);

  if (vmd_details_page_is_active (page))
    return TRUE;
  g_strstrip (machine);
  if (*machine != '\0' && g_strcmp0 (machine, old_machine) != 0)
    vmd_domain_config_set_machine (config, machine);
  uefi = g_strcmp0 (gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->firmware_combo)),
                    "uefi") == 0;
  if (uefi != (vmd_domain_config_get_firmware (config) == VMD_FIRMWARE_UEFI))
    vmd_domain_config_set_firmware (config, uefi ? VMD_FIRMWARE_UEFI : VMD_FIRMWARE_BIOS);
  if (uefi && gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->secure_boot_check)) !=
                vmd_domain_config_get_secure_boot (config))
    vmd_domain_config_set_secure_boot (
      config, gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->secure_boot_check)));
  return TRUE;
}

static void
vmd_details_overview_dispose (GObject *object)
{
  VmdDetailsOverview *self = VMD_DETAILS_OVERVIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->connection);
  G_OBJECT_CLASS (vmd_details_overview_parent_class)->dispose (object);
}

static void
vmd_details_overview_finalize (GObject *object)
{
  VmdDetailsOverview *self = VMD_DETAILS_OVERVIEW (object);

  g_free (self->domain_type);
  g_free (self->kvm_message);
  G_OBJECT_CLASS (vmd_details_overview_parent_class)->finalize (object);
}

static void
vmd_details_overview_class_init (VmdDetailsOverviewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  VmdDetailsPageClass *page_class = VMD_DETAILS_PAGE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_details_overview_dispose;
  G_OBJECT_CLASS (klass)->finalize = vmd_details_overview_finalize;
  page_class->load = overview_load;
  page_class->store = overview_store;
  page_class->state_changed = overview_state_changed;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               VMD_RESOURCE_PREFIX "/details/vmd-details-overview.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsOverview, name_entry);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsOverview, name_message);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsOverview, title_entry);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsOverview, description_view);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsOverview, uuid_label);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsOverview, state_label);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsOverview, engine_label);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsOverview, accel_label);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsOverview, machine_combo);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsOverview, chipset_label);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsOverview, firmware_combo);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsOverview, secure_boot_check);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsOverview, machine_warning);
}

static void
vmd_details_overview_init (VmdDetailsOverview *self)
{
  VmdDetailsPage *page = VMD_DETAILS_PAGE (self);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  vmd_details_page_watch (page, self->name_entry);
  vmd_details_page_watch (page, self->title_entry);
  vmd_details_page_watch (page, gtk_text_view_get_buffer (self->description_view));
  vmd_details_page_watch (page, self->machine_combo);
  vmd_details_page_watch (page, self->firmware_combo);
  vmd_details_page_watch (page, self->secure_boot_check);
  g_signal_connect_swapped (self->name_entry, "changed", G_CALLBACK (name_changed_cb), self);
  g_signal_connect_swapped (self->machine_combo, "changed", G_CALLBACK (machine_changed_cb), self);
  g_signal_connect_swapped (self->firmware_combo, "changed", G_CALLBACK (firmware_changed_cb),
                            self);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->name_message)),
                       _("Name problem"));
}

VmdDetailsPage *
vmd_details_overview_new (VmdDomain *domain, VmdConnection *connection)
{
  VmdDetailsOverview *self = g_object_new (VMD_TYPE_DETAILS_OVERVIEW, NULL);

  vmd_details_page_set_domain (VMD_DETAILS_PAGE (self), domain);
  g_set_object (&self->connection, connection);
  /* Cached across runs: usually answers at once. */
  vmd_kvm_probe_async (NULL, NULL, FALSE, self->cancellable, kvm_probed_cb,
                       g_object_ref (self));
  return VMD_DETAILS_PAGE (self);
}
