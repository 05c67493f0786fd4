/* attn-residual.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-residual"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-engine.h"
#include "attn-predictions.h"
#include "attn-residual.h"

struct _AttnResidual
{
  AttnResult  *result;    /* owned */
  guint        n_blocks;  /* L + 1 */
  guint        n_tokens;
  guint        n_embd;
  const float *values;    /* (L + 1, T, C): the result's own, or owned */
  float       *owned;     /* NULL when the result kept the stream */
};

static void
set_flag_cb (GCancellable *cancellable,
             gpointer      user_data)
{
  atomic_store ((AeCancelFlag *) user_data, 1);
}

AttnResidual *
attn_residual_compute (AttnResult    *result,
                       GCancellable  *cancellable,
                       GError       **error)
{
  AttnEngine *engine;
  const AeModel *model;
  const AeConfig *config;
  g_autoptr(AttnResidual) self = NULL;
  AeCancelFlag cancelled = 0;
  AeError ae_error = { 0 };
  AeStatus status;
  gulong handler = 0;

  g_return_val_if_fail (result != NULL, NULL);

  engine = attn_result_get_engine (result);
  model = engine ? attn_engine_get_model (engine) : NULL;
  if (model == NULL)
    {
      g_set_error_literal (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID,
                           _("This result was not made by a model, so it has no residual stream"));
      return NULL;
    }

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error_literal (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_CANCELLED,
                           _("The residual stream was cancelled"));
      return NULL;
    }

  config = ae_model_config (model);
  self = g_new0 (AttnResidual, 1);
  self->result = attn_result_ref (result);
  self->n_blocks = (guint) config->n_layer + 1;
  self->n_tokens = attn_result_get_n_tokens (result);
  self->n_embd = (guint) config->n_embd;

  /* The run that made the result kept the stream when it could predict
   * (the logit lens reads it): the very numbers, with no second pass. */
  self->values = _attn_result_get_outputs (result)->residual;
  if (self->values != NULL || self->n_tokens == 0)
    return g_steal_pointer (&self);

  /* Otherwise (a model without an LM head, or a run of the first layers
   * only) the same pass once more, with the heads the result had off. */
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (set_flag_cb), &cancelled, NULL);
  status = _attn_run_residual (model, attn_result_get_token_ids (result), self->n_tokens,
                               attn_result_get_ablation (result), NULL, &cancelled, NULL,
                               &self->owned, &ae_error);
  if (cancellable != NULL)
    g_cancellable_disconnect (cancellable, handler);
  if (status != AE_STATUS_OK)
    {
      g_set_error_literal (error, ATTN_ENGINE_ERROR,
                           status == AE_STATUS_CANCELLED ? ATTN_ENGINE_ERROR_CANCELLED
                           : status == AE_STATUS_NO_MEMORY ? ATTN_ENGINE_ERROR_NO_MEMORY
                                                           : ATTN_ENGINE_ERROR_INVALID,
                           ae_error.message);
      return NULL;
    }
  self->values = self->owned;
  return g_steal_pointer (&self);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  AttnResidual *residual = attn_residual_compute (task_data, cancellable, &error);

  if (residual != NULL)
    g_task_return_pointer (task, residual, (GDestroyNotify) attn_residual_free);
  else
    g_task_return_error (task, error);
}

void
attn_residual_compute_async (AttnResult          *result,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (result != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, attn_residual_compute_async);
  g_task_set_task_data (task, attn_result_ref (result), (GDestroyNotify) attn_result_unref);
  g_task_run_in_thread (task, compute_thread);
}

AttnResidual *
attn_residual_compute_finish (GAsyncResult  *async_result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (async_result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (async_result), error);
}

AttnResult *
attn_residual_get_result (const AttnResidual *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->result;
}

const float *
attn_residual_get_row (const AttnResidual *self,
                       guint               block,
                       guint               token,
                       guint              *n_values)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (block >= self->n_blocks || token >= self->n_tokens)
    return NULL;
  if (n_values != NULL)
    *n_values = self->n_embd;
  return self->values + ((gsize) block * self->n_tokens + token) * self->n_embd;
}

void
attn_residual_free (AttnResidual *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->result, attn_result_unref);
  g_free (self->owned);
  g_free (self);
}
