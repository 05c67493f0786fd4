/* test-predict.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Beyond attention (issue 14), against the numpy references
 * (tools/reference/make_prediction_fixtures.py) on the fixture models of
 * every family: the last position's logits and probabilities, each token's
 * log-probability, the logit lens, the pass with heads zero- and
 * mean-ablated, and rollout (whole and row by row), all to 1e-5.  Then the
 * head detectors against values worked out by hand, and sampling: a seed
 * repeats, temperature 0 is greedy, top-k and top-p keep to their sets, and
 * the draws follow the distribution.
 */

#include <glib.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "ae-ablation.h"
#include "ae-detectors.h"
#include "ae-logits.h"
#include "ae-model.h"
#include "ae-rollout.h"
#include "ae-sample.h"

#define TOLERANCE 1e-5

#include "fixture-compare.h"

static json_t *
load_fixture (const char *name)
{
  return load_json_fixture ("predict", name);
}

typedef struct
{
  AeTrace *trace;
  float   *residual;   /* (L + 1, T, C) */
} Run;

static Run
run (const AeModel    *model,
     const int32_t    *ids,
     size_t            T,
     const AeAblation *ablation)
{
  const AeConfig *cfg = ae_model_config (model);
  Run r = { NULL, g_new0 (float, (cfg->n_layer + 1) * T * cfg->n_embd) };
  AeForwardHooks hooks = { ablation, r.residual };
  AeError error = { 0 };

  if (ae_model_forward_hooked (model, ids, T, 0, &hooks, NULL, &r.trace, &error) != AE_STATUS_OK)
    g_error ("forward: %s", error.message);
  return r;
}

static void
run_clear (Run *r)
{
  ae_trace_free (r->trace);
  g_free (r->residual);
}

/* The logits of position @t of residual block @block. */
static float *
logits_at (const AeModel *model,
           const Run     *r,
           size_t         block,
           size_t         t)
{
  const AeConfig *cfg = ae_model_config (model);
  size_t T = r->trace->n_tokens, C = cfg->n_embd;
  float *logits = g_new (float, cfg->vocab_size);
  AeError error = { 0 };

  if (ae_model_logits (model, r->residual + (block * T + t) * C, 1, logits, &error) != AE_STATUS_OK)
    g_error ("logits: %s", error.message);
  return logits;
}

/* Every head's weights, layer by layer, as one block. */
static float *
all_weights (const AeTrace *trace)
{
  size_t L = trace->n_layer, NH = trace->n_head, T = trace->n_tokens;
  float *out = g_new (float, L * NH * T * T);

  for (size_t l = 0; l < L; l++)
    for (size_t h = 0; h < NH; h++)
      memcpy (out + (l * NH + h) * T * T, ae_trace_weights (trace, l, h), T * T * sizeof (float));
  return out;
}

