/* test-forward.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The forward pass against the independent numpy reference
 * (tools/reference/, fixtures in tests/fixtures/forward-*.json), its
 * invariants, the kernels on hand-derived values, and model directories that
 * are broken in every way we could think of.
 */

#include <float.h>
#include <glib.h>
#include <stdint.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <math.h>
#include <omp.h>
#include <string.h>

#include "ae-gemm.h"
#include "ae-model.h"
#include "ae-ops.h"
#include "ae-threads.h"
#define TOLERANCE 1e-5

#include "fixture-compare.h"
#include "model-dir.h"

/* ----------------------------------------------------------------------------
 * helpers */

static AeTrace *
run (const AeModel *model,
     const int32_t *ids,
     size_t         n)
{
  AeTrace *trace = NULL;
  AeError error = { 0 };

  if (ae_model_forward (model, ids, n, NULL, &trace, &error) != AE_STATUS_OK)
    g_error ("forward: %s", error.message);
  g_assert_nonnull (trace);
  return trace;
}

/* ----------------------------------------------------------------------------
 * against the reference */

static void
test_forward_fixture (gconstpointer data)
{
  const char *dtype = data;
  g_autofree char *model_name = g_strdup_printf ("tiny-%s", dtype);
  g_autofree char *json_name = g_strdup_printf ("forward-%s.json", dtype);
  g_autofree char *json_path = g_test_build_filename (G_TEST_DIST, "fixtures", json_name, NULL);
  g_autofree char *upper = g_ascii_strup (dtype, -1);
  json_error_t jerror;
  json_t *root, *cases;
  AeModel *model;
  double worst = 0.0;

  root = json_load_file (json_path, 0, &jerror);
  if (root == NULL)
    g_error ("%s: %s", json_path, jerror.text);

  model = load_fixture_model (model_name);
  g_assert_cmpstr (ae_dtype_to_string (ae_model_dtype (model)), ==, upper);
  g_assert_cmpstr (ae_model_name (model), ==, model_name);
  g_assert_cmpuint (ae_model_config (model)->n_layer, ==,
                    json_integer_value (json_object_get (root, "n_layer")));
  g_assert_cmpuint (ae_model_config (model)->n_head, ==,
                    json_integer_value (json_object_get (root, "n_head")));

  cases = json_object_get (root, "cases");
  g_assert_true (json_array_size (cases) > 0);

  for (size_t c = 0; c < json_array_size (cases); c++)
    {
      static const char *const detail[] = { "ln1", "q", "k", "v", "scores", "head_out", "attn_out" };
      json_t *kase = json_array_get (cases, c);
      json_t *ids_json = json_object_get (kase, "ids");
      size_t T = json_array_size (ids_json);
      g_autofree int32_t *ids = g_new (int32_t, T);
      AeTrace *trace;

      for (size_t t = 0; t < T; t++)
        ids[t] = (int32_t) json_integer_value (json_array_get (ids_json, t));

      trace = run (model, ids, T);
      g_assert_cmpuint (trace->n_tokens, ==, T);

      worst = MAX (worst, check_tensor ("weights", trace->weights,
                                        json_object_get (kase, "weights"),
                                        trace->n_layer * trace->n_head * T * T));

      for (size_t i = 0; i < G_N_ELEMENTS (detail); i++)
        {
          json_t *expected = json_object_get (kase, detail[i]);
          const float *got = NULL;
          size_t n = trace->n_layer * T * trace->n_embd;

          if (expected == NULL)
            continue;
          if (strcmp (detail[i], "ln1") == 0) got = trace->ln1;
          else if (strcmp (detail[i], "q") == 0) got = trace->q;
          else if (strcmp (detail[i], "k") == 0) got = trace->k;
          else if (strcmp (detail[i], "v") == 0) got = trace->v;
          else if (strcmp (detail[i], "head_out") == 0) got = trace->head_out;
          else if (strcmp (detail[i], "attn_out") == 0) got = trace->attn_out;
          else
            {
              got = trace->scores;
              n = trace->n_layer * trace->n_head * T * T;
            }
          worst = MAX (worst, check_tensor (detail[i], got, expected, n));
        }

      ae_trace_free (trace);
    }

  g_test_message ("%s: max abs error over every case and array: %.3g", dtype, worst);
  ae_model_free (model);
  json_decref (root);
}

/* ----------------------------------------------------------------------------
 * invariants */

static void
fill_ids (int32_t *ids,
          size_t   n,
          size_t   vocab_size,
          guint32  seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (size_t t = 0; t < n; t++)
    ids[t] = g_rand_int_range (rand, 0, (gint32) vocab_size);
}

