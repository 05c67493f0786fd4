/* bench-ui.c — the window's two budgets: heatmap frame time, keystroke latency
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage:
 *   bench-ui --heatmap-model DIR [--latency-model DIR] [--width 1000] [--height 800]
 *            [--frames 60] [--runs 20]
 *
 * 1. Heatmap frame time (target < 16 ms) at 256 and 1024 tokens.  The
 *    heatmap model needs a context of 1024 (the built-in model holds 128),
 *    so run-bench passes the random GPT-2-small model.  Each frame is one
 *    attn_render_heatmap() into a WIDTH × HEIGHT ARGB32 image surface, set
 *    up like AttnHeatmapView does (query row selected, values shown, the
 *    view's AttnRenderCache), then cairo_surface_flush().  Kinds of frame:
 *      new-result  the cache is cleared first, so the T × T weights image is
 *                  painted again: the first frame after a forward pass or a
 *                  change of layer or head;
 *      repaint     the cache holds that image: hover, selection and resize;
 *    each with the map fitted to the window and zoomed (16 px cells,
 *    scrolled to the middle).
 *
 * 2. Keystroke-to-repaint latency (target < 50 ms) for sentences of 8, 32
 *    and 64 tokens on the built-in model (attn_engine_dup_builtin_dir (), or
 *    --latency-model): from attn_document_set_text() to the document's
 *    "forward-finished" signal (the forward pass runs on AttnDocument's
 *    worker thread), plus one new-result heatmap frame of the result.  The
 *    sentence editor's debounce (ATTN_SENTENCE_EDITOR_DEBOUNCE_MS) comes on
 *    top of this in the app and is not included.  Two different sentences
 *    of the same length alternate, so every set_text really recomputes.
 *    The same is then measured on the heatmap model, to show what opening
 *    a GPT-2-small-sized model of one's own costs.
 *
 *    With --long-tokens (4,096 by default), the arc view's frame on the same
 *    synthetic result too: the reading-order strip scrolled to its middle,
 *    with the middle token as the query and with none (links >= 0.2).  And
 *    the first heatmap frame on linear traces (q and k kept, the head
 *    computed when asked, as the app's passes make them), with the head not
 *    yet computed (a new layer or head) and computed before the frame (a
 *    new result: AttnDocument's pass computes the selected head); and
 *    another layer and head chosen through AttnDocument on a real 4,096-
 *    token result of the qwen2-hf test model (context raised), up to the
 *    end of that head's first frame.
 *
 * 3. The token strip (with --strip, needs a display: run under xvfb-run)
 *    at --strip-tokens tokens (4,096): a real forward pass on --strip-model,
 *    by default a copy of the tiny rotary test model tests/fixtures/models/
 *    qwen2-hf whose context is raised to fit (rotary models have no position
 *    table, so the copy runs any length).  In a window like Attention's
 *    (the strip in a scrolled window at most 104 px high, 1000 px wide):
 *      set       attn_token_strip_set_document () with the long result and
 *                the frame that lays it out and draws it (wall time from the
 *                call to the end of that frame);
 *      select    a frame after the query moves by one token (tints change);
 *      scroll    a frame after the strip scrolls by one line;
 *    each frame timed from the frame clock's before-paint to its
 *    after-paint (layout, snapshot and the cairo renderer).
 *
 * 4. The sentence editor (with --editor, under xvfb-run) holding --editor-kb
 *    KB of prose (50) on the built-in model (context 128: most of the text
 *    is past it and greyed), in a 1000 × 600 window:
 *      set        attn_sentence_editor_set_text () to the frame showing it;
 *      result     the result of that text arriving (the past-context tag
 *                 over the rest of the text) to the frame showing it, and
 *                 the result after a character typed at the end;
 *      keystroke  one character typed at the end, in the middle and at the
 *                 start, to the frame showing it (the forward pass waits
 *                 for the editor's debounce, so it is not in these);
 *    as paragraphs of prose and as one line without newlines (GtkTextView
 *    lays out a whole paragraph again when it changes).  Wall time and the
 *    main thread's CPU time.
 *
 * Prints one JSON object per measurement, then a Markdown table.
 */

#define G_LOG_DOMAIN "bench-ui"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <cairo.h>

#include "attn-document.h"
#include "attn-engine.h"
#include "attn-render.h"
#include "attn-result.h"
#ifdef ATTN_BENCH_STRIP
#include <gtk/gtk.h>

#include "attn-long-paragraph.h"
#include "attn-sentence-editor.h"
#include "attn-token-strip.h"
#endif

/* Plain prose: enough distinct words to make 1024 tokens of varied text. */
static const char *paragraphs[] = {
  "The trophy did not fit in the suitcase because it was too big. "
  "She packed it in a box instead, wrapped in an old coat, and carried the "
  "box to the station on foot. The train was late, so she sat on a bench and "
  "read the paper while the rain came down on the glass roof above her. ",
  "I went to the bank to deposit money, then sat on the river bank. "
  "A boat went past with two children waving from the deck, and a dog ran "
  "along the path after a ball that nobody had thrown. Later the sun came out "
  "and the water turned from grey to a bright and moving green. ",
};

typedef struct
{
  GString *table;   /* Markdown rows, printed at the end */
} Report;

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Sorts @values in place; returns the @p-th percentile (nearest rank). */
static double
percentile (double *values,
            int     n,
            double  p)
{
  int rank;

  qsort (values, n, sizeof *values, compare_doubles);
  rank = (int) (p / 100.0 * n + 0.999999) - 1;
  return values[CLAMP (rank, 0, n - 1)];
}

/* The prefix of a long text made of @paragraph (repeated) that is exactly
 * @n_tokens tokens long for @engine's tokenizer. */
static char *
dup_text_of_tokens (AttnEngine *engine,
                    const char *paragraph,
                    guint       n_tokens)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(AttnResult) tokens = NULL;
  g_autoptr(GError) error = NULL;
  gsize start, end;

  do
    {
      g_string_append (text, paragraph);
      g_clear_pointer (&tokens, attn_result_unref);
      tokens = attn_engine_tokenize (engine, text->str, &error);
      if (tokens == NULL)
        g_error ("tokenize: %s", error->message);
    }
  while (attn_result_get_n_tokens (tokens) < n_tokens);

  attn_result_get_token_span (tokens, n_tokens - 1, &start, &end);
  return g_strndup (text->str, end);
}

