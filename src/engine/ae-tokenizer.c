/* ae-tokenizer.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tokenizer interface and the encode pipeline every loader shares:
 *
 *   1. added and special tokens are split out of the input first;
 *   2. each stretch of text between them is normalized (ae-normalize.c) and
 *      pre-tokenized into pieces (ae-pretokenize.c);
 *   3. each piece becomes symbols -- its bytes through bytes_to_unicode() for
 *      byte-level models, its characters (or <0xXX> byte tokens, or unk) for
 *      SentencePiece-style ones -- which the BPE core merges (ae-bpe.c);
 *   4. the post-processor's tokens (BOS, EOS) go before and after.
 *
 * Pieces stream from step 2 into step 3, so with a token limit the encoder
 * stops as soon as it has enough tokens and never looks at the rest of the
 * text.  The tokenizer is read-only after loading: encode() may run on
 * several threads at once; all scratch memory belongs to the call.
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ae-tokenizer-private.h"

AeTokenizer *
ae_tokenizer_new (AeTokenizerKind kind)
{
  AeTokenizer *self = calloc (1, sizeof *self);

  if (self == NULL)
    return NULL;
  self->kind = kind;
  self->unk_id = -1;
  self->bos_id = -1;
  self->eos_id = -1;
  self->mask_id = -1;
  ae_byte_level_init (&self->byte_level);
  for (int b = 0; b < 256; b++)
    self->byte_ids[b] = -1;
  return self;
}

void
ae_tokenizer_free (AeTokenizer *tokenizer)
{
  if (tokenizer == NULL)
    return;

  ae_vocab_clear (&tokenizer->vocab);
  ae_merges_clear (&tokenizer->merges);
  for (size_t i = 0; i < tokenizer->n_normalizers; i++)
    ae_normalizer_clear (&tokenizer->normalizers[i]);
  free (tokenizer->normalizers);
  for (size_t i = 0; i < tokenizer->n_pre_tokenizers; i++)
    ae_pre_tokenizer_clear (&tokenizer->pre_tokenizers[i]);
  free (tokenizer->pre_tokenizers);
  ae_added_tokens_clear (&tokenizer->added);
  free (tokenizer->prefix_ids);
  free (tokenizer->suffix_ids);
  free (tokenizer->special);
  pcre2_code_free (tokenizer->utf8_check);
  free (tokenizer);
}

/* "<0xE6>" -> 0xE6, or -1. */
static int
byte_token_value (const char *s,
                  size_t      len)
{
  static const char hex[] = "0123456789ABCDEF";
  const char *hi, *lo;

  if (len != 6 || memcmp (s, "<0x", 3) != 0 || s[5] != '>')
    return -1;
  hi = s[3] ? strchr (hex, s[3]) : NULL;
  lo = s[4] ? strchr (hex, s[4]) : NULL;
  if (hi == NULL || lo == NULL)
    return -1;
  return (int) ((hi - hex) * 16 + (lo - hex));
}

/* What each token stands for in text, and the per-byte symbols encoding
 * starts from.  Also the last loading step: the pattern that checks input
 * UTF-8 and the table of special tokens. */
