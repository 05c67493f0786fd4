/* test-families.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Llama, Mistral, Qwen2 and GPT-NeoX checkpoints (and GPT-2's score
 * options) against the independent numpy reference
 * (tools/reference/families_reference.py, fixtures made by
 * make_family_fixtures.py): every head's attention to 1e-5, q and k after
 * rotation, k and v per key/value head, the walkthrough's q and k before
 * and after rotation; and configs and weights that are wrong in the ways
 * people get them wrong.
 */

#include <glib.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "ae-model.h"
#include "ae-ops.h"
#include "ae-steps.h"

#define TOLERANCE 1e-5

#include "fixture-compare.h"
#include "model-dir.h"
#include "broken-model.h"

static json_t *
load_fixture (const char *name)
{
  return load_json_fixture ("forward", name);
}

static AeTrace *
run_case (const AeModel *model,
          json_t        *kase)
{
  json_t *ids_json = json_object_get (kase, "ids");
  size_t T = json_array_size (ids_json);
  g_autofree int32_t *ids = g_new (int32_t, T + 1);
  AeTrace *trace = NULL;
  AeError error = { 0 };

  for (size_t t = 0; t < T; t++)
    ids[t] = (int32_t) json_integer_value (json_array_get (ids_json, t));
  if (ae_model_forward (model, ids, T, NULL, &trace, &error) != AE_STATUS_OK)
    g_error ("forward: %s", error.message);
  return trace;
}

static size_t
json_size (json_t     *root,
           const char *key)
{
  return (size_t) json_integer_value (json_object_get (root, key));
}

/* Every case's weights; the first case's every array. */
static void
test_fixture (gconstpointer data)
{
  const char *name = data;
  json_t *root = load_fixture (name);
  json_t *cases = json_object_get (root, "cases");
  AeModel *model = load_fixture_model (name);
  const AeConfig *cfg = ae_model_config (model);
  double worst = 0.0;

  g_assert_cmpstr (ae_dtype_to_string (ae_model_dtype (model)), ==,
                   json_string_value (json_object_get (root, "dtype")));
  g_assert_cmpuint (cfg->n_layer, ==, json_size (root, "n_layer"));
  g_assert_cmpuint (cfg->n_head, ==, json_size (root, "n_head"));
  g_assert_cmpuint (cfg->n_kv_head, ==, json_size (root, "n_kv_head"));
  g_assert_cmpuint (cfg->head_size, ==, json_size (root, "head_size"));

  for (size_t c = 0; c < json_array_size (cases); c++)
    {
      json_t *kase = json_array_get (cases, c);
      AeTrace *trace = run_case (model, kase);
      size_t L = trace->n_layer, NH = trace->n_head, NKV = trace->n_kv_head;
      size_t T = trace->n_tokens, C = trace->n_embd, hs = trace->head_size;
      const struct { const char *key; const float *got; size_t n; } arrays[] = {
        { "ln1", trace->ln1, L * T * C },
        { "q", trace->q, L * NH * T * hs },
        { "k", trace->k, L * NKV * T * hs },
        { "v", trace->v, L * NKV * T * hs },
        { "scores", trace->scores, L * NH * T * T },
        { "head_out", trace->head_out, L * NH * T * hs },
        { "attn_out", trace->attn_out, L * T * C },
      };

      worst = MAX (worst, check_tensor ("weights", trace->weights,
                                        json_object_get (kase, "weights"), L * NH * T * T));
      for (size_t i = 0; i < G_N_ELEMENTS (arrays); i++)
        if (json_object_get (kase, arrays[i].key) != NULL)
          worst = MAX (worst, check_tensor (arrays[i].key, arrays[i].got,
                                            json_object_get (kase, arrays[i].key), arrays[i].n));
      ae_trace_free (trace);
    }

  g_test_message ("%s: max abs error over every case and array: %.3g", name, worst);
  ae_model_free (model);
  json_decref (root);
}

/* One number of a fixture array [layer][head][token][d]. */
static double
at4 (json_t *array,
     size_t  a,
     size_t  b,
     size_t  c,
     size_t  d)
{
  return json_number_value (json_array_get (json_array_get (json_array_get (
    json_array_get (array, a), b), c), d));
}

/* The walkthrough of every head of the last layer: q and k as projected
 * match the reference before rotation, q_rot and k_rot match it after (and
 * the trace), and k comes from the head's shared key/value head. */
