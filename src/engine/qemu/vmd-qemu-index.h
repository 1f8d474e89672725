/* vmd-qemu-index.h: what each definition file holds, without parsing it
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-model.h"

G_BEGIN_DECLS

/* One definition file of DATA/domains, as a list shows it. */
typedef struct {
  char    *file;      /* its name in the folder, such as UUID.xml */
  char    *name;      /* (nullable) <name>, <uuid> and <title> as the model reads them */
  char    *uuid;      /* (nullable) */
  char    *title;     /* (nullable) */

  /* The file when it was read: a cached entry is used only while all four
   * still match. */
  gint64   mtime_us;
  gint64   ctime_us;
  gint64   size;
  guint64  inode;
  gboolean remember;  /* FALSE: changed too recently to trust its stat */
} VmdQemuIndexEntry;

void              _vmd_qemu_index_entry_free      (VmdQemuIndexEntry *entry);
GPtrArray        *_vmd_qemu_index_scan            (const char        *domains_dir,
                                                   GError           **error);
VmdDomainConfig  *_vmd_qemu_index_entry_to_config (VmdQemuIndexEntry *entry,
                                                   GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdQemuIndexEntry, _vmd_qemu_index_entry_free)

G_END_DECLS
