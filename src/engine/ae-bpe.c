/* ae-bpe.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The BPE merge core, shared by every tokenizer model: the merge table keyed
 * by id pairs in one flat open-addressing hash table (no "a b" strings after
 * loading), and the merge loop as Hugging Face's tokenizers runs it, with a
 * binary heap of candidate pairs over a doubly linked list of symbols:
 *
 *   - every adjacent pair with a rank goes into the heap, keyed by
 *     (rank, position), so the lowest rank wins and ties go to the left;
 *   - popping an entry merges the pair if it is still there (a merge nearby
 *     may have consumed either symbol: entries are checked, not deleted);
 *   - the merged symbol's two new neighbour pairs are pushed.
 *
 * That is O(n log n) in a word's length where rescanning every pair after
 * each merge round (encoder.py's loop) is quadratic: one 1 MB word of letters
 * took most of a minute.  For merge lists learnt by BPE training -- a merged
 * token's own merges always rank after the merge that made it -- the order
 * gives exactly encoder.py's result; tests/test-tokenizer.c checks that on
 * GPT-2's fixtures.
 */

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ae-tokenizer-private.h"

#define EMPTY_KEY UINT64_MAX

/* How many merges between two looks at the cancel flag. */
#define CANCEL_STRIDE 4096

static inline uint64_t
pair_key (int32_t left,
          int32_t right)
{
  return ((uint64_t) (uint32_t) left << 32) | (uint32_t) right;
}

static inline size_t
pair_hash (uint64_t key,
           size_t   mask)
{
  key ^= key >> 33;             /* murmur3's finaliser: ids are dense, spread them */
  key *= 0xff51afd7ed558ccdu;
  key ^= key >> 33;
  return (size_t) key & mask;
}

