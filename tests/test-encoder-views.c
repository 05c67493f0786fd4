/* test-encoder-views.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An encoder (BERT: no causal mask) shown honestly, under Xvfb: its
 * heatmap and grid thumbnails are full squares, every cell above the
 * diagonal in the colour of its weight rather than masked; its arcs to
 * later tokens hang below the chips; its head description gives the
 * encoder's figures ([SEP], [CLS], next token, pieces of the same word)
 * and a decoder's never speaks of what lies ahead.
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "attn-derived.h"
#include "attn-display.h"
#include "attn-export.h"
#include "attn-masked.h"
#include "attn-token-strip.h"
#include "attn-pair-bar.h"
#include "attn-head-description.h"
#include "attn-render.h"
#include "render-fixture.h"

#define SENTENCE "the cat sat on the mat playing"

/* The heatmap of layer 1, head 2 at 24 px cells, no title or colour bar. */
static cairo_surface_t *
render_heatmap (AttnResult        *result,
                const AttnDisplay *display,
                AttnHeatmapSpec   *spec,
                double            *width,
                double            *height)
{
  cairo_surface_t *surface;
  cairo_t *cr;

  attn_heatmap_spec_init (spec, result, 1, 2);
  spec->show_title = FALSE;
  spec->show_colorbar = FALSE;
  spec->cell_size = 24;
  if (display != NULL)
    spec->display = *display;
  attn_heatmap_get_natural_size (spec, width, height);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) *width, (int) *height);
  cr = cairo_create (surface);
  attn_render_heatmap (cr, spec, *width, *height);
  cairo_destroy (cr);
  return surface;
}

/* How many cells above the diagonal show their weight's colour (as
 * @display colours it), out of *@n_upper that @display shows. */
static guint
count_upper_cells_coloured (AttnResult        *result,
                            const AttnDisplay *display,
                            guint             *n_upper)
{
  guint T = attn_result_get_n_tokens (result);
  const float *weights = attn_result_get_weights (result, 1, 2);
  g_autofree float *row = g_new (float, T);
  AttnHeatmapSpec spec;
  double width, height;
  cairo_surface_t *surface = render_heatmap (result, display, &spec, &width, &height);
  guint coloured = 0;

  *n_upper = 0;
  for (guint q = 0; q < T; q++)
    {
      attn_display_result_row (display, result, weights, q, row);
      for (guint k = q + 1; k < T; k++)
        {
          cairo_rectangle_t rect;
          double shown = display != NULL ? row[k] : weights[q * T + k];
          guint32 want;

          g_assert_true (attn_heatmap_get_cell_rect (&spec, width, height, q, k, &rect));
          if (shown < 0)
            continue;   /* hidden by the display */
          (*n_upper)++;
          want = attn_colormap_lookup_argb (spec.colormap, shown);
          /* a few pixels in from the corner: the hatch's lines cross
           * every cell there */
          if (pixel_distance (surface_pixel (surface, (int) (rect.x + 4), (int) (rect.y + 4)), want) <= 6 &&
              pixel_distance (surface_pixel (surface, (int) (rect.x + rect.width / 2),
                                             (int) (rect.y + rect.height / 2)), want) <= 6)
            coloured++;
        }
    }
  cairo_surface_destroy (surface);
  return coloured;
}

