/* argv-compare.c: QEMU command lines read and compared by meaning
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Two engines never write the same command line: node names, PCI slots,
 * sockets and policy options differ. What must agree is what the guest
 * gets: the machine, its CPUs and memory, the devices and their IDs, the
 * media behind the disks, the network backends, the displays and the boot
 * order. A summary keeps exactly that, as sorted lists of short facts.
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include "argv-compare.h"

static const char *const categories[] = {
  "machine", "accel", "memory", "smp", "numa", "cpu", "rtc", "boot-options", "kernel",
  "globals", "watchdog", "devices", "properties", "disks", "netdevs", "display", "boot",
  "macs", "ports", "audio", NULL
};

/* -machine options that are each engine's policy or plumbing. */
static const char *const machine_policy[] = {
  "usb", "dump-guest-core", "memory-backend", "pflash0", "pflash1", NULL
};

/* Device properties that the guest sees and the definition decides. */
static const char *const device_properties[] = {
  "serial", "write-cache", "werror", "rerror", "share-rw", "removable", "max_outputs",
  "ram_size", "vram_size", "vgamem_mb", "vram64_size_mb", "vgamem", "num_queues",
  "cmd_per_lun", "max_sectors", "ioeventfd", "event_idx", "tx", "rss", "hash", "mq", "vectors",
  "rx_queue_size", "tx_queue_size", "host_mtu", "deflate-on-oom", "free-page-reporting",
  "masterbus", "firstport", "p2", "p3", "index", "max-bytes", "period", "multi", "cad", "tag",
  "mount_tag", "queue-size", "rombar", "romfile", "cyls", "heads", "secs", "bios-chs-trans",
  "logical_block_size", "physical_block_size", "discard_granularity", "rotation_rate", "wwn",
  "vendor", "product", "device_id", "unit", "scsi-id", "lun", "channel", "nr", "evdev",
  "iothread", "acpi-index", "blob", "num-queues", "queue-size", "iommu_platform", "ats",
  "packed", "page-per-vq", "max_ports", "ioport", "chassis_nr", "bus_nr", "numa_node",
  "hotplug", NULL
};

/* Options without a value. */
static const char *const lone_options[] = {
  "-S", "-no-user-config", "-nodefaults", "-no-shutdown", "-no-reboot", "-daemonize",
  "-no-acpi", "-no-hpet", "-full-screen", "-enable-kvm", "-mem-prealloc", "-nographic", NULL
};

struct _ArgvSummary
{
  GHashTable *facts;    /* category → GPtrArray of char* */
  GHashTable *ignored;  /* category → TRUE */
};

/* ------------------------------------------------------------ splitting */

GStrv
argv_split_args_file (const char *text, GError **error)
{
  g_autoptr (GStrvBuilder) words = g_strv_builder_new ();
  g_autoptr (GString) word = NULL;
  gboolean in_word = FALSE;
  gboolean env = TRUE;
  const char *p = text;

  while (TRUE)
    {
      char c = *p;

      if (c == '\0' || c == ' ' || c == '\t' || c == '\n')
        {
          if (in_word)
            {
              /* VAR=value words before the binary are the environment. */
              const char *eq = strchr (word->str, '=');
              gboolean is_env = FALSE;

              if (env && eq != NULL && eq != word->str)
                {
                  is_env = TRUE;
                  for (const char *q = word->str; q < eq; q++)
                    if (!g_ascii_isalnum (*q) && *q != '_')
                      is_env = FALSE;
                }
              if (!is_env)
                {
                  env = FALSE;
                  g_strv_builder_add (words, word->str);
                }
              g_string_truncate (word, 0);
              in_word = FALSE;
            }
          if (c == '\0')
            break;
          p++;
          continue;
        }
      if (word == NULL)
        word = g_string_new (NULL);
      if (c == '\\')
        {
          if (p[1] == '\n')
            {
              p += 2;  /* a line continuation */
              continue;
            }
          if (p[1] == '\0')
            {
              g_set_error_literal (error, G_SHELL_ERROR, G_SHELL_ERROR_BAD_QUOTING,
                                   "a backslash ends the text");
              return NULL;
            }
          g_string_append_c (word, p[1]);
          in_word = TRUE;
          p += 2;
          continue;
        }
      if (c == '\'')
        {
          const char *end = strchr (p + 1, '\'');
          if (end == NULL)
            {
              g_set_error_literal (error, G_SHELL_ERROR, G_SHELL_ERROR_BAD_QUOTING,
                                   "an unterminated single quote");
              return NULL;
            }
          g_string_append_len (word, p + 1, end - p - 1);
          in_word = TRUE;
          p = end + 1;
          continue;
        }
      if (c == '"')
        {
          p++;
          while (*p != '"')
            {
              if (*p == '\0')
                {
                  g_set_error_literal (error, G_SHELL_ERROR, G_SHELL_ERROR_BAD_QUOTING,
                                       "an unterminated double quote");
                  return NULL;
                }
              if (*p == '\\' && p[1] != '\0' && strchr ("\"\\$`\n", p[1]) != NULL)
                {
                  if (p[1] != '\n')
                    g_string_append_c (word, p[1]);
                  p += 2;
                  continue;
                }
              g_string_append_c (word, *p++);
            }
          in_word = TRUE;
          p++;
          continue;
        }
      g_string_append_c (word, c);
      in_word = TRUE;
      p++;
    }
  return g_strv_builder_end (words);
}

