/* test-learn.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Learn tour under Xvfb, walked top to bottom on the built-in model: a first launch opens on it, each section is there with a figure
 * whose description states the numbers of the document's own result, the
 * example buttons load their sentence and select the token to watch, and
 * the open buttons land in the right view (or walkthrough step) with the
 * same selection.  With ATTENTION_SHOT_DIR set it photographs every
 * section, light and dark (docs/learn-*.png).
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "ae-stats.h"
#include "ae-steps.h"
#include "attn-learn-ablation.h"
#include "attn-learn-block.h"
#include "attn-learn-example.h"
#include "attn-learn-figure.h"
#include "attn-learn-glossary.h"
#include "attn-learn-heads.h"
#include "attn-learn-norms.h"
#include "attn-learn-page.h"
#include "attn-learn-step.h"
#include "attn-render.h"
#include "attn-residual.h"
#include "attn-result-vectors.h"
#include "learn-fixture.h"

/* A first launch opens on the tour and remembers that it did; a window
 * whose user chose a view keeps that view. */
static void
test_learn_first_launch (void)
{
  g_autoptr(GSettings) settings = _attn_settings_new ();
  AttnWindow *window = window_new_first_launch ("The cat sat on the mat.", 1100);

  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "learn");
  g_assert_true (g_settings_get_boolean (settings, "learn-shown"));
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (window->head_description)));
  gtk_window_destroy (GTK_WINDOW (window));

  /* Seen once: the next window opens where the user left it. */
  g_settings_set_string (settings, "view", "arcs");
  window = attn_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (is_current, window));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "arcs");
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (window->head_description)));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Section 1: the highlighter's description names the query, its strongest
 * key other than the first token and that weight, all from the result; a
 * new query changes it; the open buttons show the same query in the views. */
