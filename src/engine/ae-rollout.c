/* ae-rollout.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdlib.h>
#include <string.h>

#include "ae-ops.h"
#include "ae-rollout.h"

/* Â_l (T, T) = ½·mean_h A_l + ½·I. */
static void
layer_matrix (const AeTrace *trace,
              size_t         layer,
              float         *a)
{
  size_t T = trace->n_tokens, NH = trace->n_head;

  memset (a, 0, T * T * sizeof (float));
  for (size_t h = 0; h < NH; h++)
    {
      const float *w = ae_trace_weights (trace, layer, h);

      for (size_t i = 0; i < T * T; i++)
        a[i] += w[i];
    }
  for (size_t i = 0; i < T * T; i++)
    a[i] *= 0.5f / (float) NH;
  for (size_t t = 0; t < T; t++)
    a[t * T + t] += 0.5f;
}

AeStatus
ae_rollout (const AeTrace *trace,
            float         *out,
            AeError       *error)
{
  size_t T = trace->n_tokens;
  float *a, *tmp;

  if (T == 0)
    return AE_STATUS_OK;
  a = malloc (2 * T * T * sizeof (float));
  if (a == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory for the rollout of %zu tokens", T);
  tmp = a + T * T;

  /* R starts as I and each layer multiplies from the left: R ← Â_l · R. */
  memset (out, 0, T * T * sizeof (float));
  for (size_t t = 0; t < T; t++)
    out[t * T + t] = 1.0f;
  for (size_t l = 0; l < trace->n_layer; l++)
    {
      layer_matrix (trace, l, a);
      ae_linear (tmp, a, out, NULL, T, T, T);
      memcpy (out, tmp, T * T * sizeof (float));
    }
  free (a);
  return AE_STATUS_OK;
}

AeStatus
ae_rollout_row (const AeTrace *trace,
                size_t         query,
                float         *out,
                AeError       *error)
{
  size_t T = trace->n_tokens, NH = trace->n_head;
  double *row, *next;

  if (query >= T)
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                         "token %zu is past the %zu tokens of the text", query, T);
  row = calloc (2 * T, sizeof (double));
  if (row == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory for the rollout");
  next = row + T;

  /* e_qᵀ · Â_{L−1} ··· Â_0, from the left: the row vector meets the last
   * layer first. */
  row[query] = 1.0;
  for (size_t l = trace->n_layer; l-- > 0;)
    {
      memset (next, 0, T * sizeof (double));
      for (size_t i = 0; i <= query; i++)
        {
          if (row[i] == 0.0)
            continue;
          next[i] += 0.5 * row[i];
          for (size_t h = 0; h < NH; h++)
            {
              const float *w = ae_trace_weights (trace, l, h) + i * T;
              double f = 0.5 * row[i] / (double) NH;

              for (size_t k = 0; k <= i; k++)
                next[k] += f * w[k];
            }
        }
      memcpy (row, next, T * sizeof (double));
    }
  for (size_t k = 0; k < T; k++)
    out[k] = (float) row[k];
  free (row);
  return AE_STATUS_OK;
}
