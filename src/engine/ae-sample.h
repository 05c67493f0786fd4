/* ae-sample.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Choosing the next token from one logits row: greedy (temperature 0), or
 * sampled at a temperature from the top k and/or the nucleus (top p,
 * Holtzman et al. 2020).  The random numbers come from a seeded generator
 * of our own (splitmix64), so a seed gives the same tokens on every machine
 * and every run.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ae-status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct
{
  double temperature;   /* 0: greedy (the most probable token) */
  size_t top_k;         /* 0: no limit */
  double top_p;         /* in (0, 1]; 1 (or 0): no limit */
} AeSampleParams;

typedef struct
{
  uint64_t state;
} AeRng;

void      ae_rng_seed     (AeRng                *rng,
                           uint64_t              seed);
/* Uniform in [0, 1), 53 random bits. */
double    ae_rng_uniform  (AeRng                *rng);
uint64_t  ae_rng_next     (AeRng                *rng);

/* Picks a token from @logits (V,) into *@out.  Ties between equal logits go
 * to the lower id, so greedy is deterministic.  A temperature below 0, a
 * top_p outside [0, 1] or a NaN is AE_STATUS_INVALID_ARGUMENT. */
AeStatus  ae_sample       (const float          *logits,
                           size_t                V,
                           const AeSampleParams *params,
                           AeRng                *rng,
                           int32_t              *out,
                           AeError              *error);

#ifdef __cplusplus
}
#endif
