/* fuzz-tokenizer-files.c — libFuzzer harness for vocab.json, merges.txt and
 * tokenizer_config.json
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: vocab.json, a NUL byte, merges.txt, and optionally another NUL
 * and tokenizer_config.json (none of them can hold a NUL, so the split is
 * unambiguous).  A tokenizer that loads must then encode a fixed text
 * faithfully (fuzz-encode-check.h).
 */

#include "fuzz-common.h"
#include "fuzz-encode-check.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char sample[] = "Hello world, it's 2026!\n  Ünïcödé  \xe2\x80\x94 tabs\tand 123456 digits.";

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const uint8_t *parts[3] = { data, NULL, NULL };
  size_t lens[3] = { size, 0, 0 };
  char paths[3][64];
  int fds[3] = { -1, -1, -1 };
  AeTokenizer *tokenizer = NULL;
  AeTokens tokens = { 0 };
  AeError error = { 0 };
  AeStatus status;
  size_t n_parts = 1;

  for (size_t i = 0; i < size && n_parts < 3; i++)
    if (data[i] == '\0')
      {
        lens[n_parts - 1] = (size_t) (data + i - parts[n_parts - 1]);
        parts[n_parts] = data + i + 1;
        lens[n_parts] = size - i - 1;
        n_parts++;
      }
  if (n_parts < 2)
    return 0;

  for (size_t i = 0; i < n_parts; i++)
    fds[i] = fuzz_memfd (parts[i], lens[i], paths[i], sizeof paths[i]);

  status = ae_tokenizer_load (&tokenizer, paths[0], paths[1], n_parts > 2 ? paths[2] : NULL, &error);
  fuzz_check_error (status, &error);
  if (status == AE_STATUS_OK)
    {
      status = ae_tokenizer_encode (tokenizer, sample, sizeof sample - 1, &tokens, &error);
      fuzz_check_error (status, &error);
      /* A vocabulary may lack a byte's symbol; then encoding is refused. */
      if (status == AE_STATUS_OK)
        fuzz_check_encoding (tokenizer, sample, sizeof sample - 1, &tokens);
      ae_tokens_clear (&tokens);
      ae_tokenizer_free (tokenizer);
    }
  else
    FUZZ_CHECK (tokenizer == NULL);

  for (size_t i = 0; i < n_parts; i++)
    close (fds[i]);
  return 0;
}
