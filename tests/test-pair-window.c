/* test-pair-window.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sentence pairs in the whole window, under Xvfb, on the random-weight
 * BERT fixture (tests/fixtures/models/bert-mlm): the Sentence B bar shows
 * for an encoder and its Links filter reaches the maps, words merged or not.  With
 * ATTENTION_SHOT_DIR set it photographs the pair view for the README
 * (docs/pair-view-light.png).
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <jansson.h>

#include "attn-ablation.h"
#include "attn-derived.h"
#include "attn-masked.h"
#include "attn-next-tokens.h"
#include "attn-pair-bar.h"
#include "attn-tint.h"
#include "attn-token-strip.h"
#include "attn-weight-legend.h"
#include "widget-pixels.h"
#include "window-fixture.h"

#define SENTENCE_A "the cat sat on the mat"
#define SENTENCE_B "it was playing"
#define SENTENCE_MASKED "the cat sat on the [MASK]"

static gboolean
has_pair (gpointer data)
{
  AttnWindow *window = data;
  AttnResult *result;

  if (!has_result (window))
    return FALSE;
  result = attn_document_get_result (attn_window_get_document (window));
  return attn_result_has_pair (result);
}

/* A window on the BERT fixture with sentence A and @text_b, the @view
 * page shown, waiting for the pair's result. */
static AttnWindow *
pair_window_new (const char *view,
                 const char *text_a,
                 const char *text_b)
{
  g_autoptr(GSettings) settings = _attn_settings_new ();
  g_autofree char *model = g_test_build_filename (G_TEST_DIST, "fixtures", "models", "bert-mlm", NULL);
  AttnWindow *window;

  g_settings_set_string (settings, "model", model);
  g_settings_set_string (settings, "sentence", text_a);
  g_settings_set_string (settings, "view", view);
  g_settings_set_uint (settings, "layer", 1);
  g_settings_set_uint (settings, "head", 2);
  window = attn_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 820);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (has_result, window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->pair_bar)));
  attn_pair_bar_set_text_b (window->pair_bar, text_b);
  g_assert_true (wait_until (has_pair, window));
  spin (300);
  return window;
}

