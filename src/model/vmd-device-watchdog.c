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

#define DEV(self) VMD_DEVICE (self)

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

/**
 * vmd_device_watchdog_new:
 *
 * Returns: a detached `<watchdog model='i6300esb' action='reset'/>`, the
 *   PCI watchdog virt-manager adds, which resets a guest that hangs
 */
VmdDeviceWatchdog *
vmd_device_watchdog_new (void)
{
  VmdDeviceWatchdog *self = g_object_new (VMD_TYPE_DEVICE_WATCHDOG, NULL);

  vmd_device_watchdog_set_model (self, "i6300esb");
  vmd_device_watchdog_set_action (self, "reset");
  return self;
}

char *
vmd_device_watchdog_get_model (VmdDeviceWatchdog *self)
{
  return _vmd_device_get_attr (DEV (self), NULL, "model");
}

/**
 * vmd_device_watchdog_set_model:
 * @model: (nullable): i6300esb, ib700, itco (built into q35) or diag288
 */
void
vmd_device_watchdog_set_model (VmdDeviceWatchdog *self, const char *model)
{
  _vmd_device_set_attr (DEV (self), NULL, "model", model);
}

char *
vmd_device_watchdog_get_action (VmdDeviceWatchdog *self)
{
  return _vmd_device_get_attr (DEV (self), NULL, "action");
}

/**
 * vmd_device_watchdog_set_action:
 * @action: (nullable): reset, shutdown, poweroff, pause, none, dump or
 *   inject-nmi; %NULL for libvirt's default (reset)
 */
void
vmd_device_watchdog_set_action (VmdDeviceWatchdog *self, const char *action)
{
  _vmd_device_set_attr (DEV (self), NULL, "action", action);
}
