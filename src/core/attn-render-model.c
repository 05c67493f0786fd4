/* attn-render-model.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model view: the selected query's attention in every layer × head at
 * once, one small bar chart per head (as BertViz's model view, with bars
 * one can compare rather than thumbnails one squints at).  Ranked by the
 * weight query → key, the first panel is the head that links them most:
 * "find heads".
 */

#define G_LOG_DOMAIN "attn-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "attn-head-rank.h"
#include "attn-render-private.h"
#include "attn-result-vectors.h"

#define MODEL_NATURAL_PANEL_H 64.0
#define MODEL_MIN_BAR_W       3.0

void
attn_model_spec_init (AttnModelSpec *spec,
                      AttnResult    *result)
{
  g_return_if_fail (spec != NULL);

  memset (spec, 0, sizeof *spec);
  spec->result = result;
  spec->query = spec->key = -1;
  spec->layer = spec->head = -1;
  spec->hover_layer = spec->hover_head = -1;
  spec->colormap = ATTN_COLORMAP_VIRIDIS;
  spec->scale = ATTN_SCALE_LINEAR;
  spec->show_title = TRUE;
}

typedef struct
{
  guint         n_layers, n_heads, n_tokens;
  double        margin;
  double        title_y, title_h;
  double        labels_h;    /* token names above the first row; 0 when bars are too thin */
  double        label_h;     /* "L1 H2" line of each panel */
  double        panel_w, panel_h, gap;
  double        bar_w;
  double        gx, gy;      /* top-left of panel (0, 0), scrolled */
  double        vx, vy, vw, vh;
  AttnHeadRank *order;       /* (L × H) panel order; owned */
} ModelLayout;

static gboolean
model_spec_valid (const AttnModelSpec *spec)
{
  return spec != NULL && spec->result != NULL &&
         attn_result_get_n_tokens (spec->result) > 0 &&
         attn_result_get_n_layers (spec->result) > 0 &&
         attn_result_get_n_heads (spec->result) > 0 &&
         attn_result_has_trace (spec->result);
}

static void
model_layout (const AttnModelSpec *spec,
              Painter             *p,
              double               width,
              double               height,
              ModelLayout         *l)
{
  double avail_w, full_h;
  guint n;

  memset (l, 0, sizeof *l);
  l->n_layers = attn_result_get_n_layers (spec->result);
  l->n_heads = attn_result_get_n_heads (spec->result);
  l->n_tokens = attn_result_get_n_tokens (spec->result);
  l->margin = round (p->line_h * 1.1);
  l->gap = round (p->line_h * 0.6);
  l->label_h = ceil (p->line_h * 1.1);
  if (spec->show_title)
    l->title_h = ceil (p->line_h * 1.25 + p->line_h * 0.9);

  avail_w = MAX (width - 2 * l->margin, 1);
  l->panel_w = floor ((avail_w - (l->n_heads - 1) * l->gap) / l->n_heads);
  /* Panels always fit the width: with more tokens than pixels a bar is
   * thinner than one, and paint_panel () draws a pixel column per bar's
   * strongest (bars of at least 0.5 px made 12 panels 500 px wide at 1,000
   * tokens, the view centred on heads 5 to 7 and the rest out of reach). */
  l->panel_w = MAX (l->panel_w, 1);
  l->bar_w = l->panel_w / l->n_tokens;
  l->vw = l->n_heads * l->panel_w + (l->n_heads - 1) * l->gap;

  /* Token names fit upright above the columns when a bar is most of a
   * (small) line high. */
  if (l->bar_w >= p->line_h * 0.55)
    l->labels_h = ceil (MIN (_attn_measure_widest_label (p, spec->result, 7 * p->font_px), 7 * p->font_px)
                        + p->line_h * 0.4);

  l->vx = round ((width - l->vw) / 2);
  l->vy = l->margin + l->title_h + l->labels_h;
  if (spec->panel_height > 0)
    l->panel_h = spec->panel_height;
  else
    l->panel_h = MAX (l->label_h + 8,
                      floor ((height - l->vy - l->margin - (l->n_layers - 1) * l->gap) / l->n_layers));
  full_h = l->n_layers * l->panel_h + (l->n_layers - 1) * l->gap;
  l->vh = CLAMP (height - l->vy - l->margin, 0, full_h);
  l->gx = l->vx;
  l->gy = l->vy - CLAMP (spec->scroll_y, 0, full_h - l->vh);
  l->title_y = l->margin;

  if (spec->query >= 0 && spec->key >= 0)
    l->order = attn_head_rank_new (spec->result, spec->query, spec->key, &n);
  if (l->order == NULL)
    {
      l->order = g_new (AttnHeadRank, (gsize) l->n_layers * l->n_heads);
      for (guint i = 0; i < l->n_layers * l->n_heads; i++)
        l->order[i] = (AttnHeadRank) { i / l->n_heads, i % l->n_heads, -1 };
    }
}

static void
model_layout_clear (ModelLayout *l)
{
  g_clear_pointer (&l->order, g_free);
}

