/* ae-ops.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kernels of ae-ops.h.  Every matrix product goes through ae_gemm()
 * (ae-gemm.c, oneDNN); the rest are plain loops the compiler vectorises.
 */

#include <math.h>
#include <omp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ae-attention.h"
#include "ae-gemm.h"
#include "ae-ops.h"
#include "ae-threads.h"
#include "ae-vec.h"

/* The element-wise and row-wise kernels below run on the engine's threads
 * once there is enough work to pay for waking them: each thread takes
 * whole rows (or whole blocks of elements) and computes exactly what one
 * thread would, so no number depends on the thread count.  Inside another
 * parallel region (a head's work item) they stay on the calling thread;
 * outside a pass too (a model's load) they use the engine's thread count
 * (ATTENTION_THREADS), not OpenMP's default. */
#define PARALLEL_MIN_FLOATS (1 << 15)
#define ELEMENT_BLOCK       4096

static bool
worth_threads (size_t n_floats)
{
  return n_floats >= PARALLEL_MIN_FLOATS && !omp_in_parallel () && ae_threads () > 1;
}

static size_t
block_len (size_t b,
           size_t n)
{
  return n - b * ELEMENT_BLOCK < ELEMENT_BLOCK ? n - b * ELEMENT_BLOCK : ELEMENT_BLOCK;
}

/* An element-wise kernel over n elements of out, a and (when not NULL) b. */
typedef void (*ElementKernel) (float *out, const float *a, const float *b, size_t n);

static void
for_element_blocks (ElementKernel  kernel,
                    float         *out,
                    const float   *a,
                    const float   *b,
                    size_t         n)
{
  size_t nb = (n + ELEMENT_BLOCK - 1) / ELEMENT_BLOCK;

  if (!worth_threads (n))
    {
      kernel (out, a, b, n);
      return;
    }
#pragma omp parallel for schedule(static) num_threads(ae_threads ())
  for (size_t k = 0; k < nb; k++)
    kernel (out + k * ELEMENT_BLOCK, a + k * ELEMENT_BLOCK,
            b != NULL ? b + k * ELEMENT_BLOCK : NULL, block_len (k, n));
}

/* The norms' loops are written for `omp simd`: reductions may be
 * reordered (in double, which keeps wide rows as exact as the float64
 * reference), and the clones give them AVX-512 and AVX2 paths. */
VEC_CLONES
static void
layernorm_rows (float       *out,
                const float *x,
                const float *w,
                const float *b,
                size_t       T,
                size_t       C,
                float        eps)
{
  for (size_t t = 0; t < T; t++)
    {
      const float *xt = x + t * C;
      float *ot = out + t * C;
      double mean = 0.0, var = 0.0;
      float m, rstd;

      /* Mean and (biased) variance in double: cheap at this size and it
       * keeps wide rows as exact as the float64 reference. */
#pragma omp simd reduction(+:mean)
      for (size_t i = 0; i < C; i++)
        mean += xt[i];
      mean /= (double) C;
#pragma omp simd reduction(+:var)
      for (size_t i = 0; i < C; i++)
        {
          double d = xt[i] - mean;
          var += d * d;
        }
      var /= (double) C;

      m = (float) mean;
      rstd = (float) (1.0 / sqrt (var + eps));
#pragma omp simd
      for (size_t i = 0; i < C; i++)
        ot[i] = (xt[i] - m) * rstd * w[i] + b[i];
    }
}

void
ae_layernorm (float       *out,
              const float *x,
              const float *w,
              const float *b,
              size_t       T,
              size_t       C,
              float        eps)
{
  if (!worth_threads (T * C))
    {
      layernorm_rows (out, x, w, b, T, C, eps);
      return;
    }
#pragma omp parallel for schedule(static) num_threads(ae_threads ())
  for (size_t t = 0; t < T; t++)
    layernorm_rows (out + t * C, x + t * C, w, b, 1, C, eps);
}

void
ae_rows_fill (float       *out,
              const float *b,
              size_t       T,
              size_t       n)
{
  for (size_t t = 0; t < T; t++)
    {
      if (b != NULL)
        memcpy (out + t * n, b, n * sizeof (float));
      else
        memset (out + t * n, 0, n * sizeof (float));
    }
}

/* out = x · op(w) + b through one sgemm (started from the bias, or zero,
 * and accumulated with beta = 1); op(w) is w (n_in, n_out), or wᵀ
 * when @trans_w and w is (n_out, n_in). */
static void
linear_gemm (float       *out,
             const float *x,
             const float *w,
             const float *b,
             size_t       T,
             size_t       n_in,
             size_t       n_out,
             bool         trans_w)
{
  if (T == 0 || n_out == 0)
    return;

  ae_rows_fill (out, b, T, n_out);

  if (n_in == 0)
    return;

  ae_gemm (trans_w, T, n_out, n_in, 1.0f, x, n_in, w, trans_w ? n_in : n_out,
           1.0f, out, n_out);
}

