/* vmd-domain-config-validate.c: is this a definition a user can run?
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Two checks: the model's own, which finds the mistakes people make and
 * says so in words they can act on; and libvirt's RELAX-NG schema, where it
 * is installed, for everything else.
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include <glib/gi18n-lib.h>
#include <libxml/relaxng.h>
#include <string.h>

#include "vmd-domain-config-private.h"
#include "vmd-size.h"
#include "vmd-xml.h"

#define INVALID(error, ...) \
  (g_set_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_INVALID, __VA_ARGS__), FALSE)

static const char *const domain_types[] = {
  "none", "qemu", "kqemu", "kvm", "xen", "lxc", "uml", "openvz", "test", "vmware", "hyperv",
  "vbox", "phyp", "parallels", "bhyve", "vz", "hvf", NULL
};
static const char *const disk_devices[] = { "disk", "cdrom", "floppy", "lun", NULL };
static const char *const disk_types[] = {
  "file", "block", "dir", "network", "volume", "nvme", "vhostuser", "vhostvdpa", NULL
};
static const char *const disk_buses[] = {
  "ide", "fdc", "scsi", "virtio", "xen", "usb", "uml", "sata", "sd", "nvme", NULL
};
static const char *const disk_caches[] = {
  "default", "none", "writethrough", "writeback", "directsync", "unsafe", NULL
};
static const char *const disk_ios[] = { "default", "native", "threads", "io_uring", NULL };
static const char *const disk_discards[] = { "default", "unmap", "ignore", NULL };
static const char *const nic_types[] = {
  "bridge", "ethernet", "vhostuser", "network", "direct", "user", "internal", "mcast", "client",
  "udp", "server", "hostdev", "vdpa", "null", "vds", NULL
};
static const char *const graphics_types[] = {
  "sdl", "vnc", "spice", "rdp", "desktop", "egl-headless", "dbus", NULL
};
static const char *const video_models[] = {
  "vga", "cirrus", "vmvga", "xen", "vbox", "virtio", "gop", "none", "bochs", "ramfb", "qxl",
  NULL
};
static const char *const sound_models[] = {
  "sb16", "es1370", "pcspk", "ac97", "ich6", "ich7", "ich9", "usb", "virtio", NULL
};
static const char *const input_types[] = {
  "tablet", "mouse", "keyboard", "passthrough", "evdev", NULL
};
static const char *const input_buses[] = { "ps2", "usb", "xen", "virtio", "none", NULL };
static const char *const controller_types[] = {
  "ide", "fdc", "scsi", "sata", "usb", "ccid", "virtio-serial", "pci", "xenbus", "isa", "nvme",
  NULL
};
static const char *const watchdog_models[] = { "i6300esb", "ib700", "diag288", "itco", NULL };
static const char *const watchdog_actions[] = {
  "reset", "shutdown", "poweroff", "pause", "none", "dump", "inject-nmi", NULL
};
static const char *const rng_models[] = {
  "virtio", "virtio-transitional", "virtio-non-transitional", NULL
};
static const char *const tpm_models[] = { "tpm-tis", "tpm-crb", "tpm-spapr", "spapr-tpm-proxy", NULL };
static const char *const memballoon_models[] = {
  "virtio", "virtio-transitional", "virtio-non-transitional", "xen", "none", NULL
};
static const char *const chardev_types[] = {
  "null", "vc", "pty", "dev", "file", "pipe", "stdio", "udp", "tcp", "unix", "spicevmc",
  "spiceport", "nmdm", "qemu-vdagent", "dbus", NULL
};
static const char *const clock_offsets[] = {
  "utc", "localtime", "timezone", "variable", "absolute", NULL
};

static gboolean
is_one_of (const char *value, const char *const *list)
{
  return value == NULL || g_strv_contains (list, value);
}

static char *
list_for_humans (const char *const *list)
{
  return g_strjoinv (", ", (char **) list);
}

/* An attribute checked against the values libvirt knows. */
static gboolean
check_value (xmlNodePtr   node,
             const char  *path,
             const char  *attr,
             const char *const *list,
             const char  *what,
             GError     **error)
{
  g_autofree char *value = vmd_xml_get_attr_at (node, path, attr);
  g_autofree char *known = NULL;

  if (is_one_of (value, list))
    return TRUE;
  known = list_for_humans (list);
  /* TRANSLATORS: the first %s names a setting, such as "disk bus". */
  return INVALID (error, _("The %s \"%s\" is not known; use one of %s."), what, value, known);
}

