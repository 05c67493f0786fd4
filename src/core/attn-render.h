/* attn-render.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pure cairo + pango renderer behind every picture of attention: the
 * heatmap, the arc view, the all-heads grid, the colour bar and the title
 * line.  Widgets (src/app), figure export (attn-export) and tests all call
 * these functions, so what is exported is what is on screen.  No GTK here.
 *
 * Every render function is a pure function of (spec, width, height): it
 * paints the whole rectangle (0, 0, width, height) of @cr, background
 * included, and reads nothing else.  The matching hit-test function takes
 * the same spec and size, so a widget maps pointer positions with exactly
 * the geometry that was drawn.
 *
 * Long inputs: with spec->cell_size == 0 a view fits itself into
 * width × height (export, thumbnails).  With cell_size > 0 the content has
 * a natural size (attn_*_get_natural_size) that may exceed the widget; the
 * widget then implements GtkScrollable, passes its viewport size as
 * width × height and the adjustments' values as scroll_x / scroll_y.  Axis
 * labels, title and colour bar stay in place; only the cells scroll.  Only
 * what is visible is drawn, so a frame costs O(visible), not O(T²).  Cells
 * smaller than a device pixel (1024 tokens in 900 px, grid thumbnails) are
 * max-pooled: each pixel shows the strongest cell it covers, so one strong
 * column is never dropped.  PDF and SVG keep every cell.
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "attn-result.h"

G_BEGIN_DECLS

/* ------------------------------------------------------------------------ */
/* Colours and colour maps                                                  */

typedef struct
{
  double r, g, b, a;   /* 0..1, not premultiplied */
} AttnRgba;

typedef enum
{
  ATTN_COLORMAP_VIRIDIS,   /* default: perceptually uniform, dark → bright */
  ATTN_COLORMAP_MAGMA,     /* perceptually uniform, black → pale yellow */
  ATTN_COLORMAP_BLUES,     /* light sequential, white → dark blue (print) */
  ATTN_COLORMAP_COUNT,     /* always add maps before this */
  /* Blue – white – red for signed values (Δ views): t = 0.5 is zero and
   * exactly neutral, 0 and 1 are −limit and +limit.  After the count: it
   * is never offered as a map for weights, nor parsed from a name. */
  ATTN_COLORMAP_DIVERGING = ATTN_COLORMAP_COUNT,
} AttnColormap;

/* "viridis", "magma", "blues" (case-insensitive); FALSE for anything else. */
gboolean     attn_colormap_from_string  (const char   *name,
                                         AttnColormap *colormap);
const char  *attn_colormap_to_string    (AttnColormap  colormap);

/* The colour of @t (clamped to 0..1) in @colormap, from a 256-entry table
 * of matplotlib's data; alpha is 1. */
AttnRgba     attn_colormap_lookup       (AttnColormap  colormap,
                                         double        t);
/* The same colour as an opaque CAIRO_FORMAT_ARGB32 pixel (0xffRRGGBB). */
guint32      attn_colormap_lookup_argb  (AttnColormap  colormap,
                                         double        t);
/* Where a signed @value sits on ATTN_COLORMAP_DIVERGING drawn over
 * −@limit … +@limit: 0.5 (neutral) for 0, 0 and 1 for −limit and +limit,
 * clamped.  Every signed map (Δ heatmaps, Compare's B − A) goes through
 * it, so they share one map and one colour bar. */
double       attn_colormap_signed_position (double     value,
                                            double     limit);

/* Black or white, whichever reads better on @background (WCAG relative
 * luminance): the ink of a weight printed on its own colour. */
AttnRgba     attn_rgba_get_text_color   (const AttnRgba *background);

/* How a weight in 0..1 becomes a position on the colour map. */
typedef enum
{
  ATTN_SCALE_LINEAR,   /* t = w (default) */
  ATTN_SCALE_SQRT,     /* t = √w: lifts weak links next to attention sinks */
  ATTN_SCALE_LOG,      /* t = 1 + log10 (w) / 3: 0.001 … 1 over the whole map */
} AttnScale;

