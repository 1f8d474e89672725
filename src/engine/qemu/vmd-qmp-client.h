/* vmd-qmp-client.h: an asynchronous QMP client (QEMU's JSON monitor)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define VMD_QMP_ERROR (vmd_qmp_error_quark ())

typedef enum {
  VMD_QMP_ERROR_GENERIC,            /* QMP "GenericError" and unknown classes */
  VMD_QMP_ERROR_COMMAND_NOT_FOUND,  /* "CommandNotFound" */
  VMD_QMP_ERROR_DEVICE_NOT_FOUND,   /* "DeviceNotFound" */
  VMD_QMP_ERROR_DEVICE_NOT_ACTIVE,  /* "DeviceNotActive" */
  VMD_QMP_ERROR_KVM_MISSING,        /* "KVMMissingCap" */
  VMD_QMP_ERROR_PROTOCOL,           /* QEMU sent something that is not QMP */
  VMD_QMP_ERROR_DISCONNECTED,       /* the monitor closed (QEMU exited) */
  VMD_QMP_ERROR_JOB_FAILED,         /* a job concluded with an error */
} VmdQmpError;

GQuark vmd_qmp_error_quark (void);

#define VMD_TYPE_QMP_CLIENT (vmd_qmp_client_get_type ())
G_DECLARE_FINAL_TYPE (VmdQmpClient, vmd_qmp_client, VMD, QMP_CLIENT, GObject)

void          vmd_qmp_client_connect_async          (const char           *socket_path,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
VmdQmpClient *vmd_qmp_client_connect_finish         (GAsyncResult         *result,
                                                     GError              **error);
void          vmd_qmp_client_execute_async          (VmdQmpClient         *self,
                                                     const char           *command,
                                                     JsonNode             *arguments,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
void          vmd_qmp_client_execute_with_fd_async  (VmdQmpClient         *self,
                                                     const char           *command,
                                                     JsonNode             *arguments,
                                                     int                   fd,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
JsonNode     *vmd_qmp_client_execute_finish         (VmdQmpClient         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void          vmd_qmp_client_run_job_async          (VmdQmpClient         *self,
                                                     const char           *command,
                                                     JsonNode             *arguments,
                                                     const char           *job_id,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean      vmd_qmp_client_run_job_finish         (VmdQmpClient         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
JsonObject   *vmd_qmp_client_get_greeting           (VmdQmpClient         *self);
char         *vmd_qmp_client_get_qemu_version       (VmdQmpClient         *self);
gboolean      vmd_qmp_client_is_connected           (VmdQmpClient         *self);
void          vmd_qmp_client_close                  (VmdQmpClient         *self);

G_END_DECLS
