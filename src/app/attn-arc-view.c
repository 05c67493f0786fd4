/* attn-arc-view.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-arc-view"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-arc-view.h"
#include "attn-result-vectors.h"

struct _AttnArcView
{
  AttnAttentionView parent_instance;

  double            threshold;
  AttnArcLinks      links;
  guint             top_k;
};

G_DEFINE_FINAL_TYPE (AttnArcView, attn_arc_view, ATTN_TYPE_ATTENTION_VIEW)

enum {
  PROP_0,
  PROP_THRESHOLD,
  PROP_LINKS,
  PROP_TOP_K,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static gboolean
fill_spec (AttnArcView *self,
           AttnArcSpec *spec)
{
  AttnAttentionView *view = ATTN_ATTENTION_VIEW (self);
  AttnDocument *document = attn_attention_view_get_document (view);
  AttnResult *result = _attn_attention_view_get_result (view);
  double scroll_y, natural_width, natural_height;
  int unused;

  if (result == NULL)
    return FALSE;

  attn_arc_spec_init (spec, result,
                      attn_document_get_layer (document),
                      attn_document_get_head (document));
  spec->query = attn_document_get_view_query (document);
  spec->key = spec->query >= 0 ? attn_document_get_view_key (document) : -1;
  _attn_attention_view_get_hover (view, &spec->hover_token, &unused);
  spec->threshold = self->threshold;
  spec->links = self->links;
  spec->top_k = self->top_k;
  spec->colormap = attn_attention_view_get_colormap (view);
  spec->scale = attn_attention_view_get_scale (view);
  spec->display = *attn_attention_view_get_display (view);
  spec->theme = _attn_attention_view_get_theme (view);
  /* The renderer keeps label widths and thumbnails here between frames. */
  spec->cache = _attn_attention_view_get_cache (view);
  _attn_attention_view_get_scroll (view, &spec->scroll_x, &scroll_y);

  /* The reading-order strip scrolls when it is wider than the view. */
  spec->scrollable = TRUE;
  attn_arcs_get_natural_size (spec, &natural_width, &natural_height);
  spec->scrollable = natural_width > gtk_widget_get_width (GTK_WIDGET (self));

  return TRUE;
}

static void
attn_arc_view_get_content_size (AttnAttentionView *view,
                                AttnResult        *result,
                                double            *width,
                                double            *height)
{
  AttnArcSpec spec;
  double natural_height;

  /* Only the token strip scrolls, sideways; arcs fit the height. */
  if (fill_spec (ATTN_ARC_VIEW (view), &spec))
    {
      spec.scrollable = TRUE;
      attn_arcs_get_natural_size (&spec, width, &natural_height);
    }
}

static void
attn_arc_view_render (AttnAttentionView *view,
                      cairo_t           *cr,
                      AttnResult        *result,
                      double             width,
                      double             height,
                      double             scroll_x,
                      double             scroll_y)
{
  AttnArcSpec spec;

  if (fill_spec (ATTN_ARC_VIEW (view), &spec))
    attn_render_arcs (cr, &spec, width, height);
}

static char *
attn_arc_view_describe (AttnAttentionView *view,
                        AttnResult        *result)
{
  AttnDocument *document = attn_attention_view_get_document (view);
  guint layer = attn_document_get_layer (document);
  guint head = attn_document_get_head (document);
  int query = attn_document_get_view_query (document);
  g_autofree char *links = NULL;

  links = _attn_describe_strongest_links (result, attn_result_get_weights (result, layer, head),
                                          query, 3);

  if (query >= 0 && ATTN_ARC_VIEW (view)->links == ATTN_ARC_LINKS_QUERY)
    {
      g_autofree char *name = _attn_token_display_name (result, query);

      /* Translators: accessible description of the arc view; the last %s lists the strongest links */
      return g_strdup_printf (_("Arcs from “%s” to the tokens it attends to in layer %u, head %u. %s"),
                              name, layer, head, links ? links : "");
    }

  if (ATTN_ARC_VIEW (view)->links == ATTN_ARC_LINKS_TOP_K)
    /* Translators: accessible description of the arc view; %u is how many links per token, the last %s
     * lists the strongest links */
    return g_strdup_printf (ngettext ("Each token’s %u strongest link in layer %u, head %u. %s",
                                      "Each token’s %u strongest links in layer %u, head %u. %s",
                                      ATTN_ARC_VIEW (view)->top_k),
                            ATTN_ARC_VIEW (view)->top_k, layer, head, links ? links : "");

  /* Translators: accessible description of the arc view; the last %s lists the strongest links */
  return g_strdup_printf (_("Every link of at least %.2f in layer %u, head %u. %s"),
                          ATTN_ARC_VIEW (view)->threshold, layer, head, links ? links : "");
}

