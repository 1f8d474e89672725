/* vmd-qemu-domain-snapshots.c: internal snapshots of qcow2 VMs
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A running VM is snapshotted by QEMU (snapshot-save/-load/-delete jobs,
 * RAM state included); a shut-off one by qemu-img on each image. What the
 * user named and described, when and in which state, and which snapshot
 * came from which, is kept in DATA_DIR/snapshots/UUID.json.
 */
#define G_LOG_DOMAIN "vmdesk-engine"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "vmd-device-types.h"
#include "vmd-qemu-domain-private.h"

/* ------------------------------------------------------------- metadata */

static VmdDomainState
state_from_string (const char *text)
{
  if (g_strcmp0 (text, "running") == 0)
    return VMD_DOMAIN_STATE_RUNNING;
  if (g_strcmp0 (text, "paused") == 0)
    return VMD_DOMAIN_STATE_PAUSED;
  return VMD_DOMAIN_STATE_SHUTOFF;
}

static const char *
state_to_string (VmdDomainState state)
{
  switch (state)
    {
    case VMD_DOMAIN_STATE_RUNNING: return "running";
    case VMD_DOMAIN_STATE_PAUSED: return "paused";
    default: return "shutoff";
    }
}

/* Reads the metadata kept for @self; called from the open thread's result. */
void
_vmd_qemu_domain_load_snapshots (VmdQemuDomain *self, const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *list;
  const char *current;

  g_ptr_array_set_size (self->snapshots, 0);
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;

  root = json_node_get_object (json_parser_get_root (parser));
  current = json_object_get_string_member_with_default (root, "current", NULL);
  list = json_object_has_member (root, "snapshots") ? json_object_get_array_member (root, "snapshots")
                                                     : NULL;
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonObject *item = json_array_get_object_element (list, i);
      g_autoptr (GDateTime) created = NULL;
      VmdSnapshot *snapshot;
      const char *name;

      if (item == NULL || (name = json_object_get_string_member_with_default (item, "name", NULL)) == NULL)
        continue;
      created = g_date_time_new_from_unix_utc (json_object_get_int_member_with_default (item, "created", 0));
      snapshot = vmd_snapshot_new (name,
                                   json_object_get_string_member_with_default (item, "description", NULL),
                                   created,
                                   state_from_string (json_object_get_string_member_with_default (item, "state", NULL)),
                                   json_object_get_string_member_with_default (item, "parent", NULL));
      vmd_snapshot_set_current (snapshot, g_strcmp0 (current, name) == 0);
      g_ptr_array_add (self->snapshots, snapshot);
    }
}

static char *
snapshots_to_json (VmdQemuDomain *self)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  const char *current = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "snapshots");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->snapshots->len; i++)
    {
      VmdSnapshot *snapshot = g_ptr_array_index (self->snapshots, i);
      GDateTime *created = vmd_snapshot_get_created (snapshot);

      if (vmd_snapshot_is_current (snapshot))
        current = vmd_snapshot_get_name (snapshot);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, vmd_snapshot_get_name (snapshot));
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, vmd_snapshot_get_description (snapshot));
      json_builder_set_member_name (builder, "created");
      json_builder_add_int_value (builder, created ? g_date_time_to_unix (created) : 0);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, state_to_string (vmd_snapshot_get_state (snapshot)));
      json_builder_set_member_name (builder, "parent");
      json_builder_add_string_value (builder, vmd_snapshot_get_parent (snapshot));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "current");
  json_builder_add_string_value (builder, current);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, TRUE);
}

static void
write_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  char **pair = task_data;  /* path, text */
  g_autofree char *dir = g_path_get_dirname (pair[0]);
  g_autoptr (GError) error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents_full (pair[0], pair[1], -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &error))
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("The list of snapshots could not be saved: %s"),
                               error ? error->message : g_strerror (errno));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
metadata_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    {
      vmd_domain_emit_event (VMD_DOMAIN (g_task_get_source_object (task)), "snapshots-changed",
                             NULL);
      g_task_return_boolean (task, TRUE);
    }
}

