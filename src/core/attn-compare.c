/* attn-compare.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-compare"

#include "config.h"

#include <string.h>

#include "attn-compare.h"
#include "attn-engine.h"

struct _AttnCompare
{
  GObject        parent_instance;

  AttnDocument  *document;       /* owned */
  char          *text;           /* owned */
  AttnResult    *result;         /* owned; the second text's */
  char          *error_message;  /* owned */
  GCancellable  *cancellable;    /* owned while a pass runs */
  AttnAlignment *alignment;      /* owned; made on demand */
  AttnResult    *aligned_a;      /* owned; the document's result the alignment was made with */
};

G_DEFINE_FINAL_TYPE (AttnCompare, attn_compare, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TEXT,
  PROP_RESULT,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

typedef struct
{
  AttnEngine *engine;
  char       *text;
  AeAblation  ablation;
  bool       *heads;      /* owned copy, or NULL: the intact model */
} RunData;

static void
run_data_free (gpointer data)
{
  RunData *run = data;

  g_clear_object (&run->engine);
  g_free (run->text);
  g_free (run->heads);
  g_free (run);
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RunData *run = task_data;
  AttnRunOptions options = { .truncate = TRUE, .ablation = run->heads ? &run->ablation : NULL };
  GError *error = NULL;
  AttnResult *result = attn_engine_run_options (run->engine, run->text, &options, cancellable, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) attn_result_unref);
}

static void
set_result (AttnCompare *self,
            AttnResult  *result,
            const char  *error_message)
{
  g_clear_pointer (&self->result, attn_result_unref);
  self->result = result;
  g_clear_pointer (&self->alignment, attn_alignment_free);
  g_free (self->error_message);
  self->error_message = g_strdup (error_message);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RESULT]);
}

