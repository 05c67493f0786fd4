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
 * SVG text sink, labels and titles, the weights images and their cache,
 * the colour bar and the figure's frame (attn-render-private.h).  Each
 * view has a file of its own: attn-render-heatmap.c, -arcs.c, -grid.c.
 */

#define G_LOG_DOMAIN "attn-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "attn-display.h"
#include "attn-render-private.h"

#define DEFAULT_FONT_FAMILY "Cantarell, DejaVu Sans, sans-serif"
#define DEFAULT_FONT_PX     11.0

/* What a cache may hold in weights images before it starts over. */
#define CACHE_BUDGET_BYTES  (64 * 1024 * 1024)

/* ------------------------------------------------------------------------ */
/* Themes                                                                   */

/* Light: libadwaita's view colours; the accent is Adwaita blue 4 rather than
 * the UI's blue 3, because a figure needs contrast with viridis' blues.
 * Dark: libadwaita's dark view background with its light accent. */
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
  .background  = { 0.118, 0.118, 0.118, 1 },
  .foreground  = { 0.960, 0.960, 0.960, 1 },
  .dim         = { 0.640, 0.640, 0.670, 1 },
  .grid        = { 0.330, 0.330, 0.350, 1 },
  .accent      = { 0.471, 0.682, 0.929, 1 },
  .masked      = { 0.200, 0.200, 0.210, 1 },
  .font_family = DEFAULT_FONT_FAMILY,
  .font_size   = DEFAULT_FONT_PX,
};

const AttnTheme *
attn_theme_get_default (gboolean dark)
{
  return dark ? &dark_theme : &light_theme;
}

static inline guint32
rgba_to_argb (const AttnRgba *c)
{
  return 0xff000000u
         | ((guint32) lround (CLAMP (c->r, 0, 1) * 255) << 16)
         | ((guint32) lround (CLAMP (c->g, 0, 1) * 255) << 8)
         | (guint32) lround (CLAMP (c->b, 0, 1) * 255);
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

  /* Before the sentence, which is what an ellipsis may cut. */
  shown = attn_display_describe (display, scale, result);
  if (shown != NULL)
    g_string_append_printf (s, "%s%s", s->len ? " · " : "", shown);

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

/* ------------------------------------------------------------------------ */
/* Weights images and the cache                                             */

struct _AttnRenderCache
{
  AttnResult *result;         /* owned ref; the key's first part */
  GHashTable *images;         /* "layer/head/…" → cairo_surface_t */
  gsize       image_bytes;    /* pixels held by images */
  double     *label_widths;   /* (T,) token labels measured in label_font */
  char       *label_font;
};

AttnRenderCache *
attn_render_cache_new (void)
{
  AttnRenderCache *cache = g_new0 (AttnRenderCache, 1);

  cache->images = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) cairo_surface_destroy);
  return cache;
}

void
attn_render_cache_clear (AttnRenderCache *cache)
{
  g_return_if_fail (cache != NULL);

  g_hash_table_remove_all (cache->images);
  cache->image_bytes = 0;
  g_clear_pointer (&cache->label_widths, g_free);
  g_clear_pointer (&cache->label_font, g_free);
  g_clear_pointer (&cache->result, attn_result_unref);
}

/* Everything cached belongs to one result; another one starts afresh. */
static void
cache_set_result (AttnRenderCache *cache,
                  AttnResult      *result)
{
  if (cache->result == result)
    return;

  attn_render_cache_clear (cache);
  cache->result = attn_result_ref (result);
}

void
attn_render_cache_free (AttnRenderCache *cache)
{
  if (cache == NULL)
    return;

  attn_render_cache_clear (cache);
  g_hash_table_unref (cache->images);
  g_free (cache);
}

/* The width of every token's label, from @cache when it has them: pango
 * takes about 13 µs a label, so 1024 tokens would cost a frame. */
