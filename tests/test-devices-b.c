/* test-devices-b.c: the typed accessors of the character device, controller,
 * host device, RNG, watchdog, TPM, filesystem, memory balloon and USB
 * redirection classes, each checked against the XML it leaves behind
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
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

/* ---------------------------------------------------------------- helpers */

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

/* The whole document is the base with @devices inside <devices>. */
static void
assert_devices (VmdDomainConfig *config, const char *devices)
{
  g_autoptr (GString) expected = g_string_new (base_xml);
  g_autofree char *xml = vmd_domain_config_to_xml (config);
  g_autofree char *block = g_strconcat ("  <devices>\n", devices, "  </devices>\n", NULL);

  g_assert_cmpuint (g_string_replace (expected, "  <devices>\n  </devices>\n", block, 1), ==, 1);
  g_assert_cmpstr (xml, ==, expected->str);
}

static void
assert_config_contains (VmdDomainConfig *config, const char *snippet)
{
  g_autofree char *xml = vmd_domain_config_to_xml (config);

  /* On failure, show both, escaped on one line as TAP wants. */
  if (strstr (xml, snippet) == NULL)
    g_assert_cmpstr (xml, ==, snippet);
}

static void
assert_xml (gpointer device, const char *expected)
{
  g_autofree char *xml = vmd_device_to_xml (VMD_DEVICE (device));

  g_assert_cmpstr (xml, ==, expected);
}

static void
assert_str (char *value, const char *expected)
{
  g_assert_cmpstr (value, ==, expected);
  g_free (value);
}

static VmdDevice *
device_from_xml (const char *xml)
{
  g_autoptr (GError) error = NULL;
  VmdDevice *device = vmd_device_new_from_xml (xml, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (device);
  return device;
}

/* @name is relative to the corpus, such as "libvirt-qemuxml2argv/tpm-emulator.xml". */
static char *
corpus_path (const char *name)
{
  const char *dir = g_getenv ("VMD_CORPUS_DIR");

  if (dir == NULL)
    g_error ("VMD_CORPUS_DIR is not set; run the test with meson test.");
  return g_build_filename (dir, name, NULL);
}

static VmdDomainConfig *
load_corpus (const char *name)
{
  g_autofree char *path = corpus_path (name);
  g_autoptr (GError) error = NULL;
  VmdDomainConfig *config;

  config = vmd_domain_config_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (config);
  return config;
}

#define QEMU_XML(name) "libvirt-qemuxml2argv/" name

/* The @n-th device of @kind in document order, or a failed test. */
static gpointer
nth_device (VmdDomainConfig *config, const char *kind, guint n)
{
  g_autoptr (GPtrArray) devices = vmd_domain_config_get_devices_of_kind (config, kind);

  g_assert_cmpuint (n, <, devices->len);
  return g_object_ref (g_ptr_array_index (devices, n));
}

static guint
count_devices (VmdDomainConfig *config, const char *kind)
{
  g_autoptr (GPtrArray) devices = vmd_domain_config_get_devices_of_kind (config, kind);

  return devices->len;
}

/* ---------------------------------------------------------------- chardev */

static void
test_chardev_new (void)
{
  static const char *const kinds[] = { "serial", "console", "channel", "parallel" };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr (VmdDeviceChardev) dev = vmd_device_chardev_new (kinds[i]);
      g_autoptr (VmdDevice) parsed = NULL;
      g_autofree char *expected = g_strdup_printf ("<%s type='pty'/>", kinds[i]);

      g_assert_cmpstr (vmd_device_get_kind (VMD_DEVICE (dev)), ==, kinds[i]);
      assert_xml (dev, expected);
      assert_str (vmd_device_chardev_get_chardev_type (dev), "pty");

      parsed = device_from_xml (expected);
      g_assert_true (VMD_IS_DEVICE_CHARDEV (parsed));
      g_assert_cmpstr (vmd_device_get_kind (parsed), ==, kinds[i]);
    }

  g_test_expect_message ("vmdesk-model", G_LOG_LEVEL_CRITICAL, "*is_chardev_kind*");
  g_assert_null (vmd_device_chardev_new ("disk"));
  g_test_assert_expected_messages ();
}

static void
test_chardev_accessors (void)
{
  g_autoptr (VmdDeviceChardev) serial = vmd_device_chardev_new ("serial");
  g_autoptr (VmdDeviceChardev) channel = vmd_device_chardev_new ("channel");

  vmd_device_chardev_set_chardev_type (serial, "unix");
  assert_xml (serial, "<serial type='unix'/>");
  vmd_device_chardev_set_source_mode (serial, "bind");
  assert_xml (serial,
              "<serial type='unix'>\n"
              "  <source mode='bind'/>\n"
              "</serial>");
  vmd_device_chardev_set_source_path (serial, "/run/vm/serial.sock");
  assert_xml (serial,
              "<serial type='unix'>\n"
              "  <source mode='bind' path='/run/vm/serial.sock'/>\n"
              "</serial>");
  vmd_device_chardev_set_target_type (serial, "isa-serial");
  vmd_device_chardev_set_target_port (serial, 0);
  assert_xml (serial,
              "<serial type='unix'>\n"
              "  <source mode='bind' path='/run/vm/serial.sock'/>\n"
              "  <target type='isa-serial' port='0'/>\n"
              "</serial>");
  vmd_device_chardev_set_target_port (serial, 3);
  assert_xml (serial,
              "<serial type='unix'>\n"
              "  <source mode='bind' path='/run/vm/serial.sock'/>\n"
              "  <target type='isa-serial' port='3'/>\n"
              "</serial>");

  assert_str (vmd_device_chardev_get_chardev_type (serial), "unix");
  assert_str (vmd_device_chardev_get_source_mode (serial), "bind");
  assert_str (vmd_device_chardev_get_source_path (serial), "/run/vm/serial.sock");
  assert_str (vmd_device_chardev_get_target_type (serial), "isa-serial");
  g_assert_cmpint (vmd_device_chardev_get_target_port (serial), ==, 3);
  assert_str (vmd_device_chardev_get_target_name (serial), NULL);

  /* NULL (or -1) removes, and elements left empty go. */
  vmd_device_chardev_set_source_path (serial, NULL);
  assert_xml (serial,
              "<serial type='unix'>\n"
              "  <source mode='bind'/>\n"
              "  <target type='isa-serial' port='3'/>\n"
              "</serial>");
  assert_str (vmd_device_chardev_get_source_path (serial), NULL);
  vmd_device_chardev_set_source_mode (serial, NULL);
  assert_xml (serial,
              "<serial type='unix'>\n"
              "  <target type='isa-serial' port='3'/>\n"
              "</serial>");
  assert_str (vmd_device_chardev_get_source_mode (serial), NULL);
  vmd_device_chardev_set_target_port (serial, -1);
  assert_xml (serial,
              "<serial type='unix'>\n"
              "  <target type='isa-serial'/>\n"
              "</serial>");
  g_assert_cmpint (vmd_device_chardev_get_target_port (serial), ==, -1);
  vmd_device_chardev_set_target_type (serial, NULL);
  assert_xml (serial, "<serial type='unix'/>");
  assert_str (vmd_device_chardev_get_target_type (serial), NULL);
  vmd_device_chardev_set_chardev_type (serial, NULL);
  assert_xml (serial, "<serial/>");
  assert_str (vmd_device_chardev_get_chardev_type (serial), NULL);

  vmd_device_chardev_set_target_type (channel, "virtio");
  vmd_device_chardev_set_target_name (channel, "org.example.agent.0");
  assert_xml (channel,
              "<channel type='pty'>\n"
              "  <target type='virtio' name='org.example.agent.0'/>\n"
              "</channel>");
  assert_str (vmd_device_chardev_get_target_name (channel), "org.example.agent.0");
  vmd_device_chardev_set_target_name (channel, NULL);
  assert_xml (channel,
              "<channel type='pty'>\n"
              "  <target type='virtio'/>\n"
              "</channel>");
  assert_str (vmd_device_chardev_get_target_name (channel), NULL);
}

static void
test_chardev_target_port_parsing (void)
{
  g_autoptr (VmdDevice) big =
    device_from_xml ("<serial type='pty'><target port='4294967296'/></serial>");
  g_autoptr (VmdDevice) junk = device_from_xml ("<serial type='pty'><target port='one'/></serial>");
  g_autoptr (VmdDevice) guestfwd =
    device_from_xml ("<channel type='pipe'>"
                     "<target type='guestfwd' address='10.0.2.1' port='4600'/>"
                     "</channel>");

  g_assert_cmpint (vmd_device_chardev_get_target_port (VMD_DEVICE_CHARDEV (big)), ==, -1);
  g_assert_cmpint (vmd_device_chardev_get_target_port (VMD_DEVICE_CHARDEV (junk)), ==, -1);
  g_assert_cmpint (vmd_device_chardev_get_target_port (VMD_DEVICE_CHARDEV (guestfwd)), ==, 4600);
}

/* A serial port's <model> goes with its target type. */
static void
test_chardev_target_model (void)
{
  g_autoptr (VmdDevice) dev = device_from_xml ("<serial type='pty'>\n"
                                               "  <target type='isa-serial' port='0'>\n"
                                               "    <model name='isa-serial'/>\n"
                                               "  </target>\n"
                                               "</serial>");
  VmdDeviceChardev *serial = VMD_DEVICE_CHARDEV (dev);

  vmd_device_chardev_set_target_type (serial, "isa-serial");
  assert_xml (serial,
              "<serial type='pty'>\n"
              "  <target type='isa-serial' port='0'>\n"
              "    <model name='isa-serial'/>\n"
              "  </target>\n"
              "</serial>");
  vmd_device_chardev_set_target_type (serial, "pci-serial");
  assert_xml (serial,
              "<serial type='pty'>\n"
              "  <target type='pci-serial' port='0'/>\n"
              "</serial>");
}

/* Children land where libvirt writes them, <source> before <target>, for a
 * parallel port too (vmd-xml.c only knows the order of the other three). */
