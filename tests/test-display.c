/* test-display.c — readable maps despite attention sinks (attn-display.c)
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hand-computed rows: hiding a token takes its weight out and renormalises
 * the rest; row_max divides by the row's largest value; the log scale puts
 * 0.001, 0.01, 0.1 and 1 at 0, 1/3, 2/3 and 1.  Then the renderer: a hidden
 * column is painted in the masked colour and the rest in the colour of the
 * renormalised weight, and the title says what was done.
 */

#include "config.h"

#include <cairo.h>
#include <string.h>

#include "attn-display.h"
#include "render-fixture.h"

/* A causal 3 × 3 softmax-like matrix, rows summing to 1. */
static const float W[9] = {
  1.0f, 0.0f, 0.0f,
  0.8f, 0.2f, 0.0f,
  0.6f, 0.3f, 0.1f,
};

static void
check_row (const float *got,
           const float *want,
           guint        n)
{
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (got[i], want[i], 1e-6);
}

static void
test_identity (void)
{
  AttnDisplay d;
  float out[3];

  attn_display_init (&d);
  g_assert_true (attn_display_is_identity (&d));
  g_assert_true (attn_display_is_identity (NULL));

  attn_display_row (&d, W, 3, 2, out);
  check_row (out, (const float[]) { 0.6f, 0.3f, 0.1f }, 3);
  attn_display_row (&d, W, 3, 1, out);
  check_row (out, (const float[]) { 0.8f, 0.2f, -1 }, 3);   /* key after the query: masked */
}

static void
test_hide_first (void)
{
  AttnDisplay d;
  float out[3];

  attn_display_init (&d);
  g_assert_true (attn_display_set_hidden (&d, 0, TRUE));
  g_assert_false (attn_display_is_identity (&d));

  /* 0.3 / 0.4 and 0.1 / 0.4 */
  attn_display_row (&d, W, 3, 2, out);
  check_row (out, (const float[]) { -1, 0.75f, 0.25f }, 3);
  /* 0.2 / 0.2 */
  attn_display_row (&d, W, 3, 1, out);
  check_row (out, (const float[]) { -1, 1.0f, -1 }, 3);
  /* Row 0 is the hidden token itself: nothing shown. */
  attn_display_row (&d, W, 3, 0, out);
  check_row (out, (const float[]) { -1, -1, -1 }, 3);

  /* Hiding twice is once; showing it again is the identity. */
  g_assert_true (attn_display_set_hidden (&d, 0, TRUE));
  g_assert_cmpuint (d.n_hidden, ==, 1);
  g_assert_true (attn_display_set_hidden (&d, 0, FALSE));
  g_assert_true (attn_display_is_identity (&d));
}

static void
test_hide_two_and_row_max (void)
{
  AttnDisplay d;
  float out[3];

  attn_display_init (&d);
  d.row_max = TRUE;
  attn_display_row (&d, W, 3, 2, out);
  check_row (out, (const float[]) { 1.0f, 0.5f, 1.0f / 6 }, 3);

  /* Hide token 1 as well: row 2 keeps 0.6 and 0.1 → 6/7 and 1/7, then ÷ 6/7. */
  attn_display_set_hidden (&d, 1, TRUE);
  attn_display_row (&d, W, 3, 2, out);
  check_row (out, (const float[]) { 1.0f, -1, 1.0f / 6 }, 3);
  /* Row 1 is the hidden token's own: nothing shown. */
  attn_display_row (&d, W, 3, 1, out);
  check_row (out, (const float[]) { -1, -1, -1 }, 3);

  for (int i = 2; i < ATTN_DISPLAY_MAX_HIDDEN + 1; i++)
    g_assert_true (attn_display_set_hidden (&d, i, TRUE));
  g_assert_false (attn_display_set_hidden (&d, 100, TRUE));
}

