/* attn-learn-block.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tour's transformer block, drawn: the residual stream, the first
 * norm, attention, its addition, the second norm, the feed-forward layer
 * (MLP) and its addition, each labelled with the figure query's vector
 * width and length in the selected layer; beneath, what attention and the
 * MLP add in every layer.  The lengths come from the trace and from the
 * residual stream (attn-residual.h), computed off the main thread.
 */
#pragma once

#include "attn-learn-figure.h"

G_BEGIN_DECLS

/* The lengths the figure shows for one token in one layer. */
typedef struct
{
  double x;          /* ‖x‖, the residual stream entering the layer */
  double normed;     /* ‖LN(x)‖, what attention reads */
  double attn;       /* ‖attention output‖, what attention adds */
  double mid;        /* ‖x + attn‖ */
  double mlp;        /* ‖MLP output‖ = ‖x_out − x − attn‖ */
  double out;        /* ‖x_out‖, entering the next layer */
} AttnLearnBlockNorms;

#define ATTN_TYPE_LEARN_BLOCK (attn_learn_block_get_type ())
G_DECLARE_FINAL_TYPE (AttnLearnBlock, attn_learn_block, ATTN, LEARN_BLOCK, AttnLearnFigure)

GtkWidget *attn_learn_block_new       (void);
/* FALSE until the residual stream of the current result is in. */
gboolean   attn_learn_block_get_norms (AttnLearnBlock      *self,
                                       guint                layer,
                                       AttnLearnBlockNorms *norms);

G_END_DECLS
