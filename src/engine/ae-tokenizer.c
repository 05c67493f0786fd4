/* ae-tokenizer.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GPT-2's byte-level BPE, following OpenAI's encoder.py (and Hugging Face's
 * GPT2Tokenizer, which copies it) step by step:
 *
 *   1. the pre-tokenizer pattern splits the text into words (PCRE2);
 *   2. each byte of a word becomes one printable character through
 *      bytes_to_unicode(), so a word is a string of "symbols";
 *   3. the adjacent pair with the lowest merge rank is merged everywhere in the
 *      word, left to right, until no pair has a rank;
 *   4. each remaining symbol is looked up in vocab.json.
 *
 * Every symbol remembers the input bytes it came from, so each token keeps its
 * byte span [start, end) in the input.
 *
 * Lookups (token string -> id, "a b" pair -> rank) go through jansson objects,
 * which are hash tables: vocab.json's own object for the first, one built from
 * merges.txt for the second.  The tokenizer is read-only after loading, so
 * encode() may run on several threads at once; all scratch memory and the
 * PCRE2 match data belong to the call.
 */

#define PCRE2_CODE_UNIT_WIDTH 8

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <pcre2.h>

#include "ae-file.h"
#include "ae-tokenizer.h"

/* GPT-2's pre-tokenizer pattern, with \s spelled out.  GPT-2 runs the pattern
 * through Python's `regex` module, whose \s is Unicode's White_Space property.
 * PCRE2's \s (also under PCRE2_UCP) is a fixed list of horizontal and
 * vertical spaces that still includes U+180E MONGOLIAN VOWEL SEPARATOR, which
 * Unicode 6.3 moved out of White_Space, so " \u180e" would split differently
 * from the reference.  The class below is exactly White_Space (PropList.txt).
 * tests/test-tokenizer.c checks U+180E, U+0085 and U+FEFF against ids from
 * the reference algorithm. */
#define WS "\\t\\n\\x{0B}\\f\\r\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}" \
           "\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}"
static const char gpt2_pattern[] =
  "'s|'t|'re|'ve|'m|'ll|'d"
  "| ?\\p{L}+| ?\\p{N}+| ?[^" WS "\\p{L}\\p{N}]+"
  "|[" WS "]+(?![^" WS "])|[" WS "]+";

#define DEFAULT_BOS "<|endoftext|>"
#define NO_RANK     LONG_MAX

struct _AeTokenizer
{
  size_t       n_vocab;
  json_t      *vocab;         /* object: token string -> integer id */
  json_t      *ranks;         /* object: "first second" -> integer merge rank */
  const char **strings;       /* (n_vocab,) keys of @vocab, borrowed from it */
  char        *bytes;         /* every token's raw bytes, each NUL-terminated */
  size_t      *bytes_offset;  /* (n_vocab,) where a token's bytes start in @bytes */
  size_t      *bytes_len;     /* (n_vocab,) */
  bool         add_bos;
  int32_t      bos_id;        /* -1 when the vocabulary has no BOS token */
  pcre2_code  *pattern;
  char         byte_to_symbol[256][3];  /* UTF-8 of each byte's character, NUL-terminated */
  int16_t      symbol_to_byte[324];     /* inverse, by code point; -1 where none */
};

/* ------------------------------------------------------------------------ */
/* bytes_to_unicode()                                                         */

/* GPT-2 maps every byte to a printable character so that BPE never sees
 * whitespace or control characters: bytes that are already printable Latin-1
 * keep their code point, the other 68 get 256, 257, ... in byte order. */
static void
build_byte_table (AeTokenizer *self)
{
  int n = 0;

  for (int c = 0; c < 324; c++)
    self->symbol_to_byte[c] = -1;

  for (int b = 0; b < 256; b++)
    {
      bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      int  cp = printable ? b : 256 + n++;
      char *out = self->byte_to_symbol[b];

      if (cp < 0x80)
        {
          out[0] = (char) cp;
          out[1] = '\0';
        }
      else
        {
          out[0] = (char) (0xC0 | (cp >> 6));
          out[1] = (char) (0x80 | (cp & 0x3F));
          out[2] = '\0';
        }
      self->symbol_to_byte[cp] = (int16_t) b;
    }
}

/* Decodes one UTF-8 character of a vocab string (jansson has validated it).
 * Returns its length and stores the code point. */
