/* test-render.c — the pure cairo renderer, drawn into image surfaces
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No display: every view is drawn into a cairo image surface and read back
 * pixel by pixel.  Run with -m perf for frame times at 256 and 1024 tokens.
 */

#include "config.h"

#include <cairo.h>
#include <string.h>

#include "ae-trace.h"
#include "attn-head-rank.h"
#include "attn-render.h"
#include "render-fixture.h"

static cairo_surface_t *
render_heatmap (const AttnHeatmapSpec *spec,
                int                    width,
                int                    height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);

  attn_render_heatmap (cr, spec, width, height);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  return surface;
}

static guint32
cell_centre_pixel (cairo_surface_t       *surface,
                   const AttnHeatmapSpec *spec,
                   int                    width,
                   int                    height,
                   int                    q,
                   int                    k)
{
  cairo_rectangle_t rect;

  g_assert_true (attn_heatmap_get_cell_rect (spec, width, height, q, k, &rect));
  return surface_pixel (surface, (int) (rect.x + rect.width / 2), (int) (rect.y + rect.height / 2));
}

static void
test_colormap_tables (void)
{
  AttnColormap map;

  /* matplotlib's end points. */
  g_assert_cmphex (attn_colormap_lookup_argb (ATTN_COLORMAP_VIRIDIS, 0), ==, 0xff440154);
  g_assert_cmphex (attn_colormap_lookup_argb (ATTN_COLORMAP_VIRIDIS, 1), ==, 0xfffde725);
  g_assert_cmphex (attn_colormap_lookup_argb (ATTN_COLORMAP_MAGMA, 0), ==, 0xff000004);
  g_assert_cmphex (attn_colormap_lookup_argb (ATTN_COLORMAP_MAGMA, 1), ==, 0xfffcfdbf);
  g_assert_cmphex (attn_colormap_lookup_argb (ATTN_COLORMAP_VIRIDIS, -3), ==, 0xff440154);
  g_assert_cmphex (attn_colormap_lookup_argb (ATTN_COLORMAP_VIRIDIS, NAN), ==, 0xff440154);
  g_assert_cmphex (attn_colormap_lookup_argb (ATTN_COLORMAP_VIRIDIS, 7), ==, 0xfffde725);

  /* Blues runs from near white to dark blue, lighter first. */
  g_assert_cmpfloat (attn_colormap_lookup (ATTN_COLORMAP_BLUES, 0).g, >, 0.9);
  g_assert_cmpfloat (attn_colormap_lookup (ATTN_COLORMAP_BLUES, 1).g, <, 0.3);

  /* A dense table: neighbouring entries differ by a few units at most. */
  for (int i = 1; i < 256; i++)
    g_assert_cmpint (pixel_distance (attn_colormap_lookup_argb (ATTN_COLORMAP_VIRIDIS, (i - 0.5) / 256.0),
                                     attn_colormap_lookup_argb (ATTN_COLORMAP_VIRIDIS, (i + 0.5) / 256.0)),
                     <=, 4);

  for (int i = 0; i < ATTN_COLORMAP_COUNT; i++)
    {
      g_assert_true (attn_colormap_from_string (attn_colormap_to_string (i), &map));
      g_assert_cmpint (map, ==, i);
    }
  g_assert_true (attn_colormap_from_string ("Viridis", &map));
  g_assert_false (attn_colormap_from_string ("jet", &map));

  g_assert_cmpfloat_with_epsilon (attn_scale_apply (ATTN_SCALE_SQRT, 0.25), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (attn_scale_apply (ATTN_SCALE_LINEAR, 0.25), 0.25, 1e-12);
}

static void
test_token_labels (void)
{
  const struct { const char *in, *out; } cases[] = {
    { " cat", "·cat" },
    { "cat", "cat" },
    { "\n", "↵" },
    { "\t", "⇥" },
    { " ", "·" },
    { "  ", "··" },
    { "", "∅" },
    { "a\x01", "a\xEF\xBF\xBD" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *label = attn_render_dup_token_label (cases[i].in);
      g_assert_cmpstr (label, ==, cases[i].out);
    }
}

static void
test_title (void)
{
  g_autoptr(AttnResult) result = fixture_result ();
  g_autofree char *title = attn_render_dup_title (result, 1, 3);
  g_autofree char *grid_title = attn_render_dup_title (result, -1, -1);

  g_assert_cmpstr (title, ==, "tiny-f32 · layer 1 · head 3 · “The cat sat on the mat.”");
  g_assert_cmpstr (grid_title, ==, "tiny-f32 · “The cat sat on the mat.”");
}

/* The pixel at each cell's centre is the colour map's colour of its weight. */
static void
check_cells_match_weights (AttnResult  *result,
                           AttnColormap colormap,
                           gboolean     dark)
{
  const int width = 480, height = 440;
  guint n_tokens = attn_result_get_n_tokens (result);
  AttnHeatmapSpec spec;
  cairo_surface_t *surface;
  const float *weights;
  guint32 zero;

  attn_heatmap_spec_init (&spec, result, 1, 2);
  spec.colormap = colormap;
  spec.theme = attn_theme_get_default (dark);
  surface = render_heatmap (&spec, width, height);
  weights = attn_result_get_weights (result, 1, 2);
  zero = attn_colormap_lookup_argb (colormap, 0);

  for (guint q = 0; q < n_tokens; q++)
    for (guint k = 0; k < n_tokens; k++)
      {
        guint32 pixel = cell_centre_pixel (surface, &spec, width, height, q, k);

        if (k <= q)
          {
            guint32 expected = attn_colormap_lookup_argb (colormap, weights[q * n_tokens + k]);

            if (pixel_distance (pixel, expected) > 2)
              g_error ("cell (%u, %u) weight %g: pixel %08x, expected %08x",
                       q, k, weights[q * n_tokens + k], pixel, expected);
          }
        else
          {
            /* Masked: the masked colour or its hatch, never weight 0. */
            g_assert_cmpint (pixel_distance (pixel, zero), >, 40);
          }
      }

  cairo_surface_destroy (surface);
}

/* Dark theme: with every colour map a cell of weight 0 stands out from
 * the figure's background, and from a masked cell. */
static void
test_dark_zero_cells (void)
{
  const AttnTheme *theme = attn_theme_get_default (TRUE);
  AttnRgba bg = theme->background;
  guint32 background = 0xff000000u | ((guint32) lround (bg.r * 255) << 16)
                       | ((guint32) lround (bg.g * 255) << 8) | (guint32) lround (bg.b * 255);
  g_autoptr(AttnResult) result = fixture_result ();

  for (int c = 0; c < ATTN_COLORMAP_COUNT; c++)
    {
      guint32 zero = attn_colormap_lookup_argb (c, 0);

      g_test_message ("%s: weight 0 %08x, background %08x", attn_colormap_to_string (c), zero, background);
      g_assert_cmpint (pixel_distance (zero, background), >, 40);
      /* The cells as drawn: weights and masked cells checked as for light. */
      check_cells_match_weights (result, c, TRUE);
    }
}

static void
test_heatmap_pixels (void)
{
  g_autoptr(AttnResult) result = fixture_result ();

  check_cells_match_weights (result, ATTN_COLORMAP_VIRIDIS, FALSE);
  check_cells_match_weights (result, ATTN_COLORMAP_MAGMA, TRUE);
  check_cells_match_weights (result, ATTN_COLORMAP_BLUES, FALSE);
}

/* Large inputs go through the cached image path; its pixels must agree. */
static void
test_heatmap_pixels_cached (void)
{
  g_autoptr(AttnResult) result = synthetic_result (1, 1, 200);
  g_autoptr(AttnRenderCache) cache = attn_render_cache_new ();
  const float *weights = attn_result_get_weights (result, 0, 0);
  AttnHeatmapSpec spec;

  attn_heatmap_spec_init (&spec, result, 0, 0);
  spec.cache = cache;
  spec.cell_size = 6;
  spec.scroll_x = 300;
  spec.scroll_y = 600;

  for (int round = 0; round < 2; round++)
    {
      cairo_surface_t *surface = render_heatmap (&spec, 500, 400);

      for (int q = 100; q < 200; q += 7)
        for (int k = 50; k <= q; k += 5)
          {
            cairo_rectangle_t rect;

            if (!attn_heatmap_get_cell_rect (&spec, 500, 400, q, k, &rect))
              continue;
            g_assert_cmpint (pixel_distance (surface_pixel (surface, rect.x + 3, rect.y + 3),
                                             attn_colormap_lookup_argb (ATTN_COLORMAP_VIRIDIS,
                                                                        weights[q * 200 + k])), <=, 2);
          }
      cairo_surface_destroy (surface);
    }
}

/* Does any pixel within @radius of (x, y) come close to @color? */
static gboolean
color_near (cairo_surface_t *surface,
            double           x,
            double           y,
            int              radius,
            const AttnRgba  *color)
{
  AttnRgba opaque = *color;
  guint32 want;

  opaque.a = 1;
  want = 0xff000000u | ((guint32) lround (opaque.r * 255) << 16) |
         ((guint32) lround (opaque.g * 255) << 8) | (guint32) lround (opaque.b * 255);

  for (int dy = -radius; dy <= radius; dy++)
    for (int dx = -radius; dx <= radius; dx++)
      if (pixel_distance (surface_pixel (surface, (int) x + dx, (int) y + dy), want) <= 24)
        return TRUE;
  return FALSE;
}

static void
test_heatmap_selection (void)
{
  g_autoptr(AttnResult) result = fixture_result ();
  const int width = 480, height = 440;
  const AttnTheme *theme = attn_theme_get_default (FALSE);
  AttnHeatmapSpec spec;
  cairo_surface_t *plain, *selected;
  cairo_rectangle_t row, pinned;

  attn_heatmap_spec_init (&spec, result, 0, 1);
  plain = render_heatmap (&spec, width, height);
  g_assert_false (color_near (plain, width / 2, height / 2, 40, &theme->accent));

  spec.query = 7;
  spec.key = 3;
  selected = render_heatmap (&spec, width, height);

  /* The row and the pinned cell are outlined in the accent colour... */
  g_assert_true (attn_heatmap_get_cell_rect (&spec, width, height, 7, 5, &row));
  g_assert_true (color_near (selected, row.x + row.width / 2, row.y, 2, &theme->accent));
  g_assert_true (color_near (selected, row.x + row.width / 2, row.y + row.height, 2, &theme->accent));
  g_assert_true (attn_heatmap_get_cell_rect (&spec, width, height, 7, 3, &pinned));
  g_assert_true (color_near (selected, pinned.x, pinned.y + pinned.height / 2, 2, &theme->accent));

  /* ...while the cells themselves keep their true colours. */
  for (int k = 0; k <= 7; k++)
    g_assert_cmphex (cell_centre_pixel (selected, &spec, width, height, 7, k), ==,
                     cell_centre_pixel (plain, &spec, width, height, 7, k));

  cairo_surface_destroy (plain);
  cairo_surface_destroy (selected);
}

/* Printed weights sit in the middle of big cells, in black or white, and
 * leave the cell's colour around them. */
static void
test_heatmap_values (void)
{
  g_autoptr(AttnResult) result = fixture_result ();
  const int width = 700, height = 700;
  guint n_tokens = attn_result_get_n_tokens (result);
  const float *weights = attn_result_get_weights (result, 0, 2);
  AttnHeatmapSpec spec;
  cairo_surface_t *surface;
  guint n_inked = 0;

  attn_heatmap_spec_init (&spec, result, 0, 2);
  spec.show_values = TRUE;
  surface = render_heatmap (&spec, width, height);

  for (guint q = 0; q < n_tokens; q++)
    for (guint k = 0; k <= q; k++)
      {
        guint32 expected = attn_colormap_lookup_argb (ATTN_COLORMAP_VIRIDIS, weights[q * n_tokens + k]);
        cairo_rectangle_t rect;
        gboolean inked = FALSE;

        g_assert_true (attn_heatmap_get_cell_rect (&spec, width, height, q, k, &rect));
        g_assert_cmpfloat (rect.width, >=, 31);
        g_assert_cmpint (pixel_distance (surface_pixel (surface, rect.x + 4, rect.y + 4), expected), <=, 2);

        /* Some pixel across the middle line is text, far from the fill. */
        for (int dx = -10; dx <= 10; dx++)
          if (pixel_distance (surface_pixel (surface, rect.x + rect.width / 2 + dx, rect.y + rect.height / 2),
                              expected) > 60)
            inked = TRUE;
        n_inked += inked;
      }
  g_assert_cmpuint (n_inked, ==, n_tokens * (n_tokens + 1) / 2);
  cairo_surface_destroy (surface);
}

static void
test_heatmap_hit_test (void)
{
  g_autoptr(AttnResult) result = fixture_result ();
  guint n_tokens = attn_result_get_n_tokens (result);
  const double sizes[][2] = { { 480, 440 }, { 200, 900 }, { 1200, 300 } };
  AttnHeatmapSpec spec;
  int q, k;

  attn_heatmap_spec_init (&spec, result, 0, 0);

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      double w = sizes[s][0], h = sizes[s][1];

      for (guint i = 0; i < n_tokens; i++)
        for (guint j = 0; j < n_tokens; j++)
          {
            cairo_rectangle_t rect;

            g_assert_true (attn_heatmap_get_cell_rect (&spec, w, h, i, j, &rect));
            g_assert_true (attn_heatmap_hit_test (&spec, w, h, rect.x + rect.width / 2,
                                                  rect.y + rect.height / 2, &q, &k));
            g_assert_cmpint (q, ==, i);
            g_assert_cmpint (k, ==, j);
          }
      g_assert_false (attn_heatmap_hit_test (&spec, w, h, 1, 1, &q, &k));
      g_assert_false (attn_heatmap_hit_test (&spec, w, h, w - 2, h - 2, &q, &k));
    }

  /* Zoomed and scrolled: cells off screen have no rectangle, and the
   * visible ones map back. */
  spec.cell_size = 40;
  spec.scroll_x = 130;
  spec.scroll_y = 200;
  g_assert_false (attn_heatmap_get_cell_rect (&spec, 300, 300, 0, 0, NULL));
  for (guint i = 0; i < n_tokens; i++)
    for (guint j = 0; j < n_tokens; j++)
      {
        cairo_rectangle_t rect;

        if (!attn_heatmap_get_cell_rect (&spec, 300, 300, i, j, &rect))
          continue;
        if (!attn_heatmap_hit_test (&spec, 300, 300, rect.x + rect.width / 2, rect.y + rect.height / 2, &q, &k))
          continue;   /* the centre of a cell cut by the viewport edge */
        g_assert_cmpint (q, ==, i);
        g_assert_cmpint (k, ==, j);
      }
}

static void
test_heatmap_natural_size (void)
{
  g_autoptr(AttnResult) result = synthetic_result (1, 1, 512);
  AttnHeatmapSpec spec;
  double w, h, w2, h2;

  attn_heatmap_spec_init (&spec, result, 0, 0);
  spec.cell_size = 20;
  attn_heatmap_get_natural_size (&spec, &w, &h);
  g_assert_cmpfloat (w, >=, 512 * 20);
  g_assert_cmpfloat (h, >=, 512 * 20);
  g_assert_cmpfloat (w, <, 512 * 20 + 400);

  /* The default zoom leaves room for one line of label per token. */
  spec.cell_size = 0;
  attn_heatmap_get_natural_size (&spec, &w2, &h2);
  g_assert_cmpfloat (w2, >=, 512 * 12);
}

/* Checks every cell (q, k) with q and k in [@from, @to) whose centre
 * lands in the @width × @height surface and that is at least 6 px wide:
 * its colour is the colour map's for its weight, or not weight 0's when
 * masked.  Returns how many cells it checked, so a caller can insist it
 * saw some.  (Hit-testing all 512² cells took over a minute.) */
static guint
check_visible_cells (cairo_surface_t       *surface,
                     const AttnHeatmapSpec *spec,
                     int                    width,
                     int                    height,
                     guint                  from,
                     guint                  to)
{
  guint T = attn_result_get_n_tokens (spec->result);
  const float *weights = attn_result_get_weights (spec->result, spec->layer, spec->head);
  guint32 zero = attn_colormap_lookup_argb (spec->colormap, 0);
  guint checked = 0;

  for (guint q = from; q < MIN (to, T); q++)
    for (guint k = from; k < MIN (to, T); k++)
      {
        cairo_rectangle_t rect;
        int x, y;

        if (!attn_heatmap_get_cell_rect (spec, width, height, q, k, &rect) || rect.width < 6)
          continue;
        x = (int) (rect.x + rect.width / 2);
        y = (int) (rect.y + rect.height / 2);
        if (x < 0 || y < 0 || x >= width || y >= height)
          continue;
        if (k <= q && (int) q != spec->query)
          {
            guint32 expected = attn_colormap_lookup_argb (spec->colormap, weights[q * T + k]);

            if (pixel_distance (surface_pixel (surface, x, y), expected) > 2)
              g_error ("%u tokens: cell (%u, %u) weight %g: pixel %08x, expected %08x", T, q, k,
                       weights[q * T + k], surface_pixel (surface, x, y), expected);
          }
        else if (k > q)
          g_assert_cmpint (pixel_distance (surface_pixel (surface, x, y), zero), >, 40);
        checked++;
      }
  return checked;
}

/* Every long input draws its cells in their weights' colours, at the
 * default size and zoomed into the middle of the matrix (only the viewport
 * is drawn).  The test used to check only cairo's status, which a blank
 * or wrongly scrolled heatmap passed. */
static void
test_heatmap_long (void)
{
  const guint lengths[] = { 2, 64, 512 };

  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      g_autoptr(AttnResult) result = synthetic_result (1, 1, lengths[i]);
      AttnHeatmapSpec spec;
      cairo_surface_t *surface;
      guint checked;

      attn_heatmap_spec_init (&spec, result, 0, 0);
      spec.query = lengths[i] - 1;
      spec.key = 0;
      surface = render_heatmap (&spec, 700, 700);
      /* 512 cells across 700 px are under 6 px: nothing to check there */
      if (lengths[i] <= 64)
        {
          checked = check_visible_cells (surface, &spec, 700, 700, 0, lengths[i]);
          g_assert_cmpuint (checked, >=, lengths[i] * lengths[i] - lengths[i]);
        }
      cairo_surface_destroy (surface);

      spec.cell_size = 18;
      spec.scroll_x = spec.scroll_y = lengths[i] * 9;
      surface = render_heatmap (&spec, 700, 500);
      /* the viewport starts near cell T / 2 and is under 40 cells wide */
      checked = check_visible_cells (surface, &spec, 700, 500,
                                     lengths[i] / 2 > 45 ? lengths[i] / 2 - 45 : 0, lengths[i] / 2 + 45);
      g_test_message ("%u tokens zoomed: %u cells checked", lengths[i], checked);
      g_assert_cmpuint (checked, >=, MIN (lengths[i] * lengths[i], 200));
      cairo_surface_destroy (surface);
    }
}

