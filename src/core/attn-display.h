/* attn-display.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Readable maps despite attention sinks.  Most heads park most of their
 * weight on the first token, which washes every other cell out; a display
 * can hide that token (and any other the user picks), renormalising each
 * row over the keys that remain, and can scale each row to its own
 * maximum.  This only changes the colours: tooltips, values and exports of
 * numbers keep the true weights.  Pure functions, no cairo, no GTK.
 */
#pragma once

#include <glib.h>

#include "attn-render.h"

G_BEGIN_DECLS

/* AttnDisplay itself is in attn-render.h, beside the specs that hold one. */

/* Nothing hidden, rows as they are. */
void      attn_display_init         (AttnDisplay       *display);
/* TRUE when @display shows the weights as they are (NULL too). */
gboolean  attn_display_is_identity  (const AttnDisplay *display);
gboolean  attn_display_hides        (const AttnDisplay *display,
                                     guint              token);
/* Hides or shows @token again; FALSE when ATTN_DISPLAY_MAX_HIDDEN are
 * hidden already. */
gboolean  attn_display_set_hidden   (AttnDisplay       *display,
                                     guint              token,
                                     gboolean           hidden);

/* Row @query of @weights (T × T, row-major) as shown: out[k] in 0..1, or
 * -1 where nothing is shown (a key after the query, a hidden key, every
 * key of a hidden query, a row with no weight left).  Hidden keys' weight
 * is taken out and the rest renormalised to sum to what the row had; with
 * row_max the row is then divided by its largest value. */
void      attn_display_row          (const AttnDisplay *display,
                                     const float       *weights,
                                     guint              n_tokens,
                                     guint              query,
                                     float             *out);
/* The same from the query's own row @row (n_tokens weights) when it sees
 * keys [0, @n_seen), for views that read a head a block of rows at a time
 * (attn_result_get_head_rows()).  Without the result it cannot apply a
 * sentence pair's filter (display->pairs): attn_display_result_row() does. */
void      attn_display_query_row    (const AttnDisplay *display,
                                     const float       *row,
                                     guint              n_tokens,
                                     guint              query,
                                     guint              n_seen,
                                     float             *out);

/* The same for a row of @result's weights @weights (T × T): an encoder's
 * query sees every key, before and after it, so nothing is masked. */
void      attn_display_result_row   (const AttnDisplay *display,
                                     AttnResult        *result,
                                     const float       *weights,
                                     guint              query,
                                     float             *out);

/* What the display and @scale change, for titles and tooltips: "“<|endoftext|>”
 * hidden, rows renormalised · rows scaled to their maximum · log colour
 * scale"; NULL when they change nothing.  (transfer full) */
char     *attn_display_describe     (const AttnDisplay *display,
                                     AttnScale          scale,
                                     AttnResult        *result);

/* A short string that tells displays apart, for cache keys. (transfer full) */
char     *attn_display_dup_key      (const AttnDisplay *display);

G_END_DECLS
