/* test-devices-a.c: interfaces, displays, video, sound and input devices
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "vmd-model.h"

/* ---------------------------------------------------------------- helpers */

static char *
corpus_dir (void)
{
  const char *env = g_getenv ("VMD_CORPUS_DIR");
  g_autofree char *here = NULL;
  g_autofree char *cwd = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  /* Without meson: the corpus sits next to the source tree, as
   * tests/meson.build says; __FILE__ may be relative to the build dir. */
  here = g_path_get_dirname (__FILE__);
  cwd = g_get_current_dir ();
  for (guint up = 0; up < 4; up++)
    {
      g_autofree char *base = g_path_is_absolute (here) ? g_strdup (here)
                                                          : g_build_filename (cwd, here, NULL);
      g_autofree char *dir = g_build_filename (base, "..", "..", "shared", "corpus", NULL);
      g_autofree char *parent = NULL;

      if (g_file_test (dir, G_FILE_TEST_IS_DIR))
        return g_steal_pointer (&dir);
      parent = g_path_get_dirname (cwd);
      g_free (cwd);
      cwd = g_steal_pointer (&parent);
    }
  g_error ("The test corpus was not found; set VMD_CORPUS_DIR.");
  return NULL;
}

static VmdDomainConfig *
load_corpus (const char *relative)
{
  g_autofree char *dir = corpus_dir ();
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autoptr (GError) error = NULL;
  VmdDomainConfig *config = vmd_domain_config_new_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (config);
  return config;
}

/* The @index-th device of class @type in @config. */
static gpointer
nth_device (VmdDomainConfig *config, GType type, guint index)
{
  g_autoptr (GPtrArray) devices = vmd_domain_config_get_devices (config, type);

  g_assert_cmpuint (index, <, devices->len);
  return g_object_ref (g_ptr_array_index (devices, index));
}

#define assert_device_xml(device, expected)                     \
  G_STMT_START {                                                \
    g_autofree char *_xml = vmd_device_to_xml (VMD_DEVICE (device)); \
    g_assert_cmpstr (_xml, ==, (expected));                     \
  } G_STMT_END

#define assert_str_result(call, expected)                       \
  G_STMT_START {                                                \
    g_autofree char *_value = (call);                           \
    g_assert_cmpstr (_value, ==, (expected));                   \
  } G_STMT_END

static void
assert_config_contains (VmdDomainConfig *config, const char *snippet)
{
  g_autofree char *xml = vmd_domain_config_to_xml (config);

  if (strstr (xml, snippet) == NULL)
    g_test_message ("The definition lacks\n%s\nIt reads:\n%s", snippet, xml);
  g_assert_nonnull (strstr (xml, snippet));
}

/* Adds @device to a fresh definition and checks that it reads @snippet,
 * which runs from "  <devices>" to "  </devices>\n". */
static void
assert_alone_in_new_config (gpointer device, const char *snippet)
{
  g_autoptr (VmdDomainConfig) config = vmd_domain_config_new ("t");

  vmd_domain_config_add_device (config, VMD_DEVICE (device));
  g_assert_true (vmd_device_get_config (VMD_DEVICE (device)) == config);
  assert_config_contains (config, snippet);
  g_assert_true (vmd_domain_config_remove_device (config, VMD_DEVICE (device)));
}

typedef struct
{
  guint count;
} Changes;

static void
on_changed (VmdDomainConfig *config, Changes *changes)
{
  changes->count++;
}

static void
watch_changes (VmdDomainConfig *config, Changes *changes)
{
  changes->count = 0;
  g_signal_connect (config, "changed", G_CALLBACK (on_changed), changes);
}

/* Runs @stmt and checks that it emitted VmdDomainConfig::changed. */
#define assert_changes(changes, stmt)                           \
  G_STMT_START {                                                \
    guint _before = (changes)->count;                           \
    stmt;                                                       \
    g_assert_cmpuint ((changes)->count, >, _before);            \
  } G_STMT_END

/* -------------------------------------------------------------- interface */

static void
test_interface_new (void)
{
  g_autoptr (VmdDeviceInterface) nic = vmd_device_interface_new ();
  g_autoptr (GPtrArray) forwards = NULL;

  g_assert_cmpstr (vmd_device_get_kind (VMD_DEVICE (nic)), ==, "interface");
  g_assert_null (vmd_device_get_config (VMD_DEVICE (nic)));
  assert_device_xml (nic,
                     "<interface type='user'>\n"
                     "  <model type='virtio'/>\n"
                     "</interface>");
  assert_str_result (vmd_device_interface_get_interface_type (nic), "user");
  assert_str_result (vmd_device_interface_get_model (nic), "virtio");
  assert_str_result (vmd_device_interface_get_source (nic), NULL);
  assert_str_result (vmd_device_interface_get_source_mode (nic), NULL);
  assert_str_result (vmd_device_interface_get_mac (nic), NULL);
  assert_str_result (vmd_device_interface_get_target_dev (nic), NULL);
  assert_str_result (vmd_device_interface_get_backend (nic), NULL);
  g_assert_true (vmd_device_interface_get_link_up (nic));
  forwards = vmd_device_interface_get_port_forwards (nic);
  g_assert_cmpuint (forwards->len, ==, 0);
}

static void
test_interface_type_source (void)
{
  g_autoptr (VmdDeviceInterface) nic = vmd_device_interface_new ();

  vmd_device_interface_set_interface_type (nic, "network");
  vmd_device_interface_set_source (nic, "default");
  assert_device_xml (nic,
                     "<interface type='network'>\n"
                     "  <source network='default'/>\n"
                     "  <model type='virtio'/>\n"
                     "</interface>");
  assert_str_result (vmd_device_interface_get_interface_type (nic), "network");
  assert_str_result (vmd_device_interface_get_source (nic), "default");

  /* A network name is no bridge name: the source goes with the type. */
  vmd_device_interface_set_interface_type (nic, "bridge");
  assert_device_xml (nic,
                     "<interface type='bridge'>\n"
                     "  <model type='virtio'/>\n"
                     "</interface>");
  assert_str_result (vmd_device_interface_get_source (nic), NULL);
  vmd_device_interface_set_source (nic, "br0");
  assert_device_xml (nic,
                     "<interface type='bridge'>\n"
                     "  <source bridge='br0'/>\n"
                     "  <model type='virtio'/>\n"
                     "</interface>");
  assert_str_result (vmd_device_interface_get_source (nic), "br0");

  /* Setting the same type keeps the source. */
  vmd_device_interface_set_interface_type (nic, "bridge");
  assert_str_result (vmd_device_interface_get_source (nic), "br0");

  vmd_device_interface_set_interface_type (nic, "direct");
  vmd_device_interface_set_source (nic, "eth0");
  vmd_device_interface_set_source_mode (nic, "vepa");
  assert_device_xml (nic,
                     "<interface type='direct'>\n"
                     "  <source dev='eth0' mode='vepa'/>\n"
                     "  <model type='virtio'/>\n"
                     "</interface>");
  assert_str_result (vmd_device_interface_get_source (nic), "eth0");
  assert_str_result (vmd_device_interface_get_source_mode (nic), "vepa");

  vmd_device_interface_set_source_mode (nic, NULL);
  assert_device_xml (nic,
                     "<interface type='direct'>\n"
                     "  <source dev='eth0'/>\n"
                     "  <model type='virtio'/>\n"
                     "</interface>");
  assert_str_result (vmd_device_interface_get_source_mode (nic), NULL);

  vmd_device_interface_set_source (nic, NULL);
  assert_device_xml (nic,
                     "<interface type='direct'>\n"
                     "  <model type='virtio'/>\n"
                     "</interface>");
  assert_str_result (vmd_device_interface_get_source (nic), NULL);

  /* An ethernet interface connects to the tap device it names. */
  vmd_device_interface_set_interface_type (nic, "ethernet");
  vmd_device_interface_set_source (nic, "tap0");
  assert_device_xml (nic,
                     "<interface type='ethernet'>\n"
                     "  <target dev='tap0'/>\n"
                     "  <model type='virtio'/>\n"
                     "</interface>");
  assert_str_result (vmd_device_interface_get_source (nic), "tap0");
  assert_str_result (vmd_device_interface_get_target_dev (nic), "tap0");

  vmd_device_interface_set_interface_type (nic, "network");
  assert_device_xml (nic,
                     "<interface type='network'>\n"
                     "  <model type='virtio'/>\n"
                     "</interface>");
  assert_str_result (vmd_device_interface_get_target_dev (nic), NULL);

  /* Leaving direct drops the mode with the source element. */
  vmd_device_interface_set_interface_type (nic, "direct");
  vmd_device_interface_set_source (nic, "eth1");
  vmd_device_interface_set_source_mode (nic, "bridge");
  vmd_device_interface_set_interface_type (nic, "user");
  assert_device_xml (nic,
                     "<interface type='user'>\n"
                     "  <model type='virtio'/>\n"
                     "</interface>");

  /* mcast and the like have an address and port, not one source. */
  vmd_device_interface_set_interface_type (nic, "mcast");
  assert_str_result (vmd_device_interface_get_source (nic), NULL);
  g_test_expect_message ("vmdesk-model", G_LOG_LEVEL_CRITICAL, "*source_field*");
  vmd_device_interface_set_source (nic, "230.0.0.1");
  g_test_assert_expected_messages ();
  assert_device_xml (nic,
                     "<interface type='mcast'>\n"
                     "  <model type='virtio'/>\n"
                     "</interface>");
}

