/* attn-predictions.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-predictions"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ae-logits.h"
#include "attn-engine.h"
#include "attn-masked.h"
#include "attn-predictions.h"
#include "attn-sample.h"

void
_attn_run_outputs_clear (AttnRunOutputs *outputs)
{
  g_clear_pointer (&outputs->residual, g_free);
  g_clear_pointer (&outputs->logprobs, g_free);
  g_clear_pointer (&outputs->heads, g_free);
  g_clear_pointer (&outputs->masked, _attn_masked_free);
  memset (&outputs->ablation, 0, sizeof outputs->ablation);
}

AeStatus
_attn_run_residual (const AeModel      *model,
                    const int32_t      *ids,
                    size_t              T,
                    const AeAblation   *ablation,
                    const AeTrace      *reuse,
                    const AeCancelFlag *cancel,
                    AeTrace           **trace,
                    float             **residual,
                    AeError            *error)
{
  const AeConfig *cfg = ae_model_config (model);
  g_autofree float *stream = g_try_new (float, MAX ((cfg->n_layer + 1) * T * cfg->n_embd, 1));
  AeForwardHooks hooks = { ablation, stream };
  AeTrace *own = NULL;
  AeStatus status;

  *residual = NULL;
  if (stream == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY,
                         "out of memory for the residual stream of %zu tokens", T);
  /* a linear trace: each head's attention is computed when a view asks */
  status = ae_model_run (model, ids, T,
                         &(AeRunOptions) { .cancel = cancel, .hooks = &hooks, .reuse = reuse },
                         trace != NULL ? trace : &own, error);
  if (own != NULL)
    ae_trace_free (own);
  if (status == AE_STATUS_OK)
    *residual = g_steal_pointer (&stream);
  return status;
}

AeStatus
_attn_run_forward (const AeModel        *model,
                   const int32_t        *ids,
                   const int32_t        *type_ids,
                   size_t                T,
                   const AttnRunOptions *options,
                   const AeCancelFlag   *cancel,
                   AeTrace             **trace,
                   AttnRunOutputs       *outputs,
                   AeError              *error)
{
  const AeConfig *cfg = ae_model_config (model);
  size_t L = cfg->n_layer, C = cfg->n_embd, n_layers = options->n_layers;
  const AeAblation *ablation = options->ablation;
  gboolean whole = n_layers == 0 || n_layers >= L;
  gboolean predictions = !options->attention_only && options->first_layer == 0;
  AeForwardHooks hooks = { .ablation = ablation, .type_ids = type_ids };
  const AeTrace *reuse = options->reuse != NULL ? attn_result_get_trace (options->reuse) : NULL;
  const AttnRunOutputs *before = options->reuse != NULL ? _attn_result_get_outputs (options->reuse) : NULL;
  AeStatus status;

  memset (outputs, 0, sizeof *outputs);
  if (ae_ablation_count (ablation) > 0)
    {
      outputs->heads = g_memdup2 (ablation->heads, L * cfg->n_head * sizeof (bool));
      outputs->ablation = (AeAblation) { ablation->kind, L, cfg->n_head, outputs->heads };
    }
  /* The residual stream only where it can serve: the whole stack of a
   * model with a head (a large text's (L + 1, T, C) is far smaller than
   * its attention). */
  if (predictions && whole && T > 0 && ae_model_has_lm_head (model))
    status = _attn_run_residual (model, ids, T, ablation, reuse, cancel, trace, &outputs->residual, error);
  else
    status = ae_model_run (model, ids, T,
                           &(AeRunOptions) { .n_layers = n_layers, .first_kept_layer = options->first_layer,
                                             .cancel = cancel, .hooks = &hooks, .reuse = reuse },
                           trace, error);
  if (status == AE_STATUS_OK && outputs->residual != NULL)
    {
      /* Token t's probability reads the stream at t - 1 and token t: the
       * reused prefix's are the earlier result's, and only the rest cost
       * the LM head (over the whole vocabulary, it would cost a keystroke
       * more than the pass). */
      size_t P = (*trace)->n_reused, from = 0;
      float kept = NAN;

      outputs->logprobs = g_new (float, T);
      if (P > 1 && before != NULL && before->logprobs != NULL)
        {
          memcpy (outputs->logprobs, before->logprobs, P * sizeof (float));
          from = P - 1;
          kept = outputs->logprobs[from];
        }
      status = ae_model_token_logprobs (model, outputs->residual + (L * T + from) * C, ids + from,
                                        T - from, outputs->logprobs + from, error);
      outputs->logprobs[from] = kept;   /* the call writes NaN for its first token */
      if (status != AE_STATUS_OK)
        g_clear_pointer (trace, ae_trace_free);
    }
  /* an encoder's masked-word predictions, here in the worker thread */
  if (status == AE_STATUS_OK && predictions && whole && T > 0 && ae_model_has_mlm_head (model))
    {
      status = _attn_masked_compute (model, ids, T, (*trace)->hidden, ATTN_MASKED_TOP_K, cancel,
                                     &outputs->masked, error);
      if (status != AE_STATUS_OK)
        g_clear_pointer (trace, ae_trace_free);
    }
  if (status != AE_STATUS_OK)
    _attn_run_outputs_clear (outputs);
  return status;
}

