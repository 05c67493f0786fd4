/* attn-rollout-view.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Attention rollout as a view (issue 14; Abnar & Zuidema 2020): the
 * selected query's rollout row as bars over the tokens, above the whole
 * T × T rollout as a heatmap.  The row is L·T² and computed at once; the
 * whole map, L·T³, in a worker thread.  The window shows
 * attn_rollout_note () beside it: what rollout is and what it is not.
 */
#pragma once

#include "attn-attention-view.h"

G_BEGIN_DECLS

#define ATTN_TYPE_ROLLOUT_VIEW (attn_rollout_view_get_type ())
G_DECLARE_FINAL_TYPE (AttnRolloutView, attn_rollout_view, ATTN, ROLLOUT_VIEW, AttnAttentionView)

GtkWidget   *attn_rollout_view_new         (void);

/* The document's result's whole rollout (T, T), or NULL while it is
 * computed. (transfer none) */
const float *attn_rollout_view_get_rollout (AttnRolloutView *self);
/* The selected query's row (T,), or NULL without a selected query. */
const float *attn_rollout_view_get_row     (AttnRolloutView *self);

G_END_DECLS
