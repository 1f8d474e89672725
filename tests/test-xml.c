/* test-xml.c: safe parsing, serialisation and tidy editing
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "vmd-model.h"
#include "vmd-xml.h"

static xmlDocPtr
parse_ok (const char *xml)
{
  g_autoptr (GError) error = NULL;
  xmlDocPtr doc = vmd_xml_parse (xml, -1, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (doc);
  return doc;
}

static void
assert_doc (xmlDocPtr doc, const char *expected)
{
  g_autofree char *out = vmd_xml_serialize (doc, FALSE);
  g_assert_cmpstr (out, ==, expected);
}

static void
test_parse_error_has_line (void)
{
  g_autoptr (GError) error = NULL;
  xmlDocPtr doc = vmd_xml_parse ("<domain>\n  <name>x</name>\n  <oops>\n</domain>\n", -1, NULL,
                                 &error);

  g_assert_null (doc);
  g_assert_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "The definition is not well-formed XML: line 4: "));
  g_assert_nonnull (strstr (error->message, "oops"));
}

static void
test_parse_empty (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_null (vmd_xml_parse (" \n\t", -1, NULL, &error));
  g_assert_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "The definition is empty.");
}

static void
test_parse_refuses_entities (void)
{
  const char *xml = "<?xml version='1.0'?>\n"
                    "<!DOCTYPE domain [\n"
                    "  <!ENTITY secret SYSTEM 'file:///etc/passwd'>\n"
                    "]>\n"
                    "<domain><name>&secret;</name></domain>\n";
  g_autoptr (GError) error = NULL;

  g_assert_null (vmd_xml_parse (xml, -1, NULL, &error));
  g_assert_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==,
                   "The definition declares XML entities (line 3), which are not allowed in a virtual machine definition.");
}

static void
test_parse_too_large (void)
{
  gsize len = VMD_XML_MAX_SIZE + 1;
  g_autofree char *big = g_malloc (len);
  g_autoptr (GError) error = NULL;

  memset (big, ' ', len);
  g_assert_null (vmd_xml_parse (big, len, NULL, &error));
  g_assert_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_TOO_LARGE);
  g_assert_true (g_str_has_prefix (error->message, "The definition is too large (10.5"));
}

static void
test_serialize_escaping (void)
{
  xmlDocPtr doc = parse_ok ("<domain a=\"it's &amp; &lt;x&gt; &quot;q&quot;\" b='line&#10;two&#9;tab'>"
                            "<description>Tom &amp; Jerry's &lt;show&gt;</description>"
                            "<!-- a comment --><?pi data?><![CDATA[raw <stuff>]]></domain>");

  assert_doc (doc, "<domain a='it&apos;s &amp; &lt;x&gt; \"q\"' b='line&#10;two&#9;tab'>"
                   "<description>Tom &amp; Jerry's &lt;show&gt;</description>"
                   "<!-- a comment --><?pi data?><![CDATA[raw <stuff>]]></domain>\n");
  xmlFreeDoc (doc);
}

static void
test_serialize_namespaces (void)
{
  const char *xml =
    "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n"
    "  <qemu:commandline>\n"
    "    <qemu:arg value='-newarg'/>\n"
    "  </qemu:commandline>\n"
    "</domain>\n";
  xmlDocPtr doc = parse_ok (xml);

  assert_doc (doc, xml);
  xmlFreeDoc (doc);
}

static void
test_serialize_declaration (void)
{
  xmlDocPtr doc = parse_ok ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<domain/>\n");
  g_autofree char *with = vmd_xml_serialize (doc, TRUE);
  g_autofree char *without = vmd_xml_serialize (doc, FALSE);

  g_assert_cmpstr (with, ==, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<domain/>\n");
  g_assert_cmpstr (without, ==, "<domain/>\n");
  xmlFreeDoc (doc);
}

static void
test_add_child_indents (void)
{
  xmlDocPtr doc = parse_ok ("<domain>\n  <name>x</name>\n  <devices/>\n</domain>\n");
  xmlNodePtr root = xmlDocGetRootElement (doc);
  xmlNodePtr devices = vmd_xml_child (root, "devices");

  /* Into an empty element: one level deeper than its parent. */
  vmd_xml_add_child (devices, "disk");
  assert_doc (doc, "<domain>\n  <name>x</name>\n  <devices>\n    <disk/>\n  </devices>\n</domain>\n");

  /* Among siblings, in libvirt's order: uuid right after name. */
  vmd_xml_add_child (root, "uuid");
  assert_doc (doc, "<domain>\n  <name>x</name>\n  <uuid/>\n  <devices>\n    <disk/>\n  </devices>\n</domain>\n");

  /* Before the first child when it ranks first. */
  vmd_xml_add_child (devices, "emulator");
  assert_doc (doc, "<domain>\n  <name>x</name>\n  <uuid/>\n  <devices>\n    <emulator/>\n    <disk/>\n  </devices>\n</domain>\n");

  /* Unknown elements go after everything known. */
  vmd_xml_add_child (root, "frobnicate");
  assert_doc (doc, "<domain>\n  <name>x</name>\n  <uuid/>\n  <devices>\n    <emulator/>\n    <disk/>\n  </devices>\n  <frobnicate/>\n</domain>\n");
  xmlFreeDoc (doc);
}

