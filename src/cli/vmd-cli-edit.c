/* vmd-cli-edit.c: definitions from the shell: define, dumpxml, edit, qemu-argv
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-cli"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vmd-cli-private.h"
#include "vmd-qemu-argv.h"

static VmdDomain *
define_config (CliContext *ctx, VmdDomainConfig *config, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  vmd_connection_define_async (ctx->connection, config, NULL, cli_store_result, &result);
  return vmd_connection_define_finish (ctx->connection, cli_wait (&result), error);
}

int
cli_define (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdDomainConfig) config = vmd_domain_config_new_from_file (argv[0], &error);
  g_autoptr (VmdDomain) domain = NULL;

  if (config == NULL)
    return cli_fail (error);
  domain = define_config (ctx, config, &error);
  if (domain == NULL)
    return cli_fail (error);
  printf (_("Domain “%s” defined from %s\n"), vmd_domain_get_name (domain), argv[0]);
  return 0;
}

int
cli_dumpxml (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  VmdDomain *domain = cli_lookup (ctx, argv[0], &error);
  g_autofree char *xml = NULL;

  if (domain == NULL)
    return cli_fail (error);
  xml = vmd_domain_config_to_xml (vmd_domain_get_config (domain));
  fputs (xml, stdout);
  return 0;
}

static gboolean
ask_yes_no (const char *question)
{
  char answer[16];

  if (!isatty (STDIN_FILENO))
    return FALSE;
  printf ("%s [y/n]: ", question);
  fflush (stdout);
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return FALSE;
  return answer[0] == 'y' || answer[0] == 'Y';
}

static gboolean
run_editor (const char *path, GError **error)
{
  const char *editor = g_getenv ("VISUAL");
  g_auto (GStrv) words = NULL;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) argv = NULL;
  int status;

  if (editor == NULL || *editor == '\0')
    editor = g_getenv ("EDITOR");
  if (editor == NULL || *editor == '\0')
    editor = "vi";

  /* $EDITOR may carry options ("code --wait"): split it into words, but
   * never hand it to a shell. */
  if (!g_shell_parse_argv (editor, NULL, &words, error))
    return FALSE;
  g_strv_builder_addv (builder, (const char **) words);
  g_strv_builder_add (builder, path);
  argv = g_strv_builder_end (builder);

  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_CHILD_INHERITS_STDIN, NULL,
                     NULL, NULL, NULL, &status, error))
    return FALSE;
  return g_spawn_check_wait_status (status, error);
}

int
cli_edit (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  VmdDomain *domain = cli_lookup (ctx, argv[0], &error);
  g_autofree char *original = NULL;
  g_autofree char *path = NULL;
  int fd;

  if (domain == NULL)
    return cli_fail (error);

  original = vmd_domain_config_to_xml (vmd_domain_get_config (domain));
  fd = g_file_open_tmp ("vmdesk-edit-XXXXXX.xml", &path, &error);
  if (fd < 0)
    return cli_fail (error);
  close (fd);
  if (!g_file_set_contents (path, original, -1, &error))
    return cli_fail (error);

  for (;;)
    {
      g_autofree char *edited = NULL;
      g_autoptr (VmdDomainConfig) config = NULL;
      g_autoptr (VmdDomain) defined = NULL;

      g_clear_error (&error);
      if (!run_editor (path, &error))
        {
          g_printerr (_("The editor failed: %s\n"), error->message);
          g_printerr (_("Your edits are kept in %s.\n"), path);
          return 1;
        }
      if (!g_file_get_contents (path, &edited, NULL, &error))
        return cli_fail (error);
      if (g_str_equal (edited, original))
        {
          printf (_("The definition of “%s” was not changed.\n"), vmd_domain_get_name (domain));
          g_unlink (path);
          return 0;
        }

      config = vmd_domain_config_new_from_xml (edited, -1, &error);
      if (config != NULL && vmd_domain_config_validate (config, &error) &&
          vmd_domain_config_validate_schema (config, NULL, &error))
        defined = define_config (ctx, config, &error);

      if (defined != NULL)
        {
          printf (_("The definition of “%s” was saved.\n"), vmd_domain_get_name (defined));
          g_unlink (path);
          return 0;
        }

      /* Never save a broken definition, and never lose the user's edits. */
      g_printerr (_("The edited definition was not saved: %s\n"), error->message);
      if (!ask_yes_no (_("Edit it again?")))
        {
          g_printerr (_("Your edits are kept in %s.\n"), path);
          return 1;
        }
    }
}

int
cli_qemu_argv (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdDomainConfig) config = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *runtime_dir = NULL;
  g_autofree char *qemu = NULL;
  g_autofree char *text = NULL;
  g_auto (GStrv) qemu_argv = NULL;
  VmdQemuArgvOptions options = { 0 };
  VmdQemuConnection *connection = VMD_QEMU_CONNECTION (ctx->connection);

  if (g_file_test (argv[0], G_FILE_TEST_IS_REGULAR))
    {
      config = vmd_domain_config_new_from_file (argv[0], &error);
      if (config == NULL)
        return cli_fail (error);
    }
  else
    {
      VmdDomain *domain = cli_lookup (ctx, argv[0], &error);
      if (domain == NULL)
        return cli_fail (error);
      config = vmd_domain_config_copy (vmd_domain_get_config (domain));
    }

  if (!vmd_domain_config_validate (config, &error))
    return cli_fail (error);

  uuid = vmd_domain_config_get_uuid (config);
  runtime_dir = g_build_filename (vmd_qemu_connection_get_runtime_dir (connection),
                                  uuid ? uuid : "UUID", NULL);
  qemu = vmd_qemu_connection_get_qemu_binary (connection);
  options.runtime_dir = runtime_dir;
  options.qemu_binary = qemu;
  qemu_argv = vmd_qemu_argv_build (config, &options, &error);
  if (qemu_argv == NULL)
    return cli_fail (error);
  text = vmd_qemu_argv_to_string ((const char *const *) qemu_argv);
  printf ("%s\n", text);
  return 0;
}
