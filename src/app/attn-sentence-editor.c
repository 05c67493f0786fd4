/* attn-sentence-editor.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-sentence-editor"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "attn-document-link.h"
#include "attn-long-paragraph.h"
#include "attn-sentence-editor.h"
#include "attn-tint.h"

/* The tint's colours in steps: 64 tags serve any sentence. */
#define N_TINT_LEVELS 64

/* A tinted token's characters, [start, end) in characters, and its tint
 * tag's level.  (A token without a weight has no span.) */
typedef struct
{
  int start;
  int end;
  int level;
} TintSpan;

struct _AttnSentenceEditor
{
  GtkWidget      parent_instance;

  GtkWidget     *box;
  GtkTextView   *text_view;
  GtkWidget     *placeholder;

  GtkTextTag    *tint_tags[N_TINT_LEVELS];   /* owned by the buffer's tag table */
  GtkTextTag    *query_tag;
  GtkTextTag    *past_context_tag;  /* the text the model's context cut off */
  AttnColormap   colormap;
  AttnScale      scale;

  AttnDocumentLink link;           /* the document: text, result, selection */
  guint          debounce_id;
  guint          updating_buffer : 1;

  /* The tint as applied to the buffer, so that a new one changes only the
   * tokens whose colour changes: each tag change lays the paragraph out
   * again.  Emptied with the tags when the text changes. */
  GArray        *tint;             /* of TintSpan */
  guint64        tint_levels;      /* the levels in use, a bit each */
  int            query_start;      /* the query tag's span; -1: none */
  int            query_end;
};

G_DEFINE_FINAL_TYPE (AttnSentenceEditor, attn_sentence_editor, GTK_TYPE_WIDGET)

static void
push_text (AttnSentenceEditor *self)
{
  g_autofree char *text = NULL;

  g_clear_handle_id (&self->debounce_id, g_source_remove);

  if (self->link.document == NULL)
    return;

  text = attn_sentence_editor_dup_text (self);
  attn_document_set_text (self->link.document, text);
}

static void
debounce_cb (gpointer user_data)
{
  AttnSentenceEditor *self = user_data;

  self->debounce_id = 0;
  push_text (self);
}

/* Each level's colour, from the middle of its share of the colour map. */
static void
update_tint_tags (AttnSentenceEditor *self)
{
  for (int i = 0; i < N_TINT_LEVELS; i++)
    {
      AttnRgba bg = attn_colormap_lookup (self->colormap, (i + 0.5) / N_TINT_LEVELS);
      AttnRgba fg;
      GdkRGBA background, foreground;

      /* Levels are positions on the map, so the scale is already applied:
       * the text colour follows the colour itself. */
      _attn_tint_get_colors (self->colormap, ATTN_SCALE_LINEAR, (i + 0.5) / N_TINT_LEVELS, NULL, &fg);
      background = (GdkRGBA) { bg.r, bg.g, bg.b, 1 };
      foreground = (GdkRGBA) { fg.r, fg.g, fg.b, 1 };
      g_object_set (self->tint_tags[i], "background-rgba", &background,
                    "foreground-rgba", &foreground, NULL);
    }
}

/* Takes every tint tag away, wherever the text has carried them. */
static void
clear_tint (AttnSentenceEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);

  for (int i = 0; i < N_TINT_LEVELS; i++)
    if (self->tint_levels & (G_GUINT64_CONSTANT (1) << i))
      _attn_text_tag_set_range (buffer, self->tint_tags[i], 0, G_MAXINT, FALSE);
  if (self->query_start >= 0)
    _attn_text_tag_set_range (buffer, self->query_tag, 0, G_MAXINT, FALSE);
  g_array_set_size (self->tint, 0);
  self->tint_levels = 0;
  self->query_start = self->query_end = -1;
}

