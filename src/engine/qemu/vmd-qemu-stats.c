/* vmd-qemu-stats.c: one pass over every running VM of the embedded engine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One pass reads /proc (and the tap counters) for all QEMU processes in
 * one worker thread, then asks each QEMU for its block and balloon
 * counters over QMP, all at once; the pass completes when the last answer
 * is in. Only what the caller asks for is read: a pass for the CPU column
 * alone is one small read per VM and no QMP at all.
 */
#define G_LOG_DOMAIN "vmdesk-engine"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <unistd.h>

#include "vmd-device-types.h"
#include "vmd-qemu-domain-private.h"
#include "vmd-qemu-stats.h"
#include "vmd-stats.h"

typedef struct {
  GPtrArray *domains;   /* VmdQemuDomain, running */
  GArray    *pids;      /* GPid */
  GPtrArray *taps;      /* GStrv: host tap devices of each VM */
  GPtrArray *stats;     /* VmdStats, same order */
  VmdStatsFields fields;
  guint      pending;
} StatsPass;

static void
stats_pass_free (StatsPass *pass)
{
  g_clear_pointer (&pass->domains, g_ptr_array_unref);
  g_clear_pointer (&pass->pids, g_array_unref);
  g_clear_pointer (&pass->taps, g_ptr_array_unref);
  g_clear_pointer (&pass->stats, g_ptr_array_unref);
  g_free (pass);
}

/* A small /proc file into @buf (NUL-terminated): one open, one read, no
 * allocation. */
static gboolean
read_small_file (const char *path, char *buf, gsize size)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  gssize n;

  if (fd < 0)
    return FALSE;
  do
    n = read (fd, buf, size - 1);
  while (n < 0 && errno == EINTR);
  close (fd);
  if (n <= 0)
    return FALSE;
  buf[n] = '\0';
  return TRUE;
}

/* utime + stime of /proc/PID/stat, in nanoseconds. */
static gint64
read_cpu_time (GPid pid)
{
  char path[64], text[1024];
  const char *p;
  guint64 utime, stime;
  char *end;

  g_snprintf (path, sizeof path, "/proc/%d/stat", pid);
  if (!read_small_file (path, text, sizeof text))
    return -1;
  /* The command name may hold spaces: count fields after its ')'.
   * utime and stime are the 12th and 13th fields after it. */
  p = strrchr (text, ')');
  if (p == NULL)
    return -1;
  p++;
  for (int field = 0; field < 11; field++)
    {
      p = strchr (p + 1, ' ');
      if (p == NULL)
        return -1;
    }
  utime = g_ascii_strtoull (p + 1, &end, 10);
  if (end == p + 1 || *end != ' ')
    return -1;
  stime = g_ascii_strtoull (end + 1, &end, 10);
  return (gint64) ((utime + stime) * (G_GUINT64_CONSTANT (1000000000) / sysconf (_SC_CLK_TCK)));
}

/* The resident size of /proc/PID/statm (its second field, in pages). */
static gint64
read_rss_kib (GPid pid)
{
  char path[64], text[256];
  const char *p;

  g_snprintf (path, sizeof path, "/proc/%d/statm", pid);
  if (!read_small_file (path, text, sizeof text))
    return -1;
  p = strchr (text, ' ');
  if (p == NULL)
    return -1;
  return (gint64) g_ascii_strtoull (p + 1, NULL, 10) * (sysconf (_SC_PAGESIZE) / 1024);
}

static gint64
read_counter (const char *tap, const char *name)
{
  char path[128], text[64];

  g_snprintf (path, sizeof path, "/sys/class/net/%s/statistics/%s", tap, name);
  if (!read_small_file (path, text, sizeof text))
    return -1;
  return (gint64) g_ascii_strtoull (text, NULL, 10);
}

/* A tap device's counters are the host's view: what it receives, the
 * guest sent. User-mode networking has no counters to read. */
static void
read_network (VmdStats *stats, const char *const *taps)
{
  for (guint i = 0; taps != NULL && taps[i] != NULL; i++)
    {
      gint64 rx = read_counter (taps[i], "tx_bytes");
      gint64 tx = read_counter (taps[i], "rx_bytes");

      if (rx < 0 || tx < 0)
        continue;
      stats->net_rx_bytes = MAX (stats->net_rx_bytes, 0) + rx;
      stats->net_tx_bytes = MAX (stats->net_tx_bytes, 0) + tx;
    }
}

static void
proc_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  StatsPass *pass = task_data;

  for (guint i = 0; i < pass->pids->len; i++)
    {
      GPid pid = g_array_index (pass->pids, GPid, i);
      VmdStats *stats = g_ptr_array_index (pass->stats, i);

      stats->timestamp_us = g_get_monotonic_time ();
      if (pass->fields & VMD_STATS_FIELD_CPU)
        stats->cpu_time_ns = read_cpu_time (pid);
      if (pass->fields & VMD_STATS_FIELD_MEMORY)
        stats->rss_kib = read_rss_kib (pid);
      if (pass->fields & VMD_STATS_FIELD_NET)
        read_network (stats, g_ptr_array_index (pass->taps, i));
    }
  g_task_return_boolean (task, TRUE);
}

static void
one_answer_in (GTask *task)
{
  StatsPass *pass = g_task_get_task_data (task);

  if (--pass->pending > 0)
    return;
  g_task_return_pointer (task, g_ptr_array_ref (pass->stats), (GDestroyNotify) g_ptr_array_unref);
}

typedef struct {
  GTask    *task;
  VmdStats *stats;
} Answer;

