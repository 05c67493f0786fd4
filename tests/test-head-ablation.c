/* test-head-ablation.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 14 in the window, on the tiny fixture model: heads switched off
 * from the all-heads grid (its "x" key and its actions) reach the result,
 * the Predict view's list and the prediction; the heatmap page's Δ mode
 * shows the ablated model's attention minus the intact model's, checked
 * through its exported values against the numpy reference
 * (tests/fixtures/delta-tiny-f32.json), with the intact run made once per
 * text; its rollout mode against the same reference.  With
 * ATTENTION_SHOT_DIR set it photographs the grid, Δ and rollout on the
 * built-in model (docs/).
 */

#include <math.h>
#include <string.h>

#include <jansson.h>

#include "attn-derived.h"
#include "attn-head-grid-ablation.h"
#include "attn-next-tokens.h"
#include "attn-predictions.h"
#include "window-fixture.h"

#define TOLERANCE 1e-5
#include "fixture-compare.h"

static gboolean
intact_ready (gpointer data)
{
  AttnWindow *window = data;

  return has_result (window) && attn_delta_view_get_intact (window->delta_view) != NULL;
}

static gboolean
rollout_ready (gpointer data)
{
  AttnWindow *window = data;

  return has_result (window) && attn_rollout_view_get_rollout (window->rollout_view) != NULL;
}

static char *
ablation_list (AttnWindow *window)
{
  return attn_result_dup_ablation_list (attn_document_get_result (attn_window_get_document (window)));
}

/* The grid's "x" switches the keyboard cursor's head off (and on), its
 * actions switch any head, choose mean ablation and restore every head;
 * the result, the Predict view's list and the prediction follow. */
static void
test_grid_switches_heads (void)
{
  AttnWindow *window = window_new_loaded ();
  AttnDocument *doc = attn_window_get_document (window);
  GtkWidget *grid = GTK_WIDGET (window->head_grid);
  AttnResult *result = attn_document_get_result (doc);
  guint T = attn_result_get_n_tokens (result);
  g_autoptr(GArray) top = attn_result_predict (result, T - 1, 1, NULL);
  gint32 id = g_array_index (top, AttnPrediction, 0).id;
  double intact = attn_result_logprob_of (result, T - 1, id);
  g_autofree char *list = NULL;

  adw_view_stack_set_visible_child_name (window->view_stack, "grid");
  spin (100);
  gtk_widget_grab_focus (grid);

  /* from the selected head 0.0: down, right, right is 1.2 */
  attn_document_set_layer (doc, 0);
  attn_document_set_head (doc, 0);
  g_assert_true (send_key (grid, GDK_KEY_Down, 0));
  g_assert_true (send_key (grid, GDK_KEY_Right, 0));
  g_assert_true (send_key (grid, GDK_KEY_Right, 0));
  g_assert_true (send_key (grid, GDK_KEY_x, 0));
  g_assert_true (wait_until (has_result, window));
  list = ablation_list (window);
  g_assert_cmpstr (list, ==, "1.2");
  g_assert_cmpstr (attn_predictions_panel_get_ablation_list (window->predictions_panel), ==, "1.2");
  g_assert_cmpint (attn_result_get_ablation (attn_document_get_result (doc))->kind, ==, AE_ABLATION_ZERO);
  /* the prediction changed: the intact top token's log-probability moved */
  g_assert_cmpfloat (fabs (attn_result_logprob_of (attn_document_get_result (doc), T - 1, id) - intact), >, 1e-6);

  /* Ctrl+click's action on another head, then mean ablation for both */
  gtk_widget_activate_action (grid, "ablation.toggle", "(uu)", 0, 1);
  g_assert_true (wait_until (has_result, window));
  g_clear_pointer (&list, g_free);
  list = ablation_list (window);
  g_assert_cmpstr (list, ==, "0.1,1.2");
  g_assert_cmpstr (attn_predictions_panel_get_ablation_list (window->predictions_panel), ==, "0.1,1.2");
  gtk_widget_activate_action (grid, "ablation.kind", "s", "mean");
  g_assert_true (wait_until (has_result, window));
  g_assert_cmpint (attn_result_get_ablation (attn_document_get_result (doc))->kind, ==, AE_ABLATION_MEAN);

  /* "x" again on 1.2 switches it back on */
  g_assert_true (send_key (grid, GDK_KEY_x, 0));
  g_assert_true (wait_until (has_result, window));
  g_clear_pointer (&list, g_free);
  list = ablation_list (window);
  g_assert_cmpstr (list, ==, "0.1");

  /* every head back on: the intact model and its prediction again */
  gtk_widget_activate_action (grid, "ablation.restore", NULL);
  g_assert_true (wait_until (has_result, window));
  g_assert_null (attn_result_get_ablation (attn_document_get_result (doc)));
  g_assert_cmpstr (attn_predictions_panel_get_ablation_list (window->predictions_panel), ==, "");
  g_assert_cmpfloat_with_epsilon (attn_result_logprob_of (attn_document_get_result (doc), T - 1, id), intact, 1e-9);
  gtk_window_destroy (GTK_WINDOW (window));
}