static void
run_finished_cb (GObject      *source,
                 GAsyncResult *async_result,
                 gpointer      user_data)
{
  g_autoptr(AttnCompare) self = user_data;
  g_autoptr(GError) error = NULL;
  AttnResult *result = g_task_propagate_pointer (G_TASK (async_result), &error);

  /* A newer pass has started since: this answer is stale. */
  if (g_task_get_cancellable (G_TASK (async_result)) != self->cancellable)
    {
      g_clear_pointer (&result, attn_result_unref);
      return;
    }
  g_clear_object (&self->cancellable);
  set_result (self, result, result == NULL ? error->message : NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

static void
rerun (AttnCompare *self)
{
  AttnEngine *engine = attn_document_get_engine (self->document);
  const AeAblation *ablation = attn_document_get_ablation (self->document);
  g_autoptr(GTask) task = NULL;
  RunData *run;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (engine == NULL || self->text == NULL || self->text[0] == '\0')
    {
      if (self->result != NULL || self->error_message != NULL)
        set_result (self, NULL, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
      return;
    }

  run = g_new0 (RunData, 1);
  run->engine = g_object_ref (engine);
  run->text = g_strdup (self->text);
  if (ablation != NULL)
    {
      run->heads = g_memdup2 (ablation->heads, ablation->n_layer * ablation->n_head * sizeof (bool));
      run->ablation = (AeAblation) { ablation->kind, ablation->n_layer, ablation->n_head, run->heads };
    }
  self->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->cancellable, run_finished_cb, g_object_ref (self));
  g_task_set_task_data (task, run, run_data_free);
  g_task_run_in_thread (task, run_in_thread);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

static void
attn_compare_dispose (GObject *object)
{
  AttnCompare *self = ATTN_COMPARE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);
  g_clear_pointer (&self->result, attn_result_unref);
  g_clear_pointer (&self->alignment, attn_alignment_free);
  g_clear_pointer (&self->aligned_a, attn_result_unref);

  G_OBJECT_CLASS (attn_compare_parent_class)->dispose (object);
}

static void
attn_compare_finalize (GObject *object)
{
  AttnCompare *self = ATTN_COMPARE (object);

  g_free (self->text);
  g_free (self->error_message);
  G_OBJECT_CLASS (attn_compare_parent_class)->finalize (object);
}

static void
attn_compare_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  AttnCompare *self = ATTN_COMPARE (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_RESULT:
      g_value_set_boxed (value, attn_compare_get_result (self));
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->cancellable != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_compare_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_TEXT:
      attn_compare_set_text (ATTN_COMPARE (object), g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_compare_class_init (AttnCompareClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = attn_compare_dispose;
  object_class->finalize = attn_compare_finalize;
  object_class->get_property = attn_compare_get_property;
  object_class->set_property = attn_compare_set_property;

  properties [PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AttnCompare:result:
   *
   * The second text's result, NULL while it runs or without a text.
   */
  properties [PROP_RESULT] =
    g_param_spec_boxed ("result", NULL, NULL, ATTN_TYPE_RESULT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
attn_compare_init (AttnCompare *self)
{
}

AttnCompare *
attn_compare_new (AttnDocument *document)
{
  AttnCompare *self;

  g_return_val_if_fail (ATTN_IS_DOCUMENT (document), NULL);

  self = g_object_new (ATTN_TYPE_COMPARE, NULL);
  self->document = g_object_ref (document);
  /* Another model, or other heads off: the second text runs again. */
  g_signal_connect_object (document, "notify::engine", G_CALLBACK (rerun), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (document, "ablation-changed", G_CALLBACK (rerun), self, G_CONNECT_SWAPPED);
  return self;
}

AttnDocument *
attn_compare_get_document (AttnCompare *self)
{
  g_return_val_if_fail (ATTN_IS_COMPARE (self), NULL);
  return self->document;
}

const char *
attn_compare_get_text (AttnCompare *self)
{
  g_return_val_if_fail (ATTN_IS_COMPARE (self), NULL);
  return self->text;
}

void
attn_compare_set_text (AttnCompare *self,
                       const char  *text)
{
  g_return_if_fail (ATTN_IS_COMPARE (self));

  if (g_strcmp0 (text, self->text) == 0)
    return;
  g_free (self->text);
  self->text = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TEXT]);
  rerun (self);
}

AttnResult *
attn_compare_get_result (AttnCompare *self)
{
  g_return_val_if_fail (ATTN_IS_COMPARE (self), NULL);

  /* A pass by another model than the document's is no comparison. */
  if (self->result == NULL ||
      attn_result_get_engine (self->result) != attn_document_get_engine (self->document))
    return NULL;
  return self->result;
}

gboolean
attn_compare_get_busy (AttnCompare *self)
{
  g_return_val_if_fail (ATTN_IS_COMPARE (self), FALSE);
  return self->cancellable != NULL;
}

const char *
attn_compare_get_error_message (AttnCompare *self)
{
  g_return_val_if_fail (ATTN_IS_COMPARE (self), NULL);
  return self->error_message;
}

const AttnAlignment *
attn_compare_get_alignment (AttnCompare *self)
{
  AttnResult *a, *b;

  g_return_val_if_fail (ATTN_IS_COMPARE (self), NULL);

  a = attn_document_get_result (self->document);
  b = attn_compare_get_result (self);
  /* Both texts must have been run by the same model (the document's
   * result may still be the last model's while a new one loads). */
  if (a == NULL || b == NULL || attn_result_get_engine (a) != attn_result_get_engine (b))
    return NULL;
  if (self->alignment == NULL || self->aligned_a != a)
    {
      g_clear_pointer (&self->alignment, attn_alignment_free);
      g_clear_pointer (&self->aligned_a, attn_result_unref);
      self->alignment = attn_alignment_new (a, b);
      self->aligned_a = attn_result_ref (a);
    }
  return self->alignment;
}

void
attn_compare_wait (AttnCompare *self)
{
  g_return_if_fail (ATTN_IS_COMPARE (self));
  while (self->cancellable != NULL)
    g_main_context_iteration (NULL, TRUE);
}
