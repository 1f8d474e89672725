/* vmd-model-error.h: errors of the domain model
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VMD_MODEL_ERROR (vmd_model_error_quark ())

typedef enum {
  VMD_MODEL_ERROR_PARSE,       /* not well-formed XML */
  VMD_MODEL_ERROR_TOO_LARGE,   /* the document exceeds VMD_XML_MAX_SIZE */
  VMD_MODEL_ERROR_NOT_DOMAIN,  /* the root element is not <domain> */
  VMD_MODEL_ERROR_INVALID,     /* well-formed, but not a valid definition */
  VMD_MODEL_ERROR_SCHEMA,      /* rejected by libvirt's RELAX-NG schema */
  VMD_MODEL_ERROR_IO,          /* reading or writing a file failed */
} VmdModelError;

GQuark vmd_model_error_quark (void);

G_END_DECLS