/* "linear", "sqrt", "log" (case-insensitive); FALSE for anything else. */
gboolean     attn_scale_from_string     (const char   *name,
                                         AttnScale    *scale);

double       attn_scale_apply           (AttnScale     scale,
                                         double        weight);

/* What a map shows of the weights besides the colour scale: tokens hidden
 * (attention sinks) with rows renormalised, rows scaled to their maximum,
 * a sentence pair's links filtered to A → B and the like.
 * Zero-initialised it shows the weights as they are; see attn-display.h. */
#define ATTN_DISPLAY_MAX_HIDDEN 16

typedef struct
{
  guint    n_hidden;
  int      hidden[ATTN_DISPLAY_MAX_HIDDEN];  /* token indices, each once */
  gboolean row_max;                          /* each row ÷ its own maximum */
  int      pairs;                            /* AttnPairFilter (attn-pair.h): a sentence
                                              * pair's links kept, by sentence; the rest
                                              * not shown.  0: all */
} AttnDisplay;

/* ------------------------------------------------------------------------ */
/* Theme                                                                    */

typedef struct
{
  gboolean    dark;
  AttnRgba    background;   /* the whole figure */
  AttnRgba    foreground;   /* labels, title */
  AttnRgba    dim;          /* secondary text: ticks, quiet "·" of leading spaces */
  AttnRgba    grid;         /* cell separators, frames, colour-bar outline */
  AttnRgba    accent;       /* selected query row, pinned cell, selected head */
  AttnRgba    masked;       /* masked (future) cells, drawn with a hatch */
  const char *font_family;  /* NULL: "Cantarell, DejaVu Sans, sans-serif" */
  double      font_size;    /* label size in user units (px); 0: 11 */
} AttnTheme;

/* The built-in light and dark themes; borrowed, never NULL.  A widget may
 * copy one and replace accent / foreground with the GTK style's colours. */
const AttnTheme *attn_theme_get_default (gboolean dark);

/* ------------------------------------------------------------------------ */
/* Shared helpers                                                           */

/* A token as a label: a leading space shown as a quiet "·" (U+00B7),
 * newlines as "↵", tabs as "⇥", other control characters as U+FFFD.
 * (transfer full) */
char        *attn_render_dup_token_label (const char      *token_text);

/* The default title line: "model · layer L · head H · “sentence…”";
 * @layer or @head < 0 leaves that part out.  (transfer full) */
char        *attn_render_dup_title       (AttnResult      *result,
                                          int              layer,
                                          int              head);

/* The same with what @display and @scale change said before the sentence
 * ("… · “<|endoftext|>” hidden, rows renormalised · log scale ·
 * “The cat…”"): the default title of every view.  (transfer full) */
char        *attn_render_dup_title_full  (AttnResult        *result,
                                          int                layer,
                                          int                head,
                                          const AttnDisplay *display,
                                          AttnScale          scale);

/* Draws a vertical colour bar with ticks 0, 0.25, …, 1 (placed by @scale)
 * and its labels inside the rectangle (x, y, width, height); the bar takes
 * the left part, the tick labels the rest.  Views call it for their
 * show_colorbar; exposed for legends elsewhere. */
void         attn_render_colorbar        (cairo_t         *cr,
                                          AttnColormap     colormap,
                                          AttnScale        scale,
                                          const AttnTheme *theme,
                                          double           x,
                                          double           y,
                                          double           width,
                                          double           height);

/* Optional cache for one result: the weights images of the heads drawn
 * (keyed by layer, head, colour map, scale and size; at most 64 MiB) and
 * the widths of the token labels.  Pass it in a spec to skip repainting T²
 * pixels and re-measuring T labels when only the selection, hover or
 * scroll changed.  Holds a ref on the result; another result clears it.
 * Not thread-safe: one cache per widget. */
typedef struct _AttnRenderCache AttnRenderCache;

