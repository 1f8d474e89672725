/* vmd-qemu-domain-define.c: changing, renaming and deleting a definition
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-engine"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "vmd-connection.h"
#include "vmd-device-types.h"
#include "vmd-qemu-connection-private.h"
#include "vmd-qemu-domain-private.h"

static gboolean
check_name_free (VmdQemuDomain *self, const char *name, GError **error)
{
  VmdConnection *connection = vmd_domain_get_connection (VMD_DOMAIN (self));
  VmdDomain *other = vmd_connection_lookup_domain (connection, name);

  if (other != NULL && other != VMD_DOMAIN (self))
    {
      g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_EXISTS,
                   _("A virtual machine named “%s” already exists."), name);
      return FALSE;
    }
  return TRUE;
}

static void
written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  VmdQemuDomain *self = g_task_get_source_object (task);
  VmdDomainConfig *config = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  vmd_domain_replace_config (VMD_DOMAIN (self), config);
  g_task_return_boolean (task, TRUE);
}

static void
save_config (VmdQemuDomain *self, VmdDomainConfig *config, GTask *task)
{
  g_task_set_task_data (task, g_object_ref (config), g_object_unref);
  _vmd_qemu_connection_write_definition (_vmd_qemu_domain_get_connection (self), config,
                                         self->definition_path, g_task_get_cancellable (task),
                                         written, g_object_ref (task));
}

/* The new persistent definition; a running VM keeps running as it is and
 * uses it from its next start. */
void
_vmd_qemu_domain_set_config_async (VmdDomain           *domain,
                                   VmdDomainConfig     *config,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  VmdQemuDomain *self = VMD_QEMU_DOMAIN (domain);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (VmdDomainConfig) copy = vmd_domain_config_copy (config);
  g_autoptr (GError) error = NULL;
  g_autofree char *uuid = vmd_domain_config_get_uuid (copy);
  g_autofree char *name = vmd_domain_config_get_name (copy);

  g_task_set_source_tag (task, _vmd_qemu_domain_set_config_async);

  if (uuid == NULL)
    vmd_domain_config_set_uuid (copy, vmd_domain_get_uuid (domain));
  else if (g_ascii_strcasecmp (uuid, vmd_domain_get_uuid (domain)) != 0)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_INVALID_CONFIG,
                               _("The UUID of a virtual machine cannot change; define it as a new virtual machine instead."));
      return;
    }
  if (!vmd_domain_config_validate (copy, &error))
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_INVALID_CONFIG, "%s",
                               error->message);
      return;
    }
  if (!check_name_free (self, name, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (vmd_domain_is_active (domain) && g_strcmp0 (name, vmd_domain_get_name (domain)) != 0)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_INVALID_STATE,
                               _("Shut down “%s” before renaming it."),
                               vmd_domain_get_name (domain));
      return;
    }
  save_config (self, copy, task);
}

void
_vmd_qemu_domain_rename_async (VmdDomain           *domain,
                               const char          *new_name,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr (VmdDomainConfig) copy = vmd_domain_config_copy (vmd_domain_get_config (domain));

  vmd_domain_config_set_name (copy, new_name);
  _vmd_qemu_domain_set_config_async (domain, copy, cancellable, callback, user_data);
}

/* ------------------------------------------------------------- undefine */

typedef struct {
  GPtrArray *files;          /* definition, nvram, log, autostart mark */
  GPtrArray *dirs;           /* folders of the VM's own: the TPM state */
  GPtrArray *images;         /* disk images to delete */
  gboolean   definition_removed;
} UndefineData;

static void
undefine_data_free (UndefineData *data)
{
  g_clear_pointer (&data->files, g_ptr_array_unref);
  g_clear_pointer (&data->dirs, g_ptr_array_unref);
  g_clear_pointer (&data->images, g_ptr_array_unref);
  g_free (data);
}

/* Deletes a folder the engine made and everything in it. */
static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
undefine_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  UndefineData *data = task_data;

  /* The definition first: if it cannot go, nothing else does. */
  for (guint i = 0; i < data->files->len; i++)
    {
      const char *path = g_ptr_array_index (data->files, i);
      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved = errno;
          if (i == 0)
            {
              g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                                       _("The definition %s could not be deleted: %s"), path,
                                       g_strerror (saved));
              return;
            }
          g_debug ("could not delete %s: %s", path, g_strerror (saved));
        }
      if (i == 0)
        data->definition_removed = TRUE;
    }
  for (guint i = 0; i < data->dirs->len; i++)
    remove_tree (g_ptr_array_index (data->dirs, i));
  for (guint i = 0; i < data->images->len; i++)
    {
      const char *path = g_ptr_array_index (data->images, i);
      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved = errno;
          g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                                   _("The virtual machine was deleted, but its disk image %s could not be: %s"),
                                   path, g_strerror (saved));
          return;
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void
undefined (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  VmdDomain *domain = g_task_get_source_object (task);
  VmdConnection *connection = vmd_domain_get_connection (domain);
  UndefineData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  /* Once the definition file is gone the VM is gone, even if an image
   * could not be deleted: say so, but drop it from the list. */
  if (data->definition_removed && connection != NULL)
    vmd_connection_remove_domain (connection, domain);

  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * _vmd_qemu_domain_disk_images:
 *
 * Returns: the writable disk images of @config (not CD-ROMs, floppies,
 *   read-only or shareable disks, which are seldom the VM's own)
 */
GPtrArray *
_vmd_qemu_domain_disk_images (VmdDomainConfig *config, gboolean owned_only)
{
  g_autoptr (GPtrArray) disks = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_DISK);
  GPtrArray *images = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < disks->len; i++)
    {
      VmdDeviceDisk *disk = g_ptr_array_index (disks, i);
      g_autofree char *type = vmd_device_disk_get_disk_type (disk);
      g_autofree char *device = vmd_device_disk_get_device (disk);
      char *source = vmd_device_disk_get_source (disk);

      if (source == NULL || g_strcmp0 (type, "file") != 0 ||
          (owned_only && (!g_str_equal (device, "disk") || vmd_device_disk_get_readonly (disk) ||
                          vmd_device_disk_get_shareable (disk))))
        {
          g_free (source);
          continue;
        }
      g_ptr_array_add (images, source);
    }
  return images;
}

