/* attn-compare-align.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-compare"

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "ae-trace.h"
#include "attn-compare-align.h"

/* Past this many cells the middle of two texts is left unaligned: the
 * table is 2 bytes a cell. */
#define MAX_LCS_CELLS (4096u * 4096u)

/* Longest common subsequence of a[0..n) and b[0..m) by dynamic programming
 * (counts capped at 65,535, far above the cells allowed), matched pairs
 * written through the offsets. */
static void
align_middle (const gint32 *a,
              guint         n,
              const gint32 *b,
              guint         m,
              guint         offset_a,
              guint         offset_b,
              int          *b_of_a,
              int          *a_of_b)
{
  g_autofree guint16 *table = NULL;
  guint i, j;

  if (n == 0 || m == 0 || (guint64) (n + 1) * (m + 1) > MAX_LCS_CELLS)
    return;

  /* table[i][j]: the LCS of a[i..n) and b[j..m) */
  table = g_new0 (guint16, (gsize) (n + 1) * (m + 1));
#define T(i, j) table[(gsize) (i) * (m + 1) + (j)]
  for (i = n; i-- > 0;)
    for (j = m; j-- > 0;)
      T (i, j) = a[i] == b[j] ? MIN (T (i + 1, j + 1) + 1, G_MAXUINT16)
                              : MAX (T (i + 1, j), T (i, j + 1));
  for (i = 0, j = 0; i < n && j < m;)
    {
      if (a[i] == b[j])
        {
          b_of_a[offset_a + i] = (int) (offset_b + j);
          a_of_b[offset_b + j] = (int) (offset_a + i);
          i++, j++;
        }
      else if (T (i + 1, j) >= T (i, j + 1))
        i++;
      else
        j++;
    }
#undef T
}

AttnAlignment *
attn_alignment_new (AttnResult *a,
                    AttnResult *b)
{
  AttnAlignment *al;
  const gint32 *ids_a, *ids_b;
  guint prefix = 0, suffix = 0, i, j, k;

  g_return_val_if_fail (a != NULL && b != NULL, NULL);

  al = g_new0 (AttnAlignment, 1);
  al->n_a = attn_result_get_n_tokens (a);
  al->n_b = attn_result_get_n_tokens (b);
  ids_a = attn_result_get_token_ids (a);
  ids_b = attn_result_get_token_ids (b);
  al->b_of_a = g_new (int, MAX (al->n_a, 1));
  al->a_of_b = g_new (int, MAX (al->n_b, 1));
  for (i = 0; i < al->n_a; i++)
    al->b_of_a[i] = -1;
  for (j = 0; j < al->n_b; j++)
    al->a_of_b[j] = -1;

  /* Sentences compared usually differ in a word or two: the common start
   * and end first, then only the middle needs the quadratic table. */
  while (prefix < al->n_a && prefix < al->n_b && ids_a[prefix] == ids_b[prefix])
    {
      al->b_of_a[prefix] = al->a_of_b[prefix] = (int) prefix;
      prefix++;
    }
  while (suffix < al->n_a - prefix && suffix < al->n_b - prefix &&
         ids_a[al->n_a - 1 - suffix] == ids_b[al->n_b - 1 - suffix])
    {
      al->b_of_a[al->n_a - 1 - suffix] = (int) (al->n_b - 1 - suffix);
      al->a_of_b[al->n_b - 1 - suffix] = (int) (al->n_a - 1 - suffix);
      suffix++;
    }
  align_middle (ids_a + prefix, al->n_a - prefix - suffix, ids_b + prefix, al->n_b - prefix - suffix,
                prefix, prefix, al->b_of_a, al->a_of_b);

  /* Reading order of both: before each aligned pair, what only A has
   * there, then what only B has (a diff's "−" lines before its "+"). */
  al->merged_a = g_new (int, al->n_a + al->n_b + 1);
  al->merged_b = g_new (int, al->n_a + al->n_b + 1);
  for (i = 0, j = 0, k = 0; i < al->n_a || j < al->n_b; k++)
    {
      if (i < al->n_a && al->b_of_a[i] < 0)
        al->merged_a[k] = (int) i++, al->merged_b[k] = -1;
      else if (j < al->n_b && al->a_of_b[j] < 0)
        al->merged_a[k] = -1, al->merged_b[k] = (int) j++;
      else
        al->merged_a[k] = (int) i++, al->merged_b[k] = (int) j++;
    }
  al->n_merged = k;
  return al;
}

void
attn_alignment_free (AttnAlignment *alignment)
{
  if (alignment == NULL)
    return;
  g_free (alignment->b_of_a);
  g_free (alignment->a_of_b);
  g_free (alignment->merged_a);
  g_free (alignment->merged_b);
  g_free (alignment);
}

gboolean
attn_alignment_is_identity (const AttnAlignment *alignment)
{
  g_return_val_if_fail (alignment != NULL, FALSE);
  return alignment->n_a == alignment->n_b && attn_alignment_first_difference (alignment) == alignment->n_a;
}

