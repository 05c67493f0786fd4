/* test-document.c — the GObject face: AttnEngine loading and AttnDocument runs
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include <math.h>
#include <string.h>

#include "attn-ablation.h"
#include "attn-document.h"
#include "attn-document-private.h"
#include "ae-sandbox.h"
#include "ae-stats.h"
#include "ae-steps.h"
#include "ae-trace.h"
#include "attn-engine.h"
#include "attn-head-stats.h"
#include "attn-predictions.h"
#include "attn-sandbox.h"
#include "model-dir.h"

static void
load_finished_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static AttnEngine *
load_async (const char  *dir,
            GError     **error)
{
  GAsyncResult *result = NULL;
  AttnEngine *engine;

  attn_engine_new_async (dir, NULL, load_finished_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  engine = attn_engine_new_finish (result, error);
  g_object_unref (result);
  return engine;
}

static void
test_engine_load_async (void)
{
  g_autofree char *dir = model_path ("tiny-f32");
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnEngine) engine = load_async (dir, &error);

  g_assert_no_error (error);
  g_assert_nonnull (engine);
  g_assert_cmpstr (attn_engine_get_name (engine), ==, "tiny-f32");
  g_assert_cmpuint (attn_engine_get_n_layers (engine), ==, 2);
  g_assert_cmpuint (attn_engine_get_n_heads (engine), ==, 4);
  g_assert_cmpuint (attn_engine_get_n_ctx (engine), ==, 32);
}

static void
test_engine_missing_model (void)
{
  g_autofree char *dir = g_build_filename (g_get_tmp_dir (), "no-such-model", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnEngine) engine = load_async (dir, &error);

  g_assert_null (engine);
  g_assert_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_NOT_FOUND);
  /* The message must say which file is missing. */
  g_assert_nonnull (strstr (error->message, "config.json"));
}

static void
test_engine_bad_config (void)
{
  g_autofree char *dir = copy_model ("tiny-f32");
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnEngine) engine = NULL;

  put_file (dir, "config.json", "{\"model_type\": \"t5\"}", -1);
  engine = attn_engine_new (dir, NULL, &error);
  g_assert_null (engine);
  g_assert_nonnull (error);
  g_assert_true (error->domain == ATTN_ENGINE_ERROR);
  g_assert_nonnull (strstr (error->message, "t5"));
  remove_dir (dir);
}

/* Finite weights that overflow float32 load in the engine, but AttnEngine
 * refuses them (issue 11): the app would otherwise make the model current,
 * add it to Recent Models and draw NaN.  The message names the layer. */
static void
test_engine_overflowing_model (void)
{
  g_autofree char *dir = copy_model ("tiny-f32");
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnEngine) engine = NULL;

  patch_tensor (dir, "h.0.mlp.c_fc.weight", 0, 0, 3e38f);
  engine = attn_engine_new (dir, NULL, &error);
  g_assert_null (engine);
  g_assert_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_BAD_MODEL);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "layer 0"));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  remove_dir (dir);
}

static void
count_cb (gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_document_run (void)
{
  g_autofree char *dir = model_path ("tiny-f32");
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, NULL);
  g_autoptr(AttnDocument) doc = attn_document_new ();
  guint finished = 0, result_notifies = 0;
  AttnResult *result;
  const float *weights;
  guint T;

  g_assert_nonnull (engine);
  g_signal_connect_swapped (doc, "forward-finished", G_CALLBACK (count_cb), &finished);
  g_signal_connect_swapped (doc, "notify::result", G_CALLBACK (count_cb), &result_notifies);

  attn_document_set_engine (doc, engine);
  attn_document_set_text (doc, "The cat sat.");
  g_assert_true (attn_document_get_busy (doc));
  attn_document_wait (doc);

  g_assert_false (attn_document_get_busy (doc));
  g_assert_cmpuint (finished, ==, 1);
  g_assert_cmpuint (result_notifies, ==, 1);
  result = attn_document_get_result (doc);
  g_assert_nonnull (result);
  g_assert_cmpstr (attn_result_get_text (result), ==, "The cat sat.");

  T = attn_result_get_n_tokens (result);
  g_assert_cmpuint (T, >, 1);
  weights = attn_result_get_weights (result, 1, 3);
  g_assert_nonnull (weights);
  for (guint q = 0; q < T; q++)
    {
      double sum = 0;

      for (guint k = 0; k < T; k++)
        {
          sum += weights[q * T + k];
          if (k > q)
            g_assert_cmpfloat (weights[q * T + k], ==, 0.0f);
        }
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-5);
    }
  g_assert_null (attn_document_get_error_message (doc));
}

/* Issue 13: a result arrives with its selected head's weights computed
 * (on the pass's thread): in a linear trace the first view to ask would
 * otherwise compute the T × T head on the main thread, 60-75 ms of a
 * frame at 4,096 tokens.  Only that head: the others are still computed
 * when asked. */
