/* attn-render-private.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the views of the renderer share (attn-render.c) and each view's
 * file (attn-render-heatmap.c, -arcs.c, -grid.c) uses: the text painter,
 * the weights images behind the cache, the colour bar and the figure's
 * frame.  Not installed, not for widgets.
 */
#pragma once

#include <math.h>

#include <pango/pangocairo.h>

#include "ae-ablation.h"
#include "attn-render.h"

G_BEGIN_DECLS

typedef struct
{
  AttnTextSink sink;
  gpointer     user_data;
} TextSink;

/* What draws (or only measures, with cr == NULL) every string of a view.
 * Text is measured with unhinted metrics in a context of our own, so the
 * same layout results on screen, in a PNG, a PDF and in hit-testing. */
typedef struct
{
  cairo_t              *cr;        /* NULL: measuring only */
  const AttnTheme      *theme;
  const TextSink       *sink;
  PangoContext         *context;
  PangoLayout          *layout;
  PangoFontDescription *font;
  double                font_px;
  double                line_h;    /* height of one line of label text */
} Painter;

typedef struct
{
  double   size;      /* factor of the label size; 0 means 1 */
  gboolean bold;
  double   halign;    /* 0 left, 0.5 centre, 1 right of the anchor */
  double   valign;    /* 0 top, 0.5 centre, 1 bottom of the anchor */
  double   angle;     /* radians; -G_PI/2 reads bottom to top */
  double   max_width; /* 0: unlimited; else ellipsized */
} TextStyle;

#define TEXT_STYLE(...) ((TextStyle) { __VA_ARGS__ })

static inline void
set_source (cairo_t        *cr,
            const AttnRgba *c)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, c->a);
}

static inline void
set_source_alpha (cairo_t        *cr,
                  const AttnRgba *c,
                  double          alpha)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, c->a * alpha);
}

/* Black or white, whichever reads better on @c (WCAG relative luminance). */
AttnRgba
_attn_text_color_on (const AttnRgba *c);

/* The theme's masked colour, unless the colour map's weight 0 is close to
 * it (blues starts near white, like the light theme's masked grey): then
 * a darker or lighter shade, so "masked" never reads as "weight 0". */
AttnRgba
_attn_masked_color (const AttnTheme *theme,
                    AttnColormap     colormap);

void
_attn_painter_init (Painter         *p,
                    cairo_t         *cr,
                    const AttnTheme *theme);

void
_attn_painter_clear (Painter *p);

void
_attn_painter_set_style (Painter  *p,
                         double    size_factor,
                         gboolean  bold);

double
_attn_painter_measure (Painter    *p,
                       const char *text,
                       double      size_factor,
                       gboolean    bold);

/* Draws @text anchored at (x, y) in user space. */
void
_attn_painter_text (Painter         *p,
                    const char      *text,
                    double           x,
                    double           y,
                    const AttnRgba  *color,
                    TextStyle        style);

/* The smallest of 1, 2, 5, 10, 20, 50, … that is at least @n, so thinned
 * labels fall on round token indices. */
int
_attn_nice_step (double n);

/* The widest label, measured on the longest few (by characters) rather
 * than all T, which would cost a pango layout per token per frame. */
double
_attn_measure_widest_label (Painter    *p,
                            AttnResult *result,
                            double      cap);

/* Something a view derived from @result (a whole head's worth of reading)
 * kept in @cache under @key, which names what it depends on; NULL when
 * there is none (or no cache).  The cache holds it until the result
 * changes. */
GBytes *
_attn_render_cache_lookup_array (AttnRenderCache *cache,
                                 AttnResult      *result,
                                 const char      *key);

void
_attn_render_cache_insert_array (AttnRenderCache *cache,
                                 AttnResult      *result,
                                 const char      *key,
                                 GBytes          *array);

/* The width of every token's label, from @cache when it has them: pango
 * takes about 13 µs a label, so 1024 tokens would cost a frame. */
double *
_attn_label_widths_dup (AttnRenderCache *cache,
                        Painter         *p,
                        AttnResult      *result);

gboolean
_attn_target_is_vector (cairo_t *cr);

/* The weights of one head as @display shows them (attn_display_row for
 * every row: -1 where nothing is shown), or NULL when it shows them as
 * they are.  (transfer full) */
float *
_attn_display_weights_dup (AttnResult        *result,
                           guint              layer,
                           guint              head,
                           const AttnDisplay *display);

/* Paints cells [0, T)² with cell (0, 0) at (ox, oy), clipped by the caller.
 * @size is the image resolution (T, or less for thumbnails). */
