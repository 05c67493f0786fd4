/* test-words.c — "Merge word pieces" (issue 16): a result of words
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * attn_result_merge_words () on real forward passes (the tiny GPT-2
 * fixture, which cuts "The" into "T" "he", and the WordPiece BERT fixture),
 * checked against the merge computed here from the token weights: a word's
 * attention to a key word is the sum over the key's pieces, averaged over
 * the query's.  Then what carries the words on: titles, the values
 * exports, and the document's view result and selection.
 */

#include "config.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

#include "attn-document.h"
#include "attn-engine.h"
#include "attn-export.h"
#include "attn-predictions.h"
#include "attn-render.h"
#include "attn-result-vectors.h"
#include "attn-values.h"
#include "attn-masked.h"
#include "attn-pair.h"
#include "attn-words.h"
#include "model-dir.h"

static AttnEngine *
load (const char *name)
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
  AttnResult *result = attn_engine_run (engine, text, FALSE, NULL, &error);

  g_assert_no_error (error);
  return result;
}

/* Word boundaries by the rules of attn-words.h, written out again here
 * from the vocabulary itself: a special token (the tokenizer's, or the
 * template's) is a word alone and the token after one starts a word;
 * WordPiece: a piece whose vocabulary string has no "##" starts a word;
 * byte-level BPE: a word starts at the first token, at a token with a
 * leading space, after a gap in the text, and after a token ending in
 * white space other than a lone run of spaces (which begins the next
 * word: the tiny fixture reads " didn't" as " " "d" "i" …). */
static GArray *
expected_starts (AttnResult *result)
{
  GArray *starts = g_array_new (FALSE, FALSE, sizeof (guint));
  const AeTokenizer *tok = ae_model_tokenizer (attn_engine_get_model (attn_result_get_engine (result)));
  gboolean wordpiece = ae_tokenizer_kind (tok) == AE_TOKENIZER_WORDPIECE;

  for (guint i = 0; i < attn_result_get_n_tokens (result); i++)
    {
      gsize s, e, ps = 0, pe = 0;
      const char *text = attn_result_get_token_text (result, i);
      gboolean special = ae_tokenizer_is_special (tok, attn_result_get_token_id (result, i))
                         || attn_result_get_segment (result, i) == ATTN_SEGMENT_SPECIAL;
      gboolean after_special = i > 0 && (ae_tokenizer_is_special (tok, attn_result_get_token_id (result, i - 1))
                                         || attn_result_get_segment (result, i - 1) == ATTN_SEGMENT_SPECIAL);

      attn_result_get_token_span (result, i, &s, &e);
      if (i > 0)
        attn_result_get_token_span (result, i - 1, &ps, &pe);
      const char *prev = i > 0 ? attn_result_get_token_text (result, i - 1) : "";
      gboolean after_space = i > 0 && prev[0] != '\0' && g_ascii_isspace (prev[strlen (prev) - 1])
                             && strspn (prev, " ") != strlen (prev);

      if (i == 0 || special || after_special)
        g_array_append_val (starts, i);
      else if (wordpiece)
        {
          if (!g_str_has_prefix (ae_tokenizer_token_string (tok, attn_result_get_token_id (result, i)), "##"))
            g_array_append_val (starts, i);
        }
      else if (text[0] == ' ' || s == e || ps == pe || s != pe || after_space)
        g_array_append_val (starts, i);
    }
  return starts;
}

/* Every head of @merged against the merge computed from @tokens' weights
 * in double precision; rows sum to 1; a causal model's later words get 0. */
