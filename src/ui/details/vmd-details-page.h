/* vmd-details-page.h: one editor page of the Details view (Overview, OS,
 * CPUs, Memory, Boot Options, a device)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A page edits the view's working copy of the definition: load() fills
 * its fields from it, store() writes them back. It emits "changed" when
 * the user edits a field (never while loading).
 */
#pragma once

#include <gtk/gtk.h>

#include "vmd-domain.h"
#include "vmd-model.h"

G_BEGIN_DECLS

#define VMD_TYPE_DETAILS_PAGE (vmd_details_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (VmdDetailsPage, vmd_details_page, VMD, DETAILS_PAGE, GtkBox)

struct _VmdDetailsPageClass
{
  GtkBoxClass parent_class;

  void     (*load)  (VmdDetailsPage  *self,
                     VmdDomainConfig *config);
  /* FALSE, with a whole sentence in @error, when a field is invalid; the
   * page also shows it next to the field. */
  gboolean (*store) (VmdDetailsPage  *self,
                     VmdDomainConfig *config,
                     GError         **error);
  /* The domain's state changed (e.g. fields editable only when off). */
  void     (*state_changed) (VmdDetailsPage *self);

  gpointer padding[4];
};

void       vmd_details_page_set_domain  (VmdDetailsPage  *self,
                                         VmdDomain       *domain);
VmdDomain *vmd_details_page_get_domain  (VmdDetailsPage  *self);
/* TRUE while the domain runs (FALSE for a VM not defined yet). */
gboolean   vmd_details_page_is_active   (VmdDetailsPage  *self);
void       vmd_details_page_load        (VmdDetailsPage  *self,
                                         VmdDomainConfig *config);
gboolean   vmd_details_page_store       (VmdDetailsPage  *self,
                                         VmdDomainConfig *config,
                                         GError         **error);
void       vmd_details_page_state_changed (VmdDetailsPage *self);
/* For subclasses: a field was edited. */
void       vmd_details_page_changed     (VmdDetailsPage  *self);
gboolean   vmd_details_page_is_loading  (VmdDetailsPage  *self);
/* For subclasses: connect "changed"/"value-changed"/"toggled" of @widget
 * to vmd_details_page_changed(). */
void       vmd_details_page_watch       (VmdDetailsPage  *self,
                                         gpointer         widget);
/* For subclasses: show @message (NULL hides it) in @label, styled as an
 * error, and give its text to the label's accessible description. */
void       vmd_details_page_set_message (GtkLabel        *label,
                                         const char      *message);

/* Registers the folder's resource (the .ui files) once. */
void       vmd_details_ensure_resource (void);

G_END_DECLS

G_BEGIN_DECLS

/* The hardware list's label and icon of @device: the device editors'
 * vmd_device_describe() once they are built, a plain one before. */
char *vmd_details_describe_device (VmdDomainConfig *config,
                                   VmdDevice       *device,
                                   const char     **icon_name);

G_END_DECLS
