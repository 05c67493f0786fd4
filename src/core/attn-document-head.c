/* attn-document-head.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Choosing a layer or head of a long text.  A linear trace computes a
 * head's T × T weights when a view first asks, and every view of the
 * selected head asks at once, on the main thread: at 4,096 tokens that is
 * 60-75 ms of one frame (bench-ui --long-only, "new head").  So when the
 * chosen head is big and not in memory yet, the document computes it in a
 * worker thread and moves the selection (notify::layer, notify::head) once
 * it is there: the views keep showing the previous head meanwhile.  The
 * latest choice wins; a small head, or one computed before, is selected at
 * once, as it always was.
 */

#define G_LOG_DOMAIN "attn-document"

#include "config.h"

#include "ae-trace.h"
#include "attn-document-private.h"

/* Heads of at least this many cells (T²) are computed off the main thread:
 * 1,024 tokens, where a head costs a few ms. */
#define ASYNC_HEAD_CELLS ((guint64) 1024 * 1024)

static guint64 async_head_cells = ASYNC_HEAD_CELLS;

void
_attn_document_set_async_head_cells (guint64 cells)
{
  async_head_cells = cells > 0 ? cells : ASYNC_HEAD_CELLS;
}

typedef struct
{
  AttnResult *result;   /* owned */
  guint       layer;
  guint       head;
  guint64     request;
} HeadLoad;

static void
head_load_free (gpointer data)
{
  HeadLoad *load = data;

  attn_result_unref (load->result);
  g_free (load);
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  HeadLoad *load = task_data;
  const AeHeadAttention *attention;

  /* Into the trace's small cache of recent heads, not its kept ones: the
   * views' first attn_result_get_weights () keeps it at no cost, and a
   * choice overtaken meanwhile is not held for the result's life. */
  attention = ae_trace_head_get (attn_result_get_trace (load->result), load->layer, load->head, NULL);
  if (attention != NULL)
    ae_head_attention_release (attention);
  g_task_return_boolean (task, TRUE);
}

/* Moves the selection to (@layer, @head), notifying what changed. */
static void
select_now (AttnDocument *self,
            guint         layer,
            guint         head)
{
  gboolean layer_changed = self->layer != layer, head_changed = self->head != head;

  self->layer = layer;
  self->head = head;
  if (layer_changed)
    _attn_document_notify (self, PROP_LAYER);
  if (head_changed)
    _attn_document_notify (self, PROP_HEAD);
}

static void
load_finished_cb (GObject      *source_object,
                  GAsyncResult *async_result,
                  gpointer      user_data)
{
  g_autoptr(AttnDocument) self = user_data;
  HeadLoad *load = g_task_get_task_data (G_TASK (async_result));

  /* a later choice has taken over */
  if (load->request != self->head_request)
    return;
  /* a new result, or none, since: the choice is made again on it */
  if (load->result != self->result)
    {
      _attn_document_choose_head (self, self->want_layer, self->want_head);
      return;
    }
  self->head_loading = FALSE;
  /* the views' first read keeps it (unless, rarely, the cache let go of
   * it meanwhile: then that read computes it) */
  select_now (self, load->layer, load->head);
}

static gboolean
needs_loading (AttnDocument *self,
               guint         layer,
               guint         head)
{
  guint64 T;

  if (self->result == NULL || !attn_result_has_trace (self->result))
    return FALSE;
  T = attn_result_get_n_tokens (self->result);
  return T * T >= async_head_cells && !attn_result_has_weights_ready (self->result, layer, head);
}

/* The head chosen last, in a worker. */
static gboolean
start_load (gpointer data)
{
  AttnDocument *self = data;
  g_autoptr(GTask) task = NULL;
  HeadLoad *load;

  self->head_load_idle = 0;
  if (!self->head_loading)
    return G_SOURCE_REMOVE;
  if (!needs_loading (self, self->want_layer, self->want_head))
    {
      _attn_document_choose_head (self, self->want_layer, self->want_head);
      return G_SOURCE_REMOVE;
    }

  load = g_new0 (HeadLoad, 1);
  load->result = attn_result_ref (self->result);
  load->layer = self->want_layer;
  load->head = self->want_head;
  load->request = self->head_request;
  task = g_task_new (NULL, NULL, load_finished_cb, g_object_ref (self));
  g_task_set_source_tag (task, start_load);
  g_task_set_task_data (task, load, head_load_free);
  g_task_run_in_thread (task, load_in_thread);
  return G_SOURCE_REMOVE;
}

void
_attn_document_choose_head (AttnDocument *self,
                            guint         layer,
                            guint         head)
{

  if (self->result != NULL)
    {
      layer = MIN (layer, MAX (attn_result_get_n_layers (self->result), 1) - 1);
      head = MIN (head, MAX (attn_result_get_n_heads (self->result), 1) - 1);
    }

  self->head_request++;   /* whatever was loading is no longer wanted */
  self->want_layer = layer;
  self->want_head = head;
  if (!needs_loading (self, layer, head))
    {
      self->head_loading = FALSE;
      select_now (self, layer, head);
      return;
    }

  self->head_loading = TRUE;
  /* Started from the main loop, so that a layer and a head chosen one
   * after the other (a click on the grid) load one head, not two. */
  if (self->head_load_idle == 0)
    self->head_load_idle = g_idle_add_full (G_PRIORITY_DEFAULT, start_load, g_object_ref (self), g_object_unref);
}

void
_attn_document_clamp_head (AttnDocument *self)
{
  if (self->result != NULL)
    {
      guint n_layers = attn_result_get_n_layers (self->result);
      guint n_heads = attn_result_get_n_heads (self->result);

      /* at once: a selection past the new result's heads must not wait */
      select_now (self, n_layers > 0 ? MIN (self->layer, n_layers - 1) : self->layer,
                  n_heads > 0 ? MIN (self->head, n_heads - 1) : self->head);
    }
  /* the choice still waiting is made again on the new result (without
   * one, at once) */
  if (self->head_loading)
    _attn_document_choose_head (self, self->want_layer, self->want_head);
}

void
_attn_document_chosen_head (AttnDocument *self,
                            guint        *layer,
                            guint        *head)
{
  *layer = self->head_loading ? self->want_layer : self->layer;
  *head = self->head_loading ? self->want_head : self->head;
}
