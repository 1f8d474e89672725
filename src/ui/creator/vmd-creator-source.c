/* vmd-creator-source.c: the New VM assistant's first page: the install
 * source, checked off the main loop (libosinfo, qemu-img, GIO)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every check that reads a file or the network runs off the main loop
 * (libosinfo in a thread, qemu-img as a subprocess, GIO's async queries);
 * a page's Forward button stays insensitive while its check runs or fails.
 */
#define G_LOG_DOMAIN "vmd-creator"


#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "vmd-creator-private.h"
#include "vmd-image.h"

#define MIB ((guint64) 1 << 20)
#define GIB ((guint64) 1 << 30)

/* ============================================================ source page */

static void
source_status (VmdCreatorAssistant *self, gboolean spinning, const char *message, gboolean error)
{
  GtkStyleContext *style = gtk_widget_get_style_context (self->source_status_label);

  gtk_widget_set_visible (self->source_spinner, spinning);
  if (spinning)
    gtk_spinner_start (GTK_SPINNER (self->source_spinner));
  else
    gtk_spinner_stop (GTK_SPINNER (self->source_spinner));
  if (error)
    gtk_style_context_add_class (style, "error");
  else
    gtk_style_context_remove_class (style, "error");
  vmd_creator_set_error (self->source_status_label, message);
}

static void
source_result (VmdCreatorAssistant *self, gboolean ok, const char *message, gboolean error)
{
  self->checking = FALSE;
  self->source_ok = ok;
  source_status (self, FALSE, message, error);
  vmd_creator_set_complete (self, self->source_page, ok);
  self->resources_set = FALSE;
  self->disk_set = FALSE;
}

static void
set_detected (VmdCreatorAssistant *self, VmdOsInfo *info)
{
  g_clear_pointer (&self->detected, vmd_os_info_free);
  self->detected = info;
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->os_auto_check)) || self->os == NULL)
    {
      g_clear_pointer (&self->os, vmd_os_info_free);
      self->os = info != NULL ? vmd_os_info_copy (info) : vmd_os_info_new_generic ();
    }
}

static void
media_identified_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdCreatorAssistant) self = user_data;
  g_autoptr (GError) error = NULL;
  VmdOsInfo *info = vmd_osinfo_identify_media_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    {
      source_result (self, FALSE, error->message, TRUE);
      return;
    }
  set_detected (self, info);
  if (info != NULL)
    {
      g_autofree char *msg = g_strdup_printf (_("Detected: %s."), info->name);
      source_result (self, TRUE, msg, FALSE);
    }
  else
    source_result (self, TRUE, _("The operating system on this image was not recognised; you can choose it on the next page."), FALSE);
}

static void
tree_identified_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdCreatorAssistant) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdOsInfo) info = vmd_osinfo_identify_tree_finish (result, &error);
  g_autofree char *url = g_strstrip (g_strdup (gtk_entry_get_text (GTK_ENTRY (self->url_entry))));
  g_autofree char *base = g_str_has_suffix (url, "/") ? g_strdup (url) : g_strconcat (url, "/", NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    {
      source_result (self, FALSE, error->message, TRUE);
      return;
    }
  if (info->kernel == NULL)
    {
      g_autofree char *msg = g_strdup_printf (_("The install tree at %s names no kernel to boot."), url);
      source_result (self, FALSE, msg, TRUE);
      return;
    }
  g_free (self->tree_kernel);
  g_free (self->tree_initrd);
  self->tree_kernel = g_strconcat (base, info->kernel, NULL);
  self->tree_initrd = info->initrd ? g_strconcat (base, info->initrd, NULL) : NULL;
  {
    gboolean known = info->id != NULL;
    g_autofree char *msg = known ? g_strdup_printf (_("Detected: %s."), info->name)
                                 : g_strdup (_("The install tree was found; its operating system was not recognised."));
    set_detected (self, known ? g_steal_pointer (&info) : NULL);
    source_result (self, TRUE, msg, FALSE);
  }
}

/* An image qemu-img calls "raw" must at least look like a disk: whole
 * sectors and a boot sector (MBR or GPT), or an ISO 9660 file system. */