static void
test_walkthrough (gconstpointer data)
{
  const char *name = data;
  json_t *root = load_fixture (name);
  json_t *kase = json_array_get (json_object_get (root, "cases"), 0);
  AeModel *model = load_fixture_model (name);
  AeTrace *trace = run_case (model, kase);
  size_t L = trace->n_layer, NH = trace->n_head, NKV = trace->n_kv_head;
  size_t T = trace->n_tokens, hs = trace->head_size, layer = L - 1;
  size_t query = T - 1, key = T - 3;

  for (size_t h = 0; h < NH; h++)
    {
      AeSteps *s = NULL;
      AeError error = { 0 };
      size_t g = h / (NH / NKV);

      g_assert_cmpint (ae_steps_new (&s, model, trace, layer, h, query, key, &error), ==,
                       AE_STATUS_OK);
      g_assert_cmpuint (s->kv_head, ==, g);
      g_assert_cmpuint (s->n_kv_head, ==, NKV);
      g_assert_cmpuint (s->rotary_dim, ==, ae_model_config (model)->rotary_dim);
      for (size_t d = 0; d < hs; d++)
        {
          g_assert_cmpfloat_with_epsilon (s->q[d], at4 (json_object_get (kase, "q_pre"), layer, h, query, d), TOLERANCE);
          g_assert_cmpfloat_with_epsilon (s->k[d], at4 (json_object_get (kase, "k_pre"), layer, g, key, d), TOLERANCE);
          g_assert_cmpfloat_with_epsilon (s->q_rot[d], at4 (json_object_get (kase, "q"), layer, h, query, d), TOLERANCE);
          g_assert_cmpfloat_with_epsilon (s->k_rot[d], at4 (json_object_get (kase, "k"), layer, g, key, d), TOLERANCE);
          g_assert_cmpfloat_with_epsilon (s->q_rot[d], ae_trace_q (trace, layer, h)[query * hs + d], 1e-6);
          g_assert_cmpfloat_with_epsilon (s->k_rot[d], ae_trace_k (trace, layer, h)[key * hs + d], 1e-6);
        }
      /* the rotation turns pair i by position · freq[i] */
      for (size_t i = 0; i < s->rotary_dim / 2; i++)
        {
          g_assert_cmpfloat_with_epsilon (s->angle_q[i], query * s->freq[i], 1e-5);
          g_assert_cmpfloat_with_epsilon (s->angle_k[i], key * s->freq[i], 1e-5);
        }
      g_assert_cmpfloat_with_epsilon (s->weight, ae_trace_weights (trace, layer, h)[query * T + key], 1e-6);
      ae_steps_free (s);
    }

  ae_trace_free (trace);
  ae_model_free (model);
  json_decref (root);
}

/* Mistral's window: keys more than window - 1 before the query get nothing. */
static void
test_sliding_window (void)
{
  json_t *root = load_fixture ("mistral-window");
  json_t *kase = json_array_get (json_object_get (root, "cases"), 2);
  AeModel *model = load_fixture_model ("mistral-window");
  AeTrace *trace = run_case (model, kase);
  size_t T = trace->n_tokens, W = ae_model_config (model)->sliding_window;

  g_assert_cmpuint (W, ==, 5);
  g_assert_cmpuint (T, >, W);
  g_assert_cmpuint (trace->window, ==, W);
  for (size_t q = 0; q < T; q++)
    for (size_t k = 0; k <= q; k++)
      {
        const float *row = ae_trace_weights (trace, 0, 0) + q * T;

        g_assert_true (ae_trace_is_masked_in (trace, q, k) == (q - k >= W));
        if (q - k >= W)
          g_assert_cmpfloat (row[k], ==, 0.0f);
        else
          g_assert_cmpfloat (row[k], >, 0.0f);
      }
  ae_trace_free (trace);
  ae_model_free (model);
  json_decref (root);
}

/* ----------------------------------------------------------------------------
 * broken configs and weights */

#define LLAMA_BASE "\"model_type\":\"llama\",\"num_hidden_layers\":2,\"hidden_size\":24," \
  "\"intermediate_size\":40,\"vocab_size\":269,\"max_position_embeddings\":32"
#define NEOX_BASE "\"model_type\":\"gpt_neox\",\"num_hidden_layers\":2,\"hidden_size\":18," \
  "\"num_attention_heads\":2,\"intermediate_size\":36,\"vocab_size\":269," \
  "\"max_position_embeddings\":32,\"hidden_act\":\"gelu\""

