/* attn-delta-view.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The difference mode (issue 14): with heads switched off, the selected
 * head's attention in the ablated model minus the intact model's, as a Δ
 * heatmap on a diverging map (blue less, white the same, red more; the
 * colour bar symmetric and signed), tooltips with both weights and Δ, and
 * a summary line with the Δ log-probability of the intact model's top
 * prediction.  The intact run of the text is computed once per text, in a
 * worker thread, while the view is shown; changing which heads are off
 * reuses it.
 */
#pragma once

#include "attn-attention-view.h"

G_BEGIN_DECLS

#define ATTN_TYPE_DELTA_VIEW (attn_delta_view_get_type ())
G_DECLARE_FINAL_TYPE (AttnDeltaView, attn_delta_view, ATTN, DELTA_VIEW, AttnAttentionView)

GtkWidget  *attn_delta_view_new             (void);

/* The intact model's run of the document's text, when it is ready and the
 * document's result has heads off; NULL otherwise. (transfer none) */
AttnResult *attn_delta_view_get_intact      (AttnDeltaView *self);
/* What the view compares, in a sentence: heads off, the intact top
 * prediction's Δ log-probability, or why there is nothing to compare
 * ("summary" property). */
const char *attn_delta_view_get_summary     (AttnDeltaView *self);
/* How many intact runs the view started; for tests. */
guint       attn_delta_view_get_n_runs      (AttnDeltaView *self);

G_END_DECLS
