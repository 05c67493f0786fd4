/* attn-long-paragraph.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-long-paragraph"

#include "config.h"

#include "attn-long-paragraph.h"

gboolean
_attn_text_tag_set_range (GtkTextBuffer *buffer,
                          GtkTextTag    *tag,
                          int            from,
                          int            to,
                          gboolean       on)
{
  int n = gtk_text_buffer_get_char_count (buffer);
  gboolean changed = FALSE;

  g_return_val_if_fail (GTK_IS_TEXT_BUFFER (buffer), FALSE);
  g_return_val_if_fail (GTK_IS_TEXT_TAG (tag), FALSE);

  from = CLAMP (from, 0, n);
  to = CLAMP (to, from, n);

  /* Between two toggles of the tag every character has the same state:
   * walk the runs, not the characters.  Each change rewrites the tree the
   * iterators point into, so the walk goes on from an offset. */
  while (from < to)
    {
      GtkTextIter start, next;
      int run_end;

      gtk_text_buffer_get_iter_at_offset (buffer, &start, from);
      next = start;
      if (!gtk_text_iter_forward_to_tag_toggle (&next, tag))
        gtk_text_buffer_get_end_iter (buffer, &next);
      run_end = MIN (gtk_text_iter_get_offset (&next), to);

      if (gtk_text_iter_has_tag (&start, tag) != on)
        {
          gtk_text_buffer_get_iter_at_offset (buffer, &next, run_end);
          if (on)
            gtk_text_buffer_apply_tag (buffer, tag, &start, &next);
          else
            gtk_text_buffer_remove_tag (buffer, tag, &start, &next);
          changed = TRUE;
        }
      from = run_end;
    }

  return changed;
}

typedef struct
{
  GtkTextView   *view;        /* unowned: the primer lives as long as it */
  GtkTextBuffer *buffer;      /* the buffer whose signals are followed */
  guint          idle_id;
  int            offset;      /* where the first change since the last prime was */
} Primer;

static void
primer_free (gpointer data)
{
  Primer *primer = data;

  g_clear_handle_id (&primer->idle_id, g_source_remove);
  if (primer->buffer != NULL)
    g_signal_handlers_disconnect_by_data (primer->buffer, primer);
  g_clear_object (&primer->buffer);
  g_free (primer);
}

/* Asking where a character is makes GtkTextLayout build (and keep) the
 * full layout of its paragraph; the sizing and the painting that follow
 * in the frame find it there. */
static void
prime_at (GtkTextView       *view,
          const GtkTextIter *iter)
{
  GdkRectangle location;

  gtk_text_view_get_iter_location (view, iter, &location);
}

static gboolean
prime_cb (gpointer data)
{
  Primer *primer = data;
  GtkTextIter changed, cursor;

  primer->idle_id = 0;

  /* Not shown, or not sized yet: a layout at the wrong width would only be
   * thrown away when the width comes. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (primer->view)) || gtk_widget_get_width (GTK_WIDGET (primer->view)) <= 0)
    return G_SOURCE_REMOVE;

  gtk_text_buffer_get_iter_at_offset (primer->buffer, &changed, primer->offset);
  gtk_text_buffer_get_iter_at_mark (primer->buffer, &cursor, gtk_text_buffer_get_insert (primer->buffer));
  prime_at (primer->view, &changed);
  if (gtk_text_iter_get_line (&cursor) != gtk_text_iter_get_line (&changed))
    prime_at (primer->view, &cursor);
  return G_SOURCE_REMOVE;
}

static void
note_change (Primer            *primer,
             const GtkTextIter *at)
{
  int offset = gtk_text_iter_get_offset (at);

  if (primer->idle_id == 0 || offset < primer->offset)
    primer->offset = offset;
  /* After this keystroke's events, before GtkTextView's first validation
   * (an idle just above GTK_PRIORITY_RESIZE, G_PRIORITY_HIGH_IDLE + 10:
   * at + 10 the primer came second and the paragraph was laid out twice)
   * and before the frame clock's paint (GDK_PRIORITY_REDRAW). */
  if (primer->idle_id == 0)
    primer->idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, prime_cb, primer, NULL);
}

static void
text_inserted_cb (GtkTextBuffer *buffer,
                  GtkTextIter   *location,
                  const char    *text,
                  int            len,
                  Primer        *primer)
{
  note_change (primer, location);
}

static void
range_changed_cb (GtkTextBuffer *buffer,
                  GtkTextIter   *start,
                  GtkTextIter   *end,
                  Primer        *primer)
{
  note_change (primer, start);
}

static void
tag_changed_cb (GtkTextBuffer *buffer,
                GtkTextTag    *tag,
                GtkTextIter   *start,
                GtkTextIter   *end,
                Primer        *primer)
{
  note_change (primer, start);
}

void
_attn_text_view_prime_layouts (GtkTextView *view)
{
  Primer *primer;

  g_return_if_fail (GTK_IS_TEXT_VIEW (view));

  primer = g_new0 (Primer, 1);
  primer->view = view;
  primer->buffer = g_object_ref (gtk_text_view_get_buffer (view));
  g_signal_connect_after (primer->buffer, "insert-text", G_CALLBACK (text_inserted_cb), primer);
  g_signal_connect_after (primer->buffer, "delete-range", G_CALLBACK (range_changed_cb), primer);
  g_signal_connect_after (primer->buffer, "apply-tag", G_CALLBACK (tag_changed_cb), primer);
  g_signal_connect_after (primer->buffer, "remove-tag", G_CALLBACK (tag_changed_cb), primer);
  g_object_set_data_full (G_OBJECT (view), "attn-layout-primer", primer, primer_free);
}
