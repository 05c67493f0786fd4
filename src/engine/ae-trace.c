/* ae-trace.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One size table, one allocation, pointer carving (llm.c's
 * malloc_and_point_activations).  An empty trace (T == 0) still owns a
 * valid, empty block so that every accessor returns a usable pointer.
 *
 * Grouped-query attention: k and v are stored once per key/value head, not
 * once per query head, so a Llama with 3 k/v heads for 9 query heads keeps a
 * third of the k/v memory; ae_trace_k() and ae_trace_v() map a query head to
 * the block it reads.
 */

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "ae-trace.h"
#include "ae-trace-heads-private.h"

/* Below this a trace comes from malloc; above, from a pre-faulted mapping. */
#define TRACE_MAP_MIN_BYTES (1 << 20)

#define N_TRACE_ARRAYS 10

/* A large trace is mapped with every page faulted in by one call: the
 * forward pass writes all of it, and taking the faults one at a time as it
 * goes cost about a tenth of a pass at T = 256.  Anonymous pages are zero.
 * In 2 MB pages where the kernel has them (transparent huge pages on
 * request, Linux's default): a 258 MB trace (T = 1,000 on GPT-2 small)
 * then maps in a quarter of the time and unmaps in a millisecond instead
 * of a few hundred under load, which was most of a keystroke's
 * incremental pass.  Without them (or MADV_POPULATE_WRITE, Linux 5.14),
 * the 4 KB pages of MAP_POPULATE.  NULL when the mapping fails. */
