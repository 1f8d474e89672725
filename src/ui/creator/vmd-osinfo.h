/* vmd-osinfo.h: what libosinfo knows about an operating system, found off
 * the main loop: media and tree identification, recommended resources,
 * the devices and firmware it wants, and whether it installs unattended
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  char     *id;              /* libosinfo id, e.g. http://debian.org/debian/11 */
  char     *short_id;        /* e.g. debian11 */
  char     *name;            /* e.g. Debian 11 */
  char     *distro;          /* e.g. debian, or NULL */
  guint64   ram;             /* recommended bytes of memory */
  guint     n_cpus;          /* recommended CPUs */
  guint64   storage;         /* recommended bytes of disk */
  gboolean  virtio;          /* virtio disk and network work */
  gboolean  virtio_gpu;      /* virtio video works */
  gboolean  q35;             /* a modern PC (q35) is fine */
  gboolean  needs_uefi;      /* boots with UEFI only */
  gboolean  needs_tpm;       /* wants a TPM 2.0 (Windows 11) */
  gboolean  unattended;      /* libosinfo has an install script for it */
  char     *kernel;          /* media/tree: the installer's kernel, relative path */
  char     *initrd;          /* media/tree: the installer's initrd, relative path */
} VmdOsInfo;

#define VMD_TYPE_OS_INFO (vmd_os_info_get_type ())

GType       vmd_os_info_get_type           (void) G_GNUC_CONST;
VmdOsInfo  *vmd_os_info_new_generic        (void);
VmdOsInfo  *vmd_os_info_copy               (const VmdOsInfo     *info);
void        vmd_os_info_free               (VmdOsInfo           *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdOsInfo, vmd_os_info_free)

/* Identifies the install media at @path (an ISO). Returns the OS, or
 * NULL without an error when the media is readable but not known, or
 * NULL with an error when it is not an ISO or cannot be read. */
void        vmd_osinfo_identify_media_async  (const char          *path,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
VmdOsInfo  *vmd_osinfo_identify_media_finish (GAsyncResult        *result,
                                              GError             **error);

/* Identifies the install tree at @url (its .treeinfo); as above. The
 * result's kernel and initrd are relative to @url. */
void        vmd_osinfo_identify_tree_async   (const char          *url,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
VmdOsInfo  *vmd_osinfo_identify_tree_finish  (GAsyncResult        *result,
                                              GError             **error);

/* Every OS libosinfo knows, sorted by name (VmdOsInfo*). */
void        vmd_osinfo_list_async            (GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GPtrArray  *vmd_osinfo_list_finish           (GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
