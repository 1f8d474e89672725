/* vmd-domain-config.h: a virtual machine definition (libvirt domain XML)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "vmd-device.h"
#include "vmd-model-error.h"

G_BEGIN_DECLS

#define VMD_TYPE_DOMAIN_CONFIG (vmd_domain_config_get_type ())
G_DECLARE_FINAL_TYPE (VmdDomainConfig, vmd_domain_config, VMD, DOMAIN_CONFIG, GObject)

typedef enum {
  VMD_FIRMWARE_BIOS,
  VMD_FIRMWARE_UEFI,
} VmdFirmware;

typedef enum {
  VMD_LIFECYCLE_POWEROFF,
  VMD_LIFECYCLE_REBOOT,
  VMD_LIFECYCLE_CRASH,
} VmdLifecycleEvent;

/* Loading and saving */
VmdDomainConfig *vmd_domain_config_new             (const char        *name);
VmdDomainConfig *vmd_domain_config_new_from_xml    (const char        *xml,
                                                    gssize             len,
                                                    GError           **error);
VmdDomainConfig *vmd_domain_config_new_from_file   (const char        *path,
                                                    GError           **error);
VmdDomainConfig *vmd_domain_config_copy            (VmdDomainConfig   *self);
char            *vmd_domain_config_to_xml          (VmdDomainConfig   *self);
gboolean         vmd_domain_config_save_to_file    (VmdDomainConfig   *self,
                                                    const char        *path,
                                                    GError           **error);

/* Validation */
gboolean         vmd_domain_config_validate        (VmdDomainConfig   *self,
                                                    GError           **error);
gboolean         vmd_domain_config_validate_schema (VmdDomainConfig   *self,
                                                    const char        *schema_path,
                                                    GError           **error);
const char      *vmd_domain_config_get_default_schema_path (void);

/* Identity */
char            *vmd_domain_config_get_domain_type (VmdDomainConfig   *self);
void             vmd_domain_config_set_domain_type (VmdDomainConfig   *self,
                                                    const char        *type);
char            *vmd_domain_config_get_name        (VmdDomainConfig   *self);
void             vmd_domain_config_set_name        (VmdDomainConfig   *self,
                                                    const char        *name);
char            *vmd_domain_config_get_uuid        (VmdDomainConfig   *self);
void             vmd_domain_config_set_uuid        (VmdDomainConfig   *self,
                                                    const char        *uuid);
void             vmd_domain_config_regenerate_uuid (VmdDomainConfig   *self);
char            *vmd_domain_config_get_title       (VmdDomainConfig   *self);
void             vmd_domain_config_set_title       (VmdDomainConfig   *self,
                                                    const char        *title);
char            *vmd_domain_config_get_description (VmdDomainConfig   *self);
void             vmd_domain_config_set_description (VmdDomainConfig   *self,
                                                    const char        *description);
GStrv            vmd_domain_config_get_tags        (VmdDomainConfig   *self);
void             vmd_domain_config_set_tags        (VmdDomainConfig   *self,
                                                    const char * const *tags);
char            *vmd_domain_config_get_os_id       (VmdDomainConfig   *self);
void             vmd_domain_config_set_os_id       (VmdDomainConfig   *self,
                                                    const char        *os_id);

/* Memory (KiB) and CPUs */
guint64          vmd_domain_config_get_memory      (VmdDomainConfig   *self);
void             vmd_domain_config_set_memory      (VmdDomainConfig   *self,
                                                    guint64            kib);
guint64          vmd_domain_config_get_current_memory (VmdDomainConfig *self);
void             vmd_domain_config_set_current_memory (VmdDomainConfig *self,
                                                       guint64          kib);
guint            vmd_domain_config_get_vcpus       (VmdDomainConfig   *self);
void             vmd_domain_config_set_vcpus       (VmdDomainConfig   *self,
                                                    guint              vcpus);
guint            vmd_domain_config_get_current_vcpus (VmdDomainConfig *self);
void             vmd_domain_config_set_current_vcpus (VmdDomainConfig *self,
                                                      guint            vcpus);
gboolean         vmd_domain_config_get_cpu_topology (VmdDomainConfig  *self,
                                                     guint            *sockets,
                                                     guint            *cores,
                                                     guint            *threads);
void             vmd_domain_config_set_cpu_topology (VmdDomainConfig  *self,
                                                     guint             sockets,
                                                     guint             cores,
                                                     guint             threads);
