/* attn-compare-values.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The numbers of a comparison (issue 14) for scripts: one head's attention
 * in both texts, their alignment, B − A at aligned cells and, for a
 * selected query, every head ranked by how much its attention changes.
 *
 * JSON: model, layer, head, text_a, text_b, tokens_a, tokens_b, ids_a,
 * ids_b, aligned ([A index, B index] pairs), attention_a (T_A × T_A),
 * attention_b (T_B × T_B), delta (T_A × T_A: B − A, null where the query
 * or key has no counterpart), query (A's index or null) and ranking (for
 * the query: {layer, head, change, key, key_token, key_delta} by falling
 * change).  CSV: one row per cell of A (query, key, query_token,
 * key_token, b_query, b_key, weight_a, weight_b, delta; the B columns
 * empty where there is no counterpart).
 */
#pragma once

#include <gio/gio.h>

#include "attn-compare-align.h"
#include "attn-values.h"

G_BEGIN_DECLS

/* (transfer full); NULL with @error for NPY or results that do not fit. */
char     *attn_compare_dup_values    (AttnResult        *a,
                                      AttnResult        *b,
                                      guint              layer,
                                      guint              head,
                                      int                query,
                                      AttnValuesFormat   format,
                                      GError           **error);
/* Writes @path (.csv or .json) atomically. */
gboolean  attn_compare_write_values  (AttnResult        *a,
                                      AttnResult        *b,
                                      guint              layer,
                                      guint              head,
                                      int                query,
                                      const char        *path,
                                      GCancellable      *cancellable,
                                      GError           **error);

G_END_DECLS
