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
 * work on each new result stays a few milliseconds.
 *
 * The same 50 KB as one line, one paragraph to GtkTextView, which lays all
 * of it out with Pango whenever its text or any tag on it changes: a
 * keystroke lays it out once (not twice), a result that moves nothing
 * not at all, and tags change only where their state changes: the tint's
 * tags cover exactly each token's characters by its weight, a new head
 * changes only the tokens whose colour changes, a keystroke past what the
 * model read keeps the tint (its result would bring it back unchanged), one
 * in what it read takes the tint away run by run.  Layouts are counted, not timed: pango_layout_set_text
 * is interposed.  (Frame and keystroke times at 50 KB: bench-ui --editor.)
 */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <string.h>
#include <time.h>

#include <adwaita.h>

#include "attn-sentence-editor.h"
#include "attn-tint.h"

/* Pango layouts of more than 10 KB of text: here, GtkTextView's layouts of
 * the 50 KB paragraph.  This definition takes the place of Pango's for
 * GTK's calls too. */
static guint n_long_layouts;

void
pango_layout_set_text (PangoLayout *layout,
                       const char  *text,
                       int          length)
{
  static void (*real) (PangoLayout *, const char *, int);

  if (real == NULL)
    real = (void (*) (PangoLayout *, const char *, int)) dlsym (RTLD_NEXT, "pango_layout_set_text");
  if ((length < 0 ? strlen (text) : (gsize) length) > 10 * 1024)
    n_long_layouts++;
  real (layout, text, length);
}

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

/* Where the result's model stopped reading @editor's text, in characters
 * (the text's length when it read all of it). */
static int
result_cut (AttnResult         *result,
            AttnSentenceEditor *editor)
{
  g_autofree char *text = attn_sentence_editor_dup_text (editor);
  gsize n_read;

  if (attn_result_get_truncated (result, &n_read) && n_read < strlen (text))
    return g_utf8_pointer_to_offset (text, text + n_read);
  return g_utf8_strlen (text, -1);
}

/* The past-context tag covers exactly [cut, end). */
static void
assert_past_context_at (AttnSentenceEditor *editor,
                        GtkTextBuffer      *buffer,
                        int                 cut)
{
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "attn-past-context");
  int start = -1;
  GtkTextIter iter;

  g_assert_nonnull (tag);

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

/* … from where the model of the document's result stopped. */
static void
assert_past_context (AttnDocument       *document,
                     AttnSentenceEditor *editor,
                     GtkTextBuffer      *buffer)
{
  assert_past_context_at (editor, buffer, result_cut (attn_document_get_result (document), editor));
}

/* The editor on a 32-token model, 800 × 300, and 50 KB of sentences, each
 * followed by @separator (the test's data): "\n\n" makes paragraphs, " "
 * one line. */
typedef struct
{
  AttnEngine         *engine;
  AttnDocument       *document;
  GtkWidget          *window;
  AttnSentenceEditor *editor;
  GtkTextBuffer      *buffer;
  GString            *text;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  separator)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fixtures", "models", "tiny-f32", NULL);
  g_autoptr(GError) error = NULL;

  f->engine = attn_engine_new (dir, NULL, &error);
  g_assert_no_error (error);
  f->document = attn_document_new ();
  attn_document_set_engine (f->document, f->engine);
  f->text = g_string_new (NULL);
  while (f->text->len < 50 * 1024)
    {
      g_string_append (f->text, "The cat sat on the mat and looked at the dog, who sat by the door of the old red barn.");
      g_string_append (f->text, separator);
    }

  f->window = gtk_window_new ();
  f->editor = ATTN_SENTENCE_EDITOR (attn_sentence_editor_new ());
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 300);
  gtk_widget_set_valign (GTK_WIDGET (f->editor), GTK_ALIGN_START);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->editor));
  attn_sentence_editor_set_document (f->editor, f->document);
  gtk_window_present (GTK_WINDOW (f->window));
  f->buffer = gtk_text_view_get_buffer (find_text_view (GTK_WIDGET (f->editor)));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  separator)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->document);
  g_clear_object (&f->engine);
  g_string_free (f->text, TRUE);
}

static void
test_editor_50kb (Fixture       *f,
                  gconstpointer  data)
{
  AttnDocument *document = f->document;
  AttnSentenceEditor *editor = f->editor;
  GtkTextBuffer *buffer = f->buffer;
  GString *text = f->text;
  GtkTextIter iter;
  double worst_cpu = 0;
  gint64 t0;

  g_signal_connect (document, "notify::view-result", G_CALLBACK (result_arrived_cb), NULL);

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

}