static float *
map_block (size_t  bytes,
           size_t *mapped)
{
  void *block;

#if defined(MADV_HUGEPAGE) && defined(MADV_POPULATE_WRITE)
  block = mmap (NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (block != MAP_FAILED)
    {
      /* the hint may be refused (THP off): the populate still works */
      madvise (block, bytes, MADV_HUGEPAGE);
      if (madvise (block, bytes, MADV_POPULATE_WRITE) == 0)
        {
          *mapped = bytes;
          return block;
        }
      munmap (block, bytes);
    }
#endif
  block = mmap (NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (block == MAP_FAILED)
    return NULL;
  *mapped = bytes;
  return block;
}

AeTrace *
ae_trace_new (size_t n_layer,
              size_t n_head,
              size_t n_tokens,
              size_t n_embd)
{
  if (n_head == 0 || n_embd % n_head != 0)
    return NULL;
  return ae_trace_new_gqa (n_layer, n_head, n_head, n_tokens, n_embd, n_embd / n_head);
}

AeTrace *
ae_trace_new_gqa (size_t n_layer,
                  size_t n_head,
                  size_t n_kv_head,
                  size_t n_tokens,
                  size_t n_embd,
                  size_t head_size)
{
  return ae_trace_alloc (n_layer, 0, n_head, n_kv_head, n_tokens, n_embd, head_size,
                         AE_TRACE_KEEP_ATTENTION | AE_TRACE_HIDDEN);
}

AeTrace *
ae_trace_alloc (size_t       n_layer,
                size_t       first_layer,
                size_t       n_head,
                size_t       n_kv_head,
                size_t       n_tokens,
                size_t       n_embd,
                size_t       head_size,
                AeTraceFlags flags)
{
  /* L: the layers that get arrays */
  size_t L = n_layer - first_layer, NH = n_head, NKV = n_kv_head, T = n_tokens, C = n_embd;
  size_t hs = head_size;
  size_t sizes[N_TRACE_ARRAYS];
  size_t LTC, LTQ, LTKV, LTT, total = 0;
  float **ptrs[N_TRACE_ARRAYS];
  bool keep = (flags & AE_TRACE_KEEP_ATTENTION) != 0;
  AeTrace *trace;
  float *p;

  if (NH == 0 || NKV == 0 || NH % NKV != 0 || (first_layer > 0 && first_layer >= n_layer))
    return NULL;

  /* L·T·C, L·T·NH·hs, L·T·NKV·hs and L·NH·T·T, refusing sizes that would
   * wrap around. */
  if (__builtin_mul_overflow (L, T, &LTC) ||
      __builtin_mul_overflow (LTC, NH * hs, &LTQ) ||
      __builtin_mul_overflow (LTC, NKV * hs, &LTKV) ||
      __builtin_mul_overflow (LTC, C, &LTC))
    return NULL;
  /* only a full trace has (T, T) arrays that could overflow */
  if (__builtin_mul_overflow (L * T, NH, &LTT) ||
      __builtin_mul_overflow (LTT, T, &LTT))
    {
      if (keep)
        return NULL;
      LTT = 0;
    }

  trace = calloc (1, sizeof *trace);
  if (trace == NULL)
    return NULL;

  trace->n_layer = n_layer;
  trace->first_layer = first_layer;
  trace->n_head = NH;
  trace->n_tokens = T;
  trace->n_kv_head = NKV;
  trace->n_embd = C;
  trace->head_size = hs;

  sizes[0] = LTC;   ptrs[0] = &trace->ln1;       /* (L, T, C) */
  sizes[1] = LTQ;   ptrs[1] = &trace->q;         /* (L, NH, T, hs) */
  sizes[2] = LTKV;  ptrs[2] = &trace->k;         /* (L, NKV, T, hs) */
  sizes[3] = LTKV;  ptrs[3] = &trace->v;         /* (L, NKV, T, hs) */
  sizes[4] = keep ? LTT : 0;  ptrs[4] = &trace->scores;    /* (L, NH, T, T) */
  sizes[5] = keep ? LTT : 0;  ptrs[5] = &trace->weights;   /* (L, NH, T, T) */
  sizes[6] = LTQ;   ptrs[6] = &trace->head_out;  /* (L, NH, T, hs) */
  sizes[7] = LTC;   ptrs[7] = &trace->attn_out;  /* (L, T, C) */
  sizes[8] = LTC;   ptrs[8] = &trace->resid;     /* (L, T, C) */
  sizes[9] = flags & AE_TRACE_HIDDEN ? T * C : 0;  ptrs[9] = &trace->hidden;  /* (T, C) */

  for (size_t i = 0; i < N_TRACE_ARRAYS; i++)
    if (__builtin_add_overflow (total, sizes[i], &total))
      {
        free (trace);
        return NULL;
      }

  if (total > SIZE_MAX / sizeof (float))
    {
      free (trace);
      return NULL;
    }

  trace->n_floats = total;
  trace->layer_scale = malloc ((n_layer > 0 ? n_layer : 1) * sizeof (float));
  trace->heads = ae_trace_heads_new ();
  if (trace->layer_scale == NULL || trace->heads == NULL)
    {
      ae_trace_free (trace);
      return NULL;
    }
  for (size_t l = 0; l < n_layer; l++)
    trace->layer_scale[l] = hs > 0 ? 1.0f / sqrtf ((float) hs) : 1.0f;

  if (total * sizeof (float) >= TRACE_MAP_MIN_BYTES)
    trace->memory = map_block (total * sizeof (float), &trace->mapped_bytes);
  if (trace->memory == NULL)
    trace->memory = calloc (total > 0 ? total : 1, sizeof (float));
  if (trace->memory == NULL)
    {
      ae_trace_free (trace);
      return NULL;
    }

  p = trace->memory;
  for (size_t i = 0; i < N_TRACE_ARRAYS; i++)
    {
      /* an array the flags leave out stays NULL (an empty one of T == 0 does not) */
      bool wanted = i == 4 || i == 5 ? keep : i == 9 ? (flags & AE_TRACE_HIDDEN) != 0 : true;

      *ptrs[i] = wanted ? p : NULL;
      p += sizes[i];
    }

  return trace;
}

void
ae_trace_free (AeTrace *trace)
{
  if (trace == NULL)
    return;

  ae_trace_heads_free (trace->heads);
  if (trace->rows_data_free != NULL)
    trace->rows_data_free (trace->rows_data);
  if (trace->mapped_bytes > 0)
    munmap (trace->memory, trace->mapped_bytes);
  else
    free (trace->memory);
  free (trace->layer_scale);
  free (trace->ids);
  free (trace);
}

/* The (T, per_token) block of one head in an (L, NH, T, per_token) array
 * (L: the layers kept). */
static const float *
head_block (const AeTrace *trace,
            const float   *array,
            size_t         layer,
            size_t         head,
            size_t         per_token)
{
  if (!ae_trace_has_layer (trace, layer) || head >= trace->n_head)
    return NULL;

  return array + (((layer - trace->first_layer) * trace->n_head + head) * trace->n_tokens) * per_token;
}

const float *
ae_trace_weights (const AeTrace *trace, size_t layer, size_t head)
{
  if (trace == NULL || trace->weights != NULL)
    return trace ? head_block (trace, trace->weights, layer, head, trace->n_tokens) : NULL;
  return ae_trace_heads_kept (trace, layer, head, false);
}

const float *
ae_trace_scores (const AeTrace *trace, size_t layer, size_t head)
{
  if (trace == NULL || trace->scores != NULL)
    return trace ? head_block (trace, trace->scores, layer, head, trace->n_tokens) : NULL;
  return ae_trace_heads_kept (trace, layer, head, true);
}

const float *
ae_trace_q (const AeTrace *trace, size_t layer, size_t head)
{
  return trace ? head_block (trace, trace->q, layer, head, trace->head_size) : NULL;
}

size_t
ae_trace_kv_head (const AeTrace *trace,
                  size_t         head)
{
  return head / (trace->n_head / trace->n_kv_head);
}

/* k and v are kept once per key/value head: the query heads that share one
 * read the same block. */
static const float *
kv_block (const AeTrace *trace,
          const float   *array,
          size_t         layer,
          size_t         head)
{
  if (!ae_trace_has_layer (trace, layer) || head >= trace->n_head)
    return NULL;

  return array + (((layer - trace->first_layer) * trace->n_kv_head + ae_trace_kv_head (trace, head))
                  * trace->n_tokens) * trace->head_size;
}

const float *
ae_trace_k (const AeTrace *trace, size_t layer, size_t head)
{
  return kv_block (trace, trace->k, layer, head);
}

const float *
ae_trace_v (const AeTrace *trace, size_t layer, size_t head)
{
  return kv_block (trace, trace->v, layer, head);
}

const float *
ae_trace_head_out (const AeTrace *trace, size_t layer, size_t head)
{
  return trace ? head_block (trace, trace->head_out, layer, head, trace->head_size) : NULL;
}

/* The (T, C) block of one layer in an (L, T, C) array. */
static const float *
layer_block (const AeTrace *trace,
             const float   *array,
             size_t         layer)
{
  if (!ae_trace_has_layer (trace, layer))
    return NULL;

  return array + (layer - trace->first_layer) * trace->n_tokens * trace->n_embd;
}

const float *
ae_trace_ln1 (const AeTrace *trace, size_t layer)
{
  return trace ? layer_block (trace, trace->ln1, layer) : NULL;
}

const float *
ae_trace_attn_out (const AeTrace *trace, size_t layer)
{
  return trace ? layer_block (trace, trace->attn_out, layer) : NULL;
}

const float *
ae_trace_resid (const AeTrace *trace, size_t layer)
{
  if (trace != NULL && layer == trace->n_layer)
    return trace->hidden;
  return trace ? layer_block (trace, trace->resid, layer) : NULL;
}
