/* attn-sandbox.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The seed's toy self-attention (ae-sandbox.h) as the app and
 * attention-cli see it: two tokens, "sat" (the key) and "cat" (the query),
 * with 4-dimensional embeddings a person edits, run through the engine's
 * own arithmetic and handed back as AttnSteps.
 */
#pragma once

#include <glib.h>

#include "attn-steps.h"

G_BEGIN_DECLS

#define ATTN_SANDBOX_DIM 4

/* The two tokens; also their positions in ATTN_SANDBOX_GPT's sequence. */
typedef enum
{
  ATTN_SANDBOX_SAT = 0,   /* the key */
  ATTN_SANDBOX_CAT = 1,   /* the query */
  ATTN_SANDBOX_N_TOKENS
} AttnSandboxToken;

/* Where the tokens stand and which mask the head applies (ae-sandbox.h). */
typedef enum
{
  ATTN_SANDBOX_ARTICLE,   /* [cat, sat], no mask: as the article computes it */
  ATTN_SANDBOX_CAUSAL,    /* [cat, sat] under a GPT's causal mask */
  ATTN_SANDBOX_GPT,       /* [sat, cat], causal: "sat" first, so "cat" sees it */
} AttnSandboxLayout;

/* The position of @token in @layout's sequence. */
gsize        attn_sandbox_position          (AttnSandboxLayout layout,
                                             AttnSandboxToken  token);

/* "sat" or "cat"; NULL out of range. */
const char  *attn_sandbox_token_name        (AttnSandboxToken  token);
/* The token named @name, or -1. */
int          attn_sandbox_token_from_name   (const char       *name);
/* The seed's embedding of @token, (ATTN_SANDBOX_DIM,). */
const float *attn_sandbox_default_embedding (AttnSandboxToken  token);
/* The fixed projections, (ATTN_SANDBOX_DIM, ATTN_SANDBOX_DIM) row-major. */
const float *attn_sandbox_w_q               (void);
const float *attn_sandbox_w_k               (void);
const float *attn_sandbox_w_v               (void);

/* Every step for [sat, cat] with these embeddings at (@query, @key); no
 * step 8 (one head, no output projection). */
AttnSteps   *attn_sandbox_run               (const float      *cat,
                                             const float      *sat,
                                             AttnSandboxToken  query,
                                             AttnSandboxToken  key,
                                             GError          **error);

/* The same in @layout: @query and @key name tokens; the steps' positions
 * are @layout's.  ATTN_SANDBOX_GPT is attn_sandbox_run(). */
AttnSteps   *attn_sandbox_run_layout        (const float      *cat,
                                             const float      *sat,
                                             AttnSandboxLayout layout,
                                             AttnSandboxToken  query,
                                             AttnSandboxToken  key,
                                             GError          **error);

G_END_DECLS
