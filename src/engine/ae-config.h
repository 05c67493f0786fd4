/* ae-config.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The shape and options of a model, from its config.json, and the
 * architecture description (ae-arch.h) they select.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "ae-arch.h"
#include "ae-status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum
{
  AE_ROPE_SCALING_NONE,
  AE_ROPE_SCALING_LINEAR,     /* positions divided by factor */
  AE_ROPE_SCALING_LLAMA3,     /* Llama 3.1's frequency-dependent stretch */
} AeRopeScaling;

typedef struct
{
  AeArch arch;                /* the family's description, adjusted by the options below */

  size_t n_layer;             /* L */
  size_t n_head;              /* NH: query heads */
  size_t n_kv_head;           /* NKV: key/value heads; NH / NKV query heads share one */
  size_t n_embd;              /* C: d_model */
  size_t head_size;           /* hs: C / NH unless config.json's head_dim says otherwise */
  size_t n_inner;             /* the MLP's hidden width */
  size_t n_ctx;               /* the longest input */
  size_t vocab_size;          /* V */
  float  layer_norm_epsilon;  /* the norm's epsilon (LayerNorm or RMSNorm) */

  /* rotary positions (arch.position == AE_POSITION_ROTARY) */
  size_t        rotary_dim;   /* how many of a head's dimensions rotate (even, <= hs) */
  double        rope_theta;
  AeRopeScaling rope_scaling;
  double        rope_factor;
  double        rope_low_freq_factor, rope_high_freq_factor;
  double        rope_original_max_positions;

  size_t sliding_window;      /* 0: every earlier token is visible */
  bool   scale_attn_weights;  /* divide scores by sqrt(hs) (GPT-2 may turn it off) */
  bool   scale_attn_by_inverse_layer_idx; /* and by layer + 1 */
  bool   tie_word_embeddings;

  /* encoders (BERT, DistilBERT, RoBERTa) */
  size_t type_vocab_size;     /* rows of the token-type table; 0: the model has none */
  size_t pad_token_id;        /* RoBERTa's padding index */
  size_t position_offset;     /* RoBERTa: pad_token_id + 1, the position row of token 0;
                               * the position table has n_ctx + position_offset rows */
} AeConfig;

/* Reads and checks config.json.  Refuses model types, activations and
 * options the engine does not compute, naming the key and what it found:
 * a key that changes the computation is never silently ignored. */
AeStatus ae_config_load (AeConfig   *config,
                         const char *path,
                         AeError    *error);

/* The inverse frequencies of the rotary pairs, rotary_dim / 2 of them, with
 * rope_scaling applied: pair i of a token at position p turns by
 * p · inv_freq[i] radians. */
void     ae_config_rope_inv_freq (const AeConfig *config,
                                  double         *inv_freq);

#ifdef __cplusplus
}
#endif
