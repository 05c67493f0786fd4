/* learn-fixture.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the Learn tour's UI tests (test-learn.c, test-learn-live.c) share:
 * a window as a first launch meets it, the tour's widgets by name, clicks
 * and the figures' descriptions.
 */
#pragma once

#include <adwaita.h>

#include "attn-learn-ablation.h"
#include "attn-learn-figure.h"
#include "attn-learn-page.h"
#include "attn-render.h"
#include "window-fixture.h"

/* A result for the document's current text. */
static inline gboolean
is_current (gpointer data)
{
  AttnDocument *document = attn_window_get_document (ATTN_WINDOW (data));

  return has_result (data)
         && g_strcmp0 (attn_result_get_text (attn_document_get_result (document)),
                       attn_document_get_text (document)) == 0;
}

/* The tour is walked on the built-in model, as a first launch meets it
 * ("" in the settings), or on what $ATTENTION_LEARN_MODEL names. */
static inline char *
test_model (void)
{
  return g_strdup (g_getenv ("ATTENTION_LEARN_MODEL") ?: "");
}

/* A window as a first launch sees it: no view chosen, tour never shown. */
static inline AttnWindow *
window_new_first_launch (const char *sentence,
                         int         width)
{
  g_autoptr(GSettings) settings = _attn_settings_new ();
  g_autofree char *model = test_model ();
  AttnWindow *window;

  g_settings_reset (settings, "view");
  g_settings_reset (settings, "learn-shown");
  g_settings_set_string (settings, "model", model);
  g_settings_set_string (settings, "sentence", sentence);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", 800);
  g_settings_set_uint (settings, "layer", 0);
  g_settings_set_uint (settings, "head", 0);
  /* The tour's figures as the model's tokens ("mat" and "." apart);
   * test-learner.c shows its tinted sentence with merged words. */
  g_settings_set_boolean (settings, "merge-words", FALSE);

  window = attn_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (is_current, window));
  spin (100);
  return window;
}

static inline GtkWidget *
find (AttnWindow *window,
      const char *name)
{
  GtkWidget *widget = _attn_learn_page_find (window->learn_page, name);

  if (widget == NULL)
    g_error ("no widget named %s in the tour", name);
  return widget;
}

static inline void
click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static inline const char *
description (AttnWindow *window,
             const char *figure)
{
  return attn_learn_figure_get_description (ATTN_LEARN_FIGURE (find (window, figure)));
}

/* The quoted label the tour uses for a token. */
static inline char *
token_label (AttnResult *result,
             int         token)
{
  g_autofree char *label = attn_render_dup_token_label (attn_result_get_token_text (result, token));

  return g_strdup_printf ("“%s”", label);
}


/* GTK and libadwaita for a test, with an empty model cache in place of the
 * user's: section 5 offers only what a test puts there. */
static inline void
learn_test_init (int    *argc,
                 char ***argv)
{
  g_autofree char *empty = g_dir_make_tmp ("attention-learn-nocache-XXXXXX", NULL);

  gtk_test_init (argc, argv, NULL);
  adw_init ();
  g_setenv ("HF_HUB_CACHE", empty, TRUE);
}

/* Section 8's figure has switched every head off in turn. */
static inline gboolean
ablation_ready (gpointer data)
{
  return attn_learn_ablation_get_effects (ATTN_LEARN_ABLATION (data)) != NULL;
}
