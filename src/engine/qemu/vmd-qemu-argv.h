/* vmd-qemu-argv.h: a domain definition turned into a QEMU command line
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "vmd-domain-config.h"

G_BEGIN_DECLS

#define VMD_ARGV_ERROR (vmd_argv_error_quark ())

typedef enum {
  VMD_ARGV_ERROR_UNSUPPORTED,  /* the definition asks for something vmdesk cannot run */
  VMD_ARGV_ERROR_INVALID,      /* the definition is inconsistent */
} VmdArgvError;

GQuark vmd_argv_error_quark (void);

typedef struct {
  /* The VM's private 0700 runtime folder: the QMP socket (qmp.sock), the
   * SPICE socket (spice.sock) and one socket per serial port, console and
   * unix channel (chardev-<alias>.sock) go there. Required. */
  const char *runtime_dir;
  /* The QEMU binary; NULL: the definition's <emulator>, else
   * "qemu-system-x86_64" from PATH. */
  const char *qemu_binary;
  /* The writable copy of the UEFI variables, when the VM boots UEFI. */
  const char *nvram_path;
  /* The swtpm control socket, when the VM has an emulated TPM. */
  const char *swtpm_socket;
  /* Start with the CPUs stopped (-S). */
  gboolean    start_paused;
  /* "-incoming defer" to restore a saved state later. */
  gboolean    incoming_defer;
  /* Detach with -daemonize, write the PID to pidfile and log to logfile. */
  gboolean    daemonize;
  const char *pidfile;
  const char *logfile;
} VmdQemuArgvOptions;

GStrv    vmd_qemu_argv_build     (VmdDomainConfig           *config,
                                  const VmdQemuArgvOptions  *options,
                                  GError                   **error);
char    *vmd_qemu_argv_to_string (const char *const         *argv);

/* The QEMU device ID of a device of the definition ("virtio-disk0",
 * "net1", "ua-foo"), for device_del; NULL for a detached device. */
char    *vmd_qemu_argv_device_id (VmdDevice                 *device);
/* The file a VM's UEFI variables start from, NULL for a BIOS VM. */
char    *vmd_qemu_argv_nvram_template (VmdDomainConfig      *config);
/* The unix socket where QEMU serves a serial port, console or channel,
 * or NULL when it has none (a file, null, SPICE or a host device). */
char    *vmd_qemu_argv_chardev_socket (const VmdQemuArgvOptions *options,
                                       VmdDevice                *device);

G_END_DECLS
