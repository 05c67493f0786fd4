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
 * Prints one JSON object per measurement, then a Markdown table.
 */

#define G_LOG_DOMAIN "bench-ui"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo.h>

#include "attn-document.h"
#include "attn-engine.h"
#include "attn-render.h"
#include "attn-result.h"

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

/* CPU time of this thread: on a loaded machine a frame that was preempted
 * shows it in wall time, not here. */
static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
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

/* One head of @n_tokens tokens with attention-like rows (a sink on token
 * 0, the previous token, a decay over distance), tokenized by @engine but
 * not run: a forward pass at 4,096 tokens needs a model with that context
 * and, until the trace keeps T × T on demand only, gigabytes for it.  The
 * frame cost depends on T and the view, not on where the weights came from. */
static AttnResult *
synthetic_result (AttnEngine *engine,
                  guint       n_tokens)
{
  const AeTokenizer *tokenizer = ae_model_tokenizer (attn_engine_get_model (engine));
  g_autoptr(GString) text = g_string_new (NULL);
  AeTokens tokens = { 0 };
  AeError error = { 0 };
  AeTrace *trace;
  float *w;

  for (guint i = 0; text->len < n_tokens * 8; i++)
    g_string_append (text, paragraphs[i % G_N_ELEMENTS (paragraphs)]);
  if (ae_tokenizer_encode (tokenizer, text->str, text->len, &tokens, &error) != AE_STATUS_OK
      || tokens.n_tokens < n_tokens)
    g_error ("tokenize %u tokens: %s", n_tokens, error.message);
  tokens.n_tokens = n_tokens;

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

  return _attn_result_new (text->str, "synthetic", tokenizer, &tokens, 0, trace);
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
        double median, p95, cpu_median;

        if (cells[c] == 0 && kind == 2)
          continue;   /* nothing to pan */

        attn_heatmap_spec_init (&spec, result, 0, 0);
        spec.query = T / 2;
        spec.show_values = TRUE;
        spec.show_overview = TRUE;     /* as AttnHeatmapView draws it */
        spec.cache = cache;
        spec.cell_size = cells[c];
        spec.scroll_x = spec.scroll_y = T * cells[c] / 2.0;

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

        median = percentile (ms, frames, 50);
        p95 = percentile (ms, frames, 95);
        cpu_median = percentile (cpu, frames, 50);
        printf ("{\"bench\": \"heatmap\", \"tokens\": %u, \"size\": [%d, %d], \"frame\": \"%s\", "
                "\"layout\": \"%s\", \"frames\": %d, \"median_ms\": %.2f, \"p95_ms\": %.2f, "
                "\"cpu_median_ms\": %.2f}\n",
                T, width, height, kinds[kind], layout, frames, median, p95, cpu_median);
        g_string_append_printf (report->table, "| heatmap frame, %u tokens%s, %s, %s | %.2f (CPU %.2f) | %.2f | 16 |\n",
                                T, g_str_equal (attn_result_get_model_name (result), "synthetic") ? " (synthetic)" : "",
                                layout, kinds[kind], median, cpu_median, p95);
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