static void
test_interface_model_mac_link (void)
{
  g_autoptr (VmdDeviceInterface) nic = vmd_device_interface_new ();

  vmd_device_interface_set_model (nic, "e1000e");
  assert_device_xml (nic,
                     "<interface type='user'>\n"
                     "  <model type='e1000e'/>\n"
                     "</interface>");
  assert_str_result (vmd_device_interface_get_model (nic), "e1000e");

  vmd_device_interface_set_model (nic, NULL);
  assert_device_xml (nic, "<interface type='user'/>");
  assert_str_result (vmd_device_interface_get_model (nic), NULL);
  vmd_device_interface_set_model (nic, "virtio");

  vmd_device_interface_set_mac (nic, "52:54:00:aa:bb:cc");
  assert_device_xml (nic,
                     "<interface type='user'>\n"
                     "  <mac address='52:54:00:aa:bb:cc'/>\n"
                     "  <model type='virtio'/>\n"
                     "</interface>");
  assert_str_result (vmd_device_interface_get_mac (nic), "52:54:00:aa:bb:cc");
  vmd_device_interface_set_mac (nic, NULL);
  assert_device_xml (nic,
                     "<interface type='user'>\n"
                     "  <model type='virtio'/>\n"
                     "</interface>");
  assert_str_result (vmd_device_interface_get_mac (nic), NULL);

  vmd_device_interface_set_link_up (nic, FALSE);
  assert_device_xml (nic,
                     "<interface type='user'>\n"
                     "  <model type='virtio'/>\n"
                     "  <link state='down'/>\n"
                     "</interface>");
  g_assert_false (vmd_device_interface_get_link_up (nic));
  vmd_device_interface_set_link_up (nic, TRUE);
  assert_device_xml (nic,
                     "<interface type='user'>\n"
                     "  <model type='virtio'/>\n"
                     "</interface>");
  g_assert_true (vmd_device_interface_get_link_up (nic));

  vmd_device_interface_set_backend (nic, "passt");
  assert_device_xml (nic,
                     "<interface type='user'>\n"
                     "  <model type='virtio'/>\n"
                     "  <backend type='passt'/>\n"
                     "</interface>");
  assert_str_result (vmd_device_interface_get_backend (nic), "passt");
  vmd_device_interface_set_backend (nic, NULL);
  assert_device_xml (nic,
                     "<interface type='user'>\n"
                     "  <model type='virtio'/>\n"
                     "</interface>");
}

static void
assert_forward (GPtrArray  *forwards,
                guint       index,
                const char *proto,
                const char *address,
                guint       host_port,
                guint       host_port_end,
                guint       guest_port)
{
  VmdPortForward *forward;

  g_assert_cmpuint (index, <, forwards->len);
  forward = g_ptr_array_index (forwards, index);
  g_assert_cmpstr (forward->proto, ==, proto);
  g_assert_cmpstr (forward->address, ==, address);
  g_assert_cmpuint (forward->host_port, ==, host_port);
  g_assert_cmpuint (forward->host_port_end, ==, host_port_end);
  g_assert_cmpuint (forward->guest_port, ==, guest_port);
}

static void
test_interface_port_forwards (void)
{
  g_autoptr (VmdDeviceInterface) nic = vmd_device_interface_new ();
  g_autoptr (GPtrArray) forwards = NULL;
  g_autoptr (VmdPortForward) copy = NULL;

  /* Only passt forwards ports, so it becomes the backend. */
  vmd_device_interface_add_port_forward (nic, "tcp", 2222, 22);
  assert_device_xml (nic,
                     "<interface type='user'>\n"
                     "  <portForward proto='tcp'>\n"
                     "    <range start='2222' to='22'/>\n"
                     "  </portForward>\n"
                     "  <model type='virtio'/>\n"
                     "  <backend type='passt'/>\n"
                     "</interface>");

  /* A guest port of 0 (or the host's) is written as libvirt's default. */
  vmd_device_interface_add_port_forward (nic, "udp", 5353, 0);
  vmd_device_interface_add_port_forward (nic, "tcp", 8080, 8080);
  assert_device_xml (nic,
                     "<interface type='user'>\n"
                     "  <portForward proto='tcp'>\n"
                     "    <range start='2222' to='22'/>\n"
                     "  </portForward>\n"
                     "  <portForward proto='udp'>\n"
                     "    <range start='5353'/>\n"
                     "  </portForward>\n"
                     "  <portForward proto='tcp'>\n"
                     "    <range start='8080'/>\n"
                     "  </portForward>\n"
                     "  <model type='virtio'/>\n"
                     "  <backend type='passt'/>\n"
                     "</interface>");

  forwards = vmd_device_interface_get_port_forwards (nic);
  g_assert_cmpuint (forwards->len, ==, 3);
  assert_forward (forwards, 0, "tcp", NULL, 2222, 2222, 22);
  assert_forward (forwards, 1, "udp", NULL, 5353, 5353, 5353);
  assert_forward (forwards, 2, "tcp", NULL, 8080, 8080, 8080);

  copy = vmd_port_forward_copy (g_ptr_array_index (forwards, 0));
  g_assert_true (copy != g_ptr_array_index (forwards, 0));
  g_assert_cmpstr (copy->proto, ==, "tcp");
  g_assert_cmpuint (copy->host_port, ==, 2222);
  g_assert_cmpuint (copy->guest_port, ==, 22);
  g_assert_true (G_TYPE_IS_BOXED (VMD_TYPE_PORT_FORWARD));

  /* The backend stays: passt works without forwards. */
  vmd_device_interface_clear_port_forwards (nic);
  assert_device_xml (nic,
                     "<interface type='user'>\n"
                     "  <model type='virtio'/>\n"
                     "  <backend type='passt'/>\n"
                     "</interface>");
  g_clear_pointer (&forwards, g_ptr_array_unref);
  forwards = vmd_device_interface_get_port_forwards (nic);
  g_assert_cmpuint (forwards->len, ==, 0);

  /* After the MAC address, as libvirt writes them. */
  vmd_device_interface_set_mac (nic, "52:54:00:00:00:01");
  vmd_device_interface_add_port_forward (nic, "tcp", 80, 8000);
  assert_device_xml (nic,
                     "<interface type='user'>\n"
                     "  <mac address='52:54:00:00:00:01'/>\n"
                     "  <portForward proto='tcp'>\n"
                     "    <range start='80' to='8000'/>\n"
                     "  </portForward>\n"
                     "  <model type='virtio'/>\n"
                     "  <backend type='passt'/>\n"
                     "</interface>");

  /* libvirt refuses forwards on anything but a user-mode interface. */
  vmd_device_interface_clear_port_forwards (nic);
  vmd_device_interface_set_interface_type (nic, "network");
  g_test_expect_message ("vmdesk-model", G_LOG_LEVEL_CRITICAL, "*user*");
  vmd_device_interface_add_port_forward (nic, "tcp", 80, 80);
  g_test_assert_expected_messages ();
  g_clear_pointer (&forwards, g_ptr_array_unref);
  forwards = vmd_device_interface_get_port_forwards (nic);
  g_assert_cmpuint (forwards->len, ==, 0);
}

