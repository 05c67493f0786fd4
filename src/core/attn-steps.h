/* attn-steps.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The walkthrough's numbers for one head at one (query, key) pair, handed
 * to the app and attention-cli as a boxed, immutable, reference-counted
 * value, so that neither reaches into the engine (ae-steps.h says what
 * each step is and how the engine recomputes it with the forward pass's
 * own kernels).  The fields have the engine's names; the arrays point into
 * memory the AttnSteps owns.  Shape letters: T tokens, C = d_model, NH
 * heads, hs head size.
 */
#pragma once

#include <gio/gio.h>

#include "attn-result.h"

G_BEGIN_DECLS

/* The steps, in order, as ae-steps.h numbers them. */
typedef enum
{
  ATTN_STEP_INPUT,
  ATTN_STEP_PROJECT,
  ATTN_STEP_ROTATE,
  ATTN_STEP_DOT,
  ATTN_STEP_SCALE,
  ATTN_STEP_MASK,
  ATTN_STEP_SOFTMAX,
  ATTN_STEP_VALUES,
  ATTN_STEP_HEADS,
  ATTN_STEP_COUNT
} AttnStep;

typedef struct
{
  gsize        layer, head, query, key;
  gsize        n_tokens;      /* T */
  gsize        n_embd;        /* C */
  gsize        n_head;        /* NH: 1 in the sandbox */
  gsize        head_size;     /* hs */
  gsize        n_kv_head;     /* key/value heads (grouped-query attention) */
  gsize        kv_head;       /* the key/value head this head reads */
  gsize        rotary_dim;    /* dimensions rotated by position; 0: none */
  gsize        window;        /* sliding window; 0: none */
  gboolean     bidirectional; /* no mask at all (the sandbox in the article's order) */
  gboolean     rms_norm;      /* step 1's x comes from RMSNorm (else LayerNorm) */
  gboolean     swiglu;        /* the block's MLP is SwiGLU (else GELU) */

  const float *x;             /* (C,)  the query's input row */
  const float *x_key;         /* (C,)  the key's */
  const float *w_q, *w_k, *w_v;   /* (C, hs) this head's slices */
  const float *b_q, *b_k, *b_v;   /* (hs,) */
  const float *q, *k, *v;         /* (hs,) as projected */
  const float *freq;          /* (rot/2,) radians per position of each rotary pair */
  const float *angle_q;       /* (rot/2,) */
  const float *angle_k;       /* (rot/2,) */
  const float *q_rot, *k_rot; /* (hs,) as the dot product uses them */
  const float *products;      /* (hs,) q_rot_d · k_rot_d */
  float        dot;
  float        scale;
  float        score;
  gboolean     masked;
  const float *scores;        /* (T,) the query's scaled row */
  const float *weights;       /* (T,) its softmax */
  float        weight;        /* weights[key] */
  const float *head_output;   /* (hs,) */
  const float *share;         /* (hs,) weight · v */
  const float *heads_joined;  /* (NH·hs,) or NULL (the sandbox) */
  const float *attn_output;   /* (C,)    or NULL */
} AttnSteps;

#define ATTN_TYPE_STEPS (attn_steps_get_type ())

GType        attn_steps_get_type   (void) G_GNUC_CONST;
AttnSteps   *attn_steps_ref        (AttnSteps    *self);
void         attn_steps_unref      (AttnSteps    *self);

/* The steps for @head of @layer at (@query, @key) on @result, from the
 * weights of the engine that made it.  ATTN_ENGINE_ERROR_INVALID names an
 * index out of range.  In the calling thread: attention-cli's way. */
AttnSteps   *attn_steps_new        (AttnResult   *result,
                                    guint         layer,
                                    guint         head,
                                    guint         query,
                                    guint         key,
                                    GError      **error);
/* The same in a worker thread: the scratch is 2·T² floats, and a long
 * text's steps take long enough to stall a frame. */
void         attn_steps_new_async  (AttnResult          *result,
                                    guint                layer,
                                    guint                head,
                                    guint                query,
                                    guint                key,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
AttnSteps   *attn_steps_new_finish (GAsyncResult        *async_result,
                                    GError             **error);

/* Whether @key is hidden from the steps' query: in its future, or outside
 * the sliding window. */
static inline gboolean
attn_steps_is_masked (const AttnSteps *self,
                      gsize            key)
{
  if (self->bidirectional)
    return FALSE;
  return key > self->query || (self->window > 0 && self->query - key >= self->window);
}

/* "Input", "Project to Q, K, V", … in English, for attention-cli; NULL
 * out of range. */
const char  *attn_step_to_string   (AttnStep      step);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnSteps, attn_steps_unref)

G_END_DECLS