/* ------------------------------------------------------------- keyval */

/* "a,b=c,,d,e=f" → ["a", "b=c,d", "e=f"] */
static GStrv
keyval_split (const char *value)
{
  g_autoptr (GStrvBuilder) parts = g_strv_builder_new ();
  g_autoptr (GString) part = g_string_new (NULL);

  for (const char *p = value; ; p++)
    {
      if (*p == ',' && p[1] == ',')
        {
          g_string_append_c (part, ',');
          p++;
          continue;
        }
      if (*p == ',' || *p == '\0')
        {
          g_strv_builder_add (parts, part->str);
          g_string_truncate (part, 0);
          if (*p == '\0')
            break;
          continue;
        }
      g_string_append_c (part, *p);
    }
  return g_strv_builder_end (parts);
}

static char *
keyval_get (const char *value, const char *key)
{
  g_auto (GStrv) parts = keyval_split (value);
  gsize len = strlen (key);

  for (guint i = 0; parts[i]; i++)
    if (strncmp (parts[i], key, len) == 0 && parts[i][len] == '=')
      return g_strdup (parts[i] + len + 1);
  return NULL;
}

static JsonObject *
parse_object (const char *value, const char *implied_key)
{
  if (value[0] == '{')
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonNode *root;

      if (!json_parser_load_from_data (parser, value, -1, NULL))
        return NULL;
      root = json_parser_get_root (parser);
      if (!JSON_NODE_HOLDS_OBJECT (root))
        return NULL;
      return json_object_ref (json_node_get_object (root));
    }
  else
    {
      g_auto (GStrv) parts = keyval_split (value);
      JsonObject *object = json_object_new ();

      for (guint i = 0; parts[i]; i++)
        {
          const char *eq = strchr (parts[i], '=');
          if (eq == NULL && i == 0)
            json_object_set_string_member (object, implied_key, parts[i]);
          else if (eq != NULL)
            {
              g_autofree char *key = g_strndup (parts[i], eq - parts[i]);
              json_object_set_string_member (object, key, eq + 1);
            }
        }
      return object;
    }
}

/* A member as text, whatever its JSON type. */
static char *
member_text (JsonObject *object, const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);
      if (type == G_TYPE_STRING)
        return g_strdup (json_node_get_string (node));
      if (type == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? "true" : "false");
      if (type == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      if (type == G_TYPE_DOUBLE)
        return g_strdup_printf ("%g", json_node_get_double (node));
    }
  return json_to_string (node, FALSE);
}

/* JSON with the members of every object sorted, so that two writers'
 * orders compare equal. */
static void
canonical_json (JsonNode *node, GString *out)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);
      GList *members = g_list_sort (json_object_get_members (o), (GCompareFunc) strcmp);

      g_string_append_c (out, '{');
      for (GList *l = members; l; l = l->next)
        {
          g_string_append_printf (out, "%s\"%s\":", l == members ? "" : ",", (const char *) l->data);
          canonical_json (json_object_get_member (o, l->data), out);
        }
      g_string_append_c (out, '}');
      g_list_free (members);
    }
  else
    {
      g_autofree char *text = json_to_string (node, FALSE);
      g_string_append (out, text);
    }
}

/* ------------------------------------------------------------- summary */