static void
sniff_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GFileInputStream) in = g_file_read (file, cancellable, &error);
  g_autoptr (GFileInfo) info = NULL;
  guchar buf[34 * 1024];
  gsize got = 0;
  goffset size;
  gboolean looks;

  if (in == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, error->code,
                               _("The disk image %s cannot be read: %s"), path, error->message);
      return;
    }
  info = g_file_input_stream_query_info (in, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);
  size = info ? g_file_info_get_size (info) : 0;
  memset (buf, 0, sizeof buf);
  g_input_stream_read_all (G_INPUT_STREAM (in), buf, sizeof buf, &got, cancellable, NULL);
  looks = size >= 512 && size % 512 == 0 &&
          ((buf[510] == 0x55 && buf[511] == 0xaa) || memcmp (buf + 512, "EFI PART", 8) == 0 ||
           (got > 32774 && memcmp (buf + 32769, "CD001", 5) == 0));
  g_task_return_boolean (task, looks);
}

static void
image_queried_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdCreatorAssistant) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdImageInfo) info = vmd_image_query_finish (result, &error);
  g_autofree char *path = vmd_creator_entry_path (self->import_entry);
  static const char *const native[] = { "qcow2", "raw", NULL };

  if (g_cancellable_is_cancelled (self->check_cancellable))
    return;
  if (info == NULL)
    {
      g_autofree char *msg = g_strdup_printf (_("The disk image %s cannot be used: %s"), path,
                                              error->message);
      source_result (self, FALSE, msg, TRUE);
      return;
    }
  if (g_str_equal (info->format, "raw") && g_object_get_data (G_OBJECT (self), "sniff-failed"))
    {
      g_autofree char *msg = g_strdup_printf (_("The file %s is not a disk image: it has no partition table, boot sector or known image format."), path);
      source_result (self, FALSE, msg, TRUE);
      return;
    }
  g_free (self->import_format);
  self->import_format = g_strdup (info->format);
  gtk_widget_set_visible (self->import_convert_check, !g_strv_contains (native, info->format));
  if (!g_strv_contains (native, info->format))
    {
      g_autofree char *size = vmd_creator_format_size (info->virtual_size);
      g_autofree char *msg = g_strdup_printf (_("This is a %s image of %s. It can be converted to qcow2, the format QEMU works best with, or used as it is."),
                                              info->format, size);
      source_result (self, TRUE, msg, FALSE);
    }
  else
    {
      g_autofree char *size = vmd_creator_format_size (info->virtual_size);
      g_autofree char *msg = g_strdup_printf (_("A %s disk image of %s."), info->format, size);
      source_result (self, TRUE, msg, FALSE);
    }
  set_detected (self, NULL);
}

static void
sniffed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdCreatorAssistant) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean looks = g_task_propagate_boolean (G_TASK (result), &error);
  g_autofree char *path = vmd_creator_entry_path (self->import_entry);

  if (g_cancellable_is_cancelled (self->check_cancellable))
    return;
  if (error != NULL)
    {
      source_result (self, FALSE, error->message, TRUE);
      return;
    }
  if (!looks)
    {
      /* Not raw-looking: qemu-img decides whether it is another format. */
      vmd_image_query_async (path, self->check_cancellable, image_queried_cb, g_object_ref (self));
      g_object_set_data (G_OBJECT (self), "sniff-failed", GINT_TO_POINTER (1));
      return;
    }
  g_object_set_data (G_OBJECT (self), "sniff-failed", NULL);
  vmd_image_query_async (path, self->check_cancellable, image_queried_cb, g_object_ref (self));
}

static void
kernel_checked_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdCreatorAssistant) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFileInfo) info = g_file_query_info_finish (G_FILE (source), result, &error);
  g_autofree char *path = g_file_get_path (G_FILE (source));
  gboolean is_initrd = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (source), "initrd"));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (info == NULL || g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR ||
      !g_file_info_get_attribute_boolean (info, G_FILE_ATTRIBUTE_ACCESS_CAN_READ))
    {
      g_autofree char *msg = info == NULL
        ? g_strdup_printf (is_initrd ? _("The initrd %s cannot be read: %s") : _("The kernel %s cannot be read: %s"),
                           path, error->message)
        : g_strdup_printf (is_initrd ? _("The initrd %s is not a readable file.") : _("The kernel %s is not a readable file."),
                           path);
      source_result (self, FALSE, msg, TRUE);
      return;
    }
  if (!is_initrd)
    {
      g_autofree char *initrd = vmd_creator_entry_path (self->initrd_entry);

      if (initrd != NULL)
        {
          g_autoptr (GFile) file = g_file_new_for_path (initrd);

          g_object_set_data (G_OBJECT (file), "initrd", GINT_TO_POINTER (1));
          g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_ACCESS_CAN_READ,
                                   G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, self->check_cancellable,
                                   kernel_checked_cb, g_object_ref (self));
          return;
        }
    }
  set_detected (self, NULL);
  source_result (self, TRUE, NULL, FALSE);
}

