/* vmd-host-devices.c: the host's USB and PCI devices from sysfs
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * /sys/bus/usb/devices/<port> has idVendor, idProduct, busnum, devnum,
 * bDeviceClass and the optional manufacturer and product strings; the
 * entries of interfaces ("1-2:1.0") have none of them and are skipped.
 * /sys/bus/pci/devices/<DDDD:BB:SS.F> has vendor, device and class.
 */
#define G_LOG_DOMAIN "vmdesk-engine"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "vmd-host-devices.h"

G_DEFINE_BOXED_TYPE (VmdHostDevice, vmd_host_device, vmd_host_device_copy,
                     vmd_host_device_free)

VmdHostDevice *
vmd_host_device_copy (const VmdHostDevice *device)
{
  VmdHostDevice *copy = g_memdup2 (device, sizeof *device);

  copy->name = g_strdup (device->name);
  copy->sysfs_name = g_strdup (device->sysfs_name);
  return copy;
}

void
vmd_host_device_free (VmdHostDevice *device)
{
  if (device == NULL)
    return;
  g_free (device->name);
  g_free (device->sysfs_name);
  g_free (device);
}

char *
vmd_host_device_describe (const VmdHostDevice *device)
{
  if (device->kind == VMD_HOST_DEVICE_USB)
    /* Translators: a host USB device: "Bus 001 Device 004: 046d:c52b Logitech USB Receiver". */
    return g_strdup_printf (_("Bus %03u Device %03u: %04x:%04x %s"), device->usb_bus,
                            device->usb_device, device->vendor, device->product, device->name);
  return g_strdup_printf ("%04x:%02x:%02x.%x %04x:%04x %s", device->pci_domain, device->pci_bus,
                          device->pci_slot, device->pci_function, device->vendor,
                          device->product, device->name);
}

/* The first line of DIR/NAME, stripped, or NULL. */
static char *
read_attr (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = NULL;
  char *newline;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  newline = strchr (text, '\n');
  if (newline != NULL)
    *newline = '\0';
  g_strstrip (text);
  return text[0] != '\0' ? g_steal_pointer (&text) : NULL;
}

static gboolean
read_number (const char *dir, const char *name, guint base, guint *value)
{
  g_autofree char *text = read_attr (dir, name);
  char *end = NULL;
  guint64 n;

  if (text == NULL)
    return FALSE;
  n = g_ascii_strtoull (text, &end, base);
  if (end == text || *end != '\0' || n > G_MAXUINT)
    return FALSE;
  *value = (guint) n;
  return TRUE;
}

static const char *
pci_class_name (guint klass)
{
  switch (klass >> 16)
    {
    case 0x01:
      switch ((klass >> 8) & 0xff)
        {
        case 0x01: return _("IDE controller");
        case 0x06: return _("SATA controller");
        case 0x08: return _("NVMe controller");
        default: return _("Storage controller");
        }
    case 0x02: return _("Network controller");
    case 0x03: return _("Display controller");
    case 0x04: return _("Multimedia controller");
    case 0x05: return _("Memory controller");
    case 0x06: return _("Bridge");
    case 0x07: return _("Communication controller");
    case 0x08: return _("System peripheral");
    case 0x0c:
      return ((klass >> 8) & 0xff) == 0x03 ? _("USB controller") : _("Serial bus controller");
    case 0x0d: return _("Wireless controller");
    case 0x12: return _("Processing accelerator");
    default: return _("PCI device");
    }
}

