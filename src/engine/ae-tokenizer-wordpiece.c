/* ae-tokenizer-wordpiece.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * BERT's WordPiece tokenizer from vocab.txt (one token a line, the line
 * number is the id) and tokenizer_config.json, as the shared pipeline's
 * parts (ae-tokenizer-private.h), following BERT's published algorithm
 * (Devlin et al. 2019; Hugging Face's BertNormalizer, BertPreTokenizer and
 * WordPiece model):
 *
 *   - normalizer: control characters removed (tab, newline and carriage
 *     return kept as whitespace), accents stripped (NFD, then every
 *     non-spacing mark dropped) and text lowercased when do_lower_case says
 *     so (strip_accents may say otherwise);
 *   - pre-tokenizer: whitespace separates words; every punctuation
 *     character (ASCII symbols and Unicode P*) and, with
 *     tokenize_chinese_chars, every CJK ideograph is a word of its own;
 *   - model: each word greedily, longest piece first, continuation pieces
 *     written "##piece"; a word with a part no piece covers, or longer than
 *     max_input_chars_per_word characters, is [UNK];
 *   - template: [CLS] A [SEP], and [CLS] A [SEP] B [SEP] for pairs.
 *
 * tokenizer.json's WordPiece model, BertNormalizer and BertPreTokenizer
 * become the same parts (ae-tokenizer-json.c calls the functions here).
 */

#include <stdlib.h>
#include <string.h>

#include "ae-tokenizer-private.h"

#define DEFAULT_MAX_CHARS 100

/* BERT's punctuation: the ASCII symbols and Unicode's P* categories. */
#define PUNCT "!-/:-@\\[-`{-~\\p{P}"
/* The CJK Unified Ideograph blocks BERT splits into single characters. */
#define CJK "\\x{4E00}-\\x{9FFF}\\x{3400}-\\x{4DBF}\\x{20000}-\\x{2A6DF}\\x{2A700}-\\x{2B73F}" \
            "\\x{2B740}-\\x{2B81F}\\x{2B820}-\\x{2CEAF}\\x{F900}-\\x{FAFF}\\x{2F800}-\\x{2FA1F}"
/* Whitespace between words: Unicode's White_Space, what Python's
 * str.split() (BERT's whitespace_tokenize) and Rust's char::is_whitespace
 * (Hugging Face's BertPreTokenizer) both split on.  BERT's own
 * _is_whitespace (space, tab, newline, carriage return, Zs) is a subset. */
#define SPACE "\\t\\n\\x{0B}\\f\\r\\x{85}\\p{Z}"

static const char pieces_cjk[] = "[" CJK "]|[" PUNCT "]|[^" SPACE PUNCT CJK "]+";
static const char pieces_plain[] = "[" PUNCT "]|[^" SPACE PUNCT "]+";

/* One more normalizer at the end of the list, zeroed and already counted
 * (so the tokenizer frees it whatever happens next); NULL out of memory. */
static AeNormalizer *
append_normalizer (AeTokenizer *self)
{
  AeNormalizer *grown = realloc (self->normalizers,
                                 (self->n_normalizers + 1) * sizeof *self->normalizers);

  if (grown == NULL)
    return NULL;
  self->normalizers = grown;
  memset (&grown[self->n_normalizers], 0, sizeof *grown);
  return &grown[self->n_normalizers++];
}

