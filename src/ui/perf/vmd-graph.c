/* vmd-graph.c: a time graph of one or more series, drawn with cairo
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every series is a VmdRing of the graph's capacity; the graph shows the
 * newest "window" samples, the newest at the right edge, as lines or
 * filled areas. The value axis is fixed (percent) or scaled to a round
 * number above the largest sample shown. Colours come from the GTK theme:
 * the first series takes the theme's accent (selected background), the
 * others a palette chosen for a light or a dark theme, grid and labels the
 * text colour, faded. A draw walks the rings in place and formats its
 * labels into stack buffers: nothing is allocated per frame (the Pango
 * layout is made once).
 */
#define G_LOG_DOMAIN "vmdesk-perf"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "vmd-graph.h"

#define MAX_SERIES   4
#define LABEL_LEN    64
#define PAD          4.0

typedef struct {
  char    *label;
  VmdRing *ring;
} Series;

struct _VmdGraph
{
  GtkDrawingArea  parent_instance;

  VmdGraphUnit    unit;
  VmdGraphStyle   style;
  guint           capacity;
  guint           window;
  guint           interval_ms;
  double          fixed_max;
  double          scale_max;     /* as last drawn or computed */
  gboolean        compact;
  Series          series[MAX_SERIES];
  guint           n_series;

  double          hover_x;       /* < 0: no pointer */
  PangoLayout    *layout;
};

G_DEFINE_FINAL_TYPE (VmdGraph, vmd_graph, GTK_TYPE_DRAWING_AREA)

/* ------------------------------------------------------------ numbers */

static const char *
strip_zero (char *buf)
{
  char *dot = strstr (buf, ".0 ");

  /* "50.0 MiB" reads better as "50 MiB" */
  if (dot != NULL)
    memmove (dot, dot + 2, strlen (dot + 2) + 1);
  return buf;
}

const char *
vmd_graph_format_value (VmdGraphUnit unit, double value, char *buf, gsize size)
{
  /* Translators: binary size units; %s is a number such as "12.5" */
  static const char *const sizes[] = { N_("%s B"), N_("%s KiB"), N_("%s MiB"),
                                       N_("%s GiB"), N_("%s TiB") };
  /* Translators: binary transfer rates; %s is a number such as "12.5" */
  static const char *const rates[] = { N_("%s B/s"), N_("%s KiB/s"), N_("%s MiB/s"),
                                       N_("%s GiB/s"), N_("%s TiB/s") };
  char number[G_ASCII_DTOSTR_BUF_SIZE];
  guint k = 0;

  g_return_val_if_fail (buf != NULL && size > 0, buf);

  if (value < 0 || isnan (value))
    {
      /* Translators: a value that is not known, e.g. network counters of
       * user-mode networking */
      g_strlcpy (buf, _("Not known"), size);
      return buf;
    }
  if (unit == VMD_GRAPH_UNIT_PERCENT)
    {
      /* Translators: a share in percent, e.g. "42 %" */
      g_snprintf (buf, size, value > 0 && value < 10 ? _("%.1f %%") : _("%.0f %%"), value);
      return buf;
    }
  while (value >= 1024 && k < G_N_ELEMENTS (sizes) - 1)
    {
      value /= 1024;
      k++;
    }
  if (k == 0 || value >= 100)
    g_snprintf (number, sizeof number, "%.0f", value);
  else
    g_snprintf (number, sizeof number, "%.1f", value);
  g_snprintf (buf, size, _(unit == VMD_GRAPH_UNIT_BYTES ? sizes[k] : rates[k]), number);
  return strip_zero (buf);
}

double
vmd_graph_nice_max (VmdGraphUnit unit, double max)
{
  static const double steps[] = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1024 };
  double base = 1;

  if (unit == VMD_GRAPH_UNIT_PERCENT)
    /* several CPUs can add up to more than 100 % */
    return max <= 100 ? 100 : ceil (max / 100) * 100;

  /* the smallest top: 1 KiB/s for rates (an idle VM is a flat line, not
   * noise blown up), 1 MiB for sizes */
  if (unit == VMD_GRAPH_UNIT_BYTES_PER_SECOND)
    max = MAX (max, 1024);
  else
    max = MAX (max, 1024 * 1024);
  while (max / base > 1024)
    base *= 1024;
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (max <= steps[i] * base)
      return steps[i] * base;
  return 1024 * base;
}

