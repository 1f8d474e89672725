/* vmd-qemu-argv-machine.c: the machine: firmware, CPUs, memory, clock and boot
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * What libvirt puts before the devices: the machine type and its options,
 * the accelerator, the CPU model and topology, memory and NUMA, the
 * firmware (Debian's OVMF for UEFI), the RTC, the boot options and the
 * lifecycle actions.
 */
#define G_LOG_DOMAIN "vmdesk-argv"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vmd-domain-config-private.h"
#include "vmd-qemu-argv-private.h"
#include "vmd-size.h"
#include "vmd-xml.h"

/* Debian's OVMF (package ovmf): the 4 MiB builds, as its firmware
 * descriptors in /usr/share/qemu/firmware pick them. */
#define OVMF_CODE          "/usr/share/OVMF/OVMF_CODE_4M.fd"
#define OVMF_CODE_SECBOOT  "/usr/share/OVMF/OVMF_CODE_4M.secboot.fd"
#define OVMF_VARS          "/usr/share/OVMF/OVMF_VARS_4M.fd"
#define OVMF_VARS_MS       "/usr/share/OVMF/OVMF_VARS_4M.ms.fd"

/* -------------------------------------------------------- the domain */

static const char *const domain_children[] = {
  "name", "uuid", "genid", "title", "description", "metadata", "memory", "currentMemory",
  "maxMemory", "vcpu", "os", "features", "cpu", "clock", "on_poweroff", "on_reboot",
  "on_crash", "on_lockfailure", "pm", "devices", "seclabel", "resource", "memoryBacking",
  "iothreads", "iothreadids", NULL
};

static gboolean
check_domain (VmdArgvBuilder *b, GError **error)
{
  g_autofree char *type = vmd_domain_config_get_domain_type (b->config);
  g_autofree char *arch = vmd_domain_config_get_arch (b->config);
  g_autofree char *os_type = vmd_domain_config_get_os_type (b->config);
  g_autofree char *name = vmd_domain_config_get_name (b->config);

  if (g_strcmp0 (type, "kvm") != 0 && g_strcmp0 (type, "qemu") != 0)
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine runs only KVM and QEMU virtual machines, not the domain type '%s' (<domain type='%s'>); use libvirt for this virtual machine."),
                                  type ? type : "", type ? type : "");
  if (arch != NULL && !g_str_equal (arch, "x86_64"))
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine runs only x86_64 virtual machines, not the architecture '%s' (<type arch='%s'>); use libvirt for this virtual machine."),
                                  arch, arch);
  if (os_type != NULL && !g_str_equal (os_type, "hvm"))
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine runs only full virtual machines (<type>hvm</type>), not '%s'; use libvirt for this virtual machine."),
                                  os_type);
  if (name == NULL || *name == '\0')
    return _vmd_argv_invalid (error, _("The virtual machine has no name."));

  for (xmlNodePtr c = b->root->children; c; c = c->next)
    {
      gboolean known = FALSE;

      if (c->type != XML_ELEMENT_NODE)
        continue;
      if (c->ns != NULL && c->ns->href != NULL &&
          xmlStrEqual (c->ns->href, (const xmlChar *) "http://libvirt.org/schemas/domain/qemu/1.0"))
        return _vmd_argv_unsupported (error,
                                      _("The embedded engine does not pass extra QEMU options (<qemu:%s>); use libvirt for this virtual machine."),
                                      (const char *) c->name);
      if (c->ns != NULL)
        continue;  /* other namespaces are metadata of other tools */
      for (guint i = 0; domain_children[i] && !known; i++)
        known = xmlStrEqual (c->name, (const xmlChar *) domain_children[i]);
      if (!known)
        return _vmd_argv_unsupported (error,
                                      _("The embedded engine cannot run a definition with <%s>; use libvirt for this virtual machine."),
                                      (const char *) c->name);
    }
  return TRUE;
}

static gboolean
check_machine (VmdArgvBuilder *b, GError **error)
{
  g_autofree char *machine = vmd_domain_config_get_machine (b->config);

  if (machine == NULL)
    machine = g_strdup ("pc");
  if (g_str_equal (machine, "q35") || g_str_has_prefix (machine, "pc-q35-"))
    b->q35 = TRUE;
  else if (g_str_equal (machine, "pc") || g_str_has_prefix (machine, "pc-i440fx-"))
    b->i440fx = TRUE;
  else
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine runs only the pc and q35 machine types, not '%s' (<type machine='%s'>); use libvirt for this virtual machine."),
                                  machine, machine);
  b->machine = g_steal_pointer (&machine);
  return TRUE;
}

typedef struct _FirmwarePlan
{
  gboolean  uefi;
  gboolean  secure;     /* Secure Boot: SMM and a locked flash */
  char     *code;       /* the UEFI code, or a BIOS image, or NULL */
  char     *vars;       /* the template for the VM's UEFI variables */
} FirmwarePlan;

static void
firmware_plan_clear (FirmwarePlan *plan)
{
  g_clear_pointer (&plan->code, g_free);
  g_clear_pointer (&plan->vars, g_free);
}

void
_vmd_argv_firmware_plan_free (FirmwarePlan *plan)
{
  firmware_plan_clear (plan);
  g_free (plan);
}

/* -1 when @name is not in <os><firmware>, else whether it is enabled. */
static gint
firmware_feature (xmlNodePtr root, const char *name)
{
  xmlNodePtr fw = vmd_xml_find (root, "os/firmware");

  for (xmlNodePtr f = vmd_xml_child (fw, "feature"); f; f = vmd_xml_next_element (f, "feature"))
    {
      g_autofree char *fname = vmd_xml_get_attr (f, "name");
      if (g_strcmp0 (fname, name) == 0)
        return _vmd_argv_yes (f, NULL, "enabled") ? 1 : 0;
    }
  return -1;
}

