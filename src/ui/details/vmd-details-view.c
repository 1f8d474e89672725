/* vmd-details-view.c: the VM window's Details page
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A sidebar of the VM's hardware (Overview, OS, CPUs, Memory, Boot
 * Options, then a row per device) and, for the selected row, its editor
 * page, the XML of the row (the device's, or the whole definition) and
 * the QEMU command line the embedded engine would run.
 *
 * The pages edit a working copy of the definition. One page at a time has
 * unapplied changes: leaving it asks whether to apply them. Apply (in
 * vmd-details-view-apply.c) stores the page, validates, saves and, on a
 * running VM, applies live what the engine can. The view reloads when the
 * domain's definition changes and nothing is being edited.
 */
#define G_LOG_DOMAIN "vmdesk-details"

#include <glib/gi18n.h>
#include <string.h>

#include "vmd-details-boot.h"
#include "vmd-details-cpus.h"
#include "vmd-details-device.h"
#include "vmd-details-memory.h"
#include "vmd-details-os.h"
#include "vmd-details-overview.h"
#include "vmd-details-view-private.h"
#include "vmd-qemu-command-line.h"
#include "vmd-qemu-connection.h"
#ifdef VMD_HAVE_PERFORMANCE_PAGE
#include "vmd-performance-page.h"
#endif

G_DEFINE_FINAL_TYPE (VmdDetailsView, vmd_details_view, GTK_TYPE_BOX)

enum {
  CONFIG_APPLIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Devices in the sidebar, kind by kind as virt-manager shows them. */
static const char *const device_order[] = {
  "disk", "interface", "input", "graphics", "sound", "serial", "parallel", "console",
  "channel", "video", "hostdev", "redirdev", "controller", "rng", "watchdog", "tpm",
  "filesystem", "smartcard", "panic", "vsock", "iommu", "memory", "shmem", "hub", "lease",
  NULL,
};

/* ------------------------------------------------------------------ rows */

static const char *
row_id (GtkListBoxRow *row)
{
  return row != NULL ? g_object_get_data (G_OBJECT (row), "row-id") : NULL;
}

static GtkWidget *
row_page (GtkListBoxRow *row)
{
  return row != NULL ? g_object_get_data (G_OBJECT (row), "page") : NULL;
}

static GtkListBoxRow *
find_row (VmdDetailsView *self, const char *id)
{
  g_autoptr (GList) rows = gtk_container_get_children (GTK_CONTAINER (self->hardware_list));

  for (GList *l = rows; l; l = l->next)
    if (g_strcmp0 (row_id (l->data), id) == 0)
      return l->data;
  return NULL;
}

static GtkListBoxRow *
add_row (VmdDetailsView *self, const char *id, const char *label, const char *icon,
         GtkWidget *page)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *text = gtk_label_new (label);
  GtkWidget *image;

  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_end (box, 8);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_ellipsize (GTK_LABEL (text), PANGO_ELLIPSIZE_END);
  {
    /* "a,b": b where the theme has no a */
    g_auto (GStrv) names = g_strsplit (icon ? icon : "", ",", -1);
    g_autoptr (GIcon) gicon = g_themed_icon_new_from_names (names, -1);

    image = gtk_image_new_from_gicon (gicon, GTK_ICON_SIZE_MENU);
  }
  /* Some device icons have no small size in the theme. */
  gtk_image_set_pixel_size (GTK_IMAGE (image), 16);
  gtk_container_add (GTK_CONTAINER (box), image);
  gtk_container_add (GTK_CONTAINER (box), text);
  gtk_container_add (GTK_CONTAINER (row), box);
  gtk_widget_set_name (row, id);
  /* Long labels are ellipsized. */
  gtk_widget_set_tooltip_text (row, label);
  atk_object_set_name (gtk_widget_get_accessible (row), label);
  g_object_set_data_full (G_OBJECT (row), "row-id", g_strdup (id), g_free);
  g_object_set_data_full (G_OBJECT (row), "label", g_strdup (label), g_free);
  g_object_set_data (G_OBJECT (row), "page", page);
  gtk_widget_show_all (row);
  gtk_container_add (GTK_CONTAINER (self->hardware_list), row);
  if (page != NULL)
    {
      gtk_widget_show (page);
      gtk_stack_add_named (self->pages, page, id);
    }
  return GTK_LIST_BOX_ROW (row);
}

