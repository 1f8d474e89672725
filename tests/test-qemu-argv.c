/* test-qemu-argv.c: domain XML → QEMU command line
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "argv-compare.h"
#include "corpus-util.h"
#include "vmd-model.h"
#include "vmd-qemu-argv.h"
#include "vmd-domain-config-private.h"
#include "vmd-xml.h"

#define RUNTIME "/run/user/1000/vmdesk/test"


/* ---------------------------------------------------------------- corpus */

static GHashTable *
index_notes (void)
{
  g_autofree char *path = g_build_filename (corpus_dir (), "INDEX.tsv", NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  GHashTable *notes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i]; i++)
    {
      g_auto (GStrv) cols = g_strsplit (lines[i], "\t", -1);
      if (g_strv_length (cols) >= 12 && *cols[11] != '\0')
        g_hash_table_insert (notes, g_strdup (cols[0]), g_strdup (cols[11]));
    }
  return notes;
}

/* The IDs of the PCI controllers and USB hubs the definition itself
 * has: the others are each engine's placement policy. */
static GHashTable *
declared_buses (VmdDomainConfig *config)
{
  g_autoptr (GPtrArray) controllers = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_CONTROLLER);
  g_autoptr (GPtrArray) hubs = vmd_domain_config_get_devices_of_kind (config, "hub");
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < controllers->len; i++)
    {
      VmdDeviceController *c = g_ptr_array_index (controllers, i);
      g_autofree char *type = vmd_device_controller_get_controller_type (c);
      if (g_strcmp0 (type, "pci") == 0)
        g_hash_table_add (ids, vmd_qemu_argv_device_id (VMD_DEVICE (c)));
    }
  for (guint i = 0; i < hubs->len; i++)
    g_hash_table_add (ids, vmd_qemu_argv_device_id (g_ptr_array_index (hubs, i)));
  return ids;
}

static char *
compare_case (const char *xml_path, const char *args_path, GError **error)
{
  g_autofree char *base = g_path_get_basename (xml_path);
  g_autofree char *name = g_strndup (base, strlen (base) - 4);
  g_autofree char *nvram = g_strdup_printf ("/var/lib/libvirt/qemu/nvram/%s_VARS.fd", name);
  VmdQemuArgvOptions options = {
    .runtime_dir = RUNTIME,
    .swtpm_socket = RUNTIME "/swtpm.sock",
    .start_paused = TRUE,
  };
  g_autoptr (VmdDomainConfig) config = vmd_domain_config_new_from_file (xml_path, error);
  g_auto (GStrv) ours = NULL;
  g_auto (GStrv) theirs = NULL;
  g_autofree char *text = NULL;
  g_autoptr (GHashTable) pci = NULL;
  g_autoptr (ArgvSummary) a = NULL;
  g_autoptr (ArgvSummary) b = NULL;
  g_autofree char *mode = NULL;

  if (config == NULL)
    return NULL;
  pci = declared_buses (config);
  {
    /* Where libvirt keeps the variables when the definition does not say. */
    g_autofree char *xml_nvram = vmd_domain_config_get_nvram (config);
    if (xml_nvram == NULL || *g_strstrip (xml_nvram) == '\0')
      options.nvram_path = nvram;
  }
  ours = vmd_qemu_argv_build (config, &options, error);
  if (ours == NULL)
    return NULL;
  if (!g_file_get_contents (args_path, &text, NULL, error))
    return NULL;
  theirs = argv_split_args_file (text, error);
  if (theirs == NULL)
    return NULL;
  a = argv_summary_new ((const char *const *) ours, pci, error);
  if (a == NULL)
    return NULL;
  b = argv_summary_new ((const char *const *) theirs, pci, error);
  if (b == NULL)
    return NULL;

  /* Normalisation by definition, not by engine:
   * - host-model: libvirt names the host's CPU model (from its faked
   *   capabilities, here an EPYC); vmdesk asks QEMU for "host" or "max". */
  /* - audio: libvirt always adds a backend ("none", or SPICE's); vmdesk
   *   adds one only for a sound device. What a definition's own <audio>
   *   elements ask for must agree. */
  {
    g_autoptr (GPtrArray) audio = vmd_domain_config_get_devices_of_kind (config, "audio");
    if (audio->len == 0)
      {
        argv_summary_ignore (a, "audio");
        argv_summary_ignore (b, "audio");
      }
  }
  mode = vmd_domain_config_get_cpu_mode (config);
  if (g_strcmp0 (mode, "host-model") == 0)
    {
      argv_summary_ignore (a, "cpu");
      argv_summary_ignore (b, "cpu");
    }

  if (g_getenv ("VMD_ARGV_DEBUG") != NULL)
    {
      g_autofree char *da = argv_summary_dump (a);
      g_autofree char *db = argv_summary_dump (b);
      g_autofree char *s = vmd_qemu_argv_to_string ((const char *const *) ours);
      g_printerr ("%s\n--- vmdesk\n%s--- libvirt\n%s", s, da, db);
    }
  return argv_summary_diff (a, b) ?: g_strdup ("");
}

/* The corpus cases outside the supported subset, and why:
 * - UNSUPPORTED: the definition asks for what the embedded engine does not
 *   run; the builder must refuse it, naming the element;
 * - INVALID: libvirt's test accepts a definition QEMU itself would refuse
 *   (or that libvirt completes with devices it adds); the builder must
 *   refuse it as inconsistent;
 * - SETUP: libvirt's test runs with special settings or capabilities (the
 *   notes column of INDEX.tsv), so its .args do not show the definition
 *   alone;
 * - DIVERGES: the builder runs the definition, but libvirt's output rests
 *   on knowledge vmdesk does not copy. */
typedef enum {
  EXCLUDE_UNSUPPORTED,
  EXCLUDE_INVALID,
  EXCLUDE_SETUP,
  EXCLUDE_DIVERGES,
} ExcludeReason;

typedef struct
{
  const char    *name;
  ExcludeReason  reason;
  const char    *what;
} ExcludedCase;

