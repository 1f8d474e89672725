/* vmd-host-window.c: the connection's host overview
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A template (vmd-host-window.ui). What this computer offers the embedded
 * engine: host name, processor, memory, whether KVM works (and why not),
 * the QEMU version and the engine's folders; graphs of the host's CPU and memory use, read from
 * /proc in a thread once per stats interval while the window is mapped;
 * and the disk images of the images folder, with their size and who uses
 * them, where unused ones can be deleted. Nothing here blocks the main
 * loop: files are read in GTask threads, QEMU is asked through a
 * GSubprocess, KVM through the (cached) probe.
 */
#define G_LOG_DOMAIN "vmdesk-perf"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "vmd-device-disk.h"
#include "vmd-graph.h"
#include "vmd-host-window.h"
#include "vmd-kvm-probe.h"
#include "vmd-perf-resources.h"
#include "vmd-perf-settings.h"
#include "vmd-qemu-connection.h"

#define CAPACITY 300   /* 5 minutes at the default interval */

enum {
  COL_NAME,
  COL_PATH,
  COL_SIZE,       /* text */
  COL_SIZE_BYTES, /* for sorting */
  COL_USERS,      /* text */
  COL_UNUSED,
  N_COLS
};

struct _VmdHostWindow
{
  GtkWindow        parent_instance;

  VmdConnection   *connection;
  GSettings       *settings;
  GCancellable    *cancellable;
  guint            timer_id;
  gboolean         sampling;     /* a /proc read is under way */
  guint64          cpu_busy, cpu_total;

  GtkLabel        *host_name;
  GtkLabel        *connection_label;
  GtkLabel        *cpu_count;
  GtkLabel        *memory_label;
  GtkLabel        *kvm_label;
  GtkLabel        *qemu_label;
  GtkLabel        *cpu_model_label;
  GtkLabel        *data_folder;
  GtkLabel        *runtime_folder;
  GtkLabel        *images_folder;
  GtkBox          *cpu_graph_box;
  GtkBox          *memory_graph_box;
  VmdGraph        *cpu_graph;
  VmdGraph        *memory_graph;
  GtkListStore    *images;
  GtkTreeView     *images_view;
  GtkLabel        *images_label;
  GtkWidget       *delete_button;
  char            *images_dir;
};

G_DEFINE_FINAL_TYPE (VmdHostWindow, vmd_host_window, GTK_TYPE_WINDOW)

/* ------------------------------------------------------ reading /proc */

typedef struct {
  guint64 busy, total;        /* jiffies, from /proc/stat */
  guint64 mem_total, mem_available;   /* bytes, from /proc/meminfo */
  char   *cpu_model;
} HostSample;

static void
host_sample_free (HostSample *sample)
{
  g_free (sample->cpu_model);
  g_free (sample);
}

static guint64
meminfo_field (const char *text, const char *name)
{
  const char *line = strstr (text, name);

  if (line == NULL)
    return 0;
  return g_ascii_strtoull (line + strlen (name), NULL, 10) * 1024;
}

static void
read_host_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  gboolean want_model = GPOINTER_TO_INT (task_data);
  HostSample *sample = g_new0 (HostSample, 1);
  g_autofree char *stat = NULL;
  g_autofree char *meminfo = NULL;

  if (g_file_get_contents ("/proc/stat", &stat, NULL, NULL) && g_str_has_prefix (stat, "cpu "))
    {
      /* user nice system idle iowait irq softirq steal */
      guint64 v[8] = { 0 };
      char *p = stat + 4;

      for (int i = 0; i < 8; i++)
        v[i] = g_ascii_strtoull (p, &p, 10);
      sample->total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
      sample->busy = sample->total - v[3] - v[4];
    }
  if (g_file_get_contents ("/proc/meminfo", &meminfo, NULL, NULL))
    {
      sample->mem_total = meminfo_field (meminfo, "MemTotal:");
      sample->mem_available = meminfo_field (meminfo, "MemAvailable:");
    }
  if (want_model)
    {
      g_autofree char *cpuinfo = NULL;

      if (g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL))
        {
          const char *line = strstr (cpuinfo, "model name");
          const char *colon = line ? strchr (line, ':') : NULL;

          if (colon != NULL)
            sample->cpu_model = g_strstrip (g_strndup (colon + 1, strcspn (colon + 1, "\n")));
        }
    }
  g_task_return_pointer (task, sample, (GDestroyNotify) host_sample_free);
}