static void
test_forward_invariants (gconstpointer data)
{
  AeModel *model = load_fixture_model (data);
  const AeConfig *cfg = ae_model_config (model);
  size_t T = cfg->n_ctx;
  g_autofree int32_t *ids = g_new (int32_t, T);
  AeTrace *a, *b;

  fill_ids (ids, T, cfg->vocab_size, 7);
  a = run (model, ids, T);
  b = run (model, ids, T);

  /* deterministic, bit for bit */
  g_assert_cmpuint (a->n_floats, ==, b->n_floats);
  g_assert_cmpmem (a->memory, a->n_floats * sizeof (float), b->memory, b->n_floats * sizeof (float));

  for (size_t l = 0; l < a->n_layer; l++)
    for (size_t h = 0; h < a->n_head; h++)
      {
        const float *w = ae_trace_weights (a, l, h);
        const float *s = ae_trace_scores (a, l, h);

        for (size_t q = 0; q < T; q++)
          {
            double sum = 0.0;

            for (size_t k = 0; k < T; k++)
              {
                if (ae_trace_is_masked (q, k))
                  {
                    g_assert_cmpfloat (w[q * T + k], ==, 0.0f);
                    g_assert_cmpfloat (s[q * T + k], ==, 0.0f);
                  }
                else
                  g_assert_true (w[q * T + k] >= 0.0f && w[q * T + k] <= 1.0f);
                sum += w[q * T + k];
              }
            g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-5);
          }
        /* the first query can only see itself */
        g_assert_cmpfloat (w[0], ==, 1.0f);
      }

  /* accessors agree with the carved arrays and refuse out-of-range */
  g_assert_true (ae_trace_weights (a, 1, 1) == a->weights + (1 * a->n_head + 1) * T * T);
  g_assert_true (ae_trace_q (a, 1, a->n_head - 1) ==
                 a->q + (1 * a->n_head + a->n_head - 1) * T * a->head_size);
  g_assert_true (ae_trace_ln1 (a, 1) == a->ln1 + T * a->n_embd);
  g_assert_null (ae_trace_weights (a, a->n_layer, 0));
  g_assert_null (ae_trace_k (a, 0, a->n_head));
  g_assert_null (ae_trace_attn_out (a, a->n_layer));

  ae_trace_free (a);
  ae_trace_free (b);
  ae_model_free (model);
}

/* A prefix of the text gets the same attention as the text's first rows:
 * the causal mask at work. */
static void
test_forward_causal_prefix (void)
{
  AeModel *model = load_fixture_model ("tiny-bf16");
  int32_t ids[12];
  AeTrace *full, *prefix;
  size_t P = 5, T = G_N_ELEMENTS (ids);

  fill_ids (ids, T, ae_model_config (model)->vocab_size, 11);
  full = run (model, ids, T);
  prefix = run (model, ids, P);

  for (size_t l = 0; l < full->n_layer; l++)
    for (size_t h = 0; h < full->n_head; h++)
      for (size_t q = 0; q < P; q++)
        for (size_t k = 0; k <= q; k++)
          g_assert_cmpfloat_with_epsilon (ae_trace_weights (full, l, h)[q * T + k],
                                          ae_trace_weights (prefix, l, h)[q * P + k], 1e-6);

  ae_trace_free (full);
  ae_trace_free (prefix);
  ae_model_free (model);
}

/* Stopping after the first layers changes none of their numbers: a layer's
 * attention reads no later layer. */
static void
test_forward_first_layers (void)
{
  AeModel *model = load_fixture_model ("tiny-bf16");
  int32_t ids[9];
  AeTrace *full, *first = NULL;
  AeError error = { 0 };
  size_t T = G_N_ELEMENTS (ids);

  fill_ids (ids, T, ae_model_config (model)->vocab_size, 5);
  full = run (model, ids, T);
  g_assert_cmpint (ae_model_forward_layers (model, ids, T, 2, NULL, &first, &error), ==, AE_STATUS_OK);

  g_assert_cmpuint (full->n_layer, ==, 3);
  g_assert_cmpuint (first->n_layer, ==, 2);
  for (size_t l = 0; l < first->n_layer; l++)
    {
      for (size_t h = 0; h < first->n_head; h++)
        g_assert_cmpmem (ae_trace_weights (first, l, h), T * T * sizeof (float),
                         ae_trace_weights (full, l, h), T * T * sizeof (float));
      g_assert_cmpmem (ae_trace_attn_out (first, l), T * first->n_embd * sizeof (float),
                       ae_trace_attn_out (full, l), T * full->n_embd * sizeof (float));
    }

  ae_trace_free (full);
  ae_trace_free (first);
  ae_model_free (model);
}

