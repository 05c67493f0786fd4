/* ae-sample.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <stdlib.h>

#include "ae-sample.h"

void
ae_rng_seed (AeRng    *rng,
             uint64_t  seed)
{
  rng->state = seed;
}

/* splitmix64 (Steele, Lea & Flood 2014): one add and a mix per number. */
uint64_t
ae_rng_next (AeRng *rng)
{
  uint64_t z = (rng->state += 0x9E3779B97F4A7C15ull);

  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double
ae_rng_uniform (AeRng *rng)
{
  return (double) (ae_rng_next (rng) >> 11) * 0x1.0p-53;
}

typedef struct
{
  float   logit;
  int32_t id;
} Candidate;

/* Higher logit first; equal logits by lower id, so the order (and with it
 * every draw) does not depend on qsort's instability. */
static int
by_logit (const void *a,
          const void *b)
{
  const Candidate *x = a, *y = b;

  if (x->logit != y->logit)
    return x->logit > y->logit ? -1 : 1;
  return (x->id > y->id) - (x->id < y->id);
}

AeStatus
ae_sample (const float          *logits,
           size_t                V,
           const AeSampleParams *params,
           AeRng                *rng,
           int32_t              *out,
           AeError              *error)
{
  Candidate *cand;
  double *p, total = 0.0, cum = 0.0, u;
  size_t n = V, best = 0;

  if (V == 0)
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT, "there is no token to choose from");
  if (!(params->temperature >= 0.0) || isinf (params->temperature))
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                         "the temperature must be a number from 0, not %g", params->temperature);
  if (!(params->top_p >= 0.0 && params->top_p <= 1.0))
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                         "top-p must be between 0 and 1, not %g", params->top_p);
  for (size_t i = 0; i < V; i++)
    {
      if (isnan (logits[i]))
        return ae_error_set (error, AE_STATUS_NOT_FINITE, "the logit of token %zu is NaN", i);
      if (logits[i] > logits[best])
        best = i;
    }

  /* Temperature 0 is the limit of sampling as T → 0: the argmax. */
  if (params->temperature == 0.0)
    {
      *out = (int32_t) best;
      return AE_STATUS_OK;
    }

  cand = malloc (V * (sizeof *cand + sizeof *p));
  if (cand == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory for sampling");
  p = (double *) (cand + V);
  for (size_t i = 0; i < V; i++)
    cand[i] = (Candidate) { logits[i], (int32_t) i };
  qsort (cand, V, sizeof *cand, by_logit);

  if (params->top_k > 0 && params->top_k < n)
    n = params->top_k;
  for (size_t i = 0; i < n; i++)
    {
      p[i] = exp (((double) cand[i].logit - cand[0].logit) / params->temperature);
      total += p[i];
    }
  /* The nucleus: the fewest most probable tokens whose mass reaches top_p
   * (at least one). */
  if (params->top_p > 0.0 && params->top_p < 1.0)
    {
      size_t keep = 0;
      double mass = 0.0;

      while (keep < n && (keep == 0 || mass < params->top_p * total))
        mass += p[keep++];
      n = keep;
      total = mass;
    }

  u = ae_rng_uniform (rng) * total;
  *out = cand[n - 1].id;
  for (size_t i = 0; i < n; i++)
    {
      cum += p[i];
      if (u < cum)
        {
          *out = cand[i].id;
          break;
        }
    }
  free (cand);
  return AE_STATUS_OK;
}
