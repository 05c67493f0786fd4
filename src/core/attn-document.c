/* attn-document.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-document"

#include "config.h"

#include "attn-document-private.h"
#include "attn-pair.h"
#include "attn-steps-private.h"

#include <string.h>

G_DEFINE_FINAL_TYPE (AttnDocument, attn_document, G_TYPE_OBJECT)

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

void
_attn_document_notify (AttnDocument *self,
                       guint         prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop_id]);
}

void
_attn_document_emit (AttnDocument *self,
                     guint         signal_id,
                     ...)
{
  va_list args;

  va_start (args, signal_id);
  g_signal_emit_valist (self, signals [signal_id], 0, args);
  va_end (args);
}

static void
attn_document_dispose (GObject *object)
{
  AttnDocument *self = (AttnDocument *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->engine);
  _attn_document_cancel_merge (self);
  g_clear_handle_id (&self->head_load_idle, g_source_remove);

  G_OBJECT_CLASS (attn_document_parent_class)->dispose (object);
}

static void
attn_document_finalize (GObject *object)
{
  AttnDocument *self = (AttnDocument *)object;

  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->text_b, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->result, attn_result_unref);
  _attn_document_set_merged (self, NULL, NULL);
  g_clear_pointer (&self->ablated, g_free);

  G_OBJECT_CLASS (attn_document_parent_class)->finalize (object);
}

static void
attn_document_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  AttnDocument *self = ATTN_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_RESULT:
      g_value_set_boxed (value, self->result);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, attn_document_get_busy (self));
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_LAYER:
      g_value_set_uint (value, self->layer);
      break;
    case PROP_HEAD:
      g_value_set_uint (value, self->head);
      break;
    case PROP_QUERY:
      g_value_set_int (value, self->query);
      break;
    case PROP_KEY:
      g_value_set_int (value, self->key);
      break;
    case PROP_PASSES_IN_FLIGHT:
      g_value_set_uint (value, self->n_in_flight);
      break;
    case PROP_PASSES_STARTED:
      g_value_set_uint (value, self->n_started);
      break;
    case PROP_TEXT_B:
      g_value_set_string (value, self->text_b);
      break;
    case PROP_MERGE_WORDS:
      g_value_set_boolean (value, self->merge_words);
      break;
    case PROP_VIEW_RESULT:
      g_value_set_boxed (value, attn_document_get_view_result (self));
      break;
    case PROP_PAIR_FILTER:
      g_value_set_int (value, self->pair_filter);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_document_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  AttnDocument *self = ATTN_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      attn_document_set_engine (self, g_value_get_object (value));
      break;
    case PROP_TEXT:
      attn_document_set_text (self, g_value_get_string (value));
      break;
    case PROP_TEXT_B:
      attn_document_set_text_b (self, g_value_get_string (value));
      break;
    case PROP_LAYER:
      attn_document_set_layer (self, g_value_get_uint (value));
      break;
    case PROP_HEAD:
      attn_document_set_head (self, g_value_get_uint (value));
      break;
    case PROP_QUERY:
      attn_document_set_query (self, g_value_get_int (value));
      break;
    case PROP_KEY:
      attn_document_set_key (self, g_value_get_int (value));
      break;
    case PROP_PAIR_FILTER:
      attn_document_set_pair_filter (self, g_value_get_int (value));
      break;
    case PROP_MERGE_WORDS:
      attn_document_set_merge_words (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_document_class_init (AttnDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = attn_document_dispose;
  object_class->finalize = attn_document_finalize;
  object_class->get_property = attn_document_get_property;
  object_class->set_property = attn_document_set_property;

  properties [PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, ATTN_TYPE_ENGINE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_RESULT] =
    g_param_spec_boxed ("result", NULL, NULL, ATTN_TYPE_RESULT,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties [PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties [PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties [PROP_LAYER] =
    g_param_spec_uint ("layer", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_HEAD] =
    g_param_spec_uint ("head", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_QUERY] =
    g_param_spec_int ("query", NULL, NULL, -1, G_MAXINT, -1,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_KEY] =
    g_param_spec_int ("key", NULL, NULL, -1, G_MAXINT, -1,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* For tests and the debugging eye: how many forward passes this
   * document has running (never more than one) and has started. */
  properties [PROP_PASSES_IN_FLIGHT] =
    g_param_spec_uint ("passes-in-flight", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties [PROP_PASSES_STARTED] =
    g_param_spec_uint ("passes-started", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /* Sentence B of a pair (attn-pair.h): NULL or "" for one sentence. */
  properties [PROP_TEXT_B] =
    g_param_spec_string ("text-b", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* Issue 16's "Merge word pieces": view-result is what views show (the
   * words while on), result stays the model's tokens. */
  properties [PROP_MERGE_WORDS] =
    g_param_spec_boolean ("merge-words", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_VIEW_RESULT] =
    g_param_spec_boxed ("view-result", NULL, NULL, ATTN_TYPE_RESULT,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  /* The Links filter of a pair (AttnPairFilter): the text's tint keeps
   * only those links, as the maps do. */
  properties [PROP_PAIR_FILTER] =
    g_param_spec_int ("pair-filter", NULL, NULL, ATTN_PAIR_FILTER_ALL, ATTN_PAIR_FILTER_B_TO_B,
                      ATTN_PAIR_FILTER_ALL,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AttnDocument::forward-finished:
   * @self: the document
   *
   * Emitted on the main thread when a run for the current text and engine
   * has produced a new result (already in #AttnDocument:result).
   */
  signals [FORWARD_FINISHED] =
    g_signal_new ("forward-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * AttnDocument::forward-failed:
   * @self: the document
   * @error: what went wrong
   *
   * Emitted on the main thread when the run for the current text failed;
   * the previous result stays in place.
   */
  signals [FORWARD_FAILED] =
    g_signal_new ("forward-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  /**
   * AttnDocument::ablation-changed:
   *
   * The heads switched off changed; a pass for them follows.
   */
  signals [ABLATION_CHANGED] =
    g_signal_new ("ablation-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
attn_document_init (AttnDocument *self)
{
  self->query = -1;
  self->key = -1;
}

AttnDocument *
attn_document_new (void)
{
  return g_object_new (ATTN_TYPE_DOCUMENT, NULL);
}

AttnEngine *
attn_document_get_engine (AttnDocument *self)
{
  g_return_val_if_fail (ATTN_IS_DOCUMENT (self), NULL);
  return self->engine;
}

void
attn_document_set_engine (AttnDocument *self,
                          AttnEngine   *engine)
{
  g_return_if_fail (ATTN_IS_DOCUMENT (self));
  g_return_if_fail (!engine || ATTN_IS_ENGINE (engine));

  if (!g_set_object (&self->engine, engine))
    return;

  /* A result belongs to the engine that made it.  Until the new engine's
   * run arrives, and for good if it fails, there is no result: views must
   * never show the old model's attention under the new model's name, nor
   * the walkthrough recompute steps from the new weights and the old trace
   * (same-shaped models mixed silently). */
  if (self->result != NULL)
    {
      g_clear_pointer (&self->result, attn_result_unref);
      _attn_document_cancel_merge (self);
      _attn_document_set_merged (self, NULL, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RESULT]);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_VIEW_RESULT]);
      _attn_document_clamp_head (self);   /* a head still loading is chosen at once */
    }

  /* Heads switched off name another model's layers and heads. */
  if (self->ablated != NULL)
    {
      g_clear_pointer (&self->ablated, g_free);
      memset (&self->ablation, 0, sizeof self->ablation);
      g_signal_emit (self, signals [ABLATION_CHANGED], 0);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ENGINE]);
  _attn_document_recompute (self);
}

const char *
attn_document_get_text (AttnDocument *self)
{
  g_return_val_if_fail (ATTN_IS_DOCUMENT (self), NULL);
  return self->text;
}

void
attn_document_set_text (AttnDocument *self,
                        const char   *text)
{
  g_return_if_fail (ATTN_IS_DOCUMENT (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;

  g_free (self->text);
  self->text = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TEXT]);
  _attn_document_recompute (self);
}

const char *
attn_document_get_text_b (AttnDocument *self)
{
  g_return_val_if_fail (ATTN_IS_DOCUMENT (self), NULL);
  return self->text_b;
}

void
attn_document_set_text_b (AttnDocument *self,
                          const char   *text_b)
{
  g_return_if_fail (ATTN_IS_DOCUMENT (self));

  /* "" is one sentence, as NULL is */
  if (text_b != NULL && text_b[0] == '\0')
    text_b = NULL;
  if (g_strcmp0 (self->text_b, text_b) == 0)
    return;

  g_free (self->text_b);
  self->text_b = g_strdup (text_b);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TEXT_B]);
  /* a decoder's pass does not read B: nothing to recompute */
  if (self->engine != NULL && self->text != NULL && attn_engine_accepts_pairs (self->engine))
    _attn_document_recompute (self);
}

AttnResult *
attn_document_get_result (AttnDocument *self)
{
  g_return_val_if_fail (ATTN_IS_DOCUMENT (self), NULL);
  return self->result;
}

gboolean
attn_document_get_busy (AttnDocument *self)
{
  g_return_val_if_fail (ATTN_IS_DOCUMENT (self), FALSE);
  return self->n_in_flight > 0 || self->pending || self->merge_cancellable != NULL;
}

const char *
attn_document_get_error_message (AttnDocument *self)
{
  g_return_val_if_fail (ATTN_IS_DOCUMENT (self), NULL);
  return self->error_message;
}

guint
attn_document_get_layer (AttnDocument *self)
{
  g_return_val_if_fail (ATTN_IS_DOCUMENT (self), 0);
  return self->layer;
}

void
attn_document_set_layer (AttnDocument *self,
                         guint         layer)
{
  guint chosen_layer, chosen_head;

  g_return_if_fail (ATTN_IS_DOCUMENT (self));

  _attn_document_chosen_head (self, &chosen_layer, &chosen_head);
  _attn_document_choose_head (self, layer, chosen_head);
}

guint
attn_document_get_head (AttnDocument *self)
{
  g_return_val_if_fail (ATTN_IS_DOCUMENT (self), 0);
  return self->head;
}

void
attn_document_set_head (AttnDocument *self,
                        guint         head)
{
  guint chosen_layer, chosen_head;

  g_return_if_fail (ATTN_IS_DOCUMENT (self));

  _attn_document_chosen_head (self, &chosen_layer, &chosen_head);
  _attn_document_choose_head (self, chosen_layer, head);
}

int
_attn_document_clamp_index (int   index,
                            guint n)
{
  if (index < 0 || n == 0)
    return -1;
  return MIN (index, (int) n - 1);
}

int
attn_document_get_query (AttnDocument *self)
{
  g_return_val_if_fail (ATTN_IS_DOCUMENT (self), -1);
  return self->query;
}

void
attn_document_set_query (AttnDocument *self,
                         int           query)
{
  g_return_if_fail (ATTN_IS_DOCUMENT (self));

  query = MAX (query, -1);
  if (self->result != NULL)
    query = _attn_document_clamp_index (query, attn_result_get_n_tokens (self->result));

  if (self->query == query)
    return;

  self->query = query;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_QUERY]);
}

