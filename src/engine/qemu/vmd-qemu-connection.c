/* vmd-qemu-connection.c: the embedded engine, running QEMU itself
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Definitions are domain XML files in DATA_DIR/domains/UUID.xml, written
 * atomically. Each running VM has a 0700 folder RUNTIME_DIR/UUID with its
 * QMP sockets and pidfile; QEMU runs detached, so on open the engine finds
 * running VMs there and attaches to them again. No daemon, no root.
 *
 * Opened with VMD_QEMU_LOAD_SUMMARY (`vmdesk-cli list`), the connection
 * reads names, UUIDs and titles from DATA/domains/index.json
 * (vmd-qemu-index.c) instead of parsing every definition.
 */
#define G_LOG_DOMAIN "vmdesk-engine"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "vmd-qemu-clone.h"
#include "vmd-qemu-connection-private.h"
#include "vmd-qemu-domain-private.h"
#include "vmd-qemu-index.h"
#include "vmd-qemu-stats.h"

struct _VmdQemuConnection
{
  VmdConnection  parent_instance;

  char          *data_dir;
  char          *domains_dir;
  char          *images_dir;
  char          *runtime_dir;
  VmdQemuLoadMode load_mode;
};

G_DEFINE_FINAL_TYPE (VmdQemuConnection, vmd_qemu_connection, VMD_TYPE_CONNECTION)

static void
vmd_qemu_connection_finalize (GObject *object)
{
  VmdQemuConnection *self = VMD_QEMU_CONNECTION (object);

  g_free (self->data_dir);
  g_free (self->domains_dir);
  g_free (self->images_dir);
  g_free (self->runtime_dir);

  G_OBJECT_CLASS (vmd_qemu_connection_parent_class)->finalize (object);
}

/* ------------------------------------------------------------------ open */

typedef struct {
  VmdQemuLoadMode mode;
  char           *domains_dir;
  char           *snapshots_dir;
  char           *runtime_dir;
  GPtrArray      *configs;    /* VmdDomainConfig */
  GPtrArray      *paths;      /* char * */
  GPtrArray      *snapshots;  /* char *: the snapshot list as JSON, or NULL */
  GHashTable     *runtime;    /* the names in RUNTIME_DIR: VMs that may run */
  guint           pending;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_free (data->domains_dir);
  g_free (data->snapshots_dir);
  g_free (data->runtime_dir);
  g_clear_pointer (&data->configs, g_ptr_array_unref);
  g_clear_pointer (&data->paths, g_ptr_array_unref);
  g_clear_pointer (&data->snapshots, g_ptr_array_unref);
  g_clear_pointer (&data->runtime, g_hash_table_unref);
  g_free (data);
}

