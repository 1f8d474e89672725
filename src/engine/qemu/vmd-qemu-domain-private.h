/* vmd-qemu-domain-private.h: shared by the files that make up VmdQemuDomain
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-qemu-domain.h"
#include "vmd-qmp-client.h"

G_BEGIN_DECLS

struct _VmdQemuDomain
{
  VmdDomain      parent_instance;

  char          *definition_path;
  char          *runtime_dir;    /* this VM's 0700 folder: sockets, pidfile */
  char          *log_path;       /* DATA_DIR/logs/UUID.log: starts and QEMU's stderr */
  char          *qemu_log_path;  /* DATA_DIR/logs/UUID-qemu.log: QEMU once running (-D),
                                  * which QEMU truncates at every start */
  GPid           pid;            /* the QEMU process, 0 when none */
  VmdQmpClient  *qmp;            /* connected while QEMU runs */
  GCancellable  *cancellable;    /* cancelled in dispose */

  /* What we learnt before QEMU went away, to tell why it went. */
  gboolean       shutdown_seen;
  gboolean       shutdown_by_guest;
  gboolean       destroying;
  gboolean       rebooting;
  gboolean       saving;
  guint          kill_source;
  GPtrArray     *waiters;        /* GTasks completing when QEMU is gone */
  GPtrArray     *snapshots;      /* VmdSnapshot, oldest first */
  GArray        *old_helpers;    /* swtpm/virtiofsd PIDs told to go when QEMU went */
  GSocket       *early_display;  /* attached before the CPUs ran, not yet handed out */
  guint          early_display_timeout;
  GTask         *held_start;     /* a start whose CPUs wait for the display's handshake */
};

/* vmd-qemu-domain-live.c */
void     _vmd_qemu_domain_attach_early_display_async  (VmdQemuDomain       *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean _vmd_qemu_domain_attach_early_display_finish (VmdQemuDomain       *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
void     _vmd_qemu_domain_drop_early_display          (VmdQemuDomain       *self);

/* vmd-qemu-domain-lifecycle.c */
void     _vmd_qemu_domain_display_connected           (VmdDomain           *domain);

/* vmd-qemu-domain.c */
VmdQemuConnection *_vmd_qemu_domain_get_connection (VmdQemuDomain *self);
gboolean           _vmd_qemu_domain_check_running  (VmdQemuDomain *self,
                                                    GError       **error);
void               _vmd_qemu_domain_qmp_async      (VmdQemuDomain *self,
                                                    const char    *command,
                                                    JsonNode      *arguments,
                                                    GTask         *task);
void               _vmd_qemu_domain_wait_gone      (VmdQemuDomain *self,
                                                    GTask         *task);
void               _vmd_qemu_domain_connect_monitor (VmdQemuDomain     *self,
                                                     gboolean           refresh,
                                                     GCancellable      *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer           user_data);
char              *_vmd_qemu_read_log               (const char    *path,
                                                    gint64         offset,
                                                    gsize          max_bytes);
char              *_vmd_qemu_domain_data_path      (VmdQemuDomain *self,
                                                    const char    *kind,
                                                    const char    *suffix);

/* vmd-qemu-domain-lifecycle.c */
void _vmd_qemu_domain_start_full     (VmdQemuDomain *self, VmdStartFlags flags, int incoming_fd,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data);
void _vmd_qemu_domain_start_async    (VmdDomain *domain, VmdStartFlags flags,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data);
void _vmd_qemu_domain_shutdown_async (VmdDomain *domain, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
void _vmd_qemu_domain_reboot_async   (VmdDomain *domain, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
void _vmd_qemu_domain_reset_async    (VmdDomain *domain, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
void _vmd_qemu_domain_destroy_async  (VmdDomain *domain, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
void _vmd_qemu_domain_suspend_async  (VmdDomain *domain, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
void _vmd_qemu_domain_resume_async   (VmdDomain *domain, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
void _vmd_qemu_domain_attach_qmp     (VmdQemuDomain *self, VmdQmpClient *qmp,
                                      gboolean refresh);

/* vmd-qemu-domain-define.c */
void _vmd_qemu_domain_set_config_async (VmdDomain *domain, VmdDomainConfig *config,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
void _vmd_qemu_domain_rename_async     (VmdDomain *domain, const char *new_name,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
void _vmd_qemu_domain_undefine_async   (VmdDomain *domain, gboolean remove_storage,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
gboolean _vmd_qemu_domain_get_autostart (VmdDomain *domain);
gboolean _vmd_qemu_domain_set_autostart (VmdDomain *domain, gboolean autostart, GError **error);
GPtrArray *_vmd_qemu_domain_disk_images (VmdDomainConfig *config, gboolean owned_only);

/* vmd-qemu-domain-live.c */
void _vmd_qemu_domain_open_display_async (VmdDomain *domain, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
void _vmd_qemu_domain_open_serial_async  (VmdDomain *domain, const char *name,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
void _vmd_qemu_domain_screenshot_async   (VmdDomain *domain, const char *path,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
void _vmd_qemu_domain_send_keys_async    (VmdDomain *domain, const char *const *keys,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
void _vmd_qemu_domain_set_memory_async   (VmdDomain *domain, guint64 kib,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);

/* vmd-qemu-domain-devices.c */
void _vmd_qemu_domain_change_media_async (VmdDomain *domain, const char *target, const char *path,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);

void _vmd_qemu_domain_attach_device_async (VmdDomain *domain, VmdDevice *device,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data);
void _vmd_qemu_domain_detach_device_async (VmdDomain *domain, VmdDevice *device,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data);
/* Saves @config as the definition of @task's domain, then returns TRUE
 * or the error through @task. */
void _vmd_qemu_domain_save_then_return (GTask *task, VmdDomainConfig *config);

/* vmd-qemu-guest-agent.c */
void _vmd_qemu_domain_get_guest_interfaces_async (VmdDomain *domain, GCancellable *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer user_data);

/* vmd-qemu-domain-link.c */
void _vmd_qemu_domain_set_link_async (VmdDomain *domain, const char *mac, gboolean up,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);

/* vmd-qemu-domain-save.c */
void     _vmd_qemu_domain_save_async    (VmdDomain *domain, const char *path,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);
void     _vmd_qemu_domain_restore_async (VmdDomain *domain, const char *path, VmdStartFlags flags,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);
gboolean _vmd_qemu_save_read_header     (int fd, char **uuid, char **xml, gint64 *data_offset,
                                         GError **error);
void     _vmd_qemu_save_open_async      (gpointer source, const char *path,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);
gboolean _vmd_qemu_save_open_finish     (GAsyncResult *result, int *fd, char **uuid, char **xml,
                                         GError **error);

/* vmd-qemu-domain-snapshots.c */
void       _vmd_qemu_domain_load_snapshots        (VmdQemuDomain *self, const char *json);
GPtrArray *_vmd_qemu_domain_list_snapshots        (VmdDomain *domain);
void       _vmd_qemu_domain_snapshot_create_async (VmdDomain *domain, const char *name,
                                                   const char *description,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer user_data);
void       _vmd_qemu_domain_snapshot_revert_async (VmdDomain *domain, const char *name,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer user_data);
void       _vmd_qemu_domain_snapshot_delete_async (VmdDomain *domain, const char *name,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer user_data);

G_END_DECLS
