/* vmd-cli-private.h: what the files of vmdesk-cli share
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vmd-connection.h"
#include "vmd-model.h"
#include "vmd-qemu-connection.h"

G_BEGIN_DECLS

typedef struct {
  VmdConnection *connection;
} CliContext;

typedef struct {
  const char *name;
  const char *usage;
  const char *summary;
  int         min_args;
  int         max_args;     /* -1: any */
  gboolean    needs_connection;
  int       (*run) (CliContext *ctx, int argc, char **argv);
  gboolean    summary_only; /* names, UUIDs, titles and states are enough:
                             * the connection opens in VMD_QEMU_LOAD_SUMMARY */
} CliCommand;

const CliCommand *cli_commands        (void);

void           cli_store_result       (GObject       *source,
                                       GAsyncResult  *result,
                                       gpointer       user_data);
GAsyncResult  *cli_wait               (GAsyncResult **result);
int            cli_fail               (GError        *error);
int            cli_fail_message       (const char    *message);
VmdDomain     *cli_lookup             (CliContext    *ctx,
                                       const char    *name,
                                       GError       **error);
gboolean       cli_wait_for_state     (VmdDomain     *domain,
                                       VmdDomainState state,
                                       guint          timeout_s);
guint          cli_timeout            (void);
gboolean       cli_opt                (const char    *name);
const char    *cli_opt_string         (const char    *name);

/* vmd-cli-edit.c */
int cli_define    (CliContext *ctx, int argc, char **argv);
int cli_dumpxml   (CliContext *ctx, int argc, char **argv);
int cli_edit      (CliContext *ctx, int argc, char **argv);
int cli_qemu_argv (CliContext *ctx, int argc, char **argv);

/* vmd-cli-ops.c */
int cli_undefine        (CliContext *ctx, int argc, char **argv);
int cli_save            (CliContext *ctx, int argc, char **argv);
int cli_restore         (CliContext *ctx, int argc, char **argv);
int cli_snapshot_create (CliContext *ctx, int argc, char **argv);
int cli_snapshot_list   (CliContext *ctx, int argc, char **argv);
int cli_snapshot_revert (CliContext *ctx, int argc, char **argv);
int cli_snapshot_delete (CliContext *ctx, int argc, char **argv);
int cli_screenshot      (CliContext *ctx, int argc, char **argv);
int cli_send_key        (CliContext *ctx, int argc, char **argv);
int cli_setmem          (CliContext *ctx, int argc, char **argv);
int cli_autostart       (CliContext *ctx, int argc, char **argv);
int cli_domstats        (CliContext *ctx, int argc, char **argv);
int cli_clone           (CliContext *ctx, int argc, char **argv);
int cli_vol_create      (CliContext *ctx, int argc, char **argv);

/* vmd-cli-devices.c */
int cli_attach_device   (CliContext *ctx, int argc, char **argv);
int cli_detach_device   (CliContext *ctx, int argc, char **argv);
int cli_change_media    (CliContext *ctx, int argc, char **argv);

/* vmd-cli-host.c */
int cli_nodeinfo        (CliContext *ctx, int argc, char **argv);

/* vmd-cli-console.c */
int cli_console         (CliContext *ctx, int argc, char **argv);

G_END_DECLS
