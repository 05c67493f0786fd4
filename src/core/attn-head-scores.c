/* attn-head-scores.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-head-scores"

#include "config.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ae-detectors.h"
#include "attn-engine.h"
#include "attn-head-scores.h"
#include "attn-predictions.h"

G_STATIC_ASSERT ((int) ATTN_DETECTOR_PREVIOUS == (int) AE_DETECTOR_PREVIOUS);
G_STATIC_ASSERT ((int) ATTN_DETECTOR_DUPLICATE == (int) AE_DETECTOR_DUPLICATE);
G_STATIC_ASSERT ((int) ATTN_DETECTOR_INDUCTION == (int) AE_DETECTOR_INDUCTION);
G_STATIC_ASSERT ((int) ATTN_DETECTOR_FIRST == (int) AE_DETECTOR_FIRST);
G_STATIC_ASSERT ((int) ATTN_DETECTOR_SELF == (int) AE_DETECTOR_SELF);
G_STATIC_ASSERT ((int) ATTN_DETECTOR_COUNT == (int) AE_DETECTOR_COUNT);

struct _AttnHeadScores
{
  gatomicrefcount ref_count;
  AttnResult     *result;                 /* owned */
  guint           n_layers, n_heads;
  /* (L · NH) per source and detector; NaN where there is no score */
  double         *scores[ATTN_SCORE_SOURCE_COUNT][ATTN_DETECTOR_COUNT];
  gsize           n_repeated[ATTN_SCORE_SOURCE_COUNT];
  gint32         *probe_ids;              /* NULL without the probe */
  guint           n_probe_ids;
};

G_DEFINE_BOXED_TYPE (AttnHeadScores, attn_head_scores, attn_head_scores_ref, attn_head_scores_unref)

AttnHeadScores *
attn_head_scores_ref (AttnHeadScores *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
attn_head_scores_unref (AttnHeadScores *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_clear_pointer (&self->result, attn_result_unref);
  for (int s = 0; s < ATTN_SCORE_SOURCE_COUNT; s++)
    for (int d = 0; d < ATTN_DETECTOR_COUNT; d++)
      g_free (self->scores[s][d]);
  g_free (self->probe_ids);
  g_free (self);
}

static AttnHeadScores *
head_scores_new (AttnResult *result)
{
  AttnHeadScores *self = g_new0 (AttnHeadScores, 1);
  gsize n;

  g_atomic_ref_count_init (&self->ref_count);
  self->result = attn_result_ref (result);
  self->n_layers = attn_result_get_n_layers (result);
  self->n_heads = attn_result_get_n_heads (result);
  n = (gsize) self->n_layers * self->n_heads;
  for (int s = 0; s < ATTN_SCORE_SOURCE_COUNT; s++)
    for (int d = 0; d < ATTN_DETECTOR_COUNT; d++)
      {
        self->scores[s][d] = g_new (double, MAX (n, 1));
        for (gsize i = 0; i < n; i++)
          self->scores[s][d][i] = NAN;
      }
  return self;
}

static void
store (AttnHeadScores         *self,
       AttnScoreSource         source,
       guint                   layer,
       guint                   head,
       const AeDetectorScores *s)
{
  for (int d = 0; d < ATTN_DETECTOR_COUNT; d++)
    self->scores[source][d][(gsize) layer * self->n_heads + head] = s->score[d];
  self->n_repeated[source] = s->n_repeated;
}

/* Every head of @trace scored on @ids, one head's (T, T) at a time in one
 * buffer of our own: the trace's small cache of whole heads stays with the
 * heads the views show. */
static gboolean
score_trace (AttnHeadScores  *self,
             AttnScoreSource  source,
             const AeTrace   *trace,
             const int32_t   *ids,
             size_t           T,
             GCancellable    *cancellable,
             GError         **error)
{
  g_autofree float *weights = T > 0 ? g_try_new (float, T * T) : NULL;

  if (T > 0 && weights == NULL)
    {
      g_set_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_NO_MEMORY,
                   _("Out of memory for one head’s attention over %zu tokens"), T);
      return FALSE;
    }
  for (guint l = 0; l < self->n_layers; l++)
    for (guint h = 0; h < self->n_heads; h++)
      {
        AeError ae_error = { 0 };
        AeDetectorScores s;

        if (g_cancellable_is_cancelled (cancellable))
          {
            g_set_error_literal (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_CANCELLED,
                                 _("The head detectors were cancelled"));
            return FALSE;
          }
        if (T > 0 && !_attn_status_to_error (ae_trace_head_rows (trace, l, h, 0, T, NULL, T, weights, T,
                                                                 &ae_error),
                                             &ae_error, error))
          return FALSE;
        ae_detectors_compute (weights, ids, T, &s);
        store (self, source, l, h, &s);
      }
  return TRUE;
}

