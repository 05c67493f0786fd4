/* test-steps.c — the walkthrough's numbers agree with the forward pass's trace
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For several heads and (query, key) pairs of the built-in model and the
 * fixture models, every step ae_steps_new() recomputes from x and the head's
 * slices of c_attn must match what ae_model_forward() recorded, to 1e-6.
 *
 * The tolerance is 1e-6 relative to the size of what was summed (at least
 * 1): the walkthrough's projection is a (T, C)·(C, hs) product where the
 * forward pass's is (T, C)·(C, 3C), and OpenBLAS may round those in another
 * order.  On the built-in model they agree to the bit; the tiny fixtures,
 * with |q| up to 4, differ by one float32 ulp (4.8e-7 at 4).
 */

#include <glib.h>
#include <math.h>
#include <string.h>

#include "ae-steps.h"

#define TOLERANCE 1e-6

static const char SENTENCE[] = "The animal didn't cross the street because it was too tired.";

typedef struct
{
  AeModel *model;
  AeTrace *trace;
} Fixture;

static char *
model_dir (const char *name)
{
  const char *models = g_getenv ("ATTENTION_MODELS_DIR");

  if (g_str_has_prefix (name, "tiny-") || g_str_has_suffix (name, "-mlm"))
    return g_test_build_filename (G_TEST_DIST, "fixtures", "models", name, NULL);
  if (models != NULL)
    return g_build_filename (models, name, NULL);
  return g_test_build_filename (G_TEST_DIST, "..", "data", "models", name, NULL);
}

/* FALSE (and the test skipped) when the model is not there yet. */
static gboolean
fixture_load (Fixture    *f,
              const char *name)
{
  g_autofree char *dir = model_dir (name);
  g_autofree char *weights = g_build_filename (dir, "model.safetensors", NULL);
  AeError error = { 0 };
  AeTokens tokens = { 0 };
  size_t n;

  if (!g_file_test (weights, G_FILE_TEST_EXISTS))
    {
      g_test_skip_printf ("no model at %s", dir);
      return FALSE;
    }

  if (ae_model_load (&f->model, dir, &error) != AE_STATUS_OK)
    g_error ("loading %s: %s", dir, error.message);
  if (ae_tokenizer_encode (ae_model_tokenizer (f->model), SENTENCE, (size_t) -1, &tokens, &error) != AE_STATUS_OK)
    g_error ("tokenizing: %s", error.message);
  g_assert_cmpuint (tokens.n_tokens, >=, 4);
  /* the fixtures' context is short: keep what fits */
  n = MIN (tokens.n_tokens, ae_model_config (f->model)->n_ctx);
  if (ae_model_forward (f->model, tokens.ids, n, NULL, &f->trace, &error) != AE_STATUS_OK)
    g_error ("forward: %s", error.message);
  ae_tokens_clear (&tokens);
  return TRUE;
}

static void
fixture_clear (Fixture *f)
{
  g_clear_pointer (&f->trace, ae_trace_free);
  g_clear_pointer (&f->model, ae_model_free);
}

static double
max_abs (const float *x,
         size_t       n)
{
  double m = 0.0;

  for (size_t i = 0; i < n; i++)
    m = MAX (m, fabs (x[i]));
  return m;
}

/* |got - want| <= 1e-6 · max (1, @magnitude) everywhere */
static void
assert_close (const float *got,
              const float *want,
              size_t       n,
              double       magnitude,
              const char  *what)
{
  double max_diff = 0.0, tolerance = TOLERANCE * MAX (1.0, magnitude);
  size_t at = 0;

  for (size_t i = 0; i < n; i++)
    {
      double d = fabs ((double) got[i] - (double) want[i]);

      if (d > max_diff)
        {
          max_diff = d;
          at = i;
        }
    }
  if (max_diff > tolerance)
    g_error ("%s: differs by %g at %zu (%.9g vs %.9g)", what, max_diff, at, got[at], want[at]);
}

static AeSteps *
steps_new (const Fixture *f,
           size_t         layer,
           size_t         head,
           size_t         query,
           size_t         key)
{
  AeSteps *steps = NULL;
  AeError error = { 0 };

  if (ae_steps_new (&steps, f->model, f->trace, layer, head, query, key, &error) != AE_STATUS_OK)
    g_error ("ae_steps_new (%zu, %zu, %zu, %zu): %s", layer, head, query, key, error.message);
  g_assert_nonnull (steps);
  return steps;
}

