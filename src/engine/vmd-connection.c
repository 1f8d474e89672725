/* vmd-connection.c: a place where virtual machines live
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The embedded QEMU engine and libvirt implement this class; the UI and the
 * CLI only ever talk to it. The base class keeps the list of domains and
 * emits domain-added/domain-removed as engines report them.
 */
#define G_LOG_DOMAIN "vmdesk-engine"

#include <glib/gi18n-lib.h>

#include "vmd-connection.h"
#include "vmd-stats.h"

typedef struct
{
  GPtrArray *domains;
  gboolean   open;
} VmdConnectionPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (VmdConnection, vmd_connection, G_TYPE_OBJECT)

enum {
  DOMAIN_ADDED,
  DOMAIN_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
vmd_connection_finalize (GObject *object)
{
  VmdConnection *self = VMD_CONNECTION (object);
  VmdConnectionPrivate *priv = vmd_connection_get_instance_private (self);

  g_clear_pointer (&priv->domains, g_ptr_array_unref);

  G_OBJECT_CLASS (vmd_connection_parent_class)->finalize (object);
}

static void
vmd_connection_class_init (VmdConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vmd_connection_finalize;

  signals[DOMAIN_ADDED] =
    g_signal_new ("domain-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, VMD_TYPE_DOMAIN);
  signals[DOMAIN_REMOVED] =
    g_signal_new ("domain-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, VMD_TYPE_DOMAIN);
}

static void
vmd_connection_init (VmdConnection *self)
{
  VmdConnectionPrivate *priv = vmd_connection_get_instance_private (self);

  priv->domains = g_ptr_array_new_with_free_func (g_object_unref);
}

const char *
vmd_connection_get_uri (VmdConnection *self)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), NULL);
  return VMD_CONNECTION_GET_CLASS (self)->get_uri (self);
}

/**
 * vmd_connection_get_description:
 *
 * Returns: (transfer full): how the list names this connection, such as
 *   "QEMU/KVM on this computer"
 */
char *
vmd_connection_get_description (VmdConnection *self)
{
  VmdConnectionClass *klass;

  g_return_val_if_fail (VMD_IS_CONNECTION (self), NULL);
  klass = VMD_CONNECTION_GET_CLASS (self);
  if (klass->get_description == NULL)
    return g_strdup (vmd_connection_get_uri (self));
  return klass->get_description (self);
}

VmdConnectionFeatures
vmd_connection_get_features (VmdConnection *self)
{
  VmdConnectionClass *klass;

  g_return_val_if_fail (VMD_IS_CONNECTION (self), VMD_CONNECTION_FEATURE_NONE);
  klass = VMD_CONNECTION_GET_CLASS (self);
  return klass->get_features ? klass->get_features (self) : VMD_CONNECTION_FEATURE_NONE;
}

gboolean
vmd_connection_has_feature (VmdConnection *self, VmdConnectionFeatures feature)
{
  return (vmd_connection_get_features (self) & feature) == feature;
}

gboolean
vmd_connection_is_open (VmdConnection *self)
{
  VmdConnectionPrivate *priv = vmd_connection_get_instance_private (self);

  g_return_val_if_fail (VMD_IS_CONNECTION (self), FALSE);
  return priv->open;
}

/**
 * vmd_connection_list_domains:
 *
 * Returns: (transfer container) (element-type VmdDomain): the known domains
 */
GPtrArray *
vmd_connection_list_domains (VmdConnection *self)
{
  VmdConnectionPrivate *priv = vmd_connection_get_instance_private (self);
  GPtrArray *ret;

  g_return_val_if_fail (VMD_IS_CONNECTION (self), NULL);
  ret = g_ptr_array_new_full (priv->domains->len, g_object_unref);
  for (guint i = 0; i < priv->domains->len; i++)
    g_ptr_array_add (ret, g_object_ref (g_ptr_array_index (priv->domains, i)));
  return ret;
}

