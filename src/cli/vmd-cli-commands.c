/* vmd-cli-commands.c: listing and lifecycle commands of vmdesk-cli
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-cli"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "vmd-cli-private.h"

/* virsh's words for states, which scripts already parse. */
static const char *
state_word (VmdDomainState state)
{
  switch (state)
    {
    case VMD_DOMAIN_STATE_RUNNING: return "running";
    case VMD_DOMAIN_STATE_PAUSED: return "paused";
    case VMD_DOMAIN_STATE_SHUTTING_DOWN: return "in shutdown";
    case VMD_DOMAIN_STATE_CRASHED: return "crashed";
    case VMD_DOMAIN_STATE_SHUTOFF:
    default: return "shut off";
    }
}

/* The connection is a summary one (see the command table): its domains
 * are partial, with only names, UUIDs, titles, states and autostart. */
static int
cmd_list (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GPtrArray) domains = vmd_connection_list_domains (ctx->connection);
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  if (cli_opt ("json"))
    json_builder_begin_array (builder);
  else
    {
      printf (" %-36s  %-30s  %s\n", "UUID", "Name", "State");
      printf ("%s\n", "----------------------------------------------------------------------------------");
    }

  for (guint i = 0; i < domains->len; i++)
    {
      VmdDomain *domain = g_ptr_array_index (domains, i);
      VmdDomainState state = vmd_domain_get_state (domain);

      if (!cli_opt ("all") && !vmd_domain_is_active (domain))
        continue;
      if (cli_opt ("json"))
        {
          g_autofree char *title = vmd_domain_get_title (domain);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, vmd_domain_get_name (domain));
          json_builder_set_member_name (builder, "uuid");
          json_builder_add_string_value (builder, vmd_domain_get_uuid (domain));
          json_builder_set_member_name (builder, "title");
          json_builder_add_string_value (builder, title);
          json_builder_set_member_name (builder, "state");
          json_builder_add_string_value (builder, state_word (state));
          json_builder_set_member_name (builder, "autostart");
          json_builder_add_boolean_value (builder, vmd_domain_get_autostart (domain));
          json_builder_end_object (builder);
        }
      else
        printf (" %-36s  %-30s  %s\n", vmd_domain_get_uuid (domain), vmd_domain_get_name (domain),
                state_word (state));
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

static int
cmd_domstate (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  VmdDomain *domain = cli_lookup (ctx, argv[0], &error);

  if (domain == NULL)
    return cli_fail (error);
  printf ("%s\n", state_word (vmd_domain_get_state (domain)));
  if (vmd_domain_get_error_message (domain) != NULL)
    printf ("%s\n", vmd_domain_get_error_message (domain));
  return 0;
}

static int
cmd_dominfo (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  VmdDomain *domain = cli_lookup (ctx, argv[0], &error);
  VmdDomainConfig *config;
  g_autofree char *type = NULL;
  g_autofree char *title = NULL;
  g_autofree char *memory = NULL;
  g_autofree char *current = NULL;

  if (domain == NULL)
    return cli_fail (error);

  config = vmd_domain_get_config (domain);
  type = vmd_domain_config_get_domain_type (config);
  title = vmd_domain_config_get_title (config);
  memory = vmd_size_format (vmd_domain_config_get_memory (config));
  current = vmd_size_format (vmd_domain_config_get_current_memory (config));

  printf ("%-16s%s\n", "Name:", vmd_domain_get_name (domain));
  printf ("%-16s%s\n", "UUID:", vmd_domain_get_uuid (domain));
  if (title != NULL)
    printf ("%-16s%s\n", "Title:", title);
  printf ("%-16s%s\n", "OS Type:", "hvm");
  printf ("%-16s%s\n", "State:", state_word (vmd_domain_get_state (domain)));
  printf ("%-16s%s\n", "Reason:", vmd_state_reason_to_string (vmd_domain_get_state_reason (domain)));
  printf ("%-16s%u\n", "CPU(s):", vmd_domain_config_get_vcpus (config));
  printf ("%-16s%s\n", "Max memory:", memory);
  printf ("%-16s%s\n", "Used memory:", current);
  printf ("%-16s%s\n", "Accelerator:", g_strcmp0 (type, "kvm") == 0 ? "KVM" : "TCG (software)");
  printf ("%-16s%s\n", "Autostart:", vmd_domain_get_autostart (domain) ? "enable" : "disable");
  if (vmd_domain_get_error_message (domain) != NULL)
    printf ("%-16s%s\n", "Error:", vmd_domain_get_error_message (domain));
  return 0;
}

/* Runs one domain operation and waits for it. */
typedef void     (*DomainAsync)  (VmdDomain *, GCancellable *, GAsyncReadyCallback, gpointer);
typedef gboolean (*DomainFinish) (VmdDomain *, GAsyncResult *, GError **);

