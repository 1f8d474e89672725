/* vmd-details-os.c: the OS page of the Details view
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * libosinfo's database (a few thousand XML files) is read once per
 * process in a thread; the page shows the OSes by name, newest release
 * first within a name, filtered by the search entry.
 */
#define G_LOG_DOMAIN "vmdesk-details"

#include <glib/gi18n.h>
#include <osinfo/osinfo.h>
#include <string.h>

#include "vmd-details-os.h"

enum { COL_ID, COL_NAME, COL_SEARCH };

typedef struct {
  char *id;
  char *name;
} OsEntry;

struct _VmdDetailsOs
{
  VmdDetailsPage      parent_instance;

  GtkListStore       *store;
  GtkTreeModelFilter *filter;
  GtkTreeView        *tree;
  GtkTreeSelection   *selection;
  GtkSearchEntry     *search_entry;
  GtkLabel           *current_label;
  GtkWidget          *clear_button;
  GtkStack           *stack;
  GtkLabel           *loading_label;

  GCancellable       *cancellable;
  char               *os_id;       /* chosen, NULL for unknown */
  char               *stored_id;   /* what the definition has */
  gboolean            filling;
  gboolean            listing;     /* the database is being or was read */
};

G_DEFINE_FINAL_TYPE (VmdDetailsOs, vmd_details_os, VMD_TYPE_DETAILS_PAGE)

/* ------------------------------------------------------------ the database */

G_LOCK_DEFINE_STATIC (os_list);
static GPtrArray *os_list_cache;   /* OsEntry, sorted by name */

static void
os_entry_free (OsEntry *entry)
{
  g_free (entry->id);
  g_free (entry->name);
  g_free (entry);
}

static int
compare_entries (gconstpointer a, gconstpointer b)
{
  const OsEntry *ea = *(OsEntry **) a;
  const OsEntry *eb = *(OsEntry **) b;

  return g_utf8_collate (ea->name, eb->name);
}

static void
load_os_list_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_autoptr (OsinfoLoader) loader = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (OsinfoOsList) list = NULL;
  GPtrArray *entries;
  OsinfoDb *db;

  G_LOCK (os_list);
  if (os_list_cache != NULL)
    {
      g_task_return_pointer (task, g_ptr_array_ref (os_list_cache),
                             (GDestroyNotify) g_ptr_array_unref);
      G_UNLOCK (os_list);
      return;
    }
  loader = osinfo_loader_new ();
  osinfo_loader_process_default_path (loader, &error);
  if (error != NULL)
    g_debug ("part of the libosinfo database could not be read: %s", error->message);
  db = osinfo_loader_get_db (loader);
  list = osinfo_db_get_os_list (db);
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) os_entry_free);
  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (list)); i++)
    {
      OsinfoEntity *os = osinfo_list_get_nth (OSINFO_LIST (list), i);
      const char *name = osinfo_product_get_name (OSINFO_PRODUCT (os));
      OsEntry *entry;

      if (name == NULL)
        continue;
      entry = g_new0 (OsEntry, 1);
      entry->id = g_strdup (osinfo_entity_get_id (os));
      entry->name = g_strdup (name);
      g_ptr_array_add (entries, entry);
    }
  g_ptr_array_sort (entries, compare_entries);
  os_list_cache = entries;
  g_task_return_pointer (task, g_ptr_array_ref (entries), (GDestroyNotify) g_ptr_array_unref);
  G_UNLOCK (os_list);
}

static const char *
name_of (const char *id)
{
  G_LOCK (os_list);
  for (guint i = 0; os_list_cache != NULL && i < os_list_cache->len; i++)
    {
      OsEntry *entry = g_ptr_array_index (os_list_cache, i);
      if (g_strcmp0 (entry->id, id) == 0)
        {
          G_UNLOCK (os_list);
          return entry->name;
        }
    }
  G_UNLOCK (os_list);
  return NULL;
}

/* ---------------------------------------------------------------- the page */

static void
update_current (VmdDetailsOs *self)
{
  const char *name = self->os_id ? name_of (self->os_id) : NULL;

  if (self->os_id == NULL)
    gtk_label_set_text (self->current_label, _("Unknown"));
  else
    gtk_label_set_text (self->current_label, name ? name : self->os_id);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->current_label), self->os_id);
  gtk_widget_set_sensitive (self->clear_button, self->os_id != NULL);
}

static void
select_current (VmdDetailsOs *self)
{
  GtkTreeModel *model = GTK_TREE_MODEL (self->filter);
  GtkTreeIter iter;

  self->filling = TRUE;
  gtk_tree_selection_unselect_all (self->selection);
  if (self->os_id != NULL && gtk_tree_model_get_iter_first (model, &iter))
    do
      {
        g_autofree char *id = NULL;

        gtk_tree_model_get (model, &iter, COL_ID, &id, -1);
        if (g_strcmp0 (id, self->os_id) == 0)
          {
            g_autoptr (GtkTreePath) path = gtk_tree_model_get_path (model, &iter);

            gtk_tree_selection_select_iter (self->selection, &iter);
            gtk_tree_view_scroll_to_cell (self->tree, path, NULL, TRUE, 0.5, 0);
            break;
          }
      }
    while (gtk_tree_model_iter_next (model, &iter));
  self->filling = FALSE;
}

