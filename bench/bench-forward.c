/* bench-forward.c — times the engine's forward pass (ae_model_run)
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage:
 *   bench-forward --model DIR [--tokens 64,256] [--warmup 2] [--runs 7] [--stages]
 *                 [--full] [--incremental]
 *
 * Loads the model once, then for every length T runs the forward pass over
 * T deterministic token ids (the same ones bench/torch-gpt2.py uses), first
 * --warmup times untimed, then --runs times timed.  Each timed call is the
 * whole ae_model_run as the app makes it: it allocates and fills a linear
 * trace (ln1, q, k, v, head_out, attn_out and the residual stream of every
 * layer and head; each head's scores and weights are computed when a view
 * asks) and frees it afterwards.  --full keeps every head's (T, T) scores
 * and weights too (ae_model_forward, the trace before issue 13).
 *
 * --incremental (issue 13) times, for every T, a keystroke at the end of
 * the text: from a trace of T - 1 tokens, the pass over T tokens whose
 * last-but-one token changed too (BPE often re-merges the last word), which
 * reuses the first T - 2 tokens' rows; interleaved with full passes over
 * the same T tokens in the same process:
 *   {"side": "c-incremental", "T": ..., "threads": ..., "full_wall_ms": [...],
 *    "incremental_wall_ms": [...], "full_cpu_ms": [...], "incremental_cpu_ms": [...]}
 *
 * First it prints the CPU time of ae_tokenizer_load() alone and of the
 * whole ae_model_load() ({"side": "c-load", ...}), then one JSON object per
 * length, for bench/run-bench.py to read:
 *   {"side": "c", "T": 64, "threads": 1, "wall_ms": [...], "cpu_ms": [...]}
 * cpu_ms is the process's CPU time, which a busy machine disturbs less than
 * wall time when the pass runs on one thread.
 *
 * --stages also times a replica of one forward pass stage by stage with the
 * engine's own kernels (ae-ops.h), in process CPU time (meaningful with one
 * thread), to show where the time goes; once with a fresh trace per pass as
 * the engine does, once reusing one trace (no page faults on new memory):
 * {"side": "c-stages", "T": ..., "reuse_trace": false, "cpu_ms": {"name": ms, ...}}.
 *
 * Thread count: the engine's (ae_threads(): ATTENTION_THREADS, else
 * OpenMP's default).  The --stages replica runs the heads one after the
 * other, as the engine did before it ran them in parallel.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ae-model.h"
#include "ae-ops.h"
#include "ae-threads.h"

#define MAX_LENGTHS 16

static double
now_ms (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Token t's id: a fixed spread over the vocabulary, so that embedding rows
 * come from all over wte.  bench/torch-gpt2.py uses the same formula. */
static void
fill_ids (int32_t *ids,
          size_t   T,
          size_t   vocab)
{
  for (size_t t = 0; t < T; t++)
    ids[t] = (int32_t) ((1 + t * 7919) % vocab);
}

static void
print_series (const char   *key,
              const double *values,
              int           n)
{
  printf ("\"%s\": [", key);
  for (int i = 0; i < n; i++)
    printf ("%s%.3f", i ? ", " : "", values[i]);
  printf ("]");
}

static int keep_attention = 0;

/* One pass over @ids, reusing @reuse when given; the trace, or NULL. */
static AeTrace *
run_pass (const AeModel *model,
          const int32_t *ids,
          size_t         T,
          const AeTrace *reuse)
{
  AeRunOptions options = { .keep_attention = keep_attention, .reuse = reuse };
  AeTrace *trace = NULL;
  AeError error = { 0 };

  if (ae_model_run (model, ids, T, &options, &trace, &error) != AE_STATUS_OK)
    fprintf (stderr, "bench-forward: %s\n", error.message);
  return trace;
}

