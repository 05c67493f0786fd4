/* ae-tokenizer-json.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hugging Face's tokenizer.json, for BPE models: "model" (vocab, merges as
 * "a b" strings or ["a", "b"] pairs, unk_token, fuse_unk, byte_fallback,
 * ignore_merges), and WordPiece models (BERT's: vocab, unk_token,
 * continuing_subword_prefix, max_input_chars_per_word, with the
 * BertNormalizer and BertPreTokenizer of ae-tokenizer-wordpiece.c); "added_tokens", "normalizer", "pre_tokenizer" and
 * "post_processor".  The decoder is not read: each token's text comes from
 * the model's own conventions (bytes_to_unicode() for byte-level models, "▁"
 * and <0xXX> for SentencePiece-style ones).
 *
 * What the engine does not implement is refused with a message naming the
 * key and the value, never ignored: a tokenizer that silently differs would
 * give the model ids it was not trained on.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ae-tokenizer-private.h"

typedef struct
{
  AeTokenizer *tok;
  const char  *path;
  AeError     *error;
  char         metaspace[8];   /* "▁" or whatever stands for a space, for decoding */
  bool         chinese_chars;  /* BertNormalizer's handle_chinese_chars, for BertPreTokenizer */
  bool         bert_pre;       /* the pre-tokenizer is BertPreTokenizer */
} Loader;

static AeStatus
bad (Loader     *l,
     const char *format,
     ...) __attribute__ ((format (printf, 2, 3)));

static AeStatus
bad (Loader     *l,
     const char *format,
     ...)
{
  char message[400];
  va_list args;

  va_start (args, format);
  vsnprintf (message, sizeof message, format, args);
  va_end (args);
  return ae_error_set (l->error, AE_STATUS_BAD_TOKENIZER, "%s: %s", l->path, message);
}

static AeStatus
unsupported (Loader     *l,
             const char *key,
             const char *type)
{
  return ae_error_set (l->error, AE_STATUS_UNSUPPORTED,
                       "%s: %s \"%s\" is not supported (Attention reads BPE and WordPiece tokenizers with the "
                       "normalizers, pre-tokenizers and post-processors that README.md lists)",
                       l->path, key, type);
}

static AeStatus
no_memory (Loader *l)
{
  return ae_error_set (l->error, AE_STATUS_NO_MEMORY, "%s: out of memory", l->path);
}

static const char *
type_of (json_t *object)
{
  json_t *type = json_object_get (object, "type");

  return json_is_string (type) ? json_string_value (type) : NULL;
}

/* A boolean option with its default when absent or null. */
static bool
flag (json_t     *object,
      const char *key,
      bool        fallback)
{
  json_t *v = json_object_get (object, key);

  return json_is_boolean (v) ? json_is_true (v) : fallback;
}

static char *
dup_len (const char *s,
         size_t      len)
{
  char *copy = malloc (len + 1);

  if (copy != NULL)
    {
      memcpy (copy, s, len);
      copy[len] = '\0';
    }
  return copy;
}