static void
assert_merged (AttnResult *tokens,
               AttnResult *merged)
{
  g_autoptr(GArray) starts = expected_starts (tokens);
  guint T = attn_result_get_n_tokens (tokens);
  guint W = attn_result_get_n_tokens (merged);
  guint L = attn_result_get_n_layers (tokens), H = attn_result_get_n_heads (tokens);
  double max_diff = 0;

  g_assert_cmpuint (W, ==, starts->len);
  g_assert_cmpuint (attn_result_get_n_layers (merged), ==, L);
  g_assert_cmpuint (attn_result_get_n_heads (merged), ==, H);
  g_array_append_val (starts, T);

  for (guint l = 0; l < L; l++)
    for (guint h = 0; h < H; h++)
      {
        const float *w = attn_result_get_weights (tokens, l, h);
        const float *m = attn_result_get_weights (merged, l, h);

        g_assert_nonnull (m);
        for (guint a = 0; a < W; a++)
          {
            guint q0 = g_array_index (starts, guint, a), q1 = g_array_index (starts, guint, a + 1);
            double row = 0;

            for (guint b = 0; b < W; b++)
              {
                guint k0 = g_array_index (starts, guint, b), k1 = g_array_index (starts, guint, b + 1);
                double want = 0;

                for (guint k = k0; k < k1; k++)
                  for (guint q = q0; q < q1; q++)
                    want += w[(gsize) q * T + k];
                want /= q1 - q0;
                max_diff = MAX (max_diff, fabs (want - m[(gsize) a * W + b]));
                row += m[(gsize) a * W + b];
                if (!attn_result_is_bidirectional (tokens) && b > a)
                  g_assert_cmpfloat (m[(gsize) a * W + b], ==, 0.0f);
              }
            g_assert_cmpfloat_with_epsilon (row, 1.0, 1e-5);
          }
      }
  g_assert_cmpfloat (max_diff, <, 1e-6);
}