/* The variables that go with one of Debian's OVMF builds. */
static char *
debian_vars_for (const char *code)
{
  static const struct { const char *code; const char *vars; } builds[] = {
    { "/usr/share/OVMF/OVMF_CODE_4M.fd", OVMF_VARS },
    { "/usr/share/OVMF/OVMF_CODE_4M.secboot.fd", OVMF_VARS_MS },
    { "/usr/share/OVMF/OVMF_CODE_4M.ms.fd", OVMF_VARS_MS },
    { "/usr/share/OVMF/OVMF_CODE_4M.snakeoil.fd", "/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd" },
    { "/usr/share/OVMF/OVMF_CODE.fd", "/usr/share/OVMF/OVMF_VARS.fd" },
    { "/usr/share/OVMF/OVMF_CODE.secboot.fd", "/usr/share/OVMF/OVMF_VARS.ms.fd" },
    { "/usr/share/OVMF/OVMF_CODE.ms.fd", "/usr/share/OVMF/OVMF_VARS.ms.fd" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (builds); i++)
    if (g_str_equal (code, builds[i].code))
      return g_strdup (builds[i].vars);
  return NULL;
}

/* Which firmware a definition boots. <os firmware='efi'> without a loader
 * picks from Debian's OVMF as libvirt does from its descriptors: on q35
 * the Secure Boot build with Microsoft's keys enrolled, unless the
 * definition turns Secure Boot, the keys or SMM off. */
static gboolean
plan_firmware (VmdDomainConfig *config, gboolean q35, FirmwarePlan *plan, GError **error)
{
  xmlNodePtr root = _vmd_domain_config_get_root (config);
  g_autofree char *loader = vmd_domain_config_get_loader (config);
  g_autofree char *loader_type = vmd_xml_get_attr_at (root, "os/loader", "type");
  g_autofree char *template = vmd_domain_config_get_nvram_template (config);
  xmlNodePtr smm = vmd_xml_find (root, "features/smm");
  gboolean smm_off = smm != NULL && vmd_xml_has_attr (smm, "state") && !_vmd_argv_yes (smm, NULL, "state");

  memset (plan, 0, sizeof *plan);
  if (loader != NULL)
    g_strstrip (loader);
  if (loader != NULL && *loader == '\0')
    g_clear_pointer (&loader, g_free);

  if (vmd_domain_config_get_firmware (config) == VMD_FIRMWARE_BIOS || g_strcmp0 (loader_type, "rom") == 0)
    {
      plan->code = g_steal_pointer (&loader);
      return TRUE;
    }

  plan->uefi = TRUE;
  if (loader != NULL)
    {
      plan->secure = vmd_domain_config_get_secure_boot (config);
      plan->code = g_steal_pointer (&loader);
      plan->vars = template ? g_steal_pointer (&template) : debian_vars_for (plan->code);
    }
  else
    {
      gint secure_boot = firmware_feature (root, "secure-boot");
      gint enrolled = firmware_feature (root, "enrolled-keys");
      xmlNodePtr node = vmd_xml_find (root, "os/loader");

      /* An empty <loader> still says what it wants: no Secure Boot, or
       * no variables at all. */
      if (secure_boot < 0 && node != NULL &&
          ((vmd_xml_has_attr (node, "secure") && !_vmd_argv_yes (node, NULL, "secure")) ||
           _vmd_argv_yes (node, NULL, "stateless")))
        secure_boot = 0;

      plan->secure = q35 && secure_boot != 0 && !smm_off;
      if (secure_boot == 1 && !plan->secure)
        return _vmd_argv_invalid (error,
                                  _("UEFI Secure Boot needs the q35 machine type with SMM."));
      plan->code = g_strdup (plan->secure ? OVMF_CODE_SECBOOT : OVMF_CODE);
      if (template != NULL)
        plan->vars = g_steal_pointer (&template);
      else
        plan->vars = g_strdup (plan->secure && enrolled != 0 ? OVMF_VARS_MS : OVMF_VARS);
    }
  if (plan->secure && !q35)
    return _vmd_argv_invalid (error, _("UEFI Secure Boot needs the q35 machine type."));
  return TRUE;
}

/**
 * vmd_qemu_argv_nvram_template:
 * @config: a definition
 *
 * Returns: (transfer full) (nullable): the file a new copy of the VM's
 *   UEFI variables starts from (the definition's template, or the one that
 *   goes with the firmware vmd_qemu_argv_build() picks), or %NULL when the
 *   VM boots a BIOS or the template is unknown
 */
char *
vmd_qemu_argv_nvram_template (VmdDomainConfig *config)
{
  g_autofree char *machine = NULL;
  FirmwarePlan plan;
  char *vars;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (config), NULL);

  machine = vmd_domain_config_get_machine (config);
  if (!plan_firmware (config, machine != NULL && strstr (machine, "q35") != NULL, &plan, NULL))
    {
      firmware_plan_clear (&plan);
      return NULL;
    }
  vars = g_steal_pointer (&plan.vars);
  firmware_plan_clear (&plan);
  return vars;
}

/* Firmware: the loader and NVRAM as pflash blockdevs, or a BIOS image. */
static gboolean
build_firmware (VmdArgvBuilder *b, GString *machine_opts, GError **error)
{
  g_autofree char *nvram = NULL;
  gboolean stateless = _vmd_argv_yes (b->root, "os/loader", "stateless");
  g_autofree char *loader_format = vmd_xml_get_attr_at (b->root, "os/loader", "format");
  g_autofree char *nvram_format = vmd_xml_get_attr_at (b->root, "os/nvram", "format");
  g_autofree char *nvram_type = vmd_xml_get_attr_at (b->root, "os/nvram", "type");
  const char *loader = b->firmware->code;
  JsonObject *props;

  if (!b->firmware->uefi)
    {
      if (loader != NULL)
        _vmd_argv_add (b->head, "-bios", loader);
      return TRUE;
    }

  if ((loader_format != NULL && !g_str_equal (loader_format, "raw")) ||
      (nvram_format != NULL && !g_str_equal (nvram_format, "raw")))
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine runs UEFI firmware only from raw images (<loader format='…'>); use libvirt for this virtual machine."));
  if (nvram_type != NULL && !g_str_equal (nvram_type, "file"))
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine keeps UEFI variables only in a local file, not in a '%s' source (<nvram type='%s'>); use libvirt for this virtual machine."),
                                  nvram_type, nvram_type);

  /* The code is read-only; QEMU maps it as the first flash chip. */
  props = _vmd_json_new ();
  _vmd_json_str (props, "driver", "file");
  _vmd_json_str (props, "filename", loader);
  _vmd_json_str (props, "node-name", "vmd-pflash0-storage");
  _vmd_json_bool (props, "auto-read-only", TRUE);
  _vmd_json_str (props, "discard", "unmap");
  _vmd_argv_add_json (b->head, "-blockdev", props);
  props = _vmd_json_new ();
  _vmd_json_str (props, "node-name", "vmd-pflash0-format");
  _vmd_json_bool (props, "read-only", TRUE);
  _vmd_json_str (props, "driver", "raw");
  _vmd_json_str (props, "file", "vmd-pflash0-storage");
  _vmd_argv_add_json (b->head, "-blockdev", props);
  g_string_append (machine_opts, ",pflash0=vmd-pflash0-format");

  if (!stateless)
    {
      if (b->options->nvram_path != NULL)
        nvram = g_strdup (b->options->nvram_path);
      else if (g_strcmp0 (nvram_type, "file") == 0)
        nvram = vmd_xml_get_attr_at (b->root, "os/nvram/source", "file");
      else
        nvram = vmd_domain_config_get_nvram (b->config);
      if (nvram != NULL)
        g_strstrip (nvram);
      if (nvram == NULL || *nvram == '\0')
        return _vmd_argv_invalid (error,
                                  _("The virtual machine boots with UEFI but has no file for its UEFI variables."));
      props = _vmd_json_new ();
      _vmd_json_str (props, "driver", "file");
      _vmd_json_str (props, "filename", nvram);
      _vmd_json_str (props, "node-name", "vmd-pflash1-storage");
      _vmd_json_bool (props, "read-only", FALSE);
      _vmd_argv_add_json (b->head, "-blockdev", props);
      g_string_append (machine_opts, ",pflash1=vmd-pflash1-storage");
    }

  if (b->firmware->secure)
    _vmd_argv_add (b->tail, "-global", "driver=cfi.pflash01,property=secure,value=on");
  return TRUE;
}