static void
set_memory_label (VmdHostWindow *self, const HostSample *sample)
{
  char total[64], available[64];
  g_autofree char *text = NULL;

  vmd_graph_format_value (VMD_GRAPH_UNIT_BYTES, sample->mem_total, total, sizeof total);
  vmd_graph_format_value (VMD_GRAPH_UNIT_BYTES, sample->mem_available, available,
                          sizeof available);
  /* Translators: e.g. "15.6 GiB, of which 9.8 GiB available" */
  text = g_strdup_printf (_("%s, of which %s available"), total, available);
  gtk_label_set_text (self->memory_label, text);
}

static void
host_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdHostWindow) self = user_data;
  HostSample *sample = g_task_propagate_pointer (G_TASK (result), NULL);

  self->sampling = FALSE;
  if (sample == NULL || g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_pointer (&sample, host_sample_free);
      return;
    }
  if (sample->cpu_model != NULL)
    gtk_label_set_text (self->cpu_model_label, sample->cpu_model);
  if (sample->total > 0)
    {
      if (self->cpu_total > 0 && sample->total > self->cpu_total)
        {
          double pct = 100.0 * (double) (sample->busy - self->cpu_busy) /
                       (double) (sample->total - self->cpu_total);
          vmd_graph_push (self->cpu_graph, 0, CLAMP (pct, 0, 100));
          vmd_graph_samples_added (self->cpu_graph);
        }
      self->cpu_busy = sample->busy;
      self->cpu_total = sample->total;
    }
  if (sample->mem_total > 0)
    {
      vmd_graph_set_fixed_max (self->memory_graph, sample->mem_total);
      vmd_graph_push (self->memory_graph, 0, sample->mem_total - sample->mem_available);
      vmd_graph_samples_added (self->memory_graph);
      set_memory_label (self, sample);
    }
  host_sample_free (sample);
}

static void
read_host (VmdHostWindow *self, gboolean want_model)
{
  g_autoptr (GTask) task = NULL;

  if (self->sampling)
    return;
  self->sampling = TRUE;
  task = g_task_new (NULL, self->cancellable, host_read_cb, g_object_ref (self));
  g_task_set_source_tag (task, read_host);
  g_task_set_task_data (task, GINT_TO_POINTER (want_model), NULL);
  g_task_run_in_thread (task, read_host_thread);
}

static gboolean
timer_cb (gpointer user_data)
{
  read_host (user_data, FALSE);
  return G_SOURCE_CONTINUE;
}

static guint
interval_ms (VmdHostWindow *self)
{
  return self->settings ? g_settings_get_uint (self->settings, "stats-interval") * 1000 : 1000;
}

static void
restart_timer (VmdHostWindow *self)
{
  guint ms = interval_ms (self);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  self->timer_id = g_timeout_add (ms, timer_cb, self);
  g_source_set_name_by_id (self->timer_id, "[vmdesk] host stats");
  vmd_graph_set_interval (self->cpu_graph, ms);
  vmd_graph_set_interval (self->memory_graph, ms);
}

static void
vmd_host_window_map (GtkWidget *widget)
{
  VmdHostWindow *self = VMD_HOST_WINDOW (widget);

  GTK_WIDGET_CLASS (vmd_host_window_parent_class)->map (widget);
  read_host (self, FALSE);
  restart_timer (self);
}

static void
vmd_host_window_unmap (GtkWidget *widget)
{
  VmdHostWindow *self = VMD_HOST_WINDOW (widget);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  GTK_WIDGET_CLASS (vmd_host_window_parent_class)->unmap (widget);
}

/* ------------------------------------------------------ KVM and QEMU */

static void
kvm_probed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdHostWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *text = NULL;
  VmdKvmStatus status = vmd_kvm_probe_finish (result, &message, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (status == VMD_KVM_WORKS)
    text = g_strdup (_("KVM works: virtual machines run at full speed."));
  else
    /* Translators: %s says why, e.g. "/dev/kvm is missing: enable
     * virtualization in the BIOS" */
    text = g_strdup_printf (_("KVM cannot be used, so virtual machines run with TCG "
                              "(emulation, several times slower): %s"),
                            message ? message : error ? error->message : _("the reason is not known"));
  gtk_label_set_text (self->kvm_label, text);
}

static void
qemu_version_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdHostWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;

  if (!g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &out, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->qemu_label, error->message);
      return;
    }
  if (out != NULL)
    out[strcspn (out, "\n")] = '\0';
  gtk_label_set_text (self->qemu_label, out && *out ? out : _("QEMU did not say its version."));
}

