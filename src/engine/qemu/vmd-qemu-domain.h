/* vmd-qemu-domain.h: a virtual machine of the embedded engine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-domain.h"
#include "vmd-qemu-connection.h"

G_BEGIN_DECLS

#define VMD_TYPE_QEMU_DOMAIN (vmd_qemu_domain_get_type ())
G_DECLARE_FINAL_TYPE (VmdQemuDomain, vmd_qemu_domain, VMD, QEMU_DOMAIN, VmdDomain)

VmdQemuDomain *vmd_qemu_domain_new            (VmdQemuConnection *connection,
                                               VmdDomainConfig   *config,
                                               const char        *definition_path);
const char    *vmd_qemu_domain_get_definition_path (VmdQemuDomain *self);
char          *vmd_qemu_domain_get_runtime_dir     (VmdQemuDomain *self);
GPid           vmd_qemu_domain_get_pid        (VmdQemuDomain     *self);
void           vmd_qemu_domain_attach_async   (VmdQemuDomain     *self,
                                               GCancellable      *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer           user_data);
gboolean       vmd_qemu_domain_attach_finish  (VmdQemuDomain     *self,
                                               GAsyncResult      *result,
                                               GError           **error);

G_END_DECLS
