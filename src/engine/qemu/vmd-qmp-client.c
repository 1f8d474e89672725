/* vmd-qmp-client.c: an asynchronous QMP client (QEMU's JSON monitor)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One connection, one reader and one writer, all on the main context the
 * client was created on. QEMU sends one JSON object per line; commands go
 * out one after the other through a queue, each with an "id" of its own,
 * and a reply finds its command by that id, in whatever order it comes.
 *
 * Lifetime: a command in flight holds a reference on the client (through
 * its GTask), the read loop does not, so dropping the last reference of an
 * idle client disposes it. The reads and writes in flight then finish on a
 * cancelled GCancellable and never look at the client again.
 */
#define G_LOG_DOMAIN "vmdesk-qmp"

#include "vmd-qmp-client.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gio/gunixfdlist.h>
#include <gio/gunixfdmessage.h>
#include <gio/gunixsocketaddress.h>

G_DEFINE_QUARK (vmd-qmp-error-quark, vmd_qmp_error)

typedef struct _VmdQmpCommand VmdQmpCommand;
typedef struct _VmdQmpJob     VmdQmpJob;

struct _VmdQmpClient
{
  GObject parent_instance;

  char              *socket_path;
  GMainContext      *context;
  GSocketConnection *connection;
  GSocket           *socket;
  GDataInputStream  *input;
  GOutputStream     *output;
  GCancellable      *io_cancellable; /* cancelled when the connection closes */

  JsonObject *greeting;
  GTask      *connect_task; /* while the handshake runs */
  GSource    *connect_cancel_source;

  GHashTable *commands;   /* id → VmdQmpCommand, queued or sent */
  GQueue      send_queue; /* VmdQmpCommand not yet written, in order */
  guint64     next_id;

  /* The one write in flight. It owns its bytes, not the command: a reply
   * from a confused peer may free the command before the write ends. */
  gboolean     writing;
  GBytes      *write_bytes;
  gsize        write_offset;
  GUnixFDList *write_fds;
  GSource     *write_source; /* waiting for room to send an fd */

  GList *jobs; /* VmdQmpJob, each removes itself when done */

  gboolean connected;
  gboolean closed;
};

struct _VmdQmpCommand
{
  VmdQmpClient *client; /* unowned: the client owns its commands */
  char         *id;
  GTask        *task; /* NULL once the caller has been answered */
  GBytes       *bytes;
  GUnixFDList  *fds;
  GSource      *cancel_source;
  gboolean      sent;
};

