/* vmd-qemu-argv.c: a domain definition turned into a QEMU command line
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The command line follows what libvirt's qemuBuildCommandLine() makes of
 * the same definition, so a VM behaves the same under both engines: the
 * same machine, CPU, device models, device IDs and boot order, with
 * -blockdev/-device/-netdev/-object taking JSON. Where the embedded engine
 * works differently it says so: consoles and the QMP monitor are unix
 * sockets in the VM's runtime folder, VNC starts without a listener
 * (clients arrive by fd passing) and SPICE listens on a unix socket.
 *
 * This file holds the entry point, the helpers, the device IDs and the
 * boot order; -machine.c the machine-wide options, -pci.c the placing of
 * devices, and -disks.c, -net.c, -display.c, -chardev.c and -devices.c
 * the devices.
 */
#define G_LOG_DOMAIN "vmdesk-argv"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vmd-device-private.h"
#include "vmd-domain-config-private.h"
#include "vmd-qemu-argv-private.h"
#include "vmd-xml.h"

G_DEFINE_QUARK (vmd-argv-error-quark, vmd_argv_error)

/* The longest path a unix socket address holds (sun_path). */
#define UNIX_PATH_MAX 108

/* ----------------------------------------------------------------- helpers */

gboolean
_vmd_argv_unsupported (GError **error, const char *format, ...)
{
  va_list args;

  if (error == NULL)
    return FALSE;
  va_start (args, format);
  *error = g_error_new_valist (VMD_ARGV_ERROR, VMD_ARGV_ERROR_UNSUPPORTED, format, args);
  va_end (args);
  return FALSE;
}

gboolean
_vmd_argv_invalid (GError **error, const char *format, ...)
{
  va_list args;

  if (error == NULL)
    return FALSE;
  va_start (args, format);
  *error = g_error_new_valist (VMD_ARGV_ERROR, VMD_ARGV_ERROR_INVALID, format, args);
  va_end (args);
  return FALSE;
}

void
_vmd_argv_add (GPtrArray *array, const char *option, const char *value)
{
  g_ptr_array_add (array, g_strdup (option));
  if (value != NULL)
    g_ptr_array_add (array, g_strdup (value));
}

static char *
node_to_json (JsonNode *node)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* Adds "-option {json}" and takes the object. */
void
_vmd_argv_add_json (GPtrArray *array, const char *option, JsonObject *object)
{
  JsonNode *node = json_node_init_object (json_node_alloc (), object);

  g_ptr_array_add (array, g_strdup (option));
  g_ptr_array_add (array, node_to_json (node));
  json_object_unref (object);
  json_node_unref (node);
}

/* A QemuOpts value: a literal comma is written twice. */
char *
_vmd_argv_keyval_escape (const char *value)
{
  GString *s = g_string_sized_new (strlen (value) + 8);

  for (const char *p = value; *p; p++)
    {
      if (*p == ',')
        g_string_append_c (s, ',');
      g_string_append_c (s, *p);
    }
  return g_string_free (s, FALSE);
}

void
_vmd_argv_set_str (char **target, const char *value)
{
  char *copy = g_strdup (value);

  g_free (*target);
  *target = copy;
}

JsonObject *
_vmd_json_new (void)
{
  return json_object_new ();
}

void
_vmd_json_str (JsonObject *object, const char *member, const char *value)
{
  json_object_set_string_member (object, member, value);
}

void
_vmd_json_int (JsonObject *object, const char *member, gint64 value)
{
  json_object_set_int_member (object, member, value);
}

void
_vmd_json_bool (JsonObject *object, const char *member, gboolean value)
{
  json_object_set_boolean_member (object, member, value);
}

/* The options every virtio device takes in its <driver>. */
void
_vmd_argv_virtio_options (xmlNodePtr device, JsonObject *props)
{
  xmlNodePtr driver = vmd_xml_child (device, "driver");

  if (vmd_xml_has_attr (driver, "iommu"))
    _vmd_json_bool (props, "iommu_platform", _vmd_argv_yes (driver, NULL, "iommu"));
  if (vmd_xml_has_attr (driver, "ats"))
    _vmd_json_bool (props, "ats", _vmd_argv_yes (driver, NULL, "ats"));
  if (vmd_xml_has_attr (driver, "packed"))
    _vmd_json_bool (props, "packed", _vmd_argv_yes (driver, NULL, "packed"));
  if (vmd_xml_has_attr (driver, "page_per_vq"))
    _vmd_json_bool (props, "page-per-vq", _vmd_argv_yes (driver, NULL, "page_per_vq"));
}