/**
 * vmd_connection_lookup_domain:
 *
 * Returns: (transfer none) (nullable): the domain with that name or UUID
 */
VmdDomain *
vmd_connection_lookup_domain (VmdConnection *self, const char *name_or_uuid)
{
  VmdConnectionPrivate *priv = vmd_connection_get_instance_private (self);

  g_return_val_if_fail (VMD_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (name_or_uuid != NULL, NULL);

  for (guint i = 0; i < priv->domains->len; i++)
    {
      VmdDomain *domain = g_ptr_array_index (priv->domains, i);
      if (g_strcmp0 (vmd_domain_get_name (domain), name_or_uuid) == 0)
        return domain;
    }
  for (guint i = 0; i < priv->domains->len; i++)
    {
      VmdDomain *domain = g_ptr_array_index (priv->domains, i);
      if (g_ascii_strcasecmp (vmd_domain_get_uuid (domain) ? vmd_domain_get_uuid (domain) : "",
                              name_or_uuid) == 0)
        return domain;
    }
  return NULL;
}

void
vmd_connection_add_domain (VmdConnection *self, VmdDomain *domain)
{
  VmdConnectionPrivate *priv = vmd_connection_get_instance_private (self);

  g_ptr_array_add (priv->domains, g_object_ref (domain));
  g_signal_emit (self, signals[DOMAIN_ADDED], 0, domain);
}

void
vmd_connection_remove_domain (VmdConnection *self, VmdDomain *domain)
{
  VmdConnectionPrivate *priv = vmd_connection_get_instance_private (self);
  g_autoptr (VmdDomain) hold = g_object_ref (domain);

  if (g_ptr_array_remove (priv->domains, domain))
    g_signal_emit (self, signals[DOMAIN_REMOVED], 0, domain);
}

void
vmd_connection_set_open (VmdConnection *self, gboolean open)
{
  VmdConnectionPrivate *priv = vmd_connection_get_instance_private (self);

  priv->open = open;
}

/* ---------------------------------------------------------------- operations */

static gboolean
report_if_unsupported (VmdConnection *self, gpointer vfunc, GAsyncReadyCallback callback,
                       gpointer user_data, gpointer tag)
{
  if (vfunc != NULL)
    return FALSE;
  g_task_report_new_error (self, callback, user_data, tag, VMD_ENGINE_ERROR,
                           VMD_ENGINE_ERROR_UNSUPPORTED,
                           _("This connection cannot do that."));
  return TRUE;
}

static gboolean
finish_if_reported (GAsyncResult *result, gpointer tag, GError **error)
{
  return g_async_result_is_tagged (result, tag) &&
         !g_task_propagate_boolean (G_TASK (result), error);
}

void
vmd_connection_open_async (VmdConnection       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (VMD_IS_CONNECTION (self));
  VMD_CONNECTION_GET_CLASS (self)->open_async (self, cancellable, callback, user_data);
}

gboolean
vmd_connection_open_finish (VmdConnection *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), FALSE);
  return VMD_CONNECTION_GET_CLASS (self)->open_finish (self, result, error);
}

void
vmd_connection_define_async (VmdConnection       *self,
                             VmdDomainConfig     *config,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  VmdConnectionClass *klass;

  g_return_if_fail (VMD_IS_CONNECTION (self));
  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (config));
  klass = VMD_CONNECTION_GET_CLASS (self);
  if (!report_if_unsupported (self, klass->define_async, callback, user_data,
                              vmd_connection_define_async))
    klass->define_async (self, config, cancellable, callback, user_data);
}

/**
 * vmd_connection_define_finish:
 *
 * Returns: (transfer full): the new, or updated, domain
 */
VmdDomain *
vmd_connection_define_finish (VmdConnection *self, GAsyncResult *result, GError **error)
{
  if (finish_if_reported (result, vmd_connection_define_async, error))
    return NULL;
  return VMD_CONNECTION_GET_CLASS (self)->define_finish (self, result, error);
}