G_DEFINE_FINAL_TYPE (VmdQmpClient, vmd_qmp_client, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SOCKET_PATH,
  PROP_CONNECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_EVENT,
  SIGNAL_DISCONNECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void client_shutdown (VmdQmpClient *self,
                             const GError *reason,
                             const GError *pending_error);
static void write_next (VmdQmpClient *self);
static void read_next (VmdQmpClient *self);
static void job_on_event (VmdQmpJob *job,
                          JsonObject *data);
static void job_on_disconnect (VmdQmpJob    *job,
                               const GError *error);

static GError *
disconnected_error (void)
{
  return g_error_new_literal (VMD_QMP_ERROR, VMD_QMP_ERROR_DISCONNECTED,
                              _("The connection to QEMU was closed."));
}

static gboolean
debug_enabled (void)
{
  return !g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN);
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* What QEMU sends is read without trusting its types: json-glib's own
 * getters warn (fatally, in tests) when a member is of another type. */
static JsonObject *
get_object_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* 0 when missing or not a number */
static gint64
get_int_member (JsonObject *object,
                const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_int (node) : 0;
}

static GSource *
attach_cancel_source (VmdQmpClient           *self,
                      GCancellable           *cancellable,
                      GCancellableSourceFunc  func,
                      gpointer                data)
{
  GSource *source = g_cancellable_source_new (cancellable);

  g_source_set_callback (source, G_SOURCE_FUNC (func), data, NULL);
  g_source_set_static_name (source, "[vmdesk] QMP cancellation");
  g_source_attach (source, self->context);
  return source;
}

/* I/O callbacks carry this instead of the client itself: once the
 * cancellable is cancelled (close, dispose) the client may be gone. */
typedef struct
{
  VmdQmpClient *client;
  GCancellable *cancellable;
} IoClosure;

static IoClosure *
io_closure_new (VmdQmpClient *self)
{
  IoClosure *closure = g_new0 (IoClosure, 1);

  closure->client = self;
  closure->cancellable = g_object_ref (self->io_cancellable);
  return closure;
}

/* Frees the closure; returns a new reference on the client, or NULL if the
 * connection was closed meanwhile. */
static VmdQmpClient *
io_closure_finish (IoClosure *closure)
{
  VmdQmpClient *self = NULL;

  if (!g_cancellable_is_cancelled (closure->cancellable))
    self = g_object_ref (closure->client);
  g_object_unref (closure->cancellable);
  g_free (closure);
  return self;
}

/* Commands and the write queue */

static void
command_free (VmdQmpCommand *cmd)
{
  clear_source (&cmd->cancel_source);
  g_clear_object (&cmd->task);
  g_clear_pointer (&cmd->bytes, g_bytes_unref);
  g_clear_object (&cmd->fds);
  g_free (cmd->id);
  g_free (cmd);
}

static gboolean
on_command_cancelled (GCancellable *cancellable,
                      gpointer      user_data)
{
  VmdQmpCommand *cmd = user_data;
  VmdQmpClient  *self = cmd->client;
  g_autoptr (GTask) task = g_steal_pointer (&cmd->task);

  g_clear_pointer (&cmd->cancel_source, g_source_unref);

  /* A command QEMU has not seen is dropped; one it has will still be
   * answered, and that answer is thrown away when it comes. */
  if (!cmd->sent)
    {
      g_queue_remove (&self->send_queue, cmd);
      g_hash_table_remove (self->commands, cmd->id);
    }

  if (task != NULL)
    g_task_return_error_if_cancelled (task);
  return G_SOURCE_REMOVE;
}

/* Takes @task; answers it when the reply comes. */
static void
queue_command (VmdQmpClient *self,
               const char   *command,
               JsonNode     *arguments,
               int           fd,
               GTask        *task)
{
  g_autoptr (JsonObject) object = json_object_new ();
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr (GError) error = NULL;
  GCancellable  *cancellable = g_task_get_cancellable (task);
  VmdQmpCommand *cmd;
  char          *json;

  if (self->closed)
    {
      g_task_return_error (task, disconnected_error ());
      g_object_unref (task);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  cmd = g_new0 (VmdQmpCommand, 1);
  cmd->client = self;
  cmd->id = g_strdup_printf ("vmd-%" G_GUINT64_FORMAT, ++self->next_id);
  cmd->task = task;

  if (fd >= 0)
    {
      /* The list holds its own duplicate: the caller keeps its fd. */
      cmd->fds = g_unix_fd_list_new ();
      if (g_unix_fd_list_append (cmd->fds, fd, &error) < 0)
        {
          g_task_return_error (cmd->task, g_steal_pointer (&error));
          command_free (cmd);
          return;
        }
    }

  json_object_set_string_member (object, "execute", command);
  if (arguments != NULL)
    json_object_set_member (object, "arguments", json_node_copy (arguments));
  json_object_set_string_member (object, "id", cmd->id);
  json_node_set_object (node, object);

  /* No newline after the object: QEMU dispatches a command at its closing
   * brace, and when it exits on "quit" with an unread "\n" in its socket
   * the kernel turns our clean end of file into ECONNRESET. */
  json = json_to_string (node, FALSE);
  cmd->bytes = g_bytes_new_take (json, strlen (json));

  if (cancellable != NULL)
    cmd->cancel_source = attach_cancel_source (self, cancellable, on_command_cancelled, cmd);

  g_hash_table_insert (self->commands, cmd->id, cmd);
  g_queue_push_tail (&self->send_queue, cmd);
  write_next (self);
}

static void
write_finished (VmdQmpClient *self)
{
  self->writing = FALSE;
  g_clear_pointer (&self->write_bytes, g_bytes_unref);
  write_next (self);
}

static void
on_write_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VmdQmpClient) self = NULL;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error);
  self = io_closure_finish (user_data);
  if (self == NULL)
    return;

  if (error != NULL)
    {
      g_debug ("Writing to QEMU failed: %s", error->message);
      client_shutdown (self, error, NULL);
      return;
    }

  write_finished (self);
}

static void write_continue (VmdQmpClient *self);