void
ae_linear (float       *out,
           const float *x,
           const float *w,
           const float *b,
           size_t       T,
           size_t       n_in,
           size_t       n_out)
{
  linear_gemm (out, x, w, b, T, n_in, n_out, false);
}

/* w is (n_out, n_in): sgemm reads it transposed in place. */
void
ae_linear_t (float       *out,
             const float *x,
             const float *w,
             const float *b,
             size_t       T,
             size_t       n_in,
             size_t       n_out)
{
  linear_gemm (out, x, w, b, T, n_in, n_out, true);
}

/* 0.5·(1 + tanh(u)) is the logistic function of 2u, so GELU is also
 * x / (1 + exp(-2u)): one exp instead of a tanh, and no cancellation in
 * 1 + tanh(u) for negative x.  The exp is inlined so the loop vectorises
 * (libm's expf is a scalar call; GELU was a fifth of the pass with tanhf);
 * target_clones keeps one portable binary with AVX-512 and AVX2 paths,
 * and tree-vectorize asks for it at -O2.  no-trapping-math (we never read
 * FP exception flags) lets GCC turn the clamps' selects into blends: without
 * it only the AVX-512 clone, which has masked moves, was vectorised.  The
 * exp carries the same options, or GCC refuses to inline it here.
 * It stays within 5e-7 of the libm form (bench/bench-gelu.c measures both).
 * Large |u| saturates cleanly, up to ±FLT_MAX: out = x, or -0.  NaN stays
 * NaN and ±Inf give ±Inf or NaN; the forward pass reports those by layer. */
VEC_CLONES
static void
gelu_new_range (float       *out,
                const float *x,
                const float *unused,
                size_t       n)
{
  const float s2 = 2.0f * 0.7978845608028654f;   /* 2 · sqrt (2 / pi) */

#pragma GCC ivdep
  for (size_t i = 0; i < n; i++)
    {
      float xi = x[i];
      float u2 = s2 * (xi + 0.044715f * xi * xi * xi);

      out[i] = xi / (1.0f + exp_inline (-u2));
    }
}

void
ae_gelu_new (float       *out,
             const float *x,
             size_t       n)
{
  for_element_blocks (gelu_new_range, out, x, NULL, n);
}

static void
add_range (float       *out,
           const float *x,
           const float *unused,
           size_t       n)
{
#pragma omp simd
  for (size_t i = 0; i < n; i++)
    out[i] += x[i];
}

void
ae_add_inplace (float       *out,
                const float *x,
                size_t       n)
{
  for_element_blocks (add_range, out, x, NULL, n);
}

/* Every head goes through the one kernel (ae-attention.c), by blocks of
 * query rows: rows r0..r1-1 of a causal head see keys 0..r1-1 only, so the
 * keys after r1 (all masked) are never multiplied; for long texts that is
 * half the work. */
static void
attention_head (float       *scores,
                float       *weights,
                float       *out,
                const float *q,
                const float *k,
                const float *v,
                size_t       T,
                size_t       hs,
                float        scale,
                size_t       window,
                bool         bidirectional)
{
  for (size_t r0 = 0; r0 < T; r0 += AE_ATTENTION_BLOCK)
    {
      size_t r1 = r0 + AE_ATTENTION_BLOCK < T ? r0 + AE_ATTENTION_BLOCK : T;

      ae_attention_rows (scores + r0 * T, T, weights + r0 * T, T, q, k, hs, T, r0, r1,
                         scale, window, bidirectional);
      ae_attention_values (out + r0 * hs, hs, weights + r0 * T, T, v, hs, r0, r1, window,
                           T, bidirectional);
    }
}

void
ae_attention_head (float       *scores,
                   float       *weights,
                   float       *out,
                   const float *q,
                   const float *k,
                   const float *v,
                   size_t       T,
                   size_t       hs)
{
  ae_attention_head_ex (scores, weights, out, q, k, v, T, hs,
                        hs > 0 ? 1.0f / sqrtf ((float) hs) : 1.0f, 0);
}

void
ae_attention_head_ex (float       *scores,
                      float       *weights,
                      float       *out,
                      const float *q,
                      const float *k,
                      const float *v,
                      size_t       T,
                      size_t       hs,
                      float        scale,
                      size_t       window)
{
  attention_head (scores, weights, out, q, k, v, T, hs, scale, window, false);
}

