/* vmd-manager-window-private.h: the manager window's struct, shared by
 * its list code (vmd-manager-window.c) and its actions
 * (vmd-manager-window-actions.c)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "vmd-manager-window.h"
#include "vmd-sparkline-renderer.h"
#include "vmd-stats-history.h"

G_BEGIN_DECLS

enum {
  COL_KIND,        /* ROW_CONNECTION or ROW_DOMAIN */
  COL_OBJECT,      /* the VmdConnection or VmdDomain */
  COL_ICON,        /* a symbolic icon name */
  COL_MARKUP,      /* name (or title) and, below, the state */
  COL_SORT_NAME,   /* what the Name column sorts and searches by */
  COL_STATE,       /* VmdDomainState, for sorting the State column */
  COL_HISTORY,     /* the VM's VmdStatsHistory (owned by ->histories), or NULL */
  COL_VALUE,       /* COL_VALUE + a VmdStatsSeries: the current value, -1 unknown */
  COL_TOOLTIP = COL_VALUE + VMD_STATS_N_SERIES,  /* markup, or NULL */
  N_COLUMNS

};

enum {
  ROW_CONNECTION,
  ROW_DOMAIN,
  ROW_TAG,         /* a tag's section, when grouped by tag */
  ROW_UNTAGGED,    /* the section of VMs without a tag */
};

struct _VmdManagerWindow
{
  GtkApplicationWindow parent_instance;

  /* template */
  GtkWidget          *content_box;
  GtkMenuButton      *menu_button;
  GtkMenuButton      *shutdown_menu_button;
  GMenuModel         *primary_menu;
  GMenuModel         *shutdown_menu;
  GtkStack           *stack;
  GtkWidget          *loading_page;  /* until the connection is ready (or failed) */
  GtkWidget          *empty_page;
  GMenuModel         *context_menu;

  /* made when first needed (vmd_manager_window_ensure_*), not for the first map */
  GtkWidget          *list_page;     /* ui/vmd-manager-list.ui, once the connection is ready */
  GtkTreeView        *tree_view;
  GtkTreeSelection   *selection;
  GtkTreeViewColumn  *state_column;
  GtkTreeViewColumn  *name_column;
  GtkCellRenderer    *icon_renderer;
  GtkCellRenderer    *name_renderer;
  GtkInfoBar         *info_bar;
  GtkLabel           *info_label;
  GtkExpander        *info_expander;
  GtkLabel           *info_details;
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  guint               after_map_id;  /* the idle that finishes the window after its first map */
  gboolean            menus_bound;   /* the menu buttons' popovers have their items */

  GtkTreeStore       *store;
  GtkTreeModel       *filter;
  GtkTreeModel       *sort;

  VmdConnection      *connection;
  GHashTable         *rows;          /* VmdDomain → GPtrArray of GtkTreeRowReference in
                                      * store: one row, or one per tag when grouped */
  gboolean            group_by_tag;
  GHashTable         *histories;     /* VmdDomain → VmdStatsHistory */
  GtkTreeViewColumn  *series_columns[VMD_STATS_N_SERIES];
  VmdSparklineRenderer *series_renderers[VMD_STATS_N_SERIES];
  GCancellable       *cancellable;
  guint               stats_id;      /* the sampler subscription */
  GSettings          *settings;
};

/* vmd-manager-window.c */
GtkSearchEntry *vmd_manager_window_ensure_search_entry (VmdManagerWindow *self);
void        vmd_manager_window_ensure_list        (VmdManagerWindow *self);
gboolean    vmd_manager_window_get_series_visible (VmdManagerWindow *self,
                                                   VmdStatsSeries    series);
GPtrArray  *vmd_manager_window_get_selected       (VmdManagerWindow *self);
const char *vmd_manager_window_series_key         (VmdStatsSeries    series);
void        vmd_manager_window_set_series_visible (VmdManagerWindow *self,
                                                   VmdStatsSeries    series,
                                                   gboolean          visible);
void        vmd_manager_window_set_group_by_tag   (VmdManagerWindow *self,
                                                   gboolean          group);

/* vmd-manager-window-actions.c */
void       vmd_manager_window_init_actions   (VmdManagerWindow *self);
void       vmd_manager_window_update_actions (VmdManagerWindow *self);

G_END_DECLS
