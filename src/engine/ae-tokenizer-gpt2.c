/* ae-tokenizer-gpt2.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GPT-2's own files: vocab.json (token string -> id) and merges.txt (one
 * merge "first second" per line, in rank order), as OpenAI's encoder.py and
 * Hugging Face's GPT2Tokenizer read them.  The result is a byte-level BPE
 * with GPT-2's pre-tokenizer regex; tokenizer_config.json may ask for BOS.
 */

#include <stdlib.h>
#include <string.h>

#include "ae-tokenizer-private.h"

#define DEFAULT_BOS "<|endoftext|>"

static AeStatus
load_vocab (AeTokenizer *self,
            const char  *path,
            AeError     *error)
{
  json_t *json = NULL;
  const char *key;
  json_t *value;
  size_t n = 0;
  AeStatus status;

  if ((status = ae_tok_load_json (path, false, 0, &json, error)) != AE_STATUS_OK)
    return status;

  if (!json_is_object (json))
    status = ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                           "%s: expected an object mapping tokens to ids", path);
  else if ((n = json_object_size (json)) == 0)
    status = ae_error_set (error, AE_STATUS_BAD_TOKENIZER, "%s: the vocabulary is empty", path);
  else
    {
      size_t text_bytes = 0;

      json_object_foreach (json, key, value)
        text_bytes += strlen (key) + 1;
      status = ae_vocab_init (&self->vocab, n, text_bytes, error);
    }

  /* Ids must be exactly 0 .. n-1, each once: the model's embedding rows are
   * indexed by them, so a gap or a duplicate means the files do not match. */
  if (status == AE_STATUS_OK)
    json_object_foreach (json, key, value)
      {
        json_int_t id;
        int32_t clash;

        if (!json_is_integer (value))
          {
            status = ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                                   "%s: the id of token \"%s\" is not an integer", path, key);
            break;
          }
        id = json_integer_value (value);
        if (id < 0 || (size_t) id >= n)
          {
            status = ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                                   "%s: token \"%s\" has id %lld, outside 0..%zu",
                                   path, key, (long long) id, n - 1);
            break;
          }
        if ((status = ae_vocab_add (&self->vocab, key, strlen (key), (int32_t) id, &clash)))
          {
            if (status == AE_STATUS_NO_MEMORY)
              ae_error_set (error, status, "%s: out of memory", path);
            else
              ae_error_set (error, status, "%s: tokens \"%s\" and \"%s\" share id %lld",
                            path, self->vocab.strings[clash], key, (long long) id);
            break;
          }
      }

  json_decref (json);
  return status;
}

/* merges.txt: an optional "#version" line, then one merge per line, "first
 * second", in rank order.  Both parts and their concatenation must be in the
 * vocabulary, otherwise BPE could build a token that has no id. */
static AeStatus
parse_merges (AeTokenizer *self,
              const char  *path,
              char        *text,
              size_t       len,
              AeError     *error)
{
  char *line = text;
  char *end = text + len;
  size_t line_no = 0;
  size_t n_lines = 1;
  uint32_t rank = 0;
  char *joined = NULL;
  size_t joined_cap = 0;
  AeStatus status;

  for (size_t i = 0; i < len; i++)
    n_lines += text[i] == '\n';
  if ((status = ae_merges_init (&self->merges, n_lines, error)) != AE_STATUS_OK)
    return status;

  for (; line < end && status == AE_STATUS_OK; line_no++)
    {
      char *eol = memchr (line, '\n', (size_t) (end - line));
      char *next = eol != NULL ? eol + 1 : end;
      char *space;
      size_t line_len;

      if (eol == NULL)
        eol = end;
      if (eol > line && eol[-1] == '\r')
        eol--;
      *eol = '\0';
      line_len = (size_t) (eol - line);

      if (line_len == 0 || (line_no == 0 && strncmp (line, "#version", 8) == 0))
        {
          line = next;
          continue;
        }

      space = memchr (line, ' ', line_len);
      if (memchr (line, '\0', line_len) != NULL)
        status = ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                               "%s: line %zu: contains a NUL byte", path, line_no + 1);
      else if (space == NULL || space == line || space == eol - 1 || strchr (space + 1, ' ') != NULL)
        status = ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                               "%s: line %zu: expected two tokens separated by one space, got \"%.64s\"",
                               path, line_no + 1, line);
      else
        {
          const char *second = space + 1;
          size_t first_len = (size_t) (space - line);
          size_t second_len = (size_t) (eol - second);
          int32_t a, b, merged = -1;

          if (line_len > joined_cap)
            {
              char *grown = realloc (joined, joined_cap = line_len + 64);

              if (grown == NULL)
                {
                  status = ae_error_set (error, AE_STATUS_NO_MEMORY, "%s: out of memory", path);
                  break;
                }
              joined = grown;
            }
          memcpy (joined, line, first_len);
          memcpy (joined + first_len, second, second_len);

          a = ae_vocab_lookup (&self->vocab, line, first_len);
          b = ae_vocab_lookup (&self->vocab, second, second_len);
          if (a >= 0 && b >= 0)
            merged = ae_vocab_lookup (&self->vocab, joined, first_len + second_len);

          *space = '\0';
          if (a < 0)
            status = ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                                   "%s: line %zu: \"%s\" is not in the vocabulary",
                                   path, line_no + 1, line);
          else if (b < 0)
            status = ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                                   "%s: line %zu: \"%s\" is not in the vocabulary",
                                   path, line_no + 1, second);
          else if (merged < 0)
            status = ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                                   "%s: line %zu: the merged token \"%s%s\" is not in the vocabulary",
                                   path, line_no + 1, line, second);
          else
            ae_merges_add (&self->merges, a, b, rank++, merged);
        }
      line = next;
    }

  free (joined);
  return status;
}

