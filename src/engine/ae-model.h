/* ae-model.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GPT-2-family model loaded from a Hugging Face directory (config.json,
 * model.safetensors, vocab.json, merges.txt, optional tokenizer_config.json)
 * and its forward pass, which records every head in an AeTrace.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ae-config.h"
#include "ae-safetensors.h"
#include "ae-status.h"
#include "ae-tokenizer.h"
#include "ae-trace.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _AeModel AeModel;

/* One block's parameters as float32 (C = n_embd).  Conv1D layout: y = x·W + b. */
typedef struct
{
  const float *ln_1_w, *ln_1_b;     /* (C,) */
  const float *c_attn_w;            /* (C, 3C) columns: q | k | v, head h at h*hs */
  const float *c_attn_b;            /* (3C,) */
  const float *c_proj_w;            /* (C, C) */
  const float *c_proj_b;            /* (C,) */
  const float *ln_2_w, *ln_2_b;     /* (C,) */
  const float *c_fc_w;              /* (C, 4C) */
  const float *c_fc_b;              /* (4C,) */
  const float *mlp_proj_w;          /* (4C, C) */
  const float *mlp_proj_b;          /* (C,) */
} AeLayerWeights;

/* Loads and validates everything in @dir.  On failure the error names the
 * file and what is wrong with it. */
AeStatus              ae_model_load      (AeModel              **out,
                                          const char            *dir,
                                          AeError               *error);
void                  ae_model_free      (AeModel               *model);

const AeConfig       *ae_model_config    (const AeModel         *model);
const AeTokenizer    *ae_model_tokenizer (const AeModel         *model);
/* The dtype model.safetensors stores its weights in. */
AeDtype               ae_model_dtype     (const AeModel         *model);
/* The directory's base name, e.g. "gpt2" or "minigpt-en". */
const char           *ae_model_name      (const AeModel         *model);
const char           *ae_model_dir       (const AeModel         *model);
size_t                ae_model_n_params  (const AeModel         *model);
/* NULL when @layer is out of range. */
const AeLayerWeights *ae_model_layer     (const AeModel         *model,
                                          size_t                 layer);

/* Runs the forward pass over @n_tokens ids and returns a new trace in @out.
 * n_tokens == 0 gives an empty trace; more than n_ctx gives AE_STATUS_TOO_LONG
 * naming the limit.  @cancel may be NULL; when it becomes non-zero the pass
 * stops between layers with AE_STATUS_CANCELLED.  Thread-safe: the model is
 * only read. */
AeStatus              ae_model_forward   (const AeModel         *model,
                                          const int32_t         *ids,
                                          size_t                 n_tokens,
                                          const volatile int    *cancel,
                                          AeTrace              **out,
                                          AeError               *error);

/* The same, for layers 0 .. @n_layers - 1 only (0: every layer): the
 * attention of layer l depends on no later layer, so a caller that shows
 * the first layers need not pay for the rest.  The trace has @n_layers
 * layers. */
AeStatus              ae_model_forward_layers (const AeModel    *model,
                                               const int32_t    *ids,
                                               size_t            n_tokens,
                                               size_t            n_layers,
                                               const volatile int *cancel,
                                               AeTrace         **out,
                                               AeError          *error);

#ifdef __cplusplus
}
#endif