void
attn_model_get_natural_size (const AttnModelSpec *spec,
                             double              *width,
                             double              *height)
{
  ModelLayout l;
  Painter p;
  AttnModelSpec natural;
  guint T;

  g_return_if_fail (spec != NULL);

  if (!model_spec_valid (spec))
    {
      _attn_set_no_size (width, height);
      return;
    }

  natural = *spec;
  if (natural.panel_height <= 0)
    natural.panel_height = MODEL_NATURAL_PANEL_H;
  T = attn_result_get_n_tokens (spec->result);

  _attn_painter_init (&p, NULL, spec->theme ? spec->theme : attn_theme_get_default (FALSE));
  /* Bars of a readable width decide the natural width. */
  model_layout (&natural, &p, 1e6, 1e6, &l);
  if (width != NULL)
    *width = ceil (2 * l.margin + l.n_heads * T * MAX (MODEL_MIN_BAR_W * 3, p.line_h)
                   + (l.n_heads - 1) * l.gap);
  if (height != NULL)
    *height = ceil (l.vy + l.n_layers * l.panel_h + (l.n_layers - 1) * l.gap + l.margin);
  model_layout_clear (&l);
  _attn_painter_clear (&p);
}

gboolean
attn_model_hit_test (const AttnModelSpec *spec,
                     double               width,
                     double               height,
                     double               x,
                     double               y,
                     int                 *layer,
                     int                 *head)
{
  ModelLayout l;
  Painter p;
  gboolean hit = FALSE;

  g_return_val_if_fail (spec != NULL, FALSE);

  if (!model_spec_valid (spec))
    return FALSE;

  _attn_painter_init (&p, NULL, spec->theme ? spec->theme : attn_theme_get_default (FALSE));
  model_layout (spec, &p, width, height, &l);

  if (x >= l.vx && y >= l.vy && x < l.vx + l.vw && y < l.vy + l.vh)
    {
      int col = (int) floor ((x - l.gx) / (l.panel_w + l.gap));
      int row = (int) floor ((y - l.gy) / (l.panel_h + l.gap));

      /* The gaps between panels are no panel. */
      if (col >= 0 && row >= 0 && col < (int) l.n_heads && row < (int) l.n_layers
          && x - l.gx - col * (l.panel_w + l.gap) < l.panel_w
          && y - l.gy - row * (l.panel_h + l.gap) < l.panel_h)
        {
          const AttnHeadRank *r = &l.order[row * l.n_heads + col];

          if (layer != NULL)
            *layer = r->layer;
          if (head != NULL)
            *head = r->head;
          hit = TRUE;
        }
    }

  model_layout_clear (&l);
  _attn_painter_clear (&p);
  return hit;
}

/* One head's bars: the query's weight on every key at or before it. */
static void
paint_panel (Painter             *p,
             const AttnModelSpec *spec,
             const ModelLayout   *l,
             const AttnHeadRank  *r,
             double               x,
             double               y)
{
  cairo_t *cr = p->cr;
  const AttnTheme *theme = p->theme;
  g_autofree float *w = g_new0 (float, l->n_tokens);
  double bars_y = y + l->label_h, bars_h = l->panel_h - l->label_h;
  gboolean selected = (int) r->layer == spec->layer && (int) r->head == spec->head;
  gboolean hover = (int) r->layer == spec->hover_layer && (int) r->head == spec->hover_head;
  char label[64];

  if (r->weight >= 0)
    g_snprintf (label, sizeof label, "L%u H%u · %.2f", r->layer, r->head, r->weight);
  else
    g_snprintf (label, sizeof label, "L%u H%u", r->layer, r->head);
  _attn_painter_text (p, label, x, y + l->label_h / 2, selected ? &theme->accent : &theme->dim,
                      TEXT_STYLE (.size = 0.9, .bold = selected, .valign = 0.5, .max_width = l->panel_w));

  /* A faint floor shows the panel even where the bars are tiny. */
  set_source_alpha (cr, &theme->grid, 0.35);
  cairo_rectangle (cr, x, bars_y, l->panel_w, bars_h);
  cairo_fill (cr);

  /* the query's row alone, computed for this panel */
  if (spec->query >= 0 && spec->query < (int) l->n_tokens &&
      !attn_result_get_head_rows (spec->result, r->layer, r->head, spec->query, spec->query + 1, w, NULL))
    return;
  for (int k = 0, n = (int) attn_result_get_n_keys_seen (spec->result, spec->query); k < n; k++)
    {
      double t, h, inset = l->bar_w >= 4 ? 1 : 0, bar_x = x + k * l->bar_w, bar_w = l->bar_w - inset;
      float strongest = w[k];
      AttnRgba c;

      /* Thinner than a pixel: one pixel column for the keys in it, as
       * high as the strongest (a sink or the previous token stays seen). */
      if (l->bar_w < 1)
        {
          int column = (int) floor (x + k * l->bar_w);

          while (k + 1 < n && (int) floor (x + (k + 1) * l->bar_w) == column)
            strongest = MAX (strongest, w[++k]);
          bar_x = column;
          bar_w = 1;
        }
      t = attn_scale_apply (spec->scale, strongest);
      c = attn_colormap_lookup (spec->colormap, t);
      h = MAX (t * bars_h, t > 0 ? 1.0 : 0.0);
      set_source (cr, &c);
      cairo_rectangle (cr, bar_x + inset / 2, bars_y + bars_h - h, bar_w, h);
      cairo_fill (cr);
    }

  /* The key the panels are ranked by, outlined in every panel. */
  if (spec->key >= 0 && spec->key <= spec->query)
    {
      set_source (cr, &theme->accent);
      cairo_set_line_width (cr, 1.5);
      cairo_rectangle (cr, x + floor (spec->key * l->bar_w) + 0.75, bars_y + 0.75, MAX (l->bar_w, 3) - 1.5,
                       bars_h - 1.5);
      cairo_stroke (cr);
    }

  if (selected || hover)
    _attn_outline_rect (cr, theme, selected ? &theme->accent : &theme->foreground,
                        x - 2, y - 1, l->panel_w + 4, l->panel_h + 3, selected ? 2.0 : 1.0);
}

