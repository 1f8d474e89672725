/* vmd-image.h: disk images, created, inspected, grown and copied with qemu-img
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What qemu-img says about an image. A file that is not an image of a
 * known format is reported as "raw", as QEMU would use it. */
typedef struct {
  char     *format;        /* "qcow2", "raw", "vmdk", … */
  guint64   virtual_size;  /* bytes the guest sees */
  guint64   actual_size;   /* bytes the file takes on the host's disk */
  char     *backing_file;  /* as written in the image, or NULL */
  gboolean  encrypted;
} VmdImageInfo;

#define VMD_TYPE_IMAGE_INFO (vmd_image_info_get_type ())

GType         vmd_image_info_get_type   (void) G_GNUC_CONST;
VmdImageInfo *vmd_image_info_copy       (const VmdImageInfo  *info);
void          vmd_image_info_free       (VmdImageInfo        *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdImageInfo, vmd_image_info_free)

void          vmd_image_create_async    (const char          *path,
                                         const char          *format,
                                         guint64              size_bytes,
                                         const char          *backing_file,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean      vmd_image_create_finish   (GAsyncResult        *result,
                                         GError             **error);

void          vmd_image_query_async     (const char          *path,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
VmdImageInfo *vmd_image_query_finish    (GAsyncResult        *result,
                                         GError             **error);

void          vmd_image_resize_async    (const char          *path,
                                         guint64              new_size_bytes,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean      vmd_image_resize_finish   (GAsyncResult        *result,
                                         GError             **error);

void          vmd_image_convert_async   (const char          *source,
                                         const char          *destination,
                                         const char          *destination_format,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean      vmd_image_convert_finish  (GAsyncResult        *result,
                                         GError             **error);

void          vmd_image_copy_async      (const char          *source,
                                         const char          *destination,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean      vmd_image_copy_finish     (GAsyncResult        *result,
                                         GError             **error);

char         *vmd_image_read_backing_file (const char *path);

G_END_DECLS
