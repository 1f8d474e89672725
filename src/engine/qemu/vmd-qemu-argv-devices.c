/* vmd-qemu-argv-devices.c: controllers and the other devices
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * USB controllers and hubs, host devices, USB redirection, RNG,
 * watchdogs, TPM, shared folders, the balloon and the panic device, each
 * the way libvirt builds it; and the order in which every kind of device
 * joins the command line.
 */
#define G_LOG_DOMAIN "vmdesk-argv"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vmd-qemu-argv-private.h"
#include "vmd-xml.h"

/* ---------------------------------------------------------- controllers */

static const struct
{
  const char *model;
  const char *driver;
  gboolean    pcie;
  gboolean    companion;
} usb_models[] = {
  { "piix3-uhci", "piix3-usb-uhci", FALSE, FALSE },
  { "piix4-uhci", "piix4-usb-uhci", FALSE, FALSE },
  { "ehci", "usb-ehci", FALSE, FALSE },
  { "ich9-ehci1", "ich9-usb-ehci1", FALSE, FALSE },
  { "ich9-uhci1", "ich9-usb-uhci1", FALSE, TRUE },
  { "ich9-uhci2", "ich9-usb-uhci2", FALSE, TRUE },
  { "ich9-uhci3", "ich9-usb-uhci3", FALSE, TRUE },
  { "nec-xhci", "nec-usb-xhci", TRUE, FALSE },
  { "qemu-xhci", "qemu-xhci", TRUE, FALSE },
};

static gboolean
build_usb_controller (VmdArgvBuilder *b, xmlNodePtr node, guint index, const char *model,
                      GError **error)
{
  g_autofree char *id = index == 0 ? g_strdup ("usb") : g_strdup_printf ("usb%u", index);
  g_autofree char *alias = node ? _vmd_argv_device_id_for_node (b->devices, node) : NULL;
  gint found = -1;
  JsonObject *props;
  guint64 ports = vmd_xml_get_uint_attr_at (node, NULL, "ports", 0);

  if (alias != NULL && g_str_has_prefix (alias, "ua-"))
    _vmd_argv_set_str (&id, alias);
  for (guint i = 0; i < G_N_ELEMENTS (usb_models); i++)
    if (g_str_equal (usb_models[i].model, model))
      found = (gint) i;
  if (found < 0)
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot run a USB controller of model '%s' (<controller type='usb' model='%s'>); use libvirt for this virtual machine."),
                                  model, model);

  props = _vmd_json_new ();
  _vmd_json_str (props, "driver", usb_models[found].driver);
  if (usb_models[found].companion)
    {
      g_autofree char *master = NULL;
      const char *master_id = g_hash_table_lookup (b->usb_buses, GUINT_TO_POINTER (index));

      master = g_strdup_printf ("%s.0", master_id ? master_id : id);
      _vmd_json_str (props, "masterbus", master);
      /* libvirt's defaults: two ports per companion. */
      _vmd_json_int (props, "firstport",
                     (gint64) vmd_xml_get_uint_attr_at (node, "master", "startport",
                                                        g_str_equal (model, "ich9-uhci2") ? 2 :
                                                        g_str_equal (model, "ich9-uhci3") ? 4 : 0));
    }
  else
    {
      if (ports > 0 && (g_str_equal (model, "qemu-xhci") || g_str_equal (model, "nec-xhci")))
        {
          _vmd_json_int (props, "p2", (gint64) ports);
          _vmd_json_int (props, "p3", (gint64) ports);
        }
      _vmd_json_str (props, "id", id);
      g_hash_table_insert (b->usb_buses, GUINT_TO_POINTER (index), g_strdup (id));
    }

  if (b->i440fx && g_str_equal (model, "piix3-uhci") &&
      (node == NULL || !_vmd_argv_is_pci_address (node)) && index == 0)
    {
      /* libvirt's place for it: the USB function of the PIIX3. */
      _vmd_json_str (props, "bus", "pci.0");
      _vmd_json_str (props, "addr", "0x1.0x2");
    }
  else if (!_vmd_argv_place_pci (b, node, props, usb_models[found].pcie, error))
    return _vmd_argv_fail (props);
  return _vmd_argv_add_device (b, props);
}

static gboolean
build_hubs (VmdArgvBuilder *b, GError **error)
{
  for (xmlNodePtr h = vmd_xml_child (b->devices, "hub"); h; h = vmd_xml_next_element (h, "hub"))
    {
      g_autofree char *type = vmd_xml_get_attr (h, "type");
      g_autofree char *id = _vmd_argv_device_id_for_node (b->devices, h);
      JsonObject *props;

      if (g_strcmp0 (type, "usb") != 0)
        return _vmd_argv_unsupported (error,
                                      _("The embedded engine cannot run a hub of type '%s' (<hub type='%s'>); use libvirt for this virtual machine."),
                                      type ? type : "", type ? type : "");
      props = _vmd_json_new ();
      _vmd_json_str (props, "driver", "usb-hub");
      _vmd_json_str (props, "id", id);
      if (!_vmd_argv_place_usb (b, h, props, error))
        return _vmd_argv_fail (props);
      _vmd_argv_add_device (b, props);
    }
  return TRUE;
}

