/* test-result-vectors.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The vectors the Learn tour shows (attn-result-vectors.h) are the trace's
 * own rows for the right layer, head and token; the shape is the model's;
 * the mask knows a sliding window.  The head output is also checked
 * against its definition, Σ_j w_j v_j over the row's weights and values,
 * and the residual stream (attn-residual.h) against the trace: LayerNorm of
 * the vector entering layer l, with that layer's ln_1, is the trace's
 * normed input of layer l, in a sequential (GPT-2) and a parallel (Pythia)
 * block.
 */

#include "config.h"

#include <glib.h>
#include <math.h>

#include "attn-engine.h"
#include "attn-predictions.h"
#include "attn-residual.h"
#include "attn-result-vectors.h"

static AttnResult *
run (const char *model,
     const char *text)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fixtures", "models", model, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, &error);
  AttnResult *result;

  g_assert_no_error (error);
  result = attn_engine_run (engine, text, FALSE, NULL, &error);
  g_assert_no_error (error);
  return result;
}

static void
test_vectors_rows (void)
{
  g_autoptr(AttnResult) result = run ("tiny-f32", "The cat sat on the mat.");
  const AeTrace *trace = attn_result_get_trace (result);
  guint T = attn_result_get_n_tokens (result), n;
  AttnShape shape;

  g_assert_true (attn_result_get_shape (result, &shape));
  g_assert_cmpuint (shape.n_layer, ==, 2);
  g_assert_cmpuint (shape.n_head, ==, 4);
  g_assert_cmpuint (shape.n_embd, ==, 32);
  g_assert_cmpuint (shape.head_size, ==, 8);
  g_assert_cmpuint (shape.n_inner, ==, 4 * 32);   /* GPT-2's default, config.json has none */
  g_assert_false (shape.rms_norm);
  g_assert_false (shape.rotary);
  g_assert_false (shape.parallel);
  g_assert_false (shape.gated_mlp);

  for (guint layer = 0; layer < 2; layer++)
    for (guint head = 0; head < 4; head++)
      for (guint t = 0; t < T; t++)
        {
          const float *q = attn_result_get_vector (result, ATTN_VECTOR_Q, layer, head, t, &n);
          const float *out = attn_result_get_vector (result, ATTN_VECTOR_HEAD_OUTPUT, layer, head, t, &n);
          const float *w = attn_result_get_weights (result, layer, head) + (gsize) t * T;

          g_assert_cmpuint (n, ==, 8);
          g_assert_true (q == ae_trace_q (trace, layer, head) + t * 8);
          g_assert_true (attn_result_get_vector (result, ATTN_VECTOR_K, layer, head, t, NULL)
                         == ae_trace_k (trace, layer, head) + t * 8);
          g_assert_true (attn_result_get_scores_row (result, layer, head, t)
                         == ae_trace_scores (trace, layer, head) + (gsize) t * T);
          /* head output = Σ_j w_j v_j */
          for (guint d = 0; d < 8; d++)
            {
              double sum = 0;

              for (guint j = 0; j < T; j++)
                sum += w[j] * attn_result_get_vector (result, ATTN_VECTOR_V, layer, head, j, NULL)[d];
              g_assert_cmpfloat_with_epsilon (out[d], sum, 1e-5);
            }
          g_assert_true (attn_result_get_vector (result, ATTN_VECTOR_ATTN_OUTPUT, layer, 99, t, &n)
                         == ae_trace_attn_out (trace, layer) + t * 32);
          g_assert_cmpuint (n, ==, 32);
          g_assert_true (attn_result_get_vector (result, ATTN_VECTOR_NORMED_INPUT, layer, 0, t, NULL)
                         == ae_trace_ln1 (trace, layer) + t * 32);
        }

  g_assert_null (attn_result_get_vector (result, ATTN_VECTOR_Q, 2, 0, 0, NULL));
  g_assert_null (attn_result_get_vector (result, ATTN_VECTOR_Q, 0, 4, 0, NULL));
  g_assert_null (attn_result_get_vector (result, ATTN_VECTOR_Q, 0, 0, T, NULL));
  g_assert_null (attn_result_get_scores_row (result, 0, 0, T));
  g_assert_true (attn_result_is_masked (result, 2, 3));
  g_assert_false (attn_result_is_masked (result, 3, 0));
}

