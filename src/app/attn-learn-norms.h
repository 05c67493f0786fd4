/* attn-learn-norms.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A misconception shown: the weight a query gives each key beside how much
 * that key actually adds to the head's output, ‖w_j v_j‖ (as a share of
 * the sum; before W_O), after Kobayashi et al. (2020).  A sink token can
 * take most of the weight and add little.
 */
#pragma once

#include "attn-learn-figure.h"

G_BEGIN_DECLS

#define ATTN_TYPE_LEARN_NORMS (attn_learn_norms_get_type ())
G_DECLARE_FINAL_TYPE (AttnLearnNorms, attn_learn_norms, ATTN, LEARN_NORMS, AttnLearnFigure)

GtkWidget *attn_learn_norms_new       (void);
/* Key @key's share of the query's weight and of Σ_j ‖w_j v_j‖; FALSE out
 * of range or without a result. */
gboolean   attn_learn_norms_get_share (AttnLearnNorms *self,
                                       guint           key,
                                       double         *weight,
                                       double         *contribution);

G_END_DECLS