void
attn_render_model (cairo_t             *cr,
                   const AttnModelSpec *spec,
                   double               width,
                   double               height)
{
  const AttnTheme *theme;
  ModelLayout l;
  Painter p;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (spec != NULL);

  theme = _attn_figure_begin (cr, spec->theme, width, height);
  if (!model_spec_valid (spec))
    {
      cairo_restore (cr);
      return;
    }

  _attn_painter_init (&p, cr, theme);
  model_layout (spec, &p, width, height, &l);

  if (spec->query < 0 || spec->query >= (int) l.n_tokens)
    {
      _attn_painter_text (&p, _("Select a query token to see its attention in every head."),
                          width / 2, height / 2, &theme->dim,
                          TEXT_STYLE (.halign = 0.5, .valign = 0.5, .max_width = width - 2 * l.margin));
      model_layout_clear (&l);
      _attn_painter_clear (&p);
      cairo_restore (cr);
      return;
    }

  if (spec->show_title)
    {
      g_autofree char *q = attn_render_dup_token_label (attn_result_get_token_text (spec->result, spec->query));
      g_autofree char *fallback = NULL;
      g_autofree char *caption = NULL;

      if (spec->key >= 0 && spec->key <= spec->query)
        {
          g_autofree char *k = attn_render_dup_token_label (attn_result_get_token_text (spec->result, spec->key));

          /* Translators: title of the model view ranked by one link: query, key */
          fallback = g_strdup_printf (_("Heads ranked by the attention “%s” gives “%s”"), q, k);
        }
      else
        /* Translators: title of the model view: the query token */
        fallback = g_strdup_printf (_("Attention from “%s” in every layer and head"), q);
      _attn_painter_text (&p, spec->title ? spec->title : fallback, width / 2, l.title_y, &theme->foreground,
                          TEXT_STYLE (.size = 1.2, .bold = TRUE, .halign = 0.5, .max_width = width - 2 * l.margin));
      caption = g_strdup (_("Each panel: one head; a bar per token, as high as the weight the query gives it"));
      _attn_painter_text (&p, caption, width / 2, l.title_y + l.title_h * 0.62, &theme->dim,
                          TEXT_STYLE (.halign = 0.5, .max_width = width - 2 * l.margin));
    }

  /* Token names over the first row's columns: every panel's bars sit on
   * the same positions. */
  if (l.labels_h > 0)
    for (guint c = 0; c < l.n_heads; c++)
      for (int k = 0; k < (int) l.n_tokens; k++)
        {
          g_autofree char *label = attn_render_dup_token_label (attn_result_get_token_text (spec->result, k));
          double x = l.gx + c * (l.panel_w + l.gap) + (k + 0.5) * l.bar_w;
          gboolean marked = k == spec->query || k == spec->key;

          _attn_painter_text (&p, label, x, l.vy - p.line_h * 0.3, marked ? &theme->accent : &theme->dim,
                              TEXT_STYLE (.size = 0.75, .bold = marked, .valign = 0.5, .angle = -G_PI / 2,
                                          .max_width = l.labels_h - p.line_h * 0.4));
        }

  cairo_save (cr);
  cairo_rectangle (cr, l.vx - 4, l.vy - 2, l.vw + 8, l.vh + 4);
  cairo_clip (cr);
  for (guint i = 0; i < l.n_layers * l.n_heads; i++)
    {
      double x = l.gx + (i % l.n_heads) * (l.panel_w + l.gap);
      double y = l.gy + (i / l.n_heads) * (l.panel_h + l.gap);

      if (y + l.panel_h < l.vy || y > l.vy + l.vh)
        continue;
      paint_panel (&p, spec, &l, &l.order[i], x, y);
    }
  cairo_restore (cr);

  model_layout_clear (&l);
  _attn_painter_clear (&p);
  cairo_restore (cr);
}