static void
test_chardev_child_order (void)
{
  static const char *const kinds[] = { "serial", "parallel" };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr (VmdDeviceChardev) dev = vmd_device_chardev_new (kinds[i]);
      g_autoptr (VmdDevice) with_address = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *xml = NULL;

      vmd_device_chardev_set_chardev_type (dev, "file");
      vmd_device_chardev_set_target_port (dev, 0);
      vmd_device_chardev_set_source_path (dev, "/var/log/vm.log");
      expected = g_strdup_printf ("<%s type='file'>\n"
                                  "  <source path='/var/log/vm.log'/>\n"
                                  "  <target port='0'/>\n"
                                  "</%s>", kinds[i], kinds[i]);
      assert_xml (dev, expected);

      xml = g_strdup_printf ("<%s type='pty'>\n"
                             "  <alias name='x'/>\n"
                             "  <address type='isa' iobase='0x378'/>\n"
                             "</%s>", kinds[i], kinds[i]);
      with_address = device_from_xml (xml);
      vmd_device_chardev_set_target_port (VMD_DEVICE_CHARDEV (with_address), 0);
      g_clear_pointer (&expected, g_free);
      expected = g_strdup_printf ("<%s type='pty'>\n"
                                  "  <target port='0'/>\n"
                                  "  <alias name='x'/>\n"
                                  "  <address type='isa' iobase='0x378'/>\n"
                                  "</%s>", kinds[i], kinds[i]);
      assert_xml (with_address, expected);
    }
}

static void
test_chardev_agents (void)
{
  g_autoptr (VmdDeviceChardev) qga = vmd_device_chardev_new_guest_agent ();
  g_autoptr (VmdDeviceChardev) spice = vmd_device_chardev_new_spice_agent ();

  assert_xml (qga,
              "<channel type='unix'>\n"
              "  <target type='virtio' name='org.qemu.guest_agent.0'/>\n"
              "</channel>");
  assert_xml (spice,
              "<channel type='spicevmc'>\n"
              "  <target type='virtio' name='com.redhat.spice.0'/>\n"
              "</channel>");
  g_assert_cmpstr (vmd_device_get_kind (VMD_DEVICE (qga)), ==, "channel");
  assert_str (vmd_device_chardev_get_target_name (spice), "com.redhat.spice.0");
}

static void
test_chardev_corpus (void)
{
  g_autoptr (VmdDomainConfig) unix_config = load_corpus (QEMU_XML ("serial-unix-chardev.xml"));
  g_autoptr (VmdDomainConfig) tcp = load_corpus (QEMU_XML ("serial-tcp-chardev.xml"));
  g_autoptr (VmdDomainConfig) guestfwd = load_corpus (QEMU_XML ("channel-guestfwd.xml"));
  g_autoptr (VmdDomainConfig) spicevmc = load_corpus (QEMU_XML ("channel-spicevmc.xml"));
  g_autoptr (VmdDomainConfig) virtio = load_corpus (QEMU_XML ("channel-virtio.xml"));
  g_autoptr (VmdDomainConfig) console = load_corpus (QEMU_XML ("console-virtio.xml"));
  g_autoptr (VmdDomainConfig) parallel = load_corpus (QEMU_XML ("parallel-unix-chardev.xml"));
  g_autoptr (VmdDomainConfig) pty = load_corpus (QEMU_XML ("serial-pty-chardev.x86_64-latest.xml"));
  g_autoptr (GPtrArray) all = vmd_domain_config_get_devices (unix_config, VMD_TYPE_DEVICE_CHARDEV);
  g_autoptr (VmdDeviceChardev) s0 = nth_device (unix_config, "serial", 0);
  g_autoptr (VmdDeviceChardev) s1 = nth_device (unix_config, "serial", 1);
  g_autoptr (VmdDeviceChardev) c0 = nth_device (unix_config, "console", 0);
  g_autoptr (VmdDeviceChardev) t0 = nth_device (tcp, "serial", 0);
  g_autoptr (VmdDeviceChardev) fwd = nth_device (guestfwd, "channel", 0);
  g_autoptr (VmdDeviceChardev) vmc = nth_device (spicevmc, "channel", 0);
  g_autoptr (VmdDeviceChardev) port = nth_device (virtio, "channel", 0);
  g_autoptr (VmdDeviceChardev) vcon = nth_device (console, "console", 0);
  g_autoptr (VmdDeviceChardev) p1 = nth_device (parallel, "parallel", 1);
  g_autoptr (VmdDeviceChardev) isa = nth_device (pty, "serial", 0);

  /* Both serial ports and the console, and nothing else, are chardevs. */
  g_assert_cmpuint (all->len, ==, 3);

  assert_str (vmd_device_chardev_get_chardev_type (s0), "unix");
  assert_str (vmd_device_chardev_get_source_mode (s0), "connect");
  assert_str (vmd_device_chardev_get_source_path (s0), "/tmp/serial.sock");
  g_assert_cmpint (vmd_device_chardev_get_target_port (s0), ==, 0);
  assert_str (vmd_device_chardev_get_target_type (s0), NULL);
  assert_str (vmd_device_chardev_get_source_mode (s1), "bind");
  assert_str (vmd_device_chardev_get_source_path (s1), "/tmp/serial-server.sock");
  g_assert_cmpint (vmd_device_chardev_get_target_port (s1), ==, 1);
  g_assert_cmpstr (vmd_device_get_kind (VMD_DEVICE (c0)), ==, "console");
  assert_str (vmd_device_chardev_get_source_path (c0), "/tmp/serial.sock");

  assert_str (vmd_device_chardev_get_chardev_type (t0), "tcp");
  assert_str (vmd_device_chardev_get_source_mode (t0), "connect");
  assert_str (vmd_device_chardev_get_source_path (t0), NULL);

  assert_str (vmd_device_chardev_get_chardev_type (fwd), "pipe");
  assert_str (vmd_device_chardev_get_source_path (fwd), "/tmp/guestfwd");
  assert_str (vmd_device_chardev_get_target_type (fwd), "guestfwd");
  g_assert_cmpint (vmd_device_chardev_get_target_port (fwd), ==, 4600);

  assert_str (vmd_device_chardev_get_chardev_type (vmc), "spicevmc");
  assert_str (vmd_device_chardev_get_target_type (vmc), "virtio");
  assert_str (vmd_device_chardev_get_target_name (vmc), "com.redhat.spice.0");

  assert_str (vmd_device_chardev_get_chardev_type (port), "pty");
  assert_str (vmd_device_chardev_get_target_name (port), "org.linux-kvm.port.foo");
  g_assert_cmpint (vmd_device_chardev_get_target_port (port), ==, -1);

  assert_str (vmd_device_chardev_get_target_type (vcon), "virtio");

  assert_str (vmd_device_chardev_get_source_mode (p1), "connect");
  assert_str (vmd_device_chardev_get_source_path (p1), "/tmp/parport1.socket");
  g_assert_cmpint (vmd_device_chardev_get_target_port (p1), ==, 1);

  assert_str (vmd_device_chardev_get_target_type (isa), "isa-serial");
  g_assert_cmpint (vmd_device_chardev_get_target_port (isa), ==, 0);

  /* Editing in place keeps the rest of the element and its layout. */
  vmd_device_chardev_set_source_path (s1, "/run/other.sock");
  assert_config_contains (unix_config,
                          "    <serial type='unix'>\n"
                          "      <source mode='bind' path='/run/other.sock'/>\n"
                          "      <target port='1'/>\n"
                          "    </serial>\n");
  vmd_device_chardev_set_target_type (isa, "pci-serial");
  assert_config_contains (pty,
                          "    <serial type='pty'>\n"
                          "      <target type='pci-serial' port='0'/>\n"
                          "    </serial>\n");
  vmd_device_chardev_set_source_path (port, "/run/foo.sock");
  assert_config_contains (virtio,
                          "    <channel type='pty'>\n"
                          "      <source path='/run/foo.sock'/>\n"
                          "      <target type='virtio' name='org.linux-kvm.port.foo'/>\n"
                          "      <address type='virtio-serial' controller='1' bus='0' port='3'/>\n"
                          "    </channel>\n");
}

/* ------------------------------------------------------------- controller */

static void
test_controller_accessors (void)
{
  g_autoptr (VmdDeviceController) usb = vmd_device_controller_new ();
  g_autoptr (VmdDeviceController) vser = vmd_device_controller_new_for_type ("virtio-serial", NULL);
  g_autoptr (VmdDeviceController) scsi = vmd_device_controller_new_for_type ("scsi", "virtio-scsi");

  assert_xml (usb, "<controller type='usb' model='qemu-xhci' ports='15'/>");
  assert_str (vmd_device_controller_get_controller_type (usb), "usb");
  assert_str (vmd_device_controller_get_model (usb), "qemu-xhci");
  g_assert_cmpuint (vmd_device_controller_get_ports (usb), ==, 15);
  g_assert_cmpuint (vmd_device_controller_get_index (usb), ==, 0);

  assert_xml (vser, "<controller type='virtio-serial'/>");
  assert_str (vmd_device_controller_get_model (vser), NULL);
  g_assert_cmpuint (vmd_device_controller_get_ports (vser), ==, 0);
  vmd_device_controller_set_ports (vser, 4);
  assert_xml (vser, "<controller type='virtio-serial' ports='4'/>");
  /* A new index goes right after the type, as libvirt writes it. */
  vmd_device_controller_set_index (vser, 2);
  assert_xml (vser, "<controller type='virtio-serial' index='2' ports='4'/>");
  vmd_device_controller_set_index (vser, 3);
  assert_xml (vser, "<controller type='virtio-serial' index='3' ports='4'/>");
  g_assert_cmpuint (vmd_device_controller_get_index (vser), ==, 3);
  g_assert_cmpuint (vmd_device_controller_get_ports (vser), ==, 4);
  vmd_device_controller_set_model (vser, "virtio");
  assert_xml (vser, "<controller type='virtio-serial' index='3' ports='4' model='virtio'/>");
  vmd_device_controller_set_ports (vser, 0);
  vmd_device_controller_set_model (vser, NULL);
  assert_xml (vser, "<controller type='virtio-serial' index='3'/>");

  /* The same type keeps the model; another type drops model and ports. */
  assert_xml (scsi, "<controller type='scsi' model='virtio-scsi'/>");
  vmd_device_controller_set_controller_type (scsi, "scsi");
  assert_xml (scsi, "<controller type='scsi' model='virtio-scsi'/>");
  vmd_device_controller_set_controller_type (usb, "sata");
  assert_xml (usb, "<controller type='sata'/>");
  vmd_device_controller_set_controller_type (scsi, NULL);
  assert_xml (scsi, "<controller/>");
  assert_str (vmd_device_controller_get_controller_type (scsi), NULL);
}

