/* ae-gemm.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ae_gemm() on oneDNN (Debian's libdnnl 2.6).  dnnl_sgemm picks its kernel
 * from the processor's feature flags at run time, so the engine runs at the
 * machine's speed whatever OpenBLAS would have detected (issue 12: Debian's
 * OpenBLAS 0.3.21 falls back to its generic SSE3 "Prescott" kernel on
 * processors it does not know, 4x slower).  oneDNN's own matmul primitive
 * measured no faster for the forward pass's shapes (bench/bench-gemm.c) and
 * needs primitives created and cached per shape, so the plain call it is.
 * Threads: oneDNN's OpenMP runtime, the engine's one pool (ae-threads.h).
 */

#include <dnnl.h>

#include "ae-gemm.h"

/* The same product, for the case oneDNN declines. */
static void
gemm_loops (bool         trans_b,
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
            size_t       ldc)
{
  for (size_t i = 0; i < M; i++)
    for (size_t j = 0; j < N; j++)
      {
        float sum = 0.0f;

        for (size_t p = 0; p < K; p++)
          sum += a[i * lda + p] * (trans_b ? b[j * ldb + p] : b[p * ldb + j]);
        c[i * ldc + j] = alpha * sum + (beta == 0.0f ? 0.0f : beta * c[i * ldc + j]);
      }
}

void
ae_gemm (bool         trans_b,
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
         size_t       ldc)
{
  dnnl_status_t status;

  if (M == 0 || N == 0)
    return;

  /* oneDNN checks that every leading dimension is at least the row length,
   * even for an empty K; give it rows it accepts. */
  if (K == 0)
    {
      gemm_loops (trans_b, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc);
      return;
    }

  status = dnnl_sgemm ('N', trans_b ? 'T' : 'N',
                       (dnnl_dim_t) M, (dnnl_dim_t) N, (dnnl_dim_t) K,
                       alpha, a, (dnnl_dim_t) lda, b, (dnnl_dim_t) ldb,
                       beta, c, (dnnl_dim_t) ldc);
  if (status != dnnl_success)
    gemm_loops (trans_b, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc);
}