static void
test_document_selected_head_ready (void)
{
  g_autofree char *dir = model_path ("tiny-f32");
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, NULL);
  g_autoptr(AttnDocument) doc = attn_document_new ();
  const AeTrace *trace;
  AttnResult *result;

  attn_document_set_engine (doc, engine);
  attn_document_set_text (doc, "The cat sat.");
  attn_document_wait (doc);
  attn_document_set_layer (doc, 1);
  attn_document_set_head (doc, 2);
  attn_document_set_text (doc, "The cat sat on the mat.");
  attn_document_wait (doc);

  result = attn_document_get_result (doc);
  trace = attn_result_get_trace (result);
  g_assert_null (trace->weights);                      /* a linear trace */
  g_assert_cmpuint (ae_trace_heads_held (trace), ==, 1);
  g_assert_nonnull (attn_result_get_weights (result, 1, 2));
  g_assert_cmpuint (ae_trace_heads_held (trace), ==, 1);   /* it was that one */
  g_assert_nonnull (attn_result_get_weights (result, 0, 0));
  g_assert_cmpuint (ae_trace_heads_held (trace), ==, 2);
}

static void
head_ready_cb (AttnDocument *doc,
               GParamSpec   *pspec,
               gboolean     *ready)
{
  AttnResult *result = attn_document_get_result (doc);

  *ready = result != NULL && attn_result_has_weights_ready (result, attn_document_get_layer (doc),
                                                            attn_document_get_head (doc));
}

/* Issue 13: choosing a head of a long text whose weights are not computed
 * yet computes them in a worker and moves the selection once they are in
 * memory (the views keep showing the previous head meanwhile, instead of
 * computing the T × T head in their frame: 60-75 ms at 4,096 tokens); a
 * head computed before is selected at once, and the latest choice wins.
 * Every head of this short text counts as long here. */
static void
test_document_long_head_loads_aside (void)
{
  g_autofree char *dir = model_path ("tiny-f32");
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, NULL);
  g_autoptr(AttnDocument) doc = attn_document_new ();
  gboolean ready = FALSE;
  AttnResult *result;

  attn_document_set_engine (doc, engine);
  attn_document_set_text (doc, "The cat sat on the mat.");
  attn_document_wait (doc);
  result = attn_document_get_result (doc);
  g_signal_connect (doc, "notify::head", G_CALLBACK (head_ready_cb), &ready);
  _attn_document_set_async_head_cells (1);

  attn_document_set_head (doc, 2);
  g_assert_cmpuint (attn_document_get_head (doc), ==, 0);   /* still the one shown */
  attn_document_wait (doc);
  g_assert_cmpuint (attn_document_get_head (doc), ==, 2);
  g_assert_true (ready);                                    /* computed before the views heard */

  attn_document_set_head (doc, 0);                          /* computed by the pass */
  g_assert_cmpuint (attn_document_get_head (doc), ==, 0);

  ready = FALSE;
  attn_document_set_head (doc, 3);
  attn_document_set_layer (doc, 1);
  g_assert_cmpuint (attn_document_get_layer (doc), ==, 0);
  g_assert_cmpuint (attn_document_get_head (doc), ==, 0);
  attn_document_wait (doc);
  g_assert_cmpuint (attn_document_get_layer (doc), ==, 1);
  g_assert_cmpuint (attn_document_get_head (doc), ==, 3);
  g_assert_true (ready);
  g_assert_true (attn_result_has_weights_ready (result, 1, 3));

  /* another engine clears the result: a choice still loading is made at
   * once (there is nothing to load it from) */
  {
    g_autoptr(AttnEngine) other = attn_engine_new (dir, NULL, NULL);

    attn_document_set_head (doc, 1);
    g_assert_cmpuint (attn_document_get_head (doc), ==, 3);
    attn_document_set_engine (doc, other);
    g_assert_cmpuint (attn_document_get_head (doc), ==, 1);
    attn_document_wait (doc);
    g_assert_cmpuint (attn_document_get_layer (doc), ==, 1);
    g_assert_cmpuint (attn_document_get_head (doc), ==, 1);
  }

  _attn_document_set_async_head_cells (0);
}

/* Issue 11: a result is tied to the engine that made it.  Switching to a
 * same-shaped model used to keep the old result until the new run
 * finished (and for good when it failed), and the walkthrough recomputed
 * steps from the new weights with the old trace. */