static gboolean
run_source_check (gpointer data)
{
  VmdCreatorAssistant *self = data;
  g_autofree char *path = NULL;

  self->check_id = 0;
  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  self->check_cancellable = g_cancellable_new ();
  self->checking = TRUE;
  vmd_creator_set_complete (self, self->source_page, FALSE);

  switch (self->source)
    {
    case VMD_CREATOR_SOURCE_ISO:
      path = vmd_creator_entry_path (self->iso_entry);
      if (path == NULL)
        break;
      source_status (self, TRUE, _("Detecting the operating system…"), FALSE);
      vmd_osinfo_identify_media_async (path, self->check_cancellable, media_identified_cb,
                                       g_object_ref (self));
      return G_SOURCE_REMOVE;
    case VMD_CREATOR_SOURCE_URL:
      {
        g_autofree char *url = g_strstrip (g_strdup (gtk_entry_get_text (GTK_ENTRY (self->url_entry))));
        const char *scheme = g_uri_peek_scheme (url);

        if (*url == '\0')
          break;
        if (!g_uri_is_valid (url, G_URI_FLAGS_NONE, NULL) ||
            (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0 &&
             g_strcmp0 (scheme, "ftp") != 0))
          {
            source_result (self, FALSE, _("Enter the http://, https:// or ftp:// address of an install tree."), TRUE);
            return G_SOURCE_REMOVE;
          }
        source_status (self, TRUE, _("Looking at the install tree…"), FALSE);
        vmd_osinfo_identify_tree_async (url, self->check_cancellable, tree_identified_cb,
                                        g_object_ref (self));
        return G_SOURCE_REMOVE;
      }
    case VMD_CREATOR_SOURCE_IMPORT:
      {
        g_autoptr (GTask) task = NULL;

        path = vmd_creator_entry_path (self->import_entry);
        gtk_widget_set_visible (self->import_convert_check, FALSE);
        if (path == NULL)
          break;
        source_status (self, TRUE, _("Looking at the disk image…"), FALSE);
        task = g_task_new (NULL, self->check_cancellable, sniffed_cb, g_object_ref (self));
        g_task_set_task_data (task, g_strdup (path), g_free);
        g_task_run_in_thread (task, sniff_thread);
        return G_SOURCE_REMOVE;
      }
    case VMD_CREATOR_SOURCE_KERNEL:
      {
        g_autoptr (GFile) file = NULL;

        path = vmd_creator_entry_path (self->kernel_entry);
        if (path == NULL)
          break;
        file = g_file_new_for_path (path);
        g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_ACCESS_CAN_READ,
                                 G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, self->check_cancellable,
                                 kernel_checked_cb, g_object_ref (self));
        return G_SOURCE_REMOVE;
      }
    case VMD_CREATOR_SOURCE_MANUAL:
    default:
      set_detected (self, NULL);
      source_result (self, TRUE, NULL, FALSE);
      return G_SOURCE_REMOVE;
    }
  /* Nothing entered yet: nothing to complain about either. */
  source_result (self, FALSE, NULL, FALSE);
  return G_SOURCE_REMOVE;
}

/* Something on the source page changed: check again shortly (typing a
 * path does not start a check per key). */
void
vmd_creator_source_changed (VmdCreatorAssistant *self)
{
  g_cancellable_cancel (self->check_cancellable);
  self->checking = TRUE;
  self->source_ok = FALSE;
  vmd_creator_set_complete (self, self->source_page, FALSE);
  g_clear_handle_id (&self->check_id, g_source_remove);
  self->check_id = g_timeout_add (250, run_source_check, self);
}

static void
source_changed_cb (VmdCreatorAssistant *self)
{
  vmd_creator_source_changed (self);
}

static void
source_kind_toggled_cb (VmdCreatorAssistant *self, GtkToggleButton *button)
{
  static const char *const names[] = { "iso", "url", "import", "kernel", "manual" };
  GtkWidget *radios[] = { self->radio_iso, self->radio_url, self->radio_import,
                          self->radio_kernel, self->radio_manual };

  if (!gtk_toggle_button_get_active (button))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (radios); i++)
    if (radios[i] == GTK_WIDGET (button))
      {
        self->source = (VmdCreatorSource) i;
        gtk_stack_set_visible_child_name (GTK_STACK (self->source_stack), names[i]);
      }
  source_status (self, FALSE, NULL, FALSE);
  vmd_creator_source_changed (self);
}

