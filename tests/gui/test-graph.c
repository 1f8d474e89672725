/* test-graph.c: the graph widget's data path: its rings, the scale of the
 * value axis, the units of its labels, the readout at the pointer and the
 * compact drawing the manager list's sparklines use
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <gtk/gtk.h>
#include <locale.h>

#include "vmd-graph.h"
#include "vmd-preferences-dialog.h"
#include "vmd-ring.h"

static void
test_ring_order (void)
{
  g_autoptr (VmdRing) ring = vmd_ring_new (4);

  g_assert_cmpuint (vmd_ring_get_count (ring), ==, 0);
  g_assert_cmpfloat (vmd_ring_get_last (ring), ==, -1);
  g_assert_cmpfloat (vmd_ring_get_max (ring, 4), ==, -1);
  vmd_ring_push (ring, 1);
  vmd_ring_push (ring, 2);
  vmd_ring_push (ring, 3);
  g_assert_cmpuint (vmd_ring_get_count (ring), ==, 3);
  g_assert_cmpfloat (vmd_ring_get (ring, 0), ==, 1);
  g_assert_cmpfloat (vmd_ring_get (ring, 2), ==, 3);
  g_assert_cmpfloat (vmd_ring_get_last (ring), ==, 3);
  /* overflow: the oldest go, the order stays */
  vmd_ring_push (ring, 4);
  vmd_ring_push (ring, 5);
  vmd_ring_push (ring, 6);
  g_assert_cmpuint (vmd_ring_get_count (ring), ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpfloat (vmd_ring_get (ring, i), ==, 3 + i);
  /* the raw view a draw walks */
  {
    guint start = vmd_ring_get_start (ring, 2);
    g_assert_cmpfloat (ring->values[start], ==, 5);
    g_assert_cmpfloat (ring->values[(start + 1) % ring->capacity], ==, 6);
  }
  vmd_ring_clear (ring);
  g_assert_cmpuint (vmd_ring_get_count (ring), ==, 0);
}

static void
test_ring_max (void)
{
  g_autoptr (VmdRing) ring = vmd_ring_new (10);

  vmd_ring_push (ring, -1);   /* not known */
  g_assert_cmpfloat (vmd_ring_get_max (ring, 10), ==, -1);
  vmd_ring_push (ring, 90);
  vmd_ring_push (ring, 10);
  vmd_ring_push (ring, 20);
  g_assert_cmpfloat (vmd_ring_get_max (ring, 10), ==, 90);
  /* only the last n: the 90 has left a 2-sample window */
  g_assert_cmpfloat (vmd_ring_get_max (ring, 2), ==, 20);
  g_assert_cmpfloat (vmd_ring_get_max (ring, 100), ==, 90);
}

static void
check_format (VmdGraphUnit unit, double value, const char *expected)
{
  char buf[64];

  g_assert_cmpstr (vmd_graph_format_value (unit, value, buf, sizeof buf), ==, expected);
}

static void
test_units (void)
{
  check_format (VMD_GRAPH_UNIT_PERCENT, 0, "0 %");
  check_format (VMD_GRAPH_UNIT_PERCENT, 42.4, "42 %");
  check_format (VMD_GRAPH_UNIT_PERCENT, 2.54, "2.5 %");
  check_format (VMD_GRAPH_UNIT_PERCENT, 150, "150 %");
  check_format (VMD_GRAPH_UNIT_BYTES, 512.0 * 1024 * 1024, "512 MiB");
  check_format (VMD_GRAPH_UNIT_BYTES, 1.5 * 1024 * 1024 * 1024, "1.5 GiB");
  check_format (VMD_GRAPH_UNIT_BYTES, 50.0 * 1024 * 1024, "50 MiB");
  check_format (VMD_GRAPH_UNIT_BYTES, 100, "100 B");
  check_format (VMD_GRAPH_UNIT_BYTES_PER_SECOND, 12.5 * 1024, "12.5 KiB/s");
  check_format (VMD_GRAPH_UNIT_BYTES_PER_SECOND, 0, "0 B/s");
  check_format (VMD_GRAPH_UNIT_BYTES_PER_SECOND, 3.0 * 1024 * 1024, "3 MiB/s");
  check_format (VMD_GRAPH_UNIT_BYTES_PER_SECOND, 300.0 * 1024, "300 KiB/s");
  check_format (VMD_GRAPH_UNIT_BYTES_PER_SECOND, -1, "Not known");
}

