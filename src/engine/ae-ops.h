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

/* Every row of out (T, n) set to b (n,), or to zero when @b is NULL: where
 * a product with beta = 1 starts. */
void ae_rows_fill       (float       *out,
                         const float *b,
                         size_t       T,
                         size_t       n);

/* out (T, n_out) = x (T, n_in) · w (n_in, n_out) + b (n_out,): GPT-2's
 * Conv1D layout, through ae_gemm().  @b may be NULL for no bias.  @out
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

/* out (T, n_out) = x (T, n_in) · wᵀ + b, with w (n_out, n_in): the layout
 * of torch's Linear, which Llama and GPT-NeoX checkpoints store.  @b may be
 * NULL.  @out must not overlap @x or @w. */
void ae_linear_t        (float       *out,
                         const float *x,
                         const float *w,
                         const float *b,
                         size_t       T,
                         size_t       n_in,
                         size_t       n_out);

/* out (T, C) = x / sqrt(mean(x²) + eps) · w, per row of x (T, C); w (C,).
 * @out may be @x. */
void ae_rmsnorm         (float       *out,
                         const float *x,
                         const float *w,
                         size_t       T,
                         size_t       C,
                         float        eps);

/* out (n,) = 0.5·x·(1 + erf(x/√2)), the exact GELU GPT-NeoX uses.  @out may
 * be @x. */
void ae_gelu            (float       *out,
                         const float *x,
                         size_t       n);

/* out (n,) = silu(gate) · up = gate / (1 + exp(-gate)) · up: SwiGLU's
 * hidden layer.  @out may be @gate or @up. */
void ae_swiglu          (float       *out,
                         const float *gate,
                         const float *up,
                         size_t       n);

/* Rotary position embedding, in place, of the rows x (T, hs): pair i of the
 * first @rot dimensions is (i, i + rot/2) (the "rotate half" layout of
 * Llama and GPT-NeoX), turned by the angle whose cosine and sine are
 * cos_sin[t·rot + i] and cos_sin[t·rot + rot/2 + i] for the row's token t.
 * Dimensions from @rot on are left alone. */
void ae_rope            (float       *x,
                         const float *cos_sin,
                         size_t       T,
                         size_t       hs,
                         size_t       rot);

/* ae_attention_head with a chosen @scale for the scores (GPT-2's options
 * change it) and a sliding @window: a query sees only the @window latest
 * keys, itself included (0: every earlier key).  Keys outside the window
 * are masked like future ones: score and weight exactly 0. */
void ae_attention_head_ex (float       *scores,
                           float       *weights,
                           float       *out,
                           const float *q,
                           const float *k,
                           const float *v,
                           size_t       T,
                           size_t       hs,
                           float        scale,
                           size_t       window);

/* An encoder's head: like ae_attention_head_ex() without any mask, every
 * query's softmax runs over all T keys (BERT, RoBERTa, DistilBERT). */
void ae_attention_head_bidirectional (float       *scores,
                                      float       *weights,
                                      float       *out,
                                      const float *q,
                                      const float *k,
                                      const float *v,
                                      size_t       T,
                                      size_t       hs,
                                      float        scale);

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

/* The index of the first of @n float32 values at @x (any alignment: a
 * tensor inside a safetensors mapping need not be aligned) that is NaN or
 * ±Inf, or @n when all are finite.  One pass over the bits that the
 * compiler vectorises; only a block that holds one is searched again. */
size_t ae_first_non_finite (const void *x,
                            size_t      n);

#ifdef __cplusplus
}
#endif
