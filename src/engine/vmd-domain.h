/* vmd-domain.h: a virtual machine on a connection
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vmd-domain-config.h"
#include "vmd-engine-types.h"
#include "vmd-guest-interface.h"
#include "vmd-snapshot.h"

G_BEGIN_DECLS

typedef struct _VmdConnection VmdConnection;

#define VMD_TYPE_DOMAIN (vmd_domain_get_type ())
G_DECLARE_DERIVABLE_TYPE (VmdDomain, vmd_domain, VMD, DOMAIN, GObject)

/* Every operation that can take time is an _async/_finish pair; engines
 * implement the vfuncs, callers use the wrappers below. A vfunc left NULL
 * makes its wrapper fail with VMD_ENGINE_ERROR_UNSUPPORTED. */
struct _VmdDomainClass
{
  GObjectClass parent_class;

#define VMD_DOMAIN_VFUNC(name, ...) \
  void (*name##_async) (VmdDomain *self, ##__VA_ARGS__, GCancellable *cancellable, \
                        GAsyncReadyCallback callback, gpointer user_data)
  VMD_DOMAIN_VFUNC (start, VmdStartFlags flags);
  VMD_DOMAIN_VFUNC (shutdown);
  VMD_DOMAIN_VFUNC (reboot);
  VMD_DOMAIN_VFUNC (reset);
  VMD_DOMAIN_VFUNC (destroy);
  VMD_DOMAIN_VFUNC (suspend);
  VMD_DOMAIN_VFUNC (resume);
  VMD_DOMAIN_VFUNC (save, const char *path);
  VMD_DOMAIN_VFUNC (restore, const char *path, VmdStartFlags flags);
  VMD_DOMAIN_VFUNC (set_config, VmdDomainConfig *config);
  VMD_DOMAIN_VFUNC (undefine, gboolean remove_storage);
  VMD_DOMAIN_VFUNC (rename, const char *new_name);
  VMD_DOMAIN_VFUNC (snapshot_create, const char *name, const char *description);
  VMD_DOMAIN_VFUNC (snapshot_revert, const char *name);
  VMD_DOMAIN_VFUNC (snapshot_delete, const char *name);
  VMD_DOMAIN_VFUNC (change_media, const char *target, const char *path);
  VMD_DOMAIN_VFUNC (set_memory, guint64 kib);
  VMD_DOMAIN_VFUNC (send_keys, const char *const *keys);
  VMD_DOMAIN_VFUNC (screenshot, const char *path);
  VMD_DOMAIN_VFUNC (attach_device, VmdDevice *device);
  VMD_DOMAIN_VFUNC (detach_device, VmdDevice *device);
  VMD_DOMAIN_VFUNC (open_display);
  VMD_DOMAIN_VFUNC (open_serial, const char *name);
#undef VMD_DOMAIN_VFUNC

  GPtrArray *(*list_snapshots) (VmdDomain *self);
  gboolean   (*get_autostart)  (VmdDomain *self);
  gboolean   (*set_autostart)  (VmdDomain *self, gboolean autostart, GError **error);
  char      *(*get_log_tail)   (VmdDomain *self, gsize max_bytes);

  /* The link of the NIC with MAC address @mac up or down (live and in the
   * definition). */
  void       (*set_link_async) (VmdDomain *self, const char *mac, gboolean up,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data);
  /* The guest's network interfaces, from its agent; finish returns a
   * GPtrArray of VmdGuestInterface. */
  void       (*get_guest_interfaces_async) (VmdDomain *self, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);

  /* The display socket open_display handed out finished its handshake. */
  void       (*display_connected) (VmdDomain *self);

  gpointer padding[13];
};

