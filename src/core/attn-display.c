/* attn-display.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-display"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "attn-display.h"
#include "attn-pair.h"
#include "attn-result-vectors.h"

void
attn_display_init (AttnDisplay *display)
{
  g_return_if_fail (display != NULL);

  memset (display, 0, sizeof *display);
}

gboolean
attn_display_is_identity (const AttnDisplay *display)
{
  return display == NULL || (display->n_hidden == 0 && !display->row_max && display->pairs == ATTN_PAIR_FILTER_ALL);
}

gboolean
attn_display_hides (const AttnDisplay *display,
                    guint              token)
{
  if (display == NULL)
    return FALSE;

  for (guint i = 0; i < MIN (display->n_hidden, ATTN_DISPLAY_MAX_HIDDEN); i++)
    if (display->hidden[i] == (int) token)
      return TRUE;
  return FALSE;
}

gboolean
attn_display_set_hidden (AttnDisplay *display,
                         guint        token,
                         gboolean     hidden)
{
  g_return_val_if_fail (display != NULL, FALSE);

  if (hidden == attn_display_hides (display, token))
    return TRUE;

  if (hidden)
    {
      if (display->n_hidden >= ATTN_DISPLAY_MAX_HIDDEN)
        return FALSE;
      display->hidden[display->n_hidden++] = (int) token;
      return TRUE;
    }

  for (guint i = 0; i < display->n_hidden; i++)
    if (display->hidden[i] == (int) token)
      {
        memmove (display->hidden + i, display->hidden + i + 1,
                 (display->n_hidden - i - 1) * sizeof display->hidden[0]);
        display->n_hidden--;
        break;
      }
  return TRUE;
}

static void display_query_row (const AttnDisplay *display,
                               AttnResult        *result,
                               const float       *w,
                               guint              n_tokens,
                               guint              query,
                               guint              n_seen,
                               float             *out);

/* The row as shown when @query sees keys [0, n_seen); @result (may be
 * NULL) for the sentence-pair filter. */
static void
display_row (const AttnDisplay *display,
             AttnResult        *result,
             const float       *weights,
             guint              n_tokens,
             guint              query,
             guint              n_seen,
             float             *out)
{
  display_query_row (display, result, weights + (gsize) query * n_tokens, n_tokens, query, n_seen, out);
}

void
attn_display_query_row (const AttnDisplay *display,
                        const float       *w,
                        guint              n_tokens,
                        guint              query,
                        guint              n_seen,
                        float             *out)
{
  display_query_row (display, NULL, w, n_tokens, query, n_seen, out);
}

/* The row as shown from the query's own weights @w; @result (may be NULL)
 * for the sentence-pair filter. */
static void
display_query_row (const AttnDisplay *display,
                   AttnResult        *result,
                   const float       *w,
                   guint              n_tokens,
                   guint              query,
                   guint              n_seen,
                   float             *out)
{
  AttnPairFilter pairs = display != NULL && result != NULL ? (AttnPairFilter) display->pairs : ATTN_PAIR_FILTER_ALL;
  double total = 0, kept = 0, top = 0;

  for (guint k = 0; k < n_tokens; k++)
    out[k] = -1;

  if (attn_display_hides (display, query))
    return;

  for (guint k = 0; k < n_seen; k++)
    {
      total += w[k];
      if (!attn_display_hides (display, k))
        kept += w[k];
    }
  /* Nothing left to spread (only hidden keys had weight): nothing shown. */
  if (!(kept > 0))
    return;

  for (guint k = 0; k < n_seen; k++)
    if (!attn_display_hides (display, k))
      {
        /* Hidden keys' weight is given to the rest in proportion, so a
         * row still sums to what it did (1 for a softmax row). */
        double v = display != NULL && display->n_hidden > 0 ? w[k] * total / kept : w[k];

        /* A pair's filter shows the true weights of the links it keeps
         * (BertViz's sentence-pair selector slices the matrix), nothing
         * renormalised over the sentence. */
        if (pairs != ATTN_PAIR_FILTER_ALL && !attn_pair_filter_keeps (pairs, result, query, k))
          continue;
        out[k] = (float) v;
        top = MAX (top, v);
      }

  if (display != NULL && display->row_max && top > 0)
    for (guint k = 0; k < n_seen; k++)
      if (out[k] >= 0)
        out[k] = (float) (out[k] / top);
}

void
attn_display_row (const AttnDisplay *display,
                  const float       *weights,
                  guint              n_tokens,
                  guint              query,
                  float             *out)
{
  display_row (display, NULL, weights, n_tokens, query, MIN (query + 1, n_tokens), out);
}

void
attn_display_result_row (const AttnDisplay *display,
                         AttnResult        *result,
                         const float       *weights,
                         guint              query,
                         float             *out)
{
  display_row (display, result, weights, attn_result_get_n_tokens (result), query,
               attn_result_get_n_keys_seen (result, query), out);
}

char *
attn_display_describe (const AttnDisplay *display,
                       AttnScale          scale,
                       AttnResult        *result)
{
  g_autoptr(GString) s = g_string_new (NULL);

  if (display != NULL && display->n_hidden > 0)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < display->n_hidden; i++)
        {
          g_autofree char *label = NULL;

          if (result != NULL && (guint) display->hidden[i] < attn_result_get_n_tokens (result))
            label = attn_render_dup_token_label (attn_result_get_token_text (result, display->hidden[i]));
          else
            label = g_strdup_printf ("%d", display->hidden[i]);
          g_string_append_printf (names, "%s“%s”", i > 0 ? ", " : "", label);
        }
      /* Translators: tokens left out of a map, e.g. “<|endoftext|>” hidden, rows renormalised */
      g_string_append_printf (s, _("%s hidden, rows renormalised"), names->str);
    }

  if (display != NULL && display->row_max)
    g_string_append_printf (s, "%s%s", s->len ? " · " : "", _("rows scaled to their maximum"));

  if (display != NULL && attn_pair_filter_describe (display->pairs) != NULL)
    g_string_append_printf (s, "%s%s", s->len ? " · " : "", attn_pair_filter_describe (display->pairs));

  if (scale == ATTN_SCALE_SQRT)
    g_string_append_printf (s, "%s%s", s->len ? " · " : "", _("square-root scale"));
  else if (scale == ATTN_SCALE_LOG)
    g_string_append_printf (s, "%s%s", s->len ? " · " : "", _("log scale"));

  if (s->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&s), FALSE);
}

char *
attn_display_dup_key (const AttnDisplay *display)
{
  GString *s = g_string_new (NULL);

  if (display != NULL)
    {
      g_string_append_printf (s, "%c%d", display->row_max ? 'm' : '-', display->pairs);
      for (guint i = 0; i < display->n_hidden; i++)
        g_string_append_printf (s, ",%d", display->hidden[i]);
    }
  return g_string_free (s, FALSE);
}
