/* ae-logits.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the model predicts: the final norm and the LM head (tied to the
 * token embeddings or untied, as the checkpoint says) applied to rows of
 * the residual stream the forward pass hands out (AeForwardHooks.residual).
 * The last block of that stream gives the next-token distribution; the
 * earlier ones, read through the same norm and head, are the logit lens
 * (nostalgebraist 2020).  The head stays in its stored dtype and is read a
 * block of rows at a time, so a large vocabulary costs no float32 copy.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ae-model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct
{
  int32_t id;
  float   logit;
  double  probability;   /* softmax over the whole vocabulary */
} AePrediction;

/* Whether the checkpoint has an output head (an untied one may be left out). */
bool      ae_model_has_lm_head    (const AeModel  *model);

/* logits (n, V) of @n residual-stream rows @x (n, C), taken before the
 * final norm (which this applies).  AE_STATUS_UNSUPPORTED without a head,
 * AE_STATUS_NO_MEMORY when a block cannot be allocated. */
AeStatus  ae_model_logits         (const AeModel  *model,
                                   const float    *x,
                                   size_t          n,
                                   float          *logits,
                                   AeError        *error);

/* How surprised the model was by each token: out[t] = log p(ids[t] |
 * ids[0..t-1]) read from row t - 1 of the last residual block @x (T, C);
 * out[0] is NaN (nothing comes before it).  One pass over the head, with a
 * running log-sum-exp per row, so no (T, V) array is ever made. */
AeStatus  ae_model_token_logprobs (const AeModel  *model,
                                   const float    *x,
                                   const int32_t  *ids,
                                   size_t          T,
                                   float          *out,
                                   AeError        *error);

/* The @k most probable tokens of one logits row (V,), by falling
 * probability (ties: lower id first); returns how many it wrote, min(k, V). */
size_t    ae_logits_top_k         (const float    *logits,
                                   size_t          V,
                                   size_t          k,
                                   AePrediction   *out);

/* log Σ exp(logits), in double. */
double    ae_logits_logsumexp     (const float    *logits,
                                   size_t          V);

#ifdef __cplusplus
}
#endif