static void
test_controller_target_port (void)
{
  g_autoptr (VmdDeviceController) port =
    vmd_device_controller_new_for_type ("pci", "pcie-root-port");
  g_autoptr (VmdDevice) decimal =
    device_from_xml ("<controller type='pci'><target port='16'/></controller>");
  g_autoptr (VmdDevice) junk =
    device_from_xml ("<controller type='pci'><target port='0x1g'/></controller>");

  g_assert_cmpint (vmd_device_controller_get_target_port (port), ==, -1);
  vmd_device_controller_set_target_port (port, 0x1a);
  assert_xml (port,
              "<controller type='pci' model='pcie-root-port'>\n"
              "  <target port='0x1a'/>\n"
              "</controller>");
  g_assert_cmpint (vmd_device_controller_get_target_port (port), ==, 0x1a);
  vmd_device_controller_set_target_port (port, -1);
  assert_xml (port, "<controller type='pci' model='pcie-root-port'/>");

  g_assert_cmpint (vmd_device_controller_get_target_port (VMD_DEVICE_CONTROLLER (decimal)), ==, 16);
  g_assert_cmpint (vmd_device_controller_get_target_port (VMD_DEVICE_CONTROLLER (junk)), ==, -1);
}

static VmdDeviceController *
add_controller (VmdDomainConfig *config, const char *type, const char *model)
{
  VmdDeviceController *controller = vmd_device_controller_new_for_type (type, model);

  vmd_domain_config_add_device (config, VMD_DEVICE (controller));
  return controller;
}

/* A controller added without an index gets the lowest its type has free. */
static void
test_controller_index (void)
{
  g_autoptr (VmdDomainConfig) config = new_config ();
  g_autoptr (VmdDeviceController) usb0 = add_controller (config, "usb", "qemu-xhci");
  g_autoptr (VmdDeviceController) usb1 = add_controller (config, "usb", NULL);
  g_autoptr (VmdDeviceController) pci0 = add_controller (config, "pci", "pcie-root-port");
  g_autoptr (VmdDeviceController) usb5 = vmd_device_controller_new_for_type ("usb", NULL);
  g_autoptr (VmdDeviceController) pci_explicit = vmd_device_controller_new_for_type ("pci", NULL);
  g_autoptr (VmdDeviceController) gap = NULL;
  g_autoptr (VmdDeviceController) next = NULL;

  g_assert_cmpuint (vmd_device_controller_get_index (usb0), ==, 0);
  g_assert_cmpuint (vmd_device_controller_get_index (usb1), ==, 1);
  g_assert_cmpuint (vmd_device_controller_get_index (pci0), ==, 0);

  /* An index set by the caller is kept, even when taken. */
  vmd_device_controller_set_index (usb5, 5);
  vmd_domain_config_add_device (config, VMD_DEVICE (usb5));
  vmd_device_controller_set_index (pci_explicit, 0);
  vmd_domain_config_add_device (config, VMD_DEVICE (pci_explicit));
  g_assert_cmpuint (vmd_device_controller_get_index (usb5), ==, 5);
  g_assert_cmpuint (vmd_device_controller_get_index (pci_explicit), ==, 0);

  g_assert_true (vmd_domain_config_remove_device (config, VMD_DEVICE (usb0)));
  gap = add_controller (config, "usb", NULL);
  next = add_controller (config, "usb", NULL);
  g_assert_cmpuint (vmd_device_controller_get_index (gap), ==, 0);
  g_assert_cmpuint (vmd_device_controller_get_index (next), ==, 2);

  assert_devices (config,
                  "    <controller type='usb' index='1'/>\n"
                  "    <controller type='pci' index='0' model='pcie-root-port'/>\n"
                  "    <controller type='usb' index='5'/>\n"
                  "    <controller type='pci' index='0'/>\n"
                  "    <controller type='usb' index='0'/>\n"
                  "    <controller type='usb' index='2'/>\n");

  /* A removed controller keeps its index, which counts as chosen when it
   * is added again. */
  g_assert_cmpuint (vmd_device_controller_get_index (usb0), ==, 0);
  assert_xml (usb0, "<controller type='usb' index='0' model='qemu-xhci'/>");
}

static void
test_controller_corpus (void)
{
  g_autoptr (VmdDomainConfig) root_ports = load_corpus (QEMU_XML ("pcie-root-port.xml"));
  g_autoptr (VmdDomainConfig) xhci = load_corpus (QEMU_XML ("usb-controller-qemu-xhci.xml"));
  g_autoptr (VmdDomainConfig) vser = load_corpus (QEMU_XML ("channel-virtio-auto.xml"));
  g_autoptr (VmdDomainConfig) scsi = load_corpus (QEMU_XML ("controller-virtio-scsi.xml"));
  g_autoptr (VmdDeviceController) root = nth_device (root_ports, "controller", 0);
  g_autoptr (VmdDeviceController) port1 = nth_device (root_ports, "controller", 1);
  g_autoptr (VmdDeviceController) port2 = nth_device (root_ports, "controller", 2);
  g_autoptr (VmdDeviceController) sata = nth_device (root_ports, "controller", 3);
  g_autoptr (VmdDeviceController) usb = nth_device (xhci, "controller", 0);
  g_autoptr (VmdDeviceController) vser0 = nth_device (vser, "controller", 2);
  g_autoptr (VmdDeviceController) scsi4 = nth_device (scsi, "controller", 5);
  g_autoptr (VmdDeviceController) new_scsi = NULL;
  g_autoptr (VmdDeviceController) new_usb = NULL;

  assert_str (vmd_device_controller_get_controller_type (root), "pci");
  assert_str (vmd_device_controller_get_model (root), "pcie-root");
  g_assert_cmpuint (vmd_device_controller_get_index (root), ==, 0);
  assert_str (vmd_device_controller_get_model (port1), "pcie-root-port");
  g_assert_cmpuint (vmd_device_controller_get_index (port1), ==, 1);
  g_assert_cmpint (vmd_device_controller_get_target_port (port1), ==, -1);
  g_assert_cmpuint (vmd_device_controller_get_index (port2), ==, 2);
  g_assert_cmpint (vmd_device_controller_get_target_port (port2), ==, 0x1a);
  assert_str (vmd_device_controller_get_controller_type (sata), "sata");

  assert_str (vmd_device_controller_get_model (usb), "qemu-xhci");
  g_assert_cmpuint (vmd_device_controller_get_ports (usb), ==, 8);

  assert_str (vmd_device_controller_get_controller_type (vser0), "virtio-serial");
  g_assert_cmpuint (vmd_device_controller_get_index (vser0), ==, 0);
  g_assert_cmpuint (vmd_device_controller_get_ports (vser0), ==, 16);

  assert_str (vmd_device_controller_get_model (scsi4), "virtio-scsi");
  g_assert_cmpuint (vmd_device_controller_get_index (scsi4), ==, 4);

  /* scsi 0 to 4 and usb 0 are taken. */
  new_scsi = add_controller (scsi, "scsi", "virtio-scsi");
  new_usb = add_controller (scsi, "usb", "qemu-xhci");
  g_assert_cmpuint (vmd_device_controller_get_index (new_scsi), ==, 5);
  g_assert_cmpuint (vmd_device_controller_get_index (new_usb), ==, 1);
  assert_config_contains (scsi,
                          "    <controller type='scsi' index='4' model='virtio-scsi'>\n"
                          "      <driver ioeventfd='on'/>\n"
                          "    </controller>\n"
                          "    <controller type='pci' index='0' model='pci-root'/>\n"
                          "    <controller type='scsi' index='5' model='virtio-scsi'/>\n"
                          "    <controller type='usb' index='1' model='qemu-xhci'/>\n"
                          "    <input type='mouse' bus='ps2'/>\n");

  vmd_device_controller_set_target_port (port1, 0x11);
  assert_config_contains (root_ports,
                          "    <controller type='pci' index='1' model='pcie-root-port'>\n"
                          "      <target port='0x11'/>\n"
                          "    </controller>\n");
}

/* ---------------------------------------------------------------- hostdev */

static void
test_hostdev_usb (void)
{
  g_autoptr (VmdDeviceHostdev) bare = vmd_device_hostdev_new ();
  g_autoptr (VmdDeviceHostdev) usb = vmd_device_hostdev_new_usb (0x1234, 0xbeef);
  guint vendor = 0, product = 0, bus = 0, device = 0;

  assert_xml (bare, "<hostdev mode='subsystem' type='usb' managed='yes'/>");
  g_assert_false (vmd_device_hostdev_get_usb_ids (bare, &vendor, &product));
  g_assert_false (vmd_device_hostdev_get_usb_address (bare, &bus, &device));

  assert_xml (usb,
              "<hostdev mode='subsystem' type='usb' managed='yes'>\n"
              "  <source>\n"
              "    <vendor id='0x1234'/>\n"
              "    <product id='0xbeef'/>\n"
              "  </source>\n"
              "</hostdev>");
  assert_str (vmd_device_hostdev_get_mode (usb), "subsystem");
  assert_str (vmd_device_hostdev_get_hostdev_type (usb), "usb");
  g_assert_true (vmd_device_hostdev_get_managed (usb));
  g_assert_true (vmd_device_hostdev_get_usb_ids (usb, &vendor, &product));
  g_assert_cmphex (vendor, ==, 0x1234);
  g_assert_cmphex (product, ==, 0xbeef);
  g_assert_true (vmd_device_hostdev_get_usb_ids (usb, NULL, NULL));
  g_assert_false (vmd_device_hostdev_get_usb_address (usb, NULL, NULL));
  g_assert_false (vmd_device_hostdev_get_pci_address (usb, NULL, NULL, NULL, NULL));

  vmd_device_hostdev_set_usb_address (usb, 3, 7);
  assert_xml (usb,
              "<hostdev mode='subsystem' type='usb' managed='yes'>\n"
              "  <source>\n"
              "    <vendor id='0x1234'/>\n"
              "    <product id='0xbeef'/>\n"
              "    <address bus='3' device='7'/>\n"
              "  </source>\n"
              "</hostdev>");
  g_assert_true (vmd_device_hostdev_get_usb_address (usb, &bus, &device));
  g_assert_cmpuint (bus, ==, 3);
  g_assert_cmpuint (device, ==, 7);

  vmd_device_hostdev_clear_usb_ids (usb);
  assert_xml (usb,
              "<hostdev mode='subsystem' type='usb' managed='yes'>\n"
              "  <source>\n"
              "    <address bus='3' device='7'/>\n"
              "  </source>\n"
              "</hostdev>");
  g_assert_false (vmd_device_hostdev_get_usb_ids (usb, NULL, NULL));

  /* IDs go before the address, as libvirt writes them. */
  vmd_device_hostdev_set_usb_ids (usb, 0x46d, 0xc52b);
  assert_xml (usb,
              "<hostdev mode='subsystem' type='usb' managed='yes'>\n"
              "  <source>\n"
              "    <vendor id='0x046d'/>\n"
              "    <product id='0xc52b'/>\n"
              "    <address bus='3' device='7'/>\n"
              "  </source>\n"
              "</hostdev>");

  vmd_device_hostdev_clear_source_address (usb);
  g_assert_false (vmd_device_hostdev_get_usb_address (usb, NULL, NULL));
  vmd_device_hostdev_clear_usb_ids (usb);
  vmd_device_hostdev_set_managed (usb, FALSE);
  assert_xml (usb, "<hostdev mode='subsystem' type='usb' managed='no'/>");
  g_assert_false (vmd_device_hostdev_get_managed (usb));
  vmd_device_hostdev_set_mode (usb, NULL);
  vmd_device_hostdev_set_hostdev_type (usb, NULL);
  assert_xml (usb, "<hostdev managed='no'/>");
  assert_str (vmd_device_hostdev_get_mode (usb), NULL);
  assert_str (vmd_device_hostdev_get_hostdev_type (usb), NULL);

  g_test_expect_message ("vmdesk-model", G_LOG_LEVEL_CRITICAL, "*0xffff*");
  vmd_device_hostdev_set_usb_ids (bare, 0x10000, 1);
  g_test_assert_expected_messages ();
  assert_xml (bare, "<hostdev mode='subsystem' type='usb' managed='yes'/>");
}

