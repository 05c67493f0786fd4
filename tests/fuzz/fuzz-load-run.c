/* fuzz-load-run.c — libFuzzer harness for loading a model and running it
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: config.json, a NUL byte, then model.safetensors; the tokenizer
 * files are the tiny fixture model's.  A model that loads is run on a few
 * tokens, and a pass that succeeds must give finite attention whose rows
 * sum to 1 with nothing above the diagonal; a pass may also stop with
 * AE_STATUS_NOT_FINITE (weights that overflow), never return NaN.
 */

#include <math.h>
#include <sys/stat.h>

#include "fuzz-common.h"

#include "ae-model.h"

#ifndef FUZZ_TOKENIZER_DIR
#error "FUZZ_TOKENIZER_DIR names the folder with vocab.json and merges.txt"
#endif

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char dir[64];

/* One model folder per process: the two tokenizer files as links, the
 * other two rewritten for every input. */
static void
make_dir (void)
{
  char path[128];

  snprintf (dir, sizeof dir, "/tmp/fuzz-load-run-XXXXXX");
  if (mkdtemp (dir) == NULL)
    abort ();
  snprintf (path, sizeof path, "%s/vocab.json", dir);
  if (symlink (FUZZ_TOKENIZER_DIR "/vocab.json", path) != 0)
    abort ();
  snprintf (path, sizeof path, "%s/merges.txt", dir);
  if (symlink (FUZZ_TOKENIZER_DIR "/merges.txt", path) != 0)
    abort ();
}

static void
put (const char    *name,
     const uint8_t *bytes,
     size_t         len)
{
  char path[128];
  FILE *f;

  snprintf (path, sizeof path, "%s/%s", dir, name);
  f = fopen (path, "wb");
  if (f == NULL || fwrite (bytes, 1, len, f) != len || fclose (f) != 0)
    abort ();
}

static void
check_trace (const AeTrace *trace,
             size_t         T)
{
  for (size_t l = 0; l < trace->n_layer; l++)
    for (size_t h = 0; h < trace->n_head; h++)
      {
        const float *w = ae_trace_weights (trace, l, h);

        for (size_t q = 0; q < T; q++)
          {
            double sum = 0.0;

            for (size_t k = 0; k < T; k++)
              {
                FUZZ_CHECK (isfinite (w[q * T + k]));
                if (k > q)
                  FUZZ_CHECK (w[q * T + k] == 0.0f);
                sum += w[q * T + k];
              }
            FUZZ_CHECK (fabs (sum - 1.0) < 1e-3);
          }
      }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const uint8_t *nul = memchr (data, '\0', size);
  int32_t ids[6];
  AeModel *model = NULL;
  AeTrace *trace = NULL;
  AeError error = { 0 };
  AeStatus status;
  size_t T;

  if (nul == NULL)
    return 0;
  if (dir[0] == '\0')
    make_dir ();

  put ("config.json", data, (size_t) (nul - data));
  put ("model.safetensors", nul + 1, size - (size_t) (nul - data) - 1);

  status = ae_model_load (&model, dir, &error);
  fuzz_check_error (status, &error);
  if (status != AE_STATUS_OK)
    {
      FUZZ_CHECK (model == NULL);
      return 0;
    }

  T = ae_model_config (model)->n_ctx < 6 ? ae_model_config (model)->n_ctx : 6;
  for (size_t t = 0; t < T; t++)
    ids[t] = (int32_t) ((t * 37 + 11) % ae_model_config (model)->vocab_size);

  status = ae_model_forward (model, ids, T, NULL, &trace, &error);
  fuzz_check_error (status, &error);
  FUZZ_CHECK (status == AE_STATUS_OK || status == AE_STATUS_NOT_FINITE || status == AE_STATUS_NO_MEMORY);
  if (status == AE_STATUS_OK)
    {
      check_trace (trace, T);
      ae_trace_free (trace);
    }
  ae_model_free (model);
  return 0;
}