/* A literal string as a PCRE2 pattern: ASCII punctuation escaped. */
static char *
escape_literal (const char *s)
{
  size_t len = strlen (s);
  char *out = malloc (2 * len + 1);
  size_t n = 0;

  if (out == NULL)
    return NULL;
  for (size_t i = 0; i < len; i++)
    {
      unsigned char c = (unsigned char) s[i];

      if (c < 0x80 && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
        out[n++] = '\\';
      out[n++] = (char) c;
    }
  out[n] = '\0';
  return out;
}

/* {"String": "..."} or {"Regex": "..."} as a compiled pattern. */
static AeStatus
compile_pattern (Loader       *l,
                 json_t       *pattern,
                 const char   *where,
                 pcre2_code  **out)
{
  json_t *string = json_object_get (pattern, "String");
  json_t *regex = json_object_get (pattern, "Regex");
  char *escaped;
  AeStatus status;
  char what[256];

  snprintf (what, sizeof what, "%s: %s", l->path, where);
  if (json_is_string (regex))
    return ae_regex_compile (json_string_value (regex), json_string_length (regex), false,
                             out, what, l->error);
  if (!json_is_string (string))
    return bad (l, "%s: \"pattern\" must be {\"String\": ...} or {\"Regex\": ...}", where);
  if ((escaped = escape_literal (json_string_value (string))) == NULL)
    return no_memory (l);
  status = ae_regex_compile (escaped, PCRE2_ZERO_TERMINATED, false, out, what, l->error);
  free (escaped);
  return status;
}

/* ------------------------------------------------------------------------ */
/* model                                                                     */

static AeStatus
parse_merge (Loader     *l,
             json_t     *merge,
             size_t      index,
             int32_t    *a,
             int32_t    *b,
             int32_t    *merged)
{
  const AeVocab *v = &l->tok->vocab;
  const char *left, *right;
  size_t left_len, right_len;
  char small[256];
  char *joined = small;

  if (json_is_string (merge))
    {
      const char *s = json_string_value (merge);
      const char *space = strchr (s, ' ');

      if (space == NULL || space == s || space[1] == '\0' || strchr (space + 1, ' ') != NULL)
        return bad (l, "model.merges[%zu]: expected two tokens separated by one space, got \"%.64s\"",
                    index, s);
      left = s;
      left_len = (size_t) (space - s);
      right = space + 1;
      right_len = strlen (right);
    }
  else if (json_is_array (merge) && json_array_size (merge) == 2
           && json_is_string (json_array_get (merge, 0)) && json_is_string (json_array_get (merge, 1)))
    {
      left = json_string_value (json_array_get (merge, 0));
      left_len = json_string_length (json_array_get (merge, 0));
      right = json_string_value (json_array_get (merge, 1));
      right_len = json_string_length (json_array_get (merge, 1));
    }
  else
    return bad (l, "model.merges[%zu]: expected a string \"a b\" or a pair [\"a\", \"b\"]", index);

  if ((*a = ae_vocab_lookup (v, left, left_len)) < 0)
    return bad (l, "model.merges[%zu]: \"%.*s\" is not in the vocabulary", index, (int) left_len, left);
  if ((*b = ae_vocab_lookup (v, right, right_len)) < 0)
    return bad (l, "model.merges[%zu]: \"%.*s\" is not in the vocabulary", index, (int) right_len, right);
  /* Merged tokens are short: no allocation per merge. */
  if (left_len + right_len > sizeof small && (joined = malloc (left_len + right_len)) == NULL)
    return no_memory (l);
  memcpy (joined, left, left_len);
  memcpy (joined + left_len, right, right_len);
  *merged = ae_vocab_lookup (v, joined, left_len + right_len);
  if (joined != small)
    free (joined);
  if (*merged < 0)
    return bad (l, "model.merges[%zu]: the merged token \"%.*s%.*s\" is not in the vocabulary",
                index, (int) left_len, left, (int) right_len, right);
  return AE_STATUS_OK;
}

static AeStatus
parse_model (Loader *l,
             json_t *model,
             json_t *added)
{
  AeTokenizer *tok = l->tok;
  json_t *vocab = json_object_get (model, "vocab");
  json_t *merges = json_object_get (model, "merges");
  json_t *unk = json_object_get (model, "unk_token");
  const char *type = type_of (model);
  const char *key;
  json_t *value;
  json_int_t max_id = -1;
  size_t text_bytes = 0;
  size_t index;
  AeStatus status;
  /* files without "type" name WordPiece by its own keys */
  bool wordpiece = type != NULL ? strcmp (type, "WordPiece") == 0
                                : merges == NULL && json_object_get (model, "max_input_chars_per_word") != NULL;

  if (!json_is_object (model))
    return bad (l, "\"model\" is missing or not an object");
  if (type != NULL && strcmp (type, "BPE") != 0 && !wordpiece)
    return unsupported (l, "model type", type);
  if (!json_is_object (vocab) || json_object_size (vocab) == 0)
    return bad (l, "model.vocab must be a non-empty object mapping tokens to ids");
  if (wordpiece)
    tok->kind = AE_TOKENIZER_WORDPIECE;
  else if (!json_is_array (merges))
    return bad (l, "model.merges must be an array");
  if (json_object_get (model, "dropout") != NULL && !json_is_null (json_object_get (model, "dropout")))
    return unsupported (l, "model.dropout", "not null");
  for (int i = 0; i < 2 && !wordpiece; i++)
    {
      const char *name = i == 0 ? "continuing_subword_prefix" : "end_of_word_suffix";
      json_t *affix = json_object_get (model, name);

      if (json_is_string (affix) && json_string_length (affix) > 0)
        return unsupported (l, name, json_string_value (affix));
    }

  /* Ids: the model's vocabulary and the added tokens share one space, which
   * may have gaps (the embedding may be larger than both). */
  json_object_foreach (vocab, key, value)
    {
      if (!json_is_integer (value) || json_integer_value (value) < 0
          || json_integer_value (value) >= INT32_MAX)
        return bad (l, "model.vocab: the id of token \"%s\" is not an integer >= 0", key);
      if (json_integer_value (value) > max_id)
        max_id = json_integer_value (value);
      text_bytes += strlen (key) + 1;
    }
  json_array_foreach (added, index, value)
    {
      json_t *id = json_object_get (value, "id");

      if (!json_is_integer (id) || json_integer_value (id) < 0 || json_integer_value (id) >= INT32_MAX
          || !json_is_string (json_object_get (value, "content"))
          || json_string_length (json_object_get (value, "content")) == 0)
        return bad (l, "added_tokens[%zu]: needs an integer \"id\" >= 0 and a non-empty \"content\"",
                    index);
      if (json_integer_value (id) > max_id)
        max_id = json_integer_value (id);
      text_bytes += json_string_length (json_object_get (value, "content")) + 1;
    }

  if ((status = ae_vocab_init (&tok->vocab, (size_t) max_id + 1, text_bytes, l->error)) != AE_STATUS_OK)
    return status;
  json_object_foreach (vocab, key, value)
    {
      int32_t clash;

      status = ae_vocab_add (&tok->vocab, key, strlen (key), (int32_t) json_integer_value (value), &clash);
      if (status == AE_STATUS_NO_MEMORY)
        return no_memory (l);
      if (status != AE_STATUS_OK)
        return bad (l, "model.vocab: tokens \"%s\" and \"%s\" share id %lld",
                    tok->vocab.strings[clash], key, (long long) json_integer_value (value));
    }

  /* Added tokens, usually also in the vocabulary under the same id. */
  if (json_array_size (added) > 0
      && (tok->added.tokens = calloc (json_array_size (added), sizeof *tok->added.tokens)) == NULL)
    return no_memory (l);
  json_array_foreach (added, index, value)
    {
      json_t *content = json_object_get (value, "content");
      int32_t id = (int32_t) json_integer_value (json_object_get (value, "id"));
      int32_t existing = ae_vocab_lookup (&tok->vocab, json_string_value (content),
                                          json_string_length (content));
      AeAddedToken *t = &tok->added.tokens[tok->added.n];

      if (existing >= 0 && existing != id)
        return bad (l, "added_tokens[%zu]: \"%s\" has id %d but model.vocab gives it %d",
                    index, json_string_value (content), id, existing);
      if (existing < 0)
        {
          int32_t clash;

          status = ae_vocab_add (&tok->vocab, json_string_value (content),
                                 json_string_length (content), id, &clash);
          if (status == AE_STATUS_NO_MEMORY)
            return no_memory (l);
          if (status != AE_STATUS_OK)
            return bad (l, "added_tokens[%zu]: \"%s\" has id %d, which \"%s\" already has",
                        index, json_string_value (content), id, tok->vocab.strings[clash]);
        }
      if ((t->content = dup_len (json_string_value (content), json_string_length (content))) == NULL)
        return no_memory (l);
      t->len = json_string_length (content);
      t->id = id;
      t->special = flag (value, "special", false);
      t->lstrip = flag (value, "lstrip", false);
      t->rstrip = flag (value, "rstrip", false);
      t->single_word = flag (value, "single_word", false);
      tok->added.n++;
    }
  if ((status = ae_added_tokens_finish (&tok->added, l->error)) != AE_STATUS_OK)
    return status;
  if (wordpiece)
    return ae_wordpiece_parse_model (tok, model, l->path, l->error);

  if ((status = ae_merges_init (&tok->merges, json_array_size (merges), l->error)) != AE_STATUS_OK)
    return status;
  json_array_foreach (merges, index, value)
    {
      int32_t a = -1, b = -1, merged = -1;

      if ((status = parse_merge (l, value, index, &a, &b, &merged)) != AE_STATUS_OK)
        return status;
      ae_merges_add (&tok->merges, a, b, (uint32_t) index, merged);
    }

  if (json_is_string (unk))
    {
      tok->unk_id = ae_vocab_lookup (&tok->vocab, json_string_value (unk), json_string_length (unk));
      if (tok->unk_id < 0)
        return bad (l, "model.unk_token \"%s\" is not in the vocabulary", json_string_value (unk));
    }
  tok->fuse_unk = flag (model, "fuse_unk", false);
  tok->byte_fallback = flag (model, "byte_fallback", false);
  tok->ignore_merges = flag (model, "ignore_merges", false);

  return AE_STATUS_OK;
}

/* ------------------------------------------------------------------------ */
/* normalizer                                                                */

static AeStatus
add_normalizer (Loader *l,
                json_t *norm)
{
  AeTokenizer *tok = l->tok;
  const char *type = type_of (norm);
  AeNormalizer *n;
  void *grown;

  if (json_is_null (norm) || norm == NULL)
    return AE_STATUS_OK;
  if (type == NULL)
    return bad (l, "normalizer: an object with a \"type\" expected");

  if (strcmp (type, "Sequence") == 0)
    {
      json_t *list = json_object_get (norm, "normalizers");
      json_t *item;
      size_t i;
      AeStatus status;

      if (!json_is_array (list))
        return bad (l, "normalizer: Sequence needs a \"normalizers\" array");
      json_array_foreach (list, i, item)
        if ((status = add_normalizer (l, item)) != AE_STATUS_OK)
          return status;
      return AE_STATUS_OK;
    }
  if (strcmp (type, "BertNormalizer") == 0)
    {
      bool lowercase = flag (norm, "lowercase", true);

      /* strip_accents null: with lowercase, as BERT's tokenizer does */
      l->chinese_chars = flag (norm, "handle_chinese_chars", true);
      return ae_wordpiece_add_normalizers (tok, flag (norm, "clean_text", true),
                                           flag (norm, "strip_accents", lowercase), lowercase,
                                           l->error);
    }

  if ((grown = realloc (tok->normalizers, (tok->n_normalizers + 1) * sizeof *tok->normalizers)) == NULL)
    return no_memory (l);
  tok->normalizers = grown;
  n = &tok->normalizers[tok->n_normalizers];
  memset (n, 0, sizeof *n);

  if (strcmp (type, "NFC") == 0)
    n->kind = AE_NORM_NFC;
  else if (strcmp (type, "NFD") == 0)
    n->kind = AE_NORM_NFD;
  else if (strcmp (type, "NFKC") == 0)
    n->kind = AE_NORM_NFKC;
  else if (strcmp (type, "NFKD") == 0)
    n->kind = AE_NORM_NFKD;
  else if (strcmp (type, "Lowercase") == 0)
    n->kind = AE_NORM_LOWERCASE;
  else if (strcmp (type, "Prepend") == 0)
    {
      json_t *text = json_object_get (norm, "prepend");

      if (!json_is_string (text))
        return bad (l, "normalizer: Prepend needs a \"prepend\" string");
      n->kind = AE_NORM_PREPEND;
      n->content_len = json_string_length (text);
      if ((n->content = dup_len (json_string_value (text), n->content_len)) == NULL)
        return no_memory (l);
    }
  else if (strcmp (type, "Replace") == 0)
    {
      json_t *pattern = json_object_get (norm, "pattern");
      json_t *string = json_object_get (pattern, "String");
      json_t *content = json_object_get (norm, "content");

      if (!json_is_string (content))
        return bad (l, "normalizer: Replace needs a \"content\" string");
      n->kind = AE_NORM_REPLACE;
      n->content_len = json_string_length (content);
      if ((n->content = dup_len (json_string_value (content), n->content_len)) == NULL)
        return no_memory (l);
      tok->n_normalizers++;   /* owned from here on, whatever happens */
      if (json_is_string (string))
        {
          n->pattern_len = json_string_length (string);
          if ((n->pattern = dup_len (json_string_value (string), n->pattern_len)) == NULL)
            return no_memory (l);
          /* Llama 2's Replace(" " -> "▁"): "▁" stands for a space. */
          if (n->pattern_len == 1 && n->pattern[0] == ' ' && n->content_len < sizeof l->metaspace)
            memcpy (l->metaspace, n->content, n->content_len + 1);
          return AE_STATUS_OK;
        }
      return compile_pattern (l, pattern, "normalizer Replace", &n->regex);
    }
  else
    return unsupported (l, "normalizer", type);

  tok->n_normalizers++;
  return AE_STATUS_OK;
}

/* ------------------------------------------------------------------------ */
/* pre_tokenizer                                                             */

static AeStatus
add_split (Loader          *l,
           const char      *regex,
           AeSplitBehavior  behavior,
           bool             invert,
           AePreKind        kind)
{
  AeTokenizer *tok = l->tok;
  AePreTokenizer *p = &tok->pre_tokenizers[tok->n_pre_tokenizers++];
  char what[256];

  p->kind = kind;
  p->behavior = behavior;
  p->invert = invert;
  snprintf (what, sizeof what, "%s: pre_tokenizer", l->path);
  return ae_regex_compile (regex, PCRE2_ZERO_TERMINATED, false, &p->regex, what, l->error);
}

static AeStatus
add_pre_tokenizer (Loader *l,
                   json_t *pre)
{
  AeTokenizer *tok = l->tok;
  const char *type = type_of (pre);
  AePreTokenizer *p;
  void *grown;

  if (json_is_null (pre) || pre == NULL)
    return AE_STATUS_OK;
  if (type == NULL)
    return bad (l, "pre_tokenizer: an object with a \"type\" expected");

  if (strcmp (type, "Sequence") == 0)
    {
      json_t *list = json_object_get (pre, "pretokenizers");
      json_t *item;
      size_t i;
      AeStatus status;

      if (!json_is_array (list))
        return bad (l, "pre_tokenizer: Sequence needs a \"pretokenizers\" array");
      json_array_foreach (list, i, item)
        if ((status = add_pre_tokenizer (l, item)) != AE_STATUS_OK)
          return status;
      return AE_STATUS_OK;
    }
  if (strcmp (type, "BertPreTokenizer") == 0)
    {
      l->bert_pre = true;
      return ae_wordpiece_add_pre_tokenizer (tok, l->chinese_chars, l->error);
    }

  if ((grown = realloc (tok->pre_tokenizers,
                        (tok->n_pre_tokenizers + 1) * sizeof *tok->pre_tokenizers)) == NULL)
    return no_memory (l);
  tok->pre_tokenizers = grown;
  p = &tok->pre_tokenizers[tok->n_pre_tokenizers];
  memset (p, 0, sizeof *p);

  if (strcmp (type, "Split") == 0)
    {
      static const char *const names[] = {
        "Isolated", "Removed", "MergedWithPrevious", "MergedWithNext", "Contiguous",
      };
      json_t *behavior = json_object_get (pre, "behavior");
      AeStatus status;
      size_t b;

      for (b = 0; b < 5; b++)
        if (json_is_string (behavior) && strcmp (json_string_value (behavior), names[b]) == 0)
          break;
      if (b == 5)
        return bad (l, "pre_tokenizer Split: unknown \"behavior\" (expected Isolated, Removed, "
                    "MergedWithPrevious, MergedWithNext or Contiguous)");
      p->kind = AE_PRE_SPLIT;
      p->behavior = (AeSplitBehavior) b;
      p->invert = flag (pre, "invert", false);
      tok->n_pre_tokenizers++;
      status = compile_pattern (l, json_object_get (pre, "pattern"), "pre_tokenizer Split", &p->regex);
      return status;
    }
  if (strcmp (type, "ByteLevel") == 0)
    {
      p->kind = AE_PRE_BYTE_LEVEL;
      p->add_prefix_space = flag (pre, "add_prefix_space", true);
      tok->n_pre_tokenizers++;
      tok->byte_input = true;
      if (!flag (pre, "use_regex", true))
        return AE_STATUS_OK;
      return ae_regex_compile (ae_gpt2_pattern, PCRE2_ZERO_TERMINATED, false, &p->regex,
                               "GPT-2's pre-tokenizer pattern", l->error);
    }
  if (strcmp (type, "Metaspace") == 0)
    {
      json_t *rep = json_object_get (pre, "replacement");
      json_t *scheme = json_object_get (pre, "prepend_scheme");

      if (!json_is_string (rep) || json_string_length (rep) == 0
          || json_string_length (rep) >= sizeof p->replacement)
        return bad (l, "pre_tokenizer Metaspace: \"replacement\" must be one character");
      p->kind = AE_PRE_METASPACE;
      memcpy (p->replacement, json_string_value (rep), json_string_length (rep) + 1);
      p->split = flag (pre, "split", true);
      /* Older files have only add_prefix_space (true: always). */
      if (json_is_string (scheme))
        {
          const char *s = json_string_value (scheme);

          if (strcmp (s, "always") == 0)
            p->prepend_scheme = AE_PREPEND_ALWAYS;
          else if (strcmp (s, "first") == 0)
            p->prepend_scheme = AE_PREPEND_FIRST;
          else if (strcmp (s, "never") == 0)
            p->prepend_scheme = AE_PREPEND_NEVER;
          else
            return bad (l, "pre_tokenizer Metaspace: unknown prepend_scheme \"%s\"", s);
        }
      else
        p->prepend_scheme = flag (pre, "add_prefix_space", true) ? AE_PREPEND_ALWAYS : AE_PREPEND_NEVER;
      tok->n_pre_tokenizers++;
      memcpy (l->metaspace, p->replacement, sizeof l->metaspace);
      return AE_STATUS_OK;
    }
  if (strcmp (type, "Digits") == 0)
    return add_split (l, flag (pre, "individual_digits", false) ? "\\p{N}" : "\\p{N}+",
                      AE_SPLIT_ISOLATED, false, AE_PRE_DIGITS);
  /* Hugging Face's Whitespace keeps \w+ and other non-space runs and drops
   * the spaces; WhitespaceSplit drops the spaces only. */
  if (strcmp (type, "Whitespace") == 0)
    return add_split (l, "\\w+|[^\\w\\s]+", AE_SPLIT_REMOVED, true, AE_PRE_SPLIT);
  if (strcmp (type, "WhitespaceSplit") == 0)
    return add_split (l, "\\s+", AE_SPLIT_REMOVED, false, AE_PRE_SPLIT);

  return unsupported (l, "pre_tokenizer", type);
}

/* BertNormalizer's handle_chinese_chars puts spaces around each CJK
 * ideograph; the engine splits them off in BertPreTokenizer instead, so
 * another pre-tokenizer would silently keep them in words. */
static AeStatus
check_chinese_chars (Loader *l)
{
  if (l->chinese_chars && !l->bert_pre)
    return unsupported (l, "normalizer BertNormalizer with handle_chinese_chars and pre_tokenizer",
                        "not BertPreTokenizer");
  return AE_STATUS_OK;
}

/* ------------------------------------------------------------------------ */
/* post_processor                                                            */

static AeStatus
append_ids (Loader   *l,
            int32_t **ids,
            size_t   *n,
            int32_t   id)
{
  void *grown = realloc (*ids, (*n + 1) * sizeof **ids);

  if (grown == NULL)
    return no_memory (l);
  *ids = grown;
  (*ids)[(*n)++] = id;
  return AE_STATUS_OK;
}

static AeStatus
check_id (Loader     *l,
          json_int_t  id,
          const char *where)
{
  if (id < 0 || (size_t) id >= l->tok->vocab.n_ids || l->tok->vocab.strings[id] == NULL)
    return bad (l, "%s: token id %lld is not in the vocabulary", where, (long long) id);
  return AE_STATUS_OK;
}

/* TemplateProcessing's "single": special tokens before and after "A". */
static AeStatus
parse_template (Loader *l,
                json_t *post)
{
  AeTokenizer *tok = l->tok;
  json_t *single = json_object_get (post, "single");
  json_t *specials = json_object_get (post, "special_tokens");
  json_t *item;
  bool after = false;
  size_t i;
  AeStatus status;

  if (!json_is_array (single))
    return bad (l, "post_processor TemplateProcessing: \"single\" must be an array");
  json_array_foreach (single, i, item)
    {
      json_t *special = json_object_get (item, "SpecialToken");
      json_t *name = json_object_get (special, "id");
      json_t *entry, *ids, *id;
      size_t k;

      if (json_object_get (item, "Sequence") != NULL)
        {
          after = true;
          continue;
        }
      if (!json_is_string (name))
        return bad (l, "post_processor: single[%zu] must be a SpecialToken or a Sequence", i);
      entry = json_object_get (specials, json_string_value (name));
      ids = json_object_get (entry, "ids");
      if (!json_is_array (ids))
        return bad (l, "post_processor: special_tokens has no \"ids\" for \"%s\"",
                    json_string_value (name));
      json_array_foreach (ids, k, id)
        {
          if (!json_is_integer (id))
            return bad (l, "post_processor: special_tokens[\"%s\"].ids must be integers",
                        json_string_value (name));
          if ((status = check_id (l, json_integer_value (id), "post_processor")) != AE_STATUS_OK
              || (status = append_ids (l, after ? &tok->suffix_ids : &tok->prefix_ids,
                                       after ? &tok->n_suffix : &tok->n_prefix,
                                       (int32_t) json_integer_value (id))) != AE_STATUS_OK)
            return status;
        }
    }
  tok->has_template = true;
  return AE_STATUS_OK;
}

/* RobertaProcessing / BertProcessing: "cls" before, "sep" after, each given
 * as ["<s>", 0]. */
static AeStatus
parse_cls_sep (Loader *l,
               json_t *post)
{
  AeTokenizer *tok = l->tok;
  json_t *cls = json_array_get (json_object_get (post, "cls"), 1);
  json_t *sep = json_array_get (json_object_get (post, "sep"), 1);
  AeStatus status;

  if (!json_is_integer (cls) || !json_is_integer (sep))
    return bad (l, "post_processor: \"cls\" and \"sep\" must be [token, id] pairs");
  if ((status = check_id (l, json_integer_value (cls), "post_processor cls")) != AE_STATUS_OK
      || (status = check_id (l, json_integer_value (sep), "post_processor sep")) != AE_STATUS_OK
      || (status = append_ids (l, &tok->prefix_ids, &tok->n_prefix,
                               (int32_t) json_integer_value (cls))) != AE_STATUS_OK
      || (status = append_ids (l, &tok->suffix_ids, &tok->n_suffix,
                               (int32_t) json_integer_value (sep))) != AE_STATUS_OK)
    return status;
  tok->has_template = true;
  /* pairs: BERT's [CLS] A [SEP] B [SEP] with B of type 1; RoBERTa's
   * <s> A </s></s> B </s>, all type 0 */
  tok->pair_sep_id = (int32_t) json_integer_value (sep);
  tok->n_pair_middle = strcmp (type_of (post), "RobertaProcessing") == 0 ? 2 : 1;
  tok->pair_b_type = tok->n_pair_middle == 1;
  return AE_STATUS_OK;
}

/* TemplateProcessing's "pair" when it is the single template with the same
 * special token (one or more times) between $A and $B: how many, which,
 * and B's type id.  Any other pair template leaves pairs off. */
static void
parse_pair_template (AeTokenizer *tok,
                     json_t      *post)
{
  json_t *pair = json_object_get (post, "pair");
  json_t *specials = json_object_get (post, "special_tokens");
  json_t *item;
  size_t i, middle = 0, after = 0;
  int part = 0;   /* 0 before $A, 1 between $A and $B, 2 after $B */
  int32_t sep = -1;
  json_int_t b_type = 0;

  if (!json_is_array (pair))
    return;
  json_array_foreach (pair, i, item)
    {
      json_t *seq = json_object_get (item, "Sequence");
      json_t *special = json_object_get (item, "SpecialToken");

      if (seq != NULL)
        {
          const char *which = json_string_value (json_object_get (seq, "id"));

          if (which == NULL || (part == 0 && strcmp (which, "A") != 0) ||
              (part == 1 && strcmp (which, "B") != 0) || part == 2)
            return;
          if (part == 1)
            b_type = json_integer_value (json_object_get (seq, "type_id"));
          part++;
        }
      else if (part == 1)
        {
          json_t *ids = json_object_get (json_object_get (specials, json_string_value (
            json_object_get (special, "id"))), "ids");
          int32_t id = (int32_t) json_integer_value (json_array_get (ids, 0));

          /* A's closing separator is of A's type (BERT's, RoBERTa's) */
          if (json_array_size (ids) != 1 || (sep >= 0 && id != sep) ||
              (middle == 0 && json_integer_value (json_object_get (special, "type_id")) != 0))
            return;
          sep = id;
          middle++;
        }
      else if (part == 2)
        after++;
    }
  /* after B, the single template's closing tokens */
  if (part != 2 || middle == 0 || b_type < 0 || b_type > 1 || after != tok->n_suffix)
    return;
  tok->pair_sep_id = sep;
  tok->n_pair_middle = middle;
  tok->pair_b_type = (int32_t) b_type;
}

static AeStatus
parse_post_processor (Loader *l,
                      json_t *post)
{
  const char *type = type_of (post);

  if (post == NULL || json_is_null (post))
    return AE_STATUS_OK;
  if (type == NULL)
    return bad (l, "post_processor: an object with a \"type\" expected");

  if (strcmp (type, "Sequence") == 0)
    {
      json_t *list = json_object_get (post, "processors");
      json_t *item;
      size_t i;
      AeStatus status;

      if (!json_is_array (list))
        return bad (l, "post_processor: Sequence needs a \"processors\" array");
      json_array_foreach (list, i, item)
        if ((status = parse_post_processor (l, item)) != AE_STATUS_OK)
          return status;
      return AE_STATUS_OK;
    }
  /* ByteLevel's post-processor only trims offsets; ours keep the space in
   * the token's span so that spans tile the text. */
  if (strcmp (type, "ByteLevel") == 0)
    return AE_STATUS_OK;
  if (strcmp (type, "TemplateProcessing") == 0)
    {
      AeStatus status = parse_template (l, post);

      if (status == AE_STATUS_OK)
        parse_pair_template (l->tok, post);
      return status;
    }
  if (strcmp (type, "RobertaProcessing") == 0 || strcmp (type, "BertProcessing") == 0)
    return parse_cls_sep (l, post);
  return unsupported (l, "post_processor", type);
}

/* ------------------------------------------------------------------------ */

static int32_t
lookup_name (const AeTokenizer *tok,
             const char        *name)
{
  return name != NULL ? ae_vocab_lookup (&tok->vocab, name, strlen (name)) : -1;
}

/* BOS/EOS: the template decides when there is one; otherwise
 * tokenizer_config.json's add_bos_token/add_eos_token. */
static AeStatus
apply_config (Loader     *l,
              const char *config_path)
{
  AeTokenizer *tok = l->tok;
  AeTokenizerConfig config;
  AeStatus status;

  if ((status = ae_tokenizer_config_load (&config, config_path, l->error)) != AE_STATUS_OK)
    return status;

  tok->bos_id = lookup_name (tok, config.bos);
  tok->eos_id = lookup_name (tok, config.eos);
  if (tok->bos_id < 0 && tok->n_prefix > 0)
    tok->bos_id = tok->prefix_ids[0];

  if (!tok->has_template)
    {
      if (config.add_bos && tok->bos_id < 0)
        status = ae_error_set (l->error, AE_STATUS_BAD_TOKENIZER,
                               "%s: add_bos_token is true but the BOS token \"%s\" is not in the vocabulary",
                               config_path, config.bos != NULL ? config.bos : "(none)");
      else if (config.add_eos && tok->eos_id < 0)
        status = ae_error_set (l->error, AE_STATUS_BAD_TOKENIZER,
                               "%s: add_eos_token is true but the EOS token \"%s\" is not in the vocabulary",
                               config_path, config.eos != NULL ? config.eos : "(none)");
      else if (config.add_bos)
        status = append_ids (l, &tok->prefix_ids, &tok->n_prefix, tok->bos_id);
      if (status == AE_STATUS_OK && config.add_eos)
        status = append_ids (l, &tok->suffix_ids, &tok->n_suffix, tok->eos_id);
    }

  ae_tokenizer_config_clear (&config);
  return status;
}

AeStatus
ae_tokenizer_load_json_file (AeTokenizer **out,
                             const char   *json_path,
                             const char   *config_path,
                             AeError      *error)
{
  Loader l = { NULL, json_path, error, "" };
  json_t *root = NULL;
  json_t *added;
  AeStatus status;

  *out = NULL;
  if ((status = ae_tok_load_json (json_path, false, 0, &root, error)) != AE_STATUS_OK)
    return status;
  if (!json_is_object (root))
    {
      json_decref (root);
      return ae_error_set (error, AE_STATUS_BAD_TOKENIZER, "%s: expected a JSON object", json_path);
    }

  if ((l.tok = ae_tokenizer_new (AE_TOKENIZER_SENTENCEPIECE_BPE)) == NULL)
    status = no_memory (&l);

  added = json_object_get (root, "added_tokens");
  if (status == AE_STATUS_OK && added != NULL && !json_is_array (added))
    status = bad (&l, "\"added_tokens\" must be an array");

  if (status == AE_STATUS_OK
      && (status = parse_model (&l, json_object_get (root, "model"), added)) == AE_STATUS_OK
      && (status = add_normalizer (&l, json_object_get (root, "normalizer"))) == AE_STATUS_OK
      && (status = add_pre_tokenizer (&l, json_object_get (root, "pre_tokenizer"))) == AE_STATUS_OK
      && (status = check_chinese_chars (&l)) == AE_STATUS_OK
      && (status = parse_post_processor (&l, json_object_get (root, "post_processor"))) == AE_STATUS_OK
      && (status = apply_config (&l, config_path)) == AE_STATUS_OK)
    {
      if (l.tok->byte_input)
        l.tok->kind = AE_TOKENIZER_BYTE_LEVEL_BPE;
      status = ae_tokenizer_decode_vocab (l.tok, l.tok->byte_input || l.metaspace[0] == '\0' ? NULL : l.metaspace, error);
    }

  json_decref (root);
  if (status != AE_STATUS_OK)
    {
      ae_tokenizer_free (l.tok);
      return status;
    }
  *out = l.tok;
  return AE_STATUS_OK;
}
