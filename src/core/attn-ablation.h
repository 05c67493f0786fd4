/* attn-ablation.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Switched-off heads as the app and the CLI see them, without the
 * engine's types (issue 14): switching one head of the document off or
 * back on, the kind of ablation, and what a result's run switched off.
 * The state itself is the document's (attn_document_set_ablation ()).
 */
#pragma once

#include "attn-document.h"
#include "attn-result.h"

G_BEGIN_DECLS

typedef enum
{
  ATTN_ABLATION_ZERO,   /* the head's output becomes 0 */
  ATTN_ABLATION_MEAN,   /* its output becomes its mean over the text's positions */
} AttnAblationKind;

/* "zero", "mean". */
const char *attn_ablation_kind_to_string       (AttnAblationKind   kind);

/* Switches head @head of @layer off in @document (all its heads then
 * with @kind), or back on when it was off; the last head back on leaves
 * the intact model.  Out of range: nothing happens. */
void        attn_document_toggle_head          (AttnDocument      *document,
                                                guint              layer,
                                                guint              head,
                                                AttnAblationKind   kind);
/* Whether @document switches any head off, and how. */
gboolean    attn_document_get_ablation_kind    (AttnDocument      *document,
                                                AttnAblationKind  *kind);
/* The heads off stay off, with @kind; nothing when none is off. */
void        attn_document_set_ablation_kind    (AttnDocument      *document,
                                                AttnAblationKind   kind);
/* "0.1,1.2", or NULL when every head is on. (transfer full) */
char       *attn_document_dup_ablation_list    (AttnDocument      *document);

/* Whether @result's run had head @head of @layer off, and how. */
gboolean    attn_result_head_is_off            (const AttnResult  *result,
                                                guint              layer,
                                                guint              head,
                                                AttnAblationKind  *kind);
/* Whether @result's run had any head off, and how. */
gboolean    attn_result_get_ablation_kind      (const AttnResult  *result,
                                                AttnAblationKind  *kind);

G_END_DECLS
