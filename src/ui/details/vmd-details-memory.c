/* vmd-details-memory.c: the Memory page of the Details view
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Sizes in MiB. The view applies a changed current allocation to a
 * running VM through the balloon (vmd_domain_set_memory_async).
 */
#define G_LOG_DOMAIN "vmdesk-details"

#include <glib/gi18n.h>
#include <unistd.h>

#include "vmd-details-memory.h"

struct _VmdDetailsMemory
{
  VmdDetailsPage  parent_instance;

  GtkLabel       *host_label;
  GtkSpinButton  *max_spin;
  GtkSpinButton  *current_spin;
  GtkLabel       *message_label;
};

G_DEFINE_FINAL_TYPE (VmdDetailsMemory, vmd_details_memory, VMD_TYPE_DETAILS_PAGE)

guint64
vmd_details_host_memory_mib (void)
{
  long pages = sysconf (_SC_PHYS_PAGES);
  long page_size = sysconf (_SC_PAGESIZE);

  if (pages <= 0 || page_size <= 0)
    return 0;
  return (guint64) pages * (guint64) page_size / (1024 * 1024);
}

/* The problem with the fields, or NULL. */
static char *
check (VmdDetailsMemory *self)
{
  guint64 max = (guint64) gtk_spin_button_get_value (self->max_spin);
  guint64 current = (guint64) gtk_spin_button_get_value (self->current_spin);
  guint64 host = vmd_details_host_memory_mib ();

  if (host > 0 && max > host)
    return g_strdup_printf (_("The maximum allocation (%" G_GUINT64_FORMAT " MiB) is larger than "
                              "this computer’s memory (%" G_GUINT64_FORMAT " MiB)."),
                            max, host);
  if (current > max)
    return g_strdup_printf (_("The current allocation (%" G_GUINT64_FORMAT " MiB) cannot be "
                              "larger than the maximum (%" G_GUINT64_FORMAT " MiB)."),
                            current, max);
  return NULL;
}

static void
fields_changed_cb (VmdDetailsMemory *self)
{
  g_autofree char *problem = check (self);

  vmd_details_page_set_message (self->message_label, problem);
}

static void
memory_state_changed (VmdDetailsPage *page)
{
  VmdDetailsMemory *self = VMD_DETAILS_MEMORY (page);
  VmdDomain *domain = vmd_details_page_get_domain (page);
  gboolean running = domain != NULL && vmd_domain_get_state (domain) == VMD_DOMAIN_STATE_RUNNING;

  /* The balloon needs a running guest; paused, only the definition. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->current_spin),
                            running || !vmd_details_page_is_active (page));
}

static void
memory_load (VmdDetailsPage *page, VmdDomainConfig *config)
{
  VmdDetailsMemory *self = VMD_DETAILS_MEMORY (page);
  g_autofree char *host = g_strdup_printf (_("%" G_GUINT64_FORMAT " MiB"),
                                           vmd_details_host_memory_mib ());

  gtk_label_set_text (self->host_label, host);
  gtk_spin_button_set_value (self->max_spin, vmd_domain_config_get_memory (config) / 1024.0);
  gtk_spin_button_set_value (self->current_spin,
                             vmd_domain_config_get_current_memory (config) / 1024.0);
  fields_changed_cb (self);
}

static gboolean
memory_store (VmdDetailsPage *page, VmdDomainConfig *config, GError **error)
{
  VmdDetailsMemory *self = VMD_DETAILS_MEMORY (page);
  g_autofree char *problem = NULL;
  guint64 max, current;

  gtk_spin_button_update (self->max_spin);
  gtk_spin_button_update (self->current_spin);
  problem = check (self);
  if (problem != NULL)
    {
      vmd_details_page_set_message (self->message_label, problem);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, problem);
      return FALSE;
    }
  max = (guint64) gtk_spin_button_get_value (self->max_spin) * 1024;
  current = (guint64) gtk_spin_button_get_value (self->current_spin) * 1024;
  /* Unchanged sizes keep their units and rounding in the XML. */
  if (max != vmd_domain_config_get_memory (config) / 1024 * 1024)
    vmd_domain_config_set_memory (config, max);
  if (current != vmd_domain_config_get_current_memory (config) / 1024 * 1024)
    vmd_domain_config_set_current_memory (config, current);
  return TRUE;
}

static void
vmd_details_memory_class_init (VmdDetailsMemoryClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  VmdDetailsPageClass *page_class = VMD_DETAILS_PAGE_CLASS (klass);

  page_class->load = memory_load;
  page_class->store = memory_store;
  page_class->state_changed = memory_state_changed;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               VMD_RESOURCE_PREFIX "/details/vmd-details-memory.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsMemory, host_label);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsMemory, max_spin);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsMemory, current_spin);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsMemory, message_label);
}

static void
vmd_details_memory_init (VmdDetailsMemory *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vmd_details_page_watch (VMD_DETAILS_PAGE (self), self->max_spin);
  vmd_details_page_watch (VMD_DETAILS_PAGE (self), self->current_spin);
  g_signal_connect_swapped (self->max_spin, "value-changed", G_CALLBACK (fields_changed_cb), self);
  g_signal_connect_swapped (self->current_spin, "value-changed", G_CALLBACK (fields_changed_cb),
                            self);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->message_label)),
                       _("Memory problem"));
}

VmdDetailsPage *
vmd_details_memory_new (VmdDomain *domain)
{
  VmdDetailsPage *page = g_object_new (VMD_TYPE_DETAILS_MEMORY, NULL);

  vmd_details_page_set_domain (page, domain);
  return page;
}
