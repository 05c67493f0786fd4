/* attn-delta-view.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-delta-view"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "attn-delta-view.h"
#include "attn-derived.h"
#include "attn-predictions.h"

struct _AttnDeltaView
{
  AttnAttentionView  parent_instance;

  GSignalGroup      *document_signals;
  AttnResult        *intact;        /* the intact run of some text, or NULL */
  AttnResult        *running_for;   /* the ablated result an intact run is under way for */
  GCancellable      *cancellable;
  char              *error;         /* the last intact run's failure */
  guint              n_runs;
  gboolean           stale;         /* the result changed while unmapped */

  /* Δ of the shown head, kept between frames */
  float             *delta;
  AttnResult        *delta_result;  /* unowned key: compared by pointer only */
  AttnResult        *delta_intact;
  int                delta_layer, delta_head;
  double             limit;
  char              *summary;
};

G_DEFINE_FINAL_TYPE (AttnDeltaView, attn_delta_view, ATTN_TYPE_ATTENTION_VIEW)

enum {
  PROP_0,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void update (AttnDeltaView *self);

static void
set_summary (AttnDeltaView *self,
             const char    *summary)
{
  if (g_strcmp0 (self->summary, summary) == 0)
    return;
  g_free (self->summary);
  self->summary = g_strdup (summary);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SUMMARY]);
}

/* The result shown: the document's, when it has heads off. */
static AttnResult *
ablated_result (AttnDeltaView *self)
{
  AttnResult *result = _attn_attention_view_get_result (ATTN_ATTENTION_VIEW (self));

  return result != NULL && attn_result_get_ablation (result) != NULL ? result : NULL;
}

/* The intact run fits the ablated result: same model, same text. */
static gboolean
intact_fits (AttnDeltaView *self,
             AttnResult    *ablated)
{
  return self->intact != NULL && ablated != NULL &&
         g_strcmp0 (attn_result_get_text (self->intact), attn_result_get_text (ablated)) == 0 &&
         attn_results_same_tokens (self->intact, ablated);
}

static void
intact_done_cb (GObject      *source,
                GAsyncResult *async_result,
                gpointer      user_data)
{
  g_autoptr(AttnDeltaView) self = user_data;
  g_autoptr(GError) error = NULL;
  AttnResult *intact = attn_result_run_intact_finish (async_result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_CANCELLED))
    return;
  g_clear_pointer (&self->running_for, attn_result_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->error, g_free);
  if (intact == NULL)
    self->error = g_strdup (error->message);
  else
    {
      g_clear_pointer (&self->intact, attn_result_unref);
      self->intact = intact;
    }
  update (self);
}

/* Starts the intact run of @ablated's text unless one is running for it. */
static void
run_intact (AttnDeltaView *self,
            AttnResult    *ablated)
{
  if (self->running_for != NULL &&
      g_strcmp0 (attn_result_get_text (self->running_for), attn_result_get_text (ablated)) == 0 &&
      attn_result_get_engine (self->running_for) == attn_result_get_engine (ablated))
    return;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->running_for, attn_result_unref);
  self->cancellable = g_cancellable_new ();
  self->running_for = attn_result_ref (ablated);
  self->n_runs++;
  attn_result_run_intact_async (ablated, self->cancellable, intact_done_cb, g_object_ref (self));
}

static void
clear_delta (AttnDeltaView *self)
{
  g_clear_pointer (&self->delta, g_free);
  self->delta_result = self->delta_intact = NULL;
}

/* Δ of the selected head, computed again only when the result, the
 * intact run or the head changed. */