gboolean
_vmd_argv_build_usb_controllers (VmdArgvBuilder *b, GError **error)
{
  gboolean any = FALSE;
  gboolean none = FALSE;

  /* Masters first, so their companions find them. */
  for (guint pass = 0; pass < 2; pass++)
    for (xmlNodePtr c = vmd_xml_child (b->devices, "controller"); c;
         c = vmd_xml_next_element (c, "controller"))
      {
        g_autofree char *type = vmd_xml_get_attr (c, "type");
        g_autofree char *model = vmd_xml_get_attr (c, "model");
        guint index = _vmd_argv_controller_index (c);
        gboolean companion;

        if (g_strcmp0 (type, "usb") != 0)
          continue;
        any = TRUE;
        if (g_strcmp0 (model, "none") == 0)
          {
            none = TRUE;
            continue;
          }
        /* libvirt's default model, also on q35: only the controller it
         * adds itself is an XHCI there. */
        if (model == NULL || g_str_equal (model, "default"))
          _vmd_argv_set_str (&model, "piix3-uhci");
        companion = g_str_has_prefix (model, "ich9-uhci");
        if ((pass == 0) == companion)
          continue;
        if (!build_usb_controller (b, c, index, model, error))
          return FALSE;
      }

  if (none && g_hash_table_size (b->usb_buses) > 0)
    return _vmd_argv_invalid (error,
                              _("The definition has both USB controllers and a USB controller of model 'none'."));
  if (!any && !build_usb_controller (b, NULL, 0, b->q35 ? "qemu-xhci" : "piix3-uhci", error))
    return FALSE;
  return build_hubs (b, error);
}

gboolean
_vmd_argv_check_controllers (VmdArgvBuilder *b, GError **error)
{
  static const char *const known[] = {
    "usb", "pci", "scsi", "sata", "ide", "fdc", "virtio-serial", NULL
  };

  for (xmlNodePtr c = vmd_xml_child (b->devices, "controller"); c;
       c = vmd_xml_next_element (c, "controller"))
    {
      g_autofree char *type = vmd_xml_get_attr (c, "type");

      if (type == NULL || !g_strv_contains (known, type))
        return _vmd_argv_unsupported (error,
                                      _("The embedded engine cannot run a controller of type '%s' (<controller type='%s'>); use libvirt for this virtual machine."),
                                      type ? type : "", type ? type : "");
      for (xmlNodePtr child = c->children; child; child = child->next)
        if (child->type == XML_ELEMENT_NODE &&
            !xmlStrEqual (child->name, (const xmlChar *) "address") &&
            !xmlStrEqual (child->name, (const xmlChar *) "alias") &&
            !xmlStrEqual (child->name, (const xmlChar *) "model") &&
            !xmlStrEqual (child->name, (const xmlChar *) "target") &&
            !xmlStrEqual (child->name, (const xmlChar *) "master") &&
            !xmlStrEqual (child->name, (const xmlChar *) "pcihole64") &&
            !xmlStrEqual (child->name, (const xmlChar *) "driver"))
          return _vmd_argv_unsupported (error,
                                        _("The embedded engine cannot run a controller with <%s>; use libvirt for this virtual machine."),
                                        (const char *) child->name);
    }
  return TRUE;
}

/* ------------------------------------------------------------ host devices */

