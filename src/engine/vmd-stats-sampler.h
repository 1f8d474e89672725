/* vmd-stats-sampler.h: the connection's one stats pass per interval, for
 * whoever shows stats
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Views that show stats (the manager list's sparkline columns, a VM's
 * Performance page) subscribe with what they show: which VM (or every
 * running VM) and which fields. Every interval the sampler runs one pass
 * over the union of the subscriptions, asking only for the union of
 * their fields: nothing is polled for a column or graph that no one
 * shows, and with no subscription the timer does not run at all.
 *
 * After each pass, "sampled" (GPtrArray *samples of VmdStats, borrowed)
 * is emitted on the main context; get_previous()/get_latest() give the
 * two last samples of a VM, to turn counters into rates.
 */
#pragma once

#include <gio/gio.h>

#include "vmd-stats.h"

G_BEGIN_DECLS

typedef struct _VmdConnection VmdConnection;

#define VMD_TYPE_STATS_SAMPLER (vmd_stats_sampler_get_type ())
G_DECLARE_FINAL_TYPE (VmdStatsSampler, vmd_stats_sampler, VMD, STATS_SAMPLER, GObject)

#define VMD_STATS_DEFAULT_INTERVAL_MS 1000

/* The sampler of @connection (created on first use, owned by it). */
VmdStatsSampler *vmd_connection_get_stats_sampler (VmdConnection   *connection);

/* @uuid: one VM, or NULL for every running VM. Returns an id > 0. */
guint            vmd_stats_sampler_subscribe      (VmdStatsSampler *self,
                                                   const char      *uuid,
                                                   VmdStatsFields   fields);
void             vmd_stats_sampler_unsubscribe    (VmdStatsSampler *self,
                                                   guint            id);
/* Change what a subscription asks for (e.g. a column shown or hidden). */
void             vmd_stats_sampler_update         (VmdStatsSampler *self,
                                                   guint            id,
                                                   VmdStatsFields   fields);
void             vmd_stats_sampler_set_interval   (VmdStatsSampler *self,
                                                   guint            interval_ms);
guint            vmd_stats_sampler_get_interval   (VmdStatsSampler *self);
/* The last two samples of a VM, or NULL. */
const VmdStats  *vmd_stats_sampler_get_latest     (VmdStatsSampler *self,
                                                   const char      *uuid);
const VmdStats  *vmd_stats_sampler_get_previous   (VmdStatsSampler *self,
                                                   const char      *uuid);
/* How many passes ran (for tests and benchmarks). */
guint64          vmd_stats_sampler_get_pass_count (VmdStatsSampler *self);

G_END_DECLS
