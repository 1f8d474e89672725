/* vmd-size.h: sizes with units, as libvirt writes them
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean vmd_size_to_kib    (guint64      value,
                             const char  *unit,
                             guint64     *kib,
                             GError     **error);
gboolean vmd_size_to_bytes  (guint64      value,
                             const char  *unit,
                             guint64     *bytes,
                             GError     **error);
gboolean vmd_size_parse     (const char  *text,
                             const char  *default_unit,
                             guint64     *kib,
                             GError     **error);
char    *vmd_size_format    (guint64      kib);

G_END_DECLS
