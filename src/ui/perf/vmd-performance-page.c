/* vmd-performance-page.c: a VM's CPU, memory, disk and network graphs
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The page subscribes to the connection's stats sampler for its VM only
 * while it is mapped and the VM runs (a hidden page, or a VM that is off,
 * costs nothing), and turns each pass's counters into values: CPU percent of the VM's vCPUs, the QEMU process's
 * resident memory beside the memory allocated to the guest, disk and
 * network bytes per second. Each graph keeps 30 minutes of samples at the
 * default interval; the time range only changes how many are shown.
 */
#define G_LOG_DOMAIN "vmdesk-perf"

#include <glib/gi18n.h>

#include "vmd-connection.h"
#include "vmd-graph.h"
#include "vmd-perf-resources.h"
#include "vmd-perf-settings.h"
#include "vmd-performance-page.h"
#include "vmd-stats-sampler.h"

#define CAPACITY 1800   /* 30 min at one sample a second */
#define FIELDS   (VMD_STATS_FIELD_CPU | VMD_STATS_FIELD_MEMORY | VMD_STATS_FIELD_DISK | \
                  VMD_STATS_FIELD_NET)

enum { CPU, MEMORY, DISK, NET, N_GRAPHS };

struct _VmdPerformancePage
{
  GtkBox           parent_instance;

  VmdDomain       *domain;
  VmdStatsSampler *sampler;
  guint            subscription;
  gulong           sampled_id;
  guint            range_s;
  guint            interval_ms;

  GtkLabel        *status;
  GtkComboBoxText *range;
  GtkBox          *boxes[N_GRAPHS];
  VmdGraph        *graphs[N_GRAPHS];
  GtkLabel        *values[N_GRAPHS];
};

G_DEFINE_FINAL_TYPE (VmdPerformancePage, vmd_performance_page, GTK_TYPE_BOX)

/* ------------------------------------------------------------- values */

static double
rate (gint64 previous, gint64 current, gint64 dt_us)
{
  if (previous < 0 || current < 0 || dt_us <= 0)
    return -1;
  if (current < previous)   /* counters started again */
    return 0;
  return (double) (current - previous) * G_USEC_PER_SEC / (double) dt_us;
}

static void
set_value_text (VmdPerformancePage *self, int graph, const char *text)
{
  gtk_label_set_text (self->values[graph], text);
}

static void
update_labels (VmdPerformancePage *self, double cpu, double rss, double allocated, double rd,
               double wr, double rx, double tx)
{
  char a[64], b[64];
  g_autofree char *text = NULL;

  set_value_text (self, CPU, vmd_graph_format_value (VMD_GRAPH_UNIT_PERCENT, cpu, a, sizeof a));

  vmd_graph_format_value (VMD_GRAPH_UNIT_BYTES, rss, a, sizeof a);
  vmd_graph_format_value (VMD_GRAPH_UNIT_BYTES, allocated, b, sizeof b);
  /* Translators: "219 MiB used on this computer, 128 MiB allocated": the
   * host memory the VM's QEMU process uses (guest memory it touched, plus
   * QEMU's own), and the memory given to the guest */
  text = g_strdup_printf (_("%s used on this computer, %s allocated"), a, b);
  set_value_text (self, MEMORY, text);
  g_clear_pointer (&text, g_free);

  vmd_graph_format_value (VMD_GRAPH_UNIT_BYTES_PER_SECOND, rd, a, sizeof a);
  vmd_graph_format_value (VMD_GRAPH_UNIT_BYTES_PER_SECOND, wr, b, sizeof b);
  /* Translators: disk transfer rates, e.g. "Read 0 B/s, write 1.2 MiB/s" */
  text = g_strdup_printf (_("Read %s, write %s"), a, b);
  set_value_text (self, DISK, text);
  g_clear_pointer (&text, g_free);

  if (rx < 0 && tx < 0)
    set_value_text (self, NET, _("Not known: user-mode networking has no counters"));
  else
    {
      vmd_graph_format_value (VMD_GRAPH_UNIT_BYTES_PER_SECOND, rx, a, sizeof a);
      vmd_graph_format_value (VMD_GRAPH_UNIT_BYTES_PER_SECOND, tx, b, sizeof b);
      /* Translators: network transfer rates, e.g. "Received 2 KiB/s, sent 0 B/s" */
      text = g_strdup_printf (_("Received %s, sent %s"), a, b);
      set_value_text (self, NET, text);
    }
}

static void
apply_window (VmdPerformancePage *self)
{
  guint n = (guint) ((guint64) self->range_s * 1000 / MAX (self->interval_ms, 1u)) + 1;

  for (int g = 0; g < N_GRAPHS; g++)
    {
      vmd_graph_set_interval (self->graphs[g], self->interval_ms);
      vmd_graph_set_window (self->graphs[g], MIN (n, CAPACITY));
    }
}

