/* test-export.c — figures as PNG, SVG and PDF, written atomically
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PNG files are read back with cairo and checked pixel by pixel; SVG is
 * parsed as XML (GMarkup, and xmllint when installed); PDF goes through
 * poppler's pdftotext and pdfinfo when installed (poppler-utils).
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attn-export.h"
#include "attn-export-task.h"
#include "attn-values.h"
#include "attn-predictions.h"
#include "ae-trace.h"
#include "render-fixture.h"

typedef struct
{
  char       *dir;
  AttnResult *result;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("attn-export-XXXXXX", &error);
  g_assert_no_error (error);
  f->result = fixture_result ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  attn_result_unref (f->result);
}

static guint
count_files (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Runs @argv and returns its standard output; skips the test when the
 * program is not installed. */
static char *
run_tool (const char * const *argv)
{
  g_autofree char *program = g_find_program_in_path (argv[0]);
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  if (program == NULL)
    return NULL;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

/* The "Pages:" and "Creator:" lines of pdfinfo's report. */
static guint
pdf_pages (const char *info)
{
  const char *line = strstr (info, "Pages:");

  g_assert_nonnull (line);
  return (guint) g_ascii_strtoull (line + strlen ("Pages:"), NULL, 10);
}

static void
test_png_size_and_pixels (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "heatmap.png", NULL);
  g_autoptr(GError) error = NULL;
  const float *weights = attn_result_get_weights (f->result, 1, 3);
  guint n_tokens = attn_result_get_n_tokens (f->result);
  AttnFigureOptions options;
  AttnHeatmapSpec spec;
  cairo_surface_t *png;

  attn_figure_options_init (&options);
  options.layer = 1;
  options.head = 3;
  options.query = 6;
  options.key = 2;
  options.width = 500;
  options.height = 420;
  options.png_scale = 2;
  g_assert_true (attn_export_figure (f->result, &options, path, NULL, &error));
  g_assert_no_error (error);

  png = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, 1000);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, 840);

  /* The same spec the exporter builds draws the same cells, at ×2. */
  attn_heatmap_spec_init (&spec, f->result, 1, 3);
  spec.query = 6;
  spec.key = 2;
  for (guint q = 0; q < n_tokens; q++)
    for (guint k = 0; k <= q; k++)
      {
        cairo_rectangle_t rect;
        guint32 pixel;

        g_assert_true (attn_heatmap_get_cell_rect (&spec, 500, 420, q, k, &rect));
        pixel = surface_pixel (png, (int) (2 * (rect.x + rect.width / 2)), (int) (2 * (rect.y + rect.height / 2)));
        g_assert_cmpint (pixel_distance (pixel, attn_colormap_lookup_argb (ATTN_COLORMAP_VIRIDIS,
                                                                           weights[q * n_tokens + k])), <=, 2);
      }
  cairo_surface_destroy (png);

  /* Nothing but the figure in the folder: no temporary left over. */
  g_assert_cmpuint (count_files (f->dir), ==, 1);
}

static void
test_png_default_size (Fixture       *f,
                       gconstpointer  data)
{
  const AttnView views[] = { ATTN_VIEW_HEATMAP, ATTN_VIEW_ARCS, ATTN_VIEW_GRID };

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      g_autofree char *path = g_build_filename (f->dir, "view.png", NULL);
      g_autoptr(GError) error = NULL;
      AttnFigureOptions options;
      cairo_surface_t *png;
      double w, h;

      attn_figure_options_init (&options);
      options.view = views[i];
      options.dark = TRUE;
      options.query = 5;
      attn_figure_get_size (f->result, &options, &w, &h);
      g_assert_true (attn_export_figure (f->result, &options, path, NULL, &error));
      g_assert_no_error (error);

      png = cairo_image_surface_create_from_png (path);
      g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
      g_assert_cmpint (cairo_image_surface_get_width (png), ==, (int) ceil (w));
      g_assert_cmpint (cairo_image_surface_get_height (png), ==, (int) ceil (h));
      g_assert_cmpint (cairo_image_surface_get_width (png), >=, 200);
      cairo_surface_destroy (png);

      /* Only the width given: the height follows the default's aspect. */
      options.width = 2 * w;
      {
        double h2;

        attn_figure_get_size (f->result, &options, NULL, &h2);
        g_assert_cmpfloat (fabs (h2 - 2 * h), <=, 1);
      }
    }
}

