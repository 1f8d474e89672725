/* vmd-device.c: one device of a virtual machine definition
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A VmdDevice is a view on one element under <devices>. While the device is
 * part of a definition, the definition owns the element and the device holds
 * a reference on the definition; once removed, the device owns its element,
 * so it can be added again (or to another definition) unchanged.
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include <glib/gi18n-lib.h>

#include "vmd-device-private.h"
#include "vmd-device-types.h"
#include "vmd-domain-config-private.h"
#include "vmd-xml.h"

typedef struct
{
  xmlNodePtr       node;
  VmdDomainConfig *config;  /* owned while attached */
} VmdDevicePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (VmdDevice, vmd_device, G_TYPE_OBJECT)

static void
vmd_device_finalize (GObject *object)
{
  VmdDevice *self = VMD_DEVICE (object);
  VmdDevicePrivate *priv = vmd_device_get_instance_private (self);

  if (priv->config != NULL)
    {
      _vmd_domain_config_forget_device (priv->config, priv->node);
      g_clear_object (&priv->config);
    }
  else if (priv->node != NULL)
    {
      xmlFreeNode (priv->node);
    }
  priv->node = NULL;

  G_OBJECT_CLASS (vmd_device_parent_class)->finalize (object);
}

static void
vmd_device_constructed (GObject *object)
{
  VmdDevice *self = VMD_DEVICE (object);
  VmdDevicePrivate *priv = vmd_device_get_instance_private (self);
  VmdDeviceClass *klass = VMD_DEVICE_GET_CLASS (self);

  G_OBJECT_CLASS (vmd_device_parent_class)->constructed (object);

  /* A device made with g_object_new() starts as a detached, empty element. */
  if (priv->node == NULL)
    priv->node = xmlNewNode (NULL, (const xmlChar *) (klass->element_name
                                                      ? klass->element_name
                                                      : "device"));
}

static void
vmd_device_class_init (VmdDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vmd_device_finalize;
  object_class->constructed = vmd_device_constructed;
}

static void
vmd_device_init (VmdDevice *self)
{
}

VmdDevice *
_vmd_device_new_for_node (xmlNodePtr node, VmdDomainConfig *config)
{
  GType type = _vmd_device_type_for_kind ((const char *) node->name);
  VmdDevice *self;
  VmdDevicePrivate *priv;

  /* Set the node before constructed() runs; the instance init of a
   * subclass never touches it. */
  self = g_object_new (type, NULL);
  priv = vmd_device_get_instance_private (self);
  if (priv->node != NULL)
    xmlFreeNode (priv->node);
  priv->node = node;
  if (config != NULL)
    priv->config = g_object_ref (config);
  return self;
}

/**
 * vmd_device_new_from_xml:
 *
 * Parses one device element, such as `<disk type='file'>…</disk>`, into a
 * detached device of the matching class.
 */
VmdDevice *
vmd_device_new_from_xml (const char  *xml,
                         gssize       len,
                         GError     **error)
{
  xmlDocPtr doc = vmd_xml_parse (xml, len, NULL, error);
  xmlNodePtr root, copy;

  if (doc == NULL)
    return NULL;

  root = xmlDocGetRootElement (doc);
  copy = xmlDocCopyNode (root, NULL, 1);
  xmlFreeDoc (doc);
  return _vmd_device_new_for_node (copy, NULL);
}

const char *
vmd_device_get_kind (VmdDevice *self)
{
  VmdDevicePrivate *priv = vmd_device_get_instance_private (self);

  g_return_val_if_fail (VMD_IS_DEVICE (self), NULL);
  return (const char *) priv->node->name;
}

/**
 * vmd_device_get_config:
 *
 * Returns: (transfer none) (nullable): the definition the device is part of.
 */
VmdDomainConfig *
vmd_device_get_config (VmdDevice *self)
{
  VmdDevicePrivate *priv = vmd_device_get_instance_private (self);

  g_return_val_if_fail (VMD_IS_DEVICE (self), NULL);
  return priv->config;
}

char *
vmd_device_to_xml (VmdDevice *self)
{
  VmdDevicePrivate *priv = vmd_device_get_instance_private (self);

  g_return_val_if_fail (VMD_IS_DEVICE (self), NULL);
  return vmd_xml_serialize_node (priv->node);
}

char *
vmd_device_get_alias (VmdDevice *self)
{
  return _vmd_device_get_attr (self, "alias", "name");
}

guint
vmd_device_get_boot_order (VmdDevice *self)
{
  return (guint) _vmd_device_get_uint (self, "boot", "order", 0);
}

void
vmd_device_set_boot_order (VmdDevice *self, guint order)
{
  if (order == 0)
    _vmd_device_set_present (self, "boot", FALSE);
  else
    _vmd_device_set_uint (self, "boot", "order", order);
}

char *
vmd_device_get_address_type (VmdDevice *self)
{
  return _vmd_device_get_attr (self, "address", "type");
}

void
vmd_device_clear_address (VmdDevice *self)
{
  _vmd_device_set_present (self, "address", FALSE);
}

