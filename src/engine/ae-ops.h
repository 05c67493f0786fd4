/* ae-ops.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The forward pass's kernels, as tiny free functions with the output first
 * (llm.c's habit).  All float32, row-major, contiguous.  Shape letters:
 * T tokens, C channels, hs head size.  They never allocate, never fail and
 * are safe to call from several threads on different buffers.  The sandbox
 * calls ae_linear() and ae_attention_head() directly on toy vectors, so they
 * work for any size, including T == 0.
 */
#pragma once

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* out (T, C) = (x - mean) / sqrt(var + eps) * w + b, per row of x (T, C).
 * w and b are (C,).  @out may be @x. */
void ae_layernorm       (float       *out,
                         const float *x,
                         const float *w,
                         const float *b,
                         size_t       T,
                         size_t       C,
                         float        eps);

/* out (T, n_out) = x (T, n_in) · w (n_in, n_out) + b (n_out,): GPT-2's
 * Conv1D layout, through cblas_sgemm.  @b may be NULL for no bias.  @out
 * must not overlap @x or @w. */
void ae_linear          (float       *out,
                         const float *x,
                         const float *w,
                         const float *b,
                         size_t       T,
                         size_t       n_in,
                         size_t       n_out);

/* out (n,) = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), the tanh GELU
 * GPT-2 calls gelu_new.  @out may be @x. */
void ae_gelu_new        (float       *out,
                         const float *x,
                         size_t       n);

/* out (n,) += x (n,): the residual connection. */
void ae_add_inplace     (float       *out,
                         const float *x,
                         size_t       n);

/* One causal attention head.
 *   scores  (T, T)  q·k / sqrt(hs) for key <= query, exactly 0 above the diagonal
 *   weights (T, T)  softmax of each row over keys 0..query, exactly 0 above it
 *   out     (T, hs) sum over keys of weights · v
 * from q, k, v (T, hs).  The outputs must not overlap the inputs. */
void ae_attention_head  (float       *scores,
                         float       *weights,
                         float       *out,
                         const float *q,
                         const float *k,
                         const float *v,
                         size_t       T,
                         size_t       hs);

#ifdef __cplusplus
}
#endif
