/* vmd-perf-resources.h: this folder's templates
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Registers the resources once (a static library's constructor would be
 * dropped by the linker, so they are registered by hand). */
void vmd_perf_ensure_resource (void);

G_END_DECLS