static void
blockstats_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Answer *answer = user_data;
  g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result,
                                                              NULL);

  if (reply != NULL && JSON_NODE_HOLDS_ARRAY (reply))
    {
      JsonArray *devices = json_node_get_array (reply);
      VmdStats *stats = answer->stats;

      stats->disk_read_bytes = stats->disk_write_bytes = 0;
      stats->disk_read_ops = stats->disk_write_ops = 0;
      for (guint i = 0; i < json_array_get_length (devices); i++)
        {
          JsonObject *device = json_array_get_object_element (devices, i);
          JsonObject *counters;

          if (device == NULL || !json_object_has_member (device, "stats"))
            continue;
          counters = json_object_get_object_member (device, "stats");
          stats->disk_read_bytes += json_object_get_int_member_with_default (counters, "rd_bytes", 0);
          stats->disk_write_bytes += json_object_get_int_member_with_default (counters, "wr_bytes", 0);
          stats->disk_read_ops += json_object_get_int_member_with_default (counters, "rd_operations", 0);
          stats->disk_write_ops += json_object_get_int_member_with_default (counters, "wr_operations", 0);
        }
    }
  one_answer_in (answer->task);
  g_object_unref (answer->task);
  g_free (answer);
}

static void
balloon_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Answer *answer = user_data;
  g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result,
                                                              NULL);

  /* Without a balloon device the guest has all it was given. */
  if (reply != NULL && JSON_NODE_HOLDS_OBJECT (reply))
    answer->stats->memory_kib = json_object_get_int_member_with_default (
      json_node_get_object (reply), "actual", -1024) / 1024;
  one_answer_in (answer->task);
  g_object_unref (answer->task);
  g_free (answer);
}

static void
ask (GTask *task, VmdQemuDomain *domain, VmdStats *stats, const char *command,
     GAsyncReadyCallback callback)
{
  StatsPass *pass = g_task_get_task_data (task);
  Answer *answer = g_new0 (Answer, 1);

  answer->task = g_object_ref (task);
  answer->stats = stats;
  pass->pending++;
  vmd_qmp_client_execute_async (domain->qmp, command, NULL, g_task_get_cancellable (task),
                                callback, answer);
}

static void
proc_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  StatsPass *pass = g_task_get_task_data (task);

  pass->pending = 1;
  for (guint i = 0; i < pass->domains->len; i++)
    {
      VmdQemuDomain *domain = g_ptr_array_index (pass->domains, i);
      VmdStats *stats = g_ptr_array_index (pass->stats, i);

      if (domain->qmp == NULL)
        continue;  /* it stopped meanwhile */
      if (pass->fields & VMD_STATS_FIELD_DISK)
        ask (task, domain, stats, "query-blockstats", blockstats_done);
      if (pass->fields & VMD_STATS_FIELD_GUEST_MEMORY)
        {
          stats->memory_kib = (gint64) vmd_domain_config_get_current_memory (
            vmd_domain_get_config (VMD_DOMAIN (domain)));
          ask (task, domain, stats, "query-balloon", balloon_done);
        }
    }
  one_answer_in (task);
}

/* The host-side tap devices the definition names (<target dev='tap0'/>). */
static GStrv
tap_devices (VmdDomainConfig *config)
{
  g_autoptr (GPtrArray) nics = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_INTERFACE);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < nics->len; i++)
    {
      g_autofree char *dev = vmd_device_interface_get_target_dev (g_ptr_array_index (nics, i));
      if (dev != NULL && strchr (dev, '/') == NULL)
        g_strv_builder_add (builder, dev);
    }
  return g_strv_builder_end (builder);
}

/**
 * vmd_qemu_stats_collect_async:
 *
 * Samples the running VMs of @connection among @uuids (all when %NULL)
 * once, reading only @fields.
 */
void
vmd_qemu_stats_collect_async (VmdConnection       *connection,
                              VmdStatsFields       fields,
                              const char *const   *uuids,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (connection, cancellable, callback, user_data);
  g_autoptr (GTask) proc = NULL;
  g_autoptr (GPtrArray) domains = vmd_connection_list_domains (connection);
  StatsPass *pass = g_new0 (StatsPass, 1);

  g_task_set_source_tag (task, vmd_qemu_stats_collect_async);
  pass->domains = g_ptr_array_new_with_free_func (g_object_unref);
  pass->pids = g_array_new (FALSE, FALSE, sizeof (GPid));
  pass->taps = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  pass->stats = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_stats_free);
  pass->fields = fields;
  g_task_set_task_data (task, pass, (GDestroyNotify) stats_pass_free);

  for (guint i = 0; i < domains->len; i++)
    {
      VmdQemuDomain *domain = g_ptr_array_index (domains, i);
      VmdStats *stats;

      if (domain->qmp == NULL || domain->pid <= 0)
        continue;
      if (uuids != NULL && !g_strv_contains (uuids, vmd_domain_get_uuid (VMD_DOMAIN (domain))))
        continue;
      stats = vmd_stats_new (vmd_domain_get_uuid (VMD_DOMAIN (domain)));
      stats->vcpus = vmd_domain_config_get_vcpus (vmd_domain_get_config (VMD_DOMAIN (domain)));
      g_ptr_array_add (pass->domains, g_object_ref (domain));
      g_array_append_val (pass->pids, domain->pid);
      g_ptr_array_add (pass->taps, (fields & VMD_STATS_FIELD_NET)
                                   ? tap_devices (vmd_domain_get_config (VMD_DOMAIN (domain)))
                                   : NULL);
      g_ptr_array_add (pass->stats, stats);
    }

  if (pass->domains->len == 0)
    {
      g_task_return_pointer (task, g_ptr_array_ref (pass->stats),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  proc = g_task_new (connection, cancellable, proc_read, g_object_ref (task));
  g_task_set_task_data (proc, pass, NULL);
  g_task_run_in_thread (proc, proc_thread);
}

GPtrArray *
vmd_qemu_stats_collect_finish (VmdConnection *connection, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
