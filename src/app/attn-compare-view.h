/* attn-compare-view.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Compare with…" (issue 14): the selected head's attention on the
 * document's text (A) and on a second text (B) side by side, rows and
 * columns aligned where the tokens agree, or their difference B − A on a
 * diverging colour map (attn-render-compare.h).  Clicking a row selects
 * its token of A as the query.
 */
#pragma once

#include "attn-attention-view.h"
#include "attn-compare.h"

G_BEGIN_DECLS

#define ATTN_TYPE_COMPARE_VIEW (attn_compare_view_get_type ())
G_DECLARE_FINAL_TYPE (AttnCompareView, attn_compare_view, ATTN, COMPARE_VIEW, AttnAttentionView)

GtkWidget   *attn_compare_view_new         (void);
AttnCompare *attn_compare_view_get_compare (AttnCompareView *self);
void         attn_compare_view_set_compare (AttnCompareView *self,
                                            AttnCompare     *compare);
gboolean     attn_compare_view_get_delta   (AttnCompareView *self);
void         attn_compare_view_set_delta   (AttnCompareView *self,
                                            gboolean         delta);

G_END_DECLS
