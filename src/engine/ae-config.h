/* ae-config.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The shape of a GPT-2-family model, from its config.json.
 */
#pragma once

#include <stddef.h>

#include "ae-status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct
{
  size_t n_layer;             /* L */
  size_t n_head;              /* NH */
  size_t n_embd;              /* C */
  size_t n_ctx;               /* n_positions (or n_ctx): the longest input */
  size_t vocab_size;          /* V */
  float  layer_norm_epsilon;
} AeConfig;

/* Reads and checks config.json.  Refuses model types other than GPT-2 and
 * activations other than gelu_new, naming what it found. */
AeStatus ae_config_load (AeConfig   *config,
                         const char *path,
                         AeError    *error);

#ifdef __cplusplus
}
#endif
