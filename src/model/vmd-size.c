/* vmd-size.c: sizes with units, as libvirt writes them
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * libvirt reads "b"/"bytes", decimal "KB", "MB", … and binary "k"/"KiB",
 * "M"/"MiB", …, defaulting to KiB; sizes are kept in KiB, rounding bytes up
 * as libvirt does.
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vmd-model-error.h"
#include "vmd-size.h"

static gboolean
unit_to_multiplier (const char *unit, guint64 *multiplier)
{
  static const struct { const char *name; guint64 mult; } units[] = {
    { "b", 1 }, { "byte", 1 }, { "bytes", 1 },
    { "KB", 1000ULL }, { "k", 1024ULL }, { "KiB", 1024ULL },
    { "MB", 1000000ULL }, { "M", 1048576ULL }, { "MiB", 1048576ULL },
    { "GB", 1000000000ULL }, { "G", 1073741824ULL }, { "GiB", 1073741824ULL },
    { "TB", 1000000000000ULL }, { "T", 1099511627776ULL }, { "TiB", 1099511627776ULL },
    { "PB", 1000000000000000ULL }, { "P", 1125899906842624ULL },
    { "PiB", 1125899906842624ULL },
    { "EB", 1000000000000000000ULL }, { "E", 1152921504606846976ULL },
    { "EiB", 1152921504606846976ULL },
  };

  if (unit == NULL || *unit == '\0')
    {
      *multiplier = 1024;
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      /* libvirt's unit names are case-insensitive except that a lone
       * "b" must not be confused with anything else. */
      if (g_ascii_strcasecmp (units[i].name, unit) == 0)
        {
          *multiplier = units[i].mult;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
vmd_size_to_bytes (guint64      value,
                   const char  *unit,
                   guint64     *bytes,
                   GError     **error)
{
  guint64 mult;

  if (!unit_to_multiplier (unit, &mult))
    {
      g_set_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_INVALID,
                   _("The unit \"%s\" is not known; use one of b, KiB, MiB, GiB, TiB, KB, MB, GB or TB."),
                   unit);
      return FALSE;
    }
  if (value != 0 && mult > G_MAXUINT64 / value)
    {
      g_set_error_literal (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_INVALID,
                           _("The size is too large."));
      return FALSE;
    }
  *bytes = value * mult;
  return TRUE;
}

gboolean
vmd_size_to_kib (guint64      value,
                 const char  *unit,
                 guint64     *kib,
                 GError     **error)
{
  guint64 mult;

  if (!unit_to_multiplier (unit, &mult))
    return vmd_size_to_bytes (value, unit, kib, error);

  if (mult % 1024 == 0)
    {
      mult /= 1024;
      if (value != 0 && mult > G_MAXUINT64 / value)
        {
          g_set_error_literal (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_INVALID,
                               _("The size is too large."));
          return FALSE;
        }
      *kib = value * mult;
      return TRUE;
    }

  {
    guint64 bytes;

    if (!vmd_size_to_bytes (value, unit, &bytes, error))
      return FALSE;
    *kib = bytes / 1024 + (bytes % 1024 != 0);
  }
  return TRUE;
}

gboolean
vmd_size_parse (const char  *text,
                const char  *default_unit,
                guint64     *kib,
                GError     **error)
{
  g_autofree char *copy = NULL;
  char *end = NULL;
  char *unit;
  guint64 value;
  double fvalue;

  if (text == NULL || *(text = g_strstrip (copy = g_strdup (text))) == '\0')
    {
      g_set_error_literal (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_INVALID,
                           _("No size was given."));
      return FALSE;
    }
  if (!g_ascii_isdigit (*text))
    {
      g_set_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_INVALID,
                   _("\"%s\" is not a size; write a number and a unit, such as 4 GiB."), text);
      return FALSE;
    }

  fvalue = g_ascii_strtod (text, &end);
  unit = end;
  while (g_ascii_isspace (*unit))
    unit++;
  if (*unit == '\0')
    unit = (char *) default_unit;

  if (fvalue != (double) (guint64) fvalue)
    {
      /* "1.5 GiB": scale through bytes to keep the fraction. */
      guint64 mult_bytes;
      if (!vmd_size_to_bytes (1, unit, &mult_bytes, error))
        return FALSE;
      if (fvalue * (double) mult_bytes > (double) G_MAXUINT64)
        {
          g_set_error_literal (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_INVALID,
                               _("The size is too large."));
          return FALSE;
        }
      value = (guint64) (fvalue * (double) mult_bytes);
      *kib = value / 1024 + (value % 1024 != 0);
      return TRUE;
    }

  value = (guint64) fvalue;
  return vmd_size_to_kib (value, unit, kib, error);
}

char *
vmd_size_format (guint64 kib)
{
  static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
  double value = (double) kib;
  guint i = 0;

  while (value >= 1024 && i + 1 < G_N_ELEMENTS (units))
    {
      value /= 1024;
      i++;
    }
  if (value == (double) (guint64) value)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " %s", (guint64) value, units[i]);
  return g_strdup_printf ("%.1f %s", value, units[i]);
}
