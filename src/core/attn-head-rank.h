/* attn-head-rank.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Find heads": every head of the model ranked by the weight one query
 * token gives one key token ("it" → "animal"), strongest first.  Pure
 * function of a result; the model view sorts its panels by it and
 * attention-cli can print it.
 */
#pragma once

#include "attn-result.h"

G_BEGIN_DECLS

typedef struct
{
  guint layer;
  guint head;
  float weight;   /* weights[layer][head][query][key] */
} AttnHeadRank;

/* The L × H heads by the weight @query gives @key, largest first (ties:
 * lower layer, then lower head, first).  NULL when @query or @key is out
 * of range, @key > @query (a causal model's weight is 0 there) or the
 * result has no trace.  (transfer full) (array length L × H) */
AttnHeadRank *attn_head_rank_new (AttnResult *result,
                                  guint       query,
                                  guint       key,
                                  guint      *n_heads);

G_END_DECLS
