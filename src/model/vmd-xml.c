/* vmd-xml.c: safe parsing, libvirt-style serialisation and tidy editing of XML
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Definitions are edited in place in their libxml2 tree, so everything vmdesk
 * does not understand survives untouched. New elements are indented like
 * their siblings and placed where libvirt itself would write them, so a
 * saved file reads as if virsh had written it.
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include <glib/gi18n-lib.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <errno.h>
#include <string.h>

#include "vmd-model-error.h"
#include "vmd-xml.h"

G_DEFINE_QUARK (vmd-model-error-quark, vmd_model_error)

/* ---------------------------------------------------------------- parsing */

typedef struct {
  char    *message;
  int      code;
  int      domain;
  int      line;
  gboolean entity_declared;
} ParseState;

static void
parse_structured_error (void *user_data, xmlErrorPtr err)
{
  xmlParserCtxtPtr ctxt = user_data;
  ParseState *state = ctxt->_private;

  if (state == NULL || state->message != NULL || err == NULL)
    return;
  if (err->level < XML_ERR_ERROR)
    return;

  state->message = g_strstrip (g_strdup (err->message ? err->message : ""));
  state->code = err->code;
  state->domain = err->domain;
  state->line = err->line;
}

static void
parse_entity_decl (void          *user_data,
                   const xmlChar *name,
                   int            type,
                   const xmlChar *public_id,
                   const xmlChar *system_id,
                   xmlChar       *content)
{
  xmlParserCtxtPtr ctxt = user_data;
  ParseState *state = ctxt->_private;

  /* Entities are how "billion laughs" and external-file attacks start;
   * libvirt never writes them, so refuse the document outright. */
  if (state != NULL && !state->entity_declared)
    {
      state->entity_declared = TRUE;
      state->line = xmlSAX2GetLineNumber (ctxt);
    }
  xmlStopParser (ctxt);
}

static gboolean
data_is_blank (const char *data, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (data[i]))
      return FALSE;
  return TRUE;
}

xmlDocPtr
vmd_xml_parse (const char  *data,
               gssize       len,
               const char  *filename,
               GError     **error)
{
  ParseState state = { 0 };
  xmlParserCtxtPtr ctxt;
  xmlDocPtr doc;
  int options;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len < 0)
    len = strlen (data);

  if ((gsize) len > VMD_XML_MAX_SIZE)
    {
      g_autofree char *size = g_format_size ((guint64) len);
      g_set_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_TOO_LARGE,
                   _("The definition is too large (%s); a virtual machine definition may be at most 10 MB."),
                   size);
      return NULL;
    }

  if (data_is_blank (data, len))
    {
      g_set_error_literal (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_PARSE,
                           _("The definition is empty."));
      return NULL;
    }

  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      g_set_error_literal (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_PARSE,
                           _("The XML parser could not be created."));
      return NULL;
    }

  ctxt->_private = &state;
  ctxt->sax->entityDecl = parse_entity_decl;
  ctxt->sax->serror = parse_structured_error;
  ctxt->vctxt.error = NULL;
  ctxt->vctxt.warning = NULL;

  /* No NOENT (never substitute entities), no DTDLOAD/DTDATTR (never read
   * external files), no HUGE (keep libxml2's depth and size limits), and no
   * dictionary, so that nodes can move between documents. */
  options = XML_PARSE_NONET | XML_PARSE_NODICT | XML_PARSE_NOWARNING;
  {
    /* Encoding and I/O errors are raised without the parser context:
     * catch those too, for this thread and this parse only. */
    xmlStructuredErrorFunc old_handler = xmlStructuredError;
    void *old_context = xmlStructuredErrorContext;

    xmlSetStructuredErrorFunc (ctxt, parse_structured_error);
    doc = xmlCtxtReadMemory (ctxt, data, (int) len, filename, NULL, options);
    xmlSetStructuredErrorFunc (old_context, old_handler);
  }

  if (state.entity_declared)
    {
      g_set_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_PARSE,
                   _("The definition declares XML entities (line %d), which are not allowed in a virtual machine definition."),
                   state.line);
      g_clear_pointer (&doc, xmlFreeDoc);
    }
  else if (doc == NULL || !ctxt->wellFormed)
    {
      if (state.domain == XML_FROM_I18N || state.code == XML_ERR_INVALID_ENCODING ||
          state.code == XML_ERR_UNSUPPORTED_ENCODING || state.code == XML_I18N_CONV_FAILED)
        g_set_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_PARSE,
                     _("The definition is not valid text in the encoding it declares (line %d)."),
                     state.line);
      else if (state.message != NULL && strstr (state.message, "Excessive depth") != NULL)
        g_set_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_PARSE,
                     _("The definition nests elements more than 256 levels deep (line %d)."),
                     state.line);
      else if (state.message != NULL)
        g_set_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_PARSE,
                     _("The definition is not well-formed XML: line %d: %s."),
                     state.line, state.message);
      else
        g_set_error_literal (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_PARSE,
                             _("The definition is not well-formed XML."));
      g_clear_pointer (&doc, xmlFreeDoc);
    }

  ctxt->_private = NULL;
  xmlFreeParserCtxt (ctxt);
  g_free (state.message);

  return doc;
}

