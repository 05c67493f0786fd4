/* attn-predictions-panel.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the model does with its attention (issue 14): the next tokens it
 * predicts after the selected token, how probable each token of the text
 * was, the logit lens, "Continue" (greedy or sampled, seeded) as ordinary
 * edits of the text, and switching heads off (zero or mean ablation) with
 * the change in the top prediction's log-probability.
 */
#pragma once

#include <gtk/gtk.h>

#include "attn-document.h"

G_BEGIN_DECLS

#define ATTN_TYPE_PREDICTIONS_PANEL (attn_predictions_panel_get_type ())
G_DECLARE_FINAL_TYPE (AttnPredictionsPanel, attn_predictions_panel, ATTN, PREDICTIONS_PANEL, GtkWidget)

GtkWidget    *attn_predictions_panel_new          (void);
AttnDocument *attn_predictions_panel_get_document (AttnPredictionsPanel *self);
void          attn_predictions_panel_set_document (AttnPredictionsPanel *self,
                                                   AttnDocument         *document);

/* Appends @n tokens, one pass after another (greedy when the sampling
 * controls say temperature 0); for tests and the "Continue" buttons. */
void          attn_predictions_panel_continue     (AttnPredictionsPanel *self,
                                                   guint                 n);
/* The "layer.head" list of heads off as the entry shows it; for tests. */
const char   *attn_predictions_panel_get_ablation_list (AttnPredictionsPanel *self);
/* The list's first prediction, "token (p)", for tests; NULL when none. */
char         *attn_predictions_panel_dup_top      (AttnPredictionsPanel *self);
/* The row of each token's probability (a GtkFlowBox); for tests. */
GtkWidget    *_attn_predictions_panel_get_surprise (AttnPredictionsPanel *self);

G_END_DECLS
