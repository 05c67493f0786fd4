/* attn-steps.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-steps"

#include "config.h"

#include "ae-steps.h"
#include "attn-engine-private.h"
#include "attn-steps-private.h"

/* The public fields first, so an AttnSteps * is a StepsBox *. */
typedef struct
{
  AttnSteps        steps;
  gatomicrefcount  ref_count;
  AeSteps         *ae_steps;   /* owned: the memory the fields point into */
} StepsBox;

G_STATIC_ASSERT ((int) ATTN_STEP_COUNT == (int) AE_STEP_COUNT);
G_STATIC_ASSERT ((int) ATTN_STEP_HEADS == (int) AE_STEP_HEADS);

G_DEFINE_BOXED_TYPE (AttnSteps, attn_steps, attn_steps_ref, attn_steps_unref)

AttnSteps *
_attn_steps_new_take (AeSteps *ae_steps)
{
  StepsBox *box = g_new0 (StepsBox, 1);
  AttnSteps *s = &box->steps;
  const AeSteps *e = ae_steps;

  g_atomic_ref_count_init (&box->ref_count);
  box->ae_steps = ae_steps;

  s->layer = e->layer;
  s->head = e->head;
  s->query = e->query;
  s->key = e->key;
  s->n_tokens = e->n_tokens;
  s->n_embd = e->n_embd;
  s->n_head = e->n_head;
  s->head_size = e->head_size;
  s->n_kv_head = e->n_kv_head;
  s->kv_head = e->kv_head;
  s->rotary_dim = e->rotary_dim;
  s->window = e->window;
  s->bidirectional = e->bidirectional;
  s->rms_norm = e->norm == AE_NORM_RMS;
  s->swiglu = e->mlp == AE_MLP_SWIGLU;
  s->x = e->x;
  s->x_key = e->x_key;
  s->w_q = e->w_q;
  s->w_k = e->w_k;
  s->w_v = e->w_v;
  s->b_q = e->b_q;
  s->b_k = e->b_k;
  s->b_v = e->b_v;
  s->q = e->q;
  s->k = e->k;
  s->v = e->v;
  s->freq = e->freq;
  s->angle_q = e->angle_q;
  s->angle_k = e->angle_k;
  s->q_rot = e->q_rot;
  s->k_rot = e->k_rot;
  s->products = e->products;
  s->dot = e->dot;
  s->scale = e->scale;
  s->score = e->score;
  s->masked = e->masked;
  s->scores = e->scores;
  s->weights = e->weights;
  s->weight = e->weight;
  s->head_output = e->head_output;
  s->share = e->share;
  s->heads_joined = e->heads_joined;
  s->attn_output = e->attn_output;
  return s;
}

void
_attn_task_return_steps (GTask     *task,
                         AttnSteps *steps,
                         GError    *error)
{
  if (steps == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, steps, (GDestroyNotify) attn_steps_unref);
}

AttnSteps *
attn_steps_ref (AttnSteps *self)
{
  StepsBox *box = (StepsBox *) self;

  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&box->ref_count);
  return self;
}

void
attn_steps_unref (AttnSteps *self)
{
  StepsBox *box = (StepsBox *) self;

  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&box->ref_count))
    return;
  ae_steps_free (box->ae_steps);
  g_free (box);
}

AttnSteps *
attn_steps_new (AttnResult  *result,
                guint        layer,
                guint        head,
                guint        query,
                guint        key,
                GError     **error)
{
  AttnEngine *engine;
  const AeTrace *trace;
  AeSteps *steps = NULL;
  AeError ae_error = { 0 };
  AeStatus status;

  g_return_val_if_fail (result != NULL, NULL);

  /* The weights of the engine that made the trace, never another's:
   * same-shaped models would mix silently. */
  engine = attn_result_get_engine (result);
  trace = attn_result_get_trace (result);
  if (engine == NULL || trace == NULL)
    {
      g_set_error_literal (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID,
                           "the result holds no trace of a model's run");
      return NULL;
    }

  status = ae_steps_new (&steps, attn_engine_get_model (engine), trace,
                         layer, head, query, key, &ae_error);
  if (!_attn_engine_status_to_error (status, &ae_error, error))
    return NULL;
  return _attn_steps_new_take (steps);
}

typedef struct
{
  AttnResult *result;
  guint       layer, head, query, key;
} StepsRequest;

static void
steps_request_free (gpointer data)
{
  StepsRequest *request = data;

  attn_result_unref (request->result);
  g_free (request);
}

static void
steps_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  StepsRequest *request = task_data;
  GError *error = NULL;
  AttnSteps *steps;

  if (g_task_return_error_if_cancelled (task))
    return;

  steps = attn_steps_new (request->result, request->layer, request->head,
                          request->query, request->key, &error);
  _attn_task_return_steps (task, steps, error);
}

void
attn_steps_new_async (AttnResult          *result,
                      guint                layer,
                      guint                head,
                      guint                query,
                      guint                key,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StepsRequest *request;

  g_return_if_fail (result != NULL);

  request = g_new0 (StepsRequest, 1);
  request->result = attn_result_ref (result);
  request->layer = layer;
  request->head = head;
  request->query = query;
  request->key = key;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, attn_steps_new_async);
  g_task_set_task_data (task, request, steps_request_free);
  g_task_run_in_thread (task, steps_in_thread);
}

AttnSteps *
attn_steps_new_finish (GAsyncResult  *async_result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (async_result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (async_result)) == attn_steps_new_async, NULL);

  return g_task_propagate_pointer (G_TASK (async_result), error);
}

const char *
attn_step_to_string (AttnStep step)
{
  return ae_step_to_string ((AeStep) step);
}