AttnRenderCache *attn_render_cache_new   (void);
void             attn_render_cache_free  (AttnRenderCache *cache);
void             attn_render_cache_clear (AttnRenderCache *cache);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnRenderCache, attn_render_cache_free)

/* ------------------------------------------------------------------------ */
/* Heatmap: rows are queries, columns are keys                             */

typedef struct
{
  AttnResult      *result;        /* borrowed; must have a trace */
  guint            layer;
  guint            head;
  int              query;         /* selected query row, -1 none: highlighted */
  int              key;           /* pinned key with query, -1 none: cell outlined */
  int              hover_query;   /* hovered cell, -1 none: outlined faintly */
  int              hover_key;
  AttnColormap     colormap;
  AttnScale        scale;
  AttnDisplay      display;       /* hidden tokens, row maxima: colours only */
  const AttnTheme *theme;         /* NULL: light default */
  gboolean         show_title;
  gboolean         show_colorbar;
  gboolean         hide_labels;   /* thumbnails: cells only */
  gboolean         show_values;   /* print weights in cells that are big enough */
  const char      *title;         /* NULL: attn_render_dup_title () */
  double           cell_size;     /* 0: fit; > 0: cell edge in px (zoom) */
  double           scroll_x;      /* with cell_size > 0: offset of the cells */
  double           scroll_y;
  gboolean         show_overview; /* zoomed past the viewport: a small map of all
                                   * cells in the top right corner, with the
                                   * visible region outlined */
  AttnRenderCache *cache;         /* optional */
  /* Another (T, T) matrix in place of the head's weights (rollout, Δ),
   * borrowed; NULL: the head's.  With limit > 0 it is signed: drawn on
   * ATTN_COLORMAP_DIVERGING over −limit … +limit (colormap, scale and
   * display are then ignored) with a signed colour bar, values printed
   * with their sign.  Without it, colormap and scale apply, display not.
   * Either way the display's pair filter applies: the links it leaves out
   * are drawn in the masked colour, as the weights' are. */
  const float     *matrix;
  double           limit;
  const char      *matrix_key;    /* names matrix in cache (it changes with
                                   * it); NULL: its cells are not cached */
} AttnHeatmapSpec;

/* Zero-initialises @spec, then sets result/layer/head, query = key = hover
 * = -1, viridis, light theme, title and colour bar on. */
void     attn_heatmap_spec_init          (AttnHeatmapSpec       *spec,
                                          AttnResult            *result,
                                          guint                  layer,
                                          guint                  head);

void     attn_render_heatmap             (cairo_t               *cr,
                                          const AttnHeatmapSpec *spec,
                                          double                 width,
                                          double                 height);

/* The size that shows every cell at spec->cell_size (or at a default
 * legible size when it is 0), labels, title and colour bar included. */
void     attn_heatmap_get_natural_size   (const AttnHeatmapSpec *spec,
                                          double                *width,
                                          double                *height);

/* The cell under (x, y); FALSE outside the cells.  Masked cells hit too
 * (query < key), so callers decide what to show for them. */
gboolean attn_heatmap_hit_test           (const AttnHeatmapSpec *spec,
                                          double                 width,
                                          double                 height,
                                          double                 x,
                                          double                 y,
                                          int                   *query,
                                          int                   *key);

/* Where cell (query, key) is drawn, for tooltips and keyboard focus;
 * FALSE when it is scrolled out of view. */
gboolean attn_heatmap_get_cell_rect      (const AttnHeatmapSpec *spec,
                                          double                 width,
                                          double                 height,
                                          int                    query,
                                          int                    key,
                                          cairo_rectangle_t     *rect);

/* Where the cells are at @width × @height: the visible cell area on the
 * figure (x, y, width, height), the cell edge, the figure position of
 * cell (0, 0) (negative when scrolled) and the rows and columns at least
 * partly visible, half-open.  For zoom anchors, keyboard scrolling and
 * the overview's rectangle.  FALSE without weights. */
typedef struct
{
  double x, y, width, height;
  double cell;
  double origin_x, origin_y;
  int    query0, query1;
  int    key0, key1;
} AttnHeatmapViewport;

