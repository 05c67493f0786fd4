/* ae-sandbox.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The seed's toy self-attention: two tokens, "cat" (the query) and "sat"
 * (the key), with 4-dimensional embeddings a person edits, and fixed 4×4
 * projections W_Q, W_K, W_V (no biases).  It runs through the engine's own
 * ae_linear() and ae_attention_head() by way of ae_steps_new_for_head(), so
 * the sandbox and the model share every line of arithmetic.
 *
 * The article computes it as written, "cat" then "sat", with no mask:
 * every token sees the other (AE_SANDBOX_ARTICLE).  A GPT's causal mask
 * hides "sat" from "cat" in that order (AE_SANDBOX_CAUSAL), which is why a
 * GPT would need [sat, cat], the query after its key (AE_SANDBOX_GPT).
 * With the default embeddings "cat"'s row is the seed's in the article's
 * order and the GPT's alike:
 *   Q(cat) = (0.40, −0.05, 0.23, 0.21), K(sat) = (−0.01, 0.79, −0.07, 0.53),
 *   Q·K = 0.052, scaled by 1/√4: 0.026, attention weight on "sat" 0.506.
 * The matrices come from tools/sandbox/solve_matrices.py.
 */
#pragma once

#include "ae-status.h"
#include "ae-steps.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AE_SANDBOX_DIM 4

/* The two tokens; also their positions in AE_SANDBOX_GPT's sequence. */
typedef enum
{
  AE_SANDBOX_SAT = 0,   /* the key */
  AE_SANDBOX_CAT = 1,   /* the query */
  AE_SANDBOX_N_TOKENS
} AeSandboxToken;

/* Where the tokens stand and which mask the head applies. */
typedef enum
{
  AE_SANDBOX_ARTICLE,   /* [cat, sat], no mask: as the article computes it */
  AE_SANDBOX_CAUSAL,    /* [cat, sat] under a GPT's causal mask: "cat" cannot see "sat" */
  AE_SANDBOX_GPT,       /* [sat, cat], causal: "sat" first, so "cat" sees it */
} AeSandboxLayout;

/* The position of @token in @layout's sequence. */
size_t       ae_sandbox_position         (AeSandboxLayout layout,
                                          AeSandboxToken  token);

/* "sat" or "cat"; NULL out of range. */
const char  *ae_sandbox_token_name       (AeSandboxToken token);
/* The token named @name ("cat", "sat"), or -1. */
int          ae_sandbox_token_from_name  (const char    *name);

/* The seed's embedding of @token, (AE_SANDBOX_DIM,). */
const float *ae_sandbox_default_embedding (AeSandboxToken token);

/* The fixed projections, (AE_SANDBOX_DIM, AE_SANDBOX_DIM) row-major: q = x·W_Q. */
const float *ae_sandbox_w_q              (void);
const float *ae_sandbox_w_k              (void);
const float *ae_sandbox_w_v              (void);

/* Every step for the sequence [sat, cat] with these embeddings (each
 * AE_SANDBOX_DIM floats), at (@query, @key) in AeSandboxToken positions.
 * Step 8 is absent: the sandbox has one head and no output projection. */
AeStatus     ae_sandbox_run              (AeSteps      **out,
                                          const float   *cat,
                                          const float   *sat,
                                          AeSandboxToken query,
                                          AeSandboxToken key,
                                          AeError       *error);

/* The same in @layout: @query and @key name tokens, and the steps'
 * positions (query, key, the scores and weights rows) are @layout's
 * (ae_sandbox_position).  AE_SANDBOX_GPT is ae_sandbox_run(). */
AeStatus     ae_sandbox_run_layout       (AeSteps       **out,
                                          const float    *cat,
                                          const float    *sat,
                                          AeSandboxLayout layout,
                                          AeSandboxToken  query,
                                          AeSandboxToken  key,
                                          AeError        *error);

#ifdef __cplusplus
}
#endif