static void
test_document_engine_switch (void)
{
  g_autofree char *dir_a = model_path ("tiny-f32");
  g_autofree char *dir_b = copy_model ("tiny-f32");
  g_autoptr(AttnEngine) engine_a = attn_engine_new (dir_a, NULL, NULL);
  g_autoptr(AttnEngine) engine_b = NULL;
  g_autoptr(AttnDocument) doc = attn_document_new ();
  g_autoptr(AttnResult) result_a = NULL;
  AttnResult *result_b;
  guint result_notifies = 0;

  patch_tensor (dir_b, "h.0.attn.c_attn.weight", 0, 512, 0.25f);
  engine_b = attn_engine_new (dir_b, NULL, NULL);
  g_assert_nonnull (engine_b);

  attn_document_set_engine (doc, engine_a);
  attn_document_set_text (doc, "The cat sat on the mat.");
  attn_document_wait (doc);
  result_a = attn_result_ref (attn_document_get_result (doc));
  g_assert_true (attn_result_get_engine (result_a) == engine_a);

  g_signal_connect_swapped (doc, "notify::result", G_CALLBACK (count_cb), &result_notifies);
  attn_document_set_engine (doc, engine_b);
  g_assert_null (attn_document_get_result (doc));
  g_assert_cmpuint (result_notifies, ==, 1);

  attn_document_wait (doc);
  result_b = attn_document_get_result (doc);
  g_assert_nonnull (result_b);
  g_assert_true (attn_result_get_engine (result_b) == engine_b);
  g_assert_cmpuint (attn_result_get_n_tokens (result_b), ==, attn_result_get_n_tokens (result_a));
  g_assert_true (memcmp (attn_result_get_weights (result_a, 0, 0), attn_result_get_weights (result_b, 0, 0),
                         sizeof (float) * attn_result_get_n_tokens (result_a)
                         * attn_result_get_n_tokens (result_a)) != 0);
  remove_dir (dir_b);
}

/* Typing fast: only the last text's result may ever be applied. */
static void
test_document_newest_wins (void)
{
  g_autofree char *dir = model_path ("tiny-f32");
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, NULL);
  g_autoptr(AttnDocument) doc = attn_document_new ();
  guint finished = 0;

  attn_document_set_engine (doc, engine);
  g_signal_connect_swapped (doc, "forward-finished", G_CALLBACK (count_cb), &finished);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *text = g_strdup_printf ("Sentence number %u is here.", i);

      attn_document_set_text (doc, text);
    }
  attn_document_wait (doc);

  g_assert_cmpuint (finished, ==, 1);
  g_assert_cmpstr (attn_result_get_text (attn_document_get_result (doc)), ==,
                   "Sentence number 19 is here.");
}

static void
peak_cb (GObject    *doc,
         GParamSpec *pspec,
         gpointer    user_data)
{
  guint *peak = user_data;
  guint n;

  g_object_get (doc, "passes-in-flight", &n, NULL);
  *peak = MAX (*peak, n);
}

/* Issue 13: one pass in flight and one "latest text" slot.  Twenty edits
 * made faster than any pass finishes start at most two passes (the one
 * running when the burst began, then one for the last text), never twenty
 * at once, each holding its own trace. */
static void
test_document_one_pass_in_flight (void)
{
  g_autofree char *dir = model_path ("tiny-f32");
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, NULL);
  g_autoptr(AttnDocument) doc = attn_document_new ();
  guint finished = 0, peak = 0, started_before, started, in_flight;

  attn_document_set_engine (doc, engine);
  attn_document_set_text (doc, "The first text.");
  attn_document_wait (doc);
  g_object_get (doc, "passes-started", &started_before, NULL);
  g_assert_cmpuint (started_before, ==, 1);

  g_signal_connect (doc, "notify::passes-in-flight", G_CALLBACK (peak_cb), &peak);
  g_signal_connect_swapped (doc, "forward-finished", G_CALLBACK (count_cb), &finished);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *text = g_strdup_printf ("Sentence number %u is here.", i);

      attn_document_set_text (doc, text);
      g_assert_true (attn_document_get_busy (doc));
    }
  g_object_get (doc, "passes-in-flight", &in_flight, NULL);
  g_assert_cmpuint (in_flight, ==, 1);
  attn_document_wait (doc);

  g_object_get (doc, "passes-started", &started, "passes-in-flight", &in_flight, NULL);
  g_assert_cmpuint (in_flight, ==, 0);
  g_assert_cmpuint (started - started_before, <=, 2);
  g_assert_cmpuint (peak, ==, 1);
  g_assert_cmpuint (finished, ==, 1);
  g_assert_cmpstr (attn_result_get_text (attn_document_get_result (doc)), ==,
                   "Sentence number 19 is here.");
}

typedef struct
{
  guint finished;
  guint stale;
} Published;

static void
check_published_cb (AttnDocument *doc,
                    gpointer      user_data)
{
  Published *published = user_data;

  published->finished++;
  if (g_strcmp0 (attn_result_get_text (attn_document_get_result (doc)),
                 attn_document_get_text (doc)) != 0)
    published->stale++;
}

/* Edits at random moments, some while a pass runs, some after it ended:
 * every result that reaches a view is the current text's, and the last
 * text's result is the one left showing. */
