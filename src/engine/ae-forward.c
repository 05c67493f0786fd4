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
 * positions, as the dot product uses them), v and output are kept in an
 * AeTrace; its scores and weights only when the caller asks for a full
 * trace (a linear one computes them again on demand, ae-trace.h).
 *
 * Attention runs as work items of one head and a block of query rows
 * (ae-attention.h), on all of the pool's threads, each with a block of
 * rows of scratch: no (T, T) matrix of any head exists unless the trace
 * keeps them.  The cancel flag (or callback) is polled per work item, so a
 * pass stops within one block of rows, not at the end of a layer.
 *
 * Incremental: given an earlier trace of the same model (AeRunOptions.reuse)
 * the pass copies the rows of the tokens both texts start with and computes
 * only the rest.  In a causal model nothing about a token depends on later
 * ones, so the copied rows are what a full pass would compute; the new rows
 * read the copied k and v as a KV cache does.
 *
 * Shape letters: L layers, NH query heads, NKV key/value heads, T tokens,
 * C = n_embd, hs head size, Q = NH·hs, KV = NKV·hs, F = n_inner,
 * rot = rotary dimensions, V vocab size.
 */

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "ae-attention.h"
#include "ae-model-private.h"
#include "ae-ops.h"
#include "ae-threads.h"

/* At most this many new rows after a reused prefix run on one thread. */
#define FEW_NEW_ROWS 8

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

static AeStatus
not_finite (size_t      layer,
            const char *what,
            AeError    *error)
{
  return ae_error_set (error, AE_STATUS_NOT_FINITE,
                       "layer %zu produced a number that is not finite (NaN or infinity) in %s; "
                       "the model's weights are too large for float32 arithmetic",
                       layer, what);
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
  return not_finite (layer, what, error);
}

static bool
stop_requested (const AeRunOptions *options)
{
  return ae_cancelled (options->cancel) ||
         (options->should_stop != NULL && options->should_stop (options->stop_data));
}

/* How many tokens @reuse's rows can be copied for: the common prefix of its
 * ids and @ids, when it is a trace of this model's with the same layers and
 * the same arrays; 0 otherwise. */
static size_t
reusable_prefix (const AeModel  *model,
                 const AeTrace  *reuse,
                 const int32_t  *ids,
                 size_t          T,
                 size_t          L,
                 bool            hidden)
{
  size_t P = 0;

  /* an encoder's rows depend on every token, later ones too */
  if (reuse == NULL || model->config.arch.bidirectional ||
      reuse->origin != (const void *) model || reuse->ids == NULL ||
      reuse->n_layer != L || reuse->first_layer != 0 || (reuse->hidden != NULL) != hidden)
    return 0;
  while (P < T && P < reuse->n_tokens && reuse->ids[P] == ids[P])
    P++;
  return P;
}

/* Copies rows 0 .. P - 1 of every array (but scores and weights) from
 * @from into @to: (L, T, C) arrays by layer, (L, heads, T, hs) by head. */
static void
copy_prefix (AeTrace       *to,
             const AeTrace *from,
             size_t         P)
{
  size_t L = to->n_layer, C = to->n_embd, hs = to->head_size;
  size_t T = to->n_tokens, T0 = from->n_tokens;

  /* Layers on all threads: at T = 1,000 on GPT-2 small this is 258 MB,
   * a keystroke's largest cost after mapping the new trace, and one thread
   * does not reach the memory's bandwidth. */
#pragma omp parallel for schedule(dynamic, 1)
  for (size_t l = 0; l < L; l++)
    {
      float *rows_to[] = { to->ln1, to->attn_out, to->resid };
      const float *rows_from[] = { from->ln1, from->attn_out, from->resid };

      for (size_t a = 0; a < 3; a++)
        memcpy (rows_to[a] + l * T * C, rows_from[a] + l * T0 * C, P * C * sizeof (float));
      for (size_t h = 0; h < to->n_head; h++)
        {
          memcpy (to->q + (l * to->n_head + h) * T * hs, from->q + (l * to->n_head + h) * T0 * hs,
                  P * hs * sizeof (float));
          memcpy (to->head_out + (l * to->n_head + h) * T * hs,
                  from->head_out + (l * to->n_head + h) * T0 * hs, P * hs * sizeof (float));
        }
      for (size_t g = 0; g < to->n_kv_head; g++)
        {
          memcpy (to->k + (l * to->n_kv_head + g) * T * hs, from->k + (l * to->n_kv_head + g) * T0 * hs,
                  P * hs * sizeof (float));
          memcpy (to->v + (l * to->n_kv_head + g) * T * hs, from->v + (l * to->n_kv_head + g) * T0 * hs,
                  P * hs * sizeof (float));
        }
    }
  if (to->hidden != NULL)
    memcpy (to->hidden, from->hidden, P * C * sizeof (float));
}

