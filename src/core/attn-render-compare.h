/* attn-render-compare.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two texts' attention for one head (issue 14), drawn by the same pure
 * cairo rules as the other views (attn-render.h): side by side, or as the
 * difference B − A on a diverging colour map.  Rows and columns follow
 * both texts in reading order, aligned where the tokens agree
 * (attn-compare-align.h): a token only in A is marked "−" and blank in
 * B's map, one only in B "+" and blank in A's, so the same row of both
 * maps is the same token.
 */
#pragma once

#include "attn-compare-align.h"
#include "attn-render.h"

G_BEGIN_DECLS

typedef struct
{
  AttnResult          *result;        /* A, borrowed; must have a trace */
  AttnResult          *compare;       /* B, borrowed; the same model's */
  guint                layer;
  guint                head;
  int                  query;         /* A's query token, -1 none: its row outlined */
  gboolean             delta;         /* one map of B − A instead of A and B */
  const AttnAlignment *alignment;     /* NULL: aligned here */
  AttnColormap         colormap;
  AttnScale            scale;
  AttnDisplay          display;       /* only the title mentions it */
  const AttnTheme     *theme;         /* NULL: light default */
  gboolean             show_title;
  gboolean             show_colorbar;
  const char          *title;         /* NULL: model, layer, head, what is shown */
} AttnCompareSpec;

/* Zero-initialises @spec, then sets both results, layer and head, no query,
 * viridis, light theme, title and colour bar on. */
void     attn_compare_spec_init         (AttnCompareSpec       *spec,
                                         AttnResult            *result,
                                         AttnResult            *compare,
                                         guint                  layer,
                                         guint                  head);

void     attn_render_compare            (cairo_t               *cr,
                                         const AttnCompareSpec *spec,
                                         double                 width,
                                         double                 height);

void     attn_compare_get_natural_size  (const AttnCompareSpec *spec,
                                         double                *width,
                                         double                *height);

/* The aligned row under (x, y) in any map: A's token there in *token_a and
 * B's in *token_b (-1 when that text has none); FALSE off the maps. */
gboolean attn_compare_hit_test          (const AttnCompareSpec *spec,
                                         double                 width,
                                         double                 height,
                                         double                 x,
                                         double                 y,
                                         int                   *token_a,
                                         int                   *token_b);

G_END_DECLS
