/* vmd-creator-build.c: the definition the New VM assistant makes from the
 * user's choices and what libosinfo knows of the OS
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmd-creator"


#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "vmd-creator-private.h"
#include "vmd-perf-settings.h"
#include "vmd-device-types.h"
#include "vmd-domain-config-metadata.h"
#include "vmd-install-watcher.h"
#include "vmd-qemu-connection.h"

void
vmd_creator_choices_free (VmdCreatorChoices *choices)
{
  if (choices == NULL)
    return;
  g_free (choices->name);
  g_free (choices->domain_type);
  vmd_os_info_free (choices->os);
  g_free (choices->iso);
  g_free (choices->kernel);
  g_free (choices->initrd);
  g_free (choices->cmdline);
  g_free (choices->disk);
  g_free (choices->disk_format);
  g_free (choices->convert_from);
  g_free (choices->login);
  g_free (choices->password);
  g_free (choices->bridge);
  g_free (choices);
}

/* A new-VM default from Preferences, or @fallback without the schema. */
char *
vmd_creator_setting (const char *key, const char *fallback)
{
  g_autoptr (GSettings) settings = vmd_perf_settings_new ();
  g_autofree char *value = settings != NULL ? g_settings_get_string (settings, key) : NULL;

  return g_strdup (value != NULL && *value != '\0' ? value : fallback);
}

/* Where new disk images go: the folder chosen in Preferences, else the
 * embedded engine's image folder. */
char *
vmd_creator_images_dir (VmdConnection *connection)
{
  g_autofree char *chosen = vmd_creator_setting ("new-vm-image-folder", NULL);

  if (chosen != NULL)
    return g_steal_pointer (&chosen);
  if (VMD_IS_QEMU_CONNECTION (connection) &&
      vmd_qemu_connection_get_images_dir (VMD_QEMU_CONNECTION (connection)) != NULL)
    return g_strdup (vmd_qemu_connection_get_images_dir (VMD_QEMU_CONNECTION (connection)));
  return g_build_filename (g_get_user_data_dir (), "vmdesk", "images", NULL);
}

/* DIR/NAME.SUFFIX, or DIR/NAME-2.SUFFIX … when that file exists. */
char *
vmd_creator_unused_path (const char *dir, const char *name, const char *suffix)
{
  for (guint i = 1;; i++)
    {
      g_autofree char *base = i == 1 ? g_strdup_printf ("%s%s", name, suffix)
                                     : g_strdup_printf ("%s-%u%s", name, i, suffix);
      char *path = g_build_filename (dir, base, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return path;
      g_free (path);
    }
}

char *
vmd_creator_format_size (guint64 bytes)
{
  return g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
}

static void
add_xml_device (VmdDomainConfig *config, const char *xml)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdDevice) device = vmd_device_new_from_xml (xml, -1, &error);

  if (device == NULL)
    g_critical ("the assistant's device XML does not load: %s\n%s", error->message, xml);
  else
    vmd_domain_config_add_device (config, device);
}

/**
 * vmd_creator_build_config:
 *
 * Returns: (transfer full): the definition for @choices: devices that the
 *   OS supports (virtio where it can, else SATA/e1000e/VGA), a tablet, the
 *   guest-agent and SPICE-agent channels, a serial console; for an
 *   install, the media first in the boot order and the install marker the
 *   install watcher acts on
 */
