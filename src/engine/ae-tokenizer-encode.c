/* ae-tokenizer-encode.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The encode pipeline every loader shares (ae-tokenizer.c loads and
 * answers questions about the vocabulary):
 *
 *   1. added and special tokens are split out of the input first;
 *   2. each stretch of text between them is normalized (ae-normalize.c) and
 *      pre-tokenized into pieces (ae-pretokenize.c);
 *   3. each piece becomes symbols -- its bytes through bytes_to_unicode() for
 *      byte-level models, its characters (or <0xXX> byte tokens, or unk) for
 *      SentencePiece-style ones -- which the BPE core merges (ae-bpe.c), or
 *      WordPiece's longest-match pieces;
 *   4. the post-processor's tokens (BOS, EOS, [CLS], [SEP]) go before,
 *      between (pairs) and after, and every token gets its type, sentence
 *      and whether the template added it.
 *
 * Pieces stream from step 2 into step 3, so with a token limit the encoder
 * stops as soon as it has enough tokens and never looks at the rest of the
 * text.  The tokenizer is read-only: encode() may run on several threads at
 * once; all scratch memory belongs to the call.
 */

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ae-tokenizer-private.h"

/* ------------------------------------------------------------------------ */
/* Encoding                                                                  */

struct _AeEncoder
{
  const AeTokenizer *tok;
  AeBpeScratch       bpe;
  AeTokens          *out;
  size_t             cap;
  size_t             budget;      /* text tokens that may still be made */
  const atomic_int  *cancel;
};

/* Stops the pipeline without an error once the budget is spent. */
#define STOP AE_STATUS_TOO_LONG

static bool
push_token (AeEncoder *e,
            int32_t    id,
            size_t     start,
            size_t     end)
{
  AeTokens *out = e->out;

  if (out->n_tokens == e->cap)
    {
      size_t cap = e->cap * 2 + 64;
      void *p;

      if ((p = realloc (out->ids, cap * sizeof *out->ids)) == NULL)
        return false;
      out->ids = p;
      if ((p = realloc (out->starts, cap * sizeof *out->starts)) == NULL)
        return false;
      out->starts = p;
      if ((p = realloc (out->ends, cap * sizeof *out->ends)) == NULL)
        return false;
      out->ends = p;
      e->cap = cap;
    }
  out->ids[out->n_tokens] = id;
  out->starts[out->n_tokens] = start;
  out->ends[out->n_tokens] = end;
  out->n_tokens++;
  return true;
}

static AeStatus
no_memory (AeError *error)
{
  return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory while tokenizing");
}

/* A text token, if the budget allows; else the text is truncated. */
static AeStatus
emit_text_token (AeEncoder *e,
                 int32_t    id,
                 size_t     start,
                 size_t     end,
                 AeError   *error)
{
  if (e->budget == 0)
    {
      e->out->truncated = true;
      return STOP;
    }
  if (!push_token (e, id, start, end))
    return no_memory (error);
  e->budget--;
  if (end > e->out->n_bytes_read)
    e->out->n_bytes_read = end;
  return AE_STATUS_OK;
}

static inline void
add_symbol (AeBpeScratch *s,
            size_t        i,
            int32_t       id,
            size_t        start,
            size_t        end)
{
  s->symbols[i] = (AeSymbol) { id, (uint32_t) start, (uint32_t) end, (int32_t) i - 1, (int32_t) i + 1 };
}

/* Where a token ending before byte @end of the piece ends in the input.
 * Normally where its last byte came from ends; but when a normalizer made
 * several bytes from one input span ("e" + U+0301 -> "é") and the token
 * stops inside them, it ends where that span starts, so the tokens still
 * tile the input: the last piece of the character covers it, the earlier
 * pieces are empty there. */
static size_t
symbol_end (const AePiece *piece,
            size_t         end)
{
  if (end < piece->n && piece->from[end] == piece->from[end - 1]
      && piece->to[end] == piece->to[end - 1] && piece->from[end] < piece->to[end])
    return piece->from[end - 1];
  return piece->to[end - 1];
}

