/* attn-sandbox.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-sandbox"

#include "config.h"

#include "ae-sandbox.h"
#include "attn-engine-private.h"
#include "attn-sandbox.h"
#include "attn-steps-private.h"

G_STATIC_ASSERT (ATTN_SANDBOX_DIM == AE_SANDBOX_DIM);
G_STATIC_ASSERT ((int) ATTN_SANDBOX_SAT == (int) AE_SANDBOX_SAT);
G_STATIC_ASSERT ((int) ATTN_SANDBOX_CAT == (int) AE_SANDBOX_CAT);
G_STATIC_ASSERT ((int) ATTN_SANDBOX_N_TOKENS == (int) AE_SANDBOX_N_TOKENS);
G_STATIC_ASSERT ((int) ATTN_SANDBOX_ARTICLE == (int) AE_SANDBOX_ARTICLE);
G_STATIC_ASSERT ((int) ATTN_SANDBOX_CAUSAL == (int) AE_SANDBOX_CAUSAL);
G_STATIC_ASSERT ((int) ATTN_SANDBOX_GPT == (int) AE_SANDBOX_GPT);

gsize
attn_sandbox_position (AttnSandboxLayout layout,
                       AttnSandboxToken  token)
{
  return ae_sandbox_position ((AeSandboxLayout) layout, (AeSandboxToken) token);
}

const char *
attn_sandbox_token_name (AttnSandboxToken token)
{
  return ae_sandbox_token_name ((AeSandboxToken) token);
}

int
attn_sandbox_token_from_name (const char *name)
{
  return ae_sandbox_token_from_name (name);
}

const float *
attn_sandbox_default_embedding (AttnSandboxToken token)
{
  return ae_sandbox_default_embedding ((AeSandboxToken) token);
}

const float *
attn_sandbox_w_q (void)
{
  return ae_sandbox_w_q ();
}

const float *
attn_sandbox_w_k (void)
{
  return ae_sandbox_w_k ();
}

const float *
attn_sandbox_w_v (void)
{
  return ae_sandbox_w_v ();
}

AttnSteps *
attn_sandbox_run_layout (const float        *cat,
                         const float        *sat,
                         AttnSandboxLayout   layout,
                         AttnSandboxToken    query,
                         AttnSandboxToken    key,
                         GError            **error)
{
  AeSteps *steps = NULL;
  AeError ae_error = { 0 };
  AeStatus status;

  g_return_val_if_fail (cat != NULL && sat != NULL, NULL);

  status = ae_sandbox_run_layout (&steps, cat, sat, (AeSandboxLayout) layout,
                                  (AeSandboxToken) query, (AeSandboxToken) key, &ae_error);
  if (!_attn_engine_status_to_error (status, &ae_error, error))
    return NULL;
  return _attn_steps_new_take (steps);
}

AttnSteps *
attn_sandbox_run (const float       *cat,
                  const float       *sat,
                  AttnSandboxToken   query,
                  AttnSandboxToken   key,
                  GError           **error)
{
  return attn_sandbox_run_layout (cat, sat, ATTN_SANDBOX_GPT, query, key, error);
}
