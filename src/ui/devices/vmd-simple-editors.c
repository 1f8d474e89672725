/* vmd-simple-editors.c: the devices with a few fields each: sound, input,
 * watchdog, RNG, TPM, filesystem, controller, memory balloon, USB
 * redirection; anything else gets a note that it has nothing to edit
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-devices"

#include <glib/gi18n.h>

#include "vmd-device-editor-private.h"

typedef struct
{
  VmdDeviceEditor  parent_instance;

  GtkComboBoxText *combo1;
  GtkComboBoxText *combo2;
  GtkEntry        *entry1;
  GtkEntry        *entry2;
  GtkSpinButton   *spin1;
  GtkToggleButton *check1;
  GtkLabel        *message;
} VmdSimpleEditor;

typedef VmdDeviceEditorClass VmdSimpleEditorClass;

G_DEFINE_TYPE (VmdSimpleEditor, _vmd_simple_editor, VMD_TYPE_DEVICE_EDITOR)

#define DEVICE(self) vmd_device_editor_get_device (VMD_DEVICE_EDITOR (self))

static const char *const sound_models[] = {
  "ich9", N_("Intel HD Audio (ICH9)"),
  "ich6", N_("Intel HD Audio (ICH6)"),
  "ac97", N_("AC'97"),
  "es1370", N_("Ensoniq ES1370"),
  NULL,
};

static const char *const input_types[] = {
  "tablet", N_("Tablet (absolute pointer)"),
  "mouse", N_("Mouse"),
  "keyboard", N_("Keyboard"),
  NULL,
};

static const char *const input_buses[] = {
  "usb", N_("USB"),
  "virtio", N_("VirtIO"),
  "ps2", N_("PS/2"),
  NULL,
};

static const char *const watchdog_models[] = {
  "i6300esb", N_("Intel 6300ESB"),
  "itco", N_("Intel TCO (q35)"),
  "ib700", N_("iBase IB700"),
  NULL,
};

static const char *const watchdog_actions[] = {
  "reset", N_("Reset the virtual machine"),
  "poweroff", N_("Force it off"),
  "shutdown", N_("Shut it down"),
  "pause", N_("Pause it"),
  "dump", N_("Dump its memory"),
  "inject-nmi", N_("Send the guest an NMI"),
  "none", N_("Nothing"),
  NULL,
};

static const char *const tpm_models[] = {
  "tpm-crb", N_("CRB"),
  "tpm-tis", N_("TIS"),
  NULL,
};

static const char *const tpm_versions[] = {
  "2.0", N_("2.0"),
  "1.2", N_("1.2"),
  NULL,
};

static const char *const balloon_models[] = {
  "virtio", N_("VirtIO"),
  "none", N_("None"),
  NULL,
};

static const char *const usb_models[] = {
  "qemu-xhci", N_("USB 3 (qemu-xhci)"),
  "nec-xhci", N_("USB 3 (NEC xHCI)"),
  "ich9-ehci1", N_("USB 2 (ICH9 EHCI)"),
  "piix3-uhci", N_("USB 1 (PIIX3 UHCI)"),
  NULL,
};

static const char *const scsi_models[] = {
  "virtio-scsi", N_("VirtIO SCSI"),
  "lsilogic", N_("LSI Logic"),
  NULL,
};

static const char *
kind_of (VmdSimpleEditor *self)
{
  return vmd_device_get_kind (DEVICE (self));
}

static char *
controller_type (VmdSimpleEditor *self)
{
  return vmd_device_controller_get_controller_type (VMD_DEVICE_CONTROLLER (DEVICE (self)));
}

/* ---------------------------------------------------------------- load */

