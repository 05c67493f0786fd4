/* test-token-strip.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The token strip on its own, in a narrow scrolled window on the tiny
 * fixture models: it draws only the lines in view and scrolls the selected
 * token into view; each token of a decoder carries its probability under
 * the model (tooltip and bar), none for the first token and none at all for
 * an encoder; the accessible name says which token is selected; an arc
 * view too narrow for the text scrolls to the token chosen in the strip.
 */

#include <math.h>
#include <string.h>

#include <adwaita.h>

#include "attn-arc-view.h"
#include "attn-predictions.h"
#include "attn-token-strip.h"
#include "main-loop.h"


typedef struct
{
  AttnDocument *document;
  GtkWidget    *window;
  GtkWidget    *scroller;
  AttnTokenStrip *strip;
} Fixture;

/* A strip @width px wide and at most 60 px high on @model's result of @text. */
static void
fixture_init (Fixture    *f,
              const char *model,
              const char *text,
              int         width)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fixtures", "models", model, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, &error);
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  g_assert_no_error (error);
  f->document = attn_document_new ();
  attn_document_set_engine (f->document, engine);
  attn_document_set_text (f->document, text);
  while (attn_document_get_busy (f->document) || attn_document_get_result (f->document) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, 200);
  f->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (f->scroller), GTK_POLICY_NEVER, GTK_POLICY_EXTERNAL);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (f->scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (f->scroller), 60);
  gtk_widget_set_valign (f->scroller, GTK_ALIGN_START);
  f->strip = ATTN_TOKEN_STRIP (attn_token_strip_new ());
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (f->scroller), GTK_WIDGET (f->strip));
  gtk_window_set_child (GTK_WINDOW (f->window), f->scroller);
  attn_token_strip_set_document (f->strip, f->document);
  gtk_window_present (GTK_WINDOW (f->window));
  spin (200);
}

static void
fixture_clear (Fixture *f)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->document);
}

static gboolean
token_visible (Fixture *f,
               guint    index)
{
  return attn_token_strip_get_token_area (f->strip, index, NULL);
}

#define LONG_TEXT "The cat sat on the mat and looked at the dog, who sat by the door of the old red barn."

/* Many lines in a 60 px window: only those in view are drawn, and the
 * selected token, chosen here or elsewhere, scrolls into view. */
static void
test_strip_scrolls (void)
{
  Fixture f = { 0 };
  guint T, n_drawn = 0, draws;
  graphene_rect_t first, last;
  GtkAdjustment *vadjustment;

  fixture_init (&f, "tiny-f32", LONG_TEXT, 160);
  T = attn_token_strip_get_n_tokens (f.strip);
  g_assert_cmpuint (T, ==, attn_result_get_n_tokens (attn_document_get_result (f.document)));
  g_assert_cmpuint (T, >, 20);

  /* laid out in lines, the strip no taller than its window */
  g_assert_true (attn_token_strip_get_token_area (f.strip, 0, &first));
  g_assert_false (attn_token_strip_get_token_area (f.strip, T - 1, &last));
  g_assert_cmpfloat (last.origin.y, >, 60);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (f.strip)), <=, 60);

  draws = _attn_token_strip_get_n_draws (f.strip, &n_drawn);
  g_assert_cmpuint (draws, >, 0);
  g_assert_cmpuint (n_drawn, >, 0);
  g_assert_cmpuint (n_drawn, <, T);

  /* End in the strip: the last token becomes the query and comes into view */
  attn_token_strip_activate (f.strip, T - 1);
  spin (100);
  g_assert_cmpint (attn_document_get_query (f.document), ==, (int) T - 1);
  g_assert_true (attn_token_strip_get_state (f.strip, T - 1) & ATTN_TOKEN_SELECTED);
  g_assert_true (token_visible (&f, T - 1));
  g_assert_false (token_visible (&f, 0));
  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (f.strip));
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), >, 0);
  _attn_token_strip_get_n_draws (f.strip, &n_drawn);
  g_assert_cmpuint (n_drawn, <, T);

  /* a query chosen in another view scrolls the strip back */
  attn_document_set_query (f.document, 1);
  spin (100);
  g_assert_true (token_visible (&f, 1));
  g_assert_false (token_visible (&f, T - 1));

  /* after the query the tokens are masked, before it tinted */
  g_assert_true (attn_token_strip_get_state (f.strip, 0) & ATTN_TOKEN_TINTED);
  g_assert_true (attn_token_strip_get_state (f.strip, 2) & ATTN_TOKEN_MASKED);

  fixture_clear (&f);
}

/* A decoder's tokens carry their probability after the tokens before it,
 * as the core computes it; the first token has none. */