/* TRUE when @path/@attr of @node says yes or on. */
gboolean
_vmd_argv_yes (xmlNodePtr node, const char *path, const char *attr)
{
  return vmd_xml_get_bool_attr_at (node, path, attr, FALSE);
}

/* Refuses the first child element of @node not in @allowed. */
gboolean
_vmd_argv_check_children (xmlNodePtr         node,
                          const char        *what,
                          const char *const *allowed,
                          GError           **error)
{
  for (xmlNodePtr child = node ? node->children : NULL; child; child = child->next)
    {
      gboolean ok = FALSE;

      if (child->type != XML_ELEMENT_NODE)
        continue;
      for (guint i = 0; allowed[i] != NULL && !ok; i++)
        ok = strcmp (allowed[i], (const char *) child->name) == 0;
      if (!ok)
        return _vmd_argv_unsupported (error,
                                      _("The embedded engine cannot run a definition whose %s has <%s>; use libvirt for this virtual machine."),
                                      what, (const char *) child->name);
    }
  return TRUE;
}

char *
_vmd_argv_runtime_path (VmdArgvBuilder *b, const char *name, GError **error)
{
  g_autofree char *path = g_build_filename (b->options->runtime_dir, name, NULL);

  if (strlen (path) >= UNIX_PATH_MAX)
    {
      _vmd_argv_invalid (error,
                         _("The socket %s has a path too long for a unix socket; choose a shorter runtime folder."),
                         path);
      return NULL;
    }
  return g_steal_pointer (&path);
}

/* ----------------------------------------------------------- device IDs */

static guint
sibling_index (xmlNodePtr node)
{
  guint n = 0;

  for (xmlNodePtr p = node->prev; p; p = p->prev)
    if (p->type == XML_ELEMENT_NODE && xmlStrEqual (p->name, node->name))
      n++;
  return n;
}

static gboolean
is_usb2_model (const char *model)
{
  return g_strcmp0 (model, "ich9-ehci1") == 0 || g_strcmp0 (model, "ich9-uhci1") == 0 ||
         g_strcmp0 (model, "ich9-uhci2") == 0 || g_strcmp0 (model, "ich9-uhci3") == 0;
}

/* A controller's index: its own, or the one libvirt gives a controller
 * without: the lowest its type leaves free, counting the controllers
 * before it. */
