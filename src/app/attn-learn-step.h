/* attn-learn-step.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One of the tour's six steps of attention, small: its formula, the
 * selected head's real numbers for the figure's query and key (read from
 * the result's trace, the numbers the walkthrough shows), drawn with the
 * walkthrough's strips, and one sentence that puts the numbers together.
 */
#pragma once

#include "attn-learn-figure.h"

G_BEGIN_DECLS

typedef enum
{
  ATTN_LEARN_STEP_QKV,       /* q, k and v from the token's vector */
  ATTN_LEARN_STEP_SCORES,    /* q · k for every key */
  ATTN_LEARN_STEP_SOFTMAX,   /* ÷ √d_k, then softmax */
  ATTN_LEARN_STEP_SUM,       /* Σ w v */
  ATTN_LEARN_STEP_MASK,      /* the future hidden */
  ATTN_LEARN_STEP_HEADS,     /* heads joined, times W_O */
  ATTN_LEARN_N_STEPS
} AttnLearnStepKind;

#define ATTN_TYPE_LEARN_STEP (attn_learn_step_get_type ())
G_DECLARE_FINAL_TYPE (AttnLearnStep, attn_learn_step, ATTN, LEARN_STEP, AttnLearnFigure)

GtkWidget         *attn_learn_step_new      (AttnLearnStepKind kind);
AttnLearnStepKind  attn_learn_step_get_kind (AttnLearnStep    *self);
/* The number the step's sentence is about (‖q‖, q·k, the weight,
 * ‖Σ w v‖, the count of masked keys, ‖W_O output‖); NAN without a
 * result.  For tests. */
double             _attn_learn_step_get_value (AttnLearnStep  *self);

G_END_DECLS
