/* attn-words.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-words"

#include "config.h"

#include <string.h>

#include "attn-words.h"

gboolean
attn_words_token_continues (AttnResult *result,
                            guint       i)
{
  const char *text = attn_result_get_token_text (result, i);
  gsize start, end, prev_start, prev_end;

  if (i == 0 || i >= attn_result_get_n_tokens (result))
    return FALSE;

  /* The rule, family by family, is in attn-words.h. */
  switch (attn_result_get_piece_kind (result, i))
    {
    case ATTN_PIECE_SPECIAL:
    case ATTN_PIECE_WORD_START:
      return FALSE;
    case ATTN_PIECE_CONTINUATION:
      return attn_result_get_piece_kind (result, i - 1) != ATTN_PIECE_SPECIAL;
    case ATTN_PIECE_PLAIN:
    default:
      break;
    }
  if (attn_result_get_piece_kind (result, i - 1) == ATTN_PIECE_SPECIAL)
    return FALSE;
  if (text[0] == '\0' || g_unichar_isspace (g_utf8_get_char (text)))
    return FALSE;

  /* A token with no span in the text (an inserted "▁") stands alone, and
   * so does what follows it; so does a piece after a gap in the text. */
  attn_result_get_token_span (result, i, &start, &end);
  attn_result_get_token_span (result, i - 1, &prev_start, &prev_end);
  if (start == end || prev_start == prev_end || start != prev_end)
    return FALSE;

  /* A piece after white space ("\n" then "The") starts a word too, but a
   * lone space (small vocabularies: " " then "d" "i" "d") is the start of
   * the word after it. */
  {
    const char *prev = attn_result_get_token_text (result, i - 1);
    gsize len = strlen (prev);

    if (len > 0 && strspn (prev, " ") == len)
      return TRUE;
    return len > 0 && !g_unichar_isspace (g_utf8_get_char (g_utf8_find_prev_char (prev, prev + len)));
  }
}

/* The text of word [first, end): the pieces' texts joined, or, when a
 * piece holds only some bytes of a character (byte-level BPE splits "日"
 * in three, each reading "日"), the text the pieces cover. */
static char *
dup_word_text (AttnResult *result,
               guint       first,
               guint       end)
{
  GString *joined = g_string_new (NULL);
  gsize start, stop;

  for (guint i = first; i < end; i++)
    {
      if (attn_result_get_token_part (result, i, NULL, NULL, NULL))
        {
          attn_result_get_token_span (result, first, &start, NULL);
          attn_result_get_token_span (result, end - 1, NULL, &stop);
          if (stop > start && stop <= strlen (attn_result_get_text (result))
              && g_utf8_validate_len (attn_result_get_text (result) + start, stop - start, NULL))
            {
              g_string_free (joined, TRUE);
              return g_strndup (attn_result_get_text (result) + start, stop - start);
            }
        }
      g_string_append (joined, attn_result_get_token_text (result, i));
    }

  return g_string_free (joined, FALSE);
}

AttnWords *
attn_words_new (AttnResult *result)
{
  guint T;
  AttnWords *words;
  GArray *first;
  GPtrArray *texts;

  g_return_val_if_fail (result != NULL, NULL);

  T = attn_result_get_n_tokens (result);
  first = g_array_new (FALSE, FALSE, sizeof (guint));
  texts = g_ptr_array_new ();

  for (guint i = 0; i < T; i++)
    if (i == 0 || !attn_words_token_continues (result, i))
      g_array_append_val (first, i);
  g_array_append_val (first, T);
  for (guint w = 0; w + 1 < first->len; w++)
    g_ptr_array_add (texts, dup_word_text (result, g_array_index (first, guint, w),
                                           g_array_index (first, guint, w + 1)));

  words = g_new0 (AttnWords, 1);
  words->n_words = first->len - 1;
  words->n_tokens = T;
  words->first = (guint *) g_array_free (first, FALSE);
  g_ptr_array_add (texts, NULL);
  words->texts = (char **) g_ptr_array_free (texts, FALSE);
  return words;
}

void
attn_words_free (AttnWords *words)
{
  if (words == NULL)
    return;

  g_free (words->first);
  g_strfreev (words->texts);
  g_free (words);
}

void
attn_words_merge_rows (const AttnWords *words,
                       const float     *rows,
                       gsize            ld,
                       guint            a0,
                       guint            a1,
                       float           *out)
{
  guint W, r0;

  g_return_if_fail (words != NULL && rows != NULL && out != NULL);
  g_return_if_fail (a0 <= a1 && a1 <= words->n_words && ld >= words->n_tokens);

  W = words->n_words;
  r0 = words->first[a0];
  for (guint a = a0; a < a1; a++)
    for (guint b = 0; b < W; b++)
      {
        double sum = 0;

        /* Sum over the key word's pieces, mean over the query word's. */
        for (guint i = words->first[a]; i < words->first[a + 1]; i++)
          for (guint j = words->first[b]; j < words->first[b + 1]; j++)
            sum += rows[(gsize) (i - r0) * ld + j];
        out[(gsize) (a - a0) * W + b] = (float) (sum / (words->first[a + 1] - words->first[a]));
      }
}

void
attn_words_merge (const AttnWords *words,
                  const float     *weights,
                  float           *out)
{
  g_return_if_fail (words != NULL);

  attn_words_merge_rows (words, weights, MAX (words->n_tokens, 1), 0, words->n_words, out);
}

guint
attn_words_find (const AttnWords *words,
                 guint            token)
{
  guint lo = 0, hi;

  g_return_val_if_fail (words != NULL && words->n_words > 0, 0);

  /* The last word whose first token is at or before @token. */
  hi = words->n_words;
  token = MIN (token, words->n_tokens - 1);
  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;

      if (words->first[mid] <= token)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}