static gboolean
parse_uint (const char *text, guint64 *value)
{
  g_autofree char *copy = g_strstrip (g_strdup (text ? text : ""));
  return g_ascii_string_to_unsigned (copy, 10, 0, G_MAXUINT64, value, NULL);
}

static gboolean
check_size (xmlNodePtr root, const char *element, const char *what, guint64 *kib, GError **error)
{
  xmlNodePtr node = vmd_xml_child (root, element);
  g_autofree char *text = NULL;
  g_autofree char *unit = NULL;
  g_autoptr (GError) local_error = NULL;
  guint64 value;

  *kib = 0;
  if (node == NULL)
    return TRUE;

  text = vmd_xml_get_text (node);
  unit = vmd_xml_get_attr (node, "unit");
  if (!parse_uint (text, &value))
    return INVALID (error, _("The %s \"%s\" is not a whole number."), what, g_strstrip (text));
  if (!vmd_size_to_kib (value, unit, kib, &local_error))
    return INVALID (error, _("The %s is not valid. %s"), what, local_error->message);
  return TRUE;
}

static gboolean
is_valid_uuid (const char *text)
{
  guint digits = 0;

  for (const char *p = text; *p; p++)
    {
      if (*p == '-' || *p == ' ')
        continue;
      if (!g_ascii_isxdigit (*p))
        return FALSE;
      digits++;
    }
  return digits == 32;
}

static gboolean
is_valid_mac (const char *mac, gboolean *multicast)
{
  guint octets[6];
  char tail;

  if (sscanf (mac, "%2x:%2x:%2x:%2x:%2x:%2x%c", &octets[0], &octets[1], &octets[2],
              &octets[3], &octets[4], &octets[5], &tail) != 6)
    return FALSE;
  for (const char *p = mac; *p; p++)
    if (!g_ascii_isxdigit (*p) && *p != ':')
      return FALSE;
  *multicast = (octets[0] & 1) != 0;
  return TRUE;
}

static gboolean
validate_identity (xmlNodePtr root, GError **error)
{
  g_autofree char *type = vmd_xml_get_attr (root, "type");
  g_autofree char *name = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *stripped = NULL;

  if (type == NULL)
    return INVALID (error, _("The definition does not say which hypervisor runs it: <domain> needs a type, such as type='kvm'."));
  if (!check_value (root, NULL, "type", domain_types, _("domain type"), error))
    return FALSE;

  if (!vmd_xml_has (root, "name"))
    return INVALID (error, _("The virtual machine has no name."));
  name = vmd_xml_get_text_at (root, "name");
  stripped = g_strstrip (g_strdup (name));
  if (*stripped == '\0')
    return INVALID (error, _("The name may not be empty."));
  if (strchr (name, '/') != NULL)
    return INVALID (error, _("The name may not contain '/'."));
  if (strchr (name, '\n') != NULL)
    return INVALID (error, _("The name may not contain a line break."));

  uuid = vmd_xml_get_text_at (root, "uuid");
  if (uuid != NULL && !is_valid_uuid (g_strstrip (uuid)))
    return INVALID (error, _("The UUID \"%s\" is not valid; a UUID has 32 hexadecimal digits."),
                    uuid);
  return TRUE;
}

static gboolean
validate_resources (xmlNodePtr root, GError **error)
{
  guint64 memory, current, max_memory;
  g_autofree char *vcpu_text = NULL;
  guint64 vcpus = 0, current_vcpus;
  xmlNodePtr topo;

  if (!check_size (root, "memory", _("memory size"), &memory, error) ||
      !check_size (root, "currentMemory", _("current memory size"), &current, error) ||
      !check_size (root, "maxMemory", _("maximum memory size"), &max_memory, error))
    return FALSE;

  if (!vmd_xml_has (root, "memory") && !vmd_xml_has (root, "cpu/numa"))
    return INVALID (error, _("The definition does not say how much memory the virtual machine has (<memory>)."));
  if (vmd_xml_has (root, "memory") && memory < 1024)
    {
      g_autofree char *size = vmd_size_format (memory);
      return INVALID (error, _("Memory must be at least 1 MiB; the definition gives %s."), size);
    }

  vcpu_text = vmd_xml_get_text_at (root, "vcpu");
  if (vcpu_text != NULL)
    {
      if (!parse_uint (vcpu_text, &vcpus) || vcpus == 0 || vcpus > G_MAXUINT16)
        return INVALID (error, _("The number of virtual CPUs \"%s\" is not valid; give a number from 1 to 65535."),
                        g_strstrip (vcpu_text));
      current_vcpus = vmd_xml_get_uint_attr_at (root, "vcpu", "current", vcpus);
      if (current_vcpus == 0 || current_vcpus > vcpus)
        return INVALID (error, _("The number of active virtual CPUs (%" G_GUINT64_FORMAT ") must be between 1 and the maximum (%" G_GUINT64_FORMAT ")."),
                        current_vcpus, vcpus);
    }

  topo = vmd_xml_find (root, "cpu/topology");
  if (topo != NULL && vcpu_text != NULL)
    {
      guint64 product = 1;
      const char *const parts[] = { "sockets", "dies", "clusters", "cores", "threads" };

      for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
        {
          guint64 n = vmd_xml_get_uint_attr_at (topo, NULL, parts[i], 1);
          if (n == 0)
            return INVALID (error, _("The CPU topology may not have zero %s."), parts[i]);
          product *= n;
        }
      if (product != vcpus)
        return INVALID (error, _("The CPU topology gives %" G_GUINT64_FORMAT " virtual CPUs, but the machine has %" G_GUINT64_FORMAT "."),
                        product, vcpus);
    }
  return TRUE;
}

