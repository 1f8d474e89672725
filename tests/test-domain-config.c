/* test-domain-config.c: every accessor and setter of VmdDomainConfig, each
 * checked against the XML it leaves behind
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "vmd-model.h"

#define UUID "c7a5fdbd-edaf-9455-926a-d65c16db1809"

static const char base_xml[] =
  "<domain type='kvm'>\n"
  "  <name>t</name>\n"
  "  <uuid>" UUID "</uuid>\n"
  "  <memory unit='KiB'>1048576</memory>\n"
  "  <currentMemory unit='KiB'>1048576</currentMemory>\n"
  "  <vcpu placement='static'>1</vcpu>\n"
  "  <os>\n"
  "    <type arch='x86_64' machine='q35'>hvm</type>\n"
  "  </os>\n"
  "  <features>\n"
  "    <acpi/>\n"
  "    <apic/>\n"
  "  </features>\n"
  "  <clock offset='utc'/>\n"
  "  <on_poweroff>destroy</on_poweroff>\n"
  "  <on_reboot>restart</on_reboot>\n"
  "  <on_crash>destroy</on_crash>\n"
  "  <devices>\n"
  "  </devices>\n"
  "</domain>\n";

static VmdDomainConfig *
new_config (void)
{
  VmdDomainConfig *config = vmd_domain_config_new ("t");
  g_autofree char *xml = NULL;

  vmd_domain_config_set_uuid (config, UUID);
  xml = vmd_domain_config_to_xml (config);
  g_assert_cmpstr (xml, ==, base_xml);
  return config;
}

/* The document is the base with each (from, to) pair replaced once. */
static void
assert_edited (VmdDomainConfig *config, ...)
{
  g_autoptr (GString) expected = g_string_new (base_xml);
  g_autofree char *xml = vmd_domain_config_to_xml (config);
  const char *from;
  va_list args;

  va_start (args, config);
  while ((from = va_arg (args, const char *)) != NULL)
    {
      const char *to = va_arg (args, const char *);
      g_assert_cmpuint (g_string_replace (expected, from, to, 1), ==, 1);
    }
  va_end (args);
  g_assert_cmpstr (xml, ==, expected->str);
}

static void
test_new (void)
{
  g_autoptr (VmdDomainConfig) config = vmd_domain_config_new ("fresh");
  g_autoptr (VmdDomainConfig) other = vmd_domain_config_new ("fresh");
  g_autoptr (GError) error = NULL;
  g_autofree char *name = vmd_domain_config_get_name (config);
  g_autofree char *uuid = vmd_domain_config_get_uuid (config);
  g_autofree char *uuid2 = vmd_domain_config_get_uuid (other);

  g_assert_cmpstr (name, ==, "fresh");
  g_assert_true (g_uuid_string_is_valid (uuid));
  g_assert_cmpstr (uuid, !=, uuid2);
  g_assert_true (vmd_domain_config_validate (config, &error));
  g_assert_no_error (error);
  g_assert_true (vmd_domain_config_validate_schema (config, NULL, &error));
  g_assert_no_error (error);
}

static void
test_identity (void)
{
  g_autoptr (VmdDomainConfig) config = new_config ();
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_autofree char *type = NULL;

  vmd_domain_config_set_name (config, "web & mail");
  vmd_domain_config_set_title (config, "Web server");
  vmd_domain_config_set_description (config, "Runs <nginx> & 'postfix'");
  vmd_domain_config_set_domain_type (config, "qemu");
  assert_edited (config,
                 "<domain type='kvm'>", "<domain type='qemu'>",
                 "  <name>t</name>\n", "  <name>web &amp; mail</name>\n",
                 "  <memory", "  <title>Web server</title>\n"
                 "  <description>Runs &lt;nginx&gt; &amp; 'postfix'</description>\n  <memory",
                 NULL);

  title = vmd_domain_config_get_title (config);
  description = vmd_domain_config_get_description (config);
  type = vmd_domain_config_get_domain_type (config);
  g_assert_cmpstr (title, ==, "Web server");
  g_assert_cmpstr (description, ==, "Runs <nginx> & 'postfix'");
  g_assert_cmpstr (type, ==, "qemu");

  vmd_domain_config_set_name (config, "t");
  vmd_domain_config_set_title (config, NULL);
  vmd_domain_config_set_description (config, "");
  vmd_domain_config_set_domain_type (config, "kvm");
  assert_edited (config, NULL);
}

static void
test_uuid (void)
{
  g_autoptr (VmdDomainConfig) config = new_config ();
  g_autofree char *before = vmd_domain_config_get_uuid (config);
  g_autofree char *after = NULL;

  g_assert_cmpstr (before, ==, UUID);
  vmd_domain_config_regenerate_uuid (config);
  after = vmd_domain_config_get_uuid (config);
  g_assert_true (g_uuid_string_is_valid (after));
  g_assert_cmpstr (after, !=, UUID);
}

