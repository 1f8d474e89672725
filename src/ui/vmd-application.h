/* vmd-application.h: the vmdesk application
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vmd-connection.h"

G_BEGIN_DECLS

#define VMD_TYPE_APPLICATION (vmd_application_get_type ())
G_DECLARE_FINAL_TYPE (VmdApplication, vmd_application, VMD, APPLICATION, GtkApplication)

VmdApplication *vmd_application_new            (void);
VmdConnection  *vmd_application_get_connection (VmdApplication *self);
void            vmd_application_show_domain    (VmdApplication *self,
                                                VmdDomain      *domain);
void            vmd_application_show_domain_page (VmdApplication *self,
                                                  VmdDomain      *domain,
                                                  const char     *page);
void            vmd_application_show_creator   (VmdApplication *self);
void            vmd_application_show_host      (VmdApplication *self);
void            vmd_application_quick_boot     (VmdApplication *self,
                                                GFile          *file);

G_END_DECLS