static void
page_changed_cb (VmdDetailsPage *page, VmdDetailsView *self)
{
  if (self->busy)
    return;
  g_debug ("%s changed", G_OBJECT_TYPE_NAME (page));
  self->dirty_page = page;
  _vmd_details_view_set_error (self, NULL);
  _vmd_details_view_update_actions (self);
}

static void
add_page_row (VmdDetailsView *self, const char *id, const char *label, const char *icon,
              VmdDetailsPage *page)
{
  g_signal_connect_object (page, "changed", G_CALLBACK (page_changed_cb), self, 0);
  add_row (self, id, label, icon, GTK_WIDGET (page));
}

/* A device's page is made when its row is first shown: editors may look
 * at files or the host, which a long hardware list should not pay for. */
static GtkWidget *
ensure_page (VmdDetailsView *self, GtkListBoxRow *row)
{
  VmdDevice *device;
  VmdDetailsPage *page;

  if (row == NULL || row_page (row) != NULL)
    return row_page (row);
  device = g_object_get_data (G_OBJECT (row), "device");
  if (device == NULL || vmd_device_get_config (device) != self->config)
    return NULL;
  page = vmd_details_device_new (self->domain, self->config, device);
  g_signal_connect_object (page, "changed", G_CALLBACK (page_changed_cb), self, 0);
  gtk_widget_show (GTK_WIDGET (page));
  gtk_stack_add_named (self->pages, GTK_WIDGET (page), row_id (row));
  g_object_set_data (G_OBJECT (row), "page", page);
  return GTK_WIDGET (page);
}

static void
remove_device_rows (VmdDetailsView *self)
{
  g_autoptr (GList) rows = gtk_container_get_children (GTK_CONTAINER (self->hardware_list));

  for (GList *l = rows; l; l = l->next)
    {
      GtkWidget *page = row_page (l->data);

      if (!g_str_has_prefix (row_id (l->data), "device:"))
        continue;
      if (l->data == self->current_row)
        self->current_row = NULL;
      if (page != NULL && page == GTK_WIDGET (self->dirty_page))
        self->dirty_page = NULL;
      if (page != NULL)
        gtk_widget_destroy (page);
      gtk_widget_destroy (l->data);
    }
}

static void
add_device_rows (VmdDetailsView *self)
{
  g_autoptr (GPtrArray) all = vmd_domain_config_get_devices (self->config, VMD_TYPE_DEVICE);
  g_autoptr (GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint pass = 0; pass <= g_strv_length ((char **) device_order); pass++)
    for (guint i = 0; i < all->len; i++)
      {
        VmdDevice *device = g_ptr_array_index (all, i);
        const char *kind = vmd_device_get_kind (device);
        const char *icon = NULL;
        g_autofree char *label = NULL;
        g_autofree char *id = NULL;
        GtkListBoxRow *row;
        guint n;

        /* Pass k takes the kind device_order[k]; the last pass, the rest. */
        if (device_order[pass] != NULL ? !g_str_equal (kind, device_order[pass])
                                       : g_strv_contains (device_order, kind))
          continue;
        n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, kind));
        g_hash_table_insert (counts, (gpointer) kind, GUINT_TO_POINTER (n + 1));
        /* The balloon is part of Memory, as in virt-manager. */
        if (g_str_equal (kind, "memballoon"))
          continue;
        id = g_strdup_printf ("device:%s:%u", kind, n);
        label = vmd_details_describe_device (self->config, device, &icon);
        row = add_row (self, id, label, icon, NULL);
        g_object_set_data_full (G_OBJECT (row), "device", g_object_ref (device),
                                g_object_unref);
      }
}

/* ------------------------------------------------------------ XML, QEMU */

static gboolean
selected_is_device (VmdDetailsView *self)
{
  return g_str_has_prefix (row_id (self->current_row) ?: "", "device:");
}

