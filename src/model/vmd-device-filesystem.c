/* vmd-device-filesystem.c: a shared host folder (virtiofs, 9p)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include "vmd-device-filesystem.h"
#include "vmd-device-private.h"
#include "vmd-xml.h"

struct _VmdDeviceFilesystem
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceFilesystem, vmd_device_filesystem, VMD_TYPE_DEVICE)

#define DEV(self) VMD_DEVICE (self)

/* Where libvirt writes the children; vmd-xml.c does not know these. */
static const char *const filesystem_order[] = {
  "driver", "binary", "idmap", "source", "target", "readonly", "space_hard_limit",
  "space_soft_limit", "boot", "alias", "acpi", "address", NULL
};

static guint
child_rank (const char *name)
{
  for (guint i = 0; filesystem_order[i] != NULL; i++)
    if (g_str_equal (filesystem_order[i], name))
      return i;
  return G_MAXUINT;
}

/* Creates the empty child @name in its place, for the setter to fill. */
static void
ensure_child (VmdDeviceFilesystem *self, const char *name)
{
  xmlNodePtr node = _vmd_device_get_node (DEV (self));
  xmlNodePtr after = NULL;
  guint rank = child_rank (name);

  if (vmd_xml_child (node, name) != NULL)
    return;
  for (xmlNodePtr c = vmd_xml_child (node, NULL); c; c = vmd_xml_next_element (c, NULL))
    if (child_rank ((const char *) c->name) <= rank)
      after = c;
  vmd_xml_insert_node (node, xmlNewNode (NULL, (const xmlChar *) name), after);
}

static void
set_child_attr (VmdDeviceFilesystem *self, const char *child, const char *attr, const char *value)
{
  if (value != NULL)
    ensure_child (self, child);
  _vmd_device_set_attr (DEV (self), child, attr, value);
}

static void
vmd_device_filesystem_class_init (VmdDeviceFilesystemClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "filesystem";
}

static void
vmd_device_filesystem_init (VmdDeviceFilesystem *self)
{
}

/**
 * vmd_device_filesystem_new:
 *
 * A virtiofs share, still without its folders. libvirt also wants the
 * machine's memory shared (`<memoryBacking><access mode='shared'/>`)
 * before it starts a virtiofs share.
 *
 * Returns: a detached `<filesystem type='mount' accessmode='passthrough'>`
 *   with `<driver type='virtiofs'/>`
 */
VmdDeviceFilesystem *
vmd_device_filesystem_new (void)
{
  VmdDeviceFilesystem *self = g_object_new (VMD_TYPE_DEVICE_FILESYSTEM, NULL);

  vmd_device_filesystem_set_filesystem_type (self, "mount");
  vmd_device_filesystem_set_access_mode (self, "passthrough");
  vmd_device_filesystem_set_driver_type (self, "virtiofs");
  return self;
}

char *
vmd_device_filesystem_get_filesystem_type (VmdDeviceFilesystem *self)
{
  return _vmd_device_get_attr (DEV (self), NULL, "type");
}

/**
 * vmd_device_filesystem_set_filesystem_type:
 * @type: (nullable): mount (a host folder, the default), file, block, ram, …
 */
void
vmd_device_filesystem_set_filesystem_type (VmdDeviceFilesystem *self, const char *type)
{
  _vmd_device_set_attr (DEV (self), NULL, "type", type);
}

char *
vmd_device_filesystem_get_access_mode (VmdDeviceFilesystem *self)
{
  return _vmd_device_get_attr (DEV (self), NULL, "accessmode");
}

/**
 * vmd_device_filesystem_set_access_mode:
 * @mode: (nullable): passthrough (the only one virtiofs takes), mapped or
 *   squash
 */
void
vmd_device_filesystem_set_access_mode (VmdDeviceFilesystem *self, const char *mode)
{
  _vmd_device_set_attr (DEV (self), NULL, "accessmode", mode);
}

char *
vmd_device_filesystem_get_driver_type (VmdDeviceFilesystem *self)
{
  return _vmd_device_get_attr (DEV (self), "driver", "type");
}

/**
 * vmd_device_filesystem_set_driver_type:
 * @type: (nullable): virtiofs, or path or handle for 9p; %NULL for 9p
 *   with libvirt's default driver
 */
void
vmd_device_filesystem_set_driver_type (VmdDeviceFilesystem *self, const char *type)
{
  set_child_attr (self, "driver", "type", type);
}

char *
vmd_device_filesystem_get_source_dir (VmdDeviceFilesystem *self)
{
  return _vmd_device_get_attr (DEV (self), "source", "dir");
}

/**
 * vmd_device_filesystem_set_source_dir:
 * @dir: (nullable): the host folder to share
 */
void
vmd_device_filesystem_set_source_dir (VmdDeviceFilesystem *self, const char *dir)
{
  set_child_attr (self, "source", "dir", dir);
}

char *
vmd_device_filesystem_get_target_dir (VmdDeviceFilesystem *self)
{
  return _vmd_device_get_attr (DEV (self), "target", "dir");
}

/**
 * vmd_device_filesystem_set_target_dir:
 * @dir: (nullable): the tag the guest mounts the share by
 */
void
vmd_device_filesystem_set_target_dir (VmdDeviceFilesystem *self, const char *dir)
{
  set_child_attr (self, "target", "dir", dir);
}

gboolean
vmd_device_filesystem_get_readonly (VmdDeviceFilesystem *self)
{
  return _vmd_device_has (DEV (self), "readonly");
}

void
vmd_device_filesystem_set_readonly (VmdDeviceFilesystem *self, gboolean readonly)
{
  if (readonly)
    ensure_child (self, "readonly");
  _vmd_device_set_present (DEV (self), "readonly", readonly);
}
