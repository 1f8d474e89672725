/* vmd-details-view-apply.c: the Details view's Apply, XML apply, Add
 * Hardware and Remove
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Apply: the changed page is stored into the working copy, which is
 * validated and saved with vmd_domain_set_config_async() (with the old
 * name: a new name goes through vmd_domain_rename_async() after). On a
 * running VM, a changed current memory goes to the balloon and a device
 * editor applies its live part; whatever else changed waits for the next
 * boot, which the view says. The XML tab's document is parsed, validated
 * and checked against libvirt's schema (in a thread) before anything is
 * saved, so an invalid document never replaces the definition. Added and
 * removed devices go through vmd_domain_attach_device_async() and
 * vmd_domain_detach_device_async(), which write the definition and, while
 * the VM runs, plug or unplug the device.
 */
#define G_LOG_DOMAIN "vmdesk-details"

#include <glib/gi18n.h>

#include "vmd-details-device.h"
#include "vmd-details-view-private.h"
#ifdef VMD_HAVE_DEVICE_EDITORS
#include "vmd-device-editor.h"
#endif
#ifdef VMD_HAVE_ADD_HARDWARE
#include "vmd-add-hardware-dialog.h"
#endif

typedef struct {
  VmdDetailsView  *view;
  VmdDomainConfig *before;    /* the definition before Apply */
  VmdDetailsPage  *page;      /* the stored page, or NULL for the XML tab */
  VmdDevice       *before_device;  /* the page's device as the VM has it */
  char            *new_name;  /* a rename to do after saving */
  guint            pending;   /* live operations still running */
  gboolean         restart;   /* something waits for the next boot */
  GError          *error;
} ApplyData;

static void
apply_data_free (ApplyData *data)
{
  g_clear_object (&data->before);
  g_clear_object (&data->page);
  g_clear_object (&data->before_device);
  g_free (data->new_name);
  g_clear_error (&data->error);
  g_object_unref (data->view);
  g_free (data);
}

VmdDevice *
_vmd_details_find_counterpart (VmdDomainConfig *other, VmdDevice *device)
{
  VmdDomainConfig *config = vmd_device_get_config (device);
  const char *kind = vmd_device_get_kind (device);
  g_autoptr (GPtrArray) mine = NULL;
  g_autoptr (GPtrArray) theirs = NULL;

  if (config == NULL || other == NULL)
    return NULL;
  mine = vmd_domain_config_get_devices_of_kind (config, kind);
  theirs = vmd_domain_config_get_devices_of_kind (other, kind);
  /* The config keeps no reference on its device objects: hold one. */
  for (guint i = 0; i < mine->len && i < theirs->len; i++)
    if (g_ptr_array_index (mine, i) == device)
      return g_object_ref (g_ptr_array_index (theirs, i));
  return NULL;
}

/* Whether @before and @after differ in more than what takes effect at
 * once: names, title, description, metadata, the balloon's target. */
static gboolean
differs_beyond_live (VmdDomainConfig *before, VmdDomainConfig *after)
{
  VmdDomainConfig *both[] = { vmd_domain_config_copy (before), vmd_domain_config_copy (after) };
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  for (guint i = 0; i < 2; i++)
    {
      vmd_domain_config_set_name (both[i], "x");
      vmd_domain_config_set_title (both[i], NULL);
      vmd_domain_config_set_description (both[i], NULL);
      vmd_domain_config_set_os_id (both[i], NULL);
      vmd_domain_config_set_tags (both[i], NULL);
      vmd_domain_config_set_current_memory (both[i], vmd_domain_config_get_memory (both[i]));
    }
  a = vmd_domain_config_to_xml (both[0]);
  b = vmd_domain_config_to_xml (both[1]);
  g_object_unref (both[0]);
  g_object_unref (both[1]);
  return g_strcmp0 (a, b) != 0;
}