static const Broken broken[] = {
  { "llama-gqa2", "config.json", "{" LLAMA_BASE ",\"num_key_value_heads\":2}",
    AE_STATUS_BAD_CONFIG, { "config.json", "num_attention_heads", "missing" } },
  { "llama-gqa2", "config.json", "{" LLAMA_BASE ",\"num_attention_heads\":4,\"num_key_value_heads\":3}",
    AE_STATUS_BAD_CONFIG, { "num_key_value_heads", "multiple" } },
  { "llama-gqa2", "config.json", "{" LLAMA_BASE ",\"num_attention_heads\":5,\"num_key_value_heads\":5}",
    AE_STATUS_BAD_CONFIG, { "hidden_size", "num_attention_heads" } },
  { "llama-gqa2", "config.json", "{" LLAMA_BASE ",\"num_attention_heads\":4,\"num_key_value_heads\":2,"
    "\"rope_scaling\":{\"rope_type\":\"yarn\",\"factor\":4}}",
    AE_STATUS_UNSUPPORTED, { "rope_scaling", "yarn" } },
  { "llama-gqa2", "config.json", "{" LLAMA_BASE ",\"num_attention_heads\":4,\"num_key_value_heads\":2,"
    "\"rope_scaling\":{\"type\":\"llama3\",\"factor\":8}}",
    AE_STATUS_BAD_CONFIG, { "rope_scaling", "low_freq_factor" } },
  { "llama-gqa2", "config.json", "{" LLAMA_BASE ",\"num_attention_heads\":4,\"num_key_value_heads\":2,"
    "\"hidden_act\":\"gelu\"}", AE_STATUS_UNSUPPORTED, { "hidden_act", "gelu" } },
  { "llama-gqa2", "config.json", "{" LLAMA_BASE ",\"num_attention_heads\":4,\"num_key_value_heads\":4}",
    AE_STATUS_BAD_WEIGHTS, { "layers.0.self_attn.k_proj.weight", "[12, 24]", "[24, 24]" } },
  { "llama-gqa2", "config.json", "{" LLAMA_BASE ",\"num_attention_heads\":4,\"num_key_value_heads\":2,"
    "\"attention_bias\":true}", AE_STATUS_BAD_WEIGHTS, { "layers.0.self_attn.q_proj.bias", "missing" } },
  { "llama-gqa2", "config.json", "{" LLAMA_BASE ",\"num_attention_heads\":4,\"num_key_value_heads\":2,"
    "\"quantization_config\":{}}", AE_STATUS_UNSUPPORTED, { "quantization_config" } },
  { "qwen2-gqa4", "config.json", "{\"model_type\":\"qwen2\",\"num_hidden_layers\":2,\"hidden_size\":32,"
    "\"intermediate_size\":48,\"vocab_size\":269,\"max_position_embeddings\":32,\"num_attention_heads\":4,"
    "\"num_key_value_heads\":1,\"head_dim\":6,\"use_sliding_window\":true,\"sliding_window\":31,"
    "\"max_window_layers\":1}",
    AE_STATUS_UNSUPPORTED, { "use_sliding_window", "sliding_window 31", "max_window_layers" } },
  { "pythia-parallel", "config.json", "{" NEOX_BASE ",\"rotary_pct\":0.1}",
    AE_STATUS_BAD_CONFIG, { "rotary_pct" } },
  { "pythia-parallel", "config.json", "{" NEOX_BASE ",\"rotary_pct\":0.5,\"rope_scaling\":{\"type\":\"linear\",\"factor\":2}}",
    AE_STATUS_UNSUPPORTED, { "rope_scaling" } },
  { "pythia-parallel", "config.json", "{" NEOX_BASE ",\"rotary_pct\":0.5,\"attention_bias\":false}",
    AE_STATUS_BAD_WEIGHTS, { "attention.query_key_value.bias", "not part" } },
  { "pythia-parallel", "config.json", "{\"architectures\":[\"T5ForConditionalGeneration\"]}",
    AE_STATUS_UNSUPPORTED, { "architectures", "T5ForConditionalGeneration" } },
  /* GPT-2's options */
  { "tiny-f32", "config.json", "{\"n_layer\":2,\"n_head\":4,\"n_embd\":32,\"n_positions\":32,"
    "\"vocab_size\":269,\"n_inner\":64}", AE_STATUS_BAD_WEIGHTS,
    { "h.0.mlp.c_fc.weight", "[32, 128]", "[32, 64]" } },
  { "tiny-f32", "config.json", "{\"n_layer\":2,\"n_head\":4,\"n_embd\":32,\"n_positions\":32,"
    "\"vocab_size\":269,\"add_cross_attention\":true}", AE_STATUS_UNSUPPORTED,
    { "add_cross_attention" } },
  { "tiny-f32", "config.json", "{\"n_layer\":2,\"n_head\":4,\"n_embd\":32,\"n_positions\":32,"
    "\"vocab_size\":269,\"scale_attn_weights\":\"no\"}", AE_STATUS_BAD_CONFIG,
    { "scale_attn_weights" } },
  /* shards */
  { "llama-bf16-shards", "model-00002-of-00002.safetensors", NULL, AE_STATUS_IO,
    { "model-00002-of-00002.safetensors" } },
  { "llama-bf16-shards", "model.safetensors.index.json", "{\"weight_map\":{\"x\":\"../etc/passwd\"}}",
    AE_STATUS_BAD_WEIGHTS, { "model.safetensors.index.json", "“x”" } },
  { "llama-bf16-shards", "model.safetensors.index.json",
    "{\"weight_map\":{\"model.norm.weight\":\"model-00001-of-00002.safetensors\"}}",
    AE_STATUS_BAD_WEIGHTS, { "model.safetensors.index.json", "model.norm.weight", "not in" } },
};

