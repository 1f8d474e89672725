/* vmd-graph.h: a time graph of one or more series, drawn with cairo
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vmd-ring.h"

G_BEGIN_DECLS

typedef enum {
  VMD_GRAPH_UNIT_PERCENT,            /* values in percent: "42 %" */
  VMD_GRAPH_UNIT_BYTES,              /* values in bytes: "512 MiB" */
  VMD_GRAPH_UNIT_BYTES_PER_SECOND,   /* values in bytes/s: "12.5 KiB/s" */
} VmdGraphUnit;

typedef enum {
  VMD_GRAPH_STYLE_LINE,
  VMD_GRAPH_STYLE_AREA,
} VmdGraphStyle;

#define VMD_TYPE_GRAPH (vmd_graph_get_type ())
G_DECLARE_FINAL_TYPE (VmdGraph, vmd_graph, VMD, GRAPH, GtkDrawingArea)

/* @capacity: how many samples each series keeps */
GtkWidget     *vmd_graph_new             (VmdGraphUnit   unit,
                                          guint          capacity);
guint          vmd_graph_add_series      (VmdGraph      *self,
                                          const char    *label);
guint          vmd_graph_get_n_series    (VmdGraph      *self);
/* Adds a sample to @series; call vmd_graph_samples_added() once all
 * series of a pass are pushed. */
void           vmd_graph_push            (VmdGraph      *self,
                                          guint          series,
                                          float          value);
void           vmd_graph_samples_added   (VmdGraph      *self);
void           vmd_graph_clear           (VmdGraph      *self);
const VmdRing *vmd_graph_get_ring        (VmdGraph      *self,
                                          guint          series);
float          vmd_graph_get_last        (VmdGraph      *self,
                                          guint          series);
/* How many of the newest samples fill the width (the time window). */
void           vmd_graph_set_window      (VmdGraph      *self,
                                          guint          n_samples);
guint          vmd_graph_get_window      (VmdGraph      *self);
/* The time between samples, for the time axis. */
void           vmd_graph_set_interval    (VmdGraph      *self,
                                          guint          interval_ms);
/* The top of the value axis; 0 scales to the samples shown. */
void           vmd_graph_set_fixed_max   (VmdGraph      *self,
                                          double         max);
/* The top of the value axis as drawn now. */
double         vmd_graph_get_scale_max   (VmdGraph      *self);
void           vmd_graph_set_style       (VmdGraph      *self,
                                          VmdGraphStyle  style);
/* Compact: no axes, legend or readout (a list's sparkline). */
void           vmd_graph_set_compact     (VmdGraph      *self,
                                          gboolean       compact);
/* The readout shown with the pointer at @x (widget coordinates), e.g.
 * "12 s ago\nCPU: 42 %"; NULL where there is no sample. */
char          *vmd_graph_describe_at     (VmdGraph      *self,
                                          double         x);

/* Formats @value in @unit into @buf (no allocation); returns @buf. */
const char    *vmd_graph_format_value    (VmdGraphUnit   unit,
                                          double         value,
                                          char          *buf,
                                          gsize          size);
/* A round top for an axis showing values up to @max. */
double         vmd_graph_nice_max        (VmdGraphUnit   unit,
                                          double         max);

/* Draws a compact graph of @n samples into (0, 0, @width, @height): the
 * samples are values[(start + i) % capacity] for i in [0, n), oldest
 * first, the newest at the right edge, @capacity samples filling the
 * width; negative ones are gaps. @max <= 0 scales to the samples. The
 * colour comes from @style (its selected state draws in the text colour).
 * A faint frame and a 2-pixel line, both filled rather than stroked: about
 * 6 µs for 40 idle samples in 80×20, 10 µs for a wave (a stroked line
 * with an area under it took 15 and 28). Allocates nothing. */
void           vmd_graph_draw_compact    (cairo_t         *cr,
                                          GtkStyleContext *style,
                                          const float     *values,
                                          guint            capacity,
                                          guint            start,
                                          guint            n,
                                          double           max,
                                          int              width,
                                          int              height);

G_END_DECLS
