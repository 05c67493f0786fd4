/* attn-learn-ablation.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-learn-ablation"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "attn-learn-ablation.h"
#include "attn-predictions.h"

/* A pass per head: all of them on the built-in model (24), the ones that
 * look hardest on a large one, so a keystroke never costs hundreds. */
#define MAX_HEADS 64
/* "Looks hard": at least this much weight on one token. */
#define HIGH_WEIGHT 0.5
#define PLOT_H 170.0
#define MARGIN_L 44.0
#define MARGIN_B 22.0

struct _AttnLearnAblation
{
  AttnLearnFigure  parent_instance;

  GtkWidget       *box;
  GtkWidget       *intro;
  GtkWidget       *plot;
  GtkWidget       *rows[ATTN_LEARN_N_PICKS];
  GtkWidget       *labels[ATTN_LEARN_N_PICKS];
  GtkWidget       *buttons[ATTN_LEARN_N_PICKS];

  /* what the effects are (or are being computed) for */
  AttnEngine      *engine;
  char            *text;
  guint            position;
  AttnHeadEffects *effects;
  GCancellable    *cancellable;    /* non-NULL while a computation runs */
  GPtrArray       *running;        /* the cancellables of every computation not yet back */
  int              picks[ATTN_LEARN_N_PICKS];   /* indices into effects; -1 none */
};

G_DEFINE_FINAL_TYPE (AttnLearnAblation, attn_learn_ablation, ATTN_TYPE_LEARN_FIGURE)

enum {
  OPEN_ABLATION,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
choose_picks (AttnLearnAblation *self)
{
  const AttnHeadEffects *e = self->effects;
  int idle = -1, matters = -1;
  guint n_high = 0;

  self->picks[ATTN_LEARN_PICK_IDLE] = self->picks[ATTN_LEARN_PICK_MATTERS] = -1;
  if (e == NULL || e->n_effects < 2)
    return;
  /* The effects come by falling weight: the heads that look hard are a
   * prefix, or, when none reaches HIGH_WEIGHT, the top quarter. */
  while (n_high < e->n_effects && e->effects[n_high].weight >= HIGH_WEIGHT)
    n_high++;
  if (n_high == 0)
    n_high = MAX (1, e->n_effects / 4);
  for (guint i = 0; i < n_high; i++)
    if (idle < 0 || fabs (e->effects[i].delta) < fabs (e->effects[idle].delta))
      idle = (int) i;
  for (guint i = 0; i < e->n_effects; i++)
    if ((int) i != idle && (matters < 0 || fabs (e->effects[i].delta) > fabs (e->effects[matters].delta)))
      matters = (int) i;
  self->picks[ATTN_LEARN_PICK_IDLE] = idle;
  self->picks[ATTN_LEARN_PICK_MATTERS] = matters;
}

static char *
quoted (const char *text)
{
  g_autofree char *label = attn_render_dup_token_label (text);

  /* Translators: a token quoted in running text */
  return g_strdup_printf (_("“%s”"), label);
}

/* The labels, the rows and the description from the effects. */
static void
show_effects (AttnLearnAblation *self,
              AttnResult        *result)
{
  AttnLearnFigure *figure = ATTN_LEARN_FIGURE (self);
  const AttnHeadEffects *e = self->effects;
  g_autoptr(GString) description = g_string_new (NULL);
  g_autofree char *after = NULL;
  g_autofree char *target = NULL;
  g_autofree char *intro = NULL;

  for (guint p = 0; p < ATTN_LEARN_N_PICKS; p++)
    gtk_widget_set_visible (self->rows[p], e != NULL && self->picks[p] >= 0);
  gtk_widget_set_visible (self->plot, e != NULL);
  gtk_widget_queue_draw (self->plot);
  if (e == NULL)
    return;

  after = _attn_learn_dup_token (result, (int) e->position);
  target = quoted (e->target_text);
  intro = g_strdup_printf (_("After %s the model predicts %s (log-probability %.2f). Each dot is one "
                             "head: across, the largest weight it gives from %s to one token; up or "
                             "down, how the log-probability of %s moves when that head alone is "
                             "switched off (%u heads measured)."),
                           after, target, e->intact_logprob, after, target, e->n_effects);
  gtk_label_set_text (GTK_LABEL (self->intro), intro);
  g_string_append (description, intro);

  for (guint p = 0; p < ATTN_LEARN_N_PICKS; p++)
    {
      const AttnHeadEffect *effect = attn_learn_ablation_get_pick (self, p);
      g_autofree char *key = NULL;
      g_autofree char *text = NULL;
      g_autofree char *markup = NULL;

      if (effect == NULL)
        continue;
      key = _attn_learn_dup_token (result, (int) effect->key);
      text = g_strdup_printf (p == ATTN_LEARN_PICK_IDLE
                                ? _("Looks hard, changes little: layer %u, head %u gives %.2f of its "
                                    "weight to %s; switched off, the log-probability of %s changes by "
                                    "%+.2f.")
                                : _("Changes the prediction: layer %u, head %u gives %.2f of its "
                                    "weight to %s; switched off, the log-probability of %s changes by "
                                    "%+.2f."),
                              effect->layer, effect->head, effect->weight, key, target, effect->delta);
      markup = g_markup_escape_text (text, -1);
      gtk_label_set_markup (GTK_LABEL (self->labels[p]), markup);
      g_string_append_c (description, ' ');
      g_string_append (description, text);
    }
  _attn_learn_figure_set_description (figure, description->str);
}

static void
clear_effects (AttnLearnAblation *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->effects, attn_head_effects_free);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->text, g_free);
  self->picks[ATTN_LEARN_PICK_IDLE] = self->picks[ATTN_LEARN_PICK_MATTERS] = -1;
}

