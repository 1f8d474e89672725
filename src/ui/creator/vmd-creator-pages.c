/* vmd-creator-pages.c: the New VM assistant's pages: what they check and show
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

enum { PAGE_SOURCE, PAGE_OS, PAGE_RESOURCES, PAGE_STORAGE, PAGE_FINISH, PAGE_PROGRESS };

void
vmd_creator_set_complete (VmdCreatorAssistant *self, GtkWidget *page, gboolean complete)
{
  gtk_assistant_set_page_complete (GTK_ASSISTANT (self), page, complete);
}

/* Shows @message (a whole sentence) in an error label, or hides it. */
void
vmd_creator_set_error (GtkWidget *label, const char *message)
{
  gtk_label_set_text (GTK_LABEL (label), message ? message : "");
  gtk_widget_set_visible (label, message != NULL && *message != '\0');
}

char *
vmd_creator_entry_path (GtkWidget *entry)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_entry_get_text (GTK_ENTRY (entry))));

  if (g_str_has_prefix (text, "file://"))
    return g_filename_from_uri (text, NULL, NULL);
  if (*text == '\0')
    return NULL;
  if (text[0] == '~' && text[1] == '/')
    return g_build_filename (g_get_home_dir (), text + 2, NULL);
  return g_steal_pointer (&text);
}

/* ================================================================ OS page */

static const char *
os_icon_name (const VmdOsInfo *os)
{
  static const char *const logos[] = { "debian", "ubuntu", "fedora", "opensuse", "archlinux",
                                       "centos", "rhel", "win", NULL };
  GtkIconTheme *theme = gtk_icon_theme_get_default ();

  if (os->distro != NULL && g_strv_contains (logos, os->distro))
    {
      g_autofree char *name = g_strdup_printf ("distributor-logo-%s", os->distro);
      if (gtk_icon_theme_has_icon (theme, name))
        return g_intern_string (name);
    }
  return os->id != NULL ? "media-optical" : "computer";
}

void
vmd_creator_update_os (VmdCreatorAssistant *self)
{
  gboolean auto_detect = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->os_auto_check));
  const char *detail;

  if (self->os == NULL)
    self->os = vmd_os_info_new_generic ();
  gtk_image_set_from_icon_name (GTK_IMAGE (self->os_icon), os_icon_name (self->os),
                                GTK_ICON_SIZE_DIALOG);
  gtk_label_set_text (GTK_LABEL (self->os_name_label), self->os->name);
  if (!auto_detect)
    detail = _("Chosen from the list.");
  else if (self->detected != NULL)
    detail = self->source == VMD_CREATOR_SOURCE_URL ? _("Detected from the install tree.")
                                                    : _("Detected from the install media.");
  else if (self->source == VMD_CREATOR_SOURCE_ISO || self->source == VMD_CREATOR_SOURCE_URL)
    detail = _("It was not recognised. Choose it from the list, or keep the generic settings.");
  else
    detail = _("Choose the operating system from the list for the best settings, or keep the generic ones.");
  gtk_label_set_text (GTK_LABEL (self->os_detail_label), detail);
  gtk_widget_set_sensitive (self->os_choose_box, !auto_detect);
  {
    /* libosinfo has a script for it, injected into the installer's initrd
     * read from this ISO. */
    gboolean can = self->source == VMD_CREATOR_SOURCE_ISO && auto_detect && self->detected != NULL &&
                   self->detected->unattended && self->detected->kernel != NULL &&
                   self->detected->initrd != NULL;
    gboolean on;

    gtk_widget_set_sensitive (self->unattended_check, can);
    if (!can)
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->unattended_check), FALSE);
    gtk_widget_set_tooltip_text (self->unattended_check, can ? NULL
                                 : _("libosinfo has no install script vmdesk can use for this operating system and media."));
    on = can && gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->unattended_check));
    gtk_widget_set_sensitive (self->unattended_grid, on);
    if (on && *gtk_entry_get_text (GTK_ENTRY (self->unattended_login_entry)) == '\0')
      gtk_entry_set_text (GTK_ENTRY (self->unattended_login_entry), g_get_user_name ());
    vmd_creator_set_complete (self, self->os_page,
                  !on || (*gtk_entry_get_text (GTK_ENTRY (self->unattended_login_entry)) != '\0' &&
                          *gtk_entry_get_text (GTK_ENTRY (self->unattended_password_entry)) != '\0'));
  }
}

