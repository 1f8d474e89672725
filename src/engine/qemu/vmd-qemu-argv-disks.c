/* vmd-qemu-argv-disks.c: disks, CD-ROMs, floppies and their controllers
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each medium is a -blockdev chain (a protocol node and, unless it is a
 * plain raw image, a format node) and each drive a -device on its bus,
 * named and ordered as libvirt names and orders them.
 */
#define G_LOG_DOMAIN "vmdesk-argv"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vmd-qemu-argv-private.h"
#include "vmd-xml.h"

/* ----------------------------------------------------------- disk names */

/* libvirt's virDiskNameToIndex: "sdb" → 1, "hdaa" → 26; -1 if not a
 * disk name. */
static gint
disk_name_index (const char *name)
{
  static const char *const prefixes[] = { "fd", "hd", "vd", "sd", "xvd", "ubd", NULL };
  const char *p = NULL;
  gint64 index = 0;
  guint n = 0;

  if (name == NULL)
    return -1;
  for (guint i = 0; prefixes[i] && p == NULL; i++)
    if (g_str_has_prefix (name, prefixes[i]))
      p = name + strlen (prefixes[i]);
  if (p == NULL)
    return -1;
  for (; *p >= 'a' && *p <= 'z'; p++, n++)
    {
      index = (index + (n < 1 ? 0 : 1)) * 26 + (*p - 'a');
      if (index > G_MAXINT / 27)
        return -1;
    }
  if (n == 0)
    return -1;
  p += strspn (p, "0123456789");
  if (*p != '\0')
    return -1;
  return (gint) index;
}

/* The disk's bus, from <target bus> or, as libvirt does, its name. */
char *
_vmd_argv_disk_bus (xmlNodePtr disk)
{
  g_autofree char *bus = vmd_xml_get_attr_at (disk, "target", "bus");
  g_autofree char *dev = vmd_xml_get_attr_at (disk, "target", "dev");
  g_autofree char *device = vmd_xml_get_attr (disk, "device");

  if (bus != NULL)
    return g_steal_pointer (&bus);
  if (g_strcmp0 (device, "floppy") == 0)
    return g_strdup ("fdc");
  if (dev != NULL)
    {
      if (g_str_has_prefix (dev, "hd"))
        return g_strdup ("ide");
      if (g_str_has_prefix (dev, "sd"))
        return g_strdup ("scsi");
      if (g_str_has_prefix (dev, "vd"))
        return g_strdup ("virtio");
      if (g_str_has_prefix (dev, "fd"))
        return g_strdup ("fdc");
      if (g_str_has_prefix (dev, "xvd"))
        return g_strdup ("xen");
      if (g_str_has_prefix (dev, "ubd"))
        return g_strdup ("uml");
    }
  return g_strdup ("ide");
}

typedef struct
{
  guint controller;
  guint bus;
  guint target;
  guint unit;
} DriveAddress;

/* The drive address of a disk on a bus with addresses: the definition's,
 * or the one libvirt derives from the disk's name. */
static DriveAddress
disk_drive_address (xmlNodePtr disk, const char *bus)
{
  xmlNodePtr address = vmd_xml_child (disk, "address");
  g_autofree char *type = vmd_xml_get_attr (address, "type");
  g_autofree char *dev = vmd_xml_get_attr_at (disk, "target", "dev");
  DriveAddress a = { 0 };
  gint index;

  if (g_strcmp0 (type, "drive") == 0)
    {
      a.controller = (guint) vmd_xml_get_uint_attr_at (address, NULL, "controller", 0);
      a.bus = (guint) vmd_xml_get_uint_attr_at (address, NULL, "bus", 0);
      a.target = (guint) vmd_xml_get_uint_attr_at (address, NULL, "target", 0);
      a.unit = (guint) vmd_xml_get_uint_attr_at (address, NULL, "unit", 0);
      return a;
    }

  index = MAX (disk_name_index (dev), 0);
  if (g_str_equal (bus, "ide"))
    {
      a.controller = index / 4;
      a.bus = (index % 4) / 2;
      a.unit = index % 2;
    }
  else if (g_str_equal (bus, "sata"))
    {
      a.controller = index / 6;
      a.unit = index % 6;
    }
  else if (g_str_equal (bus, "fdc"))
    {
      a.controller = index / 2;
      a.unit = index % 2;
    }
  else if (g_str_equal (bus, "scsi"))
    {
      /* A wide SCSI bus: 15 units, the controller itself being unit 7. */
      a.controller = index / 15;
      a.unit = index % 15;
      if (a.unit >= 7)
        a.unit++;
    }
  return a;
}

static char *
scsi_controller_model (xmlNodePtr devices, guint index)
{
  for (xmlNodePtr c = vmd_xml_child (devices, "controller"); c;
       c = vmd_xml_next_element (c, "controller"))
    {
      g_autofree char *type = vmd_xml_get_attr (c, "type");
      if (g_strcmp0 (type, "scsi") == 0 &&
          _vmd_argv_controller_index (c) == index)
        {
          g_autofree char *model = vmd_xml_get_attr (c, "model");
          if (model == NULL || g_str_equal (model, "auto") || g_str_equal (model, "default"))
            return g_strdup ("lsilogic");
          return g_steal_pointer (&model);
        }
    }
  /* libvirt's implicit SCSI controller on x86. */
  return g_strdup ("lsilogic");
}

