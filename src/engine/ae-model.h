/* ae-model.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A model loaded from a Hugging Face directory (config.json, model.safetensors
 * or its shards, the tokenizer files) and its forward pass, which records
 * every head in an AeTrace.  The architecture (GPT-2, Llama, Mistral, Qwen2,
 * GPT-NeoX) is a description in the config (ae-arch.h) read by one pass.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ae-ablation.h"
#include "ae-config.h"
#include "ae-matrix.h"
#include "ae-safetensors.h"
#include "ae-status.h"
#include "ae-tokenizer.h"
#include "ae-trace.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _AeModel AeModel;

/* One block's parameters, named after GPT-2's (C = n_embd, Q = NH·hs,
 * KV = NKV·hs, F = n_inner).  Norms and biases are float32; matrices are as
 * the checkpoint stores them (AeMatrix: float32, or F16/BF16 widened as a
 * product needs them, see ae-matrix.h).  Matrices are (in, out),
 * y = x·W + b, when the description's linear_out_in is false (GPT-2's
 * Conv1D), and (out, in), y = x·Wᵀ + b, when it is true (torch Linear).  A
 * bias the architecture does not have is NULL, a matrix {NULL}. */
typedef struct
{
  const float *ln_1_w, *ln_1_b;     /* (C,) the norm before attention */
  AeMatrix     c_attn_w;            /* fused q|k|v (GPT-2, NeoX; see AeQkvLayout) */
  const float *c_attn_b;            /* (Q + 2KV,) */
  AeMatrix     q_w, k_w, v_w;       /* separate projections (Llama) */
  const float *q_b, *k_b, *v_b;     /* (Q,), (KV,), (KV,) */
  AeMatrix     c_proj_w;            /* Q -> C: the output projection */
  const float *c_proj_b;            /* (C,) */
  const float *ln_2_w, *ln_2_b;     /* (C,) the norm before the MLP */
  AeMatrix     c_fc_w;              /* C -> F: fc (GELU) or up (SwiGLU) */
  const float *c_fc_b;              /* (F,) */
  AeMatrix     gate_w;              /* C -> F: SwiGLU's gate */
  AeMatrix     mlp_proj_w;          /* F -> C: proj / down */
  const float *mlp_proj_b;          /* (C,) */
} AeLayerWeights;

typedef enum
{
  AE_PART_Q,
  AE_PART_K,
  AE_PART_V,
} AeQkvPart;

/* Loads and validates everything in @dir.  On failure the error names the
 * file and what is wrong with it. */
AeStatus              ae_model_load      (AeModel              **out,
                                          const char            *dir,
                                          AeError               *error);
void                  ae_model_free      (AeModel               *model);

const AeConfig       *ae_model_config    (const AeModel         *model);
const AeTokenizer    *ae_model_tokenizer (const AeModel         *model);
/* Which tokenizer files the model uses, for people: "GPT-2 byte-level BPE
 * (vocab.json, merges.txt)". */
const char           *ae_model_tokenizer_kind (const AeModel    *model);
/* The dtype the checkpoint stores its (embedding) weights in. */
AeDtype               ae_model_dtype     (const AeModel         *model);
/* The directory's base name, e.g. "gpt2" or "minigpt-en". */
const char           *ae_model_name      (const AeModel         *model);
const char           *ae_model_dir       (const AeModel         *model);
size_t                ae_model_n_params  (const AeModel         *model);
/* NULL when @layer is out of range. */
const AeLayerWeights *ae_model_layer     (const AeModel         *model,
                                          size_t                 layer);

/* One head's slice of the q, k or v projection of @layer as (C, hs) rows,
 * y = x·w + b, whatever the checkpoint's layout; @b gets zeros when the
 * architecture has no bias.  For k and v, @head is a query head: the slice
 * is that of the key/value head it shares.  @layer and @head in range. */
void                  ae_model_head_slice (const AeModel        *model,
                                           size_t                layer,
                                           AeQkvPart             part,
                                           size_t                head,
                                           float                *w,
                                           float                *b);

/* Token @id's embedding row (C,) as float32. */
void                  ae_model_embed_row (const AeModel         *model,
                                          size_t                 id,
                                          float                 *out);

/* The rotary angles' cosines and sines for positions 0 .. T - 1, as
 * ae_rope() takes them: (T, rotary_dim), cosines then sines per position.
 * Nothing to do for models without rotary positions. */
void                  ae_model_rope_table (const AeModel        *model,
                                           size_t                T,
                                           float                *cos_sin);

/* The rotary pairs' frequencies (rotary_dim / 2 of them, radians per
 * position, rope_scaling applied); NULL without rotary positions. */
const double         *ae_model_rope_freq  (const AeModel        *model);

/* Small additions to one pass, for what goes beyond looking (issue 14). */
typedef struct
{
  /* Heads switched off (ae-ablation.h); NULL: the intact model.  The trace's
   * head_out then holds what reached W_O (zeros or the mean). */
  const AeAblation *ablation;
  /* NULL, or (L + 1, T, C) floats the caller owns: row block 0 is the
   * embeddings entering layer 0, block l + 1 the residual stream after
   * layer l, block L the last one (before the final norm), which the
   * logit lens and the LM head read (ae-logits.h).  Written only when the
   * pass runs the whole stack. */
  float            *residual;
  /* (T,) each token's segment (token type: 0 for sentence A, 1 for B), or
   * NULL for all 0; each below the config's type_vocab_size (ignored by
   * models without a token-type table: DistilBERT, the decoders). */
  const int32_t    *type_ids;
} AeForwardHooks;

