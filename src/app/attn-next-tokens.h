/* attn-next-tokens.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The line beside the token strip that says what the model predicts next
 * (issue 14): after the selected token (else the last one) its three most
 * probable next tokens with their probabilities, read from the pass the
 * views draw (heads switched off included).  Shown only for a result that
 * predicts the next token (a decoder with its LM head); the Predict view
 * has the rest (more of them, the logit lens, Continue).
 */
#pragma once

#include <gtk/gtk.h>

#include "attn-document.h"

G_BEGIN_DECLS

#define ATTN_TYPE_NEXT_TOKENS (attn_next_tokens_get_type ())
G_DECLARE_FINAL_TYPE (AttnNextTokens, attn_next_tokens, ATTN, NEXT_TOKENS, GtkWidget)

GtkWidget    *attn_next_tokens_new          (void);
AttnDocument *attn_next_tokens_get_document (AttnNextTokens *self);
void          attn_next_tokens_set_document (AttnNextTokens *self,
                                             AttnDocument   *document);
/* The line shown now ("" when hidden); for tests. */
const char   *attn_next_tokens_get_text     (AttnNextTokens *self);

/* A token as the prediction views show it: quoted, a newline as "↵", an
 * empty one named. (transfer full) */
char         *_attn_dup_shown_token         (const char     *token);
/* The first @n of @top (AttnPrediction) as " “cat” 23 % · “dog” 10 %",
 * for the masked words in the strip's tooltip and accessible name and the
 * Predict view's other masks; NULL when @top is NULL or empty.
 * (transfer full) */
char         *_attn_dup_predicted_words     (const GArray   *top,
                                             guint           n);

G_END_DECLS
