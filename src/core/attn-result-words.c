/* attn-result-words.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A result of words made from a result of tokens ("Merge word pieces"):
 * each head merged block by block of query rows, so a linear trace never
 * holds a whole (T, T) head.
 */

#define G_LOG_DOMAIN "attn-result-words"

#include "config.h"

#include <math.h>

#include "attn-engine.h"
#include "attn-result.h"
#include "attn-words.h"

/* The merged heads live in a full trace: its scores and weights are
 * 2 · L · NH · W² floats.  A learner's sentence needs kilobytes; a page of
 * text in GPT-2 small (144 heads, 480 words) would reach this. */
#define MAX_MERGED_FLOATS ((gsize) 32 * 1024 * 1024)

/* Query rows computed at once: the attention kernel's block. */
#define ROWS_PER_BLOCK 64

static gboolean
merge_head (const AeTrace   *trace,
            const AttnWords *words,
            guint            layer,
            guint            head,
            float           *rows,
            float           *out,
            GError         **error)
{
  guint W = words->n_words, T = words->n_tokens;
  guint a0 = 0;

  while (a0 < W)
    {
      guint a1 = a0 + 1;
      AeError ae_error = { 0 };

      /* Whole words, up to a block of rows (a longer word alone). */
      while (a1 < W && words->first[a1 + 1] - words->first[a0] <= ROWS_PER_BLOCK)
        a1++;
      if (ae_trace_head_rows (trace, layer, head, words->first[a0], words->first[a1],
                              NULL, 0, rows, T, &ae_error) != AE_STATUS_OK)
        {
          g_set_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_NO_MEMORY,
                       "layer %u, head %u: %s", layer, head, ae_error.message);
          return FALSE;
        }
      attn_words_merge_rows (words, rows, T, a0, a1, out + (gsize) a0 * W);
      a0 = a1;
    }
  return TRUE;
}

AttnResult *
attn_result_merge_words (AttnResult    *self,
                         GCancellable  *cancellable,
                         GError       **error)
{
  const AeTrace *trace;
  g_autoptr(AttnWords) words = NULL;
  g_autofree float *rows = NULL;
  AeTrace *merged;
  guint max_rows = 0;
  gsize L, L0, NH, W, n_floats;

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

  words = attn_words_new (self);
  L = trace->n_layer;
  L0 = trace->first_layer;   /* a pass that kept its last layers only: merge those */
  NH = trace->n_head;
  W = words->n_words;
  if (W > 0 && (W > MAX_MERGED_FLOATS / W || (L - L0) * NH > MAX_MERGED_FLOATS / (2 * W * W)))
    {
      g_set_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_TOO_LONG,
                   "too long to merge word pieces: %zu words in %zu heads would take %zu MB",
                   W, (L - L0) * NH, (gsize) ((double) (L - L0) * NH * W * W * 2 * sizeof (float) / 1e6));
      return NULL;
    }

  /* No q, k, v or residual stream (n_embd = head size = 0): only what a
   * view of weights reads.  The key/value heads stay, for titles. */
  merged = ae_trace_alloc (L, L0, NH, trace->n_kv_head, W, 0, 0, AE_TRACE_KEEP_ATTENTION);
  if (merged == NULL)
    {
      g_set_error_literal (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_NO_MEMORY,
                           "out of memory merging word pieces");
      return NULL;
    }
  merged->bidirectional = trace->bidirectional;
  for (gsize l = 0; l < L; l++)
    merged->layer_scale[l] = trace->layer_scale[l];

  /* Scores are not merged (a sum of logits means nothing): NaN, and
   * attn_result_get_scores_row () gives none. */
  n_floats = (L - L0) * NH * W * W;
  for (gsize i = 0; i < n_floats; i++)
    merged->scores[i] = NAN;

  for (guint a = 0; a < W; a++)
    max_rows = MAX (max_rows, words->first[a + 1] - words->first[a]);
  rows = g_try_new (float, (gsize) MAX (max_rows, ROWS_PER_BLOCK) * MAX (words->n_tokens, 1));
  if (rows == NULL)
    {
      ae_trace_free (merged);
      g_set_error_literal (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_NO_MEMORY,
                           "out of memory merging word pieces");
      return NULL;
    }

  for (gsize l = L0; l < L; l++)
    for (gsize h = 0; h < NH; h++)
      {
        if (g_cancellable_is_cancelled (cancellable))
          {
            g_set_error_literal (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_CANCELLED,
                                 "merging word pieces was cancelled");
            ae_trace_free (merged);
            return NULL;
          }
        if (!merge_head (trace, words, l, h, rows, merged->weights + ((l - L0) * NH + h) * W * W, error))
          {
            ae_trace_free (merged);
            return NULL;
          }
      }

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