static gboolean
on_socket_writable (GSocket     *socket,
                    GIOCondition condition,
                    gpointer     user_data)
{
  VmdQmpClient *self = user_data;

  /* The source is destroyed on close and dispose, so self is alive. */
  g_clear_pointer (&self->write_source, g_source_unref);
  g_object_ref (self);
  write_continue (self);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
write_continue (VmdQmpClient *self)
{
  gsize         size;
  const guint8 *data = g_bytes_get_data (self->write_bytes, &size);

  if (self->write_fds != NULL)
    {
      /* The fd travels as SCM_RIGHTS with the first bytes of the command;
       * QEMU reads them before it can dispatch the command. */
      g_autoptr (GSocketControlMessage) message = NULL;
      g_autoptr (GError) error = NULL;
      GOutputVector   vector = { data + self->write_offset, size - self->write_offset };
      GPollableReturn ret;
      gsize           sent = 0;

      message = g_unix_fd_message_new_with_fd_list (self->write_fds);
      ret = g_socket_send_message_with_timeout (self->socket, NULL, &vector, 1, &message, 1,
                                                G_SOCKET_MSG_NONE, 0, &sent,
                                                self->io_cancellable, &error);
      if (ret == G_POLLABLE_RETURN_WOULD_BLOCK)
        {
          g_debug ("The QMP socket is full: waiting to send the fd");
          self->write_source = g_socket_create_source (self->socket, G_IO_OUT, NULL);
          g_source_set_callback (self->write_source, G_SOURCE_FUNC (on_socket_writable), self,
                                 NULL);
          g_source_set_static_name (self->write_source, "[vmdesk] QMP fd send");
          g_source_attach (self->write_source, self->context);
          return;
        }
      if (ret == G_POLLABLE_RETURN_FAILED)
        {
          g_debug ("Sending an fd to QEMU failed: %s", error->message);
          client_shutdown (self, error, NULL);
          return;
        }

      g_clear_object (&self->write_fds);
      self->write_offset += sent;
      if (self->write_offset < size)
        g_debug ("Sent the fd with %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes",
                 self->write_offset, size);
    }

  if (self->write_offset < size)
    {
      g_output_stream_write_all_async (self->output, data + self->write_offset,
                                       size - self->write_offset, G_PRIORITY_DEFAULT,
                                       self->io_cancellable, on_write_done,
                                       io_closure_new (self));
      return;
    }

  write_finished (self);
}

static void
write_next (VmdQmpClient *self)
{
  VmdQmpCommand *cmd;

  if (self->writing || self->closed)
    return;

  cmd = g_queue_pop_head (&self->send_queue);
  if (cmd == NULL)
    return;

  cmd->sent = TRUE;
  self->writing = TRUE;
  self->write_bytes = g_bytes_ref (cmd->bytes);
  self->write_offset = 0;
  self->write_fds = g_steal_pointer (&cmd->fds);

  if (debug_enabled ())
    {
      gsize       size;
      const char *data = g_bytes_get_data (self->write_bytes, &size);

      g_debug ("%s %.*s", self->write_fds != NULL ? ">>> (with fd)" : ">>>", (int) size, data);
    }

  write_continue (self);
}

/* Closing */

static void
connect_return (VmdQmpClient *self,
                GError       *error)
{
  g_autoptr (GTask) task = g_steal_pointer (&self->connect_task);

  clear_source (&self->connect_cancel_source);
  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (self), g_object_unref);
}

static void
teardown_io (VmdQmpClient *self)
{
  g_cancellable_cancel (self->io_cancellable);
  clear_source (&self->write_source);
  g_clear_pointer (&self->write_bytes, g_bytes_unref);
  g_clear_object (&self->write_fds);
  self->writing = FALSE;

  /* Closing the socket now tells QEMU at once; the streams are kept until
   * dispose, the cancelled read still needs its own. */
  if (self->connection != NULL)
    g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
}

/* @reason goes to the "disconnected" signal (NULL for a clean end of
 * file); @pending_error, if given, is what the pending commands fail with
 * instead of VMD_QMP_ERROR_DISCONNECTED. */
static void
client_shutdown (VmdQmpClient *self,
                 const GError *reason,
                 const GError *pending_error)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) commands = NULL;
  g_autoptr (GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GList) jobs = NULL;
  gboolean       was_connected = self->connected;
  GHashTableIter iter;
  gpointer       value;

  if (self->closed)
    return;

  g_object_ref (self);
  g_debug ("The connection to QEMU on %s closed%s%s", self->socket_path,
           reason != NULL ? ": " : "", reason != NULL ? reason->message : "");

  self->closed = TRUE;
  self->connected = FALSE;
  teardown_io (self);

  error = pending_error != NULL ? g_error_copy (pending_error) : disconnected_error ();

  /* Take everything out first: callbacks may run from g_task_return_*()
   * and come back into the client. */
  commands = g_steal_pointer (&self->commands);
  self->commands = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) command_free);
  g_queue_clear (&self->send_queue);
  g_hash_table_iter_init (&iter, commands);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      VmdQmpCommand *cmd = value;

      if (cmd->task != NULL)
        g_ptr_array_add (tasks, g_steal_pointer (&cmd->task));
    }
  g_clear_pointer (&commands, g_hash_table_unref);

  connect_return (self, g_error_copy (error));

  for (guint i = 0; i < tasks->len; i++)
    g_task_return_error (g_ptr_array_index (tasks, i), g_error_copy (error));

  jobs = g_list_copy (self->jobs);
  for (GList *l = jobs; l != NULL; l = l->next)
    {
      if (g_list_find (self->jobs, l->data) != NULL)
        job_on_disconnect (l->data, error);
    }

  if (was_connected)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
  g_signal_emit (self, signals[SIGNAL_DISCONNECTED], 0, reason);
  g_object_unref (self);
}

