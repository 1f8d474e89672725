/* vmd-details-cpus.c: the CPUs page of the Details view
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The model list: the hypervisor's default, host-passthrough, host-model,
 * then what `qemu-system-x86_64 -cpu help` names (asked once per process,
 * from a thread). A hand-made topology must multiply out to the vCPU
 * count; the page says so next to the fields and refuses to store it.
 */
#define G_LOG_DOMAIN "vmdesk-details"

#include <glib/gi18n.h>
#include <string.h>

#include "vmd-details-cpus.h"
#include "vmd-qemu-command-line.h"

#define ID_DEFAULT     "default"
#define ID_PASSTHROUGH "host-passthrough"
#define ID_HOST_MODEL  "host-model"
#define ID_MODEL       "model:"

struct _VmdDetailsCpus
{
  VmdDetailsPage   parent_instance;

  GtkLabel        *host_label;
  GtkSpinButton   *vcpus_spin;
  GtkLabel        *overcommit_label;
  GtkComboBoxText *model_combo;
  GtkCheckButton  *topology_check;
  GtkSpinButton   *sockets_spin;
  GtkSpinButton   *cores_spin;
  GtkSpinButton   *threads_spin;
  GtkLabel        *topology_message;

  GCancellable    *cancellable;
  char            *model_id;    /* what the definition has, to select once listed */
  char            *qemu_binary;
  gboolean         listing;
};

G_DEFINE_FINAL_TYPE (VmdDetailsCpus, vmd_details_cpus, VMD_TYPE_DETAILS_PAGE)

static char *
topology_problem (VmdDetailsCpus *self)
{
  guint vcpus = gtk_spin_button_get_value_as_int (self->vcpus_spin);
  guint sockets = gtk_spin_button_get_value_as_int (self->sockets_spin);
  guint cores = gtk_spin_button_get_value_as_int (self->cores_spin);
  guint threads = gtk_spin_button_get_value_as_int (self->threads_spin);

  if (!gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->topology_check)))
    return NULL;
  if (sockets * cores * threads != vcpus)
    return g_strdup_printf (_("%u sockets × %u cores × %u threads make %u vCPUs, not %u: "
                              "change the topology or the number of vCPUs."),
                            sockets, cores, threads, sockets * cores * threads, vcpus);
  return NULL;
}

static void
fields_changed_cb (VmdDetailsCpus *self)
{
  guint vcpus = gtk_spin_button_get_value_as_int (self->vcpus_spin);
  guint host = g_get_num_processors ();
  gboolean manual = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->topology_check));
  g_autofree char *problem = topology_problem (self);
  g_autofree char *overcommit = NULL;

  if (vcpus > host)
    overcommit = g_strdup_printf (_("The virtual machine has more vCPUs (%u) than this computer "
                                    "has CPUs (%u): it will run slower, not faster."),
                                  vcpus, host);
  gtk_label_set_text (self->overcommit_label, overcommit ? overcommit : "");
  gtk_widget_set_visible (GTK_WIDGET (self->overcommit_label), overcommit != NULL);
  vmd_details_page_set_message (self->topology_message, problem);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sockets_spin), manual);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cores_spin), manual);
  gtk_widget_set_sensitive (GTK_WIDGET (self->threads_spin), manual);
}

static void
select_model (VmdDetailsCpus *self)
{
  GtkComboBox *combo = GTK_COMBO_BOX (self->model_combo);

  if (self->model_id == NULL)
    return;
  if (!gtk_combo_box_set_active_id (combo, self->model_id) &&
      g_str_has_prefix (self->model_id, ID_MODEL))
    {
      /* A model this QEMU does not list (yet): keep it selectable. */
      gtk_combo_box_text_append (self->model_combo, self->model_id,
                                 self->model_id + strlen (ID_MODEL));
      gtk_combo_box_set_active_id (combo, self->model_id);
    }
}