static gboolean
image_used_elsewhere (VmdDomain *self, const char *path)
{
  VmdConnection *connection = vmd_domain_get_connection (self);
  g_autoptr (GPtrArray) domains = vmd_connection_list_domains (connection);
  g_autofree char *canonical = g_canonicalize_filename (path, NULL);

  for (guint i = 0; i < domains->len; i++)
    {
      VmdDomain *other = g_ptr_array_index (domains, i);
      g_autoptr (GPtrArray) images = NULL;

      if (other == self)
        continue;
      images = _vmd_qemu_domain_disk_images (vmd_domain_get_config (other), FALSE);
      for (guint j = 0; j < images->len; j++)
        {
          g_autofree char *theirs = g_canonicalize_filename (g_ptr_array_index (images, j), NULL);
          if (g_str_equal (theirs, canonical))
            return TRUE;
        }
    }
  return FALSE;
}

void
_vmd_qemu_domain_undefine_async (VmdDomain           *domain,
                                 gboolean             remove_storage,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  VmdQemuDomain *self = VMD_QEMU_DOMAIN (domain);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  UndefineData *data;

  g_task_set_source_tag (task, _vmd_qemu_domain_undefine_async);

  if (vmd_domain_is_active (domain) || self->qmp != NULL)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_INVALID_STATE,
                               _("Shut down “%s” before deleting it."),
                               vmd_domain_get_name (domain));
      return;
    }

  data = g_new0 (UndefineData, 1);
  data->files = g_ptr_array_new_with_free_func (g_free);
  data->images = g_ptr_array_new_with_free_func (g_free);
  data->dirs = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (data->dirs, _vmd_qemu_domain_data_path (self, "tpm", ""));
  g_ptr_array_add (data->files, g_strdup (self->definition_path));
  g_ptr_array_add (data->files, _vmd_qemu_domain_data_path (self, "nvram", "_VARS.fd"));
  g_ptr_array_add (data->files, _vmd_qemu_domain_data_path (self, "autostart", ""));
  g_ptr_array_add (data->files, g_strdup (self->log_path));
  g_ptr_array_add (data->files, g_strdup (self->qemu_log_path));
  g_ptr_array_add (data->files, _vmd_qemu_domain_data_path (self, "snapshots", ".json"));

  if (remove_storage)
    {
      g_autoptr (GPtrArray) images = _vmd_qemu_domain_disk_images (vmd_domain_get_config (domain),
                                                                   TRUE);
      for (guint i = 0; i < images->len; i++)
        {
          const char *path = g_ptr_array_index (images, i);

          /* Never an image another VM still uses. */
          if (image_used_elsewhere (domain, path))
            {
              g_message ("Keeping %s: another virtual machine uses it.", path);
              continue;
            }
          g_ptr_array_add (data->images, g_strdup (path));
        }
    }

  g_task_set_task_data (task, data, (GDestroyNotify) undefine_data_free);
  {
    g_autoptr (GTask) work = g_task_new (self, cancellable, undefined, g_object_ref (task));
    g_task_set_task_data (work, data, NULL);
    g_task_run_in_thread (work, undefine_thread);
  }
}

/* ------------------------------------------------------------ autostart */

gboolean
_vmd_qemu_domain_get_autostart (VmdDomain *domain)
{
  g_autofree char *mark = _vmd_qemu_domain_data_path (VMD_QEMU_DOMAIN (domain), "autostart", "");

  return g_file_test (mark, G_FILE_TEST_EXISTS);
}

gboolean
_vmd_qemu_domain_set_autostart (VmdDomain *domain, gboolean autostart, GError **error)
{
  g_autofree char *mark = _vmd_qemu_domain_data_path (VMD_QEMU_DOMAIN (domain), "autostart", "");
  g_autofree char *dir = g_path_get_dirname (mark);

  if (!autostart)
    {
      if (g_unlink (mark) != 0 && errno != ENOENT)
        {
          int saved = errno;
          g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                       _("Automatic start could not be turned off: %s"), g_strerror (saved));
          return FALSE;
        }
      return TRUE;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents (mark, vmd_domain_get_name (domain), -1, NULL))
    {
      g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                   _("Automatic start could not be turned on in %s."), dir);
      return FALSE;
    }
  return TRUE;
}
