/* vmd-guest-interface.c: a network interface as the guest sees it
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "vmd-guest-interface.h"

G_DEFINE_BOXED_TYPE (VmdGuestInterface, vmd_guest_interface, vmd_guest_interface_copy,
                     vmd_guest_interface_free)

VmdGuestInterface *
vmd_guest_interface_copy (const VmdGuestInterface *iface)
{
  VmdGuestInterface *copy = g_new0 (VmdGuestInterface, 1);

  copy->name = g_strdup (iface->name);
  copy->mac = g_strdup (iface->mac);
  copy->addresses = g_strdupv (iface->addresses);
  return copy;
}

void
vmd_guest_interface_free (VmdGuestInterface *iface)
{
  if (iface == NULL)
    return;
  g_free (iface->name);
  g_free (iface->mac);
  g_strfreev (iface->addresses);
  g_free (iface);
}

VmdGuestInterface *
vmd_guest_interface_find (GPtrArray *interfaces, const char *mac)
{
  for (guint i = 0; interfaces != NULL && mac != NULL && i < interfaces->len; i++)
    {
      VmdGuestInterface *iface = g_ptr_array_index (interfaces, i);

      if (iface->mac != NULL && g_ascii_strcasecmp (iface->mac, mac) == 0)
        return iface;
    }
  return NULL;
}
