/* test-learner.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window as a learner meets it (issue 16), under Xvfb with the tiny
 * fixture model: the sentence and the strip tinted by the selected token's
 * attention, the strip and the views of heads by keyboard, hidden
 * attention sinks, the model view and "find heads", head descriptions on
 * short texts, and windows from 360 px wide.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "attn-display.h"
#include "attn-head-rank.h"
#include "attn-learn-figure.h"
#include "attn-words.h"
#include "window-fixture.h"

/* The text tag that tints the editor's characters at @offset, or NULL. */
static GtkTextTag *
tint_tag_at (AttnWindow *window,
             int         offset)
{
  GtkTextView *view = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter iter;
  g_autoptr(GSList) tags = NULL;
  GtkTextTag *found = NULL;

  for (GtkWidget *w = GTK_WIDGET (window->editor); w != NULL && view == NULL; )
    {
      /* The editor's text view, depth first. */
      GtkWidget *child = gtk_widget_get_first_child (w);

      if (GTK_IS_TEXT_VIEW (w))
        view = GTK_TEXT_VIEW (w);
      else if (child != NULL)
        w = child;
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL && w != GTK_WIDGET (window->editor))
            w = gtk_widget_get_parent (w);
          w = (w == NULL || w == GTK_WIDGET (window->editor)) ? NULL : gtk_widget_get_next_sibling (w);
        }
    }
  g_assert_nonnull (view);

  buffer = gtk_text_view_get_buffer (view);
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset);
  tags = gtk_text_iter_get_tags (&iter);
  for (GSList *l = tags; l != NULL; l = l->next)
    {
      g_autofree char *name = NULL;

      g_object_get (l->data, "name", &name, NULL);
      if (name != NULL && g_str_has_prefix (name, "attn-tint-"))
        found = l->data;
    }
  return found;
}

/* @tag's background is @weight's colour in the default colour map. */
static void
assert_tag_colour (GtkTextTag *tag,
                   double      weight)
{
  GdkRGBA *bg = NULL;
  AttnRgba want = attn_colormap_lookup (ATTN_COLORMAP_VIRIDIS, weight);

  g_object_get (tag, "background-rgba", &bg, NULL);
  g_assert_cmpfloat_with_epsilon (bg->red, want.r, 0.05);
  g_assert_cmpfloat_with_epsilon (bg->green, want.g, 0.05);
  g_assert_cmpfloat_with_epsilon (bg->blue, want.b, 0.05);
  gdk_rgba_free (bg);
}

/* Click "cat": the strip and the sentence are tinted by the weights of
 * cat's row, the tooltips give the weight both ways, the legend says what
 * the colours mean; nothing is tinted without a query. */
