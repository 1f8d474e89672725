/* vmd-details-boot.c: the Boot Options page of the Details view
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The boot order is a list of the bootable devices (disks, CD-ROMs,
 * network interfaces), each with a check box, reordered with Up and Down.
 * Stored as per-device <boot order='N'/> (libvirt does not allow it next
 * to <os><boot dev=…/>, which it then replaces) — and only when the user
 * touched the list, so a definition keeps its own way otherwise.
 * Autostart is no part of the definition: it is set on the domain when
 * the page is stored.
 */
#define G_LOG_DOMAIN "vmdesk-details"

#include <glib/gi18n.h>

#include "vmd-details-boot.h"

struct _VmdDetailsBoot
{
  VmdDetailsPage  parent_instance;

  GtkCheckButton *autostart_check;
  GtkCheckButton *menu_check;
  GtkListBox     *order_list;
  GtkWidget      *up_button;
  GtkWidget      *down_button;
  GtkCheckButton *kernel_check;
  GtkWidget      *kernel_grid;
  GtkEntry       *kernel_entry;
  GtkWidget      *kernel_browse;
  GtkEntry       *initrd_entry;
  GtkWidget      *initrd_browse;
  GtkEntry       *cmdline_entry;
  GtkLabel       *kernel_message;

  gboolean        order_edited;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (VmdDetailsBoot, vmd_details_boot, VMD_TYPE_DETAILS_PAGE)

static gboolean
is_bootable (VmdDevice *device)
{
  return VMD_IS_DEVICE_DISK (device) || VMD_IS_DEVICE_INTERFACE (device);
}

/* What <os><boot dev=…/> calls @device's kind. */
static const char *
boot_dev_of (VmdDevice *device)
{
  g_autofree char *what = NULL;

  if (VMD_IS_DEVICE_INTERFACE (device))
    return "network";
  what = vmd_device_disk_get_device (VMD_DEVICE_DISK (device));
  if (g_strcmp0 (what, "cdrom") == 0)
    return "cdrom";
  if (g_strcmp0 (what, "floppy") == 0)
    return "fd";
  return "hd";
}

static void
order_toggled_cb (VmdDetailsBoot *self)
{
  if (!vmd_details_page_is_loading (VMD_DETAILS_PAGE (self)))
    self->order_edited = TRUE;
}

static void
add_row (VmdDetailsBoot *self, VmdDomainConfig *config, VmdDevice *device, gboolean checked)
{
  const char *icon = NULL;
  g_autofree char *label = vmd_details_describe_device (config, device, &icon);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *image = gtk_image_new_from_icon_name (icon, GTK_ICON_SIZE_MENU);
  GtkWidget *text = gtk_label_new (label);

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (check), checked);
  atk_object_set_name (gtk_widget_get_accessible (check), label);
  gtk_container_add (GTK_CONTAINER (box), check);
  gtk_container_add (GTK_CONTAINER (box), image);
  gtk_container_add (GTK_CONTAINER (box), text);
  gtk_container_add (GTK_CONTAINER (row), box);
  g_object_set_data_full (G_OBJECT (row), "device", g_object_ref (device), g_object_unref);
  g_object_set_data (G_OBJECT (row), "check", check);
  gtk_widget_show_all (row);
  gtk_container_add (GTK_CONTAINER (self->order_list), row);
  g_signal_connect_object (check, "toggled", G_CALLBACK (vmd_details_page_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (check, "toggled", G_CALLBACK (order_toggled_cb), self,
                           G_CONNECT_SWAPPED);
}

static int
compare_boot_order (gconstpointer a, gconstpointer b)
{
  VmdDevice *da = *(VmdDevice **) a;
  VmdDevice *db = *(VmdDevice **) b;

  return (int) vmd_device_get_boot_order (da) - (int) vmd_device_get_boot_order (db);
}

static void
fill_order (VmdDetailsBoot *self, VmdDomainConfig *config)
{
  g_autoptr (GPtrArray) all = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE);
  g_autoptr (GPtrArray) ordered = g_ptr_array_new ();
  g_autoptr (GPtrArray) rest = g_ptr_array_new ();
  g_auto (GStrv) devs = vmd_domain_config_get_boot_devices (config);
  GList *children = gtk_container_get_children (GTK_CONTAINER (self->order_list));

  for (GList *l = children; l; l = l->next)
    gtk_widget_destroy (l->data);
  g_list_free (children);

  for (guint i = 0; i < all->len; i++)
    {
      VmdDevice *device = g_ptr_array_index (all, i);

      if (!is_bootable (device))
        continue;
      if (vmd_device_get_boot_order (device) > 0)
        g_ptr_array_add (ordered, device);
      else
        g_ptr_array_add (rest, device);
    }
  g_ptr_array_sort (ordered, compare_boot_order);
  /* The <os><boot dev=…/> way: every device of the kind, kind by kind. */
  for (guint d = 0; ordered->len == 0 && devs[d] != NULL; d++)
    for (guint i = 0; i < rest->len;)
      {
        VmdDevice *device = g_ptr_array_index (rest, i);

        if (g_str_equal (boot_dev_of (device), devs[d]))
          {
            add_row (self, config, device, TRUE);
            g_ptr_array_remove_index (rest, i);
          }
        else
          i++;
      }
  for (guint i = 0; i < ordered->len; i++)
    add_row (self, config, g_ptr_array_index (ordered, i), TRUE);
  for (guint i = 0; i < rest->len; i++)
    add_row (self, config, g_ptr_array_index (rest, i), FALSE);
}

static void
move_selected (VmdDetailsBoot *self, int delta)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->order_list);
  int index, n;
  g_autoptr (GList) children = NULL;

  if (row == NULL)
    return;
  children = gtk_container_get_children (GTK_CONTAINER (self->order_list));
  n = g_list_length (children);
  index = gtk_list_box_row_get_index (row) + delta;
  if (index < 0 || index >= n)
    return;
  g_object_ref (row);
  gtk_container_remove (GTK_CONTAINER (self->order_list), GTK_WIDGET (row));
  gtk_list_box_insert (self->order_list, GTK_WIDGET (row), index);
  gtk_list_box_select_row (self->order_list, row);
  g_object_unref (row);
  self->order_edited = TRUE;
  vmd_details_page_changed (VMD_DETAILS_PAGE (self));
}

