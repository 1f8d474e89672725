/* vmd-qemu-stats.h: one pass over every running VM of the embedded engine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-connection.h"

G_BEGIN_DECLS

void       vmd_qemu_stats_collect_async  (VmdConnection        *connection,
                                          VmdStatsFields        fields,
                                          const char *const    *uuids,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
GPtrArray *vmd_qemu_stats_collect_finish (VmdConnection        *connection,
                                          GAsyncResult         *result,
                                          GError              **error);

G_END_DECLS