static void
unattended_changed_cb (VmdCreatorAssistant *self)
{
  vmd_creator_update_os (self);
}

static gboolean
os_filter (GtkListBoxRow *row, gpointer data)
{
  VmdCreatorAssistant *self = data;
  const VmdOsInfo *info = g_object_get_data (G_OBJECT (row), "os");
  const char *text = gtk_entry_get_text (GTK_ENTRY (self->os_search_entry));
  g_autofree char *needle = g_utf8_casefold (text, -1);
  g_autofree char *name = g_utf8_casefold (info->name, -1);
  g_auto (GStrv) words = g_strsplit (needle, " ", -1);

  /* Every word somewhere in the name or the short id ("fedora 36",
   * "win11"). */
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0' && strstr (name, words[i]) == NULL &&
        (info->short_id == NULL || strstr (info->short_id, words[i]) == NULL))
      return FALSE;
  return TRUE;
}

static void
os_list_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdCreatorAssistant) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = vmd_osinfo_list_finish (result, &error);

  if (list == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (GTK_LABEL (self->os_detail_label), error->message);
      return;
    }
  self->os_all = g_ptr_array_ref (list);
  for (guint i = 0; i < list->len; i++)
    {
      VmdOsInfo *info = g_ptr_array_index (list, i);
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *label = gtk_label_new (info->name);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_margin_start (label, 6);
      gtk_container_add (GTK_CONTAINER (row), label);
      g_object_set_data (G_OBJECT (row), "os", info);
      gtk_widget_show_all (row);
      gtk_container_add (GTK_CONTAINER (self->os_list), row);
    }
  gtk_list_box_set_filter_func (GTK_LIST_BOX (self->os_list), os_filter, self, NULL);
}

static void
os_auto_toggled_cb (VmdCreatorAssistant *self)
{
  gboolean auto_detect = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->os_auto_check));

  if (!auto_detect && self->os_all == NULL && !self->os_list_loading)
    {
      self->os_list_loading = TRUE;
      vmd_osinfo_list_async (self->cancellable, os_list_cb, g_object_ref (self));
    }
  if (auto_detect)
    {
      g_clear_pointer (&self->os, vmd_os_info_free);
      self->os = self->detected ? vmd_os_info_copy (self->detected) : vmd_os_info_new_generic ();
      self->resources_set = self->disk_set = FALSE;
    }
  vmd_creator_update_os (self);
}

static void
os_search_changed_cb (VmdCreatorAssistant *self)
{
  gtk_list_box_invalidate_filter (GTK_LIST_BOX (self->os_list));
}

static void
os_row_selected_cb (VmdCreatorAssistant *self, GtkListBoxRow *row)
{
  const VmdOsInfo *info = row ? g_object_get_data (G_OBJECT (row), "os") : NULL;

  if (info == NULL)
    return;
  g_clear_pointer (&self->os, vmd_os_info_free);
  self->os = vmd_os_info_copy (info);
  self->resources_set = self->disk_set = FALSE;
  vmd_creator_update_os (self);
}

/* ========================================================= resources page */

void
vmd_creator_update_resources (VmdCreatorAssistant *self)
{
  g_autofree char *ram = vmd_creator_format_size (self->os->ram);
  g_autofree char *host_ram = vmd_creator_format_size (self->host_memory_mib * MIB);
  g_autofree char *hint = NULL;
  g_autofree char *host = NULL;

  gtk_spin_button_set_range (GTK_SPIN_BUTTON (self->memory_spin), 64, self->host_memory_mib);
  gtk_spin_button_set_range (GTK_SPIN_BUTTON (self->cpus_spin), 1, self->host_cpus);
  if (!self->resources_set)
    {
      guint64 mib = MIN (self->os->ram / MIB, self->host_memory_mib * 3 / 4);

      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->memory_spin), MAX (mib, 64));
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->cpus_spin),
                                 MIN (self->os->n_cpus, self->host_cpus));
      self->resources_set = TRUE;
    }
  hint = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Recommended for %s: %s of memory and %u CPU.",
                                       "Recommended for %s: %s of memory and %u CPUs.", self->os->n_cpus),
                          self->os->name, ram, self->os->n_cpus);
  host = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "This computer has %s of memory and %u CPU.",
                                       "This computer has %s of memory and %u CPUs.", self->host_cpus),
                          host_ram, self->host_cpus);
  gtk_label_set_text (GTK_LABEL (self->resources_hint_label), hint);
  gtk_label_set_text (GTK_LABEL (self->host_label), host);
  vmd_creator_set_complete (self, self->resources_page, TRUE);
}

