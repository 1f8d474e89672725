/* vmd-device-graphics.c: a graphical display (VNC, SPICE, …)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include "vmd-device-graphics.h"
#include "vmd-device-private.h"

struct _VmdDeviceGraphics
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceGraphics, vmd_device_graphics, VMD_TYPE_DEVICE)

static void
vmd_device_graphics_class_init (VmdDeviceGraphicsClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "graphics";
}

static void
vmd_device_graphics_init (VmdDeviceGraphics *self)
{
}

VmdDeviceGraphics *
vmd_device_graphics_new (void)
{
  return g_object_new (VMD_TYPE_DEVICE_GRAPHICS, NULL);
}
