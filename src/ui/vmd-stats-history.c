/* vmd-stats-history.c: fixed-size rings of samples, one per series
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The manager list draws these as sparklines: every stats pass pushes one
 * value per series, nothing is allocated after creation, and a negative
 * value ("not known", e.g. network counters under user-mode networking)
 * is kept so the line shows a gap.
 */
#define G_LOG_DOMAIN "vmdesk-ui"

#include <string.h>

#include "vmd-stats-history.h"

typedef struct {
  float values[VMD_STATS_HISTORY_LENGTH];
  guint head;    /* where the next value goes */
  guint count;
} Ring;

struct _VmdStatsHistory
{
  Ring  rings[VMD_STATS_N_SERIES];
  guint shown[VMD_STATS_N_SERIES];   /* signature of what is on screen */
};

VmdStatsHistory *
vmd_stats_history_new (void)
{
  return g_new0 (VmdStatsHistory, 1);
}

void
vmd_stats_history_free (VmdStatsHistory *self)
{
  g_free (self);
}

void
vmd_stats_history_clear (VmdStatsHistory *self)
{
  g_return_if_fail (self != NULL);
  memset (self, 0, sizeof *self);
}

void
vmd_stats_history_push (VmdStatsHistory *self, VmdStatsSeries series, float value)
{
  Ring *ring;

  g_return_if_fail (self != NULL);
  g_return_if_fail (series < VMD_STATS_N_SERIES);

  ring = &self->rings[series];
  ring->values[ring->head] = value;
  ring->head = (ring->head + 1) % VMD_STATS_HISTORY_LENGTH;
  if (ring->count < VMD_STATS_HISTORY_LENGTH)
    ring->count++;
}

guint
vmd_stats_history_get_n_samples (const VmdStatsHistory *self, VmdStatsSeries series)
{
  g_return_val_if_fail (self != NULL && series < VMD_STATS_N_SERIES, 0);
  return self->rings[series].count;
}

/* index 0 is the oldest sample kept */
float
vmd_stats_history_get_sample (const VmdStatsHistory *self, VmdStatsSeries series, guint index)
{
  const Ring *ring;

  g_return_val_if_fail (self != NULL && series < VMD_STATS_N_SERIES, -1.f);
  ring = &self->rings[series];
  g_return_val_if_fail (index < ring->count, -1.f);
  return ring->values[(ring->head + VMD_STATS_HISTORY_LENGTH - ring->count + index) %
                      VMD_STATS_HISTORY_LENGTH];
}

float
vmd_stats_history_get_last (const VmdStatsHistory *self, VmdStatsSeries series)
{
  g_return_val_if_fail (self != NULL && series < VMD_STATS_N_SERIES, -1.f);
  if (self->rings[series].count == 0)
    return -1.f;
  return vmd_stats_history_get_sample (self, series, self->rings[series].count - 1);
}

/* The largest sample kept, or -1 when none is known. */
float
vmd_stats_history_get_max (const VmdStatsHistory *self, VmdStatsSeries series)
{
  const Ring *ring;
  float max = -1.f;

  g_return_val_if_fail (self != NULL && series < VMD_STATS_N_SERIES, -1.f);
  ring = &self->rings[series];
  for (guint i = 0; i < ring->count; i++)
    max = MAX (max, ring->values[i]);
  return max;
}

/* The signature of what the list shows of @series (see
 * vmd_sparkline_signature()); returns the one it replaces. */
guint
vmd_stats_history_swap_shown (VmdStatsHistory *self, VmdStatsSeries series, guint signature)
{
  guint old;

  g_return_val_if_fail (self != NULL && series < VMD_STATS_N_SERIES, 0);
  old = self->shown[series];
  self->shown[series] = signature;
  return old;
}

/* The ring of @series as vmd_graph_draw_compact() takes it: sample i,
 * oldest first, is values[(start + i) % capacity] for i < n. */
void
vmd_stats_history_get_ring (const VmdStatsHistory *self,
                            VmdStatsSeries         series,
                            const float          **values,
                            guint                 *capacity,
                            guint                 *start,
                            guint                 *n)
{
  const Ring *ring;

  g_return_if_fail (self != NULL && series < VMD_STATS_N_SERIES);
  ring = &self->rings[series];
  *values = ring->values;
  *capacity = VMD_STATS_HISTORY_LENGTH;
  *start = (ring->head + VMD_STATS_HISTORY_LENGTH - ring->count) % VMD_STATS_HISTORY_LENGTH;
  *n = ring->count;
}