/* The tint of @text by its result: a span per token, in text order. */
static void
compute_tint (AttnSentenceEditor *self,
              AttnResult         *result,
              const char         *text,
              int                 query,
              GArray             *spans,
              int                *query_start,
              int                *query_end)
{
  gsize length = strlen (text);
  const char *at = text;
  glong offset = 0;

  /* Tokens come in text order: character offsets are counted on from the
   * last token, not from the start for each (quadratic at 50 KB). */
  for (guint i = 0; i < attn_result_get_n_tokens (result); i++)
    {
      TintSpan span = { 0, 0, -1 };
      const char *p;
      gsize from, to;
      double w;

      attn_result_get_token_span (result, i, &from, &to);
      if (from >= to || to > length || text + from < at)
        continue;

      offset += g_utf8_pointer_to_offset (at, text + from);
      span.start = offset;
      offset += g_utf8_pointer_to_offset (text + from, text + to);
      span.end = offset;
      at = text + to;

      /* A token's leading space stays plain: words read as words. */
      for (p = text + from; span.start < span.end && g_unichar_isspace (g_utf8_get_char (p)); p = g_utf8_next_char (p))
        span.start++;

      if (_attn_tint_get_weight (self->link.document, i, &w))
        span.level = CLAMP ((int) (attn_scale_apply (self->scale, w) * N_TINT_LEVELS), 0, N_TINT_LEVELS - 1);
      if ((int) i == query)
        {
          *query_start = span.start;
          *query_end = span.end;
        }
      if (span.level >= 0)
        g_array_append_val (spans, span);
    }
}

static gboolean
same_spans (GArray *a,
            GArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (g_array_index (a, TintSpan, i).start != g_array_index (b, TintSpan, i).start
        || g_array_index (a, TintSpan, i).end != g_array_index (b, TintSpan, i).end)
      return FALSE;
  return TRUE;
}

/* Whether @result's tokens are the tokens of @text: the text of the result,
 * or one that differs from it only past the part the model read (the
 * model's context cut the result's text off there) and past the word it
 * stopped in, whose tokens an edit beside it could change.  Typing at the
 * end of a text longer than the context keeps the tint, which the next
 * result would put back unchanged. */
static gboolean
result_tints_text (AttnResult *result,
                   const char *text)
{
  const char *result_text = attn_result_get_text (result);
  gsize n_read;

  if (g_strcmp0 (result_text, text) == 0)
    return TRUE;
  if (result_text == NULL || !attn_result_get_truncated (result, &n_read))
    return FALSE;

  while (result_text[n_read] != '\0' && !g_ascii_isspace (result_text[n_read]))
    n_read++;
  if (result_text[n_read] == '\0')
    return FALSE;
  n_read++;   /* and the space after it */
  return strncmp (result_text, text, n_read) == 0;
}

/* The sentence tinted as the token strip is: each token's characters by
 * the weight the query gives it.  Only while the editor shows the text of
 * the result (or one that differs past what the model read: see
 * result_tints_text()); a stale result tints nothing.  Every keystroke
 * lands here, and every tag change lays the paragraph out again (at 50 KB
 * on one line, two frames' work): only the tokens whose colour changes
 * are touched. */
static void
update_tint (AttnSentenceEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  AttnResult *result = self->link.document ? attn_document_get_view_result (self->link.document) : NULL;
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (TintSpan));
  g_autofree char *text = NULL;
  int query_start = -1, query_end = -1;
  int query;

  query = self->link.document ? attn_document_get_view_query (self->link.document) : -1;
  if (result != NULL && query >= 0)
    {
      text = attn_sentence_editor_dup_text (self);
      if (result_tints_text (result, text))
        compute_tint (self, result, text, query, spans, &query_start, &query_end);
    }

  /* Other tokens (another result of the same text): start afresh. */
  if (!same_spans (self->tint, spans))
    clear_tint (self);

  for (guint i = 0; i < spans->len; i++)
    {
      const TintSpan *span = &g_array_index (spans, TintSpan, i);
      int old = i < self->tint->len ? g_array_index (self->tint, TintSpan, i).level : -1;

      if (span->level == old)
        continue;
      if (old >= 0)
        _attn_text_tag_set_range (buffer, self->tint_tags[old], span->start, span->end, FALSE);
      _attn_text_tag_set_range (buffer, self->tint_tags[span->level], span->start, span->end, TRUE);
      self->tint_levels |= G_GUINT64_CONSTANT (1) << span->level;
    }
  g_array_set_size (self->tint, 0);
  g_array_append_vals (self->tint, spans->data, spans->len);

  if (query_start != self->query_start || query_end != self->query_end)
    {
      if (self->query_start >= 0)
        _attn_text_tag_set_range (buffer, self->query_tag, self->query_start, self->query_end, FALSE);
      if (query_start >= 0)
        _attn_text_tag_set_range (buffer, self->query_tag, query_start, query_end, TRUE);
      self->query_start = query_start;
      self->query_end = query_end;
    }
}