/* ---------------------------------------------------------- serialisation */

static void
escape_into (GString *out, const xmlChar *text, gboolean attribute)
{
  for (const xmlChar *p = text; p && *p; p++)
    {
      switch (*p)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '\r': g_string_append (out, "&#13;"); break;
        case '\'':
          if (attribute)
            g_string_append (out, "&apos;");
          else
            g_string_append_c (out, '\'');
          break;
        case '\n':
          if (attribute)
            g_string_append (out, "&#10;");
          else
            g_string_append_c (out, '\n');
          break;
        case '\t':
          if (attribute)
            g_string_append (out, "&#9;");
          else
            g_string_append_c (out, '\t');
          break;
        default:
          g_string_append_c (out, *p);
        }
    }
}

static void
append_qname (GString *out, xmlNsPtr ns, const xmlChar *name)
{
  if (ns != NULL && ns->prefix != NULL)
    g_string_append_printf (out, "%s:", (const char *) ns->prefix);
  g_string_append (out, (const char *) name);
}

static void serialize_node (GString *out, xmlNodePtr node);

static void
serialize_children (GString *out, xmlNodePtr node)
{
  for (xmlNodePtr child = node->children; child; child = child->next)
    serialize_node (out, child);
}

static void
serialize_element (GString *out, xmlNodePtr node)
{
  g_string_append_c (out, '<');
  append_qname (out, node->ns, node->name);

  for (xmlAttrPtr attr = node->properties; attr; attr = attr->next)
    {
      g_string_append_c (out, ' ');
      append_qname (out, attr->ns, attr->name);
      g_string_append (out, "='");
      for (xmlNodePtr v = attr->children; v; v = v->next)
        {
          if (v->type == XML_TEXT_NODE)
            escape_into (out, v->content, TRUE);
          else if (v->type == XML_ENTITY_REF_NODE)
            g_string_append_printf (out, "&%s;", (const char *) v->name);
        }
      g_string_append_c (out, '\'');
    }

  /* libvirt writes namespace declarations after the attributes. */
  for (xmlNsPtr ns = node->nsDef; ns; ns = ns->next)
    {
      /* libxml2 keeps namespace URIs as written, entities and all:
       * write them back unescaped, in quotes they do not contain. */
      const char *href = (const char *) ns->href;
      char quote = strchr (href, '\'') ? '"' : '\'';

      if (ns->prefix != NULL)
        g_string_append_printf (out, " xmlns:%s=%c%s%c", (const char *) ns->prefix, quote, href,
                                quote);
      else
        g_string_append_printf (out, " xmlns=%c%s%c", quote, href, quote);
    }

  if (node->children == NULL)
    {
      g_string_append (out, "/>");
      return;
    }

  g_string_append_c (out, '>');
  serialize_children (out, node);
  g_string_append (out, "</");
  append_qname (out, node->ns, node->name);
  g_string_append_c (out, '>');
}

