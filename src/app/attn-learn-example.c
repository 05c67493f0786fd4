/* attn-learn-example.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-learn-example"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "attn-learn-example.h"

#define ROWS 6
#define BAR_H 11.0
#define NAME_W 64.0
/* trophy, suitcase, and the words after "it" */
#define N_PARTS 3

struct _AttnLearnExample
{
  AttnLearnFigure parent_instance;

  int             it;
  int             noun_first[2], noun_end[2];   /* token ranges [first, end) */
  guint           n_layers, n_heads;
  double         *weights;                      /* (N_PARTS, L, NH) */
  gboolean        bidirectional;                /* "it" sees the words after it */
  guint           order[ROWS];                  /* heads drawn, strongest first */
  guint           n_rows;
};

G_DEFINE_FINAL_TYPE (AttnLearnExample, attn_learn_example, ATTN_TYPE_LEARN_FIGURE)

/* The tokens of the last whole-word occurrence of @word among those read:
 * [*first, *end); FALSE when there is none. */
static gboolean
find_word (AttnResult *result,
           const char *word,
           int        *first,
           int        *end)
{
  const char *text = attn_result_get_text (result);
  gsize read, len = strlen (word);

  attn_result_get_truncated (result, &read);
  for (const char *p = g_strrstr_len (text, read, word); p != NULL;
       p = p > text ? g_strrstr_len (text, p - text + len - 1, word) : NULL)
    {
      gsize start = p - text, stop = start + len;

      if ((p > text && g_ascii_isalnum (p[-1])) || g_ascii_isalnum (p[len]))
        continue;
      *first = *end = -1;
      for (guint i = 0; i < attn_result_get_n_tokens (result); i++)
        {
          gsize s, e;

          attn_result_get_token_span (result, i, &s, &e);
          if (s < stop && e > start)
            {
              if (*first < 0)
                *first = (int) i;
              *end = (int) i + 1;
            }
        }
      if (*first >= 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
has_example (AttnLearnExample *self)
{
  return self->weights != NULL;
}

static const char *
not_example_text (void)
{
  return _("The sentence is not the example: load it to see where “it” looks.");
}

/* Without the example the card says so in words: an empty card looked like
 * a figure that had failed to draw. */
static PangoLayout *
not_example_layout (GtkWidget *widget,
                    int        width)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, not_example_text ());

  pango_layout_set_width (layout, MAX (width, 1) * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  return layout;
}

static double
weight_of (AttnLearnExample *self,
           guint             noun,
           guint             index)
{
  return self->weights[noun * self->n_layers * self->n_heads + index];
}

static void
attn_learn_example_update (AttnLearnFigure *figure)
{
  AttnLearnExample *self = ATTN_LEARN_EXAMPLE (figure);
  AttnResult *result = _attn_learn_figure_get_result (figure);
  g_autofree char *description = NULL;
  int it_first, it_end;
  guint n, prefer = 0, T;
  double mean[N_PARTS] = { 0, 0, 0 };
  gsize it_stop;

  g_clear_pointer (&self->weights, g_free);
  self->n_rows = 0;
  if (result == NULL
      || !find_word (result, "it", &it_first, &it_end)
      || !find_word (result, "trophy", &self->noun_first[0], &self->noun_end[0])
      || !find_word (result, "suitcase", &self->noun_first[1], &self->noun_end[1])
      || self->noun_end[0] > it_first || self->noun_end[1] > it_first)
    {
      _attn_learn_figure_set_description (figure, not_example_text ());
      return;
    }

  self->it = it_end - 1;
  self->n_layers = attn_result_get_n_layers (result);
  self->n_heads = attn_result_get_n_heads (result);
  self->bidirectional = attn_result_is_bidirectional (result);
  n = self->n_layers * self->n_heads;
  T = attn_result_get_n_tokens (result);
  attn_result_get_token_span (result, self->it, &(gsize) { 0 }, &it_stop);
  self->weights = g_new0 (double, N_PARTS * n);
  for (guint index = 0; index < n; index++)
    {
      const float *row = attn_result_get_weights (result, index / self->n_heads, index % self->n_heads)
                         + (gsize) self->it * T;

      for (guint noun = 0; noun < 2; noun++)
        for (int j = self->noun_first[noun]; j < self->noun_end[noun]; j++)
          self->weights[noun * n + index] += row[j];
      /* the words after "it", not an encoder's closing [SEP] (no text) */
      for (guint j = self->it + 1; j < T; j++)
        {
          gsize start, end;

          attn_result_get_token_span (result, j, &start, &end);
          if (end > start && start >= it_stop)
            self->weights[2 * n + index] += row[j];
        }
      for (guint part = 0; part < N_PARTS; part++)
        mean[part] += self->weights[part * n + index] / n;
      prefer += weight_of (self, 0, index) > weight_of (self, 1, index);
    }

  /* The heads that look at the two nouns most, strongest first. */
  for (guint r = 0; r < MIN (ROWS, n); r++)
    {
      int best = -1;

      for (guint index = 0; index < n; index++)
        {
          gboolean taken = FALSE;

          for (guint k = 0; k < r; k++)
            taken |= self->order[k] == index;
          if (!taken && (best < 0 || weight_of (self, 0, index) + weight_of (self, 1, index)
                                     > weight_of (self, 0, best) + weight_of (self, 1, best)))
            best = (int) index;
        }
      self->order[r] = (guint) best;
      self->n_rows = r + 1;
    }

  description = g_strdup_printf (_("Where “it” looks in each of the %u heads: averaged over all heads it "
                                   "gives %.3f to “trophy” and %.3f to “suitcase”; %u heads prefer "
                                   "“trophy”. The strongest is layer %u, head %u: %.3f and %.3f."),
                                 n, mean[0], mean[1], prefer, self->order[0] / self->n_heads,
                                 self->order[0] % self->n_heads,
                                 weight_of (self, 0, self->order[0]), weight_of (self, 1, self->order[0]));
  {
    g_autofree char *later = self->bidirectional
      ? g_strdup_printf (_(" It reads both ways: averaged over all heads, it gives %.3f to the words "
                           "after it, which a left-to-right model cannot see."), mean[2])
      : g_strdup (_(" The words after it get weight 0: this model reads left to right."));
    g_autofree char *joined = g_strconcat (description, later, NULL);

    _attn_learn_figure_set_description (figure, joined);
  }
}

/* Two bars a head, three when "it" can see the words after it. */
static guint
n_bars (AttnLearnExample *self)
{
  return self->bidirectional ? 3 : 2;
}

static double
row_height (AttnLearnExample *self)
{
  return 4 + BAR_H * n_bars (self);
}

static void
attn_learn_example_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  AttnLearnExample *self = ATTN_LEARN_EXAMPLE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 560;
    }
  else if (has_example (self))
    *minimum = *natural = (int) (row_height (self) * self->n_rows + 26 + 4);
  else
    {
      g_autoptr(PangoLayout) layout = not_example_layout (widget, for_size > 0 ? for_size : 560);

      pango_layout_get_pixel_size (layout, NULL, natural);
      *minimum = *natural;
    }
}