static gboolean
build_hostdev (VmdArgvBuilder *b, xmlNodePtr h, GError **error)
{
  g_autofree char *mode = vmd_xml_get_attr (h, "mode");
  g_autofree char *type = vmd_xml_get_attr (h, "type");
  g_autofree char *id = _vmd_argv_device_id_for_node (b->devices, h);
  xmlNodePtr source = vmd_xml_child (h, "source");
  JsonObject *props;

  if (g_strcmp0 (mode, "capabilities") == 0)
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot pass host capabilities through (<hostdev mode='capabilities'>); use libvirt for this virtual machine."));
  if (g_strcmp0 (type, "usb") == 0)
    {
      guint64 vendor = vmd_xml_get_uint_attr_at (source, "vendor", "id", 0);
      guint64 product = vmd_xml_get_uint_attr_at (source, "product", "id", 0);
      xmlNodePtr address = vmd_xml_child (source, "address");
      g_autofree char *reset = vmd_xml_get_attr (source, "guestReset");

      props = _vmd_json_new ();
      _vmd_json_str (props, "driver", "usb-host");
      if (address != NULL)
        {
          _vmd_json_int (props, "hostbus", (gint64) vmd_xml_get_uint_attr_at (address, NULL, "bus", 0));
          _vmd_json_int (props, "hostaddr", (gint64) vmd_xml_get_uint_attr_at (address, NULL, "device", 0));
        }
      if (vmd_xml_child (source, "vendor") != NULL)
        _vmd_json_int (props, "vendorid", (gint64) vendor);
      if (vmd_xml_child (source, "product") != NULL)
        _vmd_json_int (props, "productid", (gint64) product);
      if (address == NULL && vmd_xml_child (source, "vendor") == NULL)
        {
          json_object_unref (props);
          return _vmd_argv_invalid (error, _("The USB host device %s names neither a vendor and product nor a bus and device."),
                                    id);
        }
      _vmd_json_str (props, "id", id);
      if (reset != NULL && !g_str_equal (reset, "default"))
        {
          _vmd_json_bool (props, "guest-reset", !g_str_equal (reset, "off"));
          _vmd_json_bool (props, "guest-resets-all", g_str_equal (reset, "on"));
        }
      _vmd_argv_set_bootindex (b, h, props);
      if (!_vmd_argv_place_usb (b, h, props, error))
        return _vmd_argv_fail (props);
      return _vmd_argv_add_device (b, props);
    }
  if (g_strcmp0 (type, "pci") == 0)
    {
      xmlNodePtr address = vmd_xml_child (source, "address");
      g_autofree char *driver = vmd_xml_get_attr_at (h, "driver", "name");
      g_autofree char *host = NULL;
      g_autofree char *bar = vmd_xml_get_attr_at (h, "rom", "bar");
      g_autofree char *file = vmd_xml_get_attr_at (h, "rom", "file");
      g_autofree char *display = vmd_xml_get_attr (h, "display");

      if (driver != NULL && !g_str_equal (driver, "vfio"))
        return _vmd_argv_unsupported (error,
                                      _("The embedded engine passes PCI devices through only with VFIO, not '%s' (<driver name='%s'>); use libvirt for this virtual machine."),
                                      driver, driver);
      if (display != NULL && g_str_equal (display, "on"))
        return _vmd_argv_unsupported (error,
                                      _("The embedded engine cannot show the display of a device passed through (<hostdev display='on'>); use libvirt for this virtual machine."));
      if (address == NULL)
        return _vmd_argv_invalid (error, _("The PCI host device %s has no address."), id);
      host = g_strdup_printf ("%04" G_GINT64_MODIFIER "x:%02" G_GINT64_MODIFIER "x:%02" G_GINT64_MODIFIER "x.%" G_GINT64_MODIFIER "x",
                              vmd_xml_get_uint_attr_at (address, NULL, "domain", 0),
                              vmd_xml_get_uint_attr_at (address, NULL, "bus", 0),
                              vmd_xml_get_uint_attr_at (address, NULL, "slot", 0),
                              vmd_xml_get_uint_attr_at (address, NULL, "function", 0));
      props = _vmd_json_new ();
      _vmd_json_str (props, "driver", "vfio-pci");
      _vmd_json_str (props, "host", host);
      _vmd_json_str (props, "id", id);
      _vmd_argv_set_bootindex (b, h, props);
      if (bar != NULL)
        _vmd_json_int (props, "rombar", g_str_equal (bar, "on") ? 1 : 0);
      if (file != NULL)
        _vmd_json_str (props, "romfile", file);
      if (vmd_xml_has_attr (vmd_xml_find (h, "rom"), "enabled") && !_vmd_argv_yes (h, "rom", "enabled"))
        _vmd_json_str (props, "romfile", "");
      if (!_vmd_argv_place_pci (b, h, props, TRUE, error))
        return _vmd_argv_fail (props);
      return _vmd_argv_add_device (b, props);
    }
  return _vmd_argv_unsupported (error,
                                _("The embedded engine cannot pass a host device of type '%s' through (<hostdev type='%s'>); use libvirt for this virtual machine."),
                                type ? type : "", type ? type : "");
}