/* Qwen2 with use_sliding_window but a window as long as the context: the
 * window hides nothing on any layer, so the model loads and gives the
 * plain causal attention of the fixture (a shorter window is refused,
 * in broken[]). */
static void
test_qwen2_window_as_long_as_context (void)
{
  g_autofree char *dir = copy_model ("qwen2-gqa4");
  g_autofree char *config = g_build_filename (dir, "config.json", NULL);
  json_t *root = load_fixture ("qwen2-gqa4");
  json_t *kase = json_array_get (json_object_get (root, "cases"), 2);
  json_error_t jerror;
  json_t *cfg = json_load_file (config, 0, &jerror);
  AeModel *model = NULL;
  AeError error = { 0 };
  AeTrace *trace;

  g_assert_nonnull (cfg);
  json_object_set_new (cfg, "use_sliding_window", json_true ());
  json_object_set_new (cfg, "sliding_window", json_integer (32));
  json_object_set_new (cfg, "max_window_layers", json_integer (1));
  g_assert_cmpint (json_dump_file (cfg, config, 0), ==, 0);
  json_decref (cfg);

  if (ae_model_load (&model, dir, &error) != AE_STATUS_OK)
    g_error ("%s", error.message);
  trace = run_case (model, kase);
  g_assert_cmpuint (trace->window, ==, 0);
  check_tensor ("weights", trace->weights, json_object_get (kase, "weights"),
                trace->n_layer * trace->n_head * trace->n_tokens * trace->n_tokens);
  ae_trace_free (trace);
  ae_model_free (model);
  json_decref (root);
  remove_dir (dir);
}

