/* test-trace.c — linear traces, heads on demand, incremental passes, cancel
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 13's engine: a linear trace (no (T, T) arrays) must give, on
 * demand, bit for bit the scores and weights a full trace kept, through
 * every accessor; a pass that reuses an earlier trace's prefix must equal a
 * full pass to 2e-6 (1e-6 on AVX2) over many random edits; a stop request must end a pass
 * inside its first layer.  The numbers themselves are checked against the
 * numpy reference by test-forward and test-families (full traces): here
 * the linear and incremental paths are checked against those.
 */

#include <glib.h>
#include <math.h>
#include <stdatomic.h>
#include <string.h>

#include "ae-attention.h"
#include "ae-model.h"
#include "ae-threads.h"
#include "ae-trace.h"

static AeModel *
load_model (const char *name)
{
  const char *models = g_getenv ("ATTENTION_MODELS_DIR");
  g_autofree char *dir = NULL;
  AeModel *model = NULL;
  AeError error = { 0 };

  if (strcmp (name, "minigpt-en") != 0)
    dir = g_test_build_filename (G_TEST_DIST, "fixtures", "models", name, NULL);
  else if (models != NULL)
    dir = g_build_filename (models, name, NULL);
  else
    dir = g_test_build_filename (G_TEST_DIST, "..", "data", "models", name, NULL);
  if (ae_model_load (&model, dir, &error) != AE_STATUS_OK)
    g_error ("%s: %s", dir, error.message);
  return model;
}

static AeTrace *
run (const AeModel      *model,
     const int32_t      *ids,
     size_t              T,
     const AeRunOptions *options)
{
  AeTrace *trace = NULL;
  AeError error = { 0 };

  if (ae_model_run (model, ids, T, options, &trace, &error) != AE_STATUS_OK)
    g_error ("run: %s", error.message);
  return trace;
}

static void
random_ids (GRand   *rand,
            int32_t *ids,
            size_t   n,
            size_t   vocab)
{
  for (size_t i = 0; i < n; i++)
    ids[i] = g_rand_int_range (rand, 0, (gint32) vocab);
}

/* Every array both kinds of trace have, with its length. */
typedef struct
{
  const char  *name;
  const float *a, *b;
  size_t       n;
} Pair;

static size_t
trace_pairs (const AeTrace *a,
             const AeTrace *b,
             Pair           pairs[8])
{
  size_t L = a->n_layer, T = a->n_tokens, C = a->n_embd, hs = a->head_size;
  size_t NH = a->n_head, NKV = a->n_kv_head, n = 0;

  g_assert_cmpuint (b->n_tokens, ==, T);
  g_assert_cmpuint (b->n_layer, ==, L);
  pairs[n++] = (Pair) { "ln1", a->ln1, b->ln1, L * T * C };
  pairs[n++] = (Pair) { "q", a->q, b->q, L * NH * T * hs };
  pairs[n++] = (Pair) { "k", a->k, b->k, L * NKV * T * hs };
  pairs[n++] = (Pair) { "v", a->v, b->v, L * NKV * T * hs };
  pairs[n++] = (Pair) { "head_out", a->head_out, b->head_out, L * NH * T * hs };
  pairs[n++] = (Pair) { "attn_out", a->attn_out, b->attn_out, L * T * C };
  pairs[n++] = (Pair) { "resid", a->resid, b->resid, L * T * C };
  if (a->hidden != NULL || b->hidden != NULL)
    pairs[n++] = (Pair) { "hidden", a->hidden, b->hidden, T * C };
  return n;
}

static size_t
models_n_ctx (const AeModel *model)
{
  return ae_model_config (model)->n_ctx;
}

/* Max pooling of one head of @trace equals, bit for bit, the largest of
 * each cell's weights in @fw (the head read whole from a full trace),
 * whichever way @trace holds the head: kept, recently viewed, only q and k
 * (rows computed as they are pooled) or a full trace's array.  The cells
 * are those of ae_trace_head_pooled (): at least one row and column each. */