static void
test_add_child_unindented (void)
{
  xmlDocPtr doc = parse_ok ("<domain><name>x</name><devices/></domain>");
  xmlNodePtr root = xmlDocGetRootElement (doc);

  vmd_xml_add_child (root, "uuid");
  vmd_xml_add_child (vmd_xml_child (root, "devices"), "disk");
  /* A document on one line stays on one line. */
  assert_doc (doc, "<domain><name>x</name><uuid/><devices><disk/></devices></domain>\n");
  xmlFreeDoc (doc);
}

static void
test_remove_keeps_layout (void)
{
  const char *xml = "<domain>\n  <name>x</name>\n  <uuid>u</uuid>\n  <devices>\n    <disk/>\n  </devices>\n</domain>\n";
  xmlDocPtr doc = parse_ok (xml);
  xmlNodePtr root = xmlDocGetRootElement (doc);

  vmd_xml_remove (vmd_xml_child (root, "uuid"));
  assert_doc (doc, "<domain>\n  <name>x</name>\n  <devices>\n    <disk/>\n  </devices>\n</domain>\n");

  /* The last child: the parent closes on its own line again. */
  vmd_xml_remove (vmd_xml_child (root, "devices"));
  assert_doc (doc, "<domain>\n  <name>x</name>\n</domain>\n");

  /* The only child: the parent becomes empty. */
  vmd_xml_remove (vmd_xml_child (root, "name"));
  assert_doc (doc, "<domain/>\n");
  xmlFreeDoc (doc);
}

static void
test_attr_and_text_paths (void)
{
  xmlDocPtr doc = parse_ok ("<domain>\n  <os>\n    <type>hvm</type>\n  </os>\n</domain>\n");
  xmlNodePtr root = xmlDocGetRootElement (doc);
  g_autofree char *machine = NULL;
  g_autofree char *type = NULL;

  vmd_xml_set_attr_at (root, "os/type", "machine", "q35");
  machine = vmd_xml_get_attr_at (root, "os/type", "machine");
  g_assert_cmpstr (machine, ==, "q35");

  /* Paths are created in order, attributes pruned with their element. */
  vmd_xml_set_attr_at (root, "os/bootmenu", "enable", "yes");
  assert_doc (doc, "<domain>\n  <os>\n    <type machine='q35'>hvm</type>\n    <bootmenu enable='yes'/>\n  </os>\n</domain>\n");
  vmd_xml_set_attr_at (root, "os/bootmenu", "enable", NULL);
  assert_doc (doc, "<domain>\n  <os>\n    <type machine='q35'>hvm</type>\n  </os>\n</domain>\n");

  vmd_xml_set_text_at (root, "os/kernel", "/boot/vmlinuz");
  assert_doc (doc, "<domain>\n  <os>\n    <type machine='q35'>hvm</type>\n    <kernel>/boot/vmlinuz</kernel>\n  </os>\n</domain>\n");
  vmd_xml_set_text_at (root, "os/kernel", NULL);
  type = vmd_xml_get_text_at (root, "os/type");
  g_assert_cmpstr (type, ==, "hvm");
  assert_doc (doc, "<domain>\n  <os>\n    <type machine='q35'>hvm</type>\n  </os>\n</domain>\n");

  g_assert_true (vmd_xml_get_bool_attr_at (root, "os/missing", "x", TRUE));
  vmd_xml_set_bool_attr_at (root, "features/acpi", "state", FALSE);
  g_assert_false (vmd_xml_get_bool_attr_at (root, "features/acpi", "state", TRUE));
  vmd_xml_set_uint_attr_at (root, "vcpu", "current", 3);
  g_assert_cmpuint (vmd_xml_get_uint_attr_at (root, "vcpu", "current", 0), ==, 3);
  g_assert_cmpuint (vmd_xml_get_uint_attr_at (root, "vcpu", "missing", 7), ==, 7);
  xmlFreeDoc (doc);
}

