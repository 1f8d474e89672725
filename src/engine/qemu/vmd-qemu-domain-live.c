/* vmd-qemu-domain-live.c: what can be done to a running VM: its display and
 * serial consoles, screenshots, keys, the balloon
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The display is reached without any listening port: a socketpair, one end
 * handed to QEMU with getfd, then add_client turns it into a VNC or SPICE
 * client connection, and the other end goes to the viewer.
 */
#define G_LOG_DOMAIN "vmdesk-engine"

#include <errno.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vmd-device-types.h"
#include "vmd-qemu-domain-private.h"
#include "vmd-size.h"

/* ---------------------------------------------------------------- display */

typedef struct {
  int   fds[2];
  char *protocol;
  char *fdname;
} DisplayData;

static void
display_data_free (DisplayData *data)
{
  for (guint i = 0; i < 2; i++)
    if (data->fds[i] >= 0)
      close (data->fds[i]);
  g_free (data->protocol);
  g_free (data->fdname);
  g_free (data);
}

static void
client_added (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  DisplayData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result,
                                                              &error);
  GSocket *socket;

  if (error != NULL)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("The display could not be opened: %s"), error->message);
      return;
    }
  socket = g_socket_new_from_fd (data->fds[1], &error);
  if (socket == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->fds[1] = -1;
  g_object_set_data_full (G_OBJECT (socket), "vmd-display-protocol", g_strdup (data->protocol),
                          g_free);
  g_task_return_pointer (task, socket, g_object_unref);
}

static void
fd_passed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  VmdQemuDomain *self = g_task_get_source_object (task);
  DisplayData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result,
                                                              &error);
  g_autoptr (JsonBuilder) args = json_builder_new ();
  g_autoptr (JsonNode) node = NULL;

  if (error != NULL)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("The display could not be opened: %s"), error->message);
      return;
    }
  /* QEMU has its own copy now. */
  close (data->fds[0]);
  data->fds[0] = -1;

  json_builder_begin_object (args);
  json_builder_set_member_name (args, "protocol");
  json_builder_add_string_value (args, data->protocol);
  json_builder_set_member_name (args, "fdname");
  json_builder_add_string_value (args, data->fdname);
  json_builder_set_member_name (args, "skipauth");
  json_builder_add_boolean_value (args, TRUE);
  json_builder_end_object (args);
  node = json_builder_get_root (args);

  /* Not a state check: an early display attaches before the CPUs run. */
  if (self->qmp == NULL)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_INVALID_STATE,
                               _("The virtual machine “%s” is not running."),
                               vmd_domain_get_name (VMD_DOMAIN (self)));
      return;
    }
  vmd_qmp_client_execute_async (self->qmp, "add_client", node, g_task_get_cancellable (task),
                                client_added, g_object_ref (task));
}

static char *
display_protocol (VmdDomainConfig *config)
{
  g_autoptr (GPtrArray) graphics = vmd_domain_config_get_devices (config,
                                                                  VMD_TYPE_DEVICE_GRAPHICS);

  for (guint i = 0; i < graphics->len; i++)
    {
      g_autofree char *type = vmd_device_graphics_get_graphics_type (g_ptr_array_index (graphics,
                                                                                        i));
      if (g_strcmp0 (type, "spice") == 0 || g_strcmp0 (type, "vnc") == 0)
        return g_steal_pointer (&type);
    }
  return NULL;
}

