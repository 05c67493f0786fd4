/* test-derived.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the app's difference (Δ) and rollout views show, against the numpy
 * reference (tests/fixtures/delta-tiny-f32.json, made by
 * tools/reference/make_delta_fixtures.py from a text tokenized in Python):
 * the intact run behind an ablated one, Δ of every head, the Δ
 * log-probability of the intact top prediction at every position, rollout
 * (whole and row); then how the Δ map colours its cells (zero neutral,
 * positive red, negative blue), its figures and its values files.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "attn-derived.h"
#include "attn-engine.h"
#include "attn-export.h"
#include "attn-matrix-values.h"
#include "attn-predictions.h"
#include "attn-render-compare.h"

#define TOLERANCE 1e-5
#include "fixture-compare.h"

typedef struct
{
  json_t     *root;
  AttnEngine *engine;
  AttnResult *ablated;
  AttnResult *intact;
  bool       *heads;
} Fixture;

static void
intact_done_cb (GObject      *source,
                GAsyncResult *async_result,
                gpointer      user_data)
{
  Fixture *f = user_data;
  g_autoptr(GError) error = NULL;

  f->intact = attn_result_run_intact_finish (async_result, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *dir = model_path ("tiny-f32");
  g_autoptr(GError) error = NULL;
  json_t *ids, *heads;
  AeAblation ablation;
  AttnRunOptions options = { .truncate = TRUE };
  guint L, NH;
  AeError ae_error = { 0 };
  g_autoptr(GString) spec = g_string_new (NULL);

  f->root = load_json_fixture ("delta", "tiny-f32");
  f->engine = attn_engine_new (dir, NULL, &error);
  g_assert_no_error (error);
  L = attn_engine_get_n_layers (f->engine);
  NH = attn_engine_get_n_heads (f->engine);

  heads = json_object_get (f->root, "heads");
  for (size_t i = 0; i < json_array_size (heads); i++)
    g_string_append_printf (spec, "%s%s", i ? "," : "", json_string_value (json_array_get (heads, i)));
  f->heads = g_new0 (bool, L * NH);
  g_assert_cmpint (ae_ablation_parse (spec->str, L, NH, f->heads, &ae_error), ==, AE_STATUS_OK);
  ablation = (AeAblation) { AE_ABLATION_ZERO, L, NH, f->heads };
  g_assert_cmpstr (json_string_value (json_object_get (f->root, "kind")), ==, "zero");
  options.ablation = &ablation;
  f->ablated = attn_engine_run_options (f->engine, json_string_value (json_object_get (f->root, "text")),
                                        &options, NULL, &error);
  g_assert_no_error (error);

  /* the engine's tokens are the Python encoder's */
  ids = json_object_get (f->root, "ids");
  g_assert_cmpuint (attn_result_get_n_tokens (f->ablated), ==, json_array_size (ids));
  for (guint t = 0; t < json_array_size (ids); t++)
    g_assert_cmpint (attn_result_get_token_id (f->ablated, t), ==, json_integer_value (json_array_get (ids, t)));

  attn_result_run_intact_async (f->ablated, NULL, intact_done_cb, f);
  while (f->intact == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->ablated, attn_result_unref);
  g_clear_pointer (&f->intact, attn_result_unref);
  g_clear_object (&f->engine);
  g_free (f->heads);
  json_decref (f->root);
}

static json_t *
head_of (json_t *weights,
         guint   layer,
         guint   head)
{
  return json_array_get (json_array_get (weights, layer), head);
}

/* The intact run holds the same tokens, switches nothing off, and both
 * runs' weights are the reference's. */
static void
test_intact_run (Fixture       *f,
                 gconstpointer  data)
{
  guint L = attn_result_get_n_layers (f->ablated), NH = attn_result_get_n_heads (f->ablated);
  guint T = attn_result_get_n_tokens (f->ablated);

  g_assert_true (attn_results_same_tokens (f->ablated, f->intact));
  g_assert_null (attn_result_get_ablation (f->intact));
  g_assert_nonnull (attn_result_get_ablation (f->ablated));
  for (guint l = 0; l < L; l++)
    for (guint h = 0; h < NH; h++)
      {
        check_tensor ("intact", attn_result_get_weights (f->intact, l, h),
                      head_of (json_object_get (f->root, "intact_weights"), l, h), (gsize) T * T);
        check_tensor ("ablated", attn_result_get_weights (f->ablated, l, h),
                      head_of (json_object_get (f->root, "ablated_weights"), l, h), (gsize) T * T);
      }
}

