/* fuzz-config.c — libFuzzer harness for config.json
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: a config.json.  One that loads must hold sizes the forward pass
 * can use: all positive, n_embd a multiple of n_head, and an epsilon that
 * is a positive float32 (1e-95 passed the range check as a double and
 * became 0.0f).
 */

#include "fuzz-common.h"

#include "ae-config.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  char path[64];
  int fd = fuzz_memfd (data, size, path, sizeof path);
  AeConfig config;
  AeError error = { 0 };
  AeStatus status;

  status = ae_config_load (&config, path, &error);
  fuzz_check_error (status, &error);
  if (status == AE_STATUS_OK)
    {
      FUZZ_CHECK (config.n_layer > 0 && config.n_head > 0 && config.n_embd > 0);
      FUZZ_CHECK (config.n_ctx > 0 && config.vocab_size > 0);
      FUZZ_CHECK (config.n_embd % config.n_head == 0);
      FUZZ_CHECK (config.layer_norm_epsilon > 0.0f && config.layer_norm_epsilon < 1.0f);
    }

  close (fd);
  return 0;
}