guint
_vmd_argv_controller_index (xmlNodePtr node)
{
  g_autofree char *type = vmd_xml_get_attr (node, "type");
  g_autofree char *text = vmd_xml_get_attr (node, "index");
  g_autoptr (GHashTable) used = NULL;
  guint index = 0;

  if (text != NULL)
    return (guint) vmd_xml_get_uint_attr_at (node, NULL, "index", 0);

  /* An ICH9 USB 2 controller joins the group of the USB controller before
   * it while that group lacks its model, as libvirt groups them. */
  if (g_strcmp0 (type, "usb") == 0)
    {
      g_autofree char *model = vmd_xml_get_attr (node, "model");
      xmlNodePtr prev = NULL;

      for (xmlNodePtr c = node->prev; c && prev == NULL; c = c->prev)
        {
          g_autofree char *ctype = NULL;

          if (c->type != XML_ELEMENT_NODE || !xmlStrEqual (c->name, (const xmlChar *) "controller"))
            continue;
          ctype = vmd_xml_get_attr (c, "type");
          if (g_strcmp0 (ctype, "usb") == 0)
            prev = c;
        }
      if (prev != NULL && is_usb2_model (model))
        {
          g_autofree char *prev_model = vmd_xml_get_attr (prev, "model");
          guint group = _vmd_argv_controller_index (prev);
          gboolean taken = FALSE;

          for (xmlNodePtr c = prev; c && !taken; c = c->prev)
            {
              g_autofree char *ctype = NULL;
              g_autofree char *cmodel = NULL;

              if (c->type != XML_ELEMENT_NODE || !xmlStrEqual (c->name, (const xmlChar *) "controller"))
                continue;
              ctype = vmd_xml_get_attr (c, "type");
              cmodel = vmd_xml_get_attr (c, "model");
              taken = g_strcmp0 (ctype, "usb") == 0 && g_strcmp0 (cmodel, model) == 0 &&
                      _vmd_argv_controller_index (c) == group;
            }
          if (is_usb2_model (prev_model) && !taken)
            return group;
        }
    }

  used = g_hash_table_new (NULL, NULL);
  for (xmlNodePtr c = node->parent ? node->parent->children : NULL; c; c = c->next)
    {
      g_autofree char *ctype = NULL;

      if (c->type != XML_ELEMENT_NODE || !xmlStrEqual (c->name, (const xmlChar *) "controller"))
        continue;
      ctype = vmd_xml_get_attr (c, "type");
      if (g_strcmp0 (ctype, type) != 0)
        continue;
      if (c == node)
        break;
      if (vmd_xml_has_attr (c, "index"))
        g_hash_table_add (used, GUINT_TO_POINTER (vmd_xml_get_uint_attr_at (c, NULL, "index", 0)));
      else
        g_hash_table_add (used, GUINT_TO_POINTER (_vmd_argv_controller_index (c)));
    }
  /* Later controllers with an index of their own count too. */
  for (xmlNodePtr c = node->next; c; c = c->next)
    {
      g_autofree char *ctype = NULL;

      if (c->type != XML_ELEMENT_NODE || !xmlStrEqual (c->name, (const xmlChar *) "controller") ||
          !vmd_xml_has_attr (c, "index"))
        continue;
      ctype = vmd_xml_get_attr (c, "type");
      if (g_strcmp0 (ctype, type) == 0)
        g_hash_table_add (used, GUINT_TO_POINTER (vmd_xml_get_uint_attr_at (c, NULL, "index", 0)));
    }
  while (g_hash_table_contains (used, GUINT_TO_POINTER (index)))
    index++;
  return index;
}

static char *
controller_id (xmlNodePtr node)
{
  g_autofree char *type = vmd_xml_get_attr (node, "type");
  guint index = _vmd_argv_controller_index (node);

  if (g_strcmp0 (type, "usb") == 0)
    return index == 0 ? g_strdup ("usb") : g_strdup_printf ("usb%u", index);
  if (g_strcmp0 (type, "pci") == 0)
    return g_strdup_printf ("pci.%u", index);
  if (g_strcmp0 (type, "virtio-serial") == 0)
    return g_strdup_printf ("virtio-serial%u", index);
  return g_strdup_printf ("%s%u", type ? type : "controller", index);
}

/* The ID libvirt gives the device @node of @devices ("virtio-disk0",
 * "net1", "ua-mydisk"). */
char *
_vmd_argv_device_id_for_node (xmlNodePtr devices, xmlNodePtr node)
{
  g_autofree char *alias = vmd_xml_get_attr_at (node, "alias", "name");
  const char *kind = (const char *) node->name;
  static const struct { const char *kind; const char *prefix; } prefixes[] = {
    { "interface", "net" }, { "video", "video" }, { "sound", "sound" },
    { "input", "input" }, { "hostdev", "hostdev" }, { "redirdev", "redir" },
    { "rng", "rng" }, { "watchdog", "watchdog" }, { "tpm", "tpm" },
    { "filesystem", "fs" }, { "memballoon", "balloon" }, { "serial", "serial" },
    { "parallel", "parallel" }, { "channel", "channel" }, { "console", "console" },
    { "smartcard", "smartcard" }, { "hub", "hub" }, { "panic", "panic" },
    { "shmem", "shmem" }, { "memory", "dimm" }, { "vsock", "vsock" },
    { "iommu", "iommu" }, { "crypto", "crypto" }, { "graphics", "graphics" },
  };

  if (alias != NULL && g_str_has_prefix (alias, "ua-"))
    return g_steal_pointer (&alias);

  if (g_str_equal (kind, "disk"))
    return _vmd_argv_disk_id (node);
  if (g_str_equal (kind, "controller"))
    return controller_id (node);
  if (g_str_equal (kind, "video"))
    return g_strdup_printf ("video%u", _vmd_argv_video_index (node));
  if (g_str_equal (kind, "console"))
    {
      /* With serial ports, libvirt's console 0 is serial port 0; a first
       * console of another kind moves up one. */
      xmlNodePtr first = vmd_xml_child (devices, "console");
      g_autofree char *type = vmd_xml_get_attr_at (first, "target", "type");
      guint index = sibling_index (node);

      if (vmd_xml_child (devices, "serial") != NULL && type != NULL && !g_str_equal (type, "serial"))
        index++;
      else if (index == 0 && (type == NULL || g_str_equal (type, "serial")))
        return g_strdup ("serial0");
      return g_strdup_printf ("console%u", index);
    }

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_equal (kind, prefixes[i].kind))
      return g_strdup_printf ("%s%u", prefixes[i].prefix, sibling_index (node));
  return g_strdup_printf ("%s%u", kind, sibling_index (node));
}

