/* vmd-snapshots-view.c: the snapshots page of the VM window
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A tree of the domain's snapshots (a child was taken after reverting to
 * its parent), with actions in the "snapshots" group: create (a dialog
 * asks for name and description), revert and delete (each confirmed,
 * saying what is lost). The list reloads on the domain's
 * "snapshots-changed" event, whoever made the change. A screenshot taken
 * just before a snapshot of a running VM becomes its thumbnail, kept in
 * DATA/snapshots/UUID/NAME.png.
 */
#define G_LOG_DOMAIN "vmdesk-ui"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vmd-qemu-connection.h"
#include "vmd-snapshot-dialog.h"
#include "vmd-snapshots-view.h"

#define THUMBNAIL_SIZE 96

struct _VmdSnapshotsView
{
  GtkBox              parent_instance;

  GtkTreeStore       *store;
  GtkTreeView        *tree;
  GtkTreeSelection   *selection;
  GtkWidget          *busy_box;
  GtkSpinner         *busy_spinner;
  GtkLabel           *busy_label;
  GtkInfoBar         *error_bar;
  GtkLabel           *error_label;
  GtkStack           *stack;

  GSimpleActionGroup *actions;
  VmdDomain          *domain;
  GCancellable       *cancellable;  /* thumbnails and operations */
  char               *error;
  guint               busy;
};

G_DEFINE_FINAL_TYPE (VmdSnapshotsView, vmd_snapshots_view, GTK_TYPE_BOX)

static void update_actions (VmdSnapshotsView *self);
static void refresh (VmdSnapshotsView *self);

/* ---------------------------------------------------------------- helpers */

/**
 * vmd_snapshots_thumbnail_path:
 *
 * Returns: (transfer full): where the thumbnail of @snapshot is kept
 */
char *
vmd_snapshots_thumbnail_path (VmdDomain *domain, const char *snapshot)
{
  VmdConnection *conn = vmd_domain_get_connection (domain);
  g_autofree char *file = g_strdup_printf ("%s.png", snapshot);
  g_autofree char *fallback = NULL;
  const char *data_dir;

  if (conn != NULL && VMD_IS_QEMU_CONNECTION (conn))
    data_dir = vmd_qemu_connection_get_data_dir (VMD_QEMU_CONNECTION (conn));
  else
    data_dir = fallback = g_build_filename (g_get_user_data_dir (), "vmdesk", NULL);
  g_strdelimit (file, "/", '_');
  return g_build_filename (data_dir, "snapshots", vmd_domain_get_uuid (domain), file, NULL);
}

static char *
selected_name (VmdSnapshotsView *self)
{
  GtkTreeModel *model;
  GtkTreeIter iter;
  char *name = NULL;

  if (gtk_tree_selection_get_selected (self->selection, &model, &iter))
    gtk_tree_model_get (model, &iter, VMD_SNAPSHOTS_COLUMN_NAME, &name, -1);
  return name;
}

static GtkWindow *
parent_window (VmdSnapshotsView *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));

  return GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL;
}

static void
show_error (VmdSnapshotsView *self, const char *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_bar), message != NULL);
  gtk_info_bar_set_revealed (self->error_bar, message != NULL);
}

static void
set_busy (VmdSnapshotsView *self, const char *message)
{
  if (message != NULL)
    {
      self->busy++;
      gtk_label_set_text (self->busy_label, message);
      show_error (self, NULL);
    }
  else if (self->busy > 0)
    self->busy--;
  gtk_widget_set_visible (self->busy_box, self->busy > 0);
  if (self->busy > 0)
    gtk_spinner_start (self->busy_spinner);
  else
    gtk_spinner_stop (self->busy_spinner);
  update_actions (self);
}

/* -------------------------------------------------------------- thumbnails */

typedef struct {
  VmdSnapshotsView    *self;
  GtkTreeRowReference *row;
} ThumbData;

static void
thumb_data_free (ThumbData *data)
{
  g_object_unref (data->self);
  gtk_tree_row_reference_free (data->row);
  g_free (data);
}

static void
thumbnail_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ThumbData *data = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new_from_stream_finish (result, &error);
  g_autoptr (GtkTreePath) path = NULL;
  GtkTreeIter iter;

  if (pixbuf != NULL && data->self->domain != NULL &&
      (path = gtk_tree_row_reference_get_path (data->row)) != NULL &&
      gtk_tree_model_get_iter (GTK_TREE_MODEL (data->self->store), &iter, path))
    gtk_tree_store_set (data->self->store, &iter, VMD_SNAPSHOTS_COLUMN_THUMBNAIL, pixbuf, -1);
  thumb_data_free (data);
}

