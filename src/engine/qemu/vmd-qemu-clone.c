/* vmd-qemu-clone.c: a new VM made from another
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The clone gets a new name, UUID and MAC addresses, and its own copy of
 * each disk the source owns — a full copy, or a qcow2 overlay on top of the
 * source's image. CD-ROMs, read-only and shared disks are shared. If any
 * step fails, the images made so far are deleted and nothing is defined.
 */
#define G_LOG_DOMAIN "vmdesk-engine"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "vmd-device-types.h"
#include "vmd-image.h"
#include "vmd-qemu-clone.h"
#include "vmd-qemu-domain-private.h"

typedef struct {
  VmdDomainConfig *config;     /* the clone's definition */
  gboolean         linked;     /* every image an overlay */
  GStrv            overlays;   /* else these images (source paths) */
  GPtrArray       *sources;    /* images of the source to copy */
  GPtrArray       *targets;    /* their new paths, same order */
  GPtrArray       *made;       /* images created so far */
  guint            next;
} CloneData;

static void
clone_data_free (CloneData *data)
{
  g_clear_object (&data->config);
  g_strfreev (data->overlays);
  g_clear_pointer (&data->sources, g_ptr_array_unref);
  g_clear_pointer (&data->targets, g_ptr_array_unref);
  g_clear_pointer (&data->made, g_ptr_array_unref);
  g_free (data);
}

/* Whether the @i-th source image becomes a qcow2 overlay (else a copy). */
static gboolean
is_overlay (CloneData *data, guint i)
{
  return data->linked ||
         (data->overlays != NULL &&
          g_strv_contains ((const char *const *) data->overlays,
                           g_ptr_array_index (data->sources, i)));
}

/* SOURCE_DIR/NEWNAME.EXT, or NEWNAME-N.EXT when that exists or is taken by
 * an earlier disk of the same clone. */
