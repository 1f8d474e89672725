/* vmd-qemu-argv-display.c: displays, video adapters, sound and input
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * VNC starts without a listener (the engine hands clients over by fd
 * passing) unless the user chose an address; SPICE listens on a unix
 * socket in the runtime folder. Video, sound and input follow libvirt.
 */
#define G_LOG_DOMAIN "vmdesk-argv"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vmd-qemu-argv-private.h"
#include "vmd-xml.h"

/* ---------------------------------------------------------------- audio */

/* QEMU's name for a libvirt <audio type>. */
static const char *
audio_driver (const char *type)
{
  static const struct { const char *libvirt; const char *qemu; } drivers[] = {
    { "none", "none" }, { "spice", "spice" }, { "pulseaudio", "pa" },
    /* QEMU 7.2 has no PipeWire backend; PipeWire serves PulseAudio clients. */
    { "pipewire", "pa" },
    { "alsa", "alsa" }, { "oss", "oss" }, { "sdl", "sdl" }, { "jack", "jack" },
    { "file", "wav" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (drivers); i++)
    if (g_strcmp0 (type, drivers[i].libvirt) == 0)
      return drivers[i].qemu;
  return NULL;
}

/* libvirt's camelCase audio attributes are QEMU's kebab-case options:
 * bufferLength → buffer-length, tryMMap → try-mmap. */
static char *
audio_option_name (const char *attr)
{
  GString *s = g_string_new (NULL);

  for (const char *p = attr; *p; p++)
    {
      if (g_ascii_isupper (*p) && p != attr && !g_ascii_isupper (p[-1]))
        g_string_append_c (s, '-');
      g_string_append_c (s, g_ascii_tolower (*p));
    }
  return g_string_free (s, FALSE);
}

/* Sets @attr of @node on @object as QEMU types it: yes/no as booleans,
 * numbers as numbers, the rest as strings. */
static void
audio_option (JsonObject *object, xmlNodePtr node, const char *attr, const char *option)
{
  g_autofree char *value = vmd_xml_get_attr (node, attr);
  g_autofree char *name = option ? g_strdup (option) : audio_option_name (attr);
  guint64 number;

  if (value == NULL)
    return;
  if (g_str_equal (value, "yes") || g_str_equal (value, "no"))
    json_object_set_boolean_member (object, name, g_str_equal (value, "yes"));
  else if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT64, &number, NULL))
    json_object_set_int_member (object, name, (gint64) number);
  else
    json_object_set_string_member (object, name, value);
}

/* <input> and <output> of an <audio>: QEMU's "in" and "out". */
static gboolean
audio_direction (xmlNodePtr audio, const char *element, const char *driver, JsonObject *props,
                 GError **error)
{
  static const char *const common[] = { "mixingEngine", "fixedSettings", "voices", "bufferLength", NULL };
  static const struct { const char *driver; const char *const attrs[5]; } specific[] = {
    { "pa", { "name", "streamName", "latency", NULL } },
    { "alsa", { "dev", NULL } },
    { "oss", { "dev", "bufferCount", "tryPoll", NULL } },
    { "sdl", { "bufferCount", NULL } },
    { "jack", { "serverName", "clientName", "connectPorts", "exactName", NULL } },
  };
  xmlNodePtr node = vmd_xml_child (audio, element);
  JsonObject *dir;

  if (node == NULL)
    return TRUE;
  dir = json_object_new ();
  for (guint i = 0; common[i]; i++)
    audio_option (dir, node, common[i], NULL);
  for (xmlNodePtr c = node->children; c; c = c->next)
    {
      if (c->type != XML_ELEMENT_NODE)
        continue;
      if (!xmlStrEqual (c->name, (const xmlChar *) "settings"))
        {
          json_object_unref (dir);
          return _vmd_argv_unsupported (error,
                                        _("The embedded engine cannot run <%s><%s>; use libvirt for this virtual machine."),
                                        element, (const char *) c->name);
        }
      audio_option (dir, c, "frequency", NULL);
      audio_option (dir, c, "channels", NULL);
      audio_option (dir, c, "format", NULL);
    }
  for (xmlAttrPtr a = node->properties; a; a = a->next)
    {
      gboolean known = g_strv_contains (common, (const char *) a->name);

      for (guint i = 0; i < G_N_ELEMENTS (specific) && !known; i++)
        if (g_str_equal (driver, specific[i].driver))
          {
            known = g_strv_contains (specific[i].attrs, (const char *) a->name);
            if (known)
              audio_option (dir, node, (const char *) a->name, NULL);
          }
      if (!known)
        {
          json_object_unref (dir);
          return _vmd_argv_unsupported (error,
                                        _("The embedded engine cannot run <%s %s='…'> with this audio backend; use libvirt for this virtual machine."),
                                        element, (const char *) a->name);
        }
    }
  json_object_set_object_member (props, g_str_equal (element, "input") ? "in" : "out", dir);
  return TRUE;
}

