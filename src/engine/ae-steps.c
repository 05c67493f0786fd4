/* ae-steps.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The walkthrough's numbers.  One size table, one allocation, pointer
 * carving, as in ae-trace.c.  The projections and the attention row go
 * through ae_linear() and ae_attention_head(), the forward pass's kernels.
 */

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ae-ops.h"
#include "ae-steps.h"

#define N_STEP_ARRAYS 23

static AeStatus
steps_alloc (AeSteps **out,
             size_t    T,
             size_t    C,
             size_t    hs,
             size_t    joined,
             AeError  *error)
{
  size_t sizes[N_STEP_ARRAYS];
  float **ptrs[N_STEP_ARRAYS];
  size_t total = 0, n = 0;
  AeSteps *s;
  float *p;

  if (C > SIZE_MAX / sizeof (float) / 8 / (hs > 0 ? hs : 1) ||
      T > SIZE_MAX / sizeof (float) / 8)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "the walkthrough does not fit in memory");

  s = calloc (1, sizeof *s);
  if (s == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory for the walkthrough");

#define CARVE(field, count) (sizes[n] = (count), ptrs[n++] = &s->field)
  CARVE (x, C);              /* (C,) */
  CARVE (x_key, C);          /* (C,) */
  CARVE (w_q, C * hs);       /* (C, hs) */
  CARVE (w_k, C * hs);       /* (C, hs) */
  CARVE (w_v, C * hs);       /* (C, hs) */
  CARVE (b_q, hs);
  CARVE (b_k, hs);
  CARVE (b_v, hs);
  CARVE (q, hs);
  CARVE (k, hs);
  CARVE (v, hs);
  CARVE (freq, hs / 2);
  CARVE (angle_q, hs / 2);
  CARVE (angle_k, hs / 2);
  CARVE (q_rot, hs);
  CARVE (k_rot, hs);
  CARVE (products, hs);
  CARVE (scores, T);         /* (T,) */
  CARVE (weights, T);        /* (T,) */
  CARVE (head_output, hs);
  CARVE (share, hs);
  if (joined > 0)
    {
      CARVE (heads_joined, joined);   /* (NH·hs,) */
      CARVE (attn_output, C);
    }
#undef CARVE

  for (size_t i = 0; i < n; i++)
    total += sizes[i];

  s->memory = calloc (total > 0 ? total : 1, sizeof (float));
  if (s->memory == NULL)
    {
      free (s);
      return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory for the walkthrough");
    }

  p = s->memory;
  for (size_t i = 0; i < n; i++)
    {
      *ptrs[i] = p;
      p += sizes[i];
    }

  s->n_tokens = T;
  s->n_embd = C;
  s->head_size = hs;
  s->n_head = 1;
  s->n_kv_head = 1;
  s->scale = hs > 0 ? 1.0f / sqrtf ((float) hs) : 1.0f;
  *out = s;
  return AE_STATUS_OK;
}

/* Steps 1 to 7 from the input rows @x_rows (T, C) and the slices, biases,
 * scale, window and rotary frequencies already in @s; @cos_sin (T, rot) as
 * ae_rope() takes it, or NULL without rotary positions. */
