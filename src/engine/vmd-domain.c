/* vmd-domain.c: a virtual machine on a connection
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The base class keeps what every engine shares: the definition, the state
 * and its reason, and the asynchronous operations as vfuncs that engines
 * fill in. State changes come as signals; nobody polls.
 */
#define G_LOG_DOMAIN "vmdesk-engine"

#include <glib/gi18n-lib.h>

#include "vmd-connection.h"
#include "vmd-domain.h"

typedef struct
{
  VmdConnection   *connection;  /* weak: the connection owns its domains */
  VmdDomainConfig *config;
  char            *name;
  char            *uuid;
  VmdDomainState   state;
  VmdStateReason   reason;
  char            *error_message;
} VmdDomainPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (VmdDomain, vmd_domain, G_TYPE_OBJECT)

G_DEFINE_QUARK (vmd-engine-error-quark, vmd_engine_error)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_CONFIG,
  PROP_STATE,
  N_PROPS
};

enum {
  STATE_CHANGED,
  CONFIG_CHANGED,
  EVENT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

const char *
vmd_domain_state_to_string (VmdDomainState state)
{
  switch (state)
    {
    case VMD_DOMAIN_STATE_SHUTOFF: return _("Shut off");
    case VMD_DOMAIN_STATE_RUNNING: return _("Running");
    case VMD_DOMAIN_STATE_PAUSED: return _("Paused");
    case VMD_DOMAIN_STATE_SHUTTING_DOWN: return _("Shutting down");
    case VMD_DOMAIN_STATE_CRASHED: return _("Crashed");
    default: return _("Unknown");
    }
}

const char *
vmd_state_reason_to_string (VmdStateReason reason)
{
  switch (reason)
    {
    case VMD_STATE_REASON_BOOTED: return _("Booted");
    case VMD_STATE_REASON_UNPAUSED: return _("Resumed");
    case VMD_STATE_REASON_RESTORED: return _("Restored");
    case VMD_STATE_REASON_SNAPSHOT: return _("Reverted to a snapshot");
    case VMD_STATE_REASON_USER: return _("Paused by the user");
    case VMD_STATE_REASON_INTERNAL_ERROR: return _("Stopped by a hypervisor error");
    case VMD_STATE_REASON_IO_ERROR: return _("Stopped by a disk error");
    case VMD_STATE_REASON_SHUTDOWN: return _("Shut down by the guest");
    case VMD_STATE_REASON_DESTROYED: return _("Forced off");
    case VMD_STATE_REASON_SAVED: return _("Saved");
    case VMD_STATE_REASON_FAILED: return _("Failed to start");
    case VMD_STATE_REASON_CRASHED: return _("The QEMU process ended unexpectedly");
    case VMD_STATE_REASON_UNKNOWN:
    default: return _("Unknown");
    }
}

static void
update_identity (VmdDomain *self)
{
  VmdDomainPrivate *priv = vmd_domain_get_instance_private (self);

  g_clear_pointer (&priv->name, g_free);
  g_clear_pointer (&priv->uuid, g_free);
  if (priv->config != NULL)
    {
      priv->name = vmd_domain_config_get_name (priv->config);
      priv->uuid = vmd_domain_config_get_uuid (priv->config);
    }
}

static void
vmd_domain_finalize (GObject *object)
{
  VmdDomain *self = VMD_DOMAIN (object);
  VmdDomainPrivate *priv = vmd_domain_get_instance_private (self);

  g_clear_weak_pointer (&priv->connection);
  g_clear_object (&priv->config);
  g_clear_pointer (&priv->name, g_free);
  g_clear_pointer (&priv->uuid, g_free);
  g_clear_pointer (&priv->error_message, g_free);

  G_OBJECT_CLASS (vmd_domain_parent_class)->finalize (object);
}

static void
vmd_domain_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  VmdDomain *self = VMD_DOMAIN (object);
  VmdDomainPrivate *priv = vmd_domain_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, priv->connection);
      break;
    case PROP_CONFIG:
      g_value_set_object (value, priv->config);
      break;
    case PROP_STATE:
      g_value_set_int (value, priv->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_domain_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  VmdDomain *self = VMD_DOMAIN (object);
  VmdDomainPrivate *priv = vmd_domain_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_set_weak_pointer (&priv->connection, g_value_get_object (value));
      break;
    case PROP_CONFIG:
      priv->config = g_value_dup_object (value);
      update_identity (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_domain_class_init (VmdDomainClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vmd_domain_finalize;
  object_class->get_property = vmd_domain_get_property;
  object_class->set_property = vmd_domain_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, VMD_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONFIG] =
    g_param_spec_object ("config", NULL, NULL, VMD_TYPE_DOMAIN_CONFIG,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, 0, VMD_DOMAIN_STATE_CRASHED, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VmdDomain::state-changed:
   * @state: a #VmdDomainState
   * @reason: a #VmdStateReason
   */
  signals[STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);
  /**
   * VmdDomain::config-changed:
   *
   * The persistent definition was replaced (edited, renamed, …).
   */
  signals[CONFIG_CHANGED] =
    g_signal_new ("config-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  /**
   * VmdDomain::event:
   * @name: what happened, e.g. "tray-moved", "balloon-changed", "reset"
   * @detail: (nullable): a device name or a value
   */
  signals[EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
vmd_domain_init (VmdDomain *self)
{
}

/**
 * vmd_domain_get_connection:
 *
 * Returns: (transfer none) (nullable): the connection, while it lives
 */
VmdConnection *
vmd_domain_get_connection (VmdDomain *self)
{
  VmdDomainPrivate *priv = vmd_domain_get_instance_private (self);

  g_return_val_if_fail (VMD_IS_DOMAIN (self), NULL);
  return priv->connection;
}

/**
 * vmd_domain_get_config:
 *
 * Returns: (transfer none): the persistent definition. Treat it as read-only:
 *   edit a copy and hand it to vmd_domain_set_config_async().
 */
VmdDomainConfig *
vmd_domain_get_config (VmdDomain *self)
{
  VmdDomainPrivate *priv = vmd_domain_get_instance_private (self);

  g_return_val_if_fail (VMD_IS_DOMAIN (self), NULL);
  return priv->config;
}

const char *
vmd_domain_get_name (VmdDomain *self)
{
  VmdDomainPrivate *priv = vmd_domain_get_instance_private (self);

  g_return_val_if_fail (VMD_IS_DOMAIN (self), NULL);
  return priv->name;
}

const char *
vmd_domain_get_uuid (VmdDomain *self)
{
  VmdDomainPrivate *priv = vmd_domain_get_instance_private (self);

  g_return_val_if_fail (VMD_IS_DOMAIN (self), NULL);
  return priv->uuid;
}

char *
vmd_domain_get_title (VmdDomain *self)
{
  VmdDomainPrivate *priv = vmd_domain_get_instance_private (self);

  g_return_val_if_fail (VMD_IS_DOMAIN (self), NULL);
  return vmd_domain_config_get_title (priv->config);
}

VmdDomainState
vmd_domain_get_state (VmdDomain *self)
{
  VmdDomainPrivate *priv = vmd_domain_get_instance_private (self);

  g_return_val_if_fail (VMD_IS_DOMAIN (self), VMD_DOMAIN_STATE_SHUTOFF);
  return priv->state;
}

VmdStateReason
vmd_domain_get_state_reason (VmdDomain *self)
{
  VmdDomainPrivate *priv = vmd_domain_get_instance_private (self);

  g_return_val_if_fail (VMD_IS_DOMAIN (self), VMD_STATE_REASON_UNKNOWN);
  return priv->reason;
}

gboolean
vmd_domain_is_active (VmdDomain *self)
{
  VmdDomainState state = vmd_domain_get_state (self);

  return state == VMD_DOMAIN_STATE_RUNNING || state == VMD_DOMAIN_STATE_PAUSED ||
         state == VMD_DOMAIN_STATE_SHUTTING_DOWN;
}

/**
 * vmd_domain_get_error_message:
 *
 * Returns: (nullable): why the VM crashed, failed or stopped, in words for
 *   the user, until its next start
 */
const char *
vmd_domain_get_error_message (VmdDomain *self)
{
  VmdDomainPrivate *priv = vmd_domain_get_instance_private (self);

  g_return_val_if_fail (VMD_IS_DOMAIN (self), NULL);
  return priv->error_message;
}

gboolean
vmd_domain_get_autostart (VmdDomain *self)
{
  VmdDomainClass *klass = VMD_DOMAIN_GET_CLASS (self);

  return klass->get_autostart != NULL && klass->get_autostart (self);
}

gboolean
vmd_domain_set_autostart (VmdDomain *self, gboolean autostart, GError **error)
{
  VmdDomainClass *klass = VMD_DOMAIN_GET_CLASS (self);

  if (klass->set_autostart == NULL)
    {
      g_set_error_literal (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_UNSUPPORTED,
                           _("This connection cannot start virtual machines automatically."));
      return FALSE;
    }
  return klass->set_autostart (self, autostart, error);
}

/**
 * vmd_domain_list_snapshots:
 *
 * Returns: (transfer container) (element-type VmdSnapshot): oldest first
 */
GPtrArray *
vmd_domain_list_snapshots (VmdDomain *self)
{
  VmdDomainClass *klass = VMD_DOMAIN_GET_CLASS (self);

  if (klass->list_snapshots == NULL)
    return g_ptr_array_new_with_free_func (g_object_unref);
  return klass->list_snapshots (self);
}

char *
vmd_domain_get_log_tail (VmdDomain *self, gsize max_bytes)
{
  VmdDomainClass *klass = VMD_DOMAIN_GET_CLASS (self);

  if (klass->get_log_tail == NULL)
    return NULL;
  return klass->get_log_tail (self, max_bytes);
}

/* ---------------------------------------------------------------- for engines */

void
vmd_domain_set_state (VmdDomain *self, VmdDomainState state, VmdStateReason reason)
{
  VmdDomainPrivate *priv = vmd_domain_get_instance_private (self);

  g_return_if_fail (VMD_IS_DOMAIN (self));

  if (priv->state == state && priv->reason == reason)
    return;
  g_debug ("%s: %s (%s)", priv->name, vmd_domain_state_to_string (state),
           vmd_state_reason_to_string (reason));
  priv->state = state;
  priv->reason = reason;
  if (state == VMD_DOMAIN_STATE_RUNNING && reason == VMD_STATE_REASON_BOOTED)
    g_clear_pointer (&priv->error_message, g_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_signal_emit (self, signals[STATE_CHANGED], 0, (int) state, (int) reason);
}

void
vmd_domain_set_error_message (VmdDomain *self, const char *message)
{
  VmdDomainPrivate *priv = vmd_domain_get_instance_private (self);

  g_free (priv->error_message);
  priv->error_message = g_strdup (message);
}

void
vmd_domain_replace_config (VmdDomain *self, VmdDomainConfig *config)
{
  VmdDomainPrivate *priv = vmd_domain_get_instance_private (self);

  g_return_if_fail (VMD_IS_DOMAIN (self));
  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (config));

  g_set_object (&priv->config, config);
  update_identity (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIG]);
  g_signal_emit (self, signals[CONFIG_CHANGED], 0);
}

void
vmd_domain_emit_event (VmdDomain *self, const char *name, const char *detail)
{
  g_signal_emit (self, signals[EVENT], 0, name, detail);
}

/* ---------------------------------------------------------------- operations */

static void
report_unsupported (VmdDomain *self, GAsyncReadyCallback callback, gpointer user_data,
                    gpointer source_tag)
{
  g_task_report_new_error (self, callback, user_data, source_tag, VMD_ENGINE_ERROR,
                           VMD_ENGINE_ERROR_UNSUPPORTED,
                           _("This connection cannot do that with a virtual machine."));
}

#define DEFINE_OP(name, params, args)                                                     \
  void                                                                                    \
  vmd_domain_##name##_async (VmdDomain *self params, GCancellable *cancellable,           \
                             GAsyncReadyCallback callback, gpointer user_data)            \
  {                                                                                       \
    VmdDomainClass *klass;                                                                \
    g_return_if_fail (VMD_IS_DOMAIN (self));                                              \
    klass = VMD_DOMAIN_GET_CLASS (self);                                                  \
    if (klass->name##_async == NULL)                                                      \
      report_unsupported (self, callback, user_data, vmd_domain_##name##_async);          \
    else                                                                                  \
      klass->name##_async (self args, cancellable, callback, user_data);                  \
  }                                                                                       \
  gboolean                                                                                \
  vmd_domain_##name##_finish (VmdDomain *self, GAsyncResult *result, GError **error)      \
  {                                                                                       \
    g_return_val_if_fail (g_task_is_valid (result, self), FALSE);                         \
    return g_task_propagate_boolean (G_TASK (result), error);                             \
  }

#define P(...) , __VA_ARGS__
DEFINE_OP (start, P (VmdStartFlags flags), P (flags))
DEFINE_OP (shutdown, , )
DEFINE_OP (reboot, , )
DEFINE_OP (reset, , )
DEFINE_OP (destroy, , )
DEFINE_OP (suspend, , )
DEFINE_OP (resume, , )
DEFINE_OP (save, P (const char *path), P (path))
DEFINE_OP (restore, P (const char *path, VmdStartFlags flags), P (path, flags))
DEFINE_OP (set_config, P (VmdDomainConfig *config), P (config))
DEFINE_OP (undefine, P (gboolean remove_storage), P (remove_storage))
DEFINE_OP (rename, P (const char *new_name), P (new_name))
DEFINE_OP (snapshot_create, P (const char *name, const char *description), P (name, description))
DEFINE_OP (snapshot_revert, P (const char *name), P (name))
DEFINE_OP (snapshot_delete, P (const char *name), P (name))
DEFINE_OP (change_media, P (const char *target, const char *path), P (target, path))
DEFINE_OP (set_memory, P (guint64 kib), P (kib))
DEFINE_OP (send_keys, P (const char *const *keys), P (keys))
DEFINE_OP (screenshot, P (const char *path), P (path))
DEFINE_OP (attach_device, P (VmdDevice *device), P (device))
DEFINE_OP (detach_device, P (VmdDevice *device), P (device))
DEFINE_OP (set_link, P (const char *mac, gboolean up), P (mac, up))
#undef P

void
vmd_domain_get_guest_interfaces_async (VmdDomain           *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  VmdDomainClass *klass;

  g_return_if_fail (VMD_IS_DOMAIN (self));
  klass = VMD_DOMAIN_GET_CLASS (self);
  if (klass->get_guest_interfaces_async == NULL)
    report_unsupported (self, callback, user_data, vmd_domain_get_guest_interfaces_async);
  else
    klass->get_guest_interfaces_async (self, cancellable, callback, user_data);
}

/**
 * vmd_domain_get_guest_interfaces_finish:
 *
 * Returns: (transfer container) (element-type VmdGuestInterface): the
 *   interfaces, or %NULL with @error set
 */
GPtrArray *
vmd_domain_get_guest_interfaces_finish (VmdDomain     *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
vmd_domain_open_display_async (VmdDomain           *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  VmdDomainClass *klass;

  g_return_if_fail (VMD_IS_DOMAIN (self));
  klass = VMD_DOMAIN_GET_CLASS (self);
  if (klass->open_display_async == NULL)
    report_unsupported (self, callback, user_data, vmd_domain_open_display_async);
  else
    klass->open_display_async (self, cancellable, callback, user_data);
}

/**
 * vmd_domain_open_display_finish:
 * @protocol: (out) (optional): "vnc" or "spice"
 *
 * Returns: (transfer full): a socket connected to the VM's display server
 */
GSocket *
vmd_domain_open_display_finish (VmdDomain     *self,
                                GAsyncResult  *result,
                                char         **protocol,
                                GError       **error)
{
  GSocket *socket;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  socket = g_task_propagate_pointer (G_TASK (result), error);
  if (socket != NULL && protocol != NULL)
    *protocol = g_strdup (g_object_get_data (G_OBJECT (socket), "vmd-display-protocol"));
  return socket;
}

/**
 * vmd_domain_display_connected:
 *
 * Tells the engine that a display socket from
 * vmd_domain_open_display_async() finished its handshake (gtk-vnc's
 * "vnc-initialized", spice-gtk's display channel). A start with
 * %VMD_START_ATTACH_DISPLAY holds the guest's CPUs until then, for a
 * limited time, so that the handshake does not compete with the guest.
 */
void
vmd_domain_display_connected (VmdDomain *self)
{
  VmdDomainClass *klass;

  g_return_if_fail (VMD_IS_DOMAIN (self));
  klass = VMD_DOMAIN_GET_CLASS (self);
  if (klass->display_connected != NULL)
    klass->display_connected (self);
}

void
vmd_domain_open_serial_async (VmdDomain           *self,
                              const char          *name,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  VmdDomainClass *klass;

  g_return_if_fail (VMD_IS_DOMAIN (self));
  klass = VMD_DOMAIN_GET_CLASS (self);
  if (klass->open_serial_async == NULL)
    report_unsupported (self, callback, user_data, vmd_domain_open_serial_async);
  else
    klass->open_serial_async (self, name, cancellable, callback, user_data);
}

/**
 * vmd_domain_open_serial_finish:
 *
 * Returns: (transfer full): a stream to the serial port or console
 */
GIOStream *
vmd_domain_open_serial_finish (VmdDomain     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
