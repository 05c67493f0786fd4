/* attn-learn-block.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-learn-block"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "attn-learn-block.h"
#include "attn-residual.h"
#include "attn-result-vectors.h"

#define STREAM_X 28.0
#define ROW 40.0
#define BOX_H 30.0
#define LAYER_ROW 22.0
#define DIAGRAM_ROWS 7

struct _AttnLearnBlock
{
  AttnLearnFigure  parent_instance;

  AttnResidual    *residual;      /* of the current result, or NULL while computing */
  AttnResult      *pending;       /* the result being computed for (borrowed, compared only) */
  GCancellable    *cancellable;
};

G_DEFINE_FINAL_TYPE (AttnLearnBlock, attn_learn_block, ATTN_TYPE_LEARN_FIGURE)

gboolean
attn_learn_block_get_norms (AttnLearnBlock      *self,
                            guint                layer,
                            AttnLearnBlockNorms *norms)
{
  AttnLearnFigure *figure = ATTN_LEARN_FIGURE (self);
  AttnResult *result = _attn_learn_figure_get_result (figure);
  const float *x, *x_out, *ln, *attn;
  g_autofree float *mid = NULL;
  int token = _attn_learn_figure_get_query (figure);
  guint C;

  g_return_val_if_fail (ATTN_IS_LEARN_BLOCK (self), FALSE);

  if (result == NULL || self->residual == NULL || attn_residual_get_result (self->residual) != result)
    return FALSE;
  x = attn_residual_get_row (self->residual, layer, token, &C);
  x_out = attn_residual_get_row (self->residual, layer + 1, token, NULL);
  ln = attn_result_get_vector (result, ATTN_VECTOR_NORMED_INPUT, layer, 0, token, NULL);
  attn = attn_result_get_vector (result, ATTN_VECTOR_ATTN_OUTPUT, layer, 0, token, NULL);
  if (x == NULL || x_out == NULL || ln == NULL || attn == NULL)
    return FALSE;

  mid = g_new (float, C);
  for (guint c = 0; c < C; c++)
    mid[c] = x[c] + attn[c];
  norms->x = attn_vector_norm (x, C);
  norms->normed = attn_vector_norm (ln, C);
  norms->attn = attn_vector_norm (attn, C);
  norms->mid = attn_vector_norm (mid, C);
  /* x_out = x + attn + mlp, sequential or parallel alike. */
  for (guint c = 0; c < C; c++)
    mid[c] = x_out[c] - x[c] - attn[c];
  norms->mlp = attn_vector_norm (mid, C);
  norms->out = attn_vector_norm (x_out, C);
  return TRUE;
}

static void
residual_done_cb (GObject      *source,
                  GAsyncResult *async_result,
                  gpointer      user_data)
{
  g_autoptr(AttnLearnBlock) self = user_data;
  g_autoptr(GError) error = NULL;
  AttnResidual *residual = attn_residual_compute_finish (async_result, &error);

  if (residual != NULL || !g_error_matches (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_CANCELLED))
    self->pending = NULL;
  if (residual == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          && !g_error_matches (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_CANCELLED))
        g_warning ("residual stream: %s", error->message);
      return;
    }
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->residual, attn_residual_free);
  self->residual = residual;
  ATTN_LEARN_FIGURE_GET_CLASS (self)->update (ATTN_LEARN_FIGURE (self));
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
attn_learn_block_update (AttnLearnFigure *figure)
{
  AttnLearnBlock *self = ATTN_LEARN_BLOCK (figure);
  AttnResult *result = _attn_learn_figure_get_result (figure);
  AttnDocument *document = attn_learn_figure_get_document (figure);
  AttnLearnBlockNorms norms;
  AttnShape shape;
  g_autofree char *token = NULL;
  g_autofree char *description = NULL;
  guint layer;

  if (result == NULL)
    {
      _attn_learn_figure_set_description (figure, _("No sentence has been computed yet."));
      return;
    }

  /* A new result: its residual stream, off the main thread. */
  if ((self->residual == NULL || attn_residual_get_result (self->residual) != result)
      && self->pending != result)
    {
      if (self->cancellable != NULL)
        g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      self->pending = result;
      attn_residual_compute_async (result, self->cancellable, residual_done_cb, g_object_ref (self));
    }

  attn_result_get_shape (result, &shape);
  layer = MIN (attn_document_get_layer (document), shape.n_layer - 1);
  token = _attn_learn_dup_token (result, _attn_learn_figure_get_query (figure));
  if (!attn_learn_block_get_norms (self, layer, &norms))
    {
      _attn_learn_figure_set_description (figure, _("Computing the residual stream…"));
      return;
    }
  description = g_strdup_printf (_("Layer %u for %s: the residual stream of %u numbers has length %.2f; "
                                   "after the norm, attention reads a vector of length %.2f and adds one "
                                   "of length %.2f (length %.2f after the addition); the MLP, %u → %u → %u, "
                                   "adds one of length %.2f, and the token leaves the layer with "
                                   "length %.2f."),
                                 layer, token, shape.n_embd, norms.x, norms.normed, norms.attn, norms.mid,
                                 shape.n_embd, shape.n_inner, shape.n_embd, norms.mlp, norms.out);
  _attn_learn_figure_set_description (figure, description);
}

