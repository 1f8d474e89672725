/* vmd-host-devices.h: the host's USB and PCI devices, read from sysfs, for
 * passing through to a guest
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  VMD_HOST_DEVICE_USB,
  VMD_HOST_DEVICE_PCI,
} VmdHostDeviceKind;

typedef struct {
  VmdHostDeviceKind kind;
  guint    vendor;        /* USB idVendor, PCI vendor */
  guint    product;       /* USB idProduct, PCI device */
  /* USB: where it is plugged in now */
  guint    usb_bus;
  guint    usb_device;
  /* PCI: its address */
  guint    pci_domain;
  guint    pci_bus;
  guint    pci_slot;
  guint    pci_function;
  guint    pci_class;     /* 0xCCSSPP */
  char    *name;          /* "Logitech USB Receiver", "Network controller"; never NULL */
  char    *sysfs_name;    /* "1-2", "0000:00:1f.2" */
} VmdHostDevice;

#define VMD_TYPE_HOST_DEVICE (vmd_host_device_get_type ())

GType          vmd_host_device_get_type      (void) G_GNUC_CONST;
VmdHostDevice *vmd_host_device_copy          (const VmdHostDevice *device);
void           vmd_host_device_free          (VmdHostDevice       *device);
/* "Bus 001 Device 004: 046d:c52b Logitech USB Receiver",
 * "0000:00:1f.2 8086:2922 SATA controller" */
char          *vmd_host_device_describe      (const VmdHostDevice *device);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdHostDevice, vmd_host_device_free)

/* Blocking: reads @sysfs_root (NULL for /sys). Sorted by bus and address;
 * USB hubs are left out. */
GPtrArray     *vmd_host_devices_list         (VmdHostDeviceKind    kind,
                                              const char          *sysfs_root);
void           vmd_host_devices_list_async   (VmdHostDeviceKind    kind,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GPtrArray     *vmd_host_devices_list_finish  (GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
