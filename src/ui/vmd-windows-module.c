/* vmd-windows-module.c: loading the windows module on first use
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The module is looked for next to the running program first (the build
 * folder, where `vmdesk` and `vmdesk-windows.so` are side by side), then
 * in VMD_MODULE_DIR (where `meson install` puts it), unless
 * VMDESK_MODULE_DIR names the folder.
 */
#define G_LOG_DOMAIN "vmdesk"

#include <glib/gi18n.h>
#include <gmodule.h>

#include "vmd-windows-module.h"

static const VmdWindowsModule *loaded;

void
vmd_windows_module_set_builtin (const VmdWindowsModule *module)
{
  g_return_if_fail (module == NULL || module->abi == VMD_WINDOWS_MODULE_ABI);
  loaded = module;
}

gboolean
vmd_windows_module_is_loaded (void)
{
  return loaded != NULL;
}

static char *
module_path (void)
{
  const char *dir = g_getenv ("VMDESK_MODULE_DIR");
  g_autofree char *exe = NULL;
  g_autofree char *exe_dir = NULL;
  g_autofree char *beside = NULL;

  if (dir != NULL && *dir != '\0')
    return g_module_build_path (dir, "vmdesk-windows");
  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL)
    {
      exe_dir = g_path_get_dirname (exe);
      beside = g_module_build_path (exe_dir, "vmdesk-windows");
      if (g_file_test (beside, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&beside);
    }
  return g_module_build_path (VMD_MODULE_DIR, "vmdesk-windows");
}

/**
 * vmd_windows_module_get:
 *
 * Returns: (nullable): the module's table, loading the module the first
 *   time (a few tens of milliseconds: the console libraries load with it)
 */
const VmdWindowsModule *
vmd_windows_module_get (GError **error)
{
  g_autofree char *path = NULL;
  GModule *module;
  const VmdWindowsModule *(*entry) (void) = NULL;
  const VmdWindowsModule *table;

  if (loaded != NULL)
    return loaded;

  path = module_path ();
  /* Local binding: nothing else may see its symbols; lazy: the console
   * libraries resolve what they call only when they call it. */
  module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The part of vmdesk that shows virtual machine windows could not be "
                     "loaded: %s"), g_module_error ());
      return NULL;
    }
  if (!g_module_symbol (module, "vmd_windows_module_entry", (gpointer *) &entry) ||
      entry == NULL || (table = entry ()) == NULL || table->abi != VMD_WINDOWS_MODULE_ABI)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The file “%s” is not the window module of this version of vmdesk."),
                   path);
      g_module_close (module);
      return NULL;
    }
  /* GTypes registered by the module cannot be unregistered. */
  g_module_make_resident (module);
  loaded = table;
  return loaded;
}
