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

  if (i == 0 || text[0] == '\0' || g_unichar_isspace (g_utf8_get_char (text)))
    return FALSE;

  /* Special tokens (no span in the text) stand alone, and so does what
   * follows them. */
  attn_result_get_token_span (result, i, &start, &end);
  attn_result_get_token_span (result, i - 1, &prev_start, &prev_end);
  if (start == end || prev_start == prev_end)
    return FALSE;

  /* WordPiece drops the spaces between words ("the" "cat", no leading
   * space in either): only a piece that starts where the one before it
   * ends ("play" "##ing") continues a word. */
  if (start != prev_end)
    return FALSE;

  /* A piece after white space ("\n" then "The") starts a word too. */
  {
    const char *prev = attn_result_get_token_text (result, i - 1);
    gsize len = strlen (prev);

    return len > 0 && !g_unichar_isspace (g_utf8_get_char (g_utf8_find_prev_char (prev, prev + len)));
  }
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
    {
      if (i == 0 || !attn_words_token_continues (result, i))
        {
          g_array_append_val (first, i);
          g_ptr_array_add (texts, g_strdup (attn_result_get_token_text (result, i)));
        }
      else
        {
          char **last = (char **) &g_ptr_array_index (texts, texts->len - 1);
          char *joined = g_strconcat (*last, attn_result_get_token_text (result, i), NULL);

          g_free (*last);
          *last = joined;
        }
    }

  words = g_new0 (AttnWords, 1);
  words->n_words = first->len;
  words->n_tokens = T;
  g_array_append_val (first, T);
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
attn_words_merge (const AttnWords *words,
                  const float     *weights,
                  float           *out)
{
  guint W, T;

  g_return_if_fail (words != NULL && weights != NULL && out != NULL);

  W = words->n_words;
  T = words->n_tokens;
  for (guint a = 0; a < W; a++)
    for (guint b = 0; b < W; b++)
      {
        double sum = 0;

        /* Sum over the key word's pieces, mean over the query word's. */
        for (guint i = words->first[a]; i < words->first[a + 1]; i++)
          for (guint j = words->first[b]; j < words->first[b + 1]; j++)
            sum += weights[(gsize) i * T + j];
        out[(gsize) a * W + b] = (float) (sum / (words->first[a + 1] - words->first[a]));
      }
}
