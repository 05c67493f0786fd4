/* test-arc-links.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The arc view's links modes, chosen in its links bar as a person would:
 * the selected token's links only; every token's above the threshold;
 * every token's k strongest (checked against the weights row by row).
 * Each fails when the mode stops filtering what the view draws.
 */

#include <adwaita.h>

#include "attn-arc-links-bar.h"
#include "attn-arc-view.h"
#include "main-loop.h"

#define TEXT "The cat sat on the mat and looked at the dog, who sat by the door of the old red barn."

/* How many keys @query's row puts above @w. */
static guint
count_stronger (AttnResult *result,
                int         query,
                float       w)
{
  const float *row = attn_result_get_weights (result, 0, 0) + (gsize) query * attn_result_get_n_tokens (result);
  guint n = 0;

  for (int k = 0; k <= query; k++)
    n += row[k] > w;
  return n;
}

static void
test_arc_links_modes (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fixtures", "models", "tiny-f32", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, &error);
  g_autoptr(AttnDocument) document = attn_document_new ();
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  AttnArcView *arcs = ATTN_ARC_VIEW (attn_arc_view_new ());
  AttnArcLinksBar *bar = ATTN_ARC_LINKS_BAR (attn_arc_links_bar_new ());
  AttnResult *result;
  int query;

  g_assert_no_error (error);
  attn_document_set_engine (document, engine);
  attn_document_set_text (document, TEXT);
  while (attn_document_get_busy (document) || attn_document_get_result (document) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  result = attn_document_get_result (document);
  g_assert_cmpuint (attn_result_get_n_tokens (result), >, 20);
  query = attn_result_get_n_tokens (result) - 2;

  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 400);
  gtk_widget_set_size_request (GTK_WIDGET (arcs), 1400, 300);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (arcs));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (bar));
  gtk_window_set_child (GTK_WINDOW (window), box);
  attn_attention_view_set_document (ATTN_ATTENTION_VIEW (arcs), document);
  attn_arc_links_bar_set_document (bar, document);
  attn_arc_links_bar_set_arc_view (bar, arcs);
  attn_document_set_layer (document, 0);
  attn_document_set_head (document, 0);
  attn_document_set_query (document, query);
  gtk_window_present (GTK_WINDOW (window));
  spin (200);

  /* 1. the selected token's links: only its row */
  {
    g_autoptr(GArray) links = attn_arc_view_dup_links (arcs);

    g_assert_cmpstr (attn_arc_view_get_links (arcs), ==, "query");
    g_assert_false (gtk_widget_is_visible (attn_arc_links_bar_get_threshold (bar)));
    g_assert_false (gtk_widget_is_visible (attn_arc_links_bar_get_top_k (bar)));
    g_assert_cmpuint (links->len, >, 1);
    for (guint i = 0; i < links->len; i++)
      g_assert_cmpint (g_array_index (links, AttnArcLink, i).query, ==, query);
  }

  /* 2. each token's strongest: chosen in the drop-down, k in the spin button */
  gtk_drop_down_set_selected (attn_arc_links_bar_get_mode (bar), 2);
  g_assert_cmpstr (attn_arc_view_get_links (arcs), ==, "top-k");
  g_assert_true (gtk_widget_is_visible (attn_arc_links_bar_get_top_k (bar)));
  g_assert_false (gtk_widget_is_visible (attn_arc_links_bar_get_threshold (bar)));
  for (guint k = 1; k <= 2; k++)
    {
      g_autoptr(GArray) links = NULL;
      g_autoptr(GHashTable) per_query = g_hash_table_new (NULL, NULL);

      gtk_spin_button_set_value (GTK_SPIN_BUTTON (attn_arc_links_bar_get_top_k (bar)), k);
      g_assert_cmpuint (attn_arc_view_get_top_k (arcs), ==, k);
      links = attn_arc_view_dup_links (arcs);
      for (guint i = 0; i < links->len; i++)
        {
          const AttnArcLink *link = &g_array_index (links, AttnArcLink, i);
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (per_query, GINT_TO_POINTER (link->query))) + 1;

          g_assert_cmpuint (count_stronger (result, link->query, link->weight), <, k);
          g_assert_cmpuint (n, <=, k);
          g_hash_table_insert (per_query, GINT_TO_POINTER (link->query), GUINT_TO_POINTER (n));
        }
      /* every token's, not only the selected one's */
      g_assert_cmpuint (g_hash_table_size (per_query), >, 10);
    }

  /* 3. every token's above the threshold, set on its slider */
  gtk_drop_down_set_selected (attn_arc_links_bar_get_mode (bar), 1);
  g_assert_cmpstr (attn_arc_view_get_links (arcs), ==, "threshold");
  g_assert_true (gtk_widget_is_visible (attn_arc_links_bar_get_threshold (bar)));
  g_assert_false (gtk_widget_is_visible (attn_arc_links_bar_get_top_k (bar)));
  attn_arc_view_set_threshold (arcs, 0.15);
  {
    g_autoptr(GArray) links = attn_arc_view_dup_links (arcs);
    g_autoptr(GHashTable) queries = g_hash_table_new (NULL, NULL);

    g_assert_cmpuint (links->len, >, 1);
    for (guint i = 0; i < links->len; i++)
      {
        g_assert_cmpfloat (g_array_index (links, AttnArcLink, i).weight, >=, 0.15);
        g_hash_table_add (queries, GINT_TO_POINTER (g_array_index (links, AttnArcLink, i).query));
      }
    g_assert_cmpuint (g_hash_table_size (queries), >, 1);
  }

  /* 4. back to the selected token's, none selected: the threshold applies */
  gtk_drop_down_set_selected (attn_arc_links_bar_get_mode (bar), 0);
  attn_document_set_query (document, -1);
  g_assert_cmpstr (attn_arc_view_get_links (arcs), ==, "query");
  g_assert_true (gtk_widget_is_visible (attn_arc_links_bar_get_threshold (bar)));

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
  g_test_add_func ("/arc-links/modes", test_arc_links_modes);
  return g_test_run ();
}
