/* vmd-device-video.c: a video adapter
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "vmdesk-model"

#include "vmd-device-video.h"
#include "vmd-device-private.h"
#include "vmd-xml.h"

struct _VmdDeviceVideo
{
  VmdDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (VmdDeviceVideo, vmd_device_video, VMD_TYPE_DEVICE)

#define DEV(self) VMD_DEVICE (self)

/* The order in which libvirt writes the attributes of <model>. */
static const char *const model_attribute_order[] = {
  "type", "ram", "vram", "vram64", "vgamem", "heads", "primary", "blob", NULL
};

/* Sets an attribute of <model>; a new one goes where libvirt writes it,
 * the others keep their place. Removing the last one removes <model>. */
static void
set_model_attr (VmdDeviceVideo *self, const char *name, const char *value)
{
  xmlNodePtr node = _vmd_device_get_node (DEV (self));

  if (value == NULL)
    {
      if (vmd_xml_has_attr (vmd_xml_child (node, "model"), name))
        _vmd_device_set_attr (DEV (self), "model", name, NULL);
      return;
    }
  vmd_xml_set_attr_ordered (vmd_xml_ensure (node, "model"), name, value, model_attribute_order);
  _vmd_device_changed (DEV (self));
}

static void
set_model_uint (VmdDeviceVideo *self, const char *name, guint value)
{
  char buf[16];

  if (value == 0)
    {
      set_model_attr (self, name, NULL);
      return;
    }
  g_snprintf (buf, sizeof buf, "%u", value);
  set_model_attr (self, name, buf);
}

static void
vmd_device_video_class_init (VmdDeviceVideoClass *klass)
{
  VmdDeviceClass *device_class = VMD_DEVICE_CLASS (klass);

  device_class->element_name = "video";
}

static void
vmd_device_video_init (VmdDeviceVideo *self)
{
}

/**
 * vmd_device_video_new:
 *
 * Returns: a detached primary virtio GPU with one head.
 */
VmdDeviceVideo *
vmd_device_video_new (void)
{
  VmdDeviceVideo *self = g_object_new (VMD_TYPE_DEVICE_VIDEO, NULL);

  vmd_device_video_set_model (self, "virtio");
  vmd_device_video_set_heads (self, 1);
  vmd_device_video_set_primary (self, TRUE);
  return self;
}

char *
vmd_device_video_get_model (VmdDeviceVideo *self)
{
  return _vmd_device_get_attr (DEV (self), "model", "type");
}

/**
 * vmd_device_video_set_model:
 * @model: (nullable): virtio, qxl, vga, bochs, ramfb, cirrus, none, …;
 *   %NULL removes the whole `<model>` so that libvirt picks the adapter
 *
 * Only QXL has RAM, VGA memory and 64-bit VRAM sizes; other models drop
 * them.
 */
void
vmd_device_video_set_model (VmdDeviceVideo *self, const char *model)
{
  if (model == NULL)
    {
      _vmd_device_set_present (DEV (self), "model", FALSE);
      return;
    }

  set_model_attr (self, "type", model);
  if (!g_str_equal (model, "qxl"))
    {
      set_model_attr (self, "ram", NULL);
      set_model_attr (self, "vgamem", NULL);
      set_model_attr (self, "vram64", NULL);
    }
}

/* In KiB; 0 when the definition leaves it to the default. */
guint
vmd_device_video_get_vram (VmdDeviceVideo *self)
{
  return (guint) _vmd_device_get_uint (DEV (self), "model", "vram", 0);
}

/**
 * vmd_device_video_set_vram:
 * @kib: the video memory in KiB; 0 for the model's default
 */
void
vmd_device_video_set_vram (VmdDeviceVideo *self, guint kib)
{
  set_model_uint (self, "vram", kib);
}

/* 0 when the definition leaves it to the default (one head). */
guint
vmd_device_video_get_heads (VmdDeviceVideo *self)
{
  return (guint) _vmd_device_get_uint (DEV (self), "model", "heads", 0);
}

/**
 * vmd_device_video_set_heads:
 * @heads: the number of displays; 0 for the default
 */
void
vmd_device_video_set_heads (VmdDeviceVideo *self, guint heads)
{
  set_model_uint (self, "heads", heads);
}

gboolean
vmd_device_video_get_accel3d (VmdDeviceVideo *self)
{
  return _vmd_device_get_bool (DEV (self), "model/acceleration", "accel3d", FALSE);
}

/* Off is the default, so turning it off removes the attribute. */
void
vmd_device_video_set_accel3d (VmdDeviceVideo *self, gboolean accel3d)
{
  _vmd_device_set_attr (DEV (self), "model/acceleration", "accel3d", accel3d ? "yes" : NULL);
}

/* The adapter the firmware and the guest's console use. */
gboolean
vmd_device_video_get_primary (VmdDeviceVideo *self)
{
  return _vmd_device_get_bool (DEV (self), "model", "primary", FALSE);
}

void
vmd_device_video_set_primary (VmdDeviceVideo *self, gboolean primary)
{
  set_model_attr (self, "primary", primary ? "yes" : NULL);
}
