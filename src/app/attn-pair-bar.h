/* attn-pair-bar.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sentence pairs in the editor area (issue 15): a "Sentence B" entry and
 * the links the maps show (all, A → A, A → B, B → A, B → B, as BertViz's
 * sentence-pair selector).  It shows itself only while the document's
 * model reads pairs (an encoder: attn_engine_accepts_pairs ()); typing
 * pushes sentence B into the document after the editor's pause.  The
 * window puts the filter into the views' display, so titles, tooltips and
 * exports say it too.
 */
#pragma once

#include <gtk/gtk.h>

#include "attn-document.h"
#include "attn-pair.h"

G_BEGIN_DECLS

#define ATTN_TYPE_PAIR_BAR (attn_pair_bar_get_type ())
G_DECLARE_FINAL_TYPE (AttnPairBar, attn_pair_bar, ATTN, PAIR_BAR, GtkWidget)

GtkWidget      *attn_pair_bar_new          (void);
AttnDocument   *attn_pair_bar_get_document (AttnPairBar    *self);
void            attn_pair_bar_set_document (AttnPairBar    *self,
                                            AttnDocument   *document);
/* "filter" (notified): which links the maps keep. */
AttnPairFilter  attn_pair_bar_get_filter   (AttnPairBar    *self);
void            attn_pair_bar_set_filter   (AttnPairBar    *self,
                                            AttnPairFilter  filter);
/* Replaces sentence B and pushes it to the document at once (tests). */
void            attn_pair_bar_set_text_b   (AttnPairBar    *self,
                                            const char     *text_b);

/* For the token strip: in a pair, the CSS class that marks token @index's
 * sentence ("segment-a", "segment-b"; the template's tokens belong to the
 * sentence they open or close, as the filters split them), and a phrase
 * for its accessible name ("sentence A"); NULL for both outside a pair. */
const char     *_attn_token_segment_class  (AttnResult     *result,
                                            guint           index);
const char     *_attn_token_segment_phrase (AttnResult     *result,
                                            guint           index);

G_END_DECLS
