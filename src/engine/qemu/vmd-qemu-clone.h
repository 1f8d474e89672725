/* vmd-qemu-clone.h: a new VM made from another
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-connection.h"

G_BEGIN_DECLS

void       vmd_qemu_clone_async  (VmdConnection        *connection,
                                  VmdDomain            *source,
                                  const char           *new_name,
                                  gboolean              linked,
                                  const char *const    *overlays,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
VmdDomain *vmd_qemu_clone_finish (VmdConnection        *connection,
                                  GAsyncResult         *result,
                                  GError              **error);

G_END_DECLS