/* The state of a <features> child: absent, on or off. */
static gint
feature_state (VmdArgvBuilder *b, const char *name)
{
  xmlNodePtr node = vmd_xml_child (vmd_xml_child (b->root, "features"), name);
  g_autofree char *state = NULL;

  if (node == NULL)
    return -1;
  state = vmd_xml_get_attr (node, "state");
  if (state == NULL || g_str_equal (state, "on"))
    return 1;
  return 0;
}

static gboolean
check_features (VmdArgvBuilder *b, GError **error)
{
  static const char *const allowed[] = {
    "acpi", "apic", "pae", "hap", "privnet", "hyperv", "kvm", "pvspinlock", "pmu",
    "vmport", "smm", "ioapic", "vmcoreinfo", "ps2", "tcg", NULL
  };
  xmlNodePtr features = vmd_xml_child (b->root, "features");
  xmlNodePtr smm = vmd_xml_child (features, "smm");

  if (!_vmd_argv_check_children (features, "<features>", allowed, error))
    return FALSE;
  if (smm != NULL && vmd_xml_child (smm, "tseg") != NULL)
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot set the size of the SMM TSEG (<tseg>); use libvirt for this virtual machine."));
  return TRUE;
}

static gboolean
build_machine (VmdArgvBuilder *b, GError **error)
{
  g_autoptr (GString) opts = g_string_new (NULL);
  g_autofree char *machine = _vmd_argv_keyval_escape (b->machine);
  gint smm = feature_state (b, "smm");
  gint vmport = feature_state (b, "vmport");
  gint ps2 = feature_state (b, "ps2");
  g_autofree char *irqchip = vmd_xml_get_attr_at (b->root, "features/ioapic", "driver");
  gboolean secure = b->firmware->secure;
  xmlNodePtr hpet = NULL;

  g_string_append_printf (opts, "%s,usb=off", machine);
  if (vmport >= 0)
    g_string_append_printf (opts, ",vmport=%s", vmport ? "on" : "off");
  if (smm >= 0 || secure)
    g_string_append_printf (opts, ",smm=%s", smm != 0 || secure ? "on" : "off");
  if (irqchip != NULL)
    {
      if (g_str_equal (irqchip, "qemu"))
        g_string_append (opts, ",kernel_irqchip=split");
      else if (g_str_equal (irqchip, "kvm"))
        g_string_append (opts, ",kernel_irqchip=on");
    }
  if (ps2 >= 0)
    g_string_append_printf (opts, ",i8042=%s", ps2 ? "on" : "off");
  g_string_append (opts, ",dump-guest-core=off");
  if (vmd_xml_find (b->root, "memoryBacking/nosharepages") != NULL)
    g_string_append (opts, ",mem-merge=off");
  if (b->shared_memory)
    g_string_append (opts, ",memory-backend=pc.ram");
  if (!build_firmware (b, opts, error))
    return FALSE;

  for (xmlNodePtr t = vmd_xml_child (vmd_xml_child (b->root, "clock"), "timer"); t;
       t = vmd_xml_next_element (t, "timer"))
    {
      g_autofree char *name = vmd_xml_get_attr (t, "name");
      if (g_strcmp0 (name, "hpet") == 0)
        hpet = t;
    }
  if (hpet != NULL && vmd_xml_has_attr (hpet, "present"))
    g_string_append_printf (opts, ",hpet=%s", _vmd_argv_yes (hpet, NULL, "present") ? "on" : "off");

  for (xmlNodePtr s = vmd_xml_child (b->devices, "sound"); s; s = vmd_xml_next_element (s, "sound"))
    {
      g_autofree char *model = vmd_xml_get_attr (s, "model");
      if (g_strcmp0 (model, "pcspk") == 0 && b->audiodev != NULL)
        g_string_append_printf (opts, ",pcspk-audiodev=%s", b->audiodev);
    }

  g_string_append_printf (opts, ",acpi=%s",
                          vmd_domain_config_get_feature (b->config, "acpi") ? "on" : "off");
  _vmd_argv_add (b->head, "-machine", opts->str);

  {
    g_autofree char *type = vmd_domain_config_get_domain_type (b->config);
    g_autoptr (GString) accel = g_string_new (NULL);
    xmlNodePtr tcg = vmd_xml_find (b->root, "features/tcg/tb-cache");
    xmlNodePtr ring = vmd_xml_find (b->root, "features/kvm/dirty-ring");

    b->kvm = g_str_equal (type, "kvm");
    g_string_append (accel, b->kvm ? "kvm" : "tcg");
    if (!b->kvm && tcg != NULL)
      {
        g_autofree char *text = vmd_xml_get_text (tcg);
        g_autofree char *unit = vmd_xml_get_attr (tcg, "unit");
        guint64 kib = 0;

        if (!vmd_size_parse (g_strstrip (text), unit ? unit : "KiB", &kib, NULL))
          return _vmd_argv_invalid (error, _("The TCG translation cache size is not a size."));
        g_string_append_printf (accel, ",tb-size=%" G_GUINT64_FORMAT, kib / 1024);
      }
    if (b->kvm && ring != NULL && _vmd_argv_yes (ring, NULL, "state"))
      g_string_append_printf (accel, ",dirty-ring-size=%" G_GUINT64_FORMAT,
                              vmd_xml_get_uint_attr_at (ring, NULL, "size", 0));
    _vmd_argv_add (b->head, "-accel", accel->str);
  }
  return TRUE;
}

/* libvirt's CPU feature names where QEMU spells them differently. */
static char *
cpu_feature_name (const char *name)
{
  static const struct { const char *libvirt; const char *qemu; } names[] = {
    { "pclmuldq", "pclmulqdq" },
    { "sse4.1", "sse4.1" },
    { "sse4.2", "sse4.2" },
    { "tsc_adjust", "tsc-adjust" },
    { "cmt", "cmt" },
  };
  char *ret;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (name, names[i].libvirt))
      return g_strdup (names[i].qemu);
  ret = g_strdup (name);
  g_strdelimit (ret, "_", '-');
  return ret;
}

