/* test-window.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window under Xvfb with the tiny fixture model: it builds from its
 * template, typing recomputes and redraws, a token click moves the
 * selection in every view, the views are accessible images, and a model
 * that fails to load leaves the old one in place with an error shown.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "attn-application.h"
#include "attn-display.h"
#include "attn-head-rank.h"
#include "attn-heatmap-view.h"
#include "attn-preferences-window.h"
#include "attn-window-private.h"
#include "window-fixture.h"

static void
test_window_template (void)
{
  AttnWindow *window = window_new_loaded ();

  g_assert_true (ATTN_IS_SENTENCE_EDITOR (window->editor));
  g_assert_true (ATTN_IS_TOKEN_STRIP (window->token_strip));
  g_assert_true (ATTN_IS_HEATMAP_VIEW (window->heatmap));
  g_assert_true (ATTN_IS_ARC_VIEW (window->arc_view));
  g_assert_true (ATTN_IS_HEAD_GRID (window->head_grid));
  g_assert_true (ATTN_IS_HEAD_DESCRIPTION (window->head_description));

  /* Every view follows the window's one document. */
  g_assert_true (attn_attention_view_get_document (ATTN_ATTENTION_VIEW (window->heatmap))
                 == attn_window_get_document (window));
  g_assert_true (attn_attention_view_get_document (ATTN_ATTENTION_VIEW (window->head_grid))
                 == attn_window_get_document (window));
  g_assert_true (attn_token_strip_get_document (window->token_strip)
                 == attn_window_get_document (window));

  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "views");
  g_assert_cmpstr (gtk_menu_button_get_label (window->model_button), ==, "tiny-f32");
  g_assert_cmpstr (attn_head_description_get_summary (window->head_description), !=, "");
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (window->export_button)));
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (window->layer_spin)));

  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  AttnWindow *window;
  AttnResult *old_result;
  guint       old_draws;
} RedrawData;

static gboolean
has_new_result (gpointer data)
{
  RedrawData *redraw = data;
  AttnResult *result = attn_document_get_result (attn_window_get_document (redraw->window));

  return result != NULL && result != redraw->old_result && has_result (redraw->window);
}

static gboolean
has_redrawn (gpointer data)
{
  RedrawData *redraw = data;

  return _attn_attention_view_get_n_draws (ATTN_ATTENTION_VIEW (redraw->window->heatmap))
         > redraw->old_draws;
}

static void
test_window_text_recomputes (void)
{
  AttnWindow *window = window_new_loaded ();
  AttnDocument *document = attn_window_get_document (window);
  RedrawData redraw = { window, NULL, 0 };
  g_autoptr(GSettings) settings = _attn_settings_new ();
  AttnResult *result;

  redraw.old_result = attn_result_ref (attn_document_get_result (document));
  g_assert_true (wait_until (has_redrawn, &redraw));
  redraw.old_draws = _attn_attention_view_get_n_draws (ATTN_ATTENTION_VIEW (window->heatmap));

  attn_sentence_editor_set_text (window->editor, "The trophy did not fit in the suitcase.");
  g_assert_true (wait_until (has_new_result, &redraw));
  g_assert_true (wait_until (has_redrawn, &redraw));

  result = attn_document_get_result (document);
  g_assert_cmpstr (attn_result_get_text (result), ==, "The trophy did not fit in the suitcase.");
  g_assert_cmpuint (attn_result_get_n_tokens (result), >, attn_result_get_n_tokens (redraw.old_result));
  g_assert_cmpuint (attn_token_strip_get_n_tokens (window->token_strip), ==,
                    attn_result_get_n_tokens (result));
  g_assert_nonnull (attn_token_strip_get_label (window->token_strip,
                                                attn_result_get_n_tokens (result) - 1));

  /* The sentence is remembered. */
  g_assert_cmpstr (g_settings_get_string (settings, "sentence"), ==,
                   "The trophy did not fit in the suitcase.");

  attn_result_unref (redraw.old_result);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
text_is_pushed (gpointer data)
{
  AttnWindow *window = data;

  return g_strcmp0 (attn_document_get_text (attn_window_get_document (window)),
                    "The cat sat on the mat. It purred.") == 0;
}

/* Typing reaches the document after a pause, not at every keystroke. */
static void
test_window_typing_debounced (void)
{
  AttnWindow *window = window_new_loaded ();
  GtkWidget *text_view = find_descendant (GTK_WIDGET (window->editor), GTK_TYPE_TEXT_VIEW);
  GtkTextBuffer *buffer;
  GtkTextIter end;
  gint64 start;

  g_assert_nonnull (text_view);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view));
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, " It purred.", -1);

  start = g_get_monotonic_time ();
  g_assert_cmpstr (attn_document_get_text (attn_window_get_document (window)), ==,
                   "The cat sat on the mat.");
  g_assert_true (wait_until (text_is_pushed, window));
  g_assert_cmpint (g_get_monotonic_time () - start, >=,
                   (ATTN_SENTENCE_EDITOR_DEBOUNCE_MS - 20) * 1000);
  g_assert_true (wait_until (has_result, window));
  g_assert_cmpstr (attn_result_get_text (attn_document_get_result (attn_window_get_document (window))),
                   ==, "The cat sat on the mat. It purred.");

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
notice_shown (gpointer data)
{
  AttnWindow *window = data;

  return has_result (window) && gtk_revealer_get_reveal_child (window->notice_revealer);
}

