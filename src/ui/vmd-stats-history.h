/* vmd-stats-history.h: the last few samples of one VM's resource use
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  VMD_STATS_SERIES_GUEST_CPU,   /* percent of the VM's vCPUs */
  VMD_STATS_SERIES_HOST_CPU,    /* percent of one host CPU */
  VMD_STATS_SERIES_MEMORY,      /* bytes of host memory QEMU holds */
  VMD_STATS_SERIES_DISK,        /* bytes per second, read and written */
  VMD_STATS_SERIES_NETWORK,     /* bytes per second, received and sent */
  VMD_STATS_N_SERIES
} VmdStatsSeries;

#define VMD_STATS_HISTORY_LENGTH 40

typedef struct _VmdStatsHistory VmdStatsHistory;

VmdStatsHistory *vmd_stats_history_new    (void);
void             vmd_stats_history_free   (VmdStatsHistory *self);
void             vmd_stats_history_clear  (VmdStatsHistory *self);
void             vmd_stats_history_push   (VmdStatsHistory *self,
                                           VmdStatsSeries   series,
                                           float            value);
guint            vmd_stats_history_get_n_samples (const VmdStatsHistory *self,
                                                  VmdStatsSeries         series);
float            vmd_stats_history_get_sample    (const VmdStatsHistory *self,
                                                  VmdStatsSeries         series,
                                                  guint                  index);
float            vmd_stats_history_get_last      (const VmdStatsHistory *self,
                                                  VmdStatsSeries         series);
float            vmd_stats_history_get_max       (const VmdStatsHistory *self,
                                                  VmdStatsSeries         series);

void             vmd_stats_history_get_ring      (const VmdStatsHistory *self,
                                                  VmdStatsSeries         series,
                                                  const float          **values,
                                                  guint                 *capacity,
                                                  guint                 *start,
                                                  guint                 *n);
guint            vmd_stats_history_swap_shown    (VmdStatsHistory       *self,
                                                  VmdStatsSeries         series,
                                                  guint                  signature);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdStatsHistory, vmd_stats_history_free)

G_END_DECLS