static void
test_hostdev_pci (void)
{
  g_autoptr (VmdDeviceHostdev) pci = vmd_device_hostdev_new_pci (0, 6, 0x12, 5);
  g_autoptr (VmdDevice) mixed = device_from_xml ("<hostdev mode='subsystem' type='pci'>"
                                                 "<source><address bus='6' slot='0x12'/></source>"
                                                 "</hostdev>");
  guint domain = 99, bus = 99, slot = 99, function = 99;

  assert_xml (pci,
              "<hostdev mode='subsystem' type='pci' managed='yes'>\n"
              "  <source>\n"
              "    <address domain='0x0000' bus='0x06' slot='0x12' function='0x5'/>\n"
              "  </source>\n"
              "</hostdev>");
  g_assert_true (vmd_device_hostdev_get_pci_address (pci, &domain, &bus, &slot, &function));
  g_assert_cmphex (domain, ==, 0);
  g_assert_cmphex (bus, ==, 6);
  g_assert_cmphex (slot, ==, 0x12);
  g_assert_cmphex (function, ==, 5);
  /* A PCI address is not a USB one. */
  g_assert_false (vmd_device_hostdev_get_usb_address (pci, NULL, NULL));
  g_assert_false (vmd_device_hostdev_get_usb_ids (pci, NULL, NULL));

  vmd_device_hostdev_set_pci_address (pci, 1, 0xff, 0x1f, 7);
  assert_xml (pci,
              "<hostdev mode='subsystem' type='pci' managed='yes'>\n"
              "  <source>\n"
              "    <address domain='0x0001' bus='0xff' slot='0x1f' function='0x7'/>\n"
              "  </source>\n"
              "</hostdev>");

  /* Decimal and hexadecimal both read, as in libvirt; left out reads 0. */
  g_assert_true (vmd_device_hostdev_get_pci_address (VMD_DEVICE_HOSTDEV (mixed),
                                                     &domain, &bus, &slot, &function));
  g_assert_cmphex (domain, ==, 0);
  g_assert_cmphex (bus, ==, 6);
  g_assert_cmphex (slot, ==, 0x12);
  g_assert_cmphex (function, ==, 0);

  /* The source names a device of one type: a new type drops it. */
  vmd_device_hostdev_set_hostdev_type (pci, "pci");
  g_assert_true (vmd_device_hostdev_get_pci_address (pci, NULL, NULL, NULL, NULL));
  vmd_device_hostdev_set_hostdev_type (pci, "usb");
  assert_xml (pci, "<hostdev mode='subsystem' type='usb' managed='yes'/>");
  g_assert_false (vmd_device_hostdev_get_pci_address (pci, NULL, NULL, NULL, NULL));

  g_test_expect_message ("vmdesk-model", G_LOG_LEVEL_CRITICAL, "*slot <= 0x1f*");
  vmd_device_hostdev_set_pci_address (pci, 0, 0, 0x20, 0);
  g_test_assert_expected_messages ();
}

static void
test_hostdev_corpus (void)
{
  g_autoptr (VmdDomainConfig) usb_config = load_corpus (QEMU_XML ("hostdev-usb-address.xml"));
  g_autoptr (VmdDomainConfig) pci_config = load_corpus (QEMU_XML ("hostdev-pci-address.xml"));
  g_autoptr (VmdDomainConfig) ids_config = load_corpus ("virt-manager/xmlparse/bootorder-in.xml");
  g_autoptr (VmdDeviceHostdev) usb = nth_device (usb_config, "hostdev", 0);
  g_autoptr (VmdDeviceHostdev) pci = nth_device (pci_config, "hostdev", 0);
  g_autoptr (VmdDeviceHostdev) ids = nth_device (ids_config, "hostdev", 0);
  guint a = 0, b = 0, c = 0, d = 0;

  assert_str (vmd_device_hostdev_get_mode (usb), "subsystem");
  assert_str (vmd_device_hostdev_get_hostdev_type (usb), "usb");
  g_assert_false (vmd_device_hostdev_get_managed (usb));
  g_assert_true (vmd_device_hostdev_get_usb_address (usb, &a, &b));
  g_assert_cmpuint (a, ==, 14);
  g_assert_cmpuint (b, ==, 6);
  g_assert_false (vmd_device_hostdev_get_usb_ids (usb, NULL, NULL));

  assert_str (vmd_device_hostdev_get_hostdev_type (pci), "pci");
  g_assert_true (vmd_device_hostdev_get_managed (pci));
  g_assert_true (vmd_device_hostdev_get_pci_address (pci, &a, &b, &c, &d));
  g_assert_cmphex (a, ==, 0);
  g_assert_cmphex (b, ==, 6);
  g_assert_cmphex (c, ==, 0x12);
  g_assert_cmphex (d, ==, 5);

  g_assert_true (vmd_device_hostdev_get_managed (ids));
  g_assert_true (vmd_device_hostdev_get_usb_ids (ids, &a, &b));
  g_assert_cmphex (a, ==, 0x1050);
  g_assert_cmphex (b, ==, 0x0010);

  /* Editing keeps the source's other attributes and the layout. */
  vmd_device_hostdev_set_usb_address (usb, 1, 2);
  assert_config_contains (usb_config,
                          "    <hostdev mode='subsystem' type='usb' managed='no'>\n"
                          "      <source guestReset='uninitialized'>\n"
                          "        <address bus='1' device='2'/>\n"
                          "      </source>\n"
                          "    </hostdev>\n");
  vmd_device_hostdev_set_usb_ids (usb, 0x1234, 0x5678);
  assert_config_contains (usb_config,
                          "      <source guestReset='uninitialized'>\n"
                          "        <vendor id='0x1234'/>\n"
                          "        <product id='0x5678'/>\n"
                          "        <address bus='1' device='2'/>\n"
                          "      </source>\n");
}

/* -------------------------------------------------------------------- rng */

static void
test_rng_accessors (void)
{
  g_autoptr (VmdDeviceRng) rng = vmd_device_rng_new ();

  assert_xml (rng,
              "<rng model='virtio'>\n"
              "  <backend model='random'>/dev/urandom</backend>\n"
              "</rng>");
  assert_str (vmd_device_rng_get_model (rng), "virtio");
  assert_str (vmd_device_rng_get_backend_model (rng), "random");
  assert_str (vmd_device_rng_get_source_path (rng), "/dev/urandom");
  g_assert_cmpuint (vmd_device_rng_get_rate_bytes (rng), ==, 0);
  g_assert_cmpuint (vmd_device_rng_get_rate_period (rng), ==, 0);

  /* <rate> goes before <backend>, as libvirt writes it. */
  vmd_device_rng_set_rate (rng, 1024, 1000);
  assert_xml (rng,
              "<rng model='virtio'>\n"
              "  <rate bytes='1024' period='1000'/>\n"
              "  <backend model='random'>/dev/urandom</backend>\n"
              "</rng>");
  g_assert_cmpuint (vmd_device_rng_get_rate_bytes (rng), ==, 1024);
  g_assert_cmpuint (vmd_device_rng_get_rate_period (rng), ==, 1000);
  vmd_device_rng_set_rate (rng, 2048, 0);
  assert_xml (rng,
              "<rng model='virtio'>\n"
              "  <rate bytes='2048'/>\n"
              "  <backend model='random'>/dev/urandom</backend>\n"
              "</rng>");
  g_assert_cmpuint (vmd_device_rng_get_rate_period (rng), ==, 0);
  vmd_device_rng_set_rate (rng, 0, 500);
  assert_xml (rng,
              "<rng model='virtio'>\n"
              "  <backend model='random'>/dev/urandom</backend>\n"
              "</rng>");
  g_assert_cmpuint (vmd_device_rng_get_rate_bytes (rng), ==, 0);

  vmd_device_rng_set_source_path (rng, "/dev/hwrng");
  assert_xml (rng,
              "<rng model='virtio'>\n"
              "  <backend model='random'>/dev/hwrng</backend>\n"
              "</rng>");
  assert_str (vmd_device_rng_get_source_path (rng), "/dev/hwrng");
  vmd_device_rng_set_source_path (rng, NULL);
  assert_xml (rng,
              "<rng model='virtio'>\n"
              "  <backend model='random'/>\n"
              "</rng>");
  assert_str (vmd_device_rng_get_source_path (rng), NULL);

  vmd_device_rng_set_source_path (rng, "/dev/random");
  vmd_device_rng_set_backend_model (rng, "builtin");
  assert_xml (rng,
              "<rng model='virtio'>\n"
              "  <backend model='builtin'/>\n"
              "</rng>");
  assert_str (vmd_device_rng_get_source_path (rng), NULL);
  /* A path makes the backend a random one again. */
  vmd_device_rng_set_source_path (rng, "/dev/random");
  assert_xml (rng,
              "<rng model='virtio'>\n"
              "  <backend model='random'>/dev/random</backend>\n"
              "</rng>");

  vmd_device_rng_set_backend_model (rng, NULL);
  assert_xml (rng, "<rng model='virtio'/>");
  assert_str (vmd_device_rng_get_backend_model (rng), NULL);
  vmd_device_rng_set_model (rng, NULL);
  assert_xml (rng, "<rng/>");
  assert_str (vmd_device_rng_get_model (rng), NULL);
}

