/* vmd-guest-interface.h: a network interface as the guest sees it, from
 * the guest agent
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct {
  char  *name;        /* "eth0" */
  char  *mac;         /* lower case, "52:54:00:12:34:56"; NULL when the agent gave none */
  GStrv  addresses;   /* "10.0.2.15/24", "fe80::5054:ff:fe12:3456/64"; never NULL */
} VmdGuestInterface;

#define VMD_TYPE_GUEST_INTERFACE (vmd_guest_interface_get_type ())

GType              vmd_guest_interface_get_type (void) G_GNUC_CONST;
VmdGuestInterface *vmd_guest_interface_copy     (const VmdGuestInterface *iface);
void               vmd_guest_interface_free     (VmdGuestInterface       *iface);
/* The interface with MAC address @mac in @interfaces (VmdGuestInterface), or NULL. */
VmdGuestInterface *vmd_guest_interface_find     (GPtrArray               *interfaces,
                                                 const char              *mac);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdGuestInterface, vmd_guest_interface_free)

G_END_DECLS
