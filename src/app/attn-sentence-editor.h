/* attn-sentence-editor.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The text the model reads, with a menu of example sentences.  Typing
 * pushes the text into the document after a short pause (debounced), so
 * the model recomputes while the user types; the document drops results
 * that a newer text has made stale.
 */
#pragma once

#include <gtk/gtk.h>

#include "attn-document.h"
#include "attn-render.h"

G_BEGIN_DECLS

#define ATTN_SENTENCE_EDITOR_DEBOUNCE_MS 150

#define ATTN_TYPE_SENTENCE_EDITOR (attn_sentence_editor_get_type ())
G_DECLARE_FINAL_TYPE (AttnSentenceEditor, attn_sentence_editor, ATTN, SENTENCE_EDITOR, GtkWidget)

GtkWidget    *attn_sentence_editor_new          (void);
AttnDocument *attn_sentence_editor_get_document (AttnSentenceEditor *self);
void          attn_sentence_editor_set_document (AttnSentenceEditor *self,
                                                 AttnDocument       *document);
/* The editor's text now, which may be ahead of the document's. (transfer full) */
char         *attn_sentence_editor_dup_text     (AttnSentenceEditor *self);
/* Replaces the text and pushes it to the document at once. */
void          attn_sentence_editor_set_text     (AttnSentenceEditor *self,
                                                 const char         *text);
void          attn_sentence_editor_focus        (AttnSentenceEditor *self);
/* Whether part of the text is marked as past the model's context (the
 * result of this text was cut off), and the character offset it starts at. */
gboolean      attn_sentence_editor_get_past_context (AttnSentenceEditor *self,
                                                     int                *start_offset);
/* The colours the sentence is tinted with once a query is selected. */
void          attn_sentence_editor_set_colormap (AttnSentenceEditor *self,
                                                 AttnColormap        colormap,
                                                 AttnScale           scale);

G_END_DECLS
