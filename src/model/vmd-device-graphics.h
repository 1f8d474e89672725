/* vmd-device-graphics.h: a graphical display (VNC, SPICE, …)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_GRAPHICS (vmd_device_graphics_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceGraphics, vmd_device_graphics, VMD, DEVICE_GRAPHICS, VmdDevice)

VmdDeviceGraphics *vmd_device_graphics_new                (void);

char              *vmd_device_graphics_get_graphics_type  (VmdDeviceGraphics *self);
void               vmd_device_graphics_set_graphics_type  (VmdDeviceGraphics *self,
                                                           const char        *type);
char              *vmd_device_graphics_get_listen_type    (VmdDeviceGraphics *self);
void               vmd_device_graphics_set_listen_type    (VmdDeviceGraphics *self,
                                                           const char        *type);
char              *vmd_device_graphics_get_listen_address (VmdDeviceGraphics *self);
void               vmd_device_graphics_set_listen_address (VmdDeviceGraphics *self,
                                                           const char        *address);
char              *vmd_device_graphics_get_listen_socket  (VmdDeviceGraphics *self);
void               vmd_device_graphics_set_listen_socket  (VmdDeviceGraphics *self,
                                                           const char        *path);
gint               vmd_device_graphics_get_port           (VmdDeviceGraphics *self);
void               vmd_device_graphics_set_port           (VmdDeviceGraphics *self,
                                                           gint               port);
gint               vmd_device_graphics_get_tls_port       (VmdDeviceGraphics *self);
void               vmd_device_graphics_set_tls_port       (VmdDeviceGraphics *self,
                                                           gint               port);
gboolean           vmd_device_graphics_get_autoport       (VmdDeviceGraphics *self);
void               vmd_device_graphics_set_autoport       (VmdDeviceGraphics *self,
                                                           gboolean           autoport);
char              *vmd_device_graphics_get_password       (VmdDeviceGraphics *self);
void               vmd_device_graphics_set_password       (VmdDeviceGraphics *self,
                                                           const char        *password);
char              *vmd_device_graphics_get_keymap         (VmdDeviceGraphics *self);
void               vmd_device_graphics_set_keymap         (VmdDeviceGraphics *self,
                                                           const char        *keymap);

G_END_DECLS