static gboolean
ensure_private_dir (const char *path, GError **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("The folder %s could not be created: %s"), path, g_strerror (saved));
      return FALSE;
    }
  if (g_chmod (path, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("The folder %s could not be made private: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* A VM runs only with a folder RUNTIME_DIR/UUID: one look at RUNTIME_DIR
 * spares the others a pidfile to look for. */
static GHashTable *
list_runtime_dir (const char *runtime_dir)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GDir) dir = g_dir_open (runtime_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_hash_table_add (names, g_strdup (name));
  return names;
}

/* Stand-ins from the index (see vmd_qemu_connection_set_load_mode()). */
static gboolean
load_summaries (OpenData *data, GError **error)
{
  g_autoptr (GPtrArray) entries = _vmd_qemu_index_scan (data->domains_dir, error);

  if (entries == NULL)
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      VmdQemuIndexEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *path = g_build_filename (data->domains_dir, entry->file, NULL);
      g_autoptr (GError) local_error = NULL;
      VmdDomainConfig *config = _vmd_qemu_index_entry_to_config (entry, &local_error);

      if (config == NULL)
        {
          g_warning ("Skipping the definition %s: %s", path, local_error->message);
          continue;
        }
      g_ptr_array_add (data->configs, config);
      g_ptr_array_add (data->paths, g_steal_pointer (&path));
      g_ptr_array_add (data->snapshots, NULL);  /* not needed to list */
    }
  return TRUE;
}

static void
open_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  OpenData *data = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (!ensure_private_dir (data->domains_dir, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->runtime = list_runtime_dir (data->runtime_dir);

  if (data->mode == VMD_QEMU_LOAD_SUMMARY)
    {
      if (!load_summaries (data, &error))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_boolean (task, TRUE);
      return;
    }

  dir = g_dir_open (data->domains_dir, 0, &error);
  if (dir == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".xml"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (data->domains_dir,
                                                g_ptr_array_index (names, i), NULL);
      g_autoptr (GError) load_error = NULL;
      VmdDomainConfig *config = vmd_domain_config_new_from_file (path, &load_error);

      if (config == NULL)
        {
          /* One broken file must not hide every other VM. */
          g_warning ("Skipping the definition %s: %s", path, load_error->message);
          continue;
        }
      {
        g_autofree char *uuid = vmd_domain_config_get_uuid (config);
        g_autofree char *file = g_strconcat (uuid ? uuid : "", ".json", NULL);
        g_autofree char *snapshots = g_build_filename (data->snapshots_dir, file, NULL);
        char *json = NULL;

        g_file_get_contents (snapshots, &json, NULL, NULL);
        g_ptr_array_add (data->snapshots, json);
      }
      g_ptr_array_add (data->configs, config);
      g_ptr_array_add (data->paths, g_steal_pointer (&path));
    }
  g_task_return_boolean (task, TRUE);
}

static void
attach_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  OpenData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (!vmd_qemu_domain_attach_finish (VMD_QEMU_DOMAIN (source), result, &error))
    g_debug ("%s: not attached: %s", vmd_domain_get_name (VMD_DOMAIN (source)), error->message);

  if (--data->pending == 0)
    {
      vmd_connection_set_open (VMD_CONNECTION (g_task_get_source_object (task)), TRUE);
      g_task_return_boolean (task, TRUE);
    }
}

static void
open_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  VmdQemuConnection *self = VMD_QEMU_CONNECTION (source);
  g_autoptr (GTask) task = user_data;
  OpenData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) known = NULL;
  /* lower-case UUID → the definition that has it (not owned) */
  g_autoptr (GHashTable) uuids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  known = vmd_connection_list_domains (VMD_CONNECTION (self));
  for (guint i = 0; i < known->len; i++)
    {
      VmdDomain *domain = g_ptr_array_index (known, i);
      const char *path = vmd_qemu_domain_get_definition_path (VMD_QEMU_DOMAIN (domain));

      if (vmd_domain_get_uuid (domain) != NULL)
        g_hash_table_insert (uuids, g_ascii_strdown (vmd_domain_get_uuid (domain), -1),
                             (gpointer) path);
    }

  data->pending = 1;
  for (guint i = 0; i < data->configs->len; i++)
    {
      VmdDomainConfig *config = g_ptr_array_index (data->configs, i);
      const char *path = g_ptr_array_index (data->paths, i);
      g_autoptr (VmdQemuDomain) domain = NULL;
      g_autofree char *uuid = vmd_domain_config_get_uuid (config);

      if (uuid != NULL)
        {
          g_autofree char *key = g_ascii_strdown (uuid, -1);
          const char *first = g_hash_table_lookup (uuids, key);

          if (first != NULL || g_hash_table_contains (uuids, key))
            {
              g_warning ("Skipping the definition %s: %s has the same UUID %s", path,
                         first ? first : "another definition", uuid);
              continue;
            }
          g_hash_table_insert (uuids, g_steal_pointer (&key), (gpointer) path);
        }
      domain = vmd_qemu_domain_new (self, config, path);
      _vmd_qemu_domain_load_snapshots (domain, g_ptr_array_index (data->snapshots, i));
      vmd_connection_add_domain (VMD_CONNECTION (self), VMD_DOMAIN (domain));
      /* Without its runtime folder a VM is not running: no pidfile to read,
       * nothing to clean up. */
      if (uuid != NULL && !g_hash_table_contains (data->runtime, uuid))
        continue;
      data->pending++;
      vmd_qemu_domain_attach_async (domain, g_task_get_cancellable (task), attach_done,
                                    g_object_ref (task));
    }

  /* The extra count kept the task from finishing before every attach
   * was started. */
  if (--data->pending == 0)
    {
      vmd_connection_set_open (VMD_CONNECTION (self), TRUE);
      g_task_return_boolean (task, TRUE);
    }
}