static gboolean
needs_audio (VmdArgvBuilder *b)
{
  return vmd_xml_child (b->devices, "sound") != NULL;
}

/* The -audiodev backends: the definition's <audio> elements, or the one
 * libvirt would add (SPICE's when there is SPICE, else none) when a sound
 * device needs one. Runs before -machine, which names the PC speaker's. */
gboolean
_vmd_argv_plan_audio (VmdArgvBuilder *b, GError **error)
{
  static const char *const audio_attrs[] = {
    "id", "type", "serverName", "path", "timerPeriod", "tryMMap", "exclusive", "dspPolicy", NULL
  };
  xmlNodePtr audio = vmd_xml_child (b->devices, "audio");
  gboolean spice = FALSE;

  for (xmlNodePtr g = vmd_xml_child (b->devices, "graphics"); g; g = vmd_xml_next_element (g, "graphics"))
    {
      g_autofree char *type = vmd_xml_get_attr (g, "type");
      if (g_strcmp0 (type, "spice") == 0)
        spice = TRUE;
    }

  if (audio == NULL)
    {
      JsonObject *props;

      if (!needs_audio (b))
        return TRUE;
      props = _vmd_json_new ();
      _vmd_json_str (props, "id", "audio1");
      _vmd_json_str (props, "driver", spice ? "spice" : "none");
      _vmd_argv_add_json (b->tail, "-audiodev", props);
      b->audiodev = g_strdup ("audio1");
      return TRUE;
    }

  for (; audio; audio = vmd_xml_next_element (audio, "audio"))
    {
      g_autofree char *type = vmd_xml_get_attr (audio, "type");
      g_autofree char *id = vmd_xml_get_attr (audio, "id");
      g_autofree char *server = vmd_xml_get_attr (audio, "serverName");
      g_autofree char *path = vmd_xml_get_attr (audio, "path");
      g_autofree char *name = NULL;
      const char *driver = audio_driver (type);
      JsonObject *props;

      if (driver == NULL)
        return _vmd_argv_unsupported (error,
                                      _("The embedded engine cannot play sound through '%s' (<audio type='%s'>); use libvirt for this virtual machine."),
                                      type ? type : "", type ? type : "");
      if (!_vmd_argv_check_attrs (audio, audio_attrs, error))
        return FALSE;
      for (xmlNodePtr c = audio->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !xmlStrEqual (c->name, (const xmlChar *) "input") &&
            !xmlStrEqual (c->name, (const xmlChar *) "output"))
          return _vmd_argv_unsupported (error,
                                        _("The embedded engine cannot run <audio><%s>; use libvirt for this virtual machine."),
                                        (const char *) c->name);
      if (g_str_equal (driver, "spice") && !spice)
        return _vmd_argv_invalid (error, _("The SPICE audio backend needs a SPICE display."));

      name = g_strdup_printf ("audio%s", id ? id : "1");
      props = _vmd_json_new ();
      _vmd_json_str (props, "id", name);
      _vmd_json_str (props, "driver", driver);
      if (server != NULL && g_str_equal (driver, "pa"))
        _vmd_json_str (props, "server", server);
      if (path != NULL && g_str_equal (driver, "wav"))
        _vmd_json_str (props, "path", path);
      audio_option (props, audio, "timerPeriod", NULL);
      if (g_str_equal (driver, "oss"))
        {
          audio_option (props, audio, "tryMMap", NULL);
          audio_option (props, audio, "exclusive", NULL);
          audio_option (props, audio, "dspPolicy", NULL);
        }
      if (!audio_direction (audio, "input", driver, props, error) ||
          !audio_direction (audio, "output", driver, props, error))
        return _vmd_argv_fail (props);
      _vmd_argv_add_json (b->tail, "-audiodev", props);
      if (b->audiodev == NULL)
        b->audiodev = g_steal_pointer (&name);
    }
  return TRUE;
}

