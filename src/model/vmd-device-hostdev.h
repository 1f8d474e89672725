/* vmd-device-hostdev.h: a host device passed through (USB or PCI)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_HOSTDEV (vmd_device_hostdev_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceHostdev, vmd_device_hostdev, VMD, DEVICE_HOSTDEV, VmdDevice)

VmdDeviceHostdev *vmd_device_hostdev_new                  (void);
VmdDeviceHostdev *vmd_device_hostdev_new_usb              (guint             vendor,
                                                           guint             product);
VmdDeviceHostdev *vmd_device_hostdev_new_pci              (guint             domain,
                                                           guint             bus,
                                                           guint             slot,
                                                           guint             function);

char             *vmd_device_hostdev_get_mode             (VmdDeviceHostdev *self);
void              vmd_device_hostdev_set_mode             (VmdDeviceHostdev *self,
                                                           const char       *mode);
char             *vmd_device_hostdev_get_hostdev_type     (VmdDeviceHostdev *self);
void              vmd_device_hostdev_set_hostdev_type     (VmdDeviceHostdev *self,
                                                           const char       *type);
gboolean          vmd_device_hostdev_get_managed          (VmdDeviceHostdev *self);
void              vmd_device_hostdev_set_managed          (VmdDeviceHostdev *self,
                                                           gboolean          managed);

gboolean          vmd_device_hostdev_get_usb_ids          (VmdDeviceHostdev *self,
                                                           guint            *vendor,
                                                           guint            *product);
void              vmd_device_hostdev_set_usb_ids          (VmdDeviceHostdev *self,
                                                           guint             vendor,
                                                           guint             product);
void              vmd_device_hostdev_clear_usb_ids        (VmdDeviceHostdev *self);
gboolean          vmd_device_hostdev_get_usb_address      (VmdDeviceHostdev *self,
                                                           guint            *bus,
                                                           guint            *device);
void              vmd_device_hostdev_set_usb_address      (VmdDeviceHostdev *self,
                                                           guint             bus,
                                                           guint             device);
gboolean          vmd_device_hostdev_get_pci_address      (VmdDeviceHostdev *self,
                                                           guint            *domain,
                                                           guint            *bus,
                                                           guint            *slot,
                                                           guint            *function);
void              vmd_device_hostdev_set_pci_address      (VmdDeviceHostdev *self,
                                                           guint             domain,
                                                           guint             bus,
                                                           guint             slot,
                                                           guint             function);
void              vmd_device_hostdev_clear_source_address (VmdDeviceHostdev *self);

G_END_DECLS