/* ------------------------------------------------------------ colours */

static gboolean
is_dark (GtkStyleContext *style)
{
  GdkRGBA fg;

  gtk_style_context_get_color (style, gtk_style_context_get_state (style), &fg);
  return 0.299 * fg.red + 0.587 * fg.green + 0.114 * fg.blue > 0.5;
}

static void
series_color (GtkStyleContext *style, guint index, gboolean dark, GdkRGBA *out)
{
  /* GNOME's palette: blue, orange, green, purple; lighter on dark themes */
  static const GdkRGBA light[] = {
    { 0.21, 0.52, 0.89, 1 }, { 0.90, 0.38, 0.00, 1 },
    { 0.15, 0.64, 0.41, 1 }, { 0.57, 0.25, 0.67, 1 },
  };
  static const GdkRGBA darker[] = {
    { 0.38, 0.63, 0.92, 1 }, { 1.00, 0.64, 0.28, 1 },
    { 0.34, 0.89, 0.54, 1 }, { 0.75, 0.38, 0.80, 1 },
  };

  if (index == 0 && gtk_style_context_lookup_color (style, "theme_selected_bg_color", out))
    {
      /* a dark theme's accent is too dark on its background: lighten it */
      if (dark)
        {
          out->red += (1 - out->red) * 0.4;
          out->green += (1 - out->green) * 0.4;
          out->blue += (1 - out->blue) * 0.4;
        }
      return;
    }
  *out = (dark ? darker : light)[index % G_N_ELEMENTS (light)];
}

/* ------------------------------------------------------------ drawing */

/* Traces the last @n samples as a path, @slots samples filling @w, the
 * newest at the right edge; with @area, each run of known samples is
 * closed down to the baseline. */
static void
trace (cairo_t *cr, const float *values, guint capacity, guint start, guint n, guint slots,
       double max, double x0, double y0, double w, double h, gboolean area)
{
  double step = slots > 1 ? w / (slots - 1) : w;
  double first_x = 0, last_x = 0;
  gboolean drawing = FALSE;

  for (guint i = 0; i < n; i++)
    {
      float v = values[(start + i) % capacity];
      double x = x0 + w - (double) (n - 1 - i) * step;
      double y;

      if (v < 0 || isnan (v))
        {
          if (drawing && area)
            {
              cairo_line_to (cr, last_x, y0 + h);
              cairo_line_to (cr, first_x, y0 + h);
              cairo_close_path (cr);
            }
          drawing = FALSE;
          continue;
        }
      y = y0 + h - (MIN (v, max) / max) * h;
      if (drawing)
        cairo_line_to (cr, x, y);
      else
        {
          cairo_move_to (cr, x, y);
          first_x = x;
        }
      last_x = x;
      drawing = TRUE;
    }
  if (drawing && area)
    {
      cairo_line_to (cr, last_x, y0 + h);
      cairo_line_to (cr, first_x, y0 + h);
      cairo_close_path (cr);
    }
}

/* The compact line: a ribbon @t thick above the samples, filled rather
 * than stroked (stroking a polyline costs cairo several times more than
 * filling a polygon, and a list draws many sparklines each second). */
static void
trace_ribbon (cairo_t *cr, const float *values, guint capacity, guint start, guint n,
              guint slots, double max, double x0, double y0, double w, double h, double t)
{
  double step = slots > 1 ? w / (slots - 1) : w;
  guint i = 0;

  while (i < n)
    {
      guint first, last;

      /* one run of known samples: forward along the top, back along the bottom */
      while (i < n && (values[(start + i) % capacity] < 0 || isnan (values[(start + i) % capacity])))
        i++;
      if (i == n)
        break;
      first = i;
      while (i < n && values[(start + i) % capacity] >= 0)
        i++;
      last = i - 1;
      for (guint j = first; j <= last; j++)
        {
          double x = x0 + w - (double) (n - 1 - j) * step;
          double y = y0 + h - (MIN (values[(start + j) % capacity], max) / max) * (h - t);

          if (j == first)
            cairo_move_to (cr, x, y - t);
          else
            cairo_line_to (cr, x, y - t);
        }
      if (first == last)   /* a lone sample: a short dash */
        cairo_rel_line_to (cr, MIN (step, 2), 0);
      for (guint j = last + 1; j-- > first;)
        {
          double x = x0 + w - (double) (n - 1 - j) * step;
          double y = y0 + h - (MIN (values[(start + j) % capacity], max) / max) * (h - t);

          if (first == last)
            cairo_line_to (cr, x + MIN (step, 2), y);
          cairo_line_to (cr, x, y);
        }
      cairo_close_path (cr);
    }
}

