/* ae-matrix.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Products with weights as stored.  A float32 matrix goes to the GEMM as it
 * is.  An F16 or BF16 one stays in the mapped file and is widened into a
 * float32 block per product: the whole matrix when it fits this thread's
 * 4 MB scratch (every matrix of a SmolLM2-135M-sized model does), else
 * blocks of output columns × input rows accumulated with beta = 1.  The
 * widening reads half the bytes a float32 copy would and writes into a
 * block that stays in cache for the GEMM that follows, so the pass costs
 * about the same while the weights are resident once, in their own size
 * (bench/README.md has the numbers).
 *
 * The scratch belongs to the calling thread (a pthread key frees it when
 * the thread ends), so passes on several threads never share it.
 *
 * A float32 matrix with a pack slot (ae-weights.c gives every layer matrix
 * one) is packed into the GEMM library's layout at its second product, so
 * that a program running many passes (the app: one per keystroke) stops
 * repacking 340 MB of GPT-2 small's weights per pass, while one that runs
 * a single pass pays nothing.
 */

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ae-gemm.h"
#include "ae-matrix.h"
#include "ae-ops.h"

enum
{
  SCRATCH_MAX = 1 << 20,    /* floats: 4 MB */
  STACK_FLOATS = 2048,      /* the block when no scratch can be had */
};

typedef struct
{
  size_t cap;
  float  data[];
} Scratch;

static pthread_key_t scratch_key;
static bool scratch_key_ok;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void
make_key (void)
{
  scratch_key_ok = pthread_key_create (&scratch_key, free) == 0;
}

/* This thread's scratch of at least @want floats, or a smaller one it
 * already has (*cap says how large), or NULL. */
static float *
thread_scratch (size_t  want,
                size_t *cap)
{
  Scratch *old, *s;

  if (pthread_once (&scratch_once, make_key) != 0 || !scratch_key_ok)
    return NULL;
  old = pthread_getspecific (scratch_key);
  if (old != NULL && old->cap >= want)
    {
      *cap = old->cap;
      return old->data;
    }
  s = malloc (sizeof *s + want * sizeof (float));
  if (s == NULL || pthread_setspecific (scratch_key, s) != 0)
    {
      free (s);
      if (old == NULL)
        return NULL;
      *cap = old->cap;
      return old->data;
    }
  free (old);
  s->cap = want;
  *cap = want;
  return s->data;
}

static inline float
from_bits (uint32_t u)
{
  float f;

  memcpy (&f, &u, sizeof f);
  return f;
}

/* IEEE half without branches, so the loop vectorises: normal numbers by
 * moving exponent and mantissa into place and rebiasing with one exact
 * multiplication by 2^112; subnormals as mantissa · 2^-24 (exact, and not
 * through a float32 subnormal, which a flush-to-zero mode would lose);
 * infinities and NaN (which the load refuses anyway) by their bits. */
static inline float
half (uint16_t h)
{
  uint32_t sign = (uint32_t) (h & 0x8000) << 16;
  uint32_t exponent = h & 0x7c00, mantissa = h & 0x3ff;
  float normal = from_bits ((uint32_t) (h & 0x7fff) << 13) * 0x1p112f;
  float sub = (float) mantissa * 0x1p-24f;
  float mag = exponent == 0 ? sub : normal;
  uint32_t bits;

  memcpy (&bits, &mag, sizeof bits);
  if (exponent == 0x7c00)
    bits = 0x7f800000 | (mantissa << 13);
  return from_bits (sign | bits);
}

