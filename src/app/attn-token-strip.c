/* attn-token-strip.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-token-strip"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "attn-attention-view.h"
#include "attn-document-link.h"
#include "attn-predictions.h"
#include "attn-scrollable.h"
#include "attn-masked.h"
#include "attn-pair-bar.h"
#include "attn-tint.h"
#include "attn-token-lines.h"
#include "attn-token-strip.h"
#include "attn-words.h"

/* The pills' drawing (the old per-token buttons' CSS): text padding above
 * and below, rounded corners, the space between lines. */
#define PAD_Y         2
#define MIN_PILL_H    24
#define RADIUS        6
#define ROW_SPACING   4
/* The probability bar under a pill. */
#define BAR_GAP       2
#define BAR_H         3
/* Shaped labels kept for drawing; past this many (a long scroll) they are
 * dropped and shaped again as they come into view. */
#define MAX_LAYOUTS   2048

struct _AttnTokenStrip
{
  GtkWidget         parent_instance;

  AttnDocumentLink  link;           /* the document shown, its signals */
  AttnTokenLines    lines;          /* the tokens' pills, in lines */
  GStrv             texts;          /* owned; the tokens' texts, to tell a new text */
  PangoLayout     **layouts;        /* (lines.n) shaped labels, made when drawn */
  guint             n_layouts;
  int               last_width;     /* the width of the last allocation */

  int               selected;
  int               cursor;         /* where the keyboard is: Left/Right move from here */
  int               hover;
  int               scroll_to;      /* a token to bring into view once laid out, -1 */
  gboolean          bars;           /* each token's probability drawn under it */
  AttnColormap      colormap;
  AttnScale         scale;

  GtkAdjustment    *hadjustment;    /* owned */
  GtkAdjustment    *vadjustment;    /* owned */
  guint             hscroll_policy : 1;
  guint             vscroll_policy : 1;

  GtkWidget        *popover;        /* the context menu while open */
  guint             n_draws;
  guint             n_drawn;        /* tokens drawn in the last frame */
};

static void attn_token_strip_scrollable_init (GtkScrollableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AttnTokenStrip, attn_token_strip, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE,
                                                      attn_token_strip_scrollable_init))

enum {
  PROP_0,
  PROP_DOCUMENT,              /* installed by _attn_document_link_install () */
  PROP_SHOWS_PROBABILITIES,
  N_PROPS,

