/* vmd-icon-renderer.c: an icon cell that keeps what it drew
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * GtkTreeView (GTK 3) renders every cell of each row that meets the
 * region it redraws, not just the cells in it, and GtkCellRendererPixbuf
 * makes a new icon helper for every draw: the theme is looked up, the
 * symbolic icon loaded and recoloured and a surface made from it. The
 * list redraws its resource-use cells each second, and that cost more than
 * drawing them. This renderer is a GtkCellRendererPixbuf (same properties,
 * same size) that skips cells outside the clip and otherwise paints what
 * GtkCellRendererPixbuf drew, kept per icon name, icon size, state,
 * colour, cell size and scale; a new icon or GTK theme drops what is kept.
 */
#define G_LOG_DOMAIN "vmdesk-ui"

#include "vmd-icon-renderer.h"

/* A few icons (states) in a few row states each. */
#define MAX_KEPT 64

struct _VmdIconRenderer
{
  GtkCellRendererPixbuf  parent_instance;

  GHashTable            *kept;      /* key -> cairo_surface_t */
  GtkIconTheme          *theme;     /* whose "changed" clears it */
  GtkSettings           *settings;  /* and a new GTK theme */
};

G_DEFINE_FINAL_TYPE (VmdIconRenderer, vmd_icon_renderer, GTK_TYPE_CELL_RENDERER_PIXBUF)

/**
 * vmd_cell_outside_clip:
 *
 * Returns: whether nothing of @cell_area would show through @cr's clip:
 *   a cell renderer can then skip its drawing (GtkTreeView renders all
 *   the cells of a row it redraws any part of)
 */
gboolean
vmd_cell_outside_clip (cairo_t *cr, const GdkRectangle *cell_area)
{
  GdkRectangle clip;

  return !gdk_cairo_get_clip_rectangle (cr, &clip) ||
         !gdk_rectangle_intersect (&clip, cell_area, NULL);
}

static void
theme_changed_cb (VmdIconRenderer *self)
{
  g_hash_table_remove_all (self->kept);
}

static void
unwatch_theme (VmdIconRenderer *self)
{
  if (self->theme != NULL)
    g_signal_handlers_disconnect_by_func (self->theme, theme_changed_cb, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_func (self->settings, theme_changed_cb, self);
  g_clear_object (&self->theme);
  g_clear_object (&self->settings);
}

static void
watch_theme (VmdIconRenderer *self, GtkWidget *widget)
{
  GdkScreen *screen = gtk_widget_get_screen (widget);
  GtkIconTheme *theme = gtk_icon_theme_get_for_screen (screen);

  if (theme == self->theme)
    return;
  unwatch_theme (self);
  self->theme = g_object_ref (theme);
  self->settings = g_object_ref (gtk_settings_get_for_screen (screen));
  g_signal_connect_swapped (theme, "changed", G_CALLBACK (theme_changed_cb), self);
  g_signal_connect_swapped (self->settings, "notify::gtk-theme-name",
                            G_CALLBACK (theme_changed_cb), self);
  g_signal_connect_swapped (self->settings, "notify::gtk-application-prefer-dark-theme",
                            G_CALLBACK (theme_changed_cb), self);
  g_hash_table_remove_all (self->kept);
}

static void
vmd_icon_renderer_render (GtkCellRenderer      *cell,
                          cairo_t              *cr,
                          GtkWidget            *widget,
                          const GdkRectangle   *background_area,
                          const GdkRectangle   *cell_area,
                          GtkCellRendererState  flags)
{
  VmdIconRenderer *self = VMD_ICON_RENDERER (cell);
  GtkCellRendererClass *parent = GTK_CELL_RENDERER_CLASS (vmd_icon_renderer_parent_class);
  GtkStyleContext *style;
  g_autofree char *icon_name = NULL;
  g_autofree char *key = NULL;
  cairo_surface_t *surface;
  GdkRGBA color;
  gboolean expander, sensitive;
  guint size;
  int scale;

  if (vmd_cell_outside_clip (cr, cell_area))
    return;
  g_object_get (cell, "icon-name", &icon_name, "is-expander", &expander,
                "stock-size", &size, "sensitive", &sensitive, NULL);
  if (icon_name == NULL || expander ||
      cell_area->width <= 0 || cell_area->height <= 0)
    {
      /* Not only an icon name: draw it as GtkCellRendererPixbuf does. */
      parent->render (cell, cr, widget, background_area, cell_area, flags);
      return;
    }

  watch_theme (self, widget);
  style = gtk_widget_get_style_context (widget);
  gtk_style_context_get_color (style, gtk_style_context_get_state (style), &color);
  scale = gtk_widget_get_scale_factor (widget);
  key = g_strdup_printf ("%s %x %u %d %dx%d@%d %08x%08x%08x%08x", icon_name, flags, size,
                         sensitive, cell_area->width, cell_area->height, scale,
                         (guint) (color.red * 0xffffff), (guint) (color.green * 0xffffff),
                         (guint) (color.blue * 0xffffff), (guint) (color.alpha * 0xffffff));
  surface = g_hash_table_lookup (self->kept, key);
  if (surface == NULL)
    {
      GdkRectangle area = { 0, 0, cell_area->width, cell_area->height };
      GdkRectangle background = { background_area->x - cell_area->x,
                                  background_area->y - cell_area->y,
                                  background_area->width, background_area->height };
      cairo_t *icon_cr;

      if (g_hash_table_size (self->kept) >= MAX_KEPT)
        g_hash_table_remove_all (self->kept);
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, cell_area->width * scale,
                                            cell_area->height * scale);
      cairo_surface_set_device_scale (surface, scale, scale);
      icon_cr = cairo_create (surface);
      parent->render (cell, icon_cr, widget, &background, &area, flags);
      cairo_destroy (icon_cr);
      g_hash_table_insert (self->kept, g_steal_pointer (&key), surface);
    }
  cairo_save (cr);
  cairo_set_source_surface (cr, surface, cell_area->x, cell_area->y);
  gdk_cairo_rectangle (cr, cell_area);
  cairo_fill (cr);
  cairo_restore (cr);
}

static void
vmd_icon_renderer_finalize (GObject *object)
{
  VmdIconRenderer *self = VMD_ICON_RENDERER (object);

  unwatch_theme (self);
  g_hash_table_unref (self->kept);
  G_OBJECT_CLASS (vmd_icon_renderer_parent_class)->finalize (object);
}

static void
vmd_icon_renderer_class_init (VmdIconRendererClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vmd_icon_renderer_finalize;
  GTK_CELL_RENDERER_CLASS (klass)->render = vmd_icon_renderer_render;
}

static void
vmd_icon_renderer_init (VmdIconRenderer *self)
{
  self->kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) cairo_surface_destroy);
}
