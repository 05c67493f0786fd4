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
#include "attn-masked.h"
#include "attn-predictions.h"
#include "attn-token-strip.h"
#include "main-loop.h"
#include "widget-pixels.h"


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

/* Pixels of the strip drawn (alpha > 0) in @rect, the strip rendered on
 * its own (no background). */
static guint
count_ink (AttnTokenStrip        *strip,
           const graphene_rect_t *rect)
{
  g_autoptr(GBytes) bytes = widget_dup_pixels (GTK_WIDGET (strip), NULL);
  const guchar *pixels = g_bytes_get_data (bytes, NULL);
  int width = gtk_widget_get_width (GTK_WIDGET (strip)), height = gtk_widget_get_height (GTK_WIDGET (strip));
  guint ink = 0;

  for (int y = MAX (0, (int) rect->origin.y); y < MIN (height, (int) (rect->origin.y + rect->size.height)); y++)
    for (int x = MAX (0, (int) rect->origin.x); x < MIN (width, (int) (rect->origin.x + rect->size.width)); x++)
      ink += pixels[((gsize) y * width + x) * 4 + 3] > 0;
  return ink;
}

/* The strip's natural height at @width. */
static int
natural_height (AttnTokenStrip *strip,
                int             width)
{
  int minimum, natural;

  gtk_widget_measure (GTK_WIDGET (strip), GTK_ORIENTATION_VERTICAL, width, &minimum, &natural, NULL, NULL);
  return natural;
}

/* " “cat” 23 % · “dog” 10 % · “on” 5 %": the first @n of @top as the
 * tooltip and the accessible name give them. */
static char *
dup_words (const GArray *top,
           guint         n)
{
  GString *words = g_string_new (NULL);

  for (guint i = 0; i < MIN (top->len, n); i++)
    {
      const AttnPrediction *p = &g_array_index (top, AttnPrediction, i);

      g_string_append_printf (words, "%s“%s” %.0f %%", i ? " · " : " ", p->token, 100 * p->probability);
    }
  return g_string_free (words, FALSE);
}

/* A masked-LM encoder's [MASK] shows its three likeliest words with their
 * probabilities under its pill, in the strip's drawing (the lines grow to
 * hold them; no ink under other tokens), says them in the strip's
 * accessible name when selected and in its description, and keeps them
 * under the mask's word while pieces are merged into words. */
static void
test_strip_mask_predictions (void)
{
  Fixture f = { 0 };
  AttnResult *result;
  const GArray *top;
  g_autofree char *rows = NULL, *want = NULL, *words = NULL, *label = NULL, *description = NULL;
  g_autofree char *wrong = NULL;
  graphene_rect_t mask, other, below_mask, below_other;
  int plain_height;
  guint T;

  fixture_init (&f, "bert-mlm", "the cat sat on the mat", 600);
  plain_height = natural_height (f.strip, 600);
  g_assert_null (attn_token_strip_dup_predictions (f.strip, 3));
  fixture_clear (&f);

  fixture_init (&f, "bert-mlm", "the cat [MASK] on the mat", 600);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (f.scroller), 400);
  spin (200);
  result = attn_document_get_result (f.document);
  T = attn_result_get_n_tokens (result);
  g_assert_cmpuint (attn_result_get_n_masks (result), ==, 1);
  g_assert_cmpuint (attn_result_get_mask_position (result, 0), ==, 3);
  top = attn_result_get_mask_predictions (result, 0);
  g_assert_cmpuint (top->len, >=, 3);

  /* the rows drawn: the head's top three, in the strip's labels */
  want = g_strdup_printf ("%s %.0f %%\n%s %.0f %%\n%s %.0f %%",
                          g_array_index (top, AttnPrediction, 0).token, 100 * g_array_index (top, AttnPrediction, 0).probability,
                          g_array_index (top, AttnPrediction, 1).token, 100 * g_array_index (top, AttnPrediction, 1).probability,
                          g_array_index (top, AttnPrediction, 2).token, 100 * g_array_index (top, AttnPrediction, 2).probability);
  rows = attn_token_strip_dup_predictions (f.strip, 3);
  g_assert_cmpstr (rows, ==, want);
  g_assert_null (attn_token_strip_dup_predictions (f.strip, 2));

  /* drawn under the mask, nothing under its neighbour, and room for it */
  g_assert_cmpint (natural_height (f.strip, 600), >=, plain_height + 30);
  g_assert_true (attn_token_strip_get_token_area (f.strip, 3, &mask));
  g_assert_true (attn_token_strip_get_token_area (f.strip, 1, &other));
  graphene_rect_init (&below_mask, mask.origin.x, mask.origin.y + mask.size.height + 2, mask.size.width, 30);
  graphene_rect_init (&below_other, other.origin.x, other.origin.y + other.size.height + 2, other.size.width, 30);
  g_assert_cmpuint (count_ink (f.strip, &below_mask), >, 40);
  g_assert_cmpuint (count_ink (f.strip, &below_other), ==, 0);

  /* said: in the name when the mask is selected, in the description */
  words = dup_words (top, 3);
  attn_token_strip_activate (f.strip, 3);
  label = g_strdup_printf ("Tokens, “[MASK]” selected: token 3 of %u. Fills in:%s", T, words);
  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (f.strip), GTK_ACCESSIBLE_PROPERTY_LABEL, label);
  if (wrong != NULL)
    g_error ("%s", wrong);
  description = g_strdup_printf ("The text as the model's tokens. Left and Right choose the token whose attention "
                                 "the views show, Ctrl with them by word, Home and End the first and the last. "
                                 "Token 3 fills in:%s.", words);
  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (f.strip), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                              description);
  if (wrong != NULL)
    g_error ("%s", wrong);
  fixture_clear (&f);

  /* words merged: "catsitting" is six tokens, the mask the fifth word */
  fixture_init (&f, "bert-mlm", "the catsitting sat [MASK] here", 600);
  attn_document_set_merge_words (f.document, TRUE);
  while (attn_document_get_busy (f.document) || attn_result_get_words (attn_document_get_view_result (f.document)) == NULL)
    spin (10);
  spin (100);
  result = attn_document_get_result (f.document);
  g_assert_cmpuint (attn_result_get_mask_position (result, 0), ==, 9);
  g_clear_pointer (&rows, g_free);
  rows = attn_token_strip_dup_predictions (f.strip, 4);
  g_assert_nonnull (rows);
  g_assert_true (g_str_has_prefix (rows, g_array_index (attn_result_get_mask_predictions (result, 0),
                                                        AttnPrediction, 0).token));
  g_assert_null (attn_token_strip_dup_predictions (f.strip, 9));
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
  g_test_add_func ("/token-strip/mask-predictions", test_strip_mask_predictions);
  g_test_add_func ("/token-strip/arcs-follow", test_arcs_follow);
  return g_test_run ();
}