/* Every step of one pair against the trace. */
static void
check_pair (const Fixture *f,
            size_t         layer,
            size_t         head,
            size_t         query,
            size_t         key)
{
  const AeTrace *tr = f->trace;
  const AeLayerWeights *lw = ae_model_layer (f->model, layer);
  size_t T = tr->n_tokens, C = tr->n_embd, hs = tr->head_size;
  AeSteps *s = steps_new (f, layer, head, query, key);
  const float *ln1 = ae_trace_ln1 (tr, layer);
  const float *scores = ae_trace_scores (tr, layer, head) + query * T;
  const float *weights = ae_trace_weights (tr, layer, head) + query * T;
  double sum = 0.0, qk;

  g_assert_cmpuint (s->layer, ==, layer);
  g_assert_cmpuint (s->head, ==, head);
  g_assert_cmpuint (s->query, ==, query);
  g_assert_cmpuint (s->key, ==, key);
  g_assert_cmpuint (s->head_size, ==, hs);
  g_assert_cmpuint (s->n_tokens, ==, T);

  /* 1: the inputs are the trace's ln1 rows */
  g_assert_cmpmem (s->x, C * sizeof (float), ln1 + query * C, C * sizeof (float));
  g_assert_cmpmem (s->x_key, C * sizeof (float), ln1 + key * C, C * sizeof (float));

  /* 2: the slices are c_attn's columns for this head, and q, k, v
   * recomputed from them match the trace */
  for (size_t i = 0; i < C; i += 7)
    for (size_t j = 0; j < hs; j += 3)
      {
        g_assert_cmpfloat (s->w_q[i * hs + j], ==, ae_matrix_at (lw->c_attn_w, i * 3 * C + head * hs + j));
        g_assert_cmpfloat (s->w_k[i * hs + j], ==, ae_matrix_at (lw->c_attn_w, i * 3 * C + C + head * hs + j));
        g_assert_cmpfloat (s->w_v[i * hs + j], ==,
                           ae_matrix_at (lw->c_attn_w, i * 3 * C + 2 * C + head * hs + j));
      }
  g_assert_cmpmem (s->b_k, hs * sizeof (float), lw->c_attn_b + C + head * hs, hs * sizeof (float));
  assert_close (s->q, ae_trace_q (tr, layer, head) + query * hs, hs, max_abs (s->q, hs), "q");
  assert_close (s->k, ae_trace_k (tr, layer, head) + key * hs, hs, max_abs (s->k, hs), "k");
  assert_close (s->v, ae_trace_v (tr, layer, head) + key * hs, hs, max_abs (s->v, hs), "v");
  /* how large the terms of a score can be */
  qk = max_abs (s->q, hs) * max_abs (ae_trace_k (tr, layer, head), T * hs);

  /* 3: the products sum to the dot product */
  for (size_t d = 0; d < hs; d++)
    {
      g_assert_cmpfloat (s->products[d], ==, s->q[d] * s->k[d]);
      sum += s->products[d];
    }
  /* s->dot is the float32 of that sum: up to half an ulp of |sum| apart. */
  g_assert_cmpfloat_with_epsilon (s->dot, sum, TOLERANCE * MAX (1.0, fabs (sum)));

  /* 4: scale; the score is the trace's */
  g_assert_cmpfloat_with_epsilon (s->scale, 1.0 / sqrt ((double) hs), 1e-7);
  g_assert_cmpfloat_with_epsilon (s->score, s->dot * s->scale, TOLERANCE * MAX (1.0, qk));

  /* 5 and 6: the mask, the row of scores and its softmax */
  g_assert_true (s->masked == (key > query));
  if (!s->masked)
    g_assert_cmpfloat_with_epsilon (s->score, scores[key], TOLERANCE * MAX (1.0, qk));
  assert_close (s->scores, scores, T, qk, "scores row");
  assert_close (s->weights, weights, T, qk, "weights row");
  g_assert_cmpfloat_with_epsilon (s->weight, weights[key], TOLERANCE * MAX (1.0, qk));
  if (s->masked)
    g_assert_cmpfloat (s->weight, ==, 0.0f);

  /* 7: the weighted sum of values and this key's share */
  assert_close (s->head_output, ae_trace_head_out (tr, layer, head) + query * hs, hs,
                qk * max_abs (ae_trace_v (tr, layer, head), T * hs), "head output");
  for (size_t d = 0; d < hs; d++)
    g_assert_cmpfloat (s->share[d], ==, s->weight * s->v[d]);

  /* 8: heads joined and projected are the attention output */
  g_assert_nonnull (s->heads_joined);
  for (size_t h = 0; h < tr->n_head; h++)
    {
      if (h != head)
        g_assert_cmpmem (s->heads_joined + h * hs, hs * sizeof (float),
                         ae_trace_head_out (tr, layer, h) + query * hs, hs * sizeof (float));
    }
  g_assert_cmpmem (s->heads_joined + head * hs, hs * sizeof (float), s->head_output, hs * sizeof (float));
  assert_close (s->attn_output, ae_trace_attn_out (tr, layer) + query * C, C,
                max_abs (ae_trace_attn_out (tr, layer), T * C), "attention output");

  ae_steps_free (s);
}