  /* GtkScrollable */
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

static GParamSpec *properties [N_PROPS];
static GObjectGetPropertyFunc link_get_property;
static GObjectSetPropertyFunc link_set_property;

static void
attn_token_strip_scrollable_init (GtkScrollableInterface *iface)
{
}

/* ------------------------------------------------------------------------ */
/* Tokens                                                                   */

static void
clear_layouts (AttnTokenStrip *self)
{
  for (guint i = 0; i < self->lines.n && self->n_layouts > 0; i++)
    if (self->layouts[i] != NULL)
      {
        g_clear_object (&self->layouts[i]);
        self->n_layouts--;
      }
  self->n_layouts = 0;
}

static void
clear_tokens (AttnTokenStrip *self)
{
  clear_layouts (self);
  g_clear_pointer (&self->layouts, g_free);
  g_clear_pointer (&self->texts, g_strfreev);
  _attn_token_lines_clear (&self->lines);
}

/* The pills measured in the widget's font, the shaped labels dropped. */
static void
measure_tokens (AttnTokenStrip *self)
{
  clear_layouts (self);
  _attn_token_lines_measure (&self->lines, gtk_widget_get_pango_context (GTK_WIDGET (self)));
}

static int
pill_height (AttnTokenStrip *self)
{
  return MAX (MIN_PILL_H, self->lines.text_h) + 2 * PAD_Y;
}

/* A line's height, the spacing to the next included. */
static int
line_height (AttnTokenStrip *self)
{
  return pill_height (self) + (self->bars ? BAR_GAP + BAR_H : 0) + ROW_SPACING;
}

static int
content_height (AttnTokenStrip *self,
                guint           n_lines)
{
  return n_lines > 0 ? (int) n_lines * line_height (self) - ROW_SPACING : 0;
}

static double
scroll_value (AttnTokenStrip *self)
{
  return self->vadjustment != NULL ? gtk_adjustment_get_value (self->vadjustment) : 0;
}

/* Token @index's pill in content coordinates (before scrolling). */
static void
token_rect (AttnTokenStrip  *self,
            guint            index,
            graphene_rect_t *rect)
{
  guint line = _attn_token_lines_line_of (&self->lines, index);

  graphene_rect_init (rect, self->lines.x[index], line * line_height (self),
                      _attn_token_lines_width_of (&self->lines, index), pill_height (self));
}

static gboolean
laid_out (AttnTokenStrip *self)
{
  return _attn_token_lines_laid_out (&self->lines);
}

/* The token under (@x, @y) of the widget, its bar included; -1 for the
 * gaps between them. */
static int
token_at (AttnTokenStrip *self,
          double          x,
          double          y)
{
  double cy = y + scroll_value (self);
  int lh = line_height (self);
  guint line;

  if (!laid_out (self) || cy < 0)
    return -1;
  line = (guint) (cy / lh);
  if (cy - line * lh > lh - ROW_SPACING)
    return -1;
  return _attn_token_lines_find (&self->lines, line, x);
}

/* Scrolls the least that shows token @index whole (later, when the strip
 * is not laid out yet). */
static void
scroll_to_token (AttnTokenStrip *self,
                 int             index)
{
  graphene_rect_t rect;
  double value, page, bottom;

  if (index < 0 || (guint) index >= self->lines.n)
    return;
  if (!laid_out (self) || self->vadjustment == NULL)
    {
      self->scroll_to = index;
      return;
    }
  self->scroll_to = -1;

  token_rect (self, index, &rect);
  value = gtk_adjustment_get_value (self->vadjustment);
  page = gtk_adjustment_get_page_size (self->vadjustment);
  bottom = rect.origin.y + line_height (self) - ROW_SPACING;
  if (rect.origin.y < value)
    gtk_adjustment_set_value (self->vadjustment, rect.origin.y);
  else if (bottom > value + page)
    gtk_adjustment_set_value (self->vadjustment, bottom - page);
}

/* ------------------------------------------------------------------------ */
/* What each token shows                                                    */

static AttnTokenState
token_state (AttnTokenStrip *self,
             guint           index)
{
  const AttnTokenPill *token = &self->lines.pills[index];
  AttnTokenState state = 0;

  if (token->piece)
    state |= ATTN_TOKEN_PIECE;
  if (token->special)
    state |= ATTN_TOKEN_SPECIAL;
  if ((int) index == self->selected)
    state |= ATTN_TOKEN_SELECTED;
  if ((int) index == self->cursor)
    state |= ATTN_TOKEN_CURSOR;
  if (self->link.document != NULL && attn_document_get_view_query (self->link.document) >= 0)
    state |= _attn_tint_get_weight (self->link.document, index, NULL) ? ATTN_TOKEN_TINTED : ATTN_TOKEN_MASKED;

  return state;
}

static AttnResult *
get_result (AttnTokenStrip *self)
{
  /* Words while word pieces are merged (attn-document.h). */
  return self->link.document != NULL ? attn_document_get_view_result (self->link.document) : NULL;
}

/* The model's log-probability of token @index after the ones before it;
 * NaN for the first token, and without bars. */
static double
token_logprob (AttnTokenStrip *self,
               guint           index)
{
  AttnResult *result = get_result (self);
  const float *logprobs;

  if (!self->bars || result == NULL || index >= attn_result_get_n_tokens (result))
    return NAN;
  logprobs = attn_result_get_token_logprobs (result);
  return logprobs != NULL ? logprobs[index] : NAN;
}

/* How full a probability bar is: a log scale from 10⁻⁴ (empty) to 1
 * (full), since a text's tokens span orders of magnitude. */
static double
bar_fill (double logprob)
{
  return CLAMP ((logprob / G_LN10 + 4.0) / 4.0, 0.0, 1.0);
}

/* The start token (<|endoftext|>, [CLS]): first, with no span in the text. */
static gboolean
is_start_token (AttnResult *result)
{
  gsize start, end;

  attn_result_get_token_span (result, 0, &start, &end);
  return start == end;
}

static char *
dup_base_tooltip (AttnResult *result,
                  guint       index)
{
  const char *text = attn_result_get_token_text (result, index);
  guint part_start, part_end, n_bytes;
  GString *tooltip = g_string_new (NULL);

  if (attn_result_get_words (result) != NULL)
    {
      const AttnWords *words = attn_result_get_words (result);
      guint n_pieces = words->first[index + 1] - words->first[index];

      /* Translators: tooltip of a word while word pieces are merged: position, word, number of tokens */
      g_string_append_printf (tooltip, g_dngettext (GETTEXT_PACKAGE, "Word %u: “%s” (%u token)",
                                                    "Word %u: “%s” (%u tokens)", n_pieces),
                              index, text, n_pieces);
    }
  else
    /* Translators: tooltip of a token: position, token text, vocabulary id */
    g_string_append_printf (tooltip, _("Token %u: “%s” (id %d)"), index, text,
                            attn_result_get_token_id (result, index));
  if (index == 0 && is_start_token (result))
    {
      g_string_append_c (tooltip, '\n');
      /* Why so many heads look here: the learner's first question. */
      g_string_append (tooltip, _("The start token: every token can see it, so a head with nothing "
                                  "useful to look at parks its attention here (an attention sink)."));
    }
  /* A [MASK] / <mask>: what the masked-LM head puts there (issue 15). */
  for (guint m = 0; m < attn_result_get_n_masks (result); m++)
    if (attn_result_get_mask_position (result, m) == index)
      {
        const GArray *top = attn_result_get_mask_predictions (result, m);

        g_string_append_c (tooltip, '\n');
        /* Translators: tooltip line of a mask token, then its likeliest words */
        g_string_append (tooltip, _("Fills in:"));
        for (guint i = 0; top != NULL && i < MIN (top->len, 5); i++)
          {
            const AttnPrediction *p = &g_array_index (top, AttnPrediction, i);

            /* Translators: one predicted word and its probability: “cat” 23 % */
            g_string_append_printf (tooltip, i ? _(" · “%s” %.0f %%") : _(" “%s” %.0f %%"),
                                    p->token, 100 * p->probability);
          }
      }
  if (_attn_token_segment_phrase (result, index) != NULL)
    {
      g_string_append_c (tooltip, '\n');
      /* Translators: tooltip line of a token of a sentence pair: "In sentence B" */
      g_string_append_printf (tooltip, _("In %s"), _attn_token_segment_phrase (result, index));
    }
  if (attn_result_get_token_part (result, index, &part_start, &part_end, &n_bytes))
    {
      g_string_append_c (tooltip, '\n');
      if (part_end - part_start == 1)
        /* Translators: tooltip line of a token that is one byte of a
         * character (byte-level and byte-fallback tokenizers split rare
         * characters into bytes): byte number, bytes in all, the character */
        g_string_append_printf (tooltip, _("Only part of a character: byte %u of the %u bytes of “%s”"),
                                part_start + 1, n_bytes, text);
      else
        /* Translators: as above, for several bytes: first, last, in all, the character */
        g_string_append_printf (tooltip, _("Only part of a character: bytes %u–%u of the %u bytes of “%s”"),
                                part_start + 1, part_end, n_bytes, text);
    }

  return g_string_free (tooltip, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Updates from the document                                                */

static void
update_accessible (AttnTokenStrip *self)
{
  AttnResult *result = get_result (self);
  g_autofree char *label = NULL;

  /* The selected token is in the name, so a screen reader says it when
   * the arrows move the selection (GTK 4.8 has no announcements). */
  if (self->selected >= 0 && result != NULL)
    {
      g_autofree char *name = _attn_token_display_name (result, self->selected);
      const char *sentence = _attn_token_segment_phrase (result, self->selected);

      if (sentence != NULL)
        /* Translators: the same in a sentence pair: text, "sentence A" or
         * "sentence B", position, number of tokens */
        label = g_strdup_printf (_("Tokens, “%s” selected, in %s: token %d of %u"),
                                 name, sentence, self->selected, self->lines.n);
      else
        /* Translators: accessible name of the token strip with a selected
         * token: its text, its position, the number of tokens */
        label = g_strdup_printf (_("Tokens, “%s” selected: token %d of %u"),
                                 name, self->selected, self->lines.n);
    }
  else
    label = g_strdup (_("Tokens"));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("The text as the model's tokens. Left and Right choose the token "
                                    "whose attention the views show, Ctrl with them by word, Home and "
                                    "End the first and the last."),
                                  -1);
}

static void
update_selection (AttnTokenStrip *self)
{
  int query = self->link.document ? attn_document_get_view_query (self->link.document) : -1;

  if (query >= (int) self->lines.n)
    query = -1;

  self->selected = query;
  if (query >= 0)
    {
      self->cursor = query;
      /* the query, chosen anywhere, comes into view here too */
      scroll_to_token (self, query);
    }
  else if (self->cursor < 0 || self->cursor >= (int) self->lines.n)
    self->cursor = self->lines.n > 0 ? 0 : -1;

  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Bars when the result predicts and reads left to right: a token's
 * probability after the ones before it means nothing to an encoder. */
static gboolean
wants_bars (AttnResult *result)
{
  return result != NULL && attn_result_get_token_logprobs (result) != NULL &&
         !attn_result_is_bidirectional (result);
}

static gboolean
same_tokens (AttnTokenStrip *self,
             AttnResult     *result)
{
  const char * const *texts = result ? attn_result_get_token_texts (result) : NULL;

  if (texts == NULL || self->texts == NULL)
    return texts == NULL && self->texts == NULL;

  return g_strv_equal ((const char * const *) self->texts, texts);
}

static void
update_tokens (AttnTokenStrip *self)
{
  AttnResult *result = get_result (self);
  gboolean bars = wants_bars (result);

  if (bars != self->bars)
    {
      self->bars = bars;
      gtk_widget_queue_resize (GTK_WIDGET (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SHOWS_PROBABILITIES]);
    }

  /* The same tokens (another head switched off, the same text again):
   * only the selection, the tints and the bars change. */
  if (same_tokens (self, result))
    {
      update_selection (self);
      return;
    }

  clear_tokens (self);
  self->selected = -1;
  self->cursor = -1;
  self->hover = -1;
  self->scroll_to = -1;

  if (result != NULL)
    {
      _attn_token_lines_set_result (&self->lines, result);
      self->texts = g_strdupv ((char **) attn_result_get_token_texts (result));
      self->layouts = g_new0 (PangoLayout *, MAX (self->lines.n, 1));
      measure_tokens (self);
    }

  /* The scroll position stays (typing changes the text a little), within
   * the new lines (size_allocate clamps it). */
  update_selection (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/* ------------------------------------------------------------------------ */
/* Size and drawing                                                         */

static GtkSizeRequestMode
attn_token_strip_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
attn_token_strip_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  AttnTokenStrip *self = ATTN_TOKEN_STRIP (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int widest;
      gint64 total = _attn_token_lines_get_natural_width (&self->lines, &widest);

      *minimum = MIN (widest, 120);
      *natural = (int) MIN (total, G_MAXINT / 4);
    }
  else
    {
      /* Asked for the height without a width: answer for the width the
       * strip has now. */
      if (for_size < 0)
        for_size = self->last_width > 0 ? self->last_width : G_MAXINT / 2;
      *minimum = *natural = content_height (self, _attn_token_lines_flow (&self->lines, for_size, FALSE));
    }
}

static void
attn_token_strip_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  AttnTokenStrip *self = ATTN_TOKEN_STRIP (widget);

  if (self->lines.width != width)
    _attn_token_lines_flow (&self->lines, width, TRUE);

  _attn_scrollable_configure (self->hadjustment, width, width, 0);
  _attn_scrollable_configure (self->vadjustment, content_height (self, self->lines.n_lines), height,
                              line_height (self));

  if (self->scroll_to >= 0)
    scroll_to_token (self, self->scroll_to);

  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));

  /* The height asked without a width was for the last one. */
  if (self->last_width != width)
    {
      self->last_width = width;
      gtk_widget_queue_resize (widget);
    }
}

/* The style's colours: text, and the accent a selected token takes. */
static void
get_colors (AttnTokenStrip *self,
            GdkRGBA        *fg,
            GdkRGBA        *accent_bg,
            GdkRGBA        *accent_fg)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  gtk_style_context_get_color (context, fg);
  if (!gtk_style_context_lookup_color (context, "accent_bg_color", accent_bg))
    gdk_rgba_parse (accent_bg, "#3584e4");
  if (!gtk_style_context_lookup_color (context, "accent_fg_color", accent_fg))
    gdk_rgba_parse (accent_fg, "#ffffff");
}