static void
test_heatmap_full_square (void)
{
  g_autoptr(AttnResult) encoder = model_result ("bert-mlm", SENTENCE);
  g_autoptr(AttnResult) decoder = model_result ("tiny-f32", SENTENCE);
  AttnDisplay display;
  guint n_upper;

  g_assert_true (attn_result_is_bidirectional (encoder));
  g_assert_false (attn_result_is_bidirectional (decoder));

  /* every cell above the diagonal shows its weight, unhatched */
  g_assert_cmpuint (count_upper_cells_coloured (encoder, NULL, &n_upper), ==, n_upper);
  g_assert_cmpuint (n_upper, >=, 28);

  /* the same with [CLS] hidden and rows scaled to their maximum: the
   * display renormalises over every key, later ones included */
  attn_display_init (&display);
  attn_display_set_hidden (&display, 0, TRUE);
  display.row_max = TRUE;
  {
    guint T = attn_result_get_n_tokens (encoder);
    g_autofree float *row = g_new (float, T);
    double sum = 0, top = 0;

    attn_display_result_row (&display, encoder, attn_result_get_weights (encoder, 1, 2), 1, row);
    g_assert_cmpfloat (row[0], <, 0);
    for (guint k = 1; k < T; k++)
      {
        g_assert_cmpfloat (row[k], >=, 0);
        top = MAX (top, row[k]);
        sum += row[k];
      }
    g_assert_cmpfloat_with_epsilon (top, 1.0, 1e-6);
    g_assert_cmpfloat (sum, >, 1.0);
  }
  g_assert_cmpuint (count_upper_cells_coloured (encoder, &display, &n_upper), ==, n_upper);
  g_assert_cmpuint (n_upper, >=, 21);   /* row 0 and column 0 hidden */

  /* the check tells a causal map apart: none of its upper cells is */
  g_assert_cmpuint (count_upper_cells_coloured (decoder, NULL, &n_upper), ==, 0);
}

/* The top-left corner of the thumbnail of (layer, head) in a grid drawn
 * at width × height: found by walking from a point inside it. */
static gboolean
thumbnail_origin (const AttnGridSpec *spec,
                  double              width,
                  double              height,
                  int                 layer,
                  int                 head,
                  int                *x0,
                  int                *y0)
{
  int l, h, row;

  for (int y = 0; y < height; y += 2)
    for (int x = 0; x < width; x += 2)
      if (attn_grid_hit_test_row (spec, width, height, x, y, &l, &h, &row) && l == layer && h == head && row >= 0)
        {
          while (x > 0 && attn_grid_hit_test_row (spec, width, height, x - 1, y, &l, &h, &row) && l == layer
                 && h == head && row >= 0)
            x--;
          while (y > 0 && attn_grid_hit_test_row (spec, width, height, x, y - 1, &l, &h, &row) && l == layer
                 && h == head && row >= 0)
            y--;
          *x0 = x;
          *y0 = y;
          return TRUE;
        }
  return FALSE;
}

/* Grid thumbnails: an encoder's are whole squares of weights too. */
static void
test_grid_full_square (void)
{
  g_autoptr(AttnResult) encoder = model_result ("bert-mlm", SENTENCE);
  guint T = attn_result_get_n_tokens (encoder);
  const float *weights = attn_result_get_weights (encoder, 1, 2);
  AttnGridSpec spec;
  double width, height;
  cairo_surface_t *surface;
  cairo_t *cr;
  int x0 = 0, y0 = 0;
  double cell = 12;

  attn_grid_spec_init (&spec, encoder);
  spec.show_title = FALSE;
  spec.show_colorbar = FALSE;
  spec.thumb_size = T * cell;
  attn_grid_get_natural_size (&spec, &width, &height);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) width, (int) height);
  cr = cairo_create (surface);
  attn_render_grid (cr, &spec, width, height);
  cairo_destroy (cr);

  g_assert_true (thumbnail_origin (&spec, width, height, 1, 2, &x0, &y0));
  for (guint q = 0; q < T; q++)
    for (guint k = q + 1; k < T; k++)
      {
        guint32 want = attn_colormap_lookup_argb (spec.colormap, weights[q * T + k]);
        guint32 got = surface_pixel (surface, x0 + (int) ((k + 0.3) * cell), y0 + (int) ((q + 0.3) * cell));

        if (pixel_distance (got, want) > 8)
          g_error ("thumbnail cell (%u, %u): %08x, want %08x (weight %.3f)", q, k, got, want, weights[q * T + k]);
      }
  cairo_surface_destroy (surface);
}

