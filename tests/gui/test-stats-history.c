/* test-stats-history.c: VmdStatsHistory's rings and the sparkline renderer
 * that draws them
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <gtk/gtk.h>
#include <string.h>

#include "vmd-sparkline-renderer.h"
#include "vmd-stats-history.h"

static void
test_ring (void)
{
  g_autoptr (VmdStatsHistory) history = vmd_stats_history_new ();

  g_assert_cmpuint (vmd_stats_history_get_n_samples (history, VMD_STATS_SERIES_DISK), ==, 0);
  g_assert_cmpfloat (vmd_stats_history_get_last (history, VMD_STATS_SERIES_DISK), ==, -1.f);
  g_assert_cmpfloat (vmd_stats_history_get_max (history, VMD_STATS_SERIES_DISK), ==, -1.f);

  for (int i = 0; i < VMD_STATS_HISTORY_LENGTH + 5; i++)
    vmd_stats_history_push (history, VMD_STATS_SERIES_DISK, (float) i);
  vmd_stats_history_push (history, VMD_STATS_SERIES_NETWORK, 7.f);

  /* the oldest five fell out; the series are independent */
  g_assert_cmpuint (vmd_stats_history_get_n_samples (history, VMD_STATS_SERIES_DISK), ==,
                    VMD_STATS_HISTORY_LENGTH);
  g_assert_cmpfloat (vmd_stats_history_get_sample (history, VMD_STATS_SERIES_DISK, 0), ==, 5.f);
  g_assert_cmpfloat (vmd_stats_history_get_last (history, VMD_STATS_SERIES_DISK), ==,
                     (float) (VMD_STATS_HISTORY_LENGTH + 4));
  g_assert_cmpfloat (vmd_stats_history_get_max (history, VMD_STATS_SERIES_DISK), ==,
                     (float) (VMD_STATS_HISTORY_LENGTH + 4));
  g_assert_cmpuint (vmd_stats_history_get_n_samples (history, VMD_STATS_SERIES_NETWORK), ==, 1);
  g_assert_cmpfloat (vmd_stats_history_get_last (history, VMD_STATS_SERIES_NETWORK), ==, 7.f);
  g_assert_cmpuint (vmd_stats_history_get_n_samples (history, VMD_STATS_SERIES_MEMORY), ==, 0);

  vmd_stats_history_clear (history);
  g_assert_cmpuint (vmd_stats_history_get_n_samples (history, VMD_STATS_SERIES_DISK), ==, 0);
}

/* Unknown samples (user-mode networking) keep their place: max says none
 * is known. */
static void
test_unknown (void)
{
  g_autoptr (VmdStatsHistory) history = vmd_stats_history_new ();

  vmd_stats_history_push (history, VMD_STATS_SERIES_NETWORK, -1.f);
  vmd_stats_history_push (history, VMD_STATS_SERIES_NETWORK, -1.f);
  g_assert_cmpuint (vmd_stats_history_get_n_samples (history, VMD_STATS_SERIES_NETWORK), ==, 2);
  g_assert_cmpfloat (vmd_stats_history_get_max (history, VMD_STATS_SERIES_NETWORK), <, 0.f);
}

/* counts the pixels that differ from the transparent background */
static guint
drawn_pixels (cairo_surface_t *surface)
{
  const guint32 *data = (const guint32 *) cairo_image_surface_get_data (surface);
  int n = cairo_image_surface_get_stride (surface) / 4 * cairo_image_surface_get_height (surface);
  guint count = 0;

  cairo_surface_flush (surface);
  for (int i = 0; i < n; i++)
    count += data[i] != 0;
  return count;
}

static guint
render (VmdStatsHistory *history, VmdStatsSeries series)
{
  g_autoptr (GtkCellRenderer) cell = g_object_ref_sink (vmd_sparkline_renderer_new (series));
  GtkWidget *view = gtk_tree_view_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 100, 30);
  cairo_t *cr = cairo_create (surface);
  GdkRectangle area = { 0, 0, 100, 30 };
  int min_w, nat_w, min_h, nat_h;
  guint count;

  g_object_ref_sink (view);
  g_object_set (cell, "history", history, "scale", 100.0, NULL);
  gtk_cell_renderer_get_preferred_width (cell, view, &min_w, &nat_w);
  gtk_cell_renderer_get_preferred_height (cell, view, &min_h, &nat_h);
  g_assert_cmpint (min_w, >, VMD_STATS_HISTORY_LENGTH);
  g_assert_cmpint (min_h, >, 10);
  gtk_cell_renderer_render (cell, cr, view, &area, &area, 0);
  cairo_destroy (cr);
  count = drawn_pixels (surface);
  cairo_surface_destroy (surface);
  g_object_unref (view);
  return count;
}

