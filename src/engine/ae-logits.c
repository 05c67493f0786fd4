/* ae-logits.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ae-logits.h"
#include "ae-model-private.h"
#include "ae-ops.h"

/* Rows of the head converted and multiplied at once: big enough for the
 * GEMM to pay, small enough (256 · C floats) to stay in cache. */
#define BLOCK_ROWS 256

bool
ae_model_has_lm_head (const AeModel *model)
{
  return model->lm_head != NULL;
}

static AeStatus
no_head (const AeModel *model,
         AeError       *error)
{
  return ae_error_set (error, AE_STATUS_UNSUPPORTED,
                       "the checkpoint has no output head (%s.weight): it shows attention "
                       "but cannot predict tokens",
                       model->config.arch.names->lm_head ? model->config.arch.names->lm_head
                                                         : "lm_head");
}

/* Rows [first, first + n) of the head as float32: in place when the file
 * stores aligned float32, else converted into @buf (n, C). */
static const float *
head_rows (const AeModel *model,
           size_t         first,
           size_t         n,
           float         *buf)
{
  AeTensor rows = *model->lm_head;
  size_t C = model->config.n_embd, size = ae_dtype_size (rows.dtype);

  rows.data = (const char *) rows.data + first * C * size;
  if (rows.dtype == AE_DTYPE_F32 && (uintptr_t) rows.data % sizeof (float) == 0)
    return rows.data;
  rows.n_elements = n * C;
  rows.n_bytes = n * C * size;
  rows.n_dims = 2;
  rows.shape[0] = n;
  rows.shape[1] = C;
  ae_tensor_to_f32 (&rows, buf);
  return buf;
}

/* The final norm of @n rows, as the forward pass applies it. */
static void
final_norm (const AeModel *model,
            const float   *x,
            size_t         n,
            float         *out)
{
  const AeConfig *cfg = &model->config;

  if (cfg->arch.norm == AE_NORM_RMS)
    ae_rmsnorm (out, x, model->ln_f_w, n, cfg->n_embd, cfg->layer_norm_epsilon);
  else
    ae_layernorm (out, x, model->ln_f_w, model->ln_f_b, n, cfg->n_embd, cfg->layer_norm_epsilon);
}

/* Calls @block for every block of head rows with the logits of all @n
 * normed rows for it: (n, count), row-major. */
typedef void (*BlockFunc) (const float *block_logits,
                           size_t       n,
                           size_t       first,
                           size_t       count,
                           void        *data);

static AeStatus
for_each_block (const AeModel *model,
                const float   *x,
                size_t         n,
                BlockFunc      block,
                void          *data,
                AeError       *error)
{
  size_t C = model->config.n_embd, V = model->config.vocab_size;
  float *normed, *buf, *out;

  if (model->lm_head == NULL)
    return no_head (model, error);
  if (n == 0)
    return AE_STATUS_OK;

  /* normed (n, C), buf (BLOCK_ROWS, C) converted rows, out (n, BLOCK_ROWS) */
  normed = malloc ((n * C + BLOCK_ROWS * C + n * BLOCK_ROWS) * sizeof (float));
  if (normed == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY,
                         "out of memory for the logits of %zu positions", n);
  buf = normed + n * C;
  out = buf + BLOCK_ROWS * C;

  final_norm (model, x, n, normed);
  for (size_t first = 0; first < V; first += BLOCK_ROWS)
    {
      size_t count = V - first < BLOCK_ROWS ? V - first : BLOCK_ROWS;
      const float *w = head_rows (model, first, count, buf);

      /* out (n, count) = normed (n, C) · w (count, C)ᵀ */
      ae_linear_t (out, normed, w, NULL, n, C, count);
      block (out, n, first, count, data);
    }
  free (normed);
  return AE_STATUS_OK;
}

typedef struct
{
  float  *logits;
  size_t  V;
} CopyData;

static void
copy_block (const float *block_logits,
            size_t       n,
            size_t       first,
            size_t       count,
            void        *data)
{
  CopyData *d = data;

  for (size_t r = 0; r < n; r++)
    memcpy (d->logits + r * d->V + first, block_logits + r * count, count * sizeof (float));
}

