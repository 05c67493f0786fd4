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

G_BEGIN_DECLS

#define ATTN_TYPE_HEAD_GRID (attn_head_grid_get_type ())
G_DECLARE_FINAL_TYPE (AttnHeadGrid, attn_head_grid, ATTN, HEAD_GRID, AttnAttentionView)

GtkWidget *attn_head_grid_new (void);

G_END_DECLS
