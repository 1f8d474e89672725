/* vmd-qemu-domain-devices.c: removable media and devices added or removed
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A change is made live when the VM runs and QEMU can make it, and is
 * always written to the persistent definition in the same step, so the
 * next start has it too.
 */
#define G_LOG_DOMAIN "vmdesk-engine"

#include <glib/gi18n-lib.h>

#include "vmd-device-types.h"
#include "vmd-qemu-argv.h"
#include "vmd-qemu-domain-private.h"
#include "vmd-qemu-hotplug.h"

static VmdDeviceDisk *
find_disk (VmdDomainConfig *config, const char *target)
{
  g_autoptr (GPtrArray) disks = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_DISK);

  for (guint i = 0; i < disks->len; i++)
    {
      VmdDeviceDisk *disk = g_ptr_array_index (disks, i);
      g_autofree char *dev = vmd_device_disk_get_target_dev (disk);

      if (g_strcmp0 (dev, target) == 0)
        return g_object_ref (disk);
    }
  return NULL;
}

static void
config_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  if (!vmd_domain_set_config_finish (VMD_DOMAIN (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
_vmd_qemu_domain_save_then_return (GTask *task, VmdDomainConfig *config)
{
  vmd_domain_set_config_async (g_task_get_source_object (task), config,
                               g_task_get_cancellable (task), config_saved, g_object_ref (task));
}

typedef struct {
  char            *target;
  char            *path;
  VmdDomainConfig *config;   /* the new persistent definition */
} MediaData;

static void
media_data_free (MediaData *data)
{
  g_free (data->target);
  g_free (data->path);
  g_clear_object (&data->config);
  g_free (data);
}

static void
save_media (GTask *task)
{
  MediaData *data = g_task_get_task_data (task);

  _vmd_qemu_domain_save_then_return (task, data->config);
}

static void
media_changed_live (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  MediaData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result,
                                                              &error);

  if (error != NULL)
    {
      if (data->path != NULL)
        g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                                 _("The medium %s could not be inserted: %s"), data->path,
                                 error->message);
      else
        g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                                 _("The medium could not be ejected: %s"), error->message);
      return;
    }
  save_media (task);
}

static const char *
guess_format (const char *path)
{
  return g_str_has_suffix (path, ".qcow2") ? "qcow2" : "raw";
}

/**
 * _vmd_qemu_domain_change_media_async:
 * @target: the drive's target, such as "sda" or "hdc"
 * @path: (nullable): the new medium; %NULL ejects
 */
void
_vmd_qemu_domain_change_media_async (VmdDomain           *domain,
                                     const char          *target,
                                     const char          *path,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  VmdQemuDomain *self = VMD_QEMU_DOMAIN (domain);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (VmdDeviceDisk) running = find_disk (vmd_domain_get_config (domain), target);
  g_autoptr (VmdDeviceDisk) persistent = NULL;
  g_autoptr (JsonBuilder) args = json_builder_new ();
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *id = NULL;
  MediaData *data;

  g_task_set_source_tag (task, _vmd_qemu_domain_change_media_async);

  if (running == NULL)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_NOT_FOUND,
                               _("The virtual machine has no drive %s."), target);
      return;
    }
  if (!vmd_device_disk_is_removable (running))
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_UNSUPPORTED,
                               _("The drive %s is a disk; only CD-ROM and floppy drives take other media."),
                               target);
      return;
    }

  data = g_new0 (MediaData, 1);
  data->target = g_strdup (target);
  data->path = path ? g_canonicalize_filename (path, NULL) : NULL;
  data->config = vmd_domain_config_copy (vmd_domain_get_config (domain));
  persistent = find_disk (data->config, target);
  vmd_device_disk_set_source (persistent, data->path);
  if (data->path != NULL)
    vmd_device_disk_set_format (persistent, guess_format (data->path));
  g_task_set_task_data (task, data, (GDestroyNotify) media_data_free);

  if (self->qmp == NULL)
    {
      save_media (task);
      return;
    }

  id = vmd_qemu_argv_device_id (VMD_DEVICE (running));
  json_builder_begin_object (args);
  json_builder_set_member_name (args, "id");
  json_builder_add_string_value (args, id);
  if (data->path != NULL)
    {
      json_builder_set_member_name (args, "filename");
      json_builder_add_string_value (args, data->path);
      json_builder_set_member_name (args, "format");
      json_builder_add_string_value (args, guess_format (data->path));
      json_builder_set_member_name (args, "read-only-mode");
      json_builder_add_string_value (args, "read-only");
    }
  else
    {
      json_builder_set_member_name (args, "force");
      json_builder_add_boolean_value (args, TRUE);
    }
  json_builder_end_object (args);
  node = json_builder_get_root (args);
  vmd_qmp_client_execute_async (self->qmp, data->path ? "blockdev-change-medium" : "eject", node,
                                cancellable, media_changed_live, g_object_ref (task));
}

/* ------------------------------------------------------------ hot-plug */

typedef struct {
  GPtrArray       *commands;     /* name, JsonNode, name, JsonNode, … */
  guint            next;
  VmdDomainConfig *config;       /* the definition once done */
  char            *device_id;
  gulong           handler;
  guint            timeout;
} PlugData;

static void
plug_data_free (PlugData *data)
{
  if (data->commands != NULL)
    {
      for (guint i = 0; i + 1 < data->commands->len; i += 2)
        {
          g_free (g_ptr_array_index (data->commands, i));
          json_node_unref (g_ptr_array_index (data->commands, i + 1));
        }
      g_ptr_array_unref (data->commands);
    }
  g_clear_object (&data->config);
  g_free (data->device_id);
  g_clear_handle_id (&data->timeout, g_source_remove);
  g_free (data);
}