/* Numbers read as libvirt reads them: strtoull() with base 0, but nothing
 * it would skip or cut short. */
static void
test_uint_attr_parsing (void)
{
  const struct {
    const char *text;
    guint64     value;  /* 42, the default, for what does not read */
  } cases[] = {
    { "0", 0 },
    { "16", 16 },
    { "0x10", 16 },
    { "0X1a", 26 },
    { "0x0006", 6 },
    { "0x00000000000000000000ff", 255 },
    { "020", 16 },  /* octal, like libvirt's base 0 */
    { "18446744073709551615", G_MAXUINT64 },
    { "0xffffffffffffffff", G_MAXUINT64 },
    { "", 42 },
    { "-1", 42 },
    { "+1", 42 },
    { " 1", 42 },
    { "1 ", 42 },
    { "12abc", 42 },
    { "1.5", 42 },
    { "0x", 42 },
    { "0x1g", 42 },
    { "x10", 42 },
    { "08", 42 },
    { "18446744073709551616", 42 },
    { "99999999999999999999999", 42 },
    { "0x10000000000000000", 42 },
  };
  xmlNodePtr node = xmlNewNode (NULL, (const xmlChar *) "target");

  g_assert_cmpuint (vmd_xml_get_uint_attr_at (node, NULL, "port", 42), ==, 42);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("port='%s'", cases[i].text);
      vmd_xml_set_attr (node, "port", cases[i].text);
      g_assert_cmpuint (vmd_xml_get_uint_attr_at (node, NULL, "port", 42), ==, cases[i].value);
    }

  /* What the setter writes reads back. */
  vmd_xml_set_uint_attr_at (node, NULL, "port", G_MAXUINT64);
  g_assert_cmpuint (vmd_xml_get_uint_attr_at (node, NULL, "port", 42), ==, G_MAXUINT64);
  xmlFreeNode (node);
}

static const char *const test_attr_order[] = { "type", "index", "model", "ports", NULL };

