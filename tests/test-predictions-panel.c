/* test-predictions-panel.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Predict view (issue 14) on the tiny fixture model: its first line is
 * the result's own top prediction, "Continue" at temperature 0 appends the
 * greedy token as an edit (three times for Continue N = 3), switching a head
 * off reruns the document with the ablation and reports the change in the
 * intact top prediction's log-probability.  With ATTENTION_SHOT_DIR set it
 * photographs the view (docs/predict-*.png).
 */

#include <string.h>

#include "attn-predictions.h"
#include "window-fixture.h"

static void
show_predict (AttnWindow *window)
{
  adw_view_stack_set_visible_child_name (window->view_stack, "predict");
  spin (100);
}

static void
test_top_and_continue (void)
{
  AttnWindow *window = window_new_loaded ();
  AttnDocument *doc = attn_window_get_document (window);
  AttnResult *result = attn_document_get_result (doc);
  guint T = attn_result_get_n_tokens (result);
  g_autoptr(GArray) top = attn_result_predict (result, T - 1, 1, NULL);
  g_autofree char *shown = NULL, *expected_text = NULL, *before = NULL;
  const AttnPrediction *first;

  show_predict (window);
  g_assert_nonnull (top);
  first = &g_array_index (top, AttnPrediction, 0);
  shown = attn_predictions_panel_dup_top (window->predictions_panel);
  g_assert_nonnull (shown);
  g_assert_nonnull (strstr (shown, first->token));

  /* the row of each token's probability does not depend on the query: a
   * token click keeps it (rebuilding it took ~50 ms a click at 1,000 tokens) */
  {
    GtkWidget *surprise = _attn_predictions_panel_get_surprise (window->predictions_panel);
    GtkWidget *child = gtk_widget_get_first_child (surprise);
    g_autoptr(GArray) at_2 = attn_result_predict (result, 2, 1, NULL);
    g_autofree char *shown_2 = NULL;

    g_assert_nonnull (child);
    attn_document_set_query (doc, 1);
    attn_document_set_query (doc, 2);
    g_assert_true (gtk_widget_get_first_child (surprise) == child);
    shown_2 = attn_predictions_panel_dup_top (window->predictions_panel);
    g_assert_nonnull (strstr (shown_2, g_array_index (at_2, AttnPrediction, 0).token));
    attn_document_set_query (doc, -1);
  }

  /* temperature 0 (the default): the greedy token, appended as an edit */
  before = g_strdup (attn_document_get_text (doc));
  expected_text = g_strconcat (before, first->token, NULL);
  attn_predictions_panel_continue (window->predictions_panel, 1);
  g_assert_cmpstr (attn_document_get_text (doc), ==, expected_text);
  g_assert_true (wait_until (has_result, window));

  /* three more, one pass each */
  g_clear_pointer (&before, g_free);
  before = g_strdup (attn_document_get_text (doc));
  attn_predictions_panel_continue (window->predictions_panel, 3);
  for (int i = 0; i < 200; i++)
    spin (10);
  g_assert_true (wait_until (has_result, window));
  g_assert_true (g_str_has_prefix (attn_document_get_text (doc), before));
  g_assert_cmpuint (strlen (attn_document_get_text (doc)), >, strlen (before));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_ablation (void)
{
  AttnWindow *window = window_new_loaded ();
  AttnDocument *doc = attn_window_get_document (window);
  bool heads[8] = { false };
  AeAblation ablation = { AE_ABLATION_ZERO, 2, 4, heads };
  g_autofree char *label = NULL;
  AttnResult *result;

  show_predict (window);
  heads[1] = true;          /* 0.1 */
  heads[4 + 3] = true;      /* 1.3 */
  attn_document_set_ablation (doc, &ablation);
  g_assert_nonnull (attn_document_get_ablation (doc));
  g_assert_true (wait_until (has_result, window));
  result = attn_document_get_result (doc);
  label = attn_result_dup_ablation_label (result);
  g_assert_cmpstr (label, ==, "heads 0.1, 1.3 off (zero)");
  attn_document_set_ablation (doc, NULL);
  g_assert_null (attn_document_get_ablation (doc));
  g_assert_true (wait_until (has_result, window));
  g_assert_null (attn_result_get_ablation (attn_document_get_result (doc)));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A window on @model with @sentence in the Predict view, 1100 × 900. */
static AttnWindow *
window_on (const char *model,
           const char *sentence)
{
  g_autoptr(GSettings) settings = _attn_settings_new ();
  AttnWindow *window;

  g_settings_set_string (settings, "model", model);
  g_settings_set_string (settings, "sentence", sentence);
  g_settings_set_string (settings, "view", "predict");
  window = attn_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 900);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (has_result, window));
  spin (300);
  return window;
}

/* docs/predict-next.png (the predictions after a token of a sentence) and
 * docs/predict-ablated.png (a repeated sequence with the two heads the
 * induction probe ranks first switched off), on ATTENTION_SHOT_MODEL (the
 * built-in model when unset) with ATTENTION_SHOT_ABLATE ("3.3,3.5"). */
static void
test_screenshots (void)
{
  const char *dir = g_getenv ("ATTENTION_SHOT_DIR");
  const char *ablate = g_getenv ("ATTENTION_SHOT_ABLATE");
  g_autofree char *model = NULL;
  g_autofree char *path = NULL;
  AttnWindow *window;
  AttnDocument *doc;

  if (dir == NULL)
    {
      g_test_skip ("ATTENTION_SHOT_DIR not set");
      return;
    }
  model = g_getenv ("ATTENTION_SHOT_MODEL") ? g_strdup (g_getenv ("ATTENTION_SHOT_MODEL"))
                                           : attn_engine_dup_builtin_dir ();

  window = window_on (model, "The cat sat on the mat. The dog sat on the");
  attn_document_set_query (attn_window_get_document (window), 6);
  spin (300);
  path = g_build_filename (dir, "predict-next.png", NULL);
  save_widget (GTK_WIDGET (window), FALSE, path);
  gtk_window_destroy (GTK_WINDOW (window));

  window = window_on (model, "river stone table music paper window letter water light money "
                             "river stone table music paper window letter water");
  doc = attn_window_get_document (window);
  {
    guint L = attn_engine_get_n_layers (attn_document_get_engine (doc));
    guint NH = attn_engine_get_n_heads (attn_document_get_engine (doc));
    g_autofree bool *heads = g_new0 (bool, L * NH);
    AeAblation ablation = { AE_ABLATION_ZERO, L, NH, heads };
    AeError error = { 0 };

    g_assert_cmpint (ae_ablation_parse (ablate ? ablate : "3.3,3.5", L, NH, heads, &error), ==,
                     AE_STATUS_OK);
    attn_document_set_ablation (doc, &ablation);
  }
  g_assert_true (wait_until (has_result, window));
  spin (300);
  g_clear_pointer (&path, g_free);
  path = g_build_filename (dir, "predict-ablated.png", NULL);
  save_widget (GTK_WIDGET (window), FALSE, path);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    return 77;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/predictions-panel/top-and-continue", test_top_and_continue);
  g_test_add_func ("/predictions-panel/ablation", test_ablation);
  g_test_add_func ("/predictions-panel/screenshots", test_screenshots);
  return g_test_run ();
}
