/* bench-model.c: how fast the model loads, edits and saves real definitions
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Usage: bench-model [ROUNDS]   (default 5; VMD_CORPUS_DIR names the corpus)
 *
 * Every round loads all 1,642 definitions of the corpus (libvirt's
 * qemuxml2argv set and virt-manager's) from memory, edits each (name,
 * memory, the first disk's source), saves each with to_xml(), frees them,
 * then runs the whole cycle (load, edit, save, free) once more document by
 * document. Every tenth document is also
 * saved to a file in a temporary folder (atomic and synced, as the app
 * does). Files are read before timing starts, so disk reads are not timed.
 */
#define G_LOG_DOMAIN "vmdesk-bench"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "corpus-util.h"
#include "vmd-model.h"

#define SAVE_TO_FILE_EVERY 10

static const char *const corpus_sets[] = {
  "libvirt-qemuxml2argv",
  "virt-manager/cli-compare",
  "virt-manager/xmlparse",
  NULL
};

typedef struct {
  char  *xml;
  gsize  len;
} Document;

typedef struct {
  double load, edit, save, validate, release, cycle, save_file;
  gsize  bytes_out;
  guint  n_file_saves;
} Round;

static double
now (void)
{
  return (double) g_get_monotonic_time () / G_USEC_PER_SEC;
}

static void
edit (VmdDomainConfig *config, guint i)
{
  g_autoptr (GPtrArray) disks = vmd_domain_config_get_devices (config, VMD_TYPE_DEVICE_DISK);
  char name[32];

  g_snprintf (name, sizeof name, "bench-%u", i);
  vmd_domain_config_set_name (config, name);
  vmd_domain_config_set_memory (config, 2 * 1024 * 1024);

  for (guint d = 0; d < disks->len; d++)
    {
      VmdDeviceDisk *disk = g_ptr_array_index (disks, d);
      g_autofree char *source = vmd_device_disk_get_source (disk);

      if (source != NULL)
        {
          vmd_device_disk_set_source (disk, "/var/lib/libvirt/images/bench.qcow2");
          break;
        }
    }
}

static VmdDomainConfig *
load (const Document *doc)
{
  g_autoptr (GError) error = NULL;
  VmdDomainConfig *config = vmd_domain_config_new_from_xml (doc->xml, doc->len, &error);

  if (config == NULL)
    g_error ("A corpus document does not load: %s", error->message);
  return config;
}

static void
run_round (const Document *docs, guint n, const char *tmpdir, Round *r)
{
  g_autoptr (GPtrArray) configs = g_ptr_array_new_full (n, g_object_unref);
  double t;

  memset (r, 0, sizeof *r);

  t = now ();
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (configs, load (&docs[i]));
  r->load = now () - t;

  t = now ();
  for (guint i = 0; i < n; i++)
    {
      /* Results are not the point: libvirt's test inputs include invalid
       * ones, and the time to find that out counts too. */
      g_autoptr (GError) error = NULL;
      (void) vmd_domain_config_validate (g_ptr_array_index (configs, i), &error);
    }
  r->validate = now () - t;

  t = now ();
  for (guint i = 0; i < n; i++)
    edit (g_ptr_array_index (configs, i), i);
  r->edit = now () - t;

  t = now ();
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *xml = vmd_domain_config_to_xml (g_ptr_array_index (configs, i));
      r->bytes_out += strlen (xml);
    }
  r->save = now () - t;

  t = now ();
  for (guint i = 0; i < n; i += SAVE_TO_FILE_EVERY)
    {
      g_autofree char *path = g_strdup_printf ("%s/%u.xml", tmpdir, i);
      g_autoptr (GError) error = NULL;

      if (!vmd_domain_config_save_to_file (g_ptr_array_index (configs, i), path, &error))
        g_error ("%s", error->message);
      r->n_file_saves++;
    }
  r->save_file = now () - t;

  t = now ();
  g_ptr_array_set_size (configs, 0);
  r->release = now () - t;

  /* The whole cycle, one document at a time, as a user would see it:
   * load, edit, save, and let go of the definition. */
  t = now ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (VmdDomainConfig) config = load (&docs[i]);
      g_autofree char *xml = NULL;

      edit (config, i);
      xml = vmd_domain_config_to_xml (config);
    }
  r->cycle = now () - t;
}

