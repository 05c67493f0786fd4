/* attn-render-rollout.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rollout figure (Abnar & Zuidema 2020): the selected query's row as
 * bars, one per token, standing on the columns of the whole T × T rollout
 * drawn below by the heatmap renderer; title and a one-line note of what
 * rollout is not.
 */

#define G_LOG_DOMAIN "attn-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "attn-derived.h"
#include "attn-pair.h"
#include "attn-render-private.h"

void
attn_rollout_spec_init (AttnRolloutSpec *spec,
                        AttnResult      *result)
{
  g_return_if_fail (spec != NULL);

  memset (spec, 0, sizeof *spec);
  spec->result = result;
  spec->query = spec->hover_key = -1;
  spec->colormap = ATTN_COLORMAP_VIRIDIS;
  spec->scale = ATTN_SCALE_LINEAR;
  spec->show_title = TRUE;
  spec->show_colorbar = TRUE;
  spec->show_note = TRUE;
}

typedef struct
{
  double          margin;
  double          title_h;    /* title and note lines, 0 without */
  double          bars_y;     /* top of the bars' area */
  double          bars_h;
  double          heat_y;     /* the heatmap's area: (0, heat_y, width, heat_h) */
  double          heat_h;
  AttnHeatmapSpec heat;
} RolloutLayout;

static gboolean
rollout_spec_valid (const AttnRolloutSpec *spec)
{
  return spec != NULL && spec->result != NULL && attn_result_get_n_tokens (spec->result) > 0 &&
         attn_result_get_trace (spec->result) != NULL;
}

/* The last key of the query's row: every token for an encoder, which
 * looks both ways; the query itself for a decoder. */
static int
last_key (const AttnRolloutSpec *spec)
{
  return attn_result_is_bidirectional (spec->result) ? (int) attn_result_get_n_tokens (spec->result) - 1
                                                     : spec->query;
}

static void
rollout_layout (const AttnRolloutSpec *spec,
                Painter               *p,
                double                 height,
                RolloutLayout         *l)
{
  memset (l, 0, sizeof *l);
  l->margin = round (p->line_h * 1.1);
  if (spec->show_title)
    l->title_h = ceil (p->line_h * 1.25 + p->line_h * 0.9);
  if (spec->show_note)
    l->title_h += ceil (p->line_h * 1.3);
  l->bars_y = l->margin + l->title_h;
  l->bars_h = CLAMP (round (height * 0.22), 3 * p->line_h, 160);
  l->heat_y = l->bars_y + l->bars_h;
  l->heat_h = MAX (height - l->heat_y, 1);

  /* The map below, untitled: the figure has the title.  While the
   * rollout is computed, head 0's weights stand in for the layout only. */
  attn_heatmap_spec_init (&l->heat, spec->result, 0, 0);
  l->heat.matrix = spec->rollout;
  l->heat.matrix_key = spec->matrix_key;
  l->heat.query = spec->query;
  l->heat.colormap = spec->colormap;
  l->heat.scale = spec->scale;
  l->heat.theme = spec->theme;
  l->heat.show_title = FALSE;
  l->heat.show_colorbar = spec->show_colorbar;
  l->heat.display.pairs = spec->pairs;
  l->heat.cache = spec->cache;
}

void
attn_rollout_get_natural_size (const AttnRolloutSpec *spec,
                               double                *width,
                               double                *height)
{
  RolloutLayout l;
  Painter p;
  double w, h;

  g_return_if_fail (spec != NULL);

  if (!rollout_spec_valid (spec))
    {
      _attn_set_no_size (width, height);
      return;
    }
  _attn_painter_init (&p, NULL, spec->theme ? spec->theme : attn_theme_get_default (FALSE));
  rollout_layout (spec, &p, 600, &l);
  attn_heatmap_get_natural_size (&l.heat, &w, &h);
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = ceil (h + l.heat_y);
  _attn_painter_clear (&p);
}

gboolean
attn_rollout_hit_test (const AttnRolloutSpec *spec,
                       double                 width,
                       double                 height,
                       double                 x,
                       double                 y,
                       int                   *query,
                       int                   *key)
{
  RolloutLayout l;
  AttnHeatmapViewport vp;
  Painter p;
  gboolean hit = FALSE;

  g_return_val_if_fail (spec != NULL, FALSE);

  if (!rollout_spec_valid (spec))
    return FALSE;
  _attn_painter_init (&p, NULL, spec->theme ? spec->theme : attn_theme_get_default (FALSE));
  rollout_layout (spec, &p, height, &l);
  _attn_painter_clear (&p);

  if (y >= l.heat_y)
    return spec->rollout != NULL &&
           attn_heatmap_hit_test (&l.heat, width, l.heat_h, x, y - l.heat_y, query, key);

  if (spec->row != NULL && spec->query >= 0 && y >= l.bars_y && attn_heatmap_get_viewport (&l.heat, width, l.heat_h, &vp) &&
      x >= vp.x && x < vp.x + vp.width)
    {
      int k = (int) floor ((x - vp.origin_x) / vp.cell);

      if (k >= 0 && k <= last_key (spec))
        {
          *query = spec->query;
          *key = k;
          hit = TRUE;
        }
    }
  return hit;
}

/* The query's row as bars on the map's columns, scaled to the row's
 * largest weight (named on the left), each bar in the map's colour. */
