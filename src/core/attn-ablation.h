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
#include "attn-engine.h"
#include "attn-result.h"

G_BEGIN_DECLS

typedef enum
{
  ATTN_ABLATION_ZERO,   /* the head's output becomes 0 */
  ATTN_ABLATION_MEAN,   /* its output becomes its mean over the text's positions */
} AttnAblationKind;

/* "zero", "mean". */
const char *attn_ablation_kind_to_string       (AttnAblationKind   kind);
/* The kind named "zero" or "mean"; FALSE for any other name. */
gboolean    attn_ablation_kind_from_string     (const char        *name,
                                                AttnAblationKind  *kind);

/* Heads to switch off in a model of n_layers × n_heads, and how: what the
 * CLI's --ablate and the Predict view's list parse to (boxed, immutable). */
typedef struct _AttnAblation AttnAblation;

#define ATTN_TYPE_ABLATION (attn_ablation_get_type ())
GType         attn_ablation_get_type   (void) G_GNUC_CONST;
/* "L.H[,L.H…]" (spaces allowed around commas) for a model of @n_layers ×
 * @n_heads; NULL and ATTN_ENGINE_ERROR_INVALID naming a malformed item or
 * a layer or head out of range. */
AttnAblation *attn_ablation_parse      (const char         *list,
                                        AttnAblationKind    kind,
                                        guint               n_layers,
                                        guint               n_heads,
                                        GError            **error);
AttnAblation *attn_ablation_copy       (const AttnAblation *self);
void          attn_ablation_free       (AttnAblation       *self);
AttnAblationKind attn_ablation_get_kind (const AttnAblation *self);
/* "0.1,1.2" (layer.head, in order), or NULL when no head is off. */
char         *attn_ablation_to_list    (const AttnAblation *self);
/* What @result's run switched off, or NULL for the intact model. */
AttnAblation *attn_result_dup_ablation (const AttnResult   *result);
/* @document's heads off from now on (a copy; NULL or none: the intact
 * model), and a new pass. */
void          attn_document_set_heads_off (AttnDocument       *document,
                                           const AttnAblation *ablation);
/* A run with @ablation's heads off (NULL: none); @ablation must outlive
 * the run. */
void          attn_run_options_set_ablation (AttnRunOptions     *options,
                                             const AttnAblation *ablation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnAblation, attn_ablation_free)

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