static AttnResult *
run_tokens (AttnEngine *engine,
            guint       n_tokens)
{
  g_autofree char *text = dup_text_of_tokens (engine, paragraphs[0], n_tokens);
  g_autoptr(GError) error = NULL;
  AttnResult *result;

  result = attn_engine_run (engine, text, TRUE, NULL, &error);
  if (result == NULL)
    g_error ("forward pass of %u tokens: %s", n_tokens, error->message);
  return result;
}

/* CPU time of @clock (this thread's, or the process's) in ms. */
static double
cpu_clock_ms (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* CPU time of this thread: on a loaded machine a frame that was preempted
 * shows it in wall time, not here. */
static double
thread_cpu_ms (void)
{
  return cpu_clock_ms (CLOCK_THREAD_CPUTIME_ID);
}

/* ... and of every thread: what the engine's threads did for a frame. */
static double
process_cpu_ms (void)
{
  return cpu_clock_ms (CLOCK_PROCESS_CPUTIME_ID);
}

static double
render_frame (cairo_surface_t       *surface,
              const AttnHeatmapSpec *spec,
              double                 width,
              double                 height,
              double                *cpu_ms)
{
  gint64 t0 = g_get_monotonic_time ();
  double c0 = thread_cpu_ms ();
  cairo_t *cr = cairo_create (surface);

  attn_render_heatmap (cr, spec, width, height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  if (cpu_ms != NULL)
    *cpu_ms = thread_cpu_ms () - c0;
  return (g_get_monotonic_time () - t0) / 1000.0;
}

/* The synthetic results' text: the paragraphs repeated and cut to
 * @n_tokens tokens of @engine's tokenizer. */
static void
synthetic_tokens (AttnEngine *engine,
                  guint       n_tokens,
                  GString    *text,
                  AeTokens   *tokens)
{
  const AeTokenizer *tokenizer = ae_model_tokenizer (attn_engine_get_model (engine));
  AeError error = { 0 };

  for (guint i = 0; text->len < n_tokens * 8; i++)
    g_string_append (text, paragraphs[i % G_N_ELEMENTS (paragraphs)]);
  if (ae_tokenizer_encode (tokenizer, text->str, text->len, tokens, &error) != AE_STATUS_OK
      || tokens->n_tokens < n_tokens)
    g_error ("tokenize %u tokens: %s", n_tokens, error.message);
  tokens->n_tokens = n_tokens;
}

/* One head of @n_tokens tokens with attention-like rows (a sink on token
 * 0, the previous token, a decay over distance), tokenized by @engine but
 * not run: a forward pass at 4,096 tokens needs a model with that context.
 * A full trace: the weights are in memory, as if the head had been
 * computed before the frame.  The frame cost depends on T and the view,
 * not on where the weights came from. */
static AttnResult *
synthetic_result (AttnEngine *engine,
                  guint       n_tokens)
{
  g_autoptr(GString) text = g_string_new (NULL);
  AeTokens tokens = { 0 };
  AeTrace *trace;
  float *w;

  synthetic_tokens (engine, n_tokens, text, &tokens);
  trace = ae_trace_new (1, 1, n_tokens, 4);
  if (trace == NULL)
    g_error ("out of memory for a %u-token trace", n_tokens);
  w = trace->weights;
  for (gsize q = 0; q < n_tokens; q++)
    {
      double sum = 0;

      for (gsize k = 0; k <= q; k++)
        sum += w[q * n_tokens + k] = exp (-(double) (q - k) / 8.0) + (k == 0 ? 2.0 : 0.0)
                                     + (k + 1 == q ? 1.0 : 0.0);
      for (gsize k = 0; k <= q; k++)
        w[q * n_tokens + k] /= sum;
    }

  return _attn_result_new (text->str, "synthetic", ae_model_tokenizer (attn_engine_get_model (engine)),
                           &tokens, 0, trace);
}

/* The same tokens in a linear trace, as the app's passes make them: one
 * head of GPT-2's size (64) keeps q and k only, and the head's T × T
 * weights are computed when a view first asks for them.  q and k are
 * random, seeded by @seed. */
static AttnResult *
synthetic_linear_result (AttnEngine *engine,
                         guint       n_tokens,
                         guint       seed)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  AeTokens tokens = { 0 };
  AeTrace *trace;

  synthetic_tokens (engine, n_tokens, text, &tokens);
  trace = ae_trace_alloc (1, 0, 1, 1, n_tokens, 64, 64, 0);
  if (trace == NULL)
    g_error ("out of memory for a %u-token trace", n_tokens);
  for (gsize i = 0; i < (gsize) n_tokens * 64; i++)
    {
      trace->q[i] = (float) g_rand_double_range (rand, -1.5, 1.5);
      trace->k[i] = (float) g_rand_double_range (rand, -1.5, 1.5);
    }

  return _attn_result_new (text->str, "synthetic-linear", ae_model_tokenizer (attn_engine_get_model (engine)),
                           &tokens, 0, trace);
}

/* One kind of heatmap frame: a JSON line and a row of the table, with the
 * medians of wall time, of this thread's CPU and (@all, when not NULL) of
 * the process's. */
static void
report_heatmap (Report     *report,
                guint       T,
                int         width,
                int         height,
                const char *source,
                const char *layout,
                const char *kind,
                int         n,
                double     *ms,
                double     *cpu,
                double     *all)
{
  double median = percentile (ms, n, 50), p95 = percentile (ms, n, 95);
  double cpu_median = percentile (cpu, n, 50), all_median = all ? percentile (all, n, 50) : 0;
  g_autofree char *process = all ? g_strdup_printf (", process %.2f", all_median) : g_strdup ("");
  g_autofree char *process_json = all ? g_strdup_printf (", \"process_cpu_median_ms\": %.2f", all_median)
                                      : g_strdup ("");

  printf ("{\"bench\": \"heatmap\", \"tokens\": %u, \"size\": [%d, %d], \"source\": \"%s\", \"frame\": \"%s\", "
          "\"layout\": \"%s\", \"frames\": %d, \"median_ms\": %.2f, \"p95_ms\": %.2f, "
          "\"cpu_median_ms\": %.2f%s}\n",
          T, width, height, source, kind, layout, n, median, p95, cpu_median, process_json);
  g_string_append_printf (report->table, "| heatmap frame, %u tokens%s, %s, %s | %.2f (CPU %.2f%s) | %.2f | 16 |\n",
                          T, source, layout, kind, median, cpu_median, process, p95);
}

/* Head (0, 0) as AttnHeatmapView draws it: the middle query selected,
 * values and the overview on, @cell px cells (0: fitted) scrolled to the
 * middle, the view's @cache. */
static void
bench_spec_init (AttnHeatmapSpec *spec,
                 AttnResult      *result,
                 AttnRenderCache *cache,
                 double           cell)
{
  guint T = attn_result_get_n_tokens (result);

  attn_heatmap_spec_init (spec, result, 0, 0);
  spec->query = T / 2;
  spec->show_values = TRUE;
  spec->show_overview = TRUE;
  spec->cache = cache;
  spec->cell_size = cell;
  spec->scroll_x = spec->scroll_y = T * cell / 2.0;
}

static void
bench_heatmap (Report     *report,
               AttnResult *result,
               int         width,
               int         height,
               int         frames)
{
  g_autoptr(AttnRenderCache) cache = attn_render_cache_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  guint T = attn_result_get_n_tokens (result);
  double *ms = g_new (double, frames);
  double *cpu = g_new (double, frames);
  /* Fitted, zoomed to legible 16 px cells, and zoomed to 2 px cells (a
   * quarter of 4,096 tokens in view), each scrolled to the middle. */
  const double cells[] = { 0, 16, 2 };
  /* new-result: cache cleared first; repaint: cache kept, hover moves;
   * pan: cache kept, the view scrolls by a few cells every frame. */
  const char *kinds[] = { "new-result", "repaint", "pan" };

  for (guint c = 0; c < G_N_ELEMENTS (cells); c++)
    for (guint kind = 0; kind < G_N_ELEMENTS (kinds); kind++)
      {
        AttnHeatmapSpec spec;
        g_autofree char *layout = cells[c] > 0 ? g_strdup_printf ("zoomed %g px", cells[c])
                                               : g_strdup ("fitted");
        if (cells[c] == 0 && kind == 2)
          continue;   /* nothing to pan */

        bench_spec_init (&spec, result, cache, cells[c]);

        for (int i = -3; i < frames; i++)   /* three warm-up frames */
          {
            double t, cpu_ms;

            if (kind == 0)
              attn_render_cache_clear (cache);
            if (kind == 2)
              spec.scroll_x = spec.scroll_y = T * cells[c] / 2.0 + (i + 3) * 3 * cells[c];
            spec.hover_query = T / 2;       /* the pointer moves along the row */
            spec.hover_key = (i + 3) % (T / 2 + 1);
            t = render_frame (surface, &spec, width, height, &cpu_ms);
            if (i >= 0)
              {
                ms[i] = t;
                cpu[i] = cpu_ms;
              }
          }

        report_heatmap (report, T, width, height,
                        g_str_equal (attn_result_get_model_name (result), "synthetic") ? " (synthetic)" : "",
                        layout, kinds[kind], frames, ms, cpu, NULL);
      }

  g_free (ms);
  g_free (cpu);
  cairo_surface_destroy (surface);
}

/* The first frame of a head in a linear trace, as the app's results are,
 * each frame on a new result:
 *   new head    nobody has computed the head yet, so the frame computes its
 *               T × T weights (on the engine's threads) before drawing: the
 *               first frame after choosing another layer or head;
 *   new result  the head was computed before the frame, as AttnDocument's
 *               pass does for the selected head: the first frame of a new
 *               result.
 * Wall, this thread's CPU, and the whole process's CPU (the other threads'
 * share of the head).  Ten frames: each makes a 128 MiB head. */
static void
bench_heatmap_linear (Report     *report,
                      AttnEngine *engine,
                      guint       T,
                      int         width,
                      int         height,
                      int         frames)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  int n = MIN (frames, 10);
  double *ms = g_new (double, n), *cpu = g_new (double, n), *all = g_new (double, n);
  const double cells[] = { 0, 16 };
  const char *kinds[] = { "new head", "new result" };

  for (guint c = 0; c < G_N_ELEMENTS (cells); c++)
    for (guint kind = 0; kind < G_N_ELEMENTS (kinds); kind++)
      {
        g_autofree char *layout = cells[c] > 0 ? g_strdup_printf ("zoomed %g px", cells[c]) : g_strdup ("fitted");
        for (int i = -1; i < n; i++)   /* one warm-up frame */
          {
            g_autoptr(AttnResult) result = synthetic_linear_result (engine, T, 100 * c + i + 1);
            g_autoptr(AttnRenderCache) cache = attn_render_cache_new ();
            AttnHeatmapSpec spec;
            double t, cpu_ms, p0;

            if (kind == 1)
              attn_result_get_weights (result, 0, 0);
            bench_spec_init (&spec, result, cache, cells[c]);
            p0 = process_cpu_ms ();
            t = render_frame (surface, &spec, width, height, &cpu_ms);
            if (i >= 0)
              {
                ms[i] = t;
                cpu[i] = cpu_ms;
                all[i] = process_cpu_ms () - p0;
              }
          }

        report_heatmap (report, T, width, height, " (synthetic, linear trace)", layout, kinds[kind], n, ms, cpu, all);
      }

  g_free (ms);
  g_free (cpu);
  g_free (all);
  cairo_surface_destroy (surface);
}