static void
test_learner_tint (void)
{
  AttnWindow *window = window_new_loaded ();
  AttnDocument *document = attn_window_get_document (window);
  AttnResult *result = attn_document_get_result (document);
  guint T = attn_result_get_n_tokens (result);
  const float *w;
  const char *text = attn_result_get_text (result);
  g_autofree char *tooltip = NULL;
  g_autofree char *name = NULL;
  char expected[96];
  GtkTextTag *tag;
  gsize start, end;

  g_assert_null (tint_tag_at (window, 0));
  g_assert_false ((attn_token_strip_get_state (window->token_strip, 1) & ATTN_TOKEN_TINTED));
  g_assert_nonnull (strstr (attn_weight_legend_get_caption (window->weight_legend), "Click a token"));

  /* The fixture's tokens: "T" "he" " cat" " sat" … */
  attn_token_strip_activate (window->token_strip, 2);
  g_assert_cmpint (attn_document_get_query (document), ==, 2);
  w = attn_result_get_weights (result, attn_document_get_layer (document), attn_document_get_head (document));

  g_assert_true ((attn_token_strip_get_state (window->token_strip, 0) & ATTN_TOKEN_TINTED));
  g_assert_true ((attn_token_strip_get_state (window->token_strip, 1) & ATTN_TOKEN_TINTED));
  g_assert_true ((attn_token_strip_get_state (window->token_strip, 3) & ATTN_TOKEN_MASKED));
  g_assert_false ((attn_token_strip_get_state (window->token_strip, 3) & ATTN_TOKEN_TINTED));

  /* Token 1 in the strip's tooltip: cat → it is row 2, the other way is masked. */
  name = _attn_token_display_name (result, 1);
  g_free (tooltip);
  tooltip = attn_token_strip_dup_tooltip (window->token_strip, 1);
  g_snprintf (expected, sizeof expected, "“cat” → “%s”: %.3f", name, w[2 * T + 1]);
  g_assert_nonnull (strstr (tooltip, expected));
  g_snprintf (expected, sizeof expected, "“%s” → “cat”: masked", name);
  g_assert_nonnull (strstr (tooltip, expected));
  /* Token 3, after the query, the other way round. */
  g_free (name);
  name = _attn_token_display_name (result, 3);
  g_free (tooltip);
  tooltip = attn_token_strip_dup_tooltip (window->token_strip, 3);
  g_snprintf (expected, sizeof expected, "“%s” → “cat”: %.3f", name, w[3 * T + 2]);
  g_assert_nonnull (strstr (tooltip, expected));

  /* The sentence: token 1's characters have the colour of w[2][1]; the
   * query's own are tinted, token 3's (after the query) are not. */
  attn_result_get_token_span (result, 1, &start, &end);
  tag = tint_tag_at (window, g_utf8_pointer_to_offset (text, text + start));
  g_assert_nonnull (tag);
  attn_result_get_token_span (result, 2, &start, &end);
  g_assert_nonnull (tint_tag_at (window, g_utf8_pointer_to_offset (text, text + end - 1)));
  attn_result_get_token_span (result, 3, &start, &end);
  g_assert_null (tint_tag_at (window, g_utf8_pointer_to_offset (text, text + end - 1)));
  assert_tag_colour (tag, w[2 * T + 1]);

  g_assert_nonnull (strstr (attn_weight_legend_get_caption (window->weight_legend), "“cat”"));
  /* "cat" is not the last token: the legend says why the later ones are grey. */
  g_assert_nonnull (strstr (attn_weight_legend_get_caption (window->weight_legend), "a GPT reads left to right"));
  /* "cat" is no pronoun: no encoder suggested. */
  g_assert_null (strstr (attn_weight_legend_get_caption (window->weight_legend), "encoder"));

  /* Another head, another tint: the tooltip follows. */
  attn_document_set_head (document, (attn_document_get_head (document) + 1) % attn_result_get_n_heads (result));
  w = attn_result_get_weights (result, attn_document_get_layer (document), attn_document_get_head (document));
  g_free (tooltip);
  tooltip = attn_token_strip_dup_tooltip (window->token_strip, 3);
  g_snprintf (expected, sizeof expected, "“%s” → “cat”: %.3f", name, w[3 * T + 2]);
  g_assert_nonnull (strstr (tooltip, expected));

  /* No query, no tint. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.clear-query", NULL);
  g_assert_null (tint_tag_at (window, 0));
  g_assert_false ((attn_token_strip_get_state (window->token_strip, 1) & ATTN_TOKEN_TINTED));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The one token the keyboard is on; fails unless there is exactly one. */
static int
strip_cursor (AttnTokenStrip *strip)
{
  int cursor = -1;

  for (guint i = 0; i < attn_token_strip_get_n_tokens (strip); i++)
    if (attn_token_strip_get_state (strip, i) & ATTN_TOKEN_CURSOR)
      {
        g_assert_cmpint (cursor, ==, -1);
        cursor = (int) i;
      }
  return cursor;
}

/* The token strip is one focus stop; Home, End and Ctrl+arrows move the
 * query within it. */
static void
test_learner_strip_keyboard (void)
{
  AttnWindow *window = window_new_loaded ();
  AttnDocument *document = attn_window_get_document (window);
  guint T = attn_result_get_n_tokens (attn_document_get_result (document));
  GtkWidget *strip = GTK_WIDGET (window->token_strip);
  int last_word;

  /* One focus stop: the strip itself, no token of its own. */
  g_assert_true (gtk_widget_get_focusable (strip));
  g_assert_null (gtk_widget_get_first_child (strip));
  g_assert_cmpint (strip_cursor (window->token_strip), ==, 0);

  g_assert_true (send_key (strip, GDK_KEY_End, 0));
  g_assert_cmpint (attn_document_get_query (document), ==, (int) T - 1);
  g_assert_cmpint (strip_cursor (window->token_strip), ==, (int) T - 1);

  g_assert_true (send_key (strip, GDK_KEY_Home, 0));
  g_assert_cmpint (attn_document_get_query (document), ==, 0);

  /* "T" "he" " cat" … " mat" ".": Ctrl+Right goes word by word, over the
   * piece "he", and back over the full stop, a piece of "mat". */
  g_assert_true (send_key (strip, GDK_KEY_Right, GDK_CONTROL_MASK));
  g_assert_cmpint (attn_document_get_query (document), ==, 2);
  g_assert_true (send_key (strip, GDK_KEY_End, 0));
  g_assert_true (send_key (strip, GDK_KEY_Left, GDK_CONTROL_MASK));
  last_word = T - 2;
  while ((attn_token_strip_get_state (window->token_strip, last_word) & ATTN_TOKEN_PIECE))
    last_word--;
  g_assert_cmpint (last_word, <, (int) T - 2);   /* "at" of "mat" is a piece */
  g_assert_cmpint (attn_document_get_query (document), ==, last_word);

  /* A plain arrow moves by one (the window's token action). */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-token", NULL);
  g_assert_cmpint (attn_document_get_query (document), ==, last_word - 1);
  g_assert_cmpint (strip_cursor (window->token_strip), ==, last_word - 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Tab through the whole window: the token strip is one stop, the head
 * description none; the selectors say how many layers and heads exist. */
static void
test_learner_focus_chain (void)
{
  AttnWindow *window = window_new_loaded ();
  AttnEngine *engine = attn_document_get_engine (attn_window_get_document (window));
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  guint in_strip = 0, in_description = 0;
  gboolean back_at_editor = FALSE;
  g_autofree char *of_layers = g_strdup_printf ("of %u", attn_engine_get_n_layers (engine));
  g_autofree char *of_heads = g_strdup_printf ("of %u", attn_engine_get_n_heads (engine));

  g_assert_cmpstr (gtk_label_get_text (window->layer_count_label), ==, of_layers);
  g_assert_cmpstr (gtk_label_get_text (window->head_count_label), ==, of_heads);

  attn_sentence_editor_focus (window->editor);
  for (int i = 0; i < 80; i++)
    {
      GtkWidget *focus;

      GtkWidget *before = gtk_root_get_focus (GTK_ROOT (window));

      /* As GtkWindow moves the focus: past the last stop, from the top. */
      if (!gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD))
        {
          gtk_window_set_focus (GTK_WINDOW (window), NULL);
          gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD);
        }
      focus = gtk_root_get_focus (GTK_ROOT (window));
      /* Tab always moves on (past the heatmap's zoom buttons it stayed on
       * the last one: the head description's labels held it). */
      g_assert_true (focus != before);
      if (focus == GTK_WIDGET (window->editor) || gtk_widget_is_ancestor (focus, GTK_WIDGET (window->editor)))
        back_at_editor = TRUE;
      if (focus == NULL || g_ptr_array_find (seen, focus, NULL))
        continue;
      g_ptr_array_add (seen, focus);
      g_test_message ("Tab %d: %s %s", i, G_OBJECT_TYPE_NAME (focus),
                      gtk_widget_get_tooltip_text (focus) ? gtk_widget_get_tooltip_text (focus) : "");
      in_strip += focus == GTK_WIDGET (window->token_strip) ||
                  gtk_widget_is_ancestor (focus, GTK_WIDGET (window->token_strip));
      in_description += gtk_widget_is_ancestor (focus, GTK_WIDGET (window->head_description));
    }

  g_assert_cmpuint (seen->len, >, 3);
  /* Round the whole window and back. */
  g_assert_true (back_at_editor);
  g_assert_cmpuint (in_strip, ==, 1);
  g_assert_cmpuint (in_description, ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Readable maps despite sinks: the Maps menu's settings and a hidden token
 * reach every view; the heatmap's tooltip still gives the true weight. */
static void
test_learner_hide_tokens (void)
{
  AttnWindow *window = window_new_loaded ();
  AttnDocument *document = attn_window_get_document (window);
  AttnResult *result = attn_document_get_result (document);
  g_autoptr(GSettings) settings = _attn_settings_new ();
  AttnAttentionView *views[] = {
    ATTN_ATTENTION_VIEW (window->heatmap),
    ATTN_ATTENTION_VIEW (window->arc_view),
    ATTN_ATTENTION_VIEW (window->head_grid),
  };
  AttnAttentionViewClass *klass = ATTN_ATTENTION_VIEW_GET_CLASS (window->heatmap);
  const float *w = attn_result_get_weights (result, attn_document_get_layer (document),
                                            attn_document_get_head (document));
  guint T = attn_result_get_n_tokens (result);
  g_autofree char *tooltip = NULL;
  char expected[32];

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    g_assert_true (attn_display_is_identity (attn_attention_view_get_display (views[i])));

  /* The menu item's action (a GSettings action): toggles the key. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "view.hide-first-token", NULL));
  g_assert_true (g_settings_get_boolean (settings, "hide-first-token"));
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    g_assert_true (attn_display_hides (attn_attention_view_get_display (views[i]), 0));

  g_settings_set_boolean (settings, "row-max", TRUE);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.hide-token", "i", 3);
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      const AttnDisplay *display = attn_attention_view_get_display (views[i]);

      g_assert_true (attn_display_hides (display, 3));
      g_assert_true (display->row_max);
    }

  /* Cell (4, 2): the true weight, then what its colour shows. */
  tooltip = klass->dup_tooltip (views[0], result, 4, 2);
  g_snprintf (expected, sizeof expected, ": %.3f (coloured as", w[4 * T + 2]);
  g_assert_nonnull (strstr (tooltip, expected));

  g_settings_set_enum (settings, "colour-scale", ATTN_SCALE_LOG);
  g_assert_cmpint (attn_attention_view_get_scale (views[0]), ==, ATTN_SCALE_LOG);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-all-tokens", NULL);
  g_settings_set_boolean (settings, "row-max", FALSE);
  g_settings_set_enum (settings, "colour-scale", ATTN_SCALE_LINEAR);
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    g_assert_true (attn_display_is_identity (attn_attention_view_get_display (views[i])));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* One token across the whole model: the model view follows the query,
 * "find heads" ranks by the key picked in its dropdown, and opening a
 * panel selects that head and returns to the main view. */
static void
test_learner_model_view (void)
{
  AttnWindow *window = window_new_loaded ();
  AttnDocument *document = attn_window_get_document (window);
  AttnResult *result = attn_document_get_result (document);
  guint T = attn_result_get_n_tokens (result);
  g_autofree AttnHeadRank *rank = NULL;
  g_autofree char *description = NULL;
  g_autofree char *expected = NULL;

  adw_view_stack_set_visible_child_name (window->view_stack, "model");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (window->rank_dropdown)));

  attn_document_set_query (document, T - 1);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (window->rank_dropdown)));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (window->rank_dropdown)), ==, T + 1);
  description = gtk_test_accessible_check_property (GTK_ACCESSIBLE (window->model_view),
                                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "");
  g_assert_nonnull (strstr (description, "in each of"));
  g_clear_pointer (&description, g_free);

  /* Rank by token 2: the document's key, and the strongest head named first. */
  gtk_drop_down_set_selected (window->rank_dropdown, 3);
  g_assert_cmpint (attn_document_get_key (document), ==, 2);
  rank = attn_head_rank_new (result, T - 1, 2, NULL);
  expected = g_strdup_printf ("layer %u head %u %.2f;", rank[0].layer, rank[0].head, rank[0].weight);
  description = gtk_test_accessible_check_property (GTK_ACCESSIBLE (window->model_view),
                                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "");
  g_assert_true (g_str_has_prefix (description, "Heads ranked by the attention"));
  g_assert_nonnull (strstr (description, expected));

  /* A key pinned elsewhere (heatmap) shows in the dropdown. */
  attn_document_set_key (document, 0);
  g_assert_cmpuint (gtk_drop_down_get_selected (window->rank_dropdown), ==, 1);

  attn_attention_view_activate_head (ATTN_ATTENTION_VIEW (window->model_view), rank[0].layer, rank[0].head);
  g_assert_cmpuint (attn_document_get_layer (document), ==, rank[0].layer);
  g_assert_cmpuint (attn_document_get_head (document), ==, rank[0].head);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "heatmap");

  /* Both views of heads take the keyboard the same way (the base class):
   * in layer order, arrows move a cursor from the selected head, Enter
   * opens the head.  (Ranked, the cursor follows the ranks from the
   * top-ranked head: test-keyboard.c, with real key presses.) */
  attn_document_set_key (document, -1);
  for (guint v = 0; v < 2; v++)
    {
      GtkWidget *heads = v == 0 ? GTK_WIDGET (window->model_view) : GTK_WIDGET (window->head_grid);
      guint layer = attn_document_get_layer (document), head = attn_document_get_head (document);
      guint n_heads = attn_result_get_n_heads (result);

      adw_view_stack_set_visible_child_name (window->view_stack, v == 0 ? "model" : "grid");
      g_assert_true (send_key (heads, head + 1 < n_heads ? GDK_KEY_Right : GDK_KEY_Left, 0));
      g_assert_cmpuint (attn_document_get_head (document), ==, head);   /* only the cursor moved */
      g_assert_true (send_key (heads, GDK_KEY_Return, 0));
      g_assert_cmpuint (attn_document_get_layer (document), ==, layer);
      g_assert_cmpuint (attn_document_get_head (document), ==, head + 1 < n_heads ? head + 1 : head - 1);
      g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "heatmap");
      g_assert_false (send_key (heads, GDK_KEY_Return, GDK_CONTROL_MASK));
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Runs the window's own shortcut for @accel (e.g. "<Alt>3") as a key
 * press that reached the window would; FAILS when there is none. */