/* One series: a faint area under a line. */
static void
draw_series (cairo_t *cr, const GdkRGBA *color, gboolean area, const float *values,
             guint capacity, guint start, guint n, guint slots, double max, double x0, double y0,
             double w, double h)
{
  if (area)
    {
      trace (cr, values, capacity, start, n, slots, max, x0, y0, w, h, TRUE);
      cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * 0.25);
      cairo_fill (cr);
    }
  trace (cr, values, capacity, start, n, slots, max, x0, y0, w, h, FALSE);
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha);
  cairo_set_line_width (cr, 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_BEVEL);
  cairo_stroke (cr);
}

void
vmd_graph_draw_compact (cairo_t         *cr,
                        GtkStyleContext *style,
                        const float     *values,
                        guint            capacity,
                        guint            start,
                        guint            n,
                        double           max,
                        int              width,
                        int              height)
{
  GtkStateFlags state = gtk_style_context_get_state (style);
  GdkRGBA fg, color;

  g_return_if_fail (values != NULL && capacity > 0 && n <= capacity);

  if (width <= 2 || height <= 2)
    return;
  if (max <= 0)
    for (guint i = 0; i < n; i++)
      max = MAX (max, values[(start + i) % capacity]);
  if (max <= 0)
    max = 1;

  gtk_style_context_get_color (style, state, &fg);
  if ((state & GTK_STATE_FLAG_SELECTED) != 0)
    color = fg;
  else
    series_color (style, 0, 0.299 * fg.red + 0.587 * fg.green + 0.114 * fg.blue > 0.5, &color);

  cairo_save (cr);
  /* a faint frame, so that an idle VM's flat line reads as a graph; filled
   * as a ring, which is cheaper than a stroke */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.15);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_rectangle (cr, 1, 1, width - 2, height - 2);
  cairo_fill (cr);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_WINDING);
  /* a line, no area: a list draws many of these each second */
  trace_ribbon (cr, values, capacity, start, n, capacity, max, 1, 1, width - 2, height - 2, 2.0);
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha);
  cairo_fill (cr);
  cairo_restore (cr);
}

static double
compute_scale (VmdGraph *self)
{
  double max = 0;

  for (guint s = 0; s < self->n_series; s++)
    max = MAX (max, vmd_ring_get_max (self->series[s].ring, self->window));
  if (self->fixed_max > 0 && max <= self->fixed_max)
    self->scale_max = self->fixed_max;
  else
    self->scale_max = vmd_graph_nice_max (self->unit, max);
  return self->scale_max;
}

static void
layout_text (VmdGraph *self, const char *text, int *width, int *height)
{
  pango_layout_set_text (self->layout, text, -1);
  pango_layout_get_pixel_size (self->layout, width, height);
}

static void
show_text (VmdGraph *self, cairo_t *cr, const char *text, double x, double y)
{
  pango_layout_set_text (self->layout, text, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, self->layout);
}

static void
format_age (VmdGraph *self, double seconds, char *buf, gsize size)
{
  if (seconds < 0.5)
    g_strlcpy (buf, _("Now"), size);
  else if (seconds < 100)
    /* Translators: how long ago a sample was taken */
    g_snprintf (buf, size, _("%.0f s ago"), seconds);
  else
    /* Translators: how long ago a sample was taken */
    g_snprintf (buf, size, _("%.0f min ago"), seconds / 60);
}

