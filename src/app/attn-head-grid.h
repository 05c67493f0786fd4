/* attn-head-grid.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every head of the model at once: one labelled thumbnail heatmap per
 * layer × head.  Clicking one (or Enter on the keyboard cursor, moved with
 * the arrow keys) selects that head and emits
 * AttnAttentionView::head-activated.
 */
#pragma once

#include "attn-attention-view.h"
#include "attn-head-scores.h"

G_BEGIN_DECLS

#define ATTN_TYPE_HEAD_GRID (attn_head_grid_get_type ())
G_DECLARE_FINAL_TYPE (AttnHeadGrid, attn_head_grid, ATTN, HEAD_GRID, AttnAttentionView)

GtkWidget *attn_head_grid_new        (void);
/* Draws one detector's score over every thumbnail (issue 14): @scores
 * (a reference is kept; NULL or a detector of -1: none), from @source.
 * Scores of another result than the one shown are not drawn. */
void       attn_head_grid_set_scores (AttnHeadGrid    *self,
                                      AttnHeadScores  *scores,
                                      int              detector,
                                      AttnScoreSource  source);
/* The scores drawn for the result shown, L × NH, or NULL; for tests. */
const double *attn_head_grid_get_drawn_scores (AttnHeadGrid *self);

G_END_DECLS
