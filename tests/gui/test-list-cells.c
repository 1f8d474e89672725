/* test-list-cells.c: the manager list's state icon cells
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * VmdIconRenderer paints the state icon from a surface it keeps rather
 * than loading the icon at every draw: what it draws must be what
 * GtkCellRendererPixbuf draws, plain and in a selected row, the first
 * time and from what it kept, and nothing for a cell outside the clip.
 */
#include <gtk/gtk.h>
#include <string.h>

#include "vmd-icon-renderer.h"

#define W 40
#define H 36

static cairo_surface_t *
draw (GtkCellRenderer *cell, GtkWidget *view, GtkCellRendererState flags,
      const GdkRectangle *clip)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W + 8, H + 8);
  cairo_t *cr = cairo_create (surface);
  GdkRectangle area = { 4, 4, W, H };

  if (clip != NULL)
    {
      gdk_cairo_rectangle (cr, clip);
      cairo_clip (cr);
    }
  gtk_cell_renderer_render (cell, cr, view, &area, &area, flags);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static guint
differing_pixels (cairo_surface_t *a, cairo_surface_t *b)
{
  const guint32 *pa = (const guint32 *) cairo_image_surface_get_data (a);
  const guint32 *pb = (const guint32 *) cairo_image_surface_get_data (b);
  int n = cairo_image_surface_get_stride (a) / 4 * cairo_image_surface_get_height (a);
  guint count = 0;

  for (int i = 0; i < n; i++)
    count += pa[i] != pb[i];
  return count;
}

static guint
drawn_pixels (cairo_surface_t *surface)
{
  const guint32 *p = (const guint32 *) cairo_image_surface_get_data (surface);
  int n = cairo_image_surface_get_stride (surface) / 4 * cairo_image_surface_get_height (surface);
  guint count = 0;

  for (int i = 0; i < n; i++)
    count += p[i] != 0;
  return count;
}

static void
test_icon (void)
{
  const char *names[] = { "media-playback-start-symbolic", "system-shutdown-symbolic" };
  GtkCellRendererState states[] = { 0, GTK_CELL_RENDERER_SELECTED };
  g_autoptr (GtkCellRenderer) kept = NULL;
  g_autoptr (GtkCellRenderer) plain = NULL;
  GtkWidget *window, *view;

  if (!gtk_init_check (NULL, NULL))
    {
      g_test_skip ("no display");
      return;
    }
  kept = g_object_ref_sink (g_object_new (VMD_TYPE_ICON_RENDERER, NULL));
  plain = g_object_ref_sink (gtk_cell_renderer_pixbuf_new ());
  /* a realized tree view, whose style the cells take */
  window = gtk_offscreen_window_new ();
  view = gtk_tree_view_new ();
  gtk_container_add (GTK_CONTAINER (window), view);
  gtk_widget_show_all (window);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    for (guint j = 0; j < G_N_ELEMENTS (states); j++)
      {
        static cairo_surface_t *unselected;
        GtkStyleContext *style = gtk_widget_get_style_context (view);
        cairo_surface_t *expected, *first, *again, *outside;
        GdkRectangle elsewhere = { W + 6, 0, 2, 2 };

        gtk_style_context_save (style);
        gtk_style_context_set_state (style, j == 0 ? GTK_STATE_FLAG_NORMAL
                                                   : GTK_STATE_FLAG_SELECTED);
        g_object_set (kept, "icon-name", names[i], NULL);
        g_object_set (plain, "icon-name", names[i], NULL);
        expected = draw (plain, view, states[j], NULL);
        first = draw (kept, view, states[j], NULL);
        again = draw (kept, view, states[j], NULL);
        outside = draw (kept, view, states[j], &elsewhere);
        gtk_style_context_restore (style);

        g_assert_cmpuint (drawn_pixels (expected), >, 20);  /* the icon is there */
        g_assert_cmpuint (differing_pixels (first, expected), ==, 0);
        g_assert_cmpuint (differing_pixels (again, expected), ==, 0);
        g_assert_cmpuint (drawn_pixels (outside), ==, 0);
        /* a selected row's icon has the selection's colour: kept apart */
        if (j == 0)
          unselected = cairo_surface_reference (expected);
        else
          {
            g_assert_cmpuint (differing_pixels (unselected, expected), >, 20);
            g_clear_pointer (&unselected, cairo_surface_destroy);
          }
        cairo_surface_destroy (expected);
        cairo_surface_destroy (first);
        cairo_surface_destroy (again);
        cairo_surface_destroy (outside);
      }
  gtk_widget_destroy (window);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/list-cells/icon", test_icon);
  return g_test_run ();
}
