/* test-keyboard.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window driven by real key presses (real-keys.h: XTest under Xvfb),
 * as a keyboard user drives it (issue 16): every key goes through the
 * window's capture-phase shortcuts before the focused widget, so a widget
 * that uses the arrows itself must get them (the model view's head
 * cursor, the view switchers), the model view's cursor follows the panels
 * as they are drawn (ranked by "find heads"), and the find-heads
 * dropdown's search field takes what is typed.
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "attn-head-rank.h"
#include "window-fixture.h"
#include "real-keys.h"
#include "widget-pixels.h"

static gboolean
laid_out (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0 && gtk_widget_get_height (data) > 0;
}

/* With ATTENTION_SHOT_DIR set, @widget as drawn now, to look at. */
static void
shot (GtkWidget  *widget,
      const char *name)
{
  g_autofree char *path = NULL;

  if (g_getenv ("ATTENTION_SHOT_DIR") == NULL)
    return;
  path = g_build_filename (g_getenv ("ATTENTION_SHOT_DIR"), name, NULL);
  save_widget (widget, FALSE, path);
}

static AttnWindow *
keyboard_window_new (int width)
{
  g_autoptr(GSettings) settings = _attn_settings_new ();
  AttnWindow *window;
  const char *why;

  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", 700);
  window = window_new_loaded ();
  if ((why = real_keys_init (GTK_WINDOW (window))) != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (window));
      g_test_skip (why);
      return NULL;
    }
  return window;
}

static void
head_cursor (AttnWindow *window,
             guint      *layer,
             guint      *head)
{
  int l, h;

  _attn_attention_view_get_hover (ATTN_ATTENTION_VIEW (window->model_view), &l, &h);
  g_assert_cmpint (l, >=, 0);
  g_assert_cmpint (h, >=, 0);
  *layer = l;
  *head = h;
}

static void
assert_cursor_on (AttnWindow         *window,
                  const AttnHeadRank *r)
{
  guint layer, head;

  head_cursor (window, &layer, &head);
  g_assert_cmpuint (layer, ==, r->layer);
  g_assert_cmpuint (head, ==, r->head);
}

/* The model view ranked by "find heads": arrows move its cursor in the
 * order of the panels on screen, not the query; Enter opens the head the
 * cursor is on, at first the top-ranked one. */
static void
test_keyboard_model_view (void)
{
  AttnWindow *window = keyboard_window_new (1000);
  AttnDocument *document;
  AttnResult *result;
  g_autofree AttnHeadRank *rank = NULL;
  guint T, H;
  int query;

  if (window == NULL)
    return;
  document = attn_window_get_document (window);
  result = attn_document_get_result (document);
  T = attn_result_get_n_tokens (result);
  H = attn_result_get_n_heads (result);
  query = T - 1;

  adw_view_stack_set_visible_child_name (window->view_stack, "model");
  attn_document_set_query (document, query);
  gtk_drop_down_set_selected (window->rank_dropdown, 3);   /* rank by token 2 */
  rank = attn_head_rank_new (result, query, 2, NULL);
  /* The selected head is not the top-ranked one. */
  attn_document_set_layer (document, rank[1].layer);
  attn_document_set_head (document, rank[1].head);

  gtk_widget_grab_focus (GTK_WIDGET (window->model_view));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (window->model_view)));

  /* Down: one row of panels down, the panel under the first one. */
  real_keys_press (GTK_WIDGET (window), GDK_KEY_Down, 0);
  assert_cursor_on (window, &rank[H]);
  /* Right: the next panel; the window does not take the arrow. */
  real_keys_press (GTK_WIDGET (window), GDK_KEY_Right, 0);
  g_assert_cmpint (attn_document_get_query (document), ==, query);
  assert_cursor_on (window, &rank[H + 1]);
  real_keys_press (GTK_WIDGET (window), GDK_KEY_Left, 0);
  g_assert_cmpint (attn_document_get_query (document), ==, query);
  assert_cursor_on (window, &rank[H]);
  real_keys_press (GTK_WIDGET (window), GDK_KEY_Up, 0);
  assert_cursor_on (window, &rank[0]);
  if (g_getenv ("ATTENTION_SHOT_DIR") != NULL)
    {
      g_assert_true (wait_until (laid_out, window->model_view));
      spin (300);       /* a frame or two, for the picture only */
      shot (GTK_WIDGET (window->model_view), "keyboard-model-view.png");
    }

  /* Enter opens the head under the cursor. */
  real_keys_press (GTK_WIDGET (window), GDK_KEY_Right, 0);
  real_keys_press (GTK_WIDGET (window), GDK_KEY_Return, 0);
  g_assert_cmpuint (attn_document_get_layer (document), ==, rank[1].layer);
  g_assert_cmpuint (attn_document_get_head (document), ==, rank[1].head);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "heatmap");

  /* Ranked by another token, the cursor starts on the new first panel:
   * Enter before any arrow opens the top-ranked head, not the selected one. */
  adw_view_stack_set_visible_child_name (window->view_stack, "model");
  attn_document_set_query (document, query);
  gtk_drop_down_set_selected (window->rank_dropdown, 2);   /* rank by token 1 */
  g_free (rank);
  rank = attn_head_rank_new (result, query, 1, NULL);
  attn_document_set_layer (document, rank[H].layer);
  attn_document_set_head (document, rank[H].head);
  gtk_widget_grab_focus (GTK_WIDGET (window->model_view));
  real_keys_press (GTK_WIDGET (window), GDK_KEY_space, 0);
  g_assert_cmpuint (attn_document_get_layer (document), ==, rank[0].layer);
  g_assert_cmpuint (attn_document_get_head (document), ==, rank[0].head);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* What does not use a key leaves it to the window: Right on the arc view
 * (no cursor of its own) steps the query; Page Down on the model view
 * (which keeps only its arrows) steps the layer. */
