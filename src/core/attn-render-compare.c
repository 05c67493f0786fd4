/* attn-render-compare.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ae-trace.h"
#include "attn-render-compare.h"
#include "attn-render-private.h"
#include "attn-result-vectors.h"

#define NATURAL_CELL 22.0

void
attn_compare_spec_init (AttnCompareSpec *spec,
                        AttnResult      *result,
                        AttnResult      *compare,
                        guint            layer,
                        guint            head)
{
  g_return_if_fail (spec != NULL);

  memset (spec, 0, sizeof *spec);
  spec->result = result;
  spec->compare = compare;
  spec->layer = layer;
  spec->head = head;
  spec->query = -1;
  spec->colormap = ATTN_COLORMAP_VIRIDIS;
  spec->scale = ATTN_SCALE_LINEAR;
  spec->show_title = TRUE;
  spec->show_colorbar = TRUE;
}

static gboolean
spec_valid (const AttnCompareSpec *spec)
{
  return spec != NULL && spec->result != NULL && spec->compare != NULL &&
         attn_result_get_trace (spec->result) != NULL && attn_result_get_trace (spec->compare) != NULL &&
         attn_result_get_n_tokens (spec->result) > 0 && attn_result_get_n_tokens (spec->compare) > 0 &&
         spec->layer < attn_result_get_n_layers (spec->result) &&
         spec->head < attn_result_get_n_heads (spec->result) &&
         attn_result_get_n_layers (spec->compare) == attn_result_get_n_layers (spec->result) &&
         attn_result_get_n_heads (spec->compare) == attn_result_get_n_heads (spec->result);
}

typedef struct
{
  AttnAlignment       *own;        /* made here when the spec has none */
  const AttnAlignment *al;
  guint                n;          /* merged tokens */
  guint                n_panels;
  double               margin, title_h, header_h, label_w, column_h, legend_h, cb_w, gap;
  double               x0, y0;     /* the first map's top left */
  double               panel, cell;
} Layout;

/* A merged row's label: "− big" only in A, "+ small" only in B. */
static char *
dup_row_label (const AttnCompareSpec *spec,
               const AttnAlignment   *al,
               guint                  r)
{
  int ia = al->merged_a[r], ib = al->merged_b[r];
  g_autofree char *label = attn_render_dup_token_label (
    ia >= 0 ? attn_result_get_token_text (spec->result, ia) : attn_result_get_token_text (spec->compare, ib));

  if (ia >= 0 && ib >= 0)
    return g_steal_pointer (&label);
  return g_strdup_printf ("%s %s", ia >= 0 ? "−" : "+", label);
}

static double
widest_row_label (const AttnCompareSpec *spec,
                  Painter               *p,
                  const AttnAlignment   *al)
{
  double widest = 0;

  /* Measuring every label of a long text costs a pango layout each; the
   * cap keeps the label column narrow anyway. */
  for (guint r = 0; r < al->n_merged && r < 512; r++)
    {
      g_autofree char *label = dup_row_label (spec, al, r);

      widest = MAX (widest, _attn_painter_measure (p, label, 1.0, FALSE));
    }
  return MIN (widest, 150.0);
}

static void
layout_frame (const AttnCompareSpec *spec,
              Painter               *p,
              Layout                *l)
{
  memset (l, 0, sizeof *l);
  l->al = spec->alignment;
  if (l->al == NULL)
    l->al = l->own = attn_alignment_new (spec->result, spec->compare);
  l->n = MAX (l->al->n_merged, 1);
  l->n_panels = spec->delta ? 1 : 2;
  l->margin = round (p->line_h * 1.1);
  l->title_h = spec->show_title ? ceil (p->line_h * 2.15) : 0;
  l->header_h = ceil (p->line_h * 1.6);
  l->label_w = ceil (widest_row_label (spec, p, l->al) + p->line_h * 0.6);
  l->column_h = MIN (l->label_w, 90.0);
  l->legend_h = ceil (p->line_h * 1.8);
  l->cb_w = spec->show_colorbar ? _attn_colorbar_reserve (p) : 0;
  l->gap = ceil (p->line_h * 1.5);
}

static void
layout (const AttnCompareSpec *spec,
        Painter               *p,
        double                 width,
        double                 height,
        Layout                *l)
{
  double avail_w, avail_h, block_w;

  layout_frame (spec, p, l);
  avail_w = width - 2 * l->margin - l->label_w - l->cb_w - (l->n_panels - 1) * l->gap;
  avail_h = height - 2 * l->margin - l->title_h - l->header_h - l->column_h - l->legend_h;
  l->panel = MAX (1.0, MIN (avail_w / l->n_panels, avail_h));
  l->cell = l->panel / l->n;
  block_w = l->label_w + l->n_panels * l->panel + (l->n_panels - 1) * l->gap + l->cb_w;
  l->x0 = round ((width - block_w) / 2 + l->label_w);
  l->y0 = round (l->margin + l->title_h + l->header_h);
}

