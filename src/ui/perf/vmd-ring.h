/* vmd-ring.h: a fixed-size ring of samples, the newest last
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Nothing is allocated after vmd_ring_new(). A negative value means "not
 * known" (e.g. network counters under user-mode networking): it is kept so
 * that a graph shows a gap.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  float *values;    /* capacity slots */
  guint  capacity;
  guint  head;      /* where the next value goes */
  guint  count;     /* values kept, at most capacity */
} VmdRing;

VmdRing *vmd_ring_new        (guint          capacity);
void     vmd_ring_free       (VmdRing       *ring);
void     vmd_ring_clear      (VmdRing       *ring);
void     vmd_ring_push       (VmdRing       *ring,
                              float          value);
guint    vmd_ring_get_count  (const VmdRing *ring);
/* index 0 is the oldest value kept */
float    vmd_ring_get        (const VmdRing *ring,
                              guint          index);
/* -1 when empty */
float    vmd_ring_get_last   (const VmdRing *ring);
/* The array index of the oldest of the last @n values (for drawing
 * straight from values[]). */
guint    vmd_ring_get_start  (const VmdRing *ring,
                              guint          n);
/* The largest known value among the last @n, or -1 when none is known. */
float    vmd_ring_get_max    (const VmdRing *ring,
                              guint          n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdRing, vmd_ring_free)

G_END_DECLS