static void
ask_qemu_version (VmdHostWindow *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autofree char *binary = NULL;

  if (VMD_IS_QEMU_CONNECTION (self->connection))
    binary = vmd_qemu_connection_get_qemu_binary (VMD_QEMU_CONNECTION (self->connection));
  if (binary == NULL)
    binary = g_strdup ("qemu-system-x86_64");
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, binary, "--version", NULL);
  if (process == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("QEMU (%s) cannot be run: %s"), binary,
                                               error->message);
      gtk_label_set_text (self->qemu_label, text);
      return;
    }
  g_subprocess_communicate_utf8_async (process, NULL, self->cancellable, qemu_version_cb,
                                       g_object_ref (self));
}

/* ------------------------------------------------------------- images */

typedef struct {
  char    *path;
  char    *backing;   /* the backing file a qcow2 names, or NULL */
  guint64  size;      /* on the host's disk */
} ImageFile;

static void
image_file_free (ImageFile *file)
{
  g_free (file->path);
  g_free (file->backing);
  g_free (file);
}

/* A qcow2 header names its backing file (offset and length, big-endian). */
static char *
qcow2_backing_file (const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInputStream) in = g_file_read (file, NULL, NULL);
  guint8 header[20];
  gsize got = 0;
  guint64 offset;
  guint32 len;
  g_autofree char *name = NULL;

  if (in == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (in), header, sizeof header, &got, NULL, NULL) ||
      got < sizeof header || memcmp (header, "QFI\xfb", 4) != 0)
    return NULL;
  offset = GUINT64_FROM_BE (*(guint64 *) (header + 8));
  len = GUINT32_FROM_BE (*(guint32 *) (header + 16));
  if (offset == 0 || len == 0 || len > 4096)
    return NULL;
  name = g_malloc0 (len + 1);
  if (!g_seekable_seek (G_SEEKABLE (in), offset, G_SEEK_SET, NULL, NULL) ||
      !g_input_stream_read_all (G_INPUT_STREAM (in), name, len, &got, NULL, NULL) || got != len)
    return NULL;
  if (!g_path_is_absolute (name))
    {
      g_autofree char *dir = g_path_get_dirname (path);
      return g_build_filename (dir, name, NULL);
    }
  return g_steal_pointer (&name);
}

static void
list_images_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const char *dir = task_data;
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) image_file_free);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;
      ImageFile *file;

      if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
        continue;
      file = g_new0 (ImageFile, 1);
      file->path = g_steal_pointer (&path);
      file->size = (guint64) st.st_blocks * 512;
      file->backing = qcow2_backing_file (file->path);
      g_ptr_array_add (files, file);
    }
  g_task_return_pointer (task, g_steal_pointer (&files), (GDestroyNotify) g_ptr_array_unref);
}

/* path → "vm1, vm2" of every VM whose disks name it */
static GHashTable *
image_users (VmdHostWindow *self)
{
  GHashTable *users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GPtrArray) domains = vmd_connection_list_domains (self->connection);

  for (guint i = 0; i < domains->len; i++)
    {
      VmdDomain *domain = g_ptr_array_index (domains, i);
      VmdDomainConfig *config = vmd_domain_get_config (domain);
      g_autoptr (GPtrArray) disks = NULL;

      if (config == NULL)
        continue;
      disks = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_DISK);
      for (guint j = 0; j < disks->len; j++)
        {
          g_autofree char *source = vmd_device_disk_get_source (g_ptr_array_index (disks, j));
          const char *old;

          if (source == NULL)
            continue;
          old = g_hash_table_lookup (users, source);
          g_hash_table_insert (users, g_strdup (source),
                               old ? g_strdup_printf ("%s, %s", old, vmd_domain_get_name (domain))
                                   : g_strdup (vmd_domain_get_name (domain)));
        }
    }
  return users;
}

static void
selection_changed_cb (VmdHostWindow *self)
{
  GtkTreeSelection *selection = gtk_tree_view_get_selection (self->images_view);
  GtkTreeModel *model;
  GtkTreeIter iter;
  gboolean unused = FALSE;

  if (gtk_tree_selection_get_selected (selection, &model, &iter))
    gtk_tree_model_get (model, &iter, COL_UNUSED, &unused, -1);
  gtk_widget_set_sensitive (self->delete_button, unused);
}

