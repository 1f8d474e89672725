/* vmd-qemu-argv-pci.c: PCI and USB addresses
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Devices keep the PCI address their definition gives them; the others
 * get a free slot, as libvirt would place them: the primary video first,
 * on q35 each PCI Express endpoint behind a root port of its own (so it
 * can be unplugged), on pc a bridge when the root bus fills up.
 */
#define G_LOG_DOMAIN "vmdesk-argv"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vmd-qemu-argv-private.h"
#include "vmd-xml.h"

/* ------------------------------------------------------------ PCI buses */

void
_vmd_argv_pci_bus_free (gpointer data)
{
  VmdPciBus *bus = data;

  g_free (bus->id);
  g_free (bus->model);
  g_free (bus->addr);
  g_free (bus->parent);
  g_free (bus);
}

static VmdPciBus *
pci_bus_find (VmdArgvBuilder *b, guint index)
{
  for (guint i = 0; i < b->pci_buses->len; i++)
    {
      VmdPciBus *bus = g_ptr_array_index (b->pci_buses, i);
      if (bus->index == index)
        return bus;
    }
  return NULL;
}

static gboolean
pci_slot_free (VmdPciBus *bus, guint slot)
{
  return bus->used[slot] == 0;
}

/* The bus, slot and function of a device's <address type='pci'>. */
static gboolean
pci_address_get (xmlNodePtr device, guint *bus, guint *slot, guint *function)
{
  xmlNodePtr address = vmd_xml_child (device, "address");
  g_autofree char *type = vmd_xml_get_attr (address, "type");

  /* <address type='pci'/> without a slot asks for one. */
  if (g_strcmp0 (type, "pci") != 0 || !vmd_xml_has_attr (address, "slot"))
    return FALSE;
  *bus = (guint) vmd_xml_get_uint_attr_at (address, NULL, "bus", 0);
  *slot = (guint) vmd_xml_get_uint_attr_at (address, NULL, "slot", 0);
  *function = (guint) vmd_xml_get_uint_attr_at (address, NULL, "function", 0);
  return TRUE;
}

gboolean
_vmd_argv_is_pci_address (xmlNodePtr device)
{
  guint bus, slot, function;
  return pci_address_get (device, &bus, &slot, &function);
}

static char *
pci_addr_string (guint slot, guint function)
{
  if (function == 0)
    return g_strdup_printf ("0x%x", slot);
  return g_strdup_printf ("0x%x.0x%x", slot, function);
}

static const struct
{
  const char *model;
  const char *driver;
  guint       min_slot;
  guint       max_slot;
  gboolean    is_port;
  gboolean    pcie;
} pci_models[] = {
  { "pci-bridge", "pci-bridge", 1, 31, FALSE, FALSE },
  { "pcie-root-port", "pcie-root-port", 0, 0, TRUE, TRUE },
  { "pcie-switch-upstream-port", "x3130-upstream", 0, 31, FALSE, TRUE },
  { "pcie-switch-downstream-port", "xio3130-downstream", 0, 0, TRUE, TRUE },
  { "dmi-to-pci-bridge", "i82801b11-bridge", 0, 31, FALSE, FALSE },
  { "pcie-to-pci-bridge", "pcie-pci-bridge", 1, 31, FALSE, FALSE },
  { "pci-expander-bus", "pxb", 0, 31, FALSE, FALSE },
  { "pcie-expander-bus", "pxb-pcie", 0, 31, FALSE, TRUE },
};

/* Sets up the buses of the definition and reserves every slot that a
 * device's own <address type='pci'> takes. */
