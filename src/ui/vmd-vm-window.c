/* vmd-vm-window.c: the window of one virtual machine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-ui"

#include <glib/gi18n.h>

#include "vmd-vm-window.h"

struct _VmdVmWindow
{
  GtkApplicationWindow parent_instance;

  VmdDomain *domain;
};

G_DEFINE_FINAL_TYPE (VmdVmWindow, vmd_vm_window, GTK_TYPE_APPLICATION_WINDOW)

static void
vmd_vm_window_dispose (GObject *object)
{
  VmdVmWindow *self = VMD_VM_WINDOW (object);

  g_clear_object (&self->domain);
  G_OBJECT_CLASS (vmd_vm_window_parent_class)->dispose (object);
}

static void
vmd_vm_window_class_init (VmdVmWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_vm_window_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               VMD_RESOURCE_PREFIX "/ui/vmd-vm-window.ui");
}

static void
vmd_vm_window_init (VmdVmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

VmdVmWindow *
vmd_vm_window_new (VmdApplication *app, VmdDomain *domain)
{
  VmdVmWindow *self = g_object_new (VMD_TYPE_VM_WINDOW, "application", app, NULL);

  self->domain = g_object_ref (domain);
  gtk_window_set_title (GTK_WINDOW (self), vmd_domain_get_name (domain));
  return self;
}

VmdDomain *
vmd_vm_window_get_domain (VmdVmWindow *self)
{
  return self->domain;
}