static const float *
shown_delta (AttnDeltaView *self,
             AttnResult    *ablated)
{
  AttnDocument *document = attn_attention_view_get_document (ATTN_ATTENTION_VIEW (self));
  int layer = (int) attn_document_get_layer (document);
  int head = (int) attn_document_get_head (document);
  guint T = attn_result_get_n_tokens (ablated);

  if (self->delta != NULL && self->delta_result == ablated && self->delta_intact == self->intact &&
      self->delta_layer == layer && self->delta_head == head)
    return self->delta;

  clear_delta (self);
  self->delta = attn_result_dup_delta (ablated, self->intact, layer, head, NULL);
  if (self->delta == NULL)
    return NULL;
  self->delta_result = ablated;
  self->delta_intact = self->intact;
  self->delta_layer = layer;
  self->delta_head = head;
  self->limit = attn_delta_limit (self->delta, (gsize) T * T);
  return self->delta;
}

static char *
shown_token (AttnResult *result,
             gint32      id)
{
  g_autofree char *text = attn_result_dup_id_text (result, id);
  g_autofree char *label = attn_render_dup_token_label (text);

  return g_strdup_printf ("“%s”", label);
}

/* The summary line: which heads are off, and the intact model's top
 * prediction after the selected token (or the last) with its probability
 * intact and ablated. */
static char *
dup_summary (AttnDeltaView *self,
             AttnResult    *ablated)
{
  AttnDocument *document = attn_attention_view_get_document (ATTN_ATTENTION_VIEW (self));
  g_autofree char *label = attn_result_dup_ablation_label (ablated);
  int query = attn_document_get_query (document);
  guint T = attn_result_get_n_tokens (ablated);
  guint position = query >= 0 && (guint) query < T ? (guint) query : T - 1;
  g_autofree char *after = NULL, *top = NULL;
  gint32 id;
  double before, now;

  if (T == 0 || !attn_result_has_predictions (ablated) ||
      !attn_results_top_logprob_delta (ablated, self->intact, position, &id, &before, &now, NULL))
    /* Translators: summary of the difference view; %s: "heads 0.1, 1.2 off (zero)" */
    return g_strdup_printf (_("Δ = attention with %s minus the intact model’s."), label);

  after = shown_token (ablated, attn_result_get_token_id (ablated, position));
  top = shown_token (ablated, id);
  /* Translators: summary of the difference view: which heads are off; after
   * which token (position), the intact model's top prediction, its probability
   * intact and with the heads off, and the change of its log-probability */
  return g_strdup_printf (_("Δ = attention with %s minus the intact model’s. After %s (token %u) the intact "
                            "model’s top prediction %s: %.1f %% intact, %.1f %% with the heads off "
                            "(Δ log-prob %+.2f)."),
                          label, after, position, top, 100 * exp (before), 100 * exp (now), now - before);
}

static void
update (AttnDeltaView *self)
{
  AttnResult *ablated = ablated_result (self);
  AttnResult *result = _attn_attention_view_get_result (ATTN_ATTENTION_VIEW (self));

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  self->stale = FALSE;

  if (result == NULL)
    set_summary (self, "");
  else if (ablated == NULL)
    set_summary (self, _("All heads are on: there is nothing to compare. Switch heads off in All Heads "
                         "(right-click or Ctrl+click a head) or in Predict, and this view shows what changed."));
  else if (intact_fits (self, ablated))
    {
      g_autofree char *summary = dup_summary (self, ablated);

      set_summary (self, summary);
    }
  else
    {
      run_intact (self, ablated);
      set_summary (self, self->error ? self->error : _("Running the intact model on the same text…"));
    }
  _attn_attention_view_redraw (ATTN_ATTENTION_VIEW (self));
}

