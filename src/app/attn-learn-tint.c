/* attn-learn-tint.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-learn-tint"

#include "config.h"

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "attn-learn-tint.h"
#include "attn-result-vectors.h"
#include "attn-tint.h"

#define PAD_X 5.0
#define PAD_Y 3.0
#define GAP 3.0
#define LINE_GAP 6.0

struct _AttnLearnTint
{
  AttnLearnFigure parent_instance;
};

G_DEFINE_FINAL_TYPE (AttnLearnTint, attn_learn_tint, ATTN_TYPE_LEARN_FIGURE)

/* Lays the tokens out in lines of at most @width; @rects (when not NULL)
 * receives each token's chip.  Returns the height used. */
static double
layout_tokens (AttnLearnTint     *self,
               PangoLayout       *layout,
               double             width,
               cairo_rectangle_t *rects)
{
  AttnResult *result = _attn_learn_figure_get_result (ATTN_LEARN_FIGURE (self));
  double x = 0, y = 0, line_h = 0;
  guint T;

  if (result == NULL)
    return 0;

  T = attn_result_get_n_tokens (result);
  for (guint i = 0; i < T; i++)
    {
      g_autofree char *label = attn_render_dup_token_label (attn_result_get_token_text (result, i));
      int pw, ph;
      double w, h;

      pango_layout_set_text (layout, label, -1);
      pango_layout_get_pixel_size (layout, &pw, &ph);
      w = pw + 2 * PAD_X;
      h = ph + 2 * PAD_Y;
      if (x > 0 && x + w > width)
        {
          x = 0;
          y += line_h + LINE_GAP;
          line_h = 0;
        }
      if (rects != NULL)
        rects[i] = (cairo_rectangle_t) { x, y, w, h };
      x += w + GAP;
      line_h = MAX (line_h, h);
    }

  return y + line_h;
}

static PangoLayout *
make_layout (AttnLearnTint *self)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  PangoFontDescription *font = pango_font_description_from_string ("Sans 15");

  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  return layout;
}

static void
attn_learn_tint_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  AttnLearnTint *self = ATTN_LEARN_TINT (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 120;
      *natural = 600;
    }
  else
    {
      g_autoptr(PangoLayout) layout = make_layout (self);
      double height = layout_tokens (self, layout, for_size > 0 ? for_size : 600, NULL);

      *minimum = *natural = MAX (40, (int) ceil (height) + 2);
    }
}

static GtkSizeRequestMode
attn_learn_tint_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
attn_learn_tint_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  AttnLearnTint *self = ATTN_LEARN_TINT (widget);
  AttnLearnFigure *figure = ATTN_LEARN_FIGURE (widget);
  AttnResult *result = _attn_learn_figure_get_result (figure);
  AttnDocument *document = attn_learn_figure_get_document (figure);
  const AttnTheme *theme = _attn_learn_figure_get_theme (figure);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(PangoLayout) layout = NULL;
  g_autofree cairo_rectangle_t *rects = NULL;
  const float *weights;
  cairo_t *cr;
  guint T;
  int query;

  if (result == NULL || width <= 0 || height <= 0)
    return;

  T = attn_result_get_n_tokens (result);
  query = _attn_learn_figure_get_query (figure);
  weights = attn_result_get_weights (result, attn_document_get_layer (document),
                                     attn_document_get_head (document));
  if (weights == NULL)
    return;

  layout = make_layout (self);
  rects = g_new0 (cairo_rectangle_t, T);
  layout_tokens (self, layout, width, rects);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  for (guint i = 0; i < T; i++)
    {
      g_autofree char *label = attn_render_dup_token_label (attn_result_get_token_text (result, i));
      cairo_rectangle_t *r = &rects[i];
      AttnRgba bg, fg;
      gboolean visible = !attn_result_is_masked (result, (guint) query, i);

      if (visible)
        _attn_tint_get_colors (ATTN_COLORMAP_VIRIDIS, ATTN_SCALE_SQRT,
                               weights[(gsize) query * T + i], &bg, &fg);
      else
        {
          bg = theme->masked;
          fg = theme->dim;
        }

      cairo_new_sub_path (cr);
      cairo_arc (cr, r->x + r->width - 4, r->y + 4, 4, -G_PI / 2, 0);
      cairo_arc (cr, r->x + r->width - 4, r->y + r->height - 4, 4, 0, G_PI / 2);
      cairo_arc (cr, r->x + 4, r->y + r->height - 4, 4, G_PI / 2, G_PI);
      cairo_arc (cr, r->x + 4, r->y + 4, 4, G_PI, 3 * G_PI / 2);
      cairo_close_path (cr);
      cairo_set_source_rgba (cr, bg.r, bg.g, bg.b, visible ? 1 : 0.35);
      cairo_fill_preserve (cr);
      if ((int) i == query)
        {
          cairo_set_source_rgba (cr, theme->accent.r, theme->accent.g, theme->accent.b, 1);
          cairo_set_line_width (cr, 3);
          cairo_stroke (cr);
        }
      else
        cairo_new_path (cr);

      pango_layout_set_text (layout, label, -1);
      cairo_move_to (cr, r->x + PAD_X, r->y + PAD_Y);
      cairo_set_source_rgba (cr, fg.r, fg.g, fg.b, 1);
      pango_cairo_show_layout (cr, layout);
    }
  cairo_destroy (cr);
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            AttnLearnTint   *self)
{
  AttnLearnFigure *figure = ATTN_LEARN_FIGURE (self);
  AttnResult *result = _attn_learn_figure_get_result (figure);
  g_autoptr(PangoLayout) layout = NULL;
  g_autofree cairo_rectangle_t *rects = NULL;
  guint T;

  if (result == NULL)
    return;
  T = attn_result_get_n_tokens (result);
  layout = make_layout (self);
  rects = g_new0 (cairo_rectangle_t, T);
  layout_tokens (self, layout, gtk_widget_get_width (GTK_WIDGET (self)), rects);
  for (guint i = 0; i < T; i++)
    if (x >= rects[i].x && x < rects[i].x + rects[i].width
        && y >= rects[i].y && y < rects[i].y + rects[i].height)
      {
        attn_document_set_view_query (attn_learn_figure_get_document (figure), (int) i);
        return;
      }
}

