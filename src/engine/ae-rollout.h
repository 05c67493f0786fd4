/* ae-rollout.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Attention rollout (Abnar & Zuidema 2020): R = Â_{L−1} ··· Â_0 with
 * Â_l = ½·(mean over heads of layer l's weights) + ½·I, the identity
 * standing for the residual connection.  Row q says how much of each input
 * token reaches position q through attention alone, as if the stream were
 * mixed only by attention; it ignores the MLPs, the values and W_O, so it is
 * not an explanation of the output.
 */
#pragma once

#include <stddef.h>

#include "ae-status.h"
#include "ae-trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The whole (T, T) rollout of @trace into @out (row q: query q).  Every
 * row of the result sums to 1 and is 0 past the query. */
AeStatus  ae_rollout      (const AeTrace *trace,
                           float         *out,
                           AeError       *error);

/* Row @query of it (T,), in L·T² operations instead of L·T³: what the view
 * of one selected query needs. */
AeStatus  ae_rollout_row  (const AeTrace *trace,
                           size_t         query,
                           float         *out,
                           AeError       *error);

#ifdef __cplusplus
}
#endif
