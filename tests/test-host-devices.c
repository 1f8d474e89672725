/* test-host-devices.c: the host's USB and PCI devices read from sysfs
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A sysfs tree made in a temporary folder (USB devices, interfaces, a
 * root hub, a device without strings, PCI functions), and the machine's
 * own /sys/bus/pci, compared with what a directory listing finds there.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "vmd-host-devices.h"

static void
put (const char *root, const char *dir, const char *name, const char *text)
{
  g_autofree char *folder = g_build_filename (root, dir, NULL);
  g_autofree char *path = g_build_filename (folder, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static char *
make_tree (void)
{
  g_autoptr (GError) error = NULL;
  char *root = g_dir_make_tmp ("vmd-sysfs-XXXXXX", &error);

  g_assert_no_error (error);
  /* A receiver on bus 1, device 4, with both strings. */
  put (root, "bus/usb/devices/1-2", "idVendor", "046d\n");
  put (root, "bus/usb/devices/1-2", "idProduct", "c52b\n");
  put (root, "bus/usb/devices/1-2", "busnum", "1\n");
  put (root, "bus/usb/devices/1-2", "devnum", "4\n");
  put (root, "bus/usb/devices/1-2", "bDeviceClass", "00\n");
  put (root, "bus/usb/devices/1-2", "manufacturer", "Logitech\n");
  put (root, "bus/usb/devices/1-2", "product", "USB Receiver\n");
  /* Its interface: no ids, skipped. */
  put (root, "bus/usb/devices/1-2:1.0", "bInterfaceClass", "03\n");
  /* The root hub: a hub, skipped. */
  put (root, "bus/usb/devices/usb1", "idVendor", "1d6b\n");
  put (root, "bus/usb/devices/usb1", "idProduct", "0002\n");
  put (root, "bus/usb/devices/usb1", "busnum", "1\n");
  put (root, "bus/usb/devices/usb1", "devnum", "1\n");
  put (root, "bus/usb/devices/usb1", "bDeviceClass", "09\n");
  /* A stick on bus 2 without strings, listed after bus 1. */
  put (root, "bus/usb/devices/2-1", "idVendor", "0781\n");
  put (root, "bus/usb/devices/2-1", "idProduct", "5567\n");
  put (root, "bus/usb/devices/2-1", "busnum", "2\n");
  put (root, "bus/usb/devices/2-1", "devnum", "3\n");
  /* Two PCI functions, out of order, and a broken entry. */
  put (root, "bus/pci/devices/0000:00:1f.2", "vendor", "0x8086\n");
  put (root, "bus/pci/devices/0000:00:1f.2", "device", "0x2922\n");
  put (root, "bus/pci/devices/0000:00:1f.2", "class", "0x010601\n");
  put (root, "bus/pci/devices/0000:00:02.0", "vendor", "0x1af4\n");
  put (root, "bus/pci/devices/0000:00:02.0", "device", "0x1041\n");
  put (root, "bus/pci/devices/0000:00:02.0", "class", "0x020000\n");
  put (root, "bus/pci/devices/0000:00:03.0", "class", "0x020000\n");
  return root;
}

static void
test_usb (void)
{
  g_autofree char *root = make_tree ();
  g_autoptr (GPtrArray) devices = vmd_host_devices_list (VMD_HOST_DEVICE_USB, root);
  VmdHostDevice *d;
  g_autofree char *text = NULL;

  g_assert_cmpuint (devices->len, ==, 2);
  d = g_ptr_array_index (devices, 0);
  g_assert_cmpuint (d->vendor, ==, 0x046d);
  g_assert_cmpuint (d->product, ==, 0xc52b);
  g_assert_cmpuint (d->usb_bus, ==, 1);
  g_assert_cmpuint (d->usb_device, ==, 4);
  g_assert_cmpstr (d->name, ==, "Logitech USB Receiver");
  g_assert_cmpstr (d->sysfs_name, ==, "1-2");
  text = vmd_host_device_describe (d);
  g_assert_cmpstr (text, ==, "Bus 001 Device 004: 046d:c52b Logitech USB Receiver");

  d = g_ptr_array_index (devices, 1);
  g_assert_cmpuint (d->vendor, ==, 0x0781);
  g_assert_cmpuint (d->usb_bus, ==, 2);
  g_assert_cmpstr (d->name, ==, "USB device");
  remove_tree (root);
}

static void
test_pci (void)
{
  g_autofree char *root = make_tree ();
  g_autoptr (GPtrArray) devices = vmd_host_devices_list (VMD_HOST_DEVICE_PCI, root);
  VmdHostDevice *d;
  g_autofree char *text = NULL;

  g_assert_cmpuint (devices->len, ==, 2);
  d = g_ptr_array_index (devices, 0);
  g_assert_cmpuint (d->pci_slot, ==, 2);
  g_assert_cmpuint (d->vendor, ==, 0x1af4);
  g_assert_cmpstr (d->name, ==, "Network controller");
  d = g_ptr_array_index (devices, 1);
  g_assert_cmpuint (d->pci_domain, ==, 0);
  g_assert_cmpuint (d->pci_bus, ==, 0);
  g_assert_cmpuint (d->pci_slot, ==, 0x1f);
  g_assert_cmpuint (d->pci_function, ==, 2);
  g_assert_cmpuint (d->pci_class, ==, 0x010601);
  text = vmd_host_device_describe (d);
  g_assert_cmpstr (text, ==, "0000:00:1f.2 8086:2922 SATA controller");
  remove_tree (root);
}

/* The real /sys: as many PCI devices as the folder has entries, each
 * with the vendor its vendor file names. */
static void
test_real_pci (void)
{
  g_autoptr (GDir) dir = g_dir_open ("/sys/bus/pci/devices", 0, NULL);
  g_autoptr (GPtrArray) devices = NULL;
  guint entries = 0;

  if (dir == NULL)
    {
      g_test_skip ("this machine has no /sys/bus/pci");
      return;
    }
  while (g_dir_read_name (dir) != NULL)
    entries++;
  devices = vmd_host_devices_list (VMD_HOST_DEVICE_PCI, NULL);
  g_assert_cmpuint (devices->len, ==, entries);
  for (guint i = 0; i < devices->len; i++)
    {
      VmdHostDevice *d = g_ptr_array_index (devices, i);
      g_autofree char *path = g_strdup_printf ("/sys/bus/pci/devices/%s/vendor", d->sysfs_name);
      g_autofree char *vendor = NULL;
      g_autofree char *expected = g_strdup_printf ("0x%04x\n", d->vendor);

      g_assert_true (g_file_get_contents (path, &vendor, NULL, NULL));
      g_assert_cmpstr (vendor, ==, expected);
      if (i > 0)
        g_assert_cmpstr (((VmdHostDevice *) g_ptr_array_index (devices, i - 1))->sysfs_name, <,
                         d->sysfs_name);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/host-devices/usb", test_usb);
  g_test_add_func ("/host-devices/pci", test_pci);
  g_test_add_func ("/host-devices/real-pci", test_real_pci);
  return g_test_run ();
}
