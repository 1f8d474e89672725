/* vmd-osinfo.c: libosinfo, off the main loop
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The database is loaded once, in a worker thread, and kept; every call
 * into libosinfo runs in a worker thread under one lock (libosinfo objects
 * are not thread-safe), so the assistant's page stays responsive while an
 * ISO is read or the database loads.
 */
#define G_LOG_DOMAIN "vmd-osinfo"


#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <osinfo/osinfo.h>
#include <unistd.h>

#include "vmd-osinfo.h"
#include "vmd-unattended.h"

#define GIB ((guint64) 1 << 30)
#define MIB ((guint64) 1 << 20)

static GMutex db_lock;
static OsinfoLoader *db_loader;

G_DEFINE_BOXED_TYPE (VmdOsInfo, vmd_os_info, vmd_os_info_copy, vmd_os_info_free)

/**
 * vmd_os_info_new_generic:
 *
 * Returns: what to assume about an OS nobody recognised: a modern one
 *   (q35, virtio), 2 GiB of memory, 2 CPUs, 20 GiB of disk
 */
VmdOsInfo *
vmd_os_info_new_generic (void)
{
  VmdOsInfo *info = g_new0 (VmdOsInfo, 1);

  info->name = g_strdup (_("Generic or unknown OS"));
  info->ram = 2 * GIB;
  info->n_cpus = 2;
  info->storage = 20 * GIB;
  info->virtio = TRUE;
  info->q35 = TRUE;
  return info;
}

VmdOsInfo *
vmd_os_info_copy (const VmdOsInfo *info)
{
  VmdOsInfo *copy = g_memdup2 (info, sizeof *info);

  copy->id = g_strdup (info->id);
  copy->short_id = g_strdup (info->short_id);
  copy->name = g_strdup (info->name);
  copy->distro = g_strdup (info->distro);
  copy->kernel = g_strdup (info->kernel);
  copy->initrd = g_strdup (info->initrd);
  return copy;
}

void
vmd_os_info_free (VmdOsInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->short_id);
  g_free (info->name);
  g_free (info->distro);
  g_free (info->kernel);
  g_free (info->initrd);
  g_free (info);
}

/* Called with db_lock held, in a worker thread. */
static OsinfoDb *
get_db (GError **error)
{
  if (db_loader == NULL)
    {
      g_autoptr (OsinfoLoader) loader = osinfo_loader_new ();
      g_autoptr (GError) local = NULL;

      osinfo_loader_process_default_path (loader, &local);
      if (local != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("The operating system database could not be read: %s"), local->message);
          return NULL;
        }
      db_loader = g_steal_pointer (&loader);
    }
  return osinfo_loader_get_db (db_loader);
}

static gboolean
resources_for (OsinfoResourcesList *list, gint64 *ram, gint *cpus, gint64 *storage)
{
  gboolean any = FALSE;

  for (int i = 0; list != NULL && i < osinfo_list_get_length (OSINFO_LIST (list)); i++)
    {
      OsinfoResources *r = OSINFO_RESOURCES (osinfo_list_get_nth (OSINFO_LIST (list), i));
      const char *arch = osinfo_resources_get_architecture (r);

      if (g_strcmp0 (arch, "x86_64") != 0 && g_strcmp0 (arch, "all") != 0)
        continue;
      if (*ram <= 0 && osinfo_resources_get_ram (r) > 0)
        *ram = osinfo_resources_get_ram (r);
      if (*cpus <= 0 && osinfo_resources_get_n_cpus (r) > 0)
        *cpus = osinfo_resources_get_n_cpus (r);
      if (*storage <= 0 && osinfo_resources_get_storage (r) > 0)
        *storage = osinfo_resources_get_storage (r);
      any = TRUE;
    }
  return any;
}

static gboolean
has_device (OsinfoDeviceList *devices, const char *const *ids)
{
  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (devices)); i++)
    {
      const char *id = osinfo_entity_get_id (osinfo_list_get_nth (OSINFO_LIST (devices), i));
      if (g_strv_contains (ids, id))
        return TRUE;
    }
  return FALSE;
}