static void
thumbnail_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ThumbData *data = user_data;
  g_autoptr (GFileInputStream) stream = g_file_read_finish (G_FILE (source), result, NULL);

  if (stream == NULL || data->self->cancellable == NULL)
    {
      thumb_data_free (data);
      return;
    }
  gdk_pixbuf_new_from_stream_at_scale_async (G_INPUT_STREAM (stream), THUMBNAIL_SIZE,
                                             THUMBNAIL_SIZE, TRUE, data->self->cancellable,
                                             thumbnail_loaded, data);
}

static void
load_thumbnail (VmdSnapshotsView *self, GtkTreeIter *iter, const char *name)
{
  g_autofree char *path = vmd_snapshots_thumbnail_path (self->domain, name);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GtkTreePath) tree_path = gtk_tree_model_get_path (GTK_TREE_MODEL (self->store),
                                                               iter);
  ThumbData *data = g_new0 (ThumbData, 1);

  data->self = g_object_ref (self);
  data->row = gtk_tree_row_reference_new (GTK_TREE_MODEL (self->store), tree_path);
  g_file_read_async (file, G_PRIORITY_LOW, self->cancellable, thumbnail_opened, data);
}

/* ------------------------------------------------------------------ list */

static void
refresh (VmdSnapshotsView *self)
{
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GHashTable) rows = NULL;
  g_autofree char *keep = selected_name (self);
  g_autofree gboolean *placed = NULL;
  gboolean orphans = FALSE;
  guint left;

  gtk_tree_store_clear (self->store);
  if (self->domain == NULL)
    return;
  list = vmd_domain_list_snapshots (self->domain);
  rows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                (GDestroyNotify) gtk_tree_iter_free);
  placed = g_new0 (gboolean, list->len);
  left = list->len;

  /* Oldest first, so a parent is usually placed before its children; once
   * a pass places nothing, the rest lost their parent and go on top. */
  while (left > 0)
    {
      gboolean placed_any = FALSE;

      for (guint i = 0; i < list->len; i++)
        {
          VmdSnapshot *snap = g_ptr_array_index (list, i);
          const char *parent = vmd_snapshot_get_parent (snap);
          GtkTreeIter *parent_iter = parent ? g_hash_table_lookup (rows, parent) : NULL;
          GDateTime *created = vmd_snapshot_get_created (snap);
          g_autofree char *time = created ? g_date_time_format (created, "%x %X") : g_strdup ("");
          GtkTreeIter iter;

          if (placed[i] || (parent != NULL && parent_iter == NULL && !orphans))
            continue;
          gtk_tree_store_append (self->store, &iter, parent_iter);
          gtk_tree_store_set (self->store, &iter,
                              VMD_SNAPSHOTS_COLUMN_NAME, vmd_snapshot_get_name (snap),
                              VMD_SNAPSHOTS_COLUMN_DESCRIPTION,
                              vmd_snapshot_get_description (snap),
                              VMD_SNAPSHOTS_COLUMN_TIME, time,
                              VMD_SNAPSHOTS_COLUMN_STATE,
                              vmd_domain_state_to_string (vmd_snapshot_get_state (snap)),
                              VMD_SNAPSHOTS_COLUMN_WEIGHT,
                              vmd_snapshot_is_current (snap) ? PANGO_WEIGHT_BOLD
                                                             : PANGO_WEIGHT_NORMAL,
                              -1);
          g_hash_table_insert (rows, (gpointer) vmd_snapshot_get_name (snap),
                               gtk_tree_iter_copy (&iter));
          load_thumbnail (self, &iter, vmd_snapshot_get_name (snap));
          placed[i] = TRUE;
          placed_any = TRUE;
          left--;
        }
      if (!placed_any)
        orphans = TRUE;
    }
  gtk_tree_view_expand_all (self->tree);
  if (keep != NULL)
    {
      GtkTreeIter *iter = g_hash_table_lookup (rows, keep);
      if (iter != NULL)
        gtk_tree_selection_select_iter (self->selection, iter);
    }
  gtk_stack_set_visible_child_name (self->stack, list->len > 0 ? "list" : "empty");
  update_actions (self);
}