/* Mistral's window of 5: a query sees its 5 latest keys, itself included. */
static void
test_vectors_window (void)
{
  g_autoptr(AttnResult) result = run ("mistral-window", "abcdefghij");
  AttnShape shape;

  g_assert_cmpuint (attn_result_get_n_tokens (result), >, 7);
  g_assert_true (attn_result_get_shape (result, &shape));
  g_assert_cmpuint (shape.window, ==, 5);
  g_assert_true (shape.rms_norm);
  g_assert_true (shape.rotary);
  g_assert_true (shape.gated_mlp);
  g_assert_cmpuint (shape.n_kv_head, ==, 2);
  g_assert_cmpuint (shape.n_inner, ==, 24);
  g_assert_false (attn_result_is_masked (result, 7, 3));
  g_assert_true (attn_result_is_masked (result, 7, 2));
  g_assert_true (attn_result_is_masked (result, 6, 7));
}

static void
check_residual (const char *model_name)
{
  g_autoptr(AttnResult) result = run (model_name, "The cat sat on the mat.");
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnResidual) residual = attn_residual_compute (result, NULL, &error);
  const AeModel *model = attn_engine_get_model (attn_result_get_engine (result));
  const AeConfig *config = ae_model_config (model);
  guint T = attn_result_get_n_tokens (result), C = (guint) config->n_embd, n;
  double max_error = 0;

  g_assert_no_error (error);
  g_assert_true (attn_residual_get_result (residual) == result);
  for (guint l = 0; l < config->n_layer; l++)
    {
      const AeLayerWeights *weights = ae_model_layer (model, l);

      for (guint t = 0; t < T; t++)
        {
          const float *x = attn_residual_get_row (residual, l, t, &n);
          const float *ln = attn_result_get_vector (result, ATTN_VECTOR_NORMED_INPUT, l, 0, t, NULL);
          double mean = 0, var = 0;

          g_assert_cmpuint (n, ==, C);
          for (guint c = 0; c < C; c++)
            mean += x[c] / C;
          for (guint c = 0; c < C; c++)
            var += (x[c] - mean) * (x[c] - mean) / C;
          for (guint c = 0; c < C; c++)
            {
              double want = (x[c] - mean) / sqrt (var + config->layer_norm_epsilon) * weights->ln_1_w[c]
                            + (weights->ln_1_b ? weights->ln_1_b[c] : 0);

              max_error = MAX (max_error, fabs (want - ln[c]));
            }
        }
    }
  g_test_message ("%s: LayerNorm(residual) vs the trace's ln1: max error %.2g", model_name, max_error);
  g_assert_cmpfloat (max_error, <, 1e-4);
  g_assert_nonnull (attn_residual_get_row (residual, config->n_layer, T - 1, NULL));
  g_assert_null (attn_residual_get_row (residual, config->n_layer + 1, 0, NULL));
  g_assert_null (attn_residual_get_row (residual, 0, T, NULL));
}

static void
test_residual_sequential (void)
{
  check_residual ("tiny-f32");
}

static void
test_residual_parallel (void)
{
  check_residual ("pythia-parallel");
}

static void
async_done_cb (GObject      *source,
               GAsyncResult *async_result,
               gpointer      user_data)
{
  AttnResidual **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = attn_residual_compute_finish (async_result, &error);
  g_assert_no_error (error);
}

