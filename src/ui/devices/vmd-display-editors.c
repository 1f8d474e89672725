/* vmd-display-editors.c: the graphical console (VNC, SPICE) and the video card
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * vmdesk reaches consoles without a port (fd passing); listening on an
 * address is only there when the user asks for it, and then a password
 * is offered.
 */
#define G_LOG_DOMAIN "vmdesk-devices"

#include <glib/gi18n.h>

#include "vmd-device-editor-private.h"

/* ============================================================ graphics */

typedef struct
{
  VmdDeviceEditor  parent_instance;

  GtkComboBoxText *type_combo;
  GtkComboBoxText *listen_combo;
  GtkEntry        *address_entry;
  GtkSpinButton   *port_spin;
  GtkEntry        *password_entry;
  GtkLabel        *listen_message;
} VmdGraphicsEditor;

typedef VmdDeviceEditorClass VmdGraphicsEditorClass;

G_DEFINE_TYPE (VmdGraphicsEditor, _vmd_graphics_editor, VMD_TYPE_DEVICE_EDITOR)

#define GRAPHICS(self) VMD_DEVICE_GRAPHICS (vmd_device_editor_get_device (VMD_DEVICE_EDITOR (self)))

static const char *const graphics_choices[] = {
  "vnc", N_("VNC"),
  "spice", N_("SPICE"),
  NULL,
};

static const char *const listen_choices[] = {
  "none", N_("Only vmdesk (no socket, no port)"),
  "socket", N_("A local socket"),
  "address", N_("A network address"),
  NULL,
};

static void
listen_changed (VmdGraphicsEditor *self)
{
  g_autofree char *listen = _vmd_combo_get (self->listen_combo);
  gboolean address = g_strcmp0 (listen, "address") == 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->address_entry), address);
  gtk_widget_set_sensitive (GTK_WIDGET (self->port_spin), address);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_entry), address);
  if (address)
    _vmd_message_set (self->listen_message,
                      _("Anyone who can reach this address can connect to the console: set a password, and prefer 127.0.0.1."));
  else
    _vmd_message_set (self->listen_message, NULL);
}

static void
vmd_graphics_editor_load (VmdDeviceEditor *editor)
{
  VmdGraphicsEditor *self = (VmdGraphicsEditor *) editor;
  VmdDeviceGraphics *graphics = GRAPHICS (self);
  g_autofree char *type = vmd_device_graphics_get_graphics_type (graphics);
  g_autofree char *listen = vmd_device_graphics_get_listen_type (graphics);
  g_autofree char *address = vmd_device_graphics_get_listen_address (graphics);
  g_autofree char *password = vmd_device_graphics_get_password (graphics);
  gint port = vmd_device_graphics_get_port (graphics);

  _vmd_combo_set (self->type_combo, type ? type : "vnc");
  if (g_strcmp0 (listen, "address") == 0 || (listen == NULL && address != NULL))
    _vmd_combo_set (self->listen_combo, "address");
  else if (g_strcmp0 (listen, "socket") == 0)
    _vmd_combo_set (self->listen_combo, "socket");
  else
    _vmd_combo_set (self->listen_combo, "none");
  _vmd_entry_set (self->address_entry, address ? address : "127.0.0.1");
  gtk_spin_button_set_value (self->port_spin, port > 0 ? port : 0);
  _vmd_entry_set (self->password_entry, password);
  listen_changed (self);
}