AeStatus
ae_model_logits (const AeModel *model,
                 const float   *x,
                 size_t         n,
                 float         *logits,
                 AeError       *error)
{
  CopyData d = { logits, model->config.vocab_size };

  return for_each_block (model, x, n, copy_block, &d, error);
}

typedef struct
{
  const int32_t *targets;   /* (n,) the token each row predicts */
  double        *max;       /* (n,) running maximum */
  double        *sum;       /* (n,) Σ exp(logit - max) so far */
  double        *target;    /* (n,) the target's logit */
} LogSumExpData;

static void
logsumexp_block (const float *block_logits,
                 size_t       n,
                 size_t       first,
                 size_t       count,
                 void        *data)
{
  LogSumExpData *d = data;

  for (size_t r = 0; r < n; r++)
    {
      const float *row = block_logits + r * count;
      double m = d->max[r];

      for (size_t i = 0; i < count; i++)
        if (row[i] > m)
          m = row[i];
      d->sum[r] *= exp (d->max[r] - m);
      for (size_t i = 0; i < count; i++)
        d->sum[r] += exp ((double) row[i] - m);
      d->max[r] = m;
      if ((size_t) d->targets[r] >= first && (size_t) d->targets[r] < first + count)
        d->target[r] = row[d->targets[r] - (int32_t) first];
    }
}

AeStatus
ae_model_token_logprobs (const AeModel *model,
                         const float   *x,
                         const int32_t *ids,
                         size_t         T,
                         float         *out,
                         AeError       *error)
{
  size_t n = T > 0 ? T - 1 : 0;
  LogSumExpData d;
  double *block;
  AeStatus status;

  if (T == 0)
    return model->lm_head != NULL ? AE_STATUS_OK : no_head (model, error);
  out[0] = NAN;
  if (n == 0)
    return model->lm_head != NULL ? AE_STATUS_OK : no_head (model, error);

  block = malloc (3 * n * sizeof (double));
  if (block == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY,
                         "out of memory for the probabilities of %zu tokens", T);
  d.targets = ids + 1;
  d.max = block;
  d.sum = block + n;
  d.target = block + 2 * n;
  for (size_t r = 0; r < n; r++)
    {
      d.max[r] = -INFINITY;
      d.sum[r] = 0.0;
      d.target[r] = NAN;
    }
  /* rows 0 .. T - 2 predict tokens 1 .. T - 1 */
  status = for_each_block (model, x, n, logsumexp_block, &d, error);
  if (status == AE_STATUS_OK)
    for (size_t r = 0; r < n; r++)
      out[r + 1] = (float) (d.target[r] - d.max[r] - log (d.sum[r]));
  free (block);
  return status;
}

double
ae_logits_logsumexp (const float *logits,
                     size_t       V)
{
  double m = -INFINITY, sum = 0.0;

  for (size_t i = 0; i < V; i++)
    if (logits[i] > m)
      m = logits[i];
  for (size_t i = 0; i < V; i++)
    sum += exp ((double) logits[i] - m);
  return m + log (sum);
}

/* Does (logit a, id a) rank before (logit b, id b)? */
static inline bool
ranks_before (float   a,
              int32_t id_a,
              float   b,
              int32_t id_b)
{
  return a > b || (a == b && id_a < id_b);
}

size_t
ae_logits_top_k (const float  *logits,
                 size_t        V,
                 size_t        k,
                 AePrediction *out)
{
  double lse = ae_logits_logsumexp (logits, V);
  size_t n = 0;

  if (k > V)
    k = V;
  /* Insertion into the sorted top k: O(V·k) at worst, and k is a handful. */
  for (size_t i = 0; i < V && k > 0; i++)
    {
      size_t at;

      if (n == k && !ranks_before (logits[i], (int32_t) i, out[k - 1].logit, out[k - 1].id))
        continue;
      at = n < k ? n++ : k - 1;
      while (at > 0 && ranks_before (logits[i], (int32_t) i, out[at - 1].logit, out[at - 1].id))
        {
          out[at] = out[at - 1];
          at--;
        }
      out[at].id = (int32_t) i;
      out[at].logit = logits[i];
    }
  for (size_t j = 0; j < n; j++)
    out[j].probability = exp ((double) out[j].logit - lse);
  return n;
}
