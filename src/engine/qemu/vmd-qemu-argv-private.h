/* vmd-qemu-argv-private.h: what the files of the argv builder share
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libxml/tree.h>

#include "vmd-qemu-argv.h"

G_BEGIN_DECLS

/* One PCI bus the guest will have: the root bus or a bus made by a PCI
 * controller (bridge, root port, switch port, expander). */
typedef struct
{
  guint       index;          /* the controller index; 0 for the root */
  char       *id;             /* QEMU's name for the bus: pci.0, pcie.0, pci.N */
  char       *model;          /* libvirt's controller model */
  guint8      used[32];       /* used functions, one bit each, per slot */
  guint       min_slot;
  guint       max_slot;
  gboolean    is_port;        /* a root or downstream port: one slot, hot-pluggable */
  gboolean    pcie;           /* takes PCI Express endpoints */
  gboolean    automatic;      /* added by vmdesk, not in the definition */
  char       *parent;         /* for an automatic bus: the bus it sits on … */
  char       *addr;           /* … and its address there */
  guint       port;           /* … and its port number */
} VmdPciBus;

typedef struct
{
  VmdDomainConfig          *config;
  const VmdQemuArgvOptions *options;
  xmlNodePtr                root;
  xmlNodePtr                devices;

  /* The command line is assembled in parts so that PCI controllers
   * created while placing devices still come before those devices. */
  GPtrArray                *head;      /* machine, CPU, memory, … */
  GPtrArray                *ctrl;      /* PCI controllers */
  GPtrArray                *args;      /* devices and their backends */
  GPtrArray                *tail;

  char                     *machine;
  gboolean                  q35;
  gboolean                  i440fx;
  gboolean                  kvm;
  gboolean                  has_spice;
  gboolean                  has_vnc;
  gboolean                  shared_memory;  /* guest RAM in a shareable memfd */
  char                     *audiodev;       /* the backend sound devices use */

  GPtrArray                *pci_buses;      /* of VmdPciBus */
  gboolean                  pci_ports_in_xml;
  guint                     next_node;      /* blockdev node names */
  GHashTable               *bootindex;      /* device node → boot index */
  guint                     fdc_boot[2];    /* floppy A/B boot indexes */
  GHashTable               *usb_buses;      /* USB controller index → bus id */
  gboolean                  have_usb;
  GHashTable               *virtio_serial;  /* controller index → its ports */
  GHashTable               *virtio_ports;   /* channel or console → controller << 8 | port, + 1 */
  GHashTable               *scsi_models;    /* controller index → model */
  GHashTable               *sata_ctrls;     /* controller index → TRUE */
  gboolean                  need_isa_fdc;
  guint                     video_slot;     /* root bus slot kept for the primary video */
  struct _FirmwarePlan     *firmware;
  guint                     auto_bus;       /* where devices without an address go (pc) */
} VmdArgvBuilder;

/* vmd-qemu-argv.c: helpers, device IDs and the boot order */
void        _vmd_argv_add            (GPtrArray      *array,
                                      const char     *option,
                                      const char     *value);
void        _vmd_argv_add_json       (GPtrArray      *array,
                                      const char     *option,
                                      JsonObject     *object);
gboolean    _vmd_argv_add_device     (VmdArgvBuilder *b,
                                      JsonObject     *props);
gboolean    _vmd_argv_fail           (JsonObject     *props);
char       *_vmd_argv_keyval_escape  (const char     *value);
void        _vmd_argv_set_str        (char          **target,
                                      const char     *value);
JsonObject *_vmd_json_new            (void);
void        _vmd_json_str            (JsonObject     *object,
                                      const char     *member,
                                      const char     *value);
void        _vmd_json_int            (JsonObject     *object,
                                      const char     *member,
                                      gint64          value);
void        _vmd_json_bool           (JsonObject     *object,
                                      const char     *member,
                                      gboolean        value);
gboolean    _vmd_argv_unsupported    (GError        **error,
                                      const char     *format,
                                      ...) G_GNUC_PRINTF (2, 3);
gboolean    _vmd_argv_invalid        (GError        **error,
                                      const char     *format,
                                      ...) G_GNUC_PRINTF (2, 3);
char       *_vmd_argv_runtime_path   (VmdArgvBuilder *b,
                                      const char     *name,
                                      GError        **error);
void        _vmd_argv_set_bootindex  (VmdArgvBuilder *b,
                                      xmlNodePtr      device,
                                      JsonObject     *props);
guint       _vmd_argv_controller_index (xmlNodePtr  controller);
char       *_vmd_argv_device_id_for_node (xmlNodePtr  devices,
                                          xmlNodePtr  node);