void             vmd_domain_config_clear_cpu_topology (VmdDomainConfig *self);
char            *vmd_domain_config_get_cpu_mode    (VmdDomainConfig   *self);
char            *vmd_domain_config_get_cpu_model   (VmdDomainConfig   *self);
void             vmd_domain_config_set_cpu         (VmdDomainConfig   *self,
                                                    const char        *mode,
                                                    const char        *model);

/* Operating system, firmware and boot */
char            *vmd_domain_config_get_os_type     (VmdDomainConfig   *self);
void             vmd_domain_config_set_os_type     (VmdDomainConfig   *self,
                                                    const char        *type);
char            *vmd_domain_config_get_arch        (VmdDomainConfig   *self);
void             vmd_domain_config_set_arch        (VmdDomainConfig   *self,
                                                    const char        *arch);
char            *vmd_domain_config_get_machine     (VmdDomainConfig   *self);
void             vmd_domain_config_set_machine     (VmdDomainConfig   *self,
                                                    const char        *machine);
VmdFirmware      vmd_domain_config_get_firmware    (VmdDomainConfig   *self);
void             vmd_domain_config_set_firmware    (VmdDomainConfig   *self,
                                                    VmdFirmware        firmware);
gboolean         vmd_domain_config_get_secure_boot (VmdDomainConfig   *self);
void             vmd_domain_config_set_secure_boot (VmdDomainConfig   *self,
                                                    gboolean           enabled);
char            *vmd_domain_config_get_loader      (VmdDomainConfig   *self);
void             vmd_domain_config_set_loader      (VmdDomainConfig   *self,
                                                    const char        *path,
                                                    gboolean           readonly,
                                                    const char        *type);
char            *vmd_domain_config_get_nvram       (VmdDomainConfig   *self);
char            *vmd_domain_config_get_nvram_template (VmdDomainConfig *self);
void             vmd_domain_config_set_nvram       (VmdDomainConfig   *self,
                                                    const char        *path,
                                                    const char        *template_path);
GStrv            vmd_domain_config_get_boot_devices (VmdDomainConfig  *self);
void             vmd_domain_config_set_boot_devices (VmdDomainConfig  *self,
                                                     const char *const *devices);
gboolean         vmd_domain_config_get_boot_menu   (VmdDomainConfig   *self);
void             vmd_domain_config_set_boot_menu   (VmdDomainConfig   *self,
                                                    gboolean           enabled);
char            *vmd_domain_config_get_kernel      (VmdDomainConfig   *self);
void             vmd_domain_config_set_kernel      (VmdDomainConfig   *self,
                                                    const char        *path);
char            *vmd_domain_config_get_initrd      (VmdDomainConfig   *self);
void             vmd_domain_config_set_initrd      (VmdDomainConfig   *self,
                                                    const char        *path);
char            *vmd_domain_config_get_cmdline     (VmdDomainConfig   *self);
void             vmd_domain_config_set_cmdline     (VmdDomainConfig   *self,
                                                    const char        *cmdline);

/* Features, clock, lifecycle */
gboolean         vmd_domain_config_get_feature     (VmdDomainConfig   *self,
                                                    const char        *feature);
void             vmd_domain_config_set_feature     (VmdDomainConfig   *self,
                                                    const char        *feature,
                                                    gboolean           enabled);
char            *vmd_domain_config_get_clock_offset (VmdDomainConfig  *self);
void             vmd_domain_config_set_clock_offset (VmdDomainConfig  *self,
                                                     const char       *offset);
char            *vmd_domain_config_get_lifecycle_action (VmdDomainConfig  *self,
                                                        VmdLifecycleEvent event);
gboolean         vmd_domain_config_set_lifecycle_action (VmdDomainConfig  *self,
                                                        VmdLifecycleEvent event,
                                                        const char       *action,
                                                        GError          **error);
char            *vmd_domain_config_get_emulator    (VmdDomainConfig   *self);
void             vmd_domain_config_set_emulator    (VmdDomainConfig   *self,
                                                    const char        *path);

/* Devices */
GPtrArray       *vmd_domain_config_get_devices     (VmdDomainConfig   *self,
                                                    GType              type);
GPtrArray       *vmd_domain_config_get_devices_of_kind (VmdDomainConfig *self,
                                                        const char      *kind);
void             vmd_domain_config_add_device      (VmdDomainConfig   *self,
                                                    VmdDevice         *device);
gboolean         vmd_domain_config_remove_device   (VmdDomainConfig   *self,
                                                    VmdDevice         *device);
gboolean         vmd_domain_config_move_device     (VmdDomainConfig   *self,
                                                    VmdDevice         *device,
                                                    guint              position);
char            *vmd_domain_config_generate_mac    (VmdDomainConfig   *self);

G_END_DECLS
