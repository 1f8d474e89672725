/* test-stats-history.c: VmdStatsHistory's rings and the sparkline renderer
 * that draws them
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <gtk/gtk.h>

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
  g_test_add_func ("/stats-history/format", test_format);
  g_test_add_func ("/stats-history/signature", test_signature);
  return g_test_run ();
}