/* The arc view's frame at long T, set up as AttnArcView does: the reading-
 * order strip scrolled to the middle (it is far wider than the view), with
 * the middle token as the query and with none (every strong link), and in
 * the modes that draw every query's links (above the threshold, the top
 * 3 of each) with the query selected. */
static void
bench_arcs (Report     *report,
            AttnResult *result,
            int         width,
            int         height,
            int         frames)
{
  g_autoptr(AttnRenderCache) cache = attn_render_cache_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  guint T = attn_result_get_n_tokens (result);
  double *ms = g_new (double, frames), *cpu = g_new (double, frames);

  const struct { gboolean with_query; AttnArcLinks links; const char *name; } cases[] = {
    { TRUE, ATTN_ARC_LINKS_QUERY, "a query" },
    { FALSE, ATTN_ARC_LINKS_QUERY, "no query (links ≥ 0.2)" },
    { TRUE, ATTN_ARC_LINKS_THRESHOLD, "a query, every query's links ≥ 0.2" },
    { TRUE, ATTN_ARC_LINKS_TOP_K, "a query, every query's top 3" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      gboolean with_query = cases[c].with_query;
      AttnArcSpec spec;
      double natural_width, median, p95, cpu_median, first_ms = 0;

      attn_arc_spec_init (&spec, result, 0, 0);
      spec.query = with_query ? (int) T / 2 : -1;
      spec.links = cases[c].links;
      spec.top_k = 3;
      spec.threshold = 0.2;
      spec.cache = cache;
      spec.scrollable = TRUE;
      attn_arcs_get_natural_size (&spec, &natural_width, NULL);

      for (int i = -3; i < frames; i++)   /* three warm-up frames */
        {
          gint64 t0 = g_get_monotonic_time ();
          double c0 = thread_cpu_ms ();
          cairo_t *cr;

          /* the pointer moves along the strip, which scrolls a little */
          spec.scroll_x = natural_width / 2 - width / 2 + (i + 3) * 7;
          spec.hover_token = (int) T / 2 - 5 + (i + 3) % 10;
          cr = cairo_create (surface);
          attn_render_arcs (cr, &spec, width, height);
          cairo_destroy (cr);
          cairo_surface_flush (surface);
          if (i >= 0)
            {
              ms[i] = (g_get_monotonic_time () - t0) / 1000.0;
              cpu[i] = thread_cpu_ms () - c0;
            }
          else if (i == -3)   /* the top k are found on the first frame of a head */
            first_ms = (g_get_monotonic_time () - t0) / 1000.0;
        }

      median = percentile (ms, frames, 50);
      p95 = percentile (ms, frames, 95);
      cpu_median = percentile (cpu, frames, 50);
      printf ("{\"bench\": \"arcs\", \"tokens\": %u, \"size\": [%d, %d], \"query\": %s, \"links\": %d, "
              "\"frames\": %d, \"first_ms\": %.2f, \"median_ms\": %.2f, \"p95_ms\": %.2f, \"cpu_median_ms\": %.2f}\n",
              T, width, height, with_query ? "true" : "false", cases[c].links, frames, first_ms, median, p95,
              cpu_median);
      g_string_append_printf (report->table, "| arc frame, %u tokens (synthetic), %s, scrolled (first frame %.1f) | "
                              "%.2f (CPU %.2f) | %.2f | 16 |\n",
                              T, cases[c].name, first_ms, median, cpu_median, p95);
    }

  g_free (ms);
  g_free (cpu);
  cairo_surface_destroy (surface);
}

static void
on_forward_finished (AttnDocument *document,
                     gint64       *finished_at)
{
  *finished_at = g_get_monotonic_time ();
}

static void
bench_latency (Report     *report,
               AttnEngine *engine,
               guint       n_tokens,
               int         width,
               int         height,
               int         runs)
{
  g_autoptr(AttnDocument) document = attn_document_new ();
  g_autoptr(AttnRenderCache) cache = attn_render_cache_new ();
  g_autofree char *texts[2] = {
    dup_text_of_tokens (engine, paragraphs[0], n_tokens),
    dup_text_of_tokens (engine, paragraphs[1], n_tokens),
  };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  double *total = g_new (double, runs), *forward = g_new (double, runs);
  gint64 finished_at = 0;
  guint T = 0;
  double median, p95, forward_median;

  attn_document_set_engine (document, engine);
  g_signal_connect (document, "forward-finished", G_CALLBACK (on_forward_finished), &finished_at);

  for (int i = -3; i < runs; i++)   /* three warm-up keystrokes */
    {
      AttnHeatmapSpec spec;
      gint64 t0;
      double frame;

      finished_at = 0;
      t0 = g_get_monotonic_time ();
      attn_document_set_text (document, texts[(i + 3) % 2]);
      while (finished_at == 0)
        g_main_context_iteration (NULL, TRUE);

      attn_heatmap_spec_init (&spec, attn_document_get_result (document), 0, 0);
      spec.show_values = TRUE;
      spec.cache = cache;
      frame = render_frame (surface, &spec, width, height, NULL);
      T = attn_result_get_n_tokens (attn_document_get_result (document));

      if (i >= 0)
        {
          forward[i] = (finished_at - t0) / 1000.0;
          total[i] = forward[i] + frame;
        }
    }

  forward_median = percentile (forward, runs, 50);
  median = percentile (total, runs, 50);
  p95 = percentile (total, runs, 95);
  printf ("{\"bench\": \"latency\", \"model\": \"%s\", \"tokens\": %u, \"runs\": %d, "
          "\"forward_finished_median_ms\": %.2f, \"median_ms\": %.2f, \"p95_ms\": %.2f}\n",
          attn_engine_get_name (engine), T, runs, forward_median, median, p95);
  g_string_append_printf (report->table,
                          "| set_text → forward-finished + frame, %u tokens (%s) | %.1f (forward %.1f) | %.1f | 50 |\n",
                          T, attn_engine_get_name (engine), median, forward_median, p95);

  g_free (total);
  g_free (forward);
  cairo_surface_destroy (surface);
}


/* A copy of @fixture (a rotary model's folder) whose config allows
 * @n_ctx positions: the other files are linked.  (transfer full) */
static char *
dup_long_context_model (const char *fixture,
                        guint       n_ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (fixture, 0, &error);
  g_autofree char *out = g_dir_make_tmp ("bench-strip-XXXXXX", &error);
  const char *name;

  if (dir == NULL || out == NULL)
    g_error ("long-context copy of %s: %s", fixture, error->message);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *from = g_build_filename (fixture, name, NULL);
      g_autofree char *to = g_build_filename (out, name, NULL);

      if (g_str_equal (name, "config.json"))
        {
          g_autofree char *config = NULL;
          g_autofree char *longer = NULL;
          g_autofree char *value = g_strdup_printf ("\"max_position_embeddings\": %u", n_ctx);
          g_autoptr(GRegex) regex = g_regex_new ("\"max_position_embeddings\"\\s*:\\s*[0-9]+", 0, 0, NULL);

          if (!g_file_get_contents (from, &config, NULL, &error))
            g_error ("%s", error->message);
          longer = g_regex_replace_literal (regex, config, -1, 0, value, 0, NULL);
          if (!g_file_set_contents (to, longer, -1, &error))
            g_error ("%s", error->message);
        }
      else if (symlink (from, to) != 0)
        g_error ("link %s: %s", to, g_strerror (errno));
    }
  return g_steal_pointer (&out);
}