/* The worker thread's stream is the same; a cancelled one is an error. */
static void
test_residual_async (void)
{
  g_autoptr(AttnResult) result = run ("tiny-f32", "The cat sat on the mat.");
  g_autoptr(AttnResidual) sync = attn_residual_compute (result, NULL, NULL);
  g_autoptr(AttnResidual) async = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  guint n;

  attn_residual_compute_async (result, NULL, async_done_cb, &async);
  while (async == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpmem (attn_residual_get_row (async, 0, 0, &n), 3 * n * sizeof (float),
                   attn_residual_get_row (sync, 0, 0, NULL), 3 * n * sizeof (float));

  g_cancellable_cancel (cancellable);
  g_assert_null (attn_residual_compute (result, cancellable, &error));
  g_assert_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_CANCELLED);
}

/* One residual stream: a result that kept it for its predictions lends
 * the very buffer (no second pass); one that did not (the first layers
 * only) gets the same numbers from the shared pass, with the heads the
 * result had off. */
static void
test_residual_shared (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fixtures", "models", "tiny-f32", NULL);
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, NULL);
  const char *text = "The cat sat on the mat.";
  bool off[2 * 4] = { [0 * 4 + 1] = true };
  AeAblation ablation = { AE_ABLATION_ZERO, 2, 4, off };
  g_autoptr(AttnResult) intact = attn_engine_run (engine, text, FALSE, NULL, NULL);
  g_autoptr(AttnResult) ablated = attn_engine_run_options (engine, text, &(AttnRunOptions) { .ablation = &ablation },
                                                           NULL, NULL);
  g_autoptr(AttnResult) partial = attn_engine_run_options (engine, text,
                                                           &(AttnRunOptions) { .n_layers = 1, .ablation = &ablation },
                                                           NULL, NULL);
  g_autoptr(AttnResidual) intact_stream = attn_residual_compute (intact, NULL, NULL);
  g_autoptr(AttnResidual) ablated_stream = attn_residual_compute (ablated, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnResidual) partial_stream = attn_residual_compute (partial, NULL, &error);
  guint T = attn_result_get_n_tokens (intact), C;
  double moved = 0;

  g_assert_no_error (error);
  g_assert_nonnull (_attn_result_get_outputs (intact)->residual);
  g_assert_null (_attn_result_get_outputs (partial)->residual);
  g_assert_true (attn_residual_get_row (intact_stream, 0, 0, &C) == _attn_result_get_outputs (intact)->residual);
  g_assert_true (attn_residual_get_row (ablated_stream, 2, T - 1, NULL)
                 == _attn_result_get_outputs (ablated)->residual + (2 * T + T - 1) * C);
  for (guint b = 0; b <= 2; b++)
    for (guint t = 0; t < T; t++)
      {
        const float *want = attn_residual_get_row (ablated_stream, b, t, NULL);
        const float *got = attn_residual_get_row (partial_stream, b, t, NULL);
        const float *whole = attn_residual_get_row (intact_stream, b, t, NULL);

        for (guint c = 0; c < C; c++)
          {
            g_assert_cmpfloat_with_epsilon (got[c], want[c], 1e-5);
            moved = MAX (moved, fabs (whole[c] - want[c]));
          }
      }
  /* the fallback pass did switch head 0.1 off: the stream after layer 0 moved */
  g_test_message ("largest change head 0.1 off makes to the stream: %.3g", moved);
  g_assert_cmpfloat (moved, >, 1e-3);
}

static void
test_vectors_norm (void)
{
  const float v[] = { 3, 4, 0 };

  g_assert_cmpfloat_with_epsilon (attn_vector_norm (v, 3), 5.0, 1e-12);
  g_assert_cmpfloat (attn_vector_norm (v, 0), ==, 0.0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attention/result-vectors/rows", test_vectors_rows);
  g_test_add_func ("/attention/result-vectors/window", test_vectors_window);
  g_test_add_func ("/attention/result-vectors/norm", test_vectors_norm);
  g_test_add_func ("/attention/residual/sequential", test_residual_sequential);
  g_test_add_func ("/attention/residual/parallel", test_residual_parallel);
  g_test_add_func ("/attention/residual/async", test_residual_async);
  g_test_add_func ("/attention/residual/shared", test_residual_shared);

  return g_test_run ();
}
