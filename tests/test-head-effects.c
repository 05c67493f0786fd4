/* test-head-effects.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What switching one head off does to a prediction (attn-head-effects.h),
 * on the tiny fixture: the target is the intact model's top next token,
 * each head's weight its largest from the position, each Δ what a pass
 * with that head alone zeroed gives (run here through the engine's own
 * ablation, which test-predict holds against the numpy reference); the
 * heads by falling weight, a cap taking the first; a cancelled run is an
 * error and attn_head_effects_wait returns once it stopped.
 */

#include "config.h"

#include <math.h>

#include "attn-engine.h"
#include "attn-head-effects.h"
#include "attn-predictions.h"

#define TEXT "The cat sat on the mat and looked at the dog."

static AttnEngine *
tiny_engine (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fixtures", "models", "tiny-f32", NULL);
  g_autoptr(GError) error = NULL;
  AttnEngine *engine = attn_engine_new (dir, NULL, &error);

  g_assert_no_error (error);
  return engine;
}

static AttnResult *
run_without (AttnEngine *engine,
             int         layer,
             int         head)
{
  guint L = attn_engine_get_n_layers (engine), NH = attn_engine_get_n_heads (engine);
  g_autofree bool *off = g_new0 (bool, L * NH);
  AeAblation ablation = { AE_ABLATION_ZERO, L, NH, off };
  g_autoptr(GError) error = NULL;
  AttnResult *result;

  if (layer >= 0)
    off[layer * NH + head] = true;
  result = attn_engine_run_options (engine, TEXT,
                                    &(AttnRunOptions) { .truncate = TRUE,
                                                        .ablation = layer >= 0 ? &ablation : NULL },
                                    NULL, &error);
  g_assert_no_error (error);
  return result;
}

static void
test_effects_values (void)
{
  g_autoptr(AttnEngine) engine = tiny_engine ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnHeadEffects) effects = attn_head_effects_compute (engine, TEXT, 4, 0, NULL, &error);
  g_autoptr(AttnHeadEffects) capped = attn_head_effects_compute (engine, TEXT, 4, 3, NULL, &error);
  g_autoptr(AttnResult) intact = run_without (engine, -1, -1);
  g_autoptr(GArray) top = attn_result_predict (intact, 4, 1, NULL);
  guint T = attn_result_get_n_tokens (intact), L = attn_engine_get_n_layers (engine);
  guint NH = attn_engine_get_n_heads (engine);
  double largest = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (effects->position, ==, 4);
  g_assert_cmpint (effects->target, ==, g_array_index (top, AttnPrediction, 0).id);
  g_assert_cmpstr (effects->target_text, ==, g_array_index (top, AttnPrediction, 0).token);
  g_assert_cmpfloat_with_epsilon (effects->intact_logprob,
                                  log (g_array_index (top, AttnPrediction, 0).probability), 1e-5);
  g_assert_cmpuint (effects->n_effects, ==, L * NH);
  for (guint i = 0; i < effects->n_effects; i++)
    {
      const AttnHeadEffect *e = &effects->effects[i];
      g_autoptr(AttnResult) ablated = run_without (engine, (int) e->layer, (int) e->head);
      const float *row = attn_result_get_weights (intact, e->layer, e->head) + 4 * T;
      double want = attn_result_logprob_of (ablated, 4, effects->target) - effects->intact_logprob;
      float best = 0;

      for (guint j = 0; j <= 4; j++)
        best = MAX (best, row[j]);
      g_assert_cmpfloat_with_epsilon (e->weight, best, 1e-7);
      g_assert_cmpfloat_with_epsilon (row[e->key], best, 1e-7);
      g_assert_cmpfloat_with_epsilon (e->delta, want, 1e-5);
      g_assert_cmpfloat_with_epsilon (e->logprob, want + effects->intact_logprob, 1e-5);
      g_assert_true (attn_head_effects_find (effects, e->layer, e->head) == e);
      if (i > 0)
        g_assert_cmpfloat (e->weight, <=, effects->effects[i - 1].weight);
      largest = MAX (largest, fabs (e->delta));
    }
  g_test_message ("largest |Δ log p| of one head off: %.4f", largest);
  g_assert_cmpfloat (largest, >, 1e-3);

  /* A cap measures the heads that look hardest, the same numbers. */
  g_assert_cmpuint (capped->n_effects, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpuint (capped->effects[i].layer, ==, effects->effects[i].layer);
      g_assert_cmpuint (capped->effects[i].head, ==, effects->effects[i].head);
      g_assert_cmpfloat_with_epsilon (capped->effects[i].delta, effects->effects[i].delta, 1e-9);
    }
  g_assert_null (attn_head_effects_find (capped, effects->effects[3].layer, effects->effects[3].head));
}

static void
test_effects_errors (void)
{
  g_autoptr(AttnEngine) engine = tiny_engine ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_assert_null (attn_head_effects_compute (engine, TEXT, 500, 0, NULL, &error));
  g_assert_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID);
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  g_assert_null (attn_head_effects_compute (engine, TEXT, 2, 0, cancellable, &error));
  g_assert_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_CANCELLED);
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GError **error = user_data;

  g_assert_null (attn_head_effects_compute_finish (result, error));
}

/* Cancelled on its way, the worker stops and wait returns; the callback
 * then says it was cancelled. */
static void
test_effects_wait (void)
{
  g_autoptr(AttnEngine) engine = tiny_engine ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GError *error = NULL;

  attn_head_effects_compute_async (engine, TEXT, 3, 0, cancellable, done_cb, &error);
  g_cancellable_cancel (cancellable);
  attn_head_effects_wait (cancellable);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* GTask reports a cancelled cancellable as such */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_error_free (error);
}

/* The document switches off just that head, zeroed, and recomputes. */
static void
test_effects_apply (void)
{
  g_autoptr(AttnEngine) engine = tiny_engine ();
  g_autoptr(AttnDocument) document = attn_document_new ();
  const AeAblation *ablation;

  attn_document_set_engine (document, engine);
  attn_document_set_text (document, TEXT);
  attn_document_wait (document);
  attn_head_effects_apply (document, 1, 2);
  ablation = attn_document_get_ablation (document);
  g_assert_nonnull (ablation);
  g_assert_cmpint (ablation->kind, ==, AE_ABLATION_ZERO);
  g_assert_cmpuint (ae_ablation_count (ablation), ==, 1);
  g_assert_true (ae_ablation_has (ablation, 1, 2));
  attn_document_wait (document);
  g_assert_true (ae_ablation_has (attn_result_get_ablation (attn_document_get_result (document)), 1, 2));
  /* out of range: nothing changes */
  attn_head_effects_apply (document, 9, 0);
  g_assert_true (ae_ablation_has (attn_document_get_ablation (document), 1, 2));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attention/head-effects/values", test_effects_values);
  g_test_add_func ("/attention/head-effects/errors", test_effects_errors);
  g_test_add_func ("/attention/head-effects/wait", test_effects_wait);
  g_test_add_func ("/attention/head-effects/apply", test_effects_apply);

  return g_test_run ();
}
