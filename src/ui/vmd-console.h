/* vmd-console.h: one console of a virtual machine (graphical or text)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vmd-domain.h"

G_BEGIN_DECLS

typedef enum {
  VMD_CONSOLE_SCALING_ALWAYS,
  VMD_CONSOLE_SCALING_FULLSCREEN,  /* only while the window is fullscreen */
  VMD_CONSOLE_SCALING_NEVER,
} VmdConsoleScaling;

#define VMD_TYPE_CONSOLE (vmd_console_get_type ())
G_DECLARE_DERIVABLE_TYPE (VmdConsole, vmd_console, VMD, CONSOLE, GtkBin)

/* A console connects to its domain through the engine only: open() asks
 * the engine for a socket or stream and emits "connected" once the guest
 * answers, "disconnected" when the connection ends for any reason. */
struct _VmdConsoleClass
{
  GtkBinClass parent_class;

  void       (*open)        (VmdConsole *self);
  void       (*close)       (VmdConsole *self);
  GdkPixbuf *(*get_pixbuf)  (VmdConsole *self);
  void       (*set_scaled)  (VmdConsole *self,
                             gboolean    scaled);
  /* Whether the guest's resolution follows the widget's size; FALSE
   * where the protocol cannot ask the guest. */
  gboolean   (*set_resize_guest) (VmdConsole *self,
                                  gboolean    resize);

  gpointer padding[7];
};

VmdDomain  *vmd_console_get_domain      (VmdConsole *self);
const char *vmd_console_get_title       (VmdConsole *self);
gboolean    vmd_console_is_graphical    (VmdConsole *self);
gboolean    vmd_console_is_connected    (VmdConsole *self);
gboolean    vmd_console_is_connecting   (VmdConsole *self);
gboolean    vmd_console_get_grabbed     (VmdConsole *self);
const char *vmd_console_get_error       (VmdConsole *self);
void        vmd_console_open            (VmdConsole *self);
void        vmd_console_close           (VmdConsole *self);
GdkPixbuf  *vmd_console_get_pixbuf      (VmdConsole *self);
void        vmd_console_set_scaled      (VmdConsole *self,
                                         gboolean    scaled);
gboolean    vmd_console_set_resize_guest (VmdConsole *self,
                                          gboolean    resize);

/* For subclasses */
void        vmd_console_paint_black_below (GtkWidget *picture);
void        vmd_console_set_connecting  (VmdConsole *self);
void        vmd_console_set_connected   (VmdConsole *self);
void        vmd_console_set_disconnected (VmdConsole *self,
                                          const char *error);
void        vmd_console_set_grabbed     (VmdConsole *self,
                                         gboolean    grabbed);

G_END_DECLS
