/* attn-render-heatmap.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The heatmap: rows are queries, columns keys, one cell per weight.
 */

#define G_LOG_DOMAIN "attn-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "attn-display.h"
#include "attn-pair.h"
#include "attn-render-private.h"
#include "attn-result-vectors.h"

/* Vector targets draw at most this many tokens as rectangles; beyond it an
 * embedded image is smaller and looks the same. */
#define MAX_VECTOR_CELLS_T  96

/* Gap between the overview and the corner of the cells. */
#define OVERVIEW_INSET      8.0

void
attn_heatmap_spec_init (AttnHeatmapSpec *spec,
                        AttnResult      *result,
                        guint            layer,
                        guint            head)
{
  g_return_if_fail (spec != NULL);

  memset (spec, 0, sizeof *spec);
  spec->result = result;
  spec->layer = layer;
  spec->head = head;
  spec->query = spec->key = -1;
  spec->hover_query = spec->hover_key = -1;
  spec->colormap = ATTN_COLORMAP_VIRIDIS;
  spec->scale = ATTN_SCALE_LINEAR;
  spec->show_title = TRUE;
  spec->show_colorbar = TRUE;
}

typedef struct
{
  guint    n_tokens;
  gboolean labels;
  double   margin;
  double   gap;          /* between labels and cells */
  double   label_w;      /* widest token label, capped */
  double   title_h;      /* 0 without a title */
  double   title_y;
  double   cell;
  double   mx, my, mw, mh;   /* visible cell area */
  double   ox, oy;           /* top-left of cell (0, 0) */
  int      q0, q1, k0, k1;   /* visible rows and columns, half-open */
  double   cb_w;             /* colour bar, gap included; 0 without one */
  double   ov_x, ov_y, ov_size;  /* overview; size 0 without one */
  double   height;           /* of the whole figure */
} HeatLayout;

static gboolean
heatmap_spec_valid (const AttnHeatmapSpec *spec)
{
  return spec != NULL && spec->result != NULL &&
         attn_result_get_n_tokens (spec->result) > 0 &&
         (spec->matrix != NULL || attn_result_get_weights (spec->result, spec->layer, spec->head) != NULL);
}

/* What the cells show: the head's weights, or the spec's matrix. */
static const float *
heatmap_values (const AttnHeatmapSpec *spec)
{
  return spec->matrix != NULL ? spec->matrix : attn_result_get_weights (spec->result, spec->layer, spec->head);
}

/* A signed matrix as colour-map positions: 0.5 for 0, 0 and 1 for
 * −limit and +limit (clamped).  (transfer full) */
static float *
signed_positions_dup (const AttnHeatmapSpec *spec,
                      guint                  n_tokens)
{
  gsize n = (gsize) n_tokens * n_tokens;
  float *positions = g_new (float, n);

  for (gsize i = 0; i < n; i++)
    positions[i] = (float) attn_colormap_signed_position (spec->matrix[i], spec->limit);
  return positions;
}

/* Whether the cell (@q, @k) of a matrix shows: a sentence pair's Links
 * filter (display.pairs) applies to it as to the weights. */
static gboolean
matrix_cell_shown (const AttnHeatmapSpec *spec,
                   guint                  q,
                   guint                  k)
{
  return attn_pair_filter_keeps ((AttnPairFilter) spec->display.pairs, spec->result, q, k);
}

/* @positions with the cells the filter leaves out at -1: drawn in the
 * masked colour.  (transfer full) */
static float *
filter_positions (const AttnHeatmapSpec *spec,
                  const float           *positions)
{
  guint T = attn_result_get_n_tokens (spec->result);
  float *out = g_memdup2 (positions, (gsize) T * T * sizeof (float));

  for (guint q = 0; q < T; q++)
    for (guint k = 0; k < T; k++)
      if (!matrix_cell_shown (spec, q, k))
        out[(gsize) q * T + k] = -1;
  return out;
}

/* The cells of (0, 0) … at (ox, oy), from the head or from @positions
 * (the matrix as colour-map positions). */