static void
domain_event (VmdDomain *domain, const char *name, const char *detail, VmdSnapshotsView *self)
{
  if (g_strcmp0 (name, "snapshots-changed") == 0)
    refresh (self);
}

static void
update_actions (VmdSnapshotsView *self)
{
  g_autofree char *name = selected_name (self);
  gboolean idle = self->domain != NULL && self->busy == 0;
  gboolean can = self->domain != NULL &&
                 vmd_domain_get_state (self->domain) != VMD_DOMAIN_STATE_CRASHED;
  const char *const names[] = { "create", "revert", "delete" };
  gboolean enabled[] = { idle && can, idle && can && name != NULL, idle && name != NULL };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_simple_action_set_enabled (
      G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), names[i])),
      enabled[i]);
}

static void
selection_changed (VmdSnapshotsView *self)
{
  update_actions (self);
}

/* ---------------------------------------------------------------- create */

typedef struct {
  VmdSnapshotsView *self;
  char             *name;
  char             *description;
  char             *thumbnail;
} CreateData;

static void
create_data_free (CreateData *data)
{
  g_object_unref (data->self);
  g_free (data->name);
  g_free (data->description);
  g_free (data->thumbnail);
  g_free (data);
}

static void
snapshot_created (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CreateData *data = user_data;
  VmdSnapshotsView *self = data->self;
  g_autoptr (GError) error = NULL;

  if (!vmd_domain_snapshot_create_finish (VMD_DOMAIN (source), result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The snapshot “%s” could not be created: %s"),
                                                  data->name, error->message);
      if (data->thumbnail != NULL)
        g_unlink (data->thumbnail);
      set_busy (self, NULL);
      show_error (self, message);
    }
  else
    {
      set_busy (self, NULL);
      refresh (self);
    }
  create_data_free (data);
}

static void
start_create (CreateData *data)
{
  vmd_domain_snapshot_create_async (data->self->domain, data->name, data->description, NULL,
                                    snapshot_created, data);
}

static void
thumbnail_taken (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CreateData *data = user_data;
  g_autoptr (GError) error = NULL;

  /* A snapshot without a thumbnail is still a snapshot. */
  if (!vmd_domain_screenshot_finish (VMD_DOMAIN (source), result, &error))
    g_debug ("no thumbnail for “%s”: %s", data->name, error->message);
  if (data->self->domain == NULL)
    {
      create_data_free (data);
      return;
    }
  start_create (data);
}

static void
thumbnail_folder_made (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CreateData *data = user_data;

  if (data->self->domain == NULL)
    {
      create_data_free (data);
      return;
    }
  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    {
      start_create (data);
      return;
    }
  vmd_domain_screenshot_async (data->self->domain, data->thumbnail, NULL, thumbnail_taken, data);
}

static void
make_folder_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_autofree char *folder = g_path_get_dirname (task_data);

  g_task_return_boolean (task, g_mkdir_with_parents (folder, 0700) == 0);
}

/**
 * vmd_snapshots_view_create:
 *
 * Takes a snapshot of the domain now, with a thumbnail when it runs.
 */
void
vmd_snapshots_view_create (VmdSnapshotsView *self, const char *name, const char *description)
{
  g_autofree char *busy = g_strdup_printf (_("Creating the snapshot “%s”…"), name);
  CreateData *data;

  g_return_if_fail (self->domain != NULL);
  data = g_new0 (CreateData, 1);
  data->self = g_object_ref (self);
  data->name = g_strdup (name);
  data->description = g_strdup (description);
  set_busy (self, busy);

  if (vmd_domain_get_state (self->domain) == VMD_DOMAIN_STATE_RUNNING ||
      vmd_domain_get_state (self->domain) == VMD_DOMAIN_STATE_PAUSED)
    {
      g_autoptr (GTask) task = g_task_new (NULL, NULL, thumbnail_folder_made, data);

      data->thumbnail = vmd_snapshots_thumbnail_path (self->domain, name);
      g_task_set_task_data (task, g_strdup (data->thumbnail), g_free);
      g_task_run_in_thread (task, make_folder_thread);
    }
  else
    start_create (data);
}