static void
test_strip_probabilities (void)
{
  Fixture f = { 0 };
  AttnResult *result;
  const float *logprobs;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  char expected[128];

  fixture_init (&f, "tiny-f32", "The cat sat on the mat.", 600);
  result = attn_document_get_result (f.document);
  logprobs = attn_result_get_token_logprobs (result);
  g_assert_nonnull (logprobs);
  g_assert_true (attn_token_strip_get_shows_probabilities (f.strip));

  first = attn_token_strip_dup_tooltip (f.strip, 0);
  g_assert_nonnull (strstr (first, "Probability: none"));
  second = attn_token_strip_dup_tooltip (f.strip, 2);
  g_snprintf (expected, sizeof expected, "Probability after the tokens before it: %.3g %% (log-probability %.2f)",
              100.0 * exp (logprobs[2]), logprobs[2]);
  g_assert_nonnull (strstr (second, expected));
  g_assert_true (g_str_has_prefix (second, "Token 2: “"));

  fixture_clear (&f);
}

/* An encoder reads both ways: no token's probability "after the ones
 * before it". */
static void
test_strip_encoder (void)
{
  Fixture f = { 0 };
  g_autofree char *tooltip = NULL;

  fixture_init (&f, "bert-mlm", "the cat sat on the mat", 600);
  g_assert_true (attn_result_is_bidirectional (attn_document_get_result (f.document)));
  g_assert_false (attn_token_strip_get_shows_probabilities (f.strip));
  tooltip = attn_token_strip_dup_tooltip (f.strip, 2);
  g_assert_null (strstr (tooltip, "Probability"));

  fixture_clear (&f);
}

/* The strip's accessible name names the selected token, so a screen
 * reader says it as the arrows move. */
static void
test_strip_accessible (void)
{
  Fixture f = { 0 };
  g_autofree char *wrong = NULL;
  guint T;

  fixture_init (&f, "tiny-f32", "The cat sat on the mat.", 600);
  T = attn_token_strip_get_n_tokens (f.strip);
  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (f.strip), GTK_ACCESSIBLE_PROPERTY_LABEL, "Tokens");
  g_assert_null (wrong);

  /* "T" "he" " cat": the third token */
  attn_token_strip_activate (f.strip, 2);
  {
    g_autofree char *expected = g_strdup_printf ("Tokens, “cat” selected: token 2 of %u", T);

    wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (f.strip), GTK_ACCESSIBLE_PROPERTY_LABEL, expected);
    g_assert_null (wrong);
  }

  attn_document_set_query (f.document, -1);
  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (f.strip), GTK_ACCESSIBLE_PROPERTY_LABEL, "Tokens");
  g_assert_null (wrong);

  fixture_clear (&f);
}

/* An arc view narrower than its reading-order strip: a query chosen in the
 * token strip brings its chip into sight. */
static void
test_arcs_follow (void)
{
  Fixture f = { 0 };
  GtkWidget *arcs = attn_arc_view_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkAdjustment *hadjustment;
  AttnArcSpec spec;
  guint T;

  fixture_init (&f, "tiny-f32", LONG_TEXT, 240);
  T = attn_token_strip_get_n_tokens (f.strip);
  g_object_ref (f.scroller);
  gtk_window_set_child (GTK_WINDOW (f.window), box);
  gtk_box_append (GTK_BOX (box), f.scroller);
  g_object_unref (f.scroller);
  gtk_widget_set_size_request (arcs, 240, 300);
  gtk_box_append (GTK_BOX (box), arcs);
  attn_attention_view_set_document (ATTN_ATTENTION_VIEW (arcs), f.document);
  spin (200);

  hadjustment = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (arcs));
  g_assert_cmpfloat (gtk_adjustment_get_upper (hadjustment), >, gtk_adjustment_get_page_size (hadjustment));
  g_assert_cmpfloat (gtk_adjustment_get_value (hadjustment), ==, 0);

  attn_token_strip_activate (f.strip, T - 2);
  spin (100);
  g_assert_cmpfloat (gtk_adjustment_get_value (hadjustment), >, 0);

  /* drawn as the view draws it: the query's chip is in view */
  attn_arc_spec_init (&spec, attn_document_get_result (f.document), 0, 0);
  spec.query = T - 2;
  spec.scrollable = TRUE;
  spec.scroll_x = gtk_adjustment_get_value (hadjustment);
  g_assert_true (attn_arcs_get_token_rect (&spec, gtk_widget_get_width (arcs), gtk_widget_get_height (arcs),
                                           T - 2, NULL));
  g_assert_false (attn_arcs_get_token_rect (&spec, gtk_widget_get_width (arcs), gtk_widget_get_height (arcs),
                                            0, NULL));

  fixture_clear (&f);
}

int
main (int    argc,
      char **argv)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    return 77;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/token-strip/scrolls", test_strip_scrolls);
  g_test_add_func ("/token-strip/probabilities", test_strip_probabilities);
  g_test_add_func ("/token-strip/encoder", test_strip_encoder);
  g_test_add_func ("/token-strip/accessible", test_strip_accessible);
  g_test_add_func ("/token-strip/arcs-follow", test_arcs_follow);
  return g_test_run ();
}