static void
paint_spec_cells (cairo_t               *cr,
                  const AttnHeatmapSpec *spec,
                  const AttnTheme       *theme,
                  const float           *positions,
                  double                 ox,
                  double                 oy,
                  double                 cell,
                  guint                  n_tokens,
                  gboolean               vector_cells,
                  int                    q0,
                  int                    q1,
                  int                    k0,
                  int                    k1)
{
  gboolean is_signed = spec->limit > 0;

  if (spec->matrix == NULL)
    _attn_paint_cells (cr, spec->cache, spec->result, spec->layer, spec->head, spec->colormap, spec->scale,
                       &spec->display, theme, ox, oy, cell, n_tokens, vector_cells, q0, q1, k0, k1);
  else
    _attn_paint_matrix_cells (cr, spec->cache, spec->result, positions, spec->matrix_key, is_signed,
                              is_signed ? ATTN_COLORMAP_DIVERGING : spec->colormap,
                              is_signed ? ATTN_SCALE_LINEAR : spec->scale,
                              theme, ox, oy, cell, n_tokens, vector_cells, q0, q1, k0, k1);
}

/* The default cell edge when the caller gives none: big enough for one
 * line of label text, and a comfortable figure for short sentences. */
static double
heatmap_default_cell (Painter *p,
                      guint    n_tokens)
{
  return MAX (ceil (p->line_h * 1.25), MIN (48.0, floor (480.0 / n_tokens)));
}

/* Parts of the layout that do not depend on the size given. */
static void
heatmap_layout_frame (const AttnHeatmapSpec *spec,
                      Painter               *p,
                      HeatLayout            *l,
                      double                *gutter_x,
                      double                *gutter_y)
{
  memset (l, 0, sizeof *l);
  l->n_tokens = attn_result_get_n_tokens (spec->result);
  l->labels = !spec->hide_labels;
  l->margin = spec->hide_labels ? 0 : round (p->line_h * 1.1);
  l->gap = round (p->line_h * 0.4);

  if (l->labels)
    l->label_w = _attn_measure_widest_label (p, spec->result, 9.5 * p->font_px);
  if (spec->show_title)
    l->title_h = ceil (p->line_h * 1.25 + p->line_h * 0.9);
  if (spec->show_colorbar)
    l->cb_w = _attn_colorbar_reserve (p);

  /* Axis name + gap + labels + gap, on the left and below the cells. */
  *gutter_x = l->labels ? p->line_h + l->gap + l->label_w + l->gap : 0;
  *gutter_y = *gutter_x;
}

static void
heatmap_layout (const AttnHeatmapSpec *spec,
                Painter               *p,
                double                 width,
                double                 height,
                HeatLayout            *l)
{
  double gutter_x, gutter_y;
  double full;

  heatmap_layout_frame (spec, p, l, &gutter_x, &gutter_y);
  l->height = height;

  if (spec->cell_size > 0)
    {
      /* Zoomed: fixed gutters, the cells scroll under them. */
      l->cell = spec->cell_size;
      full = l->n_tokens * l->cell;
      l->mx = l->margin + gutter_x;
      l->my = l->margin + l->title_h;
      l->mw = CLAMP (width - l->mx - l->cb_w - l->margin, 0, full);
      l->mh = CLAMP (height - l->my - gutter_y - l->margin, 0, full);

      /* A map smaller than the view sits in its middle, as when fitted. */
      l->mx += round (MAX (0, width - l->mx - l->cb_w - l->margin - full) / 2);
      l->my += round (MAX (0, height - l->my - gutter_y - l->margin - full) / 2);

      l->ox = l->mx - CLAMP (spec->scroll_x, 0, full - l->mw);
      l->oy = l->my - CLAMP (spec->scroll_y, 0, full - l->mh);
    }
  else
    {
      double avail_w = width - 2 * l->margin - gutter_x - l->cb_w;
      double avail_h = height - 2 * l->margin - l->title_h - gutter_y;
      double block_w, block_h;

      l->cell = MAX (MIN (avail_w, avail_h), 1.0) / l->n_tokens;
      full = l->n_tokens * l->cell;
      l->mw = l->mh = full;

      /* Centre the whole figure, so the margins balance on every side. */
      block_w = gutter_x + full + l->cb_w;
      block_h = l->title_h + full + gutter_y;
      l->mx = round ((width - block_w) / 2 + gutter_x);
      l->my = round ((height - block_h) / 2 + l->title_h);
      l->ox = l->mx;
      l->oy = l->my;
    }

  l->q0 = CLAMP ((int) floor ((l->my - l->oy) / l->cell), 0, (int) l->n_tokens);
  l->q1 = CLAMP ((int) ceil ((l->my + l->mh - l->oy) / l->cell), 0, (int) l->n_tokens);
  l->k0 = CLAMP ((int) floor ((l->mx - l->ox) / l->cell), 0, (int) l->n_tokens);
  l->k1 = CLAMP ((int) ceil ((l->mx + l->mw - l->ox) / l->cell), 0, (int) l->n_tokens);

  l->title_y = l->my - l->title_h;

  /* The overview only when something is out of view, and only where it
   * leaves most of the cells visible: a third of the shorter side, at
   * most 160 px, at least 48. */
  if (spec->show_overview && spec->cell_size > 0 && (full > l->mw + 0.5 || full > l->mh + 0.5))
    {
      double size = floor (MIN (160.0, MIN (l->mw, l->mh) / 3.0));

      if (size >= 48)
        {
          l->ov_size = size;
          l->ov_x = l->mx + l->mw - size - OVERVIEW_INSET;
          l->ov_y = l->my + OVERVIEW_INSET;
        }
    }
}

