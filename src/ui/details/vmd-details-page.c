/* vmd-details-page.c: one editor page of the Details view
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-details"

#include <glib/gi18n.h>

#include "vmd-details-page.h"
#include "vmd-details-resources.h"

typedef struct
{
  VmdDomain *domain;
  guint      loading;
} VmdDetailsPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (VmdDetailsPage, vmd_details_page, GTK_TYPE_BOX)

/* The folder's .ui files; see meson.build. */
void
vmd_details_ensure_resource (void)
{
  static gsize registered;

  /* Registering a static resource twice would loop its list. */
  if (g_once_init_enter (&registered))
    {
      vmd_details_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
vmd_details_page_dispose (GObject *object)
{
  VmdDetailsPagePrivate *priv = vmd_details_page_get_instance_private (VMD_DETAILS_PAGE (object));

  g_clear_object (&priv->domain);
  G_OBJECT_CLASS (vmd_details_page_parent_class)->dispose (object);
}

static void
vmd_details_page_class_init (VmdDetailsPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vmd_details_page_dispose;
  vmd_details_ensure_resource ();

  /**
   * VmdDetailsPage::changed:
   *
   * The user edited a field.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vmd_details_page_init (VmdDetailsPage *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
}

void
vmd_details_page_set_domain (VmdDetailsPage *self, VmdDomain *domain)
{
  VmdDetailsPagePrivate *priv = vmd_details_page_get_instance_private (self);

  g_return_if_fail (VMD_IS_DETAILS_PAGE (self));
  g_set_object (&priv->domain, domain);
}

VmdDomain *
vmd_details_page_get_domain (VmdDetailsPage *self)
{
  VmdDetailsPagePrivate *priv = vmd_details_page_get_instance_private (self);

  g_return_val_if_fail (VMD_IS_DETAILS_PAGE (self), NULL);
  return priv->domain;
}

gboolean
vmd_details_page_is_active (VmdDetailsPage *self)
{
  VmdDetailsPagePrivate *priv = vmd_details_page_get_instance_private (self);

  return priv->domain != NULL && vmd_domain_is_active (priv->domain);
}

void
vmd_details_page_load (VmdDetailsPage *self, VmdDomainConfig *config)
{
  VmdDetailsPagePrivate *priv = vmd_details_page_get_instance_private (self);

  g_return_if_fail (VMD_IS_DETAILS_PAGE (self));
  priv->loading++;
  if (VMD_DETAILS_PAGE_GET_CLASS (self)->load != NULL)
    VMD_DETAILS_PAGE_GET_CLASS (self)->load (self, config);
  if (VMD_DETAILS_PAGE_GET_CLASS (self)->state_changed != NULL)
    VMD_DETAILS_PAGE_GET_CLASS (self)->state_changed (self);
  priv->loading--;
}

gboolean
vmd_details_page_store (VmdDetailsPage *self, VmdDomainConfig *config, GError **error)
{
  g_return_val_if_fail (VMD_IS_DETAILS_PAGE (self), FALSE);
  if (VMD_DETAILS_PAGE_GET_CLASS (self)->store == NULL)
    return TRUE;
  return VMD_DETAILS_PAGE_GET_CLASS (self)->store (self, config, error);
}

void
vmd_details_page_state_changed (VmdDetailsPage *self)
{
  VmdDetailsPagePrivate *priv = vmd_details_page_get_instance_private (self);

  g_return_if_fail (VMD_IS_DETAILS_PAGE (self));
  priv->loading++;
  if (VMD_DETAILS_PAGE_GET_CLASS (self)->state_changed != NULL)
    VMD_DETAILS_PAGE_GET_CLASS (self)->state_changed (self);
  priv->loading--;
}

void
vmd_details_page_changed (VmdDetailsPage *self)
{
  VmdDetailsPagePrivate *priv = vmd_details_page_get_instance_private (self);

  if (priv->loading == 0)
    g_signal_emit (self, signals[CHANGED], 0);
}

gboolean
vmd_details_page_is_loading (VmdDetailsPage *self)
{
  VmdDetailsPagePrivate *priv = vmd_details_page_get_instance_private (self);

  return priv->loading > 0;
}

void
vmd_details_page_watch (VmdDetailsPage *self, gpointer widget)
{
  const char *signal;

  if (GTK_IS_SPIN_BUTTON (widget))
    signal = "value-changed";
  else if (GTK_IS_TOGGLE_BUTTON (widget))
    signal = "toggled";
  else if (GTK_IS_FILE_CHOOSER_BUTTON (widget))
    signal = "file-set";
  else if (GTK_IS_TEXT_BUFFER (widget) || GTK_IS_EDITABLE (widget) || GTK_IS_COMBO_BOX (widget))
    signal = "changed";
  else
    g_return_if_reached ();
  g_signal_connect_object (widget, signal, G_CALLBACK (vmd_details_page_changed), self,
                           G_CONNECT_SWAPPED);
}

void
vmd_details_page_set_message (GtkLabel *label, const char *message)
{
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (label));

  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  if (!gtk_style_context_has_class (style, "error"))
    gtk_style_context_add_class (style, "error");
  atk_object_set_description (gtk_widget_get_accessible (GTK_WIDGET (label)),
                              message != NULL ? message : "");
}

/* ------------------------------------------------------------ describing */

#ifdef VMD_HAVE_DEVICE_EDITORS
#include "vmd-device-editor.h"
#endif

char *
vmd_details_describe_device (VmdDomainConfig *config, VmdDevice *device, const char **icon_name)
{
#ifdef VMD_HAVE_DEVICE_EDITORS
  return vmd_device_describe (config, device, icon_name);
#else
  static const char *const kinds[] = {
    "disk", N_("Disk"), "drive-harddisk-symbolic",
    "interface", N_("Network interface"), "network-wired-symbolic",
    "graphics", N_("Display"), "video-display-symbolic",
    "video", N_("Video"), "video-display-symbolic",
    "sound", N_("Sound"), "audio-card-symbolic",
    "input", N_("Input"), "input-mouse-symbolic",
    "serial", N_("Serial port"), "utilities-terminal-symbolic",
    "console", N_("Console"), "utilities-terminal-symbolic",
    "channel", N_("Channel"), "utilities-terminal-symbolic",
    "hostdev", N_("Host device"), "drive-removable-media-symbolic",
    "redirdev", N_("USB redirection"), "drive-removable-media-symbolic",
    "controller", N_("Controller"), "applications-system-symbolic",
    "rng", N_("Random number generator"), "applications-system-symbolic",
    "watchdog", N_("Watchdog"), "applications-system-symbolic",
    "tpm", N_("TPM"), "security-high-symbolic",
    "filesystem", N_("Shared folder"), "folder-remote-symbolic",
    "memballoon", N_("Memory balloon"), "applications-system-symbolic",
  };
  const char *kind = vmd_device_get_kind (device);
  g_autoptr (GPtrArray) same = vmd_domain_config_get_devices_of_kind (config, kind);
  guint n = 1;

  for (guint i = 0; i < same->len && g_ptr_array_index (same, i) != device; i++)
    n++;
  if (VMD_IS_DEVICE_DISK (device))
    {
      g_autofree char *what = vmd_device_disk_get_device (VMD_DEVICE_DISK (device));

      if (g_strcmp0 (what, "cdrom") == 0)
        {
          if (icon_name != NULL)
            *icon_name = "media-optical-symbolic";
          return g_strdup_printf (_("CD-ROM %u"), n);
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i += 3)
    if (g_str_equal (kind, kinds[i]))
      {
        if (icon_name != NULL)
          *icon_name = kinds[i + 2];
        /* TRANSLATORS: a device kind and its number, e.g. "Disk 2" */
        return g_strdup_printf (_("%s %u"), _(kinds[i + 1]), n);
      }
  if (icon_name != NULL)
    *icon_name = "applications-system-symbolic";
  return g_strdup_printf ("%s %u", kind, n);
#endif
}
