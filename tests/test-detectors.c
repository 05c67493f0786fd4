/* test-detectors.c — issue 14's head detectors and comparison in the GObject face
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every number is checked against an independent computation: the head
 * scores against the engine's detectors run here on full traces of the
 * same texts (and of the probe, built and run here), the comparison's
 * Δ and ranking against two separate passes compared by hand, the
 * exports against both.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <jansson.h>

#include "ae-detectors.h"
#include "ae-model.h"
#include "ae-trace.h"
#include "attn-compare.h"
#include "attn-compare-values.h"
#include "attn-detectors.h"
#include "attn-engine.h"
#include "attn-export.h"
#include "attn-head-scores.h"
#include "attn-predictions.h"
#include "model-dir.h"

#define REPEATED "the cat sat on the mat and the cat sat"
/* short enough for the tiny model's 32 tokens */
#define TROPHY_A "the trophy was too big"
#define TROPHY_B "the trophy was too small"

static AttnEngine *
engine_for (const char *name)
{
  g_autofree char *dir = model_path (name);
  g_autoptr(GError) error = NULL;
  AttnEngine *engine = attn_engine_new (dir, NULL, &error);

  g_assert_no_error (error);
  return engine;
}

static AttnResult *
run (AttnEngine *engine,
     const char *text)
{
  g_autoptr(GError) error = NULL;
  AttnResult *result = attn_engine_run (engine, text, TRUE, NULL, &error);

  g_assert_no_error (error);
  return result;
}

/* The engine's detectors on a full trace of @ids, run here. */
static void
expected_scores (const AeModel    *model,
                 const int32_t    *ids,
                 size_t            T,
                 const AeAblation *ablation,
                 double           *out)   /* (L, NH, COUNT) */
{
  const AeConfig *cfg = ae_model_config (model);
  AeForwardHooks hooks = { ablation, NULL };
  AeTrace *trace = NULL;
  AeError error = { 0 };

  g_assert_cmpint (ae_model_forward_hooked (model, ids, T, 0, &hooks, NULL, &trace, &error), ==,
                   AE_STATUS_OK);
  for (size_t l = 0; l < cfg->n_layer; l++)
    for (size_t h = 0; h < cfg->n_head; h++)
      {
        AeDetectorScores s;

        ae_detectors_compute (ae_trace_weights (trace, l, h), ids, T, &s);
        for (int d = 0; d < AE_DETECTOR_COUNT; d++)
          out[(l * cfg->n_head + h) * AE_DETECTOR_COUNT + d] = s.score[d];
      }
  ae_trace_free (trace);
}

static void
assert_same_score (double got,
                   double want)
{
  if (isnan (want))
    g_assert_true (isnan (got));
  else
    g_assert_cmpfloat_with_epsilon (got, want, 1e-6);
}

