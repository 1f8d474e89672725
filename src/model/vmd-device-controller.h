/* vmd-device-controller.h: a bus controller (USB, PCI, SCSI, virtio-serial, …)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_CONTROLLER (vmd_device_controller_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceController, vmd_device_controller, VMD, DEVICE_CONTROLLER, VmdDevice)

VmdDeviceController *vmd_device_controller_new                 (void);
VmdDeviceController *vmd_device_controller_new_for_type        (const char          *type,
                                                                const char          *model);

char                *vmd_device_controller_get_controller_type (VmdDeviceController *self);
void                 vmd_device_controller_set_controller_type (VmdDeviceController *self,
                                                                const char          *type);
char                *vmd_device_controller_get_model           (VmdDeviceController *self);
void                 vmd_device_controller_set_model           (VmdDeviceController *self,
                                                                const char          *model);
guint                vmd_device_controller_get_index           (VmdDeviceController *self);
void                 vmd_device_controller_set_index           (VmdDeviceController *self,
                                                                guint                index);
guint                vmd_device_controller_get_ports           (VmdDeviceController *self);
void                 vmd_device_controller_set_ports           (VmdDeviceController *self,
                                                                guint                ports);
gint                 vmd_device_controller_get_target_port     (VmdDeviceController *self);
void                 vmd_device_controller_set_target_port     (VmdDeviceController *self,
                                                                gint                 port);

G_END_DECLS
