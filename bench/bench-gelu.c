/* bench-gelu.c — the engine's GELU against the libm form it replaced
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-gelu [N] [RUNS]
 *
 * ae_gelu_new() computes 0.5·x·(1 + tanh(u)) = x / (1 + exp(−2u)) with the
 * exp inlined so GCC vectorises it (target_clones: AVX-512, AVX2, plain
 * x86-64).  This program times it against the same formula through libm's
 * scalar expf, and prints the speed-up and the largest difference (the
 * forward tests allow 1e-5).
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

/* The libm form the engine used before: the reference for accuracy. */
static void
gelu_libm (float       *out,
           const float *x,
           size_t       n)
{
  const float s2 = 2.0f * 0.7978845608028654f;

  for (size_t i = 0; i < n; i++)
    {
      float xi = x[i];

      out[i] = xi / (1.0f + expf (-s2 * (xi + 0.044715f * xi * xi * xi)));
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
      gelu_libm (b, x, n);
      t0 = now_ms () - t0;
      t_candidate = t0 < t_candidate ? t0 : t_candidate;
    }

  for (size_t i = 0; i < n; i++)
    {
      double err = fabs ((double) a[i] - (double) b[i]);

      max_err = err > max_err ? err : max_err;
    }

  printf ("{\"side\": \"gelu\", \"n\": %zu, \"engine_ms\": %.3f, \"libm_ms\": %.3f, "
          "\"speed-up\": %.1f, \"max_abs_diff\": %.3g}\n",
          n, t_engine, t_candidate, t_candidate / t_engine, max_err);
  free (x);
  free (a);
  free (b);
  return 0;
}