static void
up_clicked_cb (VmdDetailsBoot *self)
{
  move_selected (self, -1);
}

static void
down_clicked_cb (VmdDetailsBoot *self)
{
  move_selected (self, 1);
}

static char *
kernel_problem (VmdDetailsBoot *self)
{
  const char *kernel = gtk_entry_get_text (self->kernel_entry);
  const char *initrd = gtk_entry_get_text (self->initrd_entry);

  if (!gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->kernel_check)))
    return NULL;
  if (*kernel == '\0')
    return g_strdup (_("Choose the kernel to boot, or turn direct kernel boot off."));
  if (!g_path_is_absolute (kernel))
    return g_strdup_printf (_("The kernel path “%s” must be a full path, starting with “/”."),
                            kernel);
  if (*initrd != '\0' && !g_path_is_absolute (initrd))
    return g_strdup_printf (_("The initrd path “%s” must be a full path, starting with “/”."),
                            initrd);
  return NULL;
}

static void
kernel_changed_cb (VmdDetailsBoot *self)
{
  g_autofree char *problem = kernel_problem (self);

  gtk_widget_set_sensitive (self->kernel_grid, gtk_toggle_button_get_active (
                                                 GTK_TOGGLE_BUTTON (self->kernel_check)));
  vmd_details_page_set_message (self->kernel_message, problem);
}

static void
chooser_response_cb (GtkNativeDialog *dialog, int response, gpointer user_data)
{
  VmdDetailsBoot *self = VMD_DETAILS_BOOT (user_data);
  GtkEntry *entry = g_object_get_data (G_OBJECT (dialog), "entry");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (dialog));
      if (path != NULL)
        gtk_entry_set_text (entry, path);
    }
  g_clear_object (&self->chooser);
}

static void
browse (VmdDetailsBoot *self, GtkEntry *entry, const char *title)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  const char *current = gtk_entry_get_text (entry);

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (title,
                                               GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel)
                                                                        : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, NULL, NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  if (*current != '\0')
    gtk_file_chooser_set_filename (GTK_FILE_CHOOSER (self->chooser), current);
  g_object_set_data (G_OBJECT (self->chooser), "entry", entry);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
kernel_browse_cb (VmdDetailsBoot *self)
{
  browse (self, self->kernel_entry, _("Choose the Kernel"));
}

static void
initrd_browse_cb (VmdDetailsBoot *self)
{
  browse (self, self->initrd_entry, _("Choose the Initrd"));
}

static void
boot_state_changed (VmdDetailsPage *page)
{
  VmdDetailsBoot *self = VMD_DETAILS_BOOT (page);
  VmdDomain *domain = vmd_details_page_get_domain (page);

  gtk_widget_set_visible (GTK_WIDGET (self->autostart_check), domain != NULL);
}

static void
boot_load (VmdDetailsPage *page, VmdDomainConfig *config)
{
  VmdDetailsBoot *self = VMD_DETAILS_BOOT (page);
  VmdDomain *domain = vmd_details_page_get_domain (page);
  g_autofree char *kernel = vmd_domain_config_get_kernel (config);
  g_autofree char *initrd = vmd_domain_config_get_initrd (config);
  g_autofree char *cmdline = vmd_domain_config_get_cmdline (config);

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->autostart_check),
                                domain != NULL && vmd_domain_get_autostart (domain));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->menu_check),
                                vmd_domain_config_get_boot_menu (config));
  fill_order (self, config);
  self->order_edited = FALSE;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->kernel_check), kernel != NULL);
  gtk_entry_set_text (self->kernel_entry, kernel ? kernel : "");
  gtk_entry_set_text (self->initrd_entry, initrd ? initrd : "");
  gtk_entry_set_text (self->cmdline_entry, cmdline ? cmdline : "");
  kernel_changed_cb (self);
}

