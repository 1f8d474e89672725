/* vmd-xml.h: safe parsing, libvirt-style serialisation and tidy editing of XML
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

/* libvirt's own tools refuse definitions above 10 MiB; so do we. */
#define VMD_XML_MAX_SIZE (10 * 1024 * 1024)

xmlDocPtr  vmd_xml_parse            (const char  *data,
                                     gssize       len,
                                     const char  *filename,
                                     GError     **error);
char      *vmd_xml_serialize        (xmlDocPtr    doc,
                                     gboolean     with_declaration);
char      *vmd_xml_serialize_node   (xmlNodePtr   node);

xmlNodePtr vmd_xml_child            (xmlNodePtr   parent,
                                     const char  *name);
xmlNodePtr vmd_xml_next_element     (xmlNodePtr   node,
                                     const char  *name);
xmlNodePtr vmd_xml_find             (xmlNodePtr   node,
                                     const char  *path);
xmlNodePtr vmd_xml_ensure           (xmlNodePtr   node,
                                     const char  *path);
xmlNodePtr vmd_xml_add_child        (xmlNodePtr   parent,
                                     const char  *name);
void       vmd_xml_add_ordered      (xmlNodePtr   parent,
                                     xmlNodePtr   child);
void       vmd_xml_insert_node      (xmlNodePtr   parent,
                                     xmlNodePtr   child,
                                     xmlNodePtr   after);
void       vmd_xml_remove           (xmlNodePtr   node);
void       vmd_xml_prune_empty      (xmlNodePtr   node,
                                     xmlNodePtr   stop);
void       vmd_xml_detach           (xmlNodePtr   node);
guint      vmd_xml_count_elements   (xmlNodePtr   parent,
                                     const char  *name);

char      *vmd_xml_get_attr         (xmlNodePtr   node,
                                     const char  *name);
void       vmd_xml_set_attr         (xmlNodePtr   node,
                                     const char  *name,
                                     const char  *value);
void       vmd_xml_set_attr_ordered (xmlNodePtr   node,
                                     const char  *name,
                                     const char  *value,
                                     const char *const *order);
char      *vmd_xml_get_text         (xmlNodePtr   node);
void       vmd_xml_set_text         (xmlNodePtr   node,
                                     const char  *text);

char      *vmd_xml_get_attr_at      (xmlNodePtr   node,
                                     const char  *path,
                                     const char  *attr);
void       vmd_xml_set_attr_at      (xmlNodePtr   node,
                                     const char  *path,
                                     const char  *attr,
                                     const char  *value);
char      *vmd_xml_get_text_at      (xmlNodePtr   node,
                                     const char  *path);
void       vmd_xml_set_text_at      (xmlNodePtr   node,
                                     const char  *path,
                                     const char  *text);
gboolean   vmd_xml_get_bool_attr_at (xmlNodePtr   node,
                                     const char  *path,
                                     const char  *attr,
                                     gboolean     default_value);
void       vmd_xml_set_bool_attr_at (xmlNodePtr   node,
                                     const char  *path,
                                     const char  *attr,
                                     gboolean     value);
guint64    vmd_xml_get_uint_attr_at (xmlNodePtr   node,
                                     const char  *path,
                                     const char  *attr,
                                     guint64      default_value);
void       vmd_xml_set_uint_attr_at (xmlNodePtr   node,
                                     const char  *path,
                                     const char  *attr,
                                     guint64      value);
gboolean   vmd_xml_has              (xmlNodePtr   node,
                                     const char  *path);
gboolean   vmd_xml_has_attr         (xmlNodePtr   node,
                                     const char  *name);
void       vmd_xml_set_present      (xmlNodePtr   node,
                                     const char  *path,
                                     gboolean     present);

G_END_DECLS