/* Whether (x, y) is on the overview (spec->show_overview), and which
 * fractional (query, key) position of the matrix it stands for there; a
 * widget centres the view on it.  Cell hit-testing ignores what the
 * overview covers. */
gboolean attn_heatmap_overview_hit_test  (const AttnHeatmapSpec *spec,
                                          double                 width,
                                          double                 height,
                                          double                 x,
                                          double                 y,
                                          double                *query,
                                          double                *key);

gboolean attn_heatmap_get_viewport       (const AttnHeatmapSpec *spec,
                                          double                 width,
                                          double                 height,
                                          AttnHeatmapViewport   *viewport);

/* ------------------------------------------------------------------------ */
/* Arc view: tokens in reading order, arcs between them                     */

/* Which links the arc view draws.  A long text has T² / 2 of them: it shows
 * one query's, or only the strongest of every query's. */
typedef enum
{
  ATTN_ARC_LINKS_QUERY,       /* the query's to every key; without a query,
                               * as ATTN_ARC_LINKS_THRESHOLD */
  ATTN_ARC_LINKS_THRESHOLD,   /* every query's links of weight >= threshold */
  ATTN_ARC_LINKS_TOP_K,       /* every query's top_k strongest links */
} AttnArcLinks;

#define ATTN_ARC_MAX_TOP_K 10

/* "query", "threshold", "top-k": GSettings, the CLI's --links. */
const char *attn_arc_links_to_string     (AttnArcLinks           links);
gboolean    attn_arc_links_from_string   (const char            *name,
                                          AttnArcLinks          *links);

typedef struct
{
  AttnResult      *result;        /* borrowed; must have a trace */
  guint            layer;
  guint            head;
  int              query;         /* -1: every link above threshold; self-attention
                                   * is a loop over the token, in both modes */
  int              key;           /* pinned key, -1 none: its arc emphasised */
  int              hover_token;   /* -1 none */
  double           threshold;     /* links drawn without a query: weight >= this */
  AttnArcLinks     links;         /* with THRESHOLD or TOP_K and a query, the
                                   * query's links are drawn in the accent
                                   * colour, the others dimmed */
  guint            top_k;         /* with TOP_K: links per query (1 …) */
  AttnColormap     colormap;      /* arc colours come from it */
  AttnScale        scale;
  AttnDisplay      display;       /* hidden tokens draw no arcs; the rest renormalised */
  const AttnTheme *theme;         /* NULL: light default */
  gboolean         show_title;
  gboolean         show_colorbar;
  const char      *title;         /* NULL: attn_render_dup_title () */
  gboolean         scrollable;    /* FALSE: fit the strip into width (a short one
                                   * grows up to 2.25× and spreads out; a long
                                   * one turns its labels upright and thins
                                   * them); TRUE: the natural reading-order
                                   * strip, shifted by scroll_x */
  double           scroll_x;
  AttnRenderCache *cache;         /* optional; keeps the labels' widths */
} AttnArcSpec;

/* Zero-initialises @spec, then sets result/layer/head, query = key = hover
 * = -1, threshold 0.1, the query's links (top_k 3), viridis, light theme,
 * title and colour bar on. */
void     attn_arc_spec_init              (AttnArcSpec           *spec,
                                          AttnResult            *result,
                                          guint                  layer,
                                          guint                  head);

void     attn_render_arcs                (cairo_t               *cr,
                                          const AttnArcSpec     *spec,
                                          double                 width,
                                          double                 height);

/* Width of the whole token strip (every label legible) and a height that
 * fits the tallest arc. */
void     attn_arcs_get_natural_size      (const AttnArcSpec     *spec,
                                          double                *width,
                                          double                *height);

/* The token whose chip (upright: marker or label) is under (x, y); FALSE
 * for empty space, even right below a chip. */
gboolean attn_arcs_hit_test              (const AttnArcSpec     *spec,
                                          double                 width,
                                          double                 height,
                                          double                 x,
                                          double                 y,
                                          int                   *token);

