/* vmd-console.c: one console of a virtual machine (graphical or text)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The base class keeps what every console has: its domain, a title for
 * menus, the connection state and the keyboard grab. VmdConsoleVnc,
 * VmdConsoleSpice and VmdConsoleSerial do the talking.
 */
#define G_LOG_DOMAIN "vmdesk-ui"

#include <glib/gi18n.h>

#include "vmd-console.h"

typedef enum {
  STATE_CLOSED,
  STATE_CONNECTING,
  STATE_CONNECTED,
} ConsoleState;

typedef struct
{
  VmdDomain    *domain;
  char         *title;
  char         *error;
  gboolean      graphical;
  gboolean      grabbed;
  ConsoleState  state;
} VmdConsolePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (VmdConsole, vmd_console, GTK_TYPE_BIN)

enum {
  PROP_0,
  PROP_DOMAIN,
  PROP_TITLE,
  PROP_GRAPHICAL,
  PROP_GRABBED,
  N_PROPS
};

enum {
  CONNECTED,
  DISCONNECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
vmd_console_dispose (GObject *object)
{
  VmdConsole *self = VMD_CONSOLE (object);
  VmdConsolePrivate *priv = vmd_console_get_instance_private (self);

  if (priv->domain != NULL)
    vmd_console_close (self);
  g_clear_object (&priv->domain);
  G_OBJECT_CLASS (vmd_console_parent_class)->dispose (object);
}

static void
vmd_console_finalize (GObject *object)
{
  VmdConsolePrivate *priv = vmd_console_get_instance_private (VMD_CONSOLE (object));

  g_free (priv->title);
  g_free (priv->error);
  G_OBJECT_CLASS (vmd_console_parent_class)->finalize (object);
}

static void
vmd_console_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  VmdConsolePrivate *priv = vmd_console_get_instance_private (VMD_CONSOLE (object));