/* socketpair, getfd, add_client: a display client on a new socket. */
static void
attach_display (VmdQemuDomain *self, GTask *task)
{
  VmdDomain *domain = VMD_DOMAIN (self);
  g_autoptr (JsonBuilder) args = json_builder_new ();
  g_autoptr (JsonNode) node = NULL;
  static guint counter;
  DisplayData *data;

  data = g_new0 (DisplayData, 1);
  data->fds[0] = data->fds[1] = -1;
  g_task_set_task_data (task, data, (GDestroyNotify) display_data_free);

  /* The VM runs with the display it started with, whatever the
   * definition says now; QEMU answers for the wrong protocol. */
  data->protocol = display_protocol (vmd_domain_get_config (domain));
  if (data->protocol == NULL)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_UNSUPPORTED,
                               _("The virtual machine “%s” has no graphical display."),
                               vmd_domain_get_name (domain));
      return;
    }

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, data->fds) != 0)
    {
      int saved = errno;
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("The display could not be opened: %s"), g_strerror (saved));
      return;
    }
  data->fdname = g_strdup_printf ("vmdesk-display-%u", ++counter);

  json_builder_begin_object (args);
  json_builder_set_member_name (args, "fdname");
  json_builder_add_string_value (args, data->fdname);
  json_builder_end_object (args);
  node = json_builder_get_root (args);
  vmd_qmp_client_execute_with_fd_async (self->qmp, "getfd", node, data->fds[0],
                                        g_task_get_cancellable (task), fd_passed,
                                        g_object_ref (task));
}

void
_vmd_qemu_domain_open_display_async (VmdDomain           *domain,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  VmdQemuDomain *self = VMD_QEMU_DOMAIN (domain);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GError) error = NULL;

  g_task_set_source_tag (task, _vmd_qemu_domain_open_display_async);

  /* The client attached while starting, if nobody took it yet (also
   * before the CPUs run: see the "display-ready" event). */
  if (self->early_display != NULL && self->qmp != NULL)
    {
      GSocket *socket = g_steal_pointer (&self->early_display);

      g_clear_handle_id (&self->early_display_timeout, g_source_remove);
      g_task_return_pointer (task, socket, g_object_unref);
      return;
    }
  if (!_vmd_qemu_domain_check_running (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  attach_display (self, task);
}

/* An early client nobody took is closed after a while: QEMU would keep a
 * display client that never reads. */
#define EARLY_DISPLAY_KEEP_S 20

void
_vmd_qemu_domain_drop_early_display (VmdQemuDomain *self)
{
  g_clear_handle_id (&self->early_display_timeout, g_source_remove);
  g_clear_object (&self->early_display);
}

static gboolean
early_display_expired (gpointer user_data)
{
  VmdQemuDomain *self = user_data;

  self->early_display_timeout = 0;
  g_clear_object (&self->early_display);
  return G_SOURCE_REMOVE;
}

static void
early_display_attached (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  VmdQemuDomain *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  GSocket *socket = g_task_propagate_pointer (G_TASK (result), &error);

  if (socket == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  _vmd_qemu_domain_drop_early_display (self);
  self->early_display = socket;
  self->early_display_timeout = g_timeout_add_seconds (EARLY_DISPLAY_KEEP_S,
                                                       early_display_expired, self);
  g_task_return_boolean (task, TRUE);
}

/* While starting, before `cont`: attach a display client and keep it for
 * the next vmd_domain_open_display_async(). */
void
_vmd_qemu_domain_attach_early_display_async (VmdQemuDomain       *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GTask) attach = g_task_new (self, cancellable, early_display_attached,
                                         g_object_ref (task));

  g_task_set_source_tag (task, _vmd_qemu_domain_attach_early_display_async);
  attach_display (self, attach);
}

gboolean
_vmd_qemu_domain_attach_early_display_finish (VmdQemuDomain *self, GAsyncResult *result,
                                              GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ----------------------------------------------------------------- serial */

static void
serial_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  GSocketConnection *connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source),
                                                                  result, &error);

  if (connection == NULL)
    g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                             _("The serial console could not be opened: %s"), error->message);
  else
    g_task_return_pointer (task, connection, g_object_unref);
}

