/* fuzz-domain-config.c: libFuzzer target for loading, editing and saving
 * a definition
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Whatever the input, the model must not crash, leak or hang; and whatever
 * it loads it must save as a document it loads again, the same way:
 * to_xml (load (to_xml (load (input)))) == to_xml (load (input)).
 * Any broken promise aborts, which libFuzzer reports as a crash.
 */
#define G_LOG_DOMAIN "vmdesk-fuzz"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmd-model.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
fail (const char *what, const char *detail)
{
  fprintf (stderr, "fuzz-domain-config: %s\n%s\n", what, detail ? detail : "");
  abort ();
}

static void
check_error (const GError *error, const char *operation)
{
  if (error == NULL)
    fail (operation, "failed without a GError");
  if (error->domain != VMD_MODEL_ERROR)
    fail (operation, "failed with an error outside VMD_MODEL_ERROR");
  if (error->message == NULL || error->message[0] == '\0')
    fail (operation, "failed with an empty message");
  if (!g_utf8_validate (error->message, -1, NULL))
    fail (operation, "failed with a message that is not UTF-8");
}

/* Getters touch every path of the XML helpers; the results only have to
 * be freeable. */
static void
read_everything (VmdDomainConfig *config)
{
  char *(*const string_getters[]) (VmdDomainConfig *) = {
    vmd_domain_config_get_domain_type, vmd_domain_config_get_name,
    vmd_domain_config_get_uuid, vmd_domain_config_get_title,
    vmd_domain_config_get_description, vmd_domain_config_get_cpu_mode,
    vmd_domain_config_get_cpu_model, vmd_domain_config_get_os_type,
    vmd_domain_config_get_arch, vmd_domain_config_get_machine,
    vmd_domain_config_get_loader, vmd_domain_config_get_nvram,
    vmd_domain_config_get_nvram_template, vmd_domain_config_get_kernel,
    vmd_domain_config_get_initrd, vmd_domain_config_get_cmdline,
    vmd_domain_config_get_clock_offset, vmd_domain_config_get_emulator,
  };
  guint sockets, cores, threads;
  g_auto (GStrv) boot = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (string_getters); i++)
    g_free (string_getters[i] (config));

  (void) vmd_domain_config_get_memory (config);
  (void) vmd_domain_config_get_current_memory (config);
  (void) vmd_domain_config_get_vcpus (config);
  (void) vmd_domain_config_get_current_vcpus (config);
  (void) vmd_domain_config_get_cpu_topology (config, &sockets, &cores, &threads);
  (void) vmd_domain_config_get_firmware (config);
  (void) vmd_domain_config_get_secure_boot (config);
  (void) vmd_domain_config_get_boot_menu (config);
  (void) vmd_domain_config_get_feature (config, "acpi");
  (void) vmd_domain_config_get_feature (config, "smm");
  boot = vmd_domain_config_get_boot_devices (config);
  for (VmdLifecycleEvent e = VMD_LIFECYCLE_POWEROFF; e <= VMD_LIFECYCLE_CRASH; e++)
    g_free (vmd_domain_config_get_lifecycle_action (config, e));
}

static void
read_devices (VmdDomainConfig *config)
{
  g_autoptr (GPtrArray) devices = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE);
  g_autoptr (GPtrArray) disks = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_DISK);
  g_autoptr (GPtrArray) nics = vmd_domain_config_get_devices_of_kind (config, "interface");

  for (guint i = 0; i < devices->len; i++)
    {
      VmdDevice *device = g_ptr_array_index (devices, i);

      if (vmd_device_get_config (device) != config)
        fail ("a listed device", "does not belong to its definition");
      (void) vmd_device_get_kind (device);
      (void) vmd_device_get_boot_order (device);
      g_free (vmd_device_get_alias (device));
      g_free (vmd_device_get_address_type (device));
      g_free (vmd_device_to_xml (device));
    }

  for (guint i = 0; i < disks->len; i++)
    {
      VmdDeviceDisk *disk = g_ptr_array_index (disks, i);

      g_free (vmd_device_disk_get_disk_type (disk));
      g_free (vmd_device_disk_get_device (disk));
      g_free (vmd_device_disk_get_driver_name (disk));
      g_free (vmd_device_disk_get_format (disk));
      g_free (vmd_device_disk_get_cache (disk));
      g_free (vmd_device_disk_get_source (disk));
      g_free (vmd_device_disk_get_target_dev (disk));
      g_free (vmd_device_disk_get_target_bus (disk));
      g_free (vmd_device_disk_get_serial (disk));
      (void) vmd_device_disk_get_readonly (disk);
      (void) vmd_device_disk_is_removable (disk);
    }

  /* The same element gives the same object while it lives. */
  if (nics->len > 0)
    {
      g_autoptr (GPtrArray) again = vmd_domain_config_get_devices_of_kind (config, "interface");
      if (again->len != nics->len || g_ptr_array_index (again, 0) != g_ptr_array_index (nics, 0))
        fail ("get_devices_of_kind", "gave another object for the same element");
    }
}