AeStatus
ae_merges_init (AeMerges *merges,
                size_t    capacity,
                AeError  *error)
{
  size_t slots = 64;

  memset (merges, 0, sizeof *merges);
  while (slots < 2 * capacity)
    slots *= 2;

  merges->keys = malloc (slots * sizeof *merges->keys);
  merges->ranks = malloc (slots * sizeof *merges->ranks);
  merges->merged = malloc (slots * sizeof *merges->merged);
  merges->mask = slots - 1;
  if (merges->keys == NULL || merges->ranks == NULL || merges->merged == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory for the merges");
  memset (merges->keys, 0xff, slots * sizeof *merges->keys);

  return AE_STATUS_OK;
}

/* The caller sized the table for all its merges (at most half full). */
void
ae_merges_add (AeMerges *merges,
               int32_t   left,
               int32_t   right,
               uint32_t  rank,
               int32_t   merged)
{
  uint64_t key = pair_key (left, right);
  size_t i = pair_hash (key, merges->mask);

  while (merges->keys[i] != EMPTY_KEY && merges->keys[i] != key)
    i = (i + 1) & merges->mask;
  if (merges->keys[i] == EMPTY_KEY)
    merges->n++;
  merges->keys[i] = key;
  merges->ranks[i] = rank;
  merges->merged[i] = merged;
}

bool
ae_merges_find (const AeMerges *merges,
                int32_t         left,
                int32_t         right,
                uint32_t       *rank,
                int32_t        *merged)
{
  uint64_t key = pair_key (left, right);
  size_t i = pair_hash (key, merges->mask);

  for (; merges->keys[i] != EMPTY_KEY; i = (i + 1) & merges->mask)
    if (merges->keys[i] == key)
      {
        *rank = merges->ranks[i];
        *merged = merges->merged[i];
        return true;
      }
  return false;
}

void
ae_merges_clear (AeMerges *merges)
{
  free (merges->keys);
  free (merges->ranks);
  free (merges->merged);
  memset (merges, 0, sizeof *merges);
}

/* ------------------------------------------------------------------------ */
/* Scratch                                                                   */

bool
ae_bpe_reserve (AeBpeScratch *scratch,
                size_t        n_symbols,
                size_t        n_buf)
{
  void *p;

  if (n_symbols > scratch->symbols_cap)
    {
      if ((p = realloc (scratch->symbols, n_symbols * sizeof *scratch->symbols)) == NULL)
        return false;
      scratch->symbols = p;
      scratch->symbols_cap = n_symbols;
    }
  /* Each merge pushes at most two pairs on top of the first n - 1. */
  if (3 * n_symbols > scratch->heap_cap)
    {
      if ((p = realloc (scratch->heap, 3 * n_symbols * sizeof *scratch->heap)) == NULL)
        return false;
      scratch->heap = p;
      scratch->heap_cap = 3 * n_symbols;
    }
  if (n_buf + 1 > scratch->buf_cap)
    {
      if ((p = realloc (scratch->buf, n_buf + 1)) == NULL)
        return false;
      scratch->buf = p;
      scratch->buf_cap = n_buf + 1;
    }
  return true;
}

void
ae_bpe_scratch_clear (AeBpeScratch *scratch)
{
  free (scratch->symbols);
  free (scratch->heap);
  free (scratch->buf);
  memset (scratch, 0, sizeof *scratch);
}

/* ------------------------------------------------------------------------ */
/* The heap: entries are (rank << 32) | position, so comparing the integers   */
/* orders by rank, then leftmost.                                            */

static void
heap_push (uint64_t *heap,
           size_t   *n,
           uint64_t  entry)
{
  size_t i = (*n)++;

  while (i > 0)
    {
      size_t parent = (i - 1) / 2;

      if (heap[parent] <= entry)
        break;
      heap[i] = heap[parent];
      i = parent;
    }
  heap[i] = entry;
}

static uint64_t
heap_pop (uint64_t *heap,
          size_t   *n)
{
  uint64_t top = heap[0];
  uint64_t last = heap[--(*n)];
  size_t i = 0;

  for (;;)
    {
      size_t child = 2 * i + 1;

      if (child >= *n)
        break;
      if (child + 1 < *n && heap[child + 1] < heap[child])
        child++;
      if (last <= heap[child])
        break;
      heap[i] = heap[child];
      i = child;
    }
  if (*n > 0)
    heap[i] = last;
  return top;
}

static void
push_pair (const AeMerges *merges,
           AeBpeScratch   *scratch,
           size_t         *n_heap,
           int32_t         left)
{
  const AeSymbol *a = &scratch->symbols[left];
  uint32_t rank;
  int32_t merged;

  if (a->next >= 0
      && ae_merges_find (merges, a->id, scratch->symbols[a->next].id, &rank, &merged))
    heap_push (scratch->heap, n_heap, ((uint64_t) rank << 32) | (uint32_t) left);
}

AeStatus
ae_bpe_merge (const AeMerges   *merges,
              AeBpeScratch     *scratch,
              size_t            n,
              const atomic_int *cancel,
              AeError          *error)
{
  AeSymbol *sym = scratch->symbols;
  size_t n_heap = 0;
  size_t since_check = 0;

  if (n > (size_t) INT32_MAX)
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                         "a single word of %zu symbols is too long to tokenize", n);

  for (size_t i = 0; i + 1 < n; i++)
    push_pair (merges, scratch, &n_heap, (int32_t) i);

  while (n_heap > 0)
    {
      uint64_t top = heap_pop (scratch->heap, &n_heap);
      int32_t pos = (int32_t) (uint32_t) top;
      uint32_t want_rank = (uint32_t) (top >> 32);
      AeSymbol *a = &sym[pos];
      AeSymbol *b;
      uint32_t rank;
      int32_t merged;

      /* Stale entries: the left symbol was absorbed (id -1), or the pair
       * changed since the push; a rank names one pair, so the same rank
       * means the same pair. */
      if (a->id < 0 || a->next < 0)
        continue;
      b = &sym[a->next];
      if (!ae_merges_find (merges, a->id, b->id, &rank, &merged) || rank != want_rank)
        continue;

      a->id = merged;
      a->end = b->end;
      a->next = b->next;
      if (b->next >= 0)
        sym[b->next].prev = pos;
      b->id = -1;
      scratch->merges_done++;

      if (a->prev >= 0)
        push_pair (merges, scratch, &n_heap, a->prev);
      push_pair (merges, scratch, &n_heap, pos);

      if (cancel != NULL && ++since_check == CANCEL_STRIDE)
        {
          since_check = 0;
          if (atomic_load_explicit (cancel, memory_order_relaxed))
            return ae_error_set (error, AE_STATUS_CANCELLED, "tokenizing was cancelled");
        }
    }

  return AE_STATUS_OK;
}