static void
effects_done_cb (GObject      *source,
                 GAsyncResult *async_result,
                 gpointer      user_data)
{
  g_autoptr(AttnLearnAblation) self = user_data;
  g_autoptr(GError) error = NULL;
  AttnHeadEffects *effects = attn_head_effects_compute_finish (async_result, &error);
  AttnResult *result;

  if (self->running != NULL)
    g_ptr_array_remove (self->running, g_task_get_cancellable (G_TASK (async_result)));

  /* A newer request cancelled this one (and owns self->cancellable). */
  if (effects == NULL && (g_error_matches (error, ATTN_ENGINE_ERROR, ATTN_ENGINE_ERROR_CANCELLED)
                          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    return;
  if (g_task_get_cancellable (G_TASK (async_result)) != self->cancellable)
    {
      attn_head_effects_free (effects);
      return;
    }
  g_clear_object (&self->cancellable);
  result = _attn_learn_figure_get_result (ATTN_LEARN_FIGURE (self));
  if (effects == NULL)
    {
      _attn_learn_figure_set_description (ATTN_LEARN_FIGURE (self), error->message);
      gtk_label_set_text (GTK_LABEL (self->intro), error->message);
      return;
    }
  self->effects = effects;
  choose_picks (self);
  show_effects (self, result);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
attn_learn_ablation_update (AttnLearnFigure *figure)
{
  AttnLearnAblation *self = ATTN_LEARN_ABLATION (figure);
  AttnResult *result = _attn_learn_figure_get_result (figure);
  AttnEngine *engine = result ? attn_result_get_engine (result) : NULL;
  int position = _attn_learn_figure_get_query (figure);

  if (result == NULL || engine == NULL)
    {
      clear_effects (self);
      show_effects (self, NULL);
      gtk_label_set_text (GTK_LABEL (self->intro), "");
      _attn_learn_figure_set_description (figure, _("No sentence has been computed yet."));
      return;
    }
  if (!attn_result_has_predictions (result))
    {
      const char *text = _("This model has no output head, so there is no prediction for switching "
                           "heads off to change.");

      clear_effects (self);
      show_effects (self, NULL);
      gtk_label_set_text (GTK_LABEL (self->intro), text);
      _attn_learn_figure_set_description (figure, text);
      return;
    }
  /* Already measured (or being measured) for this text, model and token:
   * the layer, head or key changed, which the figure does not show. */
  if (self->engine == engine && self->position == (guint) position
      && g_strcmp0 (self->text, attn_result_get_text (result)) == 0)
    {
      if (self->effects != NULL)
        show_effects (self, result);
      return;
    }
  /* Measured only while the tour is on screen: a pass per head per
   * keystroke is work no one would see. */
  clear_effects (self);
  show_effects (self, NULL);
  gtk_label_set_text (GTK_LABEL (self->intro), _("Switching each head off in turn…"));
  _attn_learn_figure_set_description (figure, _("Switching each head off in turn…"));
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  self->engine = g_object_ref (engine);
  self->text = g_strdup (attn_result_get_text (result));
  self->position = (guint) position;
  self->cancellable = g_cancellable_new ();
  g_ptr_array_add (self->running, g_object_ref (self->cancellable));
  attn_head_effects_compute_async (engine, self->text, self->position, MAX_HEADS,
                                   self->cancellable, effects_done_cb, g_object_ref (self));
}

static void
attn_learn_ablation_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (attn_learn_ablation_parent_class)->map (widget);
  attn_learn_ablation_update (ATTN_LEARN_FIGURE (widget));
}

/* Weight across (0 to 1), Δ up and down around 0. */
static void
plot_draw (GtkDrawingArea *area,
           cairo_t        *cr,
           int             width,
           int             height,
           gpointer        data)
{
  AttnLearnAblation *self = data;
  const AttnTheme *theme = _attn_learn_figure_get_theme (ATTN_LEARN_FIGURE (self));
  const AttnHeadEffects *e = self->effects;
  g_autoptr(PangoLayout) layout = NULL;
  double range = 0.1, margin_l = MARGIN_L, plot_w, plot_h = height - MARGIN_B - 8;
  g_autofree char *top = NULL;
  g_autofree char *bottom = NULL;
  int label_w;

  if (e == NULL)
    return;
  for (guint i = 0; i < e->n_effects; i++)
    range = MAX (range, fabs (e->effects[i].delta));
  range *= 1.1;
  top = g_strdup_printf ("%+.2f", range);
  bottom = g_strdup_printf ("%+.2f", -range);

  /* The left margin holds the widest axis label ("Δ log p" ran into the
   * axis at a fixed margin), so the plot starts after it. */
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), NULL);
  for (guint i = 0; i < 3; i++)
    {
      pango_layout_set_text (layout, i == 0 ? top : i == 1 ? bottom : _("Δ log p"), -1);
      pango_layout_get_pixel_size (layout, &label_w, NULL);
      margin_l = MAX (margin_l, label_w + 6);
    }
  plot_w = width - margin_l - 12;
  if (plot_w < 40)
    return;
#define X(w) (margin_l + (w) * plot_w)
#define Y(d) (4 + plot_h / 2 - (d) / range * plot_h / 2)

  cairo_set_line_width (cr, 1);
  cairo_set_source_rgba (cr, theme->dim.r, theme->dim.g, theme->dim.b, 0.6);
  cairo_move_to (cr, X (0), Y (0) + 0.5);
  cairo_line_to (cr, X (1), Y (0) + 0.5);
  cairo_move_to (cr, X (0) + 0.5, 4);
  cairo_line_to (cr, X (0) + 0.5, 4 + plot_h);
  cairo_move_to (cr, X (HIGH_WEIGHT) + 0.5, 4);
  cairo_line_to (cr, X (HIGH_WEIGHT) + 0.5, 4 + plot_h);
  cairo_stroke (cr);

  /* axis labels: the Δ range on the left, the weight along the bottom */
  cairo_set_source_rgba (cr, theme->dim.r, theme->dim.g, theme->dim.b, 1);
  pango_layout_set_text (layout, top, -1);
  cairo_move_to (cr, 0, 2);
  pango_cairo_show_layout (cr, layout);
  pango_layout_set_text (layout, bottom, -1);
  cairo_move_to (cr, 0, plot_h - 14);
  pango_cairo_show_layout (cr, layout);
  pango_layout_set_text (layout, "0", -1);
  cairo_move_to (cr, X (0) - 4, height - MARGIN_B + 4);
  pango_cairo_show_layout (cr, layout);
  pango_layout_set_text (layout, "1", -1);
  cairo_move_to (cr, X (1) - 4, height - MARGIN_B + 4);
  pango_cairo_show_layout (cr, layout);
  /* Translators: the ablation plot's axes */
  pango_layout_set_text (layout, _("weight →"), -1);
  cairo_move_to (cr, X (0.5) - 20, height - MARGIN_B + 4);
  pango_cairo_show_layout (cr, layout);
  pango_layout_set_text (layout, _("Δ log p"), -1);
  cairo_move_to (cr, 0, Y (0) - 8);
  pango_cairo_show_layout (cr, layout);

  for (guint i = 0; i < e->n_effects; i++)
    {
      cairo_set_source_rgba (cr, theme->foreground.r, theme->foreground.g, theme->foreground.b, 0.45);
      cairo_arc (cr, X (e->effects[i].weight), Y (e->effects[i].delta), 3, 0, 2 * G_PI);
      cairo_fill (cr);
    }
  for (guint p = 0; p < ATTN_LEARN_N_PICKS; p++)
    {
      const AttnHeadEffect *effect = attn_learn_ablation_get_pick (self, p);
      g_autofree char *name = NULL;
      double x, y;

      if (effect == NULL)
        continue;
      x = X (effect->weight);
      y = Y (effect->delta);
      cairo_set_source_rgba (cr, theme->accent.r, theme->accent.g, theme->accent.b, 1);
      cairo_arc (cr, x, y, 5, 0, 2 * G_PI);
      cairo_fill (cr);
      name = g_strdup_printf ("L%u H%u", effect->layer, effect->head);
      pango_layout_set_text (layout, name, -1);
      cairo_move_to (cr, x + 8 > width - 50 ? x - 56 : x + 8, y - 8);
      pango_cairo_show_layout (cr, layout);
    }
#undef X
#undef Y
}