static const ExcludedCase excluded_cases[] = {
  { "acpi-table", EXCLUDE_UNSUPPORTED, "<os><acpi>" },
  { "async-teardown", EXCLUDE_UNSUPPORTED, "<features><async-teardown>" },
  { "audio-coreaudio-best", EXCLUDE_UNSUPPORTED, "<audio type='coreaudio'>" },
  { "audio-coreaudio-full", EXCLUDE_UNSUPPORTED, "<audio type='coreaudio'>" },
  { "audio-coreaudio-minimal", EXCLUDE_UNSUPPORTED, "<audio type='coreaudio'>" },
  { "audio-default-nographics", EXCLUDE_SETUP, "qemu.conf:nogfxAllowHostAudio" },
  { "audio-default-sdl", EXCLUDE_UNSUPPORTED, "<graphics type='sdl'>" },
  { "audio-default-vnc", EXCLUDE_SETUP, "qemu.conf:vncAllowHostAudio" },
  { "audio-pipewire-best", EXCLUDE_UNSUPPORTED, "<audio runtimeDir='…'>" },
  { "audio-pipewire-full", EXCLUDE_UNSUPPORTED, "<audio runtimeDir='…'>" },
  { "audio-sdl-best", EXCLUDE_UNSUPPORTED, "<audio driver='…'>" },
  { "audio-sdl-full", EXCLUDE_UNSUPPORTED, "<audio driver='…'>" },
  { "blkdeviotune", EXCLUDE_UNSUPPORTED, "<iotune>" },
  { "blkdeviotune-group-num", EXCLUDE_UNSUPPORTED, "<iotune>" },
  { "blkdeviotune-max", EXCLUDE_UNSUPPORTED, "<iotune>" },
  { "blkdeviotune-max-length", EXCLUDE_UNSUPPORTED, "<iotune>" },
  { "blkiotune", EXCLUDE_UNSUPPORTED, "<blkiotune>" },
  { "blkiotune-device", EXCLUDE_UNSUPPORTED, "<blkiotune>" },
  { "boot-order", EXCLUDE_UNSUPPORTED, "<disk type='network'>" },
  { "channel-guestfwd", EXCLUDE_UNSUPPORTED, "<target type='guestfwd'>" },
  { "channel-qemu-vdagent-features", EXCLUDE_UNSUPPORTED, "<type arch='i686'>" },
  { "channel-spicevmc", EXCLUDE_SETUP, "qemu.conf:spiceTLS" },
  { "channel-unix-guestfwd", EXCLUDE_UNSUPPORTED, "<target type='guestfwd'>" },
  { "chardev-label", EXCLUDE_UNSUPPORTED, "<backend model='egd'>" },
  { "chardev-reconnect", EXCLUDE_UNSUPPORTED, "<smartcard>" },
  { "clock-france", EXCLUDE_UNSUPPORTED, "<clock offset='timezone'>" },
  { "controller-order", EXCLUDE_UNSUPPORTED, "<smartcard>" },
  { "cpu-Haswell", EXCLUDE_SETUP, "test-args:ARG_CAPS_HOST_CPU_MODEL" },
  { "cpu-Haswell-noTSX", EXCLUDE_SETUP, "test-args:ARG_CAPS_HOST_CPU_MODEL" },
  { "cpu-Haswell2", EXCLUDE_SETUP, "test-args:ARG_CAPS_HOST_CPU_MODEL" },
  { "cpu-Haswell3", EXCLUDE_SETUP, "test-args:ARG_CAPS_HOST_CPU_MODEL" },
  { "cpu-Icelake-Server-pconfig", EXCLUDE_DIVERGES, "libvirt's CPU map rewrites the model's features" },
  { "cpu-cache-disable3", EXCLUDE_SETUP, "test-args:ARG_CAPS_HOST_CPU_MODEL" },
  { "cpu-check-default-partial", EXCLUDE_SETUP, "test-args:ARG_CAPS_HOST_CPU_MODEL" },
  { "cpu-check-default-partial2", EXCLUDE_SETUP, "test-args:ARG_CAPS_HOST_CPU_MODEL" },
  { "cpu-check-partial", EXCLUDE_SETUP, "test-args:ARG_CAPS_HOST_CPU_MODEL" },
  { "cpu-eoi-disabled", EXCLUDE_UNSUPPORTED, "<type arch='i686'>" },
  { "cpu-eoi-enabled", EXCLUDE_UNSUPPORTED, "<type arch='i686'>" },
  { "cpu-exact1", EXCLUDE_SETUP, "test-args:ARG_CAPS_HOST_CPU_MODEL" },
  { "cpu-exact2", EXCLUDE_SETUP, "test-args:ARG_CAPS_HOST_CPU_MODEL" },
  { "cpu-exact2-nofallback", EXCLUDE_SETUP, "test-args:ARG_CAPS_HOST_CPU_MODEL" },
  { "cpu-host-model-cmt", EXCLUDE_SETUP, "test-args:ARG_CAPS_HOST_CPU_MODEL" },
  { "cpu-host-model-vendor", EXCLUDE_SETUP, "test-args:ARG_CAPS_HOST_CPU_MODEL" },
  { "cpu-hotplug-startup", EXCLUDE_UNSUPPORTED, "<vcpus>" },
  { "cpu-kvmclock", EXCLUDE_SETUP, "test-args:ARG_CAPS_HOST_CPU_MODEL" },
  { "cpu-minimum1", EXCLUDE_SETUP, "test-args:ARG_CAPS_HOST_CPU_MODEL" },
  { "cpu-minimum2", EXCLUDE_SETUP, "test-args:ARG_CAPS_HOST_CPU_MODEL" },
  { "cpu-no-removed-features", EXCLUDE_SETUP, "test-args:ARG_CAPS_HOST_CPU_MODEL" },
  { "cpu-phys-bits-emulate2", EXCLUDE_SETUP, "test-args:ARG_CAPS_HOST_CPU_MODEL" },
  { "cpu-strict1", EXCLUDE_SETUP, "test-args:ARG_CAPS_HOST_CPU_MODEL" },
  { "cpu-tsc-frequency", EXCLUDE_SETUP, "test-args:ARG_CAPS_HOST_CPU_MODEL" },
  { "cputune", EXCLUDE_UNSUPPORTED, "<cputune>" },
  { "cputune-cpuset-big-id", EXCLUDE_UNSUPPORTED, "<cputune>" },
  { "cputune-numatune", EXCLUDE_UNSUPPORTED, "<cputune>" },
  { "cputune-zero-shares", EXCLUDE_UNSUPPORTED, "<cputune>" },
  { "crypto-builtin", EXCLUDE_UNSUPPORTED, "<crypto>" },
  { "disk-backing-chains-index", EXCLUDE_UNSUPPORTED, "<disk type='network'>" },
  { "disk-backing-chains-noindex", EXCLUDE_UNSUPPORTED, "<disk type='network'>" },
  { "disk-blockio", EXCLUDE_INVALID, "an IDE unit beyond the two of a PIIX bus" },
  { "disk-cdrom-empty-network-invalid", EXCLUDE_UNSUPPORTED, "<disk type='network'>" },
  { "disk-cdrom-network", EXCLUDE_UNSUPPORTED, "<disk type='network'>" },
  { "disk-cdrom-network-nbdkit", EXCLUDE_SETUP,
    "test-args:ARG_FAKE_NBDKIT(macro);qemu.conf:storageUseNbdkit" },
  { "disk-discard_no_unref", EXCLUDE_UNSUPPORTED, "<driver discard_no_unref=…>" },
  { "disk-ide-split", EXCLUDE_INVALID, "an IDE unit beyond the two of a PIIX bus" },
  { "disk-metadata-cache", EXCLUDE_UNSUPPORTED, "<metadata_cache>" },
  { "disk-network-gluster", EXCLUDE_UNSUPPORTED, "<disk type='network'>" },
  { "disk-network-http", EXCLUDE_SETUP,
    "qemu.conf:nbdTLSx509secretUUID+vxhsTLS+vxhsTLSx509secretUUID" },
  { "disk-network-http-nbdkit", EXCLUDE_SETUP,
    "test-args:ARG_FAKE_NBDKIT(macro);qemu.conf:storageUseNbdkit" },
  { "disk-network-iscsi", EXCLUDE_UNSUPPORTED, "<disk type='network'>" },
  { "disk-network-nbd", EXCLUDE_UNSUPPORTED, "<disk type='network'>" },
  { "disk-network-nfs", EXCLUDE_UNSUPPORTED, "<disk type='network'>" },
  { "disk-network-rbd", EXCLUDE_UNSUPPORTED, "<disk type='network'>" },
  { "disk-network-rbd-encryption", EXCLUDE_UNSUPPORTED, "<disk type='network'>" },
  { "disk-network-rbd-encryption-layering", EXCLUDE_UNSUPPORTED, "<disk type='network'>" },
  { "disk-network-rbd-encryption-luks-any", EXCLUDE_UNSUPPORTED, "<disk type='network'>" },
  { "disk-network-rbd-no-colon", EXCLUDE_UNSUPPORTED, "<disk type='network'>" },
  { "disk-network-source-auth", EXCLUDE_UNSUPPORTED, "<disk type='network'>" },
  { "disk-network-source-curl", EXCLUDE_UNSUPPORTED, "<disk type='network'>" },
  { "disk-network-source-curl-nbdkit", EXCLUDE_SETUP,
    "test-args:ARG_FAKE_NBDKIT(macro);qemu.conf:storageUseNbdkit" },
  { "disk-network-source-curl-nbdkit-backing", EXCLUDE_SETUP,
    "test-args:ARG_FAKE_NBDKIT(macro);qemu.conf:storageUseNbdkit" },
  { "disk-network-ssh", EXCLUDE_UNSUPPORTED, "<disk type='network'>" },
  { "disk-network-ssh-key", EXCLUDE_SETUP,
    "test-args:ARG_FAKE_NBDKIT(macro);qemu.conf:storageUseNbdkit" },
  { "disk-network-ssh-nbdkit", EXCLUDE_SETUP,
    "test-args:ARG_FAKE_NBDKIT(macro);qemu.conf:storageUseNbdkit" },
  { "disk-network-ssh-password", EXCLUDE_SETUP,
    "test-args:ARG_FAKE_NBDKIT(macro);qemu.conf:storageUseNbdkit" },
  { "disk-network-tlsx509-nbd", EXCLUDE_SETUP,
    "qemu.conf:nbdTLSx509secretUUID+vxhsTLS+vxhsTLSx509secretUUID" },
  { "disk-network-tlsx509-nbd-hostname", EXCLUDE_SETUP,
    "qemu.conf:nbdTLSx509secretUUID+vxhsTLS+vxhsTLSx509secretUUID" },
  { "disk-nvme", EXCLUDE_UNSUPPORTED, "<disk type='nvme'>" },
  { "disk-scsi", EXCLUDE_UNSUPPORTED, "<controller type='scsi' model='ibmvscsi'>" },
  { "disk-serial", EXCLUDE_INVALID, "an IDE unit beyond the two of a PIIX bus" },
  { "disk-slices", EXCLUDE_UNSUPPORTED, "<slices>" },
  { "disk-snapshot", EXCLUDE_INVALID, "an IDE unit beyond the two of a PIIX bus" },
  { "disk-source-fd", EXCLUDE_SETUP, "test-args:ARG_FD_GROUP" },
  { "disk-source-pool", EXCLUDE_UNSUPPORTED, "<disk type='volume'>" },
  { "disk-source-pool-mode", EXCLUDE_UNSUPPORTED, "<disk type='volume'>" },
  { "disk-startuppolicy-optional-drop", EXCLUDE_UNSUPPORTED, "<disk type='volume'>" },
  { "disk-transient", EXCLUDE_UNSUPPORTED, "<transient>" },
  { "disk-vhostuser", EXCLUDE_UNSUPPORTED, "<disk type='vhostuser'>" },
  { "disk-vhostuser-numa", EXCLUDE_UNSUPPORTED, "<disk type='vhostuser'>" },
  { "disk-vhostvdpa", EXCLUDE_SETUP, "test-args:ARG_VDPA_FD" },
  { "disk-virtio-scsi-reservations", EXCLUDE_UNSUPPORTED, "<reservations>" },
  { "encrypted-disk", EXCLUDE_UNSUPPORTED, "<encryption>" },
  { "encrypted-disk-usage", EXCLUDE_UNSUPPORTED, "<encryption>" },
  { "fd-memory-no-numa-topology", EXCLUDE_UNSUPPORTED, "<source type='file'>" },
  { "fd-memory-numa-topology", EXCLUDE_UNSUPPORTED, "<source type='file'>" },
  { "fd-memory-numa-topology2", EXCLUDE_UNSUPPORTED, "<source type='file'>" },
  { "fd-memory-numa-topology3", EXCLUDE_UNSUPPORTED, "<source type='file'>" },
  { "fd-memory-numa-topology4", EXCLUDE_UNSUPPORTED, "<cell discard=…>" },
  { "firmware-auto-efi-format-loader-qcow2", EXCLUDE_UNSUPPORTED, "<loader format='…'>" },
  { "firmware-auto-efi-format-loader-qcow2-nvram-path", EXCLUDE_UNSUPPORTED,
    "<loader format='…'>" },
  { "firmware-auto-efi-format-nvram-qcow2", EXCLUDE_UNSUPPORTED, "<loader format='…'>" },
  { "firmware-auto-efi-format-nvram-qcow2-network-nbd", EXCLUDE_UNSUPPORTED,
    "<loader format='…'>" },
  { "firmware-auto-efi-format-nvram-qcow2-path", EXCLUDE_UNSUPPORTED, "<loader format='…'>" },
  { "firmware-auto-efi-nvram-network-iscsi", EXCLUDE_UNSUPPORTED, "<nvram type='network'>" },
  { "firmware-auto-efi-nvram-network-nbd", EXCLUDE_UNSUPPORTED, "<nvram type='network'>" },
  { "firmware-manual-efi-nvram-network-iscsi", EXCLUDE_UNSUPPORTED, "<nvram type='network'>" },
  { "firmware-manual-efi-nvram-network-nbd", EXCLUDE_UNSUPPORTED, "<nvram type='network'>" },
  { "floppy-drive-fat", EXCLUDE_UNSUPPORTED, "<disk type='dir'>" },
  { "fs9p", EXCLUDE_UNSUPPORTED, "<driver type='handle'>" },
  { "graphics-dbus", EXCLUDE_UNSUPPORTED, "<graphics type='dbus'>" },
  { "graphics-dbus-address", EXCLUDE_UNSUPPORTED, "<graphics type='dbus'>" },
  { "graphics-dbus-audio", EXCLUDE_UNSUPPORTED, "<audio type='dbus'>" },
  { "graphics-dbus-chardev", EXCLUDE_UNSUPPORTED, "<graphics type='dbus'>" },
  { "graphics-dbus-p2p", EXCLUDE_UNSUPPORTED, "<graphics type='dbus'>" },
  { "graphics-dbus-usbredir", EXCLUDE_UNSUPPORTED, "<graphics type='dbus'>" },
  { "graphics-egl-headless", EXCLUDE_UNSUPPORTED, "<graphics type='egl-headless'>" },
  { "graphics-egl-headless-rendernode", EXCLUDE_UNSUPPORTED, "<graphics type='egl-headless'>" },
  { "graphics-listen-network", EXCLUDE_UNSUPPORTED, "<listen type='network'>" },
  { "graphics-sdl", EXCLUDE_UNSUPPORTED, "<graphics type='sdl'>" },
  { "graphics-sdl-fullscreen", EXCLUDE_UNSUPPORTED, "<graphics type='sdl'>" },
  { "graphics-spice", EXCLUDE_SETUP, "qemu.conf:spiceTLS" },
  { "graphics-spice-agent-file-xfer", EXCLUDE_SETUP, "qemu.conf:spiceTLS" },
  { "graphics-spice-agentmouse", EXCLUDE_SETUP, "qemu.conf:spiceTLS" },
  { "graphics-spice-auto-socket", EXCLUDE_SETUP, "qemu.conf:spiceTLS" },
  { "graphics-spice-auto-socket-cfg", EXCLUDE_SETUP, "qemu.conf:spiceAutoUnixSocket+spiceTLS" },
  { "graphics-spice-compression", EXCLUDE_SETUP, "qemu.conf:spiceTLS" },
  { "graphics-spice-egl-headless", EXCLUDE_SETUP, "qemu.conf:spiceTLS" },
  { "graphics-spice-gl-auto-rendernode", EXCLUDE_SETUP, "qemu.conf:spiceTLS" },
  { "graphics-spice-no-args", EXCLUDE_SETUP, "qemu.conf:spiceTLS" },
  { "graphics-spice-qxl-vga", EXCLUDE_SETUP, "qemu.conf:spiceTLS" },
  { "graphics-spice-sasl", EXCLUDE_SETUP, "qemu.conf:spiceSASL+spiceTLS" },
  { "graphics-spice-socket", EXCLUDE_SETUP, "qemu.conf:spiceTLS" },
  { "graphics-spice-timeout", EXCLUDE_SETUP, "qemu.conf:spiceTLS" },
  { "graphics-spice-usb-redir", EXCLUDE_SETUP, "qemu.conf:spiceTLS" },
  { "graphics-vnc-auto-socket-cfg", EXCLUDE_SETUP, "qemu.conf:vncAutoUnixSocket" },
  { "graphics-vnc-egl-headless", EXCLUDE_UNSUPPORTED, "<graphics type='egl-headless'>" },
  { "graphics-vnc-sasl", EXCLUDE_SETUP, "qemu.conf:vncSASL" },
  { "graphics-vnc-tls", EXCLUDE_SETUP, "qemu.conf:vncSASL+vncTLS+vncTLSx509verify" },
  { "graphics-vnc-tls-secret", EXCLUDE_SETUP,
    "qemu.conf:vncSASL+vncTLS+vncTLSx509secretUUID+vncTLSx509verify" },
  { "graphics-vnc-websocket", EXCLUDE_UNSUPPORTED, "<graphics websocket='5700'>" },
  { "hostdev-mdev-display", EXCLUDE_UNSUPPORTED, "<hostdev type='mdev'>" },
  { "hostdev-mdev-display-ramfb", EXCLUDE_UNSUPPORTED, "<hostdev type='mdev'>" },
  { "hostdev-mdev-display-spice-egl-headless", EXCLUDE_UNSUPPORTED,
    "<graphics type='egl-headless'>" },
  { "hostdev-mdev-display-spice-opengl", EXCLUDE_UNSUPPORTED, "<gl enable='yes'>" },
  { "hostdev-mdev-display-vnc", EXCLUDE_UNSUPPORTED, "<hostdev type='mdev'>" },
  { "hostdev-mdev-display-vnc-egl-headless", EXCLUDE_UNSUPPORTED,
    "<graphics type='egl-headless'>" },
  { "hostdev-mdev-precreated", EXCLUDE_UNSUPPORTED, "<hostdev type='mdev'>" },
  { "hostdev-pci-address", EXCLUDE_UNSUPPORTED, "<type arch='i686'>" },
  { "hostdev-pci-address-device", EXCLUDE_UNSUPPORTED, "<type arch='i686'>" },
  { "hostdev-pci-address-unassigned", EXCLUDE_UNSUPPORTED, "<hostdev>" },
  { "hostdev-pci-display-ramfb", EXCLUDE_UNSUPPORTED, "<hostdev display='on'>" },
  { "hostdev-scsi-autogen-address", EXCLUDE_UNSUPPORTED, "<hostdev type='scsi'>" },
  { "hostdev-scsi-large-unit", EXCLUDE_UNSUPPORTED, "<hostdev type='scsi'>" },
  { "hostdev-scsi-lsi", EXCLUDE_UNSUPPORTED, "<hostdev><readonly>" },
  { "hostdev-scsi-shareable", EXCLUDE_UNSUPPORTED, "<hostdev><shareable>" },
  { "hostdev-scsi-vhost-scsi-pci", EXCLUDE_UNSUPPORTED, "<hostdev type='scsi_host'>" },
  { "hostdev-scsi-vhost-scsi-pcie", EXCLUDE_UNSUPPORTED, "<hostdev type='scsi_host'>" },
  { "hostdev-scsi-virtio-scsi", EXCLUDE_UNSUPPORTED, "<hostdev><readonly>" },
  { "hostdev-usb-address", EXCLUDE_UNSUPPORTED, "<type arch='i686'>" },
  { "hostdev-usb-address-device", EXCLUDE_UNSUPPORTED, "<type arch='i686'>" },
  { "hostdev-usb-address-device-boot", EXCLUDE_UNSUPPORTED, "<type arch='i686'>" },
  { "hugepages-default", EXCLUDE_UNSUPPORTED, "<memoryBacking><hugepages>" },
  { "hugepages-default-2M", EXCLUDE_UNSUPPORTED, "<memoryBacking><hugepages>" },
  { "hugepages-default-system-size", EXCLUDE_UNSUPPORTED, "<memoryBacking><hugepages>" },
  { "hugepages-memaccess", EXCLUDE_UNSUPPORTED, "<numatune>" },
  { "hugepages-memaccess2", EXCLUDE_UNSUPPORTED, "<numatune>" },
  { "hugepages-memaccess3", EXCLUDE_UNSUPPORTED, "<memoryBacking><hugepages>" },
  { "hugepages-nodeset", EXCLUDE_UNSUPPORTED, "<memoryBacking><hugepages>" },
  { "hugepages-numa-default", EXCLUDE_UNSUPPORTED, "<memoryBacking><hugepages>" },
  { "hugepages-numa-default-2M", EXCLUDE_UNSUPPORTED, "<memoryBacking><hugepages>" },
  { "hugepages-numa-default-dimm", EXCLUDE_UNSUPPORTED, "<memoryBacking><hugepages>" },
  { "hugepages-numa-nodeset", EXCLUDE_UNSUPPORTED, "<memoryBacking><hugepages>" },
  { "hugepages-numa-nodeset-part", EXCLUDE_UNSUPPORTED, "<memoryBacking><hugepages>" },
  { "hugepages-nvdimm", EXCLUDE_UNSUPPORTED, "<memoryBacking><hugepages>" },
  { "hugepages-shared", EXCLUDE_UNSUPPORTED, "<numatune>" },
  { "hvf-x86_64-q35-headless", EXCLUDE_SETUP, "test-args:ARG_CAPS_VARIANT" },
  { "hyperv", EXCLUDE_DIVERGES, "TCG cannot set Hyper-V VP_INDEX: vmdesk leaves it out" },
  { "hyperv-panic", EXCLUDE_UNSUPPORTED, "<panic model='hyperv'>" },
  { "hyperv-stimer-direct", EXCLUDE_DIVERGES,
    "TCG cannot set Hyper-V VP_INDEX: vmdesk leaves it out" },
  { "input-linux", EXCLUDE_UNSUPPORTED, "<input type='evdev'>" },
  { "intel-iommu", EXCLUDE_UNSUPPORTED, "<iommu>" },
  { "intel-iommu-aw-bits", EXCLUDE_UNSUPPORTED, "<iommu>" },
  { "intel-iommu-caching-mode", EXCLUDE_UNSUPPORTED, "<iommu>" },
  { "intel-iommu-device-iotlb", EXCLUDE_UNSUPPORTED, "<iommu>" },
  { "intel-iommu-dma-translation", EXCLUDE_UNSUPPORTED, "<iommu>" },
  { "intel-iommu-eim", EXCLUDE_UNSUPPORTED, "<iommu>" },
  { "iothreads-disk", EXCLUDE_UNSUPPORTED, "<iothreads>" },
  { "iothreads-ids-pool-sizes", EXCLUDE_UNSUPPORTED, "<defaultiothread>" },
  { "launch-security-sev-direct", EXCLUDE_SETUP, "test-args:ARG_QEMU_CAPS" },
  { "launch-security-sev-snp", EXCLUDE_SETUP, "test-args:ARG_QEMU_CAPS" },
  { "lease", EXCLUDE_UNSUPPORTED, "<lease>" },
  { "luks-disks", EXCLUDE_UNSUPPORTED, "<encryption>" },
  { "luks-disks-source", EXCLUDE_UNSUPPORTED, "<encryption>" },
  { "luks-disks-source-qcow2", EXCLUDE_UNSUPPORTED, "<encryption>" },
  { "machine-core-off", EXCLUDE_SETUP, "qemu.conf:dumpGuestCore" },
  { "memfd-memory-default-hugepage", EXCLUDE_UNSUPPORTED, "<numatune>" },
  { "memfd-memory-numa", EXCLUDE_UNSUPPORTED, "<numatune>" },
  { "memory-hotplug-dimm", EXCLUDE_UNSUPPORTED, "<idmap>" },
  { "memory-hotplug-dimm-addr", EXCLUDE_UNSUPPORTED, "<type arch='i686'>" },
  { "memory-hotplug-multiple", EXCLUDE_UNSUPPORTED, "<memory>" },
  { "memory-hotplug-nvdimm", EXCLUDE_UNSUPPORTED, "<idmap>" },
  { "memory-hotplug-nvdimm-access", EXCLUDE_UNSUPPORTED, "<idmap>" },
  { "memory-hotplug-nvdimm-align", EXCLUDE_UNSUPPORTED, "<idmap>" },
  { "memory-hotplug-nvdimm-label", EXCLUDE_UNSUPPORTED, "<idmap>" },
  { "memory-hotplug-nvdimm-overlap", EXCLUDE_UNSUPPORTED, "<idmap>" },
  { "memory-hotplug-nvdimm-pmem", EXCLUDE_UNSUPPORTED, "<idmap>" },
  { "memory-hotplug-nvdimm-readonly", EXCLUDE_UNSUPPORTED, "<idmap>" },
  { "memory-hotplug-virtio-mem", EXCLUDE_UNSUPPORTED, "<memory>" },
  { "memory-hotplug-virtio-pmem", EXCLUDE_UNSUPPORTED, "<memory>" },
  { "memorybacking-set", EXCLUDE_UNSUPPORTED, "<source type='file'>" },
  { "memtune", EXCLUDE_UNSUPPORTED, "<memtune>" },
  { "memtune-unlimited", EXCLUDE_UNSUPPORTED, "<memtune>" },
  { "migrate", EXCLUDE_SETUP, "test-args:ARG_MIGRATE_FROM" },
  { "migrate-numa-unaligned", EXCLUDE_SETUP, "test-args:ARG_MIGRATE_FD+ARG_MIGRATE_FROM" },
  { "mtp-usb-device", EXCLUDE_UNSUPPORTED, "<driver type='mtp'>" },
  { "name-escape", EXCLUDE_UNSUPPORTED, "<smartcard>" },
  { "net-bandwidth", EXCLUDE_UNSUPPORTED, "a libvirt network" },
  { "net-bandwidth2", EXCLUDE_UNSUPPORTED, "a libvirt network" },
  { "net-client", EXCLUDE_UNSUPPORTED, "<interface type='client'>" },
  { "net-coalesce", EXCLUDE_UNSUPPORTED, "a libvirt network" },
  { "net-hostdev", EXCLUDE_UNSUPPORTED, "<interface type='hostdev'>" },
  { "net-hostdev-bootorder", EXCLUDE_UNSUPPORTED, "<interface type='hostdev'>" },
  { "net-hostdev-multidomain", EXCLUDE_UNSUPPORTED, "<interface type='hostdev'>" },
  { "net-hostdev-vfio", EXCLUDE_UNSUPPORTED, "<interface type='hostdev'>" },
  { "net-hostdev-vfio-multidomain", EXCLUDE_UNSUPPORTED, "<interface type='hostdev'>" },
  { "net-isolated-port", EXCLUDE_UNSUPPORTED, "a libvirt network" },
  { "net-many-models", EXCLUDE_UNSUPPORTED, "<model type='idontexist'>" },
  { "net-mcast", EXCLUDE_UNSUPPORTED, "<interface type='mcast'>" },
  { "net-midonet", EXCLUDE_UNSUPPORTED, "<virtualport>" },
  { "net-mtu", EXCLUDE_UNSUPPORTED, "a libvirt network" },
  { "net-openvswitch", EXCLUDE_UNSUPPORTED, "a libvirt network" },
  { "net-server", EXCLUDE_UNSUPPORTED, "<interface type='server'>" },
  { "net-udp", EXCLUDE_UNSUPPORTED, "<interface type='udp'>" },
  { "net-user", EXCLUDE_SETUP, "test-args:FLAG_ALLOW_DUPLICATE_OUTPUT+FLAG_SLIRP_HELPER" },
  { "net-user-passt", EXCLUDE_UNSUPPORTED, "<portForward dev='eth0'>" },
  { "net-vdpa", EXCLUDE_UNSUPPORTED, "<interface type='vdpa'>" },
  { "net-vdpa-multiqueue", EXCLUDE_UNSUPPORTED, "<interface type='vdpa'>" },
  { "net-vhostuser", EXCLUDE_UNSUPPORTED, "<interface type='vhostuser'>" },
  { "net-vhostuser-multiq", EXCLUDE_UNSUPPORTED, "<interface type='vhostuser'>" },
  { "net-virtio-disable-offloads", EXCLUDE_UNSUPPORTED, "<driver><host>" },
  { "net-virtio-network-portgroup", EXCLUDE_UNSUPPORTED, "a libvirt network" },
  { "net-virtio-rss", EXCLUDE_UNSUPPORTED, "<type arch='i686'>" },
  { "net-virtio-teaming", EXCLUDE_UNSUPPORTED, "<teaming>" },
  { "net-virtio-teaming-hostdev", EXCLUDE_UNSUPPORTED, "<hostdev><teaming>" },
  { "net-virtio-teaming-network", EXCLUDE_UNSUPPORTED, "a libvirt network" },
  { "numad", EXCLUDE_UNSUPPORTED, "<numatune>" },
  { "numad-auto-memory-vcpu-cpuset", EXCLUDE_UNSUPPORTED, "<numatune>" },
  { "numad-auto-memory-vcpu-no-cpuset-and-placement", EXCLUDE_UNSUPPORTED, "<numatune>" },
  { "numad-auto-vcpu-static-numatune", EXCLUDE_UNSUPPORTED, "<numatune>" },
  { "numad-static-memory-auto-vcpu", EXCLUDE_UNSUPPORTED, "<numatune>" },
  { "numatune-auto-nodeset-invalid", EXCLUDE_UNSUPPORTED, "<numatune>" },
  { "numatune-auto-prefer", EXCLUDE_UNSUPPORTED, "<numatune>" },
  { "numatune-distances", EXCLUDE_UNSUPPORTED, "<cell>" },
  { "numatune-hmat", EXCLUDE_UNSUPPORTED, "<cell>" },
  { "numatune-hmat-none", EXCLUDE_UNSUPPORTED, "<cell>" },
  { "numatune-memnode", EXCLUDE_UNSUPPORTED, "<numatune>" },
  { "numatune-memnode-no-memory", EXCLUDE_UNSUPPORTED, "<numatune>" },
  { "numatune-memnode-restrictive-mode", EXCLUDE_UNSUPPORTED, "<numatune>" },
  { "numatune-system-memory", EXCLUDE_UNSUPPORTED, "<numatune>" },
  { "numavcpus-topology-mismatch", EXCLUDE_UNSUPPORTED, "<numatune>" },
  { "pages-dimm-discard", EXCLUDE_UNSUPPORTED, "<memory>" },
  { "pages-discard", EXCLUDE_UNSUPPORTED, "<cell discard=…>" },
  { "pages-discard-hugepages", EXCLUDE_UNSUPPORTED, "<memoryBacking><hugepages>" },
  { "panic-double", EXCLUDE_UNSUPPORTED, "<panic model='hyperv'>" },
  { "pci-autoadd-addr", EXCLUDE_INVALID, "a PCI bus no controller provides" },
  { "pci-autoadd-idx", EXCLUDE_INVALID, "a PCI bus no controller provides" },
  { "pstore-acpi-erst", EXCLUDE_UNSUPPORTED, "<pstore>" },
  { "qemu-ns", EXCLUDE_UNSUPPORTED, "<qemu:commandline>" },
  { "qemu-ns-alt", EXCLUDE_UNSUPPORTED, "<qemu:commandline>" },
  { "qemu-ns-commandline", EXCLUDE_UNSUPPORTED, "<qemu:commandline>" },
  { "qemu-ns-commandline-ns0", EXCLUDE_UNSUPPORTED, "<qemu:commandline>" },
  { "qemu-ns-commandline-ns1", EXCLUDE_UNSUPPORTED, "<qemu:commandline>" },
  { "qemu-ns-domain-commandline", EXCLUDE_UNSUPPORTED, "<qemu:commandline>" },
  { "qemu-ns-domain-commandline-ns0", EXCLUDE_UNSUPPORTED, "<qemu:commandline>" },
  { "qemu-ns-domain-ns0", EXCLUDE_UNSUPPORTED, "<qemu:commandline>" },
  { "qemu-ns-no-env", EXCLUDE_UNSUPPORTED, "<qemu:commandline>" },
  { "restore-v2", EXCLUDE_SETUP, "test-args:ARG_MIGRATE_FD+ARG_MIGRATE_FROM" },
  { "restore-v2-fd", EXCLUDE_SETUP,
    "test-args:ARG_MIGRATE_FD+ARG_MIGRATE_FROM+FLAG_ALLOW_DUPLICATE_OUTPUT" },
  { "seclabel-dynamic-none-relabel", EXCLUDE_UNSUPPORTED, "<memoryBacking><hugepages>" },
  { "serial-debugcon", EXCLUDE_UNSUPPORTED, "<target type='isa-debug'>" },
  { "serial-spiceport", EXCLUDE_SETUP, "qemu.conf:spiceTLS" },
  { "serial-tcp-tlsx509-chardev", EXCLUDE_SETUP, "qemu.conf:chardevTLS" },
  { "serial-tcp-tlsx509-chardev-notls", EXCLUDE_SETUP, "qemu.conf:chardevTLS" },
  { "serial-tcp-tlsx509-chardev-verify", EXCLUDE_SETUP,
    "qemu.conf:chardevTLS+chardevTLSx509verify" },
  { "serial-tcp-tlsx509-secret-chardev", EXCLUDE_SETUP,
    "qemu.conf:chardevTLS+chardevTLSx509secretUUID" },
  { "shmem-plain-doorbell", EXCLUDE_UNSUPPORTED, "<shmem>" },
  { "smartcard-controller", EXCLUDE_UNSUPPORTED, "<smartcard>" },
  { "smartcard-host", EXCLUDE_UNSUPPORTED, "<smartcard>" },
  { "smartcard-host-certificates", EXCLUDE_UNSUPPORTED, "<smartcard>" },
  { "smartcard-host-certificates-database", EXCLUDE_UNSUPPORTED, "<smartcard>" },
  { "smartcard-passthrough-spicevmc", EXCLUDE_UNSUPPORTED, "<smartcard>" },
  { "smartcard-passthrough-tcp", EXCLUDE_UNSUPPORTED, "<smartcard>" },
  { "smartcard-passthrough-unix", EXCLUDE_UNSUPPORTED, "<smartcard>" },
  { "smbios", EXCLUDE_UNSUPPORTED, "<sysinfo>" },
  { "smbios-type-fwcfg", EXCLUDE_UNSUPPORTED, "<sysinfo>" },
  { "sound-device-virtio", EXCLUDE_UNSUPPORTED, "<sound><driver>" },
  { "tap-vhost", EXCLUDE_UNSUPPORTED, "a libvirt network" },
  { "tap-vhost-incorrect", EXCLUDE_UNSUPPORTED, "a libvirt network" },
  { "tseg-explicit-size", EXCLUDE_UNSUPPORTED, "<tseg>" },
  { "usb-controller-automatic-unavailable-q35", EXCLUDE_SETUP, "test-args:ARG_QEMU_CAPS_DEL" },
  { "usb-controller-implicit-isapc", EXCLUDE_UNSUPPORTED, "<type machine='isapc'>" },
  { "usb-redir", EXCLUDE_UNSUPPORTED, "<redirdev type='tcp'>" },
  { "usb-redir-boot", EXCLUDE_UNSUPPORTED, "<redirdev type='tcp'>" },
  { "usb-redir-unix", EXCLUDE_UNSUPPORTED, "<redirdev type='unix'>" },
  { "user-aliases", EXCLUDE_UNSUPPORTED, "<memoryBacking><hugepages>" },
  { "vcpu-placement-static", EXCLUDE_UNSUPPORTED, "<cputune>" },
  { "vhost-user-fs-fd-memory", EXCLUDE_UNSUPPORTED, "<source type='file'>" },
  { "vhost-user-fs-fd-openfiles", EXCLUDE_UNSUPPORTED, "<source type='file'>" },
  { "vhost-user-fs-hugepages", EXCLUDE_UNSUPPORTED, "<memoryBacking><hugepages>" },
  { "vhost-user-fs-sock", EXCLUDE_UNSUPPORTED, "<source type='file'>" },
  { "vhost-user-gpu-secondary", EXCLUDE_UNSUPPORTED, "shared memory with NUMA cells" },
  { "vhost-user-vga", EXCLUDE_UNSUPPORTED, "shared memory with NUMA cells" },
  { "vhost-vsock", EXCLUDE_UNSUPPORTED, "<vsock>" },
  { "vhost-vsock-auto", EXCLUDE_UNSUPPORTED, "<vsock>" },
  { "video-virtio-gpu-sdl-gl", EXCLUDE_UNSUPPORTED, "<graphics type='sdl'>" },
  { "video-virtio-gpu-spice-gl", EXCLUDE_UNSUPPORTED, "<gl enable='yes'>" },
  { "video-virtio-gpu-virgl", EXCLUDE_UNSUPPORTED, "<acceleration accel3d='yes'>" },
  { "video-virtio-vga-gpu-gl", EXCLUDE_UNSUPPORTED, "<acceleration accel3d='yes'>" },
  { "virtio-iommu-x86_64", EXCLUDE_UNSUPPORTED, "<iommu>" },
  { "virtio-non-transitional", EXCLUDE_UNSUPPORTED, "<vsock>" },
  { "virtio-options", EXCLUDE_UNSUPPORTED, "<acceleration accel3d='yes'>" },
  { "virtio-options-video-ats", EXCLUDE_UNSUPPORTED, "<acceleration accel3d='yes'>" },
  { "virtio-options-video-iommu", EXCLUDE_UNSUPPORTED, "<acceleration accel3d='yes'>" },
  { "virtio-options-video-packed", EXCLUDE_UNSUPPORTED, "<acceleration accel3d='yes'>" },
  { "virtio-rng-egd", EXCLUDE_UNSUPPORTED, "<backend model='egd'>" },
  { "virtio-rng-egd-unix", EXCLUDE_UNSUPPORTED, "<backend model='egd'>" },
  { "virtio-rng-multiple", EXCLUDE_UNSUPPORTED, "<backend model='egd'>" },
  { "virtio-transitional", EXCLUDE_UNSUPPORTED, "<vsock>" },
  { "x86-kvm-32-on-64", EXCLUDE_UNSUPPORTED, "<type arch='i686'>" },
};