/* Weights packed once (ae-matrix.h): the first pass packs nothing, the
 * second packs every float32 matrix (where the GEMM library can), and the
 * passes after it compute what the first did. */
static double
max_diff (const float *a,
          const float *b,
          size_t       n)
{
  double worst = 0.0;

  for (size_t i = 0; i < n; i++)
    worst = MAX (worst, fabs ((double) a[i] - (double) b[i]));
  return worst;
}

static void
test_forward_packed_weights (void)
{
  AeModel *model = load_fixture_model ("tiny-f32");
  const AeConfig *cfg = ae_model_config (model);
  size_t T = 24, L = cfg->n_layer, C = cfg->n_embd;   /* products of 16 rows or more count */
  int32_t ids[24], few[4];
  float probe_w[16] = { 1.0f };
  AeGemmPack *probe = ae_gemm_pack_new (false, 4, 4, probe_w, 4, 256);
  gboolean can_pack = probe != NULL;
  AeTrace *first, *later = NULL;
  double worst = 0.0;

  ae_gemm_pack_free (probe);
  fill_ids (ids, T, cfg->vocab_size, 17);
  fill_ids (few, G_N_ELEMENTS (few), cfg->vocab_size, 18);
  /* short passes (the core's check of a model it loads) do not count */
  for (int pass = 0; pass < 3; pass++)
    ae_trace_free (run (model, few, G_N_ELEMENTS (few)));
  first = run (model, ids, T);
  for (size_t l = 0; l < L; l++)
    {
      const AeLayerWeights *w = ae_model_layer (model, l);

      g_assert_cmpuint (ae_matrix_pack_bytes (w->c_attn_w), ==, 0);
      g_assert_cmpuint (ae_matrix_pack_bytes (w->mlp_proj_w), ==, 0);
    }
  for (int pass = 2; pass <= 3; pass++)
    {
      ae_trace_free (later);
      later = run (model, ids, T);
    }
  for (size_t l = 0; l < L; l++)
    {
      const AeLayerWeights *w = ae_model_layer (model, l);
      AeMatrix all[] = { w->c_attn_w, w->c_proj_w, w->c_fc_w, w->mlp_proj_w };

      for (size_t i = 0; i < G_N_ELEMENTS (all); i++)
        if (can_pack)
          g_assert_cmpuint (ae_matrix_pack_bytes (all[i]), >, 0);
        else
          g_assert_cmpuint (ae_matrix_pack_bytes (all[i]), ==, 0);
    }
  if (!can_pack)
    g_test_message ("the GEMM library has no packed form here: plain products only");
  /* once packed, short products use it too: the same numbers */
  {
    AeTrace *plain_few = NULL, *packed_few;

    ae_model_free (model);
    model = load_fixture_model ("tiny-f32");
    cfg = ae_model_config (model);
    plain_few = run (model, few, G_N_ELEMENTS (few));
    for (int pass = 0; pass < 2; pass++)
      ae_trace_free (run (model, ids, T));
    packed_few = run (model, few, G_N_ELEMENTS (few));
    worst = MAX (worst, max_diff (plain_few->attn_out, packed_few->attn_out,
                                  L * G_N_ELEMENTS (few) * C));
    worst = MAX (worst, max_diff (plain_few->weights, packed_few->weights,
                                  L * cfg->n_head * G_N_ELEMENTS (few) * G_N_ELEMENTS (few)));
    ae_trace_free (plain_few);
    ae_trace_free (packed_few);
  }

  worst = MAX (worst, max_diff (first->ln1, later->ln1, L * T * C));
  worst = MAX (worst, max_diff (first->q, later->q, L * T * C));
  worst = MAX (worst, max_diff (first->k, later->k, L * T * C));
  worst = MAX (worst, max_diff (first->v, later->v, L * T * C));
  worst = MAX (worst, max_diff (first->head_out, later->head_out, L * T * C));
  worst = MAX (worst, max_diff (first->attn_out, later->attn_out, L * T * C));
  worst = MAX (worst, max_diff (first->weights, later->weights, L * cfg->n_head * T * T));
  if (first->hidden != NULL)
    worst = MAX (worst, max_diff (first->hidden, later->hidden, T * C));
  g_test_message ("packed against plain weights: max abs difference %.3g", worst);
  g_assert_cmpfloat (worst, <=, TOLERANCE);

  ae_trace_free (first);
  ae_trace_free (later);
  ae_model_free (model);
}