/* Saves the metadata, then completes @task. */
static void
save_metadata (VmdQemuDomain *self, GTask *task)
{
  g_autoptr (GTask) work = g_task_new (self, NULL, metadata_written, g_object_ref (task));
  char **pair = g_new0 (char *, 3);

  pair[0] = _vmd_qemu_domain_data_path (self, "snapshots", ".json");
  pair[1] = snapshots_to_json (self);
  g_task_set_task_data (work, pair, (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (work, write_thread);
}

static VmdSnapshot *
find_snapshot (VmdQemuDomain *self, const char *name)
{
  for (guint i = 0; i < self->snapshots->len; i++)
    if (g_strcmp0 (vmd_snapshot_get_name (g_ptr_array_index (self->snapshots, i)), name) == 0)
      return g_ptr_array_index (self->snapshots, i);
  return NULL;
}

static const char *
current_name (VmdQemuDomain *self)
{
  for (guint i = 0; i < self->snapshots->len; i++)
    if (vmd_snapshot_is_current (g_ptr_array_index (self->snapshots, i)))
      return vmd_snapshot_get_name (g_ptr_array_index (self->snapshots, i));
  return NULL;
}

static void
set_current (VmdQemuDomain *self, const char *name)
{
  for (guint i = 0; i < self->snapshots->len; i++)
    {
      VmdSnapshot *snapshot = g_ptr_array_index (self->snapshots, i);
      vmd_snapshot_set_current (snapshot, g_strcmp0 (vmd_snapshot_get_name (snapshot), name) == 0);
    }
}

GPtrArray *
_vmd_qemu_domain_list_snapshots (VmdDomain *domain)
{
  VmdQemuDomain *self = VMD_QEMU_DOMAIN (domain);
  GPtrArray *ret = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->snapshots->len; i++)
    g_ptr_array_add (ret, g_object_ref (g_ptr_array_index (self->snapshots, i)));
  return ret;
}

/* ----------------------------------------------------------- the images */

/* Every image of the VM must be qcow2 for an internal snapshot. */
static GPtrArray *
snapshot_images (VmdQemuDomain *self, GError **error)
{
  VmdDomainConfig *config = vmd_domain_get_config (VMD_DOMAIN (self));
  g_autoptr (GPtrArray) disks = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_DISK);
  g_autoptr (GPtrArray) images = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < disks->len; i++)
    {
      VmdDeviceDisk *disk = g_ptr_array_index (disks, i);
      g_autofree char *device = vmd_device_disk_get_device (disk);
      g_autofree char *format = vmd_device_disk_get_format (disk);
      g_autofree char *source = vmd_device_disk_get_source (disk);

      if (!g_str_equal (device, "disk") || source == NULL || vmd_device_disk_get_readonly (disk))
        continue;
      if (g_strcmp0 (format, "qcow2") != 0)
        {
          g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_UNSUPPORTED,
                       _("Snapshots need every disk to be a qcow2 image, but %s is %s."), source,
                       format ? format : "raw");
          return NULL;
        }
      g_ptr_array_add (images, g_steal_pointer (&source));
    }
  if (images->len == 0)
    {
      g_set_error_literal (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_UNSUPPORTED,
                           _("This virtual machine has no qcow2 disk to keep snapshots in."));
      return NULL;
    }
  return g_steal_pointer (&images);
}

typedef struct {
  char          *op;       /* "-c", "-a" or "-d" */
  char          *name;
  GPtrArray     *images;
  guint          next;
} ImgData;

static void
img_data_free (ImgData *data)
{
  g_free (data->op);
  g_free (data->name);
  g_clear_pointer (&data->images, g_ptr_array_unref);
  g_free (data);
}

static void img_next (GTask *task);

static void
img_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *err_text = NULL;

  if (!g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, NULL, &err_text,
                                             &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!g_subprocess_get_successful (G_SUBPROCESS (source)))
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("qemu-img could not change the snapshot: %s"),
                               err_text ? g_strstrip (err_text) : "");
      return;
    }
  img_next (task);
}

