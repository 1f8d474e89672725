/* vmd-domain-config.c: a virtual machine definition (libvirt domain XML)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The definition is its XML tree: accessors read and write the tree in
 * place, so whatever vmdesk does not understand is saved exactly as it was
 * loaded. This file holds loading, saving, identity and the device list;
 * the hardware accessors are in vmd-domain-config-hw.c and validation in
 * vmd-domain-config-validate.c.
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "vmd-device-private.h"
#include "vmd-device-types.h"
#include "vmd-domain-config-private.h"
#include "vmd-xml.h"

struct _VmdDomainConfig
{
  GObject     parent_instance;

  xmlDocPtr   doc;
  gboolean    has_declaration;
  GHashTable *devices;  /* xmlNodePtr → VmdDevice, not owned */
};

G_DEFINE_FINAL_TYPE (VmdDomainConfig, vmd_domain_config, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
vmd_domain_config_finalize (GObject *object)
{
  VmdDomainConfig *self = VMD_DOMAIN_CONFIG (object);

  /* Attached devices hold a reference on us: none can be left. */
  g_assert (g_hash_table_size (self->devices) == 0);
  g_clear_pointer (&self->devices, g_hash_table_unref);
  g_clear_pointer (&self->doc, xmlFreeDoc);

  G_OBJECT_CLASS (vmd_domain_config_parent_class)->finalize (object);
}

static void
vmd_domain_config_class_init (VmdDomainConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vmd_domain_config_finalize;

  /**
   * VmdDomainConfig::changed:
   *
   * Emitted after any part of the definition was edited through the model.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vmd_domain_config_init (VmdDomainConfig *self)
{
  self->devices = g_hash_table_new (NULL, NULL);
}

static gboolean
starts_with_declaration (const char *xml, gsize len)
{
  gsize i = 0;

  if (len >= 3 && memcmp (xml, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < len && g_ascii_isspace (xml[i]))
    i++;
  return len - i >= 5 && memcmp (xml + i, "<?xml", 5) == 0;
}

static VmdDomainConfig *
new_from_doc (xmlDocPtr doc, gboolean has_declaration, GError **error)
{
  xmlNodePtr root = xmlDocGetRootElement (doc);
  VmdDomainConfig *self;

  if (root != NULL && root->ns != NULL && strcmp ((const char *) root->name, "domain") == 0)
    {
      g_set_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_NOT_DOMAIN,
                   _("This is not a virtual machine definition: its <domain> is in the namespace “%s”, and libvirt's has none."),
                   root->ns->href ? (const char *) root->ns->href : "");
      xmlFreeDoc (doc);
      return NULL;
    }
  if (root == NULL || strcmp ((const char *) root->name, "domain") != 0 || root->ns != NULL)
    {
      g_set_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_NOT_DOMAIN,
                   _("This is not a virtual machine definition: it starts with <%s> where <domain> was expected."),
                   root ? (const char *) root->name : "");
      xmlFreeDoc (doc);
      return NULL;
    }

  self = g_object_new (VMD_TYPE_DOMAIN_CONFIG, NULL);
  self->doc = doc;
  self->has_declaration = has_declaration;
  return self;
}

/**
 * vmd_domain_config_new_from_xml:
 * @xml: the document
 * @len: its length, or -1 when nul-terminated
 *
 * Loads a definition. Only well-formedness and the root element are checked
 * here; vmd_domain_config_validate() checks the content.
 *
 * Returns: (transfer full) (nullable): the definition, or %NULL with @error set
 */
VmdDomainConfig *
vmd_domain_config_new_from_xml (const char  *xml,
                                gssize       len,
                                GError     **error)
{
  xmlDocPtr doc;

  g_return_val_if_fail (xml != NULL, NULL);

  if (len < 0)
    len = strlen (xml);
  doc = vmd_xml_parse (xml, len, NULL, error);
  if (doc == NULL)
    return NULL;
  return new_from_doc (doc, starts_with_declaration (xml, len), error);
}

VmdDomainConfig *
vmd_domain_config_new_from_file (const char  *path,
                                 GError     **error)
{
  g_autoptr (GMappedFile) mapped = NULL;
  g_autoptr (GError) local_error = NULL;
  const char *data;
  gsize len;
  xmlDocPtr doc;

  g_return_val_if_fail (path != NULL, NULL);

  /* Mapped, so an oversized file is refused without reading it. */
  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_set_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_IO,
                   _("The definition %s could not be read: %s"), path, local_error->message);
      return NULL;
    }

  data = g_mapped_file_get_contents (mapped);
  len = g_mapped_file_get_length (mapped);
  if (data == NULL)
    data = "";

  doc = vmd_xml_parse (data, len, path, &local_error);
  if (doc == NULL)
    {
      g_set_error (error, VMD_MODEL_ERROR, local_error->code, "%s: %s", path,
                   local_error->message);
      return NULL;
    }
  return new_from_doc (doc, starts_with_declaration (data, len), error);
}