static gboolean
fill_spec (AttnDeltaView   *self,
           AttnHeatmapSpec *spec,
           char           **title)
{
  AttnAttentionView *view = ATTN_ATTENTION_VIEW (self);
  AttnDocument *document = attn_attention_view_get_document (view);
  AttnResult *ablated = ablated_result (self);
  const float *delta;

  if (ablated == NULL || !intact_fits (self, ablated) || (delta = shown_delta (self, ablated)) == NULL)
    return FALSE;

  attn_heatmap_spec_init (spec, ablated, attn_document_get_layer (document), attn_document_get_head (document));
  spec->matrix = delta;
  spec->limit = self->limit;
  spec->query = attn_document_get_query (document);
  spec->key = spec->query >= 0 ? attn_document_get_key (document) : -1;
  _attn_attention_view_get_hover (view, &spec->hover_query, &spec->hover_key);
  spec->theme = _attn_attention_view_get_theme (view);
  spec->show_values = TRUE;
  /* a pair's Links filter, as the weights' map (the window sets it) */
  spec->display.pairs = attn_attention_view_get_display (view)->pairs;
  spec->cache = NULL;   /* Δ changes with the intact run, not only the result */
  if (title != NULL)
    spec->title = *title = attn_result_dup_derived_title (ablated, FALSE, spec->layer, spec->head,
                                                          spec->display.pairs);
  return TRUE;
}

static void
attn_delta_view_get_content_size (AttnAttentionView *view,
                                  AttnResult        *result,
                                  double            *width,
                                  double            *height)
{
  /* fitted to the view: nothing scrolls */
  *width = *height = 0;
}

/* A sentence in the middle of the view, in the dim colour. */
static void
render_message (AttnDeltaView *self,
                cairo_t       *cr,
                double         width,
                double         height)
{
  const AttnTheme *theme = _attn_attention_view_get_theme (ATTN_ATTENTION_VIEW (self));
  PangoLayout *layout = pango_cairo_create_layout (cr);
  int w, h;

  cairo_set_source_rgba (cr, theme->background.r, theme->background.g, theme->background.b, 1);
  cairo_paint (cr);
  pango_layout_set_text (layout, self->summary ? self->summary : "", -1);
  pango_layout_set_width (layout, (int) MAX (width - 48, 48) * PANGO_SCALE);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, 24, MAX (0, (height - h) / 2));
  cairo_set_source_rgba (cr, theme->dim.r, theme->dim.g, theme->dim.b, theme->dim.a);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}

static void
attn_delta_view_render (AttnAttentionView *view,
                        cairo_t           *cr,
                        AttnResult        *result,
                        double             width,
                        double             height,
                        double             scroll_x,
                        double             scroll_y)
{
  AttnDeltaView *self = ATTN_DELTA_VIEW (view);
  AttnHeatmapSpec spec;
  g_autofree char *title = NULL;

  if (fill_spec (self, &spec, &title))
    attn_render_heatmap (cr, &spec, width, height);
  else
    render_message (self, cr, width, height);
}

static char *
attn_delta_view_describe (AttnAttentionView *view,
                          AttnResult        *result)
{
  AttnDeltaView *self = ATTN_DELTA_VIEW (view);

  return g_strdup (self->summary ? self->summary : "");
}

static gboolean
attn_delta_view_hit_test (AttnAttentionView *view,
                          double             x,
                          double             y,
                          int               *query,
                          int               *key)
{
  AttnHeatmapSpec spec;

  if (!fill_spec (ATTN_DELTA_VIEW (view), &spec, NULL))
    return FALSE;
  return attn_heatmap_hit_test (&spec, gtk_widget_get_width (GTK_WIDGET (view)),
                                gtk_widget_get_height (GTK_WIDGET (view)), x, y, query, key);
}

static char *
attn_delta_view_dup_tooltip (AttnAttentionView *view,
                             AttnResult        *result,
                             int                query,
                             int                key)
{
  AttnDeltaView *self = ATTN_DELTA_VIEW (view);
  AttnHeatmapSpec spec;
  g_autofree char *from = NULL, *to = NULL;
  const float *before, *after;
  guint T;

  if (!fill_spec (self, &spec, NULL))
    return NULL;
  from = _attn_token_display_name (result, query);
  to = _attn_token_display_name (result, key);
  if (key > query)
    return _attn_masked_cell_tooltip (from, to);

  T = attn_result_get_n_tokens (result);
  before = attn_result_get_weights (self->intact, spec.layer, spec.head);
  after = attn_result_get_weights (result, spec.layer, spec.head);
  /* Translators: tooltip of a difference map cell: query → key, the weight
   * intact, with the heads off, and their difference */
  return g_strdup_printf (_("\"%s\" → \"%s\": %.3f intact, %.3f with the heads off, Δ %+.3f"), from, to,
                          before[(gsize) query * T + key], after[(gsize) query * T + key],
                          spec.matrix[(gsize) query * T + key]);
}