static void
test_document_no_stale_results (void)
{
  g_autofree char *dir = model_path ("tiny-f32");
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, NULL);
  g_autoptr(AttnDocument) doc = attn_document_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (13);
  g_autoptr(GString) text = g_string_new ("Once");
  Published published = { 0 };
  guint peak = 0, started;

  attn_document_set_engine (doc, engine);
  g_signal_connect (doc, "notify::passes-in-flight", G_CALLBACK (peak_cb), &peak);
  g_signal_connect (doc, "forward-finished", G_CALLBACK (check_published_cb), &published);
  for (guint i = 0; i < 60; i++)
    {
      static const char *const words[] = { " upon", " a", " time", " the", " cat" };

      /* Type a word, or take the last character back. */
      if (text->len > 8 && g_rand_int_range (rand, 0, 4) == 0)
        g_string_truncate (text, text->len - 1);
      else
        g_string_append (text, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
      attn_document_set_text (doc, text->str);

      /* Sometimes give the pass time to finish and report back. */
      if (g_rand_int_range (rand, 0, 3) == 0)
        g_usleep (g_rand_int_range (rand, 0, 3000));
      for (gint n = g_rand_int_range (rand, 0, 4); n > 0; n--)
        g_main_context_iteration (NULL, FALSE);
    }
  attn_document_wait (doc);

  g_object_get (doc, "passes-started", &started, NULL);
  g_test_message ("60 edits: %u passes started, %u results published", started, published.finished);
  g_assert_cmpuint (published.stale, ==, 0);
  g_assert_cmpuint (published.finished, >=, 1);
  g_assert_cmpuint (peak, ==, 1);
  g_assert_cmpstr (attn_result_get_text (attn_document_get_result (doc)), ==, text->str);
  g_assert_false (attn_document_get_busy (doc));
}

static void
test_document_truncates (void)
{
  g_autofree char *dir = model_path ("tiny-f32");
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, NULL);
  g_autoptr(AttnDocument) doc = attn_document_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnResult) refused = NULL;
  AttnResult *result;

  for (guint i = 0; i < 40; i++)
    g_string_append (text, " word");

  /* The CLI refuses text past the context, naming the limit ... */
  refused = attn_engine_run (engine, text->str, FALSE, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "32"));

  /* ... the document computes what fits and says how much was left out. */
  attn_document_set_engine (doc, engine);
  attn_document_set_text (doc, text->str);
  attn_document_wait (doc);
  result = attn_document_get_result (doc);
  g_assert_nonnull (result);
  g_assert_cmpuint (attn_result_get_n_tokens (result), ==, 32);
  g_assert_cmpuint (attn_result_get_n_dropped (result), >, 0);
}

static void
test_document_empty_text (void)
{
  g_autofree char *dir = model_path ("tiny-f32");
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, NULL);
  g_autoptr(AttnDocument) doc = attn_document_new ();

  attn_document_set_engine (doc, engine);
  attn_document_set_text (doc, "");
  attn_document_wait (doc);
  g_assert_nonnull (attn_document_get_result (doc));
  g_assert_cmpuint (attn_result_get_n_tokens (attn_document_get_result (doc)), ==, 0);
  g_assert_cmpint (attn_document_get_query (doc), ==, -1);
}

static void
test_document_selection_clamped (void)
{
  g_autofree char *dir = model_path ("tiny-f32");
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, NULL);
  g_autoptr(AttnDocument) doc = attn_document_new ();
  guint query_notifies = 0;

  attn_document_set_engine (doc, engine);
  attn_document_set_text (doc, "one two three four five six");
  attn_document_wait (doc);

  attn_document_set_layer (doc, 99);
  g_assert_cmpuint (attn_document_get_layer (doc), ==, 1);
  attn_document_set_head (doc, 99);
  g_assert_cmpuint (attn_document_get_head (doc), ==, 3);

  g_signal_connect_swapped (doc, "notify::query", G_CALLBACK (count_cb), &query_notifies);
  attn_document_set_query (doc, 5);
  attn_document_set_query (doc, 5);
  g_assert_cmpuint (query_notifies, ==, 1);

  /* A shorter text pulls the selection back inside it. */
  attn_document_set_text (doc, "one two");
  attn_document_wait (doc);
  g_assert_cmpint (attn_document_get_query (doc), <, (int) attn_result_get_n_tokens (attn_document_get_result (doc)));
}

/* After an edit the query stays only on a token with the same text. */
static void
test_document_selection_follows_text (void)
{
  g_autofree char *dir = model_path ("tiny-f32");
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, NULL);
  g_autoptr(AttnDocument) doc = attn_document_new ();

  attn_document_set_engine (doc, engine);
  attn_document_set_text (doc, "one two");
  attn_document_wait (doc);
  attn_document_set_query (doc, 1);

  /* Appending leaves the first word where it was. */
  attn_document_set_text (doc, "one two three");
  attn_document_wait (doc);
  g_assert_cmpint (attn_document_get_query (doc), ==, 1);

  /* Another first word: the query does not jump to it. */
  attn_document_set_text (doc, "six two three");
  attn_document_wait (doc);
  g_assert_cmpint (attn_document_get_query (doc), ==, -1);
  g_assert_cmpint (attn_document_get_key (doc), ==, -1);
}

