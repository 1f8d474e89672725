/* vmd-qemu-argv-chardev.c: serial ports, consoles, channels
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each port is a unix socket in the runtime folder where the engine
 * attaches its console, unless the definition writes to a file, discards,
 * or talks to SPICE. Virtio serial ports get libvirt's port numbers.
 */
#define G_LOG_DOMAIN "vmdesk-argv"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vmd-qemu-argv-private.h"
#include "vmd-xml.h"

/* ------------------------------------------------------- virtio serial */

typedef struct
{
  guint      index;
  guint      max_ports;
  guint32    used;
  xmlNodePtr node;   /* NULL when libvirt would add it */
  char      *id;
} VirtioSerial;

void
_vmd_argv_virtio_serial_free (gpointer data)
{
  VirtioSerial *vs = data;

  g_free (vs->id);
  g_free (vs);
}

static VirtioSerial *
virtio_serial_add (VmdArgvBuilder *b, guint index, xmlNodePtr node)
{
  VirtioSerial *vs = g_new0 (VirtioSerial, 1);

  vs->index = index;
  vs->node = node;
  vs->max_ports = node && vmd_xml_has_attr (node, "ports")
                  ? (guint) MIN (vmd_xml_get_uint_attr_at (node, NULL, "ports", 31), 31) : 31;
  vs->id = node ? _vmd_argv_device_id_for_node (b->devices, node)
                : g_strdup_printf ("virtio-serial%u", index);
  g_hash_table_insert (b->virtio_serial, GUINT_TO_POINTER (index), vs);
  return vs;
}

static gboolean
is_virtio_port (xmlNodePtr d)
{
  g_autofree char *target = NULL;

  if (d->type != XML_ELEMENT_NODE ||
      (!xmlStrEqual (d->name, (const xmlChar *) "channel") &&
       !xmlStrEqual (d->name, (const xmlChar *) "console")))
    return FALSE;
  target = vmd_xml_get_attr_at (d, "target", "type");
  return g_strcmp0 (target, "virtio") == 0;
}

static gint
compare_virtio_serial (gconstpointer a, gconstpointer b)
{
  const VirtioSerial *x = *(VirtioSerial *const *) a;
  const VirtioSerial *y = *(VirtioSerial *const *) b;
  return (gint) x->index - (gint) y->index;
}

static GPtrArray *
virtio_serial_sorted (VmdArgvBuilder *b)
{
  GPtrArray *list = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, b->virtio_serial);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (list, value);
  g_ptr_array_sort (list, compare_virtio_serial);
  return list;
}

/* Virtio serial ports get their controller and port number here, as
 * libvirt gives them: the definition's, else the first free one (port 0
 * only for consoles), on a new controller when the others are full. */
