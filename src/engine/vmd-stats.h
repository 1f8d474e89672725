/* vmd-stats.h: one sample of a running virtual machine's resource use
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define VMD_TYPE_STATS (vmd_stats_get_type ())

/* What a stats pass reads. Fields not asked for stay -1. */
typedef enum {
  VMD_STATS_FIELD_NONE   = 0,
  VMD_STATS_FIELD_CPU    = 1 << 0,  /* cpu_time_ns, vcpus: /proc, no QMP */
  VMD_STATS_FIELD_MEMORY = 1 << 1,  /* rss_kib: /proc, no QMP */
  VMD_STATS_FIELD_GUEST_MEMORY = 1 << 2,  /* memory_kib: the balloon, QMP */
  VMD_STATS_FIELD_DISK   = 1 << 3,  /* disk_*: QMP query-blockstats */
  VMD_STATS_FIELD_NET    = 1 << 4,  /* net_*: the host's tap counters */
  VMD_STATS_FIELD_ALL    = 0x1f,
} VmdStatsFields;

/* Counters are cumulative since the VM started; the UI turns them into
 * rates between two samples. -1 means "not known". */
typedef struct {
  char    *uuid;
  gint64   timestamp_us;      /* monotonic */
  gint64   cpu_time_ns;       /* host CPU time used by the QEMU process */
  guint    vcpus;
  gint64   memory_kib;        /* guest memory in use (balloon actual) */
  gint64   rss_kib;           /* host memory of the QEMU process */
  gint64   disk_read_bytes;
  gint64   disk_write_bytes;
  gint64   disk_read_ops;
  gint64   disk_write_ops;
  gint64   net_rx_bytes;
  gint64   net_tx_bytes;
} VmdStats;

GType     vmd_stats_get_type (void) G_GNUC_CONST;
VmdStats *vmd_stats_new      (const char *uuid);
VmdStats *vmd_stats_copy     (const VmdStats *stats);
void      vmd_stats_free     (VmdStats       *stats);
double    vmd_stats_cpu_percent (const VmdStats *previous,
                                 const VmdStats *current);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdStats, vmd_stats_free)

G_END_DECLS