static int
bench_forward (const AeModel *model,
               size_t         T,
               int            warmup,
               int            runs)
{
  const AeConfig *cfg = ae_model_config (model);
  int32_t *ids = calloc (T ? T : 1, sizeof *ids);
  double *wall = calloc (runs, sizeof *wall);
  double *cpu = calloc (runs, sizeof *cpu);
  int status = 0;

  fill_ids (ids, T, cfg->vocab_size);

  for (int i = 0; i < warmup + runs; i++)
    {
      double w0 = now_ms (CLOCK_MONOTONIC);
      double c0 = now_ms (CLOCK_PROCESS_CPUTIME_ID);
      AeTrace *trace = run_pass (model, ids, T, NULL);

      if (trace == NULL)
        {
          status = 1;
          break;
        }
      ae_trace_free (trace);

      if (i >= warmup)
        {
          wall[i - warmup] = now_ms (CLOCK_MONOTONIC) - w0;
          cpu[i - warmup] = now_ms (CLOCK_PROCESS_CPUTIME_ID) - c0;
        }
    }

  if (status == 0)
    {
      printf ("{\"side\": \"c\", \"T\": %zu, \"threads\": %d, \"full_trace\": %s, ",
              T, ae_threads (), keep_attention ? "true" : "false");
      print_series ("wall_ms", wall, runs);
      printf (", ");
      print_series ("cpu_ms", cpu, runs);
      printf ("}\n");
      fflush (stdout);
    }

  free (ids);
  free (wall);
  free (cpu);
  return status;
}

/* A keystroke at the end of a T-token text against a full pass over it,
 * alternating, so that the machine's load falls on both alike. */
static int
bench_incremental (const AeModel *model,
                   size_t         T,
                   int            warmup,
                   int            runs)
{
  const AeConfig *cfg = ae_model_config (model);
  int32_t *ids = calloc (T + 1, sizeof *ids), *before = calloc (T + 1, sizeof *before);
  double *wall[2], *cpu[2];
  AeTrace *base;
  int status = 0;

  if (T < 2)
    return 0;
  fill_ids (ids, T, cfg->vocab_size);
  memcpy (before, ids, T * sizeof *ids);
  before[T - 2] = (before[T - 2] + 1) % (int32_t) cfg->vocab_size;
  base = run_pass (model, before, T - 1, NULL);
  for (int k = 0; k < 2; k++)
    {
      wall[k] = calloc (runs, sizeof (double));
      cpu[k] = calloc (runs, sizeof (double));
    }

  for (int i = 0; base != NULL && i < warmup + runs && status == 0; i++)
    for (int k = 0; k < 2; k++)   /* 0: full, 1: incremental */
      {
        double w0 = now_ms (CLOCK_MONOTONIC);
        double c0 = now_ms (CLOCK_PROCESS_CPUTIME_ID);
        AeTrace *trace = run_pass (model, ids, T, k == 1 ? base : NULL);

        if (trace == NULL || (k == 1 && trace->n_reused != T - 2))
          status = 1;
        ae_trace_free (trace);
        if (i >= warmup)
          {
            wall[k][i - warmup] = now_ms (CLOCK_MONOTONIC) - w0;
            cpu[k][i - warmup] = now_ms (CLOCK_PROCESS_CPUTIME_ID) - c0;
          }
      }

  if (base != NULL && status == 0)
    {
      printf ("{\"side\": \"c-incremental\", \"T\": %zu, \"threads\": %d, \"reused\": %zu, ",
              T, ae_threads (), T - 2);
      print_series ("full_wall_ms", wall[0], runs);
      printf (", ");
      print_series ("incremental_wall_ms", wall[1], runs);
      printf (", ");
      print_series ("full_cpu_ms", cpu[0], runs);
      printf (", ");
      print_series ("incremental_cpu_ms", cpu[1], runs);
      printf ("}\n");
      fflush (stdout);
    }
  else
    status = 1;

  ae_trace_free (base);
  for (int k = 0; k < 2; k++)
    {
      free (wall[k]);
      free (cpu[k]);
    }
  free (ids);
  free (before);
  return status;
}

/* ---------------------------------------------------------------------------
 * --stages: one forward pass, replicated from ae-model.c with the engine's
 * kernels and a clock around each stage.  Same work, same buffers, same
 * order; only the embedding lookup is left out (x starts as noise). */

enum {
  ST_TRACE_ALLOC, ST_LN, ST_QKV, ST_SPLIT, ST_HEADS, ST_JOIN, ST_PROJ,
  ST_FC, ST_GELU, ST_MLP_PROJ, ST_RESIDUAL, ST_TRACE_FREE, N_STAGES
};

static const char *stage_names[N_STAGES] = {
  "trace_alloc", "layernorm", "qkv_gemm", "split_heads", "attention_heads",
  "join_heads", "attn_proj_gemm", "fc_gemm", "gelu", "mlp_proj_gemm",
  "residual_add", "trace_free",
};

