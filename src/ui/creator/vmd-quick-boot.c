/* vmd-quick-boot.c: run an ISO or a disk image at once, in a throwaway VM
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmd-quick-boot"


#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "vmd-creator-private.h"
#include "vmd-domain-config-metadata.h"
#include "vmd-image.h"
#include "vmd-install-watcher.h"
#include "vmd-quick-boot.h"

#define MIB ((guint64) 1 << 20)
#define GIB ((guint64) 1 << 30)

typedef struct {
  VmdConnection     *connection;
  char              *path;
  VmdCreatorChoices *choices;
  char              *overlay;     /* made here; deleted on failure */
  VmdDomain         *domain;
} QuickBoot;

static void
quick_boot_free (QuickBoot *q)
{
  g_object_unref (q->connection);
  g_free (q->path);
  vmd_creator_choices_free (q->choices);
  if (q->overlay != NULL)
    g_unlink (q->overlay);   /* only still set on failure */
  g_free (q->overlay);
  g_clear_object (&q->domain);
  g_free (q);
}

static void
fail (GTask *task, GError *error)
{
  QuickBoot *q = g_task_get_task_data (task);

  if (q->domain != NULL)
    vmd_domain_undefine_async (q->domain, FALSE, NULL, NULL, NULL);
  g_task_return_error (task, error);
}

static void
started_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  QuickBoot *q = g_task_get_task_data (task);
  GError *error = NULL;

  if (!vmd_domain_start_finish (VMD_DOMAIN (source), result, &error))
    {
      fail (task, error);
      return;
    }
  g_clear_pointer (&q->overlay, g_free);   /* the VM owns it now */
  g_task_return_pointer (task, g_steal_pointer (&q->domain), g_object_unref);
}

static void
defined_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  QuickBoot *q = g_task_get_task_data (task);
  GError *error = NULL;

  q->domain = vmd_connection_define_finish (q->connection, result, &error);
  if (q->domain == NULL)
    {
      fail (task, error);
      return;
    }
  vmd_install_watcher_ensure (q->connection);
  vmd_domain_start_async (q->domain, VMD_START_NONE, g_task_get_cancellable (task), started_cb,
                          g_object_ref (task));
}

static void
define (GTask *task)
{
  QuickBoot *q = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr (VmdDomainConfig) config = vmd_creator_build_config (q->choices, &error);
  g_autofree char *title = NULL;
  g_autofree char *base = g_path_get_basename (q->path);

  if (config == NULL)
    {
      fail (task, error);
      return;
    }
  title = g_strdup_printf (_("Quick boot of %s"), base);
  vmd_domain_config_set_title (config, title);
  vmd_connection_define_async (q->connection, config, g_task_get_cancellable (task), defined_cb,
                               g_object_ref (task));
}

static void
overlay_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (!vmd_image_create_finish (result, &error))
    {
      fail (task, error);
      return;
    }
  define (task);
}

static void
image_queried_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  QuickBoot *q = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr (VmdImageInfo) info = vmd_image_query_finish (result, &error);
  g_autofree char *dir = NULL;

  if (info == NULL)
    {
      fail (task, error);
      return;
    }
  /* The image itself is never written: the VM runs on an overlay. */
  dir = vmd_creator_images_dir (q->connection);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      fail (task, g_error_new (G_IO_ERROR, g_io_error_from_errno (errno),
                               _("The image folder %s cannot be made: %s"), dir, g_strerror (errno)));
      return;
    }
  q->overlay = vmd_creator_unused_path (dir, q->choices->name, ".qcow2");
  q->choices->source = VMD_CREATOR_SOURCE_IMPORT;
  q->choices->disk = g_strdup (q->overlay);
  q->choices->disk_format = g_strdup ("qcow2");
  vmd_image_create_async (q->overlay, "qcow2", 0, q->path, g_task_get_cancellable (task),
                          overlay_cb, g_object_ref (task));
}

