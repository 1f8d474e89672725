/* test-corpus-roundtrip.c: every real definition survives load/save, and an
 * edit changes that field and nothing else
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The corpus holds libvirt's own test inputs and outputs and virt-manager's
 * XML: 1,642 documents. Each is compared canonically (C14N, comments kept,
 * order kept) against what the model writes.
 */
#include <libxml/parser.h>
#include <libxml/c14n.h>
#include <string.h>

#include "corpus-util.h"
#include "vmd-model.h"

static const char *const corpus_sets[] = {
  "libvirt-qemuxml2argv",
  "virt-manager/cli-compare",
  "virt-manager/xmlparse",
  NULL
};

typedef enum {
  EDIT_NONE,
  EDIT_NAME,
  EDIT_VCPUS,
  EDIT_DISK_SOURCE,
} Edit;

static xmlNodePtr
child_element (xmlNodePtr parent, const char *name)
{
  for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && strcmp ((const char *) c->name, name) == 0)
      return c;
  return NULL;
}

/* The first file-backed disk with a source file, chosen the same way on
 * both sides. */
static xmlNodePtr
first_file_disk_source (xmlDocPtr doc)
{
  xmlNodePtr devices = child_element (xmlDocGetRootElement (doc), "devices");

  for (xmlNodePtr c = devices ? devices->children : NULL; c; c = c->next)
    {
      xmlChar *type;
      xmlNodePtr source;
      gboolean match;

      if (c->type != XML_ELEMENT_NODE || strcmp ((const char *) c->name, "disk") != 0)
        continue;
      type = xmlGetProp (c, (const xmlChar *) "type");
      source = child_element (c, "source");
      match = type && strcmp ((const char *) type, "file") == 0 && source &&
              xmlHasProp (source, (const xmlChar *) "file");
      xmlFree (type);
      if (match)
        return source;
    }
  return NULL;
}

/* What the document must look like after the edit, made with plain libxml2.
 * Returns NULL when the edit does not apply to this document. */
static char *
expected_after_edit (const char *xml, gsize len, Edit edit)
{
  xmlDocPtr doc = xmlReadMemory (xml, (int) len, NULL, NULL, XML_PARSE_NONET);
  xmlNodePtr root = xmlDocGetRootElement (doc);
  xmlNodePtr node;
  xmlChar *out = NULL;
  char *ret = NULL;

  switch (edit)
    {
    case EDIT_NAME:
      node = child_element (root, "name");
      if (node == NULL)
        goto out;
      xmlNodeSetContent (node, (const xmlChar *) "vmdesk-edited");
      break;
    case EDIT_VCPUS:
      {
        xmlChar *text;
        guint64 n;
        char buf[32];

        node = child_element (root, "vcpu");
        if (node == NULL)
          goto out;
        text = xmlNodeGetContent (node);
        if (!g_ascii_string_to_unsigned ((const char *) text, 10, 1, 65534, &n, NULL))
          {
            xmlFree (text);
            goto out;
          }
        xmlFree (text);
        g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, n + 1);
        xmlNodeSetContent (node, (const xmlChar *) buf);
      }
      break;
    case EDIT_DISK_SOURCE:
      node = first_file_disk_source (doc);
      if (node == NULL)
        goto out;
      xmlSetProp (node, (const xmlChar *) "file", (const xmlChar *) "/srv/vmdesk/edited.qcow2");
      break;
    case EDIT_NONE:
    default:
      break;
    }

  xmlC14NDocDumpMemory (doc, NULL, XML_C14N_1_0, NULL, 1, &out);
  ret = g_strdup ((const char *) out);
  xmlFree (out);
out:
  xmlFreeDoc (doc);
  return ret;
}

