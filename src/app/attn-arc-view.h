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

G_END_DECLS