static gboolean
build_cpu (VmdArgvBuilder *b, GError **error)
{
  static const char *const cpu_children[] = {
    "model", "vendor", "topology", "feature", "maxphysaddr", "numa", "cache", NULL
  };
  xmlNodePtr cpu = vmd_xml_child (b->root, "cpu");
  g_autofree char *mode = vmd_domain_config_get_cpu_mode (b->config);
  g_autofree char *model = vmd_domain_config_get_cpu_model (b->config);
  g_autoptr (GString) opts = g_string_new (NULL);
  xmlNodePtr features = vmd_xml_child (b->root, "features");
  xmlNodePtr hyperv = vmd_xml_child (features, "hyperv");
  xmlNodePtr kvm = vmd_xml_child (features, "kvm");
  xmlNodePtr phys = vmd_xml_child (cpu, "maxphysaddr");
  gint pmu = feature_state (b, "pmu");
  gint pvspinlock = feature_state (b, "pvspinlock");
  g_autofree char *eoi = vmd_xml_get_attr_at (features, "apic", "eoi");

  if (!_vmd_argv_check_children (cpu, "<cpu>", cpu_children, error))
    return FALSE;
  if (model != NULL)
    g_strstrip (model);

  if (g_strcmp0 (mode, "host-passthrough") == 0 || g_strcmp0 (mode, "host-model") == 0)
    {
      /* host-model: libvirt names the host's CPU model here; under KVM
       * "host" gives the guest the same features without a CPU map.
       * TCG cannot pass the host CPU through and emulates "max". */
      g_string_append (opts, b->kvm ? "host" : "max");
      if (b->kvm && g_strcmp0 (mode, "host-passthrough") == 0)
        g_string_append_printf (opts, ",migratable=%s",
                                vmd_xml_has_attr (cpu, "migratable") &&
                                !_vmd_argv_yes (cpu, NULL, "migratable") ? "off" : "on");
    }
  else if (g_strcmp0 (mode, "maximum") == 0)
    {
      g_string_append (opts, "max");
    }
  else if (mode == NULL || g_str_equal (mode, "custom"))
    {
      g_autofree char *escaped = _vmd_argv_keyval_escape (model && *model ? model : "qemu64");
      g_string_append (opts, escaped);
    }
  else
    {
      return _vmd_argv_unsupported (error,
                                    _("The embedded engine cannot run a CPU in mode '%s' (<cpu mode='%s'>); use libvirt for this virtual machine."),
                                    mode, mode);
    }

  for (xmlNodePtr f = vmd_xml_child (cpu, "feature"); f; f = vmd_xml_next_element (f, "feature"))
    {
      g_autofree char *name = vmd_xml_get_attr (f, "name");
      g_autofree char *policy = vmd_xml_get_attr (f, "policy");
      g_autofree char *qname = NULL;
      gboolean on;

      if (name == NULL)
        continue;
      if (policy == NULL || g_str_equal (policy, "require") || g_str_equal (policy, "force") ||
          g_str_equal (policy, "optional"))
        on = TRUE;
      else if (g_str_equal (policy, "disable") || g_str_equal (policy, "forbid"))
        on = FALSE;
      else
        return _vmd_argv_invalid (error, _("The CPU feature %s has the unknown policy '%s'."),
                                  name, policy);
      qname = cpu_feature_name (name);
      g_string_append_printf (opts, ",%s=%s", qname, on ? "on" : "off");
    }

  if (phys != NULL)
    {
      g_autofree char *pmode = vmd_xml_get_attr (phys, "mode");
      guint64 bits = vmd_xml_get_uint_attr_at (phys, NULL, "bits", 0);
      guint64 limit = vmd_xml_get_uint_attr_at (phys, NULL, "limit", 0);

      if (g_strcmp0 (pmode, "passthrough") == 0)
        {
          g_string_append (opts, ",host-phys-bits=on");
          if (limit > 0)
            g_string_append_printf (opts, ",host-phys-bits-limit=%" G_GUINT64_FORMAT, limit);
        }
      else if (g_strcmp0 (pmode, "emulate") == 0 && bits > 0)
        g_string_append_printf (opts, ",phys-bits=%" G_GUINT64_FORMAT, bits);
      else if (g_strcmp0 (pmode, "emulate") == 0)
        g_string_append (opts, ",host-phys-bits=off");
    }

  if (vmd_xml_child (cpu, "cache") != NULL)
    {
      g_autofree char *cmode = vmd_xml_get_attr_at (cpu, "cache", "mode");
      guint64 level = vmd_xml_get_uint_attr_at (cpu, "cache", "level", 0);
      gboolean host_mode = g_strcmp0 (mode, "host-passthrough") == 0 ||
                           (g_strcmp0 (mode, "host-model") == 0 && b->kvm);

      if (g_strcmp0 (cmode, "passthrough") == 0)
        g_string_append (opts, ",host-cache-info=on,l3-cache=off");
      else if (g_strcmp0 (cmode, "emulate") == 0 && level == 3)
        g_string_append_printf (opts, ",l3-cache=on%s", host_mode ? ",host-cache-info=off" : "");
      else if (g_strcmp0 (cmode, "disable") == 0)
        g_string_append_printf (opts, "%s,l3-cache=off", host_mode ? ",host-cache-info=off" : "");
      else
        return _vmd_argv_unsupported (error,
                                      _("The embedded engine cannot run a CPU cache in mode '%s' (<cache mode='%s'>); use libvirt for this virtual machine."),
                                      cmode ? cmode : "", cmode ? cmode : "");
    }

  for (xmlNodePtr t = vmd_xml_child (vmd_xml_child (b->root, "clock"), "timer"); t;
       t = vmd_xml_next_element (t, "timer"))
    {
      g_autofree char *name = vmd_xml_get_attr (t, "name");
      g_autofree char *present = vmd_xml_get_attr (t, "present");

      if (g_strcmp0 (name, "kvmclock") == 0 && present != NULL)
        g_string_append_printf (opts, ",kvmclock=%s", _vmd_argv_yes (t, NULL, "present") ? "on" : "off");
      else if (g_strcmp0 (name, "hypervclock") == 0 && _vmd_argv_yes (t, NULL, "present"))
        g_string_append (opts, ",hv-time=on");
      else if (g_strcmp0 (name, "tsc") == 0)
        {
          guint64 hz = vmd_xml_get_uint_attr_at (t, NULL, "frequency", 0);
          if (hz > 0)
            g_string_append_printf (opts, ",tsc-frequency=%" G_GUINT64_FORMAT, hz);
        }
    }

  if (eoi != NULL)
    g_string_append_printf (opts, ",kvm-pv-eoi=%s", g_str_equal (eoi, "on") ? "on" : "off");
  if (pvspinlock >= 0)
    g_string_append_printf (opts, ",kvm-pv-unhalt=%s", pvspinlock ? "on" : "off");
  if (pmu >= 0)
    g_string_append_printf (opts, ",pmu=%s", pmu ? "on" : "off");

  if (kvm != NULL)
    {
      /* Each only where it changes QEMU's default, as libvirt does. */
      static const struct { const char *name; const char *prop; gboolean default_on; } kvm_features[] = {
        { "hint-dedicated", "kvm-hint-dedicated", FALSE },
        { "poll-control", "kvm-poll-control", FALSE },
        { "pv-ipi", "kvm-pv-ipi", TRUE },
      };
      xmlNodePtr hidden = vmd_xml_child (kvm, "hidden");

      if (hidden != NULL && _vmd_argv_yes (hidden, NULL, "state"))
        g_string_append (opts, ",kvm=off");
      for (guint i = 0; i < G_N_ELEMENTS (kvm_features); i++)
        {
          xmlNodePtr f = vmd_xml_child (kvm, kvm_features[i].name);
          gboolean on = _vmd_argv_yes (f, NULL, "state");
          if (f != NULL && on != kvm_features[i].default_on)
            g_string_append_printf (opts, ",%s=%s", kvm_features[i].prop, on ? "on" : "off");
        }
    }

  if (hyperv != NULL)
    {
      g_autofree char *hmode = vmd_xml_get_attr (hyperv, "mode");

      if (g_strcmp0 (hmode, "passthrough") == 0)
        g_string_append (opts, ",hv-passthrough=on");
      for (xmlNodePtr f = hyperv->children; f; f = f->next)
        {
          g_autofree char *prop = NULL;

          if (f->type != XML_ELEMENT_NODE || !_vmd_argv_yes (f, NULL, "state"))
            continue;
          /* QEMU 7.2 refuses VP_INDEX without KVM; a Windows guest
           * moved to TCG runs without it rather than not at all. */
          if (!b->kvm && xmlStrEqual (f->name, (const xmlChar *) "vpindex"))
            continue;
          prop = g_strdup_printf ("hv-%s", (const char *) f->name);
          g_strdelimit (prop, "_", '-');
          if (xmlStrEqual (f->name, (const xmlChar *) "spinlocks"))
            g_string_append_printf (opts, ",hv-spinlocks=0x%" G_GINT64_MODIFIER "x",
                                    vmd_xml_get_uint_attr_at (f, NULL, "retries", 0x1fff));
          else if (xmlStrEqual (f->name, (const xmlChar *) "vendor_id"))
            {
              g_autofree char *value = vmd_xml_get_attr (f, "value");
              g_autofree char *escaped = _vmd_argv_keyval_escape (value ? value : "");
              g_string_append_printf (opts, ",hv-vendor-id=%s", escaped);
            }
          else if (xmlStrEqual (f->name, (const xmlChar *) "stimer"))
            {
              g_string_append (opts, ",hv-stimer=on");
              if (vmd_xml_find (f, "direct") != NULL && _vmd_argv_yes (f, "direct", "state"))
                g_string_append (opts, ",hv-stimer-direct=on");
            }
          else if (xmlStrEqual (f->name, (const xmlChar *) "tlbflush"))
            {
              g_string_append (opts, ",hv-tlbflush=on");
              if (vmd_xml_find (f, "direct") != NULL && _vmd_argv_yes (f, "direct", "state"))
                g_string_append (opts, ",hv-tlbflush-direct=on");
              if (vmd_xml_find (f, "extended") != NULL && _vmd_argv_yes (f, "extended", "state"))
                g_string_append (opts, ",hv-tlbflush-ext=on");
            }
          else
            g_string_append_printf (opts, ",%s=on", prop);
        }
    }

  _vmd_argv_add (b->head, "-cpu", opts->str);
  return TRUE;
}

