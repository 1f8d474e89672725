/* vmd-domain-config-hw.c: memory, CPUs, OS, firmware, boot, features, clock
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vmd-domain-config-private.h"
#include "vmd-size.h"
#include "vmd-xml.h"

#define ROOT(self) _vmd_domain_config_get_root (self)

/* ------------------------------------------------------------------ memory */

static guint64
get_size_kib (VmdDomainConfig *self, const char *element)
{
  xmlNodePtr node = vmd_xml_find (ROOT (self), element);
  g_autofree char *text = NULL;
  g_autofree char *unit = NULL;
  guint64 value, kib;

  if (node == NULL)
    return 0;
  text = g_strstrip (vmd_xml_get_text (node));
  unit = vmd_xml_get_attr (node, "unit");
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &value, NULL))
    return 0;
  if (!vmd_size_to_kib (value, unit, &kib, NULL))
    return 0;
  return kib;
}

static void
set_size_kib (VmdDomainConfig *self, const char *element, guint64 kib)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, kib);
  xmlNodePtr node = vmd_xml_ensure (ROOT (self), element);

  vmd_xml_set_attr (node, "unit", "KiB");
  vmd_xml_set_text (node, text);
}

/**
 * vmd_domain_config_get_memory:
 *
 * Returns: the maximum memory in KiB, whatever unit the XML uses; 0 when
 *   absent or unreadable
 */
guint64
vmd_domain_config_get_memory (VmdDomainConfig *self)
{
  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), 0);
  return get_size_kib (self, "memory");
}

void
vmd_domain_config_set_memory (VmdDomainConfig *self, guint64 kib)
{
  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));

  set_size_kib (self, "memory", kib);
  /* libvirt caps the balloon at the maximum; so do we. */
  if (vmd_xml_has (ROOT (self), "currentMemory") && get_size_kib (self, "currentMemory") > kib)
    set_size_kib (self, "currentMemory", kib);
  _vmd_domain_config_changed (self);
}

guint64
vmd_domain_config_get_current_memory (VmdDomainConfig *self)
{
  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), 0);
  if (!vmd_xml_has (ROOT (self), "currentMemory"))
    return get_size_kib (self, "memory");
  return get_size_kib (self, "currentMemory");
}

void
vmd_domain_config_set_current_memory (VmdDomainConfig *self, guint64 kib)
{
  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));
  set_size_kib (self, "currentMemory", kib);
  _vmd_domain_config_changed (self);
}

/* -------------------------------------------------------------------- CPUs */

guint
vmd_domain_config_get_vcpus (VmdDomainConfig *self)
{
  g_autofree char *text = NULL;
  guint64 value;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), 0);
  text = vmd_xml_get_text_at (ROOT (self), "vcpu");
  if (text == NULL)
    return 1;  /* libvirt's default */
  if (!g_ascii_string_to_unsigned (g_strstrip (text), 10, 0, G_MAXUINT, &value, NULL))
    return 0;
  return (guint) value;
}

void
vmd_domain_config_set_vcpus (VmdDomainConfig *self, guint vcpus)
{
  g_autofree char *text = g_strdup_printf ("%u", vcpus);
  xmlNodePtr node;

  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));

  node = vmd_xml_find (ROOT (self), "vcpu");
  if (node == NULL)
    {
      node = vmd_xml_ensure (ROOT (self), "vcpu");
      vmd_xml_set_attr (node, "placement", "static");
    }
  if (vmd_xml_get_uint_attr_at (node, NULL, "current", 0) >= vcpus)
    vmd_xml_set_attr (node, "current", NULL);
  vmd_xml_set_text (node, text);
  _vmd_domain_config_changed (self);
}

guint
vmd_domain_config_get_current_vcpus (VmdDomainConfig *self)
{
  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), 0);
  return (guint) vmd_xml_get_uint_attr_at (ROOT (self), "vcpu", "current",
                                           vmd_domain_config_get_vcpus (self));
}

