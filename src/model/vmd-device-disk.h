/* vmd-device-disk.h: a disk, CD-ROM, floppy or LUN
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_DISK (vmd_device_disk_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeviceDisk, vmd_device_disk, VMD, DEVICE_DISK, VmdDevice)

VmdDeviceDisk *vmd_device_disk_new              (void);

char          *vmd_device_disk_get_disk_type    (VmdDeviceDisk *self);
void           vmd_device_disk_set_disk_type    (VmdDeviceDisk *self,
                                                 const char    *type);
char          *vmd_device_disk_get_device       (VmdDeviceDisk *self);
void           vmd_device_disk_set_device       (VmdDeviceDisk *self,
                                                 const char    *device);
char          *vmd_device_disk_get_driver_name  (VmdDeviceDisk *self);
void           vmd_device_disk_set_driver_name  (VmdDeviceDisk *self,
                                                 const char    *name);
char          *vmd_device_disk_get_format       (VmdDeviceDisk *self);
void           vmd_device_disk_set_format       (VmdDeviceDisk *self,
                                                 const char    *format);
char          *vmd_device_disk_get_cache        (VmdDeviceDisk *self);
void           vmd_device_disk_set_cache        (VmdDeviceDisk *self,
                                                 const char    *cache);
char          *vmd_device_disk_get_io           (VmdDeviceDisk *self);
void           vmd_device_disk_set_io           (VmdDeviceDisk *self,
                                                 const char    *io);
char          *vmd_device_disk_get_discard      (VmdDeviceDisk *self);
void           vmd_device_disk_set_discard      (VmdDeviceDisk *self,
                                                 const char    *discard);
char          *vmd_device_disk_get_source       (VmdDeviceDisk *self);
void           vmd_device_disk_set_source       (VmdDeviceDisk *self,
                                                 const char    *path);
char          *vmd_device_disk_get_target_dev   (VmdDeviceDisk *self);
void           vmd_device_disk_set_target_dev   (VmdDeviceDisk *self,
                                                 const char    *dev);
char          *vmd_device_disk_get_target_bus   (VmdDeviceDisk *self);
void           vmd_device_disk_set_target_bus   (VmdDeviceDisk *self,
                                                 const char    *bus);
gboolean       vmd_device_disk_get_readonly     (VmdDeviceDisk *self);
void           vmd_device_disk_set_readonly     (VmdDeviceDisk *self,
                                                 gboolean       readonly);
gboolean       vmd_device_disk_get_shareable    (VmdDeviceDisk *self);
void           vmd_device_disk_set_shareable    (VmdDeviceDisk *self,
                                                 gboolean       shareable);
char          *vmd_device_disk_get_serial       (VmdDeviceDisk *self);
void           vmd_device_disk_set_serial       (VmdDeviceDisk *self,
                                                 const char    *serial);
gboolean       vmd_device_disk_is_removable     (VmdDeviceDisk *self);

char          *vmd_disk_target_prefix_for_bus   (const char    *bus);
char          *vmd_disk_target_name             (const char    *prefix,
                                                 guint          index);

G_END_DECLS