/* Memory rounded up to whole MiB, as libvirt aligns it for x86. */
static guint64
align_mib (guint64 kib)
{
  return (kib + 1023) / 1024 * 1024;
}

/* With NUMA cells the guest's memory is theirs together, as libvirt
 * counts it; else the definition's. */
static guint64
numa_total_kib (VmdArgvBuilder *b)
{
  xmlNodePtr numa = vmd_xml_find (b->root, "cpu/numa");
  guint64 total = 0;

  for (xmlNodePtr cell = vmd_xml_child (numa, "cell"); cell; cell = vmd_xml_next_element (cell, "cell"))
    {
      g_autofree char *mem = vmd_xml_get_attr (cell, "memory");
      g_autofree char *unit = vmd_xml_get_attr (cell, "unit");
      guint64 kib = 0;

      if (mem != NULL && vmd_size_parse (mem, unit ? unit : "KiB", &kib, NULL))
        total += align_mib (kib);
    }
  return total > 0 ? total : vmd_domain_config_get_memory (b->config);
}

static gboolean
build_memory (VmdArgvBuilder *b, GError **error)
{
  static const char *const backing_children[] = {
    "nosharepages", "locked", "source", "access", "allocation", "discard", NULL
  };
  guint64 kib = numa_total_kib (b);
  xmlNodePtr max = vmd_xml_child (b->root, "maxMemory");
  xmlNodePtr backing = vmd_xml_child (b->root, "memoryBacking");
  g_autoptr (GString) opts = g_string_new (NULL);
  g_autofree char *source = vmd_xml_get_attr_at (backing, "source", "type");
  g_autofree char *access = vmd_xml_get_attr_at (backing, "access", "mode");
  g_autofree char *alloc = vmd_xml_get_attr_at (backing, "allocation", "mode");

  if (!_vmd_argv_check_children (backing, "<memoryBacking>", backing_children, error))
    return FALSE;
  if (source != NULL && !g_str_equal (source, "memfd") && !g_str_equal (source, "anonymous"))
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot back guest memory with '%s' (<source type='%s'>); use libvirt for this virtual machine."),
                                  source, source);
  if (kib == 0)
    return _vmd_argv_invalid (error, _("The virtual machine has no memory size."));

  kib = align_mib (kib);
  if (g_strcmp0 (access, "shared") == 0 || g_strcmp0 (source, "memfd") == 0)
    b->shared_memory = TRUE;

  g_string_append_printf (opts, "size=%" G_GUINT64_FORMAT "k", kib);
  if (max != NULL)
    {
      guint64 slots = vmd_xml_get_uint_attr_at (max, NULL, "slots", 0);
      g_autofree char *text = vmd_xml_get_text (max);
      g_autofree char *unit = vmd_xml_get_attr (max, "unit");
      guint64 max_kib = 0;

      if (text == NULL || !vmd_size_parse (g_strstrip (text), unit ? unit : "KiB", &max_kib, NULL))
        return _vmd_argv_invalid (error, _("The maximum memory (<maxMemory>) is not a size."));
      if (slots > 0)
        g_string_append_printf (opts, ",slots=%" G_GUINT64_FORMAT, slots);
      g_string_append_printf (opts, ",maxmem=%" G_GUINT64_FORMAT "k", align_mib (max_kib));
    }
  _vmd_argv_add (b->head, "-m", opts->str);

  if (b->shared_memory)
    {
      /* virtiofs and vhost-user need guest RAM that another process can
       * map: a memfd shared with it. */
      JsonObject *props = _vmd_json_new ();
      _vmd_json_str (props, "qom-type", "memory-backend-memfd");
      _vmd_json_str (props, "id", "pc.ram");
      _vmd_json_bool (props, "share", TRUE);
      if (g_strcmp0 (alloc, "immediate") == 0)
        _vmd_json_bool (props, "prealloc", TRUE);
      _vmd_json_int (props, "size", (gint64) (kib * 1024));
      _vmd_argv_add_json (b->head, "-object", props);
    }
  else if (g_strcmp0 (alloc, "immediate") == 0)
    {
      _vmd_argv_add (b->head, "-mem-prealloc", NULL);
    }

  _vmd_argv_add (b->head, "-overcommit",
                 vmd_xml_find (backing, "locked") != NULL ? "mem-lock=on" : "mem-lock=off");
  return TRUE;
}

