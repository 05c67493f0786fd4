/* ae-attention.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The scores are a hand-written register tile, not a GEMM: a BLAS picks
 * its kernel and its order of summation by the shape it is given, so the
 * rows of one block and the same rows inside a larger block could differ in
 * the last bit.  Here the tile is 4 query rows by 16 keys held in eight
 * 8-float registers; each score is summed over the head size in order, one
 * (fused, where the processor has FMA) multiply-add at a time, whatever
 * tile it falls in.  The loop goes key tile by key tile: a tile's keys are
 * transposed once into a small buffer that stays in L1 while every row
 * group that sees them multiplies it.  Only keys up to the block's last row
 * (and from the first one the window shows) are multiplied: for a causal
 * model that skips the masked half of the square.  The weighted sum of
 * values uses the same tile, so a row's output too is the same whatever
 * block it is computed in (an incremental pass computes fewer rows).
 */

#include <stdbool.h>
#include <string.h>

#include "ae-attention.h"
#include "ae-vec.h"

#define TILE_ROWS 4
#define TILE_KEYS 16
#define HS_CHUNK  128   /* head dimensions per pass over a tile (any hs works) */
#define LANES     16    /* the softmax's fixed summation lanes */

typedef float v8sf __attribute__ ((vector_size (32)));

static inline size_t
min_size (size_t a, size_t b)
{
  return a < b ? a : b;
}

/* out rows (4, ncols of 16) = scale · (start + rows (4, n) · b (n, 16 of a
 * row of ldb)), summed over n in order, where start is what the out rows
 * hold when @accumulate (a head size past one chunk) and 0 otherwise: q ·
 * kᵀ (b the transposed key tile) and weights · v (b rows of v) alike.  A
 * NULL out row is computed and not stored (a group's rows past the block). */
FMA_CLONES
static void
tile_4x16 (float *const       out[TILE_ROWS],
           size_t             ncols,
           bool               accumulate,
           float              scale,
           const float *const rows[TILE_ROWS],
           const float       *b,
           size_t             ldb,
           size_t             n)
{
  float tile[TILE_ROWS][TILE_KEYS] __attribute__ ((aligned (32))) = { { 0 } };
  v8sf a00, a01, a10, a11, a20, a21, a30, a31;

  if (accumulate)
    for (size_t r = 0; r < TILE_ROWS; r++)
      if (out[r] != NULL)
        memcpy (tile[r], out[r], ncols * sizeof (float));
  memcpy (&a00, tile[0], 32); memcpy (&a01, tile[0] + 8, 32);
  memcpy (&a10, tile[1], 32); memcpy (&a11, tile[1] + 8, 32);
  memcpy (&a20, tile[2], 32); memcpy (&a21, tile[2] + 8, 32);
  memcpy (&a30, tile[3], 32); memcpy (&a31, tile[3] + 8, 32);

  for (size_t t = 0; t < n; t++)
    {
      v8sf b0, b1;
      float x0 = rows[0][t], x1 = rows[1][t], x2 = rows[2][t], x3 = rows[3][t];

      memcpy (&b0, b + t * ldb, 32);
      memcpy (&b1, b + t * ldb + 8, 32);
      a00 += x0 * b0; a01 += x0 * b1;
      a10 += x1 * b0; a11 += x1 * b1;
      a20 += x2 * b0; a21 += x2 * b1;
      a30 += x3 * b0; a31 += x3 * b1;
    }

  a00 *= scale; a01 *= scale; a10 *= scale; a11 *= scale;
  a20 *= scale; a21 *= scale; a30 *= scale; a31 *= scale;
  memcpy (tile[0], &a00, 32); memcpy (tile[0] + 8, &a01, 32);
  memcpy (tile[1], &a10, 32); memcpy (tile[1] + 8, &a11, 32);
  memcpy (tile[2], &a20, 32); memcpy (tile[2] + 8, &a21, 32);
  memcpy (tile[3], &a30, 32); memcpy (tile[3] + 8, &a31, 32);
  for (size_t r = 0; r < TILE_ROWS; r++)
    if (out[r] != NULL)
      memcpy (out[r], tile[r], ncols * sizeof (float));
}

