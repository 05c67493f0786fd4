/* ae-trace-heads.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A head's (T, T) scores and weights, on demand.  A linear trace keeps q and
 * k and each layer's scale; ae_attention_rows(), the forward pass's own
 * kernel, turns them into any block of rows, bit for bit what the pass used.
 *
 * Whole heads live in entries of one allocation (scores then weights),
 * reference-counted so that a view may hold one while another thread asks
 * for more.  A trace has two kinds: "kept" entries, made for the borrowed
 * pointers of ae_trace_weights() and never dropped before the trace, and a
 * short least-recently-used list for ae_trace_head_get(), which lets go of
 * its oldest entries past its limit (whoever still holds one keeps it
 * alive).  A head is computed with the trace's lock released, so two
 * threads asking for different heads compute them at the same time; should
 * both ask for the same one, the second result is thrown away.
 */

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

#include "ae-attention.h"
#include "ae-threads.h"
#include "ae-trace-heads-private.h"
#include "ae-vec.h"

#define DEFAULT_CACHE 4

/* Below this many cells a block of rows is computed on one thread. */
#define PARALLEL_MIN_CELLS (1 << 16)

typedef struct
{
  AeHeadAttention pub;   /* first: the public pointer is the entry's */
  atomic_int      refs;
  float          *data;  /* scores (T, T), then weights (T, T) */
} Entry;

struct _AeTraceHeads
{
  pthread_mutex_t lock;
  Entry         **kept;      /* (n_kept = L·NH), allocated on first use */
  size_t          n_kept;
  Entry         **recent;    /* oldest first */
  size_t          n_recent;
  size_t          limit;
};

AeTraceHeads *
ae_trace_heads_new (void)
{
  AeTraceHeads *heads = calloc (1, sizeof *heads);

  if (heads == NULL)
    return NULL;
  pthread_mutex_init (&heads->lock, NULL);
  heads->limit = DEFAULT_CACHE;
  return heads;
}

static void
entry_unref (Entry *entry)
{
  if (entry != NULL && atomic_fetch_sub (&entry->refs, 1) == 1)
    {
      free (entry->data);
      free (entry);
    }
}

void
ae_head_attention_release (const AeHeadAttention *head)
{
  entry_unref ((Entry *) head);
}

/* Lets go of the oldest entries past the limit.  Called with the lock. */
static void
trim_recent (AeTraceHeads *heads)
{
  size_t drop = heads->n_recent > heads->limit ? heads->n_recent - heads->limit : 0;

  if (drop == 0)
    return;
  for (size_t i = 0; i < drop; i++)
    entry_unref (heads->recent[i]);
  memmove (heads->recent, heads->recent + drop, (heads->n_recent - drop) * sizeof (Entry *));
  heads->n_recent -= drop;
}

void
ae_trace_heads_free (AeTraceHeads *heads)
{
  if (heads == NULL)
    return;
  heads->limit = 0;
  trim_recent (heads);
  free (heads->recent);
  for (size_t i = 0; i < heads->n_kept; i++)
    entry_unref (heads->kept[i]);
  free (heads->kept);
  pthread_mutex_destroy (&heads->lock);
  free (heads);
}

void
ae_trace_set_head_cache (AeTrace *trace,
                         size_t   n_heads)
{
  pthread_mutex_lock (&trace->heads->lock);
  trace->heads->limit = n_heads;
  trim_recent (trace->heads);
  pthread_mutex_unlock (&trace->heads->lock);
}

size_t
ae_trace_heads_held (const AeTrace *trace)
{
  size_t n;

  pthread_mutex_lock (&trace->heads->lock);
  n = trace->heads->n_recent;
  for (size_t i = 0; i < trace->heads->n_kept; i++)
    n += trace->heads->kept[i] != NULL;
  pthread_mutex_unlock (&trace->heads->lock);
  return n;
}