static gboolean
build_smp (VmdArgvBuilder *b, GError **error)
{
  guint vcpus = vmd_domain_config_get_vcpus (b->config);
  guint current = vmd_domain_config_get_current_vcpus (b->config);
  xmlNodePtr topo = vmd_xml_find (b->root, "cpu/topology");
  g_autoptr (GString) opts = g_string_new (NULL);

  if (vcpus == 0)
    return _vmd_argv_invalid (error, _("The virtual machine has no virtual CPUs."));
  if (current == 0 || current > vcpus)
    current = vcpus;

  g_string_append_printf (opts, "%u", current);
  if (current != vcpus)
    g_string_append_printf (opts, ",maxcpus=%u", vcpus);
  if (topo != NULL)
    {
      guint64 sockets = vmd_xml_get_uint_attr_at (topo, NULL, "sockets", 1);
      guint64 dies = vmd_xml_get_uint_attr_at (topo, NULL, "dies", 1);
      guint64 clusters = vmd_xml_get_uint_attr_at (topo, NULL, "clusters", 1);
      guint64 cores = vmd_xml_get_uint_attr_at (topo, NULL, "cores", 1);
      guint64 threads = vmd_xml_get_uint_attr_at (topo, NULL, "threads", 1);

      if (sockets * dies * clusters * cores * threads != vcpus)
        return _vmd_argv_invalid (error,
                                  _("The CPU topology (%" G_GUINT64_FORMAT " sockets × %" G_GUINT64_FORMAT " dies × %" G_GUINT64_FORMAT " cores × %" G_GUINT64_FORMAT " threads) does not make the %u virtual CPUs of the definition."),
                                  sockets, dies, cores, threads, vcpus);
      if (clusters != 1)
        return _vmd_argv_unsupported (error,
                                      _("The embedded engine cannot run CPU clusters (<topology clusters='%" G_GUINT64_FORMAT "'>) with QEMU 7.2; use libvirt for this virtual machine."),
                                      clusters);
      g_string_append_printf (opts, ",sockets=%" G_GUINT64_FORMAT ",dies=%" G_GUINT64_FORMAT
                              ",cores=%" G_GUINT64_FORMAT ",threads=%" G_GUINT64_FORMAT,
                              sockets, dies, cores, threads);
    }
  else
    {
      g_string_append_printf (opts, ",sockets=%u,cores=1,threads=1", vcpus);
    }
  _vmd_argv_add (b->head, "-smp", opts->str);
  return TRUE;
}

/* NUMA cells: one RAM backend each. */
static gboolean
build_numa (VmdArgvBuilder *b, GError **error)
{
  static const char *const cell_attrs[] = { "id", "cpus", "memory", "unit", "memAccess", NULL };
  xmlNodePtr numa = vmd_xml_find (b->root, "cpu/numa");
  guint cell_index = 0;

  if (numa == NULL)
    return TRUE;
  if (b->shared_memory)
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot share the memory of a guest with NUMA cells; use libvirt for this virtual machine."));

  for (xmlNodePtr cell = numa->children; cell; cell = cell->next)
    {
      g_autofree char *id = NULL;
      g_autofree char *cpus = NULL;
      g_autofree char *mem = NULL;
      g_autofree char *unit = NULL;
      g_autofree char *backend = NULL;
      g_autofree char *access = NULL;
      g_autoptr (GString) opts = g_string_new (NULL);
      JsonObject *props;
      guint64 kib = 0;

      if (cell->type != XML_ELEMENT_NODE)
        continue;
      if (!xmlStrEqual (cell->name, (const xmlChar *) "cell") || cell->children != NULL)
        {
          gboolean empty = TRUE;
          for (xmlNodePtr c = cell->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE)
              empty = FALSE;
          if (!empty || !xmlStrEqual (cell->name, (const xmlChar *) "cell"))
            return _vmd_argv_unsupported (error,
                                          _("The embedded engine cannot run NUMA distances, caches or interconnects (<%s>); use libvirt for this virtual machine."),
                                          (const char *) (cell->children ? "cell" : (const char *) cell->name));
        }
      for (xmlAttrPtr a = cell->properties; a; a = a->next)
        {
          gboolean ok = FALSE;
          for (guint i = 0; cell_attrs[i] && !ok; i++)
            ok = xmlStrEqual (a->name, (const xmlChar *) cell_attrs[i]);
          if (!ok)
            return _vmd_argv_unsupported (error,
                                          _("The embedded engine cannot run a NUMA cell with '%s' (<cell %s=…>); use libvirt for this virtual machine."),
                                          (const char *) a->name, (const char *) a->name);
        }
      id = vmd_xml_get_attr (cell, "id");
      if (id == NULL)
        id = g_strdup_printf ("%u", cell_index);
      cell_index++;
      cpus = vmd_xml_get_attr (cell, "cpus");
      mem = vmd_xml_get_attr (cell, "memory");
      unit = vmd_xml_get_attr (cell, "unit");
      access = vmd_xml_get_attr (cell, "memAccess");
      if (mem == NULL || !vmd_size_parse (mem, unit ? unit : "KiB", &kib, NULL))
        return _vmd_argv_invalid (error, _("A NUMA cell has no memory size."));
      kib = align_mib (kib);

      backend = g_strdup_printf ("ram-node%s", id);
      props = _vmd_json_new ();
      _vmd_json_str (props, "qom-type", g_strcmp0 (access, "shared") == 0 ? "memory-backend-memfd"
                                                                         : "memory-backend-ram");
      _vmd_json_str (props, "id", backend);
      if (g_strcmp0 (access, "shared") == 0)
        _vmd_json_bool (props, "share", TRUE);
      _vmd_json_int (props, "size", (gint64) (kib * 1024));
      _vmd_argv_add_json (b->head, "-object", props);

      g_string_append_printf (opts, "node,nodeid=%s", id);
      if (cpus != NULL && *cpus != '\0')
        {
          g_auto (GStrv) ranges = g_strsplit (cpus, ",", -1);
          for (guint i = 0; ranges[i]; i++)
            g_string_append_printf (opts, ",cpus=%s", g_strstrip (ranges[i]));
        }
      g_string_append_printf (opts, ",memdev=%s", backend);
      _vmd_argv_add (b->head, "-numa", opts->str);
    }
  return TRUE;
}

