/* vmd-creator-assistant.c: the New VM assistant: navigation, Finish, Cancel
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The pages' checks are in vmd-creator-pages.c, the definition in
 * vmd-creator-build.c. Nothing is written before Finish: then the disk
 * image is made (or converted, or the installer downloaded), the VM
 * defined and started, one step after another, each asynchronous. If a
 * step fails or the user cancels meanwhile, what the earlier steps made
 * is removed again (the definition, the new image, the downloads).
 */
#define G_LOG_DOMAIN "vmd-creator"


#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "vmd-creator-private.h"
#include "vmd-image.h"
#include "vmd-install-watcher.h"
#include "vmd-unattended.h"

/* gnome.compile_resources () */
GResource *vmd_creator_get_resource (void);

#define GIB ((guint64) 1 << 30)

enum { PAGE_SOURCE, PAGE_OS, PAGE_RESOURCES, PAGE_STORAGE, PAGE_FINISH, PAGE_PROGRESS };

enum { PROP_0, PROP_CONNECTION, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { DOMAIN_CREATED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VmdCreatorAssistant, vmd_creator_assistant, GTK_TYPE_ASSISTANT)

static void finish_step (VmdCreatorAssistant *self);

/* ================================================================ failing */

static void
remove_created_files (VmdCreatorAssistant *self)
{
  for (guint i = 0; self->created_files && i < self->created_files->len; i++)
    {
      g_autoptr (GFile) file = g_file_new_for_path (g_ptr_array_index (self->created_files, i));
      /* Small and few: a new qcow2 is a few hundred KiB of metadata. */
      g_file_delete_async (file, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
    }
  g_clear_pointer (&self->created_files, g_ptr_array_unref);
}

static void
undefined_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdCreatorAssistant) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!vmd_domain_undefine_finish (VMD_DOMAIN (source), result, &error))
    g_warning ("The half-made VM “%s” could not be removed: %s",
               vmd_domain_get_name (VMD_DOMAIN (source)), error->message);
  remove_created_files (self);
  if (g_object_get_data (G_OBJECT (self), "closing"))
    gtk_widget_destroy (GTK_WIDGET (self));
}

/* Undoes what Finish made; with @message, shows it on the last page;
 * without, the user cancelled and the assistant closes. */
static void
finish_failed (VmdCreatorAssistant *self, const char *message)
{
  g_autoptr (VmdDomain) domain = g_steal_pointer (&self->created_domain);

  self->busy = FALSE;
  if (message != NULL)
    {
      gtk_assistant_set_current_page (GTK_ASSISTANT (self), PAGE_FINISH);
      vmd_creator_set_error (self->finish_error_label, message);
      vmd_creator_update_finish (self);
    }
  else
    g_object_set_data (G_OBJECT (self), "closing", GINT_TO_POINTER (1));

  if (domain != NULL)
    {
      if (vmd_domain_is_active (domain))
        vmd_domain_destroy_async (domain, NULL, NULL, NULL);
      vmd_domain_undefine_async (domain, FALSE, NULL, undefined_cb, g_object_ref (self));
      return;
    }
  remove_created_files (self);
  if (message == NULL)
    gtk_widget_destroy (GTK_WIDGET (self));
}

static gboolean
check_step (VmdCreatorAssistant *self, GError *error, const char *what)
{
  if (error == NULL && !g_cancellable_is_cancelled (self->cancellable))
    return TRUE;
  if (g_object_get_data (G_OBJECT (self), "cancel-requested") ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    finish_failed (self, NULL);
  else
    {
      g_autofree char *msg = g_strdup_printf ("%s %s", what, error->message);
      finish_failed (self, msg);
    }
  return FALSE;
}

/* ================================================================= steps */

static void
progress (VmdCreatorAssistant *self, const char *text)
{
  gtk_label_set_text (GTK_LABEL (self->progress_label), text);
}

static void
started_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdCreatorAssistant) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdDomain) domain = NULL;

  vmd_domain_start_finish (VMD_DOMAIN (source), result, &error);
  if (!check_step (self, error, _("The virtual machine could not be started:")))
    return;
  domain = g_steal_pointer (&self->created_domain);
  g_clear_pointer (&self->created_files, g_ptr_array_unref);
  self->busy = FALSE;
  if (self->choices->source == VMD_CREATOR_SOURCE_ISO && self->choices->iso != NULL)
    {
      g_autofree char *uri = g_filename_to_uri (self->choices->iso, NULL, NULL);
      GtkRecentData data = { NULL, NULL, (char *) "application/x-cd-image", (char *) g_get_prgname (),
                             (char *) "vmdesk %u", NULL, FALSE };
      if (uri != NULL)
        gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
    }
  g_signal_emit (self, signals[DOMAIN_CREATED], 0, domain);
  gtk_widget_destroy (GTK_WIDGET (self));
}