static void
vmd_simple_editor_load (VmdDeviceEditor *editor)
{
  VmdSimpleEditor *self = (VmdSimpleEditor *) editor;
  VmdDevice *device = DEVICE (self);
  const char *kind = kind_of (self);

  if (g_str_equal (kind, "sound"))
    {
      g_autofree char *model = vmd_device_sound_get_model (VMD_DEVICE_SOUND (device));
      _vmd_combo_set (self->combo1, model ? model : "ich9");
    }
  else if (g_str_equal (kind, "input"))
    {
      g_autofree char *type = vmd_device_input_get_input_type (VMD_DEVICE_INPUT (device));
      g_autofree char *bus = vmd_device_input_get_bus (VMD_DEVICE_INPUT (device));
      _vmd_combo_set (self->combo1, type ? type : "tablet");
      _vmd_combo_set (self->combo2, bus ? bus : "usb");
    }
  else if (g_str_equal (kind, "watchdog"))
    {
      g_autofree char *model = vmd_device_watchdog_get_model (VMD_DEVICE_WATCHDOG (device));
      g_autofree char *action = vmd_device_watchdog_get_action (VMD_DEVICE_WATCHDOG (device));
      _vmd_combo_set (self->combo1, model ? model : "i6300esb");
      _vmd_combo_set (self->combo2, action ? action : "reset");
    }
  else if (g_str_equal (kind, "rng"))
    {
      g_autofree char *path = vmd_device_rng_get_source_path (VMD_DEVICE_RNG (device));
      _vmd_entry_set (self->entry1, path ? path : "/dev/urandom");
    }
  else if (g_str_equal (kind, "tpm"))
    {
      g_autofree char *model = vmd_device_tpm_get_model (VMD_DEVICE_TPM (device));
      g_autofree char *version = vmd_device_tpm_get_backend_version (VMD_DEVICE_TPM (device));
      _vmd_combo_set (self->combo1, model ? model : "tpm-crb");
      _vmd_combo_set (self->combo2, version ? version : "2.0");
    }
  else if (g_str_equal (kind, "filesystem"))
    {
      VmdDeviceFilesystem *fs = VMD_DEVICE_FILESYSTEM (device);
      g_autofree char *source = vmd_device_filesystem_get_source_dir (fs);
      g_autofree char *target = vmd_device_filesystem_get_target_dir (fs);
      _vmd_entry_set (self->entry1, source);
      _vmd_entry_set (self->entry2, target);
      gtk_toggle_button_set_active (self->check1, vmd_device_filesystem_get_readonly (fs));
    }
  else if (g_str_equal (kind, "controller"))
    {
      g_autofree char *model = vmd_device_controller_get_model (VMD_DEVICE_CONTROLLER (device));
      guint ports = vmd_device_controller_get_ports (VMD_DEVICE_CONTROLLER (device));
      if (self->combo1 != NULL)
        _vmd_combo_set (self->combo1, model);
      if (self->spin1 != NULL)
        gtk_spin_button_set_value (self->spin1, ports);
    }
  else if (g_str_equal (kind, "memballoon"))
    {
      VmdDeviceMemballoon *balloon = VMD_DEVICE_MEMBALLOON (device);
      g_autofree char *model = vmd_device_memballoon_get_model (balloon);
      _vmd_combo_set (self->combo1, model ? model : "virtio");
      gtk_toggle_button_set_active (self->check1, vmd_device_memballoon_get_autodeflate (balloon));
      gtk_spin_button_set_value (self->spin1, vmd_device_memballoon_get_stats_period (balloon));
    }
}

/* --------------------------------------------------------------- store */

/* A field to write: changed, or any field of a new device. */
#define CH(widget) ((widget) != NULL && (all || _vmd_field_changed (widget)))

