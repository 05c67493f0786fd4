/* ae-tokenizer.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tokenizer interface: making one, the last loading step shared by
 * every loader (each token's decoded bytes, the special-token table),
 * loading a model folder's files, and the accessors.  Encoding is
 * ae-tokenizer-encode.c.
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
          size_t cut = self->wp_prefix_len > 0 && len > self->wp_prefix_len
                       && memcmp (s, self->wp_prefix, self->wp_prefix_len) == 0
                       ? self->wp_prefix_len : 0;

          v->bytes[id] = (char *) s + cut;   /* shared with the string */
          v->n_bytes[id] = len - cut;
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
  free (tokens->specials);
  memset (tokens, 0, sizeof *tokens);
}