void
vmd_domain_config_set_current_vcpus (VmdDomainConfig *self, guint vcpus)
{
  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));

  if (vcpus >= vmd_domain_config_get_vcpus (self))
    vmd_xml_set_attr_at (ROOT (self), "vcpu", "current", NULL);
  else
    vmd_xml_set_uint_attr_at (ROOT (self), "vcpu", "current", vcpus);
  _vmd_domain_config_changed (self);
}

/**
 * vmd_domain_config_get_cpu_topology:
 *
 * Returns: %TRUE when the definition sets a topology; dies, if any, are
 *   folded into @sockets.
 */
gboolean
vmd_domain_config_get_cpu_topology (VmdDomainConfig *self,
                                    guint           *sockets,
                                    guint           *cores,
                                    guint           *threads)
{
  xmlNodePtr topo;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), FALSE);

  topo = vmd_xml_find (ROOT (self), "cpu/topology");
  if (sockets)
    *sockets = (guint) (vmd_xml_get_uint_attr_at (topo, NULL, "sockets", 1) *
                        vmd_xml_get_uint_attr_at (topo, NULL, "dies", 1));
  if (cores)
    *cores = (guint) vmd_xml_get_uint_attr_at (topo, NULL, "cores", 1);
  if (threads)
    *threads = (guint) vmd_xml_get_uint_attr_at (topo, NULL, "threads", 1);
  return topo != NULL;
}

void
vmd_domain_config_set_cpu_topology (VmdDomainConfig *self,
                                    guint            sockets,
                                    guint            cores,
                                    guint            threads)
{
  xmlNodePtr topo;

  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));

  topo = vmd_xml_ensure (ROOT (self), "cpu/topology");
  vmd_xml_set_uint_attr_at (topo, NULL, "sockets", sockets);
  if (xmlHasProp (topo, (const xmlChar *) "dies") != NULL)
    vmd_xml_set_uint_attr_at (topo, NULL, "dies", 1);
  vmd_xml_set_uint_attr_at (topo, NULL, "cores", cores);
  vmd_xml_set_uint_attr_at (topo, NULL, "threads", threads);
  _vmd_domain_config_changed (self);
}

void
vmd_domain_config_clear_cpu_topology (VmdDomainConfig *self)
{
  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));
  vmd_xml_set_present (ROOT (self), "cpu/topology", FALSE);
  _vmd_domain_config_changed (self);
}

char *
vmd_domain_config_get_cpu_mode (VmdDomainConfig *self)
{
  char *mode;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), NULL);
  mode = vmd_xml_get_attr_at (ROOT (self), "cpu", "mode");
  if (mode == NULL && vmd_xml_has (ROOT (self), "cpu/model"))
    mode = g_strdup ("custom");
  return mode;
}

char *
vmd_domain_config_get_cpu_model (VmdDomainConfig *self)
{
  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), NULL);
  return vmd_xml_get_text_at (ROOT (self), "cpu/model");
}

/**
 * vmd_domain_config_set_cpu:
 * @mode: (nullable): "host-passthrough", "host-model", "maximum", "custom",
 *   or %NULL for the hypervisor's default
 * @model: (nullable): the named model for "custom"
 */