static void
images_listed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdHostWindow) self = user_data;
  g_autoptr (GPtrArray) files = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr (GHashTable) users = NULL;
  g_autoptr (GHashTable) backing_of = NULL;
  g_autofree char *text = NULL;

  if (files == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  users = image_users (self);
  /* an image another one is built on is in use too */
  backing_of = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  for (guint i = 0; i < files->len; i++)
    {
      ImageFile *file = g_ptr_array_index (files, i);
      if (file->backing != NULL)
        {
          g_autofree char *base = g_path_get_basename (file->path);
          /* Translators: an image another image is built on */
          g_hash_table_insert (backing_of, file->backing,
                               g_strdup_printf (_("base of %s"), base));
        }
    }

  gtk_list_store_clear (self->images);
  for (guint i = 0; i < files->len; i++)
    {
      ImageFile *file = g_ptr_array_index (files, i);
      const char *vms = g_hash_table_lookup (users, file->path);
      const char *base = g_hash_table_lookup (backing_of, file->path);
      g_autofree char *name = g_path_get_basename (file->path);
      g_autofree char *who = NULL;
      char size[64];

      if (vms != NULL && base != NULL)
        who = g_strdup_printf ("%s; %s", vms, base);
      else
        who = g_strdup (vms ? vms : base ? base : _("Not used"));
      vmd_graph_format_value (VMD_GRAPH_UNIT_BYTES, file->size, size, sizeof size);
      gtk_list_store_insert_with_values (self->images, NULL, -1,
                                         COL_NAME, name,
                                         COL_PATH, file->path,
                                         COL_SIZE, size,
                                         COL_SIZE_BYTES, file->size,
                                         COL_USERS, who,
                                         COL_UNUSED, vms == NULL && base == NULL,
                                         -1);
    }
  text = g_strdup_printf (ngettext ("%u disk image in %s", "%u disk images in %s", files->len),
                          files->len, self->images_dir);
  gtk_label_set_text (self->images_label, text);
  selection_changed_cb (self);
}

static void
refresh_images (VmdHostWindow *self)
{
  g_autoptr (GTask) task = NULL;

  if (self->images_dir == NULL)
    return;
  task = g_task_new (NULL, self->cancellable, images_listed_cb, g_object_ref (self));
  g_task_set_source_tag (task, refresh_images);
  g_task_set_task_data (task, g_strdup (self->images_dir), g_free);
  g_task_run_in_thread (task, list_images_thread);
}

static void
deleted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdHostWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!g_file_delete_finish (G_FILE (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      GtkWidget *dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL |
                                                  GTK_DIALOG_DESTROY_WITH_PARENT,
                                                  GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                                  _("The disk image could not be deleted."));
      gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
                                                error->message);
      g_signal_connect (dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
      gtk_window_present (GTK_WINDOW (dialog));
    }
  refresh_images (self);
}

static void
free_path (gpointer data, GClosure *closure)
{
  g_free (data);
}

static void
confirm_response_cb (GtkDialog *dialog, int response, gpointer user_data)
{
  VmdHostWindow *self = VMD_HOST_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  char *path = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = g_file_new_for_path (path);
      g_file_delete_async (file, G_PRIORITY_DEFAULT, self->cancellable, deleted_cb,
                           g_object_ref (self));
    }
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
delete_clicked_cb (VmdHostWindow *self)
{
  GtkTreeSelection *selection = gtk_tree_view_get_selection (self->images_view);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  GtkTreeModel *model;
  GtkTreeIter iter;
  gboolean unused;
  GtkWidget *dialog;

  if (!gtk_tree_selection_get_selected (selection, &model, &iter))
    return;
  gtk_tree_model_get (model, &iter, COL_NAME, &name, COL_PATH, &path, COL_UNUSED, &unused, -1);
  if (!unused)
    return;
  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   _("Delete the disk image “%s”?"), name);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
                                            _("No virtual machine uses it. Its contents are lost "
                                              "for good: this cannot be undone."));
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL, _("_Delete"),
                          GTK_RESPONSE_ACCEPT, NULL);
  gtk_style_context_add_class (
    gtk_widget_get_style_context (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog),
                                                                      GTK_RESPONSE_ACCEPT)),
    "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_signal_connect_data (dialog, "response", G_CALLBACK (confirm_response_cb),
                         g_steal_pointer (&path), free_path, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------- layout */

static VmdGraph *
add_graph (GtkBox *box, VmdGraphUnit unit, const char *series, const char *name,
           const char *accessible)
{
  GtkWidget *graph = vmd_graph_new (unit, CAPACITY);

  vmd_graph_add_series (VMD_GRAPH (graph), series);
  /* two minutes shown of the five kept */
  vmd_graph_set_window (VMD_GRAPH (graph), 121);
  gtk_widget_set_name (graph, name);
  gtk_widget_set_hexpand (graph, TRUE);
  atk_object_set_name (gtk_widget_get_accessible (graph), accessible);
  gtk_container_add (GTK_CONTAINER (box), graph);
  gtk_widget_show (graph);
  return VMD_GRAPH (graph);
}

