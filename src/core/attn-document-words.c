/* attn-document-words.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Merged word pieces (issue 16): the view result's words, made on the
 * side when the toggle comes on after a pass, and the selection as views
 * see it through them (attn-document.h).
 */

#define G_LOG_DOMAIN "attn-document"

#include "config.h"

#include "attn-document-private.h"

/* A token of the result as an index of the view result. */
static int
to_view (AttnDocument *self,
         int           token)
{
  AttnResult *view = attn_document_get_view_result (self);

  return view != NULL ? attn_result_index_of_token (view, token) : token;
}

/* An index of the view result as a token: a word's last piece as query,
 * its first as key. */
static int
to_token (AttnDocument *self,
          int           index,
          gboolean      as_query)
{
  AttnResult *view = attn_document_get_view_result (self);

  return view != NULL ? attn_result_token_of_index (view, index, as_query) : index;
}

int
attn_document_get_view_query (AttnDocument *self)
{
  g_return_val_if_fail (ATTN_IS_DOCUMENT (self), -1);
  return to_view (self, attn_document_get_query (self));
}

int
attn_document_get_view_key (AttnDocument *self)
{
  g_return_val_if_fail (ATTN_IS_DOCUMENT (self), -1);
  return to_view (self, attn_document_get_key (self));
}

void
attn_document_set_view_query (AttnDocument *self,
                              int           query)
{
  g_return_if_fail (ATTN_IS_DOCUMENT (self));
  attn_document_set_query (self, to_token (self, query, TRUE));
}

void
attn_document_set_view_key (AttnDocument *self,
                            int           key)
{
  g_return_if_fail (ATTN_IS_DOCUMENT (self));
  attn_document_set_key (self, to_token (self, key, FALSE));
}

/* ---- Merging the word pieces ---- */

void
_attn_document_set_merged (AttnDocument *self,
                           AttnResult   *merged,
                           char         *merge_error)
{
  g_clear_pointer (&self->merged, attn_result_unref);
  self->merged = merged;
  g_free (self->merge_error);
  self->merge_error = merge_error;
}

void
_attn_document_cancel_merge (AttnDocument *self)
{
  if (self->merge_cancellable != NULL)
    g_cancellable_cancel (self->merge_cancellable);
  g_clear_object (&self->merge_cancellable);
}

static void
merge_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;
  AttnResult *merged = attn_result_merge_words (task_data, cancellable, &error);

  if (merged == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, merged, (GDestroyNotify) attn_result_unref);
}

static void
merge_finished_cb (GObject      *source_object,
                   GAsyncResult *async_result,
                   gpointer      user_data)
{
  g_autoptr(AttnDocument) self = user_data;
  g_autoptr(GError) error = NULL;
  AttnResult *merged = g_task_propagate_pointer (G_TASK (async_result), &error);
  gboolean was_busy;

  /* Cancelled: a new result, the toggle off or the document gone; whoever
   * cancelled has moved on. */
  if (g_task_get_cancellable (G_TASK (async_result)) != self->merge_cancellable
      || g_task_get_task_data (G_TASK (async_result)) != self->result)
    {
      g_clear_pointer (&merged, attn_result_unref);
      return;
    }

  was_busy = attn_document_get_busy (self);
  g_clear_object (&self->merge_cancellable);
  _attn_document_set_merged (self, merged, merged == NULL ? g_strdup (error->message) : NULL);
  _attn_document_notify (self, PROP_VIEW_RESULT);
  if (was_busy != attn_document_get_busy (self))
    _attn_document_notify (self, PROP_BUSY);
}

void
_attn_document_start_merge (AttnDocument *self)
{
  g_autoptr(GTask) task = NULL;
  gboolean was_busy = attn_document_get_busy (self);

  _attn_document_cancel_merge (self);
  self->merge_cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->merge_cancellable, merge_finished_cb, g_object_ref (self));
  g_task_set_source_tag (task, _attn_document_start_merge);
  g_task_set_task_data (task, attn_result_ref (self->result), (GDestroyNotify) attn_result_unref);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, merge_in_thread);
  if (was_busy != attn_document_get_busy (self))
    _attn_document_notify (self, PROP_BUSY);
}

gboolean
attn_document_get_merge_words (AttnDocument *self)
{
  g_return_val_if_fail (ATTN_IS_DOCUMENT (self), FALSE);
  return self->merge_words;
}

void
attn_document_set_merge_words (AttnDocument *self,
                               gboolean      merge_words)
{
  gboolean was_busy;

  g_return_if_fail (ATTN_IS_DOCUMENT (self));

  merge_words = !!merge_words;
  if (self->merge_words == merge_words)
    return;

  was_busy = attn_document_get_busy (self);
  self->merge_words = merge_words;
  _attn_document_cancel_merge (self);
  if (!merge_words && (self->merged != NULL || self->merge_error != NULL))
    {
      _attn_document_set_merged (self, NULL, NULL);
      _attn_document_notify (self, PROP_VIEW_RESULT);
    }
  else if (merge_words && self->result != NULL && attn_result_has_trace (self->result))
    _attn_document_start_merge (self);

  _attn_document_notify (self, PROP_MERGE_WORDS);
  if (was_busy != attn_document_get_busy (self))
    _attn_document_notify (self, PROP_BUSY);
}

AttnResult *
attn_document_get_view_result (AttnDocument *self)
{
  g_return_val_if_fail (ATTN_IS_DOCUMENT (self), NULL);
  return self->merged != NULL ? self->merged : self->result;
}

const char *
attn_document_get_merge_error (AttnDocument *self)
{
  g_return_val_if_fail (ATTN_IS_DOCUMENT (self), NULL);
  return self->merge_error;
}
