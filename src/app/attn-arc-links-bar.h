/* attn-arc-links-bar.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The row under the arc view that says which links it draws: the selected
 * token's, every token's above a threshold, or every token's k strongest
 * (a text of thousands of tokens has millions of links), with the
 * threshold's slider or the k's spin button beside it.
 */
#pragma once

#include <gtk/gtk.h>

#include "attn-arc-view.h"
#include "attn-document.h"

G_BEGIN_DECLS

#define ATTN_TYPE_ARC_LINKS_BAR (attn_arc_links_bar_get_type ())
G_DECLARE_FINAL_TYPE (AttnArcLinksBar, attn_arc_links_bar, ATTN, ARC_LINKS_BAR, GtkWidget)

GtkWidget    *attn_arc_links_bar_new          (void);
AttnDocument *attn_arc_links_bar_get_document (AttnArcLinksBar *self);
/* The document's query decides whether the threshold applies in the
 * selected token's mode (it does while no token is selected). */
void          attn_arc_links_bar_set_document (AttnArcLinksBar *self,
                                               AttnDocument    *document);
/* The view whose "links", "threshold" and "top-k" the bar edits. */
void          attn_arc_links_bar_set_arc_view (AttnArcLinksBar *self,
                                               AttnArcView     *arc_view);
/* Its parts, for tests. */
GtkDropDown  *attn_arc_links_bar_get_mode     (AttnArcLinksBar *self);
GtkWidget    *attn_arc_links_bar_get_threshold (AttnArcLinksBar *self);
GtkWidget    *attn_arc_links_bar_get_top_k    (AttnArcLinksBar *self);

G_END_DECLS