static char *
usb_redir_filter (VmdArgvBuilder *b)
{
  xmlNodePtr filter = vmd_xml_child (b->devices, "redirfilter");
  g_autoptr (GString) s = NULL;

  if (filter == NULL)
    return NULL;
  s = g_string_new (NULL);
  for (xmlNodePtr r = vmd_xml_child (filter, "usbdev"); r; r = vmd_xml_next_element (r, "usbdev"))
    {
      static const char *const attrs[] = { "class", "vendor", "product", "version" };

      if (s->len > 0)
        g_string_append_c (s, '|');
      for (guint i = 0; i < G_N_ELEMENTS (attrs); i++)
        {
          g_autofree char *v = vmd_xml_get_attr (r, attrs[i]);
          guint major, minor;

          /* A version "1.10" is the device's BCD number 0x0110. */
          if (v != NULL && i == 3 && sscanf (v, "%u.%u", &major, &minor) == 2 && major < 100 && minor < 100)
            g_string_append_printf (s, "0x%02u%02u:", major, minor);
          else
            g_string_append_printf (s, "%s:", v ? v : "-1");
        }
      g_string_append (s, _vmd_argv_yes (r, NULL, "allow") ? "1" : "0");
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
build_redirdev (VmdArgvBuilder *b, xmlNodePtr r, GError **error)
{
  g_autofree char *bus = vmd_xml_get_attr (r, "bus");
  g_autofree char *type = vmd_xml_get_attr (r, "type");
  g_autofree char *id = _vmd_argv_device_id_for_node (b->devices, r);
  g_autofree char *char_id = g_strdup_printf ("char%s", id);
  g_autofree char *filter = usb_redir_filter (b);
  JsonObject *props;

  if (bus != NULL && !g_str_equal (bus, "usb"))
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine redirects only USB devices, not '%s' (<redirdev bus='%s'>); use libvirt for this virtual machine."),
                                  bus, bus);
  if (g_strcmp0 (type, "spicevmc") != 0)
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine redirects USB devices only through SPICE, not '%s' (<redirdev type='%s'>); use libvirt for this virtual machine."),
                                  type ? type : "", type ? type : "");
  if (!_vmd_argv_build_chardev (b, r, id, error))
    return FALSE;
  props = _vmd_json_new ();
  _vmd_json_str (props, "driver", "usb-redir");
  _vmd_json_str (props, "chardev", char_id);
  _vmd_json_str (props, "id", id);
  if (filter != NULL)
    _vmd_json_str (props, "filter", filter);
  _vmd_argv_set_bootindex (b, r, props);
  if (!_vmd_argv_place_usb (b, r, props, error))
    return _vmd_argv_fail (props);
  return _vmd_argv_add_device (b, props);
}

/* -------------------------------------------------------- small devices */

static gboolean
build_rng (VmdArgvBuilder *b, xmlNodePtr r, GError **error)
{
  g_autofree char *model = vmd_xml_get_attr (r, "model");
  g_autofree char *backend = vmd_xml_get_attr_at (r, "backend", "model");
  g_autofree char *id = _vmd_argv_device_id_for_node (b->devices, r);
  g_autofree char *object = g_strdup_printf ("obj%s", id);
  JsonObject *props;
  const char *driver;

  if (g_strcmp0 (model, "virtio") == 0)
    driver = "virtio-rng-pci";
  else if (g_strcmp0 (model, "virtio-transitional") == 0)
    driver = "virtio-rng-pci-transitional";
  else if (g_strcmp0 (model, "virtio-non-transitional") == 0)
    driver = "virtio-rng-pci-non-transitional";
  else
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot run a random number generator of model '%s' (<rng model='%s'>); use libvirt for this virtual machine."),
                                  model ? model : "", model ? model : "");

  props = _vmd_json_new ();
  if (g_strcmp0 (backend, "random") == 0)
    {
      g_autofree char *path = vmd_xml_get_text_at (r, "backend");
      g_strstrip (path);
      _vmd_json_str (props, "qom-type", "rng-random");
      _vmd_json_str (props, "id", object);
      _vmd_json_str (props, "filename", *path ? path : "/dev/random");
    }
  else if (g_strcmp0 (backend, "builtin") == 0)
    {
      _vmd_json_str (props, "qom-type", "rng-builtin");
      _vmd_json_str (props, "id", object);
    }
  else
    {
      json_object_unref (props);
      return _vmd_argv_unsupported (error,
                                    _("The embedded engine cannot feed a random number generator from '%s' (<backend model='%s'>); use libvirt for this virtual machine."),
                                    backend ? backend : "", backend ? backend : "");
    }
  _vmd_argv_add_json (b->args, "-object", props);

  props = _vmd_json_new ();
  _vmd_json_str (props, "driver", driver);
  _vmd_json_str (props, "rng", object);
  _vmd_json_str (props, "id", id);
  if (vmd_xml_child (r, "rate") != NULL)
    {
      _vmd_json_int (props, "max-bytes", (gint64) vmd_xml_get_uint_attr_at (r, "rate", "bytes", 0));
      _vmd_json_int (props, "period", (gint64) vmd_xml_get_uint_attr_at (r, "rate", "period", 1000));
    }
  _vmd_argv_virtio_options (r, props);
  if (!_vmd_argv_place_pci (b, r, props, TRUE, error))
    return _vmd_argv_fail (props);
  return _vmd_argv_add_device (b, props);
}

