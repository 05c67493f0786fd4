/* ae-matrix.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A block's weight matrix as the checkpoint stores it: float32 (used in
 * place, or converted once when misaligned), or F16/BF16 left in the mapped
 * file and widened to float32 a block at a time as a product needs it, so a
 * half-precision checkpoint is resident once, in its own size, instead of
 * twice its size as float32 (issue 10: peak RSS at most 2.2× the file).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "ae-safetensors.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct
{
  const void *data;     /* row-major; NULL where the architecture has no such matrix */
  AeDtype     dtype;    /* F32 (4-byte aligned), F16 or BF16 */
} AeMatrix;

/* out (T, n_out) = x (T, n_in) · W + b (n_out,), through ae_gemm().  W is
 * (n_out, n_in), y = x·Wᵀ, when @out_in (torch Linear), else (n_in, n_out)
 * (GPT-2's Conv1D).  A float32 W goes straight to ae_linear()/ae_linear_t();
 * F16/BF16 is widened into this thread's scratch (at most 4 MB, kept for
 * the next call) a block at a time, or into a small stack block should that
 * allocation fail: it never fails.  @b may be NULL. */
void  ae_matrix_linear (float       *out,
                        const float *x,
                        AeMatrix     w,
                        const float *b,
                        size_t       T,
                        size_t       n_in,
                        size_t       n_out,
                        bool         out_in);

/* Element @i (row-major) of @w as float32. */
float ae_matrix_at     (AeMatrix     w,
                        size_t       i);

/* Widens @n elements of @dtype at @src (any alignment) to float32. */
void  ae_widen         (float       *dst,
                        const void  *src,
                        AeDtype      dtype,
                        size_t       n);

#ifdef __cplusplus
}
#endif