void
vmd_domain_config_set_cpu (VmdDomainConfig *self, const char *mode, const char *model)
{
  xmlNodePtr root;

  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));

  root = ROOT (self);
  if (mode == NULL && model != NULL)
    mode = "custom";

  if (mode == NULL)
    {
      vmd_xml_set_present (root, "cpu/model", FALSE);
      vmd_xml_set_attr_at (root, "cpu", "match", NULL);
      vmd_xml_set_attr_at (root, "cpu", "check", NULL);
      vmd_xml_set_attr_at (root, "cpu", "migratable", NULL);
      vmd_xml_set_attr_at (root, "cpu", "mode", NULL);
    }
  else if (g_str_equal (mode, "custom"))
    {
      vmd_xml_set_attr_at (root, "cpu", "mode", "custom");
      if (xmlHasProp (vmd_xml_find (root, "cpu"), (const xmlChar *) "match") == NULL)
        vmd_xml_set_attr_at (root, "cpu", "match", "exact");
      vmd_xml_set_attr_at (root, "cpu", "migratable", NULL);
      if (model != NULL)
        vmd_xml_set_text_at (root, "cpu/model", model);
    }
  else
    {
      vmd_xml_set_attr_at (root, "cpu", "mode", mode);
      vmd_xml_set_attr_at (root, "cpu", "match", NULL);
      vmd_xml_set_present (root, "cpu/model", FALSE);
    }
  _vmd_domain_config_changed (self);
}

/* ---------------------------------------------------------------------- OS */

char *
vmd_domain_config_get_os_type (VmdDomainConfig *self)
{
  g_autofree char *type = NULL;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), NULL);
  type = vmd_xml_get_text_at (ROOT (self), "os/type");
  return type ? g_strstrip (g_steal_pointer (&type)) : NULL;
}

void
vmd_domain_config_set_os_type (VmdDomainConfig *self, const char *type)
{
  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));
  vmd_xml_set_text_at (ROOT (self), "os/type", type);
  _vmd_domain_config_changed (self);
}

char *
vmd_domain_config_get_arch (VmdDomainConfig *self)
{
  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), NULL);
  return vmd_xml_get_attr_at (ROOT (self), "os/type", "arch");
}

void
vmd_domain_config_set_arch (VmdDomainConfig *self, const char *arch)
{
  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));
  vmd_xml_set_attr_at (ROOT (self), "os/type", "arch", arch);
  _vmd_domain_config_changed (self);
}

char *
vmd_domain_config_get_machine (VmdDomainConfig *self)
{
  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), NULL);
  return vmd_xml_get_attr_at (ROOT (self), "os/type", "machine");
}

void
vmd_domain_config_set_machine (VmdDomainConfig *self, const char *machine)
{
  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));
  vmd_xml_set_attr_at (ROOT (self), "os/type", "machine", machine);
  _vmd_domain_config_changed (self);
}

/* ---------------------------------------------------------------- firmware */

VmdFirmware
vmd_domain_config_get_firmware (VmdDomainConfig *self)
{
  g_autofree char *firmware = NULL;
  g_autofree char *loader_type = NULL;
  g_autofree char *loader = NULL;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), VMD_FIRMWARE_BIOS);

  firmware = vmd_xml_get_attr_at (ROOT (self), "os", "firmware");
  if (firmware != NULL)
    return g_str_equal (firmware, "efi") ? VMD_FIRMWARE_UEFI : VMD_FIRMWARE_BIOS;

  loader_type = vmd_xml_get_attr_at (ROOT (self), "os/loader", "type");
  if (g_strcmp0 (loader_type, "pflash") == 0)
    return VMD_FIRMWARE_UEFI;

  loader = vmd_xml_get_text_at (ROOT (self), "os/loader");
  if (loader != NULL && (strstr (loader, "OVMF") || strstr (loader, "edk2") ||
                         strstr (loader, "ovmf") || strstr (loader, "AAVMF")))
    return VMD_FIRMWARE_UEFI;
  return VMD_FIRMWARE_BIOS;
}

void
vmd_domain_config_set_firmware (VmdDomainConfig *self, VmdFirmware firmware)
{
  xmlNodePtr root;

  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));

  root = ROOT (self);
  if (firmware == VMD_FIRMWARE_UEFI)
    {
      if (!vmd_xml_has (root, "os/loader"))
        vmd_xml_set_attr_at (root, "os", "firmware", "efi");
    }
  else
    {
      vmd_xml_set_attr_at (root, "os", "firmware", NULL);
      vmd_xml_set_present (root, "os/firmware", FALSE);
      vmd_xml_set_present (root, "os/loader", FALSE);
      vmd_xml_set_present (root, "os/nvram", FALSE);
    }
  _vmd_domain_config_changed (self);
}

