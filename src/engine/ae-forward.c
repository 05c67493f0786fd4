/* ae-forward.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The forward pass, one for every architecture: the description
 * (ae-arch.h) picks the norm, the positional scheme, where each head's q, k
 * and v sit in the projection, the MLP and the residual form; everything
 * else is shared.  It follows llm.c: one scratch allocation per call,
 * carved into arrays with shape comments, and a loop over layers that is a
 * flat list of kernel calls (ae-ops.h).  Every head's q, k (after rotary
 * positions, as the dot product uses them), v, scores and weights are kept
 * in an AeTrace.
 *
 * Shape letters: L layers, NH query heads, NKV key/value heads, T tokens,
 * C = n_embd, hs head size, Q = NH·hs, KV = NKV·hs, F = n_inner,
 * rot = rotary dimensions, V vocab size.
 */

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ae-model-private.h"
#include "ae-ops.h"
#include "ae-threads.h"

void
ae_model_rope_table (const AeModel *model,
                     size_t         T,
                     float         *cos_sin)
{
  size_t rot = model->config.rotary_dim, half = rot / 2;

  if (model->inv_freq == NULL)
    return;
  /* Angles in double: position · frequency reaches thousands of radians
   * in long texts, where float32 would lose the low digits. */
  for (size_t t = 0; t < T; t++)
    for (size_t i = 0; i < half; i++)
      {
        double angle = (double) t * model->inv_freq[i];

        cos_sin[t * rot + i] = (float) cos (angle);
        cos_sin[t * rot + half + i] = (float) sin (angle);
      }
}

const double *
ae_model_rope_freq (const AeModel *model)
{
  return model->inv_freq;
}

static void
norm (const AeConfig *cfg,
      float          *out,
      const float    *x,
      const float    *w,
      const float    *b,
      size_t          T)
{
  if (cfg->arch.norm == AE_NORM_RMS)
    ae_rmsnorm (out, x, w, T, cfg->n_embd, cfg->layer_norm_epsilon);
  else
    ae_layernorm (out, x, w, b, T, cfg->n_embd, cfg->layer_norm_epsilon);
}

static void
linear (const AeConfig *cfg,
        float          *out,
        const float    *x,
        AeMatrix        w,
        const float    *b,
        size_t          T,
        size_t          n_in,
        size_t          n_out)
{
  ae_matrix_linear (out, x, w, b, T, n_in, n_out, cfg->arch.linear_out_in);
}

/* Where one head's q, k or v row for token 0 starts in the projection
 * output, and how far apart tokens are. */
typedef struct
{
  const float *base;
  size_t       stride;
} HeadColumns;

enum { PART_Q, PART_K, PART_V };

/* Head @h's columns of @part (q, k or v) in qkv, the projection output. */
static HeadColumns
head_columns (const AeConfig *cfg,
              const float    *qkv,
              size_t          T,
              int             part,
              size_t          h)
{
  size_t hs = cfg->head_size, Q = cfg->n_head * hs, KV = cfg->n_kv_head * hs;
  size_t at[3] = { 0, Q, Q + KV };   /* where q, k and v start in a row */

  switch (cfg->arch.qkv)
    {
    case AE_QKV_SEPARATE:
      /* three projections, one after the other in qkv */
      return (HeadColumns) { qkv + T * at[part] + h * hs, part == PART_Q ? Q : KV };
    case AE_QKV_NEOX:
      /* NeoX's rows go head by head: q, k, v of head 0, then head 1 */
      return (HeadColumns) { qkv + (3 * h + (size_t) part) * hs, 3 * Q };
    case AE_QKV_CONV1D:
    default:
      /* GPT-2: q | k | v, head h at h·hs inside each */
      return (HeadColumns) { qkv + at[part] + h * hs, Q + 2 * KV };
    }
}

/* Copies head @h's @part into its (T, hs) block of the trace. */
static void
store_head (const AeConfig *cfg,
            const float    *qkv,
            float          *dst,
            size_t          T,
            int             part,
            size_t          h)
{
  HeadColumns cols = head_columns (cfg, qkv, T, part, h);
  size_t hs = cfg->head_size;

  for (size_t t = 0; t < T; t++)
    memcpy (dst + t * hs, cols.base + t * cols.stride, hs * sizeof (float));
}