/* Δ of every head against the reference's ablated − intact: layer 0's
 * own weights do not depend on its heads' outputs (exactly 0), layer 1's
 * do (not all 0). */
static void
test_delta (Fixture       *f,
            gconstpointer  data)
{
  guint L = attn_result_get_n_layers (f->ablated), NH = attn_result_get_n_heads (f->ablated);
  guint T = attn_result_get_n_tokens (f->ablated);
  double most[2] = { 0, 0 };
  g_autoptr(GError) error = NULL;

  for (guint l = 0; l < L; l++)
    for (guint h = 0; h < NH; h++)
      {
        g_autofree float *delta = attn_result_dup_delta (f->ablated, f->intact, l, h, &error);

        g_assert_no_error (error);
        check_tensor ("delta", delta, head_of (json_object_get (f->root, "delta"), l, h), (gsize) T * T);
        for (gsize i = 0; i < (gsize) T * T; i++)
          most[MIN (l, 1)] = MAX (most[MIN (l, 1)], fabs (delta[i]));
        for (guint q = 0; q < T; q++)
          for (guint k = q + 1; k < T; k++)
            g_assert_cmpfloat (delta[(gsize) q * T + k], ==, 0);
      }
  g_assert_cmpfloat (most[0], ==, 0);
  g_assert_cmpfloat (most[1], >, 1e-3);

  /* the other way round is the negative; other tokens cannot be compared */
  {
    g_autofree float *a = attn_result_dup_delta (f->ablated, f->intact, 1, 0, NULL);
    g_autofree float *b = attn_result_dup_delta (f->intact, f->ablated, 1, 0, NULL);
    g_autoptr(AttnResult) other = attn_engine_run (f->engine, "A dog", TRUE, NULL, NULL);

    for (gsize i = 0; i < (gsize) T * T; i++)
      g_assert_cmpfloat (a[i], ==, -b[i]);
    g_assert_null (attn_result_dup_delta (f->ablated, other, 0, 0, &error));
    g_assert_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_null (attn_result_dup_delta (f->ablated, f->intact, L, 0, &error));
    g_assert_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID);
  }
}

/* The intact top prediction at every position and its log-probability
 * intact and with the heads off. */
static void
test_top_logprob (Fixture       *f,
                  gconstpointer  data)
{
  guint T = attn_result_get_n_tokens (f->ablated);
  json_t *ids = json_object_get (f->root, "top_ids");
  json_t *before = json_object_get (f->root, "top_logprob_intact");
  json_t *after = json_object_get (f->root, "top_logprob_ablated");
  gboolean changed = FALSE;

  for (guint t = 0; t < T; t++)
    {
      g_autoptr(GError) error = NULL;
      gint32 id;
      double a, b;

      g_assert_true (attn_results_top_logprob_delta (f->ablated, f->intact, t, &id, &a, &b, &error));
      g_assert_no_error (error);
      g_assert_cmpint (id, ==, json_integer_value (json_array_get (ids, t)));
      g_assert_cmpfloat_with_epsilon (a, json_number_value (json_array_get (before, t)), 1e-4);
      g_assert_cmpfloat_with_epsilon (b, json_number_value (json_array_get (after, t)), 1e-4);
      changed |= fabs (a - b) > 1e-3;
    }
  g_assert_true (changed);
}