static AeStatus
steps_fill_head (AeSteps     *s,
                 const float *x_rows,
                 const float *cos_sin,
                 size_t       query,
                 size_t       key,
                 AeError     *error)
{
  size_t T = s->n_tokens, C = s->n_embd, hs = s->head_size;
  float *scratch, *qs, *ks, *vs, *sc, *wt, *ho;
  double dot = 0.0;

  /* (T, hs) x 4 for q, k, v and the head's output; (T, T) x 2 for the
   * scores and weights of every row, as ae_attention_head() wants them. */
  scratch = malloc ((4 * T * hs + 2 * T * T + 1) * sizeof (float));
  if (scratch == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory for the walkthrough");
  qs = scratch;
  ks = qs + T * hs;
  vs = ks + T * hs;
  ho = vs + T * hs;
  sc = ho + T * hs;
  wt = sc + T * T;

  /* step 1: the inputs */
  memcpy (s->x, x_rows + query * C, C * sizeof (float));
  memcpy (s->x_key, x_rows + key * C, C * sizeof (float));

  /* step 2: every token's q, k, v through this head's slices */
  ae_linear (qs, x_rows, s->w_q, s->b_q, T, C, hs);
  ae_linear (ks, x_rows, s->w_k, s->b_k, T, C, hs);
  ae_linear (vs, x_rows, s->w_v, s->b_v, T, C, hs);
  memcpy (s->q, qs + query * hs, hs * sizeof (float));
  memcpy (s->k, ks + key * hs, hs * sizeof (float));
  memcpy (s->v, vs + key * hs, hs * sizeof (float));

  /* rotary positions: every row turned by its token's angles, with the
   * forward pass's kernel and table */
  if (cos_sin != NULL && s->rotary_dim > 0)
    {
      ae_rope (qs, cos_sin, T, hs, s->rotary_dim);
      ae_rope (ks, cos_sin, T, hs, s->rotary_dim);
      for (size_t i = 0; i < s->rotary_dim / 2; i++)
        {
          s->angle_q[i] = (float) ((double) query * s->freq[i]);
          s->angle_k[i] = (float) ((double) key * s->freq[i]);
        }
    }
  memcpy (s->q_rot, qs + query * hs, hs * sizeof (float));
  memcpy (s->k_rot, ks + key * hs, hs * sizeof (float));

  /* step 3: q ⊙ k and its sum, as the dot product sees them */
  for (size_t d = 0; d < hs; d++)
    {
      s->products[d] = s->q_rot[d] * s->k_rot[d];
      dot += s->products[d];
    }
  s->dot = (float) dot;

  /* steps 4 to 7 for the whole sequence, by the forward pass's kernel
   * (an encoder's has no mask) */
  if (s->bidirectional)
    ae_attention_head_bidirectional (sc, wt, ho, qs, ks, vs, T, hs, s->scale);
  else
    ae_attention_head_ex (sc, wt, ho, qs, ks, vs, T, hs, s->scale, s->window);

  s->query = query;
  s->masked = ae_steps_is_masked (s, key);
  s->score = s->masked ? s->dot * s->scale : sc[query * T + key];
  memcpy (s->scores, sc + query * T, T * sizeof (float));
  memcpy (s->weights, wt + query * T, T * sizeof (float));
  s->weight = s->weights[key];
  memcpy (s->head_output, ho + query * hs, hs * sizeof (float));
  for (size_t d = 0; d < hs; d++)
    s->share[d] = s->weight * s->v[d];

  s->query = query;
  s->key = key;
  free (scratch);
  return AE_STATUS_OK;
}

static AeStatus
check_pair (size_t   T,
            size_t   query,
            size_t   key,
            AeError *error)
{
  if (query >= T)
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                         "query %zu is out of range: there are %zu tokens", query, T);
  if (key >= T)
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                         "key %zu is out of range: there are %zu tokens", key, T);
  return AE_STATUS_OK;
}

static void
copy_or_zero (float       *dst,
              const float *src,
              size_t       n)
{
  if (src != NULL)
    memcpy (dst, src, n * sizeof (float));
  else
    memset (dst, 0, n * sizeof (float));
}

AeStatus
ae_steps_new_for_head (AeSteps    **out,
                       const float *x_rows,
                       size_t       T,
                       size_t       C,
                       const float *w_q,
                       const float *w_k,
                       const float *w_v,
                       const float *b_q,
                       const float *b_k,
                       const float *b_v,
                       size_t       hs,
                       size_t       query,
                       size_t       key,
                       AeError     *error)
{
  AeSteps *s = NULL;
  AeStatus status;

  *out = NULL;
  if ((status = check_pair (T, query, key, error)) != AE_STATUS_OK)
    return status;

  if ((status = steps_alloc (&s, T, C, hs, 0, error)) != AE_STATUS_OK)
    return status;

  copy_or_zero (s->w_q, w_q, C * hs);
  copy_or_zero (s->w_k, w_k, C * hs);
  copy_or_zero (s->w_v, w_v, C * hs);
  copy_or_zero (s->b_q, b_q, hs);
  copy_or_zero (s->b_k, b_k, hs);
  copy_or_zero (s->b_v, b_v, hs);

  if ((status = steps_fill_head (s, x_rows, NULL, query, key, error)) != AE_STATUS_OK)
    {
      ae_steps_free (s);
      return status;
    }

  *out = s;
  return AE_STATUS_OK;
}