/* Frames painted: a frame lays out what changed. */
static guint n_frames;

static void
after_paint_cb (void)
{
  n_frames++;
}

static void
wait_frame (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  guint frames = n_frames;

  gtk_widget_queue_draw (widget);
  while (n_frames == frames)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* The buffer's tag changes, in order. */
typedef struct
{
  GtkTextTag *tag;
  int         start;
  int         end;
  gboolean    apply;
} TagChange;

static void
record_change (GArray      *changes,
               GtkTextTag  *tag,
               GtkTextIter *start,
               GtkTextIter *end,
               gboolean     apply)
{
  TagChange change = { tag, gtk_text_iter_get_offset (start), gtk_text_iter_get_offset (end), apply };

  g_array_append_val (changes, change);
}

static void
tag_applied_cb (GtkTextBuffer *buffer,
                GtkTextTag    *tag,
                GtkTextIter   *start,
                GtkTextIter   *end,
                GArray        *changes)
{
  record_change (changes, tag, start, end, TRUE);
}

static void
tag_removed_cb (GtkTextBuffer *buffer,
                GtkTextTag    *tag,
                GtkTextIter   *start,
                GtkTextIter   *end,
                GArray        *changes)
{
  record_change (changes, tag, start, end, FALSE);
}

/* Each token's characters (its leading spaces left out) and tint level
 * (-1: none) in the view result of the document, as the editor shows
 * them: the level is the weight's step of 64 on the linear scale. */
typedef struct
{
  int start;
  int end;
  int level;
} Span;

static GArray *
expected_spans (AttnDocument       *document,
                AttnSentenceEditor *editor,
                int                *query_start,
                int                *query_end)
{
  AttnResult *result = attn_document_get_view_result (document);
  g_autofree char *text = attn_sentence_editor_dup_text (editor);
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (Span));

  for (guint i = 0; i < attn_result_get_n_tokens (result); i++)
    {
      Span span = { 0, 0, -1 };
      gsize from, to;
      double w;

      attn_result_get_token_span (result, i, &from, &to);
      /* the editor's text may be ahead of the result, past what it read */
      g_assert_cmpint (strncmp (attn_result_get_text (result), text, to), ==, 0);
      while (from < to && text[from] == ' ')
        from++;
      span.start = g_utf8_pointer_to_offset (text, text + from);
      span.end = g_utf8_pointer_to_offset (text, text + to);
      if (_attn_tint_get_weight (document, i, &w))
        span.level = CLAMP ((int) (w * 64), 0, 63);
      if ((int) i == attn_document_get_view_query (document))
        {
          *query_start = span.start;
          *query_end = span.end;
        }
      g_array_append_val (spans, span);
    }
  return spans;
}

/* The tint level of the character at @iter (-1: none); fails on two. */
static int
tint_level_at (const GtkTextIter *iter)
{
  g_autoptr(GSList) tags = gtk_text_iter_get_tags (iter);
  int level = -1;

  for (GSList *l = tags; l != NULL; l = l->next)
    {
      g_autofree char *name = NULL;

      g_object_get (l->data, "name", &name, NULL);
      if (name != NULL && g_str_has_prefix (name, "attn-tint-"))
        {
          g_assert_cmpint (level, ==, -1);
          level = atoi (name + strlen ("attn-tint-"));
        }
    }
  return level;
}

/* The tint covers exactly each token's characters by its weight, the
 * query tag exactly the query's token, and nothing else is tinted. */