/* Byte-level models: one symbol per byte, named by bytes_to_unicode(). */
static AeStatus
byte_symbols (AeEncoder     *e,
              const AePiece *piece,
              size_t        *n,
              AeError       *error)
{
  const AeTokenizer *tok = e->tok;

  for (size_t i = 0; i < piece->n; i++)
    {
      unsigned char b = (unsigned char) piece->s[i];

      if (tok->byte_ids[b] < 0)
        return ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                             "the vocabulary has no token \"%s\" (a byte-level vocabulary "
                             "needs all 256 byte tokens)", tok->byte_level.symbol[b]);
      add_symbol (&e->bpe, i, tok->byte_ids[b], i, i + 1);
    }
  *n = piece->n;
  return AE_STATUS_OK;
}

/* SentencePiece-style models: one symbol per character; a character the
 * vocabulary lacks becomes its <0xXX> byte tokens (byte_fallback) or unk,
 * consecutive unks fused into one when fuse_unk says so. */
static AeStatus
char_symbols (AeEncoder     *e,
              const AePiece *piece,
              size_t        *n,
              AeError       *error)
{
  const AeTokenizer *tok = e->tok;
  bool last_unk = false;
  size_t k = 0;

  for (size_t at = 0; at < piece->n;)
    {
      size_t next = at + 1;
      int32_t id;

      while (next < piece->n && ((unsigned char) piece->s[next] & 0xC0) == 0x80)
        next++;
      id = ae_vocab_lookup (&tok->vocab, piece->s + at, next - at);

      if (id >= 0)
        {
          add_symbol (&e->bpe, k++, id, at, next);
          last_unk = false;
        }
      else
        {
          bool all_bytes = tok->byte_fallback;

          for (size_t i = at; i < next && all_bytes; i++)
            all_bytes = tok->byte_ids[(unsigned char) piece->s[i]] >= 0;
          if (all_bytes)
            {
              for (size_t i = at; i < next; i++)
                add_symbol (&e->bpe, k++, tok->byte_ids[(unsigned char) piece->s[i]], i, i + 1);
              last_unk = false;
            }
          else if (tok->unk_id < 0)
            return ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                                 "the vocabulary has no token for \"%.*s\" and no unk_token",
                                 (int) (next - at), piece->s + at);
          else if (tok->fuse_unk && last_unk)
            e->bpe.symbols[k - 1].end = (uint32_t) next;
          else
            {
              add_symbol (&e->bpe, k++, tok->unk_id, at, next);
              last_unk = true;
            }
        }
      at = next;
    }
  *n = k;
  return AE_STATUS_OK;
}

/* ignore_merges (Llama 3): a word that is itself a token is not merged. */
static int32_t
whole_word_id (AeEncoder     *e,
               const AePiece *piece)
{
  const AeTokenizer *tok = e->tok;
  size_t n = 0;

  if (!tok->byte_input)
    return ae_vocab_lookup (&tok->vocab, piece->s, piece->n);

  for (size_t i = 0; i < piece->n; i++)
    {
      const char *sym = tok->byte_level.symbol[(unsigned char) piece->s[i]];

      e->bpe.buf[n++] = sym[0];
      if (sym[1] != '\0')
        e->bpe.buf[n++] = sym[1];
    }
  return ae_vocab_lookup (&tok->vocab, e->bpe.buf, n);
}

/* WordPiece: the longest vocabulary piece from the start, then the longest
 * "##piece" from where it ends, and so on; a word that cannot be covered,
 * or of more than max_chars_per_word characters, is one unk token. */