/**
 * vmd_domain_config_new:
 * @name: the new machine's name
 *
 * A minimal x86_64 q35 machine with a fresh UUID, 1 GiB and one vCPU, as
 * virt-manager starts one.
 */
VmdDomainConfig *
vmd_domain_config_new (const char *name)
{
  static const char template[] =
    "<domain type='kvm'>\n"
    "  <name>x</name>\n"
    "  <uuid>x</uuid>\n"
    "  <memory unit='KiB'>1048576</memory>\n"
    "  <currentMemory unit='KiB'>1048576</currentMemory>\n"
    "  <vcpu placement='static'>1</vcpu>\n"
    "  <os>\n"
    "    <type arch='x86_64' machine='q35'>hvm</type>\n"
    "  </os>\n"
    "  <features>\n"
    "    <acpi/>\n"
    "    <apic/>\n"
    "  </features>\n"
    "  <clock offset='utc'/>\n"
    "  <on_poweroff>destroy</on_poweroff>\n"
    "  <on_reboot>restart</on_reboot>\n"
    "  <on_crash>destroy</on_crash>\n"
    "  <devices>\n"
    "  </devices>\n"
    "</domain>\n";
  VmdDomainConfig *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = vmd_domain_config_new_from_xml (template, -1, NULL);
  g_assert (self != NULL);
  vmd_domain_config_set_name (self, name);
  vmd_domain_config_regenerate_uuid (self);
  return self;
}

VmdDomainConfig *
vmd_domain_config_copy (VmdDomainConfig *self)
{
  g_autofree char *xml = NULL;
  VmdDomainConfig *copy;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), NULL);

  copy = g_object_new (VMD_TYPE_DOMAIN_CONFIG, NULL);
  copy->doc = xmlCopyDoc (self->doc, 1);
  copy->has_declaration = self->has_declaration;
  return copy;
}

char *
vmd_domain_config_to_xml (VmdDomainConfig *self)
{
  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), NULL);

  return vmd_xml_serialize (self->doc, self->has_declaration);
}

/**
 * vmd_domain_config_save_to_file:
 *
 * Writes the definition atomically: to a temporary file, synced, then
 * renamed over @path, so a failure leaves the old file intact.
 */
gboolean
vmd_domain_config_save_to_file (VmdDomainConfig  *self,
                                const char       *path,
                                GError          **error)
{
  g_autofree char *xml = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  xml = vmd_domain_config_to_xml (self);
  if (!g_file_set_contents_full (path, xml, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_IO,
                   _("The definition could not be saved to %s: %s"), path,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* ----------------------------------------------------------------- private */

xmlNodePtr
_vmd_domain_config_get_root (VmdDomainConfig *self)
{
  return xmlDocGetRootElement (self->doc);
}

xmlNodePtr
_vmd_domain_config_get_devices_node (VmdDomainConfig *self, gboolean create)
{
  xmlNodePtr root = _vmd_domain_config_get_root (self);

  return create ? vmd_xml_ensure (root, "devices") : vmd_xml_child (root, "devices");
}

void
_vmd_domain_config_changed (VmdDomainConfig *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

void
_vmd_domain_config_forget_device (VmdDomainConfig *self, xmlNodePtr node)
{
  g_hash_table_remove (self->devices, node);
}

/* ---------------------------------------------------------------- identity */

#define ROOT(self) _vmd_domain_config_get_root (self)

char *
vmd_domain_config_get_domain_type (VmdDomainConfig *self)
{
  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), NULL);
  return vmd_xml_get_attr (ROOT (self), "type");
}

void
vmd_domain_config_set_domain_type (VmdDomainConfig *self, const char *type)
{
  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));
  g_return_if_fail (type != NULL);
  vmd_xml_set_attr (ROOT (self), "type", type);
  _vmd_domain_config_changed (self);
}