double *
_attn_label_widths_dup (AttnRenderCache *cache,
                        Painter         *p,
                        AttnResult      *result)
{
  guint n_tokens = attn_result_get_n_tokens (result);
  g_autofree char *font = g_strdup_printf ("%s %g", p->theme->font_family ? p->theme->font_family : "",
                                           p->font_px);
  double *widths;

  if (cache != NULL)
    {
      cache_set_result (cache, result);
      if (cache->label_widths != NULL && g_strcmp0 (cache->label_font, font) == 0)
        return g_memdup2 (cache->label_widths, n_tokens * sizeof (double));
    }

  widths = g_new (double, n_tokens);
  for (guint i = 0; i < n_tokens; i++)
    {
      g_autofree char *label = attn_render_dup_token_label (attn_result_get_token_text (result, i));
      widths[i] = _attn_painter_measure (p, label, 1.0, FALSE);
    }

  if (cache != NULL)
    {
      g_free (cache->label_widths);
      g_free (cache->label_font);
      cache->label_widths = g_memdup2 (widths, n_tokens * sizeof (double));
      cache->label_font = g_steal_pointer (&font);
    }
  return widths;
}

float *
_attn_display_weights_dup (AttnResult        *result,
                           guint              layer,
                           guint              head,
                           const AttnDisplay *display)
{
  guint n_tokens = attn_result_get_n_tokens (result);
  const float *weights = attn_result_get_weights (result, layer, head);
  float *shown;

  if (attn_display_is_identity (display) || weights == NULL)
    return NULL;

  shown = g_new (float, (gsize) n_tokens * n_tokens);
  for (guint q = 0; q < n_tokens; q++)
    attn_display_row (display, weights, n_tokens, q, shown + (gsize) q * n_tokens);
  return shown;
}

/* A @size × @size image of one head: pixel (k, q) is the colour of weight
 * (q, k), or the masked colour above the diagonal.  With size < T (grid
 * thumbnails of long inputs) each pixel shows the strongest cell it
 * covers: sampling would drop a head's one strong column three times in
 * four at 1024 tokens, and that column is what a thumbnail is for. */
static cairo_surface_t *
weights_image_new (AttnResult        *result,
                   guint              layer,
                   guint              head,
                   AttnColormap       colormap,
                   AttnScale          scale,
                   const AttnDisplay *display,
                   guint32            masked,
                   guint              size)
{
  guint n_tokens = attn_result_get_n_tokens (result);
  g_autofree float *shown = _attn_display_weights_dup (result, layer, head, display);
  const float *weights = shown ? shown : attn_result_get_weights (result, layer, head);
  g_autofree float *pooled = NULL;
  cairo_surface_t *image;
  guint32 lut[256];
  guchar *data;
  int stride;

  image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  if (cairo_surface_status (image) != CAIRO_STATUS_SUCCESS || weights == NULL)
    return image;

  /* One table lookup per cell instead of a scale and a clamp. */
  for (guint i = 0; i < 256; i++)
    lut[i] = attn_colormap_lookup_argb (colormap, (i + 0.5) / 256.0);

  if (size < n_tokens)
    {
      g_autofree guint *bin = g_new (guint, n_tokens);

      /* -1 marks a pixel whose cells are all masked. */
      pooled = g_new (float, (gsize) size * size);
      for (gsize i = 0; i < (gsize) size * size; i++)
        pooled[i] = -1;
      for (guint t = 0; t < n_tokens; t++)
        bin[t] = (guint) ((guint64) t * size / n_tokens);
      for (guint q = 0; q < n_tokens; q++)
        {
          const float *w = weights + (gsize) q * n_tokens;
          float *out = pooled + (gsize) bin[q] * size;

          /* Hidden cells (-1) never beat an empty pixel's -1. */
          for (guint k = 0; k <= q; k++)
            if (w[k] > out[bin[k]])
              out[bin[k]] = w[k];
        }
    }

  cairo_surface_flush (image);
  data = cairo_image_surface_get_data (image);
  stride = cairo_image_surface_get_stride (image);

  for (guint y = 0; y < size; y++)
    {
      guint32 *row = (guint32 *) (data + (gsize) y * stride);
      const float *w = pooled ? pooled + (gsize) y * size : weights + (gsize) y * n_tokens;

      for (guint x = 0; x < size; x++)
        {
          if (pooled ? w[x] < 0 : (x > y || w[x] < 0))
            row[x] = masked;
          else
            {
              float t = scale == ATTN_SCALE_LINEAR ? w[x] : (float) attn_scale_apply (scale, w[x]);
              int i = t > 0 ? (int) (t * 256.0f) : 0;

              row[x] = lut[i > 255 ? 255 : i];
            }
        }
    }

  cairo_surface_mark_dirty (image);
  return image;
}

