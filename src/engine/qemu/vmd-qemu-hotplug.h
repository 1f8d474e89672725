/* vmd-qemu-hotplug.h: adding and removing devices of a running VM
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-qemu-domain.h"

G_BEGIN_DECLS

gboolean _vmd_qemu_hotplug_plan_attach (VmdQemuDomain    *self,
                                        VmdDevice        *device,
                                        VmdDomainConfig **new_config,
                                        GPtrArray       **commands,
                                        GError          **error);
gboolean _vmd_qemu_hotplug_plan_detach (VmdQemuDomain    *self,
                                        VmdDevice        *device,
                                        VmdDomainConfig **new_config,
                                        char            **device_id,
                                        GPtrArray       **backends,
                                        GError          **error);

G_END_DECLS
