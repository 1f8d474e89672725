/* vmd-device-describe.c: a device's label and icon in the hardware list
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-devices"

#include <glib/gi18n.h>
#include <string.h>

#include "vmd-device-editor-private.h"

static const char *
bus_name (const char *bus)
{
  static const char *const names[] = {
    "ide", "IDE", "sata", "SATA", "scsi", "SCSI", "usb", "USB", "virtio", "VirtIO",
    "fdc", "Floppy", "xen", "Xen", "sd", "SD", "ps2", "PS/2",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i += 2)
    if (g_strcmp0 (bus, names[i]) == 0)
      return names[i + 1];
  return bus != NULL ? bus : "";
}

/* 1 + how many devices of @device's kind before it satisfy @same. */
static guint
ordinal (VmdDomainConfig *config,
         VmdDevice       *device,
         gboolean       (*same) (VmdDevice *a, VmdDevice *b))
{
  g_autoptr (GPtrArray) all = NULL;
  guint n = 1;

  if (config == NULL)
    return 1;
  all = vmd_domain_config_get_devices_of_kind (config, vmd_device_get_kind (device));
  for (guint i = 0; i < all->len; i++)
    {
      VmdDevice *other = g_ptr_array_index (all, i);

      if (other == device)
        return n;
      if (same (other, device))
        n++;
    }
  /* Not part of @config (a new device): it would come last. */
  return n;
}

static gboolean
same_disk_kind (VmdDevice *a, VmdDevice *b)
{
  g_autofree char *da = vmd_device_disk_get_device (VMD_DEVICE_DISK (a));
  g_autofree char *db = vmd_device_disk_get_device (VMD_DEVICE_DISK (b));
  g_autofree char *ba = vmd_device_disk_get_target_bus (VMD_DEVICE_DISK (a));
  g_autofree char *bb = vmd_device_disk_get_target_bus (VMD_DEVICE_DISK (b));

  return g_strcmp0 (da, db) == 0 && g_strcmp0 (ba, bb) == 0;
}

static gboolean
same_kind (VmdDevice *a, VmdDevice *b)
{
  return TRUE;
}

static char *
describe_disk (VmdDomainConfig *config, VmdDeviceDisk *disk, const char **icon)
{
  g_autofree char *device = vmd_device_disk_get_device (disk);
  g_autofree char *bus = vmd_device_disk_get_target_bus (disk);
  guint n = ordinal (config, VMD_DEVICE (disk), same_disk_kind);

  if (g_strcmp0 (device, "cdrom") == 0)
    {
      *icon = "media-optical";
      /* Translators: a CD-ROM drive in the hardware list: its bus
       * ("SATA", "IDE", …) and its number, e.g. "SATA CDROM 1". */
      return g_strdup_printf (_("%s CDROM %u"), bus_name (bus), n);
    }
  if (g_strcmp0 (device, "floppy") == 0)
    {
      *icon = "media-floppy";
      return g_strdup_printf (_("Floppy %u"), n);
    }
  *icon = "drive-harddisk";
  /* Translators: a disk in the hardware list: its bus ("VirtIO", "SATA",
   * …) and its number, e.g. "VirtIO Disk 1". */
  return g_strdup_printf (_("%s Disk %u"), bus_name (bus), n);
}

static char *
describe_nic (VmdDeviceInterface *nic, const char **icon)
{
  g_autofree char *mac = vmd_device_interface_get_mac (nic);

  *icon = "network-wired";
  if (mac != NULL && strlen (mac) == 17)
    /* Translators: a network card in the hardware list, by the last three
     * bytes of its MAC address: "NIC :3f:12:0a". */
    return g_strdup_printf (_("NIC %s"), mac + 8);
  return g_strdup (_("NIC"));
}

static char *
describe_chardev (VmdDomainConfig *config, VmdDeviceChardev *chardev, const char **icon)
{
  const char *kind = vmd_device_get_kind (VMD_DEVICE (chardev));
  gint port = vmd_device_chardev_get_target_port (chardev);

  *icon = "utilities-terminal";
  if (g_str_equal (kind, "serial"))
    return g_strdup_printf (_("Serial %d"), port >= 0 ? port + 1 : 1);
  if (g_str_equal (kind, "console"))
    return g_strdup_printf (_("Console %d"), port >= 0 ? port + 1 : 1);
  if (g_str_equal (kind, "parallel"))
    return g_strdup_printf (_("Parallel %d"), port >= 0 ? port + 1 : 1);
  {
    g_autofree char *name = vmd_device_chardev_get_target_name (chardev);
    g_autofree char *type = vmd_device_chardev_get_chardev_type (chardev);

    if (g_strcmp0 (name, "org.qemu.guest_agent.0") == 0)
      return g_strdup (_("Channel (QEMU guest agent)"));
    if (g_strcmp0 (name, "com.redhat.spice.0") == 0 || g_strcmp0 (type, "spicevmc") == 0)
      return g_strdup (_("Channel (SPICE agent)"));
    if (name != NULL)
      return g_strdup_printf (_("Channel %s"), name);
    return g_strdup (_("Channel"));
  }
}

static char *
describe_hostdev (VmdDeviceHostdev *hostdev, const char **icon)
{
  g_autofree char *type = vmd_device_hostdev_get_hostdev_type (hostdev);
  guint a, b, c, d;

  if (g_strcmp0 (type, "pci") == 0)
    {
      *icon = "computer";
      if (vmd_device_hostdev_get_pci_address (hostdev, &a, &b, &c, &d))
        return g_strdup_printf (_("PCI %04x:%02x:%02x.%x"), a, b, c, d);
      return g_strdup (_("PCI Host Device"));
    }
  *icon = "media-removable";
  if (vmd_device_hostdev_get_usb_ids (hostdev, &a, &b))
    return g_strdup_printf (_("USB %04x:%04x"), a, b);
  return g_strdup (_("USB Host Device"));
}