/* A weights image from @cache when given (a new ref either way). */
static cairo_surface_t *
weights_image_get (AttnRenderCache   *cache,
                   AttnResult        *result,
                   guint              layer,
                   guint              head,
                   AttnColormap       colormap,
                   AttnScale          scale,
                   const AttnDisplay *display,
                   const AttnRgba    *masked,
                   guint              size)
{
  guint32 masked_argb = rgba_to_argb (masked);
  g_autofree char *key = NULL;
  g_autofree char *display_key = NULL;
  cairo_surface_t *image;

  if (cache == NULL)
    return weights_image_new (result, layer, head, colormap, scale, display, masked_argb, size);

  cache_set_result (cache, result);

  display_key = attn_display_dup_key (display);
  key = g_strdup_printf ("%u/%u/%d/%d/%u/%08x/%s", layer, head, colormap, scale, size, masked_argb,
                         display_key);
  image = g_hash_table_lookup (cache->images, key);
  if (image == NULL)
    {
      /* A grid of GPT-2 small at 1024 tokens holds 144 thumbnails of
       * 256 KiB; full-size heads are 4 MiB each at 1024 tokens.  Past the
       * budget, something is cycling through heads: start over rather
       * than hold every head of the model. */
      if (cache->image_bytes + (gsize) size * size * 4 > CACHE_BUDGET_BYTES)
        {
          g_hash_table_remove_all (cache->images);
          cache->image_bytes = 0;
        }

      image = weights_image_new (result, layer, head, colormap, scale, display, masked_argb, size);
      cache->image_bytes += (gsize) size * size * 4;
      g_hash_table_insert (cache->images, g_steal_pointer (&key), image);
    }

  return cairo_surface_reference (image);
}

