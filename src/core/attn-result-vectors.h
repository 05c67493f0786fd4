/* attn-result-vectors.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The vectors one run kept, by name, for figures that show a token's
 * numbers (the Learn tour): a head's q, k, v and output rows, a layer's
 * normed input and attention output, a query's row of scores, and the
 * model's widths.  Everything is read from the result's trace, so a figure
 * shows the very numbers the heatmap and the walkthrough were made from.
 */
#pragma once

#include "attn-result.h"

G_BEGIN_DECLS

typedef enum
{
  ATTN_VECTOR_Q,             /* (hs,) a head's query, as the dot product used it */
  ATTN_VECTOR_K,             /* (hs,) its key (that of its key/value head) */
  ATTN_VECTOR_V,             /* (hs,) its value */
  ATTN_VECTOR_HEAD_OUTPUT,   /* (hs,) Σ_j w_j v_j */
  ATTN_VECTOR_NORMED_INPUT,  /* (C,)  a layer's input after its first norm */
  ATTN_VECTOR_ATTN_OUTPUT,   /* (C,)  heads joined and projected: what attention adds */
} AttnVector;

typedef struct
{
  guint    n_layer;
  guint    n_head;
  guint    n_kv_head;
  guint    n_embd;          /* C, the residual stream's width */
  guint    head_size;       /* hs = d_k */
  guint    n_inner;         /* the feed-forward layer's hidden width; 0 unknown */
  gboolean rms_norm;        /* RMSNorm rather than LayerNorm */
  gboolean parallel;        /* attention and MLP read the same x (NeoX) */
  gboolean gated_mlp;       /* SwiGLU: three MLP matrices, not two */
  gboolean rotary;          /* positions rotate q and k rather than enter the input */
  guint    window;          /* sliding window, 0 none */
} AttnShape;

/* @token's row of @what (@head is ignored for the per-layer vectors);
 * borrowed, *n_values gets its length.  NULL without a trace or out of
 * range. */
const float *attn_result_get_vector     (const AttnResult *self,
                                         AttnVector        what,
                                         guint             layer,
                                         guint             head,
                                         guint             token,
                                         guint            *n_values);
/* The query's (T,) row of scaled scores, 0 where masked; NULL out of range. */
const float *attn_result_get_scores_row (const AttnResult *self,
                                         guint             layer,
                                         guint             head,
                                         guint             query);
/* Whether @query cannot see @key: the future, or outside a sliding window. */
gboolean     attn_result_is_masked      (const AttnResult *self,
                                         guint             query,
                                         guint             key);
/* How many keys, from key 0 on, @query can see: query + 1 under a causal
 * mask, every token for an encoder (no mask at all).  A sliding window
 * hides keys at the start too: attn_result_is_masked() says which. */
guint        attn_result_get_n_keys_seen (const AttnResult *self,
                                          guint             query);
/* The widths of the model that made @self; FALSE without a trace. */
gboolean     attn_result_get_shape      (const AttnResult *self,
                                         AttnShape        *shape);

/* Euclidean length of @n values. */
double       attn_vector_norm           (const float      *values,
                                         guint             n);

G_END_DECLS
