/* attn-result-vectors.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-result-vectors"

#include "config.h"

#include <math.h>
#include <string.h>

#include "attn-engine.h"
#include "attn-result-vectors.h"

const float *
attn_result_get_vector (const AttnResult *self,
                        AttnVector        what,
                        guint             layer,
                        guint             head,
                        guint             token,
                        guint            *n_values)
{
  const AeTrace *trace;
  const float *rows = NULL;
  size_t width;

  g_return_val_if_fail (self != NULL, NULL);

  trace = attn_result_get_trace (self);
  if (trace == NULL || layer >= trace->n_layer || token >= trace->n_tokens)
    return NULL;

  switch (what)
    {
    case ATTN_VECTOR_Q:
    case ATTN_VECTOR_K:
    case ATTN_VECTOR_V:
    case ATTN_VECTOR_HEAD_OUTPUT:
      if (head >= trace->n_head)
        return NULL;
      width = trace->head_size;
      rows = what == ATTN_VECTOR_Q ? ae_trace_q (trace, layer, head)
           : what == ATTN_VECTOR_K ? ae_trace_k (trace, layer, head)
           : what == ATTN_VECTOR_V ? ae_trace_v (trace, layer, head)
           : ae_trace_head_out (trace, layer, head);
      break;
    case ATTN_VECTOR_NORMED_INPUT:
    case ATTN_VECTOR_ATTN_OUTPUT:
      width = trace->n_embd;
      rows = what == ATTN_VECTOR_NORMED_INPUT ? ae_trace_ln1 (trace, layer)
                                              : ae_trace_attn_out (trace, layer);
      break;
    default:
      g_return_val_if_reached (NULL);
    }

  /* A merged result of words keeps weights only (attn_result_merge_words). */
  if (rows == NULL || width == 0)
    return NULL;
  if (n_values != NULL)
    *n_values = (guint) width;
  return rows + (size_t) token * width;
}

const float *
attn_result_get_scores_row (const AttnResult *self,
                            guint             layer,
                            guint             head,
                            guint             query)
{
  const AeTrace *trace;
  const float *scores;

  g_return_val_if_fail (self != NULL, NULL);

  trace = attn_result_get_trace (self);
  if (trace == NULL || query >= trace->n_tokens || attn_result_get_words (self) != NULL)
    return NULL;
  scores = ae_trace_scores (trace, layer, head);
  return scores ? scores + (size_t) query * trace->n_tokens : NULL;
}

gboolean
attn_result_is_masked (const AttnResult *self,
                       guint             query,
                       guint             key)
{
  const AeTrace *trace;

  g_return_val_if_fail (self != NULL, TRUE);

  trace = attn_result_get_trace (self);
  return trace ? ae_trace_is_masked_in (trace, query, key) : key > query;
}

guint
attn_result_get_n_keys_seen (const AttnResult *self,
                             guint             query)
{
  guint n_tokens;

  g_return_val_if_fail (self != NULL, 0);

  n_tokens = attn_result_get_n_tokens (self);
  if (attn_result_is_bidirectional (self))
    return n_tokens;
  return MIN (query + 1, n_tokens);
}

gboolean
attn_result_get_shape (const AttnResult *self,
                       AttnShape        *shape)
{
  const AeTrace *trace;
  AttnEngine *engine;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (shape != NULL, FALSE);

  memset (shape, 0, sizeof *shape);
  trace = attn_result_get_trace (self);
  if (trace == NULL)
    return FALSE;

  shape->n_layer = (guint) trace->n_layer;
  shape->n_head = (guint) trace->n_head;
  shape->n_kv_head = (guint) trace->n_kv_head;
  shape->n_embd = (guint) trace->n_embd;
  shape->head_size = (guint) trace->head_size;
  shape->window = (guint) trace->window;

  /* The rest is the model's, not the trace's: only a result made by an
   * engine knows it. */
  engine = attn_result_get_engine (self);
  if (engine != NULL && attn_engine_get_model (engine) != NULL)
    {
      const AeConfig *config = ae_model_config (attn_engine_get_model (engine));

      shape->n_inner = (guint) config->n_inner;
      shape->rms_norm = config->arch.norm == AE_NORM_RMS;
      shape->parallel = config->arch.residual == AE_RESIDUAL_PARALLEL;
      shape->rotary = config->arch.position == AE_POSITION_ROTARY;
      shape->gated_mlp = config->arch.mlp == AE_MLP_SWIGLU;
    }

  return TRUE;
}

double
attn_vector_norm (const float *values,
                  guint        n)
{
  double sum = 0;

  for (guint i = 0; i < n; i++)
    sum += (double) values[i] * values[i];
  return sqrt (sum);
}
