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

/* Where a float32 matrix's packed copy lives once it has one (see
 * ae_matrix_linear); shared by every copy of the AeMatrix. */
typedef struct _AeMatrixPack AeMatrixPack;

typedef struct
{
  const void   *data;   /* row-major; NULL where the architecture has no such matrix */
  AeDtype       dtype;  /* F32 (4-byte aligned), F16 or BF16 */
  AeMatrixPack *pack;   /* NULL: every product reads data as it is */
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

/* A float32 matrix's slot for its packed copy.  From its second product
 * of at least 16 rows on (the first real pass of a program that runs one,
 * such as attention-cli, packs nothing; products of fewer rows do not
 * count, but use the copy once there is one), the matrix is laid out once in the GEMM
 * library's blocked form (ae_gemm_pack_new) and later products skip the
 * packing every plain GEMM does; the numbers are the same.  That copy is as
 * large as the matrix: with @release_source (the matrix lies in a
 * read-only file mapping) the source's pages go back to the page cache
 * once it is made, so the weights stay resident once.  Safe with passes on
 * several threads at once.  NULL when out of memory (then no packing). */
AeMatrixPack *ae_matrix_pack_new  (bool          release_source);
void          ae_matrix_pack_free (AeMatrixPack *pack);
/* Bytes of @w's packed copy: 0 before it has one, or without one. */
size_t        ae_matrix_pack_bytes (AeMatrix w);

/* Gives the whole pages inside @n_bytes at @data back to the page cache.
 * Only for data in a private read-only file mapping (a model's tensors):
 * touched again, those pages are read from the file. */
void          ae_release_pages    (const void   *data,
                                   size_t        n_bytes);

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
