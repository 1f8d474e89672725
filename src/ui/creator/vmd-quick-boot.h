/* vmd-quick-boot.h: run an ISO or a disk image at once, in a throwaway VM
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The VM gets the detected OS's defaults (libosinfo), KVM where it works,
 * and the vmdesk metadata <vmdesk:quick-boot>: when it shuts down, the
 * install watcher undefines it and deletes the overlay image a disk image
 * ran on (the image itself is never written), unless the user kept it
 * with vmd_quick_boot_keep ().
 */
#pragma once

#include <gio/gio.h>

#include "vmd-connection.h"

G_BEGIN_DECLS

void       vmd_quick_boot_async       (VmdConnection       *connection,
                                       GFile               *file,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
VmdDomain *vmd_quick_boot_finish      (VmdConnection       *connection,
                                       GAsyncResult        *result,
                                       GError             **error);

gboolean   vmd_quick_boot_is_throwaway (VmdDomain          *domain);

/* Keeps a Quick boot VM: it is no longer discarded on shutdown. */
void       vmd_quick_boot_keep_async  (VmdDomain           *domain,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean   vmd_quick_boot_keep_finish (VmdDomain           *domain,
                                       GAsyncResult        *result,
                                       GError             **error);

G_END_DECLS
