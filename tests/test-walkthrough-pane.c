/* test-walkthrough-pane.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The walkthrough pane in the window under Xvfb, at 360, 800 and 1,280 px:
 * the pane lies inside the window and every widget of it inside the pane
 * (step buttons 1..9, Back and Next, the fields, every step's numbers, the
 * sandbox), whatever the step; folded at 360 px it is an opaque overlay
 * (not the heatmap seen through it) that Escape closes before it clears
 * the query.  With ATTENTION_SHOT_DIR set it photographs the pane for the
 * README (docs/walkthrough-*.png).
 */

#include "config.h"

#include <adwaita.h>

#include "attn-walkthrough-private.h"
#include "widget-pixels.h"
#include "window-fixture.h"

static gboolean
revealed (gpointer data)
{
  AdwFlap *flap = data;

  return adw_flap_get_reveal_progress (flap) >= 1.0;
}

static gboolean
hidden (gpointer data)
{
  AdwFlap *flap = data;

  return adw_flap_get_reveal_progress (flap) <= 0.0;
}

/* The steps computed and the mode's crossfade over: a page half-way in
 * may have a passing allocation. */
static gboolean
steps_ready (gpointer data)
{
  AttnWalkthrough *walkthrough = data;

  return !_attn_walkthrough_is_computing (walkthrough)
         && !gtk_stack_get_transition_running (walkthrough->mode_stack)
         && !gtk_stack_get_transition_running (walkthrough->scroller_stack);
}

/* Runs the shortcut @widget's own shortcut controllers have for @keyval
 * (no modifiers), as a key press reaching @widget would; TRUE when it
 * handled the key.  send_key () reaches key controllers only. */
static gboolean
press_shortcut (GtkWidget *widget,
                guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger)
              && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval
              && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                                 widget, gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

/* A window @width px wide on the fixture, "cat" as query and "The" as key,
 * with the walkthrough shown and laid out. */
static AttnWindow *
pane_window_new (int width)
{
  g_autoptr(GSettings) settings = _attn_settings_new ();
  AttnWindow *window;
  AttnDocument *document;

  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", 700);
  window = window_new_loaded ();
  document = attn_window_get_document (window);
  attn_document_set_query (document, 2);
  attn_document_set_key (document, 0);
  adw_flap_set_reveal_flap (window->flap, TRUE);
  g_assert_true (wait_until (revealed, window->flap));
  g_assert_true (wait_until (steps_ready, window->walkthrough));
  spin (200);
  /* The default size counts the frame's few pixels of client-side
   * decoration too. */
  g_assert_cmpint (ABS (gtk_widget_get_width (GTK_WIDGET (window)) - width), <=, 12);

  return window;
}

/* Appends to @out every widget under @widget, drawn in @pane's window,
 * whose allocation reaches past @pane's left or right edge: what the pane
 * cuts off (or scrolls sideways). */
static void
find_cut (GtkWidget *widget,
          GtkWidget *pane,
          GString   *out)
{
  graphene_rect_t bounds;

  /* An overlay scrollbar's slider may stick out a few pixels as drawn. */
  if (!gtk_widget_get_mapped (widget) || gtk_widget_get_native (widget) != gtk_widget_get_native (pane)
      || GTK_IS_SCROLLBAR (widget))
    return;
  if (gtk_widget_compute_bounds (widget, pane, &bounds)
      && (bounds.origin.x < -0.5 || bounds.origin.x + bounds.size.width > gtk_widget_get_width (pane) + 0.5))
    g_string_append_printf (out, "%s %s %s: x %.0f..%.0f of %d;\n",
                            G_OBJECT_TYPE_NAME (widget), gtk_widget_get_css_name (widget),
                            GTK_IS_LABEL (widget) ? gtk_label_get_label (GTK_LABEL (widget))
                            : GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL
                            ? gtk_button_get_label (GTK_BUTTON (widget))
                            : gtk_widget_get_tooltip_text (widget) != NULL ? gtk_widget_get_tooltip_text (widget) : "",
                            bounds.origin.x, bounds.origin.x + bounds.size.width,
                            gtk_widget_get_width (pane));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    find_cut (c, pane, out);
}

/* Asserts that nothing in the pane is cut at its sides, naming what is. */
static void
assert_nothing_cut (AttnWindow *window,
                    const char *where)
{
  g_autoptr(GString) cut = g_string_new (NULL);

  spin (100);
  find_cut (GTK_WIDGET (window->walkthrough), GTK_WIDGET (window->walkthrough_slot), cut);
  if (cut->len > 0)
    g_test_message ("%s: cut at the pane's sides:\n%s", where, cut->str);
  g_assert_cmpuint (cut->len, ==, 0);
}