/* The alias of the serial port or console @name names, or the first one. */
static char *
serial_alias (VmdDomainConfig *config, const char *name, GError **error)
{
  const char *const kinds[] = { "serial", "console", "channel" };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr (GPtrArray) devices = vmd_domain_config_get_devices_of_kind (config, kinds[k]);

      for (guint i = 0; i < devices->len; i++)
        {
          g_autofree char *alias = vmd_device_get_alias (g_ptr_array_index (devices, i));
          g_autofree char *fallback = g_strdup_printf ("%s%u", kinds[k], i);
          const char *id = alias ? alias : fallback;

          if (name == NULL && k < 2)
            return g_strdup (id);
          if (name != NULL && g_str_equal (name, id))
            return g_strdup (id);
        }
    }
  if (name == NULL)
    g_set_error_literal (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_NOT_FOUND,
                         _("This virtual machine has no serial console."));
  else
    g_set_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_NOT_FOUND,
                 _("This virtual machine has no console named “%s”."), name);
  return NULL;
}

void
_vmd_qemu_domain_open_serial_async (VmdDomain           *domain,
                                    const char          *name,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  VmdQemuDomain *self = VMD_QEMU_DOMAIN (domain);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketClient) client = NULL;
  g_autoptr (GSocketAddress) address = NULL;
  g_autofree char *alias = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  g_task_set_source_tag (task, _vmd_qemu_domain_open_serial_async);

  if (!_vmd_qemu_domain_check_running (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  alias = serial_alias (vmd_domain_get_config (domain), name, &error);
  if (alias == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  file = g_strdup_printf ("chardev-%s.sock", alias);
  path = g_build_filename (self->runtime_dir, file, NULL);
  address = g_unix_socket_address_new (path);
  client = g_socket_client_new ();
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (address), cancellable,
                                 serial_connected, g_object_ref (task));
}

/* ------------------------------------------------------- screenshot, keys */

void
_vmd_qemu_domain_screenshot_async (VmdDomain           *domain,
                                   const char          *path,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (domain, cancellable, callback, user_data);
  g_autoptr (JsonBuilder) args = json_builder_new ();
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);

  g_task_set_source_tag (task, _vmd_qemu_domain_screenshot_async);

  /* QEMU writes the file itself, so the path must be absolute. */
  json_builder_begin_object (args);
  json_builder_set_member_name (args, "filename");
  json_builder_add_string_value (args, absolute);
  json_builder_set_member_name (args, "format");
  json_builder_add_string_value (args, "png");
  json_builder_end_object (args);
  node = json_builder_get_root (args);
  _vmd_qemu_domain_qmp_async (VMD_QEMU_DOMAIN (domain), "screendump", node, task);
}

/* virsh and xdotool spellings of keys, as QEMU's qcodes. */
static const char *
key_to_qcode (const char *key)
{
  static const struct { const char *name; const char *qcode; } aliases[] = {
    { "ctrl", "ctrl" }, { "control", "ctrl" }, { "KEY_LEFTCTRL", "ctrl" },
    { "KEY_RIGHTCTRL", "ctrl_r" }, { "alt", "alt" }, { "KEY_LEFTALT", "alt" },
    { "KEY_RIGHTALT", "alt_r" }, { "altgr", "alt_r" }, { "shift", "shift" },
    { "KEY_LEFTSHIFT", "shift" }, { "KEY_RIGHTSHIFT", "shift_r" }, { "del", "delete" },
    { "delete", "delete" }, { "KEY_DELETE", "delete" }, { "backspace", "backspace" },
    { "KEY_BACKSPACE", "backspace" }, { "enter", "ret" }, { "return", "ret" },
    { "KEY_ENTER", "ret" }, { "esc", "esc" }, { "escape", "esc" }, { "KEY_ESC", "esc" },
    { "tab", "tab" }, { "KEY_TAB", "tab" }, { "space", "spc" }, { "KEY_SPACE", "spc" },
    { "print", "print" }, { "printscreen", "print" }, { "sysrq", "sysrq" },
    { "KEY_SYSRQ", "sysrq" }, { "super", "meta_l" }, { "meta", "meta_l" },
  };
  static char buf[32];

  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_ascii_strcasecmp (aliases[i].name, key) == 0)
      return aliases[i].qcode;
  /* KEY_F1 → f1, KEY_A → a */
  if (g_str_has_prefix (key, "KEY_") && strlen (key) < sizeof buf + 4)
    {
      g_strlcpy (buf, key + 4, sizeof buf);
      for (char *p = buf; *p; p++)
        *p = g_ascii_tolower (*p);
      return buf;
    }
  return key;
}

