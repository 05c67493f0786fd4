/* attn-derived.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What views show of a result beyond one head's weights (issue 14): the
 * difference switching heads off makes (Δ = the ablated model's attention
 * minus the intact model's, and the Δ log-probability of the intact top
 * prediction), the intact model's run of the same text behind it, and
 * attention rollout (Abnar & Zuidema 2020, ae-rollout.h).
 */
#pragma once

#include <gio/gio.h>

#include "attn-pair.h"
#include "attn-result.h"

G_BEGIN_DECLS

/* Whether @a and @b hold the same tokens (ids, in order) from the same
 * model: only then can their attention be subtracted cell by cell. */
gboolean    attn_results_same_tokens        (const AttnResult *a,
                                             const AttnResult *b);

/* (T, T): head @head of @layer in @ablated minus the same head in
 * @intact, row q for query q (0 above the diagonal).  NULL with an
 * ATTN_ENGINE_ERROR_INVALID error when the tokens differ, a result has no
 * weights or the head is out of range. (transfer full) */
float      *attn_result_dup_delta           (AttnResult       *ablated,
                                             AttnResult       *intact,
                                             guint             layer,
                                             guint             head,
                                             GError          **error);

/* The colour limit of a Δ map: the smallest of 0.01, 0.02, 0.05, 0.1, 0.2,
 * 0.5 and 1 that is at least the largest |Δ| of @delta (n values), so the
 * map is symmetric around 0 and its colour bar reads in round numbers. */
double      attn_delta_limit                (const float      *delta,
                                             gsize             n);

/* At @position: the intact model's most probable next token (*id), its
 * log-probability there under @intact and under @ablated.  FALSE with an
 * error when either cannot predict or the tokens differ. */
gboolean    attn_results_top_logprob_delta  (AttnResult       *ablated,
                                             AttnResult       *intact,
                                             guint             position,
                                             gint32           *id,
                                             double           *intact_logprob,
                                             double           *ablated_logprob,
                                             GError          **error);

/* The intact model's run of @result's text (same engine, every layer,
 * tokens past the context left out as the document does, no heads off);
 * an error when its tokens are not @result's. (transfer full) */
AttnResult *attn_result_run_intact          (AttnResult          *result,
                                             GCancellable        *cancellable,
                                             GError             **error);
/* The same in a worker thread. */
void        attn_result_run_intact_async    (AttnResult          *result,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
AttnResult *attn_result_run_intact_finish   (GAsyncResult        *async_result,
                                             GError             **error);

/* The whole (T, T) rollout of @result, row q for query q; NULL with an
 * error without a trace. (transfer full) */
float      *attn_result_dup_rollout         (AttnResult       *result,
                                             GError          **error);
/* Row @query of it, (T,), in L·T² instead of L·T³. (transfer full) */
float      *attn_result_dup_rollout_row     (AttnResult       *result,
                                             guint             query,
                                             GError          **error);

/* Token @id of @result's model as text (valid UTF-8). (transfer full) */
char       *attn_result_dup_id_text         (AttnResult       *result,
                                             gint32            id);

/* Figure titles and metadata: "Δ attention (heads off − intact) · model ·
 * layer 1 · head 0 · heads 0.1 off (zero)" and "Attention rollout (Abnar &
 * Zuidema 2020) · model". (transfer full) */
char       *attn_result_dup_delta_title     (AttnResult       *ablated,
                                             guint             layer,
                                             guint             head);
char       *attn_result_dup_rollout_title   (AttnResult       *result);
/* The same, then a sentence pair's Links filter as the attention maps'
 * titles say it ("… · links A → B only") when @pairs keeps only some of
 * @result's links: the Δ (@rollout FALSE) or rollout view's and figure's
 * title.  (transfer full) */
char       *attn_result_dup_derived_title   (AttnResult       *result,
                                             gboolean          rollout,
                                             guint             layer,
                                             guint             head,
                                             AttnPairFilter    pairs);

/* What rollout is and is not: a few sentences for views, or with @brief
 * one line for figures. */
const char *attn_rollout_note               (gboolean          brief);

G_END_DECLS