static size_t
utf8_next (const unsigned char *s,
           unsigned int        *cp)
{
  if (s[0] < 0x80)
    {
      *cp = s[0];
      return 1;
    }
  if ((s[0] & 0xE0) == 0xC0)
    {
      *cp = ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
      return 2;
    }
  if ((s[0] & 0xF0) == 0xE0)
    {
      *cp = ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
      return 3;
    }
  *cp = ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
  return 4;
}

/* Undoes the byte mapping of one vocab string into @out (which has room for
 * strlen (s) + 1 bytes: a mapped character is never shorter than its byte).
 * Characters outside the table, as in added tokens like "<|endoftext|>" whose
 * characters all map to themselves anyway, are copied through as UTF-8, like
 * Hugging Face's ByteLevel decoder does. */
static size_t
unmap_token (const AeTokenizer *self,
             const char        *s,
             char              *out)
{
  const unsigned char *p = (const unsigned char *) s;
  size_t n = 0;

  while (*p != '\0')
    {
      unsigned int cp;
      size_t len = utf8_next (p, &cp);

      if (cp < 324 && self->symbol_to_byte[cp] >= 0)
        out[n++] = (char) self->symbol_to_byte[cp];
      else
        {
          memcpy (out + n, p, len);
          n += len;
        }
      p += len;
    }
  out[n] = '\0';

  return n;
}

/* ------------------------------------------------------------------------ */
/* Loading                                                                   */

/* Model files go through ae-file.c: regular files only (a FIFO in the
 * model folder would block), at most AE_FILE_MAX_TEXT_BYTES. */
static AeStatus
read_file (const char *path,
           char      **out,
           size_t     *out_len,
           AeError    *error)
{
  AeStatus status = ae_file_read (path, AE_FILE_MAX_TEXT_BYTES, out, out_len, error);

  if (status != AE_STATUS_OK)
    ae_error_prefix (error, path);
  return status;
}

/* Parses a JSON file with our error conventions: a file that cannot be
 * opened is AE_STATUS_IO (or, with @missing_ok, a missing file is no error and
 * *out stays NULL); anything else is @bad_status.  Messages name the file and,
 * for syntax errors, the line and column. */
static AeStatus
load_json (const char *path,
           bool        missing_ok,
           AeStatus    bad_status,
           json_t    **out,
           AeError    *error)
{
  json_error_t jerr;
  char *text = NULL;
  size_t len = 0;
  AeStatus status;

  *out = NULL;
  if (missing_ok && access (path, F_OK) != 0 && errno == ENOENT)
    return AE_STATUS_OK;

  /* One read and json_loadb: json_loadf reads a byte at a time, which was
   * three quarters of loading GPT-2's 1 MB vocab.json. */
  if ((status = read_file (path, &text, &len, error)) != AE_STATUS_OK)
    return status;
  *out = json_loadb (text, len, JSON_REJECT_DUPLICATES, &jerr);
  free (text);
  if (*out != NULL)
    return AE_STATUS_OK;

  return ae_error_set (error, bad_status, "%s: invalid JSON at line %d, column %d: %s",
                       path, jerr.line, jerr.column, jerr.text);
}