static void
test_keyboard_window_keys (void)
{
  AttnWindow *window = keyboard_window_new (1000);
  AttnDocument *document;
  guint layer;

  if (window == NULL)
    return;
  document = attn_window_get_document (window);

  adw_view_stack_set_visible_child_name (window->view_stack, "arcs");
  attn_document_set_query (document, 2);
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (window->arc_view)));
  real_keys_press (GTK_WIDGET (window), GDK_KEY_Right, 0);
  g_assert_cmpint (attn_document_get_query (document), ==, 3);

  adw_view_stack_set_visible_child_name (window->view_stack, "model");
  attn_document_set_layer (document, 0);
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (window->model_view)));
  layer = attn_document_get_layer (document);
  real_keys_press (GTK_WIDGET (window), GDK_KEY_Page_Down, 0);
  g_assert_cmpuint (attn_document_get_layer (document), ==, layer + 1);
  g_assert_cmpint (attn_document_get_query (document), ==, 3);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The toggle buttons of @switcher, in order. */
static GPtrArray *
switcher_buttons (GtkWidget *switcher)
{
  GPtrArray *buttons = g_ptr_array_new ();
  GtkWidget *w = switcher;

  /* depth first over the switcher's own widgets */
  while (w != NULL)
    {
      GtkWidget *child = gtk_widget_get_first_child (w);

      if (GTK_IS_TOGGLE_BUTTON (w) && gtk_widget_get_visible (w))
        g_ptr_array_add (buttons, w);
      if (child != NULL && !GTK_IS_TOGGLE_BUTTON (w))
        w = child;
      else
        {
          while (w != switcher && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = w == switcher ? NULL : gtk_widget_get_next_sibling (w);
        }
    }
  return buttons;
}

/* A switcher keeps its arrows: Right moves the focus to the next button
 * and leaves the query alone, Space shows that page, Left goes back. */
static void
check_switcher (AttnWindow *window,
                GtkWidget  *switcher)
{
  AttnDocument *document = attn_window_get_document (window);
  g_autoptr(GPtrArray) buttons = switcher_buttons (switcher);
  GtkWidget *first, *second;

  g_assert_cmpuint (buttons->len, >=, 2);
  first = g_ptr_array_index (buttons, 0);
  second = g_ptr_array_index (buttons, 1);
  /* arrows move the focus by where the buttons are */
  g_assert_true (wait_until (laid_out, second));
  attn_document_set_query (document, 2);

  g_assert_true (gtk_widget_grab_focus (first));
  real_keys_press (GTK_WIDGET (window), GDK_KEY_Right, 0);
  g_assert_cmpint (attn_document_get_query (document), ==, 2);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == second);
  real_keys_press (GTK_WIDGET (window), GDK_KEY_space, 0);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (second)));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (first)));
  real_keys_press (GTK_WIDGET (window), GDK_KEY_Left, 0);
  g_assert_cmpint (attn_document_get_query (document), ==, 2);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == first);
}