static gboolean
build_clock (VmdArgvBuilder *b, GError **error)
{
  xmlNodePtr clock = vmd_xml_child (b->root, "clock");
  g_autofree char *offset = vmd_xml_get_attr (clock, "offset");
  g_autoptr (GString) opts = g_string_new (NULL);
  static const char *const timers[] = { "rtc", "pit", "hpet", "kvmclock", "hypervclock", "tsc", NULL };

  if (offset == NULL || g_str_equal (offset, "utc"))
    {
      g_string_append (opts, "base=utc");
    }
  else if (g_str_equal (offset, "localtime"))
    {
      g_string_append (opts, "base=localtime");
    }
  else if (g_str_equal (offset, "variable") || g_str_equal (offset, "absolute"))
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr (GDateTime) when = NULL;
      g_autofree char *formatted = NULL;
      g_autofree char *basis = vmd_xml_get_attr (clock, "basis");

      if (g_str_equal (offset, "absolute"))
        {
          when = g_date_time_new_from_unix_utc ((gint64) vmd_xml_get_uint_attr_at (clock, NULL, "start", 0));
        }
      else
        {
          g_autofree char *adj = vmd_xml_get_attr (clock, "adjustment");
          gint64 seconds = adj ? g_ascii_strtoll (adj, NULL, 10) : 0;

          if (g_strcmp0 (basis, "localtime") == 0)
            {
              g_autoptr (GDateTime) local = g_date_time_new_now_local ();
              seconds += g_date_time_get_utc_offset (local) / G_TIME_SPAN_SECOND;
            }
          when = g_date_time_add_seconds (now, (gdouble) seconds);
        }
      formatted = g_date_time_format (when, "%Y-%m-%dT%H:%M:%S");
      g_string_append_printf (opts, "base=%s", formatted);
    }
  else
    {
      return _vmd_argv_unsupported (error,
                                    _("The embedded engine cannot run a clock with the offset '%s' (<clock offset='%s'>); use libvirt for this virtual machine."),
                                    offset, offset);
    }

  for (xmlNodePtr t = vmd_xml_child (clock, "timer"); t; t = vmd_xml_next_element (t, "timer"))
    {
      g_autofree char *name = vmd_xml_get_attr (t, "name");
      g_autofree char *tick = vmd_xml_get_attr (t, "tickpolicy");
      g_autofree char *track = vmd_xml_get_attr (t, "track");
      gboolean known = FALSE;

      for (guint i = 0; timers[i] && !known; i++)
        known = g_strcmp0 (name, timers[i]) == 0;
      if (!known)
        return _vmd_argv_unsupported (error,
                                      _("The embedded engine cannot run the timer '%s' (<timer name='%s'>); use libvirt for this virtual machine."),
                                      name ? name : "", name ? name : "");
      if (g_str_equal (name, "rtc"))
        {
          if (g_strcmp0 (track, "guest") == 0)
            g_string_append (opts, ",clock=vm");
          else if (g_strcmp0 (track, "wall") == 0)
            g_string_append (opts, ",clock=host");
          else if (g_strcmp0 (track, "realtime") == 0)
            g_string_append (opts, ",clock=rt");
          if (g_strcmp0 (tick, "catchup") == 0)
            g_string_append (opts, ",driftfix=slew");
          else if (tick != NULL && !g_str_equal (tick, "delay"))
            return _vmd_argv_unsupported (error,
                                          _("The embedded engine cannot run the RTC with the tick policy '%s'; use libvirt for this virtual machine."),
                                          tick);
        }
      else if (g_str_equal (name, "pit") && tick != NULL)
        {
          g_autofree char *global = NULL;
          if (g_str_equal (tick, "delay"))
            global = g_strdup ("kvm-pit.lost_tick_policy=delay");
          else if (g_str_equal (tick, "discard"))
            global = g_strdup ("kvm-pit.lost_tick_policy=discard");
          if (global != NULL)
            _vmd_argv_add (b->tail, "-global", global);
        }
    }
  _vmd_argv_add (b->head, "-rtc", opts->str);
  return TRUE;
}

static gboolean
build_boot (VmdArgvBuilder *b, GError **error)
{
  g_autoptr (GString) opts = g_string_new (NULL);
  xmlNodePtr menu = vmd_xml_find (b->root, "os/bootmenu");
  xmlNodePtr bios = vmd_xml_find (b->root, "os/bios");
  g_autofree char *kernel = vmd_domain_config_get_kernel (b->config);
  g_autofree char *initrd = vmd_domain_config_get_initrd (b->config);
  g_autofree char *cmdline = vmd_domain_config_get_cmdline (b->config);
  static const char *const os_children[] = {
    "type", "loader", "nvram", "boot", "bootmenu", "kernel", "initrd", "cmdline", "bios",
    "firmware", "smbios", NULL
  };

  if (!_vmd_argv_check_children (vmd_xml_child (b->root, "os"), "<os>", os_children, error))
    return FALSE;
  if (vmd_xml_find (b->root, "os/smbios") != NULL)
    {
      g_autofree char *mode = vmd_xml_get_attr_at (b->root, "os/smbios", "mode");
      if (g_strcmp0 (mode, "emulate") != 0)
        return _vmd_argv_unsupported (error,
                                      _("The embedded engine cannot set SMBIOS tables (<smbios mode='%s'>); use libvirt for this virtual machine."),
                                      mode ? mode : "");
    }

  if (menu != NULL)
    {
      g_autofree char *timeout = vmd_xml_get_attr (menu, "timeout");
      gboolean on = _vmd_argv_yes (menu, NULL, "enable");

      g_string_append_printf (opts, "menu=%s,", on ? "on" : "off");
      if (on && timeout != NULL)
        g_string_append_printf (opts, "splash-time=%s,", timeout);
    }
  if (bios != NULL)
    {
      g_autofree char *timeout = vmd_xml_get_attr (bios, "rebootTimeout");

      if (timeout != NULL)
        g_string_append_printf (opts, "reboot-timeout=%s,", timeout);
      if (_vmd_argv_yes (bios, NULL, "useserial"))
        _vmd_argv_add (b->tail, "-global", "isa-serial.index=0");
    }
  g_string_append (opts, "strict=on");
  _vmd_argv_add (b->head, "-boot", opts->str);

  if (kernel != NULL)
    _vmd_argv_add (b->head, "-kernel", g_strstrip (kernel));
  if (initrd != NULL)
    _vmd_argv_add (b->head, "-initrd", g_strstrip (initrd));
  if (cmdline != NULL)
    _vmd_argv_add (b->head, "-append", cmdline);
  return TRUE;
}

static gboolean
build_pm (VmdArgvBuilder *b, GError **error)
{
  xmlNodePtr pm = vmd_xml_child (b->root, "pm");
  const char *dev = b->q35 ? "ICH9-LPC" : "PIIX4_PM";
  static const char *const pm_children[] = { "suspend-to-mem", "suspend-to-disk", NULL };

  if (!_vmd_argv_check_children (pm, "<pm>", pm_children, error))
    return FALSE;
  for (guint i = 0; i < 2; i++)
    {
      xmlNodePtr node = vmd_xml_child (pm, i == 0 ? "suspend-to-mem" : "suspend-to-disk");
      g_autofree char *global = NULL;

      if (node == NULL || !vmd_xml_has_attr (node, "enabled"))
        continue;
      global = g_strdup_printf ("%s.disable_s%u=%u", dev, i == 0 ? 3 : 4,
                                _vmd_argv_yes (node, NULL, "enabled") ? 0 : 1);
      _vmd_argv_add (b->head, "-global", global);
    }
  return TRUE;
}

static gboolean
build_lifecycle (VmdArgvBuilder *b, GError **error)
{
  g_autofree char *poweroff = vmd_domain_config_get_lifecycle_action (b->config, VMD_LIFECYCLE_POWEROFF);
  g_autofree char *reboot = vmd_domain_config_get_lifecycle_action (b->config, VMD_LIFECYCLE_REBOOT);

  /* QEMU exits when the guest powers off, unless the definition wants
   * the stopped VM kept around. */
  if (g_str_equal (poweroff, "preserve"))
    _vmd_argv_add (b->head, "-no-shutdown", NULL);
  if (g_str_equal (reboot, "destroy"))
    _vmd_argv_add (b->head, "-no-reboot", NULL);
  if (b->q35)
    _vmd_argv_add (b->tail, "-global", "ICH9-LPC.noreboot=off");
  return TRUE;
}