static xmlNodePtr
find_firmware_feature (xmlNodePtr root, const char *name)
{
  xmlNodePtr fw = vmd_xml_find (root, "os/firmware");

  for (xmlNodePtr f = vmd_xml_child (fw, "feature"); f; f = vmd_xml_next_element (f, "feature"))
    {
      g_autofree char *fname = vmd_xml_get_attr (f, "name");
      if (g_strcmp0 (fname, name) == 0)
        return f;
    }
  return NULL;
}

gboolean
vmd_domain_config_get_secure_boot (VmdDomainConfig *self)
{
  xmlNodePtr feature;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), FALSE);

  if (vmd_xml_get_bool_attr_at (ROOT (self), "os/loader", "secure", FALSE))
    return TRUE;
  feature = find_firmware_feature (ROOT (self), "secure-boot");
  return feature != NULL && vmd_xml_get_bool_attr_at (feature, NULL, "enabled", FALSE);
}

void
vmd_domain_config_set_secure_boot (VmdDomainConfig *self, gboolean enabled)
{
  xmlNodePtr root, feature;

  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));

  root = ROOT (self);
  if (vmd_xml_has (root, "os/loader"))
    {
      vmd_xml_set_bool_attr_at (root, "os/loader", "secure", enabled);
    }
  else
    {
      feature = find_firmware_feature (root, "secure-boot");
      if (feature == NULL)
        {
          feature = vmd_xml_add_child (vmd_xml_ensure (root, "os/firmware"), "feature");
          vmd_xml_set_attr (feature, "enabled", enabled ? "yes" : "no");
          vmd_xml_set_attr (feature, "name", "secure-boot");
        }
      else
        {
          vmd_xml_set_attr (feature, "enabled", enabled ? "yes" : "no");
        }
    }
  _vmd_domain_config_changed (self);
}

char *
vmd_domain_config_get_loader (VmdDomainConfig *self)
{
  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), NULL);
  return vmd_xml_get_text_at (ROOT (self), "os/loader");
}

/**
 * vmd_domain_config_set_loader:
 * @path: (nullable): the firmware image; %NULL removes the loader
 * @type: (nullable): "pflash" or "rom"
 */
void
vmd_domain_config_set_loader (VmdDomainConfig *self,
                              const char      *path,
                              gboolean         readonly,
                              const char      *type)
{
  xmlNodePtr root, loader;

  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));

  root = ROOT (self);
  if (path == NULL)
    {
      vmd_xml_set_present (root, "os/loader", FALSE);
    }
  else
    {
      loader = vmd_xml_ensure (root, "os/loader");
      vmd_xml_set_attr (loader, "readonly", readonly ? "yes" : "no");
      vmd_xml_set_attr (loader, "type", type);
      vmd_xml_set_text (loader, path);
    }
  _vmd_domain_config_changed (self);
}

char *
vmd_domain_config_get_nvram (VmdDomainConfig *self)
{
  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), NULL);
  return vmd_xml_get_text_at (ROOT (self), "os/nvram");
}

char *
vmd_domain_config_get_nvram_template (VmdDomainConfig *self)
{
  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), NULL);
  return vmd_xml_get_attr_at (ROOT (self), "os/nvram", "template");
}

void
vmd_domain_config_set_nvram (VmdDomainConfig *self,
                             const char      *path,
                             const char      *template_path)
{
  xmlNodePtr nvram;

  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));

  if (path == NULL && template_path == NULL)
    {
      vmd_xml_set_present (ROOT (self), "os/nvram", FALSE);
    }
  else
    {
      nvram = vmd_xml_ensure (ROOT (self), "os/nvram");
      vmd_xml_set_attr (nvram, "template", template_path);
      vmd_xml_set_text (nvram, path);
    }
  _vmd_domain_config_changed (self);
}