static gboolean
vmd_simple_editor_store (VmdDeviceEditor *editor, GError **error)
{
  VmdSimpleEditor *self = (VmdSimpleEditor *) editor;
  VmdDevice *device = DEVICE (self);
  const char *kind = kind_of (self);
  gboolean all = _vmd_editor_is_new (editor);

  if (!all && !_vmd_editor_any_changed (editor))
    return TRUE;

  if (g_str_equal (kind, "sound"))
    {
      g_autofree char *model = _vmd_combo_get (self->combo1);
      if (CH (self->combo1))
        vmd_device_sound_set_model (VMD_DEVICE_SOUND (device), model);
    }
  else if (g_str_equal (kind, "input"))
    {
      g_autofree char *type = _vmd_combo_get (self->combo1);
      g_autofree char *bus = _vmd_combo_get (self->combo2);
      if (g_strcmp0 (type, "tablet") == 0 && g_strcmp0 (bus, "ps2") == 0)
        return _vmd_editor_fail (self->message, error, _("A tablet cannot use the PS/2 bus; choose USB or VirtIO."));
      if (CH (self->combo1))
        vmd_device_input_set_input_type (VMD_DEVICE_INPUT (device), type);
      if (CH (self->combo2))
        vmd_device_input_set_bus (VMD_DEVICE_INPUT (device), bus);
    }
  else if (g_str_equal (kind, "watchdog"))
    {
      g_autofree char *model = _vmd_combo_get (self->combo1);
      g_autofree char *action = _vmd_combo_get (self->combo2);
      if (CH (self->combo1))
        vmd_device_watchdog_set_model (VMD_DEVICE_WATCHDOG (device), model);
      if (CH (self->combo2))
        vmd_device_watchdog_set_action (VMD_DEVICE_WATCHDOG (device), action);
    }
  else if (g_str_equal (kind, "rng"))
    {
      g_autofree char *path = _vmd_entry_get (self->entry1);
      if (path == NULL || !g_path_is_absolute (path))
        return _vmd_editor_fail (self->message, error, _("Give the host's source of random numbers, such as /dev/urandom."));
      vmd_device_rng_set_source_path (VMD_DEVICE_RNG (device), path);
    }
  else if (g_str_equal (kind, "tpm"))
    {
      g_autofree char *model = _vmd_combo_get (self->combo1);
      g_autofree char *version = _vmd_combo_get (self->combo2);
      if (CH (self->combo1))
        vmd_device_tpm_set_model (VMD_DEVICE_TPM (device), model);
      if (CH (self->combo2))
        vmd_device_tpm_set_backend_version (VMD_DEVICE_TPM (device), version);
    }
  else if (g_str_equal (kind, "filesystem"))
    {
      VmdDeviceFilesystem *fs = VMD_DEVICE_FILESYSTEM (device);
      g_autofree char *source = _vmd_entry_get (self->entry1);
      g_autofree char *target = _vmd_entry_get (self->entry2);
      if (source == NULL || !g_path_is_absolute (source))
        return _vmd_editor_fail (self->message, error, _("Give the full path of the host folder to share."));
      if (target == NULL)
        return _vmd_editor_fail (self->message, error, _("Give the tag the guest mounts the folder by."));
      if (CH (self->entry1))
        vmd_device_filesystem_set_source_dir (fs, source);
      if (CH (self->entry2))
        vmd_device_filesystem_set_target_dir (fs, target);
      if (CH (self->check1))
        vmd_device_filesystem_set_readonly (fs, gtk_toggle_button_get_active (self->check1));
    }
  else if (g_str_equal (kind, "controller"))
    {
      VmdDeviceController *ctl = VMD_DEVICE_CONTROLLER (device);
      if (CH (self->combo1))
        {
          g_autofree char *model = _vmd_combo_get (self->combo1);
          vmd_device_controller_set_model (ctl, model);
        }
      if (CH (self->spin1) && gtk_spin_button_get_value_as_int (self->spin1) > 0)
        vmd_device_controller_set_ports (ctl, gtk_spin_button_get_value_as_int (self->spin1));
    }
  else if (g_str_equal (kind, "memballoon"))
    {
      VmdDeviceMemballoon *balloon = VMD_DEVICE_MEMBALLOON (device);
      g_autofree char *model = _vmd_combo_get (self->combo1);
      if (CH (self->combo1))
        vmd_device_memballoon_set_model (balloon, model);
      if (CH (self->check1))
        vmd_device_memballoon_set_autodeflate (balloon, gtk_toggle_button_get_active (self->check1));
      if (CH (self->spin1))
        vmd_device_memballoon_set_stats_period (balloon, gtk_spin_button_get_value_as_int (self->spin1));
    }
  if (self->message != NULL)
    _vmd_message_set (self->message, NULL);
  return TRUE;
}

/* -------------------------------------------------------------- set up */