/* Pixels of the light theme's accent (the selected token's label and
 * arrow) in a rectangle of @surface. */
static guint
count_accent_pixels (cairo_surface_t *surface,
                     double           x0,
                     double           y0,
                     double           x1,
                     double           y1)
{
  const AttnRgba *accent = &attn_theme_get_default (FALSE)->accent;
  guint32 argb = 0xff000000 | ((guint32) (accent->r * 255 + 0.5) << 16) |
                 ((guint32) (accent->g * 255 + 0.5) << 8) | (guint32) (accent->b * 255 + 0.5);
  guint n = 0;

  for (int y = MAX ((int) y0, 0); y < MIN ((int) y1, cairo_image_surface_get_height (surface)); y++)
    for (int x = MAX ((int) x0, 0); x < MIN ((int) x1, cairo_image_surface_get_width (surface)); x++)
      if (pixel_distance (surface_pixel (surface, x, y), argb) <= 24)
        n++;
  return n;
}

/* At 4,096 tokens zoomed in, the selected query's and key's labels stay
 * on their axes when their row and column are panned away: pinned to the
 * edge they went past, in the accent colour, where nothing is drawn in
 * the accent colour without a selection. */
static void
test_heatmap_pinned_labels (void)
{
  g_autoptr(AttnResult) result = synthetic_result (1, 1, 4096);
  g_autoptr(AttnRenderCache) cache = attn_render_cache_new ();
  const struct { int query, key; gboolean query_after, key_after; } cases[] = {
    { 10, 5, FALSE, FALSE },        /* both before the view: top, left */
    { 4000, 3990, TRUE, TRUE },     /* both after it: bottom, right */
  };
  AttnHeatmapViewport vp;
  AttnHeatmapSpec spec;

  attn_heatmap_spec_init (&spec, result, 0, 0);
  spec.cell_size = 16;
  spec.cache = cache;
  spec.scroll_x = 2000 * 16;
  spec.scroll_y = 2100 * 16;
  g_assert_true (attn_heatmap_get_viewport (&spec, 900, 700, &vp));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* the band along the edge the token went past, on each axis */
      double ry0 = cases[i].query_after ? vp.y + vp.height - 16 : vp.y;
      double cx0 = cases[i].key_after ? vp.x + vp.width - 16 : vp.x;
      cairo_surface_t *surface;

      g_assert_true (cases[i].query < vp.query0 || cases[i].query >= vp.query1);
      g_assert_true (cases[i].key < vp.key0 || cases[i].key >= vp.key1);

      spec.query = spec.key = -1;
      surface = render_heatmap (&spec, 900, 700);
      g_assert_cmpuint (count_accent_pixels (surface, 0, ry0, vp.x, ry0 + 16), ==, 0);
      g_assert_cmpuint (count_accent_pixels (surface, cx0, vp.y + vp.height, cx0 + 16, 700), ==, 0);
      cairo_surface_destroy (surface);

      spec.query = cases[i].query;
      spec.key = cases[i].key;
      surface = render_heatmap (&spec, 900, 700);
      g_assert_cmpuint (count_accent_pixels (surface, 0, ry0, vp.x, ry0 + 16), >=, 20);
      g_assert_cmpuint (count_accent_pixels (surface, cx0, vp.y + vp.height, cx0 + 16, 700), >=, 20);
      cairo_surface_destroy (surface);
    }
}

