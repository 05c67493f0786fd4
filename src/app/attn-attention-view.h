/* attn-attention-view.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The base of the heatmap, arc and all-heads views: it follows an
 * AttnDocument, keeps the colour map, scale and light/dark theme, scrolls
 * (GtkScrollable, so axis labels stay put while the cells scroll) and draws
 * through the pure cairo renderer in attn-render.h.  Subclasses fill in the
 * vfuncs; the base redraws, resizes and refreshes the accessible description
 * whenever the document's result or selection changes.
 */
#pragma once

#include <gtk/gtk.h>

#include "attn-document.h"
#include "attn-head-rank.h"
#include "attn-render.h"

G_BEGIN_DECLS

#define ATTN_TYPE_ATTENTION_VIEW (attn_attention_view_get_type ())
G_DECLARE_DERIVABLE_TYPE (AttnAttentionView, attn_attention_view, ATTN, ATTENTION_VIEW, GtkWidget)

struct _AttnAttentionViewClass
{
  GtkWidgetClass parent_class;

  /* The size of everything at the current zoom, in px. */
  void   (*get_content_size) (AttnAttentionView *self,
                              AttnResult        *result,
                              double            *width,
                              double            *height);
  /* Paints (0, 0, width, height) of the viewport, scrolled by (x, y). */
  void   (*render)           (AttnAttentionView *self,
                              cairo_t           *cr,
                              AttnResult        *result,
                              double             width,
                              double             height,
                              double             scroll_x,
                              double             scroll_y);
  /* The accessible description: what the picture shows. (transfer full) */
  char  *(*describe)         (AttnAttentionView *self,
                              AttnResult        *result);
  /* What is under (x, y): a cell (query, key), a token (token, -1) or a
   * head (layer, head); FALSE when nothing is. */
  gboolean (*hit_test)       (AttnAttentionView *self,
                              double             x,
                              double             y,
                              int               *a,
                              int               *b);
  /* A primary click on what hit_test found; @hit FALSE for empty space. */
  void   (*clicked)          (AttnAttentionView *self,
                              gboolean           hit,
                              int                a,
                              int                b);
  /* The tooltip of what hit_test found, or NULL. (transfer full) */
  char  *(*dup_tooltip)      (AttnAttentionView *self,
                              AttnResult        *result,
                              int                a,
                              int                b);
  /* The document's query or key changed (anywhere: a view, the token
   * strip, a key): a view that scrolls brings them into sight.  NULL: no
   * scrolling. */
  void   (*follow_selection) (AttnAttentionView *self);

  /* TRUE for views of heads (all heads, the model view), whose hit_test
   * gives (layer, head): arrows move the hover cursor over the heads as
   * drawn, and Enter, Space or a click on a head calls
   * attn_attention_view_activate_head().  Leave clicked NULL then. */
  gboolean activates_heads;
  /* Views of heads that draw them in an order of their own (the model
   * view ranked by "find heads"): the L × H heads in reading order, H to a
   * row, or NULL when they are drawn layer by layer, as they are when the
   * vfunc is NULL.  (transfer full) */
  AttnHeadRank *(*dup_head_order) (AttnAttentionView *self,
                                   AttnResult        *result);
};

AttnDocument    *attn_attention_view_get_document  (AttnAttentionView *self);
void             attn_attention_view_set_document  (AttnAttentionView *self,
                                                    AttnDocument      *document);
AttnColormap     attn_attention_view_get_colormap  (AttnAttentionView *self);
void             attn_attention_view_set_colormap  (AttnAttentionView *self,
                                                    AttnColormap       colormap);
AttnScale        attn_attention_view_get_scale     (AttnAttentionView *self);
void             attn_attention_view_set_scale     (AttnAttentionView *self,
                                                    AttnScale          scale);
/* Tokens hidden (attention sinks), rows scaled to their maximum: colours
 * only, tooltips keep the true weight.  NULL shows the weights as they are. */
