/* attn-render.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the pictures are drawn.  Each view first computes a layout (a plain
 * struct of rectangles) from (spec, width, height) with text measured in a
 * pango context of its own, independent of the target surface; drawing and
 * hit-testing then share that layout, so a click lands on what was drawn.
 *
 * Cells are never T² cairo rectangles on screen: the weights are painted
 * once into a T×T ARGB32 image (one pixel per cell) that is scaled with
 * CAIRO_FILTER_NEAREST.  Only vector export of short inputs draws
 * rectangles, so a PDF or SVG figure stays crisp at any zoom.
 *
 * This file holds what the views share: themes, the text painter and its
 * SVG text sink, labels and titles, the colour bar and the figure's frame
 * (attn-render-private.h); the weights images and their cache are in
 * attn-render-cells.c.  Each view has a file of its own:
 * attn-render-heatmap.c, -arcs.c, -grid.c, -model.c.
 */

#define G_LOG_DOMAIN "attn-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "attn-display.h"
#include "attn-predictions.h"
#include "attn-render-private.h"

#define DEFAULT_FONT_FAMILY "Cantarell, DejaVu Sans, sans-serif"
#define DEFAULT_FONT_PX     11.0

/* ------------------------------------------------------------------------ */
/* Themes                                                                   */

/* Light: libadwaita's view colours; the accent is Adwaita blue 4 rather than
 * the UI's blue 3, because a figure needs contrast with viridis' blues.
 * Dark: libadwaita's dark card colour (#303030) with its light accent.  Not
 * the darker view background (#1e1e1e): on it magma's weight 0 (black) and
 * viridis' (deep purple) differed by 30 of 255 at most, so zero cells
 * vanished into the figure; on #303030 every map's 0 is 44 or more away. */
static const AttnTheme light_theme = {
  .dark        = FALSE,
  .background  = { 1.000, 1.000, 1.000, 1 },
  .foreground  = { 0.118, 0.118, 0.129, 1 },
  .dim         = { 0.380, 0.380, 0.410, 1 },
  .grid        = { 0.760, 0.760, 0.780, 1 },
  .accent      = { 0.110, 0.443, 0.847, 1 },
  .masked      = { 0.925, 0.925, 0.933, 1 },
  .font_family = DEFAULT_FONT_FAMILY,
  .font_size   = DEFAULT_FONT_PX,
};

static const AttnTheme dark_theme = {
  .dark        = TRUE,
  .background  = { 0.188, 0.188, 0.188, 1 },
  .foreground  = { 0.960, 0.960, 0.960, 1 },
  .dim         = { 0.660, 0.660, 0.690, 1 },
  .grid        = { 0.380, 0.380, 0.400, 1 },
  .accent      = { 0.471, 0.682, 0.929, 1 },
  .masked      = { 0.255, 0.255, 0.265, 1 },
  .font_family = DEFAULT_FONT_FAMILY,
  .font_size   = DEFAULT_FONT_PX,
};

const AttnTheme *
attn_theme_get_default (gboolean dark)
{
  return dark ? &dark_theme : &light_theme;
}

/* Black or white, whichever reads better on @c (WCAG relative luminance). */
AttnRgba
_attn_text_color_on (const AttnRgba *c)
{
  double lin[3] = { c->r, c->g, c->b };
  double y;

  for (int i = 0; i < 3; i++)
    lin[i] = lin[i] <= 0.04045 ? lin[i] / 12.92 : pow ((lin[i] + 0.055) / 1.055, 2.4);
  y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];

  return y > 0.18 ? (AttnRgba) { 0, 0, 0, 1 } : (AttnRgba) { 1, 1, 1, 1 };
}

AttnRgba
attn_rgba_get_text_color (const AttnRgba *background)
{
  g_return_val_if_fail (background != NULL, ((AttnRgba) { 0, 0, 0, 1 }));

  return _attn_text_color_on (background);
}

/* The theme's masked colour, unless the colour map's weight 0 is close to
 * it (blues starts near white, like the light theme's masked grey): then
 * a darker or lighter shade, so "masked" never reads as "weight 0". */
AttnRgba
_attn_masked_color (const AttnTheme *theme,
                    AttnColormap     colormap)
{
  AttnRgba zero = attn_colormap_lookup (colormap, 0);
  AttnRgba c = theme->masked;
  double d = MAX (fabs (zero.r - c.r), MAX (fabs (zero.g - c.g), fabs (zero.b - c.b)));

  if (d < 0.19)
    {
      c.r += (theme->foreground.r - c.r) * 0.22;
      c.g += (theme->foreground.g - c.g) * 0.22;
      c.b += (theme->foreground.b - c.b) * 0.22;
    }
  return c;
}