static gboolean
boot_store (VmdDetailsPage *page, VmdDomainConfig *config, GError **error)
{
  VmdDetailsBoot *self = VMD_DETAILS_BOOT (page);
  VmdDomain *domain = vmd_details_page_get_domain (page);
  g_autofree char *problem = kernel_problem (self);
  gboolean menu = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->menu_check));
  gboolean autostart = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->autostart_check));

  if (problem != NULL)
    {
      vmd_details_page_set_message (self->kernel_message, problem);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, problem);
      return FALSE;
    }
  if (domain != NULL && autostart != vmd_domain_get_autostart (domain) &&
      !vmd_domain_set_autostart (domain, autostart, error))
    return FALSE;
  if (menu != vmd_domain_config_get_boot_menu (config))
    vmd_domain_config_set_boot_menu (config, menu);

  if (self->order_edited)
    {
      g_autoptr (GList) rows = gtk_container_get_children (GTK_CONTAINER (self->order_list));
      guint order = 1;
      const char *none[] = { NULL };

      vmd_domain_config_set_boot_devices (config, none);
      for (GList *l = rows; l; l = l->next)
        {
          VmdDevice *device = g_object_get_data (l->data, "device");
          GtkToggleButton *check = g_object_get_data (l->data, "check");

          if (vmd_device_get_config (device) != config)
            continue;
          vmd_device_set_boot_order (device, gtk_toggle_button_get_active (check) ? order++ : 0);
        }
    }

  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->kernel_check)))
    {
      const char *initrd = gtk_entry_get_text (self->initrd_entry);
      const char *cmdline = gtk_entry_get_text (self->cmdline_entry);

      vmd_domain_config_set_kernel (config, gtk_entry_get_text (self->kernel_entry));
      vmd_domain_config_set_initrd (config, *initrd ? initrd : NULL);
      vmd_domain_config_set_cmdline (config, *cmdline ? cmdline : NULL);
    }
  else
    {
      g_autofree char *kernel = vmd_domain_config_get_kernel (config);

      if (kernel != NULL)
        {
          vmd_domain_config_set_kernel (config, NULL);
          vmd_domain_config_set_initrd (config, NULL);
          vmd_domain_config_set_cmdline (config, NULL);
        }
    }
  return TRUE;
}

static void
vmd_details_boot_dispose (GObject *object)
{
  VmdDetailsBoot *self = VMD_DETAILS_BOOT (object);

  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  G_OBJECT_CLASS (vmd_details_boot_parent_class)->dispose (object);
}

static void
vmd_details_boot_class_init (VmdDetailsBootClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  VmdDetailsPageClass *page_class = VMD_DETAILS_PAGE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_details_boot_dispose;
  page_class->load = boot_load;
  page_class->store = boot_store;
  page_class->state_changed = boot_state_changed;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               VMD_RESOURCE_PREFIX "/details/vmd-details-boot.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsBoot, autostart_check);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsBoot, menu_check);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsBoot, order_list);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsBoot, up_button);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsBoot, down_button);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsBoot, kernel_check);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsBoot, kernel_grid);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsBoot, kernel_entry);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsBoot, kernel_browse);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsBoot, initrd_entry);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsBoot, initrd_browse);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsBoot, cmdline_entry);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsBoot, kernel_message);
}

static void
vmd_details_boot_init (VmdDetailsBoot *self)
{
  VmdDetailsPage *page = VMD_DETAILS_PAGE (self);

  gtk_widget_init_template (GTK_WIDGET (self));
  vmd_details_page_watch (page, self->autostart_check);
  vmd_details_page_watch (page, self->menu_check);
  vmd_details_page_watch (page, self->kernel_check);
  vmd_details_page_watch (page, self->kernel_entry);
  vmd_details_page_watch (page, self->initrd_entry);
  vmd_details_page_watch (page, self->cmdline_entry);
  g_signal_connect_swapped (self->kernel_check, "toggled", G_CALLBACK (kernel_changed_cb), self);
  g_signal_connect_swapped (self->kernel_entry, "changed", G_CALLBACK (kernel_changed_cb), self);
  g_signal_connect_swapped (self->initrd_entry, "changed", G_CALLBACK (kernel_changed_cb), self);
  g_signal_connect_swapped (self->up_button, "clicked", G_CALLBACK (up_clicked_cb), self);
  g_signal_connect_swapped (self->down_button, "clicked", G_CALLBACK (down_clicked_cb), self);
  g_signal_connect_swapped (self->kernel_browse, "clicked", G_CALLBACK (kernel_browse_cb), self);
  g_signal_connect_swapped (self->initrd_browse, "clicked", G_CALLBACK (initrd_browse_cb), self);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->kernel_message)),
                       _("Direct kernel boot problem"));
}

VmdDetailsPage *
vmd_details_boot_new (VmdDomain *domain)
{
  VmdDetailsPage *page = g_object_new (VMD_TYPE_DETAILS_BOOT, NULL);

  vmd_details_page_set_domain (page, domain);
  return page;
}