static void
create_response (VmdSnapshotDialog *dialog, int response, VmdSnapshotsView *self)
{
  if (response == GTK_RESPONSE_OK && self->domain != NULL)
    {
      g_autofree char *name = g_strstrip (g_strdup (vmd_snapshot_dialog_get_name (dialog)));
      g_autofree char *description = vmd_snapshot_dialog_get_description (dialog);

      if (name[0] == '\0')
        return;
      vmd_snapshots_view_create (self, name, description);
    }
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static char *
suggest_name (VmdSnapshotsView *self)
{
  g_autoptr (GPtrArray) list = vmd_domain_list_snapshots (self->domain);

  for (guint n = list->len + 1;; n++)
    {
      g_autofree char *name = g_strdup_printf ("snapshot%u", n);
      gboolean taken = FALSE;

      for (guint i = 0; i < list->len && !taken; i++)
        taken = g_strcmp0 (vmd_snapshot_get_name (g_ptr_array_index (list, i)), name) == 0;
      if (!taken)
        return g_steal_pointer (&name);
    }
}

static void
create_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  VmdSnapshotsView *self = user_data;
  g_autofree char *suggested = suggest_name (self);
  VmdSnapshotDialog *dialog = vmd_snapshot_dialog_new (parent_window (self), suggested);

  g_signal_connect_object (dialog, "response", G_CALLBACK (create_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* -------------------------------------------------------- revert, delete */

typedef struct {
  VmdSnapshotsView *self;
  char             *name;
} OpData;

static void
op_data_free (OpData *data)
{
  g_object_unref (data->self);
  g_free (data->name);
  g_free (data);
}

static void
reverted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  OpData *data = user_data;
  g_autoptr (GError) error = NULL;

  set_busy (data->self, NULL);
  if (!vmd_domain_snapshot_revert_finish (VMD_DOMAIN (source), result, &error))
    {
      g_autofree char *message =
        g_strdup_printf (_("The virtual machine could not be reverted to “%s”: %s"), data->name,
                         error->message);
      show_error (data->self, message);
    }
  refresh (data->self);
  op_data_free (data);
}

static void
deleted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  OpData *data = user_data;
  g_autoptr (GError) error = NULL;

  set_busy (data->self, NULL);
  if (!vmd_domain_snapshot_delete_finish (VMD_DOMAIN (source), result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The snapshot “%s” could not be deleted: %s"),
                                                  data->name, error->message);
      show_error (data->self, message);
    }
  else if (data->self->domain != NULL)
    {
      g_autofree char *thumbnail = vmd_snapshots_thumbnail_path (data->self->domain, data->name);
      g_autoptr (GFile) file = g_file_new_for_path (thumbnail);

      g_file_delete_async (file, G_PRIORITY_LOW, NULL, NULL, NULL);
    }
  refresh (data->self);
  op_data_free (data);
}

static void
confirm_response (GtkDialog *dialog, int response, OpData *data)
{
  gboolean revert = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "revert"));
  VmdSnapshotsView *self = data->self;

  gtk_widget_destroy (GTK_WIDGET (dialog));
  if (response != GTK_RESPONSE_ACCEPT || self->domain == NULL)
    {
      op_data_free (data);
      return;
    }
  if (revert)
    {
      g_autofree char *busy = g_strdup_printf (_("Reverting to the snapshot “%s”…"), data->name);
      set_busy (self, busy);
      vmd_domain_snapshot_revert_async (self->domain, data->name, NULL, reverted, data);
    }
  else
    {
      g_autofree char *busy = g_strdup_printf (_("Deleting the snapshot “%s”…"), data->name);
      set_busy (self, busy);
      vmd_domain_snapshot_delete_async (self->domain, data->name, NULL, deleted, data);
    }
}

static void
confirm (VmdSnapshotsView *self, gboolean revert)
{
  g_autofree char *name = selected_name (self);
  const char *vm = vmd_domain_get_name (self->domain);
  g_autofree char *question = NULL;
  GtkWidget *dialog;
  OpData *data;

  if (name == NULL)
    return;
  if (revert)
    question = g_strdup_printf (_("Revert “%s” to the snapshot “%s”? Everything since it was taken is lost."),
                                vm, name);
  else
    question = g_strdup_printf (_("Delete the snapshot “%s” of “%s”? It cannot be brought back."),
                                name, vm);
  dialog = gtk_message_dialog_new (parent_window (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_WARNING, GTK_BUTTONS_NONE, "%s", question);
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL,
                          revert ? _("_Revert") : _("_Delete"), GTK_RESPONSE_ACCEPT, NULL);
  gtk_style_context_add_class (
    gtk_widget_get_style_context (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog),
                                                                      GTK_RESPONSE_ACCEPT)),
    "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_object_set_data (G_OBJECT (dialog), "revert", GINT_TO_POINTER (revert));
  data = g_new0 (OpData, 1);
  data->self = g_object_ref (self);
  data->name = g_steal_pointer (&name);
  g_signal_connect (dialog, "response", G_CALLBACK (confirm_response), data);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
