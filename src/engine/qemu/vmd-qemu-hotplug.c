/* vmd-qemu-hotplug.c: adding and removing devices of a running VM
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The argv builder already knows how every device becomes QEMU options, so
 * hot-plug reuses it: the command line of the definition with the device
 * and the one without it differ by exactly that device's options, which
 * map one to one onto QMP commands (-blockdev → blockdev-add, -netdev →
 * netdev_add, -device → device_add). The new device gets a PCI address no
 * other device uses first, so nothing else moves.
 */
#define G_LOG_DOMAIN "vmdesk-engine"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vmd-device-types.h"
#include "vmd-qemu-argv.h"
#include "vmd-qemu-domain-private.h"
#include "vmd-qemu-hotplug.h"

/* ------------------------------------------------------------ the plan */

static GStrv
build_argv (VmdQemuDomain *self, VmdDomainConfig *config, GError **error)
{
  VmdQemuArgvOptions options = { 0 };

  options.runtime_dir = self->runtime_dir;
  options.qemu_binary = "qemu-system-x86_64";
  return vmd_qemu_argv_build (config, &options, error);
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr (JsonNode) node = json_from_string (json, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

/* The JSON of the first "@option" whose @key is @value in @argv. */
static JsonObject *
find_option (GStrv argv, const char *option, const char *key, const char *value)
{
  for (guint i = 1; argv[i] != NULL && argv[i + 1] != NULL; i++)
    {
      JsonObject *props;

      if (!g_str_equal (argv[i], option) || argv[i + 1][0] != '{')
        continue;
      props = parse_object (argv[i + 1]);
      if (props != NULL &&
          g_strcmp0 (json_object_get_string_member_with_default (props, key, NULL), value) == 0)
        return props;
      g_clear_pointer (&props, json_object_unref);
    }
  return NULL;
}

static void
add_command (GPtrArray *commands, const char *name, JsonObject *args)
{
  g_ptr_array_add (commands, g_strdup (name));
  g_ptr_array_add (commands, json_node_init_object (json_node_alloc (), args));
}

/* The -object a device's "rng" names (an RNG's backend), as an
 * (option, JSON) pair appended to @options; object-add and object-del
 * take the same properties. */
static void
add_backend_object (GPtrArray *options, GStrv argv, JsonObject *device)
{
  const char *object = json_object_get_string_member_with_default (device, "rng", NULL);
  g_autoptr (JsonObject) props = NULL;
  g_autoptr (JsonNode) n = NULL;

  if (object == NULL || (props = find_option (argv, "-object", "id", object)) == NULL)
    return;
  n = json_node_init_object (json_node_alloc (), props);
  g_ptr_array_add (options, g_strdup ("-object"));
  g_ptr_array_add (options, json_to_string (n, FALSE));
}

/* A device's own options in @argv: its backends first (the block node
 * chain under "drive", the "netdev", the "rng" object), then the device.
 * Returned as (option, JSON) pairs; NULL when @id is not in @argv. */
static GPtrArray *
device_options (GStrv argv, const char *id, GError **error)
{
  g_autoptr (JsonObject) device = find_option (argv, "-device", "id", id);
  GPtrArray *options;
  const char *drive, *netdev;

  if (device == NULL)
    {
      g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_NOT_FOUND,
                   _("QEMU has no device “%s” for this part of the definition."), id);
      return NULL;
    }
  options = g_ptr_array_new_with_free_func (g_free);
  drive = json_object_get_string_member_with_default (device, "drive", NULL);
  netdev = json_object_get_string_member_with_default (device, "netdev", NULL);

  if (drive != NULL)
    {
      /* Walk down the chain (format → file), then list it bottom up. */
      g_autoptr (GPtrArray) chain = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
      const char *node = drive;

      while (node != NULL)
        {
          JsonObject *block = find_option (argv, "-blockdev", "node-name", node);
          if (block == NULL)
            break;
          g_ptr_array_add (chain, block);
          node = json_object_get_string_member_with_default (block, "file", NULL);
        }
      for (guint i = chain->len; i > 0; i--)
        {
          g_autoptr (JsonNode) n = json_node_init_object (json_node_alloc (),
                                                          g_ptr_array_index (chain, i - 1));
          g_ptr_array_add (options, g_strdup ("-blockdev"));
          g_ptr_array_add (options, json_to_string (n, FALSE));
        }
    }
  if (netdev != NULL)
    {
      g_autoptr (JsonObject) net = find_option (argv, "-netdev", "id", netdev);
      if (net != NULL)
        {
          g_autoptr (JsonNode) n = json_node_init_object (json_node_alloc (), net);
          g_ptr_array_add (options, g_strdup ("-netdev"));
          g_ptr_array_add (options, json_to_string (n, FALSE));
        }
    }
  add_backend_object (options, argv, device);
  {
    g_autoptr (JsonNode) n = json_node_init_object (json_node_alloc (), device);
    g_ptr_array_add (options, g_strdup ("-device"));
    g_ptr_array_add (options, json_to_string (n, FALSE));
  }
  return options;
}

/* A free PCI address for a new device, by what the running argv uses:
 * an empty hot-pluggable root port on q35, a free slot of pci.0 on pc. */
static gboolean
free_pci_place (GStrv before, char **bus_id, char **addr, GError **error)
{
  g_autoptr (GPtrArray) root_ports = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) busy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint32 used_slots = 0;

  for (guint i = 1; before[i] != NULL; i++)
    {
      g_autoptr (JsonObject) props = NULL;
      const char *bus, *driver, *a;

      if (!g_str_equal (before[i], "-device") || before[i + 1] == NULL ||
          (props = parse_object (before[i + 1])) == NULL)
        continue;
      driver = json_object_get_string_member_with_default (props, "driver", "");
      bus = json_object_get_string_member_with_default (props, "bus", NULL);
      a = json_object_get_string_member_with_default (props, "addr", NULL);
      if (g_str_equal (driver, "pcie-root-port"))
        g_ptr_array_add (root_ports,
                         g_strdup (json_object_get_string_member_with_default (props, "id", "")));
      if (bus != NULL)
        g_hash_table_add (busy, g_strdup (bus));
      if (g_strcmp0 (bus, "pci.0") == 0 && a != NULL)
        used_slots |= 1u << (g_ascii_strtoull (a, NULL, 16) & 31);
    }

  /* q35: an empty root port, the only place PCI Express can hot-plug. */
  for (guint i = 0; i < root_ports->len; i++)
    {
      const char *id = g_ptr_array_index (root_ports, i);
      if (!g_hash_table_contains (busy, id))
        {
          *bus_id = g_strdup (id);
          *addr = g_strdup ("0x0");
          return TRUE;
        }
    }
  if (root_ports->len == 0)
    for (guint slot = 3; slot < 32; slot++)
      if (!(used_slots & (1u << slot)))
        {
          *bus_id = g_strdup ("pci.0");
          *addr = g_strdup_printf ("0x%x", slot);
          return TRUE;
        }
  g_set_error_literal (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                       _("The virtual machine has no free PCI slot left for the new device; add it while the machine is shut off."));
  return FALSE;
}