/**
 * vmd_qemu_argv_device_id:
 * @device: a device of a definition
 *
 * The QEMU device ID vmd_qemu_argv_build() gives @device, for
 * `device_del` and friends. IDs of numbered devices ("net1") count the
 * devices of the same kind before @device, so take the ID before removing
 * a device from the definition.
 *
 * Returns: (transfer full) (nullable): the ID, or %NULL for a device that
 *   is not part of a definition
 */
char *
vmd_qemu_argv_device_id (VmdDevice *device)
{
  xmlNodePtr node;

  g_return_val_if_fail (VMD_IS_DEVICE (device), NULL);

  node = _vmd_device_get_node (device);
  if (node == NULL || node->parent == NULL)
    return NULL;
  return _vmd_argv_device_id_for_node (node->parent, node);
}

/**
 * vmd_qemu_argv_chardev_socket:
 * @options: the options the VM was started with
 * @device: a serial port, console or channel
 *
 * Returns: (transfer full) (nullable): the unix socket in the runtime
 *   folder where QEMU serves @device, or %NULL when it has none (a file,
 *   the null device, a SPICE channel)
 */
char *
vmd_qemu_argv_chardev_socket (const VmdQemuArgvOptions *options, VmdDevice *device)
{
  g_autofree char *id = NULL;
  g_autofree char *type = NULL;
  g_autofree char *name = NULL;
  xmlNodePtr node;

  g_return_val_if_fail (options != NULL && options->runtime_dir != NULL, NULL);
  g_return_val_if_fail (VMD_IS_DEVICE (device), NULL);

  node = _vmd_device_get_node (device);
  type = vmd_xml_get_attr (node, "type");
  if (g_strcmp0 (type, "file") == 0 || g_strcmp0 (type, "null") == 0 ||
      g_strcmp0 (type, "spicevmc") == 0 || g_strcmp0 (type, "qemu-vdagent") == 0 ||
      g_strcmp0 (type, "spiceport") == 0 || g_strcmp0 (type, "dev") == 0)
    return NULL;
  id = vmd_qemu_argv_device_id (device);
  if (id == NULL)
    return NULL;
  name = g_strdup_printf ("chardev-%s.sock", id);
  return g_build_filename (options->runtime_dir, name, NULL);
}

gboolean
_vmd_argv_add_device (VmdArgvBuilder *b, JsonObject *props)
{
  _vmd_argv_add_json (b->args, "-device", props);
  return TRUE;
}

gboolean
_vmd_argv_fail (JsonObject *props)
{
  json_object_unref (props);
  return FALSE;
}

gboolean
_vmd_argv_check_attrs (xmlNodePtr node, const char *const *allowed, GError **error)
{
  for (xmlAttrPtr a = node ? node->properties : NULL; a; a = a->next)
    {
      gboolean ok = FALSE;
      for (guint i = 0; allowed[i] && !ok; i++)
        ok = xmlStrEqual (a->name, (const xmlChar *) allowed[i]);
      if (!ok)
        return _vmd_argv_unsupported (error,
                                      _("The embedded engine cannot run <%s %s='…'>; use libvirt for this virtual machine."),
                                      (const char *) node->name, (const char *) a->name);
    }
  return TRUE;
}

