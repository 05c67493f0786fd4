/* attn-walkthrough-token-list.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The walkthrough's lists of one query's row (steps 5 and 6): "index
 * token value" for each key, this key highlighted and the keys the query
 * cannot see dimmed.
 */
#pragma once

#include <gtk/gtk.h>

#include "attn-steps.h"

G_BEGIN_DECLS

/* Keys the query sees: those up to itself, or all without a mask (the
 * sandbox in the article's order). */
size_t     _attn_walkthrough_n_visible       (const AttnSteps   *s);
/* The query's row of @values (T,) with the steps' token @labels; keys it
 * cannot see show @masked_text.  Long rows list the largest values, the
 * query, this key and the first masked key, and the whole row behind an
 * expander. */
GtkWidget *_attn_walkthrough_token_list_new  (const AttnSteps   *s,
                                              const char *const *labels,
                                              const float       *values,
                                              const char        *masked_text);

G_END_DECLS
