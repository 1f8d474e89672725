/* vmd-device-interface.c: a network interface
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include <string.h>

#include "vmd-device-interface.h"
#include "vmd-device-private.h"
#include "vmd-domain-config.h"
#include "vmd-xml.h"

struct _VmdDeviceInterface
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceInterface, vmd_device_interface, VMD_TYPE_DEVICE)

G_DEFINE_BOXED_TYPE (VmdPortForward, vmd_port_forward, vmd_port_forward_copy,
                     vmd_port_forward_free)

#define DEV(self) VMD_DEVICE (self)

VmdPortForward *
vmd_port_forward_copy (const VmdPortForward *forward)
{
  VmdPortForward *copy;

  g_return_val_if_fail (forward != NULL, NULL);

  copy = g_new0 (VmdPortForward, 1);
  copy->proto = g_strdup (forward->proto);
  copy->address = g_strdup (forward->address);
  copy->host_port = forward->host_port;
  copy->host_port_end = forward->host_port_end;
  copy->guest_port = forward->guest_port;
  return copy;
}

void
vmd_port_forward_free (VmdPortForward *forward)
{
  if (forward == NULL)
    return;
  g_free (forward->proto);
  g_free (forward->address);
  g_free (forward);
}

/* Where each interface type names what it connects to: the network, the
 * bridge, the host device, or (for ethernet) the tap device. */
static gboolean
source_field (const char  *type,
              const char **path,
              const char **attr)
{
  static const struct { const char *type, *path, *attr; } fields[] = {
    { "network", "source", "network" },
    { "bridge", "source", "bridge" },
    { "direct", "source", "dev" },
    { "ethernet", "target", "dev" },
    { "user", "source", "dev" },  /* passt: the host interface to use */
    { "vdpa", "source", "dev" },
    { "vhostuser", "source", "path" },
  };

  for (guint i = 0; type != NULL && i < G_N_ELEMENTS (fields); i++)
    if (g_str_equal (fields[i].type, type))
      {
        *path = fields[i].path;
        *attr = fields[i].attr;
        return TRUE;
      }
  return FALSE;
}

static void
vmd_device_interface_fill_defaults (VmdDevice *device, VmdDomainConfig *config)
{
  VmdDeviceInterface *self = VMD_DEVICE_INTERFACE (device);
  g_autofree char *mac = vmd_device_interface_get_mac (self);

  if (mac == NULL)
    {
      mac = vmd_domain_config_generate_mac (config);
      vmd_device_interface_set_mac (self, mac);
    }
}

static void
vmd_device_interface_class_init (VmdDeviceInterfaceClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "interface";
  device_class->fill_defaults = vmd_device_interface_fill_defaults;
}

static void
vmd_device_interface_init (VmdDeviceInterface *self)
{
}

/**
 * vmd_device_interface_new:
 *
 * Returns: a detached user-mode `<interface type='user'>` with a virtio
 *   model; it gets a MAC address when added to a definition.
 */
VmdDeviceInterface *
vmd_device_interface_new (void)
{
  VmdDeviceInterface *self = g_object_new (VMD_TYPE_DEVICE_INTERFACE, NULL);

  vmd_device_interface_set_interface_type (self, "user");
  vmd_device_interface_set_model (self, "virtio");
  return self;
}

char *
vmd_device_interface_get_interface_type (VmdDeviceInterface *self)
{
  return _vmd_device_get_attr (DEV (self), NULL, "type");
}

/**
 * vmd_device_interface_set_interface_type:
 * @type: user, network, bridge, direct, ethernet, …
 *
 * A source names something different for each type, so changing the type
 * drops the old one (the whole `<source>`, and for ethernet the target
 * device); set the new one with vmd_device_interface_set_source().
 */
void
vmd_device_interface_set_interface_type (VmdDeviceInterface *self, const char *type)
{
  g_autofree char *old = vmd_device_interface_get_interface_type (self);
  const char *path, *attr;

  g_return_if_fail (type != NULL);

  if (old != NULL && !g_str_equal (old, type))
    {
      if (source_field (old, &path, &attr) && g_str_equal (path, "target"))
        _vmd_device_set_attr (DEV (self), path, attr, NULL);
      if (_vmd_device_has (DEV (self), "source"))
        _vmd_device_set_present (DEV (self), "source", FALSE);
    }
  _vmd_device_set_attr (DEV (self), NULL, "type", type);
}