static void
resources_changed_cb (VmdCreatorAssistant *self)
{
  vmd_creator_update_finish (self);
}

/* =========================================================== storage page */

static void
free_space_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdCreatorAssistant) self = user_data;
  g_autoptr (GFileInfo) info = g_file_query_filesystem_info_finish (G_FILE (source), result, NULL);

  if (info == NULL)
    return;
  self->free_bytes = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
  self->free_known = TRUE;
  /* Not before the page shows: a complete page would offer Finish early. */
  if (gtk_assistant_get_nth_page (GTK_ASSISTANT (self),
                                  gtk_assistant_get_current_page (GTK_ASSISTANT (self))) == self->storage_page)
    vmd_creator_update_storage (self);
}

static void
query_free_space (VmdCreatorAssistant *self)
{
  g_autofree char *dir = g_strdup (self->images_dir);
  g_autoptr (GFile) file = NULL;

  /* The folder may not exist yet: its nearest existing parent tells. */
  while (!g_file_test (dir, G_FILE_TEST_IS_DIR) && strchr (dir, '/') != NULL && strlen (dir) > 1)
    {
      char *parent = g_path_get_dirname (dir);
      g_free (dir);
      dir = parent;
    }
  file = g_file_new_for_path (dir);
  g_file_query_filesystem_info_async (file, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, G_PRIORITY_DEFAULT,
                                      self->cancellable, free_space_cb, g_object_ref (self));
}

static void
existing_checked_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdCreatorAssistant) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFileInfo) info = g_file_query_info_finish (G_FILE (source), result, &error);
  g_autofree char *path = g_file_get_path (G_FILE (source));
  g_autofree char *now = vmd_creator_entry_path (self->existing_entry);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || g_strcmp0 (path, now) != 0 ||
      !gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->radio_disk_existing)))
    return;
  if (info == NULL || g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_autofree char *msg = g_strdup_printf (_("The disk image %s does not exist."), path);
      vmd_creator_set_error (self->storage_error_label, msg);
      vmd_creator_set_complete (self, self->storage_page, FALSE);
      return;
    }
  vmd_creator_set_error (self->storage_error_label, NULL);
  vmd_creator_set_complete (self, self->storage_page, TRUE);
}

void
vmd_creator_update_storage (VmdCreatorAssistant *self)
{
  gboolean new_disk = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->radio_disk_new));
  gboolean existing = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->radio_disk_existing));
  guint64 size = (guint64) (gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->disk_size_spin)) * GIB);

  if (!self->disk_set)
    {
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->disk_size_spin),
                                 (double) ((self->os->storage + GIB / 2) / GIB));
      self->disk_set = TRUE;
      size = (guint64) (gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->disk_size_spin)) * GIB);
    }
  gtk_widget_set_sensitive (self->disk_new_box, new_disk);
  gtk_widget_set_sensitive (self->disk_existing_box, existing);
  if (self->free_known)
    {
      g_autofree char *free_text = vmd_creator_format_size (self->free_bytes);
      g_autofree char *msg = g_strdup_printf (_("%s free in %s."), free_text, self->images_dir);
      gtk_label_set_text (GTK_LABEL (self->disk_free_label), msg);
    }
  else
    gtk_label_set_text (GTK_LABEL (self->disk_free_label), _("Finding out the free space…"));

  if (new_disk)
    {
      if (self->free_known && size > self->free_bytes)
        {
          g_autofree char *want = vmd_creator_format_size (size);
          g_autofree char *have = vmd_creator_format_size (self->free_bytes);
          g_autofree char *msg = g_strdup_printf (_("A disk of %s does not fit: only %s are free in %s. Choose a smaller size."),
                                                  want, have, self->images_dir);
          vmd_creator_set_error (self->storage_error_label, msg);
          vmd_creator_set_complete (self, self->storage_page, FALSE);
        }
      else
        {
          vmd_creator_set_error (self->storage_error_label, NULL);
          vmd_creator_set_complete (self, self->storage_page, self->free_known);
        }
    }
  else if (existing)
    {
      g_autofree char *path = vmd_creator_entry_path (self->existing_entry);
      g_autoptr (GFile) file = NULL;

      vmd_creator_set_complete (self, self->storage_page, FALSE);
      vmd_creator_set_error (self->storage_error_label, NULL);
      if (path == NULL)
        return;
      file = g_file_new_for_path (path);
      g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                               G_PRIORITY_DEFAULT, self->cancellable, existing_checked_cb,
                               g_object_ref (self));
    }
  else
    {
      vmd_creator_set_error (self->storage_error_label, NULL);
      vmd_creator_set_complete (self, self->storage_page, TRUE);
    }
}