static void
test_forward_empty (void)
{
  AeModel *model = load_fixture_model ("tiny-f32");
  AeTrace *trace = NULL;
  AeError error = { 0 };

  g_assert_cmpint (ae_model_forward (model, NULL, 0, NULL, &trace, &error), ==, AE_STATUS_OK);
  g_assert_nonnull (trace);
  g_assert_cmpuint (trace->n_tokens, ==, 0);
  g_assert_cmpuint (trace->n_layer, ==, ae_model_config (model)->n_layer);
  g_assert_cmpuint (trace->n_floats, ==, 0);

  ae_trace_free (trace);
  ae_model_free (model);
}

static void
test_forward_too_long (void)
{
  AeModel *model = load_fixture_model ("tiny-f16");
  size_t n_ctx = ae_model_config (model)->n_ctx;
  g_autofree int32_t *ids = g_new0 (int32_t, n_ctx + 1);
  g_autofree char *limit = g_strdup_printf ("at most %zu", n_ctx);
  AeTrace *trace = (AeTrace *) 0x1;
  AeError error = { 0 };

  g_assert_cmpint (ae_model_forward (model, ids, n_ctx + 1, NULL, &trace, &error),
                   ==, AE_STATUS_TOO_LONG);
  g_assert_null (trace);
  g_test_message ("%s", error.message);
  g_assert_nonnull (strstr (error.message, limit));
  g_assert_nonnull (strstr (error.message, "33 tokens"));

  /* exactly the context is fine */
  trace = run (model, ids, n_ctx);
  ae_trace_free (trace);
  ae_model_free (model);
}

