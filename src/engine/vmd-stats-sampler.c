/* vmd-stats-sampler.c: the connection's one stats pass per interval
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A pass is at most two collections on the connection, run at once: the
 * fields every subscription "for all running VMs" wants, for all of them,
 * and the fields the subscriptions for one VM want, for those VMs only.
 * Their samples are merged by VM before "sampled" is emitted.
 */
#define G_LOG_DOMAIN "vmdesk-engine"

#include "vmd-connection.h"
#include "vmd-stats-sampler.h"

typedef struct {
  char           *uuid;     /* NULL: every running VM */
  VmdStatsFields  fields;
} Subscription;

struct _VmdStatsSampler
{
  GObject        parent_instance;

  VmdConnection *connection;  /* not owned: it owns the sampler */
  GHashTable    *subscriptions;  /* id -> Subscription */
  guint          next_id;
  guint          interval_ms;
  guint          timeout_id;
  GCancellable  *cancellable;
  GHashTable    *latest;      /* uuid -> VmdStats */
  GHashTable    *previous;    /* uuid -> VmdStats */
  GPtrArray     *merged;      /* the pass under way: VmdStats */
  guint          pending;     /* collections of the pass under way */
  guint64        passes;
};

G_DEFINE_FINAL_TYPE (VmdStatsSampler, vmd_stats_sampler, G_TYPE_OBJECT)

enum { SAMPLED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
subscription_free (Subscription *sub)
{
  g_free (sub->uuid);
  g_free (sub);
}

static void
vmd_stats_sampler_dispose (GObject *object)
{
  VmdStatsSampler *self = VMD_STATS_SAMPLER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  G_OBJECT_CLASS (vmd_stats_sampler_parent_class)->dispose (object);
}

static void
vmd_stats_sampler_finalize (GObject *object)
{
  VmdStatsSampler *self = VMD_STATS_SAMPLER (object);

  g_clear_object (&self->cancellable);
  g_hash_table_unref (self->subscriptions);
  g_hash_table_unref (self->latest);
  g_hash_table_unref (self->previous);
  g_clear_pointer (&self->merged, g_ptr_array_unref);
  G_OBJECT_CLASS (vmd_stats_sampler_parent_class)->finalize (object);
}

static void
vmd_stats_sampler_class_init (VmdStatsSamplerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vmd_stats_sampler_dispose;
  object_class->finalize = vmd_stats_sampler_finalize;

  /**
   * VmdStatsSampler::sampled:
   * @samples: (element-type VmdStats): one merged sample per VM of the pass
   */
  signals[SAMPLED] = g_signal_new ("sampled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);
}

static void
vmd_stats_sampler_init (VmdStatsSampler *self)
{
  self->subscriptions = g_hash_table_new_full (NULL, NULL, NULL,
                                               (GDestroyNotify) subscription_free);
  self->next_id = 1;
  self->interval_ms = VMD_STATS_DEFAULT_INTERVAL_MS;
  self->cancellable = g_cancellable_new ();
  self->latest = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) vmd_stats_free);
  self->previous = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) vmd_stats_free);
}

/**
 * vmd_connection_get_stats_sampler:
 *
 * Returns: (transfer none): the sampler of @connection, made on first use
 */
VmdStatsSampler *
vmd_connection_get_stats_sampler (VmdConnection *connection)
{
  VmdStatsSampler *self;

  g_return_val_if_fail (VMD_IS_CONNECTION (connection), NULL);
  self = g_object_get_data (G_OBJECT (connection), "vmd-stats-sampler");
  if (self == NULL)
    {
      self = g_object_new (VMD_TYPE_STATS_SAMPLER, NULL);
      self->connection = connection;
      g_object_set_data_full (G_OBJECT (connection), "vmd-stats-sampler", self,
                              g_object_unref);
    }
  return self;
}

/* ------------------------------------------------------------ the pass */