/* Zoomed into a long input the cells come from 256 × 256 tiles painted as
 * they come into view: every device pixel around a tile's edge (at a cell
 * size that puts the edge inside a pixel) has its cell's colour, with no
 * seam of background between tiles, and a cached repaint after panning
 * draws the same pixels as a frame without any cache. */
static void
test_heatmap_tiles (void)
{
  g_autoptr(AttnResult) result = synthetic_result (1, 1, 1024);
  g_autoptr(AttnRenderCache) cache = attn_render_cache_new ();
  const float *weights = attn_result_get_weights (result, 0, 0);
  guint T = attn_result_get_n_tokens (result);
  cairo_surface_t *surface, *uncached;
  cairo_rectangle_t origin;
  AttnHeatmapSpec spec;
  guint seams = 0;

  attn_heatmap_spec_init (&spec, result, 0, 0);
  spec.cell_size = 6.3;
  spec.cache = cache;
  /* the tiles' edge at 256 in view on both axes */
  spec.scroll_x = spec.scroll_y = 200 * spec.cell_size;
  surface = render_heatmap (&spec, 900, 900);
  cairo_surface_destroy (surface);

  spec.scroll_x = spec.scroll_y = 230 * spec.cell_size;   /* pan: old tiles reused */
  surface = render_heatmap (&spec, 900, 900);
  g_assert_true (attn_heatmap_get_cell_rect (&spec, 900, 900, 300, 300, &origin));
  origin.x -= 300 * spec.cell_size;
  origin.y -= 300 * spec.cell_size;

  /* across the edge at 256: columns (keys) for rows 256…, rows (queries)
   * for keys 232…255 (later keys are masked) */
  for (int axis = 0; axis < 2; axis++)
    {
      int b = (int) floor ((axis == 0 ? origin.x : origin.y) + 256 * spec.cell_size);

      g_assert_cmpint (b, >, 0);
      g_assert_cmpint (b, <, 900);
      for (int d = b - 1; d <= b + 1; d++)
        for (guint i = 0; i < 36; i++)
          {
            double along = (axis == 0 ? origin.y : origin.x) + ((axis == 0 ? 256 : 232) + i + 0.5) * spec.cell_size;
            int x = axis == 0 ? d : (int) along, y = axis == 0 ? (int) along : d;
            int k = (int) floor ((x + 0.5 - origin.x) / spec.cell_size);
            int q = (int) floor ((y + 0.5 - origin.y) / spec.cell_size);
            guint32 expected = attn_colormap_lookup_argb (spec.colormap, weights[q * T + k]);

            if (k > q)
              continue;
            if (pixel_distance (surface_pixel (surface, x, y), expected) > 2)
              g_error ("tile edge: pixel (%d, %d) of cell (%d, %d) is %08x, expected %08x",
                       x, y, q, k, surface_pixel (surface, x, y), expected);
            seams++;
          }
    }
  g_assert_cmpuint (seams, >=, 150);
  g_assert_cmpuint (check_visible_cells (surface, &spec, 900, 900, 230, 330), >=, 4000);

  spec.cache = NULL;
  uncached = render_heatmap (&spec, 900, 900);
  cairo_surface_flush (surface);
  cairo_surface_flush (uncached);
  g_assert_cmpmem (cairo_image_surface_get_data (surface),
                   cairo_image_surface_get_stride (surface) * 900,
                   cairo_image_surface_get_data (uncached),
                   cairo_image_surface_get_stride (uncached) * 900);
  cairo_surface_destroy (uncached);
  cairo_surface_destroy (surface);
}