/* Virtio disks and network cards sit on a PCI bus of their own; SATA,
 * SCSI and USB disks hang off their controller. */
static gboolean
device_uses_pci (VmdDevice *device)
{
  if (VMD_IS_DEVICE_INTERFACE (device))
    return TRUE;
  if (VMD_IS_DEVICE_DISK (device))
    {
      g_autofree char *bus = vmd_device_disk_get_target_bus (VMD_DEVICE_DISK (device));
      return g_strcmp0 (bus, "virtio") == 0;
    }
  return FALSE;
}

/**
 * _vmd_qemu_hotplug_plan_attach:
 * @new_config: (out): the definition with @device in it, at the address
 *   chosen for it
 * @commands: (out): command name, arguments node, command name, …
 */
gboolean
_vmd_qemu_hotplug_plan_attach (VmdQemuDomain    *self,
                               VmdDevice        *device,
                               VmdDomainConfig **new_config,
                               GPtrArray       **commands,
                               GError          **error)
{
  g_autoptr (VmdDomainConfig) after_config =
    vmd_domain_config_copy (vmd_domain_get_config (VMD_DOMAIN (self)));
  g_autofree char *xml = vmd_device_to_xml (device);
  g_autoptr (VmdDevice) copy = vmd_device_new_from_xml (xml, -1, error);
  g_autofree char *id = NULL;
  g_autofree char *bus_id = NULL;
  g_autofree char *addr = NULL;
  g_auto (GStrv) before = NULL;
  g_auto (GStrv) after = NULL;
  g_autoptr (GPtrArray) options = NULL;
  GPtrArray *list;

  if (copy == NULL)
    return FALSE;
  before = build_argv (self, vmd_domain_get_config (VMD_DOMAIN (self)), error);
  if (before == NULL)
    return FALSE;

  vmd_device_clear_address (copy);
  vmd_domain_config_add_device (after_config, copy);
  if (device_uses_pci (copy))
    {
      if (!free_pci_place (before, &bus_id, &addr, error))
        return FALSE;
      /* On pc, keep the slot in the definition, as libvirt would; q35's
       * spare root ports are the engine's, so the next boot places the
       * device itself. */
      if (g_str_equal (bus_id, "pci.0"))
        vmd_device_set_pci_address (copy, 0, 0, (guint) g_ascii_strtoull (addr, NULL, 16), 0);
    }
  after = build_argv (self, after_config, error);
  if (after == NULL)
    return FALSE;

  id = vmd_qemu_argv_device_id (copy);
  options = id ? device_options (after, id, error) : NULL;
  if (options == NULL)
    return FALSE;

  list = g_ptr_array_new ();
  for (guint i = 0; i + 1 < options->len; i += 2)
    {
      const char *option = g_ptr_array_index (options, i);
      g_autoptr (JsonObject) args = parse_object (g_ptr_array_index (options, i + 1));

      if (g_str_equal (option, "-device"))
        {
          if (bus_id != NULL)
            {
              json_object_set_string_member (args, "bus", bus_id);
              json_object_set_string_member (args, "addr", addr);
            }
          /* Boot order is for the next boot; QEMU refuses it live. */
          json_object_remove_member (args, "bootindex");
          add_command (list, "device_add", args);
        }
      else if (g_str_equal (option, "-blockdev"))
        add_command (list, "blockdev-add", args);
      else if (g_str_equal (option, "-object"))
        add_command (list, "object-add", args);
      else
        add_command (list, "netdev_add", args);
    }
  *new_config = g_steal_pointer (&after_config);
  *commands = list;
  return TRUE;
}

