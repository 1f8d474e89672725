/* vmd-manager-window-actions.c: what the manager window does to the
 * selected virtual machines
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every action acts on the selection (several VMs at once where that makes
 * sense: run, pause, shut down, force off) and is enabled only when it
 * applies to at least one selected VM in its current state. Failures are
 * reported in the window's info bar; nothing here waits for the engine.
 */
#define G_LOG_DOMAIN "vmdesk-ui"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "vmd-image.h"
#include "vmd-manager-window-private.h"
#include "vmd-device-disk.h"
#include "vmd-domain-config.h"
#include "vmd-name-dialog.h"
#include "vmd-tags-dialog.h"

typedef enum {
  OP_START,
  OP_RESUME,
  OP_RESTORE,
  OP_PAUSE,
  OP_SHUTDOWN,
  OP_REBOOT,
  OP_RESET,
  OP_DESTROY,
  OP_SAVE,
  OP_UNDEFINE,
  OP_RENAME,
  OP_CLONE,
  OP_TAGS,
} Op;

/* Whole sentences, one per operation (see STYLE.md). */
static const char *const op_failed[] = {
  [OP_START] = N_("“%s” could not be started."),
  [OP_RESUME] = N_("“%s” could not be resumed."),
  [OP_RESTORE] = N_("“%s” could not be restored from its saved state."),
  [OP_PAUSE] = N_("“%s” could not be paused."),
  [OP_SHUTDOWN] = N_("“%s” could not be asked to shut down."),
  [OP_REBOOT] = N_("“%s” could not be asked to reboot."),
  [OP_RESET] = N_("“%s” could not be reset."),
  [OP_DESTROY] = N_("“%s” could not be forced off."),
  [OP_SAVE] = N_("The state of “%s” could not be saved."),
  [OP_UNDEFINE] = N_("“%s” could not be deleted."),
  [OP_RENAME] = N_("“%s” could not be renamed."),
  [OP_CLONE] = N_("“%s” could not be cloned."),
  [OP_TAGS] = N_("The tags of “%s” could not be saved."),
};

typedef struct {
  GWeakRef   window;
  VmdDomain *domain;
  Op         op;
  char      *name;            /* the VM's name when the operation began */
  char      *path;            /* OP_SAVE, OP_RESTORE: the saved state */
  gboolean   then_undefine;   /* OP_DESTROY: delete afterwards */
  gboolean   remove_storage;  /* OP_UNDEFINE */
  GStrv      images;          /* OP_UNDEFINE: image files to delete afterwards */
} OpData;

static void
op_data_free (OpData *data)
{
  g_weak_ref_clear (&data->window);
  g_clear_object (&data->domain);
  g_free (data->name);
  g_free (data->path);
  g_strfreev (data->images);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpData, op_data_free)

static void run_op (VmdManagerWindow *self, VmdDomain *domain, Op op, OpData *template_data);
static void delete_chosen_images (OpData *data);

/* Where “Save” keeps a VM's state; “Run” restores from it. */
static char *
saved_state_path (VmdDomain *domain)
{
  g_autofree char *file = g_strconcat (vmd_domain_get_uuid (domain), ".save", NULL);

  return g_build_filename (g_get_user_data_dir (), "vmdesk", "saved", file, NULL);
}

static void
report_failure (VmdManagerWindow *self, OpData *data, const GError *error)
{
  g_autofree char *message = g_strdup_printf (_(op_failed[data->op]), data->name);
  const char *more = vmd_domain_get_error_message (data->domain);
  g_autofree char *details = NULL;

  if (more != NULL && *more != '\0' && g_strcmp0 (more, error->message) != 0)
    details = g_strdup_printf ("%s\n\n%s", error->message, more);
  else
    details = g_strdup (error->message);
  vmd_manager_window_show_message (self, GTK_MESSAGE_ERROR, message, details);
}

