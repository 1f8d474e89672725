/* vmd-qemu-argv-net.c: network interfaces
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * User-mode networking (with forwarded ports), host bridges through QEMU's
 * bridge helper, and taps; libvirt's virtual networks need libvirt.
 */
#define G_LOG_DOMAIN "vmdesk-argv"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vmd-qemu-argv-private.h"
#include "vmd-xml.h"

#define BRIDGE_HELPER "/usr/lib/qemu/qemu-bridge-helper"

/* ------------------------------------------------------------- network */

static char *
mac_for (VmdArgvBuilder *b, xmlNodePtr nic, guint index)
{
  g_autofree char *mac = vmd_xml_get_attr_at (nic, "mac", "address");
  g_autofree char *uuid = NULL;
  guint32 hash;

  if (mac != NULL)
    return g_ascii_strdown (mac, -1);
  /* No address in the definition: one that stays the same from boot to
   * boot, from the VM's UUID, in QEMU's 52:54:00 range. */
  uuid = vmd_domain_config_get_uuid (b->config);
  hash = g_str_hash (uuid ? uuid : "") + index * 0x9e3779b9u;
  return g_strdup_printf ("52:54:00:%02x:%02x:%02x", (hash >> 16) & 0xff, (hash >> 8) & 0xff,
                          hash & 0xff);
}