static void
check_model (const char *name)
{
  Fixture f = { 0 };
  size_t T;

  if (!fixture_load (&f, name))
    return;

  T = f.trace->n_tokens;
  for (size_t layer = 0; layer < f.trace->n_layer; layer++)
    for (size_t head = 0; head < f.trace->n_head; head++)
      {
        /* the first and last query, one in between; the first key, the
         * previous token, the query itself, and a key in its future */
        size_t queries[] = { 0, T / 2, T - 1 };

        for (size_t i = 0; i < G_N_ELEMENTS (queries); i++)
          {
            size_t q = queries[i];
            size_t keys[] = { 0, q > 0 ? q - 1 : 0, q, q + 1 < T ? q + 1 : T - 1 };

            for (size_t j = 0; j < G_N_ELEMENTS (keys); j++)
              check_pair (&f, layer, head, q, keys[j]);
          }
      }
  fixture_clear (&f);
}

static void
test_builtin (void)
{
  check_model ("minigpt-en");
}

static void
test_tiny_f32 (void)
{
  check_model ("tiny-f32");
}

static void
test_tiny_f16 (void)
{
  check_model ("tiny-f16");
}

static void
test_masked (void)
{
  Fixture f = { 0 };
  AeSteps *s;

  if (!fixture_load (&f, "tiny-f32"))
    return;

  s = steps_new (&f, 1, 2, 1, 3);
  g_assert_true (s->masked);
  g_assert_cmpfloat (s->weight, ==, 0.0f);
  g_assert_cmpfloat (s->weights[3], ==, 0.0f);
  g_assert_cmpfloat (s->scores[3], ==, 0.0f);
  /* the would-be score is still shown: the mask acts after scaling */
  g_assert_cmpfloat_with_epsilon (s->score, s->dot * s->scale, TOLERANCE);
  for (size_t d = 0; d < s->head_size; d++)
    g_assert_cmpfloat (s->share[d], ==, 0.0f);
  ae_steps_free (s);
  fixture_clear (&f);
}

static void
test_out_of_range (void)
{
  Fixture f = { 0 };
  AeSteps *s = NULL;
  AeError error = { 0 };
  size_t T;

  if (!fixture_load (&f, "tiny-f32"))
    return;
  T = f.trace->n_tokens;

  g_assert_cmpint (ae_steps_new (&s, f.model, f.trace, 0, 0, T, 0, &error), ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_null (s);
  g_assert_nonnull (strstr (error.message, "query"));
  g_assert_cmpint (ae_steps_new (&s, f.model, f.trace, 0, 0, 0, T + 3, &error), ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "key"));
  g_assert_cmpint (ae_steps_new (&s, f.model, f.trace, 0, f.trace->n_head, 0, 0, &error), ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "head"));
  g_assert_cmpint (ae_steps_new (&s, f.model, f.trace, f.trace->n_layer, 0, 0, 0, &error), ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "layer"));
  g_assert_null (s);
  fixture_clear (&f);
}

/* A trace of the first layers gives the steps the whole pass gives, and
 * names its own last layer when asked for one past it.  ae_steps_new
 * refused such traces as "not made by this model". */
