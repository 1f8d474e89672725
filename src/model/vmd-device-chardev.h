/* vmd-device-chardev.h: a character device: serial port, console, channel or parallel port
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_CHARDEV (vmd_device_chardev_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceChardev, vmd_device_chardev, VMD, DEVICE_CHARDEV, VmdDevice)

VmdDeviceChardev *vmd_device_chardev_new              (const char       *kind);
VmdDeviceChardev *vmd_device_chardev_new_guest_agent  (void);
VmdDeviceChardev *vmd_device_chardev_new_spice_agent  (void);

char             *vmd_device_chardev_get_chardev_type (VmdDeviceChardev *self);
void              vmd_device_chardev_set_chardev_type (VmdDeviceChardev *self,
                                                       const char       *type);
char             *vmd_device_chardev_get_source_path  (VmdDeviceChardev *self);
void              vmd_device_chardev_set_source_path  (VmdDeviceChardev *self,
                                                       const char       *path);
char             *vmd_device_chardev_get_source_mode  (VmdDeviceChardev *self);
void              vmd_device_chardev_set_source_mode  (VmdDeviceChardev *self,
                                                       const char       *mode);
char             *vmd_device_chardev_get_target_type  (VmdDeviceChardev *self);
void              vmd_device_chardev_set_target_type  (VmdDeviceChardev *self,
                                                       const char       *type);
gint              vmd_device_chardev_get_target_port  (VmdDeviceChardev *self);
void              vmd_device_chardev_set_target_port  (VmdDeviceChardev *self,
                                                       gint              port);
char             *vmd_device_chardev_get_target_name  (VmdDeviceChardev *self);
void              vmd_device_chardev_set_target_name  (VmdDeviceChardev *self,
                                                       const char       *name);

G_END_DECLS
