/* vmd-device-chardev.c: a character device: serial port, console, channel or parallel port
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One class views the four elements libvirt builds from the same character
 * device definition; vmd_device_get_kind() tells them apart.
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include "vmd-device-chardev.h"
#include "vmd-device-private.h"

struct _VmdDeviceChardev
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceChardev, vmd_device_chardev, VMD_TYPE_DEVICE)

#define DEV(self) VMD_DEVICE (self)

static gboolean
is_chardev_kind (const char *kind)
{
  return g_strcmp0 (kind, "serial") == 0 || g_strcmp0 (kind, "console") == 0 ||
         g_strcmp0 (kind, "channel") == 0 || g_strcmp0 (kind, "parallel") == 0;
}

static void
vmd_device_chardev_class_init (VmdDeviceChardevClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "serial";
}

static void
vmd_device_chardev_init (VmdDeviceChardev *self)
{
}

/**
 * vmd_device_chardev_new:
 * @kind: "serial", "console", "channel" or "parallel"
 *
 * Returns: a detached `<kind type='pty'/>`.
 */
VmdDeviceChardev *
vmd_device_chardev_new (const char *kind)
{
  VmdDeviceChardev *self;

  g_return_val_if_fail (is_chardev_kind (kind), NULL);

  self = g_object_new (VMD_TYPE_DEVICE_CHARDEV, NULL);
  xmlNodeSetName (_vmd_device_get_node (DEV (self)), (const xmlChar *) kind);
  vmd_device_chardev_set_chardev_type (self, "pty");
  return self;
}

/**
 * vmd_device_chardev_new_guest_agent:
 *
 * Returns: the QEMU guest agent's channel; libvirt picks the socket path.
 */
VmdDeviceChardev *
vmd_device_chardev_new_guest_agent (void)
{
  VmdDeviceChardev *self = vmd_device_chardev_new ("channel");

  vmd_device_chardev_set_chardev_type (self, "unix");
  vmd_device_chardev_set_target_type (self, "virtio");
  vmd_device_chardev_set_target_name (self, "org.qemu.guest_agent.0");
  return self;
}

/**
 * vmd_device_chardev_new_spice_agent:
 *
 * Returns: the SPICE agent's channel (clipboard, display resizing).
 */
VmdDeviceChardev *
vmd_device_chardev_new_spice_agent (void)
{
  VmdDeviceChardev *self = vmd_device_chardev_new ("channel");

  vmd_device_chardev_set_chardev_type (self, "spicevmc");
  vmd_device_chardev_set_target_type (self, "virtio");
  vmd_device_chardev_set_target_name (self, "com.redhat.spice.0");
  return self;
}

char *
vmd_device_chardev_get_chardev_type (VmdDeviceChardev *self)
{
  return _vmd_device_get_attr (DEV (self), NULL, "type");
}

/**
 * vmd_device_chardev_set_chardev_type:
 * @type: (nullable): pty, unix, file, tcp, spicevmc, qemu-vdagent, …
 */
void
vmd_device_chardev_set_chardev_type (VmdDeviceChardev *self, const char *type)
{
  _vmd_device_set_attr (DEV (self), NULL, "type", type);
}

char *
vmd_device_chardev_get_source_path (VmdDeviceChardev *self)
{
  return _vmd_device_get_attr (DEV (self), "source", "path");
}

void
vmd_device_chardev_set_source_path (VmdDeviceChardev *self, const char *path)
{
  _vmd_device_set_attr (DEV (self), "source", "path", path);
}

char *
vmd_device_chardev_get_source_mode (VmdDeviceChardev *self)
{
  return _vmd_device_get_attr (DEV (self), "source", "mode");
}

/**
 * vmd_device_chardev_set_source_mode:
 * @mode: (nullable): "bind" (QEMU listens) or "connect"
 */
void
vmd_device_chardev_set_source_mode (VmdDeviceChardev *self, const char *mode)
{
  _vmd_device_set_attr (DEV (self), "source", "mode", mode);
}

char *
vmd_device_chardev_get_target_type (VmdDeviceChardev *self)
{
  return _vmd_device_get_attr (DEV (self), "target", "type");
}

/**
 * vmd_device_chardev_set_target_type:
 * @type: (nullable): for a serial port isa-serial, pci-serial, usb-serial, …;
 *   for a console serial or virtio; for a channel virtio or guestfwd
 *
 * A serial port's `<model>` goes with its target type, so a new type drops
 * it and libvirt picks the matching one.
 */
void
vmd_device_chardev_set_target_type (VmdDeviceChardev *self, const char *type)
{
  g_autofree char *old = vmd_device_chardev_get_target_type (self);

  _vmd_device_set_attr (DEV (self), "target", "type", type);
  if (g_strcmp0 (old, type) != 0 && _vmd_device_has (DEV (self), "target/model"))
    _vmd_device_set_present (DEV (self), "target/model", FALSE);
}

/**
 * vmd_device_chardev_get_target_port:
 *
 * Returns: the port number (the guest's ttyS index, or a guestfwd TCP
 *   port), or -1 when libvirt is left to choose
 */
gint
vmd_device_chardev_get_target_port (VmdDeviceChardev *self)
{
  guint64 port = _vmd_device_get_uint (DEV (self), "target", "port", G_MAXUINT64);

  return port > G_MAXINT ? -1 : (gint) port;
}

/**
 * vmd_device_chardev_set_target_port:
 * @port: the port number, or -1 to let libvirt choose
 */
void
vmd_device_chardev_set_target_port (VmdDeviceChardev *self, gint port)
{
  if (port < 0)
    {
      _vmd_device_set_attr (DEV (self), "target", "port", NULL);
      return;
    }
  _vmd_device_set_uint (DEV (self), "target", "port", (guint64) port);
}

char *
vmd_device_chardev_get_target_name (VmdDeviceChardev *self)
{
  return _vmd_device_get_attr (DEV (self), "target", "name");
}

/**
 * vmd_device_chardev_set_target_name:
 * @name: (nullable): a virtio channel's name, such as org.qemu.guest_agent.0
 */
void
vmd_device_chardev_set_target_name (VmdDeviceChardev *self, const char *name)
{
  _vmd_device_set_attr (DEV (self), "target", "name", name);
}
