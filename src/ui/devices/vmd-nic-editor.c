/* vmd-nic-editor.c: network cards
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The link goes up and down live on a running VM (set_link); the rest
 * waits for the next start. A MAC address another NIC of this VM, or of
 * another VM of the connection, already has is refused inline.
 */
#define G_LOG_DOMAIN "vmdesk-devices"

#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmd-connection.h"
#include "vmd-device-editor-private.h"

typedef struct
{
  VmdDeviceEditor  parent_instance;

  GtkComboBoxText *type_combo;
  GtkWidget       *source_label;
  GtkEntry        *source_entry;
  GtkWidget       *forwards_label;
  GtkEntry        *forwards_entry;
  GtkLabel        *forwards_message;
  GtkComboBoxText *model_combo;
  GtkEntry        *mac_entry;
  GtkWidget       *regenerate_button;
  GtkLabel        *mac_message;
  GtkToggleButton *link_check;
  GtkWidget       *ip_label;
  GtkLabel        *ip_value;
  GCancellable    *cancel;
} VmdNicEditor;

typedef VmdDeviceEditorClass VmdNicEditorClass;

G_DEFINE_TYPE (VmdNicEditor, _vmd_nic_editor, VMD_TYPE_DEVICE_EDITOR)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdNicEditor, g_object_unref)

#define NIC(self) VMD_DEVICE_INTERFACE (vmd_device_editor_get_device (VMD_DEVICE_EDITOR (self)))

/* Whether @mac is used by a NIC of @config other than @self_device. */
static gboolean
config_uses_mac (VmdDomainConfig *config, VmdDevice *self_device, const char *mac)
{
  g_autoptr (GPtrArray) nics = NULL;

  if (config == NULL)
    return FALSE;
  nics = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_INTERFACE);
  for (guint i = 0; i < nics->len; i++)
    {
      VmdDevice *nic = g_ptr_array_index (nics, i);
      g_autofree char *other = NULL;

      if (nic == self_device)
        continue;
      other = vmd_device_interface_get_mac (VMD_DEVICE_INTERFACE (nic));
      if (other != NULL && g_ascii_strcasecmp (other, mac) == 0)
        return TRUE;
    }
  return FALSE;
}

/* NULL when @mac is fine, else why not (a whole sentence). */
static char *
check_mac (VmdNicEditor *self, const char *mac)
{
  VmdDeviceEditor *editor = VMD_DEVICE_EDITOR (self);
  VmdDomainConfig *config = vmd_device_editor_get_config (editor);
  VmdDomain *domain = vmd_device_editor_get_domain (editor);
  VmdDevice *device = vmd_device_editor_get_device (editor);
  guint octets[6];
  char tail;

  if (mac == NULL)
    return NULL;  /* one is generated when the device is added */
  if (strlen (mac) != 17 ||
      sscanf (mac, "%2x:%2x:%2x:%2x:%2x:%2x%c", &octets[0], &octets[1], &octets[2], &octets[3],
              &octets[4], &octets[5], &tail) != 6)
    return g_strdup_printf (_("%s is not a MAC address; write six pairs of hexadecimal digits separated by colons, such as 52:54:00:12:34:56."),
                            mac);
  for (guint i = 2; i < 17; i += 3)
    if (mac[i] != ':')
      return g_strdup_printf (_("%s is not a MAC address; write six pairs of hexadecimal digits separated by colons, such as 52:54:00:12:34:56."),
                              mac);
  if (octets[0] & 1)
    return g_strdup_printf (_("%s is a multicast address; a network card needs one whose first byte is even."),
                            mac);
  if (config_uses_mac (config, device, mac))
    return g_strdup_printf (_("Another network card of this virtual machine has the MAC address %s."),
                            mac);
  if (domain != NULL && vmd_domain_get_connection (domain) != NULL)
    {
      g_autoptr (GPtrArray) domains = vmd_connection_list_domains (vmd_domain_get_connection (domain));

      for (guint i = 0; domains != NULL && i < domains->len; i++)
        {
          VmdDomain *other = g_ptr_array_index (domains, i);

          if (other == domain || g_strcmp0 (vmd_domain_get_uuid (other),
                                            vmd_domain_get_uuid (domain)) == 0)
            continue;
          if (config_uses_mac (vmd_domain_get_config (other), NULL, mac))
            return g_strdup_printf (_("The virtual machine “%s” has a network card with the MAC address %s."),
                                    vmd_domain_get_name (other), mac);
        }
    }
  return NULL;
}