/* Whether @message names each <element …> of @what. */
static gboolean
names_elements (const char *message, const char *what)
{
  for (const char *p = strchr (what, '<'); p != NULL; p = strchr (p + 1, '<'))
    {
      const char *end = strchr (p, '>');
      g_autofree char *fragment = end ? g_strndup (p, end - p + 1) : g_strdup (p);

      if (strstr (message, fragment) == NULL)
        return FALSE;
    }
  return TRUE;
}

static const ExcludedCase *
find_excluded (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (excluded_cases); i++)
    if (g_str_equal (excluded_cases[i].name, name))
      return &excluded_cases[i];
  return NULL;
}

/* Every libvirt test case with an expected command line: those in the
 * supported subset must mean what libvirt's mean (see compare_case), and
 * every excluded one must stay excluded for its stated reason. */
static void
test_corpus (void)
{
  static const char *const sets[] = { "libvirt-qemuxml2argv", NULL };
  g_autoptr (GPtrArray) files = corpus_list_xml (sets);
  g_autoptr (GHashTable) notes = index_notes ();
  const char *only = g_getenv ("VMD_ARGV_CASE");
  guint with_args = 0, subset = 0, pass = 0, counts[4] = { 0 };
  g_autoptr (GString) failures = g_string_new (NULL);
  g_autoptr (GString) refused = g_string_new (NULL);

  for (guint i = 0; i < files->len; i++)
    {
      const char *xml = g_ptr_array_index (files, i);
      g_autofree char *base = g_path_get_basename (xml);
      g_autofree char *name = NULL;
      g_autofree char *args = NULL;
      g_autofree char *key = NULL;
      g_autofree char *diff = NULL;
      g_autoptr (GError) error = NULL;
      const ExcludedCase *excluded;
      gboolean noted;

      if (g_str_has_suffix (base, ".x86_64-latest.xml"))
        continue;
      name = g_strndup (base, strlen (base) - 4);
      args = g_strdup_printf ("%.*s.x86_64-latest.args", (int) (strlen (xml) - 4), xml);
      if (!g_file_test (args, G_FILE_TEST_EXISTS))
        continue;
      with_args++;
      if (only != NULL && !g_str_equal (only, name))
        continue;
      key = g_strdup_printf ("libvirt-qemuxml2argv/%s", base);
      noted = g_hash_table_contains (notes, key);
      excluded = find_excluded (name);
      if (excluded != NULL)
        counts[excluded->reason]++;

      if (excluded != NULL && excluded->reason == EXCLUDE_SETUP)
        {
          if (!noted)
            g_string_append_printf (failures, "%s: listed as needing setup, but INDEX.tsv has no notes\n", name);
          continue;
        }
      if (excluded == NULL && noted)
        {
          g_string_append_printf (failures, "%s: needs the setup \"%s\"; list it\n", name,
                                  (const char *) g_hash_table_lookup (notes, key));
          continue;
        }

      diff = compare_case (xml, args, &error);
      if (diff == NULL && g_getenv ("VMD_ARGV_REFUSED") != NULL)
        g_string_append_printf (refused, "%s\t%d\t%s\n", name, error->code, error->message);

      if (excluded != NULL && (excluded->reason == EXCLUDE_UNSUPPORTED || excluded->reason == EXCLUDE_INVALID))
        {
          gint code = excluded->reason == EXCLUDE_UNSUPPORTED ? VMD_ARGV_ERROR_UNSUPPORTED : VMD_ARGV_ERROR_INVALID;

          if (diff != NULL)
            g_string_append_printf (failures, "%s: now runs; take it off the excluded list\n", name);
          else if (!g_error_matches (error, VMD_ARGV_ERROR, code))
            g_string_append_printf (failures, "%s: refused differently: %s\n", name, error->message);
          else if (!names_elements (error->message, excluded->what))
            g_string_append_printf (failures, "%s: the refusal does not name %s: %s\n", name,
                                    excluded->what, error->message);
          continue;
        }
      if (excluded != NULL)  /* DIVERGES */
        {
          if (diff == NULL)
            g_string_append_printf (failures, "%s: refused: %s\n", name, error->message);
          else if (*diff == '\0')
            g_string_append_printf (failures, "%s: now agrees with libvirt; take it off the excluded list\n", name);
          continue;
        }

      subset++;
      if (diff == NULL)
        g_string_append_printf (failures, "%s: refused: %s\n", name, error->message);
      else if (*diff == '\0')
        pass++;
      else
        g_string_append_printf (failures, "%s: %s\n", name, diff);
    }

  g_test_message ("%u cases with .args, %u in the supported subset, %u pass", with_args, subset, pass);
  g_test_message ("excluded: %u unsupported, %u invalid for QEMU, %u need libvirt's test setup, %u diverge",
                  counts[EXCLUDE_UNSUPPORTED], counts[EXCLUDE_INVALID], counts[EXCLUDE_SETUP],
                  counts[EXCLUDE_DIVERGES]);
  if (refused->len > 0)
    g_printerr ("%s", refused->str);
  if (failures->len > 0)
    g_printerr ("%s", failures->str);
  g_assert_cmpuint (failures->len, ==, 0);
  if (only == NULL)
    g_assert_cmpuint (subset, >=, 400);
}