/* Asserts @widget lies wholly inside @outer. */
static void
assert_inside (GtkWidget *widget,
               GtkWidget *outer)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_compute_bounds (widget, outer, &bounds));
  g_test_message ("%s: %.0f,%.0f %.0f×%.0f in %d×%d", G_OBJECT_TYPE_NAME (widget),
                  bounds.origin.x, bounds.origin.y, bounds.size.width, bounds.size.height,
                  gtk_widget_get_width (outer), gtk_widget_get_height (outer));
  g_assert_cmpfloat (bounds.origin.x, >=, -0.5);
  g_assert_cmpfloat (bounds.origin.y, >=, -0.5);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (outer) + 0.5);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (outer) + 0.5);
}

/* The pane inside the window, Back and Next inside the pane, and nothing
 * cut at every step of both modes. */
static void
check_pane (AttnWindow *window)
{
  AttnWalkthrough *walkthrough = window->walkthrough;
  GtkWidget *pane = GTK_WIDGET (window->walkthrough_slot);

  for (int mode = 0; mode < 2; mode++)
    {
      attn_walkthrough_set_sandbox (walkthrough, mode == 1);
      for (int step = 0; step < ATTN_STEP_COUNT; step++)
        {
          g_autofree char *where = g_strdup_printf ("%s step %d", mode == 1 ? "sandbox" : "model", step + 1);

          attn_walkthrough_set_step (walkthrough, step);
          g_assert_true (wait_until (steps_ready, walkthrough));
          assert_nothing_cut (window, where);
        }
    }
  attn_walkthrough_set_sandbox (walkthrough, FALSE);
  attn_walkthrough_set_step (walkthrough, 0);
  spin (100);

  assert_inside (pane, GTK_WIDGET (window));
  assert_inside (_attn_walkthrough_get_button (walkthrough, FALSE), pane);
  assert_inside (_attn_walkthrough_get_button (walkthrough, TRUE), pane);
}

/* At 800 and 1,280 px the pane sits beside the views: wide enough for its
 * fields (at least 300 px), never more than half the window, and wider in
 * the wider window. */
static int
check_side_by_side (int width)
{
  AttnWindow *window = pane_window_new (width);
  int pane;

  g_assert_false (adw_flap_get_folded (window->flap));
  check_pane (window);
  pane = gtk_widget_get_width (GTK_WIDGET (window->walkthrough_slot));
  g_test_message ("%d px window: pane %d px", width, pane);
  g_assert_cmpint (pane, >=, 300);
  g_assert_cmpint (pane, <=, width / 2);
  gtk_window_destroy (GTK_WINDOW (window));

  return pane;
}

static void
test_pane_side_by_side (void)
{
  int at_800 = check_side_by_side (800);
  int at_1280 = check_side_by_side (1280);

  g_assert_cmpint (at_1280, >, at_800);
}

/* The fraction of @widget's pixels, drawn alone, that are opaque. */
static double
opaque_fraction (GtkWidget *widget)
{
  g_autoptr(GBytes) bytes = widget_dup_pixels (widget, NULL);
  const guint32 *pixels = g_bytes_get_data (bytes, NULL);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  gsize opaque = 0;

  /* CAIRO_FORMAT_ARGB32: alpha is the most significant byte of each
   * native-endian word. */
  for (gsize i = 0; i < (gsize) width * height; i++)
    if ((pixels[i] >> 24) == 0xff)
      opaque++;

  return (double) opaque / ((double) width * height);
}

/* At 360 px the pane folds over the views: inside the window, opaque, with
 * nothing cut; Escape closes it first and clears the query only after. */