static void
add_fact (ArgvSummary *s, const char *category, char *fact)
{
  GPtrArray *list = g_hash_table_lookup (s->facts, category);
  g_ptr_array_add (list, fact);
}

static gboolean
is_pci_controller (const char *driver)
{
  static const char *const drivers[] = {
    "pcie-root-port", "ioh3420", "pci-bridge", "pcie-pci-bridge", "i82801b11-bridge",
    "x3130-upstream", "xio3130-downstream", "pxb", "pxb-pcie", "usb-hub", NULL
  };
  return g_strv_contains (drivers, driver);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

ArgvSummary *
argv_summary_new (const char *const *argv, GHashTable *declared_pci, GError **error)
{
  g_autoptr (ArgvSummary) s = g_new0 (ArgvSummary, 1);
  g_autoptr (GHashTable) blockdevs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            (GDestroyNotify) json_object_unref);
  g_autoptr (GPtrArray) devices = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr (GPtrArray) numa_nodes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) backends = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gboolean any_display = FALSE;

  s->facts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  s->ignored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; categories[i]; i++)
    g_hash_table_insert (s->facts, (gpointer) categories[i], g_ptr_array_new_with_free_func (g_free));

  for (guint i = 1; argv[i] != NULL; i++)
    {
      const char *opt = argv[i];
      const char *value = argv[i + 1];

      if (opt[0] != '-' || g_strv_contains (lone_options, opt))
        continue;
      if (value == NULL)
        break;

      if (g_str_equal (opt, "-machine") || g_str_equal (opt, "-accel") || g_str_equal (opt, "-cpu"))
        {
          g_auto (GStrv) parts = keyval_split (value);
          const char *category = opt + 1;

          add_fact (s, category, g_strdup (parts[0]));
          for (guint k = 1; parts[k]; k++)
            {
              g_autofree char *key = g_strndup (parts[k], strcspn (parts[k], "="));
              if (g_str_equal (category, "machine") && g_strv_contains (machine_policy, key))
                continue;
              add_fact (s, category, g_strdup (parts[k]));
            }
        }
      else if (g_str_equal (opt, "-rtc"))
        {
          g_auto (GStrv) parts = keyval_split (value);
          for (guint k = 0; parts[k]; k++)
            {
              /* A base date is the time the command line was made. */
              if (g_str_has_prefix (parts[k], "base=") && g_ascii_isdigit (parts[k][5]))
                add_fact (s, "rtc", g_strdup ("base=<date>"));
              else
                add_fact (s, "rtc", g_strdup (parts[k]));
            }
        }
      else if (g_str_equal (opt, "-boot"))
        {
          g_auto (GStrv) parts = keyval_split (value);
          for (guint k = 0; parts[k]; k++)
            add_fact (s, "boot-options", g_strdup (parts[k]));
        }
      else if (g_str_equal (opt, "-bios") && g_str_equal (value, "/usr/share/seabios/bios-256k.bin"))
        {
          /* QEMU's own default, which libvirt names when it picks it. */
        }
      else if (g_str_equal (opt, "-kernel") || g_str_equal (opt, "-initrd") || g_str_equal (opt, "-append") ||
               g_str_equal (opt, "-bios"))
        {
          add_fact (s, "kernel", g_strdup_printf ("%s %s", opt, value));
        }
      else if (g_str_equal (opt, "-numa"))
        {
          g_ptr_array_add (numa_nodes, g_strdup (value));
        }
      else if (g_str_equal (opt, "-object"))
        {
          g_autoptr (JsonObject) o = parse_object (value, "qom-type");
          g_autofree char *type = member_text (o, "qom-type");
          g_autofree char *id = member_text (o, "id");
          g_autofree char *size = member_text (o, "size");

          if (type != NULL && g_str_has_prefix (type, "memory-backend") && id != NULL && size != NULL)
            g_hash_table_insert (backends, g_steal_pointer (&id), g_steal_pointer (&size));
          else if (g_strcmp0 (type, "iothread") == 0)
            add_fact (s, "devices", g_strdup_printf ("iothread %s", id));
          else if (type != NULL && g_str_has_prefix (type, "rng-"))
            {
              g_autofree char *filename = member_text (o, "filename");
              add_fact (s, "devices", g_strdup_printf ("%s %s %s", type, id, filename ? filename : "-"));
            }
        }
      else if (g_str_equal (opt, "-audiodev"))
        {
          g_autoptr (JsonObject) o = parse_object (value, "driver");
          g_autofree char *driver = member_text (o, "driver");
          g_autoptr (GString) text = g_string_new (NULL);
          JsonNode *node = json_node_init_object (json_node_alloc (), o);

          /* QEMU 7.2 has no PipeWire backend: vmdesk plays through
           * PipeWire's PulseAudio server. */
          if (g_strcmp0 (driver, "pipewire") == 0)
            json_object_set_string_member (o, "driver", "pa");
          canonical_json (node, text);
          json_node_unref (node);
          add_fact (s, "audio", g_string_free (g_steal_pointer (&text), FALSE));
        }
      else if (g_str_equal (opt, "-watchdog-action"))
        {
          add_fact (s, "watchdog", g_strdup (value));
        }
      else if (g_str_equal (opt, "-action"))
        {
          g_autofree char *action = keyval_get (value, "watchdog");
          if (action != NULL)
            add_fact (s, "watchdog", g_steal_pointer (&action));
        }
      else if (g_str_equal (opt, "-m"))
        {
          g_autofree char *size = keyval_get (value, "size");
          g_autofree char *maxmem = keyval_get (value, "maxmem");
          g_autofree char *slots = keyval_get (value, "slots");

          add_fact (s, "memory", g_strdup_printf ("size=%s", size ? size : value));
          if (maxmem)
            add_fact (s, "memory", g_strdup_printf ("maxmem=%s", maxmem));
          if (slots)
            add_fact (s, "memory", g_strdup_printf ("slots=%s", slots));
        }
      else if (g_str_equal (opt, "-smp"))
        {
          g_auto (GStrv) parts = keyval_split (value);
          const char *keys[] = { "maxcpus", "sockets", "dies", "clusters", "cores", "threads" };
          g_autofree char *cpus = keyval_get (value, "cpus");

          if (cpus == NULL && strchr (parts[0], '=') == NULL)
            cpus = g_strdup (parts[0]);
          add_fact (s, "smp", g_strdup_printf ("cpus=%s", cpus));
          for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
            {
              g_autofree char *v = keyval_get (value, keys[k]);
              if (v == NULL)
                v = g_strdup (g_str_equal (keys[k], "maxcpus") ? cpus : "1");
              add_fact (s, "smp", g_strdup_printf ("%s=%s", keys[k], v));
            }
        }
      else if (g_str_equal (opt, "-blockdev"))
        {
          JsonObject *o = parse_object (value, "driver");
          g_autofree char *name = member_text (o, "node-name");

          if (o != NULL && name != NULL)
            g_hash_table_insert (blockdevs, g_steal_pointer (&name), o);
          else if (o != NULL)
            json_object_unref (o);
        }
      else if (g_str_equal (opt, "-device"))
        {
          JsonObject *o = parse_object (value, "driver");
          if (o == NULL)
            {
              g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE, "a -device I cannot read: %s", value);
              return NULL;
            }
          g_ptr_array_add (devices, o);
        }
      else if (g_str_equal (opt, "-netdev"))
        {
          g_autoptr (JsonObject) o = parse_object (value, "type");
          add_fact (s, "netdevs", member_text (o, "type"));
        }
      else if (g_str_equal (opt, "-vnc"))
        {
          add_fact (s, "display", g_strdup ("vnc"));
          any_display = TRUE;
        }
      else if (g_str_equal (opt, "-spice"))
        {
          add_fact (s, "display", g_strdup ("spice"));
          any_display = TRUE;
        }
      else if (g_str_equal (opt, "-display"))
        {
          g_auto (GStrv) parts = keyval_split (value);
          add_fact (s, "display", g_strdup (parts[0]));
          any_display = TRUE;
        }
      else if (g_str_equal (opt, "-global"))
        {
          add_fact (s, "globals", g_strdup (value));
          if (g_str_has_prefix (value, "isa-fdc.bootindexA="))
            add_fact (s, "boot", g_strdup_printf ("floppyA=%s", value + strlen ("isa-fdc.bootindexA=")));
          else if (g_str_has_prefix (value, "isa-fdc.bootindexB="))
            add_fact (s, "boot", g_strdup_printf ("floppyB=%s", value + strlen ("isa-fdc.bootindexB=")));
        }
      i++;
    }
  (void) any_display;

  /* NUMA nodes by their CPUs and memory in MiB, whether given as mem= or
   * as a memory backend. */
  for (guint i = 0; i < numa_nodes->len; i++)
    {
      const char *value = g_ptr_array_index (numa_nodes, i);
      g_auto (GStrv) parts = keyval_split (value);
      g_autoptr (GString) fact = g_string_new (parts[0]);

      for (guint k = 1; parts[k]; k++)
        {
          if (g_str_has_prefix (parts[k], "memdev="))
            {
              const char *size = g_hash_table_lookup (backends, parts[k] + strlen ("memdev="));
              g_string_append_printf (fact, ",mem=%" G_GUINT64_FORMAT,
                                      size ? g_ascii_strtoull (size, NULL, 10) / (1024 * 1024) : 0);
            }
          else
            g_string_append_printf (fact, ",%s", parts[k]);
        }
      add_fact (s, "numa", g_string_free (g_steal_pointer (&fact), FALSE));
    }

  for (guint i = 0; i < devices->len; i++)
    {
      JsonObject *d = g_ptr_array_index (devices, i);
      g_autofree char *driver = member_text (d, "driver");
      g_autofree char *id = member_text (d, "id");
      g_autofree char *drive = member_text (d, "drive");
      g_autofree char *bootindex = member_text (d, "bootindex");
      g_autofree char *mac = member_text (d, "mac");
      g_autofree char *name = member_text (d, "name");
      const char *key = id ? id : driver;

      if (driver == NULL)
        continue;
      if (is_pci_controller (driver) && (id == NULL || declared_pci == NULL ||
                                         !g_hash_table_contains (declared_pci, id)))
        continue;
      add_fact (s, "devices", g_strdup_printf ("%s %s", driver, id ? id : "-"));
      if (bootindex != NULL)
        add_fact (s, "boot", g_strdup_printf ("%s=%s", key, bootindex));
      if (g_str_equal (driver, "isa-fdc"))
        {
          g_autofree char *a = member_text (d, "bootindexA");
          g_autofree char *b = member_text (d, "bootindexB");
          if (a)
            add_fact (s, "boot", g_strdup_printf ("floppyA=%s", a));
          if (b)
            add_fact (s, "boot", g_strdup_printf ("floppyB=%s", b));
        }
      if (mac != NULL)
        add_fact (s, "macs", g_strdup_printf ("%s=%s", key, mac));
      for (guint k = 0; device_properties[k]; k++)
        {
          g_autofree char *v = member_text (d, device_properties[k]);

          if (v == NULL)
            continue;
          if (g_str_equal (device_properties[k], "serial"))
            {
              /* libvirt escapes blanks in serials with backslashes. */
              g_autoptr (GString) plain = g_string_new (NULL);
              for (const char *c = v; *c; c++)
                if (*c != '\\')
                  g_string_append_c (plain, *c);
              g_free (v);
              v = g_string_free (g_steal_pointer (&plain), FALSE);
            }
          add_fact (s, "properties", g_strdup_printf ("%s %s=%s", key, device_properties[k], v));
        }
      {
        /* Buses that are not PCI ones are part of the guest's view. */
        g_autofree char *bus = member_text (d, "bus");
        if (bus != NULL && !g_str_has_prefix (bus, "pci.") && !g_str_has_prefix (bus, "pcie."))
          add_fact (s, "properties", g_strdup_printf ("%s bus=%s", key, bus));
      }
      if (name != NULL && (g_str_equal (driver, "virtserialport") || g_str_equal (driver, "virtconsole")))
        add_fact (s, "ports", g_strdup_printf ("%s=%s", key, name));

      if (drive != NULL)
        {
          JsonObject *node = g_hash_table_lookup (blockdevs, drive);
          JsonObject *storage;
          g_autofree char *format = NULL;
          g_autofree char *protocol = NULL;
          g_autofree char *filename = NULL;
          g_autofree char *ro = NULL;
          g_autofree char *file = NULL;

          /* Filters on top pass through. */
          while (node != NULL)
            {
              g_autofree char *ndriver = member_text (node, "driver");
              if (g_strcmp0 (ndriver, "copy-on-read") != 0 && g_strcmp0 (ndriver, "throttle") != 0)
                break;
              g_free (file);
              file = member_text (node, "file");
              node = file ? g_hash_table_lookup (blockdevs, file) : NULL;
            }
          if (node == NULL)
            {
              add_fact (s, "disks", g_strdup_printf ("%s: unresolved drive %s", key, drive));
              continue;
            }
          g_free (file);
          file = member_text (node, "file");
          storage = file && json_node_get_value_type (json_object_get_member (node, "file")) == G_TYPE_STRING
                    ? g_hash_table_lookup (blockdevs, file) : NULL;
          ro = member_text (node, "read-only");
          if (storage != NULL)
            {
              format = member_text (node, "driver");
              protocol = member_text (storage, "driver");
              filename = member_text (storage, "filename");
            }
          else
            {
              format = g_strdup ("raw");
              protocol = member_text (node, "driver");
              filename = member_text (node, "filename");
            }
          /* libvirt asks the device whether it is an optical drive; its
           * test suite fakes the answer. Both name a host block device. */
          if (g_strcmp0 (protocol, "host_cdrom") == 0)
            {
              g_free (protocol);
              protocol = g_strdup ("host_device");
            }
          add_fact (s, "disks", g_strdup_printf ("%s: %s %s %s read-only=%s", key, protocol,
                                                 filename ? filename : "-", format,
                                                 ro ? ro : "false"));
          {
            static const char *const node_props[] = { "cache", "discard", "detect-zeroes", "aio" };
            for (guint k = 0; k < G_N_ELEMENTS (node_props); k++)
              {
                g_autofree char *v = member_text (node, node_props[k]);
                if (v == NULL && storage != NULL)
                  v = member_text (storage, node_props[k]);
                if (v != NULL)
                  add_fact (s, "disks", g_strdup_printf ("%s: %s=%s", key, node_props[k], v));
              }
          }
        }
      else if (g_str_equal (driver, "ide-cd") || g_str_equal (driver, "scsi-cd") ||
               g_str_equal (driver, "floppy"))
        {
          add_fact (s, "disks", g_strdup_printf ("%s: empty", key));
        }
    }

  /* QEMU resets on a watchdog unless told otherwise. */
  if (((GPtrArray *) g_hash_table_lookup (s->facts, "watchdog"))->len == 0)
    add_fact (s, "watchdog", g_strdup ("reset"));

  for (guint i = 0; categories[i]; i++)
    g_ptr_array_sort (g_hash_table_lookup (s->facts, categories[i]), compare_strings);
  return g_steal_pointer (&s);
}

