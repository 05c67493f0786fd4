/* test-detectors-ui.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 14's head detectors and "Compare with…" in the window, on the tiny
 * fixture model: the grid's overlay draws the engine's own detector
 * numbers (computed here on full traces), the table sorts as those numbers
 * do and a row opens its head, the description gives the scores, the
 * Compare page aligns a second text run off the main thread and ranks the
 * heads as two separate passes say, and the exports carry it all.  With
 * ATTENTION_SHOT_DIR set it photographs both (docs/detectors-*.png,
 * docs/compare-*.png) on the built-in model (ATTENTION_SHOT_MODEL).
 */

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <jansson.h>

#include "ae-detectors.h"
#include "ae-model.h"
#include "ae-trace.h"
#include "attn-compare-values.h"
#include "window-fixture.h"

static gboolean
scored (gpointer data)
{
  AttnWindow *window = data;
  AttnHeadScores *scores = attn_detectors_get_scores (window->detectors);

  return has_result (window) && scores != NULL &&
         attn_head_scores_get_result (scores) == attn_document_get_result (window->document);
}

/* The engine's detectors for every head of @ids (L · NH · COUNT), on a full
 * trace made here: independent of the face's code. */
static double *
engine_scores (AttnWindow    *window,
               const int32_t *ids,
               size_t         T)
{
  const AeModel *model = attn_engine_get_model (attn_document_get_engine (window->document));
  const AeConfig *cfg = ae_model_config (model);
  double *out = g_new (double, cfg->n_layer * cfg->n_head * AE_DETECTOR_COUNT);
  AeTrace *trace = NULL;

  g_assert_cmpint (ae_model_forward (model, ids, T, NULL, &trace, NULL), ==, AE_STATUS_OK);
  for (size_t l = 0; l < cfg->n_layer; l++)
    for (size_t h = 0; h < cfg->n_head; h++)
      {
        AeDetectorScores s;

        ae_detectors_compute (ae_trace_weights (trace, l, h), ids, T, &s);
        for (int d = 0; d < AE_DETECTOR_COUNT; d++)
          out[(l * cfg->n_head + h) * AE_DETECTOR_COUNT + d] = s.score[d];
      }
  ae_trace_free (trace);
  return out;
}

static void
assert_drawn (AttnWindow   *window,
              const double *want,
              int           detector)
{
  const double *drawn = attn_head_grid_get_drawn_scores (window->head_grid);

  g_assert_nonnull (drawn);
  for (guint i = 0; i < 8; i++)
    {
      double w = want[i * AE_DETECTOR_COUNT + detector];

      if (isnan (w))
        g_assert_true (isnan (drawn[i]));
      else
        g_assert_cmpfloat_with_epsilon (drawn[i], w, 1e-6);
    }
}