static void
test_memory (void)
{
  g_autoptr (VmdDomainConfig) config = new_config ();

  vmd_domain_config_set_memory (config, 4194304);
  vmd_domain_config_set_current_memory (config, 2097152);
  g_assert_cmpuint (vmd_domain_config_get_memory (config), ==, 4194304);
  g_assert_cmpuint (vmd_domain_config_get_current_memory (config), ==, 2097152);
  assert_edited (config,
                 "<memory unit='KiB'>1048576</memory>", "<memory unit='KiB'>4194304</memory>",
                 "<currentMemory unit='KiB'>1048576</currentMemory>",
                 "<currentMemory unit='KiB'>2097152</currentMemory>",
                 NULL);

  /* Shrinking the maximum below the balloon brings the balloon down too. */
  vmd_domain_config_set_memory (config, 524288);
  g_assert_cmpuint (vmd_domain_config_get_current_memory (config), ==, 524288);
  assert_edited (config,
                 "<memory unit='KiB'>1048576</memory>", "<memory unit='KiB'>524288</memory>",
                 "<currentMemory unit='KiB'>1048576</currentMemory>",
                 "<currentMemory unit='KiB'>524288</currentMemory>",
                 NULL);
}

static void
test_memory_units (void)
{
  const struct { const char *xml; guint64 memory; guint64 current; } cases[] = {
    { "<memory unit='GiB'>2</memory>", 2097152, 2097152 },
    { "<memory>4096</memory><currentMemory unit='MiB'>2</currentMemory>", 4096, 2048 },
    { "<memory unit='MB'>1</memory>", 977, 977 },
    { "<memory unit='b'>1048577</memory>", 1025, 1025 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *xml = g_strdup_printf ("<domain type='kvm'><name>m</name>%s"
                                              "<os><type>hvm</type></os></domain>",
                                              cases[i].xml);
      g_autoptr (GError) error = NULL;
      g_autoptr (VmdDomainConfig) config = vmd_domain_config_new_from_xml (xml, -1, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (vmd_domain_config_get_memory (config), ==, cases[i].memory);
      g_assert_cmpuint (vmd_domain_config_get_current_memory (config), ==, cases[i].current);
    }
}

static void
test_vcpus (void)
{
  g_autoptr (VmdDomainConfig) config = new_config ();

  vmd_domain_config_set_vcpus (config, 4);
  vmd_domain_config_set_current_vcpus (config, 2);
  g_assert_cmpuint (vmd_domain_config_get_vcpus (config), ==, 4);
  g_assert_cmpuint (vmd_domain_config_get_current_vcpus (config), ==, 2);
  assert_edited (config,
                 "<vcpu placement='static'>1</vcpu>",
                 "<vcpu placement='static' current='2'>4</vcpu>",
                 NULL);

  /* Lowering the maximum to the active count drops "current". */
  vmd_domain_config_set_vcpus (config, 2);
  g_assert_cmpuint (vmd_domain_config_get_current_vcpus (config), ==, 2);
  assert_edited (config,
                 "<vcpu placement='static'>1</vcpu>", "<vcpu placement='static'>2</vcpu>",
                 NULL);

  vmd_domain_config_set_vcpus (config, 1);
  assert_edited (config, NULL);
}

static void
test_topology (void)
{
  g_autoptr (VmdDomainConfig) config = new_config ();
  guint sockets, cores, threads;

  g_assert_false (vmd_domain_config_get_cpu_topology (config, &sockets, &cores, &threads));
  g_assert_cmpuint (sockets * cores * threads, ==, 1);

  vmd_domain_config_set_vcpus (config, 4);
  vmd_domain_config_set_cpu_topology (config, 1, 2, 2);
  g_assert_true (vmd_domain_config_get_cpu_topology (config, &sockets, &cores, &threads));
  g_assert_cmpuint (sockets, ==, 1);
  g_assert_cmpuint (cores, ==, 2);
  g_assert_cmpuint (threads, ==, 2);
  assert_edited (config,
                 "<vcpu placement='static'>1</vcpu>", "<vcpu placement='static'>4</vcpu>",
                 "  </features>\n", "  </features>\n  <cpu>\n"
                 "    <topology sockets='1' cores='2' threads='2'/>\n  </cpu>\n",
                 NULL);

  vmd_domain_config_clear_cpu_topology (config);
  vmd_domain_config_set_vcpus (config, 1);
  assert_edited (config, NULL);
}

static void
test_topology_dies (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdDomainConfig) config = vmd_domain_config_new_from_xml (
    "<domain type='kvm'><name>d</name><vcpu>8</vcpu>"
    "<cpu><topology sockets='2' dies='2' cores='2' threads='1'/></cpu></domain>", -1, &error);
  guint sockets, cores, threads;
  g_autofree char *xml = NULL;

  g_assert_no_error (error);
  vmd_domain_config_get_cpu_topology (config, &sockets, &cores, &threads);
  g_assert_cmpuint (sockets, ==, 4);
  vmd_domain_config_set_cpu_topology (config, 2, 4, 1);
  xml = vmd_domain_config_to_xml (config);
  g_assert_nonnull (strstr (xml, "<topology sockets='2' dies='1' cores='4' threads='1'/>"));
}

static void
test_cpu_mode (void)
{
  g_autoptr (VmdDomainConfig) config = new_config ();
  g_autofree char *mode = NULL;
  g_autofree char *model = NULL;

  g_assert_null (vmd_domain_config_get_cpu_mode (config));

  vmd_domain_config_set_cpu (config, "host-passthrough", NULL);
  assert_edited (config,
                 "  </features>\n", "  </features>\n  <cpu mode='host-passthrough'/>\n",
                 NULL);

  vmd_domain_config_set_cpu (config, NULL, "Skylake-Client");
  mode = vmd_domain_config_get_cpu_mode (config);
  model = vmd_domain_config_get_cpu_model (config);
  g_assert_cmpstr (mode, ==, "custom");
  g_assert_cmpstr (model, ==, "Skylake-Client");
  assert_edited (config,
                 "  </features>\n", "  </features>\n  <cpu mode='custom' match='exact'>\n"
                 "    <model>Skylake-Client</model>\n  </cpu>\n",
                 NULL);

  vmd_domain_config_set_cpu (config, "host-model", NULL);
  assert_edited (config,
                 "  </features>\n", "  </features>\n  <cpu mode='host-model'/>\n",
                 NULL);

  vmd_domain_config_set_cpu (config, NULL, NULL);
  assert_edited (config, NULL);
}

static void
test_os (void)
{
  g_autoptr (VmdDomainConfig) config = new_config ();
  g_autofree char *type = vmd_domain_config_get_os_type (config);
  g_autofree char *arch = vmd_domain_config_get_arch (config);
  g_autofree char *machine = vmd_domain_config_get_machine (config);

  g_assert_cmpstr (type, ==, "hvm");
  g_assert_cmpstr (arch, ==, "x86_64");
  g_assert_cmpstr (machine, ==, "q35");

  vmd_domain_config_set_machine (config, "pc-i440fx-7.2");
  vmd_domain_config_set_arch (config, "i686");
  assert_edited (config,
                 "<type arch='x86_64' machine='q35'>", "<type arch='i686' machine='pc-i440fx-7.2'>",
                 NULL);
}

static void
test_firmware (void)
{
  g_autoptr (VmdDomainConfig) config = new_config ();

  g_assert_cmpint (vmd_domain_config_get_firmware (config), ==, VMD_FIRMWARE_BIOS);

  vmd_domain_config_set_firmware (config, VMD_FIRMWARE_UEFI);
  g_assert_cmpint (vmd_domain_config_get_firmware (config), ==, VMD_FIRMWARE_UEFI);
  g_assert_false (vmd_domain_config_get_secure_boot (config));
  vmd_domain_config_set_secure_boot (config, TRUE);
  g_assert_true (vmd_domain_config_get_secure_boot (config));
  assert_edited (config,
                 "  <os>\n    <type arch='x86_64' machine='q35'>hvm</type>\n",
                 "  <os firmware='efi'>\n    <type arch='x86_64' machine='q35'>hvm</type>\n"
                 "    <firmware>\n      <feature enabled='yes' name='secure-boot'/>\n"
                 "    </firmware>\n",
                 NULL);

  vmd_domain_config_set_firmware (config, VMD_FIRMWARE_BIOS);
  g_assert_false (vmd_domain_config_get_secure_boot (config));
  assert_edited (config, NULL);
}

static void
test_loader_nvram (void)
{
  g_autoptr (VmdDomainConfig) config = new_config ();
  g_autofree char *loader = NULL;
  g_autofree char *nvram = NULL;
  g_autofree char *template = NULL;

  vmd_domain_config_set_loader (config, "/usr/share/OVMF/OVMF_CODE_4M.fd", TRUE, "pflash");
  vmd_domain_config_set_nvram (config, "/var/lib/vmdesk/t_VARS.fd",
                               "/usr/share/OVMF/OVMF_VARS_4M.fd");
  vmd_domain_config_set_secure_boot (config, TRUE);
  g_assert_cmpint (vmd_domain_config_get_firmware (config), ==, VMD_FIRMWARE_UEFI);
  g_assert_true (vmd_domain_config_get_secure_boot (config));
  loader = vmd_domain_config_get_loader (config);
  nvram = vmd_domain_config_get_nvram (config);
  template = vmd_domain_config_get_nvram_template (config);
  g_assert_cmpstr (loader, ==, "/usr/share/OVMF/OVMF_CODE_4M.fd");
  g_assert_cmpstr (nvram, ==, "/var/lib/vmdesk/t_VARS.fd");
  g_assert_cmpstr (template, ==, "/usr/share/OVMF/OVMF_VARS_4M.fd");
  assert_edited (config,
                 "    <type arch='x86_64' machine='q35'>hvm</type>\n",
                 "    <type arch='x86_64' machine='q35'>hvm</type>\n"
                 "    <loader readonly='yes' type='pflash' secure='yes'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>\n"
                 "    <nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd'>/var/lib/vmdesk/t_VARS.fd</nvram>\n",
                 NULL);

  vmd_domain_config_set_loader (config, NULL, FALSE, NULL);
  vmd_domain_config_set_nvram (config, NULL, NULL);
  assert_edited (config, NULL);
}

static void
test_boot (void)
{
  g_autoptr (VmdDomainConfig) config = new_config ();
  const char *order[] = { "cdrom", "hd", NULL };
  g_auto (GStrv) devices = vmd_domain_config_get_boot_devices (config);
  g_auto (GStrv) after = NULL;

  g_assert_cmpuint (g_strv_length (devices), ==, 0);

  vmd_domain_config_set_boot_devices (config, order);
  vmd_domain_config_set_boot_menu (config, TRUE);
  after = vmd_domain_config_get_boot_devices (config);
  g_assert_true (g_strv_equal ((const char *const *) after, order));
  g_assert_true (vmd_domain_config_get_boot_menu (config));
  assert_edited (config,
                 "    <type arch='x86_64' machine='q35'>hvm</type>\n",
                 "    <type arch='x86_64' machine='q35'>hvm</type>\n"
                 "    <boot dev='cdrom'/>\n    <boot dev='hd'/>\n    <bootmenu enable='yes'/>\n",
                 NULL);

  vmd_domain_config_set_boot_devices (config, NULL);
  vmd_domain_config_set_boot_menu (config, FALSE);
  assert_edited (config, NULL);
}

static void
test_direct_kernel_boot (void)
{
  g_autoptr (VmdDomainConfig) config = new_config ();
  g_autofree char *kernel = NULL;
  g_autofree char *initrd = NULL;
  g_autofree char *cmdline = NULL;

  vmd_domain_config_set_cmdline (config, "console=ttyS0 root=/dev/vda");
  vmd_domain_config_set_kernel (config, "/srv/vmlinuz");
  vmd_domain_config_set_initrd (config, "/srv/initrd.img");
  kernel = vmd_domain_config_get_kernel (config);
  initrd = vmd_domain_config_get_initrd (config);
  cmdline = vmd_domain_config_get_cmdline (config);
  g_assert_cmpstr (kernel, ==, "/srv/vmlinuz");
  g_assert_cmpstr (initrd, ==, "/srv/initrd.img");
  g_assert_cmpstr (cmdline, ==, "console=ttyS0 root=/dev/vda");
  /* In libvirt's order whatever order they were set in. */
  assert_edited (config,
                 "    <type arch='x86_64' machine='q35'>hvm</type>\n",
                 "    <type arch='x86_64' machine='q35'>hvm</type>\n"
                 "    <kernel>/srv/vmlinuz</kernel>\n    <initrd>/srv/initrd.img</initrd>\n"
                 "    <cmdline>console=ttyS0 root=/dev/vda</cmdline>\n",
                 NULL);

  vmd_domain_config_set_kernel (config, NULL);
  vmd_domain_config_set_initrd (config, "");
  vmd_domain_config_set_cmdline (config, NULL);
  assert_edited (config, NULL);
}

static void
test_features (void)
{
  g_autoptr (VmdDomainConfig) config = new_config ();
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdDomainConfig) with_state = NULL;

  g_assert_true (vmd_domain_config_get_feature (config, "acpi"));
  g_assert_true (vmd_domain_config_get_feature (config, "apic"));
  g_assert_false (vmd_domain_config_get_feature (config, "pae"));

  vmd_domain_config_set_feature (config, "acpi", FALSE);
  vmd_domain_config_set_feature (config, "pae", TRUE);
  g_assert_false (vmd_domain_config_get_feature (config, "acpi"));
  assert_edited (config,
                 "    <acpi/>\n    <apic/>\n", "    <apic/>\n    <pae/>\n",
                 NULL);

  vmd_domain_config_set_feature (config, "apic", FALSE);
  vmd_domain_config_set_feature (config, "pae", FALSE);
  assert_edited (config, "  <features>\n    <acpi/>\n    <apic/>\n  </features>\n", "", NULL);

  with_state = vmd_domain_config_new_from_xml ("<domain type='kvm'><features><hap state='off'/>"
                                               "</features></domain>", -1, &error);
  g_assert_no_error (error);
  g_assert_false (vmd_domain_config_get_feature (with_state, "hap"));
  vmd_domain_config_set_feature (with_state, "hap", TRUE);
  g_assert_true (vmd_domain_config_get_feature (with_state, "hap"));
}