typedef struct
{
  int   query;
  int   key;
  float weight;   /* as shown (hidden tokens renormalised) */
} AttnArcLink;

/* The links attn_render_arcs () draws at @width × @height, weakest first:
 * what the spec's links mode, threshold and scroll position pick (with
 * the cap on how many a frame strokes).  For tests and descriptions. */
GArray  *attn_arcs_dup_links             (const AttnArcSpec     *spec,
                                          double                 width,
                                          double                 height);

/* Where @token's chip (upright: its colour marker) is drawn; arcs and its
 * self-attention loop stand on its top edge.  FALSE when it is scrolled
 * out of view. */
gboolean attn_arcs_get_token_rect        (const AttnArcSpec     *spec,
                                          double                 width,
                                          double                 height,
                                          int                    token,
                                          cairo_rectangle_t     *rect);

/* ------------------------------------------------------------------------ */
/* All heads: one labelled thumbnail per layer × head                       */

typedef struct
{
  AttnResult      *result;        /* borrowed; must have a trace */
  int              layer;         /* selected head, outlined; -1 none */
  int              head;
  int              hover_layer;   /* -1 none */
  int              hover_head;
  int              query;         /* selected query row, marked in every thumbnail; -1 none */
  int              hover_row;     /* row under the pointer, outlined in every thumbnail; -1 none */
  AttnColormap     colormap;
  AttnScale        scale;
  AttnDisplay      display;
  const AttnTheme *theme;         /* NULL: light default */
  gboolean         show_title;
  gboolean         show_colorbar;
  const char      *title;         /* NULL: attn_render_dup_title (result, -1, -1) */
  double           thumb_size;    /* 0: fit; > 0: thumbnail edge in px */
  double           scroll_y;      /* with thumb_size > 0 */
  AttnRenderCache *cache;         /* optional; holds L × NH thumbnails */
  const double    *scores;        /* L × NH head scores in 0..1 drawn over the thumbnails
                                   * (NaN: none), or NULL (attn-render-scores.c) */
  const char      *scores_label;  /* what they are, put before the title */
} AttnGridSpec;

/* Zero-initialises @spec, then sets result, layer = head = hover = query =
 * hover_row = -1, viridis, light theme, title and colour bar on. */
void     attn_grid_spec_init             (AttnGridSpec          *spec,
                                          AttnResult            *result);

/* Rows are layers, columns heads; "L0", "H0" axis labels. */
void     attn_render_grid                (cairo_t               *cr,
                                          const AttnGridSpec    *spec,
                                          double                 width,
                                          double                 height);

void     attn_grid_get_natural_size      (const AttnGridSpec    *spec,
                                          double                *width,
                                          double                *height);

gboolean attn_grid_hit_test              (const AttnGridSpec    *spec,
                                          double                 width,
                                          double                 height,
                                          double                 x,
                                          double                 y,
                                          int                   *layer,
                                          int                   *head);

/* The same, and the query row of that thumbnail under (x, y) in @row, or
 * -1 in the gap beside it. */
gboolean attn_grid_hit_test_row          (const AttnGridSpec    *spec,
                                          double                 width,
                                          double                 height,
                                          double                 x,
                                          double                 y,
                                          int                   *layer,
                                          int                   *head,
                                          int                   *row);

/* ------------------------------------------------------------------------ */
/* Model view: one token's attention in every layer × head                  */

typedef struct
{
  AttnResult      *result;        /* borrowed; must have a trace */
  int              query;         /* whose weights every panel plots; -1: a hint only */
  int              key;           /* panels ranked by query → key ("find heads"); -1: layer order */
  int              layer;         /* selected head, outlined; -1 none */
  int              head;
  int              hover_layer;   /* -1 none */
  int              hover_head;
  AttnColormap     colormap;
  AttnScale        scale;         /* bar heights and colours */
  const AttnTheme *theme;         /* NULL: light default */
  gboolean         show_title;
  const char      *title;         /* NULL: model, query and what the panels show */
  double           panel_height;  /* 0: fit; > 0: panel height in px, rows scroll */
  double           scroll_y;
} AttnModelSpec;

