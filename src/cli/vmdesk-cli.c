/* vmdesk-cli.c: the engine from the shell, in the spirit of virsh
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every command is a function that drives the asynchronous engine and
 * waits for it on a main loop of its own. Errors go to stderr as a
 * sentence, with a non-zero exit.
 */
#define G_LOG_DOMAIN "vmdesk-cli"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "vmd-cli-private.h"

static gboolean opt_json;
static gboolean opt_all;
static gboolean opt_paused;
static gboolean opt_wait;
static gboolean opt_remove_storage;
static gboolean opt_linked;
static gboolean opt_disable;
static gboolean opt_tcg;
static gboolean opt_eject;
static gboolean opt_force;
static char *opt_data_dir;
static char *opt_format;
static char *opt_runtime_dir;
static int opt_timeout = 60;

static const GOptionEntry global_entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Print lists as JSON"), NULL },
  { "all", 'a', 0, G_OPTION_ARG_NONE, &opt_all, N_("List shut off virtual machines too"), NULL },
  { "paused", 0, 0, G_OPTION_ARG_NONE, &opt_paused, N_("Start with the CPUs paused"), NULL },
  { "wait", 0, 0, G_OPTION_ARG_NONE, &opt_wait, N_("Wait until the virtual machine is off"), NULL },
  { "remove-storage", 0, 0, G_OPTION_ARG_NONE, &opt_remove_storage,
    N_("Also delete the disk images no other virtual machine uses"), NULL },
  { "linked", 0, 0, G_OPTION_ARG_NONE, &opt_linked,
    N_("Clone disks as qcow2 overlays instead of copies"), NULL },
  { "format", 0, 0, G_OPTION_ARG_STRING, &opt_format, N_("Image format: qcow2 (default) or raw"),
    "FORMAT" },
  { "force", 0, 0, G_OPTION_ARG_NONE, &opt_force, N_("Probe KVM again instead of using the cache"),
    NULL },
  { "eject", 0, 0, G_OPTION_ARG_NONE, &opt_eject, N_("Eject the medium"), NULL },
  { "tcg", 0, 0, G_OPTION_ARG_NONE, &opt_tcg,
    N_("Switch the virtual machine to software emulation (TCG) first"), NULL },
  { "disable", 0, 0, G_OPTION_ARG_NONE, &opt_disable, N_("Turn autostart off"), NULL },
  { "timeout", 0, 0, G_OPTION_ARG_INT, &opt_timeout, N_("Seconds to wait with --wait (60)"),
    "SECONDS" },
  { "data-dir", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &opt_data_dir, NULL, NULL },
  { "runtime-dir", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &opt_runtime_dir, NULL, NULL },
  { NULL }
};

/* ------------------------------------------------------------ waiting */

/* An async callback that keeps the result for cli_wait(). */
void
cli_store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Runs the main loop until @result is set. */
GAsyncResult *
cli_wait (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

int
cli_fail (GError *error)
{
  g_printerr ("%s\n", error->message);
  return 1;
}

int
cli_fail_message (const char *message)
{
  g_printerr ("%s\n", message);
  return 1;
}

/* ------------------------------------------------------------ context */

static VmdConnection *
open_connection (gboolean summary_only, GError **error)
{
  g_autoptr (VmdConnection) connection = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  connection = VMD_CONNECTION (vmd_qemu_connection_new (opt_data_dir, opt_runtime_dir));
  if (summary_only)
    vmd_qemu_connection_set_load_mode (VMD_QEMU_CONNECTION (connection), VMD_QEMU_LOAD_SUMMARY);
  vmd_connection_open_async (connection, NULL, cli_store_result, &result);
  if (!vmd_connection_open_finish (connection, cli_wait (&result), error))
    return NULL;
  return g_steal_pointer (&connection);
}

VmdDomain *
cli_lookup (CliContext *ctx, const char *name, GError **error)
{
  VmdDomain *domain = vmd_connection_lookup_domain (ctx->connection, name);

  if (domain == NULL)
    g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_NOT_FOUND,
                 _("There is no virtual machine named “%s”."), name);
  return domain;
}

/* Waits until @domain reaches @state, or the timeout passes. */
gboolean
cli_wait_for_state (VmdDomain *domain, VmdDomainState state, guint timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  while (vmd_domain_get_state (domain) != state)
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  return TRUE;
}

guint
cli_timeout (void)
{
  return opt_timeout > 0 ? (guint) opt_timeout : 60;
}

gboolean
cli_opt (const char *name)
{
  if (g_str_equal (name, "json"))
    return opt_json;
  if (g_str_equal (name, "all"))
    return opt_all;
  if (g_str_equal (name, "paused"))
    return opt_paused;
  if (g_str_equal (name, "wait"))
    return opt_wait;
  if (g_str_equal (name, "remove-storage"))
    return opt_remove_storage;
  if (g_str_equal (name, "linked"))
    return opt_linked;
  if (g_str_equal (name, "disable"))
    return opt_disable;
  if (g_str_equal (name, "tcg"))
    return opt_tcg;
  if (g_str_equal (name, "eject"))
    return opt_eject;
  if (g_str_equal (name, "force"))
    return opt_force;
  g_return_val_if_reached (FALSE);
}

const char *
cli_opt_string (const char *name)
{
  if (g_str_equal (name, "format"))
    return opt_format;
  g_return_val_if_reached (NULL);
}

/* ------------------------------------------------------------ commands */

static const CliCommand *
find_command (const char *name)
{
  const CliCommand *commands = cli_commands ();

  for (guint i = 0; commands[i].name != NULL; i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];
  return NULL;
}

static char *
usage_text (void)
{
  const CliCommand *commands = cli_commands ();
  GString *text = g_string_new (_("Commands:"));

  g_string_append_c (text, '\n');
  for (guint i = 0; commands[i].name != NULL; i++)
    g_string_append_printf (text, "  %-18s %s\n", commands[i].usage, _(commands[i].summary));
  return g_string_free (text, FALSE);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *usage = NULL;
  CliContext ctx = { 0 };
  const CliCommand *command;
  int ret;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("COMMAND [ARGUMENTS…] — manage vmdesk's virtual machines"));
  g_option_context_add_main_entries (context, global_entries, GETTEXT_PACKAGE);
  usage = usage_text ();
  g_option_context_set_description (context, usage);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_fail (error);

  if (argc < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
      g_printerr ("%s", help);
      return 2;
    }

  command = find_command (argv[1]);
  if (command == NULL)
    {
      g_printerr (_("“%s” is not a vmdesk-cli command; run “vmdesk-cli --help” for the list.\n"),
                  argv[1]);
      return 2;
    }
  if (argc - 2 < command->min_args || (command->max_args >= 0 && argc - 2 > command->max_args))
    {
      g_printerr (_("Usage: vmdesk-cli %s\n"), command->usage);
      return 2;
    }

  if (command->needs_connection)
    {
      ctx.connection = open_connection (command->summary_only, &error);
      if (ctx.connection == NULL)
        return cli_fail (error);
    }

  ret = command->run (&ctx, argc - 2, argv + 2);

  g_clear_object (&ctx.connection);
  return ret;
}