static GdkRGBA
with_alpha (const GdkRGBA *color,
            double         alpha)
{
  return (GdkRGBA) { color->red, color->green, color->blue, color->alpha * alpha };
}

static void
append_pill (GtkSnapshot           *snapshot,
             const graphene_rect_t *rect,
             const GdkRGBA         *color)
{
  GskRoundedRect rounded;

  gsk_rounded_rect_init_from_rect (&rounded, rect, RADIUS);
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, color, rect);
  gtk_snapshot_pop (snapshot);
}

static void
append_ring (GtkSnapshot           *snapshot,
             const graphene_rect_t *rect,
             double                 radius,
             double                 line,
             const GdkRGBA         *color)
{
  GskRoundedRect rounded;
  float widths[4] = { line, line, line, line };
  GdkRGBA colors[4] = { *color, *color, *color, *color };

  gsk_rounded_rect_init_from_rect (&rounded, rect, radius);
  gtk_snapshot_append_border (snapshot, &rounded, widths, colors);
}

static PangoLayout *
get_layout (AttnTokenStrip *self,
            guint           index)
{
  if (self->layouts[index] == NULL)
    {
      g_autoptr(PangoAttrList) attrs = _attn_token_pill_attrs_new (&self->lines.pills[index]);

      if (self->n_layouts >= MAX_LAYOUTS)
        clear_layouts (self);
      self->layouts[index] = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->lines.pills[index].label);
      pango_layout_set_attributes (self->layouts[index], attrs);
      pango_layout_set_ellipsize (self->layouts[index], PANGO_ELLIPSIZE_END);
      self->n_layouts++;
    }
  return self->layouts[index];
}