static void
test_words_gpt2 (void)
{
  g_autoptr(AttnEngine) engine = load ("tiny-f32");
  g_autoptr(AttnResult) tokens = run (engine, "The cat didn't sit on the mat.");
  g_autoptr(AttnResult) merged = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  const AttnWords *words;
  gboolean any_merged = FALSE;

  merged = attn_result_merge_words (tokens, NULL, &error);
  g_assert_no_error (error);
  /* Issue 13: merging holds no head; a head is merged when asked (every
   * head at once was 2·L·H·W² floats, 1 GB on a page of GPT-2 small), and
   * its scores are NaN (a sum of logits means nothing). */
  g_assert_null (attn_result_get_trace (merged)->weights);
  g_assert_cmpuint (ae_trace_heads_held (attn_result_get_trace (merged)), ==, 0);
  g_assert_true (isnan (ae_trace_scores (attn_result_get_trace (merged), 0, 0)[0]));
  g_assert_null (attn_result_get_scores_row (merged, 0, 0, 0));
  assert_merged (tokens, merged);

  /* The words, read as the text has them. */
  g_assert_cmpstr (attn_result_get_token_text (merged, 0), ==, "The");
  g_assert_cmpstr (attn_result_get_token_text (merged, 1), ==, " cat");
  g_assert_cmpstr (attn_result_get_token_text (merged, 2), ==, " didn't");
  g_assert_cmpstr (attn_result_get_token_text (merged, attn_result_get_n_tokens (merged) - 1), ==, " mat.");
  words = attn_result_get_words (merged);
  g_assert_nonnull (words);
  g_assert_null (attn_result_get_words (tokens));
  g_assert_true (attn_result_get_pieces (merged) == tokens);
  g_assert_cmpstr (attn_result_get_text (merged), ==, attn_result_get_text (tokens));
  for (guint a = 0; a < words->n_words; a++)
    {
      gsize s, e, ts, te;

      any_merged |= words->first[a + 1] - words->first[a] > 1;
      /* The word's span runs from its first piece to its last. */
      attn_result_get_token_span (merged, a, &s, &e);
      attn_result_get_token_span (tokens, words->first[a], &ts, NULL);
      attn_result_get_token_span (tokens, words->first[a + 1] - 1, NULL, &te);
      g_assert_cmpuint (s, ==, ts);
      g_assert_cmpuint (e, ==, te);
      g_assert_cmpint (attn_result_get_token_id (merged, a), ==, attn_result_get_token_id (tokens, words->first[a]));

      /* The selection's mapping: a word's query is its last piece, its key
       * its first; every piece maps back to the word. */
      g_assert_cmpint (attn_result_token_of_index (merged, a, TRUE), ==, words->first[a + 1] - 1);
      g_assert_cmpint (attn_result_token_of_index (merged, a, FALSE), ==, words->first[a]);
      for (guint t = words->first[a]; t < words->first[a + 1]; t++)
        g_assert_cmpint (attn_result_index_of_token (merged, t), ==, a);
    }
  g_assert_true (any_merged);
  g_assert_cmpint (attn_result_index_of_token (merged, -1), ==, -1);
  g_assert_cmpint (attn_result_token_of_index (merged, -1, TRUE), ==, -1);
  g_assert_cmpint (attn_result_index_of_token (tokens, 3), ==, 3);
  g_assert_cmpint (attn_result_token_of_index (tokens, 3, TRUE), ==, 3);

  /* A word's log-probability is the sum of its pieces' (the strip's bars). */
  g_assert_nonnull (attn_result_get_token_logprobs (tokens));
  for (guint a = 0; a < words->n_words; a++)
    {
      double sum = 0;

      for (guint t = words->first[a]; t < words->first[a + 1]; t++)
        sum += attn_result_get_token_logprobs (tokens)[t];
      if (a == 0)
        g_assert_true (isnan (attn_result_get_token_logprobs (merged)[a]));
      else
        g_assert_cmpfloat_with_epsilon (attn_result_get_token_logprobs (merged)[a], sum, 1e-5);
    }

  /* Words keep weights only: no scores, vectors, engine or predictions. */
  g_assert_null (attn_result_get_scores_row (merged, 0, 0, 0));
  g_assert_null (attn_result_get_vector (merged, ATTN_VECTOR_Q, 0, 0, 0, NULL));
  g_assert_null (attn_result_get_engine (merged));
  g_assert_false (attn_result_has_predictions (merged));

  /* The title says what was merged, and how; a token result's does not. */
  title = attn_render_dup_title (merged, 0, 1);
  g_assert_nonnull (strstr (title, "words: sum over key pieces, mean over query pieces"));
  g_free (title);
  title = attn_render_dup_title (tokens, 0, 1);
  g_assert_null (strstr (title, "words:"));

  /* Merging words again changes nothing. */
  {
    g_autoptr(AttnResult) again = attn_result_merge_words (merged, NULL, &error);

    g_assert_no_error (error);
    g_assert_true (again == merged);
  }
}

/* WordPiece keeps no spaces: "the" "cat" are two words because of the gap
 * between them in the text, "tro" "##phy" one; [CLS] and [SEP] stand alone.
 * An encoder's words see later words too, and rows still sum to 1. */
static void
test_words_wordpiece (void)
{
  g_autoptr(AttnEngine) engine = load ("bert-base");
  g_autoptr(AttnResult) tokens = run (engine, "the trophy didn't fit");
  g_autoptr(AttnResult) merged = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) joined = g_string_new (NULL);
  guint W;

  merged = attn_result_merge_words (tokens, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (attn_result_is_bidirectional (merged));
  assert_merged (tokens, merged);

  W = attn_result_get_n_tokens (merged);
  for (guint a = 0; a < W; a++)
    g_string_append_printf (joined, "%s|", attn_result_get_token_text (merged, a));
  g_test_message ("tokens %u, words: %s", attn_result_get_n_tokens (tokens), joined->str);
  /* No two words of the text were run together. */
  g_assert_null (strstr (joined->str, "thetro"));
  g_assert_null (strstr (joined->str, "trophydid"));
  g_assert_cmpuint (W, <, attn_result_get_n_tokens (tokens));
}

