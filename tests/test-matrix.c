/* test-matrix.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Products with F16/BF16 weights kept as stored (ae-matrix.c): the widening
 * equals the load's conversion (ae_tensor_to_f32) for every one of the
 * 65,536 bit patterns, and ae_matrix_linear equals a float64 product over
 * the same widened weights, in both layouts, for a matrix that fits the
 * thread's scratch, one that needs blocks of output columns, one whose
 * input rows alone overflow it, and from several threads at once.
 */

#include <glib.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "ae-matrix.h"
#include "ae-safetensors.h"

static void
test_widen_every_bit_pattern (gconstpointer data)
{
  AeDtype dtype = GPOINTER_TO_INT (data);
  g_autofree uint16_t *bits = g_new (uint16_t, 65536);
  g_autofree float *want = g_new (float, 65536);
  g_autofree float *got = g_new (float, 65536);
  AeTensor t = { 0 };

  for (size_t i = 0; i < 65536; i++)
    bits[i] = (uint16_t) i;
  t.dtype = dtype;
  t.data = bits;
  t.n_elements = 65536;
  t.n_bytes = 65536 * 2;
  ae_tensor_to_f32 (&t, want);
  ae_widen (got, bits, dtype, 65536);
  for (size_t i = 0; i < 65536; i++)
    if (memcmp (&got[i], &want[i], sizeof (float)) != 0)
      g_error ("%s 0x%04zx: widened to %a, the load converts it to %a",
               ae_dtype_to_string (dtype), i, (double) got[i], (double) want[i]);
  /* at an odd address: the mapping need not align 2-byte tensors */
  {
    g_autofree unsigned char *odd = g_malloc (2 * 16 + 1);

    memcpy (odd + 1, bits + 0x3c00, 2 * 16);
    ae_widen (got, odd + 1, dtype, 16);
    g_assert_cmpmem (got, 16 * sizeof (float), want + 0x3c00, 16 * sizeof (float));
    g_assert_cmpfloat (ae_matrix_at ((AeMatrix) { odd + 1, dtype }, 3), ==, want[0x3c03]);
  }
}

/* Random half-precision bits of moderate size (no infinities). */
static uint16_t *
random_matrix (AeDtype dtype,
               size_t  n,
               GRand  *rand)
{
  uint16_t *m = g_new (uint16_t, n);

  for (size_t i = 0; i < n; i++)
    {
      float v = (float) g_rand_double_range (rand, -1.0, 1.0);
      uint32_t u;

      memcpy (&u, &v, sizeof u);
      if (dtype == AE_DTYPE_BF16)
        m[i] = (uint16_t) (u >> 16);
      else   /* a half in [-1, 1): exponent 0..14, any mantissa */
        m[i] = (uint16_t) ((u & 0x80000000u) >> 16 | (g_rand_int_range (rand, 0, 15) << 10)
                           | (g_rand_int (rand) & 0x3ff));
    }
  return m;
}

typedef struct
{
  AeDtype dtype;
  bool    out_in;
  size_t  T, n_in, n_out;
} Shape;

static void
check_linear (const Shape *s)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed ((guint32) (s->n_in * 31 + s->n_out));
  size_t n = s->n_in * s->n_out;
  g_autofree uint16_t *stored = random_matrix (s->dtype, n, rand);
  g_autofree float *wide = g_new (float, n);
  g_autofree float *x = g_new (float, s->T * s->n_in);
  g_autofree float *b = g_new (float, s->n_out);
  g_autofree float *out = g_new (float, s->T * s->n_out);
  double worst = 0.0;

  ae_widen (wide, stored, s->dtype, n);
  for (size_t i = 0; i < s->T * s->n_in; i++)
    x[i] = (float) g_rand_double_range (rand, -1.0, 1.0);
  for (size_t o = 0; o < s->n_out; o++)
    b[o] = (float) g_rand_double_range (rand, -1.0, 1.0);

  ae_matrix_linear (out, x, (AeMatrix) { stored, s->dtype }, b, s->T, s->n_in, s->n_out,
                    s->out_in);

  for (size_t t = 0; t < s->T; t++)
    for (size_t o = 0; o < s->n_out; o += 1 + s->n_out / 97)
      {
        double sum = b[o], mag = fabs (b[o]);

        for (size_t i = 0; i < s->n_in; i++)
          {
            double w = s->out_in ? wide[o * s->n_in + i] : wide[i * s->n_out + o];

            sum += (double) x[t * s->n_in + i] * w;
            mag += fabs ((double) x[t * s->n_in + i] * w);
          }
        /* float32 accumulation: relative to the sum of magnitudes */
        worst = fmax (worst, fabs (out[t * s->n_out + o] - sum) / (mag + 1e-30));
      }
  if (worst > 1e-5)
    g_error ("%s %s T=%zu %zu->%zu: off by %g of the magnitudes",
             ae_dtype_to_string (s->dtype), s->out_in ? "(out, in)" : "(in, out)",
             s->T, s->n_in, s->n_out, worst);
}

static void
test_linear (void)
{
  static const Shape shapes[] = {
    /* fits the 4 MB scratch: one widening, one GEMM */
    { AE_DTYPE_BF16, true, 5, 96, 160 },
    { AE_DTYPE_F16, false, 5, 96, 160 },
    /* 1,100 × 1,000 > 2^20: blocks of output columns */
    { AE_DTYPE_BF16, true, 3, 1100, 1000 },
    { AE_DTYPE_F16, false, 3, 1100, 1000 },
    /* one row of 1.2 M inputs: blocks of input rows, accumulated */
    { AE_DTYPE_BF16, true, 2, 1200000, 3 },
    { AE_DTYPE_F16, false, 2, 1200000, 3 },
    /* no tokens, no inputs */
    { AE_DTYPE_BF16, true, 0, 8, 8 },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (shapes); i++)
    check_linear (&shapes[i]);
}

static void
test_no_inputs (void)
{
  float b[3] = { 1.0f, -2.0f, 0.5f }, out[6];
  uint16_t none = 0;

  memset (out, 0x7f, sizeof out);
  ae_matrix_linear (out, NULL, (AeMatrix) { &none, AE_DTYPE_BF16 }, b, 2, 0, 3, true);
  for (size_t i = 0; i < 6; i++)
    g_assert_cmpfloat (out[i], ==, b[i % 3]);
}

static gpointer
thread_linear (gpointer data)
{
  check_linear (data);
  return NULL;
}

/* Each thread has its own scratch: products on several at once agree. */
static void
test_threads (void)
{
  static const Shape a = { AE_DTYPE_BF16, true, 4, 700, 900 };
  static const Shape b = { AE_DTYPE_F16, false, 4, 1100, 1000 };
  GThread *threads[4];

  for (size_t i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("linear", thread_linear, (gpointer) (i % 2 ? &a : &b));
  for (size_t i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/attention/matrix/widen/f16", GINT_TO_POINTER (AE_DTYPE_F16),
                        test_widen_every_bit_pattern);
  g_test_add_data_func ("/attention/matrix/widen/bf16", GINT_TO_POINTER (AE_DTYPE_BF16),
                        test_widen_every_bit_pattern);
  g_test_add_func ("/attention/matrix/linear", test_linear);
  g_test_add_func ("/attention/matrix/no-inputs", test_no_inputs);
  g_test_add_func ("/attention/matrix/threads", test_threads);
  return g_test_run ();
}