static void
plug_save (GTask *task)
{
  PlugData *data = g_task_get_task_data (task);

  _vmd_qemu_domain_save_then_return (task, data->config);
}

static void run_next (GTask *task);

static void
command_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result,
                                                              &error);

  if (error != NULL)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("QEMU could not change the device: %s"), error->message);
      return;
    }
  run_next (task);
}

/* Runs the remaining commands in order, then saves the definition. */
static void
run_next (GTask *task)
{
  VmdQemuDomain *self = g_task_get_source_object (task);
  PlugData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  const char *command;
  JsonNode *args;

  if (data->next + 1 >= data->commands->len)
    {
      plug_save (task);
      return;
    }
  if (!_vmd_qemu_domain_check_running (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  command = g_ptr_array_index (data->commands, data->next);
  args = g_ptr_array_index (data->commands, data->next + 1);
  data->next += 2;
  vmd_qmp_client_execute_async (self->qmp, command, args, g_task_get_cancellable (task),
                                command_done, g_object_ref (task));
}

static VmdDomainConfig *
config_with_device (VmdDomain *domain, VmdDevice *device, GError **error)
{
  g_autoptr (VmdDomainConfig) config = vmd_domain_config_copy (vmd_domain_get_config (domain));
  g_autofree char *xml = vmd_device_to_xml (device);
  g_autoptr (VmdDevice) copy = vmd_device_new_from_xml (xml, -1, error);

  if (copy == NULL)
    return NULL;
  vmd_domain_config_add_device (config, copy);
  return g_steal_pointer (&config);
}

/**
 * _vmd_qemu_domain_attach_device_async:
 *
 * Adds @device (a copy of it) to the definition and, while the VM runs, to
 * the VM itself.
 */
void
_vmd_qemu_domain_attach_device_async (VmdDomain           *domain,
                                      VmdDevice           *device,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  VmdQemuDomain *self = VMD_QEMU_DOMAIN (domain);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GError) error = NULL;
  PlugData *data = g_new0 (PlugData, 1);

  g_task_set_source_tag (task, _vmd_qemu_domain_attach_device_async);
  g_task_set_task_data (task, data, (GDestroyNotify) plug_data_free);

  if (self->qmp == NULL)
    {
      data->config = config_with_device (domain, device, &error);
      if (data->config == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        plug_save (task);
      return;
    }
  if (!_vmd_qemu_hotplug_plan_attach (self, device, &data->config, &data->commands, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  run_next (task);
}

static void
device_gone (GTask *task)
{
  PlugData *data = g_task_get_task_data (task);
  VmdQemuDomain *self = g_task_get_source_object (task);

  g_clear_handle_id (&data->timeout, g_source_remove);
  if (data->handler != 0 && self->qmp != NULL)
    g_signal_handler_disconnect (self->qmp, data->handler);
  data->handler = 0;
  run_next (task);
  g_object_unref (task);  /* the reference the event handler held */
}

static void
on_device_deleted (VmdQmpClient *qmp,
                   const char   *name,
                   JsonObject   *event,
                   gint64        timestamp,
                   gpointer      user_data)
{
  GTask *task = user_data;
  PlugData *data = g_task_get_task_data (task);

  if (event == NULL ||
      g_strcmp0 (json_object_get_string_member_with_default (event, "device", NULL),
                 data->device_id) != 0)
    return;
  device_gone (task);
}

static gboolean
unplug_timed_out (gpointer user_data)
{
  GTask *task = user_data;
  PlugData *data = g_task_get_task_data (task);
  VmdQemuDomain *self = g_task_get_source_object (task);

  data->timeout = 0;
  if (data->handler != 0 && self->qmp != NULL)
    g_signal_handler_disconnect (self->qmp, data->handler);
  data->handler = 0;
  g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_TIMED_OUT,
                           _("The guest did not release the device within 20 seconds; it stays until the guest lets it go or the VM shuts down."));
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
device_del_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  PlugData *data = g_task_get_task_data (task);
  VmdQemuDomain *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result,
                                                              &error);

  if (error != NULL)
    {
      if (data->handler != 0 && self->qmp != NULL)
        g_signal_handler_disconnect (self->qmp, data->handler);
      data->handler = 0;
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("QEMU could not remove the device: %s"), error->message);
      g_object_unref (task);  /* the event handler's reference */
      return;
    }
  /* Removal completes when the guest has let go: DEVICE_DELETED. */
  data->timeout = g_timeout_add_seconds (20, unplug_timed_out, task);
}

void
_vmd_qemu_domain_detach_device_async (VmdDomain           *domain,
                                      VmdDevice           *device,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  VmdQemuDomain *self = VMD_QEMU_DOMAIN (domain);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) args = NULL;
  PlugData *data = g_new0 (PlugData, 1);

  g_task_set_source_tag (task, _vmd_qemu_domain_detach_device_async);
  g_task_set_task_data (task, data, (GDestroyNotify) plug_data_free);

  if (vmd_device_get_config (device) != vmd_domain_get_config (domain))
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_NOT_FOUND,
                               _("The device is not part of this virtual machine."));
      return;
    }
  if (!_vmd_qemu_hotplug_plan_detach (self, device, &data->config, &data->device_id,
                                      &data->commands, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->qmp == NULL)
    {
      plug_save (task);
      return;
    }

  args = json_node_init_object (json_node_alloc (), json_object_new ());
  json_object_set_string_member (json_node_get_object (args), "id", data->device_id);
  data->handler = g_signal_connect (self->qmp, "event::DEVICE_DELETED",
                                    G_CALLBACK (on_device_deleted), g_object_ref (task));
  vmd_qmp_client_execute_async (self->qmp, "device_del", args, cancellable, device_del_done,
                                g_object_ref (task));
}
