/* test-qmp-client.c: the QMP client, against real QEMU and a fake monitor
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The real-QEMU cases start qemu-system-x86_64 (TCG, no guest) with a QMP
 * socket in a temporary directory; the fake monitor is a thread with
 * blocking sockets that sends what QEMU never would. Every wait runs the
 * main loop for at most WAIT_SECONDS and fails the test after that.
 */
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gio/gunixfdmessage.h>
#include <gio/gunixsocketaddress.h>

#include "vmd-qmp-client.h"

#define WAIT_SECONDS 10
#define QEMU         "qemu-system-x86_64"

static gboolean
on_tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @cond holds; fails the test after WAIT_SECONDS. */
#define WAIT_FOR(cond)                                                                             \
  G_STMT_START                                                                                     \
  {                                                                                                \
    gint64 wait_deadline_ = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;               \
    guint  wait_tick_ = g_timeout_add (20, on_tick, NULL);                                         \
    while (!(cond) && g_get_monotonic_time () < wait_deadline_)                                    \
      g_main_context_iteration (NULL, TRUE);                                                       \
    g_source_remove (wait_tick_);                                                                  \
    if (!(cond))                                                                                   \
      g_test_message ("Timed out after %d s waiting for %s", WAIT_SECONDS, #cond);                 \
    g_assert_true (cond);                                                                          \
  }                                                                                                \
  G_STMT_END

static void
drain_main_context (void)
{
  for (int i = 0; i < 10; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
}

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr (GError) error = NULL;
  JsonNode *node;

  if (text == NULL)
    return NULL;
  node = json_from_string (text, &error);
  g_assert_no_error (error);
  return node;
}

static const char *
node_string (JsonNode   *node,
             const char *member)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_get_string_member_with_default (json_node_get_object (node), member, NULL);
}

static VmdQmpClient *
connect_sync (const char *path,
              GError    **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  vmd_qmp_client_connect_async (path, NULL, on_result, &result);
  WAIT_FOR (result != NULL);
  return vmd_qmp_client_connect_finish (result, error);
}

static JsonNode *
execute_sync (VmdQmpClient *client,
              const char   *command,
              const char   *arguments,
              GError      **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (JsonNode) args = parse_json (arguments);

  vmd_qmp_client_execute_async (client, command, args, NULL, on_result, &result);
  WAIT_FOR (result != NULL);
  return vmd_qmp_client_execute_finish (client, result, error);
}

static JsonNode *
execute_fd_sync (VmdQmpClient *client,
                 const char   *command,
                 const char   *arguments,
                 int           fd,
                 GError      **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (JsonNode) args = parse_json (arguments);

  vmd_qmp_client_execute_with_fd_async (client, command, args, fd, NULL, on_result, &result);
  WAIT_FOR (result != NULL);
  return vmd_qmp_client_execute_finish (client, result, error);
}

static gboolean
run_job_sync (VmdQmpClient *client,
              const char   *command,
              const char   *arguments,
              const char   *job_id,
              GError      **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (JsonNode) args = parse_json (arguments);

  vmd_qmp_client_run_job_async (client, command, args, job_id, NULL, on_result, &result);
  WAIT_FOR (result != NULL);
  return vmd_qmp_client_run_job_finish (client, result, error);
}

/* What a client reported through its signals */

typedef struct
{
  char       *name;
  JsonObject *data;
  gint64      timestamp;
} RecordedEvent;

typedef struct
{
  GPtrArray *events;
  GPtrArray *detailed; /* names seen by an "event::STOP" handler */
  guint      disconnects;
  gboolean   reason_set;
  GError    *reason;
  guint      connected_notifies;
} Recorder;

static void
recorded_event_free (RecordedEvent *event)
{
  g_free (event->name);
  g_clear_pointer (&event->data, json_object_unref);
  g_free (event);
}

static void
recorder_init (Recorder *rec)
{
  rec->events = g_ptr_array_new_with_free_func ((GDestroyNotify) recorded_event_free);
  rec->detailed = g_ptr_array_new_with_free_func (g_free);
}

static void
recorder_clear (Recorder *rec)
{
  g_clear_pointer (&rec->events, g_ptr_array_unref);
  g_clear_pointer (&rec->detailed, g_ptr_array_unref);
  g_clear_error (&rec->reason);
}

static void
on_event (VmdQmpClient *client,
          const char   *name,
          JsonObject   *data,
          gint64        timestamp,
          Recorder     *rec)
{
  RecordedEvent *event = g_new0 (RecordedEvent, 1);

  event->name = g_strdup (name);
  event->data = data != NULL ? json_object_ref (data) : NULL;
  event->timestamp = timestamp;
  g_ptr_array_add (rec->events, event);
}

static void
on_detailed_event (VmdQmpClient *client,
                   const char   *name,
                   JsonObject   *data,
                   gint64        timestamp,
                   Recorder     *rec)
{
  g_ptr_array_add (rec->detailed, g_strdup (name));
}

static void
on_disconnected (VmdQmpClient *client,
                 const GError *reason,
                 Recorder     *rec)
{
  g_assert_false (vmd_qmp_client_is_connected (client));
  rec->disconnects++;
  rec->reason_set = reason != NULL;
  g_clear_error (&rec->reason);
  rec->reason = reason != NULL ? g_error_copy (reason) : NULL;
}

static void
on_connected_notify (VmdQmpClient *client,
                     GParamSpec   *pspec,
                     Recorder     *rec)
{
  rec->connected_notifies++;
}

static void
recorder_attach (Recorder     *rec,
                 VmdQmpClient *client)
{
  g_signal_connect (client, "event", G_CALLBACK (on_event), rec);
  g_signal_connect (client, "event::STOP", G_CALLBACK (on_detailed_event), rec);
  g_signal_connect (client, "event::POWERDOWN", G_CALLBACK (on_detailed_event), rec);
  g_signal_connect (client, "disconnected", G_CALLBACK (on_disconnected), rec);
  g_signal_connect (client, "notify::connected", G_CALLBACK (on_connected_notify), rec);
}

static RecordedEvent *
recorder_find (Recorder   *rec,
               const char *name,
               guint      *index)
{
  for (guint i = 0; i < rec->events->len; i++)
    {
      RecordedEvent *event = g_ptr_array_index (rec->events, i);

      if (g_str_equal (event->name, name))
        {
          if (index != NULL)
            *index = i;
          return event;
        }
    }
  return NULL;
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

/* Real QEMU */

typedef struct
{
  char         *dir;
  char         *socket_path;
  GSubprocess  *qemu;
  VmdQmpClient *client;
  Recorder      rec;
} QemuFixture;

static void
qemu_setup (QemuFixture  *f,
            gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("vmd-qmp-XXXXXX", &error);
  g_assert_no_error (error);
  f->socket_path = g_build_filename (f->dir, "qmp.sock", NULL);
  recorder_init (&f->rec);
}

static void
qemu_teardown (QemuFixture  *f,
               gconstpointer data)
{
  if (f->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (f->client, &f->rec);
      g_clear_object (&f->client);
    }
  if (f->qemu != NULL)
    {
      const char *pid = g_subprocess_get_identifier (f->qemu);

      if (pid != NULL)
        kill (atoi (pid), SIGKILL);
      g_subprocess_wait (f->qemu, NULL, NULL);
      g_clear_object (&f->qemu);
    }
  drain_main_context ();
  recorder_clear (&f->rec);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->socket_path);
}

static void
die_with_parent (gpointer data)
{
  /* A failed assertion aborts the test before its teardown: QEMU must not
   * outlive it. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static gboolean
qemu_available (void)
{
  g_autofree char *path = g_find_program_in_path (QEMU);

  if (path == NULL)
    {
      g_test_skip (QEMU " is not installed");
      return FALSE;
    }
  return TRUE;
}

/* Starts QEMU with @extra arguments and connects to its monitor. */
static gboolean
start_qemu (QemuFixture       *f,
            const char *const *extra)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  gint64 deadline;

  if (!qemu_available ())
    return FALSE;

  g_ptr_array_add (argv, g_strdup (QEMU));
  g_ptr_array_add (argv, g_strdup ("-nodefaults"));
  g_ptr_array_add (argv, g_strdup ("-display"));
  g_ptr_array_add (argv, g_strdup ("none"));
  g_ptr_array_add (argv, g_strdup ("-accel"));
  g_ptr_array_add (argv, g_strdup ("tcg"));
  g_ptr_array_add (argv, g_strdup ("-qmp"));
  g_ptr_array_add (argv, g_strdup_printf ("unix:%s,server=on,wait=off", f->socket_path));
  for (guint i = 0; extra[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra[i]));
  g_ptr_array_add (argv, NULL);

  /* stdout carries this test's TAP stream; QEMU's stderr is left as is. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  f->qemu = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);

  /* What the engine does while QEMU starts: the client does not retry by
   * itself. QEMU creates the socket file before it listens, so a refused
   * connection means "not yet" as much as a missing file. */
  deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  while ((f->client = connect_sync (f->socket_path, &error)) == NULL &&
         (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED)) &&
         g_subprocess_get_identifier (f->qemu) != NULL && g_get_monotonic_time () < deadline)
    {
      g_clear_error (&error);
      g_usleep (10000);
    }
  g_assert_no_error (error);
  g_assert_true (VMD_IS_QMP_CLIENT (f->client));
  g_assert_true (vmd_qmp_client_is_connected (f->client));
  recorder_attach (&f->rec, f->client);
  return TRUE;
}

static const char *const machine_none[] = { "-machine", "none", NULL };
static const char *const machine_pc[] = {
  "-machine", "pc", "-m", "64", "-vnc", "none", "-S", NULL,
};