/* The backend a sound device plays through: its own <audio id>, or the
 * first. */
static char *
sound_audiodev (VmdArgvBuilder *b, xmlNodePtr sound)
{
  g_autofree char *id = vmd_xml_get_attr_at (sound, "audio", "id");

  if (id != NULL)
    return g_strdup_printf ("audio%s", id);
  return g_strdup (b->audiodev);
}

/* ------------------------------------------------------------- graphics */

static gboolean
build_vnc (VmdArgvBuilder *b, xmlNodePtr g, GError **error)
{
  static const char *const attrs[] = {
    "type", "port", "autoport", "listen", "passwd", "keymap", "sharePolicy", "passwdValidTo",
    "connected", "powerControl", "socket", "websocket", NULL
  };
  g_autofree char *listen_type = NULL;
  g_autofree char *address = NULL;
  g_autofree char *socket = NULL;
  g_autofree char *passwd = vmd_xml_get_attr (g, "passwd");
  g_autofree char *share = vmd_xml_get_attr (g, "sharePolicy");
  g_autofree char *websocket = vmd_xml_get_attr (g, "websocket");
  g_autoptr (GString) opts = g_string_new (NULL);
  xmlNodePtr listen = vmd_xml_child (g, "listen");

  if (!_vmd_argv_check_attrs (g, attrs, error))
    return FALSE;
  if (websocket != NULL)
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot serve VNC over WebSocket (<graphics websocket='%s'>); use libvirt for this virtual machine."),
                                  websocket);

  listen_type = vmd_xml_get_attr (listen, "type");
  if (listen != NULL)
    {
      address = vmd_xml_get_attr (listen, "address");
      socket = vmd_xml_get_attr (listen, "socket");
    }
  if (address == NULL && (listen == NULL || g_strcmp0 (listen_type, "address") == 0))
    address = vmd_xml_get_attr (g, "listen");
  if (socket == NULL && listen == NULL)
    socket = vmd_xml_get_attr (g, "socket");
  if (g_strcmp0 (listen_type, "network") == 0)
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot listen on a libvirt network (<listen type='network'>); use libvirt for this virtual machine."));

  if (socket != NULL && g_strcmp0 (listen_type, "none") != 0)
    {
      g_autofree char *escaped = _vmd_argv_keyval_escape (socket);
      /* Named, so that a path with '=' is not read as an option. */
      g_string_append_printf (opts, "vnc=unix:%s", escaped);
    }
  else if (address != NULL && g_strcmp0 (listen_type, "none") != 0)
    {
      /* The user asked for a network listener: honour the port. */
      gint64 port = -1;
      g_autofree char *port_text = vmd_xml_get_attr (g, "port");
      gboolean autoport = vmd_xml_get_bool_attr_at (g, NULL, "autoport", TRUE);

      if (port_text != NULL)
        port = g_ascii_strtoll (port_text, NULL, 10);
      if (port_text != NULL && port >= 5900)
        autoport = vmd_xml_get_bool_attr_at (g, NULL, "autoport", FALSE);
      if (strchr (address, ':') != NULL)
        g_string_append_printf (opts, "[%s]", address);
      else
        g_string_append (opts, address);
      if (autoport || port < 5900)
        g_string_append (opts, ":0,to=99");
      else
        g_string_append_printf (opts, ":%" G_GINT64_FORMAT, port - 5900);
      if (passwd != NULL)
        g_string_append (opts, ",password=on");
    }
  else
    {
      /* Clients come through the engine, by fd passing. */
      g_string_append (opts, "none");
    }

  if (share != NULL)
    g_string_append_printf (opts, ",share=%s", share);
  if (_vmd_argv_yes (g, NULL, "powerControl"))
    g_string_append (opts, ",power-control=on");
  if (vmd_xml_child (g, "audio") != NULL)
    {
      g_autofree char *id = vmd_xml_get_attr_at (g, "audio", "id");
      g_string_append_printf (opts, ",audiodev=audio%s", id ? id : "1");
    }
  else if (b->audiodev != NULL)
    g_string_append_printf (opts, ",audiodev=%s", b->audiodev);
  _vmd_argv_add (b->args, "-vnc", opts->str);
  b->has_vnc = TRUE;
  return TRUE;
}