char *
vmd_domain_config_get_name (VmdDomainConfig *self)
{
  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), NULL);
  return vmd_xml_get_text_at (ROOT (self), "name");
}

void
vmd_domain_config_set_name (VmdDomainConfig *self, const char *name)
{
  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));
  g_return_if_fail (name != NULL);
  vmd_xml_set_text_at (ROOT (self), "name", name);
  _vmd_domain_config_changed (self);
}

char *
vmd_domain_config_get_uuid (VmdDomainConfig *self)
{
  g_autofree char *uuid = NULL;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), NULL);
  uuid = vmd_xml_get_text_at (ROOT (self), "uuid");
  return uuid ? g_strstrip (g_steal_pointer (&uuid)) : NULL;
}

void
vmd_domain_config_set_uuid (VmdDomainConfig *self, const char *uuid)
{
  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));
  vmd_xml_set_text_at (ROOT (self), "uuid", uuid);
  _vmd_domain_config_changed (self);
}

void
vmd_domain_config_regenerate_uuid (VmdDomainConfig *self)
{
  g_autofree char *uuid = g_uuid_string_random ();
  vmd_domain_config_set_uuid (self, uuid);
}

char *
vmd_domain_config_get_title (VmdDomainConfig *self)
{
  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), NULL);
  return vmd_xml_get_text_at (ROOT (self), "title");
}

void
vmd_domain_config_set_title (VmdDomainConfig *self, const char *title)
{
  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));
  vmd_xml_set_text_at (ROOT (self), "title", title && *title ? title : NULL);
  _vmd_domain_config_changed (self);
}

char *
vmd_domain_config_get_description (VmdDomainConfig *self)
{
  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), NULL);
  return vmd_xml_get_text_at (ROOT (self), "description");
}

void
vmd_domain_config_set_description (VmdDomainConfig *self, const char *description)
{
  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));
  vmd_xml_set_text_at (ROOT (self), "description",
                       description && *description ? description : NULL);
  _vmd_domain_config_changed (self);
}

/* ------------------------------------------------------------------- tags */

static gboolean
str_array_contains (GPtrArray *array, const char *str)
{
  for (guint i = 0; i < array->len; i++)
    if (g_str_equal (g_ptr_array_index (array, i), str))
      return TRUE;
  return FALSE;
}

static xmlNodePtr
last_element (xmlNodePtr parent)
{
  xmlNodePtr last = NULL;

  for (xmlNodePtr c = parent->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE)
      last = c;
  return last;
}

#define VMD_DOMAIN_CONFIG_XMLNS "https://vmdesk.org/xmlns/1"

/* vmdesk's own metadata: <metadata><vmdesk:tags xmlns:vmdesk='…'>
 * <vmdesk:tag>web</vmdesk:tag>…</vmdesk:tags></metadata>, as libvirt
 * keeps an application's metadata under the application's namespace. */
static gboolean
is_vmdesk_element (xmlNodePtr node, const char *name)
{
  return node->type == XML_ELEMENT_NODE && g_strcmp0 ((const char *) node->name, name) == 0 &&
         node->ns != NULL &&
         g_strcmp0 ((const char *) node->ns->href, VMD_DOMAIN_CONFIG_XMLNS) == 0;
}

static xmlNodePtr
find_tags (VmdDomainConfig *self)
{
  xmlNodePtr metadata = vmd_xml_child (ROOT (self), "metadata");

  for (xmlNodePtr c = metadata ? metadata->children : NULL; c; c = c->next)
    if (is_vmdesk_element (c, "tags"))
      return c;
  return NULL;
}