static void
steps_ready_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
assert_same_floats (const float *a,
                    const float *b,
                    gsize        n)
{
  g_assert_true ((a == NULL) == (b == NULL));
  if (a != NULL && n > 0)
    g_assert_cmpmem (a, n * sizeof (float), b, n * sizeof (float));
}

/* Every field of the face's AttnSteps is the engine's AeSteps' own. */
static void
assert_steps_equal (const AttnSteps *s,
                    const AeSteps   *e)
{
  gsize rot = e->rotary_dim / 2;

  g_assert_cmpuint (s->layer, ==, e->layer);
  g_assert_cmpuint (s->head, ==, e->head);
  g_assert_cmpuint (s->query, ==, e->query);
  g_assert_cmpuint (s->key, ==, e->key);
  g_assert_cmpuint (s->n_tokens, ==, e->n_tokens);
  g_assert_cmpuint (s->n_embd, ==, e->n_embd);
  g_assert_cmpuint (s->n_head, ==, e->n_head);
  g_assert_cmpuint (s->head_size, ==, e->head_size);
  g_assert_cmpuint (s->n_kv_head, ==, e->n_kv_head);
  g_assert_cmpuint (s->kv_head, ==, e->kv_head);
  g_assert_cmpuint (s->rotary_dim, ==, e->rotary_dim);
  g_assert_cmpuint (s->window, ==, e->window);
  g_assert_cmpint (s->bidirectional, ==, e->bidirectional);
  g_assert_cmpint (s->rms_norm, ==, e->norm == AE_NORM_RMS);
  g_assert_cmpint (s->swiglu, ==, e->mlp == AE_MLP_SWIGLU);
  assert_same_floats (s->x, e->x, e->n_embd);
  assert_same_floats (s->x_key, e->x_key, e->n_embd);
  assert_same_floats (s->w_q, e->w_q, e->n_embd * e->head_size);
  assert_same_floats (s->w_k, e->w_k, e->n_embd * e->head_size);
  assert_same_floats (s->w_v, e->w_v, e->n_embd * e->head_size);
  assert_same_floats (s->b_q, e->b_q, e->head_size);
  assert_same_floats (s->b_k, e->b_k, e->head_size);
  assert_same_floats (s->b_v, e->b_v, e->head_size);
  assert_same_floats (s->q, e->q, e->head_size);
  assert_same_floats (s->k, e->k, e->head_size);
  assert_same_floats (s->v, e->v, e->head_size);
  assert_same_floats (s->freq, e->freq, rot);
  assert_same_floats (s->angle_q, e->angle_q, rot);
  assert_same_floats (s->angle_k, e->angle_k, rot);
  assert_same_floats (s->q_rot, e->q_rot, e->head_size);
  assert_same_floats (s->k_rot, e->k_rot, e->head_size);
  assert_same_floats (s->products, e->products, e->head_size);
  g_assert_cmpfloat (s->dot, ==, e->dot);
  g_assert_cmpfloat (s->scale, ==, e->scale);
  g_assert_cmpfloat (s->score, ==, e->score);
  g_assert_cmpint (s->masked, ==, e->masked);
  assert_same_floats (s->scores, e->scores, e->n_tokens);
  assert_same_floats (s->weights, e->weights, e->n_tokens);
  g_assert_cmpfloat (s->weight, ==, e->weight);
  assert_same_floats (s->head_output, e->head_output, e->head_size);
  assert_same_floats (s->share, e->share, e->head_size);
  assert_same_floats (s->heads_joined, e->heads_joined, e->n_head * e->head_size);
  assert_same_floats (s->attn_output, e->attn_output, e->n_embd);
  for (gsize t = 0; t < e->n_tokens; t++)
    g_assert_cmpint (attn_steps_is_masked (s, t), ==, ae_steps_is_masked (e, t));
}

/* Issue 13: the walkthrough's steps come from the document, computed off
 * the main thread, as a face type with the engine's very numbers (GPT-2,
 * and Llama's rotary, grouped-query, RMSNorm and SwiGLU fields). */