static void
test_interface_port_forwards_corpus (void)
{
  g_autoptr (VmdDomainConfig) config = load_corpus ("libvirt-qemuxml2argv/net-user-passt.xml");
  g_autoptr (VmdDeviceInterface) nic = nth_device (config, VMD_TYPE_DEVICE_INTERFACE, 0);
  g_autoptr (GPtrArray) forwards = vmd_device_interface_get_port_forwards (nic);
  Changes changes;

  assert_str_result (vmd_device_interface_get_backend (nic), "passt");
  assert_str_result (vmd_device_interface_get_source (nic), "eth42");

  /* Excluded ranges are holes in others, not forwards. */
  g_assert_cmpuint (forwards->len, ==, 5);
  assert_forward (forwards, 0, "tcp", "2001:db8:ac10:fd01::1:10", 22, 22, 2022);
  assert_forward (forwards, 1, "tcp", "2001:db8:ac10:fd01::1:10", 1000, 1050, 1000);
  assert_forward (forwards, 2, "udp", "1.2.3.4", 5000, 5020, 6000);
  assert_forward (forwards, 3, "tcp", NULL, 80, 80, 80);
  assert_forward (forwards, 4, "tcp", NULL, 443, 443, 344);

  watch_changes (config, &changes);
  assert_changes (&changes, vmd_device_interface_clear_port_forwards (nic));
  assert_config_contains (config,
                          "    <interface type='user'>\n"
                          "      <mac address='00:11:22:33:44:55'/>\n"
                          "      <source dev='eth42'/>\n"
                          "      <ip address='172.17.2.0' family='ipv4' prefix='24'/>\n"
                          "      <ip address='2001:db8:ac10:fd01::feed' family='ipv6'/>\n"
                          "      <model type='rtl8139'/>\n"
                          "      <backend type='passt' logFile='/var/log/loglaw.blog'/>\n"
                          "      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>\n"
                          "    </interface>\n");

  assert_changes (&changes, vmd_device_interface_add_port_forward (nic, "tcp", 8080, 80));
  assert_config_contains (config,
                          "      <ip address='2001:db8:ac10:fd01::feed' family='ipv6'/>\n"
                          "      <portForward proto='tcp'>\n"
                          "        <range start='8080' to='80'/>\n"
                          "      </portForward>\n"
                          "      <model type='rtl8139'/>\n"
                          "      <backend type='passt' logFile='/var/log/loglaw.blog'/>\n");
}

static gboolean
is_qemu_mac (const char *mac)
{
  if (mac == NULL || strlen (mac) != 17 || !g_str_has_prefix (mac, "52:54:00:"))
    return FALSE;
  for (guint i = 9; i < 17; i++)
    {
      if (i % 3 == 2 ? mac[i] != ':' : !g_ascii_isxdigit (mac[i]))
        return FALSE;
    }
  return TRUE;
}

static void
test_interface_mac_generation (void)
{
  g_autoptr (VmdDomainConfig) config = vmd_domain_config_new ("t");
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) nics = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (VmdDeviceInterface) fixed = vmd_device_interface_new ();
  g_autoptr (GPtrArray) attached = NULL;

  /* A MAC address given is kept. */
  vmd_device_interface_set_mac (fixed, "52:54:00:00:00:2a");
  vmd_domain_config_add_device (config, VMD_DEVICE (fixed));
  assert_str_result (vmd_device_interface_get_mac (fixed), "52:54:00:00:00:2a");
  g_hash_table_add (seen, g_strdup ("52:54:00:00:00:2a"));

  for (guint i = 0; i < 64; i++)
    {
      VmdDeviceInterface *nic = vmd_device_interface_new ();
      char *mac;

      g_ptr_array_add (nics, nic);
      vmd_domain_config_add_device (config, VMD_DEVICE (nic));
      mac = vmd_device_interface_get_mac (nic);
      g_assert_true (is_qemu_mac (mac));
      g_assert_false (g_hash_table_contains (seen, mac));
      g_hash_table_add (seen, mac);
    }

  attached = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_INTERFACE);
  g_assert_cmpuint (attached->len, ==, 65);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 65);

  /* The address goes first, as libvirt writes it. */
  {
    g_autofree char *mac = vmd_device_interface_get_mac (g_ptr_array_index (nics, 0));
    g_autofree char *expected = g_strdup_printf ("    <interface type='user'>\n"
                                                 "      <mac address='%s'/>\n"
                                                 "      <model type='virtio'/>\n"
                                                 "    </interface>\n",
                                                 mac);
    assert_config_contains (config, expected);
  }
}

static void
test_interface_corpus (void)
{
  g_autoptr (VmdDomainConfig) nics = load_corpus ("virt-manager/xmlparse/change-nics-in.xml");
  g_autoptr (VmdDomainConfig) user = load_corpus ("libvirt-qemuxml2argv/net-user.xml");
  g_autoptr (VmdDomainConfig) links = load_corpus ("libvirt-qemuxml2argv/net-linkstate.xml");
  g_autoptr (VmdDomainConfig) eth = load_corpus ("libvirt-qemuxml2argv/net-eth-ifname.xml");
  g_autoptr (VmdDomainConfig) portgroup =
    load_corpus ("libvirt-qemuxml2argv/net-virtio-network-portgroup.xml");
  static const struct {
    const char *type, *source, *mode, *mac, *model, *target;
  } expected[] = {
    { "user", NULL, NULL, "22:11:11:11:11:11", NULL, NULL },
    { "network", "default", NULL, "22:22:33:44:55:66", "e1000", NULL },
    { "bridge", "foobr0", NULL, "22:22:22:22:22:22", NULL, NULL },
    { "ethernet", "nic02", NULL, "00:11:22:33:44:55", NULL, "nic02" },
    { "direct", "eth0.1", "vepa", "00:11:22:33:44:55", NULL, NULL },
  };
  g_autoptr (GPtrArray) all = vmd_domain_config_get_devices (nics, VMD_TYPE_DEVICE_INTERFACE);
  g_autoptr (VmdDeviceInterface) nic = NULL;

  g_assert_cmpuint (all->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < all->len; i++)
    {
      VmdDeviceInterface *n = g_ptr_array_index (all, i);

      assert_str_result (vmd_device_interface_get_interface_type (n), expected[i].type);
      assert_str_result (vmd_device_interface_get_source (n), expected[i].source);
      assert_str_result (vmd_device_interface_get_source_mode (n), expected[i].mode);
      assert_str_result (vmd_device_interface_get_mac (n), expected[i].mac);
      assert_str_result (vmd_device_interface_get_model (n), expected[i].model);
      assert_str_result (vmd_device_interface_get_target_dev (n), expected[i].target);
      g_assert_true (vmd_device_interface_get_link_up (n));
    }

  nic = nth_device (user, VMD_TYPE_DEVICE_INTERFACE, 0);
  assert_str_result (vmd_device_interface_get_interface_type (nic), "user");
  assert_str_result (vmd_device_interface_get_mac (nic), "00:11:22:33:44:55");
  assert_str_result (vmd_device_interface_get_model (nic), "rtl8139");
  assert_str_result (vmd_device_interface_get_source (nic), NULL);
  assert_str_result (vmd_device_interface_get_backend (nic), NULL);
  g_clear_object (&nic);

  nic = nth_device (links, VMD_TYPE_DEVICE_INTERFACE, 0);
  g_assert_true (vmd_device_interface_get_link_up (nic));
  g_clear_object (&nic);
  nic = nth_device (links, VMD_TYPE_DEVICE_INTERFACE, 1);
  g_assert_false (vmd_device_interface_get_link_up (nic));
  assert_str_result (vmd_device_interface_get_mac (nic), "00:11:22:33:44:66");
  g_clear_object (&nic);

  nic = nth_device (eth, VMD_TYPE_DEVICE_INTERFACE, 0);
  assert_str_result (vmd_device_interface_get_interface_type (nic), "ethernet");
  assert_str_result (vmd_device_interface_get_source (nic), "nic02");
  assert_str_result (vmd_device_interface_get_target_dev (nic), "nic02");
  g_clear_object (&nic);

  nic = nth_device (portgroup, VMD_TYPE_DEVICE_INTERFACE, 2);
  assert_str_result (vmd_device_interface_get_source (nic), "vepa-net;plug-bridge-basic");
  assert_str_result (vmd_device_interface_get_mac (nic), "22:11:22:33:44:55");
  assert_str_result (vmd_device_interface_get_model (nic), "rtl8139");
}

