/* vmd-stats.c: one sample of a running virtual machine's resource use
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-engine"

#include "vmd-stats.h"

G_DEFINE_BOXED_TYPE (VmdStats, vmd_stats, vmd_stats_copy, vmd_stats_free)

VmdStats *
vmd_stats_new (const char *uuid)
{
  VmdStats *stats = g_new0 (VmdStats, 1);

  stats->uuid = g_strdup (uuid);
  stats->cpu_time_ns = -1;
  stats->memory_kib = -1;
  stats->rss_kib = -1;
  stats->disk_read_bytes = -1;
  stats->disk_write_bytes = -1;
  stats->disk_read_ops = -1;
  stats->disk_write_ops = -1;
  stats->net_rx_bytes = -1;
  stats->net_tx_bytes = -1;
  return stats;
}

VmdStats *
vmd_stats_copy (const VmdStats *stats)
{
  VmdStats *copy = g_memdup2 (stats, sizeof *stats);

  copy->uuid = g_strdup (stats->uuid);
  return copy;
}

void
vmd_stats_free (VmdStats *stats)
{
  if (stats == NULL)
    return;
  g_free (stats->uuid);
  g_free (stats);
}

/* Host CPU use between two samples, in percent of one host CPU. */
double
vmd_stats_cpu_percent (const VmdStats *previous, const VmdStats *current)
{
  gint64 dt = current->timestamp_us - previous->timestamp_us;

  if (dt <= 0 || previous->cpu_time_ns < 0 || current->cpu_time_ns < previous->cpu_time_ns)
    return 0.0;
  return (double) (current->cpu_time_ns - previous->cpu_time_ns) / 10.0 / (double) dt;
}
