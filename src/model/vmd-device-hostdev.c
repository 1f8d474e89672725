/* vmd-device-hostdev.c: a host device passed through (USB or PCI)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include "vmd-device-hostdev.h"
#include "vmd-device-private.h"

struct _VmdDeviceHostdev
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceHostdev, vmd_device_hostdev, VMD_TYPE_DEVICE)

#define DEV(self) VMD_DEVICE (self)

/* libvirt reads these numbers with base 0, so 0x06 and 6 are the same. */
static gboolean
get_number (VmdDeviceHostdev *self, const char *path, const char *attr, guint *out)
{
  guint64 n = _vmd_device_get_uint (DEV (self), path, attr, G_MAXUINT64);

  if (n > G_MAXUINT)
    return FALSE;
  *out = (guint) n;
  return TRUE;
}

/* libvirt writes IDs and PCI addresses as 0x and @digits hex digits. */
static void
set_hex (VmdDeviceHostdev *self, const char *path, const char *attr, int digits, guint n)
{
  char buf[16];

  g_snprintf (buf, sizeof buf, "0x%0*x", digits, n);
  _vmd_device_set_attr (DEV (self), path, attr, buf);
}

static gboolean
type_is (VmdDeviceHostdev *self, const char *type)
{
  g_autofree char *hostdev_type = vmd_device_hostdev_get_hostdev_type (self);
  return g_strcmp0 (hostdev_type, type) == 0;
}

static void
vmd_device_hostdev_class_init (VmdDeviceHostdevClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "hostdev";
}

static void
vmd_device_hostdev_init (VmdDeviceHostdev *self)
{
}

/**
 * vmd_device_hostdev_new:
 *
 * Returns: a detached `<hostdev mode='subsystem' type='usb' managed='yes'/>`,
 *   still without a source
 */
VmdDeviceHostdev *
vmd_device_hostdev_new (void)
{
  VmdDeviceHostdev *self = g_object_new (VMD_TYPE_DEVICE_HOSTDEV, NULL);

  vmd_device_hostdev_set_mode (self, "subsystem");
  vmd_device_hostdev_set_hostdev_type (self, "usb");
  vmd_device_hostdev_set_managed (self, TRUE);
  return self;
}

/**
 * vmd_device_hostdev_new_usb:
 *
 * Returns: a detached USB device, found on the host by its vendor and
 *   product, wherever it is plugged in
 */
VmdDeviceHostdev *
vmd_device_hostdev_new_usb (guint vendor, guint product)
{
  VmdDeviceHostdev *self = vmd_device_hostdev_new ();

  vmd_device_hostdev_set_usb_ids (self, vendor, product);
  return self;
}

/**
 * vmd_device_hostdev_new_pci:
 *
 * Returns: a detached PCI device at the host address
 *   @domain:@bus:@slot.@function, which libvirt detaches from its host
 *   driver while the machine runs
 */
VmdDeviceHostdev *
vmd_device_hostdev_new_pci (guint domain, guint bus, guint slot, guint function)
{
  VmdDeviceHostdev *self = vmd_device_hostdev_new ();

  vmd_device_hostdev_set_hostdev_type (self, "pci");
  vmd_device_hostdev_set_pci_address (self, domain, bus, slot, function);
  return self;
}

char *
vmd_device_hostdev_get_mode (VmdDeviceHostdev *self)
{
  return _vmd_device_get_attr (DEV (self), NULL, "mode");
}

void
vmd_device_hostdev_set_mode (VmdDeviceHostdev *self, const char *mode)
{
  _vmd_device_set_attr (DEV (self), NULL, "mode", mode);
}

char *
vmd_device_hostdev_get_hostdev_type (VmdDeviceHostdev *self)
{
  return _vmd_device_get_attr (DEV (self), NULL, "type");
}

/**
 * vmd_device_hostdev_set_hostdev_type:
 * @type: (nullable): usb or pci
 *
 * A source names a device of one type, so a new type drops it.
 */
void
vmd_device_hostdev_set_hostdev_type (VmdDeviceHostdev *self, const char *type)
{
  g_autofree char *old = vmd_device_hostdev_get_hostdev_type (self);

  _vmd_device_set_attr (DEV (self), NULL, "type", type);
  if (g_strcmp0 (old, type) != 0 && _vmd_device_has (DEV (self), "source"))
    _vmd_device_set_present (DEV (self), "source", FALSE);
}

/**
 * vmd_device_hostdev_get_managed:
 *
 * Returns: whether libvirt detaches the device from its host driver itself
 */