static void
test_interface_config (void)
{
  g_autoptr (VmdDeviceInterface) nic = vmd_device_interface_new ();
  g_autoptr (VmdDomainConfig) config = load_corpus ("libvirt-qemuxml2argv/net-user.xml");
  g_autoptr (VmdDeviceInterface) loaded = nth_device (config, VMD_TYPE_DEVICE_INTERFACE, 0);
  Changes changes;

  vmd_device_interface_set_mac (nic, "52:54:00:12:34:56");
  assert_alone_in_new_config (nic,
                              "  <devices>\n"
                              "    <interface type='user'>\n"
                              "      <mac address='52:54:00:12:34:56'/>\n"
                              "      <model type='virtio'/>\n"
                              "    </interface>\n"
                              "  </devices>\n");

  /* Edits of a loaded interface read as libvirt would write them. */
  watch_changes (config, &changes);
  assert_changes (&changes, vmd_device_interface_set_interface_type (loaded, "network"));
  assert_changes (&changes, vmd_device_interface_set_source (loaded, "default"));
  assert_changes (&changes, vmd_device_interface_set_model (loaded, "virtio"));
  assert_changes (&changes, vmd_device_interface_set_link_up (loaded, FALSE));
  assert_config_contains (config,
                          "    <interface type='network'>\n"
                          "      <mac address='00:11:22:33:44:55'/>\n"
                          "      <source network='default'/>\n"
                          "      <model type='virtio'/>\n"
                          "      <link state='down'/>\n"
                          "    </interface>\n"
                          "    <input type='mouse' bus='ps2'/>\n");

  assert_changes (&changes, vmd_device_interface_set_link_up (loaded, TRUE));
  assert_changes (&changes, vmd_device_interface_set_source (loaded, NULL));
  assert_changes (&changes, vmd_device_interface_set_mac (loaded, "52:54:00:65:43:21"));
  assert_changes (&changes, vmd_device_interface_set_model (loaded, NULL));
  assert_config_contains (config,
                          "    <interface type='network'>\n"
                          "      <mac address='52:54:00:65:43:21'/>\n"
                          "    </interface>\n"
                          "    <input type='mouse' bus='ps2'/>\n");

  assert_changes (&changes, vmd_device_interface_set_mac (loaded, NULL));
  assert_config_contains (config,
                          "    <interface type='network'/>\n"
                          "    <input type='mouse' bus='ps2'/>\n");
}

/* --------------------------------------------------------------- graphics */

static void
test_graphics_new (void)
{
  g_autoptr (VmdDeviceGraphics) graphics = vmd_device_graphics_new ();

  g_assert_cmpstr (vmd_device_get_kind (VMD_DEVICE (graphics)), ==, "graphics");
  assert_device_xml (graphics,
                     "<graphics type='vnc' port='-1' autoport='yes'>\n"
                     "  <listen type='address'/>\n"
                     "</graphics>");
  assert_str_result (vmd_device_graphics_get_graphics_type (graphics), "vnc");
  assert_str_result (vmd_device_graphics_get_listen_type (graphics), "address");
  assert_str_result (vmd_device_graphics_get_listen_address (graphics), NULL);
  assert_str_result (vmd_device_graphics_get_listen_socket (graphics), NULL);
  g_assert_cmpint (vmd_device_graphics_get_port (graphics), ==, -1);
  g_assert_cmpint (vmd_device_graphics_get_tls_port (graphics), ==, 0);
  g_assert_true (vmd_device_graphics_get_autoport (graphics));
  assert_str_result (vmd_device_graphics_get_password (graphics), NULL);
  assert_str_result (vmd_device_graphics_get_keymap (graphics), NULL);
}

static void
test_graphics_listen (void)
{
  g_autoptr (VmdDeviceGraphics) graphics = vmd_device_graphics_new ();

  /* libvirt mirrors the address in graphics@listen. */
  vmd_device_graphics_set_listen_address (graphics, "0.0.0.0");
  assert_device_xml (graphics,
                     "<graphics type='vnc' port='-1' autoport='yes' listen='0.0.0.0'>\n"
                     "  <listen type='address' address='0.0.0.0'/>\n"
                     "</graphics>");
  assert_str_result (vmd_device_graphics_get_listen_type (graphics), "address");
  assert_str_result (vmd_device_graphics_get_listen_address (graphics), "0.0.0.0");

  vmd_device_graphics_set_listen_address (graphics, NULL);
  assert_device_xml (graphics,
                     "<graphics type='vnc' port='-1' autoport='yes'>\n"
                     "  <listen type='address'/>\n"
                     "</graphics>");
  assert_str_result (vmd_device_graphics_get_listen_address (graphics), NULL);

  /* No network listener: no ports. */
  vmd_device_graphics_set_listen_address (graphics, "::1");
  vmd_device_graphics_set_listen_type (graphics, "none");
  assert_device_xml (graphics,
                     "<graphics type='vnc'>\n"
                     "  <listen type='none'/>\n"
                     "</graphics>");
  assert_str_result (vmd_device_graphics_get_listen_type (graphics), "none");
  assert_str_result (vmd_device_graphics_get_listen_address (graphics), NULL);
  g_assert_cmpint (vmd_device_graphics_get_port (graphics), ==, 0);
  g_assert_false (vmd_device_graphics_get_autoport (graphics));

  /* VNC mirrors the socket in graphics@socket. */
  vmd_device_graphics_set_listen_socket (graphics, "/run/vm/vnc.sock");
  assert_device_xml (graphics,
                     "<graphics type='vnc' socket='/run/vm/vnc.sock'>\n"
                     "  <listen type='socket' socket='/run/vm/vnc.sock'/>\n"
                     "</graphics>");
  assert_str_result (vmd_device_graphics_get_listen_type (graphics), "socket");
  assert_str_result (vmd_device_graphics_get_listen_socket (graphics), "/run/vm/vnc.sock");
  assert_str_result (vmd_device_graphics_get_listen_address (graphics), NULL);

  vmd_device_graphics_set_listen_socket (graphics, NULL);
  assert_device_xml (graphics,
                     "<graphics type='vnc'>\n"
                     "  <listen type='socket'/>\n"
                     "</graphics>");
  assert_str_result (vmd_device_graphics_get_listen_socket (graphics), NULL);

  /* Back on an address, the port is allocated again. */
  vmd_device_graphics_set_listen_type (graphics, "address");
  assert_device_xml (graphics,
                     "<graphics type='vnc' port='-1' autoport='yes'>\n"
                     "  <listen type='address'/>\n"
                     "</graphics>");

  /* Same type: the address stays. */
  vmd_device_graphics_set_listen_address (graphics, "192.168.1.2");
  vmd_device_graphics_set_listen_type (graphics, "address");
  assert_str_result (vmd_device_graphics_get_listen_address (graphics), "192.168.1.2");

  vmd_device_graphics_set_listen_type (graphics, NULL);
  assert_device_xml (graphics, "<graphics type='vnc' port='-1' autoport='yes'/>");
  assert_str_result (vmd_device_graphics_get_listen_type (graphics), NULL);
  assert_str_result (vmd_device_graphics_get_listen_address (graphics), NULL);

  /* SPICE has no socket mirror. */
  vmd_device_graphics_set_graphics_type (graphics, "spice");
  vmd_device_graphics_set_listen_socket (graphics, "/run/vm/spice.sock");
  assert_device_xml (graphics,
                     "<graphics type='spice'>\n"
                     "  <listen type='socket' socket='/run/vm/spice.sock'/>\n"
                     "</graphics>");
  /* … which VNC gets when the type changes. */
  vmd_device_graphics_set_graphics_type (graphics, "vnc");
  assert_device_xml (graphics,
                     "<graphics type='vnc' socket='/run/vm/spice.sock'>\n"
                     "  <listen type='socket' socket='/run/vm/spice.sock'/>\n"
                     "</graphics>");
  vmd_device_graphics_set_graphics_type (graphics, "spice");
  assert_device_xml (graphics,
                     "<graphics type='spice'>\n"
                     "  <listen type='socket' socket='/run/vm/spice.sock'/>\n"
                     "</graphics>");
}