static AeStatus
check_head (const AeTrace *trace,
            size_t         layer,
            size_t         head,
            AeError       *error)
{
  if (trace == NULL || layer >= trace->n_layer || head >= trace->n_head)
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                         "there is no head %zu of layer %zu in this trace (it has %zu layers of %zu heads)",
                         head, layer, trace ? trace->n_layer : 0, trace ? trace->n_head : 0);
  if (!ae_trace_has_layer (trace, layer))
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                         "layer %zu was run but not kept by this pass (it kept layers %zu to %zu)",
                         layer, trace->first_layer, trace->n_layer - 1);
  return AE_STATUS_OK;
}

AeStatus
ae_trace_head_rows (const AeTrace *trace,
                    size_t         layer,
                    size_t         head,
                    size_t         r0,
                    size_t         r1,
                    float         *scores,
                    size_t         lds,
                    float         *weights,
                    size_t         ldw,
                    AeError       *error)
{
  AeStatus status = check_head (trace, layer, head, error);
  size_t T, hs, n_blocks;
  const float *q, *k;
  float scale;

  if (status != AE_STATUS_OK)
    return status;
  T = trace->n_tokens;
  if (r0 > r1 || r1 > T || weights == NULL || ldw < T || (scores != NULL && lds < T))
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                         "rows %zu to %zu of a head over %zu tokens (or its buffers) are out of range",
                         r0, r1, T);

  if (trace->rows_func != NULL)
    {
      status = trace->rows_func (trace, trace->rows_data, layer, head, r0, r1, weights, ldw, error);
      for (size_t i = r0; status == AE_STATUS_OK && scores != NULL && i < r1; i++)
        for (size_t j = 0; j < T; j++)
          scores[(i - r0) * lds + j] = NAN;
      return status;
    }

  if (ae_trace_keeps_attention (trace))
    {
      const float *ws = ae_trace_weights (trace, layer, head);
      const float *ss = ae_trace_scores (trace, layer, head);

      for (size_t i = r0; i < r1; i++)
        {
          memcpy (weights + (i - r0) * ldw, ws + i * T, T * sizeof (float));
          if (scores != NULL)
            memcpy (scores + (i - r0) * lds, ss + i * T, T * sizeof (float));
        }
      return AE_STATUS_OK;
    }

  q = ae_trace_q (trace, layer, head);
  k = ae_trace_k (trace, layer, head);
  hs = trace->head_size;
  scale = trace->layer_scale[layer];
  n_blocks = (r1 - r0 + AE_ATTENTION_BLOCK - 1) / AE_ATTENTION_BLOCK;

  /* Blocks of rows on the engine's threads when there is enough work
   * (inside another parallel region, on this one): each number depends
   * only on its row, so the split changes none. */
  ae_threads_apply ();
#pragma omp parallel for schedule(dynamic, 1) if ((r1 - r0) * T >= PARALLEL_MIN_CELLS)
  for (size_t b = 0; b < n_blocks; b++)
    {
      size_t a0 = r0 + b * AE_ATTENTION_BLOCK;
      size_t a1 = a0 + AE_ATTENTION_BLOCK < r1 ? a0 + AE_ATTENTION_BLOCK : r1;

      ae_attention_rows (scores ? scores + (a0 - r0) * lds : NULL, lds,
                         weights + (a0 - r0) * ldw, ldw, q, k, hs, T, a0, a1,
                         scale, trace->window, trace->bidirectional);
    }
  return AE_STATUS_OK;
}

/* A new entry holding the whole head (one reference), or NULL. */
static Entry *
compute_entry (const AeTrace *trace,
               size_t         layer,
               size_t         head,
               AeError       *error)
{
  size_t T = trace->n_tokens;
  Entry *entry = calloc (1, sizeof *entry);

  if (entry != NULL)
    entry->data = malloc ((T > 0 ? 2 * T * T : 1) * sizeof (float));
  if (entry == NULL || entry->data == NULL)
    {
      if (entry != NULL)
        free (entry);
      ae_error_set (error, AE_STATUS_NO_MEMORY,
                    "out of memory for the attention of one head over %zu tokens", T);
      return NULL;
    }
  atomic_init (&entry->refs, 1);
  entry->pub.layer = layer;
  entry->pub.head = head;
  entry->pub.n_tokens = T;
  entry->pub.scores = entry->data;
  entry->pub.weights = entry->data + T * T;
  ae_trace_head_rows (trace, layer, head, 0, T, entry->data, T, entry->data + T * T, T, NULL);
  return entry;
}

