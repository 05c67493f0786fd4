/* attn-sample.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Choosing the model's next tokens, as the Predict view's "Continue" and
 * attention-cli generate do (issue 14): greedy (temperature 0) or sampled
 * at a temperature from the top k and/or the nucleus (top p), from a
 * seeded generator, so a seed gives the same tokens on every machine.
 * The engine's sampler (ae-sample.h) behind the face's own types.
 */
#pragma once

#include <glib.h>

#include "attn-ablation.h"
#include "attn-engine.h"
#include "attn-result.h"

G_BEGIN_DECLS

typedef struct
{
  double temperature;   /* 0: greedy (the most probable token) */
  guint  top_k;         /* 0: no limit */
  double top_p;         /* in (0, 1]; 1 (or 0): no limit */
} AttnSampleParams;

/* The seeded random generator: plain state, copied with the struct. */
typedef struct
{
  guint64 state;
} AttnRng;

void      attn_rng_seed            (AttnRng                *rng,
                                    guint64                 seed);

/* Picks the token after the last one from the result's own logits and
 * advances @rng.  -1 after setting @error (no predictions, no tokens, a
 * temperature below 0 or a top_p outside [0, 1]). */
gint32    attn_result_sample_next  (const AttnResult       *self,
                                    const AttnSampleParams *params,
                                    AttnRng                *rng,
                                    GError                **error);

/* Generation: @n_tokens tokens after @text, one whole pass each (with
 * @ablation's heads off, or NULL), picked with @params from a generator
 * seeded with @seed; stops early when the context is full.  *prompt_ids
 * and *new_ids: GArrays of gint32; *out_text: @text followed by the new
 * tokens' text. */
gboolean  attn_engine_generate     (AttnEngine             *engine,
                                    const char             *text,
                                    guint                   n_tokens,
                                    const AttnSampleParams *params,
                                    guint64                 seed,
                                    const AttnAblation     *ablation,
                                    GArray                **prompt_ids,
                                    GArray                **new_ids,
                                    char                  **out_text,
                                    GError                **error);

G_END_DECLS