static gboolean
vmd_graphics_editor_store (VmdDeviceEditor *editor, GError **error)
{
  VmdGraphicsEditor *self = (VmdGraphicsEditor *) editor;
  VmdDeviceGraphics *graphics = GRAPHICS (self);
  g_autofree char *type = _vmd_combo_get (self->type_combo);
  g_autofree char *listen = _vmd_combo_get (self->listen_combo);
  g_autofree char *address = _vmd_entry_get (self->address_entry);
  g_autofree char *password = _vmd_entry_get (self->password_entry);
  gint port = gtk_spin_button_get_value_as_int (self->port_spin);

  if (!_vmd_editor_is_new (editor) && !_vmd_editor_any_changed (editor))
    return TRUE;

  if (g_strcmp0 (listen, "address") == 0)
    {
      g_autoptr (GInetAddress) inet = address ? g_inet_address_new_from_string (address) : NULL;

      if (inet == NULL)
        return _vmd_editor_fail (self->listen_message, error,
                                 _("Give the address to listen on as numbers, such as 127.0.0.1 or ::1."));
    }
  if (_vmd_field_changed (self->type_combo))
    vmd_device_graphics_set_graphics_type (graphics, type);
  if (!_vmd_editor_is_new (editor) && !_vmd_field_changed (self->listen_combo) &&
      !_vmd_field_changed (self->address_entry) && !_vmd_field_changed (self->port_spin) &&
      !_vmd_field_changed (self->password_entry))
    return TRUE;
  if (g_strcmp0 (listen, "address") == 0)
    {
      vmd_device_graphics_set_listen_type (graphics, "address");
      vmd_device_graphics_set_listen_address (graphics, address);
      vmd_device_graphics_set_autoport (graphics, port == 0);
      vmd_device_graphics_set_port (graphics, port == 0 ? -1 : port);
      vmd_device_graphics_set_password (graphics, password);
    }
  else
    {
      vmd_device_graphics_set_listen_type (graphics, g_strcmp0 (listen, "socket") == 0 ? "socket"
                                                                                      : "none");
      vmd_device_graphics_set_listen_address (graphics, NULL);
      vmd_device_graphics_set_password (graphics, NULL);
    }
  return TRUE;
}

static void
vmd_graphics_editor_constructed (GObject *object)
{
  VmdGraphicsEditor *self = (VmdGraphicsEditor *) object;
  VmdDeviceEditor *editor = VMD_DEVICE_EDITOR (object);

  G_OBJECT_CLASS (_vmd_graphics_editor_parent_class)->constructed (object);

  self->type_combo = _vmd_editor_add_combo (editor, _("Type"), graphics_choices);
  self->listen_combo = _vmd_editor_add_combo (editor, _("Reachable from"), listen_choices);
  g_signal_connect_object (self->listen_combo, "changed", G_CALLBACK (listen_changed), self,
                           G_CONNECT_SWAPPED);
  self->address_entry = _vmd_editor_add_entry (editor, _("Address"));
  self->port_spin = _vmd_editor_add_spin (editor, _("Port (0 picks a free one)"), 0, 65535, 1);
  self->password_entry = _vmd_editor_add_entry (editor, _("Password"));
  gtk_entry_set_visibility (self->password_entry, FALSE);
  gtk_entry_set_input_purpose (self->password_entry, GTK_INPUT_PURPOSE_PASSWORD);
  self->listen_message = _vmd_editor_add_message (editor, "Listen warning");
  vmd_device_editor_load (editor);
}

static void
_vmd_graphics_editor_class_init (VmdGraphicsEditorClass *klass)
{
  G_OBJECT_CLASS (klass)->constructed = vmd_graphics_editor_constructed;
  klass->load = vmd_graphics_editor_load;
  klass->store = vmd_graphics_editor_store;
}

static void
_vmd_graphics_editor_init (VmdGraphicsEditor *self)
{
}

/* =============================================================== video */

typedef struct
{
  VmdDeviceEditor  parent_instance;

  GtkComboBoxText *model_combo;
  GtkSpinButton   *vram_spin;
  GtkSpinButton   *heads_spin;
  GtkToggleButton *accel3d_check;
} VmdVideoEditor;

typedef VmdDeviceEditorClass VmdVideoEditorClass;

G_DEFINE_TYPE (VmdVideoEditor, _vmd_video_editor, VMD_TYPE_DEVICE_EDITOR)

#define VIDEO(self) VMD_DEVICE_VIDEO (vmd_device_editor_get_device (VMD_DEVICE_EDITOR (self)))

static const char *const video_choices[] = {
  "virtio", N_("VirtIO"),
  "qxl", N_("QXL"),
  "vga", N_("VGA"),
  "bochs", N_("Bochs"),
  "ramfb", N_("RAM framebuffer"),
  "cirrus", N_("Cirrus"),
  "none", N_("None"),
  NULL,
};

