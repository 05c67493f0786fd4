/* attn-derived.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-derived"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ae-rollout.h"
#include "attn-derived.h"
#include "attn-display.h"
#include "attn-pair.h"
#include "attn-words.h"
#include "attn-engine.h"
#include "attn-predictions.h"
#include "attn-render.h"

gboolean
attn_results_same_tokens (const AttnResult *a,
                          const AttnResult *b)
{
  guint T;

  if (a == NULL || b == NULL)
    return FALSE;
  T = attn_result_get_n_tokens (a);
  if (T != attn_result_get_n_tokens (b) || attn_result_get_engine (a) != attn_result_get_engine (b))
    return FALSE;
  return T == 0 || memcmp (attn_result_get_token_ids (a), attn_result_get_token_ids (b),
                           T * sizeof (gint32)) == 0;
}

float *
attn_result_dup_delta (AttnResult  *ablated,
                       AttnResult  *intact,
                       guint        layer,
                       guint        head,
                       GError     **error)
{
  const float *a, *b;
  guint T;
  float *delta;

  g_return_val_if_fail (ablated != NULL && intact != NULL, NULL);

  if (!attn_results_same_tokens (ablated, intact))
    {
      g_set_error_literal (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID,
                           _("The two runs hold different tokens: their attention cannot be compared"));
      return NULL;
    }
  a = attn_result_get_weights (ablated, layer, head);
  b = attn_result_get_weights (intact, layer, head);
  if (a == NULL || b == NULL)
    {
      g_set_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID,
                   _("There are no attention weights for layer %u, head %u"), layer, head);
      return NULL;
    }

  T = attn_result_get_n_tokens (ablated);
  delta = g_new (float, (gsize) T * T + 1);
  for (gsize i = 0; i < (gsize) T * T; i++)
    delta[i] = a[i] - b[i];
  return delta;
}

double
attn_delta_limit (const float *delta,
                  gsize        n)
{
  static const double nice[] = { 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0 };
  double most = 0;

  for (gsize i = 0; i < n; i++)
    if (fabs (delta[i]) > most)
      most = fabs (delta[i]);
  for (guint i = 0; i < G_N_ELEMENTS (nice); i++)
    if (most <= nice[i])
      return nice[i];
  return 1.0;
}

gboolean
attn_results_top_logprob_delta (AttnResult  *ablated,
                                AttnResult  *intact,
                                guint        position,
                                gint32      *id,
                                double      *intact_logprob,
                                double      *ablated_logprob,
                                GError     **error)
{
  g_autoptr(GArray) top = NULL;
  double after;

  if (!attn_results_same_tokens (ablated, intact))
    {
      g_set_error_literal (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID,
                           _("The two runs hold different tokens: their predictions cannot be compared"));
      return FALSE;
    }
  top = attn_result_predict (intact, position, 1, error);
  if (top == NULL)
    return FALSE;
  after = attn_result_logprob_of (ablated, position, g_array_index (top, AttnPrediction, 0).id);
  if (isnan (after))
    {
      g_set_error_literal (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID,
                           _("The run with heads switched off cannot predict"));
      return FALSE;
    }
  *id = g_array_index (top, AttnPrediction, 0).id;
  *intact_logprob = log (g_array_index (top, AttnPrediction, 0).probability);
  *ablated_logprob = after;
  return TRUE;
}

AttnResult *
attn_result_run_intact (AttnResult    *ablated,
                        GCancellable  *cancellable,
                        GError       **error)
{
  /* as the document runs: text past the context is left out, so both
   * runs hold the same tokens */
  AttnRunOptions options = { .truncate = TRUE };
  AttnResult *pieces, *intact;

  g_return_val_if_fail (ablated != NULL, NULL);

  /* words merged (the app's default): the model ran on their pieces */
  pieces = attn_result_get_words (ablated) != NULL ? attn_result_get_pieces (ablated) : ablated;
  if (attn_result_get_engine (pieces) == NULL)
    {
      g_set_error_literal (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID, _("The result has no model to run"));
      return NULL;
    }
  /* a pair's sentence B too, or the tokens differ */
  options.text_b = attn_result_get_text_b (ablated);
  intact = attn_engine_run_options (attn_result_get_engine (pieces), attn_result_get_text (ablated),
                                    &options, cancellable, error);
  if (intact != NULL && pieces != ablated)
    {
      AttnResult *merged = attn_result_merge_words (intact, cancellable, error);

      attn_result_unref (intact);
      intact = merged;
    }
  if (intact != NULL && !attn_results_same_tokens (ablated, intact))
    {
      g_clear_pointer (&intact, attn_result_unref);
      g_set_error_literal (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID,
                           _("The intact model's run holds other tokens than the one with heads switched off"));
    }
  return intact;
}

