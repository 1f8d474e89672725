/* vmd-snapshot.h: what is known about one snapshot of a virtual machine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "vmd-engine-types.h"

G_BEGIN_DECLS

#define VMD_TYPE_SNAPSHOT (vmd_snapshot_get_type ())
G_DECLARE_FINAL_TYPE (VmdSnapshot, vmd_snapshot, VMD, SNAPSHOT, GObject)

VmdSnapshot    *vmd_snapshot_new             (const char     *name,
                                              const char     *description,
                                              GDateTime      *created,
                                              VmdDomainState  state,
                                              const char     *parent);
const char     *vmd_snapshot_get_name        (VmdSnapshot    *self);
const char     *vmd_snapshot_get_description (VmdSnapshot    *self);
GDateTime      *vmd_snapshot_get_created     (VmdSnapshot    *self);
VmdDomainState  vmd_snapshot_get_state       (VmdSnapshot    *self);
const char     *vmd_snapshot_get_parent      (VmdSnapshot    *self);
gboolean        vmd_snapshot_is_current      (VmdSnapshot    *self);
void            vmd_snapshot_set_current     (VmdSnapshot    *self,
                                              gboolean        current);

G_END_DECLS