static void
rm_model_copy (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* Choosing another layer and head of a real long result through
 * AttnDocument, as the window does: from attn_document_set_layer () and
 * _set_head () to the end of the first heatmap frame of that head (fitted,
 * overview on), the document computing the head in a worker meanwhile.  A
 * linear trace of the qwen2-hf test model with its context raised (8 heads
 * of size 4: its q·k costs less than GPT-2's, the T × T softmax and memory
 * the same).  Wall, the main thread's CPU (the calls, the main loop
 * waiting, the frame) and the process's. */
static void
bench_heatmap_document_head (Report *report,
                             guint   n_tokens,
                             int     width,
                             int     height)
{
  g_autofree char *fixture = g_build_filename (ATTN_SOURCE_DIR, "tests", "fixtures", "models", "qwen2-hf", NULL);
  g_autofree char *copy = dup_long_context_model (fixture, n_tokens + 16);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnEngine) engine = attn_engine_new (copy, NULL, &error);
  g_autoptr(AttnDocument) document = attn_document_new ();
  g_autoptr(AttnRenderCache) cache = attn_render_cache_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  g_autofree char *text = NULL;
  double ms[16], cpu[16], all[16];
  AttnResult *result;
  guint L, NH, n = 0;

  if (engine == NULL)
    g_error ("%s: %s", copy, error->message);
  attn_document_set_engine (document, engine);
  text = dup_text_of_tokens (engine, paragraphs[0], n_tokens);
  attn_document_set_text (document, text);
  attn_document_wait (document);
  result = attn_document_get_result (document);
  L = attn_result_get_n_layers (result);
  NH = attn_result_get_n_heads (result);

  for (guint i = 1; i < L * NH && n < G_N_ELEMENTS (ms); i++)   /* (0, 0) came with the result */
    {
      guint layer = i / NH, head = i % NH;
      gint64 t0 = g_get_monotonic_time ();
      double c0 = thread_cpu_ms (), p0 = process_cpu_ms (), frame_cpu;
      AttnHeatmapSpec spec;

      attn_document_set_layer (document, layer);
      attn_document_set_head (document, head);
      while (attn_document_get_layer (document) != layer || attn_document_get_head (document) != head)
        g_main_context_iteration (NULL, TRUE);
      bench_spec_init (&spec, result, cache, 0);
      spec.layer = layer;
      spec.head = head;
      render_frame (surface, &spec, width, height, &frame_cpu);
      ms[n] = (g_get_monotonic_time () - t0) / 1000.0;
      cpu[n] = thread_cpu_ms () - c0;
      all[n] = process_cpu_ms () - p0;
      n++;
    }

  report_heatmap (report, attn_result_get_n_tokens (result), width, height,
                  " (qwen2-hf test model, through AttnDocument)", "fitted", "another head chosen", n, ms, cpu, all);
  cairo_surface_destroy (surface);
  g_clear_object (&engine);
  rm_model_copy (copy);
}