static void
test_set_attr_ordered (void)
{
  const struct {
    const char *xml, *name, *value, *expected;
  } cases[] = {
    /* A new attribute goes after the last one it follows... */
    { "<c type='usb' model='x'/>", "index", "0", "<c type='usb' index='0' model='x'/>" },
    { "<c type='usb' index='0'/>", "ports", "4", "<c type='usb' index='0' ports='4'/>" },
    { "<c model='x' type='usb'/>", "index", "0", "<c model='x' type='usb' index='0'/>" },
    /* ...or else before the first one it precedes... */
    { "<c model='x' ports='4'/>", "type", "pci", "<c type='pci' model='x' ports='4'/>" },
    /* ...or else last; attributes not in the order do not count. */
    { "<c/>", "index", "1", "<c index='1'/>" },
    { "<c a='1' b='2'/>", "index", "1", "<c a='1' b='2' index='1'/>" },
    { "<c type='usb' a='1' model='x'/>", "index", "1", "<c type='usb' index='1' a='1' model='x'/>" },
    { "<c a='1' model='x' b='2'/>", "index", "1", "<c a='1' index='1' model='x' b='2'/>" },
    { "<c type='usb' a='1' model='x' b='2'/>", "ports", "2",
      "<c type='usb' a='1' model='x' ports='2' b='2'/>" },
    /* One not in the order is appended; one that exists keeps its place. */
    { "<c type='usb' model='x'/>", "frob", "y", "<c type='usb' model='x' frob='y'/>" },
    { "<c model='x' type='usb'/>", "type", "pci", "<c model='x' type='pci'/>" },
    /* %NULL removes it, or does nothing. */
    { "<c type='usb' index='0' model='x'/>", "index", NULL, "<c type='usb' model='x'/>" },
    { "<c type='usb'/>", "model", NULL, "<c type='usb'/>" },
    /* Values are escaped as usual; the element keeps its children. */
    { "<c type='usb'>\n  <address/>\n</c>", "model", "a'b&c",
      "<c type='usb' model='a&apos;b&amp;c'>\n  <address/>\n</c>" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      xmlDocPtr doc = parse_ok (cases[i].xml);
      g_autofree char *expected = g_strconcat (cases[i].expected, "\n", NULL);

      g_test_message ("%s, %s='%s'", cases[i].xml, cases[i].name, cases[i].value);
      vmd_xml_set_attr_ordered (xmlDocGetRootElement (doc), cases[i].name, cases[i].value,
                                test_attr_order);
      assert_doc (doc, expected);
      xmlFreeDoc (doc);
    }
}

/* Every new attribute in turn: the list stays whole and in order. */
static void
test_set_attr_ordered_all_positions (void)
{
  const char *const names[] = { "ports", "type", "model", "index" };
  xmlDocPtr doc = parse_ok ("<c x='0'/>");
  xmlNodePtr node = xmlDocGetRootElement (doc);
  xmlAttrPtr prev = NULL;
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    vmd_xml_set_attr_ordered (node, names[i], names[i], test_attr_order);
  assert_doc (doc, "<c x='0' type='type' index='index' model='model' ports='ports'/>\n");

  for (xmlAttrPtr a = node->properties; a; a = a->next, n++)
    {
      g_assert_true (a->prev == prev);
      g_assert_true (a->parent == node);
      g_assert_true (a->doc == doc);
      prev = a;
    }
  g_assert_cmpuint (n, ==, 5);
  xmlFreeDoc (doc);
}

/* A host device's <source> has an order; other sources' children, which
 * it does not list, keep being added last. */
static void
test_source_child_order (void)
{
  xmlDocPtr doc = parse_ok ("<devices>"
                            "<hostdev><source><address bus='1'/></source></hostdev>"
                            "<disk><source protocol='nbd'><host name='a'/></source></disk>"
                            "</devices>");
  xmlNodePtr root = xmlDocGetRootElement (doc);

  vmd_xml_ensure (root, "hostdev/source/product");
  vmd_xml_ensure (root, "hostdev/source/vendor");
  vmd_xml_add_child (vmd_xml_find (root, "disk/source"), "host");
  vmd_xml_add_child (vmd_xml_find (root, "disk/source"), "auth");
  assert_doc (doc, "<devices>"
                   "<hostdev><source><vendor/><product/><address bus='1'/></source></hostdev>"
                   "<disk><source protocol='nbd'><host name='a'/><host/><auth/></source></disk>"
                   "</devices>\n");
  xmlFreeDoc (doc);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/xml/parse/error-has-line", test_parse_error_has_line);
  g_test_add_func ("/xml/parse/empty", test_parse_empty);
  g_test_add_func ("/xml/parse/refuses-entities", test_parse_refuses_entities);
  g_test_add_func ("/xml/parse/too-large", test_parse_too_large);
  g_test_add_func ("/xml/serialize/escaping", test_serialize_escaping);
  g_test_add_func ("/xml/serialize/namespaces", test_serialize_namespaces);
  g_test_add_func ("/xml/serialize/declaration", test_serialize_declaration);
  g_test_add_func ("/xml/edit/add-child-indents", test_add_child_indents);
  g_test_add_func ("/xml/edit/add-child-unindented", test_add_child_unindented);
  g_test_add_func ("/xml/edit/remove-keeps-layout", test_remove_keeps_layout);
  g_test_add_func ("/xml/edit/attr-and-text-paths", test_attr_and_text_paths);
  g_test_add_func ("/xml/attr/uint-parsing", test_uint_attr_parsing);
  g_test_add_func ("/xml/attr/set-ordered", test_set_attr_ordered);
  g_test_add_func ("/xml/attr/set-ordered-all-positions", test_set_attr_ordered_all_positions);
  g_test_add_func ("/xml/edit/source-child-order", test_source_child_order);

  return g_test_run ();
}