/* Projects ln (T, C) to every head's q, k and v in qkv: one GEMM on all the
 * pool's threads (or three, for separate projections). */
static void
project_qkv (const AeConfig       *cfg,
             const AeLayerWeights *w,
             const float          *ln,
             float                *qkv,
             size_t                T)
{
  size_t C = cfg->n_embd, Q = cfg->n_head * cfg->head_size, KV = cfg->n_kv_head * cfg->head_size;

  if (cfg->arch.qkv == AE_QKV_SEPARATE)
    {
      linear (cfg, qkv, ln, w->q_w, w->q_b, T, C, Q);
      linear (cfg, qkv + T * Q, ln, w->k_w, w->k_b, T, C, KV);
      linear (cfg, qkv + T * (Q + KV), ln, w->v_w, w->v_b, T, C, KV);
    }
  else
    linear (cfg, qkv, ln, w->c_attn_w, w->c_attn_b, T, C, Q + 2 * KV);
}

static void
mlp (const AeConfig       *cfg,
     const AeLayerWeights *w,
     float                *out,
     const float          *ln,
     float                *fch,
     float                *gate,
     size_t                T)
{
  size_t C = cfg->n_embd, F = cfg->n_inner;

  linear (cfg, fch, ln, w->c_fc_w, w->c_fc_b, T, C, F);
  switch (cfg->arch.mlp)
    {
    case AE_MLP_SWIGLU:
      linear (cfg, gate, ln, w->gate_w, NULL, T, C, F);
      ae_swiglu (fch, gate, fch, T * F);
      break;
    case AE_MLP_GELU_ERF:
      ae_gelu (fch, fch, T * F);
      break;
    case AE_MLP_GELU_TANH:
    default:
      ae_gelu_new (fch, fch, T * F);
      break;
    }
  linear (cfg, out, fch, w->mlp_proj_w, w->mlp_proj_b, T, F, C);
}

AeStatus
ae_model_forward (const AeModel      *model,
                  const int32_t      *ids,
                  size_t              n_tokens,
                  const AeCancelFlag *cancel,
                  AeTrace           **out,
                  AeError            *error)
{
  return ae_model_forward_layers (model, ids, n_tokens, 0, cancel, out, error);
}

/* Finite weights can still overflow (huge values, or a product of large
 * ones): a NaN would reach every later layer and show as "nan" weights.
 * The pass stops at the first layer that makes one and names it and where. */
static AeStatus
check_layer_finite (const float *values,
                    size_t       n,
                    size_t       layer,
                    const char  *what,
                    AeError     *error)
{
  if (ae_first_non_finite (values, n) == n)
    return AE_STATUS_OK;
  return ae_error_set (error, AE_STATUS_NOT_FINITE,
                       "layer %zu produced a number that is not finite (NaN or infinity) in %s; "
                       "the model's weights are too large for float32 arithmetic",
                       layer, what);
}

AeStatus
ae_model_forward_layers (const AeModel      *model,
                         const int32_t      *ids,
                         size_t              n_tokens,
                         size_t              n_layers,
                         const AeCancelFlag *cancel,
                         AeTrace           **out,
                         AeError            *error)
{
  return ae_model_forward_hooked (model, ids, n_tokens, n_layers, NULL, cancel, out, error);
}

