/* vmd-manager-window.c: the main window, listing virtual machines
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A tree of connections and, under each, its virtual machines. The store
 * is filtered by the search entry and sorted by the column headers; the
 * actions (vmd-manager-window-actions.c) act on the selected rows.
 * Resource use (guest and host CPU, memory, disk and network I/O) is
 * collected once per second, only while the window is visible, at least
 * one VM runs and at least one of those columns is shown; each VM keeps
 * its last samples in a VmdStatsHistory that the columns draw as
 * sparklines.
 */
#define G_LOG_DOMAIN "vmdesk-ui"

#include <glib/gi18n.h>
#include <string.h>

#include "vmd-manager-window-private.h"
#include "vmd-icon-renderer.h"
#include "vmd-kvm-probe.h"
#include "vmd-name-renderer.h"
#include "vmd-sparkline-renderer.h"
#include "vmd-stats.h"
#include "vmd-stats-sampler.h"

G_DEFINE_FINAL_TYPE (VmdManagerWindow, vmd_manager_window, GTK_TYPE_APPLICATION_WINDOW)

static void update_stats_timer (VmdManagerWindow *self);

static const struct {
  const char *key;     /* in the list-columns setting */
  const char *title;
  double      scale;   /* fixed top of the sparkline; 0 scales to the samples */
  VmdStatsFields fields;  /* what the stats pass reads for it */
} series_info[VMD_STATS_N_SERIES] = {
  [VMD_STATS_SERIES_GUEST_CPU] = { "cpu", N_("Guest CPU"), 100, VMD_STATS_FIELD_CPU },
  [VMD_STATS_SERIES_HOST_CPU] = { "host-cpu", N_("Host CPU"), 100, VMD_STATS_FIELD_CPU },
  [VMD_STATS_SERIES_MEMORY] = { "memory", N_("Memory"), 0, VMD_STATS_FIELD_MEMORY },
  [VMD_STATS_SERIES_DISK] = { "disk", N_("Disk I/O"), 0, VMD_STATS_FIELD_DISK },
  [VMD_STATS_SERIES_NETWORK] = { "network", N_("Network I/O"), 0, VMD_STATS_FIELD_NET },
};

const char *
vmd_manager_window_series_key (VmdStatsSeries series)
{
  g_return_val_if_fail (series < VMD_STATS_N_SERIES, NULL);
  return series_info[series].key;
}

static void
clear_values (VmdManagerWindow *self, GtkTreeIter *iter)
{
  for (int s = 0; s < VMD_STATS_N_SERIES; s++)
    gtk_tree_store_set (self->store, iter, COL_VALUE + s, -1.0, -1);
}

/* ------------------------------------------------------------------ rows */

static const char *
state_icon (VmdDomainState state)
{
  switch (state)
    {
    case VMD_DOMAIN_STATE_RUNNING:
    case VMD_DOMAIN_STATE_SHUTTING_DOWN:
      return "media-playback-start-symbolic";
    case VMD_DOMAIN_STATE_PAUSED:
      return "media-playback-pause-symbolic";
    case VMD_DOMAIN_STATE_CRASHED:
      return "dialog-error-symbolic";
    case VMD_DOMAIN_STATE_SHUTOFF:
    default:
      return "system-shutdown-symbolic";
    }
}

/* The name column shows the title when there is one, else the name. */
static char *
display_name (VmdDomain *domain)
{
  g_autofree char *title = vmd_domain_get_title (domain);

  if (title != NULL && *title != '\0')
    return g_steal_pointer (&title);
  return g_strdup (vmd_domain_get_name (domain));
}

static gboolean
ref_iter (VmdManagerWindow *self, GtkTreeRowReference *ref, GtkTreeIter *iter)
{
  g_autoptr (GtkTreePath) path = NULL;

  if (ref == NULL || !gtk_tree_row_reference_valid (ref))
    return FALSE;
  path = gtk_tree_row_reference_get_path (ref);
  return gtk_tree_model_get_iter (GTK_TREE_MODEL (self->store), iter, path);
}

/* The first of the VM's rows (there is one per tag when grouped by tag). */
static gboolean
get_store_iter (VmdManagerWindow *self, VmdDomain *domain, GtkTreeIter *iter)
{
  GPtrArray *refs = g_hash_table_lookup (self->rows, domain);

  for (guint i = 0; refs != NULL && i < refs->len; i++)
    if (ref_iter (self, g_ptr_array_index (refs, i), iter))
      return TRUE;
  return FALSE;
}

/* Sets the resource-use values of all the VM's rows from its history. */
static void
set_values (VmdManagerWindow *self, VmdDomain *domain)
{
  GPtrArray *refs = g_hash_table_lookup (self->rows, domain);
  VmdStatsHistory *history = g_hash_table_lookup (self->histories, domain);
  gboolean active = vmd_domain_is_active (domain);

  for (guint i = 0; refs != NULL && i < refs->len; i++)
    {
      GtkTreeIter iter;

      int columns[VMD_STATS_N_SERIES];
      GValue values[VMD_STATS_N_SERIES] = { G_VALUE_INIT };

      if (!ref_iter (self, g_ptr_array_index (refs, i), &iter))
        continue;
      /* All at once: one row-changed, not one per column. */
      for (int s = 0; s < VMD_STATS_N_SERIES; s++)
        {
          columns[s] = COL_VALUE + s;
          g_value_init (&values[s], G_TYPE_DOUBLE);
          g_value_set_double (&values[s], active && history != NULL
                                            ? vmd_stats_history_get_last (history, s)
                                            : -1.0);
        }
      gtk_tree_store_set_valuesv (self->store, &iter, columns, values, VMD_STATS_N_SERIES);
    }
}

static void
update_row (VmdManagerWindow *self, VmdDomain *domain)
{
  GPtrArray *refs = g_hash_table_lookup (self->rows, domain);
  VmdDomainState state = vmd_domain_get_state (domain);
  g_autofree char *name = display_name (domain);
  g_autofree char *markup = NULL;
  const char *state_text = vmd_domain_state_to_string (state);

  markup = g_markup_printf_escaped ("<b>%s</b>\n<small>%s</small>", name, state_text);
  for (guint i = 0; refs != NULL && i < refs->len; i++)
    {
      GtkTreeIter iter;

      if (ref_iter (self, g_ptr_array_index (refs, i), &iter))
        gtk_tree_store_set (self->store, &iter,
                            COL_ICON, state_icon (state),
                            COL_MARKUP, markup,
                            COL_SORT_NAME, name,
                            COL_STATE, (int) state,
                            -1);
    }
  if (!vmd_domain_is_active (domain))
    {
      VmdStatsHistory *history = g_hash_table_lookup (self->histories, domain);

      if (history != NULL)
        vmd_stats_history_clear (history);
    }
  set_values (self, domain);
}

static void
update_page (VmdManagerWindow *self)
{
  gboolean any = g_hash_table_size (self->rows) > 0;

  gtk_stack_set_visible_child (self->stack, any && self->list_page != NULL ? self->list_page
                                                                          : self->empty_page);
}

static void
domain_state_changed_cb (VmdManagerWindow *self, int state, int reason, VmdDomain *domain)
{
  update_row (self, domain);
  vmd_manager_window_update_actions (self);
  update_stats_timer (self);
}

static void place_domain (VmdManagerWindow *self, VmdDomain *domain);

