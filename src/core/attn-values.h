/* attn-values.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The attention weights of a result as numbers others can read: CSV, JSON
 * and NumPy .npy.  All three hold the same float32 values for the same
 * selection of layers and heads.
 */
#pragma once

#include <gio/gio.h>

#include "attn-pair.h"
#include "attn-result.h"

G_BEGIN_DECLS

typedef enum
{
  ATTN_VALUES_JSON,
  ATTN_VALUES_CSV,
  ATTN_VALUES_NPY,
} AttnValuesFormat;

typedef struct
{
  const guint *layers;    /* NULL: every layer */
  gsize        n_layers;
  const guint *heads;     /* NULL: every head */
  gsize        n_heads;
  guint        n_layer;   /* the model's shape, written to JSON (the result */
  guint        n_head;    /* may hold only its first layers) */
  guint        n_ctx;
  /* A sentence pair's links only, as the app's Links filter shows them
   * (ATTN_PAIR_FILTER_ALL, 0: every link): the block of the query
   * sentence's rows and the key sentence's columns, with their true
   * weights; JSON names the filter and the block's "queries" and "keys",
   * CSV keeps the tokens' own indices, NPY is (layers, heads, rows, keys). */
  AttnPairFilter pairs;
} AttnValuesSelection;

/* "json", "csv" or "npy" (case-insensitive); FALSE for anything else. */
gboolean attn_values_format_from_string (const char                *name,
                                         AttnValuesFormat          *format);
/* The format a file name's extension names; FALSE when it names none. */
gboolean attn_values_format_from_path   (const char                *path,
                                         AttnValuesFormat          *format);

gboolean attn_values_write              (AttnResult                *result,
                                         const AttnValuesSelection *selection,
                                         AttnValuesFormat           format,
                                         GOutputStream             *stream,
                                         GCancellable              *cancellable,
                                         GError                   **error);

/* Writes to @path through a temporary file renamed into place, so a failed
 * export leaves no partial file behind. */
gboolean attn_values_write_file         (AttnResult                *result,
                                         const AttnValuesSelection *selection,
                                         AttnValuesFormat           format,
                                         const char                *path,
                                         GCancellable              *cancellable,
                                         GError                   **error);

/* Appends a float32 .npy 1.0 header for @shape, a Python tuple such as
 * "(3, 3)", to @out; the little-endian data follows it. */
void     attn_values_npy_header         (GString                   *out,
                                         const char                *shape);

/* A pair filter's JSON members, each after @separator: "links" (its
 * name), "queries" and "keys" (the token indices of the block's rows and
 * columns); nothing for ATTN_PAIR_FILTER_ALL.  For the exports of values
 * (attention, Δ, rollout), so all three say the filter alike. */
void     _attn_values_append_links      (GString                   *out,
                                         const char                *separator,
                                         AttnPairFilter             pairs,
                                         guint                      q0,
                                         guint                      q1,
                                         guint                      k0,
                                         guint                      k1);

typedef gboolean (*AttnStreamWriter) (GOutputStream  *stream,
                                      gpointer        user_data,
                                      GCancellable   *cancellable,
                                      GError        **error);

/* Replaces @path with what @writer writes, atomically: on failure the old
 * file (or no file) stays, and the error names the path.  A symlink is
 * written through to its target, an existing file keeps its mode (and owner
 * and group where allowed), a read-only file is refused
 * (attn-write-file.c). */
gboolean attn_write_file_atomically     (const char                *path,
                                         AttnStreamWriter           writer,
                                         gpointer                   user_data,
                                         GCancellable              *cancellable,
                                         GError                   **error);
/* The same for a whole text already in memory (small exports: head
 * scores, a comparison). */
gboolean attn_write_text_atomically     (const char                *path,
                                         const char                *text,
                                         GCancellable              *cancellable,
                                         GError                   **error);

G_END_DECLS
