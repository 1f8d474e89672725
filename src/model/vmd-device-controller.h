/* vmd-device-controller.h: a bus controller (USB, PCI, SCSI, virtio-serial, …)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_CONTROLLER (vmd_device_controller_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceController, vmd_device_controller, VMD, DEVICE_CONTROLLER, VmdDevice)

VmdDeviceController *vmd_device_controller_new (void);

G_END_DECLS
