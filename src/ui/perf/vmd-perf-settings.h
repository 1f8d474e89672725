/* vmd-perf-settings.h: the application's settings, where stats need them
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vmd-stats-sampler.h"

G_BEGIN_DECLS

/* The application's settings, or NULL when its schema is not installed
 * (an uninstalled run without GSETTINGS_SCHEMA_DIR). */
GSettings *vmd_perf_settings_new            (void);

/* Applies the stats-interval setting to @sampler now and whenever it
 * changes, for as long as @sampler lives. Calling it again does nothing. */
void       vmd_perf_follow_stats_interval   (VmdStatsSampler *sampler);

G_END_DECLS