VmdDomainConfig *
vmd_creator_build_config (const VmdCreatorChoices *c, GError **error)
{
  g_autoptr (VmdDomainConfig) config = vmd_domain_config_new (c->name);
  const VmdOsInfo *os = c->os;
  gboolean q35 = os->q35;
  const char *disk_bus = os->virtio ? "virtio" : (q35 ? "sata" : "ide");
  const char *cdrom_bus = q35 ? "sata" : "ide";
  const char *media_target = NULL;
  g_autofree char *disk_target = NULL;
  g_autoptr (GPtrArray) boot = g_ptr_array_new ();
  gboolean install = FALSE;

  vmd_domain_config_set_domain_type (config, c->domain_type);
  vmd_domain_config_set_os_type (config, "hvm");
  vmd_domain_config_set_arch (config, "x86_64");
  vmd_domain_config_set_machine (config, q35 ? "q35" : "pc");
  vmd_domain_config_set_memory (config, c->memory_mib * 1024);
  vmd_domain_config_set_current_memory (config, c->memory_mib * 1024);
  vmd_domain_config_set_vcpus (config, c->cpus);
  /* The CPU model from Preferences; "default": this computer's processor
   * with KVM, QEMU's own model with TCG. */
  {
    g_autofree char *mode = vmd_creator_setting ("new-vm-cpu-mode", "default");

    if (g_strcmp0 (c->domain_type, "kvm") == 0)
      vmd_domain_config_set_cpu (config, g_str_equal (mode, "host-model") ? "host-model"
                                                                          : "host-passthrough",
                                 NULL);
  }
  vmd_domain_config_set_feature (config, "acpi", TRUE);
  vmd_domain_config_set_feature (config, "apic", TRUE);
  vmd_domain_config_set_clock_offset (config, g_strcmp0 (os->distro, "win") == 0 ? "localtime"
                                                                                   : "utc");
  if (c->uefi)
    vmd_domain_config_set_firmware (config, VMD_FIRMWARE_UEFI);
  if (os->id != NULL)
    vmd_domain_config_set_os_id (config, os->id);

  /* The disk first, so that it is vda/sda. */
  if (c->disk != NULL)
    {
      g_autofree char *prefix = vmd_disk_target_prefix_for_bus (disk_bus);
      g_autofree char *xml = NULL;

      disk_target = vmd_disk_target_name (prefix, 0);
      xml = g_markup_printf_escaped ("<disk type='file' device='disk'>"
                                     "<driver name='qemu' type='%s'/>"
                                     "<source file='%s'/><target dev='%s' bus='%s'/></disk>",
                                     c->disk_format ? c->disk_format : "qcow2", c->disk,
                                     disk_target, disk_bus);
      add_xml_device (config, xml);
    }

  switch (c->source)
    {
    case VMD_CREATOR_SOURCE_ISO:
      {
        g_autofree char *prefix = vmd_disk_target_prefix_for_bus (cdrom_bus);
        guint index = g_strcmp0 (cdrom_bus, disk_bus) == 0 && c->disk != NULL ? 1 : 0;
        g_autofree char *target = NULL;
        g_autofree char *xml = NULL;

        /* IDE's second channel, as virt-install does: hdc. */
        if (g_str_equal (cdrom_bus, "ide"))
          index = 2;
        target = vmd_disk_target_name (prefix, index);
        xml = g_markup_printf_escaped ("<disk type='file' device='cdrom'>"
                                       "<driver name='qemu' type='raw'/>"
                                       "<source file='%s'/><target dev='%s' bus='%s'/>"
                                       "<readonly/></disk>",
                                       c->iso, target, cdrom_bus);
        add_xml_device (config, xml);
        g_ptr_array_add (boot, "cdrom");
        install = !c->quick_boot;
        if (c->kernel != NULL)
          {
            /* Unattended: the installer's kernel and the initrd with the
             * install script; the ISO stays in the drive for its packages. */
            g_autofree char *both = g_strdup_printf ("kernel %s", target);

            vmd_domain_config_set_kernel (config, c->kernel);
            vmd_domain_config_set_initrd (config, c->initrd);
            if (c->cmdline != NULL)
              vmd_domain_config_set_cmdline (config, c->cmdline);
            media_target = g_intern_string (both);
          }
        else
          media_target = g_intern_string (target);
      }
      break;
    case VMD_CREATOR_SOURCE_URL:
    case VMD_CREATOR_SOURCE_KERNEL:
      vmd_domain_config_set_kernel (config, c->kernel);
      if (c->initrd != NULL && *c->initrd != '\0')
        vmd_domain_config_set_initrd (config, c->initrd);
      if (c->cmdline != NULL && *c->cmdline != '\0')
        vmd_domain_config_set_cmdline (config, c->cmdline);
      if (c->source == VMD_CREATOR_SOURCE_URL)
        {
          media_target = "kernel";
          install = TRUE;
        }
      break;
    case VMD_CREATOR_SOURCE_MANUAL:
      g_ptr_array_add (boot, "network");
      break;
    case VMD_CREATOR_SOURCE_IMPORT:
    default:
      break;
    }
  if (c->disk != NULL)
    g_ptr_array_add (boot, "hd");
  g_ptr_array_add (boot, NULL);
  if (vmd_domain_config_get_kernel (config) == NULL)
    vmd_domain_config_set_boot_devices (config, (const char *const *) boot->pdata);

  {
    g_autofree char *nic = NULL;
    const char *model = os->virtio ? "virtio" : (q35 ? "e1000e" : "e1000");

    if (c->bridge != NULL)
      nic = g_markup_printf_escaped ("<interface type='bridge'><source bridge='%s'/>"
                                     "<model type='%s'/></interface>", c->bridge, model);
    else
      nic = g_markup_printf_escaped ("<interface type='user'><model type='%s'/></interface>",
                                     model);
    add_xml_device (config, nic);
  }
  add_xml_device (config, "<serial type='pty'><target port='0'/></serial>");
  add_xml_device (config, "<input type='tablet' bus='usb'/>");
  {
    g_autofree char *graphics = vmd_creator_setting ("new-vm-graphics", "spice");

    add_xml_device (config, g_str_equal (graphics, "vnc") ? "<graphics type='vnc'/>"
                                                          : "<graphics type='spice'/>");
  }
  add_xml_device (config, os->virtio_gpu ? "<video><model type='virtio' heads='1' primary='yes'/></video>"
                                         : "<video><model type='vga' primary='yes'/></video>");
  vmd_domain_config_add_device (config, VMD_DEVICE (vmd_device_chardev_new_guest_agent ()));
  vmd_domain_config_add_device (config, VMD_DEVICE (vmd_device_chardev_new_spice_agent ()));
  if (os->virtio)
    {
      add_xml_device (config, "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>");
      add_xml_device (config, "<memballoon model='virtio'/>");
    }
  if (c->tpm)
    add_xml_device (config, "<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>");

  if (install)
    {
      /* A guest that reboots at the end of its installation stops instead:
       * the install watcher then takes the media out (and restores this). */
      vmd_domain_config_set_lifecycle_action (config, VMD_LIFECYCLE_REBOOT, "destroy", NULL);
      vmd_domain_config_set_vmdesk_value (config, VMD_INSTALL_KEY_MEDIA, media_target);
      vmd_domain_config_set_vmdesk_value (config, VMD_INSTALL_KEY_STATE, "pending");
      /* The installer's kernel and initrd vmdesk wrote (a download, or the
       * unattended ones): deleted with the install media. */
      if (c->kernel != NULL && (c->source == VMD_CREATOR_SOURCE_URL || c->source == VMD_CREATOR_SOURCE_ISO))
        {
          g_autofree char *files = g_strjoin ("\n", c->kernel, c->initrd, NULL);
          vmd_domain_config_set_vmdesk_value (config, VMD_INSTALL_KEY_FILES, files);
        }
    }
  if (c->quick_boot)
    vmd_domain_config_set_vmdesk_value (config, VMD_INSTALL_KEY_QUICK,
                                        c->disk != NULL ? c->disk : "");

  if (!vmd_domain_config_validate (config, error))
    return NULL;
  return g_steal_pointer (&config);
}

