/* attn-weight-legend.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The line under the token strip: without a query, how to pick one; with
 * one, what the tint of the strip and the sentence means ("How much “cat”
 * attends to each token, layer 2, head 1") and the colour map from 0 to 1.
 */
#pragma once

#include <gtk/gtk.h>

#include "attn-document.h"
#include "attn-render.h"

G_BEGIN_DECLS

#define ATTN_TYPE_WEIGHT_LEGEND (attn_weight_legend_get_type ())
G_DECLARE_FINAL_TYPE (AttnWeightLegend, attn_weight_legend, ATTN, WEIGHT_LEGEND, GtkWidget)

GtkWidget    *attn_weight_legend_new          (void);
AttnDocument *attn_weight_legend_get_document (AttnWeightLegend *self);
void          attn_weight_legend_set_document (AttnWeightLegend *self,
                                               AttnDocument     *document);
void          attn_weight_legend_set_colormap (AttnWeightLegend *self,
                                               AttnColormap      colormap,
                                               AttnScale         scale);
/* The caption shown now; for tests. */
const char   *attn_weight_legend_get_caption  (AttnWeightLegend *self);

G_END_DECLS
