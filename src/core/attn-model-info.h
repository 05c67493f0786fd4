/* attn-model-info.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A model summarised for people: architecture, size, heads and key/value
 * heads, positions, norm, MLP, dtype, tokenizer.  `attention-cli info` and
 * the app's About This Model dialog show the same rows.
 */
#pragma once

#include <glib.h>
#include <jansson.h>

#include "attn-engine.h"

G_BEGIN_DECLS

typedef struct
{
  const char *key;    /* stable, for JSON: "architecture", "n_kv_head", ... */
  char       *label;  /* translated, for people */
  char       *value;  /* formatted, for people */
} AttnModelInfoRow;

/* The rows for @engine's model, in reading order; free with
 * g_ptr_array_unref(). */
GPtrArray  *attn_model_info_rows       (AttnEngine *engine);

/* "Llama (LlamaForCausalLM-style): RMSNorm, rotary, SwiGLU": one line. */
char       *attn_model_info_summary    (AttnEngine *engine);

/* The facts `attention-cli info --format json` prints, under stable keys
 * (model, directory, n_layer, n_head, n_embd, d_head, n_ctx, vocab_size,
 * dtype, n_params, layer_norm_epsilon, adds_bos, architecture, n_kv_head,
 * head_size, positions, rotary_dim, rope_theta, sliding_window, norm, mlp,
 * n_inner, residual, tie_word_embeddings, tokenizer, threads).  (transfer
 * full) */
json_t     *attn_model_info_json       (AttnEngine *engine);

G_END_DECLS