static void
test_scores_match_engine (void)
{
  g_autoptr(AttnEngine) engine = engine_for ("tiny-f32");
  g_autoptr(AttnResult) result = run (engine, REPEATED);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnHeadScores) scores = attn_head_scores_compute (result, TRUE, NULL, &error);
  const AeModel *model = attn_engine_get_model (engine);
  const AeConfig *cfg = ae_model_config (model);
  guint L = cfg->n_layer, NH = cfg->n_head, n_probe = 0;
  g_autofree double *want = g_new (double, L * NH * AE_DETECTOR_COUNT);
  g_autofree double *want_probe = g_new (double, L * NH * AE_DETECTOR_COUNT);
  g_autofree int32_t *probe = g_new (int32_t, 2 * ATTN_PROBE_HALF + 1);
  const gint32 *probe_ids;
  size_t n;
  gboolean some_induction = FALSE;

  g_assert_no_error (error);
  g_assert_nonnull (scores);
  g_assert_true (attn_head_scores_has_probe (scores));
  g_assert_cmpuint (attn_head_scores_get_n_layers (scores), ==, L);
  g_assert_cmpuint (attn_head_scores_get_n_heads (scores), ==, NH);

  /* the sentence: the same text's full trace, its own ids */
  expected_scores (model, (const int32_t *) attn_result_get_token_ids (result),
                   attn_result_get_n_tokens (result), NULL, want);
  /* the probe: built and run here, the CLI's recipe */
  n = ae_induction_probe (ae_model_tokenizer (model), cfg->vocab_size, ATTN_PROBE_HALF, ATTN_PROBE_SEED,
                          cfg->n_ctx, probe);
  probe_ids = attn_head_scores_get_probe_ids (scores, &n_probe);
  g_assert_cmpuint (n_probe, ==, n);
  g_assert_cmpmem (probe_ids, n_probe * sizeof (gint32), probe, n * sizeof (int32_t));
  expected_scores (model, probe, n, NULL, want_probe);

  for (guint l = 0; l < L; l++)
    for (guint h = 0; h < NH; h++)
      for (int d = 0; d < ATTN_DETECTOR_COUNT; d++)
        {
          assert_same_score (attn_head_scores_get (scores, ATTN_SCORE_SENTENCE, d, l, h),
                             want[(l * NH + h) * AE_DETECTOR_COUNT + d]);
          assert_same_score (attn_head_scores_get (scores, ATTN_SCORE_PROBE, d, l, h),
                             want_probe[(l * NH + h) * AE_DETECTOR_COUNT + d]);
          assert_same_score (attn_head_scores_get_all (scores, ATTN_SCORE_SENTENCE, d)[l * NH + h],
                             want[(l * NH + h) * AE_DETECTOR_COUNT + d]);
        }
  /* the text repeats "the cat sat": duplicate and induction exist */
  g_assert_cmpuint (attn_head_scores_get_n_repeated (scores, ATTN_SCORE_SENTENCE), >, 0);
  for (guint i = 0; i < L * NH; i++)
    some_induction |= !isnan (attn_head_scores_get_all (scores, ATTN_SCORE_SENTENCE, ATTN_DETECTOR_INDUCTION)[i]);
  g_assert_true (some_induction);
  g_assert_cmpuint (attn_head_scores_get_n_repeated (scores, ATTN_SCORE_PROBE), ==, (n - 1) / 2);
}

static void
test_scores_ablated_probe (void)
{
  g_autoptr(AttnEngine) engine = engine_for ("tiny-f32");
  const AeModel *model = attn_engine_get_model (engine);
  const AeConfig *cfg = ae_model_config (model);
  bool heads[8] = { false };
  AeAblation ablation = { AE_ABLATION_ZERO, 2, 4, heads };
  AttnRunOptions options = { .truncate = TRUE, .ablation = &ablation };
  g_autoptr(AttnResult) result = NULL;
  g_autoptr(AttnHeadScores) scores = NULL;
  g_autofree double *want = g_new (double, 8 * AE_DETECTOR_COUNT);
  g_autofree int32_t *probe = g_new (int32_t, 2 * ATTN_PROBE_HALF + 1);
  size_t n;

  heads[1] = true;   /* 0.1 off: layer 1 sees another stream */
  result = attn_engine_run_options (engine, REPEATED, &options, NULL, NULL);
  g_assert_nonnull (result);
  scores = attn_head_scores_compute (result, TRUE, NULL, NULL);
  n = ae_induction_probe (ae_model_tokenizer (model), cfg->vocab_size, ATTN_PROBE_HALF, ATTN_PROBE_SEED,
                          cfg->n_ctx, probe);
  expected_scores (model, probe, n, &ablation, want);
  for (guint i = 0; i < 8; i++)
    for (int d = 0; d < ATTN_DETECTOR_COUNT; d++)
      assert_same_score (attn_head_scores_get (scores, ATTN_SCORE_PROBE, d, i / 4, i % 4),
                         want[i * AE_DETECTOR_COUNT + d]);
}