static void
domain_config_changed_cb (VmdManagerWindow *self, VmdDomain *domain)
{
  if (self->group_by_tag)
    place_domain (self, domain);  /* its tags may have changed */
  else
    update_row (self, domain);
  gtk_tree_model_filter_refilter (GTK_TREE_MODEL_FILTER (self->filter));
  gtk_tree_view_expand_all (self->tree_view);
}

static gboolean
get_connection_iter (VmdManagerWindow *self, GtkTreeIter *iter)
{
  return gtk_tree_model_get_iter_first (GTK_TREE_MODEL (self->store), iter);
}

/* The section of @tag (NULL: of the untagged VMs) under the connection,
 * made when missing. */
static gboolean
get_section_iter (VmdManagerWindow *self, const char *tag, GtkTreeIter *iter)
{
  GtkTreeModel *model = GTK_TREE_MODEL (self->store);
  GtkTreeIter parent;
  g_autofree char *markup = NULL;
  const char *title;

  if (!get_connection_iter (self, &parent))
    return FALSE;
  if (gtk_tree_model_iter_children (model, iter, &parent))
    do
      {
        g_autofree char *name = NULL;
        int kind = ROW_DOMAIN;

        gtk_tree_model_get (model, iter, COL_KIND, &kind, COL_SORT_NAME, &name, -1);
        if ((tag == NULL && kind == ROW_UNTAGGED) ||
            (tag != NULL && kind == ROW_TAG && g_strcmp0 (name, tag) == 0))
          return TRUE;
      }
    while (gtk_tree_model_iter_next (model, iter));

  title = tag != NULL ? tag : _("No tag");
  markup = g_markup_printf_escaped ("<b>%s</b>", title);
  gtk_tree_store_insert_with_values (self->store, iter, &parent, -1,
                                     COL_KIND, tag != NULL ? ROW_TAG : ROW_UNTAGGED,
                                     COL_ICON, tag != NULL ? "folder-symbolic"
                                                           : "folder-open-symbolic",
                                     COL_MARKUP, markup,
                                     COL_SORT_NAME, title,
                                     COL_STATE, -1,
                                     -1);
  clear_values (self, iter);
  return TRUE;
}

/* Sections left without VMs go. */
static void
prune_sections (VmdManagerWindow *self)
{
  GtkTreeModel *model = GTK_TREE_MODEL (self->store);
  GtkTreeIter parent, iter;
  gboolean valid;

  if (!get_connection_iter (self, &parent))
    return;
  valid = gtk_tree_model_iter_children (model, &iter, &parent);
  while (valid)
    {
      int kind = ROW_DOMAIN;

      gtk_tree_model_get (model, &iter, COL_KIND, &kind, -1);
      if ((kind == ROW_TAG || kind == ROW_UNTAGGED) && !gtk_tree_model_iter_has_child (model, &iter))
        valid = gtk_tree_store_remove (self->store, &iter);
      else
        valid = gtk_tree_model_iter_next (model, &iter);
    }
}

static void
remove_rows (VmdManagerWindow *self, VmdDomain *domain)
{
  GPtrArray *refs = g_hash_table_lookup (self->rows, domain);

  while (refs != NULL && refs->len > 0)
    {
      GtkTreeIter iter;

      if (ref_iter (self, g_ptr_array_index (refs, refs->len - 1), &iter))
        gtk_tree_store_remove (self->store, &iter);
      g_ptr_array_remove_index (refs, refs->len - 1);
    }
}

static void
insert_row (VmdManagerWindow *self, VmdDomain *domain, GtkTreeIter *parent)
{
  GPtrArray *refs = g_hash_table_lookup (self->rows, domain);
  GtkTreeIter iter;
  g_autoptr (GtkTreePath) path = NULL;

  gtk_tree_store_insert_with_values (self->store, &iter, parent, -1,
                                     COL_KIND, ROW_DOMAIN,
                                     COL_OBJECT, domain,
                                     COL_HISTORY, g_hash_table_lookup (self->histories, domain),
                                     -1);
  clear_values (self, &iter);
  path = gtk_tree_model_get_path (GTK_TREE_MODEL (self->store), &iter);
  g_ptr_array_add (refs, gtk_tree_row_reference_new (GTK_TREE_MODEL (self->store), path));
}

/* (Re)makes the VM's rows: under the connection, or under each of its
 * tags' sections when grouped by tag. */
static void
place_domain (VmdManagerWindow *self, VmdDomain *domain)
{
  GtkTreeIter parent;

  remove_rows (self, domain);
  if (!self->group_by_tag)
    {
      if (get_connection_iter (self, &parent))
        insert_row (self, domain, &parent);
    }
  else
    {
      g_auto (GStrv) tags = vmd_domain_config_get_tags (vmd_domain_get_config (domain));

      if (tags[0] == NULL && get_section_iter (self, NULL, &parent))
        insert_row (self, domain, &parent);
      for (guint i = 0; tags[i] != NULL; i++)
        if (get_section_iter (self, tags[i], &parent))
          insert_row (self, domain, &parent);
    }
  prune_sections (self);
  update_row (self, domain);
}

/**
 * vmd_manager_window_set_group_by_tag:
 *
 * Shows the VMs in a section per tag (a VM with several tags in each of
 * them, those without under “No tag”), or in one list.
 */
void
vmd_manager_window_set_group_by_tag (VmdManagerWindow *self, gboolean group)
{
  GHashTableIter it;
  gpointer key;

  g_return_if_fail (VMD_IS_MANAGER_WINDOW (self));

  if (self->group_by_tag == group)
    return;
  self->group_by_tag = group;
  g_hash_table_iter_init (&it, self->rows);
  while (g_hash_table_iter_next (&it, &key, NULL))
    place_domain (self, key);
  if (self->tree_view != NULL)
    gtk_tree_view_expand_all (self->tree_view);
  vmd_manager_window_update_actions (self);
}

