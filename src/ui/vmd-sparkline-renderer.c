/* vmd-sparkline-renderer.c: a tiny line graph of a VM's recent samples
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Draws one series of a VmdStatsHistory (the "history" property, set per
 * row by the column's data function) straight from its ring: nothing is
 * allocated per draw. Percent series have a fixed 0–100 scale ("scale");
 * rates (scale 0) are scaled to the largest sample shown. Unknown samples
 * (negative) break the line; a series with none known draws nothing.
 */
#define G_LOG_DOMAIN "vmdesk-ui"

#include <glib/gi18n.h>

#include "vmd-graph.h"
#include "vmd-icon-renderer.h"
#include "vmd-sparkline-renderer.h"

#define SPARKLINE_WIDTH  (VMD_STATS_HISTORY_LENGTH * 2)
#define SPARKLINE_HEIGHT 20
#define VALUE_GAP        6
/* Distinct value texts whose layouts are kept ("0 %" … "100 %", rates). */
#define MAX_CACHED_LAYOUTS 256

struct _VmdSparklineRenderer
{
  GtkCellRenderer  parent_instance;

  VmdStatsHistory *history;   /* not owned */
  VmdStatsSeries   series;
  double           scale;

  /* The current value is drawn left of the line from laid-out text kept
   * per string: a list redraws these cells every second, and laying out
   * and shaping the same few strings again each time cost more than all
   * the rest of the drawing. */
  GHashTable      *layouts;         /* text -> PangoLayout */
  PangoContext    *layout_context;  /* what they were made with */
  guint            layout_serial;
  int              value_width;     /* px, for the widest value */
};

G_DEFINE_FINAL_TYPE (VmdSparklineRenderer, vmd_sparkline_renderer, GTK_TYPE_CELL_RENDERER)