static AeStatus
wordpiece_word (AeEncoder     *e,
                const AePiece *piece,
                AeError       *error)
{
  const AeTokenizer *tok = e->tok;
  size_t n_chars = 0, n_done = 0, start = 0;
  char *buf = e->bpe.buf;
  AeStatus status = AE_STATUS_OK;

  for (size_t i = 0; i < piece->n; i++)
    n_chars += ((unsigned char) piece->s[i] & 0xC0) != 0x80;
  if (n_chars <= tok->max_chars_per_word)
    while (start < piece->n)
      {
        size_t end = piece->n;
        int32_t id = -1;

        /* "##" + s[start, end), shortened a character at a time */
        memcpy (buf, tok->wp_prefix, tok->wp_prefix_len);
        while (end > start)
          {
            size_t pre = tok->wp_prefix_len, off = start > 0 ? pre : 0;

            memcpy (buf + pre, piece->s + start, end - start);
            if ((id = ae_vocab_lookup (&tok->vocab, buf + pre - off, end - start + off)) >= 0)
              break;
            do
              end--;
            while (end > start && ((unsigned char) piece->s[end] & 0xC0) == 0x80);
          }
        if (id < 0)
          break;
        /* the pieces are made before any is emitted: an uncovered tail
         * makes the whole word unk */
        e->bpe.symbols[n_done++] = (AeSymbol) { id, (uint32_t) start, (uint32_t) end, -1, -1 };
        start = end;
      }
  if (start < piece->n || n_chars > tok->max_chars_per_word)
    return emit_text_token (e, tok->unk_id, piece->from[0], piece->to[piece->n - 1], error);
  for (size_t i = 0; i < n_done && status == AE_STATUS_OK; i++)
    status = emit_text_token (e, e->bpe.symbols[i].id, piece->from[e->bpe.symbols[i].start],
                              piece->to[e->bpe.symbols[i].end - 1], error);
  return status;
}

static AeStatus
encode_word (AeEncoder     *e,
             const AePiece *piece,
             AeError       *error)
{
  const AeTokenizer *tok = e->tok;
  size_t n = 0;
  AeStatus status;

  if (e->cancel != NULL && atomic_load_explicit (e->cancel, memory_order_relaxed))
    return ae_error_set (error, AE_STATUS_CANCELLED, "tokenizing was cancelled");
  if (e->budget == 0)
    {
      e->out->truncated = true;
      return STOP;
    }
  if (piece->n >= UINT32_MAX)
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                         "a single word of %zu bytes is too long to tokenize", piece->n);
  if (!ae_bpe_reserve (&e->bpe, piece->n, 2 * piece->n + 2 + sizeof tok->wp_prefix))
    return no_memory (error);
  if (tok->kind == AE_TOKENIZER_WORDPIECE)
    return wordpiece_word (e, piece, error);

  if (tok->ignore_merges)
    {
      int32_t id = whole_word_id (e, piece);

      if (id >= 0)
        return emit_text_token (e, id, piece->from[0], piece->to[piece->n - 1], error);
    }

  status = tok->byte_input ? byte_symbols (e, piece, &n, error) : char_symbols (e, piece, &n, error);
  if (status != AE_STATUS_OK)
    return status;
  if (n == 0)
    return AE_STATUS_OK;
  e->bpe.symbols[n - 1].next = -1;

  if ((status = ae_bpe_merge (&tok->merges, &e->bpe, n, e->cancel, error)) != AE_STATUS_OK)
    return status;

  for (int32_t i = 0; i >= 0 && status == AE_STATUS_OK; i = e->bpe.symbols[i].next)
    {
      const AeSymbol *sym = &e->bpe.symbols[i];

      status = emit_text_token (e, sym->id, piece->from[sym->start], symbol_end (piece, sym->end),
                                error);
    }
  return status;
}

/* The pieces pre-tokenizers make; SentencePiece-style ones cut at word
 * starts first when the vocabulary allows it (see split_at_metaspace). */