static void
bench_stages (const AeModel *model,
              size_t         T,
              int            runs,
              int            reuse_trace)
{
  const AeConfig *cfg = ae_model_config (model);
  size_t L = cfg->n_layer, NH = cfg->n_head, C = cfg->n_embd, hs = C / NH;
  float eps = cfg->layer_norm_epsilon;
  double total[N_STAGES] = { 0 }, sum = 0.0;
  float *scratch = malloc (T * 11 * C * sizeof (float));
  float *x = scratch, *ln = x + T * C, *qkv = ln + T * C;
  float *atty = qkv + T * 3 * C, *fch = atty + T * C, *mlp_out = fch + T * 4 * C;
  AeTrace *kept = reuse_trace ? ae_trace_new (L, NH, T, C) : NULL;

  for (int r = 0; r < runs + 1; r++)
    {
      double t0, t[N_STAGES] = { 0 };
      AeTrace *trace = kept;

      for (size_t i = 0; i < T * C; i++)
        x[i] = (float) ((i * 2654435761u) % 1000) / 1000.0f - 0.5f;

      t0 = now_ms (CLOCK_PROCESS_CPUTIME_ID);
      if (!reuse_trace)
        trace = ae_trace_new (L, NH, T, C);
      t[ST_TRACE_ALLOC] += now_ms (CLOCK_PROCESS_CPUTIME_ID) - t0;

      for (size_t l = 0; l < L; l++)
        {
          const AeLayerWeights *w = ae_model_layer (model, l);
          float *l_ln1 = trace->ln1 + l * T * C;
          float *l_q = trace->q + l * T * C;
          float *l_k = trace->k + l * T * C;
          float *l_v = trace->v + l * T * C;
          float *l_scores = trace->scores + l * NH * T * T;
          float *l_weights = trace->weights + l * NH * T * T;
          float *l_head_out = trace->head_out + l * T * C;
          float *l_attn_out = trace->attn_out + l * T * C;

#define STAGE(id, code) \
  do { t0 = now_ms (CLOCK_PROCESS_CPUTIME_ID); code; t[id] += now_ms (CLOCK_PROCESS_CPUTIME_ID) - t0; } while (0)

          STAGE (ST_LN, ae_layernorm (l_ln1, x, w->ln_1_w, w->ln_1_b, T, C, eps));
          STAGE (ST_QKV, ae_matrix_linear (qkv, l_ln1, w->c_attn_w, w->c_attn_b, T, C, 3 * C, false));
          STAGE (ST_SPLIT,
                 for (size_t h = 0; h < NH; h++)
                   for (size_t tt = 0; tt < T; tt++)
                     {
                       const float *row = qkv + tt * 3 * C + h * hs;
                       size_t at = (h * T + tt) * hs;

                       memcpy (l_q + at, row, hs * sizeof (float));
                       memcpy (l_k + at, row + C, hs * sizeof (float));
                       memcpy (l_v + at, row + 2 * C, hs * sizeof (float));
                     });
          STAGE (ST_HEADS,
                 for (size_t h = 0; h < NH; h++)
                   ae_attention_head (l_scores + h * T * T, l_weights + h * T * T,
                                      l_head_out + h * T * hs,
                                      l_q + h * T * hs, l_k + h * T * hs, l_v + h * T * hs,
                                      T, hs));
          STAGE (ST_JOIN,
                 for (size_t h = 0; h < NH; h++)
                   for (size_t tt = 0; tt < T; tt++)
                     memcpy (atty + tt * C + h * hs, l_head_out + (h * T + tt) * hs,
                             hs * sizeof (float)));
          STAGE (ST_PROJ, ae_matrix_linear (l_attn_out, atty, w->c_proj_w, w->c_proj_b, T, C, C, false));
          STAGE (ST_RESIDUAL, ae_add_inplace (x, l_attn_out, T * C));
          STAGE (ST_LN, ae_layernorm (ln, x, w->ln_2_w, w->ln_2_b, T, C, eps));
          STAGE (ST_FC, ae_matrix_linear (fch, ln, w->c_fc_w, w->c_fc_b, T, C, 4 * C, false));
          STAGE (ST_GELU, ae_gelu_new (fch, fch, T * 4 * C));
          STAGE (ST_MLP_PROJ, ae_matrix_linear (mlp_out, fch, w->mlp_proj_w, w->mlp_proj_b, T, 4 * C, C, false));
          STAGE (ST_RESIDUAL, ae_add_inplace (x, mlp_out, T * C));
#undef STAGE
        }

      t0 = now_ms (CLOCK_PROCESS_CPUTIME_ID);
      if (!reuse_trace)
        ae_trace_free (trace);
      t[ST_TRACE_FREE] += now_ms (CLOCK_PROCESS_CPUTIME_ID) - t0;

      if (r > 0)   /* the first pass is a warm-up */
        for (int s = 0; s < N_STAGES; s++)
          total[s] += t[s];
    }

  printf ("{\"side\": \"c-stages\", \"T\": %zu, \"threads\": %d, \"runs\": %d, "
          "\"reuse_trace\": %s, \"cpu_ms\": {",
          T, ae_threads (), runs, reuse_trace ? "true" : "false");
  for (int s = 0; s < N_STAGES; s++)
    {
      printf ("%s\"%s\": %.3f", s ? ", " : "", stage_names[s], total[s] / runs);
      sum += total[s] / runs;
    }
  printf (", \"total\": %.3f}}\n", sum);
  fflush (stdout);
  if (kept != NULL)
    ae_trace_free (kept);
  free (scratch);
}

