/* ae-gemm.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine's one matrix product, and the only place that knows which
 * library computes it (ae-gemm.c: oneDNN's dnnl_sgemm).  Every GEMM of the
 * forward pass — ae_linear() and both products of ae_attention_head() —
 * comes through here, so changing the backend is changing one file.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* c (M, N) = alpha · a (M, K) · op(b) + beta · c, all row-major with the
 * given leading dimensions (row strides, in floats).  op(b) is b (K, N), or
 * with @trans_b the transpose of b (N, K).  Any of M, N, K may be 0.  It
 * never fails: should the library refuse (it only does on bad arguments or
 * out of memory), a plain loop computes the same product.
 *
 * Called outside an OpenMP parallel region it uses the calling thread's
 * OpenMP thread count (ae_threads_apply()); inside one, one thread. */
void ae_gemm (bool         trans_b,
              size_t       M,
              size_t       N,
              size_t       K,
              float        alpha,
              const float *a,
              size_t       lda,
              const float *b,
              size_t       ldb,
              float        beta,
              float       *c,
              size_t       ldc);

#ifdef __cplusplus
}
#endif