static gboolean
apply_edit (VmdDomainConfig *config, Edit edit)
{
  switch (edit)
    {
    case EDIT_NAME:
      vmd_domain_config_set_name (config, "vmdesk-edited");
      return TRUE;
    case EDIT_VCPUS:
      vmd_domain_config_set_vcpus (config, vmd_domain_config_get_vcpus (config) + 1);
      return TRUE;
    case EDIT_DISK_SOURCE:
      {
        g_autoptr (GPtrArray) disks = vmd_domain_config_get_devices (config,
                                                                     VMD_TYPE_DEVICE_DISK);
        for (guint i = 0; i < disks->len; i++)
          {
            VmdDeviceDisk *disk = g_ptr_array_index (disks, i);
            g_autofree char *type = vmd_device_disk_get_disk_type (disk);
            g_autofree char *source = vmd_device_disk_get_source (disk);

            if (g_strcmp0 (type, "file") == 0 && source != NULL)
              {
                vmd_device_disk_set_source (disk, "/srv/vmdesk/edited.qcow2");
                return TRUE;
              }
          }
        return FALSE;
      }
    case EDIT_NONE:
    default:
      return TRUE;
    }
}

static const char *
edit_name (Edit edit)
{
  switch (edit)
    {
    case EDIT_NAME: return "name";
    case EDIT_VCPUS: return "vcpus";
    case EDIT_DISK_SOURCE: return "disk source";
    case EDIT_NONE:
    default: return "none";
    }
}

static void
run_pass (Edit edit)
{
  g_autoptr (GPtrArray) files = corpus_list_xml (corpus_sets);
  g_autoptr (GString) failures = g_string_new (NULL);
  guint n_failed = 0, n_checked = 0, n_identical = 0;

  g_assert_cmpuint (files->len, >=, 1600);

  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *xml = NULL;
      g_autofree char *saved = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *actual = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (VmdDomainConfig) config = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (path, &xml, &len, NULL));

      expected = expected_after_edit (xml, len, edit);
      if (expected == NULL)
        continue;  /* the field is absent: nothing to edit */

      config = vmd_domain_config_new_from_xml (xml, len, &error);
      if (config == NULL)
        {
          g_string_append_printf (failures, "  %s: does not load: %s\n", path, error->message);
          n_failed++;
          continue;
        }
      if (!apply_edit (config, edit))
        {
          g_string_append_printf (failures, "  %s: the model found nothing to edit\n", path);
          n_failed++;
          continue;
        }

      saved = vmd_domain_config_to_xml (config);
      if (edit == EDIT_NONE && strcmp (saved, xml) == 0)
        n_identical++;
      actual = corpus_canonical (saved, strlen (saved), &error);
      n_checked++;
      if (actual == NULL)
        {
          g_string_append_printf (failures, "  %s: the saved document is not well-formed\n",
                                  path);
          n_failed++;
        }
      else if (strcmp (actual, expected) != 0)
        {
          gsize at = 0;
          while (actual[at] && actual[at] == expected[at])
            at++;
          g_string_append_printf (failures, "  %s: differs at byte %zu: saved \"%.60s\", expected \"%.60s\"\n",
                                  path, at, actual + at, expected + at);
          n_failed++;
        }
    }

  g_test_message ("edit %s: %u documents checked, %u failed", edit_name (edit), n_checked,
                  n_failed);
  if (edit == EDIT_NONE)
    g_test_message ("%u of %u documents are saved byte for byte as they were read",
                    n_identical, n_checked);
  if (n_failed > 0)
    {
      g_test_message ("These documents fail:\n%s", failures->str);
      g_test_fail ();
    }
  /* Every edit must apply to a good share of the corpus, or it tests little. */
  g_assert_cmpuint (n_checked, >=, edit == EDIT_DISK_SOURCE ? 100 : 1500);
}

static void
test_roundtrip_unedited (void)
{
  run_pass (EDIT_NONE);
}

static void
test_roundtrip_name (void)
{
  run_pass (EDIT_NAME);
}

static void
test_roundtrip_vcpus (void)
{
  run_pass (EDIT_VCPUS);
}

static void
test_roundtrip_disk_source (void)
{
  run_pass (EDIT_DISK_SOURCE);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/corpus/roundtrip/unedited", test_roundtrip_unedited);
  g_test_add_func ("/corpus/roundtrip/edit-name", test_roundtrip_name);
  g_test_add_func ("/corpus/roundtrip/edit-vcpus", test_roundtrip_vcpus);
  g_test_add_func ("/corpus/roundtrip/edit-disk-source", test_roundtrip_disk_source);

  return g_test_run ();
}
