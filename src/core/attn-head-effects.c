/* attn-head-effects.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-head-effects"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "attn-head-effects.h"
#include "attn-predictions.h"

/* One pass of @text with @ablation (NULL: intact), cut to the context as
 * the document cuts it, so the tokens are the ones the views show. */
static AttnResult *
run (AttnEngine        *engine,
     const char        *text,
     const AeAblation  *ablation,
     GCancellable      *cancellable,
     GError           **error)
{
  AttnRunOptions options = { .truncate = TRUE, .ablation = ablation };

  return attn_engine_run_options (engine, text, &options, cancellable, error);
}

static int
by_weight (gconstpointer a,
           gconstpointer b)
{
  const AttnHeadEffect *x = a, *y = b;

  if (x->weight != y->weight)
    return x->weight < y->weight ? 1 : -1;
  /* ties in reading order, so the choice does not depend on the sort */
  return x->layer != y->layer ? (x->layer < y->layer ? -1 : 1)
                              : (x->head < y->head ? -1 : x->head > y->head);
}

AttnHeadEffects *
attn_head_effects_compute (AttnEngine    *engine,
                           const char    *text,
                           guint          position,
                           guint          max_heads,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(AttnHeadEffects) self = NULL;
  g_autoptr(AttnResult) intact = NULL;
  g_autoptr(GArray) top = NULL;
  g_autofree bool *off = NULL;
  guint L, NH, T, n;

  g_return_val_if_fail (ATTN_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  intact = run (engine, text, NULL, cancellable, error);
  if (intact == NULL)
    return NULL;
  /* attn_result_predict says why when the model cannot predict or the
   * position is past the text. */
  top = attn_result_predict (intact, position, 1, error);
  if (top == NULL)
    return NULL;
  if (top->len == 0)
    {
      g_set_error_literal (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID,
                           _("The model predicted nothing"));
      return NULL;
    }

  L = attn_result_get_n_layers (intact);
  NH = attn_result_get_n_heads (intact);
  T = attn_result_get_n_tokens (intact);
  self = g_new0 (AttnHeadEffects, 1);
  self->position = position;
  self->target = g_array_index (top, AttnPrediction, 0).id;
  self->target_text = g_strdup (g_array_index (top, AttnPrediction, 0).token);
  self->intact_logprob = attn_result_logprob_of (intact, position, self->target);
  self->effects = g_new0 (AttnHeadEffect, MAX (L * NH, 1));

  /* Every head's strongest link from the position, in the intact run. */
  for (guint index = 0; index < L * NH; index++)
    {
      AttnHeadEffect *effect = &self->effects[index];
      const float *row = attn_result_get_weights (intact, index / NH, index % NH);

      effect->layer = index / NH;
      effect->head = index % NH;
      if (row == NULL)
        continue;
      row += (gsize) position * T;
      for (guint j = 0; j < T; j++)
        if (row[j] > effect->weight)
          {
            effect->weight = row[j];
            effect->key = j;
          }
    }
  qsort (self->effects, L * NH, sizeof (AttnHeadEffect), by_weight);
  n = max_heads == 0 ? L * NH : MIN (max_heads, L * NH);

  off = g_new0 (bool, (gsize) L * NH);
  for (guint i = 0; i < n; i++)
    {
      AttnHeadEffect *effect = &self->effects[i];
      AeAblation ablation = { AE_ABLATION_ZERO, L, NH, off };
      g_autoptr(AttnResult) ablated = NULL;

      off[effect->layer * NH + effect->head] = TRUE;
      ablated = run (engine, text, &ablation, cancellable, error);
      off[effect->layer * NH + effect->head] = FALSE;
      if (ablated == NULL)
        return NULL;
      effect->logprob = attn_result_logprob_of (ablated, position, self->target);
      effect->delta = effect->logprob - self->intact_logprob;
    }
  self->n_effects = n;
  return g_steal_pointer (&self);
}

/* Whether a computation has stopped, for attn_head_effects_wait (); kept
 * on its cancellable, shared with the thread. */
typedef struct
{
  GMutex   mutex;
  GCond    cond;
  gboolean done;
} Stopped;

static void
stopped_clear (gpointer data)
{
  Stopped *stopped = data;

  g_mutex_clear (&stopped->mutex);
  g_cond_clear (&stopped->cond);
}

static void
stopped_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, stopped_clear);
}