static void
test_learn_what (void)
{
  AttnWindow *window = window_new_first_launch ("The cat sat on the mat.", 1100);
  AttnDocument *document = attn_window_get_document (window);
  AttnResult *result = attn_document_get_result (document);
  guint T = attn_result_get_n_tokens (result);
  const float *w;
  g_autofree char *expected = NULL;
  g_autofree char *query_label = NULL;
  g_autofree char *key_label = NULL;
  int best = 1;

  g_assert_nonnull (_attn_learn_page_get_section (window->learn_page, ATTN_LEARN_SECTION_WHAT));
  attn_document_set_layer (document, 1);
  attn_document_set_head (document, 1);
  attn_document_set_query (document, 3);
  w = attn_result_get_weights (result, 1, 1);
  for (int j = 1; j < 3; j++)
    if (w[3 * T + j] > w[3 * T + best])
      best = j;
  query_label = token_label (result, 3);
  key_label = token_label (result, best);
  expected = g_strdup_printf ("attention of %s in layer 1, head 1: its strongest link other than "
                              "the first token is %s (weight %.2f); the %u tokens after it",
                              query_label, key_label, w[3 * T + best], T - 4);
  g_test_message ("%s", description (window, "figure-what"));
  g_assert_nonnull (strstr (description (window, "figure-what"), expected));
  /* Section 2 shows the same highlighter. */
  g_assert_cmpstr (description (window, "figure-why"), ==, description (window, "figure-what"));

  /* No query: the figure shows the last word (" mat", not "."), and
   * opening a view makes that the document's query. */
  attn_document_set_query (document, -1);
  g_clear_pointer (&query_label, g_free);
  g_assert_cmpstr (attn_result_get_token_text (result, T - 1), ==, ".");
  query_label = token_label (result, (int) T - 2);
  g_assert_nonnull (strstr (description (window, "figure-what"), query_label));
  click (find (window, "open-what-heatmap"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "heatmap");
  g_assert_cmpint (attn_document_get_query (document), ==, (int) T - 2);
  adw_view_stack_set_visible_child_name (window->view_stack, "learn");
  click (find (window, "open-what-arcs"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "arcs");

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
query_is_set (gpointer data)
{
  return is_current (data)
         && attn_document_get_query (attn_window_get_document (ATTN_WINDOW (data))) >= 0;
}

/* Section 2: each example loads its sentence and selects the token it is
 * about, once the sentence is computed. */
static void
test_learn_examples (void)
{
  static const struct { const char *button, *start, *word; } examples[] = {
    { "example-context", "The cat sat", " sat" },
    { "example-bank", "I went to the bank", " bank" },
    { "example-it", "The animal didn't", " it" },
    { "example-repeat", "river stone table", " table" },
  };
  AttnWindow *window = window_new_first_launch ("Hello.", 1100);
  AttnDocument *document = attn_window_get_document (window);

  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      AttnResult *result;
      const char *text;
      gsize start, end, word_start, word_end, read;
      int query;

      click (find (window, examples[i].button));
      g_assert_true (g_str_has_prefix (attn_document_get_text (document), examples[i].start));
      g_assert_true (wait_until (query_is_set, window));
      result = attn_document_get_result (document);
      query = attn_document_get_query (document);
      /* The query is the last token of the word's last occurrence the
       * model read (the second "bank", the second "table", unless the
       * context is too short), whatever the vocabulary. */
      text = attn_result_get_text (result);
      attn_result_get_truncated (result, &read);
      word_start = g_strrstr_len (text, read, examples[i].word) - text + 1;
      word_end = word_start + strlen (examples[i].word) - 1;
      attn_result_get_token_span (result, query, &start, &end);
      g_test_message ("%s: token %d [%zu, %zu) for [%zu, %zu)", examples[i].button, query, start, end,
                      word_start, word_end);
      g_assert_true (start < word_end && end > word_start);
      g_assert_cmpuint (end, >=, word_end);
      /* The editor shows the example too. */
      {
        g_autofree char *shown = attn_sentence_editor_dup_text (window->editor);

        g_assert_cmpstr (shown, ==, attn_document_get_text (document));
      }
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Section 3: each step's number is the walkthrough's for the same head,
 * query and key (which recomputes q, k and v from the weights, so this
 * holds the trace's rows against the model), and its button opens the
 * walkthrough at that step with that selection. */
static void
test_learn_steps (void)
{
  static const AttnStep expected_steps[ATTN_LEARN_N_STEPS] = {
    ATTN_STEP_PROJECT, ATTN_STEP_DOT, ATTN_STEP_SOFTMAX, ATTN_STEP_VALUES, ATTN_STEP_MASK, ATTN_STEP_HEADS,
  };
  AttnWindow *window = window_new_first_launch ("The cat sat on the mat.", 1100);
  AttnDocument *document = attn_window_get_document (window);
  AttnResult *result = attn_document_get_result (document);
  guint T = attn_result_get_n_tokens (result);

  attn_document_set_layer (document, 2);
  attn_document_set_head (document, 3);
  attn_document_set_query (document, 4);
  for (guint i = 0; i < ATTN_LEARN_N_STEPS; i++)
    {
      g_autofree char *figure_name = g_strdup_printf ("figure-step-%u", i + 1);
      g_autofree char *button_name = g_strdup_printf ("open-step-%u", i + 1);
      AttnLearnStep *figure = ATTN_LEARN_STEP (find (window, figure_name));
      double value = _attn_learn_step_get_value (figure), want;
      const AttnSteps *s;

      adw_flap_set_reveal_flap (window->flap, FALSE);
      click (find (window, button_name));
      spin (50);
      /* the document computes the walkthrough's steps off the main thread */
      while (_attn_walkthrough_is_computing (window->walkthrough))
        g_main_context_iteration (NULL, TRUE);
      g_assert_true (adw_flap_get_reveal_flap (window->flap));
      g_assert_false (attn_walkthrough_get_sandbox (window->walkthrough));
      g_assert_cmpint (attn_walkthrough_get_step (window->walkthrough), ==, expected_steps[i]);
      s = _attn_walkthrough_get_steps (window->walkthrough);
      g_assert_nonnull (s);
      g_assert_cmpuint (s->layer, ==, 2);
      g_assert_cmpuint (s->head, ==, 3);
      g_assert_cmpuint (s->query, ==, 4);
      g_assert_cmpint ((int) s->key, ==, attn_document_get_key (document));
      g_assert_cmpint ((int) s->key, ==, _attn_learn_figure_get_key (ATTN_LEARN_FIGURE (figure)));
      switch (i)
        {
        case ATTN_LEARN_STEP_QKV: want = attn_vector_norm (s->q, s->head_size); break;
        case ATTN_LEARN_STEP_SCORES: want = s->dot; break;
        case ATTN_LEARN_STEP_SOFTMAX: want = s->weight; break;
        case ATTN_LEARN_STEP_SUM: want = attn_vector_norm (s->head_output, s->head_size); break;
        case ATTN_LEARN_STEP_MASK: want = T - 5; break;
        default: want = attn_vector_norm (s->attn_output, s->n_embd); break;
        }
      g_test_message ("step %u: tour %.6f, walkthrough %.6f", i + 1, value, want);
      g_assert_cmpfloat_with_epsilon (value, want, 1e-4 * MAX (1.0, fabs (want)));
      g_assert_nonnull (attn_learn_figure_get_description (ATTN_LEARN_FIGURE (figure)));
    }

  /* Another head: the numbers follow. */
  {
    AttnLearnStep *figure = ATTN_LEARN_STEP (find (window, "figure-step-2"));
    double before = _attn_learn_step_get_value (figure);

    attn_document_set_head (document, 0);
    g_assert_cmpfloat (_attn_learn_step_get_value (figure), !=, before);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The head the tour should pick for @label: the strongest by @field among
 * the heads ae-stats labels so, computed here from the weights. */
static gboolean
expected_exemplar (AttnResult  *result,
                   AeHeadLabel  label,
                   gsize        field,
                   guint       *layer,
                   guint       *head)
{
  double best = -1;

  for (guint l = 0; l < attn_result_get_n_layers (result); l++)
    for (guint h = 0; h < attn_result_get_n_heads (result); h++)
      {
        AeHeadStats stats;
        double value;

        ae_head_stats_compute_tokens (attn_result_get_weights (result, l, h), attn_result_get_token_ids (result),
                                      attn_result_get_n_tokens (result), &stats);
        value = G_STRUCT_MEMBER (double, &stats, field);
        if (ae_head_label (&stats) == label && value > best)
          {
            best = value;
            *layer = l;
            *head = h;
          }
      }
  return best >= 0;
}

/* Section 4: the clearest head of each pattern is the one the statistics
 * pick; "Show" opens it in the heatmap; on a sentence without repeats the
 * induction row offers the repeated sequence, and on it either names an
 * induction head or offers a download. */
static void
test_learn_heads (void)
{
  static const struct { AeHeadLabel label; gsize field; } patterns[ATTN_LEARN_N_PATTERNS] = {
    { AE_HEAD_LABEL_PREVIOUS, G_STRUCT_OFFSET (AeHeadStats, prev) },
    { AE_HEAD_LABEL_FIRST, G_STRUCT_OFFSET (AeHeadStats, first) },
    { AE_HEAD_LABEL_INDUCTION, G_STRUCT_OFFSET (AeHeadStats, induction) },
    { AE_HEAD_LABEL_BROAD, G_STRUCT_OFFSET (AeHeadStats, entropy_norm) },
  };
  AttnWindow *window = window_new_first_launch ("A quick brown fox jumps over lazy dogs near my garden.", 1100);
  AttnDocument *document = attn_window_get_document (window);
  AttnLearnHeads *figure = ATTN_LEARN_HEADS (find (window, "figure-heads"));
  guint found = 0;

  for (guint p = 0; p < ATTN_LEARN_N_PATTERNS; p++)
    {
      AttnResult *result = attn_document_get_result (document);
      guint want_layer = 0, want_head = 0, layer = 0, head = 0;
      gboolean want = expected_exemplar (result, patterns[p].label, patterns[p].field, &want_layer, &want_head);
      g_autofree char *button = g_strdup_printf ("pattern-%u", p);

      g_assert_cmpint (attn_learn_heads_get_exemplar (figure, p, &layer, &head), ==, want);
      if (!want)
        continue;
      found++;
      g_test_message ("pattern %u: layer %u head %u", p, layer, head);
      g_assert_cmpuint (layer, ==, want_layer);
      g_assert_cmpuint (head, ==, want_head);
      g_assert_cmpstr (_attn_learn_heads_get_caption (figure, layer, head), !=, "");
      /* The pattern's name, then the head's own "Layer 2, head 3: …" (it
       * read "Previous token: Layer 2, head 3: Attends…", two colons). */
      {
        const char *text = attn_learn_figure_get_description (ATTN_LEARN_FIGURE (figure));
        g_autofree char *named = g_strdup_printf (" — Layer %u, head %u: ", layer, head);

        g_assert_nonnull (strstr (text, named));
        g_assert_null (strstr (text, ": Layer"));
      }
      click (find (window, button));
      g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "heatmap");
      g_assert_cmpuint (attn_document_get_layer (document), ==, layer);
      g_assert_cmpuint (attn_document_get_head (document), ==, head);
      adw_view_stack_set_visible_child_name (window->view_stack, "learn");
    }
  /* The built-in model has sinks and previous-token heads on any sentence. */
  g_assert_cmpuint (found, >=, 2);

  /* What the heads do depends on the result alone: choosing tokens, layers
   * and heads does not go over every head again (at 1,000 tokens on GPT-2
   * small that was ~0.3 s of each token click, the figure hidden or not). */
  {
    guint passes = _attn_learn_heads_get_n_passes (figure);
    g_autofree char *before = g_strdup (attn_learn_figure_get_description (ATTN_LEARN_FIGURE (figure)));

    g_assert_cmpuint (passes, >, 0);
    adw_view_stack_set_visible_child_name (window->view_stack, "heatmap");
    attn_document_set_query (document, 3);
    attn_document_set_query (document, 5);
    attn_document_set_layer (document, 1);
    attn_document_set_head (document, 1);
    adw_view_stack_set_visible_child_name (window->view_stack, "learn");
    attn_document_set_query (document, 2);
    g_assert_cmpuint (_attn_learn_heads_get_n_passes (figure), ==, passes);
    g_assert_cmpstr (attn_learn_figure_get_description (ATTN_LEARN_FIGURE (figure)), ==, before);
  }

  /* Nothing repeats: the induction row loads the repeated sequence. */
  g_assert_false (attn_learn_heads_get_exemplar (figure, ATTN_LEARN_PATTERN_INDUCTION, &(guint) { 0 }, &(guint) { 0 }));
  click (find (window, "pattern-2"));
  g_assert_true (g_str_has_prefix (attn_document_get_text (document), "river stone table"));
  g_assert_true (wait_until (query_is_set, window));
  {
    guint want_layer, want_head, layer, head;
    gboolean want = expected_exemplar (attn_document_get_result (document), AE_HEAD_LABEL_INDUCTION,
                                       G_STRUCT_OFFSET (AeHeadStats, induction), &want_layer, &want_head);

    g_test_message ("induction head on the repeated sequence: %s", want ? "yes" : "no");
    g_assert_cmpint (attn_learn_heads_get_exemplar (figure, ATTN_LEARN_PATTERN_INDUCTION, &layer, &head), ==, want);
    if (!want)
      g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (find (window, "pattern-2"))), ==, "Download a Model…");
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Section 5: on the example, the weights "it" gives the two nouns are the
 * heads' own, summed over the nouns' pieces; the button opens the model
 * view ranked by "it" → "trophy".  On another sentence the figure says so. */
static void
test_learn_example (void)
{
  AttnWindow *window = window_new_first_launch ("The cat sat on the mat.", 1100);
  AttnDocument *document = attn_window_get_document (window);
  AttnLearnExample *figure = ATTN_LEARN_EXAMPLE (find (window, "figure-example"));
  AttnResult *result;
  int it, trophy, suitcase;
  guint T;

  g_assert_false (attn_learn_example_get_tokens (figure, &it, &trophy, &suitcase));
  g_assert_nonnull (strstr (description (window, "figure-example"), "not the example"));
  /* ... and shows it: the card holds the sentence, not an empty strip. */
  {
    g_autoptr(PangoLayout) line = gtk_widget_create_pango_layout (GTK_WIDGET (figure), "Xg");
    int minimum, natural, line_h;

    pango_layout_get_pixel_size (line, NULL, &line_h);
    gtk_widget_measure (GTK_WIDGET (figure), GTK_ORIENTATION_VERTICAL, 300, &minimum, &natural, NULL, NULL);
    g_test_message ("example card without the example: %d px high, a line %d px", minimum, line_h);
    /* the card's padding (24 px when empty) and at least one line of text */
    g_assert_cmpint (minimum, >=, 2 * line_h);
  }
  click (find (window, "example-trophy"));
  g_assert_true (wait_until (query_is_set, window));
  result = attn_document_get_result (document);
  T = attn_result_get_n_tokens (result);
  g_assert_true (attn_learn_example_get_tokens (figure, &it, &trophy, &suitcase));
  g_assert_cmpint (it, ==, attn_document_get_query (document));
  g_assert_cmpstr (attn_result_get_token_text (result, it), ==, " it");
  /* The noun's pieces: every token overlapping "trophy" in the text
   * (" tro" "phy" in the built-in vocabulary). */
  {
    gsize word = strstr (attn_result_get_text (result), "trophy") - attn_result_get_text (result);
    gsize start, end;

    attn_result_get_token_span (result, trophy, &start, &end);
    g_assert_true (start <= word + 1 && end > word);
    for (guint l = 0; l < attn_result_get_n_layers (result); l++)
      for (guint h = 0; h < attn_result_get_n_heads (result); h++)
        {
          const float *w = attn_result_get_weights (result, l, h) + (gsize) it * T;
          double sum = 0;

          for (guint j = 0; j < T; j++)
            {
              attn_result_get_token_span (result, j, &start, &end);
              if (start < word + 6 && end > word)
                sum += w[j];
            }
          g_assert_cmpfloat_with_epsilon (attn_learn_example_get_weight (figure, 0, l, h), sum, 1e-6);
        }
  }
  click (find (window, "open-example-model"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "model");
  g_assert_cmpint (attn_document_get_query (document), ==, it);
  g_assert_cmpint (attn_document_get_key (document), ==, trophy);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
block_ready (gpointer data)
{
  AttnLearnBlockNorms norms;

  return attn_learn_block_get_norms (ATTN_LEARN_BLOCK (data), 0, &norms);
}

/* Section 6: the lengths are the trace's and the residual stream's for
 * the query in each layer; a layer's output is the next one's input; the
 * description gives the model's widths. */
static void
test_learn_block (void)
{
  AttnWindow *window = window_new_first_launch ("The cat sat on the mat.", 1100);
  AttnDocument *document = attn_window_get_document (window);
  AttnResult *result = attn_document_get_result (document);
  AttnLearnBlock *figure = ATTN_LEARN_BLOCK (find (window, "figure-block"));
  g_autoptr(AttnResidual) residual = attn_residual_compute (result, NULL, NULL);
  AttnShape shape;

  attn_result_get_shape (result, &shape);
  attn_document_set_query (document, 3);
  g_assert_true (wait_until (block_ready, figure));
  for (guint l = 0; l < shape.n_layer; l++)
    {
      AttnLearnBlockNorms norms, next;
      guint n;
      const float *attn = attn_result_get_vector (result, ATTN_VECTOR_ATTN_OUTPUT, l, 0, 3, &n);
      const float *x = attn_residual_get_row (residual, l, 3, NULL);
      const float *x_out = attn_residual_get_row (residual, l + 1, 3, NULL);
      double mlp = 0;

      g_assert_true (attn_learn_block_get_norms (figure, l, &norms));
      g_test_message ("layer %u: x %.3f ln %.3f attn %.3f mid %.3f mlp %.3f out %.3f", l, norms.x,
                      norms.normed, norms.attn, norms.mid, norms.mlp, norms.out);
      g_assert_cmpfloat_with_epsilon (norms.attn, attn_vector_norm (attn, n), 1e-9);
      g_assert_cmpfloat_with_epsilon (norms.x, attn_vector_norm (x, n), 1e-9);
      for (guint c = 0; c < n; c++)
        mlp += (double) (x_out[c] - x[c] - attn[c]) * (x_out[c] - x[c] - attn[c]);
      g_assert_cmpfloat_with_epsilon (norms.mlp, sqrt (mlp), 1e-4);
      g_assert_cmpfloat (norms.mlp, >, 0);
      if (l + 1 < shape.n_layer)
        {
          g_assert_true (attn_learn_block_get_norms (figure, l + 1, &next));
          g_assert_cmpfloat_with_epsilon (norms.out, next.x, 1e-9);
        }
    }
  {
    g_autofree char *widths = g_strdup_printf ("%u → %u → %u", shape.n_embd, shape.n_inner, shape.n_embd);

    g_assert_cmpuint (shape.n_inner, ==, 4 * shape.n_embd);
    g_assert_nonnull (strstr (description (window, "figure-block"), widths));
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Section 8: each key's weight and its share of Σ ‖w_j v_j‖, from the
 * trace's weights and values; "Show the sink head" selects the sink; the
 * parameter count is the model's. */
static void
test_learn_misconceptions (void)
{
  AttnWindow *window = window_new_first_launch ("The cat sat on the mat and looked at the dog.", 1100);
  AttnDocument *document = attn_window_get_document (window);
  AttnResult *result = attn_document_get_result (document);
  AttnLearnNorms *figure = ATTN_LEARN_NORMS (find (window, "figure-norms"));
  guint T = attn_result_get_n_tokens (result), layer, head, sink_layer, sink_head;
  double total = 0, weight, share, first_weight, first_share;
  AttnShape shape;

  g_assert_true (attn_learn_heads_get_exemplar (ATTN_LEARN_HEADS (find (window, "figure-heads")),
                                                ATTN_LEARN_PATTERN_SINK, &sink_layer, &sink_head));
  click (find (window, "norms-sink"));
  layer = attn_document_get_layer (document);
  head = attn_document_get_head (document);
  g_assert_cmpuint (layer, ==, sink_layer);
  g_assert_cmpuint (head, ==, sink_head);
  attn_document_set_query (document, 6);

  for (guint j = 0; j <= 6; j++)
    {
      guint n;
      const float *v = attn_result_get_vector (result, ATTN_VECTOR_V, layer, head, j, &n);

      total += attn_result_get_weights (result, layer, head)[6 * T + j] * attn_vector_norm (v, n);
    }
  for (guint j = 0; j <= 6; j++)
    {
      guint n;
      const float *v = attn_result_get_vector (result, ATTN_VECTOR_V, layer, head, j, &n);
      double w = attn_result_get_weights (result, layer, head)[6 * T + j];

      g_assert_true (attn_learn_norms_get_share (figure, j, &weight, &share));
      g_assert_cmpfloat_with_epsilon (weight, w, 1e-7);
      g_assert_cmpfloat_with_epsilon (share, w * attn_vector_norm (v, n) / total, 1e-7);
    }
  g_assert_false (attn_learn_norms_get_share (figure, 7, &weight, &share));
  /* The sink head's point: the first token takes more of the weight than
   * of what the head adds. */
  attn_learn_norms_get_share (figure, 0, &first_weight, &first_share);
  g_test_message ("sink head L%u H%u: first token weight %.3f, share of ‖w v‖ %.3f", layer, head,
                  first_weight, first_share);
  g_assert_cmpfloat (first_weight, >, first_share);

  attn_result_get_shape (result, &shape);
  {
    g_autofree char *count = g_strdup_printf ("%'" G_GUINT64_FORMAT, (guint64) 2 * shape.n_embd * shape.n_inner);

    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (find (window, "params"))), count));
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Whether @widget or a widget inside it has a tooltip containing @text. */
static gboolean
has_tooltip_with (GtkWidget  *widget,
                  const char *text)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (tooltip != NULL && strstr (tooltip, text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (has_tooltip_with (child, text))
      return TRUE;
  return FALSE;
}

/* Sections 7 and 9: every term has a definition; the references link out. */
static void
test_learn_terms_reading (void)
{
  AttnWindow *window = window_new_first_launch ("The cat sat on the mat.", 1100);
  GtkWidget *glossary = find (window, "glossary");
  GtkWidget *reading = _attn_learn_page_get_section (window->learn_page, ATTN_LEARN_SECTION_READING);
  guint rows = 0, links = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (glossary); row; row = gtk_widget_get_next_sibling (row))
    rows++;
  g_assert_cmpuint (rows, >=, 15);
  for (GtkWidget *child = gtk_widget_get_first_child (reading); child; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child) && strstr (gtk_label_get_label (GTK_LABEL (child)), "<a href=\"https://") != NULL)
      links++;
  g_assert_cmpuint (links, >=, 10);

  /* The views' tooltips carry the same definitions, after their own text. */
  g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (GTK_WIDGET (window->layer_spin)), "Layer (Page Up"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (window->layer_spin)),
                            _attn_learn_glossary_get_definition (ATTN_TERM_LAYER)));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (window->head_spin)),
                            _attn_learn_glossary_get_definition (ATTN_TERM_HEAD)));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (window->weight_legend)),
                            _attn_learn_glossary_get_definition (ATTN_TERM_WEIGHTS)));
  /* ... and so do the walkthrough's steps, the heatmap's masked cells, the
   * Predict view's ablation and logit lens, and the tour's own figures. */
  for (guint term = 0; term < ATTN_TERM_COUNT; term++)
    {
      static const AttnTerm in_walkthrough[] = {
        ATTN_TERM_TOKEN, ATTN_TERM_QUERY, ATTN_TERM_SCORE, ATTN_TERM_CAUSAL_MASK, ATTN_TERM_SOFTMAX,
        ATTN_TERM_VALUE, ATTN_TERM_OUTPUT_PROJECTION,
      };
      gboolean want = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (in_walkthrough); i++)
        want |= in_walkthrough[i] == term;
      g_assert_cmpint (has_tooltip_with (GTK_WIDGET (window->walkthrough),
                                         _attn_learn_glossary_get_definition (term)), ==, want);
    }
  {
    AttnAttentionViewClass *klass = ATTN_ATTENTION_VIEW_GET_CLASS (window->heatmap);
    AttnResult *result = attn_document_get_result (attn_window_get_document (window));
    g_autofree char *masked = klass->dup_tooltip (ATTN_ATTENTION_VIEW (window->heatmap), result, 1, 3);
    g_autofree char *visible = klass->dup_tooltip (ATTN_ATTENTION_VIEW (window->heatmap), result, 3, 1);

    g_assert_nonnull (strstr (masked, _attn_learn_glossary_get_definition (ATTN_TERM_CAUSAL_MASK)));
    g_assert_null (strstr (visible, _attn_learn_glossary_get_definition (ATTN_TERM_CAUSAL_MASK)));
  }
  g_assert_true (has_tooltip_with (GTK_WIDGET (window->predictions_panel),
                                   _attn_learn_glossary_get_definition (ATTN_TERM_ABLATION)));
  g_assert_true (has_tooltip_with (GTK_WIDGET (window->predictions_panel),
                                   _attn_learn_glossary_get_definition (ATTN_TERM_RESIDUAL_STREAM)));
  g_assert_true (has_tooltip_with (find (window, "figure-block"),
                                   _attn_learn_glossary_get_definition (ATTN_TERM_RESIDUAL_STREAM)));
  g_assert_true (has_tooltip_with (_attn_learn_page_get_section (window->learn_page, ATTN_LEARN_SECTION_STEPS),
                                   _attn_learn_glossary_get_definition (ATTN_TERM_MULTI_HEAD)));
  g_assert_true (has_tooltip_with (find (window, "figure-heads"),
                                   _attn_learn_glossary_get_definition (ATTN_TERM_INDUCTION_HEAD)));

  for (guint i = 0; i < ATTN_TERM_COUNT; i++)
    {
      g_autofree char *tooltip = _attn_learn_glossary_dup_tooltip (i);

      g_assert_true (g_str_has_prefix (tooltip, _attn_learn_glossary_get_term (i)));
      g_assert_cmpuint (strlen (_attn_learn_glossary_get_definition (i)), >, 40);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The contents list jumps to each section it lists and moves the focus
 * into it; every section of this build is listed. */
static void
test_learn_contents (void)
{
  AttnWindow *window = window_new_first_launch ("The cat sat on the mat.", 1100);
  GtkWidget *contents = find (window, "contents");
  guint listed = 0, built = 0;

  for (guint i = 0; i < ATTN_LEARN_N_SECTIONS; i++)
    built += _attn_learn_page_get_section (window->learn_page, i) != NULL;
  for (GtkWidget *row = gtk_widget_get_first_child (contents); row; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *focus;
      guint section = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "section"));

      listed++;
      g_signal_emit_by_name (contents, "row-activated", row);
      spin (50);
      focus = gtk_root_get_focus (GTK_ROOT (window));
      g_assert_nonnull (focus);
      g_assert_true (gtk_widget_is_ancestor (focus, _attn_learn_page_get_section (window->learn_page, section)));
    }
  g_assert_cmpuint (listed, ==, built);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
