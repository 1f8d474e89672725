/* test-perf.c: the Performance page, the host overview and the Preferences
 * dialog on the real engine and the real test guest (TCG), under Xvfb
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each case runs in a child process watched by the engine fixture's
 * harness, which kills every QEMU the case started, also on failure.
 * Screenshots go to VMD_SHOT_DIR (the build folder).
 */
#define G_LOG_DOMAIN "test-perf"

#include <gtk/gtk.h>
#include <locale.h>

#include "engine-fixture.h"
#include "vmd-graph.h"
#include "vmd-host-window.h"
#include "vmd-performance-page.h"
#include "vmd-preferences-dialog.h"
#include "vmd-qemu-connection.h"
#include "vmd-stats-sampler.h"

/* ---------------------------------------------------------- helpers */

static GtkWidget *
find_named (GtkWidget *widget, const char *name)
{
  GtkWidget *found = NULL;

  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr (GList) children = NULL;

      children = gtk_container_get_children (GTK_CONTAINER (widget));
      for (GList *l = children; l != NULL && found == NULL; l = l->next)
        found = find_named (l->data, name);
    }
  return found;
}

static GtkWidget *
need_named (GtkWidget *root, const char *name)
{
  GtkWidget *widget = find_named (root, name);

  CHECK (widget != NULL, "no widget named “%s”", name);
  return widget;
}

static void
settle (guint ms)
{
  spin_for (ms);
  while (gtk_events_pending ())
    gtk_main_iteration_do (FALSE);
}

/* Saves what @window shows now as VMD_SHOT_DIR/@name. */
static void
screenshot (GtkWidget *window, const char *name)
{
  const char *dir = g_getenv ("VMD_SHOT_DIR");
  g_autofree char *path = NULL;
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  g_autoptr (GError) error = NULL;
  GdkWindow *gdk_window = gtk_widget_get_window (window);

  if (dir == NULL || gdk_window == NULL)
    return;
  gtk_window_present (GTK_WINDOW (window));
  settle (300);
  pixbuf = gdk_pixbuf_get_from_window (gdk_window, 0, 0, gdk_window_get_width (gdk_window),
                                       gdk_window_get_height (gdk_window));
  CHECK (pixbuf != NULL, "no pixels of the window for %s", name);
  path = g_build_filename (dir, name, NULL);
  if (!gdk_pixbuf_save (pixbuf, path, "png", &error, NULL))
    FAIL ("the screenshot %s could not be saved: %s", path, error->message);
  printf ("# screenshot: %s\n", path);
}

static float
last_of (GtkWidget *root, const char *graph, guint series)
{
  return vmd_graph_get_last (VMD_GRAPH (need_named (root, graph)), series);
}

typedef struct {
  GtkWidget  *root;
  const char *graph;
  guint       series;
  float       above;
} Rise;

static gboolean
risen (gpointer data)
{
  Rise *r = data;

  return last_of (r->root, r->graph, r->series) > r->above;
}

/* The largest of the last @n samples of a graph series. */
static float
recent_max (GtkWidget *root, const char *graph, guint series, guint n)
{
  return vmd_ring_get_max (vmd_graph_get_ring (VMD_GRAPH (need_named (root, graph)), series), n);
}

static GtkWidget *
show_page (Fixture *f, VmdDomain *d, GtkWidget **page_out)
{
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  GtkWidget *page = vmd_performance_page_new (d);

  gtk_window_set_title (GTK_WINDOW (window), "Performance");
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 560);
  gtk_container_add (GTK_CONTAINER (window), page);
  gtk_widget_show_all (window);
  settle (100);
  *page_out = page;
  return window;
}

static guint
samples_of (GtkWidget *root, const char *graph)
{
  return vmd_ring_get_count (vmd_graph_get_ring (VMD_GRAPH (need_named (root, graph)), 0));
}

typedef struct {
  GtkWidget *root;
  guint      count;
} Samples;

static gboolean
has_samples (gpointer data)
{
  Samples *s = data;

  return samples_of (s->root, "cpu-graph") >= s->count;
}

/* ------------------------------------------------------------ cases */

/* A CPU-busy guest shows above 50 % within 5 s; a guest writing to its
 * disk shows a write rate; the page stops sampling when hidden. */