static void
test_qemu_basics (QemuFixture  *f,
                  gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) status = NULL;
  g_autoptr (JsonNode) version = NULL;
  g_autoptr (JsonNode) missing = NULL;
  g_autofree char *qemu_version = NULL;
  g_autofree char *reported = NULL;
  g_autofree char *socket_path = NULL;
  JsonObject *greeting, *qemu;

  if (!start_qemu (f, machine_none))
    return;

  qemu_version = vmd_qmp_client_get_qemu_version (f->client);
  g_assert_nonnull (qemu_version);
  g_test_message ("QEMU %s", qemu_version);
  g_assert_true (g_regex_match_simple ("^[0-9]+\\.[0-9]+\\.[0-9]+$", qemu_version, 0, 0));
  g_assert_false (g_str_has_prefix (qemu_version, "0.0."));

  greeting = vmd_qmp_client_get_greeting (f->client);
  g_assert_nonnull (greeting);
  g_assert_true (json_object_has_member (greeting, "QMP"));

  g_object_get (f->client, "socket-path", &socket_path, NULL);
  g_assert_cmpstr (socket_path, ==, f->socket_path);

  status = execute_sync (f->client, "query-status", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (node_string (status, "status"), ==, "running");

  /* query-version says what the greeting said */
  version = execute_sync (f->client, "query-version", NULL, &error);
  g_assert_no_error (error);
  qemu = json_object_get_object_member (json_node_get_object (version), "qemu");
  reported = g_strdup_printf ("%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT,
                              json_object_get_int_member (qemu, "major"),
                              json_object_get_int_member (qemu, "minor"),
                              json_object_get_int_member (qemu, "micro"));
  g_assert_cmpstr (reported, ==, qemu_version);

  missing = execute_sync (f->client, "vmdesk-no-such-command", NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, VMD_QMP_ERROR, VMD_QMP_ERROR_COMMAND_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "vmdesk-no-such-command"));
  g_clear_error (&error);

  /* GenericError, with QEMU's words as they are */
  g_assert_null (execute_sync (f->client, "closefd", "{\"fdname\": \"nope\"}", &error));
  g_assert_error (error, VMD_QMP_ERROR, VMD_QMP_ERROR_GENERIC);
  g_assert_cmpstr (error->message, ==, "File descriptor named 'nope' not found");
  g_clear_error (&error);

  g_assert_null (execute_sync (f->client, "device_del", "{\"id\": \"nope\"}", &error));
  g_assert_error (error, VMD_QMP_ERROR, VMD_QMP_ERROR_DEVICE_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (vmd_qmp_client_is_connected (f->client));
  g_assert_cmpuint (f->rec.disconnects, ==, 0);
}

static guint
count_results (GAsyncResult **results,
               guint          n)
{
  guint done = 0;

  for (guint i = 0; i < n; i++)
    done += results[i] != NULL;
  return done;
}

static void
test_qemu_many_at_once (QemuFixture  *f,
                        gconstpointer data)
{
  static const char *const commands[] = {
    "query-status", "query-version", "query-name", "vmdesk-nope", "query-kvm", "query-uuid",
  };
  GAsyncResult *results[60] = { NULL };

  if (!start_qemu (f, machine_none))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    vmd_qmp_client_execute_async (f->client, commands[i % G_N_ELEMENTS (commands)], NULL, NULL,
                                  on_result, &results[i]);

  WAIT_FOR (count_results (results, G_N_ELEMENTS (results)) == G_N_ELEMENTS (results));

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      const char *command = commands[i % G_N_ELEMENTS (commands)];
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (f->client, results[i], &error);
      JsonObject *object;

      g_clear_object (&results[i]);
      if (g_str_equal (command, "vmdesk-nope"))
        {
          g_assert_error (error, VMD_QMP_ERROR, VMD_QMP_ERROR_COMMAND_NOT_FOUND);
          continue;
        }
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (reply));
      object = json_node_get_object (reply);
      if (g_str_equal (command, "query-status"))
        g_assert_true (json_object_has_member (object, "running"));
      else if (g_str_equal (command, "query-version"))
        g_assert_true (json_object_has_member (object, "qemu"));
      else if (g_str_equal (command, "query-name"))
        g_assert_cmpuint (json_object_get_size (object), ==, 0);
      else if (g_str_equal (command, "query-kvm"))
        g_assert_true (json_object_has_member (object, "present"));
      else if (g_str_equal (command, "query-uuid"))
        g_assert_true (json_object_has_member (object, "UUID"));
    }
}

static void
test_qemu_getfd (QemuFixture  *f,
                 gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = NULL;
  int fds[2];

  if (!start_qemu (f, machine_none))
    return;

  /* Without an fd attached, QEMU has nothing to name. */
  g_assert_null (execute_sync (f->client, "getfd", "{\"fdname\": \"fd0\"}", &error));
  g_assert_error (error, VMD_QMP_ERROR, VMD_QMP_ERROR_GENERIC);
  g_clear_error (&error);

  g_assert_no_errno (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds));
  reply = execute_fd_sync (f->client, "getfd", "{\"fdname\": \"fd0\"}", fds[0], &error);
  g_assert_no_error (error);
  g_assert_nonnull (reply);
  g_clear_pointer (&reply, json_node_unref);
  close (fds[0]);
  close (fds[1]);

  reply = execute_sync (f->client, "closefd", "{\"fdname\": \"fd0\"}", &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, json_node_unref);

  /* It is gone now, so it was there before. */
  g_assert_null (execute_sync (f->client, "closefd", "{\"fdname\": \"fd0\"}", &error));
  g_assert_error (error, VMD_QMP_ERROR, VMD_QMP_ERROR_GENERIC);
}

static void
test_qemu_vnc_fd (QemuFixture  *f,
                  gconstpointer data)
{
  g_autoptr (GAsyncResult) getfd_result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) args = parse_json ("{\"fdname\": \"vnc0\"}");
  g_autoptr (JsonNode) reply = NULL;
  g_autoptr (GSocket) display = NULL;
  char  banner[13] = { 0 };
  gsize got = 0;
  int   fds[2];

  if (!start_qemu (f, machine_pc))
    return;

  g_assert_no_errno (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds));
  vmd_qmp_client_execute_with_fd_async (f->client, "getfd", args, fds[0], NULL, on_result,
                                        &getfd_result);
  close (fds[0]); /* the client sends its own copy */
  WAIT_FOR (getfd_result != NULL);
  reply = vmd_qmp_client_execute_finish (f->client, getfd_result, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, json_node_unref);

  reply = execute_sync (f->client, "add_client",
                        "{\"protocol\": \"vnc\", \"fdname\": \"vnc0\", \"skipauth\": true}",
                        &error);
  g_assert_no_error (error);

  display = g_socket_new_from_fd (fds[1], &error);
  g_assert_no_error (error);
  g_socket_set_timeout (display, WAIT_SECONDS);
  while (got < 12)
    {
      gssize n = g_socket_receive (display, banner + got, 12 - got, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      got += n;
    }
  g_assert_cmpstr (banner, ==, "RFB 003.008\n");
}

static void
test_qemu_events (QemuFixture  *f,
                  gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) status = NULL;
  g_autoptr (JsonNode) reply = NULL;
  RecordedEvent *resume, *stop;
  guint          resume_index = 0, stop_index = 0;
  gint64         now;

  if (!start_qemu (f, machine_pc))
    return;

  status = execute_sync (f->client, "query-status", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (node_string (status, "status"), ==, "prelaunch");

  reply = execute_sync (f->client, "cont", NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, json_node_unref);
  WAIT_FOR (recorder_find (&f->rec, "RESUME", NULL) != NULL);

  reply = execute_sync (f->client, "stop", NULL, &error);
  g_assert_no_error (error);
  WAIT_FOR (recorder_find (&f->rec, "STOP", NULL) != NULL);

  now = g_get_real_time ();
  resume = recorder_find (&f->rec, "RESUME", &resume_index);
  stop = recorder_find (&f->rec, "STOP", &stop_index);
  g_assert_cmpuint (resume_index, <, stop_index);
  /* QEMU 7.2 sends both without "data" */
  g_assert_null (resume->data);
  g_assert_null (stop->data);
  g_assert_cmpint (resume->timestamp, >, now - 60 * G_USEC_PER_SEC);
  g_assert_cmpint (resume->timestamp, <=, stop->timestamp);
  g_assert_cmpint (stop->timestamp, <=, now + G_USEC_PER_SEC);
  g_assert_cmpint (stop->timestamp % G_USEC_PER_SEC, !=, 0); /* the microseconds are there */

  /* "event::STOP" saw STOP and nothing else */
  g_assert_cmpuint (f->rec.detailed->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->rec.detailed, 0), ==, "STOP");
}

static void
test_qemu_quit (QemuFixture  *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = NULL;
  RecordedEvent *shutdown;

  if (!start_qemu (f, machine_none))
    return;

  reply = execute_sync (f->client, "quit", NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, json_node_unref);

  WAIT_FOR (f->rec.disconnects > 0);
  g_assert_cmpuint (f->rec.disconnects, ==, 1);
  /* A clean end of file: QEMU read every byte we sent before it exited. */
  g_assert_no_error (f->rec.reason);
  g_assert_false (f->rec.reason_set);
  g_assert_false (vmd_qmp_client_is_connected (f->client));
  g_assert_cmpuint (f->rec.connected_notifies, ==, 1);

  /* QEMU 7.2 sends SHUTDOWN before the reply to quit */
  shutdown = recorder_find (&f->rec, "SHUTDOWN", NULL);
  g_assert_nonnull (shutdown);
  g_assert_nonnull (shutdown->data);
  g_assert_cmpstr (json_object_get_string_member (shutdown->data, "reason"), ==, "host-qmp-quit");

  reply = execute_sync (f->client, "query-status", NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, VMD_QMP_ERROR, VMD_QMP_ERROR_DISCONNECTED);
  g_assert_cmpstr (error->message, ==, "The connection to QEMU was closed.");

  vmd_qmp_client_close (f->client);
  g_assert_cmpuint (f->rec.disconnects, ==, 1);

  g_assert_true (g_subprocess_wait (f->qemu, NULL, NULL));
  g_assert_true (g_subprocess_get_if_exited (f->qemu));
  g_assert_cmpint (g_subprocess_get_exit_status (f->qemu), ==, 0);
}