/* I/O threads: the definition's IDs, or 1 to N. */
static gboolean
build_iothreads (VmdArgvBuilder *b, GError **error)
{
  xmlNodePtr ids = vmd_xml_child (b->root, "iothreadids");
  g_autofree char *text = vmd_xml_get_text_at (b->root, "iothreads");
  guint64 count = text ? g_ascii_strtoull (g_strstrip (text), NULL, 10) : 0;
  static const char *const attrs[] = { "id", NULL };

  if (ids != NULL)
    {
      g_autoptr (GHashTable) used = g_hash_table_new (NULL, NULL);
      guint listed = 0;

      for (xmlNodePtr t = vmd_xml_child (ids, "iothread"); t; t = vmd_xml_next_element (t, "iothread"))
        {
          g_hash_table_add (used, GUINT_TO_POINTER (vmd_xml_get_uint_attr_at (t, NULL, "id", 0)));
          listed++;
        }
      /* libvirt numbers the threads the list leaves out from 1. */
      for (guint64 id = 1; listed < count && id < 1024; id++)
        {
          g_autofree char *name = NULL;
          JsonObject *props;

          if (g_hash_table_contains (used, GUINT_TO_POINTER (id)))
            continue;
          name = g_strdup_printf ("iothread%" G_GUINT64_FORMAT, id);
          props = _vmd_json_new ();
          _vmd_json_str (props, "qom-type", "iothread");
          _vmd_json_str (props, "id", name);
          _vmd_argv_add_json (b->head, "-object", props);
          listed++;
        }
      for (xmlNodePtr t = vmd_xml_child (ids, "iothread"); t; t = vmd_xml_next_element (t, "iothread"))
        {
          g_autofree char *id = NULL;
          JsonObject *props;

          for (xmlAttrPtr a = t->properties; a; a = a->next)
            if (!g_strv_contains (attrs, (const char *) a->name))
              return _vmd_argv_unsupported (error,
                                            _("The embedded engine cannot tune an I/O thread (<iothread %s=…>); use libvirt for this virtual machine."),
                                            (const char *) a->name);
          id = g_strdup_printf ("iothread%" G_GUINT64_FORMAT, vmd_xml_get_uint_attr_at (t, NULL, "id", 0));
          props = _vmd_json_new ();
          _vmd_json_str (props, "qom-type", "iothread");
          _vmd_json_str (props, "id", id);
          _vmd_argv_add_json (b->head, "-object", props);
        }
      return TRUE;
    }
  for (guint64 i = 1; i <= count && i < 1024; i++)
    {
      g_autofree char *id = g_strdup_printf ("iothread%" G_GUINT64_FORMAT, i);
      JsonObject *props = _vmd_json_new ();
      _vmd_json_str (props, "qom-type", "iothread");
      _vmd_json_str (props, "id", id);
      _vmd_argv_add_json (b->head, "-object", props);
    }
  return TRUE;
}

/* Devices of the platform rather than of <devices>: the VM generation ID,
 * vmcoreinfo, and the settings of the root PCI bus. */
gboolean
_vmd_argv_build_platform_devices (VmdArgvBuilder *b, GError **error)
{
  xmlNodePtr genid = vmd_xml_child (b->root, "genid");
  g_autofree char *guid = NULL;
  JsonObject *props;

  if (feature_state (b, "vmcoreinfo") == 1)
    {
      props = _vmd_json_new ();
      _vmd_json_str (props, "driver", "vmcoreinfo");
      _vmd_argv_add_json (b->args, "-device", props);
    }
  for (xmlNodePtr c = vmd_xml_child (b->devices, "controller"); c;
       c = vmd_xml_next_element (c, "controller"))
    {
      xmlNodePtr hole = vmd_xml_child (c, "pcihole64");
      g_autofree char *text = NULL;
      g_autofree char *unit = NULL;
      g_autofree char *global = NULL;
      guint64 kib = 0;

      if (hole == NULL)
        continue;
      text = vmd_xml_get_text (hole);
      unit = vmd_xml_get_attr (hole, "unit");
      if (!vmd_size_parse (g_strstrip (text), unit ? unit : "KiB", &kib, NULL))
        return _vmd_argv_invalid (error, _("The 64-bit PCI hole is not a size."));
      global = g_strdup_printf ("%s.pci-hole64-size=%" G_GUINT64_FORMAT "K",
                                b->q35 ? "q35-pcihost" : "i440FX-pcihost", kib);
      _vmd_argv_add (b->head, "-global", global);
    }

  {
    xmlNodePtr root = NULL;
    for (xmlNodePtr c = vmd_xml_child (b->devices, "controller"); c && root == NULL;
         c = vmd_xml_next_element (c, "controller"))
      {
        g_autofree char *type = vmd_xml_get_attr (c, "type");
        if (g_strcmp0 (type, "pci") == 0 && _vmd_argv_controller_index (c) == 0)
          root = c;
      }
    if (root != NULL && vmd_xml_has_attr (vmd_xml_child (root, "target"), "hotplug"))
      {
        g_autofree char *global = g_strdup_printf ("%s.acpi-root-pci-hotplug=%s",
                                                   b->q35 ? "ICH9-LPC" : "PIIX4_PM",
                                                   _vmd_argv_yes (root, "target", "hotplug") ? "on" : "off");
        _vmd_argv_add (b->head, "-global", global);
      }
  }

  if (genid == NULL)
    return TRUE;
  guid = vmd_xml_get_text (genid);
  g_strstrip (guid);
  props = _vmd_json_new ();
  _vmd_json_str (props, "driver", "vmgenid");
  /* An empty <genid/> asks for a generated one; QEMU's "auto". */
  _vmd_json_str (props, "guid", *guid ? guid : "auto");
  _vmd_json_str (props, "id", "vmgenid0");
  _vmd_argv_add_json (b->args, "-device", props);
  return TRUE;
}

/* The definition as a whole: what kind of VM, which machine, which
 * features, and which firmware. */
gboolean
_vmd_argv_check_domain (VmdArgvBuilder *b, GError **error)
{
  if (!check_domain (b, error) || !check_machine (b, error) || !check_features (b, error))
    return FALSE;
  b->firmware = g_new0 (FirmwarePlan, 1);
  return plan_firmware (b->config, b->q35, b->firmware, error);
}

/* -m, -machine, -accel, -cpu, -smp, NUMA nodes and I/O threads. The audio
 * backends are planned first: the PC speaker's is on the machine line. */
gboolean
_vmd_argv_build_machine (VmdArgvBuilder *b, GError **error)
{
  /* Devices that reach the machine line need a look first. */
  for (xmlNodePtr f = vmd_xml_child (b->devices, "filesystem"); f;
       f = vmd_xml_next_element (f, "filesystem"))
    {
      g_autofree char *driver = vmd_xml_get_attr_at (f, "driver", "type");
      if (g_strcmp0 (driver, "virtiofs") == 0)
        b->shared_memory = TRUE;
    }

  return build_memory (b, error) && _vmd_argv_plan_audio (b, error) &&
         build_machine (b, error) && build_cpu (b, error) && build_smp (b, error) &&
         build_numa (b, error) && build_iothreads (b, error);
}

/* -rtc, the lifecycle actions, power management and -boot. */
gboolean
_vmd_argv_build_clock_and_boot (VmdArgvBuilder *b, GError **error)
{
  return build_clock (b, error) && build_lifecycle (b, error) && build_pm (b, error) &&
         build_boot (b, error);
}
