/* test-image.c: disk images with the real qemu-img
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmd-engine-types.h"
#include "vmd-image.h"

#define MiB (G_GUINT64_CONSTANT (1) << 20)
#define GiB (G_GUINT64_CONSTANT (1) << 30)

/* ---- helpers --------------------------------------------------------- */

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static gboolean
create_image (const char *path, const char *format, guint64 size, const char *backing,
              GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  vmd_image_create_async (path, format, size, backing, NULL, on_done, &result);
  return vmd_image_create_finish (wait_for (&result), error);
}

static VmdImageInfo *
query_image (const char *path, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  vmd_image_query_async (path, NULL, on_done, &result);
  return vmd_image_query_finish (wait_for (&result), error);
}

static gboolean
resize_image (const char *path, guint64 size, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  vmd_image_resize_async (path, size, NULL, on_done, &result);
  return vmd_image_resize_finish (wait_for (&result), error);
}

static gboolean
convert_image (const char *src, const char *dst, const char *format, GCancellable *cancellable,
               GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  vmd_image_convert_async (src, dst, format, cancellable, on_done, &result);
  return vmd_image_convert_finish (wait_for (&result), error);
}

static gboolean
copy_image (const char *src, const char *dst, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  vmd_image_copy_async (src, dst, NULL, on_done, &result);
  return vmd_image_copy_finish (wait_for (&result), error);
}