static gboolean
plan_virtio_serial (VmdArgvBuilder *b, GError **error)
{
  for (xmlNodePtr c = vmd_xml_child (b->devices, "controller"); c;
       c = vmd_xml_next_element (c, "controller"))
    {
      g_autofree char *type = vmd_xml_get_attr (c, "type");
      if (g_strcmp0 (type, "virtio-serial") == 0)
        virtio_serial_add (b, _vmd_argv_controller_index (c), c);
    }

  for (xmlNodePtr d = b->devices ? b->devices->children : NULL; d; d = d->next)
    {
      xmlNodePtr address = vmd_xml_child (d, "address");
      g_autofree char *type = vmd_xml_get_attr (address, "type");
      VirtioSerial *vs;
      guint index, port;

      if (!is_virtio_port (d) || g_strcmp0 (type, "virtio-serial") != 0)
        continue;
      index = (guint) vmd_xml_get_uint_attr_at (address, NULL, "controller", 0);
      vs = g_hash_table_lookup (b->virtio_serial, GUINT_TO_POINTER (index));
      if (vs == NULL)
        vs = virtio_serial_add (b, index, NULL);
      if (!vmd_xml_has_attr (address, "port"))
        continue;
      port = (guint) vmd_xml_get_uint_attr_at (address, NULL, "port", 0);
      if (port > 31 || (vs->used & (1u << port)))
        return _vmd_argv_invalid (error, _("Two virtio serial ports use port %u of the controller %u."),
                                  port, index);
      vs->used |= 1u << port;
      g_hash_table_insert (b->virtio_ports, d, GUINT_TO_POINTER ((index << 8 | port) + 1));
    }

  /* Ports without an address go to controller 0, which libvirt adds
   * when the definition lacks it. */
  for (xmlNodePtr d = b->devices ? b->devices->children : NULL; d; d = d->next)
    {
      g_autofree char *type = NULL;

      if (!is_virtio_port (d))
        continue;
      type = vmd_xml_get_attr_at (d, "address", "type");
      if (g_strcmp0 (type, "virtio-serial") != 0 &&
          !g_hash_table_contains (b->virtio_serial, GUINT_TO_POINTER (0)))
        virtio_serial_add (b, 0, NULL);
    }

  /* Consoles first, as libvirt assigns them. */
  for (guint pass = 0; pass < 2; pass++)
    for (xmlNodePtr d = b->devices ? b->devices->children : NULL; d; d = d->next)
      {
        gboolean console;
        g_autoptr (GPtrArray) list = NULL;
        xmlNodePtr address;
        g_autofree char *type = NULL;
        gboolean fixed_controller;
        guint want = 0;
        gboolean placed = FALSE;

        if (!is_virtio_port (d) || g_hash_table_contains (b->virtio_ports, d))
          continue;
        console = xmlStrEqual (d->name, (const xmlChar *) "console");
        /* Consoles without an address are numbered by QEMU, as under
         * libvirt: the first gets port 0. */
        if (console)
          continue;
        if (console != (pass == 0))
          continue;
        address = vmd_xml_child (d, "address");
        type = vmd_xml_get_attr (address, "type");
        fixed_controller = g_strcmp0 (type, "virtio-serial") == 0;
        if (fixed_controller)
          want = (guint) vmd_xml_get_uint_attr_at (address, NULL, "controller", 0);

        if (g_hash_table_size (b->virtio_serial) == 0)
          virtio_serial_add (b, 0, NULL);
        list = virtio_serial_sorted (b);
        for (guint i = 0; i < list->len && !placed; i++)
          {
            VirtioSerial *vs = g_ptr_array_index (list, i);

            if (fixed_controller && vs->index != want)
              continue;
            for (guint port = console ? 0 : 1; port < vs->max_ports && !placed; port++)
              if (!(vs->used & (1u << port)))
                {
                  vs->used |= 1u << port;
                  g_hash_table_insert (b->virtio_ports, d, GUINT_TO_POINTER ((vs->index << 8 | port) + 1));
                  placed = TRUE;
                }
          }
        if (!placed && fixed_controller)
          return _vmd_argv_invalid (error, _("The virtio serial controller %u has no free port left."), want);
        if (!placed)
          {
            VirtioSerial *last = g_ptr_array_index (list, list->len - 1);
            VirtioSerial *vs = virtio_serial_add (b, last->index + 1, NULL);
            guint port = console ? 0 : 1;

            vs->used |= 1u << port;
            g_hash_table_insert (b->virtio_ports, d, GUINT_TO_POINTER ((vs->index << 8 | port) + 1));
          }
      }
  return TRUE;
}

gboolean
_vmd_argv_build_virtio_serial (VmdArgvBuilder *b, GError **error)
{
  g_autoptr (GPtrArray) list = NULL;

  if (!plan_virtio_serial (b, error))
    return FALSE;
  list = virtio_serial_sorted (b);
  for (guint i = 0; i < list->len; i++)
    {
      VirtioSerial *vs = g_ptr_array_index (list, i);
      g_autofree char *model = vmd_xml_get_attr (vs->node, "model");
      JsonObject *props = _vmd_json_new ();

      if (g_strcmp0 (model, "virtio-transitional") == 0)
        _vmd_json_str (props, "driver", "virtio-serial-pci-transitional");
      else if (g_strcmp0 (model, "virtio-non-transitional") == 0)
        _vmd_json_str (props, "driver", "virtio-serial-pci-non-transitional");
      else
        _vmd_json_str (props, "driver", "virtio-serial-pci");
      _vmd_json_str (props, "id", vs->id);
      if (vs->node != NULL && vmd_xml_has_attr (vs->node, "ports"))
        _vmd_json_int (props, "max_ports", (gint64) vmd_xml_get_uint_attr_at (vs->node, NULL, "ports", 0));
      if (vs->node != NULL && vmd_xml_has_attr (vs->node, "vectors"))
        _vmd_json_int (props, "vectors", (gint64) vmd_xml_get_uint_attr_at (vs->node, NULL, "vectors", 0));
      if (vs->node != NULL)
        _vmd_argv_virtio_options (vs->node, props);
      if (!_vmd_argv_place_pci (b, vs->node, props, TRUE, error))
        return _vmd_argv_fail (props);
      _vmd_argv_add_device (b, props);
    }
  return TRUE;
}