char *
_vmd_argv_disk_id (xmlNodePtr disk)
{
  g_autofree char *bus = _vmd_argv_disk_bus (disk);
  g_autofree char *dev = vmd_xml_get_attr_at (disk, "target", "dev");
  DriveAddress a = disk_drive_address (disk, bus);
  gint index;

  if (g_str_equal (bus, "ide") || g_str_equal (bus, "sata") || g_str_equal (bus, "fdc"))
    return g_strdup_printf ("%s%u-%u-%u", bus, a.controller, a.bus, a.unit);
  if (g_str_equal (bus, "scsi"))
    {
      g_autofree char *model = scsi_controller_model (disk->parent, a.controller);
      if (g_str_equal (model, "lsilogic"))
        return g_strdup_printf ("scsi%u-%u-%u", a.controller, a.bus, a.unit);
      return g_strdup_printf ("scsi%u-%u-%u-%u", a.controller, a.bus, a.target, a.unit);
    }

  index = disk_name_index (dev);
  if (index < 0)
    {
      /* Not a libvirt disk name: count the disks on the same bus. */
      index = 0;
      for (xmlNodePtr p = disk->prev; p; p = p->prev)
        if (p->type == XML_ELEMENT_NODE && xmlStrEqual (p->name, (const xmlChar *) "disk"))
          {
            g_autofree char *other = _vmd_argv_disk_bus (p);
            if (g_str_equal (other, bus))
              index++;
          }
    }
  return g_strdup_printf ("%s-disk%d", bus, index);
}

/* The disks in libvirt's order: grouped by bus as the definition lists
 * them, each group sorted by name (virDomainDiskInsert). The order sets
 * which disk <boot dev='hd'/> means. */
GPtrArray *
_vmd_argv_sorted_disks (xmlNodePtr devices)
{
  GPtrArray *disks = g_ptr_array_new ();

  for (xmlNodePtr d = vmd_xml_child (devices, "disk"); d; d = vmd_xml_next_element (d, "disk"))
    {
      g_autofree char *bus = _vmd_argv_disk_bus (d);
      g_autofree char *dev = vmd_xml_get_attr_at (d, "target", "dev");
      gint index = disk_name_index (dev);
      gint insert_at = -1;

      for (gint i = (gint) disks->len - 1; i >= 0; i--)
        {
          xmlNodePtr other = g_ptr_array_index (disks, i);
          g_autofree char *other_bus = _vmd_argv_disk_bus (other);
          g_autofree char *other_dev = vmd_xml_get_attr_at (other, "target", "dev");

          if (!g_str_equal (bus, other_bus))
            continue;
          if (disk_name_index (other_dev) > index)
            insert_at = i;
          else if (insert_at == -1)
            insert_at = i + 1;
        }
      if (insert_at < 0)
        g_ptr_array_add (disks, d);
      else
        g_ptr_array_insert (disks, insert_at, d);
    }
  return disks;
}

/* -------------------------------------------------------- controllers */

static gboolean
controller_driver_opts (xmlNodePtr controller, JsonObject *props, GError **error)
{
  static const char *const allowed[] = {
    "queues", "cmd_per_lun", "max_sectors", "ioeventfd", "iommu", "ats", "packed",
    "page_per_vq", "iothread", NULL
  };
  xmlNodePtr driver = vmd_xml_child (controller, "driver");

  if (driver == NULL)
    return TRUE;
  for (xmlAttrPtr a = driver->properties; a; a = a->next)
    {
      gboolean ok = FALSE;
      for (guint i = 0; allowed[i] && !ok; i++)
        ok = xmlStrEqual (a->name, (const xmlChar *) allowed[i]);
      if (!ok)
        return _vmd_argv_unsupported (error,
                                      _("The embedded engine cannot run a controller with the driver option '%s' (<driver %s=…>); use libvirt for this virtual machine."),
                                      (const char *) a->name, (const char *) a->name);
    }
  for (xmlNodePtr c = driver->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE)
      return _vmd_argv_unsupported (error,
                                    _("The embedded engine cannot run a controller with <%s> in its driver; use libvirt for this virtual machine."),
                                    (const char *) c->name);
  if (vmd_xml_has_attr (driver, "iothread"))
    {
      g_autofree char *iothread = g_strdup_printf ("iothread%" G_GUINT64_FORMAT,
                                                   vmd_xml_get_uint_attr_at (driver, NULL, "iothread", 0));
      _vmd_json_str (props, "iothread", iothread);
    }
  if (vmd_xml_has_attr (driver, "queues"))
    _vmd_json_int (props, "num_queues", (gint64) vmd_xml_get_uint_attr_at (driver, NULL, "queues", 1));
  if (vmd_xml_has_attr (driver, "cmd_per_lun"))
    _vmd_json_int (props, "cmd_per_lun", (gint64) vmd_xml_get_uint_attr_at (driver, NULL, "cmd_per_lun", 0));
  if (vmd_xml_has_attr (driver, "max_sectors"))
    _vmd_json_int (props, "max_sectors", (gint64) vmd_xml_get_uint_attr_at (driver, NULL, "max_sectors", 0));
  if (vmd_xml_has_attr (driver, "ioeventfd"))
    _vmd_json_bool (props, "ioeventfd", _vmd_argv_yes (driver, NULL, "ioeventfd"));
  _vmd_argv_virtio_options (controller, props);
  return TRUE;
}