static gboolean
build_spice (VmdArgvBuilder *b, xmlNodePtr g, GError **error)
{
  static const char *const attrs[] = {
    "type", "port", "tlsPort", "autoport", "listen", "passwd", "keymap", "defaultMode",
    "passwdValidTo", "connected", NULL
  };
  static const char *const children[] = {
    "listen", "channel", "image", "jpeg", "zlib", "playback", "streaming", "clipboard",
    "mouse", "filetransfer", "gl", "audio", NULL
  };
  g_autofree char *path = _vmd_argv_runtime_path (b, "spice.sock", error);
  g_autofree char *escaped = NULL;
  g_autoptr (GString) opts = g_string_new (NULL);
  static const struct { const char *element; const char *attr; const char *option; } simple[] = {
    { "image", "compression", "image-compression" },
    { "jpeg", "compression", "jpeg-wan-compression" },
    { "zlib", "compression", "zlib-glz-wan-compression" },
    { "streaming", "mode", "streaming-video" },
  };

  if (path == NULL)
    return FALSE;
  if (!_vmd_argv_check_attrs (g, attrs, error) ||
      !_vmd_argv_check_children (g, "SPICE display", children, error))
    return FALSE;
  if (vmd_xml_child (g, "gl") != NULL && _vmd_argv_yes (g, "gl", "enable"))
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot run SPICE with OpenGL (<gl enable='yes'>); use libvirt for this virtual machine."));

  /* A unix socket in the runtime folder, which only the user can open:
   * no port, no ticket. */
  escaped = _vmd_argv_keyval_escape (path);
  g_string_append_printf (opts, "unix=on,addr=%s,disable-ticketing=on", escaped);
  for (guint i = 0; i < G_N_ELEMENTS (simple); i++)
    {
      g_autofree char *value = vmd_xml_get_attr_at (g, simple[i].element, simple[i].attr);
      if (value != NULL)
        g_string_append_printf (opts, ",%s=%s", simple[i].option, value);
    }
  if (vmd_xml_child (g, "playback") != NULL)
    g_string_append_printf (opts, ",playback-compression=%s",
                            _vmd_argv_yes (g, "playback", "compression") ? "on" : "off");
  if (vmd_xml_child (g, "mouse") != NULL)
    {
      g_autofree char *mode = vmd_xml_get_attr_at (g, "mouse", "mode");
      g_string_append_printf (opts, ",agent-mouse=%s", g_strcmp0 (mode, "client") == 0 ? "on" : "off");
    }
  if (vmd_xml_child (g, "clipboard") != NULL && !_vmd_argv_yes (g, "clipboard", "copypaste"))
    g_string_append (opts, ",disable-copy-paste=on");
  if (vmd_xml_child (g, "filetransfer") != NULL && !_vmd_argv_yes (g, "filetransfer", "enable"))
    g_string_append (opts, ",disable-agent-file-xfer=on");
  g_string_append (opts, ",seamless-migration=on");
  _vmd_argv_add (b->args, "-spice", opts->str);
  b->has_spice = TRUE;
  return TRUE;
}

