/* vmd-device-editor.c: the base of the device editors, their form helpers
 * and the choice of an editor by the device's kind
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-devices"

#include <glib/gi18n.h>

#include "vmd-device-editor-private.h"
#include "vmd-devices-resources.h"

typedef struct
{
  VmdDomainConfig *config;
  VmdDevice       *device;
  VmdDomain       *domain;
  GtkGrid         *form;
  guint            rows;
  gboolean         loading;
} VmdDeviceEditorPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (VmdDeviceEditor, vmd_device_editor, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_CONFIG,
  PROP_DEVICE,
  PROP_DOMAIN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
vmd_device_editor_dispose (GObject *object)
{
  VmdDeviceEditorPrivate *priv = vmd_device_editor_get_instance_private (VMD_DEVICE_EDITOR (object));

  g_clear_object (&priv->config);
  g_clear_object (&priv->device);
  g_clear_object (&priv->domain);
  G_OBJECT_CLASS (vmd_device_editor_parent_class)->dispose (object);
}

static void
vmd_device_editor_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  VmdDeviceEditorPrivate *priv = vmd_device_editor_get_instance_private (VMD_DEVICE_EDITOR (object));

  switch (prop_id)
    {
    case PROP_CONFIG:
      g_value_set_object (value, priv->config);
      break;
    case PROP_DEVICE:
      g_value_set_object (value, priv->device);
      break;
    case PROP_DOMAIN:
      g_value_set_object (value, priv->domain);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_device_editor_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  VmdDeviceEditorPrivate *priv = vmd_device_editor_get_instance_private (VMD_DEVICE_EDITOR (object));

  switch (prop_id)
    {
    case PROP_CONFIG:
      priv->config = g_value_dup_object (value);
      break;
    case PROP_DEVICE:
      priv->device = g_value_dup_object (value);
      break;
    case PROP_DOMAIN:
      priv->domain = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
default_store (VmdDeviceEditor *self, GError **error)
{
  return TRUE;
}

static VmdLiveSupport
default_live_support (VmdDeviceEditor *self, VmdDevice *before)
{
  VmdDeviceEditorPrivate *priv = vmd_device_editor_get_instance_private (self);

  /* Equal devices need nothing, which a running VM takes "all" of. */
  return _vmd_devices_equal (before, priv->device) ? VMD_LIVE_ALL : VMD_LIVE_NONE;
}

static void
default_apply_live_async (VmdDeviceEditor     *self,
                          VmdDomain           *domain,
                          VmdDevice           *before,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, default_apply_live_async);
  g_task_return_boolean (task, TRUE);
}