gboolean
_vmd_argv_pci_setup (VmdArgvBuilder *b, GError **error)
{
  VmdPciBus *root = g_new0 (VmdPciBus, 1);

  root->index = 0;
  root->id = g_strdup (b->q35 ? "pcie.0" : "pci.0");
  root->model = g_strdup (b->q35 ? "pcie-root" : "pci-root");
  root->min_slot = 1;
  root->max_slot = 31;
  root->pcie = b->q35;
  if (b->q35)
    root->used[0x1f] = 0xff;     /* ICH9: LPC, SATA, SMBus */
  else
    root->used[1] = 0xff & ~(1 << 2);  /* PIIX3: ISA, IDE, ACPI; USB is ours */
  g_ptr_array_add (b->pci_buses, root);

  for (xmlNodePtr c = vmd_xml_child (b->devices, "controller"); c;
       c = vmd_xml_next_element (c, "controller"))
    {
      g_autofree char *type = vmd_xml_get_attr (c, "type");
      g_autofree char *model = vmd_xml_get_attr (c, "model");
      guint index = _vmd_argv_controller_index (c);
      VmdPciBus *bus;
      gboolean found = FALSE;

      if (g_strcmp0 (type, "pci") != 0)
        continue;
      if (index == 0)
        {
          if (model != NULL && !g_str_equal (model, b->q35 ? "pcie-root" : "pci-root"))
            return _vmd_argv_invalid (error,
                                      _("The PCI controller with index 0 must be the machine's %s, not %s."),
                                      b->q35 ? "pcie-root" : "pci-root", model);
          continue;
        }
      if (model == NULL)
        return _vmd_argv_invalid (error,
                                  _("The PCI controller with index %u has no model."), index);
      if (pci_bus_find (b, index) != NULL)
        return _vmd_argv_invalid (error,
                                  _("Two PCI controllers have the index %u."), index);

      bus = g_new0 (VmdPciBus, 1);
      bus->index = index;
      bus->id = _vmd_argv_device_id_for_node (b->devices, c);
      bus->model = g_strdup (model);
      for (guint i = 0; i < G_N_ELEMENTS (pci_models); i++)
        if (g_str_equal (pci_models[i].model, model))
          {
            bus->min_slot = pci_models[i].min_slot;
            bus->max_slot = pci_models[i].max_slot;
            bus->is_port = pci_models[i].is_port;
            bus->pcie = pci_models[i].pcie;
            found = TRUE;
          }
      if (!found)
        {
          _vmd_argv_pci_bus_free (bus);
          return _vmd_argv_unsupported (error,
                                        _("The embedded engine cannot run a PCI controller of model '%s' (<controller type='pci' model='%s'>); use libvirt for this virtual machine."),
                                        model, model);
        }
      if (bus->is_port && g_str_equal (model, "pcie-root-port"))
        b->pci_ports_in_xml = TRUE;
      g_ptr_array_add (b->pci_buses, bus);
    }

  for (xmlNodePtr d = b->devices ? b->devices->children : NULL; d; d = d->next)
    {
      guint busnr, slot, function;
      VmdPciBus *bus;

      if (d->type != XML_ELEMENT_NODE || !pci_address_get (d, &busnr, &slot, &function))
        continue;
      bus = pci_bus_find (b, busnr);
      if (bus == NULL)
        return _vmd_argv_invalid (error,
                                  _("A device of the definition (<%s>) has a PCI address on bus %u, which no PCI controller provides."),
                                  (const char *) d->name, busnr);
      if (slot > 31 || function > 7)
        return _vmd_argv_invalid (error,
                                  _("A device of the definition (<%s>) has the PCI address %02x:%02x.%x, which does not exist."),
                                  (const char *) d->name, busnr, slot, function);
      bus->used[slot] |= 1 << function;
    }

  /* libvirt keeps a slot for the primary video: 2 on pc, 1 on q35. */
  {
    gboolean implicit;
    xmlNodePtr video = _vmd_argv_video_to_place (b->devices, &implicit);
    guint slot = b->q35 ? 1 : 2;

    if ((video != NULL || implicit) && pci_slot_free (root, slot))
      {
        root->used[slot] = 1;
        b->video_slot = slot;
      }
  }
  return TRUE;
}

static guint
pci_free_slots (VmdPciBus *bus)
{
  guint n = 0;

  for (guint s = bus->min_slot; s <= bus->max_slot; s++)
    if (pci_slot_free (bus, s))
      n++;
  return n;
}

static guint
pci_next_index (VmdArgvBuilder *b)
{
  guint index = 1;

  for (guint i = 0; i < b->pci_buses->len; i++)
    index = MAX (index, ((VmdPciBus *) g_ptr_array_index (b->pci_buses, i))->index + 1);
  return index;
}

