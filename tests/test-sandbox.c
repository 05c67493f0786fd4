/* test-sandbox.c — the seed's cat/sat example, through the engine's kernels
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <math.h>
#include <string.h>

#include "ae-sandbox.h"

#define N AE_SANDBOX_DIM

/* What the seed prints, at the precision it prints. */
static const double SEED_Q_CAT[N] = { 0.40, -0.05, 0.23, 0.21 };
static const double SEED_K_SAT[N] = { -0.01, 0.79, -0.07, 0.53 };

/* @value prints as @printed with @decimals decimals. */
static void
assert_prints_as (double      value,
                  double      printed,
                  int         decimals,
                  const char *what)
{
  char got[32], want[32];

  g_snprintf (got, sizeof got, "%.*f", decimals, value);
  g_snprintf (want, sizeof want, "%.*f", decimals, printed);
  if (strcmp (got, want) != 0)
    g_error ("%s is %.6f, which prints as %s, not %s", what, value, got, want);
}

static AeSteps *
run (const float    *cat,
     const float    *sat,
     AeSandboxToken  query,
     AeSandboxToken  key)
{
  AeSteps *steps = NULL;
  AeError error = { 0 };

  if (ae_sandbox_run (&steps, cat, sat, query, key, &error) != AE_STATUS_OK)
    g_error ("ae_sandbox_run: %s", error.message);
  return steps;
}

/* out = x · W, by hand in double */
static void
project (double       out[N],
         const float *x,
         const float *w)
{
  for (int j = 0; j < N; j++)
    {
      out[j] = 0.0;
      for (int i = 0; i < N; i++)
        out[j] += (double) x[i] * w[i * N + j];
    }
}

static double
dot (const double a[N],
     const double b[N])
{
  double s = 0.0;

  for (int i = 0; i < N; i++)
    s += a[i] * b[i];
  return s;
}

