/* test-corpus-validate.c: the validators agree with libvirt on real definitions
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every definition libvirt turns into a QEMU command line must pass the
 * model's own validation; libvirt's RELAX-NG schema must give, for every
 * document, the verdict recorded in the corpus index (xmllint's).
 */
#include <string.h>

#include "corpus-util.h"
#include "vmd-model.h"

/* INDEX.tsv: file → relaxng verdict ("valid", "invalid", "not-well-formed"). */
static GHashTable *
load_index (void)
{
  g_autofree char *path = g_build_filename (corpus_dir (), "INDEX.tsv", NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  GHashTable *index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  int col_file = -1, col_rng = -1;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] && *lines[i]; i++)
    {
      g_auto (GStrv) cols = g_strsplit (lines[i], "\t", -1);

      if (i == 0)
        {
          for (int c = 0; cols[c]; c++)
            {
              if (g_str_equal (cols[c], "file"))
                col_file = c;
              else if (g_str_equal (cols[c], "relaxng_domain_rng"))
                col_rng = c;
            }
          g_assert_cmpint (col_file, >=, 0);
          g_assert_cmpint (col_rng, >=, 0);
          continue;
        }
      if ((int) g_strv_length (cols) > MAX (col_file, col_rng))
        g_hash_table_insert (index, g_strdup (cols[col_file]), g_strdup (cols[col_rng]));
    }
  return index;
}

static void
test_model_accepts_libvirt_inputs (void)
{
  static const char *const sets[] = { "libvirt-qemuxml2argv", "virt-manager/cli-compare", NULL };
  g_autoptr (GPtrArray) files = corpus_list_xml (sets);
  g_autoptr (GString) failures = g_string_new (NULL);
  guint n_failed = 0;

  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autoptr (GError) error = NULL;
      g_autoptr (VmdDomainConfig) config = vmd_domain_config_new_from_file (path, &error);

      g_assert_no_error (error);
      if (!vmd_domain_config_validate (config, &error))
        {
          g_string_append_printf (failures, "  %s: %s\n", path, error->message);
          n_failed++;
        }
    }

  g_test_message ("%u definitions checked, %u rejected", files->len, n_failed);
  if (n_failed > 0)
    {
      g_test_message ("The model rejects definitions libvirt accepts:\n%s", failures->str);
      g_test_fail ();
    }
}

static void
test_schema_matches_index (void)
{
  static const char *const sets[] = {
    "libvirt-qemuxml2argv", "virt-manager/cli-compare", "virt-manager/xmlparse", NULL
  };
  g_autoptr (GPtrArray) files = corpus_list_xml (sets);
  g_autoptr (GHashTable) index = load_index ();
  g_autoptr (GString) failures = g_string_new (NULL);
  g_autofree char *rng = g_build_filename (corpus_dir (), "libvirt-schemas", "domain.rng", NULL);
  gsize prefix = strlen (corpus_dir ()) + 1;
  guint n_failed = 0, n_valid = 0, n_invalid = 0;

  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      const char *expected = g_hash_table_lookup (index, path + prefix);
      g_autoptr (GError) error = NULL;
      g_autoptr (VmdDomainConfig) config = vmd_domain_config_new_from_file (path, &error);
      gboolean valid;

      if (expected == NULL)
        continue;  /* not a domain document the index judged */
      g_assert_no_error (error);

      valid = vmd_domain_config_validate_schema (config, rng, &error);
      if (valid)
        n_valid++;
      else
        {
          n_invalid++;
          g_assert_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_SCHEMA);
          g_assert_nonnull (strstr (error->message, "line "));
          g_assert_null (strstr (error->message, "line 0:"));  /* a real place */
        }
      if (valid != g_str_equal (expected, "valid"))
        {
          g_string_append_printf (failures, "  %s: index says %s, vmdesk says %s%s%s\n", path,
                                  expected, valid ? "valid" : "invalid",
                                  error ? ": " : "", error ? error->message : "");
          n_failed++;
        }
    }

  g_test_message ("schema: %u valid, %u invalid, %u disagree with the index",
                  n_valid, n_invalid, n_failed);
  g_assert_cmpuint (n_valid + n_invalid, >=, 1600);
  g_assert_cmpuint (n_invalid, >=, 30);
  if (n_failed > 0)
    {
      g_test_message ("Verdicts that differ from xmllint's:\n%s", failures->str);
      g_test_fail ();
    }
}

static void
test_installed_schema (void)
{
  g_autoptr (VmdDomainConfig) config = vmd_domain_config_new ("installed-schema");
  g_autoptr (GError) error = NULL;

  if (vmd_domain_config_get_default_schema_path () == NULL)
    {
      g_test_skip ("libvirt's schemas are not installed");
      return;
    }
  g_assert_true (vmd_domain_config_validate_schema (config, NULL, &error));
  g_assert_no_error (error);

  /* An element libvirt does not know, on line 3 of the saved text. */
  {
    g_autofree char *xml = vmd_domain_config_to_xml (config);
    g_autofree char *broken = NULL;
    g_autoptr (VmdDomainConfig) bad = NULL;
    char *at = strstr (xml, "  <uuid>");

    g_assert_nonnull (at);
    broken = g_strdup_printf ("%.*s  <flux-capacitor/>\n%s", (int) (at - xml), xml, at);
    bad = vmd_domain_config_new_from_xml (broken, -1, &error);
    g_assert_no_error (error);
    g_assert_false (vmd_domain_config_validate_schema (bad, NULL, &error));
    g_assert_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_SCHEMA);
    g_assert_nonnull (strstr (error->message, "line 3"));
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/corpus/validate/model-accepts-libvirt-inputs",
                   test_model_accepts_libvirt_inputs);
  g_test_add_func ("/corpus/validate/schema-matches-index", test_schema_matches_index);
  g_test_add_func ("/corpus/validate/installed-schema", test_installed_schema);

  return g_test_run ();
}