static void
test_document_steps (gconstpointer data)
{
  g_autofree char *dir = model_path (data);
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, NULL);
  g_autoptr(AttnDocument) doc = attn_document_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnSteps) steps = NULL;
  GAsyncResult *done = NULL;
  AeSteps *expected = NULL;
  AttnResult *result;
  guint layers[] = { 0, 1 }, head = 1;

  g_assert_nonnull (engine);
  attn_document_set_engine (doc, engine);

  /* No result yet: an error, not a crash. */
  attn_document_compute_steps_async (doc, 0, 0, 0, 0, NULL, steps_ready_cb, &done);
  while (done == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (attn_document_compute_steps_finish (doc, done, &error));
  g_assert_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&done);

  attn_document_set_text (doc, "The cat sat on the mat.");
  attn_document_wait (doc);
  result = attn_document_get_result (doc);

  for (guint i = 0; i < G_N_ELEMENTS (layers); i++)
    for (guint key = 2; key <= 6; key += 4)   /* one key seen, one in the future */
      {
        attn_document_compute_steps_async (doc, layers[i], head, 4, key, NULL, steps_ready_cb, &done);
        while (done == NULL)
          g_main_context_iteration (NULL, TRUE);
        steps = attn_document_compute_steps_finish (doc, done, &error);
        g_clear_object (&done);
        g_assert_no_error (error);
        g_assert_nonnull (steps);

        g_assert_cmpint (ae_steps_new (&expected, attn_engine_get_model (engine), attn_result_get_trace (result),
                                       layers[i], head, 4, key, NULL), ==, AE_STATUS_OK);
        assert_steps_equal (steps, expected);
        g_assert_cmpint (steps->masked, ==, key > 4);
        g_clear_pointer (&expected, ae_steps_free);
        g_clear_pointer (&steps, attn_steps_unref);
      }

  /* An index out of range is named. */
  attn_document_compute_steps_async (doc, 0, 99, 0, 0, NULL, steps_ready_cb, &done);
  while (done == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (attn_document_compute_steps_finish (doc, done, &error));
  g_assert_error (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "99"));
  g_clear_object (&done);

  /* A cancelled request never yields steps. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GError) cancelled = NULL;

    attn_document_compute_steps_async (doc, 0, 0, 3, 1, cancellable, steps_ready_cb, &done);
    g_cancellable_cancel (cancellable);
    while (done == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_null (attn_document_compute_steps_finish (doc, done, &cancelled));
    g_assert_error (cancelled, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_object (&done);
  }
}

/* The sandbox through the face: the seed's figures. */
static void
test_sandbox_face (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnSteps) steps = NULL;
  AeSteps *expected = NULL;
  const float *cat = attn_sandbox_default_embedding (ATTN_SANDBOX_CAT);
  const float *sat = attn_sandbox_default_embedding (ATTN_SANDBOX_SAT);

  steps = attn_sandbox_run (cat, sat, ATTN_SANDBOX_CAT, ATTN_SANDBOX_SAT, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (steps->weight, 0.506, 0.001);
  g_assert_cmpstr (attn_sandbox_token_name (ATTN_SANDBOX_CAT), ==, "cat");
  g_assert_cmpint (attn_sandbox_token_from_name ("sat"), ==, ATTN_SANDBOX_SAT);
  g_assert_cmpint (ae_sandbox_run (&expected, cat, sat, AE_SANDBOX_CAT, AE_SANDBOX_SAT, NULL), ==, AE_STATUS_OK);
  assert_steps_equal (steps, expected);
  ae_steps_free (expected);
  g_assert_cmpstr (attn_step_to_string (ATTN_STEP_SOFTMAX), ==, "Softmax");
  g_assert_null (attn_step_to_string (ATTN_STEP_COUNT));
}

/* Head statistics through the face: the engine's numbers and label. */
static void
test_head_stats_face (void)
{
  g_autofree char *dir = model_path ("tiny-f32");
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, NULL);
  g_autoptr(AttnResult) result = attn_engine_run (engine, "one two three one two three one", FALSE, NULL, NULL);
  AttnHeadStats stats;

  g_assert_nonnull (result);
  for (guint l = 0; l < attn_result_get_n_layers (result); l++)
    for (guint h = 0; h < attn_result_get_n_heads (result); h++)
      {
        AeHeadStats e;

        g_assert_true (attn_result_get_head_stats (result, l, h, &stats));
        ae_head_stats_compute_tokens (attn_result_get_weights (result, l, h), attn_result_get_token_ids (result),
                                      attn_result_get_n_tokens (result), &e);
        g_assert_cmpuint (stats.n_rows, ==, e.n_rows);
        g_assert_cmpfloat (stats.prev, ==, e.prev);
        g_assert_cmpfloat (stats.first, ==, e.first);
        g_assert_cmpfloat (stats.self, ==, e.self);
        g_assert_cmpfloat (stats.local, ==, e.local);
        g_assert_cmpfloat (stats.entropy_norm, ==, e.entropy_norm);
        g_assert_cmpfloat (stats.prev_argmax, ==, e.prev_argmax);
        g_assert_cmpfloat (stats.mean_distance, ==, e.mean_distance);
        g_assert_cmpuint (stats.top_key, ==, e.top_key);
        g_assert_cmpfloat (stats.top_key_weight, ==, e.top_key_weight);
        g_assert_cmpuint (stats.n_repeat_rows, ==, e.n_repeat_rows);
        g_assert_cmpfloat (stats.induction, ==, e.induction);
        g_assert_cmpint (stats.label, ==, ae_head_label (&e));
        g_assert_cmpstr (attn_head_label_to_string (stats.label), ==, ae_head_label_to_string (ae_head_label (&e)));
      }
  g_assert_cmpuint (stats.n_repeat_rows, >, 0);
  g_assert_false (attn_result_get_head_stats (result, 0, 99, &stats));
}