static void
paint_bars (Painter               *p,
            const AttnRolloutSpec *spec,
            const RolloutLayout   *l,
            double                 width)
{
  cairo_t *cr = p->cr;
  const AttnTheme *theme = p->theme;
  AttnHeatmapViewport vp;
  double top = l->bars_y + p->line_h * 1.4;    /* room for the values */
  double base = l->heat_y - p->line_h * 0.4;
  double most = 0;
  g_autofree char *query_name = NULL;
  g_autofree char *caption = NULL;
  g_autofree char *scale_label = NULL;

  if (!attn_heatmap_get_viewport (&l->heat, width, l->heat_h, &vp))
    return;

  if (spec->row == NULL || spec->query < 0)
    {
      _attn_painter_text (p, _("Select a token to see its rollout row"), vp.x + vp.width / 2,
                          (top + base) / 2, &theme->dim,
                          TEXT_STYLE (.halign = 0.5, .valign = 0.5, .max_width = width - 2 * l->margin));
      return;
    }

  for (int k = 0; k <= last_key (spec); k++)
    if (attn_pair_filter_keeps (spec->pairs, spec->result, spec->query, k))
      most = MAX (most, spec->row[k]);
  if (!(most > 0))
    most = 1;

  cairo_save (cr);
  cairo_rectangle (cr, vp.x, l->bars_y, vp.width, l->bars_h);
  cairo_clip (cr);
  for (int k = MAX (vp.key0, 0); k < MIN (vp.key1, last_key (spec) + 1); k++)
    {
      double v = spec->row[k];
      double h = (base - top) * v / most;
      double x = vp.origin_x + k * vp.cell;
      double gap = vp.cell >= 6 ? MAX (1.0, vp.cell * 0.12) : 0;
      AttnRgba c = attn_colormap_lookup (spec->colormap, attn_scale_apply (spec->scale, v));

      if (!attn_pair_filter_keeps (spec->pairs, spec->result, spec->query, k))
        continue;   /* a link the pair filter leaves out, as on the map */
      set_source (cr, &c);
      cairo_rectangle (cr, x + gap / 2, base - MAX (h, 0.5), MAX (vp.cell - gap, 0.5), MAX (h, 0.5));
      cairo_fill (cr);
      if (k == spec->hover_key)
        _attn_outline_rect (cr, theme, &theme->foreground, x, top, vp.cell, base - top, 1.0);
      if (vp.cell >= 2.8 * p->font_px)
        {
          char text[16];

          g_snprintf (text, sizeof text, "%.2f", v);
          _attn_painter_text (p, text, x + vp.cell / 2, base - h - 2, &theme->dim,
                              TEXT_STYLE (.size = 0.8, .halign = 0.5, .valign = 1));
        }
    }
  cairo_restore (cr);

  /* the base line, and on the left what the bars are */
  cairo_move_to (cr, vp.x, round (base) + 0.5);
  cairo_line_to (cr, vp.x + vp.width, round (base) + 0.5);
  set_source (cr, &theme->grid);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);

  {
    g_autofree char *label = attn_render_dup_token_label (attn_result_get_token_text (spec->result, spec->query));

    query_name = g_strdup_printf ("“%s”", label);
  }
  /* Translators: caption left of the rollout bars: the query token's row */
  caption = g_strdup_printf (_("Row of %s"), query_name);
  /* Translators: the height of the tallest rollout bar */
  scale_label = g_strdup_printf (_("tallest %.3f"), most);
  _attn_painter_text (p, caption, vp.x - p->line_h * 0.4, (top + base) / 2, &theme->accent,
                      TEXT_STYLE (.halign = 1, .valign = 1, .bold = TRUE, .max_width = MAX (vp.x - l->margin, 0)));
  _attn_painter_text (p, scale_label, vp.x - p->line_h * 0.4, (top + base) / 2 + 2, &theme->dim,
                      TEXT_STYLE (.size = 0.9, .halign = 1, .valign = 0, .max_width = MAX (vp.x - l->margin, 0)));
}

void
attn_render_rollout (cairo_t               *cr,
                     const AttnRolloutSpec *spec,
                     double                 width,
                     double                 height)
{
  const AttnTheme *theme;
  RolloutLayout l;
  Painter p;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (spec != NULL);

  theme = _attn_figure_begin (cr, spec->theme, width, height);
  if (!rollout_spec_valid (spec))
    {
      cairo_restore (cr);
      return;
    }

  _attn_painter_init (&p, cr, theme);
  rollout_layout (spec, &p, height, &l);

  if (spec->show_title)
    {
      g_autofree char *fallback = spec->title ? NULL : attn_result_dup_rollout_title (spec->result);

      _attn_painter_text (&p, spec->title ? spec->title : fallback, width / 2, l.margin, &theme->foreground,
                          TEXT_STYLE (.size = 1.2, .bold = TRUE, .halign = 0.5, .max_width = width - 2 * l.margin));
    }
  if (spec->show_note)
    _attn_painter_text (&p, attn_rollout_note (TRUE), width / 2, l.bars_y - p.line_h * 1.15, &theme->dim,
                        TEXT_STYLE (.size = 0.9, .halign = 0.5, .max_width = width - 2 * l.margin));

  paint_bars (&p, spec, &l, width);

  cairo_save (cr);
  cairo_translate (cr, 0, l.heat_y);
  cairo_rectangle (cr, 0, 0, width, l.heat_h);
  cairo_clip (cr);
  if (spec->rollout != NULL)
    attn_render_heatmap (cr, &l.heat, width, l.heat_h);
  else
    _attn_painter_text (&p, _("Computing the rollout…"), width / 2, l.heat_h / 2, &theme->dim,
                        TEXT_STYLE (.halign = 0.5, .valign = 0.5));
  cairo_restore (cr);

  _attn_painter_clear (&p);
  cairo_restore (cr);
}
