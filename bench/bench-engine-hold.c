/* bench-engine-hold.c: the embedded engine's own cost with running VMs
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Usage: bench-engine-hold --data-dir DIR --runtime-dir DIR [--seconds N]
 *                          [--expect N]
 *
 * Opens a VmdQemuConnection on DIR (so it attaches to every VM running
 * there, over QMP), runs one stats pass per second for N seconds (10),
 * then prints what this process used, one "key value" pair per line:
 * its VmRSS, VmHWM and PSS (/proc/self/smaps_rollup), its threads, its
 * CPU time (while opening, and while holding), how long opening and the
 * stats passes took, and each VM's QEMU RSS from the last pass. It is
 * what the app's engine costs, without the GTK part. bench-engine runs
 * it; it can be run by hand on any data/runtime folder pair.
 */
#define G_LOG_DOMAIN "vmdesk-bench"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "vmd-qemu-connection.h"
#include "vmd-stats.h"

typedef struct {
  VmdConnection *connection;
  GMainLoop     *loop;
  guint          passes_left;
  guint          passes_done;
  guint          failed;
  gint64         pass_started;
  GArray        *pass_ms;   /* double */
  GPtrArray     *last;      /* VmdStats of the last pass */
} Hold;

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static void
store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static double
cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec * 1e3 + usage.ru_utime.tv_usec / 1e3 +
         usage.ru_stime.tv_sec * 1e3 + usage.ru_stime.tv_usec / 1e3;
}

/* The number after @key in a /proc file of "Key:   value kB" lines. */
static gint64
proc_value (const char *path, const char *key)
{
  g_autofree char *text = NULL;
  g_autofree char *needle = g_strdup_printf ("\n%s:", key);
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  line = strstr (text, needle);
  if (line == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen (needle), NULL, 10);
}

static void pass_start (Hold *hold);

static void
pass_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Hold *hold = user_data;
  g_autoptr (GError) error = NULL;
  GPtrArray *stats = vmd_connection_collect_stats_finish (VMD_CONNECTION (source), result,
                                                          &error);
  double ms = (g_get_monotonic_time () - hold->pass_started) / 1e3;

  g_array_append_val (hold->pass_ms, ms);
  hold->passes_done++;
  if (stats == NULL)
    {
      g_printerr ("bench-engine-hold: a stats pass failed: %s\n", error->message);
      hold->failed++;
    }
  else
    {
      g_clear_pointer (&hold->last, g_ptr_array_unref);
      hold->last = stats;
    }
}

static gboolean
tick (gpointer user_data)
{
  Hold *hold = user_data;

  if (hold->passes_left == 0)
    {
      g_main_loop_quit (hold->loop);
      return G_SOURCE_REMOVE;
    }
  pass_start (hold);
  return G_SOURCE_CONTINUE;
}

static void
pass_start (Hold *hold)
{
  hold->passes_left--;
  hold->pass_started = g_get_monotonic_time ();
  vmd_connection_collect_stats_async (hold->connection, NULL, pass_done, hold);
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int argc, char *argv[])
{
  g_autofree char *data_dir = NULL;
  g_autofree char *runtime_dir = NULL;
  int seconds = 10;
  int expect = -1;
  const GOptionEntry entries[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "The engine's data folder", "DIR" },
    { "runtime-dir", 0, 0, G_OPTION_ARG_FILENAME, &runtime_dir, "The engine's runtime folder",
      "DIR" },
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "Stats passes, one a second (10)", "N" },
    { "expect", 0, 0, G_OPTION_ARG_INT, &expect, "Fail unless N VMs are running", "N" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("— hold the engine, then report its memory");
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GPtrArray) domains = NULL;
  Hold hold = { 0 };
  gint64 t0;
  double open_ms, cpu_open, cpu_start_hold, cpu_end;
  guint running = 0;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-engine-hold: %s\n", error->message);
      return 2;
    }
  if (data_dir == NULL || runtime_dir == NULL)
    {
      g_printerr ("bench-engine-hold: --data-dir and --runtime-dir are needed\n");
      return 2;
    }

  t0 = g_get_monotonic_time ();
  hold.connection = VMD_CONNECTION (vmd_qemu_connection_new (data_dir, runtime_dir));
  vmd_connection_open_async (hold.connection, NULL, store_result, &result);
  if (!vmd_connection_open_finish (hold.connection, wait_for (&result), &error))
    {
      g_printerr ("bench-engine-hold: the connection did not open: %s\n", error->message);
      return 1;
    }
  open_ms = (g_get_monotonic_time () - t0) / 1e3;
  cpu_open = cpu_ms ();

  domains = vmd_connection_list_domains (hold.connection);
  for (guint i = 0; i < domains->len; i++)
    if (vmd_domain_get_state (g_ptr_array_index (domains, i)) == VMD_DOMAIN_STATE_RUNNING)
      running++;
  if (expect >= 0 && running != (guint) expect)
    {
      g_printerr ("bench-engine-hold: %u VMs are running, %d were expected\n", running, expect);
      return 1;
    }

  hold.loop = g_main_loop_new (NULL, FALSE);
  hold.pass_ms = g_array_new (FALSE, FALSE, sizeof (double));
  hold.passes_left = seconds > 0 ? (guint) seconds : 0;
  cpu_start_hold = cpu_ms ();
  if (hold.passes_left > 0)
    pass_start (&hold);
  g_timeout_add (1000, tick, &hold);
  g_main_loop_run (hold.loop);
  /* The last pass started a second ago; it is long done, unless QMP hangs. */
  while (hold.passes_done < (guint) MAX (seconds, 0))
    g_main_context_iteration (NULL, TRUE);
  cpu_end = cpu_ms ();

  printf ("domains %u\n", domains->len);
  printf ("running %u\n", running);
  printf ("open_ms %.1f\n", open_ms);
  printf ("cpu_open_ms %.1f\n", cpu_open);
  printf ("passes %u\n", hold.passes_done);
  printf ("passes_failed %u\n", hold.failed);
  if (hold.pass_ms->len > 0)
    {
      g_array_sort (hold.pass_ms, compare_double);
      printf ("pass_ms_median %.2f\n", g_array_index (hold.pass_ms, double, hold.pass_ms->len / 2));
      printf ("pass_ms_max %.2f\n", g_array_index (hold.pass_ms, double, hold.pass_ms->len - 1));
    }
  printf ("cpu_hold_ms %.1f\n", cpu_end - cpu_start_hold);
  printf ("cpu_total_ms %.1f\n", cpu_end);
  printf ("vmrss_kib %" G_GINT64_FORMAT "\n", proc_value ("/proc/self/status", "VmRSS"));
  printf ("vmhwm_kib %" G_GINT64_FORMAT "\n", proc_value ("/proc/self/status", "VmHWM"));
  printf ("pss_kib %" G_GINT64_FORMAT "\n", proc_value ("/proc/self/smaps_rollup", "Pss"));
  printf ("threads %" G_GINT64_FORMAT "\n", proc_value ("/proc/self/status", "Threads"));
  for (guint i = 0; hold.last != NULL && i < hold.last->len; i++)
    {
      VmdStats *stats = g_ptr_array_index (hold.last, i);
      printf ("qemu_rss_kib %s %" G_GINT64_FORMAT "\n", stats->uuid, stats->rss_kib);
    }

  fflush (stdout);
  g_clear_pointer (&hold.last, g_ptr_array_unref);
  g_array_unref (hold.pass_ms);
  g_main_loop_unref (hold.loop);
  g_object_unref (hold.connection);
  return hold.failed > 0 ? 1 : 0;
}