/* ------------------------------------------------------------------------ */
/* Text                                                                     */

static cairo_user_data_key_t text_sink_key;

void
_attn_render_set_text_sink (cairo_surface_t *surface,
                            AttnTextSink     sink,
                            gpointer         user_data)
{
  TextSink *ts = NULL;

  g_return_if_fail (surface != NULL);

  if (sink != NULL)
    {
      ts = g_new0 (TextSink, 1);
      ts->sink = sink;
      ts->user_data = user_data;
    }
  cairo_surface_set_user_data (surface, &text_sink_key, ts, g_free);
}

void
_attn_painter_init (Painter         *p,
                    cairo_t         *cr,
                    const AttnTheme *theme)
{
  cairo_font_options_t *options;

  memset (p, 0, sizeof *p);
  p->cr = cr;
  p->theme = theme;
  p->font_px = theme->font_size > 0 ? theme->font_size : DEFAULT_FONT_PX;
  if (cr != NULL)
    p->sink = cairo_surface_get_user_data (cairo_get_target (cr), &text_sink_key);

  p->context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (p->context, options);
  cairo_font_options_destroy (options);

  p->font = pango_font_description_from_string (theme->font_family ? theme->font_family
                                                                   : DEFAULT_FONT_FAMILY);
  pango_font_description_set_absolute_size (p->font, p->font_px * PANGO_SCALE);
  p->layout = pango_layout_new (p->context);
  pango_layout_set_font_description (p->layout, p->font);

  /* One line's height from a laid-out sample rather than
   * pango_context_get_metrics (), which loads every font of the fallback
   * set on each call. */
  {
    PangoRectangle logical;

    pango_layout_set_text (p->layout, "Ag", -1);
    pango_layout_get_extents (p->layout, NULL, &logical);
    p->line_h = ceil (logical.height / (double) PANGO_SCALE);
  }
}

void
_attn_painter_clear (Painter *p)
{
  g_clear_object (&p->layout);
  g_clear_object (&p->context);
  g_clear_pointer (&p->font, pango_font_description_free);
}

