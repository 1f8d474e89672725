/* vmd-device-watchdog.c: a watchdog
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include "vmd-device-watchdog.h"
#include "vmd-device-private.h"

struct _VmdDeviceWatchdog
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceWatchdog, vmd_device_watchdog, VMD_TYPE_DEVICE)

static void
vmd_device_watchdog_class_init (VmdDeviceWatchdogClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "watchdog";
}

static void
vmd_device_watchdog_init (VmdDeviceWatchdog *self)
{
}

VmdDeviceWatchdog *
vmd_device_watchdog_new (void)
{
  return g_object_new (VMD_TYPE_DEVICE_WATCHDOG, NULL);
}
