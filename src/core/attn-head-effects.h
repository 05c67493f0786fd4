/* attn-head-effects.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What switching one head off does to a prediction: the intact model's
 * most probable next token after @position, and for each head asked about,
 * how its log-probability moves when that head alone is zeroed (one pass
 * per head, the same ablation the document and the Predict view use).  The
 * Learn tour's misconception section sets this beside the heads' attention
 * weights: a head can look hard at a token and change nothing.
 */
#pragma once

#include <gio/gio.h>

#include "attn-document.h"
#include "attn-engine.h"

G_BEGIN_DECLS

typedef struct
{
  guint  layer;
  guint  head;
  guint  key;        /* the token this head weights most from the position, intact */
  double weight;     /* that weight */
  double logprob;    /* log p(target) with this head zeroed */
  double delta;      /* logprob − the intact log-probability */
} AttnHeadEffect;

typedef struct
{
  guint           position;        /* the token the prediction follows */
  gint32          target;          /* the intact model's top next token */
  char           *target_text;     /* its text, valid UTF-8 */
  double          intact_logprob;
  guint           n_effects;
  AttnHeadEffect *effects;         /* by falling weight */
} AttnHeadEffects;

/* Runs @text (cut to the context, as the document does) intact, then once
 * for each of the @max_heads heads that weight one token most at
 * @position (every head when the model has no more; 0: every head) with
 * that head zeroed.  NULL with an ATTN_ENGINE_ERROR_* when the model
 * cannot predict, @position is past the text or a pass fails or is
 * cancelled. */
AttnHeadEffects *attn_head_effects_compute        (AttnEngine          *engine,
                                                   const char          *text,
                                                   guint                position,
                                                   guint                max_heads,
                                                   GCancellable        *cancellable,
                                                   GError             **error);
/* The same on a worker thread. */
void             attn_head_effects_compute_async  (AttnEngine          *engine,
                                                   const char          *text,
                                                   guint                position,
                                                   guint                max_heads,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
AttnHeadEffects *attn_head_effects_compute_finish (GAsyncResult        *result,
                                                   GError             **error);
/* Blocks until the computation started with @cancellable has stopped:
 * cancelled, its pass ends within one work item.  For a widget going away,
 * so that no pass outlives it (one still multiplying matrices when the
 * process exits crashes in the BLAS's threads). */
void             attn_head_effects_wait           (GCancellable        *cancellable);
/* The effect of (@layer, @head), or NULL when it was not measured. */
const AttnHeadEffect *attn_head_effects_find     (const AttnHeadEffects *self,
                                                   guint                  layer,
                                                   guint                  head);
void             attn_head_effects_free           (AttnHeadEffects     *self);

/* Switches off head @head of @layer alone in @document, zeroed as it was
 * measured (attn_document_set_ablation ()); out of range: nothing. */
void             attn_head_effects_apply          (AttnDocument        *document,
                                                   guint                layer,
                                                   guint                head);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnHeadEffects, attn_head_effects_free)

G_END_DECLS