static void
add_domain (VmdManagerWindow *self, VmdDomain *domain)
{
  GtkTreeIter parent;

  if (g_hash_table_contains (self->rows, domain) || !get_connection_iter (self, &parent))
    return;

  g_hash_table_insert (self->histories, g_object_ref (domain), vmd_stats_history_new ());
  g_hash_table_insert (self->rows, g_object_ref (domain),
                       g_ptr_array_new_with_free_func (
                         (GDestroyNotify) gtk_tree_row_reference_free));
  place_domain (self, domain);
  g_signal_connect_object (domain, "state-changed", G_CALLBACK (domain_state_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (domain, "config-changed", G_CALLBACK (domain_config_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_tree_view_expand_all (self->tree_view);
  update_page (self);
}

static void
domain_added_cb (VmdManagerWindow *self, VmdDomain *domain)
{
  add_domain (self, domain);
  update_stats_timer (self);
}

static void
domain_removed_cb (VmdManagerWindow *self, VmdDomain *domain)
{
  remove_rows (self, domain);
  prune_sections (self);
  g_signal_handlers_disconnect_by_data (domain, self);
  g_hash_table_remove (self->rows, domain);
  g_hash_table_remove (self->histories, domain);
  update_page (self);
  vmd_manager_window_update_actions (self);
  update_stats_timer (self);
}

/* The connection row's second line: whether VMs run with KVM or TCG. */
static void
set_connection_accel (VmdManagerWindow *self, const char *accel, const char *tooltip)
{
  g_autofree char *description = NULL;
  g_autofree char *markup = NULL;
  g_autofree char *tooltip_markup = NULL;
  GtkTreeIter iter;

  if (self->connection == NULL || !get_connection_iter (self, &iter))
    return;
  description = vmd_connection_get_description (self->connection);
  markup = g_markup_printf_escaped ("<b>%s</b>\n<small>%s</small>", description, accel);
  if (tooltip != NULL)
    tooltip_markup = g_markup_escape_text (tooltip, -1);
  gtk_tree_store_set (self->store, &iter, COL_MARKUP, markup, COL_TOOLTIP, tooltip_markup, -1);
}

static const char *
kvm_short_reason (VmdKvmStatus status)
{
  switch (status)
    {
    case VMD_KVM_MISSING:
      return _("KVM is not available");
    case VMD_KVM_NO_ACCESS:
      return _("no permission to use /dev/kvm");
    case VMD_KVM_BROKEN:
      return _("KVM does not work on this computer");
    case VMD_KVM_WORKS:
    case VMD_KVM_UNKNOWN:
    default:
      return _("whether KVM works is unknown");
    }
}

/* The Preferences' stats interval, in seconds, for the connection's
 * sampler (the Performance page and the host overview follow it too). */
static void
stats_interval_changed_cb (VmdManagerWindow *self)
{
  if (self->connection == NULL || self->settings == NULL)
    return;
  vmd_stats_sampler_set_interval (vmd_connection_get_stats_sampler (self->connection),
                                  g_settings_get_uint (self->settings, "stats-interval") * 1000);
}

static void
kvm_probed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdManagerWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *accel = NULL;
  VmdKvmStatus status;

  status = vmd_kvm_probe_finish (result, &message, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (self->cancellable))
    return;
  if (error != NULL)
    message = g_strdup (error->message);
  if (status == VMD_KVM_WORKS)
    accel = g_strdup (_("KVM"));
  else
    accel = g_strdup_printf (_("Software emulation (TCG): %s"), kvm_short_reason (status));
  set_connection_accel (self, accel, message != NULL ? message : accel);
}

/**
 * vmd_manager_window_connection_ready:
 *
 * Fills the list once the application's connection is open.
 */
void
vmd_manager_window_connection_ready (VmdManagerWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  VmdConnection *connection;
  g_autoptr (GPtrArray) domains = NULL;
  g_autofree char *description = NULL;
  g_autofree char *markup = NULL;
  GtkTreeIter iter;

  g_return_if_fail (VMD_IS_MANAGER_WINDOW (self));

  if (self->connection != NULL || app == NULL)
    return;
  connection = vmd_application_get_connection (VMD_APPLICATION (app));
  if (connection == NULL || !vmd_connection_is_open (connection))
    return;

  self->connection = g_object_ref (connection);
  vmd_manager_window_ensure_list (self);
  description = vmd_connection_get_description (connection);
  markup = g_markup_printf_escaped ("<b>%s</b>", description);
  gtk_tree_store_insert_with_values (self->store, NULL, NULL, 0,
                                     COL_KIND, ROW_CONNECTION,
                                     COL_OBJECT, connection,
                                     COL_ICON, "computer-symbolic",
                                     COL_MARKUP, markup,
                                     COL_SORT_NAME, description,
                                     COL_STATE, -1,
                                     COL_HISTORY, NULL,
                                     -1);
  if (get_connection_iter (self, &iter))
    clear_values (self, &iter);
  /* The list's stats pass runs at the interval Preferences sets. */
  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed::stats-interval",
                               G_CALLBACK (stats_interval_changed_cb), self, G_CONNECT_SWAPPED);
      stats_interval_changed_cb (self);
    }
  /* Once per run, off the main loop; the result is cached across runs. */
  set_connection_accel (self, _("Checking whether KVM works…"), NULL);
  vmd_kvm_probe_async (NULL, NULL, FALSE, self->cancellable, kvm_probed_cb, g_object_ref (self));

  g_signal_connect_object (connection, "domain-added", G_CALLBACK (domain_added_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "domain-removed", G_CALLBACK (domain_removed_cb), self,
                           G_CONNECT_SWAPPED);
  domains = vmd_connection_list_domains (connection);
  for (guint i = 0; i < domains->len; i++)
    add_domain (self, g_ptr_array_index (domains, i));
  update_page (self);
  vmd_manager_window_update_actions (self);
  update_stats_timer (self);
}

/* ------------------------------------------------------------- selection */

static VmdDomain *
domain_at (GtkTreeModel *model, GtkTreeIter *iter)
{
  g_autoptr (GObject) object = NULL;
  int kind = ROW_CONNECTION;

  gtk_tree_model_get (model, iter, COL_KIND, &kind, COL_OBJECT, &object, -1);
  if (kind != ROW_DOMAIN)
    return NULL;
  return VMD_DOMAIN (g_steal_pointer (&object));
}

/**
 * vmd_manager_window_get_selected:
 *
 * Returns: (transfer container) (element-type VmdDomain): the selected VMs
 */
GPtrArray *
vmd_manager_window_get_selected (VmdManagerWindow *self)
{
  GPtrArray *ret = g_ptr_array_new_with_free_func (g_object_unref);
  GtkTreeModel *model = NULL;
  GList *rows = NULL;

  if (self->selection != NULL)
    rows = gtk_tree_selection_get_selected_rows (self->selection, &model);
  for (GList *l = rows; l != NULL; l = l->next)
    {
      GtkTreeIter iter;
      VmdDomain *domain;

      if (!gtk_tree_model_get_iter (model, &iter, l->data))
        continue;
      domain = domain_at (model, &iter);
      if (domain != NULL && !g_ptr_array_find (ret, domain, NULL))
        g_ptr_array_add (ret, domain);
      else
        g_clear_object (&domain);
    }
  g_list_free_full (rows, (GDestroyNotify) gtk_tree_path_free);
  return ret;
}

void
vmd_manager_window_select_domain (VmdManagerWindow *self, VmdDomain *domain)
{
  GtkTreeIter iter, filter_iter, sort_iter;
  g_autoptr (GtkTreePath) path = NULL;

  if (!get_store_iter (self, domain, &iter))
    return;
  if (!gtk_tree_model_filter_convert_child_iter_to_iter (GTK_TREE_MODEL_FILTER (self->filter),
                                                         &filter_iter, &iter))
    return;
  gtk_tree_model_sort_convert_child_iter_to_iter (GTK_TREE_MODEL_SORT (self->sort), &sort_iter,
                                                  &filter_iter);
  gtk_tree_selection_unselect_all (self->selection);
  gtk_tree_selection_select_iter (self->selection, &sort_iter);
  path = gtk_tree_model_get_path (self->sort, &sort_iter);
  gtk_tree_view_scroll_to_cell (self->tree_view, path, NULL, FALSE, 0, 0);
}

static void
selection_changed_cb (VmdManagerWindow *self)
{
  vmd_manager_window_update_actions (self);
}

static void
row_activated_cb (VmdManagerWindow  *self,
                  GtkTreePath       *path,
                  GtkTreeViewColumn *column)
{
  GtkTreeIter iter;
  g_autoptr (VmdDomain) domain = NULL;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (!gtk_tree_model_get_iter (self->sort, &iter, path))
    return;
  domain = domain_at (self->sort, &iter);
  if (domain != NULL && app != NULL)
    vmd_application_show_domain (VMD_APPLICATION (app), domain);
}

static void
popup_context_menu (VmdManagerWindow *self, const GdkEvent *event)
{
  GtkWidget *menu = gtk_menu_new_from_model (self->context_menu);

  gtk_menu_attach_to_widget (GTK_MENU (menu), GTK_WIDGET (self->tree_view), NULL);
  g_signal_connect (menu, "selection-done", G_CALLBACK (gtk_widget_destroy), NULL);
  if (event != NULL)
    gtk_menu_popup_at_pointer (GTK_MENU (menu), event);
  else
    gtk_menu_popup_at_widget (GTK_MENU (menu), GTK_WIDGET (self->tree_view),
                              GDK_GRAVITY_CENTER, GDK_GRAVITY_NORTH_WEST, NULL);
}

static gboolean
button_press_cb (VmdManagerWindow *self, GdkEventButton *event)
{
  g_autoptr (GtkTreePath) path = NULL;
  g_autoptr (GPtrArray) selected = NULL;

  if (!gdk_event_triggers_context_menu ((GdkEvent *) event))
    return GDK_EVENT_PROPAGATE;
  if (!gtk_tree_view_get_path_at_pos (self->tree_view, event->x, event->y, &path, NULL, NULL,
                                      NULL))
    return GDK_EVENT_PROPAGATE;
  if (!gtk_tree_selection_path_is_selected (self->selection, path))
    {
      gtk_tree_selection_unselect_all (self->selection);
      gtk_tree_selection_select_path (self->selection, path);
    }
  selected = vmd_manager_window_get_selected (self);
  if (selected->len > 0)
    popup_context_menu (self, (GdkEvent *) event);
  return GDK_EVENT_STOP;
}

static gboolean
popup_menu_cb (VmdManagerWindow *self)
{
  g_autoptr (GPtrArray) selected = vmd_manager_window_get_selected (self);

  if (selected->len == 0)
    return FALSE;
  popup_context_menu (self, NULL);
  return TRUE;
}

/* The Delete key deletes only from the list: in the search entry it
 * deletes text, so it is handled here, not as an accelerator. */
static gboolean
key_press_cb (VmdManagerWindow *self, GdkEventKey *event)
{
  GdkModifierType mods = event->state & gtk_accelerator_get_default_mod_mask ();

  if ((event->keyval == GDK_KEY_Delete || event->keyval == GDK_KEY_KP_Delete) && mods == 0)
    {
      g_action_group_activate_action (G_ACTION_GROUP (self), "delete", NULL);
      return GDK_EVENT_STOP;
    }
  return GDK_EVENT_PROPAGATE;
}

/* ---------------------------------------------------------------- search */

static gboolean
contains_folded (const char *haystack, const char *needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

static gboolean
filter_visible (GtkTreeModel *model, GtkTreeIter *iter, gpointer user_data)
{
  VmdManagerWindow *self = user_data;
  const char *text = self->search_entry != NULL
                     ? gtk_entry_get_text (GTK_ENTRY (self->search_entry)) : NULL;
  g_autoptr (VmdDomain) domain = NULL;
  g_autofree char *needle = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_auto (GStrv) tags = NULL;

  if (text == NULL || *text == '\0')
    return TRUE;
  domain = domain_at (model, iter);
  if (domain == NULL)
    return TRUE;  /* connections stay */

  needle = g_utf8_casefold (text, -1);
  title = vmd_domain_get_title (domain);
  description = vmd_domain_config_get_description (vmd_domain_get_config (domain));
  tags = vmd_domain_config_get_tags (vmd_domain_get_config (domain));
  for (guint i = 0; tags[i] != NULL; i++)
    if (contains_folded (tags[i], needle))
      return TRUE;
  return contains_folded (vmd_domain_get_name (domain), needle) ||
         contains_folded (title, needle) ||
         contains_folded (description, needle) ||
         contains_folded (vmd_domain_state_to_string (vmd_domain_get_state (domain)), needle);
}

static void
search_changed_cb (VmdManagerWindow *self)
{
  gtk_tree_model_filter_refilter (GTK_TREE_MODEL_FILTER (self->filter));
  if (self->tree_view != NULL)
    gtk_tree_view_expand_all (self->tree_view);
}

static void
stop_search_cb (VmdManagerWindow *self)
{
  gtk_entry_set_text (GTK_ENTRY (self->search_entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

/**
 * vmd_manager_window_ensure_search_entry:
 *
 * Returns: (transfer none): the search bar's entry; the bar and its entry
 *   are made the first time search is turned on: an entry probes fonts for
 *   its invisible character when it is made, the hidden bar would measure it
 *   for every size request, and the bar's revealer has two windows of its
 *   own, all for nothing at startup.
 */
GtkSearchEntry *
vmd_manager_window_ensure_search_entry (VmdManagerWindow *self)
{
  GtkWidget *bar, *entry;

  if (self->search_entry != NULL)
    return self->search_entry;
  bar = gtk_search_bar_new ();
  gtk_widget_show (bar);
  gtk_box_pack_start (GTK_BOX (self->content_box), bar, FALSE, TRUE, 0);
  gtk_box_reorder_child (GTK_BOX (self->content_box), bar, self->info_bar != NULL ? 1 : 0);
  self->search_bar = GTK_SEARCH_BAR (bar);
  entry = gtk_search_entry_new ();
  gtk_entry_set_width_chars (GTK_ENTRY (entry), 40);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Name, title, description or state"));
  atk_object_set_name (gtk_widget_get_accessible (entry), _("Search virtual machines"));
  g_signal_connect_object (entry, "search-changed", G_CALLBACK (search_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (entry, "stop-search", G_CALLBACK (stop_search_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_show (entry);
  gtk_container_add (GTK_CONTAINER (self->search_bar), entry);
  gtk_search_bar_connect_entry (self->search_bar, GTK_ENTRY (entry));
  self->search_entry = GTK_SEARCH_ENTRY (entry);
  return self->search_entry;
}

/* ----------------------------------------------------------------- stats */

static gboolean
any_running (VmdManagerWindow *self)
{
  GHashTableIter it;
  gpointer key;

  g_hash_table_iter_init (&it, self->rows);
  while (g_hash_table_iter_next (&it, &key, NULL))
    if (vmd_domain_get_state (key) == VMD_DOMAIN_STATE_RUNNING)
      return TRUE;
  return FALSE;
}

static VmdDomain *
domain_by_uuid (VmdManagerWindow *self, const char *uuid)
{
  GHashTableIter it;
  gpointer key;

  g_hash_table_iter_init (&it, self->rows);
  while (g_hash_table_iter_next (&it, &key, NULL))
    if (g_strcmp0 (vmd_domain_get_uuid (key), uuid) == 0)
      return key;
  return NULL;
}

/* Bytes per second between two samples of a pair of counters, -1 when
 * either is unknown (no network counters under user-mode networking). */
static double
rate (gint64 a0, gint64 b0, gint64 a1, gint64 b1, gint64 dt_us)
{
  if (a0 < 0 || b0 < 0 || a1 < 0 || b1 < 0 || dt_us <= 0)
    return -1;
  return MAX (0.0, (double) ((a1 - a0) + (b1 - b0)) * G_USEC_PER_SEC / (double) dt_us);
}

static void
compute_values (VmdDomain      *domain,
                const VmdStats *previous,
                const VmdStats *stats,
                double          values[VMD_STATS_N_SERIES])
{
  VmdDomainConfig *config = vmd_domain_get_config (domain);
  gint64 dt = stats->timestamp_us - previous->timestamp_us;
  double host_cpu = vmd_stats_cpu_percent (previous, stats);
  guint vcpus = stats->vcpus > 0 ? stats->vcpus : vmd_domain_config_get_vcpus (config);
  /* What the VM takes from the host: QEMU's resident memory, as an
   * amount (the balloon size would say 100 % for any guest that never
   * gave memory back, and QEMU's own memory can exceed the guest's). */
  gint64 used_kib = stats->rss_kib;

  values[VMD_STATS_SERIES_HOST_CPU] = host_cpu;
  values[VMD_STATS_SERIES_GUEST_CPU] = CLAMP (host_cpu / MAX (vcpus, 1u), 0.0, 100.0);
  values[VMD_STATS_SERIES_MEMORY] = used_kib >= 0 ? used_kib * 1024.0 : -1;
  values[VMD_STATS_SERIES_DISK] = rate (previous->disk_read_bytes, previous->disk_write_bytes,
                                        stats->disk_read_bytes, stats->disk_write_bytes, dt);
  values[VMD_STATS_SERIES_NETWORK] = rate (previous->net_rx_bytes, previous->net_tx_bytes,
                                           stats->net_rx_bytes, stats->net_tx_bytes, dt);
}

/* Adds to @region the visible stats cells of @domain's rows, nothing else: no
 * row-changed (which would measure the row again, refilter and resort
 * and repaint its name), just the pixels that show new samples. The caller
 * invalidates them on the tree view's bin window, not with
 * gtk_widget_queue_draw_area(): GtkTreeView (GTK 3) answers any queued
 * draw by dropping its whole pixel cache, so that every cell of every
 * visible row was drawn again for a few changed values; the bin window's
 * own invalidation drops just those cells from the cache. */
static void
add_stats_cells (VmdManagerWindow *self,
                 VmdDomain        *domain,
                 guint             changed,
                 guint             value_changed,
                 cairo_region_t   *region)
{
  GPtrArray *refs = g_hash_table_lookup (self->rows, domain);

  for (guint i = 0; refs != NULL && i < refs->len; i++)
    {
      GtkTreeRowReference *ref = g_ptr_array_index (refs, i);
      g_autoptr (GtkTreePath) path = NULL;
      g_autoptr (GtkTreePath) filtered = NULL;
      g_autoptr (GtkTreePath) sorted = NULL;

      if (ref == NULL || !gtk_tree_row_reference_valid (ref))
        continue;
      path = gtk_tree_row_reference_get_path (ref);
      filtered = gtk_tree_model_filter_convert_child_path_to_path (
        GTK_TREE_MODEL_FILTER (self->filter), path);
      if (filtered == NULL)
        continue;  /* filtered out by the search */
      sorted = gtk_tree_model_sort_convert_child_path_to_path (GTK_TREE_MODEL_SORT (self->sort),
                                                               filtered);
      if (sorted == NULL)
        continue;
      for (int s = 0; s < VMD_STATS_N_SERIES; s++)
        {
          GdkRectangle area;

          if (self->series_columns[s] == NULL ||
              !gtk_tree_view_column_get_visible (self->series_columns[s]) ||
              !(changed & (1u << s)))
            continue;
          gtk_tree_view_get_background_area (self->tree_view, sorted, self->series_columns[s],
                                             &area);
          if (area.width <= 0 || area.height <= 0)
            continue;  /* in a collapsed group */
          /* The value's text is the same: only the line moved. */
          if (!(value_changed & (1u << s)))
            vmd_sparkline_renderer_get_line_area (self->series_renderers[s],
                                                  GTK_WIDGET (self->tree_view), &area, &area);
          cairo_region_union_rectangle (region, &area);
        }
    }
}

/* Whether the list is sorted by a resource-use column: then the model's
 * values follow every sample, so that it sorts again. */
static gboolean
sorted_by_stats (VmdManagerWindow *self)
{
  int column;
  GtkSortType order;

  return gtk_tree_sortable_get_sort_column_id (GTK_TREE_SORTABLE (self->sort), &column, &order) &&
         column >= COL_VALUE && column < COL_VALUE + VMD_STATS_N_SERIES;
}

static void
stats_sampled_cb (VmdManagerWindow *self, GPtrArray *samples, VmdStatsSampler *sampler)
{
  gboolean resort = sorted_by_stats (self);
  GdkWindow *bin = gtk_tree_view_get_bin_window (self->tree_view);
  cairo_region_t *region = cairo_region_create ();

  for (guint i = 0; i < samples->len; i++)
    {
      VmdStats *stats = g_ptr_array_index (samples, i);
      const VmdStats *previous = vmd_stats_sampler_get_previous (sampler, stats->uuid);
      VmdDomain *domain = domain_by_uuid (self, stats->uuid);
      VmdStatsHistory *history;
      double values[VMD_STATS_N_SERIES];
      guint changed, value_changed;

      if (domain == NULL || previous == NULL || !vmd_domain_is_active (domain))
        continue;
      history = g_hash_table_lookup (self->histories, domain);
      if (history == NULL)
        continue;
      compute_values (domain, previous, stats, values);
      for (int s = 0; s < VMD_STATS_N_SERIES; s++)
        vmd_stats_history_push (history, s, (float) values[s]);
      if (resort)
        {
          set_values (self, domain);
          continue;
        }
      /* Only cells whose text or quantized line changed: a steady line
       * (an idle VM) is not drawn again. */
      changed = value_changed = 0;
      for (int s = 0; s < VMD_STATS_N_SERIES; s++)
        {
          guint signature;

          /* A hidden column is drawn in full when shown again. */
          if (self->series_columns[s] == NULL ||
              !gtk_tree_view_column_get_visible (self->series_columns[s]))
            continue;
          signature = vmd_sparkline_signature (history, s, series_info[s].scale);

          if (vmd_stats_history_swap_shown (history, s, signature) != signature)
            {
              changed |= 1u << s;
              if (vmd_sparkline_value_changed (history, s, series_info[s].scale))
                value_changed |= 1u << s;
            }
        }
      if (changed != 0 && bin != NULL)
        add_stats_cells (self, domain, changed, value_changed, region);
    }
  /* One invalidation for the pass (bin is NULL before the list is
   * realized, when nothing is drawn yet). */
  if (bin != NULL && !cairo_region_is_empty (region))
    gdk_window_invalidate_region (bin, region, FALSE);
  cairo_region_destroy (region);
}

static gboolean
window_visible (VmdManagerWindow *self)
{
  GdkWindow *window = gtk_widget_get_window (GTK_WIDGET (self));

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || window == NULL)
    return FALSE;
  return (gdk_window_get_state (window) & GDK_WINDOW_STATE_ICONIFIED) == 0;
}

/* What the visible sparkline columns need from a stats pass. */
static VmdStatsFields
visible_fields (VmdManagerWindow *self)
{
  VmdStatsFields fields = VMD_STATS_FIELD_NONE;

  for (int s = 0; s < VMD_STATS_N_SERIES; s++)
    if (self->series_columns[s] != NULL &&
        gtk_tree_view_column_get_visible (self->series_columns[s]))
      fields |= series_info[s].fields;
  return fields;
}

/* The list asks the connection's sampler for what its visible columns
 * show, while the window is visible and a VM runs; nothing otherwise. */
static void
update_stats_timer (VmdManagerWindow *self)
{
  VmdStatsFields fields = VMD_STATS_FIELD_NONE;
  VmdStatsSampler *sampler;

  if (self->connection == NULL)
    return;
  sampler = vmd_connection_get_stats_sampler (self->connection);
  if (vmd_connection_has_feature (self->connection, VMD_CONNECTION_FEATURE_STATS) &&
      window_visible (self) && any_running (self))
    fields = visible_fields (self);

  if (self->stats_id == 0 && fields != VMD_STATS_FIELD_NONE)
    {
      self->stats_id = vmd_stats_sampler_subscribe (sampler, NULL, fields);
      g_signal_connect_object (sampler, "sampled", G_CALLBACK (stats_sampled_cb), self,
                               G_CONNECT_SWAPPED);
    }
  else if (self->stats_id != 0 && fields == VMD_STATS_FIELD_NONE)
    {
      vmd_stats_sampler_unsubscribe (sampler, self->stats_id);
      g_signal_handlers_disconnect_by_func (sampler, stats_sampled_cb, self);
      self->stats_id = 0;
    }
  else if (self->stats_id != 0)
    vmd_stats_sampler_update (sampler, self->stats_id, fields);
}

static void
visibility_changed_cb (VmdManagerWindow *self)
{
  update_stats_timer (self);
}

/* A hidden resource-use column is out of the tree view, not only
 * invisible: GtkTreeView sets the data of every column of each row it
 * draws, and the four hidden ones were ~10 % of the list's idle CPU. A
 * column shown again goes back to its place, before the columns of the
 * series after it. */
static void
place_series_columns (VmdManagerWindow *self)
{
  for (int s = 0; s < VMD_STATS_N_SERIES; s++)
    {
      GtkTreeViewColumn *column = self->series_columns[s];
      gboolean visible, placed;

      if (column == NULL)
        continue;
      visible = gtk_tree_view_column_get_visible (column);
      placed = gtk_tree_view_column_get_tree_view (column) != NULL;
      if (!visible && placed)
        gtk_tree_view_remove_column (self->tree_view, column);
      else if (visible && !placed)
        {
          g_autoptr (GList) columns = gtk_tree_view_get_columns (self->tree_view);
          int position = -1, i = 0;

          for (GList *l = columns; l != NULL && position < 0; l = l->next, i++)
            for (int after = s + 1; after < VMD_STATS_N_SERIES; after++)
              if (l->data == self->series_columns[after])
                position = i;
          gtk_tree_view_insert_column (self->tree_view, column, position);
        }
    }
}

static void
series_column_visible_cb (VmdManagerWindow *self)
{
  place_series_columns (self);
  update_stats_timer (self);
}

/* ---------------------------------------------------------------- columns */

static void
sparkline_data_func (GtkTreeViewColumn *column,
                     GtkCellRenderer   *cell,
                     GtkTreeModel      *model,
                     GtkTreeIter       *iter,
                     gpointer           user_data)
{
  gpointer history = NULL;

  /* GtkTreeView sets the data of every column of a row it draws, the
   * hidden ones too. */
  if (!gtk_tree_view_column_get_visible (column))
    return;
  gtk_tree_model_get (model, iter, COL_HISTORY, &history, -1);
  vmd_sparkline_renderer_set_history (VMD_SPARKLINE_RENDERER (cell), history);
}

static gboolean
series_in_settings (VmdManagerWindow *self, VmdStatsSeries series)
{
  g_auto (GStrv) keys = NULL;

  if (self->settings == NULL)
    return series == VMD_STATS_SERIES_GUEST_CPU;
  keys = g_settings_get_strv (self->settings, "list-columns");
  if (keys[0] == NULL)  /* the default */
    return series == VMD_STATS_SERIES_GUEST_CPU;
  return g_strv_contains ((const char * const *) keys, series_info[series].key);
}

static void
add_series_columns (VmdManagerWindow *self)
{
  for (int s = 0; s < VMD_STATS_N_SERIES; s++)
    {
      GtkTreeViewColumn *column = gtk_tree_view_column_new ();
      GtkCellRenderer *spark = vmd_sparkline_renderer_new (s);

      gtk_tree_view_column_set_title (column, _(series_info[s].title));
      gtk_tree_view_column_set_resizable (column, TRUE);
      gtk_tree_view_column_set_sort_column_id (column, COL_VALUE + s);
      g_object_set (spark, "scale", series_info[s].scale, NULL);
      gtk_tree_view_column_pack_start (column, spark, FALSE);
      gtk_tree_view_column_set_cell_data_func (column, spark, sparkline_data_func, NULL, NULL);
      gtk_tree_view_column_set_visible (column, series_in_settings (self, s));
      g_signal_connect_object (column, "notify::visible",
                               G_CALLBACK (series_column_visible_cb), self, G_CONNECT_SWAPPED);
      /* Kept while out of the tree view (see place_series_columns()). */
      self->series_columns[s] = g_object_ref_sink (column);
      self->series_renderers[s] = VMD_SPARKLINE_RENDERER (spark);
    }
  place_series_columns (self);
}

/**
 * vmd_manager_window_set_series_visible:
 *
 * Shows or hides a resource-use column and remembers the choice in the
 * list-columns setting. When no column is left, the setting holds
 * ["none"], since an empty list means the default (guest CPU).
 */
void
vmd_manager_window_set_series_visible (VmdManagerWindow *self,
                                       VmdStatsSeries    series,
                                       gboolean          visible)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) keys = NULL;
  gboolean any = FALSE;

  g_return_if_fail (series < VMD_STATS_N_SERIES);

  vmd_manager_window_ensure_list (self);
  gtk_tree_view_column_set_visible (self->series_columns[series], visible);
  for (int s = 0; s < VMD_STATS_N_SERIES; s++)
    if (gtk_tree_view_column_get_visible (self->series_columns[s]))
      {
        g_strv_builder_add (builder, series_info[s].key);
        any = TRUE;
      }
  if (!any)
    g_strv_builder_add (builder, "none");
  keys = g_strv_builder_end (builder);
  if (self->settings != NULL)
    g_settings_set_strv (self->settings, "list-columns", (const char * const *) keys);
}

/* Whether a resource-use column shows, or will once the list is made. */
gboolean
vmd_manager_window_get_series_visible (VmdManagerWindow *self, VmdStatsSeries series)
{
  g_return_val_if_fail (series < VMD_STATS_N_SERIES, FALSE);

  if (self->series_columns[series] != NULL)
    return gtk_tree_view_column_get_visible (self->series_columns[series]);
  return series_in_settings (self, series);
}

/**
 * vmd_manager_window_ensure_list:
 *
 * Makes the list page (ui/vmd-manager-list.ui and the resource-use
 * columns) the first time it is needed: when the connection is ready,
 * which is usually after the window's first map; until then the stack
 * shows the empty page.
 */
void
vmd_manager_window_ensure_list (VmdManagerWindow *self)
{
  g_autoptr (GtkBuilder) builder = NULL;
  g_autoptr (GError) error = NULL;

  if (self->list_page != NULL)
    return;
  builder = gtk_builder_new ();
  gtk_builder_set_translation_domain (builder, GETTEXT_PACKAGE);
  gtk_builder_add_callback_symbols (builder,
                                    "row_activated_cb", G_CALLBACK (row_activated_cb),
                                    "button_press_cb", G_CALLBACK (button_press_cb),
                                    "popup_menu_cb", G_CALLBACK (popup_menu_cb),
                                    "key_press_cb", G_CALLBACK (key_press_cb),
                                    "selection_changed_cb", G_CALLBACK (selection_changed_cb),
                                    NULL);
  /* Built into the program: failing to load it is a build error. */
  if (!gtk_builder_add_from_resource (builder, VMD_RESOURCE_PREFIX "/ui/vmd-manager-list.ui",
                                      &error))
    g_error ("The list page could not be built: %s", error->message);
  gtk_builder_connect_signals (builder, self);
  self->list_page = GTK_WIDGET (gtk_builder_get_object (builder, "list_page"));
  self->tree_view = GTK_TREE_VIEW (gtk_builder_get_object (builder, "tree_view"));
  self->selection = GTK_TREE_SELECTION (gtk_builder_get_object (builder, "selection"));
  self->state_column = GTK_TREE_VIEW_COLUMN (gtk_builder_get_object (builder, "state_column"));
  self->name_column = GTK_TREE_VIEW_COLUMN (gtk_builder_get_object (builder, "name_column"));
  self->icon_renderer = GTK_CELL_RENDERER (gtk_builder_get_object (builder, "icon_renderer"));
  self->name_renderer = GTK_CELL_RENDERER (gtk_builder_get_object (builder, "name_renderer"));

  gtk_tree_view_set_model (self->tree_view, self->sort);
  gtk_tree_view_set_tooltip_column (self->tree_view, COL_TOOLTIP);
  gtk_tree_view_column_add_attribute (self->state_column, self->icon_renderer, "icon-name",
                                      COL_ICON);
  gtk_tree_view_column_add_attribute (self->name_column, self->name_renderer, "name-markup",
                                      COL_MARKUP);
  gtk_tree_view_column_set_sort_column_id (self->state_column, COL_STATE);
  gtk_tree_view_column_set_sort_column_id (self->name_column, COL_SORT_NAME);
  add_series_columns (self);
  gtk_stack_add_named (self->stack, self->list_page, "list");
}

/* Columns chosen elsewhere (Preferences): shown at once, and the View
 * menu's check items follow. */
static void
list_columns_changed_cb (VmdManagerWindow *self)
{
  for (int s = 0; s < VMD_STATS_N_SERIES; s++)
    {
      gboolean visible = series_in_settings (self, s);
      g_autofree char *name = g_strconcat ("show-", series_info[s].key, NULL);
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

      if (self->series_columns[s] != NULL &&
          gtk_tree_view_column_get_visible (self->series_columns[s]) != visible)
        gtk_tree_view_column_set_visible (self->series_columns[s], visible);
      if (action != NULL)
        g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (visible));
    }
}

static void
drag_data_received_cb (GtkWidget        *widget,
                       GdkDragContext   *context,
                       int               x,
                       int               y,
                       GtkSelectionData *data,
                       guint             info,
                       guint             time)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (widget));
  g_auto (GStrv) uris = gtk_selection_data_get_uris (data);

  for (guint i = 0; app != NULL && uris != NULL && uris[i] != NULL; i++)
    {
      g_autoptr (GFile) file = g_file_new_for_uri (uris[i]);

      vmd_application_quick_boot (VMD_APPLICATION (app), file);
    }
}

/* -------------------------------------------------------------- messages */

static void
info_bar_response_cb (VmdManagerWindow *self, int response)
{
  gtk_widget_hide (GTK_WIDGET (self->info_bar));
}

static GtkLabel *
info_bar_label (const char *accessible_name)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  atk_object_set_name (gtk_widget_get_accessible (label), accessible_name);
  gtk_widget_show (label);
  return GTK_LABEL (label);
}

/* The bar above the list, made for the first message. */
static void
ensure_info_bar (VmdManagerWindow *self)
{
  GtkWidget *bar, *content;

  if (self->info_bar != NULL)
    return;
  bar = gtk_info_bar_new ();
  gtk_widget_set_no_show_all (bar, TRUE);
  gtk_info_bar_set_show_close_button (GTK_INFO_BAR (bar), TRUE);
  atk_object_set_name (gtk_widget_get_accessible (bar), _("Messages"));
  g_signal_connect_object (bar, "response", G_CALLBACK (info_bar_response_cb), self,
                           G_CONNECT_SWAPPED);
  content = gtk_info_bar_get_content_area (GTK_INFO_BAR (bar));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (content), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (content), 6);
  self->info_label = info_bar_label (_("Message"));
  gtk_container_add (GTK_CONTAINER (content), GTK_WIDGET (self->info_label));
  self->info_expander = GTK_EXPANDER (gtk_expander_new (_("Details")));
  self->info_details = info_bar_label (_("Message details"));
  gtk_container_add (GTK_CONTAINER (self->info_expander), GTK_WIDGET (self->info_details));
  gtk_widget_show (GTK_WIDGET (self->info_expander));
  gtk_container_add (GTK_CONTAINER (content), GTK_WIDGET (self->info_expander));
  gtk_box_pack_start (GTK_BOX (self->content_box), bar, FALSE, TRUE, 0);
  gtk_box_reorder_child (GTK_BOX (self->content_box), bar, 0);
  self->info_bar = GTK_INFO_BAR (bar);
}

/**
 * vmd_manager_window_show_message:
 * @details: (nullable): shown under a “Details” expander
 *
 * Shows a message above the list, without blocking anything: it stays
 * until closed or replaced.
 */
void
vmd_manager_window_show_message (VmdManagerWindow *self,
                                 GtkMessageType    type,
                                 const char       *message,
                                 const char       *details)
{
  g_return_if_fail (VMD_IS_MANAGER_WINDOW (self));

  ensure_info_bar (self);
  gtk_info_bar_set_message_type (self->info_bar, type);
  gtk_label_set_text (self->info_label, message);
  gtk_label_set_text (self->info_details, details ? details : "");
  gtk_expander_set_expanded (self->info_expander, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->info_expander), details != NULL && *details != '\0');
  gtk_widget_show (GTK_WIDGET (self->info_bar));
  /* The engine could not be opened: the empty state rather than nothing. */
  if (gtk_stack_get_visible_child (self->stack) == self->loading_page)
    update_page (self);
}

/* ------------------------------------------------------------ first map */

/* The menus' items are made after the first map (or when a menu opens
 * before that): the buttons have empty popovers until then, so that they
 * look and work the same. */
static void
bind_menus (VmdManagerWindow *self)
{
  if (self->menus_bound)
    return;
  self->menus_bound = TRUE;
  gtk_popover_bind_model (gtk_menu_button_get_popover (self->menu_button), self->primary_menu,
                          NULL);
  gtk_popover_bind_model (gtk_menu_button_get_popover (self->shutdown_menu_button),
                          self->shutdown_menu, NULL);
}

static gboolean
after_map_cb (gpointer user_data)
{
  VmdManagerWindow *self = user_data;

  self->after_map_id = 0;
  bind_menus (self);
  return G_SOURCE_REMOVE;
}

static void
map_cb (VmdManagerWindow *self)
{
  if (!self->menus_bound && self->after_map_id == 0)
    self->after_map_id = g_idle_add (after_map_cb, self);
}

static void
init_menu_button (VmdManagerWindow *self, GtkMenuButton *button)
{
  GtkWidget *popover = gtk_popover_new (NULL);

  gtk_menu_button_set_popover (button, popover);
  g_signal_connect_object (popover, "show", G_CALLBACK (bind_menus), self, G_CONNECT_SWAPPED);
}

/* ---------------------------------------------------------- window size */

static void
vmd_manager_window_size_allocate (GtkWidget *widget, GtkAllocation *allocation)
{
  VmdManagerWindow *self = VMD_MANAGER_WINDOW (widget);

  GTK_WIDGET_CLASS (vmd_manager_window_parent_class)->size_allocate (widget, allocation);

  if (self->settings != NULL && !gtk_window_is_maximized (GTK_WINDOW (self)))
    {
      int width, height;

      gtk_window_get_size (GTK_WINDOW (self), &width, &height);
      if (g_settings_get_int (self->settings, "window-width") != width)
        g_settings_set_int (self->settings, "window-width", width);
      if (g_settings_get_int (self->settings, "window-height") != height)
        g_settings_set_int (self->settings, "window-height", height);
    }
}

static gboolean
vmd_manager_window_window_state_event (GtkWidget *widget, GdkEventWindowState *event)
{
  VmdManagerWindow *self = VMD_MANAGER_WINDOW (widget);
  gboolean maximized = (event->new_window_state & GDK_WINDOW_STATE_MAXIMIZED) != 0;

  if (self->settings != NULL &&
      g_settings_get_boolean (self->settings, "window-maximized") != maximized)
    g_settings_set_boolean (self->settings, "window-maximized", maximized);
  update_stats_timer (self);
  return GTK_WIDGET_CLASS (vmd_manager_window_parent_class)->window_state_event (widget, event);
}

/* The schema is missing when the app runs from its build folder without
 * GSETTINGS_SCHEMA_DIR: then nothing is remembered. */
static GSettings *
settings_or_null (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, VMD_APP_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("No schema %s: window size and preferences are not remembered", VMD_APP_ID);
      return NULL;
    }
  return g_settings_new (VMD_APP_ID);
}

