/* test-builtin-model.c — the shipped model, as PyTorch saw it at export time
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tools/train/export.py writes data/models/minigpt-en and, from the same
 * weights, tests/fixtures/minigpt-en-attention.json: the PyTorch model's
 * token ids and attention for a few sentences.  Reproducing them guards the
 * export, the loader, the tokenizer and the forward pass together.
 */

#include "config.h"

#include <jansson.h>
#include <math.h>

#include "ae-stats.h"
#include "attn-engine.h"

static json_t *
load_fixture (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "minigpt-en-attention.json", NULL);
  json_error_t jerr;
  json_t *root = json_load_file (path, 0, &jerr);

  if (root == NULL)
    g_error ("%s: %s (line %d)", path, jerr.text, jerr.line);
  return root;
}

/* The app's label for every head is the one tools/train/heads.py gave it at
 * export time (the model card's table uses that rule). */
static void
check_labels (AttnResult *result,
              json_t     *labels,
              const char *text)
{
  guint T = attn_result_get_n_tokens (result);

  g_assert_cmpuint (json_array_size (labels), ==, attn_result_get_n_layers (result));
  for (guint l = 0; l < attn_result_get_n_layers (result); l++)
    for (guint h = 0; h < attn_result_get_n_heads (result); h++)
      {
        const char *expected = json_string_value (json_array_get (json_array_get (labels, l), h));
        AeHeadStats stats;

        ae_head_stats_compute_tokens (attn_result_get_weights (result, l, h),
                                      attn_result_get_token_ids (result), T, &stats);
        if (g_strcmp0 (ae_head_label_to_string (ae_head_label (&stats)), expected) != 0)
          g_error ("“%s”: layer %u head %u is “%s” here, “%s” in tools/train/heads.py",
                   text, l, h, ae_head_label_to_string (ae_head_label (&stats)), expected);
      }
}

static void
test_builtin_default (void)
{
  g_autofree char *dir = attn_engine_dup_builtin_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (attn_engine_get_name (engine), ==, ATTN_BUILTIN_MODEL);
  /* The floor: typed paragraphs fit. */
  g_assert_cmpuint (attn_engine_get_n_ctx (engine), >=, 128);
}

static void
test_builtin_matches_pytorch (void)
{
  g_autofree char *dir = attn_engine_dup_builtin_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, &error);
  json_t *root = load_fixture ();
  double tolerance = json_real_value (json_object_get (root, "tolerance"));
  json_t *cases = json_object_get (root, "cases");
  double max_diff = 0.0;
  size_t i;
  json_t *c;

  g_assert_no_error (error);
  g_assert_cmpfloat (tolerance, <=, 1e-5);
  g_assert_cmpuint (json_array_size (cases), >, 0);

  json_array_foreach (cases, i, c)
    {
      const char *text = json_string_value (json_object_get (c, "text"));
      json_t *ids = json_object_get (c, "ids");
      json_t *attention = json_object_get (c, "attention");
      g_autoptr(AttnResult) result = attn_engine_run (engine, text, FALSE, NULL, &error);
      guint T;

      g_assert_no_error (error);
      T = attn_result_get_n_tokens (result);
      g_assert_cmpuint (T, ==, json_array_size (ids));
      for (guint t = 0; t < T; t++)
        g_assert_cmpint (attn_result_get_token_id (result, t), ==,
                         json_integer_value (json_array_get (ids, t)));

      check_labels (result, json_object_get (c, "labels"), text);
      g_assert_cmpuint (json_array_size (attention), ==, attn_result_get_n_layers (result));
      for (guint l = 0; l < attn_result_get_n_layers (result); l++)
        for (guint h = 0; h < attn_result_get_n_heads (result); h++)
          {
            const float *w = attn_result_get_weights (result, l, h);
            json_t *rows = json_array_get (json_array_get (attention, l), h);

            for (guint q = 0; q < T; q++)
              for (guint k = 0; k < T; k++)
                {
                  double expected = json_number_value (json_array_get (json_array_get (rows, q), k));
                  double diff = fabs (expected - w[q * T + k]);

                  max_diff = MAX (max_diff, diff);
                  if (diff > tolerance)
                    g_error ("“%s”: layer %u head %u [%u][%u] is %.9g, PyTorch says %.9g",
                             text, l, h, q, k, w[q * T + k], expected);
                }
          }
    }

  g_test_message ("largest difference from PyTorch: %.3g", max_diff);
  json_decref (root);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/attention/builtin-model/default", test_builtin_default);
  g_test_add_func ("/attention/builtin-model/matches-pytorch", test_builtin_matches_pytorch);

  return g_test_run ();
}