static void
op_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (OpData) data = user_data;
  g_autoptr (VmdManagerWindow) self = g_weak_ref_get (&data->window);
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdDomain) clone = NULL;
  VmdDomain *domain = VMD_DOMAIN (source);
  gboolean ok = FALSE;

  switch (data->op)
    {
    case OP_START: ok = vmd_domain_start_finish (domain, result, &error); break;
    case OP_RESUME: ok = vmd_domain_resume_finish (domain, result, &error); break;
    case OP_RESTORE: ok = vmd_domain_restore_finish (domain, result, &error); break;
    case OP_PAUSE: ok = vmd_domain_suspend_finish (domain, result, &error); break;
    case OP_SHUTDOWN: ok = vmd_domain_shutdown_finish (domain, result, &error); break;
    case OP_REBOOT: ok = vmd_domain_reboot_finish (domain, result, &error); break;
    case OP_RESET: ok = vmd_domain_reset_finish (domain, result, &error); break;
    case OP_DESTROY: ok = vmd_domain_destroy_finish (domain, result, &error); break;
    case OP_SAVE: ok = vmd_domain_save_finish (domain, result, &error); break;
    case OP_UNDEFINE: ok = vmd_domain_undefine_finish (domain, result, &error); break;
    case OP_RENAME: ok = vmd_domain_rename_finish (domain, result, &error); break;
    case OP_CLONE:
    case OP_TAGS: break;
    }

  if (ok && data->op == OP_UNDEFINE && data->images != NULL && data->images[0] != NULL)
    {
      delete_chosen_images (g_steal_pointer (&data));
      return;
    }
  if (ok && data->op == OP_RESTORE && g_unlink (data->path) != 0)
    g_debug ("Could not remove %s: %s", data->path, g_strerror (errno));

  if (self == NULL)
    return;
  if (!ok)
    {
      report_failure (self, data, error);
      return;
    }
  if (data->op == OP_DESTROY && data->then_undefine)
    run_op (self, domain, OP_UNDEFINE, data);
  vmd_manager_window_update_actions (self);
}

/* --------------------------------------------- deleting chosen images */

/* The file-backed images (disks and CD-ROMs) in @domain's definition. */
static GPtrArray *
domain_images (VmdDomain *domain)
{
  g_autoptr (GPtrArray) disks = vmd_domain_config_get_devices (vmd_domain_get_config (domain),
                                                               VMD_TYPE_DEVICE_DISK);
  GPtrArray *images = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < disks->len; i++)
    {
      VmdDeviceDisk *disk = g_ptr_array_index (disks, i);
      g_autofree char *type = vmd_device_disk_get_disk_type (disk);
      char *source = vmd_device_disk_get_source (disk);

      if (source != NULL && g_strcmp0 (type, "file") == 0)
        g_ptr_array_add (images, source);
      else
        g_free (source);
    }
  return images;
}

/* Canonical image path → name of a VM (other than @except) that uses it. */
static GHashTable *
images_in_use (VmdConnection *connection, VmdDomain *except)
{
  g_autoptr (GPtrArray) domains = vmd_connection_list_domains (connection);
  GHashTable *used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < domains->len; i++)
    {
      VmdDomain *other = g_ptr_array_index (domains, i);
      g_autoptr (GPtrArray) images = NULL;

      if (other == except)
        continue;
      images = domain_images (other);
      for (guint j = 0; j < images->len; j++)
        g_hash_table_insert (used, g_canonicalize_filename (g_ptr_array_index (images, j), NULL),
                             g_strdup (vmd_domain_get_name (other)));
    }
  return used;
}

typedef struct {
  GStrv       images;
  GHashTable *in_use;   /* snapshot of all remaining domains' definitions */
} DeleteImages;

static void
delete_images_free (DeleteImages *d)
{
  g_strfreev (d->images);
  g_hash_table_unref (d->in_use);
  g_free (d);
}

/* In a thread: the backing chains of @in_use's images (canonical path →
 * VM name), as canonical backing file → the VM whose overlay rests on it. */
static GHashTable *
backing_files_of (GHashTable *in_use)
{
  GHashTable *backing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter it;
  gpointer key, value;

  g_hash_table_iter_init (&it, in_use);
  while (g_hash_table_iter_next (&it, &key, &value))
    {
      g_autofree char *path = g_strdup (key);

      /* A chain deeper than this is not a VM's. */
      for (guint depth = 0; depth < 16; depth++)
        {
          g_autofree char *next = vmd_image_read_backing_file (path);

          if (next == NULL)
            break;
          g_free (path);
          path = g_canonicalize_filename (next, NULL);
          if (!g_hash_table_contains (backing, path))
            g_hash_table_insert (backing, g_strdup (path), g_strdup (value));
        }
    }
  return backing;
}