static void
test_rng_corpus (void)
{
  g_autoptr (VmdDomainConfig) random = load_corpus (QEMU_XML ("virtio-rng-random.xml"));
  g_autoptr (VmdDomainConfig) egd = load_corpus (QEMU_XML ("virtio-rng-egd.xml"));
  g_autoptr (VmdDomainConfig) builtin = load_corpus (QEMU_XML ("virtio-rng-builtin.xml"));
  g_autoptr (VmdDeviceRng) r = nth_device (random, "rng", 0);
  g_autoptr (VmdDeviceRng) e = nth_device (egd, "rng", 0);
  g_autoptr (VmdDeviceRng) b = nth_device (builtin, "rng", 0);

  assert_str (vmd_device_rng_get_model (r), "virtio");
  assert_str (vmd_device_rng_get_backend_model (r), "random");
  assert_str (vmd_device_rng_get_source_path (r), "/dev/urandom");
  g_assert_cmpuint (vmd_device_rng_get_rate_bytes (r), ==, 123);
  g_assert_cmpuint (vmd_device_rng_get_rate_period (r), ==, 1234);

  assert_str (vmd_device_rng_get_backend_model (e), "egd");
  assert_str (vmd_device_rng_get_source_path (e), NULL);
  g_assert_cmpuint (vmd_device_rng_get_rate_bytes (e), ==, 0);

  assert_str (vmd_device_rng_get_backend_model (b), "builtin");
  assert_str (vmd_device_rng_get_source_path (b), NULL);

  /* An EGD backend's socket and type go with it. */
  vmd_device_rng_set_backend_model (e, "random");
  assert_config_contains (egd,
                          "    <rng model='virtio'>\n"
                          "      <backend model='random'/>\n"
                          "    </rng>\n");
  vmd_device_rng_set_source_path (e, "/dev/urandom");
  vmd_device_rng_set_rate (e, 10, 20);
  assert_config_contains (egd,
                          "    <rng model='virtio'>\n"
                          "      <rate bytes='10' period='20'/>\n"
                          "      <backend model='random'>/dev/urandom</backend>\n"
                          "    </rng>\n");
  vmd_device_rng_set_rate (r, 0, 0);
  assert_config_contains (random,
                          "    <rng model='virtio'>\n"
                          "      <backend model='random'>/dev/urandom</backend>\n"
                          "    </rng>\n");
}

/* --------------------------------------------------------------- watchdog */

static void
test_watchdog (void)
{
  g_autoptr (VmdDeviceWatchdog) dog = vmd_device_watchdog_new ();
  g_autoptr (VmdDomainConfig) ib700 = load_corpus (QEMU_XML ("watchdog.xml"));
  g_autoptr (VmdDomainConfig) nmi = load_corpus (QEMU_XML ("watchdog-injectnmi.xml"));
  g_autoptr (VmdDomainConfig) esb = load_corpus (QEMU_XML ("watchdog-device.xml"));
  g_autoptr (VmdDeviceWatchdog) a = nth_device (ib700, "watchdog", 0);
  g_autoptr (VmdDeviceWatchdog) b = nth_device (nmi, "watchdog", 0);
  g_autoptr (VmdDeviceWatchdog) c = nth_device (esb, "watchdog", 0);

  assert_xml (dog, "<watchdog model='i6300esb' action='reset'/>");
  assert_str (vmd_device_watchdog_get_model (dog), "i6300esb");
  assert_str (vmd_device_watchdog_get_action (dog), "reset");
  vmd_device_watchdog_set_model (dog, "itco");
  vmd_device_watchdog_set_action (dog, "inject-nmi");
  assert_xml (dog, "<watchdog model='itco' action='inject-nmi'/>");
  assert_str (vmd_device_watchdog_get_model (dog), "itco");
  assert_str (vmd_device_watchdog_get_action (dog), "inject-nmi");
  vmd_device_watchdog_set_action (dog, NULL);
  assert_xml (dog, "<watchdog model='itco'/>");
  assert_str (vmd_device_watchdog_get_action (dog), NULL);
  vmd_device_watchdog_set_model (dog, NULL);
  assert_xml (dog, "<watchdog/>");

  assert_str (vmd_device_watchdog_get_model (a), "ib700");
  assert_str (vmd_device_watchdog_get_action (a), "poweroff");
  assert_str (vmd_device_watchdog_get_action (b), "inject-nmi");
  assert_str (vmd_device_watchdog_get_model (c), "i6300esb");
  assert_str (vmd_device_watchdog_get_action (c), "poweroff");

  vmd_device_watchdog_set_action (a, "pause");
  assert_config_contains (ib700, "    <watchdog model='ib700' action='pause'/>\n"
                                 "    <memballoon model='none'/>\n");
}

/* -------------------------------------------------------------------- tpm */

static void
test_tpm (void)
{
  g_autoptr (VmdDeviceTpm) tpm = vmd_device_tpm_new ();

  assert_xml (tpm,
              "<tpm model='tpm-crb'>\n"
              "  <backend type='emulator' version='2.0'/>\n"
              "</tpm>");
  assert_str (vmd_device_tpm_get_model (tpm), "tpm-crb");
  assert_str (vmd_device_tpm_get_backend_type (tpm), "emulator");
  assert_str (vmd_device_tpm_get_backend_version (tpm), "2.0");
  assert_str (vmd_device_tpm_get_device_path (tpm), NULL);

  vmd_device_tpm_set_backend_type (tpm, "passthrough");
  vmd_device_tpm_set_device_path (tpm, "/dev/tpmrm0");
  assert_xml (tpm,
              "<tpm model='tpm-crb'>\n"
              "  <backend type='passthrough' version='2.0'>\n"
              "    <device path='/dev/tpmrm0'/>\n"
              "  </backend>\n"
              "</tpm>");
  assert_str (vmd_device_tpm_get_device_path (tpm), "/dev/tpmrm0");
  vmd_device_tpm_set_backend_version (tpm, NULL);
  assert_xml (tpm,
              "<tpm model='tpm-crb'>\n"
              "  <backend type='passthrough'>\n"
              "    <device path='/dev/tpmrm0'/>\n"
              "  </backend>\n"
              "</tpm>");
  assert_str (vmd_device_tpm_get_backend_version (tpm), NULL);
  vmd_device_tpm_set_device_path (tpm, NULL);
  assert_xml (tpm,
              "<tpm model='tpm-crb'>\n"
              "  <backend type='passthrough'/>\n"
              "</tpm>");

  /* Only passthrough uses a host device. */
  vmd_device_tpm_set_device_path (tpm, "/dev/tpm0");
  vmd_device_tpm_set_backend_type (tpm, "emulator");
  vmd_device_tpm_set_backend_version (tpm, "1.2");
  assert_xml (tpm,
              "<tpm model='tpm-crb'>\n"
              "  <backend type='emulator' version='1.2'/>\n"
              "</tpm>");
  vmd_device_tpm_set_model (tpm, "tpm-tis");
  assert_str (vmd_device_tpm_get_model (tpm), "tpm-tis");
  vmd_device_tpm_set_model (tpm, NULL);
  vmd_device_tpm_set_backend_version (tpm, NULL);
  vmd_device_tpm_set_backend_type (tpm, NULL);
  assert_xml (tpm, "<tpm/>");
}

static void
test_tpm_corpus (void)
{
  g_autoptr (VmdDomainConfig) emulator = load_corpus (QEMU_XML ("tpm-emulator.xml"));
  g_autoptr (VmdDomainConfig) tpm2 = load_corpus (QEMU_XML ("tpm-emulator-tpm2.xml"));
  g_autoptr (VmdDomainConfig) passthrough = load_corpus (QEMU_XML ("tpm-passthrough.xml"));
  g_autoptr (VmdDomainConfig) crb = load_corpus (QEMU_XML ("tpm-passthrough-crb.xml"));
  g_autoptr (VmdDeviceTpm) e = nth_device (emulator, "tpm", 0);
  g_autoptr (VmdDeviceTpm) e2 = nth_device (tpm2, "tpm", 0);
  g_autoptr (VmdDeviceTpm) p = nth_device (passthrough, "tpm", 0);
  g_autoptr (VmdDeviceTpm) c = nth_device (crb, "tpm", 0);

  assert_str (vmd_device_tpm_get_model (e), "tpm-tis");
  assert_str (vmd_device_tpm_get_backend_type (e), "emulator");
  assert_str (vmd_device_tpm_get_backend_version (e), "1.2");
  assert_str (vmd_device_tpm_get_device_path (e), NULL);
  assert_str (vmd_device_tpm_get_backend_version (e2), "2.0");
  assert_str (vmd_device_tpm_get_backend_type (p), "passthrough");
  assert_str (vmd_device_tpm_get_backend_version (p), NULL);
  assert_str (vmd_device_tpm_get_device_path (p), "/dev/tpm0");
  assert_str (vmd_device_tpm_get_model (c), "tpm-crb");

  vmd_device_tpm_set_backend_type (p, "emulator");
  vmd_device_tpm_set_backend_version (p, "2.0");
  assert_config_contains (passthrough,
                          "    <tpm model='tpm-tis'>\n"
                          "      <backend type='emulator' version='2.0'/>\n"
                          "    </tpm>\n");
  vmd_device_tpm_set_backend_type (e, "passthrough");
  vmd_device_tpm_set_device_path (e, "/dev/tpm0");
  assert_config_contains (emulator,
                          "    <tpm model='tpm-tis'>\n"
                          "      <backend type='passthrough' version='1.2'>\n"
                          "        <device path='/dev/tpm0'/>\n"
                          "      </backend>\n"
                          "    </tpm>\n");
}

/* ------------------------------------------------------------- filesystem */

