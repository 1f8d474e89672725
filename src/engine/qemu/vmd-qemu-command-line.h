/* vmd-qemu-command-line.h: what the embedded engine would run, for
 * showing it: the QEMU command line of a definition, the CPU models a
 * QEMU offers
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vmd-domain-config.h"
#include "vmd-qemu-connection.h"

G_BEGIN_DECLS

/* The command line @connection starts @config with (as `vmdesk-cli
 * qemu-argv` prints it): validated first, then built with the
 * connection's QEMU binary and runtime folder. No process, no I/O. */
char  *vmd_qemu_connection_get_command_line (VmdQemuConnection   *connection,
                                             VmdDomainConfig     *config,
                                             GError             **error);

/* The CPU models `QEMU -cpu help` lists (names only, sorted, without
 * "host", "max", "base"), from a thread; the answer is cached per binary
 * for the life of the process. @qemu_binary: NULL for
 * qemu-system-x86_64 from PATH. */
void   vmd_qemu_list_cpu_models_async       (const char          *qemu_binary,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GStrv  vmd_qemu_list_cpu_models_finish      (GAsyncResult        *result,
                                             GError             **error);

G_END_DECLS
