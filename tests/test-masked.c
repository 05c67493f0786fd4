/* test-masked.c — masked-word predictions through the GObject face
 * (attn-masked.h)
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The predictions a pass computes for every [MASK] / <mask> in its worker
 * thread equal the numpy reference's top words (encoder-cli.json, made by
 * tools/reference/make_encoder_cli_fixtures.py) and what
 * attn_result_predict_masked () computes on demand; the document's results
 * carry them; models without a head, and runs of the first layers only,
 * have none and say why.
 */

#include "config.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

#include "attn-document.h"
#include "attn-engine.h"
#include "attn-masked.h"
#include "attn-pair.h"
#include "engine-fixture.h"

/* Every case of encoder-cli.json with masks, run through the engine. */
static void
test_against_reference (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "encoder-cli.json", NULL);
  json_error_t jerror;
  json_t *cases = json_load_file (path, 0, &jerror);
  guint n_checked = 0;

  g_assert_nonnull (cases);
  for (size_t c = 0; c < json_array_size (cases); c++)
    {
      json_t *kase = json_array_get (cases, c);
      json_t *masked = json_object_get (kase, "masked");
      g_autoptr(AttnEngine) engine = NULL;
      g_autoptr(AttnResult) result = NULL;
      g_autoptr(GError) error = NULL;
      AttnRunOptions options = { 0 };

      if (masked == NULL)
        continue;
      engine = load_fixture_engine (json_string_value (json_object_get (kase, "model")));
      options.text_b = json_string_value (json_object_get (kase, "text_b"));
      result = attn_engine_run_options (engine, json_string_value (json_object_get (kase, "text")),
                                        &options, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (attn_result_has_masked_lm (result));
      g_assert_cmpuint (attn_result_get_n_masks (result), ==, json_array_size (masked));
      for (guint m = 0; m < attn_result_get_n_masks (result); m++)
        {
          json_t *want = json_array_get (masked, m);
          const GArray *top = attn_result_get_mask_predictions (result, m);
          guint at = attn_result_get_mask_position (result, m);
          g_autoptr(GArray) again = attn_result_predict_masked (result, at, ATTN_MASKED_TOP_K, &error);

          g_assert_no_error (error);
          g_assert_cmpuint (at, ==, json_integer_value (json_object_get (want, "position")));
          g_assert_cmpuint (top->len, ==, ATTN_MASKED_TOP_K);
          for (guint i = 0; i < json_array_size (json_object_get (want, "ids")); i++)
            {
              const AttnPrediction *p = &g_array_index (top, AttnPrediction, i);
              double prob = json_number_value (json_array_get (json_object_get (want, "probabilities"), i));

              g_assert_cmpint (p->id, ==, json_integer_value (json_array_get (json_object_get (want, "ids"), i)));
              g_assert_cmpfloat_with_epsilon (p->probability, prob, 1e-5);
              n_checked++;
            }
          /* computed in the worker or on demand: the same numbers */
          for (guint i = 0; i < top->len; i++)
            {
              g_assert_cmpint (g_array_index (top, AttnPrediction, i).id, ==,
                               g_array_index (again, AttnPrediction, i).id);
              g_assert_cmpfloat (g_array_index (top, AttnPrediction, i).probability, ==,
                                 g_array_index (again, AttnPrediction, i).probability);
              g_assert_cmpstr (g_array_index (top, AttnPrediction, i).token, ==,
                               g_array_index (again, AttnPrediction, i).token);
            }
        }
    }
  g_assert_cmpuint (n_checked, >, 0);
  json_decref (cases);
}

/* "##h" continues a word and "h" is one: predictions keep them apart,
 * reading a continuation as the vocabulary writes it.  The bert-mlm
 * fixture's top 10 at this mask holds continuations (##m, ##aff). */