static void
defined_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdCreatorAssistant) self = user_data;
  g_autoptr (GError) error = NULL;

  self->created_domain = vmd_connection_define_finish (VMD_CONNECTION (source), result, &error);
  if (!check_step (self, error, _("The virtual machine could not be defined:")))
    return;
  /* Before it starts: the watcher marks the install as booted. */
  vmd_install_watcher_ensure (self->connection);
  progress (self, _("Starting the virtual machine…"));
  vmd_domain_start_async (self->created_domain, VMD_START_NONE, self->cancellable, started_cb,
                          g_object_ref (self));
}

static void
define (VmdCreatorAssistant *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdDomainConfig) config = self->custom_config
    ? g_object_ref (self->custom_config) : vmd_creator_build_config (self->choices, &error);

  if (!check_step (self, error, _("The virtual machine’s definition is not valid:")))
    return;
  progress (self, _("Defining the virtual machine…"));
  vmd_connection_define_async (self->connection, config, self->cancellable, defined_cb,
                               g_object_ref (self));
}

static void
step_done (VmdCreatorAssistant *self, GError *error)
{
  if (!check_step (self, error, _("Preparing the storage failed:")))
    return;
  finish_step (self);
}

static void
download_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdCreatorAssistant) self = user_data;
  g_autoptr (GError) error = NULL;

  vmd_creator_download_finish (result, &error);
  step_done (self, error);
}

static void
convert_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdCreatorAssistant) self = user_data;
  g_autoptr (GError) error = NULL;

  vmd_image_convert_finish (result, &error);
  step_done (self, error);
}

static void
create_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdCreatorAssistant) self = user_data;
  g_autoptr (GError) error = NULL;

  vmd_image_create_finish (result, &error);
  step_done (self, error);
}

static void
unattended_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (VmdCreatorAssistant) self = user_data;
  g_autoptr (GError) error = NULL;
  VmdCreatorChoices *c = self->choices;

  g_clear_pointer (&c->kernel, g_free);
  g_clear_pointer (&c->initrd, g_free);
  g_clear_pointer (&c->cmdline, g_free);
  if (vmd_unattended_prepare_finish (result, &c->kernel, &c->initrd, &c->cmdline, &error))
    {
      g_ptr_array_add (self->created_files, g_strdup (c->kernel));
      g_ptr_array_add (self->created_files, g_strdup (c->initrd));
    }
  if (!check_step (self, error, _("The unattended installation could not be prepared:")))
    return;
  finish_step (self);
}

static char *
local_timezone (void)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_local ();
  const char *id = g_time_zone_get_identifier (tz);

  return id != NULL && (strchr (id, '/') != NULL || g_str_equal (id, "UTC")) && id[0] != '/' &&
         id[0] != ':' ? g_strdup (id) : g_strdup ("UTC");
}

static gboolean
ensure_images_dir (VmdCreatorAssistant *self)
{
  /* One mkdir of the folder the engine owns. */
  if (g_mkdir_with_parents (self->images_dir, 0700) != 0)
    {
      g_autofree char *msg = g_strdup_printf (_("The image folder %s cannot be made: %s"),
                                              self->images_dir, g_strerror (errno));
      finish_failed (self, msg);
      return FALSE;
    }
  return TRUE;
}

