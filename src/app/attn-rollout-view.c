/* attn-rollout-view.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-rollout-view"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-derived.h"
#include "attn-rollout-view.h"

struct _AttnRolloutView
{
  AttnAttentionView  parent_instance;

  GSignalGroup      *document_signals;
  GCancellable      *cancellable;
  AttnResult        *rollout_for;   /* owned: the result rollout belongs to */
  float             *rollout;       /* (T, T) or NULL */
  AttnResult        *row_for;       /* owned */
  int                row_query;
  float             *row;           /* (T,) or NULL */
  char              *title;         /* the last drawn, with a pair's filter */
};

G_DEFINE_FINAL_TYPE (AttnRolloutView, attn_rollout_view, ATTN_TYPE_ATTENTION_VIEW)

static void
rollout_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GError *error = NULL;
  float *rollout = attn_result_dup_rollout (task_data, &error);

  if (rollout == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rollout, g_free);
}

static void
rollout_done_cb (GObject      *source,
                 GAsyncResult *async_result,
                 gpointer      user_data)
{
  AttnRolloutView *self = ATTN_ROLLOUT_VIEW (source);
  GTask *task = G_TASK (async_result);
  float *rollout = g_task_propagate_pointer (task, NULL);

  /* a newer result may have replaced the one it was computed for */
  if (rollout == NULL || g_task_get_task_data (task) != _attn_attention_view_get_result (ATTN_ATTENTION_VIEW (self)))
    {
      g_free (rollout);
      return;
    }
  g_clear_pointer (&self->rollout, g_free);
  g_clear_pointer (&self->rollout_for, attn_result_unref);
  self->rollout = rollout;
  self->rollout_for = attn_result_ref (g_task_get_task_data (task));
  _attn_attention_view_content_changed (ATTN_ATTENTION_VIEW (self));
}

/* The whole map is L·T³: 1,024 tokens of a 12-layer model take seconds,
 * so it never runs on the main thread. */
static void
result_changed (AttnRolloutView *self)
{
  AttnResult *result = _attn_attention_view_get_result (ATTN_ATTENTION_VIEW (self));
  g_autoptr(GTask) task = NULL;

  if (result == self->rollout_for)
    return;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rollout, g_free);
  g_clear_pointer (&self->rollout_for, attn_result_unref);
  if (result == NULL || !attn_result_has_trace (result))
    return;

  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, rollout_done_cb, NULL);
  g_task_set_source_tag (task, result_changed);
  g_task_set_task_data (task, attn_result_ref (result), (GDestroyNotify) attn_result_unref);
  g_task_run_in_thread (task, rollout_in_thread);
}

const float *
attn_rollout_view_get_row (AttnRolloutView *self)
{
  AttnResult *result;
  AttnDocument *document;
  int query;

  g_return_val_if_fail (ATTN_IS_ROLLOUT_VIEW (self), NULL);

  result = _attn_attention_view_get_result (ATTN_ATTENTION_VIEW (self));
  document = attn_attention_view_get_document (ATTN_ATTENTION_VIEW (self));
  query = document ? attn_document_get_query (document) : -1;
  if (result == NULL || query < 0 || (guint) query >= attn_result_get_n_tokens (result))
    return NULL;
  if (self->row != NULL && self->row_for == result && self->row_query == query)
    return self->row;

  g_clear_pointer (&self->row, g_free);
  g_clear_pointer (&self->row_for, attn_result_unref);
  /* from the whole map when it is there, else one row: L·T² */
  if (self->rollout != NULL && self->rollout_for == result)
    self->row = g_memdup2 (self->rollout + (gsize) query * attn_result_get_n_tokens (result),
                           attn_result_get_n_tokens (result) * sizeof (float));
  else
    self->row = attn_result_dup_rollout_row (result, (guint) query, NULL);
  if (self->row != NULL)
    {
      self->row_for = attn_result_ref (result);
      self->row_query = query;
    }
  return self->row;
}

const float *
attn_rollout_view_get_rollout (AttnRolloutView *self)
{
  g_return_val_if_fail (ATTN_IS_ROLLOUT_VIEW (self), NULL);

  return self->rollout_for != NULL &&
         self->rollout_for == _attn_attention_view_get_result (ATTN_ATTENTION_VIEW (self))
         ? self->rollout : NULL;
}

static void
fill_spec (AttnRolloutView *self,
           AttnRolloutSpec *spec,
           AttnResult      *result)
{
  AttnAttentionView *view = ATTN_ATTENTION_VIEW (self);
  AttnDocument *document = attn_attention_view_get_document (view);
  int hover_query, hover_key;

  attn_rollout_spec_init (spec, result);
  spec->rollout = attn_rollout_view_get_rollout (self);
  spec->row = attn_rollout_view_get_row (self);
  spec->query = spec->row != NULL ? attn_document_get_query (document) : -1;
  _attn_attention_view_get_hover (view, &hover_query, &hover_key);
  spec->hover_key = hover_query == spec->query ? hover_key : -1;
  spec->colormap = attn_attention_view_get_colormap (view);
  spec->scale = attn_attention_view_get_scale (view);
  spec->theme = _attn_attention_view_get_theme (view);
  spec->show_note = FALSE;   /* the window shows the whole note beside the view */
  /* a pair's Links filter, as the weights' map (the window sets it) */
  spec->pairs = attn_attention_view_get_display (view)->pairs;
  g_free (self->title);
  spec->title = self->title = attn_result_dup_derived_title (result, TRUE, 0, 0, spec->pairs);
  spec->matrix_key = "rollout";
  spec->cache = _attn_attention_view_get_cache (view);
}