/* -------------------------------------------------------------- chardevs */

/* The -chardev of a serial port, console or channel: a socket in the
 * runtime folder, where the engine attaches the console, unless the
 * definition writes to a file, discards, or talks to SPICE. */
gboolean
_vmd_argv_build_chardev (VmdArgvBuilder *b, xmlNodePtr dev, const char *alias, GError **error)
{
  g_autofree char *type = vmd_xml_get_attr (dev, "type");
  g_autofree char *char_id = g_strdup_printf ("char%s", alias);
  g_autofree char *log = vmd_xml_get_attr_at (dev, "log", "file");
  g_autoptr (GString) opts = g_string_new (NULL);

  if (type == NULL)
    type = g_strdup ("pty");

  if (g_str_equal (type, "file"))
    {
      g_autofree char *path = vmd_xml_get_attr_at (dev, "source", "path");
      g_autofree char *escaped = NULL;

      if (path == NULL)
        return _vmd_argv_invalid (error, _("The serial port or channel %s writes to a file but names none."), alias);
      escaped = _vmd_argv_keyval_escape (path);
      g_string_append_printf (opts, "file,id=%s,path=%s", char_id, escaped);
      if (_vmd_argv_yes (dev, "source", "append"))
        g_string_append (opts, ",append=on");
    }
  else if (g_str_equal (type, "null"))
    {
      g_string_append_printf (opts, "null,id=%s", char_id);
    }
  else if (g_str_equal (type, "spicevmc"))
    {
      g_autofree char *name = g_strdup ("vdagent");

      if (!b->has_spice)
        return _vmd_argv_invalid (error, _("The SPICE channel %s needs a SPICE display."), alias);
      if (xmlStrEqual (dev->name, (const xmlChar *) "redirdev"))
        _vmd_argv_set_str (&name, "usbredir");
      g_string_append_printf (opts, "spicevmc,id=%s,name=%s", char_id, name);
    }
  else if (g_str_equal (type, "spiceport"))
    {
      g_autofree char *channel = vmd_xml_get_attr_at (dev, "source", "channel");
      g_autofree char *escaped = _vmd_argv_keyval_escape (channel ? channel : "");

      if (!b->has_spice)
        return _vmd_argv_invalid (error, _("The SPICE port %s needs a SPICE display."), alias);
      g_string_append_printf (opts, "spiceport,id=%s,name=%s", char_id, escaped);
    }
  else if (g_str_equal (type, "qemu-vdagent"))
    {
      xmlNodePtr source = vmd_xml_child (dev, "source");
      g_autofree char *mouse = vmd_xml_get_attr_at (source, "mouse", "mode");

      g_string_append_printf (opts, "qemu-vdagent,id=%s,name=vdagent", char_id);
      if (vmd_xml_child (source, "clipboard") != NULL)
        g_string_append_printf (opts, ",clipboard=%s",
                                _vmd_argv_yes (source, "clipboard", "copypaste") ? "on" : "off");
      if (mouse != NULL)
        g_string_append_printf (opts, ",mouse=%s", g_str_equal (mouse, "client") ? "on" : "off");
    }
  else if (g_str_equal (type, "dev"))
    {
      g_autofree char *path = vmd_xml_get_attr_at (dev, "source", "path");
      g_autofree char *escaped = NULL;

      if (path == NULL)
        return _vmd_argv_invalid (error, _("The serial port %s passes a host device through but names none."), alias);
      escaped = _vmd_argv_keyval_escape (path);
      g_string_append_printf (opts, "serial,id=%s,path=%s", char_id, escaped);
    }
  else
    {
      /* pty, unix, tcp, udp, vc, stdio, pipe: a console the engine serves. */
      g_autofree char *name = g_strdup_printf ("chardev-%s.sock", alias);
      g_autofree char *path = _vmd_argv_runtime_path (b, name, error);
      g_autofree char *escaped = NULL;

      if (path == NULL)
        return FALSE;
      escaped = _vmd_argv_keyval_escape (path);
      g_string_append_printf (opts, "socket,id=%s,path=%s,server=on,wait=off", char_id, escaped);
    }
  if (log != NULL)
    {
      g_autofree char *escaped = _vmd_argv_keyval_escape (log);
      g_string_append_printf (opts, ",logfile=%s", escaped);
      if (vmd_xml_has_attr (vmd_xml_find (dev, "log"), "append"))
        g_string_append_printf (opts, ",logappend=%s", _vmd_argv_yes (dev, "log", "append") ? "on" : "off");
    }
  _vmd_argv_add (b->args, "-chardev", opts->str);
  return TRUE;
}