/* ------------------------------------------------------------------------ */
/* Drawing                                                                  */

static void
set_rgba (cairo_t        *cr,
          const AttnRgba *c,
          double          alpha)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, c->a * alpha);
}

static void
show_text (cairo_t     *cr,
           PangoLayout *layout,
           double       x,
           double       y,
           const char  *markup)
{
  int w, h;

  pango_layout_set_markup (layout, markup, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x, y - h / 2.0);
  pango_cairo_show_layout (cr, layout);
}

/* A box on the branch at row @row, joined to the stream by an arrow when
 * @from_stream, with @title in it and @note after it. */
static void
draw_box (cairo_t         *cr,
          PangoLayout     *layout,
          const AttnTheme *theme,
          double           width,
          guint            row,
          const char      *title,
          const char      *note,
          gboolean         from_stream)
{
  double y = ROW * row + ROW / 2, x = STREAM_X + 36, box_w = MIN (170, width - x - 4);

  if (from_stream)
    {
      set_rgba (cr, &theme->dim, 1);
      cairo_move_to (cr, STREAM_X, y);
      cairo_line_to (cr, x, y);
      cairo_stroke (cr);
    }
  else
    {
      set_rgba (cr, &theme->dim, 1);
      cairo_move_to (cr, x + 20, y - ROW + BOX_H / 2);
      cairo_line_to (cr, x + 20, y - BOX_H / 2);
      cairo_stroke (cr);
    }
  cairo_rectangle (cr, x, y - BOX_H / 2, box_w, BOX_H);
  set_rgba (cr, &theme->accent, 0.15);
  cairo_fill_preserve (cr);
  set_rgba (cr, &theme->accent, 1);
  cairo_stroke (cr);
  set_rgba (cr, &theme->foreground, 1);
  pango_layout_set_width (layout, (int) (box_w - 12) * PANGO_SCALE);
  show_text (cr, layout, x + 6, y, title);
  if (note != NULL && width - x - box_w - 10 > 60)
    {
      pango_layout_set_width (layout, (int) (width - x - box_w - 10) * PANGO_SCALE);
      set_rgba (cr, &theme->dim, 1);
      show_text (cr, layout, x + box_w + 8, y, note);
    }
  pango_layout_set_width (layout, -1);
}

