/* test-pair.c — sentence pairs through the GObject face (attn-pair.h)
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * On the encoder fixtures (tools/reference/make_encoder_fixtures.py): a
 * pair's segments, sentences, token types and B's spans; the pass reading
 * the token types (the same numbers as the engine given them, not those of
 * all-zero types); RoBERTa's <s> A </s></s> B </s>; a decoder refusing B
 * with its reason; the document sending B off the main thread to encoders
 * only, keeping it across a decoder; the A→B filters.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "ae-model.h"
#include "attn-document.h"
#include "attn-engine.h"
#include "attn-pair.h"
#include "engine-fixture.h"

static double
max_diff (const float *a,
          const float *b,
          gsize        n)
{
  double worst = 0.0;

  for (gsize i = 0; i < n; i++)
    worst = MAX (worst, fabs ((double) a[i] - b[i]));
  return worst;
}

/* "text/segment/sentence/type" of every token, space separated. */
static char *
describe (AttnResult *result)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < attn_result_get_n_tokens (result); i++)
    g_string_append_printf (out, "%s%s/%s/%u/%d", i ? " " : "",
                            attn_result_get_token_text (result, i),
                            attn_segment_to_string (attn_result_get_segment (result, i)),
                            attn_result_get_sentence (result, i),
                            attn_result_get_token_type_id (result, i));
  return g_string_free (out, FALSE);
}

static void
test_bert_pair (void)
{
  g_autoptr(AttnEngine) engine = load_fixture_engine ("bert-mlm");
  g_autoptr(AttnResult) result = NULL;
  g_autoptr(AttnResult) one = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;
  AttnRunOptions options = { .text_b = "a dog played" };
  gsize start, end;

  g_assert_true (attn_engine_accepts_pairs (engine));
  g_assert_null (attn_engine_dup_pair_refusal (engine));

  result = attn_engine_run_options (engine, "The cat", &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (attn_result_has_pair (result));
  g_assert_true (attn_result_accepts_pairs (result));
  g_assert_cmpstr (attn_result_get_text_b (result), ==, "a dog played");
  got = describe (result);
  g_assert_cmpstr (got, ==, "[CLS]/special/0/0 the/A/0/0 cat/A/0/0 [SEP]/special/0/0 "
                            "a/B/1/1 dog/B/1/1 play/B/1/1 ed/B/1/1 [SEP]/special/1/1");
  g_assert_cmpuint (attn_result_get_first_b (result), ==, 4);
  /* B's spans are in text B */
  attn_result_get_token_span (result, 5, &start, &end);
  g_assert_cmpuint (start, ==, 2);
  g_assert_cmpuint (end, ==, 5);

  /* the filters split on the sentence */
  g_assert_true (attn_pair_filter_keeps (ATTN_PAIR_FILTER_A_TO_B, result, 1, 5));
  g_assert_false (attn_pair_filter_keeps (ATTN_PAIR_FILTER_A_TO_B, result, 5, 1));
  g_assert_true (attn_pair_filter_keeps (ATTN_PAIR_FILTER_B_TO_A, result, 8, 0));
  g_assert_true (attn_pair_filter_keeps (ATTN_PAIR_FILTER_A_TO_A, result, 3, 0));
  g_assert_false (attn_pair_filter_keeps (ATTN_PAIR_FILTER_B_TO_B, result, 3, 4));
  g_assert_true (attn_pair_filter_keeps (ATTN_PAIR_FILTER_ALL, result, 3, 4));
  {
    AttnPairFilter f = ATTN_PAIR_FILTER_ALL;

    g_assert_true (attn_pair_filter_from_string ("B->A", &f));
    g_assert_cmpint (f, ==, ATTN_PAIR_FILTER_B_TO_A);
    g_assert_cmpstr (attn_pair_filter_to_string (f), ==, "B->A");
    g_assert_false (attn_pair_filter_from_string ("A-B", &f));
  }

  /* the pass read the token types: the engine given the same ids and
   * types computes the same weights, and all-zero types other ones */
  {
    const AeModel *model = attn_engine_get_model (engine);
    guint T = attn_result_get_n_tokens (result);
    g_autofree int32_t *types = g_new0 (int32_t, T);
    AeForwardHooks hooks = { .type_ids = types };
    AeTrace *with = NULL, *without = NULL;
    AeError ae_error = { 0 };
    const float *got_w = attn_result_get_weights (result, 1, 2);

    for (guint i = 0; i < T; i++)
      types[i] = attn_result_get_token_type_id (result, i);
    g_assert_cmpint (ae_model_forward_hooked (model, attn_result_get_token_ids (result), T, 0,
                                              &hooks, NULL, &with, &ae_error), ==, AE_STATUS_OK);
    g_assert_cmpint (ae_model_forward (model, attn_result_get_token_ids (result), T, NULL,
                                       &without, &ae_error), ==, AE_STATUS_OK);
    g_assert_cmpfloat (max_diff (got_w, ae_trace_weights (with, 1, 2), T * T), <, 1e-6);
    g_assert_cmpfloat (max_diff (got_w, ae_trace_weights (without, 1, 2), T * T), >, 1e-3);
    ae_trace_free (with);
    ae_trace_free (without);
  }

  /* one sentence: the template's tokens are special, the rest A, types 0 */
  one = attn_engine_tokenize_pair (engine, "The cat", "", &error);
  g_assert_no_error (error);
  g_assert_false (attn_result_has_pair (one));
  g_clear_pointer (&got, g_free);
  got = describe (one);
  g_assert_cmpstr (got, ==, "[CLS]/special/0/0 the/A/0/0 cat/A/0/0 [SEP]/special/0/0");
  g_assert_cmpuint (attn_result_get_first_b (one), ==, 4);
  g_assert_false (attn_pair_filter_keeps (ATTN_PAIR_FILTER_A_TO_A, one, 1, 1));
}

/* A typed [MASK] is the text's, not the template's. */
static void
test_typed_special (void)
{
  g_autoptr(AttnEngine) engine = load_fixture_engine ("bert-mlm");
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnResult) result = attn_engine_tokenize_pair (engine, "the [MASK]", "[SEP] it", &error);
  g_autofree char *got = NULL;

  g_assert_no_error (error);
  got = describe (result);
  g_assert_cmpstr (got, ==, "[CLS]/special/0/0 the/A/0/0 [MASK]/A/0/0 [SEP]/special/0/0 "
                            "[SEP]/B/1/1 it/B/1/1 [SEP]/special/1/1");
}