static const AeModel *
result_model (const AttnResult *self)
{
  AttnEngine *engine = attn_result_get_engine (self);

  return engine != NULL ? attn_engine_get_model (engine) : NULL;
}

gboolean
attn_result_has_predictions (const AttnResult *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return _attn_result_get_outputs (self)->residual != NULL && result_model (self) != NULL;
}

const float *
attn_result_get_token_logprobs (const AttnResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _attn_result_get_outputs (self)->logprobs;
}

char *
attn_token_text (const AeModel *model,
                 gint32         id)
{
  size_t n = 0;
  const AeTokenizer *tokenizer = ae_model_tokenizer (model);
  const char *bytes = ae_tokenizer_token_bytes (tokenizer, id, &n);

  /* "##h" and "h" are different predictions: a continuation reads as the
   * vocabulary writes it, in the app and the CLI alike. */
  if (_attn_token_is_continuation (tokenizer, id))
    return g_strdup (ae_tokenizer_token_string (tokenizer, id));
  return bytes != NULL ? g_utf8_make_valid (bytes, (gssize) n) : g_strdup ("");
}

static gboolean
check_position (const AttnResult *self,
                guint             position,
                GError          **error)
{
  if (!attn_result_has_predictions (self))
    {
      g_set_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_UNSUPPORTED,
                   _("This model cannot predict tokens: it has no output head, or only its first layers ran"));
      return FALSE;
    }
  if (position >= attn_result_get_n_tokens (self))
    {
      g_set_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID,
                   _("Token %u is past the %u tokens of the text"), position,
                   attn_result_get_n_tokens (self));
      return FALSE;
    }
  return TRUE;
}

/* The top @k of each of @n residual rows @x (n, C), appended to @out. */
static gboolean
append_top_k (const AeModel *model,
              const float   *x,
              size_t         n,
              guint          k,
              GArray        *out,
              GError       **error)
{
  size_t V = ae_model_config (model)->vocab_size;
  g_autofree float *logits = g_try_new (float, n * V);
  g_autofree AePrediction *top = g_new (AePrediction, MAX (k, 1));
  AeError ae_error = { 0 };
  AeStatus status;

  if (logits == NULL)
    return _attn_status_to_error (ae_error_set (&ae_error, AE_STATUS_NO_MEMORY,
                                                "out of memory for %zu rows of logits", n),
                                  &ae_error, error);
  status = ae_model_logits (model, x, n, logits, &ae_error);
  if (!_attn_status_to_error (status, &ae_error, error))
    return FALSE;
  for (size_t r = 0; r < n; r++)
    {
      size_t got = ae_logits_top_k (logits + r * V, V, k, top);

      for (size_t i = 0; i < got; i++)
        {
          AttnPrediction p = { top[i].id, attn_token_text (model, top[i].id),
                               top[i].probability, top[i].logit };

          g_array_append_val (out, p);
        }
    }
  return TRUE;
}

GArray *
attn_prediction_array_new (void)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (AttnPrediction));

  g_array_set_clear_func (out, attn_prediction_clear);
  return out;
}

GArray *
attn_result_predict (const AttnResult *self,
                     guint             position,
                     guint             k,
                     GError          **error)
{
  const AeModel *model;
  g_autoptr(GArray) out = NULL;
  size_t T, C, L;

  g_return_val_if_fail (self != NULL, NULL);
  if (!check_position (self, position, error))
    return NULL;
  model = result_model (self);
  T = attn_result_get_n_tokens (self);
  C = ae_model_config (model)->n_embd;
  L = ae_model_config (model)->n_layer;
  out = attn_prediction_array_new ();
  if (!append_top_k (model, _attn_result_get_outputs (self)->residual + (L * T + position) * C,
                     1, k, out, error))
    return NULL;
  return g_steal_pointer (&out);
}