/* ------------------------------------------------------------ unit tests */

#define UUID "c7a5fdbd-edaf-9455-926a-d65c16db1809"

/* A definition around @devices; @os goes into <os> after <type>, @extra
 * after </os>. */
static char *
domain_xml (const char *type, const char *machine, const char *os, const char *extra,
            const char *devices)
{
  return g_strdup_printf ("<domain type='%s'>\n"
                          "  <name>test-vm</name>\n"
                          "  <uuid>" UUID "</uuid>\n"
                          "  <memory unit='MiB'>512</memory>\n"
                          "  <vcpu>2</vcpu>\n"
                          "  <os>\n"
                          "    <type arch='x86_64' machine='%s'>hvm</type>\n"
                          "%s"
                          "  </os>\n"
                          "%s"
                          "  <devices>\n"
                          "%s"
                          "  </devices>\n"
                          "</domain>\n",
                          type, machine, os ? os : "", extra ? extra : "", devices ? devices : "");
}

static const VmdQemuArgvOptions default_options = {
  .runtime_dir = RUNTIME,
  .qemu_binary = "/usr/bin/qemu-system-x86_64",
  .nvram_path = RUNTIME "/VARS.fd",
  .swtpm_socket = RUNTIME "/swtpm.sock",
};

static GStrv
build_xml_with (const char *xml, const VmdQemuArgvOptions *options, GError **error)
{
  g_autoptr (VmdDomainConfig) config = vmd_domain_config_new_from_xml (xml, -1, error);

  if (config == NULL)
    return NULL;
  return vmd_qemu_argv_build (config, options, error);
}

