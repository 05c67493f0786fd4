/* attn-learn-step.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-learn-step"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "attn-learn-step.h"
#include "attn-render.h"
#include "attn-result-vectors.h"
#include "attn-walkthrough-strip.h"

#define MAX_STRIPS 3

struct _AttnLearnStep
{
  AttnLearnFigure    parent_instance;

  AttnLearnStepKind  kind;
  GtkWidget         *box;
  GtkWidget         *formula;
  GtkWidget         *captions[MAX_STRIPS];
  GtkWidget         *strips[MAX_STRIPS];
  GtkWidget         *mask_area;       /* the mask step's small heatmap */
  GtkWidget         *sentence;
  double             value;
};

G_DEFINE_FINAL_TYPE (AttnLearnStep, attn_learn_step, ATTN_TYPE_LEARN_FIGURE)

/* Each step's formula (Pango markup; symbols, not words, so not translated)
 * and the kind of each of its strips. */
static const struct
{
  const char              *formula;
  guint                    n_strips;
  AttnWalkthroughStripKind strips[MAX_STRIPS];
} steps[ATTN_LEARN_N_STEPS] = {
  [ATTN_LEARN_STEP_QKV] = {
    "q = x W<sub>Q</sub>    k = x W<sub>K</sub>    v = x W<sub>V</sub>", 3,
    { ATTN_WALKTHROUGH_STRIP_VECTOR, ATTN_WALKTHROUGH_STRIP_VECTOR, ATTN_WALKTHROUGH_STRIP_VECTOR } },
  [ATTN_LEARN_STEP_SCORES] = {
    "q · k = Σ<sub>d</sub> q<sub>d</sub> k<sub>d</sub>", 2,
    { ATTN_WALKTHROUGH_STRIP_VECTOR, ATTN_WALKTHROUGH_STRIP_VECTOR } },
  [ATTN_LEARN_STEP_SOFTMAX] = {
    "w = softmax(q · k / √d<sub>k</sub>)", 1,
    { ATTN_WALKTHROUGH_STRIP_BARS } },
  [ATTN_LEARN_STEP_SUM] = {
    "o = Σ<sub>j</sub> w<sub>j</sub> v<sub>j</sub>", 1,
    { ATTN_WALKTHROUGH_STRIP_VECTOR } },
  [ATTN_LEARN_STEP_MASK] = {
    "score(i, j) = −∞  for  j &gt; i", 0, { 0 } },
  [ATTN_LEARN_STEP_HEADS] = {
    "MultiHead(x) = Concat(o<sub>1</sub>, …, o<sub>h</sub>) W<sub>O</sub>", 2,
    { ATTN_WALKTHROUGH_STRIP_VECTOR, ATTN_WALKTHROUGH_STRIP_VECTOR } },
};

static double
dot (const float *a,
     const float *b,
     guint        n)
{
  double sum = 0;

  for (guint i = 0; i < n; i++)
    sum += (double) a[i] * b[i];
  return sum;
}

static void
set_strip (AttnLearnStep *self,
           guint          i,
           const char    *caption,
           const float   *values,
           guint          n,
           int            marked)
{
  gtk_label_set_markup (GTK_LABEL (self->captions[i]), caption);
  attn_walkthrough_strip_set_values (ATTN_WALKTHROUGH_STRIP (self->strips[i]), values, 1, n);
  attn_walkthrough_strip_set_marked (ATTN_WALKTHROUGH_STRIP (self->strips[i]), marked);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->strips[i]),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, caption, -1);
}

static void
mask_draw (GtkDrawingArea *area,
           cairo_t        *cr,
           int             width,
           int             height,
           gpointer        data)
{
  AttnLearnFigure *figure = data;
  AttnResult *result = _attn_learn_figure_get_result (figure);
  AttnDocument *document = attn_learn_figure_get_document (figure);
  AttnHeatmapSpec spec;

  if (result == NULL)
    return;
  attn_heatmap_spec_init (&spec, result, attn_document_get_layer (document),
                          attn_document_get_head (document));
  spec.query = _attn_learn_figure_get_query (figure);
  spec.key = _attn_learn_figure_get_key (figure);
  spec.theme = _attn_learn_figure_get_theme (figure);
  spec.show_title = FALSE;
  spec.show_colorbar = FALSE;
  attn_render_heatmap (cr, &spec, width, height);
}

