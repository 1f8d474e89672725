/* vmd-creator-private.h: shared by the files of the New VM assistant
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-creator-assistant.h"
#include "vmd-kvm-probe.h"
#include "vmd-osinfo.h"

G_BEGIN_DECLS

typedef enum {
  VMD_CREATOR_SOURCE_ISO,
  VMD_CREATOR_SOURCE_URL,
  VMD_CREATOR_SOURCE_IMPORT,
  VMD_CREATOR_SOURCE_KERNEL,
  VMD_CREATOR_SOURCE_MANUAL,
} VmdCreatorSource;

typedef enum {
  VMD_CREATOR_DISK_NEW,
  VMD_CREATOR_DISK_EXISTING,
  VMD_CREATOR_DISK_NONE,
} VmdCreatorDisk;

/* Everything the user chose; what vmd_creator_build_config () needs. */
typedef struct {
  VmdCreatorSource source;
  char            *name;
  char            *domain_type;   /* "kvm" or "qemu" (TCG) */
  VmdOsInfo       *os;
  guint64          memory_mib;
  guint            cpus;
  char            *iso;           /* ISO */
  char            *kernel;        /* KERNEL, URL (downloaded) */
  char            *initrd;
  char            *cmdline;
  char            *disk;          /* the VM's disk image, or NULL */
  char            *disk_format;
  char            *convert_from;  /* IMPORT: the foreign image to convert */
  gboolean         uefi;
  gboolean         tpm;
  char            *bridge;        /* NULL: user-mode NAT */
  gboolean         quick_boot;    /* throwaway: discarded on shutdown */
  gboolean         unattended;    /* ISO: install with libosinfo's script */
  char            *login;
  char            *password;
} VmdCreatorChoices;

void             vmd_creator_choices_free (VmdCreatorChoices *choices);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdCreatorChoices, vmd_creator_choices_free)

VmdDomainConfig *vmd_creator_build_config (const VmdCreatorChoices *choices,
                                           GError                 **error);
char            *vmd_creator_setting      (const char              *key,
                                           const char              *fallback);
char            *vmd_creator_images_dir   (VmdConnection           *connection);
char            *vmd_creator_unused_path  (const char              *dir,
                                           const char              *name,
                                           const char              *suffix);
char            *vmd_creator_format_size  (guint64                  bytes);
void             vmd_creator_download_async  (const char          *url,
                                              const char          *path,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean         vmd_creator_download_finish (GAsyncResult        *result,
                                              GError             **error);

struct _VmdCreatorAssistant
{
  GtkAssistant       parent_instance;

  VmdConnection     *connection;
  GCancellable      *cancellable;        /* everything; cancelled in dispose */
  GCancellable      *check_cancellable;  /* the current source check */
  guint              check_id;           /* debounce of the source check */
  guint              free_id;

  VmdCreatorSource   source;
  gboolean           source_ok;
  gboolean           checking;
  VmdOsInfo         *detected;           /* from the media or tree, or NULL */
  VmdOsInfo         *os;                 /* the chosen one; never NULL */
  char              *tree_kernel;        /* URL install: absolute URLs */
  char              *tree_initrd;
  char              *import_format;
  GPtrArray         *os_all;
  gboolean           os_list_loading;
  guint64            free_bytes;         /* in the image folder */
  gboolean           free_known;
  char              *images_dir;
  VmdKvmStatus       kvm;
  char              *kvm_message;
  gboolean           kvm_known;
  guint64            host_memory_mib;
  guint              host_cpus;
  gboolean           resources_set;      /* set from the OS once */
  gboolean           disk_set;
  gboolean           name_edited;

  /* What Finish made, undone on failure or cancel. */
  gboolean           busy;
  GPtrArray         *created_files;
  VmdDomain         *created_domain;
  VmdCreatorChoices *choices;
  VmdDomainConfig   *custom_config;      /* from "Customize…", or NULL */

  /* Template children */
  GtkWidget *source_page, *os_page, *resources_page, *storage_page, *finish_page, *progress_page;
  GtkWidget *radio_iso, *radio_url, *radio_import, *radio_kernel, *radio_manual;
  GtkWidget *source_stack, *source_spinner, *source_status_label;
  GtkWidget *iso_entry, *recent_list, *recent_heading;
  GtkWidget *url_entry, *url_args_entry;
  GtkWidget *import_entry, *import_convert_check;
  GtkWidget *kernel_entry, *initrd_entry, *kernel_args_entry;
  GtkWidget *os_icon, *os_name_label, *os_detail_label, *os_auto_check, *os_choose_box;
  GtkWidget *os_search_entry, *os_list, *unattended_check;
  GtkWidget *unattended_grid, *unattended_login_entry, *unattended_password_entry;
  GtkWidget *resources_hint_label, *memory_spin, *cpus_spin, *host_label, *resources_error_label;
  GtkWidget *radio_disk_new, *radio_disk_existing, *radio_disk_none;
  GtkWidget *disk_new_box, *disk_size_spin, *disk_free_label;
  GtkWidget *disk_existing_box, *existing_entry, *storage_error_label;
  GtkWidget *name_entry, *name_error_label, *network_combo, *firmware_combo, *accel_combo;
  GtkWidget *accel_label, *customize_check, *summary_label, *finish_error_label;
  GtkWidget *progress_spinner, *progress_label;
};

/* vmd-creator-source.c */
void vmd_creator_source_bind         (GtkWidgetClass      *widget_class);
void vmd_creator_fill_recent         (VmdCreatorAssistant *self);
void vmd_creator_browse              (VmdCreatorAssistant *self,
                                      GtkWidget           *entry,
                                      const char          *title,
                                      const char          *pattern_name,
                                      const char *const   *patterns);

/* vmd-creator-pages.c */
void vmd_creator_set_complete        (VmdCreatorAssistant *self,
                                      GtkWidget           *page,
                                      gboolean             complete);
char *vmd_creator_entry_path         (GtkWidget           *entry);
void vmd_creator_pages_init          (VmdCreatorAssistant *self);
void vmd_creator_pages_bind          (GtkWidgetClass      *widget_class);
void vmd_creator_source_changed      (VmdCreatorAssistant *self);
void vmd_creator_update_os           (VmdCreatorAssistant *self);
void vmd_creator_update_resources    (VmdCreatorAssistant *self);
void vmd_creator_update_storage      (VmdCreatorAssistant *self);
void vmd_creator_update_finish       (VmdCreatorAssistant *self);
void vmd_creator_set_error           (GtkWidget           *label,
                                      const char          *message);
VmdCreatorChoices *vmd_creator_collect_choices (VmdCreatorAssistant *self);

/* vmd-creator-assistant.c */
void vmd_creator_show_page_of        (VmdCreatorAssistant *self,
                                      GtkWidget           *page);
void vmd_creator_begin               (VmdCreatorAssistant *self);
void vmd_creator_customize_cancelled (VmdCreatorAssistant *self);

/* vmd-creator-customize.c */
void vmd_creator_customize           (VmdCreatorAssistant *self,
                                      VmdDomainConfig     *config);

G_END_DECLS