static const char *
controller_name (const char *type)
{
  static const char *const names[] = {
    "usb", "USB", "sata", "SATA", "ide", "IDE", "scsi", "SCSI", "pci", "PCI",
    "virtio-serial", "VirtIO Serial", "fdc", "Floppy", "ccid", "CCID",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i += 2)
    if (g_strcmp0 (type, names[i]) == 0)
      return names[i + 1];
  return type != NULL ? type : "";
}

/**
 * vmd_device_describe:
 * @config: (nullable): the definition @device is (or will be) part of
 * @icon_name: (out) (optional): a themed icon name
 *
 * Returns: (transfer full): the device's label in the hardware list
 */
char *
vmd_device_describe (VmdDomainConfig *config, VmdDevice *device, const char **icon_name)
{
  const char *kind;
  const char *icon = "application-x-firmware";
  char *label = NULL;

  g_return_val_if_fail (VMD_IS_DEVICE (device), NULL);

  kind = vmd_device_get_kind (device);
  if (VMD_IS_DEVICE_DISK (device))
    label = describe_disk (config, VMD_DEVICE_DISK (device), &icon);
  else if (VMD_IS_DEVICE_INTERFACE (device))
    label = describe_nic (VMD_DEVICE_INTERFACE (device), &icon);
  else if (VMD_IS_DEVICE_CHARDEV (device))
    label = describe_chardev (config, VMD_DEVICE_CHARDEV (device), &icon);
  else if (VMD_IS_DEVICE_HOSTDEV (device))
    label = describe_hostdev (VMD_DEVICE_HOSTDEV (device), &icon);
  else if (VMD_IS_DEVICE_GRAPHICS (device))
    {
      g_autofree char *type = vmd_device_graphics_get_graphics_type (VMD_DEVICE_GRAPHICS (device));
      g_autofree char *upper = g_ascii_strup (type ? type : "", -1);

      icon = "video-display";
      /* Translators: a graphical console in the hardware list: "Display VNC". */
      label = g_strdup_printf (_("Display %s"), upper);
    }
  else if (VMD_IS_DEVICE_VIDEO (device))
    {
      g_autofree char *model = vmd_device_video_get_model (VMD_DEVICE_VIDEO (device));
      g_autofree char *upper = g_ascii_strup (model ? model : "", -1);

      icon = "video-display";
      label = g_strdup_printf (_("Video %s"), upper);
    }
  else if (VMD_IS_DEVICE_SOUND (device))
    {
      g_autofree char *model = vmd_device_sound_get_model (VMD_DEVICE_SOUND (device));

      icon = "audio-card";
      label = g_strdup_printf (_("Sound %s"), model ? model : "");
    }
  else if (VMD_IS_DEVICE_INPUT (device))
    {
      g_autofree char *type = vmd_device_input_get_input_type (VMD_DEVICE_INPUT (device));
      g_autofree char *bus = vmd_device_input_get_bus (VMD_DEVICE_INPUT (device));

      if (g_strcmp0 (type, "keyboard") == 0)
        {
          icon = "input-keyboard";
          label = g_strdup_printf (_("%s Keyboard"), bus_name (bus ? bus : "ps2"));
        }
      else if (g_strcmp0 (type, "tablet") == 0)
        {
          icon = "input-tablet";
          label = g_strdup_printf (_("%s Tablet"), bus_name (bus ? bus : "usb"));
        }
      else
        {
          icon = "input-mouse";
          label = g_strdup_printf (_("%s Mouse"), bus_name (bus ? bus : "ps2"));
        }
    }
  else if (VMD_IS_DEVICE_CONTROLLER (device))
    {
      VmdDeviceController *ctl = VMD_DEVICE_CONTROLLER (device);
      g_autofree char *type = vmd_device_controller_get_controller_type (ctl);

      icon = "drive-multidisk";
      /* Translators: a controller: its type and index, "Controller USB 0". */
      label = g_strdup_printf (_("Controller %s %u"), controller_name (type),
                               vmd_device_controller_get_index (ctl));
    }
  else if (VMD_IS_DEVICE_RNG (device))
    {
      icon = "system-run";
      label = g_strdup (_("Random Number Generator"));
    }
  else if (VMD_IS_DEVICE_WATCHDOG (device))
    {
      icon = "dialog-warning";
      label = g_strdup (_("Watchdog"));
    }
  else if (VMD_IS_DEVICE_TPM (device))
    {
      g_autofree char *version = vmd_device_tpm_get_backend_version (VMD_DEVICE_TPM (device));

      icon = "security-high";
      label = version ? g_strdup_printf (_("TPM v%s"), version) : g_strdup (_("TPM"));
    }
  else if (VMD_IS_DEVICE_FILESYSTEM (device))
    {
      g_autofree char *target = vmd_device_filesystem_get_target_dir (VMD_DEVICE_FILESYSTEM (device));

      icon = "folder";
      label = g_strdup_printf (_("Filesystem %s"), target ? target : "");
    }
  else if (VMD_IS_DEVICE_REDIRDEV (device))
    {
      icon = "media-removable";
      label = g_strdup_printf (_("USB Redirector %u"), ordinal (config, device, same_kind));
    }
  else if (VMD_IS_DEVICE_MEMBALLOON (device))
    {
      icon = "drive-multidisk";
      label = g_strdup (_("Memory Balloon"));
    }
  else
    label = g_strdup (kind);

  g_strstrip (label);
  if (icon_name != NULL)
    *icon_name = icon;
  return label;
}