#ifdef ATTN_BENCH_STRIP

typedef struct
{
  gint64 before;     /* monotonic µs at before-paint of the frame in progress */
  double before_cpu; /* thread CPU ms then */
  double last_ms;    /* the last frame, before-paint to after-paint */
  double last_cpu_ms;
  gint64 painted_at; /* monotonic µs at the last after-paint */
  guint  frames;
} FrameTimes;

static void
before_paint_cb (GdkFrameClock *clock,
                 FrameTimes    *times)
{
  times->before = g_get_monotonic_time ();
  times->before_cpu = thread_cpu_ms ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                FrameTimes    *times)
{
  times->painted_at = g_get_monotonic_time ();
  times->last_ms = (times->painted_at - times->before) / 1000.0;
  times->last_cpu_ms = thread_cpu_ms () - times->before_cpu;
  times->frames++;
}

/* Iterates the main loop until the frame after now has been painted. */
static void
wait_frame (GtkWidget  *widget,
            FrameTimes *times)
{
  guint frames = times->frames;

  gtk_widget_queue_draw (widget);
  while (times->frames == frames)
    g_main_context_iteration (NULL, TRUE);
}

/* Shows @window and times its frames into @times from its first frame. */
static void
present_timed (GtkWidget  *window,
               FrameTimes *times)
{
  GdkFrameClock *clock;

  gtk_window_present (GTK_WINDOW (window));
  while (gtk_widget_get_frame_clock (window) == NULL || !gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (window);
  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), times);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), times);
  wait_frame (window, times);
}

/* One JSON line and one table row for @frames frames of the strip. */
static void
report_strip_frames (Report     *report,
                     const char *model,
                     guint       T,
                     const char *kind,
                     const char *what,
                     double     *ms,
                     double     *cpu,
                     int         frames)
{
  double median = percentile (ms, frames, 50), p95 = percentile (ms, frames, 95);
  double cpu_median = percentile (cpu, frames, 50);

  printf ("{\"bench\": \"strip\", \"model\": \"%s\", \"tokens\": %u, \"frame\": \"%s\", \"frames\": %d, "
          "\"median_ms\": %.2f, \"p95_ms\": %.2f, \"cpu_median_ms\": %.2f}\n", model, T, kind, frames, median, p95, cpu_median);
  g_string_append_printf (report->table, "| token strip frame, %u tokens (%s), %s | %.2f (CPU %.2f) | %.2f | 16 |\n",
                          T, model, what, median, cpu_median, p95);
}