static void
test_filesystem (void)
{
  g_autoptr (VmdDeviceFilesystem) fs = vmd_device_filesystem_new ();

  assert_xml (fs,
              "<filesystem type='mount' accessmode='passthrough'>\n"
              "  <driver type='virtiofs'/>\n"
              "</filesystem>");
  assert_str (vmd_device_filesystem_get_filesystem_type (fs), "mount");
  assert_str (vmd_device_filesystem_get_access_mode (fs), "passthrough");
  assert_str (vmd_device_filesystem_get_driver_type (fs), "virtiofs");
  assert_str (vmd_device_filesystem_get_source_dir (fs), NULL);
  assert_str (vmd_device_filesystem_get_target_dir (fs), NULL);
  g_assert_false (vmd_device_filesystem_get_readonly (fs));

  vmd_device_filesystem_set_target_dir (fs, "share");
  vmd_device_filesystem_set_source_dir (fs, "/srv/share");
  vmd_device_filesystem_set_readonly (fs, TRUE);
  assert_xml (fs,
              "<filesystem type='mount' accessmode='passthrough'>\n"
              "  <driver type='virtiofs'/>\n"
              "  <source dir='/srv/share'/>\n"
              "  <target dir='share'/>\n"
              "  <readonly/>\n"
              "</filesystem>");
  assert_str (vmd_device_filesystem_get_source_dir (fs), "/srv/share");
  assert_str (vmd_device_filesystem_get_target_dir (fs), "share");
  g_assert_true (vmd_device_filesystem_get_readonly (fs));
  vmd_device_filesystem_set_readonly (fs, TRUE);
  vmd_device_filesystem_set_readonly (fs, FALSE);
  g_assert_false (vmd_device_filesystem_get_readonly (fs));

  /* A 9p share: <driver> goes back first. */
  vmd_device_filesystem_set_driver_type (fs, NULL);
  assert_xml (fs,
              "<filesystem type='mount' accessmode='passthrough'>\n"
              "  <source dir='/srv/share'/>\n"
              "  <target dir='share'/>\n"
              "</filesystem>");
  assert_str (vmd_device_filesystem_get_driver_type (fs), NULL);
  vmd_device_filesystem_set_driver_type (fs, "path");
  vmd_device_filesystem_set_access_mode (fs, "mapped");
  assert_xml (fs,
              "<filesystem type='mount' accessmode='mapped'>\n"
              "  <driver type='path'/>\n"
              "  <source dir='/srv/share'/>\n"
              "  <target dir='share'/>\n"
              "</filesystem>");

  vmd_device_filesystem_set_access_mode (fs, NULL);
  vmd_device_filesystem_set_filesystem_type (fs, NULL);
  vmd_device_filesystem_set_source_dir (fs, NULL);
  vmd_device_filesystem_set_target_dir (fs, NULL);
  assert_xml (fs,
              "<filesystem>\n"
              "  <driver type='path'/>\n"
              "</filesystem>");
  assert_str (vmd_device_filesystem_get_access_mode (fs), NULL);
  assert_str (vmd_device_filesystem_get_filesystem_type (fs), NULL);
}

static void
test_filesystem_child_order (void)
{
  g_autoptr (VmdDevice) dev = device_from_xml ("<filesystem type='mount'>\n"
                                               "  <source dir='/a'/>\n"
                                               "  <target dir='b'/>\n"
                                               "  <address type='pci' slot='0x02'/>\n"
                                               "</filesystem>");
  VmdDeviceFilesystem *fs = VMD_DEVICE_FILESYSTEM (dev);

  vmd_device_filesystem_set_readonly (fs, TRUE);
  vmd_device_filesystem_set_driver_type (fs, "virtiofs");
  assert_xml (fs,
              "<filesystem type='mount'>\n"
              "  <driver type='virtiofs'/>\n"
              "  <source dir='/a'/>\n"
              "  <target dir='b'/>\n"
              "  <readonly/>\n"
              "  <address type='pci' slot='0x02'/>\n"
              "</filesystem>");
}

static void
test_filesystem_corpus (void)
{
  g_autoptr (VmdDomainConfig) virtiofs = load_corpus (QEMU_XML ("vhost-user-fs-fd-memory.xml"));
  g_autoptr (VmdDomainConfig) fs9p = load_corpus (QEMU_XML ("fs9p.xml"));
  g_autoptr (VmdDomainConfig) mtp = load_corpus (QEMU_XML ("mtp-usb-device.xml"));
  g_autoptr (VmdDeviceFilesystem) v = nth_device (virtiofs, "filesystem", 0);
  g_autoptr (VmdDeviceFilesystem) p0 = nth_device (fs9p, "filesystem", 0);
  g_autoptr (VmdDeviceFilesystem) p1 = nth_device (fs9p, "filesystem", 1);
  g_autoptr (VmdDeviceFilesystem) p2 = nth_device (fs9p, "filesystem", 2);
  g_autoptr (VmdDeviceFilesystem) rw = nth_device (mtp, "filesystem", 0);
  g_autoptr (VmdDeviceFilesystem) ro = nth_device (mtp, "filesystem", 1);

  assert_str (vmd_device_filesystem_get_filesystem_type (v), "mount");
  assert_str (vmd_device_filesystem_get_access_mode (v), "passthrough");
  assert_str (vmd_device_filesystem_get_driver_type (v), "virtiofs");
  assert_str (vmd_device_filesystem_get_source_dir (v), "/path");
  assert_str (vmd_device_filesystem_get_target_dir (v), "mount_tag");
  g_assert_false (vmd_device_filesystem_get_readonly (v));

  assert_str (vmd_device_filesystem_get_filesystem_type (p0), "mount");
  assert_str (vmd_device_filesystem_get_driver_type (p0), NULL);
  assert_str (vmd_device_filesystem_get_source_dir (p0), "/export/to/guest");
  assert_str (vmd_device_filesystem_get_target_dir (p0), "/import/from/host");
  assert_str (vmd_device_filesystem_get_filesystem_type (p1), NULL);
  assert_str (vmd_device_filesystem_get_access_mode (p1), "mapped");
  assert_str (vmd_device_filesystem_get_driver_type (p1), "path");
  assert_str (vmd_device_filesystem_get_driver_type (p2), "handle");
  assert_str (vmd_device_filesystem_get_source_dir (p2), "/export/to/guest3");

  g_assert_false (vmd_device_filesystem_get_readonly (rw));
  g_assert_true (vmd_device_filesystem_get_readonly (ro));
  assert_str (vmd_device_filesystem_get_target_dir (ro), "readonly-fs");

  /* Between <target> and <address>, among <binary> and <idmap>. */
  vmd_device_filesystem_set_readonly (v, TRUE);
  assert_config_contains (virtiofs,
                          "      <source dir='/path'/>\n"
                          "      <target dir='mount_tag'/>\n"
                          "      <readonly/>\n"
                          "      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' "
                          "function='0x0'/>\n"
                          "    </filesystem>\n");
  vmd_device_filesystem_set_driver_type (p0, "virtiofs");
  assert_config_contains (fs9p,
                          "    <filesystem type='mount'>\n"
                          "      <driver type='virtiofs'/>\n"
                          "      <source dir='/export/to/guest'/>\n");
  vmd_device_filesystem_set_readonly (ro, FALSE);
  assert_config_contains (mtp,
                          "      <target dir='readonly-fs'/>\n"
                          "    </filesystem>\n");
}

/* ------------------------------------------------------------- memballoon */

static void
test_memballoon (void)
{
  g_autoptr (VmdDeviceMemballoon) balloon = vmd_device_memballoon_new ();
  g_autoptr (VmdDevice) placed = device_from_xml ("<memballoon model='virtio'>\n"
                                                  "  <alias name='balloon0'/>\n"
                                                  "  <address type='pci' slot='0x05'/>\n"
                                                  "</memballoon>");

  assert_xml (balloon, "<memballoon model='virtio'/>");
  assert_str (vmd_device_memballoon_get_model (balloon), "virtio");
  g_assert_false (vmd_device_memballoon_get_autodeflate (balloon));
  g_assert_cmpuint (vmd_device_memballoon_get_stats_period (balloon), ==, 0);

  vmd_device_memballoon_set_autodeflate (balloon, TRUE);
  assert_xml (balloon, "<memballoon model='virtio' autodeflate='on'/>");
  g_assert_true (vmd_device_memballoon_get_autodeflate (balloon));
  vmd_device_memballoon_set_autodeflate (balloon, FALSE);
  assert_xml (balloon, "<memballoon model='virtio' autodeflate='off'/>");
  g_assert_false (vmd_device_memballoon_get_autodeflate (balloon));

  vmd_device_memballoon_set_stats_period (balloon, 10);
  assert_xml (balloon,
              "<memballoon model='virtio' autodeflate='off'>\n"
              "  <stats period='10'/>\n"
              "</memballoon>");
  g_assert_cmpuint (vmd_device_memballoon_get_stats_period (balloon), ==, 10);
  vmd_device_memballoon_set_stats_period (balloon, 0);
  assert_xml (balloon, "<memballoon model='virtio' autodeflate='off'/>");
  g_assert_cmpuint (vmd_device_memballoon_get_stats_period (balloon), ==, 0);

  vmd_device_memballoon_set_model (balloon, "none");
  assert_str (vmd_device_memballoon_get_model (balloon), "none");
  vmd_device_memballoon_set_model (balloon, NULL);
  assert_xml (balloon, "<memballoon autodeflate='off'/>");

  /* <stats> goes before the alias and address, as libvirt writes it. */
  vmd_device_memballoon_set_stats_period (VMD_DEVICE_MEMBALLOON (placed), 5);
  assert_xml (placed,
              "<memballoon model='virtio'>\n"
              "  <stats period='5'/>\n"
              "  <alias name='balloon0'/>\n"
              "  <address type='pci' slot='0x05'/>\n"
              "</memballoon>");
}

