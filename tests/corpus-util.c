/* corpus-util.c: finding and reading ../shared/corpus from tests
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <string.h>

#include "corpus-util.h"

const char *
corpus_dir (void)
{
  static char *dir;

  if (dir == NULL)
    {
      const char *env = g_getenv ("VMD_CORPUS_DIR");
      dir = g_strdup (env ? env : "../shared/corpus");
    }
  return dir;
}

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Every *.xml directly under each of @subdirs, sorted. */
GPtrArray *
corpus_list_xml (const char *const *subdirs)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; subdirs[i]; i++)
    {
      g_autofree char *path = g_build_filename (corpus_dir (), subdirs[i], NULL);
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      if (dir == NULL)
        g_error ("The corpus folder %s is missing: set VMD_CORPUS_DIR.", path);
      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, ".xml"))
          g_ptr_array_add (files, g_build_filename (path, name, NULL));
    }
  g_ptr_array_sort (files, compare_paths);
  return files;
}

/* Canonical XML (C14N 1.0 with comments) by a plain libxml2 parse that
 * shares nothing with the model's own parser, so the two judge each other. */
char *
corpus_canonical (const char *xml, gsize len, GError **error)
{
  xmlDocPtr doc = xmlReadMemory (xml, (int) len, NULL, NULL, XML_PARSE_NONET);
  xmlChar *out = NULL;
  char *ret;
  int n;

  if (doc == NULL)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE, "not well-formed");
      return NULL;
    }
  n = xmlC14NDocDumpMemory (doc, NULL, XML_C14N_1_0, NULL, 1, &out);
  xmlFreeDoc (doc);
  if (n < 0)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE, "cannot canonicalise");
      return NULL;
    }
  ret = g_strdup ((const char *) out);
  xmlFree (out);
  return ret;
}