static void
bench_strip (Report     *report,
             const char *model_dir,
             guint       n_tokens,
             int         frames)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = NULL;
  g_autoptr(AttnEngine) engine = NULL;
  g_autoptr(AttnDocument) document = attn_document_new ();
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  GtkWidget *window, *scroller, *strip;
  GtkAdjustment *vadjustment;
  FrameTimes times = { 0 };
  const int runs = 5;
  double *set_ms = g_new (double, runs), *set_cpu = g_new (double, runs);
  double *ms = g_new (double, frames), *cpu = g_new (double, frames);
  guint T;

  if (model_dir == NULL)
    {
      g_autofree char *fixture = g_build_filename (ATTN_SOURCE_DIR, "tests", "fixtures", "models", "qwen2-hf", NULL);

      model_dir = copy = dup_long_context_model (fixture, n_tokens + 16);
    }
  engine = attn_engine_new (model_dir, NULL, &error);
  if (engine == NULL)
    g_error ("strip model %s: %s", model_dir, error->message);
  name = copy != NULL ? g_strdup ("qwen2-hf test model, context raised") : g_strdup (attn_engine_get_name (engine));
  attn_document_set_engine (document, engine);
  text = dup_text_of_tokens (engine, paragraphs[0], n_tokens);
  attn_document_set_text (document, text);
  while (attn_document_get_busy (document) || attn_document_get_result (document) == NULL)
    g_main_context_iteration (NULL, TRUE);
  T = attn_result_get_n_tokens (attn_document_get_result (document));

  /* As in attn-window.ui: a strip of at most 104 px that scrolls. */
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 200);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_EXTERNAL);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 104);
  gtk_widget_set_valign (scroller, GTK_ALIGN_START);
  strip = attn_token_strip_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), strip);
  gtk_window_set_child (GTK_WINDOW (window), scroller);
  present_timed (window, &times);

  /* set: the result, then the frame showing it */
  for (int i = 0; i < runs; i++)
    {
      guint before = times.frames;
      gint64 t0;
      double c0;

      attn_token_strip_set_document (ATTN_TOKEN_STRIP (strip), NULL);
      wait_frame (window, &times);
      before = times.frames;
      t0 = g_get_monotonic_time ();
      c0 = thread_cpu_ms ();
      attn_token_strip_set_document (ATTN_TOKEN_STRIP (strip), document);
      gtk_widget_queue_draw (strip);
      while (times.frames == before)
        g_main_context_iteration (NULL, TRUE);
      set_ms[i] = (times.painted_at - t0) / 1000.0;
      set_cpu[i] = thread_cpu_ms () - c0;
    }
  {
    double median = percentile (set_ms, runs, 50), worst = set_ms[runs - 1];
    double cpu_median = percentile (set_cpu, runs, 50);

    printf ("{\"bench\": \"strip\", \"model\": \"%s\", \"tokens\": %u, \"frame\": \"set\", \"runs\": %d, "
            "\"median_ms\": %.2f, \"max_ms\": %.2f, \"cpu_median_ms\": %.2f}\n", name, T, runs, median, worst, cpu_median);
    g_string_append_printf (report->table, "| token strip, %u tokens (%s), set result + first frame | %.1f (CPU %.1f) | %.1f (max) | |\n",
                            T, name, median, cpu_median, worst);
  }

  /* select: the query moves through the middle of the text */
  attn_document_set_query (document, T / 2);
  wait_frame (window, &times);
  for (int i = -3; i < frames; i++)
    {
      attn_document_set_query (document, T / 2 + 3 + i);
      wait_frame (window, &times);
      if (i >= 0)
        {
          ms[i] = times.last_ms;
          cpu[i] = times.last_cpu_ms;
        }
    }
  report_strip_frames (report, name, T, "select", "query moves", ms, cpu, frames);

  /* scroll: a line at a time from the top */
  vadjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  gtk_adjustment_set_value (vadjustment, 0);
  wait_frame (window, &times);
  for (int i = -3; i < frames; i++)
    {
      gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_value (vadjustment) + 32);
      wait_frame (window, &times);
      if (i >= 0)
        {
          ms[i] = times.last_ms;
          cpu[i] = times.last_cpu_ms;
        }
    }
  report_strip_frames (report, name, T, "scroll", "scrolled a line", ms, cpu, frames);

  gtk_window_destroy (GTK_WINDOW (window));
  g_free (set_ms);
  g_free (set_cpu);
  g_free (ms);
  g_free (cpu);
  if (copy != NULL)
    rm_model_copy (copy);
}

/* One JSON line and one table row for the editor. */
static void
report_editor (Report     *report,
               const char *what,
               const char *layout,
               double      kb,
               double     *ms,
               double     *cpu,
               int         n)
{
  double median = percentile (ms, n, 50), p95 = percentile (ms, n, 95), cpu_median = percentile (cpu, n, 50);

  printf ("{\"bench\": \"editor\", \"kb\": %.1f, \"layout\": \"%s\", \"what\": \"%s\", \"runs\": %d, "
          "\"median_ms\": %.2f, \"p95_ms\": %.2f, \"cpu_median_ms\": %.2f}\n", kb, layout, what, n, median, p95, cpu_median);
  g_string_append_printf (report->table, "| editor, %.0f KB (%s), %s | %.2f (CPU %.2f) | %.2f | 16 |\n",
                          kb, layout, what, median, cpu_median, p95);
}

/* When the document's result changes: connected before the editor's
 * handler, so the editor's work on it is timed too. */
typedef struct
{
  gint64 at;
  double cpu;
} ResultArrival;

static void
result_arrived_cb (AttnDocument  *document,
                   GParamSpec    *pspec,
                   ResultArrival *arrival)
{
  arrival->at = g_get_monotonic_time ();
  arrival->cpu = thread_cpu_ms ();
}

/* Waits for the document to finish a pass of @text. */
static void
wait_result (AttnDocument *document,
             const char   *text)
{
  while (attn_document_get_busy (document) || attn_document_get_result (document) == NULL ||
         g_strcmp0 (attn_result_get_text (attn_document_get_result (document)), text) != 0)
    g_main_context_iteration (NULL, TRUE);
}

/* The editor's text view, where a person types. */
static GtkTextView *
find_text_view (GtkWidget *widget)
{
  if (GTK_IS_TEXT_VIEW (widget))
    return GTK_TEXT_VIEW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkTextView *found = find_text_view (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Where a keystroke goes: 0 the end, 1 the middle, 2 the start. */
static const char *keystroke_names[] = { "keystroke at the end", "keystroke in the middle", "keystroke at the start" };

/* Wall and CPU time from one character inserted at @where to the end of
 * the frame that shows it, @runs times after 3 warm-ups. */
static void
time_keystrokes (GtkWidget     *window,
                 FrameTimes    *times,
                 GtkTextBuffer *buffer,
                 int            where,
                 int            runs,
                 double        *ms,
                 double        *cpu)
{
  for (int i = -3; i < runs; i++)
    {
      GtkTextIter iter;
      guint frames;
      gint64 t0;
      double c0;

      if (where == 0)
        gtk_text_buffer_get_end_iter (buffer, &iter);
      else
        gtk_text_buffer_get_iter_at_offset (buffer, &iter,
                                            where == 1 ? gtk_text_buffer_get_char_count (buffer) / 2 : 0);
      gtk_text_buffer_place_cursor (buffer, &iter);
      wait_frame (window, times);
      frames = times->frames;
      t0 = g_get_monotonic_time ();
      c0 = thread_cpu_ms ();
      gtk_text_buffer_insert_interactive_at_cursor (buffer, "x", 1, TRUE);
      while (times->frames == frames)
        g_main_context_iteration (NULL, TRUE);
      if (i >= 0)
        {
          ms[i] = (times->painted_at - t0) / 1000.0;
          cpu[i] = thread_cpu_ms () - c0;
        }
    }
}

/* The 50 KB prose of the editor bench: paragraphs, or one line. */
static GString *
editor_text (int      kb,
             gboolean one_line)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; text->len < (gsize) kb * 1024; i++)
    {
      g_string_append (text, paragraphs[i % G_N_ELEMENTS (paragraphs)]);
      g_string_append (text, one_line ? " " : "\n\n");
    }
  return text;
}

