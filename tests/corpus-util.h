/* corpus-util.h: finding and reading ../shared/corpus from tests
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *corpus_dir         (void);
GPtrArray  *corpus_list_xml    (const char *const *subdirs);
char       *corpus_canonical   (const char *xml,
                                gsize       len,
                                GError    **error);

G_END_DECLS
