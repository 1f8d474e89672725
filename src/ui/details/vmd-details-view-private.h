/* vmd-details-view-private.h: the Details view's struct, shared by its files
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtksourceview/gtksource.h>

#include "vmd-details-page.h"
#include "vmd-details-view.h"

G_BEGIN_DECLS

struct _VmdDetailsView
{
  GtkBox              parent_instance;

  gboolean            stale;   /* the VM changed while the view was not shown */

  /* template */
  GtkListBox         *hardware_list;
  GtkStack           *tabs;
  GtkStack           *pages;
  GtkSourceBuffer    *xml_buffer;
  GtkSourceView      *xml_view;
  GtkLabel           *xml_hint;
  GtkWidget          *qemu_box;
  GtkTextView        *qemu_view;
  GtkWidget          *copy_button;
  GtkLabel           *notice_label;
  GtkLabel           *error_label;
  GtkSpinner         *busy_spinner;
  GtkWidget          *add_button;

  GSimpleActionGroup *actions;
  VmdDomain          *domain;       /* NULL for a VM not defined yet */
  VmdConnection      *connection;
  VmdDomainConfig    *config;       /* the working copy */
  GCancellable       *cancellable;
  GHashTable         *static_pages; /* row id → page, owned by the stack */
  GtkListBoxRow      *current_row;
  char               *pending_row;  /* where to go once the user answered */
  char               *pending_tab;
  char               *current_tab;
  VmdDetailsPage     *dirty_page;
  GtkWidget          *dialog;       /* an open question or Add Hardware */
  char               *error;
  char               *selected_id;
  gboolean            xml_dirty;
  gboolean            xml_loading;
  gboolean            switching;
  gboolean            busy;
  gboolean            needs_restart;
};

/* vmd-details-view.c */
void  _vmd_details_view_reload        (VmdDetailsView *self,
                                       VmdDomainConfig *config);
void  _vmd_details_view_set_error     (VmdDetailsView *self,
                                       const char     *message);
void  _vmd_details_view_set_xml_error (VmdDetailsView *self,
                                       const char     *message);
void  _vmd_details_view_set_busy      (VmdDetailsView *self,
                                       gboolean        busy);
void  _vmd_details_view_update_actions (VmdDetailsView *self);
void  _vmd_details_view_go_pending    (VmdDetailsView *self);
void  _vmd_details_view_forget_pending (VmdDetailsView *self);
void  _vmd_details_view_discard       (VmdDetailsView *self);
VmdDevice *_vmd_details_view_selected_device (VmdDetailsView *self);
void  _vmd_details_view_emit_applied  (VmdDetailsView *self);

/* vmd-details-view-apply.c */
void  _vmd_details_view_apply         (VmdDetailsView *self);
void  _vmd_details_view_add_hardware  (VmdDetailsView *self);
void  _vmd_details_view_remove_device (VmdDetailsView *self);
/* The device of @other that is @device's counterpart (same kind, same
 * place among its kind), or NULL. Transfer full. */
VmdDevice *_vmd_details_find_counterpart (VmdDomainConfig *other,
                                          VmdDevice       *device);

G_END_DECLS