static AeStatus
encode_piece (AeEncoder     *e,
              const AePiece *piece,
              AeError       *error)
{
  const char *meta = e->tok->metaspace;
  size_t meta_len = strlen (meta);
  size_t start = 0;
  AeStatus status = AE_STATUS_OK;

  if (!e->tok->split_at_metaspace)
    return encode_word (e, piece, error);

  for (size_t i = 1; i + meta_len <= piece->n && status == AE_STATUS_OK; i++)
    if (memcmp (piece->s + i, meta, meta_len) == 0
        && !(i >= meta_len && memcmp (piece->s + i - meta_len, meta, meta_len) == 0))
      {
        AePiece word = { piece->s + start, i - start, piece->from + start, piece->to + start, false };

        status = encode_word (e, &word, error);
        start = i;
      }
  if (status == AE_STATUS_OK)
    {
      AePiece word = { piece->s + start, piece->n - start, piece->from + start, piece->to + start, false };

      status = encode_word (e, &word, error);
    }
  return status;
}

/* Normalizes text[start, end) and pre-tokenizes it into encode_piece(). */
static AeStatus
encode_span (AeEncoder  *e,
             const char *text,
             size_t      start,
             size_t      end,
             AeNormStr  *str,
             AeNormStr  *tmp,
             AeError    *error)
{
  const AeTokenizer *tok = e->tok;
  AePiece piece;
  AeStatus status = AE_STATUS_OK;

  str->n = 0;
  if (!ae_norm_str_reserve (str, end - start))
    return no_memory (error);
  memcpy (str->s, text + start, end - start);
  for (size_t i = start; i < end; i++)
    {
      str->from[i - start] = i;
      str->to[i - start] = i + 1;
    }
  str->n = end - start;
  str->s[str->n] = '\0';

  for (size_t i = 0; i < tok->n_normalizers && status == AE_STATUS_OK; i++)
    status = ae_normalize (&tok->normalizers[i], str, tmp, error);
  if (status != AE_STATUS_OK || str->n == 0)
    return status;

  piece = (AePiece) { str->s, str->n, str->from, str->to, start == 0 };
  return ae_pretokenize (tok->pre_tokenizers, tok->n_pre_tokenizers, &piece, e, encode_piece, error);
}

static AeStatus
check_utf8 (const AeTokenizer *tok,
            const char        *text,
            size_t             len,
            AeError           *error)
{
  pcre2_match_data *match = pcre2_match_data_create (1, NULL);
  int rc;

  if (match == NULL)
    return no_memory (error);
  rc = pcre2_match (tok->utf8_check, (PCRE2_SPTR) text, len, 0, 0, match, NULL);
  if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21)
    {
      PCRE2_UCHAR message[256];
      size_t offset = pcre2_get_startchar (match);

      pcre2_get_error_message (rc, message, sizeof message);
      pcre2_match_data_free (match);
      return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                           "the text is not valid UTF-8 at byte %zu: %s",
                           offset, (const char *) message);
    }
  pcre2_match_data_free (match);
  return AE_STATUS_OK;
}

/* Added tokens split out, the spans between them encoded; STOP once the
 * budget is spent (then OK), else n_bytes_read becomes @len. */
static AeStatus
encode_text (AeEncoder  *e,
             const char *text,
             size_t      len,
             AeNormStr  *str,
             AeNormStr  *tmp,
             AeError    *error)
{
  AeStatus status = AE_STATUS_OK;
  size_t at = 0;

  while (status == AE_STATUS_OK && at < len)
    {
      size_t start = len, end = len;
      const AeAddedToken *added = ae_added_tokens_find (&e->tok->added, text, at, len,
                                                        &start, &end);

      if (start > at)
        status = encode_span (e, text, at, start, str, tmp, error);
      if (status == AE_STATUS_OK && added != NULL)
        status = emit_text_token (e, added->id, start, end, error);
      at = end;
    }

  if (status == STOP)
    return AE_STATUS_OK;
  if (status == AE_STATUS_OK)
    e->out->n_bytes_read = len;
  return status;
}

/* Each token's type, sentence and whether the template added it: tokens
 * [0, n_prefix), [mid_start, mid_end) and the last n_suffix are the
 * template's; tokens from @first_b on belong to B (n_tokens: no B). */