static void
test_graphics_ports (void)
{
  g_autoptr (VmdDeviceGraphics) graphics = vmd_device_graphics_new ();

  vmd_device_graphics_set_port (graphics, 5901);
  assert_device_xml (graphics,
                     "<graphics type='vnc' port='5901' autoport='no'>\n"
                     "  <listen type='address'/>\n"
                     "</graphics>");
  g_assert_cmpint (vmd_device_graphics_get_port (graphics), ==, 5901);
  g_assert_false (vmd_device_graphics_get_autoport (graphics));

  vmd_device_graphics_set_port (graphics, -1);
  assert_device_xml (graphics,
                     "<graphics type='vnc' port='-1' autoport='yes'>\n"
                     "  <listen type='address'/>\n"
                     "</graphics>");
  g_assert_cmpint (vmd_device_graphics_get_port (graphics), ==, -1);
  g_assert_true (vmd_device_graphics_get_autoport (graphics));

  vmd_device_graphics_set_autoport (graphics, FALSE);
  assert_device_xml (graphics,
                     "<graphics type='vnc' autoport='no'>\n"
                     "  <listen type='address'/>\n"
                     "</graphics>");
  g_assert_cmpint (vmd_device_graphics_get_port (graphics), ==, 0);
  g_assert_false (vmd_device_graphics_get_autoport (graphics));

  vmd_device_graphics_set_autoport (graphics, TRUE);
  vmd_device_graphics_set_port (graphics, 0);
  assert_device_xml (graphics,
                     "<graphics type='vnc' autoport='yes'>\n"
                     "  <listen type='address'/>\n"
                     "</graphics>");
  g_assert_cmpint (vmd_device_graphics_get_port (graphics), ==, 0);
  g_assert_true (vmd_device_graphics_get_autoport (graphics));

  g_test_expect_message ("vmdesk-model", G_LOG_LEVEL_CRITICAL, "*port*");
  vmd_device_graphics_set_port (graphics, 70000);
  g_test_assert_expected_messages ();

  /* SPICE's TLS port, in libvirt's attribute order. */
  vmd_device_graphics_set_port (graphics, -1);
  vmd_device_graphics_set_graphics_type (graphics, "spice");
  assert_device_xml (graphics,
                     "<graphics type='spice' port='-1' autoport='yes'>\n"
                     "  <listen type='address'/>\n"
                     "</graphics>");
  vmd_device_graphics_set_tls_port (graphics, 5902);
  vmd_device_graphics_set_port (graphics, 5901);
  assert_device_xml (graphics,
                     "<graphics type='spice' port='5901' tlsPort='5902' autoport='no'>\n"
                     "  <listen type='address'/>\n"
                     "</graphics>");
  g_assert_cmpint (vmd_device_graphics_get_port (graphics), ==, 5901);
  g_assert_cmpint (vmd_device_graphics_get_tls_port (graphics), ==, 5902);
  g_assert_false (vmd_device_graphics_get_autoport (graphics));

  vmd_device_graphics_set_autoport (graphics, TRUE);
  assert_device_xml (graphics,
                     "<graphics type='spice' port='-1' tlsPort='-1' autoport='yes'>\n"
                     "  <listen type='address'/>\n"
                     "</graphics>");
  g_assert_cmpint (vmd_device_graphics_get_tls_port (graphics), ==, -1);

  vmd_device_graphics_set_tls_port (graphics, 0);
  assert_device_xml (graphics,
                     "<graphics type='spice' port='-1' autoport='yes'>\n"
                     "  <listen type='address'/>\n"
                     "</graphics>");
  g_assert_cmpint (vmd_device_graphics_get_tls_port (graphics), ==, 0);

  vmd_device_graphics_set_tls_port (graphics, -1);
  assert_device_xml (graphics,
                     "<graphics type='spice' port='-1' tlsPort='-1' autoport='yes'>\n"
                     "  <listen type='address'/>\n"
                     "</graphics>");

  /* VNC has no TLS port. */
  vmd_device_graphics_set_graphics_type (graphics, "vnc");
  assert_device_xml (graphics,
                     "<graphics type='vnc' port='-1' autoport='yes'>\n"
                     "  <listen type='address'/>\n"
                     "</graphics>");

  /* A local display has no ports, listen address or password. */
  vmd_device_graphics_set_password (graphics, "secret");
  vmd_device_graphics_set_graphics_type (graphics, "sdl");
  assert_device_xml (graphics, "<graphics type='sdl'/>");
}

static void
test_graphics_password_keymap (void)
{
  g_autoptr (VmdDeviceGraphics) graphics = vmd_device_graphics_new ();

  vmd_device_graphics_set_password (graphics, "secret");
  vmd_device_graphics_set_keymap (graphics, "de");
  assert_device_xml (graphics,
                     "<graphics type='vnc' port='-1' autoport='yes' keymap='de' passwd='secret'>\n"
                     "  <listen type='address'/>\n"
                     "</graphics>");
  assert_str_result (vmd_device_graphics_get_password (graphics), "secret");
  assert_str_result (vmd_device_graphics_get_keymap (graphics), "de");

  /* A listen address set later still goes before the keymap. */
  vmd_device_graphics_set_listen_address (graphics, "127.0.0.1");
  assert_device_xml (graphics,
                     "<graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1' keymap='de' "
                     "passwd='secret'>\n"
                     "  <listen type='address' address='127.0.0.1'/>\n"
                     "</graphics>");

  vmd_device_graphics_set_password (graphics, NULL);
  vmd_device_graphics_set_keymap (graphics, NULL);
  assert_device_xml (graphics,
                     "<graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'>\n"
                     "  <listen type='address' address='127.0.0.1'/>\n"
                     "</graphics>");
  assert_str_result (vmd_device_graphics_get_password (graphics), NULL);
  assert_str_result (vmd_device_graphics_get_keymap (graphics), NULL);
}

static void
test_graphics_corpus (void)
{
  g_autoptr (VmdDomainConfig) spice = load_corpus ("libvirt-qemuxml2argv/graphics-spice.xml");
  g_autoptr (VmdDomainConfig) vnc = load_corpus ("libvirt-qemuxml2argv/graphics-vnc.xml");
  g_autoptr (VmdDomainConfig) socket = load_corpus ("libvirt-qemuxml2argv/graphics-vnc-socket.xml");
  g_autoptr (VmdDomainConfig) none = load_corpus ("libvirt-qemuxml2argv/graphics-vnc-none.xml");
  g_autoptr (VmdDomainConfig) network =
    load_corpus ("libvirt-qemuxml2argv/graphics-listen-network.xml");
  g_autoptr (VmdDomainConfig) legacy =
    load_corpus ("libvirt-qemuxml2argv/channel-qemu-vdagent.xml");
  g_autoptr (VmdDomainConfig) keymap = load_corpus ("libvirt-qemuxml2argv/pci-bridge.xml");
  g_autoptr (VmdDomainConfig) passwd =
    load_corpus ("libvirt-qemuxml2argv/graphics-spice-timeout.xml");
  g_autoptr (VmdDeviceGraphics) graphics = NULL;

  graphics = nth_device (spice, VMD_TYPE_DEVICE_GRAPHICS, 0);
  assert_str_result (vmd_device_graphics_get_graphics_type (graphics), "spice");
  assert_str_result (vmd_device_graphics_get_listen_type (graphics), "address");
  assert_str_result (vmd_device_graphics_get_listen_address (graphics), "127.0.0.1");
  g_assert_cmpint (vmd_device_graphics_get_port (graphics), ==, 5903);
  g_assert_cmpint (vmd_device_graphics_get_tls_port (graphics), ==, 5904);
  g_assert_false (vmd_device_graphics_get_autoport (graphics));
  assert_str_result (vmd_device_graphics_get_password (graphics), NULL);
  g_clear_object (&graphics);

  graphics = nth_device (vnc, VMD_TYPE_DEVICE_GRAPHICS, 0);
  assert_str_result (vmd_device_graphics_get_graphics_type (graphics), "vnc");
  assert_str_result (vmd_device_graphics_get_listen_address (graphics),
                     "2001:1:2:3:4:5:1234:1234");
  g_assert_cmpint (vmd_device_graphics_get_port (graphics), ==, 5903);
  g_assert_cmpint (vmd_device_graphics_get_tls_port (graphics), ==, 0);
  g_clear_object (&graphics);

  graphics = nth_device (socket, VMD_TYPE_DEVICE_GRAPHICS, 0);
  assert_str_result (vmd_device_graphics_get_listen_type (graphics), "socket");
  assert_str_result (vmd_device_graphics_get_listen_socket (graphics), "/tmp/vnc.sock");
  assert_str_result (vmd_device_graphics_get_listen_address (graphics), NULL);
  g_assert_cmpint (vmd_device_graphics_get_port (graphics), ==, 0);
  g_clear_object (&graphics);

  graphics = nth_device (none, VMD_TYPE_DEVICE_GRAPHICS, 0);
  assert_str_result (vmd_device_graphics_get_listen_type (graphics), "none");
  g_assert_false (vmd_device_graphics_get_autoport (graphics));
  g_clear_object (&graphics);

  graphics = nth_device (network, VMD_TYPE_DEVICE_GRAPHICS, 0);
  assert_str_result (vmd_device_graphics_get_listen_type (graphics), "network");
  assert_str_result (vmd_device_graphics_get_listen_address (graphics), NULL);
  g_clear_object (&graphics);

  /* Written before <listen>: the address is the attribute. */
  graphics = nth_device (legacy, VMD_TYPE_DEVICE_GRAPHICS, 0);
  assert_str_result (vmd_device_graphics_get_listen_type (graphics), "address");
  assert_str_result (vmd_device_graphics_get_listen_address (graphics), "127.0.0.1");
  g_clear_object (&graphics);

  graphics = nth_device (keymap, VMD_TYPE_DEVICE_GRAPHICS, 0);
  assert_str_result (vmd_device_graphics_get_keymap (graphics), "en-us");
  g_assert_cmpint (vmd_device_graphics_get_port (graphics), ==, -1);
  g_assert_true (vmd_device_graphics_get_autoport (graphics));
  g_clear_object (&graphics);

  graphics = nth_device (passwd, VMD_TYPE_DEVICE_GRAPHICS, 0);
  assert_str_result (vmd_device_graphics_get_password (graphics), "sercet");
  g_assert_cmpint (vmd_device_graphics_get_port (graphics), ==, 5900);
  assert_str_result (vmd_device_graphics_get_listen_type (graphics), NULL);
}