void
vmd_connection_clone_async (VmdConnection       *self,
                            VmdDomain           *source,
                            const char          *new_name,
                            gboolean             linked,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  VmdConnectionClass *klass;

  g_return_if_fail (VMD_IS_CONNECTION (self));
  klass = VMD_CONNECTION_GET_CLASS (self);
  if (!report_if_unsupported (self, klass->clone_async, callback, user_data,
                              vmd_connection_clone_async))
    klass->clone_async (self, source, new_name, linked, NULL, cancellable, callback, user_data);
}

void
vmd_connection_clone_disks_async (VmdConnection       *self,
                                  VmdDomain           *source,
                                  const char          *new_name,
                                  const char *const   *overlays,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  VmdConnectionClass *klass;

  g_return_if_fail (VMD_IS_CONNECTION (self));
  klass = VMD_CONNECTION_GET_CLASS (self);
  if (!report_if_unsupported (self, klass->clone_async, callback, user_data,
                              vmd_connection_clone_async))
    klass->clone_async (self, source, new_name, FALSE, overlays, cancellable, callback,
                        user_data);
}

VmdDomain *
vmd_connection_clone_finish (VmdConnection *self, GAsyncResult *result, GError **error)
{
  if (finish_if_reported (result, vmd_connection_clone_async, error))
    return NULL;
  return VMD_CONNECTION_GET_CLASS (self)->clone_finish (self, result, error);
}

void
vmd_connection_restore_async (VmdConnection       *self,
                              const char          *path,
                              VmdStartFlags        flags,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  VmdConnectionClass *klass;

  g_return_if_fail (VMD_IS_CONNECTION (self));
  klass = VMD_CONNECTION_GET_CLASS (self);
  if (!report_if_unsupported (self, klass->restore_async, callback, user_data,
                              vmd_connection_restore_async))
    klass->restore_async (self, path, flags, cancellable, callback, user_data);
}

VmdDomain *
vmd_connection_restore_finish (VmdConnection *self, GAsyncResult *result, GError **error)
{
  if (finish_if_reported (result, vmd_connection_restore_async, error))
    return NULL;
  return VMD_CONNECTION_GET_CLASS (self)->restore_finish (self, result, error);
}

void
vmd_connection_collect_stats_async (VmdConnection       *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  vmd_connection_collect_stats_full_async (self, VMD_STATS_FIELD_ALL, NULL, cancellable,
                                           callback, user_data);
}

/**
 * vmd_connection_collect_stats_full_async:
 * @fields: what to read; the rest of each sample stays -1
 * @uuids: (nullable): the VMs to sample (those of them that run), or
 *   %NULL for every running VM
 *
 * One stats pass; finish with vmd_connection_collect_stats_finish().
 */
void
vmd_connection_collect_stats_full_async (VmdConnection       *self,
                                         VmdStatsFields       fields,
                                         const char *const   *uuids,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  VmdConnectionClass *klass;

  g_return_if_fail (VMD_IS_CONNECTION (self));
  klass = VMD_CONNECTION_GET_CLASS (self);
  if (!report_if_unsupported (self, klass->collect_stats_async, callback, user_data,
                              vmd_connection_collect_stats_async))
    klass->collect_stats_async (self, fields, uuids, cancellable, callback, user_data);
}

/**
 * vmd_connection_collect_stats_finish:
 *
 * Returns: (transfer full) (element-type VmdStats): one sample per running VM
 */
GPtrArray *
vmd_connection_collect_stats_finish (VmdConnection *self, GAsyncResult *result, GError **error)
{
  if (finish_if_reported (result, vmd_connection_collect_stats_async, error))
    return NULL;
  return VMD_CONNECTION_GET_CLASS (self)->collect_stats_finish (self, result, error);
}