static void
existing_browse_cb (VmdCreatorAssistant *self)
{
  static const char *const p[] = { "*.qcow2", "*.img", "*.raw", NULL };
  vmd_creator_browse (self, self->existing_entry, _("Choose a Disk Image"), _("Disk images"), p);
}

static void
storage_changed_cb (VmdCreatorAssistant *self)
{
  vmd_creator_update_storage (self);
}

/* ============================================================ finish page */

static gboolean
name_valid (VmdCreatorAssistant *self, const char *name, char **why)
{
  VmdDomain *other = NULL;

  if (*name == '\0')
    *why = g_strdup (_("Enter a name for the virtual machine."));
  else if (strchr (name, '/') != NULL || name[0] == '.' || strlen (name) > 64 ||
           !g_utf8_validate (name, -1, NULL))
    *why = g_strdup (_("A name cannot contain “/”, start with a dot, or be longer than 64 characters."));
  else if ((other = vmd_connection_lookup_domain (self->connection, name)) != NULL)
    *why = g_strdup_printf (_("A virtual machine named “%s” already exists. Choose another name."), name);
  return *why == NULL;
}

static char *
suggested_name (VmdCreatorAssistant *self)
{
  g_autofree char *base = NULL;
  g_autofree char *path = NULL;

  if (self->os->short_id != NULL)
    base = g_strdup (self->os->short_id);
  else if (self->source == VMD_CREATOR_SOURCE_ISO && (path = vmd_creator_entry_path (self->iso_entry)))
    base = g_path_get_basename (path);
  else if (self->source == VMD_CREATOR_SOURCE_IMPORT && (path = vmd_creator_entry_path (self->import_entry)))
    base = g_path_get_basename (path);
  else
    base = g_strdup ("vm");
  if (strrchr (base, '.') != NULL && strrchr (base, '.') != base)
    *strrchr (base, '.') = '\0';
  g_strdelimit (base, " /", '-');
  for (guint i = 1;; i++)
    {
      g_autofree char *name = i == 1 ? g_strdup (base) : g_strdup_printf ("%s-%u", base, i);
      VmdDomain *other = vmd_connection_lookup_domain (self->connection, name);

      if (other == NULL)
        return g_steal_pointer (&name);
    }
}

static const char *
source_text (VmdCreatorAssistant *self)
{
  switch (self->source)
    {
    case VMD_CREATOR_SOURCE_ISO:    return _("Install from an ISO image");
    case VMD_CREATOR_SOURCE_URL:    return _("Network install");
    case VMD_CREATOR_SOURCE_IMPORT: return _("Import a disk image");
    case VMD_CREATOR_SOURCE_KERNEL: return _("Direct kernel boot");
    case VMD_CREATOR_SOURCE_MANUAL:
    default:                        return _("Manual install (network boot)");
    }
}

