/* gui-fixture.c: what the in-process GUI tests on the engine fixture
 * share: finding a widget by name, a screenshot of a window
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "test-gui"

#include "gui-fixture.h"

typedef struct {
  const char *name;
  GtkWidget  *found;
} Search;

static void
search_in (GtkWidget *widget, gpointer data)
{
  Search *s = data;

  if (s->found != NULL)
    return;
  if (g_strcmp0 (gtk_widget_get_name (widget), s->name) == 0)
    {
      s->found = widget;
      return;
    }
  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), search_in, s);
}

/* The widget named @name under @root (itself included); fails the test
 * when there is none. */
GtkWidget *
find_named (gpointer root, const char *name)
{
  Search s = { name, NULL };

  search_in (GTK_WIDGET (root), &s);
  if (s.found == NULL)
    FAIL ("no widget named “%s” under %s", name, G_OBJECT_TYPE_NAME (root));
  return s.found;
}

/* A PNG of @window in $VMD_SHOT_DIR (or here) named @file, once it had
 * time to draw; its path as a TAP comment. */
void
save_window (GtkWidget *window, const char *file)
{
  const char *dir = g_getenv ("VMD_SHOT_DIR") ? g_getenv ("VMD_SHOT_DIR") : ".";
  g_autofree char *path = g_build_filename (dir, file, NULL);
  GdkWindow *gdk_window = gtk_widget_get_window (window);
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  g_autoptr (GError) error = NULL;

  spin_for (800);  /* let it draw */
  pixbuf = gdk_pixbuf_get_from_window (gdk_window, 0, 0, gdk_window_get_width (gdk_window),
                                       gdk_window_get_height (gdk_window));
  if (pixbuf == NULL || !gdk_pixbuf_save (pixbuf, path, "png", &error, NULL))
    FAIL ("the screenshot %s could not be saved: %s", path, error ? error->message : "no pixels");
  printf ("# screenshot: %s\n", path);
}