static void
test_roberta_pair (void)
{
  g_autoptr(AttnEngine) engine = load_fixture_engine ("roberta-mlm");
  g_autoptr(GError) error = NULL;
  AttnRunOptions options = { .text_b = "b" };
  g_autoptr(AttnResult) result = attn_engine_run_options (engine, "a", &options, NULL, &error);
  const char *segments[] = { "special", "A", "special", "special", "B", "special" };
  const guint sentences[] = { 0, 0, 0, 1, 1, 1 };

  g_assert_no_error (error);
  g_assert_true (attn_engine_accepts_pairs (engine));
  g_assert_cmpuint (attn_result_get_n_tokens (result), ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      g_assert_cmpstr (attn_segment_to_string (attn_result_get_segment (result, i)), ==, segments[i]);
      g_assert_cmpuint (attn_result_get_sentence (result, i), ==, sentences[i]);
      g_assert_cmpint (attn_result_get_token_type_id (result, i), ==, 0);
    }
  g_assert_cmpuint (attn_result_get_first_b (result), ==, 3);
}

static void
test_decoder_refuses (void)
{
  g_autoptr(AttnEngine) engine = load_fixture_engine ("tiny-f32");
  g_autoptr(GError) error = NULL;
  g_autofree char *why = attn_engine_dup_pair_refusal (engine);
  AttnRunOptions options = { .text_b = "b" };
  g_autoptr(AttnResult) result = NULL;
  g_autoptr(AttnResult) single = NULL;

  g_assert_false (attn_engine_accepts_pairs (engine));
  g_assert_nonnull (strstr (why, "decoder"));
  result = attn_engine_run_options (engine, "a", &options, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_UNSUPPORTED);
  g_assert_cmpstr (error->message, ==, why);
  g_clear_error (&error);
  g_assert_null (attn_engine_tokenize_pair (engine, "a", "b", &error));
  g_assert_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  /* one text: every token A, type 0 */
  options.text_b = "";
  single = attn_engine_run_options (engine, "ab", &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (attn_result_has_pair (single));
  g_assert_false (attn_result_accepts_pairs (single));
  for (guint i = 0; i < attn_result_get_n_tokens (single); i++)
    {
      g_assert_cmpint (attn_result_get_segment (single, i), ==, ATTN_SEGMENT_A);
      g_assert_cmpint (attn_result_get_token_type_id (single, i), ==, 0);
    }
}

static guint
passes_started (AttnDocument *doc)
{
  guint n = 0;

  g_object_get (doc, "passes-started", &n, NULL);
  return n;
}

static void
test_document (void)
{
  g_autoptr(AttnEngine) bert = load_fixture_engine ("bert-mlm");
  g_autoptr(AttnEngine) gpt = load_fixture_engine ("tiny-f32");
  g_autoptr(AttnDocument) doc = attn_document_new ();
  g_autofree char *prop = NULL;
  guint n;

  attn_document_set_engine (doc, bert);
  attn_document_set_text (doc, "the cat");
  attn_document_wait (doc);
  g_assert_false (attn_result_has_pair (attn_document_get_result (doc)));

  g_object_set (doc, "text-b", "a dog", NULL);
  attn_document_wait (doc);
  g_object_get (doc, "text-b", &prop, NULL);
  g_assert_cmpstr (prop, ==, "a dog");
  g_assert_true (attn_result_has_pair (attn_document_get_result (doc)));
  g_assert_cmpstr (attn_result_get_text_b (attn_document_get_result (doc)), ==, "a dog");
  g_assert_cmpuint (attn_result_get_n_tokens (attn_document_get_result (doc)), ==, 7);

  /* "" is one sentence again */
  attn_document_set_text_b (doc, "");
  g_assert_null (attn_document_get_text_b (doc));
  attn_document_wait (doc);
  g_assert_false (attn_result_has_pair (attn_document_get_result (doc)));
  attn_document_set_text_b (doc, "a dog");
  attn_document_wait (doc);

  /* a decoder: B is kept but not sent, and changing it runs nothing */
  attn_document_set_engine (doc, gpt);
  attn_document_wait (doc);
  g_assert_null (attn_document_get_error_message (doc));
  g_assert_false (attn_result_has_pair (attn_document_get_result (doc)));
  n = passes_started (doc);
  attn_document_set_text_b (doc, "a bird");
  attn_document_wait (doc);
  g_assert_cmpuint (passes_started (doc), ==, n);
  g_assert_cmpstr (attn_document_get_text_b (doc), ==, "a bird");

  /* back to the encoder: B is read again */
  attn_document_set_engine (doc, bert);
  attn_document_wait (doc);
  g_assert_true (attn_result_has_pair (attn_document_get_result (doc)));
  g_assert_cmpstr (attn_result_get_text_b (attn_document_get_result (doc)), ==, "a bird");
}

/* A pair past the context keeps its template when the app truncates. */
static void
test_truncated_pair (void)
{
  g_autoptr(AttnEngine) engine = load_fixture_engine ("bert-mlm");
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) b = g_string_new (NULL);
  AttnRunOptions options = { .truncate = TRUE, .whole_text = TRUE };
  g_autoptr(AttnResult) result = NULL;
  guint T;

  for (int i = 0; i < 40; i++)
    g_string_append (b, "dog ");
  options.text_b = b->str;
  result = attn_engine_run_options (engine, "the cat", &options, NULL, &error);
  g_assert_no_error (error);
  T = attn_result_get_n_tokens (result);
  g_assert_cmpuint (T, ==, attn_engine_get_n_ctx (engine));
  g_assert_cmpuint (attn_result_get_n_dropped (result), ==, 40 + 4 + 1 - T);
  g_assert_cmpint (attn_result_get_segment (result, T - 1), ==, ATTN_SEGMENT_SPECIAL);
  g_assert_cmpint (attn_result_get_segment (result, T - 2), ==, ATTN_SEGMENT_B);
  g_assert_cmpint (attn_result_get_token_type_id (result, T - 1), ==, 1);

  /* The notice says B was cut, and by how much (the reviewer saw "the
   * last 0 characters" when the cut fell in B). */
  {
    gsize b_end;
    g_autofree char *notice = attn_result_dup_truncation_notice (result, 32);
    g_autofree char *want = NULL;

    attn_result_get_token_span (result, T - 2, NULL, &b_end);
    want = g_strdup_printf ("the last %u characters of sentence B do not fit", (guint) (b->len - b_end));
    g_test_message ("%s", notice);
    g_assert_cmpuint (b->len - b_end, >, 0);
    g_assert_nonnull (strstr (notice, want));
    g_assert_null (strstr (notice, " 0 characters"));
  }

  /* Cut in A: A's characters, and all of B. */
  {
    g_autoptr(AttnResult) cut_a = NULL;
    g_autofree char *notice = NULL;
    g_autofree char *want = NULL;
    gsize read = 0;

    options.text_b = "the cat";
    cut_a = attn_engine_run_options (engine, b->str, &options, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (attn_result_get_truncated (cut_a, &read));
    notice = attn_result_dup_truncation_notice (cut_a, 32);
    g_test_message ("%s", notice);
    g_assert_nonnull (strstr (notice, "of sentence A and all of sentence B do not fit"));
    want = g_strdup_printf ("the last %u characters", (guint) (b->len - read));
    g_assert_nonnull (strstr (notice, want));
  }

  /* One sentence, and a text that fits. */
  {
    g_autoptr(AttnResult) one = NULL;
    g_autofree char *notice = NULL;

    options.text_b = NULL;
    one = attn_engine_run_options (engine, b->str, &options, NULL, &error);
    g_assert_no_error (error);
    notice = attn_result_dup_truncation_notice (one, 32);
    g_assert_nonnull (strstr (notice, "characters of the text do not fit"));
    g_clear_pointer (&one, attn_result_unref);
    one = attn_engine_run_options (engine, "the cat", &options, NULL, &error);
    g_assert_null (attn_result_dup_truncation_notice (one, 32));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attention/pair/bert", test_bert_pair);
  g_test_add_func ("/attention/pair/typed-special", test_typed_special);
  g_test_add_func ("/attention/pair/roberta", test_roberta_pair);
  g_test_add_func ("/attention/pair/decoder-refuses", test_decoder_refuses);
  g_test_add_func ("/attention/pair/document", test_document);
  g_test_add_func ("/attention/pair/truncated", test_truncated_pair);
  return g_test_run ();
}
