/* vmd-device-interface.h: a network interface
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

/* One forwarded port (or port range) of a user-mode (passt) interface:
 * host ports host_port..host_port_end reach the guest from guest_port on. */
typedef struct
{
  char  *proto;          /* "tcp" or "udp" */
  char  *address;        /* the host address listened on, NULL for all */
  guint  host_port;
  guint  host_port_end;  /* == host_port for a single port */
  guint  guest_port;
} VmdPortForward;

#define VMD_TYPE_PORT_FORWARD (vmd_port_forward_get_type ())

GType           vmd_port_forward_get_type (void) G_GNUC_CONST;
VmdPortForward *vmd_port_forward_copy     (const VmdPortForward *forward);
void            vmd_port_forward_free     (VmdPortForward       *forward);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdPortForward, vmd_port_forward_free)

#define VMD_TYPE_DEVICE_INTERFACE (vmd_device_interface_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceInterface, vmd_device_interface, VMD, DEVICE_INTERFACE, VmdDevice)

VmdDeviceInterface *vmd_device_interface_new                 (void);

char               *vmd_device_interface_get_interface_type  (VmdDeviceInterface *self);
void                vmd_device_interface_set_interface_type  (VmdDeviceInterface *self,
                                                              const char         *type);
char               *vmd_device_interface_get_source          (VmdDeviceInterface *self);
void                vmd_device_interface_set_source          (VmdDeviceInterface *self,
                                                              const char         *source);
char               *vmd_device_interface_get_source_mode     (VmdDeviceInterface *self);
void                vmd_device_interface_set_source_mode     (VmdDeviceInterface *self,
                                                              const char         *mode);
char               *vmd_device_interface_get_model           (VmdDeviceInterface *self);
void                vmd_device_interface_set_model           (VmdDeviceInterface *self,
                                                              const char         *model);
char               *vmd_device_interface_get_mac             (VmdDeviceInterface *self);
void                vmd_device_interface_set_mac             (VmdDeviceInterface *self,
                                                              const char         *mac);
gboolean            vmd_device_interface_get_link_up         (VmdDeviceInterface *self);
void                vmd_device_interface_set_link_up         (VmdDeviceInterface *self,
                                                              gboolean            up);
char               *vmd_device_interface_get_target_dev      (VmdDeviceInterface *self);
char               *vmd_device_interface_get_backend         (VmdDeviceInterface *self);
void                vmd_device_interface_set_backend         (VmdDeviceInterface *self,
                                                              const char         *backend);
GPtrArray          *vmd_device_interface_get_port_forwards   (VmdDeviceInterface *self);
void                vmd_device_interface_add_port_forward    (VmdDeviceInterface *self,
                                                              const char         *proto,
                                                              guint               host_port,
                                                              guint               guest_port);
void                vmd_device_interface_clear_port_forwards (VmdDeviceInterface *self);

G_END_DECLS