/* The entry for (layer, head) among the recent ones, or NULL.  With the lock. */
static Entry *
find_recent (AeTraceHeads *heads,
             size_t        layer,
             size_t        head,
             size_t       *at)
{
  for (size_t i = 0; i < heads->n_recent; i++)
    if (heads->recent[i]->pub.layer == layer && heads->recent[i]->pub.head == head)
      {
        *at = i;
        return heads->recent[i];
      }
  return NULL;
}

/* Makes @entry the newest of the recent list (it is in it at @at, or
 * new when @at is n_recent).  With the lock; false when out of memory. */
static bool
make_newest (AeTraceHeads *heads,
             Entry        *entry,
             size_t        at)
{
  if (at == heads->n_recent)
    {
      Entry **grown = realloc (heads->recent, (heads->n_recent + 1) * sizeof (Entry *));

      if (grown == NULL)
        return false;
      heads->recent = grown;
      heads->n_recent++;
    }
  memmove (heads->recent + at, heads->recent + at + 1,
           (heads->n_recent - 1 - at) * sizeof (Entry *));
  heads->recent[heads->n_recent - 1] = entry;
  return true;
}

const AeHeadAttention *
ae_trace_head_get (const AeTrace *trace,
                   size_t         layer,
                   size_t         head,
                   AeError       *error)
{
  AeTraceHeads *heads;
  Entry *entry, *made = NULL;
  size_t at;

  if (check_head (trace, layer, head, error) != AE_STATUS_OK)
    return NULL;
  heads = trace->heads;

  for (;;)
    {
      pthread_mutex_lock (&heads->lock);
      entry = heads->kept != NULL ? heads->kept[layer * trace->n_head + head] : NULL;
      if (entry == NULL && (entry = find_recent (heads, layer, head, &at)) != NULL)
        make_newest (heads, entry, at);
      if (entry == NULL && made != NULL)
        {
          /* ours is the first: the list holds the reference it came with */
          if (!make_newest (heads, made, heads->n_recent))
            {
              pthread_mutex_unlock (&heads->lock);
              entry_unref (made);
              ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory for the head cache");
              return NULL;
            }
          entry = made;
          made = NULL;
        }
      if (entry != NULL)
        {
          atomic_fetch_add (&entry->refs, 1);
          trim_recent (heads);
        }
      pthread_mutex_unlock (&heads->lock);

      if (entry != NULL)
        {
          entry_unref (made);   /* another thread was quicker */
          return &entry->pub;
        }
      made = compute_entry (trace, layer, head, error);
      if (made == NULL)
        return NULL;
    }
}

const float *
ae_trace_heads_kept (const AeTrace *trace,
                     size_t         layer,
                     size_t         head,
                     bool           scores)
{
  AeTraceHeads *heads;
  Entry *made, *kept;
  size_t i, at;

  if (check_head (trace, layer, head, NULL) != AE_STATUS_OK)
    return NULL;
  heads = trace->heads;
  i = layer * trace->n_head + head;

  pthread_mutex_lock (&heads->lock);
  if (heads->kept == NULL)
    {
      heads->kept = calloc (trace->n_layer * trace->n_head, sizeof (Entry *));
      heads->n_kept = heads->kept ? trace->n_layer * trace->n_head : 0;
    }
  if (heads->kept != NULL && heads->kept[i] == NULL)
    {
      /* a head in the recent list moves to the kept ones with its reference */
      Entry *recent = find_recent (heads, layer, head, &at);

      if (recent != NULL)
        {
          heads->kept[i] = recent;
          memmove (heads->recent + at, heads->recent + at + 1,
                   (heads->n_recent - 1 - at) * sizeof (Entry *));
          heads->n_recent--;
        }
    }
  if (heads->kept == NULL || heads->kept[i] != NULL)
    {
      Entry *entry = heads->kept ? heads->kept[i] : NULL;

      pthread_mutex_unlock (&heads->lock);
      if (entry == NULL)
        return NULL;
      return scores ? entry->pub.scores : entry->pub.weights;
    }
  pthread_mutex_unlock (&heads->lock);

  /* not there: compute it, and keep it unless another thread was quicker */
  made = compute_entry (trace, layer, head, NULL);
  if (made == NULL)
    return NULL;
  pthread_mutex_lock (&heads->lock);
  if (heads->kept[i] == NULL)
    {
      heads->kept[i] = made;
      made = NULL;
    }
  kept = heads->kept[i];
  pthread_mutex_unlock (&heads->lock);
  entry_unref (made);
  return scores ? kept->pub.scores : kept->pub.weights;
}