/* <address type='pci' domain='0x0000' bus='0x05' slot='0x00' function='0x0'/>,
 * as libvirt writes it. */
void
vmd_device_set_pci_address (VmdDevice *self,
                            guint      domain,
                            guint      bus,
                            guint      slot,
                            guint      function)
{
  char value[16];

  g_return_if_fail (VMD_IS_DEVICE (self));

  vmd_xml_set_present (_vmd_device_get_node (self), "address", FALSE);
  vmd_xml_set_attr_at (_vmd_device_get_node (self), "address", "type", "pci");
  g_snprintf (value, sizeof value, "0x%04x", domain);
  vmd_xml_set_attr_at (_vmd_device_get_node (self), "address", "domain", value);
  g_snprintf (value, sizeof value, "0x%02x", bus);
  vmd_xml_set_attr_at (_vmd_device_get_node (self), "address", "bus", value);
  g_snprintf (value, sizeof value, "0x%02x", slot);
  vmd_xml_set_attr_at (_vmd_device_get_node (self), "address", "slot", value);
  g_snprintf (value, sizeof value, "0x%x", function);
  vmd_xml_set_attr_at (_vmd_device_get_node (self), "address", "function", value);
  _vmd_device_changed (self);
}

xmlNodePtr
_vmd_device_get_node (VmdDevice *self)
{
  VmdDevicePrivate *priv = vmd_device_get_instance_private (self);
  return priv->node;
}

void
_vmd_device_attach (VmdDevice *self, VmdDomainConfig *config)
{
  VmdDevicePrivate *priv = vmd_device_get_instance_private (self);

  g_assert (priv->config == NULL);
  priv->config = g_object_ref (config);
}

void
_vmd_device_detach (VmdDevice *self)
{
  VmdDevicePrivate *priv = vmd_device_get_instance_private (self);

  g_assert (priv->config != NULL);
  vmd_xml_detach (priv->node);
  g_clear_object (&priv->config);
}

void
_vmd_device_changed (VmdDevice *self)
{
  VmdDevicePrivate *priv = vmd_device_get_instance_private (self);

  if (priv->config != NULL)
    _vmd_domain_config_changed (priv->config);
}

char *
_vmd_device_get_attr (VmdDevice *self, const char *path, const char *attr)
{
  g_return_val_if_fail (VMD_IS_DEVICE (self), NULL);
  return vmd_xml_get_attr_at (_vmd_device_get_node (self), path, attr);
}

void
_vmd_device_set_attr (VmdDevice *self, const char *path, const char *attr, const char *value)
{
  g_return_if_fail (VMD_IS_DEVICE (self));
  vmd_xml_set_attr_at (_vmd_device_get_node (self), path, attr, value);
  _vmd_device_changed (self);
}

gboolean
_vmd_device_get_bool (VmdDevice *self, const char *path, const char *attr, gboolean default_value)
{
  g_return_val_if_fail (VMD_IS_DEVICE (self), default_value);
  return vmd_xml_get_bool_attr_at (_vmd_device_get_node (self), path, attr, default_value);
}

void
_vmd_device_set_bool (VmdDevice *self, const char *path, const char *attr, gboolean value)
{
  g_return_if_fail (VMD_IS_DEVICE (self));
  vmd_xml_set_bool_attr_at (_vmd_device_get_node (self), path, attr, value);
  _vmd_device_changed (self);
}

guint64
_vmd_device_get_uint (VmdDevice *self, const char *path, const char *attr, guint64 default_value)
{
  g_return_val_if_fail (VMD_IS_DEVICE (self), default_value);
  return vmd_xml_get_uint_attr_at (_vmd_device_get_node (self), path, attr, default_value);
}

void
_vmd_device_set_uint (VmdDevice *self, const char *path, const char *attr, guint64 value)
{
  g_return_if_fail (VMD_IS_DEVICE (self));
  vmd_xml_set_uint_attr_at (_vmd_device_get_node (self), path, attr, value);
  _vmd_device_changed (self);
}

char *
_vmd_device_get_text (VmdDevice *self, const char *path)
{
  g_return_val_if_fail (VMD_IS_DEVICE (self), NULL);
  return vmd_xml_get_text_at (_vmd_device_get_node (self), path);
}

void
_vmd_device_set_text (VmdDevice *self, const char *path, const char *text)
{
  g_return_if_fail (VMD_IS_DEVICE (self));
  vmd_xml_set_text_at (_vmd_device_get_node (self), path, text);
  _vmd_device_changed (self);
}

gboolean
_vmd_device_has (VmdDevice *self, const char *path)
{
  g_return_val_if_fail (VMD_IS_DEVICE (self), FALSE);
  return vmd_xml_has (_vmd_device_get_node (self), path);
}

void
_vmd_device_set_present (VmdDevice *self, const char *path, gboolean present)
{
  g_return_if_fail (VMD_IS_DEVICE (self));
  vmd_xml_set_present (_vmd_device_get_node (self), path, present);
  _vmd_device_changed (self);
}