static gboolean
validate_os (xmlNodePtr root, GError **error)
{
  const struct { const char *element; VmdLifecycleEvent event; } lifecycle[] = {
    { "on_poweroff", VMD_LIFECYCLE_POWEROFF },
    { "on_reboot", VMD_LIFECYCLE_REBOOT },
    { "on_crash", VMD_LIFECYCLE_CRASH },
  };

  if (!vmd_xml_has (root, "os/type"))
    return INVALID (error, _("The definition does not say what the guest is (<os><type>hvm</type></os>)."));

  for (xmlNodePtr b = vmd_xml_child (vmd_xml_child (root, "os"), "boot"); b;
       b = vmd_xml_next_element (b, "boot"))
    {
      static const char *const boot_devs[] = { "hd", "fd", "cdrom", "network", NULL };
      if (!check_value (b, NULL, "dev", boot_devs, _("boot device"), error))
        return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (lifecycle); i++)
    {
      g_autofree char *action = vmd_xml_get_text_at (root, lifecycle[i].element);
      if (action != NULL && !_vmd_lifecycle_action_is_valid (lifecycle[i].event,
                                                            g_strstrip (action)))
        return INVALID (error, _("The action \"%s\" of <%s> is not known."), action,
                        lifecycle[i].element);
    }

  return check_value (root, "clock", "offset", clock_offsets, _("clock offset"), error);
}

static gboolean
validate_disk (xmlNodePtr disk, GHashTable *targets, GError **error)
{
  g_autofree char *dev = vmd_xml_get_attr_at (disk, "target", "dev");
  g_autofree char *source = NULL;

  if (!check_value (disk, NULL, "device", disk_devices, _("disk device"), error) ||
      !check_value (disk, NULL, "type", disk_types, _("disk type"), error) ||
      !check_value (disk, "target", "bus", disk_buses, _("disk bus"), error) ||
      !check_value (disk, "driver", "cache", disk_caches, _("disk cache mode"), error) ||
      !check_value (disk, "driver", "io", disk_ios, _("disk I/O mode"), error) ||
      !check_value (disk, "driver", "discard", disk_discards, _("disk discard mode"), error))
    return FALSE;

  if (dev == NULL)
    {
      source = vmd_xml_get_attr_at (disk, "source", "file");
      if (source == NULL)
        source = vmd_xml_get_attr_at (disk, "source", "dev");
      if (source != NULL)
        return INVALID (error, _("The disk %s has no target device; add <target dev='vda' bus='virtio'/>."),
                        source);
      return INVALID (error, _("A disk has no target device; add <target dev='vda' bus='virtio'/>."));
    }
  if (g_hash_table_contains (targets, dev))
    return INVALID (error, _("Two disks use the target %s."), dev);
  g_hash_table_add (targets, g_steal_pointer (&dev));
  return TRUE;
}