/* How ae_model_run() runs.  Zero-initialised it is a whole, linear pass
 * (scores and weights computed on demand: see ae-trace.h). */
typedef struct
{
  /* Layers 0 .. n_layers - 1 only (0: every layer): the attention of layer
   * l depends on no later layer, so a caller that shows the first layers
   * need not pay for the rest.  The trace has that many layers and no
   * hidden state unless it is the whole stack. */
  size_t              n_layers;
  /* Layers before this one run but are not kept: their q, k, v and the rest
   * live in one layer of scratch, and the trace holds only layers
   * first_kept_layer .. n_layers - 1 (ae-trace.h).  For a caller that reads
   * one layer's attention (attention-cli weights --layer): the trace is a
   * layer's worth instead of all of them.  Such a pass neither reuses an
   * earlier trace nor fills the residual hook (AE_STATUS_INVALID_ARGUMENT). */
  size_t              first_kept_layer;
  /* A full trace: every head's (T, T) scores and weights kept (T² floats
   * per head; what ae_model_forward() makes, for tests and short texts). */
  bool                keep_attention;
  /* Stop requests, polled before each layer and before each work item of
   * one head and a block of AE_ATTENTION_BLOCK query rows, so a pass stops
   * inside a layer: the result is AE_STATUS_CANCELLED and no trace.  Either
   * may be NULL; should_stop may be called from any of the pass's threads
   * at once. */
  const AeCancelFlag *cancel;
  bool              (*should_stop) (void *data);
  void               *stop_data;
  /* Incremental recompute: an earlier trace of this model (same n_layers,
   * any kind).  The rows of the tokens both texts start with are copied
   * from it, the others computed, their attention reading the copied k and
   * v (a KV cache); the result equals a full pass (to float rounding in
   * the projections, which may batch rows differently) and says how many
   * rows it took in n_reused.  A trace of another model or shape is
   * ignored.  The pass only reads it: the caller frees it when done. */
  const AeTrace      *reuse;
  /* Ablation and the residual stream (issue 14), or NULL.  A pass with an
   * ablation neither reuses an earlier trace nor can be reused: its rows
   * depend on which heads were off (and mean ablation on later tokens). */
  const AeForwardHooks *hooks;
} AeRunOptions;

/* Runs the forward pass over @n_tokens ids and returns a new trace in @out.
 * @options may be NULL (the defaults above).  n_tokens == 0 gives an empty
 * trace; more than n_ctx gives AE_STATUS_TOO_LONG naming the limit.  The
 * attention of each layer runs on ae_threads() threads, as do the GEMMs.
 * Thread-safe: the model is only read. */
AeStatus              ae_model_run       (const AeModel         *model,
                                          const int32_t         *ids,
                                          size_t                 n_tokens,
                                          const AeRunOptions    *options,
                                          AeTrace              **out,
                                          AeError               *error);

/* ae_model_run() for a full trace (keep_attention), with a cancel flag:
 * what every caller had before linear traces.  Prefer ae_model_run() for
 * long texts. */
AeStatus              ae_model_forward   (const AeModel         *model,
                                          const int32_t         *ids,
                                          size_t                 n_tokens,
                                          const AeCancelFlag    *cancel,
                                          AeTrace              **out,
                                          AeError               *error);

/* The same, for layers 0 .. @n_layers - 1 only (0: every layer). */
AeStatus              ae_model_forward_layers (const AeModel    *model,
                                               const int32_t    *ids,
                                               size_t            n_tokens,
                                               size_t            n_layers,
                                               const AeCancelFlag *cancel,
                                               AeTrace         **out,
                                               AeError          *error);


/* ae_model_forward_layers() with @hooks (NULL: none): a full trace.  For a
 * linear one, ae_model_run() with AeRunOptions.hooks. */
AeStatus              ae_model_forward_hooked (const AeModel    *model,
                                               const int32_t    *ids,
                                               size_t            n_tokens,
                                               size_t            n_layers,
                                               const AeForwardHooks *hooks,
                                               const AeCancelFlag *cancel,
                                               AeTrace         **out,
                                               AeError          *error);

/* Whether the checkpoint has an encoder's masked-LM head (BertForMaskedLM,
 * RobertaForMaskedLM, DistilBertForMaskedLM). */
bool                  ae_model_has_mlm_head (const AeModel      *model);

/* The masked-LM head on one token's last hidden state @hidden (C,) (the
 * last block of AeForwardHooks.residual: encoders have no final norm):
 * @logits (V,) = decoder(LayerNorm(GELU(dense(hidden)))) + bias, with the
 * decoder tied to the word embeddings.  AE_STATUS_UNSUPPORTED when the
 * model has no such head. */
AeStatus              ae_model_mlm_logits (const AeModel        *model,
                                           const float          *hidden,
                                           float                *logits,
                                           AeError              *error);

#ifdef __cplusplus
}
#endif