static void
protocol_failure (VmdQmpClient *self,
                  const char   *message)
{
  g_autoptr (GError) error = g_error_new_literal (VMD_QMP_ERROR, VMD_QMP_ERROR_PROTOCOL, message);

  client_shutdown (self, error, error);
}

/* Reading */

static GError *
error_from_reply (JsonObject *message)
{
  static const struct
  {
    const char *klass;
    VmdQmpError code;
  } classes[] = {
    { "GenericError", VMD_QMP_ERROR_GENERIC },
    { "CommandNotFound", VMD_QMP_ERROR_COMMAND_NOT_FOUND },
    { "DeviceNotFound", VMD_QMP_ERROR_DEVICE_NOT_FOUND },
    { "DeviceNotActive", VMD_QMP_ERROR_DEVICE_NOT_ACTIVE },
    { "KVMMissingCap", VMD_QMP_ERROR_KVM_MISSING },
  };
  JsonObject  *error = get_object_member (message, "error");
  const char  *klass = get_string_member (error, "class");
  const char  *desc = get_string_member (error, "desc");
  VmdQmpError  code = VMD_QMP_ERROR_GENERIC;

  for (guint i = 0; klass != NULL && i < G_N_ELEMENTS (classes); i++)
    {
      if (g_str_equal (klass, classes[i].klass))
        code = classes[i].code;
    }

  /* QEMU's own description, as it is: the caller says what was being done. */
  if (desc != NULL)
    return g_error_new_literal (VMD_QMP_ERROR, code, desc);
  return g_error_new (VMD_QMP_ERROR, code,
                      _("QEMU reported an error of class \"%s\" without a description."),
                      klass != NULL ? klass : "?");
}

static void
handle_reply (VmdQmpClient *self,
              JsonObject   *message)
{
  const char    *id = get_string_member (message, "id");
  VmdQmpCommand *cmd = NULL;
  g_autoptr (GTask) task = NULL;

  if (id != NULL)
    cmd = g_hash_table_lookup (self->commands, id);
  if (cmd == NULL || !cmd->sent)
    {
      g_debug ("Ignoring a reply to no command of ours (id %s)", id != NULL ? id : "missing");
      return;
    }

  task = g_steal_pointer (&cmd->task);
  g_hash_table_remove (self->commands, id);
  if (task == NULL)
    {
      g_debug ("Dropping the reply to a cancelled command");
      return;
    }

  if (json_object_has_member (message, "error"))
    g_task_return_error (task, error_from_reply (message));
  else
    g_task_return_pointer (task, json_node_copy (json_object_get_member (message, "return")),
                           (GDestroyNotify) json_node_unref);
}

static void
handle_event (VmdQmpClient *self,
              JsonObject   *message)
{
  const char *name = get_string_member (message, "event");
  JsonObject *data = get_object_member (message, "data");
  JsonObject *ts = get_object_member (message, "timestamp");
  gint64      timestamp;
  g_autoptr (GList) jobs = NULL;

  if (name == NULL)
    {
      g_debug ("Ignoring an event without a name");
      return;
    }
  timestamp = get_int_member (ts, "seconds") * G_USEC_PER_SEC + get_int_member (ts, "microseconds");

  if (data != NULL && g_str_equal (name, "JOB_STATUS_CHANGE"))
    {
      jobs = g_list_copy (self->jobs);
      for (GList *l = jobs; l != NULL; l = l->next)
        {
          if (g_list_find (self->jobs, l->data) != NULL)
            job_on_event (l->data, data);
        }
    }

  /* Detailed by the event name ("event::STOP"); an unknown name is not
   * interned, as no handler can be waiting for it. */
  g_signal_emit (self, signals[SIGNAL_EVENT], g_quark_try_string (name), name, data, timestamp);
}

static void
on_capabilities_done (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  VmdQmpClient *self = VMD_QMP_CLIENT (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = vmd_qmp_client_execute_finish (self, result, &error);

  if (self->connect_task == NULL)
    return;

  if (error != NULL)
    {
      g_autoptr (GError) reason = g_error_copy (error);

      connect_return (self, g_steal_pointer (&error));
      client_shutdown (self, reason, reason);
      return;
    }

  self->connected = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
  connect_return (self, NULL);
}

static void
handle_greeting (VmdQmpClient *self,
                 JsonObject   *message)
{
  JsonNode *qmp = message != NULL ? json_object_get_member (message, "QMP") : NULL;

  if (qmp == NULL || !JSON_NODE_HOLDS_OBJECT (qmp))
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (_("The socket %s is not a QEMU monitor: it did not greet with QMP."),
                              self->socket_path);

      protocol_failure (self, text);
      return;
    }

  self->greeting = json_object_ref (message);
  vmd_qmp_client_execute_async (self, "qmp_capabilities", NULL, NULL, on_capabilities_done, NULL);
}