static gboolean
disks_use_bus (xmlNodePtr devices, const char *bus, guint controller)
{
  for (xmlNodePtr d = vmd_xml_child (devices, "disk"); d; d = vmd_xml_next_element (d, "disk"))
    {
      g_autofree char *b = _vmd_argv_disk_bus (d);
      if (g_str_equal (b, bus) && disk_drive_address (d, b).controller == controller)
        return TRUE;
    }
  return FALSE;
}

static gboolean
build_scsi_controller (VmdArgvBuilder *b, xmlNodePtr node, guint index, GError **error)
{
  static const struct { const char *model; const char *driver; gboolean pcie; } models[] = {
    { "lsilogic", "lsi", FALSE },
    { "lsisas1068", "mptsas1068", FALSE },
    { "lsisas1078", "megasas", FALSE },
    { "vmpvscsi", "pvscsi", FALSE },
    { "virtio-scsi", "virtio-scsi-pci", TRUE },
    { "virtio-transitional", "virtio-scsi-pci-transitional", TRUE },
    { "virtio-non-transitional", "virtio-scsi-pci-non-transitional", TRUE },
  };
  g_autofree char *model = scsi_controller_model (b->devices, index);
  g_autofree char *id = NULL;
  const char *driver = NULL;
  gboolean pcie = FALSE;
  JsonObject *props;

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    if (g_str_equal (models[i].model, model))
      {
        driver = models[i].driver;
        pcie = models[i].pcie;
      }
  if (driver == NULL)
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot run a SCSI controller of model '%s' (<controller type='scsi' model='%s'>); use libvirt for this virtual machine."),
                                  model, model);

  id = node ? _vmd_argv_device_id_for_node (b->devices, node) : g_strdup_printf ("scsi%u", index);
  props = _vmd_json_new ();
  _vmd_json_str (props, "driver", driver);
  _vmd_json_str (props, "id", id);
  if ((node != NULL && !controller_driver_opts (node, props, error)) ||
      !_vmd_argv_place_pci (b, node, props, pcie, error))
    {
      json_object_unref (props);
      return FALSE;
    }
  g_hash_table_insert (b->scsi_models, GUINT_TO_POINTER (index), g_steal_pointer (&model));
  _vmd_argv_add_json (b->args, "-device", props);
  return TRUE;
}

gboolean
_vmd_argv_build_storage_controllers (VmdArgvBuilder *b, GError **error)
{
  guint max_scsi = 0;
  gboolean any_scsi = FALSE;

  for (xmlNodePtr c = vmd_xml_child (b->devices, "controller"); c;
       c = vmd_xml_next_element (c, "controller"))
    {
      g_autofree char *type = vmd_xml_get_attr (c, "type");
      g_autofree char *model = vmd_xml_get_attr (c, "model");
      guint index = _vmd_argv_controller_index (c);

      if (g_strcmp0 (type, "scsi") == 0)
        {
          if (!build_scsi_controller (b, c, index, error))
            return FALSE;
        }
      else if (g_strcmp0 (type, "sata") == 0)
        {
          /* q35 has its AHCI built in, as "ide". */
          if (index == 0 && b->q35)
            {
              g_hash_table_insert (b->sata_ctrls, GUINT_TO_POINTER (0), GUINT_TO_POINTER (1));
              continue;
            }
          {
            g_autofree char *id = _vmd_argv_device_id_for_node (b->devices, c);
            JsonObject *props = _vmd_json_new ();

            _vmd_json_str (props, "driver", "ahci");
            _vmd_json_str (props, "id", id);
            if (!_vmd_argv_place_pci (b, c, props, FALSE, error))
              {
                json_object_unref (props);
                return FALSE;
              }
            _vmd_argv_add_json (b->args, "-device", props);
            g_hash_table_insert (b->sata_ctrls, GUINT_TO_POINTER (index), GUINT_TO_POINTER (1));
          }
        }
      else if (g_strcmp0 (type, "ide") == 0)
        {
          if (index > 0 || b->q35)
            return _vmd_argv_unsupported (error,
                                          _("The embedded engine runs only the IDE controller built into the pc machine type (<controller type='ide' index='%u'>); use SATA instead."),
                                          index);
        }
      else if (g_strcmp0 (type, "fdc") == 0)
        {
          if (index > 0)
            return _vmd_argv_unsupported (error,
                                          _("The embedded engine runs only one floppy controller (<controller type='fdc' index='%u'>)."),
                                          index);
        }
    }

  /* Controllers the disks need and the definition leaves implicit. */
  for (xmlNodePtr d = vmd_xml_child (b->devices, "disk"); d; d = vmd_xml_next_element (d, "disk"))
    {
      g_autofree char *bus = _vmd_argv_disk_bus (d);
      if (g_str_equal (bus, "scsi"))
        {
          DriveAddress a = disk_drive_address (d, bus);
          max_scsi = MAX (max_scsi, a.controller);
          any_scsi = TRUE;
        }
    }
  for (guint i = 0; any_scsi && i <= max_scsi; i++)
    if (!g_hash_table_contains (b->scsi_models, GUINT_TO_POINTER (i)) &&
        disks_use_bus (b->devices, "scsi", i))
      if (!build_scsi_controller (b, NULL, i, error))
        return FALSE;

  for (xmlNodePtr d = vmd_xml_child (b->devices, "disk"); d; d = vmd_xml_next_element (d, "disk"))
    {
      g_autofree char *bus = _vmd_argv_disk_bus (d);
      DriveAddress a;

      if (!g_str_equal (bus, "sata"))
        continue;
      a = disk_drive_address (d, bus);
      if (g_hash_table_contains (b->sata_ctrls, GUINT_TO_POINTER (a.controller)))
        continue;
      if (a.controller == 0 && b->q35)
        {
          g_hash_table_insert (b->sata_ctrls, GUINT_TO_POINTER (0), GUINT_TO_POINTER (1));
          continue;
        }
      {
        g_autofree char *id = g_strdup_printf ("sata%u", a.controller);
        JsonObject *props = _vmd_json_new ();

        _vmd_json_str (props, "driver", "ahci");
        _vmd_json_str (props, "id", id);
        if (!_vmd_argv_place_pci (b, NULL, props, FALSE, error))
          {
            json_object_unref (props);
            return FALSE;
          }
        _vmd_argv_add_json (b->args, "-device", props);
        g_hash_table_insert (b->sata_ctrls, GUINT_TO_POINTER (a.controller), GUINT_TO_POINTER (1));
      }
    }
  return TRUE;
}