/* The words of @text read by @model, joined with "|". */
static char *
dup_words (AttnEngine *engine,
           const char *text)
{
  g_autoptr(AttnResult) tokens = run (engine, text);
  g_autoptr(AttnResult) merged = NULL;
  g_autoptr(GError) error = NULL;
  GString *joined = g_string_new (NULL);

  merged = attn_result_merge_words (tokens, NULL, &error);
  g_assert_no_error (error);
  assert_merged (tokens, merged);
  for (guint a = 0; a < attn_result_get_n_tokens (merged); a++)
    g_string_append_printf (joined, a ? "|%s" : "%s", attn_result_get_token_text (merged, a));
  return g_string_free (joined, FALSE);
}

/* Special tokens are words of their own, whoever put them there, and
 * WordPiece's words are its pre-tokenizer's (punctuation split off);
 * byte-level BPE's start at a space.  The reviewer saw "[MASK]." and
 * "·the<mask>." as one word each. */
static void
test_words_specials (void)
{
  g_autoptr(AttnEngine) bert = load ("bert-mlm");
  g_autoptr(AttnEngine) roberta = load ("roberta-mlm");
  g_autoptr(AttnEngine) pythia = load ("pythia-hf");
  struct { AttnEngine *engine; const char *text, *words; } cases[] = {
    { bert, "the cat sat on the [MASK].", "[CLS]|the|cat|sat|on|the|[MASK]|.|[SEP]" },
    { bert, "playing, didn't [MASK]!", "[CLS]|playing|,|didn|'|t|[MASK]|!|[SEP]" },
    { bert, "the[MASK]cat", "[CLS]|the|[MASK]|cat|[SEP]" },
    { roberta, "the cat sat on the <mask>.", "<s>|the| cat| sat| on| the|<mask>|.|</s>" },
    { roberta, "the<mask>cat", "<s>|the|<mask>|cat|</s>" },
    { pythia, "sat<|endoftext|>on. sat", "sat|<|endoftext|>|on.| sat" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *words = dup_words (cases[i].engine, cases[i].text);

      g_assert_cmpstr (words, ==, cases[i].words);
    }

  /* A result of words has its pieces' masks, at the word that holds each,
   * with the same predictions: the strip's tooltip reads them there. */
  {
    g_autoptr(AttnResult) tokens = run (bert, "the [MASK] sat on the [MASK].");
    g_autoptr(AttnResult) merged = attn_result_merge_words (tokens, NULL, NULL);

    g_assert_cmpuint (attn_result_get_n_masks (tokens), ==, 2);
    g_assert_cmpuint (attn_result_get_n_masks (merged), ==, 2);
    g_assert_true (attn_result_has_masked_lm (merged));
    for (guint m = 0; m < 2; m++)
      {
        guint at = attn_result_get_mask_position (merged, m);

        g_assert_cmpstr (attn_result_get_token_text (merged, at), ==, "[MASK]");
        g_assert_cmpint (at, ==, attn_result_index_of_token (merged, (int) attn_result_get_mask_position (tokens, m)));
        g_assert_true (attn_result_get_mask_predictions (merged, m) == attn_result_get_mask_predictions (tokens, m));
      }
  }
}

static json_t *
values_json (AttnResult *result)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  json_error_t json_error;
  json_t *root;

  g_assert_true (attn_values_write (result, NULL, ATTN_VALUES_JSON, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write (out, "", 1, NULL, NULL) == 1);
  g_output_stream_close (out, NULL, NULL);
  root = json_loads (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)), 0, &json_error);
  g_assert_nonnull (root);
  return root;
}

/* The numbers exported from words: JSON says merged_words, the rule, the
 * words and their pieces of the model's tokens; CSV names its columns
 * query_word and key_word; NPY has the words' shape. */