static void
handle_message (VmdQmpClient *self,
                const char   *line,
                gsize         length)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonNode   *root;
  JsonObject *message;

  if (!json_parser_load_from_data (parser, line, length, &error))
    {
      g_debug ("QEMU sent something that is not JSON (%s)", error->message);
      protocol_failure (self, _("QEMU sent something that is not QMP on its monitor; "
                                "the connection was closed."));
      return;
    }

  root = json_parser_get_root (parser);
  message = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;

  if (self->greeting == NULL)
    handle_greeting (self, message);
  else if (message == NULL)
    g_debug ("Ignoring a message that is not a JSON object");
  else if (json_object_has_member (message, "event"))
    handle_event (self, message);
  else if (json_object_has_member (message, "return") || json_object_has_member (message, "error"))
    handle_reply (self, message);
  else
    g_debug ("Ignoring a message that is neither a reply nor an event");
}

static void
on_message_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GDataInputStream *input = G_DATA_INPUT_STREAM (source);
  g_autoptr (VmdQmpClient) self = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *line = NULL;
  gsize            length = 0;

  line = g_data_input_stream_read_upto_finish (input, result, &length, &error);
  self = io_closure_finish (user_data);
  if (self == NULL)
    return;

  if (error != NULL)
    {
      g_debug ("Reading from QEMU failed: %s", error->message);
      client_shutdown (self, error, NULL);
      return;
    }

  if (line == NULL)
    {
      client_shutdown (self, NULL, NULL);
      return;
    }

  /* read_upto leaves the "\n" in the buffer; without one the peer closed
   * the connection in the middle of a message. */
  if (g_buffered_input_stream_get_available (G_BUFFERED_INPUT_STREAM (input)) == 0)
    {
      g_autoptr (GError) reason = NULL;

      reason = g_error_new_literal (VMD_QMP_ERROR, VMD_QMP_ERROR_DISCONNECTED,
                                    _("The connection to QEMU was closed in the middle of a "
                                      "message."));

      g_debug ("<<< %.*s (cut off)", (int) length, line);
      client_shutdown (self, reason, NULL);
      return;
    }
  g_data_input_stream_read_byte (input, NULL, NULL);

  while (length > 0 && g_ascii_isspace (line[length - 1]))
    line[--length] = '\0';

  if (length > 0)
    {
      if (debug_enabled ())
        g_debug ("<<< %s", line);
      handle_message (self, line, length);
    }

  if (!self->closed)
    read_next (self);
}

static void
read_next (VmdQmpClient *self)
{
  g_data_input_stream_read_upto_async (self->input, "\n", 1, G_PRIORITY_DEFAULT,
                                       self->io_cancellable, on_message_read,
                                       io_closure_new (self));
}

/* Connecting */