static void
attn_learn_example_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  AttnLearnExample *self = ATTN_LEARN_EXAMPLE (widget);
  const AttnTheme *theme = _attn_learn_figure_get_theme (ATTN_LEARN_FIGURE (self));
  const AttnRgba colors[N_PARTS] = {
    attn_colormap_lookup (ATTN_COLORMAP_VIRIDIS, 0.85), attn_colormap_lookup (ATTN_COLORMAP_VIRIDIS, 0.35),
    attn_colormap_lookup (ATTN_COLORMAP_VIRIDIS, 0.6),
  };
  const char *names[N_PARTS] = { _("trophy"), _("suitcase"), _("after “it”") };
  int width = gtk_widget_get_width (widget);
  g_autoptr(PangoLayout) layout = NULL;
  double bar_w;
  cairo_t *cr;

  if (!has_example (self))
    {
      GdkRGBA dim = { theme->dim.r, theme->dim.g, theme->dim.b, 1 };

      layout = not_example_layout (widget, width);
      gtk_snapshot_append_layout (snapshot, layout, &dim);
      return;
    }
  if (width <= NAME_W + 40)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, gtk_widget_get_height (widget)));
  layout = gtk_widget_create_pango_layout (widget, NULL);
  bar_w = width - NAME_W - 56;

  /* The legend: which colour is which noun. */
  for (guint noun = 0; noun < n_bars (self); noun++)
    {
      double x = NAME_W + noun * 120;

      cairo_set_source_rgba (cr, colors[noun].r, colors[noun].g, colors[noun].b, 1);
      cairo_rectangle (cr, x, 6, 12, 12);
      cairo_fill (cr);
      pango_layout_set_text (layout, names[noun], -1);
      cairo_set_source_rgba (cr, theme->foreground.r, theme->foreground.g, theme->foreground.b, 1);
      cairo_move_to (cr, x + 18, 2);
      pango_cairo_show_layout (cr, layout);
    }

  for (guint r = 0; r < self->n_rows; r++)
    {
      guint index = self->order[r];
      double y = 26 + row_height (self) * r;
      g_autofree char *name = g_strdup_printf ("L%u H%u", index / self->n_heads, index % self->n_heads);

      pango_layout_set_text (layout, name, -1);
      cairo_set_source_rgba (cr, theme->foreground.r, theme->foreground.g, theme->foreground.b, 1);
      cairo_move_to (cr, 0, y + 3);
      pango_cairo_show_layout (cr, layout);
      for (guint noun = 0; noun < n_bars (self); noun++)
        {
          double w = weight_of (self, noun, index);
          g_autofree char *value = g_strdup_printf ("%.2f", w);

          cairo_set_source_rgba (cr, colors[noun].r, colors[noun].g, colors[noun].b, 1);
          cairo_rectangle (cr, NAME_W, y + 2 + noun * BAR_H, MAX (1, bar_w * CLAMP (w, 0, 1)), BAR_H - 1);
          cairo_fill (cr);
          pango_layout_set_text (layout, value, -1);
          cairo_set_source_rgba (cr, theme->dim.r, theme->dim.g, theme->dim.b, 1);
          cairo_move_to (cr, NAME_W + MAX (1, bar_w * CLAMP (w, 0, 1)) + 4, y + noun * BAR_H - 3);
          pango_cairo_show_layout (cr, layout);
        }
    }
  cairo_destroy (cr);
}

