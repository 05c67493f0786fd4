/* attn-sentence-editor.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-sentence-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-sentence-editor.h"

struct _AttnSentenceEditor
{
  GtkWidget      parent_instance;

  GtkWidget     *box;
  GtkTextView   *text_view;
  GtkWidget     *placeholder;

  AttnDocument  *document;          /* owned */
  gulong         notify_text_id;
  guint          debounce_id;
  guint          updating_buffer : 1;
};

G_DEFINE_FINAL_TYPE (AttnSentenceEditor, attn_sentence_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DOCUMENT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
push_text (AttnSentenceEditor *self)
{
  g_autofree char *text = NULL;

  g_clear_handle_id (&self->debounce_id, g_source_remove);

  if (self->document == NULL)
    return;

  text = attn_sentence_editor_dup_text (self);
  attn_document_set_text (self->document, text);
}

static void
debounce_cb (gpointer user_data)
{
  AttnSentenceEditor *self = user_data;

  self->debounce_id = 0;
  push_text (self);
}

static void
buffer_changed_cb (AttnSentenceEditor *self,
                   GtkTextBuffer      *buffer)
{
  /* Whoever changed the text, the hint shows only on an empty editor. */
  gtk_widget_set_visible (self->placeholder, gtk_text_buffer_get_char_count (buffer) == 0);

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
    set_buffer_text (self, attn_document_get_text (self->document));
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
  if (self->document != NULL)
    g_clear_signal_handler (&self->notify_text_id, self->document);
  g_clear_object (&self->document);

  gtk_widget_dispose_template (GTK_WIDGET (self), ATTN_TYPE_SENTENCE_EDITOR);

  G_OBJECT_CLASS (attn_sentence_editor_parent_class)->dispose (object);
}

static void
attn_sentence_editor_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  AttnSentenceEditor *self = ATTN_SENTENCE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_sentence_editor_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  AttnSentenceEditor *self = ATTN_SENTENCE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      attn_sentence_editor_set_document (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_sentence_editor_class_init (AttnSentenceEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_sentence_editor_dispose;
  object_class->get_property = attn_sentence_editor_get_property;
  object_class->set_property = attn_sentence_editor_set_property;

  widget_class->unmap = attn_sentence_editor_unmap;

  properties [PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, ATTN_TYPE_DOCUMENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

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
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_set_visible (self->placeholder,
                          gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (self->text_view)) == 0);
  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (buffer_changed_cb), self, G_CONNECT_SWAPPED);
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
  return self->document;
}

void
attn_sentence_editor_set_document (AttnSentenceEditor *self,
                                   AttnDocument       *document)
{
  g_return_if_fail (ATTN_IS_SENTENCE_EDITOR (self));
  g_return_if_fail (!document || ATTN_IS_DOCUMENT (document));

  if (self->document == document)
    return;

  if (self->document != NULL)
    g_clear_signal_handler (&self->notify_text_id, self->document);
  g_set_object (&self->document, document);

  if (document != NULL)
    {
      self->notify_text_id =
        g_signal_connect_swapped (document, "notify::text",
                                  G_CALLBACK (document_text_changed_cb), self);
      document_text_changed_cb (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DOCUMENT]);
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
