/* test-engine-link.c: a NIC's link up and down (vmd_domain_set_link_async)
 * on the embedded engine, seen by the test guest
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * On a shut-off VM the change goes into the definition and the next start
 * brings the NIC up without a carrier; on a running VM QEMU's set_link
 * makes the guest's carrier follow, and the definition keeps it.
 */
#define G_LOG_DOMAIN "test-engine-link"

#include "engine-fixture.h"

#define MAC "52:54:00:12:34:56"
#define NIC_XML "<interface type='user'><mac address='" MAC "'/><model type='virtio'/></interface>"

static void
expect_carrier (Serial *s, const char *value)
{
  g_autofree char *expect = g_strdup_printf ("CARRIER=%s", value);

  serial_cmd (s, "echo CARRIER=$(cat /sys/class/net/eth0/carrier)", expect, CMD_TIMEOUT);
}

static gboolean
definition_has_link_down (Fixture *f, VmdDomain *d)
{
  g_autofree char *text = read_file (vmd_qemu_domain_get_definition_path (VMD_QEMU_DOMAIN (d)));

  return strstr (text, "<link state='down'/>") != NULL;
}

static void
case_link (Fixture *f)
{
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "vm-link", NIC_XML);
  g_autoptr (GError) error = NULL;
  Serial *s;

  /* Shut off: only the definition. */
  DOM_OK (d, set_link, MAC, FALSE);
  CHECK (definition_has_link_down (f, d), "the definition does not keep the link down");
  step (f, "shut off: the definition has <link state='down'/>");

  s = boot (f, d, "VMDESK-GUEST-READY");
  serial_cmd (s, "ip link set eth0 up; echo NICS=$(ls /sys/class/net)", "NICS=eth0", CMD_TIMEOUT);
  spin_for (500);
  expect_carrier (s, "0");
  step (f, "started with the link down: the guest's carrier is 0");

  DOM_OK (d, set_link, MAC, TRUE);
  expect_carrier (s, "1");
  CHECK (!definition_has_link_down (f, d), "the definition keeps the link down after up");
  step (f, "up live: carrier 1, the definition has no <link/>");

  DOM_OK (d, set_link, "52:54:00:12:34:56", FALSE);
  expect_carrier (s, "0");
  CHECK (definition_has_link_down (f, d), "the definition does not keep the link down");
  step (f, "down live: carrier 0, the definition has <link state='down'/>");

  error = DOM_CALL (d, set_link, "52:54:00:00:00:99", TRUE);
  CHECK (g_error_matches (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_NOT_FOUND),
         "a MAC the VM does not have gave %s", error ? error->message : "no error");
  step (f, "an unknown MAC: %s", error->message);

  serial_close (f, s);
  DOM_OK (d, destroy);
}

static const EngineCase cases[] = {
  { "link", case_link, 240 },
};

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  return engine_test_main (argc, argv, "/engine", cases, G_N_ELEMENTS (cases));
}