gboolean
_vmd_argv_build_graphics (VmdArgvBuilder *b, GError **error)
{
  gboolean any = FALSE;

  for (xmlNodePtr g = vmd_xml_child (b->devices, "graphics"); g; g = vmd_xml_next_element (g, "graphics"))
    {
      g_autofree char *type = vmd_xml_get_attr (g, "type");

      any = TRUE;
      if (g_strcmp0 (type, "vnc") == 0)
        {
          if (b->has_vnc)
            return _vmd_argv_unsupported (error, _("The embedded engine runs one VNC display per virtual machine."));
          if (!build_vnc (b, g, error))
            return FALSE;
        }
      else if (g_strcmp0 (type, "spice") == 0)
        {
          if (b->has_spice)
            return _vmd_argv_unsupported (error, _("The embedded engine runs one SPICE display per virtual machine."));
          if (!build_spice (b, g, error))
            return FALSE;
        }
      else
        return _vmd_argv_unsupported (error,
                                      _("The embedded engine cannot show a display of type '%s' (<graphics type='%s'>); use VNC or SPICE, or use libvirt for this virtual machine."),
                                      type ? type : "", type ? type : "");
    }
  if (!any)
    _vmd_argv_add (b->head, "-display", "none");
  return TRUE;
}

/* ---------------------------------------------------------------- video */

/* The videos in libvirt's order: the primary one first. */
static GPtrArray *
sorted_videos (xmlNodePtr devices)
{
  GPtrArray *videos = g_ptr_array_new ();

  for (xmlNodePtr v = vmd_xml_child (devices, "video"); v; v = vmd_xml_next_element (v, "video"))
    {
      if (_vmd_argv_yes (v, "model", "primary"))
        g_ptr_array_insert (videos, 0, v);
      else
        g_ptr_array_add (videos, v);
    }
  return videos;
}

/* The primary video adapter, when it sits on the PCI bus without an
 * address of its own, or NULL. */
xmlNodePtr
_vmd_argv_video_to_place (xmlNodePtr devices, gboolean *implicit)
{
  g_autoptr (GPtrArray) videos = sorted_videos (devices);
  xmlNodePtr video;
  g_autofree char *type = NULL;

  *implicit = FALSE;
  if (videos->len == 0)
    {
      *implicit = vmd_xml_child (devices, "graphics") != NULL;
      return NULL;
    }
  video = g_ptr_array_index (videos, 0);
  type = vmd_xml_get_attr_at (video, "model", "type");
  if (g_strcmp0 (type, "ramfb") == 0 || g_strcmp0 (type, "none") == 0 ||
      _vmd_argv_is_pci_address (video))
    return NULL;
  return video;
}

/* The primary adapter goes where libvirt puts it. */
static void
place_primary_video (VmdArgvBuilder *b, JsonObject *props)
{
  g_autofree char *addr = g_strdup_printf ("0x%x", b->video_slot);

  _vmd_json_str (props, "bus", b->q35 ? "pcie.0" : "pci.0");
  _vmd_json_str (props, "addr", addr);
}

guint
_vmd_argv_video_index (xmlNodePtr video)
{
  g_autoptr (GPtrArray) videos = sorted_videos (video->parent);
  guint index = 0;

  g_ptr_array_find (videos, video, &index);
  return index;
}