/* The All heads page's switcher (grid or table), a GtkStackSwitcher:
 * the same as the view switchers, whose place in the header bar depends
 * on the window's width. */
static void
test_keyboard_stack_switcher (void)
{
  AttnWindow *window = keyboard_window_new (1000);
  GtkWidget *switcher = NULL;

  if (window == NULL)
    return;
  adw_view_stack_set_visible_child_name (window->view_stack, "grid");
  for (GtkWidget *w = GTK_WIDGET (window->heads_stack); switcher == NULL && w != NULL; w = gtk_widget_get_parent (w))
    switcher = find_descendant (w, GTK_TYPE_STACK_SWITCHER);
  g_assert_nonnull (switcher);
  g_assert_true (gtk_stack_switcher_get_stack (GTK_STACK_SWITCHER (switcher)) == window->heads_stack);
  check_switcher (window, switcher);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->heads_stack), ==, "table");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
bar_revealed (gpointer data)
{
  return adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (data));
}

/* The view switcher at the bottom of a narrow window. */
static void
test_keyboard_switcher_bar (void)
{
  AttnWindow *window = keyboard_window_new (360);

  if (window == NULL)
    return;
  g_assert_true (wait_until (bar_revealed, window->switcher_bar));
  check_switcher (window, GTK_WIDGET (window->switcher_bar));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), !=, "heatmap");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* @widget drawn as it is now over white, as RGBA bytes. */
static GBytes *
render (GtkWidget *widget)
{
  return widget_dup_pixels (widget, &(GdkRGBA) { 1, 1, 1, 1 });
}

typedef struct
{
  AttnTokenStrip *strip;
  guint           n_draws;
} Draws;

static gboolean
drawn_again (gpointer data)
{
  Draws *draws = data;

  return _attn_token_strip_get_n_draws (draws->strip, NULL) > draws->n_draws;
}

static gboolean
strip_has_focus (gpointer data)
{
  AttnWindow *window = data;

  return gtk_root_get_focus (GTK_ROOT (window)) == GTK_WIDGET (window->token_strip);
}

/* Tabbing to the token strip with no query selected shows where the
 * keyboard is: the strip is drawn differently focused (a ring around the
 * token Right would select) than not. */