void
attn_heatmap_get_natural_size (const AttnHeatmapSpec *spec,
                               double                *width,
                               double                *height)
{
  HeatLayout l;
  Painter p;
  double gutter_x, gutter_y, cell, full;

  g_return_if_fail (spec != NULL);

  /* Nothing to draw (no result yet, or no trace): no size. */
  if (!heatmap_spec_valid (spec))
    {
      _attn_set_no_size (width, height);
      return;
    }

  _attn_painter_init (&p, NULL, spec->theme ? spec->theme : attn_theme_get_default (FALSE));
  heatmap_layout_frame (spec, &p, &l, &gutter_x, &gutter_y);
  cell = spec->cell_size > 0 ? spec->cell_size : heatmap_default_cell (&p, l.n_tokens);
  full = l.n_tokens * cell;

  if (width != NULL)
    *width = ceil (2 * l.margin + gutter_x + full + l.cb_w);
  if (height != NULL)
    *height = ceil (2 * l.margin + l.title_h + full + gutter_y);

  _attn_painter_clear (&p);
}

/* The layout at @width × @height, measured without a cairo context. */
static void
heatmap_layout_measured (const AttnHeatmapSpec *spec,
                         double                 width,
                         double                 height,
                         HeatLayout            *l)
{
  Painter p;

  _attn_painter_init (&p, NULL, spec->theme ? spec->theme : attn_theme_get_default (FALSE));
  heatmap_layout (spec, &p, width, height, l);
  _attn_painter_clear (&p);
}

static gboolean
on_overview (const HeatLayout *l,
             double            x,
             double            y)
{
  return l->ov_size > 0 && x >= l->ov_x && x < l->ov_x + l->ov_size
         && y >= l->ov_y && y < l->ov_y + l->ov_size;
}

gboolean
attn_heatmap_hit_test (const AttnHeatmapSpec *spec,
                       double                 width,
                       double                 height,
                       double                 x,
                       double                 y,
                       int                   *query,
                       int                   *key)
{
  HeatLayout l;

  g_return_val_if_fail (spec != NULL, FALSE);

  if (!heatmap_spec_valid (spec))
    return FALSE;

  heatmap_layout_measured (spec, width, height, &l);

  if (on_overview (&l, x, y))
    return FALSE;   /* the overview is on top */

  return _attn_lattice_hit (x, y, l.mx, l.my, l.mw, l.mh, l.ox, l.oy, l.cell,
                            l.n_tokens, l.n_tokens, query, key);
}

