/* ae-added-tokens.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Added and special tokens ("<|begin_of_text|>", "<s>", "<think>") are found
 * in the text before anything else runs, as Hugging Face's tokenizers does:
 * the leftmost match wins, and of those starting at the same byte the
 * longest.  Each becomes its own token; the text between them is normalized
 * and pre-tokenized on its own.  "lstrip"/"rstrip" let a token swallow the
 * whitespace beside it; "single_word" refuses a match inside a word.
 *
 * Tokens are bucketed by their first byte, so finding the next one costs a
 * memcmp against the few tokens that start with the byte at hand.
 */

#include <stdlib.h>
#include <string.h>

#include "ae-tokenizer-private.h"

static int
compare_tokens (const void *pa,
                const void *pb)
{
  const AeAddedToken *a = pa;
  const AeAddedToken *b = pb;
  unsigned char fa = (unsigned char) a->content[0];
  unsigned char fb = (unsigned char) b->content[0];

  if (fa != fb)
    return fa < fb ? -1 : 1;
  if (a->len != b->len)
    return a->len > b->len ? -1 : 1;   /* longest first */
  return a->id < b->id ? -1 : a->id > b->id;
}

AeStatus
ae_added_tokens_finish (AeAddedTokens *added,
                        AeError       *error)
{
  bool single_word = false;
  size_t i = 0;

  if (added->n > 0)
    qsort (added->tokens, added->n, sizeof *added->tokens, compare_tokens);
  for (int b = 0; b < 256; b++)
    {
      added->first[b] = i;
      while (i < added->n && (unsigned char) added->tokens[i].content[0] == b)
        i++;
    }
  added->first[256] = added->n;

  for (size_t k = 0; k < added->n; k++)
    single_word |= added->tokens[k].single_word;
  if (single_word)
    return ae_regex_compile ("[\\p{L}\\p{N}_]", PCRE2_ZERO_TERMINATED, false,
                             &added->word_char, "single_word", error);
  return AE_STATUS_OK;
}

static bool
is_space (unsigned char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Whether the character that ends at @end (or starts at @at) is a word
 * character, for single_word. */
static bool
word_char_at (const AeAddedTokens *added,
              const char          *text,
              size_t               at,
              size_t               len)
{
  pcre2_match_data *match;
  int rc;

  if (at >= len)
    return false;
  if ((match = pcre2_match_data_create (1, NULL)) == NULL)
    return false;
  rc = pcre2_match (added->word_char, (PCRE2_SPTR) text, len, at,
                    PCRE2_ANCHORED | PCRE2_NO_UTF_CHECK, match, NULL);
  pcre2_match_data_free (match);
  return rc >= 0;
}

static size_t
char_before (const char *text,
             size_t      at)
{
  do
    at--;
  while (at > 0 && ((unsigned char) text[at] & 0xC0) == 0x80);
  return at;
}

const AeAddedToken *
ae_added_tokens_find (const AeAddedTokens *added,
                      const char          *text,
                      size_t               from,
                      size_t               len,
                      size_t              *start,
                      size_t              *end)
{
  if (added->n == 0)
    return NULL;

  for (size_t at = from; at < len; at++)
    {
      unsigned char b = (unsigned char) text[at];

      for (size_t k = added->first[b]; k < added->first[b + 1]; k++)
        {
          const AeAddedToken *t = &added->tokens[k];
          size_t s = at, e = at + t->len;

          if (t->len > len - at || memcmp (text + at, t->content, t->len) != 0)
            continue;
          if (t->single_word
              && ((at > 0 && word_char_at (added, text, char_before (text, at), len))
                  || word_char_at (added, text, e, len)))
            continue;
          if (t->lstrip)
            while (s > from && is_space ((unsigned char) text[s - 1]))
              s--;
          if (t->rstrip)
            while (e < len && is_space ((unsigned char) text[e]))
              e++;
          *start = s;
          *end = e;
          return t;
        }
    }
  return NULL;
}

void
ae_added_tokens_clear (AeAddedTokens *added)
{
  for (size_t i = 0; i < added->n; i++)
    free (added->tokens[i].content);
  free (added->tokens);
  pcre2_code_free (added->word_char);
  memset (added, 0, sizeof *added);
}
