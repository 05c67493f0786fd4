/* ae-attention.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Causal attention of one head, a block of query rows at a time: the
 * kernel both the forward pass and the trace's on-demand scores and weights
 * (ae-trace-heads.c) call, so that a head computed again when a view asks
 * for it is, bit for bit, the head the pass multiplied its values by.
 *
 * Every score and weight depends only on its query row and key column,
 * never on which rows were asked for together, on the buffers' alignment or
 * on the calling thread: the dot products are summed over the head size in
 * one fixed order, and the softmax sums a row in sixteen fixed lanes.
 * (The sum can differ between builds for different processors, FMA or not;
 * never between two calls in one process.)
 *
 * Shape letters: T tokens, hs head size.  q, k and v are one head's (T, hs)
 * rows, as the trace keeps them.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Query rows per block in the forward pass's work items. */
#define AE_ATTENTION_BLOCK 64

/* The first key @query sees: 0, or with a sliding @window (Mistral, Qwen2)
 * the oldest of the @window latest keys, itself included. */
static inline size_t
ae_attention_first_key (size_t query,
                        size_t window)
{
  return window > 0 && query + 1 > window ? query + 1 - window : 0;
}

/* Rows r0 .. r1 - 1 of one head, T columns each:
 *   weights  row i at weights + (i - r0)·ldw: the softmax over keys
 *            first_key(i) .. i of q_i · k_j · scale (every key 0 .. T - 1
 *            when @bidirectional: an encoder's head, whose window is 0);
 *            exactly 0 elsewhere.
 *   scores   (may be NULL) row i at scores + (i - r0)·lds: the scaled dot
 *            products, exactly 0 where masked.
 * q and k hold at least r1 rows of hs (k all T when @bidirectional);
 * r0 <= r1 <= T.  ldw, lds >= T.  Never
 * allocates; uses about 9 KB of stack for hs up to 128 (any hs works). */
void ae_attention_rows   (float       *scores,
                          size_t       lds,
                          float       *weights,
                          size_t       ldw,
                          const float *q,
                          const float *k,
                          size_t       hs,
                          size_t       T,
                          size_t       r0,
                          size_t       r1,
                          float        scale,
                          size_t       window,
                          bool         bidirectional);

/* out rows r0 .. r1 - 1 (row i at out + (i - r0)·ldo, hs wide) = the weight
 * rows ae_attention_rows() wrote (same r0, r1, ldw, window, T,
 * bidirectional) · v (T, hs),
 * summed over the keys those rows see in order: like the weights, a row's
 * output does not depend on the block it is computed in. */
void ae_attention_values (float       *out,
                          size_t       ldo,
                          const float *weights,
                          size_t       ldw,
                          const float *v,
                          size_t       hs,
                          size_t       r0,
                          size_t       r1,
                          size_t       window,
                          size_t       T,
                          bool         bidirectional);

#ifdef __cplusplus
}
#endif