void
vmd_creator_browse (VmdCreatorAssistant *self, GtkWidget *entry, const char *title, const char *pattern_name,
        const char *const *patterns)
{
  g_autoptr (GtkFileChooserNative) chooser =
    gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN, NULL, NULL);

  if (patterns != NULL)
    {
      GtkFileFilter *filter = gtk_file_filter_new ();
      GtkFileFilter *all = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, pattern_name);
      for (guint i = 0; patterns[i]; i++)
        gtk_file_filter_add_pattern (filter, patterns[i]);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
      gtk_file_filter_set_name (all, _("All files"));
      gtk_file_filter_add_pattern (all, "*");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
    }
  if (gtk_native_dialog_run (GTK_NATIVE_DIALOG (chooser)) == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (chooser));
      if (path != NULL)
        gtk_entry_set_text (GTK_ENTRY (entry), path);
    }
}

static void
iso_browse_cb (VmdCreatorAssistant *self)
{
  static const char *const p[] = { "*.iso", "*.ISO", NULL };
  vmd_creator_browse (self, self->iso_entry, _("Choose an Install Image"), _("CD and DVD images"), p);
}

static void
import_browse_cb (VmdCreatorAssistant *self)
{
  static const char *const p[] = { "*.qcow2", "*.img", "*.raw", "*.vmdk", "*.vdi", "*.vhd", "*.vhdx", NULL };
  vmd_creator_browse (self, self->import_entry, _("Choose a Disk Image"), _("Disk images"), p);
}

static void
kernel_browse_cb (VmdCreatorAssistant *self)
{
  vmd_creator_browse (self, self->kernel_entry, _("Choose a Kernel"), NULL, NULL);
}

static void
initrd_browse_cb (VmdCreatorAssistant *self)
{
  vmd_creator_browse (self, self->initrd_entry, _("Choose an Initrd"), NULL, NULL);
}

static void
recent_activated_cb (VmdCreatorAssistant *self, GtkListBoxRow *row)
{
  const char *path = g_object_get_data (G_OBJECT (row), "path");

  gtk_entry_set_text (GTK_ENTRY (self->iso_entry), path);
}

/* The ISOs used lately (GtkRecentManager), newest first, at most five. */
static int
newest_first (gconstpointer a, gconstpointer b)
{
  time_t x = gtk_recent_info_get_modified ((GtkRecentInfo *) a);
  time_t y = gtk_recent_info_get_modified ((GtkRecentInfo *) b);

  return x < y ? 1 : x > y ? -1 : 0;
}

void
vmd_creator_fill_recent (VmdCreatorAssistant *self)
{
  GList *items = gtk_recent_manager_get_items (gtk_recent_manager_get_default ());
  guint shown = 0;

  items = g_list_sort (items, newest_first);
  for (GList *l = items; l != NULL && shown < 5; l = l->next)
    {
      GtkRecentInfo *info = l->data;
      g_autofree char *path = NULL;
      GtkWidget *row, *label;

      if (!gtk_recent_info_is_local (info) ||
          (g_strcmp0 (gtk_recent_info_get_mime_type (info), "application/x-cd-image") != 0 &&
           !g_str_has_suffix (gtk_recent_info_get_uri (info), ".iso")))
        continue;
      path = g_filename_from_uri (gtk_recent_info_get_uri (info), NULL, NULL);
      if (path == NULL)
        continue;
      label = gtk_label_new (path);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      row = gtk_list_box_row_new ();
      gtk_container_add (GTK_CONTAINER (row), label);
      g_object_set_data_full (G_OBJECT (row), "path", g_steal_pointer (&path), g_free);
      gtk_widget_show_all (row);
      gtk_container_add (GTK_CONTAINER (self->recent_list), row);
      shown++;
    }
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
  gtk_widget_set_visible (self->recent_heading, shown > 0);
  gtk_widget_set_visible (self->recent_list, shown > 0);
}

/* The source page's callbacks, for the template. */
void
vmd_creator_source_bind (GtkWidgetClass *widget_class)
{
#define CB(name) gtk_widget_class_bind_template_callback (widget_class, name)
  CB (source_changed_cb); CB (source_kind_toggled_cb); CB (iso_browse_cb); CB (import_browse_cb);
  CB (kernel_browse_cb); CB (initrd_browse_cb); CB (recent_activated_cb);
#undef CB
}