static void
test_first_layers (void)
{
  Fixture f = { 0 };
  AeTokens tokens = { 0 };
  AeTrace *partial = NULL;
  AeSteps *whole, *part = NULL;
  AeError error = { 0 };
  size_t T;

  if (!fixture_load (&f, "tiny-f32"))
    return;
  T = f.trace->n_tokens;
  g_assert_cmpint (ae_tokenizer_encode (ae_model_tokenizer (f.model), SENTENCE, (size_t) -1, &tokens, &error),
                   ==, AE_STATUS_OK);
  g_assert_cmpint (ae_model_forward_layers (f.model, tokens.ids, T, 1, NULL, &partial, &error),
                   ==, AE_STATUS_OK);
  g_assert_cmpuint (partial->n_layer, ==, 1);

  whole = steps_new (&f, 0, 2, T - 1, 1);
  g_assert_cmpint (ae_steps_new (&part, f.model, partial, 0, 2, T - 1, 1, &error), ==, AE_STATUS_OK);
  g_assert_cmpmem (part->memory, (part->attn_output + part->n_embd - part->memory) * sizeof (float),
                   whole->memory, (whole->attn_output + whole->n_embd - whole->memory) * sizeof (float));
  ae_steps_free (part);
  part = NULL;

  g_assert_cmpint (ae_steps_new (&part, f.model, partial, 1, 0, 0, 0, &error), ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "layer 1"));
  g_assert_null (part);

  ae_steps_free (whole);
  ae_trace_free (partial);
  ae_tokens_clear (&tokens);
  fixture_clear (&f);
}

/* An encoder's steps see every key: none is masked, the row of weights
 * over all T keys is the trace's (which has no mask either), and a later
 * key gets a weight of its own.  They once ran the causal kernel and gave
 * the walkthrough a GPT's numbers for a BERT. */
static void
check_encoder (const char *name)
{
  Fixture f = { 0 };
  size_t T;

  if (!fixture_load (&f, name))
    return;
  g_assert_true (f.trace->bidirectional);
  T = f.trace->n_tokens;
  for (size_t layer = 0; layer < f.trace->n_layer; layer++)
    for (size_t head = 0; head < f.trace->n_head; head++)
      {
        size_t queries[] = { 0, T / 2 };

        for (size_t i = 0; i < G_N_ELEMENTS (queries); i++)
          {
            size_t q = queries[i], hs = f.trace->head_size;
            AeSteps *s = steps_new (&f, layer, head, q, T - 1);
            const float *weights = ae_trace_weights (f.trace, layer, head) + q * T;
            double sum = 0.0;

            g_assert_true (s->bidirectional);
            g_assert_false (s->masked);
            assert_close (s->weights, weights, T, 1.0, "encoder weights row");
            assert_close (s->scores, ae_trace_scores (f.trace, layer, head) + q * T, T,
                          max_abs (s->scores, T), "encoder scores row");
            assert_close (s->head_output, ae_trace_head_out (f.trace, layer, head) + q * hs, hs,
                          max_abs (ae_trace_v (f.trace, layer, head), T * hs), "encoder head output");
            for (size_t k = 0; k < T; k++)
              sum += s->weights[k];
            g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-5);
            g_assert_cmpfloat (s->weight, >, 0.0f);
            g_assert_cmpfloat (s->weight, ==, s->weights[T - 1]);
            ae_steps_free (s);
          }
      }
  fixture_clear (&f);
}

static void
test_encoders (void)
{
  check_encoder ("bert-mlm");
  check_encoder ("distilbert-mlm");
  check_encoder ("roberta-mlm");
}

static void
test_step_names (void)
{
  for (int i = 0; i < AE_STEP_COUNT; i++)
    g_assert_nonnull (ae_step_to_string (i));
  g_assert_cmpstr (ae_step_to_string (AE_STEP_HEADS), ==, "Heads joined");
  g_assert_null (ae_step_to_string (AE_STEP_COUNT));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/attention/steps/builtin-model", test_builtin);
  g_test_add_func ("/attention/steps/tiny-f32", test_tiny_f32);
  g_test_add_func ("/attention/steps/tiny-f16", test_tiny_f16);
  g_test_add_func ("/attention/steps/masked", test_masked);
  g_test_add_func ("/attention/steps/out-of-range", test_out_of_range);
  g_test_add_func ("/attention/steps/first-layers", test_first_layers);
  g_test_add_func ("/attention/steps/encoders", test_encoders);
  g_test_add_func ("/attention/steps/step-names", test_step_names);

  return g_test_run ();
}
