/* attn-result-words.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A result of words made from a result of tokens ("Merge word pieces"):
 * each head merged when a view asks for it, from rows the token trace
 * computes on demand: neither trace holds every head.
 */

#define G_LOG_DOMAIN "attn-result-words"

#include "config.h"

#include <string.h>

#include "attn-engine.h"
#include "attn-result.h"
#include "attn-words.h"

/* The merged trace holds no head: like a linear trace of tokens, it merges
 * a head when a view asks for it (the trace's small cache keeps the last
 * few) from the pieces' rows, which the token trace computes on demand in
 * turn.  Merging every head at once took 2 · L · NH · W² floats, 1 GB for
 * 956 words in GPT-2 small's 144 heads, and merge-words switched itself off
 * on a page of text (issue 13). */
typedef struct
{
  const AeTrace   *pieces;   /* borrowed: the words result holds the pieces' result */
  const AttnWords *words;    /* borrowed: the words result's, freed after its trace */
} MergeSource;

static AeStatus
merge_rows (const AeTrace *trace,
            void          *data,
            size_t         layer,
            size_t         head,
            size_t         r0,
            size_t         r1,
            float         *weights,
            size_t         ldw,
            AeError       *error)
{
  const MergeSource *src = data;
  const AttnWords *words = src->words;
  size_t W = words->n_words, T = words->n_tokens;
  size_t t0 = words->first[r0], t1 = words->first[r1];
  g_autofree float *rows = g_try_new (float, MAX (t1 - t0, 1) * MAX (T, 1));
  g_autofree float *merged = ldw == W ? NULL : g_try_new (float, MAX (r1 - r0, 1) * MAX (W, 1));
  AeStatus status;

  if (rows == NULL || (ldw != W && merged == NULL))
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory merging word pieces");
  status = ae_trace_head_rows (src->pieces, layer, head, t0, t1, NULL, 0, rows, T, error);
  if (status != AE_STATUS_OK || r1 == r0)
    return status;
  attn_words_merge_rows (words, rows, T, r0, r1, merged ? merged : weights);
  for (size_t a = r0; merged != NULL && a < r1; a++)
    memcpy (weights + (a - r0) * ldw, merged + (a - r0) * W, W * sizeof (float));
  return AE_STATUS_OK;
}

AttnResult *
attn_result_merge_words (AttnResult    *self,
                         GCancellable  *cancellable,
                         GError       **error)
{
  const AeTrace *trace;
  g_autoptr(AttnWords) words = NULL;
  MergeSource *src;
  AeTrace *merged;
  gsize L, L0, NH;

  g_return_val_if_fail (self != NULL, NULL);

  trace = attn_result_get_trace (self);
  if (trace == NULL)
    {
      g_set_error_literal (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID,
                           "the text was only tokenized: there is no attention to merge");
      return NULL;
    }
  if (attn_result_get_words (self) != NULL)
    return attn_result_ref (self);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  words = attn_words_new (self);
  L = trace->n_layer;
  L0 = trace->first_layer;   /* a pass that kept its last layers only: merge those */
  NH = trace->n_head;

  /* No q, k, v or residual stream (n_embd = head size = 0): only what a
   * view of weights reads.  The key/value heads stay, for titles. */
  merged = ae_trace_alloc (L, L0, NH, trace->n_kv_head, words->n_words, 0, 0, 0);
  src = g_try_new (MergeSource, 1);
  if (merged == NULL || src == NULL)
    {
      ae_trace_free (merged);
      g_free (src);
      g_set_error_literal (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_NO_MEMORY,
                           "out of memory merging word pieces");
      return NULL;
    }
  merged->bidirectional = trace->bidirectional;
  for (gsize l = 0; l < L; l++)
    merged->layer_scale[l] = trace->layer_scale[l];
  /* Scores are not merged (a sum of logits means nothing): NaN, and
   * attn_result_get_scores_row () gives none. */
  src->pieces = trace;
  src->words = words;
  merged->rows_func = merge_rows;
  merged->rows_data = src;
  merged->rows_data_free = g_free;

  return _attn_result_new_words (self, g_steal_pointer (&words), merged);
}

int
attn_result_index_of_token (const AttnResult *self,
                            int               index)
{
  const AttnWords *words;

  g_return_val_if_fail (self != NULL, -1);

  words = attn_result_get_words (self);
  if (index < 0 || words == NULL || words->n_words == 0)
    return index;
  return (int) attn_words_find (words, (guint) index);
}

int
attn_result_token_of_index (const AttnResult *self,
                            int               index,
                            gboolean          as_query)
{
  const AttnWords *words;

  g_return_val_if_fail (self != NULL, -1);

  words = attn_result_get_words (self);
  if (index < 0 || words == NULL)
    return index;
  if ((guint) index >= words->n_words)
    return -1;
  return (int) (as_query ? words->first[index + 1] - 1 : words->first[index]);
}