static void
test_words_values (void)
{
  g_autoptr(AttnEngine) engine = load ("tiny-f32");
  g_autoptr(AttnResult) tokens = run (engine, "The cat didn't sit.");
  g_autoptr(AttnResult) merged = attn_result_merge_words (tokens, NULL, NULL);
  const AttnWords *words = attn_result_get_words (merged);
  guint W = words->n_words;
  json_t *root = values_json (merged), *plain = values_json (tokens);
  json_t *attention = json_object_get (root, "attention");
  g_autoptr(GOutputStream) csv = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) npy = g_memory_output_stream_new_resizable ();
  g_autofree char *shape = NULL;
  const float *m = attn_result_get_weights (merged, 1, 2);

  g_assert_true (json_is_true (json_object_get (root, "merged_words")));
  g_assert_nonnull (strstr (json_string_value (json_object_get (root, "merge")), "sum over the key word's pieces"));
  g_assert_cmpuint (json_array_size (json_object_get (root, "words")), ==, W);
  g_assert_cmpuint (json_array_size (json_object_get (root, "pieces")), ==, W);
  g_assert_cmpuint (json_array_size (json_object_get (root, "tokens")), ==, attn_result_get_n_tokens (tokens));
  g_assert_cmpstr (json_string_value (json_array_get (json_object_get (root, "words"), 0)), ==, "The");
  for (guint a = 0; a < W; a++)
    {
      json_t *p = json_array_get (json_object_get (root, "pieces"), a);

      g_assert_cmpint (json_integer_value (json_array_get (p, 0)), ==, words->first[a]);
      g_assert_cmpint (json_integer_value (json_array_get (p, 1)), ==, words->first[a + 1]);
    }
  g_assert_cmpuint (json_array_size (json_array_get (json_array_get (attention, 1), 2)), ==, W);
  g_assert_cmpfloat_with_epsilon (json_real_value (json_array_get (json_array_get (json_array_get (json_array_get (attention, 1), 2), W - 1), 1)),
                                  m[(W - 1) * W + 1], 1e-7);
  g_assert_null (json_object_get (plain, "merged_words"));
  g_assert_null (json_object_get (plain, "words"));
  json_decref (root);
  json_decref (plain);

  g_assert_true (attn_values_write (merged, NULL, ATTN_VALUES_CSV, csv, NULL, NULL));
  g_output_stream_write (csv, "", 1, NULL, NULL);
  g_assert_true (g_str_has_prefix (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (csv)),
                                   "layer,head,query,key,query_word,key_word,weight\n"));
  g_assert_true (attn_values_write (merged, NULL, ATTN_VALUES_NPY, npy, NULL, NULL));
  shape = g_strdup_printf ("'shape': (2, 4, %u, %u)", W, W);
  /* the header's text follows the 10 bytes of magic, version and length */
  g_assert_nonnull (g_strstr_len ((const char *) g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (npy)) + 10,
                                  118, shape));
}