AeStatus
ae_steps_new (AeSteps      **out,
              const AeModel *model,
              const AeTrace *trace,
              size_t         layer,
              size_t         head,
              size_t         query,
              size_t         key,
              AeError       *error)
{
  const AeConfig *config = ae_model_config (model);
  const AeLayerWeights *lw = ae_model_layer (model, layer);
  size_t T = trace->n_tokens, C = trace->n_embd, NH = trace->n_head, hs = trace->head_size;
  size_t rot = config->arch.position == AE_POSITION_ROTARY ? config->rotary_dim : 0;
  const float *ln1;
  float *cos_sin = NULL;
  AeSteps *s = NULL;
  AeStatus status;

  *out = NULL;
  /* A trace of the first layers only (ae_model_forward_layers) serves
   * every layer it holds. */
  if (config->n_embd != C || config->n_head != NH || config->head_size != hs ||
      config->n_kv_head != trace->n_kv_head || trace->n_layer > config->n_layer)
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                         "the trace was not made by this model");
  if (layer >= trace->n_layer || lw == NULL)
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                         "layer %zu is out of range: the model has layers 0 to %zu",
                         layer, trace->n_layer - 1);
  if (head >= NH)
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                         "head %zu is out of range: the model has heads 0 to %zu", head, NH - 1);
  if ((status = check_pair (T, query, key, error)) != AE_STATUS_OK)
    return status;

  if ((status = steps_alloc (&s, T, C, hs, NH * hs, error)) != AE_STATUS_OK)
    return status;

  /* step 2's slices, whatever the checkpoint's layout (ae-weights.c) */
  ae_model_head_slice (model, layer, AE_PART_Q, head, s->w_q, s->b_q);
  ae_model_head_slice (model, layer, AE_PART_K, head, s->w_k, s->b_k);
  ae_model_head_slice (model, layer, AE_PART_V, head, s->w_v, s->b_v);

  /* the score's options, as the forward pass applies them */
  s->n_head = NH;
  s->n_kv_head = trace->n_kv_head;
  s->kv_head = ae_trace_kv_head (trace, head);
  s->window = trace->window;
  s->bidirectional = trace->bidirectional;
  s->scale = config->scale_attn_weights ? 1.0f / sqrtf ((float) hs) : 1.0f;
  if (config->scale_attn_by_inverse_layer_idx)
    s->scale /= (float) (layer + 1);
  s->norm = config->arch.norm;
  s->mlp = config->arch.mlp;
  s->rotary_dim = rot;
  if (rot > 0)
    {
      const double *freq = ae_model_rope_freq (model);

      cos_sin = malloc ((T * rot + 1) * sizeof (float));
      if (cos_sin == NULL)
        {
          ae_steps_free (s);
          return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory for the walkthrough");
        }
      ae_model_rope_table (model, T, cos_sin);
      for (size_t i = 0; i < rot / 2; i++)
        s->freq[i] = (float) freq[i];
    }

  ln1 = ae_trace_ln1 (trace, layer);
  status = steps_fill_head (s, ln1, cos_sin, query, key, error);
  free (cos_sin);
  if (status != AE_STATUS_OK)
    {
      ae_steps_free (s);
      return status;
    }
  s->layer = layer;
  s->head = head;

  /* step 8: this head's output beside the others' (from the trace), then
   * the output projection, as the forward pass joins them */
  for (size_t h = 0; h < NH; h++)
    {
      const float *src = h == head ? s->head_output
                                   : ae_trace_head_out (trace, layer, h) + query * hs;

      memcpy (s->heads_joined + h * hs, src, hs * sizeof (float));
    }
  ae_matrix_linear (s->attn_output, s->heads_joined, lw->c_proj_w, lw->c_proj_b, 1, NH * hs, C,
                    config->arch.linear_out_in);

  *out = s;
  return AE_STATUS_OK;
}

void
ae_steps_free (AeSteps *steps)
{
  if (steps == NULL)
    return;
  free (steps->memory);
  free (steps);
}

const char *
ae_step_to_string (AeStep step)
{
  static const char *const names[AE_STEP_COUNT] = {
    [AE_STEP_INPUT] = "Input",
    [AE_STEP_PROJECT] = "Project to Q, K, V",
    [AE_STEP_ROTATE] = "Rotate by position",
    [AE_STEP_DOT] = "Dot product",
    [AE_STEP_SCALE] = "Scale",
    [AE_STEP_MASK] = "Mask",
    [AE_STEP_SOFTMAX] = "Softmax",
    [AE_STEP_VALUES] = "Weighted sum of values",
    [AE_STEP_HEADS] = "Heads joined",
  };

  if ((int) step < 0 || step >= AE_STEP_COUNT)
    return NULL;
  return names[step];
}