/* Where cell @a of @n starts over @T items (each cell at least one). */
static size_t
cell_start (size_t a, size_t n, size_t T)
{
  return a * T / n;
}

static size_t
cell_end (size_t a, size_t n, size_t T)
{
  size_t s = cell_start (a, n, T), e = (a + 1) * T / n;

  return e > s ? e : (s + 1 < T ? s + 1 : T);
}

/* The head's weights when they are already in memory: a full trace's, or
 * a linear trace's kept or recently viewed head (the heatmap holds the
 * head it shows, then pools it for its fitted map and its overview).
 * Reading them is one pass over memory, computing them again the forward
 * pass's kernel over every row.  *ref is a reference to release (NULL
 * for a full trace's or a kept head, which live as long as the trace). */
static const float *
held_weights (const AeTrace *trace,
              size_t         layer,
              size_t         head,
              Entry        **ref)
{
  AeTraceHeads *heads = trace->heads;
  const float *weights = NULL;
  Entry *entry;
  size_t at;

  *ref = NULL;
  if (ae_trace_keeps_attention (trace))
    return ae_trace_weights (trace, layer, head);

  pthread_mutex_lock (&heads->lock);
  entry = heads->kept != NULL ? heads->kept[layer * trace->n_head + head] : NULL;
  if (entry == NULL && (entry = find_recent (heads, layer, head, &at)) != NULL)
    {
      atomic_fetch_add (&entry->refs, 1);
      *ref = entry;
    }
  if (entry != NULL)
    weights = entry->pub.weights;
  pthread_mutex_unlock (&heads->lock);
  return weights;
}

bool
ae_trace_head_in_memory (const AeTrace *trace,
                         size_t         layer,
                         size_t         head)
{
  Entry *ref;
  bool held;

  if (check_head (trace, layer, head, NULL) != AE_STATUS_OK)
    return false;
  held = held_weights (trace, layer, head, &ref) != NULL;
  entry_unref (ref);
  return held;
}

/* Rows of one head in increasing order: from the held weights, or
 * computed a block at a time (a block is enough rows for the kernel to
 * use every thread). */
typedef struct
{
  const AeTrace *trace;
  size_t         layer, head;
  const float   *held;
  float         *block;     /* AE_ATTENTION_BLOCK rows when not held */
  size_t         b0, b1;    /* rows in block */
} RowSource;

static const float *
row_source_get (RowSource *src,
                size_t     q)
{
  size_t T = src->trace->n_tokens;

  if (src->held != NULL)
    return src->held + q * T;
  if (q < src->b0 || q >= src->b1)
    {
      src->b0 = q;
      src->b1 = q + AE_ATTENTION_BLOCK < T ? q + AE_ATTENTION_BLOCK : T;
      ae_trace_head_rows (src->trace, src->layer, src->head, src->b0, src->b1, NULL, 0, src->block, T, NULL);
    }
  return src->block + (q - src->b0) * T;
}

/* acc[j] = max (acc[j], w[j]): a vector max over eight or sixteen keys at
 * a time, where the scalar loop compared one weight per cycle.  NaN never
 * wins, as in the comparison it replaces. */
VEC_CLONES
static void
max_into (float       *restrict acc,
          const float *restrict w,
          size_t                n)
{
  for (size_t j = 0; j < n; j++)
    acc[j] = w[j] > acc[j] ? w[j] : acc[j];
}