static void
set_flag_cb (GCancellable *cancellable,
             gpointer      user_data)
{
  atomic_store ((AeCancelFlag *) user_data, 1);
}

/* The probe through @engine with @ablation: its own short pass. */
static gboolean
score_probe (AttnHeadScores   *self,
             AttnEngine       *engine,
             const AeAblation *ablation,
             GCancellable     *cancellable,
             GError          **error)
{
  const AeModel *model = attn_engine_get_model (engine);
  const AeConfig *cfg = ae_model_config (model);
  AeForwardHooks hooks = { ablation, NULL };
  AeCancelFlag cancelled = 0;
  AeError ae_error = { 0 };
  AeTrace *trace = NULL;
  AeStatus status;
  gulong handler = 0;
  gboolean ok;
  size_t n;

  self->probe_ids = g_new (gint32, 2 * ATTN_PROBE_HALF + 1);
  n = ae_induction_probe (ae_model_tokenizer (model), cfg->vocab_size, ATTN_PROBE_HALF,
                          ATTN_PROBE_SEED, cfg->n_ctx, self->probe_ids);
  self->n_probe_ids = (guint) n;

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (set_flag_cb), &cancelled, NULL);
  status = ae_model_run (model, self->probe_ids, n,
                         &(AeRunOptions) { .n_layers = self->n_layers, .cancel = &cancelled,
                                           .hooks = &hooks },
                         &trace, &ae_error);
  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);
  if (!_attn_status_to_error (status, &ae_error, error))
    return FALSE;
  ok = score_trace (self, ATTN_SCORE_PROBE, trace, self->probe_ids, n, cancellable, error);
  ae_trace_free (trace);
  return ok;
}

/* Whether @a and @b ran the same model with the same heads switched off,
 * so that one's probe scores are the other's. */
static gboolean
same_model (AttnResult *a,
            AttnResult *b)
{
  g_autofree char *list_a = attn_result_dup_ablation_list (a);
  g_autofree char *list_b = attn_result_dup_ablation_list (b);
  const AeAblation *ab_a = attn_result_get_ablation (a);
  const AeAblation *ab_b = attn_result_get_ablation (b);

  return attn_result_get_engine (a) == attn_result_get_engine (b) &&
         attn_result_get_engine (a) != NULL &&
         g_strcmp0 (list_a, list_b) == 0 &&
         (ab_a == NULL || ab_a->kind == ab_b->kind);
}

static void
copy_probe (AttnHeadScores *self,
            AttnHeadScores *from)
{
  gsize n = (gsize) self->n_layers * self->n_heads;

  for (int d = 0; d < ATTN_DETECTOR_COUNT; d++)
    memcpy (self->scores[ATTN_SCORE_PROBE][d], from->scores[ATTN_SCORE_PROBE][d], n * sizeof (double));
  self->n_repeated[ATTN_SCORE_PROBE] = from->n_repeated[ATTN_SCORE_PROBE];
  self->probe_ids = g_memdup2 (from->probe_ids, from->n_probe_ids * sizeof (gint32));
  self->n_probe_ids = from->n_probe_ids;
}