VEC_CLONES
static void
rmsnorm_rows (float       *out,
              const float *x,
              const float *w,
              size_t       T,
              size_t       C,
              float        eps)
{
  for (size_t t = 0; t < T; t++)
    {
      const float *xt = x + t * C;
      float *ot = out + t * C;
      double ss = 0.0;
      float rms;

      /* The mean square in double, as ae_layernorm's moments. */
#pragma omp simd reduction(+:ss)
      for (size_t i = 0; i < C; i++)
        ss += (double) xt[i] * xt[i];
      rms = (float) (1.0 / sqrt (ss / (double) (C > 0 ? C : 1) + eps));
#pragma omp simd
      for (size_t i = 0; i < C; i++)
        ot[i] = xt[i] * rms * w[i];
    }
}

void
ae_rmsnorm (float       *out,
            const float *x,
            const float *w,
            size_t       T,
            size_t       C,
            float        eps)
{
  if (!worth_threads (T * C))
    {
      rmsnorm_rows (out, x, w, T, C, eps);
      return;
    }
#pragma omp parallel for schedule(static) num_threads(ae_threads ())
  for (size_t t = 0; t < T; t++)
    rmsnorm_rows (out + t * C, x + t * C, w, 1, C, eps);
}

void
ae_gelu (float       *out,
         const float *x,
         size_t       n)
{
  for (size_t i = 0; i < n; i++)
    out[i] = 0.5f * x[i] * (1.0f + erff (x[i] * 0.70710678118654752f));
}

/* silu through the same inlined exp as GELU, so the loop vectorises; it
 * carries the exp's options, or GCC refuses to inline it. */
VEC_CLONES
static void
swiglu_range (float       *out,
              const float *gate,
              const float *up,
              size_t       n)
{
#pragma GCC ivdep
  for (size_t i = 0; i < n; i++)
    out[i] = gate[i] / (1.0f + exp_inline (-gate[i])) * up[i];
}

void
ae_swiglu (float       *out,
           const float *gate,
           const float *up,
           size_t       n)
{
  for_element_blocks (swiglu_range, out, gate, up, n);
}

void
ae_rope (float       *x,
         const float *cos_sin,
         size_t       T,
         size_t       hs,
         size_t       rot)
{
  size_t half = rot / 2;

  for (size_t t = 0; t < T; t++)
    {
      float *xt = x + t * hs;
      const float *c = cos_sin + t * rot;
      const float *s = c + half;

      for (size_t i = 0; i < half; i++)
        {
          float a = xt[i], b = xt[i + half];

          xt[i] = a * c[i] - b * s[i];
          xt[i + half] = b * c[i] + a * s[i];
        }
    }
}

/* Exponent bits all ones is NaN or ±Inf.  A block is one branch-free OR
 * per element (the clones vectorise it); only a block that has one is
 * searched for where. */
VEC_CLONES
static size_t
first_non_finite_range (const uint32_t *bits,
                        size_t          n)
{
  for (size_t start = 0; start < n; start += ELEMENT_BLOCK)
    {
      size_t end = n - start < ELEMENT_BLOCK ? n : start + ELEMENT_BLOCK;
      uint32_t bad = 0;

      for (size_t i = start; i < end; i++)
        bad |= (bits[i] & 0x7f800000u) == 0x7f800000u;
      if (bad)
        for (size_t i = start; i < end; i++)
          if ((bits[i] & 0x7f800000u) == 0x7f800000u)
            return i;
    }

  return n;
}

/* @x need not be aligned for float (weights straight from a file): an
 * unaligned start is read through a copy of its first elements. */
size_t
ae_first_non_finite (const void *x,
                     size_t      n)
{
  size_t nb = (n + ELEMENT_BLOCK - 1) / ELEMENT_BLOCK, first = n;

  if (((uintptr_t) x & (sizeof (uint32_t) - 1)) != 0)
    {
      uint32_t block[ELEMENT_BLOCK];

      for (size_t b = 0; b < nb; b++)
        {
          size_t len = block_len (b, n), i;

          memcpy (block, (const unsigned char *) x + b * ELEMENT_BLOCK * sizeof block[0],
                  len * sizeof block[0]);
          if ((i = first_non_finite_range (block, len)) < len)
            return b * ELEMENT_BLOCK + i;
        }
      return n;
    }

  if (!worth_threads (n))
    return first_non_finite_range (x, n);
#pragma omp parallel for schedule(static) num_threads(ae_threads ()) reduction(min:first)
  for (size_t b = 0; b < nb; b++)
    {
      size_t len = block_len (b, n);
      size_t i = first_non_finite_range ((const uint32_t *) x + b * ELEMENT_BLOCK, len);

      if (i < len && b * ELEMENT_BLOCK + i < first)
        first = b * ELEMENT_BLOCK + i;
    }
  return first;
}

void
ae_attention_head_bidirectional (float       *scores,
                                 float       *weights,
                                 float       *out,
                                 const float *q,
                                 const float *k,
                                 const float *v,
                                 size_t       T,
                                 size_t       hs,
                                 float        scale)
{
  attention_head (scores, weights, out, q, k, v, T, hs, scale, 0, true);
}