static AeStatus
load_merges (AeTokenizer *self,
             const char  *path,
             AeError     *error)
{
  char *text = NULL;
  size_t len = 0;
  AeStatus status;

  if ((status = ae_tok_read_file (path, &text, &len, error)) != AE_STATUS_OK)
    return status;

  status = parse_merges (self, path, text, len, error);
  free (text);

  return status;
}

/* GPT-2 names its BOS "<|endoftext|>" unless tokenizer_config.json says
 * otherwise, and adds it only when "add_bos_token" is true. */
static AeStatus
load_config (AeTokenizer *self,
             const char  *path,
             AeError     *error)
{
  AeTokenizerConfig config;
  const char *bos_name;
  AeStatus status;

  if ((status = ae_tokenizer_config_load (&config, path, error)) != AE_STATUS_OK)
    return status;

  bos_name = config.bos != NULL ? config.bos : DEFAULT_BOS;
  self->bos_id = ae_vocab_lookup (&self->vocab, bos_name, strlen (bos_name));
  if (config.add_bos && self->bos_id < 0)
    status = ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                           "%s: add_bos_token is true but the BOS token \"%s\" is not in the vocabulary",
                           path, bos_name);
  else if (config.add_bos)
    {
      if ((self->prefix_ids = malloc (sizeof *self->prefix_ids)) == NULL)
        status = ae_error_set (error, AE_STATUS_NO_MEMORY, "%s: out of memory", path);
      else
        {
          self->prefix_ids[0] = self->bos_id;
          self->n_prefix = 1;
        }
    }

  ae_tokenizer_config_clear (&config);
  return status;
}

/* RoBERTa ships GPT-2's two files with <s>, </s>, <pad>, <unk> and <mask>
 * in the vocabulary (GPT-2's has none of them): its tokenizer keeps them
 * whole, wraps a text as <s> A </s> and a pair as <s> A </s></s> B </s>
 * (all of token type 0), and <mask> takes the space before it (lstrip). */
static AeStatus
roberta_specials (AeTokenizer *self,
                  AeError     *error)
{
  static const char *const names[] = { "<s>", "</s>", "<pad>", "<unk>", "<mask>" };
  int32_t ids[5];

  for (size_t i = 0; i < 5; i++)
    ids[i] = ae_vocab_lookup (&self->vocab, names[i], strlen (names[i]));
  if (ids[0] < 0 || ids[1] < 0 || ids[4] < 0)
    return AE_STATUS_OK;

  if ((self->added.tokens = calloc (5, sizeof *self->added.tokens)) == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory loading the tokenizer");
  for (size_t i = 0; i < 5; i++)
    if (ids[i] >= 0)
      {
        AeAddedToken *t = &self->added.tokens[self->added.n++];

        if ((t->content = strdup (names[i])) == NULL)
          return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory loading the tokenizer");
        t->len = strlen (names[i]);
        t->id = ids[i];
        t->special = true;
        t->lstrip = i == 4;
      }
  self->unk_id = ids[3];
  self->mask_id = ids[4];
  return ae_tokenizer_set_pair_template (self, ids[0], ids[1], 2, 0, error);
}

AeStatus
ae_tokenizer_load_gpt2_files (AeTokenizer **out,
                              const char   *vocab_path,
                              const char   *merges_path,
                              const char   *config_path,
                              AeError      *error)
{
  AeTokenizer *self = ae_tokenizer_new (AE_TOKENIZER_GPT2);
  AeStatus status;

  *out = NULL;
  if (self == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory loading the tokenizer");

  self->byte_input = true;
  if ((self->pre_tokenizers = calloc (1, sizeof *self->pre_tokenizers)) == NULL)
    status = ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory loading the tokenizer");
  else
    {
      self->n_pre_tokenizers = 1;
      self->pre_tokenizers[0].kind = AE_PRE_BYTE_LEVEL;
      status = ae_regex_compile (ae_gpt2_pattern, PCRE2_ZERO_TERMINATED, false,
                                 &self->pre_tokenizers[0].regex,
                                 "GPT-2's pre-tokenizer pattern", error);
    }

  if (status == AE_STATUS_OK
      && (status = load_vocab (self, vocab_path, error)) == AE_STATUS_OK
      && (status = load_merges (self, merges_path, error)) == AE_STATUS_OK
      && (status = load_config (self, config_path, error)) == AE_STATUS_OK
      && (status = roberta_specials (self, error)) == AE_STATUS_OK
      && (status = ae_added_tokens_finish (&self->added, error)) == AE_STATUS_OK)
    status = ae_tokenizer_decode_vocab (self, NULL, error);

  if (status != AE_STATUS_OK)
    {
      ae_tokenizer_free (self);
      return status;
    }
  *out = self;
  return AE_STATUS_OK;
}
