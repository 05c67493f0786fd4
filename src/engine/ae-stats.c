/* ae-stats.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <string.h>

#include "ae-stats.h"

/* How far back "nearby" reaches. */
#define LOCAL_WINDOW 3

/* The induction label needs this many repeated tokens: on a sentence with
 * one repeated word a head can land on the right key by chance. */
#define INDUCTION_MIN_ROWS 4
/* Weight on the earlier next token that earns the label (issue 18's target:
 * chance on a 30-token repeated sequence is about 4 %). */
#define INDUCTION_MIN_WEIGHT 0.3

void
ae_head_stats_compute (const float *weights,
                       size_t       T,
                       AeHeadStats *out)
{
  double key_total_best = -1.0;

  memset (out, 0, sizeof *out);
  if (weights == NULL || T < 2)
    return;

  out->n_rows = T - 1;
  for (size_t q = 1; q < T; q++)
    {
      const float *row = weights + q * T;
      double entropy = 0.0, distance = 0.0;
      size_t argmax = 0;

      for (size_t k = 0; k <= q; k++)
        {
          double w = row[k];

          if (w > 0.0)
            entropy -= w * log (w);
          distance += w * (double) (q - k);
          if (q - k <= LOCAL_WINDOW)
            out->local += w;
          if (row[k] > row[argmax])
            argmax = k;
        }

      out->prev += row[q - 1];
      out->first += row[0];
      out->self += row[q];
      out->entropy_norm += entropy / log ((double) (q + 1));
      out->mean_distance += distance;
      if (argmax == q - 1)
        out->prev_argmax += 1.0;
    }

  out->prev /= out->n_rows;
  out->first /= out->n_rows;
  out->self /= out->n_rows;
  out->local /= out->n_rows;
  out->entropy_norm /= out->n_rows;
  out->mean_distance /= out->n_rows;
  out->prev_argmax /= out->n_rows;

  /* Key 0 is already "first"; the most attended of the others names what a
   * "specific tokens" head looks at. */
  for (size_t k = 1; k < T; k++)
    {
      double total = 0.0;

      for (size_t q = k; q < T; q++)
        total += weights[q * T + k];
      total /= (double) (T - k);
      if (total > key_total_best)
        {
          key_total_best = total;
          out->top_key = k;
          out->top_key_weight = total;
        }
    }
}

void
ae_head_stats_compute_tokens (const float   *weights,
                              const int32_t *ids,
                              size_t         T,
                              AeHeadStats   *out)
{
  ae_head_stats_compute (weights, T, out);
  if (weights == NULL || ids == NULL || T < 2)
    return;

  /* Quadratic in T like the matrix itself; T is at most the context. */
  for (size_t q = 3; q < T; q++)
    {
      double on_next = 0.0;
      int repeated = 0;

      for (size_t j = 0; j + 3 <= q; j++)
        if (ids[j] == ids[q])
          {
            on_next += weights[q * T + j + 1];
            repeated = 1;
          }
      if (repeated)
        {
          out->induction += on_next;
          out->n_repeat_rows++;
        }
    }
  if (out->n_repeat_rows > 0)
    out->induction /= (double) out->n_repeat_rows;
}

AeHeadLabel
ae_head_label (const AeHeadStats *stats)
{
  if (stats == NULL || stats->n_rows == 0)
    return AE_HEAD_LABEL_NONE;

  /* First: on repeated text an induction head may also lean on the first
   * token or on its neighbours, but looking up what came next is the rarer
   * and more telling behaviour. */
  if (stats->n_repeat_rows >= INDUCTION_MIN_ROWS && stats->induction >= INDUCTION_MIN_WEIGHT)
    return AE_HEAD_LABEL_INDUCTION;
  if (stats->prev >= 0.4 && stats->prev >= stats->first && stats->prev >= stats->self)
    return AE_HEAD_LABEL_PREVIOUS;
  if (stats->first >= 0.5)
    return AE_HEAD_LABEL_FIRST;
  if (stats->self >= 0.4)
    return AE_HEAD_LABEL_SELF;
  if (stats->local >= 0.6)
    return AE_HEAD_LABEL_NEARBY;
  if (stats->entropy_norm >= 0.7)
    return AE_HEAD_LABEL_BROAD;
  return AE_HEAD_LABEL_SPECIFIC;
}