guint
attn_alignment_first_difference (const AttnAlignment *alignment)
{
  guint i = 0;

  g_return_val_if_fail (alignment != NULL, 0);
  while (i < alignment->n_a && alignment->b_of_a[i] == (int) i)
    i++;
  return i;
}

/* Whether @a and @b can be compared head by head. */
static gboolean
comparable (AttnResult          *a,
            AttnResult          *b,
            const AttnAlignment *al)
{
  return attn_result_get_trace (a) != NULL && attn_result_get_trace (b) != NULL &&
         attn_result_get_n_layers (a) == attn_result_get_n_layers (b) &&
         attn_result_get_n_heads (a) == attn_result_get_n_heads (b) &&
         al->n_a == attn_result_get_n_tokens (a) && al->n_b == attn_result_get_n_tokens (b);
}

/* One row of one head, computed by the pass's own kernel (no (T, T) kept). */
static gboolean
head_row (AttnResult *result,
          guint       layer,
          guint       head,
          guint       query,
          float      *out)
{
  const AeTrace *trace = attn_result_get_trace (result);
  guint T = attn_result_get_n_tokens (result);

  return ae_trace_head_rows (trace, layer, head, query, query + 1, NULL, T, out, T, NULL) == AE_STATUS_OK;
}

gboolean
attn_compare_row (AttnResult          *a,
                  AttnResult          *b,
                  const AttnAlignment *alignment,
                  guint                layer,
                  guint                head,
                  guint                query_a,
                  float               *weights_a,
                  float               *weights_b,
                  float               *delta)
{
  g_autofree float *row_a = NULL;
  g_autofree float *row_b = NULL;
  int query_b;

  g_return_val_if_fail (a != NULL && b != NULL && alignment != NULL, FALSE);

  if (!comparable (a, b, alignment) || query_a >= alignment->n_a ||
      layer >= attn_result_get_n_layers (a) || head >= attn_result_get_n_heads (a))
    return FALSE;
  query_b = alignment->b_of_a[query_a];
  if (query_b < 0)
    return FALSE;

  row_a = g_new (float, alignment->n_a);
  row_b = g_new (float, MAX (alignment->n_b, 1));
  if (!head_row (a, layer, head, query_a, row_a) || !head_row (b, layer, head, (guint) query_b, row_b))
    return FALSE;
  for (guint k = 0; k < alignment->n_a; k++)
    {
      int kb = alignment->b_of_a[k];
      float wb = kb >= 0 ? row_b[kb] : NAN;

      if (weights_a != NULL)
        weights_a[k] = row_a[k];
      if (weights_b != NULL)
        weights_b[k] = wb;
      if (delta != NULL)
        delta[k] = kb >= 0 ? wb - row_a[k] : NAN;
    }
  return TRUE;
}

static int
compare_ranks (const void *x,
               const void *y)
{
  const AttnCompareRank *a = x, *b = y;

  if (a->change != b->change)
    return a->change > b->change ? -1 : 1;
  if (a->layer != b->layer)
    return a->layer < b->layer ? -1 : 1;
  return a->head < b->head ? -1 : (a->head > b->head);
}

AttnCompareRank *
attn_compare_rank_heads (AttnResult          *a,
                         AttnResult          *b,
                         const AttnAlignment *alignment,
                         guint                query_a,
                         guint               *n_heads)
{
  guint L, NH;
  g_autofree float *delta = NULL;
  AttnCompareRank *ranks;

  g_return_val_if_fail (a != NULL && b != NULL && alignment != NULL, NULL);

  if (n_heads != NULL)
    *n_heads = 0;
  if (!comparable (a, b, alignment) || query_a >= alignment->n_a || alignment->b_of_a[query_a] < 0)
    return NULL;

  L = attn_result_get_n_layers (a);
  NH = attn_result_get_n_heads (a);
  delta = g_new (float, alignment->n_a);
  ranks = g_new0 (AttnCompareRank, (gsize) L * NH);
  for (guint l = 0; l < L; l++)
    for (guint h = 0; h < NH; h++)
      {
        AttnCompareRank *r = &ranks[l * NH + h];
        double sum = 0.0;

        r->layer = l;
        r->head = h;
        r->key = -1;
        if (!attn_compare_row (a, b, alignment, l, h, query_a, NULL, NULL, delta))
          {
            g_free (ranks);
            return NULL;
          }
        for (guint k = 0; k < alignment->n_a; k++)
          if (!isnan (delta[k]))
            {
              sum += fabs (delta[k]);
              if (r->key < 0 || fabs (delta[k]) > fabs (r->key_delta))
                {
                  r->key = (int) k;
                  r->key_delta = delta[k];
                }
            }
        r->change = sum / 2.0;
      }
  qsort (ranks, (gsize) L * NH, sizeof *ranks, compare_ranks);
  if (n_heads != NULL)
    *n_heads = L * NH;
  return ranks;
}