static void
img_next (GTask *task)
{
  ImgData *data = g_task_get_task_data (task);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  const char *qemu_img = g_getenv ("VMDESK_QEMU_IMG");

  if (data->next >= data->images->len)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, qemu_img ? qemu_img : "qemu-img", "snapshot", data->op,
                              data->name, (const char *) g_ptr_array_index (data->images, data->next++),
                              NULL);
  if (process == NULL)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("qemu-img could not be run: %s"), error->message);
      return;
    }
  g_subprocess_communicate_utf8_async (process, NULL, g_task_get_cancellable (task), img_done,
                                       g_object_ref (task));
}

/* Runs qemu-img snapshot @op on every image, for a shut-off VM. */
static void
offline_snapshot (VmdQemuDomain *self, const char *op, const char *name, GPtrArray *images,
                  GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  ImgData *data = g_new0 (ImgData, 1);

  data->op = g_strdup (op);
  data->name = g_strdup (name);
  data->images = g_ptr_array_ref (images);
  g_task_set_task_data (task, data, (GDestroyNotify) img_data_free);
  img_next (task);
}

/* ------------------------------------------------------- the live side */

typedef struct {
  char          *name;
  char          *description;
  char          *command;     /* snapshot-save, -load, -delete */
  VmdDomainState state;       /* at creation */
  gboolean       resume;      /* cont after loading */
} LiveData;

static void
live_data_free (LiveData *data)
{
  g_free (data->name);
  g_free (data->description);
  g_free (data->command);
  g_free (data);
}

static void
job_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  if (!vmd_qmp_client_run_job_finish (VMD_QMP_CLIENT (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
block_nodes_known (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  VmdQemuDomain *self = g_task_get_source_object (task);
  LiveData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result,
                                                              &error);
  g_autoptr (JsonBuilder) args = json_builder_new ();
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *job_id = NULL;
  g_autofree char *vmstate = NULL;
  JsonArray *blocks;
  static guint counter;

  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  job_id = g_strdup_printf ("vmdesk-snapshot-%u", ++counter);
  json_builder_begin_object (args);
  json_builder_set_member_name (args, "job-id");
  json_builder_add_string_value (args, job_id);
  json_builder_set_member_name (args, "tag");
  json_builder_add_string_value (args, data->name);
  json_builder_set_member_name (args, "devices");
  json_builder_begin_array (args);
  blocks = JSON_NODE_HOLDS_ARRAY (reply) ? json_node_get_array (reply) : NULL;
  for (guint i = 0; blocks && i < json_array_get_length (blocks); i++)
    {
      JsonObject *block = json_array_get_object_element (blocks, i);
      JsonObject *inserted;
      const char *node_name;

      if (block == NULL || !json_object_has_member (block, "inserted"))
        continue;
      inserted = json_object_get_object_member (block, "inserted");
      node_name = json_object_get_string_member_with_default (inserted, "node-name", NULL);
      if (node_name == NULL || json_object_get_boolean_member_with_default (inserted, "ro", FALSE) ||
          g_strcmp0 (json_object_get_string_member_with_default (inserted, "drv", NULL), "qcow2") != 0)
        continue;
      json_builder_add_string_value (args, node_name);
      if (vmstate == NULL)
        vmstate = g_strdup (node_name);
    }
  json_builder_end_array (args);
  if (vmstate == NULL)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_UNSUPPORTED,
                               _("This virtual machine has no qcow2 disk to keep snapshots in."));
      return;
    }
  if (!g_str_equal (data->command, "snapshot-delete"))
    {
      json_builder_set_member_name (args, "vmstate");
      json_builder_add_string_value (args, vmstate);
    }
  json_builder_end_object (args);
  node = json_builder_get_root (args);

  if (!_vmd_qemu_domain_check_running (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  vmd_qmp_client_run_job_async (self->qmp, data->command, node, job_id,
                                g_task_get_cancellable (task), job_done, g_object_ref (task));
}

/* Runs a snapshot job of @command on the running VM. */
static void
live_snapshot (VmdQemuDomain *self, const char *command, const char *name, GCancellable *cancellable,
               GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GError) error = NULL;
  LiveData *data = g_new0 (LiveData, 1);

  data->command = g_strdup (command);
  data->name = g_strdup (name);
  g_task_set_task_data (task, data, (GDestroyNotify) live_data_free);
  if (!_vmd_qemu_domain_check_running (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  vmd_qmp_client_execute_async (self->qmp, "query-block", NULL, cancellable, block_nodes_known,
                                g_object_ref (task));
}

/* --------------------------------------------------------------- create */

static void
created (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  VmdQemuDomain *self = g_task_get_source_object (task);
  LiveData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  VmdSnapshot *snapshot;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  snapshot = vmd_snapshot_new (data->name, data->description, now, data->state,
                               current_name (self));
  g_ptr_array_add (self->snapshots, snapshot);
  set_current (self, data->name);
  save_metadata (self, task);
}

void
_vmd_qemu_domain_snapshot_create_async (VmdDomain           *domain,
                                        const char          *name,
                                        const char          *description,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  VmdQemuDomain *self = VMD_QEMU_DOMAIN (domain);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GPtrArray) images = NULL;
  g_autoptr (GError) error = NULL;
  LiveData *data;

  g_task_set_source_tag (task, _vmd_qemu_domain_snapshot_create_async);

  if (name == NULL || *name == '\0' || strchr (name, '/') != NULL)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("A snapshot needs a name without '/'."));
      return;
    }
  if (find_snapshot (self, name) != NULL)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_EXISTS,
                               _("A snapshot named “%s” already exists."), name);
      return;
    }
  images = snapshot_images (self, &error);
  if (images == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (LiveData, 1);
  data->name = g_strdup (name);
  data->description = g_strdup (description);
  data->state = vmd_domain_get_state (domain) == VMD_DOMAIN_STATE_PAUSED
                ? VMD_DOMAIN_STATE_PAUSED
                : vmd_domain_is_active (domain) ? VMD_DOMAIN_STATE_RUNNING : VMD_DOMAIN_STATE_SHUTOFF;
  g_task_set_task_data (task, data, (GDestroyNotify) live_data_free);

  if (data->state == VMD_DOMAIN_STATE_SHUTOFF)
    offline_snapshot (self, "-c", name, images, cancellable, created, g_object_ref (task));
  else
    live_snapshot (self, "snapshot-save", name, cancellable, created, g_object_ref (task));
}

