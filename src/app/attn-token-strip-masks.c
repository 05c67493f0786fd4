/* attn-token-strip-masks.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a masked-LM encoder puts in each [MASK] / <mask> (issue 15), in the
 * token strip itself: under the mask's pill a small column of its likeliest
 * words, each with its probability as a number and as a faint bar behind
 * it, in the text's colour so it reads in light and dark styles.  The same
 * words go into the mask's tooltip and the strip's accessible name and
 * description (attn-token-strip-text.c).
 *
 * Every line leaves room for the column while the text has a mask: the
 * strip keeps one line height, so finding the token under the pointer and
 * the lines in view stays arithmetic at thousands of tokens.  A mask is
 * typed on purpose, in a sentence or two, so the room costs little.
 */

#define G_LOG_DOMAIN "attn-token-strip"

#include "config.h"

#include "attn-masked.h"
#include "attn-next-tokens.h"
#include "attn-predictions.h"
#include "attn-render.h"
#include "attn-token-strip-private.h"
#include "attn-words.h"

/* Rows of the column, the gap above it and between two masks' columns. */
#define N_SHOWN   3
#define MASK_GAP  3
#define COLUMN_GAP 6

typedef struct
{
  guint index;   /* the token shown (a word while words are merged) */
  guint mask;    /* the mask's number in the model's tokens */
} StripMask;

/* The run whose masks these are: the model's tokens, also while the strip
 * shows words (a merged result keeps no predictions of its own). */
static AttnResult *
tokens_result (AttnTokenStrip *self)
{
  AttnResult *result = _attn_token_strip_get_result (self);

  return result != NULL && attn_result_get_words (result) != NULL ? attn_result_get_pieces (result) : result;
}