/* Zero-initialises @spec, then sets result, query = key = layer = head =
 * hover = -1, viridis, light theme, title on. */
void     attn_model_spec_init            (AttnModelSpec         *spec,
                                          AttnResult            *result);

/* A panel per head, L rows of H, in layer order or ranked by the weight
 * query → key: each a bar chart of the query's weight on every token, the
 * bars of all panels aligned on the same token positions, labelled by the
 * token names above the first row. */
void     attn_render_model               (cairo_t               *cr,
                                          const AttnModelSpec   *spec,
                                          double                 width,
                                          double                 height);

void     attn_model_get_natural_size     (const AttnModelSpec   *spec,
                                          double                *width,
                                          double                *height);

/* The head whose panel is under (x, y). */
gboolean attn_model_hit_test             (const AttnModelSpec   *spec,
                                          double                 width,
                                          double                 height,
                                          double                 x,
                                          double                 y,
                                          int                   *layer,
                                          int                   *head);

/* ------------------------------------------------------------------------ */
/* Rollout: the selected query's row of bars over the full T × T map         */

typedef struct
{
  AttnResult      *result;        /* borrowed: tokens, title */
  const float     *rollout;       /* (T, T) borrowed; NULL while it is computed */
  const float     *row;           /* (T,) the query's row, borrowed; NULL: none */
  int              query;         /* -1 none */
  int              hover_key;     /* bar under the pointer, -1 none */
  AttnColormap     colormap;
  AttnScale        scale;
  const AttnTheme *theme;         /* NULL: light default */
  gboolean         show_title;
  gboolean         show_colorbar;
  gboolean         show_note;     /* attn_rollout_note (TRUE) under the title */
  const char      *title;         /* NULL: attn_result_dup_rollout_title () */
  int              pairs;         /* AttnPairFilter: a sentence pair's links kept
                                   * (bars and map), the rest not shown.  0: all */
  const char      *matrix_key;    /* names rollout in cache; NULL: not cached */
  AttnRenderCache *cache;         /* optional */
} AttnRolloutSpec;

/* Zero-initialises @spec, then sets result, query = hover = -1, viridis,
 * light theme, title, note and colour bar on. */
void     attn_rollout_spec_init          (AttnRolloutSpec       *spec,
                                          AttnResult            *result);

/* A bar per token of the query's row (its height the rollout weight, on
 * the columns of the map below), then the whole rollout as a heatmap with
 * the query's row outlined. */
void     attn_render_rollout             (cairo_t               *cr,
                                          const AttnRolloutSpec *spec,
                                          double                 width,
                                          double                 height);

void     attn_rollout_get_natural_size   (const AttnRolloutSpec *spec,
                                          double                *width,
                                          double                *height);

/* What is under (x, y): a bar (query, key) of the row or a cell (query,
 * key) of the map; FALSE for anything else. */
gboolean attn_rollout_hit_test           (const AttnRolloutSpec *spec,
                                          double                 width,
                                          double                 height,
                                          double                 x,
                                          double                 y,
                                          int                   *query,
                                          int                   *key);

/* ------------------------------------------------------------------------ */
/* For export only                                                          */

/* Receives each text the renderer would draw on @surface instead of it
 * being drawn as glyphs: cairo 1.16's SVG surface turns glyphs into paths,
 * so SVG export collects the texts and writes them as real <text>.  The
 * text is the final (ellipsized) string; @matrix maps its origin (0, 0) at
 * the baseline to device space; @anchor is 0 start, 0.5 middle, 1 end. */
typedef void (*AttnTextSink) (const char           *text,
                              const cairo_matrix_t *matrix,
                              double                anchor,
                              double                font_px,
                              gboolean              bold,
                              const AttnRgba       *color,
                              gpointer              user_data);

void     _attn_render_set_text_sink      (cairo_surface_t       *surface,
                                          AttnTextSink           sink,
                                          gpointer               user_data);

G_END_DECLS