static gboolean
validate_interface (xmlNodePtr nic, GError **error)
{
  g_autofree char *type = vmd_xml_get_attr (nic, "type");
  g_autofree char *mac = vmd_xml_get_attr_at (nic, "mac", "address");
  g_autofree char *model = vmd_xml_get_attr_at (nic, "model", "type");
  gboolean multicast = FALSE;

  if (type == NULL)
    return INVALID (error, _("A network interface has no type, such as type='user' or type='network'."));
  if (!check_value (nic, NULL, "type", nic_types, _("network interface type"), error))
    return FALSE;

  if (mac != NULL && !is_valid_mac (mac, &multicast))
    return INVALID (error, _("The MAC address \"%s\" is not valid; write six pairs of hexadecimal digits, such as 52:54:00:12:34:56."),
                    mac);
  if (multicast)
    return INVALID (error, _("The MAC address %s is a multicast address; a network card needs a unicast one."),
                    mac);

  if (model != NULL)
    {
      for (const char *p = model; *p; p++)
        if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
          return INVALID (error, _("The network card model \"%s\" is not valid."), model);
    }

  if (g_str_equal (type, "network") && !vmd_xml_has (nic, "source"))
    return INVALID (error, _("A network interface of type 'network' must name its network (<source network='default'/>)."));
  if (g_str_equal (type, "bridge") && !vmd_xml_has (nic, "source"))
    return INVALID (error, _("A network interface of type 'bridge' must name its bridge (<source bridge='br0'/>)."));
  if (g_str_equal (type, "direct") && !vmd_xml_has (nic, "source"))
    return INVALID (error, _("A network interface of type 'direct' must name its host device (<source dev='eth0'/>)."));
  return TRUE;
}

static gboolean
validate_device (xmlNodePtr dev, GHashTable *targets, GError **error)
{
  const char *kind = (const char *) dev->name;

  if (g_str_equal (kind, "disk"))
    return validate_disk (dev, targets, error);
  if (g_str_equal (kind, "interface"))
    return validate_interface (dev, error);
  if (g_str_equal (kind, "graphics"))
    {
      if (!vmd_xml_has_attr (dev, "type"))
        return INVALID (error, _("A graphical display has no type, such as type='vnc' or type='spice'."));
      return check_value (dev, NULL, "type", graphics_types, _("display type"), error);
    }
  if (g_str_equal (kind, "video"))
    return check_value (dev, "model", "type", video_models, _("video model"), error);
  if (g_str_equal (kind, "sound"))
    return check_value (dev, NULL, "model", sound_models, _("sound model"), error);
  if (g_str_equal (kind, "input"))
    return check_value (dev, NULL, "type", input_types, _("input device type"), error) &&
           check_value (dev, NULL, "bus", input_buses, _("input bus"), error);
  if (g_str_equal (kind, "controller"))
    {
      if (!vmd_xml_has_attr (dev, "type"))
        return INVALID (error, _("A controller has no type, such as type='usb'."));
      return check_value (dev, NULL, "type", controller_types, _("controller type"), error);
    }
  if (g_str_equal (kind, "watchdog"))
    return check_value (dev, NULL, "model", watchdog_models, _("watchdog model"), error) &&
           check_value (dev, NULL, "action", watchdog_actions, _("watchdog action"), error);
  if (g_str_equal (kind, "rng"))
    return check_value (dev, NULL, "model", rng_models, _("random number generator model"),
                        error);
  if (g_str_equal (kind, "tpm"))
    return check_value (dev, NULL, "model", tpm_models, _("TPM model"), error);
  if (g_str_equal (kind, "memballoon"))
    return check_value (dev, NULL, "model", memballoon_models, _("memory balloon model"), error);
  if (g_str_equal (kind, "serial") || g_str_equal (kind, "console") ||
      g_str_equal (kind, "channel") || g_str_equal (kind, "parallel"))
    return check_value (dev, NULL, "type", chardev_types, _("character device type"), error);
  return TRUE;
}

static gboolean
validate_devices (xmlNodePtr root, GError **error)
{
  g_autoptr (GHashTable) targets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  xmlNodePtr devices = vmd_xml_child (root, "devices");

  for (xmlNodePtr dev = vmd_xml_child (devices, NULL); dev; dev = vmd_xml_next_element (dev, NULL))
    if (!validate_device (dev, targets, error))
      return FALSE;
  return TRUE;
}

/**
 * vmd_domain_config_validate:
 *
 * Checks the definition for the mistakes users make: names, sizes and
 * units, CPU counts, duplicate disk targets, unknown buses and models,
 * missing required attributes.
 *
 * Returns: %TRUE if valid; otherwise %FALSE with @error (%VMD_MODEL_ERROR_INVALID)
 *   naming the first problem
 */
gboolean
vmd_domain_config_validate (VmdDomainConfig *self, GError **error)
{
  xmlNodePtr root;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), FALSE);

  root = _vmd_domain_config_get_root (self);
  return validate_identity (root, error) &&
         validate_resources (root, error) &&
         validate_os (root, error) &&
         validate_devices (root, error);
}

