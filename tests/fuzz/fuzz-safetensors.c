/* fuzz-safetensors.c — libFuzzer harness for the safetensors header
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: a whole safetensors file.  A file that opens must describe only
 * tensors inside it: every element is read (converted to float32 and
 * scanned for non-finite values), so ASan sees any offset that lies.
 */

#include "fuzz-common.h"

#include "ae-safetensors.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  char path[64];
  int fd = fuzz_memfd (data, size, path, sizeof path);
  AeSafetensors *st = NULL;
  AeError error = { 0 };
  AeStatus status;

  status = ae_safetensors_open (&st, path, &error);
  fuzz_check_error (status, &error);
  if (status == AE_STATUS_OK)
    {
      for (size_t i = 0; i < ae_safetensors_n_tensors (st); i++)
        {
          const AeTensor *t = ae_safetensors_tensor (st, i);
          float *f = malloc ((t->n_elements + 1) * sizeof (float));

          FUZZ_CHECK (t->n_bytes == t->n_elements * ae_dtype_size (t->dtype));
          FUZZ_CHECK (ae_safetensors_find (st, t->name) == t);
          if (f == NULL)
            abort ();
          ae_tensor_to_f32 (t, f);
          status = ae_tensor_check_finite (t, &error);
          fuzz_check_error (status, &error);
          free (f);
        }
      ae_safetensors_close (st);
    }
  else
    FUZZ_CHECK (st == NULL);

  close (fd);
  return 0;
}
