/* ae-vec.h
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the vectorised kernels (ae-ops.c, ae-attention.c) share: the
 * function-clone attributes and the inlined exp.  Private to the engine.
 */
#pragma once

#include <stdint.h>

/* GCC gets one GELU, SwiGLU, norm and softmax per instruction set (see
 * ae_gelu_new).  clang 14, used only for the fuzzing build, never emits a
 * target_clones function that its own file does not call, and ignores
 * optimize (): it gets the plain loops. */
#if defined(__clang__)
#define VEC_CLONES
#define FMA_CLONES
#define EXP_INLINE static inline float
#else
#define VEC_CLONES __attribute__ ((target_clones ("avx512f", "avx2", "default"), \
                                    optimize ("tree-vectorize", "no-trapping-math")))
/* The same with fused multiply-add where the processor has it: "avx2"
 * alone does not include FMA, the x86-64-v3 level (Haswell, Zen) does. */
#define FMA_CLONES __attribute__ ((target_clones ("arch=x86-64-v4", "arch=x86-64-v3", "default"), \
                                    optimize ("tree-vectorize", "no-trapping-math")))
#define EXP_INLINE static inline __attribute__ ((always_inline, \
                                    optimize ("tree-vectorize", "no-trapping-math"))) float
#endif

/* exp(a) without branches or libm calls, defined for every float: a below
 * -87 gives exp(-87) (no subnormal scale), a above 88.4 gives +Inf (n reaches
 * 128, whose biased exponent 255 is exactly the bit pattern of infinity), and
 * NaN gives exp(-87).  The clamps are written so that NaN fails both
 * comparisons and lands on the lower bound: with the usual `a < lo ? lo : a`
 * form NaN went through, and (int32_t) of NaN is undefined behaviour. */
EXP_INLINE
exp_inline (float a)
{
  const float log2e = 1.44269504088896341f;
  const float ln2_hi = 0.693359375f, ln2_lo = -2.12194440e-4f;
  float n, r, p;
  union { uint32_t i; float f; } scale;

  a = a > -87.0f ? a : -87.0f;
  a = a < 89.0f ? a : 89.0f;
  n = (a * log2e + 12582912.0f) - 12582912.0f;   /* round to nearest: 1.5·2²³ */
  r = a - n * ln2_hi;
  r = r - n * ln2_lo;
  p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  scale.i = (uint32_t) ((int32_t) n + 127) << 23;   /* n in [-126, 128] */
  return p * scale.f;
}
