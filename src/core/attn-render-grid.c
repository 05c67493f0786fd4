/* attn-render-grid.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * All heads: one labelled thumbnail per layer × head.
 */

#define G_LOG_DOMAIN "attn-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "attn-predictions.h"
#include "attn-render-private.h"

/* Thumbnails of the grid never need more pixels than this per side. */
#define MAX_THUMB_PIXELS    256

void
attn_grid_spec_init (AttnGridSpec *spec,
                     AttnResult   *result)
{
  g_return_if_fail (spec != NULL);

  memset (spec, 0, sizeof *spec);
  spec->result = result;
  spec->layer = spec->head = -1;
  spec->hover_layer = spec->hover_head = -1;
  spec->query = -1;
  spec->hover_row = -1;
  spec->colormap = ATTN_COLORMAP_VIRIDIS;
  spec->scale = ATTN_SCALE_LINEAR;
  spec->show_title = TRUE;
  spec->show_colorbar = TRUE;
}

typedef struct
{
  guint  n_layers, n_heads, n_tokens;
  double margin;
  double title_y, title_h;
  double head_h;        /* column header: "Head" and the numbers */
  double row_w;         /* row header: "Layer" and the numbers */
  double pitch, thumb;  /* thumbnail plus gap, and the thumbnail alone */
  double gx, gy;        /* top-left of thumbnail (0, 0), scrolled */
  double vx, vy, vw, vh;
  double cb_w;          /* colour bar, gap included; 0 without one */
  int    step_rows, step_cols;
} GridLayout;

/* Whether every layer's heads can be read, asked without computing one
 * (a linear trace would keep it). */
static gboolean
grid_has_heads (AttnResult *result)
{
  const AeTrace *trace = attn_result_get_trace (result);

  return trace != NULL && trace->first_layer == 0;
}

static gboolean
grid_spec_valid (const AttnGridSpec *spec)
{
  return spec != NULL && spec->result != NULL &&
         attn_result_get_n_tokens (spec->result) > 0 &&
         attn_result_get_n_layers (spec->result) > 0 &&
         attn_result_get_n_heads (spec->result) > 0 &&
         grid_has_heads (spec->result);
}

#define GRID_NATURAL_THUMB 72.0

static double
grid_gap (double pitch)
{
  return round (CLAMP (pitch * 0.12, 2.0, 10.0));
}

static void
grid_layout_frame (const AttnGridSpec *spec,
                   Painter            *p,
                   GridLayout         *l)
{
  char widest[16];

  memset (l, 0, sizeof *l);
  l->n_layers = attn_result_get_n_layers (spec->result);
  l->n_heads = attn_result_get_n_heads (spec->result);
  l->n_tokens = attn_result_get_n_tokens (spec->result);
  l->margin = round (p->line_h * 1.1);
  if (spec->show_title)
    l->title_h = ceil (p->line_h * 1.25 + p->line_h * 0.9);
  if (spec->show_colorbar)
    l->cb_w = _attn_colorbar_reserve (p);

  g_snprintf (widest, sizeof widest, "%u", MAX (l->n_layers, 1) - 1);
  memset (widest, '0', strlen (widest));
  l->head_h = ceil (p->line_h * 2 + p->line_h * 0.3);
  l->row_w = ceil (p->line_h + p->line_h * 0.5 + _attn_painter_measure (p, widest, 1.0, FALSE) + p->line_h * 0.5);
}