/* -------------------------------------------------------------- booting */

void
_vmd_argv_set_bootindex (VmdArgvBuilder *b, xmlNodePtr device, JsonObject *props)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (b->bootindex, device));

  if (index > 0)
    _vmd_json_int (props, "bootindex", index);
}

static gboolean
plan_boot_order (VmdArgvBuilder *b, GError **error)
{
  g_auto (GStrv) devs = vmd_domain_config_get_boot_devices (b->config);
  gboolean per_device = FALSE;
  g_autofree char *kernel = vmd_domain_config_get_kernel (b->config);
  guint hd = 0, cdrom = 0, fd = 0, net = 0;
  g_autoptr (GPtrArray) disks = NULL;

  for (xmlNodePtr d = b->devices ? b->devices->children : NULL; d; d = d->next)
    {
      guint order;

      if (d->type != XML_ELEMENT_NODE || vmd_xml_child (d, "boot") == NULL)
        continue;
      order = (guint) vmd_xml_get_uint_attr_at (d, "boot", "order", 0);
      if (order == 0)
        return _vmd_argv_invalid (error,
                                  _("A device (<%s>) has a boot element without an order."),
                                  (const char *) d->name);
      per_device = TRUE;
      g_hash_table_insert (b->bootindex, d, GUINT_TO_POINTER (order));
    }
  if (per_device && devs[0] != NULL)
    return _vmd_argv_invalid (error,
                              _("The definition sets a boot order both with <boot dev> and on devices; use one of the two."));
  if (per_device)
    return TRUE;

  if (devs[0] == NULL)
    {
      if (kernel != NULL)
        return TRUE;
      g_strfreev (devs);
      devs = g_new0 (char *, 2);
      devs[0] = g_strdup ("hd");
    }

  for (guint i = 0; devs[i] != NULL; i++)
    {
      if (g_str_equal (devs[i], "hd"))
        hd = hd ? hd : i + 1;
      else if (g_str_equal (devs[i], "cdrom"))
        cdrom = cdrom ? cdrom : i + 1;
      else if (g_str_equal (devs[i], "fd"))
        fd = fd ? fd : i + 1;
      else if (g_str_equal (devs[i], "network"))
        net = net ? net : i + 1;
      else
        return _vmd_argv_invalid (error,
                                  _("The definition boots from '%s', which is not a boot device (hd, cdrom, fd or network)."),
                                  devs[i]);
    }

  /* The first disk of each kind, in libvirt's disk order. */
  disks = _vmd_argv_sorted_disks (b->devices);
  for (guint i = 0; i < disks->len; i++)
    {
      xmlNodePtr d = g_ptr_array_index (disks, i);
      g_autofree char *device = vmd_xml_get_attr (d, "device");
      guint *want;

      if (device == NULL || g_str_equal (device, "disk") || g_str_equal (device, "lun"))
        want = &hd;
      else if (g_str_equal (device, "cdrom"))
        want = &cdrom;
      else if (g_str_equal (device, "floppy"))
        want = &fd;
      else
        continue;
      if (*want != 0)
        {
          g_hash_table_insert (b->bootindex, d, GUINT_TO_POINTER (*want));
          *want = 0;
        }
    }
  if (net != 0)
    {
      xmlNodePtr nic = vmd_xml_child (b->devices, "interface");
      if (nic != NULL)
        g_hash_table_insert (b->bootindex, nic, GUINT_TO_POINTER (net));
    }
  return TRUE;
}

static char *
find_binary (VmdArgvBuilder *b)
{
  g_autofree char *emulator = NULL;

  if (b->options->qemu_binary != NULL)
    return g_strdup (b->options->qemu_binary);
  emulator = vmd_domain_config_get_emulator (b->config);
  if (emulator != NULL && *emulator != '\0')
    return g_steal_pointer (&emulator);
  return g_strdup ("qemu-system-x86_64");
}

