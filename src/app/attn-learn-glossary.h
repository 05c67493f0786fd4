/* attn-learn-glossary.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The key terms of the Learn tour, in one place: the tour's glossary lists
 * them, and the views use the same definitions as tooltips where they show
 * the thing the term names.
 */
#pragma once

#include <gtk/gtk.h>

#include "attn-steps.h"

G_BEGIN_DECLS

typedef enum
{
  ATTN_TERM_TOKEN,
  ATTN_TERM_SELF_ATTENTION,
  ATTN_TERM_QUERY,
  ATTN_TERM_KEY,
  ATTN_TERM_VALUE,
  ATTN_TERM_SCORE,
  ATTN_TERM_SOFTMAX,
  ATTN_TERM_WEIGHTS,
  ATTN_TERM_CAUSAL_MASK,
  ATTN_TERM_HEAD,
  ATTN_TERM_MULTI_HEAD,
  ATTN_TERM_OUTPUT_PROJECTION,
  ATTN_TERM_LAYER,
  ATTN_TERM_RESIDUAL_STREAM,
  ATTN_TERM_LAYER_NORM,
  ATTN_TERM_FEED_FORWARD,
  ATTN_TERM_ATTENTION_SINK,
  ATTN_TERM_INDUCTION_HEAD,
  ATTN_TERM_ABLATION,
  ATTN_TERM_COUNT   /* always add terms just above this line */
} AttnTerm;

/* The term's name and its one- or two-sentence definition, translated. */
const char *_attn_learn_glossary_get_term       (AttnTerm term);
const char *_attn_learn_glossary_get_definition (AttnTerm term);
/* "Term: definition", for a tooltip. (transfer full) */
char       *_attn_learn_glossary_dup_tooltip    (AttnTerm term);

/* The term's definition as (part of) @widget's tooltip, after the
 * widget's own tooltip if it has one: the views' tooltips and the tour's
 * glossary say the same. */
void        _attn_learn_glossary_add_tooltip    (GtkWidget *widget,
                                                 AttnTerm   term);
/* The term a walkthrough step shows (an AttnTerm), or -1. */
int         _attn_learn_glossary_term_for_step  (AttnStep   step);

/* The glossary as a list, one row per term. */
GtkWidget  *_attn_learn_glossary_new            (void);

G_END_DECLS