static void
usage (void)
{
  fprintf (stderr,
           "usage: bench-forward --model DIR [--tokens 64,256] [--warmup N] [--runs N] [--stages]\n"
           "                     [--full] [--incremental]\n");
}

int
main (int    argc,
      char **argv)
{
  const char *model_dir = NULL;
  size_t lengths[MAX_LENGTHS] = { 64, 256 };
  int n_lengths = 2, warmup = 2, runs = 7, stages = 0, incremental = 0, status = 0;
  AeModel *model = NULL;
  AeError error = { 0 };
  double load_ms, tokenizer_ms;
  char vocab[4096], merges[4096];
  AeTokenizer *tokenizer = NULL;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--model") == 0 && i + 1 < argc)
        model_dir = argv[++i];
      else if (strcmp (argv[i], "--warmup") == 0 && i + 1 < argc)
        warmup = atoi (argv[++i]);
      else if (strcmp (argv[i], "--runs") == 0 && i + 1 < argc)
        runs = atoi (argv[++i]);
      else if (strcmp (argv[i], "--stages") == 0)
        stages = 1;
      else if (strcmp (argv[i], "--full") == 0)
        keep_attention = 1;
      else if (strcmp (argv[i], "--incremental") == 0)
        incremental = 1;
      else if (strcmp (argv[i], "--tokens") == 0 && i + 1 < argc)
        {
          char *p = argv[++i];

          for (n_lengths = 0; *p != '\0' && n_lengths < MAX_LENGTHS; n_lengths++)
            {
              lengths[n_lengths] = strtoul (p, &p, 10);
              if (*p == ',')
                p++;
            }
        }
      else
        {
          usage ();
          return 2;
        }
    }

  if (model_dir == NULL || runs < 1 || warmup < 0)
    {
      usage ();
      return 2;
    }

  /* The tokenizer alone first: it is most of the loading time. */
  snprintf (vocab, sizeof vocab, "%s/vocab.json", model_dir);
  snprintf (merges, sizeof merges, "%s/merges.txt", model_dir);
  tokenizer_ms = now_ms (CLOCK_PROCESS_CPUTIME_ID);
  if (ae_tokenizer_load (&tokenizer, vocab, merges, NULL, &error) != AE_STATUS_OK)
    {
      fprintf (stderr, "bench-forward: %s\n", error.message);
      return 1;
    }
  tokenizer_ms = now_ms (CLOCK_PROCESS_CPUTIME_ID) - tokenizer_ms;
  ae_tokenizer_free (tokenizer);

  load_ms = now_ms (CLOCK_PROCESS_CPUTIME_ID);
  if (ae_model_load (&model, model_dir, &error) != AE_STATUS_OK)
    {
      fprintf (stderr, "bench-forward: %s\n", error.message);
      return 1;
    }
  load_ms = now_ms (CLOCK_PROCESS_CPUTIME_ID) - load_ms;
  printf ("{\"side\": \"c-load\", \"model_load_cpu_ms\": %.3f, \"tokenizer_load_cpu_ms\": %.3f}\n",
          load_ms, tokenizer_ms);

  for (int i = 0; i < n_lengths && status == 0; i++)
    {
      status = incremental ? bench_incremental (model, lengths[i], warmup, runs)
                           : bench_forward (model, lengths[i], warmup, runs);
      if (status == 0 && stages)
        {
          bench_stages (model, lengths[i], runs, 0);
          bench_stages (model, lengths[i], runs, 1);
        }
    }

  ae_model_free (model);
  return status;
}
