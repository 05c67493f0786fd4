/* ae-detectors.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The standard head detectors as scores from 0 to 1, on one head's (T, T)
 * weights and the text's ids:
 *   previous token   mean over queries 1..T-1 of the weight on q - 1
 *   first token      mean over queries 1..T-1 of the weight on token 0 (sink)
 *   self             mean over queries 1..T-1 of the weight on q itself
 *   duplicate token  mean, over queries whose token occurred earlier, of the
 *                    weight on all its earlier occurrences
 *   induction        mean, over queries whose token occurred earlier, of the
 *                    weight on the position right after its most recent
 *                    earlier occurrence (Olsson et al. 2022)
 * On a repeated random sequence (the induction probe) the queries with an
 * earlier occurrence are exactly those of the second copy.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ae-tokenizer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum
{
  AE_DETECTOR_PREVIOUS,
  AE_DETECTOR_DUPLICATE,
  AE_DETECTOR_INDUCTION,
  AE_DETECTOR_FIRST,
  AE_DETECTOR_SELF,
  AE_DETECTOR_COUNT
} AeDetector;

typedef struct
{
  double score[AE_DETECTOR_COUNT];   /* NaN when no query qualifies */
  size_t n_repeated;                 /* queries whose token occurred earlier */
} AeDetectorScores;

void        ae_detectors_compute     (const float      *weights,
                                      const int32_t    *ids,
                                      size_t            T,
                                      AeDetectorScores *out);

/* "previous", "duplicate", "induction", "first", "self" (the CLI's and JSON's
 * names); false / NULL when unknown. */
const char *ae_detector_to_string    (AeDetector        detector);
bool        ae_detector_from_string  (const char       *name,
                                      AeDetector       *detector);

/* The induction probe: BOS (when the vocabulary has one), then @n distinct
 * random ordinary tokens (no special or added ones) drawn with @seed, then
 * the same @n again.  Writes 2n (+1) ids into @ids and returns how many;
 * @n is lowered so that the probe fits in @max_tokens and in the ordinary
 * tokens there are. */
size_t      ae_induction_probe       (const AeTokenizer *tokenizer,
                                      size_t             vocab_size,
                                      size_t             n,
                                      uint64_t           seed,
                                      size_t             max_tokens,
                                      int32_t           *ids);

#ifdef __cplusplus
}
#endif