static void
test_qemu_quit_pipelined (QemuFixture  *f,
                          gconstpointer data)
{
  g_autoptr (GAsyncResult) quit_result = NULL;
  g_autoptr (GAsyncResult) after_result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = NULL;

  if (!start_qemu (f, machine_none))
    return;

  /* Sent right behind quit: QEMU may answer it or exit first, but either
   * way it is answered. */
  vmd_qmp_client_execute_async (f->client, "quit", NULL, NULL, on_result, &quit_result);
  vmd_qmp_client_execute_async (f->client, "query-status", NULL, NULL, on_result, &after_result);
  WAIT_FOR (quit_result != NULL && after_result != NULL && f->rec.disconnects > 0);

  reply = vmd_qmp_client_execute_finish (f->client, quit_result, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, json_node_unref);
  reply = vmd_qmp_client_execute_finish (f->client, after_result, &error);
  g_test_message ("query-status after quit: %s", error != NULL ? error->message : "answered");
  if (error != NULL)
    g_assert_error (error, VMD_QMP_ERROR, VMD_QMP_ERROR_DISCONNECTED);

  g_assert_cmpuint (f->rec.disconnects, ==, 1);
  /* If QEMU left our bytes unread, Linux reports ECONNRESET, not EOF. */
  if (f->rec.reason != NULL)
    {
      g_test_message ("disconnected: %s", f->rec.reason->message);
      g_assert_true (f->rec.reason->domain == G_IO_ERROR);
    }
}

static void
test_qemu_killed (QemuFixture  *f,
                  gconstpointer data)
{
  g_autoptr (GAsyncResult) pending = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = NULL;
  int pid;

  if (!start_qemu (f, machine_none))
    return;

  /* A stopped QEMU cannot answer, so the command is surely pending when
   * the process dies. */
  pid = atoi (g_subprocess_get_identifier (f->qemu));
  g_assert_no_errno (kill (pid, SIGSTOP));
  vmd_qmp_client_execute_async (f->client, "query-status", NULL, NULL, on_result, &pending);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (pending);

  g_assert_no_errno (kill (pid, SIGKILL));
  WAIT_FOR (pending != NULL && f->rec.disconnects > 0);
  g_assert_cmpuint (f->rec.disconnects, ==, 1);
  g_assert_false (vmd_qmp_client_is_connected (f->client));

  reply = vmd_qmp_client_execute_finish (f->client, pending, &error);
  g_assert_null (reply);
  g_assert_error (error, VMD_QMP_ERROR, VMD_QMP_ERROR_DISCONNECTED);
  g_clear_error (&error);

  g_assert_null (execute_sync (f->client, "query-status", NULL, &error));
  g_assert_error (error, VMD_QMP_ERROR, VMD_QMP_ERROR_DISCONNECTED);
}

static char *
info_snapshots (VmdQmpClient *client)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = NULL;

  reply = execute_sync (client, "human-monitor-command", "{\"command-line\": \"info snapshots\"}",
                        &error);
  g_assert_no_error (error);
  return g_strdup (json_node_get_string (reply));
}

static void
assert_no_jobs (VmdQmpClient *client)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) jobs = execute_sync (client, "query-jobs", NULL, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (jobs));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (jobs)), ==, 0);
}

static void
test_qemu_snapshot_jobs (QemuFixture  *f,
                         gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *disk = g_build_filename (f->dir, "d.qcow2", NULL);
  g_autofree char *file_arg = g_strdup_printf ("driver=file,filename=%s,node-name=f0", disk);
  g_autofree char *snapshots = NULL;
  const char *const img_argv[] = { "qemu-img", "create", "-q", "-f", "qcow2", disk, "16M", NULL };
  const char *const extra[] = {
    "-machine", "pc", "-m", "64", "-S",
    "-blockdev", file_arg,
    "-blockdev", "driver=qcow2,file=f0,node-name=disk0",
    "-device", "virtio-blk-pci,drive=disk0",
    NULL,
  };
  g_autoptr (GSubprocess) img = NULL;
  gboolean concluded = FALSE, dismissed = FALSE;

  if (!qemu_available ())
    return;

  img = g_subprocess_newv (img_argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (img, NULL, &error));
  g_assert_no_error (error);

  if (!start_qemu (f, extra))
    return;

  g_assert_true (run_job_sync (f->client, "snapshot-save",
                               "{\"job-id\": \"s1\", \"tag\": \"snap1\", \"vmstate\": \"disk0\","
                               " \"devices\": [\"disk0\"]}",
                               "s1", &error));
  g_assert_no_error (error);
  snapshots = info_snapshots (f->client);
  g_assert_nonnull (strstr (snapshots, "snap1"));
  assert_no_jobs (f->client);

  /* The job's events went to the signal too, through to its dismissal. */
  for (guint i = 0; i < f->rec.events->len; i++)
    {
      RecordedEvent *event = g_ptr_array_index (f->rec.events, i);
      const char    *status;

      if (!g_str_equal (event->name, "JOB_STATUS_CHANGE"))
        continue;
      g_assert_cmpstr (json_object_get_string_member (event->data, "id"), ==, "s1");
      status = json_object_get_string_member (event->data, "status");
      concluded |= g_str_equal (status, "concluded");
      dismissed |= g_str_equal (status, "null");
    }
  g_assert_true (concluded);
  g_assert_true (dismissed);

  /* The same tag again: the command starts, the job fails, and says why. */
  g_assert_false (run_job_sync (f->client, "snapshot-save",
                                "{\"job-id\": \"s2\", \"tag\": \"snap1\", \"vmstate\": \"disk0\","
                                " \"devices\": [\"disk0\"]}",
                                "s2", &error));
  g_assert_error (error, VMD_QMP_ERROR, VMD_QMP_ERROR_JOB_FAILED);
  g_test_message ("snapshot-save of an existing tag: %s", error->message);
  g_assert_nonnull (strstr (error->message, "snap1"));
  g_clear_error (&error);
  assert_no_jobs (f->client);

  g_assert_false (run_job_sync (f->client, "snapshot-load",
                                "{\"job-id\": \"l1\", \"tag\": \"nope\", \"vmstate\": \"disk0\","
                                " \"devices\": [\"disk0\"]}",
                                "l1", &error));
  g_assert_error (error, VMD_QMP_ERROR, VMD_QMP_ERROR_JOB_FAILED);
  g_test_message ("snapshot-load of a missing tag: %s", error->message);
  g_assert_nonnull (strstr (error->message, "nope"));
  g_clear_error (&error);
  assert_no_jobs (f->client);

  g_assert_true (run_job_sync (f->client, "snapshot-load",
                               "{\"job-id\": \"l2\", \"tag\": \"snap1\", \"vmstate\": \"disk0\","
                               " \"devices\": [\"disk0\"]}",
                               "l2", &error));
  g_assert_no_error (error);

  g_assert_true (run_job_sync (f->client, "snapshot-delete",
                               "{\"job-id\": \"d1\", \"tag\": \"snap1\", \"devices\": [\"disk0\"]}",
                               "d1", &error));
  g_assert_no_error (error);
  g_clear_pointer (&snapshots, g_free);
  snapshots = info_snapshots (f->client);
  g_assert_null (strstr (snapshots, "snap1"));
  assert_no_jobs (f->client);

  /* A command that fails before any job exists fails as itself. */
  g_assert_false (run_job_sync (f->client, "snapshot-delete",
                                "{\"job-id\": \"bad id!\", \"tag\": \"x\","
                                " \"devices\": [\"disk0\"]}",
                                "bad id!", &error));
  g_assert_error (error, VMD_QMP_ERROR, VMD_QMP_ERROR_GENERIC);
  g_clear_error (&error);

  g_assert_true (vmd_qmp_client_is_connected (f->client));
}

/* A fake monitor, in a thread with blocking sockets */

typedef struct _FakeServer FakeServer;
typedef void (*FakeScript) (FakeServer *server);

struct _FakeServer
{
  char        *dir;
  char        *path;
  GSocket     *listener;
  GSocket     *conn;
  GString     *input;
  GQueue       fds;
  gboolean     eof;
  FakeScript   script;
  GThread     *thread;
  GAsyncQueue *go;
  int          progress; /* atomic: how far the script got */
  int          done;     /* atomic */
};

static const char greeting[] =
  "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 3, \"minor\": 1, \"major\": 9}, "
  "\"package\": \"fake\"}, \"capabilities\": [\"oob\"]}}\r\n";

static gboolean
srv_write (FakeServer *s,
           const char *text)
{
  gsize len = strlen (text);
  gsize off = 0;

  while (off < len)
    {
      gssize n = g_socket_send (s->conn, text + off, len - off, NULL, NULL);

      if (n <= 0)
        return FALSE;
      off += n;
    }
  return TRUE;
}

/* QMP is a stream of JSON objects: find where the first one ends. */
static char *
take_object (GString *buf)
{
  gboolean in_string = FALSE, escaped = FALSE;
  gssize   start = -1;
  int      depth = 0;

  for (gsize i = 0; i < buf->len; i++)
    {
      char c = buf->str[i];

      if (start < 0)
        {
          if (c == '{')
            {
              start = i;
              depth = 1;
            }
          continue;
        }
      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        depth++;
      else if ((c == '}' || c == ']') && --depth == 0)
        {
          char *object = g_strndup (buf->str + start, i + 1 - start);

          g_string_erase (buf, 0, i + 1);
          return object;
        }
    }
  return NULL;
}

static gboolean
srv_receive (FakeServer *s)
{
  char                    chunk[65536];
  GInputVector            vector = { chunk, sizeof chunk };
  GSocketControlMessage **messages = NULL;
  int                     n_messages = 0;
  int                     flags = 0;
  gssize                  n;

  n = g_socket_receive_message (s->conn, NULL, &vector, 1, &messages, &n_messages, &flags, NULL,
                                NULL);
  for (int i = 0; i < n_messages; i++)
    {
      if (G_IS_UNIX_FD_MESSAGE (messages[i]))
        {
          int  count = 0;
          int *fds = g_unix_fd_message_steal_fds (G_UNIX_FD_MESSAGE (messages[i]), &count);

          for (int j = 0; j < count; j++)
            g_queue_push_tail (&s->fds, GINT_TO_POINTER (fds[j]));
          g_free (fds);
        }
      g_object_unref (messages[i]);
    }
  g_free (messages);

  if (n == 0)
    s->eof = TRUE;
  if (n <= 0)
    return FALSE;
  g_string_append_len (s->input, chunk, n);
  return TRUE;
}