static void
mac_changed (VmdNicEditor *self)
{
  g_autofree char *mac = _vmd_entry_get (self->mac_entry);
  g_autofree char *why = check_mac (self, mac);

  _vmd_message_set (self->mac_message, why);
}

static void
regenerate_clicked (VmdNicEditor *self)
{
  VmdDomainConfig *config = vmd_device_editor_get_config (VMD_DEVICE_EDITOR (self));

  for (guint i = 0; i < 32; i++)
    {
      g_autofree char *mac = vmd_domain_config_generate_mac (config);
      g_autofree char *why = check_mac (self, mac);

      if (why == NULL || i == 31)
        {
          _vmd_entry_set (self->mac_entry, mac);
          return;
        }
    }
}

static void
type_changed (VmdNicEditor *self)
{
  g_autofree char *type = _vmd_combo_get (self->type_combo);
  GtkWidget *source_label = self->source_label;
  GtkWidget *forwards_label = self->forwards_label;
  gboolean user = g_strcmp0 (type, "user") == 0;
  gboolean has_source = g_strcmp0 (type, "bridge") == 0 || g_strcmp0 (type, "ethernet") == 0;

  gtk_widget_set_visible (GTK_WIDGET (self->source_entry), has_source);
  gtk_widget_set_visible (source_label, has_source);
  gtk_widget_set_visible (GTK_WIDGET (self->forwards_entry), user);
  gtk_widget_set_visible (forwards_label, user);
  if (!user)
    _vmd_message_set (self->forwards_message, NULL);
  if (source_label != NULL)
    {
      const char *text = g_strcmp0 (type, "bridge") == 0 ? _("Bridge:") : _("Tap device:");
      gtk_label_set_text (GTK_LABEL (source_label), text);
      atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->source_entry)),
                           g_strcmp0 (type, "bridge") == 0 ? _("Bridge") : _("Tap device"));
    }
}

/* ------------------------------------------------ port forwards */

static char *
forwards_to_text (VmdDeviceInterface *nic)
{
  g_autoptr (GPtrArray) forwards = vmd_device_interface_get_port_forwards (nic);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < forwards->len; i++)
    {
      VmdPortForward *f = g_ptr_array_index (forwards, i);

      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append_printf (text, "%s:%u", f->proto ? f->proto : "tcp", f->host_port);
      if (f->guest_port != f->host_port)
        g_string_append_printf (text, ":%u", f->guest_port);
    }
  return g_string_free (text, FALSE);
}

typedef struct {
  char  proto[4];
  guint host;
  guint guest;
} Forward;

static gboolean
parse_port (const char *text, guint *port)
{
  char *end = NULL;
  guint64 value;

  if (text == NULL || !g_ascii_isdigit (*text))
    return FALSE;
  value = g_ascii_strtoull (text, &end, 10);
  if (*end != '\0' || value == 0 || value > 65535)
    return FALSE;
  *port = (guint) value;
  return TRUE;
}

