/* ae-ops.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kernels of ae-ops.h.  Every matrix product goes through CBLAS
 * (Debian's OpenBLAS); the rest are plain loops the compiler vectorises.
 */

#include <cblas.h>
#include <math.h>
#include <string.h>

#include "ae-ops.h"

void
ae_layernorm (float       *out,
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
      for (size_t i = 0; i < C; i++)
        mean += xt[i];
      mean /= (double) C;
      for (size_t i = 0; i < C; i++)
        {
          double d = xt[i] - mean;
          var += d * d;
        }
      var /= (double) C;

      m = (float) mean;
      rstd = (float) (1.0 / sqrt (var + eps));
      for (size_t i = 0; i < C; i++)
        ot[i] = (xt[i] - m) * rstd * w[i] + b[i];
    }
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
  if (T == 0 || n_out == 0)
    return;

  /* Start from the bias (or zero) and let sgemm accumulate with beta = 1. */
  for (size_t t = 0; t < T; t++)
    {
      if (b != NULL)
        memcpy (out + t * n_out, b, n_out * sizeof (float));
      else
        memset (out + t * n_out, 0, n_out * sizeof (float));
    }

  if (n_in == 0)
    return;

  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans,
               (int) T, (int) n_out, (int) n_in,
               1.0f, x, (int) n_in, w, (int) n_out,
               1.0f, out, (int) n_out);
}

void
ae_gelu_new (float       *out,
             const float *x,
             size_t       n)
{
  const float s = 0.7978845608028654f;   /* sqrt (2 / pi) */

  /* 0.5·(1 + tanh(u)) is the logistic function of 2u, so the same value is
   * x / (1 + exp(-2u)): one expf instead of a tanhf, which is the slower of
   * the two in glibc (GELU was a fifth of the forward pass with tanhf), and
   * no cancellation in 1 + tanh(u) for negative x.  Large |u| saturates
   * cleanly: exp(-2u) goes to 0 (out = x) or to inf (out = -0). */
  for (size_t i = 0; i < n; i++)
    {
      float xi = x[i];
      float u = s * (xi + 0.044715f * xi * xi * xi);

      out[i] = xi / (1.0f + expf (-2.0f * u));
    }
}

void
ae_add_inplace (float       *out,
                const float *x,
                size_t       n)
{
  for (size_t i = 0; i < n; i++)
    out[i] += x[i];
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
  const float scale = 1.0f / sqrtf ((float) hs);

  if (T == 0)
    return;

  if (hs == 0)
    {
      /* Degenerate but well defined: every score is 0, so uniform weights. */
      for (size_t t = 0; t < T; t++)
        for (size_t t2 = 0; t2 < T; t2++)
          {
            scores[t * T + t2] = 0.0f;
            weights[t * T + t2] = t2 <= t ? 1.0f / (float) (t + 1) : 0.0f;
          }
      return;
    }

  /* scores (T, T) = q (T, hs) · kᵀ (hs, T) / sqrt(hs).  One GEMM for the
   * whole square beats T dot products even though half of it is masked. */
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans,
               (int) T, (int) T, (int) hs,
               scale, q, (int) hs, k, (int) hs,
               0.0f, scores, (int) T);

  /* Causal softmax per query row, with the row's max subtracted. */
  for (size_t t = 0; t < T; t++)
    {
      float *srow = scores + t * T;
      float *wrow = weights + t * T;
      float max = srow[0];
      float sum = 0.0f, inv;

      for (size_t t2 = 1; t2 <= t; t2++)
        if (srow[t2] > max)
          max = srow[t2];

      for (size_t t2 = 0; t2 <= t; t2++)
        {
          wrow[t2] = expf (srow[t2] - max);
          sum += wrow[t2];
        }

      inv = 1.0f / sum;
      for (size_t t2 = 0; t2 <= t; t2++)
        wrow[t2] *= inv;

      for (size_t t2 = t + 1; t2 < T; t2++)
        {
          srow[t2] = 0.0f;
          wrow[t2] = 0.0f;
        }
    }

  /* out (T, hs) = weights (T, T) · v (T, hs); masked weights are exact
   * zeros, so they add nothing. */
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans,
               (int) T, (int) hs, (int) T,
               1.0f, weights, (int) T, v, (int) hs,
               0.0f, out, (int) hs);
}