/**
 * _vmd_qemu_hotplug_plan_detach:
 * @backends: (out): commands removing the device's backends once QEMU has
 *   let go of it (blockdev-del, netdev_del), in the order to run them
 */
gboolean
_vmd_qemu_hotplug_plan_detach (VmdQemuDomain    *self,
                               VmdDevice        *device,
                               VmdDomainConfig **new_config,
                               char            **device_id,
                               GPtrArray       **backends,
                               GError          **error)
{
  VmdDomainConfig *config = vmd_domain_get_config (VMD_DOMAIN (self));
  g_autoptr (VmdDomainConfig) after_config = vmd_domain_config_copy (config);
  g_autoptr (GPtrArray) devices = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE);
  g_autoptr (GPtrArray) after_devices = vmd_domain_config_get_devices (after_config,
                                                                       VMD_TYPE_DEVICE);
  g_autoptr (GPtrArray) options = NULL;
  g_auto (GStrv) before = NULL;
  g_autofree char *id = NULL;
  GPtrArray *list;
  guint index;

  if (!g_ptr_array_find (devices, device, &index))
    {
      g_set_error_literal (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_NOT_FOUND,
                           _("The device is not part of this virtual machine."));
      return FALSE;
    }
  vmd_domain_config_remove_device (after_config, g_ptr_array_index (after_devices, index));
  list = g_ptr_array_new ();

  /* A VM that is off only needs its definition changed. */
  if (self->qmp != NULL)
    {
      before = build_argv (self, config, error);
      id = before ? vmd_qemu_argv_device_id (device) : NULL;
      options = id ? device_options (before, id, error) : NULL;
      if (options == NULL)
        {
          g_ptr_array_unref (list);
          return FALSE;
        }
      /* Backends go after the device, top first: the format node before
       * the file under it. */
      for (guint i = options->len; i >= 2; i -= 2)
        {
          const char *option = g_ptr_array_index (options, i - 2);
          g_autoptr (JsonObject) props = parse_object (g_ptr_array_index (options, i - 1));
          JsonObject *args = json_object_new ();

          if (g_str_equal (option, "-blockdev"))
            {
              json_object_set_string_member (args, "node-name",
                                             json_object_get_string_member_with_default (props, "node-name", ""));
              add_command (list, "blockdev-del", args);
            }
          else if (g_str_equal (option, "-netdev"))
            {
              json_object_set_string_member (args, "id",
                                             json_object_get_string_member_with_default (props, "id", ""));
              add_command (list, "netdev_del", args);
            }
          else if (g_str_equal (option, "-object"))
            {
              json_object_set_string_member (args, "id",
                                             json_object_get_string_member_with_default (props, "id", ""));
              add_command (list, "object-del", args);
            }
          json_object_unref (args);
        }
    }

  *new_config = g_steal_pointer (&after_config);
  *device_id = g_steal_pointer (&id);
  *backends = list;
  return TRUE;
}