static void
test_scores_rank_and_export (void)
{
  g_autoptr(AttnEngine) engine = engine_for ("tiny-f32");
  g_autoptr(AttnResult) result = run (engine, REPEATED);
  g_autoptr(AttnHeadScores) scores = attn_head_scores_compute (result, TRUE, NULL, NULL);
  g_autofree guint *order = attn_head_scores_rank (scores, ATTN_SCORE_PROBE, ATTN_DETECTOR_INDUCTION);
  const double *v = attn_head_scores_get_all (scores, ATTN_SCORE_PROBE, ATTN_DETECTOR_INDUCTION);
  g_autofree char *csv = NULL, *json_text = NULL, *dir = g_dir_make_tmp ("scores-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "scores.json", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  json_t *root, *heads;

  for (guint i = 1; i < 8; i++)
    g_assert_true (v[order[i - 1]] > v[order[i]] || (v[order[i - 1]] == v[order[i]] && order[i - 1] < order[i]));

  csv = attn_head_scores_dup_values (scores, ATTN_VALUES_CSV, &error);
  g_assert_no_error (error);
  lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "layer,head,previous,duplicate,induction,first,self,"
                                 "probe_previous,probe_duplicate,probe_induction,probe_first,probe_self");
  for (guint i = 0; i < 8; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i + 1], ",", -1);

      g_assert_cmpuint (g_strv_length (cells), ==, 12);
      g_assert_cmpint (atoi (cells[0]), ==, i / 4);
      g_assert_cmpint (atoi (cells[1]), ==, i % 4);
      for (int d = 0; d < ATTN_DETECTOR_COUNT; d++)
        {
          double x = attn_head_scores_get (scores, ATTN_SCORE_SENTENCE, d, i / 4, i % 4);

          if (isnan (x))
            g_assert_cmpstr (cells[2 + d], ==, "");
          else
            g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cells[2 + d], NULL), x, 1e-8);
          g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cells[7 + d], NULL),
                                          attn_head_scores_get (scores, ATTN_SCORE_PROBE, d, i / 4, i % 4), 1e-8);
        }
    }

  g_assert_true (attn_head_scores_write_file (scores, path, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &json_text, NULL, NULL));
  root = json_loads (json_text, 0, NULL);
  g_assert_nonnull (root);
  heads = json_object_get (root, "heads");
  g_assert_cmpuint (json_array_size (heads), ==, 8);
  g_assert_cmpuint (json_array_size (json_object_get (root, "probe_ids")), ==,
                    attn_head_scores_get_n_repeated (scores, ATTN_SCORE_PROBE) * 2 + 1);
  for (guint i = 0; i < 8; i++)
    {
      json_t *head = json_array_get (heads, i);

      g_assert_cmpfloat_with_epsilon (json_real_value (json_object_get (json_object_get (head, "probe"), "induction")),
                                      v[i], 1e-8);
    }
  json_decref (root);
  /* NPY is refused, naming the formats */
  g_assert_false (attn_head_scores_write_file (scores, "x.npy", NULL, &error));
  g_assert_nonnull (error);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_detectors_follow_document (void)
{
  g_autoptr(AttnEngine) engine = engine_for ("tiny-f32");
  g_autoptr(AttnDocument) document = attn_document_new ();
  g_autoptr(AttnDetectors) detectors = attn_detectors_new (document);
  AttnHeadScores *scores;

  g_assert_null (attn_detectors_get_scores (detectors));
  attn_document_set_engine (document, engine);
  attn_document_set_text (document, REPEATED);
  attn_document_wait (document);
  attn_detectors_wait (detectors);
  scores = attn_detectors_get_scores (detectors);
  g_assert_nonnull (scores);
  g_assert_true (attn_head_scores_get_result (scores) == attn_document_get_result (document));

  /* a new text: new scores, the probe's taken over (same model, same heads) */
  {
    g_autoptr(AttnHeadScores) before = attn_head_scores_ref (scores);

    attn_document_set_text (document, "a b c a b c");
    attn_document_wait (document);
    attn_detectors_wait (detectors);
    scores = attn_detectors_get_scores (detectors);
    g_assert_nonnull (scores);
    g_assert_true (attn_head_scores_get_result (scores) == attn_document_get_result (document));
    g_assert_cmpmem (attn_head_scores_get_all (scores, ATTN_SCORE_PROBE, ATTN_DETECTOR_INDUCTION), 8 * sizeof (double),
                     attn_head_scores_get_all (before, ATTN_SCORE_PROBE, ATTN_DETECTOR_INDUCTION), 8 * sizeof (double));
  }
}