static void
assert_tint (AttnDocument       *document,
             AttnSentenceEditor *editor,
             GtkTextBuffer      *buffer)
{
  GtkTextTag *query_tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "attn-query");
  int query_start = -1, query_end = -1;
  g_autoptr(GArray) spans = expected_spans (document, editor, &query_start, &query_end);
  int n = g_array_index (spans, Span, spans->len - 1).end + 8;
  g_autofree int *levels = g_new (int, n);
  GtkTextIter iter;

  for (int i = 0; i < n; i++)
    levels[i] = -1;
  for (guint i = 0; i < spans->len; i++)
    for (int c = g_array_index (spans, Span, i).start; c < g_array_index (spans, Span, i).end; c++)
      levels[c] = g_array_index (spans, Span, i).level;

  for (int c = 0; c < n; c++)
    {
      gtk_text_buffer_get_iter_at_offset (buffer, &iter, c);
      g_assert_cmpint (tint_level_at (&iter), ==, levels[c]);
      g_assert_cmpint (gtk_text_iter_has_tag (&iter, query_tag), ==, c >= query_start && c < query_end);
    }
  /* and none further on */
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, n);
  g_assert_cmpint (tint_level_at (&iter), ==, -1);
  for (int i = 0; i < 64; i++)
    {
      g_autofree char *name = g_strdup_printf ("attn-tint-%d", i);
      GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), name);

      gtk_text_buffer_get_iter_at_offset (buffer, &iter, n);
      g_assert_false (gtk_text_iter_forward_to_tag_toggle (&iter, tag));
    }
}

/* No character has a tint or the query's tag. */
static void
assert_no_tint (GtkTextBuffer *buffer)
{
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);

  for (int i = 0; i <= 64; i++)
    {
      g_autofree char *name = i < 64 ? g_strdup_printf ("attn-tint-%d", i) : g_strdup ("attn-query");
      GtkTextTag *tag = gtk_text_tag_table_lookup (table, name);
      GtkTextIter iter;

      gtk_text_buffer_get_start_iter (buffer, &iter);
      g_assert_false (gtk_text_iter_has_tag (&iter, tag));
      g_assert_false (gtk_text_iter_forward_to_tag_toggle (&iter, tag));
    }
}

/* Whether [start, end) is one token's characters in @spans. */
static gboolean
is_token (GArray *spans,
          int     start,
          int     end)
{
  for (guint i = 0; i < spans->len; i++)
    if (g_array_index (spans, Span, i).start == start && g_array_index (spans, Span, i).end == end)
      return TRUE;
  return FALSE;
}

/* Types @text at @offset (-1: the end) once the frames have caught up,
 * counting layouts and tag changes from the keystroke on. */
static void
type_at (GtkWidget     *window,
         GtkTextBuffer *buffer,
         GArray        *changes,
         int            offset,
         const char    *text)
{
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset);
  gtk_text_buffer_place_cursor (buffer, &iter);
  wait_frame (window);
  n_long_layouts = 0;
  g_array_set_size (changes, 0);
  gtk_text_buffer_insert_interactive_at_cursor (buffer, text, -1, TRUE);
}