GArray *
attn_result_lens (const AttnResult *self,
                  guint             position,
                  guint             k,
                  GError          **error)
{
  const AeModel *model;
  g_autoptr(GArray) out = NULL;
  g_autofree float *rows = NULL;
  size_t T, C, L;

  g_return_val_if_fail (self != NULL, NULL);
  if (!check_position (self, position, error))
    return NULL;
  model = result_model (self);
  T = attn_result_get_n_tokens (self);
  C = ae_model_config (model)->n_embd;
  L = ae_model_config (model)->n_layer;
  /* gather position's row of every block: (L + 1, C) */
  rows = g_new (float, (L + 1) * C);
  for (size_t b = 0; b <= L; b++)
    memcpy (rows + b * C, _attn_result_get_outputs (self)->residual + (b * T + position) * C,
            C * sizeof (float));
  out = attn_prediction_array_new ();
  if (!append_top_k (model, rows, L + 1, k, out, error))
    return NULL;
  return g_steal_pointer (&out);
}

gint32
attn_result_sample_next (const AttnResult       *self,
                         const AttnSampleParams *params,
                         AttnRng                *rng,
                         GError                **error)
{
  AeSampleParams sample = _attn_sample_params (params);
  AeRng state = { rng->state };
  const AeModel *model;
  guint T = attn_result_get_n_tokens (self);
  g_autofree float *logits = NULL;
  AeError ae_error = { 0 };
  size_t C, L, V;
  int32_t id = -1;

  if (T == 0)
    {
      g_set_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID,
                   _("There is no text to continue"));
      return -1;
    }
  if (!check_position (self, T - 1, error))
    return -1;
  model = result_model (self);
  C = ae_model_config (model)->n_embd;
  L = ae_model_config (model)->n_layer;
  V = ae_model_config (model)->vocab_size;
  logits = g_new (float, V);
  if (!_attn_status_to_error (ae_model_logits (model, _attn_result_get_outputs (self)->residual +
                                               (L * T + T - 1) * C, 1, logits, &ae_error),
                              &ae_error, error) ||
      !_attn_status_to_error (ae_sample (logits, V, &sample, &state, &id, &ae_error), &ae_error, error))
    return -1;
  rng->state = state.state;
  return id;
}

const AeAblation *
attn_result_get_ablation (const AttnResult *self)
{
  const AttnRunOutputs *o;

  g_return_val_if_fail (self != NULL, NULL);
  /* Words merged from an ablated run are the ablated model's too. */
  if (attn_result_get_pieces (self) != NULL)
    self = attn_result_get_pieces (self);
  o = _attn_result_get_outputs (self);
  return o->heads != NULL ? &o->ablation : NULL;
}

char *
attn_result_dup_ablation_list (const AttnResult *self)
{
  return attn_ablation_dup_list (attn_result_get_ablation (self));
}

char *
attn_ablation_dup_list (const AeAblation *a)
{
  GString *list;

  if (ae_ablation_count (a) == 0)
    return NULL;
  list = g_string_new (NULL);
  for (size_t l = 0; l < a->n_layer; l++)
    for (size_t h = 0; h < a->n_head; h++)
      if (ae_ablation_has (a, l, h))
        g_string_append_printf (list, "%s%zu.%zu", list->len ? "," : "", l, h);
  return g_string_free (list, FALSE);
}

char *
attn_result_dup_ablation_label (const AttnResult *self)
{
  const AeAblation *a = attn_result_get_ablation (self);
  g_autofree char *list = attn_result_dup_ablation_list (self);
  g_auto(GStrv) items = NULL;
  g_autofree char *joined = NULL;

  if (a == NULL)
    return NULL;
  items = g_strsplit (list, ",", -1);
  joined = g_strjoinv (", ", items);
  return a->kind == AE_ABLATION_MEAN
    ? g_strdup_printf (_("heads %s off (mean)"), joined)
    : g_strdup_printf (_("heads %s off (zero)"), joined);
}

double
attn_result_logprob_of (const AttnResult *self,
                        guint             position,
                        gint32            id)
{
  const AeModel *model;
  g_autofree float *logits = NULL;
  size_t T, C, L, V;

  if (!check_position (self, position, NULL))
    return NAN;
  model = result_model (self);
  T = attn_result_get_n_tokens (self);
  C = ae_model_config (model)->n_embd;
  L = ae_model_config (model)->n_layer;
  V = ae_model_config (model)->vocab_size;
  if (id < 0 || (size_t) id >= V)
    return NAN;
  logits = g_new (float, V);
  if (ae_model_logits (model, _attn_result_get_outputs (self)->residual + (L * T + position) * C,
                       1, logits, NULL) != AE_STATUS_OK)
    return NAN;
  return (double) logits[id] - ae_logits_logsumexp (logits, V);
}