/* Zoomed past the viewport, the overview shows every cell of the matrix
 * (max-pooled: the sink column on key 0 stays bright, the masked corner
 * is not weight 0's colour) with the visible region outlined; its points
 * map back to matrix positions, and no cell is hit through it.  Fitted,
 * or with everything in view, there is none. */
static void
test_heatmap_overview (void)
{
  g_autoptr(AttnResult) result = synthetic_result (1, 1, 2048);
  g_autoptr(AttnRenderCache) cache = attn_render_cache_new ();
  guint32 zero = attn_colormap_lookup_argb (ATTN_COLORMAP_VIRIDIS, 0);
  cairo_surface_t *surface, *plain;
  AttnHeatmapViewport vp;
  AttnHeatmapSpec spec;
  double q, k, ox = -1, oy = -1;
  int hq, hk;
  guint differs = 0;

  attn_heatmap_spec_init (&spec, result, 0, 0);
  spec.cache = cache;
  spec.show_overview = TRUE;
  spec.cell_size = 8;
  spec.scroll_x = 1000 * 8;
  spec.scroll_y = 1200 * 8;
  g_assert_true (attn_heatmap_get_viewport (&spec, 900, 700, &vp));
  g_assert_cmpint (vp.key0, >=, 999);
  g_assert_cmpint (vp.query0, >=, 1199);

  /* the overview's top left corner: scan the top right of the cells */
  for (double x = vp.x + vp.width - 1; x > vp.x + vp.width / 2; x--)
    if (attn_heatmap_overview_hit_test (&spec, 900, 700, x, vp.y + 20, NULL, NULL))
      ox = x;
  for (double y = vp.y + 40; y > vp.y; y--)
    if (attn_heatmap_overview_hit_test (&spec, 900, 700, ox, y, NULL, NULL))
      oy = y;
  g_assert_cmpfloat (ox, >, vp.x + vp.width / 2);
  g_assert_cmpfloat (oy, >, vp.y);
  g_assert_true (attn_heatmap_overview_hit_test (&spec, 900, 700, ox, oy, &q, &k));
  g_assert_cmpfloat (q, <, 2048 / 48.0);
  g_assert_cmpfloat (k, <, 2048 / 48.0);
  g_assert_false (attn_heatmap_hit_test (&spec, 900, 700, ox + 10, oy + 10, &hq, &hk));

  surface = render_heatmap (&spec, 900, 700);
  /* key 0 (the sink) along the overview's left edge: strong, not masked */
  g_assert_cmpint (pixel_distance (surface_pixel (surface, ox + 0.5, oy + 30), zero), >, 100);
  /* top right corner of the matrix: masked, not weight 0 */
  g_assert_cmpint (pixel_distance (surface_pixel (surface, ox + 40, oy + 2), zero), >, 40);

  /* without the overview those pixels are cells of the zoomed view */
  spec.show_overview = FALSE;
  g_assert_false (attn_heatmap_overview_hit_test (&spec, 900, 700, ox + 10, oy + 10, NULL, NULL));
  plain = render_heatmap (&spec, 900, 700);
  for (int y = oy; y < oy + 40; y++)
    for (int x = ox; x < ox + 40; x++)
      differs += surface_pixel (surface, x, y) != surface_pixel (plain, x, y);
  g_assert_cmpuint (differs, >, 800);
  cairo_surface_destroy (plain);
  cairo_surface_destroy (surface);

  /* fitted: no overview */
  spec.show_overview = TRUE;
  spec.cell_size = 0;
  g_assert_false (attn_heatmap_overview_hit_test (&spec, 900, 700, ox + 10, oy + 10, NULL, NULL));
}

/* (T, T) weights @w max-pooled to @size × @size as the core pools them:
 * pixel (a, b) covers queries [a·T/size, (a+1)·T/size) and keys likewise;
 * -1 where every cell is masked (a key after every query). */
static float *
direct_max_pool (const float *w,
                 guint        T,
                 guint        size)
{
  float *pooled = g_new (float, (gsize) size * size);

  for (gsize i = 0; i < (gsize) size * size; i++)
    pooled[i] = -1;
  for (guint a = 0; a < size; a++)
    for (guint q = a * T / size; q < (a + 1) * T / size; q++)
      for (guint b = 0; b < size; b++)
        for (guint k = b * T / size; k < (b + 1) * T / size && k <= q; k++)
          pooled[(gsize) a * size + b] = MAX (pooled[(gsize) a * size + b], w[(gsize) q * T + k]);
  return pooled;
}

/* Every pixel of a square of @extent px at (x0, y0) showing @pooled
 * (@size × @size), @inset px in from its edges and away from the image's
 * own pixel edges, in the viridis colour of its value; returns how many
 * were checked. */
static guint
check_pooled_pixels (cairo_surface_t *surface,
                     double           x0,
                     double           y0,
                     double           extent,
                     double           inset,
                     const float     *pooled,
                     guint            size)
{
  guint checked = 0;

  for (int py = (int) ceil (y0 + inset); py + inset < y0 + extent; py++)
    for (int px = (int) ceil (x0 + inset); px + inset < x0 + extent; px++)
      {
        double u = (px + 0.5 - x0) * size / extent, v = (py + 0.5 - y0) * size / extent;
        float value;
        int i;

        /* a pixel centre on the image's own pixel edge could go either way */
        if (u - floor (u) < 0.02 || u - floor (u) > 0.98 || v - floor (v) < 0.02 || v - floor (v) > 0.98)
          continue;
        value = pooled[(gsize) floor (v) * size + (gsize) floor (u)];
        if (value < 0)
          continue;   /* the masked colour */
        i = CLAMP ((int) (value * 256.0f), 0, 255);
        if (pixel_distance (surface_pixel (surface, px, py),
                            attn_colormap_lookup_argb (ATTN_COLORMAP_VIRIDIS, (i + 0.5) / 256.0)) > 2)
          g_error ("pixel (%d, %d) is %08x, its cells' largest weight %g", px, py,
                   surface_pixel (surface, px, py), value);
        checked++;
      }
  return checked;
}

static void
assert_same_pixels (cairo_surface_t *a,
                    cairo_surface_t *b)
{
  cairo_surface_flush (a);
  cairo_surface_flush (b);
  g_assert_cmpmem (cairo_image_surface_get_data (a),
                   cairo_image_surface_get_stride (a) * cairo_image_surface_get_height (a),
                   cairo_image_surface_get_data (b),
                   cairo_image_surface_get_stride (b) * cairo_image_surface_get_height (b));
}

/* Issue 13: the first frame of a new result or head max-pools its weights
 * to the fitted map's pixels and to the overview's (attn-render-cells.c,
 * ae_trace_head_pooled ()).  Every fitted pixel is the colour of the
 * largest weight it covers, pooled here the slow way; and a cache that
 * drew another result of the same shape draws the new one's images, the
 * very pixels a fresh cache draws, fitted and in the overview. */