/**
 * vmd_device_interface_get_source:
 *
 * Returns: (nullable): the network, bridge or host device the interface
 *   connects to (for ethernet, the tap device), by type
 */
char *
vmd_device_interface_get_source (VmdDeviceInterface *self)
{
  g_autofree char *type = vmd_device_interface_get_interface_type (self);
  const char *path, *attr;

  if (!source_field (type, &path, &attr))
    return NULL;
  return _vmd_device_get_attr (DEV (self), path, attr);
}

/**
 * vmd_device_interface_set_source:
 * @source: (nullable): what to connect to; %NULL removes it
 *
 * The type must be one that has a source (not, for instance, mcast).
 */
void
vmd_device_interface_set_source (VmdDeviceInterface *self, const char *source)
{
  g_autofree char *type = vmd_device_interface_get_interface_type (self);
  const char *path, *attr;

  g_return_if_fail (source_field (type, &path, &attr));
  _vmd_device_set_attr (DEV (self), path, attr, source);
}

/* The macvtap mode of a direct interface: vepa, bridge, private, passthrough. */
char *
vmd_device_interface_get_source_mode (VmdDeviceInterface *self)
{
  return _vmd_device_get_attr (DEV (self), "source", "mode");
}

void
vmd_device_interface_set_source_mode (VmdDeviceInterface *self, const char *mode)
{
  _vmd_device_set_attr (DEV (self), "source", "mode", mode);
}

char *
vmd_device_interface_get_model (VmdDeviceInterface *self)
{
  return _vmd_device_get_attr (DEV (self), "model", "type");
}

void
vmd_device_interface_set_model (VmdDeviceInterface *self, const char *model)
{
  _vmd_device_set_attr (DEV (self), "model", "type", model);
}

char *
vmd_device_interface_get_mac (VmdDeviceInterface *self)
{
  return _vmd_device_get_attr (DEV (self), "mac", "address");
}

/**
 * vmd_device_interface_set_mac:
 * @mac: (nullable): the address; %NULL lets libvirt generate one
 */
void
vmd_device_interface_set_mac (VmdDeviceInterface *self, const char *mac)
{
  _vmd_device_set_attr (DEV (self), "mac", "address", mac);
}

/* A missing <link> means the link is up. */
gboolean
vmd_device_interface_get_link_up (VmdDeviceInterface *self)
{
  g_autofree char *state = _vmd_device_get_attr (DEV (self), "link", "state");
  return g_strcmp0 (state, "down") != 0;
}

void
vmd_device_interface_set_link_up (VmdDeviceInterface *self, gboolean up)
{
  _vmd_device_set_attr (DEV (self), "link", "state", up ? NULL : "down");
}

/* The host-side device: the tap libvirt created, or the one asked for. */
char *
vmd_device_interface_get_target_dev (VmdDeviceInterface *self)
{
  return _vmd_device_get_attr (DEV (self), "target", "dev");
}

/* The user-mode backend: slirp (the default when absent) or passt. */
char *
vmd_device_interface_get_backend (VmdDeviceInterface *self)
{
  return _vmd_device_get_attr (DEV (self), "backend", "type");
}

void
vmd_device_interface_set_backend (VmdDeviceInterface *self, const char *backend)
{
  _vmd_device_set_attr (DEV (self), "backend", "type", backend);
}

/**
 * vmd_device_interface_get_port_forwards:
 *
 * One entry per `<range>` of every `<portForward>`; the ranges that only
 * exclude ports from another (`exclude='yes'`) are not listed.
 *
 * Returns: (transfer container) (element-type VmdPortForward): the forwards
 */