static void
test_clock_lifecycle_emulator (void)
{
  g_autoptr (VmdDomainConfig) config = new_config ();
  g_autoptr (GError) error = NULL;
  g_autofree char *offset = vmd_domain_config_get_clock_offset (config);
  g_autofree char *crash = NULL;
  g_autofree char *emulator = NULL;

  g_assert_cmpstr (offset, ==, "utc");

  vmd_domain_config_set_clock_offset (config, "localtime");
  g_assert_true (vmd_domain_config_set_lifecycle_action (config, VMD_LIFECYCLE_CRASH,
                                                         "coredump-restart", &error));
  g_assert_no_error (error);
  crash = vmd_domain_config_get_lifecycle_action (config, VMD_LIFECYCLE_CRASH);
  g_assert_cmpstr (crash, ==, "coredump-restart");

  g_assert_false (vmd_domain_config_set_lifecycle_action (config, VMD_LIFECYCLE_POWEROFF,
                                                          "coredump-restart", &error));
  g_assert_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_INVALID);
  g_clear_error (&error);

  vmd_domain_config_set_emulator (config, "/usr/bin/qemu-system-x86_64");
  emulator = vmd_domain_config_get_emulator (config);
  g_assert_cmpstr (emulator, ==, "/usr/bin/qemu-system-x86_64");
  assert_edited (config,
                 "<clock offset='utc'/>", "<clock offset='localtime'/>",
                 "<on_crash>destroy</on_crash>", "<on_crash>coredump-restart</on_crash>",
                 "  <devices>\n  </devices>\n",
                 "  <devices>\n    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n  </devices>\n",
                 NULL);

  /* NULL restores the default, which libvirt spells out on reading. */
  g_assert_true (vmd_domain_config_set_lifecycle_action (config, VMD_LIFECYCLE_REBOOT, NULL,
                                                         &error));
  g_free (crash);
  crash = vmd_domain_config_get_lifecycle_action (config, VMD_LIFECYCLE_REBOOT);
  g_assert_cmpstr (crash, ==, "restart");
}