static AeStatus
load_vocab (AeTokenizer *self,
            const char  *path,
            AeError     *error)
{
  const char *key;
  json_t *value;
  size_t total = 0;
  size_t pos = 0;
  AeStatus status;

  if ((status = load_json (path, false, AE_STATUS_BAD_TOKENIZER, &self->vocab, error)) != AE_STATUS_OK)
    return status;

  if (!json_is_object (self->vocab))
    return ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                         "%s: expected an object mapping tokens to ids", path);

  self->n_vocab = json_object_size (self->vocab);
  if (self->n_vocab == 0)
    return ae_error_set (error, AE_STATUS_BAD_TOKENIZER, "%s: the vocabulary is empty", path);

  self->strings = calloc (self->n_vocab, sizeof *self->strings);
  self->bytes_offset = calloc (self->n_vocab, sizeof *self->bytes_offset);
  self->bytes_len = calloc (self->n_vocab, sizeof *self->bytes_len);
  if (self->strings == NULL || self->bytes_offset == NULL || self->bytes_len == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "%s: out of memory", path);

  /* Ids must be exactly 0 .. n-1, each once: the model's embedding rows are
   * indexed by them, so a gap or a duplicate means the files do not match. */
  json_object_foreach (self->vocab, key, value)
    {
      json_int_t id;

      if (!json_is_integer (value))
        return ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                             "%s: the id of token \"%s\" is not an integer", path, key);
      id = json_integer_value (value);
      if (id < 0 || (size_t) id >= self->n_vocab)
        return ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                             "%s: token \"%s\" has id %lld, outside 0..%zu",
                             path, key, (long long) id, self->n_vocab - 1);
      if (self->strings[id] != NULL)
        return ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                             "%s: tokens \"%s\" and \"%s\" share id %lld",
                             path, self->strings[id], key, (long long) id);
      self->strings[id] = key;
      total += strlen (key) + 1;
    }

  self->bytes = malloc (total);
  if (self->bytes == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "%s: out of memory", path);

  for (size_t id = 0; id < self->n_vocab; id++)
    {
      self->bytes_offset[id] = pos;
      self->bytes_len[id] = unmap_token (self, self->strings[id], self->bytes + pos);
      pos += self->bytes_len[id] + 1;
    }

  return AE_STATUS_OK;
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
  json_int_t rank = 0;
  char *joined = NULL;
  size_t joined_cap = 0;
  AeStatus status = AE_STATUS_OK;

  self->ranks = json_object ();
  if (self->ranks == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "%s: out of memory", path);

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
          const char *first = line;
          const char *second = space + 1;
          size_t first_len = (size_t) (space - line);
          size_t second_len = (size_t) (eol - second);

          *space = '\0';
          if (line_len + 1 > joined_cap)
            {
              char *grown = realloc (joined, joined_cap = line_len + 64);

              if (grown == NULL)
                {
                  status = ae_error_set (error, AE_STATUS_NO_MEMORY, "%s: out of memory", path);
                  break;
                }
              joined = grown;
            }
          memcpy (joined, first, first_len);
          memcpy (joined + first_len, second, second_len + 1);

          if (json_object_get (self->vocab, first) == NULL)
            status = ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                                   "%s: line %zu: \"%s\" is not in the vocabulary",
                                   path, line_no + 1, first);
          else if (json_object_get (self->vocab, second) == NULL)
            status = ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                                   "%s: line %zu: \"%s\" is not in the vocabulary",
                                   path, line_no + 1, second);
          else if (json_object_get (self->vocab, joined) == NULL)
            status = ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                                   "%s: line %zu: the merged token \"%s\" is not in the vocabulary",
                                   path, line_no + 1, joined);
          else
            {
              /* Restore "first second" as the key.  A pair listed twice keeps
               * its later rank, as dict(zip(merges, range(...))) does in the
               * reference. */
              *space = ' ';
              if (json_object_set_new (self->ranks, line, json_integer (rank++)) != 0)
                status = ae_error_set (error, AE_STATUS_NO_MEMORY, "%s: out of memory", path);
            }
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

  if ((status = read_file (path, &text, &len, error)) != AE_STATUS_OK)
    return status;

  status = parse_merges (self, path, text, len, error);
  free (text);

  return status;
}

/* tokenizer_config.json is optional: only a file that exists and says
 * "add_bos_token": true changes anything.  Its "bos_token" is a string or, in
 * newer files, an AddedToken object {"content": ...}. */
static AeStatus
load_config (AeTokenizer *self,
             const char  *path,
             AeError     *error)
{
  json_t *config = NULL;
  json_t *bos;
  const char *bos_name = DEFAULT_BOS;
  json_t *bos_value;
  AeStatus status = AE_STATUS_OK;

  if (path != NULL)
    {
      if ((status = load_json (path, true, AE_STATUS_BAD_TOKENIZER, &config, error)) != AE_STATUS_OK)
        return status;
      if (config != NULL && !json_is_object (config))
        status = ae_error_set (error, AE_STATUS_BAD_TOKENIZER, "%s: expected a JSON object", path);
    }

  if (status == AE_STATUS_OK && config != NULL)
    {
      json_t *add = json_object_get (config, "add_bos_token");

      self->add_bos = json_is_true (add);
      bos = json_object_get (config, "bos_token");
      if (json_is_object (bos))
        bos = json_object_get (bos, "content");
      if (json_is_string (bos))
        bos_name = json_string_value (bos);
      else if (bos != NULL && !json_is_null (bos))
        status = ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                               "%s: \"bos_token\" must be a string or an object with \"content\"",
                               path);
    }

  if (status == AE_STATUS_OK)
    {
      bos_value = json_object_get (self->vocab, bos_name);
      self->bos_id = bos_value != NULL ? (int32_t) json_integer_value (bos_value) : -1;
      if (self->add_bos && self->bos_id < 0)
        status = ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                               "%s: add_bos_token is true but the BOS token \"%s\" is not in the vocabulary",
                               path, bos_name);
    }

  json_decref (config);

  return status;
}

