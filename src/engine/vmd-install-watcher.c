/* vmd-install-watcher.c: the post-install fixup and Quick boot's discard
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-engine"


#include <glib/gstdio.h>

#include "vmd-device-types.h"
#include "vmd-domain-config-metadata.h"
#include "vmd-install-watcher.h"

struct _VmdInstallWatcher
{
  GObject        parent_instance;
  VmdConnection *connection;   /* unowned: it owns us */
  GHashTable    *busy;         /* VmdDomain* being fixed up */
};

enum { INSTALL_FINISHED, QUICK_BOOT_DISCARDED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VmdInstallWatcher, vmd_install_watcher, G_TYPE_OBJECT)

static char *
get_key (VmdDomain *domain, const char *key)
{
  return vmd_domain_config_get_vmdesk_value (vmd_domain_get_config (domain), key);
}

typedef struct {
  VmdInstallWatcher *self;
  VmdDomain         *domain;
  char              *what;   /* "install", "booted", "discard" */
  char              *files;  /* quick boot: overlay to delete */
} Job;

static void
job_free (Job *job)
{
  g_object_unref (job->self);
  g_object_unref (job->domain);
  g_free (job->what);
  g_free (job->files);
  g_free (job);
}

static Job *
job_new (VmdInstallWatcher *self, VmdDomain *domain, const char *what)
{
  Job *job = g_new0 (Job, 1);

  job->self = g_object_ref (self);
  job->domain = g_object_ref (domain);
  job->what = g_strdup (what);
  g_hash_table_add (self->busy, domain);
  return job;
}

static void check_domain (VmdInstallWatcher *self, VmdDomain *domain);

static void
set_config_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Job *job = user_data;
  g_autoptr (GError) error = NULL;

  if (!vmd_domain_set_config_finish (VMD_DOMAIN (source), result, &error))
    g_warning ("Finishing the installation of “%s” failed: %s",
               vmd_domain_get_name (job->domain), error->message);
  else if (g_str_equal (job->what, "install"))
    {
      /* The installer's own kernel and initrd, no longer booted. */
      g_auto (GStrv) files = g_strsplit (job->files ? job->files : "", "\n", -1);

      for (guint i = 0; files[i] != NULL; i++)
        if (*files[i] == '/')
          {
            g_autoptr (GFile) file = g_file_new_for_path (files[i]);
            g_file_delete_async (file, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
          }
      g_signal_emit (job->self, signals[INSTALL_FINISHED], 0, job->domain);
    }
  g_hash_table_remove (job->self->busy, job->domain);
  /* It may have shut down meanwhile. */
  if (error == NULL)
    check_domain (job->self, job->domain);
  job_free (job);
}

/* The install media out, the disk first, reboots reboot again. */
static VmdDomainConfig *
installed_config (VmdDomain *domain)
{
  VmdDomainConfig *config = vmd_domain_config_copy (vmd_domain_get_config (domain));
  g_autofree char *media = vmd_domain_config_get_vmdesk_value (config, VMD_INSTALL_KEY_MEDIA);
  g_autoptr (GPtrArray) disks = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_DISK);
  const char *boot_hd[] = { "hd", NULL };

  /* "kernel", a CD-ROM's target, or both ("kernel sda": unattended). */
  g_auto (GStrv) what = g_strsplit (media != NULL ? media : "", " ", -1);

  if (g_strv_contains ((const char *const *) what, "kernel"))
    {
      vmd_domain_config_set_kernel (config, NULL);
      vmd_domain_config_set_initrd (config, NULL);
      vmd_domain_config_set_cmdline (config, NULL);
    }
  for (guint i = 0; i < disks->len; i++)
    {
      VmdDeviceDisk *disk = g_ptr_array_index (disks, i);
      g_autofree char *target = vmd_device_disk_get_target_dev (disk);

      if (target != NULL && g_strv_contains ((const char *const *) what, target))
        vmd_device_disk_set_source (disk, NULL);
      vmd_device_set_boot_order (VMD_DEVICE (disk), 0);
    }
  vmd_domain_config_set_boot_devices (config, boot_hd);
  vmd_domain_config_set_lifecycle_action (config, VMD_LIFECYCLE_REBOOT, "restart", NULL);
  vmd_domain_config_set_vmdesk_value (config, VMD_INSTALL_KEY_MEDIA, NULL);
  vmd_domain_config_set_vmdesk_value (config, VMD_INSTALL_KEY_STATE, NULL);
  vmd_domain_config_set_vmdesk_value (config, VMD_INSTALL_KEY_FILES, NULL);
  return config;
}

static void
undefine_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Job *job = user_data;
  g_autoptr (GError) error = NULL;

  if (!vmd_domain_undefine_finish (VMD_DOMAIN (source), result, &error))
    g_warning ("Discarding the Quick boot VM “%s” failed: %s",
               vmd_domain_get_name (job->domain), error->message);
  else
    {
      if (job->files != NULL && *job->files != '\0')
        g_unlink (job->files);
      g_signal_emit (job->self, signals[QUICK_BOOT_DISCARDED], 0, job->domain);
    }
  g_hash_table_remove (job->self->busy, job->domain);
  job_free (job);
}