static void
vmd_simple_editor_constructed (GObject *object)
{
  VmdSimpleEditor *self = (VmdSimpleEditor *) object;
  VmdDeviceEditor *editor = VMD_DEVICE_EDITOR (object);
  const char *kind;

  G_OBJECT_CLASS (_vmd_simple_editor_parent_class)->constructed (object);
  kind = kind_of (self);

  if (g_str_equal (kind, "sound"))
    self->combo1 = _vmd_editor_add_combo (editor, _("Model"), sound_models);
  else if (g_str_equal (kind, "input"))
    {
      self->combo1 = _vmd_editor_add_combo (editor, _("Type"), input_types);
      self->combo2 = _vmd_editor_add_combo (editor, _("Bus"), input_buses);
    }
  else if (g_str_equal (kind, "watchdog"))
    {
      self->combo1 = _vmd_editor_add_combo (editor, _("Model"), watchdog_models);
      self->combo2 = _vmd_editor_add_combo (editor, _("When the guest stops answering"),
                                            watchdog_actions);
    }
  else if (g_str_equal (kind, "rng"))
    self->entry1 = _vmd_editor_add_entry (editor, _("Host source"));
  else if (g_str_equal (kind, "tpm"))
    {
      GtkLabel *backend = _vmd_editor_add_value (editor, _("Backend"));

      gtk_label_set_text (backend, _("Emulated (swtpm)"));
      self->combo1 = _vmd_editor_add_combo (editor, _("Model"), tpm_models);
      self->combo2 = _vmd_editor_add_combo (editor, _("Version"), tpm_versions);
    }
  else if (g_str_equal (kind, "filesystem"))
    {
      GtkLabel *driver = _vmd_editor_add_value (editor, _("Driver"));

      gtk_label_set_text (driver, _("virtiofs"));
      self->entry1 = _vmd_editor_add_entry (editor, _("Host folder"));
      self->entry2 = _vmd_editor_add_entry (editor, _("Mount tag"));
      self->check1 = _vmd_editor_add_check (editor, _("_Read-only"));
    }
  else if (g_str_equal (kind, "controller"))
    {
      g_autofree char *type = controller_type (self);
      GtkLabel *value = _vmd_editor_add_value (editor, _("Type"));

      gtk_label_set_text (value, type ? type : "");
      if (g_strcmp0 (type, "usb") == 0)
        {
          self->combo1 = _vmd_editor_add_combo (editor, _("Model"), usb_models);
          self->spin1 = _vmd_editor_add_spin (editor, _("Ports (0: the model's default)"), 0, 15, 1);
        }
      else if (g_strcmp0 (type, "scsi") == 0)
        self->combo1 = _vmd_editor_add_combo (editor, _("Model"), scsi_models);
      else if (g_strcmp0 (type, "virtio-serial") == 0)
        self->spin1 = _vmd_editor_add_spin (editor, _("Ports (0: the model's default)"), 0, 31, 1);
    }
  else if (g_str_equal (kind, "memballoon"))
    {
      self->combo1 = _vmd_editor_add_combo (editor, _("Model"), balloon_models);
      self->check1 = _vmd_editor_add_check (editor, _("_Give memory back when the guest runs short"));
      self->spin1 = _vmd_editor_add_spin (editor, _("Statistics every (seconds, 0: never)"), 0, 3600, 1);
    }
  else if (g_str_equal (kind, "redirdev"))
    {
      GtkLabel *value = _vmd_editor_add_value (editor, _("Type"));

      gtk_label_set_text (value, _("USB redirection over SPICE"));
    }
  else
    {
      GtkLabel *value = _vmd_editor_add_value (editor, _("Settings"));

      gtk_label_set_text (value, _("vmdesk has nothing to edit on this device; use the XML."));
    }
  self->message = _vmd_editor_add_message (editor, "Device error");
  vmd_device_editor_load (editor);
}

static void
_vmd_simple_editor_class_init (VmdSimpleEditorClass *klass)
{
  G_OBJECT_CLASS (klass)->constructed = vmd_simple_editor_constructed;
  klass->load = vmd_simple_editor_load;
  klass->store = vmd_simple_editor_store;
}

static void
_vmd_simple_editor_init (VmdSimpleEditor *self)
{
}