/* A normalizer that deletes what @pattern matches. */
static AeStatus
append_removal (AeTokenizer *self,
                const char  *pattern,
                const char  *what,
                AeError     *error)
{
  AeNormalizer *n = append_normalizer (self);

  if (n == NULL || (n->content = strdup ("")) == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory loading the tokenizer");
  n->kind = AE_NORM_REPLACE;
  return ae_regex_compile (pattern, PCRE2_ZERO_TERMINATED, false, &n->regex, what, error);
}

AeStatus
ae_wordpiece_add_normalizers (AeTokenizer *self,
                              bool         clean_text,
                              bool         strip_accents,
                              bool         lowercase,
                              AeError     *error)
{
  AeStatus status = AE_STATUS_OK;
  AeNormalizer *n;

  /* clean text: NUL, U+FFFD and control characters (tab, newline and
   * carriage return stay as whitespace) go */
  if (clean_text
      && (status = append_removal (self, "\\x{0}|\\x{FFFD}|(?![\\t\\n\\r])\\p{C}",
                                   "BERT's control characters", error)))
    return status;
  /* strip accents: NFD, then every non-spacing mark dropped */
  if (strip_accents)
    {
      if ((n = append_normalizer (self)) == NULL)
        return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory loading the tokenizer");
      n->kind = AE_NORM_NFD;
      if ((status = append_removal (self, "\\p{Mn}", "BERT's accents", error)))
        return status;
    }
  if (lowercase)
    {
      if ((n = append_normalizer (self)) == NULL)
        return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory loading the tokenizer");
      n->kind = AE_NORM_LOWERCASE;
    }
  return AE_STATUS_OK;
}

AeStatus
ae_wordpiece_add_pre_tokenizer (AeTokenizer *self,
                                bool         chinese_chars,
                                AeError     *error)
{
  AePreTokenizer *grown = realloc (self->pre_tokenizers,
                                   (self->n_pre_tokenizers + 1) * sizeof *self->pre_tokenizers);
  AePreTokenizer *p;

  if (grown == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory loading the tokenizer");
  self->pre_tokenizers = grown;
  p = &grown[self->n_pre_tokenizers++];
  memset (p, 0, sizeof *p);
  p->kind = AE_PRE_SPLIT;
  p->behavior = AE_SPLIT_REMOVED;
  p->invert = true;   /* the pattern describes the words */
  return ae_regex_compile (chinese_chars ? pieces_cjk : pieces_plain, PCRE2_ZERO_TERMINATED,
                           false, &p->regex, "BERT's pre-tokenizer pattern", error);
}

AeStatus
ae_tokenizer_wordpiece_setup (AeTokenizer   *self,
                              bool           lowercase,
                              bool           strip_accents,
                              bool           chinese_chars,
                              AeError       *error)
{
  AeStatus status = ae_wordpiece_add_normalizers (self, true, strip_accents, lowercase, error);

  return status != AE_STATUS_OK ? status : ae_wordpiece_add_pre_tokenizer (self, chinese_chars, error);
}

/* Sets the template from the special tokens' ids: [CLS] A [SEP] and, for
 * pairs, [SEP] between and B's [SEP] after; B's tokens are type 1. */
AeStatus
ae_tokenizer_set_pair_template (AeTokenizer   *self,
                                int32_t        cls,
                                int32_t        sep,
                                size_t         n_middle,
                                int32_t        b_type,
                                AeError       *error)
{
  free (self->prefix_ids);
  free (self->suffix_ids);
  self->prefix_ids = malloc (sizeof *self->prefix_ids);
  self->suffix_ids = malloc (sizeof *self->suffix_ids);
  if (self->prefix_ids == NULL || self->suffix_ids == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory loading the tokenizer");
  self->prefix_ids[0] = cls;
  self->suffix_ids[0] = sep;
  self->n_prefix = self->n_suffix = 1;
  self->has_template = true;
  self->pair_sep_id = sep;
  self->n_pair_middle = n_middle;
  self->pair_b_type = b_type;
  self->bos_id = cls;
  self->eos_id = sep;
  return AE_STATUS_OK;
}

/* The token named by @key of tokenizer_config.json (a string or an object
 * with "content"), @fallback when absent; its id, or -1. */
static int32_t
config_token (const AeTokenizer *self,
              json_t            *config,
              const char        *key,
              const char        *fallback,
              const char       **name)
{
  json_t *value = config != NULL ? json_object_get (config, key) : NULL;

  *name = fallback;
  if (json_is_object (value))
    value = json_object_get (value, "content");
  if (json_is_string (value))
    *name = json_string_value (value);
  return ae_vocab_lookup (&self->vocab, *name, strlen (*name));
}

static bool
config_bool (json_t     *config,
             const char *key,
             bool        fallback)
{
  json_t *value = config != NULL ? json_object_get (config, key) : NULL;

  return json_is_boolean (value) ? json_is_true (value) : fallback;
}

AeStatus
ae_wordpiece_parse_model (AeTokenizer *self,
                          json_t      *model,
                          const char  *path,
                          AeError     *error)
{
  json_t *unk = json_object_get (model, "unk_token");
  json_t *prefix = json_object_get (model, "continuing_subword_prefix");
  json_t *max = json_object_get (model, "max_input_chars_per_word");
  const char *unk_name = json_is_string (unk) ? json_string_value (unk) : "[UNK]";

  /* Hugging Face's defaults: [UNK], "##", 100 */
  if (unk != NULL && !json_is_null (unk) && !json_is_string (unk))
    return ae_error_set (error, AE_STATUS_BAD_TOKENIZER, "%s: model.unk_token must be a string", path);
  /* a word no pieces cover becomes unk: a WordPiece model cannot do without */
  if ((self->unk_id = ae_vocab_lookup (&self->vocab, unk_name, strlen (unk_name))) < 0)
    return ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                         "%s: model.unk_token \"%s\" is not in the vocabulary", path, unk_name);
  if (prefix == NULL || json_is_null (prefix))
    prefix = NULL;
  else if (!json_is_string (prefix) || json_string_length (prefix) >= sizeof self->wp_prefix)
    return ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                         "%s: model.continuing_subword_prefix must be a string of at most %zu bytes",
                         path, sizeof self->wp_prefix - 1);
  self->wp_prefix_len = prefix != NULL ? json_string_length (prefix) : 2;
  memcpy (self->wp_prefix, prefix != NULL ? json_string_value (prefix) : "##", self->wp_prefix_len);
  self->wp_prefix[self->wp_prefix_len] = '\0';
  if (max == NULL || json_is_null (max))
    self->max_chars_per_word = DEFAULT_MAX_CHARS;
  else if (json_is_integer (max) && json_integer_value (max) > 0)
    self->max_chars_per_word = (size_t) json_integer_value (max);
  else
    return ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                         "%s: model.max_input_chars_per_word must be a positive integer", path);
  return AE_STATUS_OK;
}

