/* argv-compare.h: QEMU command lines read and compared by meaning
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Splits a libvirt .args file into words as a POSIX shell would
 * (backslash-newline joins lines; single and double quotes; backslash
 * escapes), dropping the leading VAR=value environment words. */
GStrv        argv_split_args_file (const char        *text,
                                   GError           **error);

typedef struct _ArgvSummary ArgvSummary;

/* What a command line means, normalised so that two engines can be
 * compared (see the README of the corpus, levels A and B).
 * @declared_pci: the PCI controller IDs ("pci.N") the definition itself
 * declares; the others are an engine's own placement policy. */
ArgvSummary *argv_summary_new     (const char *const *argv,
                                   GHashTable        *declared_pci,
                                   GError           **error);
void         argv_summary_free    (ArgvSummary       *summary);

/* NULL when @ours means what @theirs means; else the first difference,
 * in words. */
char        *argv_summary_diff    (ArgvSummary       *ours,
                                   ArgvSummary       *theirs);

/* The summary as text, one fact per line, for messages. */
char        *argv_summary_dump    (ArgvSummary       *summary);

/* Comparison knobs a test case may need. */
void         argv_summary_ignore  (ArgvSummary       *summary,
                                   const char        *category);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ArgvSummary, argv_summary_free)

G_END_DECLS