VmdConnection   *vmd_domain_get_connection     (VmdDomain        *self);
VmdDomainConfig *vmd_domain_get_config         (VmdDomain        *self);
const char      *vmd_domain_get_name           (VmdDomain        *self);
const char      *vmd_domain_get_uuid           (VmdDomain        *self);
char            *vmd_domain_get_title          (VmdDomain        *self);
VmdDomainState   vmd_domain_get_state          (VmdDomain        *self);
VmdStateReason   vmd_domain_get_state_reason   (VmdDomain        *self);
gboolean         vmd_domain_is_active          (VmdDomain        *self);
gboolean         vmd_domain_get_autostart      (VmdDomain        *self);
gboolean         vmd_domain_set_autostart      (VmdDomain        *self,
                                                gboolean          autostart,
                                                GError          **error);
GPtrArray       *vmd_domain_list_snapshots     (VmdDomain        *self);
char            *vmd_domain_get_log_tail       (VmdDomain        *self,
                                                gsize             max_bytes);
const char      *vmd_domain_get_error_message  (VmdDomain        *self);

#define VMD_DOMAIN_OP(name, ...) \
  void     vmd_domain_##name##_async  (VmdDomain *self, ##__VA_ARGS__, GCancellable *cancellable, \
                                       GAsyncReadyCallback callback, gpointer user_data); \
  gboolean vmd_domain_##name##_finish (VmdDomain *self, GAsyncResult *result, GError **error)
VMD_DOMAIN_OP (start, VmdStartFlags flags);
VMD_DOMAIN_OP (shutdown);
VMD_DOMAIN_OP (reboot);
VMD_DOMAIN_OP (reset);
VMD_DOMAIN_OP (destroy);
VMD_DOMAIN_OP (suspend);
VMD_DOMAIN_OP (resume);
VMD_DOMAIN_OP (save, const char *path);
VMD_DOMAIN_OP (restore, const char *path, VmdStartFlags flags);
VMD_DOMAIN_OP (set_config, VmdDomainConfig *config);
VMD_DOMAIN_OP (undefine, gboolean remove_storage);
VMD_DOMAIN_OP (rename, const char *new_name);
VMD_DOMAIN_OP (snapshot_create, const char *name, const char *description);
VMD_DOMAIN_OP (snapshot_revert, const char *name);
VMD_DOMAIN_OP (snapshot_delete, const char *name);
VMD_DOMAIN_OP (change_media, const char *target, const char *path);
VMD_DOMAIN_OP (set_memory, guint64 kib);
VMD_DOMAIN_OP (send_keys, const char *const *keys);
VMD_DOMAIN_OP (screenshot, const char *path);
VMD_DOMAIN_OP (attach_device, VmdDevice *device);
VMD_DOMAIN_OP (detach_device, VmdDevice *device);
VMD_DOMAIN_OP (set_link, const char *mac, gboolean up);
#undef VMD_DOMAIN_OP

void       vmd_domain_open_display_async  (VmdDomain           *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GSocket   *vmd_domain_open_display_finish (VmdDomain           *self,
                                           GAsyncResult        *result,
                                           char               **protocol,
                                           GError             **error);
void       vmd_domain_display_connected   (VmdDomain           *self);
void       vmd_domain_open_serial_async   (VmdDomain           *self,
                                           const char          *name,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GIOStream *vmd_domain_open_serial_finish  (VmdDomain           *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* The guest's network interfaces as its agent reports them (a running VM
 * with a guest agent channel and an agent answering in the guest). */
void       vmd_domain_get_guest_interfaces_async  (VmdDomain           *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray *vmd_domain_get_guest_interfaces_finish (VmdDomain           *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* For engines */
void       vmd_domain_set_state           (VmdDomain           *self,
                                           VmdDomainState       state,
                                           VmdStateReason       reason);
void       vmd_domain_set_error_message   (VmdDomain           *self,
                                           const char          *message);
void       vmd_domain_replace_config      (VmdDomain           *self,
                                           VmdDomainConfig     *config);
void       vmd_domain_emit_event          (VmdDomain           *self,
                                           const char          *name,
                                           const char          *detail);

G_END_DECLS
