/* ae-tokenizer.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One interface for the tokenizers of the models Attention opens:
 *
 *   - GPT-2's vocab.json + merges.txt (byte-level, GPT-2's regex);
 *   - Hugging Face tokenizer.json with a byte-level model (Llama 3, Qwen2,
 *     SmolLM, Pythia: Split regexes and the ByteLevel pre-tokenizer);
 *   - tokenizer.json with a SentencePiece-style model (Llama 2, TinyLlama,
 *     Mistral: "▁" for spaces through Metaspace or Replace/Prepend
 *     normalizers, byte_fallback tokens <0xE6> for characters the vocabulary
 *     lacks);
 *   - BERT's WordPiece, from vocab.txt + tokenizer_config.json or from a
 *     tokenizer.json with a WordPiece model, BertNormalizer and
 *     BertPreTokenizer (BERT, DistilBERT), with sentence pairs.
 *
 * Added and special tokens are split out first, NFC/NFKC normalizers run
 * through GLib, and the post-processor's template (or tokenizer_config.json's
 * add_bos_token) decides BOS/EOS.  Every token keeps the byte span of the
 * input it came from.  The loader behind each file is its own .c file; see
 * ae-tokenizer-private.h for the pipeline.
 */
#pragma once

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ae-status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _AeTokenizer AeTokenizer;

typedef enum
{
  AE_TOKENIZER_GPT2,             /* vocab.json + merges.txt */
  AE_TOKENIZER_BYTE_LEVEL_BPE,   /* tokenizer.json, ByteLevel */
  AE_TOKENIZER_SENTENCEPIECE_BPE, /* tokenizer.json, "▁" and byte fallback */
  AE_TOKENIZER_WORDPIECE          /* BERT: vocab.txt, or tokenizer.json's WordPiece */
} AeTokenizerKind;

typedef struct
{
  size_t   n_tokens;
  int32_t *ids;     /* (T,) token ids */
  size_t  *starts;  /* (T,) byte offset in the input where the token starts */
  size_t  *ends;    /* (T,) byte offset one past its end; BOS has start == end == 0;
                     * a token that is only an inserted "▁" has start == end */
  bool     truncated;    /* encoding stopped at max_tokens with text left over */
  size_t   n_bytes_read; /* input bytes the tokens cover: all of it unless truncated */
  /* Filled by every encode (one sentence too); NULL only in an AeTokens
   * made by hand: */
  int32_t *type_ids;     /* (T,) the model's token type (segment id) of each token:
                          * 0, and in a pair B's type (BERT: 1; RoBERTa: 0) */
  uint8_t *segments;     /* (T,) which sentence a token belongs to: 0 A, 1 B.  A
                          * pair's template tokens belong to the sentence they
                          * close or open, as BertViz splits a pair: [CLS] A [SEP]
                          * | B [SEP], RoBERTa's <s> A </s> | </s> B </s>.
                          * starts/ends of a B token are byte offsets in text B */
  uint8_t *specials;     /* (T,) 1 for the tokens the template added ([CLS],
                          * [SEP], <s>, </s>, BOS, EOS), 0 for the text's own
                          * (a [MASK] or <|endoftext|> typed in the text included) */
  size_t   n_bytes_read_b; /* text B's bytes the tokens cover */
} AeTokens;

typedef struct
{
  /* Stop once this many tokens (the post-processor's included) are made; 0
   * means no limit.  The text after them is not tokenised at all, so a long
   * text costs only what fits. */
  size_t            max_tokens;
  /* Checked while encoding; when it becomes non-zero encode() returns
   * AE_STATUS_CANCELLED.  May be NULL. */
  const atomic_int *cancel;
} AeEncodeOptions;

/* Loads the tokenizer of a model folder: tokenizer.json when there is one,
 * else vocab.json + merges.txt; tokenizer_config.json when present.  The
 * error names the files it looked for when there are neither. */