AttnHeadScores *
attn_head_scores_compute (AttnResult    *result,
                          gboolean       probe,
                          GCancellable  *cancellable,
                          GError       **error)
{
  return _attn_head_scores_compute_reusing (result, probe, NULL, cancellable, error);
}

AttnHeadScores *
_attn_head_scores_compute_reusing (AttnResult     *result,
                                   gboolean        probe,
                                   AttnHeadScores *previous,
                                   GCancellable   *cancellable,
                                   GError        **error)
{
  g_autoptr(AttnHeadScores) self = NULL;
  const AeTrace *trace;

  g_return_val_if_fail (result != NULL, NULL);

  trace = attn_result_get_trace (result);
  if (trace == NULL)
    {
      g_set_error_literal (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID,
                           _("The text was not run: there is no attention to score"));
      return NULL;
    }
  if (probe && attn_result_get_engine (result) == NULL)
    {
      g_set_error_literal (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID,
                           _("The induction probe needs the model that made the result"));
      return NULL;
    }

  self = head_scores_new (result);
  if (!score_trace (self, ATTN_SCORE_SENTENCE, trace, attn_result_get_token_ids (result),
                    attn_result_get_n_tokens (result), cancellable, error))
    return NULL;
  if (probe && previous != NULL && previous->probe_ids != NULL &&
      previous->n_layers == self->n_layers && previous->n_heads == self->n_heads &&
      same_model (result, previous->result))
    copy_probe (self, previous);
  else if (probe && !score_probe (self, attn_result_get_engine (result),
                                  attn_result_get_ablation (result), cancellable, error))
    return NULL;
  return g_steal_pointer (&self);
}

typedef struct
{
  AttnResult     *result;
  AttnHeadScores *previous;   /* or NULL */
  gboolean        probe;
} ComputeData;

static void
compute_data_free (gpointer p)
{
  ComputeData *data = p;

  g_clear_pointer (&data->result, attn_result_unref);
  g_clear_pointer (&data->previous, attn_head_scores_unref);
  g_free (data);
}

static void
compute_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ComputeData *data = task_data;
  GError *error = NULL;
  AttnHeadScores *scores = _attn_head_scores_compute_reusing (data->result, data->probe, data->previous,
                                                              cancellable, &error);

  if (scores == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, scores, (GDestroyNotify) attn_head_scores_unref);
}

void
attn_head_scores_compute_async (AttnResult          *result,
                                gboolean             probe,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  _attn_head_scores_compute_reusing_async (result, probe, NULL, cancellable, callback, user_data);
}

void
_attn_head_scores_compute_reusing_async (AttnResult          *result,
                                         gboolean             probe,
                                         AttnHeadScores      *previous,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ComputeData *data = g_new0 (ComputeData, 1);

  g_return_if_fail (result != NULL);

  data->result = attn_result_ref (result);
  data->previous = previous != NULL ? attn_head_scores_ref (previous) : NULL;
  data->probe = probe;
  g_task_set_source_tag (task, attn_head_scores_compute_async);
  g_task_set_task_data (task, data, compute_data_free);
  g_task_run_in_thread (task, compute_in_thread);
}

AttnHeadScores *
attn_head_scores_compute_finish (GAsyncResult  *async_result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (async_result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (async_result), error);
}

AttnResult *
attn_head_scores_get_result (AttnHeadScores *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->result;
}

guint
attn_head_scores_get_n_layers (AttnHeadScores *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_layers;
}

guint
attn_head_scores_get_n_heads (AttnHeadScores *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_heads;
}

gboolean
attn_head_scores_has_probe (AttnHeadScores *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->probe_ids != NULL;
}

