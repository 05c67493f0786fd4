/* attn-tint.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Attention on the text itself: the weight the document's selected query
 * token gives each token in the selected layer and head, as the colour the
 * views would paint it.  The token strip, the sentence editor and the
 * legend beneath them read it here, so all three agree with the heatmap's
 * row of the query.
 */
#pragma once

#include "attn-document.h"
#include "attn-render.h"

G_BEGIN_DECLS

/* The weight the query gives @token (its row in the current head); FALSE
 * without a query or a result, for a token after the query, which a
 * causal model cannot see, and for a link the pair's Links filter
 * (attn_document_get_pair_filter ()) leaves out: the strip and the editor
 * leave those untinted, as the maps leave them out. */
gboolean  _attn_tint_get_weight    (AttnDocument *document,
                                    guint         token,
                                    double       *weight);

/* The colour of @weight in @colormap under @scale, and the text colour
 * (black or white) that reads on it. */
void      _attn_tint_get_colors    (AttnColormap  colormap,
                                    AttnScale     scale,
                                    double        weight,
                                    AttnRgba     *background,
                                    AttnRgba     *foreground);

/* The weight both ways between the query and @token, for a tooltip:
 * "“cat” → “sat”: 0.12 (masked the other way)"; NULL without a query.
 * (transfer full) */
char     *_attn_tint_dup_tooltip   (AttnDocument *document,
                                    guint         token);

G_END_DECLS