static void
test_nice_max (void)
{
  g_assert_cmpfloat (vmd_graph_nice_max (VMD_GRAPH_UNIT_PERCENT, 0), ==, 100);
  g_assert_cmpfloat (vmd_graph_nice_max (VMD_GRAPH_UNIT_PERCENT, 37), ==, 100);
  g_assert_cmpfloat (vmd_graph_nice_max (VMD_GRAPH_UNIT_PERCENT, 180), ==, 200);
  /* rates: at least 1 KiB/s, then 1, 2, 5, 10… of a binary unit */
  g_assert_cmpfloat (vmd_graph_nice_max (VMD_GRAPH_UNIT_BYTES_PER_SECOND, 0), ==, 1024);
  g_assert_cmpfloat (vmd_graph_nice_max (VMD_GRAPH_UNIT_BYTES_PER_SECOND, 1500), ==, 2048);
  g_assert_cmpfloat (vmd_graph_nice_max (VMD_GRAPH_UNIT_BYTES_PER_SECOND, 3.2 * 1024 * 1024),
                     ==, 5.0 * 1024 * 1024);
  g_assert_cmpfloat (vmd_graph_nice_max (VMD_GRAPH_UNIT_BYTES_PER_SECOND, 600.0 * 1024), ==,
                     1024.0 * 1024);
  g_assert_cmpfloat (vmd_graph_nice_max (VMD_GRAPH_UNIT_BYTES, 100), ==, 1024.0 * 1024);
}

static void
test_autoscale (void)
{
  GtkWidget *widget = vmd_graph_new (VMD_GRAPH_UNIT_BYTES_PER_SECOND, 30);
  VmdGraph *graph = VMD_GRAPH (g_object_ref_sink (widget));
  guint read = vmd_graph_add_series (graph, "Read");
  guint write = vmd_graph_add_series (graph, "Write");

  g_assert_cmpuint (vmd_graph_get_n_series (graph), ==, 2);
  vmd_graph_set_window (graph, 10);
  g_assert_cmpfloat (vmd_graph_get_scale_max (graph), ==, 1024);

  /* a burst of writes raises the top over both series */
  vmd_graph_push (graph, read, 100);
  vmd_graph_push (graph, write, 3.0 * 1024 * 1024);
  vmd_graph_samples_added (graph);
  g_assert_cmpfloat (vmd_graph_get_scale_max (graph), ==, 5.0 * 1024 * 1024);
  g_assert_cmpfloat (vmd_graph_get_last (graph, write), ==, 3.0 * 1024 * 1024);

  /* once the burst leaves the window, the top comes down */
  for (int i = 0; i < 10; i++)
    {
      vmd_graph_push (graph, read, 1500);
      vmd_graph_push (graph, write, 0);
    }
  vmd_graph_samples_added (graph);
  g_assert_cmpfloat (vmd_graph_get_scale_max (graph), ==, 2048);
  /* a wider window sees it again: the rings keep the capacity */
  vmd_graph_set_window (graph, 30);
  g_assert_cmpfloat (vmd_graph_get_scale_max (graph), ==, 5.0 * 1024 * 1024);

  /* a fixed top (memory allocated) holds while the samples stay below */
  vmd_graph_set_fixed_max (graph, 128.0 * 1024 * 1024);
  g_assert_cmpfloat (vmd_graph_get_scale_max (graph), ==, 128.0 * 1024 * 1024);
  vmd_graph_push (graph, read, 200.0 * 1024 * 1024);
  vmd_graph_samples_added (graph);
  g_assert_cmpfloat (vmd_graph_get_scale_max (graph), ==, 200.0 * 1024 * 1024);
  g_object_unref (graph);
}

static void
test_percent_fixed (void)
{
  GtkWidget *widget = vmd_graph_new (VMD_GRAPH_UNIT_PERCENT, 10);
  VmdGraph *graph = VMD_GRAPH (g_object_ref_sink (widget));

  vmd_graph_add_series (graph, "CPU");
  vmd_graph_push (graph, 0, 3);
  vmd_graph_samples_added (graph);
  g_assert_cmpfloat (vmd_graph_get_scale_max (graph), ==, 100);
  g_object_unref (graph);
}

