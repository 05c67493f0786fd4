/* fuzz-encode-check.h — the properties every encoding must have
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the encode and tokenizer-files harnesses: token byte spans tile
 * the text in order, each token's bytes are exactly the text under its span,
 * so joining the tokens gives the input back byte for byte.  Only a BOS
 * token (start == end == 0, first) covers nothing.
 */
#pragma once

#include "fuzz-common.h"

#include "ae-tokenizer.h"

static inline void
fuzz_check_encoding (const AeTokenizer *tokenizer,
                     const char        *text,
                     size_t             len,
                     const AeTokens    *tokens)
{
  size_t at = 0;

  for (size_t i = 0; i < tokens->n_tokens; i++)
    {
      size_t n_bytes = 0;
      const char *bytes = ae_tokenizer_token_bytes (tokenizer, tokens->ids[i], &n_bytes);

      FUZZ_CHECK (bytes != NULL);
      FUZZ_CHECK (tokens->ids[i] >= 0 && (size_t) tokens->ids[i] < ae_tokenizer_vocab_size (tokenizer));
      if (i == 0 && ae_tokenizer_adds_bos (tokenizer) && tokens->starts[0] == tokens->ends[0])
        {
          FUZZ_CHECK (tokens->starts[0] == 0 && tokens->ids[0] == ae_tokenizer_bos_id (tokenizer));
          continue;
        }
      FUZZ_CHECK (tokens->starts[i] == at);
      FUZZ_CHECK (tokens->ends[i] > tokens->starts[i] && tokens->ends[i] <= len);
      FUZZ_CHECK (n_bytes == tokens->ends[i] - tokens->starts[i]);
      FUZZ_CHECK (memcmp (bytes, text + tokens->starts[i], n_bytes) == 0);
      at = tokens->ends[i];
    }
  FUZZ_CHECK (at == len);
}
