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
#include <string.h>

#include "ae-attention.h"
#include "ae-threads.h"
#include "ae-trace-heads-private.h"

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
  size_t T;
  float *block;
  double *acc;

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

  block = malloc (AE_ATTENTION_BLOCK * T * sizeof (float));
  acc = malloc (n_cols * sizeof (double));
  if (block == NULL || acc == NULL)
    {
      free (block);
      free (acc);
      return ae_error_set (error, AE_STATUS_NO_MEMORY,
                           "out of memory for a block of attention rows over %zu tokens", T);
    }

  for (size_t a = 0; a < n_rows; a++)
    {
      size_t s = cell_start (a, n_rows, T), e = cell_end (a, n_rows, T);

      for (size_t b = 0; b < n_cols; b++)
        acc[b] = 0.0;
      /* the cell row's queries, a block of rows at a time */
      for (size_t r0 = s; r0 < e; r0 += AE_ATTENTION_BLOCK)
        {
          size_t r1 = r0 + AE_ATTENTION_BLOCK < e ? r0 + AE_ATTENTION_BLOCK : e;

          ae_trace_head_rows (trace, layer, head, r0, r1, NULL, 0, block, T, NULL);
          for (size_t i = 0; i < r1 - r0; i++)
            for (size_t b = 0; b < n_cols; b++)
              {
                const float *w = block + i * T;
                size_t cs = cell_start (b, n_cols, T), ce = cell_end (b, n_cols, T);

                if (pool == AE_POOL_MAX)
                  for (size_t j = cs; j < ce; j++)
                    acc[b] = w[j] > acc[b] ? w[j] : acc[b];
                else
                  for (size_t j = cs; j < ce; j++)
                    acc[b] += w[j];
              }
        }
      for (size_t b = 0; b < n_cols; b++)
        {
          size_t cells = (e - s) * (cell_end (b, n_cols, T) - cell_start (b, n_cols, T));

          out[a * n_cols + b] = (float) (pool == AE_POOL_MAX ? acc[b] : acc[b] / (double) cells);
        }
    }

  free (block);
  free (acc);
  return AE_STATUS_OK;
}