void
_attn_painter_set_style (Painter  *p,
                         double    size_factor,
                         gboolean  bold)
{
  pango_font_description_set_absolute_size (p->font, p->font_px * size_factor * PANGO_SCALE);
  pango_font_description_set_weight (p->font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (p->layout, p->font);
}

double
_attn_painter_measure (Painter    *p,
                       const char *text,
                       double      size_factor,
                       gboolean    bold)
{
  PangoRectangle logical;

  _attn_painter_set_style (p, size_factor, bold);
  pango_layout_set_text (p->layout, text, -1);
  pango_layout_get_extents (p->layout, NULL, &logical);
  return logical.width / (double) PANGO_SCALE;
}

/* Cuts @text to fit @max_width with a trailing "…"; (transfer full). */
static char *
painter_ellipsize (Painter    *p,
                   const char *text,
                   double      max_width,
                   double      size_factor,
                   gboolean    bold)
{
  glong n_chars, lo, hi;

  if (max_width <= 0 || _attn_painter_measure (p, text, size_factor, bold) <= max_width)
    return g_strdup (text);

  /* Binary search over the number of characters kept. */
  n_chars = g_utf8_strlen (text, -1);
  lo = 0;
  hi = n_chars;
  while (lo < hi)
    {
      glong mid = (lo + hi + 1) / 2;
      g_autofree char *prefix = g_utf8_substring (text, 0, mid);
      g_autofree char *candidate = g_strconcat (g_strchomp (prefix), "…", NULL);

      if (_attn_painter_measure (p, candidate, size_factor, bold) <= max_width)
        lo = mid;
      else
        hi = mid - 1;
    }

  {
    g_autofree char *prefix = g_utf8_substring (text, 0, lo);
    return g_strconcat (g_strchomp (prefix), "…", NULL);
  }
}

/* Draws @text anchored at (x, y) in user space. */
void
_attn_painter_text (Painter         *p,
                    const char      *text,
                    double           x,
                    double           y,
                    const AttnRgba  *color,
                    TextStyle        style)
{
  g_autofree char *shown = NULL;
  PangoRectangle logical;
  double baseline;

  if (p->cr == NULL || text == NULL || *text == '\0')
    return;
  if (style.size <= 0)
    style.size = 1.0;

  shown = painter_ellipsize (p, text, style.max_width, style.size, style.bold);
  _attn_painter_set_style (p, style.size, style.bold);
  pango_layout_set_text (p->layout, shown, -1);
  pango_layout_get_extents (p->layout, NULL, &logical);
  baseline = pango_layout_get_baseline (p->layout) / (double) PANGO_SCALE;

  cairo_save (p->cr);
  cairo_translate (p->cr, x, y);
  if (style.angle != 0)
    cairo_rotate (p->cr, style.angle);

  if (p->sink != NULL)
    {
      cairo_matrix_t matrix;

      /* The sink anchors horizontally itself (SVG text-anchor), since the
       * viewer's font may be a little wider or narrower than ours. */
      cairo_translate (p->cr, 0, -style.valign * logical.height / PANGO_SCALE + baseline);
      cairo_get_matrix (p->cr, &matrix);
      p->sink->sink (shown, &matrix, style.halign, p->font_px * style.size,
                     style.bold, color, p->sink->user_data);
    }
  else
    {
      cairo_move_to (p->cr,
                     -style.halign * logical.width / PANGO_SCALE - logical.x / (double) PANGO_SCALE,
                     -style.valign * logical.height / PANGO_SCALE);
      set_source (p->cr, color);
      pango_cairo_show_layout (p->cr, p->layout);
    }

  cairo_restore (p->cr);
}

/* ------------------------------------------------------------------------ */
/* Labels and titles                                                        */

char *
attn_render_dup_token_label (const char *token_text)
{
  GString *s;
  const char *c;

  if (token_text == NULL)
    return g_strdup ("");

  s = g_string_new (NULL);
  c = token_text;
  if (*c == ' ')
    {
      g_string_append (s, "·");
      c++;
    }
  /* A run of spaces (code indentation) shows each one. */
  if (token_text[strspn (token_text, " ")] == '\0')
    for (; *c == ' '; c++)
      g_string_append (s, "·");

  for (; *c != '\0'; c = g_utf8_next_char (c))
    {
      gunichar ch = g_utf8_get_char (c);

      if (ch == '\n')
        g_string_append (s, "↵");
      else if (ch == '\t')
        g_string_append (s, "⇥");
      else if (ch == '\r')
        g_string_append (s, "␍");
      else if (g_unichar_iscntrl (ch))
        g_string_append_unichar (s, 0xFFFD);
      else
        g_string_append_unichar (s, ch);
    }

  /* An all-space token would otherwise be invisible. */
  if (s->len == 0)
    g_string_append (s, "∅");

  return g_string_free (s, FALSE);
}

char *
attn_render_dup_title (AttnResult *result,
                       int         layer,
                       int         head)
{
  return attn_render_dup_title_full (result, layer, head, NULL, ATTN_SCALE_LINEAR);
}

static char *
dup_title (AttnResult        *result,
           int                layer,
           int                head,
           const AttnDisplay *display,
           AttnScale          scale,
           gboolean           with_text);

char *
attn_render_dup_title_full (AttnResult        *result,
                            int                layer,
                            int                head,
                            const AttnDisplay *display,
                            AttnScale          scale)
{
  return dup_title (result, layer, head, display, scale, TRUE);
}

static char *
dup_title (AttnResult        *result,
           int                layer,
           int                head,
           const AttnDisplay *display,
           AttnScale          scale,
           gboolean           with_text)
{
  g_autofree char *shown = NULL;
  GString *s;
  const char *model;
  const char *text;

  g_return_val_if_fail (result != NULL, NULL);

  s = g_string_new (NULL);
  model = attn_result_get_model_name (result);
  if (model != NULL && *model != '\0')
    g_string_append (s, model);

  if (layer >= 0)
    g_string_append_printf (s, "%s%s %d", s->len ? " · " : "", _("layer"), layer);
  if (head >= 0)
    {
      const AeTrace *trace = attn_result_get_trace (result);

      g_string_append_printf (s, "%s%s %d", s->len ? " · " : "", _("head"), head);
      /* grouped-query attention: which key/value head this one reads */
      if (trace != NULL && trace->n_kv_head > 0 && trace->n_kv_head < trace->n_head &&
          (size_t) head < trace->n_head)
        g_string_append_printf (s, _(" (KV head %zu)"), ae_trace_kv_head (trace, head));
    }

  /* Words are not the model's tokens: say how they were made. */
  if (attn_result_get_words (result) != NULL)
    g_string_append_printf (s, "%s%s", s->len ? " · " : "",
                            /* Translators: title part when word pieces are merged into words */
                            _("words: sum over key pieces, mean over query pieces"));

  /* Before the sentence, which is what an ellipsis may cut. */
  shown = attn_display_describe (display, scale, result);
  if (shown != NULL)
    g_string_append_printf (s, "%s%s", s->len ? " · " : "", shown);
  /* an ablated model's attention must never pass for the intact model's */
  {
    g_autofree char *ablation = attn_result_dup_ablation_label (result);

    if (ablation != NULL)
      g_string_append_printf (s, "%s%s", s->len ? " · " : "", ablation);
  }

  text = with_text ? attn_result_get_text (result) : NULL;
  if (text != NULL && *text != '\0')
    {
      g_autofree char *flat = g_strdup (text);
      g_autofree char *cut = NULL;

      /* One line: the title is a caption, not the text itself. */
      g_strdelimit (flat, "\n\r\t", ' ');
      g_strstrip (flat);
      if (g_utf8_strlen (flat, -1) > 72)
        {
          g_autofree char *prefix = g_utf8_substring (flat, 0, 71);
          cut = g_strconcat (g_strchomp (prefix), "…", NULL);
        }
      g_string_append_printf (s, "%s“%s”", s->len ? " · " : "", cut ? cut : flat);
    }

  return g_string_free (s, FALSE);
}

/* The smallest of 1, 2, 5, 10, 20, 50, … that is at least @n, so thinned
 * labels fall on round token indices. */
int
_attn_nice_step (double n)
{
  int base = 1;

  if (n <= 1)
    return 1;

  for (;;)
    {
      if (n <= base)
        return base;
      if (n <= 2 * base)
        return 2 * base;
      if (n <= 5 * base)
        return 5 * base;
      base *= 10;
    }
}

/* The widest label, measured on the longest few (by characters) rather
 * than all T, which would cost a pango layout per token per frame. */
double
_attn_measure_widest_label (Painter    *p,
                            AttnResult *result,
                            double      cap)
{
  guint n_tokens = attn_result_get_n_tokens (result);
  guint best[8];
  glong best_len[8];
  guint n_best = 0;
  double widest = 0;

  for (guint i = 0; i < n_tokens; i++)
    {
      glong len = g_utf8_strlen (attn_result_get_token_text (result, i), -1);
      guint slot;

      if (n_best < G_N_ELEMENTS (best))
        slot = n_best++;
      else
        {
          slot = 0;
          for (guint j = 1; j < n_best; j++)
            if (best_len[j] < best_len[slot])
              slot = j;
          if (best_len[slot] >= len)
            continue;
        }
      best[slot] = i;
      best_len[slot] = len;
    }

  for (guint j = 0; j < n_best; j++)
    {
      g_autofree char *label = attn_render_dup_token_label (attn_result_get_token_text (result, best[j]));
      widest = MAX (widest, _attn_painter_measure (p, label, 1.0, FALSE));
    }

  return ceil (MIN (widest, cap));
}

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
                    double           line_width)
{
  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  set_source_alpha (cr, &theme->background, 0.9);
  cairo_set_line_width (cr, line_width + 2.0);
  cairo_stroke_preserve (cr);
  set_source (cr, color);
  cairo_set_line_width (cr, line_width);
  cairo_stroke (cr);
  cairo_restore (cr);
}

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
                   int    *col)
{
  int r, c;

  if (x < vx || y < vy || x >= vx + vw || y >= vy + vh)
    return FALSE;

  r = (int) floor ((y - oy) / pitch);
  c = (int) floor ((x - ox) / pitch);
  if (r < 0 || c < 0 || r >= (int) n_rows || c >= (int) n_cols)
    return FALSE;

  if (row != NULL)
    *row = r;
  if (col != NULL)
    *col = c;
  return TRUE;
}