static void
check_max_pooled (const AeTrace *trace,
                  size_t         layer,
                  size_t         head,
                  const float   *fw)
{
  size_t T = trace->n_tokens;
  const size_t shapes[][2] = { { 7, 5 }, { T + 2, 3 }, { 1, 1 }, { T, T }, { T - 1, T / 2 + 1 }, { 3, T + 5 } };

  for (size_t k = 0; k < G_N_ELEMENTS (shapes); k++)
    {
      size_t nr = shapes[k][0], nc = shapes[k][1];
      g_autofree float *pooled = g_new (float, nr * nc);

      g_assert_cmpint (ae_trace_head_pooled (trace, layer, head, nr, nc, AE_POOL_MAX, pooled, NULL),
                       ==, AE_STATUS_OK);
      for (size_t a = 0; a < nr; a++)
        for (size_t b = 0; b < nc; b++)
          {
            size_t rs = a * T / nr, re = MIN (MAX ((a + 1) * T / nr, rs + 1), T);
            size_t cs = b * T / nc, ce = MIN (MAX ((b + 1) * T / nc, cs + 1), T);
            float want = 0.0f;

            for (size_t i = rs; i < re; i++)
              for (size_t j = cs; j < ce; j++)
                want = MAX (want, fw[i * T + j]);
            if (pooled[a * nc + b] != want)
              g_error ("%zu × %zu cells, cell (%zu, %zu): pooled %.9g, the cells' largest weight %.9g",
                       nr, nc, a, b, pooled[a * nc + b], want);
          }
    }
}

/* A linear trace keeps no (T, T) array, and every way of reading a head
 * gives the full trace's numbers exactly. */
static void
test_linear_equals_full (gconstpointer data)
{
  AeModel *model = load_model (data);
  const AeConfig *cfg = ae_model_config (model);
  size_t T = models_n_ctx (model);
  g_autofree int32_t *ids = g_new (int32_t, T);
  g_autoptr(GRand) rand = g_rand_new_with_seed (13);
  AeRunOptions linear_options = { 0 };
  AeTrace *full, *linear;
  Pair pairs[8];
  size_t n_pairs, ld = T + 3;
  const size_t ranges[][2] = { { 0, 1 }, { 3, 7 }, { T - 1, T }, { 5, T }, { 0, T }, { T / 2, T / 2 } };
  g_autofree float *s = g_new (float, T * ld), *w = g_new (float, T * ld);
  g_autofree float *pooled = NULL;

  random_ids (rand, ids, T, cfg->vocab_size);
  full = run (model, ids, T, &(AeRunOptions) { .keep_attention = true });
  linear = run (model, ids, T, &linear_options);

  g_assert_nonnull (full->weights);
  g_assert_null (linear->weights);

  /* max pooling from q and k alone keeps no head; from a head viewed last
   * (held by a view) it reads that one */
  for (size_t l = 0; l < full->n_layer; l++)
    check_max_pooled (linear, l, 1, ae_trace_weights (full, l, 1));
  g_assert_cmpuint (ae_trace_heads_held (linear), ==, 0);
  {
    const AeHeadAttention *viewed = ae_trace_head_get (linear, 0, 0, NULL);

    check_max_pooled (linear, 0, 0, ae_trace_weights (full, 0, 0));
    ae_head_attention_release (viewed);
  }
  check_max_pooled (full, full->n_layer - 1, 1, ae_trace_weights (full, full->n_layer - 1, 1));
  g_assert_null (linear->scores);
  g_assert_nonnull (linear->hidden);
  g_assert_cmpuint (linear->n_floats, <, full->n_floats);

  n_pairs = trace_pairs (full, linear, pairs);
  for (size_t i = 0; i < n_pairs; i++)
    {
      g_test_message ("%s", pairs[i].name);
      g_assert_cmpmem (pairs[i].a, pairs[i].n * sizeof (float), pairs[i].b, pairs[i].n * sizeof (float));
    }

  for (size_t l = 0; l < full->n_layer; l++)
    for (size_t h = 0; h < full->n_head; h++)
      {
        const float *fw = ae_trace_weights (full, l, h), *fs = ae_trace_scores (full, l, h);
        const AeHeadAttention *got;

        /* the borrowed pointers */
        g_assert_cmpmem (ae_trace_weights (linear, l, h), T * T * sizeof (float), fw, T * T * sizeof (float));
        g_assert_cmpmem (ae_trace_scores (linear, l, h), T * T * sizeof (float), fs, T * T * sizeof (float));
        g_assert_true (ae_trace_weights (linear, l, h) == ae_trace_weights (linear, l, h));

        /* blocks of rows, at a stride wider than a row */
        for (size_t r = 0; r < G_N_ELEMENTS (ranges); r++)
          {
            size_t r0 = ranges[r][0], r1 = ranges[r][1];

            g_assert_cmpint (ae_trace_head_rows (linear, l, h, r0, r1, s, ld, w, ld, NULL), ==, AE_STATUS_OK);
            for (size_t i = r0; i < r1; i++)
              {
                g_assert_cmpmem (w + (i - r0) * ld, T * sizeof (float), fw + i * T, T * sizeof (float));
                g_assert_cmpmem (s + (i - r0) * ld, T * sizeof (float), fs + i * T, T * sizeof (float));
              }
          }

        /* the whole head, shared */
        got = ae_trace_head_get (linear, l, h, NULL);
        g_assert_nonnull (got);
        g_assert_cmpuint (got->n_tokens, ==, T);
        g_assert_cmpmem (got->weights, T * T * sizeof (float), fw, T * T * sizeof (float));
        ae_head_attention_release (got);
      }

  /* pooled from the kept heads */
  check_max_pooled (linear, full->n_layer - 1, 1, ae_trace_weights (full, full->n_layer - 1, 1));

  /* pooled: mean and max of each cell, against the full weights */
  for (int pool = AE_POOL_MEAN; pool <= AE_POOL_MAX; pool++)
    {
      const size_t shapes[][2] = { { 7, 5 }, { T + 2, 3 }, { 1, 1 } };

      for (size_t k = 0; k < G_N_ELEMENTS (shapes); k++)
        {
          size_t nr = shapes[k][0], nc = shapes[k][1];
          const float *fw = ae_trace_weights (full, full->n_layer - 1, 1);

          pooled = g_renew (float, pooled, nr * nc);
          g_assert_cmpint (ae_trace_head_pooled (linear, full->n_layer - 1, 1, nr, nc, pool, pooled, NULL),
                           ==, AE_STATUS_OK);
          for (size_t a = 0; a < nr; a++)
            for (size_t b = 0; b < nc; b++)
              {
                size_t rs = a * T / nr, re = MAX ((a + 1) * T / nr, rs + 1);
                size_t cs = b * T / nc, ce = MAX ((b + 1) * T / nc, cs + 1);
                double want = 0.0;

                for (size_t i = rs; i < re; i++)
                  for (size_t j = cs; j < ce; j++)
                    want = pool == AE_POOL_MAX ? MAX (want, fw[i * T + j]) : want + fw[i * T + j];
                if (pool == AE_POOL_MEAN)
                  want /= (double) ((re - rs) * (ce - cs));
                g_assert_cmpfloat_with_epsilon (pooled[a * nc + b], want, 1e-6);
              }
        }
    }

  ae_trace_free (full);
  ae_trace_free (linear);
  ae_model_free (model);
}

