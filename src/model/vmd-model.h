/* vmd-model.h: the domain model, in one include
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-model-error.h"
#include "vmd-size.h"
#include "vmd-device-types.h"
#include "vmd-domain-config.h"