static void
button_cb (GtkButton         *button,
           AttnLearnAblation *self)
{
  const AttnHeadEffect *effect = attn_learn_ablation_get_pick (self,
                                   GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "pick")));

  if (effect != NULL)
    g_signal_emit (self, signals[OPEN_ABLATION], 0, effect->layer, effect->head, self->effects->position);
}

/* No pass may outlive the window: the process may exit right after it
 * goes (a pass still in the BLAS then crashes), and the callbacks hold the
 * figure.  Cancelled, a pass stops within one work item. */
static void
stop_all (AttnLearnAblation *self)
{
  clear_effects (self);
  for (guint i = 0; self->running != NULL && i < self->running->len; i++)
    {
      g_cancellable_cancel (g_ptr_array_index (self->running, i));
      attn_head_effects_wait (g_ptr_array_index (self->running, i));
    }
}

static void
attn_learn_ablation_unroot (GtkWidget *widget)
{
  stop_all (ATTN_LEARN_ABLATION (widget));
  GTK_WIDGET_CLASS (attn_learn_ablation_parent_class)->unroot (widget);
}

static void
attn_learn_ablation_dispose (GObject *object)
{
  AttnLearnAblation *self = ATTN_LEARN_ABLATION (object);

  stop_all (self);
  g_clear_pointer (&self->running, g_ptr_array_unref);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (attn_learn_ablation_parent_class)->dispose (object);
}