static void
refresh_xml (VmdDetailsView *self)
{
  VmdDevice *device = _vmd_details_view_selected_device (self);
  g_autofree char *xml = NULL;

  if (device != NULL)
    xml = vmd_device_to_xml (device);
  else
    xml = vmd_domain_config_to_xml (self->config);
  self->xml_loading = TRUE;
  gtk_source_buffer_begin_not_undoable_action (self->xml_buffer);
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->xml_buffer), xml ? xml : "", -1);
  gtk_source_buffer_end_not_undoable_action (self->xml_buffer);
  self->xml_loading = FALSE;
  self->xml_dirty = FALSE;
  gtk_label_set_text (self->xml_hint,
                      device != NULL
                        ? _("The XML of the selected device. Apply checks it and replaces the device with it.")
                        : _("The whole definition. Apply checks it against libvirt’s schema before saving it."));
}

static void
refresh_qemu (VmdDetailsView *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->qemu_view);

  if (self->connection == NULL || !VMD_IS_QEMU_CONNECTION (self->connection))
    return;
  text = vmd_qemu_connection_get_command_line (VMD_QEMU_CONNECTION (self->connection),
                                               self->config, &error);
  if (text == NULL)
    text = g_strdup_printf (_("The definition cannot start: %s"), error->message);
  gtk_text_buffer_set_text (buffer, text, -1);
  gtk_widget_set_sensitive (self->copy_button, error == NULL);
}

static void
xml_changed_cb (VmdDetailsView *self)
{
  if (self->xml_loading || self->busy)
    return;
  self->xml_dirty = TRUE;
  _vmd_details_view_set_error (self, NULL);
  _vmd_details_view_update_actions (self);
}

static void ask_leave (VmdDetailsView *self);

static void
tab_changed_cb (VmdDetailsView *self)
{
  const char *tab = gtk_stack_get_visible_child_name (self->tabs);

  if (self->switching || g_strcmp0 (tab, self->current_tab) == 0)
    return;
  /* Another tab shows the definition without the unapplied edits. */
  if (vmd_details_view_has_changes (self) && self->current_tab != NULL)
    {
      g_free (self->pending_tab);
      self->pending_tab = g_strdup (tab);
      self->switching = TRUE;
      gtk_stack_set_visible_child_name (self->tabs, self->current_tab);
      self->switching = FALSE;
      if (self->dialog == NULL && !self->busy)
        ask_leave (self);
      else
        g_clear_pointer (&self->pending_tab, g_free);
      return;
    }
  g_free (self->current_tab);
  self->current_tab = g_strdup (tab);
  if (g_strcmp0 (tab, "xml") == 0)
    refresh_xml (self);
  else if (g_strcmp0 (tab, "qemu") == 0)
    refresh_qemu (self);
}

static void
copy_clicked_cb (VmdDetailsView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->qemu_view);
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  gtk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self), GDK_SELECTION_CLIPBOARD),
                          text, -1);
}

/* ------------------------------------------------------------- selection */

static void
show_row (VmdDetailsView *self, GtkListBoxRow *row)
{
  self->current_row = row;
  g_free (self->selected_id);
  self->selected_id = g_strdup (row_id (row));
  if (row != NULL)
    gtk_stack_set_visible_child (self->pages, ensure_page (self, row));
  self->switching = TRUE;
  gtk_list_box_select_row (self->hardware_list, row);
  self->switching = FALSE;
  refresh_xml (self);
  _vmd_details_view_update_actions (self);
}

static void
leave_response_cb (GtkDialog *dialog, int response, VmdDetailsView *self)
{
  gtk_widget_destroy (GTK_WIDGET (dialog));
  self->dialog = NULL;
  if (response == GTK_RESPONSE_ACCEPT)
    {
      /* Goes on to the pending row once applied. */
      _vmd_details_view_apply (self);
    }
  else if (response == GTK_RESPONSE_REJECT)
    {
      _vmd_details_view_discard (self);
      _vmd_details_view_go_pending (self);
    }
  else
    {
      _vmd_details_view_forget_pending (self);
    }
}