static void
test_forward_bad_ids (void)
{
  AeModel *model = load_fixture_model ("tiny-f32");
  int32_t ids[3] = { 1, 2, 3 };
  AeTrace *trace = NULL;
  AeError error = { 0 };

  ids[1] = -1;
  g_assert_cmpint (ae_model_forward (model, ids, 3, NULL, &trace, &error),
                   ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_null (trace);
  ids[1] = (int32_t) ae_model_config (model)->vocab_size;
  g_assert_cmpint (ae_model_forward (model, ids, 3, NULL, &trace, &error),
                   ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_null (trace);
  g_assert_nonnull (strstr (error.message, "token 1"));

  ae_model_free (model);
}

static void
test_forward_cancel (void)
{
  AeModel *model = load_fixture_model ("tiny-f32");
  int32_t ids[4] = { 1, 2, 3, 4 };
  AeCancelFlag cancel = 1;
  AeTrace *trace = NULL;
  AeError error = { 0 };

  g_assert_cmpint (ae_model_forward (model, ids, 4, &cancel, &trace, &error),
                   ==, AE_STATUS_CANCELLED);
  g_assert_null (trace);

  cancel = 0;
  g_assert_cmpint (ae_model_forward (model, ids, 4, &cancel, &trace, &error), ==, AE_STATUS_OK);
  ae_trace_free (trace);
  ae_model_free (model);
}

typedef struct
{
  const AeModel *model;
  const int32_t *ids;
  size_t         n;
  AeTrace       *trace;
} Job;

static gpointer
run_job (gpointer data)
{
  Job *job = data;

  job->trace = run (job->model, job->ids, job->n);
  return NULL;
}

/* Several threads share one model; each gets the trace a lone call gets. */
static void
test_forward_threads (void)
{
  AeModel *model = load_fixture_model ("tiny-f16");
  int32_t ids[24];
  Job jobs[4];
  GThread *threads[4];
  AeTrace *alone[4];

  fill_ids (ids, G_N_ELEMENTS (ids), ae_model_config (model)->vocab_size, 5);
  for (size_t i = 0; i < 4; i++)
    {
      jobs[i] = (Job) { model, ids + i, 20 - 4 * i, NULL };
      alone[i] = run (model, jobs[i].ids, jobs[i].n);
    }
  for (size_t i = 0; i < 4; i++)
    threads[i] = g_thread_new ("forward", run_job, &jobs[i]);
  for (size_t i = 0; i < 4; i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpmem (jobs[i].trace->memory, jobs[i].trace->n_floats * sizeof (float),
                       alone[i]->memory, alone[i]->n_floats * sizeof (float));
      ae_trace_free (jobs[i].trace);
      ae_trace_free (alone[i]);
    }
  ae_model_free (model);
}

/* ----------------------------------------------------------------------------
 * kernels on values worked out by hand */

static void
test_ops_attention_head (void)
{
  /* T = 2, hs = 4: query 0 sees only key 0; query 1 scores
   * (q1·k0, q1·k1) / sqrt(4) = (0, 1), so weights (1, e) / (1 + e). */
  const float q[8] = { 1, 0, 0, 0,  0, 2, 0, 0 };
  const float k[8] = { 1, 0, 0, 0,  0, 1, 0, 0 };
  const float v[8] = { 1, 2, 3, 4,  5, 6, 7, 8 };
  const double w0 = 1.0 / (1.0 + G_E), w1 = G_E / (1.0 + G_E);
  float scores[4], weights[4], out[8];

  memset (scores, 0xff, sizeof scores);
  ae_attention_head (scores, weights, out, q, k, v, 2, 4);

  g_assert_cmpfloat_with_epsilon (scores[0], 0.5, 1e-7);
  g_assert_cmpfloat (scores[1], ==, 0.0f);
  g_assert_cmpfloat_with_epsilon (scores[2], 0.0, 1e-7);
  g_assert_cmpfloat_with_epsilon (scores[3], 1.0, 1e-7);

  g_assert_cmpfloat (weights[0], ==, 1.0f);
  g_assert_cmpfloat (weights[1], ==, 0.0f);
  g_assert_cmpfloat_with_epsilon (weights[2], w0, 1e-7);
  g_assert_cmpfloat_with_epsilon (weights[3], w1, 1e-7);

  for (size_t i = 0; i < 4; i++)
    {
      g_assert_cmpfloat_with_epsilon (out[i], v[i], 1e-6);
      g_assert_cmpfloat_with_epsilon (out[4 + i], w0 * v[i] + w1 * v[4 + i], 1e-6);
    }

  /* T == 0 touches nothing */
  ae_attention_head (NULL, NULL, NULL, NULL, NULL, NULL, 0, 4);
}

static void
test_ops_linear (void)
{
  /* x (2, 3) · w (3, 2) + b */
  const float x[6] = { 1, 2, 3,  -1, 0, 1 };
  const float w[6] = { 1, 0,  0, 1,  2, -1 };
  const float b[2] = { 0.5f, -0.5f };
  const float with_bias[4] = { 7.5f, -1.5f, 1.5f, -1.5f };
  const float without[4] = { 7, -1, 1, -1 };
  float out[4];

  ae_linear (out, x, w, b, 2, 3, 2);
  g_assert_cmpmem (out, sizeof out, with_bias, sizeof with_bias);
  ae_linear (out, x, w, NULL, 2, 3, 2);
  g_assert_cmpmem (out, sizeof out, without, sizeof without);
}

/* A packed matrix computed with fewer OpenMP threads than it was packed
 * under: the keystroke pass (a few new rows after a reused prefix) runs on
 * one thread with the weights the full passes packed at two.  oneDNN keeps
 * the pack time's split between threads in the packed copy, and GPT-2
 * small's c_fc shape (768 -> 3072, Conv1D) read past the rows given and
 * segfaulted in the JIT kernel: the app crashed at the first keystroke at
 * the end of a 1,000-token text.  Also inside a parallel region (one
 * thread for oneDNN).  The numbers must be the plain product's. */
static void
test_ops_packed_fewer_threads (void)
{
  size_t K = 768, N = 3072, M_max = 8;
  g_autofree float *w = g_new (float, K * N);
  g_autofree float *x = g_new (float, M_max * K);
  g_autofree float *plain = g_new (float, M_max * N);
  g_autofree float *packed_out = g_new (float, M_max * N);
  AeGemmPack *packed;

  for (size_t i = 0; i < K * N; i++)
    w[i] = (float) ((i * 7919) % 101) / 101.0f - 0.5f;
  for (size_t i = 0; i < M_max * K; i++)
    x[i] = (float) ((i * 31) % 17) / 17.0f - 0.5f;

  omp_set_num_threads (2);
  packed = ae_gemm_pack_new (false, N, K, w, N, 256);
  if (packed == NULL)
    {
      g_test_skip ("the GEMM library has no packed form here");
      return;
    }
  omp_set_num_threads (1);
  for (size_t M = 1; M <= M_max; M++)
    {
      /* exactly M rows, so a read past them is a read past the block */
      g_autofree float *rows = g_memdup2 (x, M * K * sizeof (float));

      ae_gemm (false, M, N, K, 1.0f, rows, K, w, N, 0.0f, plain, N);
      ae_gemm_packed (packed, M, rows, K, 0.0f, packed_out, N);
      for (size_t i = 0; i < M * N; i++)
        g_assert_cmpfloat_with_epsilon (packed_out[i], plain[i], 1e-4);
    }
  g_assert_cmpint (omp_get_max_threads (), ==, 1);   /* the caller's count is left as it was */

  omp_set_num_threads (2);
#pragma omp parallel num_threads (2)
  {
#pragma omp single
    ae_gemm_packed (packed, 1, x, K, 0.0f, packed_out, N);
  }
  ae_gemm (false, 1, N, K, 1.0f, x, K, w, N, 0.0f, plain, N);
  for (size_t i = 0; i < N; i++)
    g_assert_cmpfloat_with_epsilon (packed_out[i], plain[i], 1e-4);

  ae_gemm_pack_free (packed);
  ae_threads_apply ();
}

static void
test_ops_layernorm_gelu (void)
{
  const float x[4] = { 1, 2, 3, 4 };
  const float w[4] = { 1, 1, 2, 1 };
  const float b[4] = { 0, 0, 0, 1 };
  const float g_in[4] = { 1, -1, 3, -0.5f };
  const double g_expected[4] = {
    0.8411919906082768, -0.1588080093917233, 2.996362607918227, -0.15428599017485606,
  };
  double rstd = 1.0 / sqrt (1.25 + 1e-5);
  float out[4];

  ae_layernorm (out, x, w, b, 1, 4, 1e-5f);
  g_assert_cmpfloat_with_epsilon (out[0], -1.5 * rstd, 1e-6);
  g_assert_cmpfloat_with_epsilon (out[1], -0.5 * rstd, 1e-6);
  g_assert_cmpfloat_with_epsilon (out[2], 2 * 0.5 * rstd, 1e-6);
  g_assert_cmpfloat_with_epsilon (out[3], 1.5 * rstd + 1, 1e-6);

  ae_gelu_new (out, g_in, 4);
  for (size_t i = 0; i < 4; i++)
    g_assert_cmpfloat_with_epsilon (out[i], g_expected[i], 1e-6);
}

/* GELU is defined for every float (issue 11): huge negative inputs give -0
 * as the exact GELU does (the old exp clamp at 87 gave -FLT_MAX / e^87 =
 * -5.6), huge positive ones give x, NaN stays NaN and infinities stay
 * non-finite, so the forward pass can name the layer.  The sanitizer build
 * (float-cast-overflow) also checks that no NaN reaches an int conversion. */
static void
test_ops_gelu_extremes (void)
{
  const float in[10] = { -FLT_MAX, -1e30f, -1e5f, -30.0f, FLT_MAX, 1e30f, 30.0f,
                         NAN, INFINITY, -INFINITY };
  float out[10];

  ae_gelu_new (out, in, G_N_ELEMENTS (in));
  for (size_t i = 0; i < 4; i++)
    {
      g_test_message ("gelu (%g) = %g", in[i], out[i]);
      g_assert_true (isfinite (out[i]));
      g_assert_cmpfloat (fabsf (out[i]), <, 1e-30f);
    }
  for (size_t i = 4; i < 7; i++)
    g_assert_cmpfloat (out[i], ==, in[i]);
  g_assert_true (isnan (out[7]));
  g_assert_true (isinf (out[8]) && out[8] > 0);
  g_assert_false (isfinite (out[9]));
}

/* ----------------------------------------------------------------------------
 * broken model directories */

typedef struct
{
  const char *file;       /* replaced in a copy of tiny-f32 */
  const char *contents;   /* NULL deletes it */
  AeStatus    status;
  const char *needles[3]; /* the message must contain each */
  gssize      len;        /* of contents; 0 for up to the NUL */
} BrokenModel;

static const char good_config[] =
  "{\"model_type\":\"gpt2\",\"n_layer\":2,\"n_head\":4,\"n_embd\":32,\"n_positions\":32,"
  "\"vocab_size\":269,\"layer_norm_epsilon\":1e-05,\"activation_function\":\"gelu_new\"}";

static const BrokenModel broken_models[] = {
  { "config.json", NULL, AE_STATUS_IO, { "config.json" } },
  { "model.safetensors", NULL, AE_STATUS_IO, { "model.safetensors" } },
  { "vocab.json", NULL, AE_STATUS_IO, { "vocab.json" } },
  { "merges.txt", NULL, AE_STATUS_IO, { "merges.txt" } },
  { "config.json", "{\"n_layer\": 2,", AE_STATUS_BAD_CONFIG, { "config.json", "JSON" } },
  { "config.json", "[2]", AE_STATUS_BAD_CONFIG, { "config.json", "object" } },
  { "config.json", "{\"model_type\":\"t5\",\"n_layer\":2}", AE_STATUS_UNSUPPORTED,
    { "config.json", "t5" } },
  { "config.json", "{\"activation_function\":\"relu\",\"n_layer\":2}", AE_STATUS_UNSUPPORTED,
    { "config.json", "relu" } },
  { "config.json", "{\"n_head\":4,\"n_embd\":32,\"n_positions\":32,\"vocab_size\":269}",
    AE_STATUS_BAD_CONFIG, { "config.json", "n_layer" } },
  { "config.json", "{\"n_layer\":2,\"n_head\":5,\"n_embd\":32,\"n_positions\":32,\"vocab_size\":269}",
    AE_STATUS_BAD_CONFIG, { "config.json", "multiple" } },
  { "config.json", "{\"n_layer\":-2,\"n_head\":4,\"n_embd\":32,\"n_positions\":32,\"vocab_size\":269}",
    AE_STATUS_BAD_CONFIG, { "config.json", "n_layer" } },
  { "config.json", "{\"n_layer\":\"2\",\"n_head\":4,\"n_embd\":32,\"n_positions\":32,\"vocab_size\":269}",
    AE_STATUS_BAD_CONFIG, { "config.json", "integer" } },
  { "config.json", "{\"n_layer\":2,\"n_head\":4,\"n_embd\":32,\"vocab_size\":269}",
    AE_STATUS_BAD_CONFIG, { "config.json", "n_positions" } },
  { "config.json", "{\"n_layer\":2,\"n_head\":4,\"n_embd\":32,\"n_ctx\":32,\"vocab_size\":269,"
    "\"layer_norm_epsilon\":-1}", AE_STATUS_BAD_CONFIG, { "config.json", "layer_norm_epsilon" } },
  /* 1e-95 is a positive double but 0.0f (issue 11) */
  { "config.json", "{\"n_layer\":2,\"n_head\":4,\"n_embd\":32,\"n_ctx\":32,\"vocab_size\":269,"
    "\"layer_norm_epsilon\":1e-95}", AE_STATUS_BAD_CONFIG, { "config.json", "layer_norm_epsilon is 1e-95" } },
  /* shapes that disagree with the weights */
  { "config.json", "{\"n_layer\":2,\"n_head\":4,\"n_embd\":64,\"n_positions\":32,\"vocab_size\":269}",
    AE_STATUS_BAD_WEIGHTS,
    { "model.safetensors", "“wte.weight” has shape [269, 32] but config.json implies [269, 64]" } },
  { "config.json", "{\"n_layer\":2,\"n_head\":4,\"n_embd\":32,\"n_positions\":64,\"vocab_size\":269}",
    AE_STATUS_BAD_WEIGHTS, { "model.safetensors", "wpe.weight", "[64, 32]" } },
  { "config.json", "{\"n_layer\":3,\"n_head\":4,\"n_embd\":32,\"n_positions\":32,\"vocab_size\":269}",
    AE_STATUS_BAD_WEIGHTS, { "model.safetensors", "“h.2.ln_1.weight” is missing" } },
  { "config.json", "{\"n_layer\":2,\"n_head\":4,\"n_embd\":32,\"n_positions\":32,\"vocab_size\":100}",
    AE_STATUS_BAD_WEIGHTS, { "model.safetensors", "wte.weight" } },
  /* broken weights files */
  { "model.safetensors", "", AE_STATUS_BAD_WEIGHTS, { "model.safetensors", "too short" } },
  { "model.safetensors", "\x08\0\0\0\0\0\0\0{\"a\":1} ", AE_STATUS_BAD_WEIGHTS,
    { "model.safetensors", "“a”" }, 16 },
  { "model.safetensors", "\x02\0\0\0\0\0\0\0{}", AE_STATUS_BAD_WEIGHTS,
    { "model.safetensors", "“wte.weight” is missing" }, 10 },
};

static void
test_model_broken (gconstpointer data)
{
  const BrokenModel *b = data;
  g_autofree char *dir = copy_model ("tiny-f32");
  AeModel *model = (AeModel *) 0x1;
  AeError error = { 0 };

  put_file (dir, b->file, b->contents, b->len > 0 ? b->len : -1);
  g_assert_cmpint (ae_model_load (&model, dir, &error), ==, b->status);
  g_assert_null (model);
  g_test_message ("%s", error.message);
  for (size_t i = 0; i < G_N_ELEMENTS (b->needles) && b->needles[i] != NULL; i++)
    if (strstr (error.message, b->needles[i]) == NULL)
      g_error ("“%s” does not mention “%s”", error.message, b->needles[i]);

  remove_dir (dir);
}

/* The copy loads when nothing is broken, so the failures above are the
 * edits' doing; and tokenizer_config.json is optional. */
static void
test_model_copy_loads (void)
{
  g_autofree char *dir = copy_model ("tiny-f32");
  AeModel *model = NULL;
  AeError error = { 0 };

  put_file (dir, "config.json", good_config, -1);
  g_assert_cmpint (ae_model_load (&model, dir, &error), ==, AE_STATUS_OK);
  g_assert_nonnull (ae_model_tokenizer (model));
  g_assert_nonnull (ae_model_layer (model, 1));
  g_assert_null (ae_model_layer (model, 2));
  g_assert_cmpfloat (ae_model_config (model)->layer_norm_epsilon, ==, 1e-5f);
  /* wte + wpe + 2 · 12 C² + 13 C per layer + ln_f */
  g_assert_cmpuint (ae_model_n_params (model), ==,
                    269 * 32 + 32 * 32 + 2 * (12 * 32 * 32 + 13 * 32) + 2 * 32);
  ae_model_free (model);
  ae_model_free (NULL);
  remove_dir (dir);
}

/* Sizes whose L·T·C, L·NH·T·T or total would wrap around a size_t are
 * refused before anything is allocated, as are impossible head counts;
 * an empty trace is still a trace. */
static void
test_trace_sizes (void)
{
  AeTrace *trace;

  g_assert_null (ae_trace_new (SIZE_MAX / 2, 2, 2, 2));            /* L·T·C */
  g_assert_null (ae_trace_new (1, 1, (size_t) 1 << 33, 1));        /* L·NH·T·T */
  g_assert_null (ae_trace_new (1, 1, (size_t) 1 << 31, 1));        /* the total in floats */
  g_assert_null (ae_trace_new (1, 0, 4, 8));                       /* no heads */
  g_assert_null (ae_trace_new (1, 3, 4, 8));                       /* C not a multiple of NH */

  trace = ae_trace_new (2, 2, 0, 8);
  g_assert_nonnull (trace);
  g_assert_cmpuint (trace->n_floats, ==, 0);
  g_assert_nonnull (ae_trace_weights (trace, 1, 1));
  g_assert_null (ae_trace_weights (trace, 2, 0));
  g_assert_null (ae_trace_q (trace, 0, 2));
  g_assert_null (ae_trace_ln1 (NULL, 0));
  ae_trace_free (trace);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_data_func ("/attention/forward/f32", "f32", test_forward_fixture);
  g_test_add_data_func ("/attention/forward/f16", "f16", test_forward_fixture);
  g_test_add_data_func ("/attention/forward/bf16", "bf16", test_forward_fixture);
  g_test_add_data_func ("/attention/forward/invariants/f32", "tiny-f32", test_forward_invariants);
  g_test_add_data_func ("/attention/forward/invariants/f16", "tiny-f16", test_forward_invariants);
  g_test_add_data_func ("/attention/forward/invariants/bf16", "tiny-bf16", test_forward_invariants);
  g_test_add_func ("/attention/forward/causal-prefix", test_forward_causal_prefix);
  g_test_add_func ("/attention/forward/first-layers", test_forward_first_layers);
  g_test_add_func ("/attention/forward/packed-weights", test_forward_packed_weights);
  g_test_add_func ("/attention/forward/empty", test_forward_empty);
  g_test_add_func ("/attention/forward/too-long", test_forward_too_long);
  g_test_add_func ("/attention/forward/bad-ids", test_forward_bad_ids);
  g_test_add_func ("/attention/forward/cancel", test_forward_cancel);
  g_test_add_func ("/attention/forward/threads", test_forward_threads);
  g_test_add_func ("/attention/trace/sizes", test_trace_sizes);
  g_test_add_func ("/attention/ops/attention-head", test_ops_attention_head);
  g_test_add_func ("/attention/ops/linear", test_ops_linear);
  g_test_add_func ("/attention/ops/packed-fewer-threads", test_ops_packed_fewer_threads);
  g_test_add_func ("/attention/ops/layernorm-gelu", test_ops_layernorm_gelu);
  g_test_add_func ("/attention/ops/gelu-extremes", test_ops_gelu_extremes);
  g_test_add_func ("/attention/model/copy-loads", test_model_copy_loads);

  for (size_t i = 0; i < G_N_ELEMENTS (broken_models); i++)
    {
      g_autofree char *path = g_strdup_printf ("/attention/model/broken-%02zu-%s", i,
                                               broken_models[i].file);
      g_test_add_data_func (path, &broken_models[i], test_model_broken);
    }

  return g_test_run ();
}