static void
attn_rollout_view_get_content_size (AttnAttentionView *view,
                                    AttnResult        *result,
                                    double            *width,
                                    double            *height)
{
  /* fitted to the view */
  *width = *height = 0;
}

static void
attn_rollout_view_render (AttnAttentionView *view,
                          cairo_t           *cr,
                          AttnResult        *result,
                          double             width,
                          double             height,
                          double             scroll_x,
                          double             scroll_y)
{
  AttnRolloutSpec spec;

  fill_spec (ATTN_ROLLOUT_VIEW (view), &spec, result);
  attn_render_rollout (cr, &spec, width, height);
}

static char *
attn_rollout_view_describe (AttnAttentionView *view,
                            AttnResult        *result)
{
  AttnRolloutView *self = ATTN_ROLLOUT_VIEW (view);
  AttnDocument *document = attn_attention_view_get_document (view);
  const float *row = attn_rollout_view_get_row (self);
  g_autofree char *links = NULL;
  g_autofree char *query = NULL;
  guint T = attn_result_get_n_tokens (result);
  guint best = 0;

  if (row == NULL)
    return g_strdup_printf ("%s %s", _("Attention rollout. Select a token to see its row."), attn_rollout_note (FALSE));
  for (guint k = 1; k <= (guint) attn_document_get_query (document) && k < T; k++)
    if (row[k] > row[best])
      best = k;
  query = _attn_token_display_name (result, attn_document_get_query (document));
  links = _attn_token_display_name (result, best);
  /* Translators: accessible description of the rollout view: the query, the token it rolls out most to, the weight */
  return g_strdup_printf (_("Attention rollout of “%s”: most from “%s” (%.3f). %s"), query, links, row[best],
                          attn_rollout_note (FALSE));
}

static gboolean
attn_rollout_view_hit_test (AttnAttentionView *view,
                            double             x,
                            double             y,
                            int               *query,
                            int               *key)
{
  AttnRolloutSpec spec;
  AttnResult *result = _attn_attention_view_get_result (view);

  if (result == NULL)
    return FALSE;
  fill_spec (ATTN_ROLLOUT_VIEW (view), &spec, result);
  return attn_rollout_hit_test (&spec, gtk_widget_get_width (GTK_WIDGET (view)),
                                gtk_widget_get_height (GTK_WIDGET (view)), x, y, query, key);
}

static char *
attn_rollout_view_dup_tooltip (AttnAttentionView *view,
                               AttnResult        *result,
                               int                query,
                               int                key)
{
  AttnRolloutView *self = ATTN_ROLLOUT_VIEW (view);
  const float *rollout = attn_rollout_view_get_rollout (self);
  const float *row = attn_rollout_view_get_row (self);
  AttnDocument *document = attn_attention_view_get_document (view);
  g_autofree char *from = _attn_token_display_name (result, query);
  g_autofree char *to = _attn_token_display_name (result, key);
  guint T = attn_result_get_n_tokens (result);
  double value;

  if (key > query)
    return _attn_masked_cell_tooltip (from, to);
  if (rollout != NULL)
    value = rollout[(gsize) query * T + key];
  else if (row != NULL && query == attn_document_get_query (document))
    value = row[key];
  else
    return NULL;
  /* Translators: tooltip of the rollout view: how much of a token reaches the query through attention */
  return g_strdup_printf (_("\"%s\" ← \"%s\": rollout %.3f"), from, to, value);
}

static void
attn_rollout_view_dispose (GObject *object)
{
  AttnRolloutView *self = ATTN_ROLLOUT_VIEW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->document_signals);
  g_clear_pointer (&self->rollout, g_free);
  g_clear_pointer (&self->rollout_for, attn_result_unref);
  g_clear_pointer (&self->row, g_free);
  g_clear_pointer (&self->row_for, attn_result_unref);
  g_clear_pointer (&self->title, g_free);
  G_OBJECT_CLASS (attn_rollout_view_parent_class)->dispose (object);
}

static void
attn_rollout_view_class_init (AttnRolloutViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AttnAttentionViewClass *view_class = ATTN_ATTENTION_VIEW_CLASS (klass);

  object_class->dispose = attn_rollout_view_dispose;

  view_class->get_content_size = attn_rollout_view_get_content_size;
  view_class->render = attn_rollout_view_render;
  view_class->describe = attn_rollout_view_describe;
  view_class->hit_test = attn_rollout_view_hit_test;
  view_class->clicked = _attn_attention_view_select_cell;
  view_class->dup_tooltip = attn_rollout_view_dup_tooltip;

  gtk_widget_class_set_css_name (widget_class, "attnrolloutview");
}

static void
attn_rollout_view_init (AttnRolloutView *self)
{
  self->row_query = -1;
  self->document_signals = _attn_attention_view_new_document_signals (ATTN_ATTENTION_VIEW (self));
  g_signal_group_connect_swapped (self->document_signals, "notify::result", G_CALLBACK (result_changed), self);
  g_signal_connect (self, "notify::document", G_CALLBACK (result_changed), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Attention rollout"),
                                  -1);
}

GtkWidget *
attn_rollout_view_new (void)
{
  return g_object_new (ATTN_TYPE_ROLLOUT_VIEW, NULL);
}