static void
serialize_node (GString *out, xmlNodePtr node)
{
  switch (node->type)
    {
    case XML_ELEMENT_NODE:
      serialize_element (out, node);
      break;
    case XML_TEXT_NODE:
      escape_into (out, node->content, FALSE);
      break;
    case XML_CDATA_SECTION_NODE:
      g_string_append_printf (out, "<![CDATA[%s]]>", (const char *) node->content);
      break;
    case XML_COMMENT_NODE:
      g_string_append_printf (out, "<!--%s-->", (const char *) node->content);
      break;
    case XML_PI_NODE:
      if (node->content != NULL && node->content[0] != '\0')
        g_string_append_printf (out, "<?%s %s?>", (const char *) node->name,
                                (const char *) node->content);
      else
        g_string_append_printf (out, "<?%s?>", (const char *) node->name);
      break;
    case XML_ENTITY_REF_NODE:
      g_string_append_printf (out, "&%s;", (const char *) node->name);
      break;
    case XML_DTD_NODE:
      {
        xmlBufferPtr buf = xmlBufferCreate ();
        xmlNodeDump (buf, node->doc, node, 0, 0);
        g_string_append_len (out, (const char *) xmlBufferContent (buf), xmlBufferLength (buf));
        xmlBufferFree (buf);
      }
      break;
    default:
      /* Declarations inside a DTD and the like are written by xmlNodeDump. */
      break;
    }
}

char *
vmd_xml_serialize (xmlDocPtr doc, gboolean with_declaration)
{
  GString *out = g_string_sized_new (4096);

  if (with_declaration)
    {
      g_string_append_printf (out, "<?xml version=\"%s\"",
                              doc->version ? (const char *) doc->version : "1.0");
      /* The text is written in UTF-8 whatever the document was read in. */
      if (doc->encoding != NULL)
        g_string_append (out, " encoding=\"UTF-8\"");
      if (doc->standalone == 1)
        g_string_append (out, " standalone=\"yes\"");
      else if (doc->standalone == 0)
        g_string_append (out, " standalone=\"no\"");
      g_string_append (out, "?>\n");
    }

  for (xmlNodePtr node = doc->children; node; node = node->next)
    {
      serialize_node (out, node);
      g_string_append_c (out, '\n');
    }

  return g_string_free (out, FALSE);
}

char *
vmd_xml_serialize_node (xmlNodePtr node)
{
  GString *out = g_string_new (NULL);

  serialize_node (out, node);
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------- navigation */

static gboolean
is_element (xmlNodePtr node, const char *name)
{
  return node->type == XML_ELEMENT_NODE &&
         (name == NULL || strcmp ((const char *) node->name, name) == 0);
}

xmlNodePtr
vmd_xml_child (xmlNodePtr parent, const char *name)
{
  if (parent == NULL)
    return NULL;
  for (xmlNodePtr child = parent->children; child; child = child->next)
    if (is_element (child, name))
      return child;
  return NULL;
}

xmlNodePtr
vmd_xml_next_element (xmlNodePtr node, const char *name)
{
  for (xmlNodePtr next = node ? node->next : NULL; next; next = next->next)
    if (is_element (next, name))
      return next;
  return NULL;
}

guint
vmd_xml_count_elements (xmlNodePtr parent, const char *name)
{
  guint n = 0;

  for (xmlNodePtr child = vmd_xml_child (parent, name); child;
       child = vmd_xml_next_element (child, name))
    n++;
  return n;
}

xmlNodePtr
vmd_xml_find (xmlNodePtr node, const char *path)
{
  g_auto (GStrv) parts = NULL;

  if (path == NULL || *path == '\0')
    return node;

  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] && node; i++)
    node = vmd_xml_child (node, parts[i]);
  return node;
}

/* --------------------------------------------------------------- ordering */

/* Where libvirt writes each child, so new elements land where a reader
 * expects them. Children not listed go after every listed one. */
typedef struct {
  const char        *parent;
  const char *const *children;
} ChildOrder;

