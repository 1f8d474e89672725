/* vmd-device-controller.c: a bus controller (USB, PCI, SCSI, virtio-serial, …)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include "vmd-device-controller.h"
#include "vmd-device-private.h"

struct _VmdDeviceController
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceController, vmd_device_controller, VMD_TYPE_DEVICE)

static void
vmd_device_controller_class_init (VmdDeviceControllerClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "controller";
}

static void
vmd_device_controller_init (VmdDeviceController *self)
{
}

VmdDeviceController *
vmd_device_controller_new (void)
{
  return g_object_new (VMD_TYPE_DEVICE_CONTROLLER, NULL);
}