static AeStatus
compile_pattern (AeTokenizer *self,
                 AeError     *error)
{
  int code;
  PCRE2_SIZE offset;

  self->pattern = pcre2_compile ((PCRE2_SPTR) gpt2_pattern, PCRE2_ZERO_TERMINATED,
                                 PCRE2_UTF | PCRE2_UCP, &code, &offset, NULL);
  if (self->pattern == NULL)
    {
      PCRE2_UCHAR message[256];

      pcre2_get_error_message (code, message, sizeof message);
      return ae_error_set (error, AE_STATUS_UNSUPPORTED,
                           "cannot compile the GPT-2 pre-tokenizer pattern at offset %zu: %s",
                           (size_t) offset, (const char *) message);
    }

  /* JIT is a speed-up only: without it (PCRE2 built without JIT, or a
   * system that forbids executable memory) the interpreter gives the same
   * matches. */
  pcre2_jit_compile (self->pattern, PCRE2_JIT_COMPLETE);

  return AE_STATUS_OK;
}

AeStatus
ae_tokenizer_load (AeTokenizer **out,
                   const char   *vocab_path,
                   const char   *merges_path,
                   const char   *tokenizer_config_path,
                   AeError      *error)
{
  AeTokenizer *self;
  AeStatus status;

  if (out == NULL || vocab_path == NULL || merges_path == NULL)
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                         "ae_tokenizer_load: out, vocab_path and merges_path are required");
  *out = NULL;

  self = calloc (1, sizeof *self);
  if (self == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory loading the tokenizer");
  self->bos_id = -1;
  build_byte_table (self);

  if ((status = load_vocab (self, vocab_path, error)) != AE_STATUS_OK
      || (status = load_merges (self, merges_path, error)) != AE_STATUS_OK
      || (status = load_config (self, tokenizer_config_path, error)) != AE_STATUS_OK
      || (status = compile_pattern (self, error)) != AE_STATUS_OK)
    {
      ae_tokenizer_free (self);
      return status;
    }

  *out = self;

  return AE_STATUS_OK;
}

void
ae_tokenizer_free (AeTokenizer *tokenizer)
{
  if (tokenizer == NULL)
    return;

  pcre2_code_free (tokenizer->pattern);
  json_decref (tokenizer->ranks);
  json_decref (tokenizer->vocab);
  free (tokenizer->strings);
  free (tokenizer->bytes);
  free (tokenizer->bytes_offset);
  free (tokenizer->bytes_len);
  free (tokenizer);
}

size_t
ae_tokenizer_vocab_size (const AeTokenizer *tokenizer)
{
  return tokenizer != NULL ? tokenizer->n_vocab : 0;
}

bool
ae_tokenizer_adds_bos (const AeTokenizer *tokenizer)
{
  return tokenizer != NULL && tokenizer->add_bos;
}

int32_t
ae_tokenizer_bos_id (const AeTokenizer *tokenizer)
{
  return tokenizer != NULL ? tokenizer->bos_id : -1;
}

const char *
ae_tokenizer_token_bytes (const AeTokenizer *tokenizer,
                          int32_t            id,
                          size_t            *n_bytes)
{
  if (tokenizer == NULL || id < 0 || (size_t) id >= tokenizer->n_vocab)
    {
      if (n_bytes != NULL)
        *n_bytes = 0;
      return NULL;
    }

  if (n_bytes != NULL)
    *n_bytes = tokenizer->bytes_len[id];

  return tokenizer->bytes + tokenizer->bytes_offset[id];
}

const char *
ae_tokenizer_token_string (const AeTokenizer *tokenizer,
                           int32_t            id)
{
  if (tokenizer == NULL || id < 0 || (size_t) id >= tokenizer->n_vocab)
    return NULL;

  return tokenizer->strings[id];
}

void
ae_tokens_clear (AeTokens *tokens)
{
  if (tokens == NULL)
    return;

  free (tokens->ids);
  free (tokens->starts);
  free (tokens->ends);
  memset (tokens, 0, sizeof *tokens);
}

/* ------------------------------------------------------------------------ */
/* Encoding                                                                  */

/* One symbol of a word being merged: a substring of the mapped word and the
 * input bytes it stands for. */
typedef struct
{
  size_t at;        /* offset in the mapped word */
  size_t len;       /* bytes in the mapped word */
  size_t src_start; /* byte span in the input text */
  size_t src_end;
} Symbol;