/* One output dimension past the last whole tile: a plain sum over the
 * keys in order, the same for every row whichever group it is in. */
FMA_CLONES
static float
dot_column (const float *w,
            const float *v,
            size_t       ldv,
            size_t       n)
{
  float acc = 0.0f;

  for (size_t t = 0; t < n; t++)
    acc += w[t] * v[t * ldv];
  return acc;
}

/* Softmax of row[lo .. hi] in place.  Every exp goes through the same
 * sixteen-lane loop (the last chunk padded), and the sum is kept in sixteen
 * lanes added up in a fixed tree, so no element's value depends on where
 * the row sits in memory.  A NaN score makes its row NaN, as expf did: the
 * forward pass reports it. */
VEC_CLONES
static void
softmax_row (float  *row,
             size_t  lo,
             size_t  hi)
{
  float part[LANES] __attribute__ ((aligned (64))) = { 0 };
  float max = row[lo], inv;

  /* the max in lanes too (any order gives the same max; lanes vectorise) */
  {
    float lane[LANES] __attribute__ ((aligned (64)));

    for (size_t u = 0; u < LANES; u++)
      lane[u] = max;
    size_t j = lo;

    for (; j + LANES <= hi + 1; j += LANES)
      for (size_t u = 0; u < LANES; u++)
        lane[u] = row[j + u] > lane[u] ? row[j + u] : lane[u];
    for (; j <= hi; j++)
      lane[0] = row[j] > lane[0] ? row[j] : lane[0];
    for (size_t u = 0; u < LANES; u++)
      max = lane[u] > max ? lane[u] : max;
  }

  /* whole chunks in place, then the last one through a padded buffer
   * (a store of a variable length would be a memcpy call per chunk) */
  {
    size_t j = lo;

    for (; j + LANES <= hi + 1; j += LANES)
      for (size_t u = 0; u < LANES; u++)
        {
          float d = row[j + u] - max;
          float e = exp_inline (d);

          e = d == d ? e : d;   /* exp_inline maps NaN to a tiny number */
          part[u] += e;
          row[j + u] = e;
        }
    if (j <= hi)
      {
        float buf[LANES] __attribute__ ((aligned (64)));
        size_t n = hi + 1 - j;

        for (size_t u = 0; u < LANES; u++)
          buf[u] = u < n ? row[j + u] : max;
        for (size_t u = 0; u < LANES; u++)
          {
            float d = buf[u] - max;
            float e = exp_inline (d);

            buf[u] = d == d ? e : d;
          }
        for (size_t u = 0; u < LANES; u++)
          part[u] += u < n ? buf[u] : 0.0f;
        for (size_t u = 0; u < n; u++)
          row[j + u] = buf[u];
      }
  }

  for (size_t width = LANES / 2; width > 0; width /= 2)
    for (size_t u = 0; u < width; u++)
      part[u] += part[u + width];
  inv = 1.0f / part[0];
  for (size_t j = lo; j <= hi; j++)
    row[j] *= inv;
}

