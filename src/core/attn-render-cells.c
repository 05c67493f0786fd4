/* attn-render-cells.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cells of a head: its weights painted into ARGB32 images (one pixel
 * per cell, or max-pooled to fewer), the cache that keeps them and the
 * token labels' widths, and the hatch over masked cells.  Shared by the
 * heatmap and the grid (attn-render-private.h).
 */

#define G_LOG_DOMAIN "attn-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include "attn-display.h"
#include "attn-render-private.h"

/* What a cache may hold in weights images before it starts over. */
#define CACHE_BUDGET_BYTES  (64 * 1024 * 1024)

/* Edge of a tile in cells (see paint_cell_tiles). */
#define TILE 256

/* One head's weights as a view colours them. */
typedef struct
{
  AttnResult        *result;
  guint              layer;
  guint              head;
  AttnColormap       colormap;
  AttnScale          scale;
  const AttnDisplay *display;
  guint32            masked;   /* ARGB of masked and hidden cells */
  gboolean           bidirectional;  /* an encoder's: no masked triangle */
  /* A matrix of colour-map positions instead of the head's weights
   * (rollout, Δ): drawn as it is, named in the cache by matrix_key (not
   * cached without one); centred: 0.5 is neutral, pooling keeps the value
   * farthest from it rather than the largest, so a strong negative Δ is
   * not lost under a weak positive one. */
  const float       *matrix;
  const char        *matrix_key;
  gboolean           centred;
} CellSource;

static const float *
source_weights (const CellSource *src)
{
  return src->matrix != NULL ? src->matrix : attn_result_get_weights (src->result, src->layer, src->head);
}

/* What the source's display shows (NULL: the weights as they are); a
 * matrix is always shown as it is. */
static float *
source_shown_dup (const CellSource *src)
{
  return src->matrix != NULL ? NULL : _attn_display_weights_dup (src->result, src->layer, src->head, src->display);
}

/* Whether pooled value @w beats @best (-1: nothing yet). */
static inline gboolean
pool_beats (float    w,
            float    best,
            gboolean centred)
{
  if (!centred)
    return w > best;
  return w >= 0 && (best < 0 || fabsf (w - 0.5f) > fabsf (best - 0.5f));
}

static inline guint32
rgba_to_argb (const AttnRgba *c)
{
  return 0xff000000u
         | ((guint32) lround (CLAMP (c->r, 0, 1) * 255) << 16)
         | ((guint32) lround (CLAMP (c->g, 0, 1) * 255) << 8)
         | (guint32) lround (CLAMP (c->b, 0, 1) * 255);
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
  GHashTable *arrays;         /* a view's key → GBytes it derived from the result */
};

AttnRenderCache *
attn_render_cache_new (void)
{
  AttnRenderCache *cache = g_new0 (AttnRenderCache, 1);

  cache->images = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) cairo_surface_destroy);
  cache->arrays = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  return cache;
}

void
attn_render_cache_clear (AttnRenderCache *cache)
{
  g_return_if_fail (cache != NULL);

  g_hash_table_remove_all (cache->images);
  g_hash_table_remove_all (cache->arrays);
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
  g_hash_table_unref (cache->arrays);
  g_free (cache);
}

GBytes *
_attn_render_cache_lookup_array (AttnRenderCache *cache,
                                 AttnResult      *result,
                                 const char      *key)
{
  if (cache == NULL)
    return NULL;

  cache_set_result (cache, result);
  return g_hash_table_lookup (cache->arrays, key);
}

void
_attn_render_cache_insert_array (AttnRenderCache *cache,
                                 AttnResult      *result,
                                 const char      *key,
                                 GBytes          *array)
{
  if (cache == NULL)
    return;

  cache_set_result (cache, result);
  g_hash_table_replace (cache->arrays, g_strdup (key), g_bytes_ref (array));
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
  const float *weights;
  float *shown;

  /* checked first: the weights of a linear trace's head cost T² floats,
   * kept until the result goes */
  if (attn_display_is_identity (display))
    return NULL;
  if ((weights = attn_result_get_weights (result, layer, head)) == NULL)
    return NULL;

  shown = g_new (float, (gsize) n_tokens * n_tokens);
  for (guint q = 0; q < n_tokens; q++)
    attn_display_result_row (display, result, weights, q, shown + (gsize) q * n_tokens);
  return shown;
}

/* One table lookup per cell instead of a scale and a clamp. */
static void
colour_table_init (guint32      lut[256],
                   AttnColormap colormap)
{
  for (guint i = 0; i < 256; i++)
    lut[i] = attn_colormap_lookup_argb (colormap, (i + 0.5) / 256.0);
}