static void
case_graphs (Fixture *f)
{
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "perf-busy", NULL);
  VmdStatsSampler *sampler = vmd_connection_get_stats_sampler (f->conn);
  Serial *s = boot (f, d, "VMDESK-GUEST-READY");
  GtkWidget *page, *window;
  Samples want;
  gint64 t0;
  float idle;

  step (f, "booted");
  window = show_page (f, d, &page);
  want = (Samples) { page, 4 };
  CHECK (spin_until (has_samples, &want, 15000), "the page has %u CPU samples after 15 s, not 4",
         samples_of (page, "cpu-graph"));
  /* the idle guest (busybox, HLT) first: the rise below means something */
  idle = recent_max (page, "cpu-graph", 0, 3);
  step (f, "idle CPU: %.1f %% at most over the last 3 samples", idle);
  CHECK (idle < 50, "the idle guest already shows %.1f %% CPU", idle);
  {
    const char *text = gtk_label_get_text (GTK_LABEL (need_named (page, "memory-value")));
    CHECK (strstr (text, "MiB used on this computer, 128 MiB allocated") != NULL,
           "the memory value says “%s”", text);
  }

  serial_cmd (s, "cpuburn 1", "VMDESK-CPUBURN-STARTED", CMD_TIMEOUT);
  t0 = g_get_monotonic_time ();
  {
    Rise rise = { page, "cpu-graph", 0, 50 };
    CHECK (spin_until (risen, &rise, 5000), "CPU shows %.1f %% 5 s after cpuburn started",
           last_of (page, "cpu-graph", 0));
  }
  step (f, "CPU %.1f %% after %.1f s of cpuburn", last_of (page, "cpu-graph", 0),
        (g_get_monotonic_time () - t0) / 1e6);
  {
    const char *text = gtk_label_get_text (GTK_LABEL (need_named (page, "cpu-value")));
    const char *said = atk_object_get_description (
      gtk_widget_get_accessible (need_named (page, "cpu-graph")));

    CHECK (g_str_has_suffix (text, " %") && g_ascii_strtod (text, NULL) > 50,
           "the CPU value says “%s”", text);
    CHECK (said != NULL && g_str_has_prefix (said, "CPU: ") &&
           g_ascii_strtod (said + 5, NULL) > 50, "the CPU graph tells AT-SPI “%s”", said);
  }
  settle (2500);   /* a few busy samples for the screenshot */
  /* the pointer's readout over the newest samples, for the screenshot */
  {
    GtkWidget *graph = need_named (page, "cpu-graph");
    g_autofree char *readout = NULL;
    GdkEvent *event = gdk_event_new (GDK_MOTION_NOTIFY);
    int w = gtk_widget_get_allocated_width (graph);

    event->motion.window = g_object_ref (gtk_widget_get_window (graph));
    event->motion.x = w - 4;
    event->motion.y = 60;
    /* a drawing area has its own window: coordinates are the graph's */
    gdk_event_set_device (event, gdk_seat_get_pointer (gdk_display_get_default_seat (
                                   gtk_widget_get_display (graph))));
    gtk_widget_event (graph, event);
    gdk_event_free (event);
    readout = vmd_graph_describe_at (VMD_GRAPH (graph), w - 4);
    CHECK (readout != NULL && g_str_has_prefix (readout, "Now\nCPU: ") &&
           g_ascii_strtod (strstr (readout, "CPU: ") + 5, NULL) > 50,
           "the readout at the newest sample is “%s”", readout);
    g_strdelimit (readout, "\n", ' ');
    step (f, "readout: %s", readout);
  }
  screenshot (window, "perf-page-busy.png");
  serial_cmd (s, "cpuburn stop", "VMDESK-CPUBURN-STOPPED", CMD_TIMEOUT);

  /* disk writes: the boot disk's scratch area, 4 MiB every second */
  {
    float before = recent_max (page, "disk-graph", 1, 3);
    Rise rise = { page, "disk-graph", 1, 256 * 1024 };

    step (f, "disk write before: %.0f B/s", before);
    serial_cmd (s, "diskwrite bg 4", "VMDESK-DISKWRITE-BG", CMD_TIMEOUT);
    CHECK (spin_until (risen, &rise, 15000),
           "the disk write rate is %.0f B/s 15 s after diskwrite started (before: %.0f B/s)",
           last_of (page, "disk-graph", 1), before);
    step (f, "disk write %.0f KiB/s", last_of (page, "disk-graph", 1) / 1024);
    serial_cmd (s, "diskwrite stop", NULL, CMD_TIMEOUT);
  }
  screenshot (window, "perf-page-disk.png");

  /* the time range: 5 minutes of samples at one a second */
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (need_named (page, "time-range")), "300");
  CHECK (vmd_graph_get_window (VMD_GRAPH (need_named (page, "cpu-graph"))) == 301,
         "5 minutes show %u samples", vmd_graph_get_window (VMD_GRAPH (need_named (page,
                                                                                   "cpu-graph"))));

  /* hidden, the page asks for nothing: no pass runs */
  gtk_widget_hide (window);
  settle (1500);
  {
    guint64 passes = vmd_stats_sampler_get_pass_count (sampler);
    settle (3000);
    CHECK (vmd_stats_sampler_get_pass_count (sampler) == passes,
           "%" G_GUINT64_FORMAT " stats passes ran while the page was hidden",
           vmd_stats_sampler_get_pass_count (sampler) - passes);
  }
  gtk_widget_destroy (window);
}

