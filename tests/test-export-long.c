/* test-export-long.c — figures of long texts: sizes that stay reasonable
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A 1,024-token heatmap as SVG and PDF draws its cells as one embedded
 * image and its labels as text, so the file is a few hundred KB, not the
 * megabytes of a million rectangles; a PNG larger than cairo's 32,767
 * pixels a side is refused with a message that says so and leaves no
 * file; the default PNG of 4,096 tokens is a scaled figure of sane size.
 */

#define _GNU_SOURCE   /* memmem */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "attn-export.h"
#include "render-fixture.h"

/* Real attention is noisier than the fixture's smooth rows, and noise is
 * what makes an embedded image big: a weight of pseudo-random jitter on
 * every cell. */
static AttnResult *
noisy_result (guint n_tokens)
{
  AttnResult *result = synthetic_result (1, 1, n_tokens);
  float *w = (float *) attn_result_get_weights (result, 0, 0);
  guint32 seed = 1;

  for (gsize q = 0; q < n_tokens; q++)
    for (gsize k = 0; k <= q; k++)
      {
        seed = seed * 1664525u + 1013904223u;
        w[q * n_tokens + k] = CLAMP (w[q * n_tokens + k] + (seed >> 8) / (double) (1u << 24) * 0.05, 0, 1);
      }
  return result;
}

static char *
export_to (AttnResult              *result,
           const AttnFigureOptions *options,
           const char              *dir,
           const char              *name,
           gsize                   *size)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (attn_export_figure (result, options, path, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, size, NULL));
  g_unlink (path);
  return contents;
}

/* Occurrences of @needle in @length bytes that may hold NULs (a PDF). */
static guint
count (const char *haystack,
       gsize       length,
       const char *needle)
{
  gsize n_needle = strlen (needle);
  const char *end = haystack + length;
  guint n = 0;

  for (const char *p = haystack; (p = memmem (p, end - p, needle, n_needle)) != NULL; p++)
    n++;
  return n;
}

static void
test_vector_sizes (void)
{
  g_autoptr(AttnResult) result = noisy_result (1024);
  g_autofree char *dir = g_dir_make_tmp ("attn-export-long-XXXXXX", NULL);
  g_autofree char *svg = NULL;
  g_autofree char *pdf = NULL;
  AttnFigureOptions options;
  gsize svg_size, pdf_size;
  guint texts;

  attn_figure_options_init (&options);
  options.query = 700;
  options.key = 3;
  svg = export_to (result, &options, dir, "long.svg", &svg_size);
  pdf = export_to (result, &options, dir, "long.pdf", &pdf_size);
  g_rmdir (dir);
  g_test_message ("1024 tokens: SVG %" G_GSIZE_FORMAT " bytes, PDF %" G_GSIZE_FORMAT " bytes", svg_size, pdf_size);

  /* Cells: one embedded image, not a rectangle each. */
  g_assert_cmpuint (count (svg, svg_size, "<image"), ==, 1);
  g_assert_cmpuint (count (svg, svg_size, "<rect"), <, 50);
  g_assert_cmpuint (count (pdf, pdf_size, "/Subtype /Image"), ==, 1);

  /* Labels: real text, thinned to what fits (not all 2 × 1,024). */
  texts = count (svg, svg_size, "<text");
  g_assert_cmpuint (texts, >, 20);
  g_assert_cmpuint (texts, <, 600);
  g_assert_cmpuint (count (pdf, pdf_size, "/Font"), >, 0);

  /* A million rectangles would be tens of MB; measured 1.1 MB and 0.45 MB. */
  g_assert_cmpuint (svg_size, <, 2 * 1024 * 1024);
  g_assert_cmpuint (pdf_size, <, 1024 * 1024);
}

static void
test_png_limits (void)
{
  g_autoptr(AttnResult) result = synthetic_result (1, 1, 4096);
  g_autofree char *dir = g_dir_make_tmp ("attn-export-long-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "huge.png", NULL);
  g_autofree char *png = NULL;
  g_autoptr(GError) error = NULL;
  AttnFigureOptions options;
  double width, height;
  gsize size;

  /* One pixel a cell would be 4,096 px of cells; 8 px a cell 32,768 and
   * more: past cairo's limit, refused by name, nothing written. */
  attn_figure_options_init (&options);
  options.width = 4096 * 8 + 400;
  g_assert_false (attn_export_figure (result, &options, path, NULL, &error));
  g_assert_error (error, ATTN_EXPORT_ERROR, ATTN_EXPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "32767"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  options.width = 20000;
  options.png_scale = 2;
  g_assert_false (attn_export_figure (result, &options, path, NULL, &error));
  g_assert_error (error, ATTN_EXPORT_ERROR, ATTN_EXPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "too large"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* The default: a scaled figure (cells under a pixel, max-pooled), not
   * a 4,096-cell-wide one; the dialog's scale gives each cell a pixel. */
  attn_figure_options_init (&options);
  attn_figure_get_size (result, &options, &width, &height);
  g_assert_cmpfloat (width, <, 2400);
  g_assert_cmpfloat (height, <, 2400);
  g_assert_cmpuint (attn_figure_get_pixel_scale (result, &options), ==, 3);
  options.png_scale = attn_figure_get_pixel_scale (result, &options);
  png = export_to (result, &options, dir, "long.png", &size);
  g_assert_cmpuint (size, >, 1000);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/attention/export-long/vector-sizes", test_vector_sizes);
  g_test_add_func ("/attention/export-long/png-limits", test_png_limits);

  return g_test_run ();
}