static gboolean
on_connect_cancelled (GCancellable *cancellable,
                      gpointer      user_data)
{
  VmdQmpClient *self = user_data;
  g_autoptr (GError) error = NULL;

  g_clear_pointer (&self->connect_cancel_source, g_source_unref);
  g_object_ref (self);
  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Operation was cancelled"));
  connect_return (self, g_error_copy (error));
  client_shutdown (self, error, error);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
on_socket_connected (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  VmdQmpClient *self = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  GIOStream    *stream;

  self->connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (self->connection == NULL)
    {
      g_debug ("Could not connect to %s: %s", self->socket_path, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_debug ("Connected to %s", self->socket_path);
  stream = G_IO_STREAM (self->connection);
  self->socket = g_object_ref (g_socket_connection_get_socket (self->connection));
  self->output = g_object_ref (g_io_stream_get_output_stream (stream));
  self->input = g_data_input_stream_new (g_io_stream_get_input_stream (stream));

  /* The handshake (greeting, then qmp_capabilities) answers the task. */
  self->connect_task = g_steal_pointer (&task);
  if (cancellable != NULL)
    self->connect_cancel_source = attach_cancel_source (self, cancellable, on_connect_cancelled,
                                                        self);
  read_next (self);
}

void
vmd_qmp_client_connect_async (const char         *socket_path,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autoptr (GSocketClient) client = NULL;
  g_autoptr (GSocketAddress) address = NULL;
  VmdQmpClient *self;
  GTask        *task;

  g_return_if_fail (socket_path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  self = g_object_new (VMD_TYPE_QMP_CLIENT, "socket-path", socket_path, NULL);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_qmp_client_connect_async);
  g_task_set_task_data (task, self, g_object_unref);

  client = g_socket_client_new ();
  address = g_unix_socket_address_new (socket_path);
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (address), cancellable,
                                 on_socket_connected, task);
}

/**
 * vmd_qmp_client_connect_finish:
 *
 * Returns: (transfer full): a connected client, ready for commands.
 */
VmdQmpClient *
vmd_qmp_client_connect_finish (GAsyncResult *result,
                               GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, vmd_qmp_client_connect_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Commands */

/**
 * vmd_qmp_client_execute_async:
 * @arguments: (nullable) (transfer none): a JSON object, or NULL
 *
 * Sends @command. Cancelling stops the wait for the reply, not the command:
 * QEMU may already have carried it out.
 */
void
vmd_qmp_client_execute_async (VmdQmpClient       *self,
                              const char         *command,
                              JsonNode           *arguments,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  GTask *task;

  g_return_if_fail (VMD_IS_QMP_CLIENT (self));
  g_return_if_fail (command != NULL);
  g_return_if_fail (arguments == NULL || JSON_NODE_HOLDS_OBJECT (arguments));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_qmp_client_execute_async);
  queue_command (self, command, arguments, -1, task);
}

/**
 * vmd_qmp_client_execute_with_fd_async:
 * @fd: a file descriptor to pass with the command (SCM_RIGHTS); the client
 *   sends a duplicate, so the caller may close @fd once this returns
 *
 * Like vmd_qmp_client_execute_async(), for "getfd" and "add-fd".
 */
void
vmd_qmp_client_execute_with_fd_async (VmdQmpClient       *self,
                                      const char         *command,
                                      JsonNode           *arguments,
                                      int                 fd,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data)
{
  GTask *task;

  g_return_if_fail (VMD_IS_QMP_CLIENT (self));
  g_return_if_fail (command != NULL);
  g_return_if_fail (arguments == NULL || JSON_NODE_HOLDS_OBJECT (arguments));
  g_return_if_fail (fd >= 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_qmp_client_execute_async);
  queue_command (self, command, arguments, fd, task);
}

/**
 * vmd_qmp_client_execute_finish:
 *
 * Returns: (transfer full): the "return" member of QEMU's reply
 */
JsonNode *
vmd_qmp_client_execute_finish (VmdQmpClient *self,
                               GAsyncResult *result,
                               GError      **error)
{
  g_return_val_if_fail (VMD_IS_QMP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, vmd_qmp_client_execute_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Jobs: QEMU 7.2's snapshot-save, snapshot-load and snapshot-delete, and
 * any other command that starts a job with "job-id" and manual dismissal.
 *
 * The command's reply comes first or after the job's own events, in
 * either order: after the reply, query-jobs says where the job is; if it
 * has not concluded, the JOB_STATUS_CHANGE "concluded" event asks again.
 * Events for the job that come while a command is in flight need no
 * attention, as QEMU answers a command with its state at that moment and
 * sends later events after the answer. */

typedef enum
{
  JOB_STARTING,   /* the command is in flight */
  JOB_CHECKING,   /* query-jobs after the command returned */
  JOB_RUNNING,    /* waiting for "concluded" */
  JOB_QUERYING,   /* query-jobs for the result */
  JOB_DISMISSING, /* job-dismiss */
} JobState;

struct _VmdQmpJob
{
  VmdQmpClient *client; /* strong */
  GTask        *task;   /* NULL once the caller has been answered */
  GSource      *cancel_source;
  char         *job_id;
  char         *error_text;
  JobState      state;
};

static void
job_finish (VmdQmpJob *job,
            GError    *error)
{
  g_autoptr (GTask) task = g_steal_pointer (&job->task);
  VmdQmpClient *self = job->client;

  self->jobs = g_list_remove (self->jobs, job);
  clear_source (&job->cancel_source);
  g_free (job->job_id);
  g_free (job->error_text);
  g_free (job);

  if (task == NULL)
    g_clear_error (&error);
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);

  g_object_unref (self);
}

static gboolean
on_job_cancelled (GCancellable *cancellable,
                  gpointer      user_data)
{
  VmdQmpJob *job = user_data;
  g_autoptr (GTask) task = g_steal_pointer (&job->task);

  /* The job runs on in QEMU; it is still dismissed when it concludes. */
  g_clear_pointer (&job->cancel_source, g_source_unref);
  if (task != NULL)
    g_task_return_error_if_cancelled (task);
  return G_SOURCE_REMOVE;
}

static JsonNode *
job_id_arguments (const char *key,
                  const char *value)
{
  g_autoptr (JsonObject) object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, key, value);
  json_node_set_object (node, object);
  return node;
}

static void
on_job_dismissed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  VmdQmpJob *job = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = NULL;

  reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result, &error);

  if (error != NULL)
    g_debug ("Could not dismiss the job %s: %s", job->job_id, error->message);

  if (job->error_text != NULL)
    job_finish (job,
                g_error_new_literal (VMD_QMP_ERROR, VMD_QMP_ERROR_JOB_FAILED, job->error_text));
  else
    job_finish (job, NULL);
}