static void
test_heatmap_pooled_new_result (void)
{
  g_autoptr(AttnResult) first = synthetic_result (1, 1, 1500);
  g_autoptr(AttnResult) second = synthetic_result (1, 1, 1500);
  g_autoptr(AttnRenderCache) cache = attn_render_cache_new ();
  float *w = (float *) attn_result_get_weights (second, 0, 0);
  guint T = attn_result_get_n_tokens (second);
  AttnHeatmapViewport vp;
  AttnHeatmapSpec spec;
  cairo_surface_t *surface, *fresh;
  guint size;

  /* the second result: no sink, one strong column, the diagonal and a
   * band below it (a pixel on the diagonal shows the diagonal's weight
   * only if the pool reads a query's own key) */
  for (guint q = 0; q < T; q++)
    for (guint k = 0; k <= q; k++)
      w[(gsize) q * T + k] = k == 700 ? 0.9f : k == q ? 0.6f : q - k < 3 ? 0.4f : 0.3f * (float) k / (float) T;

  attn_heatmap_spec_init (&spec, first, 0, 0);
  spec.cache = cache;
  spec.show_overview = TRUE;
  cairo_surface_destroy (render_heatmap (&spec, 800, 800));

  spec.result = second;
  surface = render_heatmap (&spec, 800, 800);
  g_assert_true (attn_heatmap_get_viewport (&spec, 800, 800, &vp));
  size = (guint) ceil (vp.width - 1e-6);
  g_assert_cmpuint (size, <, T);            /* fewer pixels than cells: pooled */
  {
    g_autofree float *pooled = direct_max_pool (w, T, size);

    g_assert_cmpfloat (fabs (vp.width - vp.height), <, 1e-6);
    g_assert_cmpuint (check_pooled_pixels (surface, vp.origin_x, vp.origin_y, vp.width, 0.5, pooled, size),
                      >, size * size / 3);
  }
  spec.cache = NULL;
  fresh = render_heatmap (&spec, 800, 800);
  assert_same_pixels (surface, fresh);
  cairo_surface_destroy (fresh);
  cairo_surface_destroy (surface);

  /* zoomed: the overview, after the first result's overview */
  spec.cache = cache;
  spec.result = first;
  spec.cell_size = 6;
  spec.scroll_x = spec.scroll_y = 600 * 6;
  cairo_surface_destroy (render_heatmap (&spec, 800, 800));
  spec.result = second;
  surface = render_heatmap (&spec, 800, 800);
  spec.cache = NULL;
  fresh = render_heatmap (&spec, 800, 800);
  assert_same_pixels (surface, fresh);
  cairo_surface_destroy (fresh);
  cairo_surface_destroy (surface);
}

static void
test_arcs_hit_test (void)
{
  g_autoptr(AttnResult) result = fixture_result ();
  guint n_tokens = attn_result_get_n_tokens (result);
  const double widths[] = { 640, 200 };   /* reading order, then upright labels */

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      g_autofree gboolean *seen = g_new0 (gboolean, n_tokens);
      AttnArcSpec spec;
      cairo_surface_t *surface;
      cairo_t *cr;
      int last = -1;

      attn_arc_spec_init (&spec, result, 1, 0);
      spec.query = 9;
      spec.key = 2;
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, widths[w], 300);
      cr = cairo_create (surface);
      attn_render_arcs (cr, &spec, widths[w], 300);
      g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);

      /* Sweeping the chip row left to right meets every token in order.
       * Only the band the chips occupy is swept: the whole height made this
       * test take minutes under the sanitizers' full stack unwinding. */
      double top = 300, bottom = 0;

      for (guint i = 0; i < n_tokens; i++)
        {
          cairo_rectangle_t rect;

          g_assert_true (attn_arcs_get_token_rect (&spec, widths[w], 300, i, &rect));
          top = MIN (top, rect.y);
          bottom = MAX (bottom, rect.y + rect.height);
        }

      for (double x = 0; x < widths[w]; x += 1.5)
        for (double y = MAX (top - 4, 0); y < MIN (bottom + 4, 300); y += 2)
          {
            int token;

            if (attn_arcs_hit_test (&spec, widths[w], 300, x, y, &token))
              {
                g_assert_cmpint (token, >=, last);
                last = token;
                seen[token] = TRUE;
                break;
              }
          }
      for (guint i = 0; i < n_tokens; i++)
        g_assert_true (seen[i]);
      g_assert_false (attn_arcs_hit_test (&spec, widths[w], 300, widths[w] / 2, 5, NULL));
    }
}

/* Only the chip is the token: right below or above it is empty space, so
 * a click there clears the query. */
static void
test_arcs_hit_chip_only (void)
{
  g_autoptr(AttnResult) result = synthetic_result (1, 1, 8);
  AttnArcSpec spec;
  cairo_rectangle_t rect;
  int token = -1;

  attn_arc_spec_init (&spec, result, 0, 0);
  for (int i = 0; i < 8; i++)
    {
      double x;

      g_assert_true (attn_arcs_get_token_rect (&spec, 1060, 640, i, &rect));
      x = rect.x + rect.width / 2;
      g_assert_true (attn_arcs_hit_test (&spec, 1060, 640, x, rect.y + rect.height / 2, &token));
      g_assert_cmpint (token, ==, i);
      g_assert_cmpfloat (rect.y + rect.height + 12, <, 640);
      g_assert_false (attn_arcs_hit_test (&spec, 1060, 640, x, rect.y + rect.height + 12, NULL));
      g_assert_false (attn_arcs_hit_test (&spec, 1060, 640, x, rect.y - 12, NULL));
    }
}

/* Eight tokens in a wide canvas: bigger chips, arcs across most of it. */
static void
test_arcs_short_fills_width (void)
{
  g_autoptr(AttnResult) result = synthetic_result (1, 1, 8);
  const double widths[] = { 1060, 480 };
  AttnArcSpec spec;
  cairo_rectangle_t first, last, natural;

  attn_arc_spec_init (&spec, result, 0, 0);
  spec.scrollable = TRUE;
  g_assert_true (attn_arcs_get_token_rect (&spec, 4000, 640, 0, &natural));
  spec.scrollable = FALSE;
  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      g_assert_true (attn_arcs_get_token_rect (&spec, widths[w], 640, 0, &first));
      g_assert_true (attn_arcs_get_token_rect (&spec, widths[w], 640, 7, &last));
      g_assert_cmpfloat ((last.x + last.width / 2) - (first.x + first.width / 2), >, 0.75 * widths[w]);
      g_assert_cmpfloat (last.x + last.width, <=, widths[w]);
    }
  /* At 1060 px the chips grow, for a projector. */
  g_assert_true (attn_arcs_get_token_rect (&spec, 1060, 640, 0, &first));
  g_assert_cmpfloat (first.height, >=, 1.5 * natural.height);
}

/* Self-attention is a loop on the token's chip, drawn when its weight is
 * high (with or without a query) and not when it is ~0. */
static void
test_arcs_self_loop (void)
{
  g_autoptr(AttnResult) result = synthetic_result (1, 1, 8);
  float *weights = (float *) attn_result_get_weights (result, 0, 0);
  const int t = 4;

  /* Every other token attends to itself only: no arc comes near token t. */
  memset (weights, 0, 8 * 8 * sizeof (float));
  for (int i = 0; i < 8; i++)
    weights[i * 8 + i] = 1;

  for (int self_high = 0; self_high < 2; self_high++)
    for (int with_query = 0; with_query < 1 + self_high; with_query++)
      {
        AttnArcSpec spec;
        cairo_rectangle_t rect;
        cairo_surface_t *surface;
        cairo_t *cr;
        guint32 background;
        int differ = 0;

        /* Low: spread over the earlier tokens, each below the threshold. */
        for (int k = 0; k <= t; k++)
          weights[t * 8 + k] = self_high ? (k == t) : (k < t ? 0.25f : 0.0f);

        attn_arc_spec_init (&spec, result, 0, 0);
        spec.threshold = 0.5;
        spec.query = with_query ? t : -1;
        surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1060, 560);
        cr = cairo_create (surface);
        attn_render_arcs (cr, &spec, 1060, 560);
        g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
        cairo_destroy (cr);
        cairo_surface_flush (surface);

        g_assert_true (attn_arcs_get_token_rect (&spec, 1060, 560, t, &rect));
        background = surface_pixel (surface, 2, 558);
        for (int y = rect.y - rect.height; y < rect.y - 2; y++)
          for (int x = rect.x + 2; x < rect.x + rect.width - 2; x++)
            if (pixel_distance (surface_pixel (surface, x, y), background) > 24)
              differ++;

        if (self_high)
          g_assert_cmpint (differ, >, 20);
        else
          g_assert_cmpint (differ, ==, 0);
        cairo_surface_destroy (surface);
      }
}

