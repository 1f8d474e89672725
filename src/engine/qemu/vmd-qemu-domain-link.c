/* vmd-qemu-domain-link.c: a NIC's link up or down (QMP set_link)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Like a media change, the new state goes live when QEMU runs and into
 * the persistent definition (<link state='down'/>) in the same step.
 */
#define G_LOG_DOMAIN "vmdesk-engine"

#include <glib/gi18n-lib.h>

#include "vmd-device-types.h"
#include "vmd-qemu-argv.h"
#include "vmd-qemu-domain-private.h"

static VmdDeviceInterface *
find_nic (VmdDomainConfig *config, const char *mac)
{
  g_autoptr (GPtrArray) nics = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_INTERFACE);

  for (guint i = 0; i < nics->len; i++)
    {
      VmdDeviceInterface *nic = g_ptr_array_index (nics, i);
      g_autofree char *other = vmd_device_interface_get_mac (nic);

      if (other != NULL && g_ascii_strcasecmp (other, mac) == 0)
        return g_object_ref (nic);
    }
  return NULL;
}

static void
link_set_live (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result,
                                                              &error);

  if (error != NULL)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("The network link could not be changed: %s"), error->message);
      return;
    }
  _vmd_qemu_domain_save_then_return (task, g_task_get_task_data (task));
}

/**
 * _vmd_qemu_domain_set_link_async:
 * @mac: the MAC address of the NIC, as in the definition
 * @up: %TRUE to connect the cable, %FALSE to pull it
 */
void
_vmd_qemu_domain_set_link_async (VmdDomain           *domain,
                                 const char          *mac,
                                 gboolean             up,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  VmdQemuDomain *self = VMD_QEMU_DOMAIN (domain);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (VmdDeviceInterface) running = NULL;
  g_autoptr (VmdDeviceInterface) persistent = NULL;
  g_autoptr (VmdDomainConfig) config = NULL;
  g_autoptr (JsonNode) args = NULL;
  g_autofree char *id = NULL;
  JsonObject *object;

  g_task_set_source_tag (task, _vmd_qemu_domain_set_link_async);

  running = mac ? find_nic (vmd_domain_get_config (domain), mac) : NULL;
  if (running == NULL)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_NOT_FOUND,
                               _("The virtual machine has no network card with the MAC address %s."),
                               mac ? mac : "");
      return;
    }
  config = vmd_domain_config_copy (vmd_domain_get_config (domain));
  persistent = find_nic (config, mac);
  vmd_device_interface_set_link_up (persistent, up);
  g_task_set_task_data (task, g_steal_pointer (&config), g_object_unref);

  if (self->qmp == NULL)
    {
      _vmd_qemu_domain_save_then_return (task, g_task_get_task_data (task));
      return;
    }

  id = vmd_qemu_argv_device_id (VMD_DEVICE (running));
  args = json_node_init_object (json_node_alloc (), json_object_new ());
  object = json_node_get_object (args);
  json_object_set_string_member (object, "name", id);
  json_object_set_boolean_member (object, "up", up);
  vmd_qmp_client_execute_async (self->qmp, "set_link", args, cancellable, link_set_live,
                                g_object_ref (task));
}