void
_attn_set_no_size (double *width,
                   double *height)
{
  if (width != NULL)
    *width = 0;
  if (height != NULL)
    *height = 0;
}

/* ------------------------------------------------------------------------ */
/* Colour bar                                                               */

static double
colorbar_tick_width (Painter *p)
{
  return _attn_painter_measure (p, "0.75", 0.9, FALSE);
}

/* With @row_max the top reads "max": each row is scaled to its own. */
static void
colorbar_draw (cairo_t         *cr,
               AttnColormap     colormap,
               AttnScale        scale,
               gboolean         row_max,
               const AttnTheme *theme,
               double           x,
               double           y,
               double           width,
               double           height)
{
  static const double ticks_4[] = { 0, 0.25, 0.5, 0.75, 1 };
  static const double ticks_sqrt[] = { 0, 0.05, 0.25, 0.5, 1 };
  static const double ticks_log[] = { 0.001, 0.01, 0.1, 1 };
  static const double ticks_2[] = { 0, 0.5, 1 };
  const double *ticks;
  guint n_ticks;
  Painter p;
  cairo_pattern_t *gradient;
  double bar_w;

  if (theme == NULL)
    theme = &light_theme;

  _attn_painter_init (&p, cr, theme);
  bar_w = MIN (width * 0.45, ceil (p.line_h * 0.8));

  /* 64 stops of the 256-entry map: smooth in vector output, and between
   * stops the map is close to linear in sRGB anyway. */
  gradient = cairo_pattern_create_linear (0, y + height, 0, y);
  for (int i = 0; i <= 64; i++)
    {
      double t = i / 64.0;
      AttnRgba c = attn_colormap_lookup (colormap, t);

      cairo_pattern_add_color_stop_rgb (gradient, t, c.r, c.g, c.b);
    }
  cairo_rectangle (cr, x, y, bar_w, height);
  cairo_set_source (cr, gradient);
  cairo_fill (cr);
  cairo_pattern_destroy (gradient);

  cairo_rectangle (cr, x + 0.5, y + 0.5, bar_w - 1, height - 1);
  set_source (cr, &theme->grid);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);

  if (scale == ATTN_SCALE_SQRT)
    ticks = ticks_sqrt, n_ticks = G_N_ELEMENTS (ticks_sqrt);
  else if (scale == ATTN_SCALE_LOG)
    ticks = ticks_log, n_ticks = G_N_ELEMENTS (ticks_log);
  else if (height >= 5.5 * p.line_h)
    ticks = ticks_4, n_ticks = G_N_ELEMENTS (ticks_4);
  else
    ticks = ticks_2, n_ticks = G_N_ELEMENTS (ticks_2);

  for (guint i = 0; i < n_ticks; i++)
    {
      double ty = y + height - attn_scale_apply (scale, ticks[i]) * height;
      char label[16];

      if (row_max && ticks[i] == 1)
        /* Translators: top of the colour bar when each row is scaled to its maximum */
        g_strlcpy (label, C_("colour bar", "max"), sizeof label);
      else
        g_snprintf (label, sizeof label, "%g", ticks[i]);
      cairo_move_to (cr, x + bar_w, round (ty) + 0.5);
      cairo_line_to (cr, x + bar_w + 3, round (ty) + 0.5);
      set_source (cr, &theme->dim);
      cairo_stroke (cr);
      _attn_painter_text (&p, label, x + bar_w + 5, ty, &theme->dim,
                          TEXT_STYLE (.size = 0.9, .valign = 0.5));
    }

  _attn_painter_clear (&p);
}