static void
test_graphics_config (void)
{
  g_autoptr (VmdDeviceGraphics) graphics = vmd_device_graphics_new ();
  g_autoptr (VmdDomainConfig) spice = load_corpus ("libvirt-qemuxml2argv/graphics-spice.xml");
  g_autoptr (VmdDomainConfig) legacy =
    load_corpus ("libvirt-qemuxml2argv/channel-qemu-vdagent.xml");
  g_autoptr (VmdDomainConfig) passwd =
    load_corpus ("libvirt-qemuxml2argv/graphics-spice-timeout.xml");
  g_autoptr (VmdDeviceGraphics) loaded = NULL;
  Changes changes;

  assert_alone_in_new_config (graphics,
                              "  <devices>\n"
                              "    <graphics type='vnc' port='-1' autoport='yes'>\n"
                              "      <listen type='address'/>\n"
                              "    </graphics>\n"
                              "  </devices>\n");

  /* SPICE to VNC drops the channels, compression and TLS port. */
  loaded = nth_device (spice, VMD_TYPE_DEVICE_GRAPHICS, 0);
  watch_changes (spice, &changes);
  assert_changes (&changes, vmd_device_graphics_set_graphics_type (loaded, "vnc"));
  assert_config_contains (spice,
                          "    <graphics type='vnc' port='5903' autoport='no' listen='127.0.0.1'>\n"
                          "      <listen type='address' address='127.0.0.1'/>\n"
                          "    </graphics>\n"
                          "    <video>\n");
  assert_changes (&changes, vmd_device_graphics_set_listen_socket (loaded, "/tmp/s"));
  assert_config_contains (spice,
                          "    <graphics type='vnc' socket='/tmp/s'>\n"
                          "      <listen type='socket' socket='/tmp/s'/>\n"
                          "    </graphics>\n");
  assert_changes (&changes, vmd_device_graphics_set_listen_address (loaded, "0.0.0.0"));
  assert_changes (&changes, vmd_device_graphics_set_port (loaded, 5905));
  assert_changes (&changes, vmd_device_graphics_set_keymap (loaded, "fr"));
  assert_changes (&changes, vmd_device_graphics_set_password (loaded, "pw"));
  assert_config_contains (spice,
                          "    <graphics type='vnc' port='5905' autoport='no' listen='0.0.0.0' "
                          "keymap='fr' passwd='pw'>\n"
                          "      <listen type='address' address='0.0.0.0'/>\n"
                          "    </graphics>\n");
  assert_changes (&changes, vmd_device_graphics_set_autoport (loaded, TRUE));
  assert_changes (&changes, vmd_device_graphics_set_listen_type (loaded, NULL));
  assert_config_contains (spice,
                          "    <graphics type='vnc' port='-1' autoport='yes' keymap='fr' "
                          "passwd='pw'/>\n");
  g_clear_object (&loaded);

  /* An old-style definition gains the <listen> element libvirt writes. */
  loaded = nth_device (legacy, VMD_TYPE_DEVICE_GRAPHICS, 0);
  watch_changes (legacy, &changes);
  assert_changes (&changes, vmd_device_graphics_set_listen_address (loaded, "::1"));
  assert_config_contains (legacy,
                          "    <graphics type='vnc' port='5903' autoport='no' listen='::1'>\n"
                          "      <listen type='address' address='::1'/>\n"
                          "    </graphics>\n"
                          "    <channel type='qemu-vdagent'>\n");
  g_clear_object (&loaded);

  /* Removing the password removes its expiry too. */
  loaded = nth_device (passwd, VMD_TYPE_DEVICE_GRAPHICS, 0);
  watch_changes (passwd, &changes);
  assert_changes (&changes, vmd_device_graphics_set_password (loaded, NULL));
  assert_config_contains (passwd,
                          "    <input type='keyboard' bus='ps2'/>\n"
                          "    <graphics type='spice' port='5900' autoport='no' "
                          "connected='disconnect'/>\n"
                          "    <sound model='ac97'>\n");
}

/* ------------------------------------------------------------------ video */

static void
test_video_new (void)
{
  g_autoptr (VmdDeviceVideo) video = vmd_device_video_new ();

  g_assert_cmpstr (vmd_device_get_kind (VMD_DEVICE (video)), ==, "video");
  assert_device_xml (video,
                     "<video>\n"
                     "  <model type='virtio' heads='1' primary='yes'/>\n"
                     "</video>");
  assert_str_result (vmd_device_video_get_model (video), "virtio");
  g_assert_cmpuint (vmd_device_video_get_heads (video), ==, 1);
  g_assert_cmpuint (vmd_device_video_get_vram (video), ==, 0);
  g_assert_true (vmd_device_video_get_primary (video));
  g_assert_false (vmd_device_video_get_accel3d (video));
}

static void
test_video_model (void)
{
  g_autoptr (VmdDeviceVideo) video = vmd_device_video_new ();

  vmd_device_video_set_model (video, "qxl");
  assert_device_xml (video,
                     "<video>\n"
                     "  <model type='qxl' heads='1' primary='yes'/>\n"
                     "</video>");
  assert_str_result (vmd_device_video_get_model (video), "qxl");

  vmd_device_video_set_model (video, "none");
  assert_str_result (vmd_device_video_get_model (video), "none");

  /* libvirt picks the adapter when there is no <model>. */
  vmd_device_video_set_model (video, NULL);
  assert_device_xml (video, "<video/>");
  assert_str_result (vmd_device_video_get_model (video), NULL);
  g_assert_cmpuint (vmd_device_video_get_heads (video), ==, 0);
  g_assert_false (vmd_device_video_get_primary (video));

  vmd_device_video_set_model (video, "bochs");
  assert_device_xml (video,
                     "<video>\n"
                     "  <model type='bochs'/>\n"
                     "</video>");
}

static void
test_video_sizes (void)
{
  g_autoptr (VmdDeviceVideo) video = vmd_device_video_new ();

  /* In libvirt's attribute order, whatever the order they are set in. */
  vmd_device_video_set_vram (video, 16384);
  assert_device_xml (video,
                     "<video>\n"
                     "  <model type='virtio' vram='16384' heads='1' primary='yes'/>\n"
                     "</video>");
  g_assert_cmpuint (vmd_device_video_get_vram (video), ==, 16384);

  vmd_device_video_set_heads (video, 2);
  assert_device_xml (video,
                     "<video>\n"
                     "  <model type='virtio' vram='16384' heads='2' primary='yes'/>\n"
                     "</video>");
  g_assert_cmpuint (vmd_device_video_get_heads (video), ==, 2);

  vmd_device_video_set_vram (video, 0);
  vmd_device_video_set_heads (video, 0);
  assert_device_xml (video,
                     "<video>\n"
                     "  <model type='virtio' primary='yes'/>\n"
                     "</video>");
  g_assert_cmpuint (vmd_device_video_get_vram (video), ==, 0);
  g_assert_cmpuint (vmd_device_video_get_heads (video), ==, 0);

  vmd_device_video_set_heads (video, 1);
  assert_device_xml (video,
                     "<video>\n"
                     "  <model type='virtio' heads='1' primary='yes'/>\n"
                     "</video>");
}