static void
delete_images_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  DeleteImages *d = task_data;
  g_autoptr (GString) failed = g_string_new (NULL);
  g_autoptr (GHashTable) backing = backing_files_of (d->in_use);

  for (guint i = 0; d->images[i] != NULL; i++)
    {
      g_autofree char *canonical = g_canonicalize_filename (d->images[i], NULL);
      const char *user = g_hash_table_lookup (d->in_use, canonical);
      const char *overlay_user = g_hash_table_lookup (backing, canonical);

      if (user != NULL)
        {
          /* Never one another VM uses. */
          g_string_append_printf (failed, _("%s: kept, “%s” uses it.\n"), d->images[i], user);
          continue;
        }
      if (overlay_user != NULL)
        {
          /* Nor one under another VM's overlay (a linked clone's). */
          g_string_append_printf (failed, _("%s: kept, a disk of “%s” is an overlay on it.\n"),
                                  d->images[i], overlay_user);
          continue;
        }
      if (g_unlink (d->images[i]) != 0 && errno != ENOENT)
        g_string_append_printf (failed, "%s: %s\n", d->images[i], g_strerror (errno));
    }
  if (failed->len > 0)
    {
      g_string_truncate (failed, failed->len - 1);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", failed->str);
    }
  else
    g_task_return_boolean (task, TRUE);
}

static void
images_deleted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (OpData) data = user_data;
  g_autoptr (VmdManagerWindow) self = g_weak_ref_get (&data->window);
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) && self != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Disk images of “%s” could not be deleted."),
                                                  data->name);
      vmd_manager_window_show_message (self, GTK_MESSAGE_ERROR, message, error->message);
    }
}

/* After the definition is gone: deletes the chosen images in a thread. */
static void
delete_chosen_images (OpData *data)
{
  DeleteImages *d = g_new0 (DeleteImages, 1);
  g_autoptr (GTask) task = g_task_new (NULL, NULL, images_deleted, data);

  d->images = g_strdupv (data->images);
  d->in_use = images_in_use (vmd_domain_get_connection (data->domain), data->domain);
  g_task_set_task_data (task, d, (GDestroyNotify) delete_images_free);
  g_task_run_in_thread (task, delete_images_thread);
}

static void
clone_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (OpData) data = user_data;
  g_autoptr (VmdManagerWindow) self = g_weak_ref_get (&data->window);
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdDomain) clone = NULL;

  clone = vmd_connection_clone_finish (VMD_CONNECTION (source), result, &error);
  if (self == NULL)
    return;
  if (clone == NULL)
    report_failure (self, data, error);
  else
    vmd_manager_window_select_domain (self, clone);
}

static void
tags_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (OpData) data = user_data;
  g_autoptr (VmdManagerWindow) self = g_weak_ref_get (&data->window);
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdDomain) domain = NULL;

  domain = vmd_connection_define_finish (VMD_CONNECTION (source), result, &error);
  if (self != NULL && domain == NULL)
    report_failure (self, data, error);
}

static void
run_op (VmdManagerWindow *self, VmdDomain *domain, Op op, OpData *template_data)
{
  OpData *data = g_new0 (OpData, 1);

  g_weak_ref_init (&data->window, self);
  data->domain = g_object_ref (domain);
  data->op = op;
  data->name = g_strdup (vmd_domain_get_name (domain));
  if (template_data != NULL)
    {
      data->remove_storage = template_data->remove_storage;
      data->images = g_strdupv (template_data->images);
    }

  switch (op)
    {
    case OP_START:
      data->path = saved_state_path (domain);
      if (g_file_test (data->path, G_FILE_TEST_IS_REGULAR))
        {
          data->op = OP_RESTORE;
          vmd_domain_restore_async (domain, data->path, VMD_START_NONE, self->cancellable,
                                    op_done, data);
        }
      else
        vmd_domain_start_async (domain, VMD_START_NONE, self->cancellable, op_done, data);
      break;
    case OP_RESUME: vmd_domain_resume_async (domain, self->cancellable, op_done, data); break;
    case OP_PAUSE: vmd_domain_suspend_async (domain, self->cancellable, op_done, data); break;
    case OP_SHUTDOWN: vmd_domain_shutdown_async (domain, self->cancellable, op_done, data); break;
    case OP_REBOOT: vmd_domain_reboot_async (domain, self->cancellable, op_done, data); break;
    case OP_RESET: vmd_domain_reset_async (domain, self->cancellable, op_done, data); break;
    case OP_DESTROY:
      data->then_undefine = template_data != NULL && template_data->then_undefine;
      vmd_domain_destroy_async (domain, self->cancellable, op_done, data);
      break;
    case OP_SAVE:
      {
        g_autofree char *dir = NULL;

        data->path = saved_state_path (domain);
        dir = g_path_get_dirname (data->path);
        g_mkdir_with_parents (dir, 0700);
        vmd_domain_save_async (domain, data->path, self->cancellable, op_done, data);
      }
      break;
    case OP_UNDEFINE:
      vmd_domain_undefine_async (domain, data->remove_storage, self->cancellable, op_done, data);
      break;
    case OP_RESTORE:
    case OP_RENAME:
    case OP_CLONE:
    case OP_TAGS:
      g_assert_not_reached ();
    }
}