static gboolean
build_watchdogs (VmdArgvBuilder *b, GError **error)
{
  g_autofree char *action = NULL;

  for (xmlNodePtr w = vmd_xml_child (b->devices, "watchdog"); w; w = vmd_xml_next_element (w, "watchdog"))
    {
      g_autofree char *model = vmd_xml_get_attr (w, "model");
      g_autofree char *this_action = vmd_xml_get_attr (w, "action");
      g_autofree char *id = _vmd_argv_device_id_for_node (b->devices, w);
      JsonObject *props;

      if (this_action == NULL)
        this_action = g_strdup ("reset");
      /* vmdesk cannot write a core dump for the watchdog: it pauses. */
      if (g_str_equal (this_action, "dump"))
        _vmd_argv_set_str (&this_action, "pause");
      if (g_str_equal (this_action, "inject-nmi"))
        _vmd_argv_set_str (&this_action, "inject-nmi");
      if (action != NULL && !g_str_equal (action, this_action))
        return _vmd_argv_invalid (error, _("The watchdogs of a virtual machine must all take the same action."));
      _vmd_argv_set_str (&action, this_action);

      if (g_strcmp0 (model, "itco") == 0)
        {
          if (!b->q35)
            return _vmd_argv_invalid (error, _("The iTCO watchdog is part of the q35 machine type."));
          continue;
        }
      if (g_strcmp0 (model, "i6300esb") != 0 && g_strcmp0 (model, "ib700") != 0)
        return _vmd_argv_unsupported (error,
                                      _("The embedded engine cannot run a watchdog of model '%s' (<watchdog model='%s'>); use libvirt for this virtual machine."),
                                      model ? model : "", model ? model : "");
      props = _vmd_json_new ();
      _vmd_json_str (props, "driver", model);
      _vmd_json_str (props, "id", id);
      if (g_str_equal (model, "i6300esb") && !_vmd_argv_place_pci (b, w, props, FALSE, error))
        return _vmd_argv_fail (props);
      _vmd_argv_add_device (b, props);
    }
  if (action != NULL)
    {
      static const char *const actions[] = { "reset", "shutdown", "poweroff", "pause", "none", "inject-nmi", NULL };
      g_autofree char *opt = NULL;

      if (!g_strv_contains (actions, action))
        return _vmd_argv_invalid (error, _("The watchdog action '%s' is unknown."), action);
      opt = g_strdup_printf ("watchdog=%s", action);
      _vmd_argv_add (b->tail, "-action", opt);
    }
  return TRUE;
}

static gboolean
build_tpm (VmdArgvBuilder *b, xmlNodePtr t, GError **error)
{
  g_autofree char *model = vmd_xml_get_attr (t, "model");
  g_autofree char *backend = vmd_xml_get_attr_at (t, "backend", "type");
  g_autofree char *id = _vmd_argv_device_id_for_node (b->devices, t);
  g_autofree char *tpmdev = g_strdup_printf ("tpm-%s", id);
  g_autoptr (GString) opts = g_string_new (NULL);
  JsonObject *props;

  if (model == NULL)
    model = g_strdup ("tpm-tis");
  if (!g_str_equal (model, "tpm-tis") && !g_str_equal (model, "tpm-crb"))
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot run a TPM of model '%s' (<tpm model='%s'>); use libvirt for this virtual machine."),
                                  model, model);

  if (g_strcmp0 (backend, "emulator") == 0 || g_strcmp0 (backend, "external") == 0)
    {
      g_autofree char *path = NULL;
      g_autofree char *escaped = NULL;
      g_autofree char *chardev = NULL;

      if (g_str_equal (backend, "external"))
        path = vmd_xml_get_attr_at (t, "backend/source", "path");
      else if (b->options->swtpm_socket != NULL)
        path = g_strdup (b->options->swtpm_socket);
      if (path == NULL)
        return _vmd_argv_invalid (error, _("The emulated TPM has no swtpm socket to connect to."));
      escaped = _vmd_argv_keyval_escape (path);
      chardev = g_strdup_printf ("socket,id=chrtpm,path=%s", escaped);
      _vmd_argv_add (b->args, "-chardev", chardev);
      g_string_append_printf (opts, "emulator,id=%s,chardev=chrtpm", tpmdev);
    }
  else if (g_strcmp0 (backend, "passthrough") == 0)
    {
      g_autofree char *path = vmd_xml_get_attr_at (t, "backend/device", "path");
      g_autofree char *base = NULL;
      g_autofree char *cancel = NULL;
      g_autofree char *escaped = NULL;
      g_autofree char *cancel_escaped = NULL;

      if (path == NULL)
        path = g_strdup ("/dev/tpm0");
      base = g_path_get_basename (path);
      cancel = g_strdup_printf ("/sys/class/tpm/%s/device/cancel", base);
      escaped = _vmd_argv_keyval_escape (path);
      cancel_escaped = _vmd_argv_keyval_escape (cancel);
      g_string_append_printf (opts, "passthrough,id=%s,path=%s,cancel-path=%s", tpmdev, escaped,
                              cancel_escaped);
    }
  else
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot run a TPM with the backend '%s' (<backend type='%s'>); use libvirt for this virtual machine."),
                                  backend ? backend : "", backend ? backend : "");

  _vmd_argv_add (b->args, "-tpmdev", opts->str);
  props = _vmd_json_new ();
  _vmd_json_str (props, "driver", model);
  _vmd_json_str (props, "tpmdev", tpmdev);
  _vmd_json_str (props, "id", id);
  return _vmd_argv_add_device (b, props);
}

