/* attn-walkthrough-strip.c
 *
 * Copyright 2026 The Attention authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "attn-walkthrough-strip"

#include "config.h"

#include <math.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "attn-render.h"
#include "attn-walkthrough-strip.h"

#define CELL          14.0    /* a vector's cell, px */
#define NATURAL_WIDTH 448.0   /* 32 cells: what a strip asks for at most */
#define MATRIX_MAX_H  120.0
#define MATRIX_MIN_H  24.0
#define BARS_H        110.0
#define LABEL_H       18.0
#define MARK_H        8.0     /* the ▼ above this key's bar */
#define LABEL_MIN_BAR 34.0    /* bars this wide carry their token's label */

struct _AttnWalkthroughStrip
{
  GtkWidget                 parent_instance;

  AttnWalkthroughStripKind  kind;
  float                    *values;      /* (n_rows, n_cols) */
  guint                     n_rows;
  guint                     n_cols;
  int                       marked;
  guint                     n_marked;    /* entries from marked on that are outlined */
  guint                     first_masked;
  char                    **labels;      /* (n_cols,) or NULL */
  float                    *secondary;   /* (n_cols,) or NULL */
  char                     *secondary_name;
};

G_DEFINE_FINAL_TYPE (AttnWalkthroughStrip, attn_walkthrough_strip, GTK_TYPE_WIDGET)

static guint
n_values (AttnWalkthroughStrip *self)
{
  return self->n_rows * self->n_cols;
}

static gboolean
is_dark (void)
{
  return adw_style_manager_get_dark (adw_style_manager_get_default ());
}

/* Blue for negative, orange for positive, fading to the background at 0. */
static void
set_diverging (cairo_t *cr,
               double   value,
               double   limit)
{
  static const AttnRgba neg = { 0.16, 0.42, 0.82, 1 }, pos = { 0.88, 0.36, 0.13, 1 };
  AttnRgba zero = is_dark () ? (AttnRgba) { 0.24, 0.24, 0.26, 1 } : (AttnRgba) { 0.93, 0.93, 0.93, 1 };
  const AttnRgba *end = value < 0 ? &neg : &pos;
  double t = limit > 0 ? MIN (fabs (value) / limit, 1.0) : 0.0;

  t = sqrt (t);   /* small values stay visible next to the largest */
  cairo_set_source_rgb (cr,
                        zero.r + (end->r - zero.r) * t,
                        zero.g + (end->g - zero.g) * t,
                        zero.b + (end->b - zero.b) * t);
}

static double
max_abs (AttnWalkthroughStrip *self)
{
  double m = 0.0;

  for (guint i = 0; i < n_values (self); i++)
    m = MAX (m, fabs (self->values[i]));
  return m;
}

static guint
vector_columns (double width)
{
  return MAX (1, (guint) floor (width / CELL));
}

static double
matrix_height (AttnWalkthroughStrip *self,
               double                width)
{
  double cell = self->n_cols > 0 ? width / self->n_cols : CELL;

  return CLAMP (self->n_rows * cell, MATRIX_MIN_H, MATRIX_MAX_H);
}

static gboolean
bars_have_labels (AttnWalkthroughStrip *self,
                  double                width)
{
  return self->labels != NULL && self->n_cols > 0 && width / self->n_cols >= LABEL_MIN_BAR;
}

static void
attn_walkthrough_strip_measure (GtkWidget      *widget,
                                GtkOrientation  orientation,
                                int             for_size,
                                int            *minimum,
                                int            *natural,
                                int            *minimum_baseline,
                                int            *natural_baseline)
{
  AttnWalkthroughStrip *self = ATTN_WALKTHROUGH_STRIP (widget);
  guint n = self->kind == ATTN_WALKTHROUGH_STRIP_VECTOR ? n_values (self) : self->n_cols;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) (CELL * MIN (MAX (n, 1), 8));
      if (self->kind == ATTN_WALKTHROUGH_STRIP_MATRIX)
        *minimum = 48;
      *natural = (int) MIN (NATURAL_WIDTH, CELL * MAX (n, 8) * (self->kind == ATTN_WALKTHROUGH_STRIP_BARS ? 2 : 1));
      if (self->kind == ATTN_WALKTHROUGH_STRIP_MATRIX)
        *natural = MIN (*natural, 140);
      return;
    }

  /* height for the given width (or the natural width when unknown) */
  {
    double width = for_size > 0 ? for_size : NATURAL_WIDTH;
    double height;

    switch (self->kind)
      {
      case ATTN_WALKTHROUGH_STRIP_VECTOR:
        height = ceil ((double) n_values (self) / vector_columns (width)) * CELL;
        break;
      case ATTN_WALKTHROUGH_STRIP_MATRIX:
        height = matrix_height (self, width);
        break;
      case ATTN_WALKTHROUGH_STRIP_BARS:
      default:
        height = MARK_H + BARS_H + (for_size < 0 || bars_have_labels (self, width) ? LABEL_H : 0);
        break;
      }
    *minimum = *natural = (int) ceil (MAX (height, CELL));
  }
}

