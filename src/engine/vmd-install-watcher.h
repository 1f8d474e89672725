/* vmd-install-watcher.h: what happens when a VM made by the New VM
 * assistant or Quick boot shuts down
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A VM installing from media carries, in its vmdesk metadata,
 * <vmdesk:install-media> (the CD-ROM's target, "kernel" for a network
 * install's downloaded kernel, or both, space-separated, for an
 * unattended install) and <vmdesk:install-state> ("pending" until
 * it first runs, then "booted"). When a "booted" VM is seen shut off, the
 * watcher ejects the media (or drops the kernel), restores the boot order
 * to the disk and the reboot action, and removes the marker: the next
 * start boots the installed system.
 *
 * A Quick boot VM carries <vmdesk:quick-boot> (the overlay image it runs
 * on, or nothing) and <vmdesk:quick-boot-state> ("booted" once it ran):
 * when a booted one is seen shut off, it is undefined and the overlay
 * deleted, unless vmd_quick_boot_keep () removed the marker.
 *
 * The watcher watches every VM of its connection, whoever started it (the
 * app, vmdesk-cli, an earlier run of the app): the app makes one per
 * connection at startup with vmd_install_watcher_ensure ().
 */
#pragma once

#include "vmd-connection.h"

G_BEGIN_DECLS

#define VMD_INSTALL_KEY_MEDIA  "install-media"
#define VMD_INSTALL_KEY_STATE  "install-state"
#define VMD_INSTALL_KEY_FILES  "install-files"   /* newline-separated, deleted with the media */
#define VMD_INSTALL_KEY_QUICK  "quick-boot"
#define VMD_INSTALL_KEY_QUICK_STATE "quick-boot-state"

#define VMD_TYPE_INSTALL_WATCHER (vmd_install_watcher_get_type ())
G_DECLARE_FINAL_TYPE (VmdInstallWatcher, vmd_install_watcher, VMD, INSTALL_WATCHER, GObject)

/* The connection's watcher, made on first use and kept with the connection. */
VmdInstallWatcher *vmd_install_watcher_ensure (VmdConnection *connection);

G_END_DECLS
