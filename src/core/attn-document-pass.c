/* attn-document-pass.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The forward pass behind the document: one pass in flight and one
 * "latest text" slot, run off the main thread (with the words when they
 * are merged); a stale answer is dropped, a fresh one becomes the result
 * with the selection kept where it still names the same token.
 */

#define G_LOG_DOMAIN "attn-document"

#include "config.h"

#include "attn-document-private.h"
#include "attn-pair.h"

typedef struct
{
  AttnEngine *engine;
  char       *text;
  char       *text_b;     /* NULL: one sentence */
  guint64     generation;
  gboolean    merge_words;
  AeAblation  ablation;   /* heads NULL: the intact model */
  bool       *ablated;    /* owned copy of ablation.heads */
  AttnResult *reuse;      /* owned: the shown result, whose prefix the pass copies; or NULL */
  guint       layer;      /* the head selected when the pass started */
  guint       head;
} RunData;

static void
run_data_free (gpointer data)
{
  RunData *run = data;

  g_clear_object (&run->engine);
  g_free (run->text);
  g_free (run->text_b);
  g_free (run->ablated);
  g_clear_pointer (&run->reuse, attn_result_unref);
  g_free (run);
}

/* What a pass hands back: the result and, when asked, its words. */
typedef struct
{
  AttnResult *result;
  AttnResult *merged;
  char       *merge_error;
} RunOutput;

static void
run_output_free (gpointer data)
{
  RunOutput *out = data;

  g_clear_pointer (&out->result, attn_result_unref);
  g_clear_pointer (&out->merged, attn_result_unref);
  g_free (out->merge_error);
  g_free (out);
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RunData *run = task_data;
  GError *error = NULL;
  AttnResult *result;

  /* Text past the context is cut, not refused: the window shows what fits
   * and says how much was left out. */
  AttnRunOptions options = { .truncate = TRUE,
                             .ablation = run->ablated != NULL ? &run->ablation : NULL,
                             .text_b = run->text_b,
                             .reuse = run->reuse };

  result = attn_engine_run_options (run->engine, run->text, &options, cancellable, &error);
  /* The pass has copied what it reuses.  Let go now, not when the task is
   * freed: that is after the main thread has swapped the results, when
   * the worker thread drops its last reference, and until then the old
   * trace (261 MB at 1,000 tokens of GPT-2 small) outlived its use. */
  g_clear_pointer (&run->reuse, attn_result_unref);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    {
      RunOutput *out = g_new0 (RunOutput, 1);
      guint n_layers = attn_result_get_n_layers (result), n_heads = attn_result_get_n_heads (result);

      /* The selected head's T × T weights, which every view of the result
       * asks for first: a linear trace computes them when asked, and here
       * that is off the main thread (at 4,096 tokens 60-75 ms of the main
       * thread's CPU in the first frame otherwise, bench-ui --long-only);
       * the trace keeps them for the result's life. */
      if (n_layers > 0 && n_heads > 0 && !g_cancellable_is_cancelled (cancellable))
        attn_result_get_weights (result, MIN (run->layer, n_layers - 1), MIN (run->head, n_heads - 1));

      out->result = result;
      if (run->merge_words)
        {
          g_autoptr(GError) merge_error = NULL;

          out->merged = attn_result_merge_words (result, cancellable, &merge_error);
          if (out->merged == NULL)
            out->merge_error = g_strdup (merge_error->message);
        }
      g_task_return_pointer (task, out, run_output_free);
    }
}

/* A token picked in the old result stays picked only if the new result
 * has the same token text at that index: after an edit, the same index
 * is often another word, and a selection that jumps there misleads. */
static int
keep_token_index (const AttnResult *old_result,
                  const AttnResult *new_result,
                  int               index)
{
  guint n_tokens = attn_result_get_n_tokens (new_result);

  /* Picked before the first result: nothing to compare with. */
  if (old_result == NULL)
    return _attn_document_clamp_index (index, n_tokens);

  if (index < 0
      || (guint) index >= n_tokens
      || (guint) index >= attn_result_get_n_tokens (old_result))
    return -1;

  if (g_strcmp0 (attn_result_get_token_text (old_result, index),
                 attn_result_get_token_text (new_result, index)) != 0)
    return -1;

  return index;
}

static void
apply_result (AttnDocument *self,
              AttnResult   *result,
              AttnResult   *merged,
              char         *merge_error)
{
  int query = keep_token_index (self->result, result, self->query);
  int key = keep_token_index (self->result, result, self->key);

  g_clear_pointer (&self->result, attn_result_unref);
  self->result = result;
  g_clear_pointer (&self->error_message, g_free);
  /* Before any notification: views map the selection through the words. */
  _attn_document_cancel_merge (self);
  _attn_document_set_merged (self, self->merge_words ? merged : NULL, self->merge_words ? merge_error : NULL);
  if (!self->merge_words)
    {
      g_clear_pointer (&merged, attn_result_unref);
      g_free (merge_error);
    }

  /* Keep the selection meaningful for the new shape and text. */
  _attn_document_clamp_head (self);
  attn_document_set_query (self, query);
  attn_document_set_key (self, key);

  _attn_document_notify (self, PROP_RESULT);
  _attn_document_notify (self, PROP_VIEW_RESULT);
  _attn_document_notify (self, PROP_ERROR_MESSAGE);
  _attn_document_emit (self, FORWARD_FINISHED);

  /* The toggle came on while the pass ran without it. */
  if (self->merge_words && self->merged == NULL && self->merge_error == NULL)
    _attn_document_start_merge (self);
}

