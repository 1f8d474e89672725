/* A reference for bench-ui's idle figure: the least a GTK 3 list showing
 * ten running VMs' CPU costs, a tree view of ten rows (a name and a value)
 * whose values all change every second, through the list store as a plain
 * GTK app would, with no sparklines. */
#include <gtk/gtk.h>

static GtkListStore *store;
static guint tick;

static gboolean
update (gpointer user_data)
{
  GtkTreeIter iter;
  guint row = 0;
  gboolean valid = gtk_tree_model_get_iter_first (GTK_TREE_MODEL (store), &iter);

  for (; valid; valid = gtk_tree_model_iter_next (GTK_TREE_MODEL (store), &iter), row++)
    {
      char text[16];

      g_snprintf (text, sizeof text, "%u %%", (tick + row) % 7);
      gtk_list_store_set (store, &iter, 1, text, -1);
    }
  tick++;
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char **argv)
{
  GtkWidget *window, *view;

  gtk_init (&argc, &argv);
  store = gtk_list_store_new (2, G_TYPE_STRING, G_TYPE_STRING);
  for (int i = 0; i < 10; i++)
    {
      char name[16];

      g_snprintf (name, sizeof name, "idle-%02d", i);
      gtk_list_store_insert_with_values (store, NULL, -1, 0, name, 1, "0 %", -1);
    }
  window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  gtk_window_set_title (GTK_WINDOW (window), "list-refresh-window");
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 600);
  view = gtk_tree_view_new_with_model (GTK_TREE_MODEL (store));
  gtk_tree_view_insert_column_with_attributes (GTK_TREE_VIEW (view), -1, "Name",
                                               gtk_cell_renderer_text_new (), "text", 0, NULL);
  gtk_tree_view_insert_column_with_attributes (GTK_TREE_VIEW (view), -1, "CPU",
                                               gtk_cell_renderer_text_new (), "text", 1, NULL);
  gtk_container_add (GTK_CONTAINER (window), view);
  g_signal_connect (window, "destroy", G_CALLBACK (gtk_main_quit), NULL);
  gtk_widget_show_all (window);
  g_timeout_add_seconds (1, update, NULL);
  gtk_main ();
  return 0;
}
