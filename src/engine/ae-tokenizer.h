/* ae-tokenizer.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GPT-2's byte-level BPE, read from a Hugging Face model directory's
 * vocab.json and merges.txt: the pre-tokenizer pattern (through PCRE2, for
 * Unicode letter and number classes), the byte-to-unicode table, and merges
 * applied by rank.  Every token keeps the byte span of the input it came from.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ae-status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _AeTokenizer AeTokenizer;

typedef struct
{
  size_t   n_tokens;
  int32_t *ids;     /* (T,) token ids */
  size_t  *starts;  /* (T,) byte offset in the input where the token starts */
  size_t  *ends;    /* (T,) byte offset one past its end; BOS has start == end == 0 */
} AeTokens;

/* Loads vocab.json and merges.txt.  @tokenizer_config_path may be NULL or name
 * a missing file; when it exists and says "add_bos_token": true, encode()
 * prepends the BOS token ("bos_token", default "<|endoftext|>"). */
AeStatus     ae_tokenizer_load         (AeTokenizer      **out,
                                        const char        *vocab_path,
                                        const char        *merges_path,
                                        const char        *tokenizer_config_path,
                                        AeError           *error);
void         ae_tokenizer_free         (AeTokenizer       *tokenizer);

size_t       ae_tokenizer_vocab_size   (const AeTokenizer *tokenizer);
bool         ae_tokenizer_adds_bos     (const AeTokenizer *tokenizer);
/* The BOS token's id, whether or not encode() adds it; -1 when the
 * vocabulary has no such token. */
int32_t      ae_tokenizer_bos_id       (const AeTokenizer *tokenizer);

/* Encodes @len bytes of UTF-8 @text (len may be (size_t)-1 for NUL-terminated).
 * Empty text gives zero tokens (or only BOS when the tokenizer adds one).
 * Text that is not valid UTF-8 is refused with AE_STATUS_INVALID_ARGUMENT and
 * a message giving the byte offset (GPT-2 pre-tokenizes characters, so there
 * is no faithful way to split broken text).  Safe to call from several
 * threads on one tokenizer.  @out must be released with ae_tokens_clear();
 * on error it is left empty. */
AeStatus     ae_tokenizer_encode       (const AeTokenizer *tokenizer,
                                        const char        *text,
                                        size_t             len,
                                        AeTokens          *out,
                                        AeError           *error);

/* The raw bytes a token stands for (GPT-2's unicode mapping undone), NUL
 * terminated; may be an incomplete UTF-8 sequence for byte-fallback pieces.
 * Borrowed; NULL for an id out of range. */
const char  *ae_tokenizer_token_bytes  (const AeTokenizer *tokenizer,
                                        int32_t            id,
                                        size_t            *n_bytes);

/* The token's vocabulary string as written in vocab.json (e.g. "Ġcat"). */
const char  *ae_tokenizer_token_string (const AeTokenizer *tokenizer,
                                        int32_t            id);

void         ae_tokens_clear           (AeTokens          *tokens);

#ifdef __cplusplus
}
#endif