static void start_pass (AttnDocument *self);

static void
run_finished_cb (GObject      *source_object,
                 GAsyncResult *async_result,
                 gpointer      user_data)
{
  g_autoptr(AttnDocument) self = user_data;
  g_autoptr(GError) error = NULL;
  RunData *run = g_task_get_task_data (G_TASK (async_result));
  RunOutput *out = g_task_propagate_pointer (G_TASK (async_result), &error);
  AttnResult *result = out != NULL ? g_steal_pointer (&out->result) : NULL;
  AttnResult *merged = out != NULL ? g_steal_pointer (&out->merged) : NULL;
  char *merge_error = out != NULL ? g_steal_pointer (&out->merge_error) : NULL;

  g_clear_pointer (&out, run_output_free);

  g_assert (self->n_in_flight > 0);
  self->n_in_flight--;
  g_clear_object (&self->cancellable);
  _attn_document_notify (self, PROP_PASSES_IN_FLIGHT);

  /* A newer request has been made since (a new text, or a new engine):
   * this pass's answer is stale and never reaches a view; its trace is
   * freed before the pass for the latest text starts. */
  if (run->generation != self->generation ||
      (result != NULL && attn_result_get_engine (result) != self->engine))
    {
      g_clear_pointer (&result, attn_result_unref);
      g_clear_pointer (&merged, attn_result_unref);
      g_clear_pointer (&merge_error, g_free);
      if (self->pending)
        start_pass (self);
      else
        _attn_document_notify (self, PROP_BUSY);
      return;
    }

  if (result != NULL)
    apply_result (self, result, merged, merge_error);
  else
    {
      g_free (self->error_message);
      self->error_message = g_strdup (error->message);
      _attn_document_notify (self, PROP_ERROR_MESSAGE);
      _attn_document_emit (self, FORWARD_FAILED, error);
    }

  _attn_document_notify (self, PROP_BUSY);
}

/* Starts the one pass for the current text and engine; nothing may be in
 * flight. */
static void
start_pass (AttnDocument *self)
{
  g_autoptr(GTask) task = NULL;
  RunData *run;

  g_assert (self->n_in_flight == 0);
  g_assert (self->engine != NULL && self->text != NULL);

  self->pending = FALSE;
  self->cancellable = g_cancellable_new ();

  run = g_new0 (RunData, 1);
  run->engine = g_object_ref (self->engine);
  run->text = g_strdup (self->text);
  /* a decoder reads one text: B is kept for when an encoder comes back */
  if (attn_engine_accepts_pairs (self->engine))
    run->text_b = g_strdup (self->text_b);
  run->generation = self->generation;
  run->merge_words = self->merge_words;
  run->layer = self->layer;
  run->head = self->head;
  if (self->ablated != NULL)
    {
      run->ablated = g_memdup2 (self->ablated, self->ablation.n_layer * self->ablation.n_head);
      run->ablation = self->ablation;
      run->ablation.heads = run->ablated;
    }
  /* Typing at the end of a long text recomputes only the new tokens: the
   * pass copies the shown result's rows for the tokens both texts start
   * with (the engine checks the model and the layers match; an ablated
   * pass computes everything). */
  if (self->result != NULL && attn_result_get_engine (self->result) == self->engine &&
      attn_result_has_trace (self->result))
    run->reuse = attn_result_ref (self->result);

  task = g_task_new (NULL, self->cancellable, run_finished_cb, g_object_ref (self));
  g_task_set_source_tag (task, start_pass);
  g_task_set_task_data (task, run, run_data_free);
  /* A cancelled pass still reports through run_finished_cb: only then has
   * its thread let go of its memory, and only then may the next start. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, run_in_thread);

  self->n_in_flight++;
  self->n_started++;
  _attn_document_notify (self, PROP_PASSES_IN_FLIGHT);
  _attn_document_notify (self, PROP_PASSES_STARTED);
}

void
_attn_document_recompute (AttnDocument *self)
{
  gboolean was_busy = attn_document_get_busy (self);
  gboolean wanted = self->engine != NULL && self->text != NULL;

  self->generation++;

  if (self->n_in_flight > 0)
    {
      /* The running pass is for an older text: stop it (the engine checks
       * the flag as it goes) and fill the slot; run_finished_cb starts the
       * pass for the latest text once this one has let go. */
      g_cancellable_cancel (self->cancellable);
      self->pending = wanted;
    }
  else if (wanted)
    start_pass (self);

  if (was_busy != attn_document_get_busy (self))
    _attn_document_notify (self, PROP_BUSY);
}