/**
 * vmd_domain_config_get_tags:
 *
 * Returns: (transfer full): the user's tags, trimmed, without blanks or
 *   duplicates, in document order; an empty array when there are none
 */
GStrv
vmd_domain_config_get_tags (VmdDomainConfig *self)
{
  g_autoptr (GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  xmlNodePtr node;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), NULL);

  node = find_tags (self);
  for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next)
    {
      g_autofree char *text = NULL;

      if (!is_vmdesk_element (c, "tag"))
        continue;
      text = g_strstrip (vmd_xml_get_text (c));
      if (text != NULL && *text != '\0' && !str_array_contains (tags, text))
        g_ptr_array_add (tags, g_steal_pointer (&text));
    }
  g_ptr_array_add (tags, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&tags), FALSE);
}

/**
 * vmd_domain_config_set_tags:
 * @tags: (nullable): the tags; blanks and duplicates are dropped
 *
 * Replaces the user's tags; with none left, the vmdesk metadata goes, and
 * <metadata> too if nothing else is in it.
 */
void
vmd_domain_config_set_tags (VmdDomainConfig *self, const char * const *tags)
{
  xmlNodePtr node, metadata;
  g_autoptr (GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  xmlNsPtr ns;

  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));

  node = find_tags (self);
  if (node != NULL)
    {
      metadata = node->parent;
      vmd_xml_remove (node);
      vmd_xml_prune_empty (metadata, ROOT (self));
    }

  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      g_autofree char *tag = g_strstrip (g_strdup (tags[i]));

      if (*tag != '\0' && !str_array_contains (seen, tag))
        g_ptr_array_add (seen, g_steal_pointer (&tag));
    }

  if (seen->len > 0)
    {
      metadata = vmd_xml_ensure (ROOT (self), "metadata");
      node = xmlNewNode (NULL, (const xmlChar *) "tags");
      ns = xmlNewNs (node, (const xmlChar *) VMD_DOMAIN_CONFIG_XMLNS, (const xmlChar *) "vmdesk");
      xmlSetNs (node, ns);
      vmd_xml_insert_node (metadata, node, last_element (metadata));
      for (guint i = 0; i < seen->len; i++)
        {
          xmlNodePtr tag = xmlNewNode (ns, (const xmlChar *) "tag");

          vmd_xml_set_text (tag, g_ptr_array_index (seen, i));
          vmd_xml_insert_node (node, tag, last_element (node));
        }
    }
  _vmd_domain_config_changed (self);
}

/* ----------------------------------------------------------------- libosinfo */

#define VMD_LIBOSINFO_XMLNS "http://libosinfo.org/xmlns/libvirt/domain/1.0"

static gboolean
is_libosinfo_element (xmlNodePtr node, const char *name)
{
  return node->type == XML_ELEMENT_NODE && g_strcmp0 ((const char *) node->name, name) == 0 &&
         node->ns != NULL &&
         g_strcmp0 ((const char *) node->ns->href, VMD_LIBOSINFO_XMLNS) == 0;
}

static xmlNodePtr
find_libosinfo (VmdDomainConfig *self)
{
  xmlNodePtr metadata = vmd_xml_child (ROOT (self), "metadata");

  for (xmlNodePtr c = metadata ? metadata->children : NULL; c; c = c->next)
    if (is_libosinfo_element (c, "libosinfo"))
      return c;
  return NULL;
}

/**
 * vmd_domain_config_get_os_id:
 *
 * The operating system the guest runs, as virt-install records it:
 * <metadata><libosinfo:libosinfo xmlns:libosinfo='…'><libosinfo:os
 * id='http://debian.org/debian/11'/></libosinfo:libosinfo></metadata>.
 *
 * Returns: (transfer full) (nullable): the libosinfo OS id, or NULL
 */