GPtrArray *
vmd_device_interface_get_port_forwards (VmdDeviceInterface *self)
{
  GPtrArray *ret = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_port_forward_free);
  xmlNodePtr node;

  g_return_val_if_fail (VMD_IS_DEVICE_INTERFACE (self), ret);

  node = _vmd_device_get_node (DEV (self));
  for (xmlNodePtr pf = vmd_xml_child (node, "portForward"); pf;
       pf = vmd_xml_next_element (pf, "portForward"))
    {
      for (xmlNodePtr range = vmd_xml_child (pf, "range"); range;
           range = vmd_xml_next_element (range, "range"))
        {
          guint64 start = vmd_xml_get_uint_attr_at (range, NULL, "start", 0);
          VmdPortForward *forward;

          if (start == 0 || start > G_MAXUINT16 ||
              vmd_xml_get_bool_attr_at (range, NULL, "exclude", FALSE))
            continue;

          forward = g_new0 (VmdPortForward, 1);
          forward->proto = vmd_xml_get_attr (pf, "proto");
          forward->address = vmd_xml_get_attr (pf, "address");
          forward->host_port = start;
          forward->host_port_end = MIN (vmd_xml_get_uint_attr_at (range, NULL, "end", start),
                                        G_MAXUINT16);
          forward->guest_port = MIN (vmd_xml_get_uint_attr_at (range, NULL, "to", start),
                                     G_MAXUINT16);
          g_ptr_array_add (ret, forward);
        }
    }
  return ret;
}

static gboolean
precedes_port_forwards (xmlNodePtr node)
{
  static const char *const names[] = {
    "mac", "source", "virtualport", "ip", "route", "portForward",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strcmp ((const char *) node->name, names[i]) == 0)
      return TRUE;
  return FALSE;
}

/**
 * vmd_device_interface_add_port_forward:
 * @proto: "tcp" or "udp"
 * @host_port: the port connections arrive at on the host
 * @guest_port: the port they reach in the guest; 0 for the same port
 *
 * Forwards one port of all host addresses into a user-mode interface.
 * Only the passt backend forwards ports, so it becomes the backend.
 */
void
vmd_device_interface_add_port_forward (VmdDeviceInterface *self,
                                       const char         *proto,
                                       guint               host_port,
                                       guint               guest_port)
{
  g_autofree char *type = NULL;
  g_autofree char *backend = NULL;
  char buf[16];
  xmlNodePtr node, forward, range, after = NULL;

  g_return_if_fail (VMD_IS_DEVICE_INTERFACE (self));
  g_return_if_fail (proto != NULL);
  g_return_if_fail (host_port > 0 && host_port <= G_MAXUINT16);
  g_return_if_fail (guest_port <= G_MAXUINT16);

  type = vmd_device_interface_get_interface_type (self);
  g_return_if_fail (g_strcmp0 (type, "user") == 0);

  backend = vmd_device_interface_get_backend (self);
  if (g_strcmp0 (backend, "passt") != 0)
    vmd_device_interface_set_backend (self, "passt");

  /* libvirt writes the forwards after the addresses and routes, in the
   * order they were given; the generic child order does not know them. */
  node = _vmd_device_get_node (DEV (self));
  for (xmlNodePtr c = vmd_xml_child (node, NULL); c; c = vmd_xml_next_element (c, NULL))
    if (precedes_port_forwards (c))
      after = c;

  forward = xmlNewNode (NULL, (const xmlChar *) "portForward");
  vmd_xml_set_attr (forward, "proto", proto);
  vmd_xml_insert_node (node, forward, after);

  range = vmd_xml_add_child (forward, "range");
  g_snprintf (buf, sizeof buf, "%u", host_port);
  vmd_xml_set_attr (range, "start", buf);
  if (guest_port != 0 && guest_port != host_port)
    {
      g_snprintf (buf, sizeof buf, "%u", guest_port);
      vmd_xml_set_attr (range, "to", buf);
    }

  _vmd_device_changed (DEV (self));
}

/* The backend stays passt: it works without forwards too. */
void
vmd_device_interface_clear_port_forwards (VmdDeviceInterface *self)
{
  xmlNodePtr node, forward;
  gboolean removed = FALSE;

  g_return_if_fail (VMD_IS_DEVICE_INTERFACE (self));

  node = _vmd_device_get_node (DEV (self));
  while ((forward = vmd_xml_child (node, "portForward")) != NULL)
    {
      vmd_xml_remove (forward);
      removed = TRUE;
    }
  if (removed)
    _vmd_device_changed (DEV (self));
}