static void
test_rollout (Fixture       *f,
              gconstpointer  data)
{
  AttnResult *results[2] = { f->intact, f->ablated };
  const char *names[2] = { "rollout_intact", "rollout_ablated" };
  guint T = attn_result_get_n_tokens (f->ablated);

  for (guint r = 0; r < 2; r++)
    {
      const AeTrace *trace = attn_result_get_trace (results[r]);
      size_t held = ae_trace_heads_held (trace);
      g_autofree float *rollout = attn_result_dup_rollout (results[r], NULL);
      json_t *ref = json_object_get (f->root, names[r]);

      check_tensor (names[r], rollout, ref, (gsize) T * T);
      for (guint q = 0; q < T; q++)
        {
          g_autofree float *row = attn_result_dup_rollout_row (results[r], q, NULL);

          check_tensor ("row", row, json_array_get (ref, q), T);
        }
      /* Issue 13: of a linear trace (the app's) the rollout goes head by
       * head and keeps none: keeping them was L·H·T² floats, 1.15 GB of
       * GPT-2 small at 1,000 tokens. */
      g_assert_null (trace->weights);
      g_assert_cmpuint (ae_trace_heads_held (trace), ==, held);
    }
}

static void
test_limit (void)
{
  const float a[] = { 0.0f, -0.003f, 0.001f };
  const float b[] = { 0.15f, -0.3f };
  const float c[] = { 0.0f };
  const float d[] = { -1.0f, 0.2f };

  g_assert_cmpfloat (attn_delta_limit (a, G_N_ELEMENTS (a)), ==, 0.01);
  g_assert_cmpfloat (attn_delta_limit (b, G_N_ELEMENTS (b)), ==, 0.5);
  g_assert_cmpfloat (attn_delta_limit (c, G_N_ELEMENTS (c)), ==, 0.01);
  g_assert_cmpfloat (attn_delta_limit (d, G_N_ELEMENTS (d)), ==, 1.0);
}

static guint32
rgb (AttnRgba c)
{
  return ((guint32) lround (c.r * 255) << 16) | ((guint32) lround (c.g * 255) << 8) | (guint32) lround (c.b * 255);
}

/* RdBu reversed: ColorBrewer's ends and centre, zero exactly neutral. */
static void
test_diverging_map (void)
{
  g_assert_cmphex (rgb (attn_colormap_lookup (ATTN_COLORMAP_DIVERGING, 0.0)), ==, 0x053061);
  g_assert_cmphex (rgb (attn_colormap_lookup (ATTN_COLORMAP_DIVERGING, 1.0)), ==, 0x67001f);
  g_assert_cmphex (rgb (attn_colormap_lookup (ATTN_COLORMAP_DIVERGING, 0.5)), ==, 0xf7f7f7);
  g_assert_cmphex (rgb (attn_colormap_lookup (ATTN_COLORMAP_DIVERGING, 0.499)), ==, 0xf7f7f7);
  g_assert_cmphex (attn_colormap_lookup_argb (ATTN_COLORMAP_DIVERGING, 0.5), ==, 0xfff7f7f7);
  for (double t = 0.0; t < 0.49; t += 0.05)
    {
      AttnRgba lo = attn_colormap_lookup (ATTN_COLORMAP_DIVERGING, t);
      AttnRgba hi = attn_colormap_lookup (ATTN_COLORMAP_DIVERGING, 1.0 - t);

      g_assert_cmpfloat (lo.b, >, lo.r);
      g_assert_cmpfloat (hi.r, >, hi.b);
    }
  /* not a map for weights */
  {
    AttnColormap map;

    g_assert_false (attn_colormap_from_string ("diverging", &map));
  }
}

static guint32
pixel_at (cairo_surface_t *surface,
          double           x,
          double           y)
{
  guchar *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  return ((guint32 *) (data + (int) y * stride))[(int) x] & 0xffffff;
}

/* The Δ map: every cell of a layer-0 head (Δ = 0) neutral, the strongest
 * positive and negative cells of a layer-1 head red and blue, in light
 * and dark themes. */
