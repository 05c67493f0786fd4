/* attn-learn-ablation.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A misconception shown on the user's sentence: every head's largest
 * attention weight from the outlined token beside what switching that head
 * off does to the model's next-token prediction (Δ log-probability, one
 * pass per head off the main thread: attn-head-effects.h).  It picks a
 * head that looks hard and changes little, and one that changes the
 * prediction a lot, each with a button that opens the Predict view with
 * that head switched off.
 */
#pragma once

#include "attn-head-effects.h"
#include "attn-learn-figure.h"

G_BEGIN_DECLS

typedef enum
{
  ATTN_LEARN_PICK_IDLE,      /* high weight, small effect */
  ATTN_LEARN_PICK_MATTERS,   /* the largest effect */
  ATTN_LEARN_N_PICKS
} AttnLearnPick;

#define ATTN_TYPE_LEARN_ABLATION (attn_learn_ablation_get_type ())
G_DECLARE_FINAL_TYPE (AttnLearnAblation, attn_learn_ablation, ATTN, LEARN_ABLATION, AttnLearnFigure)

GtkWidget             *attn_learn_ablation_new         (void);
/* The measurements for the document's current result and query, or NULL
 * while they are being made (or cannot be). */
const AttnHeadEffects *attn_learn_ablation_get_effects (AttnLearnAblation *self);
/* The head picked as @pick; NULL without effects. */
const AttnHeadEffect  *attn_learn_ablation_get_pick    (AttnLearnAblation *self,
                                                        AttnLearnPick      pick);

G_END_DECLS
