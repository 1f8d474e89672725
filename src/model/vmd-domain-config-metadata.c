/* vmd-domain-config-metadata.c: vmdesk's own keys in a definition's <metadata>
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "vmd-domain-config-metadata.h"
#include "vmd-domain-config-private.h"
#include "vmd-xml.h"

#define VMDESK_XMLNS "https://vmdesk.org/xmlns/1"

static xmlNodePtr
find_key (VmdDomainConfig *self, const char *key)
{
  xmlNodePtr metadata = vmd_xml_child (_vmd_domain_config_get_root (self), "metadata");

  for (xmlNodePtr c = metadata ? metadata->children : NULL; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && g_strcmp0 ((const char *) c->name, key) == 0 &&
        c->ns != NULL && g_strcmp0 ((const char *) c->ns->href, VMDESK_XMLNS) == 0)
      return c;
  return NULL;
}

/**
 * vmd_domain_config_get_vmdesk_value:
 *
 * Returns: (transfer full) (nullable): the text of vmdesk's element @key in
 *   <metadata>, or %NULL when there is none
 */
char *
vmd_domain_config_get_vmdesk_value (VmdDomainConfig *self, const char *key)
{
  xmlNodePtr node;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), NULL);
  g_return_val_if_fail (key != NULL && g_strcmp0 (key, "tags") != 0, NULL);

  node = find_key (self, key);
  return node != NULL ? vmd_xml_get_text (node) : NULL;
}

/**
 * vmd_domain_config_set_vmdesk_value:
 * @value: (nullable): the new text; %NULL removes the element (and an
 *   empty <metadata> with it)
 */
void
vmd_domain_config_set_vmdesk_value (VmdDomainConfig *self, const char *key, const char *value)
{
  xmlNodePtr root, node, metadata;

  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));
  g_return_if_fail (key != NULL && g_strcmp0 (key, "tags") != 0);

  root = _vmd_domain_config_get_root (self);
  node = find_key (self, key);
  if (value == NULL)
    {
      if (node != NULL)
        {
          metadata = node->parent;
          vmd_xml_remove (node);
          vmd_xml_prune_empty (metadata, root);
        }
    }
  else
    {
      if (node == NULL)
        {
          xmlNsPtr ns;

          metadata = vmd_xml_ensure (root, "metadata");
          node = xmlNewNode (NULL, (const xmlChar *) key);
          ns = xmlNewNs (node, (const xmlChar *) VMDESK_XMLNS, (const xmlChar *) "vmdesk");
          xmlSetNs (node, ns);
          xmlAddChild (metadata, node);
        }
      vmd_xml_set_text (node, value);
    }
  _vmd_domain_config_changed (self);
}