static gboolean
attn_arc_view_hit_test (AttnAttentionView *view,
                        double             x,
                        double             y,
                        int               *token,
                        int               *unused)
{
  AttnArcSpec spec;

  if (!fill_spec (ATTN_ARC_VIEW (view), &spec))
    return FALSE;

  return attn_arcs_hit_test (&spec,
                             gtk_widget_get_width (GTK_WIDGET (view)),
                             gtk_widget_get_height (GTK_WIDGET (view)),
                             x, y, token);
}

static void
attn_arc_view_clicked (AttnAttentionView *view,
                       gboolean           hit,
                       int                token,
                       int                unused)
{
  AttnDocument *document = attn_attention_view_get_document (view);
  int query = attn_document_get_view_query (document);

  /* A token before the query pins that link; another token becomes the
   * query; empty space (not the chips' column) shows every strong link
   * again. */
  if (!hit)
    {
      attn_document_set_view_key (document, -1);
      attn_document_set_view_query (document, -1);
    }
  else if (query >= 0 && token < query)
    attn_document_set_view_key (document, token);
  else
    _attn_select_query (document, token);
}

static char *
attn_arc_view_dup_tooltip (AttnAttentionView *view,
                           AttnResult        *result,
                           int                token,
                           int                unused)
{
  AttnDocument *document = attn_attention_view_get_document (view);
  g_autofree char *name = _attn_token_display_name (result, token);
  int query = attn_document_get_view_query (document);
  const float *weights;

  weights = attn_result_get_weights (result,
                                     attn_document_get_layer (document),
                                     attn_document_get_head (document));

  if (weights != NULL && query >= 0 && (guint) token < attn_result_get_n_keys_seen (result, query))
    {
      g_autofree char *from = _attn_token_display_name (result, query);

      return g_strdup_printf (_("\"%s\" → \"%s\": %.3f"), from, name,
                              weights[(gsize) query * attn_result_get_n_tokens (result) + token]);
    }

  /* Translators: tooltip of a token in the arc view */
  return g_strdup_printf (_("\"%s\": click to see what it attends to"), name);
}

/* A query chosen anywhere (the token strip, the heatmap) whose chip is
 * scrolled out of the reading-order strip comes into the middle of it. */
static void
attn_arc_view_follow_selection (AttnAttentionView *view)
{
  GtkWidget *widget = GTK_WIDGET (view);
  AttnArcSpec spec;
  cairo_rectangle_t rect;
  double natural_width, scroll_x, scroll_y;

  if (!fill_spec (ATTN_ARC_VIEW (view), &spec) || !spec.scrollable || spec.query < 0 ||
      attn_arcs_get_token_rect (&spec, gtk_widget_get_width (widget), gtk_widget_get_height (widget),
                                spec.query, NULL))
    return;

  /* Where the chip is on the whole strip: laid out unscrolled at its
   * natural width. */
  attn_arcs_get_natural_size (&spec, &natural_width, NULL);
  spec.scroll_x = 0;
  if (!attn_arcs_get_token_rect (&spec, natural_width, gtk_widget_get_height (widget), spec.query, &rect))
    return;
  _attn_attention_view_get_scroll (view, &scroll_x, &scroll_y);
  _attn_attention_view_scroll_to (view, rect.x + rect.width / 2 - gtk_widget_get_width (widget) / 2.0, scroll_y);
}