enum {
  PROP_0,
  PROP_HISTORY,
  PROP_SERIES,
  PROP_SCALE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
vmd_sparkline_renderer_get_property (GObject *object, guint prop_id, GValue *value,
                                     GParamSpec *pspec)
{
  VmdSparklineRenderer *self = VMD_SPARKLINE_RENDERER (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_pointer (value, self->history);
      break;
    case PROP_SERIES:
      g_value_set_int (value, self->series);
      break;
    case PROP_SCALE:
      g_value_set_double (value, self->scale);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_sparkline_renderer_set_property (GObject *object, guint prop_id, const GValue *value,
                                     GParamSpec *pspec)
{
  VmdSparklineRenderer *self = VMD_SPARKLINE_RENDERER (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      self->history = g_value_get_pointer (value);
      break;
    case PROP_SERIES:
      self->series = g_value_get_int (value);
      break;
    case PROP_SCALE:
      self->scale = g_value_get_double (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Room for any value's text: "100 %", "1023.9 MB/s" and translations. */
#define VALUE_TEXT_SIZE 64

/* What vmd_sparkline_format_value() returns, written into @buffer (a
 * percentage, the most common, without an allocation): the list formats
 * each value a few times a second. */
static const char *
format_value (VmdStatsSeries series, double scale, double value, char buffer[VALUE_TEXT_SIZE])
{
  static const char *percent_format;
  static const char *rate_format;
  g_autofree char *size = NULL;

  if (value < 0)
    return NULL;  /* not running, or not known (user-mode networking) */
  if (scale > 0)
    {
      if (percent_format == NULL)
        /* Translators: CPU use in the list, e.g. "12 %" */
        percent_format = _("%.0f %%");
      g_snprintf (buffer, VALUE_TEXT_SIZE, percent_format, value);
      return buffer;
    }
  size = g_format_size ((guint64) value);
  if (series == VMD_STATS_SERIES_MEMORY)
    {
      g_strlcpy (buffer, size, VALUE_TEXT_SIZE);
      return buffer;
    }
  if (rate_format == NULL)
    /* Translators: a transfer rate in the list, e.g. "1.2 MB/s" */
    rate_format = _("%s/s");
  g_snprintf (buffer, VALUE_TEXT_SIZE, rate_format, size);
  return buffer;
}

/**
 * vmd_sparkline_format_value:
 * @scale: the series' fixed top (100 for percentages), or 0 for amounts
 *
 * Returns: (nullable): the text of a value in the list, e.g. "12 %",
 *   "212.4 MB" (memory) or "1.2 MB/s"; %NULL when it is not known
 */
char *
vmd_sparkline_format_value (VmdStatsSeries series, double scale, double value)
{
  char buffer[VALUE_TEXT_SIZE];

  return g_strdup (format_value (series, scale, value, buffer));
}

/* The layout of @text for @widget, made once per text and font. */
static PangoLayout *
value_layout (VmdSparklineRenderer *self, GtkWidget *widget, const char *text)
{
  PangoContext *context = gtk_widget_get_pango_context (widget);
  PangoLayout *layout;

  if (context != self->layout_context || pango_context_get_serial (context) != self->layout_serial ||
      g_hash_table_size (self->layouts) >= MAX_CACHED_LAYOUTS)
    {
      g_hash_table_remove_all (self->layouts);
      self->layout_context = context;
      self->layout_serial = pango_context_get_serial (context);
      self->value_width = 0;
    }
  layout = g_hash_table_lookup (self->layouts, text);
  if (layout == NULL)
    {
      layout = pango_layout_new (context);
      pango_layout_set_text (layout, text, -1);
      g_hash_table_insert (self->layouts, g_strdup (text), layout);
    }
  return layout;
}

static int
value_width (VmdSparklineRenderer *self, GtkWidget *widget)
{
  if (self->value_width == 0 || gtk_widget_get_pango_context (widget) != self->layout_context)
    {
      /* Wide enough for "100 %" and "999.9 MB/s". */
      g_autofree char *widest = vmd_sparkline_format_value (self->series, self->scale,
                                                            self->scale > 0 ? 100 : 999.9e6);
      PangoLayout *layout = value_layout (self, widget, widest);

      pango_layout_get_pixel_size (layout, &self->value_width, NULL);
    }
  return self->value_width;
}

static void
vmd_sparkline_renderer_get_preferred_width (GtkCellRenderer *cell, GtkWidget *widget,
                                            int *minimum, int *natural)
{
  VmdSparklineRenderer *self = VMD_SPARKLINE_RENDERER (cell);
  int xpad;

  gtk_cell_renderer_get_padding (cell, &xpad, NULL);
  *minimum = *natural = value_width (self, widget) + VALUE_GAP + SPARKLINE_WIDTH + 2 * xpad;
}

static void
draw_value (VmdSparklineRenderer *self, cairo_t *cr, GtkWidget *widget,
            const GdkRectangle *cell_area, int xpad, const GdkRGBA *color)
{
  char buffer[VALUE_TEXT_SIZE];
  const char *text = format_value (self->series, self->scale,
                                   vmd_stats_history_get_last (self->history, self->series),
                                   buffer);
  PangoLayout *layout;
  int width, height;

  if (text == NULL)
    return;
  layout = value_layout (self, widget, text);
  pango_layout_get_pixel_size (layout, &width, &height);
  /* right-aligned in the value's room, centred vertically */
  cairo_move_to (cr, cell_area->x + xpad + value_width (self, widget) - width,
                 cell_area->y + (cell_area->height - height) / 2);
  gdk_cairo_set_source_rgba (cr, color);
  pango_cairo_show_layout (cr, layout);
}

static void
vmd_sparkline_renderer_get_preferred_height (GtkCellRenderer *cell, GtkWidget *widget,
                                             int *minimum, int *natural)
{
  int ypad;

  gtk_cell_renderer_get_padding (cell, NULL, &ypad);
  *minimum = *natural = SPARKLINE_HEIGHT + 2 * ypad;
}

/* A sample's height as a fraction of the graph, in steps of 1/64: finer
 * than a pixel at the list's row heights, and what
 * vmd_sparkline_signature() compares. */
static double
quantized_fraction (float value, double max)
{
  double fraction = CLAMP (value / max, 0.0, 1.0);

  return (int) (fraction * 64.0 + 0.5) / 64.0;
}

/* The top of the graph of @series: its fixed scale, or its largest sample. */
static double
graph_max (const VmdStatsHistory *history, VmdStatsSeries series, double scale)
{
  double max = vmd_stats_history_get_max (history, series);

  if (scale > 0)
    max = MAX (max, scale);
  return max > 0 ? max : 1;
}

/**
 * vmd_sparkline_signature:
 *
 * Returns: a hash of what a cell of @series draws: the value's text and
 *   the line's quantized points. The list redraws a cell only when it
 *   changes, so an idle VM's steady line costs no frame at all.
 */
guint
vmd_sparkline_signature (const VmdStatsHistory *history, VmdStatsSeries series, double scale)
{
  char buffer[VALUE_TEXT_SIZE];
  const char *text = format_value (series, scale, vmd_stats_history_get_last (history, series),
                                   buffer);
  guint n = vmd_stats_history_get_n_samples (history, series);
  double max = graph_max (history, series, scale);
  guint hash = text != NULL ? g_str_hash (text) : 17;

  for (guint i = 0; i < n; i++)
    {
      float v = vmd_stats_history_get_sample (history, series, i);

      hash = hash * 31 + (v < 0 ? 1000u : (guint) (quantized_fraction (v, max) * 64.0));
    }
  return hash * 31 + n;
}

/**
 * vmd_sparkline_value_changed:
 *
 * Returns: whether the text of @series' last sample differs from the one
 *   before it (or there is no sample before it): the list redraws the
 *   value of a cell only then, and just the line otherwise.
 */
gboolean
vmd_sparkline_value_changed (const VmdStatsHistory *history, VmdStatsSeries series, double scale)
{
  guint n = vmd_stats_history_get_n_samples (history, series);
  char last_buffer[VALUE_TEXT_SIZE], previous_buffer[VALUE_TEXT_SIZE];

  if (n < 2)
    return TRUE;
  return g_strcmp0 (format_value (series, scale,
                                  vmd_stats_history_get_sample (history, series, n - 1),
                                  last_buffer),
                    format_value (series, scale,
                                  vmd_stats_history_get_sample (history, series, n - 2),
                                  previous_buffer)) != 0;
}

/**
 * vmd_sparkline_renderer_get_line_area:
 * @background: a cell's background area, as GtkTreeView gives it
 * @line: (out): the part of it that holds the line (from within the gap
 *   after the value to the right edge)
 *
 * Returns: %FALSE when the cell is too narrow for the line to have its
 *   full width: then only the whole cell is safe to redraw
 */
gboolean
vmd_sparkline_renderer_get_line_area (VmdSparklineRenderer *self,
                                      GtkWidget            *widget,
                                      const GdkRectangle   *background,
                                      GdkRectangle         *line)
{
  int xpad, split;

  g_return_val_if_fail (VMD_IS_SPARKLINE_RENDERER (self), FALSE);

  gtk_cell_renderer_get_padding (GTK_CELL_RENDERER (self), &xpad, NULL);
  /* The cell area is the background less the tree view's separator, a
   * few pixels (2 by default, up to VALUE_GAP - 1 here) on each side.
   * With room for the line at its full width, it starts at most that far
   * left of the background's right edge less the padding and its width;
   * the value ends at least VALUE_GAP before the line. */
  if (background->width - 2 * xpad - value_width (self, widget) - VALUE_GAP <
      SPARKLINE_WIDTH + 2 * VALUE_GAP)
    return FALSE;
  split = background->x + background->width - xpad - SPARKLINE_WIDTH - (VALUE_GAP - 1);
  *line = (GdkRectangle) { split, background->y, background->x + background->width - split,
                           background->height };
  return TRUE;
}

/**
 * vmd_sparkline_renderer_set_history:
 *
 * What the column's data function sets for each row: the same as the
 * "history" property, without a property's notification.
 */
void
vmd_sparkline_renderer_set_history (VmdSparklineRenderer *self, VmdStatsHistory *history)
{
  g_return_if_fail (VMD_IS_SPARKLINE_RENDERER (self));
  self->history = history;
}

static void
vmd_sparkline_renderer_render (GtkCellRenderer      *cell,
                               cairo_t              *cr,
                               GtkWidget            *widget,
                               const GdkRectangle   *background_area,
                               const GdkRectangle   *cell_area,
                               GtkCellRendererState  flags)
{
  VmdSparklineRenderer *self = VMD_SPARKLINE_RENDERER (cell);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  const float *values;
  guint capacity, start, n;
  GdkRGBA color;
  int xpad, ypad, w, h;

  GdkRectangle value_area, line_area;

  if (self->history == NULL || vmd_cell_outside_clip (cr, cell_area))
    return;
  gtk_style_context_get_color (style, gtk_style_context_get_state (style), &color);
  gtk_cell_renderer_get_padding (cell, &xpad, &ypad);
  w = MIN (SPARKLINE_WIDTH, cell_area->width - 2 * xpad - value_width (self, widget) - VALUE_GAP);
  h = cell_area->height - 2 * ypad;
  /* A new sample may redraw just one of the two parts (see
   * vmd_sparkline_renderer_get_line_area()): the other is left alone. */
  value_area = (GdkRectangle) { cell_area->x + xpad, cell_area->y, value_width (self, widget),
                                cell_area->height };
  line_area = (GdkRectangle) { cell_area->x + cell_area->width - xpad - MAX (w, 0),
                               cell_area->y + ypad, MAX (w, 0), MAX (h, 0) };
  if (!vmd_cell_outside_clip (cr, &value_area))
    {
      cairo_save (cr);
      draw_value (self, cr, widget, cell_area, xpad, &color);
      cairo_restore (cr);
    }

  vmd_stats_history_get_ring (self->history, self->series, &values, &capacity, &start, &n);
  if (n == 0 || vmd_stats_history_get_max (self->history, self->series) < 0)
    return;
  if (w <= 2 || h <= 2 || vmd_cell_outside_clip (cr, &line_area))
    return;

  /* The graph widget's compact drawing, right-aligned in the cell. */
  cairo_save (cr);
  cairo_translate (cr, line_area.x, line_area.y);
  vmd_graph_draw_compact (cr, style, values, capacity, start, n,
                          graph_max (self->history, self->series, self->scale), w, h);
  cairo_restore (cr);
}

static void
vmd_sparkline_renderer_finalize (GObject *object)
{
  VmdSparklineRenderer *self = VMD_SPARKLINE_RENDERER (object);

  g_hash_table_unref (self->layouts);
  G_OBJECT_CLASS (vmd_sparkline_renderer_parent_class)->finalize (object);
}

static void
vmd_sparkline_renderer_class_init (VmdSparklineRendererClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkCellRendererClass *cell_class = GTK_CELL_RENDERER_CLASS (klass);

  object_class->finalize = vmd_sparkline_renderer_finalize;
  object_class->get_property = vmd_sparkline_renderer_get_property;
  object_class->set_property = vmd_sparkline_renderer_set_property;
  cell_class->get_preferred_width = vmd_sparkline_renderer_get_preferred_width;
  cell_class->get_preferred_height = vmd_sparkline_renderer_get_preferred_height;
  cell_class->render = vmd_sparkline_renderer_render;

  properties[PROP_HISTORY] =
    g_param_spec_pointer ("history", NULL, NULL,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERIES] =
    g_param_spec_int ("series", NULL, NULL, 0, VMD_STATS_N_SERIES - 1, 0,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCALE] =
    g_param_spec_double ("scale", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vmd_sparkline_renderer_init (VmdSparklineRenderer *self)
{
  gtk_cell_renderer_set_padding (GTK_CELL_RENDERER (self), 2, 3);
  self->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

GtkCellRenderer *
vmd_sparkline_renderer_new (VmdStatsSeries series)
{
  return g_object_new (VMD_TYPE_SPARKLINE_RENDERER, "series", (int) series, NULL);
}