static gboolean
build_video (VmdArgvBuilder *b, xmlNodePtr v, gboolean primary, GError **error)
{
  static const char *const model_attrs[] = {
    "type", "vram", "ram", "vgamem", "vram64", "heads", "primary", "blob", NULL
  };
  xmlNodePtr model = vmd_xml_child (v, "model");
  g_autofree char *type = vmd_xml_get_attr (model, "type");
  g_autofree char *backend = vmd_xml_get_attr_at (v, "driver", "name");
  g_autofree char *id = _vmd_argv_device_id_for_node (b->devices, v);
  guint64 heads = vmd_xml_get_uint_attr_at (model, NULL, "heads", 0);
  guint64 vram = vmd_xml_get_uint_attr_at (model, NULL, "vram", 0);
  JsonObject *props;
  gboolean pci = TRUE;
  gboolean pcie = FALSE;

  if (type == NULL)
    type = g_strdup ("cirrus");
  if (g_str_equal (type, "none"))
    return TRUE;
  if (!_vmd_argv_check_attrs (model, model_attrs, error))
    return FALSE;
  if (vmd_xml_child (model, "acceleration") != NULL &&
      (_vmd_argv_yes (model, "acceleration", "accel3d") || _vmd_argv_yes (model, "acceleration", "accel2d")))
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot run a video adapter with 3D acceleration (<acceleration accel3d='yes'>); use libvirt for this virtual machine."));
  if (g_strcmp0 (backend, "vhostuser") == 0)
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot run a vhost-user video adapter (<driver name='vhostuser'>); use libvirt for this virtual machine."));

  props = _vmd_json_new ();
  if (g_str_equal (type, "vga"))
    {
      _vmd_json_str (props, "driver", primary ? "VGA" : "secondary-vga");
      _vmd_json_str (props, "id", id);
      _vmd_json_int (props, "vgamem_mb", (gint64) ((vram ? vram : 16384) / 1024));
    }
  else if (g_str_equal (type, "cirrus"))
    {
      _vmd_json_str (props, "driver", "cirrus-vga");
      _vmd_json_str (props, "id", id);
    }
  else if (g_str_equal (type, "vmvga"))
    {
      _vmd_json_str (props, "driver", "vmware-svga");
      _vmd_json_str (props, "id", id);
      _vmd_json_int (props, "vgamem_mb", (gint64) ((vram ? vram : 16384) / 1024));
    }
  else if (g_str_equal (type, "qxl"))
    {
      guint64 ram = vmd_xml_get_uint_attr_at (model, NULL, "ram", 65536);
      guint64 vgamem = vmd_xml_get_uint_attr_at (model, NULL, "vgamem", 16384);
      guint64 vram64 = vmd_xml_get_uint_attr_at (model, NULL, "vram64", 0);

      _vmd_json_str (props, "driver", primary ? "qxl-vga" : "qxl");
      _vmd_json_str (props, "id", id);
      _vmd_json_int (props, "max_outputs", (gint64) (heads ? heads : 1));
      _vmd_json_int (props, "ram_size", (gint64) (ram * 1024));
      _vmd_json_int (props, "vram_size", (gint64) ((vram ? vram : 65536) * 1024));
      _vmd_json_int (props, "vram64_size_mb", (gint64) (vram64 / 1024));
      _vmd_json_int (props, "vgamem_mb", (gint64) (vgamem / 1024));
    }
  else if (g_str_equal (type, "virtio"))
    {
      _vmd_json_str (props, "driver", primary ? "virtio-vga" : "virtio-gpu-pci");
      _vmd_json_str (props, "id", id);
      _vmd_json_int (props, "max_outputs", (gint64) (heads ? heads : 1));
      if (vmd_xml_has_attr (model, "blob"))
        _vmd_json_bool (props, "blob", _vmd_argv_yes (model, NULL, "blob"));
      _vmd_argv_virtio_options (v, props);
      pcie = !primary;
    }
  else if (g_str_equal (type, "bochs"))
    {
      _vmd_json_str (props, "driver", "bochs-display");
      _vmd_json_str (props, "id", id);
      _vmd_json_int (props, "vgamem", (gint64) ((vram ? vram : 16384) * 1024));
    }
  else if (g_str_equal (type, "ramfb"))
    {
      _vmd_json_str (props, "driver", "ramfb");
      _vmd_json_str (props, "id", id);
      pci = FALSE;
    }
  else
    {
      json_object_unref (props);
      return _vmd_argv_unsupported (error,
                                    _("The embedded engine cannot run a video adapter of model '%s' (<model type='%s'>); use libvirt for this virtual machine."),
                                    type, type);
    }

  if (pci && primary && b->video_slot != 0 && !_vmd_argv_is_pci_address (v))
    place_primary_video (b, props);
  else if (pci && !_vmd_argv_place_pci (b, v, props, pcie, error))
    return _vmd_argv_fail (props);
  return _vmd_argv_add_device (b, props);
}

