/* vmd-unattended.h: unattended installation with libosinfo's install scripts
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  char *login;
  char *password;      /* the user's, and the administrator's */
  char *timezone;      /* e.g. Europe/Paris; NULL: UTC */
  char *target_disk;   /* e.g. /dev/vda, or NULL for the script's default */
} VmdUnattendedUser;

/* Writes DIR/NAME-unattended-vmlinuz and DIR/NAME-unattended-initrd: the
 * ISO's installer kernel, and its initrd with the install script libosinfo
 * generated for @user appended; returns them and the kernel command line
 * the script wants. */
void     vmd_unattended_prepare_async  (const char              *iso,
                                        const char              *dir,
                                        const char              *name,
                                        const VmdUnattendedUser *user,
                                        GCancellable            *cancellable,
                                        GAsyncReadyCallback      callback,
                                        gpointer                 user_data);
gboolean vmd_unattended_prepare_finish (GAsyncResult            *result,
                                        char                   **kernel,
                                        char                   **initrd,
                                        char                   **cmdline,
                                        GError                 **error);

/* vmd-osinfo.c: the shared libosinfo database and its lock (NULL and
 * unlocked on error). */
typedef struct _OsinfoDb OsinfoDb;
OsinfoDb *_vmd_osinfo_lock_db   (GError **error);
void      _vmd_osinfo_unlock_db (void);

G_END_DECLS