void
attn_render_colorbar (cairo_t         *cr,
                      AttnColormap     colormap,
                      AttnScale        scale,
                      const AttnTheme *theme,
                      double           x,
                      double           y,
                      double           width,
                      double           height)
{
  g_return_if_fail (cr != NULL);

  colorbar_draw (cr, colormap, scale, FALSE, theme, x, y, width, height);
}

/* The diverging colour bar of signed values (Δ): −limit at the bottom,
 * 0 (neutral) in the middle, +limit at the top, ticks with their signs. */
static void
colorbar_signed_draw (cairo_t         *cr,
                      double           limit,
                      const AttnTheme *theme,
                      double           x,
                      double           y,
                      double           width,
                      double           height)
{
  static const double ticks_5[] = { -1, -0.5, 0, 0.5, 1 };
  static const double ticks_3[] = { -1, 0, 1 };
  const double *ticks;
  guint n_ticks;
  Painter p;
  cairo_pattern_t *gradient;
  double bar_w, label_size = 0.9;

  _attn_painter_init (&p, cr, theme);
  bar_w = MIN (width * 0.45, ceil (p.line_h * 0.8));

  gradient = cairo_pattern_create_linear (0, y + height, 0, y);
  for (int i = 0; i <= 64; i++)
    {
      double t = i / 64.0;
      AttnRgba c = attn_colormap_lookup (ATTN_COLORMAP_DIVERGING, t);

      cairo_pattern_add_color_stop_rgb (gradient, t, c.r, c.g, c.b);
    }
  cairo_rectangle (cr, x, y, bar_w, height);
  cairo_set_source (cr, gradient);
  cairo_fill (cr);
  cairo_pattern_destroy (gradient);

  cairo_rectangle (cr, x + 0.5, y + 0.5, bar_w - 1, height - 1);
  set_source (cr, &theme->grid);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);

  if (height >= 5.5 * p.line_h)
    ticks = ticks_5, n_ticks = G_N_ELEMENTS (ticks_5);
  else
    ticks = ticks_3, n_ticks = G_N_ELEMENTS (ticks_3);

  /* Signed labels are wider than the weights' "0.75" the bar reserves. */
  {
    char widest[32];
    double w;

    g_snprintf (widest, sizeof widest, "%+.3g", -limit / 2);
    w = _attn_painter_measure (&p, widest, label_size, FALSE);
    if (w > width - bar_w - 5 && w > 0)
      label_size = MAX (0.6, label_size * (width - bar_w - 5) / w);
  }

  for (guint i = 0; i < n_ticks; i++)
    {
      double ty = y + height - (0.5 + 0.5 * ticks[i]) * height;
      char label[32];

      if (ticks[i] == 0)
        g_strlcpy (label, "0", sizeof label);
      else
        g_snprintf (label, sizeof label, "%+.3g", ticks[i] * limit);
      cairo_move_to (cr, x + bar_w, round (ty) + 0.5);
      cairo_line_to (cr, x + bar_w + 3, round (ty) + 0.5);
      set_source (cr, &theme->dim);
      cairo_stroke (cr);
      _attn_painter_text (&p, label, x + bar_w + 5, ty, &theme->dim,
                          TEXT_STYLE (.size = label_size, .valign = 0.5));
    }

  _attn_painter_clear (&p);
}