/* The sample index (age: 0 is the newest) under widget x, or -1. */
static int
age_at (VmdGraph *self, double x, double x0, double w)
{
  double step = self->window > 1 ? w / (self->window - 1) : w;
  int age;

  if (x < x0 - step / 2 || x > x0 + w + step / 2)
    return -1;
  age = (int) floor ((x0 + w - x) / step + 0.5);
  return age >= 0 && age < (int) self->window ? age : -1;
}

/* The plot's rectangle inside the widget, from the label sizes. */
static void
plot_area (VmdGraph *self, int width, int height, double *x0, double *y0, double *w, double *h)
{
  char buf[LABEL_LEN];
  int lw, lh;

  if (self->compact || self->layout == NULL)
    {
      *x0 = 1;
      *y0 = 1;
      *w = width - 2;
      *h = height - 2;
      return;
    }
  /* room for the widest value label: "512 KiB/s" can be wider than "1 MiB/s" */
  lw = 0;
  for (int q = 0; q <= 2; q++)
    {
      int w1;

      layout_text (self, vmd_graph_format_value (self->unit, self->scale_max * q / 2, buf,
                                                 sizeof buf), &w1, &lh);
      lw = MAX (lw, w1);
    }
  *x0 = lw + 2 * PAD;
  *y0 = lh / 2.0 + PAD + lh;  /* room for the legend */
  *w = MAX (width - *x0 - PAD, 1);
  *h = MAX (height - *y0 - lh - 2 * PAD, 1);
}

