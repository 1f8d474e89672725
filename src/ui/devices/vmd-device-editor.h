/* vmd-device-editor.h: the editor of one device, shared by the Details
 * page of that device and by the Add Hardware dialog
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * An editor edits a VmdDevice that belongs to a working copy of a domain
 * definition (the caller's VmdDomainConfig). It never touches anything
 * but its device. The Details view (src/ui/details) keeps the working
 * copy, calls store() on Apply, saves the definition with
 * vmd_domain_set_config_async() and, on a running VM, asks each changed
 * editor to apply its part live.
 */
#pragma once

#include <gtk/gtk.h>

#include "vmd-domain.h"
#include "vmd-model.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICE_EDITOR (vmd_device_editor_get_type ())
G_DECLARE_DERIVABLE_TYPE (VmdDeviceEditor, vmd_device_editor, VMD, DEVICE_EDITOR, GtkBox)

/* What of a change a running VM takes at once. */
typedef enum {
  VMD_LIVE_NONE,     /* nothing: all of it waits for the next boot */
  VMD_LIVE_PARTIAL,  /* some (e.g. the CD-ROM's media), the rest waits */
  VMD_LIVE_ALL,      /* everything */
} VmdLiveSupport;

struct _VmdDeviceEditorClass
{
  GtkBoxClass parent_class;

  /* Fill the fields from the device. */
  void           (*load)             (VmdDeviceEditor *self);
  /* Write the fields into the device. FALSE, with a whole sentence in
   * @error (G_IO_ERROR_INVALID_DATA), when a field is invalid; the editor
   * also shows it inline next to the field. */
  gboolean       (*store)            (VmdDeviceEditor *self,
                                      GError         **error);
  /* After store(), on a running VM: how much of the difference between
   * @before (the device as the running VM has it) and the editor's device
   * the engine can apply live. Default: VMD_LIVE_NONE unless equal. */
  VmdLiveSupport (*live_support)     (VmdDeviceEditor *self,
                                      VmdDevice       *before);
  /* Apply that live part (media change, link state, ...). */
  void           (*apply_live_async) (VmdDeviceEditor     *self,
                                      VmdDomain           *domain,
                                      VmdDevice           *before,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
  gboolean       (*apply_live_finish)(VmdDeviceEditor *self,
                                      GAsyncResult    *result,
                                      GError         **error);

  gpointer padding[8];
};

/* The editor for @device, a device of @config. @domain (may be NULL, e.g.
 * in Add Hardware for a VM not yet defined) gives live context: the
 * guest's IP address, whether it runs. Signal "changed" (no arguments):
 * a field was edited by the user. */
VmdDeviceEditor *vmd_device_editor_new            (VmdDomainConfig *config,
                                                   VmdDevice       *device,
                                                   VmdDomain       *domain);
VmdDevice       *vmd_device_editor_get_device     (VmdDeviceEditor *self);
VmdDomainConfig *vmd_device_editor_get_config     (VmdDeviceEditor *self);
VmdDomain       *vmd_device_editor_get_domain     (VmdDeviceEditor *self);
void             vmd_device_editor_load           (VmdDeviceEditor *self);
gboolean         vmd_device_editor_store          (VmdDeviceEditor *self,
                                                   GError         **error);
VmdLiveSupport   vmd_device_editor_live_support   (VmdDeviceEditor *self,
                                                   VmdDevice       *before);
void             vmd_device_editor_apply_live_async  (VmdDeviceEditor     *self,
                                                      VmdDomain           *domain,
                                                      VmdDevice           *before,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean         vmd_device_editor_apply_live_finish (VmdDeviceEditor *self,
                                                      GAsyncResult    *result,
                                                      GError         **error);

/* For the sidebar: a label such as "VirtIO Disk 1", "SATA CDROM 1",
 * "NIC :3f:12:0a", "Display VNC", and a themed icon name. */
char            *vmd_device_describe              (VmdDomainConfig *config,
                                                   VmdDevice       *device,
                                                   const char     **icon_name);

G_END_DECLS
