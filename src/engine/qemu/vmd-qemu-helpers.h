/* vmd-qemu-helpers.h: the processes a VM's QEMU needs beside it
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

#include "vmd-domain-config.h"

G_BEGIN_DECLS

/* What a start needs besides QEMU: swtpm for an emulated TPM, one
 * virtiofsd per virtiofs shared folder. Made from the definition on the
 * main thread, run on a worker. */
typedef struct _VmdQemuHelperPlan VmdQemuHelperPlan;

VmdQemuHelperPlan *vmd_qemu_helper_plan_new        (VmdDomainConfig   *config,
                                                    const char        *runtime_dir,
                                                    const char        *data_dir,
                                                    const char        *uuid);
void               vmd_qemu_helper_plan_free       (VmdQemuHelperPlan *plan);
/* The swtpm control socket QEMU connects to, or NULL without swtpm. */
const char        *vmd_qemu_helper_plan_swtpm_socket (VmdQemuHelperPlan *plan);

/* Blocking (for a worker thread): checks the programs and folders, then
 * starts every helper and waits until its socket is there. On failure,
 * whatever it started is stopped again. */
gboolean           vmd_qemu_helper_plan_start      (VmdQemuHelperPlan *plan,
                                                    GError           **error);

/* The helpers running for the VM whose runtime folder is @runtime_dir,
 * from their pidfiles (alive and named like a helper only). */
GArray            *vmd_qemu_helpers_find           (const char        *runtime_dir);
/* SIGTERM now, SIGKILL two seconds later to any still there. */
void               vmd_qemu_helpers_terminate      (GArray            *pids);
/* Blocking: SIGTERM, wait up to @timeout_ms, SIGKILL. */
void               vmd_qemu_helpers_stop_sync      (GArray            *pids,
                                                    guint              timeout_ms);

G_END_DECLS
