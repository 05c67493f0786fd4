/* attn-token-strip-private.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the token strip's files share: the widget's state and the calls
 * one file makes into another (attn-token-strip.c: state and document;
 * -layout.c: geometry; -draw.c: drawing; -text.c: tooltips and the
 * accessible name; -input.c: pointer and keys; -masks.c: a [MASK]'s
 * predictions under it).
 */
#pragma once

#include <gtk/gtk.h>

#include "attn-document-link.h"
#include "attn-token-lines.h"
#include "attn-token-strip.h"

G_BEGIN_DECLS

/* The pills' drawing (the old per-token buttons' CSS): text padding above
 * and below, rounded corners, the space between lines. */
#define STRIP_PAD_Y         2
#define STRIP_MIN_PILL_H    24
#define STRIP_RADIUS        6
#define STRIP_ROW_SPACING   4
/* The probability bar under a pill. */
#define STRIP_BAR_GAP       2
#define STRIP_BAR_H         3
/* Shaped labels kept for drawing; past this many (a long scroll) they are
 * dropped and shaped again as they come into view. */
#define STRIP_MAX_LAYOUTS   2048

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

  GArray           *masks;          /* owned; the [MASK] tokens shown (-masks.c), or NULL */
  int               mask_row_h;     /* a row of a mask's predictions */

  GtkWidget        *popover;        /* the context menu while open */
  guint             n_draws;
  guint             n_drawn;        /* tokens drawn in the last frame */
};

GtkWidgetClass *_attn_token_strip_parent_class      (void);

/* attn-token-strip.c */
AttnResult     *_attn_token_strip_get_result        (AttnTokenStrip  *self);
AttnTokenState  _attn_token_strip_token_state       (AttnTokenStrip  *self,
                                                     guint            index);

/* attn-token-strip-layout.c: content coordinates are before scrolling */
int             _attn_token_strip_pill_height       (AttnTokenStrip  *self);
/* A line's height, the spacing to the next included. */
int             _attn_token_strip_line_height       (AttnTokenStrip  *self);
int             _attn_token_strip_content_height    (AttnTokenStrip  *self,
                                                     guint            n_lines);
double          _attn_token_strip_scroll_value      (AttnTokenStrip  *self);
/* Token @index's pill in content coordinates. */
void            _attn_token_strip_token_rect        (AttnTokenStrip  *self,
                                                     guint            index,
                                                     graphene_rect_t *rect);
gboolean        _attn_token_strip_laid_out          (AttnTokenStrip  *self);
/* The token under (@x, @y) of the widget, what hangs under its pill
 * included; -1 for the gaps between them. */
int             _attn_token_strip_token_at          (AttnTokenStrip  *self,
                                                     double           x,
                                                     double           y);
/* Scrolls the least that shows token @index whole (later, when the strip
 * is not laid out yet). */
void            _attn_token_strip_scroll_to_token   (AttnTokenStrip  *self,
                                                     int              index);
GtkSizeRequestMode _attn_token_strip_get_request_mode (GtkWidget     *widget);
void            _attn_token_strip_measure           (GtkWidget       *widget,
                                                     GtkOrientation   orientation,
                                                     int              for_size,
                                                     int             *minimum,
                                                     int             *natural,
                                                     int             *minimum_baseline,
                                                     int             *natural_baseline);
void            _attn_token_strip_size_allocate     (GtkWidget       *widget,
                                                     int              width,
                                                     int              height,
                                                     int              baseline);

/* attn-token-strip-draw.c */
void            _attn_token_strip_clear_layouts     (AttnTokenStrip  *self);
/* The pills measured in the widget's font, the shaped labels dropped. */
void            _attn_token_strip_measure_tokens    (AttnTokenStrip  *self);
/* The model's log-probability of token @index after the ones before it;
 * NaN for the first token, and without bars. */
double          _attn_token_strip_token_logprob     (AttnTokenStrip  *self,
                                                     guint            index);
void            _attn_token_strip_snapshot          (GtkWidget       *widget,
                                                     GtkSnapshot     *snapshot);
void            _attn_token_strip_css_changed       (GtkWidget       *widget,
                                                     GtkCssStyleChange *change);

/* attn-token-strip-text.c */
void            _attn_token_strip_update_accessible (AttnTokenStrip  *self);
gboolean        _attn_token_strip_query_tooltip     (GtkWidget       *widget,
                                                     int              x,
                                                     int              y,
                                                     gboolean         keyboard_tooltip,
                                                     GtkTooltip      *tooltip);

/* attn-token-strip-masks.c */
/* Which tokens shown are masks, after a new result. */
void            _attn_token_strip_update_masks      (AttnTokenStrip  *self);
/* The column's row height in the widget's font. */
void            _attn_token_strip_measure_masks     (AttnTokenStrip  *self);
/* The room under every line for the masks' columns: 0 without masks. */
int             _attn_token_strip_masks_height      (AttnTokenStrip  *self);
/* The predictions of the mask shown at @index, or NULL for another token. */
const GArray   *_attn_token_strip_mask_predictions  (AttnTokenStrip  *self,
                                                     guint            index);
/* " “cat” 23 % · “dog” 10 %": the mask's @n likeliest words (translated
 * separators), or NULL for another token. */
char           *_attn_token_strip_dup_mask_words    (AttnTokenStrip  *self,
                                                     guint            index,
                                                     guint            n);
/* The column under the mask at @index whose pill is @pill. */
void            _attn_token_strip_draw_mask         (AttnTokenStrip        *self,
                                                     GtkSnapshot           *snapshot,
                                                     guint                  index,
                                                     const graphene_rect_t *pill,
                                                     const GdkRGBA         *fg);

/* attn-token-strip-input.c */
void            _attn_token_strip_init_input        (AttnTokenStrip  *self);
void            _attn_token_strip_adjustment_changed (AttnTokenStrip *self);

G_END_DECLS