/* The part of the text past the model's context, greyed, for the result
 * of this very text.  While typing the mark moves with the text it was
 * put on (and grows by what is typed at its end); the next result puts it
 * right, changing only the characters whose state changes: a result that
 * moves nothing does not make GtkTextView lay the text out again. */
static void
update_past_context (AttnSentenceEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  AttnResult *result = self->link.document ? attn_document_get_result (self->link.document) : NULL;
  g_autofree char *text = NULL;
  int cut = G_MAXINT;
  gsize n_read;

  if (result == NULL)
    return;
  text = attn_sentence_editor_dup_text (self);
  if (g_strcmp0 (attn_result_get_text (result), text) != 0)
    return;

  if (attn_result_get_truncated (result, &n_read) && n_read < strlen (text))
    cut = g_utf8_pointer_to_offset (text, text + n_read);
  _attn_text_tag_set_range (buffer, self->past_context_tag, 0, cut, FALSE);
  _attn_text_tag_set_range (buffer, self->past_context_tag, cut, G_MAXINT, TRUE);
}

/* Text typed right after greyed text is past the context too (the model
 * stopped before the character in front of it): greyed at once, in the
 * layout this keystroke costs anyway, not by the next result in another.
 * Within the greyed part GtkTextBuffer gives it the tag itself; at its
 * end it does not. */
static void
text_inserted_cb (AttnSentenceEditor *self,
                  GtkTextIter        *location,
                  const char         *text,
                  int                 len,
                  GtkTextBuffer      *buffer)
{
  int end = gtk_text_iter_get_offset (location);
  int start = end - (int) g_utf8_strlen (text, len);
  GtkTextIter before;

  if (start <= 0)
    return;
  gtk_text_buffer_get_iter_at_offset (buffer, &before, start - 1);
  if (!gtk_text_iter_has_tag (&before, self->past_context_tag))
    return;

  _attn_text_tag_set_range (buffer, self->past_context_tag, start, end, TRUE);
  /* Handlers after this one get the location valid again, as the default
   * handler leaves it. */
  gtk_text_buffer_get_iter_at_offset (buffer, location, end);
}

static void
result_changed_cb (AttnSentenceEditor *self)
{
  update_past_context (self);
  update_tint (self);
}

gboolean
attn_sentence_editor_get_past_context (AttnSentenceEditor *self,
                                       int                *start_offset)
{
  GtkTextBuffer *buffer;
  GtkTextIter iter;

  g_return_val_if_fail (ATTN_IS_SENTENCE_EDITOR (self), FALSE);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_start_iter (buffer, &iter);
  if (!gtk_text_iter_starts_tag (&iter, self->past_context_tag)
      && !gtk_text_iter_forward_to_tag_toggle (&iter, self->past_context_tag))
    return FALSE;

  if (start_offset != NULL)
    *start_offset = gtk_text_iter_get_offset (&iter);
  return TRUE;
}

/* The token under the pointer, with the weights both ways. */
static gboolean
query_tooltip_cb (AttnSentenceEditor *self,
                  int                 x,
                  int                 y,
                  gboolean            keyboard,
                  GtkTooltip         *tooltip,
                  GtkWidget          *widget)
{
  AttnResult *result = self->link.document ? attn_document_get_view_result (self->link.document) : NULL;
  g_autofree char *text = NULL;
  g_autofree char *weights = NULL;
  GtkTextIter iter;
  int bx, by;
  gsize byte;

  if (result == NULL || keyboard)
    return FALSE;

  gtk_text_view_window_to_buffer_coords (self->text_view, GTK_TEXT_WINDOW_WIDGET, x, y, &bx, &by);
  if (!gtk_text_view_get_iter_at_location (self->text_view, &iter, bx, by))
    return FALSE;

  if (gtk_text_iter_has_tag (&iter, self->past_context_tag))
    {
      AttnEngine *engine = attn_document_get_engine (self->link.document);
      g_autofree char *past = NULL;

      /* Translators: tooltip on the greyed end of a text too long for the model */
      past = g_strdup_printf (_("Past the model’s context of %u tokens: the model does not read this part"),
                              engine ? attn_engine_get_n_ctx (engine) : attn_result_get_n_tokens (result));
      gtk_tooltip_set_text (tooltip, past);
      return TRUE;
    }

  if (attn_document_get_view_query (self->link.document) < 0)
    return FALSE;

  /* the weights of the tint shown */
  text = attn_sentence_editor_dup_text (self);
  if (!result_tints_text (result, text))
    return FALSE;
  byte = g_utf8_offset_to_pointer (text, gtk_text_iter_get_offset (&iter)) - text;

  for (guint i = 0; i < attn_result_get_n_tokens (result); i++)
    {
      gsize from, to;

      attn_result_get_token_span (result, i, &from, &to);
      if (from < to && byte >= from && byte < to)
        {
          weights = _attn_tint_dup_tooltip (self->link.document, i);
          break;
        }
    }

  if (weights == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, weights);
  return TRUE;
}