static void
activate_window_shortcut (AttnWindow *window,
                          const char *accel)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (g_strcmp0 (trigger, accel) == 0)
            {
              g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                           GTK_WIDGET (window),
                                                           gtk_shortcut_get_arguments (shortcut)));
              return;
            }
        }
    }
  g_error ("no window shortcut %s", accel);
}

/* Alt+1 … Alt+7 show the views in the switcher's order, whatever has the
 * focus (the editor too), and the shortcuts window lists them. */
static void
test_learner_view_keys (void)
{
  AttnWindow *window = window_new_loaded ();
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (window->view_stack);
  g_autoptr(GtkBuilder) builder = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (pages));
  GObject *overlay;
  GSList *objects;
  gboolean listed = FALSE;

  g_assert_cmpuint (n, ==, 7);
  gtk_widget_grab_focus (GTK_WIDGET (window->editor));
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i - 1);
      g_autofree char *accel = g_strdup_printf ("<Alt>%u", i);

      activate_window_shortcut (window, accel);
      g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==,
                       adw_view_stack_page_get_name (page));
    }
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "heatmap");
  /* Past the last view: nothing changes. */
  activate_window_shortcut (window, "<Alt>9");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "heatmap");

  builder = gtk_builder_new_from_resource ("/com/example/Attention/gtk/help-overlay.ui");
  overlay = gtk_builder_get_object (builder, "help_overlay");
  g_assert_nonnull (overlay);
  objects = gtk_builder_get_objects (builder);
  for (GSList *l = objects; l != NULL; l = l->next)
    if (GTK_IS_SHORTCUTS_SHORTCUT (l->data))
      {
        g_autofree char *accelerator = NULL;

        g_object_get (l->data, "accelerator", &accelerator, NULL);
        listed = listed || g_strcmp0 (accelerator, "<Alt>1...<Alt>7") == 0;
      }
  g_slist_free (objects);
  g_assert_true (listed);
  gtk_window_destroy (GTK_WINDOW (overlay));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The widgets that make the window wider than @limit, innermost first:
 * each one whose minimum width is past it, with its children's minimums
 * (a box of several, a label that will not wrap, a margin), so a failing
 * width test names what to fix. */
