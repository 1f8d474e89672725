/* vmd-domain-config-private.h: shared by the files that make up VmdDomainConfig
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <libxml/tree.h>

#include "vmd-domain-config.h"

G_BEGIN_DECLS

xmlNodePtr _vmd_domain_config_get_root      (VmdDomainConfig *self);
xmlNodePtr _vmd_domain_config_get_devices_node (VmdDomainConfig *self,
                                                gboolean         create);
void       _vmd_domain_config_changed       (VmdDomainConfig *self);
void       _vmd_domain_config_forget_device (VmdDomainConfig *self,
                                             xmlNodePtr       node);

gboolean   _vmd_lifecycle_action_is_valid   (VmdLifecycleEvent event,
                                             const char       *action);

G_END_DECLS