/* Per-call scratch memory, grown as longer words come along. */
typedef struct
{
  char   *mapped;   /* the word after bytes_to_unicode() */
  char   *key;      /* "first second" or a symbol, NUL-terminated, for lookups */
  Symbol *symbols;
  long   *ranks;    /* ranks[i]: rank of the pair (symbols[i], symbols[i+1]) */
  bool   *dirty;    /* symbols made by the last merge pass */
  size_t  cap;      /* input bytes the arrays have room for */
} Scratch;

static bool
scratch_reserve (Scratch *s,
                 size_t   n_bytes)
{
  void *p;

  if (n_bytes <= s->cap)
    return true;

  /* A mapped byte takes at most 2 bytes of UTF-8; a pair key adds a space. */
  if ((p = realloc (s->mapped, 2 * n_bytes + 1)) == NULL)
    return false;
  s->mapped = p;
  if ((p = realloc (s->key, 2 * n_bytes + 2)) == NULL)
    return false;
  s->key = p;
  if ((p = realloc (s->symbols, n_bytes * sizeof *s->symbols)) == NULL)
    return false;
  s->symbols = p;
  if ((p = realloc (s->ranks, n_bytes * sizeof *s->ranks)) == NULL)
    return false;
  s->ranks = p;
  if ((p = realloc (s->dirty, n_bytes * sizeof *s->dirty)) == NULL)
    return false;
  s->dirty = p;
  s->cap = n_bytes;

  return true;
}

static void
scratch_clear (Scratch *s)
{
  free (s->mapped);
  free (s->key);
  free (s->symbols);
  free (s->ranks);
  free (s->dirty);
}

static long
pair_rank (const AeTokenizer *self,
           Scratch           *s,
           const Symbol      *a,
           const Symbol      *b)
{
  json_t *rank;

  memcpy (s->key, s->mapped + a->at, a->len);
  s->key[a->len] = ' ';
  memcpy (s->key + a->len + 1, s->mapped + b->at, b->len);
  s->key[a->len + 1 + b->len] = '\0';

  rank = json_object_get (self->ranks, s->key);

  return rank != NULL ? (long) json_integer_value (rank) : NO_RANK;
}

/* encoder.py's bpe() on the word text[start, end), appending its tokens to
 * @out.  Like the reference, each round finds the lowest-ranked adjacent pair
 * and merges every occurrence of it left to right.  Pair ranks are kept in an
 * array and only the pairs next to a merge are looked up again, so a long
 * word (a line of CJK text is one \p{L}+ run) costs one hash lookup per merge
 * plus an integer scan per round, not a lookup per pair per round. */
static AeStatus
bpe_word (const AeTokenizer *self,
          Scratch           *s,
          const char        *text,
          size_t             start,
          size_t             end,
          AeTokens          *out,
          AeError           *error)
{
  size_t n = end - start;
  size_t pos = 0;

  if (!scratch_reserve (s, n))
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory while tokenizing");

  for (size_t i = 0; i < n; i++)
    {
      const char *sym = self->byte_to_symbol[(unsigned char) text[start + i]];
      size_t len = sym[1] == '\0' ? 1 : 2;

      memcpy (s->mapped + pos, sym, len);
      s->symbols[i] = (Symbol) { pos, len, start + i, start + i + 1 };
      pos += len;
    }

  for (size_t i = 0; i + 1 < n; i++)
    s->ranks[i] = pair_rank (self, s, &s->symbols[i], &s->symbols[i + 1]);

  while (n > 1)
    {
      long best = NO_RANK;
      size_t w = 0;

      for (size_t i = 0; i + 1 < n; i++)
        if (s->ranks[i] < best)
          best = s->ranks[i];
      if (best == NO_RANK)
        break;

      /* A rank names one pair, so every pair ranked @best is an occurrence
       * of the chosen bigram; merging them left to right and skipping past
       * each merge is the reference's scan. */
      for (size_t i = 0; i < n; w++)
        {
          if (i + 1 < n && s->ranks[i] == best)
            {
              s->symbols[w] = s->symbols[i];
              s->symbols[w].len += s->symbols[i + 1].len;
              s->symbols[w].src_end = s->symbols[i + 1].src_end;
              s->dirty[w] = true;
              i += 2;
            }
          else
            {
              s->symbols[w] = s->symbols[i];
              s->ranks[w] = s->ranks[i];
              s->dirty[w] = false;
              i += 1;
            }
        }
      n = w;

      for (size_t i = 0; i + 1 < n; i++)
        if (s->dirty[i] || s->dirty[i + 1])
          s->ranks[i] = pair_rank (self, s, &s->symbols[i], &s->symbols[i + 1]);
    }

  for (size_t i = 0; i < n; i++)
    {
      const Symbol *sym = &s->symbols[i];
      json_t *id;

      memcpy (s->key, s->mapped + sym->at, sym->len);
      s->key[sym->len] = '\0';
      id = json_object_get (self->vocab, s->key);
      if (id == NULL)
        return ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                             "the vocabulary has no token \"%s\" (a byte-level vocabulary "
                             "needs all 256 byte tokens)", s->key);

      out->ids[out->n_tokens] = (int32_t) json_integer_value (id);
      out->starts[out->n_tokens] = sym->src_start;
      out->ends[out->n_tokens] = sym->src_end;
      out->n_tokens++;
    }

  return AE_STATUS_OK;
}