static void
test_arcs_no_query (void)
{
  g_autoptr(AttnResult) result = synthetic_result (1, 2, 300);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 900, 400);
  cairo_t *cr = cairo_create (surface);
  AttnArcSpec spec;
  double w, h;

  attn_arc_spec_init (&spec, result, 0, 1);
  spec.threshold = 0.0;   /* every link: the renderer caps how many it draws */
  attn_render_arcs (cr, &spec, 900, 400);
  spec.scrollable = TRUE;
  spec.scroll_x = 1000;
  attn_render_arcs (cr, &spec, 900, 400);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  attn_arcs_get_natural_size (&spec, &w, &h);
  g_assert_cmpfloat (w, >, 900);
  g_assert_cmpfloat (h, >, 50);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* How many of @row's first @n weights are above @w: a key is among its
 * query's k strongest when fewer than k are. */
static guint
count_stronger (const float *row,
                guint        n,
                float        w)
{
  guint stronger = 0;

  for (guint j = 0; j < n; j++)
    stronger += row[j] > w;
  return stronger;
}

/* At 4,096 tokens scrolled to the middle, each links mode draws what it
 * says: the query's links only; every query's links above the threshold;
 * every query's k strongest, checked against the weights row by row. */
static void
test_arcs_links_modes (void)
{
  g_autoptr(AttnResult) result = synthetic_result (1, 1, 4096);
  g_autoptr(AttnRenderCache) cache = attn_render_cache_new ();
  const float *weights = attn_result_get_weights (result, 0, 0);
  const guint T = 4096;
  double natural_width;
  AttnArcSpec spec;

  attn_arc_spec_init (&spec, result, 0, 0);
  spec.cache = cache;
  spec.scrollable = TRUE;
  spec.query = T / 2;
  attn_arcs_get_natural_size (&spec, &natural_width, NULL);
  spec.scroll_x = natural_width / 2 - 450;

  for (int mode = ATTN_ARC_LINKS_QUERY; mode <= ATTN_ARC_LINKS_TOP_K; mode++)
    for (guint k = 1; k <= (mode == ATTN_ARC_LINKS_TOP_K ? 3u : 1u); k++)
      {
        g_autoptr(GArray) links = NULL;
        g_autoptr(GHashTable) queries = g_hash_table_new (NULL, NULL);
        guint per_query[4096] = { 0 };

        spec.links = mode;
        spec.top_k = k;
        spec.threshold = 0.2;
        links = attn_arcs_dup_links (&spec, 900, 400);
        g_test_message ("mode %d, k %u: %u links", mode, k, links->len);
        g_assert_cmpuint (links->len, >, 0);

        for (guint i = 0; i < links->len; i++)
          {
            const AttnArcLink *link = &g_array_index (links, AttnArcLink, i);
            const float *row = weights + (gsize) link->query * T;

            g_assert_cmpint (link->key, <=, link->query);
            g_assert_cmpfloat (link->weight, ==, row[link->key]);
            g_hash_table_add (queries, GINT_TO_POINTER (link->query));
            per_query[link->query]++;
            if (mode == ATTN_ARC_LINKS_QUERY)
              g_assert_cmpint (link->query, ==, spec.query);
            else if (mode == ATTN_ARC_LINKS_THRESHOLD)
              g_assert_cmpfloat (link->weight, >=, 0.2);
            else
              {
                g_assert_cmpuint (count_stronger (row, link->query + 1, link->weight), <, k);
                g_assert_cmpuint (per_query[link->query], <=, k);
              }
          }
        /* every query's, not only the selected one's */
        if (mode != ATTN_ARC_LINKS_QUERY)
          g_assert_cmpuint (g_hash_table_size (queries), >, 10);
        /* a query in view keeps all its k */
        if (mode == ATTN_ARC_LINKS_TOP_K)
          g_assert_cmpuint (per_query[spec.query], ==, k);
      }

  /* the top k are kept for the next frames of the same head */
  {
    g_autoptr(AttnRenderCache) fresh = attn_render_cache_new ();
    g_autoptr(GArray) cached = NULL;
    g_autoptr(GArray) uncached = NULL;

    spec.links = ATTN_ARC_LINKS_TOP_K;
    spec.top_k = 2;
    cached = attn_arcs_dup_links (&spec, 900, 400);
    spec.cache = fresh;
    uncached = attn_arcs_dup_links (&spec, 900, 400);
    g_assert_cmpuint (cached->len, ==, uncached->len);
    g_assert_cmpmem (cached->data, cached->len * sizeof (AttnArcLink),
                     uncached->data, uncached->len * sizeof (AttnArcLink));
  }
}

/* GPT-2 small's 12 × 12 heads: each thumbnail big enough to read, each
 * reachable by the hit test, in reading order. */
static void
test_grid_144_heads (void)
{
  g_autoptr(AttnResult) result = synthetic_result (12, 12, 24);
  g_autoptr(AttnRenderCache) cache = attn_render_cache_new ();
  const int width = 1000, height = 900;
  gboolean seen[12][12] = { { FALSE } };
  cairo_surface_t *surface;
  AttnGridSpec spec;
  cairo_t *cr;
  double nw, nh;

  attn_grid_spec_init (&spec, result);
  spec.layer = 5;
  spec.head = 7;
  spec.query = 10;
  spec.cache = cache;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  attn_render_grid (cr, &spec, width, height);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  for (int y = 0; y < height; y += 6)
    for (int x = 0; x < width; x += 6)
      {
        int layer, head;

        if (attn_grid_hit_test (&spec, width, height, x, y, &layer, &head))
          seen[layer][head] = TRUE;
      }
  for (int l = 0; l < 12; l++)
    for (int h = 0; h < 12; h++)
      g_assert_true (seen[l][h]);

  attn_grid_get_natural_size (&spec, &nw, &nh);
  g_assert_cmpfloat (nw, >=, 12 * 48);
  g_assert_cmpfloat (nh, >=, 12 * 48);

  /* Scrolled: the first rows are gone, the last are there. */
  spec.thumb_size = 80;
  spec.scroll_y = 1000;
  {
    int layer = -1, head = -1;
    double natural_w;

    attn_grid_get_natural_size (&spec, &natural_w, NULL);
    g_assert_true (attn_grid_hit_test (&spec, natural_w, 400, natural_w / 2, 380, &layer, &head));
    g_assert_cmpint (layer, >=, 9);
  }
}

/* The grid's hover row: the hit test names every query row of a
 * thumbnail top to bottom, and the row drawn outlined changes the pixels
 * of that row in another thumbnail (the token followed across heads). */