/* ------------------------------------------------------- when it applies */

static gboolean
can_start (VmdDomain *d)
{
  VmdDomainState s = vmd_domain_get_state (d);

  return s == VMD_DOMAIN_STATE_SHUTOFF || s == VMD_DOMAIN_STATE_CRASHED ||
         s == VMD_DOMAIN_STATE_PAUSED;
}

static gboolean
is_running (VmdDomain *d)
{
  return vmd_domain_get_state (d) == VMD_DOMAIN_STATE_RUNNING;
}

static gboolean
is_running_or_paused (VmdDomain *d)
{
  VmdDomainState s = vmd_domain_get_state (d);

  return s == VMD_DOMAIN_STATE_RUNNING || s == VMD_DOMAIN_STATE_PAUSED;
}

static gboolean
is_active (VmdDomain *d)
{
  return vmd_domain_is_active (d);
}

static gboolean
is_off (VmdDomain *d)
{
  return !vmd_domain_is_active (d);
}

static gboolean
can_save (VmdDomain *d)
{
  return is_running_or_paused (d) &&
         vmd_connection_has_feature (vmd_domain_get_connection (d), VMD_CONNECTION_FEATURE_SAVE);
}

static gboolean
can_clone (VmdDomain *d)
{
  return is_off (d) &&
         vmd_connection_has_feature (vmd_domain_get_connection (d), VMD_CONNECTION_FEATURE_CLONE);
}

static gboolean
any (GPtrArray *domains, gboolean (*test) (VmdDomain *))
{
  for (guint i = 0; i < domains->len; i++)
    if (test (g_ptr_array_index (domains, i)))
      return TRUE;
  return FALSE;
}

static void
set_enabled (VmdManagerWindow *self, const char *name, gboolean enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  /* The selection changes while the template is built, before the actions
   * exist. */
  if (action == NULL)
    return;
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

void
vmd_manager_window_update_actions (VmdManagerWindow *self)
{
  g_autoptr (GPtrArray) d = vmd_manager_window_get_selected (self);
  gboolean one = d->len == 1;

  set_enabled (self, "open", d->len > 0);
  set_enabled (self, "start", any (d, can_start));
  set_enabled (self, "pause", any (d, is_running));
  set_enabled (self, "shutdown", any (d, is_running));
  set_enabled (self, "reboot", any (d, is_running));
  set_enabled (self, "reset", any (d, is_running_or_paused));
  set_enabled (self, "force-off", any (d, is_active));
  set_enabled (self, "save", any (d, can_save));
  set_enabled (self, "clone", one && can_clone (g_ptr_array_index (d, 0)));
  set_enabled (self, "rename", one && is_off (g_ptr_array_index (d, 0)));
  set_enabled (self, "delete", one);
  set_enabled (self, "tags", one);
}

/* --------------------------------------------------------------- actions */

static void
open_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  VmdManagerWindow *self = user_data;
  g_autoptr (GPtrArray) d = vmd_manager_window_get_selected (self);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  for (guint i = 0; app != NULL && i < d->len; i++)
    vmd_application_show_domain (VMD_APPLICATION (app), g_ptr_array_index (d, i));
}

static void
for_each_selected (VmdManagerWindow *self, gboolean (*applies) (VmdDomain *), Op op)
{
  g_autoptr (GPtrArray) d = vmd_manager_window_get_selected (self);

  for (guint i = 0; i < d->len; i++)
    {
      VmdDomain *domain = g_ptr_array_index (d, i);

      if (applies (domain))
        run_op (self, domain, op, NULL);
    }
}

static void
start_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  VmdManagerWindow *self = user_data;
  g_autoptr (GPtrArray) d = vmd_manager_window_get_selected (self);

  for (guint i = 0; i < d->len; i++)
    {
      VmdDomain *domain = g_ptr_array_index (d, i);

      if (vmd_domain_get_state (domain) == VMD_DOMAIN_STATE_PAUSED)
        run_op (self, domain, OP_RESUME, NULL);
      else if (can_start (domain))
        run_op (self, domain, OP_START, NULL);
    }
}

static GtkWidget *confirmation_dialog (VmdManagerWindow *self, GPtrArray *domains,
                                       const char *primary, const char *secondary,
                                       const char *accept_label);