/* The readout at the pointer names the sample under it. */
static void
test_readout (void)
{
  GtkWidget *window = gtk_offscreen_window_new ();
  GtkWidget *widget = vmd_graph_new (VMD_GRAPH_UNIT_PERCENT, 60);
  VmdGraph *graph = VMD_GRAPH (widget);
  g_autofree char *newest = NULL;
  g_autofree char *oldest = NULL;
  g_autofree char *outside = NULL;
  int width;

  vmd_graph_add_series (graph, "CPU");
  vmd_graph_set_window (graph, 60);
  for (int i = 0; i < 60; i++)
    vmd_graph_push (graph, 0, i);   /* the newest is 59 %, the oldest 0 % */
  vmd_graph_samples_added (graph);
  gtk_widget_set_size_request (widget, 400, 150);
  gtk_container_add (GTK_CONTAINER (window), widget);
  gtk_widget_show_all (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  width = gtk_widget_get_allocated_width (widget);
  g_assert_cmpint (width, >=, 400);

  newest = vmd_graph_describe_at (graph, width - 5);
  g_assert_nonnull (newest);
  g_assert_nonnull (strstr (newest, "Now"));
  g_assert_nonnull (strstr (newest, "CPU: 59 %"));
  oldest = vmd_graph_describe_at (graph, 2000);
  g_assert_null (oldest);
  outside = vmd_graph_describe_at (graph, 0);
  g_assert_null (outside);
  {
    /* somewhere left of the middle: an older, smaller sample */
    g_autofree char *mid = vmd_graph_describe_at (graph, width / 2.0);
    g_assert_nonnull (mid);
    g_assert_nonnull (strstr (mid, "s ago"));
    g_assert_null (strstr (mid, "CPU: 59 %"));
  }
  gtk_widget_destroy (window);
}

/* The compact drawing the list's sparklines use: a line in the accent
 * colour inside a faint frame, nothing drawn for unknown samples. */
static guint
accent_pixels (cairo_surface_t *surface, int x_from, int x_to)
{
  guint32 *pixels = (guint32 *) cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface) / 4;
  guint count = 0;

  cairo_surface_flush (surface);
  for (int y = 1; y < 19; y++)
    for (int x = x_from; x < x_to; x++)
      {
        guint32 p = pixels[y * stride + x];
        guint a = p >> 24, r = (p >> 16) & 0xff, b = p & 0xff;

        if (a > 0x80 && b > r + 0x40)
          count++;
      }
  return count;
}

static void
test_compact_draw (void)
{
  /* the style of a tree view, as the list's cell renderer gets it */
  GtkWidget *window = gtk_offscreen_window_new ();
  GtkWidget *tree = gtk_tree_view_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 80, 20);
  float values[40];
  cairo_t *cr;

  gtk_container_add (GTK_CONTAINER (window), tree);
  gtk_widget_show_all (window);
  for (int i = 0; i < 40; i++)
    values[i] = i < 20 ? -1 : 40 + 5 * (i % 8 < 4 ? i % 8 : 8 - i % 8);   /* half unknown */
  cr = cairo_create (surface);
  vmd_graph_draw_compact (cr, gtk_widget_get_style_context (tree), values, 40, 0, 40, 100, 80,
                          20);
  cairo_destroy (cr);
  /* the known half has its line, the unknown half none */
  g_assert_cmpuint (accent_pixels (surface, 42, 79), >, 40);
  g_assert_cmpuint (accent_pixels (surface, 1, 38), ==, 0);
  cairo_surface_destroy (surface);
  gtk_widget_destroy (window);
}

static double
luminance (const guint8 *p)
{
  return (0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]) / 255.0;
}

/* With a dark theme the graph is drawn light on dark: its colours come
 * from the theme, not from constants. */