static void
grid_layout (const AttnGridSpec *spec,
             Painter            *p,
             double              width,
             double              height,
             GridLayout         *l)
{
  grid_layout_frame (spec, p, l);

  if (spec->thumb_size > 0)
    {
      double full_h;

      l->pitch = spec->thumb_size + grid_gap (spec->thumb_size);
      full_h = l->n_layers * l->pitch;
      l->vx = l->margin + l->row_w;
      l->vy = l->margin + l->title_h + l->head_h;
      l->vw = l->n_heads * l->pitch;
      l->vh = CLAMP (height - l->vy - l->margin, 0, full_h);

      /* Thumbnails that do not fill the view sit in its middle. */
      l->vx += round (MAX (0, width - l->vx - l->cb_w - l->margin - l->vw) / 2);
      l->vy += round (MAX (0, height - l->vy - l->margin - full_h) / 2);

      l->gx = l->vx;
      l->gy = l->vy - CLAMP (spec->scroll_y, 0, full_h - l->vh);
    }
  else
    {
      double avail_w = width - 2 * l->margin - l->row_w - l->cb_w;
      double avail_h = height - 2 * l->margin - l->title_h - l->head_h;
      double block_w, block_h;

      l->pitch = MAX (1.0, MIN (avail_w / l->n_heads, avail_h / l->n_layers));
      l->vw = l->n_heads * l->pitch;
      l->vh = l->n_layers * l->pitch;
      block_w = l->row_w + l->vw + l->cb_w;
      block_h = l->title_h + l->head_h + l->vh;
      l->vx = round ((width - block_w) / 2 + l->row_w);
      l->vy = round ((height - block_h) / 2 + l->title_h + l->head_h);
      l->gx = l->vx;
      l->gy = l->vy;
    }

  l->thumb = MAX (1.0, l->pitch - grid_gap (l->pitch));
  l->title_y = l->vy - l->head_h - l->title_h;
  l->step_rows = _attn_nice_step (ceil (p->line_h * 1.1 / l->pitch));
  l->step_cols = _attn_nice_step (ceil (p->line_h * 1.6 / l->pitch));
}

void
attn_grid_get_natural_size (const AttnGridSpec *spec,
                            double             *width,
                            double             *height)
{
  GridLayout l;
  Painter p;
  double thumb, pitch;

  g_return_if_fail (spec != NULL);

  /* Nothing to draw (no result yet, or no trace): no size. */
  if (!grid_spec_valid (spec))
    {
      _attn_set_no_size (width, height);
      return;
    }

  _attn_painter_init (&p, NULL, spec->theme ? spec->theme : attn_theme_get_default (FALSE));
  grid_layout_frame (spec, &p, &l);
  thumb = spec->thumb_size > 0 ? spec->thumb_size : GRID_NATURAL_THUMB;
  pitch = thumb + grid_gap (thumb);

  if (width != NULL)
    *width = ceil (2 * l.margin + l.row_w + l.n_heads * pitch + l.cb_w);
  if (height != NULL)
    *height = ceil (2 * l.margin + l.title_h + l.head_h + l.n_layers * pitch);

  _attn_painter_clear (&p);
}

gboolean
attn_grid_hit_test (const AttnGridSpec *spec,
                    double              width,
                    double              height,
                    double              x,
                    double              y,
                    int                *layer,
                    int                *head)
{
  return attn_grid_hit_test_row (spec, width, height, x, y, layer, head, NULL);
}

gboolean
attn_grid_hit_test_row (const AttnGridSpec *spec,
                        double              width,
                        double              height,
                        double              x,
                        double              y,
                        int                *layer,
                        int                *head,
                        int                *row)
{
  GridLayout l;
  Painter p;
  int hit_layer, hit_head;

  g_return_val_if_fail (spec != NULL, FALSE);

  if (row != NULL)
    *row = -1;
  if (!grid_spec_valid (spec))
    return FALSE;

  _attn_painter_init (&p, NULL, spec->theme ? spec->theme : attn_theme_get_default (FALSE));
  grid_layout (spec, &p, width, height, &l);
  _attn_painter_clear (&p);

  /* The gap after a thumbnail belongs to it: no dead stripes. */
  if (!_attn_lattice_hit (x, y, l.vx, l.vy, l.vw, l.vh, l.gx, l.gy, l.pitch,
                          l.n_layers, l.n_heads, &hit_layer, &hit_head))
    return FALSE;

  if (row != NULL)
    {
      double tx = l.gx + hit_head * l.pitch, ty = l.gy + hit_layer * l.pitch;

      if (x >= tx && x < tx + l.thumb && y >= ty && y < ty + l.thumb)
        *row = MIN ((int) floor ((y - ty) / (l.thumb / l.n_tokens)), (int) l.n_tokens - 1);
    }
  if (layer != NULL)
    *layer = hit_layer;
  if (head != NULL)
    *head = hit_head;
  return TRUE;
}