gboolean
attn_heatmap_overview_hit_test (const AttnHeatmapSpec *spec,
                                double                 width,
                                double                 height,
                                double                 x,
                                double                 y,
                                double                *query,
                                double                *key)
{
  HeatLayout l;

  g_return_val_if_fail (spec != NULL, FALSE);

  if (!heatmap_spec_valid (spec))
    return FALSE;

  heatmap_layout_measured (spec, width, height, &l);
  if (!on_overview (&l, x, y))
    return FALSE;

  if (query != NULL)
    *query = (y - l.ov_y) / l.ov_size * l.n_tokens;
  if (key != NULL)
    *key = (x - l.ov_x) / l.ov_size * l.n_tokens;
  return TRUE;
}

gboolean
attn_heatmap_get_viewport (const AttnHeatmapSpec *spec,
                           double                 width,
                           double                 height,
                           AttnHeatmapViewport   *viewport)
{
  HeatLayout l;

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (viewport != NULL, FALSE);

  if (!heatmap_spec_valid (spec))
    return FALSE;

  heatmap_layout_measured (spec, width, height, &l);
  *viewport = (AttnHeatmapViewport) {
    .x = l.mx, .y = l.my, .width = l.mw, .height = l.mh,
    .cell = l.cell, .origin_x = l.ox, .origin_y = l.oy,
    .query0 = l.q0, .query1 = l.q1, .key0 = l.k0, .key1 = l.k1,
  };
  return TRUE;
}

gboolean
attn_heatmap_get_cell_rect (const AttnHeatmapSpec *spec,
                            double                 width,
                            double                 height,
                            int                    query,
                            int                    key,
                            cairo_rectangle_t     *rect)
{
  HeatLayout l;

  g_return_val_if_fail (spec != NULL, FALSE);

  if (!heatmap_spec_valid (spec))
    return FALSE;

  heatmap_layout_measured (spec, width, height, &l);

  if (query < l.q0 || query >= l.q1 || key < l.k0 || key >= l.k1)
    return FALSE;

  if (rect != NULL)
    *rect = (cairo_rectangle_t) { l.ox + key * l.cell, l.oy + query * l.cell, l.cell, l.cell };
  return TRUE;
}

/* A small triangle on an axis, pointing along it towards lower (@ahead
 * FALSE) or higher token indices: rows point up or down, columns left or
 * right.  (x, y) is its centre. */
static void
paint_axis_arrow (cairo_t        *cr,
                  const AttnRgba *color,
                  gboolean        rows,
                  gboolean        ahead,
                  double          x,
                  double          y,
                  double          size)
{
  double s = ahead ? 1 : -1, h = size / 2;

  if (rows)
    {
      cairo_move_to (cr, x - h, y - s * h * 0.8);
      cairo_line_to (cr, x + h, y - s * h * 0.8);
      cairo_line_to (cr, x, y + s * h * 0.8);
    }
  else
    {
      cairo_move_to (cr, x - s * h * 0.8, y - h);
      cairo_line_to (cr, x - s * h * 0.8, y + h);
      cairo_line_to (cr, x + s * h * 0.8, y);
    }
  cairo_close_path (cr);
  set_source (cr, color);
  cairo_fill (cr);
}

/* Where a marked token's label goes on its axis: its row or column in
 * view, or, the selected query or key scrolled away, pinned to the edge
 * it went past (*pinned: -1 before, +1 after, 0 in view).  FALSE for a
 * hover scrolled away: it has no label. */
static gboolean
heatmap_mark_position (Painter          *p,
                       const HeatLayout *l,
                       gboolean          rows,
                       int               token,
                       gboolean          selected,
                       int               first,
                       int               last,
                       double           *centre,
                       int              *pinned)
{
  double lo = rows ? l->my : l->mx;
  double hi = lo + (rows ? l->mh : l->mw);

  *pinned = token < first ? -1 : token >= last ? 1 : 0;
  if (*pinned != 0 && !selected)
    return FALSE;
  if (*pinned < 0)
    *centre = lo + p->line_h * 0.55;
  else if (*pinned > 0)
    *centre = hi - p->line_h * 0.55;
  else
    *centre = (rows ? l->oy : l->ox) + (token + 0.5) * l->cell;
  return TRUE;
}

/* Token labels along one axis: every step-th, the highlighted ones always
 * (in the accent colour), the others only where they do not collide.  The
 * selected query (rows) or key (columns) keeps its label when zoomed or
 * panned away from it: pinned to the edge of the cells, with an arrow
 * pointing where it went, so a long text never loses what is selected. */