/* Issue 13: the document's passes reuse the shown result's prefix.  Typing
 * at the end of a long text recomputes only the new tokens, an edit in the
 * middle only the tokens from the edit on; each result equals a pass over
 * the whole text to float rounding (weights; token probabilities). */
static guint
common_prefix (AttnResult *a,
               AttnResult *b)
{
  guint n = MIN (attn_result_get_n_tokens (a), attn_result_get_n_tokens (b)), P = 0;

  while (P < n && attn_result_get_token_id (a, P) == attn_result_get_token_id (b, P))
    P++;
  return P;
}

static void
assert_equals_full_pass (AttnEngine *engine,
                         AttnResult *result)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnResult) full = attn_engine_run (engine, attn_result_get_text (result), TRUE, NULL, &error);
  guint T = attn_result_get_n_tokens (result);
  const float *lp = attn_result_get_token_logprobs (result), *full_lp;

  g_assert_no_error (error);
  g_assert_cmpuint (attn_result_get_n_recomputed (full), ==, T);
  g_assert_cmpuint (attn_result_get_n_tokens (full), ==, T);
  for (guint l = 0; l < attn_result_get_n_layers (result); l++)
    for (guint h = 0; h < attn_result_get_n_heads (result); h++)
      {
        const float *w = attn_result_get_weights (result, l, h), *fw = attn_result_get_weights (full, l, h);

        /* the projections batch the new rows differently from a full
         * pass: float rounding, 3e-6 on this model as in test-trace */
        for (gsize i = 0; i < (gsize) T * T; i++)
          g_assert_cmpfloat_with_epsilon (w[i], fw[i], 3e-6);
      }
  full_lp = attn_result_get_token_logprobs (full);
  g_assert_nonnull (lp);
  g_assert_true (isnan (lp[0]));
  for (guint t = 1; t < T; t++)
    g_assert_cmpfloat_with_epsilon (lp[t], full_lp[t], 1e-4);
}

static void
test_document_reuses_prefix (void)
{
  g_autofree char *dir = attn_engine_dup_builtin_dir ();
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, NULL);
  g_autoptr(AttnDocument) doc = attn_document_new ();
  g_autoptr(GString) text = g_string_new ("Once upon a time");
  static const char *words[] = { " the", " little", " dog", " ran", " to", " the", " big", " red", " house", "." };
  AttnResult *before, *after;
  guint T, P, n_ctx, middle;
  g_autofree char *edited = NULL;

  g_assert_nonnull (engine);
  n_ctx = attn_engine_get_n_ctx (engine);
  /* a text that fills most of the context */
  for (guint i = 0;; i++)
    {
      g_autoptr(AttnResult) tokens = NULL;

      g_string_append (text, words[i % G_N_ELEMENTS (words)]);
      tokens = attn_engine_tokenize (engine, text->str, NULL);
      if (attn_result_get_n_tokens (tokens) + 12 >= n_ctx)
        break;
    }

  attn_document_set_engine (doc, engine);
  attn_document_set_text (doc, text->str);
  attn_document_wait (doc);
  before = attn_result_ref (attn_document_get_result (doc));
  T = attn_result_get_n_tokens (before);
  g_assert_cmpuint (attn_result_get_n_recomputed (before), ==, T);   /* nothing to reuse yet */

  /* typing at the end: only the new tokens (and any the last word re-merged) */
  g_string_append (text, " The cat");
  attn_document_set_text (doc, text->str);
  attn_document_wait (doc);
  after = attn_document_get_result (doc);
  g_assert_true (after != before);
  P = common_prefix (before, after);
  g_assert_cmpuint (P, >=, T - 1);
  g_assert_cmpuint (attn_result_get_n_recomputed (after), ==, attn_result_get_n_tokens (after) - P);
  g_assert_cmpuint (attn_result_get_n_recomputed (after), <=, 4);
  assert_equals_full_pass (engine, after);
  g_clear_pointer (&before, attn_result_unref);

  /* an edit in the middle: from the edit on */
  before = attn_result_ref (after);
  middle = (guint) text->len / 2;
  while (text->str[middle] != ' ')
    middle++;
  edited = g_strdup_printf ("%.*s cow%s", (int) middle, text->str, text->str + middle);
  attn_document_set_text (doc, edited);
  attn_document_wait (doc);
  after = attn_document_get_result (doc);
  P = common_prefix (before, after);
  g_assert_cmpuint (P, >, 0);
  g_assert_cmpuint (P + 10, <, attn_result_get_n_tokens (before));
  g_assert_cmpuint (attn_result_get_n_recomputed (after), ==, attn_result_get_n_tokens (after) - P);
  assert_equals_full_pass (engine, after);
  g_clear_pointer (&before, attn_result_unref);

  /* deleting from the end: every token left is a copied one */
  before = attn_result_ref (after);
  edited[strlen (edited) - strlen (" cat")] = '\0';
  attn_document_set_text (doc, edited);
  attn_document_wait (doc);
  after = attn_document_get_result (doc);
  P = common_prefix (before, after);
  g_assert_cmpuint (attn_result_get_n_recomputed (after), ==, attn_result_get_n_tokens (after) - P);
  assert_equals_full_pass (engine, after);
  g_clear_pointer (&before, attn_result_unref);
}

