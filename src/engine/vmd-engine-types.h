/* vmd-engine-types.h: states, reasons, features and errors shared by engines
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define VMD_ENGINE_ERROR (vmd_engine_error_quark ())

typedef enum {
  VMD_ENGINE_ERROR_FAILED,          /* anything else; the message says what */
  VMD_ENGINE_ERROR_NOT_FOUND,       /* no such virtual machine, snapshot, device */
  VMD_ENGINE_ERROR_EXISTS,          /* the name or UUID is taken */
  VMD_ENGINE_ERROR_INVALID_STATE,   /* e.g. starting a running VM */
  VMD_ENGINE_ERROR_INVALID_CONFIG,  /* the definition is not valid */
  VMD_ENGINE_ERROR_UNSUPPORTED,     /* this engine cannot do that */
  VMD_ENGINE_ERROR_START_FAILED,    /* QEMU refused to start; the message has its words */
  VMD_ENGINE_ERROR_KVM_FAILED,      /* KVM stopped the guest with an internal error */
  VMD_ENGINE_ERROR_IN_USE,          /* e.g. a disk image another VM uses */
  VMD_ENGINE_ERROR_TIMED_OUT,
} VmdEngineError;

GQuark vmd_engine_error_quark (void);

typedef enum {
  VMD_DOMAIN_STATE_SHUTOFF,
  VMD_DOMAIN_STATE_RUNNING,
  VMD_DOMAIN_STATE_PAUSED,
  VMD_DOMAIN_STATE_SHUTTING_DOWN,
  VMD_DOMAIN_STATE_CRASHED,
} VmdDomainState;

typedef enum {
  VMD_STATE_REASON_UNKNOWN,
  VMD_STATE_REASON_BOOTED,          /* running: started */
  VMD_STATE_REASON_UNPAUSED,        /* running: resumed */
  VMD_STATE_REASON_RESTORED,        /* running or paused: restored from a saved state */
  VMD_STATE_REASON_SNAPSHOT,        /* reverted to a snapshot */
  VMD_STATE_REASON_USER,            /* paused: by the user (or started paused) */
  VMD_STATE_REASON_INTERNAL_ERROR,  /* paused: the hypervisor stopped the guest */
  VMD_STATE_REASON_IO_ERROR,        /* paused: a disk failed */
  VMD_STATE_REASON_SHUTDOWN,        /* shut off: the guest powered off */
  VMD_STATE_REASON_DESTROYED,       /* shut off: forced off */
  VMD_STATE_REASON_SAVED,           /* shut off: state saved to a file */
  VMD_STATE_REASON_FAILED,          /* shut off: could not start */
  VMD_STATE_REASON_CRASHED,         /* crashed: the QEMU process died */
} VmdStateReason;

typedef enum {
  VMD_CONNECTION_FEATURE_NONE           = 0,
  VMD_CONNECTION_FEATURE_SNAPSHOTS      = 1 << 0,
  VMD_CONNECTION_FEATURE_SAVE           = 1 << 1,
  VMD_CONNECTION_FEATURE_HOTPLUG        = 1 << 2,
  VMD_CONNECTION_FEATURE_CLONE          = 1 << 3,
  VMD_CONNECTION_FEATURE_SCREENSHOT     = 1 << 4,
  VMD_CONNECTION_FEATURE_DISPLAY_FD     = 1 << 5,
  VMD_CONNECTION_FEATURE_SERIAL_CONSOLE = 1 << 6,
  VMD_CONNECTION_FEATURE_STATS          = 1 << 7,
  VMD_CONNECTION_FEATURE_AUTOSTART      = 1 << 8,
  VMD_CONNECTION_FEATURE_STORAGE        = 1 << 9,
  VMD_CONNECTION_FEATURE_MIGRATION      = 1 << 10,
} VmdConnectionFeatures;

typedef enum {
  VMD_START_NONE   = 0,
  VMD_START_PAUSED = 1 << 0,
  /* The caller shows the display at once: the engine connects a display
   * client before the CPUs run, so that the first picture is not missed
   * or delayed; vmd_domain_open_display_async() hands it out. */
  VMD_START_ATTACH_DISPLAY = 1 << 1,
} VmdStartFlags;

const char *vmd_domain_state_to_string (VmdDomainState state);
const char *vmd_state_reason_to_string (VmdStateReason reason);

G_END_DECLS
