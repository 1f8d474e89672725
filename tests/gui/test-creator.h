/* test-creator.h: what the New VM assistant's test files share
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "engine-fixture.h"
#include "vmd-creator-assistant.h"
#include "vmd-creator-private.h"
#include "vmd-domain-config-metadata.h"
#include "vmd-install-watcher.h"
#include "vmd-quick-boot.h"

enum { PAGE_SOURCE, PAGE_OS, PAGE_RESOURCES, PAGE_STORAGE, PAGE_FINISH, PAGE_PROGRESS };

typedef struct {
  GtkWidget  *label;
  const char *needle;
} LabelWait;
typedef struct {
  VmdDomain  *d;
  const char *key;
} KeyGone;

GtkWidget *ct_child (GtkWidget *a, const char *name);
void ct_shot (GtkWidget *window, const char *file);
GtkWidget *ct_button (GtkWidget *a, const char *label);
void ct_wait_button (GtkWidget *a, const char *label, gboolean sensitive, guint ms, const char *when);
void ct_press (GtkWidget *a, const char *label, int to);
void ct_type (GtkWidget *a, const char *entry, const char *text);
gboolean ct_label_has (gpointer data);
void ct_wait_label (GtkWidget *a, const char *label, const char *needle, guint ms);
GtkWidget *ct_open_assistant (Fixture *f, VmdDomain **created);
gboolean ct_ptr_set (gpointer data);
gboolean ct_kvm_known (gpointer data);
VmdDomain *ct_finish (Fixture *f, GtkWidget *a, VmdDomain **created, const char *name, const char *shot_file);
void ct_set_memory (GtkWidget *a, int mib, int cpus);
char *ct_images_dir (Fixture *f);
gboolean ct_key_gone (gpointer data);
guint ct_count_files (const char *dir);

/* test-creator-more.c */
void case_network (Fixture *f);
void case_watcher_not_starter (Fixture *f);
void case_quick_boot_keep (Fixture *f);
void case_import_vmdk (Fixture *f);
void case_os_defaults (Fixture *f);
void case_unattended (Fixture *f);
