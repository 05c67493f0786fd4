/* attn-learn-example.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tour's worked example, the trophy and the suitcase: the weight "it"
 * gives each of the two nouns (summed over their pieces) in every head,
 * the heads that look at them most drawn as paired bars.
 */
#pragma once

#include "attn-learn-figure.h"

G_BEGIN_DECLS

#define ATTN_TYPE_LEARN_EXAMPLE (attn_learn_example_get_type ())
G_DECLARE_FINAL_TYPE (AttnLearnExample, attn_learn_example, ATTN, LEARN_EXAMPLE, AttnLearnFigure)

GtkWidget *attn_learn_example_new        (void);
/* Whether the sentence has "it", "trophy" and "suitcase" among the tokens
 * read; then the tokens: the last piece of "it", the first of each noun. */
gboolean   attn_learn_example_get_tokens (AttnLearnExample *self,
                                          int              *it,
                                          int              *trophy,
                                          int              *suitcase);
/* The weight "it" gives @noun (0 trophy, 1 suitcase, 2 the words after
 * "it", which only a bidirectional model sees) in a head, summed over the
 * pieces; NAN without the example. */
double     attn_learn_example_get_weight (AttnLearnExample *self,
                                          guint             noun,
                                          guint             layer,
                                          guint             head);

G_END_DECLS
