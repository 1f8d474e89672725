/* engine-fixture.h: what the real-QEMU tests share: a private engine per
 * case, the test guest, its serial console, and a guardian that kills
 * whatever a case left running
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmd-connection.h"
#include "vmd-device-types.h"
#include "vmd-domain.h"
#include "vmd-model.h"
#include "vmd-qemu-connection.h"
#include "vmd-qemu-domain.h"
#include "vmd-stats.h"

#define PROMPT       "vmdesk# "
#define BOOT_TIMEOUT 90000   /* ms from start to the guest's marker (2-3 s when idle) */
#define CMD_TIMEOUT  20000   /* ms for a serial command to answer */
#define OP_TIMEOUT   60      /* s for one engine operation */

extern const char *guest_dir;
extern const char *guest_builder;
extern const char *cli_path;

#define FAIL(...)                                                              \
  G_STMT_START {                                                               \
    char *_fail_msg = g_strdup_printf (__VA_ARGS__);                           \
    g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC,          \
                         _fail_msg);                                           \
    g_free (_fail_msg);                                                        \
  } G_STMT_END

#define CHECK(cond, ...)                                                       \
  G_STMT_START { if (!(cond)) FAIL (__VA_ARGS__); } G_STMT_END


typedef struct {
  GIOStream    *stream;
  GString      *text;
  gsize         mark;      /* searches start here */
  gboolean      reading;
  gboolean      closed;
  GCancellable *cancel;
  int           log_fd;    /* a copy for the parent to show on failure */
  char          buf[4096];
} Serial;


typedef struct {
  const char *name;
  char       *tmp;        /* /tmp/vmdt-XXXXXX: everything of this case */
  char       *data;       /* TMP/d: definitions, logs, snapshots metadata */
  char       *run;        /* TMP/r: runtime sockets and pidfiles */
  char       *disk;       /* TMP/disk.qcow2: an overlay of the guest's disk */
  VmdConnection *conn;    /* connection A */
  GPtrArray  *conns;      /* every connection opened, A included */
  GArray     *pids;       /* every QEMU PID seen */
  GPtrArray  *serials;
  guint       serial_count;
  gint64      start_us;
  gint64      step_us;
} Fixture;


typedef gboolean (*Condition) (gpointer data);


typedef gboolean (*DomainFinish) (VmdDomain *, GAsyncResult *, GError **);


#define DOM_CALL(d, op, ...)                                                   \
  ({                                                                           \
    GAsyncResult *_slot = NULL;                                                \
    vmd_domain_##op##_async ((d), ##__VA_ARGS__, NULL, store_result, &_slot);  \
    domain_finish ((d), vmd_domain_##op##_finish, &_slot, #op);                \
  })



#define DOM_OK(d, op, ...)                                                     \
  G_STMT_START {                                                               \
    GError *_err = DOM_CALL (d, op, ##__VA_ARGS__);                            \
    if (_err != NULL)                                                          \
      FAIL ("%s of “%s” failed: %s", #op, vmd_domain_get_name (d),             \
            _err->message);                                                    \
  } G_STMT_END



typedef struct {
  const char *name;
  const char *type;        /* "qemu" or "kvm" */
  const char *memory;      /* e.g. "<memory unit='MiB'>128</memory>" */
  gboolean    kernel;      /* direct kernel boot */
  const char *disk;        /* image path, or NULL for none */
  const char *bus;         /* disk bus */
  const char *extra;       /* more <devices> */
  const char *os;          /* more <os> */
  const char *machine;     /* "pc" unless set */
} GuestSpec;

typedef struct {
  const char *name;
  void      (*run) (Fixture *f);
  guint       timeout_s;
} EngineCase;

/* What spin_until (event_seen, …) waits for: an event of on_event()'s
 * list that contains @needle. */
typedef struct {
  GPtrArray  *events;
  const char *needle;
} EventWait;

gboolean flag_cb (gpointer data);
gboolean tick_cb (gpointer data);
gboolean spin_until (Condition cond, gpointer data, guint timeout_ms);
void spin_for (guint ms);
void store_result (GObject *source, GAsyncResult *result, gpointer user_data);
gboolean result_ready (gpointer data);
GAsyncResult *await_result (GAsyncResult **slot, guint timeout_s, const char *what);
GError *domain_finish (VmdDomain *d, DomainFinish finish, GAsyncResult **slot, const char *what);
const char *state_name (VmdDomainState state);
char *describe_state (VmdDomain *d);
gboolean state_reached (gpointer data);
void wait_state (VmdDomain *d, VmdDomainState state, int reason, guint timeout_ms, const char *when);
gboolean pid_gone (GPid pid);
gboolean pid_gone_cb (gpointer data);
void wait_pid_gone (GPid pid, guint timeout_ms, const char *when);
GArray *processes_mentioning (const char *needle);
char *command_of (GPid pid, gsize max);
void assert_no_stray_qemu (Fixture *f, GPid allowed, const char *when);
void remember_pid (Fixture *f, GPid pid);
GPid qemu_pid (Fixture *f, VmdDomain *d);
void remove_tree (const char *path);
guint kill_everything_in (const char *dir);
void write_file (const char *path, const char *text, int mode);
char *read_file (const char *path);
int compare_names (gconstpointer a, gconstpointer b);
char *list_dir (const char *dir);
int run_program (const char *const *argv, char **out, char **err, const char *what);
int run_cli (Fixture *f, char **out, char **err, ...);
void serial_read_done (GObject *source, GAsyncResult *result, gpointer user_data);
void serial_read_next (Serial *s);
gboolean not_reading (gpointer data);
void serial_free (Serial *s);
void serial_close (Fixture *f, Serial *s);
Serial *serial_open (Fixture *f, VmdDomain *d);
const char *serial_find (Serial *s, const char *needle);
gboolean serial_has (gpointer data);
char *serial_tail (Serial *s);
void serial_wait (Serial *s, const char *needle, guint timeout_ms, const char *when);
void serial_write (Serial *s, const char *text);
void serial_cmd (Serial *s, const char *command, const char *expect, guint timeout_ms);
VmdConnection *open_connection (Fixture *f);
VmdDomainConfig *parse_xml (const char *xml);
VmdDomain *define_xml_full (VmdConnection *conn, const char *xml, GError **error);
VmdDomain *define_xml (VmdConnection *conn, const char *xml);
char *guest_xml (const GuestSpec *spec);
VmdDomain *define_guest (Fixture *f, VmdConnection *conn, const char *name, const char *extra);
Serial *boot (Fixture *f, VmdDomain *d, const char *marker);
VmdStats *sample (Fixture *f, VmdDomain *d);
VmdSnapshot *find_snapshot (VmdDomain *d, const char *name);
char *disk_source (VmdDomain *d);
char *nic_mac (VmdDomain *d);
char *pidfile_of (Fixture *f, VmdDomain *d);
void fixture_setup (Fixture *f, const char *name, const char *tmp);
void fixture_teardown (Fixture *f);
void step (Fixture *f, const char *fmt, ...) G_GNUC_PRINTF (2, 3);
int engine_test_main (int argc, char *argv[], const char *prefix, const EngineCase *cases,
                      guint n_cases);

/* engine-fixture-qmp.c */
char *qmp_on_second_monitor (Fixture *f, VmdDomain *d, const char *command, const char *args);
void on_event (VmdDomain *d, const char *name, const char *detail, gpointer user_data);
gboolean event_seen (gpointer data);
char *join_events (GPtrArray *events);
char *definition_file (Fixture *f, VmdDomain *d);