AeStatus
ae_tokenizer_decode_vocab (AeTokenizer *self,
                           const char  *metaspace,
                           AeError     *error)
{
  AeVocab *v = &self->vocab;
  size_t meta_len = metaspace != NULL ? strlen (metaspace) : 0;
  AeStatus status;

  if ((self->special = calloc (v->n_ids ? v->n_ids : 1, sizeof *self->special)) == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory loading the tokenizer");
  for (size_t i = 0; i < self->added.n; i++)
    {
      const AeAddedToken *t = &self->added.tokens[i];

      self->special[t->id] = true;
      /* the masked-LM's mask, whichever file named it */
      if (self->mask_id < 0 && (strcmp (t->content, "[MASK]") == 0 || strcmp (t->content, "<mask>") == 0))
        self->mask_id = t->id;
    }
  if (self->kind == AE_TOKENIZER_GPT2 && self->bos_id >= 0)
    self->special[self->bos_id] = true;

  for (size_t id = 0; id < v->n_ids; id++)
    {
      const char *s = v->strings[id];
      size_t len = v->lengths[id];
      int byte;
      char *out;
      size_t n = 0;

      /* WordPiece: "##ing" continues a word with "ing" */
      if (s != NULL && self->kind == AE_TOKENIZER_WORDPIECE && !self->special[id])
        {
          bool cont = len > 2 && memcmp (s, "##", 2) == 0;

          v->bytes[id] = (char *) s + (cont ? 2 : 0);   /* shared with the string */
          v->n_bytes[id] = len - (cont ? 2 : 0);
          continue;
        }
      if (s == NULL || self->special[id] || (!self->byte_input && meta_len == 0
                                              && memchr (s, '<', len) == NULL))
        {
          v->bytes[id] = (char *) s;   /* shared with the string */
          v->n_bytes[id] = len;
          continue;
        }
      /* Decoding never lengthens a token, and the arena has the strings' size. */
      out = v->decoded + v->decoded_used;

      if (self->byte_input)
        n = ae_byte_level_unmap (&self->byte_level, s, len, out);
      else if (self->byte_fallback && (byte = byte_token_value (s, len)) >= 0)
        out[n++] = (char) byte;
      else
        for (size_t i = 0; i < len;)
          if (meta_len > 0 && len - i >= meta_len && memcmp (s + i, metaspace, meta_len) == 0)
            {
              out[n++] = ' ';
              i += meta_len;
            }
          else
            out[n++] = s[i++];
      out[n] = '\0';
      v->decoded_used += n + 1;
      v->bytes[id] = out;
      v->n_bytes[id] = n;
    }

  /* The symbols a word starts from: for byte-level models each byte's
   * character; for byte_fallback the <0xXX> tokens. */
  for (int b = 0; b < 256; b++)
    {
      char name[8];

      if (self->byte_input)
        self->byte_ids[b] = ae_vocab_lookup (v, self->byte_level.symbol[b],
                                             strlen (self->byte_level.symbol[b]));
      else if (self->byte_fallback)
        {
          snprintf (name, sizeof name, "<0x%02X>", b);
          self->byte_ids[b] = ae_vocab_lookup (v, name, 6);
        }
    }

  if (!self->byte_input && meta_len > 0 && meta_len < sizeof self->metaspace
      && ae_vocab_lookup (v, metaspace, meta_len) >= 0)
    {
      memcpy (self->metaspace, metaspace, meta_len + 1);
      self->split_at_metaspace = true;
      for (size_t id = 0; id < v->n_ids && self->split_at_metaspace; id++)
        {
          const char *s = v->strings[id];
          size_t len = v->lengths[id];
          size_t start = 0;

          if (s == NULL || self->special[id])
            continue;
          while (start + meta_len <= len && memcmp (s + start, metaspace, meta_len) == 0)
            start += meta_len;
          for (size_t i = start; i + meta_len <= len && self->split_at_metaspace; i++)
            if (memcmp (s + i, metaspace, meta_len) == 0)
              self->split_at_metaspace = false;
        }
    }

  /* The empty pattern matches anywhere: running it checks the subject's
   * UTF-8, with PCRE2's message and offset when it is broken. */
  status = ae_regex_compile ("", 0, false, &self->utf8_check, "UTF-8 check", error);
  return status;
}

/* ------------------------------------------------------------------------ */
/* Loading                                                                   */

AeStatus
ae_tokenizer_load (AeTokenizer **out,
                   const char   *vocab_path,
                   const char   *merges_path,
                   const char   *tokenizer_config_path,
                   AeError      *error)
{
  if (out == NULL || vocab_path == NULL || merges_path == NULL)
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                         "ae_tokenizer_load: out, vocab_path and merges_path are required");
  return ae_tokenizer_load_gpt2_files (out, vocab_path, merges_path, tokenizer_config_path, error);
}

AeStatus
ae_tokenizer_load_json (AeTokenizer **out,
                        const char   *tokenizer_json_path,
                        const char   *tokenizer_config_path,
                        AeError      *error)
{
  if (out == NULL || tokenizer_json_path == NULL)
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                         "ae_tokenizer_load_json: out and tokenizer_json_path are required");
  return ae_tokenizer_load_json_file (out, tokenizer_json_path, tokenizer_config_path, error);
}

static char *
join_path (const char *dir,
           const char *file)
{
  size_t n = strlen (dir) + strlen (file) + 2;
  char *path = malloc (n);

  if (path != NULL)
    snprintf (path, n, "%s/%s", dir, file);
  return path;
}

AeStatus
ae_tokenizer_load_dir (AeTokenizer **out,
                       const char   *dir,
                       AeError      *error)
{
  char *json = NULL, *vocab = NULL, *merges = NULL, *config = NULL, *vocab_txt = NULL;
  AeStatus status;

  if (out == NULL || dir == NULL)
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                         "ae_tokenizer_load_dir: out and dir are required");
  *out = NULL;

  json = join_path (dir, "tokenizer.json");
  vocab = join_path (dir, "vocab.json");
  merges = join_path (dir, "merges.txt");
  config = join_path (dir, "tokenizer_config.json");
  vocab_txt = join_path (dir, "vocab.txt");
  if (json == NULL || vocab == NULL || merges == NULL || config == NULL || vocab_txt == NULL)
    status = ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory");
  /* tokenizer.json is the complete description (normalizers, added tokens,
   * post-processor); vocab.json + merges.txt only GPT-2's subset. */
  else if (access (json, F_OK) == 0)
    status = ae_tokenizer_load_json_file (out, json, config, error);
  else if (access (vocab, F_OK) == 0 || access (merges, F_OK) == 0)
    {
      status = AE_STATUS_OK;
      for (int i = 0; i < 2 && status == AE_STATUS_OK; i++)
        if (access (i == 0 ? vocab : merges, R_OK) != 0)
          status = ae_error_set (error, AE_STATUS_IO,
                                 "%s: is missing or cannot be read (a model directory needs "
                                 "tokenizer.json, or vocab.json and merges.txt)",
                                 i == 0 ? "vocab.json" : "merges.txt");
      if (status == AE_STATUS_OK)
        status = ae_tokenizer_load_gpt2_files (out, vocab, merges, config, error);
    }
  /* BERT's WordPiece vocabulary */
  else if (access (vocab_txt, F_OK) == 0)
    status = ae_tokenizer_load_wordpiece_files (out, vocab_txt, config, error);
  else
    status = ae_error_set (error, AE_STATUS_IO,
                           "tokenizer.json: is missing (a model directory needs tokenizer.json, "
                           "vocab.json and merges.txt, or BERT's vocab.txt)");

  free (json);
  free (vocab);
  free (merges);
  free (config);
  free (vocab_txt);
  return status;
}

