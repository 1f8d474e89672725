/* The floor for bench-ui: a bare GTK 3 window with a tree view, nothing else. */
#include <gtk/gtk.h>

int
main (int argc, char **argv)
{
  GtkListStore *store;
  GtkWidget *window, *view;

  gtk_init (&argc, &argv);
  store = gtk_list_store_new (1, G_TYPE_STRING);
  gtk_list_store_insert_with_values (store, NULL, -1, 0, "a row", -1);
  window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  gtk_window_set_title (GTK_WINDOW (window), "bare-gtk-window");
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  view = gtk_tree_view_new_with_model (GTK_TREE_MODEL (store));
  gtk_tree_view_insert_column_with_attributes (GTK_TREE_VIEW (view), -1, "Name",
                                               gtk_cell_renderer_text_new (), "text", 0, NULL);
  gtk_container_add (GTK_CONTAINER (window), view);
  g_signal_connect (window, "destroy", G_CALLBACK (gtk_main_quit), NULL);
  gtk_widget_show_all (window);
  gtk_main ();
  return 0;
}
