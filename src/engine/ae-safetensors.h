/* ae-safetensors.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A read-only, memory-mapped safetensors file.  The header is validated
 * before anything is trusted: its length against the file size, the JSON,
 * and for every tensor a known dtype, a shape whose byte size matches its
 * data_offsets, offsets inside the data area, and no two tensors overlapping.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ae-status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum
{
  AE_DTYPE_F32,
  AE_DTYPE_F16,
  AE_DTYPE_BF16,
  AE_DTYPE_COUNT
} AeDtype;

#define AE_MAX_DIMS 8

typedef struct
{
  const char *name;
  AeDtype     dtype;
  size_t      n_dims;
  size_t      shape[AE_MAX_DIMS];
  size_t      n_elements;
  const void *data;      /* points into the mapping; not aligned in general */
  size_t      n_bytes;
} AeTensor;

typedef struct _AeSafetensors AeSafetensors;

AeStatus        ae_safetensors_open      (AeSafetensors       **out,
                                          const char           *path,
                                          AeError              *error);
void            ae_safetensors_close     (AeSafetensors        *st);

size_t          ae_safetensors_n_tensors (const AeSafetensors  *st);
const AeTensor *ae_safetensors_tensor    (const AeSafetensors  *st,
                                          size_t                index);
/* NULL when absent. */
const AeTensor *ae_safetensors_find      (const AeSafetensors  *st,
                                          const char           *name);

const char     *ae_dtype_to_string       (AeDtype               dtype);
size_t          ae_dtype_size            (AeDtype               dtype);

/* Converts all @tensor->n_elements elements (any dtype, any alignment) to
 * float32 in @dst, which must hold that many floats. */
void            ae_tensor_to_f32         (const AeTensor       *tensor,
                                          float                *dst);

/* Checks that every element of @tensor is finite, reading the stored bits
 * (so F16 and BF16 need no conversion).  A NaN or ±Inf is
 * AE_STATUS_BAD_WEIGHTS with a message that names the tensor, the element
 * and what it holds. */
AeStatus        ae_tensor_check_finite   (const AeTensor       *tensor,
                                          AeError              *error);

#ifdef __cplusplus
}
#endif