static gboolean
notice_hidden (gpointer data)
{
  AttnWindow *window = data;

  return has_result (window) && !gtk_revealer_get_reveal_child (window->notice_revealer);
}

static void
test_window_too_long (void)
{
  AttnWindow *window = window_new_loaded ();
  AttnDocument *document = attn_window_get_document (window);
  g_autoptr(GString) text = g_string_new (NULL);
  AttnResult *result;

  /* The fixture's context is 32 tokens. */
  for (guint i = 0; i < 40; i++)
    g_string_append (text, "the cat sat. ");

  attn_sentence_editor_set_text (window->editor, text->str);
  g_assert_true (wait_until (notice_shown, window));

  result = attn_document_get_result (document);
  g_assert_cmpuint (attn_result_get_n_tokens (result), ==, 32);
  g_assert_cmpuint (attn_result_get_n_dropped (result), >, 0);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (window->notice_label),
                                   "Showing the first 32 tokens;"));

  /* The editor greys what the model did not read, from where it stopped. */
  {
    gsize n_read;
    int offset = -1;

    while (g_main_context_iteration (NULL, FALSE))
      ;
    g_assert_true (attn_result_get_truncated (result, &n_read));
    g_assert_true (attn_sentence_editor_get_past_context (window->editor, &offset));
    g_assert_cmpint (offset, ==, g_utf8_pointer_to_offset (text->str, text->str + n_read));

    /* A text that fits has no such part. */
    attn_sentence_editor_set_text (window->editor, "the cat sat.");
    g_assert_true (wait_until (notice_hidden, window));
    while (g_main_context_iteration (NULL, FALSE))
      ;
    g_assert_false (attn_sentence_editor_get_past_context (window->editor, NULL));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_selection (void)
{
  AttnWindow *window = window_new_loaded ();
  AttnDocument *document = attn_window_get_document (window);
  g_autofree char *arcs = NULL;
  g_autofree char *heatmap = NULL;

  /* A click on a token selects it as the query… */
  attn_token_strip_activate (window->token_strip, 2);
  g_assert_cmpint (attn_document_get_query (document), ==, 2);
  g_assert_true (attn_token_strip_get_state (window->token_strip, 2) & ATTN_TOKEN_SELECTED);

  /* …and every view shows it: the descriptions name that token's links
   * (check_property returns the actual value when it differs). */
  arcs = gtk_test_accessible_check_property (GTK_ACCESSIBLE (window->arc_view),
                                             GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "");
  g_assert_nonnull (arcs);
  g_assert_true (g_str_has_prefix (arcs, "Arcs from “cat” to the tokens it attends to"));
  heatmap = gtk_test_accessible_check_property (GTK_ACCESSIBLE (window->heatmap),
                                                GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "");
  g_assert_nonnull (strstr (heatmap, "Strongest links: “cat” →"));

  /* Left and Right move the query, from any view. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.next-token", NULL);
  g_assert_cmpint (attn_document_get_query (document), ==, 3);
  g_assert_false (attn_token_strip_get_state (window->token_strip, 2) & ATTN_TOKEN_SELECTED);
  g_assert_true (attn_token_strip_get_state (window->token_strip, 3) & ATTN_TOKEN_SELECTED);

  /* The grid selects a head and returns to the main view. */
  adw_view_stack_set_visible_child_name (window->view_stack, "grid");
  attn_attention_view_activate_head (ATTN_ATTENTION_VIEW (window->head_grid), 1, 3);
  g_assert_cmpuint (attn_document_get_layer (document), ==, 1);
  g_assert_cmpuint (attn_document_get_head (document), ==, 3);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "heatmap");
  g_assert_cmpfloat (gtk_spin_button_get_value (window->layer_spin), ==, 1);
  g_assert_cmpfloat (gtk_spin_button_get_value (window->head_spin), ==, 3);

  /* Page Down / ] step layer and head within the model. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.next-layer", NULL);
  g_assert_cmpuint (attn_document_get_layer (document), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-head", NULL);
  g_assert_cmpuint (attn_document_get_head (document), ==, 2);

  /* Escape goes back to all links: no query, no key. */
  attn_document_set_key (document, 1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.clear-query", NULL);
  g_assert_cmpint (attn_document_get_query (document), ==, -1);
  g_assert_cmpint (attn_document_get_key (document), ==, -1);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_accessible (void)
{
  AttnWindow *window = window_new_loaded ();

  gtk_test_accessible_assert_role (window->heatmap, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_test_accessible_assert_role (window->arc_view, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_test_accessible_assert_role (window->head_grid, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_test_accessible_assert_property (window->heatmap, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Attention heatmap");
  gtk_test_accessible_assert_property (window->arc_view, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Attention arcs");
  gtk_test_accessible_assert_property (window->head_grid, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "All attention heads");
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (window->heatmap),
                                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (window->heatmap)));
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (window->head_grid)));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_bad_model (void)
{
  AttnWindow *window = window_new_loaded ();
  AttnDocument *document = attn_window_get_document (window);
  AttnEngine *engine = attn_document_get_engine (document);
  g_autofree char *missing = g_build_filename (g_get_tmp_dir (), "attention-no-such-model", NULL);

  g_assert_null (_attn_window_get_last_error (window));

  attn_window_open_model (window, missing);
  g_assert_true (wait_until (not_loading, window));

  /* The error is shown and the old model stays. */
  g_assert_nonnull (_attn_window_get_last_error (window));
  g_assert_true (g_str_has_prefix (_attn_window_get_last_error (window), "Could not open the model"));
  g_assert_true (attn_document_get_engine (document) == engine);
  g_assert_cmpstr (gtk_menu_button_get_label (window->model_button), ==, "tiny-f32");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "views");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Odd input never brings the window down: each text gives a result or an
 * error notice, and the views keep drawing. */
static void
test_window_odd_text (void)
{
  AttnWindow *window = window_new_loaded ();
  AttnDocument *document = attn_window_get_document (window);
  g_autofree char *long_text = g_strnfill (5000, 'x');
  const char *texts[] = {
    "",
    "\n\n\t  ",
    "Émoji 😀, ß, 中文, ‮rtl‬ and \x7f control",
    "a",
    long_text,
    "The cat sat on the mat.",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      attn_sentence_editor_set_text (window->editor, texts[i]);
      g_assert_true (wait_until (not_loading, window));
      g_assert_true (wait_until ((Condition) has_result, window)
                     || attn_document_get_error_message (document) != NULL);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }

  g_assert_cmpstr (attn_result_get_text (attn_document_get_result (document)), ==,
                   "The cat sat on the mat.");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_zoom (void)
{
  AttnWindow *window = window_new_loaded ();
  GtkAdjustment *hadjustment;

  g_assert_cmpfloat (attn_heatmap_view_get_zoom (window->heatmap), ==, 0);

  /* Zooming in past the fitted size makes the cells scroll. */
  for (guint i = 0; i < 12; i++)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-in", NULL);
  g_assert_cmpfloat (attn_heatmap_view_get_zoom (window->heatmap), >, 0);

  while (g_main_context_iteration (NULL, FALSE))
    ;
  hadjustment = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (window->heatmap));
  g_assert_cmpfloat (gtk_adjustment_get_upper (hadjustment), >=,
                     gtk_adjustment_get_page_size (hadjustment));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-fit", NULL);
  g_assert_cmpfloat (attn_heatmap_view_get_zoom (window->heatmap), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The zoom menu's "1 cell = N px" and its button's label; zoomed, the
 * keyboard cursor pans the view to keep the selected cell in sight. */
static void
test_window_zoom_cells (void)
{
  AttnWindow *window = window_new_loaded ();
  AttnDocument *document = attn_window_get_document (window);
  guint T = attn_result_get_n_tokens (attn_document_get_result (document));
  GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (window->heatmap));
  g_autofree char *label = NULL;
  double before;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-cells", "i", 64);
  g_assert_cmpfloat (attn_heatmap_view_get_zoom (window->heatmap), ==, 64);
  g_object_get (window->heatmap, "zoom-label", &label, NULL);
  g_assert_cmpstr (label, ==, "64 px");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* 12 tokens of 64 px do not fit the test window's height */
  g_assert_cmpfloat (gtk_adjustment_get_upper (vadjustment), >, gtk_adjustment_get_page_size (vadjustment));

  gtk_adjustment_set_value (vadjustment, 0);
  attn_document_set_query (document, 0);
  attn_document_set_key (document, 0);
  before = gtk_adjustment_get_value (vadjustment);
  for (guint i = 0; i + 1 < T; i++)
    g_assert_true (send_key (GTK_WIDGET (window->heatmap), GDK_KEY_Down, 0));
  g_assert_cmpint (attn_document_get_query (document), ==, T - 1);
  /* the last row's bottom is inside the view */
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), >, before);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment) + gtk_adjustment_get_page_size (vadjustment), >=,
                     gtk_adjustment_get_upper (vadjustment) - 200);

  /* Zooming in from the fitted map keeps the selected row in view. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-cells", "i", 0);
  attn_document_set_query (document, T - 2);
  for (guint i = 0; i < 8; i++)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-in", NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_test_message ("zoom %g: rows from %g px, page %g, upper %g",
                  attn_heatmap_view_get_zoom (window->heatmap), gtk_adjustment_get_value (vadjustment),
                  gtk_adjustment_get_page_size (vadjustment), gtk_adjustment_get_upper (vadjustment));
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), >,
                     (T - 2) * attn_heatmap_view_get_zoom (window->heatmap) - gtk_adjustment_get_page_size (vadjustment));
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), <, (T - 2) * attn_heatmap_view_get_zoom (window->heatmap));

  /* A query chosen in the token strip scrolls the zoomed map to its row. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-cells", "i", 64);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  gtk_adjustment_set_value (vadjustment, 0);
  attn_token_strip_activate (window->token_strip, T - 1);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment) + gtk_adjustment_get_page_size (vadjustment), >=,
                     T * 64.0);
  attn_token_strip_activate (window->token_strip, 0);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), <=, 0);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-cells", "i", 0);
  g_assert_cmpfloat (attn_heatmap_view_get_zoom (window->heatmap), ==, 0);
  g_clear_pointer (&label, g_free);
  g_object_get (window->heatmap, "zoom-label", &label, NULL);
  g_assert_cmpstr (label, ==, "Fit");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_export (void)
{
  AttnWindow *window = window_new_loaded ();
  g_autofree char *dir = g_dir_make_tmp ("attention-test-XXXXXX", NULL);
  const char *names[] = { "view.png", "view.svg", "heads.pdf", "weights.csv" };
  const char *purposes[] = { "view", "view", "all-heads", "values" };
  g_autofree char *bad = g_build_filename (dir, "no-such-dir", "x.png", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (dir);
  attn_document_set_query (attn_window_get_document (window), 3);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      g_assert_true (_attn_window_export (window, purposes[i], path, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      g_unlink (path);
    }

  /* A failure says why and leaves nothing behind. */
  g_assert_false (_attn_window_export (window, "view", bad, NULL, &error));
  g_assert_nonnull (error);
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));

  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
