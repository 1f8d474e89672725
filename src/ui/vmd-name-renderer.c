/* vmd-name-renderer.c: a text cell that keeps its laid-out markup
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * GtkTreeView draws every cell of a row when any part of it is redrawn,
 * and GtkCellRendererText lays out and shapes its markup again for every
 * draw. The list redraws its resource-use cells each second, so the names
 * beside them would be laid out again each second for nothing. This
 * renderer draws the same text (markup, ellipsized at the end, vertically
 * centred) from layouts kept per markup and width; sizes still come from
 * GtkCellRendererText. Set the text with "name-markup" (GtkCellRendererText's
 * "markup" cannot be read back).
 */
#define G_LOG_DOMAIN "vmdesk-ui"

#include "vmd-icon-renderer.h"
#include "vmd-name-renderer.h"

/* Rows of a large list, each with a few widths while a column resizes. */
#define MAX_LAYOUTS 512

struct _VmdNameRenderer
{
  GtkCellRendererText  parent_instance;

  char                *markup;
  GHashTable          *parsed;    /* MARKUP -> Parsed */
  GHashTable          *layouts;   /* "WIDTH\nMARKUP" -> PangoLayout */
  PangoContext        *context;   /* what they were made with */
  guint                serial;
};

G_DEFINE_FINAL_TYPE (VmdNameRenderer, vmd_name_renderer, GTK_TYPE_CELL_RENDERER_TEXT)

enum { PROP_0, PROP_NAME_MARKUP, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
vmd_name_renderer_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  VmdNameRenderer *self = VMD_NAME_RENDERER (object);

  if (prop_id == PROP_NAME_MARKUP)
    g_value_set_string (value, self->markup);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

typedef struct {
  char          *text;
  PangoAttrList *attrs;
} Parsed;

static void
parsed_free (Parsed *parsed)
{
  g_free (parsed->text);
  g_clear_pointer (&parsed->attrs, pango_attr_list_unref);
  g_free (parsed);
}

/* GtkCellRendererText measures the cell (and its accessible reads the
 * text) from the markup, which it parses at every set: GtkTreeView sets
 * the data of each row it draws, so the same few names were parsed again
 * each second. Its "text" and "attributes" set from a markup parsed once
 * leave it in the same state. */
static void
set_parent_markup (VmdNameRenderer *self)
{
  Parsed *parsed;

  if (self->markup == NULL)
    {
      g_object_set (self, "markup", NULL, NULL);
      return;
    }
  parsed = g_hash_table_lookup (self->parsed, self->markup);
  if (parsed == NULL)
    {
      g_autoptr (GError) error = NULL;

      parsed = g_new0 (Parsed, 1);
      if (!pango_parse_markup (self->markup, -1, 0, &parsed->attrs, &parsed->text, NULL, &error))
        {
          /* Let GtkCellRendererText say what is wrong with it. */
          parsed_free (parsed);
          g_object_set (self, "markup", self->markup, NULL);
          return;
        }
      if (g_hash_table_size (self->parsed) >= MAX_LAYOUTS)
        g_hash_table_remove_all (self->parsed);
      g_hash_table_insert (self->parsed, g_strdup (self->markup), parsed);
    }
  g_object_set (self, "text", parsed->text, "attributes", parsed->attrs, NULL);
}

static void
vmd_name_renderer_set_property (GObject *object, guint prop_id, const GValue *value,
                                GParamSpec *pspec)
{
  VmdNameRenderer *self = VMD_NAME_RENDERER (object);

  if (prop_id == PROP_NAME_MARKUP)
    {
      g_free (self->markup);
      self->markup = g_value_dup_string (value);
      set_parent_markup (self);
    }
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static PangoLayout *
get_layout (VmdNameRenderer *self, GtkWidget *widget, const char *markup, int width)
{
  PangoContext *context = gtk_widget_get_pango_context (widget);
  g_autofree char *key = g_strdup_printf ("%d\n%s", width, markup);
  PangoLayout *layout;

  if (context != self->context || pango_context_get_serial (context) != self->serial ||
      g_hash_table_size (self->layouts) >= MAX_LAYOUTS)
    {
      g_hash_table_remove_all (self->layouts);
      self->context = context;
      self->serial = pango_context_get_serial (context);
    }
  layout = g_hash_table_lookup (self->layouts, key);
  if (layout == NULL)
    {
      layout = pango_layout_new (context);
      pango_layout_set_markup (layout, markup, -1);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_width (layout, width * PANGO_SCALE);
      g_hash_table_insert (self->layouts, g_steal_pointer (&key), layout);
    }
  return layout;
}

static void
vmd_name_renderer_render (GtkCellRenderer      *cell,
                          cairo_t              *cr,
                          GtkWidget            *widget,
                          const GdkRectangle   *background_area,
                          const GdkRectangle   *cell_area,
                          GtkCellRendererState  flags)
{
  VmdNameRenderer *self = VMD_NAME_RENDERER (cell);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  const char *markup = self->markup;
  PangoLayout *layout;
  int xpad, ypad, width, height;

  if (vmd_cell_outside_clip (cr, cell_area))
    return;  /* the row is redrawn for another of its cells */
  if (markup == NULL)
    {
      /* Not set with "markup": let GtkCellRendererText draw it. */
      GTK_CELL_RENDERER_CLASS (vmd_name_renderer_parent_class)->render (cell, cr, widget,
                                                                       background_area,
                                                                       cell_area, flags);
      return;
    }
  gtk_cell_renderer_get_padding (cell, &xpad, &ypad);
  width = cell_area->width - 2 * xpad;
  if (width <= 0)
    return;
  layout = get_layout (self, widget, markup, width);
  pango_layout_get_pixel_size (layout, NULL, &height);
  cairo_save (cr);
  gdk_cairo_rectangle (cr, cell_area);
  cairo_clip (cr);
  gtk_render_layout (style, cr, cell_area->x + xpad,
                     cell_area->y + MAX (ypad, (cell_area->height - height) / 2), layout);
  cairo_restore (cr);
}

static void
vmd_name_renderer_finalize (GObject *object)
{
  VmdNameRenderer *self = VMD_NAME_RENDERER (object);

  g_hash_table_unref (self->layouts);
  g_hash_table_unref (self->parsed);
  g_free (self->markup);
  G_OBJECT_CLASS (vmd_name_renderer_parent_class)->finalize (object);
}

static void
vmd_name_renderer_class_init (VmdNameRendererClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vmd_name_renderer_finalize;
  object_class->get_property = vmd_name_renderer_get_property;
  object_class->set_property = vmd_name_renderer_set_property;
  GTK_CELL_RENDERER_CLASS (klass)->render = vmd_name_renderer_render;

  properties[PROP_NAME_MARKUP] =
    g_param_spec_string ("name-markup", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vmd_name_renderer_init (VmdNameRenderer *self)
{
  self->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->parsed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) parsed_free);
}