/* The first free slot of @bus. */
static gboolean
place_on_bus (VmdArgvBuilder *b, VmdPciBus *bus, xmlNodePtr device, JsonObject *props, GError **error)
{
  for (guint s = bus->min_slot; s <= bus->max_slot; s++)
    if (pci_slot_free (bus, s))
      {
        g_autofree char *addr = pci_addr_string (s, 0);

        bus->used[s] = 1;
        _vmd_json_str (props, "bus", bus->id);
        _vmd_json_str (props, "addr", addr);
        if (vmd_xml_child (device, "acpi") != NULL)
          _vmd_json_int (props, "acpi-index", (gint64) vmd_xml_get_uint_attr_at (device, "acpi", "index", 0));
        return TRUE;
      }
  return _vmd_argv_invalid (error,
                            _("The PCI bus %s has no free slot left for a device (<%s>)."),
                            bus->id, device ? (const char *) device->name : "device");
}

/* A new pci-bridge in the first free slot of @parent. */
static VmdPciBus *
pci_add_bridge (VmdArgvBuilder *b, VmdPciBus *parent)
{
  VmdPciBus *bridge = g_new0 (VmdPciBus, 1);
  guint slot = parent->min_slot;

  while (!pci_slot_free (parent, slot))
    slot++;
  parent->used[slot] = 1;
  bridge->index = pci_next_index (b);
  bridge->id = g_strdup_printf ("pci.%u", bridge->index);
  bridge->model = g_strdup ("pci-bridge");
  bridge->min_slot = 1;
  bridge->max_slot = 31;
  bridge->automatic = TRUE;
  bridge->parent = g_strdup (parent->id);
  bridge->addr = pci_addr_string (slot, 0);
  g_ptr_array_add (b->pci_buses, bridge);
  return bridge;
}

/* A new pcie-root-port on pcie.0, packed eight to a slot as libvirt does. */
static VmdPciBus *
pci_add_root_port (VmdArgvBuilder *b, GError **error)
{
  VmdPciBus *root = pci_bus_find (b, 0);
  VmdPciBus *port;
  guint index = pci_next_index (b);
  gint slot = -1;
  guint function = 0;

  /* Continue the slot of the last automatic port while it has room. */
  for (guint i = b->pci_buses->len; i > 0 && slot < 0; i--)
    {
      VmdPciBus *last = g_ptr_array_index (b->pci_buses, i - 1);
      guint s, f;

      if (!last->automatic || !last->is_port)
        continue;
      if (sscanf (last->addr, "0x%x.0x%x", &s, &f) != 2)
        {
          s = (guint) g_ascii_strtoull (last->addr + 2, NULL, 16);
          f = 0;
        }
      if (f < 7 && !(root->used[s] & (1 << (f + 1))))
        {
          slot = (gint) s;
          function = f + 1;
        }
      break;
    }
  for (guint s = root->min_slot; slot < 0 && s <= root->max_slot; s++)
    if (pci_slot_free (root, s))
      slot = (gint) s;
  if (slot < 0)
    {
      _vmd_argv_invalid (error,
                         _("The virtual machine has more PCI devices than its PCI Express root bus can hold."));
      return NULL;
    }

  root->used[slot] |= 1 << function;
  port = g_new0 (VmdPciBus, 1);
  port->index = index;
  port->id = g_strdup_printf ("pci.%u", index);
  port->model = g_strdup ("pcie-root-port");
  port->is_port = TRUE;
  port->pcie = TRUE;
  port->automatic = TRUE;
  port->parent = g_strdup (root->id);
  port->addr = pci_addr_string ((guint) slot, function);
  port->port = ((guint) slot << 3) + function;
  g_ptr_array_add (b->pci_buses, port);
  return port;
}

/* Gives a PCI device its bus and address: the definition's, or a free
 * slot. On q35 a PCI Express endpoint (@pcie) gets a root port of its own,
 * so it can be unplugged again; everything else sits on the root bus. */