static void
os_listed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = g_task_propagate_pointer (G_TASK (result), &error);
  VmdDetailsOs *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = VMD_DETAILS_OS (user_data);
  if (entries == NULL)
    {
      gtk_label_set_text (self->loading_label, error->message);
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      OsEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *search = g_strdup_printf ("%s %s", entry->name, entry->id);
      g_autofree char *folded = g_utf8_casefold (search, -1);

      gtk_list_store_insert_with_values (self->store, NULL, -1, COL_ID, entry->id,
                                         COL_NAME, entry->name, COL_SEARCH, folded, -1);
    }
  gtk_stack_set_visible_child_name (self->stack, "list");
  update_current (self);
  select_current (self);
}

static gboolean
visible_func (GtkTreeModel *model, GtkTreeIter *iter, gpointer user_data)
{
  VmdDetailsOs *self = user_data;
  const char *text = gtk_entry_get_text (GTK_ENTRY (self->search_entry));
  g_autofree char *search = NULL;
  g_autofree char *needle = NULL;
  g_auto (GStrv) words = NULL;

  if (*text == '\0')
    return TRUE;
  gtk_tree_model_get (model, iter, COL_SEARCH, &search, -1);
  if (search == NULL)
    return FALSE;
  needle = g_utf8_casefold (text, -1);
  words = g_strsplit (needle, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0' && strstr (search, words[i]) == NULL)
      return FALSE;
  return TRUE;
}

static void
search_changed_cb (VmdDetailsOs *self)
{
  gtk_tree_model_filter_refilter (self->filter);
  select_current (self);
}

static void
selection_changed_cb (VmdDetailsOs *self)
{
  GtkTreeModel *model;
  GtkTreeIter iter;
  g_autofree char *id = NULL;

  if (self->filling || !gtk_tree_selection_get_selected (self->selection, &model, &iter))
    return;
  gtk_tree_model_get (model, &iter, COL_ID, &id, -1);
  if (g_strcmp0 (id, self->os_id) == 0)
    return;
  g_free (self->os_id);
  self->os_id = g_steal_pointer (&id);
  update_current (self);
  vmd_details_page_changed (VMD_DETAILS_PAGE (self));
}

static void
clear_clicked_cb (VmdDetailsOs *self)
{
  g_clear_pointer (&self->os_id, g_free);
  update_current (self);
  select_current (self);
  vmd_details_page_changed (VMD_DETAILS_PAGE (self));
}

static void
os_load (VmdDetailsPage *page, VmdDomainConfig *config)
{
  VmdDetailsOs *self = VMD_DETAILS_OS (page);

  g_free (self->os_id);
  g_free (self->stored_id);
  self->os_id = vmd_domain_config_get_os_id (config);
  self->stored_id = g_strdup (self->os_id);
  update_current (self);
  select_current (self);
}

static gboolean
os_store (VmdDetailsPage *page, VmdDomainConfig *config, GError **error)
{
  VmdDetailsOs *self = VMD_DETAILS_OS (page);
  g_autofree char *now = vmd_domain_config_get_os_id (config);

  if (g_strcmp0 (now, self->os_id) != 0)
    vmd_domain_config_set_os_id (config, self->os_id);
  return TRUE;
}

static void
vmd_details_os_dispose (GObject *object)
{
  VmdDetailsOs *self = VMD_DETAILS_OS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (vmd_details_os_parent_class)->dispose (object);
}

static void
vmd_details_os_finalize (GObject *object)
{
  VmdDetailsOs *self = VMD_DETAILS_OS (object);

  g_free (self->os_id);
  g_free (self->stored_id);
  G_OBJECT_CLASS (vmd_details_os_parent_class)->finalize (object);
}

static void
vmd_details_os_class_init (VmdDetailsOsClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  VmdDetailsPageClass *page_class = VMD_DETAILS_PAGE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_details_os_dispose;
  G_OBJECT_CLASS (klass)->finalize = vmd_details_os_finalize;
  page_class->load = os_load;
  page_class->store = os_store;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               VMD_RESOURCE_PREFIX "/details/vmd-details-os.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsOs, store);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsOs, filter);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsOs, tree);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsOs, selection);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsOs, search_entry);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsOs, current_label);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsOs, clear_button);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsOs, stack);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsOs, loading_label);
}

/* The database is read when the page is first shown, not with the view. */
static void
os_map_cb (VmdDetailsOs *self)
{
  g_autoptr (GTask) task = NULL;

  if (self->listing)
    return;
  self->listing = TRUE;
  task = g_task_new (NULL, self->cancellable, os_listed_cb, self);
  g_task_set_source_tag (task, os_map_cb);
  g_task_run_in_thread (task, load_os_list_thread);
}

static void
vmd_details_os_init (VmdDetailsOs *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_tree_model_filter_set_visible_func (self->filter, visible_func, self, NULL);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb),
                            self);
  g_signal_connect_swapped (self->selection, "changed", G_CALLBACK (selection_changed_cb), self);
  g_signal_connect_swapped (self->clear_button, "clicked", G_CALLBACK (clear_clicked_cb), self);
  g_signal_connect (self, "map", G_CALLBACK (os_map_cb), NULL);
}

VmdDetailsPage *
vmd_details_os_new (VmdDomain *domain)
{
  VmdDetailsPage *page = g_object_new (VMD_TYPE_DETAILS_OS, NULL);

  vmd_details_page_set_domain (page, domain);
  return page;
}
