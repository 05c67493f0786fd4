/* ae-sandbox.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ae-sandbox.h"

/* From tools/sandbox/solve_matrices.py: two-decimal matrices near the
 * identity for which the seed's embeddings give the seed's figures, in
 * float32 as the engine computes them.  Q(cat) = (0.401, −0.049, 0.229,
 * 0.209), K(sat) = (−0.011, 0.791, −0.069, 0.531), Q·K = 0.05201,
 * score 0.02600, cat's own score 0.00207, weight on "sat" 0.50598. */
static const float W_Q[AE_SANDBOX_DIM][AE_SANDBOX_DIM] = {
  {  0.75f,  0.21f, -0.23f,  0.09f },
  {  0.10f,  0.91f,  0.09f, -0.03f },
  { -0.18f,  0.15f,  0.84f,  0.07f },
  { -0.04f,  0.02f, -0.03f,  1.02f },
};
static const float W_K[AE_SANDBOX_DIM][AE_SANDBOX_DIM] = {
  {  0.39f,  0.07f, -0.33f, -0.32f },
  {  0.03f,  0.97f,  0.13f,  0.05f },
  { -0.37f,  0.05f,  0.77f, -0.21f },
  { -0.25f,  0.01f, -0.05f,  0.89f },
};
static const float W_V[AE_SANDBOX_DIM][AE_SANDBOX_DIM] = {
  {  0.50f,  0.10f, -0.20f,  0.30f },
  { -0.10f,  0.60f,  0.20f,  0.00f },
  {  0.30f, -0.20f,  0.70f,  0.10f },
  {  0.00f,  0.40f, -0.10f,  0.50f },
};

static const float EMBEDDINGS[AE_SANDBOX_N_TOKENS][AE_SANDBOX_DIM] = {
  [AE_SANDBOX_SAT] = { 0.20f, 0.80f, -0.10f, 0.60f },
  [AE_SANDBOX_CAT] = { 0.70f, -0.30f, 0.50f, 0.10f },
};

static const char *const NAMES[AE_SANDBOX_N_TOKENS] = {
  [AE_SANDBOX_SAT] = "sat",
  [AE_SANDBOX_CAT] = "cat",
};

const char *
ae_sandbox_token_name (AeSandboxToken token)
{
  if ((int) token < 0 || token >= AE_SANDBOX_N_TOKENS)
    return NULL;
  return NAMES[token];
}

int
ae_sandbox_token_from_name (const char *name)
{
  for (int i = 0; i < AE_SANDBOX_N_TOKENS; i++)
    if (name != NULL && strcmp (name, NAMES[i]) == 0)
      return i;
  return -1;
}

const float *
ae_sandbox_default_embedding (AeSandboxToken token)
{
  if ((int) token < 0 || token >= AE_SANDBOX_N_TOKENS)
    return NULL;
  return EMBEDDINGS[token];
}

const float *
ae_sandbox_w_q (void)
{
  return &W_Q[0][0];
}

const float *
ae_sandbox_w_k (void)
{
  return &W_K[0][0];
}

const float *
ae_sandbox_w_v (void)
{
  return &W_V[0][0];
}

size_t
ae_sandbox_position (AeSandboxLayout layout,
                     AeSandboxToken  token)
{
  if (layout == AE_SANDBOX_GPT)
    return (size_t) token;
  return token == AE_SANDBOX_CAT ? 0 : 1;
}

/* Steps 1 to 7 over the two rows in the order of @first, @second. */
static AeStatus
run_pair (AeSteps     **out,
          const float  *first,
          const float  *second,
          size_t        query,
          size_t        key,
          AeError      *error)
{
  float x[AE_SANDBOX_N_TOKENS][AE_SANDBOX_DIM];   /* (T, C) */

  memcpy (x[0], first, sizeof x[0]);
  memcpy (x[1], second, sizeof x[0]);

  return ae_steps_new_for_head (out, &x[0][0], AE_SANDBOX_N_TOKENS, AE_SANDBOX_DIM,
                                &W_Q[0][0], &W_K[0][0], &W_V[0][0], NULL, NULL, NULL,
                                AE_SANDBOX_DIM, query, key, error);
}

AeStatus
ae_sandbox_run_layout (AeSteps       **out,
                       const float    *cat,
                       const float    *sat,
                       AeSandboxLayout layout,
                       AeSandboxToken  query,
                       AeSandboxToken  key,
                       AeError        *error)
{
  const float *rows[AE_SANDBOX_N_TOKENS] = { [AE_SANDBOX_SAT] = sat, [AE_SANDBOX_CAT] = cat };
  AeSandboxToken other;
  AeSteps *s;
  AeStatus status;

  *out = NULL;
  if ((int) query < 0 || query >= AE_SANDBOX_N_TOKENS)
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT, "query %d is neither “cat” nor “sat”", (int) query);
  if ((int) key < 0 || key >= AE_SANDBOX_N_TOKENS)
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT, "key %d is neither “cat” nor “sat”", (int) key);

  if (layout != AE_SANDBOX_ARTICLE)
    return run_pair (out, rows[layout == AE_SANDBOX_GPT ? AE_SANDBOX_SAT : AE_SANDBOX_CAT],
                     rows[layout == AE_SANDBOX_GPT ? AE_SANDBOX_CAT : AE_SANDBOX_SAT],
                     ae_sandbox_position (layout, query), ae_sandbox_position (layout, key), error);

  /* No mask.  The sandbox has no positions, so a query that sees every
   * key gets the same scores and weights wherever the tokens stand: the
   * causal kernel with the query last (where it sees both) computes the
   * unmasked row, which is then told in the article's order. */
  other = query == AE_SANDBOX_CAT ? AE_SANDBOX_SAT : AE_SANDBOX_CAT;
  if ((status = run_pair (&s, rows[other], rows[query], 1, key == query ? 1 : 0, error)) != AE_STATUS_OK)
    return status;

  if (ae_sandbox_position (AE_SANDBOX_ARTICLE, query) == 0)
    {
      float t;

      t = s->scores[0], s->scores[0] = s->scores[1], s->scores[1] = t;
      t = s->weights[0], s->weights[0] = s->weights[1], s->weights[1] = t;
    }
  s->query = ae_sandbox_position (AE_SANDBOX_ARTICLE, query);
  s->key = ae_sandbox_position (AE_SANDBOX_ARTICLE, key);
  s->bidirectional = true;
  s->masked = false;
  *out = s;
  return AE_STATUS_OK;
}

AeStatus
ae_sandbox_run (AeSteps      **out,
                const float   *cat,
                const float   *sat,
                AeSandboxToken query,
                AeSandboxToken key,
                AeError       *error)
{
  return ae_sandbox_run_layout (out, cat, sat, AE_SANDBOX_GPT, query, key, error);
}
