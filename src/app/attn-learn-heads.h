/* attn-learn-heads.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tour's "many heads" figure: every head of the model as a small map
 * of its weights on the sentence, captioned with the label its weights
 * earn (ae-stats' rule, as in the head description), and beneath, the
 * clearest previous-token, sink, induction and broad head of this model on
 * this sentence, or what to do when there is none.
 */
#pragma once

#include "attn-learn-figure.h"

G_BEGIN_DECLS

/* The four patterns the tour points out. */
typedef enum
{
  ATTN_LEARN_PATTERN_PREVIOUS,
  ATTN_LEARN_PATTERN_SINK,
  ATTN_LEARN_PATTERN_INDUCTION,
  ATTN_LEARN_PATTERN_BROAD,
  ATTN_LEARN_N_PATTERNS
} AttnLearnPattern;

#define ATTN_TYPE_LEARN_HEADS (attn_learn_heads_get_type ())
G_DECLARE_FINAL_TYPE (AttnLearnHeads, attn_learn_heads, ATTN, LEARN_HEADS, AttnLearnFigure)

GtkWidget *attn_learn_heads_new           (void);
/* The head that shows @pattern most clearly on the sentence; FALSE when no
 * head has that label. */
gboolean   attn_learn_heads_get_exemplar  (AttnLearnHeads   *self,
                                           AttnLearnPattern  pattern,
                                           guint            *layer,
                                           guint            *head);
/* The short label drawn under a head ("previous", "sink", …); NULL out of
 * range.  For tests. */
const char *_attn_learn_heads_get_caption (AttnLearnHeads   *self,
                                           guint             layer,
                                           guint             head);
/* How many times the figure has gone over every head of a result (each
 * reads the whole head); for tests. */
guint       _attn_learn_heads_get_n_passes (AttnLearnHeads *self);
/* The focusable thumbnail of a head (a GtkFlowBoxChild); NULL out of
 * range.  For tests. */
GtkWidget  *_attn_learn_heads_get_thumbnail (AttnLearnHeads *self,
                                             guint           layer,
                                             guint           head);

G_END_DECLS
