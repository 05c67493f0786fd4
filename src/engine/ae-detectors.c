/* ae-detectors.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "ae-detectors.h"
#include "ae-sample.h"
#include "ae-stats.h"

static const char *const names[AE_DETECTOR_COUNT] = {
  [AE_DETECTOR_PREVIOUS] = "previous",
  [AE_DETECTOR_DUPLICATE] = "duplicate",
  [AE_DETECTOR_INDUCTION] = "induction",
  [AE_DETECTOR_FIRST] = "first",
  [AE_DETECTOR_SELF] = "self",
};

void
ae_detectors_compute (const float      *weights,
                      const int32_t    *ids,
                      size_t            T,
                      AeDetectorScores *out)
{
  AeHeadStats stats;
  double duplicate = 0.0, induction = 0.0;

  memset (out, 0, sizeof *out);
  for (int d = 0; d < AE_DETECTOR_COUNT; d++)
    out->score[d] = NAN;
  if (weights == NULL || T < 2)
    return;

  /* previous, first and self are the head statistics' own means */
  ae_head_stats_compute (weights, T, &stats);
  out->score[AE_DETECTOR_PREVIOUS] = stats.prev;
  out->score[AE_DETECTOR_FIRST] = stats.first;
  out->score[AE_DETECTOR_SELF] = stats.self;

  if (ids == NULL)
    return;
  /* Quadratic in T like the matrix: scanning back from q finds the most
   * recent occurrence first. */
  for (size_t q = 1; q < T; q++)
    {
      const float *row = weights + q * T;
      double on_copies = 0.0;
      size_t latest = SIZE_MAX;

      for (size_t k = q; k-- > 0;)
        if (ids[k] == ids[q])
          {
            if (latest == SIZE_MAX)
              latest = k;
            on_copies += row[k];
          }
      if (latest == SIZE_MAX)
        continue;
      out->n_repeated++;
      duplicate += on_copies;
      induction += row[latest + 1];
    }
  if (out->n_repeated > 0)
    {
      out->score[AE_DETECTOR_DUPLICATE] = duplicate / (double) out->n_repeated;
      out->score[AE_DETECTOR_INDUCTION] = induction / (double) out->n_repeated;
    }
}

const char *
ae_detector_to_string (AeDetector detector)
{
  return (int) detector >= 0 && detector < AE_DETECTOR_COUNT ? names[detector] : NULL;
}

bool
ae_detector_from_string (const char *name,
                         AeDetector *detector)
{
  for (int d = 0; d < AE_DETECTOR_COUNT && name != NULL; d++)
    if (strcmp (name, names[d]) == 0)
      {
        *detector = (AeDetector) d;
        return true;
      }
  return false;
}

size_t
ae_induction_probe (const AeTokenizer *tokenizer,
                    size_t             vocab_size,
                    size_t             n,
                    uint64_t           seed,
                    size_t             max_tokens,
                    int32_t           *ids)
{
  int32_t bos = tokenizer != NULL ? ae_tokenizer_bos_id (tokenizer) : -1;
  size_t start = bos >= 0 && (size_t) bos < vocab_size ? 1 : 0;
  size_t ordinary = 0, tries = 0, got = 0;
  AeRng rng;

  for (size_t id = 0; id < vocab_size; id++)
    ordinary += tokenizer == NULL || !ae_tokenizer_is_special (tokenizer, (int32_t) id);
  if (max_tokens < start)
    return 0;
  if (n > (max_tokens - start) / 2)
    n = (max_tokens - start) / 2;
  if (n > ordinary)
    n = ordinary;
  if (start)
    ids[0] = bos;

  /* Rejection sampling of distinct ordinary ids: n is a few dozen, the
   * vocabulary thousands; the bound on tries only guards a vocabulary
   * almost all special. */
  ae_rng_seed (&rng, seed);
  while (got < n && tries++ < 1000 * (n + 1))
    {
      int32_t id = (int32_t) (ae_rng_next (&rng) % vocab_size);
      bool seen = tokenizer != NULL && ae_tokenizer_is_special (tokenizer, id);

      for (size_t j = 0; j < got && !seen; j++)
        seen = ids[start + j] == id;
      if (!seen)
        ids[start + got++] = id;
    }
  n = got;
  memcpy (ids + start + n, ids + start, n * sizeof (int32_t));
  return start + 2 * n;
}
