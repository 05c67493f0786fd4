/* render-fixture.h — AttnResults for the renderer and export tests
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two sources: a real run of the tiny fixture model (no trained weights
 * needed), and a synthetic result of any shape (L × NH heads, T tokens)
 * with the fixture's tokenizer and hand-made weights, for sizes the tiny
 * model's 32-token context cannot reach (GPT-2 small's 144 heads, 1024
 * tokens).  Header-only, included by each test.
 */
#pragma once

#include <math.h>
#include <string.h>

#include "attn-engine.h"
#include "attn-result.h"

static inline char *
fixture_model_dir (void)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "models", "tiny-f32", NULL);
}

static inline AttnEngine *
fixture_engine (void)
{
  g_autofree char *dir = fixture_model_dir ();
  g_autoptr(GError) error = NULL;
  AttnEngine *engine = attn_engine_new (dir, NULL, &error);

  g_assert_no_error (error);
  return engine;
}

/* @text through fixture model @name (tests/fixtures/models), with its trace. */
static inline AttnResult *
model_result (const char *name,
              const char *text)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fixtures", "models", name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, &error);
  AttnResult *result;

  g_assert_no_error (error);
  result = attn_engine_run (engine, text, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (attn_result_get_trace (result));
  return result;
}

/* "The cat sat on the mat." through tiny-f32: 12 tokens, 2 layers × 4 heads. */
static inline AttnResult *
fixture_result (void)
{
  return model_result ("tiny-f32", "The cat sat on the mat.");
}

/* Rows that look like attention: a sink on token 0, a bump on the previous
 * token and a decay over distance, different per head; rows sum to 1. */
static inline void
fill_synthetic_weights (AeTrace *trace)
{
  size_t T = trace->n_tokens;

  for (size_t l = 0; l < trace->n_layer; l++)
    for (size_t h = 0; h < trace->n_head; h++)
      {
        float *w = trace->weights + ((l * trace->n_head + h) * T) * T;
        double tau = 1.0 + (double) ((l * 7 + h * 3) % 11);

        for (size_t q = 0; q < T; q++)
          {
            double sum = 0;

            for (size_t k = 0; k <= q; k++)
              {
                double v = exp (-(double) (q - k) / tau) + (k == 0 ? 2.0 : 0.0) + (k + 1 == q ? 1.0 : 0.0);
                w[q * T + k] = v;
                sum += v;
              }
            for (size_t k = 0; k <= q; k++)
              w[q * T + k] /= sum;
          }
      }
}

static inline AttnResult *
synthetic_result (guint n_layers,
                  guint n_heads,
                  guint n_tokens)
{
  g_autoptr(AttnEngine) engine = fixture_engine ();
  const AeTokenizer *tokenizer = ae_model_tokenizer (attn_engine_get_model (engine));
  g_autoptr(GString) text = g_string_new (NULL);
  AeTokens tokens = { 0 };
  AeError error = { 0 };
  AeTrace *trace;

  /* Enough text for n_tokens tokens; the rest are cut off. */
  while (text->len < n_tokens * 2 + 16)
    g_string_append (text, "The cat sat on the mat.\nA dog\tran to the park. ");
  g_assert_cmpint (ae_tokenizer_encode (tokenizer, text->str, text->len, &tokens, &error), ==, AE_STATUS_OK);
  g_assert_cmpuint (tokens.n_tokens, >=, n_tokens);
  tokens.n_tokens = n_tokens;

  trace = ae_trace_new (n_layers, n_heads, n_tokens, n_heads * 4);
  g_assert_nonnull (trace);
  fill_synthetic_weights (trace);

  return _attn_result_new (text->str, "synthetic", tokenizer, &tokens, 0, trace);
}

/* One pixel of an ARGB32 image surface. */
static inline guint32
surface_pixel (cairo_surface_t *surface,
               int              x,
               int              y)
{
  const guchar *data;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, cairo_image_surface_get_width (surface));
  g_assert_cmpint (y, <, cairo_image_surface_get_height (surface));
  return *(const guint32 *) (data + (gsize) y * cairo_image_surface_get_stride (surface) + 4 * x);
}

/* The largest difference of one channel between two opaque pixels. */
static inline int
pixel_distance (guint32 a,
                guint32 b)
{
  int d = 0;

  for (int shift = 0; shift <= 16; shift += 8)
    d = MAX (d, ABS ((int) ((a >> shift) & 0xff) - (int) ((b >> shift) & 0xff)));
  return d;
}