static void
attn_learn_step_update (AttnLearnFigure *figure)
{
  AttnLearnStep *self = ATTN_LEARN_STEP (figure);
  AttnResult *result = _attn_learn_figure_get_result (figure);
  AttnDocument *document = attn_learn_figure_get_document (figure);
  g_autofree char *sentence = NULL;
  g_autofree char *query_text = NULL;
  g_autofree char *key_text = NULL;
  g_autofree float *row = NULL;
  AttnShape shape;
  guint layer, head, T, hs;
  int query, key;
  const float *q, *k, *v, *w;

  self->value = NAN;
  if (self->mask_area != NULL)
    gtk_widget_queue_draw (self->mask_area);
  if (result == NULL || !attn_result_get_shape (result, &shape))
    {
      gtk_label_set_text (GTK_LABEL (self->sentence), _("No sentence has been computed yet."));
      _attn_learn_figure_set_description (figure, _("No sentence has been computed yet."));
      return;
    }

  layer = attn_document_get_layer (document);
  head = attn_document_get_head (document);
  T = attn_result_get_n_tokens (result);
  hs = shape.head_size;
  query = _attn_learn_figure_get_query (figure);
  key = _attn_learn_figure_get_key (figure);
  query_text = _attn_learn_dup_token (result, query);
  key_text = _attn_learn_dup_token (result, key);
  q = attn_result_get_vector (result, ATTN_VECTOR_Q, layer, head, query, NULL);
  k = attn_result_get_vector (result, ATTN_VECTOR_K, layer, head, key, NULL);
  v = attn_result_get_vector (result, ATTN_VECTOR_V, layer, head, key, NULL);
  w = attn_result_get_weights (result, layer, head);
  if (q == NULL || k == NULL || v == NULL || w == NULL)
    return;
  w += (gsize) query * T;

  switch (self->kind)
    {
    case ATTN_LEARN_STEP_QKV:
      {
        g_autofree char *cq = g_strdup_printf (_("q of %s · %u numbers"), query_text, hs);
        g_autofree char *ck = g_strdup_printf (_("k of %s · %u numbers"), key_text, hs);
        g_autofree char *cv = g_strdup_printf (_("v of %s · %u numbers"), key_text, hs);

        set_strip (self, 0, cq, q, hs, -1);
        set_strip (self, 1, ck, k, hs, -1);
        set_strip (self, 2, cv, v, hs, -1);
        self->value = attn_vector_norm (q, hs);
        sentence = g_strdup_printf (_("Each token's vector of %u numbers is multiplied by three matrices "
                                      "of this head. The query %s asks with q (length %.3f); the key %s "
                                      "answers with k and offers v. Each is d_k = %u numbers long."),
                                    shape.n_embd, query_text, self->value, key_text, hs);
        break;
      }
    case ATTN_LEARN_STEP_SCORES:
      {
        g_autofree float *products = g_new (float, hs);
        g_autofree char *cp = g_strdup_printf (_("q × k, number by number (%s, %s)"), query_text, key_text);
        g_autofree char *cd = g_strdup_printf (_("q · k for every key of %s"), query_text);

        for (guint d = 0; d < hs; d++)
          products[d] = q[d] * k[d];
        row = g_new0 (float, T);
        for (guint j = 0; j < T && (int) j <= query; j++)
          row[j] = dot (q, attn_result_get_vector (result, ATTN_VECTOR_K, layer, head, j, NULL), hs);
        set_strip (self, 0, cp, products, hs, -1);
        set_strip (self, 1, cd, row, (guint) query + 1, key);
        self->value = dot (q, k, hs);
        sentence = g_strdup_printf (_("Multiply q and k number by number and add up: q · k = %.3f for %s "
                                      "and %s. A large positive score means the key matches what the "
                                      "query is looking for."),
                                    self->value, query_text, key_text);
        break;
      }
    case ATTN_LEARN_STEP_SOFTMAX:
      {
        const float *scores = attn_result_get_scores_row (result, layer, head, query);
        g_autofree char *cw = g_strdup_printf (_("weights of %s over the tokens it sees"), query_text);
        g_auto(GStrv) labels = g_new0 (char *, T + 1);

        for (guint j = 0; j < T; j++)
          labels[j] = attn_render_dup_token_label (attn_result_get_token_text (result, j));
        set_strip (self, 0, cw, w, T, key);
        attn_walkthrough_strip_set_labels (ATTN_WALKTHROUGH_STRIP (self->strips[0]),
                                           (const char *const *) labels, scores, _("score"));
        attn_walkthrough_strip_set_first_masked (ATTN_WALKTHROUGH_STRIP (self->strips[0]), query + 1);
        self->value = w[key];
        sentence = g_strdup_printf (_("Dividing by √d_k = √%u keeps the scores in a range where the "
                                      "softmax still spreads weight: q · k = %.3f becomes %.3f. The "
                                      "softmax then turns the row into weights that are positive and add "
                                      "up to 1; %s gets %.3f."),
                                    hs, dot (q, k, hs), scores[key], key_text, self->value);
        break;
      }
    case ATTN_LEARN_STEP_SUM:
      {
        const float *out = attn_result_get_vector (result, ATTN_VECTOR_HEAD_OUTPUT, layer, head, query, NULL);
        g_autofree char *co = g_strdup_printf (_("o of %s · %u numbers"), query_text, hs);

        set_strip (self, 0, co, out, hs, -1);
        self->value = attn_vector_norm (out, hs);
        sentence = g_strdup_printf (_("The head's output for %s is the values of all the tokens it sees, "
                                      "each times its weight, added up. %s contributes %.3f × v; the "
                                      "result has length %.3f."),
                                    query_text, key_text, w[key], self->value);
        break;
      }
    case ATTN_LEARN_STEP_MASK:
      {
        guint masked = 0;

        for (guint j = 0; j < T; j++)
          masked += attn_result_is_masked (result, query, j);
        self->value = masked;
        sentence = g_strdup_printf (ngettext ("This model writes left to right, so a token may not look "
                                              "ahead: the hatched cells are set to −∞ before the softmax "
                                              "and get weight exactly 0. %s sees %u tokens; %u is hidden "
                                              "from it.",
                                              "This model writes left to right, so a token may not look "
                                              "ahead: the hatched cells are set to −∞ before the softmax "
                                              "and get weight exactly 0. %s sees %u tokens; %u are hidden "
                                              "from it.", masked),
                                    query_text, T - masked, masked);
        break;
      }
    case ATTN_LEARN_STEP_HEADS:
      {
        const float *out = attn_result_get_vector (result, ATTN_VECTOR_ATTN_OUTPUT, layer, 0, query, NULL);
        g_autofree char *cj = g_strdup_printf (_("all %u heads' outputs for %s, joined · %u numbers"),
                                               shape.n_head, query_text, shape.n_head * hs);
        g_autofree char *co = g_strdup_printf (_("times W_O · %u numbers, added to the residual stream"),
                                               shape.n_embd);

        row = g_new (float, shape.n_head * hs);
        for (guint h = 0; h < shape.n_head; h++)
          memcpy (row + h * hs, attn_result_get_vector (result, ATTN_VECTOR_HEAD_OUTPUT, layer, h, query, NULL),
                  hs * sizeof (float));
        set_strip (self, 0, cj, row, shape.n_head * hs, -1);
        attn_walkthrough_strip_set_marked_range (ATTN_WALKTHROUGH_STRIP (self->strips[0]), head * hs, hs);
        set_strip (self, 1, co, out, shape.n_embd, -1);
        self->value = attn_vector_norm (out, shape.n_embd);
        sentence = g_strdup_printf (_("Layer %u runs %u heads side by side, each with its own W_Q, W_K "
                                      "and W_V. Their outputs are joined (this head's part is outlined) "
                                      "and multiplied by W_O into one vector of %u numbers, length "
                                      "%.3f, which is added to %s's vector."),
                                    layer, shape.n_head, shape.n_embd, self->value, query_text);
        break;
      }
    default:
      g_assert_not_reached ();
    }

  gtk_label_set_text (GTK_LABEL (self->sentence), sentence);
  _attn_learn_figure_set_description (figure, sentence);
}