static void
sampled_cb (VmdStatsSampler *sampler, GPtrArray *samples, VmdPerformancePage *self)
{
  const char *uuid = vmd_domain_get_uuid (self->domain);
  const VmdStats *cur = vmd_stats_sampler_get_latest (sampler, uuid);
  const VmdStats *prev = vmd_stats_sampler_get_previous (sampler, uuid);
  VmdDomainConfig *config = vmd_domain_get_config (self->domain);
  double cpu, rss, allocated, rd, wr, rx, tx;
  gint64 dt;
  guint vcpus;

  if (vmd_stats_sampler_get_interval (sampler) != self->interval_ms)
    {
      self->interval_ms = vmd_stats_sampler_get_interval (sampler);
      apply_window (self);
    }
  if (cur == NULL || prev == NULL)
    return;   /* not running, or the first sample: no rates yet */

  dt = cur->timestamp_us - prev->timestamp_us;
  vcpus = cur->vcpus > 0 ? cur->vcpus : (config ? vmd_domain_config_get_vcpus (config) : 1);
  cpu = cur->cpu_time_ns < 0 ? -1
                             : CLAMP (vmd_stats_cpu_percent (prev, cur) / MAX (vcpus, 1u), 0, 100);
  rss = cur->rss_kib < 0 ? -1 : cur->rss_kib * 1024.0;
  allocated = config ? vmd_domain_config_get_memory (config) * 1024.0 : -1;
  rd = rate (prev->disk_read_bytes, cur->disk_read_bytes, dt);
  wr = rate (prev->disk_write_bytes, cur->disk_write_bytes, dt);
  rx = rate (prev->net_rx_bytes, cur->net_rx_bytes, dt);
  tx = rate (prev->net_tx_bytes, cur->net_tx_bytes, dt);

  vmd_graph_push (self->graphs[CPU], 0, cpu);
  vmd_graph_push (self->graphs[MEMORY], 0, rss);
  vmd_graph_push (self->graphs[MEMORY], 1, allocated);
  vmd_graph_set_fixed_max (self->graphs[MEMORY], MAX (allocated, 0));
  vmd_graph_push (self->graphs[DISK], 0, rd);
  vmd_graph_push (self->graphs[DISK], 1, wr);
  vmd_graph_push (self->graphs[NET], 0, rx);
  vmd_graph_push (self->graphs[NET], 1, tx);
  for (int g = 0; g < N_GRAPHS; g++)
    vmd_graph_samples_added (self->graphs[g]);
  update_labels (self, cpu, rss, allocated, rd, wr, rx, tx);
}

/* ------------------------------------------------------- subscription */

static void
update_status (VmdPerformancePage *self)
{
  gboolean active = vmd_domain_is_active (self->domain);

  gtk_widget_set_visible (GTK_WIDGET (self->status), !active);
}

static void
unsubscribe (VmdPerformancePage *self)
{
  if (self->sampler == NULL)
    return;
  if (self->subscription != 0)
    vmd_stats_sampler_unsubscribe (self->sampler, self->subscription);
  self->subscription = 0;
  g_clear_signal_handler (&self->sampled_id, self->sampler);
}

/* Subscribed exactly while the page is mapped and the VM runs. */
static void
update_subscription (VmdPerformancePage *self)
{
  gboolean wanted = self->sampler != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)) &&
                    vmd_domain_is_active (self->domain);

  if (wanted && self->subscription == 0)
    {
      self->sampled_id = g_signal_connect (self->sampler, "sampled", G_CALLBACK (sampled_cb),
                                           self);
      self->subscription = vmd_stats_sampler_subscribe (self->sampler,
                                                        vmd_domain_get_uuid (self->domain),
                                                        FIELDS);
    }
  else if (!wanted)
    unsubscribe (self);
}

static void
state_changed_cb (VmdPerformancePage *self)
{
  /* a gap in every graph where the VM was off */
  if (!vmd_domain_is_active (self->domain))
    {
      for (int g = 0; g < N_GRAPHS; g++)
        {
          for (guint s = 0; s < vmd_graph_get_n_series (self->graphs[g]); s++)
            vmd_graph_push (self->graphs[g], s, -1);
          vmd_graph_samples_added (self->graphs[g]);
        }
    }
  update_status (self);
  update_subscription (self);
}

static void
vmd_performance_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (vmd_performance_page_parent_class)->map (widget);
  update_subscription (VMD_PERFORMANCE_PAGE (widget));
}

static void
vmd_performance_page_unmap (GtkWidget *widget)
{
  unsubscribe (VMD_PERFORMANCE_PAGE (widget));
  GTK_WIDGET_CLASS (vmd_performance_page_parent_class)->unmap (widget);
}

