/* attn-token-strip.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sentence as the model sees it: one button per token, wrapped like
 * text.  Sub-word pieces sit close to the piece before them and a leading
 * space shows as a quiet "·".  Clicking a token makes it the document's
 * query; every token is then tinted by the weight the query gives it.  The
 * strip is one focus stop: arrows, Home and End (Ctrl+arrows by word) move
 * the query, Tab leaves.
 */
#pragma once

#include <gtk/gtk.h>

#include "attn-document.h"
#include "attn-render.h"

G_BEGIN_DECLS

#define ATTN_TYPE_TOKEN_STRIP (attn_token_strip_get_type ())
G_DECLARE_FINAL_TYPE (AttnTokenStrip, attn_token_strip, ATTN, TOKEN_STRIP, GtkWidget)

GtkWidget    *attn_token_strip_new          (void);
AttnDocument *attn_token_strip_get_document (AttnTokenStrip *self);
void          attn_token_strip_set_document (AttnTokenStrip *self,
                                             AttnDocument   *document);
/* The colours the tokens are tinted with, as the views' (window settings). */
void          attn_token_strip_set_colormap (AttnTokenStrip *self,
                                             AttnColormap    colormap,
                                             AttnScale       scale);
/* The button of token @index, or NULL; for tests and focus. */
GtkWidget    *attn_token_strip_get_button   (AttnTokenStrip *self,
                                             guint           index);

G_END_DECLS