/* Adding a disk and removing it again leaves the definition loadable, and
 * the removed disk is no longer listed. */
static void
add_and_remove_disk (VmdDomainConfig *config)
{
  g_autoptr (VmdDeviceDisk) disk = vmd_device_disk_new ();
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) during = NULL;
  g_autoptr (GPtrArray) after = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdDomainConfig) reloaded = NULL;
  g_autofree char *xml = NULL;

  vmd_device_disk_set_source (disk, "/var/lib/libvirt/images/fuzz.qcow2");
  vmd_device_disk_set_format (disk, "qcow2");

  before = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_DISK);
  vmd_domain_config_add_device (config, VMD_DEVICE (disk));
  if (vmd_device_get_config (VMD_DEVICE (disk)) != config)
    fail ("add_device", "the disk does not belong to the definition");
  during = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_DISK);
  if (during->len != before->len + 1)
    fail ("add_device", "the new disk is not listed");
  g_free (vmd_device_disk_get_target_dev (disk));

  xml = vmd_domain_config_to_xml (config);
  reloaded = vmd_domain_config_new_from_xml (xml, -1, &error);
  if (reloaded == NULL)
    fail ("reloading after add_device", error->message);

  if (!vmd_domain_config_remove_device (config, VMD_DEVICE (disk)))
    fail ("remove_device", "returned FALSE for a device of this definition");
  if (vmd_device_get_config (VMD_DEVICE (disk)) != NULL)
    fail ("remove_device", "the disk still belongs to the definition");
  after = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_DISK);
  if (after->len != before->len)
    fail ("remove_device", "the removed disk is still listed");
  if (vmd_domain_config_remove_device (config, VMD_DEVICE (disk)))
    fail ("remove_device", "removed the same disk twice");
}

/* Edits through the API on a copy: what is saved loads again. */
static void
edit_copy (VmdDomainConfig *config)
{
  g_autoptr (VmdDomainConfig) copy = vmd_domain_config_copy (config);
  g_autoptr (VmdDomainConfig) reloaded = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *name = NULL;

  vmd_domain_config_set_name (copy, "fuzz-edited <&>'\"");
  vmd_domain_config_set_memory (copy, 2 * 1024 * 1024);
  vmd_domain_config_set_vcpus (copy, 3);
  vmd_domain_config_set_description (copy, "]]> <!-- & -->");

  xml = vmd_domain_config_to_xml (copy);
  reloaded = vmd_domain_config_new_from_xml (xml, -1, &error);
  if (reloaded == NULL)
    fail ("reloading an edited copy", error->message);
  name = vmd_domain_config_get_name (reloaded);
  if (g_strcmp0 (name, "fuzz-edited <&>'\"") != 0)
    fail ("set_name", xml);
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  /* Broken promises in the model surface as criticals: make them crashes. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (VmdDomainConfig) config = NULL;
  g_autoptr (VmdDomainConfig) again = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  const char *xml = size > 0 ? (const char *) data : "";

  config = vmd_domain_config_new_from_xml (xml, (gssize) size, &error);
  if (config == NULL)
    {
      check_error (error, "new_from_xml");
      return 0;
    }

  if (!vmd_domain_config_validate (config, &error))
    {
      check_error (error, "validate");
      if (error->code != VMD_MODEL_ERROR_INVALID)
        fail ("validate", "failed with a code other than VMD_MODEL_ERROR_INVALID");
      g_clear_error (&error);
    }

  read_everything (config);
  read_devices (config);

  first = vmd_domain_config_to_xml (config);
  again = vmd_domain_config_new_from_xml (first, -1, &error);
  if (again == NULL)
    {
      fprintf (stderr, "saved:\n%s\n", first);
      fail ("the saved definition does not load again", error->message);
    }
  second = vmd_domain_config_to_xml (again);
  if (strcmp (first, second) != 0)
    {
      fprintf (stderr, "first save:\n%s\nsecond save:\n%s\n", first, second);
      fail ("saving is not idempotent", NULL);
    }

  add_and_remove_disk (config);
  edit_copy (config);

  return 0;
}
