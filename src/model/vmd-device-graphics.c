/* vmd-device-graphics.c: a graphical display (VNC, SPICE, …)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The first <listen> child says where the display listens. libvirt mirrors
 * it in attributes of <graphics> for older readers (listen='address', and
 * for VNC socket='path'); the setters keep both in step, as libvirt does.
 * Ports are -1 for "allocated when the machine starts" (with
 * autoport='yes'), 0 when absent.
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include "vmd-device-graphics.h"
#include "vmd-device-private.h"
#include "vmd-xml.h"

struct _VmdDeviceGraphics
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceGraphics, vmd_device_graphics, VMD_TYPE_DEVICE)

#define DEV(self) VMD_DEVICE (self)

/* The order in which libvirt writes the attributes of <graphics>. */
static const char *const attribute_order[] = {
  "type", "socket", "port", "tlsPort", "autoport", "websocket", "websocketGenerated", "listen",
  "sharePolicy", "powerControl", "keymap", "defaultMode", "passwd", "passwdValidTo",
  "connected", NULL
};

static const char *const vnc_only_attributes[] = {
  "socket", "websocket", "websocketGenerated", "sharePolicy", "powerControl", NULL
};
static const char *const vnc_only_children[] = { "audio", NULL };
static const char *const spice_only_attributes[] = { "tlsPort", "defaultMode", NULL };
static const char *const spice_only_children[] = {
  "channel", "image", "jpeg", "zlib", "playback", "streaming", "clipboard", "mouse",
  "filetransfer", "gl", NULL
};
/* What only a display that guests reach over the network has. */
static const char *const remote_attributes[] = {
  "port", "autoport", "listen", "passwd", "passwdValidTo", "keymap", "connected", NULL
};
static const char *const remote_children[] = { "listen", NULL };

/* Sets an attribute of <graphics>; a new one goes where libvirt writes it,
 * the others keep their place. */
static void
set_root_attr (VmdDeviceGraphics *self, const char *name, const char *value)
{
  xmlNodePtr node = _vmd_device_get_node (DEV (self));

  if (value == NULL && !vmd_xml_has_attr (node, name))
    return;
  vmd_xml_set_attr_ordered (node, name, value, attribute_order);
  _vmd_device_changed (DEV (self));
}

static void
remove_attributes (VmdDeviceGraphics *self, const char *const *names)
{
  for (guint i = 0; names[i]; i++)
    set_root_attr (self, names[i], NULL);
}

static void
remove_children (VmdDeviceGraphics *self, const char *const *names)
{
  for (guint i = 0; names[i]; i++)
    while (_vmd_device_has (DEV (self), names[i]))
      _vmd_device_set_present (DEV (self), names[i], FALSE);
}

static gboolean
is_type (VmdDeviceGraphics *self, const char *type)
{
  g_autofree char *current = vmd_device_graphics_get_graphics_type (self);
  return g_strcmp0 (current, type) == 0;
}

static gint
get_port_attr (VmdDeviceGraphics *self, const char *name)
{
  g_autofree char *value = _vmd_device_get_attr (DEV (self), NULL, name);
  gint64 port;

  if (value == NULL || !g_ascii_string_to_signed (value, 10, -1, G_MAXUINT16, &port, NULL))
    return 0;
  return (gint) port;
}

static void
set_port_attr (VmdDeviceGraphics *self, const char *name, gint port)
{
  char buf[16];

  if (port == 0)
    {
      set_root_attr (self, name, NULL);
      return;
    }
  g_snprintf (buf, sizeof buf, "%d", port);
  set_root_attr (self, name, buf);
}

static void
vmd_device_graphics_class_init (VmdDeviceGraphicsClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "graphics";
}

static void
vmd_device_graphics_init (VmdDeviceGraphics *self)
{
}

/**
 * vmd_device_graphics_new:
 *
 * Returns: a detached VNC display on an automatically allocated port of the
 *   host's default listen address (127.0.0.1 unless qemu.conf says
 *   otherwise), which every viewer can reach: `<graphics type='vnc'
 *   port='-1' autoport='yes'>` with `<listen type='address'/>`.
 */
VmdDeviceGraphics *
vmd_device_graphics_new (void)
{
  VmdDeviceGraphics *self = g_object_new (VMD_TYPE_DEVICE_GRAPHICS, NULL);

  vmd_device_graphics_set_graphics_type (self, "vnc");
  vmd_device_graphics_set_listen_type (self, "address");
  return self;
}

char *
vmd_device_graphics_get_graphics_type (VmdDeviceGraphics *self)
{
  return _vmd_device_get_attr (DEV (self), NULL, "type");
}

/**
 * vmd_device_graphics_set_graphics_type:
 * @type: vnc, spice, sdl, egl-headless, dbus, …
 *
 * Drops what only the old type understands (SPICE channels and TLS port,
 * VNC websocket, …); a display that is not reached over the network also
 * loses its ports, listen address and password.
 */