static void
buffer_changed_cb (AttnSentenceEditor *self,
                   GtkTextBuffer      *buffer)
{
  /* Whoever changed the text, the hint shows only on an empty editor. */
  gtk_widget_set_visible (self->placeholder, gtk_text_buffer_get_char_count (buffer) == 0);

  /* A tint belongs to the text it was computed for. */
  update_tint (self);

  if (self->updating_buffer)
    return;

  /* Every keystroke restarts the wait; the document runs once typing pauses. */
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->debounce_id = g_timeout_add_once (ATTN_SENTENCE_EDITOR_DEBOUNCE_MS, debounce_cb, self);
}

static void
set_buffer_text (AttnSentenceEditor *self,
                 const char         *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  g_autofree char *current = attn_sentence_editor_dup_text (self);

  if (g_strcmp0 (current, text ? text : "") == 0)
    return;

  self->updating_buffer = TRUE;
  gtk_text_buffer_set_text (buffer, text ? text : "", -1);
  self->updating_buffer = FALSE;
}

static void
document_text_changed_cb (AttnSentenceEditor *self)
{
  /* Text set elsewhere (settings, tests) shows here, unless the user is
   * ahead of the document with a pending push. */
  if (self->debounce_id == 0)
    set_buffer_text (self, attn_document_get_text (self->link.document));
}

static void
example_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AttnSentenceEditor *self = ATTN_SENTENCE_EDITOR (widget);

  attn_sentence_editor_set_text (self, g_variant_get_string (parameter, NULL));
  attn_sentence_editor_focus (self);
}

static void
attn_sentence_editor_unmap (GtkWidget *widget)
{
  AttnSentenceEditor *self = ATTN_SENTENCE_EDITOR (widget);

  /* A pending edit is not lost when the window goes away. */
  if (self->debounce_id != 0)
    push_text (self);

  GTK_WIDGET_CLASS (attn_sentence_editor_parent_class)->unmap (widget);
}

static void
attn_sentence_editor_dispose (GObject *object)
{
  AttnSentenceEditor *self = (AttnSentenceEditor *)object;

  g_clear_handle_id (&self->debounce_id, g_source_remove);
  _attn_document_link_clear (&self->link);

  gtk_widget_dispose_template (GTK_WIDGET (self), ATTN_TYPE_SENTENCE_EDITOR);

  G_OBJECT_CLASS (attn_sentence_editor_parent_class)->dispose (object);
}

static void
attn_sentence_editor_finalize (GObject *object)
{
  AttnSentenceEditor *self = (AttnSentenceEditor *)object;

  g_array_unref (self->tint);

  G_OBJECT_CLASS (attn_sentence_editor_parent_class)->finalize (object);
}

static void
attn_sentence_editor_class_init (AttnSentenceEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_sentence_editor_dispose;
  object_class->finalize = attn_sentence_editor_finalize;

  widget_class->unmap = attn_sentence_editor_unmap;

  _attn_document_link_install (object_class, G_STRUCT_OFFSET (AttnSentenceEditor, link),
                               G_CALLBACK (attn_sentence_editor_set_document));

  gtk_widget_class_install_action (widget_class, "editor.example", "s", example_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Attention/ui/attn-sentence-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, AttnSentenceEditor, box);
  gtk_widget_class_bind_template_child (widget_class, AttnSentenceEditor, text_view);
  gtk_widget_class_bind_template_child (widget_class, AttnSentenceEditor, placeholder);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "attnsentenceeditor");
}