static void
test_devices_add_remove (void)
{
  g_autoptr (VmdDomainConfig) config = new_config ();
  g_autoptr (VmdDeviceDisk) disk = vmd_device_disk_new ();
  g_autoptr (VmdDeviceDisk) disk2 = vmd_device_disk_new ();
  g_autoptr (VmdDeviceDisk) cdrom = vmd_device_disk_new ();
  g_autoptr (GPtrArray) disks = NULL;
  g_autofree char *dev = NULL;

  vmd_device_disk_set_source (disk, "/srv/a.qcow2");
  vmd_device_disk_set_format (disk, "qcow2");
  vmd_domain_config_add_device (config, VMD_DEVICE (disk));
  g_assert_true (vmd_device_get_config (VMD_DEVICE (disk)) == config);

  vmd_domain_config_add_device (config, VMD_DEVICE (disk2));
  vmd_device_disk_set_device (cdrom, "cdrom");
  vmd_device_disk_set_readonly (cdrom, TRUE);
  vmd_domain_config_add_device (config, VMD_DEVICE (cdrom));

  dev = vmd_device_disk_get_target_dev (disk2);
  g_assert_cmpstr (dev, ==, "vdb");
  assert_edited (config,
                 "  <devices>\n  </devices>\n",
                 "  <devices>\n"
                 "    <disk type='file' device='disk'>\n"
                 "      <driver name='qemu' type='qcow2'/>\n"
                 "      <source file='/srv/a.qcow2'/>\n"
                 "      <target dev='vda' bus='virtio'/>\n"
                 "    </disk>\n"
                 "    <disk type='file' device='disk'>\n"
                 "      <target dev='vdb' bus='virtio'/>\n"
                 "    </disk>\n"
                 "    <disk type='file' device='cdrom'>\n"
                 "      <target dev='sda' bus='sata'/>\n"
                 "      <readonly/>\n"
                 "    </disk>\n"
                 "  </devices>\n",
                 NULL);

  /* The same element gives the same object. */
  disks = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_DISK);
  g_assert_cmpuint (disks->len, ==, 3);
  g_assert_true (g_ptr_array_index (disks, 0) == (gpointer) disk);
  g_assert_true (g_ptr_array_index (disks, 2) == (gpointer) cdrom);

  g_assert_true (vmd_domain_config_remove_device (config, VMD_DEVICE (disk2)));
  g_assert_false (vmd_domain_config_remove_device (config, VMD_DEVICE (disk2)));
  g_assert_null (vmd_device_get_config (VMD_DEVICE (disk2)));
  g_assert_true (vmd_domain_config_remove_device (config, VMD_DEVICE (disk)));
  g_assert_true (vmd_domain_config_remove_device (config, VMD_DEVICE (cdrom)));
  assert_edited (config, "  <devices>\n  </devices>\n", "  <devices/>\n", NULL);

  /* A removed device is whole: add it back, here or elsewhere. */
  {
    g_autofree char *xml = vmd_device_to_xml (VMD_DEVICE (disk));
    g_assert_cmpstr (xml, ==,
                     "<disk type='file' device='disk'>\n"
                     "  <driver name='qemu' type='qcow2'/>\n"
                     "  <source file='/srv/a.qcow2'/>\n"
                     "  <target dev='vda' bus='virtio'/>\n"
                     "</disk>");
  }
  vmd_domain_config_add_device (config, VMD_DEVICE (disk));
  g_clear_pointer (&disks, g_ptr_array_unref);
  disks = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE);
  g_assert_cmpuint (disks->len, ==, 1);
}