/* "tcp:2222:22, udp:5353, 8080" */
static GArray *
parse_forwards (const char *text, char **why)
{
  g_auto (GStrv) items = g_strsplit_set (text ? text : "", ",", -1);
  g_autoptr (GArray) out = g_array_new (FALSE, TRUE, sizeof (Forward));

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_autofree char *item = g_strstrip (g_strdup (items[i]));
      g_auto (GStrv) parts = NULL;
      Forward f = { "tcp", 0, 0 };
      guint n, at = 0;

      if (item[0] == '\0')
        continue;
      parts = g_strsplit (item, ":", -1);
      n = g_strv_length (parts);
      if (n > 0 && (g_ascii_strcasecmp (parts[0], "tcp") == 0 ||
                    g_ascii_strcasecmp (parts[0], "udp") == 0))
        {
          g_strlcpy (f.proto, g_ascii_strcasecmp (parts[0], "udp") == 0 ? "udp" : "tcp",
                     sizeof f.proto);
          at = 1;
        }
      if (n - at < 1 || n - at > 2 || !parse_port (parts[at], &f.host) ||
          (n - at == 2 && !parse_port (parts[at + 1], &f.guest)))
        {
          *why = g_strdup_printf (_("“%s” is not a port forward; write protocol:host port:guest port, such as tcp:2222:22."),
                                  item);
          return NULL;
        }
      if (f.guest == 0)
        f.guest = f.host;
      g_array_append_val (out, f);
    }
  return g_steal_pointer (&out);
}

/* ----------------------------------------------------- load/store */

static void
vmd_nic_editor_load (VmdDeviceEditor *editor)
{
  VmdNicEditor *self = (VmdNicEditor *) editor;
  VmdDeviceInterface *nic = NIC (self);
  g_autofree char *type = vmd_device_interface_get_interface_type (nic);
  g_autofree char *source = NULL;
  g_autofree char *model = vmd_device_interface_get_model (nic);
  g_autofree char *mac = vmd_device_interface_get_mac (nic);
  g_autofree char *forwards = forwards_to_text (nic);

  if (g_strcmp0 (type, "bridge") == 0 || g_strcmp0 (type, "ethernet") == 0)
    source = vmd_device_interface_get_source (nic);
  _vmd_combo_set (self->type_combo, type ? type : "user");
  _vmd_entry_set (self->source_entry, source);
  _vmd_entry_set (self->forwards_entry, forwards);
  _vmd_combo_set (self->model_combo, model ? model : "virtio");
  _vmd_entry_set (self->mac_entry, mac);
  gtk_toggle_button_set_active (self->link_check, vmd_device_interface_get_link_up (nic));
  type_changed (self);
  mac_changed (self);
}

static gboolean
vmd_nic_editor_store (VmdDeviceEditor *editor, GError **error)
{
  VmdNicEditor *self = (VmdNicEditor *) editor;
  VmdDeviceInterface *nic = NIC (self);
  gboolean all = _vmd_editor_is_new (editor);
  g_autofree char *type = _vmd_combo_get (self->type_combo);
  g_autofree char *source = _vmd_entry_get (self->source_entry);
  g_autofree char *forwards_text = _vmd_entry_get (self->forwards_entry);
  g_autofree char *mac = _vmd_entry_get (self->mac_entry);
  g_autofree char *why = NULL;
  g_autoptr (GArray) forwards = NULL;
  gboolean user = g_strcmp0 (type, "user") == 0;
  gboolean type_changed = all || _vmd_field_changed (self->type_combo);
  gboolean source_changed = type_changed || _vmd_field_changed (self->source_entry);
  gboolean has_source = g_strcmp0 (type, "bridge") == 0 || g_strcmp0 (type, "ethernet") == 0;

  if (all || _vmd_field_changed (self->mac_entry))
    {
      why = check_mac (self, mac);
      if (why != NULL)
        return _vmd_editor_fail (self->mac_message, error, why);
    }
  if (has_source && source_changed && source == NULL)
    return _vmd_editor_fail (NULL, error,
                             g_strcmp0 (type, "bridge") == 0
                               ? _("Give the name of the host's bridge, such as br0.")
                               : _("Give the name of the host's tap device, such as tap0."));
  if (user && (type_changed || _vmd_field_changed (self->forwards_entry)))
    {
      forwards = parse_forwards (forwards_text, &why);
      if (forwards == NULL)
        return _vmd_editor_fail (self->forwards_message, error, why);
    }
  _vmd_message_set (self->forwards_message, NULL);

  if (type_changed)
    {
      g_autofree char *old_type = vmd_device_interface_get_interface_type (nic);
      if (g_strcmp0 (type, old_type) != 0)
        vmd_device_interface_set_interface_type (nic, type);
    }
  if (has_source && source_changed)
    vmd_device_interface_set_source (nic, source);
  if (forwards != NULL)
    {
      g_autofree char *old = forwards_to_text (nic);
      GString *now = g_string_new (NULL);
      g_autofree char *now_text = NULL;

      for (guint i = 0; i < forwards->len; i++)
        {
          Forward *f = &g_array_index (forwards, Forward, i);
          g_string_append_printf (now, "%s%s:%u", i ? ", " : "", f->proto, f->host);
          if (f->guest != f->host)
            g_string_append_printf (now, ":%u", f->guest);
        }
      now_text = g_string_free (now, FALSE);
      /* Rewrite only what changed: keeps ranges and addresses vmdesk does
       * not show. */
      if (g_strcmp0 (old, now_text) != 0)
        {
          vmd_device_interface_clear_port_forwards (nic);
          for (guint i = 0; i < forwards->len; i++)
            {
              Forward *f = &g_array_index (forwards, Forward, i);
              vmd_device_interface_add_port_forward (nic, f->proto, f->host, f->guest);
            }
        }
    }
  if (all || _vmd_field_changed (self->model_combo))
    {
      g_autofree char *model = _vmd_combo_get (self->model_combo);
      vmd_device_interface_set_model (nic, model);
    }
  if (mac != NULL && _vmd_field_changed (self->mac_entry))
    {
      g_autofree char *lower = g_ascii_strdown (mac, -1);
      vmd_device_interface_set_mac (nic, lower);
    }
  if (_vmd_field_changed (self->link_check))
    vmd_device_interface_set_link_up (nic, gtk_toggle_button_get_active (self->link_check));
  return TRUE;
}