static void
test_keyboard_strip_focus_ring (void)
{
  AttnWindow *window = keyboard_window_new (1000);
  GtkWidget *strip;
  g_autoptr(GBytes) focused = NULL;
  g_autoptr(GBytes) unfocused = NULL;
  guint tabs = 0;
  Draws draws = { NULL, 0 };

  if (window == NULL)
    return;
  strip = GTK_WIDGET (window->token_strip);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.clear-query", NULL);
  g_assert_cmpint (attn_document_get_query (attn_window_get_document (window)), <, 0);

  attn_sentence_editor_focus (window->editor);
  g_assert_true (wait_until (laid_out, strip));
  draws.strip = window->token_strip;
  g_assert_true (wait_until (drawn_again, &draws));
  unfocused = render (strip);
  while (!strip_has_focus (window) && tabs++ < 40)
    real_keys_press (GTK_WIDGET (window), GDK_KEY_Tab, 0);
  g_assert_true (strip_has_focus (window));
  g_assert_true (gtk_widget_has_visible_focus (strip));
  /* Focused, the strip is drawn again, with the ring. */
  draws.n_draws = _attn_token_strip_get_n_draws (window->token_strip, NULL);
  g_assert_true (wait_until (drawn_again, &draws));
  focused = render (strip);
  shot (strip, "keyboard-strip-focused.png");
  g_assert_true (attn_token_strip_get_state (window->token_strip, 0) & ATTN_TOKEN_CURSOR);
  g_assert_false (g_bytes_equal (focused, unfocused));
  /* and Right selects the first token, the one the ring is on */
  real_keys_press (GTK_WIDGET (window), GDK_KEY_Right, 0);
  g_assert_cmpint (attn_document_get_query (attn_window_get_document (window)), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
key_is_set (gpointer data)
{
  return attn_document_get_key (ATTN_DOCUMENT (data)) >= 0;
}

typedef struct
{
  GtkWidget  *dropdown;
  const char *text;
} Typed;

/* The dropdown's search entry (in its popover) reads @text. */
static gboolean
search_reads (gpointer data)
{
  Typed *typed = data;
  GtkWidget *entry = find_descendant (typed->dropdown, GTK_TYPE_SEARCH_ENTRY);

  return entry != NULL && g_str_equal (gtk_editable_get_text (GTK_EDITABLE (entry)), typed->text);
}

static gboolean
popover_shown (gpointer data)
{
  GtkWidget *popover = find_descendant (GTK_WIDGET (data), GTK_TYPE_POPOVER);

  return popover != NULL && gtk_widget_get_mapped (popover);
}

/* "Find heads": Space opens the dropdown, typing goes to its search field
 * (GTK 4.8 leaves the focus on the list, where it did nothing), Enter
 * picks the first token that matches. */
static void
test_keyboard_rank_search (void)
{
  AttnWindow *window = keyboard_window_new (1000);
  AttnDocument *document;
  GtkWidget *dropdown;
  Typed typed;

  if (window == NULL)
    return;
  document = attn_window_get_document (window);
  dropdown = GTK_WIDGET (window->rank_dropdown);
  adw_view_stack_set_visible_child_name (window->view_stack, "model");
  attn_document_set_query (document, attn_result_get_n_tokens (attn_document_get_result (document)) - 1);
  g_assert_true (wait_until (laid_out, dropdown));

  g_assert_true (gtk_widget_grab_focus (dropdown));
  real_keys_press (GTK_WIDGET (window), GDK_KEY_space, 0);
  g_assert_true (wait_until (popover_shown, dropdown));

  /* The popover has the keyboard now: wait for the text itself. */
  real_keys_type (dropdown, "cat");
  typed = (Typed) { dropdown, "cat" };
  g_assert_true (wait_until (search_reads, &typed));
  /* the field has the focus now: the cursor shows where the text goes */
  g_assert_true (GTK_IS_TEXT (gtk_root_get_focus (GTK_ROOT (window))));
  real_keys_type_keyval (dropdown, GDK_KEY_Return);
  g_assert_true (wait_until (key_is_set, document));
  g_assert_cmpstr (attn_result_get_token_text (attn_document_get_result (document),
                                               attn_document_get_key (document)), ==, " cat");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The shortcuts window lists the keys of the views of heads. */
static void
test_keyboard_help_overlay (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/com/example/Attention/gtk/help-overlay.ui");
  GSList *objects = gtk_builder_get_objects (builder);
  guint found = 0;

  for (GSList *l = objects; l != NULL; l = l->next)
    if (GTK_IS_SHORTCUTS_SHORTCUT (l->data))
      {
        g_autofree char *accelerator = NULL;
        g_autofree char *title = NULL;

        g_object_get (l->data, "accelerator", &accelerator, "title", &title, NULL);
        if (strstr (title, "Model") != NULL
            && (g_strcmp0 (accelerator, "Up Down Left Right") == 0 || g_strcmp0 (accelerator, "Home End") == 0
                || g_strcmp0 (accelerator, "Return space") == 0))
          found++;
      }
  g_slist_free (objects);
  g_assert_cmpuint (found, ==, 3);
  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
}

int
main (int   argc,
      char *argv[])
{
  if (g_getenv ("DISPLAY") == NULL)
    return 77;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/attention/keyboard/model-view", test_keyboard_model_view);
  g_test_add_func ("/attention/keyboard/help-overlay", test_keyboard_help_overlay);
  g_test_add_func ("/attention/keyboard/window-keys", test_keyboard_window_keys);
  g_test_add_func ("/attention/keyboard/strip-focus-ring", test_keyboard_strip_focus_ring);
  g_test_add_func ("/attention/keyboard/rank-search", test_keyboard_rank_search);
  g_test_add_func ("/attention/keyboard/stack-switcher", test_keyboard_stack_switcher);
  g_test_add_func ("/attention/keyboard/switcher-bar", test_keyboard_switcher_bar);

  return g_test_run ();
}
