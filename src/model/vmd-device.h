/* vmd-device.h: one device of a virtual machine definition
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _VmdDomainConfig VmdDomainConfig;

#define VMD_TYPE_DEVICE (vmd_device_get_type ())
G_DECLARE_DERIVABLE_TYPE (VmdDevice, vmd_device, VMD, DEVICE, GObject)

struct _VmdDeviceClass
{
  GObjectClass parent_class;

  /* The element name a new device of this class is made of. */
  const char *element_name;

  /* Fills in what libvirt would generate when the device joins @config. */
  void (*fill_defaults) (VmdDevice       *self,
                         VmdDomainConfig *config);

  gpointer padding[8];
};

VmdDevice       *vmd_device_new_from_xml   (const char  *xml,
                                            gssize       len,
                                            GError     **error);
const char      *vmd_device_get_kind       (VmdDevice   *self);
VmdDomainConfig *vmd_device_get_config     (VmdDevice   *self);
char            *vmd_device_to_xml         (VmdDevice   *self);
char            *vmd_device_get_alias      (VmdDevice   *self);
guint            vmd_device_get_boot_order (VmdDevice   *self);
void             vmd_device_set_boot_order (VmdDevice   *self,
                                            guint        order);
char            *vmd_device_get_address_type (VmdDevice *self);
void             vmd_device_clear_address  (VmdDevice   *self);
void             vmd_device_set_pci_address (VmdDevice  *self,
                                             guint       domain,
                                             guint       bus,
                                             guint       slot,
                                             guint       function);

G_END_DECLS