static gboolean
build_serial (VmdArgvBuilder *b, xmlNodePtr dev, const char *alias, gint port, GError **error)
{
  g_autofree char *target = vmd_xml_get_attr_at (dev, "target", "type");
  g_autofree char *model = vmd_xml_get_attr_at (dev, "target/model", "name");
  g_autofree char *char_id = g_strdup_printf ("char%s", alias);
  JsonObject *props;
  const char *driver;

  if (model != NULL)
    driver = g_str_equal (model, "isa-serial") ? "isa-serial" :
             g_str_equal (model, "pci-serial") ? "pci-serial" :
             g_str_equal (model, "usb-serial") ? "usb-serial" : NULL;
  else if (target == NULL || g_str_equal (target, "isa-serial") || g_str_equal (target, "serial"))
    driver = "isa-serial";
  else if (g_str_equal (target, "pci-serial"))
    driver = "pci-serial";
  else if (g_str_equal (target, "usb-serial"))
    driver = "usb-serial";
  else
    driver = NULL;
  if (driver == NULL)
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot run a serial port of type '%s' (<target type='%s'>); use libvirt for this virtual machine."),
                                  model ? model : target, model ? model : target);

  if (!_vmd_argv_build_chardev (b, dev, alias, error))
    return FALSE;
  props = _vmd_json_new ();
  _vmd_json_str (props, "driver", driver);
  _vmd_json_str (props, "chardev", char_id);
  _vmd_json_str (props, "id", alias);
  if (g_str_equal (driver, "isa-serial"))
    {
      if (port > 3)
        {
          json_object_unref (props);
          return _vmd_argv_invalid (error, _("A PC has four serial ports, 0 to 3; %s is port %d."), alias, port);
        }
      _vmd_json_int (props, "index", port);
    }
  else if (g_str_equal (driver, "pci-serial"))
    {
      if (!_vmd_argv_place_pci (b, dev, props, FALSE, error))
        return _vmd_argv_fail (props);
    }
  else if (!_vmd_argv_place_usb (b, dev, props, error))
    return _vmd_argv_fail (props);
  return _vmd_argv_add_device (b, props);
}

static gboolean
virtio_serial_bus (VmdArgvBuilder *b, xmlNodePtr dev, JsonObject *props)
{
  guint packed = GPOINTER_TO_UINT (g_hash_table_lookup (b->virtio_ports, dev)) - 1;
  VirtioSerial *vs;
  g_autofree char *bus = NULL;

  if (packed == G_MAXUINT)
    return TRUE;  /* a console QEMU numbers */
  vs = g_hash_table_lookup (b->virtio_serial, GUINT_TO_POINTER (packed >> 8));
  bus = g_strdup_printf ("%s.0", vs->id);

  _vmd_json_str (props, "bus", bus);
  _vmd_json_int (props, "nr", packed & 0xff);
  return TRUE;
}

