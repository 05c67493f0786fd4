/* ae-ablation.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Switching heads off: a head's output (its weighted sum of values, before
 * the output projection W_O) is replaced at every position, by zeros (zero
 * ablation) or by its mean over the text's positions (mean ablation), and
 * the rest of the pass runs on.  The forward pass applies it through
 * AeForwardHooks (ae-model.h); its own attention weights are unchanged (they
 * do not depend on its output), later layers see the ablated stream.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "ae-status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum
{
  AE_ABLATION_ZERO,
  AE_ABLATION_MEAN,
} AeAblationKind;

typedef struct
{
  AeAblationKind kind;
  size_t         n_layer, n_head;
  const bool    *heads;   /* (n_layer, n_head): true where the head is off; borrowed */
} AeAblation;

/* Whether @ablation (which may be NULL) switches off head @head of @layer. */
bool         ae_ablation_has     (const AeAblation *ablation,
                                  size_t            layer,
                                  size_t            head);

/* How many heads @ablation switches off (0 for NULL). */
size_t       ae_ablation_count   (const AeAblation *ablation);

/* Replaces one head's output @out (T, hs) as @kind says. */
void         ae_ablation_apply   (AeAblationKind    kind,
                                  float            *out,
                                  size_t            T,
                                  size_t            hs);

/* Parses "L.H[,L.H…]" (spaces allowed around commas) into @heads
 * (n_layer, n_head), which it clears first.  A malformed item or a layer or
 * head out of range is AE_STATUS_INVALID_ARGUMENT naming it. */
AeStatus     ae_ablation_parse   (const char       *spec,
                                  size_t            n_layer,
                                  size_t            n_head,
                                  bool             *heads,
                                  AeError          *error);

/* "zero" or "mean" to @kind; false for anything else. */
bool         ae_ablation_kind_from_string (const char     *name,
                                           AeAblationKind *kind);
const char  *ae_ablation_kind_to_string   (AeAblationKind  kind);

#ifdef __cplusplus
}
#endif
