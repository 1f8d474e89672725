/* vmd-device-disk.c: a disk, CD-ROM, floppy or LUN
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include <string.h>

#include "vmd-device-disk.h"
#include "vmd-device-private.h"
#include "vmd-domain-config.h"

struct _VmdDeviceDisk
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceDisk, vmd_device_disk, VMD_TYPE_DEVICE)

#define DEV(self) VMD_DEVICE (self)

/* The source attribute that names the medium, by disk type. */
static const char *
source_attribute (VmdDeviceDisk *self)
{
  g_autofree char *type = vmd_device_disk_get_disk_type (self);

  if (type == NULL || g_str_equal (type, "file"))
    return "file";
  if (g_str_equal (type, "block"))
    return "dev";
  if (g_str_equal (type, "dir"))
    return "dir";
  if (g_str_equal (type, "volume"))
    return "volume";
  return "name";
}

char *
vmd_disk_target_prefix_for_bus (const char *bus)
{
  if (bus == NULL || g_str_equal (bus, "virtio"))
    return g_strdup ("vd");
  if (g_str_equal (bus, "ide"))
    return g_strdup ("hd");
  if (g_str_equal (bus, "fdc"))
    return g_strdup ("fd");
  if (g_str_equal (bus, "xen"))
    return g_strdup ("xvd");
  if (g_str_equal (bus, "uml"))
    return g_strdup ("ubd");
  if (g_str_equal (bus, "sd"))
    return g_strdup ("mmcblk");
  /* sata, scsi, usb and nvme name their disks sdX, as libvirt does. */
  return g_strdup ("sd");
}

/* libvirt's virIndexToDiskName: 0 → a, 25 → z, 26 → aa. */
char *
vmd_disk_target_name (const char *prefix, guint index)
{
  char suffix[16];
  int i = G_N_ELEMENTS (suffix) - 1;

  suffix[i] = '\0';
  for (guint n = index + 1; n > 0 && i > 0; n = (n - 1) / 26)
    suffix[--i] = 'a' + (n - 1) % 26;
  return g_strconcat (prefix, suffix + i, NULL);
}

static void
vmd_device_disk_fill_defaults (VmdDevice *device, VmdDomainConfig *config)
{
  VmdDeviceDisk *self = VMD_DEVICE_DISK (device);
  g_autofree char *dev = vmd_device_disk_get_target_dev (self);
  g_autofree char *bus = vmd_device_disk_get_target_bus (self);
  g_autofree char *prefix = NULL;
  g_autoptr (GPtrArray) disks = NULL;
  g_autoptr (GHashTable) used = NULL;

  if (bus == NULL)
    {
      g_autofree char *kind = vmd_device_disk_get_device (self);
      g_autofree char *machine = vmd_domain_config_get_machine (config);
      gboolean q35 = machine != NULL && strstr (machine, "q35") != NULL;

      if (g_strcmp0 (kind, "floppy") == 0)
        bus = g_strdup ("fdc");
      else if (g_strcmp0 (kind, "cdrom") == 0)
        bus = g_strdup (q35 ? "sata" : "ide");
      else
        bus = g_strdup ("virtio");
      vmd_device_disk_set_target_bus (self, bus);
    }

  if (dev != NULL)
    return;

  used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  disks = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_DISK);
  for (guint i = 0; i < disks->len; i++)
    {
      char *other = vmd_device_disk_get_target_dev (g_ptr_array_index (disks, i));
      if (other != NULL)
        g_hash_table_add (used, other);
    }

  prefix = vmd_disk_target_prefix_for_bus (bus);
  for (guint i = 0;; i++)
    {
      g_autofree char *name = vmd_disk_target_name (prefix, i);
      if (!g_hash_table_contains (used, name))
        {
          /* libvirt writes dev before bus. */
          vmd_device_disk_set_target_bus (self, NULL);
          vmd_device_disk_set_target_dev (self, name);
          vmd_device_disk_set_target_bus (self, bus);
          break;
        }
    }
}

static void
vmd_device_disk_class_init (VmdDeviceDiskClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "disk";
  device_class->fill_defaults = vmd_device_disk_fill_defaults;
}

static void
vmd_device_disk_init (VmdDeviceDisk *self)
{
}

/**
 * vmd_device_disk_new:
 *
 * Returns: a detached `<disk type='file' device='disk'/>`.
 */
VmdDeviceDisk *
vmd_device_disk_new (void)
{
  VmdDeviceDisk *self = g_object_new (VMD_TYPE_DEVICE_DISK, NULL);

  vmd_device_disk_set_disk_type (self, "file");
  vmd_device_disk_set_device (self, "disk");
  return self;
}

char *
vmd_device_disk_get_disk_type (VmdDeviceDisk *self)
{
  return _vmd_device_get_attr (DEV (self), NULL, "type");
}

void
vmd_device_disk_set_disk_type (VmdDeviceDisk *self, const char *type)
{
  g_autofree char *path = vmd_device_disk_get_source (self);
  const char *old_attr = source_attribute (self);

  _vmd_device_set_attr (DEV (self), NULL, "type", type);
  /* Keep the medium when the type changes, under its new attribute. */
  if (path != NULL && g_strcmp0 (old_attr, source_attribute (self)) != 0)
    {
      _vmd_device_set_attr (DEV (self), "source", old_attr, NULL);
      vmd_device_disk_set_source (self, path);
    }
}