static void
report_wide_widgets (GtkWidget *widget,
                     int        limit,
                     GString   *out)
{
  int minimum, child_min;

  if (!gtk_widget_get_visible (widget))
    return;
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  if (minimum <= limit)
    return;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (!gtk_widget_get_visible (c))
        continue;
      gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &child_min, NULL, NULL, NULL);
      if (child_min > limit)
        report_wide_widgets (c, limit, out);
    }
  g_string_append_printf (out, "%s %s%s%s: %d px;",
                          G_OBJECT_TYPE_NAME (widget), gtk_widget_get_css_name (widget),
                          GTK_IS_LABEL (widget) ? " " : "",
                          GTK_IS_LABEL (widget) ? gtk_label_get_label (GTK_LABEL (widget)) : "",
                          minimum);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_get_visible (c))
      {
        gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &child_min, NULL, NULL, NULL);
        g_string_append_printf (out, " %s %d%s%s", G_OBJECT_TYPE_NAME (c), child_min,
                                GTK_IS_LABEL (c) ? " " : "", GTK_IS_LABEL (c) ? gtk_label_get_label (GTK_LABEL (c)) : "");
      }
  g_string_append_c (out, '\n');
}

/* Asserts the window's minimum width is at most @limit, naming the
 * widgets past it when it is not. */
static void
assert_fits (AttnWindow *window,
             int         limit)
{
  int minimum;

  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("window minimum width %d", minimum);
  if (minimum > limit)
    {
      g_autoptr(GString) wide = g_string_new (NULL);

      report_wide_widgets (GTK_WIDGET (window), limit, wide);
      g_test_message ("wider than %d px:\n%s", limit, wide->str);
    }
  g_assert_cmpint (minimum, <=, limit);
}