static void
layout_clear (Layout *l)
{
  g_clear_pointer (&l->own, attn_alignment_free);
}

void
attn_compare_get_natural_size (const AttnCompareSpec *spec,
                               double                *width,
                               double                *height)
{
  Painter p;
  Layout l;
  double panel;

  if (!spec_valid (spec))
    {
      _attn_set_no_size (width, height);
      return;
    }
  _attn_painter_init (&p, NULL, spec->theme ? spec->theme : attn_theme_get_default (FALSE));
  layout_frame (spec, &p, &l);
  panel = CLAMP (l.n * NATURAL_CELL, 220.0, 640.0);
  if (width != NULL)
    *width = ceil (2 * l.margin + l.label_w + l.n_panels * panel + (l.n_panels - 1) * l.gap + l.cb_w);
  if (height != NULL)
    *height = ceil (2 * l.margin + l.title_h + l.header_h + panel + l.column_h + l.legend_h);
  layout_clear (&l);
  _attn_painter_clear (&p);
}

gboolean
attn_compare_hit_test (const AttnCompareSpec *spec,
                       double                 width,
                       double                 height,
                       double                 x,
                       double                 y,
                       int                   *token_a,
                       int                   *token_b)
{
  Painter p;
  Layout l;
  gboolean hit = FALSE;

  if (!spec_valid (spec))
    return FALSE;
  _attn_painter_init (&p, NULL, spec->theme ? spec->theme : attn_theme_get_default (FALSE));
  layout (spec, &p, width, height, &l);
  for (guint i = 0; i < l.n_panels && !hit; i++)
    {
      double px = l.x0 + i * (l.panel + l.gap);

      if (x >= px && x < px + l.panel && y >= l.y0 && y < l.y0 + l.panel)
        {
          guint r = MIN ((guint) floor ((y - l.y0) / l.cell), l.al->n_merged - 1);

          if (token_a != NULL)
            *token_a = l.al->merged_a[r];
          if (token_b != NULL)
            *token_b = l.al->merged_b[r];
          hit = TRUE;
        }
    }
  layout_clear (&l);
  _attn_painter_clear (&p);
  return hit;
}

static guint32
argb (const AttnRgba *c)
{
  return 0xff000000u | ((guint32) lround (CLAMP (c->r, 0, 1) * 255) << 16) |
         ((guint32) lround (CLAMP (c->g, 0, 1) * 255) << 8) | (guint32) lround (CLAMP (c->b, 0, 1) * 255);
}

typedef enum
{
  PANEL_A,
  PANEL_B,
  PANEL_DELTA,
} Panel;

/* The largest |B − A| over aligned visible cells, rounded up to 0.1, 0.2,
 * 0.5 or 1 so the colour bar reads in round numbers (at least 0.1). */
static double
delta_range (const AttnCompareSpec *spec,
             const Layout          *l,
             const float           *wa,
             const float           *wb)
{
  guint Ta = attn_result_get_n_tokens (spec->result), Tb = attn_result_get_n_tokens (spec->compare);
  double largest = 0;
  const double steps[] = { 0.1, 0.2, 0.5, 1.0 };

  for (guint q = 0; q < Ta; q++)
    for (guint k = 0; k < Ta; k++)
      {
        int qb = l->al->b_of_a[q], kb = l->al->b_of_a[k];

        if (qb >= 0 && kb >= 0)
          largest = MAX (largest, fabs ((double) wb[(gsize) qb * Tb + kb] - wa[(gsize) q * Ta + k]));
      }
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (largest <= steps[i] + 1e-12)
      return steps[i];
  return 1.0;
}