char *
vmd_device_disk_get_device (VmdDeviceDisk *self)
{
  char *device = _vmd_device_get_attr (DEV (self), NULL, "device");
  return device ? device : g_strdup ("disk");
}

void
vmd_device_disk_set_device (VmdDeviceDisk *self, const char *device)
{
  _vmd_device_set_attr (DEV (self), NULL, "device", device);
}

char *
vmd_device_disk_get_driver_name (VmdDeviceDisk *self)
{
  return _vmd_device_get_attr (DEV (self), "driver", "name");
}

void
vmd_device_disk_set_driver_name (VmdDeviceDisk *self, const char *name)
{
  _vmd_device_set_attr (DEV (self), "driver", "name", name);
}

char *
vmd_device_disk_get_format (VmdDeviceDisk *self)
{
  return _vmd_device_get_attr (DEV (self), "driver", "type");
}

void
vmd_device_disk_set_format (VmdDeviceDisk *self, const char *format)
{
  g_autofree char *name = vmd_device_disk_get_driver_name (self);

  /* libvirt writes <driver name='qemu' type='…'/>; keep that shape. */
  if (format != NULL && name == NULL)
    _vmd_device_set_attr (DEV (self), "driver", "name", "qemu");
  _vmd_device_set_attr (DEV (self), "driver", "type", format);
}

char *
vmd_device_disk_get_cache (VmdDeviceDisk *self)
{
  return _vmd_device_get_attr (DEV (self), "driver", "cache");
}

void
vmd_device_disk_set_cache (VmdDeviceDisk *self, const char *cache)
{
  _vmd_device_set_attr (DEV (self), "driver", "cache", cache);
}

char *
vmd_device_disk_get_io (VmdDeviceDisk *self)
{
  return _vmd_device_get_attr (DEV (self), "driver", "io");
}

void
vmd_device_disk_set_io (VmdDeviceDisk *self, const char *io)
{
  _vmd_device_set_attr (DEV (self), "driver", "io", io);
}

char *
vmd_device_disk_get_discard (VmdDeviceDisk *self)
{
  return _vmd_device_get_attr (DEV (self), "driver", "discard");
}

void
vmd_device_disk_set_discard (VmdDeviceDisk *self, const char *discard)
{
  _vmd_device_set_attr (DEV (self), "driver", "discard", discard);
}

char *
vmd_device_disk_get_source (VmdDeviceDisk *self)
{
  return _vmd_device_get_attr (DEV (self), "source", source_attribute (self));
}

/**
 * vmd_device_disk_set_source:
 * @path: (nullable): the image, device or directory; %NULL ejects the medium
 */
void
vmd_device_disk_set_source (VmdDeviceDisk *self, const char *path)
{
  if (path == NULL)
    _vmd_device_set_present (DEV (self), "source", FALSE);
  else
    _vmd_device_set_attr (DEV (self), "source", source_attribute (self), path);
}

char *
vmd_device_disk_get_target_dev (VmdDeviceDisk *self)
{
  return _vmd_device_get_attr (DEV (self), "target", "dev");
}

void
vmd_device_disk_set_target_dev (VmdDeviceDisk *self, const char *dev)
{
  _vmd_device_set_attr (DEV (self), "target", "dev", dev);
}

char *
vmd_device_disk_get_target_bus (VmdDeviceDisk *self)
{
  return _vmd_device_get_attr (DEV (self), "target", "bus");
}

void
vmd_device_disk_set_target_bus (VmdDeviceDisk *self, const char *bus)
{
  _vmd_device_set_attr (DEV (self), "target", "bus", bus);
}

gboolean
vmd_device_disk_get_readonly (VmdDeviceDisk *self)
{
  return _vmd_device_has (DEV (self), "readonly");
}

void
vmd_device_disk_set_readonly (VmdDeviceDisk *self, gboolean readonly)
{
  _vmd_device_set_present (DEV (self), "readonly", readonly);
}

gboolean
vmd_device_disk_get_shareable (VmdDeviceDisk *self)
{
  return _vmd_device_has (DEV (self), "shareable");
}

void
vmd_device_disk_set_shareable (VmdDeviceDisk *self, gboolean shareable)
{
  _vmd_device_set_present (DEV (self), "shareable", shareable);
}

char *
vmd_device_disk_get_serial (VmdDeviceDisk *self)
{
  return _vmd_device_get_text (DEV (self), "serial");
}

void
vmd_device_disk_set_serial (VmdDeviceDisk *self, const char *serial)
{
  _vmd_device_set_text (DEV (self), "serial", serial);
}

/* CD-ROMs and floppies take and lose media while the VM runs. */
gboolean
vmd_device_disk_is_removable (VmdDeviceDisk *self)
{
  g_autofree char *device = vmd_device_disk_get_device (self);
  return g_str_equal (device, "cdrom") || g_str_equal (device, "floppy");
}