static const char *
nic_driver (const char *model)
{
  static const struct { const char *model; const char *driver; gboolean pcie; } models[] = {
    { "virtio", "virtio-net-pci" },
    { "virtio-transitional", "virtio-net-pci-transitional" },
    { "virtio-non-transitional", "virtio-net-pci-non-transitional" },
    { "e1000", "e1000" }, { "e1000e", "e1000e" }, { "rtl8139", "rtl8139" },
    { "vmxnet3", "vmxnet3" }, { "ne2k_pci", "ne2k_pci" }, { "pcnet", "pcnet" },
    { "i82551", "i82551" }, { "i82557b", "i82557b" }, { "i82559er", "i82559er" },
    { "usb-net", "usb-net" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    if (g_ascii_strcasecmp (model, models[i].model) == 0)
      return models[i].driver;
  return NULL;
}

/* One hostfwd rule per forwarded port; excluded ports are left out. */
static gboolean
add_port_forwards (xmlNodePtr nic, JsonObject *netdev, GError **error)
{
  JsonArray *rules = json_array_new ();

  for (xmlNodePtr pf = vmd_xml_child (nic, "portForward"); pf; pf = vmd_xml_next_element (pf, "portForward"))
    {
      g_autofree char *proto = vmd_xml_get_attr (pf, "proto");
      g_autofree char *address = vmd_xml_get_attr (pf, "address");
      g_autofree char *dev = vmd_xml_get_attr (pf, "dev");
      g_autofree char *host = NULL;

      if (dev != NULL)
        {
          json_array_unref (rules);
          return _vmd_argv_unsupported (error,
                                        _("The embedded engine cannot bind a forwarded port to the host interface %s (<portForward dev='%s'>); use libvirt for this virtual machine."),
                                        dev, dev);
        }
      if (g_strcmp0 (proto, "tcp") != 0 && g_strcmp0 (proto, "udp") != 0)
        {
          json_array_unref (rules);
          return _vmd_argv_invalid (error, _("A forwarded port has the unknown protocol '%s'."),
                                    proto ? proto : "");
        }
      /* Forwarded ports listen on the loopback unless the definition
       * names an address: nothing reaches a VM from the network unless
       * the user asked for it. */
      if (address == NULL)
        host = g_strdup ("127.0.0.1");
      else if (strchr (address, ':') != NULL)
        host = g_strdup_printf ("[%s]", address);
      else
        host = g_strdup (address);

      for (xmlNodePtr r = vmd_xml_child (pf, "range"); r; r = vmd_xml_next_element (r, "range"))
        {
          guint64 start = vmd_xml_get_uint_attr_at (r, NULL, "start", 0);
          guint64 end = vmd_xml_get_uint_attr_at (r, NULL, "end", start);
          guint64 to = vmd_xml_get_uint_attr_at (r, NULL, "to", start);

          if (_vmd_argv_yes (r, NULL, "exclude"))
            continue;
          if (start == 0 || end < start || end > 65535 || to + (end - start) > 65535)
            {
              json_array_unref (rules);
              return _vmd_argv_invalid (error, _("A forwarded port range is not a range of ports."));
            }
          for (guint64 port = start; port <= end; port++)
            {
              gboolean excluded = FALSE;
              for (xmlNodePtr x = vmd_xml_child (pf, "range"); x; x = vmd_xml_next_element (x, "range"))
                {
                  guint64 xs = vmd_xml_get_uint_attr_at (x, NULL, "start", 0);
                  guint64 xe = vmd_xml_get_uint_attr_at (x, NULL, "end", xs);
                  if (_vmd_argv_yes (x, NULL, "exclude") && port >= xs && port <= xe)
                    excluded = TRUE;
                }
              if (!excluded)
                {
                  JsonObject *rule = json_object_new ();
                  g_autofree char *text = g_strdup_printf ("%s:%s:%" G_GUINT64_FORMAT "-:%" G_GUINT64_FORMAT,
                                                           proto, host, port, to + (port - start));
                  json_object_set_string_member (rule, "str", text);
                  json_array_add_object_element (rules, rule);
                }
            }
        }
    }
  if (json_array_get_length (rules) > 0)
    json_object_set_array_member (netdev, "hostfwd", rules);
  else
    json_array_unref (rules);
  return TRUE;
}

static gboolean
user_net_ips (xmlNodePtr nic, JsonObject *netdev, GError **error)
{
  for (xmlNodePtr ip = vmd_xml_child (nic, "ip"); ip; ip = vmd_xml_next_element (ip, "ip"))
    {
      g_autofree char *address = vmd_xml_get_attr (ip, "address");
      g_autofree char *family = vmd_xml_get_attr (ip, "family");
      guint64 prefix = vmd_xml_get_uint_attr_at (ip, NULL, "prefix", 0);

      if (address == NULL)
        continue;
      if (g_strcmp0 (family, "ipv6") == 0 || strchr (address, ':') != NULL)
        {
          _vmd_json_str (netdev, "ipv6-prefix", address);
          if (prefix > 0)
            _vmd_json_int (netdev, "ipv6-prefixlen", (gint64) prefix);
        }
      else
        {
          g_autofree char *net = g_strdup_printf ("%s/%" G_GUINT64_FORMAT, address, prefix ? prefix : 24);
          _vmd_json_str (netdev, "net", net);
        }
    }
  return TRUE;
}

gboolean
_vmd_argv_build_interface (VmdArgvBuilder *b, xmlNodePtr nic, guint index, GError **error)
{
  static const char *const children[] = {
    "mac", "source", "model", "target", "address", "alias", "boot", "link", "ip",
    "portForward", "backend", "script", "downscript", "driver", "mtu", "rom", "guest", "acpi", NULL
  };
  static const char *const driver_attrs[] = {
    "name", "queues", "rx_queue_size", "tx_queue_size", "iommu", "ats", "packed", "page_per_vq",
    "ioeventfd", "event_idx", "txmode", "rss", "rss_hash_report", NULL
  };
  g_autofree char *type = vmd_xml_get_attr (nic, "type");
  g_autofree char *model = vmd_xml_get_attr_at (nic, "model", "type");
  g_autofree char *id = _vmd_argv_device_id_for_node (b->devices, nic);
  g_autofree char *hostnet = g_strdup_printf ("host%s", id);
  g_autofree char *mac = NULL;
  g_autofree char *backend = vmd_xml_get_attr_at (nic, "backend", "type");
  xmlNodePtr driver = vmd_xml_child (nic, "driver");
  const char *drv;
  JsonObject *netdev;
  JsonObject *props;
  gboolean virtio;

  if (g_strcmp0 (type, "network") == 0)
    {
      g_autofree char *network = vmd_xml_get_attr_at (nic, "source", "network");
      return _vmd_argv_unsupported (error,
                                    _("The network interface uses the libvirt network '%s', which the embedded engine cannot provide; use user-mode networking or a bridge."),
                                    network ? network : "");
    }
  if (g_strcmp0 (type, "user") != 0 && g_strcmp0 (type, "bridge") != 0 &&
      g_strcmp0 (type, "ethernet") != 0)
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot run a network interface of type '%s' (<interface type='%s'>); use user-mode networking or a bridge, or use libvirt for this virtual machine."),
                                  type ? type : "", type ? type : "");
  if (!_vmd_argv_check_children (nic, "network interface", children, error) ||
      !_vmd_argv_check_attrs (driver, driver_attrs, error))
    return FALSE;
  if (vmd_xml_child (nic, "driver") != NULL && vmd_xml_child (driver, "host") != NULL)
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot tune the offloads of a network interface (<driver><host>); use libvirt for this virtual machine."));
  for (xmlNodePtr c = driver ? driver->children : NULL; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE)
      return _vmd_argv_unsupported (error,
                                    _("The embedded engine cannot tune the offloads of a network interface (<driver><%s>); use libvirt for this virtual machine."),
                                    (const char *) c->name);
  if (backend != NULL && !g_str_equal (backend, "passt") && !g_str_equal (backend, "default"))
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot run a network backend of type '%s' (<backend type='%s'>); use libvirt for this virtual machine."),
                                  backend, backend);

  if (model == NULL)
    model = g_strdup ("rtl8139");
  drv = nic_driver (model);
  if (drv == NULL)
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot run a network card of model '%s' (<model type='%s'>); use libvirt for this virtual machine."),
                                  model, model);
  virtio = g_str_has_prefix (drv, "virtio-net");

  netdev = _vmd_json_new ();
  if (g_str_equal (type, "user"))
    {
      /* passt or not, vmdesk gives the guest QEMU's own user-mode
       * network, with the same forwarded ports. */
      _vmd_json_str (netdev, "type", "user");
      if (!user_net_ips (nic, netdev, error) || !add_port_forwards (nic, netdev, error))
        return _vmd_argv_fail (netdev);
    }
  else if (g_str_equal (type, "bridge"))
    {
      g_autofree char *bridge = vmd_xml_get_attr_at (nic, "source", "bridge");

      if (bridge == NULL)
        {
          json_object_unref (netdev);
          return _vmd_argv_invalid (error, _("A bridged network interface names no bridge."));
        }
      _vmd_json_str (netdev, "type", "bridge");
      _vmd_json_str (netdev, "br", bridge);
      _vmd_json_str (netdev, "helper", BRIDGE_HELPER);
    }
  else
    {
      g_autofree char *dev = vmd_xml_get_attr_at (nic, "target", "dev");
      g_autofree char *script = vmd_xml_get_attr_at (nic, "script", "path");
      g_autofree char *downscript = vmd_xml_get_attr_at (nic, "downscript", "path");

      _vmd_json_str (netdev, "type", "tap");
      if (dev != NULL && !g_str_has_prefix (dev, "vnet") && !g_str_has_prefix (dev, "macvtap"))
        _vmd_json_str (netdev, "ifname", dev);
      _vmd_json_str (netdev, "script", script ? script : "no");
      _vmd_json_str (netdev, "downscript", downscript ? downscript : "no");
    }
  if (virtio && vmd_xml_has_attr (driver, "queues") &&
      !g_str_equal (type, "user") && !g_str_equal (type, "bridge"))
    _vmd_json_int (netdev, "queues", (gint64) vmd_xml_get_uint_attr_at (driver, NULL, "queues", 1));
  _vmd_json_str (netdev, "id", hostnet);
  _vmd_argv_add_json (b->args, "-netdev", netdev);

  mac = mac_for (b, nic, index);
  props = _vmd_json_new ();
  _vmd_json_str (props, "driver", drv);
  if (virtio)
    {
      guint64 queues = vmd_xml_get_uint_attr_at (driver, NULL, "queues", 0);
      guint64 mtu = vmd_xml_get_uint_attr_at (nic, "mtu", "size", 0);

      if (queues > 1 && g_str_equal (type, "ethernet"))
        {
          _vmd_json_bool (props, "mq", TRUE);
          _vmd_json_int (props, "vectors", (gint64) (2 * queues + 2));
        }
      if (vmd_xml_has_attr (driver, "rx_queue_size"))
        _vmd_json_int (props, "rx_queue_size", (gint64) vmd_xml_get_uint_attr_at (driver, NULL, "rx_queue_size", 0));
      if (vmd_xml_has_attr (driver, "tx_queue_size"))
        _vmd_json_int (props, "tx_queue_size", (gint64) vmd_xml_get_uint_attr_at (driver, NULL, "tx_queue_size", 0));
      if (mtu > 0)
        _vmd_json_int (props, "host_mtu", (gint64) mtu);
      _vmd_argv_virtio_options (nic, props);
      if (vmd_xml_has_attr (driver, "ioeventfd"))
        _vmd_json_bool (props, "ioeventfd", _vmd_argv_yes (driver, NULL, "ioeventfd"));
      if (vmd_xml_has_attr (driver, "event_idx"))
        _vmd_json_bool (props, "event_idx", _vmd_argv_yes (driver, NULL, "event_idx"));
      if (vmd_xml_has_attr (driver, "txmode"))
        {
          g_autofree char *txmode = vmd_xml_get_attr (driver, "txmode");
          if (g_str_equal (txmode, "iothread"))
            _vmd_json_str (props, "tx", "bh");
          else if (g_str_equal (txmode, "timer"))
            _vmd_json_str (props, "tx", "timer");
        }
      if (vmd_xml_has_attr (driver, "rss"))
        _vmd_json_bool (props, "rss", _vmd_argv_yes (driver, NULL, "rss"));
      if (vmd_xml_has_attr (driver, "rss_hash_report"))
        _vmd_json_bool (props, "hash", _vmd_argv_yes (driver, NULL, "rss_hash_report"));
    }
  _vmd_json_str (props, "netdev", hostnet);
  _vmd_json_str (props, "id", id);
  _vmd_json_str (props, "mac", mac);
  _vmd_argv_set_bootindex (b, nic, props);
  if (vmd_xml_child (nic, "rom") != NULL)
    {
      g_autofree char *bar = vmd_xml_get_attr_at (nic, "rom", "bar");
      g_autofree char *file = vmd_xml_get_attr_at (nic, "rom", "file");
      if (bar != NULL)
        _vmd_json_int (props, "rombar", g_str_equal (bar, "on") ? 1 : 0);
      if (file != NULL)
        _vmd_json_str (props, "romfile", file);
      if (_vmd_argv_yes (nic, "rom", "enabled") == FALSE && vmd_xml_has_attr (vmd_xml_find (nic, "rom"), "enabled"))
        _vmd_json_str (props, "romfile", "");
    }
  if (g_str_equal (drv, "usb-net"))
    {
      if (!_vmd_argv_place_usb (b, nic, props, error))
        return _vmd_argv_fail (props);
    }
  else if (!_vmd_argv_place_pci (b, nic, props, virtio || g_str_equal (drv, "e1000e"), error))
    return _vmd_argv_fail (props);
  return _vmd_argv_add_device (b, props);
}