static gboolean
build_filesystem (VmdArgvBuilder *b, xmlNodePtr f, GError **error)
{
  g_autofree char *type = vmd_xml_get_attr (f, "type");
  g_autofree char *driver = vmd_xml_get_attr_at (f, "driver", "type");
  g_autofree char *tag = vmd_xml_get_attr_at (f, "target", "dir");
  g_autofree char *dir = vmd_xml_get_attr_at (f, "source", "dir");
  g_autofree char *id = _vmd_argv_device_id_for_node (b->devices, f);
  g_autofree char *model = vmd_xml_get_attr (f, "model");
  JsonObject *props;

  if (type != NULL && !g_str_equal (type, "mount"))
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot share a folder of type '%s' (<filesystem type='%s'>); use libvirt for this virtual machine."),
                                  type, type);
  if (tag == NULL)
    return _vmd_argv_invalid (error, _("The shared folder %s has no target name."), id);

  if (g_strcmp0 (driver, "virtiofs") == 0)
    {
      g_autofree char *socket = vmd_xml_get_attr_at (f, "source", "socket");
      g_autofree char *char_id = g_strdup_printf ("chr-vu-%s", id);
      g_autofree char *escaped = NULL;
      g_autofree char *chardev = NULL;
      guint64 queue = vmd_xml_get_uint_attr_at (f, "driver", "queue", 0);

      if (socket == NULL)
        {
          /* The engine starts virtiofsd on this socket. */
          g_autofree char *name = g_strdup_printf ("virtiofs-%s.sock", id);
          socket = _vmd_argv_runtime_path (b, name, error);
          if (socket == NULL)
            return FALSE;
        }
      escaped = _vmd_argv_keyval_escape (socket);
      chardev = g_strdup_printf ("socket,id=%s,path=%s", char_id, escaped);
      _vmd_argv_add (b->args, "-chardev", chardev);
      props = _vmd_json_new ();
      _vmd_json_str (props, "driver", "vhost-user-fs-pci");
      _vmd_json_str (props, "id", id);
      _vmd_json_str (props, "chardev", char_id);
      if (queue > 0)
        _vmd_json_int (props, "queue-size", (gint64) queue);
      _vmd_json_str (props, "tag", tag);
      _vmd_argv_virtio_options (f, props);
      if (!_vmd_argv_place_pci (b, f, props, TRUE, error))
        return _vmd_argv_fail (props);
      return _vmd_argv_add_device (b, props);
    }

  if (driver == NULL || g_str_equal (driver, "path") || g_str_equal (driver, "default"))
    {
      g_autofree char *access = vmd_xml_get_attr (f, "accessmode");
      g_autofree char *fsdev = g_strdup_printf ("fsdev-%s", id);
      g_autofree char *escaped = NULL;
      g_autoptr (GString) opts = g_string_new (NULL);
      const char *security;

      if (dir == NULL)
        return _vmd_argv_invalid (error, _("The shared folder %s names no folder."), id);
      if (access == NULL || g_str_equal (access, "passthrough"))
        security = "passthrough";
      else if (g_str_equal (access, "mapped"))
        security = "mapped-xattr";
      else if (g_str_equal (access, "squash"))
        security = "none";
      else
        return _vmd_argv_invalid (error, _("The shared folder %s has the unknown access mode '%s'."), id, access);
      escaped = _vmd_argv_keyval_escape (dir);
      g_string_append_printf (opts, "local,security_model=%s,id=%s,path=%s", security, fsdev, escaped);
      if (vmd_xml_child (f, "readonly") != NULL)
        g_string_append (opts, ",readonly=on");
      _vmd_argv_add (b->args, "-fsdev", opts->str);
      props = _vmd_json_new ();
      if (g_strcmp0 (model, "virtio-transitional") == 0)
        _vmd_json_str (props, "driver", "virtio-9p-pci-transitional");
      else if (g_strcmp0 (model, "virtio-non-transitional") == 0)
        _vmd_json_str (props, "driver", "virtio-9p-pci-non-transitional");
      else
        _vmd_json_str (props, "driver", "virtio-9p-pci");
      _vmd_json_str (props, "id", id);
      _vmd_json_str (props, "fsdev", fsdev);
      _vmd_json_str (props, "mount_tag", tag);
      _vmd_argv_virtio_options (f, props);
      if (!_vmd_argv_place_pci (b, f, props, TRUE, error))
        return _vmd_argv_fail (props);
      return _vmd_argv_add_device (b, props);
    }
  return _vmd_argv_unsupported (error,
                                _("The embedded engine cannot share a folder with the driver '%s' (<driver type='%s'>); use libvirt for this virtual machine."),
                                driver, driver);
}