static bool
mark_segments (AeTokens          *out,
               const AeTokenizer *tok,
               size_t             n_prefix,
               size_t             mid_start,
               size_t             mid_end,
               size_t             n_suffix,
               size_t             first_b)
{
  size_t T = out->n_tokens;

  out->type_ids = malloc ((T + 1) * sizeof *out->type_ids);
  out->segments = malloc (T + 1);
  out->specials = malloc (T + 1);
  if (out->type_ids == NULL || out->segments == NULL || out->specials == NULL)
    return false;
  for (size_t t = 0; t < T; t++)
    {
      out->segments[t] = t >= first_b;
      out->type_ids[t] = t >= first_b ? tok->pair_b_type : 0;
      out->specials[t] = t < n_prefix || (t >= mid_start && t < mid_end) || t + n_suffix >= T;
    }
  return true;
}

AeStatus
ae_tokenizer_encode_with (const AeTokenizer     *tokenizer,
                          const char            *text,
                          size_t                 len,
                          const AeEncodeOptions *options,
                          AeTokens              *out,
                          AeError               *error)
{
  AeEncoder e = { 0 };
  AeNormStr str = { 0 }, tmp = { 0 };
  size_t max_tokens = options != NULL && options->max_tokens > 0 ? options->max_tokens : SIZE_MAX;
  size_t n_prefix, n_suffix;
  AeStatus status;

  if (out == NULL)
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT, "ae_tokenizer_encode: out is NULL");
  memset (out, 0, sizeof *out);
  if (tokenizer == NULL || (text == NULL && len != 0))
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                         "ae_tokenizer_encode: tokenizer and text are required");
  if (text == NULL)
    text = "";
  if (len == (size_t) -1)
    len = strlen (text);

  if ((status = check_utf8 (tokenizer, text, len, error)) != AE_STATUS_OK)
    return status;

  e.tok = tokenizer;
  e.out = out;
  e.cancel = options != NULL ? options->cancel : NULL;

  /* Like Hugging Face's truncation: the template's tokens stay, the text
   * gives way. */
  n_prefix = tokenizer->n_prefix < max_tokens ? tokenizer->n_prefix : max_tokens;
  n_suffix = tokenizer->n_suffix < max_tokens - n_prefix ? tokenizer->n_suffix : max_tokens - n_prefix;
  e.budget = max_tokens == SIZE_MAX ? SIZE_MAX : max_tokens - n_prefix - n_suffix;

  status = AE_STATUS_OK;
  for (size_t i = 0; i < n_prefix && status == AE_STATUS_OK; i++)
    if (!push_token (&e, tokenizer->prefix_ids[i], 0, 0))
      status = no_memory (error);

  if (status == AE_STATUS_OK)
    status = encode_text (&e, text, len, &str, &tmp, error);

  for (size_t i = 0; i < n_suffix && status == AE_STATUS_OK; i++)
    if (!push_token (&e, tokenizer->suffix_ids[i], out->n_bytes_read, out->n_bytes_read))
      status = no_memory (error);
  if (status == AE_STATUS_OK && !mark_segments (out, tokenizer, n_prefix, 0, 0, n_suffix, SIZE_MAX))
    status = no_memory (error);

  ae_bpe_scratch_clear (&e.bpe);
  ae_norm_str_clear (&str);
  ae_norm_str_clear (&tmp);
  if (status != AE_STATUS_OK)
    ae_tokens_clear (out);
  return status;
}

AeStatus
ae_tokenizer_encode (const AeTokenizer *tokenizer,
                     const char        *text,
                     size_t             len,
                     AeTokens          *out,
                     AeError           *error)
{
  return ae_tokenizer_encode_with (tokenizer, text, len, NULL, out, error);
}

bool
ae_tokenizer_has_pairs (const AeTokenizer *tokenizer)
{
  return tokenizer != NULL && tokenizer->n_pair_middle > 0;
}

int32_t
ae_tokenizer_mask_id (const AeTokenizer *tokenizer)
{
  return tokenizer != NULL ? tokenizer->mask_id : -1;
}

