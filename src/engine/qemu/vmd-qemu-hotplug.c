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

/* Option/value pairs of @argv ("-device" + its JSON), skipping the binary. */
static GPtrArray *
option_pairs (GStrv argv)
{
  GPtrArray *pairs = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 1; argv[i] != NULL; i++)
    {
      if (argv[i][0] == '-' && argv[i + 1] != NULL && argv[i + 1][0] != '-')
        {
          g_ptr_array_add (pairs, g_strconcat (argv[i], "\n", argv[i + 1], NULL));
          i++;
        }
      else
        g_ptr_array_add (pairs, g_strconcat (argv[i], "\n", NULL));
    }
  return pairs;
}

/* The pairs of @with that @without lacks, in order (a multiset difference). */
static GPtrArray *
pairs_added (GStrv with, GStrv without)
{
  g_autoptr (GPtrArray) a = option_pairs (with);
  g_autoptr (GPtrArray) b = option_pairs (without);
  g_autoptr (GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *ret = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < b->len; i++)
    {
      gpointer key = g_ptr_array_index (b, i);
      g_hash_table_insert (counts, key,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, key)) + 1));
    }
  for (guint i = 0; i < a->len; i++)
    {
      char *key = g_ptr_array_index (a, i);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, key));

      if (n > 0)
        g_hash_table_insert (counts, key, GUINT_TO_POINTER (n - 1));
      else
        g_ptr_array_add (ret, g_strdup (key));
    }
  return ret;
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr (JsonNode) node = json_from_string (json, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

/* A free PCI address for a new device, by what the running argv uses:
 * an empty hot-pluggable root port on q35, a free slot of pci.0 on pc. */
static gboolean
assign_pci_address (VmdDevice *device, GStrv before, GError **error)
{
  g_autoptr (GPtrArray) root_ports = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) busy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint32 used_slots = 0;

  for (guint i = 1; before[i] != NULL; i++)
    {
      g_autoptr (JsonObject) props = NULL;
      const char *bus, *driver, *addr;

      if (!g_str_equal (before[i], "-device") || before[i + 1] == NULL ||
          (props = parse_object (before[i + 1])) == NULL)
        continue;
      driver = json_object_get_string_member_with_default (props, "driver", "");
      bus = json_object_get_string_member_with_default (props, "bus", NULL);
      addr = json_object_get_string_member_with_default (props, "addr", NULL);
      if (g_str_equal (driver, "pcie-root-port"))
        g_ptr_array_add (root_ports,
                         g_strdup (json_object_get_string_member_with_default (props, "id", "")));
      if (bus != NULL)
        g_hash_table_add (busy, g_strdup (bus));
      if (g_strcmp0 (bus, "pci.0") == 0 && addr != NULL)
        used_slots |= 1u << (g_ascii_strtoull (addr, NULL, 16) & 31);
    }

  if (root_ports->len > 0)
    {
      for (guint i = 0; i < root_ports->len; i++)
        {
          const char *id = g_ptr_array_index (root_ports, i);
          if (g_str_has_prefix (id, "pci.") && !g_hash_table_contains (busy, id))
            {
              vmd_device_set_pci_address (device, 0, (guint) g_ascii_strtoull (id + 4, NULL, 10),
                                          0, 0);
              return TRUE;
            }
        }
    }
  else
    {
      for (guint slot = 3; slot < 32; slot++)
        if (!(used_slots & (1u << slot)))
          {
            vmd_device_set_pci_address (device, 0, 0, slot, 0);
            return TRUE;
          }
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

/* Turns added options into QMP commands: (command, arguments) pairs. */
static gboolean
to_commands (GPtrArray *pairs, GPtrArray *commands, GError **error)
{
  for (guint i = 0; i < pairs->len; i++)
    {
      g_auto (GStrv) parts = g_strsplit (g_ptr_array_index (pairs, i), "\n", 2);
      const char *command = NULL;
      JsonObject *args;

      if (g_str_equal (parts[0], "-blockdev"))
        command = "blockdev-add";
      else if (g_str_equal (parts[0], "-netdev"))
        command = "netdev_add";
      else if (g_str_equal (parts[0], "-device"))
        command = "device_add";
      else if (g_str_equal (parts[0], "-object"))
        command = "object-add";

      args = command ? parse_object (parts[1]) : NULL;
      if (args == NULL)
        {
          g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_UNSUPPORTED,
                       _("This device cannot be added while the virtual machine runs (it needs “%s %s”); add it while the machine is shut off."),
                       parts[0], parts[1] ? parts[1] : "");
          return FALSE;
        }
      g_ptr_array_add (commands, g_strdup (command));
      g_ptr_array_add (commands, json_node_init_object (json_node_alloc (), args));
      json_object_unref (args);
    }
  return TRUE;
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
  g_autoptr (VmdDomainConfig) before_config = vmd_domain_config_copy (vmd_domain_get_config (VMD_DOMAIN (self)));
  g_autoptr (VmdDomainConfig) after_config = vmd_domain_config_copy (before_config);
  g_autofree char *xml = vmd_device_to_xml (device);
  g_autoptr (VmdDevice) copy = vmd_device_new_from_xml (xml, -1, error);
  g_auto (GStrv) before = NULL;
  g_auto (GStrv) after = NULL;
  g_autoptr (GPtrArray) added = NULL;
  GPtrArray *list;

  if (copy == NULL)
    return FALSE;
  before = build_argv (self, before_config, error);
  if (before == NULL)
    return FALSE;

  vmd_domain_config_add_device (after_config, copy);
  if (device_uses_pci (copy) && !assign_pci_address (copy, before, error))
    return FALSE;
  after = build_argv (self, after_config, error);
  if (after == NULL)
    return FALSE;

  added = pairs_added (after, before);
  list = g_ptr_array_new ();
  if (!to_commands (added, list, error))
    {
      for (guint i = 1; i < list->len; i += 2)
        json_node_unref (g_ptr_array_index (list, i));
      for (guint i = 0; i < list->len; i += 2)
        g_free (g_ptr_array_index (list, i));
      g_ptr_array_unref (list);
      return FALSE;
    }
  *new_config = g_steal_pointer (&after_config);
  *commands = g_steal_pointer (&list);
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
  g_auto (GStrv) before = NULL;
  g_auto (GStrv) after = NULL;
  g_autoptr (GPtrArray) removed = NULL;
  GPtrArray *list;
  guint index;

  if (!g_ptr_array_find (devices, device, &index))
    {
      g_set_error_literal (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_NOT_FOUND,
                           _("The device is not part of this virtual machine."));
      return FALSE;
    }
  vmd_domain_config_remove_device (after_config, g_ptr_array_index (after_devices, index));

  before = build_argv (self, config, error);
  after = before ? build_argv (self, after_config, error) : NULL;
  if (after == NULL)
    return FALSE;

  *device_id = vmd_qemu_argv_device_id (device);
  removed = pairs_added (before, after);
  list = g_ptr_array_new ();
  /* Backends go top first: the format node before the file under it. */
  for (guint i = removed->len; i > 0; i--)
    {
      g_auto (GStrv) parts = g_strsplit (g_ptr_array_index (removed, i - 1), "\n", 2);
      g_autoptr (JsonObject) props = parse_object (parts[1] ? parts[1] : "");
      JsonObject *args;

      if (props == NULL)
        continue;
      if (g_str_equal (parts[0], "-blockdev"))
        {
          args = json_object_new ();
          json_object_set_string_member (args, "node-name",
                                         json_object_get_string_member_with_default (props, "node-name", ""));
          g_ptr_array_add (list, g_strdup ("blockdev-del"));
          g_ptr_array_add (list, json_node_init_object (json_node_alloc (), args));
          json_object_unref (args);
        }
      else if (g_str_equal (parts[0], "-netdev"))
        {
          args = json_object_new ();
          json_object_set_string_member (args, "id",
                                         json_object_get_string_member_with_default (props, "id", ""));
          g_ptr_array_add (list, g_strdup ("netdev_del"));
          g_ptr_array_add (list, json_node_init_object (json_node_alloc (), args));
          json_object_unref (args);
        }
    }
  *new_config = g_steal_pointer (&after_config);
  *backends = list;
  return TRUE;
}
