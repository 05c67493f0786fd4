/* window-fixture.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the window's UI tests (test-window.c, test-learner.c) share: a
 * window on the tiny fixture model with a first result, waiting on the
 * main context (main-loop.h), key presses sent to a widget's controllers
 * and widgets found by type.
 */
#pragma once

#include "config.h"     /* GETTEXT_PACKAGE, for gi18n-lib.h */

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <locale.h>

#include "attn-application.h"
#include "attn-focus-keys.h"
#include "attn-window-private.h"
#include "main-loop.h"

static inline gboolean
has_result (gpointer data)
{
  AttnWindow *window = data;
  AttnDocument *document = attn_window_get_document (window);

  return !_attn_window_is_loading (window)
         && !attn_document_get_busy (document)
         && attn_document_get_result (document) != NULL;
}

static inline gboolean
not_loading (gpointer data)
{
  return !_attn_window_is_loading (ATTN_WINDOW (data));
}

static inline char *
fixture_model (void)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "models", "tiny-f32", NULL);
}

/* A window on the fixture model, shown, with a first result. */
static inline AttnWindow *
window_new_loaded (void)
{
  g_autoptr(GSettings) settings = _attn_settings_new ();
  g_autofree char *model = fixture_model ();
  AttnWindow *window;

  g_settings_set_string (settings, "model", model);
  g_settings_set_string (settings, "sentence", "The cat sat on the mat.");
  g_settings_set_string (settings, "view", "heatmap");
  /* The model's own tokens: these tests count them ("T" "he" " cat" …);
   * test-learner.c's merge-words tests turn words on. */
  g_settings_set_boolean (settings, "merge-words", FALSE);

  window = attn_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (has_result, window));
  g_assert_cmpstr (attn_engine_get_directory (attn_document_get_engine (attn_window_get_document (window))),
                   ==, model);

  return window;
}

/* Sends @keyval with @state to @widget's key controllers, as a key press
 * that reached it would; TRUE when one handled it. */
static inline gboolean
send_key (GtkWidget       *widget,
          guint            keyval,
          GdkModifierType  state)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
    }

  return handled;
}

/* Saves @widget as it is drawn, on the window's background, to @path. */
static inline void
save_widget (GtkWidget  *widget,
             gboolean    dark,
             const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget) + 32;
  int height = gtk_widget_get_height (widget) + 32;
  GdkRGBA background = dark ? (GdkRGBA) { 0.141, 0.141, 0.141, 1 } : (GdkRGBA) { 0.98, 0.98, 0.98, 1 };

  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (16, 16));
  gdk_paintable_snapshot (paintable, snapshot, width - 32, height - 32);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("shot %s", path);
}

/* The first descendant of @widget of @type, depth first, or NULL. */
static inline GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  return _attn_widget_find_descendant (widget, type);
}

/* gtk_test_init () and adw_init (); with ATTENTION_TEST_LOCALEDIR set (the
 * -de tests in tests/meson.build) the UI's strings come in the
 * environment's language from the translations built in the build tree,
 * and the test fails if the catalogue was not found. */
static inline void
window_tests_init (int    *argc,
                   char ***argv)
{
  const char *localedir = g_getenv ("ATTENTION_TEST_LOCALEDIR");

  if (localedir != NULL)
    {
      bindtextdomain (GETTEXT_PACKAGE, localedir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);      /* as main.c: the UI's _() is gettext () */
    }
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  /* gtk_test_init sets its own locale; the -de tests' is the environment's. */
  if (localedir != NULL)
    {
      setlocale (LC_ALL, "");
      g_assert_cmpstr (gettext ("Layer"), ==, "Schicht");
    }
}