/* @n pixels of one image row from the weights @w: the first @n_shown may
 * show a weight (the rest are masked, later keys), a negative weight is
 * hidden or empty and gets the masked colour too. */
static inline void
colour_row (guint32       *out,
            const float   *w,
            guint          n,
            guint          n_shown,
            const guint32  lut[256],
            AttnScale      scale,
            guint32        masked)
{
  for (guint x = 0; x < n; x++)
    {
      if (x >= n_shown || w[x] < 0)
        out[x] = masked;
      else
        {
          float t = scale == ATTN_SCALE_LINEAR ? w[x] : (float) attn_scale_apply (scale, w[x]);
          int i = t > 0 ? (int) (t * 256.0f) : 0;

          out[x] = lut[i > 255 ? 255 : i];
        }
    }
}

/* Where pixel @a of @size starts over @n_tokens cells: the core's cells
 * (attn_result_get_head_pooled ()), so both ways of pooling agree. */
static inline guint
pixel_first_cell (guint a,
                  guint size,
                  guint n_tokens)
{
  return (guint) ((guint64) a * n_tokens / size);
}

/* A thumbnail of a head as it is, max-pooled by the core a block of rows
 * at a time: never the whole (T, T) head, which a linear trace would keep
 * (a grid of 144 heads at 1,024 tokens held 600 MB of them).  -1 where
 * every cell is masked (keys after every query of the pixel), as in
 * pool_weights (). */
static float *
pooled_head_new (const CellSource *src,
                 guint             size)
{
  guint n_tokens = attn_result_get_n_tokens (src->result);
  float *pooled = g_new (float, (gsize) size * size);

  if (!attn_result_get_head_pooled (src->result, src->layer, src->head, size, size, TRUE, pooled, NULL))
    {
      g_free (pooled);
      return NULL;
    }
  if (!src->bidirectional)
    for (guint a = 0; a < size; a++)
      {
        guint64 last_query = pixel_first_cell (a + 1, size, n_tokens) - 1;
        /* the first pixel starting past the last query: b·T/size >
         * last_query solved for b, one division a row, not one a pixel */
        guint first = (guint) MIN (((last_query + 1) * size + n_tokens - 1) / n_tokens, size);

        for (guint b = first; b < size; b++)
          pooled[(gsize) a * size + b] = -1;
      }
  return pooled;
}

/* @weights (T, T) max-pooled to @size × @size: each pixel shows the
 * strongest cell it covers (hidden cells, -1, never beat an empty
 * pixel's -1). */
static float *
pool_weights (const CellSource *src,
              const float      *weights,
              guint             size)
{
  guint n_tokens = attn_result_get_n_tokens (src->result);
  g_autofree guint *bin = g_new (guint, n_tokens);
  float *pooled = g_new (float, (gsize) size * size);

  /* -1 marks a pixel whose cells are all masked. */
  for (gsize i = 0; i < (gsize) size * size; i++)
    pooled[i] = -1;
  for (guint a = 0; a < size; a++)
    for (guint t = pixel_first_cell (a, size, n_tokens); t < pixel_first_cell (a + 1, size, n_tokens); t++)
      bin[t] = a;
  for (guint q = 0; q < n_tokens; q++)
    {
      const float *w = weights + (gsize) q * n_tokens;
      float *out = pooled + (gsize) bin[q] * size;

      for (guint k = 0; k < (src->bidirectional ? n_tokens : q + 1); k++)
        if (pool_beats (w[k], out[bin[k]], src->centred))
          out[bin[k]] = w[k];
    }
  return pooled;
}

/* A @size × @size image of one head: pixel (k, q) is the colour of weight
 * (q, k), or the masked colour above the diagonal (an encoder has none).  With size < T (grid
 * thumbnails of long inputs) each pixel shows the strongest cell it
 * covers: sampling would drop a head's one strong column three times in
 * four at 1024 tokens, and that column is what a thumbnail is for. */
static cairo_surface_t *
weights_image_new (const CellSource *src,
                   guint             size)
{
  guint n_tokens = attn_result_get_n_tokens (src->result);
  g_autofree float *shown = NULL;
  const float *weights = NULL;
  g_autofree float *pooled = NULL;
  cairo_surface_t *image;
  guint32 lut[256];
  guchar *data;
  int stride;

  image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  if (cairo_surface_status (image) != CAIRO_STATUS_SUCCESS)
    return image;

  if (size < n_tokens && src->matrix == NULL && attn_display_is_identity (src->display))
    {
      if ((pooled = pooled_head_new (src, size)) == NULL)
        return image;
    }
  else
    {
      shown = source_shown_dup (src);
      weights = shown ? shown : source_weights (src);
      if (weights == NULL)
        return image;
      if (size < n_tokens)
        pooled = pool_weights (src, weights, size);
    }

  colour_table_init (lut, src->colormap);
  cairo_surface_flush (image);
  data = cairo_image_surface_get_data (image);
  stride = cairo_image_surface_get_stride (image);

  for (guint y = 0; y < size; y++)
    colour_row ((guint32 *) (data + (gsize) y * stride),
                pooled ? pooled + (gsize) y * size : weights + (gsize) y * n_tokens,
                size, pooled || src->bidirectional ? size : y + 1, lut, src->scale, src->masked);

  cairo_surface_mark_dirty (image);
  return image;
}

