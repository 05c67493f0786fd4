/* attn-export.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Figures: the heatmap, the arc view or the all-heads grid of a result as
 * PNG, SVG or PDF, drawn by the same renderer as the screen (attn-render).
 * Every head at once is a multi-page PDF (one titled heatmap per layer ×
 * head) or a PNG contact sheet (the grid).  Files are written through a
 * temporary file renamed into place, so a failed export leaves nothing.
 * (Values as CSV/JSON/NPY live in attn-values.h.)
 */
#pragma once

#include <gio/gio.h>

#include "attn-render.h"
#include "attn-result.h"

G_BEGIN_DECLS

#define ATTN_EXPORT_ERROR (attn_export_error_quark ())

typedef enum
{
  ATTN_EXPORT_ERROR_UNKNOWN_FORMAT,   /* the file name names no format we write */
  ATTN_EXPORT_ERROR_INVALID,          /* bad size, layer, head or token; no weights */
  ATTN_EXPORT_ERROR_FAILED,           /* cairo could not draw or encode */
} AttnExportError;

GQuark attn_export_error_quark (void);

typedef enum
{
  ATTN_FIGURE_PNG,
  ATTN_FIGURE_SVG,
  ATTN_FIGURE_PDF,
} AttnFigureFormat;

typedef enum
{
  ATTN_VIEW_HEATMAP,
  ATTN_VIEW_ARCS,
  ATTN_VIEW_GRID,
  ATTN_VIEW_COMPARE,   /* two texts' attention for one head (attn-render-compare.c) */
  ATTN_VIEW_DELTA,     /* the head's attention with heads off minus the intact
                        * model's (options->intact), on a diverging map */
  ATTN_VIEW_ROLLOUT,   /* the query's rollout row over the whole rollout map */
} AttnView;

typedef struct
{
  AttnView     view;
  guint        layer;
  guint        head;
  int          query;          /* -1 none: selected query row / arc source */
  int          key;            /* -1 none: pinned cell / arc */
  AttnColormap colormap;
  AttnScale    scale;
  AttnDisplay  display;        /* hidden tokens, row maxima (the title says so) */
  gboolean     dark;
  gboolean     show_title;
  gboolean     show_colorbar;
  gboolean     show_values;    /* heatmap: weights printed in big cells */
  double       threshold;      /* arcs without a query, or with ATTN_ARC_LINKS_THRESHOLD */
  AttnArcLinks arc_links;      /* arcs: the query's, above the threshold, or top k */
  guint        top_k;          /* arcs with ATTN_ARC_LINKS_TOP_K: links per token */
  double       width;          /* figure size in px (PNG at ×1) or pt (SVG, PDF); 0: default */
  double       height;         /* 0: default, or from width keeping the default's aspect */
  double       png_scale;      /* PNG pixels per unit: 1, 2, 4…; 0: 1 */
  gboolean     all_heads;      /* PDF: one heatmap page per layer × head; PNG: the grid */
  const char  *title;          /* NULL: model, layer, head and sentence */
  /* Issue 14's head detectors and comparison: */
  const double *scores;        /* grid: L × NH scores drawn over the thumbnails, or NULL */
  const char  *scores_label;   /* what they are ("Induction on the induction probe") */
  AttnResult  *compare;        /* compare: the second text's result (borrowed) */
  gboolean     compare_delta;  /* compare: B − A rather than both side by side */
  AttnResult  *intact;         /* ATTN_VIEW_DELTA: the intact model's run of the
                                * same tokens (borrowed; the async export keeps a ref) */
} AttnFigureOptions;

/* Heatmap, layer 0, head 0, nothing selected, viridis, light, title and
 * colour bar on, threshold 0.1, the query's arcs (top k 3), default size,
 * ×1. */
void     attn_figure_options_init          (AttnFigureOptions        *options);

/* "png", "svg", "pdf" by the file's extension (case-insensitive). */
gboolean attn_figure_format_from_path      (const char               *path,
                                            AttnFigureFormat         *format);
/* "heatmap", "arcs", "grid", "compare", "delta", "rollout". */
gboolean attn_view_from_string             (const char               *name,
                                            AttnView                 *view);

/* The size the figure gets (before png_scale) with @options' width and
 * height, filling in whichever is 0. */
void     attn_figure_get_size              (AttnResult               *result,
                                            const AttnFigureOptions  *options,
                                            double                   *width,
                                            double                   *height);

/* The PNG scale (1…8) at which every cell of a heatmap figure gets at
 * least a pixel of its own: 1 for short texts and the other views, 3 for
 * 4,096 tokens at the default size (1,600 px of cells).  The save
 * dialog offers it for long texts; at ×1 they are scaled down (each pixel
 * the strongest cell it covers). */
guint    attn_figure_get_pixel_scale       (AttnResult               *result,
                                            const AttnFigureOptions  *options);

gboolean attn_export_figure_to_stream      (AttnResult               *result,
                                            const AttnFigureOptions  *options,
                                            AttnFigureFormat          format,
                                            GOutputStream            *stream,
                                            GCancellable             *cancellable,
                                            GError                  **error);

/* Writes @path in the format its extension names, atomically. */
gboolean attn_export_figure                (AttnResult               *result,
                                            const AttnFigureOptions  *options,
                                            const char               *path,
                                            GCancellable             *cancellable,
                                            GError                  **error);

G_END_DECLS
