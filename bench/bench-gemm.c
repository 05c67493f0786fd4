/* bench-gemm.c — the GEMM roofline probe (issue 12)
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage:
 *   bench-gemm [--tokens 64,256,1024] [--threads 1,2] [--reps 20] [--cpu-time]
 *              [--n-embd 768] [--n-head 12]
 *
 * The best single-precision GEMM rate this machine reaches for every shape
 * a GPT-2 forward pass multiplies (T tokens, C channels, hs = C / NH):
 *   qkv        (T, C)  · (C, 3C)
 *   attn_proj  (T, C)  · (C, C)
 *   fc         (T, C)  · (C, 4C)
 *   mlp_proj   (T, 4C) · (4C, C)
 *   scores     (T, hs) · (T, hs)ᵀ      one head
 *   mix        (T, T)  · (T, hs)       one head
 * through three backends:
 *   onednn         dnnl_sgemm, what the engine calls (src/engine/ae-gemm.c)
 *   onednn-matmul  oneDNN's matmul primitive, created once outside the clock
 *   onednn-packed  the engine's packed weights (ae_gemm_pack_new, packed
 *                  once outside the clock for T rows, as the engine packs
 *                  a weight matrix once for all its passes), then
 *                  ae_gemm_packed(); only the weight products (qkv,
 *                  attn_proj, fc, mlp_proj): the per-head products
 *                  multiply activations, which no pass could pack ahead
 *   openblas       cblas_sgemm with the core OpenBLAS detected (or was told
 *                  by OPENBLAS_CORETYPE, which this program never sets)
 * For each it prints the best of --reps timed calls (after 2 warm-ups) as
 * one JSON line, for bench/run-bench.py:
 *   {"side": "gemm", "backend": "onednn", "threads": 1, "T": 256,
 *    "shape": "qkv", "M": 256, "N": 2304, "K": 768, "best_ms": ..., "gflops": ...}
 * and first one line naming OpenBLAS's core:
 *   {"side": "gemm-info", "openblas_core": "Zen", "openblas_config": "..."}
 * --cpu-time times each call by the process's CPU time instead of the wall
 * clock: on a loaded machine a one-thread call that is preempted shows it
 * in wall time only (with 2 threads, CPU time counts spinning workers too).
 * Threads are set per backend (omp_set_num_threads for oneDNN's OpenMP
 * runtime, openblas_set_num_threads for OpenBLAS's pthreads).
 */

#include <cblas.h>
#include <dnnl.h>
#include <omp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ae-gemm.h"

char *openblas_get_corename (void);
char *openblas_get_config (void);

#define MAX_LIST 8

typedef struct
{
  const char *name;
  long M, N, K;
  char transb;          /* 'T' when B is stored (N, K) */
  bool weights;         /* B is a weight matrix, the same for every pass */
} Shape;

typedef struct
{
  dnnl_engine_t    engine;
  dnnl_stream_t    stream;
  dnnl_primitive_t prim;
  dnnl_memory_t    a, b, c;
} Matmul;