static GStrv
build_ok (const char *xml)
{
  g_autoptr (GError) error = NULL;
  GStrv argv = build_xml_with (xml, &default_options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (argv);
  return argv;
}

/* Builds @devices on @machine and returns the command line. */
static GStrv
build_devices (const char *machine, const char *devices)
{
  g_autofree char *xml = domain_xml ("qemu", machine, NULL, NULL, devices);
  return build_ok (xml);
}

static void
assert_refused (const char *xml, gint code, const char *message)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) argv = build_xml_with (xml, &default_options, &error);

  g_assert_null (argv);
  g_assert_error (error, VMD_ARGV_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

/* The value after the first @option whose value starts with @prefix. */
static const char *
find_option (char **argv, const char *option, const char *prefix)
{
  for (guint i = 1; argv[i] && argv[i + 1]; i++)
    if (g_str_equal (argv[i], option) && g_str_has_prefix (argv[i + 1], prefix ? prefix : ""))
      return argv[i + 1];
  return NULL;
}

static gboolean
has_option (char **argv, const char *option)
{
  return g_strv_contains ((const char *const *) argv, option);
}

static void
assert_option (char **argv, const char *option, const char *value)
{
  for (guint i = 1; argv[i] && argv[i + 1]; i++)
    if (g_str_equal (argv[i], option) && g_str_equal (argv[i + 1], value))
      return;
  g_error ("no %s %s in the command line", option, value);
}

/* The -device (or -blockdev, -netdev, -object) JSON whose @member is @value. */
static const char *
find_json (char **argv, const char *option, const char *member, const char *value)
{
  g_autofree char *needle = g_strdup_printf ("\"%s\":\"%s\"", member, value);

  for (guint i = 1; argv[i] && argv[i + 1]; i++)
    if (g_str_equal (argv[i], option) && argv[i + 1][0] == '{' && strstr (argv[i + 1], needle))
      return argv[i + 1];
  return NULL;
}

static void
assert_device (char **argv, const char *id, const char *json)
{
  const char *found = find_json (argv, "-device", "id", id);

  if (found == NULL)
    g_error ("no device %s in the command line", id);
  g_assert_cmpstr (found, ==, json);
}

static void
test_minimal_pc (void)
{
  g_autofree char *xml = domain_xml ("qemu", "pc", NULL, NULL, NULL);
  g_auto (GStrv) argv = build_ok (xml);
  g_autofree char *text = vmd_qemu_argv_to_string ((const char *const *) argv);
  const char *expected =
    "/usr/bin/qemu-system-x86_64 \\\n"
    "-name guest=test-vm,debug-threads=on \\\n"
    "-uuid " UUID " \\\n"
    "-m size=524288k \\\n"
    "-overcommit mem-lock=off \\\n"
    "-machine pc,usb=off,dump-guest-core=off,acpi=off \\\n"
    "-accel tcg \\\n"
    "-cpu qemu64 \\\n"
    "-smp 2,sockets=2,cores=1,threads=1 \\\n"
    "-no-user-config \\\n"
    "-nodefaults \\\n"
    "-chardev socket,id=charmonitor,path=" RUNTIME "/qmp.sock,server=on,wait=off \\\n"
    "-mon chardev=charmonitor,id=monitor,mode=control \\\n"
    "-rtc base=utc \\\n"
    "-boot strict=on \\\n"
    "-display none \\\n"
    "-device '{\"driver\":\"piix3-usb-uhci\",\"id\":\"usb\",\"bus\":\"pci.0\",\"addr\":\"0x1.0x2\"}' \\\n"
    "-device '{\"driver\":\"virtio-balloon-pci\",\"id\":\"balloon0\",\"bus\":\"pci.0\",\"addr\":\"0x2\"}' \\\n"
    "-msg timestamp=on";

  g_assert_cmpstr (text, ==, expected);
}

static void
test_minimal_q35_kvm (void)
{
  g_autofree char *xml = domain_xml ("kvm", "q35", NULL,
                                     "  <features><acpi/></features>\n"
                                     "  <cpu mode='host-passthrough'/>\n"
                                     "  <on_poweroff>preserve</on_poweroff>\n"
                                     "  <on_reboot>destroy</on_reboot>\n",
                                     NULL);
  g_auto (GStrv) argv = build_ok (xml);

  assert_option (argv, "-machine", "q35,usb=off,dump-guest-core=off,acpi=on");
  assert_option (argv, "-accel", "kvm");
  assert_option (argv, "-cpu", "host,migratable=on");
  g_assert_true (has_option (argv, "-no-shutdown"));
  g_assert_true (has_option (argv, "-no-reboot"));
  assert_option (argv, "-global", "ICH9-LPC.noreboot=off");
  /* libvirt's implicit XHCI, on a root port of its own, and four spare
   * root ports for devices plugged in later. */
  assert_device (argv, "usb", "{\"driver\":\"qemu-xhci\",\"id\":\"usb\",\"bus\":\"pci.1\",\"addr\":\"0x0\"}");
  assert_device (argv, "pci.1",
                 "{\"driver\":\"pcie-root-port\",\"port\":8,\"chassis\":1,\"id\":\"pci.1\",\"bus\":\"pcie.0\","
                 "\"multifunction\":true,\"addr\":\"0x1\"}");
  g_assert_nonnull (find_json (argv, "-device", "id", "pci.6"));
  g_assert_null (find_json (argv, "-device", "id", "pci.7"));
}

static void
test_cpu_and_memory (void)
{
  g_autofree char *xml = g_strdup (
    "<domain type='qemu'><name>c</name><uuid>" UUID "</uuid>"
    "<maxMemory slots='4' unit='GiB'>8</maxMemory>"
    "<memory unit='KiB'>1000000</memory>"
    "<vcpu current='2'>8</vcpu>"
    "<os><type arch='x86_64' machine='pc'>hvm</type><bootmenu enable='yes' timeout='3000'/></os>"
    "<cpu mode='custom'><model>Haswell</model><feature policy='disable' name='tsc_adjust'/>"
    "<feature policy='require' name='pclmuldq'/><topology sockets='2' dies='1' cores='2' threads='2'/></cpu>"
    "<clock offset='localtime'><timer name='rtc' tickpolicy='catchup'/></clock>"
    "<devices/></domain>");
  g_auto (GStrv) argv = build_ok (xml);

  /* Memory in whole MiB, as libvirt rounds it. */
  assert_option (argv, "-m", "size=1000448k,slots=4,maxmem=8388608k");
  assert_option (argv, "-smp", "2,maxcpus=8,sockets=2,dies=1,cores=2,threads=2");
  assert_option (argv, "-cpu", "Haswell,tsc-adjust=off,pclmulqdq=on");
  assert_option (argv, "-rtc", "base=localtime,driftfix=slew");
  assert_option (argv, "-boot", "menu=on,splash-time=3000,strict=on");
}

static void
test_host_model_tcg (void)
{
  g_autofree char *xml = domain_xml ("qemu", "pc", NULL, "<cpu mode='host-model'/>\n", NULL);
  g_auto (GStrv) argv = build_ok (xml);

  /* TCG cannot pass the host CPU through; it emulates everything it can. */
  assert_option (argv, "-cpu", "max");
}

static void
test_hyperv (void)
{
  const char *features = "<features><acpi/><hyperv mode='custom'><relaxed state='on'/><vapic state='on'/>"
                         "<spinlocks state='on' retries='8191'/><vpindex state='on'/></hyperv></features>\n"
                         "<clock offset='localtime'><timer name='hypervclock' present='yes'/></clock>\n";
  g_autofree char *kvm_xml = domain_xml ("kvm", "q35", NULL, features, NULL);
  g_autofree char *tcg_xml = domain_xml ("qemu", "q35", NULL, features, NULL);
  g_auto (GStrv) kvm = build_ok (kvm_xml);
  g_auto (GStrv) tcg = build_ok (tcg_xml);

  assert_option (kvm, "-cpu", "qemu64,hv-time=on,hv-relaxed=on,hv-vapic=on,hv-spinlocks=0x1fff,hv-vpindex=on");
  /* A Windows guest moved to TCG: QEMU 7.2 has no VP_INDEX there. */
  assert_option (tcg, "-cpu", "qemu64,hv-time=on,hv-relaxed=on,hv-vapic=on,hv-spinlocks=0x1fff");
}

static void
test_disks_every_bus (void)
{
  g_auto (GStrv) argv = build_devices ("q35",
    "<disk type='file' device='disk'><driver name='qemu' type='qcow2' cache='none' io='native' discard='unmap'/>"
    "  <source file='/vm/root.qcow2'/><target dev='vda' bus='virtio'/><serial>ROOT1</serial></disk>\n"
    "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/vm/data.img'/>"
    "  <target dev='sda' bus='sata'/><shareable/></disk>\n"
    "<disk type='block' device='disk'><source dev='/dev/vg/lv'/><target dev='sdb' bus='scsi'/></disk>\n"
    "<controller type='scsi' model='virtio-scsi'/>\n"
    "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/vm/usb.qcow2'/>"
    "  <target dev='sdc' bus='usb'/><readonly/></disk>\n"
    "<disk type='file' device='disk'><driver name='qemu' type='raw' cache='writethrough'/><source file='/vm/fast.img'/>"
    "  <target dev='sdd' bus='nvme'/><serial>NVME1</serial></disk>\n"
    "<disk type='file' device='floppy'><source file='/vm/floppy.img'/><target dev='fda' bus='fdc'/></disk>\n");

  g_assert_cmpstr (find_json (argv, "-blockdev", "node-name", "vmd-1-storage"), ==,
                   "{\"driver\":\"file\",\"filename\":\"/vm/root.qcow2\",\"aio\":\"native\",\"node-name\":\"vmd-1-storage\","
                   "\"auto-read-only\":true,\"discard\":\"unmap\",\"cache\":{\"direct\":true,\"no-flush\":false}}");
  g_assert_cmpstr (find_json (argv, "-blockdev", "node-name", "vmd-1-format"), ==,
                   "{\"node-name\":\"vmd-1-format\",\"read-only\":false,\"cache\":{\"direct\":true,\"no-flush\":false},"
                   "\"discard\":\"unmap\",\"driver\":\"qcow2\",\"file\":\"vmd-1-storage\"}");
  assert_device (argv, "virtio-disk0",
                 "{\"driver\":\"virtio-blk-pci\",\"bus\":\"pci.3\",\"addr\":\"0x0\",\"drive\":\"vmd-1-format\","
                 "\"id\":\"virtio-disk0\",\"bootindex\":1,\"write-cache\":\"on\",\"serial\":\"ROOT1\"}");
  /* q35's own AHCI; a shared disk caches nothing. */
  assert_device (argv, "sata0-0-0",
                 "{\"driver\":\"ide-hd\",\"bus\":\"ide.0\",\"share-rw\":true,\"drive\":\"vmd-2-storage\","
                 "\"id\":\"sata0-0-0\",\"write-cache\":\"on\"}");
  assert_device (argv, "scsi0", "{\"driver\":\"virtio-scsi-pci\",\"id\":\"scsi0\",\"bus\":\"pci.2\",\"addr\":\"0x0\"}");
  assert_device (argv, "scsi0-0-0-1",
                 "{\"driver\":\"scsi-hd\",\"bus\":\"scsi0.0\",\"channel\":0,\"scsi-id\":0,\"lun\":1,"
                 "\"device_id\":\"drive-scsi0-0-0-1\",\"drive\":\"vmd-3-storage\",\"id\":\"scsi0-0-0-1\"}");
  g_assert_cmpstr (find_json (argv, "-blockdev", "node-name", "vmd-3-storage"), ==,
                   "{\"driver\":\"host_device\",\"filename\":\"/dev/vg/lv\",\"node-name\":\"vmd-3-storage\",\"read-only\":false}");
  assert_device (argv, "usb-disk2",
                 "{\"driver\":\"usb-storage\",\"bus\":\"usb.0\",\"drive\":\"vmd-4-format\",\"id\":\"usb-disk2\",\"removable\":false}");
  g_assert_cmpstr (find_json (argv, "-blockdev", "node-name", "vmd-4-format"), ==,
                   "{\"node-name\":\"vmd-4-format\",\"read-only\":true,\"driver\":\"qcow2\",\"file\":\"vmd-4-storage\"}");
  assert_device (argv, "nvme-disk3",
                 "{\"driver\":\"nvme\",\"serial\":\"NVME1\",\"bus\":\"pci.4\",\"addr\":\"0x0\",\"drive\":\"vmd-5-storage\","
                 "\"id\":\"nvme-disk3\",\"write-cache\":\"off\"}");
  /* q35 has no floppy controller of its own. */
  g_assert_nonnull (find_option (argv, "-device", "{\"driver\":\"isa-fdc\"}"));
  assert_device (argv, "fdc0-0-0",
                 "{\"driver\":\"floppy\",\"unit\":0,\"drive\":\"vmd-6-storage\",\"id\":\"fdc0-0-0\"}");
}

static void
test_ide_and_cdroms (void)
{
  g_auto (GStrv) argv = build_devices ("pc",
    "<disk type='file' device='disk'><source file='/vm/a.img'/><target dev='hda' bus='ide'/></disk>\n"
    "<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/><readonly/></disk>\n"
    "<disk type='file' device='cdrom'><source file='/iso/debian.iso'/><target dev='hdd' bus='ide'/>"
    "  <readonly/><boot order='1'/></disk>\n"
    "<disk type='block' device='cdrom'><source dev='/dev/sr0'/><target dev='sda' bus='sata'/></disk>\n");

  assert_device (argv, "ide0-0-0",
                 "{\"driver\":\"ide-hd\",\"bus\":\"ide.0\",\"unit\":0,\"drive\":\"vmd-1-storage\",\"id\":\"ide0-0-0\"}");
  /* An empty drive has no medium and no blockdev. */
  assert_device (argv, "ide0-1-0", "{\"driver\":\"ide-cd\",\"bus\":\"ide.1\",\"unit\":0,\"id\":\"ide0-1-0\"}");
  assert_device (argv, "ide0-1-1",
                 "{\"driver\":\"ide-cd\",\"bus\":\"ide.1\",\"unit\":1,\"drive\":\"vmd-2-storage\",\"id\":\"ide0-1-1\",\"bootindex\":1}");
  g_assert_cmpstr (find_json (argv, "-blockdev", "node-name", "vmd-2-storage"), ==,
                   "{\"driver\":\"file\",\"filename\":\"/iso/debian.iso\",\"node-name\":\"vmd-2-storage\",\"read-only\":true}");
  /* A real optical drive; on pc, SATA needs an AHCI controller. */
  g_assert_cmpstr (find_json (argv, "-blockdev", "node-name", "vmd-3-storage"), ==,
                   "{\"driver\":\"host_cdrom\",\"filename\":\"/dev/sr0\",\"node-name\":\"vmd-3-storage\",\"read-only\":true}");
  g_assert_nonnull (find_json (argv, "-device", "driver", "ahci"));
  assert_device (argv, "sata0-0-0",
                 "{\"driver\":\"ide-cd\",\"bus\":\"sata0.0\",\"drive\":\"vmd-3-storage\",\"id\":\"sata0-0-0\"}");
}

static void
test_boot_dev_order (void)
{
  g_autofree char *xml = domain_xml ("qemu", "pc", "<boot dev='cdrom'/><boot dev='network'/><boot dev='hd'/>\n", NULL,
    "<disk type='file' device='disk'><source file='/vm/b.img'/><target dev='vdb' bus='virtio'/></disk>\n"
    "<disk type='file' device='disk'><source file='/vm/a.img'/><target dev='vda' bus='virtio'/></disk>\n"
    "<disk type='file' device='cdrom'><source file='/vm/c.iso'/><target dev='hdc' bus='ide'/></disk>\n"
    "<interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/></interface>\n");
  g_auto (GStrv) argv = build_ok (xml);

  /* <boot dev> picks the first disk of each kind in libvirt's order:
   * vda before vdb, whatever the definition's order. */
  g_assert_nonnull (strstr (find_json (argv, "-device", "id", "ide0-1-0"), "\"bootindex\":1"));
  g_assert_nonnull (strstr (find_json (argv, "-device", "id", "net0"), "\"bootindex\":2"));
  g_assert_nonnull (strstr (find_json (argv, "-device", "id", "virtio-disk0"), "\"bootindex\":3"));
  g_assert_null (strstr (find_json (argv, "-device", "id", "virtio-disk1"), "bootindex"));
}

static void
test_uefi (void)
{
  g_autofree char *plain = domain_xml ("qemu", "pc", "", NULL, NULL);
  g_autofree char *xml = NULL;
  g_auto (GStrv) argv = NULL;
  g_auto (GStrv) secure = NULL;
  g_autoptr (VmdDomainConfig) config = NULL;
  g_autofree char *template = NULL;

  /* <os firmware='efi'> on pc: Debian's OVMF, and the VM's own variables. */
  xml = g_strdup (plain);
  {
    char *p = strstr (xml, "<os>");
    g_autofree char *head = g_strndup (xml, p - xml);
    g_autofree char *fixed = g_strconcat (head, "<os firmware='efi'>", p + 4, NULL);
    g_free (xml);
    xml = g_steal_pointer (&fixed);
  }
  argv = build_ok (xml);
  g_assert_cmpstr (find_json (argv, "-blockdev", "node-name", "vmd-pflash0-storage"), ==,
                   "{\"driver\":\"file\",\"filename\":\"/usr/share/OVMF/OVMF_CODE_4M.fd\",\"node-name\":\"vmd-pflash0-storage\","
                   "\"auto-read-only\":true,\"discard\":\"unmap\"}");
  g_assert_cmpstr (find_json (argv, "-blockdev", "node-name", "vmd-pflash1-storage"), ==,
                   "{\"driver\":\"file\",\"filename\":\"" RUNTIME "/VARS.fd\",\"node-name\":\"vmd-pflash1-storage\",\"read-only\":false}");
  assert_option (argv, "-machine", "pc,usb=off,dump-guest-core=off,pflash0=vmd-pflash0-format,pflash1=vmd-pflash1-storage,acpi=off");
  config = vmd_domain_config_new_from_xml (xml, -1, NULL);
  template = vmd_qemu_argv_nvram_template (config);
  g_assert_cmpstr (template, ==, "/usr/share/OVMF/OVMF_VARS_4M.fd");
  g_assert_true (g_file_test ("/usr/share/OVMF/OVMF_CODE_4M.fd", G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (template, G_FILE_TEST_EXISTS));

  /* On q35, as libvirt picks from Debian's descriptors: Secure Boot with
   * Microsoft's keys, SMM and a locked flash. */
  g_clear_pointer (&xml, g_free);
  g_clear_object (&config);
  g_clear_pointer (&template, g_free);
  xml = g_strdup ("<domain type='qemu'><name>s</name><uuid>" UUID "</uuid><memory>524288</memory>"
                  "<os firmware='efi'><type arch='x86_64' machine='q35'>hvm</type></os>"
                  "<features><acpi/></features><devices/></domain>");
  secure = build_ok (xml);
  g_assert_nonnull (strstr (find_json (secure, "-blockdev", "node-name", "vmd-pflash0-storage"),
                            "/usr/share/OVMF/OVMF_CODE_4M.secboot.fd"));
  assert_option (secure, "-machine",
                 "q35,usb=off,smm=on,dump-guest-core=off,pflash0=vmd-pflash0-format,pflash1=vmd-pflash1-storage,acpi=on");
  assert_option (secure, "-global", "driver=cfi.pflash01,property=secure,value=on");
  config = vmd_domain_config_new_from_xml (xml, -1, NULL);
  template = vmd_qemu_argv_nvram_template (config);
  g_assert_cmpstr (template, ==, "/usr/share/OVMF/OVMF_VARS_4M.ms.fd");
  g_assert_true (g_file_test ("/usr/share/OVMF/OVMF_CODE_4M.secboot.fd", G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (template, G_FILE_TEST_EXISTS));

  /* Secure Boot on pc cannot be. */
  assert_refused ("<domain type='qemu'><name>s</name><memory>524288</memory>"
                  "<os firmware='efi'><type arch='x86_64' machine='pc'>hvm</type>"
                  "<firmware><feature enabled='yes' name='secure-boot'/></firmware></os><devices/></domain>",
                  VMD_ARGV_ERROR_INVALID, "UEFI Secure Boot needs the q35 machine type with SMM.");
}

static void
test_direct_kernel_boot (void)
{
  g_autofree char *xml = domain_xml ("qemu", "pc",
                                     "<kernel>/boot/vmlinuz</kernel><initrd>/boot/initrd.img</initrd>"
                                     "<cmdline>console=ttyS0,115200 root=/dev/vda quiet</cmdline>\n",
                                     NULL, NULL);
  g_auto (GStrv) argv = build_ok (xml);

  assert_option (argv, "-kernel", "/boot/vmlinuz");
  assert_option (argv, "-initrd", "/boot/initrd.img");
  /* Not keyval: the command line goes to the guest as it is. */
  assert_option (argv, "-append", "console=ttyS0,115200 root=/dev/vda quiet");
}

static void
test_nics (void)
{
  g_auto (GStrv) argv = build_devices ("pc",
    "<interface type='user'><mac address='52:54:00:AA:00:01'/><model type='virtio'/>"
    "  <portForward proto='tcp'><range start='2222' to='22'/></portForward>"
    "  <portForward proto='udp' address='0.0.0.0'><range start='5000' end='5002'/>"
    "    <range start='5001' exclude='yes'/></portForward></interface>\n"
    "<interface type='bridge'><mac address='52:54:00:aa:00:02'/><source bridge='br0'/><model type='e1000e'/></interface>\n"
    "<interface type='ethernet'><mac address='52:54:00:aa:00:03'/><target dev='tap7' managed='no'/>"
    "  <model type='e1000'/><link state='down'/></interface>\n"
    "<interface type='user'><mac address='52:54:00:aa:00:04'/></interface>\n");

  g_assert_cmpstr (find_json (argv, "-netdev", "id", "hostnet0"), ==,
                   "{\"type\":\"user\",\"hostfwd\":[{\"str\":\"tcp:127.0.0.1:2222-:22\"},"
                   "{\"str\":\"udp:0.0.0.0:5000-:5000\"},{\"str\":\"udp:0.0.0.0:5002-:5002\"}],\"id\":\"hostnet0\"}");
  assert_device (argv, "net0",
                 "{\"driver\":\"virtio-net-pci\",\"netdev\":\"hostnet0\",\"id\":\"net0\",\"mac\":\"52:54:00:aa:00:01\","
                 "\"bus\":\"pci.0\",\"addr\":\"0x2\"}");
  g_assert_cmpstr (find_json (argv, "-netdev", "id", "hostnet1"), ==,
                   "{\"type\":\"bridge\",\"br\":\"br0\",\"helper\":\"/usr/lib/qemu/qemu-bridge-helper\",\"id\":\"hostnet1\"}");
  g_assert_nonnull (find_json (argv, "-device", "driver", "e1000e"));
  g_assert_cmpstr (find_json (argv, "-netdev", "id", "hostnet2"), ==,
                   "{\"type\":\"tap\",\"ifname\":\"tap7\",\"script\":\"no\",\"downscript\":\"no\",\"id\":\"hostnet2\"}");
  /* libvirt's default model. */
  g_assert_nonnull (strstr (find_json (argv, "-device", "id", "net3"), "\"driver\":\"rtl8139\""));
}

static void
test_graphics (void)
{
  g_auto (GStrv) vnc = build_devices ("pc", "<graphics type='vnc' port='-1' autoport='yes'><listen type='address'/></graphics>\n");
  g_auto (GStrv) vnc_net = build_devices ("pc", "<graphics type='vnc' port='5901' autoport='no' passwd='secret'>"
                                                "<listen type='address' address='0.0.0.0'/></graphics>\n"
                                                "<video><model type='vga' vram='16384'/></video>\n");
  g_auto (GStrv) spice = build_devices ("q35",
    "<graphics type='spice' autoport='yes'><image compression='off'/></graphics>\n"
    "<video><model type='qxl' ram='65536' vram='65536' vgamem='16384' heads='1' primary='yes'/></video>\n"
    "<channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>\n"
    "<redirdev bus='usb' type='spicevmc'/>\n"
    "<sound model='ich9'/>\n");

  /* Clients reach the console through the engine: no listener. */
  assert_option (vnc, "-vnc", "none");
  g_assert_false (has_option (vnc, "-display"));
  assert_device (vnc, "video0", "{\"driver\":\"cirrus-vga\",\"id\":\"video0\",\"bus\":\"pci.0\",\"addr\":\"0x2\"}");
  /* The user asked for a network listener. */
  assert_option (vnc_net, "-vnc", "0.0.0.0:1,password=on");
  assert_device (vnc_net, "video0", "{\"driver\":\"VGA\",\"id\":\"video0\",\"vgamem_mb\":16,\"bus\":\"pci.0\",\"addr\":\"0x2\"}");

  assert_option (spice, "-spice", "unix=on,addr=" RUNTIME "/spice.sock,disable-ticketing=on,image-compression=off,seamless-migration=on");
  assert_device (spice, "video0",
                 "{\"driver\":\"qxl-vga\",\"id\":\"video0\",\"max_outputs\":1,\"ram_size\":67108864,\"vram_size\":67108864,"
                 "\"vram64_size_mb\":0,\"vgamem_mb\":16,\"bus\":\"pcie.0\",\"addr\":\"0x1\"}");
  assert_option (spice, "-chardev", "spicevmc,id=charchannel0,name=vdagent");
  assert_device (spice, "channel0",
                 "{\"driver\":\"virtserialport\",\"bus\":\"virtio-serial0.0\",\"nr\":1,\"chardev\":\"charchannel0\","
                 "\"id\":\"channel0\",\"name\":\"com.redhat.spice.0\"}");
  assert_option (spice, "-chardev", "spicevmc,id=charredir0,name=usbredir");
  assert_device (spice, "redir0", "{\"driver\":\"usb-redir\",\"chardev\":\"charredir0\",\"id\":\"redir0\",\"bus\":\"usb.0\"}");
  /* SPICE plays the guest's sound. */
  assert_option (spice, "-audiodev", "{\"id\":\"audio1\",\"driver\":\"spice\"}");
  g_assert_nonnull (find_json (spice, "-device", "id", "sound0"));
  assert_device (spice, "sound0-codec0",
                 "{\"driver\":\"hda-duplex\",\"id\":\"sound0-codec0\",\"bus\":\"sound0.0\",\"cad\":0,\"audiodev\":\"audio1\"}");
}

static void
test_video_models (void)
{
  static const struct { const char *model; const char *primary; const char *secondary; } models[] = {
    { "virtio", "virtio-vga", "virtio-gpu-pci" },
    { "qxl", "qxl-vga", "qxl" },
    { "vga", "VGA", "secondary-vga" },
    { "bochs", "bochs-display", "bochs-display" },
    { "cirrus", "cirrus-vga", "cirrus-vga" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autofree char *devices = g_strdup_printf ("<video><model type='%s'/></video>\n"
                                                  "<video><model type='%s'/></video>\n",
                                                  models[i].model, models[i].model);
      g_auto (GStrv) argv = build_devices ("pc", devices);
      g_autofree char *d0 = g_strdup_printf ("\"driver\":\"%s\"", models[i].primary);
      g_autofree char *d1 = g_strdup_printf ("\"driver\":\"%s\"", models[i].secondary);

      g_assert_nonnull (strstr (find_json (argv, "-device", "id", "video0"), d0));
      g_assert_nonnull (strstr (find_json (argv, "-device", "id", "video1"), d1));
    }
  {
    g_auto (GStrv) ramfb = build_devices ("q35", "<video><model type='ramfb'/></video>\n");
    g_auto (GStrv) none = build_devices ("q35", "<graphics type='vnc'/><video><model type='none'/></video>\n");
    assert_device (ramfb, "video0", "{\"driver\":\"ramfb\",\"id\":\"video0\"}");
    g_assert_null (find_json (none, "-device", "id", "video0"));
  }
}

static void
test_sound_and_input (void)
{
  g_auto (GStrv) argv = build_devices ("pc",
    "<sound model='ac97'/>\n<sound model='ich6'><codec type='micro'/></sound>\n"
    "<input type='tablet' bus='usb'/>\n<input type='keyboard' bus='virtio'/>\n"
    "<input type='mouse' bus='ps2'/>\n");

  /* No display: a silent backend, as libvirt. */
  assert_option (argv, "-audiodev", "{\"id\":\"audio1\",\"driver\":\"none\"}");
  assert_device (argv, "sound0", "{\"driver\":\"AC97\",\"id\":\"sound0\",\"audiodev\":\"audio1\",\"bus\":\"pci.0\",\"addr\":\"0x3\"}");
  assert_device (argv, "sound1-codec0",
                 "{\"driver\":\"hda-micro\",\"id\":\"sound1-codec0\",\"bus\":\"sound1.0\",\"cad\":0,\"audiodev\":\"audio1\"}");
  assert_device (argv, "input0", "{\"driver\":\"usb-tablet\",\"id\":\"input0\",\"bus\":\"usb.0\"}");
  assert_device (argv, "input1", "{\"driver\":\"virtio-keyboard-pci\",\"id\":\"input1\",\"bus\":\"pci.0\",\"addr\":\"0x2\"}");
  g_assert_null (find_json (argv, "-device", "id", "input2"));
}

static void
test_serial_console_agent (void)
{
  g_auto (GStrv) argv = build_devices ("q35",
    "<serial type='pty'><target port='0'/></serial>\n"
    "<serial type='file'><source path='/var/log/vm,serial.log'/><target port='1'/></serial>\n"
    "<console type='pty'><target type='serial' port='0'/></console>\n"
    "<console type='pty'><target type='virtio' port='1'/></console>\n"
    "<channel type='unix'><source mode='bind'/><target type='virtio' name='org.qemu.guest_agent.0'/></channel>\n");

  assert_option (argv, "-chardev", "socket,id=charserial0,path=" RUNTIME "/chardev-serial0.sock,server=on,wait=off");
  assert_device (argv, "serial0", "{\"driver\":\"isa-serial\",\"chardev\":\"charserial0\",\"id\":\"serial0\",\"index\":0}");
  /* A comma in a path is doubled in QemuOpts. */
  assert_option (argv, "-chardev", "file,id=charserial1,path=/var/log/vm,,serial.log");
  /* The first console is serial port 0 itself; the virtio one follows. */
  assert_option (argv, "-chardev", "socket,id=charconsole1,path=" RUNTIME "/chardev-console1.sock,server=on,wait=off");
  assert_device (argv, "console1", "{\"driver\":\"virtconsole\",\"chardev\":\"charconsole1\",\"id\":\"console1\"}");
  assert_option (argv, "-chardev", "socket,id=charchannel0,path=" RUNTIME "/chardev-channel0.sock,server=on,wait=off");
  assert_device (argv, "channel0",
                 "{\"driver\":\"virtserialport\",\"bus\":\"virtio-serial0.0\",\"nr\":1,\"chardev\":\"charchannel0\","
                 "\"id\":\"channel0\",\"name\":\"org.qemu.guest_agent.0\"}");
  g_assert_nonnull (find_json (argv, "-device", "id", "virtio-serial0"));
  g_assert_null (find_json (argv, "-device", "id", "console0"));
}

static void
test_small_devices (void)
{
  g_auto (GStrv) argv = build_devices ("q35",
    "<rng model='virtio'><rate bytes='1024' period='1000'/><backend model='random'>/dev/urandom</backend></rng>\n"
    "<watchdog model='i6300esb' action='poweroff'/>\n"
    "<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>\n"
    "<filesystem type='mount' accessmode='passthrough'><driver type='virtiofs'/>"
    "  <source dir='/home/user/shared'/><target dir='shared'/></filesystem>\n"
    "<hostdev mode='subsystem' type='usb'><source><vendor id='0x1234'/><product id='0xbeef'/></source></hostdev>\n"
    "<hostdev mode='subsystem' type='pci' managed='yes'><source>"
    "  <address domain='0x0000' bus='0x06' slot='0x12' function='0x5'/></source></hostdev>\n"
    "<memballoon model='virtio' autodeflate='on'/>\n");

  assert_option (argv, "-object", "{\"qom-type\":\"rng-random\",\"id\":\"objrng0\",\"filename\":\"/dev/urandom\"}");
  g_assert_nonnull (strstr (find_json (argv, "-device", "id", "rng0"), "\"max-bytes\":1024,\"period\":1000"));
  g_assert_nonnull (strstr (find_json (argv, "-device", "id", "watchdog0"), "\"driver\":\"i6300esb\""));
  assert_option (argv, "-action", "watchdog=poweroff");
  assert_option (argv, "-chardev", "socket,id=chrtpm,path=" RUNTIME "/swtpm.sock");
  assert_option (argv, "-tpmdev", "emulator,id=tpm-tpm0,chardev=chrtpm");
  assert_device (argv, "tpm0", "{\"driver\":\"tpm-crb\",\"tpmdev\":\"tpm-tpm0\",\"id\":\"tpm0\"}");
  /* virtiofs: guest RAM another process can map, and virtiofsd's socket. */
  assert_option (argv, "-object", "{\"qom-type\":\"memory-backend-memfd\",\"id\":\"pc.ram\",\"share\":true,\"size\":536870912}");
  g_assert_nonnull (strstr (find_option (argv, "-machine", NULL), ",memory-backend=pc.ram"));
  assert_option (argv, "-chardev", "socket,id=chr-vu-fs0,path=" RUNTIME "/virtiofs-fs0.sock");
  g_assert_nonnull (strstr (find_json (argv, "-device", "id", "fs0"),
                            "\"driver\":\"vhost-user-fs-pci\",\"id\":\"fs0\",\"chardev\":\"chr-vu-fs0\",\"tag\":\"shared\""));
  assert_device (argv, "hostdev0",
                 "{\"driver\":\"usb-host\",\"vendorid\":4660,\"productid\":48879,\"id\":\"hostdev0\",\"bus\":\"usb.0\"}");
  g_assert_nonnull (strstr (find_json (argv, "-device", "id", "hostdev1"),
                            "{\"driver\":\"vfio-pci\",\"host\":\"0000:06:12.5\",\"id\":\"hostdev1\""));
  g_assert_nonnull (strstr (find_json (argv, "-device", "id", "balloon0"), "\"deflate-on-oom\":true"));
}

static void
test_options (void)
{
  g_autofree char *xml = domain_xml ("qemu", "pc", NULL, NULL, NULL);
  VmdQemuArgvOptions options = default_options;
  g_auto (GStrv) argv = NULL;
  g_autoptr (GError) error = NULL;

  options.start_paused = TRUE;
  options.incoming_defer = TRUE;
  options.daemonize = TRUE;
  options.pidfile = RUNTIME "/qemu.pid";
  options.logfile = RUNTIME "/qemu.log";
  argv = build_xml_with (xml, &options, &error);
  g_assert_no_error (error);
  g_assert_true (has_option (argv, "-S"));
  assert_option (argv, "-incoming", "defer");
  g_assert_true (has_option (argv, "-daemonize"));
  assert_option (argv, "-pidfile", RUNTIME "/qemu.pid");
  assert_option (argv, "-D", RUNTIME "/qemu.log");
  g_assert_cmpstr (argv[0], ==, "/usr/bin/qemu-system-x86_64");

  /* The runtime folder is required, and its sockets must fit. */
  options = default_options;
  options.runtime_dir = NULL;
  g_clear_pointer (&argv, g_strfreev);
  argv = build_xml_with (xml, &options, &error);
  g_assert_error (error, VMD_ARGV_ERROR, VMD_ARGV_ERROR_INVALID);
  g_clear_error (&error);
  options.runtime_dir = "/run/user/1000/vmdesk/a-folder-name-that-goes-on-and-on-and-on-and-on-and-on-and-on-and-on-beyond-reason";
  argv = build_xml_with (xml, &options, &error);
  g_assert_error (error, VMD_ARGV_ERROR, VMD_ARGV_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "too long for a unix socket"));
}

static void
test_escaping (void)
{
  g_autofree char *xml = g_strdup (
    "<domain type='qemu'><name>My \"best\" VM, it's new</name><uuid>" UUID "</uuid><memory>524288</memory>"
    "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
    "<disk type='file' device='disk'><source file='/vms/a,b c/disk \"1\".img'/><target dev='vda' bus='virtio'/></disk>"
    "</devices></domain>");
  g_auto (GStrv) argv = build_ok (xml);
  g_autofree char *text = vmd_qemu_argv_to_string ((const char *const *) argv);

  /* QemuOpts: commas doubled; JSON: escaped by json-glib; no shell. */
  assert_option (argv, "-name", "guest=My \"best\" VM,, it's new,debug-threads=on");
  g_assert_cmpstr (find_json (argv, "-blockdev", "node-name", "vmd-1-storage"), ==,
                   "{\"driver\":\"file\",\"filename\":\"/vms/a,b c/disk \\\"1\\\".img\",\"node-name\":\"vmd-1-storage\",\"read-only\":false}");
  /* For display, each word quoted for a shell that would run it. */
  g_assert_nonnull (strstr (text, "\n-name 'guest=My \"best\" VM,, it'\\''s new,debug-threads=on' \\\n"));
}

static void
test_device_ids (void)
{
  g_autofree char *xml = domain_xml ("qemu", "q35", NULL, NULL,
    "<disk type='file' device='disk'><source file='/a'/><target dev='vdb' bus='virtio'/></disk>\n"
    "<disk type='file' device='disk'><source file='/b'/><target dev='sdc' bus='sata'/></disk>\n"
    "<disk type='file' device='disk'><source file='/c'/><target dev='sda' bus='scsi'/><alias name='ua-data'/></disk>\n"
    "<interface type='user'/>\n<interface type='user'/>\n"
    "<video><model type='virtio'/></video>\n<video><model type='qxl' primary='yes'/></video>\n"
    "<hostdev mode='subsystem' type='usb'><source><vendor id='0x1'/><product id='0x2'/></source></hostdev>\n"
    "<rng model='virtio'><backend model='random'/></rng>\n");
  g_autoptr (VmdDomainConfig) config = vmd_domain_config_new_from_xml (xml, -1, NULL);
  g_autoptr (GPtrArray) devices = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE);
  const char *const expected[] = {
    "virtio-disk1", "sata0-0-2", "ua-data", "net0", "net1", "video1", "video0", "hostdev0", "rng0",
  };
  g_auto (GStrv) argv = NULL;
  guint n = 0;

  for (guint i = 0; i < devices->len; i++)
    {
      VmdDevice *device = g_ptr_array_index (devices, i);
      g_autofree char *id = vmd_qemu_argv_device_id (device);
      if (g_str_equal (vmd_device_get_kind (device), "emulator"))
        continue;
      g_assert_cmpuint (n, <, G_N_ELEMENTS (expected));
      g_assert_cmpstr (id, ==, expected[n]);
      n++;
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));

  /* The command line uses the same IDs. */
  argv = vmd_qemu_argv_build (config, &default_options, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const char *found = find_json (argv, "-device", "id", expected[i]);
      g_assert_nonnull (found);
    }
  {
    g_autoptr (GPtrArray) channels = NULL;
    g_autofree char *agent = NULL;
    VmdQemuArgvOptions options = default_options;

    vmd_domain_config_add_device (config, VMD_DEVICE (vmd_device_chardev_new_guest_agent ()));
    channels = vmd_domain_config_get_devices_of_kind (config, "channel");
    agent = vmd_qemu_argv_chardev_socket (&options, g_ptr_array_index (channels, 0));
    g_assert_cmpstr (agent, ==, RUNTIME "/chardev-channel0.sock");
  }
}

static void
test_refused (void)
{
  g_autofree char *network_disk = domain_xml ("qemu", "pc", NULL, NULL,
    "<disk type='network' device='disk'><source protocol='nbd' name='x'><host name='h'/></source>"
    "<target dev='vda' bus='virtio'/></disk>\n");
  g_autofree char *libvirt_net = domain_xml ("qemu", "pc", NULL, NULL,
    "<interface type='network'><source network='default'/></interface>\n");
  g_autofree char *direct = domain_xml ("qemu", "pc", NULL, NULL,
    "<interface type='direct'><source dev='eth0' mode='bridge'/></interface>\n");
  g_autofree char *sdl = domain_xml ("qemu", "pc", NULL, NULL, "<graphics type='sdl'/>\n");
  g_autofree char *scsi_host = domain_xml ("qemu", "pc", NULL, NULL,
    "<hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host0'/>"
    "<address bus='0' target='0' unit='0'/></source></hostdev>\n");
  g_autofree char *numa = domain_xml ("qemu", "pc", NULL,
                                      "  <numatune><memory mode='strict' nodeset='0'/></numatune>\n", NULL);
  g_autofree char *cmdline = g_strdup (
    "<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><name>q</name><memory>524288</memory>"
    "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices/>"
    "<qemu:commandline><qemu:arg value='-foo'/></qemu:commandline></domain>");

  assert_refused (network_disk, VMD_ARGV_ERROR_UNSUPPORTED,
                  "The embedded engine cannot run a disk of type 'network' (<disk type='network'>); use libvirt for this virtual machine.");
  assert_refused (libvirt_net, VMD_ARGV_ERROR_UNSUPPORTED,
                  "The network interface uses the libvirt network 'default', which the embedded engine cannot provide; use user-mode networking or a bridge.");
  assert_refused (direct, VMD_ARGV_ERROR_UNSUPPORTED,
                  "The embedded engine cannot run a network interface of type 'direct' (<interface type='direct'>); use user-mode networking or a bridge, or use libvirt for this virtual machine.");
  assert_refused (sdl, VMD_ARGV_ERROR_UNSUPPORTED,
                  "The embedded engine cannot show a display of type 'sdl' (<graphics type='sdl'>); use VNC or SPICE, or use libvirt for this virtual machine.");
  assert_refused (scsi_host, VMD_ARGV_ERROR_UNSUPPORTED,
                  "The embedded engine cannot pass a host device of type 'scsi' through (<hostdev type='scsi'>); use libvirt for this virtual machine.");
  assert_refused (numa, VMD_ARGV_ERROR_UNSUPPORTED,
                  "The embedded engine cannot run a definition with <numatune>; use libvirt for this virtual machine.");
  assert_refused (cmdline, VMD_ARGV_ERROR_UNSUPPORTED,
                  "The embedded engine does not pass extra QEMU options (<qemu:commandline>); use libvirt for this virtual machine.");
  assert_refused ("<domain type='xen'><name>x</name><memory>524288</memory><os><type>hvm</type></os></domain>",
                  VMD_ARGV_ERROR_UNSUPPORTED,
                  "The embedded engine runs only KVM and QEMU virtual machines, not the domain type 'xen' (<domain type='xen'>); use libvirt for this virtual machine.");
  assert_refused ("<domain type='qemu'><name>a</name><memory>524288</memory><os><type arch='aarch64' machine='virt'>hvm</type></os></domain>",
                  VMD_ARGV_ERROR_UNSUPPORTED,
                  "The embedded engine runs only x86_64 virtual machines, not the architecture 'aarch64' (<type arch='aarch64'>); use libvirt for this virtual machine.");
  assert_refused ("<domain type='qemu'><name>a</name><memory>524288</memory><os><type arch='x86_64' machine='microvm'>hvm</type></os></domain>",
                  VMD_ARGV_ERROR_UNSUPPORTED,
                  "The embedded engine runs only the pc and q35 machine types, not 'microvm' (<type machine='microvm'>); use libvirt for this virtual machine.");
}

/* ------------------------------------------------------------ real QEMU */

/* Corpus cases that run on this machine's QEMU 7.2, chosen to cover each
 * part of the builder: machines, firmware, every disk bus, NICs, displays,
 * video, sound, consoles and channels, controllers, PCI and USB topology,
 * CPU and memory options. Host devices, bridges and taps are left out:
 * they need hardware or privileges. */
static const char *const real_qemu_cases[] = {
  "x86_64-pc-minimal", "x86_64-q35-minimal", "x86_64-pc-graphics", "x86_64-q35-graphics",
  "q35-virt-manager-basic", "disk-virtio", "disk-cdrom", "disk-scsi-disk-split", "controller-virtio-scsi",
  "disk-sata-device", "disk-usb-device", "disk-floppy", "disk-floppy-q35", "disk-cache",
  "disk-copy_on_read", "disk-shared", "net-virtio", "net-user-addr", "net-usb", "video-qxl-heads",
  "video-virtio-gpu-secondary", "video-bochs-display-device", "video-ramfb-display-device",
  "sound-device", "console-virtio-many", "channel-virtio-autoadd", "channel-qemu-vdagent",
  "virtio-rng-random", "watchdog-q35-multiple", "firmware-manual-efi-secboot", "firmware-auto-efi",
  "pci-bridge-many-disks", "pcie-switch-downstream-port", "usb-controller-ich9-companion",
  "usb-hub-autoadd", "cpu-topology2", "cpu-numa1", "iothreads-ids", "panic", "hyperv",
  "virtio-input", "boot-complex", "tpm-emulator-tpm2", "serial-many-chardev", "disk-rotation",
  "virtio-9p-multidevs", NULL
};

typedef struct
{
  char       *dir;
  GPtrArray  *helpers;   /* GSubprocess: swtpm, … */
} RealRun;

static void
real_run_clear (RealRun *run)
{
  for (guint i = 0; run->helpers && i < run->helpers->len; i++)
    {
      GSubprocess *helper = g_ptr_array_index (run->helpers, i);
      g_subprocess_force_exit (helper);
      g_subprocess_wait (helper, NULL, NULL);
    }
  g_clear_pointer (&run->helpers, g_ptr_array_unref);
  if (run->dir != NULL)
    {
      g_autoptr (GDir) dir = g_dir_open (run->dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (run->dir, name, NULL);
          g_remove (path);
        }
      g_rmdir (run->dir);
    }
  g_clear_pointer (&run->dir, g_free);
}

static gboolean
run_tool (const char *const *argv, GError **error)
{
  g_autoptr (GSubprocess) p = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                 G_SUBPROCESS_FLAGS_STDERR_SILENCE, error);
  return p != NULL && g_subprocess_wait_check (p, NULL, error);
}