static void
builder_clear (VmdArgvBuilder *b)
{
  g_clear_pointer (&b->head, g_ptr_array_unref);
  g_clear_pointer (&b->ctrl, g_ptr_array_unref);
  g_clear_pointer (&b->args, g_ptr_array_unref);
  g_clear_pointer (&b->tail, g_ptr_array_unref);
  g_clear_pointer (&b->pci_buses, g_ptr_array_unref);
  g_clear_pointer (&b->bootindex, g_hash_table_unref);
  g_clear_pointer (&b->usb_buses, g_hash_table_unref);
  g_clear_pointer (&b->virtio_serial, g_hash_table_unref);
  g_clear_pointer (&b->virtio_ports, g_hash_table_unref);
  g_clear_pointer (&b->scsi_models, g_hash_table_unref);
  g_clear_pointer (&b->sata_ctrls, g_hash_table_unref);
  g_clear_pointer (&b->machine, g_free);
  g_clear_pointer (&b->firmware, _vmd_argv_firmware_plan_free);
  g_clear_pointer (&b->audiodev, g_free);
}

static gboolean
build_all (VmdArgvBuilder *b, GError **error)
{
  g_autofree char *name = vmd_domain_config_get_name (b->config);
  g_autofree char *uuid = vmd_domain_config_get_uuid (b->config);
  g_autofree char *escaped = NULL;
  g_autofree char *guest = NULL;
  g_autofree char *qmp = NULL;
  g_autofree char *qmp_opts = NULL;
  g_autofree char *qmp_escaped = NULL;

  if (!_vmd_argv_check_domain (b, error))
    return FALSE;

  escaped = _vmd_argv_keyval_escape (name);
  guest = g_strdup_printf ("guest=%s,debug-threads=on", escaped);
  _vmd_argv_add (b->head, "-name", guest);
  if (uuid != NULL)
    _vmd_argv_add (b->head, "-uuid", g_strstrip (uuid));
  if (b->options->start_paused)
    _vmd_argv_add (b->head, "-S", NULL);

  if (!_vmd_argv_build_machine (b, error))
    return FALSE;

  _vmd_argv_add (b->head, "-no-user-config", NULL);
  _vmd_argv_add (b->head, "-nodefaults", NULL);

  qmp = _vmd_argv_runtime_path (b, "qmp.sock", error);
  if (qmp == NULL)
    return FALSE;
  qmp_escaped = _vmd_argv_keyval_escape (qmp);
  qmp_opts = g_strdup_printf ("socket,id=charmonitor,path=%s,server=on,wait=off", qmp_escaped);
  _vmd_argv_add (b->head, "-chardev", qmp_opts);
  _vmd_argv_add (b->head, "-mon", "chardev=charmonitor,id=monitor,mode=control");

  if (!plan_boot_order (b, error) || !_vmd_argv_build_clock_and_boot (b, error))
    return FALSE;

  if (!_vmd_argv_check_devices (b, error) || !_vmd_argv_pci_setup (b, error) ||
      !_vmd_argv_build_pci_controllers (b, error))
    return FALSE;
  if (!_vmd_argv_build_usb_controllers (b, error) ||
      !_vmd_argv_build_storage_controllers (b, error) ||
      !_vmd_argv_build_disks (b, error) ||
      !_vmd_argv_build_devices (b, error) ||
      !_vmd_argv_build_platform_devices (b, error) ||
      !_vmd_argv_finish_pci (b, error))
    return FALSE;

  _vmd_argv_add (b->tail, "-msg", "timestamp=on");
  if (b->options->incoming_defer)
    _vmd_argv_add (b->tail, "-incoming", "defer");
  if (b->options->daemonize)
    {
      if (b->options->pidfile == NULL || b->options->logfile == NULL)
        return _vmd_argv_invalid (error,
                                  _("A detached QEMU needs a PID file and a log file."));
      _vmd_argv_add (b->tail, "-daemonize", NULL);
      _vmd_argv_add (b->tail, "-pidfile", b->options->pidfile);
      _vmd_argv_add (b->tail, "-D", b->options->logfile);
    }
  return TRUE;
}

/**
 * vmd_qemu_argv_build:
 * @config: the definition
 * @options: where the VM's sockets go and how QEMU starts
 * @error: %VMD_ARGV_ERROR_UNSUPPORTED when the definition asks for
 *   something the embedded engine cannot run (the message names the
 *   element), %VMD_ARGV_ERROR_INVALID when it is inconsistent
 *
 * Returns: (transfer full): the QEMU command line, binary first
 */