static void
attn_learn_ablation_class_init (AttnLearnAblationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_learn_ablation_dispose;
  widget_class->map = attn_learn_ablation_map;
  widget_class->unroot = attn_learn_ablation_unroot;
  ATTN_LEARN_FIGURE_CLASS (klass)->update = attn_learn_ablation_update;

  /**
   * AttnLearnAblation::open-ablation:
   * @layer: the head's layer
   * @head: the head
   * @position: the token whose prediction was measured
   *
   * A button asks for the Predict view at @position with that head off.
   */
  signals [OPEN_ABLATION] =
    g_signal_new ("open-ablation", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
attn_learn_ablation_init (AttnLearnAblation *self)
{
  static const char *names[ATTN_LEARN_N_PICKS] = { "ablation-idle", "ablation-matters" };

  self->picks[ATTN_LEARN_PICK_IDLE] = self->picks[ATTN_LEARN_PICK_MATTERS] = -1;
  self->running = g_ptr_array_new_with_free_func (g_object_unref);
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->intro = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->intro), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->intro), 0);
  gtk_box_append (GTK_BOX (self->box), self->intro);

  self->plot = gtk_drawing_area_new ();
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self->plot), (int) PLOT_H);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->plot), plot_draw, self, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->plot), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Each head's weight against what switching it off changes"), -1);
  gtk_widget_set_visible (self->plot, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->plot);

  for (guint p = 0; p < ATTN_LEARN_N_PICKS; p++)
    {
      GtkWidget *child;

      self->rows[p] = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      self->labels[p] = gtk_label_new (NULL);
      gtk_label_set_wrap (GTK_LABEL (self->labels[p]), TRUE);
      gtk_label_set_xalign (GTK_LABEL (self->labels[p]), 0);
      self->buttons[p] = gtk_button_new_with_label (_("Open in Predict With This Head Off"));
      child = gtk_button_get_child (GTK_BUTTON (self->buttons[p]));
      gtk_label_set_wrap (GTK_LABEL (child), TRUE);
      gtk_widget_set_name (self->buttons[p], names[p]);
      gtk_widget_set_halign (self->buttons[p], GTK_ALIGN_START);
      g_object_set_data (G_OBJECT (self->buttons[p]), "pick", GUINT_TO_POINTER (p));
      g_signal_connect (self->buttons[p], "clicked", G_CALLBACK (button_cb), self);
      gtk_box_append (GTK_BOX (self->rows[p]), self->labels[p]);
      gtk_box_append (GTK_BOX (self->rows[p]), self->buttons[p]);
      gtk_widget_set_visible (self->rows[p], FALSE);
      gtk_box_append (GTK_BOX (self->box), self->rows[p]);
    }
}

GtkWidget *
attn_learn_ablation_new (void)
{
  return g_object_new (ATTN_TYPE_LEARN_ABLATION, NULL);
}

const AttnHeadEffects *
attn_learn_ablation_get_effects (AttnLearnAblation *self)
{
  g_return_val_if_fail (ATTN_IS_LEARN_ABLATION (self), NULL);
  return self->effects;
}

const AttnHeadEffect *
attn_learn_ablation_get_pick (AttnLearnAblation *self,
                              AttnLearnPick      pick)
{
  g_return_val_if_fail (ATTN_IS_LEARN_ABLATION (self), NULL);
  g_return_val_if_fail (pick < ATTN_LEARN_N_PICKS, NULL);

  if (self->effects == NULL || self->picks[pick] < 0)
    return NULL;
  return &self->effects->effects[self->picks[pick]];
}
