/* ae-arch.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The families as descriptions.  Each is a handful of choices and the
 * names its checkpoints use; everything they share (kernels, the pass, the
 * trace) lives elsewhere.  Written from the published architectures:
 * GPT-2 (Radford et al. 2019), Llama (Touvron et al. 2023) and its
 * descendants Mistral and Qwen2, GPT-NeoX (Black et al. 2022), and the
 * encoders BERT (Devlin et al. 2019), DistilBERT (Sanh et al. 2019) and
 * RoBERTa (Liu et al. 2019).
 */

#include <string.h>

#include "ae-arch.h"

static const AeTensorNames gpt2_names = {
  .embed = "wte", .pos_embed = "wpe", .final_norm = "ln_f", .lm_head = "lm_head",
  .norm1 = "h.%zu.ln_1", .norm2 = "h.%zu.ln_2",
  .qkv = "h.%zu.attn.c_attn", .out = "h.%zu.attn.c_proj",
  .up = "h.%zu.mlp.c_fc", .down = "h.%zu.mlp.c_proj",
};

static const AeTensorNames llama_names = {
  .embed = "embed_tokens", .final_norm = "norm", .lm_head = "lm_head",
  .norm1 = "layers.%zu.input_layernorm", .norm2 = "layers.%zu.post_attention_layernorm",
  .q = "layers.%zu.self_attn.q_proj", .k = "layers.%zu.self_attn.k_proj",
  .v = "layers.%zu.self_attn.v_proj", .out = "layers.%zu.self_attn.o_proj",
  .up = "layers.%zu.mlp.up_proj", .gate = "layers.%zu.mlp.gate_proj",
  .down = "layers.%zu.mlp.down_proj",
};

static const AeTensorNames neox_names = {
  .embed = "embed_in", .final_norm = "final_layer_norm", .lm_head = "embed_out",
  .norm1 = "layers.%zu.input_layernorm", .norm2 = "layers.%zu.post_attention_layernorm",
  .qkv = "layers.%zu.attention.query_key_value", .out = "layers.%zu.attention.dense",
  .up = "layers.%zu.mlp.dense_h_to_4h", .down = "layers.%zu.mlp.dense_4h_to_h",
};

/* BERT's embeddings and blocks, shared by BERT and RoBERTa. */
#define BERT_BLOCK_NAMES \
  .embed = "embeddings.word_embeddings", .pos_embed = "embeddings.position_embeddings", \
  .token_type = "embeddings.token_type_embeddings", .embed_norm = "embeddings.LayerNorm", \
  .norm1 = "encoder.layer.%zu.attention.output.LayerNorm", \
  .norm2 = "encoder.layer.%zu.output.LayerNorm", \
  .q = "encoder.layer.%zu.attention.self.query", .k = "encoder.layer.%zu.attention.self.key", \
  .v = "encoder.layer.%zu.attention.self.value", \
  .out = "encoder.layer.%zu.attention.output.dense", \
  .up = "encoder.layer.%zu.intermediate.dense", .down = "encoder.layer.%zu.output.dense"

/* BertModel's names; BertForMaskedLM adds "bert." before them and its head
 * under "cls.predictions.". */
static const AeTensorNames bert_names = {
  BERT_BLOCK_NAMES,
  .mlm_dense = "cls.predictions.transform.dense",
  .mlm_norm = "cls.predictions.transform.LayerNorm", .mlm_bias = "cls.predictions",
};

/* RoBERTa is BERT's block under "roberta." with its own head names. */
static const AeTensorNames roberta_names = {
  BERT_BLOCK_NAMES,
  .mlm_dense = "lm_head.dense", .mlm_norm = "lm_head.layer_norm", .mlm_bias = "lm_head",
};

/* DistilBERT: no token types, its own names, head "vocab_*". */
static const AeTensorNames distilbert_names = {
  .embed = "embeddings.word_embeddings", .pos_embed = "embeddings.position_embeddings",
  .embed_norm = "embeddings.LayerNorm",
  .norm1 = "transformer.layer.%zu.sa_layer_norm",
  .norm2 = "transformer.layer.%zu.output_layer_norm",
  .q = "transformer.layer.%zu.attention.q_lin", .k = "transformer.layer.%zu.attention.k_lin",
  .v = "transformer.layer.%zu.attention.v_lin", .out = "transformer.layer.%zu.attention.out_lin",
  .up = "transformer.layer.%zu.ffn.lin1", .down = "transformer.layer.%zu.ffn.lin2",
  .mlm_dense = "vocab_transform", .mlm_norm = "vocab_layer_norm", .mlm_bias = "vocab_projector",
};

/* The encoders' common choices. */
#define ENCODER \
  .norm = AE_NORM_LAYER, .position = AE_POSITION_LEARNED, .qkv = AE_QKV_SEPARATE, \
  .mlp = AE_MLP_GELU_ERF, .residual = AE_RESIDUAL_POST_NORM, \
  .linear_out_in = true, .norm_bias = true, \
  .qkv_bias = true, .out_bias = true, .mlp_bias = true, .bidirectional = true