void
_attn_paint_cells (cairo_t           *cr,
                   AttnRenderCache   *cache,
                   AttnResult        *result,
                   guint              layer,
                   guint              head,
                   AttnColormap       colormap,
                   AttnScale          scale,
                   const AttnDisplay *display,
                   const AttnTheme   *theme,
                   double           ox,
                   double           oy,
                   double           cell,
                   guint            size,
                   gboolean         vector_cells,
                   int              q0,
                   int              q1,
                   int              k0,
                   int              k1);

/* The same for a (T, T) matrix of colour-map positions instead of a
 * head's weights (rollout; Δ mapped to 0..1 with 0.5 for zero, @centred);
 * @key names the matrix in @cache (NULL: not cached). */
void
_attn_paint_matrix_cells (cairo_t           *cr,
                          AttnRenderCache   *cache,
                          AttnResult        *result,
                          const float       *positions,
                          const char        *key,
                          gboolean           centred,
                          AttnColormap       colormap,
                          AttnScale          scale,
                          const AttnTheme   *theme,
                          double             ox,
                          double             oy,
                          double             cell,
                          guint              size,
                          gboolean           vector_cells,
                          int                q0,
                          int                q1,
                          int                k0,
                          int                k1);

/* Diagonal hatch over the masked cells (key > query) of rows [q0, q1),
 * so "the model may not look here" never reads as "weight 0".  @window > 0
 * (a sliding window) hatches the keys more than window - 1 before each
 * query too. */
void
_attn_paint_mask_hatch (cairo_t         *cr,
                        const AttnTheme *theme,
                        guint            n_tokens,
                        double           ox,
                        double           oy,
                        double           cell,
                        int              q0,
                        int              q1,
                        guint            window);

/* A switched-off head's picture at (x, y), @size square: veiled, struck
 * through in red, with an "off" / "mean" badge when there is room
 * (attn-render-off.c). */
void
_attn_paint_head_off (Painter        *p,
                      AeAblationKind  kind,
                      double          x,
                      double          y,
                      double          size);

/* A rectangle outline that reads on any colour: a wide halo in the
 * background colour under a narrower line in @color. */
void
_attn_outline_rect (cairo_t         *cr,
                    const AttnTheme *theme,
                    const AttnRgba  *color,
                    double           x,
                    double           y,
                    double           w,
                    double           h,
                    double           line_width);

/* The (row, column) of a square lattice under (x, y): the lattice starts at
 * (ox, oy) with @pitch per cell and shows only inside the visible rectangle
 * (vx, vy, vw, vh).  Shared by the heatmap's cells and the grid's heads. */
gboolean
_attn_lattice_hit (double  x,
                   double  y,
                   double  vx,
                   double  vy,
                   double  vw,
                   double  vh,
                   double  ox,
                   double  oy,
                   double  pitch,
                   guint   n_rows,
                   guint   n_cols,
                   int    *row,
                   int    *col);

void
_attn_set_no_size (double *width,
                   double *height);

/* Width a view reserves on its right for the colour bar, gap included. */
double
_attn_colorbar_reserve (Painter *p);

/* The colour bar in the @reserved width (0: none) right of the content
 * that ends at @content_end. */
void
_attn_paint_colorbar (Painter           *p,
                      AttnColormap       colormap,
                      AttnScale          scale,
                      const AttnDisplay *display,
                      double             content_end,
                      double             reserved,
                      double             y,
                      double             height);

/* The same for signed values: the diverging map over −limit … +limit. */
void
_attn_paint_colorbar_signed (Painter           *p,
                             double             limit,
                             double             content_end,
                             double             reserved,
                             double             y,
                             double             height);

/* Fills the background and saves @cr (the caller restores it); returns the
 * theme to draw with. */
const AttnTheme *
_attn_figure_begin (cairo_t         *cr,
                    const AttnTheme *theme,
                    double           width,
                    double           height);

/* The bold title line centred on a figure @width wide: @title, or the
 * model, layer, head and text when NULL. */
void
_attn_paint_title (Painter           *p,
                   const char        *title,
                   AttnResult        *result,
                   int                layer,
                   int                head,
                   const AttnDisplay *display,
                   AttnScale          scale,
                   double             width,
                   double             margin,
                   double             y);

/* A one-pixel frame in the grid colour just outside a rectangle. */
void
_attn_stroke_frame (cairo_t         *cr,
                    const AttnTheme *theme,
                    double           x,
                    double           y,
                    double           width,
                    double           height);

/* One head's detector score over its grid thumbnail at (x, y): a veil
 * over heads that score low, a bar as long as the score, the number when
 * the thumbnail has room; NaN draws "–" (attn-render-scores.c). */
void
_attn_paint_head_score (Painter         *p,
                        const AttnTheme *theme,
                        double           x,
                        double           y,
                        double           thumb,
                        double           score);

/* The grid's title when it shows scores (what they are, then the usual
 * title), or NULL for the usual one.  (transfer full) */
char *
_attn_grid_dup_title (const AttnGridSpec *spec);

G_END_DECLS