AeStatus
ae_tokenizer_encode_pair (const AeTokenizer     *tokenizer,
                          const char            *a,
                          size_t                 len_a,
                          const char            *b,
                          size_t                 len_b,
                          const AeEncodeOptions *options,
                          AeTokens              *out,
                          AeError               *error)
{
  AeEncoder e = { 0 };
  AeNormStr str = { 0 }, tmp = { 0 };
  size_t max_tokens = options != NULL && options->max_tokens > 0 ? options->max_tokens : SIZE_MAX;
  size_t n_fixed, first_b, read_a, mid_start;
  AeStatus status;

  if (out == NULL)
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT, "ae_tokenizer_encode_pair: out is NULL");
  memset (out, 0, sizeof *out);
  if (tokenizer == NULL || (a == NULL && len_a != 0) || (b == NULL && len_b != 0))
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                         "ae_tokenizer_encode_pair: tokenizer and texts are required");
  if (!ae_tokenizer_has_pairs (tokenizer))
    return ae_error_set (error, AE_STATUS_UNSUPPORTED,
                         "this tokenizer has no template for sentence pairs (only encoders "
                         "such as BERT and RoBERTa read two sentences)");
  a = a != NULL ? a : "";
  b = b != NULL ? b : "";
  len_a = len_a == (size_t) -1 ? strlen (a) : len_a;
  len_b = len_b == (size_t) -1 ? strlen (b) : len_b;
  if ((status = check_utf8 (tokenizer, a, len_a, error)) ||
      (status = check_utf8 (tokenizer, b, len_b, error)))
    return status;

  e.tok = tokenizer;
  e.out = out;
  e.cancel = options != NULL ? options->cancel : NULL;
  n_fixed = tokenizer->n_prefix + tokenizer->n_pair_middle + tokenizer->n_suffix;
  if (max_tokens != SIZE_MAX && max_tokens < n_fixed)
    return ae_error_set (error, AE_STATUS_TOO_LONG,
                         "a sentence pair needs at least %zu tokens; the limit is %zu",
                         n_fixed, max_tokens);
  e.budget = max_tokens == SIZE_MAX ? SIZE_MAX : max_tokens - n_fixed;

  status = AE_STATUS_OK;
  for (size_t i = 0; i < tokenizer->n_prefix && status == AE_STATUS_OK; i++)
    if (!push_token (&e, tokenizer->prefix_ids[i], 0, 0))
      status = no_memory (error);
  if (status == AE_STATUS_OK)
    status = encode_text (&e, a, len_a, &str, &tmp, error);
  read_a = out->n_bytes_read;
  mid_start = out->n_tokens;
  /* the separators: the first closes A, the rest open B */
  for (size_t i = 0; i < tokenizer->n_pair_middle && status == AE_STATUS_OK; i++)
    if (!push_token (&e, tokenizer->pair_sep_id, i == 0 ? read_a : 0, i == 0 ? read_a : 0))
      status = no_memory (error);
  first_b = out->n_tokens - (tokenizer->n_pair_middle - 1);
  if (status == AE_STATUS_OK)
    {
      bool truncated_a = out->truncated;

      out->n_bytes_read = 0;
      status = encode_text (&e, b, len_b, &str, &tmp, error);
      out->n_bytes_read_b = out->n_bytes_read;
      out->n_bytes_read = read_a;
      out->truncated = out->truncated || truncated_a;
    }
  for (size_t i = 0; i < tokenizer->n_suffix && status == AE_STATUS_OK; i++)
    if (!push_token (&e, tokenizer->suffix_ids[i], out->n_bytes_read_b, out->n_bytes_read_b))
      status = no_memory (error);
  if (status == AE_STATUS_OK
      && !mark_segments (out, tokenizer, tokenizer->n_prefix, mid_start,
                         mid_start + tokenizer->n_pair_middle, tokenizer->n_suffix, first_b))
    status = no_memory (error);

  ae_bpe_scratch_clear (&e.bpe);
  ae_norm_str_clear (&str);
  ae_norm_str_clear (&tmp);
  if (status != AE_STATUS_OK)
    ae_tokens_clear (out);
  return status;
}
