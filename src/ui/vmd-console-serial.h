/* vmd-console-serial.h: a serial port or text console in a terminal (VTE)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <vte/vte.h>

#include "vmd-console.h"

G_BEGIN_DECLS

#define VMD_TYPE_CONSOLE_SERIAL (vmd_console_serial_get_type ())
G_DECLARE_FINAL_TYPE (VmdConsoleSerial, vmd_console_serial, VMD, CONSOLE_SERIAL, VmdConsole)

VmdConsole  *vmd_console_serial_new          (VmdDomain        *domain,
                                              const char       *device,
                                              const char       *title);
const char  *vmd_console_serial_get_device   (VmdConsoleSerial *self);
VteTerminal *vmd_console_serial_get_terminal (VmdConsoleSerial *self);

G_END_DECLS
