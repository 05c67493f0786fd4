/* ae-model-private.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model's insides, shared by its loader (ae-model.c), the tensor
 * binding (ae-weights.c) and the forward pass (ae-forward.c).
 */
#pragma once

#include <stdbool.h>

#include "ae-model.h"

struct _AeModel
{
  AeConfig        config;
  AeSafetensors **files;       /* model.safetensors, or every shard the index lists */
  size_t          n_files;
  bool            sharded;     /* the files came from model.safetensors.index.json */
  AeTokenizer    *tokenizer;
  AeDtype         dtype;       /* the dtype of the token embeddings */
  char           *dir;
  char           *name;
  size_t          n_params;

  const AeTensor *embed;       /* (V, C) in its stored dtype: rows are converted as read */
  const AeTensor *lm_head;     /* (V, C) the output head as stored: embed when tied, NULL
                                * when an untied checkpoint leaves it out (ae-logits.c) */
  const float    *wpe;         /* (n_ctx, C) learned positions, or NULL */
  AeLayerWeights *layers;      /* (L,) */
  const float    *ln_f_w;      /* (C,) */
  const float    *ln_f_b;      /* (C,) or NULL */
  double         *inv_freq;    /* (rotary_dim / 2,) or NULL */

  float          *owned;       /* converted weights, one block */
};

/* Finds every tensor the description names in model->files, checks its
 * shape against the config, refuses tensors it does not know, and points
 * the weights at float32 data (ae-weights.c). */
AeStatus ae_weights_bind (AeModel *model,
                          AeError *error);
