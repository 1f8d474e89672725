/* vmd-cli-host.c: what this computer offers virtual machines
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-cli"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "vmd-cli-private.h"
#include "vmd-kvm-probe.h"

static char *
cpu_model (void)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/cpuinfo", &text, NULL, NULL) ||
      (line = strstr (text, "model name")) == NULL || (line = strchr (line, ':')) == NULL)
    return g_strdup (_("unknown"));
  return g_strstrip (g_strndup (line + 1, strcspn (line + 1, "\n")));
}

static guint64
memory_kib (void)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/meminfo", &text, NULL, NULL) ||
      (line = strstr (text, "MemTotal:")) == NULL)
    return 0;
  return g_ascii_strtoull (line + strlen ("MemTotal:"), NULL, 10);
}

int
cli_nodeinfo (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autofree char *model = cpu_model ();
  g_autofree char *memory = vmd_size_format (memory_kib ());
  g_autofree char *message = NULL;
  VmdKvmStatus status;

  vmd_kvm_probe_async (NULL, NULL, cli_opt ("force"), NULL, cli_store_result, &result);
  status = vmd_kvm_probe_finish (cli_wait (&result), &message, &error);
  if (error != NULL)
    return cli_fail (error);

  printf ("%-20s%s\n", "CPU model:", model);
  printf ("%-20s%u\n", "CPU(s):", g_get_num_processors ());
  printf ("%-20s%s\n", "Memory size:", memory);
  printf ("%-20s%s\n", "KVM:", vmd_kvm_status_to_string (status));
  printf ("%-20s%s\n", "New VMs run with:",
          g_str_equal (vmd_kvm_status_to_domain_type (status), "kvm") ? "KVM" : "TCG (software)");
  if (message != NULL && *message != '\0')
    printf ("%s\n", message);
  return 0;
}