static GtkSizeRequestMode
attn_walkthrough_strip_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

/* The rectangle of entry @i, as drawn. */
static gboolean
entry_rect (AttnWalkthroughStrip *self,
            guint                 i,
            double                width,
            double               *x,
            double               *y,
            double               *w,
            double               *h)
{
  switch (self->kind)
    {
    case ATTN_WALKTHROUGH_STRIP_VECTOR:
      {
        guint cols = vector_columns (width);

        *x = (i % cols) * CELL;
        *y = (i / cols) * CELL;
        *w = *h = CELL;
        return TRUE;
      }
    case ATTN_WALKTHROUGH_STRIP_MATRIX:
      {
        double cw = width / self->n_cols, ch = matrix_height (self, width) / self->n_rows;

        *x = (i % self->n_cols) * cw;
        *y = (i / self->n_cols) * ch;
        *w = cw;
        *h = ch;
        return TRUE;
      }
    case ATTN_WALKTHROUGH_STRIP_BARS:
    default:
      *w = width / self->n_cols;
      *x = i * *w;
      *y = MARK_H;
      *h = BARS_H;
      return TRUE;
    }
}

int
attn_walkthrough_strip_hit_test (AttnWalkthroughStrip *self,
                                 double                x,
                                 double                y)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));

  g_return_val_if_fail (ATTN_IS_WALKTHROUGH_STRIP (self), -1);

  for (guint i = 0; i < (self->kind == ATTN_WALKTHROUGH_STRIP_BARS ? self->n_cols : n_values (self)); i++)
    {
      double ex, ey, ew, eh;

      entry_rect (self, i, width, &ex, &ey, &ew, &eh);
      if (self->kind == ATTN_WALKTHROUGH_STRIP_BARS)
        {
          ey = 0;
          eh = gtk_widget_get_height (GTK_WIDGET (self));
        }
      if (x >= ex && x < ex + ew && y >= ey && y < ey + eh)
        return (int) i;
    }
  return -1;
}

static void
draw_vector_or_matrix (AttnWalkthroughStrip *self,
                       cairo_t              *cr,
                       double                width)
{
  double limit = max_abs (self);
  gboolean gaps = self->kind == ATTN_WALKTHROUGH_STRIP_VECTOR;

  for (guint i = 0; i < n_values (self); i++)
    {
      double x, y, w, h;

      entry_rect (self, i, width, &x, &y, &w, &h);
      set_diverging (cr, self->values[i], limit);
      if (gaps)
        cairo_rectangle (cr, x + 0.5, y + 0.5, w - 1, h - 1);
      else
        cairo_rectangle (cr, x, y, w + 0.3, h + 0.3);   /* no seams between fractional cells */
      cairo_fill (cr);
    }
}

