/* attn-learn-norms.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-learn-norms"

#include "config.h"

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "attn-learn-norms.h"
#include "attn-result-vectors.h"

#define ROW_H 24.0
#define LABEL_W 90.0

struct _AttnLearnNorms
{
  AttnLearnFigure  parent_instance;

  guint            n_keys;         /* the query's visible keys: 0 .. query */
  double          *weights;        /* (n_keys,) */
  double          *contributions;  /* (n_keys,) shares of Σ ‖w v‖ */
};

G_DEFINE_FINAL_TYPE (AttnLearnNorms, attn_learn_norms, ATTN_TYPE_LEARN_FIGURE)

static void
attn_learn_norms_update (AttnLearnFigure *figure)
{
  AttnLearnNorms *self = ATTN_LEARN_NORMS (figure);
  AttnResult *result = _attn_learn_figure_get_result (figure);
  AttnDocument *document = attn_learn_figure_get_document (figure);
  g_autofree char *description = NULL;
  g_autofree char *top_weight_text = NULL;
  g_autofree char *top_contribution_text = NULL;
  const float *w;
  guint layer, head, T, top_weight = 0, top_contribution = 0;
  double total = 0;
  int query;

  g_clear_pointer (&self->weights, g_free);
  g_clear_pointer (&self->contributions, g_free);
  self->n_keys = 0;
  if (result == NULL)
    {
      _attn_learn_figure_set_description (figure, _("No sentence has been computed yet."));
      return;
    }

  layer = attn_document_get_layer (document);
  head = attn_document_get_head (document);
  T = attn_result_get_n_tokens (result);
  query = _attn_learn_figure_get_query (figure);
  w = attn_result_get_weights (result, layer, head);
  if (w == NULL)
    return;
  w += (gsize) query * T;

  self->n_keys = (guint) query + 1;
  self->weights = g_new0 (double, self->n_keys);
  self->contributions = g_new0 (double, self->n_keys);
  for (guint j = 0; j < self->n_keys; j++)
    {
      guint n;
      const float *v = attn_result_get_vector (result, ATTN_VECTOR_V, layer, head, j, &n);

      self->weights[j] = w[j];
      self->contributions[j] = w[j] * attn_vector_norm (v, n);
      total += self->contributions[j];
    }
  for (guint j = 0; j < self->n_keys; j++)
    {
      self->contributions[j] = total > 0 ? self->contributions[j] / total : 0;
      if (self->weights[j] > self->weights[top_weight])
        top_weight = j;
      if (self->contributions[j] > self->contributions[top_contribution])
        top_contribution = j;
    }

  top_weight_text = _attn_learn_dup_token (result, (int) top_weight);
  top_contribution_text = _attn_learn_dup_token (result, (int) top_contribution);
  description = g_strdup_printf (_("Layer %u, head %u: %s gets the most weight, %.0f %%, but adds %.0f %% of what "
                                   "the head passes on; the largest share, %.0f %%, comes from %s, which has "
                                   "%.0f %% of the weight."),
                                 layer, head, top_weight_text, 100 * self->weights[top_weight],
                                 100 * self->contributions[top_weight],
                                 100 * self->contributions[top_contribution], top_contribution_text,
                                 100 * self->weights[top_contribution]);
  _attn_learn_figure_set_description (figure, description);
}

static void
attn_learn_norms_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  AttnLearnNorms *self = ATTN_LEARN_NORMS (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 560;
    }
  else
    *minimum = *natural = (int) (ROW_H * (self->n_keys + 1) + 4);
}

static void
attn_learn_norms_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  AttnLearnNorms *self = ATTN_LEARN_NORMS (widget);
  AttnLearnFigure *figure = ATTN_LEARN_FIGURE (widget);
  AttnResult *result = _attn_learn_figure_get_result (figure);
  const AttnTheme *theme = _attn_learn_figure_get_theme (figure);
  const AttnRgba colors[2] = {
    attn_colormap_lookup (ATTN_COLORMAP_VIRIDIS, 0.85), attn_colormap_lookup (ATTN_COLORMAP_VIRIDIS, 0.35),
  };
  const char *names[2] = { _("weight"), _("what it adds, ‖w·v‖") };
  int width = gtk_widget_get_width (widget);
  g_autoptr(PangoLayout) layout = NULL;
  double bar_w = width - LABEL_W - 48;
  cairo_t *cr;

  if (result == NULL || self->n_keys == 0 || bar_w < 40)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, gtk_widget_get_height (widget)));
  layout = gtk_widget_create_pango_layout (widget, NULL);
  pango_layout_set_width (layout, (int) (LABEL_W - 6) * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  for (guint k = 0; k < 2; k++)
    {
      double x = LABEL_W + k * 110;

      cairo_set_source_rgba (cr, colors[k].r, colors[k].g, colors[k].b, 1);
      cairo_rectangle (cr, x, 6, 12, 12);
      cairo_fill (cr);
      pango_layout_set_width (layout, -1);
      pango_layout_set_text (layout, names[k], -1);
      cairo_set_source_rgba (cr, theme->foreground.r, theme->foreground.g, theme->foreground.b, 1);
      cairo_move_to (cr, x + 18, 2);
      pango_cairo_show_layout (cr, layout);
    }
  pango_layout_set_width (layout, (int) (LABEL_W - 6) * PANGO_SCALE);

  for (guint j = 0; j < self->n_keys; j++)
    {
      g_autofree char *label = attn_render_dup_token_label (attn_result_get_token_text (result, j));
      double y = ROW_H * (j + 1);

      pango_layout_set_text (layout, label, -1);
      cairo_set_source_rgba (cr, theme->foreground.r, theme->foreground.g, theme->foreground.b, 1);
      cairo_move_to (cr, 0, y + 2);
      pango_cairo_show_layout (cr, layout);
      for (guint k = 0; k < 2; k++)
        {
          double v = k == 0 ? self->weights[j] : self->contributions[j];

          cairo_set_source_rgba (cr, colors[k].r, colors[k].g, colors[k].b, 1);
          cairo_rectangle (cr, LABEL_W, y + 2 + k * 10, MAX (1, bar_w * CLAMP (v, 0, 1)), 9);
          cairo_fill (cr);
        }
    }
  cairo_destroy (cr);
}

static void
attn_learn_norms_finalize (GObject *object)
{
  AttnLearnNorms *self = ATTN_LEARN_NORMS (object);

  g_clear_pointer (&self->weights, g_free);
  g_clear_pointer (&self->contributions, g_free);

  G_OBJECT_CLASS (attn_learn_norms_parent_class)->finalize (object);
}

static void
attn_learn_norms_class_init (AttnLearnNormsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = attn_learn_norms_finalize;
  widget_class->measure = attn_learn_norms_measure;
  widget_class->snapshot = attn_learn_norms_snapshot;
  ATTN_LEARN_FIGURE_CLASS (klass)->update = attn_learn_norms_update;
}

static void
attn_learn_norms_init (AttnLearnNorms *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Weight beside what each token adds"), -1);
}

GtkWidget *
attn_learn_norms_new (void)
{
  return g_object_new (ATTN_TYPE_LEARN_NORMS, NULL);
}

gboolean
attn_learn_norms_get_share (AttnLearnNorms *self,
                            guint           key,
                            double         *weight,
                            double         *contribution)
{
  g_return_val_if_fail (ATTN_IS_LEARN_NORMS (self), FALSE);

  if (key >= self->n_keys)
    return FALSE;
  *weight = self->weights[key];
  *contribution = self->contributions[key];
  return TRUE;
}