int
attn_document_get_key (AttnDocument *self)
{
  g_return_val_if_fail (ATTN_IS_DOCUMENT (self), -1);
  return self->key;
}

void
attn_document_set_key (AttnDocument *self,
                       int           key)
{
  g_return_if_fail (ATTN_IS_DOCUMENT (self));

  key = MAX (key, -1);
  if (self->result != NULL)
    key = _attn_document_clamp_index (key, attn_result_get_n_tokens (self->result));

  if (self->key == key)
    return;

  self->key = key;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_KEY]);
}

static void
steps_done_cb (GObject      *source,
               GAsyncResult *async_result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  AttnSteps *steps = attn_steps_new_finish (async_result, &error);

  _attn_task_return_steps (task, steps, error);
}

void
attn_document_compute_steps_async (AttnDocument        *self,
                                   guint                layer,
                                   guint                head,
                                   guint                query,
                                   guint                key,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ATTN_IS_DOCUMENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, attn_document_compute_steps_async);
  if (self->result == NULL)
    {
      g_task_return_new_error (task, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_INVALID,
                               "there is no result to walk through yet");
      return;
    }

  /* The result is shared by reference: the worker reads the very trace
   * the views show, even if a newer one replaces it meanwhile. */
  attn_steps_new_async (self->result, layer, head, query, key, cancellable,
                        steps_done_cb, g_steal_pointer (&task));
}