static void
attn_learn_example_finalize (GObject *object)
{
  AttnLearnExample *self = ATTN_LEARN_EXAMPLE (object);

  g_clear_pointer (&self->weights, g_free);

  G_OBJECT_CLASS (attn_learn_example_parent_class)->finalize (object);
}

static void
attn_learn_example_class_init (AttnLearnExampleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = attn_learn_example_finalize;
  widget_class->measure = attn_learn_example_measure;
  widget_class->snapshot = attn_learn_example_snapshot;
  ATTN_LEARN_FIGURE_CLASS (klass)->update = attn_learn_example_update;
}

static void
attn_learn_example_init (AttnLearnExample *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Where “it” looks, head by head"), -1);
}

GtkWidget *
attn_learn_example_new (void)
{
  return g_object_new (ATTN_TYPE_LEARN_EXAMPLE, NULL);
}

gboolean
attn_learn_example_get_tokens (AttnLearnExample *self,
                               int              *it,
                               int              *trophy,
                               int              *suitcase)
{
  g_return_val_if_fail (ATTN_IS_LEARN_EXAMPLE (self), FALSE);

  if (!has_example (self))
    return FALSE;
  *it = self->it;
  *trophy = self->noun_first[0];
  *suitcase = self->noun_first[1];
  return TRUE;
}

double
attn_learn_example_get_weight (AttnLearnExample *self,
                               guint             noun,
                               guint             layer,
                               guint             head)
{
  g_return_val_if_fail (ATTN_IS_LEARN_EXAMPLE (self), NAN);

  if (!has_example (self) || noun >= N_PARTS || layer >= self->n_layers || head >= self->n_heads)
    return NAN;
  return weight_of (self, noun, layer * self->n_heads + head);
}