void
vmd_device_graphics_set_graphics_type (VmdDeviceGraphics *self, const char *type)
{
  g_autofree char *old = vmd_device_graphics_get_graphics_type (self);
  g_autofree char *socket = NULL;

  g_return_if_fail (type != NULL);

  set_root_attr (self, "type", type);
  if (old == NULL || g_str_equal (old, type))
    return;

  if (g_str_equal (old, "vnc"))
    {
      remove_attributes (self, vnc_only_attributes);
      remove_children (self, vnc_only_children);
    }
  if (g_str_equal (old, "spice"))
    {
      remove_attributes (self, spice_only_attributes);
      remove_children (self, spice_only_children);
    }
  if (!g_str_equal (type, "vnc") && !g_str_equal (type, "spice") && !g_str_equal (type, "rdp"))
    {
      remove_attributes (self, remote_attributes);
      remove_children (self, remote_children);
    }

  socket = vmd_device_graphics_get_listen_socket (self);
  if (g_str_equal (type, "vnc") && socket != NULL)
    set_root_attr (self, "socket", socket);
}

/**
 * vmd_device_graphics_get_listen_type:
 *
 * Returns: (nullable): address, network, socket or none; %NULL when the
 *   definition leaves it to the host's default
 */
char *
vmd_device_graphics_get_listen_type (VmdDeviceGraphics *self)
{
  xmlNodePtr node = _vmd_device_get_node (DEV (self));

  if (_vmd_device_has (DEV (self), "listen"))
    return _vmd_device_get_attr (DEV (self), "listen", "type");
  /* Written before <listen> existed. */
  if (vmd_xml_has_attr (node, "listen"))
    return g_strdup ("address");
  if (vmd_xml_has_attr (node, "socket"))
    return g_strdup ("socket");
  return NULL;
}

/**
 * vmd_device_graphics_set_listen_type:
 * @type: (nullable): address, network, socket or none; %NULL removes the
 *   listen settings so that the host's default applies
 *
 * Keeps the address or socket when the type stays the same. A display
 * listening on an address or network gets an automatically allocated port
 * unless it has one; one that listens on a socket or nowhere loses its
 * ports.
 */
void
vmd_device_graphics_set_listen_type (VmdDeviceGraphics *self, const char *type)
{
  g_autofree char *old = vmd_device_graphics_get_listen_type (self);
  g_autofree char *address = NULL;
  g_autofree char *socket = NULL;
  gboolean on_network;

  if (type == NULL)
    {
      remove_children (self, remote_children);
      set_root_attr (self, "listen", NULL);
      set_root_attr (self, "socket", NULL);
      return;
    }

  if (g_strcmp0 (old, type) == 0)
    {
      address = vmd_device_graphics_get_listen_address (self);
      socket = vmd_device_graphics_get_listen_socket (self);
    }

  _vmd_device_set_attr (DEV (self), "listen", "type", type);
  _vmd_device_set_attr (DEV (self), "listen", "address", address);
  _vmd_device_set_attr (DEV (self), "listen", "socket", socket);
  if (!g_str_equal (type, "network"))
    _vmd_device_set_attr (DEV (self), "listen", "network", NULL);

  set_root_attr (self, "listen", address);
  set_root_attr (self, "socket", is_type (self, "vnc") ? socket : NULL);

  on_network = g_str_equal (type, "address") || g_str_equal (type, "network");
  if (!on_network)
    {
      remove_attributes (self, (const char *const[]) { "port", "tlsPort", "autoport",
                                                       "websocket", NULL });
    }
  else if (get_port_attr (self, "port") == 0 && get_port_attr (self, "tlsPort") == 0)
    {
      vmd_device_graphics_set_autoport (self, TRUE);
    }
}

/**
 * vmd_device_graphics_get_listen_address:
 *
 * Returns: (nullable): the address listened on, when the listen type is
 *   address and the definition names one
 */
char *
vmd_device_graphics_get_listen_address (VmdDeviceGraphics *self)
{
  g_autofree char *type = vmd_device_graphics_get_listen_type (self);
  char *address;

  if (g_strcmp0 (type, "address") != 0)
    return NULL;
  address = _vmd_device_get_attr (DEV (self), "listen", "address");
  if (address == NULL)
    address = _vmd_device_get_attr (DEV (self), NULL, "listen");
  return address;
}

/**
 * vmd_device_graphics_set_listen_address:
 * @address: (nullable): an IP address or host name; %NULL for the host's
 *   default listen address
 *
 * Makes the display listen on an address (see
 * vmd_device_graphics_set_listen_type()).
 */
void
vmd_device_graphics_set_listen_address (VmdDeviceGraphics *self, const char *address)
{
  vmd_device_graphics_set_listen_type (self, "address");
  _vmd_device_set_attr (DEV (self), "listen", "address", address);
  set_root_attr (self, "listen", address);
}

