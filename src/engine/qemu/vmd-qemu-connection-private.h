/* vmd-qemu-connection-private.h: what the embedded engine's files share
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-qemu-connection.h"

G_BEGIN_DECLS

void     _vmd_qemu_connection_write_definition  (VmdQemuConnection   *self,
                                                 VmdDomainConfig     *config,
                                                 const char          *path,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);

G_END_DECLS