static gboolean
default_apply_live_finish (VmdDeviceEditor *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
_vmd_editor_domain_call_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  VmdDomainFinishFunc finish = (VmdDomainFinishFunc) g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (!finish (VMD_DOMAIN (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
vmd_device_editor_class_init (VmdDeviceEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vmd_device_editor_dispose;
  object_class->get_property = vmd_device_editor_get_property;
  object_class->set_property = vmd_device_editor_set_property;

  klass->store = default_store;
  klass->live_support = default_live_support;
  klass->apply_live_async = default_apply_live_async;
  klass->apply_live_finish = default_apply_live_finish;

  properties[PROP_CONFIG] =
    g_param_spec_object ("config", NULL, NULL, VMD_TYPE_DOMAIN_CONFIG,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEVICE] =
    g_param_spec_object ("device", NULL, NULL, VMD_TYPE_DEVICE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOMAIN] =
    g_param_spec_object ("domain", NULL, NULL, VMD_TYPE_DOMAIN,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vmd_device_editor_init (VmdDeviceEditor *self)
{
  VmdDeviceEditorPrivate *priv = vmd_device_editor_get_instance_private (self);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);
  gtk_container_set_border_width (GTK_CONTAINER (self), 12);

  priv->form = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_row_spacing (priv->form, 6);
  gtk_grid_set_column_spacing (priv->form, 12);
  /* Shown with its first row: editors made of a template leave it empty. */
  gtk_widget_set_no_show_all (GTK_WIDGET (priv->form), TRUE);
  gtk_box_pack_start (GTK_BOX (self), GTK_WIDGET (priv->form), FALSE, FALSE, 0);
}

/* The folder's resource blob, registered by hand: a constructor in a
 * static library's object nothing references would be dropped. */
void
_vmd_devices_ensure_resources (void)
{
  static gsize registered;

  if (g_once_init_enter (&registered))
    {
      vmd_devices_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

/* ------------------------------------------------------------- public */

VmdDeviceEditor *
vmd_device_editor_new (VmdDomainConfig *config, VmdDevice *device, VmdDomain *domain)
{
  const char *kind;
  GType type;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (config), NULL);
  g_return_val_if_fail (VMD_IS_DEVICE (device), NULL);
  g_return_val_if_fail (domain == NULL || VMD_IS_DOMAIN (domain), NULL);

  kind = vmd_device_get_kind (device);
  if (g_str_equal (kind, "disk"))
    type = _vmd_disk_editor_get_type ();
  else if (g_str_equal (kind, "interface"))
    type = _vmd_nic_editor_get_type ();
  else if (g_str_equal (kind, "graphics"))
    type = _vmd_graphics_editor_get_type ();
  else if (g_str_equal (kind, "video"))
    type = _vmd_video_editor_get_type ();
  else if (VMD_IS_DEVICE_CHARDEV (device))
    type = _vmd_chardev_editor_get_type ();
  else if (g_str_equal (kind, "hostdev"))
    type = _vmd_hostdev_editor_get_type ();
  else
    type = _vmd_simple_editor_get_type ();

  return g_object_new (type, "config", config, "device", device, "domain", domain, NULL);
}

VmdDevice *
vmd_device_editor_get_device (VmdDeviceEditor *self)
{
  VmdDeviceEditorPrivate *priv = vmd_device_editor_get_instance_private (self);

  g_return_val_if_fail (VMD_IS_DEVICE_EDITOR (self), NULL);
  return priv->device;
}

VmdDomainConfig *
vmd_device_editor_get_config (VmdDeviceEditor *self)
{
  VmdDeviceEditorPrivate *priv = vmd_device_editor_get_instance_private (self);

  g_return_val_if_fail (VMD_IS_DEVICE_EDITOR (self), NULL);
  return priv->config;
}

VmdDomain *
vmd_device_editor_get_domain (VmdDeviceEditor *self)
{
  VmdDeviceEditorPrivate *priv = vmd_device_editor_get_instance_private (self);

  g_return_val_if_fail (VMD_IS_DEVICE_EDITOR (self), NULL);
  return priv->domain;
}

void
vmd_device_editor_load (VmdDeviceEditor *self)
{
  VmdDeviceEditorPrivate *priv = vmd_device_editor_get_instance_private (self);
  VmdDeviceEditorClass *klass;

  g_return_if_fail (VMD_IS_DEVICE_EDITOR (self));
  klass = VMD_DEVICE_EDITOR_GET_CLASS (self);
  if (klass->load == NULL)
    return;
  priv->loading = TRUE;
  klass->load (self);
  priv->loading = FALSE;
  _vmd_editor_snapshot (self);
}

gboolean
vmd_device_editor_store (VmdDeviceEditor *self, GError **error)
{
  g_return_val_if_fail (VMD_IS_DEVICE_EDITOR (self), FALSE);
  if (!VMD_DEVICE_EDITOR_GET_CLASS (self)->store (self, error))
    return FALSE;
  _vmd_editor_snapshot (self);
  return TRUE;
}

VmdLiveSupport
vmd_device_editor_live_support (VmdDeviceEditor *self, VmdDevice *before)
{
  g_return_val_if_fail (VMD_IS_DEVICE_EDITOR (self), VMD_LIVE_NONE);
  g_return_val_if_fail (VMD_IS_DEVICE (before), VMD_LIVE_NONE);
  return VMD_DEVICE_EDITOR_GET_CLASS (self)->live_support (self, before);
}

void
vmd_device_editor_apply_live_async (VmdDeviceEditor     *self,
                                    VmdDomain           *domain,
                                    VmdDevice           *before,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (VMD_IS_DEVICE_EDITOR (self));
  g_return_if_fail (VMD_IS_DOMAIN (domain));
  VMD_DEVICE_EDITOR_GET_CLASS (self)->apply_live_async (self, domain, before, cancellable,
                                                        callback, user_data);
}

gboolean
vmd_device_editor_apply_live_finish (VmdDeviceEditor *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_return_val_if_fail (VMD_IS_DEVICE_EDITOR (self), FALSE);
  return VMD_DEVICE_EDITOR_GET_CLASS (self)->apply_live_finish (self, result, error);
}

/* ------------------------------------------------------ form helpers */

GtkGrid *
_vmd_editor_get_form (VmdDeviceEditor *self)
{
  VmdDeviceEditorPrivate *priv = vmd_device_editor_get_instance_private (self);

  return priv->form;
}

gboolean
_vmd_editor_is_loading (VmdDeviceEditor *self)
{
  VmdDeviceEditorPrivate *priv = vmd_device_editor_get_instance_private (self);

  return priv->loading;
}

void
_vmd_editor_set_loading (VmdDeviceEditor *self, gboolean loading)
{
  VmdDeviceEditorPrivate *priv = vmd_device_editor_get_instance_private (self);

  priv->loading = loading;
}

void
_vmd_editor_emit_changed (VmdDeviceEditor *self)
{
  VmdDeviceEditorPrivate *priv = vmd_device_editor_get_instance_private (self);

  if (!priv->loading)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
set_accessible_name (GtkWidget *widget, const char *name)
{
  AtkObject *accessible = gtk_widget_get_accessible (widget);

  if (accessible != NULL)
    atk_object_set_name (accessible, name);
}

GtkWidget *
_vmd_editor_add_row (VmdDeviceEditor *self, const char *label, GtkWidget *field)
{
  VmdDeviceEditorPrivate *priv = vmd_device_editor_get_instance_private (self);
  g_autofree char *text = g_strdup_printf (C_("form label", "%s:"), label);
  GtkWidget *caption = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (caption), 1.0);
  gtk_widget_set_valign (caption, GTK_ALIGN_BASELINE);
  gtk_style_context_add_class (gtk_widget_get_style_context (caption), "dim-label");
  gtk_label_set_mnemonic_widget (GTK_LABEL (caption), field);
  gtk_widget_set_hexpand (field, TRUE);
  gtk_widget_set_name (field, label);
  set_accessible_name (field, label);
  gtk_widget_show (GTK_WIDGET (priv->form));
  gtk_grid_attach (priv->form, caption, 0, priv->rows, 1, 1);
  gtk_grid_attach (priv->form, field, 1, priv->rows, 1, 1);
  gtk_widget_show (caption);
  gtk_widget_show (field);
  priv->rows++;
  return field;
}

static void
on_edited (VmdDeviceEditor *self)
{
  _vmd_editor_emit_changed (self);
}

void
_vmd_editor_watch (VmdDeviceEditor *self, GtkWidget *widget)
{
  if (GTK_IS_COMBO_BOX (widget) || GTK_IS_ENTRY (widget))
    g_signal_connect_object (widget, "changed", G_CALLBACK (on_edited), self,
                             G_CONNECT_SWAPPED);
  if (GTK_IS_SPIN_BUTTON (widget))
    g_signal_connect_object (widget, "value-changed", G_CALLBACK (on_edited), self,
                             G_CONNECT_SWAPPED);
  if (GTK_IS_TOGGLE_BUTTON (widget))
    g_signal_connect_object (widget, "toggled", G_CALLBACK (on_edited), self,
                             G_CONNECT_SWAPPED);
  if (GTK_IS_FILE_CHOOSER_BUTTON (widget))
    g_signal_connect_object (widget, "file-set", G_CALLBACK (on_edited), self,
                             G_CONNECT_SWAPPED);
}

GtkComboBoxText *
_vmd_editor_add_combo (VmdDeviceEditor *self, const char *label, const char *const *choices)
{
  GtkComboBoxText *combo = GTK_COMBO_BOX_TEXT (gtk_combo_box_text_new ());

  for (guint i = 0; choices != NULL && choices[i] != NULL && choices[i + 1] != NULL; i += 2)
    gtk_combo_box_text_append (combo, choices[i], _(choices[i + 1]));
  _vmd_editor_add_row (self, label, GTK_WIDGET (combo));
  _vmd_editor_watch (self, GTK_WIDGET (combo));
  return combo;
}

GtkEntry *
_vmd_editor_add_entry (VmdDeviceEditor *self, const char *label)
{
  GtkEntry *entry = GTK_ENTRY (gtk_entry_new ());

  gtk_entry_set_activates_default (entry, TRUE);
  _vmd_editor_add_row (self, label, GTK_WIDGET (entry));
  _vmd_editor_watch (self, GTK_WIDGET (entry));
  return entry;
}

GtkSpinButton *
_vmd_editor_add_spin (VmdDeviceEditor *self, const char *label, double min, double max,
                      double step)
{
  GtkSpinButton *spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (min, max, step));

  gtk_widget_set_hexpand (GTK_WIDGET (spin), FALSE);
  _vmd_editor_add_row (self, label, GTK_WIDGET (spin));
  gtk_widget_set_hexpand (GTK_WIDGET (spin), FALSE);
  gtk_widget_set_halign (GTK_WIDGET (spin), GTK_ALIGN_START);
  _vmd_editor_watch (self, GTK_WIDGET (spin));
  return spin;
}

GtkToggleButton *
_vmd_editor_add_check (VmdDeviceEditor *self, const char *label)
{
  VmdDeviceEditorPrivate *priv = vmd_device_editor_get_instance_private (self);
  GtkWidget *check = gtk_check_button_new_with_mnemonic (label);

  gtk_widget_set_name (check, label);
  gtk_widget_show (GTK_WIDGET (priv->form));
  gtk_grid_attach (priv->form, check, 1, priv->rows++, 1, 1);
  gtk_widget_show (check);
  _vmd_editor_watch (self, check);
  return GTK_TOGGLE_BUTTON (check);
}

GtkLabel *
_vmd_editor_add_value (VmdDeviceEditor *self, const char *label)
{
  GtkLabel *value = GTK_LABEL (gtk_label_new (NULL));

  gtk_label_set_xalign (value, 0.0);
  gtk_label_set_selectable (value, TRUE);
  gtk_label_set_ellipsize (value, PANGO_ELLIPSIZE_MIDDLE);
  _vmd_editor_add_row (self, label, GTK_WIDGET (value));
  return value;
}

GtkLabel *
_vmd_editor_add_message (VmdDeviceEditor *self, const char *name)
{
  VmdDeviceEditorPrivate *priv = vmd_device_editor_get_instance_private (self);
  GtkLabel *message = GTK_LABEL (gtk_label_new (NULL));

  gtk_label_set_xalign (message, 0.0);
  gtk_label_set_line_wrap (message, TRUE);
  gtk_label_set_max_width_chars (message, 50);
  gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (message)), "error");
  gtk_widget_set_name (GTK_WIDGET (message), name);
  set_accessible_name (GTK_WIDGET (message), name);
  gtk_widget_set_no_show_all (GTK_WIDGET (message), TRUE);
  gtk_grid_attach (priv->form, GTK_WIDGET (message), 1, priv->rows++, 1, 1);
  return message;
}

void
_vmd_editor_add_wide (VmdDeviceEditor *self, GtkWidget *widget)
{
  VmdDeviceEditorPrivate *priv = vmd_device_editor_get_instance_private (self);

  gtk_widget_show (GTK_WIDGET (priv->form));
  gtk_grid_attach (priv->form, widget, 0, priv->rows++, 2, 1);
}

void
_vmd_editor_add_heading (VmdDeviceEditor *self, const char *text)
{
  VmdDeviceEditorPrivate *priv = vmd_device_editor_get_instance_private (self);
  g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>", text);
  GtkWidget *heading = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (heading), markup);
  gtk_label_set_xalign (GTK_LABEL (heading), 0.0);
  gtk_widget_set_margin_top (heading, priv->rows > 0 ? 12 : 0);
  gtk_grid_attach (priv->form, heading, 0, priv->rows++, 2, 1);
  gtk_widget_show (heading);
}

void
_vmd_message_set (GtkLabel *message, const char *text)
{
  gtk_label_set_text (message, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (message), text != NULL && text[0] != '\0');
}

/* Shows @text next to the field and fails with it. */
gboolean
_vmd_editor_fail (GtkLabel *message, GError **error, const char *text)
{
  if (message != NULL)
    _vmd_message_set (message, text);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, text);
  return FALSE;
}

void
_vmd_combo_set (GtkComboBoxText *combo, const char *id)
{
  const char *wanted = id ? id : "";

  if (!gtk_combo_box_set_active_id (GTK_COMBO_BOX (combo), wanted))
    {
      if (id == NULL)
        {
          gtk_combo_box_set_active (GTK_COMBO_BOX (combo), 0);
          return;
        }
      gtk_combo_box_text_append (combo, id, id);
      gtk_combo_box_set_active_id (GTK_COMBO_BOX (combo), id);
    }
}

char *
_vmd_combo_get (GtkComboBoxText *combo)
{
  const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (combo));

  return id != NULL && id[0] != '\0' ? g_strdup (id) : NULL;
}