/* ---- compare ---------------------------------------------------------- */

static void
test_alignment (void)
{
  g_autoptr(AttnEngine) engine = engine_for ("tiny-f32");
  g_autoptr(AttnResult) a = run (engine, "it was too big");
  g_autoptr(AttnResult) b = run (engine, "it was too small");
  g_autoptr(AttnResult) c = run (engine, "the cat sat");
  g_autoptr(AttnResult) d = run (engine, "the black cat sat");
  AttnAlignment *al = attn_alignment_new (a, b);
  guint Ta = attn_result_get_n_tokens (a), first, n_aligned = 0;

  /* only the last word differs: everything before it aligns one to one */
  first = attn_alignment_first_difference (al);
  g_assert_cmpuint (first, <, Ta);
  g_assert_cmpuint (first, >=, 3);
  for (guint i = 0; i < first; i++)
    g_assert_cmpint (al->b_of_a[i], ==, (int) i);
  for (guint i = 0; i < Ta; i++)
    if (al->b_of_a[i] >= 0)
      {
        n_aligned++;
        g_assert_cmpint (attn_result_get_token_id (a, i), ==, attn_result_get_token_id (b, al->b_of_a[i]));
        g_assert_cmpint (al->a_of_b[al->b_of_a[i]], ==, (int) i);
      }
  g_assert_cmpuint (al->n_merged, ==, Ta + attn_result_get_n_tokens (b) - n_aligned);
  g_assert_false (attn_alignment_is_identity (al));
  attn_alignment_free (al);

  /* an inserted word: the tokens after it align shifted by its length */
  al = attn_alignment_new (c, d);
  g_assert_cmpint (al->b_of_a[0], ==, 0);
  g_assert_cmpint (al->b_of_a[attn_result_get_n_tokens (c) - 1], ==, (int) attn_result_get_n_tokens (d) - 1);
  g_assert_cmpuint (al->n_merged, ==, attn_result_get_n_tokens (d));
  for (guint k = 0; k < al->n_merged; k++)
    g_assert_cmpint (al->merged_b[k], ==, (int) k);
  attn_alignment_free (al);

  al = attn_alignment_new (a, a);
  g_assert_true (attn_alignment_is_identity (al));
  attn_alignment_free (al);
}

/* Two separate passes, compared by hand. */
static void
check_delta (const char *model_name,
             gboolean    causal)
{
  g_autoptr(AttnEngine) engine = engine_for (model_name);
  g_autoptr(AttnResult) a = run (engine, "the cat sat on the mat");
  g_autoptr(AttnResult) b = run (engine, "the dog sat on the mat");
  AttnAlignment *al = attn_alignment_new (a, b);
  guint Ta = attn_result_get_n_tokens (a), Tb = attn_result_get_n_tokens (b);
  guint L = attn_result_get_n_layers (a), NH = attn_result_get_n_heads (a);
  guint first = attn_alignment_first_difference (al);
  guint n = 0;
  g_autofree float *delta = g_new (float, Ta);
  g_autofree float *wa = g_new (float, Ta);
  g_autofree float *wb = g_new (float, Ta);

  for (guint q = 0; q < Ta; q++)
    {
      g_autofree AttnCompareRank *ranks = attn_compare_rank_heads (a, b, al, q, &n);
      double biggest = -1;

      if (al->b_of_a[q] < 0)
        {
          g_assert_null (ranks);
          continue;
        }
      g_assert_cmpuint (n, ==, L * NH);
      for (guint i = 0; i < n; i++)
        {
          const AttnCompareRank *r = &ranks[i];
          const float *A = attn_result_get_weights (a, r->layer, r->head);
          const float *B = attn_result_get_weights (b, r->layer, r->head);
          int qb = al->b_of_a[q];
          double sum = 0;

          g_assert_true (attn_compare_row (a, b, al, r->layer, r->head, q, wa, wb, delta));
          for (guint k = 0; k < Ta; k++)
            {
              int kb = al->b_of_a[k];

              g_assert_cmpfloat (wa[k], ==, A[q * Ta + k]);
              if (kb < 0)
                {
                  g_assert_true (isnan (delta[k]));
                  continue;
                }
              g_assert_cmpfloat (wb[k], ==, B[qb * Tb + kb]);
              g_assert_cmpfloat_with_epsilon (delta[k], B[qb * Tb + kb] - A[q * Ta + k], 1e-7);
              sum += fabs ((double) B[qb * Tb + kb] - A[q * Ta + k]);
            }
          g_assert_cmpfloat_with_epsilon (r->change, sum / 2, 1e-6);
          /* falling change */
          if (i > 0)
            g_assert_cmpfloat (r->change, <=, biggest);
          biggest = r->change;
          /* a left-to-right model reads a query before the difference
           * with the very same tokens: no change at all */
          if (causal && q < first)
            g_assert_cmpfloat (r->change, ==, 0.0);
        }
      /* an encoder's early tokens see the changed word: some head moves */
      if (!causal && q < first && q > 0)
        g_assert_cmpfloat (ranks[0].change, >, 0.0);
      if (causal && q + 1 == Ta && al->b_of_a[q] >= 0)
        g_assert_cmpfloat (ranks[0].change, >, 0.0);
    }
  attn_alignment_free (al);
}