static AeStatus
utf8_error (int         code,
            size_t      offset,
            AeError    *error)
{
  PCRE2_UCHAR message[256];

  pcre2_get_error_message (code, message, sizeof message);

  return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                       "the text is not valid UTF-8 at byte %zu: %s",
                       offset, (const char *) message);
}

AeStatus
ae_tokenizer_encode (const AeTokenizer *tokenizer,
                     const char        *text,
                     size_t             len,
                     AeTokens          *out,
                     AeError           *error)
{
  pcre2_match_data *match = NULL;
  Scratch scratch = { 0 };
  size_t max_tokens;
  size_t offset = 0;
  uint32_t options = 0;
  AeStatus status = AE_STATUS_OK;

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

  /* Every token covers at least one byte, plus BOS: allocate the bound once
   * and give back what is left over at the end. */
  max_tokens = len + 1;
  out->ids = malloc (max_tokens * sizeof *out->ids);
  out->starts = malloc (max_tokens * sizeof *out->starts);
  out->ends = malloc (max_tokens * sizeof *out->ends);
  match = pcre2_match_data_create_from_pattern (tokenizer->pattern, NULL);
  if (out->ids == NULL || out->starts == NULL || out->ends == NULL || match == NULL)
    {
      status = ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory while tokenizing");
      goto out;
    }

  if (tokenizer->add_bos)
    {
      out->ids[0] = tokenizer->bos_id;
      out->starts[0] = out->ends[0] = 0;
      out->n_tokens = 1;
    }

  while (offset < len)
    {
      PCRE2_SIZE *ovector;
      int rc = pcre2_match (tokenizer->pattern, (PCRE2_SPTR) text, len, offset,
                            options, match, NULL);

      if (rc == PCRE2_ERROR_NOMATCH)
        break;
      if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21)
        {
          status = utf8_error (rc, pcre2_get_startchar (match), error);
          goto out;
        }
      if (rc < 0)
        {
          PCRE2_UCHAR message[256];

          pcre2_get_error_message (rc, message, sizeof message);
          status = ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                                 "pre-tokenizing failed at byte %zu: %s", offset,
                                 (const char *) message);
          goto out;
        }

      /* The first match checked the whole subject's UTF-8; checking it again
       * on every call would make encoding quadratic in the text length. */
      options = PCRE2_NO_UTF_CHECK;
      ovector = pcre2_get_ovector_pointer (match);
      if (ovector[1] <= ovector[0])
        break;  /* cannot happen: every alternative consumes a character */

      status = bpe_word (tokenizer, &scratch, text, ovector[0], ovector[1], out, error);
      if (status != AE_STATUS_OK)
        goto out;
      offset = ovector[1];
    }

  /* Give back the unused part of the bound; a failed shrink keeps the
   * larger block, which is still correct. */
  if (out->n_tokens > 0 && out->n_tokens < max_tokens)
    {
      void *p;

      if ((p = realloc (out->ids, out->n_tokens * sizeof *out->ids)) != NULL)
        out->ids = p;
      if ((p = realloc (out->starts, out->n_tokens * sizeof *out->starts)) != NULL)
        out->starts = p;
      if ((p = realloc (out->ends, out->n_tokens * sizeof *out->ends)) != NULL)
        out->ends = p;
    }

out:
  scratch_clear (&scratch);
  pcre2_match_data_free (match);
  if (status != AE_STATUS_OK)
    ae_tokens_clear (out);

  return status;
}
