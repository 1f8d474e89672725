/* vmd-cli-ops.c: vmdesk-cli commands for states, snapshots and live work
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-cli"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "vmd-cli-private.h"
#include "vmd-image.h"
#include "vmd-stats.h"

#define LOOKUP_OR_FAIL(ctx, name, domain)             \
  g_autoptr (GError) error = NULL;                    \
  g_autoptr (GAsyncResult) result = NULL;             \
  VmdDomain *domain = cli_lookup (ctx, name, &error); \
  if (domain == NULL)                                 \
    return cli_fail (error)

int
cli_undefine (CliContext *ctx, int argc, char **argv)
{
  LOOKUP_OR_FAIL (ctx, argv[0], domain);
  g_autofree char *name = g_strdup (vmd_domain_get_name (domain));

  vmd_domain_undefine_async (domain, cli_opt ("remove-storage"), NULL, cli_store_result, &result);
  if (!vmd_domain_undefine_finish (domain, cli_wait (&result), &error))
    return cli_fail (error);
  printf (_("Domain “%s” has been undefined\n"), name);
  return 0;
}

int
cli_save (CliContext *ctx, int argc, char **argv)
{
  LOOKUP_OR_FAIL (ctx, argv[0], domain);

  vmd_domain_save_async (domain, argv[1], NULL, cli_store_result, &result);
  if (!vmd_domain_save_finish (domain, cli_wait (&result), &error))
    return cli_fail (error);
  printf (_("Domain “%s” saved to %s\n"), vmd_domain_get_name (domain), argv[1]);
  return 0;
}

int
cli_restore (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (VmdDomain) domain = NULL;

  vmd_connection_restore_async (ctx->connection, argv[0],
                                cli_opt ("paused") ? VMD_START_PAUSED : VMD_START_NONE, NULL,
                                cli_store_result, &result);
  domain = vmd_connection_restore_finish (ctx->connection, cli_wait (&result), &error);
  if (domain == NULL)
    return cli_fail (error);
  printf (_("Domain “%s” restored from %s\n"), vmd_domain_get_name (domain), argv[0]);
  return 0;
}

int
cli_snapshot_create (CliContext *ctx, int argc, char **argv)
{
  LOOKUP_OR_FAIL (ctx, argv[0], domain);

  vmd_domain_snapshot_create_async (domain, argv[1], argc > 2 ? argv[2] : NULL, NULL,
                                    cli_store_result, &result);
  if (!vmd_domain_snapshot_create_finish (domain, cli_wait (&result), &error))
    return cli_fail (error);
  printf (_("Domain snapshot “%s” created\n"), argv[1]);
  return 0;
}

int
cli_snapshot_list (CliContext *ctx, int argc, char **argv)
{
  LOOKUP_OR_FAIL (ctx, argv[0], domain);
  g_autoptr (GPtrArray) snapshots = vmd_domain_list_snapshots (domain);
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  if (cli_opt ("json"))
    json_builder_begin_array (builder);
  else
    {
      printf (" %-20s %-25s %-10s %-20s %s\n", "Name", "Creation Time", "State", "Parent",
              "Description");
      printf ("%s\n", "--------------------------------------------------------------------------------------");
    }
  for (guint i = 0; i < snapshots->len; i++)
    {
      VmdSnapshot *snapshot = g_ptr_array_index (snapshots, i);
      GDateTime *created = vmd_snapshot_get_created (snapshot);
      g_autofree char *when = created ? g_date_time_format (created, "%Y-%m-%d %H:%M:%S %z")
                                      : g_strdup ("");
      const char *state = vmd_snapshot_get_state (snapshot) == VMD_DOMAIN_STATE_SHUTOFF
                          ? "shutoff"
                          : vmd_snapshot_get_state (snapshot) == VMD_DOMAIN_STATE_PAUSED ? "paused"
                                                                                         : "running";

      if (cli_opt ("json"))
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, vmd_snapshot_get_name (snapshot));
          json_builder_set_member_name (builder, "description");
          json_builder_add_string_value (builder, vmd_snapshot_get_description (snapshot));
          json_builder_set_member_name (builder, "created");
          json_builder_add_string_value (builder, when);
          json_builder_set_member_name (builder, "state");
          json_builder_add_string_value (builder, state);
          json_builder_set_member_name (builder, "parent");
          json_builder_add_string_value (builder, vmd_snapshot_get_parent (snapshot));
          json_builder_set_member_name (builder, "current");
          json_builder_add_boolean_value (builder, vmd_snapshot_is_current (snapshot));
          json_builder_end_object (builder);
        }
      else
        printf (" %-20s %-25s %-10s %-20s %s%s\n", vmd_snapshot_get_name (snapshot), when, state,
                vmd_snapshot_get_parent (snapshot) ? vmd_snapshot_get_parent (snapshot) : "",
                vmd_snapshot_get_description (snapshot) ? vmd_snapshot_get_description (snapshot)
                                                        : "",
                vmd_snapshot_is_current (snapshot) ? " (current)" : "");
    }
  if (cli_opt ("json"))
    {
      g_autoptr (JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      text = json_to_string (root, TRUE);
      printf ("%s\n", text);
    }
  return 0;
}

int
cli_snapshot_revert (CliContext *ctx, int argc, char **argv)
{
  LOOKUP_OR_FAIL (ctx, argv[0], domain);

  vmd_domain_snapshot_revert_async (domain, argv[1], NULL, cli_store_result, &result);
  if (!vmd_domain_snapshot_revert_finish (domain, cli_wait (&result), &error))
    return cli_fail (error);
  printf (_("Domain “%s” reverted to snapshot “%s”\n"), vmd_domain_get_name (domain), argv[1]);
  return 0;
}

int
cli_snapshot_delete (CliContext *ctx, int argc, char **argv)
{
  LOOKUP_OR_FAIL (ctx, argv[0], domain);

  vmd_domain_snapshot_delete_async (domain, argv[1], NULL, cli_store_result, &result);
  if (!vmd_domain_snapshot_delete_finish (domain, cli_wait (&result), &error))
    return cli_fail (error);
  printf (_("Domain snapshot “%s” deleted\n"), argv[1]);
  return 0;
}

int
cli_screenshot (CliContext *ctx, int argc, char **argv)
{
  LOOKUP_OR_FAIL (ctx, argv[0], domain);

  vmd_domain_screenshot_async (domain, argv[1], NULL, cli_store_result, &result);
  if (!vmd_domain_screenshot_finish (domain, cli_wait (&result), &error))
    return cli_fail (error);
  printf (_("Screenshot saved to %s\n"), argv[1]);
  return 0;
}

int
cli_send_key (CliContext *ctx, int argc, char **argv)
{
  LOOKUP_OR_FAIL (ctx, argv[0], domain);

  vmd_domain_send_keys_async (domain, (const char *const *) argv + 1, NULL, cli_store_result,
                              &result);
  if (!vmd_domain_send_keys_finish (domain, cli_wait (&result), &error))
    return cli_fail (error);
  return 0;
}

int
cli_setmem (CliContext *ctx, int argc, char **argv)
{
  LOOKUP_OR_FAIL (ctx, argv[0], domain);
  guint64 kib;

  if (!vmd_size_parse (argv[1], "KiB", &kib, &error))
    return cli_fail (error);
  vmd_domain_set_memory_async (domain, kib, NULL, cli_store_result, &result);
  if (!vmd_domain_set_memory_finish (domain, cli_wait (&result), &error))
    return cli_fail (error);
  return 0;
}

int
cli_autostart (CliContext *ctx, int argc, char **argv)
{
  LOOKUP_OR_FAIL (ctx, argv[0], domain);
  gboolean enable = !cli_opt ("disable");

  (void) result;
  if (!vmd_domain_set_autostart (domain, enable, &error))
    return cli_fail (error);
  printf (enable ? _("Domain “%s” marked as autostarted\n")
                 : _("Domain “%s” unmarked as autostarted\n"),
          vmd_domain_get_name (domain));
  return 0;
}

int
cli_domstats (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GPtrArray) stats = NULL;

  vmd_connection_collect_stats_async (ctx->connection, NULL, cli_store_result, &result);
  stats = vmd_connection_collect_stats_finish (ctx->connection, cli_wait (&result), &error);
  if (stats == NULL)
    return cli_fail (error);

  for (guint i = 0; i < stats->len; i++)
    {
      VmdStats *s = g_ptr_array_index (stats, i);
      VmdDomain *domain = vmd_connection_lookup_domain (ctx->connection, s->uuid);

      if (argc > 0 && (domain == NULL || g_strcmp0 (vmd_domain_get_name (domain), argv[0]) != 0))
        continue;
      printf ("Domain: '%s'\n", domain ? vmd_domain_get_name (domain) : s->uuid);
      printf ("  cpu.time=%" G_GINT64_FORMAT "\n", s->cpu_time_ns);
      printf ("  vcpu.current=%u\n", s->vcpus);
      printf ("  balloon.current=%" G_GINT64_FORMAT "\n", s->memory_kib);
      printf ("  balloon.rss=%" G_GINT64_FORMAT "\n", s->rss_kib);
      printf ("  block.rd.bytes=%" G_GINT64_FORMAT "\n", s->disk_read_bytes);
      printf ("  block.wr.bytes=%" G_GINT64_FORMAT "\n", s->disk_write_bytes);
      printf ("  block.rd.reqs=%" G_GINT64_FORMAT "\n", s->disk_read_ops);
      printf ("  block.wr.reqs=%" G_GINT64_FORMAT "\n", s->disk_write_ops);
      if (s->net_rx_bytes >= 0)
        printf ("  net.rx.bytes=%" G_GINT64_FORMAT "\n  net.tx.bytes=%" G_GINT64_FORMAT "\n",
                s->net_rx_bytes, s->net_tx_bytes);
      printf ("\n");
    }
  return 0;
}

int
cli_clone (CliContext *ctx, int argc, char **argv)
{
  LOOKUP_OR_FAIL (ctx, argv[0], domain);
  g_autoptr (VmdDomain) clone = NULL;

  vmd_connection_clone_async (ctx->connection, domain, argv[1], cli_opt ("linked"), NULL,
                              cli_store_result, &result);
  clone = vmd_connection_clone_finish (ctx->connection, cli_wait (&result), &error);
  if (clone == NULL)
    return cli_fail (error);
  printf (_("Domain “%s” cloned as “%s”\n"), vmd_domain_get_name (domain),
          vmd_domain_get_name (clone));
  return 0;
}

int
cli_vol_create (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  const char *format = cli_opt_string ("format");
  guint64 kib;

  if (!vmd_size_parse (argv[1], "GiB", &kib, &error))
    return cli_fail (error);
  vmd_image_create_async (argv[0], format ? format : "qcow2", kib * 1024, NULL, NULL,
                          cli_store_result, &result);
  if (!vmd_image_create_finish (cli_wait (&result), &error))
    return cli_fail (error);
  printf (_("Disk image %s created\n"), argv[0]);
  return 0;
}