typedef struct
{
  GString *texts;
  gboolean in_text;
} SvgParse;

static void
svg_start (GMarkupParseContext *context,
           const char          *element,
           const char         **names,
           const char         **values,
           gpointer             user_data,
           GError             **error)
{
  ((SvgParse *) user_data)->in_text = g_str_equal (element, "text");
}

static void
svg_end (GMarkupParseContext *context,
         const char          *element,
         gpointer             user_data,
         GError             **error)
{
  SvgParse *parse = user_data;

  if (parse->in_text)
    g_string_append_c (parse->texts, '\n');
  parse->in_text = FALSE;
}

static void
svg_text (GMarkupParseContext *context,
          const char          *text,
          gsize                len,
          gpointer             user_data,
          GError             **error)
{
  SvgParse *parse = user_data;

  if (parse->in_text)
    g_string_append_len (parse->texts, text, len);
}

static void
test_svg (Fixture       *f,
          gconstpointer  data)
{
  const GMarkupParser parser = { svg_start, svg_end, svg_text, NULL, NULL };
  const AttnView views[] = { ATTN_VIEW_HEATMAP, ATTN_VIEW_ARCS };
  guint n_tokens = attn_result_get_n_tokens (f->result);

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    {
      g_autofree char *path = g_build_filename (f->dir, "figure.svg", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GMarkupParseContext) context = NULL;
      g_autoptr(GString) texts = g_string_new ("\n");
      g_autofree char *contents = NULL;
      g_autofree char *lint = NULL;
      SvgParse parse = { texts, FALSE };
      AttnFigureOptions options;
      gsize len;

      attn_figure_options_init (&options);
      options.view = views[v];
      options.query = n_tokens - 1;
      g_assert_true (attn_export_figure (f->result, &options, path, NULL, &error));
      g_assert_no_error (error);

      g_assert_true (g_file_get_contents (path, &contents, &len, &error));
      context = g_markup_parse_context_new (&parser, 0, &parse, NULL);
      g_assert_true (g_markup_parse_context_parse (context, contents, len, &error) &&
                     g_markup_parse_context_end_parse (context, &error));
      g_assert_no_error (error);

      /* Every token is there as a text of its own, e.g. "·cat". */
      for (guint i = 0; i < n_tokens; i++)
        {
          g_autofree char *label = attn_render_dup_token_label (attn_result_get_token_text (f->result, i));
          g_autofree char *line = g_strdup_printf ("\n%s\n", label);

          if (strstr (texts->str, line) == NULL)
            g_error ("token %u “%s” missing from the SVG's texts:%s", i, label, texts->str);
        }
      g_assert_nonnull (strstr (texts->str, "tiny-f32"));

      lint = run_tool ((const char *[]) { "xmllint", "--noout", path, NULL });
      if (lint == NULL)
        g_test_message ("xmllint not installed: GMarkup only");
    }
}

static void
test_pdf (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "heatmap.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *info = NULL;
  AttnFigureOptions options;

  attn_figure_options_init (&options);
  options.layer = 1;
  options.head = 1;
  g_assert_true (attn_export_figure (f->result, &options, path, NULL, &error));
  g_assert_no_error (error);

  text = run_tool ((const char *[]) { "pdftotext", path, "-", NULL });
  if (text == NULL)
    {
      g_test_skip ("pdftotext not installed (poppler-utils)");
      return;
    }
  for (guint i = 0; i < attn_result_get_n_tokens (f->result); i++)
    {
      g_autofree char *word = g_strstrip (g_strdup (attn_result_get_token_text (f->result, i)));

      if (*word != '\0' && strstr (text, word) == NULL)
        g_error ("token %u “%s” not found by pdftotext:\n%s", i, word, text);
    }
  g_assert_nonnull (strstr (text, "layer 1"));

  info = run_tool ((const char *[]) { "pdfinfo", path, NULL });
  g_assert_cmpuint (pdf_pages (info), ==, 1);
  g_assert_nonnull (strstr (info, "Attention " PACKAGE_VERSION));
  g_assert_nonnull (strstr (info, "tiny-f32 · layer 1 · head 1"));
}

