/* attn-model-info.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rows of a model's summary, from its config and architecture
 * description (ae-arch.h).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "attn-model-info.h"

static void
row_free (gpointer data)
{
  AttnModelInfoRow *row = data;

  g_free (row->label);
  g_free (row->value);
  g_free (row);
}

static void
add (GPtrArray  *rows,
     const char *key,
     const char *label,
     char       *value)
{
  AttnModelInfoRow *row = g_new0 (AttnModelInfoRow, 1);

  row->key = key;
  row->label = g_strdup (label);
  row->value = value;
  g_ptr_array_add (rows, row);
}

/* "rotary (RoPE, θ = 10000, 64 of 64 dimensions, llama3 scaling ×8)" */
static char *
positions_text (const AeConfig *cfg)
{
  GString *text;

  if (cfg->arch.position != AE_POSITION_ROTARY)
    return g_strdup (_("learned position embeddings"));

  text = g_string_new (NULL);
  g_string_printf (text, _("rotary (RoPE, θ = %g, %zu of %zu dimensions per head"),
                   cfg->rope_theta, cfg->rotary_dim, cfg->head_size);
  if (cfg->rope_scaling == AE_ROPE_SCALING_LINEAR)
    g_string_append_printf (text, _(", linear scaling ×%g"), cfg->rope_factor);
  else if (cfg->rope_scaling == AE_ROPE_SCALING_LLAMA3)
    g_string_append_printf (text, _(", llama3 scaling ×%g"), cfg->rope_factor);
  g_string_append (text, ")");
  return g_string_free (text, FALSE);
}

GPtrArray *
attn_model_info_rows (const AeModel *model)
{
  const AeConfig *cfg = ae_model_config (model);
  GPtrArray *rows = g_ptr_array_new_with_free_func (row_free);
  size_t group = cfg->n_head / cfg->n_kv_head;

  add (rows, "model", _("Model"), g_strdup (ae_model_name (model)));
  add (rows, "architecture", _("Architecture"), g_strdup (cfg->arch.name));
  add (rows, "n_params", _("Parameters"), g_strdup_printf ("%zu", ae_model_n_params (model)));
  add (rows, "n_layer", _("Layers"), g_strdup_printf ("%zu", cfg->n_layer));
  add (rows, "n_head", _("Heads"), g_strdup_printf ("%zu", cfg->n_head));
  add (rows, "n_kv_head", _("Key/value heads"),
       group > 1 ? g_strdup_printf (_("%zu (grouped-query: %zu heads share each)"),
                                    cfg->n_kv_head, group)
                 : g_strdup_printf ("%zu", cfg->n_kv_head));
  add (rows, "head_size", _("Head size"), g_strdup_printf ("%zu", cfg->head_size));
  add (rows, "n_embd", _("Model width"), g_strdup_printf ("%zu", cfg->n_embd));
  add (rows, "n_ctx", _("Context"), g_strdup_printf (_("%zu tokens"), cfg->n_ctx));
  if (cfg->sliding_window > 0)
    add (rows, "sliding_window", _("Sliding window"),
         g_strdup_printf (_("%zu tokens"), cfg->sliding_window));
  add (rows, "positions", _("Positions"), positions_text (cfg));
  add (rows, "norm", _("Norm"), g_strdup (ae_norm_to_string (cfg->arch.norm)));
  add (rows, "mlp", _("MLP"), g_strdup_printf (_("%s, %zu wide"), ae_mlp_to_string (cfg->arch.mlp),
                                               cfg->n_inner));
  add (rows, "residual", _("Residual"), g_strdup (ae_residual_to_string (cfg->arch.residual)));
  add (rows, "embeddings", _("Embeddings"),
       g_strdup (cfg->tie_word_embeddings ? _("tied to the output head") : _("untied")));
  add (rows, "dtype", _("Weights"), g_strdup (ae_dtype_to_string (ae_model_dtype (model))));
  add (rows, "tokenizer", _("Tokenizer"), g_strdup (ae_model_tokenizer_kind (model)));
  return rows;
}

char *
attn_model_info_summary (const AeModel *model)
{
  const AeConfig *cfg = ae_model_config (model);

  /* Translators: architecture, norm, positions, MLP, e.g. "Llama: RMSNorm, rotary positions, SwiGLU MLP" */
  return g_strdup_printf (_("%s: %s, %s positions, %s MLP"), cfg->arch.name,
                          ae_norm_to_string (cfg->arch.norm),
                          ae_position_to_string (cfg->arch.position),
                          ae_mlp_to_string (cfg->arch.mlp));
}