/* -------------------------------------------------------- live */

static void
strip_link (VmdDevice *copy)
{
  vmd_device_interface_set_link_up (VMD_DEVICE_INTERFACE (copy), TRUE);
}

static gboolean
link_differs (VmdDevice *before, VmdDevice *after)
{
  return vmd_device_interface_get_link_up (VMD_DEVICE_INTERFACE (before)) !=
         vmd_device_interface_get_link_up (VMD_DEVICE_INTERFACE (after));
}

static VmdLiveSupport
vmd_nic_editor_live_support (VmdDeviceEditor *editor, VmdDevice *before)
{
  VmdDevice *after = vmd_device_editor_get_device (editor);

  if (!VMD_IS_DEVICE_INTERFACE (before))
    return VMD_LIVE_NONE;
  if (_vmd_devices_equal_except (before, after, strip_link))
    return VMD_LIVE_ALL;
  return link_differs (before, after) ? VMD_LIVE_PARTIAL : VMD_LIVE_NONE;
}

static void
vmd_nic_editor_apply_live_async (VmdDeviceEditor     *editor,
                                 VmdDomain           *domain,
                                 VmdDevice           *before,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  VmdDevice *after = vmd_device_editor_get_device (editor);
  g_autoptr (GTask) task = g_task_new (editor, cancellable, callback, user_data);
  g_autofree char *mac = vmd_device_interface_get_mac (VMD_DEVICE_INTERFACE (before));

  g_task_set_source_tag (task, vmd_nic_editor_apply_live_async);
  if (!link_differs (before, after))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_task_set_task_data (task, (gpointer) vmd_domain_set_link_finish, NULL);
  vmd_domain_set_link_async (domain, mac,
                             vmd_device_interface_get_link_up (VMD_DEVICE_INTERFACE (after)),
                             cancellable, _vmd_editor_domain_call_done, g_object_ref (task));
}

/* ------------------------------------------------ the guest's address */