/* The shown token that holds token @position of the model. */
static guint
shown_index (AttnResult *result,
             guint       position)
{
  const AttnWords *words = attn_result_get_words (result);
  guint lo = 0, hi;

  if (words == NULL)
    return position;
  /* the word w with first[w] <= position < first[w + 1] */
  hi = attn_result_get_n_tokens (result);
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (words->first[mid] <= position)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

void
_attn_token_strip_update_masks (AttnTokenStrip *self)
{
  AttnResult *result = _attn_token_strip_get_result (self);
  AttnResult *tokens = tokens_result (self);
  guint n = tokens != NULL ? attn_result_get_n_masks (tokens) : 0;

  g_clear_pointer (&self->masks, g_array_unref);
  if (n == 0)
    return;
  self->masks = g_array_sized_new (FALSE, FALSE, sizeof (StripMask), n);
  for (guint m = 0; m < n; m++)
    {
      StripMask mask = { shown_index (result, attn_result_get_mask_position (tokens, m)), m };

      if (mask.index < self->lines.n)
        g_array_append_val (self->masks, mask);
    }
}

/* The small font of the column: the widget's, a step smaller. */
static PangoAttrList *
small_attrs_new (void)
{
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  return attrs;
}

static PangoLayout *
small_layout_new (AttnTokenStrip *self,
                  const char     *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  g_autoptr(PangoAttrList) attrs = small_attrs_new ();

  pango_layout_set_attributes (layout, attrs);
  return layout;
}

void
_attn_token_strip_measure_masks (AttnTokenStrip *self)
{
  g_autoptr(PangoLayout) layout = small_layout_new (self, "Ag");
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  self->mask_row_h = height + 2;
}

int
_attn_token_strip_masks_height (AttnTokenStrip *self)
{
  return self->masks != NULL && self->masks->len > 0 ? MASK_GAP + N_SHOWN * self->mask_row_h : 0;
}

/* The mask shown at token @index, or NULL. */
static const StripMask *
mask_at (AttnTokenStrip *self,
         guint           index)
{
  for (guint i = 0; self->masks != NULL && i < self->masks->len; i++)
    if (g_array_index (self->masks, StripMask, i).index == index)
      return &g_array_index (self->masks, StripMask, i);
  return NULL;
}

const GArray *
_attn_token_strip_mask_predictions (AttnTokenStrip *self,
                                    guint           index)
{
  const StripMask *mask = mask_at (self, index);
  AttnResult *tokens = tokens_result (self);

  if (mask == NULL || tokens == NULL || mask->mask >= attn_result_get_n_masks (tokens))
    return NULL;
  return attn_result_get_mask_predictions (tokens, mask->mask);
}

char *
_attn_token_strip_dup_mask_words (AttnTokenStrip *self,
                                  guint           index,
                                  guint           n)
{
  return _attn_dup_predicted_words (_attn_token_strip_mask_predictions (self, index), n);
}

/* A row's word and percentage as drawn. */
static void
row_texts (const AttnPrediction  *p,
           char                 **word,
           char                 **percent)
{
  *word = attn_render_dup_token_label (p->token);
  *percent = g_strdup_printf ("%.0f %%", 100 * p->probability);
}

/* How wide the column under token @index may be: to the next mask's pill
 * on the same line, else to the strip's edge; at least the pill's width. */
static double
column_width (AttnTokenStrip        *self,
              guint                  index,
              const graphene_rect_t *pill,
              double                 natural)
{
  double room = gtk_widget_get_width (GTK_WIDGET (self)) - pill->origin.x;
  guint line = _attn_token_lines_line_of (&self->lines, index);

  for (guint i = 0; self->masks != NULL && i < self->masks->len; i++)
    {
      guint next = g_array_index (self->masks, StripMask, i).index;

      if (next > index && _attn_token_lines_line_of (&self->lines, next) == line)
        {
          room = MIN (room, self->lines.x[next] - COLUMN_GAP - pill->origin.x);
          break;
        }
    }
  return MAX (pill->size.width, MIN (natural, room));
}

void
_attn_token_strip_draw_mask (AttnTokenStrip        *self,
                             GtkSnapshot           *snapshot,
                             guint                  index,
                             const graphene_rect_t *pill,
                             const GdkRGBA         *fg)
{
  const GArray *top = _attn_token_strip_mask_predictions (self, index);
  guint n = top != NULL ? MIN (top->len, N_SHOWN) : 0;
  PangoLayout *words[N_SHOWN] = { NULL }, *percents[N_SHOWN] = { NULL };
  int word_w[N_SHOWN] = { 0 }, percent_w[N_SHOWN] = { 0 };
  double natural = 0, width, y = pill->origin.y + pill->size.height + MASK_GAP;
  int pad = ATTN_TOKEN_PAD_X / 2;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *word = NULL, *percent = NULL;

      row_texts (&g_array_index (top, AttnPrediction, i), &word, &percent);
      words[i] = small_layout_new (self, word);
      percents[i] = small_layout_new (self, percent);
      pango_layout_set_ellipsize (words[i], PANGO_ELLIPSIZE_END);
      pango_layout_get_pixel_size (words[i], &word_w[i], NULL);
      pango_layout_get_pixel_size (percents[i], &percent_w[i], NULL);
      natural = MAX (natural, word_w[i] + percent_w[i] + 3 * pad + 4);
    }
  width = column_width (self, index, pill, natural);

  for (guint i = 0; i < n; i++)
    {
      const AttnPrediction *p = &g_array_index (top, AttnPrediction, i);
      graphene_rect_t bar = GRAPHENE_RECT_INIT (pill->origin.x, y + 1,
                                                MAX (1, width * CLAMP (p->probability, 0, 1)), self->mask_row_h - 2);
      /* the likeliest word in the text's colour, the others quieter */
      GdkRGBA ink = { fg->red, fg->green, fg->blue, fg->alpha * (i == 0 ? 1.0 : 0.72) };
      GdkRGBA bar_color = { fg->red, fg->green, fg->blue, fg->alpha * 0.12 };

      gtk_snapshot_append_color (snapshot, &bar_color, &bar);
      pango_layout_set_width (words[i], (int) MAX (1, width - percent_w[i] - 3 * pad - 4) * PANGO_SCALE);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (pill->origin.x + pad, y + 1));
      gtk_snapshot_append_layout (snapshot, words[i], &ink);
      gtk_snapshot_restore (snapshot);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (pill->origin.x + width - pad - percent_w[i], y + 1));
      gtk_snapshot_append_layout (snapshot, percents[i], &ink);
      gtk_snapshot_restore (snapshot);
      y += self->mask_row_h;
    }

  for (guint i = 0; i < n; i++)
    {
      g_object_unref (words[i]);
      g_object_unref (percents[i]);
    }
}

char *
attn_token_strip_dup_predictions (AttnTokenStrip *self,
                                  guint           index)
{
  const GArray *top;
  GString *rows;

  g_return_val_if_fail (ATTN_IS_TOKEN_STRIP (self), NULL);

  top = _attn_token_strip_mask_predictions (self, index);
  if (top == NULL)
    return NULL;
  rows = g_string_new (NULL);
  for (guint i = 0; i < MIN (top->len, N_SHOWN); i++)
    {
      g_autofree char *word = NULL, *percent = NULL;

      row_texts (&g_array_index (top, AttnPrediction, i), &word, &percent);
      g_string_append_printf (rows, "%s%s %s", i ? "\n" : "", word, percent);
    }
  return g_string_free (rows, FALSE);
}