char *
vmd_device_graphics_get_listen_socket (VmdDeviceGraphics *self)
{
  g_autofree char *type = vmd_device_graphics_get_listen_type (self);
  char *socket;

  if (g_strcmp0 (type, "socket") != 0)
    return NULL;
  socket = _vmd_device_get_attr (DEV (self), "listen", "socket");
  if (socket == NULL)
    socket = _vmd_device_get_attr (DEV (self), NULL, "socket");
  return socket;
}

/**
 * vmd_device_graphics_set_listen_socket:
 * @path: (nullable): the UNIX socket; %NULL lets libvirt choose one
 *
 * Makes the display listen on a UNIX socket (see
 * vmd_device_graphics_set_listen_type()).
 */
void
vmd_device_graphics_set_listen_socket (VmdDeviceGraphics *self, const char *path)
{
  vmd_device_graphics_set_listen_type (self, "socket");
  _vmd_device_set_attr (DEV (self), "listen", "socket", path);
  set_root_attr (self, "socket", is_type (self, "vnc") ? path : NULL);
}

gint
vmd_device_graphics_get_port (VmdDeviceGraphics *self)
{
  return get_port_attr (self, "port");
}

/**
 * vmd_device_graphics_set_port:
 * @port: a fixed port (which turns autoport off), -1 to allocate one when
 *   the machine starts (which turns it on), 0 to remove it
 */
void
vmd_device_graphics_set_port (VmdDeviceGraphics *self, gint port)
{
  g_return_if_fail (port >= -1 && port <= G_MAXUINT16);

  if (port == -1)
    {
      vmd_device_graphics_set_autoport (self, TRUE);
      return;
    }
  if (port > 0)
    vmd_device_graphics_set_autoport (self, FALSE);
  set_port_attr (self, "port", port);
}

/* SPICE's TLS port: -1 allocated when the machine starts, 0 none. */
gint
vmd_device_graphics_get_tls_port (VmdDeviceGraphics *self)
{
  return get_port_attr (self, "tlsPort");
}

/**
 * vmd_device_graphics_set_tls_port:
 * @port: a fixed port (which turns autoport off), -1 to allocate one when
 *   the machine starts (which turns it on), 0 for no TLS port
 */
void
vmd_device_graphics_set_tls_port (VmdDeviceGraphics *self, gint port)
{
  g_return_if_fail (port >= -1 && port <= G_MAXUINT16);

  if (port > 0)
    vmd_device_graphics_set_autoport (self, FALSE);
  set_port_attr (self, "tlsPort", port);
  if (port == -1)
    vmd_device_graphics_set_autoport (self, TRUE);
}

/* libvirt reads a port of -1 as autoport='yes' when the attribute is absent. */
gboolean
vmd_device_graphics_get_autoport (VmdDeviceGraphics *self)
{
  gboolean implied = get_port_attr (self, "port") == -1 || get_port_attr (self, "tlsPort") == -1;
  return _vmd_device_get_bool (DEV (self), NULL, "autoport", implied);
}

/**
 * vmd_device_graphics_set_autoport:
 * @autoport: whether libvirt picks the ports when the machine starts
 *
 * On, the ports become -1 (a TLS port only if there was one); off, they
 * are removed, to be set with vmd_device_graphics_set_port().
 */
void
vmd_device_graphics_set_autoport (VmdDeviceGraphics *self, gboolean autoport)
{
  if (autoport)
    {
      set_port_attr (self, "port", -1);
      if (get_port_attr (self, "tlsPort") != 0)
        set_port_attr (self, "tlsPort", -1);
    }
  else
    {
      if (get_port_attr (self, "port") == -1)
        set_port_attr (self, "port", 0);
      if (get_port_attr (self, "tlsPort") == -1)
        set_port_attr (self, "tlsPort", 0);
    }
  set_root_attr (self, "autoport", autoport ? "yes" : "no");
}

char *
vmd_device_graphics_get_password (VmdDeviceGraphics *self)
{
  return _vmd_device_get_attr (DEV (self), NULL, "passwd");
}

/**
 * vmd_device_graphics_set_password:
 * @password: (nullable): the password; %NULL removes it with its expiry
 */
void
vmd_device_graphics_set_password (VmdDeviceGraphics *self, const char *password)
{
  set_root_attr (self, "passwd", password);
  if (password == NULL)
    set_root_attr (self, "passwdValidTo", NULL);
}

char *
vmd_device_graphics_get_keymap (VmdDeviceGraphics *self)
{
  return _vmd_device_get_attr (DEV (self), NULL, "keymap");
}

/**
 * vmd_device_graphics_set_keymap:
 * @keymap: (nullable): a QEMU keymap such as en-us; %NULL for none
 */
void
vmd_device_graphics_set_keymap (VmdDeviceGraphics *self, const char *keymap)
{
  set_root_attr (self, "keymap", keymap);
}
