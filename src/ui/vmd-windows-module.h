/* vmd-windows-module.h: the windows vmdesk loads only when one opens
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The manager window starts alone: the VM window with its consoles
 * (gtk-vnc, spice-gtk, VTE and GStreamer behind them), the Details
 * editor, the New VM assistant, the host overview and Preferences live in
 * the shared module `vmdesk-windows`, loaded on first use. That keeps some
 * 70 libraries out of the app's startup and memory until a user opens
 * one of those windows.
 *
 * The module exports vmd_windows_module_entry(), returning this table.
 * Test programs link the module's code statically and register the table
 * with vmd_windows_module_set_builtin().
 */
#pragma once

#include <gtk/gtk.h>

#include "vmd-connection.h"
#include "vmd-domain.h"

G_BEGIN_DECLS

typedef struct _VmdApplication VmdApplication;

#define VMD_WINDOWS_MODULE_ABI 1

typedef struct {
  guint        abi;   /* VMD_WINDOWS_MODULE_ABI */

  /* The window of @domain. @page: "console", "details", "performance"
   * or "snapshots". */
  GtkWindow *(*vm_window_new)       (VmdApplication *app,
                                     VmdDomain      *domain);
  void       (*vm_window_show_page) (GtkWindow      *window,
                                     const char     *page);
  /* The New VM assistant: a window with the signal "domain-created"
   * (VmdDomain *) once it defined and started the VM. */
  GtkWidget *(*creator_new)         (GtkWindow      *parent,
                                     VmdConnection  *connection);
  /* Quick boot of an ISO or disk image in a throwaway VM. */
  void       (*quick_boot_async)    (VmdConnection       *connection,
                                     GFile               *file,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
  VmdDomain *(*quick_boot_finish)   (VmdConnection       *connection,
                                     GAsyncResult        *result,
                                     GError             **error);
  /* The connection's host overview. */
  GtkWidget *(*host_window_new)     (GtkApplication *app,
                                     VmdConnection  *connection);
  GtkWidget *(*preferences_new)     (GtkWindow      *parent);
} VmdWindowsModule;

/* Loads the module on first use. NULL, with @error set, if it cannot. */
const VmdWindowsModule *vmd_windows_module_get         (GError                **error);
void                    vmd_windows_module_set_builtin (const VmdWindowsModule *module);
gboolean                vmd_windows_module_is_loaded   (void);

/* In the module. */
const VmdWindowsModule *vmd_windows_module_entry       (void);

G_END_DECLS