/* One map as an n × n image of one pixel per cell, drawn scaled. */
static void
paint_panel (cairo_t               *cr,
             const AttnCompareSpec *spec,
             const AttnTheme       *theme,
             const Layout          *l,
             Panel                  panel,
             const float           *wa,
             const float           *wb,
             double                 range,
             double                 x,
             double                 y)
{
  guint n = l->al->n_merged;
  guint Ta = attn_result_get_n_tokens (spec->result), Tb = attn_result_get_n_tokens (spec->compare);
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) n, (int) n);
  guchar *data = cairo_image_surface_get_data (image);
  int stride = cairo_image_surface_get_stride (image);
  AttnRgba missing_rgba = theme->background;
  guint32 masked = 0, missing;
  cairo_pattern_t *pattern;

  {
    AttnRgba m = _attn_masked_color (theme, spec->colormap);

    masked = argb (&m);
  }
  /* "No such token in this text": a plain shade off the background, set
   * apart from the masked cells by their hatch. */
  missing_rgba.r += theme->dark ? 0.10 : -0.10;
  missing_rgba.g += theme->dark ? 0.10 : -0.10;
  missing_rgba.b += theme->dark ? 0.10 : -0.10;
  missing = argb (&missing_rgba);

  cairo_surface_flush (image);
  for (guint r = 0; r < n; r++)
    {
      guint32 *row = (guint32 *) (data + (gsize) r * stride);
      int qa = l->al->merged_a[r], qb = l->al->merged_b[r];

      for (guint c = 0; c < n; c++)
        {
          int ka = l->al->merged_a[c], kb = l->al->merged_b[c];
          guint32 pixel = missing;

          if (panel == PANEL_A && qa >= 0 && ka >= 0)
            pixel = attn_result_is_masked (spec->result, qa, ka) ? masked
                    : attn_colormap_lookup_argb (spec->colormap,
                                                 attn_scale_apply (spec->scale, wa[(gsize) qa * Ta + ka]));
          else if (panel == PANEL_B && qb >= 0 && kb >= 0)
            pixel = attn_result_is_masked (spec->compare, qb, kb) ? masked
                    : attn_colormap_lookup_argb (spec->colormap,
                                                 attn_scale_apply (spec->scale, wb[(gsize) qb * Tb + kb]));
          else if (panel == PANEL_DELTA && qa >= 0 && ka >= 0 && qb >= 0 && kb >= 0)
            {
              if (attn_result_is_masked (spec->result, qa, ka) && attn_result_is_masked (spec->compare, qb, kb))
                pixel = masked;
              else
                {
                  double d = (double) wb[(gsize) qb * Tb + kb] - wa[(gsize) qa * Ta + ka];

                  pixel = attn_colormap_lookup_argb (ATTN_COLORMAP_DIVERGING,
                                                     attn_colormap_signed_position (d, range));
                }
            }
          row[c] = pixel;
        }
    }
  cairo_surface_mark_dirty (image);

  cairo_save (cr);
  cairo_rectangle (cr, x, y, l->panel, l->panel);
  cairo_clip (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, l->cell, l->cell);
  cairo_set_source_surface (cr, image, 0, 0);
  pattern = cairo_get_source (cr);
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_NEAREST);
  cairo_paint (cr);
  cairo_restore (cr);

  /* The masked cells hatched, as in the heatmap, so "the model may not
   * look here" never reads as "weight 0" or "no change". */
  if (l->cell >= 3.0)
    {
      guint32 *pixels = (guint32 *) data;
      double spacing = round (CLAMP (l->cell / 2.0, 4.0, 7.0));
      gboolean any = FALSE;

      cairo_save (cr);
      cairo_new_path (cr);
      for (guint r = 0; r < n; r++)
        for (guint c = 0; c < n;)
          {
            guint c1 = c;

            while (c1 < n && pixels[(gsize) r * (stride / 4) + c1] == masked)
              c1++;
            if (c1 > c)
              {
                cairo_rectangle (cr, x + c * l->cell, y + r * l->cell, (c1 - c) * l->cell, l->cell);
                any = TRUE;
                c = c1;
              }
            else
              c++;
          }
      if (any)
        {
          cairo_clip (cr);
          for (double d = -l->panel; d < l->panel; d += spacing)
            {
              cairo_move_to (cr, x + d, y);
              cairo_line_to (cr, x + d + l->panel, y + l->panel);
            }
          set_source (cr, &theme->grid);
          cairo_set_line_width (cr, 1.0);
          cairo_stroke (cr);
        }
      cairo_new_path (cr);
      cairo_restore (cr);
    }
  cairo_surface_destroy (image);
  _attn_stroke_frame (cr, theme, x, y, l->panel, l->panel);
}

static char *
dup_default_title (const AttnCompareSpec *spec)
{
  g_autofree char *base = attn_render_dup_title_full (spec->result, (int) spec->layer, (int) spec->head,
                                                      &spec->display, spec->scale);

  return spec->delta
    /* Translators: the comparison figure's title: "B − A" (the difference of the second text's attention and the first's), then model, layer, head */
    ? g_strdup_printf (_("B − A · %s"), base)
    /* Translators: the comparison figure's title with both texts side by side */
    : g_strdup_printf (_("A and B · %s"), base);
}

