/* vmd-connection.h: a place where virtual machines live
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vmd-domain.h"
#include "vmd-engine-types.h"
#include "vmd-stats.h"

G_BEGIN_DECLS

#define VMD_TYPE_CONNECTION (vmd_connection_get_type ())
G_DECLARE_DERIVABLE_TYPE (VmdConnection, vmd_connection, VMD, CONNECTION, GObject)

struct _VmdConnectionClass
{
  GObjectClass parent_class;

  void       (*open_async)       (VmdConnection        *self,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
  gboolean   (*open_finish)      (VmdConnection        *self,
                                  GAsyncResult         *result,
                                  GError              **error);
  void       (*define_async)     (VmdConnection        *self,
                                  VmdDomainConfig      *config,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
  VmdDomain *(*define_finish)    (VmdConnection        *self,
                                  GAsyncResult         *result,
                                  GError              **error);
  void       (*clone_async)      (VmdConnection        *self,
                                  VmdDomain            *source,
                                  const char           *new_name,
                                  gboolean              linked,
                                  const char *const    *overlays,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
  VmdDomain *(*clone_finish)     (VmdConnection        *self,
                                  GAsyncResult         *result,
                                  GError              **error);
  void       (*restore_async)    (VmdConnection        *self,
                                  const char           *path,
                                  VmdStartFlags         flags,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
  VmdDomain *(*restore_finish)   (VmdConnection        *self,
                                  GAsyncResult         *result,
                                  GError              **error);
  void       (*collect_stats_async)  (VmdConnection    *self,
                                      VmdStatsFields    fields,
                                      const char *const *uuids,
                                      GCancellable     *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer          user_data);
  GPtrArray *(*collect_stats_finish) (VmdConnection    *self,
                                      GAsyncResult     *result,
                                      GError          **error);
  VmdConnectionFeatures (*get_features) (VmdConnection *self);
  const char *(*get_uri)          (VmdConnection       *self);
  char       *(*get_description)  (VmdConnection       *self);

  gpointer padding[16];
};

const char            *vmd_connection_get_uri          (VmdConnection        *self);
char                  *vmd_connection_get_description  (VmdConnection        *self);
VmdConnectionFeatures  vmd_connection_get_features     (VmdConnection        *self);
gboolean               vmd_connection_has_feature      (VmdConnection        *self,
                                                        VmdConnectionFeatures feature);
gboolean               vmd_connection_is_open          (VmdConnection        *self);
GPtrArray             *vmd_connection_list_domains     (VmdConnection        *self);
VmdDomain             *vmd_connection_lookup_domain    (VmdConnection        *self,
                                                        const char           *name_or_uuid);

void                   vmd_connection_open_async       (VmdConnection        *self,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean               vmd_connection_open_finish      (VmdConnection        *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void                   vmd_connection_define_async     (VmdConnection        *self,
                                                        VmdDomainConfig      *config,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
VmdDomain             *vmd_connection_define_finish    (VmdConnection        *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void                   vmd_connection_clone_async      (VmdConnection        *self,
                                                        VmdDomain            *source,
                                                        const char           *new_name,
                                                        gboolean              linked,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
/* Each image of @overlays (source paths) becomes a qcow2 overlay on the
 * original, every other one a full copy. */
void                   vmd_connection_clone_disks_async (VmdConnection       *self,
                                                         VmdDomain           *source,
                                                         const char          *new_name,
                                                         const char *const   *overlays,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
VmdDomain             *vmd_connection_clone_finish     (VmdConnection        *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void                   vmd_connection_restore_async    (VmdConnection        *self,
                                                        const char           *path,
                                                        VmdStartFlags         flags,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
VmdDomain             *vmd_connection_restore_finish   (VmdConnection        *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void                   vmd_connection_collect_stats_async  (VmdConnection    *self,
                                                            GCancellable     *cancellable,
                                                            GAsyncReadyCallback callback,
                                                            gpointer          user_data);
/* Only @fields, only of the running VMs among @uuids (NULL: all of them). */
void                   vmd_connection_collect_stats_full_async (VmdConnection      *self,
                                                                VmdStatsFields      fields,
                                                                const char *const  *uuids,
                                                                GCancellable       *cancellable,
                                                                GAsyncReadyCallback callback,
                                                                gpointer            user_data);
GPtrArray             *vmd_connection_collect_stats_finish (VmdConnection    *self,
                                                            GAsyncResult     *result,
                                                            GError          **error);

/* For engines */
void                   vmd_connection_add_domain       (VmdConnection        *self,
                                                        VmdDomain            *domain);
void                   vmd_connection_remove_domain    (VmdConnection        *self,
                                                        VmdDomain            *domain);
void                   vmd_connection_set_open         (VmdConnection        *self,
                                                        gboolean              open);

G_END_DECLS