static void
test_renderer (void)
{
  g_autoptr (VmdStatsHistory) history = vmd_stats_history_new ();

  if (!gtk_init_check (NULL, NULL))
    {
      g_test_skip ("no display");
      return;
    }

  /* nothing known: nothing drawn */
  g_assert_cmpuint (render (NULL, VMD_STATS_SERIES_GUEST_CPU), ==, 0);
  vmd_stats_history_push (history, VMD_STATS_SERIES_NETWORK, -1.f);
  g_assert_cmpuint (render (history, VMD_STATS_SERIES_NETWORK), ==, 0);

  for (int i = 0; i < 10; i++)
    vmd_stats_history_push (history, VMD_STATS_SERIES_GUEST_CPU, (float) (i * 10));
  g_assert_cmpuint (render (history, VMD_STATS_SERIES_GUEST_CPU), >, 20);
}

/* Paints @bg as a row's background would be, then the cell on it, within
 * @clip (the whole background when NULL), as GtkTreeView redraws the
 * region a new sample invalidated. */
static void
paint_cell (cairo_surface_t *surface, GtkCellRenderer *cell, GtkWidget *view,
            const GdkRectangle *bg, int separator, const GdkRectangle *clip)
{
  cairo_t *cr = cairo_create (surface);
  GdkRectangle area = { bg->x + separator, bg->y, bg->width - 2 * separator, bg->height };

  gdk_cairo_rectangle (cr, clip != NULL ? clip : bg);
  cairo_clip (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  gtk_cell_renderer_render (cell, cr, view, bg, &area, 0);
  cairo_destroy (cr);
}

static gboolean
same_pixels (cairo_surface_t *a, cairo_surface_t *b)
{
  cairo_surface_flush (a);
  cairo_surface_flush (b);
  return memcmp (cairo_image_surface_get_data (a), cairo_image_surface_get_data (b),
                 (gsize) cairo_image_surface_get_stride (a) * cairo_image_surface_get_height (a)) == 0;
}

/* A sample whose text is the same as the last one's redraws only the
 * line's part of the cell: what the list then shows is what a full
 * redraw shows, with the tree view's separators of 0 to 5 pixels. */
static void
test_partial_redraw (void)
{
  g_autoptr (VmdStatsHistory) history = vmd_stats_history_new ();
  g_autoptr (GtkCellRenderer) cell = NULL;
  VmdStatsSeries cpu = VMD_STATS_SERIES_GUEST_CPU;
  GtkWidget *view;
  int minimum, width, height;

  if (!gtk_init_check (NULL, NULL))
    {
      g_test_skip ("no display");
      return;
    }
  cell = g_object_ref_sink (vmd_sparkline_renderer_new (cpu));
  view = g_object_ref_sink (gtk_tree_view_new ());
  g_object_set (cell, "history", history, "scale", 100.0, NULL);
  gtk_cell_renderer_get_preferred_width (cell, view, &minimum, &width);
  gtk_cell_renderer_get_preferred_height (cell, view, &minimum, &height);

  for (int separator = 0; separator <= 5; separator++)
    {
      GdkRectangle bg = { 3, 2, width + 2 * separator + 12, height + 4 }, line, narrow;
      cairo_surface_t *shown = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, bg.width + 6,
                                                           bg.height + 4);
      cairo_surface_t *full = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, bg.width + 6,
                                                          bg.height + 4);

      vmd_stats_history_clear (history);
      /* a full ring: the line spans the graph's whole width */
      for (int i = 0; i < VMD_STATS_HISTORY_LENGTH + 7; i++)
        vmd_stats_history_push (history, cpu, i % 3 == 0 ? 40.f : 10.2f);
      paint_cell (shown, cell, view, &bg, separator, NULL);
      paint_cell (full, cell, view, &bg, separator, NULL);

      /* 9.8 % reads "10 %" too: only the line moved. */
      vmd_stats_history_push (history, cpu, 9.8f);
      g_assert_false (vmd_sparkline_value_changed (history, cpu, 100));
      g_assert_true (vmd_sparkline_renderer_get_line_area (VMD_SPARKLINE_RENDERER (cell), view,
                                                           &bg, &line));
      paint_cell (full, cell, view, &bg, separator, NULL);
      g_assert_false (same_pixels (shown, full));  /* the line did move */
      paint_cell (shown, cell, view, &bg, separator, &line);
      g_assert_true (same_pixels (shown, full));

      /* 30 % is a new text: the whole cell is redrawn. */
      vmd_stats_history_push (history, cpu, 30.f);
      g_assert_true (vmd_sparkline_value_changed (history, cpu, 100));

      /* Too narrow for the line's full width: no part to redraw alone. */
      narrow = (GdkRectangle) { 0, 0, width / 2, height };
      g_assert_false (vmd_sparkline_renderer_get_line_area (VMD_SPARKLINE_RENDERER (cell), view,
                                                            &narrow, &line));
      cairo_surface_destroy (shown);
      cairo_surface_destroy (full);
    }
  g_object_unref (view);
}