static void job_query (VmdQmpJob *job);

static void
on_job_queried (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  VmdQmpJob  *job = user_data;
  JsonObject *entry = NULL;
  const char *status;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = NULL;

  reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result, &error);
  if (reply == NULL)
    {
      job_finish (job, g_steal_pointer (&error));
      return;
    }

  if (JSON_NODE_HOLDS_ARRAY (reply))
    {
      JsonArray *jobs = json_node_get_array (reply);

      for (guint i = 0; entry == NULL && i < json_array_get_length (jobs); i++)
        {
          JsonNode *candidate = json_array_get_element (jobs, i);

          if (JSON_NODE_HOLDS_OBJECT (candidate) &&
              g_strcmp0 (get_string_member (json_node_get_object (candidate), "id"),
                         job->job_id) == 0)
            entry = json_node_get_object (candidate);
        }
    }

  if (entry == NULL)
    {
      /* Dismissed by someone else (or auto-dismissed): nothing to read. */
      g_debug ("The job %s is gone from query-jobs", job->job_id);
      job_finish (job, NULL);
      return;
    }

  status = get_string_member (entry, "status");
  if (g_strcmp0 (status, "concluded") != 0)
    {
      job->state = JOB_RUNNING;
      return;
    }

  job->error_text = g_strdup (get_string_member (entry, "error"));
  job->state = JOB_DISMISSING;
  {
    g_autoptr (JsonNode) arguments = job_id_arguments ("id", job->job_id);

    vmd_qmp_client_execute_async (job->client, "job-dismiss", arguments, NULL, on_job_dismissed,
                                  job);
  }
}

static void
job_query (VmdQmpJob *job)
{
  vmd_qmp_client_execute_async (job->client, "query-jobs", NULL, NULL, on_job_queried, job);
}

static void
on_job_command_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  VmdQmpJob *job = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = NULL;

  reply = vmd_qmp_client_execute_finish (VMD_QMP_CLIENT (source), result, &error);

  if (error != NULL)
    {
      job_finish (job, g_steal_pointer (&error));
      return;
    }

  job->state = JOB_CHECKING;
  job_query (job);
}

static void
job_on_event (VmdQmpJob  *job,
              JsonObject *data)
{
  const char *id = get_string_member (data, "id");
  const char *status = get_string_member (data, "status");

  if (job->state != JOB_RUNNING || g_strcmp0 (id, job->job_id) != 0)
    return;

  if (g_strcmp0 (status, "concluded") == 0)
    {
      job->state = JOB_QUERYING;
      job_query (job);
    }
  else if (g_strcmp0 (status, "null") == 0)
    {
      g_debug ("The job %s was dismissed by someone else", job->job_id);
      job_finish (job, NULL);
    }
}

static void
job_on_disconnect (VmdQmpJob    *job,
                   const GError *error)
{
  /* In the other states a command is in flight, and its failure ends the job. */
  if (job->state == JOB_RUNNING)
    job_finish (job, g_error_copy (error));
}

/**
 * vmd_qmp_client_run_job_async:
 * @arguments: (nullable) (transfer none): the command's arguments, with
 *   "job-id" set to @job_id
 *
 * Runs a command that starts a QEMU job and waits until the job has
 * concluded, then dismisses it. Fails with VMD_QMP_ERROR_JOB_FAILED and
 * the job's own error text if the job failed. Cancelling stops the wait;
 * the job runs on in QEMU and is dismissed when it concludes.
 */
