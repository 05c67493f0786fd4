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
 */

#define G_LOG_DOMAIN "attn-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "attn-render.h"

#define DEFAULT_FONT_FAMILY "Cantarell, DejaVu Sans, sans-serif"
#define DEFAULT_FONT_PX     11.0

/* Vector targets draw at most this many tokens as rectangles; beyond it an
 * embedded image is smaller and looks the same. */
#define MAX_VECTOR_CELLS_T  96

/* What a cache may hold in weights images before it starts over. */
#define CACHE_BUDGET_BYTES  (64 * 1024 * 1024)

/* Thumbnails of the grid never need more pixels than this per side. */
#define MAX_THUMB_PIXELS    256

/* Beyond this many links, the arc view without a query draws the strongest:
 * each arc is a stroke of its own, some 30 µs. */
#define MAX_ARCS            1500

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

static inline guint32
rgba_to_argb (const AttnRgba *c)
{
  return 0xff000000u
         | ((guint32) lround (CLAMP (c->r, 0, 1) * 255) << 16)
         | ((guint32) lround (CLAMP (c->g, 0, 1) * 255) << 8)
         | (guint32) lround (CLAMP (c->b, 0, 1) * 255);
}

/* Black or white, whichever reads better on @c (WCAG relative luminance). */
static AttnRgba
text_color_on (const AttnRgba *c)
{
  double lin[3] = { c->r, c->g, c->b };
  double y;

  for (int i = 0; i < 3; i++)
    lin[i] = lin[i] <= 0.04045 ? lin[i] / 12.92 : pow ((lin[i] + 0.055) / 1.055, 2.4);
  y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];

  return y > 0.18 ? (AttnRgba) { 0, 0, 0, 1 } : (AttnRgba) { 1, 1, 1, 1 };
}

/* The theme's masked colour, unless the colour map's weight 0 is close to
 * it (blues starts near white, like the light theme's masked grey): then
 * a darker or lighter shade, so "masked" never reads as "weight 0". */
