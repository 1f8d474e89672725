/* vmd-windows-entry.c: the table the windows module hands the app
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "vmd-creator-assistant.h"
#include "vmd-host-window.h"
#include "vmd-preferences-dialog.h"
#include "vmd-quick-boot.h"
#include "vmd-vm-window.h"
#include "vmd-windows-module.h"

static GtkWindow *
vm_window_new (VmdApplication *app, VmdDomain *domain)
{
  return GTK_WINDOW (vmd_vm_window_new (app, domain));
}

static void
vm_window_show_page (GtkWindow *window, const char *page)
{
  vmd_vm_window_show_page (VMD_VM_WINDOW (window), page);
}

static const VmdWindowsModule table = {
  .abi = VMD_WINDOWS_MODULE_ABI,
  .vm_window_new = vm_window_new,
  .vm_window_show_page = vm_window_show_page,
  .creator_new = vmd_creator_assistant_new,
  .quick_boot_async = vmd_quick_boot_async,
  .quick_boot_finish = vmd_quick_boot_finish,
  .host_window_new = vmd_host_window_new,
  .preferences_new = vmd_preferences_dialog_new,
};

const VmdWindowsModule *
vmd_windows_module_entry (void)
{
  return &table;
}