/* The values beside the lines: percentages, memory amounts, rates. */
static void
test_format (void)
{
  g_autofree char *cpu = vmd_sparkline_format_value (VMD_STATS_SERIES_GUEST_CPU, 100, 12.4);
  g_autofree char *memory = vmd_sparkline_format_value (VMD_STATS_SERIES_MEMORY, 0, 212e6);
  g_autofree char *rate = vmd_sparkline_format_value (VMD_STATS_SERIES_DISK, 0, 1.5e6);
  g_autofree char *unknown = vmd_sparkline_format_value (VMD_STATS_SERIES_NETWORK, 0, -1);

  g_assert_cmpstr (cpu, ==, "12 %");
  g_assert_cmpstr (memory, ==, "212.0\u00a0MB");  /* g_format_size: no-break space */
  g_assert_cmpstr (rate, ==, "1.5\u00a0MB/s");
  g_assert_null (unknown);
}

/* A cell is drawn again only when what it shows changes: not for a
 * difference below the line's resolution, but for a new value text or a
 * line that moves. */
static void
test_signature (void)
{
  g_autoptr (VmdStatsHistory) a = vmd_stats_history_new ();
  g_autoptr (VmdStatsHistory) b = vmd_stats_history_new ();
  VmdStatsSeries cpu = VMD_STATS_SERIES_GUEST_CPU;

  for (int i = 0; i < 10; i++)
    {
      vmd_stats_history_push (a, cpu, 10.0f);
      vmd_stats_history_push (b, cpu, 10.0f);
    }
  g_assert_cmpuint (vmd_sparkline_signature (a, cpu, 100), ==, vmd_sparkline_signature (b, cpu, 100));
  /* A steady line that scrolls looks the same. */
  vmd_stats_history_push (a, cpu, 10.0f);
  vmd_stats_history_push (b, cpu, 10.0f);
  g_assert_cmpuint (vmd_sparkline_signature (a, cpu, 100), ==, vmd_sparkline_signature (b, cpu, 100));
  /* 10.1 % still reads "10 %" and is the same height to 1/64. */
  vmd_stats_history_push (a, cpu, 10.0f);
  vmd_stats_history_push (b, cpu, 10.1f);
  g_assert_cmpuint (vmd_sparkline_signature (a, cpu, 100), ==, vmd_sparkline_signature (b, cpu, 100));
  /* 30 % does not. */
  vmd_stats_history_push (a, cpu, 10.0f);
  vmd_stats_history_push (b, cpu, 30.0f);
  g_assert_cmpuint (vmd_sparkline_signature (a, cpu, 100), !=, vmd_sparkline_signature (b, cpu, 100));
  /* What the list last drew is kept per series. */
  g_assert_cmpuint (vmd_stats_history_swap_shown (a, cpu, 42), ==, 0);
  g_assert_cmpuint (vmd_stats_history_swap_shown (a, cpu, 43), ==, 42);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stats-history/ring", test_ring);
  g_test_add_func ("/stats-history/unknown", test_unknown);
  g_test_add_func ("/stats-history/renderer", test_renderer);
  g_test_add_func ("/stats-history/partial-redraw", test_partial_redraw);
  g_test_add_func ("/stats-history/format", test_format);
  g_test_add_func ("/stats-history/signature", test_signature);
  return g_test_run ();
}