/* The bar's filter is the window's display: the heatmap's title says it. */
static void
test_filter_reaches_views (void)
{
  AttnWindow *window = pair_window_new ("heatmap", SENTENCE_A, SENTENCE_B);
  AttnDocument *document = attn_window_get_document (window);

  g_assert_cmpstr (attn_document_get_text_b (document), ==, SENTENCE_B);
  /* merge-words is on by default: the words keep the pair's sentences */
  g_assert_true (attn_document_get_merge_words (document));
  g_assert_true (attn_result_has_pair (attn_document_get_view_result (document)));
  attn_pair_bar_set_filter (window->pair_bar, ATTN_PAIR_FILTER_A_TO_B);
  g_assert_cmpint (attn_attention_view_get_display (ATTN_ATTENTION_VIEW (window->heatmap))->pairs, ==,
                   ATTN_PAIR_FILTER_A_TO_B);
  g_assert_cmpint (attn_attention_view_get_display (ATTN_ATTENTION_VIEW (window->head_grid))->pairs, ==,
                   ATTN_PAIR_FILTER_A_TO_B);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The text's tint follows the Links filter: with A → B on and a query in
 * A, only B's tokens are tinted (strip and editor read the same weight),
 * the legend says so, and a left-out token's tooltip still gives its
 * weight, marked as not shown.  With the filter off, every token again. */
static void
test_filter_tints_text (void)
{
  AttnWindow *window = pair_window_new ("heatmap", SENTENCE_A, SENTENCE_B);
  AttnDocument *document = attn_window_get_document (window);
  AttnResult *result = attn_document_get_view_result (document);
  guint T = attn_result_get_n_tokens (result), n_tinted = 0;
  g_autofree char *tooltip = NULL;

  attn_document_set_view_query (document, 1);
  attn_pair_bar_set_filter (window->pair_bar, ATTN_PAIR_FILTER_A_TO_B);
  g_assert_cmpint (attn_document_get_pair_filter (document), ==, ATTN_PAIR_FILTER_A_TO_B);
  spin (100);
  for (guint t = 0; t < T; t++)
    {
      gboolean tinted = _attn_tint_get_weight (document, t, NULL);

      g_assert_cmpint (tinted, ==, attn_result_get_sentence (result, t) == 1);
      n_tinted += tinted;
    }
  g_assert_cmpuint (n_tinted, ==, T - attn_result_get_first_b (result));
  g_assert_nonnull (strstr (attn_weight_legend_get_caption (window->weight_legend), "links A → B only"));
  tooltip = attn_token_strip_dup_tooltip (window->token_strip, 2);
  if (strstr (tooltip, "not among the links shown") == NULL)
    g_error ("an A token's tooltip under A → B: %s", tooltip);

  /* A query in B: A → B keeps none of its links. */
  attn_document_set_view_query (document, (int) attn_result_get_first_b (result));
  for (guint t = 0; t < T; t++)
    g_assert_false (_attn_tint_get_weight (document, t, NULL));

  attn_pair_bar_set_filter (window->pair_bar, ATTN_PAIR_FILTER_ALL);
  spin (100);
  for (guint t = 0; t < T; t++)
    g_assert_true (_attn_tint_get_weight (document, t, NULL));
  g_assert_null (strstr (attn_weight_legend_get_caption (window->weight_legend), "links A → B only"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* With A → B on, the values exports hold A's rows and B's keys only, with
 * the result's own weights, and say which links; the figure's title says
 * it too. */
static void
test_exports_carry_filter (void)
{
  AttnWindow *window = pair_window_new ("heatmap", SENTENCE_A, SENTENCE_B);
  AttnResult *result = attn_document_get_view_result (attn_window_get_document (window));
  guint T = attn_result_get_n_tokens (result), first_b = attn_result_get_first_b (result);
  guint L = attn_result_get_n_layers (result), NH = attn_result_get_n_heads (result);
  g_autofree char *dir = g_dir_make_tmp ("pair-export-XXXXXX", NULL);
  g_autofree char *json_path = g_build_filename (dir, "a.json", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "a.csv", NULL);
  g_autofree char *npy_path = g_build_filename (dir, "a.npy", NULL);
  g_autofree char *svg_all = g_build_filename (dir, "all.svg", NULL);
  g_autofree char *svg_ab = g_build_filename (dir, "ab.svg", NULL);
  g_autofree char *text = NULL, *csv = NULL, *npy = NULL, *all = NULL, *ab = NULL;
  g_autofree float *rows = g_new (float, (gsize) T * T);
  g_autofree char *shape = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  json_t *root, *attention;
  gsize n_npy;

  g_assert_cmpuint (first_b, >, 1);
  g_assert_cmpuint (first_b, <, T);
  g_assert_true (_attn_window_export (window, "view", svg_all, NULL, &error));
  attn_pair_bar_set_filter (window->pair_bar, ATTN_PAIR_FILTER_A_TO_B);
  g_assert_true (_attn_window_export (window, "values", json_path, NULL, &error));
  g_assert_true (_attn_window_export (window, "values", csv_path, NULL, &error));
  g_assert_true (_attn_window_export (window, "values", npy_path, NULL, &error));
  g_assert_true (_attn_window_export (window, "view", svg_ab, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (json_path, &text, NULL, NULL));
  root = json_loads (text, 0, NULL);
  g_assert_nonnull (root);
  g_assert_cmpstr (json_string_value (json_object_get (root, "links")), ==, "A->B");
  g_assert_cmpuint (json_array_size (json_object_get (root, "queries")), ==, first_b);
  g_assert_cmpuint (json_array_size (json_object_get (root, "keys")), ==, T - first_b);
  g_assert_cmpint (json_integer_value (json_array_get (json_object_get (root, "keys"), 0)), ==, first_b);
  attention = json_object_get (root, "attention");
  g_assert_cmpuint (json_array_size (attention), ==, L);
  for (guint l = 0; l < L; l++)
    for (guint h = 0; h < NH; h++)
      {
        json_t *head = json_array_get (json_array_get (attention, l), h);

        g_assert_true (attn_result_get_head_rows (result, l, h, 0, T, rows, NULL));
        g_assert_cmpuint (json_array_size (head), ==, first_b);
        for (guint q = 0; q < first_b; q++)
          {
            json_t *row = json_array_get (head, q);

            g_assert_cmpuint (json_array_size (row), ==, T - first_b);
            for (guint k = first_b; k < T; k++)
              g_assert_cmpfloat_with_epsilon (json_number_value (json_array_get (row, k - first_b)),
                                              rows[(gsize) q * T + k], 1e-6);
          }
      }
  json_decref (root);

  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  lines = g_strsplit (g_strchomp (csv), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + (gsize) L * NH * first_b * (T - first_b));
  g_assert_true (g_file_get_contents (npy_path, &npy, &n_npy, NULL));
  shape = g_strdup_printf ("'shape': (%u, %u, %u, %u)", L, NH, first_b, T - first_b);
  g_assert_cmpuint (n_npy, >, 128);
  g_assert_nonnull (g_strstr_len (npy + 10, 118, shape));   /* past the magic and length */

  g_assert_true (g_file_get_contents (svg_all, &all, NULL, NULL));
  g_assert_true (g_file_get_contents (svg_ab, &ab, NULL, NULL));
  g_assert_null (strstr (all, "links A → B only"));
  g_assert_nonnull (strstr (ab, "links A → B only"));

  for (const char *const *p = (const char *const[]) { json_path, csv_path, npy_path, svg_all, svg_ab, NULL }; *p; p++)
    g_unlink (*p);
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
intact_ready (gpointer data)
{
  AttnWindow *window = data;

  return has_result (window) && attn_delta_view_get_intact (window->delta_view) != NULL;
}

/* The block @path's JSON holds under @name: @filter's name, B's rows and
 * A's keys (B → A), each value @want's at that link. */
static void
check_block (const char  *path,
             const char  *name,
             const float *want,
             guint        T,
             guint        first_b)
{
  g_autofree char *text = NULL;
  json_t *root, *matrix;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  root = json_loads (text, 0, NULL);
  g_assert_nonnull (root);
  g_assert_cmpstr (json_string_value (json_object_get (root, "links")), ==, "B->A");
  g_assert_cmpint (json_integer_value (json_array_get (json_object_get (root, "queries"), 0)), ==, first_b);
  g_assert_cmpuint (json_array_size (json_object_get (root, "keys")), ==, first_b);
  matrix = json_object_get (root, name);
  g_assert_cmpuint (json_array_size (matrix), ==, T - first_b);
  for (guint q = first_b; q < T; q++)
    {
      json_t *row = json_array_get (matrix, q - first_b);

      g_assert_cmpuint (json_array_size (row), ==, first_b);
      for (guint k = 0; k < first_b; k++)
        g_assert_cmpfloat_with_epsilon (json_number_value (json_array_get (row, k)), want[(gsize) q * T + k], 1e-6);
    }
  json_decref (root);
}

/* The on-screen view @widget draws something else with @filter than with
 * every link. */
static void
assert_view_filters (AttnWindow     *window,
                     GtkWidget      *widget,
                     AttnPairFilter  filter)
{
  g_autoptr(GBytes) all = NULL, filtered = NULL;

  attn_pair_bar_set_filter (window->pair_bar, ATTN_PAIR_FILTER_ALL);
  spin (200);
  all = widget_dup_pixels (widget, NULL);
  attn_pair_bar_set_filter (window->pair_bar, filter);
  spin (200);
  filtered = widget_dup_pixels (widget, NULL);
  g_assert_cmpint (attn_attention_view_get_display (ATTN_ATTENTION_VIEW (widget))->pairs, ==, filter);
  g_assert_false (g_bytes_equal (all, filtered));
}

/* The heatmap page's rollout and Δ modes export what the Links filter
 * keeps too: their values the block of B's rows and A's keys, with the
 * result's own numbers; their figures say the filter. */
static void
test_derived_exports_carry_filter (void)
{
  AttnWindow *window = pair_window_new ("heatmap", SENTENCE_A, SENTENCE_B);
  AttnDocument *document = attn_window_get_document (window);
  /* words merged, the default: the exports are of the words, as shown */
  AttnResult *result = attn_document_get_view_result (document);
  guint T = attn_result_get_n_tokens (result), first_b = attn_result_get_first_b (result);
  g_autofree char *dir = g_dir_make_tmp ("pair-derived-XXXXXX", NULL);
  g_autofree char *json_path = g_build_filename (dir, "d.json", NULL);
  g_autofree char *svg_path = g_build_filename (dir, "d.svg", NULL);
  g_autofree float *rollout = NULL, *delta = NULL;
  g_autofree char *svg = NULL;
  g_autoptr(AttnAblation) ablation = NULL;
  g_autoptr(GError) error = NULL;

  attn_pair_bar_set_filter (window->pair_bar, ATTN_PAIR_FILTER_B_TO_A);

  _attn_window_set_heatmap_mode (window, ATTN_HEATMAP_MODE_ROLLOUT);
  spin (300);
  /* on screen too */
  assert_view_filters (window, GTK_WIDGET (window->rollout_view), ATTN_PAIR_FILTER_B_TO_A);
  rollout = attn_result_dup_rollout (result, &error);
  g_assert_no_error (error);
  g_assert_true (_attn_window_export (window, "values", json_path, NULL, &error));
  g_assert_no_error (error);
  check_block (json_path, "rollout", rollout, T, first_b);
  g_assert_true (_attn_window_export (window, "view", svg_path, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg_path, &svg, NULL, NULL));
  g_assert_nonnull (strstr (svg, "links B → A only"));
  g_clear_pointer (&svg, g_free);

  /* Δ of a pair, words merged: the intact run reads both sentences too,
   * and merges its words as the shown result did */
  ablation = attn_ablation_parse ("0.1", ATTN_ABLATION_ZERO, attn_result_get_n_layers (result),
                                  attn_result_get_n_heads (result), &error);
  g_assert_no_error (error);
  attn_document_set_heads_off (document, ablation);
  _attn_window_set_heatmap_mode (window, ATTN_HEATMAP_MODE_DELTA);
  if (!wait_until (intact_ready, window))
    g_error ("no intact run: %s", attn_delta_view_get_summary (window->delta_view));
  result = attn_document_get_view_result (document);
  g_assert_nonnull (attn_result_get_words (result));
  spin (200);
  assert_view_filters (window, GTK_WIDGET (window->delta_view), ATTN_PAIR_FILTER_B_TO_A);
  delta = attn_result_dup_delta (result, attn_delta_view_get_intact (window->delta_view),
                                 attn_document_get_layer (document), attn_document_get_head (document), &error);
  g_assert_no_error (error);
  g_assert_true (_attn_window_export (window, "values", json_path, NULL, &error));
  g_assert_no_error (error);
  check_block (json_path, "delta", delta, T, first_b);
  check_block (json_path, "ablated_weights",
               attn_result_get_weights (result, attn_document_get_layer (document), attn_document_get_head (document)),
               T, first_b);
  g_assert_true (_attn_window_export (window, "view", svg_path, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg_path, &svg, NULL, NULL));
  g_assert_nonnull (strstr (svg, "links B → A only"));

  g_unlink (json_path);
  g_unlink (svg_path);
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* An encoder's Predict view shows the masked words of the pass, visible
 * without hovering the strip: the selected mask's (else the first's) top
 * word with its probability, as the result has them. */
static void
test_predict_view_masks (void)
{
  AttnWindow *window = pair_window_new ("predict", "the cat [MASK] on the [MASK]", SENTENCE_B);
  AttnDocument *document = attn_window_get_document (window);
  AttnResult *result = attn_document_get_result (document);
  g_autofree char *top = NULL, *want = NULL, *second = NULL, *want_second = NULL;
  const AttnPrediction *p;

  g_assert_cmpuint (attn_result_get_n_masks (result), ==, 2);
  p = &g_array_index (attn_result_get_mask_predictions (result, 0), AttnPrediction, 0);
  want = g_strdup_printf ("“%s” (%.1f %%)", p->token, 100.0 * p->probability);
  top = attn_predictions_panel_dup_top (window->predictions_panel);
  g_assert_cmpstr (top, ==, want);

  /* selecting the second mask shows its words */
  attn_document_set_query (document, (int) attn_result_get_mask_position (result, 1));
  spin (100);
  p = &g_array_index (attn_result_get_mask_predictions (result, 1), AttnPrediction, 0);
  want_second = g_strdup_printf ("“%s” (%.1f %%)", p->token, 100.0 * p->probability);
  second = attn_predictions_panel_dup_top (window->predictions_panel);
  g_assert_cmpstr (second, ==, want_second);

  if (g_getenv ("ATTENTION_SHOT_DIR") != NULL)
    {
      g_autofree char *path = g_build_filename (g_getenv ("ATTENTION_SHOT_DIR"), "pair-predict-masks-light.png", NULL);

      spin (800);
      save_widget (GTK_WIDGET (window), FALSE, path);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The texts of @widget's labels that are shown, a line each. */
static void
collect_shown_text (GtkWidget *widget,
                    GString   *out)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget) && gtk_label_get_text (GTK_LABEL (widget))[0] != '\0')
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_shown_text (child, out);
}

static char *
dup_shown_text (GtkWidget *widget)
{
  GString *out = g_string_new (NULL);

  collect_shown_text (widget, out);
  return g_string_free (out, FALSE);
}

/* A Predict view on its own, on @model's run of @text. */
static GtkWidget *
panel_on (const char    *model,
          const char    *text,
          AttnDocument **document)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fixtures", "models", model, NULL);
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, NULL);
  GtkWidget *panel = attn_predictions_panel_new ();

  g_assert_nonnull (engine);
  *document = attn_document_new ();
  g_object_ref_sink (panel);
  attn_predictions_panel_set_document (ATTN_PREDICTIONS_PANEL (panel), *document);
  attn_document_set_engine (*document, engine);
  attn_document_set_text (*document, text);
  attn_document_wait (*document);
  spin (50);
  return panel;
}

#define NO_MASK_LINE "Put %s in the sentence to see what the model predicts there"

/* An encoder's Predict view shows only what applies to it: the masks'
 * words (the selected one's list, a line for each other mask), switching
 * heads off; without a mask one line saying to put the model's own mask
 * token in; never the next token's headings (each token's probability, the
 * logit lens, Continue) with nothing under them.  A decoder keeps those. */
static void
test_predict_view_encoder_sections (void)
{
  static const char *const decoder_only[] = { "How probable each token was", "Logit lens", "Continue the text" };
  AttnWindow *window = pair_window_new ("predict", "the cat [MASK] on the [MASK]", SENTENCE_B);
  AttnDocument *document = attn_window_get_document (window);
  AttnResult *result = attn_document_get_result (document);
  g_autofree char *shown = dup_shown_text (GTK_WIDGET (window->predictions_panel));
  g_autofree char *second = NULL, *words = NULL, *line = NULL;
  AttnDocument *alone = NULL;
  GtkWidget *panel;

  words = _attn_dup_predicted_words (attn_result_get_mask_predictions (result, 1), 3);
  second = g_strdup_printf ("Mask 2 of 2 (token %u):%s", attn_result_get_mask_position (result, 1), words);
  if (strstr (shown, "Mask 1 of 2 (token 3): the model fills in") == NULL || strstr (shown, second) == NULL ||
      strstr (shown, "Switch heads off") == NULL)
    g_error ("the masks' words are not all shown:\n%s", shown);
  for (guint i = 0; i < G_N_ELEMENTS (decoder_only); i++)
    if (strstr (shown, decoder_only[i]) != NULL)
      g_error ("an encoder's Predict view shows “%s”:\n%s", decoder_only[i], shown);

  /* no mask: the one line, with BERT's mask token, and no list */
  attn_document_set_text (document, "the cat sat on the mat");
  attn_document_wait (document);
  spin (100);
  g_clear_pointer (&shown, g_free);
  shown = dup_shown_text (GTK_WIDGET (window->predictions_panel));
  line = g_strdup_printf (NO_MASK_LINE, "[MASK]");
  if (strstr (shown, line) == NULL || strstr (shown, "Mask 1") != NULL)
    g_error ("no line saying to put [MASK] in:\n%s", shown);
  g_assert_null (attn_predictions_panel_dup_top (window->predictions_panel));
  for (guint i = 0; i < G_N_ELEMENTS (decoder_only); i++)
    g_assert_null (strstr (shown, decoder_only[i]));
  gtk_window_destroy (GTK_WINDOW (window));

  /* RoBERTa's mask token is <mask> */
  panel = panel_on ("roberta-mlm", "the cat sat on the mat", &alone);
  g_clear_pointer (&shown, g_free);
  g_clear_pointer (&line, g_free);
  shown = dup_shown_text (panel);
  line = g_strdup_printf (NO_MASK_LINE, "<mask>");
  if (strstr (shown, line) == NULL)
    g_error ("no line saying to put <mask> in:\n%s", shown);
  attn_predictions_panel_set_document (ATTN_PREDICTIONS_PANEL (panel), NULL);
  g_assert_finalize_object (panel);
  g_clear_object (&alone);

  /* a decoder keeps every section */
  panel = panel_on ("tiny-f32", "the cat sat on the mat", &alone);
  g_clear_pointer (&shown, g_free);
  shown = dup_shown_text (panel);
  for (guint i = 0; i < G_N_ELEMENTS (decoder_only); i++)
    if (strstr (shown, decoder_only[i]) == NULL)
      g_error ("a decoder's Predict view lacks “%s”:\n%s", decoder_only[i], shown);
  attn_predictions_panel_set_document (ATTN_PREDICTIONS_PANEL (panel), NULL);
  g_assert_finalize_object (panel);
  g_clear_object (&alone);
}

static void
test_screenshots (void)
{
  const char *dir = g_getenv ("ATTENTION_SHOT_DIR");
  g_autofree char *path = NULL;
  AttnWindow *window;

  if (dir == NULL)
    {
      g_test_skip ("ATTENTION_SHOT_DIR not set");
      return;
    }
  /* a mask in sentence A: the strip shows the words it is filled with */
  for (guint dark = 0; dark <= 1; dark++)
    {
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
      window = pair_window_new ("heatmap", SENTENCE_MASKED, SENTENCE_B);
      attn_pair_bar_set_filter (window->pair_bar, ATTN_PAIR_FILTER_A_TO_B);
      attn_document_set_query (attn_window_get_document (window), 2);
      spin (1000);
      g_clear_pointer (&path, g_free);
      path = g_build_filename (dir, dark ? "pair-view-dark.png" : "pair-view-light.png", NULL);
      save_widget (GTK_WIDGET (window), dark, path);
      gtk_window_destroy (GTK_WINDOW (window));
    }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int    argc,
      char **argv)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    return 77;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/attention/pair-window/filter-reaches-views", test_filter_reaches_views);
  g_test_add_func ("/attention/pair-window/filter-tints-text", test_filter_tints_text);
  g_test_add_func ("/attention/pair-window/exports-carry-filter", test_exports_carry_filter);
  g_test_add_func ("/attention/pair-window/derived-exports-carry-filter", test_derived_exports_carry_filter);
  g_test_add_func ("/attention/pair-window/predict-view-masks", test_predict_view_masks);
  g_test_add_func ("/attention/pair-window/predict-view-encoder-sections", test_predict_view_encoder_sections);
  g_test_add_func ("/attention/pair-window/screenshots", test_screenshots);
  return g_test_run ();
}