void
ae_attention_rows (float       *scores,
                   size_t       lds,
                   float       *weights,
                   size_t       ldw,
                   const float *q,
                   const float *k,
                   size_t       hs,
                   size_t       T,
                   size_t       r0,
                   size_t       r1,
                   float        scale,
                   size_t       window,
                   bool         bidirectional)
{
  float kt[HS_CHUNK * TILE_KEYS] __attribute__ ((aligned (64)));
  size_t jlo, kend = bidirectional ? T : r1;   /* keys the block sees: 0 .. kend - 1 */

  if (r0 >= r1)
    return;

  /* q·k by key tiles: tile j0 is seen by rows from j0 on (causal) and up
   * to the last one whose window reaches it.  Row groups start at r0, so
   * which rows share a group depends on r0, but no number does. */
  jlo = ae_attention_first_key (r0, window) / TILE_KEYS * TILE_KEYS;
  for (size_t j0 = jlo; j0 < kend; j0 += TILE_KEYS)
    {
      size_t nk = min_size (TILE_KEYS, kend - j0);
      size_t g0 = j0 > r0 && !bidirectional ? r0 + (j0 - r0) / TILE_ROWS * TILE_ROWS : r0;
      size_t d0 = 0;

      do
        {
          size_t dc = min_size (HS_CHUNK, hs - d0);
          bool last = d0 + dc >= hs;

          for (size_t d = 0; d < dc; d++)
            for (size_t u = 0; u < TILE_KEYS; u++)
              kt[d * TILE_KEYS + u] = u < nk ? k[(j0 + u) * hs + d0 + d] : 0.0f;

          for (size_t a = g0; a < r1; a += TILE_ROWS)
            {
              const float *rows[TILE_ROWS];
              float *out[TILE_ROWS];

              if (ae_attention_first_key (a, window) >= j0 + nk)
                break;   /* this group and all later ones see none of the tile */

              for (size_t r = 0; r < TILE_ROWS; r++)
                {
                  /* past r1 the tile repeats the last row; it is not stored */
                  rows[r] = q + min_size (a + r, r1 - 1) * hs + d0;
                  out[r] = a + r < r1 ? weights + (a + r - r0) * ldw + j0 : NULL;
                }
              tile_4x16 (out, nk, d0 > 0, last ? scale : 1.0f, rows, kt, TILE_KEYS, dc);
            }
          d0 += dc;
        }
      while (d0 < hs);
    }

  /* Each row: keep its scores, softmax in place, zero what is masked. */
  for (size_t i = r0; i < r1; i++)
    {
      float *w = weights + (i - r0) * ldw;
      size_t lo = ae_attention_first_key (i, window), hi = bidirectional ? T - 1 : i;

      if (scores != NULL)
        {
          float *s = scores + (i - r0) * lds;

          memset (s, 0, lo * sizeof (float));
          memcpy (s + lo, w + lo, (hi + 1 - lo) * sizeof (float));
          memset (s + hi + 1, 0, (T - hi - 1) * sizeof (float));
        }
      softmax_row (w, lo, hi);
      memset (w, 0, lo * sizeof (float));
      memset (w + hi + 1, 0, (T - hi - 1) * sizeof (float));
    }
}

void
ae_attention_values (float       *out,
                     size_t       ldo,
                     const float *weights,
                     size_t       ldw,
                     const float *v,
                     size_t       hs,
                     size_t       r0,
                     size_t       r1,
                     size_t       window,
                     size_t       T,
                     bool         bidirectional)
{
  /* Row groups again, each over the keys its rows see: a row's masked
   * weights are exact zeros, and adding 0 · v changes no sum, so a row's
   * output does not depend on which rows share its group. */
  for (size_t a = r0; a < r1; a += TILE_ROWS)
    {
      size_t klo = ae_attention_first_key (a, window);
      size_t n = (bidirectional ? T : min_size (a + TILE_ROWS, r1)) - klo;
      const float *rows[TILE_ROWS];
      float *out_rows[TILE_ROWS];
      size_t d0;

      for (size_t r = 0; r < TILE_ROWS; r++)
        rows[r] = weights + (min_size (a + r, r1 - 1) - r0) * ldw + klo;

      for (d0 = 0; d0 + TILE_KEYS <= hs; d0 += TILE_KEYS)
        {
          for (size_t r = 0; r < TILE_ROWS; r++)
            out_rows[r] = a + r < r1 ? out + (a + r - r0) * ldo + d0 : NULL;
          tile_4x16 (out_rows, TILE_KEYS, false, 1.0f, rows, v + klo * hs + d0, hs, n);
        }
      for (size_t d = d0; d < hs; d++)
        for (size_t r = 0; r < TILE_ROWS && a + r < r1; r++)
          out[(a + r - r0) * ldo + d] = dot_column (rows[r], v + klo * hs + d, hs, n);
    }
}