typedef struct {
  VmdStatsSampler *sampler;
  guint64          passes;
} Passes;

static gboolean
passes_reached (gpointer data)
{
  Passes *p = data;

  return vmd_stats_sampler_get_pass_count (p->sampler) >= p->passes;
}

/* Seconds between two stats passes, measured over @n passes. */
static double
pass_spacing (VmdStatsSampler *sampler, guint n)
{
  Passes p = { sampler, vmd_stats_sampler_get_pass_count (sampler) + 1 };
  gint64 t0;

  CHECK (spin_until (passes_reached, &p, 10000), "no stats pass in 10 s");
  t0 = g_get_monotonic_time ();
  p.passes += n;
  CHECK (spin_until (passes_reached, &p, n * 5000), "fewer than %u passes in %u s", n, n * 5);
  return (g_get_monotonic_time () - t0) / 1e6 / n;
}

/* Changes made in the dialog are in GSettings at once, and the stats
 * interval changes how often the sampler runs. */
static void
case_preferences (Fixture *f)
{
  g_autoptr (VmdDomain) d = define_guest (f, f->conn, "perf-prefs", NULL);
  VmdStatsSampler *sampler = vmd_connection_get_stats_sampler (f->conn);
  g_autoptr (GSettings) second = NULL;
  GtkWidget *page, *window, *dialog;
  double before, after;
  g_auto (GStrv) columns = NULL;

  boot (f, d, "VMDESK-GUEST-READY");
  window = show_page (f, d, &page);
  before = pass_spacing (sampler, 3);
  step (f, "a pass every %.2f s", before);
  CHECK (before > 0.7 && before < 1.5, "passes come every %.2f s, not every second", before);

  dialog = vmd_preferences_dialog_new (GTK_WINDOW (window));
  gtk_widget_show (dialog);
  settle (200);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (need_named (dialog, "stats-interval")), 2);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (need_named (dialog, "confirm-pause")), TRUE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (need_named (dialog, "list-column-disk")),
                                TRUE);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (need_named (dialog, "new-vm-graphics")), "vnc");
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (need_named (dialog, "console-scaling")), "never");
  settle (100);

  /* a second reading */
  second = g_settings_new ("org.vmdesk.Vmdesk");
  CHECK (g_settings_get_uint (second, "stats-interval") == 2, "stats-interval is %u",
         g_settings_get_uint (second, "stats-interval"));
  CHECK (g_settings_get_boolean (second, "confirm-pause"), "confirm-pause is off");
  CHECK (g_str_equal (g_settings_get_string (second, "new-vm-graphics"), "vnc"),
         "new-vm-graphics is not vnc");
  CHECK (g_settings_get_enum (second, "console-scaling") == 2, "console-scaling is not never");
  columns = g_settings_get_strv (second, "list-columns");
  CHECK (g_strv_contains ((const char *const *) columns, "disk") &&
         g_strv_contains ((const char *const *) columns, "cpu"),
         "list-columns is not [cpu, disk]");

  /* and the other way: a change elsewhere shows in the dialog */
  g_settings_set_boolean (second, "confirm-delete", FALSE);
  settle (50);
  CHECK (!gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (need_named (dialog, "confirm-delete"))),
         "the dialog still shows confirm-delete on");

  CHECK (vmd_stats_sampler_get_interval (sampler) == 2000, "the sampler runs every %u ms",
         vmd_stats_sampler_get_interval (sampler));
  after = pass_spacing (sampler, 3);
  step (f, "after the change: a pass every %.2f s", after);
  CHECK (after > 1.7 && after < 2.6, "passes come every %.2f s, not every 2 s", after);
  CHECK (vmd_graph_get_window (VMD_GRAPH (need_named (page, "cpu-graph"))) == 31,
         "1 minute at 2 s shows %u samples",
         vmd_graph_get_window (VMD_GRAPH (need_named (page, "cpu-graph"))));

  screenshot (dialog, "perf-preferences.png");
  gtk_notebook_set_current_page (GTK_NOTEBOOK (need_named (dialog, "pages")), 1);
  screenshot (dialog, "perf-preferences-consoles.png");
  gtk_notebook_set_current_page (GTK_NOTEBOOK (need_named (dialog, "pages")), 2);
  screenshot (dialog, "perf-preferences-new-vm.png");
  gtk_widget_destroy (dialog);
  gtk_widget_destroy (window);
}