/* Space between a view's content and its colour bar. */
static double
colorbar_gap (Painter *p)
{
  return round (p->line_h * 1.2);
}

/* Width a view reserves on its right for the colour bar, gap included. */
double
_attn_colorbar_reserve (Painter *p)
{
  return ceil (p->line_h * 1.2 + p->line_h * 0.8 + 5 + colorbar_tick_width (p));
}

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
                      double             height)
{
  if (reserved > 0)
    colorbar_draw (p->cr, colormap, scale, display != NULL && display->row_max, p->theme,
                   content_end + colorbar_gap (p), y, reserved - colorbar_gap (p), height);
}

void
_attn_paint_colorbar_signed (Painter *p,
                             double   limit,
                             double   content_end,
                             double   reserved,
                             double   y,
                             double   height)
{
  if (reserved > 0 && limit > 0)
    colorbar_signed_draw (p->cr, limit, p->theme,
                          content_end + colorbar_gap (p), y, reserved - colorbar_gap (p), height);
}

/* ------------------------------------------------------------------------ */
/* What every view shares                                                   */

/* Fills the background and saves @cr (the caller restores it); returns the
 * theme to draw with. */
const AttnTheme *
_attn_figure_begin (cairo_t         *cr,
                    const AttnTheme *theme,
                    double           width,
                    double           height)
{
  if (theme == NULL)
    theme = &light_theme;

  cairo_save (cr);
  set_source (cr, &theme->background);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
  return theme;
}

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
                   double             y)
{
  g_autofree char *fallback = title ? NULL : attn_render_dup_title_full (result, layer, head, display, scale);

  /* What the colours mean matters more than the sentence, which the
   * labels show anyway: a default title too wide for the figure drops it
   * rather than cut the display's description or the words' rule. */
  if (fallback != NULL
      && (!attn_display_is_identity (display) || scale != ATTN_SCALE_LINEAR
          || attn_result_get_words (result) != NULL)
      && _attn_painter_measure (p, fallback, 1.2, TRUE) > width - 2 * margin)
    {
      g_free (fallback);
      fallback = dup_title (result, layer, head, display, scale, FALSE);
    }

  _attn_painter_text (p, title ? title : fallback, width / 2, y, &p->theme->foreground,
                      TEXT_STYLE (.size = 1.2, .bold = TRUE, .halign = 0.5, .max_width = width - 2 * margin));
}

/* A one-pixel frame in the grid colour just outside a rectangle. */
void
_attn_stroke_frame (cairo_t         *cr,
                    const AttnTheme *theme,
                    double           x,
                    double           y,
                    double           width,
                    double           height)
{
  cairo_rectangle (cr, x - 0.5, y - 0.5, width + 1, height + 1);
  set_source (cr, &theme->grid);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
}
