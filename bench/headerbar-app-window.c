/* A second reference for bench-ui: the least a single-instance GNOME-style
 * app shows, a GtkApplication (registered on the session bus) whose window
 * has a header bar with eight icon buttons over a tree view with one row.
 * It tells what of the app's startup is GTK's own cost for such a window. */
#include <gtk/gtk.h>

static void
activate (GtkApplication *app)
{
  static const char *const icons[] = {
    "list-add-symbolic", "document-open-symbolic", "media-playback-start-symbolic",
    "media-playback-pause-symbolic", "system-shutdown-symbolic", "open-menu-symbolic",
    "edit-find-symbolic", "view-more-symbolic",
  };
  GtkListStore *store = gtk_list_store_new (1, G_TYPE_STRING);
  GtkWidget *window = gtk_application_window_new (app);
  GtkWidget *header = gtk_header_bar_new ();
  GtkWidget *view;

  gtk_list_store_insert_with_values (store, NULL, -1, 0, "a row", -1);
  gtk_header_bar_set_show_close_button (GTK_HEADER_BAR (header), TRUE);
  gtk_header_bar_set_title (GTK_HEADER_BAR (header), "headerbar-app-window");
  for (guint i = 0; i < G_N_ELEMENTS (icons); i++)
    gtk_header_bar_pack_start (GTK_HEADER_BAR (header),
                               gtk_button_new_from_icon_name (icons[i], GTK_ICON_SIZE_BUTTON));
  gtk_window_set_titlebar (GTK_WINDOW (window), header);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  view = gtk_tree_view_new_with_model (GTK_TREE_MODEL (store));
  gtk_tree_view_insert_column_with_attributes (GTK_TREE_VIEW (view), -1, "Name",
                                               gtk_cell_renderer_text_new (), "text", 0, NULL);
  gtk_container_add (GTK_CONTAINER (window), view);
  gtk_widget_show_all (window);
}

int
main (int argc, char **argv)
{
  g_autoptr (GtkApplication) app = gtk_application_new ("org.vmdesk.BenchHeaderbarWindow",
                                                        G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (app, "activate", G_CALLBACK (activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