/* The toolkit's own cost, for comparison: a bare GtkTextView in the
 * editor's scroller (at most 96 px high, no horizontal scrolling) holding
 * the same text as one line, no tags, no document, in each wrap mode, and
 * with the editor's layout primer. */
static void
bench_text_view_floor (Report *report,
                       int     kb,
                       int     runs)
{
  static const struct
  {
    GtkWrapMode wrap;
    gboolean    primed;
    const char *layout;
  } cases[] = {
    { GTK_WRAP_WORD_CHAR, FALSE, "one line, bare GtkTextView, wrap word-char" },
    { GTK_WRAP_WORD, FALSE, "one line, bare GtkTextView, wrap word" },
    { GTK_WRAP_CHAR, FALSE, "one line, bare GtkTextView, wrap char" },
    { GTK_WRAP_WORD_CHAR, TRUE, "one line, bare GtkTextView, wrap word-char, primed" },
  };
  g_autoptr(GString) text = editor_text (kb, TRUE);
  double *ms = g_new (double, runs), *cpu = g_new (double, runs);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      FrameTimes times = { 0 };
      GtkWidget *window = gtk_window_new ();
      GtkWidget *scroller = gtk_scrolled_window_new ();
      GtkWidget *view = gtk_text_view_new ();
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));

      gtk_window_set_default_size (GTK_WINDOW (window), 1000, 600);
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
      gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 96);
      gtk_widget_set_valign (scroller, GTK_ALIGN_START);
      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), cases[c].wrap);
      if (cases[c].primed)
        _attn_text_view_prime_layouts (GTK_TEXT_VIEW (view));
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
      gtk_window_set_child (GTK_WINDOW (window), scroller);
      present_timed (window, &times);
      gtk_text_buffer_set_text (buffer, text->str, -1);
      wait_frame (window, &times);

      for (int where = 0; where < 3; where++)
        {
          time_keystrokes (window, &times, buffer, where, runs, ms, cpu);
          report_editor (report, keystroke_names[where], cases[c].layout, text->len / 1024.0, ms, cpu, runs);
        }
      gtk_window_destroy (GTK_WINDOW (window));
    }
  g_free (ms);
  g_free (cpu);
}

static void
bench_editor (Report *report,
              int     kb,
              int     runs)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *builtin = attn_engine_dup_builtin_dir ();
  g_autoptr(AttnEngine) engine = attn_engine_new (builtin, NULL, &error);
  g_autoptr(AttnDocument) document = attn_document_new ();
  double *ms = g_new (double, runs), *cpu = g_new (double, runs);
  FrameTimes times = { 0 };
  ResultArrival arrival = { 0 };
  GtkWidget *window, *editor;
  GtkTextBuffer *buffer;

  if (engine == NULL)
    g_error ("built-in model: %s", error->message);
  attn_document_set_engine (document, engine);
  g_signal_connect (document, "notify::result", G_CALLBACK (result_arrived_cb), &arrival);

  /* As in attn-window.ui: the editor (its text view scrolls in a box of at
   * most 96 px) along the top of the window. */
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 600);
  editor = attn_sentence_editor_new ();
  gtk_widget_set_valign (editor, GTK_ALIGN_START);
  attn_sentence_editor_set_document (ATTN_SENTENCE_EDITOR (editor), document);
  gtk_window_set_child (GTK_WINDOW (window), editor);
  present_timed (window, &times);

  for (int one_line = 0; one_line < 2; one_line++)
    {
      const char *layout = one_line ? "one line" : "paragraphs";
      g_autoptr(GString) text = editor_text (kb, one_line);
      const int runs_set = MIN (runs, 5);
      double set_ms[5], set_cpu[5], result_ms[5], result_cpu[5];

      /* set, then the result of it: twice the same text would not recompute,
       * so each run sets the empty text first */
      for (int i = 0; i < runs_set; i++)
        {
          guint frames;
          gint64 t0;
          double c0;

          attn_sentence_editor_set_text (ATTN_SENTENCE_EDITOR (editor), "");
          wait_result (document, "");
          wait_frame (window, &times);

          frames = times.frames;
          t0 = g_get_monotonic_time ();
          c0 = thread_cpu_ms ();
          attn_sentence_editor_set_text (ATTN_SENTENCE_EDITOR (editor), text->str);
          gtk_widget_queue_draw (editor);
          while (times.frames == frames)
            g_main_context_iteration (NULL, TRUE);
          set_ms[i] = (times.painted_at - t0) / 1000.0;
          set_cpu[i] = thread_cpu_ms () - c0;

          /* the pass runs on the document's worker: from its arrival */
          wait_result (document, text->str);
          wait_frame (window, &times);
          result_ms[i] = (times.painted_at - arrival.at) / 1000.0;
          result_cpu[i] = thread_cpu_ms () - arrival.cpu;
        }
      report_editor (report, "set text + first frame", layout, text->len / 1024.0, set_ms, set_cpu, runs_set);
      report_editor (report, "result arrives (past-context tag) + frame", layout, text->len / 1024.0,
                     result_ms, result_cpu, runs_set);
      if (!attn_sentence_editor_get_past_context (ATTN_SENTENCE_EDITOR (editor), NULL))
        g_error ("editor: no part of %zu bytes is marked past the context", text->len);

      /* keystrokes at the end, in the middle, at the start; without a
       * query, then with one (the first tokens tinted by its weights) */
      buffer = gtk_text_view_get_buffer (find_text_view (editor));
      for (int tint = 0; tint < 2; tint++)
        {
          g_autofree char *typed = attn_sentence_editor_dup_text (ATTN_SENTENCE_EDITOR (editor));
          g_autofree char *label = g_strdup_printf ("%s%s", layout, tint ? ", a query's tint" : "");

          wait_result (document, typed);
          attn_document_set_query (document, tint ? 10 : -1);
          wait_frame (window, &times);

          for (int where = 0; where < 3; where++)
            {
              time_keystrokes (window, &times, buffer, where, runs, ms, cpu);
              report_editor (report, keystroke_names[where], label, text->len / 1024.0, ms, cpu, runs);
            }

          /* the result of a character typed at the end: the greyed part grows
           * by it */
          for (int i = 0; i < runs_set; i++)
            {
              GtkTextIter iter;
              g_autofree char *now = NULL;

              gtk_text_buffer_get_end_iter (buffer, &iter);
              gtk_text_buffer_place_cursor (buffer, &iter);
              gtk_text_buffer_insert_interactive_at_cursor (buffer, "y", 1, TRUE);
              now = attn_sentence_editor_dup_text (ATTN_SENTENCE_EDITOR (editor));
              wait_result (document, now);
              wait_frame (window, &times);
              result_ms[i] = (times.painted_at - arrival.at) / 1000.0;
              result_cpu[i] = thread_cpu_ms () - arrival.cpu;
            }
          report_editor (report, "result after typing at the end + frame", label, text->len / 1024.0,
                         result_ms, result_cpu, runs_set);
        }
      attn_document_set_query (document, -1);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  g_free (ms);
  g_free (cpu);
}
#endif