static json_t *
read_json (const char *path)
{
  json_error_t jerror;
  json_t *root = json_load_file (path, 0, &jerror);

  if (root == NULL)
    g_error ("%s: %s", path, jerror.text);
  return root;
}

static json_t *
head_of (json_t *weights,
         guint   layer,
         guint   head)
{
  return json_array_get (json_array_get (weights, layer), head);
}

/* The first widget of @type under @widget, depth first. */
static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* "“light” 15.4 %": the prediction @i at @position as the line shows it. */
static char *
shown_prediction (AttnResult *result,
                  guint       position,
                  guint       i)
{
  g_autoptr(GArray) top = attn_result_predict (result, position, 3, NULL);
  const AttnPrediction *p = &g_array_index (top, AttnPrediction, i);

  g_assert_cmpuint (top->len, ==, 3);
  return g_strdup_printf ("“%s” %.1f %%", p->token, 100.0 * p->probability);
}

/* The line beside the token strip: the three most probable next tokens
 * after the selected token (else the last), following the query and
 * switched-off heads, as the Predict view computes them. */
static void
test_next_tokens_line (void)
{
  AttnWindow *window = window_new_loaded ();
  AttnDocument *doc = attn_window_get_document (window);
  AttnNextTokens *line = ATTN_NEXT_TOKENS (find_widget (GTK_WIDGET (window), ATTN_TYPE_NEXT_TOKENS));
  AttnResult *result = attn_document_get_result (doc);
  guint T = attn_result_get_n_tokens (result);
  g_autofree char *first = NULL, *third = NULL, *after = NULL;

  g_assert_nonnull (line);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (line)));
  attn_document_set_query (doc, -1);
  first = shown_prediction (result, T - 1, 0);
  third = shown_prediction (result, T - 1, 2);
  g_assert_true (g_str_has_prefix (attn_next_tokens_get_text (line), "Next after “.”: "));
  g_assert_nonnull (strstr (attn_next_tokens_get_text (line), first));
  g_assert_nonnull (strstr (attn_next_tokens_get_text (line), third));

  attn_document_set_query (doc, 2);
  g_clear_pointer (&first, g_free);
  first = shown_prediction (result, 2, 0);
  after = g_strdup_printf ("Next after “%s”: %s", attn_result_get_token_text (result, 2), first);
  g_assert_true (g_str_has_prefix (attn_next_tokens_get_text (line), after));

  /* heads off: the ablated model's predictions, and the line says so */
  gtk_widget_activate_action (GTK_WIDGET (window->head_grid), "ablation.toggle", "(uu)", 1, 2);
  g_assert_true (wait_until (has_result, window));
  result = attn_document_get_result (doc);
  g_clear_pointer (&first, g_free);
  first = shown_prediction (result, 2, 0);
  g_assert_nonnull (strstr (attn_next_tokens_get_text (line), first));
  g_assert_true (g_str_has_suffix (attn_next_tokens_get_text (line), "(heads 1.2 off (zero))"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Matrix @name of an exported JSON file against the reference's (T, T). */
static void
check_exported (json_t     *values,
                const char *name,
                json_t     *expected,
                guint       T)
{
  g_autoptr(GArray) got = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree float *as_float = g_new (float, (gsize) T * T);

  flatten (json_object_get (values, name), got);
  g_assert_cmpuint (got->len, ==, (gsize) T * T);
  for (guint i = 0; i < got->len; i++)
    as_float[i] = (float) g_array_index (got, double, i);
  check_tensor (name, as_float, expected, (gsize) T * T);
}

/* The reference's text with its heads off (0.1 and 1.2, zero), through the
 * grid; the heatmap page in @mode. */
static AttnWindow *
window_on_fixture (json_t          *ref,
                   AttnHeatmapMode  mode)
{
  AttnWindow *window = window_new_loaded ();
  AttnDocument *doc = attn_window_get_document (window);

  attn_document_set_text (doc, json_string_value (json_object_get (ref, "text")));
  g_assert_true (wait_until (has_result, window));
  gtk_widget_activate_action (GTK_WIDGET (window->head_grid), "ablation.toggle", "(uu)", 0, 1);
  gtk_widget_activate_action (GTK_WIDGET (window->head_grid), "ablation.toggle", "(uu)", 1, 2);
  g_assert_true (wait_until (has_result, window));
  adw_view_stack_set_visible_child_name (window->view_stack, "heatmap");
  _attn_window_set_heatmap_mode (window, mode);
  spin (100);
  return window;
}

/* Δ mode: the intact run made once per text (not again for another head
 * or other heads off), the exported Δ and both runs' weights against the
 * reference, tooltips and the summary's Δ log-probability with the
 * reference's numbers, figures titled Δ. */
static void
test_delta_mode (void)
{
  json_t *ref = load_json_fixture ("delta", "tiny-f32");
  AttnWindow *window = window_on_fixture (ref, ATTN_HEATMAP_MODE_DELTA);
  AttnDocument *doc = attn_window_get_document (window);
  g_autofree char *dir = g_dir_make_tmp ("test-head-ablation-XXXXXX", NULL);
  g_autofree char *json_path = g_build_filename (dir, "delta.json", NULL);
  g_autofree char *svg_path = g_build_filename (dir, "delta.svg", NULL);
  g_autofree char *npy_path = g_build_filename (dir, "delta.npy", NULL);
  g_autofree char *expected = NULL, *tip = NULL, *svg = NULL;
  g_autoptr(GError) error = NULL;
  AttnResult *result;
  guint T;
  json_t *values;
  gsize last;

  g_assert_true (wait_until (intact_ready, window));
  g_assert_cmpuint (attn_delta_view_get_n_runs (window->delta_view), ==, 1);
  result = attn_document_get_result (doc);
  T = attn_result_get_n_tokens (result);
  g_assert_cmpuint (T, ==, json_array_size (json_object_get (ref, "ids")));

  /* another head, then other heads off: the same intact run */
  attn_document_set_layer (doc, 1);
  attn_document_set_head (doc, 0);
  gtk_widget_activate_action (GTK_WIDGET (window->head_grid), "ablation.toggle", "(uu)", 1, 2);
  g_assert_true (wait_until (intact_ready, window));
  gtk_widget_activate_action (GTK_WIDGET (window->head_grid), "ablation.toggle", "(uu)", 1, 2);
  g_assert_true (wait_until (intact_ready, window));
  g_assert_cmpuint (attn_delta_view_get_n_runs (window->delta_view), ==, 1);
  result = attn_document_get_result (doc);

  /* the exported numbers are the reference's */
  g_assert_true (_attn_window_export (window, "values", json_path, NULL, &error));
  g_assert_no_error (error);
  values = read_json (json_path);
  g_assert_cmpstr (json_string_value (json_object_get (values, "view")), ==, "delta");
  g_assert_cmpint (json_integer_value (json_object_get (values, "layer")), ==, 1);
  g_assert_cmpuint (json_array_size (json_object_get (values, "ablated")), ==, 2);
  check_exported (values, "delta", head_of (json_object_get (ref, "delta"), 1, 0), T);
  check_exported (values, "intact_weights", head_of (json_object_get (ref, "intact_weights"), 1, 0), T);
  check_exported (values, "ablated_weights", head_of (json_object_get (ref, "ablated_weights"), 1, 0), T);
  json_decref (values);
  g_assert_true (_attn_window_export (window, "values", npy_path, NULL, &error));
  g_assert_no_error (error);

  /* the summary: the intact top prediction after the last token, with the
   * reference's probabilities */
  last = T - 1;
  expected = g_strdup_printf ("%.1f %% intact, %.1f %% with the heads off (Δ log-prob %+.2f)",
                              100 * exp (json_number_value (json_array_get (json_object_get (ref, "top_logprob_intact"), last))),
                              100 * exp (json_number_value (json_array_get (json_object_get (ref, "top_logprob_ablated"), last))),
                              json_number_value (json_array_get (json_object_get (ref, "top_logprob_ablated"), last))
                              - json_number_value (json_array_get (json_object_get (ref, "top_logprob_intact"), last)));
  g_assert_nonnull (strstr (attn_delta_view_get_summary (window->delta_view), expected));
  g_assert_nonnull (strstr (attn_delta_view_get_summary (window->delta_view), "heads 0.1, 1.2 off (zero)"));

  /* a tooltip gives both weights and Δ */
  {
    json_t *before = head_of (json_object_get (ref, "intact_weights"), 1, 0);
    json_t *after = head_of (json_object_get (ref, "ablated_weights"), 1, 0);
    double b = json_number_value (json_array_get (json_array_get (before, last), 2));
    double a = json_number_value (json_array_get (json_array_get (after, last), 2));
    g_autofree char *numbers = g_strdup_printf ("%.3f intact, %.3f with the heads off, Δ %+.3f", b, a, a - b);

    tip = ATTN_ATTENTION_VIEW_GET_CLASS (window->delta_view)->dup_tooltip (ATTN_ATTENTION_VIEW (window->delta_view),
                                                                           result, (int) last, 2);
    g_assert_nonnull (tip);
    g_assert_nonnull (strstr (tip, numbers));
  }

  /* the figure says Δ */
  g_assert_true (_attn_window_export (window, "view", svg_path, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg_path, &svg, NULL, NULL));
  g_assert_nonnull (strstr (svg, "Δ attention (heads off − intact)"));

  /* with every head on there is nothing to export */
  gtk_widget_activate_action (GTK_WIDGET (window->head_grid), "ablation.restore", NULL);
  g_assert_true (wait_until (has_result, window));
  spin (50);
  g_assert_null (attn_delta_view_get_intact (window->delta_view));
  g_assert_false (_attn_window_export (window, "view", svg_path, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_unlink (json_path);
  g_unlink (svg_path);
  g_unlink (npy_path);
  g_rmdir (dir);
  json_decref (ref);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Rollout mode: the row of the selected query and the whole map against
 * the reference (of the ablated run: the window's heads are off), exported
 * as numbers and as a figure, with its note. */
static void
test_rollout_mode (void)
{
  json_t *ref = load_json_fixture ("delta", "tiny-f32");
  AttnWindow *window = window_on_fixture (ref, ATTN_HEATMAP_MODE_ROLLOUT);
  AttnDocument *doc = attn_window_get_document (window);
  g_autofree char *dir = g_dir_make_tmp ("test-head-ablation-XXXXXX", NULL);
  g_autofree char *json_path = g_build_filename (dir, "rollout.json", NULL);
  g_autofree char *pdf_path = g_build_filename (dir, "rollout.pdf", NULL);
  g_autoptr(GError) error = NULL;
  json_t *rollout = json_object_get (ref, "rollout_ablated");
  guint T;
  json_t *values;

  g_assert_true (wait_until (rollout_ready, window));
  T = attn_result_get_n_tokens (attn_document_get_result (doc));
  check_tensor ("rollout", attn_rollout_view_get_rollout (window->rollout_view), rollout, (gsize) T * T);
  g_assert_null (attn_rollout_view_get_row (window->rollout_view));
  attn_document_set_query (doc, 5);
  check_tensor ("row", attn_rollout_view_get_row (window->rollout_view), json_array_get (rollout, 5), T);
  g_assert_nonnull (strstr (gtk_label_get_text (window->rollout_note), "not an explanation of the output"));

  g_assert_true (_attn_window_export (window, "values", json_path, NULL, &error));
  g_assert_no_error (error);
  values = read_json (json_path);
  g_assert_cmpint (json_integer_value (json_object_get (values, "query")), ==, 5);
  check_exported (values, "rollout", rollout, T);
  json_decref (values);
  g_assert_true (_attn_window_export (window, "view", pdf_path, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (pdf_path, G_FILE_TEST_IS_REGULAR));

  g_unlink (json_path);
  g_unlink (pdf_path);
  g_rmdir (dir);
  json_decref (ref);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Switches off every head of @list ("L.H,L.H") from the grid's actions. */
static void
toggle_heads (AttnWindow *window,
              const char *list)
{
  g_auto(GStrv) heads = g_strsplit (list, ",", -1);

  for (guint i = 0; heads[i] != NULL; i++)
    {
      guint layer, head;

      g_assert_cmpint (sscanf (heads[i], "%u.%u", &layer, &head), ==, 2);
      gtk_widget_activate_action (GTK_WIDGET (window->head_grid), "ablation.toggle", "(uu)", layer, head);
    }
}

/* docs/ablation-grid.png, docs/ablation-delta.png, docs/rollout.png: a
 * repeated sequence on ATTENTION_SHOT_MODEL (the built-in model when
 * unset).  The grid with ATTENTION_SHOT_ABLATE switched off ("3.3,3.5":
 * what `attention-cli heads --probe induction` ranks first); Δ with
 * ATTENTION_SHOT_DELTA_ABLATE off ("2.3", the clearest previous-token head)
 * on ATTENTION_SHOT_DELTA_HEAD ("3.3"): a head's own weights never change
 * when heads of its layer or later are off, so Δ needs an earlier one, and
 * the induction head losing its stripe without the previous-token head is
 * the picture worth showing. */
static void
test_screenshots (void)
{
  const char *dir = g_getenv ("ATTENTION_SHOT_DIR");
  const char *ablate = g_getenv ("ATTENTION_SHOT_ABLATE");
  const char *delta_ablate = g_getenv ("ATTENTION_SHOT_DELTA_ABLATE");
  const char *delta_head = g_getenv ("ATTENTION_SHOT_DELTA_HEAD");
  g_autoptr(GSettings) settings = _attn_settings_new ();
  g_autofree char *model = NULL, *path = NULL;
  AttnWindow *window;
  AttnDocument *doc;
  guint T, layer, head;

  if (dir == NULL)
    {
      g_test_skip ("ATTENTION_SHOT_DIR not set");
      return;
    }
  model = g_getenv ("ATTENTION_SHOT_MODEL") ? g_strdup (g_getenv ("ATTENTION_SHOT_MODEL"))
                                           : attn_engine_dup_builtin_dir ();
  g_settings_set_string (settings, "model", model);
  g_settings_set_string (settings, "sentence",
                         "river stone table music paper window letter water light money "
                         "river stone table music paper window letter water");
  g_settings_set_string (settings, "view", "grid");
  window = attn_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 900);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (has_result, window));
  doc = attn_window_get_document (window);
  T = attn_result_get_n_tokens (attn_document_get_result (doc));
  attn_document_set_query (doc, (int) T - 1);

  toggle_heads (window, ablate ? ablate : "3.3,3.5");
  g_assert_true (wait_until (has_result, window));
  spin (400);
  path = g_build_filename (dir, "ablation-grid.png", NULL);
  save_widget (GTK_WIDGET (window), FALSE, path);

  gtk_widget_activate_action (GTK_WIDGET (window->head_grid), "ablation.restore", NULL);
  toggle_heads (window, delta_ablate ? delta_ablate : "2.3");
  g_assert_cmpint (sscanf (delta_head ? delta_head : "3.3", "%u.%u", &layer, &head), ==, 2);
  attn_document_set_layer (doc, layer);
  attn_document_set_head (doc, head);
  adw_view_stack_set_visible_child_name (window->view_stack, "heatmap");
  _attn_window_set_heatmap_mode (window, ATTN_HEATMAP_MODE_DELTA);
  g_assert_true (wait_until (intact_ready, window));
  spin (400);
  g_clear_pointer (&path, g_free);
  path = g_build_filename (dir, "ablation-delta.png", NULL);
  save_widget (GTK_WIDGET (window), FALSE, path);

  gtk_widget_activate_action (GTK_WIDGET (window->head_grid), "ablation.restore", NULL);
  _attn_window_set_heatmap_mode (window, ATTN_HEATMAP_MODE_ROLLOUT);
  g_assert_true (wait_until (rollout_ready, window));
  spin (400);
  g_clear_pointer (&path, g_free);
  path = g_build_filename (dir, "rollout.png", NULL);
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
  g_test_add_func ("/head-ablation/grid-switches-heads", test_grid_switches_heads);
  g_test_add_func ("/head-ablation/next-tokens-line", test_next_tokens_line);
  g_test_add_func ("/head-ablation/delta-mode", test_delta_mode);
  g_test_add_func ("/head-ablation/rollout-mode", test_rollout_mode);
  g_test_add_func ("/head-ablation/screenshots", test_screenshots);
  return g_test_run ();
}