void
ae_encoder_head_stats_compute (const float        *weights,
                               const uint8_t      *roles,
                               const uint32_t     *word,
                               size_t              T,
                               AeEncoderHeadStats *out)
{
  double key_best = -1.0;

  memset (out, 0, sizeof *out);
  if (weights == NULL || T < 2)
    return;

  out->n_rows = T;
  for (size_t q = 0; q < T; q++)
    {
      const float *row = weights + q * T;
      double entropy = 0.0, pieces = 0.0;
      int split = 0;

      for (size_t k = 0; k < T; k++)
        {
          double w = row[k];

          if (w > 0.0)
            entropy -= w * log (w);
          if (roles != NULL && roles[k] == AE_TOKEN_ROLE_CLS)
            out->cls += w;
          else if (roles != NULL && roles[k] == AE_TOKEN_ROLE_SEP)
            out->sep += w;
          if (word != NULL && k != q && word[k] == word[q]
              && (roles == NULL || roles[k] == AE_TOKEN_ROLE_WORD))
            {
              pieces += w;
              split = 1;
            }
        }
      out->self += row[q];
      if (q + 1 < T)
        out->next += row[q + 1];
      if (q > 0)
        out->prev += row[q - 1];
      out->entropy_norm += entropy / log ((double) T);
      if (split)
        {
          out->same_word += pieces;
          out->n_piece_rows++;
        }
    }

  out->cls /= (double) T;
  out->sep /= (double) T;
  out->self /= (double) T;
  out->next /= (double) (T - 1);
  out->prev /= (double) (T - 1);
  out->entropy_norm /= (double) T;
  if (out->n_piece_rows > 0)
    out->same_word /= (double) out->n_piece_rows;

  /* [CLS] and [SEP] have figures of their own; the most attended of the
   * text's tokens names what a "specific token" head looks at. */
  for (size_t k = 0; k < T; k++)
    {
      double total = 0.0;

      if (roles != NULL && roles[k] != AE_TOKEN_ROLE_WORD)
        continue;
      for (size_t q = 0; q < T; q++)
        total += weights[q * T + k];
      total /= (double) T;
      if (total > key_best)
        {
          key_best = total;
          out->top_key = k;
          out->top_key_weight = total;
        }
    }
}

AeHeadLabel
ae_encoder_head_label (const AeEncoderHeadStats *stats)
{
  if (stats == NULL || stats->n_rows < 2)
    return AE_HEAD_LABEL_NONE;

  /* The specials first: BERT parks a head's weight on [SEP] when the head
   * has nothing to do (Clark et al.), which outweighs any pattern left. */
  if (stats->sep >= 0.5)
    return AE_HEAD_LABEL_SEP;
  if (stats->cls >= 0.5)
    return AE_HEAD_LABEL_CLS;
  if (stats->next >= 0.4 && stats->next >= stats->prev && stats->next >= stats->self)
    return AE_HEAD_LABEL_NEXT;
  if (stats->prev >= 0.4 && stats->prev >= stats->self)
    return AE_HEAD_LABEL_PREVIOUS;
  /* two split tokens at least: one word in two pieces */
  if (stats->n_piece_rows >= 2 && stats->same_word >= 0.4)
    return AE_HEAD_LABEL_SAME_WORD;
  if (stats->self >= 0.4)
    return AE_HEAD_LABEL_SELF;
  if (stats->entropy_norm >= 0.7)
    return AE_HEAD_LABEL_BROAD;
  return AE_HEAD_LABEL_SPECIFIC;
}

const char *
ae_head_label_to_string (AeHeadLabel label)
{
  switch (label)
    {
    case AE_HEAD_LABEL_PREVIOUS: return "previous token";
    case AE_HEAD_LABEL_FIRST:    return "first token (sink)";
    case AE_HEAD_LABEL_SELF:     return "self";
    case AE_HEAD_LABEL_NEARBY:   return "nearby tokens";
    case AE_HEAD_LABEL_BROAD:    return "broad";
    case AE_HEAD_LABEL_SPECIFIC: return "specific tokens";
    case AE_HEAD_LABEL_INDUCTION: return "induction";
    case AE_HEAD_LABEL_SEP:      return "[SEP]";
    case AE_HEAD_LABEL_CLS:      return "[CLS]";
    case AE_HEAD_LABEL_NEXT:     return "next token";
    case AE_HEAD_LABEL_SAME_WORD: return "same word";
    case AE_HEAD_LABEL_NONE:
    case AE_HEAD_LABEL_COUNT:
    default:                     return "none";
    }
}