/* Called with db_lock held. */
static VmdOsInfo *
info_from_os (OsinfoOs *os)
{
  static const char *const virtio_blk[] = { "http://pcisig.com/pci/1af4/1001",
                                            "http://pcisig.com/pci/1af4/1042", NULL };
  static const char *const virtio_gpu[] = { "http://pcisig.com/pci/1af4/1050", NULL };
  static const char *const q35[] = { "http://qemu.org/chipset/x86/q35", NULL };
  VmdOsInfo *info = g_new0 (VmdOsInfo, 1);
  g_autoptr (OsinfoDeviceList) devices = osinfo_os_get_all_devices (os, NULL);
  g_autoptr (OsinfoFirmwareList) firmwares = osinfo_os_get_complete_firmware_list (os, NULL);
  g_autoptr (OsinfoInstallScriptList) scripts = osinfo_os_get_install_script_list (os);
  OsinfoOs *walk = os;
  gint64 ram = -1, storage = -1;
  gint cpus = -1;

  info->id = g_strdup (osinfo_entity_get_id (OSINFO_ENTITY (os)));
  info->short_id = g_strdup (osinfo_product_get_short_id (OSINFO_PRODUCT (os)));
  info->name = g_strdup (osinfo_product_get_name (OSINFO_PRODUCT (os)));
  info->distro = g_strdup (osinfo_os_get_distro (os));
  if (info->name == NULL)
    info->name = g_strdup (info->short_id ? info->short_id : info->id);

  /* Recommended first, then the minimum; an OS that says nothing inherits
   * from the one it derives from. */
  for (guint depth = 0; walk != NULL && depth < 8; depth++)
    {
      g_autoptr (OsinfoResourcesList) rec = osinfo_os_get_recommended_resources (walk);
      g_autoptr (OsinfoResourcesList) min = osinfo_os_get_minimum_resources (walk);
      g_autoptr (OsinfoProductList) parents = NULL;

      resources_for (rec, &ram, &cpus, &storage);
      resources_for (min, &ram, &cpus, &storage);
      if (ram > 0 && cpus > 0 && storage > 0)
        break;
      parents = osinfo_product_get_related (OSINFO_PRODUCT (walk),
                                            OSINFO_PRODUCT_RELATIONSHIP_DERIVES_FROM);
      walk = osinfo_list_get_length (OSINFO_LIST (parents)) > 0
               ? OSINFO_OS (osinfo_list_get_nth (OSINFO_LIST (parents), 0))
               : NULL;
    }
  info->ram = ram > 0 ? (guint64) ram : 2 * GIB;
  info->n_cpus = cpus > 0 ? (guint) cpus : 2;
  info->storage = storage > 0 ? (guint64) storage : 20 * GIB;
  /* Recommendations below what a desktop installer needs are raised. */
  info->ram = MAX (info->ram, 512 * MIB);
  info->n_cpus = MAX (info->n_cpus, 1);

  info->virtio = has_device (devices, virtio_blk);
  info->virtio_gpu = has_device (devices, virtio_gpu);
  info->q35 = has_device (devices, q35) || info->virtio;

  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (firmwares)); i++)
    {
      OsinfoFirmware *fw = OSINFO_FIRMWARE (osinfo_list_get_nth (OSINFO_LIST (firmwares), i));

      if (g_strcmp0 (osinfo_firmware_get_architecture (fw), "x86_64") == 0 &&
          g_strcmp0 (osinfo_firmware_get_firmware_type (fw), "bios") == 0 &&
          !osinfo_firmware_is_supported (fw))
        info->needs_uefi = TRUE;
    }
  /* osinfo-db 2022 has no TPM device entry; Windows 11 is the OS that
   * refuses to install without one. */
  info->needs_tpm = info->short_id != NULL && g_str_has_prefix (info->short_id, "win11");
  if (info->needs_tpm)
    info->needs_uefi = TRUE;
  info->unattended = osinfo_list_get_length (OSINFO_LIST (scripts)) > 0;
  return info;
}

/* For the other users of libosinfo in this folder (vmd-unattended.c):
 * the shared database, with the lock that serializes every use of
 * libosinfo (its objects, libxml2 and libxslt are not used from two
 * threads at once). */
OsinfoDb *
_vmd_osinfo_lock_db (GError **error)
{
  OsinfoDb *db;

  g_mutex_lock (&db_lock);
  db = get_db (error);
  if (db == NULL)
    g_mutex_unlock (&db_lock);
  return db;
}

void
_vmd_osinfo_unlock_db (void)
{
  g_mutex_unlock (&db_lock);
}

/* ------------------------------------------------ media and trees */

/* Completes @task with what the database says of @os (or a generic OS when
 * it knows nothing of it), with @kernel and @initrd: the paths a direct
 * kernel boot takes from the medium or tree. */