char *
_vmd_entry_get (GtkEntry *entry)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_entry_get_text (entry)));

  return text[0] != '\0' ? g_steal_pointer (&text) : NULL;
}

void
_vmd_entry_set (GtkEntry *entry, const char *text)
{
  gtk_entry_set_text (entry, text ? text : "");
}

static VmdDevice *
copy_device (VmdDevice *device)
{
  g_autofree char *xml = vmd_device_to_xml (device);

  return vmd_device_new_from_xml (xml, -1, NULL);
}

gboolean
_vmd_devices_equal_except (VmdDevice *a, VmdDevice *b, void (*strip) (VmdDevice *copy))
{
  g_autoptr (VmdDevice) ca = copy_device (a);
  g_autoptr (VmdDevice) cb = copy_device (b);
  g_autofree char *xa = NULL;
  g_autofree char *xb = NULL;

  if (ca == NULL || cb == NULL)
    return FALSE;
  if (strip != NULL)
    {
      strip (ca);
      strip (cb);
    }
  xa = vmd_device_to_xml (ca);
  xb = vmd_device_to_xml (cb);
  return g_strcmp0 (xa, xb) == 0;
}

gboolean
_vmd_devices_equal (VmdDevice *a, VmdDevice *b)
{
  return _vmd_devices_equal_except (a, b, NULL);
}

