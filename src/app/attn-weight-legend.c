/* attn-weight-legend.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-weight-legend"

#include "config.h"

#include <glib/gi18n.h>

#include "attn-attention-view.h"
#include "attn-document-link.h"
#include "attn-pair.h"
#include "attn-weight-legend.h"

struct _AttnWeightLegend
{
  GtkWidget     parent_instance;

  GtkWidget    *caption;
  GtkWidget    *bar_box;     /* "0", the gradient, "1" */
  GtkWidget    *gradient;

  AttnDocumentLink  link;             /* the document shown, its signals */
  AttnColormap  colormap;
  AttnScale     scale;
};

G_DEFINE_FINAL_TYPE (AttnWeightLegend, attn_weight_legend, GTK_TYPE_WIDGET)

static void
draw_gradient (GtkDrawingArea *area,
               cairo_t        *cr,
               int             width,
               int             height,
               gpointer        user_data)
{
  AttnWeightLegend *self = user_data;
  cairo_pattern_t *pattern = cairo_pattern_create_linear (0, 0, width, 0);

  /* Positions on the map, as the colour bar of the views: with the sqrt
   * scale, 0.25 sits halfway. */
  for (int i = 0; i <= 32; i++)
    {
      AttnRgba c = attn_colormap_lookup (self->colormap, i / 32.0);

      cairo_pattern_add_color_stop_rgb (pattern, i / 32.0, c.r, c.g, c.b);
    }
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_set_source (cr, pattern);
  cairo_fill (cr);
  cairo_pattern_destroy (pattern);
}

/* English pronouns that refer back or ahead, as in the article's "it". */
static gboolean
is_pronoun (const char *name)
{
  static const char *const pronouns[] = { "it", "It", "they", "They", "he", "He", "she", "She",
                                          "its", "them", "him", "her", NULL };

  return g_strv_contains (pronouns, name);
}

static void
update (AttnWeightLegend *self)
{
  AttnResult *result = self->link.document ? attn_document_get_view_result (self->link.document) : NULL;
  int query = self->link.document ? attn_document_get_view_query (self->link.document) : -1;
  g_autofree char *caption = NULL;

  if (result != NULL && query >= 0 && (guint) query < attn_result_get_n_tokens (result))
    {
      g_autofree char *name = _attn_token_display_name (result, query);

      /* Translators: the legend of the tinted tokens: query token, layer, head */
      caption = g_strdup_printf (_("Tinted by how much “%s” attends to each token (layer %u, head %u); hover a token for the weights both ways."),
                                 name, attn_document_get_layer (self->link.document),
                                 attn_document_get_head (self->link.document));
      /* A pair's Links filter tints only its links, as the maps show. */
      if (attn_result_has_pair (result)
          && attn_pair_filter_describe (attn_document_get_pair_filter (self->link.document)) != NULL)
        {
          /* Translators: appended to the legend; %s is e.g. "links A → B only" */
          g_autofree char *filtered = g_strdup_printf (_("Tinting %s (the Links filter); the other tokens stay grey."),
                                                       attn_pair_filter_describe (attn_document_get_pair_filter (self->link.document)));
          char *both = g_strconcat (caption, " ", filtered, NULL);

          g_free (caption);
          caption = both;
        }
      /* What the model cannot do ("it" cannot see "tired" yet): say why the
       * tokens after the query are grey.  An encoder sees them all. */
      if ((guint) query + 1 < attn_result_get_n_tokens (result) && !attn_result_is_bidirectional (result))
        {
          /* Translators: appended to the legend; %s is the query token */
          g_autofree char *ahead = g_strdup_printf (_("Grey tokens come after “%s”: a GPT reads left to right, so “%s” cannot see them yet."),
                                                    name, name);
          char *both = g_strconcat (caption, " ", ahead, NULL);

          g_free (caption);
          caption = both;

          /* A pronoun whose meaning lies ahead ("it" … "too tired"): the
           * model that could resolve it reads both ways. */
          if (is_pronoun (name))
            {
              char *more = g_strconcat (caption, " ",
                                        _("What “it” refers to often comes later (“too tired”, “too big”): an encoder "
                                          "such as BERT reads both ways and sees it; open one from the model menu "
                                          "(Hugging Face, e.g. bert-base-uncased)."), NULL);

              g_free (caption);
              caption = more;
            }
        }
      gtk_widget_set_visible (self->bar_box, TRUE);
    }
  else
    {
      caption = g_strdup (_("Click a token (or move with the arrow keys) to see its attention weights to other tokens."));
      gtk_widget_set_visible (self->bar_box, FALSE);
    }

  gtk_label_set_text (GTK_LABEL (self->caption), caption);
  gtk_widget_set_tooltip_text (self->caption, caption);
  gtk_widget_queue_draw (self->gradient);
}