/* Every figure of cat's row, by hand from the matrices, against the engine's. */
static void
check_by_hand (const float *cat,
               const float *sat)
{
  AeSteps *s = run (cat, sat, AE_SANDBOX_CAT, AE_SANDBOX_SAT);
  double q[N], k_sat[N], k_cat[N], v_sat[N], v_cat[N];
  double score_sat, score_cat, w_sat, w_cat;

  project (q, cat, ae_sandbox_w_q ());
  project (k_sat, sat, ae_sandbox_w_k ());
  project (k_cat, cat, ae_sandbox_w_k ());
  project (v_sat, sat, ae_sandbox_w_v ());
  project (v_cat, cat, ae_sandbox_w_v ());
  score_sat = dot (q, k_sat) / 2.0;          /* 1/√4 */
  score_cat = dot (q, k_cat) / 2.0;
  w_sat = 1.0 / (1.0 + exp (score_cat - score_sat));
  w_cat = 1.0 - w_sat;

  for (int i = 0; i < N; i++)
    {
      g_assert_cmpfloat_with_epsilon (s->q[i], q[i], 1e-6);
      g_assert_cmpfloat_with_epsilon (s->k[i], k_sat[i], 1e-6);
      g_assert_cmpfloat_with_epsilon (s->v[i], v_sat[i], 1e-6);
      g_assert_cmpfloat_with_epsilon (s->head_output[i], w_sat * v_sat[i] + w_cat * v_cat[i], 1e-6);
    }
  g_assert_cmpfloat_with_epsilon (s->dot, dot (q, k_sat), 1e-6);
  g_assert_cmpfloat_with_epsilon (s->scale, 0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (s->score, score_sat, 1e-6);
  g_assert_cmpfloat_with_epsilon (s->scores[AE_SANDBOX_CAT], score_cat, 1e-6);
  g_assert_cmpfloat_with_epsilon (s->weight, w_sat, 1e-6);
  g_assert_cmpfloat_with_epsilon (s->weights[AE_SANDBOX_CAT], w_cat, 1e-6);
  g_assert_false (s->masked);
  g_assert_null (s->heads_joined);
  g_assert_null (s->attn_output);
  ae_steps_free (s);
}

static void
test_seed_figures (void)
{
  const float *cat = ae_sandbox_default_embedding (AE_SANDBOX_CAT);
  const float *sat = ae_sandbox_default_embedding (AE_SANDBOX_SAT);
  AeSteps *s = run (cat, sat, AE_SANDBOX_CAT, AE_SANDBOX_SAT);
  static const float seed_cat[N] = { 0.70f, -0.30f, 0.50f, 0.10f };
  static const float seed_sat[N] = { 0.20f, 0.80f, -0.10f, 0.60f };

  g_assert_cmpmem (cat, sizeof seed_cat, seed_cat, sizeof seed_cat);
  g_assert_cmpmem (sat, sizeof seed_sat, seed_sat, sizeof seed_sat);
  g_assert_cmpmem (s->x, sizeof seed_cat, seed_cat, sizeof seed_cat);
  g_assert_cmpmem (s->x_key, sizeof seed_sat, seed_sat, sizeof seed_sat);

  for (int i = 0; i < N; i++)
    {
      assert_prints_as (s->q[i], SEED_Q_CAT[i], 2, "Q(cat)");
      assert_prints_as (s->k[i], SEED_K_SAT[i], 2, "K(sat)");
    }
  assert_prints_as (s->dot, 0.052, 3, "Q·K");
  assert_prints_as (s->score, 0.026, 3, "Q·K/√4");
  assert_prints_as (s->weight, 0.506, 3, "the weight on “sat”");
  g_assert_cmpuint (s->head_size, ==, 4);
  g_assert_cmpuint (s->n_tokens, ==, 2);
  g_assert_cmpfloat_with_epsilon (s->weights[0] + s->weights[1], 1.0, 1e-6);
  ae_steps_free (s);

  check_by_hand (cat, sat);
}

/* Moving one of cat's sliders moves q, the dot product and the weight, each
 * as the matrices say. */
static void
test_slider_cat (void)
{
  const float *sat = ae_sandbox_default_embedding (AE_SANDBOX_SAT);
  float cat[N];
  AeSteps *before, *after;

  memcpy (cat, ae_sandbox_default_embedding (AE_SANDBOX_CAT), sizeof cat);
  before = run (cat, sat, AE_SANDBOX_CAT, AE_SANDBOX_SAT);
  cat[1] = 0.45f;                       /* slider 2 of "cat": −0.30 → 0.45 */
  after = run (cat, sat, AE_SANDBOX_CAT, AE_SANDBOX_SAT);

  /* q moves by 0.75 · row 2 of W_Q, k does not move */
  for (int j = 0; j < N; j++)
    {
      g_assert_cmpfloat_with_epsilon (after->q[j] - before->q[j], 0.75 * ae_sandbox_w_q ()[1 * N + j], 1e-6);
      g_assert_cmpfloat (after->k[j], ==, before->k[j]);
    }
  g_assert_cmpfloat (fabs (after->dot - before->dot), >, 1e-3);
  g_assert_cmpfloat (fabs (after->weight - before->weight), >, 1e-4);
  ae_steps_free (before);
  ae_steps_free (after);

  check_by_hand (cat, sat);
}

/* Moving one of sat's sliders moves k but not q. */
static void
test_slider_sat (void)
{
  const float *cat = ae_sandbox_default_embedding (AE_SANDBOX_CAT);
  float sat[N];
  AeSteps *before, *after;

  memcpy (sat, ae_sandbox_default_embedding (AE_SANDBOX_SAT), sizeof sat);
  before = run (cat, sat, AE_SANDBOX_CAT, AE_SANDBOX_SAT);
  sat[3] = -1.0f;
  after = run (cat, sat, AE_SANDBOX_CAT, AE_SANDBOX_SAT);

  g_assert_cmpmem (after->q, N * sizeof (float), before->q, N * sizeof (float));
  for (int j = 0; j < N; j++)
    g_assert_cmpfloat_with_epsilon (after->k[j] - before->k[j], -1.6 * ae_sandbox_w_k ()[3 * N + j], 1e-6);
  g_assert_cmpfloat (after->weight, !=, before->weight);
  ae_steps_free (before);
  ae_steps_free (after);

  check_by_hand (cat, sat);
}

/* "sat" comes first, so it cannot see "cat": that pair is masked. */
static void
test_masked (void)
{
  AeSteps *s = run (ae_sandbox_default_embedding (AE_SANDBOX_CAT),
                    ae_sandbox_default_embedding (AE_SANDBOX_SAT),
                    AE_SANDBOX_SAT, AE_SANDBOX_CAT);

  g_assert_true (s->masked);
  g_assert_cmpfloat (s->weight, ==, 0.0f);
  g_assert_cmpfloat (s->weights[AE_SANDBOX_SAT], ==, 1.0f);
  ae_steps_free (s);
}

/* The article's order, "cat" then "sat", with no mask: "cat" sees "sat"
 * after it, with the seed's weight; every figure of both rows by hand. */
static void
test_article_order (void)
{
  const float *cat = ae_sandbox_default_embedding (AE_SANDBOX_CAT);
  const float *sat = ae_sandbox_default_embedding (AE_SANDBOX_SAT);
  double q_cat[N], q_sat[N], k_cat[N], k_sat[N];
  AeSteps *s = NULL;
  AeError error = { 0 };
  double w;

  project (q_cat, cat, ae_sandbox_w_q ());
  project (q_sat, sat, ae_sandbox_w_q ());
  project (k_cat, cat, ae_sandbox_w_k ());
  project (k_sat, sat, ae_sandbox_w_k ());
  g_assert_cmpuint (ae_sandbox_position (AE_SANDBOX_ARTICLE, AE_SANDBOX_CAT), ==, 0);
  g_assert_cmpuint (ae_sandbox_position (AE_SANDBOX_ARTICLE, AE_SANDBOX_SAT), ==, 1);

  /* "cat" (position 0) → "sat" (position 1): visible, the seed's 0.506 */
  g_assert_cmpint (ae_sandbox_run_layout (&s, cat, sat, AE_SANDBOX_ARTICLE, AE_SANDBOX_CAT, AE_SANDBOX_SAT, &error),
                   ==, AE_STATUS_OK);
  w = 1.0 / (1.0 + exp ((dot (q_cat, k_cat) - dot (q_cat, k_sat)) / 2.0));
  g_assert_cmpuint (s->query, ==, 0);
  g_assert_cmpuint (s->key, ==, 1);
  g_assert_true (s->bidirectional);
  g_assert_false (s->masked);
  g_assert_false (ae_steps_is_masked (s, 1));
  g_assert_cmpmem (s->x, N * sizeof (float), cat, N * sizeof (float));
  g_assert_cmpmem (s->x_key, N * sizeof (float), sat, N * sizeof (float));
  g_assert_cmpfloat_with_epsilon (s->weight, w, 1e-6);
  g_assert_cmpfloat_with_epsilon (s->weights[1], w, 1e-6);
  g_assert_cmpfloat_with_epsilon (s->weights[0], 1.0 - w, 1e-6);
  g_assert_cmpfloat_with_epsilon (s->scores[1], dot (q_cat, k_sat) / 2.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (s->scores[0], dot (q_cat, k_cat) / 2.0, 1e-6);
  assert_prints_as (s->weight, 0.506, 3, "the weight on “sat”");
  ae_steps_free (s);

  /* "sat" (position 1) → "cat" (position 0): also visible without a mask */
  g_assert_cmpint (ae_sandbox_run_layout (&s, cat, sat, AE_SANDBOX_ARTICLE, AE_SANDBOX_SAT, AE_SANDBOX_CAT, &error),
                   ==, AE_STATUS_OK);
  w = 1.0 / (1.0 + exp ((dot (q_sat, k_sat) - dot (q_sat, k_cat)) / 2.0));
  g_assert_cmpuint (s->query, ==, 1);
  g_assert_cmpuint (s->key, ==, 0);
  g_assert_cmpmem (s->x, N * sizeof (float), sat, N * sizeof (float));
  g_assert_cmpfloat_with_epsilon (s->weights[0], w, 1e-6);
  g_assert_cmpfloat_with_epsilon (s->weights[1], 1.0 - w, 1e-6);
  g_assert_cmpfloat_with_epsilon (s->weight, w, 1e-6);
  ae_steps_free (s);

  /* "cat" → itself */
  g_assert_cmpint (ae_sandbox_run_layout (&s, cat, sat, AE_SANDBOX_ARTICLE, AE_SANDBOX_CAT, AE_SANDBOX_CAT, &error),
                   ==, AE_STATUS_OK);
  g_assert_cmpuint (s->key, ==, 0);
  g_assert_cmpmem (s->x_key, N * sizeof (float), cat, N * sizeof (float));
  g_assert_cmpfloat_with_epsilon (s->weight, 1.0 - 1.0 / (1.0 + exp ((dot (q_cat, k_cat) - dot (q_cat, k_sat)) / 2.0)), 1e-6);
  ae_steps_free (s);
}

/* The same order under a GPT's causal mask: "cat" comes first and cannot
 * see "sat", so all its weight is on itself; a GPT has to put "sat" first. */
static void
test_causal_switch (void)
{
  const float *cat = ae_sandbox_default_embedding (AE_SANDBOX_CAT);
  const float *sat = ae_sandbox_default_embedding (AE_SANDBOX_SAT);
  AeSteps *s = NULL, *gpt = NULL;
  AeError error = { 0 };

  g_assert_cmpint (ae_sandbox_run_layout (&s, cat, sat, AE_SANDBOX_CAUSAL, AE_SANDBOX_CAT, AE_SANDBOX_SAT, &error),
                   ==, AE_STATUS_OK);
  g_assert_false (s->bidirectional);
  g_assert_cmpuint (s->query, ==, 0);
  g_assert_cmpuint (s->key, ==, 1);
  g_assert_true (s->masked);
  g_assert_cmpfloat (s->weight, ==, 0.0f);
  g_assert_cmpfloat (s->weights[0], ==, 1.0f);

  /* "sat" first: "cat" sees it again, with the article's weight */
  g_assert_cmpint (ae_sandbox_run_layout (&gpt, cat, sat, AE_SANDBOX_GPT, AE_SANDBOX_CAT, AE_SANDBOX_SAT, &error),
                   ==, AE_STATUS_OK);
  g_assert_false (gpt->masked);
  assert_prints_as (gpt->weight, 0.506, 3, "the weight on “sat”, “sat” first");
  ae_steps_free (s);
  ae_steps_free (gpt);
}

static void
test_names (void)
{
  AeSteps *s = NULL;
  AeError error = { 0 };

  g_assert_cmpstr (ae_sandbox_token_name (AE_SANDBOX_CAT), ==, "cat");
  g_assert_cmpstr (ae_sandbox_token_name (AE_SANDBOX_SAT), ==, "sat");
  g_assert_null (ae_sandbox_token_name (AE_SANDBOX_N_TOKENS));
  g_assert_cmpint (ae_sandbox_token_from_name ("cat"), ==, AE_SANDBOX_CAT);
  g_assert_cmpint (ae_sandbox_token_from_name ("dog"), ==, -1);
  g_assert_cmpint (ae_sandbox_run (&s, ae_sandbox_default_embedding (AE_SANDBOX_CAT),
                                   ae_sandbox_default_embedding (AE_SANDBOX_SAT),
                                   AE_SANDBOX_CAT, 2, &error), ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_null (s);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/attention/sandbox/seed-figures", test_seed_figures);
  g_test_add_func ("/attention/sandbox/slider-cat", test_slider_cat);
  g_test_add_func ("/attention/sandbox/slider-sat", test_slider_sat);
  g_test_add_func ("/attention/sandbox/masked", test_masked);
  g_test_add_func ("/attention/sandbox/names", test_names);
  g_test_add_func ("/attention/sandbox/article-order", test_article_order);
  g_test_add_func ("/attention/sandbox/causal-switch", test_causal_switch);

  return g_test_run ();
}
