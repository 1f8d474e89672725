/* vmd-qemu-argv.c: a domain definition turned into a QEMU command line
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-argv"

#include "vmd-qemu-argv.h"

G_DEFINE_QUARK (vmd-argv-error-quark, vmd_argv_error)