static void
ask_leave (VmdDetailsView *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  const char *label = g_object_get_data (G_OBJECT (self->current_row), "label");
  GtkWidget *dialog;

  dialog = gtk_message_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   _("Apply the changes to “%s”?"), label ? label : "");
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
                                            _("The page has changes that are not applied yet. "
                                              "If you do not apply them, they are lost."));
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _("_Discard"), GTK_RESPONSE_REJECT,
                          _("_Cancel"), GTK_RESPONSE_CANCEL, _("_Apply"), GTK_RESPONSE_ACCEPT,
                          NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  gtk_widget_set_name (dialog, "unapplied-changes-dialog");
  g_signal_connect (dialog, "response", G_CALLBACK (leave_response_cb), self);
  self->dialog = dialog;
  gtk_widget_show (dialog);
}

static void
row_selected_cb (VmdDetailsView *self, GtkListBoxRow *row)
{
  if (self->switching || row == NULL || row == self->current_row)
    return;
  if (self->busy || self->dialog != NULL)
    {
      show_row (self, self->current_row);
      return;
    }
  if (vmd_details_view_has_changes (self))
    {
      g_free (self->pending_row);
      self->pending_row = g_strdup (row_id (row));
      show_row (self, self->current_row);
      ask_leave (self);
      return;
    }
  show_row (self, row);
}

void
_vmd_details_view_go_pending (VmdDetailsView *self)
{
  g_autofree char *id = g_steal_pointer (&self->pending_row);
  g_autofree char *tab = g_steal_pointer (&self->pending_tab);
  GtkListBoxRow *row = id != NULL ? find_row (self, id) : NULL;

  if (row != NULL)
    show_row (self, row);
  if (tab != NULL)
    gtk_stack_set_visible_child_name (self->tabs, tab);
}

void
_vmd_details_view_forget_pending (VmdDetailsView *self)
{
  g_clear_pointer (&self->pending_row, g_free);
  g_clear_pointer (&self->pending_tab, g_free);
}

VmdDevice *
_vmd_details_view_selected_device (VmdDetailsView *self)
{
  if (self->current_row == NULL)
    return NULL;
  return g_object_get_data (G_OBJECT (self->current_row), "device");
}

/* -------------------------------------------------------------- state */

void
_vmd_details_view_set_error (VmdDetailsView *self, const char *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* An error in the XML tab's document: shown like any, and the cursor goes
 * to the line it names ("… line 12: …"). */
void
_vmd_details_view_set_xml_error (VmdDetailsView *self, const char *message)
{
  const char *at = message != NULL ? strstr (message, "line ") : NULL;
  guint64 line = 0;

  _vmd_details_view_set_error (self, message);
  if (at == NULL || !g_ascii_isdigit (at[5]))
    return;
  line = g_ascii_strtoull (at + 5, NULL, 10);
  if (line > 0 && line <= G_MAXINT)
    {
      GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->xml_buffer);
      GtkTextIter iter;

      gtk_text_buffer_get_iter_at_line (buffer, &iter, (int) line - 1);
      gtk_text_buffer_place_cursor (buffer, &iter);
      gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (self->xml_view), &iter, 0.1, FALSE, 0, 0);
    }
}

void
_vmd_details_view_set_busy (VmdDetailsView *self, gboolean busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->busy_spinner), busy);
  if (busy)
    gtk_spinner_start (self->busy_spinner);
  else
    gtk_spinner_stop (self->busy_spinner);
  _vmd_details_view_update_actions (self);
}

void
_vmd_details_view_update_actions (VmdDetailsView *self)
{
  gboolean changes = vmd_details_view_has_changes (self);
  GAction *action;
  gboolean can_add = FALSE;

#ifdef VMD_HAVE_ADD_HARDWARE
  can_add = TRUE;
#endif
  action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "apply");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), changes && !self->busy);
  action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "revert");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), changes && !self->busy);
  action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "remove-device");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action),
                               selected_is_device (self) && !self->busy);
  action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "add-hardware");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), can_add && !self->busy);
  if (!can_add)
    gtk_widget_set_tooltip_text (self->add_button,
                                 _("Adding hardware needs the device editors, which this build of vmdesk does not have yet."));
}

/* Forgets the page's and the XML tab's unapplied edits. */
void
_vmd_details_view_discard (VmdDetailsView *self)
{
  VmdDetailsPage *page = self->dirty_page;

  /* A failed Apply may have stored the page into the working copy: start
   * again from the definition. */
  if (self->domain != NULL)
    {
      _vmd_details_view_reload (self, NULL);
      _vmd_details_view_set_error (self, NULL);
      return;
    }
  self->dirty_page = NULL;
  if (page != NULL)
    vmd_details_page_load (page, self->config);
  refresh_xml (self);
  _vmd_details_view_set_error (self, NULL);
  _vmd_details_view_update_actions (self);
}