static void
attn_delta_view_map (GtkWidget *widget)
{
  AttnDeltaView *self = ATTN_DELTA_VIEW (widget);

  GTK_WIDGET_CLASS (attn_delta_view_parent_class)->map (widget);
  if (self->stale || self->summary == NULL)
    update (self);
}

static void
attn_delta_view_dispose (GObject *object)
{
  AttnDeltaView *self = ATTN_DELTA_VIEW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->document_signals);
  g_clear_pointer (&self->intact, attn_result_unref);
  g_clear_pointer (&self->running_for, attn_result_unref);
  clear_delta (self);
  G_OBJECT_CLASS (attn_delta_view_parent_class)->dispose (object);
}

static void
attn_delta_view_finalize (GObject *object)
{
  AttnDeltaView *self = ATTN_DELTA_VIEW (object);

  g_free (self->summary);
  g_free (self->error);
  G_OBJECT_CLASS (attn_delta_view_parent_class)->finalize (object);
}

static void
attn_delta_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AttnDeltaView *self = ATTN_DELTA_VIEW (object);

  switch (prop_id)
    {
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary ? self->summary : "");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_delta_view_class_init (AttnDeltaViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AttnAttentionViewClass *view_class = ATTN_ATTENTION_VIEW_CLASS (klass);

  object_class->dispose = attn_delta_view_dispose;
  object_class->finalize = attn_delta_view_finalize;
  object_class->get_property = attn_delta_view_get_property;
  widget_class->map = attn_delta_view_map;

  view_class->get_content_size = attn_delta_view_get_content_size;
  view_class->render = attn_delta_view_render;
  view_class->describe = attn_delta_view_describe;
  view_class->hit_test = attn_delta_view_hit_test;
  view_class->clicked = _attn_attention_view_select_cell;
  view_class->dup_tooltip = attn_delta_view_dup_tooltip;

  properties [PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, "",
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "attndeltaview");
}

static void
attn_delta_view_init (AttnDeltaView *self)
{
  self->delta_layer = self->delta_head = -1;
  self->document_signals = _attn_attention_view_new_document_signals (ATTN_ATTENTION_VIEW (self));
  g_signal_group_connect_swapped (self->document_signals, "notify::result", G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->document_signals, "notify::layer", G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->document_signals, "notify::head", G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->document_signals, "notify::query", G_CALLBACK (update), self);
  g_signal_connect (self, "notify::document", G_CALLBACK (update), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Difference of attention with heads off"),
                                  -1);
}

GtkWidget *
attn_delta_view_new (void)
{
  return g_object_new (ATTN_TYPE_DELTA_VIEW, NULL);
}

AttnResult *
attn_delta_view_get_intact (AttnDeltaView *self)
{
  g_return_val_if_fail (ATTN_IS_DELTA_VIEW (self), NULL);

  return intact_fits (self, ablated_result (self)) ? self->intact : NULL;
}

const char *
attn_delta_view_get_summary (AttnDeltaView *self)
{
  g_return_val_if_fail (ATTN_IS_DELTA_VIEW (self), NULL);
  return self->summary ? self->summary : "";
}

guint
attn_delta_view_get_n_runs (AttnDeltaView *self)
{
  g_return_val_if_fail (ATTN_IS_DELTA_VIEW (self), 0);
  return self->n_runs;
}