  switch (prop_id)
    {
    case PROP_DOMAIN:
      g_value_set_object (value, priv->domain);
      break;
    case PROP_TITLE:
      g_value_set_string (value, priv->title);
      break;
    case PROP_GRAPHICAL:
      g_value_set_boolean (value, priv->graphical);
      break;
    case PROP_GRABBED:
      g_value_set_boolean (value, priv->grabbed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_console_set_property (GObject *object, guint prop_id, const GValue *value,
                          GParamSpec *pspec)
{
  VmdConsolePrivate *priv = vmd_console_get_instance_private (VMD_CONSOLE (object));

  switch (prop_id)
    {
    case PROP_DOMAIN:
      priv->domain = g_value_dup_object (value);
      break;
    case PROP_TITLE:
      g_free (priv->title);
      priv->title = g_value_dup_string (value);
      break;
    case PROP_GRAPHICAL:
      priv->graphical = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_console_class_init (VmdConsoleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vmd_console_dispose;
  object_class->finalize = vmd_console_finalize;
  object_class->get_property = vmd_console_get_property;
  object_class->set_property = vmd_console_set_property;

  properties[PROP_DOMAIN] =
    g_param_spec_object ("domain", NULL, NULL, VMD_TYPE_DOMAIN,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GRAPHICAL] =
    g_param_spec_boolean ("graphical", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GRABBED] =
    g_param_spec_boolean ("grabbed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CONNECTED] =
    g_signal_new ("connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  /* The connection ended; the argument is why, or NULL when it was asked
   * to close or the guest went away in the ordinary way. */
  signals[DISCONNECTED] =
    g_signal_new ("disconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
vmd_console_init (VmdConsole *self)
{
}

VmdDomain *
vmd_console_get_domain (VmdConsole *self)
{
  VmdConsolePrivate *priv = vmd_console_get_instance_private (self);

  return priv->domain;
}

const char *
vmd_console_get_title (VmdConsole *self)
{
  VmdConsolePrivate *priv = vmd_console_get_instance_private (self);

  return priv->title;
}

gboolean
vmd_console_is_graphical (VmdConsole *self)
{
  VmdConsolePrivate *priv = vmd_console_get_instance_private (self);

  return priv->graphical;
}

gboolean
vmd_console_is_connected (VmdConsole *self)
{
  VmdConsolePrivate *priv = vmd_console_get_instance_private (self);

  return priv->state == STATE_CONNECTED;
}

gboolean
vmd_console_is_connecting (VmdConsole *self)
{
  VmdConsolePrivate *priv = vmd_console_get_instance_private (self);

  return priv->state == STATE_CONNECTING;
}

gboolean
vmd_console_get_grabbed (VmdConsole *self)
{
  VmdConsolePrivate *priv = vmd_console_get_instance_private (self);

  return priv->grabbed;
}

/* Why the last connection ended or failed, or NULL. */
const char *
vmd_console_get_error (VmdConsole *self)
{
  VmdConsolePrivate *priv = vmd_console_get_instance_private (self);

  return priv->error;
}

/* Connects, unless connected or connecting already. */
void
vmd_console_open (VmdConsole *self)
{
  VmdConsolePrivate *priv = vmd_console_get_instance_private (self);

  g_return_if_fail (VMD_IS_CONSOLE (self));
  if (priv->state != STATE_CLOSED)
    return;
  VMD_CONSOLE_GET_CLASS (self)->open (self);
}

void
vmd_console_close (VmdConsole *self)
{
  VmdConsolePrivate *priv = vmd_console_get_instance_private (self);

  g_return_if_fail (VMD_IS_CONSOLE (self));
  if (priv->state == STATE_CLOSED)
    return;
  VMD_CONSOLE_GET_CLASS (self)->close (self);
  vmd_console_set_disconnected (self, NULL);
}

/**
 * vmd_console_get_pixbuf:
 *
 * Returns: (transfer full) (nullable): what a graphical console shows now
 */
GdkPixbuf *
vmd_console_get_pixbuf (VmdConsole *self)
{
  VmdConsoleClass *klass = VMD_CONSOLE_GET_CLASS (self);
  VmdConsolePrivate *priv = vmd_console_get_instance_private (self);

  if (klass->get_pixbuf == NULL || priv->state != STATE_CONNECTED)
    return NULL;
  return klass->get_pixbuf (self);
}

void
vmd_console_set_scaled (VmdConsole *self, gboolean scaled)
{
  VmdConsoleClass *klass = VMD_CONSOLE_GET_CLASS (self);

  if (klass->set_scaled != NULL)
    klass->set_scaled (self, scaled);
}

/* Returns whether the console can resize the guest at all. */
gboolean
vmd_console_set_resize_guest (VmdConsole *self, gboolean resize)
{
  VmdConsoleClass *klass = VMD_CONSOLE_GET_CLASS (self);

  return klass->set_resize_guest != NULL && klass->set_resize_guest (self, resize);
}

void
vmd_console_set_connecting (VmdConsole *self)
{
  VmdConsolePrivate *priv = vmd_console_get_instance_private (self);

  g_clear_pointer (&priv->error, g_free);
  priv->state = STATE_CONNECTING;
}

void
vmd_console_set_connected (VmdConsole *self)
{
  VmdConsolePrivate *priv = vmd_console_get_instance_private (self);

  if (priv->state == STATE_CONNECTED)
    return;
  priv->state = STATE_CONNECTED;
  g_signal_emit (self, signals[CONNECTED], 0);
}

void
vmd_console_set_disconnected (VmdConsole *self, const char *error)
{
  VmdConsolePrivate *priv = vmd_console_get_instance_private (self);

  if (priv->state == STATE_CLOSED)
    return;
  priv->state = STATE_CLOSED;
  g_free (priv->error);
  priv->error = g_strdup (error);
  vmd_console_set_grabbed (self, FALSE);
  g_signal_emit (self, signals[DISCONNECTED], 0, error);
}

void
vmd_console_set_grabbed (VmdConsole *self, gboolean grabbed)
{
  VmdConsolePrivate *priv = vmd_console_get_instance_private (self);

  if (priv->grabbed == grabbed)
    return;
  priv->grabbed = grabbed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRABBED]);
}

static gboolean
draw_black (GtkWidget *widget, cairo_t *cr)
{
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_paint (cr);
  return GDK_EVENT_PROPAGATE;
}

/**
 * vmd_console_paint_black_below:
 * @picture: the widget that draws a graphical console's picture
 *
 * Paints black where @picture is before it draws. gtk-vnc and spice-gtk
 * fill the bars beside a scaled picture black, but blend the picture's
 * edge with what lies below it, which is the window's light background:
 * a grey line along the edge otherwise.
 */
void
vmd_console_paint_black_below (GtkWidget *picture)
{
  g_signal_connect (picture, "draw", G_CALLBACK (draw_black), NULL);
}