/* ------------------------------------------------------------- lifecycle */

static void
vmd_manager_window_dispose (GObject *object)
{
  VmdManagerWindow *self = VMD_MANAGER_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->after_map_id, g_source_remove);
  if (self->stats_id != 0 && self->connection != NULL)
    {
      VmdStatsSampler *sampler = vmd_connection_get_stats_sampler (self->connection);

      vmd_stats_sampler_unsubscribe (sampler, self->stats_id);
      g_signal_handlers_disconnect_by_func (sampler, stats_sampled_cb, self);
      self->stats_id = 0;
    }
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  if (self->rows != NULL)
    {
      GHashTableIter it;
      gpointer key;

      g_hash_table_iter_init (&it, self->rows);
      while (g_hash_table_iter_next (&it, &key, NULL))
        g_signal_handlers_disconnect_by_data (key, self);
    }
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->histories, g_hash_table_unref);
  g_clear_object (&self->connection);
  g_clear_object (&self->sort);
  g_clear_object (&self->filter);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (vmd_manager_window_parent_class)->dispose (object);
  /* After the tree view is gone and the columns' handlers with it. */
  for (int s = 0; s < VMD_STATS_N_SERIES; s++)
    {
      self->series_renderers[s] = NULL;
      g_clear_object (&self->series_columns[s]);
    }
}