/* ------------------------------------------------- what changed */

static char *
field_value (GtkWidget *widget)
{
  if (GTK_IS_COMBO_BOX (widget))
    return g_strdup (gtk_combo_box_get_active_id (GTK_COMBO_BOX (widget)));
  if (GTK_IS_SPIN_BUTTON (widget))
    return g_strdup_printf ("%g", gtk_spin_button_get_value (GTK_SPIN_BUTTON (widget)));
  if (GTK_IS_ENTRY (widget))
    return g_strdup (gtk_entry_get_text (GTK_ENTRY (widget)));
  if (GTK_IS_TOGGLE_BUTTON (widget))
    return g_strdup (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (widget)) ? "1" : "0");
  return NULL;
}

static gboolean
is_field (GtkWidget *widget)
{
  return GTK_IS_COMBO_BOX (widget) || GTK_IS_ENTRY (widget) || GTK_IS_TOGGLE_BUTTON (widget);
}

typedef struct {
  gboolean snapshot;   /* else: look for a change */
  gboolean changed;
} Walk;

static void
walk_fields (GtkWidget *widget, gpointer data)
{
  Walk *walk = data;

  if (is_field (widget))
    {
      if (walk->snapshot)
        g_object_set_data_full (G_OBJECT (widget), "vmd-loaded", field_value (widget), g_free);
      else if (_vmd_field_changed (widget))
        walk->changed = TRUE;
    }
  /* A combo box's entry, a spin button's buttons: not fields of their own. */
  if (GTK_IS_CONTAINER (widget) && !GTK_IS_COMBO_BOX (widget))
    gtk_container_forall (GTK_CONTAINER (widget), walk_fields, walk);
}

void
_vmd_editor_snapshot (VmdDeviceEditor *self)
{
  Walk walk = { TRUE, FALSE };

  walk_fields (GTK_WIDGET (self), &walk);
}

gboolean
_vmd_field_changed (gpointer widget)
{
  g_autofree char *now = field_value (GTK_WIDGET (widget));

  return g_strcmp0 (now, g_object_get_data (G_OBJECT (widget), "vmd-loaded")) != 0;
}

gboolean
_vmd_editor_any_changed (VmdDeviceEditor *self)
{
  Walk walk = { FALSE, FALSE };

  walk_fields (GTK_WIDGET (self), &walk);
  return walk.changed;
}

gboolean
_vmd_editor_is_new (VmdDeviceEditor *self)
{
  return vmd_device_get_config (vmd_device_editor_get_device (self)) == NULL;
}
