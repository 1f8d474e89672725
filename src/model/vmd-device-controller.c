/* vmd-device-controller.c: a bus controller (USB, PCI, SCSI, virtio-serial, …)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include "vmd-device-controller.h"
#include "vmd-device-private.h"
#include "vmd-domain-config.h"
#include "vmd-xml.h"

struct _VmdDeviceController
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceController, vmd_device_controller, VMD_TYPE_DEVICE)

#define DEV(self) VMD_DEVICE (self)

/* The order in which libvirt writes the attributes of <controller>. */
static const char *const attribute_order[] = {
  "type", "index", "model", "ports", "vectors", NULL
};

/* libvirt gives a controller the lowest index its type has free
 * (virDomainControllerFindUnusedIndex). */
static void
vmd_device_controller_fill_defaults (VmdDevice *device, VmdDomainConfig *config)
{
  VmdDeviceController *self = VMD_DEVICE_CONTROLLER (device);
  g_autofree char *type = vmd_device_controller_get_controller_type (self);
  g_autofree char *index = _vmd_device_get_attr (device, NULL, "index");
  g_autoptr (GPtrArray) controllers = NULL;
  g_autoptr (GHashTable) used = NULL;
  guint free_index = 0;

  if (type == NULL || index != NULL)
    return;

  used = g_hash_table_new (NULL, NULL);
  controllers = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_CONTROLLER);
  for (guint i = 0; i < controllers->len; i++)
    {
      VmdDeviceController *other = g_ptr_array_index (controllers, i);
      g_autofree char *other_type = vmd_device_controller_get_controller_type (other);
      g_autofree char *other_index = _vmd_device_get_attr (DEV (other), NULL, "index");

      if (other_index != NULL && g_strcmp0 (other_type, type) == 0)
        g_hash_table_add (used, GUINT_TO_POINTER (vmd_device_controller_get_index (other)));
    }

  while (g_hash_table_contains (used, GUINT_TO_POINTER (free_index)))
    free_index++;
  vmd_device_controller_set_index (self, free_index);
}

static void
vmd_device_controller_class_init (VmdDeviceControllerClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "controller";
  device_class->fill_defaults = vmd_device_controller_fill_defaults;
}

static void
vmd_device_controller_init (VmdDeviceController *self)
{
}

/**
 * vmd_device_controller_new:
 *
 * Returns: a detached `<controller type='usb' model='qemu-xhci' ports='15'/>`,
 *   the USB 3 controller virt-manager gives a new machine
 */
VmdDeviceController *
vmd_device_controller_new (void)
{
  VmdDeviceController *self = vmd_device_controller_new_for_type ("usb", "qemu-xhci");

  vmd_device_controller_set_ports (self, 15);
  return self;
}

/**
 * vmd_device_controller_new_for_type:
 * @type: usb, pci, scsi, sata, virtio-serial, …
 * @model: (nullable): the model, or %NULL for the type's default
 *
 * Returns: a detached controller; its index is chosen when it is added to a
 *   definition
 */
VmdDeviceController *
vmd_device_controller_new_for_type (const char *type, const char *model)
{
  VmdDeviceController *self;

  g_return_val_if_fail (type != NULL, NULL);

  self = g_object_new (VMD_TYPE_DEVICE_CONTROLLER, NULL);
  vmd_device_controller_set_controller_type (self, type);
  vmd_device_controller_set_model (self, model);
  return self;
}

char *
vmd_device_controller_get_controller_type (VmdDeviceController *self)
{
  return _vmd_device_get_attr (DEV (self), NULL, "type");
}

/**
 * vmd_device_controller_set_controller_type:
 *
 * Models and port counts belong to a type, so a new type drops both.
 */
void
vmd_device_controller_set_controller_type (VmdDeviceController *self, const char *type)
{
  g_autofree char *old = vmd_device_controller_get_controller_type (self);
  xmlNodePtr node = _vmd_device_get_node (DEV (self));

  _vmd_device_set_attr (DEV (self), NULL, "type", type);
  if (g_strcmp0 (old, type) == 0)
    return;
  if (vmd_xml_has_attr (node, "model"))
    vmd_device_controller_set_model (self, NULL);
  if (vmd_xml_has_attr (node, "ports"))
    vmd_device_controller_set_ports (self, 0);
}

char *
vmd_device_controller_get_model (VmdDeviceController *self)
{
  return _vmd_device_get_attr (DEV (self), NULL, "model");
}

void
vmd_device_controller_set_model (VmdDeviceController *self, const char *model)
{
  _vmd_device_set_attr (DEV (self), NULL, "model", model);
}

/**
 * vmd_device_controller_get_index:
 *
 * Returns: the index among controllers of the same type; 0 when not set yet
 */
guint
vmd_device_controller_get_index (VmdDeviceController *self)
{
  return (guint) _vmd_device_get_uint (DEV (self), NULL, "index", 0);
}

void
vmd_device_controller_set_index (VmdDeviceController *self, guint index)
{
  char buf[16];

  g_snprintf (buf, sizeof buf, "%u", index);
  vmd_xml_set_attr_ordered (_vmd_device_get_node (DEV (self)), "index", buf, attribute_order);
  _vmd_device_changed (DEV (self));
}

/**
 * vmd_device_controller_get_ports:
 *
 * Returns: the number of ports of a USB or virtio-serial controller, or 0
 *   for the model's default
 */
guint
vmd_device_controller_get_ports (VmdDeviceController *self)
{
  return (guint) _vmd_device_get_uint (DEV (self), NULL, "ports", 0);
}

/**
 * vmd_device_controller_set_ports:
 * @ports: the number of ports, or 0 for the model's default
 */
void
vmd_device_controller_set_ports (VmdDeviceController *self, guint ports)
{
  if (ports == 0)
    _vmd_device_set_attr (DEV (self), NULL, "ports", NULL);
  else
    _vmd_device_set_uint (DEV (self), NULL, "ports", ports);
}

/**
 * vmd_device_controller_get_target_port:
 *
 * The port of a pcie-root-port on its bus (`<target port='0x10'/>`); PCI
 * controllers have no ports attribute.
 *
 * Returns: the port, or -1 when libvirt is left to choose
 */
gint
vmd_device_controller_get_target_port (VmdDeviceController *self)
{
  /* libvirt reads it with base 0: 0x10 and 16 are the same port. */
  guint64 port = _vmd_device_get_uint (DEV (self), "target", "port", G_MAXUINT64);

  return port > 0xff ? -1 : (gint) port;
}

/**
 * vmd_device_controller_set_target_port:
 * @port: 0 to 255, written in hexadecimal like libvirt; -1 removes it
 */
void
vmd_device_controller_set_target_port (VmdDeviceController *self, gint port)
{
  char buf[16];

  g_return_if_fail (port <= 0xff);

  if (port < 0)
    {
      _vmd_device_set_attr (DEV (self), "target", "port", NULL);
      return;
    }
  g_snprintf (buf, sizeof buf, "0x%x", (guint) port);
  _vmd_device_set_attr (DEV (self), "target", "port", buf);
}