static void
attn_arc_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  AttnArcView *self = ATTN_ARC_VIEW (object);

  switch (prop_id)
    {
    case PROP_THRESHOLD:
      g_value_set_double (value, self->threshold);
      break;
    case PROP_LINKS:
      g_value_set_string (value, attn_arc_view_get_links (self));
      break;
    case PROP_TOP_K:
      g_value_set_uint (value, self->top_k);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_arc_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  AttnArcView *self = ATTN_ARC_VIEW (object);

  switch (prop_id)
    {
    case PROP_THRESHOLD:
      attn_arc_view_set_threshold (self, g_value_get_double (value));
      break;
    case PROP_LINKS:
      attn_arc_view_set_links (self, g_value_get_string (value));
      break;
    case PROP_TOP_K:
      attn_arc_view_set_top_k (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_arc_view_class_init (AttnArcViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AttnAttentionViewClass *view_class = ATTN_ATTENTION_VIEW_CLASS (klass);

  object_class->get_property = attn_arc_view_get_property;
  object_class->set_property = attn_arc_view_set_property;

  view_class->get_content_size = attn_arc_view_get_content_size;
  view_class->render = attn_arc_view_render;
  view_class->describe = attn_arc_view_describe;
  view_class->hit_test = attn_arc_view_hit_test;
  view_class->clicked = attn_arc_view_clicked;
  view_class->dup_tooltip = attn_arc_view_dup_tooltip;
  view_class->follow_selection = attn_arc_view_follow_selection;

  properties [PROP_THRESHOLD] =
    g_param_spec_double ("threshold", NULL, NULL, 0, 1, 0.2,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_LINKS] =
    g_param_spec_string ("links", NULL, NULL, "query",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_TOP_K] =
    g_param_spec_uint ("top-k", NULL, NULL, 1, ATTN_ARC_MAX_TOP_K, 3,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "attnarcs");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
attn_arc_view_init (AttnArcView *self)
{
  self->threshold = 0.2;
  self->links = ATTN_ARC_LINKS_QUERY;
  self->top_k = 3;

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Attention arcs"),
                                  -1);
}

GtkWidget *
attn_arc_view_new (void)
{
  return g_object_new (ATTN_TYPE_ARC_VIEW, NULL);
}

double
attn_arc_view_get_threshold (AttnArcView *self)
{
  g_return_val_if_fail (ATTN_IS_ARC_VIEW (self), 0);
  return self->threshold;
}

void
attn_arc_view_set_threshold (AttnArcView *self,
                             double       threshold)
{
  g_return_if_fail (ATTN_IS_ARC_VIEW (self));

  threshold = CLAMP (threshold, 0, 1);
  if (self->threshold == threshold)
    return;

  self->threshold = threshold;
  _attn_attention_view_redraw (ATTN_ATTENTION_VIEW (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_THRESHOLD]);
}

const char *
attn_arc_view_get_links (AttnArcView *self)
{
  g_return_val_if_fail (ATTN_IS_ARC_VIEW (self), NULL);
  return attn_arc_links_to_string (self->links);
}

void
attn_arc_view_set_links (AttnArcView *self,
                         const char  *links)
{
  AttnArcLinks mode;

  g_return_if_fail (ATTN_IS_ARC_VIEW (self));

  if (!attn_arc_links_from_string (links, &mode) || self->links == mode)
    return;

  self->links = mode;
  _attn_attention_view_redraw (ATTN_ATTENTION_VIEW (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LINKS]);
}

guint
attn_arc_view_get_top_k (AttnArcView *self)
{
  g_return_val_if_fail (ATTN_IS_ARC_VIEW (self), 0);
  return self->top_k;
}

void
attn_arc_view_set_top_k (AttnArcView *self,
                         guint        top_k)
{
  g_return_if_fail (ATTN_IS_ARC_VIEW (self));

  top_k = CLAMP (top_k, 1, ATTN_ARC_MAX_TOP_K);
  if (self->top_k == top_k)
    return;

  self->top_k = top_k;
  _attn_attention_view_redraw (ATTN_ATTENTION_VIEW (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TOP_K]);
}

GArray *
attn_arc_view_dup_links (AttnArcView *self)
{
  AttnArcSpec spec;

  g_return_val_if_fail (ATTN_IS_ARC_VIEW (self), NULL);

  if (!fill_spec (self, &spec))
    return g_array_new (FALSE, FALSE, sizeof (AttnArcLink));
  return attn_arcs_dup_links (&spec, gtk_widget_get_width (GTK_WIDGET (self)),
                              gtk_widget_get_height (GTK_WIDGET (self)));
}
