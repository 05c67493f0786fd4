/* fuzz-encode.c — libFuzzer harness for ae_tokenizer_encode()
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: any bytes, encoded with the built-in model's vocabulary (a real
 * GPT-2-style BPE with 32k merges).  Valid UTF-8 must encode to tokens that
 * give the text back byte for byte with offsets that tile it
 * (fuzz-encode-check.h); anything else must be refused with a message.
 */

#include "fuzz-common.h"
#include "fuzz-encode-check.h"

#ifndef FUZZ_MODEL_DIR
#error "FUZZ_MODEL_DIR names the model folder whose tokenizer is used"
#endif

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static AeTokenizer *tokenizer;

static void
load_tokenizer (void)
{
  AeError error = { 0 };

  if (ae_tokenizer_load (&tokenizer, FUZZ_MODEL_DIR "/vocab.json", FUZZ_MODEL_DIR "/merges.txt",
                         FUZZ_MODEL_DIR "/tokenizer_config.json", &error) != AE_STATUS_OK)
    {
      fprintf (stderr, "fuzz-encode: %s\n", error.message);
      abort ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  AeTokens tokens = { 0 };
  AeError error = { 0 };
  AeStatus status;

  if (tokenizer == NULL)
    load_tokenizer ();

  status = ae_tokenizer_encode (tokenizer, (const char *) data, size, &tokens, &error);
  fuzz_check_error (status, &error);
  if (status == AE_STATUS_OK)
    fuzz_check_encoding (tokenizer, (const char *) data, size, &tokens);
  else
    FUZZ_CHECK (tokens.n_tokens == 0);
  ae_tokens_clear (&tokens);
  return 0;
}