void
attn_render_grid (cairo_t            *cr,
                  const AttnGridSpec *spec,
                  double              width,
                  double              height)
{
  const AttnTheme *theme;
  GridLayout l;
  Painter p;
  guint size;
  int r0, r1;
  const AeAblation *ablation;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (spec != NULL);

  theme = _attn_figure_begin (cr, spec->theme, width, height);
  if (!grid_spec_valid (spec))
    {
      cairo_restore (cr);
      return;
    }

  _attn_painter_init (&p, cr, theme);
  grid_layout (spec, &p, width, height, &l);
  size = MIN (l.n_tokens, MAX_THUMB_PIXELS);
  /* heads the run switched off are marked as such, on screen and in exports */
  ablation = attn_result_get_ablation (spec->result);
  r0 = CLAMP ((int) floor ((l.vy - l.gy) / l.pitch), 0, (int) l.n_layers);
  r1 = CLAMP ((int) ceil ((l.vy + l.vh - l.gy) / l.pitch), 0, (int) l.n_layers);

  if (l.title_h > 0)
    {
      g_autofree char *scores_title = _attn_grid_dup_title (spec);

      _attn_paint_title (&p, scores_title ? scores_title : spec->title, spec->result, -1, -1,
                         &spec->display, spec->scale, width, l.margin, l.title_y);
    }

  /* Column header: "Head", then the head numbers.  Grouped-query models
   * say how many heads share a key/value head, and each group is
   * underlined so the columns read as groups. */
  {
    const AeTrace *trace = attn_result_get_trace (spec->result);
    guint group = trace != NULL && trace->n_kv_head > 0 && trace->n_kv_head < trace->n_head
                  ? (guint) (trace->n_head / trace->n_kv_head) : 1;
    g_autofree char *header = group > 1
                              ? g_strdup_printf (_("Head (groups of %u share a key/value head)"), group)
                              : g_strdup (_("Head"));

    _attn_painter_text (&p, header, l.vx + (l.vw - grid_gap (l.pitch)) / 2, l.vy - l.head_h,
                        &theme->dim, TEXT_STYLE (.halign = 0.5));
    for (guint g = 0; group > 1 && g < l.n_heads / group; g++)
      {
        double x0 = l.gx + g * group * l.pitch;

        cairo_set_source_rgba (cr, theme->dim.r, theme->dim.g, theme->dim.b, theme->dim.a);
        cairo_set_line_width (cr, 1.0);
        cairo_move_to (cr, x0 + 1, l.vy - 2.5);
        cairo_line_to (cr, x0 + group * l.pitch - grid_gap (l.pitch) - 1, l.vy - 2.5);
        cairo_stroke (cr);
      }
  }
  for (guint h = 0; h < l.n_heads; h += l.step_cols)
    {
      char text[16];

      g_snprintf (text, sizeof text, "%u", h);
      _attn_painter_text (&p, text, l.gx + h * l.pitch + l.thumb / 2, l.vy - p.line_h * 0.3,
                          (int) h == spec->head ? &theme->accent : &theme->foreground,
                          TEXT_STYLE (.halign = 0.5, .valign = 1, .bold = (int) h == spec->head));
    }

  cairo_save (cr);
  cairo_rectangle (cr, 0, l.vy - 3, width, l.vh + 6);
  cairo_clip (cr);

  _attn_painter_text (&p, _("Layer"), l.vx - l.row_w, l.vy + (MIN (l.vh, (r1 - r0) * l.pitch) - grid_gap (l.pitch)) / 2,
                      &theme->dim, TEXT_STYLE (.halign = 0.5, .valign = 0, .angle = -G_PI / 2));

  for (int layer = r0; layer < r1; layer++)
    {
      double y = l.gy + layer * l.pitch;

      if (layer % l.step_rows == 0 || layer == spec->layer)
        {
          char text[16];

          g_snprintf (text, sizeof text, "%d", layer);
          _attn_painter_text (&p, text, l.vx - p.line_h * 0.5, y + l.thumb / 2,
                              layer == spec->layer ? &theme->accent : &theme->foreground,
                              TEXT_STYLE (.halign = 1, .valign = 0.5, .bold = layer == spec->layer));
        }

      for (guint head = 0; head < l.n_heads; head++)
        {
          double x = l.gx + head * l.pitch;
          double cell = l.thumb / l.n_tokens;

          cairo_save (cr);
          cairo_rectangle (cr, x, y, l.thumb, l.thumb);
          cairo_clip (cr);
          _attn_paint_cells (cr, spec->cache, spec->result, layer, head, spec->colormap, spec->scale,
                             &spec->display, theme,
                             x, y, cell, size, FALSE, 0, l.n_tokens, 0, l.n_tokens);
          if (cell >= 4 && !attn_result_is_bidirectional (spec->result))
            _attn_paint_mask_hatch (cr, theme, l.n_tokens, x, y, cell, 0, l.n_tokens,
                                    (guint) attn_result_get_trace (spec->result)->window);
          cairo_restore (cr);

          if (spec->scores != NULL)
            _attn_paint_head_score (&p, theme, x, y, l.thumb, spec->scores[layer * l.n_heads + head]);
          _attn_stroke_frame (cr, theme, x, y, l.thumb, l.thumb);
          if (ae_ablation_has (ablation, layer, head))
            _attn_paint_head_off (&p, ablation->kind, x, y, l.thumb);

          /* The query row, as a small arrowhead beside every thumbnail. */
          if (spec->query >= 0 && spec->query < (int) l.n_tokens && l.thumb >= 32)
            {
              double cy = y + (spec->query + 0.5) * cell;
              double a = CLAMP (l.pitch - l.thumb - 1, 2.0, 4.0);

              cairo_move_to (cr, x - 1, cy);
              cairo_line_to (cr, x - 1 - a, cy - a);
              cairo_line_to (cr, x - 1 - a, cy + a);
              cairo_close_path (cr);
              set_source (cr, &theme->accent);
              cairo_fill (cr);
            }
          /* …and the row itself outlined in every thumbnail, so one token
           * can be followed across the heads. */
          if (spec->query >= 0 && spec->query < (int) l.n_tokens && cell >= 1)
            _attn_outline_rect (cr, theme, &theme->accent, x, y + spec->query * cell,
                                l.thumb, MAX (cell, 1.5), cell >= 6 ? 1.5 : 1.0);
          /* The row under the pointer, likewise but quieter, so hovering
           * one thumbnail's row shows that token's row in every head. */
          if (spec->hover_row >= 0 && spec->hover_row < (int) l.n_tokens &&
              spec->hover_row != spec->query && cell >= 1)
            _attn_outline_rect (cr, theme, &theme->foreground, x, y + spec->hover_row * cell,
                                l.thumb, MAX (cell, 1.5), 1.0);

          if (layer == spec->hover_layer && (int) head == spec->hover_head)
            _attn_outline_rect (cr, theme, &theme->foreground, x - 1, y - 1, l.thumb + 2, l.thumb + 2, 1.0);
          if (layer == spec->layer && (int) head == spec->head)
            _attn_outline_rect (cr, theme, &theme->accent, x - 1.5, y - 1.5, l.thumb + 3, l.thumb + 3, 2.5);
        }
    }
  cairo_restore (cr);

  _attn_paint_colorbar (&p, spec->colormap, spec->scale, &spec->display, l.vx + l.vw, l.cb_w, l.vy,
                        MIN (l.vh, (r1 - r0) * l.pitch) - grid_gap (l.pitch));

  _attn_painter_clear (&p);
  cairo_restore (cr);
}