void
ae_widen (float       *dst,
          const void  *src,
          AeDtype      dtype,
          size_t       n)
{
  const unsigned char *s = src;

  switch (dtype)
    {
    case AE_DTYPE_F16:
      for (size_t i = 0; i < n; i++)
        dst[i] = half ((uint16_t) (s[2 * i] | (s[2 * i + 1] << 8)));
      break;
    case AE_DTYPE_BF16:
      /* bfloat16 is the upper half of a float32 */
      for (size_t i = 0; i < n; i++)
        dst[i] = from_bits ((uint32_t) (s[2 * i] | (s[2 * i + 1] << 8)) << 16);
      break;
    case AE_DTYPE_F32:
      memcpy (dst, src, n * sizeof (float));
      break;
    case AE_DTYPE_COUNT:
    default:
      memset (dst, 0, n * sizeof (float));
      break;
    }
}

float
ae_matrix_at (AeMatrix w,
              size_t   i)
{
  float f;

  ae_widen (&f, (const char *) w.data + i * ae_dtype_size (w.dtype), w.dtype, 1);
  return f;
}

enum
{
  PACK_UNUSED,      /* no product yet */
  PACK_USED_ONCE,   /* one plain product: the next one packs */
  PACK_PACKING,     /* one thread is packing: the others go plain */
  PACK_READY,
  PACK_NONE,        /* the library has no packed form (or memory ran out) */
};

struct _AeMatrixPack
{
  atomic_int          state;
  _Atomic (AeGemmPack *) packed;
  bool                release_source;
};

AeMatrixPack *
ae_matrix_pack_new (bool release_source)
{
  AeMatrixPack *pack = calloc (1, sizeof *pack);

  if (pack != NULL)
    {
      atomic_init (&pack->state, PACK_UNUSED);
      atomic_init (&pack->packed, NULL);
      pack->release_source = release_source;
    }
  return pack;
}

void
ae_matrix_pack_free (AeMatrixPack *pack)
{
  if (pack == NULL)
    return;
  ae_gemm_pack_free (atomic_load (&pack->packed));
  free (pack);
}

size_t
ae_matrix_pack_bytes (AeMatrix w)
{
  return w.pack != NULL ? ae_gemm_pack_size (atomic_load (&w.pack->packed)) : 0;
}

void
ae_release_pages (const void *data,
                  size_t      n_bytes)
{
  long page = sysconf (_SC_PAGESIZE);
  uintptr_t start = (uintptr_t) data, end = start + n_bytes;

  if (page <= 0)
    return;
  start = (start + (uintptr_t) page - 1) & ~((uintptr_t) page - 1);
  end &= ~((uintptr_t) page - 1);
  if (end > start)
    madvise ((void *) start, end - start, MADV_DONTNEED);
}

/* The row count a matrix is packed for, whatever the product that packs
 * it: oneDNN blocks K by it, and the same blocking for every pass keeps the
 * numbers of a pass independent of which earlier pass packed its weights
 * (with 256, a GPT-2 matrix's products are bit for bit those of the plain
 * sgemm at every T; packed for T = 1, they differ by 1e-6). */
#define PACK_ROWS_HINT 256

/* Products of fewer rows use a packed copy when there is one but do not
 * count towards making it: the core's engine checks a model with a pass of
 * a few tokens when it loads it, and a program that then runs one real pass
 * (attention-cli) must not pay for packing. */
#define PACK_MIN_ROWS 16

/* @w's packed copy for a product of @T rows, made now if this is its
 * second product of at least PACK_MIN_ROWS rows; NULL for a plain product. */
static const AeGemmPack *
packed_matrix (AeMatrix w,
               size_t   T,
               size_t   n_in,
               size_t   n_out,
               bool     out_in)
{
  int state;
  AeGemmPack *packed;

  if (w.pack == NULL)
    return NULL;
  state = atomic_load_explicit (&w.pack->state, memory_order_acquire);
  if (state == PACK_READY)
    return atomic_load_explicit (&w.pack->packed, memory_order_acquire);
  if (T < PACK_MIN_ROWS)
    return NULL;
  if (state == PACK_UNUSED)
    {
      atomic_compare_exchange_strong (&w.pack->state, &state, PACK_USED_ONCE);
      return NULL;
    }
  if (state != PACK_USED_ONCE ||
      !atomic_compare_exchange_strong (&w.pack->state, &state, PACK_PACKING))
    return NULL;

  packed = ae_gemm_pack_new (out_in, n_out, n_in, w.data, out_in ? n_in : n_out,
                             PACK_ROWS_HINT);
  if (packed == NULL)
    {
      atomic_store_explicit (&w.pack->state, PACK_NONE, memory_order_release);
      return NULL;
    }
  atomic_store_explicit (&w.pack->packed, packed, memory_order_release);
  atomic_store_explicit (&w.pack->state, PACK_READY, memory_order_release);
  if (w.pack->release_source)
    ae_release_pages (w.data, n_in * n_out * sizeof (float));
  return packed;
}

