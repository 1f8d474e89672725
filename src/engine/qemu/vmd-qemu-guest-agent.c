/* vmd-qemu-guest-agent.c: asking the guest agent (qemu-ga) for the guest's
 * network interfaces
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The agent's channel (<channel type='unix'> named org.qemu.guest_agent.0)
 * is a socket in the VM's runtime folder, like the serial consoles. The
 * agent speaks one JSON object per line; a guest-sync with a fresh id
 * first skips whatever an earlier client left unread. Every exchange
 * gives up after a few seconds: an agent that is not running in the
 * guest never answers.
 */
#define G_LOG_DOMAIN "vmdesk-engine"

#include <gio/gunixsocketaddress.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "vmd-device-types.h"
#include "vmd-qemu-argv.h"
#include "vmd-qemu-domain-private.h"

#define AGENT_CHANNEL "org.qemu.guest_agent.0"
#define AGENT_TIMEOUT 5   /* s */

typedef struct {
  GSocketConnection *connection;
  GDataInputStream  *input;
  gint64             sync_id;
  gboolean           synced;
  GCancellable      *cancel;     /* the caller's, or the timeout's */
  gulong             cancel_handler;
  GCancellable      *caller_cancel;
  guint              timeout;
} AgentData;

static void
agent_data_free (AgentData *data)
{
  if (data->caller_cancel != NULL && data->cancel_handler != 0)
    g_cancellable_disconnect (data->caller_cancel, data->cancel_handler);
  g_clear_object (&data->caller_cancel);
  g_clear_handle_id (&data->timeout, g_source_remove);
  if (data->connection != NULL)
    g_io_stream_close (G_IO_STREAM (data->connection), NULL, NULL);
  g_clear_object (&data->input);
  g_clear_object (&data->connection);
  g_clear_object (&data->cancel);
  g_free (data);
}

static gboolean
agent_timed_out (gpointer user_data)
{
  AgentData *data = user_data;

  data->timeout = 0;
  g_cancellable_cancel (data->cancel);
  return G_SOURCE_REMOVE;
}

static void
fail (GTask *task, GError *error)
{
  AgentData *data = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      (data->caller_cancel == NULL || !g_cancellable_is_cancelled (data->caller_cancel)))
    {
      g_error_free (error);
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_TIMED_OUT,
                               _("The guest agent did not answer within %d seconds; is it running in the guest?"),
                               AGENT_TIMEOUT);
      return;
    }
  g_task_return_error (task, error);
}

static GPtrArray *
parse_interfaces (JsonNode *ret)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_guest_interface_free);
  JsonArray *array = JSON_NODE_HOLDS_ARRAY (ret) ? json_node_get_array (ret) : NULL;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      VmdGuestInterface *iface;
      JsonArray *addrs;
      GPtrArray *list = g_ptr_array_new ();

      if (o == NULL)
        {
          g_ptr_array_unref (list);
          continue;
        }
      iface = g_new0 (VmdGuestInterface, 1);
      iface->name = g_strdup (json_object_get_string_member_with_default (o, "name", NULL));
      iface->mac = g_ascii_strdown (json_object_get_string_member_with_default (o, "hardware-address", ""), -1);
      if (iface->mac[0] == '\0')
        g_clear_pointer (&iface->mac, g_free);
      addrs = json_object_has_member (o, "ip-addresses")
                ? json_object_get_array_member (o, "ip-addresses") : NULL;
      for (guint j = 0; addrs != NULL && j < json_array_get_length (addrs); j++)
        {
          JsonObject *a = json_array_get_object_element (addrs, j);
          const char *ip = a ? json_object_get_string_member_with_default (a, "ip-address", NULL)
                             : NULL;

          if (ip != NULL)
            g_ptr_array_add (list, g_strdup_printf ("%s/%" G_GINT64_FORMAT, ip,
                                                    json_object_get_int_member_with_default (a, "prefix", 0)));
        }
      g_ptr_array_add (list, NULL);
      iface->addresses = (GStrv) g_ptr_array_free (list, FALSE);
      g_ptr_array_add (out, iface);
    }
  return out;
}

static void read_reply (GTask *task);