static void
identified_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  QuickBoot *q = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  VmdOsInfo *info = vmd_osinfo_identify_media_finish (result, &error);
  guint64 host_mib = 4096;
  g_autofree char *meminfo = NULL;
  const char *line;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA)))
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  if (g_file_get_contents ("/proc/meminfo", &meminfo, NULL, NULL) &&
      (line = strstr (meminfo, "MemTotal:")) != NULL)
    host_mib = g_ascii_strtoull (line + strlen ("MemTotal:"), NULL, 10) / 1024;

  q->choices->os = info != NULL ? info : vmd_os_info_new_generic ();
  q->choices->memory_mib = MAX (64, MIN (q->choices->os->ram / MIB, host_mib / 2));
  q->choices->cpus = MAX (1, MIN (q->choices->os->n_cpus, g_get_num_processors ()));
  q->choices->uefi = q->choices->os->needs_uefi;
  q->choices->tpm = q->choices->os->needs_tpm;

  if (error == NULL)
    {
      /* An ISO: a live system or an installer, run without a disk. */
      q->choices->source = VMD_CREATOR_SOURCE_ISO;
      q->choices->iso = g_strdup (q->path);
      define (task);
      return;
    }
  vmd_image_query_async (q->path, g_task_get_cancellable (task), image_queried_cb,
                         g_object_ref (task));
}

static void
probed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  QuickBoot *q = g_task_get_task_data (task);
  VmdKvmStatus status = vmd_kvm_probe_finish (result, NULL, NULL);

  q->choices->domain_type = g_strdup (status == VMD_KVM_WORKS ? "kvm" : "qemu");
  vmd_osinfo_identify_media_async (q->path, g_task_get_cancellable (task), identified_cb,
                                   g_object_ref (task));
}

void
vmd_quick_boot_async (VmdConnection       *connection,
                      GFile               *file,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (connection, cancellable, callback, user_data);
  QuickBoot *q = g_new0 (QuickBoot, 1);
  g_autofree char *base = NULL;

  g_task_set_source_tag (task, vmd_quick_boot_async);
  q->connection = g_object_ref (connection);
  q->path = g_file_get_path (file);
  q->choices = g_new0 (VmdCreatorChoices, 1);
  g_task_set_task_data (task, q, (GDestroyNotify) quick_boot_free);
  if (q->path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Only files on this computer can be booted."));
      return;
    }
  base = g_path_get_basename (q->path);
  if (strrchr (base, '.') != NULL && strrchr (base, '.') != base)
    *strrchr (base, '.') = '\0';
  g_strdelimit (base, " /", '-');
  for (guint i = 1; q->choices->name == NULL; i++)
    {
      g_autofree char *name = i == 1 ? g_strdup_printf ("quick-%s", base)
                                     : g_strdup_printf ("quick-%s-%u", base, i);
      VmdDomain *other = vmd_connection_lookup_domain (connection, name);

      if (other == NULL)
        q->choices->name = g_steal_pointer (&name);
    }
  q->choices->quick_boot = TRUE;
  vmd_kvm_probe_async (NULL, NULL, FALSE, cancellable, probed_cb, g_object_ref (task));
}

/**
 * vmd_quick_boot_finish:
 *
 * Returns: (transfer full): the running throwaway VM
 */
VmdDomain *
vmd_quick_boot_finish (VmdConnection *connection, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connection), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
vmd_quick_boot_is_throwaway (VmdDomain *domain)
{
  g_autofree char *value =
    vmd_domain_config_get_vmdesk_value (vmd_domain_get_config (domain), VMD_INSTALL_KEY_QUICK);
  return value != NULL;
}

static void
kept_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (!vmd_domain_set_config_finish (VMD_DOMAIN (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
vmd_quick_boot_keep_async (VmdDomain *domain, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (domain, cancellable, callback, user_data);
  g_autoptr (VmdDomainConfig) config = vmd_domain_config_copy (vmd_domain_get_config (domain));

  g_task_set_source_tag (task, vmd_quick_boot_keep_async);
  vmd_domain_config_set_vmdesk_value (config, VMD_INSTALL_KEY_QUICK, NULL);
  vmd_domain_config_set_vmdesk_value (config, VMD_INSTALL_KEY_QUICK_STATE, NULL);
  vmd_domain_set_config_async (domain, config, cancellable, kept_cb, g_object_ref (task));
}

gboolean
vmd_quick_boot_keep_finish (VmdDomain *domain, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