gboolean
_attn_target_is_vector (cairo_t *cr)
{
  switch (cairo_surface_get_type (cairo_get_target (cr)))
    {
    case CAIRO_SURFACE_TYPE_PDF:
    case CAIRO_SURFACE_TYPE_SVG:
    case CAIRO_SURFACE_TYPE_PS:
      return TRUE;
    default:
      return FALSE;
    }
}

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
                   double             ox,
                   double             oy,
                   double             cell,
                   guint              size,
                   gboolean           vector_cells,
                   int                q0,
                   int                q1,
                   int                k0,
                   int                k1)
{
  guint n_tokens = attn_result_get_n_tokens (result);
  AttnRgba masked = _attn_masked_color (theme, colormap);

  if (vector_cells && size == n_tokens)
    {
      g_autofree float *shown = _attn_display_weights_dup (result, layer, head, display);
      const float *weights = shown ? shown : attn_result_get_weights (result, layer, head);

      if (weights == NULL)
        return;

      /* Masked triangle as one shape, then one rectangle per visible cell:
       * each cell stays a crisp vector square in PDF and SVG. */
      set_source (cr, &masked);
      cairo_rectangle (cr, ox, oy, n_tokens * cell, n_tokens * cell);
      cairo_fill (cr);
      for (int q = q0; q < q1; q++)
        for (int k = k0; k < MIN (k1, q + 1); k++)
          {
            AttnRgba c;

            if (weights[(gsize) q * n_tokens + k] < 0)
              continue;   /* hidden: stays in the masked colour */
            c = attn_colormap_lookup (colormap, attn_scale_apply (scale, weights[(gsize) q * n_tokens + k]));

            set_source (cr, &c);
            /* A hair of overlap hides the seams viewers draw between
             * abutting antialiased rectangles. */
            cairo_rectangle (cr, ox + k * cell, oy + q * cell, cell + 0.25, cell + 0.25);
            cairo_fill (cr);
          }
    }
  else
    {
      cairo_surface_t *image;
      cairo_pattern_t *pattern;
      double dx = cell, dy = 0;

      /* Fewer device pixels than image pixels (1024 tokens in 900 px, a
       * thumbnail): an image at the pixel size, max-pooled, rather than
       * nearest neighbour dropping every few rows and columns.  PDF and
       * SVG keep every cell, for whoever zooms in. */
      cairo_user_to_device_distance (cr, &dx, &dy);
      if (n_tokens * hypot (dx, dy) < size && !_attn_target_is_vector (cr))
        size = MAX (1, (guint) ceil (n_tokens * hypot (dx, dy)));

      image = weights_image_get (cache, result, layer, head, colormap, scale, display, &masked, size);
      cairo_matrix_t matrix;
      double s;

      /* cairo 1.16's SVG loses CAIRO_FILTER_NEAREST and viewers (librsvg
       * among them) smooth the cells into each other; an image with a few
       * pixels per cell stays sharp wherever it is opened. */
      if (cairo_surface_get_type (cairo_get_target (cr)) == CAIRO_SURFACE_TYPE_SVG)
        {
          int k = CLAMP ((int) ceil (cell * 2), 1, MAX (1, 2048 / (int) size));

          if (k > 1)
            {
              cairo_surface_t *big = cairo_image_surface_create (CAIRO_FORMAT_RGB24, size * k, size * k);
              cairo_t *bcr = cairo_create (big);

              cairo_scale (bcr, k, k);
              cairo_set_source_surface (bcr, image, 0, 0);
              cairo_pattern_set_filter (cairo_get_source (bcr), CAIRO_FILTER_NEAREST);
              cairo_paint (bcr);
              cairo_destroy (bcr);
              cairo_surface_destroy (image);
              image = big;
              size *= k;
            }
        }

      pattern = cairo_pattern_create_for_surface (image);
      s = n_tokens * cell / size;

      cairo_pattern_set_filter (pattern, CAIRO_FILTER_NEAREST);
      cairo_matrix_init_scale (&matrix, 1.0 / s, 1.0 / s);
      cairo_matrix_translate (&matrix, -ox, -oy);
      cairo_pattern_set_matrix (pattern, &matrix);
      cairo_set_source (cr, pattern);
      cairo_rectangle (cr, ox + k0 * cell, oy + q0 * cell, (k1 - k0) * cell, (q1 - q0) * cell);
      cairo_fill (cr);
      cairo_pattern_destroy (pattern);
      cairo_surface_destroy (image);
    }
}

/* Diagonal hatch over the masked cells (key > query) of rows [q0, q1),
 * so "the model may not look here" never reads as "weight 0". */
