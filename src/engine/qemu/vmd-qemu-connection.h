/* vmd-qemu-connection.h: the embedded engine, running QEMU itself
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-connection.h"

G_BEGIN_DECLS

/**
 * VmdQemuLoadMode:
 * @VMD_QEMU_LOAD_FULL: every definition is parsed
 * @VMD_QEMU_LOAD_SUMMARY: for listing only: partial domains from the index
 *   of definitions (see vmd_qemu_connection_set_load_mode())
 */
typedef enum {
  VMD_QEMU_LOAD_FULL,
  VMD_QEMU_LOAD_SUMMARY,
} VmdQemuLoadMode;

#define VMD_TYPE_QEMU_CONNECTION (vmd_qemu_connection_get_type ())
G_DECLARE_FINAL_TYPE (VmdQemuConnection, vmd_qemu_connection, VMD, QEMU_CONNECTION, VmdConnection)

VmdQemuConnection *vmd_qemu_connection_new              (const char        *data_dir,
                                                         const char        *runtime_dir);
void               vmd_qemu_connection_set_load_mode    (VmdQemuConnection *self,
                                                         VmdQemuLoadMode    mode);
VmdQemuLoadMode    vmd_qemu_connection_get_load_mode    (VmdQemuConnection *self);
const char        *vmd_qemu_connection_get_data_dir     (VmdQemuConnection *self);
const char        *vmd_qemu_connection_get_runtime_dir  (VmdQemuConnection *self);
const char        *vmd_qemu_connection_get_images_dir   (VmdQemuConnection *self);
char              *vmd_qemu_connection_get_qemu_binary  (VmdQemuConnection *self);

G_END_DECLS