static void
apply_done (ApplyData *data)
{
  VmdDetailsView *self = data->view;

  _vmd_details_view_set_busy (self, FALSE);
  if (data->error != NULL)
    {
      _vmd_details_view_set_error (self, data->error->message);
      _vmd_details_view_forget_pending (self);
      apply_data_free (data);
      return;
    }
  _vmd_details_view_reload (self, NULL);
  self->needs_restart = data->restart && self->domain != NULL &&
                        vmd_domain_is_active (self->domain);
  gtk_widget_set_visible (GTK_WIDGET (self->notice_label), self->needs_restart);
  _vmd_details_view_go_pending (self);
  apply_data_free (data);
}

static void
live_done (ApplyData *data, GError *error)
{
  if (error != NULL && data->error == NULL)
    data->error = g_error_copy (error);
  if (--data->pending == 0)
    apply_done (data);
}

static void
memory_set_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  vmd_domain_set_memory_finish (VMD_DOMAIN (source), result, &error);
  live_done (user_data, error);
}

#ifdef VMD_HAVE_DEVICE_EDITORS
static void
device_live_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  vmd_device_editor_apply_live_finish (VMD_DEVICE_EDITOR (source), result, &error);
  live_done (user_data, error);
}
#endif

/* After saving: what a running VM takes at once. */
static void
apply_live (ApplyData *data)
{
  VmdDetailsView *self = data->view;
  VmdDomainState state = vmd_domain_get_state (self->domain);
  guint64 memory_before = vmd_domain_config_get_current_memory (data->before);
  guint64 memory_after = vmd_domain_config_get_current_memory (self->config);

  data->pending = 1;
  if (!vmd_domain_is_active (self->domain))
    {
      live_done (data, NULL);
      return;
    }
  if (data->page != NULL && VMD_IS_DETAILS_DEVICE (data->page))
    {
      GtkWidget *editor = vmd_details_device_get_editor (VMD_DETAILS_DEVICE (data->page));
      VmdDevice *device = vmd_details_device_get_device (VMD_DETAILS_DEVICE (data->page));
      VmdDevice *before;

      data->before_device = _vmd_details_find_counterpart (data->before, device);
      before = data->before_device;

      data->restart = TRUE;
#ifdef VMD_HAVE_DEVICE_EDITORS
      if (editor != NULL && before != NULL)
        {
          VmdLiveSupport live = vmd_device_editor_live_support (VMD_DEVICE_EDITOR (editor),
                                                                before);
          data->restart = live != VMD_LIVE_ALL;
          if (live != VMD_LIVE_NONE)
            {
              data->pending++;
              vmd_device_editor_apply_live_async (VMD_DEVICE_EDITOR (editor), self->domain,
                                                  before, self->cancellable, device_live_cb,
                                                  data);
            }
        }
#else
      (void) editor;
      (void) before;
#endif
    }
  else
    {
      data->restart = differs_beyond_live (data->before, self->config);
    }
  if (memory_after != memory_before)
    {
      if (state == VMD_DOMAIN_STATE_RUNNING)
        {
          data->pending++;
          vmd_domain_set_memory_async (self->domain, memory_after, self->cancellable,
                                       memory_set_cb, data);
        }
      else
        {
          data->restart = TRUE;
        }
    }
  live_done (data, NULL);
}

static void
renamed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ApplyData *data = user_data;
  g_autoptr (GError) error = NULL;

  if (!vmd_domain_rename_finish (VMD_DOMAIN (source), result, &error))
    {
      data->error = g_steal_pointer (&error);
      apply_done (data);
      return;
    }
  apply_live (data);
}

static void
saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ApplyData *data = user_data;
  g_autoptr (GError) error = NULL;

  if (!vmd_domain_set_config_finish (VMD_DOMAIN (source), result, &error))
    {
      data->error = g_steal_pointer (&error);
      apply_done (data);
      return;
    }
  if (data->new_name != NULL)
    {
      vmd_domain_rename_async (VMD_DOMAIN (source), data->new_name, data->view->cancellable,
                               renamed_cb, data);
      return;
    }
  apply_live (data);
}

