/* vmd-snapshot.c: what is known about one snapshot of a virtual machine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-engine"

#include "vmd-snapshot.h"

struct _VmdSnapshot
{
  GObject         parent_instance;

  char           *name;
  char           *description;
  GDateTime      *created;
  VmdDomainState  state;
  char           *parent;
  gboolean        current;
};

G_DEFINE_FINAL_TYPE (VmdSnapshot, vmd_snapshot, G_TYPE_OBJECT)

static void
vmd_snapshot_finalize (GObject *object)
{
  VmdSnapshot *self = VMD_SNAPSHOT (object);

  g_free (self->name);
  g_free (self->description);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_free (self->parent);

  G_OBJECT_CLASS (vmd_snapshot_parent_class)->finalize (object);
}

static void
vmd_snapshot_class_init (VmdSnapshotClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vmd_snapshot_finalize;
}

static void
vmd_snapshot_init (VmdSnapshot *self)
{
}

VmdSnapshot *
vmd_snapshot_new (const char     *name,
                  const char     *description,
                  GDateTime      *created,
                  VmdDomainState  state,
                  const char     *parent)
{
  VmdSnapshot *self = g_object_new (VMD_TYPE_SNAPSHOT, NULL);

  self->name = g_strdup (name);
  self->description = g_strdup (description);
  self->created = created ? g_date_time_ref (created) : NULL;
  self->state = state;
  self->parent = g_strdup (parent);
  return self;
}

const char *
vmd_snapshot_get_name (VmdSnapshot *self)
{
  return self->name;
}

const char *
vmd_snapshot_get_description (VmdSnapshot *self)
{
  return self->description;
}

GDateTime *
vmd_snapshot_get_created (VmdSnapshot *self)
{
  return self->created;
}

VmdDomainState
vmd_snapshot_get_state (VmdSnapshot *self)
{
  return self->state;
}

const char *
vmd_snapshot_get_parent (VmdSnapshot *self)
{
  return self->parent;
}

gboolean
vmd_snapshot_is_current (VmdSnapshot *self)
{
  return self->current;
}

void
vmd_snapshot_set_current (VmdSnapshot *self, gboolean current)
{
  self->current = current;
}