static void
test_devices_move (void)
{
  g_autoptr (VmdDomainConfig) config = new_config ();
  g_autoptr (GPtrArray) disks = NULL;
  g_autoptr (GPtrArray) owned = g_ptr_array_new_with_free_func (g_object_unref);
  VmdDeviceDisk *d[3];
  const char *const order[] = { "vdc", "vda", "vdb" };

  for (guint i = 0; i < 3; i++)
    {
      d[i] = vmd_device_disk_new ();
      g_ptr_array_add (owned, d[i]);
      vmd_domain_config_add_device (config, VMD_DEVICE (d[i]));
    }

  g_assert_true (vmd_domain_config_move_device (config, VMD_DEVICE (d[2]), 0));
  disks = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_DISK);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *dev = vmd_device_disk_get_target_dev (g_ptr_array_index (disks, i));
      g_assert_cmpstr (dev, ==, order[i]);
    }

  /* Past the end: last of its kind. */
  g_assert_true (vmd_domain_config_move_device (config, VMD_DEVICE (d[2]), 99));
  g_clear_pointer (&disks, g_ptr_array_unref);
  disks = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_DISK);
  g_assert_true (g_ptr_array_index (disks, 2) == (gpointer) d[2]);
  {
    g_autofree char *xml = vmd_domain_config_to_xml (config);
    g_assert_nonnull (strstr (xml, "    </disk>\n    <disk type='file' device='disk'>\n"
                                   "      <target dev='vdc' bus='virtio'/>\n    </disk>\n  </devices>\n"));
  }
}

static void
test_device_outlives_config (void)
{
  VmdDomainConfig *config = vmd_domain_config_new ("short-lived");
  g_autoptr (VmdDeviceDisk) disk = vmd_device_disk_new ();
  g_autofree char *dev = NULL;

  vmd_domain_config_add_device (config, VMD_DEVICE (disk));
  g_object_unref (config);
  /* The device keeps its definition alive while it is part of it. */
  dev = vmd_device_disk_get_target_dev (disk);
  g_assert_cmpstr (dev, ==, "vda");
  g_assert_true (VMD_IS_DOMAIN_CONFIG (vmd_device_get_config (VMD_DEVICE (disk))));
}