static void
line_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  AgentData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                   result, NULL, &error);
  g_autoptr (JsonNode) node = NULL;
  JsonObject *object;
  JsonNode *ret;

  if (line == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED,
                                     _("The guest agent's channel closed."));
      fail (task, g_steal_pointer (&error));
      return;
    }
  /* Skip the 0xff sync marks an agent may send, and blank lines. */
  g_strstrip (line);
  node = line[0] ? json_from_string (line, NULL) : NULL;
  object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  if (object == NULL)
    {
      read_reply (g_steal_pointer (&task));
      return;
    }
  if (json_object_has_member (object, "error"))
    {
      JsonObject *e = json_object_get_object_member (object, "error");
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("The guest agent refused: %s"),
                               e ? json_object_get_string_member_with_default (e, "desc", "") : "");
      return;
    }
  ret = json_object_get_member (object, "return");
  if (!data->synced)
    {
      /* Until our id comes back, the lines are an earlier client's. */
      if (ret != NULL && JSON_NODE_HOLDS_VALUE (ret) && json_node_get_int (ret) == data->sync_id)
        {
          GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (data->connection));
          const char *request = "{\"execute\":\"guest-network-get-interfaces\"}\n";

          data->synced = TRUE;
          if (!g_output_stream_write_all (out, request, strlen (request), NULL, data->cancel,
                                          &error))
            {
              fail (task, g_steal_pointer (&error));
              return;
            }
        }
      read_reply (g_steal_pointer (&task));
      return;
    }
  if (ret == NULL)
    {
      read_reply (g_steal_pointer (&task));
      return;
    }
  g_task_return_pointer (task, parse_interfaces (ret), (GDestroyNotify) g_ptr_array_unref);
}

static void
read_reply (GTask *task)
{
  AgentData *data = g_task_get_task_data (task);

  g_data_input_stream_read_line_async (data->input, G_PRIORITY_DEFAULT, data->cancel, line_read,
                                       task);
}

static void
connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  AgentData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autofree char *request = NULL;
  GOutputStream *out;

  data->connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (data->connection == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  data->input = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (data->connection)));
  data->sync_id = g_random_int_range (1, G_MAXINT32);
  request = g_strdup_printf ("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":%" G_GINT64_FORMAT "}}\n",
                             data->sync_id);
  out = g_io_stream_get_output_stream (G_IO_STREAM (data->connection));
  /* A few bytes into a local socket: this does not block. */
  if (!g_output_stream_write_all (out, request, strlen (request), NULL, data->cancel, &error))
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  read_reply (g_steal_pointer (&task));
}

static void
caller_cancelled (GCancellable *cancellable, gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static VmdDevice *
agent_channel (VmdDomainConfig *config)
{
  g_autoptr (GPtrArray) channels = vmd_domain_config_get_devices_of_kind (config, "channel");

  for (guint i = 0; i < channels->len; i++)
    {
      VmdDeviceChardev *channel = g_ptr_array_index (channels, i);
      g_autofree char *name = vmd_device_chardev_get_target_name (channel);

      if (g_strcmp0 (name, AGENT_CHANNEL) == 0)
        return g_object_ref (VMD_DEVICE (channel));
    }
  return NULL;
}

void
_vmd_qemu_domain_get_guest_interfaces_async (VmdDomain           *domain,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  VmdQemuDomain *self = VMD_QEMU_DOMAIN (domain);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (VmdDevice) channel = NULL;
  g_autoptr (GSocketClient) client = NULL;
  g_autoptr (GSocketAddress) address = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  VmdQemuArgvOptions options = { 0 };
  AgentData *data;

  g_task_set_source_tag (task, _vmd_qemu_domain_get_guest_interfaces_async);
  if (!_vmd_qemu_domain_check_running (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  channel = agent_channel (vmd_domain_get_config (domain));
  options.runtime_dir = self->runtime_dir;
  path = channel ? vmd_qemu_argv_chardev_socket (&options, channel) : NULL;
  if (path == NULL)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_UNSUPPORTED,
                               _("The virtual machine has no guest agent channel (a unix channel named %s)."),
                               AGENT_CHANNEL);
      return;
    }

  data = g_new0 (AgentData, 1);
  data->cancel = g_cancellable_new ();
  if (cancellable != NULL)
    {
      data->caller_cancel = g_object_ref (cancellable);
      data->cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled),
                                                    g_object_ref (data->cancel), g_object_unref);
    }
  data->timeout = g_timeout_add_seconds (AGENT_TIMEOUT, agent_timed_out, data);
  g_task_set_task_data (task, data, (GDestroyNotify) agent_data_free);

  client = g_socket_client_new ();
  address = g_unix_socket_address_new (path);
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (address), data->cancel, connected,
                                 g_object_ref (task));
}
