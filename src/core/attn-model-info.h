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

#include "ae-model.h"

G_BEGIN_DECLS

typedef struct
{
  const char *key;    /* stable, for JSON: "architecture", "n_kv_head", ... */
  char       *label;  /* translated, for people */
  char       *value;  /* formatted, for people */
} AttnModelInfoRow;

/* The rows for @model, in reading order; free with g_ptr_array_unref(). */
GPtrArray  *attn_model_info_rows       (const AeModel *model);

/* "Llama (LlamaForCausalLM-style): RMSNorm, rotary, SwiGLU": one line. */
char       *attn_model_info_summary    (const AeModel *model);

G_END_DECLS