static void
draw_token (AttnTokenStrip *self,
            GtkSnapshot    *snapshot,
            guint           index,
            const GdkRGBA  *fg,
            const GdkRGBA  *accent_bg,
            const GdkRGBA  *accent_fg,
            gboolean        focus_visible)
{
  AttnTokenState state = token_state (self, index);
  gboolean hover = (int) index == self->hover;
  PangoLayout *layout = get_layout (self, index);
  graphene_rect_t rect;
  GdkRGBA bg, ink;
  double logprob = token_logprob (self, index);
  double w;

  token_rect (self, index, &rect);

  if (state & ATTN_TOKEN_MASKED)
    gtk_snapshot_push_opacity (snapshot, 0.45);

  if (state & ATTN_TOKEN_SELECTED)
    {
      bg = *accent_bg;
      ink = *accent_fg;
    }
  else if ((state & ATTN_TOKEN_TINTED) && _attn_tint_get_weight (self->link.document, index, &w))
    {
      AttnRgba tint, text;

      _attn_tint_get_colors (self->colormap, self->scale, w, &tint, &text);
      bg = (GdkRGBA) { tint.r, tint.g, tint.b, 1 };
      ink = (GdkRGBA) { text.r, text.g, text.b, 1 };
    }
  else
    {
      bg = with_alpha (fg, hover ? 0.14 : 0.07);
      ink = *fg;
    }
  if ((state & ATTN_TOKEN_SPECIAL) && !(state & ATTN_TOKEN_SELECTED))
    ink = with_alpha (&ink, 0.55);

  append_pill (snapshot, &rect, &bg);
  /* A sentence pair: a line along the pill's foot, blue under A, orange
   * under B (the template's tokens with the sentence they open or close) */
  {
    const char *segment = _attn_token_segment_class (get_result (self), index);

    if (segment != NULL)
      {
        static const GdkRGBA mark_a = { 0.21, 0.52, 0.89, 1 }, mark_b = { 0.90, 0.38, 0.0, 1 };
        graphene_rect_t mark = GRAPHENE_RECT_INIT (rect.origin.x + RADIUS / 2, rect.origin.y + rect.size.height - 3,
                                                   MAX (rect.size.width - RADIUS, 1), 2);

        gtk_snapshot_append_color (snapshot, g_str_equal (segment, "segment-a") ? &mark_a : &mark_b, &mark);
      }
  }
  if (hover && (state & ATTN_TOKEN_TINTED) && !(state & ATTN_TOKEN_SELECTED))
    {
      GdkRGBA ring = with_alpha (&ink, 0.6);

      append_ring (snapshot, &rect, RADIUS, 2, &ring);
    }

  pango_layout_set_width (layout, self->lines.pills[index].width > rect.size.width
                                  ? (int) (rect.size.width - 2 * ATTN_TOKEN_PAD_X) * PANGO_SCALE : -1);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (rect.origin.x + ATTN_TOKEN_PAD_X,
                                                          rect.origin.y + (rect.size.height - self->lines.text_h) / 2));
  gtk_snapshot_append_layout (snapshot, layout, &ink);
  gtk_snapshot_restore (snapshot);

  /* How probable the model found this token after the ones before it. */
  if (self->bars && !isnan (logprob))
    {
      graphene_rect_t track = GRAPHENE_RECT_INIT (rect.origin.x + 2, rect.origin.y + rect.size.height + BAR_GAP,
                                                  MAX (rect.size.width - 4, 1), BAR_H);
      graphene_rect_t fill = track;
      GdkRGBA track_color = with_alpha (fg, 0.12);
      GdkRGBA fill_color = with_alpha (fg, 0.6);

      fill.size.width = MAX (1, round (track.size.width * bar_fill (logprob)));
      gtk_snapshot_append_color (snapshot, &track_color, &track);
      gtk_snapshot_append_color (snapshot, &fill_color, &fill);
    }

  if (state & ATTN_TOKEN_MASKED)
    gtk_snapshot_pop (snapshot);

  if (focus_visible && (state & ATTN_TOKEN_CURSOR))
    {
      graphene_rect_t ring;
      GdkRGBA color = with_alpha (accent_bg, 0.6);

      graphene_rect_inset_r (&rect, -2, -2, &ring);
      append_ring (snapshot, &ring, RADIUS + 2, 2, &color);
    }
}