int
main (int    argc,
      char **argv)
{
  g_autofree char *heatmap_model = NULL;
  g_autofree char *latency_model = NULL;
  g_autoptr(AttnEngine) heatmap_engine = NULL;
  g_autoptr(AttnEngine) latency_engine = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  int width = 1000, height = 800, frames = 60, runs = 20, long_tokens = 4096;
  gboolean long_only = FALSE;
  gboolean strip = FALSE;
  gboolean editor = FALSE;
  int editor_kb = 50;
  g_autofree char *strip_model = NULL;
  int strip_tokens = 4096;
  Report report = { g_string_new (NULL) };
  const GOptionEntry entries[] = {
    { "heatmap-model", 0, 0, G_OPTION_ARG_FILENAME, &heatmap_model, "Model with n_ctx >= 1024 for the frame times", "DIR" },
    { "latency-model", 0, 0, G_OPTION_ARG_FILENAME, &latency_model, "Model for the latency (default: the built-in one)", "DIR" },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Surface width (default 1000)", "PX" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Surface height (default 800)", "PX" },
    { "frames", 0, 0, G_OPTION_ARG_INT, &frames, "Frames per heatmap case (default 60)", "N" },
    { "long-tokens", 0, 0, G_OPTION_ARG_INT, &long_tokens, "Tokens of the synthetic long heatmap (default 4096, 0: none)", "N" },
    { "long-only", 0, 0, G_OPTION_ARG_NONE, &long_only, "Only the long heatmap: no latency, no --heatmap-model", NULL },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Keystrokes per latency case (default 20)", "N" },
    { "strip", 0, 0, G_OPTION_ARG_NONE, &strip, "Only the token strip (needs a display: xvfb-run)", NULL },
    { "strip-model", 0, 0, G_OPTION_ARG_FILENAME, &strip_model, "Model for the strip (default: the qwen2-hf test model, context raised)", "DIR" },
    { "strip-tokens", 0, 0, G_OPTION_ARG_INT, &strip_tokens, "Tokens in the strip (default 4096)", "N" },
    { "editor", 0, 0, G_OPTION_ARG_NONE, &editor, "Only the sentence editor (needs a display: xvfb-run)", NULL },
    { "editor-kb", 0, 0, G_OPTION_ARG_INT, &editor_kb, "KB of text in the editor (default 50)", "N" },
    G_OPTION_ENTRY_NULL
  };

  context = g_option_context_new ("— heatmap frame time and keystroke latency");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || frames < 1 || runs < 1)
    {
      g_printerr ("bench-ui: %s\n", error ? error->message : "--frames and --runs must be positive");
      return 2;
    }

  g_string_append (report.table, "| measurement | median ms | 95th pct ms | target ms |\n"
                                 "|---|---|---|---|\n");

  if (strip || editor)
    {
#ifdef ATTN_BENCH_STRIP
      if (!gtk_init_check ())
        {
          g_printerr ("bench-ui: --strip and --editor need a display (run it under xvfb-run)\n");
          return 77;
        }
      if (strip)
        bench_strip (&report, strip_model, strip_tokens, frames);
      if (editor)
        {
          bench_editor (&report, editor_kb, runs);
          bench_text_view_floor (&report, editor_kb, runs);
        }
      printf ("\n%s", report.table->str);
      g_string_free (report.table, TRUE);
      return 0;
#else
      g_printerr ("bench-ui: built without the app (-Dapp=false): no --strip, no --editor\n");
      return 2;
#endif
    }

  if (latency_model == NULL)
    latency_model = attn_engine_dup_builtin_dir ();
  latency_engine = attn_engine_new (latency_model, NULL, &error);
  if (latency_engine == NULL)
    {
      g_printerr ("bench-ui: %s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < 3 && !long_only; i++)
    bench_latency (&report, latency_engine, (guint []) { 8, 32, 64 }[i], width, height, runs);

  if (long_tokens > 0)
    {
      g_autoptr(AttnResult) result = synthetic_result (latency_engine, long_tokens);

      bench_heatmap (&report, result, width, height, frames);
      bench_heatmap_linear (&report, latency_engine, long_tokens, width, height, frames);
      bench_heatmap_document_head (&report, long_tokens, width, height);
      bench_arcs (&report, result, width, height / 2, frames);
    }

  if (heatmap_model != NULL && !long_only)
    {
      heatmap_engine = attn_engine_new (heatmap_model, NULL, &error);
      if (heatmap_engine == NULL)
        {
          g_printerr ("bench-ui: %s\n", error->message);
          return 1;
        }
      for (guint i = 0; i < 2; i++)
        {
          g_autoptr(AttnResult) result = run_tokens (heatmap_engine, (guint []) { 256, 1024 }[i]);

          bench_heatmap (&report, result, width, height, frames);
        }
      /* For comparison: the same keystrokes on a GPT-2-small-sized model. */
      for (guint i = 0; i < 3; i++)
        bench_latency (&report, heatmap_engine, (guint []) { 8, 32, 64 }[i], width, height, runs);
    }
  else
    g_printerr ("bench-ui: no --heatmap-model, so no frame times\n");

  printf ("\n%s", report.table->str);
  g_string_free (report.table, TRUE);
  return 0;
}