/* Max pooling as rows, then columns: the cell row's queries folded into
 * one row of keys (vectorised, and for a causal head only the keys a query
 * sees: the rest are masked zeros, which the pool's start at 0 covers),
 * then that row's keys into the cells.  Each cell gets the largest of the
 * weights it covers, whatever the order, so the numbers are those of the
 * cell-by-cell loop this replaced, which made the first fitted heatmap
 * frame at T = 4,096 cost 25 ms of CPU (now 11: bench-ui --long-only). */
static void
pool_max (RowSource *src,
          size_t     n_rows,
          size_t     n_cols,
          float     *acc,
          float     *out)
{
  size_t T = src->trace->n_tokens;
  bool causal = !src->trace->bidirectional;

  for (size_t a = 0; a < n_rows; a++)
    {
      size_t s = cell_start (a, n_rows, T), e = cell_end (a, n_rows, T);
      size_t limit = causal ? e : T;   /* no query of the cell sees a key past e - 1 */

      memset (acc, 0, limit * sizeof (float));
      for (size_t q = s; q < e; q++)
        max_into (acc, row_source_get (src, q), causal ? q + 1 : T);
      for (size_t b = 0; b < n_cols; b++)
        {
          size_t cs = cell_start (b, n_cols, T), ce = cell_end (b, n_cols, T);
          float m = 0.0f;

          for (size_t j = cs; j < (ce < limit ? ce : limit); j++)
            m = acc[j] > m ? acc[j] : m;
          out[a * n_cols + b] = m;
        }
    }
}

static void
pool_mean (RowSource *src,
           size_t     n_rows,
           size_t     n_cols,
           double    *acc,
           float     *out)
{
  size_t T = src->trace->n_tokens;

  for (size_t a = 0; a < n_rows; a++)
    {
      size_t s = cell_start (a, n_rows, T), e = cell_end (a, n_rows, T);

      for (size_t b = 0; b < n_cols; b++)
        acc[b] = 0.0;
      for (size_t q = s; q < e; q++)
        {
          const float *w = row_source_get (src, q);

          for (size_t b = 0; b < n_cols; b++)
            for (size_t j = cell_start (b, n_cols, T); j < cell_end (b, n_cols, T); j++)
              acc[b] += w[j];
        }
      for (size_t b = 0; b < n_cols; b++)
        {
          size_t cells = (e - s) * (cell_end (b, n_cols, T) - cell_start (b, n_cols, T));

          out[a * n_cols + b] = (float) (acc[b] / (double) cells);
        }
    }
}

AeStatus
ae_trace_head_pooled (const AeTrace *trace,
                      size_t         layer,
                      size_t         head,
                      size_t         n_rows,
                      size_t         n_cols,
                      AePool         pool,
                      float         *out,
                      AeError       *error)
{
  AeStatus status = check_head (trace, layer, head, error);
  RowSource src = { trace, layer, head, NULL, NULL, 0, 0 };
  Entry *ref = NULL;
  size_t T;
  void *acc;

  if (status != AE_STATUS_OK)
    return status;
  if (n_rows == 0 || n_cols == 0)
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT, "a pooled head needs at least one cell");
  T = trace->n_tokens;
  if (T == 0)
    {
      memset (out, 0, n_rows * n_cols * sizeof (float));
      return AE_STATUS_OK;
    }

  src.held = held_weights (trace, layer, head, &ref);
  if (src.held == NULL)
    src.block = malloc (AE_ATTENTION_BLOCK * T * sizeof (float));
  acc = pool == AE_POOL_MAX ? malloc (T * sizeof (float)) : malloc (n_cols * sizeof (double));
  if ((src.held == NULL && src.block == NULL) || acc == NULL)
    {
      free (src.block);
      free (acc);
      entry_unref (ref);
      return ae_error_set (error, AE_STATUS_NO_MEMORY,
                           "out of memory for a block of attention rows over %zu tokens", T);
    }

  if (pool == AE_POOL_MAX)
    pool_max (&src, n_rows, n_cols, acc, out);
  else
    pool_mean (&src, n_rows, n_cols, acc, out);

  free (src.block);
  free (acc);
  entry_unref (ref);
  return AE_STATUS_OK;
}