/* The height of @widget, and of the area below the header bar (the
 * views, the panels and, when narrow, the switcher bar), as laid out. */
static double
measure_share (AttnWindow *window,
               GtkWidget  *widget,
               const char *name,
               double     *content_height)
{
  graphene_rect_t bounds, flap, content;

  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (window), &bounds));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (window->flap), GTK_WIDGET (window), &flap));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (window->toast_overlay), GTK_WIDGET (window), &content));
  *content_height = content.origin.y + content.size.height - flap.origin.y;
  g_test_message ("%d x %d px: %s %.0f of %.0f px high (panels %d, views %d, description %d)",
                  gtk_widget_get_width (GTK_WIDGET (window)), gtk_widget_get_height (GTK_WIDGET (window)),
                  name, bounds.size.height, *content_height,
                  gtk_widget_get_height (GTK_WIDGET (window->panels_scroller)),
                  gtk_widget_get_height (GTK_WIDGET (window->main_stack)),
                  gtk_widget_get_height (GTK_WIDGET (window->description_scroller)));
  return bounds.size.height;
}

static gboolean
is_laid_out (gpointer data)
{
  return gtk_widget_get_height (GTK_WIDGET (data)) > 0;
}

/* Some of @widget is within the scrolled panels' view. */
static gboolean
panel_shown (AttnWindow *window,
             GtkWidget  *widget)
{
  graphene_rect_t bounds, shown;

  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (window), &bounds));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (window->panels_scroller), GTK_WIDGET (window), &shown));
  return bounds.origin.y + bounds.size.height > shown.origin.y + 4
         && bounds.origin.y < shown.origin.y + shown.size.height - 4;
}

static gboolean
strip_shown (gpointer data)
{
  return panel_shown (data, GTK_WIDGET (ATTN_WINDOW (data)->token_strip));
}

/* The focused text's top line, in view. */
static gboolean
editor_shown (gpointer data)
{
  AttnWindow *window = data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));
  graphene_rect_t bounds, shown;

  g_assert_true (gtk_widget_compute_bounds (focus, GTK_WIDGET (window), &bounds));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (window->panels_scroller), GTK_WIDGET (window), &shown));
  return bounds.origin.y >= shown.origin.y && bounds.origin.y + 16 < shown.origin.y + shown.size.height;
}

/* The switcher bar's revealer has ended its slide, in or out. */
static gboolean
switcher_settled (gpointer data)
{
  AttnWindow *window = data;
  GtkWidget *revealer = find_descendant (GTK_WIDGET (window->switcher_bar), GTK_TYPE_REVEALER);

  return revealer == NULL
         || gtk_revealer_get_child_revealed (GTK_REVEALER (revealer))
            == gtk_revealer_get_reveal_child (GTK_REVEALER (revealer));
}

/* Lets a page just shown be laid out (@widget in it has a height), and
 * the switcher bar end its slide: measured half way, the views would have
 * less or more than they keep. */
static void
settle (GtkWidget *widget)
{
  g_assert_true (wait_until (is_laid_out, widget));
  g_assert_true (wait_until (switcher_settled, gtk_widget_get_root (widget)));
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
}

/* The window works from 360 px wide: its minimum width is at most that,
 * and at each height a phone's or a laptop's window has the heatmap (the
 * map itself, not its page) and the arc view keep at least half the height
 * below the header bar, whatever the editor, token strip, legends and
 * head description above and below them would take. */