static void
attn_learn_step_dispose (GObject *object)
{
  AttnLearnStep *self = ATTN_LEARN_STEP (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (attn_learn_step_parent_class)->dispose (object);
}

static void
attn_learn_step_class_init (AttnLearnStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_learn_step_dispose;
  ATTN_LEARN_FIGURE_CLASS (klass)->update = attn_learn_step_update;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
attn_learn_step_init (AttnLearnStep *self)
{
  self->value = NAN;
}

GtkWidget *
attn_learn_step_new (AttnLearnStepKind kind)
{
  AttnLearnStep *self;

  g_return_val_if_fail (kind < ATTN_LEARN_N_STEPS, NULL);

  self = g_object_new (ATTN_TYPE_LEARN_STEP, NULL);
  self->kind = kind;
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->formula = gtk_label_new (NULL);
  gtk_label_set_markup (GTK_LABEL (self->formula), steps[kind].formula);
  gtk_label_set_wrap (GTK_LABEL (self->formula), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->formula), 0);
  gtk_widget_add_css_class (self->formula, "learn-formula");
  gtk_box_append (GTK_BOX (self->box), self->formula);

  for (guint i = 0; i < steps[kind].n_strips; i++)
    {
      self->captions[i] = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (self->captions[i]), 0);
      gtk_label_set_wrap (GTK_LABEL (self->captions[i]), TRUE);
      gtk_widget_add_css_class (self->captions[i], "caption");
      gtk_widget_add_css_class (self->captions[i], "dim-label");
      self->strips[i] = attn_walkthrough_strip_new (steps[kind].strips[i], NULL);
      gtk_box_append (GTK_BOX (self->box), self->captions[i]);
      gtk_box_append (GTK_BOX (self->box), self->strips[i]);
    }
  if (kind == ATTN_LEARN_STEP_MASK)
    {
      self->mask_area = gtk_drawing_area_new ();
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self->mask_area), 220);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->mask_area), mask_draw, self, NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->mask_area), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("The head's weights with the masked cells hatched"), -1);
      gtk_box_append (GTK_BOX (self->box), self->mask_area);
    }

  self->sentence = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->sentence), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->sentence), 0);
  gtk_box_append (GTK_BOX (self->box), self->sentence);

  return GTK_WIDGET (self);
}

AttnLearnStepKind
attn_learn_step_get_kind (AttnLearnStep *self)
{
  g_return_val_if_fail (ATTN_IS_LEARN_STEP (self), 0);
  return self->kind;
}

double
_attn_learn_step_get_value (AttnLearnStep *self)
{
  g_return_val_if_fail (ATTN_IS_LEARN_STEP (self), NAN);
  return self->value;
}