gboolean
_vmd_argv_build_videos (VmdArgvBuilder *b, GError **error)
{
  g_autoptr (GPtrArray) videos = sorted_videos (b->devices);

  if (videos->len == 0 && vmd_xml_child (b->devices, "graphics") != NULL)
    {
      /* libvirt's default adapter when there is a display. */
      JsonObject *props = _vmd_json_new ();

      _vmd_json_str (props, "driver", "cirrus-vga");
      _vmd_json_str (props, "id", "video0");
      if (b->video_slot != 0)
        place_primary_video (b, props);
      else if (!_vmd_argv_place_pci (b, NULL, props, FALSE, error))
        return _vmd_argv_fail (props);
      return _vmd_argv_add_device (b, props);
    }
  for (guint i = 0; i < videos->len; i++)
    if (!build_video (b, g_ptr_array_index (videos, i), i == 0, error))
      return FALSE;
  return TRUE;
}

/* ---------------------------------------------------------------- sound */

gboolean
_vmd_argv_build_sound (VmdArgvBuilder *b, xmlNodePtr s, GError **error)
{
  g_autofree char *model = vmd_xml_get_attr (s, "model");
  g_autofree char *id = _vmd_argv_device_id_for_node (b->devices, s);
  g_autofree char *audiodev = sound_audiodev (b, s);
  JsonObject *props;
  const char *driver = NULL;
  gboolean hda = FALSE;

  if (g_strcmp0 (model, "pcspk") == 0)
    return TRUE;  /* on the machine line */
  if (g_strcmp0 (model, "ich6") == 0)
    driver = "intel-hda", hda = TRUE;
  else if (g_strcmp0 (model, "ich9") == 0)
    driver = "ich9-intel-hda", hda = TRUE;
  else if (g_strcmp0 (model, "ac97") == 0)
    driver = "AC97";
  else if (g_strcmp0 (model, "es1370") == 0)
    driver = "ES1370";
  else if (g_strcmp0 (model, "sb16") == 0)
    driver = "sb16";
  else if (g_strcmp0 (model, "usb") == 0)
    driver = "usb-audio";
  else
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot run a sound card of model '%s' (<sound model='%s'>); use libvirt for this virtual machine."),
                                  model ? model : "", model ? model : "");

  props = _vmd_json_new ();
  _vmd_json_str (props, "driver", driver);
  _vmd_json_str (props, "id", id);
  if (!hda)
    _vmd_json_str (props, "audiodev", audiodev);
  if (g_str_equal (driver, "usb-audio"))
    {
      if (_vmd_argv_yes (s, NULL, "multichannel"))
        _vmd_json_bool (props, "multi", TRUE);
      if (!_vmd_argv_place_usb (b, s, props, error))
        return _vmd_argv_fail (props);
    }
  else if (!g_str_equal (driver, "sb16") && !_vmd_argv_place_pci (b, s, props, FALSE, error))
    return _vmd_argv_fail (props);
  _vmd_argv_add_device (b, props);

  if (hda)
    {
      guint cad = 0;
      g_autofree char *hda_bus = g_strdup_printf ("%s.0", id);
      xmlNodePtr codec = vmd_xml_child (s, "codec");

      do
        {
          g_autofree char *type = vmd_xml_get_attr (codec, "type");
          g_autofree char *codec_id = g_strdup_printf ("%s-codec%u", id, cad);
          const char *codec_driver;

          if (type == NULL || g_str_equal (type, "duplex"))
            codec_driver = "hda-duplex";
          else if (g_str_equal (type, "micro"))
            codec_driver = "hda-micro";
          else if (g_str_equal (type, "output"))
            codec_driver = "hda-output";
          else
            return _vmd_argv_unsupported (error,
                                          _("The embedded engine cannot run a sound codec of type '%s' (<codec type='%s'>); use libvirt for this virtual machine."),
                                          type, type);
          props = _vmd_json_new ();
          _vmd_json_str (props, "driver", codec_driver);
          _vmd_json_str (props, "id", codec_id);
          _vmd_json_str (props, "bus", hda_bus);
          _vmd_json_int (props, "cad", cad);
          _vmd_json_str (props, "audiodev", audiodev);
          _vmd_argv_add_device (b, props);
          cad++;
          codec = codec ? vmd_xml_next_element (codec, "codec") : NULL;
        }
      while (codec != NULL);
    }
  return TRUE;
}