static void
heatmap_axis_labels (Painter               *p,
                     const AttnHeatmapSpec *spec,
                     const HeatLayout      *l,
                     gboolean               rows)
{
  const AttnTheme *theme = p->theme;
  int first = rows ? l->q0 : l->k0;
  int last = rows ? l->q1 : l->k1;
  double origin = rows ? l->oy : l->ox;
  int marked[2] = { rows ? spec->query : spec->key, rows ? spec->hover_query : spec->hover_key };
  double mark_c[2];
  int pinned[2] = { 0, 0 };
  gboolean shown[2] = { FALSE, FALSE };
  int step = _attn_nice_step (ceil (p->line_h * 1.05 / l->cell));
  double room = p->line_h * 1.05;
  double lo = rows ? l->my : l->mx;
  double hi = lo + (rows ? l->mh : l->mw);

  /* Zoomed, a row half scrolled away keeps no label: it would stray over
   * the title or the other axis. */
  while (first < last && origin + (first + 0.5) * l->cell < lo)
    first++;
  while (last > first && origin + (last - 0.5) * l->cell > hi)
    last--;

  for (guint m = 0; m < G_N_ELEMENTS (marked); m++)
    shown[m] = marked[m] >= 0 && (m == 0 || marked[m] != marked[0]) &&
               heatmap_mark_position (p, l, rows, marked[m], m == 0, first, last, &mark_c[m], &pinned[m]);

  for (int i = first - first % step; i < last; i += step)
    {
      gboolean near_mark = FALSE;
      double c = origin + (i + 0.5) * l->cell;

      if (i < first)
        continue;
      /* the marked ones are drawn below, emphasised; their neighbours
       * make room for them */
      for (guint m = 0; m < G_N_ELEMENTS (marked); m++)
        if ((shown[m] && fabs (c - mark_c[m]) < room) || i == marked[m])
          near_mark = TRUE;
      if (near_mark)
        continue;

      {
        g_autofree char *label = attn_render_dup_token_label (attn_result_get_token_text (spec->result, i));

        if (rows)
          _attn_painter_text (p, label, l->mx - l->gap, c, &theme->foreground,
                              TEXT_STYLE (.halign = 1, .valign = 0.5, .max_width = l->label_w));
        else
          _attn_painter_text (p, label, c, l->my + l->mh + l->gap, &theme->foreground,
                              TEXT_STYLE (.halign = 1, .valign = 0.5, .angle = -G_PI / 2,
                                          .max_width = l->label_w));
      }
    }

  for (guint m = 0; m < G_N_ELEMENTS (marked); m++)
    {
      const AttnRgba *color = m == 0 ? &theme->accent : &theme->foreground;
      g_autofree char *label = NULL;
      double arrow = 0, c = mark_c[m], room_w = l->label_w;

      if (!shown[m])
        continue;

      label = attn_render_dup_token_label (attn_result_get_token_text (spec->result, marked[m]));
      if (pinned[m] != 0)
        {
          /* Away from its row, the label says where the token is (first:
           * a short gutter cuts the end off), and may take the axis name's
           * room and the margin, up to the figure's edge: the name sits in
           * the middle. */
          char *with_position = g_strdup_printf (C_("a token's label pinned to the heatmap's edge", "#%d %s"),
                                                 marked[m], label);

          /* the arrow sits between the cells and the label */
          arrow = round (p->line_h * 0.6);
          if (rows)
            paint_axis_arrow (p->cr, color, TRUE, pinned[m] > 0, l->mx - l->gap - arrow / 2, c, arrow);
          else
            paint_axis_arrow (p->cr, color, FALSE, pinned[m] > 0, c, l->my + l->mh + l->gap + arrow / 2, arrow);
          arrow += 2;

          room_w = rows ? l->mx - l->gap - 2 : l->height - (l->my + l->mh + l->gap) - 2;
          g_free (label);
          label = with_position;
          /* too narrow for both: the position alone */
          if (_attn_painter_measure (p, label, 1.0, TRUE) > room_w - arrow)
            {
              g_free (label);
              label = g_strdup_printf ("#%d", marked[m]);
            }
        }
      if (rows)
        _attn_painter_text (p, label, l->mx - l->gap - arrow, c, color,
                            TEXT_STYLE (.halign = 1, .valign = 0.5, .bold = TRUE, .max_width = room_w - arrow));
      else
        _attn_painter_text (p, label, c, l->my + l->mh + l->gap + arrow, color,
                            TEXT_STYLE (.halign = 1, .valign = 0.5, .angle = -G_PI / 2, .bold = TRUE,
                                        .max_width = room_w - arrow));
    }
}