static gboolean
build_channel (VmdArgvBuilder *b, xmlNodePtr dev, GError **error)
{
  g_autofree char *target = vmd_xml_get_attr_at (dev, "target", "type");
  g_autofree char *name = vmd_xml_get_attr_at (dev, "target", "name");
  g_autofree char *type = vmd_xml_get_attr (dev, "type");
  g_autofree char *alias = _vmd_argv_device_id_for_node (b->devices, dev);
  g_autofree char *char_id = g_strdup_printf ("char%s", alias);
  JsonObject *props;

  if (g_strcmp0 (target, "virtio") != 0)
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot run a channel of type '%s' (<target type='%s'>); use libvirt for this virtual machine."),
                                  target ? target : "", target ? target : "");
  if (name == NULL && (g_strcmp0 (type, "spicevmc") == 0 || g_strcmp0 (type, "qemu-vdagent") == 0))
    name = g_strdup ("com.redhat.spice.0");

  if (!_vmd_argv_build_chardev (b, dev, alias, error))
    return FALSE;
  props = _vmd_json_new ();
  _vmd_json_str (props, "driver", "virtserialport");
  virtio_serial_bus (b, dev, props);
  _vmd_json_str (props, "chardev", char_id);
  _vmd_json_str (props, "id", alias);
  if (name != NULL)
    _vmd_json_str (props, "name", name);
  return _vmd_argv_add_device (b, props);
}

gboolean
_vmd_argv_build_chardevs (VmdArgvBuilder *b, GError **error)
{
  guint serials = 0;

  for (xmlNodePtr s = vmd_xml_child (b->devices, "serial"); s; s = vmd_xml_next_element (s, "serial"))
    {
      g_autofree char *alias = _vmd_argv_device_id_for_node (b->devices, s);
      gint port = (gint) vmd_xml_get_uint_attr_at (s, "target", "port", serials);

      if (!build_serial (b, s, alias, port, error))
        return FALSE;
      serials++;
    }

  for (xmlNodePtr p = vmd_xml_child (b->devices, "parallel"); p; p = vmd_xml_next_element (p, "parallel"))
    {
      g_autofree char *alias = _vmd_argv_device_id_for_node (b->devices, p);
      g_autofree char *char_id = g_strdup_printf ("char%s", alias);
      JsonObject *props;

      if (!_vmd_argv_build_chardev (b, p, alias, error))
        return FALSE;
      props = _vmd_json_new ();
      _vmd_json_str (props, "driver", "isa-parallel");
      _vmd_json_str (props, "chardev", char_id);
      _vmd_json_str (props, "id", alias);
      _vmd_argv_add_device (b, props);
    }

  for (xmlNodePtr c = vmd_xml_child (b->devices, "channel"); c; c = vmd_xml_next_element (c, "channel"))
    if (!build_channel (b, c, error))
      return FALSE;

  for (xmlNodePtr c = vmd_xml_child (b->devices, "console"); c; c = vmd_xml_next_element (c, "console"))
    {
      g_autofree char *target = vmd_xml_get_attr_at (c, "target", "type");
      g_autofree char *alias = _vmd_argv_device_id_for_node (b->devices, c);
      g_autofree char *char_id = g_strdup_printf ("char%s", alias);
      gboolean first = c == vmd_xml_child (b->devices, "console");
      JsonObject *props;

      if (target == NULL || g_str_equal (target, "serial"))
        {
          /* The first console is serial port 0 seen from another side;
           * without serial ports, it becomes serial port 0. */
          if (first && serials > 0)
            continue;
          if (first)
            {
              if (!build_serial (b, c, "serial0", 0, error))
                return FALSE;
              continue;
            }
          return _vmd_argv_unsupported (error,
                                        _("The embedded engine cannot run a second serial console (%s); add a serial port instead."),
                                        alias);
        }
      if (!g_str_equal (target, "virtio"))
        return _vmd_argv_unsupported (error,
                                      _("The embedded engine cannot run a console of type '%s' (<target type='%s'>); use libvirt for this virtual machine."),
                                      target, target);
      if (!_vmd_argv_build_chardev (b, c, alias, error))
        return FALSE;
      props = _vmd_json_new ();
      _vmd_json_str (props, "driver", "virtconsole");
      virtio_serial_bus (b, c, props);
      _vmd_json_str (props, "chardev", char_id);
      _vmd_json_str (props, "id", alias);
      _vmd_argv_add_device (b, props);
    }
  return TRUE;
}
