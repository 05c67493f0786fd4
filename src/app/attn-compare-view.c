/* attn-compare-view.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-compare-view"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-compare-view.h"
#include "attn-render-compare.h"

struct _AttnCompareView
{
  AttnAttentionView parent_instance;

  AttnCompare      *compare;   /* owned */
  gboolean          delta;
};

G_DEFINE_FINAL_TYPE (AttnCompareView, attn_compare_view, ATTN_TYPE_ATTENTION_VIEW)

enum {
  PROP_0,
  PROP_DELTA,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static gboolean
fill_spec (AttnCompareView *self,
           AttnCompareSpec *spec)
{
  AttnAttentionView *view = ATTN_ATTENTION_VIEW (self);
  AttnDocument *document = attn_attention_view_get_document (view);
  AttnResult *result = _attn_attention_view_get_result (view);
  const AttnAlignment *alignment;

  if (result == NULL || self->compare == NULL || document == NULL ||
      result != attn_document_get_result (document) ||
      (alignment = attn_compare_get_alignment (self->compare)) == NULL)
    return FALSE;

  attn_compare_spec_init (spec, result, attn_compare_get_result (self->compare),
                          attn_document_get_layer (document), attn_document_get_head (document));
  spec->alignment = alignment;
  spec->query = attn_document_get_query (document);
  spec->delta = self->delta;
  spec->colormap = attn_attention_view_get_colormap (view);
  spec->scale = attn_attention_view_get_scale (view);
  spec->theme = _attn_attention_view_get_theme (view);
  return TRUE;
}

static void
attn_compare_view_get_content_size (AttnAttentionView *view,
                                    AttnResult        *result,
                                    double            *width,
                                    double            *height)
{
  /* The figure fits whatever room it gets: nothing scrolls. */
}

static void
attn_compare_view_render (AttnAttentionView *view,
                          cairo_t           *cr,
                          AttnResult        *result,
                          double             width,
                          double             height,
                          double             scroll_x,
                          double             scroll_y)
{
  AttnCompareSpec spec;

  if (fill_spec (ATTN_COMPARE_VIEW (view), &spec))
    attn_render_compare (cr, &spec, width, height);
}

static char *
attn_compare_view_describe (AttnAttentionView *view,
                            AttnResult        *result)
{
  AttnCompareView *self = ATTN_COMPARE_VIEW (view);
  AttnDocument *document = attn_attention_view_get_document (view);
  AttnResult *b = self->compare ? attn_compare_get_result (self->compare) : NULL;

  if (b == NULL)
    return g_strdup (_("No second text to compare with"));
  return self->delta
    /* Translators: accessible description of the comparison: layer, head, second text */
    ? g_strdup_printf (_("Layer %u, head %u: how the attention on “%s” differs from the text above"),
                       attn_document_get_layer (document), attn_document_get_head (document),
                       attn_result_get_text (b))
    /* Translators: accessible description of the comparison side by side: layer, head, second text */
    : g_strdup_printf (_("Layer %u, head %u: the attention on the text above and on “%s”, side by side"),
                       attn_document_get_layer (document), attn_document_get_head (document),
                       attn_result_get_text (b));
}

static gboolean
attn_compare_view_hit_test (AttnAttentionView *view,
                            double             x,
                            double             y,
                            int               *a,
                            int               *b)
{
  AttnCompareSpec spec;

  if (!fill_spec (ATTN_COMPARE_VIEW (view), &spec))
    return FALSE;
  return attn_compare_hit_test (&spec, gtk_widget_get_width (GTK_WIDGET (view)),
                                gtk_widget_get_height (GTK_WIDGET (view)), x, y, a, b);
}

static void
attn_compare_view_clicked (AttnAttentionView *view,
                           gboolean           hit,
                           int                a,
                           int                b)
{
  /* A row only in B has no token of the document to select. */
  if (hit && a >= 0)
    _attn_select_query (attn_attention_view_get_document (view), a);
}

static char *
attn_compare_view_dup_tooltip (AttnAttentionView *view,
                               AttnResult        *result,
                               int                a,
                               int                b)
{
  AttnCompareView *self = ATTN_COMPARE_VIEW (view);
  AttnResult *second = self->compare ? attn_compare_get_result (self->compare) : NULL;
  g_autofree char *name = NULL;

  if (a < 0 && second != NULL && b >= 0)
    {
      name = _attn_token_display_name (second, b);
      /* Translators: tooltip of a row of the comparison only the second text has */
      return g_strdup_printf (_("“%s” is only in B"), name);
    }
  if (a < 0)
    return NULL;
  name = _attn_token_display_name (result, a);
  return b < 0
    /* Translators: tooltip of a row of the comparison only the first text has */
    ? g_strdup_printf (_("“%s” is only in A"), name)
    /* Translators: tooltip of a row of the comparison */
    : g_strdup_printf (_("“%s”: click to rank the heads by how much its attention changes"), name);
}

static void
attn_compare_view_dispose (GObject *object)
{
  AttnCompareView *self = ATTN_COMPARE_VIEW (object);

  if (self->compare != NULL)
    g_signal_handlers_disconnect_by_data (self->compare, self);
  g_clear_object (&self->compare);
  G_OBJECT_CLASS (attn_compare_view_parent_class)->dispose (object);
}

static void
attn_compare_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_DELTA:
      g_value_set_boolean (value, ATTN_COMPARE_VIEW (object)->delta);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_compare_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_DELTA:
      attn_compare_view_set_delta (ATTN_COMPARE_VIEW (object), g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_compare_view_class_init (AttnCompareViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AttnAttentionViewClass *view_class = ATTN_ATTENTION_VIEW_CLASS (klass);

  object_class->dispose = attn_compare_view_dispose;
  object_class->get_property = attn_compare_view_get_property;
  object_class->set_property = attn_compare_view_set_property;

  view_class->get_content_size = attn_compare_view_get_content_size;
  view_class->render = attn_compare_view_render;
  view_class->describe = attn_compare_view_describe;
  view_class->hit_test = attn_compare_view_hit_test;
  view_class->clicked = attn_compare_view_clicked;
  view_class->dup_tooltip = attn_compare_view_dup_tooltip;

  /**
   * AttnCompareView:delta:
   *
   * Whether the view shows B − A rather than both texts side by side.
   */
  properties [PROP_DELTA] =
    g_param_spec_boolean ("delta", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "attncompareview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
attn_compare_view_init (AttnCompareView *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Attention on two texts compared"),
                                  -1);
}

GtkWidget *
attn_compare_view_new (void)
{
  return g_object_new (ATTN_TYPE_COMPARE_VIEW, NULL);
}

AttnCompare *
attn_compare_view_get_compare (AttnCompareView *self)
{
  g_return_val_if_fail (ATTN_IS_COMPARE_VIEW (self), NULL);
  return self->compare;
}

static void
compare_result_changed_cb (AttnCompareView *self)
{
  _attn_attention_view_redraw (ATTN_ATTENTION_VIEW (self));
}

void
attn_compare_view_set_compare (AttnCompareView *self,
                               AttnCompare     *compare)
{
  g_return_if_fail (ATTN_IS_COMPARE_VIEW (self));

  if (self->compare != NULL)
    g_signal_handlers_disconnect_by_data (self->compare, self);
  g_set_object (&self->compare, compare);
  if (compare != NULL)
    g_signal_connect_object (compare, "notify::result", G_CALLBACK (compare_result_changed_cb), self,
                             G_CONNECT_SWAPPED);
  _attn_attention_view_redraw (ATTN_ATTENTION_VIEW (self));
}

gboolean
attn_compare_view_get_delta (AttnCompareView *self)
{
  g_return_val_if_fail (ATTN_IS_COMPARE_VIEW (self), FALSE);
  return self->delta;
}

void
attn_compare_view_set_delta (AttnCompareView *self,
                             gboolean         delta)
{
  g_return_if_fail (ATTN_IS_COMPARE_VIEW (self));

  delta = !!delta;
  if (self->delta == delta)
    return;
  self->delta = delta;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DELTA]);
  _attn_attention_view_redraw (ATTN_ATTENTION_VIEW (self));
}