static void
keys_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result,
                                                              &error);
  const char *value = error ? strstr (error->message, "does not accept value '") : NULL;

  if (error == NULL)
    g_task_return_boolean (task, TRUE);
  else if (value != NULL)
    {
      /* QEMU says "Parameter 'data' does not accept value 'x'". */
      g_autofree char *key = g_strdup (value + strlen ("does not accept value '"));
      char *end = strchr (key, '\'');
      if (end != NULL)
        *end = '\0';
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("There is no key named “%s”; use names such as ctrl, alt, delete, a, f1 or ret."),
                               key);
    }
  else
    g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                             _("The keys could not be sent: %s"), error->message);
}

/**
 * _vmd_qemu_domain_send_keys_async:
 * @keys: pressed together, in order, such as { "ctrl", "alt", "delete" }
 */
void
_vmd_qemu_domain_send_keys_async (VmdDomain           *domain,
                                  const char *const   *keys,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (domain, cancellable, callback, user_data);
  g_autoptr (JsonBuilder) args = json_builder_new ();
  g_autoptr (JsonNode) node = NULL;

  g_task_set_source_tag (task, _vmd_qemu_domain_send_keys_async);

  if (keys == NULL || keys[0] == NULL)
    {
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("No keys were given to send."));
      return;
    }

  json_builder_begin_object (args);
  json_builder_set_member_name (args, "keys");
  json_builder_begin_array (args);
  for (guint i = 0; keys[i]; i++)
    {
      json_builder_begin_object (args);
      json_builder_set_member_name (args, "type");
      json_builder_add_string_value (args, "qcode");
      json_builder_set_member_name (args, "data");
      json_builder_add_string_value (args, key_to_qcode (keys[i]));
      json_builder_end_object (args);
    }
  json_builder_end_array (args);
  json_builder_end_object (args);
  node = json_builder_get_root (args);
  {
    VmdQemuDomain *self = VMD_QEMU_DOMAIN (domain);
    g_autoptr (GError) error = NULL;

    if (!_vmd_qemu_domain_check_running (self, &error))
      {
        g_task_return_error (task, g_steal_pointer (&error));
        return;
      }
    /* Not _vmd_qemu_domain_qmp_async (): QEMU's error for a name it does
     * not know is about a parameter, not a key. */
    vmd_qmp_client_execute_async (self->qmp, "send-key", node, cancellable, keys_sent,
                                  g_object_ref (task));
  }
}

/* -------------------------------------------------------------- balloon */

void
_vmd_qemu_domain_set_memory_async (VmdDomain           *domain,
                                   guint64              kib,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (domain, cancellable, callback, user_data);
  g_autoptr (JsonBuilder) args = json_builder_new ();
  g_autoptr (JsonNode) node = NULL;
  guint64 max = vmd_domain_config_get_memory (vmd_domain_get_config (domain));

  g_task_set_source_tag (task, _vmd_qemu_domain_set_memory_async);

  if (kib == 0 || kib > max)
    {
      g_autofree char *max_text = vmd_size_format (max);
      g_task_return_new_error (task, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED,
                               _("The memory in use must be more than 0 and at most the maximum of %s."),
                               max_text);
      return;
    }

  json_builder_begin_object (args);
  json_builder_set_member_name (args, "value");
  json_builder_add_int_value (args, (gint64) (kib * 1024));
  json_builder_end_object (args);
  node = json_builder_get_root (args);
  _vmd_qemu_domain_qmp_async (VMD_QEMU_DOMAIN (domain), "balloon", node, task);
}