static void
test_editor_one_line (Fixture       *f,
                      gconstpointer  data)
{
  AttnDocument *document = f->document;
  AttnSentenceEditor *editor = f->editor;
  GtkTextBuffer *buffer = f->buffer;
  GtkWidget *window = f->window;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (TagChange));
  g_autoptr(GArray) before = NULL;
  g_autoptr(GArray) after = NULL;
  GtkTextTag *past;
  int cut, n, query_start, query_end, n_changed;
  guint n_tinted;

  while (gtk_widget_get_frame_clock (window) == NULL || !gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (after_paint_cb), NULL);
  past = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "attn-past-context");
  g_signal_connect (buffer, "apply-tag", G_CALLBACK (tag_applied_cb), changes);
  g_signal_connect (buffer, "remove-tag", G_CALLBACK (tag_removed_cb), changes);

  attn_sentence_editor_set_text (editor, f->text->str);
  wait_result (document, editor);
  wait_frame (window);
  assert_past_context (document, editor, buffer);
  cut = result_cut (attn_document_get_result (document), editor);

  /* A keystroke at the end: one layout of the paragraph, and the new
   * characters are greyed at once, in it, by one change of two characters. */
  type_at (window, buffer, changes, -1, "ab");
  wait_frame (window);
  g_assert_cmpuint (n_long_layouts, ==, 1);
  assert_past_context_at (editor, buffer, cut);
  n = gtk_text_buffer_get_char_count (buffer);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_true (g_array_index (changes, TagChange, 0).tag == past);
  g_assert_true (g_array_index (changes, TagChange, 0).apply);
  g_assert_cmpint (g_array_index (changes, TagChange, 0).start, ==, n - 2);
  g_assert_cmpint (g_array_index (changes, TagChange, 0).end, ==, n);

  /* Its result moves nothing: no tag changes, no layout. */
  n_long_layouts = 0;
  g_array_set_size (changes, 0);
  wait_result (document, editor);
  wait_frame (window);
  assert_past_context (document, editor, buffer);
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpuint (n_long_layouts, ==, 0);

  /* A query: each token tinted, one apply each (and one for the query's
   * own tag), one layout. */
  n_long_layouts = 0;
  attn_document_set_query (document, 10);
  before = expected_spans (document, editor, &query_start, &query_end);
  assert_tint (document, editor, buffer);
  n_tinted = 0;   /* a token of a lone space has no character to tint */
  for (guint i = 0; i < before->len; i++)
    n_tinted += g_array_index (before, Span, i).level >= 0 && g_array_index (before, Span, i).start < g_array_index (before, Span, i).end;
  g_assert_cmpuint (n_tinted, >, 1);
  g_assert_cmpuint (changes->len, ==, n_tinted + 1);
  for (guint i = 0; i < changes->len; i++)
    {
      g_assert_true (g_array_index (changes, TagChange, i).apply);
      g_assert_true (is_token (before, g_array_index (changes, TagChange, i).start, g_array_index (changes, TagChange, i).end));
    }
  wait_frame (window);
  g_assert_cmpuint (n_long_layouts, ==, 1);

  /* Another head: only the tokens whose colour changes, a removal and an
   * apply each. */
  g_array_set_size (changes, 0);
  attn_document_set_head (document, 1);
  after = expected_spans (document, editor, &query_start, &query_end);
  assert_tint (document, editor, buffer);
  n_changed = 0;
  for (guint i = 0; i < after->len; i++)
    n_changed += g_array_index (after, Span, i).level != g_array_index (before, Span, i).level
                 && g_array_index (after, Span, i).start < g_array_index (after, Span, i).end;
  g_assert_cmpint (n_changed, >, 0);
  g_assert_cmpuint (changes->len, ==, 2 * n_changed);
  for (guint i = 0; i < changes->len; i++)
    g_assert_true (is_token (after, g_array_index (changes, TagChange, i).start, g_array_index (changes, TagChange, i).end));

  /* Another colour map: the tags' colours change, no token changes tag. */
  g_array_set_size (changes, 0);
  attn_sentence_editor_set_colormap (editor, ATTN_COLORMAP_MAGMA, ATTN_SCALE_LINEAR);
  assert_tint (document, editor, buffer);
  g_assert_cmpuint (changes->len, ==, 0);

  /* A keystroke at the end, past what the model read: its next result
   * would tint the text the same, so the tint stays; only the grey grows,
   * in the keystroke's one layout, and the result changes nothing. */
  type_at (window, buffer, changes, -1, "c");
  assert_tint (document, editor, buffer);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_true (g_array_index (changes, TagChange, 0).tag == past);
  wait_frame (window);
  g_assert_cmpuint (n_long_layouts, ==, 1);
  n_long_layouts = 0;
  g_array_set_size (changes, 0);
  wait_result (document, editor);
  wait_frame (window);
  assert_tint (document, editor, buffer);
  assert_past_context (document, editor, buffer);
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpuint (n_long_layouts, ==, 0);

  /* A keystroke at the start, in what the model read: the tint is for the
   * text before it, so it goes, taken away where it was, not over the
   * whole 50 KB; one layout.  Its result tints the text again and moves
   * the grey part by a character: one layout. */
  type_at (window, buffer, changes, 0, "c");
  assert_no_tint (buffer);
  g_assert_cmpuint (changes->len, >, 0);
  for (guint i = 0; i < changes->len; i++)
    {
      g_assert_false (g_array_index (changes, TagChange, i).apply);
      g_assert_cmpint (g_array_index (changes, TagChange, i).end, <=, g_array_index (after, Span, after->len - 1).end + 1);
    }
  wait_frame (window);
  g_assert_cmpuint (n_long_layouts, ==, 1);
  n_long_layouts = 0;
  wait_result (document, editor);
  wait_frame (window);
  assert_tint (document, editor, buffer);
  assert_past_context (document, editor, buffer);
  g_assert_cmpuint (n_long_layouts, ==, 1);
}

int
main (int    argc,
      char **argv)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    return 77;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add ("/editor-long/50kb", Fixture, "\n\n", fixture_set_up, test_editor_50kb, fixture_tear_down);
  g_test_add ("/editor-long/one-line", Fixture, " ", fixture_set_up, test_editor_one_line, fixture_tear_down);
  return g_test_run ();
}
