/* vmd-details-device.c: the page of one device in the Details view
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Hosts the device's VmdDeviceEditor (src/ui/devices) when vmdesk is
 * built with the editors; the view asks the editor what of a change a
 * running VM takes live. Without editors, the page says that the device
 * is edited in the XML tab.
 */
#define G_LOG_DOMAIN "vmdesk-details"

#include <glib/gi18n.h>

#include "vmd-details-device.h"
#ifdef VMD_HAVE_DEVICE_EDITORS
#include "vmd-device-editor.h"
#endif

struct _VmdDetailsDevice
{
  VmdDetailsPage  parent_instance;

  VmdDevice      *device;
  GtkWidget      *editor;
};

G_DEFINE_FINAL_TYPE (VmdDetailsDevice, vmd_details_device, VMD_TYPE_DETAILS_PAGE)

static void
device_load (VmdDetailsPage *page, VmdDomainConfig *config)
{
#ifdef VMD_HAVE_DEVICE_EDITORS
  VmdDetailsDevice *self = VMD_DETAILS_DEVICE (page);

  if (self->editor != NULL)
    vmd_device_editor_load (VMD_DEVICE_EDITOR (self->editor));
#endif
}

static gboolean
device_store (VmdDetailsPage *page, VmdDomainConfig *config, GError **error)
{
#ifdef VMD_HAVE_DEVICE_EDITORS
  VmdDetailsDevice *self = VMD_DETAILS_DEVICE (page);

  if (self->editor != NULL)
    return vmd_device_editor_store (VMD_DEVICE_EDITOR (self->editor), error);
#endif
  return TRUE;
}

#ifdef VMD_HAVE_DEVICE_EDITORS
/* Editors also say "changed" when a check of theirs finishes (the disk
 * editor looks at its image in the background), not only on edits: take
 * it as an edit while an input event is being handled or while the focus
 * is in the editor. */
static void
editor_changed_cb (VmdDetailsDevice *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GtkWidget *focus = GTK_IS_WINDOW (toplevel) ? gtk_window_get_focus (GTK_WINDOW (toplevel))
                                              : NULL;
  g_autoptr (GdkEvent) event = gtk_get_current_event ();

  if (event != NULL || (focus != NULL && gtk_widget_is_ancestor (focus, self->editor)))
    vmd_details_page_changed (VMD_DETAILS_PAGE (self));
}
#endif

static void
vmd_details_device_dispose (GObject *object)
{
  VmdDetailsDevice *self = VMD_DETAILS_DEVICE (object);

  g_clear_object (&self->device);
  G_OBJECT_CLASS (vmd_details_device_parent_class)->dispose (object);
}

static void
vmd_details_device_class_init (VmdDetailsDeviceClass *klass)
{
  VmdDetailsPageClass *page_class = VMD_DETAILS_PAGE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_details_device_dispose;
  page_class->load = device_load;
  page_class->store = device_store;
}

static void
vmd_details_device_init (VmdDetailsDevice *self)
{
  gtk_box_set_spacing (GTK_BOX (self), 12);
}

VmdDetailsPage *
vmd_details_device_new (VmdDomain *domain, VmdDomainConfig *config, VmdDevice *device)
{
  VmdDetailsDevice *self = g_object_new (VMD_TYPE_DETAILS_DEVICE, NULL);
  const char *icon = NULL;
  g_autofree char *title = vmd_details_describe_device (config, device, &icon);
  g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>", title);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *image = gtk_image_new_from_icon_name (icon, GTK_ICON_SIZE_LARGE_TOOLBAR);

  vmd_details_page_set_domain (VMD_DETAILS_PAGE (self), domain);
  self->device = g_object_ref (device);
  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_image_set_pixel_size (GTK_IMAGE (image), 24);
  gtk_container_add (GTK_CONTAINER (header), image);
  gtk_container_add (GTK_CONTAINER (header), label);
  gtk_widget_show_all (header);
  gtk_container_add (GTK_CONTAINER (self), header);

#ifdef VMD_HAVE_DEVICE_EDITORS
  self->editor = GTK_WIDGET (vmd_device_editor_new (config, device, domain));
  if (self->editor != NULL)
    {
      gtk_widget_set_vexpand (self->editor, TRUE);
      gtk_widget_show (self->editor);
      gtk_container_add (GTK_CONTAINER (self), self->editor);
      g_signal_connect_object (self->editor, "changed", G_CALLBACK (editor_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
#endif
  if (self->editor == NULL)
    {
      GtkWidget *notice = gtk_label_new (
        _("This device has no editor in this version of vmdesk; change it in the XML tab."));

      gtk_label_set_line_wrap (GTK_LABEL (notice), TRUE);
      gtk_label_set_xalign (GTK_LABEL (notice), 0);
      gtk_style_context_add_class (gtk_widget_get_style_context (notice), "dim-label");
      gtk_widget_show (notice);
      gtk_container_add (GTK_CONTAINER (self), notice);
    }
  return VMD_DETAILS_PAGE (self);
}

VmdDevice *
vmd_details_device_get_device (VmdDetailsDevice *self)
{
  g_return_val_if_fail (VMD_IS_DETAILS_DEVICE (self), NULL);
  return self->device;
}

GtkWidget *
vmd_details_device_get_editor (VmdDetailsDevice *self)
{
  g_return_val_if_fail (VMD_IS_DETAILS_DEVICE (self), NULL);
  return self->editor;
}
