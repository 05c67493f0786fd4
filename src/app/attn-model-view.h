/* attn-model-view.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One token across the whole model: the document's query's attention in
 * every layer × head as a small bar chart each (attn_render_model), ranked
 * by the weight it gives the pinned key when there is one ("find heads").
 * Click a panel, or arrow to it and press Enter, to open that head.
 */
#pragma once

#include "attn-attention-view.h"

G_BEGIN_DECLS

#define ATTN_TYPE_MODEL_VIEW (attn_model_view_get_type ())
G_DECLARE_FINAL_TYPE (AttnModelView, attn_model_view, ATTN, MODEL_VIEW, AttnAttentionView)

GtkWidget *attn_model_view_new (void);

G_END_DECLS
