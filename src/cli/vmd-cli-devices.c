/* vmd-cli-devices.c: vmdesk-cli commands for devices and media
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-cli"

#include <glib/gi18n.h>
#include <stdio.h>

#include "vmd-cli-private.h"

static VmdDevice *
device_from_file (const char *path, GError **error)
{
  g_autofree char *xml = NULL;

  if (!g_file_get_contents (path, &xml, NULL, error))
    return NULL;
  return vmd_device_new_from_xml (xml, -1, error);
}

/* The device of @config that @wanted describes: the disk with its target,
 * the network card with its MAC, or one written the same way. */
static VmdDevice *
find_matching (VmdDomainConfig *config, VmdDevice *wanted)
{
  g_autoptr (GPtrArray) devices = vmd_domain_config_get_devices_of_kind (config,
                                                                        vmd_device_get_kind (wanted));
  g_autofree char *wanted_xml = vmd_device_to_xml (wanted);

  for (guint i = 0; i < devices->len; i++)
    {
      VmdDevice *device = g_ptr_array_index (devices, i);

      if (VMD_IS_DEVICE_DISK (wanted))
        {
          g_autofree char *a = vmd_device_disk_get_target_dev (VMD_DEVICE_DISK (wanted));
          g_autofree char *b = vmd_device_disk_get_target_dev (VMD_DEVICE_DISK (device));
          if (a != NULL && g_strcmp0 (a, b) == 0)
            return g_object_ref (device);
        }
      else if (VMD_IS_DEVICE_INTERFACE (wanted))
        {
          g_autofree char *a = vmd_device_interface_get_mac (VMD_DEVICE_INTERFACE (wanted));
          g_autofree char *b = vmd_device_interface_get_mac (VMD_DEVICE_INTERFACE (device));
          if (a != NULL && b != NULL && g_ascii_strcasecmp (a, b) == 0)
            return g_object_ref (device);
        }
      else
        {
          g_autofree char *xml = vmd_device_to_xml (device);
          if (g_str_equal (xml, wanted_xml))
            return g_object_ref (device);
        }
    }
  return NULL;
}

int
cli_attach_device (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  VmdDomain *domain = cli_lookup (ctx, argv[0], &error);
  g_autoptr (VmdDevice) device = NULL;

  if (domain == NULL)
    return cli_fail (error);
  device = device_from_file (argv[1], &error);
  if (device == NULL)
    return cli_fail (error);
  vmd_domain_attach_device_async (domain, device, NULL, cli_store_result, &result);
  if (!vmd_domain_attach_device_finish (domain, cli_wait (&result), &error))
    return cli_fail (error);
  printf (_("Device attached successfully\n"));
  return 0;
}

int
cli_detach_device (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  VmdDomain *domain = cli_lookup (ctx, argv[0], &error);
  g_autoptr (VmdDevice) wanted = NULL;
  g_autoptr (VmdDevice) device = NULL;

  if (domain == NULL)
    return cli_fail (error);
  wanted = device_from_file (argv[1], &error);
  if (wanted == NULL)
    return cli_fail (error);
  device = find_matching (vmd_domain_get_config (domain), wanted);
  if (device == NULL)
    return cli_fail_message (_("The virtual machine has no device like the one described."));
  vmd_domain_detach_device_async (domain, device, NULL, cli_store_result, &result);
  if (!vmd_domain_detach_device_finish (domain, cli_wait (&result), &error))
    return cli_fail (error);
  printf (_("Device detached successfully\n"));
  return 0;
}

int
cli_change_media (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  VmdDomain *domain = cli_lookup (ctx, argv[0], &error);
  const char *path = argc > 2 ? argv[2] : NULL;

  if (domain == NULL)
    return cli_fail (error);
  if (path == NULL && !cli_opt ("eject"))
    return cli_fail_message (_("Give the new medium's path, or --eject."));
  vmd_domain_change_media_async (domain, argv[1], path, NULL, cli_store_result, &result);
  if (!vmd_domain_change_media_finish (domain, cli_wait (&result), &error))
    return cli_fail (error);
  if (path != NULL)
    printf (_("Successfully inserted media.\n"));
  else
    printf (_("Successfully ejected media.\n"));
  return 0;
}