/**
 * _vmd_details_view_reload:
 * @config: (nullable): the new working copy (taken), or NULL for a copy of
 *   the domain's definition
 *
 * Every page shows @config; device rows are made again. Unapplied edits
 * are lost.
 */
void
_vmd_details_view_reload (VmdDetailsView *self, VmdDomainConfig *config)
{
  g_autofree char *selected = g_strdup (self->selected_id);
  GHashTableIter iter;
  gpointer page;
  GtkListBoxRow *row;

  if (config == NULL && self->domain != NULL)
    config = vmd_domain_config_copy (vmd_domain_get_config (self->domain));
  if (config != NULL)
    {
      g_clear_object (&self->config);
      self->config = config;
    }
  self->dirty_page = NULL;
  remove_device_rows (self);
  add_device_rows (self);
  g_hash_table_iter_init (&iter, self->static_pages);
  while (g_hash_table_iter_next (&iter, NULL, &page))
    if (VMD_IS_DETAILS_PAGE (page))
      vmd_details_page_load (page, self->config);
  row = find_row (self, selected);
  show_row (self, row != NULL ? row : find_row (self, "overview"));
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->tabs), "qemu") == 0)
    refresh_qemu (self);
  self->dirty_page = NULL;
  self->xml_dirty = FALSE;
  _vmd_details_view_update_actions (self);
}

/* A view nobody sees is made again only when it is shown: a VM that
 * starts while its window shows the console must not wait for it. */
static gboolean
defer_reload (VmdDetailsView *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    return FALSE;
  self->stale = TRUE;
  return TRUE;
}

static void
map_cb (VmdDetailsView *self)
{
  if (!self->stale || self->busy || vmd_details_view_has_changes (self) || self->dialog != NULL)
    return;
  self->stale = FALSE;
  _vmd_details_view_reload (self, NULL);
}

static void
config_changed_cb (VmdDetailsView *self)
{
  if (self->busy || vmd_details_view_has_changes (self) || self->dialog != NULL)
    return;
  if (defer_reload (self))
    return;
  _vmd_details_view_reload (self, NULL);
}

static void
state_changed_cb (VmdDetailsView *self)
{
  GHashTableIter iter;
  gpointer page;

  if (!vmd_domain_is_active (self->domain))
    {
      self->needs_restart = FALSE;
      gtk_widget_hide (GTK_WIDGET (self->notice_label));
    }
  /* Device editors take the state when made: make them again. */
  if (!self->busy && !vmd_details_view_has_changes (self) && self->dialog == NULL)
    {
      if (!defer_reload (self))
        _vmd_details_view_reload (self, NULL);
      return;
    }
  g_hash_table_iter_init (&iter, self->static_pages);
  while (g_hash_table_iter_next (&iter, NULL, &page))
    if (VMD_IS_DETAILS_PAGE (page))
      vmd_details_page_state_changed (page);
}

/* ---------------------------------------------------------------- actions */

static void
apply_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  _vmd_details_view_apply (user_data);
}

static void
revert_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  _vmd_details_view_discard (user_data);
}

static void
add_hardware_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  _vmd_details_view_add_hardware (user_data);
}

static void
remove_device_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  _vmd_details_view_remove_device (user_data);
}

static const GActionEntry action_entries[] = {
  { .name = "apply", .activate = apply_activated },
  { .name = "revert", .activate = revert_activated },
  { .name = "add-hardware", .activate = add_hardware_activated },
  { .name = "remove-device", .activate = remove_device_activated },
};

/* ------------------------------------------------------------------ class */

static void
vmd_details_view_dispose (GObject *object)
{
  VmdDetailsView *self = VMD_DETAILS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->dialog, gtk_widget_destroy);
  if (self->domain != NULL)
    g_signal_handlers_disconnect_by_data (self->domain, self);
  g_clear_object (&self->domain);
  g_clear_object (&self->connection);
  g_clear_object (&self->config);
  g_clear_object (&self->actions);
  g_clear_pointer (&self->static_pages, g_hash_table_unref);
  G_OBJECT_CLASS (vmd_details_view_parent_class)->dispose (object);
}