gboolean
_vmd_argv_place_pci (VmdArgvBuilder *b,
                     xmlNodePtr      device,
                     JsonObject     *props,
                     gboolean        pcie,
                     GError        **error)
{
  guint busnr, slot, function;
  VmdPciBus *bus = NULL;
  xmlNodePtr address = vmd_xml_child (device, "address");
  g_autofree char *type = vmd_xml_get_attr (address, "type");
  g_autofree char *addr = NULL;

  if (pci_address_get (device, &busnr, &slot, &function))
    {
      g_autofree char *multi = vmd_xml_get_attr (address, "multifunction");

      bus = pci_bus_find (b, busnr);
      _vmd_json_str (props, "bus", bus->id);
      /* Function 0 of a slot whose other functions are taken must say so,
       * as libvirt makes it. */
      if (g_strcmp0 (multi, "on") == 0 || (multi == NULL && function == 0 && (bus->used[slot] & 0xfe)))
        _vmd_json_bool (props, "multifunction", TRUE);
      else if (g_strcmp0 (multi, "off") == 0)
        _vmd_json_bool (props, "multifunction", FALSE);
      addr = pci_addr_string (slot, function);
      _vmd_json_str (props, "addr", addr);
      if (vmd_xml_child (device, "acpi") != NULL)
        _vmd_json_int (props, "acpi-index", (gint64) vmd_xml_get_uint_attr_at (device, "acpi", "index", 0));
      return TRUE;
    }
  if (type != NULL && !g_str_equal (type, "pci"))
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot place a PCI device at an address of type '%s' (<%s>); use libvirt for this virtual machine."),
                                  type, (const char *) device->name);

  /* A bus without a slot: the first free slot on that bus. */
  if (type != NULL && vmd_xml_has_attr (address, "bus"))
    {
      busnr = (guint) vmd_xml_get_uint_attr_at (address, NULL, "bus", 0);
      bus = pci_bus_find (b, busnr);
      if (bus == NULL)
        return _vmd_argv_invalid (error,
                                  _("A device of the definition (<%s>) has a PCI address on bus %u, which no PCI controller provides."),
                                  (const char *) device->name, busnr);
      return place_on_bus (b, bus, device, props, error);
    }

  /* Switch ports plug into their switch. */
  if (device != NULL && xmlStrEqual (device->name, (const xmlChar *) "controller"))
    {
      g_autofree char *model = vmd_xml_get_attr (device, "model");
      const char *want = NULL;

      if (g_strcmp0 (model, "pcie-switch-downstream-port") == 0)
        want = "pcie-switch-upstream-port";
      else if (g_strcmp0 (model, "pcie-switch-upstream-port") == 0)
        want = "pcie-root-port";
      for (guint i = 0; want != NULL && i < b->pci_buses->len; i++)
        {
          VmdPciBus *candidate = g_ptr_array_index (b->pci_buses, i);
          if (g_str_equal (candidate->model, want) && pci_free_slots (candidate) > 0)
            return place_on_bus (b, candidate, device, props, error);
        }
    }

  if (b->q35 && pcie)
    {
      for (guint i = 0; i < b->pci_buses->len && bus == NULL; i++)
        {
          VmdPciBus *candidate = g_ptr_array_index (b->pci_buses, i);
          if (candidate->is_port && g_str_equal (candidate->model, "pcie-root-port") &&
              candidate->used[0] == 0)
            bus = candidate;
        }
      if (bus == NULL)
        bus = pci_add_root_port (b, error);
      if (bus == NULL)
        return FALSE;
      bus->used[0] |= 1;
      _vmd_json_str (props, "bus", bus->id);
      _vmd_json_str (props, "addr", "0x0");
      if (vmd_xml_child (device, "acpi") != NULL)
        _vmd_json_int (props, "acpi-index", (gint64) vmd_xml_get_uint_attr_at (device, "acpi", "index", 0));
      return TRUE;
    }

  bus = pci_bus_find (b, b->auto_bus);
  if (!b->q35 && pci_free_slots (bus) == 1)
    {
      /* The bus is nearly full: its last slot takes a bridge, and the
       * devices that follow go behind it, as libvirt does. */
      bus = pci_add_bridge (b, bus);
      b->auto_bus = bus->index;
    }
  for (guint s = bus->min_slot; s <= bus->max_slot; s++)
    if (pci_slot_free (bus, s))
      {
        bus->used[s] = 1;
        addr = pci_addr_string (s, 0);
        _vmd_json_str (props, "bus", bus->id);
        _vmd_json_str (props, "addr", addr);
        if (vmd_xml_child (device, "acpi") != NULL)
          _vmd_json_int (props, "acpi-index", (gint64) vmd_xml_get_uint_attr_at (device, "acpi", "index", 0));
        return TRUE;
      }
  return _vmd_argv_invalid (error,
                            _("The virtual machine has more PCI devices than its PCI bus can hold; add a PCI bridge and give the devices addresses on it."));
}