/* Pixels not of the figure's background in rows [y0, y1) of [x0, x1). */
static guint
count_ink (cairo_surface_t *surface,
           int              x0,
           int              x1,
           int              y0,
           int              y1)
{
  guint32 background = surface_pixel (surface, 0, 0);
  guint n = 0;

  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      if (pixel_distance (surface_pixel (surface, x, y), background) > 24)
        n++;
  return n;
}

/* Ink below the chips (between the first and last token) and above them,
 * with the first token as the query. */
static void
arc_ink (AttnResult *result,
         guint      *above,
         guint      *below)
{
  guint T = attn_result_get_n_tokens (result);
  AttnArcSpec spec;
  cairo_rectangle_t first, last;
  cairo_surface_t *surface;
  cairo_t *cr;
  double width = 900, height = 520;

  attn_arc_spec_init (&spec, result, 1, 2);
  spec.show_title = FALSE;
  spec.show_colorbar = FALSE;
  spec.query = 0;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) width, (int) height);
  cr = cairo_create (surface);
  attn_render_arcs (cr, &spec, width, height);
  cairo_destroy (cr);

  g_assert_true (attn_arcs_get_token_rect (&spec, width, height, 0, &first));
  g_assert_true (attn_arcs_get_token_rect (&spec, width, height, T - 1, &last));
  /* the self-loop of token 0 stands on its chip: look right of it */
  *above = count_ink (surface, (int) (first.x + first.width), (int) (last.x + last.width), 0, (int) first.y - 2);
  *below = count_ink (surface, (int) (first.x + first.width), (int) (last.x + last.width),
                      (int) (first.y + first.height + 3), (int) height);
  cairo_surface_destroy (surface);
}

/* The first token's attention goes only to later tokens: an encoder's
 * arcs hang below the chips; a decoder's first token sees only itself. */
static void
test_arcs_both_ways (void)
{
  g_autoptr(AttnResult) encoder = model_result ("bert-mlm", SENTENCE);
  g_autoptr(AttnResult) decoder = model_result ("tiny-f32", SENTENCE);
  guint above, below;

  arc_ink (encoder, &above, &below);
  g_assert_cmpuint (below, >, 200);
  g_assert_cmpuint (above, ==, 0);

  arc_ink (decoder, &above, &below);
  g_assert_cmpuint (below, ==, 0);
  g_assert_cmpuint (above, ==, 0);
}