static void
test_device_from_xml (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdDevice) device = vmd_device_new_from_xml (
    "<disk type='block' device='disk'><source dev='/dev/sdb'/>"
    "<target dev='sdb' bus='scsi'/><boot order='2'/></disk>", -1, &error);
  g_autoptr (VmdDevice) other = vmd_device_new_from_xml ("<panic model='isa'/>", -1, &error);
  g_autofree char *source = NULL;

  g_assert_no_error (error);
  g_assert_true (VMD_IS_DEVICE_DISK (device));
  source = vmd_device_disk_get_source (VMD_DEVICE_DISK (device));
  g_assert_cmpstr (source, ==, "/dev/sdb");
  g_assert_cmpuint (vmd_device_get_boot_order (device), ==, 2);
  vmd_device_set_boot_order (device, 0);
  {
    g_autofree char *xml = vmd_device_to_xml (device);
    g_assert_cmpstr (xml, ==, "<disk type='block' device='disk'><source dev='/dev/sdb'/>"
                              "<target dev='sdb' bus='scsi'/></disk>");
  }

  /* Devices the model has no class for are kept and typed generically. */
  g_assert_true (G_OBJECT_TYPE (other) == VMD_TYPE_DEVICE);
  g_assert_cmpstr (vmd_device_get_kind (other), ==, "panic");
}

static void
test_generate_mac (void)
{
  g_autoptr (VmdDomainConfig) config = new_config ();
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 200; i++)
    {
      char *mac = vmd_domain_config_generate_mac (config);
      g_assert_true (g_regex_match_simple ("^52:54:00:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$",
                                           mac, 0, 0));
      g_hash_table_add (seen, mac);
    }
  /* Random, not a counter: 200 draws from 16 million rarely collide. */
  g_assert_cmpuint (g_hash_table_size (seen), >=, 195);
}

static void
on_changed (VmdDomainConfig *config, guint *count)
{
  (*count)++;
}

static void
test_changed_signal (void)
{
  g_autoptr (VmdDomainConfig) config = new_config ();
  g_autoptr (VmdDeviceDisk) disk = vmd_device_disk_new ();
  guint count = 0;

  g_signal_connect (config, "changed", G_CALLBACK (on_changed), &count);
  vmd_domain_config_set_memory (config, 2097152);
  g_assert_cmpuint (count, ==, 1);
  vmd_domain_config_add_device (config, VMD_DEVICE (disk));
  g_assert_cmpuint (count, ==, 2);
  /* Edits through a device reach its definition. */
  vmd_device_disk_set_cache (disk, "none");
  g_assert_cmpuint (count, ==, 3);
  vmd_domain_config_remove_device (config, VMD_DEVICE (disk));
  g_assert_cmpuint (count, ==, 4);
  vmd_device_disk_set_cache (disk, "writeback");
  g_assert_cmpuint (count, ==, 4);
}

static void
test_copy (void)
{
  g_autoptr (VmdDomainConfig) config = new_config ();
  g_autoptr (VmdDomainConfig) copy = vmd_domain_config_copy (config);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  vmd_domain_config_set_name (copy, "copy");
  a = vmd_domain_config_get_name (config);
  b = vmd_domain_config_get_name (copy);
  g_assert_cmpstr (a, ==, "t");
  g_assert_cmpstr (b, ==, "copy");
}

static void
test_files (void)
{
  g_autoptr (VmdDomainConfig) config = new_config ();
  g_autoptr (VmdDomainConfig) loaded = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vmdesk-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "t.xml", NULL);
  g_autofree char *missing = g_build_filename (dir, "nope", "t.xml", NULL);
  g_autofree char *xml = NULL;
  GStatBuf st;

  g_assert_true (vmd_domain_config_save_to_file (config, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  loaded = vmd_domain_config_new_from_file (path, &error);
  g_assert_no_error (error);
  xml = vmd_domain_config_to_xml (loaded);
  g_assert_cmpstr (xml, ==, base_xml);

  g_assert_false (vmd_domain_config_save_to_file (config, missing, &error));
  g_assert_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, "The definition could not be saved to "));
  g_clear_error (&error);

  g_assert_null (vmd_domain_config_new_from_file (missing, &error));
  g_assert_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_IO);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  /* A syntax error names the file and the line. */
  g_assert_true (g_file_set_contents (path, "<domain>\n<name>x</nam>\n</domain>\n", -1, NULL));
  g_assert_null (vmd_domain_config_new_from_file (path, &error));
  g_assert_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_nonnull (strstr (error->message, "line 2"));

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_tags (void)
{
  g_autoptr (VmdDomainConfig) config = new_config ();
  g_autoptr (VmdDomainConfig) again = NULL;
  g_auto (GStrv) tags = vmd_domain_config_get_tags (config);
  const char *set[] = { "web", " db ", "", "web", "a&b", NULL };
  g_autofree char *xml = NULL;

  g_assert_cmpuint (g_strv_length (tags), ==, 0);
  g_clear_pointer (&tags, g_strfreev);

  vmd_domain_config_set_tags (config, set);
  assert_edited (config,
                 "  <uuid>" UUID "</uuid>\n",
                 "  <uuid>" UUID "</uuid>\n"
                 "  <metadata>\n"
                 "    <vmdesk:tags xmlns:vmdesk='https://vmdesk.org/xmlns/1'>\n"
                 "      <vmdesk:tag>web</vmdesk:tag>\n"
                 "      <vmdesk:tag>db</vmdesk:tag>\n"
                 "      <vmdesk:tag>a&amp;b</vmdesk:tag>\n"
                 "    </vmdesk:tags>\n"
                 "  </metadata>\n",
                 NULL);
  tags = vmd_domain_config_get_tags (config);
  g_assert_cmpstrv (tags, ((const char *[]) { "web", "db", "a&b", NULL }));
  g_clear_pointer (&tags, g_strfreev);

  /* through the XML and back */
  xml = vmd_domain_config_to_xml (config);
  again = vmd_domain_config_new_from_xml (xml, -1, NULL);
  g_assert_nonnull (again);
  tags = vmd_domain_config_get_tags (again);
  g_assert_cmpstrv (tags, ((const char *[]) { "web", "db", "a&b", NULL }));
  g_clear_pointer (&tags, g_strfreev);

  /* none left: the metadata goes */
  vmd_domain_config_set_tags (config, NULL);
  assert_edited (config, NULL);
}