/* Copy the fields @from knows into @into. */
static void
merge_sample (VmdStats *into, const VmdStats *from)
{
#define TAKE(field) if (into->field < 0 && from->field >= 0) into->field = from->field
  TAKE (cpu_time_ns);
  TAKE (memory_kib);
  TAKE (rss_kib);
  TAKE (disk_read_bytes);
  TAKE (disk_write_bytes);
  TAKE (disk_read_ops);
  TAKE (disk_write_ops);
  TAKE (net_rx_bytes);
  TAKE (net_tx_bytes);
#undef TAKE
  if (into->vcpus == 0)
    into->vcpus = from->vcpus;
}

static void
finish_pass (VmdStatsSampler *self)
{
  g_autoptr (GPtrArray) merged = g_steal_pointer (&self->merged);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter it;
  gpointer key;

  self->passes++;
  for (guint i = 0; i < merged->len; i++)
    {
      VmdStats *stats = g_ptr_array_index (merged, i);
      VmdStats *last = NULL;
      char *uuid = NULL;

      if (g_hash_table_steal_extended (self->latest, stats->uuid, (gpointer *) &uuid,
                                       (gpointer *) &last))
        {
          g_hash_table_replace (self->previous, uuid, last);
        }
      g_hash_table_replace (self->latest, g_strdup (stats->uuid), vmd_stats_copy (stats));
      g_hash_table_add (seen, stats->uuid);
    }
  /* A VM that was not sampled has stopped: its counters start again. */
  g_hash_table_iter_init (&it, self->latest);
  while (g_hash_table_iter_next (&it, &key, NULL))
    if (!g_hash_table_contains (seen, key))
      {
        g_hash_table_remove (self->previous, key);
        g_hash_table_iter_remove (&it);
      }
  g_signal_emit (self, signals[SAMPLED], 0, merged);
}

static void
collected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdStatsSampler) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) samples = NULL;

  samples = vmd_connection_collect_stats_finish (VMD_CONNECTION (source), result, &error);
  if (samples == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (samples == NULL)
    g_debug ("Collecting statistics failed: %s", error->message);

  for (guint i = 0; samples != NULL && i < samples->len; i++)
    {
      VmdStats *stats = g_ptr_array_index (samples, i);
      VmdStats *into = NULL;

      for (guint j = 0; j < self->merged->len && into == NULL; j++)
        if (g_str_equal (((VmdStats *) g_ptr_array_index (self->merged, j))->uuid, stats->uuid))
          into = g_ptr_array_index (self->merged, j);
      if (into != NULL)
        merge_sample (into, stats);
      else
        g_ptr_array_add (self->merged, vmd_stats_copy (stats));
    }
  if (--self->pending == 0)
    finish_pass (self);
}

static void
run_pass (VmdStatsSampler *self)
{
  VmdStatsFields all_fields = VMD_STATS_FIELD_NONE, one_fields = VMD_STATS_FIELD_NONE;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) uuids = NULL;
  GHashTableIter it;
  gpointer value;

  if (self->pending > 0)
    return;  /* the last pass is still under way */

  g_hash_table_iter_init (&it, self->subscriptions);
  while (g_hash_table_iter_next (&it, NULL, &value))
    {
      Subscription *sub = value;

      if (sub->uuid == NULL)
        all_fields |= sub->fields;
      else if (sub->fields != VMD_STATS_FIELD_NONE)
        {
          one_fields |= sub->fields;
          g_strv_builder_add (builder, sub->uuid);
        }
    }
  uuids = g_strv_builder_end (builder);
  /* What the pass over all VMs reads anyway needs no second collection. */
  one_fields &= ~all_fields;

  self->merged = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_stats_free);
  if (all_fields != VMD_STATS_FIELD_NONE)
    self->pending++;
  if (one_fields != VMD_STATS_FIELD_NONE)
    self->pending++;
  if (self->pending == 0)
    {
      g_clear_pointer (&self->merged, g_ptr_array_unref);
      return;
    }
  if (all_fields != VMD_STATS_FIELD_NONE)
    vmd_connection_collect_stats_full_async (self->connection, all_fields, NULL,
                                             self->cancellable, collected, g_object_ref (self));
  if (one_fields != VMD_STATS_FIELD_NONE)
    vmd_connection_collect_stats_full_async (self->connection, one_fields,
                                             (const char *const *) uuids, self->cancellable,
                                             collected, g_object_ref (self));
}