/* The figures of an encoder's head, recomputed here from its weights. */
static void
test_head_description (void)
{
  g_autoptr(AttnResult) encoder = model_result ("bert-mlm", SENTENCE);
  g_autoptr(AttnResult) decoder = model_result ("tiny-f32", SENTENCE);
  guint T = attn_result_get_n_tokens (encoder);
  AttnHeadStats stats;

  for (guint l = 0; l < attn_result_get_n_layers (encoder); l++)
    for (guint h = 0; h < attn_result_get_n_heads (encoder); h++)
      {
        const float *w = attn_result_get_weights (encoder, l, h);
        double sep = 0, cls = 0, next = 0;
        g_autofree char *summary = NULL;

        g_assert_true (attn_result_get_head_stats (encoder, l, h, &stats));
        g_assert_true (stats.bidirectional);
        /* one word in pieces, "play ##ing": WordPiece's words have no
         * leading space, and only "##ing" continues the one before it */
        g_assert_cmpuint (stats.n_piece_rows, ==, 2);
        for (guint q = 0; q < T; q++)
          {
            cls += w[q * T];
            sep += w[q * T + T - 1];   /* [CLS] … [SEP]: one of each */
            if (q + 1 < T)
              next += w[q * T + q + 1];
          }
        g_assert_cmpfloat_with_epsilon (stats.cls, cls / T, 1e-6);
        g_assert_cmpfloat_with_epsilon (stats.sep, sep / T, 1e-6);
        g_assert_cmpfloat_with_epsilon (stats.next, next / (T - 1), 1e-6);
        summary = _attn_head_dup_summary (encoder, l, h, NULL, NULL);
        g_assert_nonnull (summary);
      }

  /* the widget's figures line names the specials as the model spells them */
  {
    g_autoptr(AttnDocument) document = attn_document_new ();
    g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fixtures", "models", "bert-mlm", NULL);
    g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, NULL);
    GtkWidget *description = attn_head_description_new ();
    g_autofree char *figure = NULL;

    g_object_ref_sink (description);
    attn_document_set_engine (document, engine);
    attn_document_set_text (document, SENTENCE);
    attn_document_wait (document);
    attn_document_set_layer (document, 1);
    attn_document_set_head (document, 2);
    attn_head_description_set_document (ATTN_HEAD_DESCRIPTION (description), document);
    g_assert_true (attn_result_get_head_stats (attn_document_get_result (document), 1, 2, &stats));
    figure = g_strdup_printf ("[SEP] %d %%", (int) round (stats.sep * 100));
    if (strstr (attn_head_description_get_details (ATTN_HEAD_DESCRIPTION (description)), figure) == NULL
        || strstr (attn_head_description_get_details (ATTN_HEAD_DESCRIPTION (description)), "[CLS]") == NULL
        || strstr (attn_head_description_get_details (ATTN_HEAD_DESCRIPTION (description)), "next token") == NULL)
      g_error ("no “%s” in the figures: %s", figure,
               attn_head_description_get_details (ATTN_HEAD_DESCRIPTION (description)));
    g_assert_finalize_object (description);
  }

  /* a decoder's heads never get a label that looks ahead */
  for (guint l = 0; l < attn_result_get_n_layers (decoder); l++)
    for (guint h = 0; h < attn_result_get_n_heads (decoder); h++)
      {
        g_autofree char *summary = _attn_head_dup_summary (decoder, l, h, &stats, NULL);

        g_assert_false (stats.bidirectional);
        g_assert_true (stats.label != ATTN_HEAD_LABEL_NEXT && stats.label != ATTN_HEAD_LABEL_SAME_WORD
                       && stats.label != ATTN_HEAD_LABEL_SEP && stats.label != ATTN_HEAD_LABEL_CLS);
        g_assert_null (strstr (summary, "next token"));
      }
}

/* Sentence B: the bar shows itself for an encoder only, sends B to the
 * document, the strip marks each token's sentence, and the A → B filter
 * keeps exactly the links from A to B, with their true weights, and says
 * so in titles and exported figures. */
