/* attn-token-strip-draw.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drawing the token strip: each pill in the style's colours or the
 * query's tint, the sentence marks of a pair, the probability bar of a
 * decoder's token, only the lines in view.
 */

#define G_LOG_DOMAIN "attn-token-strip"

#include "config.h"

#include <math.h>

#include "attn-predictions.h"
#include "attn-tint.h"
#include "attn-pair-bar.h"

#include "attn-token-strip-private.h"

void
_attn_token_strip_clear_layouts (AttnTokenStrip *self)
{
  for (guint i = 0; i < self->lines.n && self->n_layouts > 0; i++)
    if (self->layouts[i] != NULL)
      {
        g_clear_object (&self->layouts[i]);
        self->n_layouts--;
      }
  self->n_layouts = 0;
}

/* The pills measured in the widget's font, the shaped labels dropped. */
void
_attn_token_strip_measure_tokens (AttnTokenStrip *self)
{
  _attn_token_strip_clear_layouts (self);
  _attn_token_lines_measure (&self->lines, gtk_widget_get_pango_context (GTK_WIDGET (self)));
  _attn_token_strip_measure_masks (self);
}

/* The model's log-probability of token @index after the ones before it;
 * NaN for the first token, and without bars. */
double
_attn_token_strip_token_logprob (AttnTokenStrip *self,
                                 guint           index)
{
  AttnResult *result = _attn_token_strip_get_result (self);
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

  gsk_rounded_rect_init_from_rect (&rounded, rect, STRIP_RADIUS);
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

      if (self->n_layouts >= STRIP_MAX_LAYOUTS)
        _attn_token_strip_clear_layouts (self);
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
  AttnTokenState state = _attn_token_strip_token_state (self, index);
  gboolean hover = (int) index == self->hover;
  PangoLayout *layout = get_layout (self, index);
  graphene_rect_t rect;
  GdkRGBA bg, ink;
  double logprob = _attn_token_strip_token_logprob (self, index);
  double w;

  _attn_token_strip_token_rect (self, index, &rect);

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
    const char *segment = _attn_token_segment_class (_attn_token_strip_get_result (self), index);

    if (segment != NULL)
      {
        static const GdkRGBA mark_a = { 0.21, 0.52, 0.89, 1 }, mark_b = { 0.90, 0.38, 0.0, 1 };
        graphene_rect_t mark = GRAPHENE_RECT_INIT (rect.origin.x + STRIP_RADIUS / 2, rect.origin.y + rect.size.height - 3,
                                                   MAX (rect.size.width - STRIP_RADIUS, 1), 2);

        gtk_snapshot_append_color (snapshot, g_str_equal (segment, "segment-a") ? &mark_a : &mark_b, &mark);
      }
  }
  if (hover && (state & ATTN_TOKEN_TINTED) && !(state & ATTN_TOKEN_SELECTED))
    {
      GdkRGBA ring = with_alpha (&ink, 0.6);

      append_ring (snapshot, &rect, STRIP_RADIUS, 2, &ring);
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
      graphene_rect_t track = GRAPHENE_RECT_INIT (rect.origin.x + 2, rect.origin.y + rect.size.height + STRIP_BAR_GAP,
                                                  MAX (rect.size.width - 4, 1), STRIP_BAR_H);
      graphene_rect_t fill = track;
      GdkRGBA track_color = with_alpha (fg, 0.12);
      GdkRGBA fill_color = with_alpha (fg, 0.6);

      fill.size.width = MAX (1, round (track.size.width * bar_fill (logprob)));
      gtk_snapshot_append_color (snapshot, &track_color, &track);
      gtk_snapshot_append_color (snapshot, &fill_color, &fill);
    }

  /* A [MASK]: the words the model fills in, under it. */
  if (_attn_token_strip_mask_predictions (self, index) != NULL)
    _attn_token_strip_draw_mask (self, snapshot, index, &rect, fg);

  if (state & ATTN_TOKEN_MASKED)
    gtk_snapshot_pop (snapshot);

  if (focus_visible && (state & ATTN_TOKEN_CURSOR))
    {
      graphene_rect_t ring;
      GdkRGBA color = with_alpha (accent_bg, 0.6);

      graphene_rect_inset_r (&rect, -2, -2, &ring);
      append_ring (snapshot, &ring, STRIP_RADIUS + 2, 2, &color);
    }
}

/* Only the lines in view are drawn. */
void
_attn_token_strip_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  AttnTokenStrip *self = ATTN_TOKEN_STRIP (widget);
  double value = _attn_token_strip_scroll_value (self);
  int height = gtk_widget_get_height (widget);
  int lh = _attn_token_strip_line_height (self);
  gboolean focus_visible = gtk_widget_has_visible_focus (widget);
  GdkRGBA fg, accent_bg, accent_fg;
  guint first, last;

  self->n_draws++;
  self->n_drawn = 0;
  if (!_attn_token_strip_laid_out (self))
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
void
_attn_token_strip_css_changed (GtkWidget         *widget,
                               GtkCssStyleChange *change)
{
  AttnTokenStrip *self = ATTN_TOKEN_STRIP (widget);
  const PangoFontDescription *font;

  _attn_token_strip_parent_class ()->css_changed (widget, change);

  font = pango_context_get_font_description (gtk_widget_get_pango_context (widget));
  if (self->lines.n > 0 && (self->lines.font == NULL || !pango_font_description_equal (font, self->lines.font)))
    {
      _attn_token_strip_measure_tokens (self);
      gtk_widget_queue_resize (widget);
    }
}