static void
test_pane_folded (void)
{
  AttnWindow *window = pane_window_new (360);
  AttnDocument *document = attn_window_get_document (window);
  GtkWidget *pane = GTK_WIDGET (window->walkthrough_slot);
  double opaque;

  g_assert_true (adw_flap_get_folded (window->flap));
  g_assert_true (gtk_widget_has_css_class (pane, "walkthrough-pane"));
  check_pane (window);

  /* Drawn alone, the pane covers every pixel of its allocation: the views
   * under it do not show through. */
  opaque = opaque_fraction (pane);
  g_test_message ("folded pane: %.1f %% of its pixels opaque", 100 * opaque);
  g_assert_cmpfloat (opaque, >=, 0.99);

  /* Escape, with the focus in the pane: the overlay closes, the query
   * and key stay; a second Escape clears them. */
  gtk_widget_grab_focus (_attn_walkthrough_get_button (window->walkthrough, TRUE));
  g_assert_true (press_shortcut (GTK_WIDGET (window), GDK_KEY_Escape));
  g_assert_false (adw_flap_get_reveal_flap (window->flap));
  g_assert_cmpint (attn_document_get_query (document), ==, 2);
  g_assert_cmpint (attn_document_get_key (document), ==, 0);
  g_assert_true (wait_until (hidden, window->flap));
  g_assert_true (press_shortcut (GTK_WIDGET (window), GDK_KEY_Escape));
  g_assert_cmpint (attn_document_get_query (document), ==, -1);
  g_assert_cmpint (attn_document_get_key (document), ==, -1);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Side by side (not folded), Escape still clears the query: the pane is
 * part of the window then, not something to dismiss. */
static void
test_pane_escape_unfolded (void)
{
  AttnWindow *window = pane_window_new (1280);
  AttnDocument *document = attn_window_get_document (window);

  g_assert_false (adw_flap_get_folded (window->flap));
  gtk_widget_grab_focus (_attn_walkthrough_get_button (window->walkthrough, TRUE));
  g_assert_true (press_shortcut (GTK_WIDGET (window), GDK_KEY_Escape));
  g_assert_true (adw_flap_get_reveal_flap (window->flap));
  g_assert_cmpint (attn_document_get_query (document), ==, -1);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The index of the model's token whose text is @text, or -1 (the
 * document's query and key count the model's tokens). */
static int
find_token (AttnWindow *window,
            const char *text)
{
  AttnResult *result = attn_document_get_result (attn_window_get_document (window));

  for (guint i = 0; i < attn_result_get_n_tokens (result); i++)
    if (g_str_equal (attn_result_get_token_text (result, i), text))
      return (int) i;
  return -1;
}

/* With ATTENTION_SHOT_DIR set, the README's pictures of the pane there:
 * walkthrough-model.png and walkthrough-sandbox.png (1,280 × 880, the
 * softmax step for "it" and the key "because"), walkthrough-360.png (folded
 * over the views); on the built-in model, or ATTENTION_SHOT_MODEL. */
static void
test_pane_screenshots (void)
{
  static const struct { const char *name; int width, height; gboolean sandbox; } shots[] = {
    { "walkthrough-model.png", 1280, 880, FALSE },
    { "walkthrough-sandbox.png", 1280, 880, TRUE },
    { "walkthrough-360.png", 360, 720, FALSE },
  };
  const char *dir = g_getenv ("ATTENTION_SHOT_DIR");
  g_autofree char *model = NULL;

  if (dir == NULL)
    {
      g_test_skip ("ATTENTION_SHOT_DIR not set");
      return;
    }
  model = g_getenv ("ATTENTION_SHOT_MODEL") ? g_strdup (g_getenv ("ATTENTION_SHOT_MODEL"))
                                           : attn_engine_dup_builtin_dir ();

  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    {
      g_autoptr(GSettings) settings = _attn_settings_new ();
      g_autofree char *path = g_build_filename (dir, shots[i].name, NULL);
      AttnWindow *window;
      AttnDocument *document;

      g_settings_set_string (settings, "model", model);
      g_settings_set_string (settings, "sentence", "The animal didn't cross the street because it was too tired.");
      g_settings_set_string (settings, "view", "heatmap");
      g_settings_set_boolean (settings, "merge-words", TRUE);
      g_settings_set_uint (settings, "layer", 1);
      g_settings_set_uint (settings, "head", 2);
      g_settings_set_int (settings, "window-width", shots[i].width);
      g_settings_set_int (settings, "window-height", shots[i].height);
      window = attn_window_new (NULL);
      gtk_window_present (GTK_WINDOW (window));
      g_assert_true (wait_until (has_result, window));
      document = attn_window_get_document (window);
      g_assert_cmpint (find_token (window, " it"), >=, 0);
      g_assert_cmpint (find_token (window, " because"), >=, 0);
      attn_document_set_query (document, find_token (window, " it"));
      attn_document_set_key (document, find_token (window, " because"));
      adw_flap_set_reveal_flap (window->flap, TRUE);
      g_assert_true (wait_until (revealed, window->flap));
      attn_walkthrough_set_sandbox (window->walkthrough, shots[i].sandbox);
      attn_walkthrough_set_step (window->walkthrough, ATTN_STEP_SOFTMAX);
      g_assert_true (wait_until (steps_ready, window->walkthrough));
      spin (800);
      save_widget (GTK_WIDGET (window), FALSE, path);
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

int
main (int   argc,
      char *argv[])
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    return 77;

  /* walkthrough-pane-de (tests/meson.build) runs these in German, whose
   * labels are longer. */
  window_tests_init (&argc, &argv);
  /* The app's stylesheet, as AdwApplication loads it from the resources
   * (these tests make windows without an application): the pane's
   * background and its step buttons' width come from it. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/com/example/Attention/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
  if (g_getenv ("ATTENTION_TEST_LOCALEDIR") != NULL)
    {
      setlocale (LC_ALL, "");
      g_assert_cmpstr (gettext ("Layer"), ==, "Schicht");
    }

  g_test_add_func ("/attention/walkthrough-pane/side-by-side", test_pane_side_by_side);
  g_test_add_func ("/attention/walkthrough-pane/folded", test_pane_folded);
  g_test_add_func ("/attention/walkthrough-pane/escape-unfolded", test_pane_escape_unfolded);
  g_test_add_func ("/attention/walkthrough-pane/screenshots", test_pane_screenshots);

  return g_test_run ();
}