static void
test_continuations (void)
{
  g_autoptr(AttnEngine) engine = load_fixture_engine ("bert-mlm");
  g_autoptr(AttnResult) result = NULL;
  g_autoptr(GArray) all = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  const AeTokenizer *tok = ae_model_tokenizer (attn_engine_get_model (engine));
  guint n_continuations = 0;

  result = attn_engine_run (engine, "the cat sat on the [MASK].", FALSE, NULL, &error);
  g_assert_no_error (error);
  all = attn_result_predict_masked (result, attn_result_get_mask_position (result, 0), 91, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 91);
  for (guint i = 0; i < all->len; i++)
    {
      const AttnPrediction *p = &g_array_index (all, AttnPrediction, i);
      const char *string = ae_tokenizer_token_string (tok, p->id);

      if (g_str_has_prefix (string, "##"))
        {
          g_assert_cmpstr (p->token, ==, string);
          n_continuations++;
        }
      /* every word of the vocabulary reads apart from every other */
      g_assert_false (g_hash_table_contains (seen, p->token));
      g_hash_table_add (seen, p->token);
    }
  g_assert_cmpuint (n_continuations, >, 20);
  /* the pass's own top 10 the same way */
  for (guint i = 0; i < ATTN_MASKED_TOP_K; i++)
    {
      const AttnPrediction *p = &g_array_index (attn_result_get_mask_predictions (result, 0), AttnPrediction, i);

      g_assert_cmpstr (p->token, ==, g_str_has_prefix (ae_tokenizer_token_string (tok, p->id), "##")
                                     ? ae_tokenizer_token_string (tok, p->id) : p->token);
    }
}

/* The document's pass carries them; the mask token is the engine's. */
static void
test_document (void)
{
  g_autoptr(AttnEngine) engine = load_fixture_engine ("roberta-mlm");
  g_autoptr(AttnDocument) doc = attn_document_new ();
  AttnResult *result;

  g_assert_true (attn_engine_has_masked_lm (engine));
  g_assert_cmpstr (attn_engine_get_mask_token (engine), ==, "<mask>");
  attn_document_set_engine (doc, engine);
  attn_document_set_text (doc, "a <mask> cat");
  attn_document_set_text_b (doc, "is <mask>");
  attn_document_wait (doc);
  result = attn_document_get_result (doc);
  g_assert_nonnull (result);
  g_assert_cmpuint (attn_result_get_n_masks (result), ==, 2);
  g_assert_cmpint (attn_result_get_segment (result, attn_result_get_mask_position (result, 0)), ==,
                   ATTN_SEGMENT_A);
  g_assert_cmpint (attn_result_get_segment (result, attn_result_get_mask_position (result, 1)), ==,
                   ATTN_SEGMENT_B);
}

static void
test_without_head (void)
{
  const char *names[] = { "bert-base", "tiny-f32" };

  for (guint n = 0; n < G_N_ELEMENTS (names); n++)
    {
      g_autoptr(AttnEngine) engine = load_fixture_engine (names[n]);
      g_autoptr(GError) error = NULL;
      g_autoptr(AttnResult) result = attn_engine_run (engine, "the [MASK] <mask>", FALSE, NULL, &error);
      g_autoptr(GArray) none = NULL;

      g_assert_no_error (error);
      g_assert_false (attn_engine_has_masked_lm (engine));
      g_assert_false (attn_result_has_masked_lm (result));
      g_assert_cmpuint (attn_result_get_n_masks (result), ==, 0);
      none = attn_result_predict_masked (result, 0, 3, &error);
      g_assert_null (none);
      g_assert_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_UNSUPPORTED);
      g_assert_nonnull (strstr (error->message, "masked-LM head"));
    }

  /* the first layer only: no last hidden state to read */
  {
    g_autoptr(AttnEngine) engine = load_fixture_engine ("bert-mlm");
    g_autoptr(GError) error = NULL;
    g_autoptr(AttnResult) result = attn_engine_run_layers (engine, "the [MASK]", FALSE, 1, NULL, &error);

    g_assert_no_error (error);
    g_assert_false (attn_result_has_masked_lm (result));
    g_assert_null (attn_result_predict_masked (result, 2, 3, &error));
    g_assert_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_UNSUPPORTED);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attention/masked/reference", test_against_reference);
  g_test_add_func ("/attention/masked/document", test_document);
  g_test_add_func ("/attention/masked/continuations", test_continuations);
  g_test_add_func ("/attention/masked/without-head", test_without_head);
  return g_test_run ();
}