static void
draw_bars (AttnWalkthroughStrip *self,
           cairo_t              *cr,
           double                width,
           const AttnTheme      *theme)
{
  gboolean labels = bars_have_labels (self, width);
  double max = 0.0;

  for (guint i = 0; i < self->n_cols; i++)
    max = MAX (max, self->values[i]);
  if (max <= 0)
    max = 1.0;

  /* baseline */
  cairo_set_source_rgba (cr, theme->grid.r, theme->grid.g, theme->grid.b, theme->grid.a);
  cairo_rectangle (cr, 0, MARK_H + BARS_H - 1, width, 1);
  cairo_fill (cr);

  for (guint i = 0; i < self->n_cols; i++)
    {
      double x, y, w, h, bar, pad;

      entry_rect (self, i, width, &x, &y, &w, &h);
      pad = w > 4 ? 1.0 : 0.0;

      if (i >= self->first_masked)
        {
          /* the future: a short stub in the masked colour, never a bar */
          if ((int) i == self->marked)
            cairo_set_source_rgba (cr, theme->accent.r, theme->accent.g, theme->accent.b, 1);
          else
            cairo_set_source_rgba (cr, theme->masked.r, theme->masked.g, theme->masked.b, 1);
          cairo_rectangle (cr, x + pad, y + h - 6, MAX (w - 2 * pad, 0.5), 5);
          cairo_fill (cr);
        }
      else
        {
          /* height relative to the tallest; one quiet colour that reads on
           * light and dark, this key's bar in the accent colour */
          bar = MAX (1.0, (h - 2) * self->values[i] / max);
          if ((int) i == self->marked)
            cairo_set_source_rgba (cr, theme->accent.r, theme->accent.g, theme->accent.b, 1);
          else
            cairo_set_source_rgba (cr, theme->foreground.r, theme->foreground.g, theme->foreground.b, 0.45);
          cairo_rectangle (cr, x + pad, y + h - 1 - bar, MAX (w - 2 * pad, 0.5), bar);
          cairo_fill (cr);
        }

      if ((int) i == self->marked)
        {
          cairo_set_source_rgba (cr, theme->accent.r, theme->accent.g, theme->accent.b, 1);
          /* ▼ above it */
          cairo_move_to (cr, x + w / 2 - 5, 0);
          cairo_line_to (cr, x + w / 2 + 5, 0);
          cairo_line_to (cr, x + w / 2, MARK_H - 1);
          cairo_close_path (cr);
          cairo_fill (cr);
        }

      if (labels)
        {
          g_autofree char *text = attn_render_dup_token_label (self->labels[i]);
          PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
          int lw, lh;

          pango_layout_set_width (layout, (int) ((w - 2) * PANGO_SCALE));
          pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
          pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
          pango_layout_get_pixel_size (layout, &lw, &lh);
          if ((int) i == self->marked)
            cairo_set_source_rgba (cr, theme->accent.r, theme->accent.g, theme->accent.b, 1);
          else
            cairo_set_source_rgba (cr, theme->foreground.r, theme->foreground.g, theme->foreground.b, 1);
          cairo_move_to (cr, x + 1, MARK_H + BARS_H + (LABEL_H - lh) / 2);
          pango_cairo_show_layout (cr, layout);
          g_object_unref (layout);
        }
    }
}