AeStatus
ae_model_forward_hooked (const AeModel        *model,
                         const int32_t        *ids,
                         size_t                n_tokens,
                         size_t                n_layers,
                         const AeForwardHooks *hooks,
                         const AeCancelFlag   *cancel,
                         AeTrace             **out,
                         AeError              *error)
{
  /* convenience variables */
  const AeConfig *cfg = &model->config;
  size_t NH = cfg->n_head, NKV = cfg->n_kv_head, C = cfg->n_embd, hs = cfg->head_size;
  size_t L = n_layers == 0 || n_layers > cfg->n_layer ? cfg->n_layer : n_layers;
  bool whole_stack = L == cfg->n_layer;
  bool rotary = cfg->arch.position == AE_POSITION_ROTARY;
  bool post_norm = cfg->arch.residual == AE_RESIDUAL_POST_NORM;
  const int32_t *type_ids = hooks != NULL ? hooks->type_ids : NULL;
  size_t T = n_tokens, V = cfg->vocab_size, F = cfg->n_inner, rot = cfg->rotary_dim;
  size_t Q = NH * hs, KV = NKV * hs, group = NH / NKV;
  float *scratch, *x, *ln, *qkv, *atty, *fch, *gate, *mlp_out, *cos_sin;
  AeTrace *trace;
  AeStatus status = AE_STATUS_OK;
  const AeAblation *ablation = hooks != NULL ? hooks->ablation : NULL;
  float *residual = hooks != NULL && whole_stack ? hooks->residual : NULL;

  *out = NULL;

  if (T > cfg->n_ctx)
    return ae_error_set (error, AE_STATUS_TOO_LONG,
                         "the text is %zu tokens long; this model's context holds at most %zu",
                         T, cfg->n_ctx);

  for (size_t t = 0; t < T; t++)
    if (ids[t] < 0 || (size_t) ids[t] >= V)
      return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                           "token %zu has id %ld, outside the vocabulary of %zu tokens",
                           t, (long) ids[t], V);

  trace = ae_trace_new_gqa (L, NH, NKV, T, C, hs);
  if (trace == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY,
                         "out of memory for the attention of %zu tokens", T);
  trace->window = cfg->sliding_window;
  trace->bidirectional = cfg->arch.bidirectional;

  if (T == 0)
    {
      *out = trace;
      return AE_STATUS_OK;
    }

  /* One scratch block per call (so concurrent calls share nothing):
   * x (T, C) residual stream, ln (T, C) the second norm's output,
   * qkv (T, Q + 2KV) projections, atty (T, Q) joined heads, fch and gate
   * (T, F) MLP hidden, mlp_out (T, C), cos_sin (T, rot). */
  scratch = malloc (T * (3 * C + 2 * Q + 2 * KV + 2 * F + rot) * sizeof (float));
  if (scratch == NULL)
    {
      ae_trace_free (trace);
      return ae_error_set (error, AE_STATUS_NO_MEMORY,
                           "out of memory for the forward pass of %zu tokens", T);
    }
  x = scratch;
  ln = x + T * C;
  mlp_out = ln + T * C;
  qkv = mlp_out + T * C;
  atty = qkv + T * (Q + 2 * KV);
  fch = atty + T * Q;
  gate = fch + T * F;
  cos_sin = gate + T * F;

  /* the engine's thread count, for this thread's OpenMP regions and oneDNN */
  ae_threads_apply ();

  /* token embeddings, plus learned positions and token types where the
   * model has them (ae-embed.c) */
  if ((status = ae_model_embed_tokens (model, ids, type_ids, T, x, error)))
    {
      free (scratch);
      ae_trace_free (trace);
      return status;
    }
  if (rotary)
    ae_model_rope_table (model, T, cos_sin);
  if (residual != NULL)
    memcpy (residual, x, T * C * sizeof (float));

  for (size_t l = 0; l < L; l++)
    {
      const AeLayerWeights *w = &model->layers[l];
      float *l_ln1 = trace->ln1 + l * T * C;            /* (T, C) */
      float *l_q = trace->q + l * T * Q;                /* (NH, T, hs) */
      float *l_k = trace->k + l * T * KV;               /* (NKV, T, hs) */
      float *l_v = trace->v + l * T * KV;               /* (NKV, T, hs) */
      float *l_scores = trace->scores + l * NH * T * T; /* (NH, T, T) */
      float *l_weights = trace->weights + l * NH * T * T;
      float *l_head_out = trace->head_out + l * T * Q;  /* (NH, T, hs) */
      float *l_attn_out = trace->attn_out + l * T * C;  /* (T, C) */
      float scale = cfg->scale_attn_weights ? 1.0f / sqrtf ((float) hs) : 1.0f;

      if (ae_cancelled (cancel))
        {
          free (scratch);
          ae_trace_free (trace);
          return ae_error_set (error, AE_STATUS_CANCELLED, "the forward pass was cancelled");
        }

      /* the first norm (post-norm blocks read x itself), then every
       * head's q, k, v */
      if (post_norm)
        memcpy (l_ln1, x, T * C * sizeof (float));
      else
        norm (cfg, l_ln1, x, w->ln_1_w, w->ln_1_b, T);
      project_qkv (cfg, w, l_ln1, qkv, T);
      if (cfg->scale_attn_by_inverse_layer_idx)
        scale /= (float) (l + 1);

      /* The heads, in parallel on the pool (their GEMMs then run on one
       * thread each).  Each copies its q, k, v out of the projection into
       * the trace (the copies are what the trace keeps), turns q and k by
       * the rotary angles there, runs scores, causal softmax and weighted
       * sum of values, and writes its output into its columns of atty.
       * k/v heads go first: with grouped queries query head h reads k/v
       * head h / group, which another thread may fill.  Dynamic scheduling,
       * because on a busy machine one thread may stall for a time slice. */
#pragma omp parallel
      {
#pragma omp for schedule(static)
        for (size_t g = 0; g < NKV; g++)
          {
            store_head (cfg, qkv, l_k + g * T * hs, T, PART_K, g);
            store_head (cfg, qkv, l_v + g * T * hs, T, PART_V, g);
            if (rotary)
              ae_rope (l_k + g * T * hs, cos_sin, T, hs, rot);
          }

#pragma omp for schedule(dynamic, 1)
        for (size_t h = 0; h < NH; h++)
          {
            float *q_h = l_q + h * T * hs, *out_h = l_head_out + h * T * hs;

            store_head (cfg, qkv, q_h, T, PART_Q, h);
            if (rotary)
              ae_rope (q_h, cos_sin, T, hs, rot);
            if (cfg->arch.bidirectional)
              ae_attention_head_bidirectional (l_scores + h * T * T, l_weights + h * T * T,
                                               out_h, q_h, l_k + h / group * T * hs,
                                               l_v + h / group * T * hs, T, hs, scale);
            else
              ae_attention_head_ex (l_scores + h * T * T, l_weights + h * T * T, out_h,
                                    q_h, l_k + h / group * T * hs, l_v + h / group * T * hs,
                                    T, hs, scale, cfg->sliding_window);
            if (ae_ablation_has (ablation, l, h))
              ae_ablation_apply (ablation->kind, out_h, T, hs);
            for (size_t t = 0; t < T; t++)
              memcpy (atty + t * Q + h * hs, out_h + t * hs, hs * sizeof (float));
          }
      }

      /* heads joined in atty: output projection */
      linear (cfg, l_attn_out, atty, w->c_proj_w, w->c_proj_b, T, Q, C);
      if ((status = check_layer_finite (l_weights, NH * T * T, l, "its attention weights", error)) ||
          (status = check_layer_finite (l_attn_out, T * C, l, "its attention output", error)))
        break;

      /* The last layer asked for needs no MLP: no attention reads it. */
      if (!whole_stack && l + 1 == L)
        break;

      if (post_norm)
        {
          /* post-norm (BERT): x = norm1(x + attn); x = norm2(x + mlp(x)) */
          ae_add_inplace (x, l_attn_out, T * C);
          norm (cfg, x, x, w->ln_1_w, w->ln_1_b, T);
          mlp (cfg, w, mlp_out, x, fch, gate, T);
          ae_add_inplace (x, mlp_out, T * C);
          norm (cfg, x, x, w->ln_2_w, w->ln_2_b, T);
        }
      else
        {
          /* residual: sequential adds attention before the second norm
           * reads x; parallel feeds both branches the same x */
          if (cfg->arch.residual == AE_RESIDUAL_SEQUENTIAL)
            ae_add_inplace (x, l_attn_out, T * C);
          norm (cfg, ln, x, w->ln_2_w, w->ln_2_b, T);
          if (cfg->arch.residual == AE_RESIDUAL_PARALLEL)
            ae_add_inplace (x, l_attn_out, T * C);

          mlp (cfg, w, mlp_out, ln, fch, gate, T);
          ae_add_inplace (x, mlp_out, T * C);
        }
      if ((status = check_layer_finite (x, T * C, l, "its MLP output", error)))
        break;
      if (residual != NULL)
        memcpy (residual + (l + 1) * T * C, x, T * C * sizeof (float));
    }

  if (status != AE_STATUS_OK)
    {
      free (scratch);
      ae_trace_free (trace);
      return status;
    }

  /* final norm (encoders have none): the input to the LM head, which
   * attention does not need; kept so the pass is the whole block stack. */
  if (whole_stack && model->ln_f_w != NULL)
    norm (cfg, ln, x, model->ln_f_w, model->ln_f_b, T);

  free (scratch);
  *out = trace;
  return AE_STATUS_OK;
}
