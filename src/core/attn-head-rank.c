/* attn-head-rank.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-head-rank"

#include "config.h"

#include <stdlib.h>

#include "attn-head-rank.h"
#include "attn-result-vectors.h"

static int
compare_rank (const void *a,
              const void *b)
{
  const AttnHeadRank *x = a, *y = b;

  if (x->weight != y->weight)
    return x->weight > y->weight ? -1 : 1;
  if (x->layer != y->layer)
    return x->layer < y->layer ? -1 : 1;
  return x->head < y->head ? -1 : (x->head > y->head);
}

AttnHeadRank *
attn_head_rank_new (AttnResult *result,
                    guint       query,
                    guint       key,
                    guint      *n_heads)
{
  guint T, L, H;
  AttnHeadRank *rank;
  g_autofree float *row = NULL;

  g_return_val_if_fail (result != NULL, NULL);

  if (n_heads != NULL)
    *n_heads = 0;

  T = attn_result_get_n_tokens (result);
  L = attn_result_get_n_layers (result);
  H = attn_result_get_n_heads (result);
  if (query >= T || key >= attn_result_get_n_keys_seen (result, query) || L == 0 || H == 0 ||
      !attn_result_has_trace (result))
    return NULL;

  /* the query's row of every head, computed alone: no head's (T, T) is
   * made or kept */
  rank = g_new (AttnHeadRank, (gsize) L * H);
  row = g_new (float, T);
  for (guint l = 0; l < L; l++)
    for (guint h = 0; h < H; h++)
      {
        if (!attn_result_get_head_rows (result, l, h, query, query + 1, row, NULL))
          {
            g_free (rank);
            return NULL;
          }
        rank[l * H + h] = (AttnHeadRank) { l, h, row[key] };
      }
  qsort (rank, (gsize) L * H, sizeof *rank, compare_rank);

  if (n_heads != NULL)
    *n_heads = L * H;
  return rank;
}