static void
pause_response (GtkDialog *dialog, int response, VmdManagerWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    for_each_selected (self, is_running, OP_PAUSE);
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
pause_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  VmdManagerWindow *self = user_data;
  g_autoptr (GPtrArray) d = NULL;
  g_autofree char *primary = NULL;
  GtkWidget *dialog;

  /* Asked only when Preferences say so (off by default, as virt-manager). */
  if (self->settings == NULL || !g_settings_get_boolean (self->settings, "confirm-pause"))
    {
      for_each_selected (self, is_running, OP_PAUSE);
      return;
    }
  d = vmd_manager_window_get_selected (self);
  if (d->len == 0)
    return;
  primary = d->len == 1 ? g_strdup_printf (_("Pause “%s”?"),
                                           vmd_domain_get_name (g_ptr_array_index (d, 0)))
                        : g_strdup_printf (ngettext ("Pause %u virtual machine?",
                                                     "Pause %u virtual machines?", d->len),
                                           d->len);
  dialog = confirmation_dialog (self, d, primary,
                                _("A paused guest stops running until it is resumed; its "
                                  "network connections may time out."),
                                _("_Pause"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (pause_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
shutdown_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  for_each_selected (user_data, is_running, OP_SHUTDOWN);
}

static void
reboot_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  for_each_selected (user_data, is_running, OP_REBOOT);
}

static void
reset_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  for_each_selected (user_data, is_running_or_paused, OP_RESET);
}

static void
save_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  for_each_selected (user_data, can_save, OP_SAVE);
}

static gboolean
should_confirm (VmdManagerWindow *self, const char *key)
{
  return self->settings == NULL || g_settings_get_boolean (self->settings, key);
}

static GPtrArray *
take_domains (GtkWidget *dialog)
{
  return g_object_get_data (G_OBJECT (dialog), "vmd-domains");
}

