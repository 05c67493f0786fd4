/* attn-document.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-document"

#include "config.h"

#include "attn-document.h"
#include "attn-pair.h"
#include "attn-steps-private.h"

#include <string.h>

struct _AttnDocument
{
  GObject       parent_instance;

  AttnEngine   *engine;         /* owned; NULL until a model is set */
  char         *text;           /* owned */
  char         *text_b;         /* owned; sentence B of a pair (attn-pair.h), or NULL */
  AttnResult   *result;         /* owned; NULL until the first run */
  /* "Merge word pieces" (issue 16): @result's words, made with it in the
   * pass's thread, or on the side when the toggle comes on later
   * (@merging); NULL while off, not made yet, or too long (@merge_error). */
  gboolean      merge_words;
  AttnResult   *merged;         /* owned */
  char         *merge_error;    /* owned */
  GCancellable *merge_cancellable; /* owned while a merge runs on the side */
  char         *error_message;  /* owned; NULL after a successful run */
  GCancellable *cancellable;    /* owned while a pass is in flight */
  guint64       generation;     /* bumped by every request; stale runs compare unequal */
  /* One pass in flight at a time, and one "latest text" slot: a request
   * made while a pass runs cancels that pass and sets @pending; when the
   * cancelled pass has reported back, one new pass starts for whatever the
   * text and engine are by then.  Six quick edits of a long text used to
   * run six passes at once, each with its own trace (4.1 GB at T = 1,000). */
  gboolean      pending;
  guint         n_in_flight;    /* passes started whose answer has not come back */
  guint         n_started;      /* passes started since the document was made */

  guint         layer;
  guint         head;
  int           query;
  int           key;

  /* Heads switched off for every pass (issue 14), or heads == NULL. */
  AeAblation    ablation;
  bool         *ablated;        /* owned: ablation.heads */
};

G_DEFINE_FINAL_TYPE (AttnDocument, attn_document, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_TEXT,
  PROP_RESULT,
  PROP_BUSY,
  PROP_ERROR_MESSAGE,
  PROP_LAYER,
  PROP_HEAD,
  PROP_QUERY,
  PROP_KEY,
  PROP_PASSES_IN_FLIGHT,
  PROP_PASSES_STARTED,
  PROP_TEXT_B,
  PROP_MERGE_WORDS,
  PROP_VIEW_RESULT,
  N_PROPS
};

enum {
  FORWARD_FINISHED,
  FORWARD_FAILED,
  ABLATION_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static void start_merge (AttnDocument *self);

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
  if (result == NULL)
    g_task_return_error (task, error);
  else
    {
      RunOutput *out = g_new0 (RunOutput, 1);

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

static void
set_merged (AttnDocument *self,
            AttnResult   *merged,
            char         *merge_error)
{
  g_clear_pointer (&self->merged, attn_result_unref);
  self->merged = merged;
  g_free (self->merge_error);
  self->merge_error = merge_error;
}

static void
cancel_merge (AttnDocument *self)
{
  if (self->merge_cancellable != NULL)
    g_cancellable_cancel (self->merge_cancellable);
  g_clear_object (&self->merge_cancellable);
}

static int
clamp_index (int index,
             guint n)
{
  if (index < 0 || n == 0)
    return -1;
  return MIN (index, (int) n - 1);
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
    return clamp_index (index, n_tokens);

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
  guint n_layers = attn_result_get_n_layers (result);
  guint n_heads = attn_result_get_n_heads (result);
  int query = keep_token_index (self->result, result, self->query);
  int key = keep_token_index (self->result, result, self->key);

  g_clear_pointer (&self->result, attn_result_unref);
  self->result = result;
  g_clear_pointer (&self->error_message, g_free);
  /* Before any notification: views map the selection through the words. */
  cancel_merge (self);
  set_merged (self, self->merge_words ? merged : NULL, self->merge_words ? merge_error : NULL);
  if (!self->merge_words)
    {
      g_clear_pointer (&merged, attn_result_unref);
      g_free (merge_error);
    }

  /* Keep the selection meaningful for the new shape and text. */
  if (n_layers > 0 && self->layer >= n_layers)
    attn_document_set_layer (self, n_layers - 1);
  if (n_heads > 0 && self->head >= n_heads)
    attn_document_set_head (self, n_heads - 1);
  attn_document_set_query (self, query);
  attn_document_set_key (self, key);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RESULT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_VIEW_RESULT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ERROR_MESSAGE]);
  g_signal_emit (self, signals [FORWARD_FINISHED], 0);