static VmdHostDevice *
read_usb (const char *dir, const char *name)
{
  g_autoptr (VmdHostDevice) device = g_new0 (VmdHostDevice, 1);
  g_autofree char *manufacturer = NULL;
  g_autofree char *product = NULL;
  guint device_class = 0;

  device->kind = VMD_HOST_DEVICE_USB;
  if (!read_number (dir, "idVendor", 16, &device->vendor) ||
      !read_number (dir, "idProduct", 16, &device->product) ||
      !read_number (dir, "busnum", 10, &device->usb_bus) ||
      !read_number (dir, "devnum", 10, &device->usb_device))
    return NULL;
  /* Hubs (root hubs included) are not worth passing through. */
  if (read_number (dir, "bDeviceClass", 16, &device_class) && device_class == 0x09)
    return NULL;
  manufacturer = read_attr (dir, "manufacturer");
  product = read_attr (dir, "product");
  if (manufacturer != NULL && product != NULL)
    device->name = g_strdup_printf ("%s %s", manufacturer, product);
  else if (product != NULL || manufacturer != NULL)
    device->name = g_strdup (product ? product : manufacturer);
  else
    device->name = g_strdup (_("USB device"));
  device->sysfs_name = g_strdup (name);
  return g_steal_pointer (&device);
}

static VmdHostDevice *
read_pci (const char *dir, const char *name)
{
  g_autoptr (VmdHostDevice) device = g_new0 (VmdHostDevice, 1);

  device->kind = VMD_HOST_DEVICE_PCI;
  if (sscanf (name, "%x:%x:%x.%x", &device->pci_domain, &device->pci_bus, &device->pci_slot,
              &device->pci_function) != 4 ||
      !read_number (dir, "vendor", 16, &device->vendor) ||
      !read_number (dir, "device", 16, &device->product))
    return NULL;
  read_number (dir, "class", 16, &device->pci_class);
  device->name = g_strdup (pci_class_name (device->pci_class));
  device->sysfs_name = g_strdup (name);
  return g_steal_pointer (&device);
}

static int
compare_devices (gconstpointer pa, gconstpointer pb)
{
  const VmdHostDevice *a = *(VmdHostDevice *const *) pa;
  const VmdHostDevice *b = *(VmdHostDevice *const *) pb;
  guint64 ka, kb;

  if (a->kind == VMD_HOST_DEVICE_USB)
    {
      ka = ((guint64) a->usb_bus << 32) | a->usb_device;
      kb = ((guint64) b->usb_bus << 32) | b->usb_device;
    }
  else
    {
      ka = ((guint64) a->pci_domain << 32) | (a->pci_bus << 16) | (a->pci_slot << 8) |
           a->pci_function;
      kb = ((guint64) b->pci_domain << 32) | (b->pci_bus << 16) | (b->pci_slot << 8) |
           b->pci_function;
    }
  return ka < kb ? -1 : ka > kb;
}

/**
 * vmd_host_devices_list:
 * @sysfs_root: (nullable): a sysfs tree, %NULL for /sys
 *
 * Returns: (transfer container) (element-type VmdHostDevice): the devices;
 *   empty when the bus has none or sysfs cannot be read
 */
GPtrArray *
vmd_host_devices_list (VmdHostDeviceKind kind, const char *sysfs_root)
{
  GPtrArray *devices = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_host_device_free);
  g_autofree char *bus_dir = g_build_filename (sysfs_root ? sysfs_root : "/sys", "bus",
                                               kind == VMD_HOST_DEVICE_USB ? "usb" : "pci",
                                               "devices", NULL);
  g_autoptr (GDir) dir = g_dir_open (bus_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (bus_dir, name, NULL);
      VmdHostDevice *device;

      if (kind == VMD_HOST_DEVICE_USB && strchr (name, ':') != NULL)
        continue;  /* an interface of a device */
      device = kind == VMD_HOST_DEVICE_USB ? read_usb (path, name) : read_pci (path, name);
      if (device != NULL)
        g_ptr_array_add (devices, device);
    }
  g_ptr_array_sort (devices, compare_devices);
  return devices;
}

static void
list_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  VmdHostDeviceKind kind = GPOINTER_TO_INT (task_data);

  g_task_return_pointer (task, vmd_host_devices_list (kind, NULL),
                         (GDestroyNotify) g_ptr_array_unref);
}

void
vmd_host_devices_list_async (VmdHostDeviceKind    kind,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, vmd_host_devices_list_async);
  g_task_set_task_data (task, GINT_TO_POINTER (kind), NULL);
  g_task_run_in_thread (task, list_thread);
}

GPtrArray *
vmd_host_devices_list_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
