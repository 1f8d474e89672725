/* vmd-details-device.h: the page of one device: its editor from
 * src/ui/devices, or a notice while there is none
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-details-page.h"

G_BEGIN_DECLS

#define VMD_TYPE_DETAILS_DEVICE (vmd_details_device_get_type ())
G_DECLARE_FINAL_TYPE (VmdDetailsDevice, vmd_details_device, VMD, DETAILS_DEVICE, VmdDetailsPage)

VmdDetailsPage *vmd_details_device_new        (VmdDomain       *domain,
                                               VmdDomainConfig *config,
                                               VmdDevice       *device);
VmdDevice      *vmd_details_device_get_device (VmdDetailsDevice *self);
/* The device editor (a VmdDeviceEditor), or NULL without one. */
GtkWidget      *vmd_details_device_get_editor (VmdDetailsDevice *self);

G_END_DECLS