static void
rm_rf (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        rm_rf (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* The names in dir, sorted, as one string: "a b c". */
static char *
list_dir (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* Runs a helper program (qemu-io, qemu-img) for the test; no shell. */
static int
run (const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("%s: %s", argv[0], err);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

typedef struct {
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("vmdesk-test-image-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  rm_rf (f->dir);
  g_free (f->dir);
}

static char *
path_in (Fixture *f, const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

/* ---- tests ----------------------------------------------------------- */

static void
test_create_and_query (Fixture *f, gconstpointer data)
{
  g_autofree char *qcow2 = path_in (f, "disk.qcow2");
  g_autofree char *raw = path_in (f, "disk.img");
  g_autoptr (VmdImageInfo) info = NULL;
  g_autoptr (VmdImageInfo) copy = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *names = NULL;
  GStatBuf st;

  g_assert_true (create_image (qcow2, "qcow2", 20 * GiB, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (create_image (raw, "raw", 64 * MiB + 512, NULL, &error));
  g_assert_no_error (error);

  info = query_image (qcow2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->format, ==, "qcow2");
  g_assert_cmpuint (info->virtual_size, ==, 20 * GiB);
  g_assert_cmpuint (info->actual_size, >, 0);
  g_assert_cmpuint (info->actual_size, <, 10 * MiB);
  g_assert_null (info->backing_file);
  g_assert_false (info->encrypted);

  copy = vmd_image_info_copy (info);
  g_assert_cmpstr (copy->format, ==, "qcow2");
  g_assert_cmpuint (copy->virtual_size, ==, 20 * GiB);
  g_clear_pointer (&info, vmd_image_info_free);

  info = query_image (raw, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->format, ==, "raw");
  g_assert_cmpuint (info->virtual_size, ==, 64 * MiB + 512);
  g_assert_cmpint (g_stat (raw, &st), ==, 0);
  g_assert_cmpuint (st.st_size, ==, 64 * MiB + 512);
  /* Private by default: a disk holds the guest's data. */
  g_assert_cmpuint (st.st_mode & 0777, ==, 0600);

  /* No temporary file is left behind. */
  names = list_dir (f->dir);
  g_assert_cmpstr (names, ==, "disk.img disk.qcow2");
}

static void
test_query_non_image (Fixture *f, gconstpointer data)
{
  g_autofree char *text = path_in (f, "notes.txt");
  g_autofree char *missing = path_in (f, "missing.qcow2");
  g_autoptr (VmdImageInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = NULL;

  /* qemu-img calls anything it does not recognise raw, and so does QEMU. */
  g_assert_true (g_file_set_contents (text, "hello, world\n", -1, NULL));
  info = query_image (text, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->format, ==, "raw");

  g_assert_null (query_image (missing, &error));
  g_assert_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_NOT_FOUND);
  expected = g_strdup_printf ("The disk image %s does not exist.", missing);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_overlay (Fixture *f, gconstpointer data)
{
  g_autofree char *base_qcow2 = path_in (f, "base.qcow2");
  g_autofree char *base_raw = path_in (f, "base.img");
  g_autofree char *overlay = path_in (f, "overlay.qcow2");
  g_autofree char *overlay2 = path_in (f, "overlay2.qcow2");
  g_autofree char *overlay3 = path_in (f, "overlay3.qcow2");
  g_autofree char *bad = path_in (f, "bad.qcow2");
  g_autofree char *missing = path_in (f, "nothing.qcow2");
  g_autofree char *expected = NULL;
  g_autoptr (VmdImageInfo) info = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (create_image (base_qcow2, "qcow2", 64 * MiB, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (create_image (base_raw, "raw", 32 * MiB, NULL, &error));
  g_assert_no_error (error);

  /* Size 0: the backing image's. */
  g_assert_true (create_image (overlay, "qcow2", 0, base_qcow2, &error));
  g_assert_no_error (error);
  info = query_image (overlay, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->format, ==, "qcow2");
  g_assert_cmpstr (info->backing_file, ==, base_qcow2);
  g_assert_cmpuint (info->virtual_size, ==, 64 * MiB);
  g_clear_pointer (&info, vmd_image_info_free);
  /* The same from the header alone; a base image has none. */
  {
    g_autofree char *backing = vmd_image_read_backing_file (overlay);
    g_autofree char *none = vmd_image_read_backing_file (base_qcow2);
    g_autofree char *raw = vmd_image_read_backing_file (base_raw);

    g_assert_cmpstr (backing, ==, base_qcow2);
    g_assert_null (none);
    g_assert_null (raw);
  }

  /* A raw backing image is recognised as raw (-F raw), and a relative
   * name is relative to the overlay's folder, as QEMU reads it. */
  g_assert_true (create_image (overlay2, "qcow2", 48 * MiB, "base.img", &error));
  {
    g_autofree char *backing = vmd_image_read_backing_file (overlay2);

    g_assert_cmpstr (backing, ==, base_raw);  /* relative to the overlay's folder */
  }
  g_assert_no_error (error);
  info = query_image (overlay2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->backing_file, ==, base_raw);
  g_assert_cmpuint (info->virtual_size, ==, 48 * MiB);
  g_clear_pointer (&info, vmd_image_info_free);

  /* An overlay of an overlay. */
  g_assert_true (create_image (overlay3, "qcow2", 0, overlay, &error));
  g_assert_no_error (error);

  g_assert_false (create_image (bad, "qcow2", 0, missing, &error));
  g_assert_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_NOT_FOUND);
  expected = g_strdup_printf ("The backing image %s does not exist.", missing);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  g_assert_false (create_image (bad, "raw", 0, base_raw, &error));
  g_assert_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "Only a qcow2 image can be based on a backing image.");
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
}

static void
test_bad_arguments (Fixture *f, gconstpointer data)
{
  g_autofree char *path = path_in (f, "x.img");
  g_autoptr (GError) error = NULL;
  g_autofree char *names = NULL;

  g_assert_false (create_image (path, "raw", 0, NULL, &error));
  g_assert_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "A new disk image needs a size larger than zero.");
  g_clear_error (&error);

  g_assert_false (create_image (path, "vmdk", MiB, NULL, &error));
  g_assert_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "New disk images can be qcow2 or raw, not “vmdk”.");

  names = list_dir (f->dir);
  g_assert_cmpstr (names, ==, "");
}

static void
test_resize (Fixture *f, gconstpointer data)
{
  g_autofree char *qcow2 = path_in (f, "disk.qcow2");
  g_autofree char *raw = path_in (f, "disk.img");
  g_autofree char *expected = NULL;
  g_autoptr (VmdImageInfo) info = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (create_image (qcow2, "qcow2", 20 * GiB, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (create_image (raw, "raw", 64 * MiB, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (resize_image (qcow2, 30 * GiB, &error));
  g_assert_no_error (error);
  info = query_image (qcow2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (info->virtual_size, ==, 30 * GiB);
  g_clear_pointer (&info, vmd_image_info_free);

  g_assert_true (resize_image (raw, 96 * MiB, &error));
  g_assert_no_error (error);
  info = query_image (raw, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (info->virtual_size, ==, 96 * MiB);
  g_clear_pointer (&info, vmd_image_info_free);

  /* The same size is nothing to do. */
  g_assert_true (resize_image (raw, 96 * MiB, &error));
  g_assert_no_error (error);

  g_assert_false (resize_image (qcow2, 20 * GiB, &error));
  g_assert_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED);
  expected = g_strdup_printf ("Disk images can only grow: %s is 30 GiB, and shrinking it would destroy data.",
                              qcow2);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  info = query_image (qcow2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (info->virtual_size, ==, 30 * GiB);
}

static void
test_refuses_overwrite (Fixture *f, gconstpointer data)
{
  g_autofree char *path = path_in (f, "disk.qcow2");
  g_autofree char *src = path_in (f, "src.qcow2");
  g_autofree char *expected = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *names = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "precious", -1, NULL));
  g_assert_true (create_image (src, "qcow2", MiB, NULL, &error));
  g_assert_no_error (error);
  expected = g_strdup_printf ("The disk image %s exists already.", path);

  g_assert_false (create_image (path, "qcow2", GiB, NULL, &error));
  g_assert_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_EXISTS);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  g_assert_false (convert_image (src, path, "raw", NULL, &error));
  g_assert_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_EXISTS);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  g_assert_false (copy_image (src, path, &error));
  g_assert_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_EXISTS);
  g_assert_cmpstr (error->message, ==, expected);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "precious");
  names = list_dir (f->dir);
  g_assert_cmpstr (names, ==, "disk.qcow2 src.qcow2");
}

static void
test_missing_folder (Fixture *f, gconstpointer data)
{
  g_autofree char *folder = path_in (f, "no-such-folder");
  g_autofree char *path = g_build_filename (folder, "disk.qcow2", NULL);
  g_autofree char *src = path_in (f, "src.qcow2");
  g_autofree char *expected = g_strdup_printf ("The folder %s does not exist.", folder);
  g_autoptr (GError) error = NULL;

  g_assert_false (create_image (path, "qcow2", GiB, NULL, &error));
  g_assert_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  g_assert_true (create_image (src, "qcow2", MiB, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (convert_image (src, path, "raw", NULL, &error));
  g_assert_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_no_space (Fixture *f, gconstpointer data)
{
  g_autofree char *path = path_in (f, "huge.img");
  g_autofree char *prefix = g_strdup_printf ("There is not enough free space in %s for a 4096 PiB image (",
                                             f->dir);
  g_autoptr (GError) error = NULL;

  g_assert_false (create_image (path, "raw", G_GUINT64_CONSTANT (1) << 62, NULL, &error));
  g_assert_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_assert_true (g_str_has_suffix (error->message, " free)."));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_convert_and_copy (Fixture *f, gconstpointer data)
{
  g_autofree char *src = path_in (f, "src.qcow2");
  g_autofree char *overlay = path_in (f, "overlay.qcow2");
  g_autofree char *raw = path_in (f, "converted.img");
  g_autofree char *copy = path_in (f, "copy.qcow2");
  g_autofree char *flat = path_in (f, "flat.qcow2");
  g_autofree char *names = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (VmdImageInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  gsize len;

  g_assert_true (create_image (src, "qcow2", 16 * MiB, NULL, &error));
  g_assert_no_error (error);
  {
    const char *argv[] = { "qemu-io", "-f", "qcow2", "-c", "write -P 0xab 0 1M", src, NULL };
    g_assert_cmpint (run (argv), ==, 0);
  }

  g_assert_true (convert_image (src, raw, "raw", NULL, &error));
  g_assert_no_error (error);
  info = query_image (raw, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->format, ==, "raw");
  g_assert_cmpuint (info->virtual_size, ==, 16 * MiB);
  g_clear_pointer (&info, vmd_image_info_free);
  g_assert_true (g_file_get_contents (raw, &contents, &len, NULL));
  g_assert_cmpuint (len, ==, 16 * MiB);
  g_assert_cmpint ((guchar) contents[0], ==, 0xab);
  g_assert_cmpint ((guchar) contents[MiB - 1], ==, 0xab);
  g_assert_cmpint ((guchar) contents[MiB], ==, 0);

  g_assert_true (copy_image (src, copy, &error));
  g_assert_no_error (error);
  info = query_image (copy, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->format, ==, "qcow2");
  g_assert_cmpuint (info->virtual_size, ==, 16 * MiB);
  g_clear_pointer (&info, vmd_image_info_free);
  {
    const char *argv[] = { "qemu-img", "compare", "-q", src, copy, NULL };
    g_assert_cmpint (run (argv), ==, 0);
  }

  /* The copy of an overlay stands on its own, with the same contents. */
  g_assert_true (create_image (overlay, "qcow2", 0, src, &error));
  g_assert_no_error (error);
  {
    const char *argv[] = { "qemu-io", "-f", "qcow2", "-c", "write -P 0xcd 2M 1M", overlay, NULL };
    g_assert_cmpint (run (argv), ==, 0);
  }
  g_assert_true (copy_image (overlay, flat, &error));
  g_assert_no_error (error);
  info = query_image (flat, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->format, ==, "qcow2");
  g_assert_null (info->backing_file);
  {
    const char *argv[] = { "qemu-img", "compare", "-q", overlay, flat, NULL };
    g_assert_cmpint (run (argv), ==, 0);
  }

  names = list_dir (f->dir);
  g_assert_cmpstr (names, ==, "converted.img copy.qcow2 flat.qcow2 overlay.qcow2 src.qcow2");
}

static void
test_convert_failure_cleans_up (Fixture *f, gconstpointer data)
{
  g_autofree char *broken = path_in (f, "broken.qcow2");
  g_autofree char *missing = path_in (f, "missing.vmdk");
  g_autofree char *dst = path_in (f, "out.qcow2");
  g_autofree char *names = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *prefix = NULL;
  char header[4096] = "QFI\xfb\x00\x00\x00\x03garbage";

  /* A qcow2 header with nonsense after it: qemu-img starts and fails. */
  g_assert_true (g_file_set_contents (broken, header, sizeof header, NULL));
  g_assert_false (convert_image (broken, dst, "qcow2", NULL, &error));
  g_assert_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED);
  g_test_message ("%s", error->message);
  prefix = g_strdup_printf ("The disk image %s could not be converted into %s: ", broken, dst);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  /* qemu-img's own words follow. */
  g_assert_cmpuint (strlen (error->message), >, strlen (prefix) + 10);
  g_clear_error (&error);

  g_assert_false (convert_image (missing, dst, "qcow2", NULL, &error));
  g_assert_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_NOT_FOUND);

  names = list_dir (f->dir);
  g_assert_cmpstr (names, ==, "broken.qcow2");
}

static gboolean
cancel_later (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_convert_cancel_cleans_up (Fixture *f, gconstpointer data)
{
  g_autofree char *fifo = path_in (f, "source.fifo");
  g_autofree char *dst = path_in (f, "out.qcow2");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *names = NULL;
  gint64 start;

  /* qemu-img blocks opening a FIFO nobody writes to: it is surely still
   * running when the cancellation comes, and must be killed. */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_timeout_add (300, cancel_later, cancellable);
  start = g_get_monotonic_time ();
  g_assert_false (convert_image (fifo, dst, "qcow2", cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

  names = list_dir (f->dir);
  g_assert_cmpstr (names, ==, "source.fifo");
}

static void
test_qemu_img_missing (Fixture *f, gconstpointer data)
{
  g_autofree char *path = path_in (f, "disk.qcow2");
  g_autoptr (GError) error = NULL;
  g_autofree char *names = NULL;

  g_setenv ("VMDESK_QEMU_IMG", "/nonexistent/qemu-img", TRUE);
  g_assert_false (create_image (path, "qcow2", GiB, NULL, &error));
  g_unsetenv ("VMDESK_QEMU_IMG");
  g_assert_error (error, VMD_ENGINE_ERROR, VMD_ENGINE_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==,
                   "The program /nonexistent/qemu-img was not found; install the “qemu-utils” package.");
  names = list_dir (f->dir);
  g_assert_cmpstr (names, ==, "");
}

static void
skip_no_qemu_img (void)
{
  g_test_skip ("qemu-img is not installed (Debian: qemu-utils)");
}

int
main (int argc, char **argv)
{
  g_autofree char *qemu_img = NULL;

  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);

  qemu_img = g_find_program_in_path ("qemu-img");
  if (qemu_img == NULL)
    {
      g_test_add_func ("/image/skipped", skip_no_qemu_img);
      return g_test_run ();
    }

#define ADD(name, func) \
  g_test_add ("/image/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("create-and-query", test_create_and_query);
  ADD ("query-non-image", test_query_non_image);
  ADD ("overlay", test_overlay);
  ADD ("bad-arguments", test_bad_arguments);
  ADD ("resize", test_resize);
  ADD ("refuses-overwrite", test_refuses_overwrite);
  ADD ("missing-folder", test_missing_folder);
  ADD ("no-space", test_no_space);
  ADD ("convert-and-copy", test_convert_and_copy);
  ADD ("convert-failure-cleans-up", test_convert_failure_cleans_up);
  ADD ("convert-cancel-cleans-up", test_convert_cancel_cleans_up);
  ADD ("qemu-img-missing", test_qemu_img_missing);
#undef ADD

  return g_test_run ();
}