/* The next command the client sent, or NULL at its end of file. */
static JsonObject *
srv_read (FakeServer *s)
{
  g_autofree char *text = NULL;
  g_autoptr (JsonNode) node = NULL;

  while ((text = take_object (s->input)) == NULL)
    {
      if (!srv_receive (s))
        return NULL;
    }
  node = parse_json (text);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static JsonObject *
srv_expect (FakeServer *s,
            const char *execute)
{
  JsonObject *cmd = srv_read (s);

  g_assert_nonnull (cmd);
  g_assert_cmpstr (json_object_get_string_member (cmd, "execute"), ==, execute);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (cmd, "id"), "vmd-"));
  return cmd;
}

static JsonObject *
srv_arguments (JsonObject *cmd)
{
  return json_object_get_object_member (cmd, "arguments");
}

static char *
srv_reply_text (JsonObject *cmd,
                const char *return_json)
{
  return g_strdup_printf ("{\"return\": %s, \"id\": \"%s\"}\r\n", return_json,
                          json_object_get_string_member (cmd, "id"));
}

static void
srv_reply (FakeServer *s,
           JsonObject *cmd,
           const char *return_json)
{
  g_autofree char *text = srv_reply_text (cmd, return_json);

  g_assert_true (srv_write (s, text));
}

static void
srv_greet (FakeServer *s)
{
  g_autoptr (JsonObject) caps = NULL;

  g_assert_true (srv_write (s, greeting));
  caps = srv_expect (s, "qmp_capabilities");
  g_assert_false (json_object_has_member (caps, "arguments"));
  srv_reply (s, caps, "{}");
}

static void
srv_wait_go (FakeServer *s)
{
  g_assert_nonnull (g_async_queue_timeout_pop (s->go, WAIT_SECONDS * G_USEC_PER_SEC));
}

static void
srv_expect_eof (FakeServer *s)
{
  g_autoptr (JsonObject) cmd = srv_read (s);

  g_assert_null (cmd);
  g_assert_true (s->eof);
}

static void
srv_step (FakeServer *s)
{
  g_atomic_int_inc (&s->progress);
}

static gpointer
fake_server_thread (gpointer data)
{
  FakeServer *s = data;
  g_autoptr (GError) error = NULL;

  s->conn = g_socket_accept (s->listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (s->conn, WAIT_SECONDS);
  s->script (s);
  g_socket_close (s->conn, NULL);
  g_atomic_int_set (&s->done, TRUE);
  return NULL;
}

static FakeServer *
fake_server_start (FakeScript script)
{
  FakeServer *s = g_new0 (FakeServer, 1);
  g_autoptr (GSocketAddress) address = NULL;
  g_autoptr (GError) error = NULL;

  s->dir = g_dir_make_tmp ("vmd-fakeqmp-XXXXXX", &error);
  g_assert_no_error (error);
  s->path = g_build_filename (s->dir, "qmp.sock", NULL);
  s->input = g_string_new (NULL);
  s->go = g_async_queue_new ();
  s->script = script;
  g_queue_init (&s->fds);

  s->listener = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM,
                              G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_assert_no_error (error);
  address = g_unix_socket_address_new (s->path);
  g_assert_true (g_socket_bind (s->listener, address, TRUE, &error));
  g_assert_true (g_socket_listen (s->listener, &error));
  g_socket_set_timeout (s->listener, WAIT_SECONDS);

  s->thread = g_thread_new ("fake-qmp", fake_server_thread, s);
  return s;
}

static void
fake_server_go (FakeServer *s)
{
  g_async_queue_push (s->go, GINT_TO_POINTER (1));
}

static void
fake_server_finish (FakeServer *s)
{
  WAIT_FOR (g_atomic_int_get (&s->done));
  g_thread_join (s->thread);

  while (!g_queue_is_empty (&s->fds))
    close (GPOINTER_TO_INT (g_queue_pop_head (&s->fds)));
  g_clear_object (&s->conn);
  g_socket_close (s->listener, NULL);
  g_clear_object (&s->listener);
  g_async_queue_unref (s->go);
  g_string_free (s->input, TRUE);
  remove_tree (s->dir);
  g_free (s->dir);
  g_free (s->path);
  g_free (s);
  drain_main_context ();
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeServer, fake_server_finish)

static VmdQmpClient *
fake_connect (FakeServer *s,
              Recorder   *rec)
{
  g_autoptr (GError) error = NULL;
  VmdQmpClient *client = connect_sync (s->path, &error);
  g_autofree char *version = NULL;

  g_assert_no_error (error);
  g_assert_true (vmd_qmp_client_is_connected (client));
  version = vmd_qmp_client_get_qemu_version (client);
  g_assert_cmpstr (version, ==, "9.1.3");
  recorder_init (rec);
  recorder_attach (rec, client);
  return client;
}

/* Out of order */

static void
script_out_of_order (FakeServer *s)
{
  g_autoptr (JsonObject) one = NULL;
  g_autoptr (JsonObject) two = NULL;
  g_autoptr (JsonObject) three = NULL;

  srv_greet (s);
  one = srv_expect (s, "one");
  two = srv_expect (s, "two");
  three = srv_expect (s, "three");
  g_assert_cmpstr (json_object_get_string_member (one, "id"), !=,
                   json_object_get_string_member (two, "id"));
  g_assert_cmpstr (json_object_get_string_member (two, "id"), !=,
                   json_object_get_string_member (three, "id"));
  g_assert_cmpint (json_object_get_int_member (srv_arguments (two), "n"), ==, 2);

  srv_reply (s, three, "{\"was\": \"three\"}");
  g_usleep (20000);
  srv_reply (s, one, "{\"was\": \"one\"}");
  g_usleep (20000);
  srv_reply (s, two, "[\"two\"]");
  srv_expect_eof (s);
}

typedef struct
{
  GPtrArray    *order;
  const char   *name;
  VmdQmpClient *client;
  JsonNode     *reply;
  GError       *error;
  gboolean      done;
} Outcome;

static void
on_outcome (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Outcome *o = user_data;

  o->reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result, &o->error);
  o->done = TRUE;
  if (o->order != NULL)
    g_ptr_array_add (o->order, (gpointer) o->name);
}

static gboolean
outcomes_done (const Outcome *o,
               guint          n)
{
  for (guint i = 0; i < n; i++)
    {
      if (!o[i].done)
        return FALSE;
    }
  return TRUE;
}

static void
outcome_clear (Outcome *o)
{
  g_clear_pointer (&o->reply, json_node_unref);
  g_clear_error (&o->error);
}

static void
test_fake_out_of_order (void)
{
  g_autoptr (FakeServer) s = fake_server_start (script_out_of_order);
  g_autoptr (GPtrArray) order = g_ptr_array_new ();
  g_autoptr (JsonNode) args = parse_json ("{\"n\": 2}");
  Outcome  o[3] = { { order, "one" }, { order, "two" }, { order, "three" } };
  Recorder rec = { 0 };
  g_autoptr (VmdQmpClient) client = fake_connect (s, &rec);

  vmd_qmp_client_execute_async (client, "one", NULL, NULL, on_outcome, &o[0]);
  vmd_qmp_client_execute_async (client, "two", args, NULL, on_outcome, &o[1]);
  vmd_qmp_client_execute_async (client, "three", NULL, NULL, on_outcome, &o[2]);
  WAIT_FOR (o[0].done && o[1].done && o[2].done);

  g_assert_cmpstr (g_ptr_array_index (order, 0), ==, "three");
  g_assert_cmpstr (g_ptr_array_index (order, 1), ==, "one");
  g_assert_cmpstr (g_ptr_array_index (order, 2), ==, "two");
  g_assert_no_error (o[0].error);
  g_assert_cmpstr (node_string (o[0].reply, "was"), ==, "one");
  g_assert_no_error (o[2].error);
  g_assert_cmpstr (node_string (o[2].reply, "was"), ==, "three");
  g_assert_no_error (o[1].error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (o[1].reply));
  g_assert_cmpstr (json_array_get_string_element (json_node_get_array (o[1].reply), 0), ==, "two");

  for (int i = 0; i < 3; i++)
    outcome_clear (&o[i]);
  g_clear_object (&client);
  recorder_clear (&rec);
}

/* A reply in pieces */

static void
script_split (FakeServer *s)
{
  g_autoptr (JsonObject) caps = NULL;
  g_autoptr (JsonObject) cmd = NULL;
  const char *id;
  /* "é" is split between two writes, and so is "\r\n" */
  const char *greeting_parts[] = { "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 3, ",
                                   "\"minor\": 1, \"major\": 9}}, \"capabilities\": []}}",
                                   "\r", "\n" };

  for (guint i = 0; i < G_N_ELEMENTS (greeting_parts); i++)
    {
      g_assert_true (srv_write (s, greeting_parts[i]));
      g_usleep (20000);
    }
  caps = srv_expect (s, "qmp_capabilities");
  srv_reply (s, caps, "{}");

  cmd = srv_expect (s, "split");
  id = json_object_get_string_member (cmd, "id");
  g_assert_true (srv_write (s, "{\"return\": {\"text\": \"h\xc3"));
  g_usleep (20000);
  g_assert_true (srv_write (s, "\xa9llo\", \"n\""));
  g_usleep (20000);
  g_assert_true (srv_write (s, ": 42}, \"id\": \""));
  g_usleep (20000);
  g_assert_true (srv_write (s, id));
  g_usleep (20000);
  g_assert_true (srv_write (s, "\"}\r"));
  g_usleep (20000);
  g_assert_true (srv_write (s, "\n"));
  srv_expect_eof (s);
}