static int
run_simple (CliContext *ctx, const char *name, DomainAsync op, DomainFinish finish,
            const char *done_format)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  VmdDomain *domain = cli_lookup (ctx, name, &error);

  if (domain == NULL)
    return cli_fail (error);
  op (domain, NULL, cli_store_result, &result);
  if (!finish (domain, cli_wait (&result), &error))
    return cli_fail (error);
  printf (done_format, vmd_domain_get_name (domain));
  printf ("\n");
  return 0;
}

/* Switches @domain's definition to software emulation (TCG). */
static gboolean
use_tcg (VmdDomain *domain, GError **error)
{
  g_autoptr (VmdDomainConfig) config = vmd_domain_config_copy (vmd_domain_get_config (domain));
  g_autoptr (GAsyncResult) result = NULL;

  vmd_domain_config_set_domain_type (config, "qemu");
  vmd_domain_set_config_async (domain, config, NULL, cli_store_result, &result);
  return vmd_domain_set_config_finish (domain, cli_wait (&result), error);
}

static int
cmd_start (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  VmdDomain *domain = cli_lookup (ctx, argv[0], &error);
  g_autofree char *type = NULL;

  if (domain == NULL)
    return cli_fail (error);
  if (cli_opt ("tcg") && !use_tcg (domain, &error))
    return cli_fail (error);

  vmd_domain_start_async (domain, cli_opt ("paused") ? VMD_START_PAUSED : VMD_START_NONE, NULL,
                          cli_store_result, &result);
  if (!vmd_domain_start_finish (domain, cli_wait (&result), &error))
    return cli_fail (error);

  /* KVM can be there and still fail to run a guest; it shows within a
   * moment of starting, so say it now rather than leave a frozen VM. */
  type = vmd_domain_config_get_domain_type (vmd_domain_get_config (domain));
  if (g_strcmp0 (type, "kvm") == 0 && !cli_opt ("paused"))
    {
      gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

      while (g_get_monotonic_time () < deadline &&
             vmd_domain_get_state_reason (domain) != VMD_STATE_REASON_INTERNAL_ERROR)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (20000);
        }
      if (vmd_domain_get_state_reason (domain) == VMD_STATE_REASON_INTERNAL_ERROR)
        {
          g_printerr ("%s\n", vmd_domain_get_error_message (domain));
          g_printerr (_("Run “vmdesk-cli destroy %s” and then “vmdesk-cli start --tcg %s” to use software emulation.\n"),
                      argv[0], argv[0]);
          return 1;
        }
    }
  printf (_("Domain “%s” started\n"), vmd_domain_get_name (domain));
  return 0;
}

static int
cmd_shutdown (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  VmdDomain *domain;
  int ret = run_simple (ctx, argv[0], vmd_domain_shutdown_async, vmd_domain_shutdown_finish,
                        _("Domain “%s” is being shut down"));

  if (ret != 0 || !cli_opt ("wait"))
    return ret;
  domain = cli_lookup (ctx, argv[0], &error);
  if (!cli_wait_for_state (domain, VMD_DOMAIN_STATE_SHUTOFF, cli_timeout ()))
    {
      g_printerr (_("The virtual machine “%s” did not shut down within %u seconds.\n"), argv[0],
                  cli_timeout ());
      return 1;
    }
  printf (_("Domain “%s” is shut off\n"), argv[0]);
  return 0;
}

static int
cmd_reboot (CliContext *ctx, int argc, char **argv)
{
  return run_simple (ctx, argv[0], vmd_domain_reboot_async, vmd_domain_reboot_finish,
                     _("Domain “%s” is being rebooted"));
}

static int
cmd_reset (CliContext *ctx, int argc, char **argv)
{
  return run_simple (ctx, argv[0], vmd_domain_reset_async, vmd_domain_reset_finish,
                     _("Domain “%s” was reset"));
}

static int
cmd_destroy (CliContext *ctx, int argc, char **argv)
{
  return run_simple (ctx, argv[0], vmd_domain_destroy_async, vmd_domain_destroy_finish,
                     _("Domain “%s” destroyed"));
}

static int
cmd_suspend (CliContext *ctx, int argc, char **argv)
{
  return run_simple (ctx, argv[0], vmd_domain_suspend_async, vmd_domain_suspend_finish,
                     _("Domain “%s” suspended"));
}

static int
cmd_resume (CliContext *ctx, int argc, char **argv)
{
  return run_simple (ctx, argv[0], vmd_domain_resume_async, vmd_domain_resume_finish,
                     _("Domain “%s” resumed"));
}

