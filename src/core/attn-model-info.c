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

#include "ae-logits.h"
#include "ae-model.h"
#include "ae-threads.h"
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

/* Which output head the checkpoint has: a decoder's next-token head, an
 * encoder's masked-LM head, or none (a BertModel, RobertaModel or
 * DistilBertModel is the encoder alone).  JSON's "output_head". */
static const char *
output_head (const AeModel *model)
{
  if (ae_model_has_mlm_head (model))
    return "masked_lm";
  if (ae_model_has_lm_head (model))
    return "next_token";
  return "none";
}

/* An encoder's config says its embeddings are tied (the masked-LM
 * decoder reuses them), but a checkpoint without that head has nothing
 * to tie them to: say so rather than "tied". */
static const char *
embeddings_text (const AeModel *model)
{
  const char *head = output_head (model);

  if (g_str_equal (head, "none"))
    return _("not tied: the checkpoint has no output head");
  if (!ae_model_config (model)->tie_word_embeddings)
    return _("untied");
  if (g_str_equal (head, "masked_lm"))
    return _("tied to the masked-LM head’s decoder");
  return _("tied to the output head");
}

GPtrArray *
attn_model_info_rows (AttnEngine *engine)
{
  const AeModel *model = attn_engine_get_model (engine);
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
  add (rows, "embeddings", _("Embeddings"), g_strdup (embeddings_text (model)));
  add (rows, "dtype", _("Weights"), g_strdup (ae_dtype_to_string (ae_model_dtype (model))));
  add (rows, "tokenizer", _("Tokenizer"), g_strdup (ae_model_tokenizer_kind (model)));
  return rows;
}

char *
attn_model_info_summary (AttnEngine *engine)
{
  const AeConfig *cfg = ae_model_config (attn_engine_get_model (engine));

  /* Translators: architecture, norm, positions, MLP, e.g. "Llama: RMSNorm, rotary positions, SwiGLU MLP" */
  return g_strdup_printf (_("%s: %s, %s positions, %s MLP"), cfg->arch.name,
                          ae_norm_to_string (cfg->arch.norm),
                          ae_position_to_string (cfg->arch.position),
                          ae_mlp_to_string (cfg->arch.mlp));
}

json_t *
attn_model_info_json (AttnEngine *engine)
{
  const AeModel *model = attn_engine_get_model (engine);
  const AeConfig *config = ae_model_config (model);
  char eps[G_ASCII_DTOSTR_BUF_SIZE];
  json_t *root;

  /* The float32 epsilon as it prints (1e-05), not the double nearest it. */
  g_ascii_formatd (eps, sizeof eps, "%g", config->layer_norm_epsilon);
  root = json_pack ("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:I, s:f, s:b}",
                    "model", attn_engine_get_name (engine),
                    "directory", ae_model_dir (model),
                    "n_layer", (json_int_t) config->n_layer,
                    "n_head", (json_int_t) config->n_head,
                    "n_embd", (json_int_t) config->n_embd,
                    "d_head", (json_int_t) config->head_size,
                    "n_ctx", (json_int_t) config->n_ctx,
                    "vocab_size", (json_int_t) config->vocab_size,
                    "dtype", ae_dtype_to_string (ae_model_dtype (model)),
                    "n_params", (json_int_t) ae_model_n_params (model),
                    "layer_norm_epsilon", g_ascii_strtod (eps, NULL),
                    "adds_bos", ae_tokenizer_adds_bos (ae_model_tokenizer (model)));

  /* the architecture, as its description (ae-arch.h) has it */
  json_object_set_new (root, "architecture", json_string (config->arch.name));
  json_object_set_new (root, "n_kv_head", json_integer ((json_int_t) config->n_kv_head));
  json_object_set_new (root, "head_size", json_integer ((json_int_t) config->head_size));
  json_object_set_new (root, "positions", json_string (ae_position_to_string (config->arch.position)));
  json_object_set_new (root, "rotary_dim", json_integer ((json_int_t) config->rotary_dim));
  json_object_set_new (root, "rope_theta", config->arch.position == AE_POSITION_ROTARY
                                           ? json_real (config->rope_theta) : json_null ());
  json_object_set_new (root, "sliding_window", json_integer ((json_int_t) config->sliding_window));
  json_object_set_new (root, "norm", json_string (ae_norm_to_string (config->arch.norm)));
  json_object_set_new (root, "mlp", json_string (ae_mlp_to_string (config->arch.mlp)));
  json_object_set_new (root, "n_inner", json_integer ((json_int_t) config->n_inner));
  json_object_set_new (root, "residual", json_string (ae_residual_to_string (config->arch.residual)));
  /* tied only where there is a head to tie them to */
  json_object_set_new (root, "tie_word_embeddings",
                       json_boolean (config->tie_word_embeddings && !g_str_equal (output_head (model), "none")));
  json_object_set_new (root, "output_head", json_string (output_head (model)));
  json_object_set_new (root, "tokenizer", json_string (ae_model_tokenizer_kind (model)));
  /* the forward pass's threads (ATTENTION_THREADS, README) */
  json_object_set_new (root, "threads", json_integer (ae_threads ()));
  return root;
}
