/* gui-fixture.h: what the in-process GUI tests on the engine fixture
 * share: finding a widget by name, a screenshot of a window
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "../engine/engine-fixture.h"

GtkWidget *find_named (gpointer root, const char *name);
void save_window (GtkWidget *window, const char *file);