revert_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  confirm (user_data, TRUE);
}

static void
delete_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  confirm (user_data, FALSE);
}

static const GActionEntry snapshot_actions[] = {
  { .name = "create", .activate = create_activated },
  { .name = "revert", .activate = revert_activated },
  { .name = "delete", .activate = delete_activated },
};

/* ------------------------------------------------------------------ class */

static void
error_bar_response (GtkInfoBar *bar, int response, VmdSnapshotsView *self)
{
  show_error (self, NULL);
}

static void
state_changed (VmdDomain *domain, int state, int reason, VmdSnapshotsView *self)
{
  update_actions (self);
}

static void
detach_domain (VmdSnapshotsView *self)
{
  if (self->domain != NULL)
    g_signal_handlers_disconnect_by_data (self->domain, self);
  g_clear_object (&self->domain);
}

static void
vmd_snapshots_view_dispose (GObject *object)
{
  VmdSnapshotsView *self = VMD_SNAPSHOTS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  detach_domain (self);
  g_clear_object (&self->actions);
  G_OBJECT_CLASS (vmd_snapshots_view_parent_class)->dispose (object);
}

static void
vmd_snapshots_view_finalize (GObject *object)
{
  g_free (VMD_SNAPSHOTS_VIEW (object)->error);
  G_OBJECT_CLASS (vmd_snapshots_view_parent_class)->finalize (object);
}

static void
vmd_snapshots_view_class_init (VmdSnapshotsViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_snapshots_view_dispose;
  G_OBJECT_CLASS (klass)->finalize = vmd_snapshots_view_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               VMD_RESOURCE_PREFIX "/ui/vmd-snapshots-view.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdSnapshotsView, store);
  gtk_widget_class_bind_template_child (widget_class, VmdSnapshotsView, tree);
  gtk_widget_class_bind_template_child (widget_class, VmdSnapshotsView, selection);
  gtk_widget_class_bind_template_child (widget_class, VmdSnapshotsView, busy_box);
  gtk_widget_class_bind_template_child (widget_class, VmdSnapshotsView, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, VmdSnapshotsView, busy_label);
  gtk_widget_class_bind_template_child (widget_class, VmdSnapshotsView, error_bar);
  gtk_widget_class_bind_template_child (widget_class, VmdSnapshotsView, error_label);
  gtk_widget_class_bind_template_child (widget_class, VmdSnapshotsView, stack);
  gtk_widget_class_bind_template_callback (widget_class, selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, error_bar_response);
}

static void
vmd_snapshots_view_init (VmdSnapshotsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), snapshot_actions,
                                   G_N_ELEMENTS (snapshot_actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "snapshots", G_ACTION_GROUP (self->actions));
  update_actions (self);
}

VmdSnapshotsView *
vmd_snapshots_view_new (void)
{
  return g_object_new (VMD_TYPE_SNAPSHOTS_VIEW, NULL);
}

void
vmd_snapshots_view_set_domain (VmdSnapshotsView *self, VmdDomain *domain)
{
  detach_domain (self);
  if (domain != NULL)
    {
      self->domain = g_object_ref (domain);
      g_signal_connect (domain, "event", G_CALLBACK (domain_event), self);
      g_signal_connect (domain, "state-changed", G_CALLBACK (state_changed), self);
    }
  refresh (self);
}

/**
 * vmd_snapshots_view_get_model:
 *
 * Returns: (transfer none): the tree of snapshots (VMD_SNAPSHOTS_COLUMN_*)
 */
GtkTreeModel *
vmd_snapshots_view_get_model (VmdSnapshotsView *self)
{
  return GTK_TREE_MODEL (self->store);
}

GtkTreeView *
vmd_snapshots_view_get_tree (VmdSnapshotsView *self)
{
  return self->tree;
}

gboolean
vmd_snapshots_view_is_busy (VmdSnapshotsView *self)
{
  return self->busy > 0;
}

/* The last operation's error shown on the page, or NULL. */
const char *
vmd_snapshots_view_get_error (VmdSnapshotsView *self)
{
  return self->error;
}