static gboolean
wait_for_path (const char *path, GSubprocess *process)
{
  for (guint i = 0; i < 1000; i++)
    {
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return TRUE;
      if (process != NULL && g_subprocess_get_identifier (process) == NULL)
        return FALSE;
      g_usleep (10 * 1000);
    }
  return FALSE;
}

/* Replaces what names this host's files by files of the run: empty
 * images for the disks, Debian's OVMF for a firmware path from another
 * distribution, and swtpm or a folder where the VM needs them. */
static gboolean
prepare_host (VmdDomainConfig *config, RealRun *run, VmdQemuArgvOptions *options, GError **error)
{
  g_autoptr (GPtrArray) disks = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_DISK);
  g_autoptr (GPtrArray) filesystems = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_FILESYSTEM);
  g_autoptr (GPtrArray) tpms = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_TPM);
  g_autofree char *loader = vmd_domain_config_get_loader (config);
  xmlNodePtr root = _vmd_domain_config_get_root (config);

  for (guint i = 0; i < disks->len; i++)
    {
      VmdDeviceDisk *disk = g_ptr_array_index (disks, i);
      g_autofree char *source = vmd_device_disk_get_source (disk);
      g_autofree char *format = vmd_device_disk_get_format (disk);
      g_autofree char *device = vmd_device_disk_get_device (disk);
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;
      const char *size = g_str_equal (device, "floppy") ? "1440K" : "1M";
      const char *fmt = g_strcmp0 (format, "qcow2") == 0 ? "qcow2" : "raw";

      if (source == NULL)
        continue;
      name = g_strdup_printf ("disk%u.img", i);
      path = g_build_filename (run->dir, name, NULL);
      if (!run_tool ((const char *const[]) { "qemu-img", "create", "-q", "-f", fmt, path, size, NULL }, error))
        return FALSE;
      vmd_device_disk_set_disk_type (disk, "file");
      vmd_device_disk_set_source (disk, path);
    }

  if (loader != NULL && *g_strstrip (loader) != '\0' && !g_file_test (loader, G_FILE_TEST_EXISTS))
    vmd_xml_set_text_at (root, "os/loader",
                         vmd_domain_config_get_secure_boot (config) ? "/usr/share/OVMF/OVMF_CODE_4M.secboot.fd"
                                                                   : "/usr/share/OVMF/OVMF_CODE_4M.fd");
  if (vmd_domain_config_get_firmware (config) == VMD_FIRMWARE_UEFI)
    {
      g_autofree char *template = vmd_qemu_argv_nvram_template (config);
      g_autofree char *nvram = g_build_filename (run->dir, "VARS.fd", NULL);
      g_autofree char *contents = NULL;
      gsize len;

      if (template == NULL || !g_file_test (template, G_FILE_TEST_EXISTS))
        {
          g_free (template);
          template = g_strdup ("/usr/share/OVMF/OVMF_VARS_4M.fd");
        }
      if (!g_file_get_contents (template, &contents, &len, error) ||
          !g_file_set_contents (nvram, contents, len, error))
        return FALSE;
      options->nvram_path = g_steal_pointer (&nvram);
    }

  for (guint i = 0; i < filesystems->len; i++)
    {
      VmdDeviceFilesystem *fs = g_ptr_array_index (filesystems, i);
      vmd_device_filesystem_set_source_dir (fs, run->dir);
    }

  if (tpms->len > 0)
    {
      g_autofree char *version = vmd_device_tpm_get_backend_version (g_ptr_array_index (tpms, 0));
      g_autofree char *state = g_strdup_printf ("dir=%s", run->dir);
      g_autofree char *sock = g_build_filename (run->dir, "swtpm.sock", NULL);
      g_autofree char *ctrl = g_strdup_printf ("type=unixio,path=%s", sock);
      GSubprocess *swtpm;

      swtpm = g_subprocess_newv ((const char *const[]) { "swtpm", "socket", "--tpmstate", state,
                                                         "--ctrl", ctrl,
                                                         g_strcmp0 (version, "2.0") == 0 ? "--tpm2" : "--log",
                                                         g_strcmp0 (version, "2.0") == 0 ? "--log" : "level=0",
                                                         g_strcmp0 (version, "2.0") == 0 ? "level=0" : NULL,
                                                         NULL },
                                 G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, error);
      if (swtpm == NULL)
        return FALSE;
      g_ptr_array_add (run->helpers, swtpm);
      if (!wait_for_path (sock, swtpm))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "swtpm did not start");
          return FALSE;
        }
      options->swtpm_socket = g_steal_pointer (&sock);
    }
  return TRUE;
}