/* A pass that keeps only its last layers (attention-cli weights --layer L)
 * gives those layers bit for bit what a whole pass gives, in a trace a
 * fraction of the size; the layers it ran without keeping are refused by
 * every accessor, and such a pass neither reuses nor feeds the residual
 * hook. */
static void
test_kept_layers (gconstpointer data)
{
  AeModel *model = load_model (data);
  const AeConfig *cfg = ae_model_config (model);
  size_t T = models_n_ctx (model), L = cfg->n_layer;
  g_autofree int32_t *ids = g_new (int32_t, T);
  g_autoptr(GRand) rand = g_rand_new_with_seed (17);
  g_autofree float *w = g_new (float, T * T), *s = g_new (float, T * T);
  AeTrace *whole, *part;
  AeError error = { 0 };
  float resid[4];

  random_ids (rand, ids, T, cfg->vocab_size);
  whole = run (model, ids, T, NULL);
  for (size_t first = 0; first < L; first++)
    for (int keep = 0; keep <= 1; keep++)
      {
        AeRunOptions options = { .n_layers = first + 1, .first_kept_layer = first,
                                 .keep_attention = keep, .reuse = whole };

        part = run (model, ids, T, &options);
        g_assert_cmpuint (part->n_layer, ==, first + 1);
        g_assert_cmpuint (part->first_layer, ==, first);
        if (first > 0)
          g_assert_cmpuint (part->n_reused, ==, 0);   /* the layers before are not in it */
        g_assert_true (first + 1 < L || part->hidden != NULL);
        if (!keep && first > 0)
          g_assert_cmpuint (part->n_floats, <, whole->n_floats / L * 2 + 1);
        for (size_t l = 0; l < first; l++)
          {
            g_assert_false (ae_trace_has_layer (part, l));
            g_assert_null (ae_trace_q (part, l, 0));
            g_assert_null (ae_trace_k (part, l, 0));
            g_assert_null (ae_trace_ln1 (part, l));
            g_assert_null (ae_trace_resid (part, l));
            g_assert_null (ae_trace_weights (part, l, 0));
            g_assert_null (ae_trace_head_get (part, l, 0, &error));
            g_assert_nonnull (strstr (error.message, "not kept"));
            g_assert_cmpint (ae_trace_head_rows (part, l, 0, 0, T, NULL, 0, w, T, NULL),
                             ==, AE_STATUS_INVALID_ARGUMENT);
          }
        g_assert_cmpmem (ae_trace_q (part, first, 0), T * cfg->head_size * sizeof (float),
                         ae_trace_q (whole, first, 0), T * cfg->head_size * sizeof (float));
        g_assert_cmpmem (ae_trace_attn_out (part, first), T * cfg->n_embd * sizeof (float),
                         ae_trace_attn_out (whole, first), T * cfg->n_embd * sizeof (float));
        for (size_t h = 0; h < cfg->n_head; h++)
          {
            g_assert_cmpint (ae_trace_head_rows (part, first, h, 0, T, s, T, w, T, NULL), ==, AE_STATUS_OK);
            g_assert_cmpmem (w, T * T * sizeof (float), ae_trace_weights (whole, first, h), T * T * sizeof (float));
            g_assert_cmpmem (s, T * T * sizeof (float), ae_trace_scores (whole, first, h), T * T * sizeof (float));
            g_assert_cmpmem (ae_trace_weights (part, first, h), T * T * sizeof (float),
                             ae_trace_weights (whole, first, h), T * T * sizeof (float));
          }
        ae_trace_free (part);
      }

  /* the residual hook needs every layer's stream */
  if (L > 1)
    {
      AeForwardHooks hooks = { NULL, resid };
      AeRunOptions options = { .first_kept_layer = 1, .hooks = &hooks };

      part = NULL;
      g_assert_cmpint (ae_model_run (model, ids, T, &options, &part, &error), ==, AE_STATUS_INVALID_ARGUMENT);
      g_assert_null (part);
      options = (AeRunOptions) { .n_layers = 1, .first_kept_layer = 1 };
      g_assert_cmpint (ae_model_run (model, ids, T, &options, &part, &error), ==, AE_STATUS_INVALID_ARGUMENT);
      g_assert_null (part);
    }
  ae_trace_free (whole);
  ae_model_free (model);
}