/* Only the lines in view are drawn. */
static void
attn_token_strip_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  AttnTokenStrip *self = ATTN_TOKEN_STRIP (widget);
  double value = scroll_value (self);
  int height = gtk_widget_get_height (widget);
  int lh = line_height (self);
  gboolean focus_visible = gtk_widget_has_visible_focus (widget);
  GdkRGBA fg, accent_bg, accent_fg;
  guint first, last;

  self->n_draws++;
  self->n_drawn = 0;
  if (!laid_out (self))
    return;

  get_colors (self, &fg, &accent_bg, &accent_fg);
  first = (guint) MAX (0, floor ((value - 3) / lh));
  last = MIN ((guint) MAX (0, ceil ((value + height + 3) / lh)), self->lines.n_lines);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, -value));
  for (guint line = first; line < last; line++)
    for (guint i = self->lines.line_start[line]; i < self->lines.line_start[line + 1]; i++)
      {
        draw_token (self, snapshot, i, &fg, &accent_bg, &accent_fg, focus_visible);
        self->n_drawn++;
      }
  gtk_snapshot_restore (snapshot);
}

/* A change of font measures the tokens again; the rest of the style
 * (colours, dark or light) is read when drawing. */
static void
attn_token_strip_css_changed (GtkWidget         *widget,
                              GtkCssStyleChange *change)
{
  AttnTokenStrip *self = ATTN_TOKEN_STRIP (widget);
  const PangoFontDescription *font;

  GTK_WIDGET_CLASS (attn_token_strip_parent_class)->css_changed (widget, change);

  font = pango_context_get_font_description (gtk_widget_get_pango_context (widget));
  if (self->lines.n > 0 && (self->lines.font == NULL || !pango_font_description_equal (font, self->lines.font)))
    {
      measure_tokens (self);
      gtk_widget_queue_resize (widget);
    }
}

