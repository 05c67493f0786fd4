/* test-learn-live.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Learn tour's figures that run more than the document's own pass,
 * under Xvfb on the built-in model: switching each head off (section 8),
 * the same sentence on a bidirectional model from the model cache
 * (section 5), and the head thumbnails from the keyboard (section 4).
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ae-ablation.h"
#include "attn-head-description.h"
#include "attn-learn-ablation.h"
#include "attn-learn-encoder.h"
#include "attn-learn-example.h"
#include "attn-learn-heads.h"
#include "attn-predictions.h"
#include "learn-fixture.h"

/* Section 4's thumbnails from the keyboard: each head is a focusable
 * child that names itself and says what its weights do; the arrow keys
 * (or a click) select the head, activating it (Enter, Space, a double
 * click) opens it in the heatmap. */
static void
test_learn_heads_keyboard (void)
{
  AttnWindow *window = window_new_first_launch ("The cat sat on the mat and looked at the dog.", 1100);
  AttnDocument *document = attn_window_get_document (window);
  AttnResult *result = attn_document_get_result (document);
  AttnLearnHeads *figure = ATTN_LEARN_HEADS (find (window, "figure-heads"));
  guint L = attn_result_get_n_layers (result), NH = attn_result_get_n_heads (result);
  GtkWidget *thumb;

  for (guint l = 0; l < L; l++)
    for (guint h = 0; h < NH; h++)
      {
        g_autofree char *summary = _attn_head_dup_summary (result, l, h, NULL, NULL);
        g_autofree char *label = g_strdup_printf ("Layer %u, head %u: %s", l, h,
                                                  _attn_learn_heads_get_caption (figure, l, h));
        char *failure;

        thumb = _attn_learn_heads_get_thumbnail (figure, l, h);
        g_assert_nonnull (thumb);
        g_assert_true (gtk_widget_get_focusable (thumb));
        failure = gtk_test_accessible_check_property (GTK_ACCESSIBLE (thumb),
                                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary);
        g_assert_null (failure);
        if (_attn_learn_heads_get_caption (figure, l, h)[0] != '\0')
          {
            failure = gtk_test_accessible_check_property (GTK_ACCESSIBLE (thumb),
                                                          GTK_ACCESSIBLE_PROPERTY_LABEL, label);
            g_assert_null (failure);
          }
      }
  g_assert_null (_attn_learn_heads_get_thumbnail (figure, L, 0));

  /* The arrow keys (the flow box's move-cursor binding) select the next
   * head, the last of a layer's row moving on to the next layer. */
  attn_document_set_layer (document, 1);
  attn_document_set_head (document, NH - 2);
  /* Tab into the grid: the selected head's map takes the focus */
  gtk_widget_grab_focus (find (window, "contents"));
  g_assert_true (gtk_widget_child_focus (find (window, "heads-grid"), GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_widget_has_focus (_attn_learn_heads_get_thumbnail (figure, 1, NH - 2)));
  {
    gboolean handled = FALSE;

    g_signal_emit_by_name (find (window, "heads-grid"), "move-cursor", GTK_MOVEMENT_VISUAL_POSITIONS, 1,
                           FALSE, FALSE, &handled);
    g_assert_true (handled);
  }
  g_assert_cmpuint (attn_document_get_layer (document), ==, 1);
  g_assert_cmpuint (attn_document_get_head (document), ==, NH - 1);
  g_assert_true (gtk_widget_has_focus (_attn_learn_heads_get_thumbnail (figure, 1, NH - 1)));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "learn");
  /* The document's head selects its thumbnail, whoever changed it. */
  attn_document_set_layer (document, 0);
  attn_document_set_head (document, 1);
  {
    g_autoptr(GList) selected = gtk_flow_box_get_selected_children (GTK_FLOW_BOX (find (window, "heads-grid")));

    g_assert_nonnull (selected);
    g_assert_true (selected->data == (gpointer) _attn_learn_heads_get_thumbnail (figure, 0, 1));
  }
  /* Enter or Space: the child's activate signal, which opens the head. */
  thumb = _attn_learn_heads_get_thumbnail (figure, L - 1, 0);
  g_assert_true (gtk_widget_activate (thumb));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "heatmap");
  g_assert_cmpuint (attn_document_get_layer (document), ==, L - 1);
  g_assert_cmpuint (attn_document_get_head (document), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
ablated_result (gpointer data)
{
  AttnDocument *document = attn_window_get_document (ATTN_WINDOW (data));

  return is_current (data) && attn_result_get_ablation (attn_document_get_result (document)) != NULL;
}

/* A pass of the document's text with only (@layer, @head) zeroed (-1: intact). */
static AttnResult *
run_ablated (AttnDocument *document,
             int           layer,
             int           head)
{
  AttnEngine *engine = attn_document_get_engine (document);
  guint L = attn_engine_get_n_layers (engine), NH = attn_engine_get_n_heads (engine);
  g_autofree bool *off = g_new0 (bool, L * NH);
  AeAblation ablation = { AE_ABLATION_ZERO, L, NH, off };
  g_autoptr(GError) error = NULL;
  AttnResult *result;

  if (layer >= 0)
    off[layer * NH + head] = TRUE;
  result = attn_engine_run_options (engine, attn_document_get_text (document),
                                    &(AttnRunOptions) { .truncate = TRUE,
                                                        .ablation = layer >= 0 ? &ablation : NULL },
                                    NULL, &error);
  g_assert_no_error (error);
  return result;
}

/* Section 8, switching heads off on the user's sentence: the prediction is
 * the intact model's top token, every head's weight is its largest from
 * the query and every Δ is what a pass with that head alone zeroed gives
 * (recomputed here); the picks follow the rule (the idle one looks hard
 * and moves the prediction least, the other moves it most); each button
 * opens the Predict view at the query with that head alone off, whose
 * result moves the prediction by the same Δ. */
static void
test_learn_ablation (void)
{
  AttnWindow *window = window_new_first_launch ("The cat sat on the mat and looked at the dog.", 1100);
  AttnDocument *document = attn_window_get_document (window);
  AttnLearnAblation *figure = ATTN_LEARN_ABLATION (find (window, "figure-ablation"));
  g_autoptr(AttnResult) intact = NULL;
  g_autoptr(GArray) top = NULL;
  const AttnHeadEffects *effects;
  const AttnHeadEffect *idle, *matters;
  guint L, NH, T, n_high = 0;
  int want_idle = -1, want_matters = -1;

  attn_document_set_query (document, 3);
  g_assert_true (wait_until (ablation_ready, figure));
  effects = attn_learn_ablation_get_effects (figure);
  intact = run_ablated (document, -1, -1);
  L = attn_result_get_n_layers (intact);
  NH = attn_result_get_n_heads (intact);
  T = attn_result_get_n_tokens (intact);
  top = attn_result_predict (intact, 3, 1, NULL);
  g_assert_cmpuint (effects->position, ==, 3);
  g_assert_cmpint (effects->target, ==, g_array_index (top, AttnPrediction, 0).id);
  g_assert_cmpfloat_with_epsilon (effects->intact_logprob, log (g_array_index (top, AttnPrediction, 0).probability), 1e-5);
  g_assert_cmpuint (effects->n_effects, ==, L * NH);   /* the built-in model has fewer than 64 */

  for (guint i = 0; i < effects->n_effects; i++)
    {
      const AttnHeadEffect *e = &effects->effects[i];
      const float *row = attn_result_get_weights (intact, e->layer, e->head) + 3 * T;
      g_autoptr(AttnResult) ablated = run_ablated (document, (int) e->layer, (int) e->head);
      double delta = attn_result_logprob_of (ablated, 3, effects->target) - effects->intact_logprob;
      float best = 0;

      for (guint j = 0; j <= 3; j++)
        best = MAX (best, row[j]);
      g_assert_cmpfloat_with_epsilon (e->weight, best, 1e-7);
      g_assert_cmpfloat_with_epsilon (row[e->key], best, 1e-7);
      g_assert_cmpfloat_with_epsilon (e->delta, delta, 1e-4);
      if (i > 0)
        g_assert_cmpfloat (e->weight, <=, effects->effects[i - 1].weight);
      if (e->weight >= 0.5)
        n_high++;
    }
  /* The rule, independently: among the heads that look hard (weight ≥ 0.5,
   * or the top quarter), the smallest |Δ|; then the largest of the others. */
  if (n_high == 0)
    n_high = MAX (1, effects->n_effects / 4);
  for (guint i = 0; i < n_high; i++)
    if (want_idle < 0 || fabs (effects->effects[i].delta) < fabs (effects->effects[want_idle].delta))
      want_idle = (int) i;
  for (guint i = 0; i < effects->n_effects; i++)
    if ((int) i != want_idle
        && (want_matters < 0 || fabs (effects->effects[i].delta) > fabs (effects->effects[want_matters].delta)))
      want_matters = (int) i;
  idle = attn_learn_ablation_get_pick (figure, ATTN_LEARN_PICK_IDLE);
  matters = attn_learn_ablation_get_pick (figure, ATTN_LEARN_PICK_MATTERS);
  g_assert_true (idle == &effects->effects[want_idle]);
  g_assert_true (matters == &effects->effects[want_matters]);
  g_test_message ("idle: L%u H%u weight %.3f Δ %+.4f; matters: L%u H%u weight %.3f Δ %+.4f",
                  idle->layer, idle->head, idle->weight, idle->delta,
                  matters->layer, matters->head, matters->weight, matters->delta);
  g_assert_cmpfloat (fabs (matters->delta), >, fabs (idle->delta));
  {
    g_autofree char *idle_delta = g_strdup_printf ("changes by %+.2f", idle->delta);
    g_autofree char *matters_delta = g_strdup_printf ("changes by %+.2f", matters->delta);

    g_assert_nonnull (strstr (description (window, "figure-ablation"), idle_delta));
    g_assert_nonnull (strstr (description (window, "figure-ablation"), matters_delta));
  }

  /* Each button: the Predict view, the query, that head alone off. */
  for (guint p = 0; p < ATTN_LEARN_N_PICKS; p++)
    {
      const AttnHeadEffect *pick = p == ATTN_LEARN_PICK_IDLE ? idle : matters;
      guint layer = pick->layer, head = pick->head;
      double delta = pick->delta, intact_logprob = effects->intact_logprob;
      gint32 target = effects->target;
      const AeAblation *ablation;
      AttnResult *result;

      adw_view_stack_set_visible_child_name (window->view_stack, "learn");
      click (find (window, p == ATTN_LEARN_PICK_IDLE ? "ablation-idle" : "ablation-matters"));
      g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "predict");
      g_assert_cmpint (attn_document_get_query (document), ==, 3);
      ablation = attn_document_get_ablation (document);
      g_assert_nonnull (ablation);
      g_assert_cmpuint (ae_ablation_count (ablation), ==, 1);
      g_assert_true (ae_ablation_has (ablation, layer, head));
      g_assert_true (wait_until (ablated_result, window));
      result = attn_document_get_result (document);
      g_assert_true (ae_ablation_has (attn_result_get_ablation (result), layer, head));
      g_assert_cmpfloat_with_epsilon (attn_result_logprob_of (result, 3, target) - intact_logprob, delta, 1e-4);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Short enough for the tiny BERT fixture's 32 positions. */
#define SHORT_EXAMPLE "the trophy and the suitcase it was big"

/* Removes a directory the test made, links and all. */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_assert_cmpint (g_remove (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

/* A Hugging Face cache holding the tiny BERT fixture as test-org/tiny-bert
 * (refs/main, a snapshot of links to the fixture's files). */
static char *
encoder_cache_new (void)
{
  static const char *const files[] = { "config.json", "model.safetensors", "tokenizer_config.json", "vocab.txt" };
  const char *commit = "0123456789abcdef0123456789abcdef01234567";
  g_autofree char *cache = g_dir_make_tmp ("attention-learn-hub-XXXXXX", NULL);
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "fixtures", "models", "bert-mlm", NULL);
  g_autofree char *repo = g_build_filename (cache, "models--test-org--tiny-bert", NULL);
  g_autofree char *snapshot = g_build_filename (repo, "snapshots", commit, NULL);
  g_autofree char *refs = g_build_filename (repo, "refs", NULL);
  g_autofree char *main_ref = g_build_filename (refs, "main", NULL);

  g_assert_cmpint (g_mkdir_with_parents (snapshot, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (refs, 0700), ==, 0);
  g_assert_true (g_file_set_contents (main_ref, commit, -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *source = g_build_filename (fixture, files[i], NULL);
      g_autofree char *link = g_build_filename (snapshot, files[i], NULL);

      g_assert_cmpint (symlink (source, link), ==, 0);
    }
  return g_steal_pointer (&cache);
}

static gboolean
compare_ready (gpointer data)
{
  AttnWindow *window = data;
  AttnLearnEncoder *encoder = ATTN_LEARN_ENCODER (_attn_learn_page_find (window->learn_page, "encoder"));
  AttnDocument *compare = attn_learn_encoder_get_compare (encoder);
  AttnResult *result = compare ? attn_document_get_result (compare) : NULL;
  int it, trophy, suitcase;

  return result != NULL && !attn_document_get_busy (compare)
         && g_strcmp0 (attn_result_get_text (result),
                       attn_document_get_text (attn_window_get_document (window))) == 0
         && attn_learn_example_get_tokens (ATTN_LEARN_EXAMPLE (_attn_learn_page_find (window->learn_page,
                                                                                      "figure-example-encoder")),
                                           &it, &trophy, &suitcase);
}

/* The weight "it" gives the words after it in each head, from @result's
 * weights and token spans, against what @figure says; the largest. */
static double
check_later_weights (AttnLearnExample *figure,
                     AttnResult       *result)
{
  guint T = attn_result_get_n_tokens (result);
  gsize it_start, it_end;
  double largest = 0;
  int it, trophy, suitcase;

  g_assert_true (attn_learn_example_get_tokens (figure, &it, &trophy, &suitcase));
  g_assert_cmpstr (attn_result_get_token_text (result, it), !=, NULL);
  attn_result_get_token_span (result, it, &it_start, &it_end);
  g_assert_cmpuint (it_end - it_start, >=, 2);
  for (guint l = 0; l < attn_result_get_n_layers (result); l++)
    for (guint h = 0; h < attn_result_get_n_heads (result); h++)
      {
        const float *w = attn_result_get_weights (result, l, h) + (gsize) it * T;
        double later = 0;

        for (guint j = it + 1; j < T; j++)
          {
            gsize start, end;

            attn_result_get_token_span (result, j, &start, &end);
            if (end > start && start >= it_end)
              later += w[j];
          }
        g_assert_cmpfloat_with_epsilon (attn_learn_example_get_weight (figure, 2, l, h), later, 1e-6);
        largest = MAX (largest, later);
      }
  return largest;
}

/* Section 5's bidirectional model: with none cached, the tour says what to
 * download and opens the download dialog; with one cached, it runs the
 * same sentence on it beside the loaded model, where "it" gives weight to
 * the words after it (0 in the built-in model), and follows the editor;
 * with an encoder loaded, it says the figure above already shows that. */
static void
test_learn_encoder (void)
{
  g_autofree char *empty = g_dir_make_tmp ("attention-learn-empty-XXXXXX", NULL);
  g_autofree char *cache = encoder_cache_new ();
  g_autofree char *bert = g_test_build_filename (G_TEST_DIST, "fixtures", "models", "bert-mlm", NULL);
  AttnWindow *window;
  AttnDocument *document;
  AttnLearnEncoder *encoder;
  AttnResult *result;
  double largest;

  /* Nothing cached. */
  g_setenv ("HF_HUB_CACHE", empty, TRUE);
  window = window_new_first_launch (SHORT_EXAMPLE, 1100);
  encoder = ATTN_LEARN_ENCODER (find (window, "encoder"));
  g_assert_null (attn_learn_encoder_get_offered (encoder));
  g_assert_false (gtk_widget_get_visible (find (window, "compare-encoder")));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (find (window, "encoder-status"))),
                            "distilbert/distilbert-base-uncased"));
  click (find (window, "download-encoder"));
  g_assert_nonnull (window->download_dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->download_dialog)));
  gtk_window_destroy (window->download_dialog);
  gtk_window_destroy (GTK_WINDOW (window));

  /* An encoder in the cache: the built-in model stays loaded, the
   * encoder reads the same sentence in a second figure. */
  g_setenv ("HF_HUB_CACHE", cache, TRUE);
  window = window_new_first_launch (SHORT_EXAMPLE, 1100);
  document = attn_window_get_document (window);
  encoder = ATTN_LEARN_ENCODER (find (window, "encoder"));
  g_assert_cmpstr (attn_learn_encoder_get_offered (encoder), ==, "test-org/tiny-bert");
  g_assert_false (gtk_widget_get_visible (find (window, "download-encoder")));
  click (find (window, "compare-encoder"));
  g_assert_true (wait_until (compare_ready, window));
  result = attn_document_get_result (attn_learn_encoder_get_compare (encoder));
  g_assert_true (attn_result_is_bidirectional (result));
  g_assert_false (attn_result_is_bidirectional (attn_document_get_result (document)));
  largest = check_later_weights (ATTN_LEARN_EXAMPLE (find (window, "figure-example-encoder")), result);
  g_test_message ("tiny BERT: the most weight a head at “it” gives the words after it: %.3f", largest);
  g_assert_cmpfloat (largest, >, 0.01);
  g_assert_cmpfloat (check_later_weights (ATTN_LEARN_EXAMPLE (find (window, "figure-example")),
                                          attn_document_get_result (document)), ==, 0.0);
  g_assert_nonnull (strstr (description (window, "figure-example-encoder"), "reads both ways"));
  g_assert_true (gtk_widget_is_visible (find (window, "figure-example-encoder")));
  /* It follows the editor. */
  attn_document_set_text (document, SHORT_EXAMPLE " too");
  g_assert_true (wait_until (compare_ready, window));
  gtk_window_destroy (GTK_WINDOW (window));

  /* The encoder loaded: the example figure itself shows it. */
  g_setenv ("ATTENTION_LEARN_MODEL", bert, TRUE);
  window = window_new_first_launch (SHORT_EXAMPLE, 1100);
  g_unsetenv ("ATTENTION_LEARN_MODEL");
  document = attn_window_get_document (window);
  g_assert_true (attn_result_is_bidirectional (attn_document_get_result (document)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (find (window, "encoder-status"))),
                            "The loaded model reads both ways"));
  g_assert_false (gtk_widget_get_visible (find (window, "compare-encoder")));
  g_assert_false (gtk_widget_get_visible (find (window, "download-encoder")));
  g_assert_cmpfloat (check_later_weights (ATTN_LEARN_EXAMPLE (find (window, "figure-example")),
                                          attn_document_get_result (document)), >, 0.01);
  gtk_window_destroy (GTK_WINDOW (window));
  g_setenv ("HF_HUB_CACHE", empty, TRUE);
  remove_tree (cache);
  remove_tree (empty);
}

int
main (int   argc,
      char *argv[])
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    return 77;
  learn_test_init (&argc, &argv);

  g_test_add_func ("/attention/learn/heads-keyboard", test_learn_heads_keyboard);
  g_test_add_func ("/attention/learn/ablation", test_learn_ablation);
  g_test_add_func ("/attention/learn/encoder", test_learn_encoder);

  return g_test_run ();
}