gboolean
_vmd_argv_build_pci_controllers (VmdArgvBuilder *b, GError **error)
{
  /* The definition's controllers, parents before children. */
  g_autoptr (GPtrArray) sorted = g_ptr_array_new ();

  for (guint i = 0; i < b->pci_buses->len; i++)
    {
      VmdPciBus *bus = g_ptr_array_index (b->pci_buses, i);
      if (bus->index > 0 && !bus->automatic)
        g_ptr_array_add (sorted, bus);
    }

  for (guint i = 0; i < sorted->len; i++)
    {
      VmdPciBus *bus = g_ptr_array_index (sorted, i);
      xmlNodePtr node = NULL;
      xmlNodePtr target;
      g_autofree char *name = NULL;
      JsonObject *props;
      const char *driver = NULL;
      guint busnr, slot, function;

      for (xmlNodePtr c = vmd_xml_child (b->devices, "controller"); c && !node;
           c = vmd_xml_next_element (c, "controller"))
        {
          g_autofree char *type = vmd_xml_get_attr (c, "type");
          if (g_strcmp0 (type, "pci") == 0 &&
              _vmd_argv_controller_index (c) == bus->index)
            node = c;
        }
      target = vmd_xml_child (node, "target");
      name = vmd_xml_get_attr_at (node, "model", "name");
      for (guint j = 0; j < G_N_ELEMENTS (pci_models); j++)
        if (g_str_equal (pci_models[j].model, bus->model))
          driver = pci_models[j].driver;
      if (name != NULL)
        driver = name;

      props = _vmd_json_new ();
      _vmd_json_str (props, "driver", driver);
      if (g_str_equal (bus->model, "pci-bridge"))
        _vmd_json_int (props, "chassis_nr",
                       (gint64) vmd_xml_get_uint_attr_at (target, NULL, "chassisNr", bus->index));
      if (bus->is_port)
        {
          guint port = 0;

          if (pci_address_get (node, &busnr, &slot, &function))
            port = (slot << 3) + function;
          _vmd_json_int (props, "port", (gint64) vmd_xml_get_uint_attr_at (target, NULL, "port", port));
          _vmd_json_int (props, "chassis",
                         (gint64) vmd_xml_get_uint_attr_at (target, NULL, "chassis", bus->index));
        }
      if (g_str_equal (bus->model, "pci-expander-bus") || g_str_equal (bus->model, "pcie-expander-bus"))
        {
          guint64 bus_nr = vmd_xml_get_uint_attr_at (target, NULL, "busNr", 0);

          /* Without a bus number, libvirt counts down from 254 in steps
           * of two past the numbers other expanders take. */
          if (bus_nr == 0)
            {
              bus_nr = 254;
              for (xmlNodePtr c = vmd_xml_child (b->devices, "controller"); c;
                   c = vmd_xml_next_element (c, "controller"))
                if (c != node && vmd_xml_get_uint_attr_at (c, "target", "busNr", 0) == bus_nr)
                  {
                    bus_nr -= 2;
                    c = vmd_xml_child (b->devices, "controller");
                  }
            }
          _vmd_json_int (props, "bus_nr", (gint64) bus_nr);
          if (vmd_xml_find (target, "node") != NULL)
            {
              g_autofree char *text = vmd_xml_get_text_at (target, "node");
              _vmd_json_int (props, "numa_node", g_ascii_strtoll (text, NULL, 10));
            }
        }
      _vmd_json_str (props, "id", bus->id);
      if (target != NULL && vmd_xml_has_attr (target, "hotplug"))
        _vmd_json_bool (props, "hotplug", _vmd_argv_yes (target, NULL, "hotplug"));
      if (!_vmd_argv_place_pci (b, node, props, FALSE, error))
        {
          json_object_unref (props);
          return FALSE;
        }
      if (bus->is_port && !pci_address_get (node, &busnr, &slot, &function))
        {
          /* Placed automatically: derive the port from the address. */
          const char *addr = json_object_get_string_member (props, "addr");
          guint s = (guint) g_ascii_strtoull (addr + 2, NULL, 16);
          if (!vmd_xml_has_attr (target, "port"))
            _vmd_json_int (props, "port", s << 3);
        }
      _vmd_argv_add_json (b->ctrl, "-device", props);
    }
  return TRUE;
}

