/* attn-token-strip.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sentence as the model sees it: one pill per token, wrapped like
 * text.  Sub-word pieces sit close to the piece before them and a leading
 * space shows as a quiet "·".  Clicking a token makes it the document's
 * query; every token is then tinted by the weight the query gives it.  The
 * strip is one focus stop: arrows, Home and End (Ctrl+arrows by word) move
 * the query, Tab leaves.  Under each token of a decoder, a thin bar says
 * how probable the model found it after the tokens before it; under a
 * masked-LM encoder's [MASK] / <mask>, the words it fills in there.
 *
 * One drawn widget, not a widget per token: a text of thousands of tokens
 * lays out in a pass over their widths and draws only the lines in view.
 * It scrolls itself (GtkScrollable, vertically) inside a GtkScrolledWindow.
 */
#pragma once

#include <gtk/gtk.h>

#include "attn-document.h"
#include "attn-render.h"

G_BEGIN_DECLS

#define ATTN_TYPE_TOKEN_STRIP (attn_token_strip_get_type ())
G_DECLARE_FINAL_TYPE (AttnTokenStrip, attn_token_strip, ATTN, TOKEN_STRIP, GtkWidget)

/* What a token shows now (tests and the bench read it; drawing uses it). */
typedef enum
{
  ATTN_TOKEN_PIECE    = 1 << 0,   /* continues the token before it: drawn close */
  ATTN_TOKEN_SPECIAL  = 1 << 1,   /* the start token, drawn quiet and slanted */
  ATTN_TOKEN_SELECTED = 1 << 2,   /* the document's query */
  ATTN_TOKEN_TINTED   = 1 << 3,   /* coloured by the query's weight on it */
  ATTN_TOKEN_MASKED   = 1 << 4,   /* after the query: a causal model cannot see it */
  ATTN_TOKEN_CURSOR   = 1 << 5,   /* where the keyboard is */
} AttnTokenState;

GtkWidget     *attn_token_strip_new            (void);
AttnDocument  *attn_token_strip_get_document   (AttnTokenStrip *self);
void           attn_token_strip_set_document   (AttnTokenStrip *self,
                                                AttnDocument   *document);
/* The colours the tokens are tinted with, as the views' (window settings). */
void           attn_token_strip_set_colormap   (AttnTokenStrip *self,
                                                AttnColormap    colormap,
                                                AttnScale       scale);

/* The tokens shown (0 before a result). */
guint          attn_token_strip_get_n_tokens   (AttnTokenStrip *self);
AttnTokenState attn_token_strip_get_state      (AttnTokenStrip *self,
                                                guint           index);
/* The text drawn for token @index ("·cat", "↵"), or NULL. */
const char    *attn_token_strip_get_label      (AttnTokenStrip *self,
                                                guint           index);
/* The tooltip token @index shows: position, text and id, a byte piece's
 * character, the weights both ways with a query, its probability, a mask's words.
 * (transfer full) */
char          *attn_token_strip_dup_tooltip    (AttnTokenStrip *self,
                                                guint           index);
/* The rows drawn under a [MASK] / <mask> token @index, the masked-LM
 * head's likeliest words, one a line: "cat 23 %" (the word as the strip
 * labels tokens); NULL for other tokens.  (transfer full) */
char          *attn_token_strip_dup_predictions (AttnTokenStrip *self,
                                                 guint           index);
/* As a click on token @index: it becomes the query. */
void           attn_token_strip_activate       (AttnTokenStrip *self,
                                                guint           index);
/* Where token @index is drawn, in the strip's coordinates; FALSE when it
 * is scrolled out of view. */
gboolean       attn_token_strip_get_token_area (AttnTokenStrip  *self,
                                                guint            index,
                                                graphene_rect_t *area);
/* TRUE while the bars of each token's probability are drawn (a decoder's
 * result with predictions). */
gboolean       attn_token_strip_get_shows_probabilities (AttnTokenStrip *self);

/* For the bench and tests: frames drawn and tokens drawn in the last one. */
guint          _attn_token_strip_get_n_draws   (AttnTokenStrip *self,
                                                guint          *n_drawn);

G_END_DECLS