static void
model_changed (VmdVideoEditor *self)
{
  g_autofree char *model = _vmd_combo_get (self->model_combo);
  gboolean has_vram = g_strcmp0 (model, "qxl") == 0 || g_strcmp0 (model, "vga") == 0 ||
                      g_strcmp0 (model, "bochs") == 0 || g_strcmp0 (model, "cirrus") == 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->vram_spin), has_vram);
  /* Only virtio-gpu has 3D (virgl). */
  gtk_widget_set_sensitive (GTK_WIDGET (self->accel3d_check), g_strcmp0 (model, "virtio") == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->heads_spin), g_strcmp0 (model, "virtio") == 0 ||
                            g_strcmp0 (model, "qxl") == 0);
}

static void
vmd_video_editor_load (VmdDeviceEditor *editor)
{
  VmdVideoEditor *self = (VmdVideoEditor *) editor;
  VmdDeviceVideo *video = VIDEO (self);
  g_autofree char *model = vmd_device_video_get_model (video);
  guint vram = vmd_device_video_get_vram (video);
  guint heads = vmd_device_video_get_heads (video);

  _vmd_combo_set (self->model_combo, model ? model : "virtio");
  gtk_spin_button_set_value (self->vram_spin, vram ? vram / 1024.0 : 16);
  gtk_spin_button_set_value (self->heads_spin, heads ? heads : 1);
  gtk_toggle_button_set_active (self->accel3d_check, vmd_device_video_get_accel3d (video));
  model_changed (self);
}

static gboolean
vmd_video_editor_store (VmdDeviceEditor *editor, GError **error)
{
  VmdVideoEditor *self = (VmdVideoEditor *) editor;
  VmdDeviceVideo *video = VIDEO (self);
  g_autofree char *model = _vmd_combo_get (self->model_combo);
  guint old_vram = vmd_device_video_get_vram (video);
  guint vram = gtk_spin_button_get_value_as_int (self->vram_spin) * 1024;

  if (!_vmd_editor_is_new (editor) && !_vmd_editor_any_changed (editor))
    return TRUE;

  if (_vmd_field_changed (self->model_combo))
    vmd_device_video_set_model (video, model);
  if (_vmd_field_changed (self->vram_spin) ||
      (_vmd_field_changed (self->model_combo) && old_vram != 0))
    vmd_device_video_set_vram (video, gtk_widget_get_sensitive (GTK_WIDGET (self->vram_spin))
                                        ? vram : 0);
  if (_vmd_field_changed (self->heads_spin))
    vmd_device_video_set_heads (video, gtk_spin_button_get_value_as_int (self->heads_spin));
  if (_vmd_field_changed (self->accel3d_check) || _vmd_field_changed (self->model_combo))
    vmd_device_video_set_accel3d (video, g_strcmp0 (model, "virtio") == 0 &&
                                  gtk_toggle_button_get_active (self->accel3d_check));
  return TRUE;
}

static void
vmd_video_editor_constructed (GObject *object)
{
  VmdVideoEditor *self = (VmdVideoEditor *) object;
  VmdDeviceEditor *editor = VMD_DEVICE_EDITOR (object);

  G_OBJECT_CLASS (_vmd_video_editor_parent_class)->constructed (object);

  self->model_combo = _vmd_editor_add_combo (editor, _("Model"), video_choices);
  g_signal_connect_object (self->model_combo, "changed", G_CALLBACK (model_changed), self,
                           G_CONNECT_SWAPPED);
  self->vram_spin = _vmd_editor_add_spin (editor, _("Video memory (MiB)"), 1, 1024, 1);
  self->heads_spin = _vmd_editor_add_spin (editor, _("Monitors"), 1, 16, 1);
  self->accel3d_check = _vmd_editor_add_check (editor, _("_3D acceleration"));
  vmd_device_editor_load (editor);
}

static void
_vmd_video_editor_class_init (VmdVideoEditorClass *klass)
{
  G_OBJECT_CLASS (klass)->constructed = vmd_video_editor_constructed;
  klass->load = vmd_video_editor_load;
  klass->store = vmd_video_editor_store;
}

static void
_vmd_video_editor_init (VmdVideoEditor *self)
{
}