AeStatus     ae_tokenizer_load_dir     (AeTokenizer      **out,
                                        const char        *dir,
                                        AeError           *error);

/* Loads a Hugging Face tokenizer.json (@tokenizer_config_path may be NULL or
 * name a missing file). */
AeStatus     ae_tokenizer_load_json    (AeTokenizer      **out,
                                        const char        *tokenizer_json_path,
                                        const char        *tokenizer_config_path,
                                        AeError           *error);

/* Loads vocab.json and merges.txt.  @tokenizer_config_path may be NULL or name
 * a missing file; when it exists and says "add_bos_token": true, encode()
 * prepends the BOS token ("bos_token", default "<|endoftext|>"). */
AeStatus     ae_tokenizer_load         (AeTokenizer      **out,
                                        const char        *vocab_path,
                                        const char        *merges_path,
                                        const char        *tokenizer_config_path,
                                        AeError           *error);
void         ae_tokenizer_free         (AeTokenizer       *tokenizer);

/* One more than the largest token id (added tokens included). */
size_t       ae_tokenizer_vocab_size   (const AeTokenizer *tokenizer);
AeTokenizerKind ae_tokenizer_kind      (const AeTokenizer *tokenizer);
/* "GPT-2 byte-level BPE (vocab.json, merges.txt)", "byte-level BPE
 * (tokenizer.json)", "SentencePiece-style BPE (tokenizer.json)": for model info. */
const char  *ae_tokenizer_kind_name    (const AeTokenizer *tokenizer);
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

/* ae_tokenizer_encode() with a token limit and a cancel flag (@options may
 * be NULL).  With a limit, the post-processor's tokens still come first and
 * last, and out->truncated says whether text was left over. */
AeStatus     ae_tokenizer_encode_with  (const AeTokenizer     *tokenizer,
                                        const char            *text,
                                        size_t                 len,
                                        const AeEncodeOptions *options,
                                        AeTokens              *out,
                                        AeError               *error);

/* Whether the tokenizer has a template for sentence pairs (the encoders':
 * [CLS] A [SEP] B [SEP], or RoBERTa's <s> A </s></s> B </s>). */
bool         ae_tokenizer_has_pairs    (const AeTokenizer *tokenizer);

/* Encodes the pair (@a, @b) with the pair template, filling type_ids and
 * segments too.  With a token limit, A's text is cut first, then B's.
 * AE_STATUS_UNSUPPORTED for tokenizers without a pair template. */
AeStatus     ae_tokenizer_encode_pair  (const AeTokenizer     *tokenizer,
                                        const char            *a,
                                        size_t                 len_a,
                                        const char            *b,
                                        size_t                 len_b,
                                        const AeEncodeOptions *options,
                                        AeTokens              *out,
                                        AeError               *error);

/* The mask token's id ([MASK], <mask>), or -1 when there is none. */
int32_t      ae_tokenizer_mask_id      (const AeTokenizer *tokenizer);

/* True for added and special tokens (BOS, "<|im_start|>", ...). */
bool         ae_tokenizer_is_special   (const AeTokenizer *tokenizer,
                                        int32_t            id);

/* The raw bytes a token stands for (GPT-2's unicode mapping undone, "▁" as a
 * space, <0xE6> as that byte), NUL terminated; may be an incomplete UTF-8
 * sequence for byte-level and byte-fallback pieces.
 * Borrowed; NULL for an id out of range. */
const char  *ae_tokenizer_token_bytes  (const AeTokenizer *tokenizer,
                                        int32_t            id,
                                        size_t            *n_bytes);

/* The token's vocabulary string as written in vocab.json or tokenizer.json
 * (e.g. "Ġcat", "▁cat", "<0xE6>"). */
const char  *ae_tokenizer_token_string (const AeTokenizer *tokenizer,
                                        int32_t            id);

void         ae_tokens_clear           (AeTokens          *tokens);

#ifdef __cplusplus
}
#endif
