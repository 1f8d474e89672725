/* vmd-qemu-command-line.c: what the embedded engine would run, for showing it
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-qemu"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vmd-qemu-argv.h"
#include "vmd-qemu-command-line.h"

/**
 * vmd_qemu_connection_get_command_line:
 *
 * Returns: (transfer full): the command line, its words quoted for a
 *   shell, or NULL with @error when @config is not valid or cannot run
 */
char *
vmd_qemu_connection_get_command_line (VmdQemuConnection *connection,
                                      VmdDomainConfig   *config,
                                      GError           **error)
{
  g_autofree char *uuid = NULL;
  g_autofree char *runtime_dir = NULL;
  g_autofree char *qemu = NULL;
  g_auto (GStrv) argv = NULL;
  VmdQemuArgvOptions options = { 0 };

  g_return_val_if_fail (VMD_IS_QEMU_CONNECTION (connection), NULL);
  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (config), NULL);

  if (!vmd_domain_config_validate (config, error))
    return NULL;
  uuid = vmd_domain_config_get_uuid (config);
  runtime_dir = g_build_filename (vmd_qemu_connection_get_runtime_dir (connection),
                                  uuid != NULL ? uuid : "UUID", NULL);
  qemu = vmd_qemu_connection_get_qemu_binary (connection);
  options.runtime_dir = runtime_dir;
  options.qemu_binary = qemu;
  argv = vmd_qemu_argv_build (config, &options, error);
  if (argv == NULL)
    return NULL;
  return vmd_qemu_argv_to_string ((const char *const *) argv);
}

/* ---------------------------------------------------------- CPU models */

G_LOCK_DEFINE_STATIC (cpu_models);
static GHashTable *cpu_models_cache;  /* binary → GStrv */

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* "x86 Broadwell-v1          Intel Core …" → "Broadwell-v1" */
static GStrv
parse_cpu_help (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) words = NULL;
      const char *line = lines[i];

      if (!g_str_has_prefix (line, "x86 "))
        continue;
      words = g_strsplit_set (line + 4, " \t", 2);
      if (words[0] == NULL || *words[0] == '\0' || g_str_equal (words[0], "host") ||
          g_str_equal (words[0], "max") || g_str_equal (words[0], "base"))
        continue;
      g_ptr_array_add (names, g_strdup (words[0]));
    }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

static void
list_cpu_models_thread (GTask *task, gpointer source, gpointer task_data,
                        GCancellable *cancellable)
{
  const char *binary = task_data;
  const char *argv[] = { binary, "-cpu", "help", NULL };
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  GStrv models;

  G_LOCK (cpu_models);
  models = cpu_models_cache ? g_hash_table_lookup (cpu_models_cache, binary) : NULL;
  if (models != NULL)
    {
      models = g_strdupv (models);
      G_UNLOCK (cpu_models);
      g_task_return_pointer (task, models, (GDestroyNotify) g_strfreev);
      return;
    }
  G_UNLOCK (cpu_models);

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  if (process == NULL ||
      !g_subprocess_communicate_utf8 (process, NULL, cancellable, &out, NULL, &error))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The CPU models of %s could not be listed: %s"), binary,
                               error->message);
      return;
    }
  if (!g_subprocess_get_successful (process))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("%s did not list its CPU models."), binary);
      return;
    }
  models = parse_cpu_help (out);
  G_LOCK (cpu_models);
  if (cpu_models_cache == NULL)
    cpu_models_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) g_strfreev);
  g_hash_table_replace (cpu_models_cache, g_strdup (binary), g_strdupv (models));
  G_UNLOCK (cpu_models);
  g_task_return_pointer (task, models, (GDestroyNotify) g_strfreev);
}

void
vmd_qemu_list_cpu_models_async (const char          *qemu_binary,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, vmd_qemu_list_cpu_models_async);
  g_task_set_task_data (task, g_strdup (qemu_binary ? qemu_binary : "qemu-system-x86_64"),
                        g_free);
  g_task_run_in_thread (task, list_cpu_models_thread);
}

/**
 * vmd_qemu_list_cpu_models_finish:
 *
 * Returns: (transfer full): the model names, or NULL with @error
 */
GStrv
vmd_qemu_list_cpu_models_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