static void
test_pair_filter (void)
{
  g_autofree char *bert = g_test_build_filename (G_TEST_DIST, "fixtures", "models", "bert-mlm", NULL);
  g_autofree char *tiny = g_test_build_filename (G_TEST_DIST, "fixtures", "models", "tiny-f32", NULL);
  g_autoptr(AttnEngine) encoder = attn_engine_new (bert, NULL, NULL);
  g_autoptr(AttnEngine) decoder = attn_engine_new (tiny, NULL, NULL);
  g_autoptr(AttnDocument) document = attn_document_new ();
  GtkWidget *bar = attn_pair_bar_new ();
  g_autoptr(GOutputStream) svg = g_memory_output_stream_new_resizable ();
  g_autofree char *title = NULL;
  AttnFigureOptions options;
  AttnDisplay display;
  AttnResult *result;
  guint T, n_kept = 0;
  const float *weights;
  float *row;

  g_object_ref_sink (bar);
  attn_pair_bar_set_document (ATTN_PAIR_BAR (bar), document);
  attn_document_set_engine (document, decoder);
  attn_document_set_text (document, "the cat sat");
  attn_document_wait (document);
  g_assert_false (gtk_widget_get_visible (bar));

  attn_document_set_engine (document, encoder);
  attn_document_wait (document);
  g_assert_true (gtk_widget_get_visible (bar));
  attn_pair_bar_set_text_b (ATTN_PAIR_BAR (bar), "it was playing");
  g_assert_cmpstr (attn_document_get_text_b (document), ==, "it was playing");
  attn_document_wait (document);
  result = attn_document_get_result (document);
  g_assert_true (attn_result_has_pair (result));
  T = attn_result_get_n_tokens (result);

  /* the strip's marks: [CLS] the cat sat [SEP] | it was play ##ing [SEP] */
  for (guint i = 0; i < T; i++)
    g_assert_cmpstr (_attn_token_segment_class (result, i), ==,
                     i < attn_result_get_first_b (result) ? "segment-a" : "segment-b");
  g_assert_cmpuint (attn_result_get_first_b (result), ==, 5);

  attn_pair_bar_set_filter (ATTN_PAIR_BAR (bar), ATTN_PAIR_FILTER_A_TO_B);
  g_assert_cmpint (attn_pair_bar_get_filter (ATTN_PAIR_BAR (bar)), ==, ATTN_PAIR_FILTER_A_TO_B);
  attn_display_init (&display);
  display.pairs = ATTN_PAIR_FILTER_A_TO_B;
  g_assert_false (attn_display_is_identity (&display));
  weights = attn_result_get_weights (result, 1, 2);
  row = g_new (float, T);
  for (guint q = 0; q < T; q++)
    {
      attn_display_result_row (&display, result, weights, q, row);
      for (guint k = 0; k < T; k++)
        {
          gboolean keep = attn_result_get_sentence (result, q) == 0 && attn_result_get_sentence (result, k) == 1;

          if (keep)
            {
              g_assert_cmpfloat (row[k], ==, weights[q * T + k]);
              n_kept++;
            }
          else
            g_assert_cmpfloat (row[k], <, 0);
        }
    }
  g_free (row);
  g_assert_cmpuint (n_kept, ==, 5 * (T - 5));

  title = attn_render_dup_title_full (result, 1, 2, &display, ATTN_SCALE_LINEAR);
  g_assert_nonnull (strstr (title, "A → B"));

  attn_figure_options_init (&options);
  options.layer = 1;
  options.head = 2;
  options.display = display;
  g_assert_true (attn_export_figure_to_stream (result, &options, ATTN_FIGURE_SVG, svg, NULL, NULL));
  g_assert_true (g_output_stream_close (svg, NULL, NULL));
  {
    g_autofree char *text = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (svg)),
                                       g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (svg)));

    g_assert_nonnull (strstr (text, "A → B"));
  }

  /* back to a decoder: no bar, B kept for later */
  attn_document_set_engine (document, decoder);
  attn_document_wait (document);
  g_assert_false (gtk_widget_get_visible (bar));
  g_assert_cmpstr (attn_document_get_text_b (document), ==, "it was playing");
  g_assert_null (_attn_token_segment_class (attn_document_get_result (document), 0));

  attn_pair_bar_set_document (ATTN_PAIR_BAR (bar), NULL);
  g_assert_finalize_object (bar);
}

/* The strip: a [MASK] token's tooltip gives the masked-LM head's top words
 * with their probabilities; in a pair, each token's tooltip its sentence. */
