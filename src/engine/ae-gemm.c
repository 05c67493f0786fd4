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
 *
 * Packed weights (ae_gemm_pack_new): dnnl_sgemm copies the weight matrix
 * into its blocked layout on every call, and at T = 256 that copy is a
 * large part of a product (a GPT-2 fc matrix is 9 MB).  oneDNN has the
 * MKL-style pack-once, compute-many pair its RNN primitives use for their
 * weights, sgemm_pack() and sgemm_compute(); Debian's libdnnl 2.6 exports
 * them (namespace dnnl::impl::cpu) but its public C API has no way to reach
 * them for float32: the matmul primitive's blocked weights are AVX-512
 * only in 2.6, and on AVX2 it calls the same sgemm.  So they are declared
 * here by their C++ names, after meson.build has checked that the library
 * links with them (AE_HAVE_DNNL_PACK); without them ae_gemm_pack_new()
 * returns NULL and every product is an ae_gemm().  Column-major, as the
 * library computes: out (T, N) row-major is C (N × T) = W (N × K) · xᵀ, so
 * the weight matrix is the packed "A".
 */

#include <stdint.h>
#include <stdlib.h>

#include <dnnl.h>
#include <omp.h>

#include "ae-gemm.h"

#if AE_HAVE_DNNL_PACK
typedef dnnl_dim_t dim_t;

dnnl_status_t ae_dnnl_sgemm_pack_get_size (const char *identifier, const char *transa,
                                           const char *transb, const dim_t *M, const dim_t *N,
                                           const dim_t *K, const dim_t *lda, const dim_t *ldb,
                                           size_t *size, bool *pack)
  __asm__ ("_ZN4dnnl4impl3cpu19sgemm_pack_get_sizeEPKcS3_S3_PKlS5_S5_S5_S5_PmPb");
dnnl_status_t ae_dnnl_sgemm_pack (const char *identifier, const char *transa, const char *transb,
                                  const dim_t *M, const dim_t *N, const dim_t *K, const dim_t *lda,
                                  const dim_t *ldb, const float *src, float *dst)
  __asm__ ("_ZN4dnnl4impl3cpu10sgemm_packEPKcS3_S3_PKlS5_S5_S5_S5_PKfPf");
dnnl_status_t ae_dnnl_sgemm_compute (const char *transa, const char *transb, const dim_t *M,
                                     const dim_t *N, const dim_t *K, const float *A,
                                     const dim_t *lda, const float *B, const dim_t *ldb,
                                     const float *beta, float *C, const dim_t *ldc)
  __asm__ ("_ZN4dnnl4impl3cpu13sgemm_computeEPKcS3_PKlS5_S5_PKfS5_S7_S5_S7_PfS5_");
#endif

struct _AeGemmPack
{
  size_t       N, K, size;
  float       *data;
  /* The OpenMP thread count it was packed under: oneDNN stores the pack
   * time's split of the work between threads in the packed copy, and a
   * product computed with fewer threads reads past the end of its
   * operands (with 2 at pack time and 1 at compute time, a segfault in
   * the JIT kernel for GPT-2's c_fc shape: issue 13's keystroke pass). */
  int          threads;
  /* the matrix it came from, for the plain product should the library
   * refuse one */
  bool         trans_b;
  const float *b;
  size_t       ldb;
};

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

AeGemmPack *
ae_gemm_pack_new (bool         trans_b,
                  size_t       N,
                  size_t       K,
                  const float *b,
                  size_t       ldb,
                  size_t       M_hint)
{
#if AE_HAVE_DNNL_PACK
  dim_t m = (dim_t) N, n = (dim_t) (M_hint > 0 ? M_hint : 1), k = (dim_t) K;
  dim_t lda = (dim_t) ldb, ldx = (dim_t) K;
  const char *trans = trans_b ? "T" : "N";
  size_t size = 0;
  bool packs = false;   /* false: the library keeps its own plain copy and
                         * computes without packing (most GPT-2 shapes but
                         * fc); that still measured faster than the sgemm */
  AeGemmPack *pack;

  if (N == 0 || K == 0 || ldb < (trans_b ? K : N) ||
      ae_dnnl_sgemm_pack_get_size ("A", trans, "N", &m, &n, &k, &lda, &ldx, &size, &packs)
        != dnnl_success || size == 0)
    return NULL;

  pack = malloc (sizeof *pack);
  if (pack == NULL)
    return NULL;
  *pack = (AeGemmPack) { N, K, size, aligned_alloc (64, (size + 63) / 64 * 64),
                         omp_in_parallel () ? 1 : omp_get_max_threads (), trans_b, b, ldb };
  if (pack->data == NULL ||
      ae_dnnl_sgemm_pack ("A", trans, "N", &m, &n, &k, &lda, &ldx, b, pack->data) != dnnl_success)
    {
      ae_gemm_pack_free (pack);
      return NULL;
    }
  return pack;
#else
  (void) trans_b; (void) N; (void) K; (void) b; (void) ldb; (void) M_hint;
  return NULL;
#endif
}

size_t
ae_gemm_pack_size (const AeGemmPack *pack)
{
  return pack != NULL ? pack->size : 0;
}

void
ae_gemm_packed (const AeGemmPack *pack,
                size_t            M,
                const float      *a,
                size_t            lda,
                float             beta,
                float            *c,
                size_t            ldc)
{
#if AE_HAVE_DNNL_PACK
  dim_t m = (dim_t) pack->N, n = (dim_t) M, k = (dim_t) pack->K;
  dim_t ld_packed = m, ldx = (dim_t) lda, ldo = (dim_t) ldc;
  int threads = omp_in_parallel () ? 1 : omp_get_max_threads ();
  dnnl_status_t status;

  if (M == 0)
    return;
  /* The packed copy needs the thread count it was packed under (see
   * threads above): a caller with fewer (the keystroke pass of a few rows
   * runs on one thread, ae-forward.c) gets it for this product, and inside
   * a parallel region, where oneDNN has one thread, the plain product
   * below computes it. */
  if (threads >= pack->threads || !omp_in_parallel ())
    {
      if (threads < pack->threads)
        omp_set_num_threads (pack->threads);
      status = ae_dnnl_sgemm_compute ("P", "N", &m, &n, &k, pack->data, &ld_packed,
                                      a, &ldx, &beta, c, &ldo);
      if (threads < pack->threads)
        omp_set_num_threads (threads);
      if (status == dnnl_success)
        return;
    }
#endif
  ae_gemm (pack->trans_b, M, pack->N, pack->K, 1.0f, a, lda, pack->b, pack->ldb, beta, c, ldc);
}

void
ae_gemm_pack_free (AeGemmPack *pack)
{
  if (pack == NULL)
    return;
  free (pack->data);
  free (pack);
}