static void
models_listed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) models = vmd_qemu_list_cpu_models_finish (result, &error);
  VmdDetailsCpus *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = VMD_DETAILS_CPUS (user_data);
  if (models == NULL)
    {
      g_debug ("no CPU models: %s", error->message);
      return;
    }
  /* Filling the list is not an edit. */
  g_signal_handlers_block_matched (self->model_combo, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                   self);
  for (guint i = 0; models[i] != NULL; i++)
    {
      g_autofree char *id = g_strconcat (ID_MODEL, models[i], NULL);
      if (g_strcmp0 (id, self->model_id) != 0)
        gtk_combo_box_text_append (self->model_combo, id, models[i]);
    }
  select_model (self);
  g_signal_handlers_unblock_matched (self->model_combo, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                     self);
}

static void
cpus_state_changed (VmdDetailsPage *page)
{
  VmdDetailsCpus *self = VMD_DETAILS_CPUS (page);
  gboolean off = !vmd_details_page_is_active (page);

  gtk_widget_set_tooltip_text (GTK_WIDGET (self), off ? NULL
                               : _("Changes take effect after the virtual machine is shut down."));
}

static void
cpus_load (VmdDetailsPage *page, VmdDomainConfig *config)
{
  VmdDetailsCpus *self = VMD_DETAILS_CPUS (page);
  g_autofree char *host = g_strdup_printf ("%u", g_get_num_processors ());
  g_autofree char *mode = vmd_domain_config_get_cpu_mode (config);
  g_autofree char *model = vmd_domain_config_get_cpu_model (config);
  guint sockets = 1, cores = 1, threads = 1;
  gboolean manual;

  gtk_label_set_text (self->host_label, host);
  gtk_spin_button_set_value (self->vcpus_spin, vmd_domain_config_get_vcpus (config));

  g_free (self->model_id);
  if (g_strcmp0 (mode, ID_PASSTHROUGH) == 0 || g_strcmp0 (mode, ID_HOST_MODEL) == 0)
    self->model_id = g_strdup (mode);
  else if (model != NULL)
    self->model_id = g_strconcat (ID_MODEL, model, NULL);
  else
    self->model_id = g_strdup (ID_DEFAULT);
  select_model (self);

  manual = vmd_domain_config_get_cpu_topology (config, &sockets, &cores, &threads);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->topology_check), manual);
  if (!manual)
    sockets = vmd_domain_config_get_vcpus (config);
  gtk_spin_button_set_value (self->sockets_spin, sockets);
  gtk_spin_button_set_value (self->cores_spin, cores);
  gtk_spin_button_set_value (self->threads_spin, threads);
  fields_changed_cb (self);
}

static gboolean
cpus_store (VmdDetailsPage *page, VmdDomainConfig *config, GError **error)
{
  VmdDetailsCpus *self = VMD_DETAILS_CPUS (page);
  g_autofree char *problem = NULL;
  const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->model_combo));
  guint vcpus;

  gtk_spin_button_update (self->vcpus_spin);
  gtk_spin_button_update (self->sockets_spin);
  gtk_spin_button_update (self->cores_spin);
  gtk_spin_button_update (self->threads_spin);
  problem = topology_problem (self);
  if (problem != NULL)
    {
      vmd_details_page_set_message (self->topology_message, problem);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, problem);
      return FALSE;
    }

  vcpus = gtk_spin_button_get_value_as_int (self->vcpus_spin);
  if (vcpus != vmd_domain_config_get_vcpus (config))
    vmd_domain_config_set_vcpus (config, vcpus);
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->topology_check)))
    {
      guint s = 0, c = 0, t = 0;
      guint sockets = gtk_spin_button_get_value_as_int (self->sockets_spin);
      guint cores = gtk_spin_button_get_value_as_int (self->cores_spin);
      guint threads = gtk_spin_button_get_value_as_int (self->threads_spin);

      if (!vmd_domain_config_get_cpu_topology (config, &s, &c, &t) || s != sockets ||
          c != cores || t != threads)
        vmd_domain_config_set_cpu_topology (config, sockets, cores, threads);
    }
  else if (vmd_domain_config_get_cpu_topology (config, NULL, NULL, NULL))
    {
      vmd_domain_config_clear_cpu_topology (config);
    }

  if (id != NULL && g_strcmp0 (id, self->model_id) != 0)
    {
      if (g_str_equal (id, ID_DEFAULT))
        vmd_domain_config_set_cpu (config, NULL, NULL);
      else if (g_str_has_prefix (id, ID_MODEL))
        vmd_domain_config_set_cpu (config, "custom", id + strlen (ID_MODEL));
      else
        vmd_domain_config_set_cpu (config, id, NULL);
    }
  return TRUE;
}

