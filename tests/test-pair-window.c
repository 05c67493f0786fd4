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

#include "attn-pair-bar.h"
#include "window-fixture.h"

#define SENTENCE_A "the cat sat on the mat"
#define SENTENCE_B "it was playing"

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

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
  window = pair_window_new ("heatmap", SENTENCE_A, SENTENCE_B);
  attn_pair_bar_set_filter (window->pair_bar, ATTN_PAIR_FILTER_A_TO_B);
  attn_document_set_query (attn_window_get_document (window), 2);
  spin (1000);
  path = g_build_filename (dir, "pair-view-light.png", NULL);
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
  g_test_add_func ("/attention/pair-window/filter-reaches-views", test_filter_reaches_views);
  g_test_add_func ("/attention/pair-window/screenshots", test_screenshots);
  return g_test_run ();
}
