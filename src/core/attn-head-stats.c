/* attn-head-stats.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-head-stats"

#include "config.h"

#include "ae-stats.h"
#include "ae-trace.h"
#include "attn-head-stats.h"
#include "attn-words.h"

G_STATIC_ASSERT ((int) ATTN_HEAD_LABEL_COUNT == (int) AE_HEAD_LABEL_COUNT);
G_STATIC_ASSERT ((int) ATTN_HEAD_LABEL_INDUCTION == (int) AE_HEAD_LABEL_INDUCTION);
G_STATIC_ASSERT ((int) ATTN_HEAD_LABEL_SPECIFIC == (int) AE_HEAD_LABEL_SPECIFIC);
G_STATIC_ASSERT ((int) ATTN_HEAD_LABEL_SAME_WORD == (int) AE_HEAD_LABEL_SAME_WORD);

G_DEFINE_BOXED_TYPE (AttnHeadStats, attn_head_stats, attn_head_stats_copy, attn_head_stats_free)

AttnHeadStats *
attn_head_stats_copy (const AttnHeadStats *self)
{
  return g_memdup2 (self, sizeof *self);
}

void
attn_head_stats_free (AttnHeadStats *self)
{
  g_free (self);
}

/* An encoder's head: its own figures, with [CLS] and [SEP] told by their
 * place (special tokens have no span in the text: the first is [CLS] or
 * <s>, the others [SEP] or </s>) and words by attn-words' rule. */
static void
encoder_head_stats (AttnResult    *result,
                    const float   *weights,
                    AttnHeadStats *out)
{
  guint T = attn_result_get_n_tokens (result);
  g_autofree guint8 *roles = g_new0 (guint8, T);
  g_autofree guint32 *word = g_new0 (guint32, T);
  AeEncoderHeadStats s;
  guint32 w = 0;

  for (guint i = 0; i < T; i++)
    {
      gsize start, end;

      attn_result_get_token_span (result, i, &start, &end);
      if (start == end)
        roles[i] = i == 0 ? AE_TOKEN_ROLE_CLS : AE_TOKEN_ROLE_SEP;
      if (i > 0 && !attn_words_token_continues (result, i))
        w++;
      word[i] = w;
    }

  ae_encoder_head_stats_compute (weights, roles, word, T, &s);
  *out = (AttnHeadStats) {
    .n_rows = s.n_rows,
    .prev = s.prev,
    .first = s.cls,
    .self = s.self,
    .entropy_norm = s.entropy_norm,
    .top_key = s.top_key,
    .top_key_weight = s.top_key_weight,
    .bidirectional = TRUE,
    .cls = s.cls,
    .sep = s.sep,
    .next = s.next,
    .n_piece_rows = s.n_piece_rows,
    .same_word = s.same_word,
    .label = (AttnHeadLabel) ae_encoder_head_label (&s),
  };
}

gboolean
attn_result_get_head_stats (AttnResult    *result,
                            guint          layer,
                            guint          head,
                            AttnHeadStats *out)
{
  const AeHeadAttention *attention;
  AeHeadStats s;

  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  /* The head from the trace's small cache of recent heads (the one a view
   * shows is usually there), held only while the statistics read it: going
   * over every head keeps none of them. */
  if (!attn_result_has_trace (result) ||
      (attention = ae_trace_head_get (attn_result_get_trace (result), layer, head, NULL)) == NULL)
    return FALSE;

  if (attn_result_is_bidirectional (result))
    {
      encoder_head_stats (result, attention->weights, out);
      ae_head_attention_release (attention);
      return TRUE;
    }

  ae_head_stats_compute_tokens (attention->weights, attn_result_get_token_ids (result),
                                attn_result_get_n_tokens (result), &s);
  ae_head_attention_release (attention);
  *out = (AttnHeadStats) {
    .n_rows = s.n_rows,
    .prev = s.prev,
    .first = s.first,
    .self = s.self,
    .local = s.local,
    .entropy_norm = s.entropy_norm,
    .prev_argmax = s.prev_argmax,
    .mean_distance = s.mean_distance,
    .top_key = s.top_key,
    .top_key_weight = s.top_key_weight,
    .n_repeat_rows = s.n_repeat_rows,
    .induction = s.induction,
    .label = (AttnHeadLabel) ae_head_label (&s),
  };
  return TRUE;
}

const char *
attn_head_label_to_string (AttnHeadLabel label)
{
  return ae_head_label_to_string ((AeHeadLabel) label);
}
