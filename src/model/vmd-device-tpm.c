/* vmd-device-tpm.c: a TPM
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include "vmd-device-tpm.h"
#include "vmd-device-private.h"

struct _VmdDeviceTpm
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceTpm, vmd_device_tpm, VMD_TYPE_DEVICE)

#define DEV(self) VMD_DEVICE (self)

static void
vmd_device_tpm_class_init (VmdDeviceTpmClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "tpm";
}

static void
vmd_device_tpm_init (VmdDeviceTpm *self)
{
}

/**
 * vmd_device_tpm_new:
 *
 * Returns: a detached TPM 2.0 emulated by swtpm, as Windows 11 needs:
 *   `<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>`
 */
VmdDeviceTpm *
vmd_device_tpm_new (void)
{
  VmdDeviceTpm *self = g_object_new (VMD_TYPE_DEVICE_TPM, NULL);

  vmd_device_tpm_set_model (self, "tpm-crb");
  vmd_device_tpm_set_backend_type (self, "emulator");
  vmd_device_tpm_set_backend_version (self, "2.0");
  return self;
}

char *
vmd_device_tpm_get_model (VmdDeviceTpm *self)
{
  return _vmd_device_get_attr (DEV (self), NULL, "model");
}

/**
 * vmd_device_tpm_set_model:
 * @model: (nullable): tpm-tis or tpm-crb; %NULL for libvirt's default
 */
void
vmd_device_tpm_set_model (VmdDeviceTpm *self, const char *model)
{
  _vmd_device_set_attr (DEV (self), NULL, "model", model);
}

char *
vmd_device_tpm_get_backend_type (VmdDeviceTpm *self)
{
  return _vmd_device_get_attr (DEV (self), "backend", "type");
}

/**
 * vmd_device_tpm_set_backend_type:
 * @type: (nullable): emulator or passthrough
 *
 * Only passthrough uses a host device, so another type drops it.
 */
void
vmd_device_tpm_set_backend_type (VmdDeviceTpm *self, const char *type)
{
  _vmd_device_set_attr (DEV (self), "backend", "type", type);
  if (g_strcmp0 (type, "passthrough") != 0 && _vmd_device_has (DEV (self), "backend/device"))
    _vmd_device_set_present (DEV (self), "backend/device", FALSE);
}

char *
vmd_device_tpm_get_backend_version (VmdDeviceTpm *self)
{
  return _vmd_device_get_attr (DEV (self), "backend", "version");
}

/**
 * vmd_device_tpm_set_backend_version:
 * @version: (nullable): "1.2" or "2.0"; %NULL for libvirt's default
 */
void
vmd_device_tpm_set_backend_version (VmdDeviceTpm *self, const char *version)
{
  _vmd_device_set_attr (DEV (self), "backend", "version", version);
}

char *
vmd_device_tpm_get_device_path (VmdDeviceTpm *self)
{
  return _vmd_device_get_attr (DEV (self), "backend/device", "path");
}

/**
 * vmd_device_tpm_set_device_path:
 * @path: (nullable): the host TPM a passthrough backend uses, such as
 *   /dev/tpm0; %NULL for libvirt's default (/dev/tpm0)
 */
void
vmd_device_tpm_set_device_path (VmdDeviceTpm *self, const char *path)
{
  _vmd_device_set_attr (DEV (self), "backend/device", "path", path);
}
