/* vmd-vm-window-private.h: the VM window's struct, shared by its files
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-vm-window.h"

G_BEGIN_DECLS

struct _VmdVmWindow
{
  GtkApplicationWindow  parent_instance;

  /* template */
  GtkHeaderBar         *header;
  GtkStack             *pages;
  GtkStack             *console_stack;
  GtkLabel             *off_label;
  GtkLabel             *off_detail;
  GtkLabel             *connecting_label;
  GtkSpinner           *connecting_spinner;
  GtkLabel             *status_label;
  GtkRevealer          *status_revealer;
  GtkInfoBar           *error_bar;
  GtkLabel             *error_label;
  VmdSnapshotsView     *snapshots_view;
  GtkWidget            *unfullscreen_button;
  GMenu                *consoles_section;
  GMenu                *function_keys_section;
  GtkWidget            *usb_button;

  VmdDomain            *domain;
  GPtrArray            *consoles;       /* VmdConsole, graphical first */
  VmdConsole           *current;        /* the one the console page shows */
  GtkFileChooserNative *native;         /* an open save/screenshot chooser */
  char                 *error;
  VmdConsoleScaling     scaling;
  gboolean              fullscreen;
  guint                 reconnect_id;
  guint                 status_hide_id;  /* hides the grab hint */
  guint                 reconnect_tries;
  GSettings            *settings;       /* NULL without the schema */
  GtkWidget            *usb_dialog;     /* an open USB devices dialog */
  gboolean              clipboard_to_guest;
  gboolean              clipboard_to_host;
  gboolean              resize_guest;
};

void _vmd_vm_window_init_actions         (VmdVmWindow *self);
void _vmd_vm_window_update_actions       (VmdVmWindow *self);
void _vmd_vm_window_update_console_page  (VmdVmWindow *self);
void _vmd_vm_window_update_scaling       (VmdVmWindow *self);
void _vmd_vm_window_apply_console_options (VmdVmWindow *self);
const char *_vmd_vm_window_grab_keys_label (VmdVmWindow *self);
void _vmd_vm_window_select_console       (VmdVmWindow *self,
                                          const char  *id);
void _vmd_vm_window_show_error           (VmdVmWindow *self,
                                          const char  *message);

G_END_DECLS