/* vocab.txt: one token a line; the line number (from 0) is its id. */
static AeStatus
load_vocab_txt (AeTokenizer *self,
                const char  *path,
                AeError     *error)
{
  char *text = NULL, *line, *end;
  size_t len = 0, n_lines = 0;
  AeStatus status;

  if ((status = ae_tok_read_file (path, &text, &len, error)))
    return status;
  for (size_t i = 0; i < len; i++)
    n_lines += text[i] == '\n';
  if (len > 0 && text[len - 1] != '\n')
    n_lines++;
  if (n_lines == 0)
    status = ae_error_set (error, AE_STATUS_BAD_TOKENIZER, "%s: the vocabulary is empty", path);
  else
    status = ae_vocab_init (&self->vocab, n_lines, len + n_lines, error);

  line = text;
  for (size_t id = 0; status == AE_STATUS_OK && id < n_lines; id++)
    {
      size_t n;
      int32_t clash = -1;

      end = memchr (line, '\n', (size_t) (text + len - line));
      n = end != NULL ? (size_t) (end - line) : (size_t) (text + len - line);
      if (n > 0 && line[n - 1] == '\r')
        n--;
      if (n == 0)
        status = ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                               "%s: line %zu is empty; every line must hold one token",
                               path, id + 1);
      else if (memchr (line, '\0', n) != NULL)
        status = ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                               "%s: line %zu holds a NUL byte", path, id + 1);
      else if (ae_vocab_add (&self->vocab, line, n, (int32_t) id, &clash) != AE_STATUS_OK)
        status = ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                               "%s: line %zu repeats the token \"%.*s\" of line %ld",
                               path, id + 1, (int) n, line, (long) clash + 1);
      line = end != NULL ? end + 1 : text + len;
    }
  free (text);
  return status;
}