static void
test_delta_causal (void)
{
  check_delta ("tiny-f32", TRUE);
}

static void
test_delta_encoder (void)
{
  check_delta ("bert-base", FALSE);
}

static void
test_compare_values (void)
{
  g_autoptr(AttnEngine) engine = engine_for ("tiny-f32");
  g_autoptr(AttnResult) a = run (engine, TROPHY_A);
  g_autoptr(AttnResult) b = run (engine, TROPHY_B);
  AttnAlignment *al = attn_alignment_new (a, b);
  guint Ta = attn_result_get_n_tokens (a), Tb = attn_result_get_n_tokens (b);
  const float *A = attn_result_get_weights (a, 1, 2), *B = attn_result_get_weights (b, 1, 2);
  int query = (int) Ta - 2;
  g_autoptr(GError) error = NULL;
  g_autofree char *json_text = attn_compare_dup_values (a, b, 1, 2, query, ATTN_VALUES_JSON, &error);
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  json_t *root, *delta, *ranking;
  guint n = 0;
  g_autofree AttnCompareRank *ranks = attn_compare_rank_heads (a, b, al, (guint) query, &n);

  g_assert_no_error (error);
  root = json_loads (json_text, 0, NULL);
  g_assert_nonnull (root);
  g_assert_cmpint (json_integer_value (json_object_get (root, "layer")), ==, 1);
  g_assert_cmpuint (json_array_size (json_object_get (root, "tokens_b")), ==, Tb);
  delta = json_object_get (root, "delta");
  for (guint q = 0; q < Ta; q++)
    for (guint k = 0; k < Ta; k++)
      {
        json_t *cell = json_array_get (json_array_get (delta, q), k);
        int qb = al->b_of_a[q], kb = al->b_of_a[k];

        g_assert_cmpfloat_with_epsilon (json_real_value (json_array_get (json_array_get (json_object_get (root, "attention_a"), q), k)),
                                        A[q * Ta + k], 1e-8);
        if (qb < 0 || kb < 0)
          g_assert_true (json_is_null (cell));
        else
          g_assert_cmpfloat_with_epsilon (json_real_value (cell), (double) B[qb * Tb + kb] - A[q * Ta + k], 1e-7);
      }
  ranking = json_object_get (root, "ranking");
  g_assert_cmpuint (json_array_size (ranking), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (json_integer_value (json_object_get (json_array_get (ranking, i), "layer")), ==, ranks[i].layer);
      g_assert_cmpint (json_integer_value (json_object_get (json_array_get (ranking, i), "head")), ==, ranks[i].head);
      g_assert_cmpfloat_with_epsilon (json_real_value (json_object_get (json_array_get (ranking, i), "change")),
                                      ranks[i].change, 1e-8);
    }
  json_decref (root);

  csv = attn_compare_dup_values (a, b, 1, 2, -1, ATTN_VALUES_CSV, &error);
  g_assert_no_error (error);
  lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "query,key,query_token,key_token,b_query,b_key,weight_a,weight_b,delta");
  g_assert_cmpuint (g_strv_length (lines), ==, Ta * Ta + 2);   /* header, cells, "" after the last newline */
  attn_alignment_free (al);
}