static void
vmd_manager_window_constructed (GObject *object)
{
  VmdManagerWindow *self = VMD_MANAGER_WINDOW (object);

  G_OBJECT_CLASS (vmd_manager_window_parent_class)->constructed (object);
  vmd_manager_window_connection_ready (self);
}

static void
vmd_manager_window_class_init (VmdManagerWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (VMD_TYPE_ICON_RENDERER);
  g_type_ensure (VMD_TYPE_NAME_RENDERER);

  object_class->dispose = vmd_manager_window_dispose;
  object_class->constructed = vmd_manager_window_constructed;
  widget_class->size_allocate = vmd_manager_window_size_allocate;
  widget_class->window_state_event = vmd_manager_window_window_state_event;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               VMD_RESOURCE_PREFIX "/ui/vmd-manager-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdManagerWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, VmdManagerWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, VmdManagerWindow, shutdown_menu_button);
  gtk_widget_class_bind_template_child (widget_class, VmdManagerWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, VmdManagerWindow, shutdown_menu);
  gtk_widget_class_bind_template_child (widget_class, VmdManagerWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, VmdManagerWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, VmdManagerWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, VmdManagerWindow, context_menu);
}

static void
vmd_manager_window_init (VmdManagerWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_hash_table_new_full (NULL, NULL, g_object_unref,
                                      (GDestroyNotify) g_ptr_array_unref);
  self->histories = g_hash_table_new_full (NULL, NULL, g_object_unref,
                                           (GDestroyNotify) vmd_stats_history_free);
  self->cancellable = g_cancellable_new ();
  self->settings = settings_or_null ();

  self->store = gtk_tree_store_new (N_COLUMNS,
                                    G_TYPE_INT,      /* COL_KIND */
                                    G_TYPE_OBJECT,   /* COL_OBJECT */
                                    G_TYPE_STRING,   /* COL_ICON */
                                    G_TYPE_STRING,   /* COL_MARKUP */
                                    G_TYPE_STRING,   /* COL_SORT_NAME */
                                    G_TYPE_INT,      /* COL_STATE */
                                    G_TYPE_POINTER,  /* COL_HISTORY */
                                    G_TYPE_DOUBLE,   /* COL_VALUE + VMD_STATS_SERIES_* */
                                    G_TYPE_DOUBLE,
                                    G_TYPE_DOUBLE,
                                    G_TYPE_DOUBLE,
                                    G_TYPE_DOUBLE,
                                    G_TYPE_STRING);  /* COL_TOOLTIP */
  G_STATIC_ASSERT (VMD_STATS_N_SERIES == 5);
  self->filter = gtk_tree_model_filter_new (GTK_TREE_MODEL (self->store), NULL);
  gtk_tree_model_filter_set_visible_func (GTK_TREE_MODEL_FILTER (self->filter), filter_visible,
                                          self, NULL);
  self->sort = gtk_tree_model_sort_new_with_model (self->filter);
  gtk_tree_sortable_set_sort_column_id (GTK_TREE_SORTABLE (self->sort), COL_SORT_NAME,
                                        GTK_SORT_ASCENDING);

  gtk_stack_set_visible_child (self->stack, self->loading_page);

  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      g_signal_connect_object (self->settings, "changed::list-columns",
                               G_CALLBACK (list_columns_changed_cb), self, G_CONNECT_SWAPPED);
    }

  /* An ISO or disk image dropped on the window runs at once (Quick boot). */
  gtk_drag_dest_set (GTK_WIDGET (self), GTK_DEST_DEFAULT_ALL, NULL, 0, GDK_ACTION_COPY);
  gtk_drag_dest_add_uri_targets (GTK_WIDGET (self));
  g_signal_connect (self, "drag-data-received", G_CALLBACK (drag_data_received_cb), NULL);

  init_menu_button (self, self->menu_button);
  init_menu_button (self, self->shutdown_menu_button);
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);
  g_signal_connect (self, "map", G_CALLBACK (visibility_changed_cb), NULL);
  g_signal_connect (self, "unmap", G_CALLBACK (visibility_changed_cb), NULL);

  vmd_manager_window_init_actions (self);
}

VmdManagerWindow *
vmd_manager_window_new (VmdApplication *app)
{
  return g_object_new (VMD_TYPE_MANAGER_WINDOW, "application", app, NULL);
}