void
vmd_creator_update_finish (VmdCreatorAssistant *self)
{
  const char *name = gtk_entry_get_text (GTK_ENTRY (self->name_entry));
  g_autofree char *why = NULL;
  g_autoptr (GString) s = g_string_new (NULL);
  g_autoptr (VmdCreatorChoices) c = NULL;
  gboolean ok;

  if (gtk_widget_get_mapped (self->finish_page) || *name != '\0')
    {
      ok = name_valid (self, name, &why);
      vmd_creator_set_error (self->name_error_label, why);
    }
  else
    ok = FALSE;
  vmd_creator_set_complete (self, self->finish_page, ok && !self->busy);

  c = vmd_creator_collect_choices (self);
  {
    g_autofree char *mem = vmd_creator_format_size (c->memory_mib * MIB);
    g_autofree char *disk = NULL;
    const char *accel = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->accel_combo));

    if (c->disk == NULL)
      disk = g_strdup (_("none"));
    else if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->radio_disk_new)) &&
             self->source != VMD_CREATOR_SOURCE_IMPORT)
      {
        g_autofree char *size = vmd_creator_format_size (
          (guint64) (gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->disk_size_spin)) * GIB));
        disk = g_strdup_printf (_("a new %s image, %s"), size, c->disk);
      }
    else
      disk = g_strdup (c->disk);

    g_string_append_printf (s, "<b>%s</b>\n", _("Summary"));
#define LINE(label, value) \
    G_STMT_START { g_autofree char *_v = g_markup_escape_text ((value), -1); \
                   g_string_append_printf (s, "%s\t%s\n", (label), _v); } G_STMT_END
    LINE (_("Install:"), source_text (self));
    LINE (_("System:"), c->os->name);
    LINE (_("Memory:"), mem);
    {
      g_autofree char *cpus = g_strdup_printf ("%u", c->cpus);
      LINE (_("CPUs:"), cpus);
    }
    LINE (_("Storage:"), disk);
    LINE (_("Runs with:"), g_strcmp0 (accel, "kvm") == 0 ? _("KVM") : _("TCG (software emulation)"));
#undef LINE
  }
  gtk_label_set_markup (GTK_LABEL (self->summary_label), s->str);
}

static void
name_changed_cb (VmdCreatorAssistant *self)
{
  if (gtk_widget_has_focus (self->name_entry))
    self->name_edited = TRUE;
  vmd_creator_update_finish (self);
}

static void
summary_changed_cb (VmdCreatorAssistant *self)
{
  const char *accel = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->accel_combo));

  if (self->kvm_known)
    {
      g_autofree char *text = NULL;

      if (self->kvm == VMD_KVM_WORKS)
        text = g_strdup (g_strcmp0 (accel, "kvm") == 0
                           ? _("KVM works on this computer: the VM runs at nearly native speed.")
                           : _("KVM works on this computer, but this VM runs with TCG, which is much slower."));
      else
        text = g_strdup_printf (g_strcmp0 (accel, "kvm") == 0
                                  ? _("KVM does not work here (%s); the VM would stop at once. Choose TCG.")
                                  : _("TCG, because KVM does not work here: %s"),
                                self->kvm_message ? self->kvm_message : vmd_kvm_status_to_string (self->kvm));
      gtk_label_set_text (GTK_LABEL (self->accel_label), text);
    }
  else
    gtk_label_set_text (GTK_LABEL (self->accel_label), _("Checking whether KVM works…"));
  vmd_creator_update_finish (self);
}