static clockid_t clock_id = CLOCK_MONOTONIC;

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (clock_id, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
parse_list (const char *s,
            long       *out)
{
  int n = 0;
  char *end;

  while (*s != '\0' && n < MAX_LIST)
    {
      out[n++] = strtol (s, &end, 10);
      s = *end == ',' ? end + 1 : end;
      if (end == s && *s != '\0')
        break;
    }
  return n;
}

/* A (M, K) · B (K, N) or B (N, K)ᵀ, row-major, as a matmul primitive over
 * the same buffers. */
static int
matmul_init (Matmul      *mm,
             const Shape *s,
             float       *a,
             float       *b,
             float       *c)
{
  dnnl_memory_desc_t a_md, b_md, c_md;
  dnnl_dims_t a_dims = { s->M, s->K }, b_dims = { s->K, s->N }, c_dims = { s->M, s->N };
  dnnl_dims_t a_str = { s->K, 1 }, c_str = { s->N, 1 };
  dnnl_dims_t b_str_n = { s->N, 1 }, b_str_t = { 1, s->K };
  dnnl_matmul_desc_t desc;
  dnnl_primitive_desc_t pd;

  if (dnnl_engine_create (&mm->engine, dnnl_cpu, 0) ||
      dnnl_stream_create (&mm->stream, mm->engine, dnnl_stream_default_flags))
    return -1;
  dnnl_memory_desc_init_by_strides (&a_md, 2, a_dims, dnnl_f32, a_str);
  dnnl_memory_desc_init_by_strides (&b_md, 2, b_dims, dnnl_f32,
                                    s->transb == 'T' ? b_str_t : b_str_n);
  dnnl_memory_desc_init_by_strides (&c_md, 2, c_dims, dnnl_f32, c_str);
  if (dnnl_matmul_desc_init (&desc, &a_md, &b_md, NULL, &c_md) ||
      dnnl_primitive_desc_create (&pd, &desc, NULL, mm->engine, NULL))
    return -1;
  if (dnnl_primitive_create (&mm->prim, pd))
    return -1;
  dnnl_primitive_desc_destroy (pd);
  dnnl_memory_create (&mm->a, &a_md, mm->engine, a);
  dnnl_memory_create (&mm->b, &b_md, mm->engine, b);
  dnnl_memory_create (&mm->c, &c_md, mm->engine, c);
  return 0;
}

static void
matmul_run (Matmul *mm)
{
  dnnl_exec_arg_t args[3] = {
    { DNNL_ARG_SRC, mm->a }, { DNNL_ARG_WEIGHTS, mm->b }, { DNNL_ARG_DST, mm->c },
  };

  dnnl_primitive_execute (mm->prim, mm->stream, 3, args);
  dnnl_stream_wait (mm->stream);
}

static void
matmul_clear (Matmul *mm)
{
  dnnl_memory_destroy (mm->a);
  dnnl_memory_destroy (mm->b);
  dnnl_memory_destroy (mm->c);
  dnnl_primitive_destroy (mm->prim);
  dnnl_stream_destroy (mm->stream);
  dnnl_engine_destroy (mm->engine);
}

enum { ONEDNN, ONEDNN_MATMUL, ONEDNN_PACKED, OPENBLAS, N_BACKENDS };
static const char *backend_names[N_BACKENDS] = { "onednn", "onednn-matmul", "onednn-packed",
                                                 "openblas" };

static double
best_ms (int          backend,
         const Shape *s,
         float       *a,
         float       *b,
         float       *c,
         int          reps)
{
  long ldb = s->transb == 'T' ? s->K : s->N;
  double best = 1e30;
  Matmul mm;
  AeGemmPack *packed = NULL;

  if (backend == ONEDNN_MATMUL && matmul_init (&mm, s, a, b, c) != 0)
    return -1.0;
  if (backend == ONEDNN_PACKED)
    {
      if (!s->weights)
        return -1.0;
      packed = ae_gemm_pack_new (s->transb == 'T', s->N, s->K, b, ldb, s->M);
      if (packed == NULL)
        return -1.0;
    }

  for (int r = 0; r < reps + 2; r++)
    {
      double t0 = now_ms (), dt;

      if (backend == ONEDNN)
        dnnl_sgemm ('N', s->transb, s->M, s->N, s->K, 1.0f, a, s->K, b, ldb, 0.0f, c, s->N);
      else if (backend == ONEDNN_MATMUL)
        matmul_run (&mm);
      else if (backend == ONEDNN_PACKED)
        ae_gemm_packed (packed, s->M, a, s->K, 0.0f, c, s->N);
      else
        cblas_sgemm (CblasRowMajor, CblasNoTrans, s->transb == 'T' ? CblasTrans : CblasNoTrans,
                     (int) s->M, (int) s->N, (int) s->K, 1.0f, a, (int) s->K, b, (int) ldb,
                     0.0f, c, (int) s->N);
      dt = now_ms () - t0;
      if (r >= 2 && dt < best)
        best = dt;
    }

  if (backend == ONEDNN_MATMUL)
    matmul_clear (&mm);
  ae_gemm_pack_free (packed);
  return best;
}

int
main (int    argc,
      char **argv)
{
  long tokens[MAX_LIST] = { 64, 256, 1024 }, threads[MAX_LIST] = { 1, 2 };
  int n_tokens = 3, n_threads = 2, reps = 20;
  long C = 768, NH = 12;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--tokens") == 0 && i + 1 < argc)
        n_tokens = parse_list (argv[++i], tokens);
      else if (strcmp (argv[i], "--threads") == 0 && i + 1 < argc)
        n_threads = parse_list (argv[++i], threads);
      else if (strcmp (argv[i], "--reps") == 0 && i + 1 < argc)
        reps = atoi (argv[++i]);
      else if (strcmp (argv[i], "--cpu-time") == 0)
        clock_id = CLOCK_PROCESS_CPUTIME_ID;
      else if (strcmp (argv[i], "--n-embd") == 0 && i + 1 < argc)
        C = atol (argv[++i]);
      else if (strcmp (argv[i], "--n-head") == 0 && i + 1 < argc)
        NH = atol (argv[++i]);
      else
        {
          fprintf (stderr, "usage: bench-gemm [--tokens 64,256,1024] [--threads 1,2] "
                           "[--reps N] [--n-embd C] [--n-head NH] [--cpu-time]\n");
          return 2;
        }
    }

  printf ("{\"side\": \"gemm-info\", \"openblas_core\": \"%s\", \"openblas_config\": \"%s\", "
          "\"omp_max_threads\": %d}\n",
          openblas_get_corename (), openblas_get_config (), omp_get_max_threads ());
  fflush (stdout);

  for (int ti = 0; ti < n_tokens; ti++)
    {
      long T = tokens[ti], hs = C / NH;
      Shape shapes[] = {
        { "qkv", T, 3 * C, C, 'N', true },
        { "attn_proj", T, C, C, 'N', true },
        { "fc", T, 4 * C, C, 'N', true },
        { "mlp_proj", T, C, 4 * C, 'N', true },
        { "scores", T, T, hs, 'T', false },
        { "mix", T, hs, T, 'N', false },
      };
      size_t max = (size_t) (T > 4 * C ? T : 4 * C) * (size_t) (T > 4 * C ? T : 4 * C);
      float *a = malloc (max * sizeof (float)), *b = malloc (max * sizeof (float));
      float *c = malloc (max * sizeof (float));

      for (size_t i = 0; i < max; i++)
        {
          a[i] = (float) ((i * 2654435761u) % 1000) / 1000.0f - 0.5f;
          b[i] = (float) ((i * 40503u) % 1000) / 1000.0f - 0.5f;
        }

      for (int ni = 0; ni < n_threads; ni++)
        for (size_t si = 0; si < sizeof shapes / sizeof shapes[0]; si++)
          for (int be = 0; be < N_BACKENDS; be++)
            {
              const Shape *s = &shapes[si];
              double ms;

              if (be == ONEDNN_PACKED && !s->weights)
                continue;
              omp_set_num_threads ((int) threads[ni]);
              openblas_set_num_threads ((int) threads[ni]);
              ms = best_ms (be, s, a, b, c, reps);
              printf ("{\"side\": \"gemm\", \"backend\": \"%s\", \"threads\": %ld, \"T\": %ld, "
                      "\"shape\": \"%s\", \"M\": %ld, \"N\": %ld, \"K\": %ld, "
                      "\"best_ms\": %.4f, \"gflops\": %.2f}\n",
                      backend_names[be], threads[ni], T, s->name, s->M, s->N, s->K,
                      ms, ms > 0 ? 2.0 * s->M * s->N * s->K / (ms * 1e6) : 0.0);
              fflush (stdout);
            }

      free (a);
      free (b);
      free (c);
    }

  return 0;
}