static gboolean
attn_token_strip_query_tooltip (GtkWidget  *widget,
                                int         x,
                                int         y,
                                gboolean    keyboard_tooltip,
                                GtkTooltip *tooltip)
{
  AttnTokenStrip *self = ATTN_TOKEN_STRIP (widget);
  int index = keyboard_tooltip ? self->cursor : token_at (self, x, y);
  g_autofree char *text = NULL;
  graphene_rect_t rect;

  if (index < 0 || !laid_out (self))
    /* between the tokens: the strip's own tooltip, if any */
    return GTK_WIDGET_CLASS (attn_token_strip_parent_class)->query_tooltip (widget, x, y, keyboard_tooltip, tooltip);

  text = attn_token_strip_dup_tooltip (self, index);
  gtk_tooltip_set_text (tooltip, text);
  token_rect (self, index, &rect);
  gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { rect.origin.x, rect.origin.y - scroll_value (self),
                                                       rect.size.width, rect.size.height });
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Input                                                                    */

static void
set_hover (AttnTokenStrip *self,
           int             hover)
{
  if (self->hover == hover)
    return;
  self->hover = hover;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
motion_cb (AttnTokenStrip *self,
           double          x,
           double          y)
{
  set_hover (self, token_at (self, x, y));
}

static void
leave_cb (AttnTokenStrip *self)
{
  set_hover (self, -1);
}

static void
adjustment_value_changed_cb (AttnTokenStrip *self)
{
  self->hover = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
pressed_cb (AttnTokenStrip  *self,
            int              n_press,
            double           x,
            double           y,
            GtkGestureClick *gesture)
{
  int index = token_at (self, x, y);

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (index >= 0)
    attn_token_strip_activate (self, index);
}

/* The index of the next (@direction 1) or previous (-1) word start from
 * @from: a token that is no piece of the one before it. */
static int
word_start (AttnTokenStrip *self,
            int             from,
            int             direction)
{
  int n = (int) self->lines.n;
  int i = from + direction;

  for (; i > 0 && i < n; i += direction)
    if (!self->lines.pills[i].piece)
      return i;
  return CLAMP (i, 0, n - 1);
}

/* Arrows, Home and End move the query within the strip; Ctrl+arrows by
 * word.  Tab leaves the strip, which is one focus stop. */
static gboolean
key_pressed_cb (AttnTokenStrip        *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  int n = (int) self->lines.n;
  int from = self->cursor >= 0 ? self->cursor : 0;
  gboolean ctrl = (state & GDK_CONTROL_MASK) != 0;
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;
  int to;

  if (n == 0 || self->link.document == NULL || (state & (GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      {
        int direction = (keyval == GDK_KEY_Right || keyval == GDK_KEY_KP_Right) ? 1 : -1;

        if (rtl)
          direction = -direction;
        to = ctrl ? word_start (self, from, direction) : from + direction;
      }
      break;
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      to = 0;
      break;
    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      to = n - 1;
      break;
    default:
      return FALSE;
    }

  attn_token_strip_activate (self, CLAMP (to, 0, n - 1));
  return TRUE;
}

static void
unparent_later_cb (gpointer data)
{
  GtkWidget *popover = data;

  if (gtk_widget_get_parent (popover) != NULL)
    gtk_widget_unparent (popover);
  g_object_unref (popover);
}

/* After the menu item has run: the popover goes with the idle. */
static void
popover_closed_cb (AttnTokenStrip *self,
                   GtkWidget      *popover)
{
  if (self->popover == popover)
    self->popover = NULL;
  g_idle_add_once (unparent_later_cb, g_object_ref (popover));
}

/* A right click on a token offers to hide it from the maps' colours (an
 * attention sink other than the first token). */
static void
context_pressed_cb (AttnTokenStrip  *self,
                    int              n_press,
                    double           x,
                    double           y,
                    GtkGestureClick *gesture)
{
  int index = token_at (self, x, y);
  g_autoptr(GMenu) menu = NULL;
  g_autoptr(GMenuItem) item = NULL;
  graphene_rect_t rect;

  if (index < 0)
    return;

  menu = g_menu_new ();
  item = g_menu_item_new (_("_Hide or Show in the Maps"), NULL);
  g_menu_item_set_action_and_target_value (item, "win.hide-token", g_variant_new_int32 (index));
  g_menu_append_item (menu, item);
  g_menu_append (menu, _("Show _All Tokens Again"), "win.show-all-tokens");

  if (self->popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->popover));
  self->popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
  token_rect (self, index, &rect);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover),
                               &(GdkRectangle) { rect.origin.x, rect.origin.y - scroll_value (self),
                                                 rect.size.width, rect.size.height });
  gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), TRUE);
  g_signal_connect_object (self->popover, "closed", G_CALLBACK (popover_closed_cb), self, G_CONNECT_SWAPPED);
  gtk_popover_popup (GTK_POPOVER (self->popover));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