/* -------------------------------------------------------------------- boot */

/**
 * vmd_domain_config_get_boot_devices:
 *
 * Returns: (transfer full): the `<os><boot dev=…/>` list in order ("hd",
 *   "cdrom", "network", "fd"); empty when devices carry their own order
 */
GStrv
vmd_domain_config_get_boot_devices (VmdDomainConfig *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  xmlNodePtr os;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), NULL);

  os = vmd_xml_find (ROOT (self), "os");
  for (xmlNodePtr b = vmd_xml_child (os, "boot"); b; b = vmd_xml_next_element (b, "boot"))
    {
      g_autofree char *dev = vmd_xml_get_attr (b, "dev");
      if (dev != NULL)
        g_strv_builder_add (builder, dev);
    }
  return g_strv_builder_end (builder);
}

void
vmd_domain_config_set_boot_devices (VmdDomainConfig *self, const char *const *devices)
{
  xmlNodePtr os;
  xmlNodePtr b;

  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));

  os = vmd_xml_ensure (ROOT (self), "os");
  while ((b = vmd_xml_child (os, "boot")) != NULL)
    vmd_xml_remove (b);
  for (guint i = 0; devices && devices[i]; i++)
    {
      b = vmd_xml_add_child (os, "boot");
      vmd_xml_set_attr (b, "dev", devices[i]);
    }
  _vmd_domain_config_changed (self);
}

gboolean
vmd_domain_config_get_boot_menu (VmdDomainConfig *self)
{
  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), FALSE);
  return vmd_xml_get_bool_attr_at (ROOT (self), "os/bootmenu", "enable", FALSE);
}

void
vmd_domain_config_set_boot_menu (VmdDomainConfig *self, gboolean enabled)
{
  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));
  if (enabled)
    vmd_xml_set_bool_attr_at (ROOT (self), "os/bootmenu", "enable", TRUE);
  else
    vmd_xml_set_present (ROOT (self), "os/bootmenu", FALSE);
  _vmd_domain_config_changed (self);
}

static char *
get_os_text (VmdDomainConfig *self, const char *path)
{
  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), NULL);
  return vmd_xml_get_text_at (ROOT (self), path);
}

static void
set_os_text (VmdDomainConfig *self, const char *path, const char *value)
{
  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));
  vmd_xml_set_text_at (ROOT (self), path, value && *value ? value : NULL);
  _vmd_domain_config_changed (self);
}

char *
vmd_domain_config_get_kernel (VmdDomainConfig *self)
{
  return get_os_text (self, "os/kernel");
}

void
vmd_domain_config_set_kernel (VmdDomainConfig *self, const char *path)
{
  set_os_text (self, "os/kernel", path);
}

char *
vmd_domain_config_get_initrd (VmdDomainConfig *self)
{
  return get_os_text (self, "os/initrd");
}

void
vmd_domain_config_set_initrd (VmdDomainConfig *self, const char *path)
{
  set_os_text (self, "os/initrd", path);
}

char *
vmd_domain_config_get_cmdline (VmdDomainConfig *self)
{
  return get_os_text (self, "os/cmdline");
}

void
vmd_domain_config_set_cmdline (VmdDomainConfig *self, const char *cmdline)
{
  set_os_text (self, "os/cmdline", cmdline);
}

/* -------------------------------------------------- features, clock, misc */

/**
 * vmd_domain_config_get_feature:
 * @feature: a child of `<features>`, such as "acpi", "apic" or "pae"
 */
gboolean
vmd_domain_config_get_feature (VmdDomainConfig *self, const char *feature)
{
  xmlNodePtr node;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), FALSE);

  node = vmd_xml_child (vmd_xml_child (ROOT (self), "features"), feature);
  return node != NULL && vmd_xml_get_bool_attr_at (node, NULL, "state", TRUE);
}

