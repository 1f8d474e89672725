/* engine-fixture-qmp.c: what several real-QEMU tests look at beside the
 * engine: a spare QMP monitor of the running guest, the domain's events,
 * the saved definition file
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "test-engine"

#include "engine-fixture.h"
#include "vmd-qmp-client.h"

/* Runs @command (with @args, JSON, unless NULL) on a spare monitor of @d
 * (qmp-2.sock to qmp-4.sock: the first that greets; the engine may hold
 * one for a serial port) and returns its reply, serialized. */
char *
qmp_on_second_monitor (Fixture *f, VmdDomain *d, const char *command, const char *args)
{
  g_autoptr (JsonNode) arguments = args ? json_from_string (args, NULL) : NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (VmdQmpClient) qmp = NULL;
  g_autoptr (JsonNode) reply = NULL;
  g_autoptr (GError) error = NULL;

  for (guint i = 2; i <= 4 && qmp == NULL; i++)
    {
      g_autofree char *name = g_strdup_printf ("qmp-%u.sock", i);
      g_autofree char *path = g_build_filename (f->run, vmd_domain_get_uuid (d), name, NULL);
      g_autoptr (GCancellable) cancel = g_cancellable_new ();

      vmd_qmp_client_connect_async (path, cancel, store_result, &result);
      if (!spin_until (result_ready, &result, 3000))
        g_cancellable_cancel (cancel);
      await_result (&result, 10, "connecting to a spare monitor");
      qmp = vmd_qmp_client_connect_finish (result, &error);
      g_clear_object (&result);
      if (qmp == NULL && i == 4)
        FAIL ("no spare monitor of “%s” answers: %s", vmd_domain_get_name (d), error->message);
      g_clear_error (&error);
    }
  vmd_qmp_client_execute_async (qmp, command, arguments, NULL, store_result, &result);
  reply = vmd_qmp_client_execute_finish (qmp, await_result (&result, 10, command), &error);
  if (reply == NULL)
    FAIL ("%s on a spare monitor failed: %s", command, error->message);
  vmd_qmp_client_close (qmp);
  return json_to_string (reply, FALSE);
}

/* ---------------------------------------------------------------- events */

/* A VmdDomain::event handler: appends "name detail" to @user_data, a
 * GPtrArray of strings. */
void
on_event (VmdDomain *d, const char *name, const char *detail, gpointer user_data)
{
  g_ptr_array_add (user_data, g_strdup_printf ("%s %s", name, detail ? detail : ""));
}

/* A Condition on an EventWait: one of its events contains its needle. */
gboolean
event_seen (gpointer data)
{
  EventWait *w = data;

  for (guint i = 0; i < w->events->len; i++)
    if (strstr (g_ptr_array_index (w->events, i), w->needle))
      return TRUE;
  return FALSE;
}

/* The events of on_event(), as "[a], [b]" for messages. */
char *
join_events (GPtrArray *events)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < events->len; i++)
    g_string_append_printf (s, "%s[%s]", i ? ", " : "", (char *) g_ptr_array_index (events, i));
  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------ definition */

/* The text of @d's definition file in the engine's data folder. */
char *
definition_file (Fixture *f, VmdDomain *d)
{
  g_autofree char *path = g_strdup_printf ("%s/domains/%s.xml", f->data, vmd_domain_get_uuid (d));
  char *text = read_file (path);

  CHECK (text != NULL, "the definition file %s cannot be read", path);
  return text;
}