/* [CLS], [SEP], [UNK], [PAD], [MASK]: never split, as BERT's tokenizer
 * keeps its special tokens whole. */
static AeStatus
add_specials (AeTokenizer *self,
              json_t      *config,
              const char  *config_path,
              AeError     *error)
{
  static const struct { const char *key, *fallback; bool required; } specials[] = {
    { "unk_token", "[UNK]", true }, { "cls_token", "[CLS]", true },
    { "sep_token", "[SEP]", true }, { "pad_token", "[PAD]", false },
    { "mask_token", "[MASK]", false },
  };
  int32_t ids[5];

  self->added.tokens = calloc (5, sizeof *self->added.tokens);
  if (self->added.tokens == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory loading the tokenizer");
  for (size_t i = 0; i < 5; i++)
    {
      const char *name;
      AeAddedToken *t;

      ids[i] = config_token (self, config, specials[i].key, specials[i].fallback, &name);
      if (ids[i] < 0 && specials[i].required)
        return ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                             "vocab.txt has no %s \"%s\"%s%s", specials[i].key, name,
                             config != NULL ? " (named in " : "",
                             config != NULL ? config_path : "");
      if (ids[i] < 0)
        continue;
      t = &self->added.tokens[self->added.n];
      if ((t->content = strdup (name)) == NULL)
        return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory loading the tokenizer");
      t->len = strlen (name);
      t->id = ids[i];
      t->special = true;
      self->added.n++;
    }
  self->unk_id = ids[0];
  self->mask_id = ids[4];
  return ae_tokenizer_set_pair_template (self, ids[1], ids[2], 1, 1, error);
}

AeStatus
ae_tokenizer_load_wordpiece_files (AeTokenizer **out,
                                   const char   *vocab_path,
                                   const char   *config_path,
                                   AeError      *error)
{
  AeTokenizer *self = ae_tokenizer_new (AE_TOKENIZER_WORDPIECE);
  json_t *config = NULL;
  bool lowercase, strip;
  AeStatus status;

  *out = NULL;
  if (self == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory loading the tokenizer");
  self->max_chars_per_word = DEFAULT_MAX_CHARS;
  memcpy (self->wp_prefix, "##", 3);
  self->wp_prefix_len = 2;

  if ((status = load_vocab_txt (self, vocab_path, error)) == AE_STATUS_OK &&
      (config_path == NULL ||
       (status = ae_tok_load_json (config_path, true, 0, &config, error)) == AE_STATUS_OK))
    {
      json_t *max = config != NULL ? json_object_get (config, "max_input_chars_per_word") : NULL;

      /* BertTokenizer's defaults: lowercase, and accents go with case
       * unless strip_accents says otherwise. */
      lowercase = config_bool (config, "do_lower_case", true);
      strip = config_bool (config, "strip_accents", lowercase);
      if (json_is_integer (max) && json_integer_value (max) > 0)
        self->max_chars_per_word = (size_t) json_integer_value (max);
      else if (max != NULL && !json_is_null (max))
        status = ae_error_set (error, AE_STATUS_BAD_TOKENIZER,
                               "%s: max_input_chars_per_word must be a positive integer",
                               config_path);
      if (status == AE_STATUS_OK)
        status = add_specials (self, config, config_path, error);
      if (status == AE_STATUS_OK)
        status = ae_added_tokens_finish (&self->added, error);
      if (status == AE_STATUS_OK)
        status = ae_tokenizer_wordpiece_setup (self, lowercase, strip,
                                               config_bool (config, "tokenize_chinese_chars", true),
                                               error);
      if (status == AE_STATUS_OK)
        status = ae_tokenizer_decode_vocab (self, NULL, error);
    }
  json_decref (config);

  if (status != AE_STATUS_OK)
    {
      ae_tokenizer_free (self);
      return status;
    }
  *out = self;
  return AE_STATUS_OK;
}