static void
attn_weight_legend_dispose (GObject *object)
{
  AttnWeightLegend *self = ATTN_WEIGHT_LEGEND (object);
  GtkWidget *child;

  _attn_document_link_clear (&self->link);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (attn_weight_legend_parent_class)->dispose (object);
}

static void
attn_weight_legend_class_init (AttnWeightLegendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_weight_legend_dispose;

  _attn_document_link_install (object_class, G_STRUCT_OFFSET (AttnWeightLegend, link),
                               G_CALLBACK (attn_weight_legend_set_document));

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "attnweightlegend");
}

static GtkWidget *
tick_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static void
attn_weight_legend_init (AttnWeightLegend *self)
{
  GtkBoxLayout *layout = GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self)));

  gtk_box_layout_set_spacing (layout, 12);
  self->colormap = ATTN_COLORMAP_VIRIDIS;
  self->scale = ATTN_SCALE_LINEAR;

  self->caption = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->caption), 0);
  gtk_label_set_wrap (GTK_LABEL (self->caption), TRUE);
  /* Two lines at most, so a narrow window keeps its height for the views;
   * the whole text is the tooltip. */
  gtk_label_set_lines (GTK_LABEL (self->caption), 2);
  gtk_label_set_ellipsize (GTK_LABEL (self->caption), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (self->caption, TRUE);
  gtk_widget_add_css_class (self->caption, "caption");
  gtk_widget_add_css_class (self->caption, "dim-label");
  gtk_widget_set_parent (self->caption, GTK_WIDGET (self));

  self->bar_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  gtk_widget_set_valign (self->bar_box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (self->bar_box), tick_label ("0"));
  self->gradient = gtk_drawing_area_new ();
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (self->gradient), 96);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self->gradient), 10);
  gtk_widget_set_valign (self->gradient, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->gradient), draw_gradient, self, NULL);
  gtk_box_append (GTK_BOX (self->bar_box), self->gradient);
  gtk_box_append (GTK_BOX (self->bar_box), tick_label ("1"));
  gtk_widget_set_parent (self->bar_box, GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->bar_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Colour scale from weight 0 to 1"),
                                  -1);

  _attn_document_link_init (&self->link, self,
                            "notify::view-result", G_CALLBACK (update),
                            "notify::query", G_CALLBACK (update),
                            "notify::layer", G_CALLBACK (update),
                            "notify::head", G_CALLBACK (update),
                            "notify::pair-filter", G_CALLBACK (update),
                            NULL);
  update (self);
}

GtkWidget *
attn_weight_legend_new (void)
{
  return g_object_new (ATTN_TYPE_WEIGHT_LEGEND, NULL);
}

AttnDocument *
attn_weight_legend_get_document (AttnWeightLegend *self)
{
  g_return_val_if_fail (ATTN_IS_WEIGHT_LEGEND (self), NULL);
  return self->link.document;
}

void
attn_weight_legend_set_document (AttnWeightLegend *self,
                                 AttnDocument     *document)
{
  g_return_if_fail (ATTN_IS_WEIGHT_LEGEND (self));
  g_return_if_fail (!document || ATTN_IS_DOCUMENT (document));

  if (!_attn_document_link_set (&self->link, self, document))
    return;

  update (self);
}

void
attn_weight_legend_set_colormap (AttnWeightLegend *self,
                                 AttnColormap      colormap,
                                 AttnScale         scale)
{
  g_return_if_fail (ATTN_IS_WEIGHT_LEGEND (self));

  self->colormap = colormap;
  self->scale = scale;
  gtk_widget_queue_draw (self->gradient);
}

const char *
attn_weight_legend_get_caption (AttnWeightLegend *self)
{
  g_return_val_if_fail (ATTN_IS_WEIGHT_LEGEND (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->caption));
}