/* @n_rows rows of @n_cols elements from (@row, @col) of the stored matrix
 * with @row_len elements a row, widened into @dst (n_rows, n_cols).  Large
 * blocks use the pool's threads (outside a parallel region). */
static void
widen_block (float          *dst,
             const AeMatrix *w,
             size_t          row_len,
             size_t          row,
             size_t          col,
             size_t          n_rows,
             size_t          n_cols)
{
  size_t size = ae_dtype_size (w->dtype);
  const char *base = w->data;

#pragma omp parallel for schedule(static) if (n_rows * n_cols >= (1u << 16))
  for (size_t r = 0; r < n_rows; r++)
    ae_widen (dst + r * n_cols, base + ((row + r) * row_len + col) * size, w->dtype, n_cols);
}

void
ae_matrix_linear (float       *out,
                  const float *x,
                  AeMatrix     w,
                  const float *b,
                  size_t       T,
                  size_t       n_in,
                  size_t       n_out,
                  bool         out_in)
{
  float stack[STACK_FLOATS];
  size_t cap, want = n_in * n_out, n_k, n_o;
  float *block;

  if (w.dtype == AE_DTYPE_F32)
    {
      const AeGemmPack *packed = T > 0 && n_out > 0 && n_in > 0
                                 ? packed_matrix (w, T, n_in, n_out, out_in) : NULL;

      if (packed == NULL)
        {
          (out_in ? ae_linear_t : ae_linear) (out, x, w.data, b, T, n_in, n_out);
          return;
        }
      ae_rows_fill (out, b, T, n_out);
      ae_gemm_packed (packed, T, x, n_in, 1.0f, out, n_out);
      return;
    }
  if (T == 0 || n_out == 0)
    return;
  if (n_in == 0)
    memset (out, 0, T * n_out * sizeof (float));

  block = thread_scratch (want < SCRATCH_MAX ? want : SCRATCH_MAX, &cap);
  if (block == NULL)
    {
      block = stack;
      cap = STACK_FLOATS;
    }
  n_k = n_in < cap ? n_in : cap;
  n_o = n_k > 0 ? cap / n_k : n_out;
  if (n_o > n_out)
    n_o = n_out;

  /* out[:, o..] (+)= x[:, k..] · W's block, the first block of each column
   * range with beta = 0 */
  for (size_t o = 0; o < n_out; o += n_o)
    for (size_t k = 0; k < n_in; k += n_k)
      {
        size_t no = n_out - o < n_o ? n_out - o : n_o;
        size_t nk = n_in - k < n_k ? n_in - k : n_k;
        float beta = k == 0 ? 0.0f : 1.0f;

        if (out_in)
          {
            widen_block (block, &w, n_in, o, k, no, nk);
            ae_gemm (true, T, no, nk, 1.0f, x + k, n_in, block, nk, beta, out + o, n_out);
          }
        else
          {
            widen_block (block, &w, n_out, k, o, nk, no);
            ae_gemm (false, T, no, nk, 1.0f, x + k, n_in, block, no, beta, out + o, n_out);
          }
      }

  if (b != NULL)
    for (size_t t = 0; t < T; t++)
      ae_add_inplace (out + t * n_out, b, n_out);
}