static void
test_fixture (gconstpointer data)
{
  const char *name = data;
  json_t *root = load_fixture (name);
  json_t *ids_json = json_object_get (root, "ids");
  AeModel *model = load_fixture_model (name);
  const AeConfig *cfg = ae_model_config (model);
  size_t T = json_array_size (ids_json), V = cfg->vocab_size, L = cfg->n_layer;
  g_autofree int32_t *ids = g_new (int32_t, T);
  g_autofree float *logits = NULL, *probs = g_new (float, V), *logprobs = g_new (float, T);
  g_autofree float *lens = g_new (float, (L + 1) * V), *rollout = g_new (float, T * T);
  g_autofree double *ref_probs = g_new (double, V);
  g_autofree float *row = g_new (float, T), *ref_row = g_new (float, T);
  json_t *ref_logits = json_object_get (root, "logits");
  AePrediction top[5];
  AeError error = { 0 };
  double lse, ref_lse = -INFINITY, ref_sum = 0.0;
  Run r;

  g_assert_true (ae_model_has_lm_head (model));
  for (size_t t = 0; t < T; t++)
    ids[t] = (int32_t) json_integer_value (json_array_get (ids_json, t));
  r = run (model, ids, T, NULL);

  /* the next-token distribution after the last token */
  logits = logits_at (model, &r, L, T - 1);
  check_tensor ("logits", logits, ref_logits, V);
  for (size_t v = 0; v < V; v++)
    ref_lse = MAX (ref_lse, json_number_value (json_array_get (ref_logits, v)));
  for (size_t v = 0; v < V; v++)
    ref_sum += exp (json_number_value (json_array_get (ref_logits, v)) - ref_lse);
  lse = ae_logits_logsumexp (logits, V);
  for (size_t v = 0; v < V; v++)
    {
      probs[v] = (float) exp (logits[v] - lse);
      ref_probs[v] = exp (json_number_value (json_array_get (ref_logits, v)) - ref_lse) / ref_sum;
    }
  {
    json_t *p = json_array ();

    for (size_t v = 0; v < V; v++)
      json_array_append_new (p, json_real (ref_probs[v]));
    check_tensor ("probs", probs, p, V);
    json_decref (p);
  }
  /* top-k: the k largest reference probabilities, in order */
  g_assert_cmpuint (ae_logits_top_k (logits, V, 5, top), ==, 5);
  for (size_t i = 0; i < 5; i++)
    {
      g_assert_cmpfloat_with_epsilon (top[i].probability, ref_probs[top[i].id], TOLERANCE);
      for (size_t v = 0; v < V; v++)
        if (ref_probs[v] > top[i].probability + 1e-6)
          {
            gboolean listed = FALSE;

            for (size_t j = 0; j < i; j++)
              listed |= top[j].id == (int32_t) v;
            g_assert_true (listed);
          }
    }

  /* each token's log-probability: one streaming pass over the head */
  if (ae_model_token_logprobs (model, r.residual + L * T * cfg->n_embd, ids, T, logprobs,
                               &error) != AE_STATUS_OK)
    g_error ("token logprobs: %s", error.message);
  g_assert_true (isnan (logprobs[0]));
  {
    json_t *expected = json_array ();

    for (size_t t = 1; t < T; t++)
      json_array_append (expected, json_array_get (json_object_get (root, "token_logprobs"), t));
    check_tensor ("logprobs", logprobs + 1, expected, T - 1);
    json_decref (expected);
  }

  /* the logit lens of the last position, from every layer */
  for (size_t l = 0; l <= L; l++)
    {
      g_autofree float *one = logits_at (model, &r, l, T - 1);

      memcpy (lens + l * V, one, V * sizeof (float));
    }
  check_tensor ("lens", lens, json_object_get (root, "lens"), (L + 1) * V);

  /* rollout, whole and one row at a time */
  if (ae_rollout (r.trace, rollout, &error) != AE_STATUS_OK)
    g_error ("rollout: %s", error.message);
  check_tensor ("rollout", rollout, json_object_get (root, "rollout"), T * T);
  for (size_t q = 0; q < T; q++)
    {
      json_t *ref = json_array_get (json_object_get (root, "rollout"), q);

      g_assert_cmpint (ae_rollout_row (r.trace, q, row, &error), ==, AE_STATUS_OK);
      check_tensor ("rollout row", row, ref, T);
      (void) ref_row;
    }
  g_assert_cmpint (ae_rollout_row (r.trace, T, row, &error), ==, AE_STATUS_INVALID_ARGUMENT);

  /* the same text with heads switched off */
  for (size_t a = 0; a < json_array_size (json_object_get (root, "ablations")); a++)
    {
      json_t *ab = json_array_get (json_object_get (root, "ablations"), a);
      json_t *heads = json_object_get (ab, "heads");
      g_autofree bool *mask = g_new0 (bool, L * cfg->n_head);
      g_autofree char *spec = NULL;
      g_autofree float *weights = NULL, *ab_logits = NULL;
      GString *list = g_string_new (NULL);
      AeAblation ablation = { 0, L, cfg->n_head, mask };
      Run ra;

      for (size_t i = 0; i < json_array_size (heads); i++)
        g_string_append_printf (list, "%s%s", i ? ", " : "",
                                json_string_value (json_array_get (heads, i)));
      spec = g_string_free (list, FALSE);
      g_assert_cmpint (ae_ablation_parse (spec, L, cfg->n_head, mask, &error), ==, AE_STATUS_OK);
      g_assert_cmpuint (ae_ablation_count (&ablation), ==, json_array_size (heads));
      g_assert_true (ae_ablation_kind_from_string (json_string_value (json_object_get (ab, "kind")),
                                                   &ablation.kind));
      ra = run (model, ids, T, &ablation);
      weights = all_weights (ra.trace);
      check_tensor ("ablated weights", weights, json_object_get (ab, "weights"),
                    L * cfg->n_head * T * T);
      ab_logits = logits_at (model, &ra, L, T - 1);
      check_tensor ("ablated logits", ab_logits, json_object_get (ab, "logits"), V);
      run_clear (&ra);
    }

  run_clear (&r);
  ae_model_free (model);
  json_decref (root);
}