set_adjustment (AttnTokenStrip  *self,
                GtkAdjustment  **slot,
                GtkAdjustment   *adjustment)
{
  _attn_scrollable_set_adjustment (GTK_WIDGET (self), slot, adjustment,
                                   G_CALLBACK (adjustment_value_changed_cb));
}

static void
attn_token_strip_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AttnTokenStrip *self = ATTN_TOKEN_STRIP (object);

  switch (prop_id)
    {
    case PROP_SHOWS_PROBABILITIES:
      g_value_set_boolean (value, self->bars);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      link_get_property (object, prop_id, value, pspec);
    }
}

static void
attn_token_strip_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  AttnTokenStrip *self = ATTN_TOKEN_STRIP (object);

  switch (prop_id)
    {
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;
    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      break;
    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      break;
    default:
      link_set_property (object, prop_id, value, pspec);
    }
}

static void
attn_token_strip_dispose (GObject *object)
{
  AttnTokenStrip *self = (AttnTokenStrip *)object;
  GtkWidget *child;

  _attn_document_link_clear (&self->link);
  /* the context menu, open or on its way out */
  self->popover = NULL;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (attn_token_strip_parent_class)->dispose (object);
}

static void
attn_token_strip_finalize (GObject *object)
{
  AttnTokenStrip *self = (AttnTokenStrip *)object;

  clear_tokens (self);
  _attn_scrollable_clear_adjustment (GTK_WIDGET (self), &self->hadjustment,
                                     G_CALLBACK (adjustment_value_changed_cb));
  _attn_scrollable_clear_adjustment (GTK_WIDGET (self), &self->vadjustment,
                                     G_CALLBACK (adjustment_value_changed_cb));

  G_OBJECT_CLASS (attn_token_strip_parent_class)->finalize (object);
}