collect_buttons (GtkWidget *widget,
                 GPtrArray *names)
{
  if (GTK_IS_BUTTON (widget) && !g_str_has_prefix (gtk_widget_get_name (widget), "Gtk"))
    g_ptr_array_add (names, (gpointer) gtk_widget_get_name (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_buttons (child, names);
}

/* Every button of the tour is one a test presses and follows (a new one
 * fails here until it is); the ones no other test needs land here: the
 * long example, the grid, the walkthrough at the heads' join, and the
 * download dialog. */
static void
test_learn_buttons (void)
{
  static const char *const walked[] = {
    /* test-learn.c */
    "open-what-heatmap", "open-what-arcs", "example-context", "example-bank", "example-it",
    "example-repeat", "open-step-1", "open-step-2", "open-step-3", "open-step-4", "open-step-5",
    "open-step-6", "pattern-0", "pattern-1", "pattern-2", "pattern-3", "example-trophy",
    "open-example-model", "norms-sink",
    /* test-learn-live.c */
    "ablation-idle", "ablation-matters", "compare-encoder", "download-encoder",
    /* here */
    "example-long", "download-why", "open-heads-grid", "download-example", "open-block-walkthrough",
    NULL,
  };
  AttnWindow *window = window_new_first_launch ("The cat sat on the mat.", 1100);
  AttnDocument *document = attn_window_get_document (window);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const AttnSteps *steps;

  collect_buttons (GTK_WIDGET (window->learn_page), names);
  g_assert_cmpuint (names->len, >=, G_N_ELEMENTS (walked) - 1);
  for (guint i = 0; i < names->len; i++)
    {
      g_test_message ("button %s", (const char *) g_ptr_array_index (names, i));
      g_assert_true (g_strv_contains (walked, g_ptr_array_index (names, i)));
    }

  click (find (window, "example-long"));
  g_assert_true (g_str_has_prefix (attn_document_get_text (document), "When the little girl"));
  g_assert_true (wait_until (query_is_set, window));
  g_assert_cmpstr (attn_result_get_token_text (attn_document_get_result (document),
                                               attn_document_get_query (document)), ==, " open");

  click (find (window, "open-heads-grid"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "grid");
  adw_view_stack_set_visible_child_name (window->view_stack, "learn");

  attn_document_set_layer (document, 1);
  attn_document_set_head (document, 2);
  click (find (window, "open-block-walkthrough"));
  while (_attn_walkthrough_is_computing (window->walkthrough))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (adw_flap_get_reveal_flap (window->flap));
  g_assert_cmpint (attn_walkthrough_get_step (window->walkthrough), ==, ATTN_STEP_HEADS);
  steps = _attn_walkthrough_get_steps (window->walkthrough);
  g_assert_nonnull (steps);
  g_assert_cmpuint (steps->layer, ==, 1);
  g_assert_cmpint ((int) steps->query, ==, attn_document_get_query (document));

  for (const char *const *name = (const char *[]) { "download-why", "download-example", NULL }; *name; name++)
    {
      click (find (window, *name));
      g_assert_nonnull (window->download_dialog);
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->download_dialog)));
      gtk_window_destroy (window->download_dialog);
      g_assert_null (window->download_dialog);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Every button label in the tour wraps: an unwrapped one is as wide as its
 * longest translation ("Eine wiederholte Folge ausprobieren" made the page
 * 362 px wide), which English alone never shows. */
static void
assert_button_labels_wrap (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) && GTK_IS_LABEL (gtk_button_get_child (GTK_BUTTON (widget))))
    {
      GtkLabel *label = GTK_LABEL (gtk_button_get_child (GTK_BUTTON (widget)));

      g_test_message ("button %s: %s", gtk_widget_get_name (widget), gtk_label_get_label (label));
      g_assert_true (gtk_label_get_wrap (label));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_button_labels_wrap (child);
}

/* 360 px wide: the window still fits, the tour wraps. */
static void
test_learn_narrow (void)
{
  AttnWindow *window = window_new_first_launch ("The animal didn't cross the street because it was too tired.", 360);
  int minimum, natural;

  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_test_message ("minimum width with the tour: %d", minimum);
  g_assert_cmpint (minimum, <=, 360);
  gtk_widget_measure (GTK_WIDGET (window->learn_page), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, <=, 340);
  g_assert_true (gtk_widget_get_visible (find (window, "pattern-2")));
  assert_button_labels_wrap (GTK_WIDGET (window->learn_page));
  gtk_window_destroy (GTK_WINDOW (window));
}

static const char *const section_names[ATTN_LEARN_N_SECTIONS] = {
  "what", "why", "steps", "heads", "example", "block", "terms", "misconceptions", "reading",
};

/* docs/learn-<section>-<light|dark>.png on the model and sentence each
 * section is about. */
static void
test_learn_screenshots (void)
{
  const char *dir = g_getenv ("ATTENTION_SHOT_DIR");
  AdwStyleManager *style = adw_style_manager_get_default ();

  if (dir == NULL)
    {
      g_test_skip ("ATTENTION_SHOT_DIR not set");
      return;
    }

  for (int dark = 0; dark <= 1; dark++)
    {
      AttnWindow *window;

      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
      window = window_new_first_launch ("The trophy didn't fit in the suitcase because it was too big.", 900);
      attn_document_set_layer (attn_window_get_document (window), 1);
      attn_document_set_head (attn_window_get_document (window), 2);
      g_assert_true (wait_until (block_ready, find (window, "figure-block")));
      g_assert_true (wait_until (ablation_ready, find (window, "figure-ablation")));
      spin (300);
      for (guint i = 0; i < ATTN_LEARN_N_SECTIONS; i++)
        {
          GtkWidget *section = _attn_learn_page_get_section (window->learn_page, i);
          g_autofree char *name = NULL;
          g_autofree char *path = NULL;

          if (section == NULL)
            continue;
          name = g_strdup_printf ("learn-%u-%s-%s.png", i + 1, section_names[i], dark ? "dark" : "light");
          path = g_build_filename (dir, name, NULL);
          attn_learn_page_show_section (window->learn_page, i);
          spin (200);
          save_widget (section, dark, path);
        }
      gtk_window_destroy (GTK_WINDOW (window));
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int   argc,
      char *argv[])
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    return 77;
  learn_test_init (&argc, &argv);

  g_test_add_func ("/attention/learn/first-launch", test_learn_first_launch);
  g_test_add_func ("/attention/learn/what", test_learn_what);
  g_test_add_func ("/attention/learn/examples", test_learn_examples);
  g_test_add_func ("/attention/learn/steps", test_learn_steps);
  g_test_add_func ("/attention/learn/heads", test_learn_heads);
  g_test_add_func ("/attention/learn/example", test_learn_example);
  g_test_add_func ("/attention/learn/block", test_learn_block);
  g_test_add_func ("/attention/learn/misconceptions", test_learn_misconceptions);
  g_test_add_func ("/attention/learn/terms-reading", test_learn_terms_reading);
  g_test_add_func ("/attention/learn/contents", test_learn_contents);
  g_test_add_func ("/attention/learn/buttons", test_learn_buttons);
  g_test_add_func ("/attention/learn/narrow", test_learn_narrow);
  g_test_add_func ("/attention/learn/screenshots", test_learn_screenshots);

  return g_test_run ();
}