void
_attn_paint_mask_hatch (cairo_t         *cr,
                        const AttnTheme *theme,
                        guint            n_tokens,
                        double           ox,
                        double           oy,
                        double           cell,
                        int              q0,
                        int              q1,
                        guint            window)
{
  double x1 = ox + n_tokens * cell;
  double spacing = round (CLAMP (cell / 2.0, 4.0, 7.0));
  AttnRgba ink = theme->grid;

  if (q0 >= q1 || cell < 3.0)
    return;

  ink.a *= theme->dark ? 0.9 : 1.0;

  cairo_save (cr);
  /* keys outside a sliding window get the future's masked ground: the
   * model never saw them, whatever the cell under them was painted */
  cairo_new_path (cr);
  for (int q = q0; window > 0 && q < q1; q++)
    if ((guint) q + 1 > window)
      cairo_rectangle (cr, ox, oy + q * cell, (q + 1 - (int) window) * cell, cell);
  cairo_set_source_rgba (cr, theme->masked.r, theme->masked.g, theme->masked.b, 1.0);
  cairo_fill (cr);

  cairo_new_path (cr);
  cairo_move_to (cr, x1, oy + q0 * cell);
  for (int q = q0; q < q1; q++)
    {
      cairo_line_to (cr, ox + (q + 1) * cell, oy + q * cell);
      cairo_line_to (cr, ox + (q + 1) * cell, oy + (q + 1) * cell);
    }
  cairo_line_to (cr, x1, oy + q1 * cell);
  cairo_close_path (cr);
  /* a sliding window (Mistral) also hides the keys too far back */
  for (int q = q0; window > 0 && q < q1; q++)
    if ((guint) q + 1 > window)
      cairo_rectangle (cr, ox, oy + q * cell, (q + 1 - (int) window) * cell, cell);

  if (_attn_target_is_vector (cr))
    {
      double x_clip, y_clip, x2_clip, y2_clip, start;

      /* Vector output: real 45° lines, crisp at any zoom. */
      cairo_clip (cr);
      cairo_clip_extents (cr, &x_clip, &y_clip, &x2_clip, &y2_clip);
      start = floor ((x_clip - y2_clip - ox + oy) / spacing) * spacing + ox - oy;
      for (double d = start; d < x2_clip - y_clip; d += spacing)
        {
          cairo_move_to (cr, d + y_clip, y_clip);
          cairo_line_to (cr, d + y2_clip, y2_clip);
        }
      set_source (cr, &ink);
      cairo_set_line_width (cr, 1.0);
      cairo_stroke (cr);
    }
  else
    {
      /* On screen, stroking hundreds of lines through a staircase clip
       * costs tens of milliseconds; one repeating tile filled into the
       * staircase costs next to nothing, as long as pixman need not
       * resample it: the tile is drawn at the device's own pixel size
       * (hi-dpi, ×2 and ×4 PNG) and sampled with the fast filter.  It is
       * anchored at the cells' origin, so the hatch scrolls with them. */
      double dx = 1, dy = 0;
      int res, n;

      cairo_user_to_device_distance (cr, &dx, &dy);
      res = CLAMP ((int) lround (hypot (dx, dy)), 1, 8);
      n = (int) spacing * res;
      cairo_surface_t *tile = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, n, n);
      cairo_t *tc = cairo_create (tile);
      cairo_pattern_t *pattern;
      cairo_matrix_t matrix;

      cairo_scale (tc, res, res);
      for (int i = -1; i <= 1; i++)
        {
          cairo_move_to (tc, i * spacing - 1, -1);
          cairo_line_to (tc, i * spacing + spacing + 1, spacing + 1);
        }
      set_source (tc, &ink);
      cairo_set_line_width (tc, 1.0);
      cairo_stroke (tc);
      cairo_destroy (tc);

      pattern = cairo_pattern_create_for_surface (tile);
      cairo_pattern_set_extend (pattern, CAIRO_EXTEND_REPEAT);
      cairo_pattern_set_filter (pattern, CAIRO_FILTER_FAST);
      cairo_matrix_init_scale (&matrix, res, res);
      cairo_matrix_translate (&matrix, -ox, -oy);
      cairo_pattern_set_matrix (pattern, &matrix);
      cairo_set_source (cr, pattern);
      cairo_fill (cr);
      cairo_pattern_destroy (pattern);
      cairo_surface_destroy (tile);
    }
  cairo_restore (cr);
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
   * rather than cut the display's description. */
  if (fallback != NULL && (!attn_display_is_identity (display) || scale != ATTN_SCALE_LINEAR)
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