static void
test_compare_follows_document (void)
{
  g_autoptr(AttnEngine) engine = engine_for ("tiny-f32");
  g_autoptr(AttnDocument) document = attn_document_new ();
  g_autoptr(AttnCompare) compare = attn_compare_new (document);
  AttnResult *b;
  bool heads[8] = { false };
  AeAblation ablation = { AE_ABLATION_ZERO, 2, 4, heads };

  attn_document_set_engine (document, engine);
  attn_document_set_text (document, TROPHY_A);
  attn_compare_set_text (compare, TROPHY_B);
  attn_document_wait (document);
  attn_compare_wait (compare);
  b = attn_compare_get_result (compare);
  g_assert_nonnull (b);
  g_assert_cmpstr (attn_result_get_text (b), ==, TROPHY_B);
  g_assert_nonnull (attn_compare_get_alignment (compare));
  g_assert_null (attn_result_get_ablation (b));

  /* heads switched off in the document: the second text runs without them too */
  heads[4] = true;
  attn_document_set_ablation (document, &ablation);
  attn_compare_wait (compare);
  attn_document_wait (document);
  b = attn_compare_get_result (compare);
  g_assert_nonnull (b);
  {
    g_autofree char *list = attn_result_dup_ablation_list (b);

    g_assert_cmpstr (list, ==, "1.0");
  }

  attn_compare_set_text (compare, "");
  attn_compare_wait (compare);
  g_assert_null (attn_compare_get_result (compare));
  g_assert_null (attn_compare_get_alignment (compare));
}

static void
test_compare_figure (void)
{
  g_autoptr(AttnEngine) engine = engine_for ("tiny-f32");
  g_autoptr(AttnResult) a = run (engine, TROPHY_A);
  g_autoptr(AttnResult) b = run (engine, TROPHY_B);
  g_autofree char *dir = g_dir_make_tmp ("compare-XXXXXX", NULL);
  const char *names[] = { "compare.png", "compare.svg", "compare.pdf" };
  AttnFigureOptions options;
  g_autoptr(GError) error = NULL;

  attn_figure_options_init (&options);
  options.view = ATTN_VIEW_COMPARE;
  options.layer = 1;
  options.head = 2;
  options.query = 10;
  /* no second text: a clear error */
  {
    g_autofree char *path = g_build_filename (dir, "none.png", NULL);

    g_assert_false (attn_export_figure (a, &options, path, NULL, &error));
    g_assert_error (error, ATTN_EXPORT_ERROR, ATTN_EXPORT_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
  options.compare = b;
  for (int delta = 0; delta < 2; delta++)
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *path = g_build_filename (dir, names[i], NULL);
        g_autofree char *contents = NULL;
        gsize length = 0;

        options.compare_delta = delta;
        g_assert_true (attn_export_figure (a, &options, path, NULL, &error));
        g_assert_no_error (error);
        g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
        g_assert_cmpuint (length, >, 1000);
        if (i == 1)
          g_assert_nonnull (strstr (contents, delta ? "B − A" : "A and B"));
        g_unlink (path);
      }
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/attention/detectors/scores-match-engine", test_scores_match_engine);
  g_test_add_func ("/attention/detectors/ablated-probe", test_scores_ablated_probe);
  g_test_add_func ("/attention/detectors/rank-and-export", test_scores_rank_and_export);
  g_test_add_func ("/attention/detectors/follow-document", test_detectors_follow_document);
  g_test_add_func ("/attention/compare/alignment", test_alignment);
  g_test_add_func ("/attention/compare/delta-causal", test_delta_causal);
  g_test_add_func ("/attention/compare/delta-encoder", test_delta_encoder);
  g_test_add_func ("/attention/compare/values", test_compare_values);
  g_test_add_func ("/attention/compare/follow-document", test_compare_follows_document);
  g_test_add_func ("/attention/compare/figure", test_compare_figure);
  return g_test_run ();
}