static void
vmd_details_cpus_dispose (GObject *object)
{
  VmdDetailsCpus *self = VMD_DETAILS_CPUS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (vmd_details_cpus_parent_class)->dispose (object);
}

static void
vmd_details_cpus_finalize (GObject *object)
{
  g_free (VMD_DETAILS_CPUS (object)->model_id);
  g_free (VMD_DETAILS_CPUS (object)->qemu_binary);
  G_OBJECT_CLASS (vmd_details_cpus_parent_class)->finalize (object);
}

static void
vmd_details_cpus_class_init (VmdDetailsCpusClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  VmdDetailsPageClass *page_class = VMD_DETAILS_PAGE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_details_cpus_dispose;
  G_OBJECT_CLASS (klass)->finalize = vmd_details_cpus_finalize;
  page_class->load = cpus_load;
  page_class->store = cpus_store;
  page_class->state_changed = cpus_state_changed;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               VMD_RESOURCE_PREFIX "/details/vmd-details-cpus.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsCpus, host_label);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsCpus, vcpus_spin);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsCpus, overcommit_label);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsCpus, model_combo);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsCpus, topology_check);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsCpus, sockets_spin);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsCpus, cores_spin);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsCpus, threads_spin);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsCpus, topology_message);
}

static void
vmd_details_cpus_init (VmdDetailsCpus *self)
{
  VmdDetailsPage *page = VMD_DETAILS_PAGE (self);
  GtkWidget *watched[5];

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_combo_box_text_append (self->model_combo, ID_DEFAULT, _("Hypervisor default"));
  gtk_combo_box_text_append (self->model_combo, ID_PASSTHROUGH,
                             _("Same as the host (host-passthrough)"));
  gtk_combo_box_text_append (self->model_combo, ID_HOST_MODEL,
                             _("Close to the host, migratable (host-model)"));
  watched[0] = GTK_WIDGET (self->vcpus_spin);
  watched[1] = GTK_WIDGET (self->topology_check);
  watched[2] = GTK_WIDGET (self->sockets_spin);
  watched[3] = GTK_WIDGET (self->cores_spin);
  watched[4] = GTK_WIDGET (self->threads_spin);
  for (guint i = 0; i < G_N_ELEMENTS (watched); i++)
    {
      vmd_details_page_watch (page, watched[i]);
      g_signal_connect_swapped (watched[i],
                                GTK_IS_SPIN_BUTTON (watched[i]) ? "value-changed" : "toggled",
                                G_CALLBACK (fields_changed_cb), self);
    }
  vmd_details_page_watch (page, self->model_combo);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->topology_message)),
                       _("Topology problem"));
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->overcommit_label)),
                       _("Overcommit warning"));
}

/* QEMU is asked when the page is first shown, not with the view. */
static void
cpus_map_cb (VmdDetailsCpus *self)
{
  if (self->listing)
    return;
  self->listing = TRUE;
  vmd_qemu_list_cpu_models_async (self->qemu_binary, self->cancellable, models_listed_cb, self);
}

VmdDetailsPage *
vmd_details_cpus_new (VmdDomain *domain, const char *qemu_binary)
{
  VmdDetailsCpus *self = g_object_new (VMD_TYPE_DETAILS_CPUS, NULL);

  vmd_details_page_set_domain (VMD_DETAILS_PAGE (self), domain);
  self->qemu_binary = g_strdup (qemu_binary);
  g_signal_connect (self, "map", G_CALLBACK (cpus_map_cb), NULL);
  return VMD_DETAILS_PAGE (self);
}