static void
vmd_details_view_finalize (GObject *object)
{
  VmdDetailsView *self = VMD_DETAILS_VIEW (object);

  g_free (self->error);
  g_free (self->selected_id);
  g_free (self->pending_row);
  g_free (self->pending_tab);
  g_free (self->current_tab);
  G_OBJECT_CLASS (vmd_details_view_parent_class)->finalize (object);
}

static void
vmd_details_view_class_init (VmdDetailsViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_details_view_dispose;
  G_OBJECT_CLASS (klass)->finalize = vmd_details_view_finalize;

  /**
   * VmdDetailsView::config-applied:
   * @config: the definition the view holds now
   *
   * For a view made with vmd_details_view_new_for_config(): Apply, Add
   * Hardware or Remove changed the definition.
   */
  signals[CONFIG_APPLIED] = g_signal_new ("config-applied", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                          1, VMD_TYPE_DOMAIN_CONFIG);

  vmd_details_ensure_resource ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  g_type_ensure (GTK_SOURCE_TYPE_BUFFER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               VMD_RESOURCE_PREFIX "/details/vmd-details-view.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsView, hardware_list);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsView, tabs);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsView, pages);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsView, xml_buffer);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsView, xml_view);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsView, xml_hint);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsView, qemu_box);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsView, qemu_view);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsView, copy_button);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsView, notice_label);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsView, error_label);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsView, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsView, add_button);
}

static void
vmd_details_view_init (VmdDetailsView *self)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  GtkSourceLanguage *xml = gtk_source_language_manager_get_language (languages, "xml");

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->static_pages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), action_entries,
                                   G_N_ELEMENTS (action_entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "details",
                                  G_ACTION_GROUP (self->actions));
  if (xml != NULL)
    gtk_source_buffer_set_language (self->xml_buffer, xml);
  gtk_source_buffer_set_highlight_syntax (self->xml_buffer, TRUE);
  g_signal_connect_swapped (self->xml_buffer, "changed", G_CALLBACK (xml_changed_cb), self);
  g_signal_connect_swapped (self->tabs, "notify::visible-child", G_CALLBACK (tab_changed_cb),
                            self);
  g_signal_connect_swapped (self->hardware_list, "row-selected", G_CALLBACK (row_selected_cb),
                            self);
  g_signal_connect_swapped (self->copy_button, "clicked", G_CALLBACK (copy_clicked_cb), self);
  _vmd_details_view_set_error (self, NULL);
  _vmd_details_view_set_busy (self, FALSE);
  self->current_tab = g_strdup ("details");
}

static void
add_static_page (VmdDetailsView *self, const char *id, const char *label, const char *icon,
                 GtkWidget *page)
{
  if (VMD_IS_DETAILS_PAGE (page))
    add_page_row (self, id, label, icon, VMD_DETAILS_PAGE (page));
  else
    add_row (self, id, label, icon, page);
  g_hash_table_insert (self->static_pages, g_strdup (id), page);
}

static void
build (VmdDetailsView *self)
{
  g_autofree char *qemu = NULL;

  if (self->connection != NULL && VMD_IS_QEMU_CONNECTION (self->connection))
    qemu = vmd_qemu_connection_get_qemu_binary (VMD_QEMU_CONNECTION (self->connection));
  else
    {
      gtk_widget_hide (self->qemu_box);
      gtk_widget_set_no_show_all (self->qemu_box, TRUE);
    }

  add_static_page (self, "overview", _("Overview"), "dialog-information-symbolic",
                   GTK_WIDGET (vmd_details_overview_new (self->domain, self->connection)));
#ifdef VMD_HAVE_PERFORMANCE_PAGE
  if (self->domain != NULL)
    add_static_page (self, "performance", _("Performance"),
                     "utilities-system-monitor-symbolic,x-office-spreadsheet-symbolic",
                     vmd_performance_page_new (self->domain));
#endif
  add_static_page (self, "os", _("OS"), "computer-symbolic",
                   GTK_WIDGET (vmd_details_os_new (self->domain)));
  add_static_page (self, "cpus", _("CPUs"), "system-run-symbolic",
                   GTK_WIDGET (vmd_details_cpus_new (self->domain, qemu)));
  add_static_page (self, "memory", _("Memory"), "media-flash-symbolic",
                   GTK_WIDGET (vmd_details_memory_new (self->domain)));
  add_static_page (self, "boot", _("Boot Options"), "system-reboot-symbolic",
                   GTK_WIDGET (vmd_details_boot_new (self->domain)));
  _vmd_details_view_reload (self, NULL);
}