static void
attn_walkthrough_strip_snapshot (GtkWidget   *widget,
                                 GtkSnapshot *snapshot)
{
  AttnWalkthroughStrip *self = ATTN_WALKTHROUGH_STRIP (widget);
  double width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  const AttnTheme *theme = attn_theme_get_default (is_dark ());
  cairo_t *cr;

  if (width <= 0 || height <= 0 || n_values (self) == 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  if (self->kind == ATTN_WALKTHROUGH_STRIP_BARS)
    draw_bars (self, cr, width, theme);
  else
    {
      draw_vector_or_matrix (self, cr, width);
      cairo_set_source_rgba (cr, theme->accent.r, theme->accent.g, theme->accent.b, 1);
      cairo_set_line_width (cr, 2);
      for (guint i = 0; self->marked >= 0 && i < self->n_marked && self->marked + i < n_values (self); i++)
        {
          double x, y, w, h;

          entry_rect (self, self->marked + i, width, &x, &y, &w, &h);
          cairo_rectangle (cr, x + 1, y + 1, w - 2, h - 2);
        }
      cairo_stroke (cr);
    }

  cairo_destroy (cr);
}

static gboolean
query_tooltip_cb (AttnWalkthroughStrip *self,
                  int                   x,
                  int                   y,
                  gboolean              keyboard,
                  GtkTooltip           *tooltip)
{
  g_autofree char *text = NULL;
  int i = attn_walkthrough_strip_hit_test (self, x, y);

  if (i < 0)
    return FALSE;

  switch (self->kind)
    {
    case ATTN_WALKTHROUGH_STRIP_VECTOR:
      text = g_strdup_printf ("[%d] %.9g", i, self->values[i]);
      break;
    case ATTN_WALKTHROUGH_STRIP_MATRIX:
      text = g_strdup_printf (_("row %u, column %u: %.9g"), i / self->n_cols, i % self->n_cols, self->values[i]);
      break;
    case ATTN_WALKTHROUGH_STRIP_BARS:
    default:
      {
        g_autofree char *label = self->labels ? attn_render_dup_token_label (self->labels[i]) : g_strdup_printf ("%d", i);

        if ((guint) i >= self->first_masked)
          text = g_strdup_printf (_("%d “%s”: in the future, masked (−∞ → weight 0)"), i, label);
        else if (self->secondary != NULL)
          text = g_strdup_printf (_("%d “%s”: weight %.9g, %s %.9g"), i, label, self->values[i],
                                  self->secondary_name, self->secondary[i]);
        else
          text = g_strdup_printf (_("%d “%s”: %.9g"), i, label, self->values[i]);
      }
      break;
    }
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
attn_walkthrough_strip_finalize (GObject *object)
{
  AttnWalkthroughStrip *self = ATTN_WALKTHROUGH_STRIP (object);

  g_clear_pointer (&self->values, g_free);
  g_clear_pointer (&self->labels, g_strfreev);
  g_clear_pointer (&self->secondary, g_free);
  g_clear_pointer (&self->secondary_name, g_free);

  G_OBJECT_CLASS (attn_walkthrough_strip_parent_class)->finalize (object);
}

static void
attn_walkthrough_strip_class_init (AttnWalkthroughStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = attn_walkthrough_strip_finalize;

  widget_class->measure = attn_walkthrough_strip_measure;
  widget_class->get_request_mode = attn_walkthrough_strip_get_request_mode;
  widget_class->snapshot = attn_walkthrough_strip_snapshot;

  gtk_widget_class_set_css_name (widget_class, "walkthroughstrip");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
attn_walkthrough_strip_init (AttnWalkthroughStrip *self)
{
  self->marked = -1;
  self->first_masked = G_MAXUINT;
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
}

GtkWidget *
attn_walkthrough_strip_new (AttnWalkthroughStripKind  kind,
                            const char               *accessible_label)
{
  AttnWalkthroughStrip *self = g_object_new (ATTN_TYPE_WALKTHROUGH_STRIP, NULL);

  self->kind = kind;
  if (accessible_label != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label,
                                    -1);
  return GTK_WIDGET (self);
}

void
attn_walkthrough_strip_set_values (AttnWalkthroughStrip *self,
                                   const float          *values,
                                   guint                 n_rows,
                                   guint                 n_cols)
{
  g_return_if_fail (ATTN_IS_WALKTHROUGH_STRIP (self));

  g_clear_pointer (&self->values, g_free);
  self->values = g_memdup2 (values, (gsize) n_rows * n_cols * sizeof (float));
  self->n_rows = n_rows;
  self->n_cols = n_cols;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
attn_walkthrough_strip_set_marked (AttnWalkthroughStrip *self,
                                   int                   index)
{
  attn_walkthrough_strip_set_marked_range (self, index, 1);
}

void
attn_walkthrough_strip_set_marked_range (AttnWalkthroughStrip *self,
                                         int                   first,
                                         guint                 n)
{
  g_return_if_fail (ATTN_IS_WALKTHROUGH_STRIP (self));

  self->marked = first;
  self->n_marked = n;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
attn_walkthrough_strip_set_first_masked (AttnWalkthroughStrip *self,
                                         guint                 first_masked)
{
  g_return_if_fail (ATTN_IS_WALKTHROUGH_STRIP (self));

  self->first_masked = first_masked;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
attn_walkthrough_strip_set_labels (AttnWalkthroughStrip *self,
                                   const char *const    *labels,
                                   const float          *secondary,
                                   const char           *secondary_name)
{
  g_return_if_fail (ATTN_IS_WALKTHROUGH_STRIP (self));

  g_clear_pointer (&self->labels, g_strfreev);
  g_clear_pointer (&self->secondary, g_free);
  g_clear_pointer (&self->secondary_name, g_free);
  self->labels = labels ? g_strdupv ((char **) labels) : NULL;
  self->secondary = secondary ? g_memdup2 (secondary, self->n_cols * sizeof (float)) : NULL;
  self->secondary_name = g_strdup (secondary_name);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
attn_walkthrough_strip_get_n_values (AttnWalkthroughStrip *self)
{
  g_return_val_if_fail (ATTN_IS_WALKTHROUGH_STRIP (self), 0);

  return n_values (self);
}
