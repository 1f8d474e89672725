/* vmd-perf-settings.c: the application's settings, where stats need them
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-perf"

#include "vmd-perf-settings.h"

GSettings *
vmd_perf_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, VMD_APP_ID, TRUE);
  if (schema == NULL)
    return NULL;
  return g_settings_new (VMD_APP_ID);
}

static void
interval_changed_cb (GSettings *settings, const char *key, gpointer user_data)
{
  VmdStatsSampler *sampler = user_data;

  vmd_stats_sampler_set_interval (sampler, g_settings_get_uint (settings, "stats-interval") * 1000);
}

void
vmd_perf_follow_stats_interval (VmdStatsSampler *sampler)
{
  GSettings *settings;

  g_return_if_fail (VMD_IS_STATS_SAMPLER (sampler));

  if (g_object_get_data (G_OBJECT (sampler), "vmd-perf-settings") != NULL)
    return;
  settings = vmd_perf_settings_new ();
  if (settings == NULL)
    return;
  g_object_set_data_full (G_OBJECT (sampler), "vmd-perf-settings", settings, g_object_unref);
  g_signal_connect_object (settings, "changed::stats-interval", G_CALLBACK (interval_changed_cb),
                           sampler, 0);
  interval_changed_cb (settings, "stats-interval", sampler);
}