static const char *const domain_order[] = {
  "name", "uuid", "genid", "title", "description", "metadata", "maxMemory", "memory",
  "currentMemory", "blkiotune", "memtune", "memoryBacking", "vcpu", "vcpus", "iothreads",
  "iothreadids", "defaultiothread", "cputune", "numatune", "resource", "sysinfo", "bootloader",
  "bootloader_args", "os", "idmap", "features", "cpu", "clock", "on_poweroff", "on_reboot",
  "on_crash", "pm", "perf", "devices", "seclabel", "keywrap", "launchSecurity", NULL
};
static const char *const os_order[] = {
  "type", "firmware", "loader", "nvram", "varstore", "init", "initarg", "initenv", "initdir",
  "inituser", "initgroup", "kernel", "initrd", "cmdline", "shim", "dtb", "acpi", "boot",
  "bootmenu", "smbios", "bios", NULL
};
static const char *const devices_order[] = {
  "emulator", "disk", "controller", "lease", "filesystem", "interface", "smartcard", "serial",
  "parallel", "console", "channel", "input", "tpm", "graphics", "sound", "audio", "video",
  "hostdev", "redirdev", "redirfilter", "hub", "watchdog", "memballoon", "rng", "panic",
  "shmem", "memory", "iommu", "vsock", "crypto", NULL
};
static const char *const disk_order[] = {
  "driver", "source", "backingStore", "target", "iotune", "boot", "readonly", "shareable",
  "transient", "serial", "wwn", "vendor", "product", "encryption", "geometry", "blockio",
  "alias", "address", NULL
};
static const char *const interface_order[] = {
  "mac", "source", "virtualport", "ip", "route", "portForward", "script", "downscript", "backenddomain",
  "target", "guest", "model", "driver", "backend", "filterref", "tune", "teaming", "link",
  "mtu", "bandwidth", "vlan", "port", "coalesce", "rom", "boot", "alias", "address", "acpi",
  NULL
};
static const char *const cpu_order[] = {
  "model", "vendor", "topology", "cache", "maxphysaddr", "feature", "numa", NULL
};
static const char *const graphics_order[] = {
  "listen", "channel", "image", "jpeg", "zlib", "playback", "streaming", "mouse",
  "clipboard", "filetransfer", "gl", "audio", NULL
};
static const char *const video_order[] = { "driver", "model", "alias", "address", NULL };
/* <serial>, <console>, <channel> and <parallel>: one character device. */
static const char *const chardev_order[] = {
  "source", "protocol", "log", "target", "alias", "acpi", "address", NULL
};
static const char *const controller_order[] = {
  "model", "target", "driver", "alias", "master", "address", NULL
};
static const char *const filesystem_order[] = {
  "driver", "binary", "idmap", "source", "target", "readonly", "space_hard_limit",
  "space_soft_limit", "boot", "alias", "acpi", "address", NULL
};
static const char *const hostdev_order[] = {
  "driver", "source", "boot", "alias", "acpi", "rom", "address", NULL
};
/* A host device's <source>. Children of other sources (a disk's <host>, a
 * character device's <reconnect>, …) are not listed, so they keep being
 * added last. */
static const char *const source_order[] = { "vendor", "product", "address", NULL };
static const char *const redirdev_order[] = {
  "source", "protocol", "boot", "alias", "address", NULL
};
static const char *const memballoon_order[] = {
  "stats", "alias", "acpi", "address", "driver", NULL
};
static const char *const rng_order[] = {
  "rate", "backend", "driver", "alias", "acpi", "address", NULL
};

static const ChildOrder child_orders[] = {
  { "domain", domain_order },
  { "os", os_order },
  { "devices", devices_order },
  { "disk", disk_order },
  { "interface", interface_order },
  { "cpu", cpu_order },
  { "graphics", graphics_order },
  { "video", video_order },
  { "serial", chardev_order },
  { "console", chardev_order },
  { "channel", chardev_order },
  { "parallel", chardev_order },
  { "controller", controller_order },
  { "filesystem", filesystem_order },
  { "hostdev", hostdev_order },
  { "source", source_order },
  { "redirdev", redirdev_order },
  { "memballoon", memballoon_order },
  { "rng", rng_order },
};

static int
child_rank (const char *parent, const char *child)
{
  for (guint i = 0; i < G_N_ELEMENTS (child_orders); i++)
    {
      const char *const *order = child_orders[i].children;

      if (strcmp (child_orders[i].parent, parent) != 0)
        continue;
      for (int j = 0; order[j]; j++)
        if (strcmp (order[j], child) == 0)
          return j;
      return G_MAXINT - 1;
    }
  return -1;
}