static void
build_auto_buses (VmdArgvBuilder *b, GPtrArray *out)
{
  for (guint i = 0; i < b->pci_buses->len; i++)
    {
      VmdPciBus *bus = g_ptr_array_index (b->pci_buses, i);
      VmdPciBus *parent = NULL;
      JsonObject *props;
      guint slot, function = 0;

      if (!bus->automatic)
        continue;
      if (sscanf (bus->addr, "0x%x.0x%x", &slot, &function) != 2)
        slot = (guint) g_ascii_strtoull (bus->addr + 2, NULL, 16);
      for (guint j = 0; j < b->pci_buses->len && parent == NULL; j++)
        if (g_str_equal (((VmdPciBus *) g_ptr_array_index (b->pci_buses, j))->id, bus->parent))
          parent = g_ptr_array_index (b->pci_buses, j);

      props = _vmd_json_new ();
      if (bus->is_port)
        {
          _vmd_json_str (props, "driver", "pcie-root-port");
          _vmd_json_int (props, "port", bus->port);
          _vmd_json_int (props, "chassis", bus->index);
        }
      else
        {
          _vmd_json_str (props, "driver", "pci-bridge");
          _vmd_json_int (props, "chassis_nr", bus->index);
        }
      _vmd_json_str (props, "id", bus->id);
      _vmd_json_str (props, "bus", bus->parent);
      if (function == 0 && (parent->used[slot] & 0xfe))
        _vmd_json_bool (props, "multifunction", TRUE);
      _vmd_json_str (props, "addr", bus->addr);
      _vmd_argv_add_json (out, "-device", props);
    }
}

/* Adds the spare root ports, so that devices can be plugged in while q35
 * runs, and the buses placing devices created. */
gboolean
_vmd_argv_finish_pci (VmdArgvBuilder *b, GError **error)
{
  if (b->q35 && !b->pci_ports_in_xml)
    for (guint i = 0; i < 4; i++)
      if (pci_add_root_port (b, error) == NULL)
        return FALSE;
  build_auto_buses (b, b->ctrl);
  return TRUE;
}

/* ------------------------------------------------------------ USB placing */

gboolean
_vmd_argv_place_usb (VmdArgvBuilder *b,
                     xmlNodePtr      device,
                     JsonObject     *props,
                     GError        **error)
{
  xmlNodePtr address = vmd_xml_child (device, "address");
  g_autofree char *type = vmd_xml_get_attr (address, "type");
  guint bus = 0;
  const char *bus_id;
  g_autofree char *port = NULL;
  g_autofree char *bus_name = NULL;

  if (type != NULL && !g_str_equal (type, "usb"))
    return _vmd_argv_invalid (error,
                              _("A USB device (<%s>) has an address of type '%s'."),
                              (const char *) device->name, type);
  if (address != NULL)
    {
      bus = (guint) vmd_xml_get_uint_attr_at (address, NULL, "bus", 0);
      port = vmd_xml_get_attr (address, "port");
    }
  bus_id = g_hash_table_lookup (b->usb_buses, GUINT_TO_POINTER (bus));
  if (bus_id == NULL)
    return _vmd_argv_invalid (error,
                              _("The definition has a USB device (<%s>) but no USB controller for it; add a USB controller."),
                              (const char *) device->name);
  bus_name = g_strdup_printf ("%s.0", bus_id);
  _vmd_json_str (props, "bus", bus_name);
  if (port != NULL)
    _vmd_json_str (props, "port", port);
  return TRUE;
}