static void
test_log_scale (void)
{
  AttnScale scale;

  g_assert_cmpfloat_with_epsilon (attn_scale_apply (ATTN_SCALE_LOG, 1.0), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (attn_scale_apply (ATTN_SCALE_LOG, 0.1), 2.0 / 3, 1e-12);
  g_assert_cmpfloat_with_epsilon (attn_scale_apply (ATTN_SCALE_LOG, 0.01), 1.0 / 3, 1e-12);
  g_assert_cmpfloat_with_epsilon (attn_scale_apply (ATTN_SCALE_LOG, 0.001), 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (attn_scale_apply (ATTN_SCALE_LOG, 1e-6), 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (attn_scale_apply (ATTN_SCALE_LOG, 0.0), 0.0, 1e-12);

  g_assert_true (attn_scale_from_string ("LOG", &scale));
  g_assert_cmpint (scale, ==, ATTN_SCALE_LOG);
  g_assert_true (attn_scale_from_string ("sqrt", &scale));
  g_assert_cmpint (scale, ==, ATTN_SCALE_SQRT);
  g_assert_false (attn_scale_from_string ("cubic", &scale));
}

/* The fixture's real head: every shown row sums to 1 again, in proportion. */
static void
test_real_head_renormalised (void)
{
  g_autoptr(AttnResult) result = fixture_result ();
  guint T = attn_result_get_n_tokens (result);
  const float *w = attn_result_get_weights (result, 1, 2);
  g_autofree float *out = g_new (float, T);
  AttnDisplay d;

  attn_display_init (&d);
  attn_display_set_hidden (&d, 0, TRUE);
  for (guint q = 1; q < T; q++)
    {
      double sum = 0, kept = 0;

      attn_display_row (&d, w, T, q, out);
      for (guint k = 1; k <= q; k++)
        kept += w[q * T + k];
      for (guint k = 1; k <= q; k++)
        {
          g_assert_cmpfloat_with_epsilon (out[k], w[q * T + k] / kept, 1e-5);
          sum += out[k];
        }
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-5);
      g_assert_cmpfloat (out[0], ==, -1);
    }
}

static void
test_render_hidden_column (void)
{
  g_autoptr(AttnResult) result = fixture_result ();
  guint T = attn_result_get_n_tokens (result);
  const float *w = attn_result_get_weights (result, 1, 2);
  g_autofree float *row = g_new (float, T);
  const int width = 480, height = 440;
  AttnHeatmapSpec spec;
  cairo_surface_t *surface;
  cairo_t *cr;
  g_autofree char *title = NULL;
  guint32 masked_pixel;

  attn_heatmap_spec_init (&spec, result, 1, 2);
  attn_display_set_hidden (&spec.display, 0, TRUE);
  spec.display.row_max = TRUE;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  attn_render_heatmap (cr, &spec, width, height);
  cairo_destroy (cr);

  /* Column 0 looks like a masked cell (row 0, column 1, which no hatch
   * line crosses at its centre in this size), never like a weight. */
  for (guint q = 1; q < T; q++)
    {
      cairo_rectangle_t rect;
      guint32 pixel;

      attn_display_row (&spec.display, w, T, q, row);
      g_assert_true (attn_heatmap_get_cell_rect (&spec, width, height, q, 0, &rect));
      pixel = surface_pixel (surface, (int) (rect.x + rect.width / 2), (int) (rect.y + rect.height / 2));
      if (q == 1)
        masked_pixel = pixel;
      else
        g_assert_cmpint (pixel_distance (pixel, masked_pixel), <=, 2);

      for (guint k = 1; k <= q; k++)
        {
          guint32 expected = attn_colormap_lookup_argb (ATTN_COLORMAP_VIRIDIS, row[k]);

          g_assert_true (attn_heatmap_get_cell_rect (&spec, width, height, q, k, &rect));
          pixel = surface_pixel (surface, (int) (rect.x + rect.width / 2), (int) (rect.y + rect.height / 2));
          if (pixel_distance (pixel, expected) > 2)
            g_error ("cell (%u, %u) shown %g: pixel %08x, expected %08x", q, k, row[k], pixel, expected);
        }
    }
  cairo_surface_destroy (surface);

  title = attn_render_dup_title_full (result, 1, 2, &spec.display, ATTN_SCALE_LOG);
  g_assert_nonnull (strstr (title, "hidden, rows renormalised"));
  g_assert_nonnull (strstr (title, "rows scaled to their maximum"));
  g_assert_nonnull (strstr (title, "log scale"));
  g_assert_true (g_str_has_suffix (title, "“The cat sat on the mat.”"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attention/display/identity", test_identity);
  g_test_add_func ("/attention/display/hide-first", test_hide_first);
  g_test_add_func ("/attention/display/hide-two-row-max", test_hide_two_and_row_max);
  g_test_add_func ("/attention/display/log-scale", test_log_scale);
  g_test_add_func ("/attention/display/real-head", test_real_head_renormalised);
  g_test_add_func ("/attention/display/render-hidden-column", test_render_hidden_column);

  return g_test_run ();
}