typedef struct {
  GtkWidget  *root;
  const char *name;
  const char *unlike;
} LabelWait;

static gboolean
label_filled (gpointer data)
{
  LabelWait *w = data;
  const char *text = gtk_label_get_text (GTK_LABEL (need_named (w->root, w->name)));

  return *text != '\0' && !g_str_equal (text, w->unlike);
}

static void
wait_label (GtkWidget *root, const char *name, const char *unlike)
{
  LabelWait w = { root, name, unlike };

  CHECK (spin_until (label_filled, &w, 30000), "“%s” still says “%s”", name,
         gtk_label_get_text (GTK_LABEL (need_named (root, name))));
}

/* The row of the image called @name, or FALSE. */
static gboolean
image_row (GtkWidget *window, const char *name, GtkTreeIter *iter, char **users,
           gboolean *unused)
{
  GtkTreeView *view = GTK_TREE_VIEW (need_named (window, "images"));
  GtkTreeModel *model = gtk_tree_view_get_model (view);

  if (!gtk_tree_model_get_iter_first (model, iter))
    return FALSE;
  do
    {
      g_autofree char *row_name = NULL;

      gtk_tree_model_get (model, iter, 0, &row_name, 4, users, 5, unused, -1);
      if (g_strcmp0 (row_name, name) == 0)
        return TRUE;
      g_clear_pointer (users, g_free);
    }
  while (gtk_tree_model_iter_next (model, iter));
  return FALSE;
}

typedef struct {
  GtkWidget  *window;
  const char *name;
  gboolean    present;
} ImageWait;

static gboolean
image_listed (gpointer data)
{
  ImageWait *w = data;
  g_autofree char *users = NULL;
  GtkTreeIter iter;
  gboolean unused;

  return image_row (w->window, w->name, &iter, &users, &unused) == w->present;
}