/* Starts QEMU and waits until it answers a QMP command. The greeting can
 * come from QEMU's monitor thread while the machine is still being built;
 * commands run in the main loop, once every device exists. */
static char *
run_qemu (const char *const *argv, const char *qmp_path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) qemu = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                    G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) conn = NULL;
  g_autoptr (GSocketAddress) address = g_unix_socket_address_new (qmp_path);
  g_autoptr (GDataInputStream) in = NULL;
  g_autofree char *line = NULL;
  g_autofree char *err_text = NULL;

  if (qemu == NULL)
    return g_strdup (error->message);
  for (guint i = 0; i < 1000 && conn == NULL; i++)
    {
      g_clear_error (&error);
      conn = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
      if (conn == NULL)
        {
          if (g_subprocess_get_identifier (qemu) == NULL)
            break;
          g_usleep (10 * 1000);
        }
    }
  if (conn != NULL)
    {
      g_socket_set_timeout (g_socket_connection_get_socket (conn), 20);
      in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (conn)));
      line = g_data_input_stream_read_line (in, NULL, NULL, NULL);
      if (line != NULL && g_str_has_prefix (line, "{\"QMP\""))
        {
          const char *cmd = "{\"execute\":\"qmp_capabilities\"}\n"
                            "{\"execute\":\"query-status\"}\n";
          GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn));

          g_clear_pointer (&line, g_free);
          if (g_output_stream_write_all (out, cmd, strlen (cmd), NULL, NULL, NULL))
            {
              /* The capabilities' answer, then the status (events may come
               * in between). */
              while ((line = g_data_input_stream_read_line (in, NULL, NULL, NULL)) != NULL &&
                     strstr (line, "\"status\"") == NULL)
                g_clear_pointer (&line, g_free);
            }
        }
    }
  if (line != NULL && strstr (line, "\"return\"") != NULL)
    {
      g_subprocess_send_signal (qemu, SIGKILL);
      g_subprocess_wait (qemu, NULL, NULL);
      return NULL;
    }

  g_subprocess_send_signal (qemu, SIGKILL);
  g_subprocess_communicate_utf8 (qemu, NULL, NULL, NULL, &err_text, NULL);
  return g_strdup_printf ("QEMU did not come up: %s", err_text && *err_text ? err_text : "(no message)");
}