static void
test_video_flags (void)
{
  g_autoptr (VmdDeviceVideo) video = vmd_device_video_new ();

  vmd_device_video_set_accel3d (video, TRUE);
  assert_device_xml (video,
                     "<video>\n"
                     "  <model type='virtio' heads='1' primary='yes'>\n"
                     "    <acceleration accel3d='yes'/>\n"
                     "  </model>\n"
                     "</video>");
  g_assert_true (vmd_device_video_get_accel3d (video));

  vmd_device_video_set_accel3d (video, FALSE);
  assert_device_xml (video,
                     "<video>\n"
                     "  <model type='virtio' heads='1' primary='yes'/>\n"
                     "</video>");
  g_assert_false (vmd_device_video_get_accel3d (video));

  vmd_device_video_set_primary (video, FALSE);
  assert_device_xml (video,
                     "<video>\n"
                     "  <model type='virtio' heads='1'/>\n"
                     "</video>");
  g_assert_false (vmd_device_video_get_primary (video));

  vmd_device_video_set_primary (video, TRUE);
  assert_device_xml (video,
                     "<video>\n"
                     "  <model type='virtio' heads='1' primary='yes'/>\n"
                     "</video>");
  g_assert_true (vmd_device_video_get_primary (video));
}

static void
test_video_corpus (void)
{
  g_autoptr (VmdDomainConfig) heads = load_corpus ("libvirt-qemuxml2argv/video-qxl-heads.xml");
  g_autoptr (VmdDomainConfig) virgl =
    load_corpus ("libvirt-qemuxml2argv/video-virtio-gpu-virgl.xml");
  g_autoptr (VmdDomainConfig) none = load_corpus ("libvirt-qemuxml2argv/video-none-device.xml");
  g_autoptr (VmdDeviceVideo) video = NULL;

  video = nth_device (heads, VMD_TYPE_DEVICE_VIDEO, 0);
  assert_str_result (vmd_device_video_get_model (video), "qxl");
  g_assert_cmpuint (vmd_device_video_get_vram (video), ==, 32768);
  g_assert_cmpuint (vmd_device_video_get_heads (video), ==, 3);
  g_assert_false (vmd_device_video_get_primary (video));
  g_clear_object (&video);

  video = nth_device (heads, VMD_TYPE_DEVICE_VIDEO, 2);
  g_assert_cmpuint (vmd_device_video_get_vram (video), ==, 65536);
  g_assert_cmpuint (vmd_device_video_get_heads (video), ==, 1);
  g_assert_true (vmd_device_video_get_primary (video));
  g_clear_object (&video);

  video = nth_device (virgl, VMD_TYPE_DEVICE_VIDEO, 0);
  assert_str_result (vmd_device_video_get_model (video), "virtio");
  g_assert_true (vmd_device_video_get_accel3d (video));
  g_clear_object (&video);

  video = nth_device (none, VMD_TYPE_DEVICE_VIDEO, 0);
  assert_str_result (vmd_device_video_get_model (video), "none");
  g_assert_false (vmd_device_video_get_accel3d (video));
}

static void
test_video_config (void)
{
  g_autoptr (VmdDeviceVideo) video = vmd_device_video_new ();
  g_autoptr (VmdDomainConfig) heads = load_corpus ("libvirt-qemuxml2argv/video-qxl-heads.xml");
  g_autoptr (VmdDomainConfig) virgl =
    load_corpus ("libvirt-qemuxml2argv/video-virtio-gpu-virgl.xml");
  g_autoptr (VmdDeviceVideo) loaded = NULL;
  Changes changes;

  assert_alone_in_new_config (video,
                              "  <devices>\n"
                              "    <video>\n"
                              "      <model type='virtio' heads='1' primary='yes'/>\n"
                              "    </video>\n"
                              "  </devices>\n");

  /* QXL's RAM and VGA memory mean nothing to virtio. */
  loaded = nth_device (heads, VMD_TYPE_DEVICE_VIDEO, 0);
  watch_changes (heads, &changes);
  assert_changes (&changes, vmd_device_video_set_model (loaded, "virtio"));
  assert_changes (&changes, vmd_device_video_set_accel3d (loaded, TRUE));
  assert_config_contains (heads,
                          "    <video>\n"
                          "      <model type='virtio' vram='32768' heads='3'>\n"
                          "        <acceleration accel3d='yes'/>\n"
                          "      </model>\n"
                          "      <address type='pci' domain='0x0000' bus='0x00' slot='0x04' "
                          "function='0x0'/>\n"
                          "    </video>\n");
  assert_changes (&changes, vmd_device_video_set_vram (loaded, 0));
  assert_changes (&changes, vmd_device_video_set_heads (loaded, 2));
  assert_changes (&changes, vmd_device_video_set_primary (loaded, TRUE));
  assert_changes (&changes, vmd_device_video_set_accel3d (loaded, FALSE));
  assert_config_contains (heads,
                          "    <video>\n"
                          "      <model type='virtio' heads='2' primary='yes'/>\n"
                          "      <address type='pci' domain='0x0000' bus='0x00' slot='0x04' "
                          "function='0x0'/>\n"
                          "    </video>\n");
  g_clear_object (&loaded);

  loaded = nth_device (virgl, VMD_TYPE_DEVICE_VIDEO, 0);
  watch_changes (virgl, &changes);
  assert_changes (&changes, vmd_device_video_set_accel3d (loaded, FALSE));
  assert_config_contains (virgl,
                          "    <video>\n"
                          "      <model type='virtio' heads='1'/>\n"
                          "    </video>\n");
  assert_changes (&changes, vmd_device_video_set_model (loaded, NULL));
  assert_config_contains (virgl,
                          "    <video/>\n"
                          "    <memballoon model='virtio'/>\n");
}

/* ------------------------------------------------------------------ sound */

static void
test_sound (void)
{
  g_autoptr (VmdDeviceSound) sound = vmd_device_sound_new ();

  g_assert_cmpstr (vmd_device_get_kind (VMD_DEVICE (sound)), ==, "sound");
  assert_device_xml (sound, "<sound model='ich9'/>");
  assert_str_result (vmd_device_sound_get_model (sound), "ich9");

  vmd_device_sound_set_model (sound, "virtio");
  assert_device_xml (sound, "<sound model='virtio'/>");
  assert_str_result (vmd_device_sound_get_model (sound), "virtio");

  /* libvirt requires a model. */
  g_test_expect_message ("vmdesk-model", G_LOG_LEVEL_CRITICAL, "*model*");
  vmd_device_sound_set_model (sound, NULL);
  g_test_assert_expected_messages ();
  assert_device_xml (sound, "<sound model='virtio'/>");
}

static void
test_sound_corpus_config (void)
{
  g_autoptr (VmdDomainConfig) config = load_corpus ("libvirt-qemuxml2argv/sound-device.xml");
  g_autoptr (GPtrArray) sounds = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_SOUND);
  static const char *const models[] = {
    "pcspk", "es1370", "sb16", "ac97", "ich6", "ich6", "ich9", "ich9", "usb",
  };
  g_autoptr (VmdDeviceSound) sound = vmd_device_sound_new ();
  Changes changes;

  g_assert_cmpuint (sounds->len, ==, G_N_ELEMENTS (models));
  for (guint i = 0; i < sounds->len; i++)
    assert_str_result (vmd_device_sound_get_model (g_ptr_array_index (sounds, i)), models[i]);

  watch_changes (config, &changes);
  assert_changes (&changes, vmd_device_sound_set_model (g_ptr_array_index (sounds, 0), "ich9"));
  assert_config_contains (config,
                          "    <input type='keyboard' bus='ps2'/>\n"
                          "    <sound model='ich9'/>\n"
                          "    <sound model='es1370'/>\n");
  /* The codecs stay. */
  assert_changes (&changes, vmd_device_sound_set_model (g_ptr_array_index (sounds, 5), "ich9"));
  assert_config_contains (config,
                          "    <sound model='ich6'/>\n"
                          "    <sound model='ich9'>\n"
                          "      <codec type='micro'/>\n");

  assert_alone_in_new_config (sound,
                              "  <devices>\n"
                              "    <sound model='ich9'/>\n"
                              "  </devices>\n");
}

/* ------------------------------------------------------------------ input */