/* ------------------------------------------------------------- whitespace */

static void format_subtree (xmlNodePtr node, const char *indent);

static gboolean
is_blank_text (xmlNodePtr node)
{
  if (node == NULL || node->type != XML_TEXT_NODE)
    return FALSE;
  return xmlIsBlankNode (node);
}

/* The indentation of @node: the blanks after the last newline before it. */
static char *
indent_of (xmlNodePtr node)
{
  const char *text, *nl;

  if (!is_blank_text (node->prev))
    return NULL;
  text = (const char *) node->prev->content;
  nl = strrchr (text, '\n');
  if (nl == NULL)
    return NULL;
  return g_strdup (nl + 1);
}

static gboolean
document_is_indented (xmlNodePtr node)
{
  xmlNodePtr root;

  if (node->doc == NULL || (root = xmlDocGetRootElement (node->doc)) == NULL)
    return TRUE;  /* a detached device: format it like libvirt would */
  for (xmlNodePtr child = root->children; child; child = child->next)
    if (is_blank_text (child) && strchr ((const char *) child->content, '\n'))
      return TRUE;
  return FALSE;
}

static char *
parent_indent (xmlNodePtr parent)
{
  char *indent;

  if (parent->parent == NULL || parent->parent->type != XML_ELEMENT_NODE)
    return g_strdup ("");
  indent = indent_of (parent);
  if (indent != NULL)
    return indent;
  /* No blank before the parent: derive it from the grandparent. */
  {
    g_autofree char *up = parent_indent (parent->parent);
    return g_strconcat (up, "  ", NULL);
  }
}

static xmlNodePtr
new_blank (const char *indent)
{
  g_autofree char *text = g_strconcat ("\n", indent, NULL);
  return xmlNewText ((const xmlChar *) text);
}

/* Lays out an element's descendants one per line, as libvirt writes them,
 * for an element that sits at @indent. Text content is left alone. */
static void
format_subtree (xmlNodePtr node, const char *indent)
{
  g_autofree char *inner = g_strconcat (indent, "  ", NULL);
  xmlNodePtr c;

  if (vmd_xml_child (node, NULL) == NULL)
    return;
  for (c = node->children; c; c = c->next)
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && !is_blank_text (c))
      return;  /* mixed content: leave it as written */

  c = node->children;
  while (c != NULL)
    {
      xmlNodePtr next = c->next;
      if (is_blank_text (c))
        {
          xmlUnlinkNode (c);
          xmlFreeNode (c);
        }
      c = next;
    }

  for (c = node->children; c; c = c->next)
    {
      xmlAddPrevSibling (c, new_blank (inner));
      if (c->type == XML_ELEMENT_NODE)
        format_subtree (c, inner);
    }
  xmlAddChild (node, new_blank (indent));
}

void
vmd_xml_insert_node (xmlNodePtr parent,
                     xmlNodePtr child,
                     xmlNodePtr after)
{
  xmlNodePtr first = vmd_xml_child (parent, NULL);
  g_autofree char *pindent = NULL;
  g_autofree char *cindent = NULL;
  gboolean indented;

  g_return_if_fail (parent != NULL);
  g_return_if_fail (child != NULL);

  if (first != NULL)
    {
      indented = is_blank_text (first->prev);
      cindent = indent_of (first);
      if (cindent == NULL)
        indented = FALSE;
    }
  else
    {
      indented = document_is_indented (parent);
      pindent = parent_indent (parent);
      cindent = g_strconcat (pindent, "  ", NULL);
    }

  if (first == NULL)
    {
      /* Drop blank text so <x>  </x> becomes <x>\n  <child/>\n</x>. */
      xmlNodePtr c = parent->children;
      while (c != NULL)
        {
          xmlNodePtr next = c->next;
          if (is_blank_text (c))
            {
              xmlUnlinkNode (c);
              xmlFreeNode (c);
            }
          c = next;
        }
      if (indented)
        xmlAddChild (parent, new_blank (cindent));
      xmlAddChild (parent, child);
      if (indented)
        xmlAddChild (parent, new_blank (pindent));
    }
  else if (after == NULL)
    {
      xmlAddPrevSibling (first, child);
      if (indented)
        xmlAddNextSibling (child, new_blank (cindent));
    }
  else
    {
      xmlAddNextSibling (after, child);
      if (indented)
        xmlAddNextSibling (after, new_blank (cindent));
    }

  if (indented && child->type == XML_ELEMENT_NODE)
    format_subtree (child, cindent);
}