/* Saves @config (taken) as the definition. */
static void
save (VmdDetailsView *self, VmdDomainConfig *config, VmdDetailsPage *page)
{
  ApplyData *data = g_new0 (ApplyData, 1);
  g_autofree char *name = vmd_domain_config_get_name (config);
  g_autoptr (VmdDomainConfig) to_save = NULL;

  data->view = g_object_ref (self);
  data->page = page != NULL ? g_object_ref (page) : NULL;
  data->before = vmd_domain_config_copy (vmd_domain_get_config (self->domain));
  if (self->config != config)
    {
      g_clear_object (&self->config);
      self->config = g_object_ref (config);
    }
  /* A rename is its own step, and only while the VM is off; while it
   * runs, the engine refuses the new name in words. */
  if (g_strcmp0 (name, vmd_domain_get_name (self->domain)) != 0 &&
      !vmd_domain_is_active (self->domain))
    {
      data->new_name = g_strdup (name);
      to_save = vmd_domain_config_copy (config);
      vmd_domain_config_set_name (to_save, vmd_domain_get_name (self->domain));
    }
  else
    {
      to_save = g_object_ref (config);
    }
  g_object_unref (config);
  _vmd_details_view_set_busy (self, TRUE);
  vmd_domain_set_config_async (self->domain, to_save, self->cancellable, saved_cb, data);
}

/* ------------------------------------------------------------------- XML */

typedef struct {
  VmdDomainConfig *config;
  char            *schema;
} SchemaData;

static void
schema_data_free (SchemaData *data)
{
  g_clear_object (&data->config);
  g_free (data->schema);
  g_free (data);
}

static void
schema_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SchemaData *data = task_data;
  GError *error = NULL;

  if (!vmd_domain_config_validate_schema (data->config, data->schema, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
schema_checked_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  VmdDetailsView *self = VMD_DETAILS_VIEW (source);
  SchemaData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      _vmd_details_view_set_busy (self, FALSE);
      _vmd_details_view_set_xml_error (self, error->message);
      _vmd_details_view_forget_pending (self);
      return;
    }
  _vmd_details_view_set_busy (self, FALSE);
  if (self->domain == NULL)
    {
      g_clear_object (&self->config);
      self->config = g_object_ref (data->config);
      _vmd_details_view_reload (self, NULL);
      _vmd_details_view_emit_applied (self);
      _vmd_details_view_go_pending (self);
      return;
    }
  save (self, g_object_ref (data->config), NULL);
}

/* The XML tab's document as a whole new definition, or NULL with @error. */
static VmdDomainConfig *
parse_xml_tab (VmdDetailsView *self, GError **error)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->xml_buffer);
  VmdDevice *old = _vmd_details_view_selected_device (self);
  g_autoptr (VmdDomainConfig) config = NULL;
  g_autoptr (VmdDevice) device = NULL;
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (old == NULL)
    {
      config = vmd_domain_config_new_from_xml (text, -1, error);
      if (config == NULL)
        return NULL;
    }
  else
    {
      g_autoptr (GPtrArray) same = NULL;
      g_autoptr (VmdDevice) counterpart = NULL;
      guint position = 0;

      device = vmd_device_new_from_xml (text, -1, error);
      if (device == NULL)
        return NULL;
      config = vmd_domain_config_copy (self->config);
      counterpart = _vmd_details_find_counterpart (config, old);
      same = vmd_domain_config_get_devices_of_kind (config, vmd_device_get_kind (old));
      while (position < same->len && g_ptr_array_index (same, position) != counterpart)
        position++;
      if (counterpart != NULL)
        vmd_domain_config_remove_device (config, counterpart);
      vmd_domain_config_add_device (config, device);
      if (g_str_equal (vmd_device_get_kind (device), vmd_device_get_kind (old)))
        vmd_domain_config_move_device (config, device, position);
    }
  if (!vmd_domain_config_validate (config, error))
    return NULL;
  return g_steal_pointer (&config);
}