/* ------------------------------------------------------------------------ */
/* Accessors                                                                 */

size_t
ae_tokenizer_vocab_size (const AeTokenizer *tokenizer)
{
  return tokenizer != NULL ? tokenizer->vocab.n_ids : 0;
}

AeTokenizerKind
ae_tokenizer_kind (const AeTokenizer *tokenizer)
{
  return tokenizer != NULL ? tokenizer->kind : AE_TOKENIZER_GPT2;
}

const char *
ae_tokenizer_kind_name (const AeTokenizer *tokenizer)
{
  switch (ae_tokenizer_kind (tokenizer))
    {
    case AE_TOKENIZER_BYTE_LEVEL_BPE:   return "byte-level BPE (tokenizer.json)";
    case AE_TOKENIZER_SENTENCEPIECE_BPE: return "SentencePiece-style BPE (tokenizer.json)";
    case AE_TOKENIZER_WORDPIECE:        return "BERT WordPiece";
    default:                            return "GPT-2 byte-level BPE (vocab.json, merges.txt)";
    }
}

bool
ae_tokenizer_adds_bos (const AeTokenizer *tokenizer)
{
  return tokenizer != NULL && tokenizer->bos_id >= 0
         && tokenizer->n_prefix > 0 && tokenizer->prefix_ids[0] == tokenizer->bos_id;
}

int32_t
ae_tokenizer_bos_id (const AeTokenizer *tokenizer)
{
  return tokenizer != NULL ? tokenizer->bos_id : -1;
}

bool
ae_tokenizer_is_special (const AeTokenizer *tokenizer,
                         int32_t            id)
{
  return tokenizer != NULL && id >= 0 && (size_t) id < tokenizer->vocab.n_ids
         && tokenizer->special[id];
}

const char *
ae_tokenizer_token_bytes (const AeTokenizer *tokenizer,
                          int32_t            id,
                          size_t            *n_bytes)
{
  if (tokenizer == NULL || id < 0 || (size_t) id >= tokenizer->vocab.n_ids
      || tokenizer->vocab.bytes[id] == NULL)
    {
      if (n_bytes != NULL)
        *n_bytes = 0;
      return NULL;
    }

  if (n_bytes != NULL)
    *n_bytes = tokenizer->vocab.n_bytes[id];
  return tokenizer->vocab.bytes[id];
}

const char *
ae_tokenizer_token_string (const AeTokenizer *tokenizer,
                           int32_t            id)
{
  if (tokenizer == NULL || id < 0 || (size_t) id >= tokenizer->vocab.n_ids)
    return NULL;
  return tokenizer->vocab.strings[id];
}

void
ae_tokens_clear (AeTokens *tokens)
{
  if (tokens == NULL)
    return;

  free (tokens->ids);
  free (tokens->starts);
  free (tokens->ends);
  free (tokens->type_ids);
  free (tokens->segments);
  memset (tokens, 0, sizeof *tokens);
}

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
        memcpy (buf, "##", 2);
        while (end > start)
          {
            size_t off = start > 0 ? 2 : 0;

            memcpy (buf + 2, piece->s + start, end - start);
            if ((id = ae_vocab_lookup (&tok->vocab, buf + 2 - off, end - start + off)) >= 0)
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
  if (!ae_bpe_reserve (&e->bpe, piece->n, 2 * piece->n + 2))
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

/* Which segment and token type each token has: A's up to and including
 * the first token after A's text, B's from there. */
static bool
mark_segments (AeTokens          *out,
               const AeTokenizer *tok,
               size_t             first_b)
{
  out->type_ids = malloc ((out->n_tokens + 1) * sizeof *out->type_ids);
  out->segments = malloc (out->n_tokens + 1);
  if (out->type_ids == NULL || out->segments == NULL)
    return false;
  for (size_t t = 0; t < out->n_tokens; t++)
    {
      out->segments[t] = t >= first_b;
      out->type_ids[t] = t >= first_b ? tok->pair_b_type : 0;
    }
  return true;
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
  size_t n_fixed, first_b, read_a;
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
  if (status == AE_STATUS_OK && !mark_segments (out, tokenizer, first_b))
    status = no_memory (error);

  ae_bpe_scratch_clear (&e.bpe);
  ae_norm_str_clear (&str);
  ae_norm_str_clear (&tmp);
  if (status != AE_STATUS_OK)
    ae_tokens_clear (out);
  return status;
}