static void
run_intact_in_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GError *error = NULL;
  AttnResult *intact = attn_result_run_intact (task_data, cancellable, &error);

  if (intact == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, intact, (GDestroyNotify) attn_result_unref);
}

void
attn_result_run_intact_async (AttnResult          *result,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (result != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, attn_result_run_intact_async);
  g_task_set_task_data (task, attn_result_ref (result), (GDestroyNotify) attn_result_unref);
  g_task_run_in_thread (task, run_intact_in_thread);
}

AttnResult *
attn_result_run_intact_finish (GAsyncResult  *async_result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (async_result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (async_result), error);
}

static gboolean
check_rollout (AttnResult  *result,
               GError     **error)
{
  if (attn_result_get_trace (result) == NULL || attn_result_get_n_tokens (result) == 0)
    {
      g_set_error_literal (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID,
                           _("There are no attention weights to roll out"));
      return FALSE;
    }
  return TRUE;
}

float *
attn_result_dup_rollout (AttnResult  *result,
                         GError     **error)
{
  g_autofree float *out = NULL;
  guint T;
  AeError ae_error = { 0 };
  AeStatus status;

  g_return_val_if_fail (result != NULL, NULL);
  if (!check_rollout (result, error))
    return NULL;
  T = attn_result_get_n_tokens (result);
  out = g_new (float, (gsize) T * T);
  status = ae_rollout (attn_result_get_trace (result), out, &ae_error);
  if (!_attn_status_to_error (status, &ae_error, error))
    return NULL;
  return g_steal_pointer (&out);
}

float *
attn_result_dup_rollout_row (AttnResult  *result,
                             guint        query,
                             GError     **error)
{
  g_autofree float *out = NULL;
  AeError ae_error = { 0 };
  AeStatus status;

  g_return_val_if_fail (result != NULL, NULL);
  if (!check_rollout (result, error))
    return NULL;
  out = g_new (float, attn_result_get_n_tokens (result));
  status = ae_rollout_row (attn_result_get_trace (result), query, out, &ae_error);
  if (!_attn_status_to_error (status, &ae_error, error))
    return NULL;
  return g_steal_pointer (&out);
}

char *
attn_result_dup_id_text (AttnResult *result,
                         gint32      id)
{
  g_return_val_if_fail (result != NULL && attn_result_get_engine (result) != NULL, NULL);

  return attn_token_text (attn_engine_get_model (attn_result_get_engine (result)), id);
}

/* Model, layer and head, and which heads are off: no sentence, which the
 * figure's labels show and an ellipsis would cut into what matters. */
char *
attn_result_dup_delta_title (AttnResult *ablated,
                             guint       layer,
                             guint       head)
{
  g_autofree char *label = attn_result_dup_ablation_label (ablated);

  /* Translators: title of a difference map: model, layer, head, which heads are off */
  return g_strdup_printf (_("Δ attention (heads off − intact) · %s · layer %u · head %u · %s"),
                          attn_result_get_model_name (ablated), layer, head,
                          label ? label : _("no heads off"));
}

char *
attn_result_dup_rollout_title (AttnResult *result)
{
  g_autofree char *label = attn_result_dup_ablation_label (result);

  /* Translators: title of an attention rollout figure; %s is the model (and which heads are off) */
  if (label != NULL)
    return g_strdup_printf (_("Attention rollout (Abnar & Zuidema 2020) · %s · %s"),
                            attn_result_get_model_name (result), label);
  return g_strdup_printf (_("Attention rollout (Abnar & Zuidema 2020) · %s"),
                          attn_result_get_model_name (result));
}

char *
attn_result_dup_derived_title (AttnResult     *result,
                               gboolean        rollout,
                               guint           layer,
                               guint           head,
                               AttnPairFilter  pairs)
{
  AttnDisplay links = { .pairs = attn_result_has_pair (result) ? pairs : ATTN_PAIR_FILTER_ALL };
  g_autofree char *title = rollout ? attn_result_dup_rollout_title (result)
                                   : attn_result_dup_delta_title (result, layer, head);
  g_autofree char *filter = attn_display_describe (&links, ATTN_SCALE_LINEAR, result);

  return filter != NULL ? g_strdup_printf ("%s · %s", title, filter) : g_steal_pointer (&title);
}

const char *
attn_rollout_note (gboolean brief)
{
  if (brief)
    return _("Attention alone (heads averaged, the residual as ½·I): not an explanation of the output");
  return _("Rollout (Abnar & Zuidema 2020): each layer’s attention averaged over its heads, "
           "half of it kept for the residual stream, multiplied through the layers. It shows how "
           "attention alone mixes the tokens; it ignores the MLPs, the values and the output "
           "projection, so it is not an explanation of the output.");
}
