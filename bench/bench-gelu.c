/* bench-gelu.c — the engine's GELU against a vectorisable candidate
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-gelu [N] [RUNS]
 *
 * ae_gelu_new() calls libm's scalar tanhf once per element, which the
 * compiler cannot vectorise; perf shows tanhf/expm1f as about a fifth of the
 * forward pass at T = 256 (PyTorch's tanh GELU is vectorised with SLEEF).
 * This program times it against a candidate written so that GCC vectorises
 * it: the same function in its sigmoid form,
 *
 *   0.5·x·(1 + tanh(u)) = x / (1 + exp(−2u)),   u = √(2/π)·(x + 0.044715·x³)
 *
 * with exp() computed inline (Cody–Waite range reduction and a degree-6
 * polynomial, about 1 ulp), built for AVX-512, AVX2 and plain x86-64 through
 * target_clones so the binary stays portable.  It prints both timings and
 * the candidate's largest error against the engine's version, to decide
 * whether ae-ops.c should adopt it (the forward tests allow 1e-5).
 *
 * N defaults to 256 × 3072 (one layer's MLP hidden at T = 256).
 */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ae-ops.h"

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* exp(a) for a in [-87, 87], without branches or libm calls. */
static inline float
exp_inline (float a)
{
  const float log2e = 1.44269504088896341f;
  const float ln2_hi = 0.693359375f, ln2_lo = -2.12194440e-4f;
  float n, r, p;
  union { int32_t i; float f; } scale;

  a = a < -87.0f ? -87.0f : (a > 87.0f ? 87.0f : a);
  n = (a * log2e + 12582912.0f) - 12582912.0f;   /* round to nearest: 1.5·2²³ */
  r = a - n * ln2_hi;
  r = r - n * ln2_lo;
  p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  scale.i = ((int32_t) n + 127) << 23;
  return p * scale.f;
}

__attribute__ ((target_clones ("avx512f", "avx2", "default"), optimize ("tree-vectorize")))
static void
gelu_candidate (float       *out,
                const float *x,
                size_t       n)
{
  const float s2 = 2.0f * 0.7978845608028654f;

#pragma GCC ivdep
  for (size_t i = 0; i < n; i++)
    {
      float xi = x[i];
      float u2 = s2 * (xi + 0.044715f * xi * xi * xi);

      out[i] = xi / (1.0f + exp_inline (-u2));
    }
}

int
main (int    argc,
      char **argv)
{
  size_t n = argc > 1 ? strtoul (argv[1], NULL, 10) : 256 * 3072;
  int runs = argc > 2 ? atoi (argv[2]) : 20;
  float *x = malloc (n * sizeof (float));
  float *a = malloc (n * sizeof (float));
  float *b = malloc (n * sizeof (float));
  double t_engine = 1e30, t_candidate = 1e30, max_err = 0.0;

  /* Inputs spread like an MLP's pre-activations, plus the far tails. */
  for (size_t i = 0; i < n; i++)
    x[i] = 12.0f * ((float) ((i * 2654435761u) % 100000) / 100000.0f - 0.5f);
  x[0] = -30.0f;
  x[1] = 30.0f;

  for (int r = 0; r < runs; r++)
    {
      double t0 = now_ms ();

      ae_gelu_new (a, x, n);
      t0 = now_ms () - t0;
      t_engine = t0 < t_engine ? t0 : t_engine;

      t0 = now_ms ();
      gelu_candidate (b, x, n);
      t0 = now_ms () - t0;
      t_candidate = t0 < t_candidate ? t0 : t_candidate;
    }

  for (size_t i = 0; i < n; i++)
    {
      double err = fabs ((double) a[i] - (double) b[i]);

      max_err = err > max_err ? err : max_err;
    }

  printf ("{\"side\": \"gelu\", \"n\": %zu, \"engine_ms\": %.3f, \"candidate_ms\": %.3f, "
          "\"speed-up\": %.1f, \"max_abs_diff\": %.3g}\n",
          n, t_engine, t_candidate, t_engine / t_candidate, max_err);
  free (x);
  free (a);
  free (b);
  return 0;
}