static void
interfaces_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdNicEditor) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) interfaces = vmd_domain_get_guest_interfaces_finish (VMD_DOMAIN (source),
                                                                              result, &error);
  g_autofree char *mac = NULL;
  VmdGuestInterface *iface;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->ip_value == NULL)
    return;
  if (interfaces == NULL)
    {
      g_debug ("no addresses from the guest agent: %s", error->message);
      gtk_label_set_text (self->ip_value, _("Unknown"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->ip_value), error->message);
      return;
    }
  mac = vmd_device_interface_get_mac (NIC (self));
  iface = vmd_guest_interface_find (interfaces, mac);
  if (iface == NULL || iface->addresses[0] == NULL)
    {
      gtk_label_set_text (self->ip_value, _("Unknown"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->ip_value),
                                   iface ? _("The guest has no address on this card.")
                                         : _("The guest agent does not list this card."));
      return;
    }
  {
    g_autofree char *text = g_strjoinv (", ", iface->addresses);
    gtk_label_set_text (self->ip_value, text);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->ip_value), NULL);
  }
}

/* Asks the guest agent again (the address may come after the editor). */
void
_vmd_nic_editor_refresh_address (VmdDeviceEditor *editor)
{
  VmdNicEditor *self = (VmdNicEditor *) editor;
  VmdDomain *domain = vmd_device_editor_get_domain (editor);

  if (self->ip_value == NULL || domain == NULL || !vmd_domain_is_active (domain))
    return;
  vmd_domain_get_guest_interfaces_async (domain, self->cancel, interfaces_read,
                                         g_object_ref (self));
}

/* ------------------------------------------------------ set up */

static void
vmd_nic_editor_constructed (GObject *object)
{
  VmdNicEditor *self = (VmdNicEditor *) object;
  VmdDeviceEditor *editor = VMD_DEVICE_EDITOR (object);
  GtkWidget *fields[] = {
    GTK_WIDGET (self->type_combo), GTK_WIDGET (self->source_entry),
    GTK_WIDGET (self->forwards_entry), GTK_WIDGET (self->model_combo),
    GTK_WIDGET (self->mac_entry), GTK_WIDGET (self->link_check),
  };

  G_OBJECT_CLASS (_vmd_nic_editor_parent_class)->constructed (object);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    _vmd_editor_watch (editor, fields[i]);
  self->cancel = g_cancellable_new ();
  if (_vmd_editor_is_new (editor))
    {
      /* A card not yet in the VM has no address to show. */
      gtk_widget_destroy (self->ip_label);
      gtk_widget_destroy (GTK_WIDGET (self->ip_value));
      self->ip_label = NULL;
      self->ip_value = NULL;
    }
  vmd_device_editor_load (editor);
  _vmd_nic_editor_refresh_address (editor);
}

static void
vmd_nic_editor_dispose (GObject *object)
{
  VmdNicEditor *self = (VmdNicEditor *) object;

  if (self->cancel != NULL)
    g_cancellable_cancel (self->cancel);
  g_clear_object (&self->cancel);
  self->ip_value = NULL;
  G_OBJECT_CLASS (_vmd_nic_editor_parent_class)->dispose (object);
}

static void
_vmd_nic_editor_class_init (VmdNicEditorClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->constructed = vmd_nic_editor_constructed;
  G_OBJECT_CLASS (klass)->dispose = vmd_nic_editor_dispose;

  _vmd_devices_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               VMD_RESOURCE_PREFIX "/ui/devices/vmd-nic-editor.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdNicEditor, name)
  BIND (type_combo);
  BIND (source_label);
  BIND (source_entry);
  BIND (forwards_label);
  BIND (forwards_entry);
  BIND (forwards_message);
  BIND (model_combo);
  BIND (mac_entry);
  BIND (regenerate_button);
  BIND (mac_message);
  BIND (link_check);
  BIND (ip_label);
  BIND (ip_value);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, type_changed);
  gtk_widget_class_bind_template_callback (widget_class, mac_changed);
  gtk_widget_class_bind_template_callback (widget_class, regenerate_clicked);
  klass->load = vmd_nic_editor_load;
  klass->store = vmd_nic_editor_store;
  klass->live_support = vmd_nic_editor_live_support;
  klass->apply_live_async = vmd_nic_editor_apply_live_async;
}

static void
_vmd_nic_editor_init (VmdNicEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
