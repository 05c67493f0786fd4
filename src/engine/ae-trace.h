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
 *
 * Two kinds of trace (issue 13):
 *
 * - A *linear* trace (what ae_model_run() makes unless asked otherwise)
 *   keeps only what grows with T: per layer the attention input, q, k, v,
 *   head outputs, attention output and residual stream.  Its scores and
 *   weights arrays are NULL: a head's (T, T) scores and weights are computed
 *   again from the kept q and k when asked for, by the forward pass's own
 *   kernel (ae-attention.h), so they are bit for bit the numbers the pass
 *   used.  GPT-2 small at T = 1,024 keeps about 265 MB instead of 1.5 GB.
 * - A *full* trace (ae_trace_new(), ae_model_forward(), or ae_model_run()
 *   with keep_attention) also keeps every head's scores and weights.
 *
 * Either kind may keep only its last layers (AeRunOptions.first_kept_layer:
 * attention-cli weights --layer L keeps layer L only).  Its arrays then
 * start at layer first_layer; every accessor takes the model's layer
 * numbers and gives NULL (or AE_STATUS_INVALID_ARGUMENT) for a layer the
 * pass ran but did not keep.
 *
 * Reading a head's attention, whichever the kind (ae-trace-heads.c):
 *
 *   ae_trace_head_rows()    rows r0..r1 of one head into your buffers:
 *                           streaming, no memory kept (whole-model exports
 *                           head by head, statistics, one query's row)
 *   ae_trace_head_pooled()  one head averaged (or max-pooled) to an
 *                           n × m grid, by blocks of rows: grid thumbnails
 *   ae_trace_head_get()     one head's whole (T, T) scores and weights,
 *                           referenced, from a small per-trace cache of the
 *                           heads viewed last (ae_trace_set_head_cache());
 *                           release with ae_head_attention_release()
 *   ae_trace_weights()      the old borrowed pointer: in a linear trace the
 *     ae_trace_scores()     head is computed the first time and kept until
 *                           the trace is freed (T² floats per head asked):
 *                           fine for the one or two heads a CLI prints, not
 *                           for going over every head of a long text.
 *
 * All of them may be called from several threads at once.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ae-status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _AeTraceHeads AeTraceHeads;
typedef struct _AeTrace AeTrace;

/* Rows r0 .. r1 - 1 of a head's weights (row i at weights + (i - r0)·ldw),
 * made by whoever built the trace: see rows_func below. */
typedef AeStatus (*AeTraceRowsFunc) (const AeTrace *trace,
                                     void          *data,
                                     size_t         layer,
                                     size_t         head,
                                     size_t         r0,
                                     size_t         r1,
                                     float         *weights,
                                     size_t         ldw,
                                     AeError       *error);

struct _AeTrace
{
  size_t n_layer, n_head, n_kv_head, n_tokens, n_embd, head_size;
  size_t first_layer; /* the arrays hold layers first_layer .. n_layer - 1 only (0: all) */
  size_t window;    /* sliding window: a query sees the `window` latest keys; 0: all */
  bool bidirectional; /* an encoder's: no mask, every query sees every key */

  /* L below is the number of layers kept: n_layer - first_layer */
  float *ln1;       /* (L, T, C)      input to attention: the residual stream after the first norm */
  float *q;         /* (L, NH, T, hs)  as used in the dot product: after rotary positions */
  float *k;         /* (L, NKV, T, hs) likewise; one block per key/value head (GQA) */
  float *v;         /* (L, NKV, T, hs) */
  float *scores;    /* (L, NH, T, T)  q·k · scale; 0 where masked (key > query unless bidirectional).
                     *                NULL in a linear trace */
  float *weights;   /* (L, NH, T, T)  softmax of each row; exactly 0 where masked.  NULL in a linear trace */
  float *head_out;  /* (L, NH, T, hs) sum over keys of weight · v */
  float *attn_out;  /* (L, T, C)      heads joined, times c_proj, plus its bias */
  float *resid;     /* (L, T, C)      the residual stream entering each layer (before its first norm) */
  float *hidden;    /* (T, C)         the stream after the last layer, before the final norm;
                     *                NULL when the pass stopped after the first layers */

  float *layer_scale; /* (L,) what each layer multiplied q·k by (1/√hs until a pass says otherwise) */
  int32_t *ids;       /* (T,) the pass's token ids, or NULL (a trace no pass made) */
  const void *origin; /* the model that made it, for identity only (ae_model_run's reuse), or NULL */
  size_t n_reused;    /* rows ae_model_run() copied from an earlier trace instead of computing */

  float *memory;    /* the single allocation behind the arrays ln1 .. hidden */
  size_t n_floats;
  size_t mapped_bytes; /* > 0 when memory is an mmap of that size, not malloc */
  AeTraceHeads *heads; /* scores and weights computed on demand (ae-trace-heads.c) */

  /* A linear trace with no q and k of its own (a result of merged words,
   * attn-result-words.c): ae_trace_head_rows () asks rows_func for the
   * weights, its scores are NaN.  rows_data_free (rows_data) runs in
   * ae_trace_free (). */
  AeTraceRowsFunc rows_func;
  void           *rows_data;
  void          (*rows_data_free) (void *data);
};

/* What ae_trace_alloc() carves besides the arrays every trace has. */
typedef enum
{
  AE_TRACE_KEEP_ATTENTION = 1 << 0,  /* scores and weights (L, NH, T, T) */
  AE_TRACE_HIDDEN         = 1 << 1,  /* hidden (T, C) */
} AeTraceFlags;

/* Allocates a zeroed full trace (with scores, weights and hidden); NULL when
 * memory runs out.  hs = C / NH and one k/v head per head. */
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
/* The same with a choice of arrays (@flags); without
 * AE_TRACE_KEEP_ATTENTION a linear trace, whose heads are computed from q,
 * k and layer_scale (the forward pass fills them).  Only layers
 * @first_layer .. @n_layer - 1 get arrays (@first_layer < @n_layer, or 0). */
AeTrace     *ae_trace_alloc     (size_t       n_layer,
                                 size_t       first_layer,
                                 size_t       n_head,
                                 size_t       n_kv_head,
                                 size_t       n_tokens,
                                 size_t       n_embd,
                                 size_t       head_size,
                                 AeTraceFlags flags);

/* The key/value head query head @head reads: head / (NH / NKV). */
size_t       ae_trace_kv_head   (const AeTrace *trace,
                                 size_t         head);
void         ae_trace_free      (AeTrace       *trace);

/* Whether the trace keeps every head's scores and weights (a full trace). */
static inline bool
ae_trace_keeps_attention (const AeTrace *trace)
{
  return trace->weights != NULL;
}

/* Whether the trace holds @layer's arrays (it is below n_layer and not
 * before first_layer). */
static inline bool
ae_trace_has_layer (const AeTrace *trace,
                    size_t         layer)
{
  return trace != NULL && layer < trace->n_layer && layer >= trace->first_layer;
}

/* Borrowed (T, T) blocks and (T, hs) rows of one head; NULL when out of
 * range or not kept (or, for scores and weights of a linear trace, out of memory).
 * k and v of a query head are those of its key/value head.  See above for
 * what ae_trace_weights() and ae_trace_scores() cost in a linear trace. */
const float *ae_trace_weights   (const AeTrace *trace, size_t layer, size_t head);
const float *ae_trace_scores    (const AeTrace *trace, size_t layer, size_t head);
const float *ae_trace_q         (const AeTrace *trace, size_t layer, size_t head);
const float *ae_trace_k         (const AeTrace *trace, size_t layer, size_t head);
const float *ae_trace_v         (const AeTrace *trace, size_t layer, size_t head);
const float *ae_trace_head_out  (const AeTrace *trace, size_t layer, size_t head);
const float *ae_trace_ln1       (const AeTrace *trace, size_t layer);
const float *ae_trace_attn_out  (const AeTrace *trace, size_t layer);
/* The residual stream entering @layer (T, C); @layer == n_layer gives the
 * stream after the last layer (hidden), NULL when the trace has none. */
const float *ae_trace_resid     (const AeTrace *trace, size_t layer);

/* ---- a head's scores and weights, computed on demand (ae-trace-heads.c) ---- */

/* Rows r0 .. r1 - 1 of one head (T columns each): weights into @weights
 * (row i at weights + (i - r0)·ldw; required: it is also the kernel's work
 * space), scores into @scores when not NULL.  Exactly the forward pass's
 * numbers.  AE_STATUS_INVALID_ARGUMENT when the layer, head or rows are out
 * of range, or a stride is below T. */
AeStatus     ae_trace_head_rows   (const AeTrace *trace,
                                   size_t         layer,
                                   size_t         head,
                                   size_t         r0,
                                   size_t         r1,
                                   float         *scores,
                                   size_t         lds,
                                   float         *weights,
                                   size_t         ldw,
                                   AeError       *error);

typedef enum
{
  AE_POOL_MEAN,   /* the mean of the cell's weights, masked zeros included */
  AE_POOL_MAX,    /* the largest weight in the cell: keeps a single strong link visible */
} AePool;

/* One head's weights reduced to an (n_rows, n_cols) grid in @out: cell
 * (a, b) covers queries a·T/n_rows .. (a+1)·T/n_rows - 1 and keys likewise
 * (at least one each, so n larger than T repeats rows).  Computed by blocks
 * of rows, never holding the (T, T) matrix; a head already in memory (a
 * full trace's, or one kept or cached after a view asked for it) is read
 * instead.  T == 0 writes zeros. */
AeStatus     ae_trace_head_pooled (const AeTrace *trace,
                                   size_t         layer,
                                   size_t         head,
                                   size_t         n_rows,
                                   size_t         n_cols,
                                   AePool         pool,
                                   float         *out,
                                   AeError       *error);

/* One head's whole attention, shared and reference-counted: it stays valid
 * until released, even after the trace is freed. */
typedef struct
{
  size_t       layer, head, n_tokens;
  const float *scores;    /* (T, T) */
  const float *weights;   /* (T, T) */
} AeHeadAttention;

/* The head from the trace's cache, computing it when it is not there; a
 * new reference, or NULL with @error set (out of range, out of memory). */
const AeHeadAttention *ae_trace_head_get (const AeTrace *trace,
                                          size_t         layer,
                                          size_t         head,
                                          AeError       *error);
void         ae_head_attention_release (const AeHeadAttention *head);
/* How many heads the cache keeps once nobody holds them (default 4; 0 keeps
 * none).  Heads still held are never dropped. */
void         ae_trace_set_head_cache   (AeTrace       *trace,
                                        size_t         n_heads);
/* How many whole heads the trace holds now (kept for ae_trace_weights()
 * plus cached): what streaming over every head must leave at 0. */
size_t       ae_trace_heads_held       (const AeTrace *trace);
/* Whether the head's weights are in memory (a full trace, or a linear
 * trace's kept or cached head): ae_trace_weights() then costs nothing. */
bool         ae_trace_head_in_memory   (const AeTrace *trace,
                                        size_t         layer,
                                        size_t         head);

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