void
vmd_xml_add_ordered (xmlNodePtr parent, xmlNodePtr child)
{
  const char *pname = (const char *) parent->name;
  int rank = child_rank (pname, (const char *) child->name);
  xmlNodePtr after = NULL;

  /* After the last sibling of the same or an earlier rank; children of a
   * parent without a known order go last. */
  for (xmlNodePtr c = vmd_xml_child (parent, NULL); c; c = vmd_xml_next_element (c, NULL))
    {
      if (rank < 0 || child_rank (pname, (const char *) c->name) <= rank)
        after = c;
    }

  vmd_xml_insert_node (parent, child, after);
}

xmlNodePtr
vmd_xml_add_child (xmlNodePtr parent, const char *name)
{
  xmlNodePtr child = xmlNewNode (NULL, (const xmlChar *) name);

  vmd_xml_add_ordered (parent, child);
  return child;
}

xmlNodePtr
vmd_xml_ensure (xmlNodePtr node, const char *path)
{
  g_auto (GStrv) parts = NULL;

  if (path == NULL || *path == '\0')
    return node;

  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i]; i++)
    {
      xmlNodePtr next = vmd_xml_child (node, parts[i]);
      if (next == NULL)
        next = vmd_xml_add_child (node, parts[i]);
      node = next;
    }
  return node;
}

void
vmd_xml_detach (xmlNodePtr node)
{
  xmlNodePtr parent = node->parent;
  xmlNodePtr prev = node->prev;
  gboolean indented = node->doc != NULL && document_is_indented (node);

  if (parent != NULL)
    {
      gboolean last = vmd_xml_next_element (node, NULL) == NULL;
      gboolean only = last && vmd_xml_child (parent, NULL) == node;

      if (only)
        {
          /* The parent is left with blanks only: empty it entirely. */
          xmlNodePtr c;

          xmlUnlinkNode (node);
          c = parent->children;
          while (c != NULL)
            {
              xmlNodePtr next = c->next;
              if (is_blank_text (c))
                {
                  xmlUnlinkNode (c);
                  xmlFreeNode (c);
                }
              c = next;
            }
        }
      else if (last && is_blank_text (prev))
        {
          /* Keep the blank that closes the parent, drop our own. */
          xmlUnlinkNode (node);
          xmlUnlinkNode (prev);
          xmlFreeNode (prev);
        }
      else
        {
          xmlNodePtr next = node->next;
          xmlUnlinkNode (node);
          if (is_blank_text (next) && is_blank_text (prev))
            {
              xmlUnlinkNode (next);
              xmlFreeNode (next);
            }
          else if (is_blank_text (prev) && next == NULL)
            {
              xmlUnlinkNode (prev);
              xmlFreeNode (prev);
            }
        }
    }
  else
    {
      xmlUnlinkNode (node);
    }

  /* The node may outlive its document: forget it, and lay it out as a
   * document of its own. */
  xmlSetTreeDoc (node, NULL);
  if (indented && node->type == XML_ELEMENT_NODE)
    format_subtree (node, "");
}

void
vmd_xml_remove (xmlNodePtr node)
{
  vmd_xml_detach (node);
  xmlFreeNode (node);
}

static gboolean
element_is_empty (xmlNodePtr node)
{
  if (node->properties != NULL || node->nsDef != NULL)
    return FALSE;
  for (xmlNodePtr c = node->children; c; c = c->next)
    if (!is_blank_text (c))
      return FALSE;
  return TRUE;
}

void
vmd_xml_prune_empty (xmlNodePtr node, xmlNodePtr stop)
{
  while (node != NULL && node != stop && node->type == XML_ELEMENT_NODE &&
         element_is_empty (node))
    {
      xmlNodePtr parent = node->parent;
      vmd_xml_remove (node);
      node = parent;
    }
}