/* The next thing Finish does; each step ends by calling this again. */
static void
finish_step (VmdCreatorAssistant *self)
{
  VmdCreatorChoices *c = self->choices;
  guint done = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self), "step"));

  g_object_set_data (G_OBJECT (self), "step", GUINT_TO_POINTER (done + 1));
  switch (done)
    {
    case 0: /* the network install's kernel, or the unattended installer */
      if (c->source == VMD_CREATOR_SOURCE_ISO && c->unattended)
        {
          g_autofree char *tz = local_timezone ();
          VmdUnattendedUser user = { c->login, c->password, tz,
                                     (char *) (c->os->virtio ? "/dev/vda" : "/dev/sda") };

          if (!ensure_images_dir (self))
            return;
          progress (self, _("Preparing the unattended installation…"));
          vmd_unattended_prepare_async (c->iso, self->images_dir, c->name, &user, self->cancellable,
                                        unattended_done_cb, g_object_ref (self));
          return;
        }
      if (c->source == VMD_CREATOR_SOURCE_URL)
        {
          g_autofree char *kernel = vmd_creator_unused_path (self->images_dir, c->name, "-vmlinuz");
          g_autofree char *url = g_strdup (c->kernel);

          if (!ensure_images_dir (self))
            return;
          g_free (c->kernel);
          c->kernel = g_strdup (kernel);
          g_ptr_array_add (self->created_files, g_strdup (kernel));
          progress (self, _("Downloading the installer’s kernel…"));
          vmd_creator_download_async (url, kernel, self->cancellable, download_done_cb,
                                      g_object_ref (self));
          return;
        }
      finish_step (self);
      return;
    case 1: /* and its initrd */
      if (c->source == VMD_CREATOR_SOURCE_URL && c->initrd != NULL)
        {
          g_autofree char *initrd = vmd_creator_unused_path (self->images_dir, c->name, "-initrd");
          g_autofree char *url = g_strdup (c->initrd);

          g_free (c->initrd);
          c->initrd = g_strdup (initrd);
          g_ptr_array_add (self->created_files, g_strdup (initrd));
          progress (self, _("Downloading the installer’s initrd…"));
          vmd_creator_download_async (url, initrd, self->cancellable, download_done_cb,
                                      g_object_ref (self));
          return;
        }
      finish_step (self);
      return;
    case 2: /* the disk */
      if (c->source == VMD_CREATOR_SOURCE_IMPORT && c->convert_from != NULL)
        {
          const char *from = c->convert_from;

          if (!ensure_images_dir (self))
            return;
          g_ptr_array_add (self->created_files, g_strdup (c->disk));
          progress (self, _("Converting the disk image to qcow2…"));
          vmd_image_convert_async (from, c->disk, "qcow2", self->cancellable, convert_done_cb,
                                   g_object_ref (self));
          return;
        }
      if (c->disk != NULL && c->source != VMD_CREATOR_SOURCE_IMPORT &&
          gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->radio_disk_new)))
        {
          guint64 size = (guint64) (gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->disk_size_spin)) * GIB);

          if (!ensure_images_dir (self))
            return;
          g_ptr_array_add (self->created_files, g_strdup (c->disk));
          progress (self, _("Creating the disk image…"));
          vmd_image_create_async (c->disk, c->disk_format ? c->disk_format : "qcow2", size, NULL,
                                  self->cancellable, create_done_cb, g_object_ref (self));
          return;
        }
      finish_step (self);
      return;
    default:
      define (self);
      return;
    }
}

/* ============================================================== signals */

static void
apply_cb (GtkAssistant *assistant, gpointer user_data)
{
  VmdCreatorAssistant *self = VMD_CREATOR_ASSISTANT (assistant);

  vmd_creator_choices_free (self->choices);
  self->choices = vmd_creator_collect_choices (self);
  self->busy = TRUE;
  self->created_files = g_ptr_array_new_with_free_func (g_free);
  vmd_creator_set_error (self->finish_error_label, NULL);
  g_clear_object (&self->custom_config);
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->customize_check)))
    {
      /* The definition as it will be, edited before anything is made. */
      g_autoptr (GError) error = NULL;
      g_autoptr (VmdDomainConfig) config = vmd_creator_build_config (self->choices, &error);

      if (config == NULL)
        {
          finish_failed (self, error->message);
          return;
        }
      progress (self, _("Customize the virtual machine, then begin the installation."));
      gtk_spinner_stop (GTK_SPINNER (self->progress_spinner));
      vmd_creator_customize (self, config);
      return;
    }
  vmd_creator_begin (self);
}

/* Finish's steps, after the customizing if any. */
void
vmd_creator_begin (VmdCreatorAssistant *self)
{
  gtk_spinner_start (GTK_SPINNER (self->progress_spinner));
  g_object_set_data (G_OBJECT (self), "step", NULL);
  g_cancellable_reset (self->cancellable);
  finish_step (self);
}

/* The customize window closed without Begin: back to the last page. */
void
vmd_creator_customize_cancelled (VmdCreatorAssistant *self)
{
  g_clear_object (&self->custom_config);
  self->busy = FALSE;
  if (!gtk_widget_in_destruction (GTK_WIDGET (self)))
    {
      gtk_assistant_set_current_page (GTK_ASSISTANT (self), PAGE_FINISH);
      vmd_creator_update_finish (self);
    }
}

static void
cancel_cb (GtkAssistant *assistant, gpointer user_data)
{
  VmdCreatorAssistant *self = VMD_CREATOR_ASSISTANT (assistant);

  if (self->busy)
    {
      /* The running step fails with G_IO_ERROR_CANCELLED and undoes. */
      g_object_set_data (G_OBJECT (self), "cancel-requested", GINT_TO_POINTER (1));
      progress (self, _("Cancelling…"));
      g_cancellable_cancel (self->cancellable);
      return;
    }
  gtk_widget_destroy (GTK_WIDGET (self));
}

static void
find_cancel (GtkWidget *widget, gpointer data)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), g_dgettext ("gtk30", "_Cancel")) == 0)
    gtk_widget_set_sensitive (widget, TRUE);
  else if (GTK_IS_CONTAINER (widget) && !GTK_IS_STACK (widget) && !GTK_IS_NOTEBOOK (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_cancel, data);
}