/* ================================================================ download */

/* GET @url into @path with plain HTTP/1.0 (https through GIO's TLS),
 * following up to five redirects. In a worker thread. */
static gboolean
http_get (const char *url, const char *path, GCancellable *cancellable, GError **error)
{
  g_autofree char *current = g_strdup (url);

  for (guint hop = 0; hop < 6; hop++)
    {
      g_autoptr (GUri) uri = g_uri_parse (current, G_URI_FLAGS_ENCODED, error);
      g_autoptr (GSocketClient) client = g_socket_client_new ();
      g_autoptr (GSocketConnection) conn = NULL;
      g_autoptr (GDataInputStream) in = NULL;
      g_autoptr (GFileOutputStream) out = NULL;
      g_autoptr (GFile) file = NULL;
      g_autofree char *request = NULL;
      g_autofree char *status = NULL;
      g_autofree char *location = NULL;
      const char *scheme;
      gint64 length = -1;
      gssize got;
      int code = 0;

      if (uri == NULL)
        return FALSE;
      scheme = g_uri_get_scheme (uri);
      if (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("Only http:// and https:// addresses can be downloaded from: %s"), current);
          return FALSE;
        }
      g_socket_client_set_tls (client, g_str_equal (scheme, "https"));
      conn = g_socket_client_connect_to_uri (client, current, g_str_equal (scheme, "https") ? 443 : 80,
                                             cancellable, error);
      if (conn == NULL)
        return FALSE;
      request = g_strdup_printf ("GET %s%s%s HTTP/1.0\r\nHost: %s\r\nUser-Agent: vmdesk\r\n"
                                 "Connection: close\r\n\r\n",
                                 *g_uri_get_path (uri) ? g_uri_get_path (uri) : "/",
                                 g_uri_get_query (uri) ? "?" : "",
                                 g_uri_get_query (uri) ? g_uri_get_query (uri) : "",
                                 g_uri_get_host (uri));
      if (!g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), request,
                                      strlen (request), NULL, cancellable, error))
        return FALSE;
      in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (conn)));
      g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_ANY);
      status = g_data_input_stream_read_line (in, NULL, cancellable, error);
      if (status == NULL)
        return FALSE;
      if (sscanf (status, "HTTP/%*s %d", &code) != 1)
        code = 0;
      for (;;)
        {
          g_autofree char *line = g_data_input_stream_read_line (in, NULL, cancellable, error);

          if (line == NULL)
            return FALSE;
          g_strchomp (line);
          if (*line == '\0')
            break;
          if (g_ascii_strncasecmp (line, "Content-Length:", 15) == 0)
            length = g_ascii_strtoll (line + 15, NULL, 10);
          if (g_ascii_strncasecmp (line, "Location:", 9) == 0)
            {
              g_free (location);
              location = g_strstrip (g_strdup (line + 9));
            }
        }
      if ((code == 301 || code == 302 || code == 303 || code == 307 || code == 308) && location)
        {
          g_autoptr (GUri) next = g_uri_parse_relative (uri, location, G_URI_FLAGS_ENCODED, error);
          if (next == NULL)
            return FALSE;
          g_free (current);
          current = g_uri_to_string (next);
          continue;
        }
      if (code != 200)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Downloading %s failed: the server answered “%s”."),
                       current, g_strstrip (status));
          return FALSE;
        }
      file = g_file_new_for_path (path);
      out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, cancellable, error);
      if (out == NULL)
        return FALSE;
      got = g_output_stream_splice (G_OUTPUT_STREAM (out), G_INPUT_STREAM (in),
                                    G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, cancellable, error);
      if (got >= 0 && length >= 0 && got != length)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                     _("The download of %s broke off after %" G_GSSIZE_FORMAT " of %" G_GINT64_FORMAT " bytes."),
                     current, got, length);
      if (got < 0 || (length >= 0 && got != length))
        {
          g_file_delete (file, NULL, NULL);
          return FALSE;
        }
      return TRUE;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Downloading %s failed: too many redirects."), url);
  return FALSE;
}

static void
download_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  char **pair = task_data;
  g_autoptr (GError) error = NULL;

  if (!http_get (pair[0], pair[1], cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
vmd_creator_download_async (const char *url, const char *path, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  char **pair = g_new0 (char *, 3);

  pair[0] = g_strdup (url);
  pair[1] = g_strdup (path);
  g_task_set_source_tag (task, vmd_creator_download_async);
  g_task_set_task_data (task, pair, (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, download_thread);
}

gboolean
vmd_creator_download_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