static void
test_delta_colours (Fixture       *f,
                    gconstpointer  data)
{
  guint T = attn_result_get_n_tokens (f->ablated);

  for (int dark = 0; dark < 2; dark++)
    for (guint layer = 0; layer < 2; layer++)
      {
        cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 600, 600);
        cairo_t *cr = cairo_create (surface);
        g_autofree float *delta = attn_result_dup_delta (f->ablated, f->intact, layer, 0, NULL);
        AttnHeatmapSpec spec;
        gsize lo = 0, hi = 0;

        for (gsize i = 0; i < (gsize) T * T; i++)
          {
            if (delta[i] < delta[lo])
              lo = i;
            if (delta[i] > delta[hi])
              hi = i;
          }
        attn_heatmap_spec_init (&spec, f->ablated, layer, 0);
        spec.theme = attn_theme_get_default (dark);
        spec.matrix = delta;
        spec.limit = attn_delta_limit (delta, (gsize) T * T);
        attn_render_heatmap (cr, &spec, 600, 600);
        cairo_surface_flush (surface);

        for (guint q = 0; q < T; q++)
          for (guint k = 0; k <= q; k++)
            {
              cairo_rectangle_t rect;
              guint32 px;
              gsize i = (gsize) q * T + k;

              g_assert_true (attn_heatmap_get_cell_rect (&spec, 600, 600, q, k, &rect));
              px = pixel_at (surface, rect.x + rect.width / 2, rect.y + rect.height / 2);
              if (layer == 0)
                g_assert_cmphex (px, ==, 0xf7f7f7);
              else if (i == hi)
                g_assert_cmpuint (px >> 16, >, (px & 0xff) + 60);   /* red */
              else if (i == lo && delta[lo] < -spec.limit / 4)
                g_assert_cmpuint (px & 0xff, >, (px >> 16) + 30);   /* blue */
            }
        cairo_destroy (cr);
        cairo_surface_destroy (surface);
      }
}

/* Compare's B − A draws on the same diverging map as the Δ heatmap: with
 * A the ablated run and B the intact one, a layer-0 head (no change) is
 * the map's neutral centre in light and dark themes alike, and the cell
 * where the heads off raised the weight most (B − A most negative) blue. */
static void
test_compare_colours (Fixture       *f,
                      gconstpointer  data)
{
  guint T = attn_result_get_n_tokens (f->ablated);
  const int size = 700;

  for (int dark = 0; dark < 2; dark++)
    for (guint layer = 0; layer < 2; layer++)
      {
        cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, size, size);
        cairo_t *cr = cairo_create (surface);
        g_autofree float *delta = attn_result_dup_delta (f->ablated, f->intact, layer, 0, NULL);
        AttnCompareSpec spec;
        int x0 = size, x1 = -1, y0 = size, y1 = -1, a, b;
        double cell;
        gsize hi = 0;

        for (gsize i = 0; i < (gsize) T * T; i++)
          if (delta[i] > delta[hi])
            hi = i;
        attn_compare_spec_init (&spec, f->ablated, f->intact, layer, 0);
        spec.delta = TRUE;
        spec.theme = attn_theme_get_default (dark);
        attn_render_compare (cr, &spec, size, size);
        cairo_surface_flush (surface);

        /* the map's rows from the hit test, its columns from the pixels
         * of the first row that are not the background */
        for (int y = 0; y < size; y++)
          if (attn_compare_hit_test (&spec, size, size, size / 2.0, y + 0.5, &a, &b))
            y0 = MIN (y0, y), y1 = MAX (y1, y);
        g_assert_cmpint (y1, >, y0);
        cell = (y1 - y0 + 1) / (double) T;
        for (int x = 0; x < size; x++)
          if (pixel_at (surface, x, y0 + cell / 2) == 0xf7f7f7)
            x0 = MIN (x0, x), x1 = MAX (x1, x);
        g_assert_cmpint (x0, <, x1);
        if (!dark && layer == 0)
          g_assert_cmpfloat (fabs ((x1 - x0 + 1) - cell), <, 2.0);   /* the first row's one cell */

        for (guint q = 0; q < T; q++)
          for (guint k = 0; k <= q; k++)
            {
              guint32 px = pixel_at (surface, x0 + (k + 0.5) * cell, y0 + (q + 0.5) * cell);

              if (layer == 0)
                g_assert_cmphex (px, ==, 0xf7f7f7);
              else if ((gsize) q * T + k == hi)
                g_assert_cmpuint (px & 0xff, >, (px >> 16) + 30);   /* blue */
            }
        cairo_destroy (cr);
        cairo_surface_destroy (surface);
      }
}