static void
test_memballoon_corpus (void)
{
  g_autoptr (VmdDomainConfig) on = load_corpus (QEMU_XML ("balloon-device-deflate.xml"));
  g_autoptr (VmdDomainConfig) off = load_corpus (QEMU_XML ("balloon-device-deflate-off.xml"));
  g_autoptr (VmdDomainConfig) period = load_corpus (QEMU_XML ("balloon-device-period.xml"));
  g_autoptr (VmdDomainConfig) plain = load_corpus (QEMU_XML ("balloon-device.xml"));
  g_autoptr (VmdDomainConfig) none = load_corpus (QEMU_XML ("hostdev-usb-address.xml"));
  g_autoptr (VmdDeviceMemballoon) b_on = nth_device (on, "memballoon", 0);
  g_autoptr (VmdDeviceMemballoon) b_off = nth_device (off, "memballoon", 0);
  g_autoptr (VmdDeviceMemballoon) b_period = nth_device (period, "memballoon", 0);
  g_autoptr (VmdDeviceMemballoon) b_plain = nth_device (plain, "memballoon", 0);
  g_autoptr (VmdDeviceMemballoon) b_none = nth_device (none, "memballoon", 0);

  g_assert_true (vmd_device_memballoon_get_autodeflate (b_on));
  g_assert_false (vmd_device_memballoon_get_autodeflate (b_off));
  g_assert_cmpuint (vmd_device_memballoon_get_stats_period (b_period), ==, 10);
  g_assert_cmpuint (vmd_device_memballoon_get_stats_period (b_plain), ==, 0);
  assert_str (vmd_device_memballoon_get_model (b_plain), "virtio");
  assert_str (vmd_device_memballoon_get_model (b_none), "none");

  vmd_device_memballoon_set_stats_period (b_plain, 10);
  assert_config_contains (plain,
                          "    <memballoon model='virtio'>\n"
                          "      <stats period='10'/>\n"
                          "      <address type='pci' domain='0' bus='0' slot='18' function='0'/>\n"
                          "    </memballoon>\n");
  vmd_device_memballoon_set_autodeflate (b_off, TRUE);
  assert_config_contains (off, "    <memballoon model='virtio' autodeflate='on'>\n");
}

/* --------------------------------------------------------------- redirdev */

static void
test_redirdev (void)
{
  g_autoptr (VmdDeviceRedirdev) redir = vmd_device_redirdev_new ();
  g_autoptr (VmdDomainConfig) config = load_corpus (QEMU_XML ("usb-redir.xml"));
  g_autoptr (VmdDeviceRedirdev) tcp = nth_device (config, "redirdev", 0);
  g_autoptr (VmdDeviceRedirdev) vmc = nth_device (config, "redirdev", 1);

  assert_xml (redir, "<redirdev bus='usb' type='spicevmc'/>");
  assert_str (vmd_device_redirdev_get_bus (redir), "usb");
  assert_str (vmd_device_redirdev_get_redirdev_type (redir), "spicevmc");
  vmd_device_redirdev_set_redirdev_type (redir, "tcp");
  assert_xml (redir, "<redirdev bus='usb' type='tcp'/>");
  assert_str (vmd_device_redirdev_get_redirdev_type (redir), "tcp");
  vmd_device_redirdev_set_bus (redir, NULL);
  assert_xml (redir, "<redirdev type='tcp'/>");
  assert_str (vmd_device_redirdev_get_bus (redir), NULL);
  vmd_device_redirdev_set_redirdev_type (redir, NULL);
  assert_xml (redir, "<redirdev/>");

  assert_str (vmd_device_redirdev_get_bus (tcp), "usb");
  assert_str (vmd_device_redirdev_get_redirdev_type (tcp), "tcp");
  assert_str (vmd_device_redirdev_get_redirdev_type (vmc), "spicevmc");
}

/* ----------------------------------------------------------------- domain */

/* Added in reverse, each device lands where libvirt writes it, laid out
 * like its neighbours; the result is valid for libvirt's schema. */
static void
test_domain_placement (void)
{
  g_autoptr (VmdDomainConfig) config = new_config ();
  g_autoptr (VmdDeviceChardev) serial = vmd_device_chardev_new ("serial");
  g_autoptr (VmdDeviceChardev) console = vmd_device_chardev_new ("console");
  g_autoptr (VmdDeviceFilesystem) fs = vmd_device_filesystem_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *schema = corpus_path ("libvirt-schemas/domain.rng");
  VmdDevice *devices[13];
  gboolean valid;
  guint n = 0;

  vmd_device_chardev_set_target_type (serial, "isa-serial");
  vmd_device_chardev_set_target_port (serial, 0);
  vmd_device_chardev_set_target_type (console, "serial");
  vmd_device_chardev_set_target_port (console, 0);
  vmd_device_filesystem_set_source_dir (fs, "/srv/share");
  vmd_device_filesystem_set_target_dir (fs, "share");

  devices[n++] = VMD_DEVICE (vmd_device_rng_new ());
  devices[n++] = VMD_DEVICE (vmd_device_memballoon_new ());
  devices[n++] = VMD_DEVICE (vmd_device_watchdog_new ());
  devices[n++] = VMD_DEVICE (vmd_device_redirdev_new ());
  devices[n++] = VMD_DEVICE (vmd_device_hostdev_new_usb (0x1234, 0xbeef));
  devices[n++] = VMD_DEVICE (vmd_device_tpm_new ());
  devices[n++] = VMD_DEVICE (vmd_device_chardev_new_guest_agent ());
  devices[n++] = VMD_DEVICE (vmd_device_chardev_new_spice_agent ());
  devices[n++] = VMD_DEVICE (g_object_ref (console));
  devices[n++] = VMD_DEVICE (vmd_device_chardev_new ("parallel"));
  devices[n++] = VMD_DEVICE (g_object_ref (serial));
  devices[n++] = VMD_DEVICE (g_object_ref (fs));
  devices[n++] = VMD_DEVICE (vmd_device_controller_new_for_type ("virtio-serial", NULL));
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (devices));

  for (guint i = 0; i < n; i++)
    {
      vmd_domain_config_add_device (config, devices[i]);
      g_assert_true (vmd_device_get_config (devices[i]) == config);
      g_object_unref (devices[i]);
    }

  assert_devices (config,
                  "    <controller type='virtio-serial' index='0'/>\n"
                  "    <filesystem type='mount' accessmode='passthrough'>\n"
                  "      <driver type='virtiofs'/>\n"
                  "      <source dir='/srv/share'/>\n"
                  "      <target dir='share'/>\n"
                  "    </filesystem>\n"
                  "    <serial type='pty'>\n"
                  "      <target type='isa-serial' port='0'/>\n"
                  "    </serial>\n"
                  "    <parallel type='pty'/>\n"
                  "    <console type='pty'>\n"
                  "      <target type='serial' port='0'/>\n"
                  "    </console>\n"
                  "    <channel type='unix'>\n"
                  "      <target type='virtio' name='org.qemu.guest_agent.0'/>\n"
                  "    </channel>\n"
                  "    <channel type='spicevmc'>\n"
                  "      <target type='virtio' name='com.redhat.spice.0'/>\n"
                  "    </channel>\n"
                  "    <tpm model='tpm-crb'>\n"
                  "      <backend type='emulator' version='2.0'/>\n"
                  "    </tpm>\n"
                  "    <hostdev mode='subsystem' type='usb' managed='yes'>\n"
                  "      <source>\n"
                  "        <vendor id='0x1234'/>\n"
                  "        <product id='0xbeef'/>\n"
                  "      </source>\n"
                  "    </hostdev>\n"
                  "    <redirdev bus='usb' type='spicevmc'/>\n"
                  "    <watchdog model='i6300esb' action='reset'/>\n"
                  "    <memballoon model='virtio'/>\n"
                  "    <rng model='virtio'>\n"
                  "      <backend model='random'>/dev/urandom</backend>\n"
                  "    </rng>\n");

  valid = vmd_domain_config_validate_schema (config, schema, &error);
  g_assert_no_error (error);
  g_assert_true (valid);
  valid = vmd_domain_config_validate (config, &error);
  g_assert_no_error (error);
  g_assert_true (valid);

  /* Edits after adding keep the layout; removing leaves the rest intact. */
  vmd_device_filesystem_set_readonly (fs, TRUE);
  vmd_device_chardev_set_source_path (serial, "/dev/pts/4");
  assert_config_contains (config,
                          "      <target dir='share'/>\n"
                          "      <readonly/>\n"
                          "    </filesystem>\n"
                          "    <serial type='pty'>\n"
                          "      <source path='/dev/pts/4'/>\n"
                          "      <target type='isa-serial' port='0'/>\n"
                          "    </serial>\n"
                          "    <parallel type='pty'/>\n");
  g_assert_true (vmd_domain_config_remove_device (config, VMD_DEVICE (console)));
  assert_config_contains (config,
                          "    <parallel type='pty'/>\n"
                          "    <channel type='unix'>\n");
  g_assert_cmpuint (count_devices (config, "console"), ==, 0);
  assert_xml (console,
              "<console type='pty'>\n"
              "  <target type='serial' port='0'/>\n"
              "</console>");

  /* Added back, it returns to its place. */
  vmd_domain_config_add_device (config, VMD_DEVICE (console));
  assert_config_contains (config,
                          "    <parallel type='pty'/>\n"
                          "    <console type='pty'>\n"
                          "      <target type='serial' port='0'/>\n"
                          "    </console>\n"
                          "    <channel type='unix'>\n");
}

/* The typed class of each element, whether loaded or parsed alone. */
static void
test_domain_types (void)
{
  static const struct { const char *xml; GType (*get_type) (void); } cases[] = {
    { "<serial type='pty'/>", vmd_device_chardev_get_type },
    { "<console type='pty'/>", vmd_device_chardev_get_type },
    { "<channel type='pty'/>", vmd_device_chardev_get_type },
    { "<parallel type='pty'/>", vmd_device_chardev_get_type },
    { "<controller type='usb'/>", vmd_device_controller_get_type },
    { "<hostdev mode='subsystem' type='usb'/>", vmd_device_hostdev_get_type },
    { "<rng model='virtio'/>", vmd_device_rng_get_type },
    { "<watchdog model='itco'/>", vmd_device_watchdog_get_type },
    { "<tpm/>", vmd_device_tpm_get_type },
    { "<filesystem/>", vmd_device_filesystem_get_type },
    { "<memballoon model='none'/>", vmd_device_memballoon_get_type },
    { "<redirdev bus='usb' type='spicevmc'/>", vmd_device_redirdev_get_type },
  };
  g_autoptr (VmdDomainConfig) config = load_corpus (QEMU_XML ("usb-redir.xml"));
  g_autoptr (GPtrArray) controllers =
    vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_CONTROLLER);
  g_autoptr (GPtrArray) redirdevs =
    vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_REDIRDEV);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (VmdDevice) device = device_from_xml (cases[i].xml);
      g_autofree char *xml = vmd_device_to_xml (device);

      g_assert_true (G_OBJECT_TYPE (device) == cases[i].get_type ());
      g_assert_cmpstr (xml, ==, cases[i].xml);
    }

  g_assert_cmpuint (controllers->len, ==, 5);
  g_assert_cmpuint (redirdevs->len, ==, 2);
}