static void
vmd_qemu_connection_open_async (VmdConnection       *connection,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  VmdQemuConnection *self = VMD_QEMU_CONNECTION (connection);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GTask) load = NULL;
  OpenData *data = g_new0 (OpenData, 1);

  g_task_set_source_tag (task, vmd_qemu_connection_open_async);
  data->mode = self->load_mode;
  data->domains_dir = g_strdup (self->domains_dir);
  data->runtime_dir = g_strdup (self->runtime_dir);
  data->snapshots_dir = g_build_filename (self->data_dir, "snapshots", NULL);
  data->snapshots = g_ptr_array_new_with_free_func (g_free);
  data->configs = g_ptr_array_new_with_free_func (g_object_unref);
  data->paths = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);

  load = g_task_new (self, cancellable, open_loaded, g_object_ref (task));
  g_task_set_task_data (load, data, NULL);
  g_task_run_in_thread (load, open_thread);
}

static gboolean
vmd_qemu_connection_open_finish (VmdConnection *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------- define */

typedef struct {
  char *path;
  char *xml;
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_free (data->path);
  g_free (data->xml);
  g_free (data);
}

static void
write_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  WriteData *data = task_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (data->path);

  if (!ensure_private_dir (dir, &error) ||
      !g_file_set_contents_full (data->path, data->xml, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &error))
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("The definition could not be saved: %s"), error->message);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* Writes @config to @path off the main loop. */
void
_vmd_qemu_connection_write_definition (VmdQemuConnection  *self,
                                       VmdDomainConfig    *config,
                                       const char         *path,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  WriteData *data;

  g_task_set_source_tag (task, _vmd_qemu_connection_write_definition);
  /* Its domains are stand-ins: saving one would lose the definition. */
  if (self->load_mode == VMD_QEMU_LOAD_SUMMARY)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_UNSUPPORTED,
                               _("This connection only lists virtual machines; it cannot change their definitions."));
      return;
    }
  data = g_new0 (WriteData, 1);
  data->path = g_strdup (path);
  data->xml = vmd_domain_config_to_xml (config);
  g_task_set_task_data (task, data, (GDestroyNotify) write_data_free);
  g_task_run_in_thread (task, write_thread);
}

/* The domain another VM's name or UUID clashes with, as an error. */
static gboolean
check_unique (VmdQemuConnection *self, VmdDomainConfig *config, GError **error)
{
  g_autofree char *name = vmd_domain_config_get_name (config);
  g_autofree char *uuid = vmd_domain_config_get_uuid (config);
  VmdDomain *same_name = vmd_connection_lookup_domain (VMD_CONNECTION (self), name);

  if (same_name != NULL && g_ascii_strcasecmp (vmd_domain_get_uuid (same_name), uuid) != 0)
    {
      g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_EXISTS,
                   _("A virtual machine named “%s” already exists."), name);
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  VmdDomainConfig *config;
  char            *path;
} DefineData;

static void
define_data_free (DefineData *data)
{
  g_clear_object (&data->config);
  g_free (data->path);
  g_free (data);
}

static void
define_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  VmdQemuConnection *self = VMD_QEMU_CONNECTION (source);
  g_autoptr (GTask) task = user_data;
  DefineData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autofree char *uuid = NULL;
  VmdDomain *existing;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  uuid = vmd_domain_config_get_uuid (data->config);
  existing = vmd_connection_lookup_domain (VMD_CONNECTION (self), uuid);
  if (existing != NULL)
    {
      /* A running VM keeps running as it started; the new definition
       * takes effect at its next start. */
      vmd_domain_replace_config (existing, data->config);
      g_task_return_pointer (task, g_object_ref (existing), g_object_unref);
    }
  else
    {
      g_autoptr (VmdQemuDomain) domain = vmd_qemu_domain_new (self, data->config, data->path);
      vmd_connection_add_domain (VMD_CONNECTION (self), VMD_DOMAIN (domain));
      g_task_return_pointer (task, g_steal_pointer (&domain), g_object_unref);
    }
}

static void
vmd_qemu_connection_define_async (VmdConnection       *connection,
                                  VmdDomainConfig     *config,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  VmdQemuConnection *self = VMD_QEMU_CONNECTION (connection);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *file = NULL;
  DefineData *data;

  g_task_set_source_tag (task, vmd_qemu_connection_define_async);

  /* The caller's object stays theirs: define a copy. */
  config = vmd_domain_config_copy (config);
  uuid = vmd_domain_config_get_uuid (config);
  if (uuid == NULL)
    {
      vmd_domain_config_regenerate_uuid (config);
      uuid = vmd_domain_config_get_uuid (config);
    }

  if (!vmd_domain_config_validate (config, &error))
    {
      g_object_unref (config);
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_INVALID_CONFIG, "%s",
                               error->message);
      return;
    }
  if (!check_unique (self, config, &error))
    {
      g_object_unref (config);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (DefineData, 1);
  data->config = config;
  file = g_strdup_printf ("%s.xml", uuid);
  data->path = g_build_filename (self->domains_dir, file, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) define_data_free);

  _vmd_qemu_connection_write_definition (self, config, data->path, cancellable, define_written,
                                         g_object_ref (task));
}