static void
test_input (void)
{
  g_autoptr (VmdDeviceInput) input = vmd_device_input_new ();

  g_assert_cmpstr (vmd_device_get_kind (VMD_DEVICE (input)), ==, "input");
  assert_device_xml (input, "<input type='tablet' bus='usb'/>");
  assert_str_result (vmd_device_input_get_input_type (input), "tablet");
  assert_str_result (vmd_device_input_get_bus (input), "usb");

  vmd_device_input_set_input_type (input, "keyboard");
  vmd_device_input_set_bus (input, "virtio");
  assert_device_xml (input, "<input type='keyboard' bus='virtio'/>");
  assert_str_result (vmd_device_input_get_input_type (input), "keyboard");
  assert_str_result (vmd_device_input_get_bus (input), "virtio");

  vmd_device_input_set_bus (input, NULL);
  assert_device_xml (input, "<input type='keyboard'/>");
  assert_str_result (vmd_device_input_get_bus (input), NULL);

  g_test_expect_message ("vmdesk-model", G_LOG_LEVEL_CRITICAL, "*type*");
  vmd_device_input_set_input_type (input, NULL);
  g_test_assert_expected_messages ();
  assert_device_xml (input, "<input type='keyboard'/>");
}

static void
test_input_corpus_config (void)
{
  g_autoptr (VmdDomainConfig) tablet = load_corpus ("libvirt-qemuxml2argv/input-usbtablet.xml");
  g_autoptr (VmdDomainConfig) mouse = load_corpus ("libvirt-qemuxml2argv/input-usbmouse.xml");
  g_autoptr (GPtrArray) inputs = vmd_domain_config_get_devices (tablet, VMD_TYPE_DEVICE_INPUT);
  g_autoptr (VmdDeviceInput) input = vmd_device_input_new ();
  g_autoptr (VmdDeviceInput) loaded = NULL;
  static const char *const expected[][2] = {
    { "tablet", "usb" }, { "mouse", "ps2" }, { "keyboard", "ps2" },
  };
  Changes changes;

  g_assert_cmpuint (inputs->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < inputs->len; i++)
    {
      assert_str_result (vmd_device_input_get_input_type (g_ptr_array_index (inputs, i)),
                         expected[i][0]);
      assert_str_result (vmd_device_input_get_bus (g_ptr_array_index (inputs, i)),
                         expected[i][1]);
    }

  loaded = nth_device (mouse, VMD_TYPE_DEVICE_INPUT, 0);
  assert_str_result (vmd_device_input_get_input_type (loaded), "mouse");
  assert_str_result (vmd_device_input_get_bus (loaded), "usb");

  watch_changes (mouse, &changes);
  assert_changes (&changes, vmd_device_input_set_input_type (loaded, "tablet"));
  assert_changes (&changes, vmd_device_input_set_bus (loaded, "virtio"));
  assert_config_contains (mouse, "    <input type='tablet' bus='virtio'/>\n");
  assert_changes (&changes, vmd_device_input_set_bus (loaded, NULL));
  assert_config_contains (mouse, "    <input type='tablet'/>\n");

  assert_alone_in_new_config (input,
                              "  <devices>\n"
                              "    <input type='tablet' bus='usb'/>\n"
                              "  </devices>\n");
}

/* ----------------------------------------------------------------- schema */

static void
assert_valid (VmdDomainConfig *config)
{
  g_autofree char *dir = corpus_dir ();
  g_autofree char *schema = g_build_filename (dir, "libvirt-schemas", "domain.rng", NULL);
  g_autoptr (GError) error = NULL;

  /* libvirt 10.7's schema from the corpus, then the installed one. */
  if (!vmd_domain_config_validate_schema (config, schema, &error) ||
      !vmd_domain_config_validate_schema (config, NULL, &error))
    {
      g_autofree char *xml = vmd_domain_config_to_xml (config);
      g_test_message ("%s", xml);
    }
  g_assert_no_error (error);
  g_assert_true (vmd_domain_config_validate (config, &error));
  g_assert_no_error (error);
}

/* What the constructors and setters write is what libvirt's schema allows. */
static void
test_schema (void)
{
  g_autoptr (VmdDomainConfig) config = vmd_domain_config_new ("t");
  g_autoptr (VmdDomainConfig) other = vmd_domain_config_new ("u");
  g_autoptr (VmdDeviceInterface) nic = vmd_device_interface_new ();
  g_autoptr (VmdDeviceInterface) bridge = vmd_device_interface_new ();
  g_autoptr (VmdDeviceGraphics) vnc = vmd_device_graphics_new ();
  g_autoptr (VmdDeviceGraphics) spice = vmd_device_graphics_new ();
  g_autoptr (VmdDeviceVideo) video = vmd_device_video_new ();
  g_autoptr (VmdDeviceVideo) qxl = vmd_device_video_new ();
  g_autoptr (VmdDeviceSound) sound = vmd_device_sound_new ();
  g_autoptr (VmdDeviceInput) input = vmd_device_input_new ();
  g_autoptr (VmdDeviceInput) keyboard = vmd_device_input_new ();

  vmd_domain_config_add_device (config, VMD_DEVICE (nic));
  vmd_domain_config_add_device (config, VMD_DEVICE (vnc));
  vmd_domain_config_add_device (config, VMD_DEVICE (video));
  vmd_domain_config_add_device (config, VMD_DEVICE (sound));
  vmd_domain_config_add_device (config, VMD_DEVICE (input));
  assert_valid (config);

  vmd_device_interface_add_port_forward (nic, "tcp", 2222, 22);
  vmd_device_interface_add_port_forward (nic, "udp", 5353, 0);
  vmd_device_interface_set_link_up (nic, FALSE);
  vmd_device_graphics_set_listen_address (vnc, "127.0.0.1");
  vmd_device_graphics_set_port (vnc, 5900);
  vmd_device_graphics_set_keymap (vnc, "en-us");
  vmd_device_graphics_set_password (vnc, "secret");
  vmd_device_video_set_accel3d (video, TRUE);
  vmd_device_video_set_vram (video, 65536);
  assert_valid (config);

  vmd_device_interface_set_interface_type (bridge, "bridge");
  vmd_device_interface_set_source (bridge, "br0");
  vmd_device_interface_set_model (bridge, "e1000e");
  vmd_device_graphics_set_graphics_type (spice, "spice");
  vmd_device_graphics_set_listen_socket (spice, "/run/vm/spice.sock");
  vmd_device_video_set_model (qxl, "qxl");
  vmd_device_input_set_input_type (keyboard, "keyboard");
  vmd_device_input_set_bus (keyboard, "virtio");
  vmd_domain_config_add_device (other, VMD_DEVICE (bridge));
  vmd_domain_config_add_device (other, VMD_DEVICE (spice));
  vmd_domain_config_add_device (other, VMD_DEVICE (qxl));
  vmd_domain_config_add_device (other, VMD_DEVICE (keyboard));
  assert_valid (other);

  vmd_device_graphics_set_listen_address (spice, NULL);
  vmd_device_graphics_set_tls_port (spice, 5901);
  vmd_device_graphics_set_port (spice, 5900);
  assert_valid (other);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/devices-a/interface/new", test_interface_new);
  g_test_add_func ("/devices-a/interface/type-source", test_interface_type_source);
  g_test_add_func ("/devices-a/interface/model-mac-link", test_interface_model_mac_link);
  g_test_add_func ("/devices-a/interface/port-forwards", test_interface_port_forwards);
  g_test_add_func ("/devices-a/interface/port-forwards-corpus", test_interface_port_forwards_corpus);
  g_test_add_func ("/devices-a/interface/mac-generation", test_interface_mac_generation);
  g_test_add_func ("/devices-a/interface/corpus", test_interface_corpus);
  g_test_add_func ("/devices-a/interface/config", test_interface_config);

  g_test_add_func ("/devices-a/graphics/new", test_graphics_new);
  g_test_add_func ("/devices-a/graphics/listen", test_graphics_listen);
  g_test_add_func ("/devices-a/graphics/ports", test_graphics_ports);
  g_test_add_func ("/devices-a/graphics/password-keymap", test_graphics_password_keymap);
  g_test_add_func ("/devices-a/graphics/corpus", test_graphics_corpus);
  g_test_add_func ("/devices-a/graphics/config", test_graphics_config);

  g_test_add_func ("/devices-a/video/new", test_video_new);
  g_test_add_func ("/devices-a/video/model", test_video_model);
  g_test_add_func ("/devices-a/video/sizes", test_video_sizes);
  g_test_add_func ("/devices-a/video/flags", test_video_flags);
  g_test_add_func ("/devices-a/video/corpus", test_video_corpus);
  g_test_add_func ("/devices-a/video/config", test_video_config);

  g_test_add_func ("/devices-a/sound/model", test_sound);
  g_test_add_func ("/devices-a/sound/corpus-config", test_sound_corpus_config);

  g_test_add_func ("/devices-a/input/type-bus", test_input);
  g_test_add_func ("/devices-a/input/corpus-config", test_input_corpus_config);

  g_test_add_func ("/devices-a/schema", test_schema);

  return g_test_run ();
}
