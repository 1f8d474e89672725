/* vmd-manager-window.c: the main window, listing virtual machines
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * For now it shows the empty state; the list arrives with the engine.
 */
#define G_LOG_DOMAIN "vmdesk-ui"

#include <glib/gi18n.h>

#include "vmd-manager-window.h"

struct _VmdManagerWindow
{
  GtkApplicationWindow parent_instance;

  GtkStack  *stack;
  GtkWidget *empty_page;
};

G_DEFINE_FINAL_TYPE (VmdManagerWindow, vmd_manager_window, GTK_TYPE_APPLICATION_WINDOW)

static void
vmd_manager_window_class_init (VmdManagerWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               VMD_RESOURCE_PREFIX "/ui/vmd-manager-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdManagerWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, VmdManagerWindow, empty_page);
}

static void
vmd_manager_window_init (VmdManagerWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_stack_set_visible_child (self->stack, self->empty_page);
}

VmdManagerWindow *
vmd_manager_window_new (VmdApplication *app)
{
  return g_object_new (VMD_TYPE_MANAGER_WINDOW, "application", app, NULL);
}