/* The guest's OS as virt-install records it, next to other metadata. */
static void
test_os_id (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdDomainConfig) config = new_config ();
  g_autoptr (VmdDomainConfig) other = NULL;
  g_autoptr (VmdDomainConfig) again = NULL;
  g_autofree char *id = vmd_domain_config_get_os_id (config);
  g_autofree char *xml = NULL;
  const char *one[] = { "lab", NULL };

  g_assert_null (id);
  vmd_domain_config_set_os_id (config, "http://debian.org/debian/11");
  assert_edited (config,
                 "  <uuid>" UUID "</uuid>\n",
                 "  <uuid>" UUID "</uuid>\n"
                 "  <metadata>\n"
                 "    <libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>\n"
                 "      <libosinfo:os id='http://debian.org/debian/11'/>\n"
                 "    </libosinfo:libosinfo>\n"
                 "  </metadata>\n",
                 NULL);
  /* replaced in place, read back through the XML */
  vmd_domain_config_set_os_id (config, "http://fedoraproject.org/fedora/36");
  xml = vmd_domain_config_to_xml (config);
  again = vmd_domain_config_new_from_xml (xml, -1, &error);
  g_assert_no_error (error);
  g_clear_pointer (&id, g_free);
  id = vmd_domain_config_get_os_id (again);
  g_assert_cmpstr (id, ==, "http://fedoraproject.org/fedora/36");
  /* none: the metadata goes */
  vmd_domain_config_set_os_id (config, NULL);
  assert_edited (config, NULL);

  /* virt-install's document, with tags beside it: each keeps the other */
  other = vmd_domain_config_new_from_xml (
    "<domain type='kvm'>\n"
    "  <name>t</name>\n"
    "  <metadata>\n"
    "    <libosinfo:libosinfo xmlns:libosinfo=\"http://libosinfo.org/xmlns/libvirt/domain/1.0\">\n"
    "      <libosinfo:os id=\"http://microsoft.com/win/10\"/>\n"
    "    </libosinfo:libosinfo>\n"
    "  </metadata>\n"
    "</domain>\n", -1, &error);
  g_assert_no_error (error);
  g_clear_pointer (&id, g_free);
  id = vmd_domain_config_get_os_id (other);
  g_assert_cmpstr (id, ==, "http://microsoft.com/win/10");
  vmd_domain_config_set_tags (other, one);
  vmd_domain_config_set_os_id (other, "");
  g_clear_pointer (&id, g_free);
  id = vmd_domain_config_get_os_id (other);
  g_assert_null (id);
  g_clear_pointer (&xml, g_free);
  xml = vmd_domain_config_to_xml (other);
  g_assert_null (strstr (xml, "libosinfo"));
  g_assert_nonnull (strstr (xml, "<vmdesk:tag>lab</vmdesk:tag>"));
}

static void
test_tags_keep_other_metadata (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdDomainConfig) config = vmd_domain_config_new_from_xml (
    "<domain type='kvm'>\n"
    "  <name>t</name>\n"
    "  <metadata>\n"
    "    <other:x xmlns:other=\"https://example.org/x\"/>\n"
    "    <tags>not ours</tags>\n"
    "  </metadata>\n"
    "</domain>\n", -1, &error);
  g_auto (GStrv) tags = NULL;
  g_autofree char *xml = NULL;
  const char *one[] = { "lab", NULL };

  g_assert_no_error (error);
  tags = vmd_domain_config_get_tags (config);
  g_assert_cmpuint (g_strv_length (tags), ==, 0);
  vmd_domain_config_set_tags (config, one);
  vmd_domain_config_set_tags (config, one);
  vmd_domain_config_set_tags (config, NULL);
  vmd_domain_config_set_tags (config, one);
  xml = vmd_domain_config_to_xml (config);
  g_assert_cmpstr (xml, ==,
                   "<domain type='kvm'>\n"
                   "  <name>t</name>\n"
                   "  <metadata>\n"
                   "    <other:x xmlns:other='https://example.org/x'/>\n"
                   "    <tags>not ours</tags>\n"
                   "    <vmdesk:tags xmlns:vmdesk='https://vmdesk.org/xmlns/1'>\n"
                   "      <vmdesk:tag>lab</vmdesk:tag>\n"
                   "    </vmdesk:tags>\n"
                   "  </metadata>\n"
                   "</domain>\n");
}

