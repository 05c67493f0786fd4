/* attn-learn-figure.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The base of the Learn tour's live figures: each follows one document
 * (its result, layer, head, query and key) and the light or dark style,
 * and says in its accessible description what it shows, in words.  A
 * figure's "focus" is the document's query, or the last word while none
 * is selected, so every figure has something to show on a fresh sentence.
 */
#pragma once

#include <gtk/gtk.h>

#include "attn-document.h"
#include "attn-render.h"

G_BEGIN_DECLS

#define ATTN_TYPE_LEARN_FIGURE (attn_learn_figure_get_type ())
G_DECLARE_DERIVABLE_TYPE (AttnLearnFigure, attn_learn_figure, ATTN, LEARN_FIGURE, GtkWidget)

struct _AttnLearnFigureClass
{
  GtkWidgetClass parent_class;

  /* The document, its selection or the style changed: recompute what is
   * shown and call _attn_learn_figure_set_description(). */
  void (*update) (AttnLearnFigure *self);

  /* TRUE for figures of words (the tinted sentence, the heads' maps): they
   * read the document's view result, merged words while "Merge word
   * pieces" is on, and their query and key count its words.  Figures of
   * the computation itself (q · k, vectors) stay per token. */
  gboolean shows_words;
};

AttnDocument    *attn_learn_figure_get_document    (AttnLearnFigure *self);
void             attn_learn_figure_set_document    (AttnLearnFigure *self,
                                                    AttnDocument    *document);
/* What the figure shows, in words (its accessible description). */
const char      *attn_learn_figure_get_description (AttnLearnFigure *self);

/* The document's result when it has a trace and tokens, else NULL. */
AttnResult      *_attn_learn_figure_get_result     (AttnLearnFigure *self);
/* The query the figure shows: the document's, else the last token with a
 * letter or digit in it; -1 without a result. */
int              _attn_learn_figure_get_query      (AttnLearnFigure *self);
/* The key: the document's when the query can see it, else the one the
 * query gives most weight in the current head other than the first token
 * and itself (those only when there is no other); -1 without a result. */
int              _attn_learn_figure_get_key        (AttnLearnFigure *self);
/* Makes the figure's query and key the document's selection (mapped to
 * tokens for a figure of words). */
void             _attn_learn_figure_commit_focus   (AttnLearnFigure *self);
const AttnTheme *_attn_learn_figure_get_theme      (AttnLearnFigure *self);
void             _attn_learn_figure_set_description (AttnLearnFigure *self,
                                                    const char      *description);
/* A token as a quoted label for text: “·cat”. (transfer full) */
char            *_attn_learn_dup_token             (AttnResult      *result,
                                                    int              token);

G_END_DECLS