static void
apply_xml (VmdDetailsView *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTask) task = NULL;
  VmdDomainConfig *config = parse_xml_tab (self, &error);
  const char *schema = vmd_domain_config_get_default_schema_path ();
  SchemaData *data;

  if (config == NULL)
    {
      _vmd_details_view_set_xml_error (self, error->message);
      _vmd_details_view_forget_pending (self);
      return;
    }
  data = g_new0 (SchemaData, 1);
  data->config = config;
  if (schema != NULL && g_file_test (schema, G_FILE_TEST_IS_REGULAR))
    data->schema = g_strdup (schema);
  task = g_task_new (self, self->cancellable, schema_checked_cb, NULL);
  g_task_set_source_tag (task, apply_xml);
  g_task_set_task_data (task, data, (GDestroyNotify) schema_data_free);
  _vmd_details_view_set_busy (self, TRUE);
  if (data->schema == NULL)
    g_task_return_boolean (task, TRUE);
  else
    g_task_run_in_thread (task, schema_thread);
}

/* ----------------------------------------------------------------- apply */

void
_vmd_details_view_apply (VmdDetailsView *self)
{
  g_autoptr (GError) error = NULL;
  VmdDetailsPage *page = self->dirty_page;

  if (self->busy || !vmd_details_view_has_changes (self))
    return;
  _vmd_details_view_set_error (self, NULL);
  if (self->xml_dirty)
    {
      apply_xml (self);
      return;
    }
  if (!vmd_details_page_store (page, self->config, &error) ||
      !vmd_domain_config_validate (self->config, &error))
    {
      _vmd_details_view_set_error (self, error->message);
      _vmd_details_view_forget_pending (self);
      return;
    }
  if (self->domain == NULL)
    {
      self->dirty_page = NULL;
      _vmd_details_view_reload (self, NULL);
      _vmd_details_view_emit_applied (self);
      _vmd_details_view_go_pending (self);
      return;
    }
  save (self, g_object_ref (self->config), page);
}

/* ---------------------------------------------------------- Add Hardware */

typedef struct {
  VmdDetailsView *view;
  char           *select;  /* the row of the new device */
} DeviceOpData;

static void
device_op_data_free (DeviceOpData *data)
{
  g_object_unref (data->view);
  g_free (data->select);
  g_free (data);
}

static void
device_op_done (DeviceOpData *data, GError *error)
{
  VmdDetailsView *self = data->view;

  _vmd_details_view_set_busy (self, FALSE);
  _vmd_details_view_reload (self, NULL);
  if (error != NULL)
    _vmd_details_view_set_error (self, error->message);
  else if (data->select != NULL)
    vmd_details_view_select (self, data->select);
  device_op_data_free (data);
}

static char *
row_of_last (VmdDomainConfig *config, const char *kind)
{
  g_autoptr (GPtrArray) same = vmd_domain_config_get_devices_of_kind (config, kind);

  return g_strdup_printf ("device:%s:%u", kind, same->len > 0 ? same->len - 1 : 0);
}

#ifdef VMD_HAVE_ADD_HARDWARE
static void
attached_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  DeviceOpData *data = user_data;

  vmd_domain_attach_device_finish (VMD_DOMAIN (source), result, &error);
  if (error == NULL)
    {
      g_autofree char *kind = g_steal_pointer (&data->select);

      data->select = row_of_last (vmd_domain_get_config (VMD_DOMAIN (source)), kind);
    }
  device_op_done (data, error);
}

static void
add_hardware_response_cb (GtkDialog *dialog, int response, VmdDetailsView *self)
{
  g_autoptr (VmdDevice) device = NULL;
  DeviceOpData *data;

  if (response == GTK_RESPONSE_ACCEPT)
    device = g_object_ref (vmd_add_hardware_dialog_get_device (VMD_ADD_HARDWARE_DIALOG (dialog)));
  gtk_widget_destroy (GTK_WIDGET (dialog));
  self->dialog = NULL;
  if (device == NULL)
    return;

  _vmd_details_view_set_error (self, NULL);
  if (self->domain == NULL)
    {
      g_autofree char *row = NULL;

      vmd_domain_config_add_device (self->config, device);
      row = row_of_last (self->config, vmd_device_get_kind (device));
      _vmd_details_view_reload (self, NULL);
      _vmd_details_view_emit_applied (self);
      vmd_details_view_select (self, row);
      return;
    }
  data = g_new0 (DeviceOpData, 1);
  data->view = g_object_ref (self);
  data->select = g_strdup (vmd_device_get_kind (device));
  _vmd_details_view_set_busy (self, TRUE);
  vmd_domain_attach_device_async (self->domain, device, self->cancellable, attached_cb, data);
}
#endif