export_async_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Issue 13: the window's exports are written off the main thread, and a
 * failure still comes back as an error that says why. */
static void
test_window_export_async (void)
{
  AttnWindow *window = window_new_loaded ();
  g_autofree char *dir = g_dir_make_tmp ("attention-test-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "view.png", NULL);
  g_autofree char *csv = g_build_filename (dir, "weights.csv", NULL);
  g_autofree char *bad = g_build_filename (dir, "no-such-dir", "x.png", NULL);
  g_autoptr(GError) error = NULL;
  GAsyncResult *done = NULL;

  _attn_window_export_async (window, "view", png, NULL, export_async_cb, &done);
  /* Nothing is written in the calling thread. */
  g_assert_null (done);
  while (done == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (_attn_window_export_finish (window, done, &error));
  g_assert_no_error (error);
  g_clear_object (&done);
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));

  _attn_window_export_async (window, "values", csv, NULL, export_async_cb, &done);
  while (done == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (_attn_window_export_finish (window, done, &error));
  g_clear_object (&done);
  g_assert_true (g_file_test (csv, G_FILE_TEST_IS_REGULAR));

  _attn_window_export_async (window, "view", bad, NULL, export_async_cb, &done);
  while (done == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (_attn_window_export_finish (window, done, &error));
  g_clear_object (&done);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "no-such-dir"));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));

  g_unlink (png);
  g_unlink (csv);
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The save dialog's choices reach the files: the weights of one head only,
 * a PNG at ×4. */