/* A "Key:   1234 kB" line of /proc/self/status, in KiB; 0 if absent. */
static guint64
proc_status_kib (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  for (line = status; line != NULL && *line; line = strchr (line, '\n'), line = line ? line + 1 : NULL)
    if (g_str_has_prefix (line, key) && line[strlen (key)] == ':')
      return g_ascii_strtoull (line + strlen (key) + 1, NULL, 10);
  return 0;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Median of one field of every round. */
static double
median (const Round *rounds, guint n, gsize offset)
{
  g_autofree double *v = g_new (double, n);

  for (guint i = 0; i < n; i++)
    v[i] = *(const double *) ((const char *) &rounds[i] + offset);
  qsort (v, n, sizeof *v, compare_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double
best (const Round *rounds, guint n, gsize offset)
{
  double b = G_MAXDOUBLE;

  for (guint i = 0; i < n; i++)
    b = MIN (b, *(const double *) ((const char *) &rounds[i] + offset));
  return b;
}

static void
print_rate (const char *what, const Round *rounds, guint n_rounds, gsize offset,
            guint n_docs, gsize bytes)
{
  double med = median (rounds, n_rounds, offset);
  double fast = best (rounds, n_rounds, offset);

  printf ("  %-29s %10.0f docs/s  (best %8.0f)  %8.3f ms/doc", what, n_docs / med,
          n_docs / fast, med * 1000.0 / n_docs);
  if (bytes > 0)
    printf ("  %7.1f MB/s", bytes / med / 1e6);
  printf ("\n");
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) files = NULL;
  g_autofree Document *docs = NULL;
  g_autofree Round *rounds = NULL;
  g_autofree char *tmpdir = NULL;
  guint n_rounds = 5;
  gsize bytes_in = 0;
  guint64 rss_before;
  struct rusage usage;

  guint64 value = n_rounds;

  if (argc > 2 || (argc == 2 && !g_ascii_string_to_unsigned (argv[1], 10, 1, 1000, &value, NULL)))
    {
      fprintf (stderr, "usage: %s [ROUNDS]   (1 to 1000, default 5)\n", argv[0]);
      return 2;
    }
  n_rounds = (guint) value;

  files = corpus_list_xml (corpus_sets);
  docs = g_new0 (Document, files->len);
  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr (GError) error = NULL;

      if (!g_file_get_contents (g_ptr_array_index (files, i), &docs[i].xml, &docs[i].len, &error))
        g_error ("%s", error->message);
      bytes_in += docs[i].len;
    }
  rss_before = proc_status_kib ("VmRSS");

  tmpdir = g_dir_make_tmp ("vmdesk-bench-XXXXXX", NULL);
  g_assert (tmpdir != NULL);

  printf ("vmdesk model benchmark: %u documents, %.2f MB, %u rounds (corpus %s)\n",
          files->len, bytes_in / 1e6, n_rounds, corpus_dir ());

  rounds = g_new0 (Round, n_rounds);
  for (guint r = 0; r < n_rounds; r++)
    {
      run_round (docs, files->len, tmpdir, &rounds[r]);
      printf ("  round %u: load %.3f s, validate %.3f s, edit %.3f s, save %.3f s, "
              "free %.3f s, cycle %.3f s, %u files saved in %.3f s\n",
              r + 1, rounds[r].load, rounds[r].validate, rounds[r].edit, rounds[r].save,
              rounds[r].release, rounds[r].cycle, rounds[r].n_file_saves, rounds[r].save_file);
    }

  printf ("median over %u rounds (best in brackets):\n", n_rounds);
  print_rate ("load (new_from_xml)", rounds, n_rounds, G_STRUCT_OFFSET (Round, load),
              files->len, bytes_in);
  print_rate ("validate", rounds, n_rounds, G_STRUCT_OFFSET (Round, validate), files->len, 0);
  print_rate ("edit (name, memory, disk)", rounds, n_rounds, G_STRUCT_OFFSET (Round, edit),
              files->len, 0);
  print_rate ("save (to_xml)", rounds, n_rounds, G_STRUCT_OFFSET (Round, save), files->len,
              rounds[0].bytes_out);
  print_rate ("free (unref)", rounds, n_rounds, G_STRUCT_OFFSET (Round, release), files->len, 0);
  print_rate ("cycle (load+edit+save+free)", rounds, n_rounds, G_STRUCT_OFFSET (Round, cycle),
              files->len, bytes_in);
  print_rate ("save_to_file (synced)", rounds, n_rounds, G_STRUCT_OFFSET (Round, save_file),
              rounds[0].n_file_saves, 0);

  getrusage (RUSAGE_SELF, &usage);
  printf ("memory: peak RSS (VmHWM) %" G_GUINT64_FORMAT " KiB, ru_maxrss %ld KiB, "
          "RSS with the corpus read and nothing loaded %" G_GUINT64_FORMAT " KiB\n",
          proc_status_kib ("VmHWM"), usage.ru_maxrss, rss_before);

  for (guint i = 0; i < files->len; i += SAVE_TO_FILE_EVERY)
    {
      g_autofree char *path = g_strdup_printf ("%s/%u.xml", tmpdir, i);
      g_unlink (path);
    }
  g_rmdir (tmpdir);
  for (guint i = 0; i < files->len; i++)
    g_free (docs[i].xml);
  return 0;
}
