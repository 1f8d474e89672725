/* vmd-device-types.c: which class views which device element
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include <string.h>

#include "vmd-device-private.h"
#include "vmd-device-types.h"

GType
_vmd_device_type_for_kind (const char *kind)
{
  static const struct { const char *kind; GType (*get_type) (void); } types[] = {
    { "disk", vmd_device_disk_get_type },
    { "interface", vmd_device_interface_get_type },
    { "graphics", vmd_device_graphics_get_type },
    { "video", vmd_device_video_get_type },
    { "sound", vmd_device_sound_get_type },
    { "input", vmd_device_input_get_type },
    { "serial", vmd_device_chardev_get_type },
    { "console", vmd_device_chardev_get_type },
    { "channel", vmd_device_chardev_get_type },
    { "parallel", vmd_device_chardev_get_type },
    { "controller", vmd_device_controller_get_type },
    { "hostdev", vmd_device_hostdev_get_type },
    { "rng", vmd_device_rng_get_type },
    { "watchdog", vmd_device_watchdog_get_type },
    { "tpm", vmd_device_tpm_get_type },
    { "filesystem", vmd_device_filesystem_get_type },
    { "memballoon", vmd_device_memballoon_get_type },
    { "redirdev", vmd_device_redirdev_get_type },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (strcmp (types[i].kind, kind) == 0)
      return types[i].get_type ();

  /* emulator, hub, smartcard, panic, …: kept, shown, not typed. */
  return VMD_TYPE_DEVICE;
}