static gboolean
vmd_graph_draw (GtkWidget *widget, cairo_t *cr)
{
  VmdGraph *self = VMD_GRAPH (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  int width = gtk_widget_get_allocated_width (widget);
  int height = gtk_widget_get_allocated_height (widget);
  gboolean dark = is_dark (style);
  char buf[LABEL_LEN], buf2[LABEL_LEN];
  double x0, y0, w, h, max;
  GdkRGBA fg;
  int lw, lh;

  gtk_render_background (style, cr, 0, 0, width, height);
  gtk_style_context_get_color (style, gtk_style_context_get_state (style), &fg);
  if (self->layout == NULL)
    self->layout = gtk_widget_create_pango_layout (widget, NULL);

  max = compute_scale (self);
  plot_area (self, width, height, &x0, &y0, &w, &h);
  if (w < 4 || h < 4)
    return FALSE;

  cairo_save (cr);
  cairo_set_line_width (cr, 1);
  /* the frame and the grid: quarters, the half a little stronger */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.25);
  cairo_rectangle (cr, floor (x0) + 0.5, floor (y0) + 0.5, floor (w), floor (h));
  cairo_stroke (cr);
  if (!self->compact)
    {
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.10);
      for (int q = 1; q < 4; q++)
        {
          double y = floor (y0 + h * q / 4.0) + 0.5;
          cairo_move_to (cr, x0, y);
          cairo_line_to (cr, x0 + w, y);
        }
      cairo_stroke (cr);
    }

  for (guint s = 0; s < self->n_series; s++)
    {
      const VmdRing *ring = self->series[s].ring;
      guint n = MIN (ring->count, self->window);
      GdkRGBA color;

      series_color (style, s, dark, &color);
      cairo_save (cr);
      cairo_rectangle (cr, x0, y0 - 1, w + 1, h + 2);
      cairo_clip (cr);
      draw_series (cr, &color, self->style == VMD_GRAPH_STYLE_AREA, ring->values,
                   ring->capacity, vmd_ring_get_start (ring, n), n, self->window, max, x0, y0, w,
                   h);
      cairo_restore (cr);
    }

  if (!self->compact)
    {
      double lx = x0;

      /* the value axis */
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.7);
      for (int q = 0; q <= 2; q++)
        {
          vmd_graph_format_value (self->unit, max * q / 2, buf, sizeof buf);
          layout_text (self, buf, &lw, &lh);
          show_text (self, cr, buf, x0 - PAD - lw, y0 + h - h * q / 2.0 - lh / 2.0);
        }
      /* the time axis: the window's age at the left, now at the right */
      format_age (self, (double) (self->window - 1) * self->interval_ms / 1000.0, buf,
                  sizeof buf);
      layout_text (self, buf, &lw, &lh);
      show_text (self, cr, buf, x0, y0 + h + PAD / 2);
      format_age (self, 0, buf, sizeof buf);
      layout_text (self, buf, &lw, &lh);
      show_text (self, cr, buf, x0 + w - lw, y0 + h + PAD / 2);

      /* the legend, with each series' current value */
      for (guint s = 0; s < self->n_series; s++)
        {
          GdkRGBA color;

          series_color (style, s, dark, &color);
          vmd_graph_format_value (self->unit, vmd_ring_get_last (self->series[s].ring), buf2,
                                  sizeof buf2);
          /* Translators: a graph's legend entry, e.g. "Read: 1.2 MiB/s" */
          g_snprintf (buf, sizeof buf, _("%s: %s"), self->series[s].label, buf2);
          layout_text (self, buf, &lw, &lh);
          gdk_cairo_set_source_rgba (cr, &color);
          cairo_rectangle (cr, lx, PAD + lh / 2.0 - 4, 8, 8);
          cairo_fill (cr);
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha);
          show_text (self, cr, buf, lx + 12, PAD);
          lx += 12 + lw + 3 * PAD;
        }

      /* the readout at the pointer */
      if (self->hover_x >= 0)
        {
          int age = age_at (self, self->hover_x, x0, w);

          if (age >= 0)
            {
              double step = self->window > 1 ? w / (self->window - 1) : w;
              double x = x0 + w - age * step;
              double bx, by = y0 + PAD, bw = 0, bh = 0;
              int tw, th;

              cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.5);
              cairo_move_to (cr, floor (x) + 0.5, y0);
              cairo_line_to (cr, floor (x) + 0.5, y0 + h);
              cairo_stroke (cr);

              /* one line per series, measured first for the box */
              format_age (self, (double) age * self->interval_ms / 1000.0, buf, sizeof buf);
              layout_text (self, buf, &tw, &th);
              bw = tw;
              bh = th;
              for (guint s = 0; s < self->n_series; s++)
                {
                  const VmdRing *ring = self->series[s].ring;
                  float v = age < (int) ring->count ? vmd_ring_get (ring, ring->count - 1 - age)
                                                    : -1;

                  vmd_graph_format_value (self->unit, v, buf2, sizeof buf2);
                  g_snprintf (buf, sizeof buf, _("%s: %s"), self->series[s].label, buf2);
                  layout_text (self, buf, &tw, &th);
                  bw = MAX (bw, tw + 12);
                  bh += th;
                }
              bx = x + 2 * PAD + bw + 2 * PAD > x0 + w ? x - 2 * PAD - bw - 2 * PAD : x + 2 * PAD;

              gtk_render_background (style, cr, bx, by, bw + 2 * PAD, bh + 2 * PAD);
              cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.4);
              cairo_rectangle (cr, floor (bx) + 0.5, floor (by) + 0.5, floor (bw + 2 * PAD),
                               floor (bh + 2 * PAD));
              cairo_stroke (cr);

              format_age (self, (double) age * self->interval_ms / 1000.0, buf, sizeof buf);
              cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha);
              layout_text (self, buf, &tw, &th);
              show_text (self, cr, buf, bx + PAD, by + PAD);
              by += th;
              for (guint s = 0; s < self->n_series; s++)
                {
                  const VmdRing *ring = self->series[s].ring;
                  float v = age < (int) ring->count ? vmd_ring_get (ring, ring->count - 1 - age)
                                                    : -1;
                  GdkRGBA color;

                  series_color (style, s, dark, &color);
                  gdk_cairo_set_source_rgba (cr, &color);
                  cairo_rectangle (cr, bx + PAD, by + PAD + th / 2.0 - 4, 8, 8);
                  cairo_fill (cr);
                  vmd_graph_format_value (self->unit, v, buf2, sizeof buf2);
                  g_snprintf (buf, sizeof buf, _("%s: %s"), self->series[s].label, buf2);
                  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha);
                  show_text (self, cr, buf, bx + PAD + 12, by + PAD);
                  by += th;
                }
            }
        }
    }
  cairo_restore (cr);
  return FALSE;
}