char *
vmd_domain_config_get_os_id (VmdDomainConfig *self)
{
  xmlNodePtr node;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), NULL);

  node = find_libosinfo (self);
  for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next)
    if (is_libosinfo_element (c, "os"))
      {
        g_autofree char *id = vmd_xml_get_attr (c, "id");

        if (id != NULL && *id != '\0')
          return g_steal_pointer (&id);
      }
  return NULL;
}

/**
 * vmd_domain_config_set_os_id:
 * @os_id: (nullable): a libosinfo OS id, or NULL or "" for none
 *
 * Records the guest's operating system under libosinfo's namespace,
 * keeping whatever else libosinfo's element holds; with no OS, the OS
 * element goes, and so do empty libosinfo and <metadata> elements.
 */
void
vmd_domain_config_set_os_id (VmdDomainConfig *self, const char *os_id)
{
  xmlNodePtr node, os = NULL;

  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));

  node = find_libosinfo (self);
  for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next)
    if (is_libosinfo_element (c, "os"))
      {
        os = c;
        break;
      }

  if (os_id == NULL || *os_id == '\0')
    {
      if (os != NULL)
        {
          xmlNodePtr metadata = node->parent;

          vmd_xml_remove (os);
          if (last_element (node) == NULL)
            {
              vmd_xml_remove (node);
              vmd_xml_prune_empty (metadata, ROOT (self));
            }
        }
      _vmd_domain_config_changed (self);
      return;
    }

  if (node == NULL)
    {
      xmlNodePtr metadata = vmd_xml_ensure (ROOT (self), "metadata");
      xmlNsPtr ns;

      node = xmlNewNode (NULL, (const xmlChar *) "libosinfo");
      ns = xmlNewNs (node, (const xmlChar *) VMD_LIBOSINFO_XMLNS, (const xmlChar *) "libosinfo");
      xmlSetNs (node, ns);
      vmd_xml_insert_node (metadata, node, last_element (metadata));
    }
  if (os == NULL)
    {
      os = xmlNewNode (node->ns, (const xmlChar *) "os");
      vmd_xml_insert_node (node, os, last_element (node));
    }
  vmd_xml_set_attr (os, "id", os_id);
  _vmd_domain_config_changed (self);
}

/* ----------------------------------------------------------------- devices */

static gboolean
is_device_element (xmlNodePtr node)
{
  return node->type == XML_ELEMENT_NODE && node->ns == NULL &&
         strcmp ((const char *) node->name, "emulator") != 0;
}

static VmdDevice *
wrap_node (VmdDomainConfig *self, xmlNodePtr node)
{
  VmdDevice *device = g_hash_table_lookup (self->devices, node);

  if (device != NULL)
    return g_object_ref (device);

  device = _vmd_device_new_for_node (node, self);
  g_hash_table_insert (self->devices, node, device);
  return device;
}

/**
 * vmd_domain_config_get_devices:
 * @type: %VMD_TYPE_DEVICE for every device, or a device class
 *
 * The same element always gives the same #VmdDevice while it is alive.
 *
 * Returns: (transfer container) (element-type VmdDevice): the devices in
 *   document order
 */
GPtrArray *
vmd_domain_config_get_devices (VmdDomainConfig *self, GType type)
{
  GPtrArray *ret = g_ptr_array_new_with_free_func (g_object_unref);
  xmlNodePtr devices;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), ret);

  devices = _vmd_domain_config_get_devices_node (self, FALSE);
  for (xmlNodePtr node = vmd_xml_child (devices, NULL); node;
       node = vmd_xml_next_element (node, NULL))
    {
      if (!is_device_element (node))
        continue;
      if (!g_type_is_a (_vmd_device_type_for_kind ((const char *) node->name), type))
        continue;
      g_ptr_array_add (ret, wrap_node (self, node));
    }
  return ret;
}

GPtrArray *
vmd_domain_config_get_devices_of_kind (VmdDomainConfig *self, const char *kind)
{
  GPtrArray *ret = g_ptr_array_new_with_free_func (g_object_unref);
  xmlNodePtr devices;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), ret);

  devices = _vmd_domain_config_get_devices_node (self, FALSE);
  for (xmlNodePtr node = vmd_xml_child (devices, kind); node;
       node = vmd_xml_next_element (node, kind))
    if (is_device_element (node))
      g_ptr_array_add (ret, wrap_node (self, node));
  return ret;
}