void
vmd_qmp_client_run_job_async (VmdQmpClient       *self,
                              const char         *command,
                              JsonNode           *arguments,
                              const char         *job_id,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  VmdQmpJob *job;

  g_return_if_fail (VMD_IS_QMP_CLIENT (self));
  g_return_if_fail (command != NULL);
  g_return_if_fail (arguments == NULL || JSON_NODE_HOLDS_OBJECT (arguments));
  g_return_if_fail (job_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_qmp_client_run_job_async);

  if (self->closed)
    {
      g_task_return_error (task, disconnected_error ());
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  job = g_new0 (VmdQmpJob, 1);
  job->client = g_object_ref (self);
  job->task = g_steal_pointer (&task);
  job->job_id = g_strdup (job_id);
  job->state = JOB_STARTING;
  if (cancellable != NULL)
    job->cancel_source = attach_cancel_source (self, cancellable, on_job_cancelled, job);
  self->jobs = g_list_prepend (self->jobs, job);

  vmd_qmp_client_execute_async (self, command, arguments, NULL, on_job_command_done, job);
}

gboolean
vmd_qmp_client_run_job_finish (VmdQmpClient *self,
                               GAsyncResult *result,
                               GError      **error)
{
  g_return_val_if_fail (VMD_IS_QMP_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, vmd_qmp_client_run_job_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* State */

/**
 * vmd_qmp_client_get_greeting:
 *
 * Returns: (transfer none) (nullable): QEMU's greeting, {"QMP": {...}}
 */
JsonObject *
vmd_qmp_client_get_greeting (VmdQmpClient *self)
{
  g_return_val_if_fail (VMD_IS_QMP_CLIENT (self), NULL);

  return self->greeting;
}

/**
 * vmd_qmp_client_get_qemu_version:
 *
 * Returns: (transfer full) (nullable): QEMU's version, as "7.2.22"
 */
char *
vmd_qmp_client_get_qemu_version (VmdQmpClient *self)
{
  JsonObject *qemu;

  g_return_val_if_fail (VMD_IS_QMP_CLIENT (self), NULL);

  qemu = get_object_member (get_object_member (get_object_member (self->greeting, "QMP"),
                                               "version"),
                            "qemu");
  if (qemu == NULL)
    return NULL;

  return g_strdup_printf ("%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT,
                          get_int_member (qemu, "major"), get_int_member (qemu, "minor"),
                          get_int_member (qemu, "micro"));
}

gboolean
vmd_qmp_client_is_connected (VmdQmpClient *self)
{
  g_return_val_if_fail (VMD_IS_QMP_CLIENT (self), FALSE);

  return self->connected;
}

/**
 * vmd_qmp_client_close:
 *
 * Closes the connection: pending commands fail with
 * VMD_QMP_ERROR_DISCONNECTED and "disconnected" is emitted, once.
 */
void
vmd_qmp_client_close (VmdQmpClient *self)
{
  g_return_if_fail (VMD_IS_QMP_CLIENT (self));

  client_shutdown (self, NULL, NULL);
}

/* GObject */

static void
vmd_qmp_client_dispose (GObject *object)
{
  VmdQmpClient *self = VMD_QMP_CLIENT (object);

  /* Every command and job in flight holds a reference, so none is left
   * to answer here; the cancelled read finishes without us. */
  if (!self->closed)
    {
      self->closed = TRUE;
      self->connected = FALSE;
      teardown_io (self);
    }
  g_queue_clear (&self->send_queue);
  g_hash_table_remove_all (self->commands);

  g_clear_object (&self->input);
  g_clear_object (&self->output);
  g_clear_object (&self->socket);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (vmd_qmp_client_parent_class)->dispose (object);
}

static void
vmd_qmp_client_finalize (GObject *object)
{
  VmdQmpClient *self = VMD_QMP_CLIENT (object);

  g_clear_pointer (&self->commands, g_hash_table_unref);
  g_clear_pointer (&self->greeting, json_object_unref);
  g_clear_object (&self->io_cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->socket_path);

  G_OBJECT_CLASS (vmd_qmp_client_parent_class)->finalize (object);
}

static void
vmd_qmp_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  VmdQmpClient *self = VMD_QMP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SOCKET_PATH:
      g_value_set_string (value, self->socket_path);
      break;

    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_qmp_client_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  VmdQmpClient *self = VMD_QMP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SOCKET_PATH:
      g_free (self->socket_path);
      self->socket_path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_qmp_client_class_init (VmdQmpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vmd_qmp_client_dispose;
  object_class->finalize = vmd_qmp_client_finalize;
  object_class->get_property = vmd_qmp_client_get_property;
  object_class->set_property = vmd_qmp_client_set_property;

  properties[PROP_SOCKET_PATH] =
    g_param_spec_string ("socket-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VmdQmpClient::event:
   * @name: the event, as "STOP"; also the signal's detail
   * @data: (nullable): the event's "data", NULL if it has none
   * @timestamp: when QEMU sent it, in microseconds since the epoch
   */
  signals[SIGNAL_EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0,
                  NULL, NULL, g_cclosure_marshal_generic, G_TYPE_NONE, 3,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  JSON_TYPE_OBJECT | G_SIGNAL_TYPE_STATIC_SCOPE, G_TYPE_INT64);

  /**
   * VmdQmpClient::disconnected:
   * @reason: (nullable): why, or NULL when QEMU closed the connection
   *   cleanly (it exited) or vmd_qmp_client_close() was called
   */
  signals[SIGNAL_DISCONNECTED] =
    g_signal_new ("disconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  g_cclosure_marshal_generic, G_TYPE_NONE, 1,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
vmd_qmp_client_init (VmdQmpClient *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->io_cancellable = g_cancellable_new ();
  self->commands = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) command_free);
  g_queue_init (&self->send_queue);
}