  /* The toggle came on while the pass ran without it. */
  if (self->merge_words && self->merged == NULL && self->merge_error == NULL)
    start_merge (self);
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
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PASSES_IN_FLIGHT]);

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
        g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
      return;
    }

  if (result != NULL)
    apply_result (self, result, merged, merge_error);
  else
    {
      g_free (self->error_message);
      self->error_message = g_strdup (error->message);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ERROR_MESSAGE]);
      g_signal_emit (self, signals [FORWARD_FAILED], 0, error);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
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
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PASSES_IN_FLIGHT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PASSES_STARTED]);
}

static void
attn_document_recompute (AttnDocument *self)
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
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

static void
attn_document_dispose (GObject *object)
{
  AttnDocument *self = (AttnDocument *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->engine);
  cancel_merge (self);

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
  set_merged (self, NULL, NULL);
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
      cancel_merge (self);
      set_merged (self, NULL, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RESULT]);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_VIEW_RESULT]);
    }

  /* Heads switched off name another model's layers and heads. */
  if (self->ablated != NULL)
    {
      g_clear_pointer (&self->ablated, g_free);
      memset (&self->ablation, 0, sizeof self->ablation);
      g_signal_emit (self, signals [ABLATION_CHANGED], 0);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ENGINE]);
  attn_document_recompute (self);
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
  attn_document_recompute (self);
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
    attn_document_recompute (self);
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
  g_return_if_fail (ATTN_IS_DOCUMENT (self));

  if (self->result != NULL)
    layer = MIN (layer, MAX (attn_result_get_n_layers (self->result), 1) - 1);

  if (self->layer == layer)
    return;

  self->layer = layer;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LAYER]);
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
  g_return_if_fail (ATTN_IS_DOCUMENT (self));

  if (self->result != NULL)
    head = MIN (head, MAX (attn_result_get_n_heads (self->result), 1) - 1);

  if (self->head == head)
    return;

  self->head = head;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_HEAD]);
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
    query = clamp_index (query, attn_result_get_n_tokens (self->result));

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
    key = clamp_index (key, attn_result_get_n_tokens (self->result));

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

  while (attn_document_get_busy (self))
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
    attn_document_recompute (self);
}

const AeAblation *
attn_document_get_ablation (AttnDocument *self)
{
  g_return_val_if_fail (ATTN_IS_DOCUMENT (self), NULL);
  return self->ablated != NULL ? &self->ablation : NULL;
}

/* ---- Merge word pieces ---- */

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
  set_merged (self, merged, merged == NULL ? g_strdup (error->message) : NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_VIEW_RESULT]);
  if (was_busy != attn_document_get_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

static void
start_merge (AttnDocument *self)
{
  g_autoptr(GTask) task = NULL;
  gboolean was_busy = attn_document_get_busy (self);

  cancel_merge (self);
  self->merge_cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->merge_cancellable, merge_finished_cb, g_object_ref (self));
  g_task_set_source_tag (task, start_merge);
  g_task_set_task_data (task, attn_result_ref (self->result), (GDestroyNotify) attn_result_unref);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, merge_in_thread);
  if (was_busy != attn_document_get_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
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
  cancel_merge (self);
  if (!merge_words && (self->merged != NULL || self->merge_error != NULL))
    {
      set_merged (self, NULL, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_VIEW_RESULT]);
    }
  else if (merge_words && self->result != NULL && attn_result_has_trace (self->result))
    start_merge (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MERGE_WORDS]);
  if (was_busy != attn_document_get_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
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
