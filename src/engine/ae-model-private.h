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
  /* encoders; NULL where the model has none */
  const float    *wtt;         /* (type_vocab_size, C) token-type (segment) embeddings */
  const float    *ln_e_w;      /* (C,) LayerNorm over the summed embeddings */
  const float    *ln_e_b;
  AeMatrix        mlm_dense_w; /* (C, C) the masked-LM head's transform, (out, in) */
  const float    *mlm_dense_b; /* (C,) */
  const float    *mlm_ln_w;    /* (C,) */
  const float    *mlm_ln_b;
  const float    *mlm_bias;    /* (V,) added to the tied decoder's logits */
  double         *inv_freq;    /* (rotary_dim / 2,) or NULL */

  float          *owned;       /* converted weights, one block */
};

/* x (T, C) = the embeddings of @ids: token rows, plus the learned
 * position rows (from 0, or past RoBERTa's padding index) and token-type
 * rows of @type_ids (NULL: all 0) where the model has them, then the
 * embedding LayerNorm of an encoder (ae-embed.c).  Checks the type ids. */
AeStatus ae_model_embed_tokens (const AeModel *model,
                                const int32_t *ids,
                                const int32_t *type_ids,
                                size_t         T,
                                float         *x,
                                AeError       *error);

/* Finds every tensor the description names in model->files, checks its
 * shape against the config, refuses tensors it does not know, and points
 * the weights at float32 data (ae-weights.c). */
AeStatus ae_weights_bind (AeModel *model,
                          AeError *error);
/* Frees what binding made beside the data (the matrices' pack slots). */
void     ae_weights_unbind (AeModel *model);