/* --------------------------------------------------------------- revert */

static void
reverted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  VmdQemuDomain *self = g_task_get_source_object (task);
  LiveData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  set_current (self, data->name);
  if (data->resume && self->qmp != NULL)
    vmd_qmp_client_execute_async (self->qmp, "cont", NULL, NULL, NULL, NULL);
  if (data->state != VMD_DOMAIN_STATE_SHUTOFF)
    vmd_domain_set_state (VMD_DOMAIN (self),
                          data->resume ? VMD_DOMAIN_STATE_RUNNING : VMD_DOMAIN_STATE_PAUSED,
                          VMD_STATE_REASON_SNAPSHOT);
  save_metadata (self, task);
}

static void
revert_after_start (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  VmdQemuDomain *self = g_task_get_source_object (task);
  LiveData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (!vmd_domain_start_finish (VMD_DOMAIN (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  live_snapshot (self, "snapshot-load", data->name, g_task_get_cancellable (task), reverted,
                 g_object_ref (task));
}

/* Applies the shut-off snapshot to the images of the (shut off) VM. */
static void
revert_offline (GTask *task)
{
  VmdQemuDomain *self = g_task_get_source_object (task);
  LiveData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) images = snapshot_images (self, &error);

  if (images == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  offline_snapshot (self, "-a", data->name, images, g_task_get_cancellable (task), reverted,
                    g_object_ref (task));
}

static void
revert_after_stop (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  if (!vmd_domain_destroy_finish (VMD_DOMAIN (source), result, &error) &&
      !g_error_matches (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_INVALID_STATE))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  revert_offline (task);
}

/**
 * _vmd_qemu_domain_snapshot_revert_async:
 *
 * Brings the VM back to the snapshot: a shut-off snapshot leaves it shut
 * off (forcing it off if it runs), a running one leaves it running (starting
 * it if needed), a paused one paused. What happened since is lost.
 */
void
_vmd_qemu_domain_snapshot_revert_async (VmdDomain           *domain,
                                        const char          *name,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  VmdQemuDomain *self = VMD_QEMU_DOMAIN (domain);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  VmdSnapshot *snapshot = find_snapshot (self, name);
  LiveData *data;

  g_task_set_source_tag (task, _vmd_qemu_domain_snapshot_revert_async);

  if (snapshot == NULL)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_NOT_FOUND,
                               _("There is no snapshot named “%s”."), name);
      return;
    }

  data = g_new0 (LiveData, 1);
  data->name = g_strdup (name);
  data->state = vmd_snapshot_get_state (snapshot);
  data->resume = data->state == VMD_DOMAIN_STATE_RUNNING;
  g_task_set_task_data (task, data, (GDestroyNotify) live_data_free);

  if (data->state == VMD_DOMAIN_STATE_SHUTOFF)
    {
      if (vmd_domain_is_active (domain))
        vmd_domain_destroy_async (domain, cancellable, revert_after_stop, g_object_ref (task));
      else
        revert_offline (task);
    }
  else if (!vmd_domain_is_active (domain))
    vmd_domain_start_async (domain, VMD_START_PAUSED, cancellable, revert_after_start,
                            g_object_ref (task));
  else
    live_snapshot (self, "snapshot-load", name, cancellable, reverted, g_object_ref (task));
}

/* --------------------------------------------------------------- delete */

static void
deleted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  VmdQemuDomain *self = g_task_get_source_object (task);
  LiveData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  VmdSnapshot *snapshot = find_snapshot (self, data->name);
  g_autofree char *parent = NULL;
  gboolean was_current;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (snapshot == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Children move up to the deleted snapshot's parent. */
  parent = g_strdup (vmd_snapshot_get_parent (snapshot));
  was_current = vmd_snapshot_is_current (snapshot);
  g_ptr_array_remove (self->snapshots, snapshot);
  for (guint i = 0; i < self->snapshots->len; i++)
    {
      VmdSnapshot *other = g_ptr_array_index (self->snapshots, i);
      if (g_strcmp0 (vmd_snapshot_get_parent (other), data->name) == 0)
        {
          VmdSnapshot *moved = vmd_snapshot_new (vmd_snapshot_get_name (other),
                                                 vmd_snapshot_get_description (other),
                                                 vmd_snapshot_get_created (other),
                                                 vmd_snapshot_get_state (other), parent);
          vmd_snapshot_set_current (moved, vmd_snapshot_is_current (other));
          g_ptr_array_index (self->snapshots, i) = moved;
          g_object_unref (other);
        }
    }
  if (was_current)
    set_current (self, parent);
  save_metadata (self, task);
}

void
_vmd_qemu_domain_snapshot_delete_async (VmdDomain           *domain,
                                        const char          *name,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  VmdQemuDomain *self = VMD_QEMU_DOMAIN (domain);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GPtrArray) images = NULL;
  g_autoptr (GError) error = NULL;
  LiveData *data;

  g_task_set_source_tag (task, _vmd_qemu_domain_snapshot_delete_async);

  if (find_snapshot (self, name) == NULL)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_NOT_FOUND,
                               _("There is no snapshot named “%s”."), name);
      return;
    }
  data = g_new0 (LiveData, 1);
  data->name = g_strdup (name);
  g_task_set_task_data (task, data, (GDestroyNotify) live_data_free);

  if (vmd_domain_is_active (domain))
    {
      live_snapshot (self, "snapshot-delete", name, cancellable, deleted, g_object_ref (task));
      return;
    }
  images = snapshot_images (self, &error);
  if (images == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  offline_snapshot (self, "-d", name, images, cancellable, deleted, g_object_ref (task));
}
