/* vmd-qmp-client.c: an asynchronous QMP client (QEMU's JSON monitor)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-qmp"

#include "vmd-qmp-client.h"

G_DEFINE_QUARK (vmd-qmp-error-quark, vmd_qmp_error)