static void
test_all_heads (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *pdf = g_build_filename (f->dir, "heads.pdf", NULL);
  g_autofree char *png = g_build_filename (f->dir, "heads.png", NULL);
  g_autofree char *svg = g_build_filename (f->dir, "heads.svg", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *info = NULL;
  AttnFigureOptions options;
  cairo_surface_t *sheet;

  attn_figure_options_init (&options);
  options.all_heads = TRUE;

  g_assert_true (attn_export_figure (f->result, &options, pdf, NULL, &error));
  g_assert_no_error (error);
  info = run_tool ((const char *[]) { "pdfinfo", pdf, NULL });
  if (info != NULL)
    g_assert_cmpuint (pdf_pages (info), ==,
                      attn_result_get_n_layers (f->result) * attn_result_get_n_heads (f->result));

  /* PNG: a contact sheet of every head. */
  g_assert_true (attn_export_figure (f->result, &options, png, NULL, &error));
  g_assert_no_error (error);
  sheet = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (sheet), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (sheet);

  /* SVG has no pages: refused, and no file made. */
  g_assert_false (attn_export_figure (f->result, &options, svg, NULL, &error));
  g_assert_error (error, ATTN_EXPORT_ERROR, ATTN_EXPORT_ERROR_UNKNOWN_FORMAT);
  g_assert_false (g_file_test (svg, G_FILE_TEST_EXISTS));
}

static void
test_errors_leave_nothing (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *missing_dir = g_build_filename (f->dir, "no-such-folder", "figure.png", NULL);
  g_autofree char *bmp = g_build_filename (f->dir, "figure.bmp", NULL);
  g_autofree char *existing = g_build_filename (f->dir, "keep.png", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  AttnFigureOptions options;

  attn_figure_options_init (&options);

  /* A folder that is not there: a message naming the file. */
  g_assert_false (attn_export_figure (f->result, &options, missing_dir, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "figure.png"));
  g_clear_error (&error);

  g_assert_false (attn_export_figure (f->result, &options, bmp, NULL, &error));
  g_assert_error (error, ATTN_EXPORT_ERROR, ATTN_EXPORT_ERROR_UNKNOWN_FORMAT);
  g_assert_nonnull (strstr (error->message, ".bmp"));
  g_clear_error (&error);

  /* A bad request never touches an existing file. */
  g_assert_true (g_file_set_contents (existing, "old", -1, NULL));
  options.layer = 99;
  g_assert_false (attn_export_figure (f->result, &options, existing, NULL, &error));
  g_assert_error (error, ATTN_EXPORT_ERROR, ATTN_EXPORT_ERROR_INVALID);
  g_clear_error (&error);
  options.layer = 0;
  options.width = 4;
  g_assert_false (attn_export_figure (f->result, &options, existing, NULL, &error));
  g_assert_error (error, ATTN_EXPORT_ERROR, ATTN_EXPORT_ERROR_INVALID);
  g_clear_error (&error);
  options.width = 600;
  options.png_scale = 100;
  g_assert_false (attn_export_figure (f->result, &options, existing, NULL, &error));
  g_assert_error (error, ATTN_EXPORT_ERROR, ATTN_EXPORT_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (g_file_get_contents (existing, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old");
  g_assert_cmpuint (count_files (f->dir), ==, 1);
}

/* Writing to a stream that fails: the error comes back, not a crash. */
static void
test_stream_failure (Fixture       *f,
                     gconstpointer  data)
{
  const AttnFigureFormat formats[] = { ATTN_FIGURE_PNG, ATTN_FIGURE_SVG, ATTN_FIGURE_PDF };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
      g_autoptr(GError) error = NULL;
      AttnFigureOptions options;

      attn_figure_options_init (&options);
      g_output_stream_close (stream, NULL, NULL);
      g_assert_false (attn_export_figure_to_stream (f->result, &options, formats[i], stream, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
    }
}

/* JSON has no NaN or infinity: a weight that is not finite is null, and
 * the file stays JSON with every row whole.  It was written as "nan". */
static void
test_values_not_finite (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(AttnResult) result = synthetic_result (1, 1, 3);
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  AeTrace *trace = (AeTrace *) attn_result_get_trace (result);
  g_autofree char *text = NULL;

  trace->weights[1 * 3 + 0] = NAN;
  trace->weights[2 * 3 + 1] = INFINITY;
  g_assert_true (attn_values_write (result, NULL, ATTN_VALUES_JSON, stream, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (stream, "", 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  text = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));

  g_assert_null (strstr (text, "nan"));
  g_assert_null (strstr (text, "inf"));
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "\n      [null, "));
  g_assert_nonnull (strstr (text, ", null, "));
}

static gboolean
write_hello_cb (GOutputStream  *stream,
                gpointer        user_data,
                GCancellable   *cancellable,
                GError        **error)
{
  return g_output_stream_write_all (stream, "hello", 5, NULL, cancellable, error);
}

/* Writes some bytes, then fails, as a PNG past cairo's limits did. */
static gboolean
write_then_fail_cb (GOutputStream  *stream,
                    gpointer        user_data,
                    GCancellable   *cancellable,
                    GError        **error)
{
  g_output_stream_write_all (stream, "partial", 7, NULL, cancellable, NULL);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the figure could not be drawn");
  return FALSE;
}

static void
assert_contents (const char *path,
                 const char *expected)
{
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, expected);
}

/* -o over an existing file (issue 11): a symlink stays a link and its
 * target gets the new contents, the file keeps its 0600 (or 0640) mode, a
 * new file gets the umask's mode, a failed write leaves neither a 0-byte
 * file nor a temporary one, and a read-only file is refused as a file, not
 * blamed on its folder.  g_file_replace failed the first four. */
static void
test_write_keeps_links_and_modes (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *real = g_build_filename (f->dir, "real.csv", NULL);
  g_autofree char *link = g_build_filename (f->dir, "link.csv", NULL);
  g_autofree char *fresh = g_build_filename (f->dir, "fresh.csv", NULL);
  g_autofree char *failed = g_build_filename (f->dir, "failed.png", NULL);
  g_autofree char *readonly = g_build_filename (f->dir, "readonly.csv", NULL);
  g_autoptr(GError) error = NULL;
  mode_t old_umask;
  GStatBuf st;

  g_assert_true (g_file_set_contents (real, "old", -1, NULL));
  g_assert_cmpint (g_chmod (real, 0600), ==, 0);
  g_assert_cmpint (symlink ("real.csv", link), ==, 0);

  g_assert_true (attn_write_file_atomically (link, write_hello_cb, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  assert_contents (real, "hello");
  g_assert_cmpint (g_stat (real, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);

  g_assert_cmpint (g_chmod (real, 0640), ==, 0);
  g_assert_true (attn_write_file_atomically (real, write_hello_cb, NULL, NULL, &error));
  g_assert_cmpint (g_stat (real, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0640);

  old_umask = umask (027);
  g_assert_true (attn_write_file_atomically (fresh, write_hello_cb, NULL, NULL, &error));
  umask (old_umask);
  g_assert_cmpint (g_stat (fresh, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0640);

  /* 3 files so far; a failure adds none, and an old file keeps its bytes. */
  g_assert_false (attn_write_file_atomically (failed, write_then_fail_cb, NULL, NULL, &error));
  g_assert_nonnull (strstr (error->message, "failed.png"));
  g_clear_error (&error);
  g_assert_false (g_file_test (failed, G_FILE_TEST_EXISTS));
  g_assert_false (attn_write_file_atomically (link, write_then_fail_cb, NULL, NULL, &error));
  g_clear_error (&error);
  assert_contents (real, "hello");
  g_assert_cmpuint (count_files (f->dir), ==, 3);

  g_assert_true (g_file_set_contents (readonly, "keep", -1, NULL));
  g_assert_cmpint (g_chmod (readonly, 0444), ==, 0);
  g_assert_false (attn_write_file_atomically (readonly, write_hello_cb, NULL, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "the file is read-only"));
  g_assert_null (strstr (error->message, "folder"));
  assert_contents (readonly, "keep");
}

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* Issue 13: exports run off the main thread.  The file written there is
 * byte for byte the one written in the calling thread; the caller's
 * options, title and head list may be gone before the thread runs; and a
 * failure comes back as the same error, leaving nothing behind. */
static void
test_async_same_as_sync (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *sync_path = g_build_filename (f->dir, "sync.png", NULL);
  g_autofree char *async_path = g_build_filename (f->dir, "async.png", NULL);
  g_autofree char *async_svg = g_build_filename (f->dir, "async.svg", NULL);
  g_autofree char *sync_npy = g_build_filename (f->dir, "sync.npy", NULL);
  g_autofree char *async_npy = g_build_filename (f->dir, "async.npy", NULL);
  g_autofree char *bad = g_build_filename (f->dir, "no-such-dir", "x.png", NULL);
  g_autofree char *a = NULL, *b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) sync_error = NULL;
  GAsyncResult *done = NULL;
  AttnFigureOptions options;
  AttnValuesSelection selection = { 0 };
  guint *heads = g_new (guint, 2);
  gsize len_a, len_b;

  attn_figure_options_init (&options);
  options.layer = 1;
  options.head = 2;
  options.query = 4;
  options.title = "A title of our own";
  g_assert_true (attn_export_figure (f->result, &options, sync_path, NULL, &error));
  g_assert_no_error (error);
  {
    g_autofree char *title = g_strdup (options.title);

    options.title = title;
    attn_export_figure_async (f->result, &options, async_path, NULL, async_done_cb, &done);
    /* What the caller passed is its own again at once. */
    memset (title, 'x', strlen (title));
    options.head = 0;
    options.title = NULL;
  }
  g_assert_true (attn_export_figure_finish (wait_for (&done), &error));
  g_assert_no_error (error);
  g_clear_object (&done);
  /* PNG: cairo's SVG and PDF carry ids and dates that differ per run. */
  g_assert_true (g_file_get_contents (sync_path, &a, &len_a, NULL));
  g_assert_true (g_file_get_contents (async_path, &b, &len_b, NULL));
  g_assert_cmpmem (a, len_a, b, len_b);
  g_clear_pointer (&a, g_free);
  g_clear_pointer (&b, g_free);

  {
    g_autofree char *title = g_strdup ("A title of our own");

    options.title = title;
    attn_export_figure_async (f->result, &options, async_svg, NULL, async_done_cb, &done);
    memset (title, 'x', strlen (title));
    options.title = NULL;
  }
  g_assert_true (attn_export_figure_finish (wait_for (&done), &error));
  g_assert_no_error (error);
  g_clear_object (&done);
  g_assert_true (g_file_get_contents (async_svg, &a, &len_a, NULL));
  g_assert_nonnull (strstr (a, "A title of our own"));
  g_clear_pointer (&a, g_free);

  heads[0] = 3;
  heads[1] = 1;
  selection.heads = heads;
  selection.n_heads = 2;
  g_assert_true (attn_values_write_file (f->result, &selection, ATTN_VALUES_NPY, sync_npy, NULL, &error));
  g_assert_no_error (error);
  attn_values_write_file_async (f->result, &selection, ATTN_VALUES_NPY, async_npy, NULL, async_done_cb, &done);
  heads[0] = heads[1] = 0;
  g_free (heads);
  g_assert_true (attn_values_write_file_finish (wait_for (&done), &error));
  g_assert_no_error (error);
  g_clear_object (&done);
  g_assert_true (g_file_get_contents (sync_npy, &a, &len_a, NULL));
  g_assert_true (g_file_get_contents (async_npy, &b, &len_b, NULL));
  g_assert_cmpmem (a, len_a, b, len_b);

  g_assert_false (attn_export_figure (f->result, &options, bad, NULL, &sync_error));
  attn_export_figure_async (f->result, &options, bad, NULL, async_done_cb, &done);
  g_assert_false (attn_export_figure_finish (wait_for (&done), &error));
  g_clear_object (&done);
  g_assert_nonnull (error);
  g_assert_true (error->domain == sync_error->domain && error->code == sync_error->code);
  g_assert_cmpstr (error->message, ==, sync_error->message);
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
}

/* Issue 13: a whole-model export streams over the heads.  Of a linear
 * trace (what the app and the CLI make) every format goes head by head and
 * block of rows by block of rows: afterwards the result holds no head's
 * (T, T) matrix (the old writer held every one until the result was
 * freed: L·H·T² floats), and the NPY holds bit for bit the rows the
 * trace computes.  A result that kept only its last layer exports that
 * layer and refuses the others by name. */
static guchar *
write_values (AttnResult                *result,
              const AttnValuesSelection *selection,
              AttnValuesFormat           format,
              gsize                     *size,
              GError                   **error)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

  if (!attn_values_write (result, selection, format, out, NULL, error))
    return NULL;
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  *size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static void
test_values_stream_heads (void)
{
  g_autofree char *dir = attn_engine_dup_builtin_dir ();
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnResult) result = NULL, last = NULL;
  const char *text = "The quick brown fox jumps over the lazy dog, and the dog sleeps on in the warm sun.";
  const AeTrace *trace;
  guint L, H, T, layer;
  g_autofree float *rows = NULL;
  gsize size, header;

  g_assert_nonnull (engine);
  result = attn_engine_run (engine, text, TRUE, NULL, &error);
  g_assert_no_error (error);
  trace = attn_result_get_trace (result);
  L = attn_result_get_n_layers (result);
  H = attn_result_get_n_heads (result);
  T = attn_result_get_n_tokens (result);
  g_assert_null (trace->weights);   /* a linear trace */
  rows = g_new (float, (gsize) T * T);

  for (AttnValuesFormat format = ATTN_VALUES_JSON; format <= ATTN_VALUES_NPY; format++)
    {
      g_autofree guchar *data = write_values (result, NULL, format, &size, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (ae_trace_heads_held (trace), ==, 0);
      if (format != ATTN_VALUES_NPY)
        continue;
      /* magic, version, header length, header: then L·H·T·T floats */
      header = 10 + (data[8] | data[9] << 8);
      g_assert_cmpuint (size, ==, header + (gsize) L * H * T * T * sizeof (float));
      for (guint l = 0; l < L; l++)
        for (guint h = 0; h < H; h++)
          {
            g_assert_cmpint (ae_trace_head_rows (trace, l, h, 0, T, NULL, 0, rows, T, NULL), ==, AE_STATUS_OK);
            g_assert_cmpmem (data + header + ((gsize) l * H + h) * T * T * sizeof (float),
                             (gsize) T * T * sizeof (float), rows, (gsize) T * T * sizeof (float));
          }
    }
  /* the counter counts: the borrowed pointer keeps its head */
  g_assert_nonnull (attn_result_get_weights (result, 0, 0));
  g_assert_cmpuint (ae_trace_heads_held (trace), ==, 1);

  /* the last layer alone, as attention-cli weights --layer L runs it */
  layer = L - 1;
  last = attn_engine_run_options (engine, text,
                                  &(AttnRunOptions) { .truncate = TRUE, .n_layers = L, .first_layer = layer,
                                                      .attention_only = TRUE },
                                  NULL, &error);
  g_assert_no_error (error);
  g_assert_false (attn_result_has_predictions (last));
  g_assert_null (attn_result_get_weights (last, 0, 0));
  {
    AttnValuesSelection one = { .layers = &layer, .n_layers = 1 };
    g_autofree guchar *got = write_values (last, &one, ATTN_VALUES_NPY, &size, &error);
    g_autofree guchar *want = NULL;
    gsize want_size;

    g_assert_no_error (error);
    want = write_values (result, &one, ATTN_VALUES_NPY, &want_size, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (got, size, want, want_size);
    g_assert_null (write_values (last, NULL, ATTN_VALUES_CSV, &size, &error));
    g_assert_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "not kept"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/attention/export/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("png-size-and-pixels", test_png_size_and_pixels);
  ADD ("png-default-size", test_png_default_size);
  ADD ("svg", test_svg);
  ADD ("pdf", test_pdf);
  ADD ("all-heads", test_all_heads);
  ADD ("errors-leave-nothing", test_errors_leave_nothing);
  ADD ("stream-failure", test_stream_failure);
  ADD ("async-same-as-sync", test_async_same_as_sync);
  ADD ("values-not-finite", test_values_not_finite);
  ADD ("write-keeps-links-and-modes", test_write_keeps_links_and_modes);

#undef ADD
  g_test_add_func ("/attention/export/values-stream-heads", test_values_stream_heads);

  return g_test_run ();
}