/* Each visible weight printed in its cell, in black or white by the
 * cell's colour.  There are only 101 strings ("0.00" … "1.00"), so on
 * screen each is shaped once per frame and reused: shaping per cell cost
 * 20 ms for a view full of 36 px cells. */
static void
paint_cell_values (Painter               *p,
                   const AttnHeatmapSpec *spec,
                   const HeatLayout      *l,
                   const float           *weights)
{
  double size = CLAMP (l->cell / (3.4 * p->font_px), 0.8, 1.1);
  PangoLayout *shaped[201] = { NULL };
  PangoRectangle extents[201];
  g_autofree float *row = g_new (float, l->n_tokens);
  gboolean identity = spec->matrix != NULL || attn_display_is_identity (&spec->display);
  gboolean is_signed = spec->limit > 0;

  _attn_painter_set_style (p, size, FALSE);

  for (int q = l->q0; q < l->q1; q++)
    {
      /* The true weight is printed, on the colour the display gives it. */
      if (!identity)
        attn_display_result_row (&spec->display, spec->result, weights, q, row);

      for (int k = l->k0; k < MIN (l->k1, (int) attn_result_get_n_keys_seen (spec->result, q)); k++)
        {
          double w = weights[(gsize) q * l->n_tokens + k];
          double shown = identity ? w : row[k];
          AttnRgba c;
          AttnRgba ink;
          int i;
          double x, y;
          char text[16];

          if ((shown < 0 && !is_signed) || (spec->matrix != NULL && !matrix_cell_shown (spec, q, k)))
            continue;   /* hidden, or a link the pair filter leaves out */
          if (is_signed)
            c = attn_colormap_lookup (ATTN_COLORMAP_DIVERGING, attn_colormap_signed_position (w, spec->limit));
          else
            c = attn_colormap_lookup (spec->colormap, attn_scale_apply (spec->scale, shown));
          ink = _attn_text_color_on (&c);
          /* signed values: "−0.12" … "+0.12", 201 strings */
          i = is_signed ? CLAMP ((int) lround (w * 100), -100, 100) + 100 : CLAMP ((int) lround (w * 100), 0, 100);
          x = l->ox + (k + 0.5) * l->cell;
          y = l->oy + (q + 0.5) * l->cell;

          if (is_signed && i == 100)
            g_strlcpy (text, "0", sizeof text);
          else
            g_snprintf (text, sizeof text, is_signed ? "%+.2f" : "%.2f", w);
          if (p->sink != NULL)
            {
              _attn_painter_text (p, text, x, y, &ink, TEXT_STYLE (.size = size, .halign = 0.5, .valign = 0.5));
              continue;
            }

          if (shaped[i] == NULL)
            {
              shaped[i] = pango_layout_copy (p->layout);
              pango_layout_set_text (shaped[i], text, -1);
              pango_layout_get_extents (shaped[i], NULL, &extents[i]);
            }
          cairo_move_to (p->cr,
                         x - (extents[i].x + extents[i].width / 2.0) / PANGO_SCALE,
                         y - (extents[i].y + extents[i].height / 2.0) / PANGO_SCALE);
          set_source (p->cr, &ink);
          pango_cairo_show_layout (p->cr, shaped[i]);
        }
    }

  for (int i = 0; i < 201; i++)
    g_clear_object (&shaped[i]);
}

/* Every cell at the overview's size (max-pooled, from the cache), a
 * frame, and the visible region as a rectangle in the accent colour. */