static void
test_window_export_choices (void)
{
  AttnWindow *window = window_new_loaded ();
  AttnResult *result = attn_document_get_result (attn_window_get_document (window));
  g_autofree char *dir = g_dir_make_tmp ("attention-test-XXXXXX", NULL);
  g_autofree char *npy = g_build_filename (dir, "head.npy", NULL);
  g_autofree char *png = g_build_filename (dir, "view.png", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  AttnExportChoices choices, twice;
  gsize len;
  guint T = attn_result_get_n_tokens (result);

  _attn_window_export_choices_init (window, &choices);
  choices.range = ATTN_EXPORT_RANGE_HEAD;
  g_assert_true (_attn_window_export (window, "values", npy, &choices, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (npy, &contents, &len, NULL));
  /* 128-byte header, then one head's T × T float32. */
  g_assert_cmpuint (len, ==, 128 + (gsize) T * T * 4);

  choices.png_scale = 4;
  choices.show_title = FALSE;
  g_assert_true (_attn_window_export (window, "view", png, &choices, &error));
  texture = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  _attn_window_export_choices_init (window, &twice);
  g_assert_cmpfloat (twice.png_scale, ==, 2);
  g_assert_cmpint (gdk_texture_get_width (texture) % 4, ==, 0);

  g_unlink (npy);
  g_unlink (png);
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_preferences (void)
{
  AttnWindow *window = window_new_loaded ();
  g_autoptr(GSettings) settings = _attn_settings_new ();
  GtkWindow *preferences = attn_preferences_window_new (settings);

  gtk_window_present (preferences);

  /* A colour map chosen in Preferences reaches every view. */
  g_settings_set_string (settings, "colormap", "magma");
  g_assert_cmpint (attn_attention_view_get_colormap (ATTN_ATTENTION_VIEW (window->heatmap)),
                   ==, ATTN_COLORMAP_MAGMA);
  g_assert_cmpint (attn_attention_view_get_colormap (ATTN_ATTENTION_VIEW (window->head_grid)),
                   ==, ATTN_COLORMAP_MAGMA);
  g_settings_set_string (settings, "colour-scale", "sqrt");
  g_assert_cmpint (attn_attention_view_get_scale (ATTN_ATTENTION_VIEW (window->arc_view)),
                   ==, ATTN_SCALE_SQRT);
  g_settings_reset (settings, "colormap");
  g_settings_reset (settings, "colour-scale");

  gtk_window_destroy (preferences);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_help_overlay (void)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GObject *overlay;

  builder = gtk_builder_new_from_resource ("/com/example/Attention/gtk/help-overlay.ui");
  overlay = gtk_builder_get_object (builder, "help_overlay");
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_window_destroy (GTK_WINDOW (overlay));
}

/* Closing the window lets go of the document, the engine and the views. */
static void
test_window_no_leaks (void)
{
  AttnWindow *window = window_new_loaded ();
  AttnDocument *document = attn_window_get_document (window);
  AttnEngine *engine = attn_document_get_engine (document);
  GtkWidget *heatmap = GTK_WIDGET (window->heatmap);

  g_object_add_weak_pointer (G_OBJECT (document), (gpointer *) &document);
  g_object_add_weak_pointer (G_OBJECT (engine), (gpointer *) &engine);
  g_object_add_weak_pointer (G_OBJECT (heatmap), (gpointer *) &heatmap);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);

  gtk_window_destroy (GTK_WINDOW (window));
  for (guint i = 0; i < 100 && (window || document || engine || heatmap); i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  g_assert_null (window);
  g_assert_null (heatmap);
  g_assert_null (document);
  g_assert_null (engine);
}

/* Zoomed in, a query chosen elsewhere brings its row into view and, when
 * none of the keys it sees is in sight (a causal query sees those up to
 * itself), its diagonal cell too: it scrolled only vertically, so the view
 * could show nothing but masked cells. */
static void
test_window_heatmap_follows_query (void)
{
  AttnWindow *window = window_new_loaded ();
  AttnDocument *doc = attn_window_get_document (window);
  GtkAdjustment *h = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (window->heatmap));
  GtkAdjustment *v = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (window->heatmap));
  double cell = 48, x, y;
  guint T;

  attn_document_set_text (doc, "The cat sat on the mat and the dog sat by the door.");
  g_assert_true (wait_until (has_result, window));
  T = attn_result_get_n_tokens (attn_document_get_result (doc));
  g_assert_cmpuint (T, >=, 12);
  attn_heatmap_view_set_zoom (window->heatmap, cell);
  spin (100);
  g_assert_cmpfloat (gtk_adjustment_get_upper (h), >, gtk_adjustment_get_page_size (h) + 4 * cell);
  g_assert_cmpfloat (gtk_adjustment_get_upper (v), >, gtk_adjustment_get_page_size (v) + 4 * cell);

  /* the last row, scrolled to the right end */
  attn_document_set_query (doc, (int) T - 1);
  spin (50);
  gtk_adjustment_set_value (h, gtk_adjustment_get_upper (h) - gtk_adjustment_get_page_size (h));
  spin (50);

  attn_document_set_query (doc, 2);
  spin (50);
  x = gtk_adjustment_get_value (h);
  y = gtk_adjustment_get_value (v);
  /* the row ... */
  g_assert_cmpfloat (y, <=, 2 * cell);
  g_assert_cmpfloat (y + gtk_adjustment_get_page_size (v), >=, 3 * cell);
  /* ... and its diagonal cell, which it sees */
  g_assert_cmpfloat (x, <=, 2 * cell);
  g_assert_cmpfloat (x + gtk_adjustment_get_page_size (h), >=, 3 * cell);

  /* a row whose keys are in sight does not move sideways */
  attn_document_set_query (doc, (int) T - 1);
  spin (50);
  x = gtk_adjustment_get_value (h);
  attn_document_set_query (doc, (int) T - 2);
  spin (50);
  g_assert_cmpfloat (gtk_adjustment_get_value (h), ==, x);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    return 77;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/attention/window/template", test_window_template);
  g_test_add_func ("/attention/window/text-recomputes", test_window_text_recomputes);
  g_test_add_func ("/attention/window/typing-debounced", test_window_typing_debounced);
  g_test_add_func ("/attention/window/too-long", test_window_too_long);
  g_test_add_func ("/attention/window/selection", test_window_selection);
  g_test_add_func ("/attention/window/accessible", test_window_accessible);
  g_test_add_func ("/attention/window/bad-model", test_window_bad_model);
  g_test_add_func ("/attention/window/odd-text", test_window_odd_text);
  g_test_add_func ("/attention/window/zoom", test_window_zoom);
  g_test_add_func ("/attention/window/zoom-cells", test_window_zoom_cells);
  g_test_add_func ("/attention/window/export", test_window_export);
  g_test_add_func ("/attention/window/export-choices", test_window_export_choices);
  g_test_add_func ("/attention/window/export-async", test_window_export_async);
  g_test_add_func ("/attention/window/preferences", test_window_preferences);
  g_test_add_func ("/attention/window/help-overlay", test_window_help_overlay);
  g_test_add_func ("/attention/window/no-leaks", test_window_no_leaks);
  g_test_add_func ("/attention/window/heatmap-follows-query", test_window_heatmap_follows_query);

  return g_test_run ();
}