void
_vmd_details_view_add_hardware (VmdDetailsView *self)
{
#ifdef VMD_HAVE_ADD_HARDWARE
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GtkWidget *dialog;

  if (self->busy || self->dialog != NULL)
    return;
  dialog = vmd_add_hardware_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                        self->config, self->domain);
  g_signal_connect (dialog, "response", G_CALLBACK (add_hardware_response_cb), self);
  self->dialog = dialog;
  gtk_widget_show (dialog);
#endif
}

/* ---------------------------------------------------------------- Remove */

static void
detached_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  vmd_domain_detach_device_finish (VMD_DOMAIN (source), result, &error);
  device_op_done (user_data, error);
}

static void
remove_response_cb (GtkDialog *dialog, int response, VmdDetailsView *self)
{
  VmdDevice *device = g_object_get_data (G_OBJECT (dialog), "device");
  g_autoptr (VmdDevice) target = NULL;
  DeviceOpData *data;

  g_object_ref (device);
  gtk_widget_destroy (GTK_WIDGET (dialog));
  self->dialog = NULL;
  if (response != GTK_RESPONSE_ACCEPT || vmd_device_get_config (device) != self->config)
    {
      g_object_unref (device);
      return;
    }

  _vmd_details_view_set_error (self, NULL);
  if (self->domain == NULL)
    {
      vmd_domain_config_remove_device (self->config, device);
      g_object_unref (device);
      _vmd_details_view_reload (self, NULL);
      _vmd_details_view_emit_applied (self);
      return;
    }
  target = _vmd_details_find_counterpart (vmd_domain_get_config (self->domain), device);
  g_object_unref (device);
  if (target == NULL)
    {
      _vmd_details_view_set_error (self, _("The device is no longer part of the virtual machine."));
      return;
    }
  data = g_new0 (DeviceOpData, 1);
  data->view = g_object_ref (self);
  _vmd_details_view_set_busy (self, TRUE);
  vmd_domain_detach_device_async (self->domain, target, self->cancellable, detached_cb, data);
}

/* The confirm-remove-device setting; TRUE without the schema. */
static gboolean
confirm_remove_device (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = source != NULL
                                         ? g_settings_schema_source_lookup (source, VMD_APP_ID, TRUE)
                                         : NULL;
  g_autoptr (GSettings) settings = NULL;

  if (schema == NULL || !g_settings_schema_has_key (schema, "confirm-remove-device"))
    return TRUE;
  settings = g_settings_new (VMD_APP_ID);
  return g_settings_get_boolean (settings, "confirm-remove-device");
}

void
_vmd_details_view_remove_device (VmdDetailsView *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  VmdDevice *device = _vmd_details_view_selected_device (self);
  g_autofree char *label = NULL;
  GtkWidget *dialog, *button;

  if (device == NULL || self->busy || self->dialog != NULL)
    return;
  label = vmd_details_describe_device (self->config, device, NULL);
  dialog = gtk_message_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_WARNING, GTK_BUTTONS_NONE,
                                   _("Remove “%s” from the virtual machine?"), label);
  gtk_message_dialog_format_secondary_text (
    GTK_MESSAGE_DIALOG (dialog), "%s",
    self->domain != NULL && vmd_domain_is_active (self->domain)
      ? _("The device is unplugged from the running virtual machine and removed from its definition. A disk image stays where it is.")
      : _("The device is removed from the definition. A disk image stays where it is."));
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Remove"), GTK_RESPONSE_ACCEPT);
  gtk_style_context_add_class (gtk_widget_get_style_context (button), "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  gtk_widget_set_name (dialog, "remove-device-dialog");
  g_object_set_data_full (G_OBJECT (dialog), "device", g_object_ref (device), g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (remove_response_cb), self);
  self->dialog = dialog;
  /* Preferences can turn the question off: then it is answered at once. */
  if (!confirm_remove_device ())
    {
      remove_response_cb (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT, self);
      return;
    }
  gtk_widget_show (dialog);
}