static void
test_overlay_table_description (void)
{
  AttnWindow *window = window_new_loaded ();
  AttnDocument *doc = attn_window_get_document (window);
  AttnResult *result;
  g_autofree double *want = NULL, *want_probe = NULL;
  const AeModel *model;
  int32_t probe[2 * ATTN_PROBE_HALF + 1];
  size_t n;
  guint layer, head, previous = G_MAXUINT;

  adw_view_stack_set_visible_child_name (window->view_stack, "grid");
  g_assert_true (wait_until (scored, window));
  result = attn_document_get_result (doc);
  want = engine_scores (window, (const int32_t *) attn_result_get_token_ids (result),
                        attn_result_get_n_tokens (result));
  model = attn_engine_get_model (attn_document_get_engine (doc));
  n = ae_induction_probe (ae_model_tokenizer (model), ae_model_config (model)->vocab_size, ATTN_PROBE_HALF,
                          ATTN_PROBE_SEED, ae_model_config (model)->n_ctx, probe);
  want_probe = engine_scores (window, probe, n);

  /* no score chosen: nothing drawn */
  g_assert_null (attn_head_grid_get_drawn_scores (window->head_grid));
  /* "Previous token" on this text, then on the probe */
  gtk_drop_down_set_selected (window->score_dropdown, 1 + ATTN_DETECTOR_PREVIOUS);
  assert_drawn (window, want, AE_DETECTOR_PREVIOUS);
  gtk_drop_down_set_selected (window->score_source_dropdown, 1);
  assert_drawn (window, want_probe, AE_DETECTOR_PREVIOUS);
  /* induction on this text (where " " and "at" repeat), then on a text
   * without repeats, which has no score: the probe's is shown */
  gtk_drop_down_set_selected (window->score_source_dropdown, 0);
  gtk_drop_down_set_selected (window->score_dropdown, 1 + ATTN_DETECTOR_INDUCTION);
  g_assert_cmpuint (gtk_drop_down_get_selected (window->score_source_dropdown), ==, 0);
  assert_drawn (window, want, AE_DETECTOR_INDUCTION);
  attn_document_set_text (doc, "The cat sat");
  g_assert_true (wait_until (scored, window));
  g_assert_cmpuint (gtk_drop_down_get_selected (window->score_source_dropdown), ==, 1);
  assert_drawn (window, want_probe, AE_DETECTOR_INDUCTION);
  attn_document_set_text (doc, "The cat sat on the mat.");
  g_assert_true (wait_until (scored, window));
  gtk_drop_down_set_selected (window->score_dropdown, 1 + ATTN_DETECTOR_FIRST);
  assert_drawn (window, want_probe, AE_DETECTOR_FIRST);
  gtk_drop_down_set_selected (window->score_source_dropdown, 0);
  assert_drawn (window, want, AE_DETECTOR_FIRST);

  /* the table, sorted by "Self" on this text from the highest */
  gtk_stack_set_visible_child_name (window->heads_stack, "table");
  g_assert_cmpuint (attn_detector_table_get_n_rows (window->detector_table), ==, 8);
  attn_detector_table_sort_by (window->detector_table, ATTN_SCORE_SENTENCE, ATTN_DETECTOR_SELF,
                               GTK_SORT_DESCENDING);
  for (guint i = 0; i < 8; i++)
    {
      double x;

      g_assert_true (attn_detector_table_get_row (window->detector_table, i, &layer, &head));
      x = want[(layer * 4 + head) * AE_DETECTOR_COUNT + AE_DETECTOR_SELF];
      if (previous != G_MAXUINT)
        g_assert_cmpfloat (x, <=, want[previous * AE_DETECTOR_COUNT + AE_DETECTOR_SELF]);
      previous = layer * 4 + head;
    }
  attn_detector_table_sort_by (window->detector_table, ATTN_SCORE_PROBE, ATTN_DETECTOR_PREVIOUS,
                               GTK_SORT_ASCENDING);
  previous = G_MAXUINT;
  for (guint i = 0; i < 8; i++)
    {
      g_assert_true (attn_detector_table_get_row (window->detector_table, i, &layer, &head));
      if (previous != G_MAXUINT)
        g_assert_cmpfloat (want_probe[(layer * 4 + head) * AE_DETECTOR_COUNT + AE_DETECTOR_PREVIOUS], >=,
                           want_probe[previous * AE_DETECTOR_COUNT + AE_DETECTOR_PREVIOUS]);
      previous = layer * 4 + head;
    }

  /* a row opens its head in the view the user came from */
  g_assert_true (attn_detector_table_get_row (window->detector_table, 5, &layer, &head));
  attn_detector_table_activate_row (window->detector_table, 5);
  g_assert_cmpuint (attn_document_get_layer (doc), ==, layer);
  g_assert_cmpuint (attn_document_get_head (doc), ==, head);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "heatmap");

  /* ... the heatmap or arcs, whichever was last: never Compare or Predict,
   * which do not show the head */
  adw_view_stack_set_visible_child_name (window->view_stack, "compare");
  adw_view_stack_set_visible_child_name (window->view_stack, "grid");
  attn_detector_table_activate_row (window->detector_table, 5);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "heatmap");
  adw_view_stack_set_visible_child_name (window->view_stack, "arcs");
  adw_view_stack_set_visible_child_name (window->view_stack, "predict");
  adw_view_stack_set_visible_child_name (window->view_stack, "model");
  attn_detector_table_activate_row (window->detector_table, 5);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "arcs");
  adw_view_stack_set_visible_child_name (window->view_stack, "heatmap");

  /* the description gives that head's scores */
  {
    const char *details = attn_head_description_get_details (window->head_description);
    double prev = want[(layer * 4 + head) * AE_DETECTOR_COUNT + AE_DETECTOR_PREVIOUS];
    g_autofree char *figure = g_strdup_printf ("%.2f", prev);

    g_assert_nonnull (strstr (details, "Detectors on this text"));
    g_assert_nonnull (strstr (details, figure));
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
compared (gpointer data)
{
  AttnWindow *window = data;

  return has_result (window) && !attn_compare_get_busy (window->compare) &&
         attn_compare_get_alignment (window->compare) != NULL;
}

static gboolean
exported (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
export_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_compare_page (void)
{
  AttnWindow *window = window_new_loaded ();
  AttnDocument *doc = attn_window_get_document (window);
  g_autoptr(AttnResult) b_alone = NULL;
  g_autoptr(GAsyncResult) async = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("compare-ui-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "compare.json", NULL);
  g_autofree char *png = g_build_filename (dir, "compare.png", NULL);
  g_autofree char *json_text = NULL;
  AttnResult *a, *b;
  AttnAlignment *al;
  guint n = 0, T, rows = 0;
  g_autofree AttnCompareRank *ranks = NULL;
  GtkWidget *child;
  json_t *root;

  adw_view_stack_set_visible_child_name (window->view_stack, "compare");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->compare_stack), ==, "empty");
  gtk_editable_set_text (GTK_EDITABLE (window->compare_entry), "The dog sat on the mat.");
  g_assert_true (wait_until (compared, window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->compare_stack), ==, "view");

  /* B as an independent pass of its own */
  a = attn_document_get_result (doc);
  b = attn_compare_get_result (window->compare);
  b_alone = attn_engine_run (attn_document_get_engine (doc), "The dog sat on the mat.", TRUE, NULL, &error);
  g_assert_no_error (error);
  T = attn_result_get_n_tokens (a);
  g_assert_cmpuint (attn_result_get_n_tokens (b), ==, attn_result_get_n_tokens (b_alone));
  for (guint l = 0; l < 2; l++)
    for (guint h = 0; h < 4; h++)
      g_assert_cmpmem (attn_result_get_weights (b, l, h), attn_result_get_n_tokens (b) * attn_result_get_n_tokens (b) * 4,
                       attn_result_get_weights (b_alone, l, h),
                       attn_result_get_n_tokens (b) * attn_result_get_n_tokens (b) * 4);

  /* the last token: the ranking the window lists is the two passes' */
  attn_document_set_query (doc, (int) T - 1);
  al = attn_alignment_new (a, b_alone);
  ranks = attn_compare_rank_heads (a, b_alone, al, T - 1, &n);
  g_assert_nonnull (ranks);
  g_assert_cmpuint (window->n_compare_ranks, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (window->compare_ranks[i].layer, ==, ranks[i].layer);
      g_assert_cmpuint (window->compare_ranks[i].head, ==, ranks[i].head);
      g_assert_cmpfloat_with_epsilon (window->compare_ranks[i].change, ranks[i].change, 1e-9);
    }
  for (child = gtk_widget_get_first_child (GTK_WIDGET (window->compare_rank_list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    rows++;
  g_assert_cmpuint (rows, ==, MIN (n, 24));
  /* a row opens that head */
  g_signal_emit_by_name (window->compare_rank_list, "row-activated",
                         gtk_list_box_get_row_at_index (window->compare_rank_list, 1));
  g_assert_cmpuint (attn_document_get_layer (doc), ==, ranks[1].layer);
  g_assert_cmpuint (attn_document_get_head (doc), ==, ranks[1].head);

  /* the first token comes before the difference: a left-to-right model
   * gives it the same attention in both, and the page says so */
  attn_document_set_query (doc, 0);
  g_assert_nonnull (strstr (gtk_label_get_text (window->compare_rank_label), "before the first token that differs"));
  for (guint i = 0; i < window->n_compare_ranks; i++)
    g_assert_cmpfloat (window->compare_ranks[i].change, ==, 0.0);

  /* exports: the values and the figure */
  attn_document_set_query (doc, (int) T - 1);
  _attn_window_export_compare_async (window, path, export_cb, &async);
  g_assert_true (wait_until (exported, &async));
  g_assert_true (g_task_propagate_boolean (G_TASK (async), &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &json_text, NULL, NULL));
  root = json_loads (json_text, 0, NULL);
  g_assert_nonnull (root);
  g_assert_cmpint (json_integer_value (json_object_get (root, "query")), ==, (int) T - 1);
  g_assert_cmpstr (json_string_value (json_object_get (root, "text_b")), ==, "The dog sat on the mat.");
  g_assert_cmpuint (json_integer_value (json_object_get (json_array_get (json_object_get (root, "ranking"), 0), "head")),
                    ==, ranks[0].head);
  json_decref (root);
  gtk_toggle_button_set_active (window->compare_delta_button, TRUE);
  g_assert_true (attn_compare_view_get_delta (window->compare_view));
  g_assert_true (_attn_window_export (window, "view", png, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));

  g_unlink (path);
  g_unlink (png);
  g_rmdir (dir);
  attn_alignment_free (al);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_grid_export_overlay (void)
{
  AttnWindow *window = window_new_loaded ();
  g_autofree char *dir = g_dir_make_tmp ("grid-ui-XXXXXX", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain.svg", NULL);
  g_autofree char *scored_svg = g_build_filename (dir, "scored.svg", NULL);
  g_autofree char *scores_csv = g_build_filename (dir, "scores.csv", NULL);
  g_autofree char *a = NULL, *b = NULL, *csv = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) async = NULL;

  adw_view_stack_set_visible_child_name (window->view_stack, "grid");
  g_assert_true (wait_until (scored, window));
  g_assert_true (_attn_window_export (window, "view", plain, NULL, &error));
  gtk_drop_down_set_selected (window->score_dropdown, 1 + ATTN_DETECTOR_PREVIOUS);
  g_assert_true (_attn_window_export (window, "view", scored_svg, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (plain, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (scored_svg, &b, NULL, NULL));
  /* the title says what the overlay is; the plain grid does not */
  g_assert_null (strstr (a, "Previous token on this text"));
  g_assert_nonnull (strstr (b, "Previous token on this text"));

  _attn_window_export_scores_async (window, scores_csv, export_cb, &async);
  g_assert_true (wait_until (exported, &async));
  g_assert_true (g_task_propagate_boolean (G_TASK (async), &error));
  g_assert_true (g_file_get_contents (scores_csv, &csv, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv, "layer,head,previous,"));
  g_unlink (plain);
  g_unlink (scored_svg);
  g_unlink (scores_csv);
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A window on @model showing @view, 1280 × 820. */
static AttnWindow *
window_on (const char *model,
           const char *sentence,
           const char *view)
{
  g_autoptr(GSettings) settings = _attn_settings_new ();
  AttnWindow *window;

  g_settings_set_string (settings, "model", model);
  g_settings_set_string (settings, "sentence", sentence);
  g_settings_set_string (settings, "view", view);
  window = attn_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 820);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (has_result, window));
  spin (300);
  return window;
}

static void
shoot (AttnWindow *window,
       const char *dir,
       const char *name,
       gboolean    dark)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  spin (800);
  save_widget (GTK_WIDGET (window), dark, path);
}

static void
test_screenshots (void)
{
  const char *dir = g_getenv ("ATTENTION_SHOT_DIR");
  g_autofree char *model = NULL;
  AttnWindow *window;
  AdwStyleManager *style = adw_style_manager_get_default ();

  if (dir == NULL)
    {
      g_test_skip ("ATTENTION_SHOT_DIR not set");
      return;
    }
  model = g_getenv ("ATTENTION_SHOT_MODEL") ? g_strdup (g_getenv ("ATTENTION_SHOT_MODEL"))
                                           : attn_engine_dup_builtin_dir ();

  /* Light: the grid's overlay and the two texts side by side; dark: the
   * table and the difference. */
  for (int dark = 0; dark < 2; dark++)
    {
      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
      window = window_on (model, "The trophy didn't fit in the suitcase because it was too big.", "grid");
      g_assert_true (wait_until (scored, window));
      gtk_drop_down_set_selected (window->score_dropdown, 1 + ATTN_DETECTOR_INDUCTION);
      gtk_drop_down_set_selected (window->score_source_dropdown, 1);
      if (dark)
        {
          gtk_stack_set_visible_child_name (window->heads_stack, "table");
          shoot (window, dir, "detectors-table-dark.png", dark);
        }
      else
        shoot (window, dir, "detectors-grid-light.png", dark);
      gtk_window_destroy (GTK_WINDOW (window));

      window = window_on (model, "The trophy didn't fit in the suitcase because it was too big.", "compare");
      gtk_editable_set_text (GTK_EDITABLE (window->compare_entry),
                             "The trophy didn't fit in the suitcase because it was too small.");
      g_assert_true (wait_until (compared, window));
      attn_document_set_query (attn_window_get_document (window),
                               (int) attn_result_get_n_tokens (attn_document_get_result (attn_window_get_document (window))) - 1);
      /* the head whose attention at "." changes most */
      g_assert_cmpuint (window->n_compare_ranks, >, 0);
      attn_document_set_layer (attn_window_get_document (window), window->compare_ranks[0].layer);
      attn_document_set_head (attn_window_get_document (window), window->compare_ranks[0].head);
      gtk_toggle_button_set_active (window->compare_delta_button, dark);
      shoot (window, dir, dark ? "compare-delta-dark.png" : "compare-light.png", dark);
      gtk_window_destroy (GTK_WINDOW (window));
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int    argc,
      char **argv)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    return 77;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/detectors-ui/overlay-table-description", test_overlay_table_description);
  g_test_add_func ("/detectors-ui/compare-page", test_compare_page);
  g_test_add_func ("/detectors-ui/grid-export-overlay", test_grid_export_overlay);
  g_test_add_func ("/detectors-ui/screenshots", test_screenshots);
  return g_test_run ();
}
