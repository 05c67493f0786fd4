/* attn-compare-align.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two texts side by side (issue 14's "compare two sentences"): their
 * tokens aligned where they agree, and how one head's attention differs
 * between them.  Tokens agree when their ids are equal and they fall in
 * the longest common subsequence of the two id sequences (the alignment a
 * line diff makes), so "The trophy … too big" and "The trophy … too small"
 * align everywhere but at "big" / "small".
 *
 * The difference of a head's attention is B − A at aligned cells: the
 * weight B's copy of the query gives B's copy of the key, minus A's.  A
 * cell whose query or key has no counterpart has none (NaN).
 */
#pragma once

#include <glib.h>

#include "attn-result.h"

G_BEGIN_DECLS

typedef struct
{
  guint  n_a, n_b;
  int   *b_of_a;     /* (n_a) B's index of A's token i, -1 when it has none */
  int   *a_of_b;     /* (n_b) likewise */
  guint  n_merged;   /* both texts in reading order, aligned tokens once */
  int   *merged_a;   /* (n_merged) A's index, -1 for a token only in B */
  int   *merged_b;   /* (n_merged) B's index, -1 for a token only in A */
} AttnAlignment;

/* Aligns @a's and @b's tokens.  The common start and end are matched
 * first; the rest by the longest common subsequence of ids, which past
 * 4,096 × 4,096 tokens of difference leaves that middle unaligned. */
AttnAlignment *attn_alignment_new   (AttnResult          *a,
                                     AttnResult          *b);
void           attn_alignment_free  (AttnAlignment       *alignment);
/* TRUE when both texts have the very same tokens. */
gboolean       attn_alignment_is_identity (const AttnAlignment *alignment);

/* Row @query_a of head (@layer, @head): A's weights into @weights_a (n_a),
 * B's weights at A's keys into @weights_b (n_a; NaN where the key has no
 * counterpart) and B − A into @delta (n_a; NaN likewise).  Any output may
 * be NULL.  FALSE when the query has no counterpart in B, an index is out
 * of range or a result has no trace. */
gboolean       attn_compare_row     (AttnResult          *a,
                                     AttnResult          *b,
                                     const AttnAlignment *alignment,
                                     guint                layer,
                                     guint                head,
                                     guint                query_a,
                                     float               *weights_a,
                                     float               *weights_b,
                                     float               *delta);

typedef struct
{
  guint  layer;
  guint  head;
  double change;      /* ½ Σ |B − A| over the aligned keys: the share of the
                       * query's attention that moved (0 … 1) */
  int    key;         /* A's key whose weight changed most, -1 none */
  double key_delta;   /* B − A at that key */
} AttnCompareRank;

/* Every head by how much @query_a's attention changes from A to B,
 * largest first (ties: lower layer, then head).  NULL when the query has
 * no counterpart in B or the results do not fit each other (another model,
 * no trace).  (transfer full) (array length *n_heads) */
AttnCompareRank *attn_compare_rank_heads (AttnResult          *a,
                                          AttnResult          *b,
                                          const AttnAlignment *alignment,
                                          guint                query_a,
                                          guint               *n_heads);

/* The first token (in A) where the texts differ: A's index of the first
 * token without a counterpart or out of order, or n_a when none differs.
 * A causal model's query before it sees the same tokens in both texts, so
 * its attention cannot change. */
guint          attn_alignment_first_difference (const AttnAlignment *alignment);

G_END_DECLS
