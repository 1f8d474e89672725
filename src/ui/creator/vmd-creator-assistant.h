/* vmd-creator-assistant.h: the New VM assistant
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Install from an ISO, a network install tree, an existing disk image, a
 * kernel booted directly, or an empty VM; the OS detected with libosinfo
 * sets memory, CPUs, disk size and devices. Finishing creates the disk
 * image, defines the VM, starts it and emits "domain-created"; the caller
 * opens its console. Cancelling leaves nothing behind.
 */
#pragma once

#include <gtk/gtk.h>

#include "vmd-connection.h"

G_BEGIN_DECLS

#define VMD_TYPE_CREATOR_ASSISTANT (vmd_creator_assistant_get_type ())
G_DECLARE_FINAL_TYPE (VmdCreatorAssistant, vmd_creator_assistant, VMD, CREATOR_ASSISTANT, GtkAssistant)

/* Signal "domain-created" (VmdDomain *domain): defined and started. */
GtkWidget *vmd_creator_assistant_new (GtkWindow     *parent,
                                      VmdConnection *connection);

G_END_DECLS
