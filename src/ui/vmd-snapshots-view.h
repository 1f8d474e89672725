/* vmd-snapshots-view.h: the snapshots page of the VM window
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vmd-domain.h"

G_BEGIN_DECLS

enum {
  VMD_SNAPSHOTS_COLUMN_NAME,
  VMD_SNAPSHOTS_COLUMN_DESCRIPTION,
  VMD_SNAPSHOTS_COLUMN_TIME,
  VMD_SNAPSHOTS_COLUMN_STATE,
  VMD_SNAPSHOTS_COLUMN_WEIGHT,     /* bold: the current snapshot */
  VMD_SNAPSHOTS_COLUMN_THUMBNAIL,
  VMD_SNAPSHOTS_N_COLUMNS
};

#define VMD_TYPE_SNAPSHOTS_VIEW (vmd_snapshots_view_get_type ())
G_DECLARE_FINAL_TYPE (VmdSnapshotsView, vmd_snapshots_view, VMD, SNAPSHOTS_VIEW, GtkBox)

VmdSnapshotsView *vmd_snapshots_view_new        (void);
void              vmd_snapshots_view_set_domain (VmdSnapshotsView *self,
                                                 VmdDomain        *domain);
GtkTreeModel     *vmd_snapshots_view_get_model  (VmdSnapshotsView *self);
GtkTreeView      *vmd_snapshots_view_get_tree   (VmdSnapshotsView *self);
gboolean          vmd_snapshots_view_is_busy    (VmdSnapshotsView *self);
const char       *vmd_snapshots_view_get_error  (VmdSnapshotsView *self);
void              vmd_snapshots_view_create     (VmdSnapshotsView *self,
                                                 const char       *name,
                                                 const char       *description);
char             *vmd_snapshots_thumbnail_path  (VmdDomain        *domain,
                                                 const char       *snapshot);

G_END_DECLS