static void
plan_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  CloneData *data = task_data;
  g_autofree char *name = vmd_domain_config_get_name (data->config);

  for (guint i = 0; i < data->sources->len; i++)
    {
      const char *path = g_ptr_array_index (data->sources, i);
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *base = g_path_get_basename (path);
      const char *dot = strrchr (base, '.');
      const char *ext = is_overlay (data, i) ? ".qcow2" : (dot ? dot : "");

      for (guint n = 0;; n++)
        {
          g_autofree char *file = n == 0 ? g_strconcat (name, ext, NULL)
                                         : g_strdup_printf ("%s-%u%s", name, n, ext);
          g_autofree char *candidate = g_build_filename (dir, file, NULL);
          gboolean taken = g_file_test (candidate, G_FILE_TEST_EXISTS);

          for (guint j = 0; j < data->targets->len && !taken; j++)
            taken = g_str_equal (g_ptr_array_index (data->targets, j), candidate);
          if (!taken)
            {
              g_ptr_array_add (data->targets, g_steal_pointer (&candidate));
              break;
            }
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void
remove_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GPtrArray *made = task_data;

  for (guint i = 0; i < made->len; i++)
    g_unlink (g_ptr_array_index (made, i));
  g_task_return_boolean (task, TRUE);
}

/* Fails @task, removing what the clone made so far. */
static void
clone_failed (GTask *task, GError *error)
{
  CloneData *data = g_task_get_task_data (task);
  g_autoptr (GTask) cleanup = g_task_new (NULL, NULL, NULL, NULL);

  g_task_set_task_data (cleanup, g_ptr_array_ref (data->made), (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (cleanup, remove_thread);
  g_task_return_error (task, error);
}

static void
clone_defined (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  VmdDomain *domain = vmd_connection_define_finish (VMD_CONNECTION (source), result, &error);

  if (domain == NULL)
    clone_failed (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, domain, g_object_unref);
}

static void copy_next (GTask *task);

static void
image_made (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CloneData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  gboolean ok = is_overlay (data, data->next) ? vmd_image_create_finish (result, &error)
                                               : vmd_image_copy_finish (result, &error);

  if (!ok)
    {
      clone_failed (task, g_steal_pointer (&error));
      return;
    }
  g_ptr_array_add (data->made, g_strdup (g_ptr_array_index (data->targets, data->next)));
  data->next++;
  copy_next (task);
}

static void
copy_next (GTask *task)
{
  CloneData *data = g_task_get_task_data (task);
  const char *source, *target;

  if (data->next >= data->sources->len)
    {
      vmd_connection_define_async (g_task_get_source_object (task), data->config,
                                   g_task_get_cancellable (task), clone_defined,
                                   g_object_ref (task));
      return;
    }
  source = g_ptr_array_index (data->sources, data->next);
  target = g_ptr_array_index (data->targets, data->next);
  if (is_overlay (data, data->next))
    vmd_image_create_async (target, "qcow2", 0, source, g_task_get_cancellable (task), image_made,
                            g_object_ref (task));
  else
    vmd_image_copy_async (source, target, g_task_get_cancellable (task), image_made,
                          g_object_ref (task));
}

static void
planned (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CloneData *data = g_task_get_task_data (task);
  g_autoptr (GPtrArray) disks = vmd_domain_config_get_devices (data->config,
                                                               VMD_TYPE_DEVICE_DISK);
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Point the clone's disks at their new images. */
  for (guint i = 0; i < disks->len; i++)
    {
      VmdDeviceDisk *disk = g_ptr_array_index (disks, i);
      g_autofree char *path = vmd_device_disk_get_source (disk);
      guint index;

      if (path != NULL && g_ptr_array_find_with_equal_func (data->sources, path, g_str_equal,
                                                            &index))
        {
          vmd_device_disk_set_source (disk, g_ptr_array_index (data->targets, index));
          if (is_overlay (data, index))
            vmd_device_disk_set_format (disk, "qcow2");
        }
    }
  copy_next (task);
}

void
vmd_qemu_clone_async (VmdConnection       *connection,
                      VmdDomain           *source,
                      const char          *new_name,
                      gboolean             linked,
                      const char *const   *overlays,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (connection, cancellable, callback, user_data);
  g_autoptr (GTask) plan = NULL;
  g_autoptr (GPtrArray) nics = NULL;
  g_autoptr (GError) error = NULL;
  CloneData *data;

  g_task_set_source_tag (task, vmd_qemu_clone_async);

  if (vmd_domain_is_active (source))
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_INVALID_STATE,
                               _("Shut down “%s” before cloning it."), vmd_domain_get_name (source));
      return;
    }
  if (vmd_connection_lookup_domain (connection, new_name) != NULL)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_EXISTS,
                               _("A virtual machine named “%s” already exists."), new_name);
      return;
    }

  data = g_new0 (CloneData, 1);
  data->linked = linked;
  data->overlays = g_strdupv ((char **) overlays);
  data->config = vmd_domain_config_copy (vmd_domain_get_config (source));
  data->targets = g_ptr_array_new_with_free_func (g_free);
  data->made = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, data, (GDestroyNotify) clone_data_free);

  vmd_domain_config_set_name (data->config, new_name);
  vmd_domain_config_regenerate_uuid (data->config);
  /* Its own UEFI variables, made fresh from the template at first start. */
  {
    g_autofree char *template = vmd_domain_config_get_nvram_template (data->config);
    if (vmd_domain_config_get_nvram (data->config) != NULL || template != NULL)
      vmd_domain_config_set_nvram (data->config, NULL, template);
  }
  nics = vmd_domain_config_get_devices (data->config, VMD_TYPE_DEVICE_INTERFACE);
  for (guint i = 0; i < nics->len; i++)
    vmd_device_interface_set_mac (g_ptr_array_index (nics, i), NULL);
  for (guint i = 0; i < nics->len; i++)
    {
      g_autofree char *mac = vmd_domain_config_generate_mac (data->config);
      vmd_device_interface_set_mac (g_ptr_array_index (nics, i), mac);
    }
  if (!vmd_domain_config_validate (data->config, &error))
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_INVALID_CONFIG, "%s",
                               error->message);
      return;
    }

  data->sources = _vmd_qemu_domain_disk_images (data->config, TRUE);
  plan = g_task_new (connection, cancellable, planned, g_object_ref (task));
  g_task_set_task_data (plan, data, NULL);
  g_task_run_in_thread (plan, plan_thread);
}

VmdDomain *
vmd_qemu_clone_finish (VmdConnection *connection, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