static AttnRgba
masked_color (const AttnTheme *theme,
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

typedef struct
{
  AttnTextSink sink;
  gpointer     user_data;
} TextSink;

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

static void
painter_init (Painter         *p,
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

static void
painter_clear (Painter *p)
{
  g_clear_object (&p->layout);
  g_clear_object (&p->context);
  g_clear_pointer (&p->font, pango_font_description_free);
}

static void
painter_set_style (Painter  *p,
                   double    size_factor,
                   gboolean  bold)
{
  pango_font_description_set_absolute_size (p->font, p->font_px * size_factor * PANGO_SCALE);
  pango_font_description_set_weight (p->font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (p->layout, p->font);
}

static double
painter_measure (Painter    *p,
                 const char *text,
                 double      size_factor,
                 gboolean    bold)
{
  PangoRectangle logical;

  painter_set_style (p, size_factor, bold);
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

  if (max_width <= 0 || painter_measure (p, text, size_factor, bold) <= max_width)
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

      if (painter_measure (p, candidate, size_factor, bold) <= max_width)
        lo = mid;
      else
        hi = mid - 1;
    }

  {
    g_autofree char *prefix = g_utf8_substring (text, 0, lo);
    return g_strconcat (g_strchomp (prefix), "…", NULL);
  }
}

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

/* Draws @text anchored at (x, y) in user space. */
static void
painter_text (Painter         *p,
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
  painter_set_style (p, style.size, style.bold);
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
    g_string_append_printf (s, "%s%s %d", s->len ? " · " : "", _("head"), head);

  text = attn_result_get_text (result);
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
static int
nice_step (double n)
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
static double
measure_widest_label (Painter    *p,
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
      widest = MAX (widest, painter_measure (p, label, 1.0, FALSE));
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

/* A @size × @size image of one head: pixel (k, q) is the colour of weight
 * (q, k), or the masked colour above the diagonal.  With size < T (grid
 * thumbnails of long inputs) each pixel shows the strongest cell it
 * covers: sampling would drop a head's one strong column three times in
 * four at 1024 tokens, and that column is what a thumbnail is for. */
static cairo_surface_t *
weights_image_new (AttnResult   *result,
                   guint         layer,
                   guint         head,
                   AttnColormap  colormap,
                   AttnScale     scale,
                   guint32       masked,
                   guint         size)
{
  guint n_tokens = attn_result_get_n_tokens (result);
  const float *weights = attn_result_get_weights (result, layer, head);
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
          if (pooled ? w[x] < 0 : x > y)
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
weights_image_get (AttnRenderCache *cache,
                   AttnResult      *result,
                   guint            layer,
                   guint            head,
                   AttnColormap     colormap,
                   AttnScale        scale,
                   const AttnRgba  *masked,
                   guint            size)
{
  guint32 masked_argb = rgba_to_argb (masked);
  g_autofree char *key = NULL;
  cairo_surface_t *image;

  if (cache == NULL)
    return weights_image_new (result, layer, head, colormap, scale, masked_argb, size);

  cache_set_result (cache, result);

  key = g_strdup_printf ("%u/%u/%d/%d/%u/%08x", layer, head, colormap, scale, size, masked_argb);
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

      image = weights_image_new (result, layer, head, colormap, scale, masked_argb, size);
      cache->image_bytes += (gsize) size * size * 4;
      g_hash_table_insert (cache->images, g_steal_pointer (&key), image);
    }

  return cairo_surface_reference (image);
}

static gboolean
target_is_vector (cairo_t *cr)
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
static void
paint_cells (cairo_t         *cr,
             AttnRenderCache *cache,
             AttnResult      *result,
             guint            layer,
             guint            head,
             AttnColormap     colormap,
             AttnScale        scale,
             const AttnTheme *theme,
             double           ox,
             double           oy,
             double           cell,
             guint            size,
             gboolean         vector_cells,
             int              q0,
             int              q1,
             int              k0,
             int              k1)
{
  guint n_tokens = attn_result_get_n_tokens (result);
  AttnRgba masked = masked_color (theme, colormap);

  if (vector_cells && size == n_tokens)
    {
      const float *weights = attn_result_get_weights (result, layer, head);

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
            AttnRgba c = attn_colormap_lookup (colormap,
                                               attn_scale_apply (scale, weights[(gsize) q * n_tokens + k]));

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
      if (n_tokens * hypot (dx, dy) < size && !target_is_vector (cr))
        size = MAX (1, (guint) ceil (n_tokens * hypot (dx, dy)));

      image = weights_image_get (cache, result, layer, head, colormap, scale, &masked, size);
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
static void
paint_mask_hatch (cairo_t         *cr,
                  const AttnTheme *theme,
                  guint            n_tokens,
                  double           ox,
                  double           oy,
                  double           cell,
                  int              q0,
                  int              q1)
{
  double x1 = ox + n_tokens * cell;
  double spacing = round (CLAMP (cell / 2.0, 4.0, 7.0));
  AttnRgba ink = theme->grid;

  if (q0 >= q1 || cell < 3.0)
    return;

  ink.a *= theme->dark ? 0.9 : 1.0;

  cairo_save (cr);
  cairo_new_path (cr);
  cairo_move_to (cr, x1, oy + q0 * cell);
  for (int q = q0; q < q1; q++)
    {
      cairo_line_to (cr, ox + (q + 1) * cell, oy + q * cell);
      cairo_line_to (cr, ox + (q + 1) * cell, oy + (q + 1) * cell);
    }
  cairo_line_to (cr, x1, oy + q1 * cell);
  cairo_close_path (cr);

  if (target_is_vector (cr))
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
static void
outline_rect (cairo_t         *cr,
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
static gboolean
lattice_hit (double  x,
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

static void
set_no_size (double *width,
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
  return painter_measure (p, "0.75", 0.9, FALSE);
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
  static const double ticks_4[] = { 0, 0.25, 0.5, 0.75, 1 };
  static const double ticks_sqrt[] = { 0, 0.05, 0.25, 0.5, 1 };
  static const double ticks_2[] = { 0, 0.5, 1 };
  const double *ticks;
  guint n_ticks;
  Painter p;
  cairo_pattern_t *gradient;
  double bar_w;

  g_return_if_fail (cr != NULL);

  if (theme == NULL)
    theme = &light_theme;

  painter_init (&p, cr, theme);
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
  else if (height >= 5.5 * p.line_h)
    ticks = ticks_4, n_ticks = G_N_ELEMENTS (ticks_4);
  else
    ticks = ticks_2, n_ticks = G_N_ELEMENTS (ticks_2);

  for (guint i = 0; i < n_ticks; i++)
    {
      double ty = y + height - attn_scale_apply (scale, ticks[i]) * height;
      char label[16];

      g_snprintf (label, sizeof label, "%g", ticks[i]);
      cairo_move_to (cr, x + bar_w, round (ty) + 0.5);
      cairo_line_to (cr, x + bar_w + 3, round (ty) + 0.5);
      set_source (cr, &theme->dim);
      cairo_stroke (cr);
      painter_text (&p, label, x + bar_w + 5, ty, &theme->dim,
                    TEXT_STYLE (.size = 0.9, .valign = 0.5));
    }

  painter_clear (&p);
}

/* Space between a view's content and its colour bar. */
static double
colorbar_gap (Painter *p)
{
  return round (p->line_h * 1.2);
}

/* Width a view reserves on its right for the colour bar, gap included. */
static double
colorbar_reserve (Painter *p)
{
  return ceil (p->line_h * 1.2 + p->line_h * 0.8 + 5 + colorbar_tick_width (p));
}

/* The colour bar in the @reserved width (0: none) right of the content
 * that ends at @content_end. */
static void
paint_colorbar (Painter      *p,
                AttnColormap  colormap,
                AttnScale     scale,
                double        content_end,
                double        reserved,
                double        y,
                double        height)
{
  if (reserved > 0)
    attn_render_colorbar (p->cr, colormap, scale, p->theme, content_end + colorbar_gap (p), y,
                          reserved - colorbar_gap (p), height);
}

/* ------------------------------------------------------------------------ */
/* What every view shares                                                   */

/* Fills the background and saves @cr (the caller restores it); returns the
 * theme to draw with. */
static const AttnTheme *
figure_begin (cairo_t         *cr,
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
static void
paint_title (Painter    *p,
             const char *title,
             AttnResult *result,
             int         layer,
             int         head,
             double      width,
             double      margin,
             double      y)
{
  g_autofree char *fallback = title ? NULL : attn_render_dup_title (result, layer, head);

  painter_text (p, title ? title : fallback, width / 2, y, &p->theme->foreground,
                TEXT_STYLE (.size = 1.2, .bold = TRUE, .halign = 0.5, .max_width = width - 2 * margin));
}

/* A one-pixel frame in the grid colour just outside a rectangle. */
static void
stroke_frame (cairo_t         *cr,
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

/* ------------------------------------------------------------------------ */
/* Heatmap                                                                  */

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
} HeatLayout;

static gboolean
heatmap_spec_valid (const AttnHeatmapSpec *spec)
{
  return spec != NULL && spec->result != NULL &&
         attn_result_get_n_tokens (spec->result) > 0 &&
         attn_result_get_weights (spec->result, spec->layer, spec->head) != NULL;
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
    l->label_w = measure_widest_label (p, spec->result, 9.5 * p->font_px);
  if (spec->show_title)
    l->title_h = ceil (p->line_h * 1.25 + p->line_h * 0.9);
  if (spec->show_colorbar)
    l->cb_w = colorbar_reserve (p);

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
      set_no_size (width, height);
      return;
    }

  painter_init (&p, NULL, spec->theme ? spec->theme : &light_theme);
  heatmap_layout_frame (spec, &p, &l, &gutter_x, &gutter_y);
  cell = spec->cell_size > 0 ? spec->cell_size : heatmap_default_cell (&p, l.n_tokens);
  full = l.n_tokens * cell;

  if (width != NULL)
    *width = ceil (2 * l.margin + gutter_x + full + l.cb_w);
  if (height != NULL)
    *height = ceil (2 * l.margin + l.title_h + full + gutter_y);

  painter_clear (&p);
}

/* The layout at @width × @height, measured without a cairo context. */
static void
heatmap_layout_measured (const AttnHeatmapSpec *spec,
                         double                 width,
                         double                 height,
                         HeatLayout            *l)
{
  Painter p;

  painter_init (&p, NULL, spec->theme ? spec->theme : &light_theme);
  heatmap_layout (spec, &p, width, height, l);
  painter_clear (&p);
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

  return lattice_hit (x, y, l.mx, l.my, l.mw, l.mh, l.ox, l.oy, l.cell,
                      l.n_tokens, l.n_tokens, query, key);
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

/* Token labels along one axis: every step-th, the highlighted ones always
 * (in the accent colour), the others only where they do not collide. */
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
  int step = nice_step (ceil (p->line_h * 1.05 / l->cell));
  int span = (int) ceil (p->line_h * 1.05 / l->cell);
  double lo = rows ? l->my : l->mx;
  double hi = lo + (rows ? l->mh : l->mw);

  /* Zoomed, a row half scrolled away keeps no label: it would stray over
   * the title or the other axis. */
  while (first < last && origin + (first + 0.5) * l->cell < lo)
    first++;
  while (last > first && origin + (last - 0.5) * l->cell > hi)
    last--;

  for (int i = first - first % step; i < last; i += step)
    {
      gboolean near_mark = FALSE;

      if (i < first)
        continue;
      for (guint m = 0; m < G_N_ELEMENTS (marked); m++)
        if (marked[m] >= 0 && i != marked[m] && ABS (i - marked[m]) < span)
          near_mark = TRUE;
      if (near_mark)
        continue;
      if (i == marked[0] || i == marked[1])
        continue;   /* drawn below, emphasised */

      {
        g_autofree char *label = attn_render_dup_token_label (attn_result_get_token_text (spec->result, i));
        double c = origin + (i + 0.5) * l->cell;

        if (rows)
          painter_text (p, label, l->mx - l->gap, c, &theme->foreground,
                        TEXT_STYLE (.halign = 1, .valign = 0.5, .max_width = l->label_w));
        else
          painter_text (p, label, c, l->my + l->mh + l->gap, &theme->foreground,
                        TEXT_STYLE (.halign = 1, .valign = 0.5, .angle = -G_PI / 2,
                                    .max_width = l->label_w));
      }
    }

  for (guint m = 0; m < G_N_ELEMENTS (marked); m++)
    {
      int i = marked[m];
      g_autofree char *label = NULL;
      double c;

      if (i < first || i >= last || (m == 1 && i == marked[0]))
        continue;

      label = attn_render_dup_token_label (attn_result_get_token_text (spec->result, i));
      c = origin + (i + 0.5) * l->cell;
      if (rows)
        painter_text (p, label, l->mx - l->gap, c, m == 0 ? &theme->accent : &theme->foreground,
                      TEXT_STYLE (.halign = 1, .valign = 0.5, .bold = TRUE, .max_width = l->label_w));
      else
        painter_text (p, label, c, l->my + l->mh + l->gap, m == 0 ? &theme->accent : &theme->foreground,
                      TEXT_STYLE (.halign = 1, .valign = 0.5, .angle = -G_PI / 2, .bold = TRUE,
                                  .max_width = l->label_w));
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
  PangoLayout *shaped[101] = { NULL };
  PangoRectangle extents[101];

  painter_set_style (p, size, FALSE);

  for (int q = l->q0; q < l->q1; q++)
    for (int k = l->k0; k < MIN (l->k1, q + 1); k++)
      {
        double w = weights[(gsize) q * l->n_tokens + k];
        AttnRgba c = attn_colormap_lookup (spec->colormap, attn_scale_apply (spec->scale, w));
        AttnRgba ink = text_color_on (&c);
        int i = CLAMP ((int) lround (w * 100), 0, 100);
        double x = l->ox + (k + 0.5) * l->cell, y = l->oy + (q + 0.5) * l->cell;
        char text[16];

        g_snprintf (text, sizeof text, "%.2f", w);
        if (p->sink != NULL)
          {
            painter_text (p, text, x, y, &ink, TEXT_STYLE (.size = size, .halign = 0.5, .valign = 0.5));
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

  for (int i = 0; i < 101; i++)
    g_clear_object (&shaped[i]);
}

void
attn_render_heatmap (cairo_t               *cr,
                     const AttnHeatmapSpec *spec,
                     double                 width,
                     double                 height)
{
  const AttnTheme *theme;
  const float *weights;
  HeatLayout l;
  Painter p;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (spec != NULL);

  theme = figure_begin (cr, spec->theme, width, height);
  if (!heatmap_spec_valid (spec))
    {
      cairo_restore (cr);
      return;
    }

  weights = attn_result_get_weights (spec->result, spec->layer, spec->head);
  painter_init (&p, cr, theme);
  heatmap_layout (spec, &p, width, height, &l);

  if (l.title_h > 0)
    paint_title (&p, spec->title, spec->result, spec->layer, spec->head, width, l.margin, l.title_y);

  /* Cells, then what sits on them, all clipped to the visible area. */
  cairo_save (cr);
  cairo_rectangle (cr, l.mx, l.my, l.mw, l.mh);
  cairo_clip (cr);

  paint_cells (cr, spec->cache, spec->result, spec->layer, spec->head, spec->colormap, spec->scale,
               theme, l.ox, l.oy, l.cell, l.n_tokens,
               l.n_tokens <= MAX_VECTOR_CELLS_T && target_is_vector (cr),
               l.q0, l.q1, l.k0, l.k1);
  paint_mask_hatch (cr, theme, l.n_tokens, l.ox, l.oy, l.cell, l.q0, l.q1);

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
  stroke_frame (cr, theme, l.mx, l.my, l.mw, l.mh);

  cairo_save (cr);
  cairo_rectangle (cr, l.mx - 4, l.my - 4, l.mw + 8, l.mh + 8);
  cairo_clip (cr);

  if (spec->query >= l.q0 && spec->query < l.q1)
    {
      double y = l.oy + spec->query * l.cell;
      double lw = l.cell >= 6 ? 2.0 : 1.5;

      outline_rect (cr, theme, &theme->accent, l.mx - lw / 2, y - lw / 2,
                    l.mw + lw, l.cell + lw, lw);
    }

  if (spec->hover_query >= 0 && spec->hover_key >= 0 &&
      (spec->hover_query != spec->query || spec->hover_key != spec->key))
    outline_rect (cr, theme, &theme->foreground,
                  l.ox + spec->hover_key * l.cell, l.oy + spec->hover_query * l.cell,
                  l.cell, l.cell, 1.0);

  if (spec->query >= 0 && spec->key >= 0)
    {
      double lw = l.cell >= 8 ? 2.5 : 1.5;
      double pad = MAX (lw, 2.0);

      /* Tiny cells get a marker bigger than the cell, or it would vanish. */
      outline_rect (cr, theme, &theme->accent,
                    l.ox + spec->key * l.cell - (l.cell < 6 ? pad : 0),
                    l.oy + spec->query * l.cell - (l.cell < 6 ? pad : 0),
                    l.cell + (l.cell < 6 ? 2 * pad : 0),
                    l.cell + (l.cell < 6 ? 2 * pad : 0), lw);
    }
  cairo_restore (cr);

  if (l.labels)
    {
      /* Rows: queries, the token that attends; columns: keys, attended to. */
      painter_text (&p, _("Query"), l.mx - l.gap - l.label_w - l.gap - p.line_h / 2, l.my + l.mh / 2,
                    &theme->dim, TEXT_STYLE (.halign = 0.5, .valign = 0.5, .angle = -G_PI / 2));
      painter_text (&p, _("Key"), l.mx + l.mw / 2, l.my + l.mh + l.gap + l.label_w + l.gap,
                    &theme->dim, TEXT_STYLE (.halign = 0.5));

      heatmap_axis_labels (&p, spec, &l, TRUE);
      heatmap_axis_labels (&p, spec, &l, FALSE);
    }

  paint_colorbar (&p, spec->colormap, spec->scale, l.mx + l.mw, l.cb_w, l.my, l.mh);

  painter_clear (&p);
  cairo_restore (cr);
}

/* ------------------------------------------------------------------------ */
/* Arc view                                                                 */

void
attn_arc_spec_init (AttnArcSpec *spec,
                    AttnResult  *result,
                    guint        layer,
                    guint        head)
{
  g_return_if_fail (spec != NULL);

  memset (spec, 0, sizeof *spec);
  spec->result = result;
  spec->layer = layer;
  spec->head = head;
  spec->query = spec->key = spec->hover_token = -1;
  spec->threshold = 0.1;
  spec->colormap = ATTN_COLORMAP_VIRIDIS;
  spec->scale = ATTN_SCALE_LINEAR;
  spec->show_title = TRUE;
  spec->show_colorbar = TRUE;
}

typedef struct
{
  guint    n_tokens;
  gboolean upright;     /* labels turned 90°, one equal slot per token */
  double   margin;
  double   title_y, title_h, caption_h;
  double   sx, sw;      /* visible strip */
  double  *cx;          /* (T,) centre of each token */
  double  *half;        /* (T,) half the chip (or slot) width */
  double   top_y;       /* top of the arc area */
  double   base_y;      /* arcs end here, on top of the chips */
  double   chip_h;      /* chip, or the colour marker when upright */
  double   label_w;     /* upright: longest label */
  double   span;        /* distance between the outermost centres */
  int      step;        /* upright: every step-th label */
  double   cb_w;        /* colour bar, gap included; 0 without one */
  double   zoom;        /* short inputs: chips, labels and strokes grown by this */
  double   loop_h;      /* height of a self-attention loop above its chip */
} ArcLayout;

static void
arc_layout_clear (ArcLayout *l)
{
  g_clear_pointer (&l->cx, g_free);
  g_clear_pointer (&l->half, g_free);
}

static gboolean
arc_spec_valid (const AttnArcSpec *spec)
{
  return spec != NULL && spec->result != NULL &&
         attn_result_get_n_tokens (spec->result) > 0 &&
         attn_result_get_weights (spec->result, spec->layer, spec->head) != NULL;
}

#define ARC_NATURAL_HEIGHT 240.0

/* A short sentence grows to fill the width up to this factor (22 px
 * labels at the default 11), so eight tokens read on a projector. */
#define ARC_MAX_ZOOM 2.25

/* The width of every token's label, from @cache when it has them: pango
 * takes about 13 µs a label, so 1024 tokens would cost a frame. */
static double *
label_widths_dup (AttnRenderCache *cache,
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
      widths[i] = painter_measure (p, label, 1.0, FALSE);
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

/* Measures every chip; returns the width of the whole reading-order strip. */
static double
arc_measure_chips (const AttnArcSpec *spec,
                   Painter           *p,
                   ArcLayout         *l)
{
  double pad = round (p->line_h * 0.4);
  double gap = round (p->line_h * 0.3);
  g_autofree double *widths = label_widths_dup (spec->cache, p, spec->result);
  double total = 0;

  for (guint i = 0; i < l->n_tokens; i++)
    {
      double w = MIN (widths[i], 12 * p->font_px) + 2 * pad;

      l->half[i] = w / 2;
      l->cx[i] = total + w / 2;
      total += w + (i + 1 < l->n_tokens ? gap : 0);
    }
  return total;
}

static void
arc_layout (const AttnArcSpec *spec,
            Painter           *p,
            double             width,
            double             height,
            ArcLayout         *l)
{
  double natural, avail, bottom_h, shift;

  memset (l, 0, sizeof *l);
  l->n_tokens = attn_result_get_n_tokens (spec->result);
  l->cx = g_new0 (double, l->n_tokens);
  l->half = g_new0 (double, l->n_tokens);
  l->margin = round (p->line_h * 1.1);
  if (spec->show_title)
    {
      l->title_h = ceil (p->line_h * 1.25 + p->line_h * 0.4);
      l->caption_h = ceil (p->line_h * 1.5);
    }
  if (spec->show_colorbar && spec->query >= 0)
    l->cb_w = colorbar_reserve (p);

  natural = arc_measure_chips (spec, p, l);
  avail = MAX (width - 2 * l->margin - l->cb_w, 1.0);

  if (spec->scrollable || natural <= avail)
    {
      if (spec->scrollable)
        {
          shift = l->margin - CLAMP (spec->scroll_x, 0, MAX (natural - avail, 0));
          l->sx = l->margin;
          l->sw = MIN (avail, natural);
        }
      else
        {
          /* Short inputs use the width: chips and labels grow (as long as
           * the chips take at most a fifth of the height), and what is
           * left goes between the chips, so the arcs span the figure. */
          double room_h = height - 2 * l->margin - l->title_h - l->caption_h;
          double spread = 0, strip;

          l->zoom = MIN (avail / natural, ARC_MAX_ZOOM);
          l->zoom = MAX (1.0, MIN (l->zoom, room_h / 5 / ceil (p->line_h * 1.6)));
          strip = natural * l->zoom;
          if (l->n_tokens > 1)
            {
              spread = (avail - strip) / (l->n_tokens - 1);
              strip = avail;
            }
          for (guint i = 0; i < l->n_tokens; i++)
            {
              l->cx[i] = l->cx[i] * l->zoom + i * spread;
              l->half[i] *= l->zoom;
            }
          shift = round (l->margin + (avail - strip) / 2);
          l->sx = shift;
          l->sw = strip;
        }
      for (guint i = 0; i < l->n_tokens; i++)
        l->cx[i] += shift;
      l->chip_h = ceil (p->line_h * 1.6 * MAX (l->zoom, 1.0));
      l->loop_h = round (l->chip_h * 0.9);
      bottom_h = l->chip_h;
      l->step = 1;
    }
  else
    {
      double slot = avail / l->n_tokens;

      l->upright = TRUE;
      for (guint i = 0; i < l->n_tokens; i++)
        {
          l->cx[i] = l->margin + (i + 0.5) * slot;
          l->half[i] = slot / 2;
        }
      l->sx = l->margin;
      l->sw = avail;
      l->chip_h = MAX (2.0, MIN (slot * 0.85, p->line_h * 0.8));
      l->label_w = measure_widest_label (p, spec->result, 8 * p->font_px);
      l->step = nice_step (ceil (p->line_h * 1.05 / slot));
      l->loop_h = round (p->line_h * 0.9);
      bottom_h = l->chip_h + round (p->line_h * 0.4) + l->label_w;
    }
  l->zoom = MAX (l->zoom, 1.0);

  l->span = MAX (l->cx[l->n_tokens - 1] - l->cx[0], 1.0);
  l->title_y = l->margin;
  l->top_y = l->margin + l->title_h + l->caption_h + round (p->line_h * 0.5);
  l->base_y = MAX (height - l->margin - bottom_h, l->top_y + 1);

  /* The widest arc needs span / 2; spare height goes above and below the
   * arcs and chips alike instead of leaving a hole under the title. */
  {
    double need = l->span / 2 + 8;
    double avail_h = l->base_y - l->top_y;

    if (avail_h > need)
      {
        l->base_y -= round ((avail_h - need) / 2);
        l->top_y = l->base_y - need;
      }
  }
}

void
attn_arcs_get_natural_size (const AttnArcSpec *spec,
                            double            *width,
                            double            *height)
{
  AttnArcSpec natural_spec;
  ArcLayout l;
  Painter p;
  double strip;

  g_return_if_fail (spec != NULL);

  /* Nothing to draw (no result yet, or no trace): no size. */
  if (!arc_spec_valid (spec))
    {
      set_no_size (width, height);
      return;
    }

  /* The natural strip is the scrollable, reading-order one. */
  natural_spec = *spec;
  natural_spec.scrollable = TRUE;
  painter_init (&p, NULL, spec->theme ? spec->theme : &light_theme);
  arc_layout (&natural_spec, &p, G_MAXINT, ARC_NATURAL_HEIGHT * 4, &l);
  strip = arc_measure_chips (spec, &p, &l);

  if (width != NULL)
    *width = ceil (2 * l.margin + strip + l.cb_w);
  if (height != NULL)
    *height = ceil (l.margin + l.title_h + l.caption_h + round (p.line_h * 0.5) +
                    MIN (ARC_NATURAL_HEIGHT, strip / 2 + 8) + l.chip_h + l.margin);

  arc_layout_clear (&l);
  painter_clear (&p);
}

gboolean
attn_arcs_hit_test (const AttnArcSpec *spec,
                    double             width,
                    double             height,
                    double             x,
                    double             y,
                    int               *token)
{
  gboolean found = FALSE;
  ArcLayout l;
  Painter p;
  double bottom;

  g_return_val_if_fail (spec != NULL, FALSE);

  if (!arc_spec_valid (spec))
    return FALSE;

  painter_init (&p, NULL, spec->theme ? spec->theme : &light_theme);
  arc_layout (spec, &p, width, height, &l);

  /* Only the chip (upright: the marker and its label) is the token;
   * the space around it is nothing, which a widget may take as "clear". */
  bottom = l.upright ? l.base_y + l.chip_h + round (p.line_h * 0.4) + l.label_w : l.base_y + l.chip_h + 1;
  if (x >= l.sx && x < l.sx + l.sw && y >= l.base_y - 1 && y <= bottom)
    for (guint i = 0; i < l.n_tokens && !found; i++)
      if (fabs (x - l.cx[i]) <= l.half[i])
        {
          if (token != NULL)
            *token = i;
          found = TRUE;
        }

  arc_layout_clear (&l);
  painter_clear (&p);
  return found;
}

gboolean
attn_arcs_get_token_rect (const AttnArcSpec *spec,
                          double             width,
                          double             height,
                          int                token,
                          cairo_rectangle_t *rect)
{
  gboolean visible = FALSE;
  ArcLayout l;
  Painter p;

  g_return_val_if_fail (spec != NULL, FALSE);

  if (!arc_spec_valid (spec) || token < 0 || token >= (int) attn_result_get_n_tokens (spec->result))
    return FALSE;

  painter_init (&p, NULL, spec->theme ? spec->theme : &light_theme);
  arc_layout (spec, &p, width, height, &l);

  if (l.cx[token] + l.half[token] > l.sx && l.cx[token] - l.half[token] < l.sx + l.sw)
    {
      if (rect != NULL)
        *rect = (cairo_rectangle_t) { l.cx[token] - l.half[token], l.base_y, 2 * l.half[token], l.chip_h };
      visible = TRUE;
    }

  arc_layout_clear (&l);
  painter_clear (&p);
  return visible;
}

typedef struct
{
  int   query;
  int   key;
  float weight;
} Link;

static int
link_compare (gconstpointer a,
              gconstpointer b)
{
  const Link *la = a, *lb = b;

  return (la->weight > lb->weight) - (la->weight < lb->weight);
}

/* Arcs are half ellipses, all of one shape: half as high as wide, scaled
 * down together when the widest would not fit. */
static double
arc_height (const ArcLayout *l,
            int              from,
            int              to)
{
  double avail = l->base_y - l->top_y;
  double d = fabs (l->cx[to] - l->cx[from]);

  return MAX (MIN (avail, 8.0), d / 2 * MIN (1.0, avail / (l->span / 2)));
}

typedef struct
{
  double x, y;
} Point;

static inline Point
lerp (Point  a,
      Point  b,
      double t)
{
  return (Point) { a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t };
}

/* Splits cubic @c at @t (de Casteljau), keeping the part before it in
 * @left and the part after it in @right (either may be NULL). */
static void
cubic_split (const Point c[4],
             double      t,
             Point       left[4],
             Point       right[4])
{
  Point ab = lerp (c[0], c[1], t), bc = lerp (c[1], c[2], t), cd = lerp (c[2], c[3], t);
  Point abc = lerp (ab, bc, t), bcd = lerp (bc, cd, t);
  Point mid = lerp (abc, bcd, t);

  if (left != NULL)
    {
      left[0] = c[0]; left[1] = ab; left[2] = abc; left[3] = mid;
    }
  if (right != NULL)
    {
      right[0] = mid; right[1] = bcd; right[2] = cd; right[3] = c[3];
    }
}

/* t where an arc's x has gone a share @u of the way: x(t) = 3t² − 2t³ for
 * handles straight above the ends, which rises monotonically. */
static double
arc_t_at (double u)
{
  double lo = 0, hi = 1;

  for (int i = 0; i < 24; i++)
    {
      double t = (lo + hi) / 2;

      if (t * t * (3 - 2 * t) < u)
        lo = t;
      else
        hi = t;
    }
  return (lo + hi) / 2;
}

/* The arc from token @from to token @to, cut to the visible strip: long
 * arcs of a scrolled strip run far off screen, and cairo would flatten
 * and stroke all of them. */
static void
arc_path (cairo_t         *cr,
          const ArcLayout *l,
          int              from,
          int              to)
{
  double xa = l->cx[from], xb = l->cx[to];
  double k = arc_height (l, from, to) * 4 / 3;   /* handles 4/3 h up: the peak is at h */
  double x0 = l->sx - 16, x1 = l->sx + l->sw + 16;
  Point c[4] = { { xa, l->base_y }, { xa, l->base_y - k }, { xb, l->base_y - k }, { xb, l->base_y } };

  if (xa > xb)
    {
      double tmp = xa;

      xa = xb;
      xb = tmp;
      c[0].x = c[1].x = xa;
      c[2].x = c[3].x = xb;
    }

  if ((xa < x0 || xb > x1) && xb > xa)
    {
      double t0 = xa < x0 ? arc_t_at ((x0 - xa) / (xb - xa)) : 0;
      double t1 = xb > x1 ? arc_t_at ((x1 - xa) / (xb - xa)) : 1;
      Point part[4];

      if (t1 <= t0)
        return;
      cubic_split (c, t1, part, NULL);
      cubic_split (part, t0 / t1, NULL, c);
    }

  cairo_move_to (cr, c[0].x, c[0].y);
  cairo_curve_to (cr, c[1].x, c[1].y, c[2].x, c[2].y, c[3].x, c[3].y);
}

/* Half the distance between a self-attention loop's feet; the loop bulges
 * to some 1.1 times that on either side. */
static double
loop_half_base (const ArcLayout *l,
                int              token)
{
  return MAX (0.5, MIN (l->half[token] * 0.45, l->loop_h * 0.4));
}

/* A token's attention to itself: a small loop standing on its chip,
 * narrow enough to stay within the chip (or slot) it belongs to. */
static void
loop_path (cairo_t         *cr,
           const ArcLayout *l,
           int              token)
{
  double x = l->cx[token], y = l->base_y;
  double a = loop_half_base (l, token);
  double k = l->loop_h / 0.75;   /* a cubic's peak is 3/4 of its handles' height */

  cairo_move_to (cr, x - a, y);
  cairo_curve_to (cr, x - 2.4 * a, y - k, x + 2.4 * a, y - k, x + a, y);
}

/* Which links to draw: from the query to every key, or all above the
 * threshold; only those reaching into the visible strip, at most MAX_ARCS,
 * weakest first so the strong ones are drawn on top. */
static GArray *
arc_links_new (const AttnArcSpec *spec,
               const ArcLayout   *l,
               const float       *weights,
               int                q)
{
  GArray *links = g_array_new (FALSE, FALSE, sizeof (Link));

  if (q >= 0)
    {
      for (int k = 0; k <= q; k++)
        {
          Link link = { q, k, weights[(gsize) q * l->n_tokens + k] };

          if (link.weight >= 0.002)
            g_array_append_val (links, link);
        }
    }
  else
    {
      for (guint i = 0; i < l->n_tokens; i++)
        for (guint k = 0; k <= i; k++)
          {
            Link link = { i, k, weights[(gsize) i * l->n_tokens + k] };

            if (link.weight >= MAX (spec->threshold, 1e-4))
              g_array_append_val (links, link);
          }
    }
  /* Only arcs that reach into the visible strip, the strongest first. */
  for (guint i = links->len; i-- > 0;)
    {
      const Link *link = &g_array_index (links, Link, i);

      if (l->cx[link->query] < l->sx - 2 || l->cx[link->key] > l->sx + l->sw + 2)
        g_array_remove_index_fast (links, i);
    }
  g_array_sort (links, link_compare);
  if (links->len > MAX_ARCS)
    g_array_remove_range (links, 0, links->len - MAX_ARCS);

  return links;
}

/* The arcs of @links, scaled so the longest reaches the top, and the
 * pinned one (query → key) emphasised with its weight at its peak. */
static void
paint_arc_links (Painter           *p,
                 const AttnArcSpec *spec,
                 ArcLayout         *l,
                 const float       *weights,
                 int                q,
                 GArray            *links)
{
  cairo_t *cr = p->cr;
  double max_w;

  /* Scale the arcs to the longest one drawn, so it reaches the top. */
  {
    double longest = 1.0;

    for (guint i = 0; i < links->len; i++)
      {
        const Link *link = &g_array_index (links, Link, i);
        longest = MAX (longest, fabs (l->cx[link->query] - l->cx[link->key]));
      }
    l->span = longest;
  }

  /* Weak arcs first, so strong ones are drawn on top.  Width and opacity
   * are proportional to the weight itself, so heads compare fairly.  (One
   * stroke per arc: batching arcs into one path makes cairo intersect them
   * all, which is slower still.) */
  max_w = CLAMP (p->line_h * 0.6, 3.0, 10.0) * l->zoom;
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_tolerance (cr, 0.25);
  for (guint i = 0; i < links->len; i++)
    {
      const Link *link = &g_array_index (links, Link, i);

      if (link->key == spec->key && link->query == q)
        continue;   /* the pinned arc is drawn last, emphasised */

      /* A loop is short: at the arcs' width a strong one would be a blob. */
      if (link->key == link->query)
        {
          loop_path (cr, l, link->key);
          cairo_set_line_width (cr, 0.6 + max_w * 0.6 * link->weight);
        }
      else
        {
          arc_path (cr, l, link->key, link->query);
          cairo_set_line_width (cr, 0.6 + max_w * link->weight);
        }
      set_source_alpha (cr, &p->theme->accent, 0.08 + 0.92 * link->weight);
      cairo_stroke (cr);
    }

  if (q >= 0 && spec->key >= 0 && spec->key <= q)
    {
      double w = weights[(gsize) q * l->n_tokens + spec->key];
      double lw = 0.6 + max_w * (spec->key == q ? 0.6 : 1.0) * w;
      double h = spec->key == q ? l->loop_h : arc_height (l, spec->key, q);
      char text[16];

      if (spec->key == q)
        loop_path (cr, l, q);
      else
        arc_path (cr, l, spec->key, q);
      set_source (cr, &p->theme->background);
      cairo_set_line_width (cr, lw + 3);
      cairo_stroke_preserve (cr);
      set_source (cr, &p->theme->accent);
      cairo_set_line_width (cr, lw);
      cairo_stroke (cr);

      /* The number at the arc's peak (beside a loop, whose top the query's
       * arcs cross): a pinned link is one being read. */
      g_snprintf (text, sizeof text, "%.3f", w);
      if (spec->key == q)
        painter_text (p, text, l->cx[q] + 1.2 * loop_half_base (l, q) + lw / 2 + 3, l->base_y - h / 2,
                      &p->theme->accent,
                      TEXT_STYLE (.bold = TRUE, .valign = 0.5, .size = MIN (l->zoom, 1.6)));
      else
        painter_text (p, text, (l->cx[q] + l->cx[spec->key]) / 2, l->base_y - h - 3 - lw / 2,
                      &p->theme->accent,
                      TEXT_STYLE (.bold = TRUE, .halign = 0.5, .valign = 1, .size = MIN (l->zoom, 1.6)));
    }
}

/* The token chips (or upright markers and labels), tinted by the query's
 * weight on each token. */
static void
paint_arc_chips (Painter           *p,
                 const AttnArcSpec *spec,
                 const ArcLayout   *l,
                 const float       *weights,
                 int                q)
{
  cairo_t *cr = p->cr;

  for (guint i = 0; i < l->n_tokens; i++)
    {
      double x0 = l->cx[i] - l->half[i], cw = 2 * l->half[i];
      AttnRgba fill, ink;
      gboolean edge;
      gboolean future = q >= 0 && (int) i > q;
      g_autofree char *label = NULL;

      if (x0 + cw < l->sx - 2 || x0 > l->sx + l->sw + 2)
        continue;

      if (q >= 0 && !future)
        fill = attn_colormap_lookup (spec->colormap,
                                     attn_scale_apply (spec->scale, weights[(gsize) q * l->n_tokens + i]));
      else
        fill = masked_color (p->theme, spec->colormap);
      ink = future ? p->theme->dim : (q >= 0 ? text_color_on (&fill) : p->theme->foreground);

      /* Chips need an edge where their fill nearly meets the background:
       * low weights on dark (viridis starts near black), blues' near-white
       * on light. */
      edge = p->theme->dark ||
             MAX (fabs (fill.r - p->theme->background.r),
                  MAX (fabs (fill.g - p->theme->background.g), fabs (fill.b - p->theme->background.b))) < 0.12;

      /* Upright: a colour marker over the label (too thin for an edge
       * below 4 px); otherwise a rounded chip holding the label-> */
      if (l->upright)
        {
          double mw = MAX (1.0, MIN (cw * 0.85, l->chip_h));

          cairo_rectangle (cr, l->cx[i] - mw / 2, l->base_y, mw, l->chip_h);
          edge = edge && mw >= 4;
        }
      else
        {
          double r = 3.0 * l->zoom;

          cairo_new_sub_path (cr);
          cairo_arc (cr, x0 + cw - r - 0.5, l->base_y + r + 1, r, -G_PI / 2, 0);
          cairo_arc (cr, x0 + cw - r - 0.5, l->base_y + l->chip_h - r, r, 0, G_PI / 2);
          cairo_arc (cr, x0 + r + 0.5, l->base_y + l->chip_h - r, r, G_PI / 2, G_PI);
          cairo_arc (cr, x0 + r + 0.5, l->base_y + r + 1, r, G_PI, 3 * G_PI / 2);
          cairo_close_path (cr);
        }
      set_source (cr, &fill);
      cairo_fill_preserve (cr);
      if (edge)
        {
          set_source (cr, &p->theme->grid);
          cairo_set_line_width (cr, 1.0);
          cairo_stroke (cr);
        }
      cairo_new_path (cr);

      if ((int) i == q || (int) i == spec->hover_token || ((int) i == spec->key && q >= 0))
        {
          const AttnRgba *color = (int) i == spec->hover_token && (int) i != q ? &p->theme->foreground
                                                                               : &p->theme->accent;
          if (l->upright)
            outline_rect (cr, p->theme, color, l->cx[i] - l->half[i], l->base_y - 1, cw, l->chip_h + 2, 1.5);
          else
            outline_rect (cr, p->theme, color, x0 + 0.5, l->base_y + 1, cw - 1, l->chip_h - 1, 2.0);
        }

      label = attn_render_dup_token_label (attn_result_get_token_text (spec->result, i));
      if (!l->upright)
        painter_text (p, label, l->cx[i], l->base_y + 1 + l->chip_h / 2, &ink,
                      TEXT_STYLE (.halign = 0.5, .valign = 0.5, .bold = (int) i == q,
                                  .size = l->zoom, .max_width = cw - 4 * l->zoom));
      else if (i % l->step == 0 || (int) i == q || (int) i == spec->key)
        {
          /* Thinned labels make room for the selected ones. */
          if ((int) i != q && (int) i != spec->key &&
              ((q >= 0 && ABS ((int) i - q) * 2 * l->half[i] < p->line_h) ||
               (spec->key >= 0 && ABS ((int) i - spec->key) * 2 * l->half[i] < p->line_h)))
            continue;
          painter_text (p, label, l->cx[i], l->base_y + l->chip_h + round (p->line_h * 0.4),
                        (int) i == q ? &p->theme->accent : &p->theme->foreground,
                        TEXT_STYLE (.halign = 1, .valign = 0.5, .angle = -G_PI / 2,
                                    .bold = (int) i == q, .max_width = l->label_w));
        }
    }
}

void
attn_render_arcs (cairo_t           *cr,
                  const AttnArcSpec *spec,
                  double             width,
                  double             height)
{
  const AttnTheme *theme;
  const float *weights;
  g_autoptr(GArray) links = NULL;
  ArcLayout l;
  Painter p;
  int q = -1;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (spec != NULL);

  theme = figure_begin (cr, spec->theme, width, height);
  if (!arc_spec_valid (spec))
    {
      cairo_restore (cr);
      return;
    }

  weights = attn_result_get_weights (spec->result, spec->layer, spec->head);
  painter_init (&p, cr, theme);
  arc_layout (spec, &p, width, height, &l);
  if (spec->query >= 0 && spec->query < (int) l.n_tokens)
    q = spec->query;

  if (spec->show_title)
    {
      g_autofree char *caption = NULL;

      paint_title (&p, spec->title, spec->result, spec->layer, spec->head, width, l.margin, l.title_y);
      if (q >= 0)
        {
          g_autofree char *label = attn_render_dup_token_label (attn_result_get_token_text (spec->result, q));

          /* translators: %s is a token, %d its position */
          caption = g_strdup_printf (_("Attention from “%s” (token %d) to each earlier token: width and opacity ∝ weight"),
                                     label, q);
        }
      else
        caption = g_strdup_printf (_("Every link with weight ≥ %.2f: width and opacity ∝ weight"),
                                   spec->threshold);
      painter_text (&p, caption, width / 2, l.title_y + l.title_h, &theme->dim,
                    TEXT_STYLE (.halign = 0.5, .max_width = width - 2 * l.margin));
    }

  links = arc_links_new (spec, &l, weights, q);

  cairo_save (cr);
  cairo_rectangle (cr, l.sx - 2, 0, l.sw + 4, height);
  cairo_clip (cr);
  paint_arc_links (&p, spec, &l, weights, q, links);
  paint_arc_chips (&p, spec, &l, weights, q);
  cairo_restore (cr);

  paint_colorbar (&p, spec->colormap, spec->scale, l.sx + l.sw, l.cb_w,
                  l.top_y, l.base_y + l.chip_h - l.top_y);

  arc_layout_clear (&l);
  painter_clear (&p);
  cairo_restore (cr);
}

/* ------------------------------------------------------------------------ */
/* All heads                                                                */

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

static gboolean
grid_spec_valid (const AttnGridSpec *spec)
{
  return spec != NULL && spec->result != NULL &&
         attn_result_get_n_tokens (spec->result) > 0 &&
         attn_result_get_n_layers (spec->result) > 0 &&
         attn_result_get_n_heads (spec->result) > 0 &&
         attn_result_get_weights (spec->result, 0, 0) != NULL;
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
    l->cb_w = colorbar_reserve (p);

  g_snprintf (widest, sizeof widest, "%u", MAX (l->n_layers, 1) - 1);
  memset (widest, '0', strlen (widest));
  l->head_h = ceil (p->line_h * 2 + p->line_h * 0.3);
  l->row_w = ceil (p->line_h + p->line_h * 0.5 + painter_measure (p, widest, 1.0, FALSE) + p->line_h * 0.5);
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
  l->step_rows = nice_step (ceil (p->line_h * 1.1 / l->pitch));
  l->step_cols = nice_step (ceil (p->line_h * 1.6 / l->pitch));
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
      set_no_size (width, height);
      return;
    }

  painter_init (&p, NULL, spec->theme ? spec->theme : &light_theme);
  grid_layout_frame (spec, &p, &l);
  thumb = spec->thumb_size > 0 ? spec->thumb_size : GRID_NATURAL_THUMB;
  pitch = thumb + grid_gap (thumb);

  if (width != NULL)
    *width = ceil (2 * l.margin + l.row_w + l.n_heads * pitch + l.cb_w);
  if (height != NULL)
    *height = ceil (2 * l.margin + l.title_h + l.head_h + l.n_layers * pitch);

  painter_clear (&p);
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
  GridLayout l;
  Painter p;

  g_return_val_if_fail (spec != NULL, FALSE);

  if (!grid_spec_valid (spec))
    return FALSE;

  painter_init (&p, NULL, spec->theme ? spec->theme : &light_theme);
  grid_layout (spec, &p, width, height, &l);
  painter_clear (&p);

  /* The gap after a thumbnail belongs to it: no dead stripes. */
  return lattice_hit (x, y, l.vx, l.vy, l.vw, l.vh, l.gx, l.gy, l.pitch,
                      l.n_layers, l.n_heads, layer, head);
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

  g_return_if_fail (cr != NULL);
  g_return_if_fail (spec != NULL);

  theme = figure_begin (cr, spec->theme, width, height);
  if (!grid_spec_valid (spec))
    {
      cairo_restore (cr);
      return;
    }

  painter_init (&p, cr, theme);
  grid_layout (spec, &p, width, height, &l);
  size = MIN (l.n_tokens, MAX_THUMB_PIXELS);
  r0 = CLAMP ((int) floor ((l.vy - l.gy) / l.pitch), 0, (int) l.n_layers);
  r1 = CLAMP ((int) ceil ((l.vy + l.vh - l.gy) / l.pitch), 0, (int) l.n_layers);

  if (l.title_h > 0)
    paint_title (&p, spec->title, spec->result, -1, -1, width, l.margin, l.title_y);

  /* Column header: "Head", then the head numbers. */
  painter_text (&p, _("Head"), l.vx + (l.vw - grid_gap (l.pitch)) / 2, l.vy - l.head_h,
                &theme->dim, TEXT_STYLE (.halign = 0.5));
  for (guint h = 0; h < l.n_heads; h += l.step_cols)
    {
      char text[16];

      g_snprintf (text, sizeof text, "%u", h);
      painter_text (&p, text, l.gx + h * l.pitch + l.thumb / 2, l.vy - p.line_h * 0.3,
                    (int) h == spec->head ? &theme->accent : &theme->foreground,
                    TEXT_STYLE (.halign = 0.5, .valign = 1, .bold = (int) h == spec->head));
    }

  cairo_save (cr);
  cairo_rectangle (cr, 0, l.vy - 3, width, l.vh + 6);
  cairo_clip (cr);

  painter_text (&p, _("Layer"), l.vx - l.row_w, l.vy + (MIN (l.vh, (r1 - r0) * l.pitch) - grid_gap (l.pitch)) / 2,
                &theme->dim, TEXT_STYLE (.halign = 0.5, .valign = 0, .angle = -G_PI / 2));

  for (int layer = r0; layer < r1; layer++)
    {
      double y = l.gy + layer * l.pitch;

      if (layer % l.step_rows == 0 || layer == spec->layer)
        {
          char text[16];

          g_snprintf (text, sizeof text, "%d", layer);
          painter_text (&p, text, l.vx - p.line_h * 0.5, y + l.thumb / 2,
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
          paint_cells (cr, spec->cache, spec->result, layer, head, spec->colormap, spec->scale, theme,
                       x, y, cell, size, FALSE, 0, l.n_tokens, 0, l.n_tokens);
          if (cell >= 4)
            paint_mask_hatch (cr, theme, l.n_tokens, x, y, cell, 0, l.n_tokens);
          cairo_restore (cr);

          stroke_frame (cr, theme, x, y, l.thumb, l.thumb);

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

          if (layer == spec->hover_layer && (int) head == spec->hover_head)
            outline_rect (cr, theme, &theme->foreground, x - 1, y - 1, l.thumb + 2, l.thumb + 2, 1.0);
          if (layer == spec->layer && (int) head == spec->head)
            outline_rect (cr, theme, &theme->accent, x - 1.5, y - 1.5, l.thumb + 3, l.thumb + 3, 2.5);
        }
    }
  cairo_restore (cr);

  paint_colorbar (&p, spec->colormap, spec->scale, l.vx + l.vw, l.cb_w, l.vy,
                  MIN (l.vh, (r1 - r0) * l.pitch) - grid_gap (l.pitch));

  painter_clear (&p);
  cairo_restore (cr);
}