static void
attn_sentence_editor_init (AttnSentenceEditor *self)
{
  GtkTextBuffer *buffer;

  gtk_widget_init_template (GTK_WIDGET (self));

  buffer = gtk_text_view_get_buffer (self->text_view);
  self->tint = g_array_new (FALSE, FALSE, sizeof (TintSpan));
  self->query_start = self->query_end = -1;
  self->colormap = ATTN_COLORMAP_VIRIDIS;
  self->scale = ATTN_SCALE_LINEAR;
  for (int i = 0; i < N_TINT_LEVELS; i++)
    {
      g_autofree char *name = g_strdup_printf ("attn-tint-%d", i);

      self->tint_tags[i] = gtk_text_buffer_create_tag (buffer, name, NULL);
    }
  self->query_tag = gtk_text_buffer_create_tag (buffer, "attn-query",
                                                "underline", PANGO_UNDERLINE_SINGLE,
                                                "weight", PANGO_WEIGHT_BOLD,
                                                NULL);
  /* Grey on a faint ground, readable in light and dark styles. */
  self->past_context_tag = gtk_text_buffer_create_tag (buffer, "attn-past-context",
                                                       "foreground-rgba", &(GdkRGBA) { 0.5, 0.5, 0.5, 1 },
                                                       "background-rgba", &(GdkRGBA) { 0.5, 0.5, 0.5, 0.15 },
                                                       NULL);
  update_tint_tags (self);

  _attn_document_link_init (&self->link, self,
                            "notify::text", G_CALLBACK (document_text_changed_cb),
                            "notify::view-result", G_CALLBACK (result_changed_cb),
                            "notify::query", G_CALLBACK (update_tint),
                            "notify::layer", G_CALLBACK (update_tint),
                            "notify::head", G_CALLBACK (update_tint),
                            "notify::pair-filter", G_CALLBACK (update_tint),
                            NULL);

  /* A text of 50 KB without a line break is one paragraph to GtkTextView:
   * each keystroke lays it out once, not twice. */
  _attn_text_view_prime_layouts (self->text_view);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self->text_view), TRUE);
  g_signal_connect_object (self->text_view, "query-tooltip",
                           G_CALLBACK (query_tooltip_cb), self, G_CONNECT_SWAPPED);

  gtk_widget_set_visible (self->placeholder,
                          gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (self->text_view)) == 0);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (buffer_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (buffer, "insert-text", G_CALLBACK (text_inserted_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
}

GtkWidget *
attn_sentence_editor_new (void)
{
  return g_object_new (ATTN_TYPE_SENTENCE_EDITOR, NULL);
}

AttnDocument *
attn_sentence_editor_get_document (AttnSentenceEditor *self)
{
  g_return_val_if_fail (ATTN_IS_SENTENCE_EDITOR (self), NULL);
  return self->link.document;
}

void
attn_sentence_editor_set_document (AttnSentenceEditor *self,
                                   AttnDocument       *document)
{
  g_return_if_fail (ATTN_IS_SENTENCE_EDITOR (self));
  g_return_if_fail (!document || ATTN_IS_DOCUMENT (document));

  if (!_attn_document_link_set (&self->link, self, document))
    return;

  if (document != NULL)
    document_text_changed_cb (self);
  result_changed_cb (self);
}

char *
attn_sentence_editor_dup_text (AttnSentenceEditor *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (ATTN_IS_SENTENCE_EDITOR (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
attn_sentence_editor_set_text (AttnSentenceEditor *self,
                               const char         *text)
{
  g_return_if_fail (ATTN_IS_SENTENCE_EDITOR (self));

  set_buffer_text (self, text);
  push_text (self);
}

void
attn_sentence_editor_focus (AttnSentenceEditor *self)
{
  g_return_if_fail (ATTN_IS_SENTENCE_EDITOR (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

void
attn_sentence_editor_set_colormap (AttnSentenceEditor *self,
                                   AttnColormap        colormap,
                                   AttnScale           scale)
{
  g_return_if_fail (ATTN_IS_SENTENCE_EDITOR (self));

  self->colormap = colormap;
  self->scale = scale;
  update_tint_tags (self);
  update_tint (self);
}