static void
check_size (int width,
            int height)
{
  g_autoptr(GSettings) settings = _attn_settings_new ();
  AttnWindow *window;
  AttnDocument *document;
  int minimum, natural;
  double content;
  gint64 deadline;

  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  window = window_new_loaded ();
  document = attn_window_get_document (window);
  /* A sentence of the article's, long enough for three rows of tokens. */
  attn_document_set_text (document, "The trophy didn't fit in the suitcase because it was too big.");
  g_assert_true (wait_until (has_result, window));
  attn_document_set_query (document, 9);
  assert_fits (window, 360);

  /* The default size counts the frame's few pixels of client-side
   * decoration too. */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while ((ABS (gtk_widget_get_width (GTK_WIDGET (window)) - width) > 12
          || ABS (gtk_widget_get_height (GTK_WIDGET (window)) - height) > 12)
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  settle (GTK_WIDGET (window->heatmap));
  g_assert_cmpint (ABS (gtk_widget_get_width (GTK_WIDGET (window)) - width), <=, 12);
  g_assert_cmpint (ABS (gtk_widget_get_height (GTK_WIDGET (window)) - height), <=, 12);
  /* The panels are all there, only scrolled: the strip has its tokens. */
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window->token_strip)), >, 20);

  g_assert_cmpfloat (measure_share (window, GTK_WIDGET (window->heatmap), "heatmap", &content), >=, content / 2);
  adw_view_stack_set_visible_child_name (window->view_stack, "arcs");
  settle (GTK_WIDGET (window->arc_view));
  g_assert_cmpfloat (measure_share (window, GTK_WIDGET (window->arc_view), "arcs", &content), >=, content / 2);
  adw_view_stack_set_visible_child_name (window->view_stack, "heatmap");
  settle (GTK_WIDGET (window->heatmap));
  /* The keyboard reaches the panels below the fold: the focus scrolls
   * them to the strip, and back up to the editor. */
  {
    GtkAdjustment *panels = gtk_scrolled_window_get_vadjustment (window->panels_scroller);

    gtk_widget_grab_focus (GTK_WIDGET (window->token_strip));
    g_assert_true (gtk_widget_has_focus (GTK_WIDGET (window->token_strip)));
    g_assert_true (wait_until (strip_shown, window));
    gtk_widget_activate_action (GTK_WIDGET (window), "win.focus-editor", NULL);   /* Ctrl+L */
    g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), GTK_WIDGET (window->editor)));
    g_assert_true (wait_until (editor_shown, window));
    g_test_message ("panels scrolled back to %.0f of %.0f px", gtk_adjustment_get_value (panels),
                    gtk_adjustment_get_upper (panels));
  }
  /* So does the wheel over the editor, once the editor itself has nothing
   * more to scroll that way; where nothing is folded it is the editor's. */
  {
    GtkAdjustment *panels = gtk_scrolled_window_get_vadjustment (window->panels_scroller);
    GtkWidget *text = gtk_root_get_focus (GTK_ROOT (window));
    GtkAdjustment *own = gtk_scrolled_window_get_vadjustment (
      GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (text, GTK_TYPE_SCROLLED_WINDOW)));
    gboolean folded = gtk_adjustment_get_upper (panels) > gtk_adjustment_get_page_size (panels);
    graphene_point_t centre;

    gtk_adjustment_set_value (own, gtk_adjustment_get_upper (own));
    g_assert_true (gtk_widget_compute_point (text, GTK_WIDGET (window->panels_scroller),
                                             &GRAPHENE_POINT_INIT (gtk_widget_get_width (text) / 2.0,
                                                                   gtk_widget_get_height (text) / 2.0),
                                             &centre));
    g_assert_cmpint (_attn_window_fold_scroll (window, centre.x, centre.y, 1, GDK_SCROLL_UNIT_WHEEL), ==, folded);
    g_assert_cmpint (gtk_adjustment_get_value (panels) > 1, ==, folded);
    if (gtk_adjustment_get_upper (own) > gtk_adjustment_get_page_size (own))
      g_assert_false (_attn_window_fold_scroll (window, centre.x, centre.y, -1, GDK_SCROLL_UNIT_WHEEL));
    g_test_message ("wheel: panels %s, at %.0f", folded ? "folded" : "whole", gtk_adjustment_get_value (panels));
  }

  /* The view switcher's labels are never cut ("Heat…" at 800 px): in the
   * header bar it has its natural width, else the bar below has it. */
  {
    GtkWidget *title = adw_squeezer_get_visible_child (window->title_squeezer);

    if (ADW_IS_VIEW_SWITCHER (title))
      {
        gtk_widget_measure (title, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
        g_assert_cmpint (gtk_widget_get_width (title), >=, natural);
      }
    else
      g_assert_true (adw_view_switcher_bar_get_reveal (window->switcher_bar));
  }
  /* The examples menu fits a 360 px screen too (a menu item does not
   * wrap: the long examples are two lines). */
  {
    GtkWidget *button = find_descendant (GTK_WIDGET (window->editor), GTK_TYPE_MENU_BUTTON);
    GtkPopover *examples;

    g_assert_nonnull (button);
    examples = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
    gtk_menu_button_popup (GTK_MENU_BUTTON (button));   /* a hidden popover measures 0 */
    for (int i = 0; i < 20; i++)
      g_main_context_iteration (NULL, FALSE);
    gtk_widget_measure (GTK_WIDGET (examples), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
    g_test_message ("examples menu: %d px wide", natural);
    g_assert_cmpint (natural, >, 0);
    g_assert_cmpint (natural, <=, 360);
    gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  }
  /* The walkthrough never widens the window: shown when narrow, it folds
   * over the content instead. */
  adw_flap_set_reveal_flap (window->flap, TRUE);
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  assert_fits (window, 360);
  if (width < 700)
    g_assert_true (adw_flap_get_folded (window->flap));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A phone's screen (360 × 640 and 360 × 720), a small laptop's (800 ×
 * 600 and 800 × 640), a desktop's (1280 × 800). */
static void
test_learner_width_360 (void)
{
  check_size (360, 640);
  check_size (360, 720);
}

static void
test_learner_width_800 (void)
{
  check_size (800, 600);
  check_size (800, 640);
}

static void
test_learner_width_1280 (void)
{
  check_size (1280, 800);
}

/* Control characters look the same in the strip as in the heatmap and
 * exports: the renderer's label, stand-ins quiet. */
static void
test_learner_control_characters (void)
{
  AttnWindow *window = window_new_loaded ();
  AttnDocument *document = attn_window_get_document (window);
  AttnResult *result;
  guint checked = 0;

  attn_sentence_editor_set_text (window->editor, "a\rb\x07c\td\ne");
  g_assert_true (wait_until ((Condition) has_result, window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  result = attn_document_get_result (document);
  for (guint i = 0; i < attn_result_get_n_tokens (result); i++)
    {
      g_autofree char *expected = attn_render_dup_token_label (attn_result_get_token_text (result, i));
      const char *text = attn_result_get_token_text (result, i);

      g_assert_cmpstr (attn_token_strip_get_label (window->token_strip, i), ==, expected);
      checked += strpbrk (text, "\r\x07") != NULL;
    }
  g_assert_cmpuint (checked, >=, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A head is not labelled from fewer than five tokens: the description
 * says the text is too short to tell, and labels again at five. */
static void
test_learner_short_text (void)
{
  AttnWindow *window = window_new_loaded ();
  AttnDocument *document = attn_window_get_document (window);
  const char *summary;
  AttnResult *result;

  /* The fixture model's tokens are bytes (and a BOS): "abc" is 4 tokens. */
  attn_document_set_text (document, "abc");
  g_assert_true (wait_until (has_result, window));
  result = attn_document_get_result (document);
  g_assert_cmpuint (attn_result_get_n_tokens (result), <, ATTN_HEAD_DESCRIPTION_MIN_TOKENS);
  summary = attn_head_description_get_summary (window->head_description);
  g_assert_nonnull (strstr (summary, "too short to tell"));
  g_assert_nonnull (strstr (summary, "type at least 5"));

  attn_document_set_text (document, "abcdefgh");
  g_assert_true (wait_until (has_result, window));
  g_assert_cmpuint (attn_result_get_n_tokens (attn_document_get_result (document)), >=,
                    ATTN_HEAD_DESCRIPTION_MIN_TOKENS);
  summary = attn_head_description_get_summary (window->head_description);
  g_assert_null (strstr (summary, "too short"));
  g_assert_true (g_str_has_prefix (summary, "Layer "));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* "it" in the article's sentence on a GPT: the legend says why later
 * tokens are grey and suggests an encoder, which reads both ways. */
static void
test_learner_suggest_encoder (void)
{
  g_autoptr(GSettings) settings = _attn_settings_new ();
  g_autofree char *model = g_build_filename (g_getenv ("ATTENTION_MODELS_DIR"), "minigpt-en", NULL);
  AttnWindow *window;
  AttnDocument *document;
  AttnResult *result;
  const char *caption;
  int it = -1;

  g_settings_set_string (settings, "model", model);
  g_settings_set_string (settings, "sentence", "The animal didn't cross the street because it was too tired.");
  window = attn_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (has_result, window));
  document = attn_window_get_document (window);
  result = attn_document_get_result (document);
  for (guint i = 0; i < attn_result_get_n_tokens (result); i++)
    if (g_strcmp0 (attn_result_get_token_text (result, i), " it") == 0)
      it = i;
  g_assert_cmpint (it, >, 0);

  attn_document_set_query (document, it);
  caption = attn_weight_legend_get_caption (window->weight_legend);
  g_assert_nonnull (strstr (caption, "a GPT reads left to right"));
  g_assert_nonnull (strstr (caption, "an encoder such as BERT reads both ways"));

  attn_document_set_query (document, it - 1);   /* "because": no pronoun */
  g_assert_null (strstr (attn_weight_legend_get_caption (window->weight_legend), "encoder"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_words (gpointer data)
{
  AttnDocument *document = attn_window_get_document (ATTN_WINDOW (data));

  return !attn_document_get_busy (document)
         && attn_document_get_view_result (document) != NULL
         && attn_result_get_words (attn_document_get_view_result (document)) != NULL;
}

/* "Merge word pieces" (issue 16): on by default and remembered; the strip,
 * the sentence, the views and the exports show words ("T" "he" is "The"),
 * a word's row is the merged one; the walkthrough stays per token and says
 * so; off shows the model's tokens again, and a new window (a restart on
 * the memory backend) keeps the choice. */
static void
test_learner_merge_words (void)
{
  g_autoptr(GSettings) settings = _attn_settings_new ();
  g_autofree char *dir = g_dir_make_tmp ("attention-words-XXXXXX", NULL);
  g_autofree char *json_path = g_build_filename (dir, "words.json", NULL);
  g_autofree char *svg_path = g_build_filename (dir, "words.svg", NULL);
  g_autofree char *json = NULL, *svg = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  AttnWindow *window = window_new_loaded ();
  AttnDocument *document = attn_window_get_document (window);
  AttnResult *tokens = attn_document_get_result (document), *words;
  const AttnWords *map;
  const float *w;
  guint T = attn_result_get_n_tokens (tokens), W;
  int cat;
  g_autofree char *tip = NULL;
  const char *text = attn_result_get_text (tokens);
  GtkTextTag *tag;
  gsize start, end;

  /* A learner gets words unless they turned them off. */
  g_settings_reset (settings, "merge-words");
  g_assert_true (g_settings_get_boolean (settings, "merge-words"));
  g_assert_true (attn_document_get_merge_words (document));
  g_assert_true (wait_until (has_words, window));
  words = attn_document_get_view_result (document);
  map = attn_result_get_words (words);
  W = attn_result_get_n_tokens (words);
  g_assert_cmpuint (W, <, T);
  g_assert_cmpstr (attn_result_get_token_text (words, 0), ==, "The");

  /* The strip has a button per word, the views draw words. */
  g_assert_cmpuint (attn_token_strip_get_n_tokens (window->token_strip), ==, W);
  g_assert_cmpstr (attn_token_strip_get_label (window->token_strip, 0), ==, "The");
  g_assert_true (_attn_attention_view_get_result (ATTN_ATTENTION_VIEW (window->heatmap)) == words);
  g_assert_true (_attn_attention_view_get_result (ATTN_ATTENTION_VIEW (window->head_grid)) == words);
  tip = attn_token_strip_dup_tooltip (window->token_strip, 0);
  g_assert_nonnull (strstr (tip, "Word 0: “The” (2 tokens)"));
  g_clear_pointer (&tip, g_free);

  /* Click " cat": the query is its (last) token, the strip tints "The" by
   * cat's merged weight on both its pieces, the tooltip says so. */
  attn_token_strip_activate (window->token_strip, 1);
  cat = (int) map->first[2] - 1;
  g_assert_cmpint (attn_document_get_query (document), ==, cat);
  g_assert_cmpint (attn_document_get_view_query (document), ==, 1);
  w = attn_result_get_weights (words, attn_document_get_layer (document), attn_document_get_head (document));
  {
    const float *tw = attn_result_get_weights (tokens, attn_document_get_layer (document),
                                               attn_document_get_head (document));
    guint q = map->first[2] - 1;

    /* cat is one piece: its weight on "The" is the sum over "T" and "he". */
    g_assert_cmpuint (map->first[2] - map->first[1], ==, 1);
    g_assert_cmpfloat_with_epsilon (w[1 * W + 0], tw[q * T + 0] + tw[q * T + 1], 1e-6);
  }
  expected = g_strdup_printf ("“cat” → “The”: %.3f", w[1 * W + 0]);
  tip = attn_token_strip_dup_tooltip (window->token_strip, 0);
  g_assert_nonnull (strstr (tip, expected));
  g_clear_pointer (&tip, g_free);
  g_assert_true (attn_token_strip_get_state (window->token_strip, 0) & ATTN_TOKEN_TINTED);

  /* The sentence: "T" and "he" both have the word's colour. */
  attn_result_get_token_span (tokens, 1, &start, &end);
  tag = tint_tag_at (window, g_utf8_pointer_to_offset (text, text + start));
  g_assert_nonnull (tag);
  g_assert_true (tag == tint_tag_at (window, 0));
  assert_tag_colour (tag, w[1 * W + 0]);

  /* The Learn tour's tinted sentence shows the same word and its weights. */
  {
    g_autofree char *what = NULL;
    GtkWidget *figure = _attn_learn_page_find (window->learn_page, "figure-what");

    g_assert_nonnull (figure);
    what = g_strdup_printf ("attention of “·cat” in layer %u, head %u", attn_document_get_layer (document),
                            attn_document_get_head (document));
    g_assert_nonnull (strstr (attn_learn_figure_get_description (ATTN_LEARN_FIGURE (figure)), what));
    g_free (what);
    what = g_strdup_printf ("the %u words after it are hidden", W - 2);
    g_assert_nonnull (strstr (attn_learn_figure_get_description (ATTN_LEARN_FIGURE (figure)), what));
  }

  /* The walkthrough stays per token and says so. */
  g_assert_true (_attn_walkthrough_says_pieces (window->walkthrough));

  /* Exports carry the words and say so. */
  g_assert_true (_attn_window_export (window, "values", json_path, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (json_path, &json, NULL, NULL));
  g_assert_nonnull (strstr (json, "\"merged_words\": true"));
  g_assert_nonnull (strstr (json, "\"words\": [\"The\""));
  g_assert_true (_attn_window_export (window, "view", svg_path, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg_path, &svg, NULL, NULL));
  g_assert_nonnull (strstr (svg, "words: sum over key pieces, mean over query pieces"));

  /* Off: the tokens again, at once, the query still on "cat". */
  gtk_widget_activate_action (GTK_WIDGET (window), "view.merge-words", NULL);
  g_assert_false (g_settings_get_boolean (settings, "merge-words"));
  g_assert_false (attn_document_get_merge_words (document));
  g_assert_true (attn_document_get_view_result (document) == tokens);
  g_assert_cmpuint (attn_token_strip_get_n_tokens (window->token_strip), ==, T);
  g_assert_cmpint (attn_document_get_view_query (document), ==, cat);
  g_assert_false (_attn_walkthrough_says_pieces (window->walkthrough));
  gtk_window_destroy (GTK_WINDOW (window));

  /* A restart keeps it off; turned on, the next one has words. */
  window = attn_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (has_result, window));
  g_assert_false (attn_document_get_merge_words (attn_window_get_document (window)));
  g_assert_null (attn_result_get_words (attn_document_get_view_result (attn_window_get_document (window))));
  gtk_widget_activate_action (GTK_WIDGET (window), "view.merge-words", NULL);
  g_assert_true (wait_until (has_words, window));
  gtk_window_destroy (GTK_WINDOW (window));

  window = attn_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (has_words, window));
  g_assert_true (attn_document_get_merge_words (attn_window_get_document (window)));
  gtk_window_destroy (GTK_WINDOW (window));

  g_remove (json_path);
  g_remove (svg_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    return 77;

  /* learner-de (tests/meson.build) runs the widths in German. */
  window_tests_init (&argc, &argv);

  g_test_add_func ("/attention/learner/short-text", test_learner_short_text);
  g_test_add_func ("/attention/learner/suggest-encoder", test_learner_suggest_encoder);
  g_test_add_func ("/attention/learner/tint", test_learner_tint);
  g_test_add_func ("/attention/learner/merge-words", test_learner_merge_words);
  g_test_add_func ("/attention/learner/strip-keyboard", test_learner_strip_keyboard);
  g_test_add_func ("/attention/learner/focus-chain", test_learner_focus_chain);
  g_test_add_func ("/attention/learner/view-keys", test_learner_view_keys);
  g_test_add_func ("/attention/learner/hide-tokens", test_learner_hide_tokens);
  g_test_add_func ("/attention/learner/model-view", test_learner_model_view);
  g_test_add_func ("/attention/learner/control-characters", test_learner_control_characters);
  g_test_add_func ("/attention/learner/width-360", test_learner_width_360);
  g_test_add_func ("/attention/learner/width-800", test_learner_width_800);
  g_test_add_func ("/attention/learner/width-1280", test_learner_width_1280);

  return g_test_run ();
}