/* GtkAssistant makes Cancel insensitive on a progress page that is not
 * complete; here it stays usable: it stops Finish and undoes its steps. */
static gboolean
enable_cancel (gpointer data)
{
  VmdCreatorAssistant *self = data;

  if (self->busy)
    gtk_container_forall (GTK_CONTAINER (self), find_cancel, NULL);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
prepare_cb (GtkAssistant *assistant, GtkWidget *page, gpointer user_data)
{
  VmdCreatorAssistant *self = VMD_CREATOR_ASSISTANT (assistant);

  if (page == self->progress_page)
    g_idle_add (enable_cancel, g_object_ref (self));
  vmd_creator_show_page_of (self, page);
}

static gint
forward (gint current, gpointer data)
{
  VmdCreatorAssistant *self = data;

  /* An imported disk is the storage. */
  if (current == PAGE_RESOURCES && self->source == VMD_CREATOR_SOURCE_IMPORT)
    return PAGE_FINISH;
  return current + 1;
}

/* ================================================================ object */

static void
vmd_creator_assistant_dispose (GObject *object)
{
  VmdCreatorAssistant *self = VMD_CREATOR_ASSISTANT (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->check_cancellable);
  {
    GtkWidget *customize = g_object_get_data (object, "customize-window");
    g_object_set_data (object, "customize-window", NULL);
    if (customize != NULL)
      gtk_widget_destroy (customize);
  }
  g_clear_handle_id (&self->check_id, g_source_remove);
  g_clear_object (&self->check_cancellable);
  G_OBJECT_CLASS (vmd_creator_assistant_parent_class)->dispose (object);
}

static void
vmd_creator_assistant_finalize (GObject *object)
{
  VmdCreatorAssistant *self = VMD_CREATOR_ASSISTANT (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->connection);
  g_clear_object (&self->created_domain);
  g_clear_object (&self->custom_config);
  g_clear_pointer (&self->created_files, g_ptr_array_unref);
  g_clear_pointer (&self->choices, vmd_creator_choices_free);
  g_clear_pointer (&self->detected, vmd_os_info_free);
  g_clear_pointer (&self->os, vmd_os_info_free);
  g_clear_pointer (&self->os_all, g_ptr_array_unref);
  g_free (self->tree_kernel);
  g_free (self->tree_initrd);
  g_free (self->import_format);
  g_free (self->images_dir);
  g_free (self->kvm_message);
  G_OBJECT_CLASS (vmd_creator_assistant_parent_class)->finalize (object);
}

static void
vmd_creator_assistant_set_property (GObject *object, guint prop_id, const GValue *value,
                                    GParamSpec *pspec)
{
  VmdCreatorAssistant *self = VMD_CREATOR_ASSISTANT (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_creator_assistant_get_property (GObject *object, guint prop_id, GValue *value,
                                    GParamSpec *pspec)
{
  VmdCreatorAssistant *self = VMD_CREATOR_ASSISTANT (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_creator_assistant_constructed (GObject *object)
{
  VmdCreatorAssistant *self = VMD_CREATOR_ASSISTANT (object);

  G_OBJECT_CLASS (vmd_creator_assistant_parent_class)->constructed (object);
  vmd_creator_pages_init (self);
  gtk_assistant_set_forward_page_func (GTK_ASSISTANT (self), forward, self, NULL);
}

static void
vmd_creator_assistant_class_init (VmdCreatorAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vmd_creator_assistant_dispose;
  object_class->finalize = vmd_creator_assistant_finalize;
  object_class->set_property = vmd_creator_assistant_set_property;
  object_class->get_property = vmd_creator_assistant_get_property;
  object_class->constructed = vmd_creator_assistant_constructed;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, VMD_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VmdCreatorAssistant::domain-created:
   * @domain: the new VM, defined and started
   */
  signals[DOMAIN_CREATED] =
    g_signal_new ("domain-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, VMD_TYPE_DOMAIN);

  /* Keeps the resource's object file, and so its constructor, linked. */
  (void) vmd_creator_get_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vmdesk/creator/vmd-creator-assistant.ui");
  vmd_creator_pages_bind (widget_class);
  gtk_widget_class_bind_template_callback (widget_class, apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_cb);
  gtk_widget_class_bind_template_callback (widget_class, prepare_cb);
}

static void
vmd_creator_assistant_init (VmdCreatorAssistant *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * vmd_creator_assistant_new:
 * @parent: (nullable): the window it belongs to
 *
 * Returns: (transfer none): the assistant, not yet shown
 */
GtkWidget *
vmd_creator_assistant_new (GtkWindow *parent, VmdConnection *connection)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (connection), NULL);

  return g_object_new (VMD_TYPE_CREATOR_ASSISTANT, "connection", connection,
                       "transient-for", parent, NULL);
}
