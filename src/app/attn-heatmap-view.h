/* attn-heatmap-view.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "attn-attention-view.h"

G_BEGIN_DECLS

#define ATTN_TYPE_HEATMAP_VIEW (attn_heatmap_view_get_type ())
G_DECLARE_FINAL_TYPE (AttnHeatmapView, attn_heatmap_view, ATTN, HEATMAP_VIEW, AttnAttentionView)

GtkWidget *attn_heatmap_view_new        (void);
/* Cell edge in px; 0 fits the whole map into the view. */
double     attn_heatmap_view_get_zoom   (AttnHeatmapView *self);
void       attn_heatmap_view_set_zoom   (AttnHeatmapView *self,
                                         double           cell_size);
char      *attn_heatmap_view_dup_zoom_label (AttnHeatmapView *self);
void       attn_heatmap_view_zoom_in    (AttnHeatmapView *self);
void       attn_heatmap_view_zoom_out   (AttnHeatmapView *self);

G_END_DECLS