/* ---------------------------------------------------------------- disks */

static const char *const disk_children[] = {
  "driver", "source", "target", "readonly", "shareable", "serial", "address", "boot",
  "alias", "wwn", "vendor", "product", "geometry", "blockio", "backingStore", "mirror",
  "acpi", NULL
};

static const char *const driver_attrs[] = {
  "name", "type", "cache", "io", "discard", "detect_zeroes", "copy_on_read", "error_policy",
  "rerror_policy", "queues", "queue_size", "ioeventfd", "event_idx", "iommu", "ats",
  "packed", "page_per_vq", "iothread", NULL
};

static gboolean
check_disk (xmlNodePtr disk, GError **error)
{
  g_autofree char *type = vmd_xml_get_attr (disk, "type");
  xmlNodePtr driver = vmd_xml_child (disk, "driver");

  if (type == NULL)
    type = g_strdup ("file");
  if (g_str_equal (type, "network"))
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot run a disk of type 'network' (<disk type='network'>); use libvirt for this virtual machine."));
  if (g_str_equal (type, "volume"))
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot run a disk from a libvirt storage pool (<disk type='volume'>); use libvirt for this virtual machine."));
  if (!g_str_equal (type, "file") && !g_str_equal (type, "block"))
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot run a disk of type '%s' (<disk type='%s'>); use libvirt for this virtual machine."),
                                  type, type);

  for (xmlNodePtr c = disk->children; c; c = c->next)
    {
      gboolean ok = FALSE;

      if (c->type != XML_ELEMENT_NODE)
        continue;
      for (guint i = 0; disk_children[i] && !ok; i++)
        ok = xmlStrEqual (c->name, (const xmlChar *) disk_children[i]);
      if (!ok)
        return _vmd_argv_unsupported (error,
                                      _("The embedded engine cannot run a disk with <%s>; use libvirt for this virtual machine."),
                                      (const char *) c->name);
    }
  for (xmlNodePtr c = driver ? driver->children : NULL; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE)
      return _vmd_argv_unsupported (error,
                                    _("The embedded engine cannot run a disk whose driver has <%s>; use libvirt for this virtual machine."),
                                    (const char *) c->name);
  for (xmlAttrPtr a = driver ? driver->properties : NULL; a; a = a->next)
    {
      gboolean ok = FALSE;
      for (guint i = 0; driver_attrs[i] && !ok; i++)
        ok = xmlStrEqual (a->name, (const xmlChar *) driver_attrs[i]);
      if (!ok)
        return _vmd_argv_unsupported (error,
                                      _("The embedded engine cannot run a disk with the driver option '%s' (<driver %s=…>); use libvirt for this virtual machine."),
                                      (const char *) a->name, (const char *) a->name);
    }
  {
    xmlNodePtr source = vmd_xml_child (disk, "source");
    for (xmlNodePtr c = source ? source->children : NULL; c; c = c->next)
      /* Security labels are libvirt's business. */
      if (c->type == XML_ELEMENT_NODE && !xmlStrEqual (c->name, (const xmlChar *) "seclabel"))
        return _vmd_argv_unsupported (error,
                                      _("The embedded engine cannot run a disk whose source has <%s>; use libvirt for this virtual machine."),
                                      (const char *) c->name);
  }
  return TRUE;
}

/* The cache mode: the definition's, or "none" for a disk shared between
 * VMs, which must not cache what another one writes (as libvirt). */
static char *
disk_cache (xmlNodePtr disk)
{
  char *cache = vmd_xml_get_attr_at (disk, "driver", "cache");

  if ((cache == NULL || g_str_equal (cache, "default")) &&
      vmd_xml_child (disk, "shareable") != NULL && vmd_xml_child (disk, "readonly") == NULL)
    {
      g_free (cache);
      cache = g_strdup ("none");
    }
  return cache;
}