/* The new kernels on values worked out by hand. */
static void
test_ops (void)
{
  /* rope: pairs (0, 2) and (1, 3) of a 5-wide row, dimension 4 untouched;
   * token 0 turns by 90° (cos 0, sin 1) and by 180° on its second pair */
  float x[5] = { 1, 2, 3, 4, 5 };
  const float cos_sin[4] = { 0, -1, 1, 0 };   /* cos of pairs 0, 1; then sin */
  float r[3] = { 3, 4, 0 }, w[3] = { 1, 2, 1 }, out[3];
  float gate[2] = { 0, 2 }, up[2] = { 5, 3 };

  ae_rope (x, cos_sin, 1, 5, 4);
  g_assert_cmpfloat_with_epsilon (x[0], -3.0f, 1e-6);   /* 1·0 − 3·1 */
  g_assert_cmpfloat_with_epsilon (x[2], 1.0f, 1e-6);    /* 3·0 + 1·1 */
  g_assert_cmpfloat_with_epsilon (x[1], -2.0f, 1e-6);   /* 2·(−1) − 4·0 */
  g_assert_cmpfloat_with_epsilon (x[3], -4.0f, 1e-6);   /* 4·(−1) + 2·0 */
  g_assert_cmpfloat (x[4], ==, 5.0f);

  /* rmsnorm: rms of (3, 4, 0) is sqrt(25/3) */
  ae_rmsnorm (out, r, w, 1, 3, 0.0f);
  g_assert_cmpfloat_with_epsilon (out[0], 3 / sqrt (25.0 / 3), 1e-6);
  g_assert_cmpfloat_with_epsilon (out[1], 2 * 4 / sqrt (25.0 / 3), 1e-6);
  g_assert_cmpfloat (out[2], ==, 0.0f);

  /* swiglu: silu(0) = 0, silu(2) = 2 / (1 + e^-2) */
  ae_swiglu (gate, gate, up, 2);
  g_assert_cmpfloat (gate[0], ==, 0.0f);
  g_assert_cmpfloat_with_epsilon (gate[1], 2.0 / (1.0 + exp (-2.0)) * 3.0, 1e-5);

  /* exact gelu at 1: 0.5·(1 + erf(1/√2)) */
  out[0] = 1.0f;
  ae_gelu (out, out, 1);
  g_assert_cmpfloat_with_epsilon (out[0], 0.5 * (1.0 + erf (1.0 / sqrt (2.0))), 1e-6);
}

/* What the description says about each family, as `info` shows it. */
static void
test_descriptions (void)
{
  static const struct
  {
    const char *model;
    AeNorm norm;
    AeMlp mlp;
    AeResidual residual;
    size_t rotary_dim;
    bool tied;
  } cases[] = {
    { "tiny-f32", AE_NORM_LAYER, AE_MLP_GELU_TANH, AE_RESIDUAL_SEQUENTIAL, 0, true },
    { "llama-gqa2", AE_NORM_RMS, AE_MLP_SWIGLU, AE_RESIDUAL_SEQUENTIAL, 6, false },
    { "llama-bf16-shards", AE_NORM_RMS, AE_MLP_SWIGLU, AE_RESIDUAL_SEQUENTIAL, 8, true },
    { "pythia-parallel", AE_NORM_LAYER, AE_MLP_GELU_ERF, AE_RESIDUAL_PARALLEL, 4, false },
    { "pythia-sequential", AE_NORM_LAYER, AE_MLP_GELU_ERF, AE_RESIDUAL_SEQUENTIAL, 2, false },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      AeModel *model = load_fixture_model (cases[i].model);
      const AeConfig *cfg = ae_model_config (model);

      g_assert_cmpint (cfg->arch.norm, ==, cases[i].norm);
      g_assert_cmpint (cfg->arch.mlp, ==, cases[i].mlp);
      g_assert_cmpint (cfg->arch.residual, ==, cases[i].residual);
      g_assert_cmpuint (cfg->rotary_dim, ==, cases[i].rotary_dim);
      g_assert_true (cfg->tie_word_embeddings == cases[i].tied);
      ae_model_free (model);
    }
}

int
main (int   argc,
      char *argv[])
{
  static const char *const models[] = {
    "llama-gqa2", "llama-bf16-shards", "qwen2-gqa4", "mistral-window",
    "pythia-parallel", "pythia-sequential", "gpt2-options", "gpt2-unscaled",
    /* with a real tokenizer.json (cut), the first case a text's ids */
    "llama3-hf", "qwen2-hf", "tinyllama-hf", "mistral-hf", "smollm-hf", "pythia-hf",
  };

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (size_t i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autofree char *fixture = g_strdup_printf ("/attention/families/fixture/%s", models[i]);
      g_autofree char *walk = g_strdup_printf ("/attention/families/walkthrough/%s", models[i]);

      g_test_add_data_func (fixture, models[i], test_fixture);
      g_test_add_data_func (walk, models[i], test_walkthrough);
    }
  g_test_add_func ("/attention/families/sliding-window", test_sliding_window);
  g_test_add_func ("/attention/families/qwen2-window-as-long-as-context",
                   test_qwen2_window_as_long_as_context);
  g_test_add_func ("/attention/families/descriptions", test_descriptions);
  g_test_add_func ("/attention/families/ops", test_ops);
  for (size_t i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autofree char *path = g_strdup_printf ("/attention/families/broken-%02zu-%s", i, broken[i].model);

      g_test_add_data_func (path, &broken[i], test_broken);
    }

  return g_test_run ();
}