/* Issue 14: the document's own heads passed back to it (as the kind switch
 * and the predictions panel do) were freed before they were copied: a
 * heap-use-after-free under ASan, and the heads read from freed memory
 * (or none at all) without it. */
static void
test_document_ablation_own_heads (void)
{
  g_autofree char *dir = model_path ("tiny-f32");
  g_autoptr(AttnEngine) engine = attn_engine_new (dir, NULL, NULL);
  g_autoptr(AttnDocument) doc = attn_document_new ();
  g_autofree bool *heads = NULL;
  const AeAblation *own;
  AttnAblationKind kind;
  guint L, NH;

  g_assert_nonnull (engine);
  L = attn_engine_get_n_layers (engine);
  NH = attn_engine_get_n_heads (engine);
  g_assert_cmpuint (L, >=, 2);
  g_assert_cmpuint (NH, >=, 3);
  attn_document_set_engine (doc, engine);
  attn_document_set_text (doc, "The cat sat.");
  attn_document_wait (doc);

  heads = g_new0 (bool, (gsize) L * NH);
  heads[0 * NH + 1] = heads[1 * NH + 2] = true;
  attn_document_set_ablation (doc, &(AeAblation) { AE_ABLATION_MEAN, L, NH, heads });
  memset (heads, 0, (gsize) L * NH * sizeof (bool));   /* the document keeps a copy */
  attn_document_wait (doc);

  own = attn_document_get_ablation (doc);
  g_assert_nonnull (own);
  attn_document_set_ablation (doc, own);
  attn_document_wait (doc);
  own = attn_document_get_ablation (doc);
  g_assert_nonnull (own);
  g_assert_cmpuint (ae_ablation_count (own), ==, 2);
  g_assert_true (ae_ablation_has (own, 0, 1) && ae_ablation_has (own, 1, 2));
  g_assert_cmpint (own->kind, ==, AE_ABLATION_MEAN);
  g_assert_true (attn_result_head_is_off (attn_document_get_result (doc), 1, 2, &kind));
  g_assert_cmpint (kind, ==, ATTN_ABLATION_MEAN);

  /* the face's kind switch hands the document its own heads too */
  attn_document_set_ablation_kind (doc, ATTN_ABLATION_ZERO);
  attn_document_wait (doc);
  own = attn_document_get_ablation (doc);
  g_assert_cmpuint (ae_ablation_count (own), ==, 2);
  g_assert_true (ae_ablation_has (own, 0, 1) && ae_ablation_has (own, 1, 2));
  g_assert_true (attn_result_head_is_off (attn_document_get_result (doc), 0, 1, &kind));
  g_assert_cmpint (kind, ==, ATTN_ABLATION_ZERO);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/attention/engine/load-async", test_engine_load_async);
  g_test_add_func ("/attention/engine/missing-model", test_engine_missing_model);
  g_test_add_func ("/attention/engine/bad-config", test_engine_bad_config);
  g_test_add_func ("/attention/engine/overflowing-model", test_engine_overflowing_model);
  g_test_add_func ("/attention/document/run", test_document_run);
  g_test_add_func ("/attention/document/selected-head-ready", test_document_selected_head_ready);
  g_test_add_func ("/attention/document/long-head-loads-aside", test_document_long_head_loads_aside);
  g_test_add_func ("/attention/document/newest-wins", test_document_newest_wins);
  g_test_add_func ("/attention/document/one-pass-in-flight", test_document_one_pass_in_flight);
  g_test_add_func ("/attention/document/no-stale-results", test_document_no_stale_results);
  g_test_add_func ("/attention/document/engine-switch", test_document_engine_switch);
  g_test_add_data_func ("/attention/document/steps/gpt2", "tiny-f32", test_document_steps);
  g_test_add_data_func ("/attention/document/steps/llama-gqa", "llama-gqa2", test_document_steps);
  g_test_add_func ("/attention/document/sandbox", test_sandbox_face);
  g_test_add_func ("/attention/document/head-stats", test_head_stats_face);
  g_test_add_func ("/attention/document/truncates", test_document_truncates);
  g_test_add_func ("/attention/document/empty-text", test_document_empty_text);
  g_test_add_func ("/attention/document/selection-clamped", test_document_selection_clamped);
  g_test_add_func ("/attention/document/selection-follows-text", test_document_selection_follows_text);
  g_test_add_func ("/attention/document/reuses-prefix", test_document_reuses_prefix);
  g_test_add_func ("/attention/document/ablation-own-heads", test_document_ablation_own_heads);

  return g_test_run ();
}
