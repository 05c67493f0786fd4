/* attn-derived-values.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The numbers behind the Δ and rollout views (issue 14), one definition
 * for the app's Export Values and `attention-cli export --view
 * delta|rollout`, written by attn-matrix-values.h (JSON, CSV, NPY).
 *
 * Δ (ATTN_VIEW_DELTA): the matrices "delta" (head @head of @layer with
 * the heads off minus the intact run's), "intact_weights" and
 * "ablated_weights", and the members "view": "delta", "layer", "head".
 * Rollout (ATTN_VIEW_ROLLOUT): the matrix "rollout" of @result (with its
 * heads off, if any) and the members "view": "rollout", "query" (-1: none).
 * Both, when @result's run switched heads off: "ablated" (["L.H", …]) and
 * "ablation" ("zero" or "mean").
 */

#pragma once

#include <jansson.h>

#include "attn-export.h"
#include "attn-matrix-values.h"

G_BEGIN_DECLS

#define ATTN_DERIVED_MAX_MATRICES 3

/* Fills @matrices (*n_matrices of them; storage made here is added to
 * @owned, a GPtrArray freeing with g_free) and returns the members.  Δ
 * needs @intact, the intact model's run of the same tokens, and heads off
 * in @result.  NULL with an error otherwise, or for another view.
 * (transfer full) */
json_t *attn_derived_values_collect (AttnResult      *result,
                                     AttnResult      *intact,
                                     AttnView         view,
                                     guint            layer,
                                     guint            head,
                                     int              query,
                                     AttnNamedMatrix  matrices[ATTN_DERIVED_MAX_MATRICES],
                                     gsize           *n_matrices,
                                     GPtrArray       *owned,
                                     GError         **error);

G_END_DECLS