/**
 * vmd_domain_config_add_device:
 *
 * Adds a detached device where libvirt would write it, filling in what
 * libvirt would generate (a target name, a MAC address, …).
 */
void
vmd_domain_config_add_device (VmdDomainConfig *self, VmdDevice *device)
{
  VmdDeviceClass *klass;
  xmlNodePtr node;

  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));
  g_return_if_fail (VMD_IS_DEVICE (device));
  g_return_if_fail (vmd_device_get_config (device) == NULL);

  klass = VMD_DEVICE_GET_CLASS (device);
  if (klass->fill_defaults != NULL)
    klass->fill_defaults (device, self);

  node = _vmd_device_get_node (device);
  vmd_xml_add_ordered (_vmd_domain_config_get_devices_node (self, TRUE), node);
  _vmd_device_attach (device, self);
  g_hash_table_insert (self->devices, node, device);
  _vmd_domain_config_changed (self);
}

gboolean
vmd_domain_config_remove_device (VmdDomainConfig *self, VmdDevice *device)
{
  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), FALSE);
  g_return_val_if_fail (VMD_IS_DEVICE (device), FALSE);

  if (vmd_device_get_config (device) != self)
    return FALSE;

  g_hash_table_remove (self->devices, _vmd_device_get_node (device));
  g_object_ref (self);
  _vmd_device_detach (device);
  _vmd_domain_config_changed (self);
  g_object_unref (self);
  return TRUE;
}

/**
 * vmd_domain_config_move_device:
 * @position: the new index among the devices of the same kind
 *
 * Reorders devices of one kind, such as disks (their order is the order the
 * guest sees them in).
 */
gboolean
vmd_domain_config_move_device (VmdDomainConfig *self,
                               VmdDevice       *device,
                               guint            position)
{
  const char *kind;
  xmlNodePtr node, parent, target, after;
  guint i = 0;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), FALSE);
  g_return_val_if_fail (VMD_IS_DEVICE (device), FALSE);

  if (vmd_device_get_config (device) != self)
    return FALSE;

  kind = vmd_device_get_kind (device);
  node = _vmd_device_get_node (device);
  parent = node->parent;

  /* Find the sibling of the same kind now at @position, skipping @node. */
  target = NULL;
  for (xmlNodePtr c = vmd_xml_child (parent, kind); c; c = vmd_xml_next_element (c, kind))
    {
      if (c == node)
        continue;
      if (i++ == position)
        {
          target = c;
          break;
        }
    }

  vmd_xml_detach (node);
  if (target != NULL)
    {
      /* Before @target: after the element that precedes it. */
      after = NULL;
      for (xmlNodePtr c = target->prev; c; c = c->prev)
        if (c->type == XML_ELEMENT_NODE)
          {
            after = c;
            break;
          }
      vmd_xml_insert_node (parent, node, after);
    }
  else
    {
      vmd_xml_add_ordered (parent, node);
    }

  _vmd_domain_config_changed (self);
  return TRUE;
}

/**
 * vmd_domain_config_generate_mac:
 *
 * Returns: a random MAC address in QEMU's 52:54:00 range that no interface
 *   of this definition uses
 */
char *
vmd_domain_config_generate_mac (VmdDomainConfig *self)
{
  g_autoptr (GPtrArray) nics = vmd_domain_config_get_devices_of_kind (self, "interface");

  for (;;)
    {
      guint32 r = g_random_int ();
      g_autofree char *mac = g_strdup_printf ("52:54:00:%02x:%02x:%02x",
                                              r & 0xff, (r >> 8) & 0xff, (r >> 16) & 0xff);
      gboolean used = FALSE;

      for (guint i = 0; i < nics->len && !used; i++)
        {
          g_autofree char *other = _vmd_device_get_attr (g_ptr_array_index (nics, i), "mac",
                                                         "address");
          used = other != NULL && g_ascii_strcasecmp (other, mac) == 0;
        }
      if (!used)
        return g_steal_pointer (&mac);
    }
}