static void
test_ablation_parse (void)
{
  bool mask[6];
  AeError error = { 0 };
  AeAblationKind kind;

  g_assert_cmpint (ae_ablation_parse ("1.2,0.0", 2, 3, mask, &error), ==, AE_STATUS_OK);
  g_assert_true (mask[5] && mask[0] && !mask[1] && !mask[3]);
  g_assert_cmpint (ae_ablation_parse ("2.0", 2, 3, mask, &error), ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "2.0 does not exist"));
  g_assert_cmpint (ae_ablation_parse ("1.3", 2, 3, mask, &error), ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (ae_ablation_parse ("1", 2, 3, mask, &error), ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "LAYER.HEAD"));
  g_assert_cmpint (ae_ablation_parse ("1.1;0.1", 2, 3, mask, &error), ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (ae_ablation_parse ("", 2, 3, mask, &error), ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (ae_ablation_parse ("-1.0", 2, 3, mask, &error), ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_true (ae_ablation_kind_from_string ("mean", &kind) && kind == AE_ABLATION_MEAN);
  g_assert_false (ae_ablation_kind_from_string ("half", &kind));

  /* mean ablation: every position gets the mean */
  {
    float out[6] = { 1, 10, 2, 20, 6, 60 };

    ae_ablation_apply (AE_ABLATION_MEAN, out, 3, 2);
    for (int t = 0; t < 3; t++)
      {
        g_assert_cmpfloat (out[2 * t], ==, 3.0f);
        g_assert_cmpfloat (out[2 * t + 1], ==, 30.0f);
      }
    ae_ablation_apply (AE_ABLATION_ZERO, out, 3, 2);
    for (int i = 0; i < 6; i++)
      g_assert_cmpfloat (out[i], ==, 0.0f);
  }
}

/* A 5-token head worked out by hand: ids 7 8 7 8 9. */
static void
test_detectors (void)
{
  static const float w[25] = {
    1.0f, 0,    0,    0,    0,
    0.6f, 0.4f, 0,    0,    0,
    0.1f, 0.2f, 0.7f, 0,    0,     /* token 7 again: earlier at 0, next is 1 */
    0.1f, 0.3f, 0.4f, 0.2f, 0,     /* token 8 again: earlier at 1, next is 2 */
    0.2f, 0.2f, 0.2f, 0.2f, 0.2f,  /* token 9: new */
  };
  static const int32_t ids[5] = { 7, 8, 7, 8, 9 };
  static const int32_t rep[4] = { 3, 3, 3, 3 };
  AeDetectorScores s;
  AeDetector d;

  ae_detectors_compute (w, ids, 5, &s);
  g_assert_cmpuint (s.n_repeated, ==, 2);
  /* previous: rows 1..4 on q-1: 0.6, 0.2, 0.4, 0.2 */
  g_assert_cmpfloat_with_epsilon (s.score[AE_DETECTOR_PREVIOUS], (0.6 + 0.2 + 0.4 + 0.2) / 4, 1e-7);
  /* first: 0.6, 0.1, 0.1, 0.2 */
  g_assert_cmpfloat_with_epsilon (s.score[AE_DETECTOR_FIRST], (0.6 + 0.1 + 0.1 + 0.2) / 4, 1e-7);
  /* self: 0.4, 0.7, 0.2, 0.2 */
  g_assert_cmpfloat_with_epsilon (s.score[AE_DETECTOR_SELF], (0.4 + 0.7 + 0.2 + 0.2) / 4, 1e-7);
  /* duplicate: row 2 on key 0 (0.1), row 3 on key 1 (0.3) */
  g_assert_cmpfloat_with_epsilon (s.score[AE_DETECTOR_DUPLICATE], (0.1 + 0.3) / 2, 1e-7);
  /* induction: row 2 on key 1 (0.2), row 3 on key 2 (0.4) */
  g_assert_cmpfloat_with_epsilon (s.score[AE_DETECTOR_INDUCTION], (0.2 + 0.4) / 2, 1e-7);

  /* the same token four times: each row's most recent copy is q - 1, so
   * induction reads the weight on q itself; duplicate sums all copies */
  ae_detectors_compute (w, rep + 0, 4, &s);
  (void) s;
  {
    static const float w4[16] = {
      1, 0, 0, 0,
      0.5f, 0.5f, 0, 0,
      0.2f, 0.3f, 0.5f, 0,
      0.1f, 0.2f, 0.3f, 0.4f,
    };

    ae_detectors_compute (w4, rep, 4, &s);
    g_assert_cmpuint (s.n_repeated, ==, 3);
    g_assert_cmpfloat_with_epsilon (s.score[AE_DETECTOR_INDUCTION], (0.5 + 0.5 + 0.4) / 3, 1e-7);
    g_assert_cmpfloat_with_epsilon (s.score[AE_DETECTOR_DUPLICATE], (0.5 + 0.5 + 0.6) / 3, 1e-7);
  }

  /* no repeated token: duplicate and induction are undefined */
  ae_detectors_compute (w, (const int32_t[]) { 1, 2, 3, 4, 5 }, 5, &s);
  g_assert_true (isnan (s.score[AE_DETECTOR_INDUCTION]) && isnan (s.score[AE_DETECTOR_DUPLICATE]));
  g_assert_false (isnan (s.score[AE_DETECTOR_PREVIOUS]));

  g_assert_true (ae_detector_from_string ("induction", &d) && d == AE_DETECTOR_INDUCTION);
  g_assert_false (ae_detector_from_string ("copying", &d));
  g_assert_cmpstr (ae_detector_to_string (AE_DETECTOR_FIRST), ==, "first");
}

/* The probe: BOS, n distinct ordinary tokens, the same again; on it a
 * perfect induction head (weight 1 on the token after the earlier copy)
 * scores 1, a previous-token head 0. */
static void
test_probe (void)
{
  AeModel *model = load_fixture_model ("tiny-f32");
  const AeTokenizer *tok = ae_model_tokenizer (model);
  size_t V = ae_model_config (model)->vocab_size;
  int32_t ids[64], again[64];
  size_t n = ae_induction_probe (tok, V, 20, 1, 64, ids), half, start;
  float *w;
  AeDetectorScores s;

  start = ae_tokenizer_bos_id (tok) >= 0 ? 1 : 0;
  g_assert_cmpuint (n, ==, start + 40);
  half = 20;
  for (size_t i = 0; i < half; i++)
    {
      g_assert_cmpint (ids[start + i], ==, ids[start + half + i]);
      g_assert_false (ae_tokenizer_is_special (tok, ids[start + i]));
      for (size_t j = 0; j < i; j++)
        g_assert_cmpint (ids[start + i], !=, ids[start + j]);
    }
  /* the same seed, the same probe; another seed, another one */
  g_assert_cmpuint (ae_induction_probe (tok, V, 20, 1, 64, again), ==, n);
  g_assert_cmpmem (ids, n * sizeof *ids, again, n * sizeof *again);
  ae_induction_probe (tok, V, 20, 2, 64, again);
  g_assert_true (memcmp (ids, again, n * sizeof *ids) != 0);
  /* a short context shortens the probe */
  g_assert_cmpuint (ae_induction_probe (tok, V, 20, 1, 11, again), ==, start + 2 * ((11 - start) / 2));

  w = g_new0 (float, n * n);
  for (size_t q = 0; q < n; q++)
    w[q * n + (q >= start + half ? q - half + 1 : q)] = 1.0f;
  ae_detectors_compute (w, ids, n, &s);
  g_assert_cmpuint (s.n_repeated, ==, half);
  g_assert_cmpfloat_with_epsilon (s.score[AE_DETECTOR_INDUCTION], 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (s.score[AE_DETECTOR_DUPLICATE], 0.0, 1e-9);
  g_free (w);
  ae_model_free (model);
}

static void
test_sampling (void)
{
  float logits[6] = { 1.0f, 3.0f, 2.0f, 3.0f, -1.0f, 0.5f };
  AeSampleParams greedy = { 0.0, 0, 1.0 }, warm = { 1.0, 0, 1.0 };
  AeRng rng, rng2;
  AeError error = { 0 };
  int32_t id, id2;
  int counts[6] = { 0 };
  double p[6], total = 0.0;
  int32_t seq1[50], seq2[50];

  /* temperature 0: the argmax, ties to the lower id; top-k 1 at any
   * temperature is the same */
  ae_rng_seed (&rng, 7);
  g_assert_cmpint (ae_sample (logits, 6, &greedy, &rng, &id, &error), ==, AE_STATUS_OK);
  g_assert_cmpint (id, ==, 1);
  {
    AeSampleParams k1 = { 5.0, 1, 1.0 }, p_small = { 2.0, 0, 0.01 };

    for (int i = 0; i < 20; i++)
      {
        g_assert_cmpint (ae_sample (logits, 6, &k1, &rng, &id, &error), ==, AE_STATUS_OK);
        g_assert_cmpint (id, ==, 1);
        g_assert_cmpint (ae_sample (logits, 6, &p_small, &rng, &id, &error), ==, AE_STATUS_OK);
        g_assert_cmpint (id, ==, 1);
      }
  }

  /* a seed repeats exactly; another seed differs */
  ae_rng_seed (&rng, 42);
  ae_rng_seed (&rng2, 42);
  for (int i = 0; i < 50; i++)
    {
      ae_sample (logits, 6, &warm, &rng, &seq1[i], &error);
      ae_sample (logits, 6, &warm, &rng2, &seq2[i], &error);
    }
  g_assert_cmpmem (seq1, sizeof seq1, seq2, sizeof seq2);
  ae_rng_seed (&rng2, 43);
  for (int i = 0; i < 50; i++)
    ae_sample (logits, 6, &warm, &rng2, &seq2[i], &error);
  g_assert_true (memcmp (seq1, seq2, sizeof seq1) != 0);

  /* top-k 3 draws only ids 1, 3, 2; top-p 0.8 only the nucleus {1, 3, 2}
   * (mass of 1 and 3 alone: 0.63 < 0.8) */
  {
    AeSampleParams k3 = { 1.0, 3, 1.0 }, p8 = { 1.0, 0, 0.8 };

    for (int i = 0; i < 500; i++)
      {
        ae_sample (logits, 6, &k3, &rng, &id, &error);
        g_assert_true (id == 1 || id == 2 || id == 3);
        ae_sample (logits, 6, &p8, &rng, &id2, &error);
        g_assert_true (id2 == 1 || id2 == 2 || id2 == 3);
      }
  }

  /* frequencies follow softmax(logits / T) at T = 2 */
  {
    AeSampleParams t2 = { 2.0, 0, 1.0 };
    const int N = 40000;

    for (int v = 0; v < 6; v++)
      total += p[v] = exp (logits[v] / 2.0);
    ae_rng_seed (&rng, 1);
    for (int i = 0; i < N; i++)
      {
        ae_sample (logits, 6, &t2, &rng, &id, &error);
        counts[id]++;
      }
    for (int v = 0; v < 6; v++)
      g_assert_cmpfloat_with_epsilon ((double) counts[v] / N, p[v] / total, 0.01);
  }

  /* bad parameters are refused, not clamped */
  {
    AeSampleParams bad_t = { -1.0, 0, 1.0 }, bad_p = { 1.0, 0, 1.5 };

    g_assert_cmpint (ae_sample (logits, 6, &bad_t, &rng, &id, &error), ==, AE_STATUS_INVALID_ARGUMENT);
    g_assert_nonnull (strstr (error.message, "temperature"));
    g_assert_cmpint (ae_sample (logits, 6, &bad_p, &rng, &id, &error), ==, AE_STATUS_INVALID_ARGUMENT);
  }
}

int
main (int    argc,
      char **argv)
{
  static const char *const models[] = {
    "tiny-f32", "tiny-bf16", "gpt2-options", "llama-gqa2", "llama-bf16-shards",
    "qwen2-gqa4", "mistral-window", "pythia-parallel", "pythia-sequential",
  };

  g_test_init (&argc, &argv, NULL);
  for (size_t i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autofree char *path = g_strdup_printf ("/predict/reference/%s", models[i]);

      g_test_add_data_func (path, models[i], test_fixture);
    }
  g_test_add_func ("/predict/ablation-parse", test_ablation_parse);
  g_test_add_func ("/predict/detectors", test_detectors);
  g_test_add_func ("/predict/probe", test_probe);
  g_test_add_func ("/predict/sampling", test_sampling);
  return g_test_run ();
}
