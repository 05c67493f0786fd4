/* ae-status.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine never prints, exits or aborts on bad input.  Every fallible
 * call returns an AeStatus and, when given an AeError, fills it with a
 * sentence a person can act on ("model.safetensors: tensor h.0.attn.c_attn.weight
 * has shape [64, 192], config.json says [128, 384]").  The GObject face turns
 * that into a GError.
 */
#pragma once

#include <stdatomic.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum
{
  AE_STATUS_OK = 0,
  AE_STATUS_IO,               /* a file is missing or cannot be read */
  AE_STATUS_BAD_CONFIG,       /* config.json is malformed or incomplete */
  AE_STATUS_UNSUPPORTED,      /* model type, activation or dtype we do not run */
  AE_STATUS_BAD_WEIGHTS,      /* model.safetensors is malformed or does not match config */
  AE_STATUS_BAD_TOKENIZER,    /* vocab.json / merges.txt malformed */
  AE_STATUS_TOO_LONG,         /* more tokens than the model's context */
  AE_STATUS_INVALID_ARGUMENT, /* layer/head/token index out of range */
  AE_STATUS_NO_MEMORY,
  AE_STATUS_CANCELLED,
  AE_STATUS_NOT_FINITE,       /* the forward pass produced NaN or ±Inf */
  /* always add new codes just above this line */
  AE_STATUS_COUNT
} AeStatus;

typedef struct
{
  AeStatus status;
  char     message[512];
} AeError;

/* A request to stop, set by another thread (a GCancellable's callback) while
 * a long call runs: both sides go through C11 atomics, as a plain or
 * volatile int shared between threads is a data race. */
typedef atomic_int AeCancelFlag;

/* Whether @flag (which may be NULL: never) has been set. */
static inline int
ae_cancelled (const AeCancelFlag *flag)
{
  return flag != NULL && atomic_load_explicit ((AeCancelFlag *) flag, memory_order_relaxed) != 0;
}

const char *ae_status_to_string (AeStatus status);

/* Records @status and a printf-style message in @error (which may be NULL)
 * and returns @status, so callers can write `return ae_error_set (...)`. */
AeStatus    ae_error_set        (AeError    *error,
                                 AeStatus    status,
                                 const char *format,
                                 ...) __attribute__ ((format (printf, 3, 4)));

/* Prepends "prefix: " to an error message already set, e.g. a file name. */
void        ae_error_prefix     (AeError    *error,
                                 const char *prefix);

#ifdef __cplusplus
}
#endif