GStrv
vmd_qemu_argv_build (VmdDomainConfig           *config,
                     const VmdQemuArgvOptions  *options,
                     GError                   **error)
{
  VmdArgvBuilder b = { 0 };
  g_autoptr (GPtrArray) argv = NULL;
  gboolean ok;

  g_return_val_if_fail (VMD_IS_DOMAIN_CONFIG (config), NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options->runtime_dir == NULL || !g_path_is_absolute (options->runtime_dir))
    {
      _vmd_argv_invalid (error, _("The virtual machine has no runtime folder."));
      return NULL;
    }

  b.config = config;
  b.options = options;
  b.root = _vmd_domain_config_get_root (config);
  b.devices = vmd_xml_child (b.root, "devices");
  b.head = g_ptr_array_new_with_free_func (g_free);
  b.ctrl = g_ptr_array_new_with_free_func (g_free);
  b.args = g_ptr_array_new_with_free_func (g_free);
  b.tail = g_ptr_array_new_with_free_func (g_free);
  b.pci_buses = g_ptr_array_new_with_free_func (_vmd_argv_pci_bus_free);
  b.bootindex = g_hash_table_new (NULL, NULL);
  b.usb_buses = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  b.virtio_serial = g_hash_table_new_full (NULL, NULL, NULL, _vmd_argv_virtio_serial_free);
  b.virtio_ports = g_hash_table_new (NULL, NULL);
  b.scsi_models = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  b.sata_ctrls = g_hash_table_new (NULL, NULL);

  ok = build_all (&b, error);
  if (ok)
    {
      argv = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (argv, find_binary (&b));
      g_ptr_array_extend_and_steal (argv, g_steal_pointer (&b.head));
      g_ptr_array_extend_and_steal (argv, g_steal_pointer (&b.ctrl));
      g_ptr_array_extend_and_steal (argv, g_steal_pointer (&b.args));
      g_ptr_array_extend_and_steal (argv, g_steal_pointer (&b.tail));
      g_ptr_array_add (argv, NULL);
    }
  builder_clear (&b);
  if (!ok)
    return NULL;
  return (GStrv) g_ptr_array_free (g_steal_pointer (&argv), FALSE);
}

/* ------------------------------------------------------------- display */

/* Options that stand alone; every other option takes the next word. */
static const char *const lone_options[] = {
  "-S", "-no-user-config", "-nodefaults", "-no-shutdown", "-no-reboot", "-daemonize",
  "-no-acpi", "-no-hpet", "-full-screen", "-enable-kvm", "-mem-prealloc", NULL
};

static gboolean
is_lone_option (const char *arg)
{
  return g_strv_contains (lone_options, arg);
}

static void
append_quoted (GString *s, const char *arg)
{
  gboolean plain = *arg != '\0';

  for (const char *p = arg; *p && plain; p++)
    plain = g_ascii_isalnum (*p) || strchr ("-_./=,:@+%", *p) != NULL;
  if (plain)
    {
      g_string_append (s, arg);
      return;
    }
  g_string_append_c (s, '\'');
  for (const char *p = arg; *p; p++)
    {
      if (*p == '\'')
        g_string_append (s, "'\\''");
      else
        g_string_append_c (s, *p);
    }
  g_string_append_c (s, '\'');
}

/**
 * vmd_qemu_argv_to_string:
 * @argv: a command line
 *
 * Renders @argv for people: shell-quoted, one option and its value per
 * line, lines joined with " \" like libvirt's .args files. Pasted into a
 * shell it runs the same command.
 */
char *
vmd_qemu_argv_to_string (const char *const *argv)
{
  GString *s = g_string_new (NULL);

  g_return_val_if_fail (argv != NULL, NULL);

  for (guint i = 0; argv[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (s, " \\\n");
      append_quoted (s, argv[i]);
      if (i > 0 && argv[i][0] == '-' && !is_lone_option (argv[i]) && argv[i + 1] != NULL)
        {
          g_string_append_c (s, ' ');
          append_quoted (s, argv[++i]);
        }
    }
  return g_string_free (s, FALSE);
}