void
argv_summary_free (ArgvSummary *summary)
{
  if (summary == NULL)
    return;
  g_clear_pointer (&summary->facts, g_hash_table_unref);
  g_clear_pointer (&summary->ignored, g_hash_table_unref);
  g_free (summary);
}

void
argv_summary_ignore (ArgvSummary *summary, const char *category)
{
  g_hash_table_add (summary->ignored, g_strdup (category));
}

static char *
join (GPtrArray *list)
{
  g_autoptr (GString) s = g_string_new (NULL);

  for (guint i = 0; i < list->len; i++)
    {
      if (i > 0)
        g_string_append (s, ", ");
      g_string_append (s, g_ptr_array_index (list, i));
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

char *
argv_summary_diff (ArgvSummary *ours, ArgvSummary *theirs)
{
  for (guint i = 0; categories[i]; i++)
    {
      GPtrArray *a = g_hash_table_lookup (ours->facts, categories[i]);
      GPtrArray *b = g_hash_table_lookup (theirs->facts, categories[i]);
      guint j;

      if (g_hash_table_contains (ours->ignored, categories[i]) ||
          g_hash_table_contains (theirs->ignored, categories[i]))
        continue;
      for (j = 0; j < a->len && j < b->len; j++)
        if (strcmp (g_ptr_array_index (a, j), g_ptr_array_index (b, j)) != 0)
          break;
      if (j < a->len || j < b->len)
        {
          g_autofree char *sa = join (a);
          g_autofree char *sb = join (b);
          return g_strdup_printf ("%s: vmdesk [%s], libvirt [%s]", categories[i], sa, sb);
        }
    }
  return NULL;
}

char *
argv_summary_dump (ArgvSummary *summary)
{
  g_autoptr (GString) s = g_string_new (NULL);

  for (guint i = 0; categories[i]; i++)
    {
      g_autofree char *line = join (g_hash_table_lookup (summary->facts, categories[i]));
      g_string_append_printf (s, "%s: %s\n", categories[i], line);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}