static void
test_fake_split (void)
{
  g_autoptr (FakeServer) s = fake_server_start (script_split);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = NULL;
  Recorder rec = { 0 };
  g_autoptr (VmdQmpClient) client = fake_connect (s, &rec);

  reply = execute_sync (client, "split", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (node_string (reply, "text"), ==, "h\xc3\xa9llo");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (reply), "n"), ==, 42);
  g_assert_cmpuint (rec.disconnects, ==, 0);

  g_clear_object (&client);
  recorder_clear (&rec);
}

/* Several messages in one write */

static void
script_together (FakeServer *s)
{
  g_autoptr (JsonObject) one = NULL;
  g_autoptr (JsonObject) two = NULL;
  g_autofree char *reply_one = NULL;
  g_autofree char *reply_two = NULL;
  g_autofree char *all = NULL;

  srv_greet (s);
  one = srv_expect (s, "one");
  two = srv_expect (s, "two");
  reply_one = srv_reply_text (one, "{\"n\": 1}");
  reply_two = srv_reply_text (two, "{\"n\": 2}");
  all = g_strconcat ("{\"event\": \"FIRST\", \"data\": {\"k\": 1}, "
                     "\"timestamp\": {\"seconds\": 10, \"microseconds\": 5}}\r\n",
                     reply_two,
                     "{\"event\": \"SECOND\","
                     " \"timestamp\": {\"seconds\": 11, \"microseconds\": 0}}\r\n",
                     reply_one, NULL);
  g_assert_true (srv_write (s, all));
  srv_expect_eof (s);
}

static void
test_fake_together (void)
{
  g_autoptr (FakeServer) s = fake_server_start (script_together);
  Outcome  o[2] = { { NULL, "one" }, { NULL, "two" } };
  Recorder rec = { 0 };
  g_autoptr (VmdQmpClient) client = fake_connect (s, &rec);
  RecordedEvent *first, *second;

  vmd_qmp_client_execute_async (client, "one", NULL, NULL, on_outcome, &o[0]);
  vmd_qmp_client_execute_async (client, "two", NULL, NULL, on_outcome, &o[1]);
  WAIT_FOR (o[0].done && o[1].done);

  g_assert_no_error (o[0].error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (o[0].reply), "n"), ==, 1);
  g_assert_no_error (o[1].error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (o[1].reply), "n"), ==, 2);

  g_assert_cmpuint (rec.events->len, ==, 2);
  first = g_ptr_array_index (rec.events, 0);
  second = g_ptr_array_index (rec.events, 1);
  g_assert_cmpstr (first->name, ==, "FIRST");
  g_assert_cmpint (json_object_get_int_member (first->data, "k"), ==, 1);
  g_assert_cmpint (first->timestamp, ==, 10 * G_USEC_PER_SEC + 5);
  g_assert_cmpstr (second->name, ==, "SECOND");
  g_assert_null (second->data);

  for (int i = 0; i < 2; i++)
    outcome_clear (&o[i]);
  g_clear_object (&client);
  recorder_clear (&rec);
}

/* Garbage: the connection is closed */

static void
script_garbage (FakeServer *s)
{
  g_autoptr (JsonObject) cmd = NULL;

  srv_greet (s);
  cmd = srv_expect (s, "pending");
  g_assert_true (srv_write (s, "this is { not json\r\n"));
  srv_expect_eof (s); /* the client hung up */
}

static void
test_fake_garbage (void)
{
  g_autoptr (FakeServer) s = fake_server_start (script_garbage);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = NULL;
  Recorder rec = { 0 };
  g_autoptr (VmdQmpClient) client = fake_connect (s, &rec);

  reply = execute_sync (client, "pending", NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, VMD_QMP_ERROR, VMD_QMP_ERROR_PROTOCOL);
  g_clear_error (&error);

  g_assert_cmpuint (rec.disconnects, ==, 1);
  g_assert_error (rec.reason, VMD_QMP_ERROR, VMD_QMP_ERROR_PROTOCOL);
  g_assert_false (vmd_qmp_client_is_connected (client));
  g_assert_cmpuint (rec.connected_notifies, ==, 1);

  g_assert_null (execute_sync (client, "after", NULL, &error));
  g_assert_error (error, VMD_QMP_ERROR, VMD_QMP_ERROR_DISCONNECTED);

  fake_server_finish (g_steal_pointer (&s));
  g_assert_cmpuint (rec.disconnects, ==, 1);
  g_clear_object (&client);
  recorder_clear (&rec);
}

/* Messages that are not ours are ignored */

static void
script_ignored (FakeServer *s)
{
  g_autoptr (JsonObject) cmd = NULL;

  srv_greet (s);
  cmd = srv_expect (s, "real");
  g_assert_true (srv_write (s, "[1, 2, 3]\r\n"
                               "\"just a string\"\r\n"
                               "\r\n"
                               "   \r\n"
                               "{\"return\": {}, \"id\": \"not-ours\"}\r\n"
                               "{\"return\": {}, \"id\": 17}\r\n"
                               "{\"return\": {}}\r\n"
                               "{\"error\": {\"class\": \"GenericError\", \"desc\": \"x\"}}\r\n"
                               "{\"what\": 1}\r\n"
                               "{\"event\": 42}\r\n"
                               "{\"event\": {\"name\": \"X\"}}\r\n"
                               "{\"return\": {}, \"id\": {\"x\": 1}}\r\n"
                               "{\"QMP\": {}}\r\n"));
  srv_reply (s, cmd, "{\"ok\": true}");
  srv_expect_eof (s);
}

static void
test_fake_ignored (void)
{
  g_autoptr (FakeServer) s = fake_server_start (script_ignored);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = NULL;
  Recorder rec = { 0 };
  g_autoptr (VmdQmpClient) client = fake_connect (s, &rec);

  reply = execute_sync (client, "real", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (reply), "ok"));
  g_assert_cmpuint (rec.events->len, ==, 0);
  g_assert_cmpuint (rec.disconnects, ==, 0);
  g_assert_true (vmd_qmp_client_is_connected (client));

  g_clear_object (&client);
  recorder_clear (&rec);
}

/* Error classes */

static void
script_errors (FakeServer *s)
{
  static const char *const classes[] = {
    "GenericError", "CommandNotFound", "DeviceNotFound", "DeviceNotActive", "KVMMissingCap",
    "SomethingNew",
  };

  srv_greet (s);
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      g_autoptr (JsonObject) cmd = srv_read (s);
      g_autofree char *text = NULL;

      g_assert_nonnull (cmd);
      text = g_strdup_printf ("{\"id\": \"%s\", "
                              "\"error\": {\"class\": \"%s\", \"desc\": \"Desc of %s.\"}}\r\n",
                              json_object_get_string_member (cmd, "id"), classes[i], classes[i]);
      g_assert_true (srv_write (s, text));
    }
  {
    g_autoptr (JsonObject) cmd = srv_read (s);
    g_autofree char *text = NULL;

    g_assert_nonnull (cmd);
    text = g_strdup_printf ("{\"id\": \"%s\", \"error\": {\"class\": \"GenericError\"}}\r\n",
                            json_object_get_string_member (cmd, "id"));
    g_assert_true (srv_write (s, text));
  }
  {
    g_autoptr (JsonObject) cmd = srv_read (s);
    g_autofree char *text = NULL;

    g_assert_nonnull (cmd);
    text = g_strdup_printf ("{\"id\": \"%s\", \"error\": {\"class\": 5, \"desc\": [\"x\"]}}\r\n",
                            json_object_get_string_member (cmd, "id"));
    g_assert_true (srv_write (s, text));
  }
  srv_expect_eof (s);
}

static void
test_fake_error_classes (void)
{
  static const struct
  {
    const char *klass;
    VmdQmpError code;
  } expected[] = {
    { "GenericError", VMD_QMP_ERROR_GENERIC },
    { "CommandNotFound", VMD_QMP_ERROR_COMMAND_NOT_FOUND },
    { "DeviceNotFound", VMD_QMP_ERROR_DEVICE_NOT_FOUND },
    { "DeviceNotActive", VMD_QMP_ERROR_DEVICE_NOT_ACTIVE },
    { "KVMMissingCap", VMD_QMP_ERROR_KVM_MISSING },
    { "SomethingNew", VMD_QMP_ERROR_GENERIC },
  };
  g_autoptr (FakeServer) s = fake_server_start (script_errors);
  Recorder rec = { 0 };
  g_autoptr (VmdQmpClient) client = fake_connect (s, &rec);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *desc = g_strdup_printf ("Desc of %s.", expected[i].klass);

      g_assert_null (execute_sync (client, "fail", NULL, &error));
      g_assert_error (error, VMD_QMP_ERROR, (gint) expected[i].code);
      g_assert_cmpstr (error->message, ==, desc);
    }
  {
    g_autoptr (GError) error = NULL;

    g_assert_null (execute_sync (client, "fail", NULL, &error));
    g_assert_error (error, VMD_QMP_ERROR, VMD_QMP_ERROR_GENERIC);
    g_assert_nonnull (strstr (error->message, "GenericError"));
  }
  {
    g_autoptr (GError) error = NULL;

    /* Neither a class nor a description we can read: still an error. */
    g_assert_null (execute_sync (client, "fail", NULL, &error));
    g_assert_error (error, VMD_QMP_ERROR, VMD_QMP_ERROR_GENERIC);
  }

  g_assert_true (vmd_qmp_client_is_connected (client));
  g_clear_object (&client);
  recorder_clear (&rec);
}

/* Connecting to something that is not (yet) a QMP monitor */

static void
script_greets_with_return (FakeServer *s)
{
  g_assert_true (srv_write (s, "{\"return\": {}}\r\n"));
  srv_expect_eof (s);
}

static void
script_greets_with_text (FakeServer *s)
{
  g_assert_true (srv_write (s, "SSH-2.0-OpenSSH_9.2\r\n"));
  srv_expect_eof (s);
}

static void
script_greets_with_array (FakeServer *s)
{
  g_assert_true (srv_write (s, "[\"QMP\"]\r\n"));
  srv_expect_eof (s);
}

static void
script_greets_badly (FakeServer *s)
{
  g_assert_true (srv_write (s, "{\"QMP\": \"7.2\"}\r\n"));
  srv_expect_eof (s);
}