/* What the pages say now, for building the definition. */
VmdCreatorChoices *
vmd_creator_collect_choices (VmdCreatorAssistant *self)
{
  VmdCreatorChoices *c = g_new0 (VmdCreatorChoices, 1);
  const char *bridge = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->network_combo));

  c->source = self->source;
  c->name = g_strstrip (g_strdup (gtk_entry_get_text (GTK_ENTRY (self->name_entry))));
  c->domain_type = g_strdup (gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->accel_combo)));
  if (c->domain_type == NULL)
    c->domain_type = g_strdup ("qemu");
  c->os = vmd_os_info_copy (self->os);
  c->memory_mib = (guint64) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->memory_spin));
  c->cpus = (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->cpus_spin));
  c->uefi = g_strcmp0 (gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->firmware_combo)), "uefi") == 0;
  c->tpm = self->os->needs_tpm;
  c->bridge = g_strcmp0 (bridge, "user") == 0 || bridge == NULL ? NULL : g_strdup (bridge);
  switch (self->source)
    {
    case VMD_CREATOR_SOURCE_ISO:
      c->iso = vmd_creator_entry_path (self->iso_entry);
      c->unattended = gtk_widget_is_sensitive (self->unattended_check) &&
                      gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->unattended_check));
      if (c->unattended)
        {
          c->login = g_strdup (gtk_entry_get_text (GTK_ENTRY (self->unattended_login_entry)));
          c->password = g_strdup (gtk_entry_get_text (GTK_ENTRY (self->unattended_password_entry)));
        }
      break;
    case VMD_CREATOR_SOURCE_URL:
      c->kernel = g_strdup (self->tree_kernel);
      c->initrd = g_strdup (self->tree_initrd);
      c->cmdline = g_strstrip (g_strdup (gtk_entry_get_text (GTK_ENTRY (self->url_args_entry))));
      break;
    case VMD_CREATOR_SOURCE_KERNEL:
      c->kernel = vmd_creator_entry_path (self->kernel_entry);
      c->initrd = vmd_creator_entry_path (self->initrd_entry);
      c->cmdline = g_strstrip (g_strdup (gtk_entry_get_text (GTK_ENTRY (self->kernel_args_entry))));
      break;
    case VMD_CREATOR_SOURCE_IMPORT:
      c->disk = vmd_creator_entry_path (self->import_entry);
      c->disk_format = g_strdup (self->import_format ? self->import_format : "raw");
      if (gtk_widget_get_visible (self->import_convert_check) &&
          gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->import_convert_check)))
        {
          g_free (c->disk_format);
          c->convert_from = g_steal_pointer (&c->disk);
          c->disk = vmd_creator_unused_path (self->images_dir, c->name[0] ? c->name : "vm", ".qcow2");
          c->disk_format = g_strdup ("qcow2");
        }
      return c;
    case VMD_CREATOR_SOURCE_MANUAL:
    default:
      break;
    }
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->radio_disk_new)))
    {
      /* qcow2 or raw, as Preferences say. */
      g_autofree char *format = vmd_creator_setting ("new-vm-storage-format", "qcow2");
      gboolean raw = g_str_equal (format, "raw");

      c->disk = vmd_creator_unused_path (self->images_dir, c->name[0] ? c->name : "vm",
                                         raw ? ".img" : ".qcow2");
      c->disk_format = g_strdup (raw ? "raw" : "qcow2");
    }
  else if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->radio_disk_existing)))
    {
      c->disk = vmd_creator_entry_path (self->existing_entry);
      c->disk_format = NULL;
    }
  return c;
}

/* ================================================================== init */

static void
kvm_probed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdCreatorAssistant) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  VmdKvmStatus status = vmd_kvm_probe_finish (result, &message, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->kvm = error != NULL ? VMD_KVM_UNKNOWN : status;
  self->kvm_message = g_strdup (error != NULL ? error->message : message);
  self->kvm_known = TRUE;
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->accel_combo),
                               self->kvm == VMD_KVM_WORKS ? "kvm" : "qemu");
  summary_changed_cb (self);
}

static guint64
host_memory_mib (void)
{
  g_autofree char *text = NULL;
  const char *line;

  /* /proc is no disk: reading it here does not stall the main loop. */
  if (g_file_get_contents ("/proc/meminfo", &text, NULL, NULL) &&
      (line = strstr (text, "MemTotal:")) != NULL)
    return g_ascii_strtoull (line + strlen ("MemTotal:"), NULL, 10) / 1024;
  return 4096;
}

static void
add_bridges (VmdCreatorAssistant *self)
{
  g_autoptr (GDir) dir = g_dir_open ("/sys/class/net", 0, NULL);
  const char *name;

  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->network_combo), "user",
                             _("User-mode networking (NAT)"));
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *br = g_build_filename ("/sys/class/net", name, "bridge", NULL);

      if (g_file_test (br, G_FILE_TEST_IS_DIR))
        {
          g_autofree char *text = g_strdup_printf (_("Bridge %s"), name);
          gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->network_combo), name, text);
        }
    }
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->network_combo), "user");
}

