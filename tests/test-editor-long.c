/* test-editor-long.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sentence editor holding 50 KB of text on a model with a 32-token
 * context: the part past the context is greyed by a tag that covers
 * exactly the characters from where the model stopped reading to the end,
 * after the text is set, after typing at the end (the new characters join
 * it), after an edit near the start (the cut moves) and after a text that
 * fits (none).  With a query selected (the tint on), the main thread's
 * work on each new result stays a few milliseconds.  (Frame and keystroke
 * times at 50 KB: bench-ui --editor.)
 */

#include <string.h>
#include <time.h>

#include <adwaita.h>

#include "attn-sentence-editor.h"

#define WAIT_SECONDS 60

static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static GtkTextView *
find_text_view (GtkWidget *widget)
{
  if (GTK_IS_TEXT_VIEW (widget))
    return GTK_TEXT_VIEW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkTextView *found = find_text_view (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The main thread's CPU time when the document's view result changed:
 * connected before the editor's handler, so its work is counted. */
static double arrival_cpu;

static void
result_arrived_cb (void)
{
  arrival_cpu = thread_cpu_ms ();
}

/* Iterates until the document has a result of the editor's text. */
static void
wait_result (AttnDocument       *document,
             AttnSentenceEditor *editor)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  g_autofree char *text = attn_sentence_editor_dup_text (editor);

  while (attn_document_get_busy (document) || attn_document_get_result (document) == NULL ||
         g_strcmp0 (attn_result_get_text (attn_document_get_result (document)), text) != 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The past-context tag covers exactly [where the model stopped, end). */
static void
assert_past_context (AttnDocument       *document,
                     AttnSentenceEditor *editor,
                     GtkTextBuffer      *buffer)
{
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "attn-past-context");
  AttnResult *result = attn_document_get_result (document);
  g_autofree char *text = attn_sentence_editor_dup_text (editor);
  int cut = gtk_text_buffer_get_char_count (buffer);
  int start = -1;
  gsize n_read;
  GtkTextIter iter;

  g_assert_nonnull (tag);
  if (attn_result_get_truncated (result, &n_read) && n_read < strlen (text))
    cut = g_utf8_pointer_to_offset (text, text + n_read);

  gtk_text_buffer_get_start_iter (buffer, &iter);
  do
    g_assert_cmpint (gtk_text_iter_has_tag (&iter, tag), ==, gtk_text_iter_get_offset (&iter) >= cut);
  while (gtk_text_iter_forward_to_tag_toggle (&iter, tag) && !gtk_text_iter_is_end (&iter));
  /* and every character in between: the runs found above have one state */
  for (int offset = MAX (cut - 3, 0); offset < MIN (cut + 3, gtk_text_buffer_get_char_count (buffer)); offset++)
    {
      gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset);
      g_assert_cmpint (gtk_text_iter_has_tag (&iter, tag), ==, offset >= cut);
    }
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, gtk_text_buffer_get_char_count (buffer) - 1);
  g_assert_cmpint (gtk_text_iter_has_tag (&iter, tag), ==, cut < gtk_text_buffer_get_char_count (buffer));

  g_assert_cmpint (attn_sentence_editor_get_past_context (editor, &start), ==,
                   cut < gtk_text_buffer_get_char_count (buffer));
  if (cut < gtk_text_buffer_get_char_count (buffer))
    g_assert_cmpint (start, ==, cut);
}

static void
test_editor_50kb (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fixtures", "models", "tiny-f32", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, &error);
  g_autoptr(AttnDocument) document = attn_document_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  GtkWidget *window = gtk_window_new ();
  AttnSentenceEditor *editor = ATTN_SENTENCE_EDITOR (attn_sentence_editor_new ());
  GtkTextBuffer *buffer;
  GtkTextIter iter;
  double worst_cpu = 0;
  gint64 t0;

  g_assert_no_error (error);
  attn_document_set_engine (document, engine);
  g_signal_connect (document, "notify::view-result", G_CALLBACK (result_arrived_cb), NULL);
  while (text->len < 50 * 1024)
    g_string_append (text, "The cat sat on the mat and looked at the dog, who sat by the door of the old red barn.\n\n");

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 300);
  gtk_widget_set_valign (GTK_WIDGET (editor), GTK_ALIGN_START);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (editor));
  attn_sentence_editor_set_document (editor, document);
  gtk_window_present (GTK_WINDOW (window));
  buffer = gtk_text_view_get_buffer (find_text_view (GTK_WIDGET (editor)));

  t0 = g_get_monotonic_time ();
  attn_sentence_editor_set_text (editor, text->str);
  g_test_message ("50 KB set in %.1f ms", (g_get_monotonic_time () - t0) / 1000.0);
  wait_result (document, editor);
  g_assert_cmpuint (attn_result_get_n_tokens (attn_document_get_result (document)), ==, 32);
  assert_past_context (document, editor, buffer);

  /* typing at the end: the new characters are greyed too */
  attn_document_set_query (document, 10);
  for (int i = 0; i < 3; i++)
    {
      gtk_text_buffer_get_end_iter (buffer, &iter);
      gtk_text_buffer_place_cursor (buffer, &iter);
      gtk_text_buffer_insert_interactive_at_cursor (buffer, "ab", 2, TRUE);
      wait_result (document, editor);   /* drains the main loop: layout included */
      worst_cpu = MAX (worst_cpu, thread_cpu_ms () - arrival_cpu);
      assert_past_context (document, editor, buffer);
    }
  g_test_message ("a result after typing at the end: at most %.1f ms CPU on the main thread", worst_cpu);
  /* 1–5 ms measured; freeing the old result and a loaded machine add to
   * it, so only a gross regression (a whole-text pass per token) fails */
  g_assert_cmpfloat (worst_cpu, <, 100);

  /* an edit near the start moves the cut: the tag follows it both ways */
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, 4);
  gtk_text_buffer_place_cursor (buffer, &iter);
  gtk_text_buffer_insert_interactive_at_cursor (buffer, "big fat ", -1, TRUE);
  wait_result (document, editor);
  assert_past_context (document, editor, buffer);
  {
    GtkTextIter from, to;

    gtk_text_buffer_get_iter_at_offset (buffer, &from, 4);
    gtk_text_buffer_get_iter_at_offset (buffer, &to, 4 + 8);
    gtk_text_buffer_delete_interactive (buffer, &from, &to, TRUE);
    wait_result (document, editor);
    assert_past_context (document, editor, buffer);
  }

  /* a text that fits: nothing greyed */
  attn_sentence_editor_set_text (editor, "The cat sat.");
  wait_result (document, editor);
  assert_past_context (document, editor, buffer);
  g_assert_false (attn_sentence_editor_get_past_context (editor, NULL));

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
  g_test_add_func ("/editor-long/50kb", test_editor_50kb);
  return g_test_run ();
}