static void
script_hangs_up (FakeServer *s)
{
}

static void
script_refuses_capabilities (FakeServer *s)
{
  g_autoptr (JsonObject) caps = NULL;
  g_autofree char *text = NULL;

  g_assert_true (srv_write (s, greeting));
  caps = srv_expect (s, "qmp_capabilities");
  text = g_strdup_printf ("{\"id\": \"%s\", \"error\": {\"class\": \"GenericError\", "
                          "\"desc\": \"Capabilities negotiation is already complete\"}}\r\n",
                          json_object_get_string_member (caps, "id"));
  g_assert_true (srv_write (s, text));
  srv_expect_eof (s);
}

typedef struct
{
  FakeScript script;
  int        code;
} ConnectCase;

static void
test_fake_bad_greeting (gconstpointer data)
{
  const ConnectCase *c = data;
  g_autoptr (FakeServer) s = fake_server_start (c->script);
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdQmpClient) client = connect_sync (s->path, &error);

  g_assert_null (client);
  g_assert_error (error, VMD_QMP_ERROR, c->code);
  g_test_message ("%s", error->message);
}

static void
test_connect_not_there (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vmd-qmp-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "qmp.sock", NULL);
  g_autoptr (VmdQmpClient) client = NULL;
  g_autoptr (GSocket) stale = NULL;
  g_autoptr (GSocketAddress) address = NULL;

  /* No socket yet (QEMU still starting): the caller retries on this. */
  client = connect_sync (path, &error);
  g_assert_null (client);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A socket file nobody listens on (QEMU gone) */
  stale = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT,
                        &error);
  g_assert_no_error (error);
  address = g_unix_socket_address_new (path);
  g_assert_true (g_socket_bind (stale, address, TRUE, &error));
  g_socket_close (stale, NULL);
  client = connect_sync (path, &error);
  g_assert_null (client);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);

  remove_tree (dir);
}

static void
script_never_greets (FakeServer *s)
{
  srv_wait_go (s);
  srv_expect_eof (s);
}

static void
test_connect_cancelled (void)
{
  g_autoptr (FakeServer) s = fake_server_start (script_never_greets);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdQmpClient) client = NULL;

  vmd_qmp_client_connect_async (s->path, cancellable, on_result, &result);
  for (int i = 0; i < 20; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
  g_assert_null (result);

  g_cancellable_cancel (cancellable);
  WAIT_FOR (result != NULL);
  client = vmd_qmp_client_connect_finish (result, &error);
  g_assert_null (client);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  fake_server_go (s);
}

/* Events */

static void
script_events (FakeServer *s)
{
  g_autoptr (JsonObject) cmd = NULL;

  srv_greet (s);
  g_assert_true (srv_write (s,
                            "{\"event\": \"POWERDOWN\", \"timestamp\": {\"seconds\": 1700000000, "
                            "\"microseconds\": 123456}}\r\n"
                            "{\"timestamp\": {\"seconds\": 1700000001, \"microseconds\": 7}, "
                            "\"event\": \"DEVICE_DELETED\", \"data\": {\"device\": \"net0\"}}\r\n"
                            "{\"event\": \"NO_TIME\", \"data\": {}}\r\n"
                            "{\"event\": \"ODD\", \"data\": [1], "
                            "\"timestamp\": {\"seconds\": \"soon\", \"microseconds\": {}}}\r\n"));
  cmd = srv_expect (s, "sync");
  srv_reply (s, cmd, "{}");
  srv_expect_eof (s);
}

static void
test_fake_events (void)
{
  g_autoptr (FakeServer) s = fake_server_start (script_events);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = NULL;
  Recorder rec = { 0 };
  g_autoptr (VmdQmpClient) client = fake_connect (s, &rec);
  RecordedEvent *event;

  reply = execute_sync (client, "sync", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rec.events->len, ==, 4);

  event = g_ptr_array_index (rec.events, 0);
  g_assert_cmpstr (event->name, ==, "POWERDOWN");
  g_assert_null (event->data);
  g_assert_cmpint (event->timestamp, ==, G_GINT64_CONSTANT (1700000000123456));

  event = g_ptr_array_index (rec.events, 1);
  g_assert_cmpstr (event->name, ==, "DEVICE_DELETED");
  g_assert_cmpstr (json_object_get_string_member (event->data, "device"), ==, "net0");
  g_assert_cmpint (event->timestamp, ==, G_GINT64_CONSTANT (1700000001000007));

  event = g_ptr_array_index (rec.events, 2);
  g_assert_cmpstr (event->name, ==, "NO_TIME");
  g_assert_nonnull (event->data);
  g_assert_cmpuint (json_object_get_size (event->data), ==, 0);
  g_assert_cmpint (event->timestamp, ==, 0);

  /* Members of the wrong type count as missing. */
  event = g_ptr_array_index (rec.events, 3);
  g_assert_cmpstr (event->name, ==, "ODD");
  g_assert_null (event->data);
  g_assert_cmpint (event->timestamp, ==, 0);

  /* Detailed handlers: "event::POWERDOWN" fired, "event::STOP" did not. */
  g_assert_cmpuint (rec.detailed->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (rec.detailed, 0), ==, "POWERDOWN");

  g_clear_object (&client);
  recorder_clear (&rec);
}

/* The server hangs up in the middle of a reply */

static void
script_cut_off (FakeServer *s)
{
  g_autoptr (JsonObject) one = NULL;
  g_autoptr (JsonObject) two = NULL;

  srv_greet (s);
  one = srv_expect (s, "one");
  two = srv_expect (s, "two");
  g_assert_true (srv_write (s, "{\"return\": {\"status\": \"runn"));
  g_usleep (50000);
}

static void
test_fake_cut_off (void)
{
  g_autoptr (FakeServer) s = fake_server_start (script_cut_off);
  Outcome  o[2] = { { NULL, "one" }, { NULL, "two" } };
  Recorder rec = { 0 };
  g_autoptr (VmdQmpClient) client = fake_connect (s, &rec);

  vmd_qmp_client_execute_async (client, "one", NULL, NULL, on_outcome, &o[0]);
  vmd_qmp_client_execute_async (client, "two", NULL, NULL, on_outcome, &o[1]);
  WAIT_FOR (o[0].done && o[1].done && rec.disconnects > 0);

  for (int i = 0; i < 2; i++)
    {
      g_assert_null (o[i].reply);
      g_assert_error (o[i].error, VMD_QMP_ERROR, VMD_QMP_ERROR_DISCONNECTED);
      g_assert_cmpstr (o[i].error->message, ==, "The connection to QEMU was closed.");
      outcome_clear (&o[i]);
    }
  g_assert_cmpuint (rec.disconnects, ==, 1);
  g_assert_error (rec.reason, VMD_QMP_ERROR, VMD_QMP_ERROR_DISCONNECTED);
  g_assert_false (vmd_qmp_client_is_connected (client));

  g_clear_object (&client);
  recorder_clear (&rec);
}

/* close() with commands pending */

static void
script_close (FakeServer *s)
{
  g_autoptr (JsonObject) one = NULL;
  g_autoptr (JsonObject) two = NULL;

  srv_greet (s);
  one = srv_expect (s, "one");
  two = srv_expect (s, "two");
  srv_step (s);
  srv_expect_eof (s);
}

static void
test_fake_close (void)
{
  g_autoptr (FakeServer) s = fake_server_start (script_close);
  g_autoptr (GError) error = NULL;
  Outcome  o[2] = { { NULL, "one" }, { NULL, "two" } };
  Recorder rec = { 0 };
  g_autoptr (VmdQmpClient) client = fake_connect (s, &rec);
  g_autoptr (JsonNode) job_args = parse_json ("{\"job-id\": \"j\"}");
  g_autoptr (GAsyncResult) job_result = NULL;

  vmd_qmp_client_execute_async (client, "one", NULL, NULL, on_outcome, &o[0]);
  vmd_qmp_client_execute_async (client, "two", NULL, NULL, on_outcome, &o[1]);
  WAIT_FOR (g_atomic_int_get (&s->progress) == 1);

  vmd_qmp_client_close (client);
  g_assert_false (vmd_qmp_client_is_connected (client));
  g_assert_cmpuint (rec.disconnects, ==, 1);
  g_assert_false (rec.reason_set);
  g_assert_cmpuint (rec.connected_notifies, ==, 1);
  vmd_qmp_client_close (client);
  g_assert_cmpuint (rec.disconnects, ==, 1);

  WAIT_FOR (o[0].done && o[1].done);
  for (int i = 0; i < 2; i++)
    {
      g_assert_error (o[i].error, VMD_QMP_ERROR, VMD_QMP_ERROR_DISCONNECTED);
      outcome_clear (&o[i]);
    }

  g_assert_null (execute_sync (client, "three", NULL, &error));
  g_assert_error (error, VMD_QMP_ERROR, VMD_QMP_ERROR_DISCONNECTED);
  g_clear_error (&error);

  vmd_qmp_client_run_job_async (client, "snapshot-save", job_args, "j", NULL, on_result,
                                &job_result);
  WAIT_FOR (job_result != NULL);
  g_assert_false (vmd_qmp_client_run_job_finish (client, job_result, &error));
  g_assert_error (error, VMD_QMP_ERROR, VMD_QMP_ERROR_DISCONNECTED);

  g_assert_cmpuint (rec.disconnects, ==, 1);
  g_clear_object (&client);
  recorder_clear (&rec);
}

/* Cancelling a command, and disposing a client */

static void
script_cancel (FakeServer *s)
{
  g_autoptr (JsonObject) one = NULL;
  g_autoptr (JsonObject) three = NULL;

  srv_greet (s);
  one = srv_expect (s, "one");
  srv_step (s);
  srv_wait_go (s); /* "one" was cancelled, "two" too before it was sent */
  srv_reply (s, one, "{\"late\": true}");
  three = srv_expect (s, "three");
  srv_reply (s, three, "{\"n\": 3}");
  srv_expect_eof (s);
}