char *
vmd_graph_describe_at (VmdGraph *self, double x)
{
  GtkWidget *widget = GTK_WIDGET (self);
  char buf[LABEL_LEN], buf2[LABEL_LEN];
  g_autoptr (GString) text = NULL;
  double x0, y0, w, h;
  int age;

  g_return_val_if_fail (VMD_IS_GRAPH (self), NULL);

  if (self->layout == NULL)
    self->layout = gtk_widget_create_pango_layout (widget, NULL);
  compute_scale (self);
  plot_area (self, gtk_widget_get_allocated_width (widget),
             gtk_widget_get_allocated_height (widget), &x0, &y0, &w, &h);
  age = age_at (self, x, x0, w);
  if (age < 0)
    return NULL;
  format_age (self, (double) age * self->interval_ms / 1000.0, buf, sizeof buf);
  text = g_string_new (buf);
  for (guint s = 0; s < self->n_series; s++)
    {
      const VmdRing *ring = self->series[s].ring;
      float v = age < (int) ring->count ? vmd_ring_get (ring, ring->count - 1 - age) : -1;

      vmd_graph_format_value (self->unit, v, buf2, sizeof buf2);
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("%s: %s"), self->series[s].label, buf2);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ------------------------------------------------------------ pointer */

static gboolean
vmd_graph_motion_notify_event (GtkWidget *widget, GdkEventMotion *event)
{
  VmdGraph *self = VMD_GRAPH (widget);

  if (!self->compact)
    {
      self->hover_x = event->x;
      gtk_widget_queue_draw (widget);
    }
  return GDK_EVENT_PROPAGATE;
}

static gboolean
vmd_graph_leave_notify_event (GtkWidget *widget, GdkEventCrossing *event)
{
  VmdGraph *self = VMD_GRAPH (widget);

  self->hover_x = -1;
  gtk_widget_queue_draw (widget);
  return GDK_EVENT_PROPAGATE;
}

static void
vmd_graph_get_preferred_height (GtkWidget *widget, int *minimum, int *natural)
{
  VmdGraph *self = VMD_GRAPH (widget);

  *minimum = self->compact ? 16 : 100;
  *natural = self->compact ? 20 : 140;
}

static void
vmd_graph_get_preferred_width (GtkWidget *widget, int *minimum, int *natural)
{
  VmdGraph *self = VMD_GRAPH (widget);

  *minimum = self->compact ? 40 : 200;
  *natural = self->compact ? 80 : 400;
}

static void
vmd_graph_style_updated (GtkWidget *widget)
{
  VmdGraph *self = VMD_GRAPH (widget);

  GTK_WIDGET_CLASS (vmd_graph_parent_class)->style_updated (widget);
  /* the font may have changed */
  g_clear_object (&self->layout);
}

/* ------------------------------------------------------------ object */

static void
vmd_graph_finalize (GObject *object)
{
  VmdGraph *self = VMD_GRAPH (object);

  for (guint s = 0; s < self->n_series; s++)
    {
      g_free (self->series[s].label);
      vmd_ring_free (self->series[s].ring);
    }
  g_clear_object (&self->layout);
  G_OBJECT_CLASS (vmd_graph_parent_class)->finalize (object);
}

static void
vmd_graph_class_init (VmdGraphClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = vmd_graph_finalize;
  widget_class->draw = vmd_graph_draw;
  widget_class->motion_notify_event = vmd_graph_motion_notify_event;
  widget_class->leave_notify_event = vmd_graph_leave_notify_event;
  widget_class->get_preferred_height = vmd_graph_get_preferred_height;
  widget_class->get_preferred_width = vmd_graph_get_preferred_width;
  widget_class->style_updated = vmd_graph_style_updated;
  gtk_widget_class_set_css_name (widget_class, "graph");
  gtk_widget_class_set_accessible_role (widget_class, ATK_ROLE_CHART);
}

static void
vmd_graph_init (VmdGraph *self)
{
  self->hover_x = -1;
  self->interval_ms = 1000;
  self->style = VMD_GRAPH_STYLE_AREA;
  gtk_widget_add_events (GTK_WIDGET (self), GDK_POINTER_MOTION_MASK | GDK_LEAVE_NOTIFY_MASK);
}

GtkWidget *
vmd_graph_new (VmdGraphUnit unit, guint capacity)
{
  VmdGraph *self;

  g_return_val_if_fail (capacity > 1, NULL);
  self = g_object_new (VMD_TYPE_GRAPH, NULL);
  self->unit = unit;
  self->capacity = capacity;
  self->window = capacity;
  return GTK_WIDGET (self);
}

guint
vmd_graph_add_series (VmdGraph *self, const char *label)
{
  g_return_val_if_fail (VMD_IS_GRAPH (self), 0);
  g_return_val_if_fail (self->n_series < MAX_SERIES, 0);

  self->series[self->n_series].label = g_strdup (label);
  self->series[self->n_series].ring = vmd_ring_new (self->capacity);
  return self->n_series++;
}

guint
vmd_graph_get_n_series (VmdGraph *self)
{
  g_return_val_if_fail (VMD_IS_GRAPH (self), 0);
  return self->n_series;
}

void
vmd_graph_push (VmdGraph *self, guint series, float value)
{
  g_return_if_fail (VMD_IS_GRAPH (self));
  g_return_if_fail (series < self->n_series);
  vmd_ring_push (self->series[series].ring, value);
}

void
vmd_graph_samples_added (VmdGraph *self)
{
  char text[MAX_SERIES * LABEL_LEN * 2] = "";
  char buf[LABEL_LEN], line[LABEL_LEN * 2];

  g_return_if_fail (VMD_IS_GRAPH (self));
  compute_scale (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  /* what a screen reader says: the newest value of each series */
  for (guint s = 0; s < self->n_series; s++)
    {
      vmd_graph_format_value (self->unit, vmd_ring_get_last (self->series[s].ring), buf,
                              sizeof buf);
      g_snprintf (line, sizeof line, _("%s: %s"), self->series[s].label, buf);
      if (s > 0)
        g_strlcat (text, "\n", sizeof text);
      g_strlcat (text, line, sizeof text);
    }
  atk_object_set_description (gtk_widget_get_accessible (GTK_WIDGET (self)), text);
}

void
vmd_graph_clear (VmdGraph *self)
{
  g_return_if_fail (VMD_IS_GRAPH (self));
  for (guint s = 0; s < self->n_series; s++)
    vmd_ring_clear (self->series[s].ring);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const VmdRing *
vmd_graph_get_ring (VmdGraph *self, guint series)
{
  g_return_val_if_fail (VMD_IS_GRAPH (self), NULL);
  g_return_val_if_fail (series < self->n_series, NULL);
  return self->series[series].ring;
}

float
vmd_graph_get_last (VmdGraph *self, guint series)
{
  g_return_val_if_fail (VMD_IS_GRAPH (self), -1);
  g_return_val_if_fail (series < self->n_series, -1);
  return vmd_ring_get_last (self->series[series].ring);
}

void
vmd_graph_set_window (VmdGraph *self, guint n_samples)
{
  g_return_if_fail (VMD_IS_GRAPH (self));
  self->window = CLAMP (n_samples, 2, self->capacity);
  compute_scale (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
vmd_graph_get_window (VmdGraph *self)
{
  g_return_val_if_fail (VMD_IS_GRAPH (self), 0);
  return self->window;
}

void
vmd_graph_set_interval (VmdGraph *self, guint interval_ms)
{
  g_return_if_fail (VMD_IS_GRAPH (self));
  self->interval_ms = MAX (interval_ms, 1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
vmd_graph_set_fixed_max (VmdGraph *self, double max)
{
  g_return_if_fail (VMD_IS_GRAPH (self));
  self->fixed_max = MAX (max, 0);
  compute_scale (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
vmd_graph_get_scale_max (VmdGraph *self)
{
  g_return_val_if_fail (VMD_IS_GRAPH (self), 0);
  return compute_scale (self);
}

void
vmd_graph_set_style (VmdGraph *self, VmdGraphStyle style)
{
  g_return_if_fail (VMD_IS_GRAPH (self));
  self->style = style;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
vmd_graph_set_compact (VmdGraph *self, gboolean compact)
{
  g_return_if_fail (VMD_IS_GRAPH (self));
  self->compact = compact;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}