/* Out of range is an error, never a read past the arrays. */
static void
test_heads_bad_arguments (void)
{
  AeModel *model = load_model ("tiny-f32");
  const int32_t ids[] = { 5, 6, 7 };
  AeTrace *trace = run (model, ids, 3, NULL);
  float w[9], s[9];
  AeError error = { 0 };

  g_assert_cmpint (ae_trace_head_rows (trace, trace->n_layer, 0, 0, 1, NULL, 0, w, 3, &error),
                   ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "no head 0 of layer"));
  g_assert_cmpint (ae_trace_head_rows (trace, 0, trace->n_head, 0, 1, NULL, 0, w, 3, NULL),
                   ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (ae_trace_head_rows (trace, 0, 0, 2, 4, NULL, 0, w, 3, NULL), ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (ae_trace_head_rows (trace, 0, 0, 2, 1, NULL, 0, w, 3, NULL), ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (ae_trace_head_rows (trace, 0, 0, 0, 3, NULL, 0, w, 2, NULL), ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (ae_trace_head_rows (trace, 0, 0, 0, 3, s, 2, w, 3, NULL), ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (ae_trace_head_rows (trace, 0, 0, 0, 3, NULL, 0, NULL, 3, NULL), ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (ae_trace_head_pooled (trace, 0, 0, 0, 3, AE_POOL_MEAN, w, NULL), ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_null (ae_trace_head_get (trace, trace->n_layer, 0, &error));
  g_assert_cmpint (error.status, ==, AE_STATUS_INVALID_ARGUMENT);
  g_assert_null (ae_trace_weights (trace, 0, trace->n_head));
  g_assert_null (ae_trace_resid (trace, trace->n_layer + 1));
  g_assert_true (ae_trace_resid (trace, trace->n_layer) == trace->hidden);
  ae_trace_free (trace);
  ae_model_free (model);
}

/* The cache lets go of heads past its size, but never of one still held,
 * which outlives even the trace. */
static void
test_head_cache (void)
{
  AeModel *model = load_model ("tiny-f32");
  const int32_t ids[] = { 5, 6, 7, 8, 9, 10, 11 };
  size_t T = G_N_ELEMENTS (ids);
  AeTrace *trace = run (model, ids, T, NULL);
  AeTrace *full = run (model, ids, T, &(AeRunOptions) { .keep_attention = true });
  const AeHeadAttention *a, *b, *a2, *c;

  ae_trace_set_head_cache (trace, 1);
  a = ae_trace_head_get (trace, 0, 0, NULL);
  a2 = ae_trace_head_get (trace, 0, 0, NULL);
  g_assert_true (a == a2);                      /* cached: the same entry */
  ae_head_attention_release (a2);
  b = ae_trace_head_get (trace, 1, 2, NULL);    /* pushes a out of the cache */
  c = ae_trace_head_get (trace, 0, 0, NULL);    /* so a is computed again */
  g_assert_true (c != a);
  g_assert_cmpmem (c->weights, T * T * sizeof (float), a->weights, T * T * sizeof (float));
  ae_head_attention_release (c);
  ae_trace_free (trace);
  /* still held after the trace is gone */
  g_assert_cmpmem (a->weights, T * T * sizeof (float), ae_trace_weights (full, 0, 0), T * T * sizeof (float));
  g_assert_cmpmem (b->scores, T * T * sizeof (float), ae_trace_scores (full, 1, 2), T * T * sizeof (float));
  g_assert_cmpuint (b->layer, ==, 1);
  g_assert_cmpuint (b->head, ==, 2);
  ae_head_attention_release (a);
  ae_head_attention_release (b);
  ae_trace_free (full);
  ae_model_free (model);
}

static size_t
common_prefix (const int32_t *a,
               size_t         na,
               const int32_t *b,
               size_t         nb)
{
  size_t p = 0;

  while (p < na && p < nb && a[p] == b[p])
    p++;
  return p;
}

/* The largest difference of @a from @b, relative to @b's largest
 * magnitude (at least 1): float32 resolves 6e-8 of a value, and projections
 * of the fixtures' random weights reach 30, where one rounding step of a
 * GEMM that batches rows differently is already 2e-6 absolute. */
static double
max_diff (const float *a,
          const float *b,
          size_t       n)
{
  double worst = 0.0, scale = 1.0;

  for (size_t i = 0; i < n; i++)
    {
      worst = MAX (worst, fabs ((double) a[i] - (double) b[i]));
      scale = MAX (scale, fabs ((double) b[i]));
    }
  return worst / scale;
}

typedef struct
{
  int32_t *ids;
  size_t   n;
} Text;

/* One random edit of @text, at a random place, as a person makes them in
 * an editor: the token sequences after typing, deleting, replacing,
 * pasting, or going back to an earlier text (undo). */
static const char *
random_edit (GRand   *rand,
             Text    *text,
             GArray  *history,
             size_t   n_ctx,
             size_t   vocab)
{
  int kind = g_rand_int_range (rand, 0, 5);
  size_t at = text->n > 0 ? (size_t) g_rand_int_range (rand, 0, (gint32) text->n + 1) : 0;
  size_t len;

  if (kind == 4 && history->len > 0)
    {
      Text *last = &g_array_index (history, Text, history->len - 1);

      g_free (text->ids);
      *text = *last;
      g_array_set_size (history, history->len - 1);
      return "undo";
    }
  /* room for the longest text: an undo makes the copy the text again */
  g_array_append_val (history, ((Text) { g_memdup2 (text->ids, (n_ctx + 1) * sizeof (int32_t)), text->n }));

  switch (kind)
    {
    case 1:   /* delete up to 3 tokens */
      len = MIN ((size_t) g_rand_int_range (rand, 1, 4), text->n - MIN (at, text->n));
      memmove (text->ids + at, text->ids + at + len, (text->n - at - len) * sizeof (int32_t));
      text->n -= len;
      return "delete";
    case 2:   /* replace one token */
      if (at < text->n)
        {
          random_ids (rand, text->ids + at, 1, vocab);
          return "replace";
        }
      G_GNUC_FALLTHROUGH;
    case 0:   /* type 1 to 3 tokens */
    case 3:   /* paste 5 to 20 */
    default:
      len = kind == 3 ? (size_t) g_rand_int_range (rand, 5, 21) : (size_t) g_rand_int_range (rand, 1, 4);
      len = MIN (len, n_ctx - text->n);
      memmove (text->ids + at + len, text->ids + at, (text->n - at) * sizeof (int32_t));
      random_ids (rand, text->ids + at, len, vocab);
      text->n += len;
      return kind == 3 ? "paste" : "insert";
    }
}

/* Many random edits: each pass reuses the last one's trace and must equal
 * a full pass over the same tokens to 2e-6 (relative to each array's
 * scale, see max_diff; 3e-6 for the trained built-in model), in every array and every head's scores and
 * weights, having copied exactly the common prefix.  Not bit for bit:
 * oneDNN's sgemm sums in an order that depends on how many rows it is
 * given, and the incremental pass gives it fewer. */
static void
test_incremental_edits (gconstpointer data)
{
  AeModel *model = load_model (data);
  const AeConfig *cfg = ae_model_config (model);
  size_t n_ctx = models_n_ctx (model), n_edits = n_ctx > 64 ? 25 : 80;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1300);
  g_autoptr(GArray) history = g_array_new (FALSE, FALSE, sizeof (Text));
  Text text = { g_new (int32_t, n_ctx + 1), n_ctx / 3 };
  g_autofree float *w = g_new (float, n_ctx * n_ctx), *fw = g_new (float, n_ctx * n_ctx);
  g_autofree float *s = g_new (float, n_ctx * n_ctx), *fs = g_new (float, n_ctx * n_ctx);
  AeTrace *trace;
  /* The trained model's sharp heads turn a rounding step of a score into
   * more than random weights do: over its 4 layers the two passes drift
   * apart by up to 1.2e-6 of a value's scale.  The random models stay
   * within 1e-6 where oneDNN runs its AVX2 kernels; its AVX-512 ones block
   * the sums differently for a few rows than for many, and qwen2-gqa4's
   * head outputs then drift by 1.5e-6 (7.2e-7 the next worst), so the
   * bound is 2e-6: twenty-some float32 rounding steps, far below any
   * difference a wrong reuse makes (whole units of a value's scale). */
  double worst = 0.0, tolerance = strcmp (data, "minigpt-en") == 0 ? 3e-6 : 2e-6;
  size_t reused = 0, total = 0;

  random_ids (rand, text.ids, text.n, cfg->vocab_size);
  trace = run (model, text.ids, text.n, NULL);

  for (size_t e = 0; e < n_edits; e++)
    {
      size_t before = trace->n_tokens;
      g_autofree int32_t *old_ids = g_new0 (int32_t, before + 1);
      const char *kind;

      memcpy (old_ids, trace->ids, before * sizeof (int32_t));
      kind = random_edit (rand, &text, history, n_ctx, cfg->vocab_size);
      /* every third pass keeps every head's attention, to cover that path too */
      AeRunOptions options = { .reuse = trace, .keep_attention = e % 3 == 2 };
      AeTrace *next = run (model, text.ids, text.n, &options);
      AeTrace *full = run (model, text.ids, text.n, NULL);
      size_t T = text.n, P = common_prefix (old_ids, before, text.ids, T);
      Pair pairs[8];
      size_t n_pairs = trace_pairs (full, next, pairs);

      g_assert_cmpuint (next->n_reused, ==, P);
      reused += P;
      total += T;
      for (size_t i = 0; i < n_pairs; i++)
        {
          double d = max_diff (pairs[i].a, pairs[i].b, pairs[i].n);

          if (d > tolerance)
            g_error ("edit %zu (%s, %zu tokens, %zu reused): %s differs by %g", e, kind, T, P,
                     pairs[i].name, d);
          worst = MAX (worst, d);
        }
      /* Weights: a score off by one rounding step of its size moves its
       * weight by that much relative, so the bound scales with the head's
       * largest score (trained heads reach 20 and more). */
      for (size_t l = 0; l < next->n_layer; l++)
        for (size_t h = 0; h < next->n_head; h++)
          {
            double score_scale = 1.0, d;

            ae_trace_head_rows (next, l, h, 0, T, s, T, w, T, NULL);
            ae_trace_head_rows (full, l, h, 0, T, fs, T, fw, T, NULL);
            for (size_t i = 0; i < T * T; i++)
              score_scale = MAX (score_scale, fabs (fs[i]));
            worst = MAX (worst, max_diff (s, fs, T * T));
            g_assert_cmpfloat (max_diff (s, fs, T * T), <=, tolerance);
            d = max_diff (w, fw, T * T) / score_scale;
            worst = MAX (worst, d);
            if (d > tolerance)
              g_error ("edit %zu (%s): layer %zu head %zu weights differ by %g (scores up to %g)",
                       e, kind, l, h, d * score_scale, score_scale);
          }
      ae_trace_free (full);
      ae_trace_free (trace);
      trace = next;
    }

  /* the edits did reuse most of the text */
  g_assert_cmpuint (reused, >, total / 4);
  g_test_message ("%s: %zu edits, %zu of %zu rows reused, max relative difference %.3g",
                  (const char *) data, n_edits, reused, total, worst);
  for (guint i = 0; i < history->len; i++)
    g_free (g_array_index (history, Text, i).ids);
  g_free (text.ids);
  ae_trace_free (trace);
  ae_model_free (model);
}

/* A trace of another model, or of fewer layers, is not reused. */
static void
test_incremental_refuses (void)
{
  AeModel *model = load_model ("tiny-f32"), *other = load_model ("tiny-f16");
  const int32_t ids[] = { 5, 6, 7, 8 };
  AeTrace *mine = run (model, ids, 4, NULL);
  AeTrace *theirs = run (other, ids, 4, NULL);
  AeTrace *first = run (model, ids, 4, &(AeRunOptions) { .n_layers = 1 });
  AeTrace *t;

  t = run (model, ids, 4, &(AeRunOptions) { .reuse = theirs });
  g_assert_cmpuint (t->n_reused, ==, 0);
  ae_trace_free (t);
  t = run (model, ids, 4, &(AeRunOptions) { .reuse = first });
  g_assert_cmpuint (t->n_reused, ==, 0);
  ae_trace_free (t);
  t = run (model, ids, 4, &(AeRunOptions) { .reuse = mine });
  g_assert_cmpuint (t->n_reused, ==, 4);
  ae_trace_free (t);
  {
    AeModel *encoder = load_model ("bert-base");
    AeTrace *before = run (encoder, ids, 4, NULL);

    t = run (encoder, ids, 4, &(AeRunOptions) { .reuse = before });
    g_assert_cmpuint (t->n_reused, ==, 0);
    ae_trace_free (before);
    ae_model_free (encoder);
  }
  ae_trace_free (t);
  t = run (model, ids, 4, &(AeRunOptions) { .reuse = mine });
  g_assert_cmpmem (t->attn_out, 4 * t->n_layer * t->n_embd * sizeof (float),
                   mine->attn_out, 4 * t->n_layer * t->n_embd * sizeof (float));
  ae_trace_free (t);
  ae_trace_free (mine);
  ae_trace_free (theirs);
  ae_trace_free (first);
  ae_model_free (model);
  ae_model_free (other);
}

typedef struct
{
  atomic_int    calls;
  int           stop_at;
  AeCancelFlag *flag;   /* set instead of answering true, when given */
} Stopper;

static bool
stop_after (void *data)
{
  Stopper *s = data;
  int n = atomic_fetch_add (&s->calls, 1) + 1;

  if (n < s->stop_at)
    return false;
  if (s->flag != NULL)
    {
      atomic_store (s->flag, 1);
      return false;
    }
  return true;
}

/* A stop request ends the pass inside its first layer: within one work
 * item per thread of the request, long before the layer's other blocks or
 * the next layer's check. */
static void
test_cancel_inside_layer (gconstpointer data)
{
  gboolean use_flag = GPOINTER_TO_INT (data);
  AeModel *model = load_model ("minigpt-en");
  size_t T = models_n_ctx (model), NH = ae_model_config (model)->n_head;
  size_t items_per_layer = NH * ((T + AE_ATTENTION_BLOCK - 1) / AE_ATTENTION_BLOCK);
  g_autofree int32_t *ids = g_new (int32_t, T);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  AeCancelFlag flag = 0;
  Stopper stopper = { .stop_at = 3, .flag = use_flag ? &flag : NULL };
  AeRunOptions options = { .should_stop = stop_after, .stop_data = &stopper, .cancel = &flag };
  AeTrace *trace = (AeTrace *) 0x1;
  AeError error = { 0 };
  int calls;

  random_ids (rand, ids, T, ae_model_config (model)->vocab_size);
  g_assert_cmpuint (items_per_layer, >, 3 + (size_t) ae_threads ());
  g_assert_cmpint (ae_model_run (model, ids, T, &options, &trace, &error), ==, AE_STATUS_CANCELLED);
  g_assert_null (trace);
  g_assert_cmpint (error.status, ==, AE_STATUS_CANCELLED);
  g_assert_nonnull (strstr (error.message, "cancelled"));
  calls = atomic_load (&stopper.calls);
  g_test_message ("stopped after %d polls; a layer has %zu work items", calls, items_per_layer);
  /* the poll before layer 0, two work items, then at most one more per thread */
  g_assert_cmpint (calls, <=, 3 + ae_threads ());
  ae_model_free (model);
}

/* The kernel alone: any split of the rows gives the same bits, and the
 * numbers are those of the definition, for a head size past one chunk of
 * the tile (200 > 128), a sliding window and an encoder's unmasked head. */
static void
test_kernel_rows (void)
{
  const size_t T = 150, hs = 200;
  const size_t windows[] = { 0, 37 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autofree float *q = g_new (float, T * hs), *k = g_new (float, T * hs);
  g_autofree float *whole = g_new (float, T * T), *swhole = g_new (float, T * T);
  g_autofree float *part = g_new (float, T * T), *spart = g_new (float, T * T);

  for (size_t i = 0; i < T * hs; i++)
    {
      q[i] = (float) g_rand_double_range (rand, -1, 1);
      k[i] = (float) g_rand_double_range (rand, -1, 1);
    }

  for (size_t wi = 0; wi <= G_N_ELEMENTS (windows); wi++)
    {
      /* the last case: an encoder's head, every query sees every key */
      gboolean bidirectional = wi == G_N_ELEMENTS (windows);
      size_t window = bidirectional ? 0 : windows[wi];
      float scale = 0.125f;

      ae_attention_rows (swhole, T, whole, T, q, k, hs, T, 0, T, scale, window, bidirectional);
      /* odd blocks: 1, 2, 3, ... rows */
      for (size_t r0 = 0, len = 1; r0 < T; r0 += len, len++)
        {
          size_t r1 = MIN (T, r0 + len);

          ae_attention_rows (spart + r0 * T, T, part + r0 * T, T, q, k, hs, T, r0, r1, scale, window,
                             bidirectional);
        }
      g_assert_cmpmem (part, T * T * sizeof (float), whole, T * T * sizeof (float));
      g_assert_cmpmem (spart, T * T * sizeof (float), swhole, T * T * sizeof (float));

      for (size_t i = 0; i < T; i++)
        {
          size_t lo = ae_attention_first_key (i, window), hi = bidirectional ? T - 1 : i;
          double max = -INFINITY, sum = 0.0, s[150];

          for (size_t j = lo; j <= hi; j++)
            {
              double dot = 0.0;

              for (size_t d = 0; d < hs; d++)
                dot += (double) q[i * hs + d] * k[j * hs + d];
              s[j] = dot * scale;
              max = MAX (max, s[j]);
            }
          for (size_t j = lo; j <= hi; j++)
            sum += exp (s[j] - max);
          for (size_t j = 0; j < T; j++)
            {
              gboolean seen = j >= lo && j <= hi;

              g_assert_cmpfloat_with_epsilon (swhole[i * T + j], seen ? s[j] : 0.0, 1e-5);
              g_assert_cmpfloat_with_epsilon (whole[i * T + j], seen ? exp (s[j] - max) / sum : 0.0, 1e-6);
              if (!seen)
                g_assert_true (whole[i * T + j] == 0.0f && swhole[i * T + j] == 0.0f);
            }
        }
    }
}

int
main (int argc, char **argv)
{
  static const char *models[] = {
    "tiny-f32", "gpt2-options", "llama-gqa2", "mistral-window", "pythia-parallel", "qwen2-gqa4", "minigpt-en",
  };
  /* encoders: linear traces too, but nothing to reuse (every row sees every token) */
  static const char *encoders[] = { "bert-base", "distilbert-mlm", "roberta-mlm" };

  g_test_init (&argc, &argv, NULL);

  for (size_t i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autofree char *linear = g_strdup_printf ("/trace/linear-equals-full/%s", models[i]);
      g_autofree char *edits = g_strdup_printf ("/trace/incremental-edits/%s", models[i]);

      g_test_add_data_func (linear, models[i], test_linear_equals_full);
      g_test_add_data_func (edits, models[i], test_incremental_edits);
    }
  for (size_t i = 0; i < G_N_ELEMENTS (encoders); i++)
    {
      g_autofree char *linear = g_strdup_printf ("/trace/linear-equals-full/%s", encoders[i]);

      g_test_add_data_func (linear, encoders[i], test_linear_equals_full);
    }
  g_test_add_data_func ("/trace/kept-layers/tiny-f32", "tiny-f32", test_kept_layers);
  g_test_add_data_func ("/trace/kept-layers/llama-gqa2", "llama-gqa2", test_kept_layers);
  g_test_add_data_func ("/trace/kept-layers/minigpt-en", "minigpt-en", test_kept_layers);
  g_test_add_func ("/trace/heads-bad-arguments", test_heads_bad_arguments);
  g_test_add_func ("/trace/head-cache", test_head_cache);
  g_test_add_func ("/trace/incremental-refuses", test_incremental_refuses);
  g_test_add_data_func ("/trace/cancel-inside-layer/callback", GINT_TO_POINTER (FALSE), test_cancel_inside_layer);
  g_test_add_data_func ("/trace/cancel-inside-layer/flag", GINT_TO_POINTER (TRUE), test_cancel_inside_layer);
  g_test_add_func ("/trace/kernel-rows", test_kernel_rows);

  return g_test_run ();
}