static void
force_off_response (GtkDialog *dialog, int response, VmdManagerWindow *self)
{
  GPtrArray *domains = take_domains (GTK_WIDGET (dialog));

  if (response == GTK_RESPONSE_ACCEPT)
    for (guint i = 0; i < domains->len; i++)
      if (is_active (g_ptr_array_index (domains, i)))
        run_op (self, g_ptr_array_index (domains, i), OP_DESTROY, NULL);
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static GtkWidget *
confirmation_dialog (VmdManagerWindow *self,
                     GPtrArray        *domains,
                     const char       *primary,
                     const char       *secondary,
                     const char       *accept_label)
{
  GtkWidget *dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                              GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                              GTK_MESSAGE_WARNING, GTK_BUTTONS_NONE,
                                              "%s", primary);
  GtkWidget *button;

  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", secondary);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), accept_label, GTK_RESPONSE_ACCEPT);
  gtk_style_context_add_class (gtk_widget_get_style_context (button), "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  gtk_window_set_title (GTK_WINDOW (dialog), primary);
  g_object_set_data_full (G_OBJECT (dialog), "vmd-domains", g_ptr_array_ref (domains),
                          (GDestroyNotify) g_ptr_array_unref);
  return dialog;
}

static void
force_off_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  VmdManagerWindow *self = user_data;
  g_autoptr (GPtrArray) d = vmd_manager_window_get_selected (self);
  g_autoptr (GPtrArray) active = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *primary = NULL;
  GtkWidget *dialog;

  for (guint i = 0; i < d->len; i++)
    if (is_active (g_ptr_array_index (d, i)))
      g_ptr_array_add (active, g_object_ref (g_ptr_array_index (d, i)));
  if (active->len == 0)
    return;

  if (!should_confirm (self, "confirm-force-off"))
    {
      for (guint i = 0; i < active->len; i++)
        run_op (self, g_ptr_array_index (active, i), OP_DESTROY, NULL);
      return;
    }

  if (active->len == 1)
    primary = g_strdup_printf (_("Force “%s” off?"),
                               vmd_domain_get_name (g_ptr_array_index (active, 0)));
  else
    primary = g_strdup_printf (ngettext ("Force %u virtual machine off?",
                                         "Force %u virtual machines off?", active->len),
                               active->len);
  dialog = confirmation_dialog (self, active, primary,
                                _("This is like pulling the power cord: whatever the guest has "
                                  "not saved is lost."),
                                _("_Force Off"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (force_off_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------ deleting */

static void
delete_response (GtkDialog *dialog, int response, VmdManagerWindow *self)
{
  GPtrArray *domains = take_domains (GTK_WIDGET (dialog));
  GPtrArray *checks = g_object_get_data (G_OBJECT (dialog), "vmd-image-checks");
  g_autoptr (GPtrArray) chosen = g_ptr_array_new ();
  OpData template_data = { .then_undefine = TRUE };

  if (response == GTK_RESPONSE_ACCEPT)
    {
      VmdDomain *domain = g_ptr_array_index (domains, 0);

      for (guint i = 0; i < checks->len; i++)
        {
          GtkToggleButton *check = g_ptr_array_index (checks, i);

          if (gtk_widget_get_sensitive (GTK_WIDGET (check)) && gtk_toggle_button_get_active (check))
            g_ptr_array_add (chosen, g_object_get_data (G_OBJECT (check), "vmd-path"));
        }
      g_ptr_array_add (chosen, NULL);
      /* The engine knows only all or nothing: undefine without storage,
       * then delete the chosen images. */
      template_data.remove_storage = FALSE;
      template_data.images = (GStrv) chosen->pdata;
      run_op (self, domain, is_active (domain) ? OP_DESTROY : OP_UNDEFINE, &template_data);
    }
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
backing_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_task_return_pointer (task, backing_files_of (task_data), (GDestroyNotify) g_hash_table_unref);
}

static void
mark_destroyed (GtkWidget *dialog)
{
  g_object_set_data (G_OBJECT (dialog), "vmd-destroyed", GINT_TO_POINTER (TRUE));
}

static void
backing_found_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GtkWidget *box = user_data;  /* alive until the dialog (the source) is destroyed */
  g_autoptr (GHashTable) backing = g_task_propagate_pointer (G_TASK (result), NULL);
  GPtrArray *checks = g_object_get_data (source, "vmd-image-checks");

  if (g_object_get_data (source, "vmd-destroyed") != NULL)
    return;  /* answered meanwhile */

  for (guint i = 0; backing != NULL && checks != NULL && i < checks->len; i++)
    {
      GtkWidget *check = g_ptr_array_index (checks, i);
      g_autofree char *canonical = g_canonicalize_filename (
        g_object_get_data (G_OBJECT (check), "vmd-path"), NULL);
      const char *user = g_hash_table_lookup (backing, canonical);
      g_autofree char *text = NULL;
      GtkWidget *label;
      int position;

      if (user == NULL || !gtk_widget_get_sensitive (check))
        continue;
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (check), FALSE);
      gtk_widget_set_sensitive (check, FALSE);
      text = g_strdup_printf (_("“%s” has an overlay on it"), user);
      label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_margin_start (label, 24);
      gtk_style_context_add_class (gtk_widget_get_style_context (label), "dim-label");
      gtk_container_child_get (GTK_CONTAINER (box), check, "position", &position, NULL);
      gtk_box_pack_start (GTK_BOX (box), label, FALSE, FALSE, 0);
      gtk_box_reorder_child (GTK_BOX (box), label, position + 1);
      gtk_widget_show (label);
    }
}

static void
delete_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  VmdManagerWindow *self = user_data;
  g_autoptr (GPtrArray) d = vmd_manager_window_get_selected (self);
  g_autoptr (GPtrArray) disks = NULL;
  g_autoptr (GHashTable) in_use = NULL;
  g_autofree char *primary = NULL;
  GPtrArray *checks;
  VmdDomain *domain;
  GtkWidget *dialog, *area, *box;

  if (d->len != 1)
    return;
  domain = g_ptr_array_index (d, 0);
  primary = g_strdup_printf (_("Delete “%s”?"), vmd_domain_get_name (domain));
  dialog = confirmation_dialog (self, d, primary,
                                is_active (domain)
                                  ? _("It is running: it will be forced off first, and whatever "
                                      "the guest has not saved is lost. Its definition is then "
                                      "removed, and the disk images checked below.")
                                  : _("Its definition is removed, and the disk images checked "
                                      "below."),
                                _("_Delete"));
  area = gtk_message_dialog_get_message_area (GTK_MESSAGE_DIALOG (dialog));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_container_add (GTK_CONTAINER (area), box);
  checks = g_ptr_array_new ();
  g_object_set_data_full (G_OBJECT (dialog), "vmd-image-checks", checks,
                          (GDestroyNotify) g_ptr_array_unref);

  /* One check box per file-backed disk or CD-ROM in the definition. */
  in_use = images_in_use (vmd_domain_get_connection (domain), domain);
  disks = vmd_domain_config_get_devices (vmd_domain_get_config (domain), VMD_TYPE_DEVICE_DISK);
  for (guint i = 0; i < disks->len; i++)
    {
      VmdDeviceDisk *disk = g_ptr_array_index (disks, i);
      g_autofree char *type = vmd_device_disk_get_disk_type (disk);
      g_autofree char *device = vmd_device_disk_get_device (disk);
      g_autofree char *source = vmd_device_disk_get_source (disk);
      g_autofree char *canonical = NULL;
      g_autofree char *basename = NULL;
      g_autofree char *warning = NULL;
      const char *user;
      GtkWidget *check;

      if (source == NULL || g_strcmp0 (type, "file") != 0)
        continue;
      canonical = g_canonicalize_filename (source, NULL);
      basename = g_path_get_basename (source);
      user = g_hash_table_lookup (in_use, canonical);
      if (user != NULL)
        warning = g_strdup_printf (_("Used by “%s”"), user);
      else if (g_strcmp0 (device, "cdrom") == 0)
        warning = g_strdup (_("CD-ROM"));
      else if (g_strcmp0 (device, "disk") != 0)
        warning = g_strdup_printf (_("Not a disk (%s)"), device);
      else if (vmd_device_disk_get_readonly (disk))
        warning = g_strdup (_("Read-only"));
      else if (vmd_device_disk_get_shareable (disk))
        warning = g_strdup (_("Shareable"));

      check = gtk_check_button_new_with_label (basename);
      gtk_widget_set_tooltip_text (check, source);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (check), warning == NULL);
      gtk_widget_set_sensitive (check, user == NULL);  /* never one another VM uses */
      g_object_set_data_full (G_OBJECT (check), "vmd-path", g_strdup (source), g_free);
      gtk_container_add (GTK_CONTAINER (box), check);
      g_ptr_array_add (checks, check);
      if (warning != NULL)
        {
          GtkWidget *label = gtk_label_new (warning);

          gtk_label_set_xalign (GTK_LABEL (label), 0);
          gtk_widget_set_margin_start (label, 24);
          gtk_style_context_add_class (gtk_widget_get_style_context (label), "dim-label");
          gtk_container_add (GTK_CONTAINER (box), label);
        }
    }
  gtk_widget_show_all (box);
  /* Images under another VM's overlay: found by reading headers in a
   * thread, then unchecked and locked like images in use. (Deleting
   * checks again, in its own thread.) */
  if (should_confirm (self, "confirm-delete"))
    {
      g_autoptr (GTask) task = g_task_new (dialog, NULL, backing_found_cb, box);

      g_signal_connect (dialog, "destroy", G_CALLBACK (mark_destroyed), NULL);
      g_task_set_task_data (task, g_hash_table_ref (in_use),
                            (GDestroyNotify) g_hash_table_unref);
      g_task_run_in_thread (task, backing_thread);
    }
  /* Without the question (Preferences), the choices it would offer first:
   * the VM's own images go, shared and read-only ones stay. */
  if (!should_confirm (self, "confirm-delete"))
    {
      delete_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT, self);
      return;
    }
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------ tags */

