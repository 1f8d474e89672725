/* vmd-device-types.h: every device class of the model
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-device.h"
#include "vmd-device-chardev.h"
#include "vmd-device-controller.h"
#include "vmd-device-disk.h"
#include "vmd-device-filesystem.h"
#include "vmd-device-graphics.h"
#include "vmd-device-hostdev.h"
#include "vmd-device-input.h"
#include "vmd-device-interface.h"
#include "vmd-device-memballoon.h"
#include "vmd-device-redirdev.h"
#include "vmd-device-rng.h"
#include "vmd-device-sound.h"
#include "vmd-device-tpm.h"
#include "vmd-device-video.h"
#include "vmd-device-watchdog.h"