static void
check_domain (VmdInstallWatcher *self, VmdDomain *domain)
{
  g_autofree char *state = NULL;
  g_autofree char *quick = NULL;
  VmdDomainState s = vmd_domain_get_state (domain);

  if (g_hash_table_contains (self->busy, domain))
    return;

  quick = get_key (domain, VMD_INSTALL_KEY_QUICK);
  if (quick != NULL)
    {
      g_autofree char *qstate = get_key (domain, VMD_INSTALL_KEY_QUICK_STATE);

      if (g_strcmp0 (qstate, "booted") != 0 && s == VMD_DOMAIN_STATE_RUNNING)
        {
          g_autoptr (VmdDomainConfig) config = vmd_domain_config_copy (vmd_domain_get_config (domain));

          vmd_domain_config_set_vmdesk_value (config, VMD_INSTALL_KEY_QUICK_STATE, "booted");
          vmd_domain_set_config_async (domain, config, NULL, set_config_done,
                                       job_new (self, domain, "booted"));
          return;
        }
      /* Only once it ran: a Quick boot VM just defined is shut off too. */
      if (g_strcmp0 (qstate, "booted") == 0 && s == VMD_DOMAIN_STATE_SHUTOFF)
        {
          Job *job = job_new (self, domain, "discard");

          job->files = g_strdup (quick);
          vmd_domain_undefine_async (domain, FALSE, NULL, undefine_done, job);
          return;
        }
    }

  state = get_key (domain, VMD_INSTALL_KEY_STATE);
  if (state == NULL)
    return;
  if (g_str_equal (state, "pending") && s == VMD_DOMAIN_STATE_RUNNING)
    {
      /* It booted the media: the next shutdown ends the installation. The
       * saved definition changes, not the running VM. */
      g_autoptr (VmdDomainConfig) config = vmd_domain_config_copy (vmd_domain_get_config (domain));

      vmd_domain_config_set_vmdesk_value (config, VMD_INSTALL_KEY_STATE, "booted");
      vmd_domain_set_config_async (domain, config, NULL, set_config_done,
                                   job_new (self, domain, "booted"));
    }
  else if (g_str_equal (state, "booted") && s == VMD_DOMAIN_STATE_SHUTOFF)
    {
      g_autoptr (VmdDomainConfig) config = installed_config (domain);
      Job *job = job_new (self, domain, "install");

      job->files = get_key (domain, VMD_INSTALL_KEY_FILES);
      vmd_domain_set_config_async (domain, config, NULL, set_config_done, job);
    }
}

static void
state_changed_cb (VmdDomain *domain, int state, int reason, VmdInstallWatcher *self)
{
  check_domain (self, domain);
}

static void
config_changed_cb (VmdDomain *domain, VmdInstallWatcher *self)
{
  /* A definition replaced while shut off (e.g. an older definition came
   * back) is checked again; running VMs wait for their state change. */
  if (vmd_domain_get_state (domain) == VMD_DOMAIN_STATE_RUNNING)
    check_domain (self, domain);
}

static void
watch_domain (VmdInstallWatcher *self, VmdDomain *domain)
{
  g_signal_connect_object (domain, "state-changed", G_CALLBACK (state_changed_cb), self, 0);
  g_signal_connect_object (domain, "config-changed", G_CALLBACK (config_changed_cb), self, 0);
  check_domain (self, domain);
}

static void
domain_added_cb (VmdConnection *connection, VmdDomain *domain, VmdInstallWatcher *self)
{
  watch_domain (self, domain);
}

static void
vmd_install_watcher_finalize (GObject *object)
{
  VmdInstallWatcher *self = VMD_INSTALL_WATCHER (object);

  g_hash_table_unref (self->busy);
  G_OBJECT_CLASS (vmd_install_watcher_parent_class)->finalize (object);
}

static void
vmd_install_watcher_class_init (VmdInstallWatcherClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vmd_install_watcher_finalize;

  /**
   * VmdInstallWatcher::install-finished:
   * @domain: the VM whose install media was just ejected
   */
  signals[INSTALL_FINISHED] =
    g_signal_new ("install-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, VMD_TYPE_DOMAIN);
  /**
   * VmdInstallWatcher::quick-boot-discarded:
   * @domain: the Quick boot VM just undefined
   */
  signals[QUICK_BOOT_DISCARDED] =
    g_signal_new ("quick-boot-discarded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, VMD_TYPE_DOMAIN);
}

static void
vmd_install_watcher_init (VmdInstallWatcher *self)
{
  self->busy = g_hash_table_new (NULL, NULL);
}

VmdInstallWatcher *
vmd_install_watcher_ensure (VmdConnection *connection)
{
  VmdInstallWatcher *self;
  g_autoptr (GPtrArray) domains = NULL;

  g_return_val_if_fail (VMD_IS_CONNECTION (connection), NULL);

  self = g_object_get_data (G_OBJECT (connection), "vmd-install-watcher");
  if (self != NULL)
    return self;
  self = g_object_new (VMD_TYPE_INSTALL_WATCHER, NULL);
  self->connection = connection;
  g_object_set_data_full (G_OBJECT (connection), "vmd-install-watcher", self, g_object_unref);
  g_signal_connect_object (connection, "domain-added", G_CALLBACK (domain_added_cb), self, 0);
  domains = vmd_connection_list_domains (connection);
  for (guint i = 0; i < domains->len; i++)
    watch_domain (self, g_ptr_array_index (domains, i));
  return self;
}