/**
 * vmd_details_view_new:
 *
 * The Details page of @domain's window.
 */
GtkWidget *
vmd_details_view_new (VmdDomain *domain)
{
  VmdDetailsView *self;

  g_return_val_if_fail (VMD_IS_DOMAIN (domain), NULL);

  self = g_object_new (VMD_TYPE_DETAILS_VIEW, NULL);
  self->domain = g_object_ref (domain);
  if (vmd_domain_get_connection (domain) != NULL)
    self->connection = g_object_ref (vmd_domain_get_connection (domain));
  build (self);
  g_signal_connect_swapped (domain, "config-changed", G_CALLBACK (config_changed_cb), self);
  g_signal_connect_swapped (domain, "state-changed", G_CALLBACK (state_changed_cb), self);
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);
  return GTK_WIDGET (self);
}

GtkWidget *
vmd_details_view_new_for_config (VmdConnection *connection, VmdDomainConfig *config)
{
  VmdDetailsView *self;

  g_return_val_if_fail (connection == NULL || VMD_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (config), NULL);

  self = g_object_new (VMD_TYPE_DETAILS_VIEW, NULL);
  if (connection != NULL)
    self->connection = g_object_ref (connection);
  self->config = g_object_ref (config);
  build (self);
  return GTK_WIDGET (self);
}

void
_vmd_details_view_emit_applied (VmdDetailsView *self)
{
  g_signal_emit (self, signals[CONFIG_APPLIED], 0, self->config);
}

/* ------------------------------------------------------------- accessors */

VmdDomainConfig *
vmd_details_view_get_config (VmdDetailsView *self)
{
  g_return_val_if_fail (VMD_IS_DETAILS_VIEW (self), NULL);
  return self->config;
}

gboolean
vmd_details_view_select (VmdDetailsView *self, const char *row)
{
  GtkListBoxRow *found;

  g_return_val_if_fail (VMD_IS_DETAILS_VIEW (self), FALSE);
  found = find_row (self, row);
  if (found == NULL)
    return FALSE;
  /* As a click would: may ask about unapplied changes. */
  gtk_list_box_select_row (self->hardware_list, found);
  return TRUE;
}

const char *
vmd_details_view_get_selected (VmdDetailsView *self)
{
  g_return_val_if_fail (VMD_IS_DETAILS_VIEW (self), NULL);
  return row_id (self->current_row);
}

GtkWidget *
vmd_details_view_get_page (VmdDetailsView *self, const char *row)
{
  g_return_val_if_fail (VMD_IS_DETAILS_VIEW (self), NULL);
  return ensure_page (self, find_row (self, row));
}

void
vmd_details_view_show_tab (VmdDetailsView *self, const char *tab)
{
  g_return_if_fail (VMD_IS_DETAILS_VIEW (self));
  gtk_stack_set_visible_child_name (self->tabs, tab);
}

gboolean
vmd_details_view_has_changes (VmdDetailsView *self)
{
  g_return_val_if_fail (VMD_IS_DETAILS_VIEW (self), FALSE);
  return self->dirty_page != NULL || self->xml_dirty;
}

gboolean
vmd_details_view_is_busy (VmdDetailsView *self)
{
  g_return_val_if_fail (VMD_IS_DETAILS_VIEW (self), FALSE);
  return self->busy;
}

const char *
vmd_details_view_get_error (VmdDetailsView *self)
{
  g_return_val_if_fail (VMD_IS_DETAILS_VIEW (self), NULL);
  return self->error;
}

gboolean
vmd_details_view_needs_restart (VmdDetailsView *self)
{
  g_return_val_if_fail (VMD_IS_DETAILS_VIEW (self), FALSE);
  return self->needs_restart;
}
