/* attn-masked.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Masked-word predictions from an encoder's masked-LM head (attn-masked.h).
 */

#define G_LOG_DOMAIN "attn-masked"

#include "config.h"

#include <stdatomic.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ae-logits.h"
#include "attn-masked.h"

gboolean
attn_engine_has_masked_lm (AttnEngine *self)
{
  g_return_val_if_fail (ATTN_IS_ENGINE (self), FALSE);
  return ae_model_has_mlm_head (attn_engine_get_model (self));
}

const char *
attn_engine_get_mask_token (AttnEngine *self)
{
  const AeTokenizer *tok;

  g_return_val_if_fail (ATTN_IS_ENGINE (self), NULL);
  tok = ae_model_tokenizer (attn_engine_get_model (self));
  return ae_tokenizer_mask_id (tok) >= 0
         ? ae_tokenizer_token_string (tok, ae_tokenizer_mask_id (tok)) : NULL;
}

/* The head on one hidden row, its top @k appended to @out; @logits (V,)
 * is scratch. */
static AeStatus
top_k (const AeModel *model,
       const float   *hidden,
       guint          k,
       float         *logits,
       AePrediction  *top,
       GArray        *out,
       AeError       *error)
{
  size_t V = ae_model_config (model)->vocab_size, got;
  AeStatus status = ae_model_mlm_logits (model, hidden, logits, error);

  if (status != AE_STATUS_OK)
    return status;
  got = ae_logits_top_k (logits, V, k, top);
  for (size_t i = 0; i < got; i++)
    {
      AttnPrediction p = { top[i].id, attn_token_text (model, top[i].id),
                           top[i].probability, top[i].logit };

      g_array_append_val (out, p);
    }
  return AE_STATUS_OK;
}

void
_attn_masked_free (GArray *masked)
{
  if (masked == NULL)
    return;
  for (guint i = 0; i < masked->len; i++)
    g_clear_pointer (&g_array_index (masked, AttnMasked, i).predictions, g_array_unref);
  g_array_unref (masked);
}

AeStatus
_attn_masked_compute (const AeModel      *model,
                      const int32_t      *ids,
                      size_t              T,
                      const float        *hidden,
                      guint               k,
                      const AeCancelFlag *cancel,
                      GArray            **out,
                      AeError            *error)
{
  int32_t mask = ae_tokenizer_mask_id (ae_model_tokenizer (model));
  size_t C = ae_model_config (model)->n_embd, V = ae_model_config (model)->vocab_size;
  g_autofree float *logits = NULL;
  g_autofree AePrediction *top = NULL;
  GArray *masked;
  AeStatus status = AE_STATUS_OK;

  *out = NULL;
  if (!ae_model_has_mlm_head (model) || hidden == NULL)
    return AE_STATUS_OK;
  masked = g_array_new (FALSE, FALSE, sizeof (AttnMasked));
  for (size_t t = 0; t < T && status == AE_STATUS_OK; t++)
    {
      AttnMasked m = { (guint) t, NULL };

      if (mask < 0 || ids[t] != mask)
        continue;
      if (cancel != NULL && atomic_load (cancel))
        {
          status = ae_error_set (error, AE_STATUS_CANCELLED, "cancelled");
          break;
        }
      if (logits == NULL)
        {
          logits = g_try_new (float, V);
          top = g_new (AePrediction, MAX (k, 1));
          if (logits == NULL)
            {
              status = ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory for %zu logits", V);
              break;
            }
        }
      m.predictions = attn_prediction_array_new ();
      status = top_k (model, hidden + t * C, k, logits, top, m.predictions, error);
      g_array_append_val (masked, m);
    }
  if (status != AE_STATUS_OK)
    _attn_masked_free (masked);
  else
    *out = masked;
  return status;
}

/* A result of words reads its pieces' masks: a mask is a word of its
 * own (attn-words.h), so its predictions are the word's. */
static const GArray *
masked_of (const AttnResult *self)
{
  if (attn_result_get_pieces (self) != NULL)
    self = attn_result_get_pieces (self);
  return _attn_result_get_outputs (self)->masked;
}

gboolean
attn_result_has_masked_lm (const AttnResult *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return masked_of (self) != NULL;
}

guint
attn_result_get_n_masks (const AttnResult *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return masked_of (self) != NULL ? masked_of (self)->len : 0;
}

guint
attn_result_get_mask_position (const AttnResult *self,
                               guint             i)
{
  g_return_val_if_fail (i < attn_result_get_n_masks (self), 0);
  return (guint) attn_result_index_of_token (self, (int) g_array_index (masked_of (self), AttnMasked, i).position);
}

const GArray *
attn_result_get_mask_predictions (const AttnResult *self,
                                  guint             i)
{
  g_return_val_if_fail (i < attn_result_get_n_masks (self), NULL);
  return g_array_index (masked_of (self), AttnMasked, i).predictions;
}

GArray *
attn_result_predict_masked (const AttnResult *self,
                            guint             position,
                            guint             k,
                            GError          **error)
{
  const AeTrace *trace;
  const AeModel *model;
  g_autoptr(GArray) out = NULL;
  g_autofree float *logits = NULL;
  g_autofree AePrediction *top = NULL;
  AeError ae_error = { 0 };

  g_return_val_if_fail (self != NULL, NULL);
  trace = attn_result_get_trace (self);
  if (!attn_result_has_masked_lm (self) || trace == NULL || trace->hidden == NULL)
    {
      g_set_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_UNSUPPORTED,
                   _("This model cannot fill in masked words: it has no masked-LM head "
                     "(a …ForMaskedLM checkpoint has one), or only its first layers ran"));
      return NULL;
    }
  if (position >= attn_result_get_n_tokens (self))
    {
      g_set_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID,
                   _("Token %u is past the %u tokens of the text"), position,
                   attn_result_get_n_tokens (self));
      return NULL;
    }
  model = attn_engine_get_model (attn_result_get_engine (self));
  logits = g_try_new (float, ae_model_config (model)->vocab_size);
  top = g_new (AePrediction, MAX (k, 1));
  out = attn_prediction_array_new ();
  if (logits == NULL)
    ae_error_set (&ae_error, AE_STATUS_NO_MEMORY, "out of memory for the logits");
  if (!_attn_status_to_error (logits == NULL ? AE_STATUS_NO_MEMORY
                              : top_k (model, trace->hidden + (gsize) position * trace->n_embd,
                                       k, logits, top, out, &ae_error),
                              &ae_error, error))
    return NULL;
  return g_steal_pointer (&out);
}