/* One layer's arrays: the trace's for a kept layer, the spare layer of
 * scratch for one the pass runs but does not keep (resid NULL: nothing
 * reads it; scores and weights NULL unless kept in a full trace). */
typedef struct
{
  float *ln1, *q, *k, *v, *head_out, *attn_out, *resid;   /* (T, C), (NH, T, hs), (NKV, T, hs) ... */
  float *scores, *weights;                                  /* (NH, T, T) or NULL */
} LayerArrays;

static LayerArrays
layer_arrays (AeTrace *trace,
              size_t   l,
              float   *spare)
{
  size_t T = trace->n_tokens, C = trace->n_embd, hs = trace->head_size;
  size_t Q = trace->n_head * hs, KV = trace->n_kv_head * hs, kl = l - trace->first_layer;
  LayerArrays a = { 0 };

  if (!ae_trace_has_layer (trace, l))
    {
      a.ln1 = spare;
      a.q = a.ln1 + T * C;
      a.k = a.q + T * Q;
      a.v = a.k + T * KV;
      a.head_out = a.v + T * KV;
      a.attn_out = a.head_out + T * Q;
      return a;
    }
  a.ln1 = trace->ln1 + kl * T * C;
  a.q = trace->q + kl * T * Q;
  a.k = trace->k + kl * T * KV;
  a.v = trace->v + kl * T * KV;
  a.head_out = trace->head_out + kl * T * Q;
  a.attn_out = trace->attn_out + kl * T * C;
  a.resid = trace->resid + kl * T * C;
  if (ae_trace_keeps_attention (trace))
    {
      a.scores = trace->scores + kl * trace->n_head * T * T;
      a.weights = trace->weights + kl * trace->n_head * T * T;
    }
  return a;
}

/* One layer's attention over rows lo .. T - 1 (lo = P, or 0 when the trace
 * keeps every head's attention: then the rows before P are computed for the
 * trace only), as work items of one head and a block of rows; the heads'
 * outputs of rows P .. T - 1 land in the layer's arrays and joined in atty
 * (rows from P).  Returns false when stopped; *bad is set when a weight is
 * not finite. */
