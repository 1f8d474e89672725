/* vmd-domain-config-metadata.h: vmdesk's own keys in a definition's
 * <metadata> (besides the tags), e.g. the New VM assistant's install marker
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-domain-config.h"

G_BEGIN_DECLS

/* <metadata><vmdesk:KEY xmlns:vmdesk='https://vmdesk.org/xmlns/1'>VALUE</vmdesk:KEY>,
 * KEY being an XML name other than "tags". */
char    *vmd_domain_config_get_vmdesk_value (VmdDomainConfig *self,
                                             const char      *key);
void     vmd_domain_config_set_vmdesk_value (VmdDomainConfig *self,
                                             const char      *key,
                                             const char      *value);

G_END_DECLS