static void
test_strip_mask_and_sentences (void)
{
  g_autofree char *bert = g_test_build_filename (G_TEST_DIST, "fixtures", "models", "bert-mlm", NULL);
  g_autoptr(AttnEngine) engine = attn_engine_new (bert, NULL, NULL);
  g_autoptr(AttnDocument) document = attn_document_new ();
  GtkWidget *strip = attn_token_strip_new ();
  g_autofree char *tooltip = NULL;
  g_autofree char *first = NULL;
  g_autofree char *b_tooltip = NULL;
  AttnResult *result;
  const GArray *top;
  const AttnPrediction *p;

  g_object_ref_sink (strip);
  attn_token_strip_set_document (ATTN_TOKEN_STRIP (strip), document);
  attn_document_set_engine (document, engine);
  attn_document_set_text (document, "the cat [MASK] on the mat");
  attn_document_set_text_b (document, "it was playing");
  attn_document_wait (document);
  result = attn_document_get_result (document);
  g_assert_cmpuint (attn_result_get_n_masks (result), ==, 1);
  g_assert_cmpuint (attn_result_get_mask_position (result, 0), ==, 3);

  top = attn_result_get_mask_predictions (result, 0);
  p = &g_array_index (top, AttnPrediction, 0);
  first = g_strdup_printf ("“%s” %.0f %%", p->token, 100 * p->probability);
  tooltip = attn_token_strip_dup_tooltip (ATTN_TOKEN_STRIP (strip), 3);
  if (strstr (tooltip, "Fills in:") == NULL || strstr (tooltip, first) == NULL || strstr (tooltip, "sentence A") == NULL)
    g_error ("the mask's tooltip lacks its top word %s: %s", first, tooltip);
  b_tooltip = attn_token_strip_dup_tooltip (ATTN_TOKEN_STRIP (strip), attn_result_get_first_b (result));
  g_assert_nonnull (strstr (b_tooltip, "sentence B"));
  g_assert_null (strstr (b_tooltip, "Fills in:"));

  /* Word pieces merged (the learner's default): "[MASK]." is two words,
   * and the mask's word still says what fills it in. */
  attn_document_set_merge_words (document, TRUE);
  attn_document_set_text (document, "the cat sat on the [MASK].");
  attn_document_wait (document);
  result = attn_document_get_view_result (document);
  g_assert_nonnull (attn_result_get_words (result));
  g_assert_cmpuint (attn_result_get_n_masks (result), ==, 1);
  g_assert_cmpstr (attn_result_get_token_text (result, attn_result_get_mask_position (result, 0)), ==, "[MASK]");
  g_clear_pointer (&tooltip, g_free);
  tooltip = attn_token_strip_dup_tooltip (ATTN_TOKEN_STRIP (strip), attn_result_get_mask_position (result, 0));
  if (strstr (tooltip, "Fills in:") == NULL || strstr (tooltip, "Word ") == NULL)
    g_error ("the mask's word lacks its predictions: %s", tooltip);

  attn_token_strip_set_document (ATTN_TOKEN_STRIP (strip), NULL);
  g_assert_finalize_object (strip);
}

/* The rollout figure's row for query 1: whether any bar answers the
 * pointer for a key after the query (found by scanning the figure). */
static gboolean
rollout_bar_after_query (AttnResult *result)
{
  guint T = attn_result_get_n_tokens (result);
  g_autofree float *rollout = attn_result_dup_rollout (result, NULL);
  AttnRolloutSpec spec;

  g_assert_nonnull (rollout);
  attn_rollout_spec_init (&spec, result);
  spec.rollout = rollout;
  spec.query = 1;
  spec.row = rollout + T;
  for (double y = 0; y < 300; y += 6)
    for (double x = 0; x < 800; x += 4)
      {
        int query, key;

        if (attn_rollout_hit_test (&spec, 800, 600, x, y, &query, &key) && y < 200 && key > 1)
          return TRUE;
      }
  return FALSE;
}

/* An encoder's rollout row reaches every token, later ones too: its bars
 * stand on the keys after the query; a decoder's stop at the query. */
static void
test_rollout_row_both_ways (void)
{
  g_autoptr(AttnResult) encoder = model_result ("bert-mlm", SENTENCE);
  g_autoptr(AttnResult) decoder = model_result ("tiny-f32", SENTENCE);

  g_assert_true (rollout_bar_after_query (encoder));
  g_assert_false (rollout_bar_after_query (decoder));
}

int
main (int   argc,
      char *argv[])
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    return 77;   /* meson: SKIP */

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/attention/encoder-views/heatmap-full-square", test_heatmap_full_square);
  g_test_add_func ("/attention/encoder-views/grid-full-square", test_grid_full_square);
  g_test_add_func ("/attention/encoder-views/arcs-both-ways", test_arcs_both_ways);
  g_test_add_func ("/attention/encoder-views/head-description", test_head_description);
  g_test_add_func ("/attention/encoder-views/pair-filter", test_pair_filter);
  g_test_add_func ("/attention/encoder-views/strip-mask-and-sentences", test_strip_mask_and_sentences);
  g_test_add_func ("/attention/encoder-views/rollout-row-both-ways", test_rollout_row_both_ways);

  return g_test_run ();
}