typedef struct
{
  guint  count;
  char  *xml;  /* the definition as the last handler saw it */
} Changes;

static void
on_changed (VmdDomainConfig *config, Changes *changes)
{
  changes->count++;
  g_free (changes->xml);
  changes->xml = vmd_domain_config_to_xml (config);
}

/* Runs @call on an attached device: "changed" must fire, and the last
 * emission must already show @needle. */
#define ASSERT_CHANGED(changes, call, needle)                         \
  G_STMT_START                                                        \
  {                                                                   \
    guint before_ = (changes)->count;                                 \
    call;                                                             \
    g_assert_cmpuint ((changes)->count, >, before_);                  \
    if (strstr ((changes)->xml, needle) == NULL)                      \
      g_assert_cmpstr ((changes)->xml, ==, needle);                   \
  }                                                                   \
  G_STMT_END

static void
test_changed_signal (void)
{
  g_autoptr (VmdDomainConfig) config = new_config ();
  g_autoptr (VmdDeviceChardev) chr = vmd_device_chardev_new ("serial");
  g_autoptr (VmdDeviceController) ctl = vmd_device_controller_new ();
  g_autoptr (VmdDeviceHostdev) hd = vmd_device_hostdev_new ();
  g_autoptr (VmdDeviceRng) rng = vmd_device_rng_new ();
  g_autoptr (VmdDeviceWatchdog) dog = vmd_device_watchdog_new ();
  g_autoptr (VmdDeviceTpm) tpm = vmd_device_tpm_new ();
  g_autoptr (VmdDeviceFilesystem) fs = vmd_device_filesystem_new ();
  g_autoptr (VmdDeviceMemballoon) mb = vmd_device_memballoon_new ();
  g_autoptr (VmdDeviceRedirdev) rd = vmd_device_redirdev_new ();
  g_autoptr (VmdDeviceChardev) detached = vmd_device_chardev_new ("console");
  Changes changes = { 0, NULL };
  gpointer all[] = { chr, ctl, hd, rng, dog, tpm, fs, mb, rd };
  gulong id;

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    vmd_domain_config_add_device (config, all[i]);
  id = g_signal_connect (config, "changed", G_CALLBACK (on_changed), &changes);

  /* Edits to a device outside the definition do not reach it. */
  vmd_device_chardev_set_chardev_type (detached, "unix");
  g_assert_cmpuint (changes.count, ==, 0);

  ASSERT_CHANGED (&changes, vmd_device_chardev_set_chardev_type (chr, "file"),
                  "<serial type='file'/>");
  ASSERT_CHANGED (&changes, vmd_device_chardev_set_source_path (chr, "/l"), "<source path='/l'/>");
  ASSERT_CHANGED (&changes, vmd_device_chardev_set_source_mode (chr, "bind"), "mode='bind'");
  ASSERT_CHANGED (&changes, vmd_device_chardev_set_target_type (chr, "isa-serial"),
                  "<target type='isa-serial'/>");
  ASSERT_CHANGED (&changes, vmd_device_chardev_set_target_port (chr, 1), "port='1'");
  ASSERT_CHANGED (&changes, vmd_device_chardev_set_target_name (chr, "n"), "name='n'");

  ASSERT_CHANGED (&changes, vmd_device_controller_set_controller_type (ctl, "scsi"),
                  "<controller type='scsi' index='0'/>");
  ASSERT_CHANGED (&changes, vmd_device_controller_set_model (ctl, "virtio-scsi"),
                  "model='virtio-scsi'");
  ASSERT_CHANGED (&changes, vmd_device_controller_set_index (ctl, 7), "index='7'");
  ASSERT_CHANGED (&changes, vmd_device_controller_set_ports (ctl, 3), "ports='3'");
  ASSERT_CHANGED (&changes, vmd_device_controller_set_target_port (ctl, 2), "<target port='0x2'/>");

  ASSERT_CHANGED (&changes, vmd_device_hostdev_set_mode (hd, "capabilities"),
                  "mode='capabilities'");
  ASSERT_CHANGED (&changes, vmd_device_hostdev_set_managed (hd, FALSE), "managed='no'");
  ASSERT_CHANGED (&changes, vmd_device_hostdev_set_usb_ids (hd, 1, 2), "<product id='0x0002'/>");
  ASSERT_CHANGED (&changes, vmd_device_hostdev_set_usb_address (hd, 1, 2),
                  "<address bus='1' device='2'/>");
  ASSERT_CHANGED (&changes, vmd_device_hostdev_clear_usb_ids (hd),
                  "<source>\n        <address bus='1'");
  ASSERT_CHANGED (&changes, vmd_device_hostdev_set_hostdev_type (hd, "pci"),
                  "type='pci' managed='no'/>");
  ASSERT_CHANGED (&changes, vmd_device_hostdev_set_pci_address (hd, 0, 1, 2, 3), "function='0x3'");
  ASSERT_CHANGED (&changes, vmd_device_hostdev_clear_source_address (hd), "managed='no'/>");

  ASSERT_CHANGED (&changes, vmd_device_rng_set_model (rng, "virtio-non-transitional"),
                  "<rng model='virtio-non-transitional'>");
  ASSERT_CHANGED (&changes, vmd_device_rng_set_rate (rng, 5, 6), "<rate bytes='5' period='6'/>");
  ASSERT_CHANGED (&changes, vmd_device_rng_set_source_path (rng, "/dev/hwrng"), ">/dev/hwrng<");
  ASSERT_CHANGED (&changes, vmd_device_rng_set_backend_model (rng, "builtin"),
                  "<backend model='builtin'/>");

  ASSERT_CHANGED (&changes, vmd_device_watchdog_set_model (dog, "itco"), "model='itco'");
  ASSERT_CHANGED (&changes, vmd_device_watchdog_set_action (dog, "dump"), "action='dump'");

  ASSERT_CHANGED (&changes, vmd_device_tpm_set_model (tpm, "tpm-tis"), "<tpm model='tpm-tis'>");
  ASSERT_CHANGED (&changes, vmd_device_tpm_set_backend_type (tpm, "passthrough"),
                  "type='passthrough'");
  ASSERT_CHANGED (&changes, vmd_device_tpm_set_backend_version (tpm, "1.2"), "version='1.2'");
  ASSERT_CHANGED (&changes, vmd_device_tpm_set_device_path (tpm, "/dev/tpm0"),
                  "<device path='/dev/tpm0'/>");

  ASSERT_CHANGED (&changes, vmd_device_filesystem_set_filesystem_type (fs, "mount"),
                  "<filesystem type='mount'");
  ASSERT_CHANGED (&changes, vmd_device_filesystem_set_access_mode (fs, "mapped"),
                  "accessmode='mapped'");
  ASSERT_CHANGED (&changes, vmd_device_filesystem_set_driver_type (fs, "path"),
                  "<driver type='path'/>");
  ASSERT_CHANGED (&changes, vmd_device_filesystem_set_source_dir (fs, "/s"), "<source dir='/s'/>");
  ASSERT_CHANGED (&changes, vmd_device_filesystem_set_target_dir (fs, "t"), "<target dir='t'/>");
  ASSERT_CHANGED (&changes, vmd_device_filesystem_set_readonly (fs, TRUE), "<readonly/>");

  ASSERT_CHANGED (&changes, vmd_device_memballoon_set_model (mb, "none"),
                  "<memballoon model='none'");
  ASSERT_CHANGED (&changes, vmd_device_memballoon_set_autodeflate (mb, TRUE), "autodeflate='on'");
  ASSERT_CHANGED (&changes, vmd_device_memballoon_set_stats_period (mb, 3), "<stats period='3'/>");

  ASSERT_CHANGED (&changes, vmd_device_redirdev_set_bus (rd, "usb"), "<redirdev bus='usb'");
  ASSERT_CHANGED (&changes, vmd_device_redirdev_set_redirdev_type (rd, "tcp"), "type='tcp'");

  g_signal_handler_disconnect (config, id);
  g_free (changes.xml);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/devices-b/chardev/new", test_chardev_new);
  g_test_add_func ("/devices-b/chardev/accessors", test_chardev_accessors);
  g_test_add_func ("/devices-b/chardev/target-port-parsing", test_chardev_target_port_parsing);
  g_test_add_func ("/devices-b/chardev/target-model", test_chardev_target_model);
  g_test_add_func ("/devices-b/chardev/child-order", test_chardev_child_order);
  g_test_add_func ("/devices-b/chardev/agents", test_chardev_agents);
  g_test_add_func ("/devices-b/chardev/corpus", test_chardev_corpus);
  g_test_add_func ("/devices-b/controller/accessors", test_controller_accessors);
  g_test_add_func ("/devices-b/controller/target-port", test_controller_target_port);
  g_test_add_func ("/devices-b/controller/index", test_controller_index);
  g_test_add_func ("/devices-b/controller/corpus", test_controller_corpus);
  g_test_add_func ("/devices-b/hostdev/usb", test_hostdev_usb);
  g_test_add_func ("/devices-b/hostdev/pci", test_hostdev_pci);
  g_test_add_func ("/devices-b/hostdev/corpus", test_hostdev_corpus);
  g_test_add_func ("/devices-b/rng/accessors", test_rng_accessors);
  g_test_add_func ("/devices-b/rng/corpus", test_rng_corpus);
  g_test_add_func ("/devices-b/watchdog", test_watchdog);
  g_test_add_func ("/devices-b/tpm/accessors", test_tpm);
  g_test_add_func ("/devices-b/tpm/corpus", test_tpm_corpus);
  g_test_add_func ("/devices-b/filesystem/accessors", test_filesystem);
  g_test_add_func ("/devices-b/filesystem/child-order", test_filesystem_child_order);
  g_test_add_func ("/devices-b/filesystem/corpus", test_filesystem_corpus);
  g_test_add_func ("/devices-b/memballoon/accessors", test_memballoon);
  g_test_add_func ("/devices-b/memballoon/corpus", test_memballoon_corpus);
  g_test_add_func ("/devices-b/redirdev", test_redirdev);
  g_test_add_func ("/devices-b/domain/placement", test_domain_placement);
  g_test_add_func ("/devices-b/domain/types", test_domain_types);
  g_test_add_func ("/devices-b/domain/changed-signal", test_changed_signal);

  return g_test_run ();
}
