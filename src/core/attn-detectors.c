/* attn-detectors.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-detectors"

#include "config.h"

#include "attn-detectors.h"

struct _AttnDetectors
{
  GObject         parent_instance;

  AttnDocument   *document;       /* owned */
  AttnHeadScores *scores;         /* owned; NULL while computing */
  AttnHeadScores *last;           /* owned; the latest scores made, whose probe a new text reuses */
  char           *error_message;  /* owned */
  GCancellable   *cancellable;    /* owned while computing */
};

G_DEFINE_FINAL_TYPE (AttnDetectors, attn_detectors, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DOCUMENT,
  PROP_SCORES,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
computed_cb (GObject      *source,
             GAsyncResult *async_result,
             gpointer      user_data)
{
  g_autoptr(AttnDetectors) self = user_data;
  g_autoptr(GError) error = NULL;
  AttnHeadScores *scores = attn_head_scores_compute_finish (async_result, &error);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (async_result));

  /* A newer result has started its own computation: this one is stale. */
  if (cancellable != self->cancellable)
    {
      g_clear_pointer (&scores, attn_head_scores_unref);
      return;
    }
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->error_message, g_free);
  if (scores == NULL)
    self->error_message = g_strdup (error->message);
  else
    {
      g_clear_pointer (&self->last, attn_head_scores_unref);
      self->last = attn_head_scores_ref (scores);
    }
  g_clear_pointer (&self->scores, attn_head_scores_unref);
  self->scores = scores;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SCORES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

static void
result_changed_cb (AttnDetectors *self)
{
  AttnResult *result = attn_document_get_result (self->document);
  gboolean had = self->scores != NULL;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->scores, attn_head_scores_unref);

  if (result != NULL && attn_result_has_trace (result))
    {
      self->cancellable = g_cancellable_new ();
      /* The probe needs the whole stack and the model behind the result. */
      _attn_head_scores_compute_reusing_async (result, attn_result_get_engine (result) != NULL,
                                               self->last, self->cancellable, computed_cb,
                                               g_object_ref (self));
    }
  if (had)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SCORES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

static void
attn_detectors_dispose (GObject *object)
{
  AttnDetectors *self = ATTN_DETECTORS (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);
  g_clear_pointer (&self->scores, attn_head_scores_unref);
  g_clear_pointer (&self->last, attn_head_scores_unref);

  G_OBJECT_CLASS (attn_detectors_parent_class)->dispose (object);
}

static void
attn_detectors_finalize (GObject *object)
{
  g_free (ATTN_DETECTORS (object)->error_message);
  G_OBJECT_CLASS (attn_detectors_parent_class)->finalize (object);
}

static void
attn_detectors_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AttnDetectors *self = ATTN_DETECTORS (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    case PROP_SCORES:
      g_value_set_boxed (value, self->scores);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, attn_detectors_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_detectors_class_init (AttnDetectorsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = attn_detectors_dispose;
  object_class->finalize = attn_detectors_finalize;
  object_class->get_property = attn_detectors_get_property;

  properties [PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, ATTN_TYPE_DOCUMENT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * AttnDetectors:scores:
   *
   * The current result's head scores, NULL while they are computed.
   */
  properties [PROP_SCORES] =
    g_param_spec_boxed ("scores", NULL, NULL, ATTN_TYPE_HEAD_SCORES,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
attn_detectors_init (AttnDetectors *self)
{
}

AttnDetectors *
attn_detectors_new (AttnDocument *document)
{
  AttnDetectors *self;

  g_return_val_if_fail (ATTN_IS_DOCUMENT (document), NULL);

  self = g_object_new (ATTN_TYPE_DETECTORS, NULL);
  self->document = g_object_ref (document);
  g_signal_connect_object (document, "notify::result", G_CALLBACK (result_changed_cb), self,
                           G_CONNECT_SWAPPED);
  result_changed_cb (self);
  return self;
}

AttnDocument *
attn_detectors_get_document (AttnDetectors *self)
{
  g_return_val_if_fail (ATTN_IS_DETECTORS (self), NULL);
  return self->document;
}

AttnHeadScores *
attn_detectors_get_scores (AttnDetectors *self)
{
  g_return_val_if_fail (ATTN_IS_DETECTORS (self), NULL);
  return self->scores;
}

gboolean
attn_detectors_get_busy (AttnDetectors *self)
{
  g_return_val_if_fail (ATTN_IS_DETECTORS (self), FALSE);
  return self->cancellable != NULL;
}

const char *
attn_detectors_get_error_message (AttnDetectors *self)
{
  g_return_val_if_fail (ATTN_IS_DETECTORS (self), NULL);
  return self->error_message;
}

void
attn_detectors_wait (AttnDetectors *self)
{
  g_return_if_fail (ATTN_IS_DETECTORS (self));
  while (self->cancellable != NULL)
    g_main_context_iteration (NULL, TRUE);
}
