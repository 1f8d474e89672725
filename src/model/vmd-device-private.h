/* vmd-device-private.h: what the model's own files share about devices
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <libxml/tree.h>

#include "vmd-device.h"
#include "vmd-domain-config.h"

G_BEGIN_DECLS

VmdDevice  *_vmd_device_new_for_node    (xmlNodePtr       node,
                                         VmdDomainConfig *config);
GType       _vmd_device_type_for_kind   (const char      *kind);
xmlNodePtr  _vmd_device_get_node        (VmdDevice       *self);
void        _vmd_device_attach          (VmdDevice       *self,
                                         VmdDomainConfig *config);
void        _vmd_device_detach          (VmdDevice       *self);
void        _vmd_device_changed         (VmdDevice       *self);

/* Shorthands for the typed accessors of the device classes: @path is
 * relative to the device element ("" or NULL for the element itself). */
char       *_vmd_device_get_attr        (VmdDevice       *self,
                                         const char      *path,
                                         const char      *attr);
void        _vmd_device_set_attr        (VmdDevice       *self,
                                         const char      *path,
                                         const char      *attr,
                                         const char      *value);
gboolean    _vmd_device_get_bool        (VmdDevice       *self,
                                         const char      *path,
                                         const char      *attr,
                                         gboolean         default_value);
void        _vmd_device_set_bool        (VmdDevice       *self,
                                         const char      *path,
                                         const char      *attr,
                                         gboolean         value);
guint64     _vmd_device_get_uint        (VmdDevice       *self,
                                         const char      *path,
                                         const char      *attr,
                                         guint64          default_value);
void        _vmd_device_set_uint        (VmdDevice       *self,
                                         const char      *path,
                                         const char      *attr,
                                         guint64          value);
char       *_vmd_device_get_text        (VmdDevice       *self,
                                         const char      *path);
void        _vmd_device_set_text        (VmdDevice       *self,
                                         const char      *path,
                                         const char      *text);
gboolean    _vmd_device_has             (VmdDevice       *self,
                                         const char      *path);
void        _vmd_device_set_present     (VmdDevice       *self,
                                         const char      *path,
                                         gboolean         present);

G_END_DECLS
