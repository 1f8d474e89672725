/* vmd-device-rng.c: a random number generator
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include "vmd-device-rng.h"
#include "vmd-device-private.h"
#include "vmd-xml.h"

struct _VmdDeviceRng
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceRng, vmd_device_rng, VMD_TYPE_DEVICE)

#define DEV(self) VMD_DEVICE (self)

static void
vmd_device_rng_class_init (VmdDeviceRngClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "rng";
}

static void
vmd_device_rng_init (VmdDeviceRng *self)
{
}

/**
 * vmd_device_rng_new:
 *
 * Returns: a detached virtio RNG fed from the host's /dev/urandom:
 *   `<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>`
 */
VmdDeviceRng *
vmd_device_rng_new (void)
{
  VmdDeviceRng *self = g_object_new (VMD_TYPE_DEVICE_RNG, NULL);

  vmd_device_rng_set_model (self, "virtio");
  vmd_device_rng_set_backend_model (self, "random");
  vmd_device_rng_set_source_path (self, "/dev/urandom");
  return self;
}

char *
vmd_device_rng_get_model (VmdDeviceRng *self)
{
  return _vmd_device_get_attr (DEV (self), NULL, "model");
}

void
vmd_device_rng_set_model (VmdDeviceRng *self, const char *model)
{
  _vmd_device_set_attr (DEV (self), NULL, "model", model);
}

char *
vmd_device_rng_get_backend_model (VmdDeviceRng *self)
{
  return _vmd_device_get_attr (DEV (self), "backend", "model");
}

/**
 * vmd_device_rng_set_backend_model:
 * @model: (nullable): random, egd or builtin; %NULL removes the backend
 *
 * What a backend holds (a device path, an EGD socket) depends on its
 * model, so a new model starts from an empty backend.
 */
void
vmd_device_rng_set_backend_model (VmdDeviceRng *self, const char *model)
{
  g_autofree char *old = vmd_device_rng_get_backend_model (self);
  xmlNodePtr backend;

  if (model == NULL)
    {
      _vmd_device_set_present (DEV (self), "backend", FALSE);
      return;
    }

  _vmd_device_set_attr (DEV (self), "backend", "model", model);
  if (g_strcmp0 (old, model) == 0)
    return;

  backend = vmd_xml_find (_vmd_device_get_node (DEV (self)), "backend");
  if (backend->children != NULL)
    _vmd_device_set_text (DEV (self), "backend", "");
  if (vmd_xml_has_attr (backend, "type"))
    _vmd_device_set_attr (DEV (self), "backend", "type", NULL);
}

/**
 * vmd_device_rng_get_source_path:
 *
 * Returns: (nullable): the host device a random backend reads, or %NULL
 *   for another backend or for libvirt's default (/dev/urandom)
 */
char *
vmd_device_rng_get_source_path (VmdDeviceRng *self)
{
  g_autofree char *model = vmd_device_rng_get_backend_model (self);
  g_autofree char *path = NULL;

  if (g_strcmp0 (model, "random") != 0)
    return NULL;
  path = _vmd_device_get_text (DEV (self), "backend");
  if (path == NULL || *path == '\0')
    return NULL;
  return g_steal_pointer (&path);
}

/**
 * vmd_device_rng_set_source_path:
 * @path: (nullable): a host device such as /dev/urandom or /dev/hwrng;
 *   %NULL leaves the choice to libvirt
 *
 * Only a random backend reads a device, so a path makes the backend one.
 */
void
vmd_device_rng_set_source_path (VmdDeviceRng *self, const char *path)
{
  g_autofree char *model = vmd_device_rng_get_backend_model (self);

  if (path == NULL)
    {
      if (g_strcmp0 (model, "random") == 0)
        _vmd_device_set_text (DEV (self), "backend", "");
      return;
    }

  if (g_strcmp0 (model, "random") != 0)
    vmd_device_rng_set_backend_model (self, "random");
  _vmd_device_set_text (DEV (self), "backend", path);
}

/**
 * vmd_device_rng_get_rate_bytes:
 *
 * Returns: how many bytes the guest may read per period, or 0 for no limit
 */
guint
vmd_device_rng_get_rate_bytes (VmdDeviceRng *self)
{
  return (guint) _vmd_device_get_uint (DEV (self), "rate", "bytes", 0);
}

/**
 * vmd_device_rng_get_rate_period:
 *
 * Returns: the period in milliseconds, or 0 for QEMU's default (one second)
 */
guint
vmd_device_rng_get_rate_period (VmdDeviceRng *self)
{
  return (guint) _vmd_device_get_uint (DEV (self), "rate", "period", 0);
}

/**
 * vmd_device_rng_set_rate:
 * @bytes: bytes per period, or 0 to remove the limit
 * @period: the period in milliseconds, or 0 for the default
 */
void
vmd_device_rng_set_rate (VmdDeviceRng *self, guint bytes, guint period)
{
  if (bytes == 0)
    {
      _vmd_device_set_present (DEV (self), "rate", FALSE);
      return;
    }

  _vmd_device_set_uint (DEV (self), "rate", "bytes", bytes);
  if (period == 0)
    _vmd_device_set_attr (DEV (self), "rate", "period", NULL);
  else
    _vmd_device_set_uint (DEV (self), "rate", "period", period);
}