#define STOPPED_KEY "attn-head-effects-stopped"

typedef struct
{
  AttnEngine *engine;
  char       *text;
  guint       position;
  guint       max_heads;
  Stopped    *stopped;    /* NULL without a cancellable */
} ComputeData;

static void
compute_data_free (ComputeData *data)
{
  g_clear_object (&data->engine);
  g_free (data->text);
  g_clear_pointer (&data->stopped, stopped_release);
  g_free (data);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ComputeData *data = task_data;
  GError *error = NULL;
  AttnHeadEffects *effects = attn_head_effects_compute (data->engine, data->text, data->position,
                                                        data->max_heads,
                                                        cancellable, &error);

  if (data->stopped != NULL)
    {
      g_mutex_lock (&data->stopped->mutex);
      data->stopped->done = TRUE;
      g_cond_broadcast (&data->stopped->cond);
      g_mutex_unlock (&data->stopped->mutex);
    }
  if (effects != NULL)
    g_task_return_pointer (task, effects, (GDestroyNotify) attn_head_effects_free);
  else
    g_task_return_error (task, error);
}

void
attn_head_effects_compute_async (AttnEngine          *engine,
                                 const char          *text,
                                 guint                position,
                                 guint                max_heads,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ComputeData *data;

  g_return_if_fail (ATTN_IS_ENGINE (engine));
  g_return_if_fail (text != NULL);

  data = g_new0 (ComputeData, 1);
  data->engine = g_object_ref (engine);
  data->text = g_strdup (text);
  data->position = position;
  data->max_heads = max_heads;
  if (cancellable != NULL)
    {
      data->stopped = g_atomic_rc_box_new0 (Stopped);
      g_mutex_init (&data->stopped->mutex);
      g_cond_init (&data->stopped->cond);
      g_object_set_data_full (G_OBJECT (cancellable), STOPPED_KEY,
                              g_atomic_rc_box_acquire (data->stopped), stopped_release);
    }
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, attn_head_effects_compute_async);
  g_task_set_task_data (task, data, (GDestroyNotify) compute_data_free);
  g_task_run_in_thread (task, compute_thread);
}

AttnHeadEffects *
attn_head_effects_compute_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
attn_head_effects_wait (GCancellable *cancellable)
{
  Stopped *stopped;

  g_return_if_fail (G_IS_CANCELLABLE (cancellable));

  stopped = g_object_get_data (G_OBJECT (cancellable), STOPPED_KEY);
  if (stopped == NULL)
    return;
  g_mutex_lock (&stopped->mutex);
  while (!stopped->done)
    g_cond_wait (&stopped->cond, &stopped->mutex);
  g_mutex_unlock (&stopped->mutex);
}

const AttnHeadEffect *
attn_head_effects_find (const AttnHeadEffects *self,
                        guint                  layer,
                        guint                  head)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->n_effects; i++)
    if (self->effects[i].layer == layer && self->effects[i].head == head)
      return &self->effects[i];
  return NULL;
}

void
attn_head_effects_free (AttnHeadEffects *self)
{
  if (self == NULL)
    return;
  g_free (self->target_text);
  g_free (self->effects);
  g_free (self);
}

void
attn_head_effects_apply (AttnDocument *document,
                         guint         layer,
                         guint         head)
{
  AttnEngine *engine;
  g_autofree bool *off = NULL;
  guint L, NH;

  g_return_if_fail (ATTN_IS_DOCUMENT (document));

  engine = attn_document_get_engine (document);
  if (engine == NULL)
    return;
  L = attn_engine_get_n_layers (engine);
  NH = attn_engine_get_n_heads (engine);
  if (layer >= L || head >= NH)
    return;
  off = g_new0 (bool, (gsize) L * NH);
  off[layer * NH + head] = TRUE;
  attn_document_set_ablation (document, &(AeAblation) { AE_ABLATION_ZERO, L, NH, off });
}