static void
test_grid_hover_row (void)
{
  g_autoptr(AttnResult) result = synthetic_result (2, 3, 10);
  const int width = 600, height = 500;
  int last_row = -1, rows_seen = 0;
  AttnGridSpec spec;
  cairo_surface_t *plain, *hovered;
  int x0 = -1, changed = 0;

  attn_grid_spec_init (&spec, result);

  /* Down the middle of the first column of thumbnails. */
  for (int x = 0; x < width && x0 < 0; x++)
    {
      int layer, head, row;

      if (attn_grid_hit_test_row (&spec, width, height, x, height / 2, &layer, &head, &row) && row >= 0)
        x0 = x + 10;
    }
  g_assert_cmpint (x0, >, 0);
  for (int y = 0; y < height; y++)
    {
      int layer, head, row;

      if (!attn_grid_hit_test_row (&spec, width, height, x0, y, &layer, &head, &row) || layer != 0 || row < 0)
        continue;
      g_assert_cmpint (head, ==, 0);
      g_assert_cmpint (row, >=, last_row);
      if (row != last_row)
        rows_seen++;
      last_row = row;
    }
  g_assert_cmpint (rows_seen, ==, 10);
  g_assert_cmpint (last_row, ==, 9);

  plain = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  hovered = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  {
    cairo_t *cr = cairo_create (plain);

    attn_render_grid (cr, &spec, width, height);
    cairo_destroy (cr);
    spec.hover_layer = spec.hover_head = 0;
    spec.hover_row = 4;
    cr = cairo_create (hovered);
    attn_render_grid (cr, &spec, width, height);
    cairo_destroy (cr);
  }
  cairo_surface_flush (plain);
  cairo_surface_flush (hovered);
  /* Some pixels differ in the last thumbnail (layer 1, head 2), which the
   * pointer is not over. */
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        int layer, head;
        guint32 a = ((guint32 *) (cairo_image_surface_get_data (plain) + y * cairo_image_surface_get_stride (plain)))[x];
        guint32 b = ((guint32 *) (cairo_image_surface_get_data (hovered) + y * cairo_image_surface_get_stride (hovered)))[x];

        if (a != b && attn_grid_hit_test (&spec, width, height, x, y, &layer, &head) && layer == 1 && head == 2)
          changed++;
      }
  g_assert_cmpint (changed, >, 20);
  cairo_surface_destroy (plain);
  cairo_surface_destroy (hovered);
}

/* 600 tokens where token @strong draws nearly all attention from every
 * later one: a column a sampling downscale drops one time in three. */
static AttnResult *
strong_column_result (guint strong)
{
  AttnResult *result = synthetic_result (1, 1, 600);
  float *weights = (float *) attn_result_get_weights (result, 0, 0);

  for (guint q = strong; q < 600; q++)
    {
      for (guint k = 0; k <= q; k++)
        weights[q * 600 + k] = 0.05f / q;
      weights[q * 600 + strong] = 0.95f;
    }
  return result;
}

static guint
count_pixels_near (cairo_surface_t *surface,
                   guint32          color)
{
  guint n = 0;

  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
      n += pixel_distance (surface_pixel (surface, x, y), color) <= 6;
  return n;
}

/* Where thumbnail (@layer, @head) starts on @axis (0: x, 1: y) and how
 * wide it is, from the hit test alone: a row is named only inside it. */
static gboolean
inside_thumb (const AttnGridSpec *spec,
              double              x,
              double              y,
              int                 layer,
              int                 head)
{
  int l, h, row;

  return attn_grid_hit_test_row (spec, 600, 400, x, y, &l, &h, &row) && l == layer && h == head && row >= 0;
}

static double
thumb_edge (const AttnGridSpec *spec,
            double              cx,
            double              cy,
            int                 layer,
            int                 head,
            int                 axis,
            double              direction)
{
  double in = 0, out = 40;   /* offsets from the centre: inside, outside */

  for (int i = 0; i < 60; i++)
    {
      double mid = (in + out) / 2;
      double x = axis == 0 ? cx + direction * mid : cx, y = axis == 1 ? cy + direction * mid : cy;

      if (inside_thumb (spec, x, y, layer, head))
        in = mid;
      else
        out = mid;
    }
  return (axis == 0 ? cx : cy) + direction * out;
}

/* Issue 13: a grid thumbnail is its head max-pooled by the core to the
 * thumbnail's pixels, block by block: every pixel is the colour of the
 * strongest unmasked weight it covers (checked here against the full
 * weights), and drawing the grid leaves the trace holding no head (a
 * whole-head read would keep each one: 600 MB for GPT-2 small's 144 at
 * 1,024 tokens). */
static void
test_grid_thumbnails_pooled (void)
{
  g_autoptr(AttnResult) result = model_result ("tiny-f32", "The cat sat on the mat and the dog ran.");
  const AeTrace *trace = attn_result_get_trace (result);
  guint T = attn_result_get_n_tokens (result);
  guint L = attn_result_get_n_layers (result), NH = attn_result_get_n_heads (result);
  g_autofree float *w = g_new (float, (gsize) T * T);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 600, 400);
  cairo_t *cr = cairo_create (surface);
  AttnGridSpec spec;
  guint checked = 0;

  g_assert_cmpuint (T, >, 20);
  g_assert_null (trace->weights);   /* a linear trace: heads computed when asked */
  attn_grid_spec_init (&spec, result);
  spec.show_title = FALSE;
  spec.show_colorbar = FALSE;
  spec.thumb_size = 13;             /* fewer pixels than tokens: pooled */
  attn_render_grid (cr, &spec, 600, 400);
  cairo_surface_flush (surface);
  g_assert_cmpuint (ae_trace_heads_held (trace), ==, 0);

  for (guint layer = 0; layer < L; layer++)
    for (guint head = 0; head < NH; head++)
      {
        double cx = -1, cy = -1, x0, x1, y0, y1, thumb;
        guint size;
        g_autofree float *pooled = NULL;

        for (int y = 0; y < 400 && cx < 0; y++)
          for (int x = 0; x < 600 && cx < 0; x++)
            if (inside_thumb (&spec, x + 0.5, y + 0.5, layer, head))
              cx = x + 6.5, cy = y + 6.5;   /* about the middle */
        g_assert_cmpfloat (cx, >=, 0);
        g_assert_true (inside_thumb (&spec, cx, cy, layer, head));
        x0 = thumb_edge (&spec, cx, cy, layer, head, 0, -1);
        x1 = thumb_edge (&spec, cx, cy, layer, head, 0, +1);
        y0 = thumb_edge (&spec, cx, cy, layer, head, 1, -1);
        y1 = thumb_edge (&spec, cx, cy, layer, head, 1, +1);
        thumb = x1 - x0;
        g_assert_cmpfloat (fabs ((y1 - y0) - thumb), <, 1e-3);
        size = (guint) ceil (thumb - 1e-3);
        g_assert_cmpuint (size, <, T);

        /* the full head, row by row, max-pooled over the pixel's cells
         * [a·T/size, (a+1)·T/size); -1: every cell masked */
        g_assert_true (attn_result_get_head_rows (result, layer, head, 0, T, w, NULL));
        pooled = direct_max_pool (w, T, size);
        checked += check_pooled_pixels (surface, x0, y0, thumb, 1.5, pooled, size);
      }
  g_assert_cmpuint (checked, >, L * NH * 40);
  g_assert_cmpuint (ae_trace_heads_held (trace), ==, 0);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* Long inputs drawn smaller than a pixel per cell keep that column
 * wherever it falls, in the heatmap and in a grid thumbnail alike. */
static void
test_long_input_keeps_strong_column (void)
{
  guint32 color = attn_colormap_lookup_argb (ATTN_COLORMAP_VIRIDIS, 0.95);

  for (guint strong = 3; strong < 13; strong++)
    {
      g_autoptr(AttnResult) result = strong_column_result (strong);
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 500, 500);
      cairo_t *cr = cairo_create (surface);
      AttnHeatmapSpec heatmap;
      AttnGridSpec grid;

      attn_grid_spec_init (&grid, result);
      grid.show_colorbar = FALSE;
      attn_render_grid (cr, &grid, 500, 500);
      g_assert_cmpuint (count_pixels_near (surface, color), >, 100);

      attn_heatmap_spec_init (&heatmap, result, 0, 0);
      heatmap.show_colorbar = FALSE;
      attn_render_heatmap (cr, &heatmap, 500, 500);
      g_assert_cmpuint (count_pixels_near (surface, color), >, 200);

      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
}