static void
test_fake_cancel (void)
{
  g_autoptr (FakeServer) s = fake_server_start (script_cancel);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GCancellable) already = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = NULL;
  Outcome  o[2] = { { NULL, "one" }, { NULL, "two" } };
  Recorder rec = { 0 };
  g_autoptr (VmdQmpClient) client = fake_connect (s, &rec);

  vmd_qmp_client_execute_async (client, "one", NULL, cancellable, on_outcome, &o[0]);
  WAIT_FOR (g_atomic_int_get (&s->progress) == 1);
  g_cancellable_cancel (cancellable);
  WAIT_FOR (o[0].done);
  g_assert_null (o[0].reply);
  g_assert_error (o[0].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_cancellable_cancel (already);
  vmd_qmp_client_execute_async (client, "two", NULL, already, on_outcome, &o[1]);
  WAIT_FOR (o[1].done);
  g_assert_error (o[1].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  fake_server_go (s);
  reply = execute_sync (client, "three", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (reply), "n"), ==, 3);
  g_assert_cmpuint (rec.disconnects, ==, 0);

  for (int i = 0; i < 2; i++)
    outcome_clear (&o[i]);
  g_clear_object (&client);
  recorder_clear (&rec);
}

static void
script_dispose (FakeServer *s)
{
  g_autoptr (JsonObject) one = NULL;
  g_autofree char *reply = NULL;

  srv_greet (s);
  one = srv_expect (s, "one");
  srv_step (s);
  srv_wait_go (s); /* the client is gone by now */
  reply = srv_reply_text (one, "{\"late\": true}");
  srv_write (s, reply); /* may fail: nobody reads */
  srv_expect_eof (s);
}

static void
test_fake_dispose (void)
{
  g_autoptr (FakeServer) s = fake_server_start (script_dispose);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  Outcome       o = { NULL, "one" };
  Recorder      rec = { 0 };
  VmdQmpClient *client = fake_connect (s, &rec);
  guint         disconnects;

  g_object_add_weak_pointer (G_OBJECT (client), (gpointer *) &client);
  vmd_qmp_client_execute_async (client, "one", NULL, cancellable, on_outcome, &o);
  WAIT_FOR (g_atomic_int_get (&s->progress) == 1);
  g_cancellable_cancel (cancellable);
  WAIT_FOR (o.done);
  g_assert_error (o.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* The read in flight and the command QEMU still owes an answer to hold
   * no reference: the last unref disposes the client. */
  disconnects = rec.disconnects;
  g_object_unref (client);
  g_assert_null (client);
  g_assert_cmpuint (rec.disconnects, ==, disconnects);

  fake_server_go (s);
  fake_server_finish (g_steal_pointer (&s));
  outcome_clear (&o);
  recorder_clear (&rec);
}

/* Passing fds, also when the socket is full */

static guint socket_full_count;
static guint partial_fd_send_count;

static GLogWriterOutput
count_log_writer (GLogLevelFlags   level,
                  const GLogField *fields,
                  gsize            n_fields,
                  gpointer         data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }
  if (g_strcmp0 (domain, "vmdesk-qmp") == 0 && message != NULL)
    {
      if (strstr (message, "socket is full") != NULL)
        g_atomic_int_inc (&socket_full_count);
      else if (g_str_has_prefix (message, "Sent the fd with "))
        g_atomic_int_inc (&partial_fd_send_count);
    }

  return g_log_writer_default (level, fields, n_fields, data);
}

#define BIG_PAD (512 * 1024)

static int fill_rounds;
static gsize fill_sizes[64];

static void
srv_check_getfd (FakeServer *s,
                 JsonObject *cmd,
                 const char *name)
{
  JsonObject *args = srv_arguments (cmd);
  int         fd;

  g_assert_cmpstr (json_object_get_string_member (args, "fdname"), ==, name);
  /* The fd came with the command's first bytes, so by its end it is here;
   * reading ahead may have brought the next command's fd too, after it. */
  g_assert_false (g_queue_is_empty (&s->fds));
  fd = GPOINTER_TO_INT (g_queue_pop_head (&s->fds));
  g_assert_cmpint (write (fd, name, strlen (name)), ==, (gssize) strlen (name));
  close (fd);
}

static void
script_fds (FakeServer *s)
{
  srv_greet (s);

  /* Two fd commands bigger than the socket buffer: the fd goes with the
   * first part, the rest follows as plain writes. */
  g_usleep (100000);
  for (int i = 0; i < 2; i++)
    {
      g_autoptr (JsonObject) cmd = srv_expect (s, "getfd");
      g_autofree char *name = g_strdup_printf ("big%d", i);

      g_assert_cmpuint (strlen (json_object_get_string_member (srv_arguments (cmd), "pad")), ==,
                        BIG_PAD);
      srv_check_getfd (s, cmd, name);
      srv_reply (s, cmd, "{}");
    }

  /* Rounds of a plain command about as big as the socket buffer, then a
   * small fd command; unread, the first leaves the socket full. */
  for (int i = 0; i < fill_rounds; i++)
    {
      g_autoptr (JsonObject) fill = NULL;
      g_autoptr (JsonObject) cmd = NULL;
      g_autofree char *name = g_strdup_printf ("small%d", i);

      g_usleep (30000);
      fill = srv_expect (s, "fill");
      g_assert_cmpuint (strlen (json_object_get_string_member (srv_arguments (fill), "pad")), ==,
                        fill_sizes[i]);
      cmd = srv_expect (s, "getfd");
      srv_check_getfd (s, cmd, name);
      g_assert_true (g_queue_is_empty (&s->fds)); /* and none came with "fill" */
      srv_reply (s, fill, "{}");
      srv_reply (s, cmd, "{}");
    }
  srv_expect_eof (s);
}

static JsonNode *
pad_arguments (const char *name,
               gsize       size)
{
  g_autoptr (JsonObject) object = json_object_new ();
  g_autofree char *pad = g_malloc (size + 1);
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  memset (pad, 'x', size);
  pad[size] = '\0';
  if (name != NULL)
    json_object_set_string_member (object, "fdname", name);
  json_object_set_string_member (object, "pad", pad);
  json_node_set_object (node, object);
  return node;
}

/* Sends "getfd" named @name with one end of a new socketpair; returns the
 * other end. */
static int
send_getfd (VmdQmpClient *client,
            const char   *name,
            JsonNode     *args,
            Outcome      *o)
{
  int fds[2];

  g_assert_no_errno (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds));
  vmd_qmp_client_execute_with_fd_async (client, "getfd", args, fds[0], NULL, on_outcome, o);
  close (fds[0]);
  return fds[1];
}

static void
assert_fd_reached_server (int         peer,
                          const char *name)
{
  char buf[16] = { 0 };

  /* What the server wrote into the fd it got comes out of our end. */
  g_assert_cmpint (read (peer, buf, sizeof buf - 1), ==, (gssize) strlen (name));
  g_assert_cmpstr (buf, ==, name);
  close (peer);
}

static void
test_fake_fds (void)
{
  g_autoptr (FakeServer) s = NULL;
  g_autofree char *wmem = NULL;
  Outcome  big[2] = { { 0 } };
  int      big_peers[2];
  Recorder rec = { 0 };
  g_autoptr (VmdQmpClient) client = NULL;
  gsize    sndbuf = 212992;

  /* Around the default socket buffer, where a write that fits leaves no
   * room for the next. */
  if (g_file_get_contents ("/proc/sys/net/core/wmem_default", &wmem, NULL, NULL))
    sndbuf = g_ascii_strtoull (wmem, NULL, 10);
  fill_rounds = G_N_ELEMENTS (fill_sizes);
  for (int i = 0; i < fill_rounds; i++)
    fill_sizes[i] = sndbuf * (88 + i / 2) / 100 + (i % 2) * 997;

  s = fake_server_start (script_fds);
  client = fake_connect (s, &rec);
  g_atomic_int_set (&socket_full_count, 0);
  g_atomic_int_set (&partial_fd_send_count, 0);

  for (int i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("big%d", i);
      g_autoptr (JsonNode) args = pad_arguments (name, BIG_PAD);

      big_peers[i] = send_getfd (client, name, args, &big[i]);
    }
  WAIT_FOR (outcomes_done (big, 2));
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("big%d", i);

      g_assert_no_error (big[i].error);
      assert_fd_reached_server (big_peers[i], name);
      outcome_clear (&big[i]);
    }
  g_assert_cmpuint (g_atomic_int_get (&partial_fd_send_count), >, 0);

  for (int i = 0; i < fill_rounds; i++)
    {
      g_autofree char *name = g_strdup_printf ("small%d", i);
      g_autoptr (JsonNode) fill_args = pad_arguments (NULL, fill_sizes[i]);
      g_autoptr (JsonNode) args = parse_json ("{}");
      Outcome o[2] = { { 0 } };
      int     peer;

      json_object_set_string_member (json_node_get_object (args), "fdname", name);
      vmd_qmp_client_execute_async (client, "fill", fill_args, NULL, on_outcome, &o[0]);
      peer = send_getfd (client, name, args, &o[1]);
      WAIT_FOR (outcomes_done (o, 2));
      g_assert_no_error (o[0].error);
      g_assert_no_error (o[1].error);
      assert_fd_reached_server (peer, name);
      outcome_clear (&o[0]);
      outcome_clear (&o[1]);
    }

  g_test_message ("An fd command found the socket full %u times, was sent in parts %u times",
                  g_atomic_int_get (&socket_full_count), g_atomic_int_get (&partial_fd_send_count));
  if (g_atomic_int_get (&socket_full_count) == 0)
    g_test_incomplete ("The socket never filled up before an fd command on this kernel");

  g_clear_object (&client);
  recorder_clear (&rec);
}

/* Jobs against the fake monitor: orders QEMU may send things in */

static void
send_job_events (FakeServer        *s,
                 const char        *id,
                 const char *const *statuses)
{
  for (guint i = 0; statuses[i] != NULL; i++)
    {
      g_autofree char *text =
        g_strdup_printf ("{\"timestamp\": {\"seconds\": 1, \"microseconds\": %u}, "
                         "\"event\": \"JOB_STATUS_CHANGE\", "
                         "\"data\": {\"status\": \"%s\", \"id\": \"%s\"}}\r\n",
                         i, statuses[i], id);

      g_assert_true (srv_write (s, text));
    }
}