/* Saved as a new definition: a running VM keeps running, its tags change
 * at once. */
static void
tags_dialog_response (VmdTagsDialog *dialog, int response, VmdManagerWindow *self)
{
  VmdDomain *domain = vmd_tags_dialog_get_domain (dialog);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (VmdDomainConfig) config = vmd_domain_config_copy (vmd_domain_get_config (domain));
      g_auto (GStrv) tags = vmd_tags_dialog_get_tags (dialog);
      OpData *data = g_new0 (OpData, 1);

      g_weak_ref_init (&data->window, self);
      data->domain = g_object_ref (domain);
      data->op = OP_TAGS;
      data->name = g_strdup (vmd_domain_get_name (domain));
      vmd_domain_config_set_tags (config, (const char * const *) tags);
      vmd_connection_define_async (vmd_domain_get_connection (domain), config, self->cancellable,
                                   tags_done, data);
    }
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
tags_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  VmdManagerWindow *self = user_data;
  g_autoptr (GPtrArray) d = vmd_manager_window_get_selected (self);
  VmdTagsDialog *dialog;

  if (d->len != 1)
    return;
  dialog = vmd_tags_dialog_new (GTK_WINDOW (self), g_ptr_array_index (d, 0));
  g_signal_connect_object (dialog, "response", G_CALLBACK (tags_dialog_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
group_by_tag_change_state (GSimpleAction *action, GVariant *state, gpointer user_data)
{
  g_simple_action_set_state (action, state);
  vmd_manager_window_set_group_by_tag (user_data, g_variant_get_boolean (state));
}

/* ------------------------------------------------- renaming and cloning */

static void
rename_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  op_done (source, result, user_data);
}

static void
name_dialog_response (VmdNameDialog *dialog, int response, VmdManagerWindow *self)
{
  VmdDomain *domain = vmd_name_dialog_get_domain (dialog);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      OpData *data = g_new0 (OpData, 1);
      const char *new_name = vmd_name_dialog_get_name (dialog);

      g_weak_ref_init (&data->window, self);
      data->domain = g_object_ref (domain);
      data->name = g_strdup (vmd_domain_get_name (domain));
      if (vmd_name_dialog_get_mode (dialog) == VMD_NAME_DIALOG_RENAME)
        {
          data->op = OP_RENAME;
          vmd_domain_rename_async (domain, new_name, self->cancellable, rename_done, data);
        }
      else
        {
          g_auto (GStrv) overlays = vmd_name_dialog_get_overlays (dialog);

          data->op = OP_CLONE;
          vmd_connection_clone_disks_async (vmd_domain_get_connection (domain), domain, new_name,
                                            (const char *const *) overlays, self->cancellable,
                                            clone_done, data);
        }
    }
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
show_name_dialog (VmdManagerWindow *self, VmdNameDialogMode mode)
{
  g_autoptr (GPtrArray) d = vmd_manager_window_get_selected (self);
  VmdNameDialog *dialog;

  if (d->len != 1)
    return;
  dialog = vmd_name_dialog_new (GTK_WINDOW (self), g_ptr_array_index (d, 0), mode);
  g_signal_connect_object (dialog, "response", G_CALLBACK (name_dialog_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
rename_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  show_name_dialog (user_data, VMD_NAME_DIALOG_RENAME);
}

static void
clone_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  show_name_dialog (user_data, VMD_NAME_DIALOG_CLONE);
}

/* ------------------------------------------------------------------ view */

static void search_mode_changed_cb (VmdManagerWindow *self);

static void
search_change_state (GSimpleAction *action, GVariant *state, gpointer user_data)
{
  VmdManagerWindow *self = user_data;
  gboolean on = g_variant_get_boolean (state);

  g_simple_action_set_state (action, state);
  if (on && self->search_bar == NULL)
    {
      vmd_manager_window_ensure_search_entry (self);
      g_signal_connect_object (self->search_bar, "notify::search-mode-enabled",
                               G_CALLBACK (search_mode_changed_cb), self, G_CONNECT_SWAPPED);
    }
  if (self->search_bar != NULL)
    gtk_search_bar_set_search_mode (self->search_bar, on);
  if (on)
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
search_mode_changed_cb (VmdManagerWindow *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "search");
  gboolean on = gtk_search_bar_get_search_mode (self->search_bar);

  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (on));
  if (!on)
    {
      if (self->search_entry != NULL)
        gtk_entry_set_text (GTK_ENTRY (self->search_entry), "");
      if (self->tree_view != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (self->tree_view));
    }
}

/* show-cpu, show-host-cpu, show-memory, show-disk, show-network */
static void
show_column_change_state (GSimpleAction *action, GVariant *state, gpointer user_data)
{
  VmdManagerWindow *self = user_data;
  const char *key = g_action_get_name (G_ACTION (action)) + strlen ("show-");

  g_simple_action_set_state (action, state);
  for (int s = 0; s < VMD_STATS_N_SERIES; s++)
    if (g_str_equal (key, vmd_manager_window_series_key (s)))
      vmd_manager_window_set_series_visible (self, s, g_variant_get_boolean (state));
}

static const GActionEntry win_actions[] = {
  { .name = "open", .activate = open_activated },
  { .name = "start", .activate = start_activated },
  { .name = "pause", .activate = pause_activated },
  { .name = "shutdown", .activate = shutdown_activated },
  { .name = "reboot", .activate = reboot_activated },
  { .name = "reset", .activate = reset_activated },
  { .name = "force-off", .activate = force_off_activated },
  { .name = "save", .activate = save_activated },
  { .name = "clone", .activate = clone_activated },
  { .name = "rename", .activate = rename_activated },
  { .name = "delete", .activate = delete_activated },
  { .name = "tags", .activate = tags_activated },
  { .name = "group-by-tag", .state = "false", .change_state = group_by_tag_change_state },
  { .name = "search", .state = "false", .change_state = search_change_state },
  { .name = "show-cpu", .state = "false", .change_state = show_column_change_state },
  { .name = "show-host-cpu", .state = "false", .change_state = show_column_change_state },
  { .name = "show-memory", .state = "false", .change_state = show_column_change_state },
  { .name = "show-disk", .state = "false", .change_state = show_column_change_state },
  { .name = "show-network", .state = "false", .change_state = show_column_change_state },
};

void
vmd_manager_window_init_actions (VmdManagerWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions),
                                   self);
  for (int s = 0; s < VMD_STATS_N_SERIES; s++)
    {
      g_autofree char *name = g_strconcat ("show-", vmd_manager_window_series_key (s), NULL);
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

      g_simple_action_set_state (G_SIMPLE_ACTION (action),
                                 g_variant_new_boolean (
                                   vmd_manager_window_get_series_visible (self, s)));
    }
  vmd_manager_window_update_actions (self);
}