static GStrv
qemu_machines (void)
{
  g_autoptr (GSubprocess) p = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                                NULL, "qemu-system-x86_64", "-machine", "help", NULL);
  g_autofree char *out = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GStrvBuilder) names = g_strv_builder_new ();

  if (p == NULL || !g_subprocess_communicate_utf8 (p, NULL, NULL, &out, NULL, NULL))
    return NULL;
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 1; lines[i]; i++)
    {
      g_auto (GStrv) words = g_strsplit (lines[i], " ", 2);
      if (words[0] && *words[0])
        g_strv_builder_add (names, words[0]);
    }
  return g_strv_builder_end (names);
}

/* Whether QEMU starts with KVM here: on these machines /dev/kvm exists
 * but QEMU aborts setting up a vCPU (see DESIGN.md). */
static gboolean
kvm_starts (const char *qemu, const char *dir)
{
  g_autofree char *qmp = g_build_filename (dir, "kvm-probe.sock", NULL);
  g_autofree char *chardev = g_strdup_printf ("socket,id=m,path=%s,server=on,wait=off", qmp);
  const char *argv[] = { qemu, "-machine", "pc", "-accel", "kvm", "-nodefaults", "-display", "none",
                         "-S", "-chardev", chardev, "-mon", "chardev=m,mode=control", NULL };
  g_autofree char *problem = NULL;

  if (!g_file_test ("/dev/kvm", G_FILE_TEST_EXISTS))
    return FALSE;
  problem = run_qemu (argv, qmp);
  g_remove (qmp);
  return problem == NULL;
}

static void
test_real_qemu (void)
{
  g_auto (GStrv) machines = NULL;
  g_autofree char *qemu = g_find_program_in_path ("qemu-system-x86_64");
  g_autofree char *qemu_img = g_find_program_in_path ("qemu-img");
  guint ran = 0;
  gboolean kvm;
  g_autoptr (GString) failures = g_string_new (NULL);

  if (qemu == NULL || qemu_img == NULL)
    {
      g_test_skip ("needs qemu-system-x86_64 and qemu-img (Debian: qemu-system-x86, qemu-utils)");
      return;
    }
  machines = qemu_machines ();
  g_assert_nonnull (machines);
  {
    g_autofree char *dir = g_dir_make_tmp ("vmd-argv-XXXXXX", NULL);
    kvm = kvm_starts (qemu, dir);
    g_rmdir (dir);
  }

  {
  g_auto (GStrv) all = NULL;
  const char *const *cases = real_qemu_cases;

  /* VMD_ARGV_REAL_CASES=a,b,c runs other cases: for hunting bugs. */
  if (g_getenv ("VMD_ARGV_REAL_CASES") != NULL)
    cases = (const char *const *) (all = g_strsplit (g_getenv ("VMD_ARGV_REAL_CASES"), ",", -1));

  for (guint i = 0; cases[i]; i++)
    {
      g_autofree char *xml = g_strdup_printf ("%s/libvirt-qemuxml2argv/%s.xml", corpus_dir (), cases[i]);
      g_autoptr (GError) error = NULL;
      g_autoptr (VmdDomainConfig) config = vmd_domain_config_new_from_file (xml, &error);
      g_autofree char *machine = NULL;
      g_autofree char *qmp = NULL;
      g_autofree char *problem = NULL;
      g_auto (GStrv) argv = NULL;
      RealRun run = { 0 };
      VmdQemuArgvOptions options = { .start_paused = TRUE, .qemu_binary = qemu };

      g_assert_no_error (error);
      machine = vmd_domain_config_get_machine (config);
      if (machine == NULL)
        machine = g_strdup ("pc");
      if (!g_strv_contains ((const char *const *) machines, machine))
        {
          g_string_append_printf (failures, "%s: QEMU 7.2 has no machine type %s\n", cases[i], machine);
          continue;
        }

      run.dir = g_dir_make_tmp ("vmd-argv-XXXXXX", &error);
      g_assert_no_error (error);
      run.helpers = g_ptr_array_new_with_free_func (g_object_unref);
      options.runtime_dir = run.dir;
      /* KVM here is a software hypervisor without SMM or the MSRs a
       * vCPU model sets (DESIGN.md): KVM definitions run under TCG, and
       * the minimal one below shows that -accel kvm itself works. */
      vmd_domain_config_set_domain_type (config, "qemu");
      if (!prepare_host (config, &run, &options, &error))
        {
          g_string_append_printf (failures, "%s: %s\n", cases[i], error->message);
          real_run_clear (&run);
          continue;
        }
      argv = vmd_qemu_argv_build (config, &options, &error);
      if (argv == NULL)
        g_string_append_printf (failures, "%s: %s\n", cases[i], error->message);
      qmp = g_build_filename (run.dir, "qmp.sock", NULL);
      problem = argv ? run_qemu ((const char *const *) argv, qmp) : NULL;
      if (problem != NULL)
        {
          g_autofree char *cmd = vmd_qemu_argv_to_string ((const char *const *) argv);
          g_string_append_printf (failures, "%s: %s\n%s\n", cases[i], problem, cmd);
        }
      else if (argv != NULL)
        ran++;
      g_free ((char *) options.nvram_path);
      g_free ((char *) options.swtpm_socket);
      real_run_clear (&run);
    }
  g_test_message ("QEMU 7.2 started %u of %u corpus cases", ran, g_strv_length ((GStrv) cases));
  }

  if (kvm)
    {
      g_autofree char *xml = g_strdup_printf ("%s/libvirt-qemuxml2argv/x86_64-pc-minimal.xml", corpus_dir ());
      g_autoptr (VmdDomainConfig) config = vmd_domain_config_new_from_file (xml, NULL);
      g_autofree char *dir = g_dir_make_tmp ("vmd-argv-XXXXXX", NULL);
      g_autofree char *qmp = g_build_filename (dir, "qmp.sock", NULL);
      VmdQemuArgvOptions options = { .runtime_dir = dir, .start_paused = TRUE, .qemu_binary = qemu };
      g_auto (GStrv) argv = NULL;
      g_autofree char *problem = NULL;

      vmd_domain_config_set_domain_type (config, "kvm");
      argv = vmd_qemu_argv_build (config, &options, NULL);
      g_assert_nonnull (argv);
      g_assert_true (g_strv_contains ((const char *const *) argv, "kvm"));
      problem = run_qemu ((const char *const *) argv, qmp);
      if (problem != NULL)
        g_string_append_printf (failures, "x86_64-pc-minimal under KVM: %s\n", problem);
      g_remove (qmp);
      g_rmdir (dir);
    }
  else
    {
      g_test_message ("QEMU does not start with KVM here; KVM definitions ran under TCG only");
    }
  if (failures->len > 0)
    g_printerr ("%s", failures->str);
  g_assert_cmpuint (failures->len, ==, 0);
}

/* The definitions of the unit tests that need no hardware, on QEMU 7.2:
 * Secure Boot OVMF, SPICE with its channels, virtiofs with virtiofsd,
 * forwarded ports, consoles and the guest agent. */
static void
test_real_qemu_units (void)
{
  static const struct { const char *name; const char *machine; const char *os; const char *extra; const char *devices; } vms[] = {
    { "secure-boot", "q35", NULL, "<features><acpi/><smm state='on'/></features>\n", NULL },
    { "spice", "q35", NULL, NULL,
      "<graphics type='spice' autoport='yes'><image compression='off'/></graphics>\n"
      "<video><model type='qxl' ram='65536' vram='65536' vgamem='16384' heads='1' primary='yes'/></video>\n"
      "<channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>\n"
      "<redirdev bus='usb' type='spicevmc'/>\n<sound model='ich9'/>\n" },
    { "virtiofs", "q35", NULL, NULL,
      "<filesystem type='mount' accessmode='passthrough'><driver type='virtiofs'/>"
      "<source dir='/tmp'/><target dir='shared'/></filesystem>\n" },
    { "consoles", "pc", NULL, NULL,
      "<interface type='user'><mac address='52:54:00:aa:00:01'/><model type='virtio'/>"
      "<portForward proto='tcp'><range start='46022' to='22'/></portForward></interface>\n"
      "<graphics type='vnc'/><video><model type='virtio'/></video>\n"
      "<serial type='pty'/><console type='pty'><target type='virtio'/></console>\n"
      "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>\n"
      "<input type='tablet' bus='usb'/><rng model='virtio'><backend model='random'/></rng>\n" },
  };
  g_autofree char *qemu = g_find_program_in_path ("qemu-system-x86_64");
  g_autoptr (GString) failures = g_string_new (NULL);

  if (qemu == NULL)
    {
      g_test_skip ("needs qemu-system-x86_64 (Debian: qemu-system-x86)");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (vms); i++)
    {
      g_autofree char *xml = domain_xml ("qemu", vms[i].machine, vms[i].os, vms[i].extra, vms[i].devices);
      g_autoptr (GError) error = NULL;
      g_autoptr (VmdDomainConfig) config = NULL;
      g_autofree char *qmp = NULL;
      g_autofree char *problem = NULL;
      g_auto (GStrv) argv = NULL;
      RealRun run = { 0 };
      VmdQemuArgvOptions options = { .start_paused = TRUE, .qemu_binary = qemu };

      if (g_str_equal (vms[i].name, "secure-boot"))
        {
          char *p = strstr (xml, "<os>");
          g_autofree char *head = g_strndup (xml, p - xml);
          g_autofree char *fixed = g_strconcat (head, "<os firmware='efi'>", p + 4, NULL);
          g_free (xml);
          xml = g_steal_pointer (&fixed);
        }
      config = vmd_domain_config_new_from_xml (xml, -1, &error);
      g_assert_no_error (error);
      run.dir = g_dir_make_tmp ("vmd-argv-XXXXXX", &error);
      g_assert_no_error (error);
      run.helpers = g_ptr_array_new_with_free_func (g_object_unref);
      options.runtime_dir = run.dir;
      if (!prepare_host (config, &run, &options, &error))
        g_string_append_printf (failures, "%s: %s\n", vms[i].name, error->message);

      if (g_str_equal (vms[i].name, "virtiofs"))
        {
          g_autofree char *sock = g_build_filename (run.dir, "virtiofs-fs0.sock", NULL);
          g_autofree char *source = g_strdup_printf ("source=%s", run.dir);
          g_autofree char *path = g_strdup_printf ("--socket-path=%s", sock);
          GSubprocess *virtiofsd;

          if (!g_file_test ("/usr/lib/qemu/virtiofsd", G_FILE_TEST_IS_EXECUTABLE))
            {
              g_test_message ("no virtiofsd: the virtiofs definition is not started");
              real_run_clear (&run);
              continue;
            }
          virtiofsd = g_subprocess_newv ((const char *const[]) { "/usr/lib/qemu/virtiofsd", path, "-o", source, "-f", NULL },
                                         G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
          g_assert_no_error (error);
          g_ptr_array_add (run.helpers, virtiofsd);
          if (!wait_for_path (sock, virtiofsd))
            g_string_append_printf (failures, "%s: virtiofsd did not start\n", vms[i].name);
        }

      argv = vmd_qemu_argv_build (config, &options, &error);
      g_assert_no_error (error);
      qmp = g_build_filename (run.dir, "qmp.sock", NULL);
      problem = run_qemu ((const char *const *) argv, qmp);
      if (problem != NULL)
        {
          g_autofree char *cmd = vmd_qemu_argv_to_string ((const char *const *) argv);
          g_string_append_printf (failures, "%s: %s\n%s\n", vms[i].name, problem, cmd);
        }
      g_free ((char *) options.nvram_path);
      g_free ((char *) options.swtpm_socket);
      real_run_clear (&run);
    }
  if (failures->len > 0)
    g_printerr ("%s", failures->str);
  g_assert_cmpuint (failures->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/qemu-argv/minimal-pc", test_minimal_pc);
  g_test_add_func ("/qemu-argv/minimal-q35-kvm", test_minimal_q35_kvm);
  g_test_add_func ("/qemu-argv/cpu-and-memory", test_cpu_and_memory);
  g_test_add_func ("/qemu-argv/host-model-tcg", test_host_model_tcg);
  g_test_add_func ("/qemu-argv/hyperv", test_hyperv);
  g_test_add_func ("/qemu-argv/disks-every-bus", test_disks_every_bus);
  g_test_add_func ("/qemu-argv/ide-and-cdroms", test_ide_and_cdroms);
  g_test_add_func ("/qemu-argv/boot-dev-order", test_boot_dev_order);
  g_test_add_func ("/qemu-argv/uefi", test_uefi);
  g_test_add_func ("/qemu-argv/direct-kernel-boot", test_direct_kernel_boot);
  g_test_add_func ("/qemu-argv/nics", test_nics);
  g_test_add_func ("/qemu-argv/graphics", test_graphics);
  g_test_add_func ("/qemu-argv/video-models", test_video_models);
  g_test_add_func ("/qemu-argv/sound-and-input", test_sound_and_input);
  g_test_add_func ("/qemu-argv/serial-console-agent", test_serial_console_agent);
  g_test_add_func ("/qemu-argv/small-devices", test_small_devices);
  g_test_add_func ("/qemu-argv/options", test_options);
  g_test_add_func ("/qemu-argv/escaping", test_escaping);
  g_test_add_func ("/qemu-argv/device-ids", test_device_ids);
  g_test_add_func ("/qemu-argv/refused", test_refused);
  g_test_add_func ("/qemu-argv/corpus", test_corpus);
  g_test_add_func ("/qemu-argv/real-qemu", test_real_qemu);
  g_test_add_func ("/qemu-argv/real-qemu-units", test_real_qemu_units);
  return g_test_run ();
}
