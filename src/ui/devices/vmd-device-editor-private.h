/* vmd-device-editor-private.h: what the editors of each kind share: a
 * form of labelled rows, inline messages, and their constructors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every editor is a two-column form (label, field) built with the
 * helpers below, so all of them look alike and every field gets its
 * label as accessible name. A field's edits emit "changed" unless the
 * editor is loading.
 */
#pragma once

#include "vmd-device-editor.h"

G_BEGIN_DECLS

/* Options of a combo box: id, then label, ..., NULL. A NULL-free list
 * whose labels are marked with N_() and translated when added. */
typedef const char *const VmdEditorChoices[];

void             _vmd_devices_ensure_resources (void);
GtkGrid         *_vmd_editor_get_form        (VmdDeviceEditor *self);
gboolean         _vmd_editor_is_loading      (VmdDeviceEditor *self);
void             _vmd_editor_set_loading     (VmdDeviceEditor *self,
                                              gboolean         loading);
void             _vmd_editor_emit_changed    (VmdDeviceEditor *self);

/* Rows. @label is a translated label such as "Cache mode"; the field's
 * accessible name is the label. The field is returned (not a new ref). */
GtkWidget       *_vmd_editor_add_row         (VmdDeviceEditor *self,
                                              const char      *label,
                                              GtkWidget       *field);
GtkComboBoxText *_vmd_editor_add_combo       (VmdDeviceEditor *self,
                                              const char      *label,
                                              const char *const *choices);
GtkEntry        *_vmd_editor_add_entry       (VmdDeviceEditor *self,
                                              const char      *label);
GtkSpinButton   *_vmd_editor_add_spin        (VmdDeviceEditor *self,
                                              const char      *label,
                                              double           min,
                                              double           max,
                                              double           step);
GtkToggleButton *_vmd_editor_add_check       (VmdDeviceEditor *self,
                                              const char      *label);
GtkLabel        *_vmd_editor_add_value       (VmdDeviceEditor *self,
                                              const char      *label);
/* A message under the last row, hidden while empty; its accessible name
 * is @name (e.g. "Source error"). */
GtkLabel        *_vmd_editor_add_message     (VmdDeviceEditor *self,
                                              const char      *name);
/* @widget across both columns. */
void             _vmd_editor_add_wide        (VmdDeviceEditor *self,
                                              GtkWidget       *widget);
void             _vmd_editor_add_heading     (VmdDeviceEditor *self,
                                              const char      *text);
/* Connects @widget's edits to "changed". */
void             _vmd_editor_watch           (VmdDeviceEditor *self,
                                              GtkWidget       *widget);

void             _vmd_message_set            (GtkLabel        *message,
                                              const char      *text);
gboolean         _vmd_editor_fail            (GtkLabel        *message,
                                              GError         **error,
                                              const char      *text);

/* Selects @id, adding it (labelled by itself) when it is not a choice, so
 * a value vmdesk does not know survives a load and store. NULL selects
 * the "" choice when there is one. */
void             _vmd_combo_set              (GtkComboBoxText *combo,
                                              const char      *id);
/* The selected id, NULL for "" (the default). */
char            *_vmd_combo_get              (GtkComboBoxText *combo);
char            *_vmd_entry_get              (GtkEntry        *entry);
void             _vmd_entry_set              (GtkEntry        *entry,
                                              const char      *text);

/* What the fields held when the device was last loaded or stored, so that
 * store() writes only what the user changed: a definition written by
 * another tool keeps the details vmdesk does not show. */
void             _vmd_editor_snapshot        (VmdDeviceEditor *self);
gboolean         _vmd_field_changed          (gpointer         widget);
gboolean         _vmd_editor_any_changed     (VmdDeviceEditor *self);
/* A device that is not part of the definition yet (Add Hardware): every
 * field counts. */
gboolean         _vmd_editor_is_new          (VmdDeviceEditor *self);

/* Whether @a and @b have the same XML once @strip has removed from copies
 * of both what a running VM can take live. */
gboolean         _vmd_devices_equal_except   (VmdDevice       *a,
                                              VmdDevice       *b,
                                              void           (*strip) (VmdDevice *copy));
gboolean         _vmd_devices_equal          (VmdDevice       *a,
                                              VmdDevice       *b);

/* The callback of the VmdDomain call an editor's apply_live_async() makes
 * (the default apply_live_finish() then reads it): @user_data is the
 * editor's GTask, a reference the callback takes over, whose task data is
 * the call's finish function; the task returns TRUE or the call's error. */
typedef gboolean (*VmdDomainFinishFunc) (VmdDomain     *domain,
                                         GAsyncResult  *result,
                                         GError       **error);
void             _vmd_editor_domain_call_done (GObject      *source,
                                               GAsyncResult *result,
                                               gpointer      user_data);

/* The editors of each kind (vmd_device_editor_new() picks one); each
 * builds its rows in constructed(), after chaining up, then loads. */
GType            _vmd_disk_editor_get_type     (void);
GType            _vmd_nic_editor_get_type      (void);
GType            _vmd_graphics_editor_get_type (void);
GType            _vmd_video_editor_get_type    (void);
GType            _vmd_chardev_editor_get_type  (void);
GType            _vmd_hostdev_editor_get_type  (void);
GType            _vmd_simple_editor_get_type   (void);

/* The NIC editor: ask the guest agent for the card's addresses again. */
void             _vmd_nic_editor_refresh_address (VmdDeviceEditor *self);

/* The disk editor in Add Hardware: create the new image it offers (if
 * chosen) and point the device at it. */
void             _vmd_disk_editor_prepare_async  (VmdDeviceEditor     *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean         _vmd_disk_editor_prepare_finish (VmdDeviceEditor     *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
gboolean         _vmd_is_disk_editor         (VmdDeviceEditor *self);
/* Offer a new image (Add Hardware) instead of only an existing file. */
void             _vmd_disk_editor_offer_new_image (VmdDeviceEditor *self,
                                                   const char      *images_dir);

G_END_DECLS