/* Pixels of the strike's red (GNOME red 3, light theme) in @result's grid. */
static guint
count_red (AttnResult *result)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 500, 400);
  cairo_t *cr = cairo_create (surface);
  AttnGridSpec spec;
  guint n = 0;

  attn_grid_spec_init (&spec, result);
  attn_render_grid (cr, &spec, 500, 400);
  cairo_surface_flush (surface);
  for (int y = 0; y < 400; y++)
    for (int x = 0; x < 500; x++)
      {
        guint32 px = pixel_at (surface, x, y);

        if ((px >> 16) > 200 && ((px >> 8) & 0xff) < 60 && (px & 0xff) < 70)
          n++;
      }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return n;
}

/* The grid marks the switched-off heads, on screen and in its exports
 * alike (it reads the result's ablation): the intact run's grid has no
 * red strike, the ablated one's two. */
static void
test_grid_marks (Fixture       *f,
                 gconstpointer  data)
{
  g_assert_cmpuint (count_red (f->intact), ==, 0);
  g_assert_cmpuint (count_red (f->ablated), >, 100);
}

static char *
read_file (const char *path,
           gsize      *size)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, size, NULL));
  return contents;
}

/* The /Title cairo wrote into a PDF: <FEFF…> UTF-16BE hex when it is not
 * ASCII (as here, with "Δ"). */
static char *
pdf_title (const char *pdf,
           gsize       size)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  const char *start = NULL;

  /* the file has binary streams: search every byte, NULs included */
  for (gsize i = 0; start == NULL && i + 8 <= size; i++)
    if (memcmp (pdf + i, "/Title <", 8) == 0)
      start = pdf + i;
  g_assert_nonnull (start);
  start += 8;
  for (const char *p = start; g_ascii_isxdigit (p[0]) && g_ascii_isxdigit (p[1]); p += 2)
    {
      guint8 b = (guint8) (g_ascii_xdigit_value (p[0]) * 16 + g_ascii_xdigit_value (p[1]));

      g_byte_array_append (bytes, &b, 1);
    }
  g_assert_cmpuint (bytes->len, >=, 2);
  g_assert_true (bytes->data[0] == 0xfe && bytes->data[1] == 0xff);
  return g_convert ((const char *) bytes->data + 2, bytes->len - 2, "UTF-8", "UTF-16BE", NULL, NULL, NULL);
}

/* Δ and rollout figures: every format, Δ and "rollout" in the PDF's title
 * and the SVG's text; a Δ figure without the intact run is refused. */