static bool
attention_layer (const AeConfig     *cfg,
                 const AeTrace      *trace,
                 const LayerArrays  *a,
                 size_t              l,
                 size_t              P,
                 float              *atty,
                 float              *rows,
                 const AeRunOptions *options,
                 const AeAblation   *ablation,
                 bool               *bad)
{
  size_t NH = cfg->n_head, NKV = cfg->n_kv_head, hs = cfg->head_size, T = trace->n_tokens;
  size_t Q = NH * hs, group = NH / NKV, B = AE_ATTENTION_BLOCK, window = trace->window;
  bool keep = a->weights != NULL;
  size_t lo = keep ? 0 : P;
  size_t first_block = lo / B, n_blocks = (T + B - 1) / B - first_block;
  size_t n_items = NH * n_blocks;
  float scale = trace->layer_scale[l];
  atomic_bool stopped = false, not_fin = false;

  if (T == lo)
    return true;

  /* Late blocks first: they are the largest, and the small ones at the end
   * even out the threads.  Dynamic, because on a busy machine one thread may
   * stall for a time slice. */
#pragma omp parallel for schedule(dynamic, 1)
  for (size_t it = 0; it < n_items; it++)
    {
      size_t h = it % NH, b = first_block + n_blocks - 1 - it / NH;
      size_t r0 = b * B > lo ? b * B : lo, r1 = (b + 1) * B < T ? (b + 1) * B : T;
      const float *q_h = a->q + h * T * hs;
      const float *k_h = a->k + (h / group) * T * hs, *v_h = a->v + (h / group) * T * hs;
      float *w, *s = NULL;

      if (atomic_load_explicit (&stopped, memory_order_relaxed))
        continue;
      if (stop_requested (options))
        {
          atomic_store (&stopped, true);
          continue;
        }

      if (keep)
        {
          w = a->weights + (h * T + r0) * T;
          s = a->scores + (h * T + r0) * T;
        }
      else
        w = rows + (size_t) omp_get_thread_num () * B * T;
      ae_attention_rows (s, T, w, T, q_h, k_h, hs, T, r0, r1, scale, window, trace->bidirectional);
      for (size_t i = r0; i < r1; i++)
        {
          size_t seen = trace->bidirectional ? T : i + 1;

          if (ae_first_non_finite (w + (i - r0) * T, seen) != seen)
            atomic_store (&not_fin, true);
        }

      /* the rows the pass computes (not those only kept for the trace) */
      if (r1 > P)
        {
          size_t a0 = r0 > P ? r0 : P;
          float *out = a->head_out + (h * T + a0) * hs;

          ae_attention_values (out, hs, w + (a0 - r0) * T, T, v_h, hs, a0, r1, window, T,
                               trace->bidirectional);
          for (size_t i = a0; i < r1; i++)
            memcpy (atty + (i - P) * Q + h * hs, out + (i - a0) * hs, hs * sizeof (float));
        }
    }

  if (atomic_load (&stopped))
    return false;
  *bad = atomic_load (&not_fin);

  /* Heads switched off (issue 14): their whole output replaced (the mean
   * is over every position, so only once all blocks are done), then joined
   * again. */
  for (size_t h = 0; h < NH && ablation != NULL; h++)
    if (ae_ablation_has (ablation, l, h))
      {
        float *out = a->head_out + h * T * hs;

        ae_ablation_apply (ablation->kind, out, T, hs);
        for (size_t i = P; i < T; i++)
          memcpy (atty + (i - P) * Q + h * hs, out + i * hs, hs * sizeof (float));
      }
  return true;
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

AeStatus
ae_model_forward_layers (const AeModel      *model,
                         const int32_t      *ids,
                         size_t              n_tokens,
                         size_t              n_layers,
                         const AeCancelFlag *cancel,
                         AeTrace           **out,
                         AeError            *error)
{
  AeRunOptions options = { .n_layers = n_layers, .keep_attention = true, .cancel = cancel };

  return ae_model_run (model, ids, n_tokens, &options, out, error);
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
  AeRunOptions options = { .n_layers = n_layers, .keep_attention = true, .cancel = cancel,
                           .hooks = hooks };

  return ae_model_run (model, ids, n_tokens, &options, out, error);
}

AeStatus
ae_model_run (const AeModel      *model,
              const int32_t      *ids,
              size_t              n_tokens,
              const AeRunOptions *options,
              AeTrace           **out,
              AeError            *error)
{
  /* convenience variables */
  static const AeRunOptions defaults = { 0 };
  const AeRunOptions *o = options != NULL ? options : &defaults;
  const AeConfig *cfg = &model->config;
  size_t NH = cfg->n_head, NKV = cfg->n_kv_head, C = cfg->n_embd, hs = cfg->head_size;
  size_t L = o->n_layers == 0 || o->n_layers > cfg->n_layer ? cfg->n_layer : o->n_layers;
  bool whole_stack = L == cfg->n_layer;
  bool rotary = cfg->arch.position == AE_POSITION_ROTARY;
  bool swiglu = cfg->arch.mlp == AE_MLP_SWIGLU;
  bool post_norm = cfg->arch.residual == AE_RESIDUAL_POST_NORM;
  const int32_t *type_ids = o->hooks != NULL ? o->hooks->type_ids : NULL;
  size_t T = n_tokens, V = cfg->vocab_size, F = cfg->n_inner, rot = cfg->rotary_dim;
  size_t Q = NH * hs, KV = NKV * hs, P, n, n_threads;
  size_t first = o->first_kept_layer, spare_floats, rows_floats;
  float *scratch, *x, *ln, *qkv, *atty, *fch, *gate, *mlp_out, *cos_sin, *rows, *spare;
  AeTrace *trace;
  AeStatus status = AE_STATUS_OK;
  const AeAblation *ablation = o->hooks != NULL && ae_ablation_count (o->hooks->ablation) > 0
                               ? o->hooks->ablation : NULL;
  float *residual = o->hooks != NULL && whole_stack ? o->hooks->residual : NULL;

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

  if (first > 0 && (first >= L || residual != NULL))
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                         first >= L ? "the pass keeps layers from %zu on but runs only %zu"
                                    : "a pass that keeps layers from %zu on (of %zu) has no whole residual stream",
                         first, L);

  trace = ae_trace_alloc (L, first, NH, NKV, T, C, hs,
                          (o->keep_attention ? AE_TRACE_KEEP_ATTENTION : 0) |
                          (whole_stack ? AE_TRACE_HIDDEN : 0));
  if (trace != NULL)
    trace->ids = malloc ((T > 0 ? T : 1) * sizeof (int32_t));
  if (trace == NULL || trace->ids == NULL)
    {
      ae_trace_free (trace);
      return ae_error_set (error, AE_STATUS_NO_MEMORY,
                           "out of memory for the attention of %zu tokens", T);
    }
  trace->window = cfg->sliding_window;
  trace->bidirectional = cfg->arch.bidirectional;
  trace->origin = ablation == NULL ? model : NULL;   /* an ablated pass is not reused */
  if (T > 0)
    memcpy (trace->ids, ids, T * sizeof (int32_t));
  for (size_t l = 0; l < L; l++)
    {
      float scale = cfg->scale_attn_weights ? 1.0f / sqrtf ((float) hs) : 1.0f;

      trace->layer_scale[l] = cfg->scale_attn_by_inverse_layer_idx ? scale / (float) (l + 1) : scale;
    }

  if (T == 0)
    {
      *out = trace;
      return AE_STATUS_OK;
    }

  /* the engine's thread count, for this thread's OpenMP regions and oneDNN */
  ae_threads_apply ();
  n_threads = (size_t) omp_get_max_threads ();

  /* the rows both texts start with come from the earlier trace (all of
   * whose layers the new rows read) */
  P = ablation == NULL && first == 0 ? reusable_prefix (model, o->reuse, ids, T, L, whole_stack) : 0;
  if (P > 0)
    copy_prefix (trace, o->reuse, P);
  trace->n_reused = P;
  n = T - P;

  /* One scratch block per call (so concurrent calls share nothing), for
   * the n new rows: x (n, C) residual stream, ln (n, C) the second norm's
   * output, mlp_out (n, C), qkv (n, Q + 2KV) projections, atty (n, Q)
   * joined heads, fch (n, F) MLP hidden, gate (n, F) for SwiGLU only,
   * cos_sin (T, rot), a block of attention rows (B, T) per thread
   * unless the trace keeps them all, and with layers not kept a spare layer
   * for them: ln1 (T, C), q (T, Q), k, v (T, KV), head_out (T, Q),
   * attn_out (T, C). */
  spare_floats = first > 0 ? T * (2 * C + 2 * Q + 2 * KV) : 0;
  rows_floats = o->keep_attention && first == 0 ? 0 : n_threads * AE_ATTENTION_BLOCK * T;
  scratch = malloc ((n * (3 * C + Q + 2 * KV + Q + (swiglu ? 2 : 1) * F) + T * rot +
                     rows_floats + spare_floats + 1) * sizeof (float));
  if (scratch == NULL)
    {
      ae_trace_free (trace);
      return ae_error_set (error, AE_STATUS_NO_MEMORY,
                           "out of memory for the forward pass of %zu tokens", T);
    }
  x = scratch;
  ln = x + n * C;
  mlp_out = ln + n * C;
  qkv = mlp_out + n * C;
  atty = qkv + n * (Q + 2 * KV);
  fch = atty + n * Q;
  gate = swiglu ? fch + n * F : NULL;
  cos_sin = fch + n * F * (swiglu ? 2 : 1);
  rows = cos_sin + T * rot;
  spare = rows + rows_floats;

  /* token embeddings, plus learned positions and token types where the
   * model has them (ae-embed.c); after a reused prefix (decoders only: no
   * token types, positions 0, 1, 2, ...) the new rows' own */
  if (P == 0)
    status = ae_model_embed_tokens (model, ids, type_ids, T, x, error);
  for (size_t t = P; P > 0 && t < T; t++)
    {
      ae_model_embed_row (model, (size_t) ids[t], x + (t - P) * C);
      if (model->wpe != NULL)
        ae_add_inplace (x + (t - P) * C, model->wpe + t * C, C);
    }
  if (status != AE_STATUS_OK)
    {
      free (scratch);
      ae_trace_free (trace);
      return status;
    }
  if (rotary)
    ae_model_rope_table (model, T, cos_sin);

  /* A keystroke's few new rows are too little work to share: on two
   * threads their one- or two-row products and attention items spent more
   * time handing work over and waiting than computing (at T = 1,000 on
   * GPT-2 small, 2.5x the CPU time of one thread, and slower).  The pass's
   * own regions run on this thread alone; the count is restored below.
   * Products with packed weights still take the count they were packed
   * under (ae_gemm_packed): oneDNN's packed copy needs it. */
  if (P > 0 && n <= FEW_NEW_ROWS)
    omp_set_num_threads (1);

  for (size_t l = 0; l < L; l++)
    {
      const AeLayerWeights *w = &model->layers[l];
      LayerArrays a = layer_arrays (trace, l, spare);
      float *l_ln1 = a.ln1 + P * C;                     /* (n, C): the new rows */
      float *l_q = a.q;                                 /* (NH, T, hs) */
      float *l_k = a.k;                                 /* (NKV, T, hs) */
      float *l_v = a.v;                                 /* (NKV, T, hs) */
      float *l_attn_out = a.attn_out + P * C;           /* (n, C) */
      bool bad = false;

      if (stop_requested (o))
        {
          status = AE_STATUS_CANCELLED;
          break;
        }

      /* the stream entering the layer, then the first norm, then every
       * head's q, k, v */
      if (a.resid != NULL)
        memcpy (a.resid + P * C, x, n * C * sizeof (float));
      if (post_norm)
        memcpy (l_ln1, x, n * C * sizeof (float));   /* post-norm blocks read x itself */
      else
        norm (cfg, l_ln1, x, w->ln_1_w, w->ln_1_b, n);
      project_qkv (cfg, w, l_ln1, qkv, n);

      /* Each head's q, k, v of the new rows copied out of the projection
       * into the trace (the copies are what the trace keeps), q and k
       * turned by the rotary angles there. */
#pragma omp parallel for schedule(static)
      for (size_t i = 0; i < NKV + NH; i++)
        {
          if (i < NKV)
            {
              float *k_g = l_k + (i * T + P) * hs, *v_g = l_v + (i * T + P) * hs;

              store_head (cfg, qkv, k_g, n, PART_K, i);
              store_head (cfg, qkv, v_g, n, PART_V, i);
              if (rotary)
                ae_rope (k_g, cos_sin + P * rot, n, hs, rot);
            }
          else
            {
              float *q_h = l_q + ((i - NKV) * T + P) * hs;

              store_head (cfg, qkv, q_h, n, PART_Q, i - NKV);
              if (rotary)
                ae_rope (q_h, cos_sin + P * rot, n, hs, rot);
            }
        }

      if (!attention_layer (cfg, trace, &a, l, P, atty, rows, o, ablation, &bad))
        {
          status = AE_STATUS_CANCELLED;
          break;
        }
      if (bad)
        {
          status = not_finite (l, "its attention weights", error);
          break;
        }

      /* heads joined in atty: output projection */
      linear (cfg, l_attn_out, atty, w->c_proj_w, w->c_proj_b, n, Q, C);
      if ((status = check_layer_finite (l_attn_out, n * C, l, "its attention output", error)))
        break;

      /* The last layer asked for needs no MLP: no attention reads it. */
      if (!whole_stack && l + 1 == L)
        break;

      if (post_norm)
        {
          /* post-norm (BERT): x = norm1(x + attn); x = norm2(x + mlp(x)) */
          ae_add_inplace (x, l_attn_out, n * C);
          norm (cfg, x, x, w->ln_1_w, w->ln_1_b, n);
          mlp (cfg, w, mlp_out, x, fch, gate, n);
          ae_add_inplace (x, mlp_out, n * C);
          norm (cfg, x, x, w->ln_2_w, w->ln_2_b, n);
        }
      else
        {
          /* residual: sequential adds attention before the second norm
           * reads x; parallel feeds both branches the same x */
          if (cfg->arch.residual == AE_RESIDUAL_SEQUENTIAL)
            ae_add_inplace (x, l_attn_out, n * C);
          norm (cfg, ln, x, w->ln_2_w, w->ln_2_b, n);
          if (cfg->arch.residual == AE_RESIDUAL_PARALLEL)
            ae_add_inplace (x, l_attn_out, n * C);

          mlp (cfg, w, mlp_out, ln, fch, gate, n);
          ae_add_inplace (x, mlp_out, n * C);
        }
      if ((status = check_layer_finite (x, n * C, l, "its MLP output", error)))
        break;
    }

  ae_threads_apply ();
  if (status == AE_STATUS_CANCELLED)
    ae_error_set (error, AE_STATUS_CANCELLED, "the forward pass was cancelled");
  if (status != AE_STATUS_OK)
    {
      free (scratch);
      ae_trace_free (trace);
      return status;
    }

  /* the stream after the last layer: the final norm (decoders) and the LM
   * or masked-LM head read it */
  if (whole_stack)
    memcpy (trace->hidden + P * C, x, n * C * sizeof (float));
  /* the residual hook (issue 14): the stream entering each layer, then the
   * last one, all rows (a reused prefix included) */
  if (residual != NULL)
    {
      memcpy (residual, trace->resid, L * T * C * sizeof (float));
      memcpy (residual + L * T * C, trace->hidden, T * C * sizeof (float));
    }

  free (scratch);
  *out = trace;
  return AE_STATUS_OK;
}