static void
attn_token_strip_class_init (AttnTokenStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_token_strip_dispose;
  object_class->finalize = attn_token_strip_finalize;

  widget_class->get_request_mode = attn_token_strip_get_request_mode;
  widget_class->measure = attn_token_strip_measure;
  widget_class->size_allocate = attn_token_strip_size_allocate;
  widget_class->snapshot = attn_token_strip_snapshot;
  widget_class->css_changed = attn_token_strip_css_changed;
  widget_class->query_tooltip = attn_token_strip_query_tooltip;

  /* "document" comes from the link; the strip's own properties and the
   * scrollable's are handled here, the rest passed on to it. */
  _attn_document_link_install (object_class, G_STRUCT_OFFSET (AttnTokenStrip, link),
                               G_CALLBACK (attn_token_strip_set_document));
  link_get_property = object_class->get_property;
  link_set_property = object_class->set_property;
  object_class->get_property = attn_token_strip_get_property;
  object_class->set_property = attn_token_strip_set_property;

  properties [PROP_SHOWS_PROBABILITIES] =
    g_param_spec_boolean ("shows-probabilities", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, PROP_SHOWS_PROBABILITIES,
                                   properties [PROP_SHOWS_PROBABILITIES]);
  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  gtk_widget_class_set_css_name (widget_class, "attntokenstrip");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
attn_token_strip_init (AttnTokenStrip *self)
{
  GtkEventController *controller;
  GtkGesture *click;

  self->selected = -1;
  self->cursor = -1;
  self->hover = -1;
  self->scroll_to = -1;
  self->lines.width = -1;
  self->colormap = ATTN_COLORMAP_VIRIDIS;
  self->scale = ATTN_SCALE_LINEAR;
  set_adjustment (self, &self->hadjustment, NULL);
  set_adjustment (self, &self->vadjustment, NULL);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (click, "pressed", G_CALLBACK (pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect_object (click, "pressed", G_CALLBACK (context_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_object (controller, "motion", G_CALLBACK (motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "leave", G_CALLBACK (leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  _attn_document_link_init (&self->link, self,
                            "notify::view-result", G_CALLBACK (update_tokens),
                            "notify::query", G_CALLBACK (update_selection),
                            "notify::layer", G_CALLBACK (gtk_widget_queue_draw),
                            "notify::head", G_CALLBACK (gtk_widget_queue_draw),
                            NULL);

  update_accessible (self);
}

/* ------------------------------------------------------------------------ */
/* Public                                                                   */

GtkWidget *
attn_token_strip_new (void)
{
  return g_object_new (ATTN_TYPE_TOKEN_STRIP, NULL);
}

AttnDocument *
attn_token_strip_get_document (AttnTokenStrip *self)
{
  g_return_val_if_fail (ATTN_IS_TOKEN_STRIP (self), NULL);
  return self->link.document;
}

void
attn_token_strip_set_document (AttnTokenStrip *self,
                               AttnDocument   *document)
{
  g_return_if_fail (ATTN_IS_TOKEN_STRIP (self));
  g_return_if_fail (!document || ATTN_IS_DOCUMENT (document));

  if (!_attn_document_link_set (&self->link, self, document))
    return;

  update_tokens (self);
}

void
attn_token_strip_set_colormap (AttnTokenStrip *self,
                               AttnColormap    colormap,
                               AttnScale       scale)
{
  g_return_if_fail (ATTN_IS_TOKEN_STRIP (self));

  self->colormap = colormap;
  self->scale = scale;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
attn_token_strip_get_n_tokens (AttnTokenStrip *self)
{
  g_return_val_if_fail (ATTN_IS_TOKEN_STRIP (self), 0);
  return self->lines.n;
}

AttnTokenState
attn_token_strip_get_state (AttnTokenStrip *self,
                            guint           index)
{
  g_return_val_if_fail (ATTN_IS_TOKEN_STRIP (self), 0);
  g_return_val_if_fail (index < self->lines.n, 0);
  return token_state (self, index);
}

const char *
attn_token_strip_get_label (AttnTokenStrip *self,
                            guint           index)
{
  g_return_val_if_fail (ATTN_IS_TOKEN_STRIP (self), NULL);
  return index < self->lines.n ? self->lines.pills[index].label : NULL;
}

char *
attn_token_strip_dup_tooltip (AttnTokenStrip *self,
                              guint           index)
{
  AttnResult *result;
  GString *tooltip;
  double logprob;

  g_return_val_if_fail (ATTN_IS_TOKEN_STRIP (self), NULL);

  result = get_result (self);
  if (result == NULL || index >= self->lines.n || index >= attn_result_get_n_tokens (result))
    return NULL;

  tooltip = g_string_new (NULL);
  {
    g_autofree char *base = dup_base_tooltip (result, index);

    g_string_append (tooltip, base);
  }

  if (attn_document_get_view_query (self->link.document) >= 0)
    {
      g_autofree char *weights = _attn_tint_dup_tooltip (self->link.document, index);

      if (weights != NULL)
        g_string_append_printf (tooltip, "\n%s", weights);
    }

  if (self->bars)
    {
      logprob = token_logprob (self, index);
      g_string_append_c (tooltip, '\n');
      if (isnan (logprob))
        g_string_append (tooltip, _("Probability: none, the first token has nothing before it to predict it from"));
      else
        /* Translators: the bar under a token: how probable the model found
         * it after the tokens before it, in percent and as a log-probability */
        g_string_append_printf (tooltip, _("Probability after the tokens before it: %.3g %% (log-probability %.2f)"),
                                100.0 * exp (logprob), logprob);
    }

  return g_string_free (tooltip, FALSE);
}

void
attn_token_strip_activate (AttnTokenStrip *self,
                           guint           index)
{
  g_return_if_fail (ATTN_IS_TOKEN_STRIP (self));

  if (self->link.document == NULL || index >= self->lines.n)
    return;

  self->cursor = (int) index;
  scroll_to_token (self, (int) index);
  _attn_select_query (self->link.document, index);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
attn_token_strip_get_token_area (AttnTokenStrip  *self,
                                 guint            index,
                                 graphene_rect_t *area)
{
  graphene_rect_t rect;
  double value;

  g_return_val_if_fail (ATTN_IS_TOKEN_STRIP (self), FALSE);

  if (!laid_out (self) || index >= self->lines.n)
    return FALSE;

  token_rect (self, index, &rect);
  value = scroll_value (self);
  rect.origin.y -= value;
  if (area != NULL)
    *area = rect;
  return rect.origin.y + rect.size.height > 0 && rect.origin.y < gtk_widget_get_height (GTK_WIDGET (self));
}

gboolean
attn_token_strip_get_shows_probabilities (AttnTokenStrip *self)
{
  g_return_val_if_fail (ATTN_IS_TOKEN_STRIP (self), FALSE);
  return self->bars;
}

guint
_attn_token_strip_get_n_draws (AttnTokenStrip *self,
                               guint          *n_drawn)
{
  g_return_val_if_fail (ATTN_IS_TOKEN_STRIP (self), 0);

  if (n_drawn != NULL)
    *n_drawn = self->n_drawn;
  return self->n_draws;
}
