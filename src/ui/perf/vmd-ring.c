/* vmd-ring.c: a fixed-size ring of samples
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-perf"

#include <string.h>

#include "vmd-ring.h"

VmdRing *
vmd_ring_new (guint capacity)
{
  VmdRing *ring;

  g_return_val_if_fail (capacity > 0, NULL);
  ring = g_new0 (VmdRing, 1);
  ring->values = g_new0 (float, capacity);
  ring->capacity = capacity;
  return ring;
}

void
vmd_ring_free (VmdRing *ring)
{
  if (ring == NULL)
    return;
  g_free (ring->values);
  g_free (ring);
}

void
vmd_ring_clear (VmdRing *ring)
{
  g_return_if_fail (ring != NULL);
  ring->head = 0;
  ring->count = 0;
}

void
vmd_ring_push (VmdRing *ring, float value)
{
  g_return_if_fail (ring != NULL);
  ring->values[ring->head] = value;
  ring->head = (ring->head + 1) % ring->capacity;
  if (ring->count < ring->capacity)
    ring->count++;
}

guint
vmd_ring_get_count (const VmdRing *ring)
{
  g_return_val_if_fail (ring != NULL, 0);
  return ring->count;
}

float
vmd_ring_get (const VmdRing *ring, guint index)
{
  g_return_val_if_fail (ring != NULL, -1.f);
  g_return_val_if_fail (index < ring->count, -1.f);
  return ring->values[(ring->head + ring->capacity - ring->count + index) % ring->capacity];
}

float
vmd_ring_get_last (const VmdRing *ring)
{
  g_return_val_if_fail (ring != NULL, -1.f);
  if (ring->count == 0)
    return -1.f;
  return ring->values[(ring->head + ring->capacity - 1) % ring->capacity];
}

guint
vmd_ring_get_start (const VmdRing *ring, guint n)
{
  g_return_val_if_fail (ring != NULL, 0);
  n = MIN (n, ring->count);
  return (ring->head + ring->capacity - n) % ring->capacity;
}

float
vmd_ring_get_max (const VmdRing *ring, guint n)
{
  guint start;
  float max = -1.f;

  g_return_val_if_fail (ring != NULL, -1.f);
  n = MIN (n, ring->count);
  start = vmd_ring_get_start (ring, n);
  for (guint i = 0; i < n; i++)
    {
      float v = ring->values[(start + i) % ring->capacity];
      if (v > max)
        max = v;
    }
  return max;
}