static const CliCommand commands[] = {
  { "list", "list [--all] [--json]", N_("List virtual machines"), 0, 0, TRUE, cmd_list, TRUE },
  { "define", "define FILE", N_("Define a virtual machine from an XML file"), 1, 1, TRUE,
    cli_define },
  { "dumpxml", "dumpxml NAME", N_("Print a virtual machine's definition"), 1, 1, TRUE,
    cli_dumpxml },
  { "edit", "edit NAME", N_("Edit a definition in $EDITOR"), 1, 1, TRUE, cli_edit },
  { "qemu-argv", "qemu-argv NAME|FILE", N_("Print the QEMU command line a definition starts"),
    1, 1, TRUE, cli_qemu_argv },
  { "dominfo", "dominfo NAME", N_("Show a virtual machine's basic information"), 1, 1, TRUE,
    cmd_dominfo },
  { "domstate", "domstate NAME", N_("Show a virtual machine's state"), 1, 1, TRUE, cmd_domstate },
  { "start", "start NAME [--paused] [--tcg]", N_("Start a virtual machine"), 1, 1, TRUE,
    cmd_start },
  { "shutdown", "shutdown NAME [--wait]", N_("Ask the guest to power off (ACPI)"), 1, 1, TRUE,
    cmd_shutdown },
  { "reboot", "reboot NAME", N_("Ask the guest to reboot"), 1, 1, TRUE, cmd_reboot },
  { "reset", "reset NAME", N_("Reset the virtual machine at once"), 1, 1, TRUE, cmd_reset },
  { "destroy", "destroy NAME", N_("Force a virtual machine off"), 1, 1, TRUE, cmd_destroy },
  { "suspend", "suspend NAME", N_("Pause a virtual machine"), 1, 1, TRUE, cmd_suspend },
  { "resume", "resume NAME", N_("Resume a paused virtual machine"), 1, 1, TRUE, cmd_resume },
  { "undefine", "undefine NAME [--remove-storage]", N_("Delete a shut off virtual machine"), 1,
    1, TRUE, cli_undefine },
  { "save", "save NAME FILE", N_("Save a running virtual machine's state to a file and stop it"),
    2, 2, TRUE, cli_save },
  { "restore", "restore FILE [--paused]", N_("Restore a virtual machine from a saved state"), 1,
    1, TRUE, cli_restore },
  { "snapshot-create", "snapshot-create NAME SNAPSHOT [DESCRIPTION]", N_("Take a snapshot"), 2,
    3, TRUE, cli_snapshot_create },
  { "snapshot-list", "snapshot-list NAME [--json]", N_("List a virtual machine's snapshots"), 1,
    1, TRUE, cli_snapshot_list },
  { "snapshot-revert", "snapshot-revert NAME SNAPSHOT", N_("Go back to a snapshot"), 2, 2, TRUE,
    cli_snapshot_revert },
  { "snapshot-delete", "snapshot-delete NAME SNAPSHOT", N_("Delete a snapshot"), 2, 2, TRUE,
    cli_snapshot_delete },
  { "screenshot", "screenshot NAME FILE.png", N_("Save the display to a PNG file"), 2, 2, TRUE,
    cli_screenshot },
  { "send-key", "send-key NAME KEY…", N_("Press keys together, such as ctrl alt delete"), 2, -1,
    TRUE, cli_send_key },
  { "setmem", "setmem NAME SIZE", N_("Change the memory in use (balloon) of a running VM"), 2, 2,
    TRUE, cli_setmem },
  { "autostart", "autostart NAME [--disable]", N_("Start a virtual machine with vmdesk"), 1, 1,
    TRUE, cli_autostart },
  { "domstats", "domstats [NAME]", N_("Print resource use of running virtual machines"), 0, 1,
    TRUE, cli_domstats },
  { "clone", "clone NAME NEW-NAME [--linked]", N_("Copy a shut off virtual machine"), 2, 2,
    TRUE, cli_clone },
  { "vol-create", "vol-create PATH SIZE [--format raw]", N_("Create a disk image"), 2, 2, FALSE,
    cli_vol_create },
  { "attach-device", "attach-device NAME FILE.xml", N_("Add a device, live if the VM runs"), 2,
    2, TRUE, cli_attach_device },
  { "detach-device", "detach-device NAME FILE.xml", N_("Remove a device, live if the VM runs"),
    2, 2, TRUE, cli_detach_device },
  { "change-media", "change-media NAME TARGET [PATH] [--eject]",
    N_("Insert or eject a CD-ROM or floppy"), 2, 3, TRUE, cli_change_media },
  { "nodeinfo", "nodeinfo [--force]",
    N_("Show this computer's CPUs, memory and whether KVM works (probed once, then cached)"), 0, 0,
    FALSE, cli_nodeinfo },
  { "console", "console NAME [DEVICE]", N_("Attach to a serial console (Ctrl+] leaves)"), 1, 2,
    TRUE, cli_console },
  { NULL }
};

const CliCommand *
cli_commands (void)
{
  return commands;
}