static void
return_identified (GTask      *task,
                   OsinfoOs   *os,
                   const char *kernel,
                   const char *initrd)
{
  g_autoptr (GError) error = NULL;
  VmdOsInfo *info;

  g_mutex_lock (&db_lock);
  if (get_db (&error) == NULL)
    {
      g_mutex_unlock (&db_lock);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  info = os != NULL ? info_from_os (os) : vmd_os_info_new_generic ();
  g_mutex_unlock (&db_lock);
  info->kernel = g_strdup (kernel);
  info->initrd = g_strdup (initrd);
  g_task_return_pointer (task, info, (GDestroyNotify) vmd_os_info_free);
}

/* @format takes the location and the reason, in this order. */
static void
return_unidentified (GTask *task, GError *error, const char *format, const char *location)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_error_copy (error));
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, format, location,
                             error->message);
}

static void
identify_media_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (OsinfoMedia) media = NULL;
  g_autoptr (OsinfoOs) os = NULL;
  OsinfoDb *db;

  if (g_access (path, R_OK) != 0)
    {
      int saved = errno;
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("The file %s cannot be read: %s"), path, g_strerror (saved));
      return;
    }
  /* Reading the image needs no database: others may use it meanwhile. */
  media = osinfo_media_create_from_location (path, cancellable, &error);
  if (media == NULL)
    {
      return_unidentified (task, error,
                           _("The file %s is not a bootable CD or DVD image (ISO): %s"), path);
      return;
    }
  g_mutex_lock (&db_lock);
  db = get_db (NULL);
  if (db != NULL && osinfo_db_identify_media (db, media))
    os = osinfo_media_get_os (media);
  g_mutex_unlock (&db_lock);
  if (db != NULL && os == NULL)
    {
      /* An image no OS claims: unknown to the user too, so say so. */
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  return_identified (task, os, osinfo_media_get_kernel_path (media),
                     osinfo_media_get_initrd_path (media));
}

static void
identify_tree_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const char *url = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (OsinfoTree) tree = NULL;
  g_autoptr (OsinfoOs) os = NULL;
  OsinfoDb *db;

  /* The download needs no database: others may use it meanwhile. */
  tree = osinfo_tree_create_from_location (url, cancellable, &error);
  if (tree == NULL)
    {
      return_unidentified (task, error, _("No install tree was found at %s: %s"), url);
      return;
    }
  g_mutex_lock (&db_lock);
  db = get_db (NULL);
  if (db != NULL && osinfo_db_identify_tree (db, tree))
    os = osinfo_tree_get_os (tree);
  g_mutex_unlock (&db_lock);
  /* A tree with a kernel boots whatever it is: a generic OS then. */
  return_identified (task, os, osinfo_tree_get_kernel_path (tree),
                     osinfo_tree_get_initrd_path (tree));
}

static void
identify_async (const char          *location,
                GTaskThreadFunc      thread,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, g_strdup (location), g_free);
  g_task_run_in_thread (task, thread);
}

void
vmd_osinfo_identify_media_async (const char          *path,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  identify_async (path, identify_media_thread, vmd_osinfo_identify_media_async, cancellable,
                  callback, user_data);
}

VmdOsInfo *
vmd_osinfo_identify_media_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
vmd_osinfo_identify_tree_async (const char          *url,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  identify_async (url, identify_tree_thread, vmd_osinfo_identify_tree_async, cancellable,
                  callback, user_data);
}

VmdOsInfo *
vmd_osinfo_identify_tree_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------- list */

static int
compare_by_name (gconstpointer a, gconstpointer b)
{
  const VmdOsInfo *x = *(VmdOsInfo **) a;
  const VmdOsInfo *y = *(VmdOsInfo **) b;

  return g_utf8_collate (x->name, y->name);
}

static void
list_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_os_info_free);
  OsinfoDb *db;

  g_mutex_lock (&db_lock);
  db = get_db (&error);
  if (db != NULL)
    {
      g_autoptr (OsinfoOsList) list = osinfo_db_get_os_list (db);

      for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (list)); i++)
        g_ptr_array_add (out, info_from_os (OSINFO_OS (osinfo_list_get_nth (OSINFO_LIST (list), i))));
    }
  g_mutex_unlock (&db_lock);
  if (db == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_ptr_array_sort (out, compare_by_name);
  g_task_return_pointer (task, g_steal_pointer (&out), (GDestroyNotify) g_ptr_array_unref);
}

void
vmd_osinfo_list_async (GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, vmd_osinfo_list_async);
  g_task_run_in_thread (task, list_thread);
}

GPtrArray *
vmd_osinfo_list_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