static void
test_dark_theme (void)
{
  GtkWidget *window = gtk_offscreen_window_new ();
  GtkWidget *widget = vmd_graph_new (VMD_GRAPH_UNIT_BYTES_PER_SECOND, 60);
  VmdGraph *graph = VMD_GRAPH (widget);
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  const char *dir = g_getenv ("VMD_SHOT_DIR");
  guint light = 0, dark = 0, n;
  const guint8 *pixels;
  int stride, channels;

  g_object_set (gtk_settings_get_default (), "gtk-theme-name", "Adwaita",
                "gtk-application-prefer-dark-theme", TRUE, NULL);
  vmd_graph_add_series (graph, "Read");
  vmd_graph_add_series (graph, "Write");
  for (int i = 0; i < 60; i++)
    {
      vmd_graph_push (graph, 0, (i % 10) * 100.0 * 1024);
      vmd_graph_push (graph, 1, (i % 7) * 150.0 * 1024);
    }
  vmd_graph_samples_added (graph);
  gtk_widget_set_size_request (widget, 400, 160);
  gtk_container_add (GTK_CONTAINER (window), widget);
  gtk_widget_show_all (window);
  for (int i = 0; i < 20; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
  pixbuf = gtk_offscreen_window_get_pixbuf (GTK_OFFSCREEN_WINDOW (window));
  g_assert_nonnull (pixbuf);
  if (dir != NULL)
    {
      g_autofree char *path = g_build_filename (dir, "perf-graph-dark.png", NULL);
      gdk_pixbuf_save (pixbuf, path, "png", NULL, NULL);
    }
  pixels = gdk_pixbuf_get_pixels (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  channels = gdk_pixbuf_get_n_channels (pixbuf);
  n = gdk_pixbuf_get_width (pixbuf) * gdk_pixbuf_get_height (pixbuf);
  for (int y = 0; y < gdk_pixbuf_get_height (pixbuf); y++)
    for (int x = 0; x < gdk_pixbuf_get_width (pixbuf); x++)
      {
        double l = luminance (pixels + y * stride + x * channels);
        if (l < 0.3)
          dark++;
        else if (l > 0.7)
          light++;
      }
  /* mostly the dark background, with light labels on it */
  g_assert_cmpuint (dark, >, n / 2);
  g_assert_cmpuint (light, >, 200);
  gtk_widget_destroy (window);
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", FALSE, NULL);
}

static GtkWidget *
find_named (GtkWidget *widget, const char *name)
{
  GtkWidget *found = NULL;

  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr (GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL && found == NULL; l = l->next)
        found = find_named (l->data, name);
    }
  return found;
}

/* Every key of the schema has a summary and a description, and every key
 * a user sets has its control in Preferences (named after the key). */
static void
test_schema_keys (void)
{
  static const char *const internal[] = { "window-width", "window-height", "window-maximized",
                                          "recent-isos", NULL };
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;
  g_auto (GStrv) keys = NULL;
  GtkWidget *dialog;

  g_assert_nonnull (source);
  schema = g_settings_schema_source_lookup (source, "org.vmdesk.Vmdesk", TRUE);
  g_assert_nonnull (schema);
  dialog = vmd_preferences_dialog_new (NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr (GSettingsSchemaKey) key = g_settings_schema_get_key (schema, keys[i]);
      const char *summary = g_settings_schema_key_get_summary (key);
      const char *description = g_settings_schema_key_get_description (key);

      if (summary == NULL || *summary == '\0' || description == NULL || *description == '\0')
        g_error ("the key %s has no summary or no description", keys[i]);
      if (g_strv_contains (internal, keys[i]))
        continue;
      if (g_str_equal (keys[i], "list-columns"))
        g_assert_nonnull (find_named (dialog, "list-column-network"));
      else if (find_named (dialog, keys[i]) == NULL)
        g_error ("Preferences has no control for the key %s", keys[i]);
    }
  gtk_widget_destroy (dialog);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C");
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/graph/ring-order", test_ring_order);
  g_test_add_func ("/graph/ring-max", test_ring_max);
  g_test_add_func ("/graph/units", test_units);
  g_test_add_func ("/graph/nice-max", test_nice_max);
  g_test_add_func ("/graph/autoscale", test_autoscale);
  g_test_add_func ("/graph/percent-fixed", test_percent_fixed);
  g_test_add_func ("/graph/readout", test_readout);
  g_test_add_func ("/graph/compact-draw", test_compact_draw);
  g_test_add_func ("/graph/dark-theme", test_dark_theme);
  g_test_add_func ("/preferences/schema-keys", test_schema_keys);
  return g_test_run ();
}