void
vmd_creator_pages_init (VmdCreatorAssistant *self)
{
  self->host_memory_mib = host_memory_mib ();
  self->host_cpus = g_get_num_processors ();
  self->images_dir = vmd_creator_images_dir (self->connection);
  self->os = vmd_os_info_new_generic ();

  add_bridges (self);
  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->firmware_combo), "bios", _("BIOS"));
  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->firmware_combo), "uefi", _("UEFI"));
  {
    /* "auto": BIOS unless the OS needs UEFI (see the finish page). */
    g_autofree char *firmware = vmd_creator_setting ("new-vm-firmware", "auto");

    gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->firmware_combo),
                                 g_str_equal (firmware, "efi") ? "uefi" : "bios");
  }
  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->accel_combo), "kvm",
                             _("KVM (hardware virtualization)"));
  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->accel_combo), "qemu",
                             _("TCG (software emulation, slower)"));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->accel_combo), "qemu");
  summary_changed_cb (self);


  atk_object_set_name (gtk_widget_get_accessible (self->os_icon), _("Operating system logo"));
  atk_object_set_name (gtk_widget_get_accessible (self->os_list), _("Operating systems"));
  atk_object_set_name (gtk_widget_get_accessible (self->recent_list), _("Recently used ISO images"));
  atk_object_set_name (gtk_widget_get_accessible (self->summary_label), _("Summary"));

  vmd_creator_fill_recent (self);
  query_free_space (self);
  vmd_kvm_probe_async (NULL, NULL, FALSE, self->cancellable, kvm_probed_cb, g_object_ref (self));
  vmd_creator_set_complete (self, self->source_page, FALSE);
}

void
vmd_creator_pages_bind (GtkWidgetClass *widget_class)
{
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdCreatorAssistant, name)
  BIND (source_page); BIND (os_page); BIND (resources_page); BIND (storage_page);
  BIND (finish_page); BIND (progress_page);
  BIND (radio_iso); BIND (radio_url); BIND (radio_import); BIND (radio_kernel); BIND (radio_manual);
  BIND (source_stack); BIND (source_spinner); BIND (source_status_label);
  BIND (iso_entry); BIND (recent_list); BIND (recent_heading);
  BIND (url_entry); BIND (url_args_entry);
  BIND (import_entry); BIND (import_convert_check);
  BIND (kernel_entry); BIND (initrd_entry); BIND (kernel_args_entry);
  BIND (os_icon); BIND (os_name_label); BIND (os_detail_label); BIND (os_auto_check);
  BIND (os_choose_box); BIND (os_search_entry); BIND (os_list); BIND (unattended_check);
  BIND (unattended_grid); BIND (unattended_login_entry); BIND (unattended_password_entry);
  BIND (resources_hint_label); BIND (memory_spin); BIND (cpus_spin); BIND (host_label);
  BIND (resources_error_label);
  BIND (radio_disk_new); BIND (radio_disk_existing); BIND (radio_disk_none);
  BIND (disk_new_box); BIND (disk_size_spin); BIND (disk_free_label);
  BIND (disk_existing_box); BIND (existing_entry); BIND (storage_error_label);
  BIND (name_entry); BIND (name_error_label); BIND (network_combo); BIND (firmware_combo);
  BIND (accel_combo); BIND (accel_label); BIND (customize_check); BIND (summary_label);
  BIND (finish_error_label); BIND (progress_spinner); BIND (progress_label);
#undef BIND
  vmd_creator_source_bind (widget_class);
#define CB(name) gtk_widget_class_bind_template_callback (widget_class, name)
  CB (existing_browse_cb);
  CB (os_auto_toggled_cb); CB (os_search_changed_cb); CB (os_row_selected_cb);
  CB (unattended_changed_cb);
  CB (resources_changed_cb); CB (storage_changed_cb); CB (name_changed_cb); CB (summary_changed_cb);
#undef CB
}

/* Called when a page is about to show. */
void
vmd_creator_show_page_of (VmdCreatorAssistant *self, GtkWidget *page)
{
  if (page == self->os_page)
    {
      /* The list, for overriding the detection, loads while the user reads. */
      if (self->os_all == NULL && !self->os_list_loading)
        {
          self->os_list_loading = TRUE;
          vmd_osinfo_list_async (self->cancellable, os_list_cb, g_object_ref (self));
        }
      vmd_creator_update_os (self);
    }
  else if (page == self->resources_page)
    vmd_creator_update_resources (self);
  else if (page == self->storage_page)
    vmd_creator_update_storage (self);
  else if (page == self->finish_page)
    {
      if (self->os->needs_uefi)
        gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->firmware_combo), "uefi");
      if (!self->name_edited)
        {
          g_autofree char *name = suggested_name (self);
          gtk_entry_set_text (GTK_ENTRY (self->name_entry), name);
        }
      summary_changed_cb (self);
      vmd_creator_update_finish (self);
    }
}