static GtkWidget *
find_message_dialog (void)
{
  g_autoptr (GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (GTK_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

static gboolean
ring_has_two (gpointer data)
{
  return vmd_ring_get_count (vmd_graph_get_ring (VMD_GRAPH (data), 0)) >= 2;
}

/* The host overview: facts, graphs of the host, the images folder with
 * who uses what, and deleting an unused image after a confirmation. */
static void
case_host (Fixture *f)
{
  const char *images = vmd_qemu_connection_get_images_dir (VMD_QEMU_CONNECTION (f->conn));
  g_autofree char *used = g_build_filename (images, "used.qcow2", NULL);
  g_autofree char *unused_path = g_build_filename (images, "spare.qcow2", NULL);
  g_autofree char *users = NULL;
  g_autofree char *cpus = g_strdup_printf ("%u", g_get_num_processors ());
  g_autoptr (VmdDomain) d = NULL;
  GtkWidget *window;
  GtkTreeIter iter;
  gboolean unused = FALSE;

  g_mkdir_with_parents (images, 0755);
  for (int i = 0; i < 2; i++)
    {
      const char *argv[] = { "qemu-img", "create", "-q", "-f", "qcow2", i ? unused_path : used,
                             "16M", NULL };
      CHECK (run_program (argv, NULL, NULL, "qemu-img create") == 0, "qemu-img create failed");
    }
  {
    GuestSpec spec = { .name = "perf-host", .kernel = TRUE, .disk = used };
    g_autofree char *xml = guest_xml (&spec);
    d = define_xml (f->conn, xml);
  }

  /* the Performance page of a VM that is off polls nothing */
  {
    VmdStatsSampler *sampler = vmd_connection_get_stats_sampler (f->conn);
    GtkWidget *page, *page_window = show_page (f, d, &page);
    guint64 passes = vmd_stats_sampler_get_pass_count (sampler);

    settle (2500);
    CHECK (vmd_stats_sampler_get_pass_count (sampler) == passes,
           "%" G_GUINT64_FORMAT " stats passes ran for a VM that is off",
           vmd_stats_sampler_get_pass_count (sampler) - passes);
    CHECK (samples_of (page, "cpu-graph") == 0, "a VM that is off has CPU samples");
    gtk_widget_destroy (page_window);
  }

  window = vmd_host_window_new (NULL, f->conn);
  gtk_widget_show (window);
  settle (200);
  CHECK (g_str_equal (gtk_label_get_text (GTK_LABEL (need_named (window, "host-name"))),
                      g_get_host_name ()), "the host name is wrong");
  CHECK (g_str_equal (gtk_label_get_text (GTK_LABEL (need_named (window, "cpu-count"))), cpus),
         "the processor count is wrong");
  CHECK (g_str_equal (gtk_label_get_text (GTK_LABEL (need_named (window, "images-folder"))),
                      images), "the images folder is wrong");
  wait_label (window, "memory", "…");
  wait_label (window, "cpu-model", "…");
  wait_label (window, "qemu-version", "…");
  wait_label (window, "kvm", "Checking whether KVM works…");
  CHECK (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (need_named (window, "qemu-version"))),
                           "QEMU emulator version"), "the QEMU version says “%s”",
         gtk_label_get_text (GTK_LABEL (need_named (window, "qemu-version"))));
  step (f, "KVM: %s", gtk_label_get_text (GTK_LABEL (need_named (window, "kvm"))));
  CHECK (spin_until (ring_has_two, need_named (window, "host-cpu-graph"), 10000),
         "the host CPU graph has no samples after 10 s");
  CHECK (spin_until (ring_has_two, need_named (window, "host-memory-graph"), 10000),
         "the host memory graph has no samples after 10 s");

  {
    ImageWait w = { window, "spare.qcow2", TRUE };
    CHECK (spin_until (image_listed, &w, 10000), "spare.qcow2 is not listed");
  }
  CHECK (image_row (window, "used.qcow2", &iter, &users, &unused), "used.qcow2 is not listed");
  CHECK (!unused && strstr (users, "perf-host") != NULL, "used.qcow2 is “%s”", users);
  gtk_tree_selection_select_iter (
    gtk_tree_view_get_selection (GTK_TREE_VIEW (need_named (window, "images"))), &iter);
  CHECK (!gtk_widget_get_sensitive (need_named (window, "delete-image")),
         "an image a VM uses can be deleted");
  g_clear_pointer (&users, g_free);
  CHECK (image_row (window, "spare.qcow2", &iter, &users, &unused), "spare.qcow2 is gone");
  CHECK (unused && g_str_equal (users, "Not used"), "spare.qcow2 is “%s”", users);
  gtk_tree_selection_select_iter (
    gtk_tree_view_get_selection (GTK_TREE_VIEW (need_named (window, "images"))), &iter);
  CHECK (gtk_widget_get_sensitive (need_named (window, "delete-image")),
         "an unused image cannot be deleted");
  screenshot (window, "perf-host-overview.png");

  /* deleting asks first; Cancel keeps the file */
  gtk_button_clicked (GTK_BUTTON (need_named (window, "delete-image")));
  CHECK (spin_until (message_dialog_shown, NULL, 5000), "no confirmation");
  gtk_dialog_response (GTK_DIALOG (find_message_dialog ()), GTK_RESPONSE_CANCEL);
  settle (500);
  CHECK (g_file_test (unused_path, G_FILE_TEST_EXISTS), "Cancel deleted the image");
  gtk_button_clicked (GTK_BUTTON (need_named (window, "delete-image")));
  CHECK (spin_until (message_dialog_shown, NULL, 5000), "no confirmation");
  gtk_dialog_response (GTK_DIALOG (find_message_dialog ()), GTK_RESPONSE_ACCEPT);
  {
    ImageWait w = { window, "spare.qcow2", FALSE };
    CHECK (spin_until (image_listed, &w, 10000), "spare.qcow2 is still listed");
  }
  CHECK (!g_file_test (unused_path, G_FILE_TEST_EXISTS), "spare.qcow2 is still there");
  CHECK (g_file_test (used, G_FILE_TEST_EXISTS), "used.qcow2 is gone");
  gtk_widget_destroy (window);
}

static const EngineCase cases[] = {
  { "graphs", case_graphs, 240 },
  { "preferences", case_preferences, 180 },
  { "host", case_host, 120 },
};

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C");
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  return engine_test_main (argc, argv, "/perf", cases, G_N_ELEMENTS (cases));
}