gboolean    _vmd_argv_check_children (xmlNodePtr      node,
                                      const char     *what,
                                      const char *const *allowed,
                                      GError        **error);
gboolean    _vmd_argv_check_attrs    (xmlNodePtr      node,
                                      const char *const *allowed,
                                      GError        **error);
void        _vmd_argv_virtio_options (xmlNodePtr      device,
                                      JsonObject     *props);
gboolean    _vmd_argv_yes            (xmlNodePtr      node,
                                      const char     *path,
                                      const char     *attr);

/* vmd-qemu-argv-machine.c */
gboolean    _vmd_argv_check_domain   (VmdArgvBuilder *b,
                                      GError        **error);
void        _vmd_argv_firmware_plan_free (struct _FirmwarePlan *plan);
gboolean    _vmd_argv_build_machine  (VmdArgvBuilder *b,
                                      GError        **error);
gboolean    _vmd_argv_build_clock_and_boot (VmdArgvBuilder *b,
                                            GError        **error);
gboolean    _vmd_argv_build_platform_devices (VmdArgvBuilder *b,
                                              GError        **error);

/* vmd-qemu-argv-pci.c */
void        _vmd_argv_pci_bus_free   (gpointer        bus);
gboolean    _vmd_argv_pci_setup      (VmdArgvBuilder *b,
                                      GError        **error);
gboolean    _vmd_argv_build_pci_controllers (VmdArgvBuilder *b,
                                             GError        **error);
gboolean    _vmd_argv_finish_pci     (VmdArgvBuilder *b,
                                      GError        **error);
gboolean    _vmd_argv_is_pci_address (xmlNodePtr      device);
gboolean    _vmd_argv_place_pci      (VmdArgvBuilder *b,
                                      xmlNodePtr      device,
                                      JsonObject     *props,
                                      gboolean        pcie,
                                      GError        **error);
gboolean    _vmd_argv_place_usb      (VmdArgvBuilder *b,
                                      xmlNodePtr      device,
                                      JsonObject     *props,
                                      GError        **error);

/* vmd-qemu-argv-disks.c */
GPtrArray  *_vmd_argv_sorted_disks   (xmlNodePtr      devices);
char       *_vmd_argv_disk_bus       (xmlNodePtr      disk);
char       *_vmd_argv_disk_id        (xmlNodePtr      disk);
gboolean    _vmd_argv_build_storage_controllers (VmdArgvBuilder *b,
                                                 GError        **error);
gboolean    _vmd_argv_build_disks    (VmdArgvBuilder *b,
                                      GError        **error);

/* vmd-qemu-argv-net.c */
gboolean    _vmd_argv_build_interface (VmdArgvBuilder *b,
                                       xmlNodePtr      nic,
                                       guint           index,
                                       GError        **error);

/* vmd-qemu-argv-display.c */
gboolean    _vmd_argv_plan_audio     (VmdArgvBuilder *b,
                                      GError        **error);
gboolean    _vmd_argv_build_graphics (VmdArgvBuilder *b,
                                      GError        **error);
gboolean    _vmd_argv_build_videos   (VmdArgvBuilder *b,
                                      GError        **error);
gboolean    _vmd_argv_build_sound    (VmdArgvBuilder *b,
                                      xmlNodePtr      sound,
                                      GError        **error);
gboolean    _vmd_argv_build_input    (VmdArgvBuilder *b,
                                      xmlNodePtr      input,
                                      GError        **error);
guint       _vmd_argv_video_index    (xmlNodePtr      video);
xmlNodePtr  _vmd_argv_video_to_place (xmlNodePtr      devices,
                                      gboolean       *implicit);

/* vmd-qemu-argv-chardev.c */
void        _vmd_argv_virtio_serial_free (gpointer data);
gboolean    _vmd_argv_build_virtio_serial (VmdArgvBuilder *b,
                                           GError        **error);
gboolean    _vmd_argv_build_chardev  (VmdArgvBuilder *b,
                                      xmlNodePtr      device,
                                      const char     *alias,
                                      GError        **error);
gboolean    _vmd_argv_build_chardevs (VmdArgvBuilder *b,
                                      GError        **error);

/* vmd-qemu-argv-devices.c */
gboolean    _vmd_argv_check_devices  (VmdArgvBuilder *b,
                                      GError        **error);
gboolean    _vmd_argv_check_controllers (VmdArgvBuilder *b,
                                         GError        **error);
gboolean    _vmd_argv_build_usb_controllers (VmdArgvBuilder *b,
                                             GError        **error);
gboolean    _vmd_argv_build_devices  (VmdArgvBuilder *b,
                                      GError        **error);

G_END_DECLS