/* cache= → the blockdev cache flags and the device's write cache. */
static gboolean
cache_mode (const char *cache, gboolean *direct, gboolean *no_flush, gboolean *write_cache)
{
  static const struct { const char *name; gboolean direct, no_flush, write_cache; } modes[] = {
    { "writeback", FALSE, FALSE, TRUE },
    { "none", TRUE, FALSE, TRUE },
    { "writethrough", FALSE, FALSE, FALSE },
    { "directsync", TRUE, FALSE, FALSE },
    { "unsafe", FALSE, TRUE, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    if (g_str_equal (cache, modes[i].name))
      {
        *direct = modes[i].direct;
        *no_flush = modes[i].no_flush;
        *write_cache = modes[i].write_cache;
        return TRUE;
      }
  return FALSE;
}

static JsonObject *
cache_object (gboolean direct, gboolean no_flush)
{
  JsonObject *cache = json_object_new ();

  json_object_set_boolean_member (cache, "direct", direct);
  json_object_set_boolean_member (cache, "no-flush", no_flush);
  return cache;
}

static gboolean
format_supported (const char *format)
{
  static const char *const formats[] = {
    "raw", "qcow2", "qcow", "qed", "vmdk", "vdi", "vpc", "vhdx", "bochs", "cloop", "dmg",
    "parallels", NULL
  };
  return g_strv_contains (formats, format);
}

/* The -blockdev chain of a disk with a medium; returns the node the
 * device attaches to. */
static char *
build_blockdevs (VmdArgvBuilder *b, xmlNodePtr disk, GError **error)
{
  g_autofree char *type = vmd_xml_get_attr (disk, "type");
  g_autofree char *device = vmd_xml_get_attr (disk, "device");
  xmlNodePtr driver = vmd_xml_child (disk, "driver");
  g_autofree char *format = vmd_xml_get_attr (driver, "type");
  g_autofree char *cache = disk_cache (disk);
  g_autofree char *io = vmd_xml_get_attr (driver, "io");
  g_autofree char *discard = vmd_xml_get_attr (driver, "discard");
  g_autofree char *zeroes = vmd_xml_get_attr (driver, "detect_zeroes");
  g_autofree char *path = NULL;
  g_autofree char *storage = NULL;
  g_autofree char *fmt_node = NULL;
  gboolean readonly = vmd_xml_child (disk, "readonly") != NULL ||
                      g_strcmp0 (device, "cdrom") == 0;
  gboolean direct = FALSE, no_flush = FALSE, write_cache = FALSE;
  gboolean format_layer;
  const char *protocol;
  JsonObject *props;

  if (type == NULL || g_str_equal (type, "file"))
    {
      path = vmd_xml_get_attr_at (disk, "source", "file");
      protocol = "file";
    }
  else
    {
      g_autofree char *base = NULL;

      path = vmd_xml_get_attr_at (disk, "source", "dev");
      base = path ? g_path_get_basename (path) : NULL;
      /* A real optical drive, so QEMU follows its medium and tray;
       * libvirt asks the device itself, vmdesk goes by its name. */
      if (g_strcmp0 (device, "cdrom") == 0 && base != NULL &&
          (g_str_has_prefix (base, "sr") || g_str_has_prefix (base, "scd") ||
           g_str_has_prefix (base, "cdrom") || g_str_has_prefix (base, "dvd")))
        protocol = "host_cdrom";
      else
        protocol = "host_device";
    }
  if (path == NULL)
    return NULL;

  if (format == NULL || g_str_equal (format, "iso") || g_str_equal (format, "aio"))
    _vmd_argv_set_str (&format, "raw");
  if (!format_supported (format))
    {
      _vmd_argv_unsupported (error,
                             _("The embedded engine cannot open disk images of format '%s' (<driver type='%s'>); use libvirt for this virtual machine."),
                             format, format);
      return NULL;
    }
  if (cache != NULL && !g_str_equal (cache, "default") &&
      !cache_mode (cache, &direct, &no_flush, &write_cache))
    {
      _vmd_argv_invalid (error, _("The disk %s has the unknown cache mode '%s'."), path, cache);
      return NULL;
    }
  if (g_strcmp0 (cache, "default") == 0)
    g_clear_pointer (&cache, g_free);
  if (io != NULL && !g_str_equal (io, "native") && !g_str_equal (io, "threads") &&
      !g_str_equal (io, "io_uring") && !g_str_equal (io, "default"))
    {
      _vmd_argv_invalid (error, _("The disk %s has the unknown I/O mode '%s'."), path, io);
      return NULL;
    }
  if (g_strcmp0 (io, "default") == 0)
    g_clear_pointer (&io, g_free);
  if (g_strcmp0 (io, "native") == 0 && !direct)
    {
      _vmd_argv_invalid (error,
                         _("The disk %s uses native I/O, which needs the cache mode 'none' or 'directsync'."),
                         path);
      return NULL;
    }
  if (discard != NULL && !g_str_equal (discard, "unmap") && !g_str_equal (discard, "ignore"))
    g_clear_pointer (&discard, g_free);

  format_layer = !g_str_equal (format, "raw");
  b->next_node++;
  storage = g_strdup_printf ("vmd-%u-storage", b->next_node);
  fmt_node = g_strdup_printf ("vmd-%u-format", b->next_node);

  props = _vmd_json_new ();
  _vmd_json_str (props, "driver", protocol);
  _vmd_json_str (props, "filename", path);
  if (io != NULL)
    _vmd_json_str (props, "aio", io);
  _vmd_json_str (props, "node-name", storage);
  if (format_layer)
    {
      _vmd_json_bool (props, "auto-read-only", TRUE);
      _vmd_json_str (props, "discard", "unmap");
    }
  else
    {
      _vmd_json_bool (props, "read-only", readonly);
      if (discard != NULL)
        _vmd_json_str (props, "discard", discard);
      if (zeroes != NULL && !g_str_equal (zeroes, "off"))
        _vmd_json_str (props, "detect-zeroes",
                       g_str_equal (zeroes, "unmap") && g_strcmp0 (discard, "unmap") != 0 ? "on" : zeroes);
    }
  if (cache != NULL)
    json_object_set_object_member (props, "cache", cache_object (direct, no_flush));
  _vmd_argv_add_json (b->args, "-blockdev", props);

  if (format_layer)
    {
      props = _vmd_json_new ();
      _vmd_json_str (props, "node-name", fmt_node);
      _vmd_json_bool (props, "read-only", readonly);
      if (cache != NULL)
        json_object_set_object_member (props, "cache", cache_object (direct, no_flush));
      if (discard != NULL)
        _vmd_json_str (props, "discard", discard);
      if (zeroes != NULL && !g_str_equal (zeroes, "off"))
        _vmd_json_str (props, "detect-zeroes",
                       g_str_equal (zeroes, "unmap") && g_strcmp0 (discard, "unmap") != 0 ? "on" : zeroes);
      _vmd_json_str (props, "driver", format);
      _vmd_json_str (props, "file", storage);
      _vmd_argv_add_json (b->args, "-blockdev", props);
    }

  if (_vmd_argv_yes (driver, NULL, "copy_on_read"))
    {
      g_autofree char *dev = vmd_xml_get_attr_at (disk, "target", "dev");
      g_autofree char *cor = g_strdup_printf ("vmd-%u-cor", b->next_node);

      props = _vmd_json_new ();
      _vmd_json_str (props, "driver", "copy-on-read");
      _vmd_json_str (props, "node-name", cor);
      _vmd_json_str (props, "file", format_layer ? fmt_node : storage);
      _vmd_json_str (props, "discard", "unmap");
      _vmd_argv_add_json (b->args, "-blockdev", props);
      return g_steal_pointer (&cor);
    }
  return g_strdup (format_layer ? fmt_node : storage);
}

/* What the device side of every bus shares: sharing, serial, cache,
 * error policy, geometry and block sizes. */
static void
device_common (xmlNodePtr disk, JsonObject *props, gboolean scsi)
{
  xmlNodePtr driver = vmd_xml_child (disk, "driver");
  g_autofree char *cache = disk_cache (disk);
  g_autofree char *serial = vmd_xml_get_text_at (disk, "serial");
  g_autofree char *werror = vmd_xml_get_attr (driver, "error_policy");
  g_autofree char *rerror = vmd_xml_get_attr (driver, "rerror_policy");
  g_autofree char *wwn = vmd_xml_get_text_at (disk, "wwn");
  g_autofree char *vendor = vmd_xml_get_text_at (disk, "vendor");
  g_autofree char *product = vmd_xml_get_text_at (disk, "product");
  xmlNodePtr geometry = vmd_xml_child (disk, "geometry");
  xmlNodePtr blockio = vmd_xml_child (disk, "blockio");
  guint64 rotation = vmd_xml_get_uint_attr_at (disk, "target", "rotation_rate", 0);
  gboolean direct, no_flush, write_cache;

  if (cache != NULL && cache_mode (cache, &direct, &no_flush, &write_cache))
    _vmd_json_str (props, "write-cache", write_cache ? "on" : "off");
  if (werror != NULL && !g_str_equal (werror, "default"))
    {
      _vmd_json_str (props, "werror", g_str_equal (werror, "enospace") ? "enospc" : werror);
      if (rerror == NULL && !g_str_equal (werror, "enospace"))
        rerror = g_strdup (werror);
    }
  if (rerror != NULL && !g_str_equal (rerror, "default") && !g_str_equal (rerror, "enospace"))
    _vmd_json_str (props, "rerror", rerror);
  if (serial != NULL)
    _vmd_json_str (props, "serial", serial);
  if (wwn != NULL)
    {
      guint64 value = g_ascii_strtoull (g_strstrip (wwn), NULL, 16);
      _vmd_json_int (props, "wwn", (gint64) value);
    }
  if (vendor != NULL && scsi)
    _vmd_json_str (props, "vendor", vendor);
  if (product != NULL && scsi)
    _vmd_json_str (props, "product", product);
  if (geometry != NULL)
    {
      g_autofree char *trans = vmd_xml_get_attr (geometry, "trans");
      _vmd_json_int (props, "cyls", (gint64) vmd_xml_get_uint_attr_at (geometry, NULL, "cyls", 0));
      _vmd_json_int (props, "heads", (gint64) vmd_xml_get_uint_attr_at (geometry, NULL, "heads", 0));
      _vmd_json_int (props, "secs", (gint64) vmd_xml_get_uint_attr_at (geometry, NULL, "secs", 0));
      if (trans != NULL && !g_str_equal (trans, "default"))
        _vmd_json_str (props, "bios-chs-trans", trans);
    }
  if (blockio != NULL)
    {
      static const char *const sizes[] = { "logical_block_size", "physical_block_size", "discard_granularity" };
      for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
        if (vmd_xml_has_attr (blockio, sizes[i]))
          _vmd_json_int (props, sizes[i], (gint64) vmd_xml_get_uint_attr_at (blockio, NULL, sizes[i], 0));
    }
  if (rotation > 0)
    _vmd_json_int (props, "rotation_rate", (gint64) rotation);
}

static gboolean
virtio_blk_opts (xmlNodePtr disk, JsonObject *props)
{
  xmlNodePtr driver = vmd_xml_child (disk, "driver");

  if (vmd_xml_has_attr (driver, "iothread"))
    {
      g_autofree char *iothread = g_strdup_printf ("iothread%" G_GUINT64_FORMAT,
                                                   vmd_xml_get_uint_attr_at (driver, NULL, "iothread", 0));
      _vmd_json_str (props, "iothread", iothread);
    }

  if (vmd_xml_has_attr (driver, "queues"))
    _vmd_json_int (props, "num-queues", (gint64) vmd_xml_get_uint_attr_at (driver, NULL, "queues", 1));
  if (vmd_xml_has_attr (driver, "queue_size"))
    _vmd_json_int (props, "queue-size", (gint64) vmd_xml_get_uint_attr_at (driver, NULL, "queue_size", 0));
  if (vmd_xml_has_attr (driver, "ioeventfd"))
    _vmd_json_bool (props, "ioeventfd", _vmd_argv_yes (driver, NULL, "ioeventfd"));
  if (vmd_xml_has_attr (driver, "event_idx"))
    _vmd_json_bool (props, "event_idx", _vmd_argv_yes (driver, NULL, "event_idx"));
  _vmd_argv_virtio_options (disk, props);
  return TRUE;
}

static gboolean
build_disk (VmdArgvBuilder *b, xmlNodePtr disk, GError **error)
{
  g_autofree char *bus = _vmd_argv_disk_bus (disk);
  g_autofree char *device = vmd_xml_get_attr (disk, "device");
  g_autofree char *id = _vmd_argv_device_id_for_node (b->devices, disk);
  g_autofree char *node = NULL;
  g_autofree char *model = vmd_xml_get_attr (disk, "model");
  g_autofree char *removable = vmd_xml_get_attr_at (disk, "target", "removable");
  gboolean cdrom, floppy, lun;
  gboolean shareable = vmd_xml_child (disk, "shareable") != NULL;
  DriveAddress a = disk_drive_address (disk, bus);
  JsonObject *props;
  GError *local = NULL;

  if (!check_disk (disk, error))
    return FALSE;
  if (device == NULL)
    device = g_strdup ("disk");
  cdrom = g_str_equal (device, "cdrom");
  floppy = g_str_equal (device, "floppy");
  lun = g_str_equal (device, "lun");
  if (!cdrom && !floppy && !lun && !g_str_equal (device, "disk"))
    return _vmd_argv_invalid (error, _("A disk has the unknown device kind '%s'."), device);
  if (floppy && !g_str_equal (bus, "fdc"))
    return _vmd_argv_invalid (error, _("A floppy disk must be on the floppy controller (bus 'fdc')."));
  if (lun && !g_str_equal (bus, "scsi"))
    return _vmd_argv_invalid (error, _("A LUN passed through must be on a SCSI bus."));

  node = build_blockdevs (b, disk, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (node == NULL && !cdrom && !floppy)
    return _vmd_argv_invalid (error, _("The disk %s has no source."), id);

  props = _vmd_json_new ();
  if (g_str_equal (bus, "ide"))
    {
      if (!b->i440fx)
        {
          json_object_unref (props);
          return _vmd_argv_unsupported (error,
                                        _("The q35 machine type has no IDE bus for the disk %s (<target bus='ide'>); use SATA."),
                                        id);
        }
      if (a.controller != 0 || a.bus > 1 || a.unit > 1)
        {
          json_object_unref (props);
          return _vmd_argv_invalid (error,
                                    _("The IDE disk %s has the address %u:%u:%u, which the pc machine type does not have."),
                                    id, a.controller, a.bus, a.unit);
        }
      {
        g_autofree char *ide_bus = g_strdup_printf ("ide.%u", a.bus);
        _vmd_json_str (props, "driver", cdrom ? "ide-cd" : "ide-hd");
        _vmd_json_str (props, "bus", ide_bus);
        _vmd_json_int (props, "unit", a.unit);
      }
    }
  else if (g_str_equal (bus, "sata"))
    {
      g_autofree char *sata_bus = NULL;

      if (a.unit > 5)
        {
          json_object_unref (props);
          return _vmd_argv_invalid (error, _("The SATA disk %s has the unit %u; a SATA controller has units 0 to 5."),
                                    id, a.unit);
        }
      if (a.controller == 0 && b->q35)
        sata_bus = g_strdup_printf ("ide.%u", a.unit);
      else
        sata_bus = g_strdup_printf ("sata%u.%u", a.controller, a.unit);
      _vmd_json_str (props, "driver", cdrom ? "ide-cd" : "ide-hd");
      _vmd_json_str (props, "bus", sata_bus);
    }
  else if (g_str_equal (bus, "fdc"))
    {
      if (a.unit > 1)
        {
          json_object_unref (props);
          return _vmd_argv_invalid (error, _("The floppy drive %s has the unit %u; there are units 0 and 1."),
                                    id, a.unit);
        }
      _vmd_json_str (props, "driver", "floppy");
      _vmd_json_int (props, "unit", a.unit);
      b->need_isa_fdc = TRUE;
    }
  else if (g_str_equal (bus, "scsi"))
    {
      const char *model_name = g_hash_table_lookup (b->scsi_models, GUINT_TO_POINTER (a.controller));
      g_autofree char *scsi_bus = g_strdup_printf ("scsi%u.%u", a.controller, a.bus);

      if (model_name == NULL)
        {
          json_object_unref (props);
          return _vmd_argv_invalid (error, _("The SCSI disk %s names the SCSI controller %u, which the definition does not have."),
                                    id, a.controller);
        }
      _vmd_json_str (props, "driver", lun ? "scsi-block" : cdrom ? "scsi-cd" : "scsi-hd");
      _vmd_json_str (props, "bus", scsi_bus);
      if (g_str_equal (model_name, "lsilogic"))
        {
          _vmd_json_int (props, "scsi-id", a.unit);
        }
      else
        {
          _vmd_json_int (props, "channel", a.bus);
          _vmd_json_int (props, "scsi-id", a.target);
          _vmd_json_int (props, "lun", a.unit);
        }
      if (!lun)
        {
          g_autofree char *serial = vmd_xml_get_text_at (disk, "serial");
          g_autofree char *device_id = g_strdup_printf ("drive-%s", id);
          _vmd_json_str (props, "device_id", serial ? serial : device_id);
        }
    }
  else if (g_str_equal (bus, "virtio"))
    {
      if (cdrom)
        {
          json_object_unref (props);
          return _vmd_argv_invalid (error, _("A CD-ROM cannot be on the virtio bus; use SATA or SCSI."));
        }
      if (model != NULL && g_str_equal (model, "virtio-transitional"))
        _vmd_json_str (props, "driver", "virtio-blk-pci-transitional");
      else if (model != NULL && g_str_equal (model, "virtio-non-transitional"))
        _vmd_json_str (props, "driver", "virtio-blk-pci-non-transitional");
      else
        _vmd_json_str (props, "driver", "virtio-blk-pci");
      virtio_blk_opts (disk, props);
      if (!_vmd_argv_place_pci (b, disk, props, TRUE, error))
        {
          json_object_unref (props);
          return FALSE;
        }
    }
  else if (g_str_equal (bus, "usb"))
    {
      _vmd_json_str (props, "driver", "usb-storage");
      if (!_vmd_argv_place_usb (b, disk, props, error))
        {
          json_object_unref (props);
          return FALSE;
        }
    }
  else if (g_str_equal (bus, "nvme"))
    {
      g_autofree char *serial = vmd_xml_get_text_at (disk, "serial");
      g_autofree char *dev = vmd_xml_get_attr_at (disk, "target", "dev");

      /* QEMU's NVMe controller needs a serial number. */
      _vmd_json_str (props, "driver", "nvme");
      _vmd_json_str (props, "serial", serial ? serial : dev ? dev : id);
      if (!_vmd_argv_place_pci (b, disk, props, TRUE, error))
        {
          json_object_unref (props);
          return FALSE;
        }
    }
  else
    {
      json_object_unref (props);
      return _vmd_argv_unsupported (error,
                                    _("The embedded engine cannot run a disk on the '%s' bus (<target bus='%s'>); use libvirt for this virtual machine."),
                                    bus, bus);
    }

  if (shareable)
    _vmd_json_bool (props, "share-rw", TRUE);
  if (node != NULL)
    _vmd_json_str (props, "drive", node);
  _vmd_json_str (props, "id", id);

  if (floppy)
    {
      guint index = GPOINTER_TO_UINT (g_hash_table_lookup (b->bootindex, disk));
      if (index > 0)
        b->fdc_boot[a.unit] = index;
    }
  else
    {
      _vmd_argv_set_bootindex (b, disk, props);
    }

  if (g_str_equal (bus, "usb"))
    _vmd_json_bool (props, "removable", g_strcmp0 (removable, "on") == 0);
  else if (g_str_equal (bus, "scsi") && g_strcmp0 (removable, "on") == 0)
    _vmd_json_bool (props, "removable", TRUE);

  if (!g_str_equal (bus, "nvme"))
    device_common (disk, props, g_str_equal (bus, "scsi"));
  else
    {
      g_autofree char *cache = disk_cache (disk);
      gboolean direct, no_flush, write_cache;
      if (cache != NULL && cache_mode (cache, &direct, &no_flush, &write_cache))
        _vmd_json_str (props, "write-cache", write_cache ? "on" : "off");
    }
  _vmd_argv_add_json (b->args, "-device", props);
  return TRUE;
}

gboolean
_vmd_argv_build_disks (VmdArgvBuilder *b, GError **error)
{
  g_autoptr (GPtrArray) disks = _vmd_argv_sorted_disks (b->devices);
  g_autoptr (GPtrArray) fdc_args = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *saved = b->args;
  gboolean ok = TRUE;

  /* Floppies come after their controller, which needs to know which
   * drive boots: build them aside and add them last. */
  for (guint i = 0; i < disks->len && ok; i++)
    {
      xmlNodePtr disk = g_ptr_array_index (disks, i);
      g_autofree char *bus = _vmd_argv_disk_bus (disk);

      b->args = g_str_equal (bus, "fdc") ? fdc_args : saved;
      ok = build_disk (b, disk, error);
    }
  b->args = saved;
  if (!ok)
    return FALSE;

  if (b->need_isa_fdc)
    {
      if (b->q35)
        {
          /* q35 has no floppy controller of its own. */
          JsonObject *props = _vmd_json_new ();
          _vmd_json_str (props, "driver", "isa-fdc");
          if (b->fdc_boot[0])
            _vmd_json_int (props, "bootindexA", b->fdc_boot[0]);
          if (b->fdc_boot[1])
            _vmd_json_int (props, "bootindexB", b->fdc_boot[1]);
          _vmd_argv_add_json (b->args, "-device", props);
        }
      else
        {
          for (guint u = 0; u < 2; u++)
            if (b->fdc_boot[u])
              {
                g_autofree char *global = g_strdup_printf ("isa-fdc.bootindex%c=%u", 'A' + u, b->fdc_boot[u]);
                _vmd_argv_add (b->args, "-global", global);
              }
        }
    }
  g_ptr_array_extend_and_steal (b->args, g_steal_pointer (&fdc_args));
  return TRUE;
}