/* ---------------------------------------------------------------- input */

gboolean
_vmd_argv_build_input (VmdArgvBuilder *b, xmlNodePtr in, GError **error)
{
  g_autofree char *type = vmd_xml_get_attr (in, "type");
  g_autofree char *bus = vmd_xml_get_attr (in, "bus");
  g_autofree char *model = vmd_xml_get_attr (in, "model");
  g_autofree char *id = _vmd_argv_device_id_for_node (b->devices, in);
  JsonObject *props;
  const char *driver = NULL;

  if (bus == NULL && (g_strcmp0 (type, "mouse") == 0 || g_strcmp0 (type, "keyboard") == 0))
    bus = g_strdup ("ps2");
  else if (bus == NULL && g_strcmp0 (type, "tablet") == 0)
    bus = g_strdup ("usb");
  else if (bus == NULL)
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot run an input device of type '%s' (<input type='%s'>); use libvirt for this virtual machine."),
                                  type ? type : "", type ? type : "");
  if (g_str_equal (bus, "ps2") && g_strcmp0 (type, "tablet") != 0)
    return TRUE;  /* built into the PC */

  if (g_strcmp0 (type, "passthrough") == 0 && g_str_equal (bus, "virtio"))
    {
      g_autofree char *evdev = vmd_xml_get_attr_at (in, "source", "evdev");
      props = _vmd_json_new ();
      _vmd_json_str (props, "driver", "virtio-input-host-pci");
      _vmd_json_str (props, "id", id);
      _vmd_json_str (props, "evdev", evdev ? evdev : "");
      if (!_vmd_argv_place_pci (b, in, props, TRUE, error))
        return _vmd_argv_fail (props);
      return _vmd_argv_add_device (b, props);
    }

  if (g_str_equal (bus, "usb"))
    {
      if (g_strcmp0 (type, "tablet") == 0)
        driver = "usb-tablet";
      else if (g_strcmp0 (type, "mouse") == 0)
        driver = "usb-mouse";
      else if (g_strcmp0 (type, "keyboard") == 0)
        driver = "usb-kbd";
    }
  else if (g_str_equal (bus, "virtio"))
    {
      if (g_strcmp0 (type, "tablet") == 0)
        driver = "virtio-tablet-pci";
      else if (g_strcmp0 (type, "mouse") == 0)
        driver = "virtio-mouse-pci";
      else if (g_strcmp0 (type, "keyboard") == 0)
        driver = "virtio-keyboard-pci";
      if (driver != NULL && model != NULL && !g_str_equal (model, "virtio"))
        return _vmd_argv_unsupported (error,
                                      _("The embedded engine cannot run an input device of model '%s'; use libvirt for this virtual machine."),
                                      model);
    }
  if (driver == NULL)
    return _vmd_argv_unsupported (error,
                                  _("The embedded engine cannot run an input device of type '%s' on the '%s' bus (<input type='%s' bus='%s'>); use libvirt for this virtual machine."),
                                  type ? type : "", bus, type ? type : "", bus);

  props = _vmd_json_new ();
  _vmd_json_str (props, "driver", driver);
  _vmd_json_str (props, "id", id);
  if (g_str_equal (bus, "usb"))
    {
      if (!_vmd_argv_place_usb (b, in, props, error))
        return _vmd_argv_fail (props);
    }
  else
    {
      _vmd_argv_virtio_options (in, props);
      if (!_vmd_argv_place_pci (b, in, props, TRUE, error))
        return _vmd_argv_fail (props);
    }
  return _vmd_argv_add_device (b, props);
}
