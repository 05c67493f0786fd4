/* ae-arch.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An architecture as a small description over shared kernels: which norm,
 * which positional scheme, how q, k and v are laid out in the checkpoint,
 * which MLP, which residual form, and the tensor names.  The forward pass
 * (ae-forward.c) and the weight binding (ae-weights.c) read only this; no
 * family has its own copy of the pass.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum
{
  AE_FAMILY_GPT2,
  AE_FAMILY_LLAMA,      /* also SmolLM, SmolLM2, TinyLlama */
  AE_FAMILY_MISTRAL,
  AE_FAMILY_QWEN2,
  AE_FAMILY_GPT_NEOX,   /* Pythia */
  AE_FAMILY_BERT,       /* encoders from here on */
  AE_FAMILY_DISTILBERT,
  AE_FAMILY_ROBERTA,
  AE_FAMILY_COUNT
} AeFamily;

typedef enum
{
  AE_NORM_LAYER,        /* (x - mean) / sqrt(var + eps) · w + b */
  AE_NORM_RMS,          /* x / sqrt(mean(x²) + eps) · w */
} AeNorm;

typedef enum
{
  AE_POSITION_LEARNED,  /* a position-embedding table added to the input */
  AE_POSITION_ROTARY,   /* q and k rotated by their position (RoPE) */
} AePosition;

typedef enum
{
  AE_QKV_CONV1D,        /* GPT-2: one (C, 3C) matrix, y = x·W, columns q | k | v */
  AE_QKV_NEOX,          /* NeoX: one (3·NH·hs, C) Linear, rows per head: q_h, k_h, v_h */
  AE_QKV_SEPARATE,      /* Llama: q_proj, k_proj, v_proj Linears, (out, in) */
} AeQkvLayout;

typedef enum
{
  AE_MLP_GELU_TANH,     /* fc, GELU (tanh form, "gelu_new"), proj */
  AE_MLP_GELU_ERF,      /* fc, GELU (exact, erf form, "gelu"), proj */
  AE_MLP_SWIGLU,        /* down(silu(gate(x)) ⊙ up(x)) */
} AeMlp;

typedef enum
{
  AE_RESIDUAL_SEQUENTIAL, /* x += attn(norm1(x)); x += mlp(norm2(x)) */
  AE_RESIDUAL_PARALLEL,   /* x += attn(norm1(x)) + mlp(norm2(x)), both from the same x */
  AE_RESIDUAL_POST_NORM,  /* BERT: x = norm1(x + attn(x)); x = norm2(x + mlp(x)) */
} AeResidual;

/* Where a token's learned position comes from. */
typedef enum
{
  AE_POSITIONS_FROM_ZERO,        /* token t reads row t */
  AE_POSITIONS_PAST_PADDING,     /* RoBERTa: rows start at pad_token_id + 1; padding reads row pad_token_id */
} AePositionIds;

/* Tensor names, printf formats taking the layer index, without ".weight" /
 * ".bias" and without the model's prefix ("transformer.", "model.",
 * "gpt_neox."), which the binding tries in turn.  NULL: not in this family. */
typedef struct
{
  const char *embed;        /* token embeddings (V, C) */
  const char *pos_embed;    /* learned positions (n_ctx, C) */
  const char *final_norm;
  const char *lm_head;      /* untied output head: counted, never converted */
  const char *norm1, *norm2;
  const char *qkv;          /* fused layouts */
  const char *q, *k, *v;    /* separate layout */
  const char *out;
  const char *up, *gate, *down;
  /* encoders */
  const char *token_type;   /* segment (token type) embeddings (type_vocab_size, C) */
  const char *embed_norm;   /* LayerNorm over the summed embeddings */
  const char *mlm_dense;    /* masked-LM head: dense (C, C), activation, */
  const char *mlm_norm;     /* LayerNorm, then the decoder tied to embed, */
  const char *mlm_bias;     /* plus this ".bias" (V,) */
  const char *mlm_decoder;  /* the tied decoder's copy some checkpoints store (ignored) */
} AeTensorNames;

typedef struct
{
  AeFamily             family;
  const char          *name;          /* "GPT-2", "Llama", ... for people */
  AeNorm               norm;
  AePosition           position;
  AeQkvLayout          qkv;
  AeMlp                mlp;
  AeResidual           residual;
  bool                 linear_out_in; /* matrices stored (out, in) (torch Linear), not (in, out) */
  bool                 norm_bias;     /* norms carry a bias */
  bool                 qkv_bias;
  bool                 out_bias;
  bool                 mlp_bias;
  bool                 bidirectional; /* encoders: no causal mask, every token sees every token */
  AePositionIds        position_ids;
  const AeTensorNames *names;
} AeArch;

/* The description of @family, before config.json's options (biases,
 * residual form, activation) are applied: ae_config_load() copies it into
 * the config and adjusts the copy. */
const AeArch *ae_arch_for_family   (AeFamily        family);

/* BERT, DistilBERT, RoBERTa: bidirectional encoders. */
static inline bool
ae_arch_is_encoder (const AeArch *arch)
{
  return arch->bidirectional;
}

/* The family config.json's "model_type" names ("gpt2", "llama", ...);
 * false when it is none of them. */
bool          ae_arch_family_from_model_type (const char *model_type,
                                              AeFamily   *family);

/* Human words for the views and `info`: "RMSNorm", "rotary (RoPE)", ... */
const char   *ae_norm_to_string     (AeNorm          norm);
const char   *ae_position_to_string (AePosition      position);
const char   *ae_mlp_to_string      (AeMlp           mlp);
const char   *ae_residual_to_string (AeResidual      residual);

#ifdef __cplusplus
}
#endif