static void
paint_overview (cairo_t               *cr,
                const AttnHeatmapSpec *spec,
                const AttnTheme       *theme,
                const float           *positions,
                const HeatLayout      *l)
{
  double s = l->ov_size / l->n_tokens;   /* overview px per cell */
  double vx = l->ov_x + (l->mx - l->ox) / l->cell * s;
  double vy = l->ov_y + (l->my - l->oy) / l->cell * s;
  double vw = MAX (l->mw / l->cell * s, 2.0);
  double vh = MAX (l->mh / l->cell * s, 2.0);

  cairo_save (cr);
  _attn_outline_rect (cr, theme, &theme->grid, l->ov_x - 1, l->ov_y - 1, l->ov_size + 2, l->ov_size + 2, 1.0);
  cairo_rectangle (cr, l->ov_x, l->ov_y, l->ov_size, l->ov_size);
  cairo_clip (cr);
  paint_spec_cells (cr, spec, theme, positions, l->ov_x, l->ov_y, s, l->n_tokens, FALSE,
                    0, l->n_tokens, 0, l->n_tokens);

  if (spec->query >= 0)
    {
      set_source_alpha (cr, &theme->accent, 0.8);
      cairo_rectangle (cr, l->ov_x, l->ov_y + (spec->query + 0.5) * s - 0.5, l->ov_size, 1.0);
      cairo_fill (cr);
    }

  /* The visible region: a veil outside it, then its outline. */
  set_source_alpha (cr, &theme->background, 0.35);
  cairo_rectangle (cr, l->ov_x, l->ov_y, l->ov_size, l->ov_size);
  cairo_rectangle (cr, vx, vy, vw, vh);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_fill (cr);
  _attn_outline_rect (cr, theme, &theme->accent, vx, vy, vw, vh, 1.5);
  cairo_restore (cr);
}

