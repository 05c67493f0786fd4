/* attn-sample.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-sample"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ae-logits.h"
#include "ae-sample.h"
#include "attn-predictions.h"
#include "attn-sample.h"

AeSampleParams
_attn_sample_params (const AttnSampleParams *params)
{
  return (AeSampleParams) { params->temperature, params->top_k, params->top_p };
}

void
attn_rng_seed (AttnRng *rng,
               guint64  seed)
{
  AeRng state;

  g_return_if_fail (rng != NULL);
  ae_rng_seed (&state, seed);
  rng->state = state.state;
}

gboolean
attn_engine_generate (AttnEngine             *engine,
                      const char             *text,
                      guint                   n_tokens,
                      const AttnSampleParams *params,
                      guint64                 seed,
                      const AttnAblation     *heads_off,
                      GArray                **prompt_ids,
                      GArray                **new_ids,
                      char                  **out_text,
                      GError                **error)
{
  const AeModel *model;
  const AeConfig *cfg;
  AeSampleParams sample = _attn_sample_params (params);
  AttnRunOptions off = { 0 };
  const AeAblation *ablation;
  size_t L, C, V;
  AeTokens tokens = { 0 };
  AeError ae_error = { 0 };
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) fresh = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GString) continuation = g_string_new (NULL);
  g_autofree float *logits = NULL;
  AeRng rng;
  guint n_prompt;

  g_return_val_if_fail (ATTN_IS_ENGINE (engine), FALSE);
  g_return_val_if_fail (text != NULL && params != NULL, FALSE);

  model = attn_engine_get_model (engine);
  cfg = ae_model_config (model);
  attn_run_options_set_ablation (&off, heads_off);
  ablation = off.ablation;
  L = cfg->n_layer;
  C = cfg->n_embd;
  V = cfg->vocab_size;
  logits = g_new (float, V);
  if (!ae_model_has_lm_head (model))
    return _attn_status_to_error (ae_model_logits (model, NULL, 0, NULL, &ae_error), &ae_error, error);
  if (!_attn_status_to_error (ae_tokenizer_encode (ae_model_tokenizer (model), text, strlen (text),
                                                   &tokens, &ae_error), &ae_error, error))
    return FALSE;
  g_array_append_vals (ids, tokens.ids, tokens.n_tokens);
  ae_tokens_clear (&tokens);
  n_prompt = ids->len;
  if (n_prompt == 0)
    {
      g_set_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID,
                   _("There is no text to continue: the text has no tokens"));
      return FALSE;
    }
  if (n_prompt > cfg->n_ctx)
    {
      g_set_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_TOO_LONG,
                   _("The text is %u tokens long, but the model reads at most %zu"),
                   n_prompt, cfg->n_ctx);
      return FALSE;
    }

  ae_rng_seed (&rng, seed);
  /* One whole pass per token: no key/value cache, the same pass the views
   * show, so a continuation is exactly what the pictures would predict. */
  for (guint i = 0; i < n_tokens && ids->len < cfg->n_ctx; i++)
    {
      size_t T = ids->len;
      g_autofree float *residual = NULL;
      AeStatus status;
      int32_t next;

      status = _attn_run_residual (model, (const int32_t *) ids->data, T, ablation, NULL, NULL, NULL,
                                   &residual, &ae_error);
      if (status == AE_STATUS_OK)
        status = ae_model_logits (model, residual + (L * T + T - 1) * C, 1, logits, &ae_error);
      if (status == AE_STATUS_OK)
        status = ae_sample (logits, V, &sample, &rng, &next, &ae_error);
      if (!_attn_status_to_error (status, &ae_error, error))
        return FALSE;
      g_array_append_val (ids, next);
      g_array_append_val (fresh, next);
    }

  /* the new tokens' bytes joined first: byte-level pieces of one character
   * make it whole only together */
  for (guint i = 0; i < fresh->len; i++)
    {
      size_t n = 0;
      const char *bytes = ae_tokenizer_token_bytes (ae_model_tokenizer (model),
                                                    g_array_index (fresh, gint32, i), &n);

      if (bytes != NULL)
        g_string_append_len (continuation, bytes, (gssize) n);
    }
  {
    g_autofree char *valid = g_utf8_make_valid (continuation->str, (gssize) continuation->len);

    *out_text = g_strconcat (text, valid, NULL);
  }
  g_array_set_size (ids, n_prompt);
  *prompt_ids = g_steal_pointer (&ids);
  *new_ids = g_steal_pointer (&fresh);
  return TRUE;
}