AttnSteps *
attn_document_compute_steps_finish (AttnDocument  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
attn_document_wait (AttnDocument *self)
{
  g_return_if_fail (ATTN_IS_DOCUMENT (self));

  while (attn_document_get_busy (self) || self->head_loading)
    g_main_context_iteration (NULL, TRUE);
}

void
attn_document_set_ablation (AttnDocument     *self,
                            const AeAblation *ablation)
{
  AeAblation copy = { 0 };
  bool *heads = NULL;

  g_return_if_fail (ATTN_IS_DOCUMENT (self));

  /* Copied before the old heads are freed: @ablation may be the
   * document's own (attn_document_get_ablation ()). */
  if (ae_ablation_count (ablation) > 0)
    {
      heads = g_memdup2 (ablation->heads, ablation->n_layer * ablation->n_head * sizeof (bool));
      copy = *ablation;
      copy.heads = heads;
    }
  g_free (self->ablated);
  self->ablated = heads;
  self->ablation = copy;
  g_signal_emit (self, signals [ABLATION_CHANGED], 0);
  if (self->engine != NULL && self->text != NULL)
    _attn_document_recompute (self);
}

const AeAblation *
attn_document_get_ablation (AttnDocument *self)
{
  g_return_val_if_fail (ATTN_IS_DOCUMENT (self), NULL);
  return self->ablated != NULL ? &self->ablation : NULL;
}


AttnPairFilter
attn_document_get_pair_filter (AttnDocument *self)
{
  g_return_val_if_fail (ATTN_IS_DOCUMENT (self), ATTN_PAIR_FILTER_ALL);
  return self->pair_filter;
}

void
attn_document_set_pair_filter (AttnDocument   *self,
                               AttnPairFilter  filter)
{
  g_return_if_fail (ATTN_IS_DOCUMENT (self));
  g_return_if_fail (filter >= ATTN_PAIR_FILTER_ALL && filter <= ATTN_PAIR_FILTER_B_TO_B);

  if (self->pair_filter == filter)
    return;
  self->pair_filter = filter;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PAIR_FILTER]);
}

gboolean
attn_document_keeps_link (AttnDocument *self,
                          int           query,
                          int           key)
{
  AttnResult *result;

  g_return_val_if_fail (ATTN_IS_DOCUMENT (self), FALSE);
  result = attn_document_get_view_result (self);
  /* a text of one sentence has no links to filter */
  if (result == NULL || query < 0 || key < 0 || !attn_result_has_pair (result)
      || self->pair_filter == ATTN_PAIR_FILTER_ALL)
    return TRUE;
  return attn_pair_filter_keeps (self->pair_filter, result, (guint) query, (guint) key);
}