/* ------------------------------------------------------- attributes, text */

char *
vmd_xml_get_attr (xmlNodePtr node, const char *name)
{
  xmlChar *value;
  char *ret;

  if (node == NULL)
    return NULL;
  value = xmlGetNoNsProp (node, (const xmlChar *) name);
  if (value == NULL)
    return NULL;
  ret = g_strdup ((const char *) value);
  xmlFree (value);
  return ret;
}

void
vmd_xml_set_attr (xmlNodePtr node, const char *name, const char *value)
{
  if (value == NULL)
    xmlUnsetProp (node, (const xmlChar *) name);
  else
    xmlSetProp (node, (const xmlChar *) name, (const xmlChar *) value);
}

static int
attr_rank (const char *const *order, const xmlChar *name)
{
  for (int i = 0; order[i] != NULL; i++)
    if (strcmp (order[i], (const char *) name) == 0)
      return i;
  return -1;
}

/**
 * vmd_xml_set_attr_ordered:
 * @value: (nullable): the value, or %NULL to remove the attribute
 * @order: the attribute names in the order libvirt writes them
 *
 * Like vmd_xml_set_attr(), but a new attribute named in @order goes where
 * libvirt writes it: after the last attribute it follows in @order, or
 * else before the first one it precedes. Attributes that are not named,
 * and those already present, keep their place.
 */