void
attn_render_heatmap (cairo_t               *cr,
                     const AttnHeatmapSpec *spec,
                     double                 width,
                     double                 height)
{
  const AttnTheme *theme;
  const float *weights;
  g_autofree float *signed_positions = NULL;
  g_autofree float *filtered_positions = NULL;
  g_autofree char *filtered_key = NULL;
  AttnHeatmapSpec filtered;
  const float *positions;
  HeatLayout l;
  Painter p;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (spec != NULL);

  theme = _attn_figure_begin (cr, spec->theme, width, height);
  if (!heatmap_spec_valid (spec))
    {
      cairo_restore (cr);
      return;
    }

  weights = heatmap_values (spec);
  if (spec->matrix != NULL && spec->limit > 0)
    signed_positions = signed_positions_dup (spec, attn_result_get_n_tokens (spec->result));
  positions = signed_positions ? signed_positions : spec->matrix;
  /* A sentence pair's Links filter on a matrix (Δ, rollout): the links it
   * leaves out take the masked colour, as the weights' do; cached apart. */
  if (spec->matrix != NULL && spec->display.pairs != ATTN_PAIR_FILTER_ALL)
    {
      filtered = *spec;
      filtered_positions = filter_positions (spec, positions);
      positions = filtered_positions;
      filtered.matrix_key = filtered_key = spec->matrix_key
                                           ? g_strdup_printf ("%s|links %d", spec->matrix_key, spec->display.pairs) : NULL;
      spec = &filtered;
    }
  _attn_painter_init (&p, cr, theme);
  heatmap_layout (spec, &p, width, height, &l);

  if (l.title_h > 0)
    _attn_paint_title (&p, spec->title, spec->result, spec->layer, spec->head, &spec->display, spec->scale, width, l.margin, l.title_y);

  /* Cells, then what sits on them, all clipped to the visible area. */
  cairo_save (cr);
  cairo_rectangle (cr, l.mx, l.my, l.mw, l.mh);
  cairo_clip (cr);

  paint_spec_cells (cr, spec, theme, positions, l.ox, l.oy, l.cell, l.n_tokens,
                    l.n_tokens <= MAX_VECTOR_CELLS_T && _attn_target_is_vector (cr),
                    l.q0, l.q1, l.k0, l.k1);
  /* An encoder masks nothing: its map is a full square. */
  if (!attn_result_is_bidirectional (spec->result))
    _attn_paint_mask_hatch (cr, theme, l.n_tokens, l.ox, l.oy, l.cell, l.q0, l.q1,
                            attn_result_get_trace (spec->result) != NULL
                              ? (guint) attn_result_get_trace (spec->result)->window : 0);

  /* Thin separators once cells are big enough to read one by one; on
   * smaller cells they would darken the picture into a mesh. */
  if (l.cell >= 20)
    {
      set_source (cr, &theme->background);
      cairo_set_line_width (cr, CLAMP (l.cell * 0.03, 1.0, 2.0));
      for (int i = MAX (l.q0, 1); i < l.q1; i++)
        {
          cairo_move_to (cr, l.mx, l.oy + i * l.cell);
          cairo_line_to (cr, l.mx + l.mw, l.oy + i * l.cell);
        }
      for (int i = MAX (l.k0, 1); i < l.k1; i++)
        {
          cairo_move_to (cr, l.ox + i * l.cell, l.my);
          cairo_line_to (cr, l.ox + i * l.cell, l.my + l.mh);
        }
      cairo_stroke (cr);
    }

  if (spec->show_values && l.cell >= 2.8 * p.font_px)
    paint_cell_values (&p, spec, &l, weights);
  cairo_restore (cr);

  /* Frame, then selection marks, which may overhang the frame a little. */
  _attn_stroke_frame (cr, theme, l.mx, l.my, l.mw, l.mh);

  cairo_save (cr);
  cairo_rectangle (cr, l.mx - 4, l.my - 4, l.mw + 8, l.mh + 8);
  cairo_clip (cr);

  if (spec->query >= l.q0 && spec->query < l.q1)
    {
      double y = l.oy + spec->query * l.cell;
      double lw = l.cell >= 6 ? 2.0 : 1.5;

      _attn_outline_rect (cr, theme, &theme->accent, l.mx - lw / 2, y - lw / 2,
                          l.mw + lw, l.cell + lw, lw);
    }

  if (spec->hover_query >= 0 && spec->hover_key >= 0 &&
      (spec->hover_query != spec->query || spec->hover_key != spec->key))
    _attn_outline_rect (cr, theme, &theme->foreground,
                        l.ox + spec->hover_key * l.cell, l.oy + spec->hover_query * l.cell,
                        l.cell, l.cell, 1.0);

  if (spec->query >= 0 && spec->key >= 0)
    {
      double lw = l.cell >= 8 ? 2.5 : 1.5;
      double pad = MAX (lw, 2.0);

      /* Tiny cells get a marker bigger than the cell, or it would vanish. */
      _attn_outline_rect (cr, theme, &theme->accent,
                          l.ox + spec->key * l.cell - (l.cell < 6 ? pad : 0),
                          l.oy + spec->query * l.cell - (l.cell < 6 ? pad : 0),
                          l.cell + (l.cell < 6 ? 2 * pad : 0),
                          l.cell + (l.cell < 6 ? 2 * pad : 0), lw);
    }
  cairo_restore (cr);

  if (l.ov_size > 0)
    paint_overview (cr, spec, theme, positions, &l);

  if (l.labels)
    {
      /* Rows: queries, the token that attends; columns: keys, attended to. */
      _attn_painter_text (&p, _("Query"), l.mx - l.gap - l.label_w - l.gap - p.line_h / 2, l.my + l.mh / 2,
                          &theme->dim, TEXT_STYLE (.halign = 0.5, .valign = 0.5, .angle = -G_PI / 2));
      _attn_painter_text (&p, _("Key"), l.mx + l.mw / 2, l.my + l.mh + l.gap + l.label_w + l.gap,
                          &theme->dim, TEXT_STYLE (.halign = 0.5));

      heatmap_axis_labels (&p, spec, &l, TRUE);
      heatmap_axis_labels (&p, spec, &l, FALSE);
    }

  if (spec->matrix != NULL && spec->limit > 0)
    _attn_paint_colorbar_signed (&p, spec->limit, l.mx + l.mw, l.cb_w, l.my, l.mh);
  else
    _attn_paint_colorbar (&p, spec->colormap, spec->scale, spec->matrix ? NULL : &spec->display,
                          l.mx + l.mw, l.cb_w, l.my, l.mh);

  _attn_painter_clear (&p);
  cairo_restore (cr);
}
