/* attn-token-strip-layout.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The token strip's geometry in the widget: the height of a line (a pill,
 * and under it a probability bar or a masked word's predictions), which
 * token is under a point, scrolling a token into view, and the size the
 * strip asks for and gets.
 */

#define G_LOG_DOMAIN "attn-token-strip"

#include "config.h"

#include "attn-scrollable.h"
#include "attn-token-strip-private.h"

int
_attn_token_strip_pill_height (AttnTokenStrip *self)
{
  return MAX (STRIP_MIN_PILL_H, self->lines.text_h) + 2 * STRIP_PAD_Y;
}

/* A line's height, the spacing to the next included. */
int
_attn_token_strip_line_height (AttnTokenStrip *self)
{
  return _attn_token_strip_pill_height (self) + (self->bars ? STRIP_BAR_GAP + STRIP_BAR_H : 0) +
         _attn_token_strip_masks_height (self) + STRIP_ROW_SPACING;
}

int
_attn_token_strip_content_height (AttnTokenStrip *self,
                                  guint           n_lines)
{
  return n_lines > 0 ? (int) n_lines * _attn_token_strip_line_height (self) - STRIP_ROW_SPACING : 0;
}

double
_attn_token_strip_scroll_value (AttnTokenStrip *self)
{
  return self->vadjustment != NULL ? gtk_adjustment_get_value (self->vadjustment) : 0;
}

/* Token @index's pill in content coordinates (before scrolling). */
void
_attn_token_strip_token_rect (AttnTokenStrip  *self,
                              guint            index,
                              graphene_rect_t *rect)
{
  guint line = _attn_token_lines_line_of (&self->lines, index);

  graphene_rect_init (rect, self->lines.x[index], line * _attn_token_strip_line_height (self),
                      _attn_token_lines_width_of (&self->lines, index), _attn_token_strip_pill_height (self));
}

gboolean
_attn_token_strip_laid_out (AttnTokenStrip *self)
{
  return _attn_token_lines_laid_out (&self->lines);
}

/* The token under (@x, @y) of the widget, its bar included; -1 for the
 * gaps between them. */
int
_attn_token_strip_token_at (AttnTokenStrip *self,
                            double          x,
                            double          y)
{
  double cy = y + _attn_token_strip_scroll_value (self);
  int lh = _attn_token_strip_line_height (self);
  guint line;

  if (!_attn_token_strip_laid_out (self) || cy < 0)
    return -1;
  line = (guint) (cy / lh);
  if (cy - line * lh > lh - STRIP_ROW_SPACING)
    return -1;
  return _attn_token_lines_find (&self->lines, line, x);
}

/* Scrolls the least that shows token @index whole (later, when the strip
 * is not laid out yet). */
void
_attn_token_strip_scroll_to_token (AttnTokenStrip *self,
                                   int             index)
{
  graphene_rect_t rect;
  double value, page, bottom;

  if (index < 0 || (guint) index >= self->lines.n)
    return;
  if (!_attn_token_strip_laid_out (self) || self->vadjustment == NULL)
    {
      self->scroll_to = index;
      return;
    }
  self->scroll_to = -1;

  _attn_token_strip_token_rect (self, index, &rect);
  value = gtk_adjustment_get_value (self->vadjustment);
  page = gtk_adjustment_get_page_size (self->vadjustment);
  bottom = rect.origin.y + _attn_token_strip_line_height (self) - STRIP_ROW_SPACING;
  if (rect.origin.y < value)
    gtk_adjustment_set_value (self->vadjustment, rect.origin.y);
  else if (bottom > value + page)
    gtk_adjustment_set_value (self->vadjustment, bottom - page);
}

GtkSizeRequestMode
_attn_token_strip_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

void
_attn_token_strip_measure (GtkWidget      *widget,
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
      *minimum = *natural = _attn_token_strip_content_height (self, _attn_token_lines_flow (&self->lines, for_size, FALSE));
    }
}

void
_attn_token_strip_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  AttnTokenStrip *self = ATTN_TOKEN_STRIP (widget);

  if (self->lines.width != width)
    _attn_token_lines_flow (&self->lines, width, TRUE);

  _attn_scrollable_configure (self->hadjustment, width, width, 0);
  _attn_scrollable_configure (self->vadjustment, _attn_token_strip_content_height (self, self->lines.n_lines), height,
                              _attn_token_strip_line_height (self));

  if (self->scroll_to >= 0)
    _attn_token_strip_scroll_to_token (self, self->scroll_to);

  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));

  /* The height asked without a width was for the last one. */
  if (self->last_width != width)
    {
      self->last_width = width;
      gtk_widget_queue_resize (widget);
    }
}