static gboolean
build_balloon (VmdArgvBuilder *b, GError **error)
{
  xmlNodePtr m = vmd_xml_child (b->devices, "memballoon");
  g_autofree char *model = vmd_xml_get_attr (m, "model");
  JsonObject *props;
  const char *driver;

  if (m != NULL && model == NULL)
    return _vmd_argv_invalid (error, _("The memory balloon has no model."));
  if (g_strcmp0 (model, "none") == 0)
    return TRUE;
  if (model == NULL || g_str_equal (model, "virtio"))
    driver = "virtio-balloon-pci";
  else if (g_str_equal (model, "virtio-transitional"))
    driver = "virtio-balloon-pci-transitional";
  else if (g_str_equal (model, "virtio-non-transitional"))
    driver = "virtio-balloon-pci-non-transitional";
  else
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot run a memory balloon of model '%s' (<memballoon model='%s'>); use libvirt for this virtual machine."),
                                  model, model);

  props = _vmd_json_new ();
  _vmd_json_str (props, "driver", driver);
  _vmd_json_str (props, "id", "balloon0");
  if (m != NULL && vmd_xml_has_attr (m, "autodeflate"))
    _vmd_json_bool (props, "deflate-on-oom", _vmd_argv_yes (m, NULL, "autodeflate"));
  if (m != NULL && vmd_xml_has_attr (m, "freePageReporting"))
    _vmd_json_bool (props, "free-page-reporting", _vmd_argv_yes (m, NULL, "freePageReporting"));
  if (m != NULL)
    _vmd_argv_virtio_options (m, props);
  if (!_vmd_argv_place_pci (b, m, props, TRUE, error))
    return _vmd_argv_fail (props);
  return _vmd_argv_add_device (b, props);
}

static gboolean
build_panic (VmdArgvBuilder *b, xmlNodePtr p, GError **error)
{
  g_autofree char *model = vmd_xml_get_attr (p, "model");
  g_autofree char *iobase = vmd_xml_get_attr_at (p, "address", "iobase");
  JsonObject *props;

  if (model == NULL || g_str_equal (model, "isa"))
    {
      props = _vmd_json_new ();
      _vmd_json_str (props, "driver", "pvpanic");
      if (iobase != NULL)
        _vmd_json_int (props, "ioport", (gint64) vmd_xml_get_uint_attr_at (p, "address", "iobase", 0x505));
      return _vmd_argv_add_device (b, props);
    }
  if (g_str_equal (model, "pvpanic"))
    {
      props = _vmd_json_new ();
      _vmd_json_str (props, "driver", "pvpanic-pci");
      if (!_vmd_argv_place_pci (b, p, props, TRUE, error))
        return _vmd_argv_fail (props);
      return _vmd_argv_add_device (b, props);
    }
  return _vmd_argv_unsupported (error,
                                _("The embedded engine cannot run a panic device of model '%s' (<panic model='%s'>); use libvirt for this virtual machine."),
                                model, model);
}

/* The children each kind of device may have; a device with anything else
 * asks for something the builder would silently drop. */
static const struct
{
  const char        *kind;
  const char *const *children;
} device_children[] = {
  { "input", (const char *const[]) { "address", "alias", "source", "driver", "acpi", NULL } },
  { "graphics", (const char *const[]) { "listen", "channel", "image", "jpeg", "zlib", "playback",
                                        "streaming", "clipboard", "mouse", "filetransfer", "gl",
                                        "audio", NULL } },
  { "video", (const char *const[]) { "model", "address", "alias", "driver", "acpi", NULL } },
  { "sound", (const char *const[]) { "codec", "address", "alias", "audio", "acpi", NULL } },
  { "serial", (const char *const[]) { "source", "target", "protocol", "log", "address", "alias", NULL } },
  { "console", (const char *const[]) { "source", "target", "protocol", "log", "address", "alias", NULL } },
  { "parallel", (const char *const[]) { "source", "target", "protocol", "log", "address", "alias", NULL } },
  { "channel", (const char *const[]) { "source", "target", "protocol", "log", "address", "alias", NULL } },
  { "hostdev", (const char *const[]) { "source", "address", "alias", "boot", "rom", "driver", "acpi", NULL } },
  { "redirdev", (const char *const[]) { "address", "alias", "boot", "source", "protocol", NULL } },
  { "rng", (const char *const[]) { "backend", "rate", "address", "alias", "driver", "acpi", NULL } },
  { "watchdog", (const char *const[]) { "address", "alias", NULL } },
  { "tpm", (const char *const[]) { "backend", "alias", NULL } },
  { "filesystem", (const char *const[]) { "driver", "source", "target", "readonly", "address", "alias",
                                          "binary", "acpi", NULL } },
  { "memballoon", (const char *const[]) { "address", "alias", "stats", "driver", "acpi", NULL } },
  { "hub", (const char *const[]) { "address", "alias", NULL } },
  { "panic", (const char *const[]) { "address", "alias", NULL } },
  { "redirfilter", (const char *const[]) { "usbdev", NULL } },
};