void
vmd_xml_set_attr_ordered (xmlNodePtr         node,
                          const char        *name,
                          const char        *value,
                          const char *const *order)
{
  xmlAttrPtr after = NULL, before = NULL;
  xmlNodePtr attr;
  int rank;

  g_return_if_fail (node != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (order != NULL);

  rank = attr_rank (order, (const xmlChar *) name);
  if (value == NULL || rank < 0 || vmd_xml_has_attr (node, name))
    {
      vmd_xml_set_attr (node, name, value);
      return;
    }

  for (xmlAttrPtr a = node->properties; a; a = a->next)
    {
      int r = attr_rank (order, a->name);

      if (r < 0)
        continue;
      if (r <= rank)
        after = a;
      else if (before == NULL)
        before = a;
    }

  /* xmlSetProp() appends; move the new attribute into its place. */
  attr = (xmlNodePtr) xmlSetProp (node, (const xmlChar *) name, (const xmlChar *) value);
  if (attr == NULL)
    return;
  if (after != NULL && after->next != (xmlAttrPtr) attr)
    {
      xmlUnlinkNode (attr);
      xmlAddNextSibling ((xmlNodePtr) after, attr);
    }
  else if (after == NULL && before != NULL)
    {
      xmlUnlinkNode (attr);
      xmlAddPrevSibling ((xmlNodePtr) before, attr);
    }
}

char *
vmd_xml_get_text (xmlNodePtr node)
{
  xmlChar *value;
  char *ret;

  if (node == NULL)
    return NULL;
  value = xmlNodeGetContent (node);
  ret = g_strdup ((const char *) value);
  xmlFree (value);
  return ret;
}

void
vmd_xml_set_text (xmlNodePtr node, const char *text)
{
  xmlNodePtr c = node->children;

  while (c != NULL)
    {
      xmlNodePtr next = c->next;
      xmlUnlinkNode (c);
      xmlFreeNode (c);
      c = next;
    }
  if (text != NULL && *text != '\0')
    xmlAddChild (node, xmlNewText ((const xmlChar *) text));
}

char *
vmd_xml_get_attr_at (xmlNodePtr node, const char *path, const char *attr)
{
  return vmd_xml_get_attr (vmd_xml_find (node, path), attr);
}

void
vmd_xml_set_attr_at (xmlNodePtr node, const char *path, const char *attr, const char *value)
{
  xmlNodePtr target;

  if (value == NULL)
    {
      target = vmd_xml_find (node, path);
      if (target == NULL)
        return;
      vmd_xml_set_attr (target, attr, NULL);
      vmd_xml_prune_empty (target, node);
      return;
    }

  target = vmd_xml_ensure (node, path);
  vmd_xml_set_attr (target, attr, value);
}

char *
vmd_xml_get_text_at (xmlNodePtr node, const char *path)
{
  xmlNodePtr target = vmd_xml_find (node, path);

  if (target == NULL || target == node)
    return target ? vmd_xml_get_text (target) : NULL;
  return vmd_xml_get_text (target);
}

void
vmd_xml_set_text_at (xmlNodePtr node, const char *path, const char *text)
{
  xmlNodePtr target;

  if (text == NULL)
    {
      target = vmd_xml_find (node, path);
      if (target != NULL && target != node)
        {
          xmlNodePtr parent = target->parent;
          vmd_xml_remove (target);
          vmd_xml_prune_empty (parent, node);
        }
      return;
    }

  target = vmd_xml_ensure (node, path);
  vmd_xml_set_text (target, text);
}

static gboolean
parse_bool (const char *value, gboolean default_value)
{
  if (value == NULL)
    return default_value;
  if (g_str_equal (value, "yes") || g_str_equal (value, "on") || g_str_equal (value, "true"))
    return TRUE;
  if (g_str_equal (value, "no") || g_str_equal (value, "off") || g_str_equal (value, "false"))
    return FALSE;
  return default_value;
}

gboolean
vmd_xml_get_bool_attr_at (xmlNodePtr  node,
                          const char *path,
                          const char *attr,
                          gboolean    default_value)
{
  g_autofree char *value = vmd_xml_get_attr_at (node, path, attr);
  return parse_bool (value, default_value);
}

void
vmd_xml_set_bool_attr_at (xmlNodePtr  node,
                          const char *path,
                          const char *attr,
                          gboolean    value)
{
  vmd_xml_set_attr_at (node, path, attr, value ? "yes" : "no");
}

/* A number as libvirt reads it, like strtoull() with base 0: 16, 0x10 and
 * 020 are all sixteen. Signs, blanks, trailing text and numbers beyond
 * 64 bits are refused. */
static gboolean
parse_uint (const char *text, guint64 *value)
{
  char *end = NULL;
  guint64 n;

  if (text == NULL || !g_ascii_isdigit (*text))
    return FALSE;
  errno = 0;
  n = g_ascii_strtoull (text, &end, 0);
  if (errno != 0 || *end != '\0')
    return FALSE;
  *value = n;
  return TRUE;
}

/**
 * vmd_xml_get_uint_attr_at:
 *
 * Reads decimal, 0x-prefixed hexadecimal and 0-prefixed octal numbers, as
 * libvirt reads addresses and IDs (base 0). libvirt reads a few numbers,
 * such as a boot order, in decimal only; it never writes them with a
 * leading zero, but a hand-written '010' reads as eight here.
 *
 * Returns: the number, or @default_value when the attribute is missing or
 *   is not a number that fits 64 bits
 */
guint64
vmd_xml_get_uint_attr_at (xmlNodePtr  node,
                          const char *path,
                          const char *attr,
                          guint64     default_value)
{
  g_autofree char *value = vmd_xml_get_attr_at (node, path, attr);
  guint64 ret;

  if (!parse_uint (value, &ret))
    return default_value;
  return ret;
}

void
vmd_xml_set_uint_attr_at (xmlNodePtr  node,
                          const char *path,
                          const char *attr,
                          guint64     value)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, value);
  vmd_xml_set_attr_at (node, path, attr, buf);
}

gboolean
vmd_xml_has (xmlNodePtr node, const char *path)
{
  return vmd_xml_find (node, path) != NULL;
}

gboolean
vmd_xml_has_attr (xmlNodePtr node, const char *name)
{
  return node != NULL && xmlHasProp (node, (const xmlChar *) name) != NULL;
}

void
vmd_xml_set_present (xmlNodePtr node, const char *path, gboolean present)
{
  xmlNodePtr target = vmd_xml_find (node, path);

  if (present && target == NULL)
    vmd_xml_ensure (node, path);
  else if (!present && target != NULL && target != node)
    {
      xmlNodePtr parent = target->parent;
      vmd_xml_remove (target);
      vmd_xml_prune_empty (parent, node);
    }
}
