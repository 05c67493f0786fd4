/* attn-arc-view.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "attn-attention-view.h"

G_BEGIN_DECLS

#define ATTN_TYPE_ARC_VIEW (attn_arc_view_get_type ())
G_DECLARE_FINAL_TYPE (AttnArcView, attn_arc_view, ATTN, ARC_VIEW, AttnAttentionView)

GtkWidget *attn_arc_view_new           (void);
/* With no query token selected, links at least this strong are drawn. */
double     attn_arc_view_get_threshold (AttnArcView *self);
void       attn_arc_view_set_threshold (AttnArcView *self,
                                        double       threshold);
/* Which links: "query" (the selected token's; without one, those above
 * the threshold), "threshold" (every token's above it) or "top-k" (every
 * token's top-k strongest).  Unknown names are ignored. */
const char *attn_arc_view_get_links    (AttnArcView *self);
void       attn_arc_view_set_links     (AttnArcView *self,
                                        const char  *links);
guint      attn_arc_view_get_top_k     (AttnArcView *self);
void       attn_arc_view_set_top_k     (AttnArcView *self,
                                        guint        top_k);
/* The links drawn at the widget's size now (AttnArcLink), weakest first. */
GArray    *attn_arc_view_dup_links     (AttnArcView *self);

G_END_DECLS