const AttnDisplay *attn_attention_view_get_display (AttnAttentionView *self);
void             attn_attention_view_set_display   (AttnAttentionView *self,
                                                    const AttnDisplay *display);

/* Views of heads: selects @layer, @head in the document and emits
 * "head-activated" (layer, head), on which the window opens that head. */
void             attn_attention_view_activate_head (AttnAttentionView *self,
                                                    guint              layer,
                                                    guint              head);

/* For subclasses. */
AttnResult      *_attn_attention_view_get_result   (AttnAttentionView *self);
const AttnTheme *_attn_attention_view_get_theme    (AttnAttentionView *self);
AttnRenderCache *_attn_attention_view_get_cache    (AttnAttentionView *self);
void             _attn_attention_view_get_scroll   (AttnAttentionView *self,
                                                    double            *x,
                                                    double            *y);
/* Content size changed (zoom, new result): re-measure and re-scroll. */
void             _attn_attention_view_content_changed (AttnAttentionView *self);
/* Scrolls to (x, y) of the content at its current size (clamped), even
 * before the next allocation has caught up with a new zoom. */
void             _attn_attention_view_scroll_to    (AttnAttentionView *self,
                                                    double             x,
                                                    double             y);
/* Only the picture changed: redraw and refresh the description. */
void             _attn_attention_view_redraw          (AttnAttentionView *self);
/* What the pointer (or a subclass's keyboard cursor) is over; -1, -1 for
 * nothing.  Setting it redraws. */
void             _attn_attention_view_get_hover       (AttnAttentionView *self,
                                                       int               *a,
                                                       int               *b);
void             _attn_attention_view_set_hover       (AttnAttentionView *self,
                                                       int                a,
                                                       int                b);
/* Views of heads: the head the keyboard is on: the hover cursor, else
 * the first head drawn when the view has an order of its own (the
 * top-ranked one), else the selected head.  -1, -1 without a result. */
void             _attn_attention_view_get_head_cursor (AttnAttentionView *self,
                                                       int               *layer,
                                                       int               *head);
/* Moves a (row, column) cursor by an arrow key, clamped to the n_rows ×
 * n_columns grid; FALSE when @keyval is no arrow. */
gboolean         _attn_arrow_key_move                 (guint              keyval,
                                                       int               *row,
                                                       int               *column,
                                                       int                n_rows,
                                                       int                n_columns);
/* Number of times the view has been drawn; for tests. */
guint            _attn_attention_view_get_n_draws     (AttnAttentionView *self);

/* A new signal group on @self's document that follows the view to every
 * document it is given, for code that listens to more of the document than
 * the base does.  It is retargeted before any "notify::document" handler
 * connected after this call runs. (transfer full) */
GSignalGroup    *_attn_attention_view_new_document_signals (AttnAttentionView *self);

/* A clicked vfunc for views of (query, key) cells: a click on a cell makes
 * it the document's query and key; a click on empty space does nothing. */
void             _attn_attention_view_select_cell     (AttnAttentionView *self,
                                                       gboolean           hit,
                                                       int                query,
                                                       int                key);
/* The tooltip of a cell above the diagonal, which a causal mask hides:
 * "“it” → “trophy”: masked (a later token)". (transfer full) */
char            *_attn_masked_cell_tooltip            (const char        *from,
                                                       const char        *to);

/* Makes @query the document's query token; a pinned key after it (masked)
 * moves back onto the query, so the pair stays a visible cell. */
void             _attn_select_query                   (AttnDocument      *document,
                                                       int                query);

/* "“it” → “trophy”: 0.412"-style names of one token, trimmed, for
 * tooltips and descriptions. (transfer full) */
char            *_attn_token_display_name             (AttnResult        *result,
                                                       guint              index);
/* "“it” → “trophy” 0.41, “it” → “the” 0.20, …": the @n strongest links of
 * @weights (T, T), from row @query only when @query >= 0. (transfer full) */
char            *_attn_describe_strongest_links       (AttnResult        *result,
                                                       const float       *weights,
                                                       int                query,
                                                       guint              n);

G_END_DECLS
