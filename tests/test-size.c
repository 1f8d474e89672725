/* test-size.c: sizes with units
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "vmd-model.h"

static void
test_units (void)
{
  const struct { guint64 value; const char *unit; guint64 kib; } cases[] = {
    { 4, NULL, 4 },
    { 4, "", 4 },
    { 4, "KiB", 4 },
    { 4, "k", 4 },
    { 4, "K", 4 },
    { 1, "MiB", 1024 },
    { 1, "M", 1024 },
    { 1, "m", 1024 },
    { 2, "GiB", 2097152 },
    { 2, "G", 2097152 },
    { 1, "TiB", 1073741824ULL },
    { 1000, "KB", 977 },          /* 1,000,000 bytes, rounded up */
    { 1, "MB", 977 },
    { 1, "GB", 976563 },
    { 1024, "b", 1 },
    { 1025, "bytes", 2 },         /* libvirt rounds bytes up to whole KiB */
    { 1, "byte", 1 },
    { 0, "GiB", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      guint64 kib = G_MAXUINT64;

      g_assert_true (vmd_size_to_kib (cases[i].value, cases[i].unit, &kib, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (kib, ==, cases[i].kib);
    }
}

static void
test_unknown_unit (void)
{
  g_autoptr (GError) error = NULL;
  guint64 kib;

  g_assert_false (vmd_size_to_kib (4, "XB", &kib, &error));
  g_assert_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "The unit \"XB\" is not known; use one of b, KiB, MiB, GiB, TiB, KB, MB, GB or TB.");
}

static void
test_overflow (void)
{
  g_autoptr (GError) error = NULL;
  guint64 kib;

  g_assert_false (vmd_size_to_kib (G_MAXUINT64 / 2, "EiB", &kib, &error));
  g_assert_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "The size is too large.");
}

static void
test_parse (void)
{
  const struct { const char *text; const char *def; guint64 kib; } cases[] = {
    { "4 GiB", NULL, 4194304 },
    { "4GiB", NULL, 4194304 },
    { "  512 M ", NULL, 524288 },
    { "1.5 GiB", NULL, 1572864 },
    { "0.5 MiB", NULL, 512 },
    { "2048", "MiB", 2097152 },
    { "2048", NULL, 2048 },
    { "1 GB", NULL, 976563 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      guint64 kib = 0;

      g_assert_true (vmd_size_parse (cases[i].text, cases[i].def, &kib, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (kib, ==, cases[i].kib);
    }
}

static void
test_parse_errors (void)
{
  const struct { const char *text; const char *message; } cases[] = {
    { "", "No size was given." },
    { "   ", "No size was given." },
    { "lots", "\"lots\" is not a size; write a number and a unit, such as 4 GiB." },
    { "-4 GiB", "\"-4 GiB\" is not a size; write a number and a unit, such as 4 GiB." },
    { "4 parsecs", "The unit \"parsecs\" is not known; use one of b, KiB, MiB, GiB, TiB, KB, MB, GB or TB." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      guint64 kib;

      g_assert_false (vmd_size_parse (cases[i].text, "MiB", &kib, &error));
      g_assert_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_format (void)
{
  const struct { guint64 kib; const char *text; } cases[] = {
    { 0, "0 KiB" },
    { 512, "512 KiB" },
    { 1024, "1 MiB" },
    { 1536, "1.5 MiB" },
    { 1048576, "1 GiB" },
    { 4194304, "4 GiB" },
    { 1073741824ULL, "1 TiB" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = vmd_size_format (cases[i].kib);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/size/units", test_units);
  g_test_add_func ("/size/unknown-unit", test_unknown_unit);
  g_test_add_func ("/size/overflow", test_overflow);
  g_test_add_func ("/size/parse", test_parse);
  g_test_add_func ("/size/parse-errors", test_parse_errors);
  g_test_add_func ("/size/format", test_format);

  return g_test_run ();
}