static void
range_changed_cb (VmdPerformancePage *self)
{
  const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->range));

  self->range_s = id ? (guint) g_ascii_strtoull (id, NULL, 10) : 60;
  apply_window (self);
}

/* ------------------------------------------------------------- layout */

static VmdGraph *
add_graph (VmdPerformancePage *self, int index, const char *name, const char *accessible,
           VmdGraphUnit unit, const char *series1, const char *series2)
{
  GtkWidget *graph = vmd_graph_new (unit, CAPACITY);

  gtk_widget_set_name (graph, name);
  gtk_widget_set_hexpand (graph, TRUE);
  gtk_widget_set_vexpand (graph, TRUE);
  atk_object_set_name (gtk_widget_get_accessible (graph), accessible);
  vmd_graph_add_series (VMD_GRAPH (graph), series1);
  if (series2 != NULL)
    vmd_graph_add_series (VMD_GRAPH (graph), series2);
  gtk_container_add (GTK_CONTAINER (self->boxes[index]), graph);
  gtk_widget_show (graph);
  return VMD_GRAPH (graph);
}

static void
vmd_performance_page_dispose (GObject *object)
{
  VmdPerformancePage *self = VMD_PERFORMANCE_PAGE (object);

  unsubscribe (self);
  g_clear_object (&self->sampler);
  g_clear_object (&self->domain);
  G_OBJECT_CLASS (vmd_performance_page_parent_class)->dispose (object);
}

static void
vmd_performance_page_class_init (VmdPerformancePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_performance_page_dispose;
  widget_class->map = vmd_performance_page_map;
  widget_class->unmap = vmd_performance_page_unmap;

  vmd_perf_ensure_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vmdesk/Vmdesk/perf/vmd-performance-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdPerformancePage, status);
  gtk_widget_class_bind_template_child (widget_class, VmdPerformancePage, range);
#define CHILD(field, id) \
  gtk_widget_class_bind_template_child_full (widget_class, id, FALSE, \
                                             G_STRUCT_OFFSET (VmdPerformancePage, field))
  CHILD (boxes[CPU], "cpu_box");
  CHILD (boxes[MEMORY], "memory_box");
  CHILD (boxes[DISK], "disk_box");
  CHILD (boxes[NET], "network_box");
  CHILD (values[CPU], "cpu_value");
  CHILD (values[MEMORY], "memory_value");
  CHILD (values[DISK], "disk_value");
  CHILD (values[NET], "network_value");
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, range_changed_cb);
}

static void
vmd_performance_page_init (VmdPerformancePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->range_s = 60;
  self->interval_ms = VMD_STATS_DEFAULT_INTERVAL_MS;
  self->graphs[CPU] = add_graph (self, CPU, "cpu-graph", _("CPU usage graph"),
                                 VMD_GRAPH_UNIT_PERCENT, _("CPU"), NULL);
  self->graphs[MEMORY] = add_graph (self, MEMORY, "memory-graph", _("Memory usage graph"),
                                    VMD_GRAPH_UNIT_BYTES, _("Used"), _("Allocated"));
  self->graphs[DISK] = add_graph (self, DISK, "disk-graph", _("Disk I/O graph"),
                                  VMD_GRAPH_UNIT_BYTES_PER_SECOND, _("Read"), _("Write"));
  self->graphs[NET] = add_graph (self, NET, "network-graph", _("Network I/O graph"),
                                 VMD_GRAPH_UNIT_BYTES_PER_SECOND, _("Received"), _("Sent"));
  vmd_graph_set_style (self->graphs[MEMORY], VMD_GRAPH_STYLE_LINE);
  apply_window (self);
}

GtkWidget *
vmd_performance_page_new (VmdDomain *domain)
{
  VmdPerformancePage *self;
  VmdConnection *connection;

  g_return_val_if_fail (VMD_IS_DOMAIN (domain), NULL);

  self = g_object_new (VMD_TYPE_PERFORMANCE_PAGE, NULL);
  self->domain = g_object_ref (domain);
  connection = vmd_domain_get_connection (domain);
  if (connection != NULL)
    {
      self->sampler = g_object_ref (vmd_connection_get_stats_sampler (connection));
      vmd_perf_follow_stats_interval (self->sampler);
      self->interval_ms = vmd_stats_sampler_get_interval (self->sampler);
      apply_window (self);
    }
  g_signal_connect_object (domain, "state-changed", G_CALLBACK (state_changed_cb), self,
                           G_CONNECT_SWAPPED);
  update_status (self);
  gtk_widget_show (GTK_WIDGET (self));
  return GTK_WIDGET (self);
}