static void
expect_dismiss (FakeServer *s,
                const char *id)
{
  g_autoptr (JsonObject) cmd = srv_expect (s, "job-dismiss");
  const char *const null[] = { "null", NULL };

  g_assert_cmpstr (json_object_get_string_member (srv_arguments (cmd), "id"), ==, id);
  send_job_events (s, id, null);
  srv_reply (s, cmd, "{}");
}

static void
expect_done (FakeServer *s)
{
  g_autoptr (JsonObject) cmd = srv_expect (s, "done");

  srv_reply (s, cmd, "{}");
}

/* concluded (with an error) before the command's own return */
static void
script_job_early (FakeServer *s)
{
  const char *const before[] = { "created", "running", "aborting", "concluded", NULL };
  const char *const other[] = { "concluded", NULL };
  g_autoptr (JsonObject) cmd = NULL;
  g_autoptr (JsonObject) query = NULL;

  srv_greet (s);
  cmd = srv_expect (s, "snapshot-save");
  g_assert_cmpstr (json_object_get_string_member (srv_arguments (cmd), "job-id"), ==, "j1");
  send_job_events (s, "other", other);
  send_job_events (s, "j1", before);
  srv_reply (s, cmd, "{}");

  query = srv_expect (s, "query-jobs");
  srv_reply (s, query,
             "[{\"id\": \"other\", \"type\": \"backup\", \"status\": \"concluded\"},"
             " {\"current-progress\": 1, \"status\": \"concluded\", \"total-progress\": 1,"
             " \"type\": \"snapshot-save\", \"id\": \"j1\", \"error\": \"The disk is on fire\"}]");
  expect_dismiss (s, "j1");
  expect_done (s);
  srv_expect_eof (s);
}

/* concluded after query-jobs found the job still running */
static void
script_job_late (FakeServer *s)
{
  const char *const start[] = { "created", "running", NULL };
  const char *const end[] = { "waiting", "pending", "concluded", NULL };
  g_autoptr (JsonObject) cmd = NULL;
  g_autoptr (JsonObject) check = NULL;
  g_autoptr (JsonObject) query = NULL;

  srv_greet (s);
  cmd = srv_expect (s, "snapshot-delete");
  send_job_events (s, "j2", start);
  srv_reply (s, cmd, "{}");

  check = srv_expect (s, "query-jobs");
  srv_reply (s, check,
             "[42, {\"id\": 7}, \"j2\","
             " {\"id\": \"j2\", \"type\": \"snapshot-delete\", \"status\": \"running\"}]");
  g_usleep (50000);
  send_job_events (s, "j2", end);

  query = srv_expect (s, "query-jobs");
  srv_reply (s, query,
             "[{\"id\": \"j2\", \"type\": \"snapshot-delete\", \"status\": \"concluded\"}]");
  expect_dismiss (s, "j2");
  expect_done (s);
  srv_expect_eof (s);
}

/* the command fails: no job to watch */
static void
script_job_refused (FakeServer *s)
{
  g_autoptr (JsonObject) cmd = NULL;
  g_autofree char *text = NULL;

  srv_greet (s);
  cmd = srv_expect (s, "snapshot-load");
  text = g_strdup_printf ("{\"id\": \"%s\", \"error\": {\"class\": \"GenericError\", "
                          "\"desc\": \"Job ID 'j3' already in use\"}}\r\n",
                          json_object_get_string_member (cmd, "id"));
  g_assert_true (srv_write (s, text));
  expect_done (s);
  srv_expect_eof (s);
}

/* QEMU goes away while the job runs */
static void
script_job_lost (FakeServer *s)
{
  const char *const start[] = { "created", "running", NULL };
  g_autoptr (JsonObject) cmd = NULL;
  g_autoptr (JsonObject) check = NULL;

  srv_greet (s);
  cmd = srv_expect (s, "snapshot-save");
  send_job_events (s, "j4", start);
  srv_reply (s, cmd, "{}");
  check = srv_expect (s, "query-jobs");
  srv_reply (s, check, "[{\"id\": \"j4\", \"type\": \"snapshot-save\", \"status\": \"running\"}]");
  g_usleep (50000);
}

typedef struct
{
  FakeScript  script;
  const char *command;
  const char *job_id;
  int         code; /* -1: success */
  const char *message;
} JobCase;

static void
test_fake_job (gconstpointer data)
{
  const JobCase *c = data;
  g_autoptr (FakeServer) s = fake_server_start (c->script);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = NULL;
  g_autofree char *args = g_strdup_printf ("{\"job-id\": \"%s\", \"tag\": \"t\"}", c->job_id);
  Recorder rec = { 0 };
  g_autoptr (VmdQmpClient) client = fake_connect (s, &rec);
  gboolean ok;

  ok = run_job_sync (client, c->command, args, c->job_id, &error);
  if (c->code < 0)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, VMD_QMP_ERROR, c->code);
      g_assert_cmpstr (error->message, ==, c->message);
      g_clear_error (&error);
    }

  if (c->code != VMD_QMP_ERROR_DISCONNECTED)
    {
      /* Nothing else was sent for the job: the next command is ours. */
      reply = execute_sync (client, "done", NULL, &error);
      g_assert_no_error (error);
    }

  g_clear_object (&client);
  recorder_clear (&rec);
}

int
main (int   argc,
      char *argv[])
{
  static const ConnectCase bad_greetings[] = {
    { script_greets_with_return, VMD_QMP_ERROR_PROTOCOL },
    { script_greets_with_text, VMD_QMP_ERROR_PROTOCOL },
    { script_greets_with_array, VMD_QMP_ERROR_PROTOCOL },
    { script_greets_badly, VMD_QMP_ERROR_PROTOCOL },
    { script_hangs_up, VMD_QMP_ERROR_DISCONNECTED },
    { script_refuses_capabilities, VMD_QMP_ERROR_GENERIC },
  };
  static const char *const bad_greeting_names[] = {
    "return", "text", "array", "not-an-object", "hang-up", "capabilities-refused",
  };
  static const JobCase jobs[] = {
    { script_job_early, "snapshot-save", "j1", VMD_QMP_ERROR_JOB_FAILED, "The disk is on fire" },
    { script_job_late, "snapshot-delete", "j2", -1, NULL },
    { script_job_refused, "snapshot-load", "j3", VMD_QMP_ERROR_GENERIC,
      "Job ID 'j3' already in use" },
    { script_job_lost, "snapshot-save", "j4", VMD_QMP_ERROR_DISCONNECTED,
      "The connection to QEMU was closed." },
  };
  static const char *const job_names[] = { "concluded-early", "concluded-late", "refused", "lost" };

  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (count_log_writer, NULL, NULL);
  g_type_ensure (G_TYPE_UNIX_FD_MESSAGE);

  g_test_add ("/qmp-client/qemu/basics", QemuFixture, NULL, qemu_setup, test_qemu_basics,
              qemu_teardown);
  g_test_add ("/qmp-client/qemu/many-at-once", QemuFixture, NULL, qemu_setup,
              test_qemu_many_at_once, qemu_teardown);
  g_test_add ("/qmp-client/qemu/getfd", QemuFixture, NULL, qemu_setup, test_qemu_getfd,
              qemu_teardown);
  g_test_add ("/qmp-client/qemu/vnc-fd", QemuFixture, NULL, qemu_setup, test_qemu_vnc_fd,
              qemu_teardown);
  g_test_add ("/qmp-client/qemu/events", QemuFixture, NULL, qemu_setup, test_qemu_events,
              qemu_teardown);
  g_test_add ("/qmp-client/qemu/quit", QemuFixture, NULL, qemu_setup, test_qemu_quit,
              qemu_teardown);
  g_test_add ("/qmp-client/qemu/quit-pipelined", QemuFixture, NULL, qemu_setup,
              test_qemu_quit_pipelined, qemu_teardown);
  g_test_add ("/qmp-client/qemu/killed", QemuFixture, NULL, qemu_setup, test_qemu_killed,
              qemu_teardown);
  g_test_add ("/qmp-client/qemu/snapshot-jobs", QemuFixture, NULL, qemu_setup,
              test_qemu_snapshot_jobs, qemu_teardown);

  g_test_add_func ("/qmp-client/fake/out-of-order", test_fake_out_of_order);
  g_test_add_func ("/qmp-client/fake/split", test_fake_split);
  g_test_add_func ("/qmp-client/fake/together", test_fake_together);
  g_test_add_func ("/qmp-client/fake/garbage", test_fake_garbage);
  g_test_add_func ("/qmp-client/fake/ignored", test_fake_ignored);
  g_test_add_func ("/qmp-client/fake/error-classes", test_fake_error_classes);
  g_test_add_func ("/qmp-client/fake/events", test_fake_events);
  g_test_add_func ("/qmp-client/fake/cut-off", test_fake_cut_off);
  g_test_add_func ("/qmp-client/fake/close", test_fake_close);
  g_test_add_func ("/qmp-client/fake/cancel", test_fake_cancel);
  g_test_add_func ("/qmp-client/fake/dispose", test_fake_dispose);
  g_test_add_func ("/qmp-client/fake/fds", test_fake_fds);
  g_test_add_func ("/qmp-client/connect/not-there", test_connect_not_there);
  g_test_add_func ("/qmp-client/connect/cancelled", test_connect_cancelled);
  for (guint i = 0; i < G_N_ELEMENTS (bad_greetings); i++)
    {
      g_autofree char *path = g_strdup_printf ("/qmp-client/connect/bad-greeting/%s",
                                               bad_greeting_names[i]);

      g_test_add_data_func (path, &bad_greetings[i], test_fake_bad_greeting);
    }
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/qmp-client/fake/job/%s", job_names[i]);

      g_test_add_data_func (path, &jobs[i], test_fake_job);
    }

  return g_test_run ();
}