/* A figure of words carries them and says so in its title. */
static void
test_words_figure (void)
{
  g_autoptr(AttnEngine) engine = load ("tiny-f32");
  g_autoptr(AttnResult) tokens = run (engine, "The cat didn't sit.");
  g_autoptr(AttnResult) merged = attn_result_merge_words (tokens, NULL, NULL);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  AttnFigureOptions options;
  const char *svg;

  attn_figure_options_init (&options);
  options.view = ATTN_VIEW_HEATMAP;
  options.width = 900;
  g_assert_true (attn_export_figure_to_stream (merged, &options, ATTN_FIGURE_SVG, out, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_write (out, "", 1, NULL, NULL);
  svg = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_nonnull (strstr (svg, "words: sum over key pieces"));
  g_assert_nonnull (strstr (svg, "·didn&apos;t<"));
}

static void
count_cb (guint *count)
{
  (*count)++;
}

/* The document: with merge-words on, the view result is the words and the
 * result the tokens; the selection stays in tokens and maps through the
 * words; turned on later, the words come off the main thread; off, the
 * view result is the result again. */
static void
test_words_document (void)
{
  g_autoptr(AttnEngine) engine = load ("tiny-f32");
  g_autoptr(AttnDocument) doc = attn_document_new ();
  AttnResult *tokens, *view;
  const AttnWords *words;
  guint view_changes = 0;

  g_signal_connect_swapped (doc, "notify::view-result", G_CALLBACK (count_cb), &view_changes);
  attn_document_set_merge_words (doc, TRUE);
  attn_document_set_engine (doc, engine);
  attn_document_set_text (doc, "The cat didn't sit.");
  attn_document_wait (doc);

  tokens = attn_document_get_result (doc);
  view = attn_document_get_view_result (doc);
  g_assert_null (attn_result_get_words (tokens));
  words = attn_result_get_words (view);
  g_assert_nonnull (words);
  g_assert_true (attn_result_get_pieces (view) == tokens);
  g_assert_null (attn_document_get_merge_error (doc));
  assert_merged (tokens, view);
  g_assert_cmpuint (view_changes, >, 0);

  /* Word 0 is "The" = "T" "he": as query its last piece, as key its first. */
  g_assert_cmpuint (words->first[1], ==, 2);
  attn_document_set_view_query (doc, 0);
  g_assert_cmpint (attn_document_get_query (doc), ==, 1);
  g_assert_cmpint (attn_document_get_view_query (doc), ==, 0);
  attn_document_set_view_query (doc, 2);
  attn_document_set_view_key (doc, 0);
  g_assert_cmpint (attn_document_get_query (doc), ==, (int) words->first[3] - 1);
  g_assert_cmpint (attn_document_get_key (doc), ==, 0);
  g_assert_cmpint (attn_document_get_view_key (doc), ==, 0);
  /* A token picked elsewhere (the walkthrough) shows as its word. */
  attn_document_set_query (doc, 0);
  g_assert_cmpint (attn_document_get_view_query (doc), ==, 0);

  /* Off: the tokens, at once. */
  view_changes = 0;
  attn_document_set_merge_words (doc, FALSE);
  g_assert_true (attn_document_get_view_result (doc) == tokens);
  g_assert_cmpuint (view_changes, ==, 1);
  attn_document_set_view_query (doc, 1);
  g_assert_cmpint (attn_document_get_query (doc), ==, 1);

  /* On again with the same result: merged in a worker, the same tokens. */
  attn_document_set_merge_words (doc, TRUE);
  g_assert_true (attn_document_get_busy (doc));
  attn_document_wait (doc);
  g_assert_true (attn_document_get_result (doc) == tokens);
  view = attn_document_get_view_result (doc);
  g_assert_nonnull (attn_result_get_words (view));
  assert_merged (tokens, view);
  g_assert_cmpuint (view_changes, ==, 2);

  /* Toggled on and off before the worker is back: no words turn up late. */
  attn_document_set_merge_words (doc, FALSE);
  attn_document_set_merge_words (doc, TRUE);
  attn_document_set_merge_words (doc, FALSE);
  attn_document_wait (doc);
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (attn_document_get_view_result (doc) == tokens);

  /* A new text while on: its words come with its result. */
  attn_document_set_merge_words (doc, TRUE);
  attn_document_set_text (doc, "A tired animal.");
  attn_document_wait (doc);
  view = attn_document_get_view_result (doc);
  g_assert_nonnull (attn_result_get_words (view));
  g_assert_true (attn_result_get_pieces (view) == attn_document_get_result (doc));
  g_assert_cmpstr (attn_result_get_text (view), ==, "A tired animal.");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attention/words/gpt2", test_words_gpt2);
  g_test_add_func ("/attention/words/wordpiece", test_words_wordpiece);
  g_test_add_func ("/attention/words/specials", test_words_specials);
  g_test_add_func ("/attention/words/values", test_words_values);
  g_test_add_func ("/attention/words/figure", test_words_figure);
  g_test_add_func ("/attention/words/document", test_words_document);

  return g_test_run ();
}