/* Makes room for @bytes more in @cache: past the budget, something is
 * cycling through heads or panning far; start over rather than hold every
 * head of the model. */
static void
cache_reserve (AttnRenderCache *cache,
               gsize            bytes)
{
  if (cache->image_bytes + bytes > CACHE_BUDGET_BYTES)
    {
      g_hash_table_remove_all (cache->images);
      cache->image_bytes = 0;
    }
  cache->image_bytes += bytes;
}

/* Zoomed into a long input, only a corner of the T × T image shows (at
 * 4,096 tokens the whole image is 64 MiB and takes a third of a second to
 * paint), so screens get it in tiles of TILE × TILE cells, painted when
 * they first come into view and kept in the cache: a new result or head
 * costs what is visible, and panning reuses what was seen. */
static cairo_surface_t *
tile_image_new (const CellSource *src,
                guint             tx,
                guint             ty)
{
  guint n_tokens = attn_result_get_n_tokens (src->result);
  const float *weights = source_weights (src);
  const AttnDisplay *display = src->display;
  guint k0 = tx * TILE, q0 = ty * TILE;
  guint w = MIN (TILE, n_tokens - k0), h = MIN (TILE, n_tokens - q0);
  gboolean identity = src->matrix != NULL || attn_display_is_identity (display);
  g_autofree float *row = identity ? NULL : g_new (float, n_tokens);
  cairo_surface_t *image;
  guint32 lut[256];
  guchar *data;
  int stride;

  image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  if (cairo_surface_status (image) != CAIRO_STATUS_SUCCESS || weights == NULL)
    return image;

  colour_table_init (lut, src->colormap);
  cairo_surface_flush (image);
  data = cairo_image_surface_get_data (image);
  stride = cairo_image_surface_get_stride (image);

  for (guint y = 0; y < h; y++)
    {
      guint q = q0 + y;
      const float *w_row = weights + (gsize) q * n_tokens;

      if (!identity)
        {
          /* Renormalising needs the whole row, not only the tile's part. */
          attn_display_result_row (display, src->result, weights, q, row);
          w_row = row;
        }
      colour_row ((guint32 *) (data + (gsize) y * stride), w_row + k0, w,
                  src->bidirectional ? w : q + 1 > k0 ? MIN (w, q + 1 - k0) : 0, lut, src->scale, src->masked);
    }

  cairo_surface_mark_dirty (image);
  return image;
}

/* The whole image at @size (@tx < 0) or tile (@tx, @ty), from @cache when
 * given; a new ref either way. */
static cairo_surface_t *
cell_image_get (AttnRenderCache  *cache,
                const CellSource *src,
                guint             size,
                int               tx,
                int               ty)
{
  g_autofree char *display_key = NULL;
  g_autofree char *key = NULL;
  cairo_surface_t *image;

  if (cache == NULL || (src->matrix != NULL && src->matrix_key == NULL))
    return tx < 0 ? weights_image_new (src, size) : tile_image_new (src, tx, ty);

  cache_set_result (cache, src->result);
  display_key = src->matrix != NULL ? g_strdup_printf ("matrix:%s", src->matrix_key)
                                    : attn_display_dup_key (src->display);
  key = g_strdup_printf ("%u/%u/%d/%d/%08x/%s/%u/%d/%d", src->layer, src->head, src->colormap, src->scale,
                         src->masked, display_key, size, tx, ty);
  image = g_hash_table_lookup (cache->images, key);
  if (image == NULL)
    {
      /* A grid of GPT-2 small at 1024 tokens holds 144 thumbnails of
       * 256 KiB; full-size heads are 4 MiB each at 1024 tokens, tiles
       * 256 KiB. */
      cache_reserve (cache, tx < 0 ? (gsize) size * size * 4 : (gsize) TILE * TILE * 4);
      image = tx < 0 ? weights_image_new (src, size) : tile_image_new (src, tx, ty);
      g_hash_table_insert (cache->images, g_steal_pointer (&key), image);
    }

  return cairo_surface_reference (image);
}