static VmdDomain *
vmd_qemu_connection_define_finish (VmdConnection *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --------------------------------------------------------------- restore */

typedef struct {
  char          *path;
  VmdStartFlags  flags;
} RestoreRequest;

static void
restore_request_free (RestoreRequest *request)
{
  g_free (request->path);
  g_free (request);
}

static void
restore_finished (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  if (!vmd_domain_restore_finish (VMD_DOMAIN (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_object_ref (source), g_object_unref);
}

static void
restore_defined (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RestoreRequest *request = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdDomain) domain = vmd_connection_define_finish (VMD_CONNECTION (source), result,
                                                               &error);

  if (domain == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  vmd_domain_restore_async (domain, request->path, request->flags, g_task_get_cancellable (task),
                            restore_finished, g_object_ref (task));
}

static void
restore_header_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  VmdQemuConnection *self = VMD_QEMU_CONNECTION (source);
  g_autoptr (GTask) task = user_data;
  RestoreRequest *request = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *xml = NULL;
  VmdDomain *domain;
  int fd = -1;

  if (!_vmd_qemu_save_open_finish (result, &fd, &uuid, &xml, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  close (fd);

  domain = vmd_connection_lookup_domain (VMD_CONNECTION (self), uuid);
  if (domain != NULL)
    {
      vmd_domain_restore_async (domain, request->path, request->flags,
                                g_task_get_cancellable (task), restore_finished,
                                g_object_ref (task));
      return;
    }

  /* A state saved elsewhere: define its VM from the definition it carries. */
  {
    g_autoptr (VmdDomainConfig) config = vmd_domain_config_new_from_xml (xml, -1, &error);
    if (config == NULL)
      {
        g_task_return_error (task, g_steal_pointer (&error));
        return;
      }
    vmd_connection_define_async (VMD_CONNECTION (self), config, g_task_get_cancellable (task),
                                 restore_defined, g_object_ref (task));
  }
}

static void
vmd_qemu_connection_restore_async (VmdConnection       *connection,
                                   const char          *path,
                                   VmdStartFlags        flags,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (connection, cancellable, callback, user_data);
  RestoreRequest *request = g_new0 (RestoreRequest, 1);

  g_task_set_source_tag (task, vmd_qemu_connection_restore_async);
  request->path = g_strdup (path);
  request->flags = flags;
  g_task_set_task_data (task, request, (GDestroyNotify) restore_request_free);
  _vmd_qemu_save_open_async (connection, path, cancellable, restore_header_read,
                             g_object_ref (task));
}

static VmdDomain *
vmd_qemu_connection_restore_finish (VmdConnection *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------- the rest */

static VmdConnectionFeatures
vmd_qemu_connection_get_features (VmdConnection *self)
{
  return VMD_CONNECTION_FEATURE_SNAPSHOTS | VMD_CONNECTION_FEATURE_SAVE |
         VMD_CONNECTION_FEATURE_HOTPLUG | VMD_CONNECTION_FEATURE_CLONE |
         VMD_CONNECTION_FEATURE_SCREENSHOT | VMD_CONNECTION_FEATURE_DISPLAY_FD |
         VMD_CONNECTION_FEATURE_SERIAL_CONSOLE | VMD_CONNECTION_FEATURE_STATS |
         VMD_CONNECTION_FEATURE_AUTOSTART | VMD_CONNECTION_FEATURE_STORAGE;
}

static const char *
vmd_qemu_connection_get_uri (VmdConnection *self)
{
  return "vmdesk:///session";
}

static char *
vmd_qemu_connection_get_description (VmdConnection *self)
{
  return g_strdup (_("QEMU/KVM on this computer"));
}

static void
vmd_qemu_connection_class_init (VmdQemuConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  VmdConnectionClass *connection_class = VMD_CONNECTION_CLASS (klass);

  object_class->finalize = vmd_qemu_connection_finalize;

  connection_class->open_async = vmd_qemu_connection_open_async;
  connection_class->open_finish = vmd_qemu_connection_open_finish;
  connection_class->define_async = vmd_qemu_connection_define_async;
  connection_class->define_finish = vmd_qemu_connection_define_finish;
  connection_class->clone_async = vmd_qemu_clone_async;
  connection_class->clone_finish = vmd_qemu_clone_finish;
  connection_class->restore_async = vmd_qemu_connection_restore_async;
  connection_class->restore_finish = vmd_qemu_connection_restore_finish;
  connection_class->collect_stats_async = vmd_qemu_stats_collect_async;
  connection_class->collect_stats_finish = vmd_qemu_stats_collect_finish;
  connection_class->get_features = vmd_qemu_connection_get_features;
  connection_class->get_uri = vmd_qemu_connection_get_uri;
  connection_class->get_description = vmd_qemu_connection_get_description;
}

static void
vmd_qemu_connection_init (VmdQemuConnection *self)
{
}

/**
 * vmd_qemu_connection_new:
 * @data_dir: (nullable): where definitions live; default
 *   $XDG_DATA_HOME/vmdesk
 * @runtime_dir: (nullable): where sockets live; default
 *   $XDG_RUNTIME_DIR/vmdesk (a private folder in the cache when unset)
 */
VmdQemuConnection *
vmd_qemu_connection_new (const char *data_dir, const char *runtime_dir)
{
  VmdQemuConnection *self = g_object_new (VMD_TYPE_QEMU_CONNECTION, NULL);

  self->data_dir = data_dir ? g_strdup (data_dir)
                            : g_build_filename (g_get_user_data_dir (), "vmdesk", NULL);
  /* GLib falls back to the cache folder when XDG_RUNTIME_DIR is unset; the
   * folder we make there is 0700 all the same. */
  self->runtime_dir = runtime_dir ? g_strdup (runtime_dir)
                                  : g_build_filename (g_get_user_runtime_dir (), "vmdesk", NULL);
  self->domains_dir = g_build_filename (self->data_dir, "domains", NULL);
  self->images_dir = g_build_filename (self->data_dir, "images", NULL);
  return self;
}

/**
 * vmd_qemu_connection_set_load_mode:
 * @mode: %VMD_QEMU_LOAD_SUMMARY to list VMs quickly
 *
 * Chooses how the next open reads the definitions; call it before
 * vmd_connection_open_async().
 *
 * %VMD_QEMU_LOAD_FULL (the default) parses every definition.
 *
 * %VMD_QEMU_LOAD_SUMMARY is for listing, such as `vmdesk-cli list`: names,
 * UUIDs and titles come from DATA/domains/index.json, which the open keeps
 * up to date (only definitions new or changed since are parsed, and not
 * kept). Every domain is then *partial*: vmd_domain_get_config() gives a
 * stand-in holding only the name, UUID and title, not the definition, and
 * no snapshots are loaded. Name, UUID, title, state (running VMs are
 * attached to as in a full open) and autostart are right; nothing else
 * is. A partial domain must not be edited, started, cloned, snapshotted or
 * undefined: open a full connection for that. Writing a definition
 * (define, set-config, rename) through such a connection fails.
 */
void
vmd_qemu_connection_set_load_mode (VmdQemuConnection *self, VmdQemuLoadMode mode)
{
  g_return_if_fail (VMD_IS_QEMU_CONNECTION (self));
  g_return_if_fail (!vmd_connection_is_open (VMD_CONNECTION (self)));
  self->load_mode = mode;
}

VmdQemuLoadMode
vmd_qemu_connection_get_load_mode (VmdQemuConnection *self)
{
  g_return_val_if_fail (VMD_IS_QEMU_CONNECTION (self), VMD_QEMU_LOAD_FULL);
  return self->load_mode;
}

const char *
vmd_qemu_connection_get_data_dir (VmdQemuConnection *self)
{
  return self->data_dir;
}

const char *
vmd_qemu_connection_get_runtime_dir (VmdQemuConnection *self)
{
  return self->runtime_dir;
}

const char *
vmd_qemu_connection_get_images_dir (VmdQemuConnection *self)
{
  return self->images_dir;
}

/**
 * vmd_qemu_connection_get_qemu_binary:
 *
 * Returns: (transfer full) (nullable): qemu-system-x86_64 from PATH
 */
char *
vmd_qemu_connection_get_qemu_binary (VmdQemuConnection *self)
{
  const char *env = g_getenv ("VMDESK_QEMU");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_find_program_in_path ("qemu-system-x86_64");
}