static gboolean
tick (gpointer user_data)
{
  run_pass (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
anything_wanted (VmdStatsSampler *self)
{
  GHashTableIter it;
  gpointer value;

  g_hash_table_iter_init (&it, self->subscriptions);
  while (g_hash_table_iter_next (&it, NULL, &value))
    if (((Subscription *) value)->fields != VMD_STATS_FIELD_NONE)
      return TRUE;
  return FALSE;
}

/* The timer runs exactly while some subscription wants something; a new
 * one gets its first sample at once rather than an interval later. */
static void
update_timer (VmdStatsSampler *self, gboolean restart)
{
  gboolean wanted = anything_wanted (self);

  if (self->timeout_id != 0 && (!wanted || restart))
    g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (wanted && self->timeout_id == 0)
    {
      self->timeout_id = g_timeout_add (self->interval_ms, tick, self);
      g_source_set_name_by_id (self->timeout_id, "[vmdesk] stats pass");
      run_pass (self);
    }
}

/* ---------------------------------------------------------------- API */

guint
vmd_stats_sampler_subscribe (VmdStatsSampler *self, const char *uuid, VmdStatsFields fields)
{
  Subscription *sub;
  guint id;

  g_return_val_if_fail (VMD_IS_STATS_SAMPLER (self), 0);
  sub = g_new0 (Subscription, 1);
  sub->uuid = g_strdup (uuid);
  sub->fields = fields;
  id = self->next_id++;
  g_hash_table_insert (self->subscriptions, GUINT_TO_POINTER (id), sub);
  update_timer (self, FALSE);
  return id;
}

void
vmd_stats_sampler_unsubscribe (VmdStatsSampler *self, guint id)
{
  g_return_if_fail (VMD_IS_STATS_SAMPLER (self));
  g_hash_table_remove (self->subscriptions, GUINT_TO_POINTER (id));
  update_timer (self, FALSE);
}

void
vmd_stats_sampler_update (VmdStatsSampler *self, guint id, VmdStatsFields fields)
{
  Subscription *sub;

  g_return_if_fail (VMD_IS_STATS_SAMPLER (self));
  sub = g_hash_table_lookup (self->subscriptions, GUINT_TO_POINTER (id));
  g_return_if_fail (sub != NULL);
  sub->fields = fields;
  update_timer (self, FALSE);
}

void
vmd_stats_sampler_set_interval (VmdStatsSampler *self, guint interval_ms)
{
  g_return_if_fail (VMD_IS_STATS_SAMPLER (self));
  interval_ms = CLAMP (interval_ms, 100u, 60000u);
  if (interval_ms == self->interval_ms)
    return;
  self->interval_ms = interval_ms;
  if (self->timeout_id != 0)
    update_timer (self, TRUE);
}

guint
vmd_stats_sampler_get_interval (VmdStatsSampler *self)
{
  g_return_val_if_fail (VMD_IS_STATS_SAMPLER (self), 0);
  return self->interval_ms;
}

const VmdStats *
vmd_stats_sampler_get_latest (VmdStatsSampler *self, const char *uuid)
{
  g_return_val_if_fail (VMD_IS_STATS_SAMPLER (self), NULL);
  return g_hash_table_lookup (self->latest, uuid);
}

const VmdStats *
vmd_stats_sampler_get_previous (VmdStatsSampler *self, const char *uuid)
{
  g_return_val_if_fail (VMD_IS_STATS_SAMPLER (self), NULL);
  return g_hash_table_lookup (self->previous, uuid);
}

guint64
vmd_stats_sampler_get_pass_count (VmdStatsSampler *self)
{
  g_return_val_if_fail (VMD_IS_STATS_SAMPLER (self), 0);
  return self->passes;
}