/* Cells [q0, q1) × [k0, k1) from tiles, one pixel of a tile per cell. */
static void
paint_cell_tiles (cairo_t          *cr,
                  AttnRenderCache  *cache,
                  const CellSource *src,
                  const AttnRgba   *masked,
                  double            ox,
                  double            oy,
                  double            cell,
                  int               q0,
                  int               q1,
                  int               k0,
                  int               k1)
{
  if (q0 >= q1 || k0 >= k1)
    return;

  cairo_save (cr);
  /* Tiles meet inside device pixels; antialiased, both edges would blend
   * with the background there and draw a faint seam. */
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);

  for (int ty = q0 / TILE; ty <= (q1 - 1) / TILE; ty++)
    for (int tx = k0 / TILE; tx <= (k1 - 1) / TILE; tx++)
      {
        int a0 = MAX (k0, tx * TILE), a1 = MIN (k1, (tx + 1) * TILE);
        int b0 = MAX (q0, ty * TILE), b1 = MIN (q1, (ty + 1) * TILE);

        cairo_rectangle (cr, ox + a0 * cell, oy + b0 * cell, (a1 - a0) * cell, (b1 - b0) * cell);
        if (tx > ty && !src->bidirectional)
          set_source (cr, masked);   /* every key later than every query */
        else
          {
            cairo_surface_t *image = cell_image_get (cache, src, TILE, tx, ty);
            cairo_pattern_t *pattern = cairo_pattern_create_for_surface (image);
            cairo_matrix_t matrix;

            cairo_pattern_set_filter (pattern, CAIRO_FILTER_NEAREST);
            cairo_matrix_init_scale (&matrix, 1.0 / cell, 1.0 / cell);
            cairo_matrix_translate (&matrix, -(ox + tx * TILE * cell), -(oy + ty * TILE * cell));
            cairo_pattern_set_matrix (pattern, &matrix);
            cairo_set_source (cr, pattern);
            cairo_pattern_destroy (pattern);
            cairo_surface_destroy (image);
          }
        cairo_fill (cr);
      }

  cairo_restore (cr);
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

static void
paint_cells (cairo_t          *cr,
             AttnRenderCache  *cache,
             const CellSource *src,
             const AttnRgba   *masked_rgba,
             double            ox,
             double            oy,
             double            cell,
             guint             size,
             gboolean          vector_cells,
             int               q0,
             int               q1,
             int               k0,
             int               k1)
{
  guint n_tokens = attn_result_get_n_tokens (src->result);
  AttnRgba masked = *masked_rgba;
  AttnColormap colormap = src->colormap;
  AttnScale scale = src->scale;

  if (vector_cells && size == n_tokens)
    {
      g_autofree float *shown = source_shown_dup (src);
      const float *weights = shown ? shown : source_weights (src);

      if (weights == NULL)
        return;

      /* Masked triangle as one shape, then one rectangle per visible cell:
       * each cell stays a crisp vector square in PDF and SVG. */
      set_source (cr, &masked);
      cairo_rectangle (cr, ox, oy, n_tokens * cell, n_tokens * cell);
      cairo_fill (cr);
      for (int q = q0; q < q1; q++)
        for (int k = k0; k < MIN (k1, src->bidirectional ? (int) n_tokens : q + 1); k++)
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

      if (size == n_tokens && n_tokens > TILE && !_attn_target_is_vector (cr))
        {
          paint_cell_tiles (cr, cache, src, &masked, ox, oy, cell, q0, q1, k0, k1);
          return;
        }

      image = cell_image_get (cache, src, size, -1, -1);
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
  AttnRgba masked = _attn_masked_color (theme, colormap);
  const CellSource src = { result, layer, head, colormap, scale, display, rgba_to_argb (&masked),
                           attn_result_is_bidirectional (result), NULL, NULL, FALSE };

  paint_cells (cr, cache, &src, &masked, ox, oy, cell, size, vector_cells, q0, q1, k0, k1);
}

void
_attn_paint_matrix_cells (cairo_t           *cr,
                          AttnRenderCache   *cache,
                          AttnResult        *result,
                          const float       *positions,
                          const char        *key,
                          gboolean           centred,
                          AttnColormap       colormap,
                          AttnScale          scale,
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
  static const AttnDisplay identity = { 0 };
  AttnRgba masked = _attn_masked_color (theme, colormap);
  const CellSource src = { result, 0, 0, colormap, scale, &identity, rgba_to_argb (&masked),
                           attn_result_is_bidirectional (result), positions, key, centred };

  paint_cells (cr, cache, &src, &masked, ox, oy, cell, size, vector_cells, q0, q1, k0, k1);
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