static void
test_figures (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("test-derived-XXXXXX", NULL);
  const char *exts[] = { "png", "svg", "pdf" };
  AttnFigureOptions options;
  g_autoptr(GError) error = NULL;

  attn_figure_options_init (&options);
  options.view = ATTN_VIEW_DELTA;
  options.layer = 1;
  options.head = 0;
  options.query = 3;
  options.intact = f->intact;
  for (guint i = 0; i < G_N_ELEMENTS (exts); i++)
    {
      g_autofree char *name = g_strdup_printf ("delta.%s", exts[i]);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize size;

      g_assert_true (attn_export_figure (f->ablated, &options, path, NULL, &error));
      g_assert_no_error (error);
      contents = read_file (path, &size);
      if (i == 1)
        {
          g_assert_nonnull (strstr (contents, "Δ attention (heads off − intact)"));
          g_assert_nonnull (strstr (contents, "heads 0.1, 1.2 off (zero)"));
        }
      if (i == 2)
        {
          g_autofree char *title = pdf_title (contents, size);

          g_assert_true (g_str_has_prefix (title, "Δ attention (heads off − intact) · "));
          g_assert_nonnull (strstr (title, "heads 0.1, 1.2 off (zero)"));
        }
      g_assert_cmpuint (size, >, 100);
      g_unlink (path);
    }

  options.intact = NULL;
  {
    g_autofree char *path = g_build_filename (dir, "no-intact.png", NULL);

    g_assert_false (attn_export_figure (f->ablated, &options, path, NULL, &error));
    g_assert_error (error, ATTN_EXPORT_ERROR, ATTN_EXPORT_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }

  options.view = ATTN_VIEW_ROLLOUT;
  for (guint i = 0; i < G_N_ELEMENTS (exts); i++)
    {
      g_autofree char *name = g_strdup_printf ("rollout.%s", exts[i]);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize size;

      g_assert_true (attn_export_figure (f->intact, &options, path, NULL, &error));
      g_assert_no_error (error);
      contents = read_file (path, &size);
      g_assert_cmpuint (size, >, 100);
      if (i == 1)
        {
          g_assert_nonnull (strstr (contents, "Attention rollout"));
          g_assert_nonnull (strstr (contents, "not an explanation of the output"));
        }
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* Values: JSON holds Δ and both runs' weights as the reference's, CSV a
 * line per visible cell, NPY the first matrix. */
static void
test_values (Fixture       *f,
             gconstpointer  data)
{
  guint T = attn_result_get_n_tokens (f->ablated);
  g_autofree float *delta = attn_result_dup_delta (f->ablated, f->intact, 1, 0, NULL);
  AttnNamedMatrix matrices[] = {
    { "delta", delta },
    { "intact", attn_result_get_weights (f->intact, 1, 0) },
    { "ablated", attn_result_get_weights (f->ablated, 1, 0) },
  };
  json_t *extra = json_pack ("{s:i, s:i}", "layer", 1, "head", 0);
  g_autoptr(GError) error = NULL;

  for (AttnValuesFormat format = ATTN_VALUES_JSON; format <= ATTN_VALUES_NPY; format++)
    {
      g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
      const char *data_out;
      gsize size;

      g_assert_true (attn_matrix_values_write (f->ablated, matrices, G_N_ELEMENTS (matrices), ATTN_PAIR_FILTER_ALL, extra,
                                               format, out, NULL, &error));
      g_assert_no_error (error);
      g_output_stream_close (out, NULL, NULL);
      data_out = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out));
      size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));

      if (format == ATTN_VALUES_JSON)
        {
          json_error_t jerror;
          json_t *root = json_loadb (data_out, size, 0, &jerror);

          g_assert_nonnull (root);
          check_tensor ("json delta", delta, json_object_get (root, "delta"), (gsize) T * T);
          check_tensor ("json delta/ref", delta, head_of (json_object_get (f->root, "delta"), 1, 0), (gsize) T * T);
          check_tensor ("json intact", attn_result_get_weights (f->intact, 1, 0),
                        json_object_get (root, "intact"), (gsize) T * T);
          g_assert_cmpint (json_integer_value (json_object_get (root, "layer")), ==, 1);
          g_assert_cmpuint (json_array_size (json_object_get (root, "tokens")), ==, T);
          json_decref (root);
        }
      else if (format == ATTN_VALUES_CSV)
        {
          g_autofree char *text = g_strndup (data_out, size);
          g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

          g_assert_true (g_str_has_prefix (text, "query,key,query_token,key_token,delta,intact,ablated\n"));
          g_assert_cmpuint (g_strv_length (lines), ==, 1 + T * (T + 1) / 2 + 1);
        }
      else
        {
          g_assert_cmpuint (size, >, (gsize) T * T * 4);
          g_assert_cmpmem (data_out + size - (gsize) T * T * 4, (gsize) T * T * 4, delta, (gsize) T * T * 4);
        }
    }
  json_decref (extra);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/derived/intact-run", Fixture, NULL, fixture_setup, test_intact_run, fixture_teardown);
  g_test_add ("/derived/delta", Fixture, NULL, fixture_setup, test_delta, fixture_teardown);
  g_test_add ("/derived/top-logprob", Fixture, NULL, fixture_setup, test_top_logprob, fixture_teardown);
  g_test_add ("/derived/rollout", Fixture, NULL, fixture_setup, test_rollout, fixture_teardown);
  g_test_add_func ("/derived/limit", test_limit);
  g_test_add_func ("/derived/diverging-map", test_diverging_map);
  g_test_add ("/derived/delta-colours", Fixture, NULL, fixture_setup, test_delta_colours, fixture_teardown);
  g_test_add ("/derived/compare-colours", Fixture, NULL, fixture_setup, test_compare_colours, fixture_teardown);
  g_test_add ("/derived/grid-marks", Fixture, NULL, fixture_setup, test_grid_marks, fixture_teardown);
  g_test_add ("/derived/figures", Fixture, NULL, fixture_setup, test_figures, fixture_teardown);
  g_test_add ("/derived/values", Fixture, NULL, fixture_setup, test_values, fixture_teardown);

  return g_test_run ();
}
