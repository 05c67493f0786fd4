/* attn-model-view.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-model-view"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "attn-head-description.h"
#include "attn-head-rank.h"
#include "attn-result-vectors.h"
#include "attn-model-view.h"

/* Panels never shrink below this; the rows scroll instead. */
#define MIN_PANEL_H 44.0

struct _AttnModelView
{
  AttnAttentionView parent_instance;
};

G_DEFINE_FINAL_TYPE (AttnModelView, attn_model_view, ATTN_TYPE_ATTENTION_VIEW)

static gboolean
fill_spec (AttnModelView *self,
           AttnModelSpec *spec)
{
  AttnAttentionView *view = ATTN_ATTENTION_VIEW (self);
  AttnDocument *document = attn_attention_view_get_document (view);
  AttnResult *result = _attn_attention_view_get_result (view);
  double scroll_x, natural_h;
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  if (result == NULL)
    return FALSE;

  attn_model_spec_init (spec, result);
  spec->query = attn_document_get_view_query (document);
  spec->key = spec->query >= 0 ? attn_document_get_view_key (document) : -1;
  spec->layer = attn_document_get_layer (document);
  spec->head = attn_document_get_head (document);
  /* Focused from the keyboard, the head Enter would open is outlined
   * even before an arrow moved the cursor. */
  if (gtk_widget_has_visible_focus (GTK_WIDGET (self)))
    _attn_attention_view_get_head_cursor (view, &spec->hover_layer, &spec->hover_head);
  else
    _attn_attention_view_get_hover (view, &spec->hover_layer, &spec->hover_head);
  spec->colormap = attn_attention_view_get_colormap (view);
  spec->scale = attn_attention_view_get_scale (view);
  spec->theme = _attn_attention_view_get_theme (view);
  _attn_attention_view_get_scroll (view, &scroll_x, &spec->scroll_y);

  /* Fit the rows to the view, down to MIN_PANEL_H; then they scroll.  The
   * natural height is linear in the panel height. */
  spec->panel_height = 100;
  attn_model_get_natural_size (spec, NULL, &natural_h);
  {
    guint L = attn_result_get_n_layers (result);
    double fixed = natural_h - 100 * L;

    spec->panel_height = height > 0 ? MAX (MIN_PANEL_H, floor ((height - fixed) / L)) : MIN_PANEL_H;
  }
  return TRUE;
}

static void
attn_model_view_get_content_size (AttnAttentionView *view,
                                  AttnResult        *result,
                                  double            *width,
                                  double            *height)
{
  AttnModelSpec spec;
  double natural_width;

  /* Panels always fit the width; rows of layers scroll vertically. */
  if (fill_spec (ATTN_MODEL_VIEW (view), &spec))
    attn_model_get_natural_size (&spec, &natural_width, height);
}

static void
attn_model_view_render (AttnAttentionView *view,
                        cairo_t           *cr,
                        AttnResult        *result,
                        double             width,
                        double             height,
                        double             scroll_x,
                        double             scroll_y)
{
  AttnModelSpec spec;

  if (fill_spec (ATTN_MODEL_VIEW (view), &spec))
    attn_render_model (cr, &spec, width, height);
}

static char *
attn_model_view_describe (AttnAttentionView *view,
                          AttnResult        *result)
{
  AttnDocument *document = attn_attention_view_get_document (view);
  int query = attn_document_get_view_query (document);
  int key = attn_document_get_view_key (document);
  g_autofree char *q = NULL;
  g_autofree AttnHeadRank *rank = NULL;
  guint n = 0;

  if (query < 0)
    return g_strdup (_("Select a query token to see its attention in every head."));

  q = _attn_token_display_name (result, query);
  if (key >= 0 && (rank = attn_head_rank_new (result, query, key, &n)) != NULL)
    {
      g_autofree char *k = _attn_token_display_name (result, key);
      g_autoptr(GString) s = g_string_new (NULL);

      /* Translators: accessible description of the model view ranked by one link */
      g_string_printf (s, _("Heads ranked by the attention “%s” gives “%s”:"), q, k);
      for (guint i = 0; i < MIN (n, 5); i++)
        /* Translators: one ranked head: layer, head, weight */
        g_string_append_printf (s, _(" layer %u head %u %.2f;"), rank[i].layer, rank[i].head, rank[i].weight);
      return g_string_free (g_steal_pointer (&s), FALSE);
    }

  /* Translators: accessible description of the model view */
  return g_strdup_printf (_("Attention from “%s” in each of %u layers × %u heads, a bar chart per head. "
                            "Arrow keys move between heads, Enter opens one."),
                          q, attn_result_get_n_layers (result), attn_result_get_n_heads (result));
}

/* Ranked by "find heads", the panels are in rank order. */
static AttnHeadRank *
attn_model_view_dup_head_order (AttnAttentionView *view,
                                AttnResult        *result)
{
  AttnDocument *document = attn_attention_view_get_document (view);
  int query = attn_document_get_view_query (document);
  int key = attn_document_get_view_key (document);

  if (query < 0 || key < 0)
    return NULL;
  return attn_head_rank_new (result, query, key, NULL);
}

static gboolean
attn_model_view_hit_test (AttnAttentionView *view,
                          double             x,
                          double             y,
                          int               *layer,
                          int               *head)
{
  AttnModelSpec spec;

  if (!fill_spec (ATTN_MODEL_VIEW (view), &spec))
    return FALSE;

  return attn_model_hit_test (&spec, gtk_widget_get_width (GTK_WIDGET (view)),
                              gtk_widget_get_height (GTK_WIDGET (view)), x, y, layer, head);
}

static char *
attn_model_view_dup_tooltip (AttnAttentionView *view,
                             AttnResult        *result,
                             int                layer,
                             int                head)
{
  AttnDocument *document = attn_attention_view_get_document (view);
  int query = attn_document_get_view_query (document);
  int key = attn_document_get_view_key (document);
  g_autofree char *summary = _attn_head_dup_summary (result, layer, head, NULL, NULL);

  if (query >= 0 && key >= 0 && (guint) key < attn_result_get_n_keys_seen (result, query))
    {
      g_autofree char *q = _attn_token_display_name (result, query);
      g_autofree char *k = _attn_token_display_name (result, key);
      const float *w = attn_result_get_weights (result, layer, head);

      /* Translators: tooltip of a model-view panel: layer, head, query → key: weight, head summary */
      return g_strdup_printf (_("Layer %d, head %d: “%s” → “%s”: %.3f\n%s"), layer, head, q, k,
                              w[(gsize) query * attn_result_get_n_tokens (result) + key],
                              summary ? summary : "");
    }
  return g_steal_pointer (&summary);
}

static void
attn_model_view_class_init (AttnModelViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AttnAttentionViewClass *view_class = ATTN_ATTENTION_VIEW_CLASS (klass);

  view_class->get_content_size = attn_model_view_get_content_size;
  view_class->render = attn_model_view_render;
  view_class->describe = attn_model_view_describe;
  view_class->hit_test = attn_model_view_hit_test;
  view_class->dup_tooltip = attn_model_view_dup_tooltip;
  view_class->activates_heads = TRUE;
  view_class->dup_head_order = attn_model_view_dup_head_order;

  gtk_widget_class_set_css_name (widget_class, "attnmodelview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
attn_model_view_init (AttnModelView *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("One token in every head"),
                                  -1);
}

GtkWidget *
attn_model_view_new (void)
{
  return g_object_new (ATTN_TYPE_MODEL_VIEW, NULL);
}
