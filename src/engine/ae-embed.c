/* ae-embed.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ends of the pass that differ between decoders and encoders: the
 * input embeddings (token rows, learned positions numbered as the family
 * numbers them, token types, an embedding LayerNorm) and an encoder's
 * masked-LM head.  The description (ae-arch.h) and config.json decide
 * which parts a model has; the weights are NULL where it has none.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ae-model-private.h"
#include "ae-ops.h"

/* The position-table row of token @t: t, or for RoBERTa the count of
 * non-padding tokens up to and including it past pad_token_id (a padding
 * token reads row pad_token_id), as RoBERTa's create_position_ids does. */
static size_t
position_row (const AeConfig *cfg,
              const int32_t  *ids,
              size_t          t,
              size_t         *n_real)
{
  if (cfg->arch.position_ids != AE_POSITIONS_PAST_PADDING)
    return t;
  if ((size_t) ids[t] == cfg->pad_token_id)
    return cfg->pad_token_id;
  return cfg->pad_token_id + ++*n_real;
}

AeStatus
ae_model_embed_tokens (const AeModel *model,
                       const int32_t *ids,
                       const int32_t *type_ids,
                       size_t         T,
                       float         *x,
                       AeError       *error)
{
  const AeConfig *cfg = &model->config;
  size_t C = cfg->n_embd, n_real = 0, n_types = cfg->type_vocab_size;

  /* A model without a token-type table (DistilBERT, the decoders) has
   * nothing to add: segments only mark the pair for the views. */
  if (model->wtt == NULL)
    type_ids = NULL;
  for (size_t t = 0; type_ids != NULL && t < T; t++)
    if (type_ids[t] < 0 || (size_t) type_ids[t] >= n_types)
      return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                           "token %zu has token type %ld; this model has %zu token type%s",
                           t, (long) type_ids[t], n_types, n_types == 1 ? "" : "s");

  for (size_t t = 0; t < T; t++)
    {
      float *xt = x + t * C;

      ae_model_embed_row (model, (size_t) ids[t], xt);
      if (model->wpe != NULL)
        ae_add_inplace (xt, model->wpe + position_row (cfg, ids, t, &n_real) * C, C);
      if (model->wtt != NULL)
        ae_add_inplace (xt, model->wtt + (type_ids != NULL ? (size_t) type_ids[t] : 0) * C, C);
    }
  if (model->ln_e_w != NULL)
    ae_layernorm (x, x, model->ln_e_w, model->ln_e_b, T, C, cfg->layer_norm_epsilon);
  return AE_STATUS_OK;
}

bool
ae_model_has_mlm_head (const AeModel *model)
{
  return model->mlm_dense_w.data != NULL && model->mlm_bias != NULL;
}

AeStatus
ae_model_mlm_logits (const AeModel *model,
                     const float   *hidden,
                     float         *logits,
                     AeError       *error)
{
  const AeConfig *cfg = &model->config;
  size_t C = cfg->n_embd, V = cfg->vocab_size;
  float *h, *row;

  if (!ae_model_has_mlm_head (model))
    return ae_error_set (error, AE_STATUS_UNSUPPORTED,
                         "this %s checkpoint has no masked-LM head (a ...ForMaskedLM "
                         "checkpoint has one)", cfg->arch.name);

  h = malloc (2 * C * sizeof (float));
  if (h == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory");
  row = h + C;

  /* transform: dense, the model's GELU, LayerNorm */
  ae_matrix_linear (h, hidden, model->mlm_dense_w, model->mlm_dense_b, 1, C, C, true);
  /* RoBERTa's head always uses the erf GELU, the others the model's */
  if (cfg->arch.mlp == AE_MLP_GELU_TANH && cfg->arch.family != AE_FAMILY_ROBERTA)
    ae_gelu_new (h, h, C);
  else
    ae_gelu (h, h, C);
  ae_layernorm (h, h, model->mlm_ln_w, model->mlm_ln_b, 1, C, cfg->layer_norm_epsilon);

  /* decoder tied to the word embeddings, read a row at a time in their
   * stored dtype, plus the head's own bias */
  for (size_t v = 0; v < V; v++)
    {
      double dot = 0.0;

      ae_model_embed_row (model, v, row);
      for (size_t i = 0; i < C; i++)
        dot += (double) h[i] * row[i];
      logits[v] = (float) dot + model->mlm_bias[v];
    }
  free (h);
  return AE_STATUS_OK;
}
