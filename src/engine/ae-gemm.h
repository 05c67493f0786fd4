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

/* A right-hand matrix op(b) (K, N) laid out once in the library's own
 * blocked form, so that products with it skip the packing ae_gemm() does
 * on every call (bench/README.md: up to 40 % faster for a GPT-2 MLP matrix
 * at T = 256).  Its products are the same numbers ae_gemm() computes (the
 * same kernel, the same order of sums).  NULL when the library has no such
 * form or memory is short: then keep calling ae_gemm().  @M_hint is a
 * typical row count of the products (the layout's blocking may use it;
 * every M works). */
typedef struct _AeGemmPack AeGemmPack;

AeGemmPack *ae_gemm_pack_new  (bool              trans_b,
                               size_t            N,
                               size_t            K,
                               const float      *b,
                               size_t            ldb,
                               size_t            M_hint);
/* Bytes the packed matrix holds. */
size_t      ae_gemm_pack_size (const AeGemmPack *pack);
/* c (M, N) = a (M, K) · op(b) + beta · c, op(b) packed.  On the OpenMP
 * thread count the copy was packed under, whatever the caller's (oneDNN
 * computes a packed product wrongly, or faults, on fewer); inside a
 * parallel region, the plain product on this thread. */
void        ae_gemm_packed    (const AeGemmPack *pack,
                               size_t            M,
                               const float      *a,
                               size_t            lda,
                               float             beta,
                               float            *c,
                               size_t            ldc);
void        ae_gemm_pack_free (AeGemmPack       *pack);

#ifdef __cplusplus
}
#endif