/* Frame times on large inputs (-m perf): drawing, not building images. */
static void
test_heatmap_timing (void)
{
  const guint lengths[] = { 256, 1024 };

  if (!g_test_perf ())
    {
      g_test_skip ("run with -m perf");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      g_autoptr(AttnResult) result = synthetic_result (1, 1, lengths[i]);
      g_autoptr(AttnRenderCache) cache = attn_render_cache_new ();
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1000, 1000);
      cairo_t *cr = cairo_create (surface);
      AttnHeatmapSpec spec;
      const int frames = 30;
      gint64 start;
      double cold, warm, zoomed;

      attn_heatmap_spec_init (&spec, result, 0, 0);
      spec.query = lengths[i] / 2;
      spec.key = lengths[i] / 4;

      start = g_get_monotonic_time ();
      for (int f = 0; f < frames; f++)
        attn_render_heatmap (cr, &spec, 1000, 1000);
      cold = (g_get_monotonic_time () - start) / 1000.0 / frames;

      spec.cache = cache;
      attn_render_heatmap (cr, &spec, 1000, 1000);
      start = g_get_monotonic_time ();
      for (int f = 0; f < frames; f++)
        {
          spec.hover_query = f;
          spec.hover_key = f / 2;
          attn_render_heatmap (cr, &spec, 1000, 1000);
        }
      warm = (g_get_monotonic_time () - start) / 1000.0 / frames;

      spec.cell_size = 16;
      start = g_get_monotonic_time ();
      for (int f = 0; f < frames; f++)
        {
          spec.scroll_x = spec.scroll_y = f * 37;
          attn_render_heatmap (cr, &spec, 1000, 1000);
        }
      zoomed = (g_get_monotonic_time () - start) / 1000.0 / frames;

      g_test_message ("heatmap %u tokens, 1000 x 1000 px: %.2f ms/frame uncached, %.2f ms cached, %.2f ms zoomed (16 px cells)",
                      lengths[i], cold, warm, zoomed);
      g_test_minimized_result (warm, "heatmap %u tokens: %.2f ms/frame", lengths[i], warm);

      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
}

/* Find heads: the ranking agrees with the weights read directly, and the
 * model view's first panel, top left, is the strongest head. */
static void
test_model_ranked (void)
{
  g_autoptr(AttnResult) result = fixture_result ();
  guint L = attn_result_get_n_layers (result), H = attn_result_get_n_heads (result);
  guint T = attn_result_get_n_tokens (result);
  guint q = T - 1, k = 2, n = 0;
  g_autofree AttnHeadRank *rank = attn_head_rank_new (result, q, k, &n);
  float best = -1;
  guint best_l = 0, best_h = 0;
  AttnModelSpec spec;
  cairo_surface_t *surface;
  cairo_t *cr;
  int layer = -1, head = -1;
  double width, height;

  g_assert_nonnull (rank);
  g_assert_cmpuint (n, ==, L * H);
  for (guint l = 0; l < L; l++)
    for (guint h = 0; h < H; h++)
      {
        float w = attn_result_get_weights (result, l, h)[q * T + k];

        if (w > best)
          best = w, best_l = l, best_h = h;
      }
  g_assert_cmpuint (rank[0].layer, ==, best_l);
  g_assert_cmpuint (rank[0].head, ==, best_h);
  g_assert_cmpfloat (rank[0].weight, ==, best);
  for (guint i = 1; i < n; i++)
    {
      g_assert_cmpfloat (rank[i - 1].weight, >=, rank[i].weight);
      g_assert_cmpfloat (rank[i].weight, ==,
                         attn_result_get_weights (result, rank[i].layer, rank[i].head)[q * T + k]);
    }
  g_assert_null (attn_head_rank_new (result, 1, 2, NULL));   /* key after the query */

  attn_model_spec_init (&spec, result);
  spec.query = q;
  spec.key = k;
  attn_model_get_natural_size (&spec, &width, &height);
  g_assert_cmpfloat (width, >, 0);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 800, 600);
  cr = cairo_create (surface);
  attn_render_model (cr, &spec, 800, 600);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  /* Top-left panel: the best head; without a key, layer 0 head 0. */
  g_assert_true (attn_model_hit_test (&spec, 800, 600, 40, 130, &layer, &head));
  g_assert_cmpint (layer, ==, best_l);
  g_assert_cmpint (head, ==, best_h);
  spec.key = -1;
  g_assert_true (attn_model_hit_test (&spec, 800, 600, 40, 130, &layer, &head));
  g_assert_cmpint (layer, ==, 0);
  g_assert_cmpint (head, ==, 0);
  g_assert_false (attn_model_hit_test (&spec, 800, 600, 2, 2, &layer, &head));
}

/* 12 heads at 800 tokens in 1,000 px: the panels fit the width (bars of at
 * least 0.5 px made them 400 px wide, the view centred on heads 4 to 7 and
 * the others out of reach), and a pixel column shows the strongest of its
 * keys: head 0's sink on token 0 is drawn in its colour. */
static void
test_model_long (void)
{
  g_autoptr(AttnResult) result = synthetic_result (1, 12, 800);
  guint T = attn_result_get_n_tokens (result);
  const float *w = attn_result_get_weights (result, 0, 0);
  guint32 sink = attn_colormap_lookup_argb (ATTN_COLORMAP_VIRIDIS, attn_scale_apply (ATTN_SCALE_LINEAR, w[(gsize) (T - 1) * T]));
  AttnModelSpec spec;
  cairo_surface_t *surface;
  cairo_t *cr;
  int layer = -1, head = -1;
  guint n_sink = 0;

  attn_model_spec_init (&spec, result);
  spec.query = T - 1;
  g_assert_true (attn_model_hit_test (&spec, 1000, 400, 30, 250, &layer, &head));
  g_assert_cmpint (head, ==, 0);
  g_assert_true (attn_model_hit_test (&spec, 1000, 400, 968, 250, &layer, &head));
  g_assert_cmpint (head, ==, 11);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1000, 400);
  cr = cairo_create (surface);
  attn_render_model (cr, &spec, 1000, 400);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  for (int x = 0; x < 60; x++)
    for (int y = 0; y < 400; y++)
      n_sink += pixel_distance (surface_pixel (surface, x, y), sink) <= 3;
  g_test_message ("%u pixels in the sink's colour", n_sink);
  g_assert_cmpuint (n_sink, >=, 50);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/attention/render/colormap-tables", test_colormap_tables);
  g_test_add_func ("/attention/render/token-labels", test_token_labels);
  g_test_add_func ("/attention/render/title", test_title);
  g_test_add_func ("/attention/render/model-ranked", test_model_ranked);
  g_test_add_func ("/attention/render/model-long", test_model_long);
  g_test_add_func ("/attention/render/heatmap-pixels", test_heatmap_pixels);
  g_test_add_func ("/attention/render/dark-zero-cells", test_dark_zero_cells);
  g_test_add_func ("/attention/render/grid-hover-row", test_grid_hover_row);
  g_test_add_func ("/attention/render/heatmap-pixels-cached", test_heatmap_pixels_cached);
  g_test_add_func ("/attention/render/heatmap-selection", test_heatmap_selection);
  g_test_add_func ("/attention/render/heatmap-values", test_heatmap_values);
  g_test_add_func ("/attention/render/heatmap-hit-test", test_heatmap_hit_test);
  g_test_add_func ("/attention/render/heatmap-natural-size", test_heatmap_natural_size);
  g_test_add_func ("/attention/render/heatmap-long", test_heatmap_long);
  g_test_add_func ("/attention/render/heatmap-tiles", test_heatmap_tiles);
  g_test_add_func ("/attention/render/heatmap-pinned-labels", test_heatmap_pinned_labels);
  g_test_add_func ("/attention/render/heatmap-overview", test_heatmap_overview);
  g_test_add_func ("/attention/render/heatmap-pooled-new-result", test_heatmap_pooled_new_result);
  g_test_add_func ("/attention/render/arcs-hit-test", test_arcs_hit_test);
  g_test_add_func ("/attention/render/arcs-no-query", test_arcs_no_query);
  g_test_add_func ("/attention/render/arcs-links-modes", test_arcs_links_modes);
  g_test_add_func ("/attention/render/arcs-hit-chip-only", test_arcs_hit_chip_only);
  g_test_add_func ("/attention/render/arcs-short-fills-width", test_arcs_short_fills_width);
  g_test_add_func ("/attention/render/arcs-self-loop", test_arcs_self_loop);
  g_test_add_func ("/attention/render/grid-144-heads", test_grid_144_heads);
  g_test_add_func ("/attention/render/grid-thumbnails-pooled", test_grid_thumbnails_pooled);
  g_test_add_func ("/attention/render/long-input-keeps-strong-column", test_long_input_keeps_strong_column);
  g_test_add_func ("/attention/render/heatmap-timing", test_heatmap_timing);

  return g_test_run ();
}