void
vmd_domain_config_set_feature (VmdDomainConfig *self, const char *feature, gboolean enabled)
{
  g_autofree char *path = g_strconcat ("features/", feature, NULL);

  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));

  if (enabled)
    {
      xmlNodePtr node = vmd_xml_ensure (ROOT (self), path);
      if (xmlHasProp (node, (const xmlChar *) "state") != NULL)
        vmd_xml_set_attr (node, "state", "on");
    }
  else
    {
      vmd_xml_set_present (ROOT (self), path, FALSE);
    }
  _vmd_domain_config_changed (self);
}

char *
vmd_domain_config_get_clock_offset (VmdDomainConfig *self)
{
  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), NULL);
  return vmd_xml_get_attr_at (ROOT (self), "clock", "offset");
}

void
vmd_domain_config_set_clock_offset (VmdDomainConfig *self, const char *offset)
{
  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));
  vmd_xml_set_attr_at (ROOT (self), "clock", "offset", offset);
  _vmd_domain_config_changed (self);
}

static const char *
lifecycle_element (VmdLifecycleEvent event)
{
  switch (event)
    {
    case VMD_LIFECYCLE_POWEROFF: return "on_poweroff";
    case VMD_LIFECYCLE_REBOOT: return "on_reboot";
    case VMD_LIFECYCLE_CRASH: return "on_crash";
    default: g_return_val_if_reached ("on_poweroff");
    }
}

gboolean
_vmd_lifecycle_action_is_valid (VmdLifecycleEvent event, const char *action)
{
  static const char *const common[] = { "destroy", "restart", "preserve", "rename-restart" };

  for (guint i = 0; i < G_N_ELEMENTS (common); i++)
    if (g_str_equal (action, common[i]))
      return TRUE;
  return event == VMD_LIFECYCLE_CRASH &&
         (g_str_equal (action, "coredump-destroy") || g_str_equal (action, "coredump-restart"));
}

char *
vmd_domain_config_get_lifecycle_action (VmdDomainConfig *self, VmdLifecycleEvent event)
{
  g_autofree char *action = NULL;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), NULL);

  action = vmd_xml_get_text_at (ROOT (self), lifecycle_element (event));
  if (action == NULL)
    return g_strdup (event == VMD_LIFECYCLE_REBOOT ? "restart" : "destroy");
  return g_strstrip (g_steal_pointer (&action));
}

/**
 * vmd_domain_config_set_lifecycle_action:
 * @action: (nullable): "destroy", "restart", "preserve", "rename-restart",
 *   and for crashes "coredump-destroy" or "coredump-restart"; %NULL for
 *   the default
 */
gboolean
vmd_domain_config_set_lifecycle_action (VmdDomainConfig    *self,
                                        VmdLifecycleEvent   event,
                                        const char         *action,
                                        GError            **error)
{
  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), FALSE);

  if (action != NULL && !_vmd_lifecycle_action_is_valid (event, action))
    {
      g_set_error (error, VMD_MODEL_ERROR, VMD_MODEL_ERROR_INVALID,
                   _("\"%s\" is not an action vmdesk can take when the guest stops, reboots or crashes."),
                   action);
      return FALSE;
    }
  vmd_xml_set_text_at (ROOT (self), lifecycle_element (event), action);
  _vmd_domain_config_changed (self);
  return TRUE;
}

char *
vmd_domain_config_get_emulator (VmdDomainConfig *self)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (self), NULL);
  path = vmd_xml_get_text_at (ROOT (self), "devices/emulator");
  return path ? g_strstrip (g_steal_pointer (&path)) : NULL;
}

void
vmd_domain_config_set_emulator (VmdDomainConfig *self, const char *path)
{
  g_return_if_fail (VMD_IS_DOMAIN_CONFIG (self));
  vmd_xml_set_text_at (ROOT (self), "devices/emulator", path);
  _vmd_domain_config_changed (self);
}