void
attn_render_compare (cairo_t               *cr,
                     const AttnCompareSpec *spec,
                     double                 width,
                     double                 height)
{
  const AttnTheme *theme;
  const AeHeadAttention *head_a = NULL, *head_b = NULL;
  Painter p;
  Layout l;
  double range = 1.0;
  int query_row = -1;
  int step;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (spec != NULL);

  theme = _attn_figure_begin (cr, spec->theme, width, height);
  if (!spec_valid (spec))
    {
      cairo_restore (cr);
      return;
    }
  _attn_painter_init (&p, cr, theme);
  layout (spec, &p, width, height, &l);

  /* Both heads whole, shared with the trace's cache and let go at the end. */
  head_a = ae_trace_head_get (attn_result_get_trace (spec->result), spec->layer, spec->head, NULL);
  head_b = ae_trace_head_get (attn_result_get_trace (spec->compare), spec->layer, spec->head, NULL);
  if (head_a == NULL || head_b == NULL)
    goto out;

  if (spec->show_title)
    {
      g_autofree char *title = spec->title ? g_strdup (spec->title) : dup_default_title (spec);

      _attn_painter_text (&p, title, width / 2, l.margin, &theme->foreground,
                          TEXT_STYLE (.size = 1.2, .bold = TRUE, .halign = 0.5, .valign = 0,
                                      .max_width = width - 2 * l.margin));
    }
  if (spec->delta)
    range = delta_range (spec, &l, head_a->weights, head_b->weights);

  for (guint r = 0; r < l.al->n_merged; r++)
    if (spec->query >= 0 && l.al->merged_a[r] == spec->query)
      query_row = (int) r;

  for (guint i = 0; i < l.n_panels; i++)
    {
      double px = l.x0 + i * (l.panel + l.gap);
      Panel panel = spec->delta ? PANEL_DELTA : i == 0 ? PANEL_A : PANEL_B;
      const char *text = panel == PANEL_B ? attn_result_get_text (spec->compare) : attn_result_get_text (spec->result);
      g_autofree char *header = NULL;

      if (panel == PANEL_DELTA)
        /* Translators: header of the difference map: B − A, then the second text */
        header = g_strdup_printf (_("B − A (B: “%s”)"), attn_result_get_text (spec->compare));
      else
        /* Translators: header of one text's map: "A: “The trophy…”" */
        header = g_strdup_printf (panel == PANEL_A ? _("A: “%s”") : _("B: “%s”"), text);
      _attn_painter_text (&p, header, px, l.y0 - l.header_h * 0.35, &theme->foreground,
                          TEXT_STYLE (.valign = 1, .bold = TRUE, .max_width = l.panel));
      paint_panel (cr, spec, theme, &l, panel, head_a->weights, head_b->weights, range, px, l.y0);
      if (query_row >= 0)
        _attn_outline_rect (cr, theme, &theme->accent, px, l.y0 + query_row * l.cell, l.panel,
                            MAX (l.cell, 1.5), l.cell >= 6 ? 1.5 : 1.0);

      /* Column labels under the map, reading upwards. */
      step = _attn_nice_step (ceil (p.line_h * 1.1 / l.cell));
      for (guint k = 0; k < l.al->n_merged; k += step)
        {
          g_autofree char *label = dup_row_label (spec, l.al, k);

          _attn_painter_text (&p, label, px + (k + 0.5) * l.cell, l.y0 + l.panel + 4,
                              &theme->foreground,
                              TEXT_STYLE (.halign = 1, .valign = 0.5, .angle = -G_PI / 2,
                                          .max_width = l.column_h - 6));
        }
    }

  /* Row labels left of the first map; the query's in the accent. */
  step = _attn_nice_step (ceil (p.line_h * 1.1 / l.cell));
  for (guint r = 0; r < l.al->n_merged; r++)
    if (r % step == 0 || (int) r == query_row)
      {
        g_autofree char *label = dup_row_label (spec, l.al, r);

        _attn_painter_text (&p, label, l.x0 - p.line_h * 0.3, l.y0 + (r + 0.5) * l.cell,
                            (int) r == query_row ? &theme->accent : &theme->foreground,
                            TEXT_STYLE (.halign = 1, .valign = 0.5, .bold = (int) r == query_row,
                                        .max_width = l.label_w - p.line_h * 0.3));
      }

  {
    double end = l.x0 + l.n_panels * l.panel + (l.n_panels - 1) * l.gap;

    if (spec->delta)
      _attn_paint_colorbar_signed (&p, range, end, l.cb_w, l.y0, l.panel);
    else
      _attn_paint_colorbar (&p, spec->colormap, spec->scale, &spec->display, end, l.cb_w, l.y0, l.panel);
  }

  _attn_painter_text (&p,
                      _("Rows are queries, columns keys, aligned where the tokens agree: − only in A, "
                        "+ only in B, left blank in the other text’s map; hatched cells are masked."),
                      width / 2, height - l.margin - l.legend_h / 2, &theme->dim,
                      TEXT_STYLE (.size = 0.9, .halign = 0.5, .valign = 0.5, .max_width = width - 2 * l.margin));

out:
  if (head_a != NULL)
    ae_head_attention_release (head_a);
  if (head_b != NULL)
    ae_head_attention_release (head_b);
  layout_clear (&l);
  _attn_painter_clear (&p);
  cairo_restore (cr);
}