/* What is known at once; the rest comes from threads and processes. */
static void
fill (VmdHostWindow *self)
{
  g_autofree char *cpus = g_strdup_printf ("%u", g_get_num_processors ());
  g_autofree char *desc = vmd_connection_get_description (self->connection);
  const char *data = NULL, *run = NULL;

  gtk_label_set_text (self->host_name, g_get_host_name ());
  gtk_label_set_text (self->connection_label,
                      desc ? desc : vmd_connection_get_uri (self->connection));
  gtk_label_set_text (self->cpu_count, cpus);
  if (VMD_IS_QEMU_CONNECTION (self->connection))
    {
      VmdQemuConnection *qemu = VMD_QEMU_CONNECTION (self->connection);

      data = vmd_qemu_connection_get_data_dir (qemu);
      run = vmd_qemu_connection_get_runtime_dir (qemu);
      self->images_dir = g_strdup (vmd_qemu_connection_get_images_dir (qemu));
    }
  if (self->settings != NULL)
    {
      g_autofree char *folder = g_settings_get_string (self->settings, "new-vm-image-folder");

      if (folder != NULL && *folder != '\0')
        {
          g_free (self->images_dir);
          self->images_dir = g_steal_pointer (&folder);
        }
    }
  gtk_label_set_text (self->data_folder, data ? data : _("Not known"));
  gtk_label_set_text (self->runtime_folder, run ? run : _("Not known"));
  gtk_label_set_text (self->images_folder, self->images_dir ? self->images_dir : _("Not known"));
}

/* ------------------------------------------------------------- object */

static void
vmd_host_window_dispose (GObject *object)
{
  VmdHostWindow *self = VMD_HOST_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->connection);
  G_OBJECT_CLASS (vmd_host_window_parent_class)->dispose (object);
}

static void
vmd_host_window_finalize (GObject *object)
{
  g_free (VMD_HOST_WINDOW (object)->images_dir);
  G_OBJECT_CLASS (vmd_host_window_parent_class)->finalize (object);
}

static void
vmd_host_window_class_init (VmdHostWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_host_window_dispose;
  G_OBJECT_CLASS (klass)->finalize = vmd_host_window_finalize;
  widget_class->map = vmd_host_window_map;
  widget_class->unmap = vmd_host_window_unmap;

  vmd_perf_ensure_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vmdesk/Vmdesk/perf/vmd-host-window.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, VmdHostWindow, name)
  CHILD (host_name);
  CHILD (connection_label);
  CHILD (cpu_count);
  CHILD (memory_label);
  CHILD (kvm_label);
  CHILD (qemu_label);
  CHILD (cpu_model_label);
  CHILD (data_folder);
  CHILD (runtime_folder);
  CHILD (images_folder);
  CHILD (cpu_graph_box);
  CHILD (memory_graph_box);
  CHILD (images);
  CHILD (images_view);
  CHILD (images_label);
  CHILD (delete_button);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, selection_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, delete_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, refresh_images);
}

static void
vmd_host_window_init (VmdHostWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->settings = vmd_perf_settings_new ();
  gtk_tree_sortable_set_sort_column_id (GTK_TREE_SORTABLE (self->images), COL_NAME,
                                        GTK_SORT_ASCENDING);
  self->cpu_graph = add_graph (self->cpu_graph_box, VMD_GRAPH_UNIT_PERCENT, _("CPU"),
                               "host-cpu-graph", _("Host CPU usage graph"));
  self->memory_graph = add_graph (self->memory_graph_box, VMD_GRAPH_UNIT_BYTES, _("In use"),
                                  "host-memory-graph", _("Host memory usage graph"));
}

GtkWidget *
vmd_host_window_new (GtkApplication *app, VmdConnection *connection)
{
  VmdHostWindow *self;

  g_return_val_if_fail (VMD_IS_CONNECTION (connection), NULL);

  self = g_object_new (VMD_TYPE_HOST_WINDOW, "application", app, NULL);
  self->connection = g_object_ref (connection);
  fill (self);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::stats-interval",
                             G_CALLBACK (restart_timer), self, G_CONNECT_SWAPPED);
  read_host (self, TRUE);
  vmd_kvm_probe_async (NULL, NULL, FALSE, self->cancellable, kvm_probed_cb, g_object_ref (self));
  ask_qemu_version (self);
  refresh_images (self);
  g_signal_connect_object (connection, "domain-added", G_CALLBACK (refresh_images), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "domain-removed", G_CALLBACK (refresh_images), self,
                           G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}
