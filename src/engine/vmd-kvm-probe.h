/* vmd-kvm-probe.h: does KVM really run guests on this computer?
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Environment: VMDESK_QEMU names the QEMU to try when none is given;
 * VMDESK_KVM_DEVICE (for tests) replaces /dev/kvm in the probe's own
 * device check, not in QEMU.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  VMD_KVM_WORKS,      /* a test guest ran with KVM */
  VMD_KVM_MISSING,    /* no /dev/kvm, or no kvm module behind it */
  VMD_KVM_NO_ACCESS,  /* /dev/kvm is there, but this user may not open it */
  VMD_KVM_BROKEN,     /* KVM stopped the test guest with an internal error */
  VMD_KVM_UNKNOWN,    /* it could not be found out, e.g. QEMU is missing */
} VmdKvmStatus;

void          vmd_kvm_probe_async              (const char           *qemu_binary,
                                                const char           *cache_dir,
                                                gboolean              force,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
VmdKvmStatus  vmd_kvm_probe_finish             (GAsyncResult         *result,
                                                char                **message,
                                                GError              **error);

const char   *vmd_kvm_status_to_string         (VmdKvmStatus          status);
const char   *vmd_kvm_status_to_domain_type    (VmdKvmStatus          status);

/* For tests: the process id of the QEMU the last probe started (0 if
 * none); once the probe has finished, that process is gone. */
GPid          vmd_kvm_probe_get_last_pid       (void);

G_END_DECLS