gboolean
vmd_device_hostdev_get_managed (VmdDeviceHostdev *self)
{
  return _vmd_device_get_bool (DEV (self), NULL, "managed", FALSE);
}

void
vmd_device_hostdev_set_managed (VmdDeviceHostdev *self, gboolean managed)
{
  _vmd_device_set_bool (DEV (self), NULL, "managed", managed);
}

/**
 * vmd_device_hostdev_get_usb_ids:
 * @vendor: (out) (optional): the USB vendor ID
 * @product: (out) (optional): the USB product ID
 *
 * Returns: %TRUE if the source names a USB device by vendor and product
 */
gboolean
vmd_device_hostdev_get_usb_ids (VmdDeviceHostdev *self, guint *vendor, guint *product)
{
  guint v, p;

  if (!type_is (self, "usb") ||
      !get_number (self, "source/vendor", "id", &v) ||
      !get_number (self, "source/product", "id", &p))
    return FALSE;
  if (vendor != NULL)
    *vendor = v;
  if (product != NULL)
    *product = p;
  return TRUE;
}

void
vmd_device_hostdev_set_usb_ids (VmdDeviceHostdev *self, guint vendor, guint product)
{
  g_return_if_fail (vendor <= 0xffff && product <= 0xffff);

  set_hex (self, "source/vendor", "id", 4, vendor);
  set_hex (self, "source/product", "id", 4, product);
}

void
vmd_device_hostdev_clear_usb_ids (VmdDeviceHostdev *self)
{
  _vmd_device_set_present (DEV (self), "source/vendor", FALSE);
  _vmd_device_set_present (DEV (self), "source/product", FALSE);
}

/**
 * vmd_device_hostdev_get_usb_address:
 * @bus: (out) (optional): the host USB bus
 * @device: (out) (optional): the device number on that bus
 *
 * Returns: %TRUE if the source names a USB device by where it is plugged in
 */
gboolean
vmd_device_hostdev_get_usb_address (VmdDeviceHostdev *self, guint *bus, guint *device)
{
  guint b, d;

  if (!type_is (self, "usb") ||
      !get_number (self, "source/address", "bus", &b) ||
      !get_number (self, "source/address", "device", &d))
    return FALSE;
  if (bus != NULL)
    *bus = b;
  if (device != NULL)
    *device = d;
  return TRUE;
}

void
vmd_device_hostdev_set_usb_address (VmdDeviceHostdev *self, guint bus, guint device)
{
  _vmd_device_set_uint (DEV (self), "source/address", "bus", bus);
  _vmd_device_set_uint (DEV (self), "source/address", "device", device);
}

/**
 * vmd_device_hostdev_get_pci_address:
 * @domain: (out) (optional): the PCI domain
 * @bus: (out) (optional): the bus
 * @slot: (out) (optional): the slot
 * @function: (out) (optional): the function
 *
 * Returns: %TRUE if this is a PCI device with a host address; attributes
 *   left out read as 0, as in libvirt
 */
gboolean
vmd_device_hostdev_get_pci_address (VmdDeviceHostdev *self,
                                    guint            *domain,
                                    guint            *bus,
                                    guint            *slot,
                                    guint            *function)
{
  const char *attrs[] = { "domain", "bus", "slot", "function" };
  guint *outs[] = { domain, bus, slot, function };

  if (!type_is (self, "pci") || !_vmd_device_has (DEV (self), "source/address"))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (attrs); i++)
    {
      guint n = 0;

      get_number (self, "source/address", attrs[i], &n);
      if (outs[i] != NULL)
        *outs[i] = n;
    }
  return TRUE;
}

/**
 * vmd_device_hostdev_set_pci_address:
 *
 * Writes the address in hexadecimal, as libvirt does:
 * `<address domain='0x0000' bus='0x06' slot='0x12' function='0x5'/>`.
 */
void
vmd_device_hostdev_set_pci_address (VmdDeviceHostdev *self,
                                    guint             domain,
                                    guint             bus,
                                    guint             slot,
                                    guint             function)
{
  g_return_if_fail (bus <= 0xff && slot <= 0x1f && function <= 7);

  set_hex (self, "source/address", "domain", 4, domain);
  set_hex (self, "source/address", "bus", 2, bus);
  set_hex (self, "source/address", "slot", 2, slot);
  set_hex (self, "source/address", "function", 1, function);
}

/**
 * vmd_device_hostdev_clear_source_address:
 *
 * Removes the host address of a USB or PCI device.
 */
void
vmd_device_hostdev_clear_source_address (VmdDeviceHostdev *self)
{
  _vmd_device_set_present (DEV (self), "source/address", FALSE);
}