static void
test_wrong_root (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_null (vmd_domain_config_new_from_xml ("<network><name>default</name></network>", -1,
                                                 &error));
  g_assert_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_NOT_DOMAIN);
  g_assert_cmpstr (error->message, ==,
                   "This is not a virtual machine definition: it starts with <network> where <domain> was expected.");
}

static void
test_validate_messages (void)
{
  const struct { const char *from; const char *to; const char *message; } cases[] = {
    { "<name>t</name>", "<name>a/b</name>", "The name may not contain '/'." },
    { "<name>t</name>", "<name> </name>", "The name may not be empty." },
    { "<memory unit='KiB'>1048576</memory>", "<memory unit='KiB'>512</memory>",
      "Memory must be at least 1 MiB; the definition gives 512 KiB." },
    { "<memory unit='KiB'>1048576</memory>", "<memory unit='XiB'>1</memory>",
      "The memory size is not valid. The unit \"XiB\" is not known; use one of b, KiB, MiB, GiB, TiB, KB, MB, GB or TB." },
    { "<vcpu placement='static'>1</vcpu>", "<vcpu placement='static' current='3'>2</vcpu>",
      "The number of active virtual CPUs (3) must be between 1 and the maximum (2)." },
    { "<vcpu placement='static'>1</vcpu>",
      "<vcpu>4</vcpu><cpu><topology sockets='1' cores='2' threads='1'/></cpu>",
      "The CPU topology gives 2 virtual CPUs, but the machine has 4." },
    { "<uuid>" UUID "</uuid>", "<uuid>1234</uuid>",
      "The UUID \"1234\" is not valid; a UUID has 32 hexadecimal digits." },
    { "  <devices>\n  </devices>\n",
      "<devices><disk type='file' device='disk'><target dev='vda' bus='virtio'/></disk>"
      "<disk type='file' device='disk'><target dev='vda' bus='virtio'/></disk></devices>",
      "Two disks use the target vda." },
    { "  <devices>\n  </devices>\n",
      "<devices><disk type='file' device='disk'><target dev='vda' bus='floppy-drive'/></disk></devices>",
      "The disk bus \"floppy-drive\" is not known; use one of ide, fdc, scsi, virtio, xen, usb, uml, sata, sd, nvme." },
    { "  <devices>\n  </devices>\n",
      "<devices><interface type='user'><mac address='53:54:00:00:00:01'/></interface></devices>",
      "The MAC address 53:54:00:00:00:01 is a multicast address; a network card needs a unicast one." },
    { "<on_crash>destroy</on_crash>", "<on_crash>explode</on_crash>",
      "The action \"explode\" of <on_crash> is not known." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GString) xml = g_string_new (base_xml);
      g_autoptr (GError) error = NULL;
      g_autoptr (VmdDomainConfig) config = NULL;

      g_assert_cmpuint (g_string_replace (xml, cases[i].from, cases[i].to, 1), ==, 1);
      config = vmd_domain_config_new_from_xml (xml->str, -1, &error);
      g_assert_no_error (error);
      g_assert_false (vmd_domain_config_validate (config, &error));
      g_assert_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/domain-config/new", test_new);
  g_test_add_func ("/domain-config/identity", test_identity);
  g_test_add_func ("/domain-config/uuid", test_uuid);
  g_test_add_func ("/domain-config/memory", test_memory);
  g_test_add_func ("/domain-config/memory-units", test_memory_units);
  g_test_add_func ("/domain-config/vcpus", test_vcpus);
  g_test_add_func ("/domain-config/topology", test_topology);
  g_test_add_func ("/domain-config/topology-dies", test_topology_dies);
  g_test_add_func ("/domain-config/cpu-mode", test_cpu_mode);
  g_test_add_func ("/domain-config/os", test_os);
  g_test_add_func ("/domain-config/firmware", test_firmware);
  g_test_add_func ("/domain-config/loader-nvram", test_loader_nvram);
  g_test_add_func ("/domain-config/boot", test_boot);
  g_test_add_func ("/domain-config/direct-kernel-boot", test_direct_kernel_boot);
  g_test_add_func ("/domain-config/features", test_features);
  g_test_add_func ("/domain-config/clock-lifecycle-emulator", test_clock_lifecycle_emulator);
  g_test_add_func ("/domain-config/devices/add-remove", test_devices_add_remove);
  g_test_add_func ("/domain-config/devices/move", test_devices_move);
  g_test_add_func ("/domain-config/devices/outlive-config", test_device_outlives_config);
  g_test_add_func ("/domain-config/devices/from-xml", test_device_from_xml);
  g_test_add_func ("/domain-config/generate-mac", test_generate_mac);
  g_test_add_func ("/domain-config/changed-signal", test_changed_signal);
  g_test_add_func ("/domain-config/copy", test_copy);
  g_test_add_func ("/domain-config/files", test_files);
  g_test_add_func ("/domain-config/tags", test_tags);
  g_test_add_func ("/domain-config/tags-keep-other-metadata", test_tags_keep_other_metadata);
  g_test_add_func ("/domain-config/os-id", test_os_id);
  g_test_add_func ("/domain-config/wrong-root", test_wrong_root);
  g_test_add_func ("/domain-config/validate-messages", test_validate_messages);

  return g_test_run ();
}