/* An addition: the branch's result joins the stream at row @row. */
static void
draw_add (cairo_t         *cr,
          PangoLayout     *layout,
          const AttnTheme *theme,
          double           width,
          guint            row,
          const char      *note)
{
  double y = ROW * row + ROW / 2;

  set_rgba (cr, &theme->dim, 1);
  cairo_move_to (cr, STREAM_X + 56, y - ROW + BOX_H / 2);
  cairo_line_to (cr, STREAM_X + 56, y);
  cairo_line_to (cr, STREAM_X + 9, y);
  cairo_stroke (cr);
  cairo_arc (cr, STREAM_X, y, 9, 0, 2 * G_PI);
  set_rgba (cr, &theme->accent, 1);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_move_to (cr, STREAM_X - 5, y);
  cairo_line_to (cr, STREAM_X + 5, y);
  cairo_move_to (cr, STREAM_X, y - 5);
  cairo_line_to (cr, STREAM_X, y + 5);
  cairo_stroke (cr);
  set_rgba (cr, &theme->dim, 1);
  pango_layout_set_width (layout, (int) MAX (40, width - STREAM_X - 72) * PANGO_SCALE);
  show_text (cr, layout, STREAM_X + 64, y, note);
  pango_layout_set_width (layout, -1);
}

static void
attn_learn_block_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  AttnLearnBlock *self = ATTN_LEARN_BLOCK (widget);
  AttnLearnFigure *figure = ATTN_LEARN_FIGURE (widget);
  AttnResult *result = _attn_learn_figure_get_result (figure);
  const AttnTheme *theme = _attn_learn_figure_get_theme (figure);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autoptr(PangoLayout) layout = NULL;
  AttnLearnBlockNorms norms, layer_norms;
  AttnShape shape;
  guint layer;
  double max = 0, label_w = 40, y0;
  g_autoptr(PangoFontDescription) small = pango_font_description_from_string ("Sans 7");
  cairo_t *cr;

  if (result == NULL || !attn_result_get_shape (result, &shape))
    return;
  layer = MIN (attn_document_get_layer (attn_learn_figure_get_document (figure)), shape.n_layer - 1);
  if (!attn_learn_block_get_norms (self, layer, &norms))
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  layout = gtk_widget_create_pango_layout (widget, NULL);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  cairo_set_line_width (cr, 1.5);

  /* The residual stream: one line down the left. */
  set_rgba (cr, &theme->foreground, 0.6);
  cairo_set_line_width (cr, 4);
  cairo_move_to (cr, STREAM_X, ROW / 2);
  cairo_line_to (cr, STREAM_X, ROW * (DIAGRAM_ROWS - 1) + ROW / 2);
  cairo_stroke (cr);
  cairo_set_line_width (cr, 1.5);

  {
    g_autofree char *in = g_strdup_printf (_("<b>x</b>, the residual stream into layer %u: %u numbers, "
                                             "length %.2f"), layer, shape.n_embd, norms.x);
    g_autofree char *ln = g_strdup_printf (_("length %.2f"), norms.normed);
    g_autofree char *attention_note = g_strdup_printf (_("%u heads × %u numbers; adds a vector of length %.2f"),
                                                       shape.n_head, shape.head_size, norms.attn);
    g_autofree char *add1 = g_strdup_printf (_("x + attention: length %.2f"), norms.mid);
    g_autofree char *mlp = g_strdup_printf (_("MLP %u → %u → %u"), shape.n_embd, shape.n_inner, shape.n_embd);
    g_autofree char *mlp_note = g_strdup_printf (_("adds a vector of length %.2f"), norms.mlp);
    g_autofree char *out = g_strdup_printf (_("into layer %u: length %.2f"), layer + 1, norms.out);

    set_rgba (cr, &theme->foreground, 1);
    show_text (cr, layout, STREAM_X + 16, ROW / 2, in);
    draw_box (cr, layout, theme, width, 1, shape.rms_norm ? "RMSNorm" : "LayerNorm", ln, TRUE);
    draw_box (cr, layout, theme, width, 2, _("Attention"), attention_note, FALSE);
    draw_add (cr, layout, theme, width, 3, shape.parallel
              ? _("the MLP reads the same x (parallel block)") : add1);
    draw_box (cr, layout, theme, width, 4, shape.rms_norm ? "RMSNorm" : "LayerNorm", NULL, TRUE);
    draw_box (cr, layout, theme, width, 5, mlp, mlp_note, FALSE);
    draw_add (cr, layout, theme, width, 6, out);
  }

  /* Every layer: what attention and the MLP add to this token. */
  for (guint l = 0; l < shape.n_layer; l++)
    if (attn_learn_block_get_norms (self, l, &layer_norms))
      max = MAX (max, MAX (layer_norms.attn, layer_norms.mlp));
  y0 = ROW * DIAGRAM_ROWS + 8;
  set_rgba (cr, &theme->foreground, 1);
  show_text (cr, layout, 0, y0, _("<b>What each layer adds</b>"));
  for (guint l = 0; l < shape.n_layer && max > 0; l++)
    {
      g_autofree char *name = g_strdup_printf ("L%u", l);
      double y = y0 + LAYER_ROW * (l + 1), bar = width - label_w - 60;
      const AttnRgba colors[2] = {
        attn_colormap_lookup (ATTN_COLORMAP_VIRIDIS, 0.85), attn_colormap_lookup (ATTN_COLORMAP_VIRIDIS, 0.35),
      };

      if (!attn_learn_block_get_norms (self, l, &layer_norms))
        continue;
      set_rgba (cr, &theme->foreground, l == layer ? 1 : 0.7);
      show_text (cr, layout, 0, y, name);
      for (guint k = 0; k < 2; k++)
        {
          double v = k == 0 ? layer_norms.attn : layer_norms.mlp;
          g_autofree char *value = g_strdup_printf ("%.1f", v);

          set_rgba (cr, &colors[k], 1);
          cairo_rectangle (cr, label_w, y - 8 + k * 8, MAX (1, bar * v / max), 7);
          cairo_fill (cr);
          set_rgba (cr, &theme->dim, 1);
          pango_layout_set_markup (layout, value, -1);
          cairo_move_to (cr, label_w + MAX (1, bar * v / max) + 4, y - 12 + k * 8);
          cairo_save (cr);
          pango_layout_set_font_description (layout, small);
          pango_cairo_show_layout (cr, layout);
          pango_layout_set_font_description (layout, NULL);
          cairo_restore (cr);
        }
    }
  {
    const AttnRgba attn_color = attn_colormap_lookup (ATTN_COLORMAP_VIRIDIS, 0.85);
    const AttnRgba mlp_color = attn_colormap_lookup (ATTN_COLORMAP_VIRIDIS, 0.35);
    double y = y0 + LAYER_ROW * (shape.n_layer + 1);

    set_rgba (cr, &attn_color, 1);
    cairo_rectangle (cr, label_w, y - 5, 10, 10);
    cairo_fill (cr);
    set_rgba (cr, &theme->foreground, 1);
    show_text (cr, layout, label_w + 14, y, _("attention"));
    set_rgba (cr, &mlp_color, 1);
    cairo_rectangle (cr, label_w + 110, y - 5, 10, 10);
    cairo_fill (cr);
    set_rgba (cr, &theme->foreground, 1);
    show_text (cr, layout, label_w + 124, y, _("MLP"));
  }
  cairo_destroy (cr);
}

static void
attn_learn_block_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  AttnResult *result = _attn_learn_figure_get_result (ATTN_LEARN_FIGURE (widget));
  guint layers = result ? attn_result_get_n_layers (result) : 0;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 260;
      *natural = 600;
    }
  else
    *minimum = *natural = (int) (ROW * DIAGRAM_ROWS + 8 + LAYER_ROW * (layers + 2));
}

static void
attn_learn_block_dispose (GObject *object)
{
  AttnLearnBlock *self = ATTN_LEARN_BLOCK (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->residual, attn_residual_free);

  G_OBJECT_CLASS (attn_learn_block_parent_class)->dispose (object);
}

static void
attn_learn_block_class_init (AttnLearnBlockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_learn_block_dispose;
  widget_class->measure = attn_learn_block_measure;
  widget_class->snapshot = attn_learn_block_snapshot;
  ATTN_LEARN_FIGURE_CLASS (klass)->update = attn_learn_block_update;
}

static void
attn_learn_block_init (AttnLearnBlock *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("A transformer block, with the token's vector lengths"), -1);
}

GtkWidget *
attn_learn_block_new (void)
{
  return g_object_new (ATTN_TYPE_LEARN_BLOCK, NULL);
}
