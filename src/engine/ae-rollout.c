/* ae-rollout.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdlib.h>
#include <string.h>

#include "ae-ops.h"
#include "ae-rollout.h"

/* Rows 0 .. n_rows - 1 of a head's weights: the trace's own when they are
 * in memory (a full trace, a kept or cached head), else computed into
 * @scratch (n_rows, T) and dropped after use.  Going through
 * ae_trace_weights () here would keep every head of every layer in a
 * linear trace: 144 heads of 4 MB each at 1,000 tokens on GPT-2 small
 * (1.15 GB measured in the app's rollout view, issue 13). */
static AeStatus
head_weights (const AeTrace *trace,
              size_t         layer,
              size_t         head,
              size_t         n_rows,
              float         *scratch,
              const float  **w,
              AeError       *error)
{
  if (ae_trace_head_in_memory (trace, layer, head))
    {
      *w = ae_trace_weights (trace, layer, head);
      return AE_STATUS_OK;
    }
  *w = scratch;
  return ae_trace_head_rows (trace, layer, head, 0, n_rows, NULL, 0, scratch, trace->n_tokens, error);
}

/* Â_l (T, T) = ½·mean_h A_l + ½·I. */
static AeStatus
layer_matrix (const AeTrace *trace,
              size_t         layer,
              float         *a,
              float         *scratch,
              AeError       *error)
{
  size_t T = trace->n_tokens, NH = trace->n_head;

  memset (a, 0, T * T * sizeof (float));
  for (size_t h = 0; h < NH; h++)
    {
      const float *w;
      AeStatus status = head_weights (trace, layer, h, T, scratch, &w, error);

      if (status != AE_STATUS_OK)
        return status;
      for (size_t i = 0; i < T * T; i++)
        a[i] += w[i];
    }
  for (size_t i = 0; i < T * T; i++)
    a[i] *= 0.5f / (float) NH;
  for (size_t t = 0; t < T; t++)
    a[t * T + t] += 0.5f;
  return AE_STATUS_OK;
}

AeStatus
ae_rollout (const AeTrace *trace,
            float         *out,
            AeError       *error)
{
  size_t T = trace->n_tokens;
  float *a, *tmp, *scratch;
  AeStatus status = AE_STATUS_OK;

  if (T == 0)
    return AE_STATUS_OK;
  a = malloc (3 * T * T * sizeof (float));
  if (a == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory for the rollout of %zu tokens", T);
  tmp = a + T * T;
  scratch = tmp + T * T;

  /* R starts as I and each layer multiplies from the left: R ← Â_l · R. */
  memset (out, 0, T * T * sizeof (float));
  for (size_t t = 0; t < T; t++)
    out[t * T + t] = 1.0f;
  for (size_t l = 0; l < trace->n_layer; l++)
    {
      status = layer_matrix (trace, l, a, scratch, error);
      if (status != AE_STATUS_OK)
        break;
      ae_linear (tmp, a, out, NULL, T, T, T);
      memcpy (out, tmp, T * T * sizeof (float));
    }
  free (a);
  return status;
}

AeStatus
ae_rollout_row (const AeTrace *trace,
                size_t         query,
                float         *out,
                AeError       *error)
{
  size_t T = trace->n_tokens, NH = trace->n_head;
  double *row, *next;
  float *scratch;
  AeStatus status = AE_STATUS_OK;

  if (query >= T)
    return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                         "token %zu is past the %zu tokens of the text", query, T);
  row = calloc (2 * T, sizeof (double));
  if (row == NULL)
    return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory for the rollout");
  next = row + T;
  /* the rows up to the query of one head at a time */
  scratch = malloc ((query + 1) * T * sizeof (float));
  if (scratch == NULL)
    {
      free (row);
      return ae_error_set (error, AE_STATUS_NO_MEMORY, "out of memory for the rollout");
    }

  /* e_qᵀ · Â_{L−1} ··· Â_0, from the left: the row vector meets the last
   * layer first. */
  row[query] = 1.0;
  for (size_t l = trace->n_layer; l-- > 0 && status == AE_STATUS_OK;)
    {
      memset (next, 0, T * sizeof (double));
      for (size_t i = 0; i <= query; i++)
        next[i] += 0.5 * row[i];
      for (size_t h = 0; h < NH; h++)
        {
          const float *w;

          status = head_weights (trace, l, h, query + 1, scratch, &w, error);
          if (status != AE_STATUS_OK)
            break;
          for (size_t i = 0; i <= query; i++)
            {
              double f = 0.5 * row[i] / (double) NH;

              if (row[i] == 0.0)
                continue;
              for (size_t k = 0; k <= i; k++)
                next[k] += f * w[i * T + k];
            }
        }
      memcpy (row, next, T * sizeof (double));
    }
  for (size_t k = 0; k < T; k++)
    out[k] = (float) row[k];
  free (scratch);
  free (row);
  return status;
}