static const AeArch archs[AE_FAMILY_COUNT] = {
  [AE_FAMILY_GPT2] = {
    .family = AE_FAMILY_GPT2, .name = "GPT-2",
    .norm = AE_NORM_LAYER, .position = AE_POSITION_LEARNED, .qkv = AE_QKV_CONV1D,
    .mlp = AE_MLP_GELU_TANH, .residual = AE_RESIDUAL_SEQUENTIAL,
    .linear_out_in = false, .norm_bias = true,
    .qkv_bias = true, .out_bias = true, .mlp_bias = true,
    .names = &gpt2_names,
  },
  /* Llama: RMSNorm, RoPE on every dimension, separate q/k/v with grouped
   * k/v heads, SwiGLU, no biases unless config.json asks for them. */
  [AE_FAMILY_LLAMA] = {
    .family = AE_FAMILY_LLAMA, .name = "Llama",
    .norm = AE_NORM_RMS, .position = AE_POSITION_ROTARY, .qkv = AE_QKV_SEPARATE,
    .mlp = AE_MLP_SWIGLU, .residual = AE_RESIDUAL_SEQUENTIAL,
    .linear_out_in = true, .norm_bias = false,
    .qkv_bias = false, .out_bias = false, .mlp_bias = false,
    .names = &llama_names,
  },
  /* Mistral is Llama with a sliding attention window. */
  [AE_FAMILY_MISTRAL] = {
    .family = AE_FAMILY_MISTRAL, .name = "Mistral",
    .norm = AE_NORM_RMS, .position = AE_POSITION_ROTARY, .qkv = AE_QKV_SEPARATE,
    .mlp = AE_MLP_SWIGLU, .residual = AE_RESIDUAL_SEQUENTIAL,
    .linear_out_in = true, .norm_bias = false,
    .qkv_bias = false, .out_bias = false, .mlp_bias = false,
    .names = &llama_names,
  },
  /* Qwen2 is Llama with biases on q, k and v (not on o). */
  [AE_FAMILY_QWEN2] = {
    .family = AE_FAMILY_QWEN2, .name = "Qwen2",
    .norm = AE_NORM_RMS, .position = AE_POSITION_ROTARY, .qkv = AE_QKV_SEPARATE,
    .mlp = AE_MLP_SWIGLU, .residual = AE_RESIDUAL_SEQUENTIAL,
    .linear_out_in = true, .norm_bias = false,
    .qkv_bias = true, .out_bias = false, .mlp_bias = false,
    .names = &llama_names,
  },
  /* GPT-NeoX: LayerNorm, rotary on a fraction of each head, one fused
   * Linear whose rows go head by head (q, k, v of head 0, then head 1...),
   * exact GELU, and (in most checkpoints) the parallel residual. */
  [AE_FAMILY_GPT_NEOX] = {
    .family = AE_FAMILY_GPT_NEOX, .name = "GPT-NeoX",
    .norm = AE_NORM_LAYER, .position = AE_POSITION_ROTARY, .qkv = AE_QKV_NEOX,
    .mlp = AE_MLP_GELU_ERF, .residual = AE_RESIDUAL_PARALLEL,
    .linear_out_in = true, .norm_bias = true,
    .qkv_bias = true, .out_bias = true, .mlp_bias = true,
    .names = &neox_names,
  },
  /* BERT: learned positions and token types summed and normalised, then
   * post-norm blocks (the norm after each residual sum), separate q/k/v
   * Linears with biases, exact GELU, and no mask (ENCODER). */
  [AE_FAMILY_BERT] = {
    .family = AE_FAMILY_BERT, .name = "BERT", ENCODER, .names = &bert_names,
  },
  [AE_FAMILY_DISTILBERT] = {
    .family = AE_FAMILY_DISTILBERT, .name = "DistilBERT", ENCODER, .names = &distilbert_names,
  },
  /* RoBERTa: BERT whose positions start past the padding index. */
  [AE_FAMILY_ROBERTA] = {
    .family = AE_FAMILY_ROBERTA, .name = "RoBERTa", ENCODER,
    .position_ids = AE_POSITIONS_PAST_PADDING, .names = &roberta_names,
  },
};

const AeArch *
ae_arch_for_family (AeFamily family)
{
  if ((int) family < 0 || family >= AE_FAMILY_COUNT)
    return NULL;
  return &archs[family];
}

bool
ae_arch_family_from_model_type (const char *model_type,
                                AeFamily   *family)
{
  static const struct { const char *type; AeFamily family; } types[] = {
    { "gpt2", AE_FAMILY_GPT2 },
    { "llama", AE_FAMILY_LLAMA },
    { "mistral", AE_FAMILY_MISTRAL },
    { "qwen2", AE_FAMILY_QWEN2 },
    { "gpt_neox", AE_FAMILY_GPT_NEOX },
    { "bert", AE_FAMILY_BERT },
    { "distilbert", AE_FAMILY_DISTILBERT },
    { "roberta", AE_FAMILY_ROBERTA },
  };

  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (strcmp (model_type, types[i].type) == 0)
      {
        *family = types[i].family;
        return true;
      }
  return false;
}

const char *
ae_norm_to_string (AeNorm norm)
{
  return norm == AE_NORM_RMS ? "RMSNorm" : "LayerNorm";
}

const char *
ae_position_to_string (AePosition position)
{
  return position == AE_POSITION_ROTARY ? "rotary" : "learned";
}

const char *
ae_mlp_to_string (AeMlp mlp)
{
  switch (mlp)
    {
    case AE_MLP_SWIGLU:
      return "SwiGLU";
    case AE_MLP_GELU_ERF:
      return "GELU";
    case AE_MLP_GELU_TANH:
    default:
      return "GELU (tanh)";
    }
}

const char *
ae_residual_to_string (AeResidual residual)
{
  switch (residual)
    {
    case AE_RESIDUAL_PARALLEL:
      return "parallel";
    case AE_RESIDUAL_POST_NORM:
      return "post-norm";
    case AE_RESIDUAL_SEQUENTIAL:
    default:
      return "sequential";
    }
}