gboolean
_vmd_argv_check_devices (VmdArgvBuilder *b, GError **error)
{
  static const char *const known[] = {
    "emulator", "disk", "controller", "interface", "input", "graphics", "video", "sound",
    "audio", "serial", "parallel", "console", "channel", "hostdev", "redirdev", "redirfilter",
    "rng", "watchdog", "tpm", "filesystem", "memballoon", "hub", "panic", NULL
  };

  for (xmlNodePtr d = b->devices ? b->devices->children : NULL; d; d = d->next)
    {
      if (d->type != XML_ELEMENT_NODE)
        continue;
      if (!g_strv_contains (known, (const char *) d->name))
        return _vmd_argv_unsupported (error,
                                      _("The embedded engine cannot run a device of the kind <%s>; use libvirt for this virtual machine."),
                                      (const char *) d->name);
      for (guint i = 0; i < G_N_ELEMENTS (device_children); i++)
        if (xmlStrEqual (d->name, (const xmlChar *) device_children[i].kind))
          for (xmlNodePtr c = d->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE &&
                !g_strv_contains (device_children[i].children, (const char *) c->name))
              return _vmd_argv_unsupported (error,
                                            _("The embedded engine cannot run a device <%s> with <%s>; use libvirt for this virtual machine."),
                                            (const char *) d->name, (const char *) c->name);
    }
  return _vmd_argv_check_controllers (b, error);
}

gboolean
_vmd_argv_build_devices (VmdArgvBuilder *b, GError **error)
{
  guint nics = 0;

  if (!_vmd_argv_build_virtio_serial (b, error))
    return FALSE;

  for (xmlNodePtr f = vmd_xml_child (b->devices, "filesystem"); f; f = vmd_xml_next_element (f, "filesystem"))
    if (!build_filesystem (b, f, error))
      return FALSE;
  for (xmlNodePtr n = vmd_xml_child (b->devices, "interface"); n; n = vmd_xml_next_element (n, "interface"))
    if (!_vmd_argv_build_interface (b, n, nics++, error))
      return FALSE;
  /* SPICE first: its channels need it. */
  if (!_vmd_argv_build_graphics (b, error))
    return FALSE;
  if (!_vmd_argv_build_chardevs (b, error))
    return FALSE;
  for (xmlNodePtr t = vmd_xml_child (b->devices, "tpm"); t; t = vmd_xml_next_element (t, "tpm"))
    {
      if (t != vmd_xml_child (b->devices, "tpm"))
        return _vmd_argv_unsupported (error, _("The embedded engine runs one TPM per virtual machine."));
      if (!build_tpm (b, t, error))
        return FALSE;
    }
  for (xmlNodePtr i = vmd_xml_child (b->devices, "input"); i; i = vmd_xml_next_element (i, "input"))
    if (!_vmd_argv_build_input (b, i, error))
      return FALSE;
  if (!_vmd_argv_build_videos (b, error))
    return FALSE;
  for (xmlNodePtr s = vmd_xml_child (b->devices, "sound"); s; s = vmd_xml_next_element (s, "sound"))
    if (!_vmd_argv_build_sound (b, s, error))
      return FALSE;
  if (!build_watchdogs (b, error))
    return FALSE;
  for (xmlNodePtr r = vmd_xml_child (b->devices, "redirdev"); r; r = vmd_xml_next_element (r, "redirdev"))
    if (!build_redirdev (b, r, error))
      return FALSE;
  for (xmlNodePtr h = vmd_xml_child (b->devices, "hostdev"); h; h = vmd_xml_next_element (h, "hostdev"))
    if (!build_hostdev (b, h, error))
      return FALSE;
  if (!build_balloon (b, error))
    return FALSE;
  for (xmlNodePtr r = vmd_xml_child (b->devices, "rng"); r; r = vmd_xml_next_element (r, "rng"))
    if (!build_rng (b, r, error))
      return FALSE;
  for (xmlNodePtr p = vmd_xml_child (b->devices, "panic"); p; p = vmd_xml_next_element (p, "panic"))
    if (!build_panic (b, p, error))
      return FALSE;
  return TRUE;
}
