/* ae-steps.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The walkthrough's numbers: every step of one head's score computation for
 * one (query, key) pair, as a person reads it.
 *
 *   1 input       x, x_key: the query's and key's rows after the first norm (C,)
 *   2 project     q = x·W_Q + b_Q, k = x_key·W_K + b_K, v = x_key·W_V + b_V (hs,)
 *   3 rotate      rotary models: q and k turned by their positions; other
 *                 models took their positions in at the input (q_rot == q)
 *   4 dot         products q_d·k_d and their sum q·k (of the rotated q, k)
 *   5 scale       1/√hs, score = q·k/√hs
 *   6 mask        key > query is in the future (or outside a sliding window)
 *   7 softmax     the query's whole row of scores and weights          (T,)
 *   8 values      head_output = Σ_j w_j v_j, and this key's share w·v   (hs,)
 *   9 heads       all heads' outputs joined and projected by W_O + b   (NH·hs → C)
 *
 * q, k and v are recomputed here from x and this head's slices of c_attn
 * with ae_linear(), and the row through ae_attention_head(), the forward
 * pass's own kernels: the tests hold them against the trace, which is what
 * makes the walkthrough an honest account of what the model did.  Plain C,
 * no GLib.  Shape letters: T tokens, C = d_model, NH heads, hs head size.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "ae-model.h"
#include "ae-status.h"
#include "ae-trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The steps, in order; for step lists and "step N of M". */
typedef enum
{
  AE_STEP_INPUT,
  AE_STEP_PROJECT,
  AE_STEP_ROTATE,
  AE_STEP_DOT,
  AE_STEP_SCALE,
  AE_STEP_MASK,
  AE_STEP_SOFTMAX,
  AE_STEP_VALUES,
  AE_STEP_HEADS,
  /* always add steps just above this line */
  AE_STEP_COUNT
} AeStep;

typedef struct
{
  size_t layer, head, query, key;
  size_t n_tokens;      /* T */
  size_t n_embd;        /* C: the width of x */
  size_t n_head;        /* NH: 1 in the sandbox */
  size_t head_size;     /* hs = d_head = d_k */
  size_t n_kv_head;     /* NKV: key/value heads (GQA); NH / NKV query heads share one */
  size_t kv_head;       /* the key/value head this head reads k and v from */
  size_t rotary_dim;    /* dimensions rotated by position (0: no rotary positions) */
  size_t window;        /* sliding window (0: none) */
  AeNorm norm;          /* the norm step 1's x comes from */
  AeMlp  mlp;           /* the MLP that follows attention in the block */

  /* step 1 */
  float *x;             /* (C,)     the query's input row (after ln_1) */
  float *x_key;         /* (C,)     the key's input row */
  /* step 2: this head's slices of the projections, and the results */
  float *w_q;           /* (C, hs)  row-major */
  float *w_k;           /* (C, hs) */
  float *w_v;           /* (C, hs) */
  float *b_q;           /* (hs,) */
  float *b_k;           /* (hs,) */
  float *b_v;           /* (hs,) */
  float *q;             /* (hs,)    the query's q, as projected */
  float *k;             /* (hs,)    the key's k, as projected */
  float *v;             /* (hs,)    the key's v */
  /* rotary positions (rotary_dim > 0): pair i is (i, i + rot/2), turned by
   * position · freq[i]; without them q_rot == q and k_rot == k */
  float *freq;          /* (rot/2,) radians per position of each pair */
  float *angle_q;       /* (rot/2,) the query's angles: query · freq */
  float *angle_k;       /* (rot/2,) the key's angles: key · freq */
  float *q_rot;         /* (hs,)    q as the dot product uses it */
  float *k_rot;         /* (hs,)    k likewise */
  /* step 3 */
  float *products;      /* (hs,)    q_rot_d · k_rot_d */
  float  dot;           /* Σ_d q_d k_d */
  /* step 4 */
  float  scale;         /* 1/√hs (GPT-2's config may change it) */
  float  score;         /* dot · scale, as the attention kernel computed it;
                           the would-be score when masked */
  /* step 5 */
  bool   bidirectional; /* no mask at all: every query sees every key (the
                           sandbox in the article's order) */
  bool   masked;        /* key > query, or outside the sliding window */
  /* step 6 */
  float *scores;        /* (T,)     the query's scaled row; 0 where masked (see ae_trace_is_masked) */
  float *weights;       /* (T,)     its softmax, exactly 0 where masked */
  float  weight;        /* weights[key] */
  /* step 7 */
  float *head_output;   /* (hs,)    Σ_j w_j v_j */
  float *share;         /* (hs,)    weight · v: this key's part of head_output */
  /* step 8: NULL when there is no output projection (the sandbox) */
  float *heads_joined;  /* (NH·hs,) every head's output for the query, side by side */
  float *attn_output;   /* (C,)     heads_joined · W_O + b_O, added to the residual */

  float *memory;        /* the single allocation behind every array above */
} AeSteps;

/* Every step for @head of @layer at (@query, @key), from @model's weights and
 * the inputs recorded in @trace, which may hold only the model's first
 * layers (ae_model_forward_layers).  Step 8 joins this head's recomputed
 * output with the other heads' outputs from @trace.
 * AE_STATUS_INVALID_ARGUMENT names the index that is out of range. */
AeStatus     ae_steps_new          (AeSteps        **out,
                                    const AeModel   *model,
                                    const AeTrace   *trace,
                                    size_t           layer,
                                    size_t           head,
                                    size_t           query,
                                    size_t           key,
                                    AeError         *error);

/* Steps 1 to 7 for one head over the input rows @x_rows (T, C) with the
 * slices @w_q, @w_k, @w_v (C, hs) and biases (hs,) or NULL for none.  The
 * result has no step 8 (heads_joined == NULL) and layer == head == 0.  The
 * sandbox runs through this. */
AeStatus     ae_steps_new_for_head (AeSteps        **out,
                                    const float     *x_rows,
                                    size_t           T,
                                    size_t           C,
                                    const float     *w_q,
                                    const float     *w_k,
                                    const float     *w_v,
                                    const float     *b_q,
                                    const float     *b_k,
                                    const float     *b_v,
                                    size_t           hs,
                                    size_t           query,
                                    size_t           key,
                                    AeError         *error);

void         ae_steps_free         (AeSteps         *steps);

/* Whether key @key is hidden from @steps' query: in the future, or outside
 * the sliding window. */
static inline bool
ae_steps_is_masked (const AeSteps *steps,
                    size_t         key)
{
  if (steps->bidirectional)
    return false;
  return ae_trace_is_masked (steps->query, key) ||
         (steps->window > 0 && steps->query - key >= steps->window);
}

/* "Input", "Project to Q, K, V", ... ; NULL out of range. */
const char  *ae_step_to_string     (AeStep           step);

#ifdef __cplusplus
}
#endif
