/* attn-matrix-values.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Token-by-token matrices other than a head's weights (rollout, Δ and the
 * two runs behind it) as numbers: JSON, CSV or NumPy .npy, as
 * attn-values.h writes weights.  JSON: "model", "text", "tokens", "ids",
 * then each matrix under its name (T rows of T), then @extra's members;
 * CSV: query, key, query_token, key_token and a column per matrix, one
 * line per visible cell (key ≤ query; every cell of a bidirectional
 * model); NPY: the first matrix, float32 (T, T).  A sentence pair's Links
 * filter cuts each to its block, as the attention exports.
 */
#pragma once

#include <gio/gio.h>
#include <jansson.h>

#include "attn-result.h"
#include "attn-values.h"

G_BEGIN_DECLS

typedef struct
{
  const char  *name;     /* JSON key and CSV column: "rollout", "delta"… */
  const float *values;   /* (T, T), row q for query q; borrowed */
} AttnNamedMatrix;

/* @pairs: a sentence pair's Links filter, as AttnValuesSelection.pairs
 * (ATTN_PAIR_FILTER_ALL: every link): each matrix is written as the block
 * of the query sentence's rows and the key sentence's columns (JSON names
 * the filter and the block's "queries" and "keys", CSV keeps the tokens'
 * own indices, NPY is (rows, keys)); an error for a text without a pair. */
gboolean attn_matrix_values_write            (AttnResult            *result,
                                              const AttnNamedMatrix *matrices,
                                              gsize                  n_matrices,
                                              AttnPairFilter         pairs,
                                              json_t                *extra,
                                              AttnValuesFormat       format,
                                              GOutputStream         *stream,
                                              GCancellable          *cancellable,
                                              GError               **error);

/* Written to @path through a temporary file renamed into place. */
gboolean attn_matrix_values_write_file       (AttnResult            *result,
                                              const AttnNamedMatrix *matrices,
                                              gsize                  n_matrices,
                                              AttnPairFilter         pairs,
                                              json_t                *extra,
                                              AttnValuesFormat       format,
                                              const char            *path,
                                              GCancellable          *cancellable,
                                              GError               **error);

/* The same off the main thread; the matrices and @extra are copied
 * (referenced) when called. */
void     attn_matrix_values_write_file_async (AttnResult            *result,
                                              const AttnNamedMatrix *matrices,
                                              gsize                  n_matrices,
                                              AttnPairFilter         pairs,
                                              json_t                *extra,
                                              AttnValuesFormat       format,
                                              const char            *path,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data);
gboolean attn_matrix_values_write_file_finish (GAsyncResult         *async_result,
                                               GError              **error);

G_END_DECLS
