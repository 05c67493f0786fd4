/* ae-trace.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything one forward pass computed inside attention, for every layer and
 * head, kept so that views, statistics and the walkthrough read the very
 * numbers the model used.  All float32, row-major, carved from one block
 * (llm.c's habit).  Shape letters: L layers, NH heads, NKV key/value heads,
 * T tokens, C = d_model, hs head size (C / NH unless the model says otherwise).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "ae-status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct
{
  size_t n_layer, n_head, n_kv_head, n_tokens, n_embd, head_size;
  size_t window;    /* sliding window: a query sees the `window` latest keys; 0: all */
  bool bidirectional; /* an encoder's: no mask, every query sees every key */

  float *ln1;       /* (L, T, C)      input to attention: the residual stream after the first norm */
  float *q;         /* (L, NH, T, hs)  as used in the dot product: after rotary positions */
  float *k;         /* (L, NKV, T, hs) likewise; one block per key/value head (GQA) */
  float *v;         /* (L, NKV, T, hs) */
  float *scores;    /* (L, NH, T, T)  q·k · scale; 0 where masked (key > query unless bidirectional) */
  float *weights;   /* (L, NH, T, T)  softmax of each row; exactly 0 where masked */
  float *head_out;  /* (L, NH, T, hs) sum over keys of weight · v */
  float *attn_out;  /* (L, T, C)      heads joined, times c_proj, plus its bias */

  float *memory;    /* the single allocation behind every array above */
  size_t n_floats;
  size_t mapped_bytes; /* > 0 when memory is an mmap of that size, not malloc */
} AeTrace;

/* Allocates a zeroed trace; NULL when memory runs out.  hs = C / NH and one
 * k/v head per head. */
AeTrace     *ae_trace_new       (size_t n_layer,
                                 size_t n_head,
                                 size_t n_tokens,
                                 size_t n_embd);
/* The same with @n_kv_head key/value heads (dividing @n_head) and a head
 * size of its own. */
AeTrace     *ae_trace_new_gqa   (size_t n_layer,
                                 size_t n_head,
                                 size_t n_kv_head,
                                 size_t n_tokens,
                                 size_t n_embd,
                                 size_t head_size);

/* The key/value head query head @head reads: head / (NH / NKV). */
size_t       ae_trace_kv_head   (const AeTrace *trace,
                                 size_t         head);
void         ae_trace_free      (AeTrace       *trace);

/* Borrowed (T, T) blocks and (T, hs) rows of one head; NULL when out of
 * range.  k and v of a query head are those of its key/value head. */
const float *ae_trace_weights   (const AeTrace *trace, size_t layer, size_t head);
const float *ae_trace_scores    (const AeTrace *trace, size_t layer, size_t head);
const float *ae_trace_q         (const AeTrace *trace, size_t layer, size_t head);
const float *ae_trace_k         (const AeTrace *trace, size_t layer, size_t head);
const float *ae_trace_v         (const AeTrace *trace, size_t layer, size_t head);
const float *ae_trace_head_out  (const AeTrace *trace, size_t layer, size_t head);
const float *ae_trace_ln1       (const AeTrace *trace, size_t layer);
const float *ae_trace_attn_out  (const AeTrace *trace, size_t layer);

/* The causal mask: a query never sees keys after it. */
static inline bool
ae_trace_is_masked (size_t query, size_t key)
{
  return key > query;
}

/* The causal mask and the sliding window (Mistral) of @trace; nothing for
 * an encoder. */
static inline bool
ae_trace_is_masked_in (const AeTrace *trace, size_t query, size_t key)
{
  if (trace->bidirectional)
    return false;
  return key > query || (trace->window > 0 && query - key >= trace->window);
}

#ifdef __cplusplus
}
#endif