/* ------------------------------------------------------------------ schema */

const char *
vmd_domain_config_get_default_schema_path (void)
{
  static const char path[] = "/usr/share/libvirt/schemas/domain.rng";

  return g_file_test (path, G_FILE_TEST_EXISTS) ? path : NULL;
}

typedef struct {
  char *message;
  int   line;
} SchemaState;

static void
schema_error (void *user_data, xmlErrorPtr err)
{
  SchemaState *state = user_data;
  int line;

  if (err == NULL || err->level < XML_ERR_ERROR)
    return;
  /* Validity errors often carry their node, not a line. */
  line = err->line;
  if (line <= 0 && err->node != NULL)
    line = (int) xmlGetLineNo ((xmlNodePtr) err->node);
  if (state->message == NULL)
    {
      state->message = g_strstrip (g_strdup (err->message ? err->message : ""));
      state->line = line;
    }
  else if (state->line <= 0 && line > 0)
    /* The first error has no place (an interleave's "Extra element"):
     * the errors that follow it name the element that holds it. */
    state->line = line;
}

static GMutex schema_lock;
static GHashTable *schemas;  /* path → xmlRelaxNGPtr */

static xmlRelaxNGPtr
get_schema (const char *path, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&schema_lock);
  SchemaState state = { 0 };
  xmlRelaxNGParserCtxtPtr pctxt;
  xmlRelaxNGPtr schema;

  if (schemas == NULL)
    schemas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  schema = g_hash_table_lookup (schemas, path);
  if (schema != NULL)
    return schema;

  pctxt = xmlRelaxNGNewParserCtxt (path);
  xmlRelaxNGSetParserStructuredErrors (pctxt, schema_error, &state);
  schema = xmlRelaxNGParse (pctxt);
  xmlRelaxNGFreeParserCtxt (pctxt);
  if (schema == NULL)
    {
      g_set_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_IO,
                   _("libvirt's schema %s could not be loaded: %s"), path,
                   state.message ? state.message : _("unknown error"));
      g_free (state.message);
      return NULL;
    }
  g_free (state.message);
  /* Schemas are kept for the life of the process: compiling one is slow. */
  g_hash_table_insert (schemas, g_strdup (path), schema);
  return schema;
}

/**
 * vmd_domain_config_validate_schema:
 * @schema_path: (nullable): a domain.rng, or %NULL for libvirt's installed one
 *
 * Validates the definition as it would be saved, so the line in the error
 * is the line of the text the user sees.
 *
 * Returns: %TRUE when valid, or when no schema is installed and
 *   @schema_path is %NULL
 */
gboolean
vmd_domain_config_validate_schema (VmdDomainConfig  *self,
                                   const char       *schema_path,
                                   GError          **error)
{
  g_autofree char *xml = NULL;
  SchemaState state = { 0 };
  xmlRelaxNGValidCtxtPtr vctxt;
  xmlRelaxNGPtr schema;
  xmlDocPtr doc;
  int ret;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), FALSE);

  if (schema_path == NULL)
    schema_path = vmd_domain_config_get_default_schema_path ();
  if (schema_path == NULL)
    return TRUE;

  schema = get_schema (schema_path, error);
  if (schema == NULL)
    return FALSE;

  xml = vmd_domain_config_to_xml (self);
  doc = vmd_xml_parse (xml, -1, NULL, error);
  if (doc == NULL)
    return FALSE;

  vctxt = xmlRelaxNGNewValidCtxt (schema);
  xmlRelaxNGSetValidStructuredErrors (vctxt, schema_error, &state);
  ret = xmlRelaxNGValidateDoc (vctxt, doc);
  xmlRelaxNGFreeValidCtxt (vctxt);
  /* Still no place: the root element's line, where the fault is within. */
  if (ret != 0 && state.line <= 0 && xmlDocGetRootElement (doc) != NULL)
    state.line = (int) xmlGetLineNo (xmlDocGetRootElement (doc));
  xmlFreeDoc (doc);

  if (ret != 0)
    {
      if (state.line > 0)
        g_set_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_SCHEMA,
                     _("The definition does not follow libvirt's schema: line %d: %s"),
                     state.line, state.message ? state.message : _("unknown error"));
      else
        g_set_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_SCHEMA,
                     _("The definition does not follow libvirt's schema: %s"),
                     state.message ? state.message : _("unknown error"));
      g_free (state.message);
      return FALSE;
    }
  g_free (state.message);
  return TRUE;
}