double
attn_head_scores_get (AttnHeadScores  *self,
                      AttnScoreSource  source,
                      AttnDetector     detector,
                      guint            layer,
                      guint            head)
{
  g_return_val_if_fail (self != NULL, NAN);
  if ((int) source < 0 || source >= ATTN_SCORE_SOURCE_COUNT ||
      (int) detector < 0 || detector >= ATTN_DETECTOR_COUNT ||
      layer >= self->n_layers || head >= self->n_heads)
    return NAN;
  return self->scores[source][detector][(gsize) layer * self->n_heads + head];
}

const double *
attn_head_scores_get_all (AttnHeadScores  *self,
                          AttnScoreSource  source,
                          AttnDetector     detector)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (source < ATTN_SCORE_SOURCE_COUNT && detector < ATTN_DETECTOR_COUNT, NULL);
  return self->scores[source][detector];
}

gsize
attn_head_scores_get_n_repeated (AttnHeadScores  *self,
                                 AttnScoreSource  source)
{
  g_return_val_if_fail (self != NULL && source < ATTN_SCORE_SOURCE_COUNT, 0);
  return self->n_repeated[source];
}

const gint32 *
attn_head_scores_get_probe_ids (AttnHeadScores *self,
                                guint          *n_ids)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (n_ids != NULL)
    *n_ids = self->n_probe_ids;
  return self->probe_ids;
}

const char *
attn_detector_to_string (AttnDetector detector)
{
  return ae_detector_to_string ((AeDetector) detector);
}

gboolean
attn_detector_from_string (const char   *name,
                           AttnDetector *detector)
{
  AeDetector d;

  if (!ae_detector_from_string (name, &d))
    return FALSE;
  *detector = (AttnDetector) d;
  return TRUE;
}

const char *
attn_detector_get_title (AttnDetector detector)
{
  switch (detector)
    {
    case ATTN_DETECTOR_PREVIOUS:
      return _("Previous token");
    case ATTN_DETECTOR_DUPLICATE:
      return _("Duplicate token");
    case ATTN_DETECTOR_INDUCTION:
      return _("Induction");
    case ATTN_DETECTOR_FIRST:
      return _("First token (sink)");
    case ATTN_DETECTOR_SELF:
      return _("Self");
    case ATTN_DETECTOR_COUNT:
    default:
      return "";
    }
}

char *
attn_detector_dup_label (AttnDetector    detector,
                         AttnScoreSource source)
{
  /* Translators: a head detector's overlay: "Induction on the induction probe" */
  return source == ATTN_SCORE_PROBE ? g_strdup_printf (_("%s on the induction probe"), attn_detector_get_title (detector))
  /* Translators: a head detector's overlay: "Previous token on this text" */
                                    : g_strdup_printf (_("%s on this text"), attn_detector_get_title (detector));
}

typedef struct
{
  const double *values;
} RankData;

static int
compare_rank (const void *a,
              const void *b,
              void       *user_data)
{
  const double *v = ((RankData *) user_data)->values;
  guint x = *(const guint *) a, y = *(const guint *) b;
  gboolean nx = isnan (v[x]), ny = isnan (v[y]);

  if (nx != ny)
    return nx ? 1 : -1;
  if (!nx && v[x] != v[y])
    return v[x] > v[y] ? -1 : 1;
  return x < y ? -1 : (x > y);
}

guint *
attn_head_scores_rank (AttnHeadScores  *self,
                       AttnScoreSource  source,
                       AttnDetector     detector)
{
  gsize n;
  guint *order;
  RankData data;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (source < ATTN_SCORE_SOURCE_COUNT && detector < ATTN_DETECTOR_COUNT, NULL);

  n = (gsize) self->n_layers * self->n_heads;
  order = g_new (guint, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    order[i] = (guint) i;
  data.values = self->scores[source][detector];
  g_qsort_with_data (order, (gint) n, sizeof *order, compare_rank, &data);
  return order;
}
