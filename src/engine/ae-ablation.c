/* ae-ablation.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ae-ablation.h"

bool
ae_ablation_has (const AeAblation *ablation,
                 size_t            layer,
                 size_t            head)
{
  return ablation != NULL && ablation->heads != NULL &&
         layer < ablation->n_layer && head < ablation->n_head &&
         ablation->heads[layer * ablation->n_head + head];
}

size_t
ae_ablation_count (const AeAblation *ablation)
{
  size_t n = 0;

  if (ablation == NULL || ablation->heads == NULL)
    return 0;
  for (size_t i = 0; i < ablation->n_layer * ablation->n_head; i++)
    n += ablation->heads[i];
  return n;
}

void
ae_ablation_apply (AeAblationKind kind,
                   float         *out,
                   size_t         T,
                   size_t         hs)
{
  if (kind == AE_ABLATION_ZERO || T == 0)
    {
      memset (out, 0, T * hs * sizeof (float));
      return;
    }

  /* The mean over positions, summed in double: T may be thousands. */
  for (size_t d = 0; d < hs; d++)
    {
      double sum = 0.0;
      float mean;

      for (size_t t = 0; t < T; t++)
        sum += out[t * hs + d];
      mean = (float) (sum / (double) T);
      for (size_t t = 0; t < T; t++)
        out[t * hs + d] = mean;
    }
}

/* Reads a whole number at *p, moving past it; false when there is none. */
static bool
read_index (const char **p,
            size_t      *out)
{
  char *end;
  unsigned long long v;

  if (!isdigit ((unsigned char) **p))
    return false;
  v = strtoull (*p, &end, 10);
  if (end == *p || v > (unsigned long long) SIZE_MAX / 2)
    return false;
  *out = (size_t) v;
  *p = end;
  return true;
}

AeStatus
ae_ablation_parse (const char *spec,
                   size_t      n_layer,
                   size_t      n_head,
                   bool       *heads,
                   AeError    *error)
{
  const char *p = spec;

  memset (heads, 0, n_layer * n_head * sizeof (bool));
  for (;;)
    {
      const char *item;
      size_t layer, head;

      while (*p == ' ')
        p++;
      item = p;
      if (!read_index (&p, &layer) || *p++ != '.' || !read_index (&p, &head))
        {
          size_t n = strcspn (item, ",");

          return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                               "“%.*s” is not a head: write LAYER.HEAD, e.g. 1.3",
                               (int) (n > 40 ? 40 : n), item);
        }
      if (layer >= n_layer || head >= n_head)
        return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                             "head %zu.%zu does not exist: the model has layers 0 to %zu "
                             "and heads 0 to %zu", layer, head, n_layer - 1, n_head - 1);
      heads[layer * n_head + head] = true;
      while (*p == ' ')
        p++;
      if (*p == '\0')
        return AE_STATUS_OK;
      if (*p++ != ',')
        return ae_error_set (error, AE_STATUS_INVALID_ARGUMENT,
                             "“%s” is not a list of heads: separate LAYER.HEAD items with commas",
                             spec);
    }
}

bool
ae_ablation_kind_from_string (const char     *name,
                              AeAblationKind *kind)
{
  if (name != NULL && strcmp (name, "zero") == 0)
    *kind = AE_ABLATION_ZERO;
  else if (name != NULL && strcmp (name, "mean") == 0)
    *kind = AE_ABLATION_MEAN;
  else
    return false;
  return true;
}

const char *
ae_ablation_kind_to_string (AeAblationKind kind)
{
  return kind == AE_ABLATION_MEAN ? "mean" : "zero";
}