static void
attn_learn_tint_update (AttnLearnFigure *figure)
{
  AttnResult *result = _attn_learn_figure_get_result (figure);
  AttnDocument *document = attn_learn_figure_get_document (figure);
  g_autofree char *query_text = NULL;
  g_autofree char *key_text = NULL;
  g_autofree char *description = NULL;
  const float *weights;
  int query, key;
  guint T;

  if (result == NULL)
    {
      _attn_learn_figure_set_description (figure, _("No sentence has been computed yet."));
      return;
    }

  T = attn_result_get_n_tokens (result);
  query = _attn_learn_figure_get_query (figure);
  key = _attn_learn_figure_get_key (figure);
  weights = attn_result_get_weights (result, attn_document_get_layer (document),
                                     attn_document_get_head (document));
  query_text = _attn_learn_dup_token (result, query);
  key_text = _attn_learn_dup_token (result, key);
  /* Translators: accessible description of the tinted sentence */
  description = g_strdup_printf (attn_result_get_words (result) == NULL
                                 ? _("The sentence tinted by the attention of %s in layer %u, head %u: "
                                     "its strongest link other than the first token is %s "
                                     "(weight %.2f); the %u tokens after it are hidden from it.")
                                 /* Translators: the same with word pieces merged into words */
                                 : _("The sentence tinted by the attention of %s in layer %u, head %u: "
                                     "its strongest link other than the first word is %s "
                                     "(weight %.2f); the %u words after it are hidden from it."),
                                 query_text, attn_document_get_layer (document),
                                 attn_document_get_head (document), key_text,
                                 weights ? weights[(gsize) query * T + key] : 0.0,
                                 T - 1 - (guint) query);
  _attn_learn_figure_set_description (figure, description);
}

static void
attn_learn_tint_class_init (AttnLearnTintClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AttnLearnFigureClass *figure_class = ATTN_LEARN_FIGURE_CLASS (klass);

  widget_class->measure = attn_learn_tint_measure;
  widget_class->get_request_mode = attn_learn_tint_get_request_mode;
  widget_class->snapshot = attn_learn_tint_snapshot;
  figure_class->update = attn_learn_tint_update;
  figure_class->shows_words = TRUE;
}

static void
attn_learn_tint_init (AttnLearnTint *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("The sentence, tinted by attention"),
                                  -1);
}

GtkWidget *
attn_learn_tint_new (void)
{
  return g_object_new (ATTN_TYPE_LEARN_TINT, NULL);
}
